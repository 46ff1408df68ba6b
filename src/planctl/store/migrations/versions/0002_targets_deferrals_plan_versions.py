"""Counts and deferrals on events; the plan versions events were recorded against.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("count", sa.Integer, nullable=True))
        batch.add_column(sa.Column("to_month", sa.Integer, nullable=True))
    op.create_table(
        "plan_versions",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tasks", sa.Text, nullable=False),
    )
    op.create_index("ix_plan_versions_plan_id", "plan_versions", ["plan_id"])
