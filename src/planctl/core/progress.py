"""Where each task stands on a given day: done, overdue, blocked, on pace, periods missed.

Pure: the plan, the folded states and today in; one `TaskRow` per task out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from planctl.core.calendar import span
from planctl.core.periods import Period, period_of, periods_between
from planctl.core.state import OPEN, Completion, TaskState
from planctl.plan.model import Plan, Task


@dataclass(frozen=True, slots=True)
class Pace:
    """A task with a target: the count so far, the target, and the count expected by today."""

    count: int
    target: int
    expected: int

    @property
    def behind(self) -> bool:
        return self.count < min(self.expected, self.target)


@dataclass(frozen=True, slots=True)
class Rhythm:
    """A recurring duty: its periods begun by today, those done, and those missed."""

    every: str
    current: Period
    elapsed: tuple[Period, ...]
    done: tuple[Period, ...]
    missed: tuple[Period, ...]
    total: int


@dataclass(frozen=True, slots=True)
class TaskRow:
    """A task as it stands on a given day."""

    task: Task
    state: TaskState
    month: int | None
    """The month it is due in: the plan's, or the one it was deferred to."""
    done: bool
    completion: Completion | None
    """The completion that makes it done (for a duty: in the current period)."""
    overdue: bool
    blocked_by: tuple[str, ...] = ()
    """Prerequisites still open (a task is blocked while this is not empty and it is open)."""
    pace: Pace | None = None
    rhythm: Rhythm | None = None


def effective_month(task: Task, state: TaskState) -> int | None:
    """The plan's month, or the month a deferral still in force moved the task to."""
    if state.deferral is not None and task.month is not None:
        return state.deferral.to_month
    return task.month


def expected_count(target: int, first: date, last: date, today: date) -> int:
    """The count due by `today` if the target is spread evenly over the days of its span."""
    total = (last - first).days + 1
    elapsed = min(max((today - first).days + 1, 0), total)
    return target * elapsed // total


def rhythm(
    every: str, completions: tuple[Completion, ...], first: date, last: date, today: date
) -> Rhythm:
    """The periods of a duty that has begun by `today`, and which of them were done."""
    periods = periods_between(every, first, last)
    done_labels = {period_of(every, completion.on).label for completion in completions}
    elapsed = tuple(period for period in periods if period.start <= today)
    current = period_of(every, min(max(today, first), last))
    return Rhythm(
        every=every,
        current=current,
        elapsed=elapsed,
        done=tuple(period for period in elapsed if period.label in done_labels),
        missed=tuple(p for p in elapsed if p.end < today and p.label not in done_labels),
        total=len(periods),
    )


def assess_task(task: Task, state: TaskState, year: int, today: date) -> TaskRow:
    """One task on `today`, before prerequisites are considered."""
    month = effective_month(task, state)
    first, last = span(year, month)
    if task.every is not None:
        beat = rhythm(task.every, state.completions, first, last, today)
        in_current = [c for c in state.completions if c.on in beat.current]
        completion = in_current[-1] if in_current else None
        overdue = bool(beat.missed)
        return TaskRow(task, state, month, completion is not None, completion, overdue, rhythm=beat)
    pace = None
    done = state.last_completion is not None
    if task.target is not None:
        pace = Pace(state.count, task.target, expected_count(task.target, first, last, today))
        done = state.count >= task.target
    completion = state.last_completion if done else None
    return TaskRow(task, state, month, done, completion, not done and today > last, pace=pace)


def assess(plan: Plan, states: Mapping[str, TaskState], today: date) -> dict[str, TaskRow]:
    """Every task of the plan on `today`, in plan order, with prerequisites still open."""
    rows = {
        task.id: assess_task(task, states.get(task.id, OPEN), plan.year, today)
        for task in plan.tasks
    }
    by_key = {task_id.casefold(): task_id for task_id in rows}
    for task_id, row in rows.items():
        open_first = tuple(
            by_key[ref.casefold()]
            for ref in row.task.after
            if ref.casefold() in by_key and not rows[by_key[ref.casefold()]].done
        )
        if open_first:
            rows[task_id] = replace(row, blocked_by=open_first)
    return rows
