"""Tasks renamed in the plan: `rename` events make the events of an old task ID count for a
new one, without changing a recorded row (the log stays append-only)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from planctl.core.events import Action, Event, Stamp
from planctl.errors import CannotRename
from planctl.i18n import _

if TYPE_CHECKING:
    from planctl.plan.model import Plan, Task


def rename_map(events: Iterable[Event]) -> dict[str, str]:
    """Each recorded task ID whose events count for another task, and that task's ID: the
    renames in force (not undone), applied in the order recorded (`A -> B` then `B -> C`
    sends A's and B's events to C)."""
    recorded = list(events)
    undone = {event.undoes for event in recorded if event.action is Action.UNDO}
    owner: dict[str, str] = {}
    for event in recorded:
        if event.action is not Action.RENAME or event.event_id in undone or not event.note:
            continue
        old, new = event.note, event.task_id
        for recorded_id, current in owner.items():
            if current == old:
                owner[recorded_id] = new
        owner.setdefault(old, new)
    return {
        recorded_id: current for recorded_id, current in owner.items() if recorded_id != current
    }


def apply_renames(events: Sequence[Event], owner: Mapping[str, str] | None = None) -> list[Event]:
    """The events with each one's task ID the one it counts for now (`owner`: `rename_map`
    of the plan's events, worked out from these when not given)."""
    owner = rename_map(events) if owner is None else owner
    if not owner:
        return list(events)
    return [
        replace(event, task_id=owner[event.task_id]) if event.task_id in owner else event
        for event in events
    ]


def renamed_into(owner: Mapping[str, str], task_ids: Iterable[str]) -> set[str]:
    """The recorded task IDs whose events count for one of `task_ids`."""
    wanted = set(task_ids)
    return {recorded_id for recorded_id, current in owner.items() if current in wanted}


def rename_event(
    plan: Plan, old: str, new: Task, events: Sequence[Event], on: date, stamp: Stamp
) -> tuple[Event, int]:
    """The event that makes the events of `old` (a task ID the plan no longer has) count for
    `new`, and how many they are; `events`: the plan's, renames applied."""
    if any(task.id.casefold() == old.casefold() for task in plan.tasks):
        raise CannotRename(
            _(
                "{old} is a task of the plan: only the events of a task the plan no longer has"
                " can be moved"
            ).format(old=old)
        )
    moved = sum(1 for event in events if event.task_id == old)
    if not moved:
        raise CannotRename(
            _("no events are for {old} in {plan}; nothing to move").format(old=old, plan=plan.id)
        )
    return stamp.event(plan.id, new.id, Action.RENAME, on, note=old), moved
