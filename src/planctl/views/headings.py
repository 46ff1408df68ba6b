"""The head of a report or digest: the year in one line, the plan's document number and
dates, what the output was narrowed to, its document heading; and a tally's bar."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from planctl.core.report import Tally, UnitTally
from planctl.core.schedule import Selection
from planctl.plan.model import Plan
from planctl.render import Heading
from planctl.views.cells import names_text
from planctl.views.labels import plural

BAR_WIDTH = 20


def bar(tally: Tally) -> str:
    """A text progress bar, for tables: done share filled."""
    if not tally.total:
        return ""
    filled = BAR_WIDTH * tally.done // tally.total
    return "█" * filled + "░" * (BAR_WIDTH - filled) + f" {tally.percent}%"


def tally_object(tally: Tally) -> dict[str, int]:
    return {"total": tally.total, "done": tally.done, "overdue": tally.overdue}


def year_line(plan: Plan, tally: Tally, labels: Mapping[str, str]) -> str:
    """The one-line summary of the year."""
    return labels["year_line"].format(
        year=plan.year,
        total=tally.total,
        tasks=plural(labels, "task", tally.total),
        done=tally.done,
        open=tally.open,
        overdue=tally.overdue,
        percent=tally.percent,
    )


def plan_meta(plan: Plan) -> dict[str, Any]:
    """The plan's document number, adoption, revisions and review, for a report's header."""
    review = plan.review.isoformat() if isinstance(plan.review, date) else plan.review
    return {
        "document": plan.document,
        "adopted": plan.adopted.isoformat() if plan.adopted else None,
        "revised": [day.isoformat() for day in plan.revised],
        "review": review,
    }


def meta_line(plan: Plan, labels: Mapping[str, str]) -> str:
    """`鞍立政发〔2023〕2号 · 2023-02-10 印发 · 2023-06-30 修订`, or "" for a plan without."""
    meta = plan_meta(plan)
    parts = [meta["document"]] if meta["document"] else []
    if meta["adopted"]:
        parts.append(labels["meta_adopted"].format(day=meta["adopted"]))
    if meta["revised"]:
        parts.append(labels["meta_revised"].format(days=names_text(meta["revised"], labels)))
    if meta["review"]:
        parts.append(labels["meta_review"].format(review=meta["review"]))
    return " · ".join(parts)


def selection_text(selection: Selection, labels: Mapping[str, str]) -> str:
    """` · 市发改委 (牵头单位) · 张三`: what a report or digest was narrowed to, for its title."""
    text = ""
    if selection.owner is not None:
        text += f" · {selection.owner}"
        if selection.role is not None:
            text += f" ({labels[selection.role]})"
    if selection.leader is not None:
        text += f" · {selection.leader}"
    if selection.no_unit:
        text += f" · {labels['no_unit']}"
    return text


def selection_object(selection: Selection) -> dict[str, str | None]:
    return {"owner": selection.owner, "role": selection.role, "leader": selection.leader}


def heading(
    plan: Plan, subtitle: str, today: date, labels: Mapping[str, str], summary: Tally | None
) -> Heading:
    """A document's head: the organisation, the plan, what this is, its number, as of when."""
    meta = plan_meta(plan)
    parts = []
    if meta["adopted"]:
        parts.append(labels["meta_adopted"].format(day=meta["adopted"]))
    if meta["revised"]:
        parts.append(labels["meta_revised"].format(days=names_text(meta["revised"], labels)))
    if meta["review"]:
        parts.append(labels["meta_review"].format(review=meta["review"]))
    return Heading(
        organisation=plan.organisation,
        title=plan.title,
        subtitle=subtitle,
        document=plan.document,
        as_of=f"{labels['today']} {today}",
        meta=" · ".join(parts) or None,
        summary=None if summary is None else year_line(plan, summary, labels),
    )


def owner_objects(owners: Sequence[UnitTally]) -> list[dict[str, Any]]:
    """The JSON of the units table (`"owner": null`: the tasks without a unit)."""
    return [
        {
            "owner": unit.unit,
            **tally_object(unit.led),
            "supported_total": unit.supported.total,
            "supported_done": unit.supported.done,
        }
        for unit in owners
    ]
