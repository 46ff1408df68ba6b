"""Plan periods and task windows: months and quarters as offices write them, deadlines with a
start, year-round tasks, and the errors a window outside the period gives at PATH:LINE:COLUMN."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from planctl.core.progress import assess, assess_task
from planctl.core.state import OPEN, Completion, Deferral, TaskState
from planctl.errors import BadValue, PlanError
from planctl.plan.load import load_plan, parse_plan
from planctl.plan.model import Plan, Task
from planctl.rules.calendar import BadMonth, PlanPeriod, resolve_month, resolve_quarter
from planctl.rules.windows import Window, deferral_due, overlaps, plan_period, task_window

Y2018 = PlanPeriod.of_year(2018)
MAY_APRIL = PlanPeriod(date(2019, 5, 1), date(2020, 4, 30), 2019)
TWO_YEARS = PlanPeriod(date(2019, 1, 1), date(2020, 12, 31), 2019)


def task(**keys: Any) -> Task:
    return Task.model_validate({"id": "t", "title": "任务", **keys})


# -- months, quarters and the period ----------------------------------------------------------


def test_a_month_resolves_in_the_period() -> None:
    assert resolve_month(6, Y2018) == (2018, 6)
    assert resolve_month("6", Y2018) == (2018, 6)  # as a command line gives it
    assert resolve_month("2018-06", Y2018) == (2018, 6)
    assert resolve_month(2, MAY_APRIL) == (2020, 2)
    assert resolve_month(5, MAY_APRIL) == (2019, 5)
    assert resolve_month("2020-06", TWO_YEARS) == (2020, 6)


@pytest.mark.parametrize(
    ("value", "period", "message"),
    [
        (
            6,
            TWO_YEARS,
            'month 6 is in the period twice (2019-06, 2020-06): write "2019-06" or "2020-06"',
        ),
        ("2019-06", Y2018, "2019-06 is outside the plan's period 2018-01-01..2018-12-31"),
        (13, Y2018, '13 is not a month: write 1-12 or "YYYY-MM"'),
        ("june", Y2018, "'june' is not a month: write 1-12 or \"YYYY-MM\""),
        (
            5,
            PlanPeriod(date(2019, 1, 1), date(2019, 3, 31), 2019),
            "month 5 is not in the plan's period 2019-01-01..2019-03-31",
        ),
    ],
)
def test_a_month_the_period_does_not_hold_once_is_refused(
    value: int | str, period: PlanPeriod, message: str
) -> None:
    with pytest.raises(BadMonth) as caught:
        resolve_month(value, period)
    assert str(caught.value) == message
    assert isinstance(caught.value, BadValue) and isinstance(caught.value, ValueError)


def test_three_years_name_all_three() -> None:
    three = PlanPeriod(date(2021, 1, 1), date(2023, 12, 31), 2021)
    with pytest.raises(BadMonth, match=r'3 times \(2021-06, 2022-06, 2023-06\): write "2021-06",'):
        resolve_month(6, three)


def test_quarters_lie_wholly_inside_the_period() -> None:
    assert resolve_quarter(2, Y2018) == (2018, 2)
    assert resolve_quarter(1, MAY_APRIL) == (2020, 1)
    assert resolve_quarter("2019-Q3", MAY_APRIL) == (2019, 3)
    with pytest.raises(BadMonth, match=r"^no quarter 2 lies wholly inside the plan's period"):
        resolve_quarter(2, MAY_APRIL)
    with pytest.raises(BadMonth, match=r"^2020-Q2 \(2020-04-01..2020-06-30\) is not wholly"):
        resolve_quarter("2020-Q2", MAY_APRIL)
    with pytest.raises(BadMonth, match=r'^quarter 4 is in the period twice .*"2019-Q4" or'):
        resolve_quarter(4, TWO_YEARS)


def test_the_period_defaults_to_the_plan_year() -> None:
    plan = Plan(id="p", year=2018, title="计划")
    assert plan_period(plan) == Y2018
    may = Plan.model_validate(
        {"id": "p", "year": 2019, "title": "计划", "period": {"start": MAY_APRIL.start,
                                                              "end": MAY_APRIL.end}}
    )  # fmt: skip
    assert plan_period(may) == MAY_APRIL


# -- windows -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "period", "window"),
    [
        ({"month": 6}, Y2018, Window(date(2018, 6, 1), date(2018, 6, 30))),
        ({"month": "2020-02"}, TWO_YEARS, Window(date(2020, 2, 1), date(2020, 2, 29))),
        ({"quarter": 2}, Y2018, Window(date(2018, 4, 1), date(2018, 6, 30))),
        ({"quarter": "2019-Q4"}, MAY_APRIL, Window(date(2019, 10, 1), date(2019, 12, 31))),
        ({"due": date(2022, 10, 31)}, PlanPeriod.of_year(2022),
         Window(date(2022, 1, 1), date(2022, 10, 31))),
        ({"due": 10}, Y2018, Window(date(2018, 1, 1), date(2018, 10, 31))),
        ({"due": "2020-03"}, MAY_APRIL, Window(date(2019, 5, 1), date(2020, 3, 31))),
        ({"due": 9, "start": 3}, Y2018, Window(date(2018, 3, 1), date(2018, 9, 30))),
        ({"due": date(2018, 9, 15), "start": date(2018, 7, 10)}, Y2018,
         Window(date(2018, 7, 10), date(2018, 9, 15))),
        ({"year_round": True}, MAY_APRIL, Window(date(2019, 5, 1), date(2020, 4, 30))),
        ({"every": "month"}, Y2018, Window(date(2018, 1, 1), date(2018, 12, 31))),
    ],
)  # fmt: skip
def test_each_kind_of_window(keys: dict[str, Any], period: PlanPeriod, window: Window) -> None:
    assert task_window(task(**keys), period) == window


def test_a_task_due_in_october_overlaps_june() -> None:
    window = task_window(task(due=10), Y2018)
    assert overlaps(window, (2018, 6))
    assert overlaps(window, (2018, 1)) and overlaps(window, (2018, 10))
    assert not overlaps(window, (2018, 11))
    started = task_window(task(due=10, start=7), Y2018)
    assert not overlaps(started, (2018, 6)) and overlaps(started, (2018, 7))


def test_a_year_round_task_is_due_on_the_last_day_of_december() -> None:
    row = assess_task(task(year_round=True), OPEN, Y2018, date(2018, 12, 3))
    assert (row.start, row.due, row.due_in_days, row.month) == (
        date(2018, 1, 1),
        date(2018, 12, 31),
        28,
        None,
    )
    assert not row.overdue
    assert assess_task(task(year_round=True), OPEN, Y2018, date(2019, 1, 1)).overdue


def test_a_deadline_task_with_a_start() -> None:
    deadline = task(due=date(2018, 10, 31), start=date(2018, 7, 1))
    row = assess_task(deadline, OPEN, Y2018, date(2018, 6, 15))
    assert (row.start, row.due, row.due_in_days, row.overdue) == (
        date(2018, 7, 1),
        date(2018, 10, 31),
        138,
        False,
    )
    assert assess_task(deadline, OPEN, Y2018, date(2018, 11, 1)).overdue
    done = TaskState((Completion(date(2018, 10, 20), "李"),))
    assert assess_task(deadline, done, Y2018, date(2018, 11, 1)).done


def test_a_deferral_moves_the_due_day() -> None:
    deferred = TaskState(deferral=Deferral(None, "等待批复", date(2018, 10, 1), "王",
                                           date(2018, 12, 15)))  # fmt: skip
    row = assess_task(task(due=10), deferred, Y2018, date(2018, 11, 20))
    assert (row.start, row.due, row.overdue, row.due_in_days) == (
        date(2018, 1, 1),
        date(2018, 12, 15),
        False,
        25,
    )
    year_round = assess_task(task(year_round=True), deferred, Y2018, date(2018, 12, 31))
    assert year_round.due == date(2018, 12, 15) and year_round.overdue


def test_a_deferral_recorded_with_only_a_month_means_its_last_day_in_the_plan_year() -> None:
    old = TaskState(deferral=Deferral(9, "等待规划", date(2018, 7, 20), "王"))
    row = assess_task(task(month=7), old, Y2018, date(2018, 8, 15))
    assert (row.month, row.start, row.due, row.overdue) == (
        9,
        date(2018, 7, 1),
        date(2018, 9, 30),
        False,
    )
    carried = TaskState(deferral=Deferral(1, "结转", date(2018, 12, 20), "王", date(2019, 1, 31)))
    row = assess_task(task(month=12), carried, Y2018, date(2019, 1, 10))
    assert (row.month, row.due, row.overdue) == (1, date(2019, 1, 31), False)


def test_a_target_is_paced_over_its_window() -> None:
    quarterly = task(quarter=2, target=9, unit="次")
    row = assess_task(quarterly, OPEN, Y2018, date(2018, 5, 1))
    assert row.pace is not None
    assert (row.pace.expected, row.pace.behind) == (9 * 31 // 91, True)
    assert assess_task(quarterly, OPEN, Y2018, date(2018, 3, 31)).pace.expected == 0  # type: ignore[union-attr]


def test_assess_gives_every_row_its_window() -> None:
    plan = Plan.model_validate(
        {
            "id": "p",
            "year": 2019,
            "title": "计划",
            "period": {"start": date(2019, 5, 1), "end": date(2020, 4, 30)},
            "tasks": [
                {"id": "a", "title": "二月", "month": 2},
                {"id": "b", "title": "季度", "quarter": 1},
                {"id": "c", "title": "年内", "year_round": True},
            ],
        }
    )
    rows = assess(plan, {}, date(2019, 5, 1))
    assert [(r.month, r.start, r.due) for r in rows.values()] == [
        (2, date(2020, 2, 1), date(2020, 2, 29)),
        (None, date(2020, 1, 1), date(2020, 3, 31)),
        (None, date(2019, 5, 1), date(2020, 4, 30)),
    ]


# -- the model's keys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({}, "a task needs one of month, quarter, due, year_round: true, every or months"),
        ({"month": 3, "due": 5}, "a task has either a month or a due day, not both"),
        ({"quarter": 1, "year_round": True}, "a task has either a quarter or year_round: true"),
        ({"every": "month", "months": [3]}, "a task has either every or months, not both"),
        ({"due": 5, "every": "month"}, "a task has either a due day or every, not both"),
        ({"month": 3, "start": 1}, "start goes with due"),
        ({"every": "week", "by": 3}, "by is a day of the month; it does not go with every: week"),
        ({"year_round": True, "by": 3}, "by is a day of the month; it does not go with a task"),
        ({"every": "as_needed", "interval": 2}, "interval goes with every (week, month,"),
        ({"months": [3], "interval": 2}, "interval goes with every"),
        ({"months": [3, 6], "target": 2}, "a task has either a target or months, not both"),
        ({"month": "2019-6"}, "'2019-6' is not a month"),
        ({"quarter": 5}, '5 is not a quarter: write 1-4 or "YYYY-Qn"'),
        ({"due": "soon"}, "'soon' is not a day or a month: write a date (2022-10-31), 1-12"),
        ({"every": "fortnight"}, "Input should be 'week', 'month', 'quarter', 'half', 'year'"),
        ({"every": "month", "by": 32}, "less than or equal to 31"),
        ({"months": []}, "List should have at least 1 item"),
    ],
)
def test_window_keys_the_model_refuses(keys: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        task(**keys)


def test_year_round_beside_every_means_every() -> None:
    old_spelling = task(year_round=True, every="week")
    assert old_spelling.recurring and old_spelling.window_key == "duty"
    assert task(due=date(2018, 3, 1)).window_key == "due"
    assert task(year_round=True).window_key == "year_round"
    assert task(due="2018-03-31").due == date(2018, 3, 31)  # a date in quotes, as JSON has it


def test_a_period_is_ordered_and_at_most_five_years() -> None:
    base = {"id": "p", "year": 2019, "title": "计划"}
    five = {"start": date(2021, 1, 1), "end": date(2025, 12, 31)}
    assert Plan.model_validate({**base, "period": five}).period is not None
    with pytest.raises(ValueError, match=r"a period is at most 5 years: 2021-01-01..2026-01-01"):
        Plan.model_validate({**base, "period": {**five, "end": date(2026, 1, 1)}})
    with pytest.raises(ValueError, match=r"the period ends \(2019-04-30\) before it starts"):
        Plan.model_validate({**base, "period": {"start": date(2019, 5, 1),
                                                "end": date(2019, 4, 30)}})  # fmt: skip


# -- through the loader, at PATH:LINE:COLUMN -----------------------------------------------------

TWO_YEAR_PLAN = """\
id: plan-2019-2020
year: 2019
title: 两年行动计划
period:
  start: 2019-01-01
  end: 2020-12-31
