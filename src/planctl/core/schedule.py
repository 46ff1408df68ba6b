"""Which tasks a command shows: a month's agenda, a filtered list, one unit's or leader's tasks.

Pure: rows assessed on a day (see `planctl.core.progress`) in, in plan order; rows out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal

from planctl import frozen
from planctl.core.progress import TaskRow
from planctl.core.steps import tree_order
from planctl.core.units import lead_units
from planctl.plan.model import Task
from planctl.plan.refs import fold
from planctl.rules.calendar import PlanPeriod, YearMonth, month_end
from planctl.rules.periods import duty_occurrences
from planctl.rules.windows import Window, overlaps

Role = Literal["lead", "support"]
ROLES: tuple[Role, ...] = ("lead", "support")


def unit_role(task: Task, unit: str) -> Role | None:
    """The unit's role in the task (compared as task references are): lead, support, or None."""
    wanted = fold(unit)
    if wanted in {fold(name) for name in task.leads}:
        return "lead"
    if wanted in {fold(name) for name in task.support}:
        return "support"
    return None


def has_owner(task: Task, owner: str | None, role: Role | None = None) -> bool:
    """Whether `owner` leads or supports the task (only that role, when `role` is given)."""
    if owner is None:
        return True
    found = unit_role(task, owner)
    return found is not None and (role is None or found == role)


def has_leader(task: Task, leader: str | None) -> bool:
    """Whether `leader` (compared as units are) answers for the task."""
    return leader is None or fold(leader) in {fold(name) for name in task.leader}


@frozen
class Selection:
    """Which tasks `--owner`, `--role` and `--leader` choose: all of them when none is given."""

    owner: str | None = None
    role: Role | None = None
    leader: str | None = None
    no_unit: bool = False
    """Only the tasks that name no lead unit (`planctl.core.units`): the office's digest."""

    def __contains__(self, task: Task) -> bool:
        if self.no_unit and lead_units(task):
            return False
        return has_owner(task, self.owner, self.role) and has_leader(task, self.leader)


EVERY_TASK = Selection()


def owned_rows(rows: Iterable[TaskRow], owner: str | Selection | None) -> list[TaskRow]:
    """The rows of the tasks chosen (a unit's, led or supported; all when `owner` is None)."""
    chosen = _selection(owner)
    return [row for row in rows if row.task in chosen]


def _selection(owner: str | Selection | None) -> Selection:
    return owner if isinstance(owner, Selection) else Selection(owner)


def agenda_order(row: TaskRow) -> tuple[bool, date]:
    """Sort key: by due day, then duties and year-round tasks in plan order; a stable sort
    keeps plan order among tasks due the same day."""
    if row.task.recurring or row.task.year_round:
        return (True, date.max)
    return (False, row.due)


def in_month(row: TaskRow, month: YearMonth, period: PlanPeriod) -> bool:
    """Whether the task has work in the month: its window overlaps it (a duty: one of its
    occurrences does; an occasional duty: every month of the period)."""
    if not row.task.recurring:
        return overlaps(row.window, month)
    if row.task.every == "as_needed":
        return overlaps(Window(period.start, period.end), month)
    return any(overlaps(Window(o.start, o.due), month) for o in duty_occurrences(row.task, period))


def due_rows(
    rows: Iterable[TaskRow],
    month: YearMonth,
    period: PlanPeriod,
    *,
    owner: str | Selection | None = None,
    open_only: bool = False,
) -> list[TaskRow]:
    """The month's agenda: every task with work in the month (its window overlaps it), done or
    open, and the tasks due before the month that are still open (overdue by then); a step
    follows its task when both are there."""
    first = date(month[0], month[1], 1)
    chosen = _selection(owner)
    agenda = []
    for row in sorted(rows, key=agenda_order):
        if row.task not in chosen or (open_only and row.done):
            continue
        if in_month(row, month, period) or (row.due < first and not row.done):
            agenda.append(row)
    return tree_order(agenda)


def due_in(row: TaskRow, month: YearMonth) -> bool:
    """Whether the task's due day (a duty's: its current occurrence's) is in the month."""
    year, number = month
    return date(year, number, 1) <= row.due <= month_end(year, number)


def list_rows(
    rows: Iterable[TaskRow],
    *,
    month: YearMonth | None = None,
    point: int | None = None,
    owner: str | Selection | None = None,
    year_round: bool = False,
) -> list[TaskRow]:
    """The tasks `list` shows, by due day (duties and year-round tasks last), filtered by each
    option given: the month a task is due in, a work point, an owner, year-round only; a step
    follows its task when both are there."""
    chosen = _selection(owner)
    return tree_order(
        row
        for row in sorted(rows, key=agenda_order)
        if (month is None or due_in(row, month))
        and (point is None or point in row.task.points)
        and (not year_round or row.task.year_round)
        and row.task in chosen
    )
