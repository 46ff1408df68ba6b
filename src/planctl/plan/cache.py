"""Parsed plans kept between runs, so that an unchanged plan file is not parsed again.

Parsing goes through YAML nodes (to point every problem at PATH:LINE:COLUMN) and costs more
than all the rest of `planctl due` for a 1,000-task plan. A plan that passed every check is kept
pickled in the user cache directory, one file per plan path, stamped with the file's content
hash and the version of the code that checked it, and used while both are unchanged. Unpickling
needs no Pydantic validators (the models defer building them), so a cached plan costs neither
YAML nor Pydantic. Only a file the user's own planctl wrote is loaded; a damaged one costs a
parse, never a wrong plan; a cache that cannot be written is simply not kept.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

import planctl
from planctl.plan.model import Plan

_CHECKING_CODE = ("model.py", "check.py", "load.py")
"""The modules whose rules decide what a valid plan is: a change to any of them is a new
cache version (their size and mtime, so an edited checkout never reuses a stale plan)."""


def cached_plan(path: Path, raw: bytes, cache_dir: Path) -> Plan:
    """The plan in `raw` (read from `path`): from the cache if it holds this content, else
    parsed and validated (raising `PlanError` as `parse_plan` does) and then cached."""
    key = hashlib.sha256(os.fsencode(path.resolve())).hexdigest()[:32]
    file = cache_dir / f"{key}.pickle"
    stamp = f"planctl-plan {hashlib.sha256(raw).hexdigest()} {_code_version()}\n".encode()
    try:
        with file.open("rb") as cached:
            data = cached.read() if _private(os.fstat(cached.fileno())) else b""
    except OSError:
        data = b""
    if data.startswith(stamp):
        try:
            plan = pickle.loads(data[len(stamp) :])
        except Exception:  # whatever a damaged file raises: parse the plan file instead
            plan = None
        if isinstance(plan, Plan):
            return plan
    from planctl.plan.load import parse_plan

    plan = parse_plan(raw, str(path))
    _write(file, stamp + pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL))
    return plan


def _private(stat: os.stat_result) -> bool:
    """A file only its owner, the user running planctl, can have written: a pickle runs code
    when it is loaded, so nobody else's is loaded (the directory is made 0700 as well)."""
    return stat.st_uid == os.getuid() and not stat.st_mode & 0o022


def _code_version() -> str:
    here = Path(__file__).parent
    parts = [planctl.__version__]
    for name in _CHECKING_CODE:
        stat = (here / name).stat()
        parts.append(f"{stat.st_size}.{stat.st_mtime_ns}")
    return "-".join(parts)


def _write(file: Path, data: bytes) -> None:
    """Replace the cache file in one step (readers see the old file or the new one)."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=".plan-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            Path(temporary).replace(file)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # no cache this time; the plan was parsed all the same
