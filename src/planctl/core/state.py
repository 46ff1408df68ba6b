"""How a task's events fold into what has been recorded for it.

The fold knows nothing of the plan: it gathers the completions, the latest note and the
deferral still in force. Whether that makes the task done (a target reached, this week's duty
done) is decided in `planctl.core.progress`, which knows the task and today's date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter

from planctl import frozen
from planctl.core.events import KINDS, Action, Event
from planctl.rules.calendar import month_end


@frozen
class Completion:
    """One `done` still in force: when the work happened, who did it, how much it counts."""

    on: date
    by: str
    count: int = 1


@frozen
class Deferral:
    """A `defer` still in force: where the task moved to, and why.

    `to_date` is the new due day; `to_month` the month given on the command line, when one
    was. A deferral recorded before due days existed has only `to_month`."""

    to_month: int | None
    reason: str | None
    on: date
    by: str
    to_date: date | None = None

    def due(self, year: int) -> date:
        """The new due day; for a deferral with only a month, its last day in `year` (the
        plan's year)."""
        if self.to_date is not None:
            return self.to_date
        assert self.to_month is not None
        return month_end(year, self.to_month)


@frozen
class Report:
    """A progress report (进度填报) still in force: when, who, how far, what was measured."""

    on: date
    by: str
    percent: int | None
    value: float | None
    note: str | None


@frozen
class Claim:
    """A claim awaiting a check (待审核): the day the work was done, who claims it."""

    on: date
    by: str
    count: int = 1
    note: str | None = None


@frozen
class Request:
    """A request for a later due day awaiting a decision (延期申请): the day asked for, why,
    when and by whom it was asked."""

    due: date
    reason: str | None
    on: date
    by: str
    to_month: int | None = None


@frozen
class Chased:
    """A chase (催办) still in force: when, by whom, how, and the note."""

    on: date
    by: str
    how: str | None
    note: str | None = None


@frozen
class Rejection:
    """The latest claim or request sent back (退回), while none of its kind has been made
    since: why, when, by whom, and what it decided (`claim` or `request`)."""

    reason: str | None
    on: date
    by: str
    of: str = "claim"


@frozen
class TaskState:
    """What a task's events still in force add up to."""

    completions: tuple[Completion, ...] = ()
    note: str | None = None
    deferral: Deferral | None = None
    reports: tuple[Report, ...] = ()
    """Progress reports, in recorded order (`in_recorded_order`)."""
    claim: Claim | None = None
    """A claim awaiting a check (the plan's `checks.done`)."""
    rejection: Rejection | None = None
    """The latest claim or request sent back, while none of its kind has been made since."""
    request: Request | None = None
    """A request for a later due day awaiting a decision (the plan's `checks.defer`)."""
    chases: tuple[Chased, ...] = ()
    """The chases (催办) still in force, in recorded order."""
    last_event: date | None = field(default=None, compare=False)
    """The latest work date of any of its events, an undo too (for stale tasks). Not part
    of equality: two states that hold the same work are the same state, however reached."""

    @property
    def report(self) -> Report | None:
        """The latest progress report (by work date; among one day's, the last recorded)."""
        if not self.reports:
            return None
        return max(enumerate(self.reports), key=lambda pair: (pair[1].on, pair[0]))[1]

    @property
    def measured(self) -> Report | None:
        """The latest progress report that carries a value."""
        valued = [(r.on, i, r) for i, r in enumerate(self.reports) if r.value is not None]
        return max(valued)[2] if valued else None

    @property
    def count(self) -> int:
        """The sum of the completions' counts."""
        return sum(completion.count for completion in self.completions)

    @property
    def last_completion(self) -> Completion | None:
        return self.completions[-1] if self.completions else None


OPEN = TaskState()


def effective(events: Sequence[Event]) -> list[Event]:
    """The events still in force: undo events and the events they reversed drop out."""
    reversed_ids = {event.undoes for event in events if event.action is Action.UNDO}
    if not reversed_ids:
        return list(events)
    return [
        event
        for event in events
        if event.action is not Action.UNDO and event.event_id not in reversed_ids
    ]


def in_recorded_order(events: Iterable[Event]) -> list[Event]:
    """Events in the order the fold reads them: by recorded time, then event ID. Not the order
    a store received them (`seq`): two stores that merged the same offices' exports in either
    order hold the same events and read them the same way. Not by work date first: in one
    store that would change what a back-filled `done --on` or note means (the latest recorded
    is the one in force, as before; tests/test_properties.py holds the fold to that)."""
    return sorted(events, key=_recorded_order)


_recorded_order: Callable[[Event], tuple[datetime, str]] = attrgetter("recorded_at", "event_id")


@dataclass(slots=True)
class Folding:
    """What a task's events add up to so far, as the fold reads them one by one."""

    completions: list[Completion] = field(default_factory=list)
    note: str | None = None
    deferral: Deferral | None = None
    reports: list[Report] = field(default_factory=list)
    claim: Claim | None = None
    request: Request | None = None
    rejection: Rejection | None = None
    chases: list[Chased] = field(default_factory=list)
    latest: str = "claim"
    """Which was asked last, of a claim and a request both pending."""

    def noted(self, event: Event) -> None:
        """The event's note, if it has one, becomes the task's."""
        if event.note:
            self.note = event.note


Step = Callable[[Folding, Event], None]
"""What one event (of a kind whose `Kind.changes_state`) does to the state folded so far."""


def _done(state: Folding, event: Event) -> None:
    state.completions.append(Completion(event.work_date, event.recorded_by, event.count or 1))
    state.noted(event)


def _note(state: Folding, event: Event) -> None:
    state.noted(event)


def _defer(state: Folding, event: Event) -> None:
    if (event.to_month, event.to_date) != (None, None):
        state.deferral = Deferral(
            event.to_month, event.note, event.work_date, event.recorded_by, event.to_date
        )
    else:
        state.noted(event)


def _progress(state: Folding, event: Event) -> None:
    state.reports.append(
        Report(event.work_date, event.recorded_by, event.percent, event.value, event.note)
    )
    state.noted(event)


def _claim(state: Folding, event: Event) -> None:
    state.claim = Claim(event.work_date, event.recorded_by, event.count or 1, event.note)
    state.latest = "claim"
    if state.rejection is not None and state.rejection.of == "claim":
        state.rejection = None
    state.noted(event)


def _accept(state: Folding, event: Event) -> None:
    if state.claim is not None:
        claim = state.claim
        state.completions.append(Completion(claim.on, claim.by, claim.count))
        state.claim = None
    state.noted(event)


def _request(state: Folding, event: Event) -> None:
    if event.to_date is None:
        state.noted(event)
        return
    state.request = Request(event.to_date, event.note, event.work_date, event.recorded_by,
                            event.to_month)  # fmt: skip
    state.latest = "request"
    if state.rejection is not None and state.rejection.of == "request":
        state.rejection = None
    # its reason is the request's, not the task's note


def _approve(state: Folding, event: Event) -> None:
    if state.request is not None:
        state.deferral = Deferral(event.to_month, state.request.reason, event.work_date,
                                  event.recorded_by, event.to_date)  # fmt: skip
        state.request = None


def _reject(state: Folding, event: Event) -> None:
    # Of a claim and a request both pending, the one made last is decided; its reason is the
    # rejection's, not the task's note.
    latest = state.latest
    other = "request" if latest == "claim" else "claim"
    decided = latest if {"claim": state.claim, "request": state.request}[latest] else other
    if decided == "claim" and state.claim is not None:
        state.rejection = Rejection(event.note, event.work_date, event.recorded_by)
        state.claim = None
    elif decided == "request" and state.request is not None:
        state.rejection = Rejection(event.note, event.work_date, event.recorded_by, "request")
        state.request = None


def _chase(state: Folding, event: Event) -> None:
    # its note is the chase's, not the task's
    state.chases.append(Chased(event.work_date, event.recorded_by, event.how, event.note))


STEPS: Mapping[Action, Step] = {
    Action.DONE: _done,
    Action.NOTE: _note,
    Action.DEFER: _defer,
    Action.PROGRESS: _progress,
    Action.CLAIM: _claim,
    Action.ACCEPT: _accept,
    Action.REJECT: _reject,
    Action.REQUEST: _request,
    Action.APPROVE: _approve,
    Action.CHASE: _chase,
}
"""The fold's step of each kind that changes a task's state (`Kind.changes_state`); the
others (an undo, a rename) change which events count, not what they add up to."""


_WORK = frozenset(action for action, kind in KINDS.items() if kind.is_work)


def fold(events: Sequence[Event]) -> TaskState:
    """The state of one task from its events, in any order (read `in_recorded_order`)."""
    state = Folding()
    for event in in_recorded_order(effective(events)):
        step = STEPS.get(event.action)
        if step is not None:
            step(state, event)
    last = max((event.work_date for event in events if event.action in _WORK), default=None)
    return TaskState(
        tuple(state.completions), state.note, state.deferral, tuple(state.reports), state.claim,
        state.rejection, state.request, tuple(state.chases), last,
    )  # fmt: skip


def undo_target(events: Sequence[Event]) -> Event | None:
    """The latest change still in force, which `undo` reverses; None when there is none.

    The latest recorded (by recorded time, then event ID), whatever its work date and
    whatever order a store received it in."""
    return max(effective(events), key=_recorded_order, default=None)


def by_task(events: Iterable[Event]) -> dict[str, list[Event]]:
    """Events grouped by task ID, each group in the order given."""
    groups: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        groups[event.task_id].append(event)
    return dict(groups)


def events_as_of(events: Iterable[Event], day: date) -> list[Event]:
    """The events that count at the end of `day`: those whose work happened by then.

    Every event counts from its own work date, an undo too: the state on a past day is what
    the record said of that day then, plus work back-filled with a date on or before it.
    (`undo --on DATE` dates a correction to the day it corrects.)"""
    return [event for event in events if event.work_date <= day]


def states(events: Iterable[Event], *, as_of: date | None = None) -> dict[str, TaskState]:
    """Every task's state (at the end of day `as_of`, when given: events whose work date is
    later do not count); tasks without events are absent (read them as `OPEN`)."""
    if as_of is not None:
        events = events_as_of(events, as_of)
    return {task_id: fold(group) for task_id, group in by_task(events).items()}
