"""Loading plan files: every problem is reported as PATH:LINE:COLUMN: message, never a traceback.

Each file under tests/data/bad/ is the minimal valid plan (tests/data/good/minimal.yaml) with one
defect; BAD_FILES gives, for each, the exact lines `load_plan` reports. Inputs that are about
bytes rather than text (encodings, control characters) are built in BAD_BYTES and written to
tmp_path. A case with a `wanted` reason is xfail: its lines are what a user should see, not what
the loader says today, and the reason says what is wrong now.
"""

from __future__ import annotations

import codecs
import time
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from planctl.errors import PlanError
from planctl.plan import source
from planctl.plan.load import load_plan
from planctl.plan.model import Plan, Section, Task, WorkPoint
from tests.conftest import PLAN_2018, REPO

BAD = Path("tests/data/bad")
GOOD = Path("tests/data/good")
MINIMAL = (REPO / GOOD / "minimal.yaml").read_text(encoding="utf-8")
MINIMAL_PLAN = Plan(
    id="mini",
    year=2018,
    title="Minimal plan",
    sections=[
        Section(number=1, title="Section one", points=[WorkPoint(number=1, title="Point one")])
    ],
    tasks=[Task(id="t1", title="Task one", month=3, points=[1])],
)
MIB = 1024 * 1024


class BadFile(NamedTuple):
    name: str
    expected: list[str]
    """Each problem as LINE:COLUMN: message; the test puts the path in front."""
    wanted: str = ""
    """Why the loader does not report `expected` today; empty when it does."""


class BadBytes(NamedTuple):
    name: str
    raw: bytes
    expected: list[str]
    wanted: str = ""


def params(cases: list[BadFile] | list[BadBytes]) -> list[Any]:
    return [
        pytest.param(
            *case[:-1],
            id=case.name,
            marks=[pytest.mark.xfail(strict=True, reason=case.wanted)] if case.wanted else [],
        )
        for case in cases
    ]


def problems(path: Path) -> list[str]:
    """The lines `load_plan` reports for `path`; fails the test if the plan loads."""
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    return [str(problem) for problem in caught.value.problems]


NOT_AN_INTEGER = "Input should be a valid integer"
DECIMAL = "(write a decimal number)"
WRITE_A_MONTH = 'write 1-12 or "YYYY-MM"'

