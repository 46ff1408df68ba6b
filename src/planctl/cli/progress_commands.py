"""Commands of the daily loop: due, done, undo, note, history."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated

import typer

from planctl.cli import settings
from planctl.cli.completion import complete_open_task, complete_task
from planctl.cli.options import (
    BomOption,
    DbOption,
    FormatOption,
    LangOption,
    LeaderOption,
    MonthOption,
    OutputOption,
    OwnerOption,
    PlanOption,
    RoleOption,
    TodayOption,
    YearOption,
    check_csv_options,
)
from planctl.cli.output import say, show, warn
from planctl.cli.session import Session, recorded_text
from planctl.core.events import MAX_VALUE, Event, Stamp
from planctl.core.progress import TaskRow, effective_window
from planctl.core.state import OPEN, by_task, events_as_of, fold, states
from planctl.errors import BadValue
from planctl.plan.model import Plan, Task
from planctl.render import Format
from planctl.views.common import PERIOD_UNITS, plan_label, unit_text, value_text

MAX_COUNT = 2**31 - 1
"""The largest count one `done` adds (the store's integer column, on every backend)."""

TaskArgument = Annotated[
    str,
    typer.Argument(
        help="Task ID or part of its title.", autocompletion=complete_task, metavar="TASK"
    ),
]
ByOption = Annotated[
    str | None, typer.Option("--by", help="Who did it [default: your login name].")
]


def due(
    month: MonthOption = None,
    owner: OwnerOption = None,
    role: RoleOption = None,
    leader: LeaderOption = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only tasks still open.")] = False,
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
    lang: LangOption = None,
    format: FormatOption = Format.TABLE,
    output: OutputOption = None,
    bom: BomOption = False,
) -> None:
    """The month's agenda: its tasks, the year-round ones, and earlier ones still open."""
    from planctl.core.schedule import due_rows
    from planctl.views.tasks import due_view

    check_csv_options(format, bom=bom)
    session = Session(plan=plan, year=year, db=db, today=today, lang=lang)
    chosen = session.month(month)
    selection = session.selection(owner, role, leader)
    rows = due_rows(
        session.rows.values(), chosen, session.period, owner=selection, open_only=open_only
    )
    view = due_view(session.plan, session.source, rows, chosen, session.today, session.labels)
    show(view, format, output=output, bom=bom, reads=session.files_read)


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
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
) -> None:
    """Record tasks as done; several at once are recorded all together or not at all."""
    from planctl.core.changes import done_by_steps, done_events
    from planctl.core.progress import assess

    if count is not None and not 1 <= count <= MAX_COUNT:
        raise BadValue(f"--count must be 1 to {MAX_COUNT}, not {count}")
    session = Session(plan=plan, year=year, db=db, today=today, hint_past=False)
    found = session.tasks(tasks)
    stamp = session.stamp(by)
    if note is not None:
        recorded_text(note, "--note")
    plan_id, period = session.plan.id, session.period
    parents = [task for task in found if task.steps]
    leaves = [task for task in found if not task.steps]
    if count is not None and parents:
        raise BadValue(f"--count goes on a step: {parents[0].id} counts what its steps count")
    with session.writing() as tx:
        steps = _steps_below(parents)
        history = by_task(tx.events(plan_id, [task.id for task in found] + steps))
        carried = max(
            effective_window(task, fold(history.get(task.id, [])), period).due for task in found
        )
        work_date = session.work_date(on, until=carried)
        new, already = done_events(
            plan_id, leaves, history, period, on=work_date, stamp=stamp, note=note, count=count
        )
        if parents:
            # Steps recorded by this same command count: `done 3.1 3.2 3` is allowed.
            recorded = [event for events in history.values() for event in events] + new
            by_steps = assess(session.plan, states(recorded), session.today)
            already += [(task, done_by_steps(task, by_steps)) for task in parents]
        if new:
            tx.record_plan(session.plan, session.loaded.digest, stamp.at)
            tx.append(new)
        # What the confirmation shows needs these tasks' events and their prerequisites' only.
        wanted = {task.id for task in found} | {ref for task in found for ref in task.after}
        keys = {ref.casefold() for ref in wanted}
        named = [task for task in session.plan.tasks if task.id.casefold() in keys]
        wanted |= set(_steps_below(named))  # a task with steps: its status is theirs
        after = states(
            tx.events(plan_id, _with_case_variants(session.plan, wanted)), as_of=session.today
        )
    rows = assess(session.plan, after, session.today, session.supervision)
    labels = session.labels
    for event in new:
        row = rows[event.task_id]
        say(
            f"done: {row.task.id} {row.task.title} ({work_date}, {stamp.by})"
            f"{_progress(row, work_date, labels)}"
        )
        if row.blocked_by:
            waits = row.blocked_by
            which = "which it waits for, is" if len(waits) == 1 else "which it waits for, are"
            warn(f"warning: {row.task.id} was recorded while {_and(waits)}, {which} still open")
    for task, completion in already:
        say(
            f"already done: {task.id} {task.title}"
            f" ({completion.on}, {completion.by}); nothing recorded"
        )


