"""The assessment's tables of tasks: every task scored, grouped by unit, and the deferrals
with their reasons (`planctl.views.assess` puts them in its view)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from planctl.core.assess import DONE_OUTCOMES, Assessment, Outcome, Verdict, Weight, rounded
from planctl.plan.model import Plan
from planctl.render import Cell, Column, Grid, Table
from planctl.views.common import names_text
from planctl.views.report import who_columns

OUTCOME_CLASSES = {
    Outcome.ON_TIME: "done",
    Outcome.DEFERRED: "done",
    Outcome.LATE: "done",
    Outcome.OVERDUE: "overdue",
    Outcome.PENDING: "",
}
"""The html class and spreadsheet fill of a task's row."""

OUTCOME_LABELS = {
    Outcome.ON_TIME: "on_time",
    Outcome.DEFERRED: "deferred_done",
    Outcome.LATE: "late",
    Outcome.OVERDUE: "overdue_open",
    Outcome.PENDING: "pending",
}


def number_text(value: Weight | Decimal) -> str:
    """100, 85.5, 86.7: a whole number without a point."""
    if isinstance(value, Decimal):
        return str(value)
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def exact_score(value: Fraction | None) -> float | None:
    """A task's score or a deduction as a number (a duty's mean to one decimal, half up)."""
    return None if value is None else float(rounded(value))


def unit_name(unit: str | None, labels: Mapping[str, str]) -> str:
    return labels["no_unit"] if unit is None else unit


def task_object(one: Verdict) -> dict[str, Any]:
    row = one.row
    return {
        "id": row.task.id,
        "title": row.task.title,
        "lead": list(row.task.leads),
        "planned_due": row.planned_due.isoformat(),
        "due": row.due.isoformat(),
        "done": one.outcome in DONE_OUTCOMES,
        "done_on": one.done_on.isoformat() if one.done_on else None,
        "outcome": one.outcome.value,
        "early": one.early,
        "score": exact_score(one.score),
    }


def deferral_object(one: Verdict) -> dict[str, Any]:
    row = one.row
    deferral = row.state.deferral
    assert deferral is not None
    return {
        "id": row.task.id,
        "title": row.task.title,
        "lead": list(row.task.leads),
        "planned_due": row.planned_due.isoformat(),
        "due": row.due.isoformat(),
        "reason": deferral.reason,
        "on": deferral.on.isoformat(),
        "by": deferral.by,
        "outcome": one.outcome.value,
        "done_on": one.done_on.isoformat() if one.done_on else None,
    }


def tasks_table(result: Assessment, labels: Mapping[str, str]) -> Table:
    """Every task assessed, grouped by the unit that leads it (a task with two lead units
    under each; those without a unit last): its lead units, planned due day, the day it was
    done, its outcome and its score."""
    L = labels
    rows = []
    values: list[list[Cell]] = []
    classes = []
    for unit, verdicts in result.by_unit():
        for one in verdicts:
            row = one.row
            leads = names_text(row.task.leads, L)
            outcome = L[OUTCOME_LABELS[one.outcome]]
            values.append([unit_name(unit, L), row.task.id, row.task.title, leads,
                           row.planned_due, one.done_on, outcome,
                           exact_score(one.score)])  # fmt: skip
            rows.append([
                unit_name(unit, L), row.task.id, row.task.title, leads,
                row.planned_due.isoformat(), one.done_on.isoformat() if one.done_on else "",
                outcome, "-" if one.score is None else number_text(rounded(one.score)),
            ])  # fmt: skip
            classes.append(OUTCOME_CLASSES[one.outcome])
    lead = L["lead"]
    columns = [L["unit"], L["id"], L["title"], lead, L["planned_due"], L["done_on"],
               L["outcome"], L["score"]]  # fmt: skip
    grid = Grid(
        [Column(L["unit"]), Column(L["id"]), Column(L["title"]), Column(lead),
         Column(L["planned_due"], "date"), Column(L["done_on"], "date"),
         Column(L["outcome"], "status"), Column(L["score"], "number")],
        values,
    )  # fmt: skip
    return Table(
        L["assess_tasks"], columns, rows, empty=L["none"], key="tasks", grid=grid,
        row_classes=classes,
    )  # fmt: skip


def deferrals_table(plan: Plan, result: Assessment, labels: Mapping[str, str]) -> Table:
    L = labels
    rows = []
    values: list[list[Cell]] = []
    for one in result.deferred:
        row = one.row
        deferral = row.state.deferral
        assert deferral is not None
        values.append(
            [
                row.task.id,
                row.task.title,
                names_text(row.task.leads, L),
                row.planned_due,
                row.due,
                deferral.reason or "",
                deferral.on,
                deferral.by,
                L[OUTCOME_LABELS[one.outcome]],
            ]
        )
        rows.append(
            [
                row.task.id,
                row.task.title,
                names_text(row.task.leads, L),
                row.planned_due.isoformat(),
                row.due.isoformat(),
                f"{deferral.reason or ''} ({deferral.on}, {deferral.by})",
                L[OUTCOME_LABELS[one.outcome]],
            ]
        )
    columns = [
        L["id"],
        L["title"],
        *who_columns(plan, L, leaders=False),
        L["planned_due"],
        L["moved_to"],
        L["reason"],
        L["outcome"],
    ]
    grid_columns = [
        Column(L["id"]),
        Column(L["title"]),
        *(Column(name) for name in who_columns(plan, L, leaders=False)),
        Column(L["planned_due"], "date"),
        Column(L["moved_to"], "date"),
        Column(L["reason"]),
        Column(L["on"], "date"),
        Column(L["by"]),
        Column(L["outcome"], "status"),
    ]
    return Table(L["deferrals"], columns, rows, key="deferrals", grid=Grid(grid_columns, values))
