"""A new year's plan from an old one (`planctl new --from`): its sections and work points,
its recurring duties, and its tasks still open carried over (结转), each marked with
`carried_from`. Pure: the old plan's rows, as they stood, are handed in."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from planctl.core.progress import TaskRow
from planctl.i18n import _, ngettext
from planctl.office.draft import Draft
from planctl.office.draft_table import Entry
from planctl.plan.model import Plan, Task
from planctl.plan.types import TASK_ID_PATTERN
from planctl.rules.calendar import PlanPeriod, add_years

WINDOW = ("month", "quarter", "due", "start", "year_round", "every", "interval", "by", "months")


def next_plan(old: Plan, rows: Mapping[str, TaskRow], year: int, as_of: date) -> Draft:
    """The draft of the plan for `year` that follows `old`; `rows` are old's tasks as they
    stood on `as_of` (the end of its period, or later)."""
    shift = year - old.year
    top: dict[str, Any] = {"id": _renamed(old.id, old.year, year), "year": year}
    if old.period is not None:
        top["period"] = {
            "start": add_years(old.period.start, shift),
            "end": add_years(old.period.end, shift),
        }
    title = _with_year(old.title, old.year, year)
    top["title"] = title
    for key in ("organisation", "language"):
        if getattr(old, key) is not None:
            top[key] = getattr(old, key)
    if old.labels is not None:
        top["labels"] = old.labels.model_dump(exclude_none=True)
    if old.returns is not None:
        top["returns"] = old.returns.model_dump(exclude_defaults=True)
    sections = [Entry(section.model_dump(exclude_defaults=True)) for section in old.sections]
    # Steps travel inside their task (the loader flattened them into `old.tasks`, `parent` set).
    top_level = [task for task in old.tasks if task.parent is None]
    duties = [task for task in top_level if task.recurring]
    carried = [task for task in top_level if not task.recurring and not rows[task.id].done]
    kept = {task.id for task in duties} | {
        step.id for task in carried for step in _open_tree(task, rows)
    }
    new_period = (
        PlanPeriod.of_year(year)
        if old.period is None
        else PlanPeriod(top["period"]["start"], top["period"]["end"], year)
    )
    tasks: list[Entry] = []
    for task in top_level:
        if task.id not in kept:
            continue
        remarks: list[str] = []
        if task.recurring:
            data = _shifted(task, shift)
            data["after"] = [ref for ref in task.after if ref in kept]
            remarks.append(_("a recurring duty of {plan}").format(plan=old.id))
        else:
            data = _carried(task, rows, old, shift, kept, new_period, as_of, remarks)
        tasks.append(Entry(_ordered(data), remarks))
    summary = ngettext(
        "{sections}, {points}, {duties}, {count} task carried over (open on {as_of})",
        "{sections}, {points}, {duties}, {count} tasks carried over (open on {as_of})",
        len(carried),
    )
    notes = [
        summary.format(
            sections=counted_sections(len(sections)),
            points=counted_points(len(old.points)),
            duties=counted_duties(len(duties)),
            count=len(carried),
            as_of=as_of,
        )
    ]
    if title == old.title:
        notes.append(_("check: the title is {year}'s").format(year=old.year))
    if old.requirements:
        notes.append(
            _("{year}'s general requirements (requirements) are not copied").format(year=old.year)
        )
    return Draft(top, notes, sections, tasks)


def counted_sections(count: int) -> str:
    return ngettext("{count} section", "{count} sections", count).format(count=count)


def counted_points(count: int) -> str:
    return ngettext("{count} work point", "{count} work points", count).format(count=count)


def counted_duties(count: int) -> str:
    return ngettext("{count} recurring duty", "{count} recurring duties", count).format(count=count)


def _step(task: Task, remark: str) -> str:
    """A remark, named by its step's ID when it is a step's."""
    if task.parent is None:
        return remark
    return _("step {id}: {remark}").format(id=task.id, remark=remark)


def _open_tree(task: Task, rows: Mapping[str, TaskRow]) -> list[Task]:
    """The task and, under it, its steps still open or recurring (a done step stays behind)."""
    out = [task]
    for step in task.steps:
        if step.recurring or not rows[step.id].done:
            out += _open_tree(step, rows)
    return out


def _carried(
    task: Task,
    rows: Mapping[str, TaskRow],
    old: Plan,
    shift: int,
    kept: set[str],
    new_period: PlanPeriod,
    as_of: date,
    remarks: list[str],
) -> dict[str, Any]:
    """An open task carried over, with its open steps inside it; what to check goes into
    `remarks` (a step's remarks named by its ID)."""
    data = _shifted(task, shift)
    data.pop("steps", None)
    data["after"] = [ref for ref in task.after if ref in kept]
    row = rows[task.id]
    if not task.recurring:
        data["carried_from"] = f"{old.id}:{task.id}"
        remark = _("carried over (结转): open on {as_of}; check its window").format(as_of=as_of)
        if row.due != row.planned_due and row.due in new_period:
            for key in WINDOW:
                data.pop(key, None)
            data["due"] = row.due
            remark = _("carried over (结转): open on {as_of}, deferred to {due}").format(
                as_of=as_of, due=row.due
            )
        remarks.append(_step(task, remark))
        if row.pace is not None:
            remarks.append(
                _step(
                    task,
                    _("{count} of {target} done in {year}; the count starts again here").format(
                        count=row.pace.count, target=row.pace.target, year=old.year
                    ),
                )
            )
    steps = [
        _ordered(_carried(step, rows, old, shift, kept, new_period, as_of, remarks))
        for step in task.steps
        if step.id in kept
    ]
    if steps:
        data["steps"] = steps
    return data


def _with_year(text: str, old_year: int, year: int) -> str:
    """The text with the old year replaced where it is a whole number (`cppcc-2018`, `2018年`),
    never inside a longer one (`plan-20181` stays)."""
    return re.sub(rf"(?<![0-9]){old_year}(?![0-9])", str(year), text)


def _renamed(plan_id: str, old_year: int, year: int) -> str:
    renamed = _with_year(plan_id, old_year, year)
    if renamed == plan_id:
        renamed = f"{plan_id[: 32 - 5]}-{year}"
    return renamed if re.match(TASK_ID_PATTERN, renamed) else f"plan-{year}"


def _shifted(task: Task, shift: int) -> dict[str, Any]:
    """The task's keys (defaults left out) with its dates and "YYYY-MM" months moved on."""
    data: dict[str, Any] = task.model_dump(exclude_defaults=True)
    for key in ("month", "due", "start"):
        if key in data:
            data[key] = _moved(data[key], shift)
    if "quarter" in data and isinstance(data["quarter"], str):
        data["quarter"] = f"{int(data['quarter'][:4]) + shift}{data['quarter'][4:]}"
    if "months" in data:
        data["months"] = [_moved(month, shift) for month in data["months"]]
    return data


def _moved(value: Any, shift: int) -> Any:
    if isinstance(value, date):
        return add_years(value, shift)
    if isinstance(value, str):  # "2019-06"
        return f"{int(value[:4]) + shift}{value[4:]}"
    return value


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    """The task's keys in the order of the model's fields, empty lists left out."""
    order = list(Task.model_fields)
    return {
        key: data[key]
        for key in sorted(data, key=order.index)
        if not (isinstance(data[key], list) and not data[key])
    }
