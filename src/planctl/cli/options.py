"""Options shared by the commands, each with its PLANCTL_* variable where PRODUCT.md gives one."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import typer

from planctl import frozen
from planctl.cli.completion import complete_leader, complete_owner
from planctl.i18n import _
from planctl.render import Format

if TYPE_CHECKING:
    from planctl.cli.outfile import ReadFile
    from planctl.render import View

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
    """--bom and --table go with --format csv only: elsewhere they are usage errors. (`!=`:
    a command's own format enum, the bulletin's with docx, says csv as Format does.)"""
    if bom and fmt != Format.CSV:
        raise typer.BadParameter(_("--bom goes with --format csv"), param_hint="'--bom'")
    if table is not None and fmt != Format.CSV:
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


# The bundles: the options many commands share reach each command as one object, built here.


@frozen(slots=False)
class PlanChoice:
    """The options every plan command takes: which plan (`--plan`, `--year`), which store
    (`--db`), what day is today (`--today`) and, for a command that shows labels, which
    language (`--lang`). `Session.of` resolves them."""

    plan: str | None = None
    year: int | None = None
    db: str | None = None
    today: str | None = None
    lang: str | None = None


@frozen(slots=False)
class OutputChoice:
    """A read command's output options: `--format`, `-o`, `--bom` and, for a command with
    several tables, `--table`; checked together when they are built (`--bom` and `--table`
    go with csv only)."""

    format: Format
    output: str | None = None
    bom: bool = False
    table: str | None = None

    def show(self, view: View, *, reads: Callable[[], Iterable[ReadFile]] = tuple) -> None:
        """The view, written as these options say (see `planctl.cli.output.show`)."""
        from planctl.cli.output import show

        show(view, self.format, output=self.output, table=self.table, bom=self.bom, reads=reads)


def plan_options(*, lang: bool = True) -> Callable[[Command], Command]:
    """A decorator: the command's keyword-only parameter `where: PlanChoice` becomes the
    options `--plan`, `--year`, `--db`, `--today` (and `--lang` unless `lang=False`), in that
    place of its signature, and reaches the command as one `PlanChoice`."""
    shared: list[tuple[str, object, object]] = [
        ("plan", PlanOption, None),
        ("year", YearOption, None),
        ("db", DbOption, None),
        ("today", TodayOption, None),
    ]
    if lang:
        shared.append(("lang", LangOption, None))
    return _bundle("where", shared, lambda given: PlanChoice(**given))


def output_options(
    *, format: object = None, default: Format = Format.TABLE, table: object = None
) -> Callable[[Command], Command]:
    """A decorator: the command's keyword-only parameter `out: OutputChoice` becomes the
    options `--format`, `-o`, (`--table`, when the command has several tables: its
    `table_choice`) and `--bom`, in that place of its signature, and reaches the command as
    one `OutputChoice`. `format`: the command's own `--format` annotation where its help
    lists the formats in its own order; `default`: the format without `--format`."""
    shared: list[tuple[str, object, object]] = [
        ("format", FormatOption if format is None else format, default),
        ("output", OutputOption, None),
    ]
    if table is not None:
        shared.append(("table", table, None))
    shared.append(("bom", BomOption, False))

    def build(given: dict[str, Any]) -> OutputChoice:
        check_csv_options(given["format"], bom=given["bom"], table=given.get("table"))
        return OutputChoice(**given)

    return _bundle("out", shared, build)


Command = TypeVar("Command", bound=Callable[..., None])


def _bundle(
    name: str, shared: list[tuple[str, object, object]], build: Callable[[dict[str, Any]], object]
) -> Callable[[Command], Command]:
    """The decorator that puts the shared options in the place of the parameter `name` in a
    command's signature (what Typer reads) and hands the command the object `build` makes of
    their values."""

    def decorate(command: Command) -> Command:
        signature = inspect.signature(command, eval_str=True)
        own = list(signature.parameters.values())
        at = next(index for index, param in enumerate(own) if param.name == name)
        added = [
            inspect.Parameter(option, inspect.Parameter.KEYWORD_ONLY, default=default,
                              annotation=annotation)
            for option, annotation, default in shared
        ]  # fmt: skip
        parameters = [*own[:at], *added, *own[at + 1 :]]

        @functools.wraps(command)
        def run(*args: Any, **kwargs: Any) -> None:
            kwargs[name] = build({option: kwargs.pop(option) for option, _, _ in shared})
            command(*args, **kwargs)

        run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        run.__annotations__ = {param.name: param.annotation for param in parameters}
        return cast(Command, run)

    return decorate
