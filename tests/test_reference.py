"""The manual's command reference is every command's `--help`, checked in: a changed help text
shows up as a change to docs/reference/cli.md, reviewed like any other."""

from __future__ import annotations

import os

from planctl.cli.reference import command_reference, subcommands
from tests.conftest import REPO

REFERENCE = REPO / "docs" / "reference" / "cli.md"


def test_the_checked_in_reference_matches_the_commands() -> None:
    made = command_reference()
    if os.environ.get("PLANCTL_TEST_UPDATE_GOLDEN"):
        REFERENCE.write_text(made, encoding="utf-8")
    assert REFERENCE.read_text(encoding="utf-8") == made, (
        "docs/reference/cli.md is out of date: python -m planctl.cli.reference > "
        "docs/reference/cli.md (and read the diff)"
    )


def test_every_command_and_group_has_a_section() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    sections = [line[4:-1] for line in text.splitlines() if line.startswith("## `")]
    assert sections[:3] == ["planctl", "planctl check", "planctl schema"]
    assert {"planctl store export", "planctl config show", "planctl done"} <= set(sections)
    assert subcommands("Usage: x\n\nCommands:\n  path  Where.\n  show  What.\n") == ["path", "show"]
