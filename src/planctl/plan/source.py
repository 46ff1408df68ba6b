"""A plan file's bytes and version, without the YAML machinery (which only parsing needs)."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import sys
from pathlib import Path

from planctl.errors import PlanError, Problem, UnreadablePlan
from planctl.i18n import _

MAX_PLAN_BYTES = 16 * 1024 * 1024
"""Plans are text an office writes by hand; anything bigger is a mistake or an attack."""

STDIN = Path("-")
"""The plan path that means standard input (`--plan -`): read once, never cached."""

STDIN_NAME = "<stdin>"
"""How messages name a plan read from standard input."""


def read_plan_file(path: Path) -> bytes:
    """The plan file's bytes (standard input's for `STDIN`), refusing a file too big to be a
    plan and anything but a regular file: opened without waiting, a FIFO cannot hang the run,
    and a device or /dev/stdin on a pipe would be a new plan on every read."""
    if path == STDIN:
        return _read_stdin()
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise UnreadablePlan(path, error.strerror or str(error)) from None
    try:
        with os.fdopen(handle, "rb") as file:
            mode = os.fstat(file.fileno()).st_mode
            if stat.S_ISDIR(mode):
                raise UnreadablePlan(path, os.strerror(errno.EISDIR))
            if not stat.S_ISREG(mode):
                raise UnreadablePlan(path, _("not a regular file"))
            raw = file.read(MAX_PLAN_BYTES + 1)
    except OSError as error:
        raise UnreadablePlan(path, error.strerror or str(error)) from None
    return _within_limit(raw, str(path))


def _read_stdin() -> bytes:
    try:
        raw = sys.stdin.buffer.read(MAX_PLAN_BYTES + 1)
    except (OSError, AttributeError, ValueError) as error:  # closed, or no stdin at all
        raise UnreadablePlan(Path(STDIN_NAME), str(error) or "closed") from None
    return _within_limit(raw, STDIN_NAME)


def _within_limit(raw: bytes, name: str) -> bytes:
    if len(raw) > MAX_PLAN_BYTES:
        limit = MAX_PLAN_BYTES // (1024 * 1024)
        raise PlanError(
            [Problem(name, 1, 1, _("plan file is larger than {limit} MiB").format(limit=limit))]
        )
    return raw


def plan_digest(raw: bytes) -> str:
    """The plan version the store remembers: a hash of the file's content."""
    return hashlib.sha256(raw).hexdigest()[:16]
