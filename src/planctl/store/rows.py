"""One mapping of an `Event` to a table row and to an export record, and back.

Derived from the `Event` dataclass's fields, so that adding a field to events touches the
model, a migration and, only where the field needs a conversion of its own, this module: the
store, `store export` and `store import` all go through here.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from planctl.core.events import HOWS, KINDS, MAX_VALUE, Action, Event
from planctl.errors import StoreLimitExceeded
from planctl.i18n import _

if TYPE_CHECKING:
    import sqlalchemy as sa

EVENT_FIELDS: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(Event))
"""The events table's columns (besides its `seq`) and an export record's keys (besides
`type`), in the order of the `Event` fields."""

_ACTIONS = {action.value: action for action in Action}


def event_row(event: Event) -> dict[str, Any]:
    """The values of the events table's columns for one event."""
    row = {name: getattr(event, name) for name in EVENT_FIELDS}
    row["action"] = event.action.value
    return row


CHUNK = 10_000
"""Rows fetched and made into events at a time where a read streams (`per_task`, export)."""

T = TypeVar("T")


def per_task_groups(
    chunks: Iterable[tuple[list[Event], list[int]]],
) -> Iterator[tuple[str, list[Event], list[int]]]:
    """Events that come ordered by task, in chunks with their `seq` (the order the store got
    them), as (task ID, that task's events, their `seq`)."""
    task_id: str | None = None
    group: list[Event] = []
    numbers: list[int] = []
    for chunk, seqs in chunks:
        for event, seq in zip(chunk, seqs, strict=True):
            if event.task_id != task_id:
                if group and task_id is not None:
                    yield task_id, group, numbers
                task_id, group, numbers = event.task_id, [], []
            group.append(event)
            numbers.append(seq)
    if group and task_id is not None:
        yield task_id, group, numbers


def results_per_task(
    batches: Iterable[Sequence[Sequence[Any]]],
    events_of: Callable[[Sequence[Sequence[Any]]], list[Event]],
    each: Callable[[list[Event], list[int]], T | None],
) -> dict[str, T]:
    """`each` of every task's events and their `seq`, from batches of rows (`seq`, then the
    event's columns) ordered by task and `seq`, one task at a time (`per_task` of both read
    paths); `events_of` makes a batch's rows into events. Tasks for which `each` gives None are
    left out."""
    results: dict[str, T] = {}
    chunks = ((events_of([row[1:] for row in rows]), [row[0] for row in rows]) for rows in batches)
    for task_id, group, seqs in per_task_groups(chunks):
        result = each(group, seqs)
        if result is not None:
            results[task_id] = result
    return results


_UNPACKED = ("event_id", "plan_id", "task_id", "action", "work_date", "recorded_by",
             "recorded_at", "note", "undoes", "count", "to_month", "to_date", "percent",
             "value", "how")  # fmt: skip
assert EVENT_FIELDS == _UNPACKED, "events_from_rows unpacks the fields by position: update it"


def events_from_rows(rows: Sequence[Sequence[Any]], *, dates_as_text: bool) -> list[Event]:
    """Events from rows of column values in `EVENT_FIELDS` order: the one place rows become
    `Event`s. A row that is not a sound event raises `DamagedRow` naming the first such row.

    A plan's whole log is read by every report, so this is a hot path: tuples and positional
    fields (per-row mappings and keyword lookups were most of the read's cost). With
    `dates_as_text` (SQLite, read as the text it keeps: a third of the cost of SQLAlchemy's own
    conversion) the dates are parsed here; SQLite keeps no zone, and planctl always writes
    UTC. Rows are checked cheaply: a bad action or date fails the conversion itself, the
    other columns are checked by the sets of their types and of their few distinct numbers;
    only when something is wrong are the rows gone through one by one to name the bad one."""
    try:
        converted = _convert(rows, dates_as_text)
    except (KeyError, ValueError, TypeError, AttributeError, OverflowError):
        converted = None
    if converted is None or not _plausible(rows):
        for position, row in enumerate(rows):
            problem = row_problem(row, dates_as_text=dates_as_text)
            if problem is not None:
                raise DamagedRow(position, row[0], problem)
        if converted is None:  # pragma: no cover - row_problem checks more than _convert
            raise AssertionError("a row failed to convert but row_problem found nothing")
    return converted


