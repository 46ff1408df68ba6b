"""The year-end assessment (年终问效, 逐项考核): outcomes, scores and ranks on literal events,
the weights from the config file, and `planctl assess` in JSON and HTML."""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from planctl.core.assess import (
    Outcome,
    Weights,
    assessment,
    rank,
    rounded,
    verdict,
)
from planctl.core.events import Action, Event
from planctl.core.progress import assess
from planctl.core.state import Completion, Deferral, TaskState, states
from planctl.plan.model import Plan
from tests.conftest import Planctl, RecordedStores, empty_store, run
from tests.test_office import chinese_font as chinese_font  # the fixture, for the pdf test

GOOD = Path(__file__).parent / "data" / "good"

TODAY = date(2023, 6, 15)
PLAN: dict[str, Any] = {
    "id": "assess-2023",
    "year": 2023,
    "title": "考核测试计划",
    "sections": [
        {
            "number": 1,
            "title": "第一部分",
            "points": [
                {"number": 1, "title": "要点一"},
                {"number": 2, "title": "要点二"},
                {"number": 3, "title": "要点三"},
            ],
        }
    ],
    "tasks": [
        {"id": "A", "title": "任务甲", "month": 3, "lead": ["发改委"], "points": [1]},
        {"id": "B", "title": "任务乙", "month": 3, "lead": ["发改委"], "support": ["财政局"],
         "points": [1]},
        {"id": "C", "title": "任务丙", "month": 3, "lead": ["财政局"], "points": [2]},
        {"id": "D", "title": "任务丁", "month": 3, "lead": ["财政局"], "support": ["发改委"],
         "points": [2]},
        {"id": "E", "title": "任务戊", "month": 9, "lead": ["财政局"], "points": [2]},
        {"id": "F", "title": "任务己", "month": 3, "lead": ["商务局"], "points": [1, 2]},
        {"id": "G", "title": "走访企业", "quarter": 1, "lead": ["商务局"], "target": 4,
         "unit": "次"},
        {"id": "H", "title": "报送月度进展", "every": "month", "by": 28, "lead": ["发改委"]},
        {"id": "I", "title": "任务庚", "month": 12, "lead": ["统计局"]},
        {"id": "K", "title": "任务辛", "month": 2, "lead": ["科技局"]},
        {"id": "L", "title": "任务壬", "month": 4, "lead": ["科技局"]},
    ],
}  # fmt: skip


def _event(number: int, task: str, action: Action, on: date, **extra: Any) -> Event:
    at = datetime(2023, 6, 1, 9, number, tzinfo=UTC)
    return Event(f"e{number}", "assess-2023", task, action, on, "王", at, **extra)


DONE = Action.DONE
HISTORY = [
    _event(1, "A", DONE, date(2023, 3, 20)),  # by its due day: on time
    _event(2, "B", Action.DEFER, date(2023, 3, 25), note="等待批复", to_month=5,
           to_date=date(2023, 5, 31)),
    _event(3, "B", DONE, date(2023, 5, 10)),  # by the day it was deferred to
    _event(4, "C", DONE, date(2023, 4, 2)),  # after its due day: late
    # D: open after its due day (overdue); E, I: open, not yet due (not counted)
    _event(5, "F", DONE, date(2023, 3, 31)),
    _event(6, "G", DONE, date(2023, 2, 1), count=2),
    _event(7, "G", DONE, date(2023, 4, 10), count=2),  # the target reached after Q1: late
    _event(8, "G", DONE, date(2023, 5, 1)),  # more than the target changes nothing
    _event(9, "H", DONE, date(2023, 1, 20)),  # January: on time
    _event(10, "H", DONE, date(2023, 2, 27)),  # February: on time
    _event(11, "H", DONE, date(2023, 3, 30)),  # March: after the 28th, late
    _event(12, "H", DONE, date(2023, 5, 2)),  # April missed; May on time; June still running
    _event(13, "K", DONE, date(2023, 3, 5)),  # late
    # L: overdue
]  # fmt: skip


def assessed(weights: Weights | None = None, today: date = TODAY) -> Any:
    plan = Plan.model_validate(PLAN)
    rows = assess(plan, states(HISTORY, as_of=today), today)
    return assessment(plan, list(rows.values()), today, weights or Weights())


def test_each_task_has_its_outcome_and_score() -> None:
    result = assessed()
    found = {one.row.task.id: (one.outcome, one.score, one.done_on) for one in result.verdicts}
    assert found == {
        "A": (Outcome.ON_TIME, 100, date(2023, 3, 20)),
        "B": (Outcome.DEFERRED, 80, date(2023, 5, 10)),
        "C": (Outcome.LATE, 60, date(2023, 4, 2)),
        "D": (Outcome.OVERDUE, 0, None),
        "E": (Outcome.PENDING, None, None),
        "F": (Outcome.ON_TIME, 100, date(2023, 3, 31)),
        "G": (Outcome.LATE, 60, date(2023, 4, 10)),
        "H": (Outcome.OVERDUE, Fraction(100 + 100 + 60 + 0 + 100, 5), None),
        "I": (Outcome.PENDING, None, None),
        "K": (Outcome.LATE, 60, date(2023, 3, 5)),
        "L": (Outcome.OVERDUE, 0, None),
    }


