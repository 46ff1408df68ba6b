"""The plans of other shapes in tests/data/good/ load cleanly and give sensible windows, due
days and duty occurrences on days across their periods (through the loader and the core)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planctl.core.progress import assess
from planctl.core.state import Completion, TaskState, states
from planctl.plan.load import load_plan
from planctl.plan.model import Plan
from planctl.rules.calendar import PlanPeriod
from planctl.rules.periods import duty_occurrences
from planctl.rules.windows import plan_period
from tests.conftest import REPO

GOOD = REPO / "tests/data/good"
SHAPES = {
    "gov-tasks-2022.yaml": ("zh", date(2022, 1, 1), date(2022, 12, 31)),
    "quarterly-2021.yaml": ("zh", date(2021, 1, 1), date(2021, 12, 31)),
    "may-april-2019.yaml": ("zh", date(2019, 5, 1), date(2020, 4, 30)),
    "two-year-2019-2020.yaml": ("zh", date(2019, 1, 1), date(2020, 12, 31)),
    "parish-council-2019.yaml": ("en", date(2019, 4, 1), date(2020, 3, 31)),
    "roles-2023.yaml": ("zh", date(2023, 1, 1), date(2023, 12, 31)),
    "steps-2024.yaml": ("zh", date(2024, 1, 1), date(2024, 12, 31)),
    "value-targets-2023.yaml": ("zh", date(2023, 1, 1), date(2023, 12, 31)),
    "returns-2018.yaml": ("zh", date(2018, 1, 1), date(2018, 12, 31)),
}


def plan(name: str) -> Plan:
    return load_plan(GOOD / name)


def test_every_good_plan_is_listed_here() -> None:
    assert sorted(path.name for path in GOOD.glob("*.yaml")) == sorted([*SHAPES, "minimal.yaml"])


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_a_good_plan_loads_and_every_task_has_a_window_in_its_period(name: str) -> None:
    loaded = plan(name)
    language, start, end = SHAPES[name]
    period = plan_period(loaded)
    assert (loaded.language, period.start, period.end) == (language, start, end)
    assert 8 <= len(loaded.tasks) <= 20
    day = start - timedelta(days=3)
    while day <= end + timedelta(days=40):
        for row in assess(loaded, {}, day).values():
            assert row.start <= row.due
            assert not (row.done and row.overdue)
            assert row.due_in_days == (row.due - day).days
            if row.rhythm is None:
                assert start <= row.start and row.due <= end
        day += timedelta(days=17)


def test_the_deadline_plan() -> None:
    rows = assess(plan("gov-tasks-2022.yaml"), {}, date(2022, 6, 15))
    assert (rows["3"].start, rows["3"].due) == (date(2022, 3, 1), date(2022, 10, 31))
    assert (rows["2"].due, rows["5"].due, rows["8"].due) == (
        date(2022, 6, 30),
        date(2022, 11, 30),
        date(2022, 12, 31),
    )
    assert rows["1"].overdue and not rows["3"].overdue
    assert rows["8"].blocked_by == ("7",)
    assert rows["13"].due == date(2022, 6, 25)  # 每月 25 日前
    assert [o.label for o in rows["13"].rhythm.missed][-1] == "2022-05"  # type: ignore[union-attr]
    assert rows["2"].pace is not None and rows["2"].pace.expected == 60 * 166 // 181


def test_the_quarterly_plan() -> None:
    rows = assess(plan("quarterly-2021.yaml"), {}, date(2021, 9, 26))
    assert (rows["Q3.1"].start, rows["Q3.1"].due) == (date(2021, 7, 1), date(2021, 9, 30))
    assert rows["D.2"].due == date(2021, 9, 25) and rows["D.2"].overdue
    assert rows["D.4"].due == date(2021, 9, 28) and rows["D.4"].due_in_days == 2
    assert rows["D.5"].rhythm is not None and rows["D.5"].rhythm.current.label == "2021-H2"
    assert not rows["D.6"].overdue


def test_the_may_april_plan() -> None:
    loaded = plan("may-april-2019.yaml")
    first_day = assess(loaded, {}, date(2019, 5, 1))
    monthly = first_day["D.1"]
    assert monthly.rhythm is not None and monthly.rhythm.missed == ()
    assert (monthly.overdue, monthly.due) == (False, date(2019, 5, 28))
    assert (first_day["1.1"].start, first_day["1.1"].month) == (date(2020, 1, 1), 1)
    assert (first_day["Q1.1"].start, first_day["Q1.1"].due) == (date(2020, 1, 1), date(2020, 3, 31))
    assert first_day["D.3"].rhythm is not None
    assert first_day["D.3"].rhythm.current.label == "2019-05..2019-06"


def test_the_two_year_plan() -> None:
    loaded = plan("two-year-2019-2020.yaml")
    rows = assess(loaded, {}, date(2020, 6, 1))
    assert (rows["1.2"].start, rows["1.2"].due) == (date(2020, 1, 1), date(2020, 12, 31))
    assert rows["D.1"].rhythm is not None
    assert [o.label for o in rows["D.1"].rhythm.elapsed] == ["2019-06", "2019-12", "2020-06"]
    assert [o.label for o in rows["D.1"].rhythm.missed] == ["2019-06", "2019-12"]
    assert rows["D.3"].rhythm is not None and rows["D.3"].rhythm.total == 2
    assert rows["D.3"].due == date(2020, 12, 15)


def test_the_parish_council_plan() -> None:
    loaded = plan("parish-council-2019.yaml")
    rows = assess(loaded, {}, date(2019, 7, 8))
    assert rows["A11"].rhythm is not None
    # Inspected by the 7th: on the 8th, July's inspection is missed too.
    assert [o.label for o in rows["A11"].rhythm.missed] == [
        "2019-04",
        "2019-05",
        "2019-06",
        "2019-07",
    ]
    assert rows["A11"].due == date(2019, 7, 7) and rows["A11"].due_in_days == -1
    inspected = states([]) | {"A11": done_every_month(date(2019, 4, 5), date(2019, 7, 5))}
    kept_up = assess(loaded, inspected, date(2019, 7, 8))["A11"]
    assert (kept_up.done, kept_up.overdue) == (True, False)
    assert rows["A10"].rhythm is not None
    assert duty_labels(loaded, "A10") == [
        "2019-06",
        "2019-09",
        "2019-12",
        "2020-03",
    ]
    assert (rows["A4"].start, rows["A4"].due) == (date(2019, 7, 1), date(2019, 9, 30))
    assert rows["A7"].month == 5 and rows["A7"].overdue
    assert rows["A3"].blocked_by == ("A2",)


def duty_labels(loaded: Plan, task_id: str) -> list[str]:
    task = next(task for task in loaded.tasks if task.id == task_id)
    return [occurrence.label for occurrence in duty_occurrences(task, plan_period(loaded))]


def done_every_month(first: date, last: date) -> TaskState:
    days = [date(y, m, first.day) for y, m in PlanPeriod(first, last, first.year).months]
    return TaskState(tuple(Completion(day, "Clerk") for day in days))


def test_the_2018_plan_keeps_its_windows(plan_2018: Plan) -> None:
    rows = assess(plan_2018, {}, date(2018, 6, 15))
    assert (rows["6.1"].start, rows["6.1"].due, rows["6.1"].month) == (
        date(2018, 6, 1),
        date(2018, 6, 30),
        6,
    )
    assert (rows["Y.1"].due, rows["Y.1"].month) == (date(2018, 12, 31), None)
    assert rows["Y.8"].rhythm is not None and rows["Y.8"].rhythm.current.label == "2018-W24"
    assert rows["P11.1"].due == date(2018, 6, 30)


def test_the_value_targets_plan() -> None:
    loaded = plan("value-targets-2023.yaml")
    targets = {t.id: (t.target, t.unit, t.measure, t.compare, t.tolerance) for t in loaded.tasks}
    assert targets["G1"] == (8, "%", "value", "at_least", None)
    assert targets["G4"] == (5.5, "%", "value", "at_most", None)
    assert targets["G5"] == (120, "万吨", "value", "about", 2.5)
    assert targets["G6"] == (4, "万人", "count", None, None)
    rows = assess(loaded, {}, date(2023, 6, 15))
    assert [task_id for task_id, row in rows.items() if row.measured is not None] == [
        "G1", "G2", "G3", "G4", "G5"
    ]  # fmt: skip
    assert rows["G2"].measured is not None and str(rows["G2"].measured.tolerance) == "0.40"
    assert (rows["G5"].start, rows["G5"].due) == (date(2023, 6, 1), date(2023, 10, 31))
    assert rows["G6"].pace is not None and rows["G1"].pace is None
