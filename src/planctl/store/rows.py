"""One mapping of an `Event` to a table row and to an export record, and back.

Derived from the `Event` dataclass's fields, so that adding a field to events touches the
model, a migration and, only where the field needs a conversion of its own, this module: the
store, `store export` and `store import` all go through here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from planctl.core.events import Action, Event

EVENT_FIELDS: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(Event))
"""The events table's columns (besides its `seq`) and an export record's keys (besides
`type`), in the order of the `Event` fields."""

_ACTIONS = {action.value: action for action in Action}


def event_row(event: Event) -> dict[str, Any]:
    """The values of the events table's columns for one event."""
    row = {name: getattr(event, name) for name in EVENT_FIELDS}
    row["action"] = event.action.value
    return row


_UNPACKED = ("event_id", "plan_id", "task_id", "action", "work_date", "recorded_by",
             "recorded_at", "note", "undoes", "count", "to_month", "to_date")  # fmt: skip
assert EVENT_FIELDS == _UNPACKED, "events_from_rows unpacks the fields by position: update it"


def events_from_rows(rows: Sequence[Sequence[Any]], *, dates_as_text: bool) -> list[Event]:
    """Events from rows of column values in `EVENT_FIELDS` order: the one place rows become
    `Event`s.

    A plan's whole log is read by every report, so this is a hot path: tuples and positional
    fields (per-row mappings and keyword lookups were most of the read's cost). With
    `dates_as_text` (SQLite, read as the text it keeps: a third of the cost of SQLAlchemy's own
    conversion) the dates are parsed here; SQLite keeps no zone, and planctl always writes
    UTC."""
    actions = _ACTIONS
    if dates_as_text:
        day, moment = date.fromisoformat, datetime.fromisoformat
        return [
            Event(event_id, plan_id, task_id, actions[action], day(on), by,
                  moment(at).replace(tzinfo=UTC), note, undoes, count, to_month,
                  None if to_date is None else day(to_date))
            for (event_id, plan_id, task_id, action, on, by, at, note, undoes, count, to_month,
                 to_date) in rows
        ]  # fmt: skip
    return [
        Event(event_id, plan_id, task_id, actions[action], on, by,
              at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC), note, undoes, count,
              to_month, to_date)
        for (event_id, plan_id, task_id, action, on, by, at, note, undoes, count, to_month,
             to_date) in rows
    ]  # fmt: skip


def event_record(event: Event) -> dict[str, Any]:
    """An event as one line of an export: JSON values, times in UTC with their offset."""
    record: dict[str, Any] = {"type": "event"}
    for name in EVENT_FIELDS:
        value = getattr(event, name)
        if isinstance(value, datetime):
            value = value.astimezone(UTC).isoformat()
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Action):
            value = value.value
        record[name] = value
    return record


def event_from_record(record: dict[str, Any]) -> Event:
    """An event from an export record whose values were already checked and converted (see
    `planctl.store.transfer`): every field present, times aware."""
    fields = {name: record[name] for name in EVENT_FIELDS}
    fields["recorded_at"] = fields["recorded_at"].astimezone(UTC)
    return Event(**fields)
