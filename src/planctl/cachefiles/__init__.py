"""Files planctl keeps between runs in the user's cache directory (the parsed plans, the
folded states): private to the user, stamped, replaced in one step.

A cache file is data, never code. It is read only if it is a regular file owned by the user
and writable by nobody else, in a directory owned by the user and writable by nobody else; it
is opened without following a symbolic link and without waiting on a FIFO. Each file starts
with a stamp line (what it was made from) and a line holding the SHA-256 of the payload that
follows: a file whose stamp is not the one asked for, or whose payload does not match its
checksum, is not used. A directory that fails the check is neither read nor written, and a
file that cannot be written is simply not kept: the caller makes its value anew.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

import planctl

_NOT_OTHERS = stat.S_IWGRP | stat.S_IWOTH
"""Write permission for anyone but the owner: a file or directory with it is not trusted."""


def entry_name(*parts: str, suffix: str) -> str:
    """A file name for what `parts` name (a plan file's path; a store and a plan ID)."""
    joined = "\0".join(parts)
    return hashlib.sha256(os.fsencode(joined)).hexdigest()[:32] + suffix


def code_version(names: Iterable[str]) -> str:
    """planctl's version and the size and mtime of each of these modules (relative to the
    package): a change to any of them makes a new version, so an edited checkout never reuses
    what older code made."""
    here = Path(planctl.__file__).parent
    parts = [planctl.__version__]
    for name in names:
        status = (here / name).stat()
        parts.append(f"{status.st_size}.{status.st_mtime_ns}")
    return "-".join(parts)


def read_entry(cache_dir: Path, name: str, stamp: bytes) -> bytes | None:
    """The payload of the cache file `name` when it is private, starts with `stamp` and
    matches its checksum; else None."""
    directory = _open_private_directory(cache_dir, create=False)
    if directory is None:
        return None
    try:
        data = _read_private_file(directory, name)
    finally:
        os.close(directory)
    if not data.startswith(stamp):
        return None
    checksum, _, payload = data[len(stamp) :].partition(b"\n")
    return payload if checksum == _checksum(payload) else None


def write_entry(cache_dir: Path, name: str, stamp: bytes, payload: bytes) -> None:
    """Keep `payload` under `name` with its stamp and checksum (the directory made 0700 if
    need be); nothing is kept when the directory is not private or cannot be written."""
    directory = _open_private_directory(cache_dir, create=True)
    if directory is None:
        return
    try:
        _write(directory, name, stamp + _checksum(payload) + b"\n" + payload)
    finally:
        os.close(directory)


def _private(status: os.stat_result) -> bool:
    """Owned by the user running planctl, and nobody else may write to it."""
    return status.st_uid == os.getuid() and not status.st_mode & _NOT_OTHERS


def _open_private_directory(cache_dir: Path, *, create: bool) -> int | None:
    """A descriptor of the cache directory (made 0700 if `create`), or None when it is
    missing, is a symbolic link, or is one that another user owns or may write."""
    try:
        if create:
            cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
        directory = os.open(cache_dir, flags)
    except OSError:
        return None
    try:
        if _private(os.fstat(directory)):
            return directory
    except OSError:
        pass
    os.close(directory)
    return None


def _read_private_file(directory: int, name: str) -> bytes:
    """The file's bytes if it is a regular file that only the user can have written, else b"".
    O_NOFOLLOW: a link there is not followed; O_NONBLOCK: a FIFO there cannot hang the run."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        handle = os.open(name, flags, dir_fd=directory)
    except OSError:
        return b""
    try:
        with os.fdopen(handle, "rb") as file:
            status = os.fstat(file.fileno())
            if stat.S_ISREG(status.st_mode) and _private(status):
                return file.read()
    except OSError:
        pass
    return b""


def _checksum(payload: bytes) -> bytes:
    return hashlib.sha256(payload).hexdigest().encode()


def _write(directory: int, name: str, data: bytes) -> None:
    """Replace the cache file in one step (readers see the old file or the new one); a FIFO
    or link in its place is replaced, not written through."""
    temporary = f".{name}-{os.urandom(8).hex()}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        handle = os.open(temporary, flags, 0o600, dir_fd=directory)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, name, src_dir_fd=directory, dst_dir_fd=directory)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=directory)
            raise
    except OSError:
        pass  # not kept this time; the caller made its value all the same
