"""The events a recording command means to append, built from the events already there."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from planctl.core.events import Action, Event, Stamp
from planctl.core.periods import period_of
from planctl.core.state import Completion, TaskState, fold, undo_target
from planctl.errors import BadValue, NothingToUndo
from planctl.plan.model import Task


def already_done(task: Task, state: TaskState, on: date) -> Completion | None:
    """The completion that makes another `done` on `on` pointless, if there is one.

    A task with a target takes any number of completions; a recurring duty takes one per
    period; any other task takes one."""
    if task.target is not None:
        return None
    if task.every is not None:
        period = period_of(task.every, on)
        return next((c for c in reversed(state.completions) if c.on in period), None)
    return state.last_completion


def done_events(
    plan_id: str,
    tasks: Sequence[Task],
    history: Mapping[str, Sequence[Event]],
    *,
    on: date,
    stamp: Stamp,
    note: str | None = None,
    count: int | None = None,
) -> tuple[list[Event], list[tuple[Task, Completion]]]:
    """A `done` event for each task that takes one, and the others with what already did it."""
    if count is not None:
        if count < 1:
            raise BadValue(f"--count must be 1 or more, not {count}")
        without = [task.id for task in tasks if task.target is None]
        if without:
            raise BadValue(f"--count is for tasks with a target; {', '.join(without)} has none")
    new: list[Event] = []
    already: list[tuple[Task, Completion]] = []
    for task in tasks:
        previous = already_done(task, fold(history.get(task.id, [])), on)
        if previous is not None:
            already.append((task, previous))
            continue
        new.append(stamp.event(plan_id, task.id, Action.DONE, on, note=note, count=count))
    return new, already


def defer_event(
    plan_id: str,
    task: Task,
    state: TaskState,
    to_month: int,
    reason: str,
    *,
    on: date,
    stamp: Stamp,
) -> Event:
    """A deferral of a task to a later month than the one it is due in now."""
    if task.month is None:
        raise BadValue(f"{task.id} runs all year; only a task of one month can be deferred")
    current = state.deferral.to_month if state.deferral else task.month
    if not isinstance(current, int) or not current < to_month <= 12:
        raise BadValue(
            f"{task.id} is due in month {current}; defer it to a later month (up to 12),"
            f" not {to_month}"
        )
    if not reason.strip():
        raise BadValue("a deferral needs a reason (--reason)")
    return stamp.event(plan_id, task.id, Action.DEFER, on, note=reason, to_month=to_month)


def undo_event(
    plan_id: str, task: Task, history: Sequence[Event], *, on: date, stamp: Stamp
) -> tuple[Event, Event]:
    """The event that reverses the task's latest change still in force, and that change."""
    target = undo_target(history)
    if target is None:
        raise NothingToUndo(f"nothing to undo for {task.id} {task.title}")
    return stamp.event(plan_id, task.id, Action.UNDO, on, undoes=target.event_id), target


def note_event(plan_id: str, task: Task, text: str, *, on: date, stamp: Stamp) -> Event:
    """A note on a task."""
    return stamp.event(plan_id, task.id, Action.NOTE, on, note=text)
