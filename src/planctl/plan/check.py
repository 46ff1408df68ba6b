"""Checks that span the whole plan, as (location, message) pairs; pure, no I/O."""

from __future__ import annotations

from collections.abc import Sequence

from planctl.i18n import _
from planctl.plan.model import Plan, Task
from planctl.plan.refs import fold
from planctl.rules.windows import plan_period, window_problems

LOOKALIKES = str.maketrans(
    # Cyrillic and Greek letters that look like Latin ones (after case folding).
    "авеіјкмнорстухѕԁԛԝүѵαβεηικνορτυχζ",
    "abeijkmhopctyxsdqwyvabenikvoptuxz",
)
"""Letters other scripts share with Latin in looks, mapped to the Latin ones."""

Loc = tuple[str | int, ...]
CheckProblem = tuple[Loc, str] | tuple[Loc, str, Loc]
"""Where the problem is, the message, and where a related node is (its line fills {line})."""


def cross_check(plan: Plan, locs: Sequence[Loc] | None = None) -> list[CheckProblem]:
    """Duplicate point numbers and task IDs, links to points or tasks that do not exist,
    prerequisite cycles, and task windows that do not lie in the plan's period.

    `locs` are where the tasks are in the file (a step's is under its parent's `steps`);
    by default the plan's tasks are the file's, ("tasks", 0), ("tasks", 1), ...."""
    at = list(locs) if locs is not None else [("tasks", t) for t in range(len(plan.tasks))]
    problems: list[CheckProblem] = []
    points: set[int] = set()
    for s, section in enumerate(plan.sections):
        for p, point in enumerate(section.points):
            if point.number in points:
                loc: Loc = ("sections", s, "points", p, "number")
                problems.append(
                    (loc, _("duplicate work point number {number}").format(number=point.number))
                )
            points.add(point.number)
    ids: dict[str, int] = {}
    for t, task in enumerate(plan.tasks):
        key = task.id.casefold()
        if key in ids:
            first = plan.tasks[ids[key]].id
            message = _("duplicate task id {id}").format(id=repr(task.id))
            if first != task.id:
                message = _(
                    "duplicate task id {id} (task ids ignore case: {first} is on line {{line}})"
                ).format(id=repr(task.id), first=repr(first))
            problems.append(((*at[t], "id"), message, (*at[ids[key]], "id")))
        ids.setdefault(key, t)
        for i, number in enumerate(task.points):
            if number not in points:
                problems.append(
                    (
                        (*at[t], "points", i),
                        _("no work point numbered {number}").format(number=number),
                    )
                )
    for t, task in enumerate(plan.tasks):
        for i, wanted in enumerate(task.after):
            if wanted.casefold() not in ids:
                problems.append(
                    (
                        (*at[t], "after", i),
                        _("no task with id {id}").format(id=repr(wanted)),
                    )
                )
    for t, task in enumerate(plan.tasks):
        problems.extend(_role_problems(task, at[t]))
    period = plan_period(plan)
    for t, task in enumerate(plan.tasks):
        for where, message in window_problems(task, period):
            problems.append(((*at[t], *where), message))
    cycle = _find_cycle(plan)
    if cycle:
        index = {task.id: t for t, task in enumerate(plan.tasks)}
        path = " -> ".join([*cycle, cycle[0]])
        problems.append(
            (
                (*at[index[cycle[0]]], "after"),
                _("prerequisite cycle: {path}").format(path=path),
            )
        )
    return problems


def _role_problems(task: Task, loc: Loc) -> list[CheckProblem]:
    """`owners` beside `lead` (it is lead's older spelling), and a unit both leading and
    supporting the same task (compared as `--owner` compares units)."""
    problems: list[CheckProblem] = []
    if "owners" in task.model_fields_set and "lead" in task.model_fields_set:
        message = _("a task has either owners or lead (owners is the older spelling), not both")
        problems.append(((*loc, "lead"), message))
    leads = {fold(unit) for unit in task.leads}
    for i, unit in enumerate(task.support):
        if fold(unit) in leads:
            message = _("{unit} is both a lead and a supporting unit of task {id}").format(
                unit=repr(unit), id=repr(task.id)
            )
            problems.append(((*loc, "support", i), message))
    return problems


def _find_cycle(plan: Plan) -> list[str]:
    """Task IDs forming a cycle of `after` links, in order, or [] when there is none."""
    by_key = {task.id.casefold(): task for task in plan.tasks}
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    for start in plan.tasks:
        if state.get(start.id):
            continue
        path: list[str] = []
        stack = [(start.id, iter(start.after))]
        state[start.id] = 1
        path.append(start.id)
        while stack:
            current, children = stack[-1]
            for child_ref in children:
                child = by_key.get(child_ref.casefold())
                if child is None:
                    continue
                if state.get(child.id) == 1:
                    return path[path.index(child.id) :]
                if not state.get(child.id):
                    state[child.id] = 1
                    path.append(child.id)
                    stack.append((child.id, iter(child.after)))
                    break
            else:
                state[current] = 2
                path.pop()
                stack.pop()
    return []


def lookalike_units(plan: Plan) -> list[tuple[str, str, str, str, str]]:
    """Unit names that differ only by look-alike letters (Latin A, Cyrillic А): the later
    spelling and a task naming it, the first spelling and a task naming it, and the letters
    that differ as `U+0410 for U+0041`. planctl counts them as two units."""
    first: dict[str, tuple[str, str]] = {}
    found: list[tuple[str, str, str, str, str]] = []
    warned: set[str] = set()
    for task in plan.tasks:
        for name in (*task.leads, *task.support):
            skeleton = fold(name).translate(LOOKALIKES)
            seen = first.setdefault(skeleton, (name, task.id))
            if fold(seen[0]) == fold(name) or name in warned:
                continue
            warned.add(name)
            letters = ", ".join(
                f"U+{ord(mine):04X} for U+{ord(theirs):04X}"
                for mine, theirs in zip(name, seen[0], strict=False)
                if mine != theirs
            )
            found.append((name, task.id, seen[0], seen[1], letters))
    return found
