"""Alembic environment: planctl hands over an open connection; nothing is read from a file."""

from __future__ import annotations

from alembic import context

from planctl.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
context.run_migrations()
