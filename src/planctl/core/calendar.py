"""Calendar arithmetic the rules share: month ends and a task's span of days."""

from __future__ import annotations

import calendar
from datetime import date


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def span(year: int, month: int | None) -> tuple[date, date]:
    """The first and last day of a month, or of the whole year when `month` is None."""
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    return date(year, month, 1), month_end(year, month)
