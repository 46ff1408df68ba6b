"""Write transactions on a SQLite store at the current schema through the standard library's
`sqlite3`, without SQLAlchemy: what `returns collect` records with.

Importing SQLAlchemy and running its statements was half of a `returns collect` of 30 returns
(docs/performance.md, *returns collect*), so a SQLite store that is already at the revision
this planctl writes is written here, as `store/sqlite_read.py` reads it: the same file opened
the same way for writing (`mode=rw`, the busy timeout, `BEGIN IMMEDIATE`, the file checked to
be still the store once the lock is held), the same rows (`rows.event_row`, refused by
`rows.check_fits` before anything is written), times and days as SQLAlchemy writes them to
SQLite, SQLite's errors worded by `sqlite_files.store_error`. Anything else (no file yet, an
older or newer schema, another program's database, a server) is left to
`Store.open_for_writing`, which makes, upgrades or refuses it.

The SQL is built from the same names as the SQLAlchemy tables (`EVENT_FIELDS`,
`RETURN_FIELDS`, `PLAN_VERSION_COLUMNS`); tests/test_store_sqlite_write.py checks that both
paths write the same rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from planctl.core.events import Action, Event
from planctl.core.filed import RETURN_FIELDS, FiledReturn, filed_return
from planctl.core.renames import apply_renames, rename_map, renamed_into
from planctl.store import sqlite_files
from planctl.store.location import StoreLocation
from planctl.store.rows import EVENT_FIELDS, check_fits, event_row
from planctl.store.sqlite_read import EVENT_COLUMNS, _event_rows, _read_events, events_of
from planctl.store.versions import task_snapshot

if TYPE_CHECKING:
    from pathlib import Path

    from planctl.store.queries import PlanTasks

_INSERT_EVENT = (
    f"INSERT INTO events ({EVENT_COLUMNS}) VALUES ({', '.join('?' * len(EVENT_FIELDS))})"
)
_INSERT_RETURN = (
    f"INSERT INTO returns ({', '.join(RETURN_FIELDS)})"
    f" VALUES ({', '.join('?' * len(RETURN_FIELDS))})"
)


class SqliteWriter:
    """A SQLite store at the current schema, open to be written one transaction at a time."""

    def __init__(self, location: StoreLocation, path: Path) -> None:
        self.location = location
        self._path = path
        self._connection: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None

    @classmethod
    def open(cls, location: StoreLocation) -> SqliteWriter | None:
        """The store's file opened for writing, or None when it is not a planctl store at the
        current schema that is there already (`Store.open_for_writing` then makes, upgrades
        or refuses it)."""
        path = location.sqlite_file
        if path is None or not path.is_file():
            return None
        writer = cls(location, path)
        try:
            with writer._errors():
                status = path.stat()
                writer._identity = (status.st_dev, status.st_ino)
                # mode=rw: SQLite must not make a file that was removed meanwhile.
                writer._connection = sqlite3.connect(
                    f"{path.absolute().as_uri()}?mode=rw",
                    uri=True,
                    timeout=sqlite_files.BUSY_TIMEOUT_SECONDS,
                    isolation_level=None,  # planctl issues BEGIN IMMEDIATE itself
                    check_same_thread=False,
                )
                if writer._current():
                    return writer
        except BaseException:
            writer.close()
            raise
        writer.close()
        return None

    def _current(self) -> bool:
        """planctl's tables, at the revision this planctl writes (as `SqliteReader`)."""
        assert self._connection is not None
        return sqlite_files.current_schema(self._connection)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> SqliteWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[SqliteTransaction]:
        """A write transaction (`BEGIN IMMEDIATE`: the write lock taken first): read what you
        need, append, and it all commits or none of it."""
        connection = self._connection
        assert connection is not None, "open gives a writer with a connection"
        with self._errors():
            connection.execute("BEGIN IMMEDIATE")
            try:
                self._still_the_store()
                yield SqliteTransaction(connection)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def _still_the_store(self) -> None:
        """With the write lock held: is the file this connection opened still the store? (As
        `engines._still_the_store`: a failed first command of another process may have
        removed the store it made.)"""
        if sqlite_files.file_identity(self._path) != self._identity:
            raise sqlite_files.removed_while_waiting(self._path)

    def _errors(self) -> AbstractContextManager[None]:
        """Database errors become one clear `StoreError`, as on the SQLAlchemy path."""
        return sqlite_files.worded_errors(self.location, writing=True)


