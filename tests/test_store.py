"""The store suite: written against `Store` only, so every backend runs it unchanged; every
read runs on SQLite through both read paths (sqlite3 and SQLAlchemy) and on PostgreSQL."""

from __future__ import annotations

import contextlib
import itertools
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from planctl.core.events import Action, Event, Stamp
from planctl.errors import NoStore, StoreError
from planctl.plan.load import load_plan
from planctl.store import reading
from planctl.store.reading import open_for_reading
from planctl.store.rows import EVENT_FIELDS
from planctl.store.schema import SCHEMA_REVISION, events, plan_versions
from planctl.store.sqlite_read import SqliteReader
from planctl.store.store import Store, StoreLocation
from planctl.store.versions import PLAN_VERSION_COLUMNS
from tests.conftest import PLAN_2018, Planctl, Postgres, empty_postgres_store

AT = datetime(2018, 6, 15, 9, 30, 5, tzinfo=UTC)


@pytest.fixture
def location(read_store_url: str) -> StoreLocation:
    """An empty store location of each backend (SQLite read both ways)."""
    return StoreLocation.parse(read_store_url)


IDS = (f"event-{n}" for n in itertools.count(1))


def make(task: str, action: Action = Action.DONE, note: str | None = None) -> Event:
    return Stamp("王科长", AT, IDS).event("cppcc-2018", task, action, date(2018, 6, 15), note=note)


def test_a_store_not_made_yet_is_no_store(location: StoreLocation) -> None:
    """Read as empty, a report would call every task not started (issue 25 item 1)."""
    with pytest.raises(NoStore, match=f"^no store at {re.escape(location.display())}: "):
        open_for_reading(location)
    if location.sqlite_file is not None:
        assert not location.sqlite_file.exists(), "reading must not create the store"


def test_events_round_trip_with_every_field(location: StoreLocation) -> None:
    first, second = make("6.1", note="视察完成\n第二行"), make("6.2")
    store = Store.open_for_writing(location)
    with store.transaction() as tx:
        tx.append([first, second])
    store.close()
    with open_for_reading(location) as reader:
        assert reader.events("cppcc-2018") == [first, second]
        assert reader.events("cppcc-2018", ["6.2"]) == [second]
        assert reader.events("cppcc-2018", []) == []
        assert reader.events("another-plan") == []
        assert reader.all_events() == [first, second]
        assert reader.salvage_events() == ([first, second], [])


def test_reads_take_the_path_they_are_given(location: StoreLocation) -> None:
    """The parametrization is real: a SQLite store at the current schema is read without
    SQLAlchemy unless told otherwise; PostgreSQL always through it."""
    Store.open_for_writing(location).close()
    with open_for_reading(location) as store:
        direct = location.sqlite_file is not None and reading.DIRECT_SQLITE
        assert isinstance(store, SqliteReader if direct else Store)


def test_plan_versions_are_read_back(location: StoreLocation) -> None:
    plan = load_plan(PLAN_2018)
    later = datetime(2018, 7, 1, 8, 0, tzinfo=UTC)
    store = Store.open_for_writing(location)
    with store.transaction() as tx:
        tx.record_plan(plan, "digest-1", AT)
    with store.transaction() as tx:
        tx.record_plan(plan, "digest-1", later)  # the same version: nothing new
        tx.record_plan(plan, "digest-2", later)
    store.close()
    with open_for_reading(location) as reader:
        versions = reader.all_plan_versions()
        assert [(plan_id, v.digest, v.seen_at) for plan_id, v in versions] == [
            ("cppcc-2018", "digest-1", AT),
            ("cppcc-2018", "digest-2", later),
        ]
        assert versions[0][1].tasks["6.2"] == ["重点提案督办", 6]
        assert reader.latest_plan_version("cppcc-2018") == versions[1][1]
        assert reader.latest_plan_version("another-plan") is None
        assert reader.salvage_plan_versions() == (versions, [])


