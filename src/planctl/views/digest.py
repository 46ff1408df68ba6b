"""The digest view: the weekly status that `planctl digest` prints and `planctl mail` sends."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from planctl.core.events import Event
from planctl.core.lights import DEFAULT_SUPERVISION
from planctl.core.progress import TaskRow
from planctl.core.report import Digest
from planctl.core.schedule import EVERY_TASK, Selection, unit_role
from planctl.plan.model import Plan
from planctl.render import Column, Grid, Table, View
from planctl.views.common import (
    id_text,
    light_styles,
    light_text,
    month_text,
    names_leaders,
    plan_object,
    row_class,
    status_text,
    step_depths,
    task_grid,
    task_object,
    unit_text,
)
from planctl.views.report import (
    heading,
    owner_objects,
    owners_table,
    selection_object,
    selection_text,
    tally_object,
    who_cells,
    who_columns,
    year_line,
)


def digest_view(
    plan: Plan,
    digest: Digest,
    today: date,
    days: int,
    labels: Mapping[str, str],
    *,
    selection: Selection = EVERY_TASK,
    stale_days: int = DEFAULT_SUPERVISION.stale_days,
) -> View:
    """Done lately (who, when, note), open this month, overdue, next month, and the year.

    Each list shows who answers for its tasks (lead units, leaders); in a unit's digest, the
    tasks it supports rather than leads are marked as such."""
    L = labels
    leaders = names_leaders(plan)
    depths = step_depths(plan)
    data: dict[str, Any] = {
        "plan": plan_object(plan),
        "today": today.isoformat(),
        "since": digest.since.isoformat(),
        "days": days,
        **selection_object(selection),
        "done": [
            {
                "id": event.task_id,
                "title": row.task.title if row else None,
                "on": event.work_date.isoformat(),
                "by": event.recorded_by,
                "note": event.note,
                "count": event.count,
                "count_after": digest.counted_to.get(event.event_id),
                "target": _counted_target(row),
            }
            for event, row in digest.done_lately
        ],
        "due_soon": [task_object(row) for row in digest.due_soon],
        "open": [task_object(row) for row in digest.open_this_month],
        "overdue": [task_object(row) for row in digest.overdue],
        "next_month": [task_object(row) for row in digest.next_month],
        "summary": {**tally_object(digest.summary), "percent": digest.summary.percent},
        "behind": [task_object(row) for row in digest.behind],
        "stale": [task_object(row) for row in digest.stale],
        "stale_days": stale_days,
        "owners": owner_objects(digest.owners),
    }
    task_columns = [
        L["id"],
        L["month"],
        L["due"],
        L["title"],
        *who_columns(plan, L, leaders=leaders),
        L["status"],
        L["light"],
    ]

    def title_cell(row: TaskRow) -> str:
        if selection.owner is not None and unit_role(row.task, selection.owner) == "support":
            return row.task.title + L["supported_task"]
        return row.task.title

    def task_table(key: str, rows: list[TaskRow], json_key: str) -> Table:
        grid = task_grid(rows, L, plan)
        title_column = [column.name for column in grid.columns].index(L["title"])
        for grid_row, row in zip(grid.rows, rows, strict=True):
            grid_row[title_column] = title_cell(row)
        return Table(
            L[key].format(days=stale_days),
            task_columns,
            [
                [
                    id_text(r.task, depths),
                    month_text(r, L),
                    r.due.isoformat(),
                    title_cell(r),
                    *who_cells(r, L, leaders=leaders),
                    status_text(r, L),
                    light_text(r, L),
                ]
                for r in rows
            ],
            empty=L["none"],
            key=json_key,
            grid=grid,
            row_classes=[row_class(r) for r in rows],
            cell_styles=light_styles(len(task_columns) - 1, rows),
        )

    # What needs action first, in the order a reminder escalates: overdue (red), due soon
    # (blue), behind (yellow), stale; then the week's work and what comes next.
    tables = [
        task_table("overdue_list", digest.overdue, "overdue"),
        task_table("due_soon", digest.due_soon, "due_soon"),
        task_table("behind_list", digest.behind, "behind"),
        task_table("stale_list", digest.stale, "stale"),
        Table(
            L["done_lately"].format(days=days),
            [L["on"], L["id"], L["title"], L["by"], L["note"]],
            [
                [
                    event.work_date.isoformat(),
                    event.task_id,
                    row.task.title if row else "",
                    event.recorded_by,
                    _done_note(event, row, digest, L),
                ]
                for event, row in digest.done_lately
            ],
            empty=L["none"],
            key="done",
            grid=Grid(
                [
                    Column(L["on"], "date"),
                    Column(L["id"]),
                    Column(L["title"]),
                    Column(L["by"]),
                    Column(L["note"]),
                ],
                [
                    [
                        event.work_date,
                        event.task_id,
                        row.task.title if row else None,
                        event.recorded_by,
                        _done_note(event, row, digest, L) or None,
                    ]
                    for event, row in digest.done_lately
                ],
            ),
            row_classes=["done"] * len(digest.done_lately),
        ),
        task_table("open_this_month", digest.open_this_month, "open"),
        task_table("next_month", digest.next_month, "next_month"),
    ]
    if selection == EVERY_TASK and digest.owners:  # the office's digest: each unit's figures
        supported = any(unit.supported.total for unit in digest.owners)
        tables.append(owners_table(digest.owners, L, supported=supported))
    title = f"{plan.title} {L['digest']}{selection_text(selection, L)}"
    return View(
        data,
        tables,
        title=title,
        lead=f"{L['today']} {today}: {year_line(plan, digest.summary, L)}",
        heading=heading(
            plan, f"{L['digest']}{selection_text(selection, L)}", today, L, digest.summary
        ),
        lang=L["html_lang"],
    )


def _counted_target(row: TaskRow | None) -> int | None:
    """The target of a counted task (null for any other)."""
    if row is None or row.task.target is None or row.task.measures_value:
        return None
    return int(row.task.target)


def _done_note(event: Event, row: TaskRow | None, digest: Digest, labels: Mapping[str, str]) -> str:
    """A recent `done`'s note, after what it added to a counted task (`+2 (4/6次)`)."""
    target = _counted_target(row)
    after = digest.counted_to.get(event.event_id)
    parts = []
    if row is not None and target is not None and after is not None:
        parts.append(f"+{event.count or 1} ({unit_text(after, target, row.task.unit, labels)})")
    if event.note:
        parts.append(event.note)
    return " · ".join(parts)
