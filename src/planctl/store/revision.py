"""The schema revision this planctl writes, without SQLAlchemy (the SQLite read path checks it)."""

from __future__ import annotations

SCHEMA_REVISION = "0005"
"""The Alembic head this planctl writes; a store at this revision is used without Alembic."""

PLANCTL_TABLES = ("events", "plan_versions", "returns")
"""The tables of planctl's schema (besides Alembic's `alembic_version`)."""