def _convert(rows: Sequence[Sequence[Any]], dates_as_text: bool) -> list[Event]:
    actions = _ACTIONS
    if dates_as_text:
        day, moment = date.fromisoformat, datetime.fromisoformat
        with contextlib.suppress(ValueError):  # a time written with its zone: see below
            # SQLite's text of a time has no zone: read with "+00:00" appended, it is made
            # aware by the parser, at a tenth of the cost of `replace(tzinfo=UTC)` after.
            return [
                Event(event_id, plan_id, task_id, actions[action], day(on), by,
                      moment(at + "+00:00"), note, undoes, count, to_month,
                      None if to_date is None else day(to_date), percent, value, how)
                for (event_id, plan_id, task_id, action, on, by, at, note, undoes, count,
                     to_month, to_date, percent, value, how) in rows
            ]  # fmt: skip
        return [
            Event(event_id, plan_id, task_id, actions[action], day(on), by,
                  moment(at).replace(tzinfo=UTC), note, undoes, count, to_month,
                  None if to_date is None else day(to_date), percent, value, how)
            for (event_id, plan_id, task_id, action, on, by, at, note, undoes, count, to_month,
                 to_date, percent, value, how) in rows
        ]  # fmt: skip
    return [
        Event(event_id, plan_id, task_id, actions[action], on, by,
              at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC), note, undoes, count,
              to_month, to_date, percent, value, how)
        for (event_id, plan_id, task_id, action, on, by, at, note, undoes, count, to_month,
             to_date, percent, value, how) in rows
    ]  # fmt: skip


MAX_COUNT = 2**31 - 1
"""The largest count a `done` records: the store's integer column on PostgreSQL (int4)."""

_TEXT = {str}
_MAYBE_TEXT = {str, type(None)}
_MONTHS = set(range(1, 13)) | {None}
_PERCENTS = set(range(101)) | {None}
_HOWS = {*HOWS, None}
_VALUES = {float, type(None)}


def _plausible(rows: Sequence[Sequence[Any]]) -> bool:
    """What the conversion does not check: text columns hold text, counts and months are
    whole numbers in range. Sets of types and of distinct numbers: a few percent of a read."""
    if not rows:
        return True
    counts = {row[9] for row in rows}
    counts.discard(None)
    if counts and not (
        {type(count) for count in counts} == {int} and min(counts) >= 1 and max(counts) <= MAX_COUNT
    ):
        return False
    if not {row[10] for row in rows} <= _MONTHS:
        return False
    percents = {row[12] for row in rows}
    if not (percents <= _PERCENTS and {type(p) for p in percents} <= {int, type(None)}):
        return False
    values = {row[13] for row in rows}
    if not {type(value) for value in values} <= _VALUES or not all(
        math.isfinite(value) for value in values if value is not None
    ):
        return False
    return (
        {type(row[0]) for row in rows} == _TEXT
        and {type(row[2]) for row in rows} == _TEXT
        and {type(row[5]) for row in rows} == _TEXT
        and {type(row[7]) for row in rows} <= _MAYBE_TEXT
        and {type(row[8]) for row in rows} <= _MAYBE_TEXT
        and {row[14] for row in rows} <= _HOWS
    )


class DamagedRow(Exception):
    """A row of the events table that is not a sound event (the store names it by `seq`)."""

    def __init__(self, position: int, event_id: object, problem: str) -> None:
        super().__init__(problem)
        self.position = position
        self.event_id = event_id
        self.problem = problem


def row_problem(row: Sequence[Any], *, dates_as_text: bool) -> str | None:
    """What is wrong with one row of column values, column first, or None for a sound event."""
    values = dict(zip(EVENT_FIELDS, row, strict=True))
    for name in ("event_id", "plan_id", "task_id", "recorded_by"):
        if not isinstance(values[name], str) or not values[name]:
            return f"{name} {_shown(values[name])} is not text"
    for name in ("note", "undoes"):
        if values[name] is not None and not isinstance(values[name], str):
            return f"{name} {_shown(values[name])} is not text"
    if values["how"] not in _HOWS:
        return f"how {_shown(values['how'])} is not one of {', '.join(HOWS)}"
    action = values["action"]
    if not isinstance(action, str) or action not in _ACTIONS:
        return f"action {_shown(action)} is not an action"
    for name in ("work_date", "to_date"):
        value = values[name]
        if value is None and name == "to_date":
            continue
        if dates_as_text:
            try:
                date.fromisoformat(value)
                continue
            except (TypeError, ValueError):
                pass
        elif isinstance(value, date) and not isinstance(value, datetime):
            continue
        return f"{name} {_shown(value)} is not a date"
    at = values["recorded_at"]
    if dates_as_text:
        try:
            datetime.fromisoformat(at)
        except (TypeError, ValueError):
            return f"recorded_at {_shown(at)} is not a time"
    elif not isinstance(at, datetime):
        return f"recorded_at {_shown(at)} is not a time"
    value = values["value"]
    if value is not None and (type(value) is not float or not math.isfinite(value)):
        return f"value {_shown(value)} is not a finite number"
    for name, low, high in (("count", 1, MAX_COUNT), ("to_month", 1, 12), ("percent", 0, 100)):
        value = values[name]
        if value is None:
            continue
        if type(value) is not int:
            return f"{name} {_shown(value)} is not a whole number"
        if not low <= value <= high:
            return f"{name} {value} is not between {low} and {high}"
    kind = KINDS[_ACTIONS[action]]
    if "undoes" in kind.needs and values["undoes"] is None:
        return f"undoes is empty on an {action}"
    if kind.moves_due and values["to_month"] is None and values["to_date"] is None:
        return f"to_month and to_date are empty on a {action}"
    return None


