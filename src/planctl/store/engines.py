"""The SQLAlchemy engines of a store: a SQLite file (busy timeout, `BEGIN IMMEDIATE`, the file
still the store's when the write lock is taken) or a server's URL.
"""

from __future__ import annotations

import atexit
import os
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy import exc as sa_exc

from planctl.errors import StoreError
from planctl.i18n import _
from planctl.store import sqlite_files
from planctl.store.location import StoreLocation as StoreLocation
from planctl.store.versions import PlanVersion as PlanVersion

BUSY_TIMEOUT_SECONDS = sqlite_files.BUSY_TIMEOUT_SECONDS
"""How long a connection waits for another writer (`store.BUSY_TIMEOUT_SECONDS`)."""


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
        identity = sqlite_files.file_identity(path)
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
    identity = getattr(connection.connection.dbapi_connection, "identity", None)
    if identity is None or sqlite_files.file_identity(path) != identity:
        connection.exec_driver_sql("ROLLBACK")
        raise sqlite_files.removed_while_waiting(path)


_SERVER_ENGINES: dict[str, sa.Engine] = {}
"""The engine of each server URL this process has opened, kept for the process's life."""


def _server_engine(url: str) -> sa.Engine:
    """The engine of a server's store, one per URL and process, as SQLAlchemy means an engine
    to be used: a command opens the store several times (to read the plan's events and to
    write; the schema's revision each time), and a new engine meant a new connection (a new
    server process, 8 ms) and the dialect's first-connect queries every time, where taking
    back a pooled connection is under half a millisecond (docs/performance.md). One
    connection is kept (a second, opened while the first is in use, is closed when given
    back), checked before it is used (the server may have been restarted since), and
    closed when the process exits; a forked child makes its own."""
    engine = _SERVER_ENGINES.get(url)
    if engine is not None:
        return engine
    try:
        engine = sa.create_engine(url, pool_size=1, max_overflow=-1, pool_pre_ping=True)
    except (sa_exc.ArgumentError, sa_exc.NoSuchModuleError, ImportError) as error:
        raise StoreError(_("cannot use the store URL: {reason}").format(reason=error)) from None
    if not _SERVER_ENGINES:
        atexit.register(close_server_connections)
        os.register_at_fork(after_in_child=_forget_server_connections)
    _SERVER_ENGINES[url] = engine
    return engine


def close_server_connections() -> None:
    """Close the connections kept to every server (at exit; a test before it drops the
    database)."""
    for engine in _SERVER_ENGINES.values():
        engine.dispose()


def _forget_server_connections() -> None:
    """In a forked child: the parent's connections are the parent's (SQLAlchemy's advice for
    multiprocessing: let go of them without closing them)."""
    for engine in _SERVER_ENGINES.values():
        engine.dispose(close=False)
