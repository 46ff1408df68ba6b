"""The plan file's field types: IDs, text (no control characters, something visible), days,
months and quarters as written, numbers, names, the window keys; and the strict base of its
models.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from planctl.i18n import N_, _
from planctl.plan.instead import WRONG_KINDS
from planctl.rules.calendar import MONTH_TEXT, QUARTER_TEXT

TASK_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"
ALLOWED_CONTROLS = {"\t", "\n", "\r"}
SEPARATORS = {"\u2028": N_("line separator U+2028"), "\u2029": N_("paragraph separator U+2029")}


def no_control_characters(text: str) -> str:
    """Reject control characters and line separators written as YAML escapes ("\\e",
    "\\L"), as the raw ones are rejected: a YAML tool would save them raw."""
    for character in text:
        if character in SEPARATORS:
            raise ValueError(_("{what} is not allowed").format(what=_(SEPARATORS[character])))
        if unicodedata.category(character) == "Cc" and character not in ALLOWED_CONTROLS:
            raise ValueError(
                _("control character {code} is not allowed").format(code=f"{ord(character):#06x}")
            )
    return text


Prose = Annotated[str, AfterValidator(no_control_characters)]
TaskId = Annotated[str, StringConstraints(pattern=TASK_ID_PATTERN)]
CARRIED_FROM_PATTERN = f"{TASK_ID_PATTERN.removesuffix('$')}:{TASK_ID_PATTERN[1:]}"


def _carried_from(value: str) -> str:
    # fullmatch: the pattern's `$` would let a trailing newline through.
    if not re.fullmatch(CARRIED_FROM_PATTERN, value):
        raise ValueError(
            _("{value} is not PLAN-ID:TASK-ID (cppcc-2018:6.2)").format(value=repr(value))
        )
    return value


CarriedFrom = Annotated[
    str,
    AfterValidator(_carried_from),
    WithJsonSchema({"type": "string", "pattern": CARRIED_FROM_PATTERN}),
]
"""A plan's ID and a task's, as `cppcc-2018:6.2`."""
INVISIBLE = {"\u115f", "\u1160", "\u2800", "\u3164", "\uffa0"}
"""Fillers that show as blank though Unicode counts them as letters or symbols."""


def some_visible_character(text: str) -> str:
    """Reject text made only of zero-width (format) characters and blanks: a title or a name
    nobody can see or type."""
    if all(
        character.isspace()
        or character in INVISIBLE
        or unicodedata.category(character) in ("Cf", "Zs", "Mn", "Me")
        for character in text
    ):
        raise ValueError(_("has no visible character (only zero-width or blank ones)"))
    return text


Text = Annotated[
    str,
    StringConstraints(min_length=1, strip_whitespace=True),
    AfterValidator(no_control_characters),
    AfterValidator(some_visible_character),
]


def _month_ref(value: object) -> int | str:
    """A month as a plan writes it: 1-12, or "YYYY-MM" (which always names one month)."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 12:
        return value
    if isinstance(value, str) and MONTH_TEXT.match(value):
        return value
    raise _wrong("month", value)


def _quarter_ref(value: object) -> int | str:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
        return value
    if isinstance(value, str) and QUARTER_TEXT.match(value):
        return value
    raise _wrong("quarter", value)


def _iso_day(value: object) -> object:
    """A date written in quotes, as JSON has it ("2022-10-31"), read as the date YAML reads
    2022-10-31 as; anything else is left for validation to judge."""
    if isinstance(value, str) and DATE_TEXT.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return value


def _day_ref(value: object) -> date | int | str:
    """A day, or a month meaning its last day (for `due`) or its first (for `start`)."""
    value = _iso_day(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return _month_ref(value)
    except ValueError:
        raise _wrong("day", value) from None


def _wrong(kind: str, value: object) -> PydanticCustomError:
    """A month, a quarter or a day the plan wrote wrong: the error's type is `planctl_` and
    the kind, its `value` the value as written; `plan/load.py` words it (`plan/instead.py`,
    with what to write instead of a YAML 1.1 number such as `010`)."""
    kind = f"planctl_{kind}"
    return PydanticCustomError(kind, WRONG_KINDS[kind][0], {"value": _shown(value)})


def _shown(value: object) -> str:
    """A value as the plan file wrote it: true, not True; 'june' quoted."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return repr(value)


MONTH_SCHEMA = {
    "anyOf": [
        {"type": "integer", "minimum": 1, "maximum": 12},
        {"type": "string", "pattern": MONTH_TEXT.pattern},
    ]
}


DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_SCHEMA = {"type": "string", "format": "date"}
Day = Annotated[date, BeforeValidator(_iso_day)]
MonthRef = Annotated[int | str, PlainValidator(_month_ref), WithJsonSchema(MONTH_SCHEMA)]
"""6 (the one June of the plan's period) or "2019-06"."""
QuarterRef = Annotated[
    int | str,
    PlainValidator(_quarter_ref),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": 4},
                {"type": "string", "pattern": QUARTER_TEXT.pattern},
            ]
        }
    ),
]


DayRef = Annotated[
    date | int | str,
    PlainValidator(_day_ref),
    WithJsonSchema({"anyOf": [DATE_SCHEMA, *MONTH_SCHEMA["anyOf"]]}),
]


def _number(value: object) -> int | float:
    """A number as YAML reads it: an integer or a plain decimal (`8`, `7.5`); not a boolean,
    and not text (`1:30`, `1_0.5`, which YAML 1.1 would read as numbers)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise PydanticCustomError("int_type", "Input should be a valid number")


Number = Annotated[int | float, PlainValidator(_number), WithJsonSchema({"type": "number"})]
"""A target or a tolerance: 8, or a decimal such as 7.5."""


def _names(value: object) -> object:
    """`leader: 张三` as `leader: [张三]`."""
    return [value] if isinstance(value, str) else value


def _day_or_words(value: object) -> object:
    """`review`: a date (2024-05-01, or quoted), else words ("annually")."""
    return _iso_day(value)


Names = Annotated[
    list[Text],
    BeforeValidator(_names),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "minLength": 1},
                {"type": "array", "items": {"type": "string"}},
            ]
        }
    ),
]
"""A name or a list of names."""
DayOrWords = Annotated[
    date | Text,
    BeforeValidator(_day_or_words),
    WithJsonSchema({"anyOf": [DATE_SCHEMA, {"type": "string", "minLength": 1}]}),
]


Every = Literal["week", "month", "quarter", "half", "year", "as_needed"]
Measure = Literal["count", "value"]
Compare = Literal["at_least", "at_most", "about"]
WINDOW_KEYS = {
    "month": N_("a month"),
    "quarter": N_("a quarter"),
    "due": N_("a due day"),
    "year_round": "year_round: true",
    "every": "every",
    "months": "months",
}
"""The keys that give a task its window, as messages name them; a task has exactly one
(year_round: true beside every or months is the old spelling of a duty and is accepted)."""


class _Strict(BaseModel):
    # strict: `month: true` is an error, not January; a number is not a task ID.
    # defer_build: the validators are built on first use, not on import; a plan from the
    # cache (planctl.plan.cache) is never validated again, so most runs never build them.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)