def test_units_are_counted_scored_and_ranked() -> None:
    units = [
        (
            u.unit,
            (u.led.tasks, u.led.on_time, u.led.deferred, u.led.late, u.led.open, u.led.overdue),
            u.led.on_time_rate,
            None if u.score is None else str(u.score),
            u.rank,
            (u.supported.tasks, u.supported.done),
        )
        for u in assessed().units
    ]
    assert units == [
        ("发改委", (3, 1, 1, 0, 1, 1), 33, "84.0", 1, (1, 0)),  # (100 + 80 + 72) / 3
        ("商务局", (2, 1, 0, 1, 0, 0), 50, "80.0", 2, (0, 0)),
        ("科技局", (2, 0, 0, 1, 1, 1), 0, "30.0", 3, (0, 0)),  # ties with 财政局: both 3rd
        ("财政局", (3, 0, 0, 1, 2, 1), 0, "30.0", 3, (1, 1)),
        ("统计局", (1, 0, 0, 0, 1, 0), None, None, None, (0, 0)),  # nothing counted yet
    ]


def test_each_tasks_units_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The units and their roles in one pass over the tasks: each task's lead and support
    units read once each, however many units there are (issue 32: 20,000 reads of the lead
    units for 1,000 tasks of 18 units); the tasks by unit as each unit's figures count them."""
    import planctl.core.units

    read: list[list[str]] = []
    real = planctl.core.units.units

    def counted(names: Any) -> list[str]:
        read.append(list(names))
        return real(names)

    monkeypatch.setattr(planctl.core.units, "units", counted)
    result = assessed()
    grouped = [(unit, [one.row.task.id for one in led]) for unit, led in result.by_unit()]
    assert grouped == [
        ("发改委", ["A", "B", "H"]),
        ("商务局", ["F", "G"]),
        ("科技局", ["K", "L"]),
        ("财政局", ["C", "D", "E"]),
        ("统计局", ["I"]),
    ]
    assert len(read) <= 2 * len(PLAN["tasks"])


def test_a_units_score_adds_each_distinct_score_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A unit's score over 1,000 tasks (on time, late, overdue, duties' means, pending): the
    weighted mean exactly, from one addition per distinct score and weight, not one per task
    (issue 32: 6,000 additions of fractions for `assess` on 1,000 tasks)."""
    from planctl.core.scoring import unit_score

    led: list[Fraction | None] = [Fraction(100)] * 600
    led += [Fraction(60)] * 300 + [Fraction(0)] * 90 + [Fraction(250, 3)] * 10 + [None] * 5
    supported = [Fraction(100)] * 40 + [Fraction(60)] * 10
    weights = Weights(lead=2, support=0.5, base=1)
    mean = (2 * (60_000 + 18_000 + 0 + 2_500 / Fraction(3)) + Fraction(1, 2) * (4_000 + 600)) / (
        2 * 1000 + Fraction(1, 2) * 50
    )
    added: list[Fraction] = []
    real = Fraction.__add__

    def counted(self: Fraction, other: Any) -> Any:
        added.append(self)
        return real(self, other)

    monkeypatch.setattr(Fraction, "__add__", counted)
    assert unit_score(led, supported, weights, Fraction(3)) == 1 + mean - 3
    assert len(added) <= 20


def test_points_are_counted_item_by_item() -> None:
    points = [
        (p.number, p.counts.tasks, p.counts.done, p.counts.on_time, p.counts.deferred,
         p.counts.late, p.counts.open, p.counts.overdue)
        for p in assessed().points
    ]  # fmt: skip
    assert points == [(1, 3, 3, 2, 1, 0, 0, 0), (2, 4, 2, 1, 0, 1, 2, 1), (3, 0, 0, 0, 0, 0, 0, 0)]


def test_earlier_in_the_year_less_is_counted() -> None:
    """On 31 March: C, D, G are due today and B was deferred to May (all not yet counted);
    H's March was done on the 30th, after its by-day (late), and counts."""
    result = assessed(today=date(2023, 3, 31))
    found = {one.row.task.id: (one.outcome, one.score) for one in result.verdicts}
    assert found == {
        "A": (Outcome.ON_TIME, 100),
        "B": (Outcome.PENDING, None),
        "C": (Outcome.PENDING, None),
        "D": (Outcome.PENDING, None),
        "E": (Outcome.PENDING, None),
        "F": (Outcome.ON_TIME, 100),
        "G": (Outcome.PENDING, None),  # 2 of 4 so far, due today
        "H": (Outcome.LATE, Fraction(100 + 100 + 60, 3)),
        "I": (Outcome.PENDING, None),
        "K": (Outcome.LATE, 60),
        "L": (Outcome.PENDING, None),
    }
    assert [(u.unit, str(u.score), u.rank) for u in result.units] == [
        ("商务局", "100.0", 1),
        ("发改委", "93.3", 2),  # (100 + 86.67) / 2
        ("科技局", "60.0", 3),
        ("统计局", "None", None),
        ("财政局", "None", None),
    ]


def _row(task: dict[str, Any], state: TaskState, today: date = TODAY) -> Any:
    plan = Plan.model_validate({**PLAN, "tasks": [task]})
    return assess(plan, {task["id"]: state}, today)[task["id"]]


MARCH = {"id": "A", "title": "任务", "month": 3, "lead": ["发改委"]}


