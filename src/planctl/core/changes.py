"""The events a recording command means to append, built from the events already there."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from planctl.core.events import Action, Event, Stamp
from planctl.core.progress import TaskRow, effective_window
from planctl.core.state import Completion, TaskState, fold, undo_target
from planctl.core.steps import open_steps
from planctl.errors import BadValue, NothingToUndo, StepsOpen
from planctl.i18n import _, ngettext
from planctl.plan.model import Task
from planctl.rules.calendar import PlanPeriod, add_years
from planctl.rules.periods import duty_occurrences, occurrence_at
from planctl.rules.windows import deferral_due


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
) -> tuple[list[Event], list[tuple[Task, Completion]]]:
    """A `done` event for each task that takes one, and the others with what already did it."""
    if count is not None:
        if count < 1:
            raise BadValue(_("--count must be 1 or more, not {count}").format(count=count))
        without = [task.id for task in tasks if not task.counted]
        if without:
            raise BadValue(
                _("--count is for tasks with a counted target; {tasks} has none").format(
                    tasks=", ".join(without)
                )
            )
    new: list[Event] = []
    already: list[tuple[Task, Completion]] = []
    for task in tasks:
        previous = already_done(task, fold(history.get(task.id, [])), on, period)
        if previous is not None:
            already.append((task, previous))
            continue
        new.append(stamp.event(plan_id, task.id, Action.DONE, on, note=note, count=count))
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
) -> Event:
    """A deferral of a task's due day to a later one: a date, or the last day of a month
    (`9`, `"2019-03"`), inside the period or up to twelve months past its end."""
    if task.recurring:
        raise BadValue(
            _(
                "{id} is a recurring duty: its occurrences cannot be deferred"
                " (record a late occurrence with done --on)"
            ).format(id=task.id)
        )
    if not reason.strip():
        raise BadValue(_("a deferral needs a reason (--reason)"))
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
    return stamp.event(plan_id, task.id, Action.DEFER, on, note=reason, to_month=month, to_date=due)


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
        raise BadValue(_("a progress report needs a note (--note): what was done so far"))
    if percent is not None and not 0 <= percent <= 100:
        raise BadValue(_("--percent must be 0 to 100, not {percent}").format(percent=percent))
    if percent is not None and task.target is not None:
        # Views judge such a task by its count or its value: a percent beside it would be
        # shown as a second, contradicting measure.
        target = _target_text(task.target, task.unit)
        if task.measures_value:
            raise BadValue(
                _(
                    "--percent is not for {id}: its value is measured against its target"
                    " ({target}); give --value"
                ).format(id=task.id, target=target)
            )
        raise BadValue(
            _(
                "--percent is not for {id}: it counts toward its target ({target});"
                " give --count to done"
            ).format(id=task.id, target=target)
        )
    if value is not None and not task.measures_value:
        raise BadValue(
            _("--value is for tasks with a value target (measure: value); {id} has none").format(
                id=task.id
            )
        )
    return stamp.event(
        plan_id, task.id, Action.PROGRESS, on, note=note, percent=percent, value=value
    )


def _target_text(target: float, unit: str | None) -> str:
    """A target as written in a message: `6次`, `8%`, `12 tenders`."""
    number = str(int(target)) if float(target).is_integer() else f"{target:g}"
    if not unit:
        return number
    return f"{number} {unit}" if unit[0].isascii() and unit[0].isalpha() else number + unit
