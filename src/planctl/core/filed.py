"""A unit's return as collected: the record of who filed which cycle, when (returns table)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime


@dataclass(frozen=True, slots=True)
class FiledReturn:
    """A unit's return collected for a cycle: when it was received, the digest of the file
    (the same file collected again is recognised by it), the task rows it filled, and who
    recorded it when (handed in by the shell)."""

    return_id: str
    plan_id: str
    unit: str
    cycle: str
    received: date
    digest: str
    rows: int
    recorded_by: str
    recorded_at: datetime


RETURN_FIELDS: tuple[str, ...] = ("return_id", "plan_id", "unit", "cycle", "received",
                                  "digest", "rows", "recorded_by", "recorded_at")  # fmt: skip
"""The returns table's columns (besides its `seq`), in the order of the fields."""


def filed_return(row: tuple[object, ...] | list[object]) -> FiledReturn:
    """A return from a row of `RETURN_FIELDS`: dates and times as stored (SQLite keeps text,
    without a zone: planctl writes UTC)."""
    values = dict(zip(RETURN_FIELDS, row, strict=True))
    received, at = values["received"], values["recorded_at"]
    if isinstance(received, str):
        values["received"] = date.fromisoformat(received)
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    assert isinstance(at, datetime)
    values["recorded_at"] = at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)
    return FiledReturn(**values)  # type: ignore[arg-type]
