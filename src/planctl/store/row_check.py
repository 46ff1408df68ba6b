"""The store's check of a row of the events table, made from the `Event` fields: each
column's type and the bounds of its field's metadata (`Event`'s docstring). `plausible` is
the read path's cheap check of a whole batch; `row_problem` names what is wrong with one row.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from planctl import frozen
from planctl.core.events import KINDS, Action, Event

_ACTIONS = {action.value: action for action in Action}
_FIELDS = tuple(field.name for field in dataclasses.fields(Event))


@frozen
class _Column:
    """What a row's column must hold, from its `Event` field: its type, whether it may be
    empty, and the bounds of its metadata (`Event`'s docstring)."""

    index: int
    name: str
    kind: Any
    optional: bool
    blank: bool = True
    """Whether text may be blank (no `min_length`)."""
    choices: tuple[Any, ...] | None = None
    range: tuple[int, int] | None = None

    @property
    def bounded(self) -> bool:
        """Whether its values are few (choices, a range) or numbers: `_plausible` checks them
        by their set."""
        return self.choices is not None or self.range is not None or self.kind in (int, float)

    @property
    def types(self) -> set[type]:
        """The one type its values have (an empty column aside)."""
        return {self.kind}


def _field_types() -> dict[str, tuple[Any, bool]]:
    hints = typing.get_type_hints(Event)
    types = {}
    for name in _FIELDS:
        kinds = [kind for kind in typing.get_args(hints[name]) if kind is not type(None)]
        types[name] = (kinds[0], True) if kinds else (hints[name], False)
    return types


FIELD_TYPES = _field_types()
"""Each `Event` field's type and whether its column may be empty (`str | None`: `(str,
True)`), from its annotation: what the row check, the conversion of rows to events and the
store's limits read."""


def _columns() -> tuple[_Column, ...]:
    columns = []
    for index, field in enumerate(dataclasses.fields(Event)):
        kind, optional = FIELD_TYPES[field.name]
        bounds = field.metadata
        choices = bounds.get("choices")
        columns.append(
            _Column(
                index, field.name, kind, optional, not bounds.get("min_length"),
                None if choices is None else tuple(choices), bounds.get("range"),
            )
        )  # fmt: skip
    return tuple(columns)


_COLUMNS = _columns()


def plausible(rows: Sequence[Sequence[Any]]) -> bool:
    """What the conversion does not check (it fails on a bad action, date or time): text
    columns hold text, numbers are numbers within their bounds. Sets of each column's types,
    and of its distinct values where they are few: a few percent of a read."""
    if not rows:
        return True
    for column in _COLUMNS:
        index = column.index
        if column.bounded:  # few distinct values: their set, and their types
            values = {row[index] for row in rows}
            if column.optional:
                values.discard(None)
            if not {type(value) for value in values} <= column.types:
                return False
            if column.choices is not None and not values.issubset(column.choices):
                return False
            low, high = column.range or (None, None)
            if values and low is not None and not low <= min(values) <= max(values) <= high:
                return False
            if column.kind is float and not all(map(math.isfinite, values)):
                return False
        elif column.kind is str:
            types = {type(row[index]) for row in rows}
            if column.optional:
                types.discard(type(None))
            if not types <= column.types:  # rows there are: a column never empty has one
                return False
    return True


def row_problem(row: Sequence[Any], *, dates_as_text: bool) -> str | None:
    """What is wrong with one row of column values, first column first, or None for a sound
    event."""
    for column in _COLUMNS:
        problem = _column_problem(column, row[column.index], dates_as_text)
        if problem is not None:
            return f"{column.name} {problem}"
    action = row[_ACTION]
    kind = KINDS[_ACTIONS[action]]
    if "undoes" in kind.needs and row[_UNDOES] is None:
        return f"undoes is empty on an {action}"
    if kind.moves_due and row[_TO_MONTH] is None and row[_TO_DATE] is None:
        return f"to_month and to_date are empty on a {action}"
    return None


_ACTION, _UNDOES, _TO_MONTH, _TO_DATE = (
    _FIELDS.index(name) for name in ("action", "undoes", "to_month", "to_date")
)


def _column_problem(column: _Column, value: Any, dates_as_text: bool) -> str | None:
    """What is wrong with one column's value (said after its name), or None."""
    kind = column.kind
    if value is None and column.optional:
        return None
    if column.choices is not None:
        if value not in column.choices:
            return f"{_shown(value)} is not one of {', '.join(map(str, column.choices))}"
    elif kind is str:
        if not isinstance(value, str) or not (value or column.blank):
            return f"{_shown(value)} is not text"
    elif kind is Action:
        if not isinstance(value, str) or value not in _ACTIONS:
            return f"{_shown(value)} is not an action"
    elif kind is date or kind is datetime:
        if not _is_moment(value, kind, dates_as_text):
            return f"{_shown(value)} is not a {'date' if kind is date else 'time'}"
    elif kind is float:
        if type(value) is not float or not math.isfinite(value):
            return f"{_shown(value)} is not a finite number"
    elif kind is int:
        if type(value) is not int:
            return f"{_shown(value)} is not a whole number"
        if column.range is not None and not column.range[0] <= value <= column.range[1]:
            return f"{value} is not between {column.range[0]} and {column.range[1]}"
    return None


def _is_moment(value: Any, kind: type[date], dates_as_text: bool) -> bool:
    """Whether a stored date (or time) is one: text that parses as one, on SQLite; else a
    value of its type (a date that is not a time)."""
    if dates_as_text:
        try:
            kind.fromisoformat(value)
        except (TypeError, ValueError):
            return False
        return True
    return isinstance(value, kind) and (kind is datetime or not isinstance(value, datetime))


def _shown(value: object) -> str:
    """A stored value in a message: short, and without control characters (repr escapes
    what is not printable)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
