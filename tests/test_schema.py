"""`planctl schema` judges plans as the loader does, wherever JSON Schema can: every good plan
is valid, and each bad-plan file the schema can judge is invalid (checked with jsonschema, an
independent validator)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.conftest import PLAN_2018, REPO, run

BAD = REPO / "tests" / "data" / "bad"
GOOD = REPO / "tests" / "data" / "good"

BEYOND_THE_SCHEMA = {
    # Rules across the whole plan, or about the YAML text itself, which the schema cannot see.
    "duplicate-task-id.yaml", "duplicate-task-id-case.yaml", "duplicate-point-number.yaml",
    "missing-point.yaml", "after-missing-task.yaml", "prerequisite-cycle.yaml",
    "prerequisite-self.yaml", "duplicate-key.yaml", "escaped-control-character.yaml",
    "alias-bomb.yaml", "alias-bomb-keys.yaml", "merge-key-bomb.yaml", "recursive-alias.yaml",
    "deep-nesting.yaml", "deep-nesting-600.yaml", "two-documents.yaml", "yaml-syntax.yaml",
    "yaml-unclosed-bracket.yaml", "undefined-alias.yaml", "empty.yaml",
    # Tags and YAML 1.1 scalars: the loader refuses them before any value exists.
    "python-name.yaml", "python-module.yaml", "python-object-apply.yaml",
    "python-object-new.yaml", "local-tag.yaml", "local-binary-tag.yaml", "binary-tag.yaml",
    "verbatim-python-tag.yaml", "int-tag-empty.yaml", "int-tag-not-a-number.yaml",
    "bool-tag-not-a-bool.yaml", "timestamp-tag-not-a-date.yaml", "bool-tag-on.yaml",
    "month-int-tag-octal.yaml", "key-on.yaml",
    # YAML 1.1 numbers and booleans: a YAML 1.1 reader (as an editor's may be) makes them 10 or
    # true before any schema sees them; planctl reads them as text and refuses them.
    "month-binary.yaml", "month-hex.yaml", "month-octal.yaml", "month-underscore.yaml",
    "target-sexagesimal.yaml", "year-hex.yaml", "year-round-yes.yaml", "target-infinite.yaml",
    # Steps: IDs unique across the nesting, and windows compared with the parent's.
    "step-duplicate-id.yaml", "step-window-outside.yaml",
}  # fmt: skip


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    result = run("schema")
    assert result.code == 0
    loaded: dict[str, Any] = json.loads(result.out)
    jsonschema.Draft202012Validator.check_schema(loaded)
    return loaded


def as_json(path: Path) -> Any:
    """The plan as JSON data (dates as the ISO text JSON carries)."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_the_schema_names_its_dialect(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", [PLAN_2018, *sorted(GOOD.glob("*.yaml"))], ids=lambda p: p.name)
def test_every_good_plan_is_valid(schema: dict[str, Any], path: Path) -> None:
    jsonschema.validate(as_json(path), schema, cls=jsonschema.Draft202012Validator)


JUDGED = sorted(p for p in BAD.glob("*.yaml") if p.name not in BEYOND_THE_SCHEMA)


@pytest.mark.parametrize("path", JUDGED, ids=lambda p: p.name)
def test_a_bad_plan_the_schema_can_judge_is_invalid(schema: dict[str, Any], path: Path) -> None:
    assert run("check", str(path)).code == 1, "the loader refuses it"
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(as_json(path))), f"the schema accepts {path.name}"


def test_carried_from_names_a_plan_and_a_task(schema: dict[str, Any]) -> None:
    plan = as_json(PLAN_2018)
    plan["tasks"][0]["carried_from"] = "cppcc-2017:12.2"
    jsonschema.validate(plan, schema, cls=jsonschema.Draft202012Validator)
    plan["tasks"][0]["carried_from"] = "cppcc-2017"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(plan, schema, cls=jsonschema.Draft202012Validator)
