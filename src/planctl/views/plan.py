"""The plan view: `points`, sections and work points with their tasks rolled up."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from planctl.core.progress import assess
from planctl.core.state import TaskState
from planctl.plan.model import Plan, WorkPoint
from planctl.render import Table, View
from planctl.views.common import ENGLISH, plan_label, plan_object


def _point_totals(
    plan: Plan, states: Mapping[str, TaskState], today: date
) -> dict[int, tuple[int, int]]:
    totals: dict[int, tuple[int, int]] = {point.number: (0, 0) for point in plan.points}
    for row in assess(plan, states, today).values():
        for number in row.task.points:
            total, finished = totals[number]
            totals[number] = (total + 1, finished + row.done)
    return totals


def points_view(
    plan: Plan,
    source: str,
    states: Mapping[str, TaskState],
    today: date,
    *,
    full: bool = False,
    labels: Mapping[str, str] = ENGLISH,
) -> View:
    """`planctl points`: sections and work points, with done/total of the tasks linked to each."""
    totals = _point_totals(plan, states, today)

    def point_object(point: WorkPoint) -> dict[str, Any]:
        total, done = totals[point.number]
        return {
            "number": point.number,
            "title": point.title,
            "text": point.text,
            "total": total,
            "done": done,
        }

    data = {
        "plan": plan_object(plan),
        "sections": [
            {
                "number": section.number,
                "title": section.title,
                "points": [point_object(point) for point in section.points],
            }
            for section in plan.sections
        ],
    }
    L = labels
    columns = [L["section"], L["point"], L["title"], L["done"]] + ([L["text"]] if full else [])
    rows = []
    for section in plan.sections:
        for point in section.points:
            total, done = totals[point.number]
            cells = [f"{section.number} {section.title}", str(point.number), point.title]
            cells.append(f"{done}/{total}")
            rows.append(cells + ([point.text] if full else []))
    table = Table(L["points_title"].format(plan=plan_label(plan, source)), columns, rows)
    return View(data, [table])