class SqliteTransaction:
    """What `returns collect` does inside one write transaction: the methods of
    `store.transaction.Transaction` it uses, on a `sqlite3` connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def events(self, plan_id: str, task_ids: Iterable[str]) -> list[Event]:
        """The events of these tasks as they stand inside this transaction, each counted for
        the task it is for now: those renamed into them included (as `Transaction.events`)."""
        connection = self._connection
        renames = _read_events(
            connection,
            _event_rows(
                connection,
                "plan_id = ? AND (action = ? OR (action = ? AND undoes IN"
                " (SELECT event_id FROM events WHERE plan_id = ? AND action = ?)))",
                [plan_id, Action.RENAME.value, Action.UNDO.value, plan_id, Action.RENAME.value],
            ),
        )
        wanted = list(dict.fromkeys(task_ids))
        if not renames:
            return events_of(connection, plan_id, wanted)
        owner = rename_map(renames)
        found = events_of(connection, plan_id, [*wanted, *sorted(renamed_into(owner, wanted))])
        return apply_renames(found, owner)

    def filed_returns(self, plan_id: str) -> list[FiledReturn]:
        """The plan's collected returns, in recorded order, as they stand in this transaction."""
        query = f"SELECT {', '.join(RETURN_FIELDS)} FROM returns WHERE plan_id = ? ORDER BY seq"
        return [filed_return(row) for row in self._connection.execute(query, (plan_id,))]

    def record_plan(self, plan: PlanTasks, digest: str, seen_at: datetime) -> None:
        """Remember the plan version these events are recorded against, if it is new (as
        `Transaction.record_plan`)."""
        latest = self._connection.execute(
            "SELECT digest FROM plan_versions WHERE plan_id = ? ORDER BY seq DESC LIMIT 1",
            (plan.id,),
        ).fetchone()
        if latest is not None and latest[0] == digest:
            return
        tasks = json.dumps(task_snapshot(plan), ensure_ascii=False, sort_keys=True)
        self._connection.execute(
            "INSERT INTO plan_versions (plan_id, digest, seen_at, tasks) VALUES (?, ?, ?, ?)",
            (plan.id, digest, sqlite_value(seen_at), tasks),
        )

    def append(self, new_events: Sequence[Event]) -> None:
        """Add events to the log; an event over the columns' limits raises
        `StoreLimitExceeded` before anything is written (`rows.check_fits`)."""
        rows = [event_row(event) for event in new_events]
        for row in rows:
            check_fits(row)
        self._connection.executemany(
            _INSERT_EVENT, [[sqlite_value(row[name]) for name in EVENT_FIELDS] for row in rows]
        )

    def append_returns(self, filed: Sequence[FiledReturn]) -> None:
        """Add collected returns."""
        self._connection.executemany(
            _INSERT_RETURN,
            [[sqlite_value(getattr(item, key)) for key in RETURN_FIELDS] for item in filed],
        )


def sqlite_value(value: Any) -> Any:
    """A value as SQLAlchemy's SQLite dialect stores it: a time as `YYYY-MM-DD
    HH:MM:SS.ffffff` (its fields as they are: planctl writes UTC), a day as `YYYY-MM-DD`."""
    if isinstance(value, datetime):
        return (
            f"{value.year:04d}-{value.month:02d}-{value.day:02d} {value.hour:02d}:"
            f"{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
        )
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return value