@pytest.mark.parametrize(
    ("deferral", "done_on", "outcome"),
    [
        (Deferral(5, "等待批复", date(2023, 3, 1), "王"), date(2023, 3, 31), Outcome.ON_TIME),
        (Deferral(5, "等待批复", date(2023, 3, 1), "王"), date(2023, 5, 31), Outcome.DEFERRED),
        (Deferral(5, "等待批复", date(2023, 3, 1), "王"), date(2023, 6, 1), Outcome.LATE),
        (Deferral(5, None, date(2023, 3, 1), "王"), date(2023, 5, 1), Outcome.LATE),
        (Deferral(5, "  ", date(2023, 3, 1), "王"), date(2023, 5, 1), Outcome.LATE),
        (None, date(2023, 4, 1), Outcome.LATE),
        (None, date(2023, 1, 5), Outcome.ON_TIME),  # done before its window: still on time
    ],
)
def test_a_deferral_counts_only_with_a_reason_and_by_its_day(
    deferral: Deferral | None, done_on: date, outcome: Outcome
) -> None:
    row = _row(MARCH, TaskState((Completion(done_on, "王"),), None, deferral))
    assert verdict(row, TODAY, Weights()).outcome is outcome


def test_an_open_task_deferred_is_overdue_only_after_its_new_due_day() -> None:
    deferral = Deferral(None, "等待批复", date(2023, 3, 1), "王", date(2023, 7, 15))
    row = _row(MARCH, TaskState((), None, deferral))
    assert verdict(row, TODAY, Weights()).outcome is Outcome.PENDING
    later = _row(MARCH, TaskState((), None, deferral), date(2023, 7, 16))
    assert verdict(later, date(2023, 7, 16), Weights()).outcome is Outcome.OVERDUE


def test_an_occasional_duty_counts_as_done_once_done_and_is_never_scored() -> None:
    task = {"id": "X", "title": "突发事件报告", "every": "as_needed", "lead": ["发改委"]}
    never = verdict(_row(task, TaskState()), TODAY, Weights())
    assert (never.outcome, never.score) == (Outcome.PENDING, None)
    done = verdict(_row(task, TaskState((Completion(date(2023, 2, 1), "王"),))), TODAY, Weights())
    assert (done.outcome, done.score) == (Outcome.ON_TIME, None)


def test_a_duty_is_done_when_its_current_occurrence_is_and_scored_by_those_due() -> None:
    """A quarterly duty done in the first quarter, on 15 June: the second quarter is open, so
    it is pending (not done, as `report` says), and scored by the first quarter alone."""
    task = {"id": "Q", "title": "季度报送", "every": "quarter", "lead": ["发改委"]}
    row = _row(task, TaskState((Completion(date(2023, 3, 20), "王"),)))
    found = verdict(row, TODAY, Weights())
    assert (row.done, found.outcome, found.score) == (False, Outcome.PENDING, Fraction(100))
    both = TaskState((Completion(date(2023, 3, 20), "王"), Completion(date(2023, 6, 2), "王")))
    found = verdict(_row(task, both), TODAY, Weights())
    assert (found.outcome, found.score) == (Outcome.ON_TIME, Fraction(100))
    late = TaskState((Completion(date(2023, 4, 2), "王"), Completion(date(2023, 6, 2), "王")))
    found = verdict(_row(task, late), TODAY, Weights())  # Q1 missed (done in April: Q2's)
    assert (found.outcome, found.score) == (Outcome.OVERDUE, Fraction(50))


def test_rank_is_competition_ranking() -> None:
    D = rounded
    scores = [("a", D(Fraction(90))), ("b", None), ("c", D(Fraction(90))), ("d", D(Fraction(80)))]
    assert rank(scores) == {"a": 1, "c": 1, "d": 3}


@pytest.mark.parametrize(
    ("score", "shown"),
    [(Fraction(345, 4), "86.3"), (Fraction(200, 3), "66.7"), (Fraction(100), "100.0"),
     (Fraction(0), "0.0"), (Fraction(1, 20), "0.1"), (Fraction(-1, 100), "0.0")],
)  # fmt: skip
def test_scores_are_rounded_half_up_to_one_decimal(score: Fraction, shown: str) -> None:
    assert str(rounded(score)) == shown


@pytest.mark.parametrize(
    ("weights", "unit", "score"),
    [
        (Weights(on_time=50), "商务局", "55.0"),  # (50 + 60) / 2
        (Weights(deferred=50), "发改委", "74.0"),  # (100 + 50 + 72) / 3
        (Weights(late=0), "商务局", "50.0"),  # (100 + 0) / 2
        (Weights(late=0), "发改委", "80.0"),  # H: (100 + 100 + 0 + 0 + 100) / 5 = 60
        (Weights(overdue=20), "财政局", "40.0"),  # (60 + 20) / 2
        (Weights(on_time=99.5), "商务局", "79.8"),  # (99.5 + 60) / 2 = 79.75
    ],
)
def test_each_weight_changes_the_scores(weights: Weights, unit: str, score: str) -> None:
    found = {u.unit: str(u.score) for u in assessed(weights).units}
    assert found[unit] == score


# Through the CLI: the same plan and history, recorded with the commands people use.

