"""The plan versions a store keeps: each version of a plan that events were recorded against,
with its tasks, so that `check` can say what changed since. Shared by both read paths."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from planctl import frozen
from planctl.errors import DamagedStore

if TYPE_CHECKING:
    from planctl.store.queries import PlanTasks


@frozen(slots=False)
class PlanVersion:
    """A plan version the store saw: its content hash and its tasks ({id: [title, month]})."""

    digest: str
    seen_at: datetime
    tasks: dict[str, list[Any]]


PLAN_VERSION_COLUMNS = ("seq", "plan_id", "digest", "seen_at", "tasks")
"""The plan_versions table's columns, in the order `plan_version` takes them."""


def plan_version(
    seq: object, plan_id: object, digest: str, seen_at: datetime, tasks: object
) -> PlanVersion:
    """A plan version from its row's values (`seen_at` already a time); a row whose tasks are
    not {task id: [title, month]} raises `DamagedStore` naming it by `seq`."""
    where = f"plan version (seq {seq}, plan {plan_id})"
    try:
        snapshot = json.loads(tasks)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DamagedStore(where, "tasks is not valid JSON") from None
    if not isinstance(snapshot, dict) or not all(
        isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)
        for value in snapshot.values()
    ):
        raise DamagedStore(where, "tasks is not {task id: [title, month]}")
    return PlanVersion(
        digest,
        seen_at.astimezone(UTC) if seen_at.tzinfo else seen_at.replace(tzinfo=UTC),
        snapshot,
    )


def task_snapshot(plan: PlanTasks) -> dict[str, list[Any]]:
    """What the store keeps of a plan version's tasks, to tell later what changed (here,
    without SQLAlchemy, for both write paths)."""
    return {task.id: [task.title, task.month] for task in plan.tasks}
