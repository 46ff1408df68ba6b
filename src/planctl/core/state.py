"""How a task's events fold into its current state."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from planctl.core.events import Action, Event


@dataclass(frozen=True, slots=True)
class TaskState:
    """A task's progress as its events leave it."""

    done_on: date | None = None
    done_by: str | None = None
    note: str | None = None

    @property
    def done(self) -> bool:
        return self.done_on is not None

    @property
    def status(self) -> str:
        return "done" if self.done else "open"


OPEN = TaskState()


def effective(events: Sequence[Event]) -> list[Event]:
    """The events still in force: undo events and the events they reversed drop out."""
    reversed_ids = {event.undoes for event in events if event.action is Action.UNDO}
    return [
        event
        for event in events
        if event.action is not Action.UNDO and event.event_id not in reversed_ids
    ]


def fold(events: Sequence[Event]) -> TaskState:
    """The state of one task from its events, oldest first."""
    done: Event | None = None
    note: str | None = None
    for event in effective(events):
        if event.action is Action.DONE:
            done = event
        if event.note:
            note = event.note
    if done is None:
        return TaskState(note=note)
    return TaskState(done_on=done.work_date, done_by=done.recorded_by, note=note)


def undo_target(events: Sequence[Event]) -> Event | None:
    """The latest change still in force, which `undo` reverses; None when there is none."""
    remaining = effective(events)
    return remaining[-1] if remaining else None


def by_task(events: Iterable[Event]) -> dict[str, list[Event]]:
    """Events grouped by task ID, each group in the order given."""
    groups: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        groups[event.task_id].append(event)
    return dict(groups)


def states(events: Iterable[Event]) -> dict[str, TaskState]:
    """Every task's state; tasks without events are absent (read them as `OPEN`)."""
    return {task_id: fold(group) for task_id, group in by_task(events).items()}
