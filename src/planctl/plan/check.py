"""Checks that span the whole plan, as (location, message) pairs; pure, no I/O."""

from __future__ import annotations

from planctl.plan.model import Plan

Loc = tuple[str | int, ...]


def cross_check(plan: Plan) -> list[tuple[Loc, str]]:
    """Duplicate point numbers and task IDs, and task links to points that do not exist."""
    problems: list[tuple[Loc, str]] = []
    points: set[int] = set()
    for s, section in enumerate(plan.sections):
        for p, point in enumerate(section.points):
            if point.number in points:
                loc: Loc = ("sections", s, "points", p, "number")
                problems.append((loc, f"duplicate work point number {point.number}"))
            points.add(point.number)
    ids: dict[str, str] = {}
    for t, task in enumerate(plan.tasks):
        key = task.id.casefold()
        if key in ids:
            problems.append((("tasks", t, "id"), f"duplicate task id {task.id!r}"))
        ids.setdefault(key, task.id)
        for i, number in enumerate(task.points):
            if number not in points:
                problems.append((("tasks", t, "points", i), f"no work point numbered {number}"))
    return problems
