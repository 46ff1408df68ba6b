"""The reads of an open store that take a plan's events whole or a few tasks' (the streamed
reads, a chunk at a time, are `Store`'s), the tasks recorded, the collected returns, the plan
versions and the event counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

import sqlalchemy as sa

from planctl.core.events import Action, Event
from planctl.core.filed import FiledReturn
from planctl.errors import DamagedStore
from planctl.store.location import StoreLocation
from planctl.store.queries import (
    _VERSION_ORDER,
    _damaged_version_times,
    _latest_version,
    _plan_version,
    _read_events,
    _select_events,
    _select_plan_versions,
    _select_returns,
)
from planctl.store.schema import events, plan_versions
from planctl.store.versions import PlanVersion


class StoreReads:
    """What an open store reads (`Store`, which opens it, has these methods)."""

    location: StoreLocation
    _engine: sa.Engine | None

    if TYPE_CHECKING:

        def _errors(self) -> AbstractContextManager[None]: ...

    def events(self, plan_id: str, task_ids: Iterable[str] | None = None) -> list[Event]:
        """A plan's events in the order they were recorded, optionally for some tasks only."""
        if self._engine is None:
            return []
        with self._errors(), self._engine.connect() as connection:
            return _select_events(connection, plan_id, task_ids)

    def recorded_tasks(self, plan_id: str) -> tuple[set[str], bool]:
        """The task IDs a plan's events are for, and whether any of them is a `rename`."""
        if self._engine is None:
            return set(), False
        with self._errors(), self._engine.connect() as connection:
            mine = events.c.plan_id == plan_id
            found = connection.execute(sa.select(events.c.task_id).where(mine).distinct())
            task_ids = {task_id for (task_id,) in found}
            renamed = connection.execute(
                sa.select(events.c.seq).where(mine, events.c.action == Action.RENAME.value).limit(1)
            ).first()
        return task_ids, renamed is not None

    def filed_returns(self, plan_id: str | None = None) -> list[FiledReturn]:
        """The collected returns (of one plan, or all), in recorded order."""
        if self._engine is None:
            return []
        with self._errors(), self._engine.connect() as connection:
            return _select_returns(connection, plan_id)

    def latest_plan_version(self, plan_id: str) -> PlanVersion | None:
        """The last version of the plan that events were recorded against."""
        if self._engine is None:
            return None
        with self._errors(), self._engine.connect() as connection:
            return _latest_version(connection, plan_id)

    def all_events(self) -> list[Event]:
        """Every plan's events, in the order they were recorded."""
        if self._engine is None:
            return []
        with self._errors(), self._engine.connect() as connection:
            return _read_events(connection)

    def salvage_plan_versions(self) -> tuple[list[tuple[str, PlanVersion]], list[DamagedStore]]:
        """Every sound plan version as (plan id, version), and the damage of the other rows."""
        if self._engine is None:
            return [], []
        query = sa.select(plan_versions).order_by(*_VERSION_ORDER)
        good: list[tuple[str, PlanVersion]] = []
        bad: list[DamagedStore] = []
        with self._errors(), self._engine.connect() as connection:
            with _damaged_version_times():
                rows = connection.execute(query).mappings().all()
            for row in rows:
                try:
                    good.append((row["plan_id"], _plan_version(row)))
                except DamagedStore as damage:
                    bad.append(damage.located(self.location.display()))
        return good, bad

    def all_plan_versions(self) -> list[tuple[str, PlanVersion]]:
        """Every plan version the store saw, as (plan id, version), in the order it saw them."""
        if self._engine is None:
            return []
        with self._errors(), self._engine.connect() as connection:
            return _select_plan_versions(connection)

    def event_counts(self) -> dict[str, int]:
        """How many events each plan has, by plan id."""
        if self._engine is None:
            return {}
        query = (
            sa.select(events.c.plan_id, sa.func.count())
            .group_by(events.c.plan_id)
            .order_by(events.c.plan_id)
        )
        with self._errors(), self._engine.connect() as connection:
            return {plan_id: int(count) for plan_id, count in connection.execute(query)}
