"""The export format: its versions, and the model of each kind of line (a header, an event,
a plan version, a collected return), strict as planctl writes them.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self, cast

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    create_model,
    model_validator,
)
from pydantic_core import PydanticCustomError

from planctl.core.events import COLUMNS, KINDS, MAX_COUNT, Event, owners
from planctl.core.filed import FiledReturn
from planctl.i18n import _
from planctl.store.rows import EVENT_DATACLASS_FIELDS, OLDEST_WRITTEN, event_from_record
from planctl.store.versions import PlanVersion

WITHOUT_RETURNS = OLDEST_WRITTEN
"""The format an export without returns (or checked steps) is written as."""
WITH_RETURNS = 4
"""The format an export with returns but no checked steps is written as."""
FORMAT_VERSION = max(
    WITH_RETURNS,
    *(kind.format for kind in KINDS.values()),
    *(column.metadata.get("format", 1) for column in EVENT_DATACLASS_FIELDS),
)
"""The latest export format: the highest that a kind (`Kind.format`) or a column (its
field's `format`, core/events.py) says first holds it. Format 2 added `to_date` to events,
format 3 progress reports (`percent`, `value`), format 4 the units' collected returns
(`"type": "return"` lines), format 5 the checked steps and chases; files of every earlier
format are read as well. An export is written as the oldest format that holds it: without
returns or checked steps format 3, which an older planctl reads."""
READABLE_VERSIONS = tuple(range(1, FORMAT_VERSION + 1))
"""The export formats this planctl reads; a later format gets a higher number."""

# The lengths are the columns' (schema.py): PostgreSQL would refuse a longer value.
_Id = Annotated[str, StringConstraints(min_length=1, max_length=36)]
_Key = Annotated[str, StringConstraints(min_length=1, max_length=64)]
_Name = Annotated[str, StringConstraints(min_length=1, max_length=128)]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


class _Line(BaseModel):
    # Strict, from JSON: dates and times must be ISO strings, counts real integers.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Header(_Line):
    planctl_export: int
    events: Annotated[int, Field(ge=0)] | None = None
    plan_versions: Annotated[int, Field(ge=0)] | None = None
    returns: Annotated[int, Field(ge=0)] | None = None  # format 4


class _EventChecks(_Line):
    """An event line's checks across its columns; its columns are `_EventLine`'s, made from
    the `Event` fields."""

    type: Literal["event"]

    @model_validator(mode="after")
    def _fits_its_action(self) -> Self:
        """The columns an action uses, filled as planctl's own commands fill them."""
        values = dict(self)
        for name in _TIMES:
            if values[name] is not None:
                _in_utc_range(name, values[name])
        action, kind = values["action"].value, KINDS[values["action"]]
        moves_to = values["to_date"] if values["to_date"] is not None else values["to_month"]
        for key in sorted(COLUMNS - {"note"}):
            column = "to_month or to_date" if key == "to" else key
            value = moves_to if key == "to" else values[key]
            if key in kind.needs and value is None:
                message = _("{column} is needed for {action}")
                raise PydanticCustomError("planctl", message.format(column=column, action=action))
            if key not in kind.needs | kind.carries and value is not None:
                names = _either(owner.value for owner in owners(key))
                message = _("{column} is only for {kinds}, not {action}")
                message = message.format(column=column, kinds=names, action=action)
                raise PydanticCustomError("planctl", message)
        if "note" in kind.needs and not (values["note"] or "").strip():
            if kind.note_is:
                message = _("note ({what}) is needed for {action}").format(
                    what=_(kind.note_is), action=action
                )
            else:
                message = _("{column} is needed for {action}").format(column="note", action=action)
            raise PydanticCustomError("planctl", message)
        return self

    def event(self) -> Event:
        return event_from_record(dict(self))


def _column(column: dataclasses.Field[Any], hint: Any) -> tuple[Any, Any]:
    """An `Event` field as an export line's field: its type within the bounds its metadata
    says (`Event`'s docstring), and whether a line may leave it out (a column later than
    format 1)."""
    bounds = column.metadata
    kinds = [kind for kind in typing.get_args(hint) if kind is not type(None)]
    kind = kinds[0] if kinds else hint
    line_type: Any = kind
    if "choices" in bounds:
        line_type = cast(Any, Literal)[tuple(bounds["choices"])]
    elif kind is str and bounds.keys() & {"min_length", "max_length"}:
        limits = StringConstraints(
            min_length=bounds.get("min_length"), max_length=bounds.get("max_length")
        )
        line_type = Annotated[str, limits]
    elif kind is int and "range" in bounds:
        low, high = bounds["range"]
        line_type = Annotated[int, Field(ge=low, le=high)]
    elif kind is float:
        line_type = FiniteFloat
    elif kind is datetime:
        line_type = AwareDatetime
    if kinds:  # a column that may be empty
        line_type = line_type | None
    return line_type, (... if bounds.get("format", 1) == 1 else None)


def _event_line() -> type[_EventChecks]:
    hints = typing.get_type_hints(Event)
    columns: dict[str, Any] = {
        column.name: _column(column, hints[column.name]) for column in EVENT_DATACLASS_FIELDS
    }
    return create_model(
        "_EventLine",
        __base__=_EventChecks,
        __module__=__name__,
        __doc__="An event line: the `Event` fields, each within its bounds, in their order.",
        **columns,
    )


_TIMES = tuple(
    name
    for name, hint in typing.get_type_hints(Event).items()
    if datetime in (hint, *typing.get_args(hint))
)
"""The times of an event (`recorded_at`): each must have a UTC equivalent."""

if TYPE_CHECKING:
    _EventLine = _EventChecks
else:
    _EventLine = _event_line()


class _PlanVersionLine(_Line):
    type: Literal["plan_version"]
    plan_id: _Key
    digest: _Key
    seen_at: AwareDatetime
    tasks: dict[str, tuple[str, int | str | None]]

    @model_validator(mode="after")
    def _in_range(self) -> _PlanVersionLine:
        _in_utc_range("seen_at", self.seen_at)
        return self

    def version(self) -> PlanVersion:
        tasks = {task_id: list(title_month) for task_id, title_month in self.tasks.items()}
        return PlanVersion(self.digest, self.seen_at.astimezone(UTC), tasks)


class _ReturnLine(_Line):
    type: Literal["return"]
    return_id: _Id
    plan_id: _Key
    unit: _Name
    cycle: Annotated[str, StringConstraints(min_length=1, max_length=16)]
    received: date
    digest: _Key
    rows: Annotated[int, Field(ge=0, le=MAX_COUNT)]
    recorded_by: _Name
    recorded_at: AwareDatetime

    @model_validator(mode="after")
    def _in_range(self) -> _ReturnLine:
        _in_utc_range("recorded_at", self.recorded_at)
        return self

    def filed(self) -> FiledReturn:
        values = self.model_dump(exclude={"type"})
        values["recorded_at"] = self.recorded_at.astimezone(UTC)
        return FiledReturn(**values)


def _either(names: Iterable[str]) -> str:
    """`done or claim`; three or more as a list ending with `or` (`done, claim or chase`)."""
    listed = list(names)
    if len(listed) < 2:
        return "".join(listed)
    return _("{first} or {second}").format(first=", ".join(listed[:-1]), second=listed[-1])


def _in_utc_range(name: str, moment: datetime) -> None:
    """A time near year 1 or 9999 with an offset has no UTC equivalent Python can hold."""
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise PydanticCustomError(
            "planctl", f"{name}: {moment.isoformat()} is out of range in UTC"
        ) from None


_MODELS: dict[str, type[_EventLine] | type[_PlanVersionLine] | type[_ReturnLine]] = {
    "event": _EventLine,
    "plan_version": _PlanVersionLine,
    "return": _ReturnLine,
}


_Record = _EventLine | _PlanVersionLine | _ReturnLine
