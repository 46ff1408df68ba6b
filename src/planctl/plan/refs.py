"""Task references: an ID (any case) or a unique part of a title (NFKC, white space ignored)."""

from __future__ import annotations

import unicodedata

from planctl.errors import AmbiguousTask, UnknownLeader, UnknownOwner, UnknownTask
from planctl.i18n import _
from planctl.plan.model import Plan, Task


def fold(text: str) -> str:
    """Text as references compare it: NFKC, case-folded, without white space."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def resolve_task(plan: Plan, reference: str) -> Task:
    """The one task `reference` names, or `UnknownTask` / `AmbiguousTask`."""
    wanted = fold(reference)
    if not wanted:
        raise UnknownTask(_("an empty task reference matches nothing"))
    for task in plan.tasks:
        if task.id.casefold() == wanted:
            return task
    matches = [task for task in plan.tasks if wanted in fold(task.title)]
    exact = [task for task in matches if fold(task.title) == wanted]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0]
    if not matches:
        raise UnknownTask(
            _("no task matches {reference} in {plan}").format(
                reference=repr(reference), plan=plan.id
            ),
            _closest(plan, wanted),
        )
    raise AmbiguousTask(
        _("{reference} matches {count} tasks:").format(
            reference=repr(reference), count=len(matches)
        ),
        _listed(matches),
    )


LISTED = 10
"""Candidates an error lists before it only counts the rest."""


def _listed(tasks: list[Task]) -> list[str]:
    lines = [f"  {task.id} {task.title}" for task in tasks[:LISTED]]
    if len(tasks) > LISTED:
        lines.append("  " + _("... and {count} more").format(count=len(tasks) - LISTED))
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
    return [_("did you mean:"), *_listed(near[:5])]


def resolve_tasks(plan: Plan, references: list[str]) -> list[Task]:
    """Each reference resolved, in order, without repeats."""
    tasks: dict[str, Task] = {}
    for reference in references:
        task = resolve_task(plan, reference)
        tasks.setdefault(task.id, task)
    return list(tasks.values())


def _distinct(names: list[str]) -> list[str]:
    """The names, each once (the first spelling of those that fold alike), sorted."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(fold(name), name)
    return sorted(seen.values())


def plan_owners(plan: Plan) -> list[str]:
    """Every unit the plan names as leading (`lead`, `owners`) or supporting a task, sorted."""
    return _distinct([unit for task in plan.tasks for unit in (*task.leads, *task.support)])


def plan_leaders(plan: Plan) -> list[str]:
    """Every responsible leader the plan names, sorted."""
    return _distinct([name for task in plan.tasks for name in task.leader])


def _resolve(names: list[str], reference: str) -> str | None:
    wanted = fold(reference)
    return next((name for name in names if fold(name) == wanted), None)


def resolve_owner(plan: Plan, reference: str) -> str:
    """The unit of the plan that `reference` names (compared after NFKC, case and white space
    ignored), as the plan spells it; or `UnknownOwner` listing the plan's units.

    Only the whole name: an owner filter that quietly picked a unit from part of a name would
    hand a digest to the wrong office, and one that matched nothing would send an empty one."""
    owners = plan_owners(plan)
    found = _resolve(owners, reference)
    if found is not None:
        return found
    listed = ", ".join(owners) if owners else "none: no task names an owner"
    raise UnknownOwner(
        _("unknown owner {reference} in {plan} (owners: {owners})").format(
            reference=repr(reference), plan=plan.id, owners=listed
        )
    )


def resolve_leader(plan: Plan, reference: str) -> str:
    """The responsible leader of the plan that `reference` names (compared as units are);
    or `UnknownLeader` listing the plan's leaders."""
    leaders = plan_leaders(plan)
    found = _resolve(leaders, reference)
    if found is not None:
        return found
    listed = ", ".join(leaders) if leaders else "none: no task names a leader"
    raise UnknownLeader(
        _("unknown leader {reference} in {plan} (leaders: {leaders})").format(
            reference=repr(reference), plan=plan.id, leaders=listed
        )
    )
