"""A checked plan as JSON and back, for the plan cache: data, never code, and no validators.

Pydantic's own `model_validate_json` would check the plan a second time, but building its
validators costs about 50 ms in every new process (the models defer that build), which is more
than all the rest of `planctl due` on the 2018 plan; unpickling cost 1 ms but can run code. This
codec writes each model as a tagged JSON object and reads it back with `model_construct`, which
only sets attributes. What it reads is checked for shape: every object names a known model and
has exactly that model's fields, dates are ISO dates, and anything else is refused; the plan
cache also stamps each file with a hash of this payload, so a damaged file is re-parsed.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from pydantic import BaseModel

from planctl.plan.model import Period, Plan, RoleLabels, Section, Step, Task, WorkPoint

MODELS: dict[str, type[BaseModel]] = {
    model.__name__: model for model in (Plan, Section, WorkPoint, Task, Step, Period, RoleLabels)
}
"""The models a plan is made of, by the tag the codec writes."""


class DamagedCache(ValueError):
    """The JSON is not a plan as `encode` writes it."""


def dumps(plan: Plan) -> bytes:
    """The plan as compact UTF-8 JSON."""
    return json.dumps(_encode(plan), ensure_ascii=False, separators=(",", ":")).encode()


def loads(data: bytes) -> Plan:
    """The plan `dumps` wrote, or `DamagedCache`."""
    try:
        plan = _decode(json.loads(data))
    except (ValueError, TypeError, KeyError, RecursionError) as error:
        raise DamagedCache(str(error)) from None
    if not isinstance(plan, Plan):
        raise DamagedCache("not a plan")
    return plan


def _encode(value: Any) -> Any:
    if isinstance(value, BaseModel):
        fields = {name: _encode(getattr(value, name)) for name in type(value).model_fields}
        return {"$model": type(value).__name__, "$set": sorted(value.model_fields_set), **fields}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {"$dict": {str(key): _encode(item) for key, item in value.items()}}
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if value.keys() == {"$date"}:
        return date.fromisoformat(value["$date"])
    if value.keys() == {"$dict"}:
        return {key: _decode(item) for key, item in value["$dict"].items()}
    model = MODELS[value["$model"]]
    fields = {key: _decode(item) for key, item in value.items() if not key.startswith("$")}
    if fields.keys() != model.model_fields.keys():
        raise ValueError(f"the fields of a {model.__name__} changed")
    return model.model_construct(_fields_set=set(value["$set"]), **fields)
