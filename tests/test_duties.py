"""Recurring duties: occurrences by week, month, quarter, half and year, `interval`, `by` and
`months:`, clipped to the plan's period; missed occurrences, one status, and as-needed duties."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

import pytest

from planctl.core.progress import assess_task
from planctl.core.state import OPEN, Completion, TaskState
from planctl.plan.model import Task
from planctl.rules.calendar import PlanPeriod
from planctl.rules.periods import (
    Occurrence,
    current_occurrence,
    duty_occurrences,
    occurrence_at,
)

Y2018 = PlanPeriod.of_year(2018)
MAY_APRIL = PlanPeriod(date(2019, 5, 1), date(2020, 4, 30), 2019)


def duty(**keys: Any) -> Task:
    return Task.model_validate({"id": "d", "title": "职责", **keys})


def done_on(*days: date) -> TaskState:
    return TaskState(tuple(Completion(day, "李") for day in days))


def labels(task: Task, period: PlanPeriod = Y2018) -> list[str]:
    return [o.label for o in duty_occurrences(task, period)]


def test_weeks_are_iso_weeks_clipped_to_the_period() -> None:
    weeks = duty_occurrences(duty(every="week"), Y2018)
    assert (len(weeks), weeks[0].label, weeks[-1].label) == (53, "2018-W01", "2019-W01")
    assert weeks[-1] == Occurrence(date(2018, 12, 31), date(2018, 12, 31), "2019-W01",
                                   date(2018, 12, 31))  # fmt: skip
    first_of_may = duty_occurrences(duty(every="week"), MAY_APRIL)[0]
    assert first_of_may == Occurrence(date(2019, 5, 1), date(2019, 5, 5), "2019-W18",
                                      date(2019, 5, 5))  # fmt: skip


def test_months_quarters_halves_and_years() -> None:
    assert labels(duty(every="month"))[:3] == ["2018-01", "2018-02", "2018-03"]
    assert labels(duty(every="quarter")) == ["2018-Q1", "2018-Q2", "2018-Q3", "2018-Q4"]
    assert labels(duty(every="half")) == ["2018-H1", "2018-H2"]
    assert labels(duty(every="year")) == ["2018"]
    assert labels(duty(every="quarter"), MAY_APRIL) == [
        "2019-Q2",
        "2019-Q3",
        "2019-Q4",
        "2020-Q1",
        "2020-Q2",
    ]
    q2 = duty_occurrences(duty(every="quarter"), MAY_APRIL)[0]
    assert (q2.start, q2.end) == (date(2019, 5, 1), date(2019, 6, 30))
    assert labels(duty(every="half"), MAY_APRIL) == ["2019-H1", "2019-H2", "2020-H1"]
    years = duty_occurrences(duty(every="year"), MAY_APRIL)
    assert years == (Occurrence(date(2019, 5, 1), date(2020, 4, 30), "2019/20", date(2020, 4, 30)),)
    three = PlanPeriod(date(2021, 1, 1), date(2023, 12, 31), 2021)
    assert labels(duty(every="year"), three) == ["2021", "2022", "2023"]


def test_interval_counts_from_the_first_occurrence_in_the_period() -> None:
    every_two_months = duty_occurrences(duty(every="month", interval=2), MAY_APRIL)
    assert [(o.label, o.start, o.end) for o in every_two_months[:2]] == [
        ("2019-05..2019-06", date(2019, 5, 1), date(2019, 6, 30)),
        ("2019-07..2019-08", date(2019, 7, 1), date(2019, 8, 31)),
    ]
    assert len(every_two_months) == 6
    fortnights = duty_occurrences(duty(every="week", interval=2), Y2018)
    assert (len(fortnights), fortnights[-1].label) == (27, "2019-W01")


def test_by_makes_each_occurrence_due_by_a_day_of_its_last_month() -> None:
    monthly = duty_occurrences(duty(every="month", by=28), Y2018)
    assert [o.due for o in monthly[:2]] == [date(2018, 1, 28), date(2018, 2, 28)]
    end_of_month = duty_occurrences(duty(every="month", by=31), Y2018)
    assert [o.due for o in end_of_month[1:4]] == [
        date(2018, 2, 28),
        date(2018, 3, 31),
        date(2018, 4, 30),
    ]
    quarterly = duty_occurrences(duty(every="quarter", by=30), Y2018)
    assert [o.due for o in quarterly] == [
        date(2018, 3, 30),
        date(2018, 6, 30),
        date(2018, 9, 30),
        date(2018, 12, 30),
    ]


def test_months_gives_one_occurrence_per_listed_month() -> None:
    quarter_ends = duty_occurrences(duty(months=[3, 6, 9, 12], by=25), Y2018)
    assert [(o.label, o.start, o.due) for o in quarter_ends] == [
        ("2018-03", date(2018, 3, 1), date(2018, 3, 25)),
        ("2018-06", date(2018, 6, 1), date(2018, 6, 25)),
        ("2018-09", date(2018, 9, 1), date(2018, 9, 25)),
        ("2018-12", date(2018, 12, 1), date(2018, 12, 25)),
    ]
    two_years = PlanPeriod(date(2019, 1, 1), date(2020, 12, 31), 2019)
    assert labels(duty(months=[6, "2020-12"]), two_years) == ["2019-06", "2020-06", "2020-12"]


def test_the_occurrence_of_a_day_and_the_current_one() -> None:
    quarter_ends = duty_occurrences(duty(months=[3, 6, 9, 12]), Y2018)
    assert occurrence_at(quarter_ends, date(2018, 6, 4)) == quarter_ends[1]
    assert occurrence_at(quarter_ends, date(2018, 7, 4)) is None
    assert current_occurrence(quarter_ends, date(2018, 7, 4)) == quarter_ends[2]  # the next
    assert current_occurrence(quarter_ends, date(2017, 7, 4)) == quarter_ends[0]
    assert current_occurrence(quarter_ends, date(2019, 2, 1)) == quarter_ends[-1]


def test_a_weekly_duty_done_on_4_june_counts_for_week_23() -> None:
    weekly = duty(every="week")
    row = assess_task(weekly, done_on(date(2018, 6, 4)), Y2018, date(2018, 6, 6))
    assert row.rhythm is not None
    assert [o.label for o in row.rhythm.done] == ["2018-W23"]
    assert (row.rhythm.current.label, row.start, row.due, row.due_in_days) == (
        "2018-W23",
        date(2018, 6, 4),
        date(2018, 6, 10),
        4,
    )


def test_a_may_april_monthly_duty_misses_nothing_on_its_first_day() -> None:
    row = assess_task(duty(every="month"), OPEN, MAY_APRIL, date(2019, 5, 1))
    assert row.rhythm is not None
    assert (row.rhythm.missed, row.overdue, row.done) == ((), False, False)
    assert ([o.label for o in row.rhythm.elapsed], row.rhythm.total) == (["2019-05"], 12)
    assert row.due == date(2019, 5, 31)


def test_a_monthly_duty_by_the_28th_is_missed_on_the_29th() -> None:
    by_28 = duty(every="month", by=28)
    on_28 = assess_task(by_28, OPEN, Y2018, date(2018, 6, 28))
    assert [o.label for o in on_28.rhythm.missed][-1:] == ["2018-05"]  # type: ignore[union-attr]
    kept_up = done_on(*(date(2018, month, 20) for month in range(1, 6)))
    on_28 = assess_task(by_28, kept_up, Y2018, date(2018, 6, 28))
    assert (on_28.overdue, on_28.done, on_28.due_in_days) == (False, False, 0)
    on_29 = assess_task(by_28, kept_up, Y2018, date(2018, 6, 29))
    assert on_29.rhythm is not None
    assert ([o.label for o in on_29.rhythm.missed], on_29.overdue, on_29.done) == (
        ["2018-06"],
        True,
        False,
    )
    # A late record fills the missed occurrence: work dated in June counts for June.
    late = done_on(*(date(2018, month, 20) for month in range(1, 6)), date(2018, 6, 30))
    on_30 = assess_task(by_28, late, Y2018, date(2018, 6, 30))
    assert (on_30.overdue, on_30.done) == (False, True)


def test_a_duty_is_overdue_or_done_or_open_never_two_at_once() -> None:
    quarterly = duty(every="quarter")
    q1_missed = assess_task(quarterly, done_on(date(2018, 4, 2)), Y2018, date(2018, 4, 30))
    assert (q1_missed.overdue, q1_missed.done, q1_missed.completion) == (True, False, None)
    both = done_on(date(2018, 2, 1), date(2018, 4, 2))
    on_time = assess_task(quarterly, both, Y2018, date(2018, 4, 30))
    assert (on_time.overdue, on_time.done) == (False, True)
    assert on_time.completion == Completion(date(2018, 4, 2), "李")
    between = assess_task(quarterly, done_on(date(2018, 2, 1)), Y2018, date(2018, 4, 30))
    assert (between.overdue, between.done) == (False, False)


def test_between_the_months_of_a_duty_its_due_day_is_the_next_one() -> None:
    quarter_ends = duty(months=[3, 6, 9, 12], by=25)
    done = done_on(date(2018, 3, 20), date(2018, 6, 21))
    row = assess_task(quarter_ends, done, Y2018, date(2018, 7, 10))
    assert row.rhythm is not None
    assert (row.rhythm.current.label, row.due, row.due_in_days, row.done, row.overdue) == (
        "2018-09",
        date(2018, 9, 25),
        77,
        False,
        False,
    )


def test_an_as_needed_duty_is_counted_never_missed() -> None:
    occasional = duty(every="as_needed")
    assert duty_occurrences(occasional, Y2018) == ()
    never = assess_task(occasional, OPEN, Y2018, date(2019, 1, 5))
    assert (never.overdue, never.done, never.due) == (False, False, date(2018, 12, 31))
    twice = done_on(date(2018, 3, 2), date(2018, 9, 9))
    row = assess_task(occasional, twice, Y2018, date(2018, 10, 1))
    assert row.rhythm is not None
    assert ([o.label for o in row.rhythm.done], row.rhythm.total, row.done, row.overdue) == (
        ["2018-03-02", "2018-09-09"],
        2,
        True,
        False,
    )


def test_the_2018_spelling_year_round_and_every_is_a_duty() -> None:
    y8 = duty(year_round=True, every="week")
    row = assess_task(y8, OPEN, Y2018, date(2018, 1, 10))
    assert row.rhythm is not None and row.month is None
    assert [o.label for o in row.rhythm.missed] == ["2018-W01"]


@pytest.mark.parametrize("every", ["week", "month", "quarter", "half", "year"])
def test_occurrences_cover_the_period_without_gaps(every: str) -> None:
    for period in (Y2018, MAY_APRIL):
        occurrences = duty_occurrences(duty(every=every), period)
        assert occurrences[0].start == period.start and occurrences[-1].end == period.end
        for before, after in pairwise(occurrences):
            assert (after.start - before.end).days == 1
