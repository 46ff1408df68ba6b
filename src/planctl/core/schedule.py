"""Which tasks a command shows: a month's agenda, a filtered list, one owner's tasks.

Pure: rows assessed on a day (see `planctl.core.progress`) in, in plan order; rows out.
"""

from __future__ import annotations

from collections.abc import Iterable

from planctl.core.progress import TaskRow
from planctl.plan.model import Task
from planctl.plan.refs import fold


def has_owner(task: Task, owner: str | None) -> bool:
    """Whether `owner` (compared as task references are) is one of the task's owners."""
    return owner is None or fold(owner) in {fold(name) for name in task.owners}


def owned_rows(rows: Iterable[TaskRow], owner: str | None) -> list[TaskRow]:
    """The rows of the tasks `owner` owns (all of them when `owner` is None)."""
    return [row for row in rows if has_owner(row.task, owner)]


def month_order(row: TaskRow) -> int:
    """Sort key by month, year-round tasks last; a stable sort keeps plan order within a month."""
    return 13 if row.month is None else row.month


def due_rows(
    rows: Iterable[TaskRow],
    month: int,
    *,
    owner: str | None = None,
    open_only: bool = False,
) -> list[TaskRow]:
    """The month's agenda: tasks due in `month` (after deferrals), year-round tasks, and tasks
    of earlier months still open."""
    agenda = []
    for row in sorted(rows, key=month_order):
        if not has_owner(row.task, owner) or (open_only and row.done):
            continue
        if row.month is not None and (row.month > month or (row.month < month and row.done)):
            continue
        agenda.append(row)
    return agenda


def list_rows(
    rows: Iterable[TaskRow],
    *,
    month: int | None = None,
    point: int | None = None,
    owner: str | None = None,
    year_round: bool = False,
) -> list[TaskRow]:
    """The tasks `list` shows: by month (year-round last), filtered by each option given."""
    return [
        row
        for row in sorted(rows, key=month_order)
        if (month is None or row.month == month)
        and (point is None or point in row.task.points)
        and (not year_round or row.task.year_round)
        and has_owner(row.task, owner)
    ]
