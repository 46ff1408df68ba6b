"""Steps as the loaded plan holds them: every step a task of its own in `plan.tasks`.

A plan file nests steps in their task (`steps:`, two levels at most). The loader flattens
them, parent first, so that every command sees a step as a task: each step gets its parent's
ID in `parent` and, unless it sets them itself, its parent's lead (or owners), support,
leader, points and window; a step with a due day and no start starts when its parent does.
A parent's `steps` holds its steps as loaded. Pure; problems come back as (location, message)
pairs for the loader to place at PATH:LINE:COLUMN.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from planctl.plan.model import Plan, Task
from planctl.plan.types import WINDOW_KEYS
from planctl.rules.windows import Window, plan_period, task_window, window_problems

Loc = tuple[str | int, ...]

MAX_DEPTH = 2
"""Steps go two levels below a top-level task: steps, and steps of a step."""

ROLE_KEYS = ("support", "leader", "points")
"""Keys a step inherits one by one (lead and owners go together: one is the other's older
spelling)."""

WINDOW_FIELDS = ("month", "quarter", "due", "start", "year_round")
"""What a step takes from its parent when it gives no window of its own (a parent with steps
never recurs)."""


def flatten(plan: Plan) -> tuple[list[Task], list[Loc], list[tuple[Loc, str]]]:
    """Every task and step in plan order (each parent before its steps), the location of each
    in the file, and the problems of the structure: steps nested too deep, a parent that
    recurs. Steps carry what they inherit, except the start (see `settle`)."""
    tasks: list[Task] = []
    locs: list[Loc] = []
    problems: list[tuple[Loc, str]] = []
    for t, task in enumerate(plan.tasks):
        for loc, effective in _walk(task, ("tasks", t), None, 0, problems):
            tasks.append(effective)
            locs.append(loc)
    return tasks, locs, problems


def assembled(plan: Plan) -> Plan:
    """The plan as the loader gives it (steps flattened into its tasks and settled), for a
    plan built in code that is already known to be sound: problems are not reported."""
    tasks, locs, _ = flatten(plan)
    plan = plan.model_copy(update={"tasks": tasks})
    return plan.model_copy(update={"tasks": settle(tasks, locs, plan)[0]})


def _walk(
    task: Task, loc: Loc, parent: Task | None, depth: int, problems: list[tuple[Loc, str]]
) -> Iterator[tuple[Loc, Task]]:
    effective = task if parent is None else inherit(task, parent)
    if task.steps and depth == MAX_DEPTH:
        message = (
            f"steps go {MAX_DEPTH} levels below a task: {task.id!r} is a step of a step"
            " and cannot have steps of its own"
        )
        problems.append(((*loc, "steps"), message))
        yield loc, effective.model_copy(update={"steps": []})
        return
    if task.steps and task.recurring:
        key = "every" if task.every is not None else "months"
        message = f"task {task.id!r} has steps and cannot recur: give {key} to its steps"
        problems.append(((*loc, key), message))
    yield loc, effective
    for s, step in enumerate(task.steps):
        yield from _walk(step, (*loc, "steps", s), effective, depth + 1, problems)


def inherit(step: Task, parent: Task) -> Task:
    """The step with each key it leaves out taken from its parent, and `parent` set."""
    given = step.model_fields_set
    update: dict[str, Any] = {"parent": parent.id}
    if not {"lead", "owners"} & given:
        update.update({key: getattr(parent, key) for key in ("lead", "owners")
                       if key in parent.model_fields_set})  # fmt: skip
    for key in ROLE_KEYS:
        if key not in given and key in parent.model_fields_set:
            update[key] = getattr(parent, key)
    if not any(getattr(step, key) not in (None, False) for key in WINDOW_KEYS):
        update.update({key: getattr(parent, key) for key in WINDOW_FIELDS
                       if key in parent.model_fields_set})  # fmt: skip
    return step.model_copy(update=update)


def settle(
    tasks: list[Task], locs: list[Loc], plan: Plan
) -> tuple[list[Task], list[tuple[Loc, str]]]:
    """Steps with their start defaulted to their parent's, each checked to lie in its parent's
    window, and each parent's `steps` holding its steps as loaded. Expects windows that passed
    `window_problems` (the loader's cross-check)."""
    period = plan_period(plan)
    settled: dict[str, Task] = {}
    windows: dict[str, Window] = {}
    problems: list[tuple[Loc, str]] = []
    for task, loc in zip(tasks, locs, strict=True):
        if task.parent is not None and "start" not in task.model_fields_set:
            parent_start = windows[task.parent].start
            if task.due is not None and not task.recurring:
                own = task_window(task, period)
                if own.start < parent_start <= own.due:
                    task = task.model_copy(update={"start": parent_start})
        window = task_window(task, period)
        if task.parent is not None and not window_problems(task, period):
            outer = windows[task.parent]
            if not (outer.start <= window.start and window.due <= outer.due):
                key = _window_key(task)
                message = (
                    f"step {task.id!r} has the window {_days(window)}, which is not inside"
                    f" the window of its task {task.parent!r}, {_days(outer)}"
                )
                problems.append(((*loc, key) if key else loc, message))
        settled[task.id] = task
        windows[task.id] = window
    # Parents come before their steps: rebuild from the last, so a step that has steps of its
    # own is complete before its parent takes it.
    for task in reversed(list(settled.values())):
        if task.steps:
            steps = [settled[step.id] for step in task.steps]
            settled[task.id] = task.model_copy(update={"steps": steps})
    return [settled[task.id] for task in tasks], problems


def _window_key(task: Task) -> str | None:
    """The key in the file that gives the step its window; None when it inherits it."""
    for key in ("month", "quarter", "due", "every", "months", "year_round"):
        if key in task.model_fields_set and getattr(task, key) not in (None, False):
            return key
    return None


def _days(window: Window) -> str:
    return f"{window.start} to {window.due}"
