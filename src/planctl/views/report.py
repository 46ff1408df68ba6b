"""The report view: plan against actual for the year, in the plan's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from planctl.core.events import Event
from planctl.core.progress import TaskRow
from planctl.core.report import Report, Tally, UnitTally
from planctl.core.schedule import EVERY_TASK, Selection
from planctl.plan.model import Plan
from planctl.render import Bar, Cell, ChartText, Column, Grid, Heading, Table, View
from planctl.views.common import (
    EVERY_LABEL,
    action_text,
    id_text,
    month_text,
    names_leaders,
    names_text,
    plan_object,
    row_class,
    status_text,
    status_word,
    step_depths,
    task_grid,
    task_object,
)
from planctl.views.history import event_object
from planctl.views.labels import plural

BAR_WIDTH = 20


def bar(tally: Tally) -> str:
    """A text progress bar, for tables: done share filled."""
    if not tally.total:
        return ""
    filled = BAR_WIDTH * tally.done // tally.total
    return "█" * filled + "░" * (BAR_WIDTH - filled) + f" {tally.percent}%"


def tally_object(tally: Tally) -> dict[str, int]:
    return {"total": tally.total, "done": tally.done, "overdue": tally.overdue}


def year_line(plan: Plan, tally: Tally, labels: Mapping[str, str]) -> str:
    """The one-line summary of the year."""
    return labels["year_line"].format(
        year=plan.year,
        total=tally.total,
        tasks=plural(labels, "task", tally.total),
        done=tally.done,
        open=tally.open,
        overdue=tally.overdue,
        percent=tally.percent,
    )


def who_cells(row: TaskRow, labels: Mapping[str, str], *, leaders: bool) -> list[str]:
    """Who answers for a task, for a list of late or pressing tasks: its lead units, and its
    leaders in a plan that names them."""
    lead = names_text(row.task.leads, labels)
    return [lead, names_text(row.task.leader, labels)] if leaders else [lead]


def who_columns(plan: Plan, labels: Mapping[str, str], *, leaders: bool) -> list[str]:
    """Lead units (just "units" in a plan without supporting ones), and leaders."""
    units = labels["lead"] if any(task.support for task in plan.tasks) else labels["unit"]
    return [units, labels["leader"]] if leaders else [units]


def _task_cells(
    row: TaskRow, labels: Mapping[str, str], *, leaders: bool, depths: Mapping[str, int]
) -> list[str]:
    return [
        id_text(row.task, depths),
        month_text(row, labels),
        row.task.title,
        *who_cells(row, labels, leaders=leaders),
        status_text(row, labels),
    ]


def plan_meta(plan: Plan) -> dict[str, Any]:
    """The plan's document number, adoption, revisions and review, for a report's header."""
    review = plan.review.isoformat() if isinstance(plan.review, date) else plan.review
    return {
        "document": plan.document,
        "adopted": plan.adopted.isoformat() if plan.adopted else None,
        "revised": [day.isoformat() for day in plan.revised],
        "review": review,
    }


def meta_line(plan: Plan, labels: Mapping[str, str]) -> str:
    """`鞍立政发〔2023〕2号 · 2023-02-10 印发 · 2023-06-30 修订`, or "" for a plan without."""
    meta = plan_meta(plan)
    parts = [meta["document"]] if meta["document"] else []
    if meta["adopted"]:
        parts.append(labels["meta_adopted"].format(day=meta["adopted"]))
    if meta["revised"]:
        parts.append(labels["meta_revised"].format(days=names_text(meta["revised"], labels)))
    if meta["review"]:
        parts.append(labels["meta_review"].format(review=meta["review"]))
    return " · ".join(parts)


def selection_text(selection: Selection, labels: Mapping[str, str]) -> str:
    """` · 市发改委 (牵头单位) · 张三`: what a report or digest was narrowed to, for its title."""
    text = ""
    if selection.owner is not None:
        text += f" · {selection.owner}"
        if selection.role is not None:
            text += f" ({labels[selection.role]})"
    if selection.leader is not None:
        text += f" · {selection.leader}"
    if selection.no_unit:
        text += f" · {labels['no_unit']}"
    return text


def selection_object(selection: Selection) -> dict[str, str | None]:
    return {"owner": selection.owner, "role": selection.role, "leader": selection.leader}


def report_view(
    plan: Plan,
    source: str,
    report: Report,
    today: date,
    labels: Mapping[str, str],
    *,
    selection: Selection = EVERY_TASK,
) -> View:
    """`planctl report`: summary, months, sections, points, owners, and the lists that matter."""
    L = labels
    leaders = names_leaders(plan)
    depths = step_depths(plan)
    supported = any(unit.supported.total for unit in report.owners)
    summary = report.summary
    one_year = len({year for (year, _), _ in report.months}) == 1
    month_labels = [
        str(month) if one_year else f"{year}-{month:02d}" for (year, month), _ in report.months
    ]
    data: dict[str, Any] = {
        "plan": plan_object(plan) | plan_meta(plan),
        "today": today.isoformat(),
        **selection_object(selection),
        "summary": {
            "total": summary.total,
            "done": summary.done,
            "open": summary.open,
            "overdue": summary.overdue,
            "percent": summary.percent,
        },
        "months": [
            {"month": month, "year": year, **tally_object(t)} for (year, month), t in report.months
        ],
        "year_round": tally_object(report.year_round),
        "sections": [
            {"number": n, "title": title, **tally_object(t)} for n, title, t in report.sections
        ],
        "points": [
            {"number": n, "title": title, "total": t.total, "done": t.done}
            for n, title, t in report.points
        ],
        "owners": owner_objects(report.owners),
        "overdue": [task_object(row) for row in report.overdue],
        "deferred": [task_object(row) for row in report.deferred],
        "targets": [task_object(row) for row in report.targets],
        "duties": [task_object(row) for row in report.duties],
        "blocked": [task_object(row) for row in report.blocked],
        "recent": [event_object(event) for event in report.recent],
    }
    counts = [Column(L["total"], "int"), Column(L["done"], "int"), Column(L["overdue"], "int")]
    month_keys = [f"{year}-{month:02d}" for (year, month), _ in report.months]
    month_tallies = [t for _, t in report.months] + [report.year_round]
    tables = [
        Table(
            L["summary"],
            [L["total"], L["done"], L["open"], L["overdue"], L["percent"]],
            [
                [
                    str(summary.total),
                    str(summary.done),
                    str(summary.open),
                    str(summary.overdue),
                    f"{summary.percent}%",
                ]
            ],
            key="summary",
            grid=Grid(
                [*counts[:2], Column(L["open"], "int"), counts[2], Column(L["percent"], "percent")],
                [[summary.total, summary.done, summary.open, summary.overdue, summary.percent]],
            ),
        ),
        Table(
            L["months"],
            [L["month"], L["total"], L["done"], L["overdue"], L["progress"]],
            [
                [label, str(t.total), str(t.done), str(t.overdue), bar(t)]
                for label, t in zip([*month_labels, L["year_round"]], month_tallies, strict=True)
            ],
            key="months",
            grid=Grid(
                [Column(L["month"]), *counts, Column(L["percent"], "percent")],
                [
                    [label, *_counts(t), t.percent]
                    for label, t in zip([*month_keys, L["year_round"]], month_tallies, strict=True)
                ],
            ),
            bars={4: [(t.done, t.total) for t in month_tallies]},
        ),
        Table(
            L["sections"],
            [L["no"], L["section_title"], L["total"], L["done"], L["progress"]],
            [[str(n), title, str(t.total), str(t.done), bar(t)] for n, title, t in report.sections],
            key="sections",
            grid=Grid(
                [
                    Column(L["no"], "int"),
                    Column(L["section_title"]),
                    *counts,
                    Column(L["percent"], "percent"),
                ],
                [[n, title, *_counts(t), t.percent] for n, title, t in report.sections],
            ),
            bars={4: [(t.done, t.total) for _, _, t in report.sections]},
        ),
        Table(
            L["points"],
            [L["no"], L["point_title"], L["total"], L["done"]],
            [[str(n), title, str(t.total), str(t.done)] for n, title, t in report.points],
            key="points",
            grid=Grid(
                [
                    Column(L["no"], "int"),
                    Column(L["point_title"]),
                    *counts[:2],
                    Column(L["percent"], "percent"),
                ],
                [[n, title, t.total, t.done, t.percent] for n, title, t in report.points],
            ),
        ),
        _owners_table(report, L, supported=supported),
    ]
    task_columns = [
        L["id"],
        L["month"],
        L["title"],
        *who_columns(plan, L, leaders=leaders),
        L["status"],
    ]
    tables.append(
        Table(
            L["overdue_list"],
            task_columns,
            [_task_cells(r, L, leaders=leaders, depths=depths) for r in report.overdue],
            key="overdue",
            grid=task_grid(report.overdue, L, plan),
            row_classes=[row_class(r) for r in report.overdue],
        )
    )
    tables.append(_deferrals(report, L))
    tables.append(
        Table(
            L["targets"],
            [L["id"], L["title"], L["count"], L["target"], L["expected"]],
            [_target_cells(row, L) for row in report.targets],
            key="targets",
            grid=_targets_grid(report.targets, L),
            row_classes=[_pace_class(row) for row in report.targets],
        )
    )
    tables.append(
        Table(
            L["duties"],
            [L["id"], L["title"], L["every"], L["periods"], L["missed"]],
            [_duty_cells(row, L) for row in report.duties],
            key="duties",
            grid=_duties_grid(report.duties, L),
            row_classes=[row_class(row) for row in report.duties],
        )
    )
    tables.append(
        Table(
            L["blocked"],
            [L["id"], L["title"], L["waiting_for"]],
            [[r.task.id, r.task.title, ", ".join(r.blocked_by)] for r in report.blocked],
            key="blocked",
            grid=Grid(
                [Column(L["id"]), Column(L["title"]), Column(L["waiting_for"])],
                [[r.task.id, r.task.title, ", ".join(r.blocked_by)] for r in report.blocked],
            ),
        )
    )
    tables.append(_recent(plan, report.recent, L))
    as_of = f"{L['today']} {today}: {year_line(plan, summary, L)}"
    yr = report.year_round
    return View(
        data,
        [table for table in tables if table.rows],
        title=f"{plan.title} {L['report']}{selection_text(selection, L)} ({source})",
        lead=" · ".join(part for part in (meta_line(plan, L), as_of) if part),
        chart=[
            Bar(label, t.done, t.total, t.overdue)
            for label, (_, t) in zip(month_labels, report.months, strict=True)
        ]
        + [Bar(L["year_round"], yr.done, yr.total, yr.overdue)],
        chart_text=ChartText(
            L["chart"], L["done"], L["overdue"], L["open"], L["tasks_axis"], L["chart_note"]
        ),
        heading=heading(plan, f"{L['report']}{selection_text(selection, L)}", today, L, summary),
        every=tables,
        lang=L["html_lang"],
    )


def _counts(tally: Tally) -> tuple[int, int, int]:
    return tally.total, tally.done, tally.overdue


def heading(
    plan: Plan, subtitle: str, today: date, labels: Mapping[str, str], summary: Tally | None
) -> Heading:
    """A document's head: the organisation, the plan, what this is, its number, as of when."""
    meta = plan_meta(plan)
    parts = []
    if meta["adopted"]:
        parts.append(labels["meta_adopted"].format(day=meta["adopted"]))
    if meta["revised"]:
        parts.append(labels["meta_revised"].format(days=names_text(meta["revised"], labels)))
    if meta["review"]:
        parts.append(labels["meta_review"].format(review=meta["review"]))
    return Heading(
        organisation=plan.organisation,
        title=plan.title,
        subtitle=subtitle,
        document=plan.document,
        as_of=f"{labels['today']} {today}",
        meta=" · ".join(parts) or None,
        summary=None if summary is None else year_line(plan, summary, labels),
    )