def _steps_below(tasks: Sequence[Task]) -> list[str]:
    """The IDs of the tasks' steps and their steps."""
    below = [step for task in tasks for step in task.steps]
    return [step.id for step in below] + [sub.id for step in below for sub in step.steps]


def _and(items: Sequence[str]) -> str:
    """`4.3`, `4.3 and 5.1`, `4.3, 5.1 and 6.1`."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _with_case_variants(plan: Plan, wanted: set[str]) -> list[str]:
    """The plan's task IDs that `after` references name (they match IDs in any case)."""
    keys = {ref.casefold() for ref in wanted}
    return [task.id for task in plan.tasks if task.id.casefold() in keys]


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


OnOption = Annotated[
    str | None,
    typer.Option("--on", help="The day it concerns, YYYY-MM-DD [default: today]."),
]


def undo(
    task: TaskArgument,
    on: OnOption = None,
    by: ByOption = None,
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
) -> None:
    """Reverse the latest change to a task, as a new event; the history keeps both."""
    from planctl.core.changes import undo_event

    session = Session(plan=plan, year=year, db=db, today=today, hint_past=False)
    done = _record_one(
        session, task, on=on, by=by,
        change=lambda found, history, day, stamp: undo_event(
            session.plan.id, found, history, on=day, stamp=stamp
        )[0],
    )  # fmt: skip
    from planctl.views.history import change_text

    target = next(e for e in done.history if e.event_id == done.event.undoes)
    took_back = change_text(target, done.task.unit, session.plan.year)
    say(
        f"undone: {target.action.value} of {done.task.id} {done.task.title}"
        f" ({target.work_date}, {target.recorded_by}){': ' + took_back if took_back else ''}"
    )


def note(
    task: TaskArgument,
    text: Annotated[str, typer.Argument(help="The note.")],
    on: OnOption = None,
    by: ByOption = None,
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
) -> None:
    """Keep a note with a task."""
    from planctl.core.changes import note_event

    if not text.strip():
        raise BadValue("a note needs some text")
    recorded_text(text, "the note")
    session = Session(plan=plan, year=year, db=db, today=today, hint_past=False)
    done = _record_one(
        session, task, on=on, by=by,
        change=lambda found, history, day, stamp: note_event(
            session.plan.id, found, text, on=day, stamp=stamp
        ),
    )  # fmt: skip
    say(f"noted: {done.task.id} {done.task.title}")


def defer(
    task: TaskArgument,
    to: Annotated[
        str,
        typer.Option(
            "--to", help='The new due day: a date, or a month (9, "2019-03") meaning its last day.'
        ),
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why; the report shows it.")],
    on: OnOption = None,
    by: ByOption = None,
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
) -> None:
    """Move a task's due day to a later one without touching the plan file (up to twelve
    months past the plan's period: carried over); `undo` reverses it."""
    from planctl.core.changes import defer_event

    recorded_text(reason, "--reason")
    session = Session(plan=plan, year=year, db=db, today=today, hint_past=False)
    done = _record_one(
        session, task, on=on, by=by,
        change=lambda found, history, day, stamp: defer_event(
            session.plan.id, found, fold(events_as_of(history, session.today)), to, reason,
            session.period,
            on=day, stamp=stamp,
        ),
    )  # fmt: skip
    found, event = done.task, done.event
    assert event.to_date is not None
    say(f"deferred: {found.id} {found.title} to {event.to_date} ({reason})")
    waiting = [
        other.id
        for other in session.plan.tasks
        if found.id.casefold() in {ref.casefold() for ref in other.after}
        and effective_window(other, session.states.get(other.id, OPEN), session.period).due
        < event.to_date
    ]
    if waiting:
        warn(
            f"warning: {_and(waiting)} {'waits' if len(waiting) == 1 else 'wait'} for"
            f" {found.id}, and {'is' if len(waiting) == 1 else 'are'} due before {event.to_date}"
        )


Change = Callable[[Task, list[Event], date, Stamp], Event]
"""The event a command records on one task, from the task, its history, the work date and
the stamp."""


@dataclass(frozen=True)
class Recorded:
    """What `_record_one` recorded: the task, its history before, the event, the work date."""

    task: Task
    history: list[Event]
    event: Event
    work_date: date


def _record_one(
    session: Session, reference: str, *, on: str | None, by: str | None, change: Change
) -> Recorded:
    """One event on one task, recorded in one transaction: the task `reference` names, its
    history read inside the transaction, the work date checked against its window (`--on`,
    else today), the event `change` makes, and the plan version it was recorded against."""
    found = session.task(reference)
    stamp = session.stamp(by)
    with session.writing() as tx:
        history = tx.events(session.plan.id, [found.id])
        work_date = session.work_date(on, until=_carried(found, history, session))
        event = change(found, history, work_date, stamp)
        tx.record_plan(session.plan, session.loaded.digest, stamp.at)
        tx.append([event])
    return Recorded(found, history, event, work_date)


def _carried(task: Task, history: Sequence[Event], session: Session) -> date:
    """The task's due day after its deferrals: recording may go on past the plan's period
    up to it (a task carried over)."""
    return effective_window(task, fold(events_as_of(history, session.today)), session.period).due


VALUE_TEXT = re.compile(r"[-+]?[0-9]{1,15}(?:\.[0-9]{1,15})?")
"""A measured value as written: 8, 7.5, -2.25 (no exponent, no nan or inf)."""


def measured_value(text: str) -> float:
    """`--value` as a number, or `BadValue` saying how to write one."""
    value = text.strip()
    if not VALUE_TEXT.fullmatch(value) or len(value.lstrip("+-").replace(".", "")) > 15:
        raise BadValue(f"--value must be a number such as 8, 7.5 or -2, not {text!r}")
    assert -MAX_VALUE < float(value) < MAX_VALUE, "15 digits are within the store's bound"
    return float(value)


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
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
) -> None:
    """File a progress report (进度填报) on a task; it never marks the task done."""
    from planctl.core.changes import progress_event
    from planctl.core.progress import assess

    if percent is not None and not 0 <= percent <= 100:
        raise BadValue(f"--percent must be 0 to 100, not {percent}")
    measured = None if value is None else measured_value(value)
    recorded_text(note, "--note")
    session = Session(plan=plan, year=year, db=db, today=today, hint_past=False)
    done = _record_one(
        session, task, on=on, by=by,
        change=lambda found, history, day, stamp: progress_event(
            session.plan.id, found, note, percent=percent, value=measured, on=day, stamp=stamp
        ),
    )  # fmt: skip
    after = states([*done.history, done.event], as_of=session.today)
    found = done.task
    row = assess(session.plan, after, session.today, session.supervision)[found.id]
    said = [] if percent is None else [f"{percent}%"]
    if row.measured is not None and measured is not None:
        said.append(value_text(row, session.labels))
    tail = f": {'; '.join(said)}" if said else ""
    say(f"progress: {found.id} {found.title} ({done.work_date}, {done.event.recorded_by}){tail}")