def test_many_task_ids_are_read_in_recorded_order(location: StoreLocation) -> None:
    """More task IDs than one query takes (500): the events still come back in order."""
    made = [make(f"t{n % 700}") for n in range(1400)]
    store = Store.open_for_writing(location)
    with store.transaction() as tx:
        tx.append(made)
    store.close()
    wanted = [f"t{n}" for n in range(699, -1, -2)]  # 350 tasks, in no useful order
    with open_for_reading(location) as reader:
        assert reader.events("cppcc-2018", [*wanted, *wanted, "t1"]) == [
            event for event in made if event.task_id in {*wanted, "t1"}
        ]
        everything = [f"t{n}" for n in range(700)]
        assert reader.events("cppcc-2018", everything) == made


def test_the_read_sql_names_the_schemas_columns() -> None:
    """The sqlite3 path's SQL is built from `EVENT_FIELDS` and `PLAN_VERSION_COLUMNS`; they
    are the SQLAlchemy tables' columns, so the two paths cannot drift apart."""
    assert sorted(["seq", *EVENT_FIELDS]) == sorted(column.name for column in events.columns)
    assert list(PLAN_VERSION_COLUMNS) == [column.name for column in plan_versions.columns]


def test_events_come_back_in_recorded_order(location: StoreLocation) -> None:
    made = [make(task) for task in ["9.1", "1.1", "5.1", "1.1"]]
    with Store.open_for_writing(location) as store:
        for event in made:
            with store.transaction() as tx:
                tx.append([event])
        assert store.events("cppcc-2018") == made
        assert store.events("cppcc-2018", ["1.1"]) == [made[1], made[3]]


def test_a_failed_transaction_records_nothing(location: StoreLocation) -> None:
    with Store.open_for_writing(location) as store:
        with pytest.raises(RuntimeError), store.transaction() as tx:
            tx.append([make("6.1")])
            raise RuntimeError("the command failed after appending")
        assert store.events("cppcc-2018") == []


def test_event_ids_are_unique(location: StoreLocation) -> None:
    event = make("6.1")
    with Store.open_for_writing(location) as store:
        with store.transaction() as tx:
            tx.append([event])
        with pytest.raises(StoreError), store.transaction() as tx:
            tx.append([make("6.2"), event])
        assert store.events("cppcc-2018") == [event]


def test_the_schema_is_at_the_alembic_head(location: StoreLocation) -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", "planctl.store:migrations")
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_REVISION
    Store.open_for_writing(location).close()
    engine = sa.create_engine(location.url)
    with engine.connect() as connection:
        revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    engine.dispose()
    assert revision == SCHEMA_REVISION


def test_a_plans_events_are_read_by_task_from_a_covering_index_on_sqlite(
    tmp_path: Path,
) -> None:
    """Issue 32: the read of a plan's events task by task (every read command's) takes every
    column from the index, never from the table's rows scattered through the file."""
    from planctl.store.sqlite_read import PER_TASK_QUERY

    path = tmp_path / "store.sqlite3"
    Store.open_for_writing(StoreLocation.parse(str(path))).close()
    with contextlib.closing(sqlite3.connect(path)) as connection:
        plan = connection.execute(f"EXPLAIN QUERY PLAN {PER_TASK_QUERY}", ["p"]).fetchall()
    assert [row[-1] for row in plan] == [
        "SEARCH events USING COVERING INDEX ix_events_plan_read (plan_id=?)"
    ]


