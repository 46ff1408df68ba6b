"""A plan's events read task by task from one index (issue 32), on SQLite only.

Every read command folds a plan's events task by task (`SqliteReader.per_task`: `WHERE
plan_id = ? ORDER BY task_id, seq`). Through `ix_events_plan_task` each of those rows is then
looked up in the table, where a shared store keeps it among every other plan's events: one
page of the file per event. This index holds every column of the event in that order, so the
read is one walk along the index (10,000 events of a 1,000-task plan in a store of 1,000,000:
about half the SELECT's time; docs/performance.md, issue 32). It costs room (the store of
1,000,000 events: 234 MB -> 383 MB). PostgreSQL cannot hold a row that wide in a B-tree entry
(a long note would be refused), so there the index on plan and task stays the only one.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

READ_INDEX = "ix_events_plan_read"
COLUMNS = ["plan_id", "task_id", "seq", "event_id", "action", "work_date", "recorded_by",
           "recorded_at", "note", "undoes", "count", "to_month", "to_date", "percent", "value",
           "how"]  # fmt: skip
"""The order a plan's events are read in (plan, task, seq), then every other column."""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.create_index(READ_INDEX, "events", COLUMNS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index(READ_INDEX, "events")
