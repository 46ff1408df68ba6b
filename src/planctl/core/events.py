"""Recorded progress: an append-only log of events, one per change a person made."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date, datetime


class Action(enum.StrEnum):
    """What an event records."""

    DONE = "done"
    UNDO = "undo"
    NOTE = "note"
    DEFER = "defer"


@dataclass(frozen=True, slots=True)
class Event:
    """One recorded change to one task of one plan."""

    event_id: str
    plan_id: str
    task_id: str
    action: Action
    work_date: date
    recorded_by: str
    recorded_at: datetime
    note: str | None = None
    undoes: str | None = None
    count: int | None = None
    """How much a `done` adds to a task with a target (None: 1)."""
    to_month: int | None = None
    """The month a `defer` moves the task to; its reason is the note."""
    to_date: date | None = None
    """The due day a `defer` moves the task to (an event with only `to_month`: that month's
    last day in the plan's year)."""


def new_event(
    plan_id: str,
    task_id: str,
    action: Action,
    *,
    work_date: date,
    recorded_by: str,
    recorded_at: datetime,
    note: str | None = None,
    undoes: str | None = None,
    count: int | None = None,
    to_month: int | None = None,
) -> Event:
    """An event with a fresh unique ID."""
    return Event(
        event_id=str(uuid.uuid4()),
        plan_id=plan_id,
        task_id=task_id,
        action=action,
        work_date=work_date,
        recorded_by=recorded_by,
        recorded_at=recorded_at,
        note=note,
        undoes=undoes,
        count=count,
        to_month=to_month,
    )
