"""What a command may do inside one write transaction: read a plan's events as they stand,
append events, returns and plan versions, and remember the plan version it recorded against.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

import sqlalchemy as sa

from planctl.core.events import Action, Event
from planctl.core.filed import RETURN_FIELDS, FiledReturn
from planctl.core.renames import apply_renames, rename_map, renamed_into
from planctl.store.location import StoreLocation as StoreLocation
from planctl.store.queries import (
    PlanTasks,
    _read_events,
    _select_events,
    _select_plan_versions,
    _select_returns,
    task_snapshot,
)
from planctl.store.rows import check_fits, event_row
from planctl.store.schema import events, plan_versions, returns
from planctl.store.versions import PlanVersion as PlanVersion

_IDS_PER_QUERY = 500
"""Event IDs looked up per query: well under SQLite's and PostgreSQL's limits on parameters."""


class Transaction:
    """What a command may do inside one write transaction."""

    def __init__(self, connection: sa.Connection) -> None:
        self._connection = connection

    def events(self, plan_id: str, task_ids: Iterable[str] | None = None) -> list[Event]:
        """Events as they stand inside this transaction, each counted for the task it is for
        now (`rename` events applied): those of `task_ids` include the events renamed into
        them."""
        connection = self._connection
        if task_ids is None:
            return apply_renames(_select_events(connection, plan_id, None))
        is_rename = sa.and_(events.c.plan_id == plan_id, events.c.action == Action.RENAME.value)
        undone = sa.and_(
            events.c.action == Action.UNDO.value,
            events.c.undoes.in_(sa.select(events.c.event_id).where(is_rename)),
        )
        renames = _read_events(connection, events.c.plan_id == plan_id, sa.or_(is_rename, undone))
        if not renames:
            return _select_events(connection, plan_id, task_ids)
        owner = rename_map(renames)
        wanted = list(task_ids)
        found = _select_events(connection, plan_id, [*wanted, *renamed_into(owner, wanted)])
        return apply_renames(found, owner)

    def append(self, new_events: Sequence[Event]) -> None:
        """Add events to the log; an event over the columns' limits raises
        `StoreLimitExceeded` before anything is written, on every backend."""
        if new_events:
            rows = [event_row(event) for event in new_events]
            for row in rows:
                check_fits(row)
            self._connection.execute(events.insert(), rows)

    def events_with_ids(self, event_ids: Iterable[str]) -> dict[str, Event]:
        """The events among these IDs that the store has, by event ID."""
        wanted = sorted(set(event_ids))
        found: dict[str, Event] = {}
        for start in range(0, len(wanted), _IDS_PER_QUERY):
            chunk = wanted[start : start + _IDS_PER_QUERY]
            for event in _read_events(self._connection, events.c.event_id.in_(chunk)):
                found[event.event_id] = event
        return found

    def filed_returns(self, plan_id: str) -> list[FiledReturn]:
        """The plan's collected returns, in recorded order, as they stand in this transaction."""
        return _select_returns(self._connection, plan_id)

    def append_returns(self, filed: Sequence[FiledReturn]) -> None:
        """Add collected returns (see `returns collect`)."""
        if filed:
            rows = [{key: getattr(item, key) for key in RETURN_FIELDS} for item in filed]
            self._connection.execute(returns.insert(), rows)

    def plan_versions(self) -> list[tuple[str, PlanVersion]]:
        """Every plan version as (plan id, version), as they stand inside this transaction."""
        return _select_plan_versions(self._connection)

    def append_plan_versions(self, versions: Sequence[tuple[str, PlanVersion]]) -> None:
        """Add plan versions (from another store) after the ones already here."""
        if versions:
            rows = [
                {
                    "plan_id": plan_id,
                    "digest": version.digest,
                    "seen_at": version.seen_at,
                    "tasks": json.dumps(version.tasks, ensure_ascii=False, sort_keys=True),
                }
                for plan_id, version in versions
            ]
            self._connection.execute(plan_versions.insert(), rows)

    def record_plan(self, plan: PlanTasks, digest: str, seen_at: datetime) -> None:
        """Remember the plan version these events are recorded against, if it is new: first
        seen at `seen_at` (the recording time of the events, handed in by the shell)."""
        query = (
            sa.select(plan_versions.c.digest)
            .where(plan_versions.c.plan_id == plan.id)
            .order_by(plan_versions.c.seq.desc())
            .limit(1)
        )
        if self._connection.execute(query).scalar() == digest:
            return  # the usual case: only the digest is read, not the task snapshot
        self._connection.execute(
            plan_versions.insert(),
            {
                "plan_id": plan.id,
                "digest": digest,
                "seen_at": seen_at,
                "tasks": json.dumps(task_snapshot(plan), ensure_ascii=False, sort_keys=True),
            },
        )
