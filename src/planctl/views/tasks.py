"""What each command shows, as data: JSON objects and table rows built from plan, states, today.

Pure functions: no I/O and no clock. The JSON shapes built here are the public interface
documented in the README.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from planctl.core.events import Event
from planctl.core.schedule import TaskRow, due_rows, has_owner, month_order, task_row
from planctl.core.state import OPEN, TaskState
from planctl.plan.model import Plan, Task, WorkPoint
from planctl.render import Table, View

TASK_COLUMNS = ["ID", "Month", "Title", "Owners", "Points", "Kind", "Status"]


def plan_object(plan: Plan) -> dict[str, Any]:
    return {"id": plan.id, "year": plan.year, "title": plan.title}


def plan_label(plan: Plan, source: str) -> str:
    """How output names the plan it used: its title and the file it came from."""
    return f"{plan.title} ({source})"


def task_object(row: TaskRow) -> dict[str, Any]:
    task, state = row.task, row.state
    return {
        "id": task.id,
        "title": task.title,
        "month": task.month,
        "year_round": task.year_round,
        "owners": list(task.owners),
        "points": list(task.points),
        "kind": task.kind,
        "status": state.status,
        "overdue": row.overdue,
        "done_on": state.done_on.isoformat() if state.done_on else None,
        "done_by": state.done_by,
        "note": state.note,
    }


def month_text(task: Task) -> str:
    return "全年" if task.month is None else str(task.month)


def status_text(row: TaskRow) -> str:
    if row.state.done:
        return f"done {row.state.done_on} {row.state.done_by}"
    return "overdue" if row.overdue else "open"


def _style(row: TaskRow) -> str:
    return "green" if row.state.done else ("red" if row.overdue else "")


def task_cells(row: TaskRow) -> list[str]:
    task = row.task
    return [
        task.id,
        month_text(task),
        task.title,
        ", ".join(task.owners),
        ", ".join(map(str, task.points)),
        task.kind or "",
        status_text(row),
    ]


def task_table(title: str, rows: Sequence[TaskRow]) -> Table:
    return Table(
        title, TASK_COLUMNS, [task_cells(row) for row in rows], [_style(row) for row in rows]
    )


def _count_footer(rows: Sequence[TaskRow]) -> str:
    done = sum(row.state.done for row in rows)
    overdue = sum(row.overdue for row in rows)
    return f"{len(rows)} tasks: {done} done, {len(rows) - done} open, {overdue} overdue"


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
        task_row(plan, task, states, today)
        for task in sorted(plan.tasks, key=month_order)
        if (month is None or task.month == month)
        and (point is None or point in task.points)
        and (not year_round or task.year_round)
        and has_owner(task, owner)
    ]
    data = {"plan": plan_object(plan), "tasks": [task_object(row) for row in rows]}
    table = task_table(f"{plan_label(plan, source)}: tasks", rows)
    return View(data, [table], _count_footer(rows))


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
    return View(data, [task_table(title, rows)], _count_footer(rows))


def _point_totals(plan: Plan, states: Mapping[str, TaskState]) -> dict[int, tuple[int, int]]:
    totals: dict[int, tuple[int, int]] = {point.number: (0, 0) for point in plan.points}
    for task in plan.tasks:
        done = states.get(task.id, OPEN).done
        for number in task.points:
            total, finished = totals[number]
            totals[number] = (total + 1, finished + done)
    return totals


def points_view(
    plan: Plan, source: str, states: Mapping[str, TaskState], *, full: bool = False
) -> View:
    """`planctl points`: sections and work points, with done/total of the tasks linked to each."""
    totals = _point_totals(plan, states)

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
    columns = ["Section", "Point", "Title", "Done"] + (["Text"] if full else [])
    rows = []
    for section in plan.sections:
        for point in section.points:
            total, done = totals[point.number]
            cells = [f"{section.number} {section.title}", str(point.number), point.title]
            cells.append(f"{done}/{total}")
            rows.append(cells + ([point.text] if full else []))
    table = Table(f"{plan_label(plan, source)}: work points", columns, rows)
    return View(data, [table])


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
        ["Month", month_text(task)],
        ["Owners", ", ".join(task.owners)],
        ["Kind", task.kind or ""],
        ["Status", status_text(row)],
        ["Note", row.state.note or ""],
        ["Source", task.source or ""],
    ]
    fields += [[f"Point {point.number}", f"{point.title}。{point.text}"] for point in points]
    return View(
        data, [Table(f"{plan_label(plan, source)}: task {task.id}", ["Field", "Value"], fields)]
    )


def event_object(event: Event) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "task": event.task_id,
        "action": event.action.value,
        "on": event.work_date.isoformat(),
        "by": event.recorded_by,
        "note": event.note,
        "recorded_at": event.recorded_at.isoformat(timespec="seconds"),
        "undoes": event.undoes,
    }


def history_view(plan: Plan, source: str, events: Sequence[Event]) -> View:
    """`planctl history`: the log, newest first, with each task's title."""
    titles = {task.id: task.title for task in plan.tasks}
    newest_first = list(reversed(events))
    data = {"plan": plan_object(plan), "events": [event_object(e) for e in newest_first]}
    rows = [
        [
            event.recorded_at.strftime("%Y-%m-%d %H:%M"),
            event.task_id,
            titles.get(event.task_id, "(not in the plan)"),
            event.action.value,
            event.work_date.isoformat(),
            event.recorded_by,
            event.note or "",
        ]
        for event in newest_first
    ]
    columns = ["Recorded", "Task", "Title", "Action", "On", "By", "Note"]
    return View(data, [Table(f"{plan_label(plan, source)}: history", columns, rows)])
