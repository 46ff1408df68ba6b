"""The store's life: recognised (an empty database, a damaged or newer schema), made on purpose
(`store init`), created by several first writers at once, and tasks renamed in the plan
(issue 25 items 1, 2, 7; issue 24 items 7, 8)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from planctl.masking import mask_url
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
