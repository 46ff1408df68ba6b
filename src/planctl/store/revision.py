"""The schema revision this planctl writes, without SQLAlchemy (the SQLite read path checks it).

The revisions are the migrations' file names (`migrations/versions/0006_chases.py` is
revision `0006`, which revises `0005`): a new migration is the only file to add."""

from __future__ import annotations

from pathlib import Path

KNOWN_REVISIONS = tuple(
    sorted(
        path.name[:4]
        for path in (Path(__file__).parent / "migrations" / "versions").glob(
            "[0-9][0-9][0-9][0-9]_*.py"
        )
    )
)
"""Every schema revision this planctl has a migration for, oldest first; any other revision
was made by a newer planctl (Alembic cannot go there from here)."""

SCHEMA_REVISION = KNOWN_REVISIONS[-1]
"""The Alembic head this planctl writes; a store at this revision is used without Alembic."""

PLANCTL_TABLES = ("events", "plan_versions", "returns")
"""The tables of planctl's schema (besides Alembic's `alembic_version`)."""
