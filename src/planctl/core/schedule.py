"""What is due in a month: its tasks, the year-round ones, and earlier ones still open."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from planctl.core.progress import TaskRow, assess
from planctl.core.state import TaskState
from planctl.plan.model import Plan, Task
from planctl.plan.refs import fold


def has_owner(task: Task, owner: str | None) -> bool:
    """Whether `owner` (compared as task references are) is one of the task's owners."""
    return owner is None or fold(owner) in {fold(name) for name in task.owners}


def month_order(row: TaskRow) -> int:
    """Sort key by month, year-round tasks last; a stable sort keeps plan order within a month."""
    return 13 if row.month is None else row.month


def due_rows(
    plan: Plan,
    states: Mapping[str, TaskState],
    month: int,
    today: date,
    *,
    owner: str | None = None,
    open_only: bool = False,
) -> list[TaskRow]:
    """The month's agenda: tasks due in `month` (after deferrals), year-round tasks, and tasks
    of earlier months still open."""
    rows = []
    for row in sorted(assess(plan, states, today).values(), key=month_order):
        if not has_owner(row.task, owner) or (open_only and row.done):
            continue
        if row.month is not None and (row.month > month or (row.month < month and row.done)):
            continue
        rows.append(row)
    return rows
