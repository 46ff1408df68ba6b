"""What changed in a plan since the store last saw it, and progress left without a task."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from planctl import frozen
from planctl.core.events import Event
from planctl.plan.model import Plan


@frozen(slots=False)
class PlanChanges:
    """Tasks added, removed, retitled and moved to another month between two versions."""

    added: list[tuple[str, str]]
    removed: list[tuple[str, str]]
    retitled: list[tuple[str, str, str]]
    moved: list[tuple[str, int | str | None, int | str | None]]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.retitled or self.moved)


def plan_changes(before: Mapping[str, list[Any]], plan: Plan) -> PlanChanges:
    """Compare a stored snapshot ({id: [title, month]}) with the plan as it is now."""
    now = {task.id: task for task in plan.tasks}
    changes = PlanChanges([], [], [], [])
    for task_id, task in now.items():
        if task_id not in before:
            changes.added.append((task_id, task.title))
            continue
        old_title, old_month = before[task_id]
        if old_title != task.title:
            changes.retitled.append((task_id, old_title, task.title))
        if old_month != task.month:
            changes.moved.append((task_id, old_month, task.month))
    for task_id, (old_title, _) in before.items():
        if task_id not in now:
            changes.removed.append((task_id, old_title))
    return changes


def orphaned(plan: Plan, events: Iterable[Event]) -> dict[str, int]:
    """Task IDs with recorded events that the plan no longer has, and how many events each."""
    known = {task.id for task in plan.tasks}
    counts = Counter(event.task_id for event in events if event.task_id not in known)
    return dict(sorted(counts.items()))
