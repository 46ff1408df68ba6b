"""The recording commands: done, undo, note, defer, progress, accept, reject, approve
(chase: `planctl.cli.chase_commands`).

Each parses its options, makes its use case (`planctl.core.changes`), records it through
`Session.record` in one transaction, and confirms from the tasks as they stand after it, as
of the same today."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Annotated

import typer

from planctl.cli.completion import complete_open_task, complete_task
from planctl.cli.options import PlanChoice, plan_options
from planctl.cli.output import say, warn
from planctl.cli.recording import recorded_text
from planctl.cli.registry import command
from planctl.cli.session import Session
from planctl.core.events import Action
from planctl.core.progress import TaskRow, effective_window
from planctl.core.state import OPEN
from planctl.i18n import _
from planctl.views.common import PERIOD_UNITS, unit_text, value_text

TaskArgument = Annotated[
    str,
    typer.Argument(
        help="Task ID or part of its title.", autocompletion=complete_task, metavar="TASK"
    ),
]
ByOption = Annotated[
    str | None, typer.Option("--by", help="Who did it [default: your login name].")
]
OnOption = Annotated[
    str | None,
    typer.Option("--on", help="The day it concerns, YYYY-MM-DD [default: today]."),
]


@command
@plan_options(lang=False)
def done(
    tasks: Annotated[
        list[str],
        typer.Argument(
            help="Task IDs or parts of titles.",
            autocompletion=complete_open_task,
            metavar="TASK",
        ),
    ],
    note: Annotated[str | None, typer.Option("--note", help="A note to keep with it.")] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="When it was done, YYYY-MM-DD [default: today].")
    ] = None,
    count: Annotated[
        int | None, typer.Option("--count", help="For a task with a target: how many to add.")
    ] = None,
    by: ByOption = None,
    *,
    where: PlanChoice,
) -> None:
    """Record tasks as done; several at once are recorded all together or not at all."""
    from planctl.core.changes import Done, check_count

    if count is not None:
        check_count(count)
    session = Session.of(where, hint_past=False)
    found = session.tasks(tasks)
    session.stamp(by)  # a bad --by is told before the note
    if note is not None:
        recorded_text(note, "--note")
    recorded = session.record(Done(found, note, count), on=on, by=by)
    rows, on_day, labels = recorded.rows, recorded.on, session.labels
    for event in recorded.change.events:
        row = rows[event.task_id]
        if event.action is Action.CLAIM:
            say(
                _("claimed: {id} {title} ({on}, {by}); awaiting a check (accept or reject)").format(
                    id=row.task.id, title=row.task.title, on=on_day, by=recorded.stamp.by
                )
            )
            continue
        say(
            f"done: {row.task.id} {row.task.title} ({on_day}, {recorded.stamp.by})"
            f"{_progress(row, on_day, labels)}"
        )
        if row.blocked_by:
            waits = row.blocked_by
            which = "which it waits for, is" if len(waits) == 1 else "which it waits for, are"
            warn(f"warning: {row.task.id} was recorded while {_and(waits)}, {which} still open")
    for task, completion in recorded.change.already:
        say(
            f"already done: {task.id} {task.title}"
            f" ({completion.on}, {completion.by}); nothing recorded"
        )


def _and(items: Sequence[str]) -> str:
    """`4.3`, `4.3 and 5.1`, `4.3, 5.1 and 6.1`."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _progress(row: TaskRow, work_date: date, labels: Mapping[str, str]) -> str:
    """What a `done` brought a task with a target or a rhythm to: the count, or the occurrence
    the work counted for (the one containing its work date, not always the current one)."""
    if row.pace is not None:
        return f": {unit_text(row.pace.count, row.pace.target, row.task.unit, labels)}"
    beat = row.rhythm
    if beat is None:
        return ""
    counted = next((o for o in beat.elapsed if work_date in o), None)
    label = counted.label if counted is not None else work_date.isoformat()
    if beat.every == "as_needed":
        return labels["confirm_as_needed"].format(count=len(beat.done))
    return labels["confirm_duty"].format(
        label=label,
        done=len(beat.done),
        elapsed=len(beat.elapsed),
        unit=labels[PERIOD_UNITS[beat.every]],
    )


@command
@plan_options(lang=False)
def undo(
    task: TaskArgument,
    on: OnOption = None,
    by: ByOption = None,
    *,
    where: PlanChoice,
) -> None:
    """Reverse the latest change to a task, as a new event; the history keeps both."""
    from planctl.core.changes import Undo
    from planctl.views.history import change_text

    session = Session.of(where, hint_past=False)
    found = session.task(task)
    target = session.record(Undo(found), on=on, by=by).change.undone
    assert target is not None  # an undo reverses a change, or is refused
    took_back = change_text(target, found.unit, session.plan.year)
    say(
        f"undone: {target.action.value} of {found.id} {found.title}"
        f" ({target.work_date}, {target.recorded_by}){': ' + took_back if took_back else ''}"
    )


@command
@plan_options(lang=False)
def note(
    task: TaskArgument,
    text: Annotated[str, typer.Argument(help="The note.")],
    on: OnOption = None,
    by: ByOption = None,
    *,
    where: PlanChoice,
) -> None:
    """Keep a note with a task."""
    from planctl.core.changes import Note, check_note

    check_note(text)
    recorded_text(text, _("the note"))
    session = Session.of(where, hint_past=False)
    found = session.task(task)
    session.record(Note(found, text), on=on, by=by)
    say(f"noted: {found.id} {found.title}")