def _pace_class(row: TaskRow) -> str:
    pace = row.pace
    behind = pace is not None and pace.behind
    return row_class(row) + (" behind" if behind and not row.done else "")


def _targets_grid(rows: Sequence[TaskRow], labels: Mapping[str, str]) -> Grid:
    L = labels
    columns = [
        Column(L["id"]),
        Column(L["title"]),
        Column(L["count"], "number"),
        Column(L["target"], "number"),
        Column(L["expected"], "number"),
        Column(L["measure"]),
        Column(L["pace"], "status"),
    ]
    cells: list[list[Cell]] = []
    for row in rows:
        pace = row.pace
        assert pace is not None
        behind = L["behind"] if pace.behind else ""
        cells.append(
            [
                row.task.id,
                row.task.title,
                pace.count,
                pace.target,
                pace.expected,
                row.task.unit,
                behind,
            ]
        )
    return Grid(columns, cells)


def _duties_grid(rows: Sequence[TaskRow], labels: Mapping[str, str]) -> Grid:
    L = labels
    columns = [
        Column(L["id"]),
        Column(L["title"]),
        Column(L["every"]),
        Column(L["status"], "status"),
        Column(L["periods"], "int"),
        Column(L["elapsed"], "int"),
        Column(L["periods_total"], "int"),
        Column(L["missed"]),
    ]
    cells: list[list[Cell]] = []
    for row in rows:
        beat = row.rhythm
        assert beat is not None
        cells.append(
            [
                row.task.id,
                row.task.title,
                L[EVERY_LABEL[beat.every]],
                status_word(row, L),
                len(beat.done),
                len(beat.elapsed),
                beat.total,
                ", ".join(period.label for period in beat.missed),
            ]
        )
    return Grid(columns, cells)


