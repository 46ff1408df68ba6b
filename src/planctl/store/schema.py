"""The store's tables, as SQLAlchemy Core metadata. Alembic migrations create and upgrade them."""

from __future__ import annotations

import dataclasses
import typing
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from planctl.core.events import Event
from planctl.store.revision import SCHEMA_REVISION as SCHEMA_REVISION

metadata = sa.MetaData()


def _event_column(name: str, kind: Any, length: int | None, nullable: bool) -> sa.Column[Any]:
    """The column of one `Event` field: its type from the field's (text of `max_length`
    characters, else of any length), empty allowed where the field has a default."""
    kinds: dict[Any, Any] = {int: sa.Integer, float: sa.Float, date: sa.Date}
    if kind is datetime:
        column_type: Any = sa.DateTime(timezone=True)
    elif kind in kinds:
        column_type = kinds[kind]
    else:  # text, and the Action (a str enum)
        column_type = sa.String(length) if length is not None else sa.Text
    unique = name == "event_id"
    return sa.Column(name, column_type, nullable=nullable, unique=unique or None)


def _event_columns() -> list[sa.Column[Any]]:
    """The events table's columns after `seq`: the `Event` fields, in their order (a new
    field is a new column; its migration adds it to stores made before)."""
    hints = typing.get_type_hints(Event)
    columns = []
    for field in dataclasses.fields(Event):
        kinds = [kind for kind in typing.get_args(hints[field.name]) if kind is not type(None)]
        kind = kinds[0] if kinds else hints[field.name]
        nullable = field.default is None
        columns.append(_event_column(field.name, kind, field.metadata.get("max_length"), nullable))
    return columns


events = sa.Table(
    "events",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    *_event_columns(),
    sa.Index("ix_events_plan_task", "plan_id", "task_id"),
)
"""One row per `Event`, in the order recorded (`seq`)."""

SQLITE_READ_INDEX = "ix_events_plan_read"
"""On SQLite only (migration 0007), besides `ix_events_plan_task`: every column of the events
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
