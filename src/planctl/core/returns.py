"""The return cycle (填报): the cycles of a plan with `returns:`, the day each return is due,
and the tasks a unit answers for in a cycle.

Pure: the plan, rows assessed on a day (see `planctl.core.progress`) and days in; no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Literal

from planctl import frozen
from planctl.core.filed import FiledReturn as FiledReturn
from planctl.core.progress import TaskRow
from planctl.core.schedule import Role, agenda_order, unit_role
from planctl.core.steps import tree_order
from planctl.core.units import filing_units
from planctl.errors import BadValue
from planctl.i18n import N_, _, ngettext
from planctl.plan.model import Plan, Returns
from planctl.rules.calendar import PlanPeriod, month_end, next_month
from planctl.rules.periods import duty_occurrences, periods_between
from planctl.rules.windows import Window, plan_period


class NoReturns(BadValue):
    """The plan has no `returns:`, so it has no return cycles."""


class UnknownCycle(BadValue):
    """A cycle that is not one of the plan's return cycles."""


@frozen(order=True)
class Cycle:
    """One return cycle: its first and last day (inside the plan's period), its label
    ("2018-06", "2018-Q2") and the day the units' returns are due by."""

    start: date
    end: date
    label: str
    due: date


@frozen
class ReturnRow:
    """A task a unit answers for in a cycle, and the unit's role in it."""

    row: TaskRow
    role: Role


def return_due(rules: Returns, end: date) -> date:
    """The day a return for a cycle ending on `end` is due: day `by` of the cycle's last
    month, or of the month after it (`next_month`); a shorter month's last day stands in."""
    year, month = next_month(end.year, end.month) if rules.next_month else (end.year, end.month)
    return date(year, month, min(rules.by, month_end(year, month).day))


def cycles(rules: Returns, period: PlanPeriod) -> tuple[Cycle, ...]:
    """Every return cycle of the period, in order: its months or calendar quarters, clipped
    to the period."""
    found = []
    for unit in periods_between(rules.every, period.start, period.end):
        start, end = period.clip(unit.start, unit.end)
        found.append(Cycle(start, end, unit.label, return_due(rules, end)))
    return tuple(found)


def plan_cycles(plan: Plan) -> tuple[Cycle, ...]:
    """The plan's return cycles; `NoReturns` for a plan without `returns:`."""
    if plan.returns is None:
        raise NoReturns(
            _("plan {plan} has no returns: (add returns: {example})").format(
                plan=plan.id, example="{every: month, by: 25}"
            )
        )
    return cycles(plan.returns, plan_period(plan))


def cycle_named(all_cycles: Sequence[Cycle], label: str) -> Cycle:
    """The cycle `label` names ("2018-06", "2018-Q2"; case and spaces ignored), or
    `UnknownCycle` naming the first and last."""
    wanted = label.strip().upper()
    for cycle in all_cycles:
        if cycle.label == wanted:
            return cycle
    span = f"{all_cycles[0].label}..{all_cycles[-1].label}" if all_cycles else _("none")
    raise UnknownCycle(
        _("no return cycle {label} in this plan (cycles: {cycles})").format(
            label=repr(label), cycles=span
        )
    )


def current_cycle(all_cycles: Sequence[Cycle], today: date) -> Cycle:
    """The cycle a return is being made for on `today`: the first that has begun and whose
    return is not yet past due (a quarter's, due in the month after it, is still current
    then); else the one holding today; before the period the first, after it the last.
    `all_cycles` must not be empty."""
    for cycle in all_cycles:
        if cycle.start <= today <= cycle.due:
            return cycle
    for cycle in all_cycles:
        if cycle.start <= today <= cycle.end:
            return cycle
    return all_cycles[0] if today < all_cycles[0].start else all_cycles[-1]


def _overlaps(first: date, last: date, cycle: Cycle) -> bool:
    return first <= cycle.end and cycle.start <= last


def in_cycle(row: TaskRow, cycle: Cycle, period: PlanPeriod) -> bool:
    """Whether a unit reports on the task in the cycle: a duty when one of its occurrences
    overlaps the cycle (an occasional duty: always), done or not; any other task when it is
    open and its window overlaps the cycle or was due before the cycle began (overdue)."""
    task = row.task
    if task.recurring:
        if task.every == "as_needed":
            return _overlaps(period.start, period.end, cycle)
        return any(_overlaps(o.start, o.due, cycle) for o in duty_occurrences(task, period))
    if row.done:
        return False
    window: Window = row.window
    return _overlaps(window.start, window.due, cycle) or window.due < cycle.start


def unit_return_rows(
    rows: Iterable[TaskRow], cycle: Cycle, period: PlanPeriod, unit: str
) -> list[ReturnRow]:
    """The rows of the unit's return for the cycle: each task without steps (a task with
    steps is reported through them) that the unit leads or supports and reports on in the
    cycle (`in_cycle`), by due day as the month's agenda is, a step after its task."""
    chosen = []
    for row in sorted(rows, key=agenda_order):
        if row.task.steps or not in_cycle(row, cycle, period):
            continue
        if unit_role(row.task, unit) is not None:
            chosen.append(row)
    return [ReturnRow(row, _role(row, unit)) for row in tree_order(chosen)]


def _role(row: TaskRow, unit: str) -> Role:
    role = unit_role(row.task, unit)
    assert role is not None
    return role


EVERY = {"month": N_("every month"), "quarter": N_("every quarter")}
"""A return's rhythm, as `check` says it."""