def owner_objects(owners: Sequence[UnitTally]) -> list[dict[str, Any]]:
    """The JSON of the units table (`"owner": null`: the tasks without a unit)."""
    return [
        {
            "owner": unit.unit,
            **tally_object(unit.led),
            "supported_total": unit.supported.total,
            "supported_done": unit.supported.done,
        }
        for unit in owners
    ]


def _owners_table(report: Report, labels: Mapping[str, str], *, supported: bool) -> Table:
    return owners_table(report.owners, labels, supported=supported)


def owners_table(
    owners: Sequence[UnitTally], labels: Mapping[str, str], *, supported: bool
) -> Table:
    """Each unit's led tasks (the tasks without a unit last); and, in a plan with supporting
    units, the tasks it supports. The report's and the digest's."""
    L = labels
    columns = [L["unit"], L["total"], L["done"], L["overdue"], L["progress"]]
    if supported:
        columns += [L["supported_total"], L["supported_done"]]
    rows = []
    values: list[list[Cell]] = []
    for unit in owners:
        led = unit.led
        name = L["no_unit"] if unit.unit is None else unit.unit
        cells = [name, str(led.total), str(led.done), str(led.overdue), bar(led)]
        plain: list[Cell] = [name, *_counts(led), led.percent]
        if supported:
            cells += [str(unit.supported.total), str(unit.supported.done)]
            plain += [unit.supported.total, unit.supported.done]
        rows.append(cells)
        values.append(plain)
    grid_columns = [
        Column(L["unit"]),
        Column(L["total"], "int"),
        Column(L["done"], "int"),
        Column(L["overdue"], "int"),
        Column(L["percent"], "percent"),
    ]
    if supported:
        grid_columns += [Column(L["supported_total"], "int"), Column(L["supported_done"], "int")]
    return Table(
        L["owners"],
        columns,
        rows,
        key="owners",
        grid=Grid(grid_columns, values),
        bars={4: [(unit.led.done, unit.led.total) for unit in owners]},
    )


