"""The progress store: an append-only event log behind SQLAlchemy (SQLite or PostgreSQL)."""
