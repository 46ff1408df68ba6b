"""The README's front door works: every command line of its Daily use block, run in order
against the 2018 plan as a new user would (the mail line against a real SMTP server)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, run
from tests.smtp import Server


def daily_use_lines() -> list[str]:
    """The command lines of the first sh block under "## Daily use"."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Daily use", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "the Daily use section has an sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_the_daily_use_block_is_what_this_test_runs() -> None:
    lines = daily_use_lines()
    assert len(lines) >= 15
    assert all(line.startswith("planctl ") for line in lines)


def test_every_daily_use_line_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smtp_server: Callable[..., Server]
) -> None:
    server = smtp_server()
    (tmp_path / "plans").symlink_to(REPO / "plans")
    monkeypatch.chdir(tmp_path)
    env = {
        "PLANCTL_TODAY": "2018-06-28",
        "PLANCTL_SMTP_HOST": "127.0.0.1",
        "PLANCTL_SMTP_PORT": str(server.port),
        "PLANCTL_MAIL_FROM": "planctl@example.org",
    }
    for line in daily_use_lines():
        words = shlex.split(line, comments=True)
        output = None
        if ">" in words:  # a shell redirection: `planctl schema > plan.schema.json`
            output = tmp_path / words[words.index(">") + 1]
            words = words[: words.index(">")]
        result = run(*words[1:], env=env)
        assert result.code == 0, f"{line}\n{result.err}"
        if output is not None:
            output.write_text(result.out, encoding="utf-8")
    # the weekly digest, and the --only-if-action one: on 28 June tasks are overdue
    assert len(server.recorder.delivered) == 2
    assert (tmp_path / "2018.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_the_readme_is_a_front_door_and_the_manual_has_the_rest() -> None:
    """Under 15 KB: what planctl is, the two set-up commands, the daily loop, the conventions
    and where to read on; each page it names is in the manual's navigation."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode()) < 15 * 1024
    pages = re.findall(r"\]\(docs/([^)#]+)\)", readme)
    nav = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert len(pages) >= 14
    assert [page for page in pages if page not in nav and page != "index.md"] == []
    assert all((REPO / "docs" / page).exists() for page in pages)
