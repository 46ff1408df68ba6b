"""Folded task states as JSON and back, for the states cache (`planctl.cli.state_cache`):
data, never code.

A state is written as the array of its fields in the order `TaskState` declares them, each
as its type says: a date as its ISO text, a record of the fold (`Completion`, `Report` ...) as
the array of its own fields, a tuple of records as an array of arrays. Reading back follows
the same types: every array must have exactly its class's fields and every value its field's
type, and anything else is refused (`DamagedStates`), so that a file that is not what `dumps`
wrote costs a fold, never a wrong state.

Both directions are made from the dataclasses' fields and type hints on first use (as
`store/rows.py` makes the rows' conversion): one function a record class, each field read or
written by an expression of its type, with no call per value, since a 1,000-task plan's
states are some 15,000 values (a function a value took 19 ms to read back; these take 4).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from typing import Any

from planctl.core.state import TaskState


class DamagedStates(ValueError):
    """The JSON is not states as `dumps` writes them."""


def dumps(states: Mapping[str, TaskState]) -> bytes:
    """Each task's state, by task ID, as compact UTF-8 JSON (ValueError for a number that is
    not finite, which no stored event holds)."""
    encode = _codec("encode")
    encoded = {task_id: encode(state) for task_id, state in states.items()}
    return json.dumps(encoded, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def loads(payload: bytes) -> dict[str, TaskState]:
    """The states `dumps` wrote; `DamagedStates` for anything else."""
    decode = _codec("decode")
    try:
        found = json.loads(payload)
        if type(found) is not dict:
            raise DamagedStates("not a mapping of task IDs to states")
        return {task_id: decode(state) for task_id, state in found.items()}
    except (ValueError, TypeError, AttributeError) as damage:  # JSON's, and the checks'
        raise DamagedStates(str(damage)) from None


_CHECKED = {
    str: "({v} if {v}.__class__ is str else bad({v}))",
    int: "({v} if {v}.__class__ is int else bad({v}))",
    float: "({v} if {v}.__class__ is float or {v}.__class__ is int else bad({v}))",
    date: "day({v})",
}
"""How a value of each simple type is read back: as it is, if it is of that type (`day`,
`date.fromisoformat`, refuses anything but a date's text)."""


@cache
def _codec(direction: str, record: type = TaskState) -> Callable[[Any], Any]:
    """The function that encodes or decodes one `record` (a `TaskState`), made from the
    fields' types (a type it cannot keep is a TypeError: a new field's, for its author)."""
    functions: dict[type, str] = {}
    _functions(record, direction, functions)
    scope: dict[str, Any] = {"day": date.fromisoformat, "bad": _bad, "array": _array}
    scope.update({cls.__name__: cls for cls in functions})
    source = "\n".join(functions.values())
    exec(compile(source, f"<planctl.core.state_codec ({direction})>", "exec"), scope)
    return typing.cast(Callable[[Any], Any], scope[f"{direction}_{record.__name__}"])


def _functions(cls: type, direction: str, functions: dict[type, str]) -> None:
    """The source of `{direction}_{cls}`, and of the records it holds, into `functions`."""
    functions[cls] = ""  # being made: a record that holds itself is made once
    hints = typing.get_type_hints(cls)
    names = [field.name for field in dataclasses.fields(cls)]
    for kind in hints.values():
        for record in _records(kind):
            if record not in functions:
                _functions(record, direction, functions)
    function = f"{direction}_{cls.__name__}"
    if direction == "encode":
        values = [_encoded(hints[name], f"value.{name}") for name in names]
        body = f"    return [{', '.join(values)}]"
    else:
        values = [_decoded(hints[name], f"f_{name}") for name in names]
        unpacked = "".join(f"f_{name}, " for name in names)
        body = f"    {unpacked}= array(value)\n    return {cls.__name__}({', '.join(values)})"
    functions[cls] = f"def {function}(value):\n{body}\n"


def _records(kind: Any) -> list[type]:
    """The record classes a field of this type holds."""
    if dataclasses.is_dataclass(kind):
        return [typing.cast(type, kind)]
    return [record for arg in typing.get_args(kind) for record in _records(arg)]


def _encoded(kind: Any, v: str) -> str:
    """The expression that writes `v`, of type `kind`, as JSON's values."""
    inner, optional = _optional(kind)
    item = _tuple_item(inner)
    if isinstance(inner, type) and dataclasses.is_dataclass(inner):
        written = f"encode_{inner.__name__}({v})"
    elif item is not None:
        written = f"[{_encoded(item, 'item')} for item in {v}]"
    elif inner is date:
        written = f"{v}.isoformat()"
    elif inner in _CHECKED:
        return v
    else:
        raise TypeError(f"the states codec cannot keep a {kind}")  # a new field's type
    return f"(None if {v} is None else {written})" if optional else written


def _decoded(kind: Any, v: str) -> str:
    """The expression that reads `v` back as `kind`, checked."""
    inner, optional = _optional(kind)
    item = _tuple_item(inner)
    if isinstance(inner, type) and dataclasses.is_dataclass(inner):
        read = f"decode_{inner.__name__}({v})"
    elif item is not None:
        items = f"[{_decoded(item, 'item')} for item in array({v})]"
        read = f"(() if {v} == [] else tuple({items}))"
    elif inner in _CHECKED:
        read = _CHECKED[inner].format(v=v)
    else:
        raise TypeError(f"the states codec cannot keep a {kind}")  # a new field's type
    return f"(None if {v} is None else {read})" if optional else read


def _tuple_item(kind: Any) -> Any | None:
    """The item type of `tuple[X, ...]`, else None."""
    if typing.get_origin(kind) is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return args[0]
    return None


def _optional(kind: Any) -> tuple[Any, bool]:
    """The type inside `X | None`, and whether it was optional."""
    if typing.get_origin(kind) in (types.UnionType, typing.Union):
        present = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        if len(present) == 1:
            return present[0], True
    return kind, False


def _array(value: Any) -> list[Any]:
    if value.__class__ is not list:
        raise DamagedStates(f"an array expected, not {type(value).__name__}")
    return value


def _bad(value: Any) -> Any:
    raise DamagedStates(f"a value of another type expected, not {type(value).__name__}")