def _shown(value: object) -> str:
    """A stored value in a message: short, and without control characters (repr escapes
    what is not printable)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def salvage_events(
    rows: Sequence[Sequence[Any]], *, dates_as_text: bool
) -> tuple[list[Event], list[tuple[int, object, str]]]:
    """The sound events of these rows, and (position, event id, problem) of the others: for
    `store export`, which saves what can be saved."""
    try:
        return events_from_rows(rows, dates_as_text=dates_as_text), []
    except DamagedRow:
        pass
    good: list[Event] = []
    bad: list[tuple[int, object, str]] = []
    for position, row in enumerate(rows):
        problem = row_problem(row, dates_as_text=dates_as_text)
        if problem is None:
            good.extend(_convert([row], dates_as_text))
        else:
            bad.append((position, row[0], problem))
    return good, bad


INT4 = (-(2**31), 2**31 - 1)
"""What an `Integer` column holds on PostgreSQL (int4); SQLite would take more."""


def _column_limits(table: sa.Table) -> dict[str, tuple[str, int | None]]:
    """Each column's limit, from its type: ("text", length or None) or ("int", None)."""
    import sqlalchemy as sa  # only to record: reads of a SQLite store go without it

    limits: dict[str, tuple[str, int | None]] = {}
    for column in table.columns:
        if isinstance(column.type, sa.String):  # String(n) and Text
            limits[column.name] = ("text", column.type.length)
        elif isinstance(column.type, sa.Integer):
            limits[column.name] = ("int", None)
    return limits


@cache
def _event_limits() -> dict[str, tuple[str, int | None]]:
    """Each events column's limit, from the `Event` fields as `store/schema.py` makes the
    columns of them (text of `max_length` characters or any length, integers), without
    SQLAlchemy: the standard library's write path (`sqlite_write`) checks rows too. The same
    as `_column_limits(schema.events)` less `seq` (tests/test_store_sqlite_write.py)."""
    import typing

    hints = typing.get_type_hints(Event)
    limits: dict[str, tuple[str, int | None]] = {}
    for field in dataclasses.fields(Event):
        kinds = [kind for kind in typing.get_args(hints[field.name]) if kind is not type(None)]
        kind = kinds[0] if kinds else hints[field.name]
        if kind is int:
            limits[field.name] = ("int", None)
        elif kind not in (float, date, datetime):  # text, and the Action (a str enum)
            limits[field.name] = ("text", field.metadata.get("max_length"))
    return limits


def check_fits(row: dict[str, Any]) -> None:
    """Refuse, before anything is written, a row that one backend would take and another
    refuse (SQLite keeps any length and any integer; PostgreSQL refuses a `varchar(n)` over
    n characters, an int4 over 2^31-1 and a NUL in text), so that every backend keeps the
    same things and a store can move from one to another."""
    for name, (kind, length) in _event_limits().items():
        value = row.get(name)
        if value is None:
            continue
        if kind == "text" and isinstance(value, str):
            if length is not None and len(value) > length:
                raise StoreLimitExceeded(
                    _(
                        "the event does not fit the store: {name} is longer than {length}"
                        " characters ({count})"
                    ).format(name=name, length=length, count=len(value))
                )
            if "\x00" in value:
                raise StoreLimitExceeded(
                    _("the event does not fit the store: {name} holds a NUL character").format(
                        name=name
                    )
                )
        elif kind == "int" and isinstance(value, int) and not INT4[0] <= value <= INT4[1]:
            raise StoreLimitExceeded(
                _("the event does not fit the store: {name} {value} is outside {low} to {high}")
                .format(name=name, value=value, low=INT4[0], high=INT4[1])
            )  # fmt: skip
    value = row.get("value")
    if isinstance(value, float) and not -MAX_VALUE < value < MAX_VALUE:
        raise StoreLimitExceeded(
            _("the event does not fit the store: value {value} is outside -10^15 to 10^15").format(
                value=repr(value)
            )
        )


def event_record(event: Event) -> dict[str, Any]:
    """An event as one line of an export: JSON values, times in UTC with their offset."""
    record: dict[str, Any] = {"type": "event"}
    for name in EVENT_FIELDS:
        value = getattr(event, name)
        if name == "how" and value is None:
            continue  # only on a chase (format 5): other lines stay as older planctl read them
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
    fields: dict[str, Any] = {name: record.get(name) for name in EVENT_FIELDS}
    fields["recorded_at"] = fields["recorded_at"].astimezone(UTC)
    return Event(**fields)
