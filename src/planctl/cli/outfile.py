"""Files planctl writes: never onto a file the command reads, never left half written.

Every output file goes to a temporary file in the target's directory, is flushed to disk and
renamed over the target, so that a full disk or a killed command leaves the old file whole
(and no partial file that a rerun would take for a finished one)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from planctl import frozen
from planctl.errors import BadValue
from planctl.i18n import N_, _

SQLITE_COMPANIONS = ("-wal", "-journal", "-shm")
"""The files SQLite keeps beside a store; they are the store too."""


@frozen(slots=False)
class ReadFile:
    """A file a command reads, and what it is to the user ("the store", "the plan")."""

    what: str
    path: Path
    companions: tuple[str, ...] = ()


def refuse_overwriting(output: str, option: str, reads: Iterable[ReadFile]) -> None:
    """Refuse an output that is (after resolving links, by name or by device and inode) a file
    the command reads, or a SQLite store's -wal/-journal/-shm."""
    target = Path(output)
    where = os.path.realpath(target)
    identity = _identity(target)
    for read in reads:
        names = {os.path.realpath(str(read.path) + suffix) for suffix in ("", *read.companions)}
        same_file = identity is not None and identity == _identity(read.path)
        if where in names or same_file:
            raise BadValue(
                _(
                    "{option}{output} is {what} {path}, which this command reads:"
                    " write the output elsewhere"
                ).format(option=option, output=output, what=_(read.what), path=read.path)
            )


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except (OSError, ValueError):
        return None
    return (found.st_dev, found.st_ino)


def write_atomically(
    path: Path, data: bytes | Iterable[bytes], *, mode: int | None = None, replace: bool = True
) -> None:
    """Write `data` (bytes, or pieces of a large file one after another) to `path` whole or
    not at all: a temporary file beside it, flushed (fsync)
    and renamed over it. `mode`: the new file's permissions (else the old file's, else what the
    umask leaves of 0666). `replace=False`: an existing file is kept (FileExistsError). A
    symbolic link is followed (the file it names is replaced); a device or FIFO is written to.
    OSError when it cannot be written; the old file and the directory are then as they were."""
    path = Path(os.path.realpath(path))  # through a symbolic link: the link stays
    try:
        found = path.stat()
    except FileNotFoundError:
        found = None
    if found is not None and not stat.S_ISREG(found.st_mode):
        if not replace:
            raise FileExistsError(path)
        with path.open("wb") as out:  # a device or a FIFO (/dev/null): written to, as by `>`
            _write(out.fileno(), data)
        return
    directory = path.parent
    if mode is None:
        mode = _existing_mode(path) if replace else None
        if mode is None:
            mode = 0o666 & ~_umask()
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as out:
            os.fchmod(out.fileno(), mode)
            _write(out.fileno(), data)
            os.fsync(out.fileno())
        if replace:
            temporary.replace(path)
        else:
            _link_without_replacing(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    _sync_directory(directory)


def _link_without_replacing(temporary: Path, path: Path) -> None:
    """Give the temporary file the name `path` unless a file has it (FileExistsError): a hard
    link does it atomically; where a file system has none, a look and then a rename."""
    try:
        path.hardlink_to(temporary)
    except FileExistsError:
        raise
    except OSError:
        if path.exists() or path.is_symlink():
            raise FileExistsError(path) from None
        temporary.replace(path)
    else:
        temporary.unlink()


def _write(descriptor: int, data: bytes | Iterable[bytes]) -> None:
    """All of `data`, piece by piece (a test makes this fail half way, as a full disk does)."""
    for piece in [data] if isinstance(data, bytes) else data:
        view = memoryview(piece)
        while view:
            view = view[os.write(descriptor, view) :]


def _existing_mode(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every file system allows it)."""
    with contextlib.suppress(OSError):
        handle = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def files_read(config: Path, plan: Path | None, store: Path | None) -> list[ReadFile]:
    """What a command has read, that no output of it may overwrite: the config file (when
    there is one), the plan (not standard input), the SQLite store and its companions."""
    from planctl.plan.source import STDIN

    found: list[ReadFile] = []
    if config.exists():
        found.append(ReadFile(N_("the config file"), config))
    if plan is not None and plan != STDIN:
        found.append(ReadFile(N_("the plan"), plan))
    if store is not None:
        found.append(ReadFile(N_("the store"), store, SQLITE_COMPANIONS))
    return found
