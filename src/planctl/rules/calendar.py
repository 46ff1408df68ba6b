"""Calendar arithmetic the rules share: month ends, the plan's period, and months and quarters
as offices write them (`6` where the period holds one June, `"2019-06"` always).

Pure: no clock. Every function that resolves a month or a quarter takes the plan's period.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

from planctl import frozen
from planctl.errors import BadValue
from planctl.i18n import _

YearMonth = tuple[int, int]
"""A month of a given year: (2019, 6)."""

MAX_PERIOD_YEARS = 5

MONTH_TEXT = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
QUARTER_TEXT = re.compile(r"^(\d{4})-Q([1-4])$")


class BadMonth(BadValue, ValueError):
    """A month or quarter that is not written as one, or that the plan's period does not hold
    exactly once."""


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def span(year: int, month: int | None) -> tuple[date, date]:
    """The first and last day of a month, or of the whole year when `month` is None."""
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    return date(year, month, 1), month_end(year, month)


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def next_month(year: int, month: int) -> YearMonth:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def month_label(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


@frozen
class PlanPeriod:
    """The days a plan covers (1 January to 31 December of its year unless it says otherwise),
    and the plan's `year`, which names it and dates deferrals recorded before periods existed."""

    start: date
    end: date
    year: int

    @classmethod
    def of_year(cls, year: int) -> PlanPeriod:
        return cls(date(year, 1, 1), date(year, 12, 31), year)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def months(self) -> tuple[YearMonth, ...]:
        """Every month the period holds a day of, in order."""
        return _months(self.start, self.end)

    def holds_month(self, year: int, month: int) -> bool:
        """Whether any day of the month is in the period."""
        return (
            (self.start.year, self.start.month)
            <= (year, month)
            <= (
                self.end.year,
                self.end.month,
            )
        )

    def clip(self, first: date, last: date) -> tuple[date, date]:
        """The days from `first` to `last` that are in the period (first > last if none)."""
        return max(first, self.start), min(last, self.end)


def _month_index(year: int, month: int) -> int:
    """Months counted so that divmod(index, 12) gives back (year, month - 1)."""
    return year * 12 + month - 1


@lru_cache(maxsize=64)
def _months(start: date, end: date) -> tuple[YearMonth, ...]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = next_month(year, month)
    return tuple(months)


@lru_cache(maxsize=64)
def _months_numbered(start: date, end: date) -> dict[int, tuple[YearMonth, ...]]:
    """The period's months by their number: {6: ((2019, 6), (2020, 6)), ...}."""
    held: dict[int, list[YearMonth]] = {}
    for year, month in _months(start, end):
        held.setdefault(month, []).append((year, month))
    return {number: tuple(months) for number, months in held.items()}


def period_problem(start: date, end: date) -> str | None:
    """What is wrong with a plan period, or None."""
    if end < start:  # a one-day period (start == end) is a period
        return _("the period ends ({end}) before it starts ({start})").format(end=end, start=start)
    if end >= add_years(start, MAX_PERIOD_YEARS):
        return _("a period is at most {years} years: {start}..{end} is longer").format(
            years=MAX_PERIOD_YEARS, start=start, end=end
        )
    return None


def _twice(what: str, number: int, labels: list[str]) -> str:
    quoted = [f'"{label}"' for label in labels]
    choice = _("{some} or {last}").format(some=", ".join(quoted[:-1]), last=quoted[-1])
    if len(labels) == 2:
        template = (
            _("month {number} is in the period twice ({labels}): write {choice}")
            if what == "month"
            else _("quarter {number} is in the period twice ({labels}): write {choice}")
        )
    else:
        template = (
            _("month {number} is in the period {count} times ({labels}): write {choice}")
            if what == "month"
            else _("quarter {number} is in the period {count} times ({labels}): write {choice}")
        )
    return template.format(
        number=number, count=len(labels), labels=", ".join(labels), choice=choice
    )


def parse_month(value: int | str) -> int | YearMonth:
    """A month as written: 6 (or "6" from a command line), or "2019-06" -> (2019, 6)."""
    if isinstance(value, str):
        text = value.strip()
        found = MONTH_TEXT.match(text)
        if found:
            return int(found[1]), int(found[2])
        if text.isdigit():
            value = int(text)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 12:
        return value
    raise BadMonth(_('{value} is not a month: write 1-12 or "YYYY-MM"').format(value=repr(value)))


def resolve_month(value: int | str, period: PlanPeriod, *, months_past_end: int = 0) -> YearMonth:
    """The month that `6` or `"2019-06"` names in the period, as (year, month).

    Raises BadMonth when the month is not written as one, is outside the period, or is a bare
    number the period holds more than once (a two-year plan's `6`). `months_past_end` lets a
    "YYYY-MM" run that many months past the period (`defer --to` carries a task over, up to
    12); a bare number always names a month of the period itself."""
    parsed = parse_month(value)
    if isinstance(parsed, tuple):
        index = _month_index(*parsed)
        first = _month_index(period.start.year, period.start.month)
        last = _month_index(period.end.year, period.end.month) + months_past_end
        if not first <= index <= last:
            message = _("{month} is outside the plan's period {period}").format(
                month=month_label(*parsed), period=period
            )
            if months_past_end:
                year, month0 = divmod(last, 12)
                message += _(" (a task is carried over to {month} at the latest)").format(
                    month=month_label(year, month0 + 1)
                )
            raise BadMonth(message)
        return parsed
    held = _months_numbered(period.start, period.end).get(parsed, ())
    if not held:
        raise BadMonth(
            _("month {month} is not in the plan's period {period}").format(
                month=parsed, period=period
            )
        )
    if len(held) > 1:
        raise BadMonth(_twice("month", parsed, [month_label(*ym) for ym in held]))
    return held[0]


def quarter_span(year: int, quarter: int) -> tuple[date, date]:
    first_month = (quarter - 1) * 3 + 1
    return date(year, first_month, 1), month_end(year, first_month + 2)


def resolve_quarter(value: int | str, period: PlanPeriod) -> tuple[int, int]:
    """The calendar quarter that `2` or `"2019-Q2"` names in the period, as (year, quarter);
    it must lie wholly inside the period."""
    if isinstance(value, str):
        found = QUARTER_TEXT.match(value.strip())
        if not found:
            raise BadMonth(
                _('{value} is not a quarter: write 1-4 or "YYYY-Qn"').format(value=repr(value))
            )
        year, quarter = int(found[1]), int(found[2])
        first, last = quarter_span(year, quarter)
        if first < period.start or last > period.end:
            label = f"{year}-Q{quarter}"
            raise BadMonth(
                _("{quarter} ({first}..{last}) is not wholly inside the plan's period {period}")
                .format(quarter=label, first=first, last=last, period=period)
            )  # fmt: skip
        return year, quarter
    if isinstance(value, bool) or not 1 <= value <= 4:
        raise BadMonth(
            _('{value} is not a quarter: write 1-4 or "YYYY-Qn"').format(value=repr(value))
        )
    years = range(period.start.year, period.end.year + 1)
    inside = [y for y in years if period.start <= quarter_span(y, value)[0]
              and quarter_span(y, value)[1] <= period.end]  # fmt: skip
    if not inside:
        raise BadMonth(
            _("no quarter {quarter} lies wholly inside the plan's period {period}").format(
                quarter=value, period=period
            )
        )
    if len(inside) > 1:
        raise BadMonth(_twice("quarter", value, [f"{y}-Q{value}" for y in inside]))
    return inside[0], value
