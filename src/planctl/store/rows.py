"""One mapping of an `Event` to a table row and to an export record, and back.

Derived from the `Event` dataclass's fields, so that adding a field to events touches the
model, a migration and, only where the field needs a conversion of its own, this module: the
store, `store export` and `store import` all go through here.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from planctl.core.events import Action, Event
from planctl.errors import StoreLimitExceeded
from planctl.i18n import _
from planctl.store.row_check import FIELD_TYPES, plausible
from planctl.store.row_check import row_problem as row_problem

if TYPE_CHECKING:
    import sqlalchemy as sa

EVENT_DATACLASS_FIELDS: tuple[dataclasses.Field[Any], ...] = dataclasses.fields(Event)
"""The `Event` fields, each with its column's bounds in its metadata (`Event`'s docstring)."""
EVENT_FIELDS: tuple[str, ...] = tuple(field.name for field in EVENT_DATACLASS_FIELDS)
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


FINGERPRINT_QUERY = (
    "SELECT count(*), group_concat(event_id, ',') FROM"
    " (SELECT event_id FROM events WHERE plan_id = ? ORDER BY task_id, seq)"
)
"""What identifies a SQLite store's events of a plan as they stand (the states cache,
`planctl.cli.state_cache`, keys on it): how many, and their IDs in the order of the index that
serves a read (by task, then `seq`: no row is read, no sort made), hashed by `fingerprint_of`.
An event's ID is its own (a UUID made when it was recorded) and planctl only ever appends, so
anything recorded, undone, renamed or imported since changes it; a row changed by other hands
changes the store's file, which the cache checks as well."""


def fingerprint_of(count: int, identities: str) -> str:
    """The fingerprint of a plan's events from SQLite's text of their IDs."""
    return f"{count}-{hashlib.sha256(identities.encode()).hexdigest()}"


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
    if converted is None or not plausible(rows):
        for position, row in enumerate(rows):
            problem = row_problem(row, dates_as_text=dates_as_text)
            if problem is not None:
                raise DamagedRow(position, row[0], problem)
        if converted is None:  # pragma: no cover - row_problem checks more than _convert
            raise AssertionError("a row failed to convert but row_problem found nothing")
    return converted


def _convert(rows: Sequence[Sequence[Any]], dates_as_text: bool) -> list[Event]:
    if dates_as_text:
        with contextlib.suppress(ValueError):  # a time written with its zone: see _CONVERSIONS
            return _converter("text")(rows)
        return _converter("zoned text")(rows)
    return _converter("values")(rows)


_CONVERSIONS: dict[str, dict[Any, str]] = {
    # SQLite's text of a time has no zone: read with "+00:00" appended, it is made aware by
    # the parser, at a tenth of the cost of `replace(tzinfo=UTC)` after; a time that has a
    # zone fails that, and the rows are read again as "zoned text".
    "text": {Action: "actions[{v}]", date: "day({v})", datetime: 'moment({v} + "+00:00")'},
    "zoned text": {
        Action: "actions[{v}]",
        date: "day({v})",
        datetime: "moment({v}).replace(tzinfo=UTC)",
    },
    "values": {
        Action: "actions[{v}]",
        datetime: "{v}.astimezone(UTC) if {v}.tzinfo else {v}.replace(tzinfo=UTC)",
    },
}
"""How each type of column is read, by how the rows come: SQLite's text (`dates_as_text`),
or a driver's values (dates and times already, a time perhaps without its zone)."""


@cache
def _converter(how: str) -> Callable[[Sequence[Sequence[Any]]], list[Event]]:
    """The conversion of rows to events for rows that come `how`, made from the `Event`
    fields on its first use (as `dataclasses` makes `__init__`): one list comprehension that
    unpacks each row into the fields' names and calls `Event` with them by position, each
    converted as its type says (`_CONVERSIONS`). Per-row mappings, keyword calls or a loop
    over the fields would be most of a read's cost."""
    values = []
    for column in EVENT_DATACLASS_FIELDS:
        kind, optional = FIELD_TYPES[column.name]
        value = _CONVERSIONS[how].get(kind, "{v}").format(v=column.name)
        if optional and value != column.name:  # a column that may be empty
            value = f"None if {column.name} is None else {value}"
        values.append(value)
    source = (
        f"def convert(rows):\n"
        f"    return [Event({', '.join(values)}) for ({', '.join(EVENT_FIELDS)}) in rows]\n"
    )
    scope: dict[str, Any] = {
        "Event": Event, "actions": _ACTIONS, "day": date.fromisoformat,
        "moment": datetime.fromisoformat, "UTC": UTC,
    }  # fmt: skip
    exec(compile(source, f"<planctl.store.rows: events from rows ({how})>", "exec"), scope)
    convert: Callable[[Sequence[Sequence[Any]]], list[Event]] = scope["convert"]
    return convert


class DamagedRow(Exception):
    """A row of the events table that is not a sound event (the store names it by `seq`)."""

    def __init__(self, position: int, event_id: object, problem: str) -> None:
        super().__init__(problem)
        self.position = position
        self.event_id = event_id
        self.problem = problem


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
    limits: dict[str, tuple[str, int | None]] = {}
    for field in dataclasses.fields(Event):
        kind, _optional = FIELD_TYPES[field.name]
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
    for name, bound in _WITHIN:
        value = row.get(name)
        if isinstance(value, float) and not -bound < value < bound:
            raise StoreLimitExceeded(
                _("the event does not fit the store: {name} {value} is outside -{bound} to {bound}")
                .format(name=name, value=repr(value), bound=_power(bound))
            )  # fmt: skip


_WITHIN = tuple(
    (field.name, field.metadata["within"])
    for field in EVENT_DATACLASS_FIELDS
    if "within" in field.metadata
)
"""The number columns with a bound of their own (`value`: strictly between -10^15 and 10^15,
what the CLI takes), from their fields' metadata."""


def _power(bound: float) -> str:
    """A bound as a message writes it: `10^15`, or the number when it is no power of ten."""
    exponent = round(math.log10(bound))
    return f"10^{exponent}" if 10.0**exponent == bound else f"{bound:g}"


OLDEST_WRITTEN = 3
"""The oldest export format written (an export without returns or checked steps)."""

_LEFT_OUT_WHEN_EMPTY = frozenset(
    field.name
    for field in EVENT_DATACLASS_FIELDS
    if field.metadata.get("format", 1) > OLDEST_WRITTEN
)
"""The columns later than the oldest format written (`how`, format 5): an event that leaves
one empty is written without its key, as the older planctl that reads that format wrote it."""


def event_record(event: Event) -> dict[str, Any]:
    """An event as one line of an export: JSON values, times in UTC with their offset."""
    record: dict[str, Any] = {"type": "event"}
    for name in EVENT_FIELDS:
        value = getattr(event, name)
        if value is None and name in _LEFT_OUT_WHEN_EMPTY:
            continue
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
