"""The plan as an iCalendar file (RFC 5545) of to-dos, for calendar and to-do applications.

A task is one VTODO over its window; a recurring duty is one VTODO per occurrence, each done or
not on its own; a step's VTODOs are RELATED-TO its task's. UIDs are stable
(`6.2@cppcc-2018.planctl`, `Y.8.2018-W23@cppcc-2018.planctl`), so importing a newer export
updates the same to-dos instead of adding copies, and SEQUENCE and LAST-MODIFIED come from the
events recorded for each to-do, so the calendar sees which changed.

Pure: the plan, the assessed rows, the events and the moment of export in; the entries out,
written as iCalendar by `planctl.render.ics`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

from planctl import frozen
from planctl.core.events import Action, Event
from planctl.core.progress import TaskRow
from planctl.core.state import Completion, by_task
from planctl.plan.model import Plan
from planctl.rules.periods import Occurrence, duty_occurrences, occurrence_at
from planctl.rules.windows import plan_period


@frozen
class Revision:
    """How often a to-do has changed, and when it last did: every event recorded for it counts,
    an undo and the event it reverses too, so that SEQUENCE only ever grows."""

    sequence: int
    last_modified: datetime | None

    @classmethod
    def of(cls, events: Sequence[Event]) -> Revision:
        if not events:
            return cls(0, None)
        return cls(len(events), max(event.recorded_at for event in events).astimezone(UTC))


@frozen
class Entry:
    """What one VTODO says: a task, or one occurrence of a duty."""

    uid: str
    row: TaskRow
    start: date
    due: date
    description: str
    completion: Completion | None
    percent: int | None
    revision: Revision
    related_to: str | None = None
    """A step's: the UID of its task's to-do (RELATED-TO, a PARENT relation)."""


def task_uid(plan: Plan, task_id: str, occurrence: Occurrence | None = None) -> str:
    """The to-do's UID, the same in every export: `6.2@cppcc-2018.planctl` for a task,
    `Y.8.2018-W23@cppcc-2018.planctl` for an occurrence of a duty."""
    if occurrence is None:
        return f"{task_id}@{plan.id}.planctl"
    return f"{task_id}.{occurrence.label}@{plan.id}.planctl"


def calendar_bytes(
    plan: Plan, rows: Iterable[TaskRow], events: Iterable[Event], exported_at: datetime
) -> bytes:
    """The iCalendar file of the plan's tasks as the rows assess them, with the plan's
    `events` (for SEQUENCE and LAST-MODIFIED) and the moment of export (DTSTAMP; aware)."""
    from planctl.render.ics import ics_bytes

    if exported_at.tzinfo is None:
        raise ValueError("exported_at must be an aware datetime")
    recorded = by_task(event for event in events if event.plan_id == plan.id)
    made = [entry for row in rows for entry in entries(plan, row, recorded.get(row.task.id, []))]
    return ics_bytes(plan.title, made, exported_at.astimezone(UTC))


def entries(plan: Plan, row: TaskRow, events: Sequence[Event]) -> list[Entry]:
    """The VTODOs of one task: one per occurrence of a scheduled duty, else one for its
    window (an `as_needed` duty's window is the whole period)."""
    task = row.task
    described = task.source or task.title
    parent = None if task.parent is None else task_uid(plan, task.parent)
    occurrences = duty_occurrences(task, plan_period(plan))
    if not occurrences:
        lines = [described]
        if row.pace is not None:
            lines.append(f"{row.pace.count}/{row.pace.target}{task.unit or ''}")
        if row.steps is not None:
            lines.append(f"{row.steps.done}/{row.steps.total} steps")
        if row.state.deferral is not None:
            reason = row.state.deferral.reason
            lines.append(f"deferred to {row.due}" + (f": {reason}" if reason else ""))
        percent = None
        if row.done:
            percent = 100
        elif row.pace is not None:
            percent = min(100, row.pace.count * 100 // row.pace.target)
        elif row.steps is not None and row.steps.total:
            percent = row.steps.done * 100 // row.steps.total
        return [
            Entry(
                task_uid(plan, task.id),
                row,
                row.start,
                row.due,
                "\n".join(lines),
                row.completion if row.done else None,
                percent,
                Revision.of(events),
                parent,
            )
        ]
    done = set() if row.rhythm is None else {occurrence.start for occurrence in row.rhythm.done}
    grouped = events_by_occurrence(events, occurrences)
    result = []
    for occurrence in occurrences:
        completion = None
        if occurrence.start in done:
            completion = [c for c in row.state.completions if c.on in occurrence][-1]
        result.append(
            Entry(
                task_uid(plan, task.id, occurrence),
                row,
                occurrence.start,
                occurrence.due,
                f"{described}\n{occurrence.label}",
                completion,
                100 if completion is not None else None,
                Revision.of(grouped.get(occurrence.start, [])),
                parent,
            )
        )
    return result


def events_by_occurrence(
    events: Sequence[Event], occurrences: Sequence[Occurrence]
) -> dict[date, list[Event]]:
    """A duty's events by the start of the occurrence their work date falls in; an undo goes
    with the event it reverses. Events outside every occurrence belong to none."""
    work_dates = {event.event_id: event.work_date for event in events}
    grouped: dict[date, list[Event]] = {}
    for event in events:
        day = event.work_date
        if event.action is Action.UNDO and event.undoes in work_dates:
            day = work_dates[event.undoes]
        found = occurrence_at(occurrences, day)
        if found is not None:
            grouped.setdefault(found.start, []).append(event)
    return grouped
