"""The schema revision this planctl writes, without SQLAlchemy (the SQLite read path checks it)."""

from __future__ import annotations

SCHEMA_REVISION = "0008"
"""The Alembic head this planctl writes; a store at this revision is used without Alembic."""

KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0008")
"""Every schema revision this planctl has a migration for, oldest first; any other revision
was made by a newer planctl (Alembic cannot go there from here)."""

PLANCTL_TABLES = ("events", "plan_versions", "returns")
"""The tables of planctl's schema (besides Alembic's `alembic_version`)."""