BAD_FILES = [
    BadFile("yaml-syntax.yaml", ["3:15: mapping values are not allowed in this context"]),
    BadFile("unknown-key-top.yaml", ["4:1: unknown key 'owner'"]),
    BadFile("unknown-key-task.yaml", ["14:5: unknown key 'when'"]),
    BadFile("year-not-integer.yaml", [f"2:7: year: {NOT_AN_INTEGER}"]),
    BadFile("month-name.yaml", [f"13:12: tasks[0].month: 'june' is not a month: {WRITE_A_MONTH}"]),
    BadFile("task-without-title.yaml", ["11:5: missing key 'title'"]),
    BadFile("duplicate-key.yaml", ["14:5: duplicate key 'month' (first defined on line 13)"]),
    BadFile("duplicate-task-id.yaml", ["15:9: duplicate task id 't1'"]),
    BadFile("duplicate-point-number.yaml", ["10:17: duplicate work point number 1"]),
    BadFile("missing-point.yaml", ["14:17: no work point numbered 7"]),
    BadFile("month-0.yaml", [f"13:12: tasks[0].month: 0 is not a month: {WRITE_A_MONTH}"]),
    BadFile("month-13.yaml", [f"13:12: tasks[0].month: 13 is not a month: {WRITE_A_MONTH}"]),
    BadFile(
        "month-and-year-round.yaml",
        ["11:5: tasks[0]: a task has either a month or year_round: true, not both"],
    ),
    BadFile(
        "neither-month-nor-year-round.yaml",
        [
            "11:5: tasks[0]: a task needs one of month, quarter, due, year_round: true, every or months"
        ],
    ),
    BadFile(
        "python-object-apply.yaml", ["12:12: tag !!python/object/apply:os.system is not allowed"]
    ),
    BadFile("python-name.yaml", ["12:12: tag !!python/name:os.system is not allowed"]),
    BadFile(
        "several-problems.yaml",
        [
            f"2:7: year: {NOT_AN_INTEGER}",
            f"13:12: tasks[0].month: 13 is not a month: {WRITE_A_MONTH}",
            "14:5: unknown key 'when'",
        ],
    ),
    BadFile("empty.yaml", ["1:1: plan file is empty"]),
    BadFile("null.yaml", ["1:1: a plan is a mapping, not null"]),
    BadFile("top-level-list.yaml", ["1:1: a plan is a mapping, not a list"]),
    BadFile("alias-bomb.yaml", ["10:5: plan expands to too many nodes"]),
    BadFile(
        "yaml-unclosed-bracket.yaml",
        [
            "13:10: did not find expected ',' or ']'"
            " (while parsing a flow sequence started on line 12, column 12)"
        ],
    ),
    BadFile(
        "duplicate-task-id-case.yaml",
        ["15:9: duplicate task id 'A' (task ids ignore case: 'a' is on line 11)"],
    ),
    BadFile(
        "month-true.yaml",
        [f"13:12: tasks[0].month: true is not a month: {WRITE_A_MONTH}"],
    ),
    BadFile(
        "task-id-unquoted-number.yaml",
        ['11:9: tasks[0].id: Input should be a valid string (write it in quotes: "1.1")'],
    ),
    BadFile(
        "task-not-mapping.yaml",
        ["15:5: tasks[1]: a task is a mapping, not a scalar"],
    ),
    BadFile(
        "escaped-control-character.yaml",
        ["12:12: tasks[0].title: control character 0x001b is not allowed"],
    ),
    BadFile(
        "integer-key.yaml",
        ["14:5: unknown key 3"],
    ),
    # An explicit standard tag on a value it cannot construct: PyYAML raises a plain
    # ValueError / IndexError / AttributeError / KeyError, which the loader does not catch.
    BadFile(
        "int-tag-not-a-number.yaml",
        ["13:12: 'june' is not a valid !!int"],
    ),
    BadFile(
        "int-tag-empty.yaml",
        ["13:12: '' is not a valid !!int"],
    ),
    BadFile(
        "timestamp-tag-not-a-date.yaml",
        ["2:7: 'soon' is not a valid !!timestamp"],
    ),
    BadFile(
        "bool-tag-not-a-bool.yaml",
        ["13:17: 'maybe' is not a valid !!bool"],
    ),
    BadFile("prerequisite-cycle.yaml", ["15:12: prerequisite cycle: t1 -> t2 -> t3 -> t1"]),
    BadFile("prerequisite-self.yaml", ["15:12: prerequisite cycle: t1 -> t1"]),
    BadFile("after-missing-task.yaml", ["18:17: no task with id 't9'"]),
    BadFile("python-object-new.yaml", ["12:12: tag !!python/object/new:os.system is not allowed"]),
    BadFile("python-module.yaml", ["12:12: tag !!python/module:os is not allowed"]),
    BadFile(
        "verbatim-python-tag.yaml",
        ["12:12: tag !!python/object/apply:os.system is not allowed"],
    ),
    BadFile("local-tag.yaml", ["12:12: tag !foo is not allowed"]),
    BadFile("local-binary-tag.yaml", ["12:12: tag !binary is not allowed"]),
    BadFile("binary-tag.yaml", ["12:12: tasks[0].title: Input should be a valid string"]),
    BadFile("alias-bomb-keys.yaml", ["10:5: plan expands to too many nodes"]),
    BadFile("merge-key-bomb.yaml", ["10:14: plan expands to too many nodes"]),
    BadFile("recursive-alias.yaml", ["14:13: tasks[0].owners[1]: Input should be a valid string"]),
    BadFile("undefined-alias.yaml", ["13:12: found undefined alias"]),
    BadFile(
        "two-documents.yaml",
        [
            "15:1: but found another document"
            " (expected a single document in the stream started on line 1, column 1)"
        ],
    ),
    # 10,000 nested `[`: libyaml stops at its own depth limit (1,000) before Python sees it.
    BadFile(
        "deep-nesting.yaml",
        ["4:1014: exceeded maximum nesting depth (while increasing flow level)"],
    ),
    # 600 levels: under libyaml's limit, over Python's recursion limit.
    BadFile(
        "deep-nesting-600.yaml",
        ["4:15: organisation: Input should be a valid string"],
    ),  # YAML 1.1 numbers and booleans (issue 12, defect 10): PyYAML read `010` as 8, `0xA`,
    # `0b1010` and `1_0` as 10, `1:30` as 90, and `yes`, `on` as true, so a month moved
    # silently and a key `on:` became True. Integers in a plan are plain decimal; booleans are
    # true and false; anything else is text, which a number or boolean field refuses.
    BadFile("month-octal.yaml", ["13:12: tasks[0].month: '010' is not a month: write 10"]),
    BadFile("month-leading-zero.yaml", ["13:12: tasks[0].month: '08' is not a month: write 8"]),
    BadFile("month-underscore.yaml", ["13:12: tasks[0].month: '1_0' is not a month: write 10"]),
    BadFile("month-hex.yaml", [f"13:12: tasks[0].month: '0xA' is not a month: {DECIMAL[1:-1]}"]),
    BadFile(
        "month-binary.yaml", [f"13:12: tasks[0].month: '0b1010' is not a month: {DECIMAL[1:-1]}"]
    ),
    BadFile(
        "month-octal-0o.yaml", [f"13:12: tasks[0].month: '0o12' is not a month: {DECIMAL[1:-1]}"]
    ),
    BadFile("year-hex.yaml", [f"2:7: year: {NOT_AN_INTEGER} {DECIMAL}"]),
    BadFile(
        "target-sexagesimal.yaml",
        [f"14:13: tasks[0].target: Input should be a valid number {DECIMAL}"],
    ),
    BadFile("month-int-tag-octal.yaml", ["13:12: '010' is not a valid !!int"]),
    BadFile("key-on.yaml", ["14:5: unknown key 'on'"]),
    BadFile(
        "year-round-yes.yaml",
        ["13:17: tasks[0].year_round: Input should be a valid boolean (write true)"],
    ),
    BadFile("bool-tag-on.yaml", ["13:17: 'on' is not a valid !!bool"]),
    BadFile(
        "steps-too-deep.yaml",
        [
            "15:15: steps go 2 levels below a task: 't1.1.1' is a step of a step"
            " and cannot have steps of its own"
        ],
    ),
    BadFile(
        "steps-parent-recurs.yaml",
        ["7:12: task 't1' has steps and cannot recur: give every to its steps"],
    ),
    BadFile(
        "step-window-outside.yaml",
        [
            "12:16: step 't1.1' has the window 2018-03-01 to 2018-03-31, which is not inside"
            " the window of its task 't1', 2018-04-01 to 2018-06-30"
        ],
    ),
    BadFile("step-parent-key.yaml", ["11:9: unknown key 'parent'"]),
    BadFile(
        "step-duplicate-id.yaml",
        ["9:13: duplicate task id 'T1' (task ids ignore case: 't1' is on line 5)"],
    ),
    BadFile(
        "carried-from-no-task.yaml",
        ["15:19: tasks[0].carried_from: 'cppcc-2018' is not PLAN-ID:TASK-ID (cppcc-2018:6.2)"],
    ),
    BadFile(
        "target-decimal-count.yaml",
        [
            "11:5: tasks[0]: a counted target is a whole number of at least 1, not 2.5"
            " (a value to reach needs measure: value)"
        ],
    ),
    BadFile("target-infinite.yaml", ["14:13: tasks[0].target: Input should be a valid number"]),
    BadFile("measure-without-target.yaml", ["11:5: tasks[0]: measure needs a target"]),
    BadFile("compare-without-value.yaml", ["11:5: tasks[0]: compare goes with measure: value"]),
    BadFile("tolerance-without-about.yaml", ["11:5: tasks[0]: tolerance goes with compare: about"]),
    BadFile("tolerance-negative.yaml", ["11:5: tasks[0]: tolerance must be 0 or more, not -1"]),
    BadFile("returns-week.yaml", ["4:18: returns.every: Input should be 'month' or 'quarter'"]),
    BadFile("returns-by-0.yaml", ["6:7: returns.by: Input should be greater than or equal to 1"]),
    BadFile("returns-unknown-key.yaml", ["4:34: unknown key 'after'"]),
]


