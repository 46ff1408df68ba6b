"""SQLite store files opened to be read, and SQLite's errors as one clear message: the parts of
the store that both read paths (SQLAlchemy's and the standard library's) share.

Nothing here imports SQLAlchemy: `due` on a SQLite store opens its file through these.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from planctl.errors import DamagedStore, ReadOnlyStore, StoreError
from planctl.i18n import _
from planctl.store.revision import PLANCTL_TABLES, SCHEMA_REVISION

if TYPE_CHECKING:
    from planctl.store.location import StoreLocation

BUSY_TIMEOUT_SECONDS = 10.0
"""How long a command waits for another writer before saying the store is locked."""

DISK_FULL = {"SQLITE_FULL", "SQLITE_IOERR_SHMSIZE", "SQLITE_IOERR_WRITE"}
"""SQLite's names for a write that found no room (the -shm file growing counts too)."""


def refuse_non_regular(path: Path, shown: str) -> None:
    """A device, FIFO or socket is no store: SQLite would read /dev/null as an empty store,
    leave /dev/null-journal beside it, or wait forever on a FIFO. Directories are left to
    `store_error`, which names them."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # missing (a new store) or unreadable: opening it says why
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise StoreError(_("the store {where} is not a regular file").format(where=shown))


def connect_for_reading(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection to the store file that cannot write (see `reading`); planctl issues
    BEGIN itself (`isolation_level=None`)."""
    connection = sqlite3.connect(
        path, timeout=timeout, isolation_level=None, check_same_thread=False
    )
    return reading(connection, path)


def reading(connection: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """A connection that cannot write. A WAL store needs its -shm file even to be read; where
    the file and its directory are read-only that cannot be made. Without a WAL (or an empty
    one) the file is then read as immutable (nobody can be writing a file that is read-only
    to everyone but its owner); with one, which `immutable` would ignore (a snapshot taken
    while the store was open keeps its latest events there), a private copy is read."""
    try:
        connection.execute("PRAGMA query_only=1")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return connection
    except sqlite3.OperationalError as error:
        message = str(error)
        if "readonly" not in message and "unable to open" not in message:
            connection.close()
            raise
    connection.close()
    wal = Path(f"{path}-wal")
    try:
        has_wal = wal.stat().st_size > 0
    except FileNotFoundError:
        has_wal = False
    except OSError as error:
        raise unreadable_wal(path, wal, error) from None
    if has_wal:
        return private_copy(path, wal)
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro&immutable=1",
        uri=True,
        isolation_level=None,
        check_same_thread=False,
    )


def private_copy(path: Path, wal: Path) -> sqlite3.Connection:
    """The store with its WAL folded in, in memory: the file and its -wal are copied to a
    private temporary directory, where SQLite can make the -shm it needs, then into memory,
    and the directory is removed before the connection is used."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="planctl-snapshot-") as directory:
        copy = Path(directory) / "store.sqlite3"
        try:
            shutil.copyfile(path, copy)
        except OSError as error:
            raise StoreError(f"cannot read the store {path}: {error.strerror}") from None
        try:
            shutil.copyfile(wal, f"{copy}-wal")
        except OSError as error:
            raise unreadable_wal(path, wal, error) from None
        source = sqlite3.connect(copy)
        memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        try:
            source.backup(memory)
        finally:
            source.close()
    memory.execute("PRAGMA query_only=1")
    return memory


def unreadable_wal(path: Path, wal: Path, error: OSError) -> StoreError:
    return StoreError(
        _(
            "cannot read the store {path}: its write-ahead log {wal}, which holds its latest"
            " events, cannot be read ({reason})"
        ).format(path=path, wal=wal, reason=error.strerror)
    )


def store_error(
    text: str,
    cause: BaseException | None,
    where: str,
    sqlite_file: Path | None,
    *,
    writing: bool = False,
    waited: float = BUSY_TIMEOUT_SECONDS,
) -> StoreError:
    """A database error (`text`: its first line; `cause`: the driver's exception) as one
    clear message naming the store."""
    lowered = text.lower()
    if getattr(cause, "sqlite_errorname", "") in DISK_FULL or "disk is full" in lowered:
        if writing:
            return StoreError(
                _("the disk holding the store {where} is full; nothing was recorded").format(
                    where=where
                )
            )
        return StoreError(_("the disk holding the store {where} is full").format(where=where))
    if (
        "database is locked" in lowered
        or "database is busy" in lowered
        or "lock timeout" in lowered  # PostgreSQL's lock_timeout, set by `transaction`
    ):
        return StoreError(
            _("the store {where} is locked by another process (waited {seconds} s)").format(
                where=where, seconds=f"{waited:g}"
            )
        )
    if (
        "readonly database" in lowered
        or "read-only" in lowered
        or "permission denied" in lowered
        or ("unable to open database file" in lowered and read_only_file(sqlite_file))
    ):
        return ReadOnlyStore(
            _("the store {where} is read-only; nothing was recorded").format(where=where)
        )
    cannot_open = "unable to open database file" in lowered
    if cannot_open and sqlite_file is not None and sqlite_file.is_dir():
        return StoreError(_("the store {where} is a directory, not a file").format(where=where))
    if cannot_open:
        return StoreError(
            _("cannot open the store {where} (missing or not writable directory?)").format(
                where=where
            )
        )
    if "file is not a database" in lowered:
        return StoreError(
            _("{where} is not a planctl store (not an SQLite database)").format(where=where)
        )
    return StoreError(f"store {where}: {text}")


def read_only_file(path: Path | None) -> bool:
    """A SQLite store that exists but cannot be written: the file, or its directory, where a
    WAL store keeps its -wal and -shm files (a read-only mount makes both so)."""
    if path is None or not path.exists():
        return False
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def current_schema(connection: sqlite3.Connection) -> bool:
    """Whether the store holds planctl's tables at the revision this planctl writes: what
    both standard-library paths (reading and writing) need before they touch it."""
    tables = {
        name
        for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    if "alembic_version" not in tables or not tables.issuperset(PLANCTL_TABLES):
        return False
    revisions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    return revisions == [(SCHEMA_REVISION,)]


@contextmanager
def worded_errors(location: StoreLocation, *, writing: bool = False) -> Iterator[None]:
    """SQLite's errors and a damaged row, met on the standard library's paths (reading and
    writing), as one clear `StoreError` naming the store, as on the SQLAlchemy path."""
    try:
        yield
    except DamagedStore as error:
        raise error.located(location.display()) from None
    except sqlite3.Error as error:
        text = str(error).strip().splitlines()[0]
        raise store_error(
            text,
            error,
            location.display(),
            location.sqlite_file,
            writing=writing,
            waited=BUSY_TIMEOUT_SECONDS,  # read now: a test may shorten the wait
        ) from None


def file_identity(path: Path) -> tuple[int, int] | None:
    """The file at `path` (device and inode), or None when there is none: kept when a store
    is opened, to tell once the write lock is held that it is still the same file."""
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_dev, status.st_ino)


def removed_while_waiting(path: Path) -> StoreError:
    """A failed first command of another process removed the store this one had opened and
    waited for: nothing is written into the removed file."""
    return StoreError(
        _(
            "the store {path} was removed while this command waited for it; nothing was recorded"
        ).format(path=path)
    )
