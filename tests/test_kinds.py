"""An event kind is declared once (`planctl.core.events.KINDS`): what it carries and needs,
whether it moves the due day, the export format that first holds it, its history label, and
its step of the fold (`planctl.core.state.STEPS`). Nothing else enumerates the kinds."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import pytest

from planctl.core.events import COLUMNS, KINDS, Action, Event, Kind, owners
from planctl.core.state import STEPS, fold
from planctl.errors import StoreLimitExceeded, TransferFileError
from planctl.store import rows
from planctl.store.rows import EVENT_FIELDS
from planctl.store.transfer import parse_export
from planctl.store.transfer_lines import FORMAT_VERSION, READABLE_VERSIONS, _EventLine
from planctl.views.labels import CATALOGUE
from tests.conftest import REPO

SRC = REPO / "src" / "planctl"


def test_every_action_has_a_complete_kind() -> None:
    assert set(KINDS) == set(Action)
    for action, kind in KINDS.items():
        assert isinstance(kind, Kind), action
        assert kind.label.strip(), action
        assert kind.format in READABLE_VERSIONS, action
        assert kind.format <= FORMAT_VERSION, action
        assert kind.needs <= COLUMNS, action
        assert kind.carries <= COLUMNS, action
        assert not kind.needs & kind.carries, action
        assert (kind.note_is is None) or "note" in kind.needs, action


def test_a_kind_that_changes_the_state_has_a_step_of_the_fold_and_no_other_does() -> None:
    assert set(STEPS) == {action for action, kind in KINDS.items() if kind.changes_state}


def test_every_kind_has_its_history_label() -> None:
    for action, kind in KINDS.items():
        assert CATALOGUE[f"act_{action.value}"] == kind.label


def test_the_fold_s_body_names_no_kind() -> None:
    source = (SRC / "core" / "state.py").read_text(encoding="utf-8")
    body = source.split("def fold(", 1)[1].split("\ndef ", 1)[0]
    assert re.findall(r"Action\.[A-Z]+", body) == []
    assert fold([]) == fold(())


def test_the_transfer_validator_the_rows_and_the_history_labels_list_no_kind() -> None:
    files = [
        *sorted((SRC / "store").glob("transfer*.py")),
        SRC / "store" / "rows.py",
        SRC / "store" / "row_check.py",
        SRC / "views" / "history.py",
        SRC / "views" / "labels.py",
    ]
    named = {
        str(path.relative_to(SRC)): found
        for path in files
        if (found := re.findall(r"Action\.[A-Z]+", path.read_text(encoding="utf-8")))
    }
    assert named == {}
    labels = (SRC / "views" / "labels.py").read_text(encoding="utf-8")
    assert re.findall(r'"act_[a-z]+"', labels) == []


# Each column's bounds, as `store import` refuses a value past them (Pydantic's words).

_LINE: dict[str, object] = {
    "type": "event", "event_id": "e-1", "plan_id": "p", "task_id": "6.1", "action": "note",
    "work_date": "2018-06-15", "recorded_by": "李明", "recorded_at": "2018-06-15T01:02:03+00:00",
    "note": "n", "undoes": None, "count": None, "to_month": None, "to_date": None,
    "percent": None, "value": None,
}  # fmt: skip
"""A sound note line; a column of a kind is set on a line of a kind that fills it."""

_FILLED: dict[str, dict[str, object]] = {
    "undoes": {"action": "undo", "undoes": "e-0"},
    "count": {"action": "done", "count": 2},
    "to_month": {"action": "defer", "to_month": 9},
    "to_date": {"action": "defer", "to_date": "2018-09-30"},
    "percent": {"action": "progress", "percent": 40},
    "value": {"action": "progress", "value": 7.6},
    "how": {"action": "chase", "how": "phone"},
}

BOUNDS = [
    ("event_id", "", "event_id: String should have at least 1 character"),
    ("event_id", "x" * 37, "event_id: String should have at most 36 characters"),
    ("event_id", 1, "event_id: Input should be a valid string"),
    ("plan_id", "", "plan_id: String should have at least 1 character"),
    ("plan_id", "x" * 65, "plan_id: String should have at most 64 characters"),
    ("task_id", "", "task_id: String should have at least 1 character"),
    ("task_id", "x" * 65, "task_id: String should have at most 64 characters"),
    ("action", "finished", "action: Input should be 'done', 'undo', 'note', 'defer', 'progress',"
     " 'claim', 'accept', 'reject', 'request', 'approve', 'chase' or 'rename'"),
    ("work_date", "2018-06-31", "work_date: Input should be a valid date in the format"
     " YYYY-MM-DD, day value is outside expected range"),
    ("recorded_by", "", "recorded_by: String should have at least 1 character"),
    ("recorded_by", "x" * 129, "recorded_by: String should have at most 128 characters"),
    ("recorded_by", None, "recorded_by: Input should be a valid string"),
    ("recorded_at", "2018-06-15T01:02:03", "recorded_at: Input should have timezone info"),
    ("recorded_at", "0001-01-01T00:00:00+01:00",
     "recorded_at: 0001-01-01T00:00:00+01:00 is out of range in UTC"),
    ("note", 7, "note: Input should be a valid string"),
    ("undoes", "", "undoes: String should have at least 1 character"),
    ("undoes", "x" * 37, "undoes: String should have at most 36 characters"),
    ("count", 0, "count: Input should be greater than or equal to 1"),
    ("count", 2**31, "count: Input should be less than or equal to 2147483647"),
    ("count", "2", "count: Input should be a valid integer"),
    ("count", 2.0, "count: Input should be a valid integer"),
    ("to_month", 0, "to_month: Input should be greater than or equal to 1"),
    ("to_month", 13, "to_month: Input should be less than or equal to 12"),
    ("to_date", "2018-13-01", "to_date: Input should be a valid date in the format YYYY-MM-DD,"
     " month value is outside expected range of 1-12"),
    ("percent", -1, "percent: Input should be greater than or equal to 0"),
    ("percent", 101, "percent: Input should be less than or equal to 100"),
    ("percent", 4.5, "percent: Input should be a valid integer"),
    ("value", "7.6", "value: Input should be a valid number"),
    ("value", float("inf"), "value: Input should be a finite number"),
    ("value", float("nan"), "value: Input should be a finite number"),
    ("value", 1e308, "the event does not fit the store: value 1e+308 is outside -10^15 to 10^15"),
    ("how", "fax", "how: Input should be 'phone', 'mail', 'letter' or 'meeting'"),
    ("how", "", "how: Input should be 'phone', 'mail', 'letter' or 'meeting'"),
]  # fmt: skip


def _import_problems(line: dict[str, object]) -> list[str]:
    text = '{"planctl_export": 5}\n' + json.dumps(line, ensure_ascii=False) + "\n"
    try:
        parse_export(text.encode(), "F")
    except TransferFileError as refused:
        return refused.lines()
    return []


def test_every_column_is_bounded_in_the_export_line() -> None:
    assert {name for name, _, _ in BOUNDS} == set(EVENT_FIELDS)


@pytest.mark.parametrize(("name", "bad", "problem"), BOUNDS)
def test_an_import_refuses_a_value_past_its_column_s_bounds(
    name: str, bad: object, problem: str
) -> None:
    sound = _LINE | _FILLED.get(name, {})
    assert _import_problems(sound) == []
    assert _import_problems(sound | {name: bad}) == [f"F:2: {problem}"]


def test_a_column_of_the_first_format_is_needed_on_every_line_and_a_later_one_may_be_absent() -> (
    None
):
    for name in EVENT_FIELDS:
        line = {key: value for key, value in _LINE.items() if key != name}
        later = name in {"to_date", "percent", "value", "how"}
        assert _import_problems(line) == ([] if later else [f"F:2: missing field {name}"]), name


def _beyond(field: dataclasses.Field[Any]) -> list[tuple[object, object]]:
    """(a value at a bound of the field's metadata, a value just past it), for every bound."""
    bounds = field.metadata
    pairs: list[tuple[object, object]] = []
    if "range" in bounds:
        low, high = bounds["range"]
        pairs += [(low, low - 1), (high, high + 1)]
    if "choices" in bounds:
        pairs += [(choice, choice + "x") for choice in bounds["choices"]]
    elif bounds.get("min_length"):
        pairs.append(("x" * bounds["min_length"], "x" * (bounds["min_length"] - 1)))
    return pairs


def _sound(name: str) -> object:
    """A value the `Event` field `name` takes, from its type and metadata."""
    field = {field.name: field for field in dataclasses.fields(Event)}[name]
    if "range" in field.metadata:
        return field.metadata["range"][0]
    if "choices" in field.metadata:
        return field.metadata["choices"][0]
    return {"float": 1.5, "date": "2018-06-30"}.get(field.type.split(" |")[0], "x")


def _line_for(name: str) -> dict[str, object]:
    """A sound export line of the first kind that fills the column `name` (a note line for a
    column every event has), every column that kind needs filled."""
    column = "to" if name in ("to_month", "to_date") else name
    if column == "note" or column not in COLUMNS:
        return _LINE
    kind = owners(column)[0]
    line = _LINE | {"action": kind.value, name: _sound(name)}
    for needed in KINDS[kind].needs - {column}:
        line[needed if needed != "to" else "to_month"] = _sound(
            needed if needed != "to" else "to_month"
        )
    return line


def test_every_column_s_bounds_come_from_its_event_field_and_hold_everywhere() -> None:
    """The export line, the store's row check (fast and slow) and `check_fits` refuse what
    is past each bound of the `Event` field's metadata, and take what is at it."""
    checked = 0
    for field in dataclasses.fields(Event):
        line = _line_for(field.name)
        sound = _import_problems(line)
        assert sound == [], field.name
        row = list(
            rows.event_row(_EventLine.model_validate_json(json.dumps(line)).event()).values()
        )
        at = EVENT_FIELDS.index(field.name)
        for good, bad in _beyond(field):
            assert _import_problems(line | {field.name: good}) == [], (field.name, good)
            problem = _import_problems(line | {field.name: bad})
            assert problem and problem[0].startswith(f"F:2: {field.name}: "), (field.name, bad)
            assert rows.row_problem([*row[:at], good, *row[at + 1 :]], dates_as_text=False) is None
            damaged = [*row[:at], bad, *row[at + 1 :]]
            found = rows.row_problem(damaged, dates_as_text=False)
            assert found is not None and found.startswith(f"{field.name} "), (field.name, bad)
            if bad != "":  # a blank text is named, not looked for on every read (_plausible)
                with pytest.raises(rows.DamagedRow):
                    rows.events_from_rows([damaged], dates_as_text=False)
            checked += 1
        if "within" in field.metadata:  # the store's bound, refused by check_fits
            bound = field.metadata["within"]
            for good, bad in ((bound / 2, bound), (-bound / 2, -bound)):
                assert _import_problems(line | {field.name: good}) == [], field.name
                assert _import_problems(line | {field.name: bad}) == [
                    f"F:2: the event does not fit the store: {field.name} {bad!r} is outside"
                    " -10^15 to 10^15"
                ]
                rows.check_fits({field.name: good})
                with pytest.raises(StoreLimitExceeded):
                    rows.check_fits({field.name: bad})
                checked += 1
        if "max_length" in field.metadata and field.type != "Action":
            length = field.metadata["max_length"]
            longest = line | {field.name: "x" * length}
            if "choices" not in field.metadata:
                assert _import_problems(longest) == [], field.name
                rows.check_fits({field.name: "x" * length})
            assert _import_problems(line | {field.name: "x" * (length + 1)}) != [], field.name
            with pytest.raises(StoreLimitExceeded):
                rows.check_fits({field.name: "x" * (length + 1)})
            checked += 1
    assert checked == 23
