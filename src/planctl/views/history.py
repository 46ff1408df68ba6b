"""The history view: the event log, newest first."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from planctl.core.events import Action, Event
from planctl.plan.model import Plan
from planctl.render import Table, View
from planctl.render.json_out import Streamed
from planctl.rules.calendar import month_end
from planctl.views.common import (
    ENGLISH,
    action_text,
    document_heading,
    json_number,
    number_text,
    plan_label,
    plan_object,
)


def event_object(event: Event) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "task": event.task_id,
        "action": event.action.value,
        "on": event.work_date.isoformat(),
        "by": event.recorded_by,
        "note": event.note,
        "recorded_at": event.recorded_at.isoformat(timespec="seconds"),
        "undoes": event.undoes,
        "percent": event.percent,
        "value": json_number(event.value),
        "count": event.count,
        "to_month": event.to_month,
        "to_date": None if event.to_date is None else event.to_date.isoformat(),
    }


def _in_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def recorded_text(moment: datetime) -> str:
    """When an event was recorded, as the clock on the wall said, with its offset:
    `2018-06-15 09:10 +08:00`."""
    offset = moment.utcoffset() or timedelta(0)
    sign, minutes = ("-", -offset) if offset < timedelta(0) else ("+", offset)
    hours, rest = divmod(int(minutes.total_seconds()) // 60, 60)
    return f"{moment:%Y-%m-%d %H:%M} {sign}{hours:02d}:{rest:02d}"


def history_view(
    plan: Plan,
    source: str,
    events: Sequence[Event],
    labels: Mapping[str, str] = ENGLISH,
    today: date | None = None,
    local_time: Callable[[datetime], datetime] = _in_utc,
) -> View:
    """`planctl history`: the log, newest first, with each task's title. `local_time` turns
    the moment an event was recorded into the reader's local time (the CLI passes the
    machine's zone; JSON keeps `recorded_at` in UTC)."""
    newest_first = list(reversed(events))
    data = {"plan": plan_object(plan), "events": [event_object(e) for e in newest_first]}
    rows = list(history_rows(plan, newest_first, labels, local_time))
    L = labels
    columns = history_columns(L)
    title = L["history_title"].format(plan=plan_label(plan, source))
    table = Table(title, columns, rows, empty=L["none"], sheet=L["history_sheet"], caption="")
    heading = document_heading(plan, L["history_sheet"], L, today)
    return View(data, [table], heading=heading, lang=L["html_lang"])


def history_columns(labels: Mapping[str, str]) -> list[str]:
    """The history table's columns."""
    L = labels
    return [L["recorded"], L["id"], L["title"], L["action"], L["on"], L["by"], L["note"]]


def history_rows(
    plan: Plan,
    events: Iterable[Event],
    labels: Mapping[str, str] = ENGLISH,
    local_time: Callable[[datetime], datetime] = _in_utc,
) -> Iterator[list[str]]:
    """The history table's rows of these events, one at a time, in their order."""
    titles = {task.id: task.title for task in plan.tasks}
    units = {task.id: task.unit for task in plan.tasks}
    for event in events:
        yield [
            recorded_text(local_time(event.recorded_at)),
            event.task_id,
            titles.get(event.task_id, labels["not_in_plan"]),
            action_text(event.action, labels),
            event.work_date.isoformat(),
            event.recorded_by,
            _note_cell(event, units.get(event.task_id), plan.year),
        ]


def history_data(plan: Plan, newest_first: Iterable[Event]) -> dict[str, Any]:
    """`history_view`'s JSON data of events given newest first, written as they come (see
    `Streamed`): a plan's whole history is never in memory at once."""
    return {"plan": plan_object(plan), "events": Streamed(map(event_object, newest_first))}


def _note_cell(event: Event, unit: str | None, year: int) -> str:
    """The note, after what the change did (`60% · 已完成调研`, `+2`, `→ 2018-09-30 · 原因`)."""
    change = change_text(event, unit, year)
    return " · ".join(part for part in (change, event.note or "") if part)


def change_text(event: Event, unit: str | None, year: int) -> str:
    """What an event changed, in a few marks: the count a `done` added (`+2`), the due day a
    deferral moved the task to (`→ 2018-09-30`), a report's percent and value (`60% · 7.5%`);
    empty for anything else. A deferral recorded with only a month moved the task to that
    month's last day in `year`, the plan's."""
    parts = []
    if event.action is Action.DONE and event.count is not None:
        parts.append(f"+{event.count}")
    if event.action is Action.DEFER:
        if event.to_date is not None:
            parts.append(f"→ {event.to_date.isoformat()}")
        elif event.to_month is not None:
            parts.append(f"→ {month_end(year, event.to_month).isoformat()}")
    if event.percent is not None:
        parts.append(f"{event.percent}%")
    if event.value is not None:
        parts.append(f"{number_text(event.value)}{unit or ''}")
    return " · ".join(parts)
