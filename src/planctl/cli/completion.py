"""Shell completion of task references: IDs, with titles as help."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from planctl.errors import PlanctlError


def complete_task(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Task IDs starting with what was typed so far (any case), each with its title as help.

    Only IDs: shells keep the candidates that start with the word typed, so a title fragment
    could never complete to an ID anyway."""
    from planctl import settings
    from planctl.plan.load import load_plan
    from planctl.plan.refs import fold

    params = getattr(ctx, "params", {}) or {}
    try:
        today = settings.today(params.get("today") or os.environ.get("PLANCTL_TODAY"))
        plan_path = params.get("plan") or os.environ.get("PLANCTL_PLAN")
        path = settings.find_plan(plan_path, params.get("year"), today.year, Path.cwd())
        plan = load_plan(path)
    except PlanctlError:
        return []
    wanted = fold(incomplete)
    return [(task.id, task.title) for task in plan.tasks if task.id.casefold().startswith(wanted)]
