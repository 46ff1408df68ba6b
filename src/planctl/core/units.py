"""Which names of a task are units a summary counts and ranks.

A plan sometimes names no one (31 of the 2018 plan's 41 tasks) or a pseudo-unit, a phrase
that stands for several units without naming one (各牵头单位, 各科室). Summaries count the
tasks of both in one row of their own, `NO_UNIT` (未明确责任单位 / No unit), never ranked; a
pseudo-unit beside a unit (`[区商务局, 各街道办事处]`) is left out and the task is the unit's.

A pseudo-unit is a name that begins with 各 ("each of": 各街道办事处, 各镇（街道）, 各区政府,
各代表小组, 各市场监管所, as offices write them), or one of `PSEUDO_UNITS`, the collective
names written without it (有关单位, 相关单位) with the 各 names seen most, kept as a list for
the manual. Names are compared as units are (`fold`: NFKC, case and white space ignored).
"""

from __future__ import annotations

from collections.abc import Iterable

from planctl.plan.model import Plan, Task
from planctl.plan.refs import fold, plan_owners

NO_UNIT = None
"""The row of the tasks that name no unit (only pseudo-units, or nothing)."""

COLLECTIVE = "各"
"""A name that begins with this (each of ...) stands for several units."""

PSEUDO_UNITS = frozenset(
    fold(name)
    for name in (
        "有关单位",
        "相关单位",
        "有关部门",
        "相关部门",
        # the 各 names the plans and fixtures write (the prefix covers every other)
        "各牵头单位",
        "各配合单位",
        "各责任单位",
        "各有关单位",
        "各相关单位",
        "各单位",
        "各部门",
        "各科室",
        "各专委会",
        "各委室",
        "各街道",
        "各街道办事处",
        "各镇（街道）",
        "各乡镇",
        "各区政府",
        "各县、市、区政府",
        "各代表小组",
        "各代表联络站",
        "各市场监管所",
    )
)
"""Pseudo-units, compared as units are (docs/plan-file.md lists them)."""


def is_unit(name: str) -> bool:
    """Whether a name written as a lead or support unit names one unit: not a pseudo-unit,
    one of `PSEUDO_UNITS` or a name beginning with 各."""
    folded = fold(name)
    return folded not in PSEUDO_UNITS and not folded.startswith(COLLECTIVE)


def units(names: Iterable[str]) -> list[str]:
    """The names that are units, pseudo-units left out."""
    return [name for name in names if is_unit(name)]


def lead_units(task: Task) -> list[str]:
    """The task's lead units, pseudo-units left out: [] puts it in the `NO_UNIT` row."""
    return units(task.leads)


def support_units(task: Task) -> list[str]:
    return units(task.support)


def filing_units(plan: Plan) -> list[str]:
    """The units that file a return (`returns:`): every unit the plan names as leading or
    supporting a task, sorted, pseudo-units left out (各牵头单位 files nothing)."""
    return units(plan_owners(plan))
