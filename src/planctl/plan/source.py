"""A plan file's bytes and version, without the YAML machinery (which only parsing needs)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from planctl.errors import PlanError, Problem

MAX_PLAN_BYTES = 16 * 1024 * 1024
"""Plans are text an office writes by hand; anything bigger is a mistake or an attack."""

STDIN = Path("-")
"""The plan path that means standard input (`--plan -`): read once, never cached."""

STDIN_NAME = "<stdin>"
"""How messages name a plan read from standard input."""


def read_plan_file(path: Path) -> bytes:
    """The plan file's bytes, refusing a file too big to be a plan."""
    name = str(path)
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_PLAN_BYTES + 1)
    except OSError as error:
        raise PlanError([Problem(name, 1, 1, f"cannot read plan: {error.strerror}")]) from None
    if len(raw) > MAX_PLAN_BYTES:
        limit = MAX_PLAN_BYTES // (1024 * 1024)
        raise PlanError([Problem(name, 1, 1, f"plan file is larger than {limit} MiB")])
    return raw


def plan_digest(raw: bytes) -> str:
    """The plan version the store remembers: a hash of the file's content."""
    return hashlib.sha256(raw).hexdigest()[:16]
