"""Commands for the committee and for cron: report and digest."""

from __future__ import annotations

from typing import Annotated

import typer

from planctl.cli.options import (
    DbOption,
    LangOption,
    OwnerOption,
    PlanOption,
    TodayOption,
    YearOption,
)
from planctl.cli.output import show
from planctl.cli.session import Session
from planctl.errors import BadValue
from planctl.render import Format, View

ReportFormat = Annotated[
    Format,
    typer.Option(
        "--format", "-f", help="table, json, markdown, csv or html.", case_sensitive=False
    ),
]
DigestFormat = Annotated[
    Format,
    typer.Option("--format", "-f", help="text, markdown, html or json.", case_sensitive=False),
]
DaysOption = Annotated[int, typer.Option("--days", help="Work done in the last N days.")]


def report(
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
    lang: LangOption = None,
    format: ReportFormat = Format.TABLE,
) -> None:
    """Plan against actual for the year: summary, months, sections, points, owners, lists."""
    from planctl.core.report import year_report
    from planctl.views.report import report_view

    session = Session(plan=plan, year=year, db=db, today=today, lang=lang, records="required")
    result = year_report(session.plan, list(session.rows.values()), session.events)
    show(report_view(session.plan, session.source, result, session.today, session.labels), format)


def digest(
    days: DaysOption = 7,
    owner: OwnerOption = None,
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
    lang: LangOption = None,
    format: DigestFormat = Format.TEXT,
) -> None:
    """The weekly status: done lately, open this month, overdue, next month, the year."""
    session = Session(plan=plan, year=year, db=db, today=today, lang=lang, records="required")
    show(digest_view_for(session, days, owner), format)


def digest_view_for(session: Session, days: int, owner: str | None) -> View:
    """The digest as `digest` prints it and `mail` sends it: the last `days` days, of the
    tasks `owner` owns (all tasks when None)."""
    from planctl.core.report import digest
    from planctl.core.schedule import owned_rows
    from planctl.views.digest import digest_view

    if days < 1:
        raise BadValue(f"--days must be 1 or more, not {days}")
    owner = session.owner(owner)
    rows = owned_rows(session.rows.values(), owner)
    result = digest(rows, session.events, session.today, days)
    return digest_view(session.plan, result, session.today, days, session.labels, owner=owner)