COMMANDS = [
    ["done", "A", "--on", "2023-03-20"],
    ["defer", "B", "--to", "5", "--reason", "等待批复", "--on", "2023-03-25"],
    ["done", "B", "--on", "2023-05-10"],
    ["done", "C", "--on", "2023-04-02"],
    ["done", "F", "--on", "2023-03-31"],
    ["done", "G", "--count", "2", "--on", "2023-02-01"],
    ["done", "G", "--count", "2", "--on", "2023-04-10"],
    ["done", "G", "--on", "2023-05-01"],
    ["done", "H", "--on", "2023-01-20"],
    ["done", "H", "--on", "2023-02-27"],
    ["done", "H", "--on", "2023-03-30"],
    ["done", "H", "--on", "2023-05-02"],
    ["done", "K", "--on", "2023-03-05"],
]


def assess_plan(path: Path) -> Path:
    path.write_text(yaml.safe_dump(PLAN, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def record_history(db: Path) -> None:
    """The history, recorded through the CLI."""
    plan = assess_plan(db.with_name("assess-2023.yaml"))
    for command in COMMANDS:
        result = run(*command, "--by", "王", "--db", str(db), "--plan", str(plan),
                     env={"PLANCTL_TODAY": "2023-06-15"})  # fmt: skip
        assert (result.code, result.err) == (0, ""), result.err


@pytest.fixture
def recorded(recorded_stores: RecordedStores, tmp_path: Path) -> tuple[str, str]:
    """The plan file and a store holding the history, the test's own copy of one recorded
    once (`recorded_stores`)."""
    plan = assess_plan(tmp_path / "assess-2023.yaml")
    return str(plan), recorded_stores.copy(record_history, tmp_path / "store.sqlite3")


def _unit(unit: str, counts: tuple[int, ...], rate: int | None, score: float | None,
          rank: int | None, supported: tuple[int, int]) -> dict[str, Any]:  # fmt: skip
    keys = ("tasks", "on_time", "late", "open", "overdue", "deferred")
    return {
        "unit": unit,
        **dict(zip(keys, counts, strict=True)),
        "on_time_rate": rate,
        "score": score,
        "rank": rank,
        "supported": {"tasks": supported[0], "done": supported[1]},
        "done": counts[0] - counts[3],
        "deduction": 0.0,
    }


def _task(id: str, title: str, lead: str, planned_due: str, due: str, done_on: str | None,
          outcome: str, score: float | None) -> dict[str, Any]:  # fmt: skip
    return {"id": id, "title": title, "lead": [lead], "planned_due": planned_due, "due": due,
            "done": done_on is not None, "done_on": done_on, "outcome": outcome, "early": False,
            "score": score}  # fmt: skip


RULE = {
    "on_time": 100,
    "deferred": 80,
    "late": 60,
    "overdue": 0,
    "base": 0,
    "cap": 100,
    "lead": 1,
    "support": 0,
    "early": 0,
    "return_late": 0,
    "return_missing": 0,
    "chased": 0,
}


def _point(number: int, title: str, *counts: int) -> dict[str, Any]:
    keys = ("tasks", "done", "on_time", "late", "open", "deferred", "overdue")
    return {"number": number, "title": title, **dict(zip(keys, counts, strict=True))}


def test_assess_json_is_the_whole_assessment(recorded: tuple[str, str], planctl: Planctl) -> None:
    plan, db = recorded
    assert planctl.json("assess", db=db, plan=plan, today="2023-06-15") == {
        "plan": {"id": "assess-2023", "year": 2023, "title": "考核测试计划"},
        "today": "2023-06-15",
        "owner": None,
        "role": None,
        "leader": None,
        "rule": RULE,
        "units": [
            _unit("发改委", (3, 1, 0, 1, 1, 1), 33, 84.0, 1, (1, 0)),
            _unit("商务局", (2, 1, 1, 0, 0, 0), 50, 80.0, 2, (0, 0)),
            _unit("科技局", (2, 0, 1, 1, 1, 0), 0, 30.0, 3, (0, 0)),
            _unit("财政局", (3, 0, 1, 2, 1, 0), 0, 30.0, 3, (1, 1)),
            _unit("统计局", (1, 0, 0, 1, 0, 0), None, None, None, (0, 0)),
        ],
        # Every task once: (100 + 80 + 60 + 0 + 100 + 60 + 72 + 60 + 0) / 9 = 59.1
        "totals": {
            "tasks": 11,
            "on_time": 2,
            "late": 3,
            "open": 5,
            "overdue": 3,
            "deferred": 1,
            "done": 6,
            "on_time_rate": 22,
            "score": 59.1,
        },
        "tasks": [
            _task(
                "A", "任务甲", "发改委", "2023-03-31", "2023-03-31", "2023-03-20", "on_time", 100.0
            ),
            _task(
                "B", "任务乙", "发改委", "2023-03-31", "2023-05-31", "2023-05-10", "deferred", 80.0
            ),
            _task("C", "任务丙", "财政局", "2023-03-31", "2023-03-31", "2023-04-02", "late", 60.0),
            _task("D", "任务丁", "财政局", "2023-03-31", "2023-03-31", None, "overdue", 0.0),
            _task("E", "任务戊", "财政局", "2023-09-30", "2023-09-30", None, "pending", None),
            _task(
                "F", "任务己", "商务局", "2023-03-31", "2023-03-31", "2023-03-31", "on_time", 100.0
            ),
            _task(
                "G", "走访企业", "商务局", "2023-03-31", "2023-03-31", "2023-04-10", "late", 60.0
            ),
            # A duty with April missed: overdue, (100 + 100 + 60 + 0 + 100) / 5
            _task("H", "报送月度进展", "发改委", "2023-06-28", "2023-06-28", None, "overdue", 72.0),
            _task("I", "任务庚", "统计局", "2023-12-31", "2023-12-31", None, "pending", None),
            _task("K", "任务辛", "科技局", "2023-02-28", "2023-02-28", "2023-03-05", "late", 60.0),
            _task("L", "任务壬", "科技局", "2023-04-30", "2023-04-30", None, "overdue", 0.0),
        ],
        "points": [
            _point(1, "要点一", 3, 3, 2, 0, 0, 1, 0),
            _point(2, "要点二", 4, 2, 1, 1, 2, 0, 1),
            _point(3, "要点三", 0, 0, 0, 0, 0, 0, 0),
        ],
        "deferrals": [
            {
                "id": "B",
                "title": "任务乙",
                "lead": ["发改委"],
                "planned_due": "2023-03-31",
                "due": "2023-05-31",
                "reason": "等待批复",
                "on": "2023-03-25",
                "by": "王",
                "outcome": "deferred",
                "done_on": "2023-05-10",
            }
        ],
    }


def test_assess_for_one_unit_ranks_the_units_of_its_tasks(
    recorded: tuple[str, str], planctl: Planctl
) -> None:
    plan, db = recorded
    data = planctl.json("assess", "--owner", "财政局", db=db, plan=plan, today="2023-06-15")
    assert (data["owner"], data["role"]) == ("财政局", None)
    assert [(u["unit"], u["score"], u["rank"]) for u in data["units"]] == [
        ("发改委", 80.0, 1),  # B, the one task of 发改委's that 财政局 supports
        ("财政局", 30.0, 2),
    ]
    led = planctl.json(
        "assess", "--owner", "财政局", "--role", "lead", db=db, plan=plan, today="2023-06-15"
    )
    assert [(u["unit"], u["tasks"], u["score"]) for u in led["units"]] == [
        ("财政局", 3, 30.0),
        ("发改委", 0, None),  # supports D
    ]


def _config(tmp_path: Path, text: str) -> dict[str, str]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return {"PLANCTL_CONFIG": str(path)}


@pytest.mark.parametrize(
    ("setting", "unit", "score"),
    [
        ("on_time = 90", "商务局", 75.0),  # (90 + 60) / 2
        ("deferred = 50", "发改委", 74.0),  # (100 + 50 + 72) / 3
        ("late = 30", "财政局", 15.0),  # (30 + 0) / 2
        ("overdue = 10.5", "科技局", 35.3),  # (60 + 10.5) / 2 = 35.25
    ],
)
def test_each_weight_in_the_config_file_changes_the_score(
    recorded: tuple[str, str], planctl: Planctl, tmp_path: Path, setting: str, unit: str,
    score: float,
) -> None:  # fmt: skip
    plan, db = recorded
    env = _config(tmp_path, f"[assess]\n{setting}\n")
    data = planctl.json("assess", db=db, plan=plan, today="2023-06-15", env=env)
    key, value = setting.split(" = ")
    assert data["rule"][key] == (float(value) if "." in value else int(value))
    assert {u["unit"]: u["score"] for u in data["units"]}[unit] == score
    default = planctl.json("assess", db=db, plan=plan, today="2023-06-15")
    assert {u["unit"]: u["score"] for u in default["units"]}[unit] != score


DEFAULT_UNITS = {
    "发改委": ((3, 1, 0, 1, 1, 1), 33, (1, 0)),
    "商务局": ((2, 1, 1, 0, 0, 0), 50, (0, 0)),
    "科技局": ((2, 0, 1, 1, 1, 0), 0, (0, 0)),
    "财政局": ((3, 0, 1, 2, 1, 0), 0, (1, 1)),
    "统计局": ((1, 0, 0, 1, 0, 0), None, (0, 0)),
}
"""Each unit's counts, on-time rate and supported tasks, which no scoring rule changes."""


def _units(*scored: tuple[str, float | None, int | None]) -> list[dict[str, Any]]:
    """The whole units table: each unit with its score and rank, in the order given."""
    return [
        _unit(unit, DEFAULT_UNITS[unit][0], DEFAULT_UNITS[unit][1], score, rank,
              DEFAULT_UNITS[unit][2])
        for unit, score, rank in scored
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("settings", "units"),
    [
        # The defaults: 发改委 (100 + 80 + 72) / 3, 商务局 (100 + 60) / 2, 科技局 (60 + 0) / 2,
        # 财政局 (60 + 0) / 2.
        ("", _units(("发改委", 84.0, 1), ("商务局", 80.0, 2), ("科技局", 30.0, 3),
                    ("财政局", 30.0, 3), ("统计局", None, None))),
        # base: added to each mean.
        ("base = 10", _units(("发改委", 94.0, 1), ("商务局", 90.0, 2), ("科技局", 40.0, 3),
                             ("财政局", 40.0, 3), ("统计局", None, None))),
        # cap: 84 becomes 80, tied with 商务局.
        ("cap = 80", _units(("发改委", 80.0, 1), ("商务局", 80.0, 1), ("科技局", 30.0, 3),
                            ("财政局", 30.0, 3), ("统计局", None, None))),
        # support: 发改委 also scores D (0): 252 / 4; 财政局 also B (80): 140 / 3.
        ("support = 1", _units(("商务局", 80.0, 1), ("发改委", 63.0, 2), ("财政局", 46.7, 3),
                               ("科技局", 30.0, 4), ("统计局", None, None))),
        # lead against support: 发改委 (2 × 252 + 0) / 7 = 72; 财政局 (2 × 60 + 80) / 5 = 40.
        ("lead = 2\nsupport = 1", _units(("商务局", 80.0, 1), ("发改委", 72.0, 2),
                                         ("财政局", 40.0, 3), ("科技局", 30.0, 4),
                                         ("统计局", None, None))),
        # chased: accepted, and nothing is deducted until chases are recorded.
        ("chased = 5", _units(("发改委", 84.0, 1), ("商务局", 80.0, 2), ("科技局", 30.0, 3),
                              ("财政局", 30.0, 3), ("统计局", None, None))),
    ],
)  # fmt: skip
def test_each_scoring_rule_changes_the_units_table_as_documented(
    recorded: tuple[str, str], planctl: Planctl, tmp_path: Path, settings: str,
    units: list[dict[str, Any]],
) -> None:  # fmt: skip
    plan, db = recorded
    env = _config(tmp_path, f"[assess]\n{settings}\n")
    data = planctl.json("assess", db=db, plan=plan, today="2023-06-15", env=env)
    assert data["units"] == units
    for line in filter(None, settings.split("\n")):
        key, value = line.split(" = ")
        assert data["rule"][key] == int(value)


def test_the_early_bonus_is_added_to_a_task_done_before_its_due_month(
    recorded: tuple[str, str], planctl: Planctl, tmp_path: Path
) -> None:
    """E (财政局, due in September) done on 1 June: on time, and early; with `early = 5` it
    scores 105, and 财政局 (60 + 0 + 105) / 3 = 55 instead of 160 / 3 = 53.3."""
    plan, db = recorded
    planctl.ok("done", "E", "--on", "2023-06-01", db=db, plan=plan, today="2023-06-15")
    plain = planctl.json("assess", db=db, plan=plan, today="2023-06-15")
    env = _config(tmp_path, "[assess]\nearly = 5\n")
    data = planctl.json("assess", db=db, plan=plan, today="2023-06-15", env=env)
    task = next(t for t in data["tasks"] if t["id"] == "E")
    assert (task["outcome"], task["early"], task["score"]) == ("on_time", True, 105.0)
    counts = ((3, 1, 1, 1, 1, 0), 33, (1, 1))
    assert [u for u in plain["units"] if u["unit"] == "财政局"] == [
        _unit("财政局", counts[0], counts[1], 53.3, 3, counts[2])
    ]
    assert [u for u in data["units"] if u["unit"] == "财政局"] == [
        _unit("财政局", counts[0], counts[1], 55.0, 3, counts[2])
    ]
    assert data["rule"]["early"] == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[assess]\non_time = 101\n", "2:11: assess.on_time: 应为 0 到 100 之间的数"),
        ("[assess]\nlate = true\n", "2:8: assess.late: 应为 0 到 100 之间的数"),
        ("[assess]\noverdue = nan\n", "2:11: assess.overdue: 应为 0 到 100 之间的数"),
        ('[assess]\ndeferred = "80"\n', "2:12: assess.deferred: 应为 0 到 100 之间的数"),
        ("[assess]\non_time = -1\n", "2:11: assess.on_time: 应为 0 到 100 之间的数"),
        ("[assess]\nontime = 100\n", "2:1: 未知的键 'assess.ontime'"),
        ("[assess]\nbase = 101\n", "2:8: assess.base: 应为 0 到 100 之间的数"),
        ("[assess]\ncap = 1001\n", "2:7: assess.cap: 应为 0 到 1000 之间的数"),
        ("[assess]\nlead = nan\n", "2:8: assess.lead: 应为 0 到 10 之间的数"),
        ("[assess]\nsupport = 11\n", "2:11: assess.support: 应为 0 到 10 之间的数"),
        ("[assess]\nearly = -1\n", "2:9: assess.early: 应为 0 到 100 之间的数"),
        ('[assess]\nchased = "1"\n', "2:10: assess.chased: 应为 0 到 100 之间的数"),
        (
            "[assess]\nreturn_late = []\n",
            "2:15: assess.return_late: 应为 0 到 100 之间的数",
        ),
    ],
)
def test_a_bad_weight_is_one_line_and_exit_1(
    recorded: tuple[str, str], planctl: Planctl, tmp_path: Path, text: str, message: str
) -> None:
    plan, db = recorded
    env = _config(tmp_path, text)
    result = planctl("assess", db=db, plan=plan, today="2023-06-15", env=env)
    assert (result.code, result.out) == (1, "")
    assert result.err == f"planctl: {tmp_path / 'config.toml'}:{message}\n"


