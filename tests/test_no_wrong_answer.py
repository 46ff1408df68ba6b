"""No wrong answer with exit 0 (issue 13): an owner the plan does not have, and a store that is
not there, are errors, never an empty report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import empty_store, run
from tests.smtp import Server

TODAY = ["--today", "2018-06-15"]
UNKNOWN = "planctl: cppcc-2018 中没有单位 '提案'(单位:宣教科, 提案科, 经建科)\n"


@pytest.mark.parametrize("command", [["digest"], ["list"], ["due"]])
def test_an_owner_the_plan_does_not_have_is_an_error(command: list[str], tmp_path: Path) -> None:
    db = empty_store(str(tmp_path / "s.sqlite3"))
    result = run(*command, "--owner", "提案", "--db", db, *TODAY)
    assert (result.code, result.out, result.err) == (1, "", UNKNOWN)


def test_an_owner_is_compared_as_references_are(tmp_path: Path) -> None:
    db = empty_store(str(tmp_path / "s.sqlite3"))
    spaced = run("list", "--owner", " 提案 科 ", "--db", db, *TODAY, "--format", "csv")
    exact = run("list", "--owner", "提案科", "--db", db, *TODAY, "--format", "csv")
    assert spaced.code == exact.code == 0
    assert spaced.out == exact.out
    assert [line.split(",")[0] for line in spaced.out.splitlines()[1:]] == [
        "3.3", "5.1", "7.1", "10.2",
    ]  # fmt: skip


def test_mail_per_owner_checks_every_recipient_before_sending(
    tmp_path: Path, smtp_server: Callable[..., Server]
) -> None:
    server = smtp_server()
    config = tmp_path / "config.toml"
    config.write_text(
        '[recipients]\n"经建科" = ["jj@example.org"]\n"提案" = ["ta@example.org"]\n',
        encoding="utf-8",
    )
    db = empty_store(str(tmp_path / "s.sqlite3"))
    env = {
        "PLANCTL_CONFIG": str(config),
        "PLANCTL_SMTP_HOST": "127.0.0.1",
        "PLANCTL_SMTP_PORT": str(server.port),
        "PLANCTL_MAIL_FROM": "planctl@example.org",
    }
    result = run("mail", "--per-owner", "--db", db, *TODAY, env=env)
    assert (result.code, result.out, result.err) == (1, "", UNKNOWN)
    assert server.recorder.delivered == []


@pytest.mark.parametrize("command", [["due"], ["report"], ["digest"], ["history"], ["list"]])
def test_a_store_that_was_named_and_is_not_there(command: list[str], tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such.sqlite3"
    result = run(*command, "--db", str(missing), *TODAY)
    assert (result.code, result.out) == (1, "")
    assert result.err == f"planctl: {missing} 没有存储:那里还没有任何记录\n"
    assert not missing.parent.exists()


@pytest.mark.parametrize("command", [["report"], ["digest"]])
def test_a_report_of_a_default_store_that_is_not_there_is_refused(
    command: list[str], isolated: Path
) -> None:
    default = isolated / "xdg-data" / "planctl" / "planctl.sqlite3"
    result = run(*command, *TODAY)
    assert (result.code, result.out) == (1, "")
    assert result.err == f"planctl: {default} 没有存储:那里还没有任何记录\n"


@pytest.mark.parametrize("command", [["due"], ["list"], ["show", "6.2"], ["points"]])
def test_a_new_users_agenda_goes_on_with_a_note(command: list[str], isolated: Path) -> None:
    default = isolated / "xdg-data" / "planctl" / "planctl.sqlite3"
    result = run(*command, *TODAY)
    assert result.code == 0
    assert result.out
    assert result.err == f"planctl: 尚无任何记录({default} 没有存储)\n"
    assert not default.exists()