@pytest.mark.parametrize(("name", "expected"), params(BAD_FILES))
def test_bad_plan_file(name: str, expected: list[str]) -> None:
    path = BAD / name
    assert problems(path) == [f"{path}:{line}" for line in expected]


def test_every_bad_file_has_an_entry() -> None:
    files = sorted(path.name for path in (REPO / BAD).iterdir())
    assert sorted(case.name for case in BAD_FILES) == files


def test_alias_bomb_is_rejected_quickly() -> None:
    start = time.perf_counter()
    with pytest.raises(PlanError):
        load_plan(BAD / "alias-bomb.yaml")
    assert time.perf_counter() - start < 5


BAD_BYTES = [
    BadBytes(
        "latin-1",
        MINIMAL.replace("Task one", "Café").encode("latin-1"),
        ["12:15: plan file is not UTF-8 (byte 0xe9)"],
    ),
    BadBytes(
        "gbk",
        MINIMAL.replace("Task one", "任务一").encode("gbk"),
        ["12:12: plan file is not UTF-8 (byte 0xc8)"],
    ),
    BadBytes(
        "latin-1-after-chinese",
        MINIMAL.replace("Task one", "任务é").encode().replace("é".encode(), b"\xe9"),
        ["12:14: plan file is not UTF-8 (byte 0xe9)"],
    ),
    BadBytes(
        "utf-16-le-bom",
        codecs.BOM_UTF16_LE + MINIMAL.encode("utf-16-le"),
        ["1:1: plan file is UTF-16; save it as UTF-8"],
    ),
    BadBytes(
        "utf-16-be-bom",
        codecs.BOM_UTF16_BE + MINIMAL.encode("utf-16-be"),
        ["1:1: plan file is UTF-16; save it as UTF-8"],
    ),
    BadBytes(
        "control-character",
        MINIMAL.replace("Task one", "Task\x07one").encode(),
        ["12:16: control character 0x0007 is not allowed"],
    ),
    BadBytes(
        "nul",
        MINIMAL.replace("Task one", "Task\x00one").encode(),
        ["12:16: control character 0x0000 is not allowed"],
    ),
    BadBytes(
        "crlf-unknown-key",
        MINIMAL.replace("    month: 3\n", "    month: 3\n    when: soon\n")
        .replace("\n", "\r\n")
        .encode(),
        ["14:5: unknown key 'when'"],
    ),
    BadBytes(
        "control-character-after-chinese",
        MINIMAL.replace("Task one", "任务一\x07").encode(),
        ["12:15: control character 0x0007 is not allowed"],
    ),
    BadBytes(
        "utf-16-le-no-bom",
        MINIMAL.encode("utf-16-le"),
        ["1:1: plan file is UTF-16; save it as UTF-8"],
    ),
    BadBytes(
        "line-separator",
        MINIMAL.replace("Task one", "Task\u2028one").encode(),
        ["12:16: line separator U+2028 is not allowed"],
    ),
]


