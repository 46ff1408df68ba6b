"""The bulletin (通报): every task against where it should be by now, per unit, the returns
late or missing, praise and urging."""

from __future__ import annotations

import enum
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer

from planctl.cli.options import (
    OutputChoice,
    PlanChoice,
    _month_syntax,
    output_options,
    plan_options,
    table_choice,
)
from planctl.cli.registry import command
from planctl.cli.session import Session
from planctl.errors import BadValue
from planctl.render import Format
from planctl.views.names import BULLETIN_TABLES

if TYPE_CHECKING:
    from planctl.core.returns import Cycle
    from planctl.render import View


class BulletinFormat(enum.StrEnum):
    """The read commands' formats and docx."""

    TABLE = "table"
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    HTML = "html"
    XLSX = "xlsx"
    PDF = "pdf"
    DOCX = "docx"


BulletinFormatOption = Annotated[
    BulletinFormat,
    typer.Option(
        "--format",
        "-f",
        help="table, text, json, markdown, csv, html, xlsx, pdf or docx.",
        case_sensitive=False,
    ),
]
BulletinTable = Annotated[str | None, table_choice("bulletin", BULLETIN_TABLES)]
BulletinMonthOption = Annotated[
    str | None,
    typer.Option(
        "--month",
        "-m",
        help='The month whose return cycle is judged: 1-12, or "YYYY-MM" [default: the'
        " current cycle].",
        callback=_month_syntax,
    ),
]
CycleOption = Annotated[
    str | None,
    typer.Option(
        "--cycle",
        help="The return cycle whose returns are judged: 2018-06 or 2018-Q2 [default: the"
        " one due next, or holding today].",
    ),
]


@command
@plan_options()
@output_options(format=BulletinFormatOption, table=BulletinTable)
def bulletin(
    month: BulletinMonthOption = None,
    cycle: CycleOption = None,
    *,
    where: PlanChoice,
    out: OutputChoice,
) -> None:
    """The bulletin (通报): every task against where it should be by now (序时进度), by unit;
    the units whose return was late or missing; praise and urging; the rule at the end."""
    from planctl.cli.assess_commands import configured_weights
    from planctl.core.bulletin import bulletin as classed
    from planctl.views.bulletin import bulletin_view

    if month is not None and cycle is not None:
        raise typer.BadParameter("--month and --cycle choose the same thing: give one")
    session = Session.of(where)
    session.period  # noqa: B018 - says once on stderr when --today is outside the plan's period
    chosen = _judged_cycle(session, month, cycle)
    filings = None
    if chosen is not None:
        from planctl.core.returns import unit_filings
        from planctl.core.units import filing_units

        with session.reading() as store:
            filed = store.filed_returns(session.plan.id)
        units = dict.fromkeys(filing_units(session.plan), 0)
        filings = unit_filings(chosen, units, filed, session.today)
    margin = session.supervision.behind_margin
    result = classed(session.rows.values(), session.today, margin, cycle=chosen, filings=filings)
    weights = configured_weights(session)  # the scoring rules, printed last
    view = bulletin_view(
        session.plan, session.source, result, session.today, session.labels, weights
    )
    _show(view, out, session=session)


def _judged_cycle(session: Session, month: str | None, cycle: str | None) -> Cycle | None:
    """The return cycle whose returns are judged: `--cycle`'s, the one holding `--month`,
    else the current one; None for a plan without `returns:` (where either option is an
    error: there are no returns to judge)."""
    from planctl.core.returns import current_cycle, cycle_named, plan_cycles

    if session.plan.returns is None and month is None and cycle is None:
        return None
    cycles = plan_cycles(session.plan)  # NoReturns for a plan without returns:
    if cycle is not None:
        return cycle_named(cycles, cycle)
    if month is not None:
        from datetime import date

        from planctl.rules.calendar import month_end

        year, number = session.month(month)
        first, last = date(year, number, 1), month_end(year, number)
        for each in cycles:
            if each.start <= last and first <= each.end:
                return each
        raise BadValue(f"no return cycle holds the month {year}-{number:02d}")
    return current_cycle(cycles, session.today)


def _show(view: View, out: OutputChoice, *, session: Session) -> None:
    """Every format as the read commands write it; docx as bytes, like xlsx and pdf."""
    if BulletinFormat(out.format) is not BulletinFormat.DOCX:
        replace(out, format=Format(out.format)).show(view, reads=session.files_read)
        return
    from planctl.cli.output import write_bytes
    from planctl.render.docx import docx_bytes

    write_bytes("docx", lambda: docx_bytes(view), out.output, session.files_read)