def test_commands_on_a_server_share_one_connection(
    postgres: Postgres, planctl: Planctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server's engine and its pooled connection are the process's: a command opens the
    store several times (`history` six, `report` three, `done` and `due` two), each once a
    new connection (a new server process); now one, for them all."""
    import psycopg

    from planctl.store import engines

    empty_postgres_store(postgres.url)
    engines.close_server_connections()
    opened: list[str] = []
    connect = psycopg.connect

    def counted(*args: object, **kwargs: object) -> psycopg.Connection[object]:
        opened.append("connection")
        return connect(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(psycopg, "connect", counted)
    for args in (["history"], ["report"], ["done", "6.1"], ["due"], ["history"]):
        planctl.ok(*args, db=postgres.url)
    assert opened == ["connection"]


def test_a_current_store_opens_without_importing_alembic(location: StoreLocation) -> None:
    Store.open_for_writing(location).close()
    probe = (
        "import sys\n"
        "from planctl.store.store import Store, StoreLocation\n"
        f"Store.open_for_writing(StoreLocation.parse({location.url!r})).close()\n"
        "Store.open_for_reading(StoreLocation.parse({location.url!r})).close()\n"
        "print('alembic' in sys.modules)\n"
    ).replace("{location.url!r}", repr(location.url))
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout == "False\n"


def test_a_store_from_a_newer_planctl_is_refused(location: StoreLocation) -> None:
    Store.open_for_writing(location).close()
    engine = sa.create_engine(location.url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    shown = location.display()
    message = f"the store {shown} was made by a newer planctl (schema 9999); upgrade planctl"
    with pytest.raises(StoreError) as caught:
        open_for_reading(location)
    assert str(caught.value) == message


def test_a_store_from_an_older_planctl_is_left_for_a_recording_command(
    location: StoreLocation,
) -> None:
    Store.open_for_writing(location).close()
    engine = sa.create_engine(location.url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0002'")
    engine.dispose()
    message = (
        f"the store {location.display()} was made by an older planctl (schema 0002);"
        " a recording command such as `planctl done` upgrades it"
    )
    with pytest.raises(StoreError) as caught:
        open_for_reading(location)
    assert str(caught.value) == message


# SQLite only: files, permissions and locks.


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    return tmp_path / "store.sqlite3"


def _store_with_one_event(path: Path) -> Event:
    event = make("6.1")
    store = Store.open_for_writing(StoreLocation.parse(str(path)))
    with store.transaction() as tx:
        tx.append([event])
    store.close()
    return event


def test_the_store_file_is_private_and_in_wal_mode(sqlite_file: Path) -> None:
    _store_with_one_event(sqlite_file)
    assert sqlite_file.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(sqlite_file) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_reading_changes_no_file(sqlite_file: Path, read_path: str) -> None:
    event = _store_with_one_event(sqlite_file)
    before = sqlite_file.read_bytes()
    siblings = sorted(sqlite_file.parent.iterdir())
    reader = open_for_reading(StoreLocation.parse(str(sqlite_file)))
    assert reader.events("cppcc-2018") == [event]
    reader.close()
    assert sqlite_file.read_bytes() == before
    assert sorted(sqlite_file.parent.iterdir()) == siblings


def test_reading_cannot_write(sqlite_file: Path, read_path: str) -> None:
    _store_with_one_event(sqlite_file)
    reader = open_for_reading(StoreLocation.parse(str(sqlite_file)))
    if isinstance(reader, SqliteReader):
        raw = reader._connection
        assert raw is not None
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            raw.execute("DELETE FROM events")
        return
    assert isinstance(reader, Store)
    engine = reader._engine
    assert engine is not None
    with pytest.raises(sa.exc.OperationalError, match="readonly"), engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM events")


def test_a_directory_that_does_not_exist(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "store.sqlite3"
    with pytest.raises(StoreError) as caught:
        Store.open_for_writing(StoreLocation.parse(str(path)))
    message = f"cannot create the store {path}: No such file or directory"
    assert str(caught.value) == message
    assert not path.parent.exists()


def test_the_location_hides_a_password() -> None:
    location = StoreLocation.parse("postgresql+psycopg://planctl:s3cret@db.example/plans")
    assert location.display() == "postgresql+psycopg://planctl:********@db.example/plans"
    assert location.sqlite_file is None
    assert StoreLocation.parse("~/x.db").sqlite_file == Path.home() / "x.db"


def test_a_url_that_does_not_parse_hides_its_password() -> None:
    with pytest.raises(StoreError) as caught:
        StoreLocation.parse("postgresql+psycopg://u:s3cret@host:notaport/db")
    assert str(caught.value) == "not a store URL: postgresql+psycopg://u:********@host:notaport/db"


def test_a_directory_is_not_a_store(tmp_path: Path, read_path: str) -> None:
    for opener in (open_for_reading, Store.open_for_writing):
        with pytest.raises(StoreError) as caught:
            opener(StoreLocation.parse(str(tmp_path)))
        assert str(caught.value) == f"the store {tmp_path} is a directory, not a file"
