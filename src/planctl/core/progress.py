"""Where each task stands on a given day: done, overdue, blocked, on pace, occurrences missed.

Pure: the plan, the folded states and today in; one `TaskRow` per task out. Which events count
on a past day is decided before the fold (`planctl.core.state.states(events, as_of=today)`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from planctl import frozen
from planctl.core.lights import DEFAULT_SUPERVISION, Light, Supervision, lit, worst_light
from planctl.core.state import OPEN, Completion, Report, TaskState
from planctl.plan.model import Plan, Task
from planctl.rules.calendar import PlanPeriod
from planctl.rules.periods import (
    Occurrence,
    current_occurrence,
    duty_occurrences,
    occurrence_at,
)
from planctl.rules.windows import Window, plan_period, task_window


@frozen
class Pace:
    """A task with a target: the count so far, the target, and the count expected by today."""

    count: int
    target: int
    expected: int

    @property
    def behind(self) -> bool:
        return self.count < min(self.expected, self.target)


@frozen
class Measured:
    """A task with a value target: the target, how it is compared, and the latest value
    reported (None before any) and whether it meets the target."""

    target: int | float
    compare: str
    """at_least, at_most or about."""
    tolerance: Decimal
    """For `about`: how far from the target still meets it (0 for the others)."""
    latest: Report | None
    meets: bool | None
    """None while no value has been reported."""


def number(value: int | float) -> Decimal:
    """A plan's or a report's number as the decimal it was written as (8.1, not
    8.0999999999999996447), so that comparisons at a boundary are exact."""
    return Decimal(repr(value))


def default_tolerance(target: int | float) -> Decimal:
    """`about` without a tolerance: 5% of the target, in the target's unit."""
    return abs(number(target)) * Decimal("0.05")


def tolerance(task: Task) -> Decimal:
    """How far from its target a value still meets it: `tolerance`, else 5% of the target,
    for `compare: about`; 0 for the others."""
    assert task.target is not None
    if task.compare != "about":
        return Decimal(0)
    if task.tolerance is not None:
        return number(task.tolerance)
    return default_tolerance(task.target)


def meets_target(task: Task, value: float) -> bool:
    """Whether a reported value meets the task's value target (以上 / 以下 / 左右)."""
    assert task.target is not None
    got, target = number(value), number(task.target)
    if task.compare == "at_most":
        return got <= target
    if task.compare == "about":
        return abs(got - target) <= tolerance(task)
    return got >= target


def measured(task: Task, state: TaskState) -> Measured:
    """Where a task with a value target stands: its latest reported value against it."""
    assert task.target is not None
    latest = state.measured
    meets = None
    if latest is not None and latest.value is not None:
        meets = meets_target(task, latest.value)
    return Measured(task.target, task.compare or "at_least", tolerance(task), latest, meets)


@frozen
class Rhythm:
    """A recurring duty: its occurrences begun by today, those done, and those missed.

    For `every: as_needed` the occurrences are the times it was done (labelled by their day),
    none is ever missed, and `current` is the whole period."""

    every: str
    """week, month, quarter, half, year, as_needed, or months (a duty with `months:`)."""
    current: Occurrence
    """The occurrence that contains today, or the next one between occurrences."""
    elapsed: tuple[Occurrence, ...]
    done: tuple[Occurrence, ...]
    missed: tuple[Occurrence, ...]
    """Begun, undone, and due before today."""
    total: int


@frozen
class StepCount:
    """A task with steps: how many of its steps are done, of how many (`3/6 steps`), and the
    sum of their counts (what a target on the task counts)."""

    done: int
    total: int
    count: int


