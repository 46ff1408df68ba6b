"""How a task's events fold into what has been recorded for it.

The fold knows nothing of the plan: it gathers the completions, the latest note and the
deferral still in force. Whether that makes the task done (a target reached, this week's duty
done) is decided in `planctl.core.progress`, which knows the task and today's date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from planctl.core.events import Action, Event


@dataclass(frozen=True, slots=True)
class Completion:
    """One `done` still in force: when the work happened, who did it, how much it counts."""

    on: date
    by: str
    count: int = 1


@dataclass(frozen=True, slots=True)
class Deferral:
    """A `defer` still in force: the month the task moved to, and why."""

    to_month: int
    reason: str | None
    on: date
    by: str


@dataclass(frozen=True, slots=True)
class TaskState:
    """What a task's events still in force add up to."""

    completions: tuple[Completion, ...] = ()
    note: str | None = None
    deferral: Deferral | None = None

    @property
    def count(self) -> int:
        """The sum of the completions' counts."""
        return sum(completion.count for completion in self.completions)

    @property
    def last_completion(self) -> Completion | None:
        return self.completions[-1] if self.completions else None


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
    completions: list[Completion] = []
    note: str | None = None
    deferral: Deferral | None = None
    for event in effective(events):
        if event.action is Action.DONE:
            completions.append(Completion(event.work_date, event.recorded_by, event.count or 1))
        if event.action is Action.DEFER and event.to_month is not None:
            deferral = Deferral(event.to_month, event.note, event.work_date, event.recorded_by)
        elif event.note:
            note = event.note
    return TaskState(tuple(completions), note, deferral)


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
