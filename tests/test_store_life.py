"""The store's life: recognised (an empty database, a damaged or newer schema), made on purpose
(`store init`), created by several first writers at once, and tasks renamed in the plan
(issue 25 items 1, 2, 7; issue 24 items 7, 8)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from planctl.masking import mask_url
from planctl.store.location import StoreLocation
from planctl.store.revision import SCHEMA_REVISION
from tests.conftest import Planctl, Postgres, reset_postgres, snapshot
from tests.smtp import Server

READ_COMMANDS = [
    ["report"],
    ["digest"],
    ["assess"],
    ["due"],
    ["list"],
    ["show", "6.2"],
    ["history"],
    ["points"],
    ["store", "export"],
]


def _no_tables(url: str) -> str:
    shown = mask_url(url)
    return (
        f"planctl: no store at {shown}: the database has none of planctl's tables, so nothing"
        f" has been recorded there; `planctl store init --db {shown}` makes them\n"
    )


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_an_empty_postgresql_database_is_no_store(
    command: list[str], postgres: Postgres, planctl: Planctl
) -> None:
    reset_postgres(postgres.url)
    result = planctl(*command, db=postgres.url)
    assert (result.code, result.out, result.err) == (1, "", _no_tables(postgres.url))
    assert snapshot(postgres.url) == {}


def test_mail_from_an_empty_postgresql_database_sends_nothing(
    postgres: Postgres, planctl: Planctl, smtp_server: Callable[..., Server]
) -> None:
    reset_postgres(postgres.url)
    server = smtp_server()
    env = {
        "PLANCTL_SMTP_HOST": "127.0.0.1",
        "PLANCTL_SMTP_PORT": str(server.port),
        "PLANCTL_MAIL_FROM": "planctl@example.org",
    }
    result = planctl("mail", "--to", "office@example.org", db=postgres.url, env=env)
    assert (result.code, result.out, result.err) == (1, "", _no_tables(postgres.url))
    assert server.recorder.delivered == []
    assert snapshot(postgres.url) == {}


def test_a_recording_command_still_makes_the_schema_of_an_empty_database(
    postgres: Postgres, planctl: Planctl
) -> None:
    reset_postgres(postgres.url)
    assert planctl("done", "6.2", db=postgres.url).code == 0
    report = planctl("report", "--format", "json", db=postgres.url)
    assert (report.code, report.err) == (0, "")


def test_a_sqlite_file_without_tables_is_no_store(tmp_path: Path, planctl: Planctl) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    result = planctl("report", db=empty)
    assert (result.code, result.out) == (1, "")
    assert result.err == f"planctl: no store at {empty}: nothing has been recorded there\n"
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.sqlite3"]


# 25.2: a store made on purpose, and `check` judging the plan alone.


def test_store_init_makes_a_sqlite_store_once(tmp_path: Path, planctl: Planctl) -> None:
    store = tmp_path / "office.sqlite3"
    made = planctl("store", "init", db=store)
    assert (made.code, made.out, made.err) == (
        0,
        f"created the store {store} (schema {SCHEMA_REVISION}, no events)\n",
        "",
    )
    contents = store.read_bytes()
    info = planctl.json("store", "info", db=store)
    assert (info["schema_status"], info["events"]) == ("current", 0)
    again = planctl("store", "init", db=store)
    assert (again.code, again.out, again.err) == (
        0,
        f"the store {store} is already current (schema {SCHEMA_REVISION}); nothing to do\n",
        "",
    )
    assert store.read_bytes() == contents
    assert sorted(p.name for p in tmp_path.iterdir()) == ["office.sqlite3"]
    assert planctl("report", db=store).code == 0


def test_store_init_makes_a_postgresql_store(postgres: Postgres, planctl: Planctl) -> None:
    reset_postgres(postgres.url)
    shown = mask_url(postgres.url)
    made = planctl("store", "init", db=postgres.url)
    assert (made.code, made.out, made.err) == (
        0,
        f"created the store {shown} (schema {SCHEMA_REVISION}, no events)\n",
        "",
    )
    assert snapshot(postgres.url) == {
        "alembic_version": [(SCHEMA_REVISION,)],
        "events": [],
        "plan_versions": [],
    }
    again = planctl("store", "init", db=postgres.url)
    assert again.out == (
        f"the store {shown} is already current (schema {SCHEMA_REVISION}); nothing to do\n"
    )
    report = planctl("report", db=postgres.url)
    assert (report.code, report.err) == (0, "")


def test_store_init_upgrades_an_older_store(tmp_path: Path, planctl: Planctl) -> None:
    from tests.test_migrations import build_at

    store = tmp_path / "old.sqlite3"
    build_at(StoreLocation.parse(str(store)), "0002")
    made = planctl("store", "init", db=store)
    assert (made.code, made.out, made.err) == (
        0,
        f"upgraded the store {store} from schema 0002 to {SCHEMA_REVISION}\n",
        "",
    )
    assert planctl.json("store", "info", db=store)["schema_status"] == "current"


def test_check_with_a_store_not_there_judges_the_plan_alone(
    tmp_path: Path, planctl: Planctl
) -> None:
    missing = tmp_path / "none.sqlite3"
    result = planctl("check", "plans/2018.yaml", db=missing)
    assert (result.code, result.err) == (
        0,
        f"planctl: note: no store at {missing} yet; the plan was checked alone\n",
    )
    assert result.out.startswith("plans/2018.yaml: ok: cppcc-2018 ")
    assert result.out.count("\n") == 1
    assert not missing.exists()
