"""Where the tasks stand, folded from the store one task at a time (a plan of 20,000 tasks
and 500,000 events is never all in memory), and the warning for events of tasks the plan no
longer has."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING

from planctl.cli.output import warn
from planctl.core.events import Event
from planctl.core.state import TaskState, events_as_of, fold
from planctl.i18n import ngettext

if TYPE_CHECKING:
    from planctl.plan.model import Plan
    from planctl.store.reading import ReadStore


def states_task_by_task(
    store: ReadStore,
    plan: Plan,
    today: date,
    also: Callable[[list[Event], list[int]], object] | None,
) -> dict[str, TaskState] | None:
    """Each task's state at the end of `today`, handing each task's events and their place in
    the log (`seq`) to `also` as they come; None when the store holds events of a task the
    plan no longer has (a renamed task's count for its new ID, and the rest named once: the
    caller then reads the whole log)."""

    def state(events: list[Event], seqs: list[int]) -> tuple[TaskState | None]:
        if also is not None:
            also(events, seqs)
        counted = events_as_of(events, today)
        return (fold(counted) if counted else None,)

    folded = store.per_task(plan.id, state)
    known = {task.id for task in plan.tasks}
    if any(task_id not in known for task_id in folded):
        return None
    return {task_id: found for task_id, (found,) in folded.items() if found is not None}


def warn_orphaned(orphaned: Mapping[str, int]) -> None:
    """One line on stderr for each task no longer in the plan that events are recorded for:
    read as a task never started, a renamed task's history would vanish without a word."""
    for task_id, count in orphaned.items():
        warn(
            ngettext(
                "planctl: warning: {count} event is for {id}, no longer in the plan (renamed?"
                " `planctl store rename-task {id} NEW` moves them)",
                "planctl: warning: {count} events are for {id}, no longer in the plan (renamed?"
                " `planctl store rename-task {id} NEW` moves them)",
                count,
            ).format(count=count, id=task_id)
        )
