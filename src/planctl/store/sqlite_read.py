"""Reads of a SQLite store through the standard library's `sqlite3`, without SQLAlchemy.

A read command spends most of its time starting up, and importing SQLAlchemy was most of that
(docs/performance.md), paid by every `due` only to run one SELECT. So a SQLite store at the
current schema is read here: the same file opened the same way (read-only, `query_only`, the
busy timeout, the read-only-directory fallbacks of `sqlite_files`), the same rows turned into
events by `rows.events_from_rows`, the same damage named by `seq`. Anything else (a store made by
an older or newer planctl, planctl's tables without a revision, another program's database) is
left to `Store.open_for_reading`, which recognises it with SQLAlchemy and says what it is.

The SQL is built from the same names as the SQLAlchemy tables: the events' columns are
`EVENT_FIELDS` (the `Event` dataclass's fields), the plan versions' `PLAN_VERSION_COLUMNS`;
tests/test_store.py checks both against `store/schema.py`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from functools import partial
from operator import itemgetter
from typing import Any

from planctl.core.events import Event
from planctl.core.filed import RETURN_FIELDS, FiledReturn, filed_return
from planctl.errors import DamagedStore, NoStore
from planctl.store import sqlite_files
from planctl.store.location import StoreLocation
from planctl.store.rows import (
    CHUNK,
    EVENT_FIELDS,
    FINGERPRINT_QUERY,
    DamagedRow,
    T,
    events_from_rows,
    fingerprint_of,
    results_per_task,
    salvage_events,
)
from planctl.store.versions import PLAN_VERSION_COLUMNS, PlanVersion, plan_version

EVENT_COLUMNS = ", ".join(EVENT_FIELDS)
RECORDED_ORDER = "recorded_at, event_id, seq"
"""The order of an export: when recorded, then event ID; not `seq`, the order events came in,
so that stores that merged the same exports in either order export the same bytes."""
PER_TASK_QUERY = f"SELECT seq, {EVENT_COLUMNS} FROM events WHERE plan_id = ? ORDER BY task_id, seq"
"""A plan's events task by task, each task's in the order they came: one walk along the index
that holds every column in this order (`ix_events_plan_read`, migration 0007)."""
VERSION_COLUMNS = ", ".join(PLAN_VERSION_COLUMNS)
IDS_PER_QUERY = 500
"""Task IDs per query: well under SQLite's limit on parameters (as on the other path)."""


