"""The store as a read command sees it, and the one place that chooses how it is read.

A SQLite store at the current schema is read with the standard library (`sqlite_read`); every
other store (PostgreSQL, or a SQLite file that needs SQLAlchemy to say what it is) through
`Store`. Both give the same events, the same plan versions and the same messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

from planctl.store.location import StoreLocation

if TYPE_CHECKING:
    from planctl.core.events import Event
    from planctl.core.filed import FiledReturn
    from planctl.errors import DamagedStore
    from planctl.store.rows import T
    from planctl.store.versions import PlanVersion

DIRECT_SQLITE = True
"""Read SQLite stores without SQLAlchemy. The store tests turn it off to run every read on
the SQLAlchemy path too."""


class ReadStore(Protocol):
    """What a read command may do with a store."""

    location: StoreLocation

    def events(self, plan_id: str, task_ids: Iterable[str] | None = None) -> list[Event]: ...
    def per_task(
        self, plan_id: str, each: Callable[[list[Event], list[int]], T | None]
    ) -> dict[str, T]: ...
    def fingerprint(self, plan_id: str) -> str | None: ...
    def snapshot(self) -> AbstractContextManager[bool]: ...
    def latest(self, plan_id: str, limit: int) -> list[tuple[int, Event]]: ...
    def newest_first(self, plan_id: str) -> Iterator[list[Event]]: ...
    def recorded_tasks(self, plan_id: str) -> tuple[set[str], bool]: ...
    def all_events(self) -> list[Event]: ...
    def salvage_events(self) -> tuple[list[Event], list[DamagedStore]]: ...
    def salvage_event_chunks(self, each: Callable[[list[Event]], object]) -> list[DamagedStore]: ...
    def latest_plan_version(self, plan_id: str) -> PlanVersion | None: ...
    def all_plan_versions(self) -> list[tuple[str, PlanVersion]]: ...
    def salvage_plan_versions(
        self,
    ) -> tuple[list[tuple[str, PlanVersion]], list[DamagedStore]]: ...
    def filed_returns(self, plan_id: str | None = None) -> list[FiledReturn]: ...
    def close(self) -> None: ...
    def __enter__(self) -> ReadStore: ...
    def __exit__(self, *exc_info: object) -> None: ...


def open_for_reading(location: StoreLocation) -> ReadStore:
    """Open without writing; a store that does not exist yet reads as empty."""
    if location.sqlite_file is not None and DIRECT_SQLITE:
        from planctl.store.sqlite_read import SqliteReader

        reader = SqliteReader.open(location)
        if reader is not None:
            return reader
    from planctl.store.store import Store

    return Store.open_for_reading(location)
