"""Steps among rows: a task's step rows, the rows a summary counts, steps under their task.

Pure: rows in, rows out. A step is a task of its own (the loader flattens steps into the
plan's tasks, each with `parent` set; `planctl.plan.steps`), and a task with steps takes its
status from them (`planctl.core.progress.roll_up`). Summaries count only the tasks without
steps (`leaf_rows`), so nothing is counted twice; lists show a parent with its roll-up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from planctl.core.progress import TaskRow
from planctl.plan.model import Task


def leaf_rows(rows: Iterable[TaskRow]) -> list[TaskRow]:
    """The rows of tasks without steps: what a summary counts (a parent's steps stand for
    it), in the order given."""
    return [row for row in rows if not row.task.steps]


def counted_rows(rows: Sequence[TaskRow], tasks: Mapping[str, Task]) -> list[TaskRow]:
    """The rows a list's count takes, each piece of work once: a task with steps only when
    none of its steps (at any depth) is among the rows, since they then stand for it (as in
    `leaf_rows`); a task shown without its steps counts itself. `tasks`: the plan's, by ID."""
    covered: set[str] = set()
    for row in rows:
        parent = row.task.parent
        while parent is not None and parent not in covered:
            covered.add(parent)
            parent = tasks[parent].parent
    return [row for row in rows if row.task.id not in covered]


def step_rows(rows: Mapping[str, TaskRow], parent_id: str) -> list[TaskRow]:
    """The rows of a task's own steps (not their steps), in plan order; [] for a task
    without steps or one `rows` does not hold."""
    parent = rows.get(parent_id)
    if parent is None:
        return []
    return [rows[step_id] for step_id in parent.task.step_ids if step_id in rows]


def open_steps(rows: Mapping[str, TaskRow], parent_id: str) -> list[TaskRow]:
    """A task's steps that are still open, which keep it from being done."""
    return [row for row in step_rows(rows, parent_id) if not row.done]


def depth(rows: Mapping[str, TaskRow], task_id: str) -> int:
    """0 for a task, 1 for its step, 2 for a step's step."""
    level = 0
    parent = rows[task_id].task.parent if task_id in rows else None
    while parent is not None and parent in rows:
        level += 1
        parent = rows[parent].task.parent
    return level


def tree_order(rows: Iterable[TaskRow]) -> list[TaskRow]:
    """The rows in the order given, except that a step among them comes right after its
    task when its task is among them too (its own steps in the order given)."""
    ordered = list(rows)
    present = {row.task.id for row in ordered}
    steps: dict[str, list[TaskRow]] = {}
    for row in ordered:
        if row.task.parent in present:
            steps.setdefault(row.task.parent, []).append(row)
    out: list[TaskRow] = []

    def place(row: TaskRow) -> None:
        out.append(row)
        for step in steps.get(row.task.id, []):
            place(step)

    for row in ordered:
        if row.task.parent not in present:
            place(row)
    return out
