"""The parts of a recording request checked as they are given: a count of work done, a
percent, a measured value as written, a note's text (`planctl.core.changes` names them too)."""

from __future__ import annotations

import re

from planctl.core.events import MAX_COUNT, MAX_VALUE
from planctl.errors import BadRequest, BadValue


def check_count(count: int) -> int:
    """A count of work done: 1 to `MAX_COUNT`."""
    if not 1 <= count <= MAX_COUNT:
        raise BadRequest(
            "count", "range", f"a count must be 1 to {MAX_COUNT}, not {count}",
            given=count, high=MAX_COUNT,
        )  # fmt: skip
    return count


def check_percent(percent: int) -> int:
    """How far a task is: 0 to 100."""
    if not 0 <= percent <= 100:
        raise BadRequest(
            "percent", "range", f"a percent must be 0 to 100, not {percent}", given=percent
        )
    return percent


VALUE_TEXT = re.compile(r"[-+]?[0-9]{1,15}(?:\.[0-9]{1,15})?")
"""A measured value as written: 8, 7.5, -2.25 (no exponent, no nan or inf)."""


def measured_value(text: str) -> float:
    """A measured value as written, as a number (at most 15 digits)."""
    value = text.strip()
    if not VALUE_TEXT.fullmatch(value) or len(value.lstrip("+-").replace(".", "")) > 15:
        raise BadRequest(
            "value", "not a number",
            f"a value must be a number such as 8, 7.5 or -2, not {text!r}",
            given=text,
        )  # fmt: skip
    assert -MAX_VALUE < float(value) < MAX_VALUE, "15 digits are within the store's bound"
    return float(value)


def check_note(text: str) -> str:
    """A note's text: not blank."""
    if not text.strip():
        raise BadValue("a note needs some text")
    return text
