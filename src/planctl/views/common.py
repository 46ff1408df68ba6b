"""Pieces every view shares: how output names the plan and heads a document; and, by name as
before they were split by idea, the JSON objects (`objects`), a task's cells (`cells`) and the
table of tasks (`task_table`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from planctl.plan.model import Plan
from planctl.render import Heading
from planctl.views.cells import (
    COMPARE_MARKS,
    ENGLISH,
    EVERY_LABEL,
    MISSED_NAMED,
    NO_STEPS,
    PERIOD_UNITS,
    action_text,
    id_text,
    light_text,
    missed_text,
    month_text,
    names_leaders,
    names_text,
    number_text,
    roles_text,
    row_class,
    status_text,
    status_word,
    step_depths,
    target_text,
    unit_text,
    value_text,
)
from planctl.views.objects import json_number, plan_object, report_object, task_object
from planctl.views.task_table import count_footer, task_cells, task_grid, task_table

__all__ = [
    "COMPARE_MARKS",
    "ENGLISH",
    "EVERY_LABEL",
    "MISSED_NAMED",
    "NO_STEPS",
    "PERIOD_UNITS",
    "action_text",
    "count_footer",
    "document_heading",
    "id_text",
    "json_number",
    "light_text",
    "missed_text",
    "month_text",
    "names_leaders",
    "names_text",
    "number_text",
    "plan_label",
    "plan_object",
    "report_object",
    "roles_text",
    "row_class",
    "status_text",
    "status_word",
    "step_depths",
    "target_text",
    "task_cells",
    "task_grid",
    "task_object",
    "task_table",
    "unit_text",
    "value_text",
]


def plan_label(plan: Plan, source: str) -> str:
    """How output names the plan it used: its title and the file it came from."""
    return f"{plan.title} ({source})"


def document_heading(
    plan: Plan, subtitle: str, labels: Mapping[str, str], today: date | None = None
) -> Heading:
    """The heading of a printed list (html, pdf, a workbook's title row and page header): who
    issues it, the plan and what this is, as of when; never the plan's file."""
    return Heading(
        organisation=plan.organisation,
        title=plan.title,
        subtitle=subtitle,
        document=plan.document,
        as_of=None if today is None else f"{labels['today']} {today}",
    )
