"""A checked plan as JSON and back, for the plan cache: data, never code, and no validators.

Pydantic's own `model_validate_json` would check the plan a second time, but building its
validators costs about 50 ms in every new process (the models defer that build), which is more
than all the rest of `planctl due` on the 2018 plan; unpickling cost 1 ms but can run code. This
codec writes each model as a tagged JSON object and reads it back as `model_construct` would,
only setting attributes, from the JSON parser's `object_hook` (so lists and scalars never pass
through Python code: 13 ms for a 1,000-task plan, was 57 ms walking the parsed JSON). What it
reads is checked for shape: every object names a known model and has exactly that model's
fields, dates are ISO dates, mappings are pairs of a name and a value, and anything else is
refused; the plan cache also stamps each file with a hash of this payload, so a damaged file is
re-parsed.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from pydantic import BaseModel

from planctl.plan.model import (
    Checks,
    Period,
    Plan,
    Returns,
    RoleLabels,
    Section,
    Step,
    Task,
    WorkPoint,
)

MODELS: dict[str, type[BaseModel]] = {
    model.__name__: model
    for model in (Plan, Section, WorkPoint, Task, Step, Period, RoleLabels, Returns, Checks)
}
"""The models a plan is made of, by the tag the codec writes."""


class DamagedCache(ValueError):
    """The JSON is not a plan as `encode` writes it."""


def dumps(plan: Plan) -> bytes:
    """The plan as compact UTF-8 JSON.

    Each model is turned into its tagged object as the encoder reaches it (`default`), not the
    whole plan first: a 20,000-task plan's objects would take four times the JSON's size."""
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_encode_one)
    payload = bytearray()
    for chunk in encoder.iterencode(plan):  # not one list of every piece, then joined
        payload += chunk.encode()
    return bytes(payload)


def _encode_one(value: Any) -> Any:
    """A model as a tagged object (`$model`, `$set`, its fields) and a date as `$date`; the
    fields are left to the encoder (and to this function again) except the mappings, written as
    tagged pairs (`$dict`)."""
    if isinstance(value, BaseModel):
        fields = {name: _tag_dicts(getattr(value, name)) for name in type(value).model_fields}
        return {"$model": type(value).__name__, "$set": sorted(value.model_fields_set), **fields}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _tag_dicts(value: Any) -> Any:
    """`value` with its mappings written as tagged pairs (`$dict`, keys as strings); models and
    dates inside are left for `_encode_one`."""
    if isinstance(value, list | tuple):
        return [_tag_dicts(item) for item in value] if _has_dict(value) else value
    if isinstance(value, dict):
        return {"$dict": [[str(key), _tag_dicts(item)] for key, item in value.items()]}
    return value


def _has_dict(items: list[Any] | tuple[Any, ...]) -> bool:
    return any(isinstance(item, dict | list | tuple) for item in items)


def loads(data: bytes) -> Plan:
    """The plan `dumps` wrote, or `DamagedCache`."""
    try:
        plan = json.loads(data, object_hook=_decode)
    except (ValueError, TypeError, KeyError, RecursionError) as error:
        raise DamagedCache(str(error)) from None
    if not isinstance(plan, Plan):
        raise DamagedCache("not a plan")
    return plan


def _decode(value: dict[str, Any]) -> Any:
    """One JSON object, its members already decoded (the parser calls this innermost first):
    every object `dumps` writes is tagged, so that a mapping of the plan's own (written as
    pairs) can never be mistaken for a model or a date."""
    tag = value.pop("$model", None)
    if tag is not None:
        model = MODELS[tag]
        fields_set = set(value.pop("$set"))
        if value.keys() != model.model_fields.keys():
            raise ValueError(f"the fields of a {model.__name__} changed")
        return _construct(model, value, fields_set)
    if value.keys() == {"$date"}:
        return date.fromisoformat(value["$date"])
    if value.keys() == {"$dict"}:
        pairs = value["$dict"]
        if not all(len(pair) == 2 and isinstance(pair[0], str) for pair in pairs):
            raise ValueError("a mapping's keys are not names")
        return dict(pairs)
    raise ValueError(f"an object the cache does not write: {sorted(value)[:3]}")


def _construct(model: type[BaseModel], fields: dict[str, Any], fields_set: set[str]) -> Any:
    """What `model.model_construct(_fields_set=fields_set, **fields)` makes, for a model whose
    fields are all given, without aliases, extra fields or a post-init hook (the plan's models:
    `tests/test_plan_cache.py` checks both agree), in a fraction of its time: it looks up
    aliases and defaults field by field, and a 1,000-task plan has 5,000 models."""
    made = model.__new__(model)
    _set(made, "__dict__", {name: fields[name] for name in model.model_fields})
    _set(made, "__pydantic_fields_set__", fields_set)
    _set(made, "__pydantic_extra__", None)
    _set(made, "__pydantic_private__", None)
    return made


_set = object.__setattr__