tasks:
  - id: a
    title: 六月的任务
    month: 6
  - id: b
    title: 写明年份
    month: "2020-06"
  - id: c
    title: 年底前
    due: 12
  - id: d
    title: 季度
    quarter: "2021-Q1"
  - id: e
    title: 期外
    due: 2021-01-15
    start: "2019-03"
  - id: f
    title: 每季末
    months: [3, "2021-06"]
"""


def test_a_two_year_plan_refuses_a_bare_month_at_its_key(tmp_path: Path) -> None:
    path = tmp_path / "two-years.yaml"
    path.write_text(TWO_YEAR_PLAN, encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    period = "the plan's period 2019-01-01..2020-12-31"
    assert caught.value.lines() == [
        f'{path}:10:12: month 6 is in the period twice (2019-06, 2020-06): write "2019-06" or'
        ' "2020-06"',
        f'{path}:16:10: month 12 is in the period twice (2019-12, 2020-12): write "2019-12" or'
        ' "2020-12"',
        f"{path}:19:14: 2021-Q1 (2021-01-01..2021-03-31) is not wholly inside {period}",
        f"{path}:22:10: due 2021-01-15 is outside {period}",
        f"{path}:26:17: 2021-06 is outside {period}",
    ]


def test_a_start_after_the_due_day_is_refused_at_the_start() -> None:
    text = (
        "id: p\nyear: 2018\ntitle: t\ntasks:\n  - id: a\n    title: a\n    due: 3\n    start: 5\n"
    )
    with pytest.raises(PlanError) as caught:
        parse_plan(text.encode(), "p.yaml")
    assert caught.value.lines() == ["p.yaml:8:12: start 2018-05-01 is after the due day 2018-03-31"]


def test_a_bad_period_is_refused_at_the_period() -> None:
    text = "id: p\nyear: 2019\ntitle: t\nperiod: {start: 2019-05-01, end: 2019-04-30}\n"
    with pytest.raises(PlanError) as caught:
        parse_plan(text.encode(), "p.yaml")
    assert caught.value.lines() == [
        "p.yaml:4:9: period: the period ends (2019-04-30) before it starts (2019-05-01)"
    ]


def test_a_datetime_is_not_a_due_day() -> None:
    text = "id: p\nyear: 2018\ntitle: t\ntasks:\n  - id: a\n    title: a\n    due: 2018-03-01 10:00:00\n"
    with pytest.raises(PlanError) as caught:
        parse_plan(text.encode(), "p.yaml")
    assert caught.value.lines() == [
        "p.yaml:7:10: tasks[0].due: 2018-03-01 10:00:00 is not a day or a month: write a date"
        ' (2022-10-31), 1-12 or "YYYY-MM"'
    ]


def test_a_deferral_names_a_day_or_a_month_up_to_a_year_past_the_period() -> None:
    assert deferral_due("2018-09-15", Y2018) == date(2018, 9, 15)
    assert deferral_due(9, Y2018) == date(2018, 9, 30)
    assert deferral_due("9", Y2018) == date(2018, 9, 30)
    assert deferral_due("2019-03", Y2018) == date(2019, 3, 31)  # carried over (结转)
    assert deferral_due("2019-12", Y2018) == date(2019, 12, 31)
    with pytest.raises(BadMonth) as caught:
        deferral_due("2020-01", Y2018)
    assert str(caught.value) == (
        "2020-01 is outside the plan's period 2018-01-01..2018-12-31"
        " (a task is carried over to 2019-12 at the latest)"
    )
    with pytest.raises(BadMonth, match=r"^'2018-02-30' is not a date"):
        deferral_due("2018-02-30", Y2018)
    with pytest.raises(BadMonth, match=r"^month 6 is in the period twice"):
        deferral_due(6, TWO_YEARS)
    with pytest.raises(
        BadMonth, match=r"^2019-01 is outside the plan's period 2018-01-01..2018-12-31$"
    ):
        resolve_month("2019-01", Y2018)
    assert resolve_month("2019-01", Y2018, months_past_end=1) == (2019, 1)
