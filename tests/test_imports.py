"""The import discipline: each command imports only what its path needs.

Start-up is most of what a planctl command costs (docs/performance.md), and one stray top-level
import can quietly add tens of milliseconds to every run. Each test runs a command in a fresh
interpreter, in-process through the console script's `main()`, with stdout piped (not a
terminal) and no config file, and looks at `sys.modules` afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

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
    "planctl.calendar_export",
    "smtplib",  # only `mail` (SQLAlchemy itself loads ssl and parts of email: not checked)
    "email.mime",
    "email.headerregistry",
    "planctl.mail",
    "tomllib",  # only when a config file exists
    "planctl.config",
    "xlsxwriter",  # only --format xlsx
    "planctl.render.xlsx",
    "weasyprint",  # only --format pdf
    "planctl.render.pdf",
    "openpyxl",  # only `import` (reading a breakdown table)
    "docx",
    "planctl.office",
]


def modules_after(args: list[str], tmp_path: Path, store: Path, code: int = 0) -> set[str]:
    """The modules loaded once `planctl ARGS` has run in a fresh interpreter."""
    out = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANCTL_")}
    env.update(
        PLANCTL_TODAY="2018-06-15",
        PLANCTL_DB=str(store),
        PLANCTL_CONFIG=str(tmp_path / "no-config.toml"),
    )
    env.pop("PLANCTL_TRACEBACK", None)
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
    assert loaded["code"] in ((0, None) if code == 0 else (code,)), result.stderr
    return set(loaded["modules"])


def imported(modules: set[str], package: str) -> list[str]:
    return sorted(name for name in modules if name == package or name.startswith(package + "."))


@pytest.fixture
def current_store(tmp_path: Path) -> Path:
    """A store at the current schema with one event (made by a recording command)."""
    store = tmp_path / "store.sqlite3"
    made = modules_after(["done", "5.1", "--by", "李明"], tmp_path, store)
    assert imported(made, "alembic"), "the first recording command creates the store"
    return store


@pytest.mark.parametrize(
    "args",
    [
        ["due", "--month", "6"],
        ["report", "--year", "2018"],
        ["list"],
        ["show", "6.2"],
        ["digest"],
        ["assess", "--year", "2018"],
    ],
    ids=lambda args: args[0],
)
def test_read_commands_import_nothing_they_do_not_use(
    args: list[str], tmp_path: Path, current_store: Path
) -> None:
    modules = modules_after(args, tmp_path, current_store)
    assert [p for p in NEVER_ON_READ_PATHS if imported(modules, p)] == []


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
