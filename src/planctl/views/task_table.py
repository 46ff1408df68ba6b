"""The table of tasks, defined once: its columns (`task_specs`), shown as `list` and `due`
show them, as the digest's lists do, or as the report's; the footer that counts them."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import NamedTuple

from planctl.core.progress import TaskRow
from planctl.core.steps import counted_rows
from planctl.plan.model import Plan
from planctl.render import Grid, Table
from planctl.views import columns
from planctl.views.cells import (
    NO_STEPS,
    id_text,
    light_text,
    month_text,
    names_leaders,
    names_text,
    roles_text,
    row_class,
    status_text,
    status_word,
)
from planctl.views.columns import Spec
from planctl.views.labels import plural

Col = Spec[TaskRow]
"""A column of a task table."""

LIST_COLUMNS = ("id", "month", "title", "roles", "leader", "points", "kind", "status", "light")
"""The text columns of `list` and `due` (`leader` in a plan that names leaders)."""
DIGEST_COLUMNS = ("id", "month", "due", "title", "leads", "leader", "status", "light")
"""The text columns of the digest's lists: who answers for each task, and its light."""
REPORT_COLUMNS = ("id", "month", "title", "leads", "leader", "status")
"""The text columns of the report's list of overdue tasks."""


class Shape(NamedTuple):
    """The columns a task table has beyond the usual: supporting units, leaders, counts
    against a target, steps."""

    support: bool = False
    leaders: bool = False
    paced: bool = False
    stepped: bool = False


def shape(plan: Plan, rows: Sequence[TaskRow]) -> Shape:
    """What the plan names (supporting units, leaders, steps) and the rows count (targets)."""
    return Shape(
        support=any(task.support for task in plan.tasks),
        leaders=names_leaders(plan),
        paced=any(row.pace is not None for row in rows),
        stepped=any(task.steps for task in plan.tasks),
    )


def task_specs(
    labels: Mapping[str, str],
    has: Shape,
    shown: Collection[str],
    *,
    depths: Mapping[str, int] = NO_STEPS,
    title: Callable[[TaskRow], str] | None = None,
) -> list[Spec[TaskRow]]:
    """A task table's columns. The typed grid has them all: dates as dates, units joined with
    、, the status as a word and when and by whom it was done in columns of their own; count,
    target and unit where a task has a target; parents and steps, supporting units and leaders
    where the plan has any. The text cells show the columns named in `shown` (`LIST_COLUMNS`
    ...): the status in words with pace and periods, steps marked under their task (`depths`,
    see `step_depths`). `title` gives a row's title where it is not the task's."""
    L = labels

    def on(name: str) -> columns.Shown:
        return "both" if name in shown else "grid"

    return [
        Col("id", lambda r: r.task.id, text=lambda r: id_text(r.task, depths)),
        *([Col("parent_task", lambda r: r.task.parent, shown="grid")] if has.stepped else []),
        Col("month", lambda r: month_text(r, L)),
        Col("start", lambda r: r.start, "date", shown="grid"),
        Col("due", lambda r: r.due, "date", shown=on("due")),
        Col("title", title or (lambda r: r.task.title)),
        *([Col("unit", lambda r: roles_text(r.task, L), shown="text")] if "roles" in shown else []),
        Col(
            "lead" if has.support else "unit",
            lambda r: names_text(r.task.leads, L),
            shown=on("leads"),
        ),
        *([Col("support", lambda r: names_text(r.task.support, L), shown="grid")]
          if has.support else []),
        *([Col("leader", lambda r: names_text(r.task.leader, L), shown=on("leader"))]
          if has.leaders else []),
        Col("points_col", lambda r: ", ".join(map(str, r.task.points)), shown=on("points")),
        Col("kind", lambda r: r.task.kind, shown=on("kind")),
        Col("status", lambda r: status_word(r, L), "status", lambda r: status_text(r, L),
            shown=on("status")),
        Col("light", lambda r: light_text(r, L), "light", shown=on("light"),
            style=lambda r: f"light-{r.light}"),
        *([Col("steps_done_col", lambda r: r.steps.done if r.steps else None, "count",
               shown="grid"),
           Col("steps_field", lambda r: r.steps.total if r.steps else None, "count",
               shown="grid")] if has.stepped else []),
        Col("done_on", lambda r: r.completion.on if r.completion else None, "date",
            shown="grid"),
        Col("by", lambda r: r.completion.by if r.completion else None, shown="grid"),
        *([Col("count", lambda r: r.pace.count if r.pace else None, "number", shown="grid"),
           Col("target", lambda r: r.pace.target if r.pace else None, "number", shown="grid"),
           Col("measure", lambda r: r.task.unit if r.pace else None, shown="grid")]
          if has.paced else []),
        Col("note", lambda r: r.state.note, shown="grid"),
    ]  # fmt: skip


def row_style(row: TaskRow) -> str:
    """A task's row on a terminal: green when done, red when overdue."""
    return "green" if row.done else ("red" if row.overdue else "")


def task_cells(
    row: TaskRow,
    labels: Mapping[str, str],
    *,
    leaders: bool = False,
    depths: Mapping[str, int] = NO_STEPS,
) -> list[str]:
    """A task's text cells as `list` shows them."""
    specs = task_specs(labels, Shape(leaders=leaders), LIST_COLUMNS, depths=depths)
    return columns.text_row(specs, row)


def task_table(
    title: str,
    rows: Sequence[TaskRow],
    labels: Mapping[str, str],
    *,
    plan: Plan,
    key: str = "tasks",
    sheet: str = "",
    depths: Mapping[str, int] = NO_STEPS,
) -> Table:
    """A table of tasks as `list` and `due` show them; with `depths` (`step_depths`), steps
    are marked under their task."""
    specs = task_specs(labels, shape(plan, rows), LIST_COLUMNS, depths=depths)
    return columns.table(
        title,
        specs,
        rows,
        labels,
        row_class=row_class,
        row_style=row_style,
        empty=labels["none"],
        key=key,
        sheet=sheet,
    )


def who_columns(plan: Plan, labels: Mapping[str, str], *, leaders: bool) -> list[str]:
    """Lead units (just "units" in a plan without supporting ones), and leaders."""
    units = labels["lead"] if any(task.support for task in plan.tasks) else labels["unit"]
    return [units, labels["leader"]] if leaders else [units]


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


def task_grid(rows: Sequence[TaskRow], labels: Mapping[str, str], plan: Plan) -> Grid:
    """Tasks as typed cells, in every column of a task table (see `task_specs`)."""
    return columns.grid(task_specs(labels, shape(plan, rows), ()), rows, labels)
