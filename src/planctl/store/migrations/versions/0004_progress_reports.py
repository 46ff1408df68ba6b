"""Progress reports (进度填报): the percent a report gives and the value it measured.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("percent", sa.Integer, nullable=True))
        batch.add_column(sa.Column("value", sa.Float, nullable=True))