@frozen
class TaskRow:
    """A task as it stands on a given day."""

    task: Task
    state: TaskState
    month: int | None
    """For a task with a month: the month it is due in (the plan's, or the one a deferral
    moved it to); None for every other task."""
    done: bool
    completion: Completion | None
    """The completion that makes it done (for a duty: in the current occurrence)."""
    overdue: bool
    """Past its due day and not done; a duty: an occurrence missed. Never with `done`."""
    start: date
    """The first day of its window (a duty: of its current occurrence)."""
    due: date
    """The day it is due by, after a deferral (a duty: its current occurrence's)."""
    due_in_days: int
    """`due` minus today: negative once it has passed."""
    planned_due: date
    """The day the plan gives, before any deferral (a duty: as `due`)."""
    blocked_by: tuple[str, ...] = ()
    """Prerequisites still open (a task is blocked while this is not empty and it is open)."""
    pace: Pace | None = None
    rhythm: Rhythm | None = None
    steps: StepCount | None = None
    """A task with steps: its steps done (its status is theirs, see `roll_up`)."""
    measured: Measured | None = None
    """A task with a value target (measure: value)."""
    light: Light = "green"
    """done, red, yellow, blue, grey or green: see `planctl.core.lights`."""
    behind: bool = False
    """Open, not overdue, and behind where it should be by now (yellow for that reason)."""
    stale: bool = False
    """Open inside its window with no event for `stale_days` (未更新; yellow too)."""

    @property
    def window(self) -> Window:
        return Window(self.start, self.due)

    @property
    def today(self) -> date:
        """The day the row was assessed on."""
        return self.due - timedelta(days=self.due_in_days)


def effective_month(task: Task, state: TaskState, period: PlanPeriod) -> int | None:
    """For a task with a month: that month, or the month a deferral still in force moved its
    due day to. None for other tasks."""
    if task.month is None:
        return None
    return effective_window(task, state, period).due.month


def effective_window(task: Task, state: TaskState, period: PlanPeriod) -> Window:
    """The task's window after a deferral still in force: the deferral moves the due day (and
    the start, if the new due day's month begins before it). Duties are never deferred."""
    window = task_window(task, period)
    if state.deferral is None or task.recurring:
        return window
    due = state.deferral.due(period.year)
    return Window(min(window.start, due.replace(day=1)), due)


def expected_count(target: int, first: date, last: date, today: date) -> int:
    """The count due by `today` if the target is spread evenly over the days of its span."""
    total = (last - first).days + 1
    elapsed = min(max((today - first).days + 1, 0), total)
    return target * elapsed // total


def rhythm(
    task: Task, completions: tuple[Completion, ...], period: PlanPeriod, today: date
) -> Rhythm:
    """The occurrences of a duty begun by `today`, which of them were done (a completion
    counts for the occurrence that contains its work date), and which were missed."""
    every = task.every or "months"
    if every == "as_needed":
        whole = Occurrence(period.start, period.end, str(period), period.end)
        times = tuple(
            Occurrence(c.on, c.on, c.on.isoformat(), c.on) for c in completions if c.on in period
        )
        return Rhythm(every, whole, times, times, (), len(times))
    occurrences = duty_occurrences(task, period)
    done_starts = set()
    for completion in completions:
        found = occurrence_at(occurrences, completion.on)
        if found is not None:
            done_starts.add(found.start)
    elapsed = tuple(o for o in occurrences if o.start <= today)
    return Rhythm(
        every=every,
        current=current_occurrence(occurrences, today),
        elapsed=elapsed,
        done=tuple(o for o in elapsed if o.start in done_starts),
        missed=tuple(o for o in elapsed if o.due < today and o.start not in done_starts),
        total=len(occurrences),
    )


def assess_task(task: Task, state: TaskState, period: PlanPeriod | int, today: date) -> TaskRow:
    """One task on `today`, before prerequisites are considered. `period` is the plan's
    (`planctl.rules.windows.plan_period`); a year stands for 1 January to 31 December."""
    if isinstance(period, int):
        period = PlanPeriod.of_year(period)
    if task.recurring:
        return _assess_duty(task, state, period, today)
    window = effective_window(task, state, period)
    month = window.due.month if task.month is not None else None
    pace = None
    value = None
    done = state.last_completion is not None
    completion = state.last_completion
    if task.measures_value:
        # Open while its window runs; at its end, done if the latest value meets the target
        # (the office may also declare it done).
        value = measured(task, state)
        if not done and today > window.due and value.meets and value.latest is not None:
            done = True
            completion = Completion(value.latest.on, value.latest.by)
    elif task.target is not None:
        target = int(task.target)
        expected = expected_count(target, window.start, window.due, today)
        pace = Pace(state.count, target, expected)
        done = state.count >= target
    return TaskRow(
        task,
        state,
        month,
        done,
        completion if done else None,
        not done and today > window.due,
        window.start,
        window.due,
        (window.due - today).days,
        task_window(task, period).due,
        pace=pace,
        measured=value,
    )


