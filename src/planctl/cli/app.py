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


app = typer.Typer(
    cls=PlanctlGroup,
    name="planctl",
    help="Track an organisation's annual work plan: what is due, what is done, and reports.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


def main() -> None:
    """The `planctl` console script."""
    app()
