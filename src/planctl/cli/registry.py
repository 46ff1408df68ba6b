"""The Typer application: commands, and the one place errors become messages and exit codes."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

from planctl.errors import BadRequest, PlanctlError


class PlanctlGroup(TyperGroup):
    """Turns a `PlanctlError` from any command into its message on stderr and exit code 1."""

    def main(self, args: Any = None, *rest: Any, **options: Any) -> Any:
        # The language is chosen before Click parses anything (planctl.cli.language).
        from planctl.cli import language, translate

        language.begin(sys.argv[1:] if args is None else args)
        translate.install()
        return super().main(args, *rest, **options)

    def invoke(self, ctx: Any) -> Any:
        from planctl.cli import collector

        collector.settle()  # the modules and the command, kept out of the collector's scans
        try:
            return super().invoke(ctx)
        except PlanctlError as raised:
            error = raised
            if isinstance(raised, BadRequest):  # a part of a request, named by its option
                from planctl.cli.recording import worded

                error = worded(raised)
            for line in error.lines():
                sys.stderr.write(line + "\n")
            raise typer.Exit(1) from None
        except Exception as error:
            # Typer's own exceptions (usage errors, Exit, Abort) carry their exit code.
            # A closed pipe (`planctl report | head`) ends quietly in Typer's own handler.
            broken_pipe = isinstance(error, BrokenPipeError)
            if broken_pipe or hasattr(error, "exit_code") or os.environ.get("PLANCTL_TRACEBACK"):
                raise
            from planctl.i18n import _

            said = _(
                "unexpected error: {kind}: {error} (a bug; run with PLANCTL_TRACEBACK=1 for the"
                " traceback)"
            )
            sys.stderr.write(f"planctl: {said.format(kind=type(error).__name__, error=error)}\n")
            raise typer.Exit(1) from None


def _new_app() -> typer.Typer:
    return typer.Typer(
        cls=PlanctlGroup,
        name="planctl",
        help="Track an organisation's annual work plan: what is due, what is done, and reports.",
        no_args_is_help=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


COMMAND_MODULES = (
    "plan_commands", "progress_commands", "recording_commands", "chase_commands",
    "report_commands", "assess_commands", "bulletin_commands", "mail_commands",
    "office_commands",
)  # fmt: skip
"""The modules of the top-level commands (in `planctl.cli`), in the order `planctl --help`
lists them; each module's commands in the order it defines them, each marked `@command`."""

F = TypeVar("F", bound=Callable[..., Any])


def command(function: F) -> F:
    """Marks a function of a `COMMAND_MODULES` module as a planctl command, named as the
    function (without a trailing `_`: `list_` is `list`). The registry finds it by this line
    of its module's source, without importing the module, so that a new command in one of
    those modules needs nothing here and the one-command fast path still imports only its
    own module."""
    MARKED.append((function.__module__, function.__name__))
    return function


MARKED: list[tuple[str, str]] = []
"""(module, function) of each function marked `@command` in the modules imported so far."""


def _commands() -> dict[str, tuple[str, str]]:
    """Every command: name -> (module in planctl.cli, function), in `COMMAND_MODULES` order,
    read from the modules' sources: each `@command` line, then the next function after it
    (below its other decorators). Bytes and `find`, not a regular expression: a third of a
    millisecond for all of them (`tests/test_shell.py` checks it against the functions
    marked `@command` once the modules are imported)."""
    here = Path(__file__).parent
    found: dict[str, tuple[str, str]] = {}
    for module in COMMAND_MODULES:
        try:
            source = (here / f"{module}.py").read_bytes()
        except OSError:  # installed without its sources: import the modules, read the marks
            return _imported_commands()
        at = source.find(b"\n@command\n")
        while at >= 0:
            start = source.index(b"\ndef ", at) + len(b"\ndef ")
            end = source.index(b"(", start)
            function = source[start:end].decode("ascii")
            found[function.rstrip("_")] = (module, function)
            at = source.find(b"\n@command\n", end)
    return found


