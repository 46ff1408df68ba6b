"""The history view: the event log, newest first."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from planctl.core.events import KINDS, Event
from planctl.core.filed import FiledReturn, return_sources
from planctl.plan.model import Plan
from planctl.render import View
from planctl.render.json_out import Streamed
from planctl.rules.calendar import month_end
from planctl.views import columns
from planctl.views.columns import Spec
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
    } | ({} if event.how is None else {"how": event.how})


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
    filed: Sequence[FiledReturn] | None = None,
) -> View:
    """`planctl history`: the log, newest first, with each task's title. `local_time` turns
    the moment an event was recorded into the reader's local time (the CLI passes the
    machine's zone; JSON keeps `recorded_at` in UTC). `filed`: a plan with `returns:`, the
    returns collected to show (`planctl.views.returns.with_returns_collected`)."""
    sources = return_sources(events, filed) if filed else {}
    newest_first = list(reversed(events))
    data = {"plan": plan_object(plan), "events": [event_object(e) for e in newest_first]}
    L = labels
    title = L["history_title"].format(plan=plan_label(plan, source))
    specs = history_specs(plan, L, local_time, sources)
    table = columns.table(
        title, specs, newest_first, L, typed=False, empty=L["none"], sheet=L["history_sheet"],
        caption="",
    )  # fmt: skip
    heading = document_heading(plan, L["history_sheet"], L, today)
    view = View(data, [table], heading=heading, lang=L["html_lang"])
    if filed is None:
        return view
    from planctl.views.returns import with_returns_collected

    return with_returns_collected(
        view, plan, source, filed, sources, labels=L, local_time=local_time
    )


def _by_cell(event: Event, sources: Mapping[str, FiledReturn], labels: Mapping[str, str]) -> str:
    """Who recorded the event, and the return it came from, if it came from one."""
    source = sources.get(event.event_id)
    if source is None:
        return event.recorded_by
    from planctl.views.returns import from_return

    return from_return(event.recorded_by, source, labels)


def history_specs(
    plan: Plan,
    labels: Mapping[str, str],
    local_time: Callable[[datetime], datetime],
    sources: Mapping[str, FiledReturn] | None = None,
) -> list[Spec[Event]]:
    """The columns of the log: when recorded (local time), the task, what was done on which
    day by whom, and the note after what the change did."""
    titles = {task.id: task.title for task in plan.tasks}
    units = {task.id: task.unit for task in plan.tasks}
    return [
        Spec("recorded", lambda e: recorded_text(local_time(e.recorded_at))),
        Spec("id", lambda e: e.task_id),
        Spec("title", lambda e: titles.get(e.task_id, labels["not_in_plan"])),
        Spec("action", lambda e: action_text(e.action, labels)),
        Spec("on", lambda e: e.work_date, "date"),
        Spec("by", lambda e: _by_cell(e, sources or {}, labels)),
        Spec("note", lambda e: _note_cell(e, units.get(e.task_id), plan.year, labels)),
    ]


def history_columns(plan: Plan, labels: Mapping[str, str]) -> list[str]:
    """The history table's columns (its headers)."""
    return columns.headers(history_specs(plan, labels, _in_utc), labels)


def history_rows(
    plan: Plan,
    events: Iterable[Event],
    labels: Mapping[str, str] = ENGLISH,
    local_time: Callable[[datetime], datetime] = _in_utc,
) -> Iterator[list[str]]:
    """The history table's text rows of these events, one at a time, in their order (a plan
    without `returns:`: its whole history streamed, `planctl history`)."""
    specs = columns.text_specs(history_specs(plan, labels, local_time))
    for event in events:
        yield [spec.cell(event) for spec in specs]


def history_data(plan: Plan, newest_first: Iterable[Event]) -> dict[str, Any]:
    """`history_view`'s JSON data of events given newest first, written as they come (see
    `Streamed`): a plan's whole history is never in memory at once."""
    return {"plan": plan_object(plan), "events": Streamed(map(event_object, newest_first))}


def _note_cell(event: Event, unit: str | None, year: int, labels: Mapping[str, str]) -> str:
    """The note, after what the change did (`60% · 已完成调研`, `+2`, `→ 2018-09-30 · 原因`,
    a chase's how: `电话 · 请于7月10日前报送`)."""
    change = change_text(event, unit, year)
    if event.how is not None:
        change = " · ".join(part for part in (labels[f"how_{event.how}"], change) if part)
    return " · ".join(part for part in (change, event.note or "") if part)


def change_text(event: Event, unit: str | None, year: int) -> str:
    """What an event changed, in a few marks: the count a `done` (or a claim) added (`+2`),
    the due day a deferral moved the task to, a request asked for or an approval granted
    (`→ 2018-09-30`), a report's percent and value (`60% · 7.5%`);
    empty for anything else. A deferral recorded with only a month moved the task to that
    month's last day in `year`, the plan's."""
    parts = []
    kind = KINDS[event.action]
    if "count" in kind.carries and event.count is not None:
        parts.append(f"+{event.count}")
    if kind.moves_due:
        if event.to_date is not None:
            parts.append(f"→ {event.to_date.isoformat()}")
        elif event.to_month is not None:
            parts.append(f"→ {month_end(year, event.to_month).isoformat()}")
    if event.percent is not None:
        parts.append(f"{event.percent}%")
    if event.value is not None:
        parts.append(f"{number_text(event.value)}{unit or ''}")
    return " · ".join(parts)