class SqliteReader:
    """A SQLite store at the current schema, open to be read: the read methods of `Store`."""

    def __init__(self, location: StoreLocation, connection: sqlite3.Connection | None) -> None:
        self.location = location
        self._connection = connection  # None: a store file that is not there, so no events
        self._held = False  # in a `snapshot`: reads join its transaction

    @classmethod
    def open(cls, location: StoreLocation) -> SqliteReader | None:
        """The store's file opened to be read, or None when it is not a planctl store at the
        current schema (`Store.open_for_reading` then says what it is)."""
        path = location.sqlite_file
        assert path is not None, "a SQLite store"
        if not path.exists():
            raise NoStore(location.display())
        sqlite_files.refuse_non_regular(path, location.display())
        reader = cls(location, None)
        try:
            with reader._errors():
                reader._connection = sqlite_files.connect_for_reading(
                    path, sqlite_files.BUSY_TIMEOUT_SECONDS
                )
                if reader._current():
                    return reader
        except BaseException:
            reader.close()
            raise
        reader.close()
        return None

    def _current(self) -> bool:
        """planctl's tables, at the revision this planctl writes."""
        with self._reading() as connection:
            return sqlite_files.current_schema(connection)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> SqliteReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def events(self, plan_id: str, task_ids: Iterable[str] | None = None) -> list[Event]:
        """A plan's events in the order they were recorded, optionally for some tasks only."""
        if self._connection is None:
            return []
        with self._errors(), self._reading() as connection:
            return events_of(connection, plan_id, task_ids)

    def per_task(
        self, plan_id: str, each: Callable[[list[Event], list[int]], T | None]
    ) -> dict[str, T]:
        """`each` of every task's events (in recorded order) and their `seq` (their place in
        the plan's log), one task at a time: a plan's whole log is never in memory at once
        (the index on plan and task serves the order). Tasks for which `each` gives None are
        left out."""
        if self._connection is None:
            return {}
        with self._errors(), self._reading() as connection:
            cursor = connection.execute(PER_TASK_QUERY, [plan_id])
            return results_per_task(
                iter(partial(cursor.fetchmany, CHUNK), []),
                lambda rows: _read_events(connection, rows),
                each,
            )

    def fingerprint(self, plan_id: str) -> str | None:
        """What identifies the plan's events as they stand (`rows.fingerprint_of`); None for
        a store that is not there."""
        if self._connection is None:
            return None
        with self._errors(), self._reading() as connection:
            count, rows = connection.execute(FINGERPRINT_QUERY, [plan_id]).fetchone()
        return fingerprint_of(count, rows or "")

    @contextmanager
    def snapshot(self) -> Iterator[bool]:
        """Reads made inside this see one state of the store (one read transaction, however
        many reads): True, so a fingerprint taken inside holds for every read made there."""
        if self._connection is None or self._held:
            yield True
            return
        with self._errors(), self._reading():
            self._held = True
            try:
                yield True
            finally:
                self._held = False

    def latest(self, plan_id: str, limit: int) -> list[tuple[int, Event]]:
        """The plan's `limit` latest events by work date (among one day's, the last
        recorded), in the order they were recorded, each with its `seq`."""
        if self._connection is None:
            return []
        query = (
            f"SELECT seq, {EVENT_COLUMNS} FROM events WHERE plan_id = ?"
            " ORDER BY work_date DESC, seq DESC LIMIT ?"
        )
        with self._errors(), self._reading() as connection:
            rows = connection.execute(query, [plan_id, limit]).fetchall()
            found = _read_events(connection, [row[1:] for row in rows])
        return sorted(zip([row[0] for row in rows], found, strict=True), key=itemgetter(0))

    def newest_first(self, plan_id: str) -> Iterator[list[Event]]:
        """A plan's events newest first (the reverse of recorded order), 10,000 at a time, for
        a history written as it is read."""
        if self._connection is None:
            return
        query = f"SELECT {EVENT_COLUMNS} FROM events WHERE plan_id = ? ORDER BY seq DESC"
        with self._errors(), self._reading() as connection:
            cursor = connection.execute(query, [plan_id])
            for rows in iter(partial(cursor.fetchmany, CHUNK), []):
                yield _read_events(connection, rows)

    def recorded_tasks(self, plan_id: str) -> tuple[set[str], bool]:
        """The task IDs a plan's events are for, and whether any of them is a `rename`."""
        if self._connection is None:
            return set(), False
        with self._errors(), self._reading() as connection:
            found = connection.execute(
                "SELECT DISTINCT task_id FROM events WHERE plan_id = ?", [plan_id]
            ).fetchall()
            renamed = connection.execute(
                "SELECT 1 FROM events WHERE plan_id = ? AND action = 'rename' LIMIT 1", [plan_id]
            ).fetchone()
        return {task_id for (task_id,) in found}, renamed is not None

    def all_events(self) -> list[Event]:
        """Every plan's events, in the order they were recorded."""
        if self._connection is None:
            return []
        with self._errors(), self._reading() as connection:
            return _read_events(connection, _event_rows(connection, "1", []))

    def salvage_events(self) -> tuple[list[Event], list[DamagedStore]]:
        """Every plan's sound events in recorded order, and the damage of the other rows."""
        good: list[Event] = []
        return good, self.salvage_event_chunks(good.extend)

    def salvage_event_chunks(self, each: Callable[[list[Event]], object]) -> list[DamagedStore]:
        """Every plan's sound events in recorded order, handed to `each` a chunk at a time (a
        store's whole log is never in memory at once), and the damage of the other rows."""
        if self._connection is None:
            return []
        damage: list[DamagedStore] = []
        where = self.location.display()
        query = f"SELECT {EVENT_COLUMNS} FROM events ORDER BY {RECORDED_ORDER}"
        with self._errors(), self._reading() as connection:
            cursor = connection.execute(query)
            for rows in iter(partial(cursor.fetchmany, CHUNK), []):
                good, bad = salvage_events(rows, dates_as_text=True)
                each(good)
                damage.extend(
                    _damaged_event(connection, event_id, problem).located(where)
                    for _, event_id, problem in bad
                )
        return damage

    def latest_plan_version(self, plan_id: str) -> PlanVersion | None:
        """The last version of the plan that events were recorded against."""
        if self._connection is None:
            return None
        query = (
            f"SELECT {VERSION_COLUMNS} FROM plan_versions WHERE plan_id = ?"
            " ORDER BY seq DESC LIMIT 1"
        )
        with self._errors():
            with self._reading() as connection:
                row = connection.execute(query, (plan_id,)).fetchone()
            return None if row is None else _plan_version(row)

    def all_plan_versions(self) -> list[tuple[str, PlanVersion]]:
        """Every plan version the store saw, as (plan id, version), in the order it saw them."""
        if self._connection is None:
            return []
        with self._errors():
            with self._reading() as connection:
                rows = _version_rows(connection)
            return [(row[1], _plan_version(row)) for row in rows]

    def salvage_plan_versions(self) -> tuple[list[tuple[str, PlanVersion]], list[DamagedStore]]:
        """Every sound plan version as (plan id, version), and the damage of the other rows."""
        if self._connection is None:
            return [], []
        good: list[tuple[str, PlanVersion]] = []
        bad: list[DamagedStore] = []
        with self._errors(), self._reading() as connection:
            rows = _version_rows(connection)
        for row in rows:
            try:
                good.append((row[1], _plan_version(row)))
            except DamagedStore as damage:
                bad.append(damage.located(self.location.display()))
        return good, bad

    def filed_returns(self, plan_id: str | None = None) -> list[FiledReturn]:
        """The collected returns (of one plan, or all), in recorded order."""
        if self._connection is None:
            return []
        query = f"SELECT {', '.join(RETURN_FIELDS)} FROM returns"
        query += " WHERE plan_id = ? ORDER BY seq" if plan_id is not None else " ORDER BY seq"
        with self._errors(), self._reading() as connection:
            rows = connection.execute(query, () if plan_id is None else (plan_id,)).fetchall()
        return [filed_return(row) for row in rows]

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: what it reads is one state of the store (inside a `snapshot`,
        the snapshot's)."""
        connection = self._connection
        assert connection is not None
        if self._held:
            yield connection
            return
        connection.execute("BEGIN")
        try:
            yield connection
        finally:
            connection.execute("ROLLBACK")

    def _errors(self) -> AbstractContextManager[None]:
        """Database errors become one clear `StoreError`, as on the SQLAlchemy path."""
        return sqlite_files.worded_errors(self.location)


def events_of(
    connection: sqlite3.Connection, plan_id: str, task_ids: Iterable[str] | None = None
) -> list[Event]:
    """A plan's events in the order they were recorded, optionally for some tasks only (in
    queries of at most `IDS_PER_QUERY` IDs): what the reader and a write transaction read."""
    if task_ids is None:
        return _read_events(connection, _event_rows(connection, "plan_id = ?", [plan_id]))
    wanted = list(dict.fromkeys(task_ids))
    if len(wanted) <= IDS_PER_QUERY:
        where = f"plan_id = ? AND task_id IN ({', '.join('?' * len(wanted))})"
        return _read_events(connection, _event_rows(connection, where, [plan_id, *wanted]))
    numbered = []
    for start in range(0, len(wanted), IDS_PER_QUERY):
        chunk = wanted[start : start + IDS_PER_QUERY]
        where = f"plan_id = ? AND task_id IN ({', '.join('?' * len(chunk))})"
        numbered.extend(_event_rows(connection, where, [plan_id, *chunk], numbered=True))
    numbered.sort(key=lambda row: row[0])
    return _read_events(connection, [row[1:] for row in numbered])


def _event_rows(
    connection: sqlite3.Connection,
    where: str,
    parameters: Sequence[object],
    *,
    numbered: bool = False,
    order: str = "seq",
) -> list[Any]:
    """The rows of the events meeting `where`, in the order they came (or `order`): column
    values in `EVENT_FIELDS` order (after `seq` if `numbered`), dates as the text SQLite keeps."""
    columns = f"seq, {EVENT_COLUMNS}" if numbered else EVENT_COLUMNS
    query = f"SELECT {columns} FROM events WHERE {where} ORDER BY {order}"
    return connection.execute(query, parameters).fetchall()


def _read_events(connection: sqlite3.Connection, rows: Sequence[Any]) -> list[Event]:
    """Events from rows of `_event_rows`; a damaged row is named by its `seq`."""
    try:
        return events_from_rows(rows, dates_as_text=True)
    except DamagedRow as damage:
        raise _damaged_event(connection, damage.event_id, damage.problem) from None


def _damaged_event(connection: sqlite3.Connection, event_id: object, problem: str) -> DamagedStore:
    """The damage of one events row, named by its `seq` and event id."""
    found = connection.execute(
        "SELECT seq FROM events WHERE event_id = ? LIMIT 1", (event_id,)
    ).fetchone()
    seq = None if found is None else found[0]
    shown = event_id if isinstance(event_id, str) and event_id.isprintable() else repr(event_id)
    return DamagedStore(f"event (seq {seq}, event {shown:.40})", problem)


def _version_rows(connection: sqlite3.Connection) -> list[Any]:
    return connection.execute(
        f"SELECT {VERSION_COLUMNS} FROM plan_versions ORDER BY seen_at, plan_id, digest, seq"
    ).fetchall()


def _plan_version(row: Sequence[Any]) -> PlanVersion:
    """A plan version from a row of `PLAN_VERSION_COLUMNS`; SQLite keeps its time as text."""
    seq, plan_id, digest, seen_at, tasks = row
    try:
        seen = datetime.fromisoformat(seen_at)
    except (TypeError, ValueError):
        where = f"plan version (seq {seq}, plan {plan_id})"
        raise DamagedStore(where, f"seen_at {seen_at!r:.40} is not a time") from None
    return plan_version(seq, plan_id, digest, seen, tasks)
