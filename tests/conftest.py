"""Every test runs with its own user directories and store, from the repository root."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

from planctl import i18n
from planctl.cli import app_for
from planctl.plan.load import load_plan
from planctl.plan.model import Plan
from planctl.store.revision import PLANCTL_TABLES
from planctl.store.schema import SCHEMA_REVISION
from planctl.store.store import Store, StoreLocation
from tests.built_once import CliRunner
from tests.smtp import Server, smtp_servers

REPO = Path(__file__).resolve().parents[1]
PLAN_2018 = REPO / "plans" / "2018.yaml"
POSTGRES_URL = os.environ.get("PLANCTL_TEST_POSTGRES_URL")
POSTGRES_READER_URL = os.environ.get("PLANCTL_TEST_POSTGRES_READER_URL")
TODAY = "2018-06-15"
"""The day the CLI tests live on (`PLANCTL_TODAY`), unless a test says otherwise."""
BACKENDS = ["sqlite", "postgresql"]


PROPERTY_EXAMPLES = {"ci": 1000, "dev": 200}
"""Examples of a property whose examples take well under a millisecond, per hypothesis
profile; slower properties run a share of it (tests/test_properties.py). `ci` (CI=true) runs
as many as the suite always has; `dev`, the default, a fifth of that."""

for _name, _examples in PROPERTY_EXAMPLES.items():
    settings.register_profile(
        _name,
        max_examples=_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


DONT_WRITE_BYTECODE = sys.dont_write_bytecode
sys.dont_write_bytecode = False
"""The test modules, rewritten by pytest for its assertions, are kept in tests/__pycache__
even where PYTHONDONTWRITEBYTECODE is set (the machines this suite runs on set it): otherwise
each xdist worker rewrites all of them on every run, 7 of the 10 s it takes to collect. Only
while collecting: the tests themselves run with the flag as the environment set it."""


def pytest_collection_finish(session: pytest.Session) -> None:
    sys.dont_write_bytecode = DONT_WRITE_BYTECODE


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") == "true" and not POSTGRES_URL:
        raise pytest.UsageError(
            "CI=true but PLANCTL_TEST_POSTGRES_URL is not set: .ci/run must start PostgreSQL"
        )


def reset_postgres(url: str) -> None:
    """Drop every table, so that each test starts from an empty database (one statement:
    reflecting the tables to drop them cost a tenth of a second a test)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            tables = connection.exec_driver_sql(
                "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public'"
            ).scalars()
            if dropped := ", ".join(tables):
                connection.exec_driver_sql(f"DROP TABLE {dropped} CASCADE")
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Postgres:
    """The PostgreSQL database of this pytest process: the owner's URL and the SELECT-only
    role's (None when PLANCTL_TEST_POSTGRES_READER_URL is not set)."""

    url: str
    reader_url: str | None


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """The test database; each pytest-xdist worker gets a copy of its own (`planctl_test_gw0`,
    ...), made from it as a template (so with the reader role's grants) and dropped at the end,
    since every test empties the database it uses."""
    if not POSTGRES_URL:
        pytest.skip(
            "set PLANCTL_TEST_POSTGRES_URL to run this on PostgreSQL (see docs/development.md)"
        )
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        yield Postgres(POSTGRES_URL, POSTGRES_READER_URL)
        return
    url = sa.make_url(POSTGRES_URL)
    template, own = url.database, f"{url.database}_{worker}"
    server = sa.create_engine(
        url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
    )
    with server.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{own}" TEMPLATE "{template}"')
    readers = POSTGRES_READER_URL and sa.make_url(POSTGRES_READER_URL).set(database=own)
    try:
        yield Postgres(
            url.set(database=own).render_as_string(hide_password=False),
            readers.render_as_string(hide_password=False) if readers else None,
        )
    finally:
        from planctl.store import engines

        engines.close_server_connections()  # the reader role's too, which FORCE cannot end
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')
        server.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store of each backend: a SQLite file path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite3")
    url: str = request.getfixturevalue("postgres").url
    reset_postgres(url)
    return url


READ_PATHS = ["sqlite3", "sqlalchemy"]
"""How a SQLite store is read: the standard library's sqlite3 (what read commands use on a
store at the current schema), or SQLAlchemy (what they used before, and still use elsewhere)."""


