"""The occurrences of a recurring duty: ISO weeks, calendar months, quarters and halves, or
years counted from the plan period's start, clipped to the period; or the months a duty lists.

Pure. `period_of` and `periods_between` are the older, plan-less view of weeks, months and
quarters, kept for callers that have not moved to `duty_occurrences`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache

from planctl import frozen
from planctl.plan.model import Task
from planctl.rules.calendar import (
    PlanPeriod,
    add_years,
    month_end,
    month_label,
    parse_month,
)

ONE_DAY = timedelta(days=1)


@frozen(order=True)
class Period:
    """One week, month or quarter: its first and last day, and the label people use for it."""

    start: date
    end: date
    label: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@frozen(order=True)
class Occurrence:
    """One occurrence of a duty: its first and last day (inside the plan's period), the label
    people use for it ("2018-W23", "2018-06", "2018-Q2", "2018-H1", "2018", "2019/20"), and
    the day it is due by (its last day, or day `by` of its last month)."""

    start: date
    end: date
    label: str
    due: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def _week(day: date) -> Period:
    start = day - timedelta(days=day.weekday())
    iso = start.isocalendar()
    return Period(start, start + timedelta(days=6), f"{iso.year}-W{iso.week:02d}")


def _month(day: date) -> Period:
    return Period(day.replace(day=1), month_end(day.year, day.month), f"{day:%Y-%m}")


def _quarter(day: date) -> Period:
    first_month = (day.month - 1) // 3 * 3 + 1
    quarter = (first_month - 1) // 3 + 1
    start = date(day.year, first_month, 1)
    return Period(start, month_end(day.year, first_month + 2), f"{day.year}-Q{quarter}")


def _half(day: date) -> Period:
    if day.month <= 6:
        return Period(date(day.year, 1, 1), date(day.year, 6, 30), f"{day.year}-H1")
    return Period(date(day.year, 7, 1), date(day.year, 12, 31), f"{day.year}-H2")


CALENDAR_UNITS = {"week": _week, "month": _month, "quarter": _quarter, "half": _half}


def period_of(every: str, day: date) -> Period:
    """The week (ISO, Monday first), month, quarter or half that contains `day`."""
    if every not in CALENDAR_UNITS:
        raise ValueError(f"unknown rhythm {every!r}")
    return CALENDAR_UNITS[every](day)


def periods_between(every: str, first: date, last: date) -> list[Period]:
    """Every period that overlaps the days from `first` to `last`, in order (not clipped)."""
    periods = []
    day = first
    while day <= last:
        period = period_of(every, day)
        periods.append(period)
        day = period.end + ONE_DAY
    return periods


def _years(period: PlanPeriod) -> list[Period]:
    """Years counted from the period's start: calendar years are labelled "2019", others by
    the years they span, "2019/20"."""
    years = []
    start = period.start
    while start <= period.end:
        following = add_years(start, 1)
        if start.month == 1 and start.day == 1:
            label = str(start.year)
        else:
            label = f"{start.year}/{following.year % 100:02d}"
        years.append(Period(start, following - ONE_DAY, label))
        start = following
    return years


def _due(start: date, end: date, by: int | None) -> date:
    """Day `by` of the last month (a shorter month's last day), kept inside start..end."""
    if by is None:
        return end
    due = min(date(end.year, end.month, 1) + timedelta(days=by - 1), month_end(end.year, end.month))
    return min(max(due, start), end)


@lru_cache(maxsize=256)
def rhythm_occurrences(
    every: str | None,
    interval: int,
    by: int | None,
    months: tuple[int | str, ...] | None,
    period: PlanPeriod,
) -> tuple[Occurrence, ...]:
    """The occurrences of a rhythm (a duty's `every`, `interval`, `by` and `months`) in the
    period; cached, as every duty of a plan with the same rhythm has the same ones."""
    if every == "as_needed":
        return ()
    if months is not None:
        wanted = {parse_month(month) for month in months}
        return tuple(
            Occurrence(first, last, month_label(year, month), _due(first, last, by))
            for year, month in period.months
            if month in wanted or (year, month) in wanted
            for first, last in [period.clip(date(year, month, 1), month_end(year, month))]
        )
    assert every is not None
    units = _years(period) if every == "year" else periods_between(every, period.start, period.end)
    occurrences = []
    for index in range(0, len(units), interval):
        group = units[index : index + interval]
        first, last = period.clip(group[0].start, group[-1].end)
        label = group[0].label if len(group) == 1 else f"{group[0].label}..{group[-1].label}"
        occurrences.append(Occurrence(first, last, label, _due(first, last, by)))
    return tuple(occurrences)


def duty_occurrences(task: Task, period: PlanPeriod) -> tuple[Occurrence, ...]:
    """Every occurrence of a recurring duty in the plan's period, in order; () for a task that
    is not one and for `every: as_needed` (its occurrences are the times it was done).

    `interval: N` groups N weeks (months, ...) into one occurrence, counted from the first
    one in the period; `by: D` makes each due by day D of its last month; `months:` gives one
    occurrence in each listed month (6: every June of the period)."""
    if not task.recurring:
        return ()
    months = tuple(task.months) if task.months is not None else None
    return rhythm_occurrences(task.every, task.interval or 1, task.by, months, period)


def occurrence_at(occurrences: Sequence[Occurrence], day: date) -> Occurrence | None:
    """The occurrence that contains `day`, or None (outside the period, or between the months
    of a `months:` duty)."""
    index = bisect_right(occurrences, day, key=lambda occurrence: occurrence.start) - 1
    if index >= 0 and day <= occurrences[index].end:
        return occurrences[index]
    return None


def current_occurrence(occurrences: Sequence[Occurrence], today: date) -> Occurrence:
    """The occurrence that contains `today`; between occurrences the next one; before the
    first the first, after the last the last. `occurrences` must not be empty."""
    index = bisect_right(occurrences, today, key=lambda occurrence: occurrence.start) - 1
    if index < 0:
        return occurrences[0]
    if today <= occurrences[index].end or index == len(occurrences) - 1:
        return occurrences[index]
    return occurrences[index + 1]