def _assess_duty(task: Task, state: TaskState, period: PlanPeriod, today: date) -> TaskRow:
    beat = rhythm(task, state.completions, period, today)
    current = beat.current
    if beat.every == "as_needed":
        done = bool(beat.done)
        completion = state.last_completion if done else None
    else:
        in_current = [c for c in state.completions if c.on in current]
        done = bool(in_current) and not beat.missed
        completion = in_current[-1] if done else None
    overdue = bool(beat.missed)
    due_in = (current.due - today).days
    return TaskRow(
        task,
        state,
        None,
        done,
        completion,
        overdue,
        current.start,
        current.due,
        due_in,
        current.due,
        rhythm=beat,
    )


def assess(
    plan: Plan,
    states: Mapping[str, TaskState],
    today: date,
    supervision: Supervision = DEFAULT_SUPERVISION,
) -> dict[str, TaskRow]:
    """Every task of the plan on `today`, in plan order, with prerequisites still open, its
    light and whether it is stale (by `supervision`'s settings)."""
    period = plan_period(plan)
    rows = {
        task.id: assess_task(task, states.get(task.id, OPEN), period, today) for task in plan.tasks
    }
    rows = roll_up(rows, today)
    by_key = {task_id.casefold(): task_id for task_id in rows}
    for task_id, row in rows.items():
        open_first = tuple(
            by_key[ref.casefold()]
            for ref in row.task.after
            if ref.casefold() in by_key and not rows[by_key[ref.casefold()]].done
        )
        if open_first:
            row = replace(row, blocked_by=open_first)
        rows[task_id] = lit(row, today, supervision)
    # A task with steps shows the worst of its own light and its steps' (steps of steps first).
    for task_id in reversed(list(rows)):
        row = rows[task_id]
        if row.task.steps:
            lights = [rows[step.id].light for step in row.task.steps if step.id in rows]
            rows[task_id] = replace(row, light=worst_light([row.light, *lights]))
    return rows


def roll_up(rows: dict[str, TaskRow], today: date) -> dict[str, TaskRow]:
    """The rows with each task that has steps taking its status from them (steps of steps
    first): done when every step is done (a recurring step while it is), with the latest
    step's completion; overdue when open after its own due day; with a target, the sum of its
    steps' counts."""
    rolled = dict(rows)
    for task_id in reversed(list(rows)):
        row = rolled[task_id]
        if row.task.steps:
            steps = [rolled[step.id] for step in row.task.steps if step.id in rolled]
            rolled[task_id] = _parent_row(row, steps, today)
    return rolled


def _parent_row(row: TaskRow, steps: list[TaskRow], today: date) -> TaskRow:
    done = bool(steps) and all(step.done for step in steps)
    completions = [step.completion for step in steps if step.completion is not None]
    completion = max(completions, key=lambda c: c.on) if done and completions else None
    count = sum(_step_count(step) for step in steps)
    pace = row.pace
    if pace is not None:
        pace = Pace(count, pace.target, pace.expected)
    # Work recorded on a step is work on its task: the task is stale only when its steps are.
    latest = [day for day in (row.state.last_event, *(s.state.last_event for s in steps)) if day]
    state = replace(row.state, last_event=max(latest)) if latest else row.state
    return replace(
        row,
        state=state,
        done=done,
        completion=completion,
        overdue=not done and today > row.due,
        pace=pace,
        steps=StepCount(sum(step.done for step in steps), len(steps), count),
    )


def _step_count(row: TaskRow) -> int:
    """What a step adds to its task's count: its count toward its target, its own steps'
    counts, or the times it was done."""
    if row.pace is not None:
        return row.pace.count
    if row.steps is not None:
        return row.steps.count
    return row.state.count