@pytest.fixture(params=READ_PATHS)
def read_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every read of a SQLite store in the test goes this way (`planctl.store.reading`)."""
    from planctl.store import reading

    monkeypatch.setattr(reading, "DIRECT_SQLITE", request.param == "sqlite3")
    path: str = request.param
    return path


@pytest.fixture(params=["sqlite", "sqlite-read-by-sqlalchemy", "postgresql"])
def read_store_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """`store_url` for tests of reads: an empty store of each backend, and a SQLite store
    read both ways (`read_path`)."""
    from planctl.store import reading

    if request.param == "postgresql":
        url: str = request.getfixturevalue("postgres").url
        reset_postgres(url)
        return url
    monkeypatch.setattr(reading, "DIRECT_SQLITE", request.param == "sqlite")
    return str(tmp_path / "store.sqlite3")


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store at the current schema with no events, made once per session through
    `Store.open_for_writing`: Alembic runs here rather than in every test that needs a store."""
    path = tmp_path_factory.mktemp("migrated") / "store.sqlite3"
    Store.open_for_writing(StoreLocation.parse(str(path))).close()
    return path


@pytest.fixture
def made_sqlite_store(tmp_path: Path, migrated_sqlite: Path) -> str:
    """A SQLite store of the test's own at the current schema, with no events yet: what the
    first recording command would have made (a copy of the session's, file mode and all)."""
    path = tmp_path / "made.sqlite3"  # beside store_url's store.sqlite3, if a test has both
    shutil.copy(migrated_sqlite, path)
    return str(path)


class RecordedStores:
    """SQLite stores recorded once per test process and copied for each test that asks: the
    `recorded_stores` fixture. A module whose tests each start from the same history records it
    in the first test that needs it (in that test's setup, so with its isolated user
    directories) and hands every test a copy of its own (a few milliseconds, where recording
    through the CLI again took up to a second a test)."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.made: dict[str, Path] = {}

    def copy(self, record: Callable[[Path], object], to: Path) -> str:
        """A copy at `to` of the store `record(path)` records the first time it is asked for,
        at a path in a directory of its own (for the files it records from)."""
        name = f"{record.__module__}.{record.__qualname__}"
        made = self.made.get(name)
        if made is None:
            directory = self.base / str(len(self.made))
            directory.mkdir()
            made = directory / to.name
            record(made)
            assert not made.with_name(f"{made.name}-wal").exists(), "a store left open"
            self.made[name] = made
        shutil.copy(made, to)
        return str(to)


@pytest.fixture(scope="session")
def recorded_stores(tmp_path_factory: pytest.TempPathFactory) -> RecordedStores:
    return RecordedStores(tmp_path_factory.mktemp("recorded"))


def empty_postgres_store(url: str) -> None:
    """Leave the database with planctl's tables at the current schema and no rows: emptied
    when they are there already, else made from nothing."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            tables = set(sa.inspect(connection).get_table_names())
            if tables == {"alembic_version", *PLANCTL_TABLES}:
                revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
                if revision.scalar() == SCHEMA_REVISION:
                    for table in PLANCTL_TABLES:  # 2 ms, where TRUNCATE took 25
                        connection.exec_driver_sql(f"DELETE FROM {table}")
                        connection.exec_driver_sql(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'seq'), 1, false)"
                        )
                    return
    finally:
        engine.dispose()
    reset_postgres(url)
    Store.open_for_writing(StoreLocation.parse(url)).close()


@pytest.fixture(params=BACKENDS)
def made_store_url(request: pytest.FixtureRequest) -> str:
    """A store of each backend at the current schema with no events yet, for tests that record
    before they look (`store_url` is for tests of what a new store does)."""
    if request.param == "sqlite":
        made: str = request.getfixturevalue("made_sqlite_store")
        return made
    url: str = request.getfixturevalue("postgres").url
    empty_postgres_store(url)
    return url


def empty_store(store: str) -> str:
    """Create the store (schema, no events) if it is not there yet: for tests that read a
    store before anything is recorded (a store that was named and is not there is an error)."""
    from planctl.store.store import Store, StoreLocation

    Store.open_for_writing(StoreLocation.parse(store)).close()
    return store


