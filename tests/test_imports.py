"""The import discipline: each command imports only what its path needs.

Start-up is most of what a planctl command costs (docs/performance.md), and one stray top-level
import can quietly add tens of milliseconds to every run. Each test runs a command in a fresh
interpreter, in-process through the console script's `main()`, with stdout piped (not a
terminal) and no config file, and looks at `sys.modules` afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from planctl.core.events import Action, Stamp
from planctl.store.store import Store, StoreLocation
from tests.conftest import REPO, Postgres, empty_postgres_store

RUN_AND_LIST_MODULES = """
import json, sys
out, args = sys.argv[1], json.loads(sys.argv[2])
sys.argv = ["planctl", *args]
from planctl.cli import main
try:
    main()
except SystemExit as exit:
    code = exit.code
else:
    code = 0
with open(out, "w") as file:
    json.dump({"code": code, "modules": sorted(sys.modules)}, file)
"""

NEVER_ON_READ_PATHS = [
    "alembic",  # only when a recording command finds the schema out of date
    "mako",  # Alembic's templates
    "rich",  # only for tables on a terminal
    "sqlalchemy.orm",  # the store is SQLAlchemy Core
    "icalendar",  # only `export`
    "planctl.views.calendar",
    "smtplib",  # only `mail` (SQLAlchemy itself loads ssl and parts of email: not checked)
    "email.mime",
    "email.headerregistry",
    "planctl.mail.smtp",
    "tomllib",  # only when a config file exists
    "planctl.cli.config",
    "xlsxwriter",  # only --format xlsx
    "planctl.render.xlsx",
    "weasyprint",  # only --format pdf
    "planctl.render.pdf",
    "openpyxl",  # only `import` (reading a breakdown table)
    "docx",
    "planctl.office",
]


@dataclass(frozen=True)
class Ran:
    """One `planctl` run in a fresh interpreter: its exit code, output and loaded modules."""

    code: int | None
    out: str
    err: str
    modules: set[str]


def run_fresh(args: list[str], tmp_path: Path, **env_changes: str) -> Ran:
    """`planctl ARGS` in a fresh interpreter, stdout piped, no config file, June 2018."""
    out = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANCTL_")}
    env.update(
        PLANCTL_TODAY="2018-06-15",
        PLANCTL_CONFIG=str(tmp_path / "no-config.toml"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        **env_changes,
    )
    result = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, str(out), json.dumps(args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(out.read_text())
    return Ran(loaded["code"], result.stdout, result.stderr, set(loaded["modules"]))


def modules_after(
    args: list[str], tmp_path: Path, store: Path, code: int = 0, **env_changes: str
) -> set[str]:
    """The modules loaded once `planctl ARGS` has run in a fresh interpreter on STORE."""
    ran = run_fresh(args, tmp_path, PLANCTL_DB=str(store), **env_changes)
    assert ran.code in ((0, None) if code == 0 else (code,)), ran.err
    return ran.modules


def imported(modules: set[str], package: str) -> list[str]:
    return sorted(name for name in modules if name == package or name.startswith(package + "."))


@pytest.fixture(scope="module")
def made_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store at the current schema with one event, made by a recording command once."""
    where = tmp_path_factory.mktemp("made")
    store = where / "store.sqlite3"
    made = modules_after(["done", "5.1", "--by", "李明"], where, store)
    assert imported(made, "alembic"), "the first recording command creates the store"
    assert not store.with_name(store.name + "-wal").exists(), "the store is one file"
    return store


@pytest.fixture
def current_store(tmp_path: Path, made_store: Path) -> Path:
    """A copy of that store, for one test."""
    store = tmp_path / "store.sqlite3"
    shutil.copyfile(made_store, store)
    return store


READ_COMMANDS = [
    ["due", "--month", "6"],
    ["list"],
    ["show", "6.2"],
    ["points"],
    ["history"],
    ["report", "--year", "2018"],
    ["assess", "--year", "2018"],
    ["bulletin", "--year", "2018"],
    ["digest"],
    ["export"],
    ["check", "plans/2018.yaml"],
    ["store", "export"],
]
LEAN_COMMANDS = {"due", "report", "list", "show", "digest", "assess", "bulletin"}
"""The daily reads, which import nothing of NEVER_ON_READ_PATHS (`export` writes a calendar
with icalendar)."""


@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda args: " ".join(args[:2]))
def test_reads_of_a_current_sqlite_store_import_no_sqlalchemy(
    args: list[str], tmp_path: Path, current_store: Path
) -> None:
    """The standard library's sqlite3 reads it (planctl.store.sqlite_read): SQLAlchemy's
    import was most of a read command's time. The daily reads import nothing they do not
    use either (one fresh interpreter per command checks both)."""
    modules = modules_after(args, tmp_path, current_store)
    assert imported(modules, "sqlalchemy") == []
    assert imported(modules, "alembic") == []
    assert "planctl.store.sqlite_read" in modules
    if args[0] in LEAN_COMMANDS:
        assert [p for p in NEVER_ON_READ_PATHS if imported(modules, p)] == []


def test_completion_imports_no_store(tmp_path: Path, current_store: Path) -> None:
    completing = {
        "_PLANCTL_COMPLETE": "complete_bash",
        "COMP_WORDS": "planctl show 6.",
        "COMP_CWORD": "2",
    }
    ran = run_fresh(["show", "6."], tmp_path, PLANCTL_DB=str(current_store), **completing)
    assert ran.out.split() == ["6.1", "6.2", "6.3"]
    assert imported(ran.modules, "sqlalchemy") == []
    # Where a store is (its path and URL, masked) is known; nothing that opens one is loaded.
    location = ["planctl.store", "planctl.store.location", "planctl.store.masking"]
    assert sorted(imported(ran.modules, "planctl.store")) == location


