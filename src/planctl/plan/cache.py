"""Parsed plans kept between runs, so that an unchanged plan file is not parsed again.

Parsing goes through YAML nodes (to point every problem at PATH:LINE:COLUMN) and costs more
than all the rest of `planctl due` for a 1,000-task plan. A plan that passed every check is kept
as JSON in the user cache directory, one file per plan path, stamped with the file's content
hash and the version of the code that checked it, and used while both are unchanged.

A cache file is data, never code: JSON read back by `planctl.plan.codec`, which checks its
shape (known models with exactly their fields) without the cost of Pydantic's validators, and
stamped with a hash of that JSON, so that a damaged file costs a parse, never a wrong plan. Only a
regular file owned by the user and writable by nobody else, in a directory owned by the user
and writable by nobody else, is read; the file is opened without following a symbolic link and
without waiting on a FIFO. A directory that fails the check is neither read nor written: the
plan is parsed, as it is when the cache cannot be written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import stat
from pathlib import Path

import planctl
from planctl.plan.codec import DamagedCache, dumps, loads
from planctl.plan.model import Plan
from planctl.plan.source import STDIN, STDIN_NAME

_CHECKING_CODE = ("plan/model.py", "plan/task.py", "plan/types.py", "plan/check.py",
                  "plan/load.py", "plan/codec.py", "plan/steps.py", "rules/windows.py",
                  "rules/calendar.py", "rules/periods.py")  # fmt: skip
"""The modules whose rules decide what a valid plan is, and how it is kept: a change to any of
them is a new cache version (their size and mtime, so an edited checkout never reuses a stale
plan)."""

_NOT_OTHERS = stat.S_IWGRP | stat.S_IWOTH
"""Write permission for anyone but the owner: a file or directory with it is not trusted."""


def cached_plan(path: Path, raw: bytes, cache_dir: Path) -> Plan:
    """The plan in `raw` (read from `path`): from the cache if it holds this content, else
    parsed and validated (raising `PlanError` as `parse_plan` does) and then cached.
    A plan read from standard input is parsed every time, never cached."""
    if path == STDIN:
        from planctl.plan.load import parse_plan

        return parse_plan(raw, STDIN_NAME)
    name = hashlib.sha256(os.fsencode(path.resolve())).hexdigest()[:32] + ".json"
    stamp = f"planctl-plan {hashlib.sha256(raw).hexdigest()} {_code_version()}\n".encode()
    directory = _open_private_directory(cache_dir, create=False)
    if directory is not None:
        try:
            data = _read_private_file(directory, name)
        finally:
            os.close(directory)
        if data.startswith(stamp):
            checksum, _, payload = data[len(stamp) :].partition(b"\n")
            if checksum == _checksum(payload):
                with contextlib.suppress(DamagedCache):  # parse the plan file instead
                    return loads(payload)
    from planctl.plan.load import parse_plan

    plan = parse_plan(raw, str(path))
    directory = _open_private_directory(cache_dir, create=True)
    if directory is not None:
        try:
            payload = dumps(plan)
            _write(directory, name, stamp + _checksum(payload) + b"\n" + payload)
        finally:
            os.close(directory)
    return plan


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


def _code_version() -> str:
    here = Path(__file__).parent.parent
    parts = [planctl.__version__]
    for name in _CHECKING_CODE:
        status = (here / name).stat()
        parts.append(f"{status.st_size}.{status.st_mtime_ns}")
    return "-".join(parts)


def _write(directory: int, name: str, data: bytes) -> None:
    """Replace the cache file in one step (readers see the old file or the new one); a FIFO
    or link in its place is replaced, not written through."""
    temporary = f".plan-{secrets.token_hex(8)}.tmp"
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
        pass  # no cache this time; the plan was parsed all the same
