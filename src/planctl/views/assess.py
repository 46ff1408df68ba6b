"""The assessment view: units scored and ranked (with a totals row, the tasks without a unit
last), the rule, the tasks item by item, work points item by item, deferrals."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from planctl.core.assess import (
    Assessment,
    Counts,
    Weight,
    Weights,
    rounded,
)
from planctl.core.schedule import EVERY_TASK, Selection
from planctl.plan.model import Plan
from planctl.render import Cell, Column, Grid, Table, View
from planctl.views.assess_tasks import (
    deferral_object,
    deferrals_table,
    exact_score,
    number_text,
    task_object,
    tasks_table,
    unit_name,
)
from planctl.views.common import plan_object
from planctl.views.report import heading, selection_object, selection_text


def _score(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


RULE_KEYS = ("on_time", "deferred", "late", "overdue", "base", "cap", "lead", "support", "early",
             "return_late", "return_missing", "chased")  # fmt: skip
"""The scoring rules, in the order the rule table and the JSON's `rule` give them."""


def weights_object(weights: Weights) -> dict[str, Weight]:
    return {key: getattr(weights, key) for key in RULE_KEYS}


def _counts_object(counts: Counts) -> dict[str, int]:
    return {
        "tasks": counts.tasks,
        "on_time": counts.on_time,
        "late": counts.late,
        "open": counts.open,
        "overdue": counts.overdue,
        "deferred": counts.deferred,
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
                "done": unit.led.done,
                "deduction": exact_score(unit.deduction),
            }
            for unit in result.units
        ],
        "totals": {
            **_counts_object(result.totals),
            "done": result.totals.done,
            "on_time_rate": result.totals.on_time_rate,
            "score": _score(result.total_score),
        },
        "tasks": [task_object(one) for one in result.verdicts],
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
        "deferrals": [deferral_object(one) for one in result.deferred],
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
        rule_table(result.weights, L),
        tasks_table(result, L),
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
        deferrals_table(plan, result, L),
    ]
    subtitle = f"{L['assess']}{selection_text(selection, L)}"
    return View(
        assess_data(plan, result, today, selection),
        every[:4] + [table for table in every[4:] if table.rows],
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
    """Each unit's led tasks by outcome, on-time rate, score and rank (the tasks without a
    unit last, unranked); when any unit supports a task, the tasks it supports and how many
    of them are done; when anything was deducted, the deduction; and the totals row."""
    L = labels
    supported = any(unit.supported.tasks for unit in result.units)
    deducted = any(unit.deduction for unit in result.units)
    columns = [L["unit"], *_count_columns(L), L["on_time_rate"], L["score"], L["rank"]]
    grid_columns = [
        Column(L["unit"]),
        *_count_grid_columns(L),
        Column(L["on_time_rate"], "percent"),
        Column(L["score"], "number"),
        Column(L["rank"], "int"),
    ]
    if supported:
        columns += [L["supported_total"], L["supported_done"]]
        grid_columns += [Column(L["supported_total"], "int"), Column(L["supported_done"], "int")]
    if deducted:
        columns.append(L["deduction"])
        grid_columns.append(Column(L["deduction"], "number"))
    rows = []
    values: list[list[Cell]] = []
    figures: list[tuple[str, Counts, Decimal | None, int | None, Counts | None, Fraction | None]]
    figures = [
        (unit_name(u.unit, L), u.led, u.score, u.rank, u.supported, u.deduction)
        for u in result.units
    ]
    if result.units:
        figures.append((L["totals"], result.totals, result.total_score, None, None, None))
    for name, led, score, rank, helped, deduction in figures:
        rate = led.on_time_rate
        plain: list[Cell] = [name, *_count_values(led), rate, _score(score), rank]
        cells = [
            name,
            *_count_cells(led),
            "-" if rate is None else f"{rate}%",
            "-" if score is None else number_text(score),
            "-" if rank is None else str(rank),
        ]
        if supported:
            plain += [None, None] if helped is None else [helped.tasks, helped.done]
            cells += ["", ""] if helped is None else [str(helped.tasks), str(helped.done)]
        if deducted:
            plain.append(exact_score(deduction))
            cells.append("" if deduction is None else number_text(rounded(deduction)))
        values.append(plain)
        rows.append(cells)
    return Table(
        L["assess_units"],
        columns,
        rows,
        empty=L["none"],
        key="units",
        grid=Grid(grid_columns, values),
    )


def rule_table(
    weights: Weights, labels: Mapping[str, str], *, title: str | None = None, key: str = "rule"
) -> Table:
    """The scoring rules in effect: each outcome's score, how a duty and a unit are scored,
    and the weights, bonus and deductions (the assessment's table, the bulletin's last)."""
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
    more = [(L[f"rule_{key}"], getattr(weights, key)) for key in RULE_KEYS[4:]]
    rows = [[case, number_text(score)] for case, score in scored] + [list(pair) for pair in said]
    rows += [[case, number_text(value)] for case, value in more]
    # A workbook holds the scores as numbers, the rules in words as text.
    values: list[list[Cell]] = [[case, _score_cell(score)] for case, score in scored]
    values += [list(pair) for pair in said]
    values += [[case, _score_cell(value)] for case, value in more]
    grid = Grid([Column(L["case"]), Column(L["score"], "number")], values)
    return Table(title or L["rule"], [L["case"], L["score"]], rows, key=key, grid=grid)


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
