"""The bulletin view (通报): the headline classes, each lead unit's, the returns late or
missing, praise and urging, every task's class, and the rule at the end."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from planctl.core.bulletin import Bulletin, ClassCounts, Classed, Standing
from planctl.core.returns import UnitFiling
from planctl.core.scoring import Weights
from planctl.plan.model import Plan
from planctl.render import Deferred, Table, View
from planctl.views import columns
from planctl.views.assess import rule_table, weights_object
from planctl.views.assess_tasks import unit_name
from planctl.views.columns import Spec
from planctl.views.headings import heading
from planctl.views.objects import plan_object

COUNT_KEYS = ("done", "early", "ahead", "on_pace", "behind", "overdue", "not_started")
"""The figures of a class count, in the order the tables and the JSON give them."""

PENDING_KEYS = ("claimed", "requested")
"""The figures counted apart from the classes: claims awaiting a check, requests awaiting a
decision."""


def counts_object(counts: ClassCounts) -> dict[str, int]:
    return {
        "tasks": counts.tasks,
        **{key: getattr(counts, key) for key in (*COUNT_KEYS, *PENDING_KEYS)},
    }


def _filing_object(filing: UnitFiling) -> dict[str, Any]:
    return {
        "unit": filing.unit,
        "due": filing.due.isoformat(),
        "filed": filing.filed.isoformat() if filing.filed else None,
        "status": filing.status,
    }


def _task_object(one: Classed) -> dict[str, Any]:
    row = one.row
    return {
        "id": row.task.id,
        "title": row.task.title,
        "lead": list(row.task.leads),
        "due": row.due.isoformat(),
        "class": one.standing.value,
        "early": one.early,
        "days_overdue": one.days_overdue,
        "chased": one.chased,
        "claimed": None if one.claimed is None else one.claimed.isoformat(),
        "requested": None if one.requested is None else one.requested.isoformat(),
    }


def bulletin_data(plan: Plan, result: Bulletin, weights: Weights) -> dict[str, Any]:
    """The JSON of `planctl bulletin` (`scoring`: the assessment's rules in effect)."""
    cycle = result.cycle
    return {
        "plan": plan_object(plan),
        "today": result.today.isoformat(),
        "cycle": None
        if cycle is None
        else {
            "label": cycle.label,
            "start": cycle.start.isoformat(),
            "end": cycle.end.isoformat(),
            "due": cycle.due.isoformat(),
        },
        "rule": {"behind_margin": result.margin},
        "classes": counts_object(result.totals),
        "units": [
            {"unit": line.unit, **counts_object(line.counts), "praised": line.praised}
            for line in result.units
        ],
        "returns": None
        if result.returns is None
        else [_filing_object(filing) for filing in result.returns],
        "praised": result.praised,
        "urged": [
            {
                "unit": unit,
                "id": one.row.task.id,
                "title": one.row.task.title,
                "due": (one.missed or one.row.due).isoformat(),
                "days_overdue": one.days_overdue,
                "chased": one.chased,
            }
            for unit, one in result.urged
        ],
        "tasks": [_task_object(one) for one in result.tasks],
        "scoring": weights_object(weights),
    }


def _share(count: int, total: int) -> int | None:
    return None if not total else round(100 * count / total)


def _classes_table(result: Bulletin, labels: Mapping[str, str]) -> Table:
    """Each class, its tasks and its share of all (the early within the done), the total,
    then the claims awaiting a check and the requests awaiting a decision, apart."""
    total = result.totals.tasks
    rows = [(labels[f"bl_{key}"], getattr(result.totals, key)) for key in COUNT_KEYS]
    rows.append((labels["totals"], total))
    rows += [(labels[f"bl_{key}"], getattr(result.totals, key)) for key in PENDING_KEYS]
    specs: list[Spec[tuple[str, int]]] = [
        Spec("bl_class", lambda r: r[0]),
        Spec("total", lambda r: r[1], "count"),
        Spec("bl_share", lambda r: _share(r[1], total), "percent"),
    ]
    return columns.table(labels["bl_classes"], specs, rows, labels, key="classes")


def _count_spec(key: str) -> Spec[tuple[str, ClassCounts]]:
    def value(row: tuple[str, ClassCounts]) -> int:
        count: int = getattr(row[1], key)
        return count

    return Spec(f"bl_{key}", value, "count")


def _unit_specs() -> list[Spec[tuple[str, ClassCounts]]]:
    counted = [_count_spec(key) for key in COUNT_KEYS]
    return [Spec("unit", lambda r: r[0]), Spec("total", lambda r: r[1].tasks, "count"), *counted]


def _units_table(result: Bulletin, labels: Mapping[str, str]) -> Table:
    """Each lead unit's tasks by class, the tasks without a unit last, and the totals."""
    rows = [(unit_name(line.unit, labels), line.counts) for line in result.units]
    if rows:
        rows.append((labels["totals"], result.totals))
    return columns.table(
        labels["bl_units"], _unit_specs(), rows, labels, key="units", empty=labels["none"]
    )


def _returns_table(result: Bulletin, labels: Mapping[str, str]) -> Table:
    cycle = "" if result.cycle is None else result.cycle.label
    specs: list[Spec[UnitFiling]] = [
        Spec("unit", lambda f: f.unit),
        Spec("due", lambda f: f.due, "date"),
        Spec("bl_filed", lambda f: f.filed, "date"),
        Spec("status", lambda f: labels[f"bl_return_{f.status}"], "status"),
    ]
    return columns.table(
        labels["bl_returns"].format(cycle=cycle), specs, result.returns or [], labels,
        key="returns",
        sheet=labels["bl_returns_sheet"], empty=labels["none"], row_class=lambda f: "overdue",
    )  # fmt: skip


def _praised_table(result: Bulletin, labels: Mapping[str, str]) -> Table:
    specs: list[Spec[str]] = [Spec("unit", lambda unit: unit)]
    return columns.table(
        labels["bl_praised"], specs, result.praised, labels, key="praised", empty=labels["none"]
    )


def _urged_table(result: Bulletin, labels: Mapping[str, str]) -> Table:
    specs: list[Spec[tuple[str | None, Classed]]] = [
        Spec("unit", lambda r: unit_name(r[0], labels)),
        Spec("id", lambda r: r[1].row.task.id),
        Spec("title", lambda r: r[1].row.task.title),
        Spec("due", lambda r: r[1].missed or r[1].row.due, "date"),
        Spec("bl_days_overdue", lambda r: r[1].days_overdue, "count"),
        Spec("bl_chased", lambda r: r[1].chased, "count"),
    ]
    return columns.table(
        labels["bl_urged"], specs, result.urged, labels, key="urged", empty=labels["none"],
        row_class=lambda r: "overdue",
    )  # fmt: skip


def _tasks_table(result: Bulletin, labels: Mapping[str, str]) -> Table:
    def class_text(one: Classed) -> str:
        """The class, and beside it: done early, awaiting a check, a deferral asked for."""
        word = labels[f"bl_{one.standing.value}"]
        marks = [labels["bl_early"]] if one.early else []
        if one.claimed is not None:
            marks.append(labels["bl_task_claimed"].format(on=one.claimed))
        if one.requested is not None:
            marks.append(labels["bl_task_requested"].format(due=one.requested))
        return f"{word} ({'; '.join(marks)})" if marks else word

    specs: list[Spec[Classed]] = [
        Spec("id", lambda one: one.row.task.id),
        Spec("title", lambda one: one.row.task.title),
        Spec("unit", lambda one: "、".join(one.row.task.leads)),
        Spec("due", lambda one: one.row.due, "date"),
        Spec("bl_class", lambda one: one.standing.value, "status", text=class_text),
        Spec("bl_chased", lambda one: one.chased, "count"),
    ]
    return columns.table(
        labels["bl_tasks"], specs, result.tasks, labels, key="tasks", empty=labels["none"],
        row_class=lambda one: _row_class(one.standing),
    )  # fmt: skip


def _row_class(standing: Standing) -> str:
    return {Standing.DONE: "done", Standing.OVERDUE: "overdue", Standing.BEHIND: "yellow"}.get(
        standing, "open"
    )


RULE_KEYS = ("done", "overdue", "not_started", "behind", "ahead", "on_pace", "pace", "claimed",
             "praised")  # fmt: skip


def _rule_table(result: Bulletin, labels: Mapping[str, str]) -> Table:
    lines = [labels[f"bl_rule_{key}"].format(margin=result.margin) for key in RULE_KEYS]
    specs: list[Spec[str]] = [Spec("bl_rule", lambda line: line)]
    return columns.table(labels["bl_rule"], specs, lines, labels, key="rule")


def bulletin_view(
    plan: Plan,
    source: str,
    result: Bulletin,
    today: date,
    labels: Mapping[str, str],
    weights: Weights,
) -> View:
    """`planctl bulletin`: the classes, the units, the returns (a plan with `returns:`),
    praise, urging, every task, the rule, and the assessment's scoring rules (`weights`, the
    config's `[assess]`) last."""
    L = labels

    def tables() -> list[Table]:  # made when a format draws them (json does not)
        every = [_classes_table(result, L), _units_table(result, L)]
        if result.returns is not None:
            every.append(_returns_table(result, L))
        every += [
            _praised_table(result, L),
            _urged_table(result, L),
            _tasks_table(result, L),
            _rule_table(result, L),
            rule_table(weights, L, title=L["bl_scoring"], key="scoring"),
        ]
        return every

    return View(
        bulletin_data(plan, result, weights),
        Deferred(tables),
        title=f"{plan.title} {L['bulletin']} ({source})",
        lead=f"{L['today']} {today}",
        heading=heading(plan, L["bulletin"], today, L, None),
        lang=L["html_lang"],
    )
