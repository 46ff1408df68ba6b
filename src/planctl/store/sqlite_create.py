"""A SQLite store made whole before anyone can see it, and removed again when the command that
made it failed before it held anything.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import sqlite3
import time
from contextlib import suppress
from pathlib import Path

from planctl.errors import StoreError
from planctl.i18n import _
from planctl.store import sqlite_files
from planctl.store.engines import _sqlite_engine
from planctl.store.location import StoreLocation, check_store_directory
from planctl.store.revision import PLANCTL_TABLES
from planctl.store.versions import PlanVersion as PlanVersion

BUSY_TIMEOUT_SECONDS = sqlite_files.BUSY_TIMEOUT_SECONDS
"""How long a failed command's new store is waited for to go back to WAL."""


def _prepare_directory(path: Path, *, create_parent: bool, shown: str) -> None:
    """`create_parent`: the default store, whose directory is made 0700 and must be private."""
    if create_parent:
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            raise StoreError(
                _("cannot create the store {where}: {reason}").format(
                    where=shown, reason=error.strerror
                )
            ) from None
        check_store_directory(path.parent)  # it may have been there before, made by another


def _create_sqlite_store(location: StoreLocation, path: Path) -> tuple[int, int] | None:
    """Make a new SQLite store whole before anyone can see it: the schema is built in a
    private (0600) file beside it, which is then linked to the store's name, never replacing
    a file there. Returns the new file's (device, inode), or None when another command made
    the store first (theirs is used). Nothing is left behind when it fails."""
    from planctl.store.store import Store  # the store builds itself with its migrations

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
        raise StoreError(
            _("cannot create the store {where}: {reason}").format(
                where=shown, reason=error.strerror
            )
        ) from None
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
