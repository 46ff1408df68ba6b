"""Shell completion: task references (IDs, with titles as help), units and leaders.

The plan is found as the command itself would find it (a `Session` from the options typed so
far). Completion never fails and never writes: where the plan or the store cannot be read, it
offers nothing (or the tasks in plan order)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from planctl.errors import PlanctlError

if TYPE_CHECKING:
    from planctl.cli.session import Session
    from planctl.plan.model import Task


def _session(ctx: Any) -> Session | None:
    """The session the command being typed would have, or None when its plan comes on
    standard input (completion must not read it)."""
    from planctl.cli.session import Session

    params = getattr(ctx, "params", {}) or {}
    plan = params.get("plan") or os.environ.get("PLANCTL_PLAN")
    if plan == "-":
        return None
    return Session(
        plan=plan,
        year=params.get("year"),
        db=params.get("db"),
        today=params.get("today") or os.environ.get("PLANCTL_TODAY"),
        records="optional",
        hint_past=False,
    )


def _tasks(session: Session | None) -> list[Task]:
    if session is None:
        return []
    try:
        return list(session.plan.tasks)
    except PlanctlError:
        return []


def _ids(tasks: list[Task], incomplete: str) -> list[tuple[str, str]]:
    """Only IDs: shells keep the candidates that start with the word typed, so a title
    fragment could never complete to an ID; for the same reason each ID is offered spelt as
    far as typed (`y.` completes to `y.8`), which names the same task, as IDs match in any
    case."""
    wanted = incomplete.casefold()
    return [
        (incomplete + task.id[len(incomplete) :], task.title)
        for task in tasks
        if task.id.casefold().startswith(wanted)
    ]


def complete_task(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Task IDs starting with what was typed so far (any case), each with its title as help."""
    return _ids(_tasks(_session(ctx)), incomplete)


def complete_open_task(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """For `done`: the open tasks first, then the done ones, each group in plan order (the
    store read as the command would; where it cannot be, plan order)."""
    session = _session(ctx)
    tasks = _tasks(session)
    if session is not None and tasks:
        try:
            rows = session.rows
        except PlanctlError:
            rows = {}
        done = {task_id for task_id, row in rows.items() if row.done}
        tasks = [t for t in tasks if t.id not in done] + [t for t in tasks if t.id in done]
    return _ids(tasks, incomplete)


def _names(names: list[str], incomplete: str) -> list[str]:
    wanted = incomplete.casefold()
    return [name for name in names if name.casefold().startswith(wanted)]


def complete_owner(ctx: Any, incomplete: str) -> list[str]:
    """The plan's units (lead and supporting) starting with what was typed."""
    from planctl.plan.refs import plan_owners

    session = _session(ctx)
    try:
        owners = [] if session is None else plan_owners(session.plan)
    except PlanctlError:
        owners = []
    return _names(owners, incomplete)


def complete_leader(ctx: Any, incomplete: str) -> list[str]:
    """The plan's responsible leaders starting with what was typed."""
    from planctl.plan.refs import plan_leaders

    session = _session(ctx)
    try:
        leaders = [] if session is None else plan_leaders(session.plan)
    except PlanctlError:
        leaders = []
    return _names(leaders, incomplete)
