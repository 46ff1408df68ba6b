"""Recorded progress: an append-only log of events, one per change a person made."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import field
from datetime import date, datetime

from planctl import frozen
from planctl.i18n import N_


class Action(enum.StrEnum):
    """What an event records."""

    DONE = "done"
    UNDO = "undo"
    NOTE = "note"
    DEFER = "defer"
    PROGRESS = "progress"
    """A progress report (进度填报): what was done so far, with a percent or a measured value;
    it never marks the task done."""
    CLAIM = "claim"
    """A claim that a task is done (办结申请, under the plan's `checks.done`), dated with the
    day the work was done; it is done once another person accepts it."""
    ACCEPT = "accept"
    """The check of the pending claim passed (销号): the task is done as of the claimed day."""
    REJECT = "reject"
    """The pending claim or request sent back (退回), its reason in `note`: a claimed task is
    open again; a requested due day is not granted."""
    REQUEST = "request"
    """A request for a later due day (延期申请, under the plan's `checks.defer`): the day asked
    for in `to_date` (and `to_month`), the reason in `note`; the task is unchanged until the
    decision."""
    APPROVE = "approve"
    """The pending request granted (批复): the due day in `to_date` (and `to_month`), the one
    asked for or another the approver gave."""
    CHASE = "chase"
    """A chase (催办) of a task that slips: how (`how`: phone, mail, letter, meeting), with an
    optional note; it changes nothing but the count of chases."""
    RENAME = "rename"
    """The events of a task the plan no longer has (its old ID, in `note`) count from now on for
    the task of this event (`planctl store rename-task OLD NEW`); `undo` takes it back."""


COLUMNS = frozenset({"undoes", "to", "count", "percent", "value", "how", "note"})
"""The columns a kind of event may carry or need besides those every event has (`to`: the
due day moved to, in `to_date` and/or `to_month`)."""


@frozen
class Kind:
    """What an event of one `Action` is, declared once: the store's row check, the export's
    validator and its format, the history's label and the fold (`core/state.py`'s `STEPS`)
    read it from here."""

    label: str
    """Its name in the history (an English msgid: `done`, 完成)."""
    format: int = 1
    """The export format that first holds it (an export is written as the oldest format that
    holds every event in it, at least 3)."""
    needs: frozenset[str] = frozenset()
    """The columns (`COLUMNS`) every event of this kind fills; an import refuses one without."""
    carries: frozenset[str] = frozenset()
    """The columns it may fill besides those; an import refuses any other (but a note)."""
    note_is: str | None = None
    """What a needed note holds, for the import's refusal (`the old task ID`; a msgid)."""
    changes_state: bool = True
    """Whether the fold counts it (it has a step in `core/state.py`'s `STEPS`)."""
    is_work: bool = True
    """Whether its work date is work on the task (`TaskState.last_event`, for stale tasks): an
    undo is, a rename is not."""

    @property
    def moves_due(self) -> bool:
        """Whether it carries a due day (`to_date`, `to_month`): a defer, a request, an
        approval."""
        return "to" in self.needs


KINDS: Mapping[Action, Kind] = {
    Action.DONE: Kind(N_("done"), carries=frozenset({"count"})),
    Action.UNDO: Kind(N_("undo"), needs=frozenset({"undoes"}), changes_state=False),
    Action.NOTE: Kind(N_("note")),
    Action.DEFER: Kind(N_("defer"), needs=frozenset({"to"})),
    Action.PROGRESS: Kind(
        N_("progress"), 3, needs=frozenset({"note"}), carries=frozenset({"percent", "value"})
    ),
    Action.CLAIM: Kind(N_("claim"), 5, carries=frozenset({"count"})),
    Action.ACCEPT: Kind(N_("accept"), 5),
    Action.REJECT: Kind(N_("reject"), 5),
    Action.REQUEST: Kind(N_("request"), 5, needs=frozenset({"to"})),
    Action.APPROVE: Kind(N_("approve"), 5, needs=frozenset({"to"})),
    Action.CHASE: Kind(  # its count: the number of the notice it was sent with (督办〔2018〕N号)
        N_("chase"), 5, needs=frozenset({"how"}), carries=frozenset({"count"})
    ),
    Action.RENAME: Kind(
        N_("rename"),
        3,
        needs=frozenset({"note"}),
        note_is=N_("the old task ID"),
        changes_state=False,
        is_work=False,
    ),
}
"""Every kind of event, by its `Action`: adding a kind is its `Action`, its line here, and its
step in `core/state.py`'s `STEPS` when the fold counts it."""


def owners(column: str) -> tuple[Action, ...]:
    """The kinds that fill `column` (need or carry it), in the order of `Action`."""
    return tuple(
        action for action in Action if column in KINDS[action].needs | KINDS[action].carries
    )


HOWS = ("phone", "mail", "letter", "meeting")
"""How a chase (催办) is made: by phone, by mail, by letter (a numbered 督办单), at a meeting."""

MAX_COUNT = 2**31 - 1
"""The largest count one `done` adds (the store's integer column, on every backend)."""

MAX_VALUE = 10.0**15
"""A measured value lies strictly between -10^15 and 10^15: what `--value` takes (at most 15
digits) and what `store import` takes, one bound for both, so that no store holds a value the
CLI would refuse (or a 309-digit number in JSON)."""


@frozen
class Event:
    """One recorded change to one task of one plan.

    Its fields are the store's columns, in order, and each column's bounds are said here once,
    in the field's metadata: the events table (`store/schema.py`), the row mapping
    (`store/rows.py`), the stored row's check (`store/row_check.py`) and the export line
    (`store/transfer_lines.py`) are made from them. A field with a default is a column that
    may be empty. The metadata:

    - `max_length`: a text column's length (without one, any length); `min_length`: 1 for
      text that is never blank;
    - `range`: (lowest, highest) of a whole number;
    - `choices`: the only texts it may hold;
    - `within`: a number lies strictly between minus that and that (the store refuses
      others: `check_fits`);
    - `format`: the export format that first holds the column (without it, 1): every line of
      a format-1 column has its key, a later column's key may be absent (and is left out of
      a line when it is empty and later than format 3, the oldest written).

    A number with a fraction (`float`) is finite."""

    event_id: str = field(metadata={"min_length": 1, "max_length": 36})
    plan_id: str = field(metadata={"min_length": 1, "max_length": 64})
    task_id: str = field(metadata={"min_length": 1, "max_length": 64})
    action: Action = field(metadata={"max_length": 16})
    work_date: date
    recorded_by: str = field(metadata={"min_length": 1, "max_length": 128})
    recorded_at: datetime
    note: str | None = None
    undoes: str | None = field(default=None, metadata={"min_length": 1, "max_length": 36})
    count: int | None = field(default=None, metadata={"range": (1, MAX_COUNT)})
    """How much a `done` (or a `claim`) adds to a task with a target (None: 1); on a `chase`
    sent as a chase notice, the notice's number (督办〔2018〕N号)."""
    to_month: int | None = field(default=None, metadata={"range": (1, 12)})
    """The month a `defer` moves the task to; its reason is the note."""
    to_date: date | None = field(default=None, metadata={"format": 2})
    """The due day a `defer` moves the task to (an event with only `to_month`: that month's
    last day in the plan's year)."""
    percent: int | None = field(default=None, metadata={"range": (0, 100), "format": 3})
    """How far a `progress` report says the task is, 0-100."""
    value: float | None = field(default=None, metadata={"format": 3, "within": MAX_VALUE})
    """The value a `progress` report measured, for a task with a value target."""
    how: str | None = field(default=None, metadata={"max_length": 16, "choices": HOWS, "format": 5})
    """How a `chase` was made: phone, mail, letter or meeting (`HOWS`)."""


@frozen
class Stamp:
    """Who records a change, when, and the IDs its events get.

    The shell hands these in (as TaskChampion's `create_task(uuid, ops)` takes its uuid), so
    that the core reads no clock and invents no ID, and tests can expect exact values."""

    by: str
    at: datetime
    ids: Iterator[str]

    def event(
        self,
        plan_id: str,
        task_id: str,
        action: Action,
        work_date: date,
        *,
        note: str | None = None,
        undoes: str | None = None,
        count: int | None = None,
        to_month: int | None = None,
        to_date: date | None = None,
        percent: int | None = None,
        value: float | None = None,
        how: str | None = None,
    ) -> Event:
        """A new event recorded by this stamp's person at its time, with the next ID."""
        return Event(
            event_id=next(self.ids),
            plan_id=plan_id,
            task_id=task_id,
            action=action,
            work_date=work_date,
            recorded_by=self.by,
            recorded_at=self.at,
            note=note,
            undoes=undoes,
            count=count,
            to_month=to_month,
            to_date=to_date,
            percent=percent,
            value=value,
            how=how,
        )