def _deferrals(report: Report, labels: Mapping[str, str]) -> Table:
    L = labels
    cells = []
    values: list[list[Cell]] = []
    for row in report.deferred:
        deferral = row.state.deferral
        reason = deferral.reason or "" if deferral else ""
        who = f" ({deferral.on}, {deferral.by})" if deferral else ""
        planned = str(row.task.month) if row.task.month is not None else str(row.planned_due)
        now = str(row.month) if row.task.month is not None else str(row.due)
        carried = f" ({L['carried_over']})" if row.due > report.period_end else ""
        cells.append([row.task.id, row.task.title, planned, now + carried, reason + who])
        values.append(
            [
                row.task.id,
                row.task.title,
                row.planned_due,
                row.due,
                L["carried_over"] if carried else "",
                reason,
                deferral.on if deferral else None,
                deferral.by if deferral else None,
            ]
        )
    columns = [L["id"], L["title"], L["planned"], L["moved_to"], L["reason"]]
    grid_columns = [
        Column(L["id"]),
        Column(L["title"]),
        Column(L["planned_due"], "date"),
        Column(L["due"], "date"),
        Column(L["carried_over"]),
        Column(L["reason"]),
        Column(L["on"], "date"),
        Column(L["by"]),
    ]
    return Table(
        L["deferrals"],
        columns,
        cells,
        key="deferred",
        grid=Grid(grid_columns, values),
        row_classes=[row_class(row) for row in report.deferred],
    )


