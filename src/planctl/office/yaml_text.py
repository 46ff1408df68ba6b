"""A draft plan written as YAML a person reads and edits: keys in the plan file's order,
Chinese as it is (not escaped), comments above the tasks that need a look, and text that the
loader reads back exactly as it was (checked by the commands before anything is written)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import yaml

from planctl.office.draft import Draft
from planctl.office.draft_table import Entry
from planctl.render.safe import json_escapes, visible

INDENT = "  "


def draft_yaml(draft: Draft, heading: Iterable[str]) -> str:
    """The whole file: `heading` and the draft's notes as comments, then the plan."""
    lines = [_comment(line, "") for line in [*heading, *draft.notes]]
    for key, value in draft.top.items():
        lines += _pair(key, value, "")
    lines.append("sections:" if draft.sections else "sections: []")
    for entry in draft.sections:
        lines += _item(entry, INDENT)
    lines.append("tasks:" if draft.tasks else "tasks: []")
    for entry in draft.tasks:
        lines += _item(entry, INDENT)
    return "\n".join(lines) + "\n"


def _item(entry: Entry, indent: str) -> list[str]:
    lines = [_comment(remark, indent) for remark in entry.remarks]
    first = True
    for key, value in entry.data.items():
        pair = _pair(key, value, indent + INDENT)
        if first:
            pair[0] = f"{indent}- {pair[0][len(indent) + len(INDENT) :]}"
            first = False
        lines += pair
    return lines


def _comment(text: str, indent: str) -> str:
    """A comment line: text from a cell on one line, with nothing a terminal acts on."""
    return f"{indent}# {visible(' '.join(text.split()))}"


def _pair(key: str, value: Any, indent: str) -> list[str]:
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        lines = [f"{indent}{key}:"]
        for item in value:
            lines += _item(Entry(item), indent + INDENT)
        return lines
    if isinstance(value, str) and "\n" in value and _literal_ok(value):
        return [f"{indent}{key}: |-", *(f"{indent}{INDENT}{line}" for line in value.split("\n"))]
    return [f"{indent}{key}: {scalar(value)}"]


def _literal_ok(text: str) -> bool:
    """Whether a literal block holds the text exactly: no blank or space-edged lines."""
    return all(line and line == line.strip() and line.isprintable() for line in text.split("\n"))


def scalar(value: Any, *, flow: bool = False) -> str:
    """One value on one line: a flow list, a number, a date, or a string (plain where YAML
    reads it back as the same string, else double-quoted). `flow`: an item of a flow list,
    where , : [ ] { } end a plain scalar."""
    if isinstance(value, list):
        return "[" + ", ".join(scalar(item, flow=True) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{key}: {scalar(item, flow=True)}" for key, item in value.items())
        return "{" + ", ".join(pairs) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):  # a value target: written as a plain decimal, never 1e-05
        return format(Decimal(repr(value)), "f")
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise TypeError(f"cannot write a {type(value).__name__}")
    if not value.isprintable():
        return _quoted(value)
    plain = yaml.safe_dump(value, allow_unicode=True, width=math.inf, default_flow_style=True)
    plain = plain.removesuffix("\n").removesuffix("\n...")
    in_flow = flow and any(character in plain for character in ",:[]{}#")
    if "\n" in plain or plain.startswith("'") or in_flow or _loader_differs(plain):
        return _quoted(value)
    return plain


def _quoted(text: str) -> str:
    """A double-quoted YAML string: JSON's escapes (which YAML reads), with line breaks,
    controls, separators and bidi controls as escapes."""
    return json_escapes(json.dumps(text, ensure_ascii=False))


def _loader_differs(plain: str) -> bool:
    """Plain text planctl's loader (YAML 1.2 numbers and booleans) would not read as text,
    or that starts like another construct in a flow list."""
    return plain[:1] in "[]{},&*!|>%@`#\"'" or plain != plain.strip() or ": " in plain
