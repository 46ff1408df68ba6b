"""Shell completion of task references: IDs, with titles as help."""

from __future__ import annotations

import os
from typing import Any

from planctl.errors import PlanctlError


def complete_task(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Task IDs starting with what was typed so far (any case), each with its title as help.

    The plan is found as the command itself would find it (a `Session` from the options typed
    so far). Only IDs: shells keep the candidates that start with the word typed, so a title
    fragment could never complete to an ID; for the same reason each ID is offered spelt as
    far as typed (`y.` completes to `y.8`), which names the same task, as IDs match in any
    case."""
    from planctl.cli.session import Session

    params = getattr(ctx, "params", {}) or {}
    plan = params.get("plan") or os.environ.get("PLANCTL_PLAN")
    if plan == "-":
        return []  # the plan comes on standard input: completion must not read it
    session = Session(
        plan=plan,
        year=params.get("year"),
        today=params.get("today") or os.environ.get("PLANCTL_TODAY"),
        hint_past=False,
    )
    try:
        tasks = session.plan.tasks
    except PlanctlError:
        return []
    wanted = incomplete.casefold()
    return [
        (incomplete + task.id[len(incomplete) :], task.title)
        for task in tasks
        if task.id.casefold().startswith(wanted)
    ]
