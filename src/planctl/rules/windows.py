"""A task's window, the days it is to be done in, from the task and the plan's period.

Pure. `task_window` expects a plan that passed `window_problems` (the loader runs it through
`planctl.plan.check`); on one that did not, it raises `BadMonth`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from planctl import frozen
from planctl.i18n import _
from planctl.rules.calendar import (
    BadMonth,
    PlanPeriod,
    YearMonth,
    month_end,
    parse_month,
    quarter_span,
    resolve_month,
    resolve_quarter,
)
from planctl.rules.periods import rhythm_occurrences

if TYPE_CHECKING:  # the plan's model is read, never built, here: rules sit below the plan
    from planctl.plan.model import Plan, Task


@frozen
class Window:
    """The first day a task is to be worked on and the day it is due by (both included)."""

    start: date
    due: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.due


def plan_period(plan: Plan) -> PlanPeriod:
    """The plan's period: its `period`, or 1 January to 31 December of its year."""
    if plan.period is None:
        return PlanPeriod.of_year(plan.year)
    return PlanPeriod(plan.period.start, plan.period.end, plan.year)


def overlaps(window: Window, month: YearMonth) -> bool:
    """Whether any day of the month (year, month) is in the window."""
    year, number = month
    return window.start <= month_end(year, number) and date(year, number, 1) <= window.due


def _month_days(value: int | str, period: PlanPeriod) -> tuple[date, date]:
    year, month = resolve_month(value, period)
    return period.clip(date(year, month, 1), month_end(year, month))


def day_of(value: date | int | str, period: PlanPeriod, *, last: bool) -> date:
    """A `due` or `start` value as a day: a date as it is; a month as its last day (`last`)
    or its first, kept inside the period."""
    if isinstance(value, date):
        return value
    first, final = _month_days(value, period)
    return final if last else first


def deferral_due(value: date | int | str, period: PlanPeriod, *, months_past_end: int = 12) -> date:
    """The due day `defer --to` names: a date ("2018-09-15") as it is, or a month (9,
    "2019-03") as its last day; a "YYYY-MM" may run up to `months_past_end` months past the
    period (carried over). Whether it is later than the task's due day now, and a date's own
    limits, are the caller's rules. Raises BadMonth."""
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise BadMonth(
                _("{value} is not a date (YYYY-MM-DD) or a month").format(value=repr(value))
            ) from None
    if isinstance(value, date):
        return value
    year, month = resolve_month(value, period, months_past_end=months_past_end)
    return month_end(year, month)


def task_window(task: Task, period: PlanPeriod) -> Window:
    """The days the plan gives the task, before any deferral: its month (the part in the
    period), its quarter, its start (default the period's start) to its due day, or the
    whole period for year-round tasks and duties (a duty's occurrences are in
    `planctl.rules.periods`)."""
    if task.recurring or (task.month, task.quarter, task.due) == (None, None, None):
        return Window(period.start, period.end)
    return _window(task.month, task.quarter, task.due, task.start, period)


@lru_cache(maxsize=4096)
def _window(
    month: int | str | None,
    quarter: int | str | None,
    due: date | int | str | None,
    start: date | int | str | None,
    period: PlanPeriod,
) -> Window:
    # Cached: a plan of 1,000 tasks has a few dozen distinct windows, and assess asks on
    # every command.
    if month is not None:
        return Window(*_month_days(month, period))
    if quarter is not None:
        return Window(*quarter_span(*resolve_quarter(quarter, period)))
    assert due is not None
    first = period.start if start is None else day_of(start, period, last=False)
    return Window(first, day_of(due, period, last=True))


Loc = tuple[str | int, ...]


def window_problems(task: Task, period: PlanPeriod) -> list[tuple[Loc, str]]:
    """What keeps the task's window from lying in the period, each at the key it is about
    (relative to the task): a month or quarter outside the period, or a bare number the
    period holds more than once; a due day or start outside the period; a start after the due
    day; a duty with no occurrence in the period."""
    if task.recurring:
        months = None if task.months is None else tuple(task.months)
        rhythm = (task.every, task.interval, task.by, months)
        return list(_duty_problems(rhythm, period))
    return list(_window_problems(task.month, task.quarter, task.due, task.start, period))


@lru_cache(maxsize=4096)
def _window_problems(
    month: int | str | None,
    quarter: int | str | None,
    due: date | int | str | None,
    start: date | int | str | None,
    period: PlanPeriod,
) -> tuple[tuple[Loc, str], ...]:
    problems: list[tuple[Loc, str]] = []
    if month is not None:
        problems += _failure(("month",), resolve_month, month, period)
    if quarter is not None:
        problems += _failure(("quarter",), resolve_quarter, quarter, period)
    for key, value, last in (("due", due, True), ("start", start, False)):
        if isinstance(value, date) and value not in period:
            problems.append(
                ((key,), _("{key} {value} is outside the plan's period {period}").format(
                    key=key, value=value, period=period
                ))
            )  # fmt: skip
        elif value is not None:
            problems += _failure((key,), _day_of, value, period, last)
    if due is not None and start is not None and not problems:
        first = day_of(start, period, last=False)
        last_day = day_of(due, period, last=True)
        if first > last_day:
            problems.append(
                (("start",), _("start {first} is after the due day {due}").format(
                    first=first, due=last_day
                ))
            )  # fmt: skip
    return tuple(problems)


@lru_cache(maxsize=1024)
def _duty_problems(
    rhythm: tuple[str | None, int | None, int | None, tuple[int | str, ...] | None],
    period: PlanPeriod,
) -> tuple[tuple[Loc, str], ...]:
    every, interval, by, months = rhythm
    problems: list[tuple[Loc, str]] = []
    for index, listed in enumerate(months or ()):
        parsed = parse_month(listed)
        if isinstance(parsed, tuple):
            problems += _failure(("months", index), resolve_month, listed, period)
        elif not any(number == parsed for _, number in period.months):
            message = _("month {month} is not in the plan's period {period}").format(
                month=parsed, period=period
            )
            problems.append((("months", index), message))
    occasional = every == "as_needed"
    if not (occasional or problems or rhythm_occurrences(every, interval or 1, by, months, period)):
        problems.append(((), _("the duty has no occurrence in the plan's period")))
    return tuple(problems)


def _day_of(value: date | int | str, period: PlanPeriod, last: bool) -> date:
    return day_of(value, period, last=last)


def _failure(loc: Loc, resolve: Callable[..., object], *args: object) -> list[tuple[Loc, str]]:
    """[(loc, message)] when `resolve(*args)` raises BadMonth, else []."""
    try:
        resolve(*args)
    except BadMonth as error:
        return [(loc, str(error))]
    return []
