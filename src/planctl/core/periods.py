"""The periods of a recurring duty: ISO weeks, months or quarters within the task's span."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from planctl.core.calendar import month_end


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """One week, month or quarter: its first and last day, and the label people use for it."""

    start: date
    end: date
    label: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def period_of(every: str, day: date) -> Period:
    """The week (ISO, Monday first), month or quarter that contains `day`."""
    if every == "week":
        start = day - timedelta(days=day.weekday())
        iso = start.isocalendar()
        return Period(start, start + timedelta(days=6), f"{iso.year}-W{iso.week:02d}")
    if every == "month":
        return Period(day.replace(day=1), month_end(day.year, day.month), f"{day:%Y-%m}")
    if every == "quarter":
        first_month = (day.month - 1) // 3 * 3 + 1
        start = date(day.year, first_month, 1)
        quarter = (first_month - 1) // 3 + 1
        return Period(start, month_end(day.year, first_month + 2), f"{day.year}-Q{quarter}")
    raise ValueError(f"unknown rhythm {every!r}")


def periods_between(every: str, first: date, last: date) -> list[Period]:
    """Every period that overlaps the days from `first` to `last`, in order."""
    periods = []
    day = first
    while day <= last:
        period = period_of(every, day)
        periods.append(period)
        day = period.end + timedelta(days=1)
    return periods
