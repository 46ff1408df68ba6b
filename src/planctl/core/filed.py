"""A unit's return as collected: the record of who filed which cycle, when (returns table)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

from planctl import frozen
from planctl.core.events import Event


@frozen
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


def return_sources(events: Iterable[Event], filed: Iterable[FiledReturn]) -> dict[str, FiledReturn]:
    """The return each event was recorded from, by event ID: a return's events are recorded
    with its record, by the same person at the same moment (one stamp, one transaction), so
    that a return is known by who recorded it when. Events from no return are left out."""
    by_stamp = {(f.plan_id, f.recorded_by, f.recorded_at): f for f in filed}
    found: dict[str, FiledReturn] = {}
    for event in events:
        source = by_stamp.get((event.plan_id, event.recorded_by, event.recorded_at))
        if source is not None:
            found[event.event_id] = source
    return found


def returns_recording(events: Iterable[Event], filed: Sequence[FiledReturn]) -> list[FiledReturn]:
    """The returns (in `filed`'s order) that some of `events` were recorded from."""
    used = {source.return_id for source in return_sources(events, filed).values()}
    return [f for f in filed if f.return_id in used]
