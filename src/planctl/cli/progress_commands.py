"""Commands of the daily loop: due, done, undo, note, history."""

from __future__ import annotations

from typing import Annotated

import typer

from planctl import settings
from planctl.cli.completion import complete_task
from planctl.cli.options import (
    DbOption,
    FormatOption,
    LangOption,
    MonthOption,
    OwnerOption,
    PlanOption,
    TodayOption,
    YearOption,
)
from planctl.cli.output import say, show, warn
from planctl.cli.session import Session
from planctl.core.progress import TaskRow
from planctl.core.state import by_task, fold, states
from planctl.errors import BadValue
from planctl.plan.model import Plan
from planctl.render import Format

TaskArgument = Annotated[
    str, typer.Argument(help="Task ID or part of its title.", autocompletion=complete_task)
]
ByOption = Annotated[
    str | None, typer.Option("--by", help="Who did it [default: your login name].")
]


def due(
    month: MonthOption = None,
    owner: OwnerOption = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only tasks still open.")] = False,
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
    lang: LangOption = None,
    format: FormatOption = Format.TABLE,
) -> None:
    """The month's agenda: its tasks, the year-round ones, and earlier ones still open."""
    from planctl.core.schedule import due_rows
    from planctl.views.tasks import due_view

    session = Session(plan=plan, year=year, db=db, today=today, lang=lang)
    chosen = settings.parse_month(month) if month is not None else session.today.month
    rows = due_rows(session.rows.values(), chosen, owner=session.owner(owner), open_only=open_only)
    view = due_view(session.plan, session.source, rows, chosen, session.today, session.labels)
    show(view, format)


def done(
    tasks: Annotated[
        list[str],
        typer.Argument(help="Task IDs or parts of titles.", autocompletion=complete_task),
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
    from planctl.core.changes import done_events
    from planctl.core.progress import assess

    session = Session(plan=plan, year=year, db=db, today=today)
    work_date = settings.parse_date(on, "--on") if on else session.today
    found = session.tasks(tasks)
    stamp = session.stamp(by)
    plan_id = session.plan.id
    with session.writing() as tx:
        history = by_task(tx.events(plan_id, [task.id for task in found]))
        new, already = done_events(
            plan_id, found, history, on=work_date, stamp=stamp, note=note, count=count
        )
        if new:
            tx.record_plan(session.plan, session.loaded.digest, stamp.at)
            tx.append(new)
        # What the confirmation shows needs these tasks' events and their prerequisites' only.
        wanted = {task.id for task in found} | {ref for task in found for ref in task.after}
        after = states(tx.events(plan_id, _with_case_variants(session.plan, wanted)))
    rows = assess(session.plan, after, session.today)
    for event in new:
        row = rows[event.task_id]
        say(f"done: {row.task.id} {row.task.title} ({work_date}, {stamp.by}){_progress(row)}")
        if row.blocked_by:
            warn(
                f"warning: {row.task.id} was recorded while {', '.join(row.blocked_by)}"
                " it waits for is still open"
            )
    for task, completion in already:
        say(
            f"already done: {task.id} {task.title}"
            f" ({completion.on}, {completion.by}); nothing recorded"
        )


def _with_case_variants(plan: Plan, wanted: set[str]) -> list[str]:
    """The plan's task IDs that `after` references name (they match IDs in any case)."""
    keys = {ref.casefold() for ref in wanted}
    return [task.id for task in plan.tasks if task.id.casefold() in keys]


def _progress(row: TaskRow) -> str:
    """What a `done` brought a task with a target or a rhythm to."""
    if row.pace is not None:
        return f": {row.pace.count}/{row.pace.target}{row.task.unit or ''}"
    if row.rhythm is not None:
        beat = row.rhythm
        return f": {beat.current.label}, {len(beat.done)}/{len(beat.elapsed)} {beat.every}s"
    return ""


def undo(
    task: TaskArgument,
    by: ByOption = None,
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
) -> None:
    """Reverse the latest change to a task, as a new event; the history keeps both."""
    from planctl.core.changes import undo_event

    session = Session(plan=plan, year=year, db=db, today=today)
    found = session.task(task)
    stamp = session.stamp(by)
    with session.writing() as tx:
        history = tx.events(session.plan.id, [found.id])
        event, target = undo_event(session.plan.id, found, history, on=session.today, stamp=stamp)
        tx.record_plan(session.plan, session.loaded.digest, stamp.at)
        tx.append([event])
    say(
        f"undone: {target.action.value} of {found.id} {found.title}"
        f" ({target.work_date}, {target.recorded_by})"
    )


def note(
    task: TaskArgument,
    text: Annotated[str, typer.Argument(help="The note.")],
    on: Annotated[
        str | None, typer.Option("--on", help="The date it concerns [default: today].")
    ] = None,
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
    session = Session(plan=plan, year=year, db=db, today=today)
    work_date = settings.parse_date(on, "--on") if on else session.today
    found = session.task(task)
    stamp = session.stamp(by)
    event = note_event(session.plan.id, found, text, on=work_date, stamp=stamp)
    with session.writing() as tx:
        tx.record_plan(session.plan, session.loaded.digest, stamp.at)
        tx.append([event])
    say(f"noted: {found.id} {found.title}")


def defer(
    task: TaskArgument,
    to: Annotated[int, typer.Option("--to", help="The later month (1-12) it moves to.")],
    reason: Annotated[str, typer.Option("--reason", help="Why; the report shows it.")],
    by: ByOption = None,
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
) -> None:
    """Move a task to a later month without touching the plan file; `undo` reverses it."""
    from planctl.core.changes import defer_event

    settings.parse_month(to)
    session = Session(plan=plan, year=year, db=db, today=today)
    found = session.task(task)
    stamp = session.stamp(by)
    with session.writing() as tx:
        state = fold(tx.events(session.plan.id, [found.id]))
        event = defer_event(
            session.plan.id, found, state, to, reason, on=session.today, stamp=stamp
        )
        tx.record_plan(session.plan, session.loaded.digest, stamp.at)
        tx.append([event])
    say(f"deferred: {found.id} {found.title} to month {to} ({reason})")


def history(
    task: Annotated[
        str | None,
        typer.Argument(help="Only this task's events.", autocompletion=complete_task),
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
) -> None:
    """The log of recorded changes, newest first."""
    from planctl.views.history import history_view

    start = settings.parse_date(since, "--since") if since else None
    session = Session(plan=plan, year=year, db=db, today=today, lang=lang)
    task_id = session.task(task).id if task else None
    events = [
        event
        for event in session.events
        if (task_id is None or event.task_id == task_id)
        and (start is None or event.work_date >= start)
    ]
    show(history_view(session.plan, session.source, events, session.labels), format)
