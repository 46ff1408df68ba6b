"""Writing an export: the header (the oldest format that holds what follows), then the events,
the plan versions and the collected returns, one JSON line each.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date
from typing import Any

from planctl.core.events import KINDS, Event
from planctl.core.filed import FiledReturn
from planctl.store.rows import event_record
from planctl.store.transfer_lines import WITH_RETURNS, WITHOUT_RETURNS
from planctl.store.versions import PlanVersion


def export_lines(
    events: Sequence[Event],
    versions: Sequence[tuple[str, PlanVersion]],
    returns: Sequence[FiledReturn] = (),
) -> Iterator[str]:
    """The export, line by line (each ending in a newline): header, events, plan versions,
    returns (format 5 with checked steps, else 4 with returns, else 3)."""
    holds = events_format(events)
    yield header_line(len(events), len(versions), len(returns), holds=holds)
    yield from (_dump(event_record(event)) for event in events)
    yield version_lines(versions)
    yield return_lines(returns)


def events_format(events: Iterable[Event]) -> int:
    """The oldest export format that holds these events (`Kind.format`)."""
    return max((KINDS[event.action].format for event in events), default=1)


def header_line(events: int, versions: int, returns: int = 0, *, holds: int = 1) -> str:
    """The export's first line, which counts the events, plan versions and returns after it
    (format 5 when there are checked steps, else 4 when there are returns, else 3, which older
    planctl read)."""
    version = max(holds, WITH_RETURNS if returns else WITHOUT_RETURNS)
    header: dict[str, Any] = {
        "planctl_export": version,
        "events": events,
        "plan_versions": versions,
    }
    if returns:
        header["returns"] = returns
    return _dump(header)


def event_lines(events: Iterable[Event]) -> str:
    """The export's lines of these events."""
    return "".join(_dump(event_record(event)) for event in events)


def version_lines(versions: Iterable[tuple[str, PlanVersion]]) -> str:
    """The export's lines of these plan versions."""
    return "".join(
        _dump(
            {
                "type": "plan_version",
                "plan_id": plan_id,
                "digest": version.digest,
                "seen_at": version.seen_at.astimezone(UTC).isoformat(),
                "tasks": version.tasks,
            }
        )
        for plan_id, version in versions
    )


def return_lines(returns: Iterable[FiledReturn]) -> str:
    """The export's lines of these collected returns."""
    lines = []
    for filed in returns:
        record: dict[str, Any] = {"type": "return"}
        for name in FiledReturn.__dataclass_fields__:
            value = getattr(filed, name)
            record[name] = value.isoformat() if isinstance(value, date) else value
        record["recorded_at"] = filed.recorded_at.astimezone(UTC).isoformat()
        lines.append(_dump(record))
    return "".join(lines)


def _dump(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False) + "\n"
