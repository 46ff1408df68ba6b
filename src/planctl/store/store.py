"""Open a store (creating or upgrading its schema when writing), stream a plan's events a
chunk at a time, and open the all-or-nothing write transaction (`store/transaction.py`); the
other reads are `store/reads.py`'s, the queries `store/queries.py`'s, the engines
`store/engines.py`'s, a new SQLite file `store/sqlite_create.py`'s.

SQLite connections get a busy timeout, and writes take the lock up front with
`BEGIN IMMEDIATE` (pysqlite's own transaction handling is switched off, as SQLAlchemy's notes on
the driver advise) so that concurrent writers queue instead of failing half-way. Read commands
open SQLite files read-only and never create, upgrade or write anything.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from planctl.core.events import Event
from planctl.errors import DamagedStore, NoStore, StoreError
from planctl.i18n import _
from planctl.store import sqlite_files
from planctl.store.engines import _server_engine, _sqlite_engine
from planctl.store.location import StoreLocation as StoreLocation
from planctl.store.queries import (
    _EVENT_COLUMNS,
    _EVENT_COLUMNS_AS_TEXT,
    _damaged_event,
    _events_of,
    _recorded_order,
)
from planctl.store.reads import StoreReads
from planctl.store.revision import KNOWN_REVISIONS, PLANCTL_TABLES
from planctl.store.rows import (
    CHUNK,
    FINGERPRINT_QUERY,
    T,
    fingerprint_of,
    results_per_task,
    salvage_events,
)
from planctl.store.schema import SCHEMA_REVISION, events
from planctl.store.sqlite_create import _create_sqlite_store, _prepare_directory
from planctl.store.sqlite_files import refuse_non_regular, store_error
from planctl.store.transaction import Transaction as Transaction
from planctl.store.versions import PlanVersion as PlanVersion

BUSY_TIMEOUT_SECONDS = sqlite_files.BUSY_TIMEOUT_SECONDS
"""How long a command waits for another writer before saying the store is locked."""

WRITE_LOCK = 4242002
"""The PostgreSQL advisory lock a write transaction holds (4242001 is the upgrade's)."""


class Store(StoreReads):
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
        try:
            with store._errors():
                revision = store._revision()
                if revision is not None and revision not in KNOWN_REVISIONS:
                    # Alembic cannot go there, and must not try.
                    raise StoreError(store._revision_message(revision))
                if revision != SCHEMA_REVISION:
                    store._upgrade()
        except BaseException:
            store.close()
            raise
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
        """Close a SQLite store's connections; a server's engine and its pooled connection
        are the process's (`engines._server_engine`), kept for the next opening."""
        if self._engine is not None and self.location.sqlite_file is not None:
            self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def per_task(
        self, plan_id: str, each: Callable[[list[Event], list[int]], T | None]
    ) -> dict[str, T]:
        """`each` of every task's events (in recorded order) and their `seq` (their place in
        the plan's log), one task at a time: a plan's whole log is never in memory at once.
        Tasks for which `each` gives None are left out."""
        if self._engine is None:
            return {}
        with self._errors(), self._engine.connect() as connection:
            numbered, sqlite = _numbered_events(connection, plan_id)
            query = numbered.order_by(events.c.task_id, events.c.seq)
            streamed = connection.execution_options(stream_results=not sqlite)
            with streamed.execute(query) as found:  # closed (a server cursor) on a damaged row
                return results_per_task(
                    found.partitions(CHUNK),
                    lambda rows: _events_of(connection, rows, sqlite),
                    each,
                )

    def fingerprint(self, plan_id: str) -> str | None:
        """What identifies the plan's events as they stand (`rows.FINGERPRINT_QUERY`) on a
        SQLite store; None for a store that is not there, and on a server (PostgreSQL), where
        telling that a plan's events are unchanged costs about what reading them does (a scan
        of the plan's rows in the table: 25 ms for their count alone at 1,000,000 events), so
        that no states are kept for it."""
        if self._engine is None or self._engine.dialect.name != "sqlite":
            return None
        with self._errors(), self._engine.connect() as connection:
            query = sa.text(FINGERPRINT_QUERY.replace("?", ":plan"))
            count, identities = connection.execute(query, {"plan": plan_id}).one()
            return fingerprint_of(count, identities or "")

    @contextmanager
    def snapshot(self) -> Iterator[bool]:
        """Each read opens a connection of its own, so reads made inside this may see
        different states of the store: False (see `SqliteReader.snapshot`)."""
        yield False

    def latest(self, plan_id: str, limit: int) -> list[tuple[int, Event]]:
        """The plan's `limit` latest events by work date (among one day's, the last
        recorded), in the order they were recorded, each with its `seq`."""
        if self._engine is None:
            return []
        with self._errors(), self._engine.connect() as connection:
            numbered, sqlite = _numbered_events(connection, plan_id)
            query = numbered.order_by(events.c.work_date.desc(), events.c.seq.desc()).limit(limit)
            rows = connection.execute(query).all()
            found = _events_of(connection, [row[1:] for row in rows], sqlite)
        return sorted(zip([row[0] for row in rows], found, strict=True), key=itemgetter(0))

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

    def revision(self) -> str | None:
        """The store's schema revision; None for a store not created yet."""
        if self._engine is None:
            return None
        with self._errors():
            return self._revision()

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
                        _(
                            "the store {where} is damaged: alembic_version holds {count}"
                            " schema revisions, not one"
                        ).format(where=where, count=len(values))
                    )
                if values and (values[0] is None or not str(values[0]).strip()):
                    raise StoreError(
                        _(
                            "the store {where} is damaged: its schema revision (alembic_version)"
                            " is empty"
                        ).format(where=where)
                    )
                if values:
                    return str(values[0])
            if any(inspector.has_table(table) for table in PLANCTL_TABLES):
                raise StoreError(
                    _(
                        "the store {where} is damaged: planctl's tables are"
                        " there but no schema revision (alembic_version)"
                    ).format(where=where)
                )
            if inspector.has_table("alembic_version"):
                return None  # an empty alembic_version alone: a creation that stopped early
            if self.location.sqlite_file is not None and inspector.get_table_names():
                raise StoreError(
                    _(
                        "{where} is not a planctl store (an SQLite database with other tables)"
                    ).format(where=where)
                )
            return None

    def _revision_message(self, revision: str) -> str:
        where = self.location.display()
        if revision in KNOWN_REVISIONS:
            return _(
                "the store {where} was made by an older planctl (schema {revision});"
                " a recording command such as `planctl done` upgrades it"
            ).format(where=where, revision=revision)
        return _(
            "the store {where} was made by a newer planctl (schema {revision}); upgrade planctl"
        ).format(where=where, revision=revision)

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


def _numbered_events(connection: sa.Connection, plan_id: str) -> tuple[sa.Select[Any], bool]:
    """The plan's events with their `seq` first, and whether the rows come as SQLite's text
    (`_events_of` reads them either way)."""
    sqlite = connection.dialect.name == "sqlite"
    columns = _EVENT_COLUMNS_AS_TEXT if sqlite else _EVENT_COLUMNS
    return sa.select(events.c.seq, *columns).where(events.c.plan_id == plan_id), sqlite
