"""Commands for the committee and for cron: report and digest."""

from __future__ import annotations

from typing import Annotated

import typer

from planctl import settings
from planctl.cli import shell
from planctl.cli.options import (
    DbOption,
    LangOption,
    OwnerOption,
    PlanOption,
    TodayOption,
    YearOption,
)
from planctl.render import Format

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
    from planctl.core.progress import assess
    from planctl.core.report import year_report
    from planctl.core.state import states
    from planctl.views.report import report_view

    day = settings.today(today)
    loaded = shell.load(plan, year, today)
    events = shell.read_events(db, loaded.plan)
    rows = list(assess(loaded.plan, states(events), day).values())
    labels = shell.labels_for(loaded.plan, lang)
    result = year_report(loaded.plan, rows, events)
    shell.show(report_view(loaded.plan, loaded.source, result, day, labels), format)


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
    view, _ = shell.digest_view_for(plan, year, db, today, lang, days, owner)
    shell.show(view, format)


COMMANDS = {"report": report, "digest": digest}
