"""The assessment view: units scored and ranked, work points item by item, the rule, deferrals."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from planctl.core.assess import Assessment, Counts, Outcome, Verdict, Weight, Weights
from planctl.core.schedule import EVERY_TASK, Selection
from planctl.plan.model import Plan
from planctl.render import Cell, Column, Grid, Table, View
from planctl.views.common import names_text, plan_object
from planctl.views.report import heading, selection_object, selection_text, who_columns

OUTCOME_LABELS = {
    Outcome.ON_TIME: "on_time",
    Outcome.DEFERRED: "deferred_done",
    Outcome.LATE: "late",
    Outcome.OVERDUE: "overdue_open",
    Outcome.PENDING: "pending",
}


def _number(value: Weight | Decimal) -> str:
    """100, 85.5, 86.7: a whole number without a point."""
    if isinstance(value, Decimal):
        return str(value)
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _score(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def weights_object(weights: Weights) -> dict[str, Weight]:
    return {
        "on_time": weights.on_time,
        "deferred": weights.deferred,
        "late": weights.late,
        "overdue": weights.overdue,
    }


def _counts_object(counts: Counts) -> dict[str, int]:
    return {
        "tasks": counts.tasks,
        "on_time": counts.on_time,
        "late": counts.late,
        "open": counts.open,
        "overdue": counts.overdue,
        "deferred": counts.deferred,
    }


def _deferral_object(one: Verdict) -> dict[str, Any]:
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


def assess_data(
    plan: Plan, result: Assessment, today: date, selection: Selection = EVERY_TASK
) -> dict[str, Any]:
    """The JSON of `planctl assess`."""
    return {
        "plan": plan_object(plan),
        "today": today.isoformat(),
        **selection_object(selection),
        "rule": weights_object(result.weights),
        "units": [
            {
                "unit": unit.unit,
                **_counts_object(unit.led),
                "on_time_rate": unit.led.on_time_rate,
                "score": _score(unit.score),
                "rank": unit.rank,
                "supported": {"tasks": unit.supported.tasks, "done": unit.supported.done},
            }
            for unit in result.units
        ],
        "points": [
            {
                "number": point.number,
                "title": point.title,
                "tasks": point.counts.tasks,
                "done": point.counts.done,
                "on_time": point.counts.on_time,
                "late": point.counts.late,
                "open": point.counts.open,
                "deferred": point.counts.deferred,
                "overdue": point.counts.overdue,
            }
            for point in result.points
        ],
        "deferrals": [_deferral_object(one) for one in result.deferred],
    }


def assess_view(
    plan: Plan,
    source: str,
    result: Assessment,
    today: date,
    labels: Mapping[str, str],
    *,
    selection: Selection = EVERY_TASK,
) -> View:
    """`planctl assess`: the units' scores and ranks with the rule under them, the work points
    item by item (and those without a task), and the deferrals with their reasons."""
    L = labels
    untasked = [point for point in result.points if not point.counts.tasks]
    every = [
        _units_table(result, L),
        _rule_table(result.weights, L),
        _points_table(result, L),
        Table(
            L["untasked_points"],
            [L["no"], L["point_title"]],
            [[str(point.number), point.title] for point in untasked],
            key="untasked_points",
            grid=Grid(
                [Column(L["no"], "int"), Column(L["point_title"])],
                [[point.number, point.title] for point in untasked],
            ),
        ),
        _deferrals_table(plan, result, L),
    ]
    subtitle = f"{L['assess']}{selection_text(selection, L)}"
    return View(
        assess_data(plan, result, today, selection),
        every[:3] + [table for table in every[3:] if table.rows],
        title=f"{plan.title} {subtitle} ({source})",
        lead=f"{L['today']} {today}",
        heading=heading(plan, subtitle, today, L, None),
        every=every,
        lang=L["html_lang"],
    )


def _count_columns(labels: Mapping[str, str]) -> list[str]:
    L = labels
    keys = ["total", "on_time", "deferred_done", "late", "open", "overdue_open"]
    return [L[key] for key in keys]


def _count_cells(counts: Counts) -> list[str]:
    return [
        str(counts.tasks),
        str(counts.on_time),
        str(counts.deferred),
        str(counts.late),
        str(counts.open),
        str(counts.overdue),
    ]


def _count_grid_columns(labels: Mapping[str, str]) -> list[Column]:
    return [Column(name, "int") for name in _count_columns(labels)]


def _count_values(counts: Counts) -> list[Cell]:
    return [
        counts.tasks,
        counts.on_time,
        counts.deferred,
        counts.late,
        counts.open,
        counts.overdue,
    ]


def _units_table(result: Assessment, labels: Mapping[str, str]) -> Table:
    """Each unit's led tasks by outcome, on-time rate, score and rank; and, when any unit
    supports a task, the tasks it supports and how many of them are done."""
    L = labels
    supported = any(unit.supported.tasks for unit in result.units)
    columns = [L["unit"], *_count_columns(L), L["on_time_rate"], L["score"], L["rank"]]
    if supported:
        columns += [L["supported_total"], L["supported_done"]]
    rows = []
    values: list[list[Cell]] = []
    for unit in result.units:
        rate = unit.led.on_time_rate
        plain: list[Cell] = [
            unit.unit,
            *_count_values(unit.led),
            rate,
            _score(unit.score),
            unit.rank,
        ]
        if supported:
            plain += [unit.supported.tasks, unit.supported.done]
        values.append(plain)
        cells = [
            unit.unit,
            *_count_cells(unit.led),
            "-" if rate is None else f"{rate}%",
            "-" if unit.score is None else _number(unit.score),
            "-" if unit.rank is None else str(unit.rank),
        ]
        if supported:
            cells += [str(unit.supported.tasks), str(unit.supported.done)]
        rows.append(cells)
    grid_columns = [
        Column(L["unit"]),
        *_count_grid_columns(L),
        Column(L["on_time_rate"], "percent"),
        Column(L["score"], "number"),
        Column(L["rank"], "int"),
    ]
    if supported:
        grid_columns += [Column(L["supported_total"], "int"), Column(L["supported_done"], "int")]
    return Table(
        L["assess_units"],
        columns,
        rows,
        empty=L["none"],
        key="units",
        grid=Grid(grid_columns, values),
    )


def _rule_table(weights: Weights, labels: Mapping[str, str]) -> Table:
    L = labels
    scored = [
        (L["rule_on_time"], weights.on_time),
        (L["rule_deferred"], weights.deferred),
        (L["rule_late"], weights.late),
        (L["rule_overdue"], weights.overdue),
    ]
    said = [
        (L["rule_pending"], L["not_counted"]),
        (L["rule_duty"], L["rule_duty_score"]),
        (L["rule_unit"], L["rule_unit_score"]),
    ]
    rows = [[case, _number(score)] for case, score in scored] + [list(pair) for pair in said]
    # A workbook holds the scores as numbers, the rules in words as text.
    values: list[list[Cell]] = [[case, _score_cell(score)] for case, score in scored]
    values += [list(pair) for pair in said]
    grid = Grid([Column(L["case"]), Column(L["score"], "number")], values)
    return Table(L["rule"], [L["case"], L["score"]], rows, key="rule", grid=grid)


def _score_cell(value: Weight) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _points_table(result: Assessment, labels: Mapping[str, str]) -> Table:
    L = labels
    columns = [L["no"], L["point_title"], L["total"], L["done"], *_count_columns(L)[1:]]
    rows = [
        [
            str(point.number),
            point.title,
            str(point.counts.tasks),
            str(point.counts.done),
            *_count_cells(point.counts)[1:],
        ]
        for point in result.points
        if point.counts.tasks
    ]
    counted = [point for point in result.points if point.counts.tasks]
    grid = Grid(
        [
            Column(L["no"], "int"),
            Column(L["point_title"]),
            Column(L["total"], "int"),
            Column(L["done"], "int"),
            *_count_grid_columns(L)[1:],
        ],
        [
            [
                point.number,
                point.title,
                point.counts.tasks,
                point.counts.done,
                *_count_values(point.counts)[1:],
            ]
            for point in counted
        ],
    )
    return Table(L["assess_points"], columns, rows, empty=L["none"], key="points", grid=grid)


def _deferrals_table(plan: Plan, result: Assessment, labels: Mapping[str, str]) -> Table:
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
