"""The SQLAlchemy engines of a store: a SQLite file (busy timeout, `BEGIN IMMEDIATE`, the file
still the store's when the write lock is taken) or a server's URL.
"""

from __future__ import annotations

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


def _server_engine(url: str) -> sa.Engine:
    """The engine of a server's store. Its connections are pooled for the command's life (the
    store disposes of them when it closes): a command opens one several times (the schema's
    revision, the write transaction, the reads), and a new PostgreSQL connection is a new
    server process, about 8 ms where taking a pooled one back is under half a millisecond.
    One is kept; a second opened while the first is in use (a read beside a stream) is closed
    when it is given back."""
    try:
        return sa.create_engine(url, pool_size=1, max_overflow=-1)
    except (sa_exc.ArgumentError, sa_exc.NoSuchModuleError, ImportError) as error:
        raise StoreError(_("cannot use the store URL: {reason}").format(reason=error)) from None
