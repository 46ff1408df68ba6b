"""The events a collected return means to record, built from the events already there.

Pure: the plan's tasks, the rows a unit filled (already read and parsed), the history and a
`Stamp` in; events out, through the recording functions every command uses
(`planctl.core.changes`). Idempotent: what the store already says is not recorded again, so
the same return collected twice records nothing, and a corrected one only what changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from planctl import frozen
from planctl.core.changes import done_events, later_due, note_event, progress_event
from planctl.core.events import Action, Event, Stamp
from planctl.core.progress import effective_window
from planctl.core.state import TaskState, fold
from planctl.errors import BadValue
from planctl.plan.model import Checks, Task
from planctl.rules.calendar import PlanPeriod


@frozen
class ReturnedRow:
    """A task row of a return as the unit filled it, parsed."""

    task_id: str
    progress: str = ""
    percent: int | None = None
    value: float | None = None
    count: int | None = None
    done: bool | None = None
    done_on: date | None = None
    defer_to: date | None = None
    defer_reason: str = ""
    remark: str = ""


@frozen
class Look:
    """Why the clerk should look at a row, as data (the CLI words it): `kind` is one of
    "count replaced" (count, counted), "defer asked" (to, reason), "defer late" (asked,
    due), "defer pending" (asked, pending), "defer refused" (asked, refused: the refusal's
    text) or "request" (due, reason)."""

    task_id: str
    kind: str
    facts: Mapping[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class RowOutcome:
    """What a row gives: its new events, and why the clerk should look at it."""

    task_id: str
    events: list[Event] = field(default_factory=list)
    look: list[Look] = field(default_factory=list)


def return_tag(cycle: str, unit: str) -> str:
    """The note a count from a return is recorded with: the unit's return for the cycle."""
    return f"填报 {cycle} {unit}"


def row_events(
    plan_id: str,
    task: Task,
    filled: ReturnedRow,
    history: Sequence[Event],
    period: PlanPeriod,
    *,
    cycle: str,
    unit: str,
    received: date,
    stamp: Stamp,
    checks: Checks | None = None,
) -> RowOutcome:
    """The events one filled row adds to the task's history (none for what it says already):
    a progress report (text, percent, value), a count done, done on the day given, a
    deferral request recorded as a note (listed for the clerk), a remark as a note. Under the
    plan's `checks`, done is a claim (`checks.done`) and the deferral a request
    (`checks.defer`), listed for the clerk to decide."""
    outcome = RowOutcome(task.id)
    state = fold(history)
    notes = {event.note for event in history if event.action is Action.NOTE}
    remark = filled.remark.strip()
    if filled.progress.strip() or filled.percent is not None or filled.value is not None:
        text = filled.progress.strip() or remark or f"{cycle} 填报"
        latest = state.report
        said = latest is not None and (latest.note, latest.percent, latest.value) == (
            text, filled.percent, filled.value,
        )  # fmt: skip
        if not said:
            outcome.events.append(
                progress_event(plan_id, task, text, percent=filled.percent, value=filled.value,
                               on=received, stamp=stamp)
            )  # fmt: skip
        if text == remark:
            remark = ""
    if filled.count is not None and filled.count > 0:
        tag = return_tag(cycle, unit)
        counted = sum(c.count for c in state.completions if _tagged(history, tag, c.on, c.count))
        if counted == 0:
            outcome.events.append(
                stamp.event(plan_id, task.id, Action.DONE, filled.done_on or received,
                            note=tag, count=filled.count)
            )  # fmt: skip
        elif counted != filled.count:
            replaced = {"count": filled.count, "counted": counted}
            outcome.look.append(Look(task.id, "count replaced", replaced))
    claims = checks is not None and checks.done
    if filled.done and not task.counted and state.claim is None:
        new, _already = done_events(
            plan_id, [task], {task.id: history}, period, on=filled.done_on or received,
            stamp=stamp, action=Action.CLAIM if claims else Action.DONE,
        )  # fmt: skip
        outcome.events.extend(new)
    if checks is not None and checks.defer and filled.defer_to is not None:
        outcome.events.extend(_request(plan_id, task, filled, state, period, received, stamp,
                                       outcome.look))  # fmt: skip
    elif filled.defer_to is not None or filled.defer_reason.strip():
        to = filled.defer_to.isoformat() if filled.defer_to is not None else "?"
        text = f"申请延期至 {to}: {filled.defer_reason.strip() or '(未写理由)'}"
        if text not in notes:
            outcome.events.append(note_event(plan_id, task, text, on=received, stamp=stamp))
        asked = {"to": to, "reason": filled.defer_reason.strip()}
        outcome.look.append(Look(task.id, "defer asked", asked))
    if remark and remark not in notes:
        outcome.events.append(note_event(plan_id, task, remark, on=received, stamp=stamp))
    return outcome


def _request(
    plan_id: str,
    task: Task,
    filled: ReturnedRow,
    state: TaskState,
    period: PlanPeriod,
    received: date,
    stamp: Stamp,
    look: list[Look],
) -> list[Event]:
    """A return's 申请延期至 under `checks.defer`: a request, made by the due day (one made
    after it, or one the task cannot take, is left to the clerk), unless the same request
    awaits a decision already or the day asked for is the due day in force."""
    assert filled.defer_to is not None
    asked, reason = filled.defer_to, filled.defer_reason.strip() or "(未写理由)"
    pending = state.request
    if pending is not None and (pending.due, pending.reason) == (asked, reason):
        return []
    current = effective_window(task, state, period).due
    if asked == current and pending is None:
        return []
    if received > current:
        look.append(Look(task.id, "defer late", {"asked": asked, "due": current}))
        return []
    if pending is not None:
        look.append(Look(task.id, "defer pending", {"asked": asked, "pending": pending.due}))
        return []
    try:
        month, due = later_due(task, state, asked.isoformat(), period)
    except BadValue as refused:
        look.append(Look(task.id, "defer refused", {"asked": asked, "refused": str(refused)}))
        return []
    look.append(Look(task.id, "request", {"due": due, "reason": reason}))
    return [
        stamp.event(plan_id, task.id, Action.REQUEST, received, note=reason, to_month=month,
                    to_date=due)
    ]  # fmt: skip


def _tagged(history: Sequence[Event], tag: str, on: date, count: int) -> bool:
    """Whether a completion still in force came from a `done` with the return's tag."""
    undone = {event.undoes for event in history if event.action is Action.UNDO}
    return any(
        event.action is Action.DONE
        and event.note == tag
        and event.work_date == on
        and (event.count or 1) == count
        and event.event_id not in undone
        for event in history
    )


def changed_rows(
    outcomes: Mapping[str, RowOutcome],
) -> tuple[int, int]:
    """How many rows add events, and how many say nothing new."""
    adding = sum(1 for outcome in outcomes.values() if outcome.events)
    return adding, len(outcomes) - adding
