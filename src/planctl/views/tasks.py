"""The task views: `list`, `due` and `show`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from planctl.core.progress import TaskRow
from planctl.core.state import Report
from planctl.plan.model import Plan, Task
from planctl.render import Deferred, Table, View
from planctl.render.json_out import Streamed
from planctl.rules.calendar import YearMonth
from planctl.views import columns
from planctl.views.cells import (
    ENGLISH,
    light_text,
    month_text,
    names_text,
    number_text,
    roles_text,
    status_text,
    step_depths,
)
from planctl.views.columns import Spec
from planctl.views.common import document_heading, plan_label
from planctl.views.objects import plan_object, report_object, task_object
from planctl.views.task_table import count_footer, task_table


def list_view(
    plan: Plan,
    source: str,
    rows: Sequence[TaskRow],
    labels: Mapping[str, str] = ENGLISH,
    today: date | None = None,
) -> View:
    """`planctl list`: the tasks chosen (see `planctl.core.schedule.list_rows`). Its JSON
    objects are made as they are written and its table when a format draws it: a format
    builds only its own (`Streamed`, `Deferred`)."""
    data = {"plan": plan_object(plan), "tasks": Streamed(map(task_object, rows))}
    title = labels["list_title"].format(plan=plan_label(plan, source))

    def tables() -> list[Table]:
        table = task_table(
            title,
            rows,
            labels,
            plan=plan,
            sheet=labels["tasks"],
            depths=step_depths(plan),
        )
        return [replace(table, caption="")]

    return View(
        data,
        Deferred(tables),
        count_footer(rows, labels, plan),
        heading=document_heading(plan, labels["tasks"], labels, today),
        lang=labels["html_lang"],
    )


def due_view(
    plan: Plan,
    source: str,
    rows: Sequence[TaskRow],
    month: YearMonth,
    today: date,
    labels: Mapping[str, str] = ENGLISH,
) -> View:
    """`planctl due`: the month's agenda (see `planctl.core.schedule.due_rows`)."""
    year, number = month
    data = {
        "plan": plan_object(plan),
        "month": number,
        "year_month": f"{year}-{number:02d}",
        "today": today.isoformat(),
        "tasks": Streamed(map(task_object, rows)),
    }
    title = labels["due_title"].format(
        plan=plan_label(plan, source), year=year, month=number, today=today
    )
    sheet = labels["due_sheet"].format(year=year, month=number)

    def tables() -> list[Table]:
        table = task_table(
            title,
            rows,
            labels,
            plan=plan,
            sheet=sheet,
            depths=step_depths(plan),
        )
        return [replace(table, caption="")]

    return View(
        data,
        Deferred(tables),
        count_footer(rows, labels, plan),
        heading=document_heading(plan, sheet, labels, today),
        lang=labels["html_lang"],
    )


def show_view(
    plan: Plan,
    source: str,
    row: TaskRow,
    labels: Mapping[str, str] = ENGLISH,
    today: date | None = None,
) -> View:
    """`planctl show`: one task with the full text of its work points."""
    task = row.task
    by_number = {point.number: point for point in plan.points}
    points = [by_number[number] for number in task.points]
    reports = list(reversed(row.state.reports))  # newest recorded first
    reports.sort(key=lambda report: report.on, reverse=True)
    data = {
        "plan": plan_object(plan),
        "task": task_object(row) | {"source": task.source, "carried_from": task.carried_from},
        "points": [
            {"number": point.number, "title": point.title, "text": point.text} for point in points
        ],
        "reports": [report_object(report) for report in reports],
    }
    L = labels
    fields, styles = columns.record(show_specs(row, L), row, L)
    fields += [[L["point_n"].format(n=p.number), point_text(p.title, p.text, L)] for p in points]
    styles += [""] * len(points)
    title = L["show_title"].format(plan=plan_label(plan, source), id=task.id)
    tables = [
        Table(
            title,
            [L["field"], L["value"]],
            fields,
            cell_styles={1: styles},
            sheet=L["task_sheet"].format(id=task.id),
            caption="",
        )
    ]
    if reports:
        tables.append(
            columns.table(L["reports"], report_specs(task, L), reports, L, typed=False,
                          key="reports")
        )  # fmt: skip
    heading = document_heading(plan, L["task_sheet"].format(id=task.id), L, today)
    return View(data, tables, heading=heading, lang=L["html_lang"])


def show_specs(row: TaskRow, labels: Mapping[str, str]) -> list[Spec[TaskRow]]:
    """The fields of one task, as `show` lists them (those of a task that has them)."""
    L, task = labels, row.task
    return [
        Spec("id", lambda r: r.task.id),
        Spec("title", lambda r: r.task.title),
        Spec("month", lambda r: month_text(r, L)),
        Spec("unit", lambda r: roles_text(r.task, L)),
        *([Spec("leader", lambda r: names_text(r.task.leader, L))] if task.leader else []),
        Spec("kind", lambda r: r.task.kind),
        Spec("status", lambda r: status_text(r, L)),
        Spec("light", lambda r: light_text(r, L), "light", style=lambda r: f"light-{r.light}"),
        Spec("note", lambda r: r.state.note),
        Spec("after", lambda r: ", ".join(r.task.after)),
        *([Spec("parent_task", lambda r: r.task.parent)] if task.parent else []),
        *([Spec("steps_field", lambda r: ", ".join(r.task.step_ids))] if task.steps else []),
        *([Spec("carried_from", lambda r: r.task.carried_from)] if task.carried_from else []),
        Spec("deferred", lambda r: _deferral_text(r, L)),
        Spec("source", lambda r: r.task.source),
    ]


def report_specs(task: Task, labels: Mapping[str, str]) -> list[Spec[Report]]:
    """The columns of a task's progress reports: when, by whom, how far, its value, the note."""
    unit = task.unit or ""

    def value(report: Report) -> str:
        return "" if report.value is None else f"{number_text(report.value)}{unit}"

    return [
        Spec("on", lambda r: r.on, "date"),
        Spec("by", lambda r: r.by),
        Spec("percent_col", lambda r: r.percent, "percent"),
        Spec("value_col", lambda r: r.value, "number", value),
        Spec("note", lambda r: r.note),
    ]


def point_text(title: str, text: str, labels: Mapping[str, str]) -> str:
    """A point's heading and its text: joined with 。 in Chinese, ". " in English, and no stop
    added after a heading that ends in one."""
    if not text:
        return title
    stop = labels["stop"]
    if title.rstrip().endswith(("。", ".", "!", "?", "!", "?", ":", ":", ";", ";")):
        stop = "" if stop == "。" else " "
    return f"{title}{stop}{text}"


def _deferral_text(row: TaskRow, labels: Mapping[str, str]) -> str:
    deferral = row.state.deferral
    if deferral is None:
        return ""
    return labels["deferral_text"].format(
        to=row.due, reason=deferral.reason, on=deferral.on, by=deferral.by
    )
