"""The plan view: `points`, sections and work points with their tasks rolled up."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from planctl.core.progress import TaskRow
from planctl.core.report import point_tallies
from planctl.plan.model import Plan, WorkPoint
from planctl.render import Table, View
from planctl.views.common import ENGLISH, document_heading, plan_label, plan_object


def points_view(
    plan: Plan,
    source: str,
    rows: Iterable[TaskRow],
    *,
    full: bool = False,
    labels: Mapping[str, str] = ENGLISH,
    today: date | None = None,
) -> View:
    """`planctl points`: sections and work points, with done/total of the tasks linked to each."""
    tallies = point_tallies(plan, rows)

    def point_object(point: WorkPoint) -> dict[str, Any]:
        tally = tallies[point.number]
        return {
            "number": point.number,
            "title": point.title,
            "text": point.text,
            "total": tally.total,
            "done": tally.done,
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
    columns = [L["section"], L["point"], L["point_title"], L["done"]]
    columns += [L["text"]] if full else []
    cells = []
    for section in plan.sections:
        for point in section.points:
            tally = tallies[point.number]
            line = [f"{section.number} {section.title}", str(point.number), point.title]
            line.append(f"{tally.done}/{tally.total}")
            cells.append(line + ([point.text] if full else []))
    title = L["points_title"].format(plan=plan_label(plan, source))
    table = Table(title, columns, cells, sheet=L["points"], caption="")
    heading = document_heading(plan, L["points"], L, today)
    return View(data, [table], heading=heading, lang=L["html_lang"])