def snapshot(store: str) -> object:
    """Everything a store holds: a SQLite file's bytes, or every row of a server's tables."""
    if "://" not in store:
        path = Path(store)
        return path.read_bytes() if path.exists() else None
    engine = sa.create_engine(store)
    try:
        with engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
            return {
                table: connection.exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1").all()
                for table in sorted(tables)
            }
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def shared_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """XDG_CACHE_HOME for every test of this process: a plan is parsed once, not once a test
    (15 ms for the 2018 plan). The plan cache is keyed by the plan file's path and content, so
    tests cannot see each other's plans; tests of the cache give it directories of their own."""
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture(autouse=True)
def isolated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_cache_home: Path
) -> Iterator[Path]:
    """No PLANCTL_* settings from outside; user directories under tmp_path (the cache
    directory: `shared_cache_home`); cwd at the repo."""
    for name in list(os.environ):
        if name.startswith("PLANCTL_") and not name.startswith("PLANCTL_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)  # piped output is wrapped to COLUMNS, else 100
    monkeypatch.delenv("LINES", raising=False)
    monkeypatch.setenv("PLANCTL_TRACEBACK", "1")  # a bug in a test run shows its traceback
    i18n.begin(None, {})  # messages of a function called directly: English, whatever ran before
    for name in ("LC_ALL", "LC_MESSAGES"):  # the locale is the last word on the language:
        monkeypatch.delenv(name, raising=False)  # the same on every machine (C.UTF-8, English)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache_home))
    monkeypatch.setenv("TZ", "UTC")  # history shows local times: the same on every machine
    time.tzset()
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("LOGNAME", "tester")
    monkeypatch.chdir(REPO)
    yield tmp_path


@pytest.fixture(scope="session")
def plan_2018() -> Plan:
    return load_plan(PLAN_2018)


@pytest.fixture
def smtp_server() -> Iterator[Callable[..., Server]]:
    """Start real SMTP servers (aiosmtpd) on 127.0.0.1; all are stopped when the test ends."""
    yield from smtp_servers()


@dataclass(frozen=True)
class Result:
    """What a person sees from one command: exit code, stdout and stderr."""

    code: int
    out: str
    err: str


def squash(text: str) -> str:
    """The text without white space: what survives any wrapping."""
    return "".join(text.split())


def plain_columns(text: str) -> list[str]:
    """What each column of each plain table in `text` says, its lines joined (see `squash`):
    a cell's text, whatever the wrapping, is a part of its column's."""
    from planctl.render.wrap import char_width

    def between(line: str, start: int, end: int | None) -> str:
        kept, at = [], 0
        for ch in line:
            if start <= at and (end is None or at < end):
                kept.append(ch)
            at += char_width(ch)
        return "".join(kept)

    columns: list[str] = []
    lines = text.split("\n")
    for index, rule in enumerate(lines):
        if not index or not rule or set(rule) - {"-", " "}:
            continue
        spans = [(m.start(), m.end()) for m in re.finditer("-+", rule)]
        body = list(itertools.takewhile(bool, lines[index + 1 :]))
        for number, (start, end) in enumerate(spans):
            last = number == len(spans) - 1
            columns.append(
                squash("".join(between(line, start, None if last else end) for line in body))
            )
    return columns


def run(*args: str, env: dict[str, str] | None = None, input: bytes | None = None) -> Result:
    """Run planctl in-process, as the console script would: `main()` builds the app with
    `app_for`, just the command run (building all twenty was most of an in-process run)."""
    result = CliRunner().invoke(app_for(["planctl", *args]), list(args), input=input, env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)


class Planctl:
    """The `planctl` fixture: runs planctl in-process against a store, a plan and a day.

    `db` and `plan` become `--db` and `--plan` after the arguments; `today` is `PLANCTL_TODAY`
    (so that a `--today` among the arguments still wins, as on the command line), None for the
    clock; `env` adds variables; `input` is stdin."""

    def __call__(
        self,
        *args: str,
        db: str | Path | None = None,
        plan: str | Path | None = None,
        today: str | None = TODAY,
        env: dict[str, str] | None = None,
        input: bytes | None = None,
    ) -> Result:
        where = ["--db", str(db)] if db is not None else []
        if plan is not None:
            where += ["--plan", str(plan)]
        variables = {"PLANCTL_TODAY": today} if today is not None else {}
        return run(*args, *where, env={**variables, **(env or {})}, input=input)

    def ok(self, *args: str, **options: Any) -> str:
        """What the command prints, which must succeed with nothing on stderr."""
        result = self(*args, **options)
        assert (result.code, result.err) == (0, ""), result.err
        return result.out

    def json(self, *args: str, **options: Any) -> Any:
        """The command's `--format json` output, parsed; it must succeed quietly."""
        return json.loads(self.ok(*args, "--format", "json", **options))


@pytest.fixture
def planctl() -> Planctl:
    """Run planctl in-process: `planctl("done", "6.1", db=db)`, `.ok(...)`, `.json(...)`."""
    return Planctl()
