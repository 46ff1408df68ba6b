"""Which names of a task are units a summary counts and ranks.

A plan sometimes names no one (31 of the 2018 plan's 41 tasks) or a pseudo-unit, a phrase
that stands for several units without naming one (各牵头单位, 各科室). Summaries count the
tasks of both in one row of their own, `NO_UNIT` (未明确责任单位 / No unit), never ranked.
"""

from __future__ import annotations

from collections.abc import Iterable

from planctl.plan.model import Task
from planctl.plan.refs import fold

NO_UNIT = None
"""The row of the tasks that name no unit (only pseudo-units, or nothing)."""

PSEUDO_UNITS = frozenset(
    fold(name)
    for name in (
        "各牵头单位",
        "各配合单位",
        "各责任单位",
        "各有关单位",
        "有关单位",
        "相关单位",
        "各单位",
        "各部门",
        "各科室",
        "各专委会",
    )
)
"""Pseudo-units, compared as units are (docs/plan-file.md lists them)."""


def is_unit(name: str) -> bool:
    """Whether a name written as a lead or support unit names one unit."""
    return fold(name) not in PSEUDO_UNITS


def units(names: Iterable[str]) -> list[str]:
    """The names that are units, pseudo-units left out."""
    return [name for name in names if is_unit(name)]


def lead_units(task: Task) -> list[str]:
    """The task's lead units, pseudo-units left out: [] puts it in the `NO_UNIT` row."""
    return units(task.leads)


def support_units(task: Task) -> list[str]:
    return units(task.support)