def returns_summary(plan: Plan) -> str:
    """The line `check` prints for a plan with `returns:`: the rhythm, the cycles and the
    units that file (or a warning that no task names one)."""
    rules = plan.returns
    assert rules is not None
    found = plan_cycles(plan)
    units = filing_units(plan)
    facts = {"every": _(EVERY[rules.every]), "by": rules.by, "cycles": len(found),
             "units": len(units), "first": found[0].label, "last": found[-1].label}  # fmt: skip
    if not units:
        said = _(
            "returns: {every} by day {by}: {cycles} cycles ({first}..{last}), 0 units"
            " (no task names a lead or supporting unit, so no one files a return)"
        )
        if rules.next_month:
            said = _(
                "returns: {every} by day {by} of the month after: {cycles} cycles"
                " ({first}..{last}), 0 units (no task names a lead or supporting unit, so no"
                " one files a return)"
            )
        return said.format(**facts)
    if rules.next_month:
        said = ngettext(
            "returns: {every} by day {by} of the month after: {cycles} cycles"
            " ({first}..{last}), {units} unit ({names})",
            "returns: {every} by day {by} of the month after: {cycles} cycles"
            " ({first}..{last}), {units} units ({names})",
            len(units),
        )
    else:
        said = ngettext(
            "returns: {every} by day {by}: {cycles} cycles ({first}..{last}), {units} unit"
            " ({names})",
            "returns: {every} by day {by}: {cycles} cycles ({first}..{last}), {units} units"
            " ({names})",
            len(units),
        )
    return said.format(**facts, names=_(", ").join(units))


Filing = Literal["on_time", "late", "missing", "not_due"]
"""Where a unit's return for a cycle stands: filed by the due day, filed after it, not filed
and past due, not filed and not yet due."""


@frozen
class UnitFiling:
    """One unit's return for a cycle, as `returns status` shows it."""

    unit: str
    due: date
    filed: date | None
    """The day its first return for the cycle was received (None: not filed)."""
    status: Filing
    tasks: int
    """The tasks it answers for in the cycle."""
    rows_filled: int
    """The rows its latest return filled (0: none filed)."""

    @property
    def silent(self) -> int:
        """Its tasks left without a word in its latest return (all of them when none)."""
        return max(self.tasks - self.rows_filled, 0)


def unit_filings(
    cycle: Cycle,
    tasks_by_unit: Mapping[str, int],
    filed: Iterable[FiledReturn],
    today: date,
) -> list[UnitFiling]:
    """Each unit's filing for the cycle, in the order of `tasks_by_unit` (the plan's units):
    on time when its first return was received by the due day, late when after it, missing
    when none was and the due day has passed, not due yet otherwise. Returns received after
    `today` do not count yet."""
    mine: dict[str, list[FiledReturn]] = {}
    for item in filed:
        if item.cycle == cycle.label and item.received <= today:
            mine.setdefault(fold_unit(item.unit), []).append(item)
    found = []
    for unit, tasks in tasks_by_unit.items():
        returns = mine.get(fold_unit(unit), [])
        if returns:
            first = min(item.received for item in returns)
            status: Filing = "on_time" if first <= cycle.due else "late"
            found.append(UnitFiling(unit, cycle.due, first, status, tasks, returns[-1].rows))
        else:
            status = "missing" if today > cycle.due else "not_due"
            found.append(UnitFiling(unit, cycle.due, None, status, tasks, 0))
    return found


def fold_unit(name: str) -> str:
    """A unit's name as units are compared (NFKC, case and white space ignored)."""
    from planctl.plan.refs import fold

    return fold(name)


@frozen
class ReturnTally:
    """A unit's returns over the cycles due by a day: on time, late, missing, and what they
    deduct (`late` and `missing` times the config's `return_late` and `return_missing`)."""

    unit: str
    on_time: int
    late: int
    missing: int
    deduction: float


def return_tallies(
    all_cycles: Sequence[Cycle],
    units: Sequence[str],
    filed: Sequence[FiledReturn],
    today: date,
    *,
    late_weight: float,
    missing_weight: float,
) -> list[ReturnTally]:
    """Each unit's returns for every cycle whose due day is today or earlier, counted as
    `returns status` judges each (a cycle not yet due counts nothing)."""
    counts = {unit: {"on_time": 0, "late": 0, "missing": 0, "not_due": 0} for unit in units}
    for cycle in all_cycles:
        if cycle.due > today:
            continue
        # On its due day a return not filed yet is not missing (not_due: not counted).
        for filing in unit_filings(cycle, dict.fromkeys(units, 0), filed, today):
            counts[filing.unit][filing.status] += 1
    return [
        ReturnTally(
            unit,
            c["on_time"],
            c["late"],
            c["missing"],
            round(c["late"] * late_weight + c["missing"] * missing_weight, 6),
        )
        for unit, c in counts.items()
    ]


def returns_due(
    all_cycles: Sequence[Cycle],
    units: Sequence[str],
    filed: Sequence[FiledReturn],
    today: date,
) -> list[UnitFiling]:
    """The units whose return for the latest cycle due before today is late or missing (a
    digest's reminder); [] before the first due day."""
    past = [cycle for cycle in all_cycles if cycle.due < today]
    if not past:
        return []
    filings = unit_filings(past[-1], dict.fromkeys(units, 0), filed, today)
    return [filing for filing in filings if filing.status in ("late", "missing")]
