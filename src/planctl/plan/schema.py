"""The JSON Schema of plan files: Pydantic's, with the rules across a task's keys that the
loader enforces and JSON Schema can express, so an editor flags them as the loader would."""

from __future__ import annotations

import copy
from itertools import combinations
from typing import Any

from planctl.plan.model import Plan

DIALECT = "https://json-schema.org/draft/2020-12/schema"

WINDOW_KEYS = ("month", "quarter", "due", "every", "months")
"""A task's window is exactly one of these, or `year_round: true` (which may stand beside
`every` or `months`: the 2018 plan's spelling of a duty)."""

_YEAR_ROUND = {"properties": {"year_round": {"const": True}}, "required": ["year_round"]}


def task_rules() -> dict[str, Any]:
    """The cross-key rules of a task, as JSON Schema keywords."""
    not_together = [
        {"required": list(pair)}
        for pair in [
            *combinations(WINDOW_KEYS, 2),
            ("year_round", "month"),
            ("year_round", "quarter"),
            ("year_round", "due"),
            ("target", "every"),
            ("target", "months"),
            ("owners", "lead"),
        ]
    ]
    recurring_parent = [
        {"required": ["steps", key], "properties": {"steps": {"minItems": 1}}}
        for key in ("every", "months")
    ]
    return {
        "anyOf": [{"required": [key]} for key in WINDOW_KEYS] + [_YEAR_ROUND],
        "allOf": [{"not": rule} for rule in not_together + recurring_parent] + [_COUNTED, _ABOUT],
        "dependentRequired": {
            "unit": ["target"],
            "start": ["due"],
            "measure": ["target"],
            "compare": ["measure"],
            "tolerance": ["compare"],
        },
    }


def step_rules() -> dict[str, Any]:
    """A step's rules: a task's, except that it may leave its window out (it has its
    parent's)."""
    rules = task_rules()
    del rules["anyOf"]
    return rules


_VALUE = {"properties": {"measure": {"const": "value"}}, "required": ["measure"]}
_COUNTED = {
    "if": {"not": _VALUE},
    "then": {
        "properties": {"target": {"type": "integer", "minimum": 1}},
        "not": {"anyOf": [{"required": ["compare"]}, {"required": ["tolerance"]}]},
    },
}
"""A counted target (no `measure: value`) is a whole number of at least 1, without compare
or tolerance."""
_ABOUT = {
    "if": {"required": ["tolerance"]},
    "then": {
        "properties": {"compare": {"const": "about"}, "tolerance": {"minimum": 0}},
    },
}
"""A tolerance goes with `compare: about` and is not negative."""


def plan_schema() -> dict[str, Any]:
    """The whole schema: `$schema`, Pydantic's shapes, and the task rules."""
    schema = Plan.model_json_schema()
    definitions = schema["$defs"]
    definitions["Task"].update(task_rules())
    definitions["Step"].update(step_rules())
    for name in ("Task", "Step"):
        definitions[name]["properties"]["title"]["pattern"] = r"\S"  # not blank
    # Steps go two levels below a task: a step's steps are steps without steps of their own.
    last = copy.deepcopy(definitions["Step"])
    last["properties"]["steps"]["maxItems"] = 0
    definitions["Step"]["properties"]["steps"]["items"] = {"$ref": "#/$defs/StepOfStep"}
    definitions["StepOfStep"] = last
    return {"$schema": DIALECT, **schema}
