"""The store's queries, on a connection: events in recorded order (a damaged row named by its
`seq`), the collected returns, the plan versions and what the store keeps of a plan's tasks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

import sqlalchemy as sa

from planctl.core.events import Event
from planctl.core.filed import RETURN_FIELDS, FiledReturn, filed_return
from planctl.errors import DamagedStore
from planctl.store.location import StoreLocation as StoreLocation
from planctl.store.rows import EVENT_FIELDS, DamagedRow, events_from_rows
from planctl.store.schema import events, plan_versions, returns
from planctl.store.versions import PlanVersion as PlanVersion
from planctl.store.versions import plan_version
from planctl.store.versions import task_snapshot as task_snapshot


def _select_returns(connection: sa.Connection, plan_id: str | None) -> list[FiledReturn]:
    query = sa.select(*(returns.c[key] for key in RETURN_FIELDS)).order_by(returns.c.seq)
    if plan_id is not None:
        query = query.where(returns.c.plan_id == plan_id)
    return [filed_return(tuple(row)) for row in connection.execute(query)]


_VERSION_ORDER = (plan_versions.c.seen_at, plan_versions.c.plan_id, plan_versions.c.digest)
"""Plan versions in the order seen (then by plan and digest), whatever order a store received
them in: two stores that merged the same exports in any order export the same bytes."""


class SnapshotTask(Protocol):
    """What the store keeps of a task (the store knows no plan model)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def month(self) -> object: ...  # a month as the plan writes it: 6, "2019-06", or None


class PlanTasks(Protocol):
    """A plan as the store sees it: its ID and its tasks."""

    @property
    def id(self) -> str: ...
    @property
    def tasks(self) -> Sequence[SnapshotTask]: ...


def _select_plan_versions(connection: sa.Connection) -> list[tuple[str, PlanVersion]]:
    query = sa.select(plan_versions).order_by(*_VERSION_ORDER)
    with _damaged_version_times():
        rows = connection.execute(query).mappings().all()
    return [(row["plan_id"], _plan_version(row)) for row in rows]


def _plan_version(row: sa.RowMapping) -> PlanVersion:
    return plan_version(row["seq"], row["plan_id"], row["digest"], row["seen_at"], row["tasks"])


@contextmanager
def _damaged_version_times() -> Iterator[None]:
    """SQLAlchemy parses SQLite's text times as it fetches: a bad one is a damaged row."""
    try:
        yield
    except ValueError as error:
        raise DamagedStore("plan version", f"seen_at is not a time ({error})") from None


def _latest_version(connection: sa.Connection, plan_id: str) -> PlanVersion | None:
    query = (
        sa.select(plan_versions)
        .where(plan_versions.c.plan_id == plan_id)
        .order_by(plan_versions.c.seq.desc())
        .limit(1)
    )
    with _damaged_version_times():
        row = connection.execute(query).mappings().first()
    return None if row is None else _plan_version(row)


_EVENT_COLUMNS = [events.c[name] for name in EVENT_FIELDS]
_EVENT_COLUMNS_AS_TEXT = [
    sa.type_coerce(events.c[name], sa.String)
    if name in ("work_date", "recorded_at", "to_date")
    else events.c[name]
    for name in EVENT_FIELDS
]
"""The same for SQLite, dates as the text SQLite keeps (see `events_from_rows`)."""


def _select_events(
    connection: sa.Connection, plan_id: str, task_ids: Iterable[str] | None
) -> list[Event]:
    """A plan's events (some tasks' only, if given), in recorded order."""
    conditions = [events.c.plan_id == plan_id]
    if task_ids is not None:
        conditions.append(events.c.task_id.in_(list(task_ids)))
    return _read_events(connection, *conditions)


def _recorded_order(connection: sa.Connection) -> list[sa.ColumnElement[Any]]:
    """The order of an export: recorded time, then event ID compared by code point (as Python
    and SQLite compare it; PostgreSQL's default collation may not); not `seq`, the order events
    came in, so that stores that merged the same exports in either order export alike."""
    event_id: sa.ColumnElement[Any] = events.c.event_id
    if connection.dialect.name == "postgresql":
        event_id = event_id.collate("C")
    return [events.c.recorded_at, event_id, events.c.seq]


def _read_events(connection: sa.Connection, *conditions: sa.ColumnElement[bool]) -> list[Event]:
    """The events meeting every condition, in recorded order."""
    rows, as_text = _event_rows(connection, *conditions)
    return _events_of(connection, rows, as_text)


def _events_of(connection: sa.Connection, rows: Sequence[Any], as_text: bool) -> list[Event]:
    """Events from rows of `_event_rows`' columns; a damaged row is named by its `seq`."""
    try:
        return events_from_rows(rows, dates_as_text=as_text)
    except DamagedRow as damage:
        raise _damaged_event(connection, damage.event_id, damage.problem) from None


def _event_rows(
    connection: sa.Connection,
    *conditions: sa.ColumnElement[bool],
    order: Sequence[sa.ColumnElement[Any]] = (events.c.seq,),
) -> tuple[Sequence[sa.Row[Any]], bool]:
    """The rows of the events meeting every condition, in the order they came (or `order`),
    and whether their dates are text (SQLite)."""
    sqlite = connection.dialect.name == "sqlite"
    columns = _EVENT_COLUMNS_AS_TEXT if sqlite else _EVENT_COLUMNS
    query = sa.select(*columns).where(*conditions).order_by(*order)
    return connection.execute(query).all(), sqlite  # one fetchall: iterating is row by row


def _damaged_event(connection: sa.Connection, event_id: object, problem: str) -> DamagedStore:
    """The damage of one events row, named by its `seq` and event id."""
    query = sa.select(events.c.seq).where(events.c.event_id == event_id).limit(1)
    seq = connection.execute(query).scalar()
    shown = event_id if isinstance(event_id, str) and event_id.isprintable() else repr(event_id)
    return DamagedStore(f"event (seq {seq}, event {shown:.40})", problem)
