"""The digest view: the weekly status that `planctl digest` prints and `planctl mail` sends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from planctl.core.events import Event
from planctl.core.lights import DEFAULT_SUPERVISION
from planctl.core.progress import TaskRow
from planctl.core.report import Digest
from planctl.core.schedule import EVERY_TASK, Selection, unit_role
from planctl.plan.model import Plan
from planctl.render import Table, View
from planctl.views import columns
from planctl.views.cells import row_class, step_depths, unit_text
from planctl.views.columns import Spec
from planctl.views.headings import (
    heading,
    owner_objects,
    selection_object,
    selection_text,
    tally_object,
    year_line,
)
from planctl.views.objects import plan_object, task_object
from planctl.views.report_tables import owners_table
from planctl.views.task_table import DIGEST_COLUMNS, shape, task_specs

Done = tuple[Event, TaskRow | None]
"""A `done` of the last days, and its task's row (None for a task no longer in the plan)."""


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

    def title(row: TaskRow) -> str:
        if selection.owner is not None and unit_role(row.task, selection.owner) == "support":
            return row.task.title + L["supported_task"]
        return row.task.title

    def tasks(key: str, rows: Sequence[TaskRow], json_key: str) -> Table:
        specs = task_specs(L, shape(plan, rows), DIGEST_COLUMNS, depths=depths, title=title)
        caption = L[key].format(days=stale_days)
        return columns.table(
            caption, specs, rows, L, row_class=row_class, empty=L["none"], key=json_key
        )

    depths = step_depths(plan)
    # What needs action first, in the order a reminder escalates: overdue (red), due soon
    # (blue), behind (yellow), stale; then the week's work and what comes next.
    tables = [
        tasks("overdue_list", digest.overdue, "overdue"),
        tasks("due_soon", digest.due_soon, "due_soon"),
        tasks("behind_list", digest.behind, "behind"),
        tasks("stale_list", digest.stale, "stale"),
        done_table(digest, days, L),
        tasks("open_this_month", digest.open_this_month, "open"),
        tasks("next_month", digest.next_month, "next_month"),
    ]
    if selection == EVERY_TASK and digest.owners:  # the office's digest: each unit's figures
        tables.append(owners_table(digest.owners, L))
    subtitle = f"{L['digest']}{selection_text(selection, L)}"
    return View(
        digest_data(plan, digest, today, days, selection, stale_days),
        tables,
        title=f"{plan.title} {subtitle}",
        lead=f"{L['today']} {today}: {year_line(plan, digest.summary, L)}",
        heading=heading(plan, subtitle, today, L, digest.summary),
        lang=L["html_lang"],
    )


def done_table(digest: Digest, days: int, labels: Mapping[str, str]) -> Table:
    """What was done in the last `days` days: when, which task, by whom, and the note (after
    what a `done` added to a counted task)."""

    def note(done: Done) -> str:
        return _done_note(*done, digest, labels)

    specs: list[Spec[Done]] = [
        Spec("on", lambda done: done[0].work_date, "date"),
        Spec("id", lambda done: done[0].task_id),
        Spec("title", lambda done: done[1].task.title if done[1] else None),
        Spec("by", lambda done: done[0].recorded_by),
        Spec("note", lambda done: note(done) or None),
    ]
    return columns.table(
        labels["done_lately"].format(days=days),
        specs,
        digest.done_lately,
        labels,
        row_class=lambda _: "done",
        empty=labels["none"],
        key="done",
    )


def digest_data(
    plan: Plan, digest: Digest, today: date, days: int, selection: Selection, stale_days: int
) -> dict[str, Any]:
    """The digest as JSON."""
    return {
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
