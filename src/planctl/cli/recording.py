"""Recording, the shell's half: who records and when (`stamp`), the text a command records
held to the plan's rule (`recorded_text`), one use case run in one write transaction
(`record`, behind `Session.record`), and a refused request worded for the option that gave
its part (`worded`, applied once, where errors become exit codes)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from planctl import frozen
from planctl.core.events import Stamp
from planctl.errors import BadRequest, BadValue
from planctl.i18n import N_, _

if TYPE_CHECKING:
    from planctl.cli.session import Session
    from planctl.core.changes import Change, Situation, UseCase
    from planctl.core.progress import TaskRow
    from planctl.plan.model import Plan, Task


@frozen(slots=False)
class Recorded:
    """What `Session.record` did: the change, the work date, the stamp it recorded with, and
    the tasks it concerns (with their steps and prerequisites) as they stand after it, as of
    the same today, assessed as every read command assesses them."""

    change: Change
    on: date
    stamp: Stamp
    rows: Mapping[str, TaskRow]


def record(
    session: Session,
    case: UseCase,
    *,
    on: str | None,
    by: str | None,
    deliver: Callable[[Situation, Change], Change] | None = None,
) -> Recorded:
    """The use case run in one write transaction: the history of the tasks it reads, the work
    date (`on`, else today) checked against the plan's period or the due day of a task carried
    past it, the change, its events appended with the plan version they were recorded
    against, and the tasks it concerns read back as of today.

    `deliver` (`chase --mail`) is handed the situation and the change before anything is
    appended, inside the transaction: it sends what goes with the change and returns the part
    of it to record (what it sent); if it raises, nothing is recorded."""
    from planctl.core.changes import Situation
    from planctl.core.progress import effective_window
    from planctl.core.state import by_task, events_as_of, fold, states

    stamp = session.stamp(by)
    plan, today, period = session.plan, session.today, session.period
    with session.writing() as tx:
        history = by_task(tx.events(plan.id, case.reads()))
        carried = max(
            effective_window(task, fold(events_as_of(history.get(task.id, []), today)), period).due
            for task in case.tasks
        )
        day = work_date(session, on, until=carried)
        situation = Situation(plan, today, day, stamp, history)
        change = case.change(situation)
        if deliver is not None:
            change = deliver(situation, change)
        if change.events:
            tx.record_plan(plan, session.loaded.digest, stamp.at)
            tx.append(change.events)
        after = tx.events(plan.id, shown(plan, case.tasks))
    return Recorded(change, day, stamp, session.assessed(states(after, as_of=today)))


def work_date(session: Session, on: str | None, *, until: date) -> date:
    """The day the work happened: `--on`, else today. Never after today, and inside the
    plan's period, or up to `until` (the due day of a task carried over past it)."""
    from planctl.cli.settings import parse_date

    day = parse_date(on, "--on") if on else session.today
    given = f"--on {day}" if on else f"today ({day})"
    if day > session.today:
        raise BadValue(f"{given} is after today ({session.today})")
    period = session.period
    if not period.start <= day <= max(period.end, until):
        hint = "" if on else "; give --on DATE"
        raise BadValue(f"{given} is outside the plan's period {period.start}..{period.end}{hint}")
    return day


def shown(plan: Plan, tasks: Sequence[Task]) -> list[str]:
    """The task IDs a confirmation needs: the tasks, their prerequisites (references match
    IDs in any case) and the steps below any of them (a task with steps: its status is
    theirs)."""
    from planctl.core.changes import steps_below

    keys = {task.id.casefold() for task in tasks} | {
        ref.casefold() for task in tasks for ref in task.after
    }
    named = [task for task in plan.tasks if task.id.casefold() in keys]
    keys |= {step.casefold() for step in steps_below(named)}
    return [task.id for task in plan.tasks if task.id.casefold() in keys]


def stamp(by: str | None) -> Stamp:
    """Who records (`--by`, else the login name), now, and fresh event IDs."""
    from planctl.cli import settings

    who = recorded_text(settings.login_name() if by is None else by, "--by", name=True)
    return Stamp(who, datetime.now(UTC), _fresh_ids())


BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MAX_NAME = 128
"""The longest `--by` the store keeps (the recorded_by column, on every backend)."""
MAX_NOTE = 64 * 1024
"""The longest note or reason planctl records."""


def recorded_text(value: str, option: str, *, name: bool = False) -> str:
    """Text a command records (a note, a reason, a name), held to the plan's rule: no control
    characters but tab and line breaks, no line separators; a name (`--by`) also no line
    break, no bidi override, not blank, at most 128 characters. The store keeps exactly what
    passes, so nothing stored can forge a table line or drive a reader's terminal."""
    from planctl.plan.types import no_control_characters

    try:
        no_control_characters(value)
    except ValueError as error:
        raise BadValue(f"{option}: {error}") from None
    if name:
        if any(character in "\t\r\n" or character in BIDI_CONTROLS for character in value):
            raise BadValue(_("{option}: a name is one line of plain text").format(option=option))
        if not value.strip() or len(value) > MAX_NAME:
            said = _("{option} must be 1 to {most} characters")
            raise BadValue(said.format(option=option, most=MAX_NAME))
    elif len(value) > MAX_NOTE:
        said = _("{option} is longer than {most} KiB")
        raise BadValue(said.format(option=option, most=MAX_NOTE // 1024))
    return value


def _fresh_ids() -> Iterator[str]:
    while True:
        yield str(uuid.uuid4())


WORDED: Mapping[tuple[str, str], str] = {
    ("count", "range"): N_("--count must be 1 to {high}, not {given}"),
    ("count", "no target"): N_("--count is for tasks with a counted target; {tasks} has none"),
    ("count", "on steps"): N_("--count goes on a step: {task} counts what its steps count"),
    ("percent", "range"): N_("--percent must be 0 to 100, not {given}"),
    ("percent", "value target"): N_(
        "--percent is not for {task}: its value is measured against its target ({target});"
        " give --value"
    ),
    ("percent", "counted target"): N_(
        "--percent is not for {task}: it counts toward its target ({target}); give --count to done"
    ),
    ("value", "not a number"): N_("--value must be a number such as 8, 7.5 or -2, not {given!r}"),
    ("value", "no target"): N_(
        "--value is for tasks with a value target (measure: value); {task} has none"
    ),
    ("note", "blank"): N_("a progress report needs a note (--note): what was done so far"),
    ("reason", "blank"): N_("a deferral needs a reason (--reason)"),
    ("rejection reason", "blank"): N_("a rejection needs a reason (--reason)"),
    ("how", "unknown"): N_("--how must be phone, mail, letter or meeting, not {given!r}"),
    ("claim", "pending"): N_(
        "{task} {title} is awaiting a check (claimed on {on} by {by}); accept or reject that"
        " claim first"
    ),
    ("request", "pending"): N_(
        "{task} {title} has a request awaiting a decision (to {due}, asked on {on} by {by});"
        " approve or reject it first"
    ),
    ("accept", "nothing pending"): N_("{task} {title} has no claim to accept"),
    ("approve", "nothing pending"): N_("{task} {title} has no request to approve"),
    ("reject", "nothing pending"): N_("{task} {title} has no claim or request to reject"),
    ("accept", "own claim"): N_("{task} was claimed by {by}; someone else accepts it"),
    ("accept", "before claim"): N_(
        "{task} was claimed on {claimed}; it cannot be accepted before, on {on}"
    ),
    ("late", "after due"): N_(
        "{task} was due on {due}: a request for a later day comes before it (give --late to ask"
        " after it)"
    ),
}
"""How the command line says each refused part of a request (`BadRequest`'s part and
problem), with the core's facts in it; the message of a part not here is the core's own."""


def worded(error: BadRequest) -> BadValue:
    """A refused part of a request as the command line says it: named by its option."""
    said = WORDED.get((error.part, error.problem))
    return error if said is None else BadValue(_(said).format(**error.facts))
