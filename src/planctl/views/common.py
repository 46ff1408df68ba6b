"""Pieces every view shares: the plan and task objects of the JSON output, task tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from planctl.core.events import Action
from planctl.core.lights import expected_percent, latest_percent
from planctl.core.progress import Rhythm, TaskRow
from planctl.core.state import Report
from planctl.core.steps import counted_rows
from planctl.plan.model import Plan, Task
from planctl.render import Cell, Column, Grid, Heading, Table
from planctl.views.labels import label_lookup, plural

ENGLISH = label_lookup("en")

NO_STEPS: Mapping[str, int] = {}
"""Step depths of a plan without steps (see `step_depths`)."""

TASK_COLUMNS = ["id", "month", "title", "unit", "points_col", "kind", "status", "light"]
"""Label keys of a task table's columns (and `leader` after `unit` in a plan that names
leaders)."""


def plan_object(plan: Plan) -> dict[str, Any]:
    return {"id": plan.id, "year": plan.year, "title": plan.title}


def plan_label(plan: Plan, source: str) -> str:
    """How output names the plan it used: its title and the file it came from."""
    return f"{plan.title} ({source})"


def document_heading(
    plan: Plan, subtitle: str, labels: Mapping[str, str], today: date | None = None
) -> Heading:
    """The heading of a printed list (html, pdf, a workbook's title row and page header): who
    issues it, the plan and what this is, as of when; never the plan's file."""
    return Heading(
        organisation=plan.organisation,
        title=plan.title,
        subtitle=subtitle,
        document=plan.document,
        as_of=None if today is None else f"{labels['today']} {today}",
    )


def task_object(row: TaskRow) -> dict[str, Any]:
    task, state, completion = row.task, row.state, row.completion
    deferral = state.deferral
    return {
        "id": task.id,
        "title": task.title,
        "month": task.month,
        "year_round": task.year_round,
        "owners": list(task.leads),
        "points": list(task.points),
        "kind": task.kind,
        "status": "done" if row.done else "open",
        "overdue": row.overdue,
        "done_on": completion.on.isoformat() if completion else None,
        "done_by": completion.by if completion else None,
        "note": state.note,
        "due_month": row.month,
        "deferral": None
        if deferral is None
        else {
            "to": deferral.to_month,
            "due": row.due.isoformat(),
            "reason": deferral.reason,
            "on": deferral.on.isoformat(),
            "by": deferral.by,
        },
        "blocked_by": list(row.blocked_by),
        "progress": None
        if row.pace is None
        else {"count": row.pace.count, "target": row.pace.target, "expected": row.pace.expected},
        "periods": None if row.rhythm is None else _periods_object(row.rhythm),
        "start": row.start.isoformat(),
        "due": row.due.isoformat(),
        "due_in_days": row.due_in_days,
        "lead": list(task.leads),
        "support": list(task.support),
        "leader": list(task.leader),
        "parent": task.parent,
        "steps": task.step_ids,
        "steps_done": None if row.steps is None else row.steps.done,
        "light": row.light,
        "stale": row.stale,
        "stale_since": row.state.last_event.isoformat()
        if row.stale and row.state.last_event is not None
        else None,
        "progress_report": None if state.report is None else report_object(state.report),
        "expected_percent": None
        if task.recurring
        else expected_percent(row.start, row.due, row.today),
        "value_target": None if row.measured is None else _value_object(row),
    }


def report_object(report: Report) -> dict[str, Any]:
    """A progress report (进度填报) in JSON."""
    return {
        "on": report.on.isoformat(),
        "by": report.by,
        "percent": report.percent,
        "value": json_number(report.value),
        "note": report.note,
    }


def _value_object(row: TaskRow) -> dict[str, Any]:
    measured = row.measured
    assert measured is not None
    latest = measured.latest
    return {
        "target": json_number(measured.target),
        "unit": row.task.unit,
        "compare": measured.compare,
        "tolerance": json_number(float(measured.tolerance))
        if measured.compare == "about"
        else None,
        "value": None if latest is None else json_number(latest.value),
        "on": None if latest is None else latest.on.isoformat(),
        "meets": measured.meets,
    }


def json_number(value: int | float | None) -> int | float | None:
    """A number for JSON as it was written: 8 rather than 8.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _periods_object(beat: Rhythm) -> dict[str, Any]:
    return {
        "every": beat.every,
        "current": beat.current.label,
        "done": len(beat.done),
        "elapsed": len(beat.elapsed),
        "total": beat.total,
        "missed": [period.label for period in beat.missed],
    }


def month_text(row: TaskRow, labels: Mapping[str, str] = ENGLISH) -> str:
    """When the task is due, as the plan wrote it: its month, quarter or due day (a deferral
    shows as planned→now), 全年 / Year-round for the whole period, the rhythm of a duty."""
    task = row.task
    if task.recurring:
        every = "months" if task.every is None else task.every
        return labels[EVERY_LABEL[every]]
    if task.year_round:
        return labels["year_round"]
    planned = _planned(row)
    if row.state.deferral is not None:
        now = str(row.month) if task.month is not None and row.month is not None else f"{row.due}"
        return f"{planned}→{now}"
    return planned


def _planned(row: TaskRow) -> str:
    task = row.task
    if task.month is not None:
        return str(task.month)
    if task.quarter is not None:
        return f"Q{task.quarter}" if isinstance(task.quarter, int) else str(task.quarter)
    return row.planned_due.isoformat()


EVERY_LABEL = {
    "week": "week",
    "month": "month_every",
    "quarter": "quarter",
    "half": "half_every",
    "year": "year_every",
    "months": "months_listed",
    "as_needed": "as_needed",
}
"""The label of each rhythm of a duty ("每周" ...)."""

PERIOD_UNITS = {
    "week": "weeks",
    "month": "months_unit",
    "quarter": "quarters",
    "half": "halves",
    "year": "years",
    "months": "times",
    "as_needed": "times",
}
"""The unit its occurrences are counted in ("1/24周" ...)."""


def unit_text(
    count: int | float, target: int | float, unit: str | None, labels: Mapping[str, str]
) -> str:
    """`2/6次` in Chinese, `2/6 tenders` in English: a space before a word."""
    if not unit:
        return f"{_number(count)}/{_number(target)}"
    return f"{_number(count)}/{_number(target)}{labels['unit_space']}{unit}"


def _number(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def number_text(value: int | float) -> str:
    """A number as written: 8, 7.5 (never 8.0)."""
    return str(int(value)) if float(value).is_integer() else repr(value)


MISSED_NAMED = 3
"""How many missed periods a status cell names before it only counts them."""


def status_text(row: TaskRow, labels: Mapping[str, str] = ENGLISH) -> str:
    """The status cell: done (when, who) or open/overdue, with pace, periods and blockers."""
    L = labels
    parts = []
    if row.done and row.completion is not None:
        parts.append(L["st_done"].format(on=row.completion.on, by=row.completion.by))
    else:
        parts.append(L["st_overdue"] if row.overdue else L["st_open"])
    if row.pace is not None:
        pace = unit_text(row.pace.count, row.pace.target, row.task.unit, L)
        if row.pace.behind:
            pace += " " + L["st_behind"].format(expected=row.pace.expected)
        parts.append(pace)
    if row.steps is not None:
        parts.append(f"{row.steps.done}/{row.steps.total}{L['steps_unit']}")
    if row.measured is not None:
        parts.append(value_text(row, L))
    elif row.pace is None and not row.task.recurring and not row.done:
        percent = latest_percent(row)
        if percent is not None:
            expected = expected_percent(row.start, row.due, row.today)
            parts.append(L["st_percent"].format(percent=percent, expected=expected))
    if row.rhythm is not None:
        beat = row.rhythm
        parts.append(f"{len(beat.done)}/{len(beat.elapsed)}{L[PERIOD_UNITS[beat.every]]}")
        if beat.missed:
            parts.append(missed_text(beat, L))
    if row.blocked_by and not row.done:
        parts.append(L["st_blocked"].format(tasks=", ".join(row.blocked_by)))
    if row.stale:
        last = row.state.last_event
        parts.append(L["st_stale_never"] if last is None else L["st_stale_since"].format(on=last))
    return "; ".join(parts)


COMPARE_MARKS = {"at_least": "≥", "at_most": "≤"}


def target_text(row: TaskRow, labels: Mapping[str, str]) -> str:
    """A value target as an office writes it: `≥8%`, `≤5%`, `8±0.4%`."""
    measured = row.measured
    assert measured is not None
    unit = _unit(row.task.unit, labels)
    target = number_text(measured.target)
    if measured.compare == "about":
        return f"{target}±{number_text(float(measured.tolerance))}{unit}"
    return f"{COMPARE_MARKS[measured.compare]}{target}{unit}"


def value_text(row: TaskRow, labels: Mapping[str, str]) -> str:
    """The latest value against the target and whether it meets it."""
    measured = row.measured
    assert measured is not None
    target = target_text(row, labels)
    latest = measured.latest
    if latest is None or latest.value is None:
        return labels["st_no_value"].format(target=target)
    verdict = labels["st_met"] if measured.meets else labels["st_not_met"]
    value = f"{number_text(latest.value)}{_unit(row.task.unit, labels)}"
    return labels["st_value"].format(value=value, target=target, verdict=verdict)


def _unit(unit: str | None, labels: Mapping[str, str]) -> str:
    """A unit after a number: `8%`, `8 km` (a word takes a space in English)."""
    if not unit:
        return ""
    if unit == "%" or not unit[0].isalpha() or not labels["unit_space"]:
        return unit
    return labels["unit_space"] + unit


def light_text(row: TaskRow, labels: Mapping[str, str]) -> str:
    """The light as a word (红 / red), so it survives NO_COLOR, mail and print."""
    return labels[f"light_{row.light}"]


def missed_text(beat: Rhythm, labels: Mapping[str, str]) -> str:
    names = [period.label for period in beat.missed]
    if len(names) <= MISSED_NAMED:
        return labels["st_missed"].format(periods=", ".join(names))
    return labels["st_missed_many"].format(count=len(names), latest=names[-1])


def _style(row: TaskRow) -> str:
    return "green" if row.done else ("red" if row.overdue else "")


def row_class(row: TaskRow) -> str:
    """What a task's row is, in words: `done`, `overdue` or `open`, then its light (`red`,
    `yellow`, ...) unless done: HTML classes and spreadsheet fills."""
    status = "done" if row.done else ("overdue" if row.overdue else "open")
    return status if row.light == "done" else f"{status} {row.light}"


def status_word(row: TaskRow, labels: Mapping[str, str]) -> str:
    """The status as one word: 已完成, 逾期, 未完成."""
    return labels["done"] if row.done else labels["st_overdue" if row.overdue else "st_open"]


def task_grid(rows: Sequence[TaskRow], labels: Mapping[str, str], plan: Plan) -> Grid:
    """Tasks as plain values: dates as dates, units joined with 、, the status as a word and
    when and by whom it was done in columns of their own; count, target and unit where a
    task has a target; supporting units and leaders where the plan names any."""
    L = labels
    support = any(task.support for task in plan.tasks)
    leaders = names_leaders(plan)
    paced = any(row.pace is not None for row in rows)
    stepped = any(task.steps for task in plan.tasks)
    columns = [
        Column(L["id"]),
        *([Column(L["parent_task"])] if stepped else []),
        Column(L["month"]),
        Column(L["start"], "date"),
        Column(L["due"], "date"),
        Column(L["title"]),
        Column(L["lead"] if support else L["unit"]),
        *([Column(L["support"])] if support else []),
        *([Column(L["leader"])] if leaders else []),
        Column(L["points_col"]),
        Column(L["kind"]),
        Column(L["status"], "status"),
        Column(L["light"], "status"),
        *([Column(L["steps_done_col"], "int"), Column(L["steps_field"], "int")] if stepped else []),
        Column(L["done_on"], "date"),
        Column(L["by"]),
        *(
            [Column(L["count"], "number"), Column(L["target"], "number"), Column(L["measure"])]
            if paced
            else []
        ),
        Column(L["note"]),
    ]
    grid_rows: list[list[Cell]] = []
    for row in rows:
        task, completion = row.task, row.completion
        pace = row.pace
        steps = row.steps
        cells: list[Cell] = [
            task.id,
            *([task.parent] if stepped else []),
            month_text(row, L),
            row.start,
            row.due,
            task.title,
            names_text(task.leads, L),
            *([names_text(task.support, L)] if support else []),
            *([names_text(task.leader, L)] if leaders else []),
            ", ".join(map(str, task.points)),
            task.kind,
            status_word(row, L),
            light_text(row, L),
            *(([steps.done, steps.total] if steps else [None, None]) if stepped else []),
            completion.on if completion else None,
            completion.by if completion else None,
        ]
        if paced:
            cells += [pace.count, pace.target, task.unit] if pace else [None, None, None]
        cells.append(row.state.note)
        grid_rows.append(cells)
    return Grid(columns, grid_rows)


def names_text(names: Sequence[str], labels: Mapping[str, str]) -> str:
    """Names joined with 、 in Chinese, ", " in English."""
    return labels["list_sep"].join(names)


def roles_text(task: Task, labels: Mapping[str, str]) -> str:
    """The units of a task, compactly: lead units first, then the supporting units after a
    mark (`市发改委 / 配合: 市经信局、市商务局`)."""
    lead = names_text(task.leads, labels)
    if not task.support:
        return lead
    support = f"{labels['support_mark']}: {names_text(task.support, labels)}"
    return f"{lead} / {support}" if lead else support


def names_leaders(plan: Plan) -> bool:
    """Whether any task of the plan names a responsible leader (tables then show them)."""
    return any(task.leader for task in plan.tasks)


def step_depths(plan: Plan) -> dict[str, int]:
    """How deep each step lies below its top-level task (1 or 2), by ID; tasks are absent."""
    depths: dict[str, int] = {}
    for task in plan.tasks:  # parents come before their steps
        if task.parent is not None:
            depths[task.id] = depths.get(task.parent, 0) + 1
    return depths


def id_text(task: Task, depths: Mapping[str, int]) -> str:
    """The ID cell: a step marked under its task (`└ 3.1`, `  └ 3.1.1`)."""
    depth = depths.get(task.id, 0)
    return f"{'  ' * (depth - 1)}└ {task.id}" if depth else task.id


def task_cells(
    row: TaskRow,
    labels: Mapping[str, str],
    *,
    leaders: bool = False,
    depths: Mapping[str, int] = NO_STEPS,
) -> list[str]:
    task = row.task
    return [
        id_text(task, depths),
        month_text(row, labels),
        task.title,
        roles_text(task, labels),
        *([names_text(task.leader, labels)] if leaders else []),
        ", ".join(map(str, task.points)),
        task.kind or "",
        status_text(row, labels),
        light_text(row, labels),
    ]


def task_columns(labels: Mapping[str, str], *, leaders: bool = False) -> list[str]:
    keys = list(TASK_COLUMNS)
    if leaders:
        keys.insert(keys.index("unit") + 1, "leader")
    return [labels[key] for key in keys]


def task_table(
    title: str,
    rows: Sequence[TaskRow],
    labels: Mapping[str, str],
    *,
    leaders: bool = False,
    plan: Plan | None = None,
    key: str = "tasks",
    sheet: str = "",
    depths: Mapping[str, int] = NO_STEPS,
) -> Table:
    """A table of tasks; with `depths` (`step_depths`), steps are marked under their task."""
    return Table(
        title,
        task_columns(labels, leaders=leaders),
        [task_cells(row, labels, leaders=leaders, depths=depths) for row in rows],
        [_style(row) for row in rows],
        empty=labels["none"],
        key=key,
        sheet=sheet,
        grid=task_grid(rows, labels, plan) if plan is not None else None,
        row_classes=[row_class(row) for row in rows],
        cell_styles=light_styles(len(task_columns(labels, leaders=leaders)) - 1, rows),
    )


def light_styles(column: int, rows: Sequence[TaskRow]) -> dict[int, list[str]]:
    """The light column's cells, styled by their light (`light-red` ...)."""
    return {column: [f"light-{row.light}" for row in rows]}


def count_footer(rows: Sequence[TaskRow], labels: Mapping[str, str], plan: Plan) -> str:
    """`15 tasks: 3 done, 12 open, 2 overdue`, counting a task shown with its steps once, by
    its steps (`core.steps.counted_rows`), as the report does."""
    counted = counted_rows(rows, {task.id: task for task in plan.tasks})
    done = sum(row.done for row in counted)
    overdue = sum(row.overdue for row in counted)
    return labels["footer"].format(
        total=len(counted),
        tasks=plural(labels, "task", len(counted)),
        done=done,
        open=len(counted) - done,
        overdue=overdue,
    )


def action_text(action: Action, labels: Mapping[str, str]) -> str:
    """What an event did, in the plan's language (完成, 撤销, 备注, 延期)."""
    return labels[f"act_{action.value}"]
