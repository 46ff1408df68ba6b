"""The plan view: `points`, sections and work points with their tasks rolled up."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from planctl.core.progress import TaskRow
from planctl.core.report import point_tallies
from planctl.plan.model import Plan, Section, WorkPoint
from planctl.render import View
from planctl.views import columns
from planctl.views.columns import Spec
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

    def done_text(point: WorkPoint) -> str:
        tally = tallies[point.number]
        return f"{tally.done}/{tally.total}"

    L = labels
    lines = [(section, point) for section in plan.sections for point in section.points]
    specs: list[Spec[tuple[Section, WorkPoint]]] = [
        Spec("section", lambda line: f"{line[0].number} {line[0].title}"),
        Spec("point", lambda line: line[1].number, "count"),
        Spec("point_title", lambda line: line[1].title),
        Spec("done", lambda line: done_text(line[1])),
        *([Spec("text", lambda line: line[1].text)] if full else []),
    ]
    title = L["points_title"].format(plan=plan_label(plan, source))
    table = columns.table(title, specs, lines, L, typed=False, sheet=L["points"], caption="")
    heading = document_heading(plan, L["points"], L, today)
    return View(data, [table], heading=heading, lang=L["html_lang"])
