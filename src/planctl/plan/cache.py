"""Parsed plans kept between runs, so that an unchanged plan file is not parsed again.

Parsing goes through YAML nodes (to point every problem at PATH:LINE:COLUMN) and costs more
than all the rest of `planctl due` for a 1,000-task plan. A plan that passed every check is kept
as JSON in the user cache directory, one file per plan path, stamped with the file's content
hash and the version of the code that checked it, and used while both are unchanged.

A cache file is data, never code: JSON read back by `planctl.plan.codec`, which checks its
shape (known models with exactly their fields) without the cost of Pydantic's validators, and
stamped with a hash of that JSON, so that a damaged file costs a parse, never a wrong plan.
Which files are trusted, and how they are written: `planctl.cachefiles`.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from planctl.cachefiles import code_version, entry_name, read_entry, write_entry
from planctl.plan.codec import DamagedCache, dumps, loads
from planctl.plan.model import Plan
from planctl.plan.source import STDIN, STDIN_NAME

_CHECKING_CODE = ("plan/model.py", "plan/task.py", "plan/types.py", "plan/check.py",
                  "plan/load.py", "plan/codec.py", "plan/steps.py", "rules/windows.py",
                  "rules/calendar.py", "rules/periods.py")  # fmt: skip
"""The modules whose rules decide what a valid plan is, and how it is kept: a change to any of
them is a new cache version (their size and mtime, so an edited checkout never reuses a stale
plan)."""


def cached_plan(path: Path, raw: bytes, cache_dir: Path) -> Plan:
    """The plan in `raw` (read from `path`): from the cache if it holds this content, else
    parsed and validated (raising `PlanError` as `parse_plan` does) and then cached.
    A plan read from standard input is parsed every time, never cached."""
    if path == STDIN:
        from planctl.plan.load import parse_plan

        return parse_plan(raw, STDIN_NAME)
    name = entry_name(str(path.resolve()), suffix=".json")
    version = code_version(_CHECKING_CODE)
    stamp = f"planctl-plan {hashlib.sha256(raw).hexdigest()} {version}\n".encode()
    payload = read_entry(cache_dir, name, stamp)
    if payload is not None:
        with contextlib.suppress(DamagedCache):  # parse the plan file instead
            return loads(payload)
    from planctl.plan.load import parse_plan

    plan = parse_plan(raw, str(path))
    write_entry(cache_dir, name, stamp, dumps(plan))
    return plan
