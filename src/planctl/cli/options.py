"""Options shared by the commands, each with its PLANCTL_* variable where PRODUCT.md gives one."""

from __future__ import annotations

from typing import Annotated

import typer

from planctl.cli.completion import complete_leader, complete_owner
from planctl.i18n import _
from planctl.render import Format

PlanOption = Annotated[
    str | None,
    typer.Option("--plan", envvar="PLANCTL_PLAN", help="Plan file [default: plans/<year>.yaml]."),
]
YearOption = Annotated[
    int | None, typer.Option("--year", help="Use plans/<YEAR>.yaml [default: this year's].")
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="PLANCTL_DB",
        help="Store: a SQLite file or a SQLAlchemy URL [default: in the user data directory].",
    ),
]
TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today",
        envvar="PLANCTL_TODAY",
        help="Take this date (YYYY-MM-DD) as today.",
        show_default=False,
    ),
]
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output", "-o", help="Write to this file (xlsx and pdf: a file or a pipe).",
        show_default=False,
    ),
]  # fmt: skip
BomOption = Annotated[
    bool, typer.Option("--bom", help="csv: begin with a UTF-8 byte-order mark, for Excel.")
]


def check_csv_options(fmt: Format, *, bom: bool, table: str | None = None) -> None:
    """--bom and --table go with --format csv only: elsewhere they are usage errors."""
    if bom and fmt is not Format.CSV:
        raise typer.BadParameter(_("--bom goes with --format csv"), param_hint="'--bom'")
    if table is not None and fmt is not Format.CSV:
        raise typer.BadParameter(_("--table goes with --format csv"), param_hint="'--table'")


def table_choice(command: str, keys: tuple[str, ...]) -> object:
    """A `--table NAME` option for a command whose tables are `keys` (the first is csv's)."""

    def check(value: str | None) -> str | None:
        if value is not None and value.strip().lower() not in keys:
            raise typer.BadParameter(
                _("{value} is not a table of {command}: {tables}").format(
                    value=repr(value), command=command, tables=", ".join(keys)
                )
            )
        return None if value is None else value.strip().lower()

    return typer.Option(
        "--table", help=f"csv: the table to write, one of {', '.join(keys)} [default: {keys[0]}].",
        callback=check, show_default=False,
    )  # fmt: skip


OwnerOption = Annotated[
    str | None,
    typer.Option(
        "--owner", help="Only tasks this unit leads or supports.", autocompletion=complete_owner
    ),
]


def _role_syntax(value: str | None) -> str | None:
    if value is not None and value not in ("lead", "support"):
        raise typer.BadParameter(
            _("{value} is not a role: write lead or support").format(value=repr(value))
        )
    return value


RoleOption = Annotated[
    str | None,
    typer.Option(
        "--role", help="With --owner: only the tasks it leads, or supports.", callback=_role_syntax
    ),
]
LeaderOption = Annotated[
    str | None,
    typer.Option(
        "--leader", help="Only tasks this person answers for.", autocompletion=complete_leader
    ),
]


def _month_syntax(value: str | None) -> str | None:
    """A month written as 1-12 or "YYYY-MM" (whether the plan's period holds it is checked
    once the plan is loaded); anything else is a usage error."""
    from planctl.rules.calendar import BadMonth, parse_month

    if value is not None:
        try:
            parse_month(value.strip())
        except BadMonth as error:
            raise typer.BadParameter(str(error)) from None
    return value


MonthOption = Annotated[
    str | None,
    typer.Option(
        "--month",
        "-m",
        help='A month of the plan: 1-12, or "YYYY-MM" [default: now].',
        callback=_month_syntax,
    ),
]


def _language(value: str | None) -> str | None:
    """zh or en, in any case; anything else is a usage error."""
    from planctl.views.labels import LANGUAGES

    if value is None:
        return None
    if value.strip().lower() not in LANGUAGES:
        raise typer.BadParameter(
            _("{value} is not one of {languages}").format(
                value=repr(value), languages=", ".join(LANGUAGES)
            )
        )
    return value.strip().lower()


LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang", help="Labels in zh or en [default: the plan's language].", callback=_language
    ),
]
