"""Each task's folded state kept between runs, so that a read of a log that has not changed
does not read and fold it again.

Beyond starting Python, a large plan's `due` spent most of its time reading its events and
folding them (docs/performance.md, issue 32). What the fold gives depends on nothing but the
plan's events, the day it is folded for and the code that folds, so the states are kept as
JSON (`planctl.core.state_codec`) in the user cache directory, one file per store and plan
(`planctl.cachefiles`: private, stamped, checksummed), and used only when the stamp holds all
of these the same:

- the store's fingerprint of the plan's events (`fingerprint` of the store,
  `store.rows.FINGERPRINT_QUERY`): how many and their IDs in order, one walk of an index;
  planctl only ever appends, so anything recorded, undone, renamed, collected or imported
  since changes it;
- the store file's and its WAL's device, inode, size and modification time, which a row
  changed by other hands (or a store put in its place) changes. States are kept only from
  files that last changed `SETTLED_SECONDS` ago or more, so that a later change cannot hide
  in the file system clock's granularity;
- the day (`today`, `PLANCTL_TODAY`);
- the plan's task IDs (events of a task the plan no longer has are read from the whole log,
  and such a fold is never kept);
- the code that folds (planctl's version; the size and mtime of every module of `core/`
  and `rules/` and of the rows' conversion).

The fingerprint and the fold are read in one state of the store (`snapshot`: one SQLite read
transaction); where the store cannot promise that (a SQLite store read through SQLAlchemy,
a connection a read), a fold is kept only when the fingerprint read after it is the one read
before. A PostgreSQL store has no fingerprint (`Store.fingerprint`: telling that a plan's
events are unchanged costs about what reading them does there), so nothing is kept for it.
Commands that need the events themselves (`report`, `digest`) read and fold as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import planctl
from planctl import frozen
from planctl.cachefiles import code_version, entry_name, read_entry, write_entry

if TYPE_CHECKING:
    from planctl.core.events import Event
    from planctl.core.state import TaskState
    from planctl.plan.model import Plan
    from planctl.store.reading import ReadStore

FOLDING_CODE = ("store/rows.py", "store/row_check.py", "cli/folding.py", "cli/state_cache.py")
"""Besides every module of `core/` and `rules/`, the modules whose code decides what a fold
gives: a change to any of them is a new cache version."""


def _folding_code() -> list[str]:
    package = Path(planctl.__file__).parent
    found = [*package.glob("core/*.py"), *package.glob("rules/*.py")]
    return [*sorted(str(path.relative_to(package)) for path in found), *FOLDING_CODE]


def kept_or_folded(
    store: ReadStore,
    plan: Plan,
    today: date,
    also: Callable[[list[Event], list[int]], object] | None,
    cache_dir: Path,
) -> dict[str, TaskState] | None:
    """`states_task_by_task`, or without `also` (a command that needs nothing of the events but
    the states) the states kept from an earlier run of the same log. A fold is kept for the
    next run, whether or not a command looked at the events (`also`) as they were folded."""
    from planctl.cli.folding import states_task_by_task

    with store.snapshot() as one_state:
        found = entry(store, plan, today)
        if found is not None and also is None:
            kept = kept_states(found, cache_dir)
            if kept is not None:
                return kept
        folded = states_task_by_task(store, plan, today, also)
        if found is None or folded is None or not found.settled:
            return folded
        if one_state or store.fingerprint(plan.id) == found.events:
            keep_states(found, folded, cache_dir)
        return folded


def kept_with_latest(
    store: ReadStore, plan: Plan, today: date, limit: int, cache_dir: Path
) -> tuple[dict[str, TaskState], list[tuple[int, Event]]] | None:
    """The states kept from an earlier run of the same log, and the plan's `limit` latest
    events (`latest` of the store) read from the same state of it, for a command that needs
    no more of the events than these (`report`); None when no states are kept for this log."""
    with store.snapshot() as one_state:
        found = entry(store, plan, today)
        kept = None if found is None else kept_states(found, cache_dir)
        if found is None or kept is None:
            return None
        latest = store.latest(plan.id, limit)
        if not one_state and store.fingerprint(plan.id) != found.events:
            return None
        return kept, latest


SETTLED_SECONDS = 2.0
"""States are kept only from a SQLite store whose files last changed at least this long ago:
a change made later then shows in their modification times, however coarse the file system's
clock (as git treats an index entry as racy when it is as new as the index)."""


@frozen
class Entry:
    """Where the states of one plan in one store are kept, the stamp they are kept with, and
    whether states read now may be kept (`SETTLED_SECONDS`)."""

    name: str
    stamp: bytes
    events: str
    """The store's fingerprint of the plan's events."""
    settled: bool


def entry(store: ReadStore, plan: Plan, today: date) -> Entry | None:
    """The entry for the plan's events as the store holds them now, as of `today`; None for a
    store with nothing to fingerprint (a new user's store that is not there yet) or whose file
    cannot be looked at."""
    events = store.fingerprint(plan.id)
    if events is None:
        return None
    where = store.location
    stamped, settled = "-", True
    if where.sqlite_file is not None:
        files = _sqlite_files(where.sqlite_file)
        if files is None:
            return None
        stamped, settled = files
    identity = str(where.sqlite_file.resolve()) if where.sqlite_file else where.url
    tasks = hashlib.sha256("\n".join(task.id for task in plan.tasks).encode()).hexdigest()
    version = code_version(_folding_code())
    stamp = f"planctl-states {today} {tasks} {events} {stamped} {version}\n".encode()
    return Entry(entry_name(identity, plan.id, suffix=".json"), stamp, events, settled)


def _sqlite_files(path: Path) -> tuple[str, bool] | None:
    """The store file's and its WAL's device, inode, size and modification time (a row
    changed by other hands than planctl's changes one of them; an empty WAL, which opening
    the store may make, holds nothing and counts as none), and whether both last changed
    `SETTLED_SECONDS` ago or more; None when the file cannot be looked at."""
    stamped, settled, now = [], True, time.time()
    for name in (path, path.with_name(path.name + "-wal")):
        try:
            status = name.stat()
        except FileNotFoundError:
            stamped.append("-")
            continue
        except OSError:
            return None
        if status.st_size == 0 and name != path:  # a WAL that holds nothing (a reader's)
            stamped.append("-")
            continue
        stamped.append(f"{status.st_dev}.{status.st_ino}.{status.st_size}.{status.st_mtime_ns}")
        settled = settled and now - status.st_mtime >= SETTLED_SECONDS
    return " ".join(stamped), settled


def kept_states(found: Entry, cache_dir: Path) -> dict[str, TaskState] | None:
    """The states kept for this entry, or None when there are none (or none that read back)."""
    from planctl.core.state_codec import DamagedStates, loads

    payload = read_entry(cache_dir, found.name, found.stamp)
    if payload is None:
        return None
    with contextlib.suppress(DamagedStates):  # fold the log instead
        return loads(payload)
    return None


def keep_states(found: Entry, states: dict[str, TaskState], cache_dir: Path) -> None:
    """Keep the states folded for this entry (not when a number is not finite, which no
    stored event holds)."""
    from planctl.core.state_codec import dumps

    with contextlib.suppress(ValueError):
        write_entry(cache_dir, found.name, found.stamp, dumps(states))
