"""What is due and what is overdue, from the plan, the task states and today's date."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from planctl.core.state import OPEN, TaskState
from planctl.plan.model import Plan, Task
from planctl.plan.refs import fold


@dataclass(frozen=True, slots=True)
class TaskRow:
    """A task with its state and whether it is overdue on the given day."""

    task: Task
    state: TaskState
    overdue: bool


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def deadline(task: Task, year: int) -> date:
    """The day a task must be done by: its month's last day, or the year's for year-round ones."""
    return month_end(year, 12 if task.month is None else task.month)


def is_overdue(task: Task, state: TaskState, year: int, today: date) -> bool:
    """Open after its deadline has passed."""
    return not state.done and today > deadline(task, year)


def task_row(plan: Plan, task: Task, states: Mapping[str, TaskState], today: date) -> TaskRow:
    state = states.get(task.id, OPEN)
    return TaskRow(task, state, is_overdue(task, state, plan.year, today))


def has_owner(task: Task, owner: str | None) -> bool:
    """Whether `owner` (compared as task references are) is one of the task's owners."""
    return owner is None or fold(owner) in {fold(name) for name in task.owners}


def month_order(task: Task) -> int:
    """Sort key by month, year-round tasks last; a stable sort keeps plan order within a month."""
    return 13 if task.month is None else task.month


def due_rows(
    plan: Plan,
    states: Mapping[str, TaskState],
    month: int,
    today: date,
    *,
    owner: str | None = None,
    open_only: bool = False,
) -> list[TaskRow]:
    """The month's agenda: tasks of `month`, year-round tasks, and earlier tasks still open."""
    rows = []
    for task in sorted(plan.tasks, key=month_order):
        if not has_owner(task, owner):
            continue
        row = task_row(plan, task, states, today)
        if task.month is not None and task.month < month and row.state.done:
            continue
        if task.month is not None and task.month > month:
            continue
        if open_only and row.state.done:
            continue
        rows.append(row)
    return rows
