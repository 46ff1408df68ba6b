"""Open a store, read a plan's events, append events in one all-or-nothing transaction.

SQLite connections get a busy timeout, and writes take the lock up front with
`BEGIN IMMEDIATE` (pysqlite's own transaction handling is switched off, as SQLAlchemy's notes on
the driver advise) so that concurrent writers queue instead of failing half-way. Read commands
open SQLite files read-only and never create, upgrade or write anything.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy import exc as sa_exc

from planctl.core.events import Action, Event
from planctl.core.filed import RETURN_FIELDS, FiledReturn, filed_return
from planctl.core.renames import apply_renames, rename_map, renamed_into
from planctl.errors import DamagedStore, NoStore, StoreError
from planctl.store import sqlite_files
from planctl.store.location import StoreLocation as StoreLocation
from planctl.store.location import check_store_directory
from planctl.store.revision import KNOWN_REVISIONS, PLANCTL_TABLES
from planctl.store.rows import (
    CHUNK,
    EVENT_FIELDS,
    DamagedRow,
    T,
    check_fits,
    event_row,
    events_from_rows,
    per_task_groups,
    salvage_events,
)
from planctl.store.schema import SCHEMA_REVISION, events, plan_versions, returns
from planctl.store.sqlite_files import refuse_non_regular, store_error
from planctl.store.versions import PlanVersion as PlanVersion
from planctl.store.versions import plan_version

BUSY_TIMEOUT_SECONDS = sqlite_files.BUSY_TIMEOUT_SECONDS
"""How long a command waits for another writer before saying the store is locked."""

WRITE_LOCK = 4242002
"""The PostgreSQL advisory lock a write transaction holds (4242001 is the upgrade's)."""

_IDS_PER_QUERY = 500
"""Event IDs looked up per query: well under SQLite's and PostgreSQL's limits on parameters."""


class Store:
    """An open store. Use `open_for_reading` or `open_for_writing`."""

    def __init__(
        self, location: StoreLocation, engine: sa.Engine | None, *, writing: bool = False
    ) -> None:
        self.location = location
        self._engine = engine  # None: a SQLite file that does not exist yet, so no events
        self._writing = writing
        self.created: tuple[int, int] | None = None
        """The SQLite file (device, inode) this store object made, if it made one."""

    @classmethod
    def open_for_reading(cls, location: StoreLocation) -> Store:
        """Open without writing. A store that is not there (no file, an empty file, a database
        without planctl's tables) raises `NoStore`: read as empty, a report would call every
        task not started."""
        path = location.sqlite_file
        if path is not None:
            if not path.exists():
                raise NoStore(location.display())
            refuse_non_regular(path, location.display())
            engine = _sqlite_engine(path, read_only=True)
        else:
            engine = _server_engine(location.url)
        store = cls(location, engine)
        try:
            with store._errors():
                revision = store._revision()
            if revision is None:
                raise NoStore(location.display(), database=path is None)
            if revision != SCHEMA_REVISION:
                raise StoreError(store._revision_message(revision))
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def open_for_writing(cls, location: StoreLocation, *, create_parent: bool = False) -> Store:
        """Open for writing, creating the store or upgrading its schema as needed."""
        path = location.sqlite_file
        created = None
        if path is not None:
            refuse_non_regular(path, location.display())
            _prepare_directory(path, create_parent=create_parent, shown=location.display())
            if not path.exists():
                created = _create_sqlite_store(location, path)
            engine = _sqlite_engine(path, read_only=False)
        else:
            engine = _server_engine(location.url)
        store = cls(location, engine, writing=True)
        store.created = created
        with store._errors():
            revision = store._revision()
            if revision is not None and revision not in KNOWN_REVISIONS:
                store.close()  # Alembic cannot go there, and must not try
                raise StoreError(store._revision_message(revision))
            if revision != SCHEMA_REVISION:
                store._upgrade()
        return store

    @classmethod
    def open_to_inspect(cls, location: StoreLocation) -> Store:
        """Open without writing, whatever the schema revision, to say what the store holds."""
        path = location.sqlite_file
        if path is not None:
            if not path.exists():
                return cls(location, None)
            refuse_non_regular(path, location.display())
            return cls(location, _sqlite_engine(path, read_only=True))
        return cls(location, _server_engine(location.url))

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def events(self, plan_id: str, task_ids: Iterable[str] | None = None) -> list[Event]:
        """A plan's events in the order they were recorded, optionally for some tasks only."""
        if self._engine is None:
            return []
        with self._errors(), self._engine.connect() as connection:
            return _select_events(connection, plan_id, task_ids)

    def per_task(
        self, plan_id: str, each: Callable[[list[Event], list[int]], T | None]
    ) -> dict[str, T]:
        """`each` of every task's events (in recorded order) and their `seq` (their place in
        the plan's log), one task at a time: a plan's whole log is never in memory at once.
        Tasks for which `each` gives None are left out."""
        if self._engine is None:
            return {}
        results: dict[str, T] = {}
        with self._errors(), self._engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            columns = _EVENT_COLUMNS_AS_TEXT if sqlite else _EVENT_COLUMNS
            query = (
                sa.select(events.c.seq, *columns)
                .where(events.c.plan_id == plan_id)
                .order_by(events.c.task_id, events.c.seq)
            )
            streamed = connection.execution_options(stream_results=not sqlite)
            with streamed.execute(query) as found:  # closed (a server cursor) on a damaged row
                chunks = (
                    (
                        _events_of(connection, [row[1:] for row in rows], sqlite),
                        [row[0] for row in rows],
                    )
                    for rows in found.partitions(CHUNK)
                )
                for task_id, group, seqs in per_task_groups(chunks):
                    result = each(group, seqs)
                    if result is not None:
                        results[task_id] = result
        return results

    def newest_first(self, plan_id: str) -> Iterator[list[Event]]:
        """A plan's events newest first (the reverse of recorded order), 10,000 at a time, for
        a history written as it is read."""
        if self._engine is None:
            return
        with self._errors(), self._engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            columns = _EVENT_COLUMNS_AS_TEXT if sqlite else _EVENT_COLUMNS
            query = sa.select(*columns).where(events.c.plan_id == plan_id)
            query = query.order_by(events.c.seq.desc())
            streamed = connection.execution_options(stream_results=not sqlite)
            with streamed.execute(query) as found:
                for rows in found.partitions(CHUNK):
                    yield _events_of(connection, rows, sqlite)

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

    def salvage_events(self) -> tuple[list[Event], list[DamagedStore]]:
        """Every plan's sound events in recorded order, and the damage of the other rows (for
        `store export`, which saves what can be saved)."""
        good: list[Event] = []
        return good, self.salvage_event_chunks(good.extend)

    def salvage_event_chunks(self, each: Callable[[list[Event]], object]) -> list[DamagedStore]:
        """Every plan's sound events in recorded order, handed to `each` a chunk at a time (a
        store's whole log is never in memory at once), and the damage of the other rows."""
        if self._engine is None:
            return []
        damage: list[DamagedStore] = []
        where = self.location.display()
        with self._errors(), self._engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            columns = _EVENT_COLUMNS_AS_TEXT if sqlite else _EVENT_COLUMNS
            query = sa.select(*columns).order_by(*_recorded_order(connection))
            streamed = connection.execution_options(stream_results=not sqlite)
            with streamed.execute(query) as found:
                for rows in found.partitions(CHUNK):
                    good, bad = salvage_events(rows, dates_as_text=sqlite)
                    each(good)
                    damage.extend(
                        _damaged_event(connection, event_id, problem).located(where)
                        for _, event_id, problem in bad
                    )
        return damage

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

    def revision(self) -> str | None:
        """The store's schema revision; None for a store not created yet."""
        if self._engine is None:
            return None
        with self._errors():
            return self._revision()

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

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """A write transaction: read what you need, append, and it all commits or none of it."""
        assert self._engine is not None, "open_for_writing gives a store with an engine"
        with self._errors(), self._engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # What BEGIN IMMEDIATE does on SQLite: one writer at a time, so that what a
                # command read in its transaction (is the task done already?) still holds when
                # it appends. Waits as long as SQLite's busy timeout, then says it is locked.
                timeout = f"{round(BUSY_TIMEOUT_SECONDS * 1000)}ms"
                connection.execute(sa.text(f"SET LOCAL lock_timeout = '{timeout}'"))
                connection.execute(sa.text(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})"))
            yield Transaction(connection)

    def _revision(self) -> str | None:
        """The schema revision; None for a store with no tables yet.

        A SQLite file with other tables and none of planctl's is another program's database:
        planctl neither reads it as empty nor adds its tables to it. planctl's tables without
        a revision (an emptied or dropped `alembic_version`) are a damaged store: read as
        empty, its events would vanish, and the upgrade would fail on the tables."""
        assert self._engine is not None
        where = self.location.display()
        with self._engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                # Every look below at one snapshot: another command may commit the schema it
                # made between two of them (no alembic_version, then the events table).
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
            inspector = sa.inspect(connection)
            if inspector.has_table("alembic_version"):
                query = sa.text("SELECT version_num FROM alembic_version")
                values = connection.execute(query).scalars().all()
                if len(values) > 1:
                    raise StoreError(
                        f"the store {where} is damaged: alembic_version holds {len(values)}"
                        " schema revisions, not one"
                    )
                if values and (values[0] is None or not str(values[0]).strip()):
                    raise StoreError(
                        f"the store {where} is damaged: its schema revision (alembic_version)"
                        " is empty"
                    )
                if values:
                    return str(values[0])
            if any(inspector.has_table(table) for table in PLANCTL_TABLES):
                raise StoreError(
                    f"the store {where} is damaged: planctl's tables are"
                    " there but no schema revision (alembic_version)"
                )
            if inspector.has_table("alembic_version"):
                return None  # an empty alembic_version alone: a creation that stopped early
            if self.location.sqlite_file is not None and inspector.get_table_names():
                raise StoreError(
                    f"{where} is not a planctl store (an SQLite database with other tables)"
                )
            return None

    def _revision_message(self, revision: str) -> str:
        where = self.location.display()
        if revision in KNOWN_REVISIONS:
            return (
                f"the store {where} was made by an older planctl (schema {revision});"
                " a recording command such as `planctl done` upgrades it"
            )
        return f"the store {where} was made by a newer planctl (schema {revision}); upgrade planctl"

    def _upgrade(self) -> None:
        """Run the Alembic migrations, one process at a time (the others wait, then see head)."""
        from alembic import command
        from alembic.config import Config

        assert self._engine is not None
        config = Config()
        config.set_main_option("script_location", "planctl.store:migrations")
        with self._engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(4242001)"))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        if self.location.sqlite_file is not None:
            self._use_wal()

    def _use_wal(self) -> None:
        """Switch a SQLite store to WAL, once. The switch needs the file to itself, so while
        other processes have it open SQLite says it is busy at once: try again until the busy
        timeout, as a write would wait."""
        assert self._engine is not None
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        raw = self._engine.raw_connection()  # outside any transaction, as the pragma needs
        try:
            cursor = raw.cursor()
            while True:
                try:
                    cursor.execute("PRAGMA journal_mode")
                    if cursor.fetchone() == ("wal",):
                        return
                    cursor.execute("PRAGMA journal_mode=WAL")
                    return
                except sqlite3.OperationalError as error:
                    if "locked" not in str(error) or time.monotonic() > deadline:
                        raise sa_exc.OperationalError("PRAGMA journal_mode", None, error) from None
                    time.sleep(0.05)
        finally:
            raw.close()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Database errors become one clear `StoreError`."""
        try:
            yield
        except DamagedStore as error:
            raise error.located(self.location.display()) from None
        except sa_exc.DBAPIError as error:
            location = self.location
            text = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise store_error(
                text,
                error.orig,
                location.display(),
                location.sqlite_file,
                writing=self._writing,
                waited=BUSY_TIMEOUT_SECONDS,
            ) from None


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


def task_snapshot(plan: PlanTasks) -> dict[str, list[Any]]:
    """What the store keeps of a plan version's tasks, to tell later what changed."""
    return {task.id: [task.title, task.month] for task in plan.tasks}


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


def _prepare_directory(path: Path, *, create_parent: bool, shown: str) -> None:
    """`create_parent`: the default store, whose directory is made 0700 and must be private."""
    if create_parent:
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            raise StoreError(f"cannot create the store {shown}: {error.strerror}") from None
        check_store_directory(path.parent)  # it may have been there before, made by another


def _create_sqlite_store(location: StoreLocation, path: Path) -> tuple[int, int] | None:
    """Make a new SQLite store whole before anyone can see it: the schema is built in a
    private (0600) file beside it, which is then linked to the store's name, never replacing
    a file there. Returns the new file's (device, inode), or None when another command made
    the store first (theirs is used). Nothing is left behind when it fails."""
    shown = location.display()
    _remove_abandoned_builds(path)
    building = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.new")
    try:
        os.close(os.open(building, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600))
        builder = Store(location, _sqlite_engine(building, read_only=False), writing=True)
        try:
            with builder._errors():
                builder._upgrade()
        finally:
            builder.close()  # the last connection folds the WAL in and removes it
        try:
            os.link(building, path)
        except FileExistsError:
            return None
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise
            _copy_without_replacing(building, path)  # a file system without hard links
        status = path.stat()
        return status.st_dev, status.st_ino
    except FileExistsError:
        return None
    except OSError as error:
        raise StoreError(f"cannot create the store {shown}: {error.strerror}") from None
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with suppress(OSError):  # not there (a read-only file system says so its own way)
                Path(f"{building}{suffix}").unlink()


BUILD_SUFFIXES = ("", "-wal", "-shm", "-journal")
ABANDONED_AFTER_SECONDS = 600
"""How old a build file of a process that is gone must be to be removed: building takes well
under a second, and a process of another machine (a shared directory) is never seen alive."""


def _remove_abandoned_builds(path: Path) -> None:
    """Remove what a command killed while it made the store left behind (`.NAME.PID.RANDOM.new`
    and its `-wal`, `-shm`, `-journal`): only files of this user, of a process that is gone,
    untouched for ten minutes. Nothing else is ever removed; a file that cannot be is left."""
    prefix = f".{path.name}."
    try:
        names = [entry.name for entry in os.scandir(path.parent) if entry.name.startswith(prefix)]
    except OSError:
        return
    now = time.time()
    for name in names:
        pid, _, rest = name[len(prefix) :].partition(".")
        token, _, suffix = rest.partition(".new")
        hexadecimal = len(token) == 8 and all(c in "0123456789abcdef" for c in token)
        if not (pid.isdigit() and int(pid) > 0 and hexadecimal and suffix in BUILD_SUFFIXES):
            continue
        with suppress(OSError, ValueError):
            status = (path.parent / name).lstat()
            if status.st_uid != os.getuid() or now - status.st_mtime < ABANDONED_AFTER_SECONDS:
                continue
            if _alive(int(pid)):
                continue
            (path.parent / name).unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _copy_without_replacing(source: Path, path: Path) -> None:
    """Where hard links are not to be had: copy into a file created here and nowhere else
    (others see it for the moment of the copy; SQLite reads a short file as being written)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    with os.fdopen(descriptor, "wb") as target, source.open("rb") as origin:
        shutil.copyfileobj(origin, target)
        target.flush()
        os.fsync(target.fileno())


class _PinnedConnection(sqlite3.Connection):
    """A SQLite connection that knows which file (device, inode) it meant to open."""

    identity: tuple[int, int] | None = None


def _sqlite_engine(path: Path, *, read_only: bool) -> sa.Engine:
    def connect() -> sqlite3.Connection:
        if read_only:
            connection = sqlite3.connect(
                path,
                timeout=BUSY_TIMEOUT_SECONDS,
                isolation_level=None,  # planctl issues BEGIN itself (see on_begin)
                check_same_thread=False,
            )
            return sqlite_files.reading(connection, path)
        try:
            status = path.stat()
            identity: tuple[int, int] | None = (status.st_dev, status.st_ino)
        except OSError:
            identity = None
        # mode=rw: the file is made by `_create_sqlite_store` or not at all; SQLite itself
        # would make a missing one, empty and 0644, under a command that opened it before.
        pinned = sqlite3.connect(
            f"{path.absolute().as_uri()}?mode=rw",
            uri=True,
            timeout=BUSY_TIMEOUT_SECONDS,
            isolation_level=None,
            check_same_thread=False,
            factory=_PinnedConnection,
        )
        pinned.identity = identity
        return pinned

    engine = sa.create_engine("sqlite://", creator=connect, poolclass=sa.pool.NullPool)

    @sa_event.listens_for(engine, "begin")
    def on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
        if not read_only:
            _still_the_store(connection, path)

    return engine


def _still_the_store(connection: sa.Connection, path: Path) -> None:
    """With the write lock held: is the file this connection opened still the store? A
    failed first command removes the store it made when nobody holds it open; a command that
    had opened it without yet reading must then not write into the removed file."""
    raw = connection.connection.dbapi_connection
    identity = getattr(raw, "identity", None)
    try:
        status = path.stat()
        current: tuple[int, int] | None = (status.st_dev, status.st_ino)
    except OSError:
        current = None
    if identity is None or current != identity:
        connection.exec_driver_sql("ROLLBACK")
        raise StoreError(
            f"the store {path} was removed while this command waited for it; nothing was recorded"
        )


def _server_engine(url: str) -> sa.Engine:
    try:
        return sa.create_engine(url, poolclass=sa.pool.NullPool)
    except (sa_exc.ArgumentError, sa_exc.NoSuchModuleError, ImportError) as error:
        raise StoreError(f"cannot use the store URL: {error}") from None


def remove_if_empty(path: Path, identity: tuple[int, int]) -> None:
    """Remove a SQLite store a command made (`identity`: its device and inode) and then failed
    in, if it holds no events and no other connection has it open, so that a failed command
    leaves things as they were.

    Another connection is told by SQLite's own locks: leaving WAL mode needs the file to
    itself, and fails at once (timeout 0) while anyone has it open; the store is then left
    alone, complete and empty. With the file in rollback mode and held exclusively, the name
    is removed; a command that had opened the file but not yet read it finds at its write lock
    that the name no longer leads to its file (`_still_the_store`), and records nothing."""
    try:
        connection = sqlite3.connect(
            f"{path.absolute().as_uri()}?mode=rw", uri=True, timeout=0, isolation_level=None
        )
    except sqlite3.Error:
        return
    try:
        if _identity(path) != identity or _holds_anything(connection):
            return
        if connection.execute("PRAGMA journal_mode=DELETE").fetchone() != ("delete",):
            return
    except (sqlite3.Error, OSError):
        connection.close()
        return  # busy: another connection has it; it stays, whole
    try:
        connection.execute("BEGIN EXCLUSIVE")
        if _holds_anything(connection) or _identity(path) != identity:
            raise sqlite3.OperationalError("in use")
        for suffix in ("-wal", "-shm", ""):  # the name last: until then nobody can make anew
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        connection.execute("ROLLBACK")
    except (sqlite3.Error, OSError):
        # Someone came in between: the store stays, and goes back to WAL as soon as it can.
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        _back_to_wal(connection)
    finally:
        connection.close()


def _back_to_wal(connection: sqlite3.Connection) -> None:
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            time.sleep(0.05)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _holds_anything(connection: sqlite3.Connection) -> bool:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    return any(
        table in tables and connection.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
        for table in PLANCTL_TABLES
    )