def test_completion_of_done_reads_the_store_without_sqlalchemy(
    tmp_path: Path, current_store: Path
) -> None:
    """`done` offers open tasks first: it reads the store, through sqlite3 alone."""
    completing = {
        "_PLANCTL_COMPLETE": "complete_bash",
        "COMP_WORDS": "planctl done 6.",
        "COMP_CWORD": "2",
    }
    ran = run_fresh(["done", "6."], tmp_path, PLANCTL_DB=str(current_store), **completing)
    assert ran.out.split() == ["6.1", "6.2", "6.3"]
    assert imported(ran.modules, "sqlalchemy") == []
    assert "planctl.store.sqlite_read" in ran.modules


def test_due_on_a_default_store_not_there_imports_no_sqlalchemy(tmp_path: Path) -> None:
    """A new user's first `due`: nothing recorded yet, said once, found without SQLAlchemy."""
    ran = run_fresh(["due", "--month", "6"], tmp_path)
    store = tmp_path / "data" / "planctl" / "planctl.sqlite3"
    assert (ran.code, ran.err) == (0, f"planctl: 尚无任何记录({store} 没有存储)\n")
    assert imported(ran.modules, "sqlalchemy") == []
    assert not store.exists()


def test_a_store_made_by_an_older_planctl_is_recognised_through_sqlalchemy(
    tmp_path: Path, current_store: Path
) -> None:
    """Schema recognition when an upgrade is due is SQLAlchemy's (and says what to do)."""
    with sqlite3.connect(current_store) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0002'")
    connection.close()
    ran = run_fresh(["due"], tmp_path, PLANCTL_DB=str(current_store))
    assert (ran.code, ran.err) == (
        1,
        f"planctl: 存储 {current_store} 由旧版本的 planctl 建立(结构版本 0002);"
        "`planctl done` 等记录命令会升级它\n",
    )
    assert imported(ran.modules, "sqlalchemy") != []
    assert imported(ran.modules, "alembic") == []


def test_due_on_postgresql_reads_through_sqlalchemy(tmp_path: Path, postgres: Postgres) -> None:
    empty_postgres_store(postgres.url)
    stamp = Stamp("李明", datetime(2018, 6, 15, 9, tzinfo=UTC), iter(["e-1"]))
    location = StoreLocation.parse(postgres.url)
    with Store.open_for_writing(location) as store, store.transaction() as tx:
        tx.append([stamp.event("cppcc-2018", "6.2", Action.DONE, date(2018, 6, 14))])
    ran = run_fresh(["due", "--month", "6", "--format", "json"], tmp_path, PLANCTL_DB=postgres.url)
    assert ran.code in (0, None), ran.err
    statuses = {task["id"]: task["status"] for task in json.loads(ran.out)["tasks"]}
    assert statuses["6.2"] == "done"
    assert statuses["6.1"] == "open"
    assert imported(ran.modules, "sqlalchemy") != []
    assert "planctl.store.sqlite_read" not in ran.modules


def test_due_on_a_store_not_there_imports_no_migrations(tmp_path: Path) -> None:
    """A store named and not there is an error (exit 1), found without the store's imports."""
    modules = modules_after(["due", "--month", "6"], tmp_path, tmp_path / "none.sqlite3", code=1)
    assert [p for p in NEVER_ON_READ_PATHS if imported(modules, p)] == []
    assert not (tmp_path / "none.sqlite3").exists()


def test_done_on_a_current_store_runs_no_migration(tmp_path: Path, current_store: Path) -> None:
    modules = modules_after(["done", "6.2"], tmp_path, current_store)
    assert imported(modules, "alembic") == []
    assert imported(modules, "rich") == []
    assert imported(modules, "sqlalchemy.orm") == []


def test_an_unchanged_plan_is_not_parsed_again(tmp_path: Path, current_store: Path) -> None:
    modules_after(["due", "--month", "6"], tmp_path, current_store)  # parses, may keep it
    modules = modules_after(["due", "--month", "6"], tmp_path, current_store)
    assert imported(modules, "yaml") == []


def test_import_loads_only_the_reader_of_its_file(tmp_path: Path) -> None:
    table = REPO / "tests" / "data" / "import" / "gov-2023.xlsx"
    modules = modules_after(["import", str(table)], tmp_path, tmp_path / "none.sqlite3")
    assert imported(modules, "openpyxl")
    assert imported(modules, "docx") == []
    assert imported(modules, "sqlalchemy") == []  # no store


def test_returns_collect_into_a_current_store_imports_no_sqlalchemy_nor_openpyxl(
    tmp_path: Path, current_store: Path
) -> None:
    """A return is read with the standard library (planctl.office.xlsx_cells) and recorded in
    a SQLite store at the current schema with it too (planctl.store.sqlite_write): SQLAlchemy's
    import and openpyxl's load were most of a collect's time."""
    from tests.test_returns_collect import PLAN, _fill

    made = tmp_path / "out"
    run_fresh(["returns", "make", "-o", str(made), "--plan", str(PLAN), "--today",
               "2018-06-20"], tmp_path, PLANCTL_DB=str(current_store))  # fmt: skip
    filled = _fill(made / "2018-06 提案科.xlsx", tmp_path / "f.xlsx", {"I6": "60"})
    ran = run_fresh(["returns", "collect", str(filled), "--plan", str(PLAN), "--today",
                     "2018-06-24"], tmp_path, PLANCTL_DB=str(current_store))  # fmt: skip
    assert (ran.code, ran.err) in ((0, ""), (None, ""))
    assert "记录 1 条" in ran.out
    assert imported(ran.modules, "sqlalchemy") == []
    assert imported(ran.modules, "openpyxl") == []
    assert "planctl.store.sqlite_write" in ran.modules