def test_the_table_shows_the_rule_under_the_units(
    recorded: tuple[str, str], planctl: Planctl
) -> None:
    plan, db = recorded
    out = planctl.ok("assess", "--lang", "en", db=db, plan=plan, today="2023-06-15")
    units = out.index("Owner scores")
    rule = out.index("Scoring rule")
    assert units < rule < out.index("Work points, item by item")
    assert out[units:rule] == (
        "Owner scores\n"
        "Owner   Total  On time  Done by deferred day  Late  Open  Overdue  On-time rate  Score"
        "  Rank  Supported  Supported, done\n"
        "------  -----  -------  --------------------  ----  ----  -------  ------------  -----"
        "  ----  ---------  ---------------\n"
        "发改委  3      1        1                     0     1     1        33%           84.0"
        "   1     1          0\n"
        "商务局  2      1        0                     1     0     0        50%           80.0"
        "   2     0          0\n"
        "科技局  2      0        0                     1     1     1        0%            30.0"
        "   3     0          0\n"
        "财政局  3      0        0                     1     2     1        0%            30.0"
        "   3     1          1\n"
        "统计局  1      0        0                     0     1     0        -             -"
        "      -     0          0\n"
        "Total   11     2        1                     3     5     3        22%           59.1"
        "   -\n\n"
    )


