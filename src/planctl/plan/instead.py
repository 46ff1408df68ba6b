"""What to write instead: the plan's values written wrong, worded for the person who wrote
them (a month, a quarter or a day; a YAML 1.1 number such as `010` or `0x1f`, or `yes`, that
the plan reads as text)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from planctl.i18n import N_, _

YAML_11_DECIMAL = re.compile(r"[-+]?[0-9][0-9_]*")
"""`08`, `010`, `1_0`: digits that YAML 1.1 reads as octal or with separators."""
YAML_11_OTHER_INT = re.compile(
    r"[-+]?0b[01_]+|[-+]?0o?[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
)
"""Binary, octal, hexadecimal and base-60 integers (YAML 1.1, and 0o12 from YAML 1.2)."""
YAML_11_BOOLS = {"yes": "true", "on": "true", "no": "false", "off": "false"}


Hint = tuple[str, dict[str, str]]
"""What to write instead: a message marked for the catalogues, and its values."""


WRONG_KINDS: Mapping[str, tuple[str, str]] = {
    "planctl_month": (
        N_('{value} is not a month: write 1-12 or "YYYY-MM"'),
        N_("{value} is not a month: {instead}"),
    ),
    "planctl_quarter": (
        N_('{value} is not a quarter: write 1-4 or "YYYY-Qn"'),
        N_("{value} is not a quarter: {instead}"),
    ),
    "planctl_day": (
        N_('{value} is not a day or a month: write a date (2022-10-31), 1-12 or "YYYY-MM"'),
        N_("{value} is not a day or a month: {instead}"),
    ),
}
"""The plan's own checks of a month, a quarter and a day (`plan/types.py`'s `_wrong`), by
their error type: how each is said (the first, Pydantic's own message too), and how it is
said with what to write instead."""


def wrong_value(kind: str, detail: Mapping[str, Any]) -> str:
    """A month, a quarter or a day written wrong, said with what to write instead: `month:
    010` is the text "010" (not October), so `write 10`."""
    plain, instead = WRONG_KINDS[kind]
    hint = yaml_11_hint(detail["input"]) if isinstance(detail["input"], str) else None
    if hint is None:
        return _(plain).format(value=detail["ctx"]["value"])
    what = _(hint[0]).format(**hint[1])
    return _(instead).format(value=detail["ctx"]["value"], instead=what)


def yaml_11_hint(text: str) -> Hint | None:
    """What to write instead of a YAML 1.1 integer or boolean, which the plan reads as text."""
    if YAML_11_DECIMAL.fullmatch(text):
        try:
            return N_("write {value}"), {"value": str(int(text))}
        except ValueError:  # `1__0`: no number Python or a person would agree on
            pass
    if YAML_11_OTHER_INT.fullmatch(text) or YAML_11_DECIMAL.fullmatch(text):
        return N_("write a decimal number"), {}
    if text.lower() in YAML_11_BOOLS:
        return N_("write {value}"), {"value": YAML_11_BOOLS[text.lower()]}
    return None
