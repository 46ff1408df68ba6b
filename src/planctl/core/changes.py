"""The events a recording command means to append, built from the events already there.

Each recording command is a use case here (`Done`, `Undo`, `Note`, `Defer`, `Progress`; the
review steps and chases in `planctl.core.review_changes`): the
request, checked as it is made, and `change`, which turns a `Situation` (the plan, today, the
work date, the stamp and the history of the tasks it reads, read in the write transaction)
into a `Change`: the events to append, or a domain error. `Session.record` runs it; nothing
here names a command-line option (a `BadRequest` names the part of the request, and the CLI
words it for its option).

`Situation`, `Change` and `UseCase` live in `planctl.core.usecase` and are named here too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from planctl import frozen
from planctl.core.events import Action, Event, Stamp
from planctl.core.progress import TaskRow, assess, effective_window
from planctl.core.request_parts import check_count, check_note, check_percent, measured_value
from planctl.core.state import Completion, TaskState, fold, states, undo_target
from planctl.core.steps import open_steps
from planctl.core.usecase import (
    Change,
    OneTask,
    Situation,
    UseCase,
    none_awaiting,
    steps_below,
)
from planctl.errors import BadRequest, BadValue, NothingToUndo, StepsOpen
from planctl.i18n import _, ngettext
from planctl.plan.model import Task
from planctl.rules.calendar import PlanPeriod, add_years
from planctl.rules.periods import duty_occurrences, occurrence_at
from planctl.rules.windows import deferral_due

__all__ = [
    "Change", "Situation", "UseCase", "check_count", "check_note", "check_percent",
    "measured_value", "steps_below",
]  # fmt: skip


def already_done(task: Task, state: TaskState, on: date, period: PlanPeriod) -> Completion | None:
    """The completion that makes another `done` on `on` pointless, if there is one.

    A task with a target, and an occasional duty, take any number of completions; a recurring
    duty takes one per occurrence (the one containing `on`); any other task takes one."""
    if task.counted or task.every == "as_needed":
        return None
    if task.recurring:
        occurrence = occurrence_at(duty_occurrences(task, period), on)
        if occurrence is None:
            return None
        return next((c for c in reversed(state.completions) if c.on in occurrence), None)
    return state.last_completion


def done_events(
    plan_id: str,
    tasks: Sequence[Task],
    history: Mapping[str, Sequence[Event]],
    period: PlanPeriod,
    *,
    on: date,
    stamp: Stamp,
    note: str | None = None,
    count: int | None = None,
    action: Action = Action.DONE,
) -> tuple[list[Event], list[tuple[Task, Completion]]]:
    """A `done` event (under the plan's `checks.done`, a `claim`) for each task that takes
    one, and the others with what already did it. A task whose claim awaits a check takes
    none until it is accepted or rejected."""
    if count is not None:
        check_count(count)
        without = ", ".join(task.id for task in tasks if not task.counted)
        if without:
            raise BadRequest(
                "count", "no target",
                f"a count is for tasks with a counted target; {without} has none",
                tasks=without,
            )  # fmt: skip
    new: list[Event] = []
    already: list[tuple[Task, Completion]] = []
    for task in tasks:
        state = fold(history.get(task.id, []))
        none_awaiting(task, state, "claim")
        previous = already_done(task, state, on, period)
        if previous is not None:
            already.append((task, previous))
            continue
        new.append(stamp.event(plan_id, task.id, action, on, note=note, count=count))
    return new, already


def done_by_steps(task: Task, rows: Mapping[str, TaskRow]) -> Completion:
    """For `done` of a task with steps (rows assessed with the steps' events, those about to
    be recorded included): the completion that made it done, its last step's. `StepsOpen`
    lists its steps still open: a task with steps is done when they are, never by itself."""
    waiting = open_steps(rows, task.id)
    if waiting:
        raise StepsOpen(
            ngettext(
                "{id} {title} is done when all its steps are; {count} step is still open:",
                "{id} {title} is done when all its steps are; {count} steps are still open:",
                len(waiting),
            ).format(id=task.id, title=task.title, count=len(waiting)),
            [f"  {row.task.id} {row.task.title}" for row in waiting],
        )
    completion = rows[task.id].completion
    assert completion is not None  # every step done, each with its completion
    return completion


CARRY_OVER_MONTHS = 12
"""How far past the plan's period a task may be deferred (carried over, 结转)."""


def defer_event(
    plan_id: str,
    task: Task,
    state: TaskState,
    to: str,
    reason: str,
    period: PlanPeriod,
    *,
    on: date,
    stamp: Stamp,
    action: Action = Action.DEFER,
) -> Event:
    """A deferral of a task's due day to a later one (under the plan's `checks.defer`, a
    request for it): a date, or the last day of a month (`9`, `"2019-03"`), inside the period
    or up to twelve months past its end."""
    if task.recurring:
        raise BadValue(
            _(
                "{id} is a recurring duty: its occurrences cannot be deferred"
                " (record a late occurrence with done --on)"
            ).format(id=task.id)
        )
    if not reason.strip():
        raise BadRequest("reason", "blank", "a deferral needs a reason")
    month, due = later_due(task, state, to, period)
    return stamp.event(plan_id, task.id, action, on, note=reason, to_month=month, to_date=due)


def later_due(task: Task, state: TaskState, to: str, period: PlanPeriod) -> tuple[int | None, date]:
    """The month given (None for a date) and the due day `to` names, later than the task's
    current due day and at most twelve months past the plan's period."""
    due = deferral_due(to.strip(), period, months_past_end=CARRY_OVER_MONTHS)
    limit = add_years(period.end, CARRY_OVER_MONTHS // 12)
    current = effective_window(task, state, period).due
    if not current < due <= limit:
        raise BadValue(
            _(
                "{id} is due on {current}; defer it to a later day, up to {limit}"
                " (twelve months past the plan's period), not {due}"
            ).format(id=task.id, current=current, limit=limit, due=due)
        )
    month = None if "-" in to.strip() and len(to.strip()) == 10 else due.month
    return month, due


def undo_event(
    plan_id: str, task: Task, history: Sequence[Event], *, on: date, stamp: Stamp
) -> tuple[Event, Event]:
    """The event that reverses the task's latest change still in force, and that change."""
    target = undo_target(history)
    if target is None:
        raise NothingToUndo(
            _("nothing to undo for {id} {title}").format(id=task.id, title=task.title)
        )
    return stamp.event(plan_id, task.id, Action.UNDO, on, undoes=target.event_id), target


def note_event(plan_id: str, task: Task, text: str, *, on: date, stamp: Stamp) -> Event:
    """A note on a task."""
    return stamp.event(plan_id, task.id, Action.NOTE, on, note=text)


def progress_event(
    plan_id: str,
    task: Task,
    note: str,
    *,
    percent: int | None,
    value: float | None,
    on: date,
    stamp: Stamp,
) -> Event:
    """A progress report (进度填报) on a task: it never marks the task done."""
    if not note.strip():
        raise BadRequest("note", "blank", "a progress report needs a note: what was done so far")
    if percent is not None:
        check_percent(percent)
    if percent is not None and task.target is not None:
        # Views judge such a task by its count or its value: a percent beside it would be
        # shown as a second, contradicting measure.
        target = _target_text(task.target, task.unit)
        if task.measures_value:
            raise BadRequest(
                "percent", "value target",
                f"a percent is not for {task.id}: its value is measured against its target"
                f" ({target})",
                task=task.id, target=target,
            )  # fmt: skip
        raise BadRequest(
            "percent", "counted target",
            f"a percent is not for {task.id}: it counts toward its target ({target})",
            task=task.id, target=target,
        )  # fmt: skip
    if value is not None and not task.measures_value:
        raise BadRequest(
            "value", "no target",
            f"a value is for tasks with a value target (measure: value); {task.id} has none",
            task=task.id,
        )  # fmt: skip
    return stamp.event(
        plan_id, task.id, Action.PROGRESS, on, note=note, percent=percent, value=value
    )


def _target_text(target: float, unit: str | None) -> str:
    """A target as written in a message: `6次`, `8%`, `12 tenders`."""
    number = str(int(target)) if float(target).is_integer() else f"{target:g}"
    if not unit:
        return number
    return f"{number} {unit}" if unit[0].isascii() and unit[0].isalpha() else number + unit


# The use cases.


@frozen(slots=False)
class Done:
    """`done`: each task recorded as done on the work date (with a count, for tasks with a
    target), except those already done; a task with steps is done when they are."""

    tasks: Sequence[Task]
    note: str | None = None
    count: int | None = None

    def __post_init__(self) -> None:
        if self.count is not None:
            check_count(self.count)
            parents = [task for task in self.tasks if task.steps]
            if parents:
                raise BadRequest(
                    "count", "on steps",
                    f"a count goes on a step: {parents[0].id} counts what its steps count",
                    task=parents[0].id,
                )  # fmt: skip

    def reads(self) -> list[str]:
        return [task.id for task in self.tasks] + steps_below(self.tasks)

    def change(self, situation: Situation) -> Change:
        leaves = [task for task in self.tasks if not task.steps]
        parents = [task for task in self.tasks if task.steps]
        checks = situation.plan.checks
        new, already = done_events(
            situation.plan.id, leaves, situation.history, situation.period,
            on=situation.on, stamp=situation.stamp, note=self.note, count=self.count,
            action=Action.CLAIM if checks is not None and checks.done else Action.DONE,
        )  # fmt: skip
        if parents:
            # Steps recorded by this same request count: `done 3.1 3.2 3` is allowed.
            recorded = [event for events in situation.history.values() for event in events]
            by_steps = assess(situation.plan, states([*recorded, *new]), situation.today)
            already += [(task, done_by_steps(task, by_steps)) for task in parents]
        return Change(new, already)


@frozen(slots=False)
class Undo(OneTask):
    """`undo`: the task's latest change still in force, reversed by a new event."""

    def change(self, situation: Situation) -> Change:
        event, target = undo_event(
            situation.plan.id, self.task, situation.events(self.task.id),
            on=situation.on, stamp=situation.stamp,
        )  # fmt: skip
        return Change([event], undone=target)


@frozen(slots=False)
class Note(OneTask):
    """`note`: a note kept with a task."""

    text: str

    def __post_init__(self) -> None:
        check_note(self.text)

    def change(self, situation: Situation) -> Change:
        return Change(
            [note_event(situation.plan.id, self.task, self.text, on=situation.on,
                        stamp=situation.stamp)]
        )  # fmt: skip


@frozen(slots=False)
class Defer(OneTask):
    """`defer`: the task's due day moved to a later one (`to` as written). Under the plan's
    `checks.defer`, a request for it (延期申请), made by the current due day unless `late`."""

    to: str
    reason: str
    late: bool = False

    def change(self, situation: Situation) -> Change:
        task, state = self.task, situation.state(self.task.id)
        checks = situation.plan.checks
        asks = checks is not None and checks.defer
        none_awaiting(task, state, "request")
        if asks and not self.late:
            current = effective_window(task, state, situation.period).due
            if situation.on > current:
                raise BadRequest(
                    "late", "after due",
                    f"{task.id} was due on {current}: a request for a later day comes before"
                    " it (give late to ask after it)",
                    task=task.id, due=current.isoformat(),
                )  # fmt: skip
        return Change(
            [defer_event(
                situation.plan.id, task, state, self.to, self.reason, situation.period,
                on=situation.on, stamp=situation.stamp,
                action=Action.REQUEST if asks else Action.DEFER,
            )]
        )  # fmt: skip


@frozen(slots=False)
class Progress(OneTask):
    """`progress`: a progress report (进度填报), with a percent or a measured value."""

    note: str
    percent: int | None = None
    value: float | None = None

    def change(self, situation: Situation) -> Change:
        return Change(
            [progress_event(
                situation.plan.id, self.task, self.note, percent=self.percent,
                value=self.value, on=situation.on, stamp=situation.stamp,
            )]
        )  # fmt: skip
