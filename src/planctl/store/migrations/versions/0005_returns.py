"""Returns (填报): each unit's return collected for a cycle, who filed and when.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Self-contained: the table as this revision made it, not as `schema.py` may have it later.
    op.create_table(
        "returns",
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
    )
    op.create_index("ix_returns_plan_cycle", "returns", ["plan_id", "cycle"])