class Page(HTMLParser):
    """What a page holds: its open elements must close in order; every tag and attribute."""

    VOID = frozenset({"meta", "br", "rect", "img", "link", "input", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_assess_html_is_a_valid_self_contained_page(
    recorded: tuple[str, str], planctl: Planctl
) -> None:
    plan, db = recorded
    html = planctl.ok("assess", "--format", "html", db=db, plan=plan, today="2023-06-15")
    assert html.startswith("<!DOCTYPE html>\n")
    page = Page()
    page.feed(html)
    page.close()
    assert (page.problems, page.stack) == ([], [])
    names = [tag for tag, _ in page.tags]
    assert names[:3] == ["html", "head", "meta"]
    assert names.count("table") == 6  # units, rule, tasks, points, points without one, deferrals
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(names)
    for _, attrs in page.tags:
        assert not {"src", "href"} & {name for name, _ in attrs}
    assert "url(" not in html and "@import" not in html and "http" not in html.lower()
    text = "".join(page.text)
    assert "各责任单位考核" in text and "评分规则" in text and "要点三" in text
    assert "等待批复 (2023-03-25, 王)" in text


def test_assess_needs_a_store_and_a_unit_the_plan_has(
    recorded: tuple[str, str], planctl: Planctl, tmp_path: Path
) -> None:
    plan, db = recorded
    day = "2023-06-15"
    missing = planctl("assess", db=tmp_path / "none.sqlite3", plan=plan, today=day)
    assert (missing.code, missing.out) == (1, "")
    assert missing.err == (f"planctl: {tmp_path / 'none.sqlite3'} 没有存储:那里还没有任何记录\n")
    role = planctl("assess", "--role", "lead", db=db, plan=plan, today=day)
    assert (role.code, role.out) == (1, "")
    assert role.err == "planctl: --role 须与 --owner 同用:指明是哪个单位的职责\n"
    unknown = planctl("assess", "--owner", "教育局", db=db, plan=plan, today=day)
    assert (unknown.code, unknown.out) == (1, "")
    assert unknown.err.startswith("planctl: ") and unknown.err.count("\n") == 1
    bad = planctl("assess", "--format", "docx", db=db, plan=plan, today=day)
    assert bad.code == 2


def test_a_task_with_steps_is_scored_through_its_steps(tmp_path: Path, planctl: Planctl) -> None:
    """tests/data/good/steps-2024.yaml: 县发改局 leads task 1 and its steps 1.1, 1.3 and 1.4;
    step 1.2 (led by 县公共资源交易中心) has steps of its own. Only tasks without steps count."""
    db = tmp_path / "store.sqlite3"
    empty_store(str(db))
    plan = GOOD / "steps-2024.yaml"
    assert planctl.ok("done", "1.1", "--on", "2024-02-20", db=db, plan=plan, today="2024-02-20")
    data = planctl.json("assess", db=db, plan=plan, today="2024-12-31")
    units = {unit["unit"]: unit for unit in data["units"]}
    assert {key: units["县发改局"][key] for key in ("tasks", "on_time", "overdue", "score")} == {
        "tasks": 3,  # 1.1, 1.3, 1.4: not task 1 itself
        "on_time": 1,
        "overdue": 2,
        "score": 33.3,
    }
    assert (units["县公共资源交易中心"]["tasks"], units["县公共资源交易中心"]["overdue"]) == (2, 2)
    assert [(point["number"], point["tasks"], point["done"]) for point in data["points"]] == [
        (1, 5, 1),
        (2, 3, 0),
        (3, 2, 0),
    ]


def test_late_and_missing_returns_are_deducted_from_the_units_scores(
    tmp_path: Path, planctl: Planctl
) -> None:
    """Issue 29: the June 2018 returns, 提案科's on time, 研究室's late, 办公室's missing; with
    `return_late = 0.1` and `return_missing = 0.5` each unit's score loses its deductions
    (cycles January to June are due by 30 June: five missing before June for each unit)."""
    from tests.test_returns_collect import PLAN as RETURNS_PLAN
    from tests.test_returns_collect import _fill, _make

    db = empty_store(str(tmp_path / "store.sqlite3"))
    _make(planctl, tmp_path / "out", db)
    filled = _fill(tmp_path / "out/2018-06 提案科.xlsx", tmp_path / "f.xlsx", {"I6": 50})
    planctl.ok("returns", "collect", str(filled), db=db, plan=RETURNS_PLAN, today="2018-06-24")
    late = _fill(tmp_path / "out/2018-06 研究室.xlsx", tmp_path / "r.xlsx", {"K4": 1})
    planctl.ok("returns", "collect", str(late), db=db, plan=RETURNS_PLAN, today="2018-06-27")
    planctl.ok("done", "1", "--on", "2018-03-20", db=db, plan=RETURNS_PLAN, today="2018-06-30")
    planctl.ok("done", "5", "--on", "2018-06-05", db=db, plan=RETURNS_PLAN, today="2018-06-30")
    planctl.ok("done", "4", "--count", "3", "--on", "2018-06-10", db=db, plan=RETURNS_PLAN,
               today="2018-06-30")  # fmt: skip
    before = planctl.json("assess", db=db, plan=RETURNS_PLAN, today="2018-06-30")
    env = _config(tmp_path, "[assess]\nreturn_late = 0.1\nreturn_missing = 0.5\n")
    data = planctl.json("assess", db=db, plan=RETURNS_PLAN, today="2018-06-30", env=env)
    # 研究室: 4 reached its target on 27 June (100); 提案科: 1 on time, 2 overdue (50);
    # 办公室: its monthly duty 5 missed January to May, done in June (100 / 6).
    assert [(u["unit"], u["score"], u["rank"]) for u in before["units"]] == [
        ("研究室", 100.0, 1), ("提案科", 50.0, 2), ("办公室", 16.7, 3)
    ]  # fmt: skip
    assert data["units"] == [
        {**_unit("研究室", (2, 1, 0, 1, 0, 0), 100, 97.4, 1, (1, 0)), "deduction": 2.6},
        {**_unit("提案科", (4, 1, 0, 3, 1, 0), 50, 47.5, 2, (1, 1)), "deduction": 2.5},
        {**_unit("办公室", (3, 0, 0, 3, 1, 0), 0, 13.7, 3, (1, 0)), "deduction": 3.0},
    ]
    assert data["returns"] == [
        {"unit": "办公室", "on_time": 0, "late": 0, "missing": 6, "deduction": 3.0},
        {"unit": "提案科", "on_time": 1, "late": 0, "missing": 5, "deduction": 2.5},
        {"unit": "研究室", "on_time": 0, "late": 1, "missing": 5, "deduction": 2.6},
    ]
    assert (data["rule"]["return_late"], data["rule"]["return_missing"]) == (0.1, 0.5)


def test_the_workbook_has_the_task_sheet_as_the_json_lists_it(
    recorded: tuple[str, str], planctl: Planctl, tmp_path: Path
) -> None:
    """xlsx: a sheet of every task grouped by unit (dates as dates, scores as numbers), and
    the totals row under the units."""
    import openpyxl

    plan, db = recorded
    data = planctl.json("assess", db=db, plan=plan, today="2023-06-15")
    path = tmp_path / "assess.xlsx"
    planctl.ok("assess", "-f", "xlsx", "-o", str(path), db=db, plan=plan, today="2023-06-15")
    sheets = {sheet.title: sheet for sheet in openpyxl.load_workbook(str(path)).worksheets}
    rows: list[list[Any]] = [list(r) for r in sheets["逐项任务考核"].iter_rows(values_only=True)]
    assert rows[1] == ["责任单位", "编号", "任务", "牵头单位", "计划完成日期", "完成日期",
                       "考核结果", "得分"]  # fmt: skip
    by_id = {task["id"]: task for task in data["tasks"]}
    expected = [
        [unit["unit"], task["id"], task["title"], unit["unit"], task["planned_due"],
         task["done_on"], task["outcome"], task["score"]]
        for unit in data["units"]
        for task in data["tasks"]
        if task["lead"] == [unit["unit"]]
    ]  # fmt: skip
    words = {"on_time": "按期完成", "deferred": "调整后按期完成", "late": "逾期完成",
             "overdue": "逾期未完成", "pending": "未到期"}  # fmt: skip
    found = [
        [unit, task_id, title, lead, planned.date().isoformat(),
         done.date().isoformat() if done else None,
         next(k for k, v in words.items() if v == outcome), score]
        for unit, task_id, title, lead, planned, done, outcome, score in rows[2:]
    ]  # fmt: skip
    assert found == expected and len(found) == len(by_id)
    units = [list(row) for row in sheets["各责任单位考核"].iter_rows(values_only=True)]
    assert units[-1] == ["合计", 11, 2, 1, 3, 5, 3, 0.22, 59.1, None, None, None]


@pytest.mark.usefixtures("chinese_font")
def test_the_pdf_has_the_units_the_rule_and_the_tasks(
    recorded: tuple[str, str], planctl: Planctl, tmp_path: Path
) -> None:
    """pdf: A4 pages with the units table and its totals row, the rule, and every task."""
    from tests.test_office import A4, _pages

    plan, db = recorded
    pdf = tmp_path / "assess.pdf"
    planctl.ok("assess", "-f", "pdf", "-o", str(pdf), db=db, plan=plan, today="2023-06-15")
    pages = _pages(pdf)
    assert {(round(width, 2), round(height, 2)) for width, height, _ in pages} == {A4}
    text = "\n".join(page for _, _, page in pages)
    for title in ("各责任单位考核", "评分规则", "逐项任务考核", "逐项考核"):
        assert f"\n{title}\n" in text
    assert "合计 11 2 1 3 5 3 22% 59.1 -" in text
    for task in ("A 任务甲", "H 报送月度进展", "I 任务庚", "L 任务壬"):
        assert task in text
