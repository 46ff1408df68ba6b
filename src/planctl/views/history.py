"""The history view: the event log, newest first."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from planctl.core.events import Event
from planctl.plan.model import Plan
from planctl.render import Table, View
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
    titles = {task.id: task.title for task in plan.tasks}
    units = {task.id: task.unit for task in plan.tasks}
    newest_first = list(reversed(events))
    data = {"plan": plan_object(plan), "events": [event_object(e) for e in newest_first]}
    rows = [
        [
            recorded_text(local_time(event.recorded_at)),
            event.task_id,
            titles.get(event.task_id, labels["not_in_plan"]),
            action_text(event.action, labels),
            event.work_date.isoformat(),
            event.recorded_by,
            _note_cell(event, units.get(event.task_id)),
        ]
        for event in newest_first
    ]
    L = labels
    columns = [L["recorded"], L["id"], L["title"], L["action"], L["on"], L["by"], L["note"]]
    title = L["history_title"].format(plan=plan_label(plan, source))
    table = Table(title, columns, rows, empty=L["none"], sheet=L["history_sheet"], caption="")
    heading = document_heading(plan, L["history_sheet"], L, today)
    return View(data, [table], heading=heading, lang=L["html_lang"])


def _note_cell(event: Event, unit: str | None) -> str:
    """The note, after a progress report's percent and value (`60% · 7.5% · 已完成调研`)."""
    parts = []
    if event.percent is not None:
        parts.append(f"{event.percent}%")
    if event.value is not None:
        parts.append(f"{number_text(event.value)}{unit or ''}")
    if event.note:
        parts.append(event.note)
    return " · ".join(parts)
