"""Task references: an ID (any case) or a unique part of a title (NFKC, white space ignored)."""

from __future__ import annotations

import unicodedata

from planctl.errors import AmbiguousTask, UnknownOwner, UnknownTask
from planctl.plan.model import Plan, Task


def fold(text: str) -> str:
    """Text as references compare it: NFKC, case-folded, without white space."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def resolve_task(plan: Plan, reference: str) -> Task:
    """The one task `reference` names, or `UnknownTask` / `AmbiguousTask`."""
    wanted = fold(reference)
    if not wanted:
        raise UnknownTask("an empty task reference matches nothing")
    for task in plan.tasks:
        if task.id.casefold() == wanted:
            return task
    matches = [task for task in plan.tasks if wanted in fold(task.title)]
    exact = [task for task in matches if fold(task.title) == wanted]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0]
    if not matches:
        raise UnknownTask(f"no task matches {reference!r} in {plan.id}", _closest(plan, wanted))
    raise AmbiguousTask(f"{reference!r} matches {len(matches)} tasks:", _listed(matches))


LISTED = 10
"""Candidates an error lists before it only counts the rest."""


def _listed(tasks: list[Task]) -> list[str]:
    lines = [f"  {task.id} {task.title}" for task in tasks[:LISTED]]
    if len(tasks) > LISTED:
        lines.append(f"  ... and {len(tasks) - LISTED} more")
    return lines


def _closest(plan: Plan, wanted: str) -> list[str]:
    """The tasks whose ID, or title, is closest to a reference that matched nothing."""
    import difflib

    by_id = {task.id.casefold(): task for task in plan.tasks}
    by_title = {fold(task.title): task for task in plan.tasks}
    near = [by_id[key] for key in difflib.get_close_matches(wanted, by_id, n=3, cutoff=0.5)]
    near += [
        by_title[key]
        for key in difflib.get_close_matches(wanted, by_title, n=3, cutoff=0.4)
        if by_title[key] not in near
    ]
    if not near:
        return []
    return ["did you mean:", *_listed(near[:5])]


def resolve_tasks(plan: Plan, references: list[str]) -> list[Task]:
    """Each reference resolved, in order, without repeats."""
    tasks: dict[str, Task] = {}
    for reference in references:
        task = resolve_task(plan, reference)
        tasks.setdefault(task.id, task)
    return list(tasks.values())


def plan_owners(plan: Plan) -> list[str]:
    """Every unit named as an owner of a task, sorted."""
    return sorted({owner for task in plan.tasks for owner in task.owners})


def resolve_owner(plan: Plan, reference: str) -> str:
    """The unit of the plan that `reference` names (compared after NFKC, case and white space
    ignored), as the plan spells it; or `UnknownOwner` listing the plan's units.

    Only the whole name: an owner filter that quietly picked a unit from part of a name would
    hand a digest to the wrong office, and one that matched nothing would send an empty one."""
    owners = plan_owners(plan)
    wanted = fold(reference)
    for owner in owners:
        if fold(owner) == wanted:
            return owner
    listed = ", ".join(owners) if owners else "none: no task names an owner"
    raise UnknownOwner(f"unknown owner {reference!r} in {plan.id} (owners: {listed})")
