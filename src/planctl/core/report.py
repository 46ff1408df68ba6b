"""Plan against actual: the counts a year report and a weekly digest are made of.

Pure: rows assessed on a day (see `planctl.core.progress`) and events in; counts out. Every
count is over the same rows `due` and `list` show, so the report agrees with them.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import field
from datetime import date, timedelta
from operator import itemgetter
from typing import TYPE_CHECKING

from planctl import frozen
from planctl.core.events import Action, Event
from planctl.core.progress import TaskRow
from planctl.core.schedule import due_in
from planctl.core.steps import leaf_rows
from planctl.core.units import NO_UNIT, lead_units, support_units
from planctl.plan.model import Plan

if TYPE_CHECKING:
    from planctl.core.pending import Pending
    from planctl.core.returns import UnitFiling
from planctl.plan.refs import fold
from planctl.rules.calendar import PlanPeriod, YearMonth, next_month


@frozen
class Tally:
    """How many tasks, how many of them done, how many overdue."""

    total: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def open(self) -> int:
        return self.total - self.done

    @property
    def percent(self) -> int:
        """Percent done, rounded down (a report never claims more than was done)."""
        return 100 * self.done // self.total if self.total else 0


def tally(rows: Iterable[TaskRow]) -> Tally:
    total = done = overdue = 0
    for row in rows:
        total += 1
        done += row.done
        overdue += row.overdue
    return Tally(total, done, overdue)


@frozen(slots=False)
class Report:
    """The year report's parts."""

    summary: Tally
    months: list[tuple[YearMonth, Tally]]
    """Tasks due in each month of the plan's period (not duties or year-round tasks)."""
    year_round: Tally
    """Duties and year-round tasks."""
    sections: list[tuple[int, str, Tally]]
    points: list[tuple[int, str, Tally]]
    owners: list[UnitTally]
    overdue: list[TaskRow]
    deferred: list[TaskRow]
    targets: list[TaskRow]
    duties: list[TaskRow]
    blocked: list[TaskRow]
    recent: list[Event]
    period_end: date
    """The last day of the plan's period: a task deferred past it is carried over."""


RECENT_EVENTS = 10


@frozen
class UnitTally:
    """One unit's figures: the tasks it leads (`led`) and, apart, those it supports. A task
    counts once for each of its lead units and once for each supporting unit, never as a
    supporting unit's own. `unit` is None (`NO_UNIT`) for the row of the tasks that name no
    lead unit (nothing, or pseudo-units only: `planctl.core.units`)."""

    unit: str | None
    led: Tally
    supported: Tally


def unit_tallies(rows: Sequence[TaskRow]) -> list[UnitTally]:
    """Every unit of the rows (as `--owner` compares them, the first spelling kept), sorted,
    with the tasks it leads and the tasks it supports, tallied (tasks without steps: a
    task's steps stand for it); last, when any task names no lead unit, the `NO_UNIT` row."""
    units: dict[str, str] = {}  # folded name -> the first spelling
    led: dict[str, list[TaskRow]] = {}
    supported: dict[str, list[TaskRow]] = {}
    nobody: list[TaskRow] = []
    for row in leaf_rows(rows):  # one pass: a unit's role in a task as `unit_role` gives it
        leads = set()
        for unit in lead_units(row.task):
            key = fold(unit)
            units.setdefault(key, unit)
            leads.add(key)
        if not leads:
            nobody.append(row)
        for key in leads:
            led.setdefault(key, []).append(row)
        helping = {fold(unit): unit for unit in support_units(row.task)}
        for key in helping.keys() - leads:
            supported.setdefault(key, []).append(row)
        for key, unit in helping.items():
            units.setdefault(key, unit)
    tallies = [
        UnitTally(unit, tally(led.get(key, [])), tally(supported.get(key, [])))
        for key, unit in sorted(units.items(), key=lambda item: item[1])
    ]
    if nobody:
        tallies.append(UnitTally(NO_UNIT, tally(nobody), Tally()))
    return tallies


def point_tallies(plan: Plan, rows: Iterable[TaskRow]) -> dict[int, Tally]:
    """Each work point's tasks without steps (a task's steps stand for it), tallied, by point
    number."""
    by_point: dict[int, list[TaskRow]] = {point.number: [] for point in plan.points}
    for row in leaf_rows(rows):
        for number in row.task.points:
            by_point[number].append(row)
    return {number: tally(point_rows) for number, point_rows in by_point.items()}


def whole_period(row: TaskRow) -> bool:
    """A duty or a year-round task: counted for the whole period, not for one month."""
    return row.task.recurring or row.task.year_round