def _imported_commands() -> dict[str, tuple[str, str]]:
    """Every command, from the functions marked `@command` once every module is imported."""
    for module in COMMAND_MODULES:
        importlib.import_module(f"planctl.cli.{module}")
    prefix = len("planctl.cli.")
    return {function.rstrip("_"): (module[prefix:], function) for module, function in MARKED}


COMMANDS = _commands()
"""The one registry of commands: name -> (module in planctl.cli, function). The whole app and
the one-command fast path are both built from it, so a command cannot be in one and not the
other."""

GROUPS: dict[str, tuple[str, str]] = {
    "config": ("mail_commands", "config_app"),
    "store": ("store_commands", "store_app"),
    "returns": ("returns_commands", "returns_app"),
}
"""Command groups: name -> (module, its Typer app)."""


def _attribute(module_name: str, attribute: str) -> Any:
    return getattr(importlib.import_module(f"planctl.cli.{module_name}"), attribute)


def whole_app() -> typer.Typer:
    """Every command and group."""
    whole = _new_app()
    whole.callback()(_root)
    for name, (module_name, function) in COMMANDS.items():
        whole.command(name)(_attribute(module_name, function))
    for name, (module_name, group) in GROUPS.items():
        whole.add_typer(_attribute(module_name, group), name=name)
    return whole


def app_for(argv: list[str]) -> typer.Typer:
    """The app to run for these arguments: just the command or group they name, when they
    name one.

    Typer turns every registered command into a Click command, with its parameters, on every
    run; building one instead of thirty is a measurable share of a command's start-up (5 ms
    against 50 ms). Anything else (no command, --help, completion) gets the whole app."""
    name = argv[1] if len(argv) > 1 else ""
    completing = any(key.startswith("_PLANCTL_COMPLETE") for key in os.environ)
    if completing or (name not in COMMANDS and name not in GROUPS):
        return whole_app()
    one = _new_app()
    one.callback()(_root)  # a group, as the whole app is: `planctl NAME ...` parses alike
    if name in GROUPS:
        one.add_typer(_attribute(*GROUPS[name]), name=name)
    else:
        one.command(name)(_attribute(*COMMANDS[name]))
    return one


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        from planctl import DISTRIBUTION

        sys.stdout.write(f"planctl {version(DISTRIBUTION)}\n")
        raise typer.Exit()


def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            help="Print planctl's version and exit.",
            is_eager=True,
            callback=_print_version,
        ),
    ] = False,
) -> None:
    """Track an organisation's annual work plan: what is due, what is done, and reports."""


def main() -> None:
    """The `planctl` console script."""
    if sys.stdout is None:  # started with stdout closed (`planctl done 6.2 >&-`)
        sys.stdout = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115 - for the run
    app_for(sys.argv)()


def console_script() -> None:
    """`main()`, then the process ends without tearing the interpreter down.

    A command is over when `main()` returns: its store is closed (a server's connection is
    closed here: `planctl.store.engines` keeps it for the process), its files are closed, and
    every line it printed has been flushed (planctl.cli.output). What the interpreter does at
    exit after that (a last garbage collection, freeing every module's objects) is a fifth of
    the CPU time of a short command, spent on nothing the user sees. So the streams are
    flushed and the process exits at once with the command's exit code; if a flush fails, or
    the exit code is not a number, Python ends the process in its usual way."""
    from planctl.cli import collector

    collector.pause()
    try:
        main()
        code: str | int | None = 0
    except SystemExit as leaving:
        code = leaving.code
    if code is None:
        code = 0
    engines = sys.modules.get("planctl.store.engines")  # not imported by a read of SQLite
    if engines is not None:
        engines.close_server_connections()  # ended as a client should, not dropped
    if isinstance(code, int):
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        else:
            os._exit(code)
    sys.exit(code)
