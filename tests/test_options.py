"""The options many commands share, walked through Typer's public API: each read command has
the whole output bundle, each plan command the plan bundle, and a shared option is the same
option (names, help, default, variable) wherever it appears."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer.main

from planctl.cli.registry import whole_app
from planctl.render import Format


def commands() -> Iterator[tuple[str, Any]]:
    """Every command of the app, by its full name (`store info`), as Click builds it."""

    def walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
        below = getattr(command, "commands", None)
        if below is None:
            yield " ".join(path), command
            return
        for name, sub in below.items():
            yield from walk(sub, (*path, name))

    yield from walk(typer.main.get_command(whole_app()), ())


COMMANDS = dict(commands())


def options(command: Any) -> list[str]:
    return [param.name for param in command.params]


def is_read_command(command: Any) -> bool:
    """A command that shows a view: its --format offers the view formats."""
    return any(param.name == "format" and isinstance(param.default, Format)
               for param in command.params)  # fmt: skip


READ_COMMANDS = [
    "points", "list", "show", "due", "pending", "history", "report", "digest", "assess",
    "bulletin",
    "store info", "returns status",
]  # fmt: skip
SEVERAL_TABLES = ["report", "digest", "assess", "bulletin"]


def test_the_read_commands_are_the_ones_showing_views() -> None:
    assert [name for name, command in COMMANDS.items() if is_read_command(command)] == (
        READ_COMMANDS
    )


@pytest.mark.parametrize("name", READ_COMMANDS)
def test_a_read_command_has_the_whole_output_bundle(name: str) -> None:
    """--format, -o, (--table, where the command has several tables) and --bom, together and
    in that order, at the end of its options (`store info` had no -o and no --bom)."""
    bundle = ["format", "output", "table", "bom"] if name in SEVERAL_TABLES else [
        "format", "output", "bom"
    ]  # fmt: skip
    assert options(COMMANDS[name])[-len(bundle) :] == bundle


PLAN_BUNDLE = ["plan", "year", "db", "today"]


def test_a_plan_command_has_the_plan_bundle() -> None:
    """Every command taking --plan takes --plan, --year, --db and --today together, and
    --lang after them where it shows labels (every read command does)."""
    for name, command in COMMANDS.items():
        names = options(command)
        if "plan" not in names:
            assert name not in READ_COMMANDS or name == "store info", name
            continue
        at = names.index("plan")
        assert names[at : at + 4] == PLAN_BUNDLE, name
        if name in READ_COMMANDS:
            assert names[at + 4] == "lang", name


def description(param: Any) -> tuple[object, ...]:
    """What a user sees of an option: its names, help, default, variable, metavar, whether
    the default is shown, and the callback that checks its value."""
    callback = getattr(param.callback, "__qualname__", None)
    return (
        tuple(param.opts), tuple(param.secondary_opts), param.help, param.default,
        param.envvar, param.metavar, param.show_default, callback,
    )  # fmt: skip


SHARED = ["plan", "year", "db", "today", "lang", "output", "bom"]
OWN_FORMAT_HELP = {"report", "digest", "assess", "bulletin"}
"""Their --format help lists the formats in their own order (digest's default is text; the
bulletin's adds docx)."""


OWN = {"year": {"import", "new"}, "output": {"export", "import", "new", "returns make"}}
"""Options of the same name that are a command's own: the year of the plan `import` and `new`
make, the file `export`, `import` and `new` write and the directory of `returns make`."""


@pytest.mark.parametrize("option", SHARED)
def test_a_shared_option_is_the_same_wherever_it_appears(option: str) -> None:
    seen = {
        name: description(param)
        for name, command in COMMANDS.items()
        for param in command.params
        if param.name == option and name not in OWN.get(option, set())
    }
    assert len(seen) >= 6, seen
    assert len(set(seen.values())) == 1, seen
    for name in OWN.get(option, set()):  # an exception that is no longer one goes
        assert option in options(COMMANDS[name]), name


def test_format_is_the_same_option_wherever_a_view_is_shown() -> None:
    formats = {
        name: param
        for name, command in COMMANDS.items()
        for param in command.params
        if param.name == "format" and name in READ_COMMANDS
    }
    assert {(tuple(p.opts), tuple(p.secondary_opts)) for p in formats.values()} == {
        (("--format", "-f"), ())
    }
    plain = {description(p) for name, p in formats.items() if name not in OWN_FORMAT_HELP}
    assert len(plain) == 1
    assert next(iter(plain))[2:4] == ("Output format.", Format.TABLE)
    assert formats["digest"].default is Format.TEXT


def test_no_command_passes_the_plan_options_one_by_one() -> None:
    """A command opens its session from its `PlanChoice` (`Session.of`); only completion,
    which has Click's raw parameters of the command being typed, builds one from them."""
    from tests.conftest import REPO

    cli = REPO / "src" / "planctl" / "cli"
    one_by_one = [
        path.name
        for path in sorted(cli.glob("*.py"))
        if "Session(plan=" in "".join(path.read_text(encoding="utf-8").split())
    ]
    assert one_by_one == ["completion.py"]