def year_report(
    plan: Plan, period: PlanPeriod, rows: Sequence[TaskRow], events: Sequence[Event]
) -> Report:
    """Everything `planctl report` shows, from the rows of every task and the event log. Its
    figures count the tasks without steps, so that none is counted twice; its lists show
    every task, a task with steps with its roll-up."""
    by_point = point_tallies(plan, rows)
    leaves = leaf_rows(rows)
    by_month: dict[YearMonth, list[TaskRow]] = {month: [] for month in period.months}
    for row in leaves:
        if not whole_period(row):
            by_month.setdefault((row.due.year, row.due.month), []).append(row)
    return Report(
        summary=tally(leaves),
        months=[(month, tally(month_rows)) for month, month_rows in sorted(by_month.items())],
        year_round=tally(r for r in leaves if whole_period(r)),
        sections=[
            (
                section.number,
                section.title,
                tally(r for r in leaves if not numbers.isdisjoint(r.task.points)),
            )
            for section, numbers in ((s, {p.number for p in s.points}) for s in plan.sections)
        ],
        points=[(point.number, point.title, by_point[point.number]) for point in plan.points],
        owners=unit_tallies(rows),
        overdue=[row for row in rows if row.overdue],
        deferred=[row for row in rows if row.state.deferral is not None],
        targets=[row for row in rows if row.pace is not None],
        duties=[row for row in rows if row.rhythm is not None],
        blocked=[row for row in rows if row.blocked_by and not row.done],
        recent=_newest_first(events)[:RECENT_EVENTS],
        period_end=period.end,
    )


SOON_DAYS = 7
"""Due soon (临期): open tasks due within this many days, unless the config file says."""


def newest(
    numbered: Iterable[tuple[int, Event]], limit: int = RECENT_EVENTS
) -> list[tuple[int, Event]]:
    """The `limit` events `year_report` lists as recent, of events numbered by their place in
    the log (the store's `seq`), in the log's order: a report folded task by task keeps these
    of each task, then of the ones kept, and lists the same as from the whole log."""
    # (date, place, event): the places are the log's, never equal, so no event is compared.
    dated = [(event.work_date, number, event) for number, event in numbered]
    kept = sorted(heapq.nlargest(limit, dated), key=itemgetter(1))
    return [(number, event) for _, number, event in kept]


def digest_events(
    numbered: Sequence[tuple[int, Event]], since: date, today: date, *, counted: bool
) -> list[tuple[int, Event]]:
    """What `digest` needs of one task's events (in the log's order, numbered by their place
    in it): its `done`s from `since` to `today` that no undo takes back (and each claim
    accepted in that time, with its accept) and, for a task with a
    target that has such a `done` (`counted`), all its `done`s no undo takes back, which its
    count after each is summed from. The digest of these alone is the digest of the log."""
    undone: set[str | None] = set()
    accepts = False
    for _, event in numbered:
        if event.action is Action.UNDO:
            undone.add(event.undoes)
        elif event.action is Action.ACCEPT:
            accepts = True
    kept = [
        (number, event)
        for number, event in numbered
        if event.action is Action.DONE and event.event_id not in undone
    ]
    lately = [(number, event) for number, event in kept if since <= event.work_date <= today]
    if not accepts:  # no claim accepted (most tasks: a plan without `checks:`)
        return sorted(kept if counted and lately else lately, key=lambda pair: pair[0])
    pairs = accepted_claims([event for _, event in numbered], undone)
    checked = {
        event.event_id
        for claim, accept in pairs
        if since <= accept.work_date <= today
        for event in (claim, accept)
    }
    accepted = [(number, event) for number, event in numbered if event.event_id in checked]
    lately = sorted([*lately, *accepted], key=lambda pair: pair[0])
    return sorted([*kept, *accepted], key=lambda pair: pair[0]) if counted and lately else lately


def digest_since(today: date, days: int) -> date:
    """The first day of a digest of the last `days` days up to `today`."""
    return today - timedelta(days=days - 1)


def _newest_first(events: Sequence[Event]) -> list[Event]:
    """By work date, newest first; among work of one day, the latest recorded first."""
    newest = list(reversed(events))
    newest.sort(key=lambda event: event.work_date, reverse=True)
    return newest


@frozen(slots=False)
class Digest:
    """The weekly status: what was done lately, what needs action, what comes next."""

    since: date
    done_lately: list[tuple[Event, TaskRow | None]]
    due_soon: list[TaskRow]
    """Open, due within `soon` days (today included), and not overdue."""
    open_this_month: list[TaskRow]
    """Open, due in today's month (a duty: its current occurrence; a year-round task: in the
    period's last month)."""
    overdue: list[TaskRow]
    next_month: list[TaskRow]
    """Open, due in the month after today's."""
    summary: Tally
    behind: list[TaskRow] = field(default_factory=list)
    """Yellow (behind where it should be by now), and not due soon."""
    stale: list[TaskRow] = field(default_factory=list)
    """Stale (nothing recorded lately inside its window), and in none of the lists above."""
    counted_to: dict[str, int] = field(default_factory=dict)
    """For each `done` of `done_lately` on a counted task, by event ID: the task's count
    after it (a count is work toward the target, not a completion)."""
    returns_due: list[UnitFiling] = field(default_factory=list)
    """Units whose return (填报) for the latest cycle due is late or missing."""
    owners: list[UnitTally] = field(default_factory=list)
    """Each unit's tasks, as the report counts them, the `NO_UNIT` row last."""
    pending: list[Pending] = field(default_factory=list)
    """The office's digest under the plan's `checks`: claims and requests awaiting a
    decision, oldest first."""

    @property
    def needs_action(self) -> bool:
        """Whether any reminder list (overdue, due soon, behind, stale, late or missing
        returns, claims and requests awaiting a decision) has an entry."""
        return bool(
            self.overdue or self.due_soon or self.behind or self.stale or self.returns_due
            or self.pending
        )  # fmt: skip


