"""The Typer application: commands, and the one place errors become messages and exit codes."""

from __future__ import annotations

import os
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from planctl.errors import PlanctlError


class PlanctlGroup(TyperGroup):
    """Turns a `PlanctlError` from any command into its message on stderr and exit code 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except PlanctlError as error:
            for line in error.lines():
                sys.stderr.write(line + "\n")
            raise typer.Exit(1) from None
        except Exception as error:
            # Typer's own exceptions (usage errors, Exit, Abort) carry their exit code.
            # A closed pipe (`planctl report | head`) ends quietly in Typer's own handler.
            broken_pipe = isinstance(error, BrokenPipeError)
            if broken_pipe or hasattr(error, "exit_code") or os.environ.get("PLANCTL_TRACEBACK"):
                raise
            sys.stderr.write(
                f"planctl: unexpected error: {type(error).__name__}: {error}"
                " (a bug; run with PLANCTL_TRACEBACK=1 for the traceback)\n"
            )
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


app = _new_app()

COMMAND_MODULES = {
    **dict.fromkeys(["check", "schema", "points", "list", "show", "export"], "plan_commands"),
    **dict.fromkeys(["due", "done", "undo", "note", "defer", "history"], "progress_commands"),
    **dict.fromkeys(["report", "digest"], "report_commands"),
    "mail": "mail_commands",
}
"""Which module holds each top-level command, so that a run can build only the one it runs."""


def _register() -> None:
    from planctl.cli import (
        mail_commands,
        plan_commands,
        progress_commands,
        report_commands,
        store_commands,
    )

    for module in (plan_commands, progress_commands, report_commands, mail_commands):
        for name, command in module.COMMANDS.items():
            app.command(name)(command)
    for name, group in {**mail_commands.TYPERS, **store_commands.TYPERS}.items():
        app.add_typer(group, name=name)


_register()


def app_for(argv: list[str]) -> typer.Typer:
    """The app to run for these arguments: just the command they name, when they name one.

    Typer turns every registered command into a Click command, with its parameters, on every
    run; building one instead of twenty is a measurable share of a command's start-up.
    Anything else (no command, --help, completion, a command group) gets the whole app."""
    name = argv[1] if len(argv) > 1 else ""
    module_name = COMMAND_MODULES.get(name)
    if module_name is None or any(key.startswith("_PLANCTL_COMPLETE") for key in os.environ):
        return app
    import importlib

    module = importlib.import_module(f"planctl.cli.{module_name}")
    one = _new_app()
    one.callback()(_no_options)  # a group, as the whole app is: `planctl NAME ...` parses alike
    one.command(name)(module.COMMANDS[name])
    return one


def _no_options() -> None:
    """Track an organisation's annual work plan: what is due, what is done, and reports."""


def main() -> None:
    """The `planctl` console script."""
    app_for(sys.argv)()
