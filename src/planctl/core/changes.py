"""The events a recording command means to append, built from the events already there."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from planctl.core.events import Action, Event, new_event
from planctl.core.state import fold, undo_target
from planctl.errors import NothingToUndo
from planctl.plan.model import Task


def done_events(
    plan_id: str,
    tasks: Sequence[Task],
    history: Mapping[str, Sequence[Event]],
    *,
    on: date,
    by: str,
    at: datetime,
    note: str | None = None,
) -> tuple[list[Event], list[Task]]:
    """A `done` event for each task not done yet, and the tasks that already were."""
    new: list[Event] = []
    already: list[Task] = []
    for task in tasks:
        if fold(history.get(task.id, [])).done:
            already.append(task)
            continue
        new.append(
            new_event(
                plan_id,
                task.id,
                Action.DONE,
                work_date=on,
                recorded_by=by,
                recorded_at=at,
                note=note,
            )
        )
    return new, already


def undo_event(
    plan_id: str, task: Task, history: Sequence[Event], *, on: date, by: str, at: datetime
) -> tuple[Event, Event]:
    """The event that reverses the task's latest change still in force, and that change."""
    target = undo_target(history)
    if target is None:
        raise NothingToUndo(f"nothing to undo for {task.id} {task.title}")
    event = new_event(
        plan_id,
        task.id,
        Action.UNDO,
        work_date=on,
        recorded_by=by,
        recorded_at=at,
        undoes=target.event_id,
    )
    return event, target


def note_event(plan_id: str, task: Task, text: str, *, on: date, by: str, at: datetime) -> Event:
    """A note on a task."""
    return new_event(
        plan_id, task.id, Action.NOTE, work_date=on, recorded_by=by, recorded_at=at, note=text
    )