def digest(
    rows: Sequence[TaskRow], events: Sequence[Event], today: date, days: int, soon: int = SOON_DAYS
) -> Digest:
    """The digest of the last `days` days up to `today`, over the given rows."""
    since = digest_since(today, days)
    by_id = {row.task.id: row for row in rows}
    undone = {event.undoes for event in events if event.action is Action.UNDO}
    done = [
        (event, event.work_date)
        for event in events
        if event.action is Action.DONE and event.event_id not in undone
    ]
    when = [
        (event, on)
        for event, on in [
            *done,
            *((claim, accept.work_date) for claim, accept in accepted_claims(events, undone)),
        ]
        if since <= on <= today and event.task_id in by_id
    ]
    when.sort(key=lambda pair: pair[1], reverse=True)
    lately = [(event, by_id.get(event.task_id)) for event, _on in when]
    counted_to = _counted_to(lately, events, undone)
    this_month = (today.year, today.month)
    following = next_month(*this_month)
    still_open = [row for row in rows if not row.done]
    overdue = [row for row in rows if row.overdue]
    # A duty with a missed occurrence is overdue, even while its current one is due soon.
    due_soon = sorted(
        (row for row in still_open if 0 <= row.due_in_days <= soon and not row.overdue),
        key=lambda r: r.due,
    )
    # The reminders: each task once, under the first of overdue, due soon, behind, stale.
    listed = {row.task.id for row in (*overdue, *due_soon)}
    # Yellow for being stale alone is listed under stale, not behind.
    behind = [
        row
        for row in still_open
        if row.light == "yellow" and (row.behind or not row.stale) and row.task.id not in listed
    ]
    listed |= {row.task.id for row in behind}
    return Digest(
        since=since,
        done_lately=lately,
        due_soon=due_soon,
        open_this_month=[row for row in still_open if due_in(row, this_month)],
        overdue=overdue,
        next_month=[row for row in still_open if due_in(row, following)],
        summary=tally(leaf_rows(rows)),
        behind=behind,
        stale=[row for row in still_open if row.stale and row.task.id not in listed],
        counted_to=counted_to,
        owners=unit_tallies(rows),
    )


def accepted_claims(events: Sequence[Event], undone: set[str | None]) -> list[tuple[Event, Event]]:
    """Each claim accepted (销号), with its accept (the day of the check): the digest's "done
    lately" counts an accepted claim by that day (when the task became done), and shows the
    claim (done as of the claimed day, by the claimant). Undone events count for nothing; a
    reject sends back the claim when it was the later of a pending claim and request (as
    `fold` decides)."""
    pending: dict[str, Event] = {}
    latest: dict[str, Action] = {}
    accepted: list[tuple[Event, Event]] = []
    for event in events:
        if event.event_id in undone:
            continue
        task = event.task_id
        if event.action in (Action.CLAIM, Action.REQUEST, Action.APPROVE):
            latest[task] = event.action
        if event.action is Action.CLAIM:
            pending[task] = event
        elif event.action is Action.REJECT and latest.get(task) is Action.CLAIM:
            pending.pop(task, None)
            latest.pop(task, None)
        elif event.action is Action.ACCEPT and task in pending:
            accepted.append((pending.pop(task), event))
    return accepted


def _counted_to(
    lately: Sequence[tuple[Event, TaskRow | None]], events: Sequence[Event], undone: set[str | None]
) -> dict[str, int]:
    """The count of each counted task after each of its recent `done`s (in work-date order,
    then the log's), undone ones left out."""
    counted = {
        row.task.id
        for _, row in lately
        if row is not None and row.task.target is not None and not row.task.measures_value
    }
    totals: dict[str, int] = {}
    after: dict[str, int] = {}
    kept = [
        (event.work_date, index, event)
        for index, event in enumerate(events)
        if event.action is Action.DONE and event.task_id in counted and event.event_id not in undone
    ]
    for _, _, event in sorted(kept, key=lambda each: each[:2]):
        totals[event.task_id] = totals.get(event.task_id, 0) + (event.count or 1)
        after[event.event_id] = totals[event.task_id]
    return after
