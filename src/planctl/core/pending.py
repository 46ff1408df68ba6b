"""What awaits a decision (the plan's `checks`): claims to accept or reject, requests for a
later due day to approve or refuse, oldest first."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from planctl import frozen
from planctl.core.progress import TaskRow


@frozen
class Pending:
    """A claim (`kind` "claim") or a request ("request") awaiting a decision: the task as it
    stands, when and by whom it was asked, how many days ago, and for a request the day asked
    for, its reason and whether it came after the due day (late)."""

    row: TaskRow
    kind: str
    on: date
    by: str
    age: int
    asks: date | None = None
    reason: str | None = None
    late: bool = False


def pending(rows: Iterable[TaskRow], today: date) -> list[Pending]:
    """The claims and requests awaiting a decision, oldest first (then in plan order, a
    task's claim before its request)."""
    found: list[tuple[date, int, int, Pending]] = []
    for index, row in enumerate(rows):
        claim, request = row.state.claim, row.state.request
        if claim is not None:
            item = Pending(row, "claim", claim.on, claim.by, (today - claim.on).days,
                           reason=claim.note)  # fmt: skip
            found.append((claim.on, index, 0, item))
        if request is not None:
            item = Pending(
                row, "request", request.on, request.by, (today - request.on).days,
                asks=request.due, reason=request.reason, late=request.on > row.due,
            )  # fmt: skip
            found.append((request.on, index, 1, item))
    return [item for *_, item in sorted(found, key=lambda each: each[:3])]
