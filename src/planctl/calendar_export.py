"""The plan as an iCalendar file: one VTODO per task, for calendar and to-do applications.

Each task keeps a stable UID, so importing a newer export updates the same to-dos instead of
adding copies. Due dates are the end of the task's month (after deferrals), or of the year.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any

from icalendar import Calendar, Todo

from planctl.core.calendar import span
from planctl.core.progress import TaskRow
from planctl.plan.model import Plan

RRULES: dict[str, dict[str, Any]] = {
    "week": {"FREQ": "WEEKLY"},
    "month": {"FREQ": "MONTHLY"},
    "quarter": {"FREQ": "MONTHLY", "INTERVAL": 3},
}


def task_uid(plan: Plan, task_id: str) -> str:
    """The to-do's UID: the same for a task in every export."""
    return f"{task_id}@{plan.id}.planctl"


def calendar_bytes(plan: Plan, rows: Iterable[TaskRow], today: date) -> bytes:
    """The iCalendar file (RFC 5545) of the plan's tasks as they stand on `today`."""
    calendar = Calendar()
    calendar.add("prodid", "-//planctl//planctl//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", plan.title)
    stamp = datetime.combine(today, time(), tzinfo=UTC)
    for row in rows:
        task = row.task
        first, last = span(plan.year, row.month)
        todo = Todo()
        todo.add("uid", task_uid(plan, task.id))
        todo.add("dtstamp", stamp)
        todo.add("summary", f"{task.id} {task.title}")
        todo.add("dtstart", first)
        todo.add("due", last)
        description = [task.source or task.title]
        if row.pace is not None:
            description.append(f"{row.pace.count}/{row.pace.target}{task.unit or ''}")
        if row.state.deferral is not None and task.month is not None:
            deferral = row.state.deferral
            description.append(f"deferred to month {deferral.to_month}: {deferral.reason}")
        todo.add("description", "\n".join(description))
        if task.leads or task.support:
            # The units with a role in it, lead units first: a unit's calendar filter finds
            # the tasks it leads and those it supports.
            todo.add("categories", [*task.leads, *task.support])
        if task.every is not None:
            todo.add("rrule", {**RRULES[task.every], "UNTIL": last})
        if row.done and row.completion is not None:
            todo.add("status", "COMPLETED")
            todo.add("completed", datetime.combine(row.completion.on, time(), tzinfo=UTC))
        else:
            todo.add("status", "NEEDS-ACTION")
        calendar.add_component(todo)
    return bytes(calendar.to_ical())
