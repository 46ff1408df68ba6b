"""Recording, the shell's half: who records and when (`stamp`), the text a command records
held to the plan's rule (`recorded_text`), one use case run in one write transaction
(`record`, behind `Session.record`), and a refused request worded for the option that gave
its part (`worded`, applied once, where errors become exit codes)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from planctl.core.events import Stamp
from planctl.errors import BadRequest, BadValue
from planctl.i18n import _

if TYPE_CHECKING:
    from planctl.cli.session import Session
    from planctl.core.changes import Change, Situation, UseCase
    from planctl.core.progress import TaskRow
    from planctl.plan.model import Plan, Task


@dataclass(frozen=True)
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


def worded(error: BadRequest) -> BadValue:
    """A refused part of a request as the command line says it: named by its option."""
    facts = error.facts
    match error.part, error.problem:
        case "count", "range":
            return BadValue(
                _("--count must be 1 to {high}, not {given}").format(
                    high=facts["high"], given=facts["given"]
                )
            )
        case "count", "no target":
            return BadValue(
                _("--count is for tasks with a counted target; {tasks} has none").format(
                    tasks=facts["tasks"]
                )
            )
        case "count", "on steps":
            return BadValue(
                _("--count goes on a step: {id} counts what its steps count").format(
                    id=facts["task"]
                )
            )
        case "percent", "range":
            return BadValue(
                _("--percent must be 0 to 100, not {percent}").format(percent=facts["given"])
            )
        case "percent", "value target":
            return BadValue(
                _(
                    "--percent is not for {id}: its value is measured against its target"
                    " ({target}); give --value"
                ).format(id=facts["task"], target=facts["target"])
            )
        case "percent", "counted target":
            return BadValue(
                _(
                    "--percent is not for {id}: it counts toward its target ({target});"
                    " give --count to done"
                ).format(id=facts["task"], target=facts["target"])
            )
        case "value", "not a number":
            return BadValue(
                _("--value must be a number such as 8, 7.5 or -2, not {value}").format(
                    value=repr(facts["given"])
                )
            )
        case "value", "no target":
            return BadValue(
                _(
                    "--value is for tasks with a value target (measure: value); {id} has none"
                ).format(id=facts["task"])
            )
        case "note", "blank":
            return BadValue(_("a progress report needs a note (--note): what was done so far"))
        case "reason", "blank":
            if facts.get("of") == "rejection":
                return BadValue(_("a rejection needs a reason (--reason)"))
            return BadValue(_("a deferral needs a reason (--reason)"))
        case "how", "unknown":
            return BadValue(
                _("--how must be phone, mail, letter or meeting, not {given}").format(
                    given=repr(facts["given"])
                )
            )
        case "claim", "pending":
            return BadValue(
                _(
                    "{id} {title} is awaiting a check (claimed on {on} by {by}); accept or"
                    " reject that claim first"
                ).format(id=facts["task"], title=facts["title"], on=facts["on"], by=facts["by"])
            )
        case "request", "pending":
            return BadValue(
                _(
                    "{id} {title} has a request awaiting a decision (to {due}, asked on {on} by"
                    " {by}); approve or reject it first"
                ).format(
                    id=facts["task"],
                    title=facts["title"],
                    due=facts["due"],
                    on=facts["on"],
                    by=facts["by"],
                )
            )
        case "accept", "nothing pending":
            return BadValue(
                _("{id} {title} has no claim to accept").format(
                    id=facts["task"], title=facts["title"]
                )
            )
        case "approve", "nothing pending":
            return BadValue(
                _("{id} {title} has no request to approve").format(
                    id=facts["task"], title=facts["title"]
                )
            )
        case "reject", "nothing pending":
            return BadValue(
                _("{id} {title} has no claim or request to reject").format(
                    id=facts["task"], title=facts["title"]
                )
            )
        case "accept", "own claim":
            return BadValue(
                _("{id} was claimed by {by}; someone else accepts it").format(
                    id=facts["task"], by=facts["by"]
                )
            )
        case "accept", "before claim":
            return BadValue(
                _("{id} was claimed on {claimed}; it cannot be accepted before, on {on}").format(
                    id=facts["task"], claimed=facts["claimed"], on=facts["on"]
                )
            )
        case "late", "after due":
            return BadValue(
                _(
                    "{id} was due on {due}: a request for a later day comes before it"
                    " (give --late to ask after it)"
                ).format(id=facts["task"], due=facts["due"])
            )
    return error
