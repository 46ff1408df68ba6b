"""Supervision lights (红黄蓝): where each task stands against where it should be by now.

Pure: a task as it stands on a day (`planctl.core.progress.TaskRow`), today and the office's
settings in; its light and whether it is stale out. The first rule that applies wins:

- `done`;
- `red`: overdue (a duty with a missed occurrence is overdue);
- `yellow`: behind where it should be by now: a count below its pace (pro rata, rounded
  down); a task without a target whose latest reported percent is below the elapsed share of
  its window by more than `behind_margin` points; a value target its latest reported value
  does not meet; or stale (below);
- `blue`: due within `soon_days` (today included);
- `grey`: its window has not started;
- `green`: otherwise.

A task is *stale* (未更新) when it is open, inside its window, and none of its events falls on
the last `stale_days` days (all of which lie in its window). Duties are judged by their
occurrences instead, and are never stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from planctl import frozen

if TYPE_CHECKING:
    from planctl.core.progress import TaskRow

Light = Literal["done", "red", "yellow", "blue", "grey", "green"]

LIGHTS: tuple[Light, ...] = ("done", "red", "yellow", "blue", "grey", "green")
"""Every light, in the order the rules are tried."""

WORST_FIRST: tuple[Light, ...] = ("red", "yellow", "blue", "green", "grey", "done")
"""Lights from the most to the least urgent, for `worst_light`."""


@frozen
class Supervision:
    """The office's settings for lights and stale tasks (the config file's keys)."""

    soon_days: int = 7
    """Blue: due within this many days."""
    behind_margin: int = 10
    """Yellow: a reported percent this many points below the elapsed share of the window."""
    stale_days: int = 30
    """Stale: no event for this many days inside the window."""


DEFAULT_SUPERVISION = Supervision()


def elapsed_share(start: date, due: date, today: date) -> tuple[int, int]:
    """The days of the window `start`..`due` elapsed by the end of `today`, and its days."""
    total = (due - start).days + 1
    return min(max((today - start).days + 1, 0), total), total


def expected_percent(start: date, due: date, today: date) -> int:
    """The percent a task spread evenly over its window should have reached by the end of
    `today` (序时进度), rounded down."""
    elapsed, total = elapsed_share(start, due, today)
    return 100 * elapsed // total


def latest_percent(row: TaskRow) -> int | None:
    """The percent of the latest progress report that gives one."""
    dated = [(r.on, i, r.percent) for i, r in enumerate(row.state.reports) if r.percent is not None]
    return max(dated)[2] if dated else None


def against_pace(row: TaskRow, today: date, margin: int) -> Literal[-1, 0, 1]:
    """Where an open task stands against where it should be by now (序时进度): -1 behind (the
    yellow light's rule, see the module), 1 ahead (the same rule the other way: a count above
    the count expected by today, a reported percent more than `margin` points above the
    elapsed share, a value already meeting its target), 0 on pace (a duty, and a task with
    nothing reported, always)."""
    if row.pace is not None:
        if row.pace.behind:
            return -1
        return 1 if row.pace.count > row.pace.expected else 0
    if row.measured is not None:
        return 0 if row.measured.meets is None else (1 if row.measured.meets else -1)
    if row.task.recurring:
        return 0
    percent = latest_percent(row)
    if percent is None:
        return 0
    elapsed, total = elapsed_share(row.start, row.due, today)
    # percent < 100 * elapsed / total - margin, or > ... + margin, in whole numbers
    if (percent + margin) * total < 100 * elapsed:
        return -1
    return 1 if (percent - margin) * total > 100 * elapsed else 0


def behind(row: TaskRow, today: date, margin: int) -> bool:
    """Whether an open task is behind where it should be by now (see the module's rules)."""
    return against_pace(row, today, margin) < 0


def stale(row: TaskRow, today: date, stale_days: int) -> bool:
    """Open, inside its window, and no event on any of the last `stale_days` days, every one
    of which lies in the window."""
    if row.done or row.task.recurring or stale_days < 1:
        return False
    first = today - timedelta(days=stale_days - 1)
    if first < row.start or today > row.due:
        return False
    last = row.state.last_event
    return last is None or last < first


def lit(row: TaskRow, today: date, supervision: Supervision = DEFAULT_SUPERVISION) -> TaskRow:
    """The row with its light on `today` (the first rule that applies: see the module), its
    behind flag and its stale flag set."""
    late = not row.done and not row.overdue and behind(row, today, supervision.behind_margin)
    idle = stale(row, today, supervision.stale_days)  # never for a task done or overdue
    shown: Light
    if row.done:
        shown = "done"
    elif row.overdue:
        shown = "red"
    elif late or idle:
        shown = "yellow"
    elif 0 <= row.due_in_days <= supervision.soon_days:
        shown = "blue"
    elif today < row.start:
        shown = "grey"
    else:
        shown = "green"
    return replace(row, light=shown, behind=late, stale=idle)


def worst_light(lights: Iterable[Light]) -> Light:
    """The most urgent of some lights (a parent's light is the worst of its own and its
    steps'): red, then yellow, blue, green, grey, and done last."""
    given = set(lights)
    if not given:
        raise ValueError("worst_light needs at least one light")
    return next(each for each in WORST_FIRST if each in given)
