"""The report view: plan against actual for the year, in the plan's language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from planctl.core.report import Report
from planctl.core.schedule import EVERY_TASK, Selection
from planctl.plan.model import Plan
from planctl.render import Bar, ChartText, View
from planctl.views.cells import step_depths
from planctl.views.headings import (
    bar,
    heading,
    meta_line,
    owner_objects,
    plan_meta,
    selection_object,
    selection_text,
    tally_object,
    year_line,
)
from planctl.views.history import event_object
from planctl.views.objects import plan_object, task_object
from planctl.views.report_tables import report_tables
from planctl.views.task_table import who_columns

__all__ = [
    "bar",
    "heading",
    "meta_line",
    "plan_meta",
    "report_view",
    "selection_object",
    "selection_text",
    "tally_object",
    "who_columns",
    "year_line",
]


def report_view(
    plan: Plan,
    source: str,
    report: Report,
    today: date,
    labels: Mapping[str, str],
    *,
    selection: Selection = EVERY_TASK,
) -> View:
    """`planctl report`: summary, months, sections, points, owners, and the lists that matter."""
    L = labels
    tables = report_tables(plan, report, L, step_depths(plan))
    as_of = f"{L['today']} {today}: {year_line(plan, report.summary, L)}"
    one_year = len({year for (year, _), _ in report.months}) == 1
    chart = [
        Bar(str(month) if one_year else f"{year}-{month:02d}", t.done, t.total, t.overdue)
        for (year, month), t in report.months
    ]
    yr = report.year_round
    subtitle = f"{L['report']}{selection_text(selection, L)}"
    return View(
        report_data(plan, report, today, selection),
        [table for table in tables if table.rows],
        title=f"{plan.title} {subtitle} ({source})",
        lead=" · ".join(part for part in (meta_line(plan, L), as_of) if part),
        chart=[*chart, Bar(L["year_round"], yr.done, yr.total, yr.overdue)],
        chart_text=ChartText(
            L["chart"], L["done"], L["overdue"], L["open"], L["tasks_axis"], L["chart_note"]
        ),
        heading=heading(plan, subtitle, today, L, report.summary),
        every=tables,
        lang=L["html_lang"],
    )


def report_data(plan: Plan, report: Report, today: date, selection: Selection) -> dict[str, Any]:
    """The report as JSON."""
    summary = report.summary
    return {
        "plan": plan_object(plan) | plan_meta(plan),
        "today": today.isoformat(),
        **selection_object(selection),
        "summary": {
            "total": summary.total,
            "done": summary.done,
            "open": summary.open,
            "overdue": summary.overdue,
            "percent": summary.percent,
        },
        "months": [
            {"month": month, "year": year, **tally_object(t)} for (year, month), t in report.months
        ],
        "year_round": tally_object(report.year_round),
        "sections": [
            {"number": n, "title": title, **tally_object(t)} for n, title, t in report.sections
        ],
        "points": [
            {"number": n, "title": title, "total": t.total, "done": t.done}
            for n, title, t in report.points
        ],
        "owners": owner_objects(report.owners),
        "overdue": [task_object(row) for row in report.overdue],
        "deferred": [task_object(row) for row in report.deferred],
        "targets": [task_object(row) for row in report.targets],
        "duties": [task_object(row) for row in report.duties],
        "blocked": [task_object(row) for row in report.blocked],
        "recent": [event_object(event) for event in report.recent],
    }