def _target_cells(row: TaskRow, labels: Mapping[str, str]) -> list[str]:
    pace = row.pace
    assert pace is not None
    unit = f"{labels['unit_space']}{row.task.unit}" if row.task.unit else ""
    expected = f"{pace.expected}{unit}"
    if pace.behind:
        expected += f" ({labels['behind']})"
    return [row.task.id, row.task.title, f"{pace.count}{unit}", f"{pace.target}{unit}", expected]


def _duty_cells(row: TaskRow, labels: Mapping[str, str]) -> list[str]:
    beat = row.rhythm
    assert beat is not None
    missed = ", ".join(period.label for period in beat.missed) or labels["none"]
    return [
        row.task.id,
        row.task.title,
        labels[EVERY_LABEL[beat.every]],
        f"{len(beat.done)}/{len(beat.elapsed)}",
        missed,
    ]


def _when(event: Event, labels: Mapping[str, str]) -> str:
    """The work date, and the day it was recorded where that is another day."""
    recorded = event.recorded_at.date()
    if recorded == event.work_date:
        return event.work_date.isoformat()
    return f"{event.work_date} ({labels['recorded_on'].format(day=recorded)})"


def _recent(plan: Plan, events: Sequence[Event], labels: Mapping[str, str]) -> Table:
    L = labels
    titles = {task.id: task.title for task in plan.tasks}
    rows = [
        [
            _when(e, L),
            e.task_id,
            titles.get(e.task_id, ""),
            action_text(e.action, L),
            e.recorded_by,
            e.note or "",
        ]
        for e in events
    ]
    columns = [L["on"], L["id"], L["title"], L["action"], L["by"], L["note"]]
    grid = Grid(
        [
            Column(L["on"], "date"),
            Column(L["recorded_day"], "date"),
            Column(L["id"]),
            Column(L["title"]),
            Column(L["action"]),
            Column(L["by"]),
            Column(L["note"]),
        ],
        [
            [
                e.work_date,
                e.recorded_at.date(),
                e.task_id,
                titles.get(e.task_id, ""),
                action_text(e.action, L),
                e.recorded_by,
                e.note,
            ]
            for e in events
        ],
    )
    return Table(L["recent"], columns, rows, key="recent", grid=grid)
