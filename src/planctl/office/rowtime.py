"""A row's time: the window of its task and its steps, from the time cell, from numbered parts
in the time or the task cell, or, where no time is given, from the task's own text and its
目标/要求 columns; with what the clerk should look at and what goes into the source.

Pure: the cells' texts in, a `RowTime` out; `planctl.office.draft` builds the task."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from planctl.i18n import _
from planctl.office.cellsteps import (
    Part,
    named_periods,
    spanning,
    text_steps,
    timed_parts,
    window_end,
)
from planctl.office.deadlines import Unread, WindowKeys, read_time_cell

ENUMERATED = re.compile(
    r"(?:^|[\n；;。])\s*(?:[(（]?\d{1,2}[)）.、．]|[(（][一二三四五六七八九十]{1,2}[)）])"
)
"""The start of an item in a cell that lists several tasks: 1. 2、 (3) （一）..."""
DAY_FIRST = re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}/\d{4}")
"""A date written day/month/year or month/day/year: read day first, and said so."""


@dataclass
class RowTime:
    """What a row's cells say of its task's time."""

    title: str
    window: WindowKeys
    steps: list[dict[str, Any]] = field(default_factory=list)
    """The task's steps as the plan file writes them (IDs given later, with the task's)."""
    remarks: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    unread: bool = False
    """A time was written but not read."""
    blank: bool = False
    """Year-round only because nothing named a time."""
    day_first: bool = False
    """The time cell holds a date written with slashes, read day first."""


def row_time(text: str, time_text: str, time_header: str, goals: list[str], year: int) -> RowTime:
    """The time of a row whose task cell holds `text` and time cell `time_text` (under
    `time_header`); `goals` are its 目标/要求 cells, read where no time is given."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    found = RowTime(task_title(" ".join(lines)), {}, day_first=bool(DAY_FIRST.search(time_text)))
    steps: list[Part] = []
    in_time = timed_parts(time_text, year)
    in_title = timed_parts(text, year) if in_time is None else None
    if in_time is not None:
        steps = in_time[1]
    elif in_title is not None:
        steps = in_title[1]
        found.title = task_title(in_title[0].rstrip(":：,，").strip() or " ".join(lines))
    else:
        items = max(len(lines), len(ENUMERATED.findall(text)))
        if items > 1:
            found.remarks.append(
                _(
                    "the cell lists {items} tasks; it stays one task (its text is the source):"
                    " split it if they are done apart"
                ).format(items=items)
            )
            found.source.append(text)
    window: WindowKeys | Unread
    if in_time is not None:
        found.source.append(f"{time_header}: {time_text}")
        window = spanning([part.window or {} for part in steps], year)
    else:
        window, earlier = read_time_cell(time_text, year)
        if earlier is not None:
            found.source.append(f"{time_header}: {' '.join(time_text.split())}")
    if isinstance(window, Unread):
        found.unread = True
        found.source.append(f"{time_header}: {time_text}")
        found.remarks.append(window.said(repr(time_text)))
        window = {"year_round": True}
    elif in_title is not None and not time_text.strip():
        window = spanning([part.window or {} for part in steps], year)
    elif in_title is not None and not _inside(steps, window, year):
        found.remarks.append(
            _(
                "the steps' times do not fit in the time {time}: the task's window spans its steps"
            ).format(time=repr(" ".join(time_text.split())))
        )
        found.source.append(f"{time_header}: {time_text}")
        window = spanning([part.window or {} for part in steps], year)
    elif not steps and not time_text.strip():
        window, steps = _from_text([text, *goals], year, found)
    found.window = window
    found.steps = [_step(part, found.title) for part in steps]
    return found


def _from_text(texts: list[str], year: int, found: RowTime) -> tuple[WindowKeys, list[Part]]:
    """Where no time is given: the window (or the steps) the texts name; year-round, said,
    when they name none or several."""
    steps = text_steps(texts, year)
    if steps:
        return spanning([part.window or {} for part in steps], year), steps
    named = [window for one in texts for window in named_periods(one, year)]
    named = [window for at, window in enumerate(named) if window not in named[:at]]
    if len(named) == 1:
        return named[0], []
    if named:
        found.unread = True
        found.remarks.append(
            _("the text names {count} different times; year-round until you set its window").format(
                count=len(named)
            )
        )
    else:
        found.blank = True
    return {"year_round": True}, []


def _step(part: Part, title: str) -> dict[str, Any]:
    """A step of the plan file from a part of a cell."""
    step: dict[str, Any] = {"id": "", "title": task_title(part.text)}
    if part.target is not None:
        step["title"] = f"{title}（{part.text}）"
    step.update(part.window or {})
    if part.target is not None:
        step["target"] = part.target
        if part.unit:
            step["unit"] = part.unit
        if isinstance(part.target, float):
            step["measure"] = "value"
    return step


def _inside(steps: list[Part], window: WindowKeys, year: int) -> bool:
    """Whether every step ends by the end of its task's window (a task with steps does not
    recur)."""
    end = window_end(window, year)
    if end is None:
        return False
    return all((window_end(part.window or {}, year) or end) <= end for part in steps)


def task_title(text: str) -> str:
    """A task's title: one line, without the cell's closing 。 or full stop."""
    title = " ".join(text.split())
    stripped = re.sub(r"(?<!\.)[。.]$", "", title).rstrip()
    return stripped or title
