"""The store's tables, as SQLAlchemy Core metadata. Alembic migrations create and upgrade them."""

from __future__ import annotations

import sqlalchemy as sa

from planctl.store.revision import SCHEMA_REVISION as SCHEMA_REVISION

metadata = sa.MetaData()

events = sa.Table(
    "events",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(36), nullable=False, unique=True),
    sa.Column("plan_id", sa.String(64), nullable=False),
    sa.Column("task_id", sa.String(64), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("work_date", sa.Date, nullable=False),
    sa.Column("recorded_by", sa.String(128), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("note", sa.Text, nullable=True),
    sa.Column("undoes", sa.String(36), nullable=True),
    sa.Column("count", sa.Integer, nullable=True),
    sa.Column("to_month", sa.Integer, nullable=True),
    sa.Column("to_date", sa.Date, nullable=True),
    sa.Column("percent", sa.Integer, nullable=True),
    sa.Column("value", sa.Float, nullable=True),
    sa.Column("how", sa.String(16), nullable=True),
    sa.Index("ix_events_plan_task", "plan_id", "task_id"),
)

SQLITE_READ_INDEX = "ix_events_plan_read"
"""On SQLite only (migration 0008), besides `ix_events_plan_task`: every column of the events
by plan, task and `seq`, so that a plan's events are read task by task from the index alone
(`sqlite_read.PER_TASK_QUERY`). Not in this metadata: PostgreSQL cannot index a row that wide."""

plan_versions = sa.Table(
    "plan_versions",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("plan_id", sa.String(64), nullable=False, index=True),
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("tasks", sa.Text, nullable=False),
)
"""Each version of a plan that events were recorded against, with its tasks as JSON
({id: [title, month or null]}), so `check` can say what changed since."""

returns = sa.Table(
    "returns",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("return_id", sa.String(36), nullable=False, unique=True),
    sa.Column("plan_id", sa.String(64), nullable=False),
    sa.Column("unit", sa.String(128), nullable=False),
    sa.Column("cycle", sa.String(16), nullable=False),
    sa.Column("received", sa.Date, nullable=False),
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("recorded_by", sa.String(128), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_returns_plan_cycle", "plan_id", "cycle"),
)
"""Each unit's return collected for a cycle (`returns collect`): the day it was received,
the digest of the file, the rows it filled. Append-only, as events are."""