@pytest.mark.parametrize(("name", "raw", "expected"), params(BAD_BYTES))
def test_bad_plan_bytes(tmp_path: Path, name: str, raw: bytes, expected: list[str]) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(raw)
    assert problems(path) == [f"{path}:{line}" for line in expected]


def test_minimal_plan_loads() -> None:
    assert load_plan(GOOD / "minimal.yaml") == MINIMAL_PLAN


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(codecs.BOM_UTF8 + MINIMAL.encode())
    assert load_plan(path) == MINIMAL_PLAN


def padded(tmp_path: Path, size: int) -> Path:
    """The minimal plan followed by a comment, `size` bytes in all."""
    raw = MINIMAL.encode()
    path = tmp_path / "big.yaml"
    path.write_bytes(raw + b"#" * (size - len(raw) - 1) + b"\n")
    assert path.stat().st_size == size
    return path


def test_plan_at_the_size_limit_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_PLAN_BYTES", MIB)
    assert load_plan(padded(tmp_path, MIB)) == MINIMAL_PLAN


def test_plan_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_PLAN_BYTES", MIB)
    path = padded(tmp_path, MIB + 1)
    assert problems(path) == [f"{path}:1:1: plan file is larger than 1 MiB"]


def test_missing_file() -> None:
    path = BAD / "no-such-plan.yaml"
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert caught.value.lines() == [f"planctl: cannot read plan {path}: No such file or directory"]


def test_path_is_reported_as_given() -> None:
    path = Path("tests/data/../data/bad/empty.yaml")
    assert problems(path) == ["tests/data/../data/bad/empty.yaml:1:1: plan file is empty"]


def test_2018_plan_loads() -> None:
    plan = load_plan(PLAN_2018)
    assert (plan.id, plan.year, len(plan.tasks)) == ("cppcc-2018", 2018, 41)


def test_yaml_11_numbers_and_booleans_in_text_stay_as_written(tmp_path: Path) -> None:
    """What YAML 1.1 would have turned into a number or a boolean is text where a plan wants
    text: a task ID `010` is "010" (not 8), a title `on` is "on"; plain decimal and true stay."""
    path = tmp_path / "text.yaml"
    text = MINIMAL.replace("  - id: t1\n    title: Task one\n", "  - id: 010\n    title: on\n")
    path.write_text(text.replace("tasks:\n", "tasks:\n  - {id: t2, title: x, year_round: true}\n"))
    plan = load_plan(path)
    assert [(task.id, task.title) for task in plan.tasks] == [("t2", "x"), ("010", "on")]
    assert plan.tasks[0].year_round is True
    assert plan.tasks[1].month == 3