def history(
    task: Annotated[
        str | None,
        typer.Argument(
            help="Only this task's events.", autocompletion=complete_task, metavar="TASK"
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only work done on or after YYYY-MM-DD.")
    ] = None,
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
    lang: LangOption = None,
    format: FormatOption = Format.TABLE,
    output: OutputOption = None,
    bom: BomOption = False,
) -> None:
    """The log of recorded changes, newest first."""
    from planctl.views.history import history_view

    check_csv_options(format, bom=bom)
    start = settings.parse_date(since, "--since") if since else None
    session = Session(plan=plan, year=year, db=db, today=today, lang=lang)
    task_id = session.task(task).id if task else None
    if task_id is None and _stream_history(session, start, format, output=output, bom=bom):
        return
    if task_id is None:
        recorded = session.events
    else:  # that task's events only, through the index on plan and task
        with session.reading() as store:
            recorded = store.events(session.plan.id, [task_id])
    events = [event for event in recorded if start is None or event.work_date >= start]
    view = history_view(
        session.plan,
        session.source,
        events,
        session.labels,
        session.today,
        local_time=lambda moment: moment.astimezone(),
    )
    show(view, format, output=output, bom=bom, reads=session.files_read)


def _stream_history(
    session: Session, start: date | None, format: Format, *, output: str | None, bom: bool
) -> bool:
    """A plan's whole history as json, csv or plain text, written as the store is read newest
    first, 10,000 events at a time: never the whole log in memory (issue 24.6); plain text
    reads the log twice (its columns' widths, then its rows). False, and nothing written, for
    the formats that need every row at once (a Rich table on a terminal, markdown, html, xlsx,
    pdf) and when the log has renamed tasks or tasks the plan no longer has."""
    from planctl.cli.output import plain_width, show_pieces
    from planctl.views.history import history_columns, history_data, history_rows

    plan, labels = session.plan, session.labels
    page = plain_width(format, output) if format in (Format.TABLE, Format.TEXT) else None
    if format not in (Format.JSON, Format.CSV) and page is None:
        return False
    with session.reading() as store:
        recorded, renamed = store.recorded_tasks(plan.id)
    if renamed or not recorded <= {task.id for task in plan.tasks}:
        return False

    def events() -> Iterator[Event]:
        with session.reading() as store:
            for chunk in store.newest_first(plan.id):
                yield from (event for event in chunk if start is None or event.work_date >= start)

    def rows() -> Iterator[list[str]]:
        return history_rows(plan, events(), labels, lambda moment: moment.astimezone())

    pieces: Iterable[str]
    if format is Format.JSON:
        from planctl.render.json_out import json_pieces

        pieces = json_pieces(history_data(plan, events()))
    elif format is Format.CSV:
        from planctl.render.csv_out import csv_pieces

        pieces = csv_pieces(history_columns(labels), rows())
    else:
        from planctl.render.plain import plain_pieces

        title = labels["history_title"].format(plan=plan_label(plan, session.source))
        assert page is not None
        pieces = plain_pieces(title, labels["none"], history_columns(labels), rows, page)
    show_pieces(pieces, output=output, bom=bom, reads=session.files_read)
    return True
