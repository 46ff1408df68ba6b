"""The task views: `list`, `due` and `show`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from planctl.core.progress import TaskRow, assess
from planctl.core.schedule import due_rows, has_owner, month_order
from planctl.core.state import TaskState
from planctl.plan.model import Plan
from planctl.render import Table, View
from planctl.views.common import (
    count_footer,
    month_text,
    plan_label,
    plan_object,
    status_text,
    task_object,
    task_table,
)


def list_view(
    plan: Plan,
    source: str,
    states: Mapping[str, TaskState],
    today: date,
    *,
    month: int | None = None,
    point: int | None = None,
    owner: str | None = None,
    year_round: bool = False,
) -> View:
    """`planctl list`: the plan's tasks, filtered."""
    rows = [
        row
        for row in sorted(assess(plan, states, today).values(), key=month_order)
        if (month is None or row.month == month)
        and (point is None or point in row.task.points)
        and (not year_round or row.task.year_round)
        and has_owner(row.task, owner)
    ]
    data = {"plan": plan_object(plan), "tasks": [task_object(row) for row in rows]}
    table = task_table(f"{plan_label(plan, source)}: tasks", rows)
    return View(data, [table], count_footer(rows))


def due_view(
    plan: Plan,
    source: str,
    states: Mapping[str, TaskState],
    month: int,
    today: date,
    *,
    owner: str | None = None,
    open_only: bool = False,
) -> View:
    """`planctl due`: the month's agenda."""
    rows = due_rows(plan, states, month, today, owner=owner, open_only=open_only)
    data = {
        "plan": plan_object(plan),
        "month": month,
        "today": today.isoformat(),
        "tasks": [task_object(row) for row in rows],
    }
    title = f"{plan_label(plan, source)}: due in {plan.year}-{month:02d} (today {today})"
    return View(data, [task_table(title, rows)], count_footer(rows))


def show_view(plan: Plan, source: str, row: TaskRow) -> View:
    """`planctl show`: one task with the full text of its work points."""
    task = row.task
    by_number = {point.number: point for point in plan.points}
    points = [by_number[number] for number in task.points]
    data = {
        "plan": plan_object(plan),
        "task": task_object(row) | {"source": task.source},
        "points": [
            {"number": point.number, "title": point.title, "text": point.text} for point in points
        ],
    }
    fields = [
        ["ID", task.id],
        ["Title", task.title],
        ["Month", month_text(row)],
        ["Owners", ", ".join(task.owners)],
        ["Kind", task.kind or ""],
        ["Status", status_text(row)],
        ["Note", row.state.note or ""],
        ["After", ", ".join(task.after)],
        ["Deferred", _deferral_text(row)],
        ["Source", task.source or ""],
    ]
    fields += [[f"Point {point.number}", f"{point.title}。{point.text}"] for point in points]
    return View(
        data, [Table(f"{plan_label(plan, source)}: task {task.id}", ["Field", "Value"], fields)]
    )


def _deferral_text(row: TaskRow) -> str:
    deferral = row.state.deferral
    if deferral is None or row.task.month is None:
        return ""
    return f"to month {deferral.to_month}: {deferral.reason} ({deferral.on}, {deferral.by})"
