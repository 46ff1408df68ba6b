"""The garbage collector of one `planctl` process: paused while it starts, then kept off what
lives until the end.

A command's process makes most of its objects once and keeps them until it exits: the
modules, Typer's commands, the plan of 1,000 tasks. Python's cyclic collector scans them
again and again as they are made (a collection every 700 new objects) and once more in full
while the store's 10,000 events are read: 80-100 ms of CPU for a large `due`, more than
reading those events costs (docs/performance.md, "The garbage collector"). So the console
script starts with the collector off (`pause`), and when a command starts, when its plan is
loaded and when its tasks' states are folded (with the collector off meanwhile: `lasting`),
what exists by then is set apart for the rest of the run (`gc.freeze`) and the collector runs
on, over what is made after: garbage made while rendering or importing a long file is
collected as ever.

Only the console script pauses it: a command run in a test or from Python leaves the
collector as it was (`settle` does nothing there).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_paused = False


def pause() -> None:
    """The collector off, for the start of a process (`registry.console_script` only)."""
    global _paused
    gc.disable()
    _paused = True


def settle() -> None:
    """What exists now lives until the process ends: out of the collector's reach, and the
    collector on again from here. Nothing unless `pause` was called."""
    if _paused:
        gc.freeze()
        gc.enable()


@contextmanager
def lasting() -> Iterator[None]:
    """What is made inside lives until the process ends (every task's state, folded from the
    store): the collector is off while it is made, then it is set apart as `settle` does.
    Nothing unless `pause` was called."""
    if not _paused:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        settle()