@command
@plan_options(lang=False)
def defer(
    task: TaskArgument,
    to: Annotated[
        str,
        typer.Option(
            "--to", help='The new due day: a date, or a month (9, "2019-03") meaning its last day.'
        ),
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why; the report shows it.")],
    late: Annotated[
        bool,
        typer.Option(
            "--late", help="Under checks.defer: a request made after the due day, marked late."
        ),
    ] = False,
    on: OnOption = None,
    by: ByOption = None,
    *,
    where: PlanChoice,
) -> None:
    """Move a task's due day to a later one without touching the plan file (up to twelve
    months past the plan's period: carried over); `undo` reverses it. Under the plan's
    checks.defer, a request (延期申请) that approve grants or reject refuses."""
    from planctl.core.changes import Defer

    recorded_text(reason, "--reason")
    session = Session.of(where, hint_past=False)
    found = session.task(task)
    recorded = session.record(Defer(found, to, reason, late), on=on, by=by)
    request = recorded.rows[found.id].state.request
    if request is not None:
        say(
            _(
                "requested: {id} {title} to {due} ({reason}); awaiting a decision (approve or"
                " reject)"
            ).format(id=found.id, title=found.title, due=request.due, reason=reason)
        )
        return
    due = recorded.rows[found.id].due
    say(f"deferred: {found.id} {found.title} to {due} ({reason})")
    waiting = [
        other.id
        for other in session.plan.tasks
        if found.id.casefold() in {ref.casefold() for ref in other.after}
        and effective_window(other, session.states.get(other.id, OPEN), session.period).due < due
    ]
    if waiting:
        warn(
            f"warning: {_and(waiting)} {'waits' if len(waiting) == 1 else 'wait'} for"
            f" {found.id}, and {'is' if len(waiting) == 1 else 'are'} due before {due}"
        )


@command
@plan_options(lang=False)
def progress(
    task: TaskArgument,
    note: Annotated[
        str, typer.Option("--note", help="What was done so far (进度填报): the report's text.")
    ],
    percent: Annotated[
        int | None, typer.Option("--percent", help="How far the task is, 0 to 100.")
    ] = None,
    value: Annotated[
        str | None,
        typer.Option("--value", help="The value measured, for a task with a value target."),
    ] = None,
    on: OnOption = None,
    by: ByOption = None,
    *,
    where: PlanChoice,
) -> None:
    """File a progress report (进度填报) on a task; it never marks the task done."""
    from planctl.core.changes import Progress, check_percent, measured_value

    if percent is not None:
        check_percent(percent)
    measured = None if value is None else measured_value(value)
    recorded_text(note, "--note")
    session = Session.of(where, hint_past=False)
    found = session.task(task)
    recorded = session.record(Progress(found, note, percent, measured), on=on, by=by)
    row = recorded.rows[found.id]
    said = [] if percent is None else [f"{percent}%"]
    if row.measured is not None and measured is not None:
        said.append(value_text(row, session.labels))
    tail = f": {'; '.join(said)}" if said else ""
    say(f"progress: {found.id} {found.title} ({recorded.on}, {recorded.stamp.by}){tail}")


@command
@plan_options(lang=False)
def accept(
    task: TaskArgument,
    on: Annotated[
        str | None,
        typer.Option("--on", help="The day of the check, YYYY-MM-DD [default: today]."),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", help="Who checked it, not who claimed it [default: your login name]."),
    ] = None,
    *,
    where: PlanChoice,
) -> None:
    """Accept a task's claim (销号): it is done as of the day claimed."""
    from planctl.core.review_changes import Accept

    session = Session.of(where, hint_past=False)
    found = session.task(task)
    recorded = session.record(Accept(found), on=on, by=by)
    completion = recorded.rows[found.id].state.last_completion
    assert completion is not None  # an accepted claim is a completion
    say(
        _("accepted: {id} {title}: done on {done_on} ({done_by}); checked on {on} by {by}").format(
            id=found.id,
            title=found.title,
            done_on=completion.on,
            done_by=completion.by,
            on=recorded.on,
            by=recorded.stamp.by,
        )
    )


@command
@plan_options(lang=False)
def reject(
    task: TaskArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why it is sent back (退回).")],
    on: OnOption = None,
    by: ByOption = None,
    *,
    where: PlanChoice,
) -> None:
    """Send back a task's claim (退回) with the reason, or refuse its request for a later due
    day: of both pending, the one made last."""
    from planctl.core.review_changes import Reject

    recorded_text(reason, "--reason")
    session = Session.of(where, hint_past=False)
    found = session.task(task)
    rejection = session.record(Reject(found, reason), on=on, by=by).rows[found.id].state.rejection
    assert rejection is not None  # a reject decides a claim or a request
    if rejection.of == "claim":
        line = _("rejected: {id} {title}: the claim is sent back ({reason})")
    else:
        line = _("rejected: {id} {title}: the request is refused ({reason})")
    say(line.format(id=found.id, title=found.title, reason=reason))


@command
@plan_options(lang=False)
def approve(
    task: TaskArgument,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help="Another due day than the one asked for: a date, or a month meaning its last"
            " day [default: the day asked for].",
        ),
    ] = None,
    on: OnOption = None,
    by: ByOption = None,
    *,
    where: PlanChoice,
) -> None:
    """Grant a task's request for a later due day (批复): the day asked for, or --to."""
    from planctl.core.review_changes import Approve

    session = Session.of(where, hint_past=False)
    found = session.task(task)
    row = session.record(Approve(found, to), on=on, by=by).rows[found.id]
    say(
        _("approved: {id} {title}: due on {due}").format(
            id=found.id, title=found.title, due=row.due
        )
    )
