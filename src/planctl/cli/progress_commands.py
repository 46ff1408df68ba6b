"""Commands of the daily loop: due, done, undo, note, history."""

from __future__ import annotations

from typing import Annotated

import typer

from planctl import settings
from planctl.cli import shell
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
from planctl.core.progress import TaskRow
from planctl.core.state import by_task, fold, states
from planctl.errors import BadValue
from planctl.plan.model import Plan
from planctl.plan.refs import resolve_task, resolve_tasks
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
    from planctl.views.tasks import due_view

    day = settings.today(today)
    chosen = settings.parse_month(month) if month is not None else day.month
    loaded = shell.load(plan, year, today)
    states = shell.read_states(db, loaded.plan)
    labels = shell.labels_for(loaded.plan, lang)
    view = due_view(
        loaded.plan,
        loaded.source,
        states,
        chosen,
        day,
        owner=owner,
        open_only=open_only,
        labels=labels,
    )
    shell.show(view, format)


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

    work_date = settings.parse_date(on, "--on") if on else settings.today(today)
    loaded = shell.load(plan, year, today)
    found = resolve_tasks(loaded.plan, tasks)
    who = by or settings.login_name()
    with shell.writing(db) as tx:
        history = by_task(tx.events(loaded.plan.id, [task.id for task in found]))
        new, already = done_events(
            loaded.plan.id,
            found,
            history,
            on=work_date,
            by=who,
            at=settings.now(),
            note=note,
            count=count,
        )
        if new:
            tx.record_plan(loaded.plan, loaded.digest)
            tx.append(new)
        # What the confirmation shows needs these tasks' events and their prerequisites' only.
        wanted = {task.id for task in found} | {ref for task in found for ref in task.after}
        after = states(tx.events(loaded.plan.id, _with_case_variants(loaded.plan, wanted)))
    rows = assess(loaded.plan, after, settings.today(today))
    for event in new:
        row = rows[event.task_id]
        shell.say(f"done: {row.task.id} {row.task.title} ({work_date}, {who}){_progress(row)}")
        if row.blocked_by:
            shell.warn(
                f"warning: {row.task.id} was recorded while {', '.join(row.blocked_by)}"
                " it waits for is still open"
            )
    for task, completion in already:
        shell.say(
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

    loaded = shell.load(plan, year, today)
    found = resolve_task(loaded.plan, task)
    who = by or settings.login_name()
    with shell.writing(db) as tx:
        history = tx.events(loaded.plan.id, [found.id])
        tx.record_plan(loaded.plan, loaded.digest)
        event, target = undo_event(
            loaded.plan.id,
            found,
            history,
            on=settings.today(today),
            by=who,
            at=settings.now(),
        )
        tx.append([event])
    shell.say(
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
    work_date = settings.parse_date(on, "--on") if on else settings.today(today)
    loaded = shell.load(plan, year, today)
    found = resolve_task(loaded.plan, task)
    who = by or settings.login_name()
    event = note_event(loaded.plan.id, found, text, on=work_date, by=who, at=settings.now())
    with shell.writing(db) as tx:
        tx.record_plan(loaded.plan, loaded.digest)
        tx.append([event])
    shell.say(f"noted: {found.id} {found.title}")


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
    loaded = shell.load(plan, year, today)
    found = resolve_task(loaded.plan, task)
    who = by or settings.login_name()
    with shell.writing(db) as tx:
        state = fold(tx.events(loaded.plan.id, [found.id]))
        event = defer_event(
            loaded.plan.id,
            found,
            state,
            to,
            reason,
            on=settings.today(today),
            by=who,
            at=settings.now(),
        )
        tx.record_plan(loaded.plan, loaded.digest)
        tx.append([event])
    shell.say(f"deferred: {found.id} {found.title} to month {to} ({reason})")


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
    loaded = shell.load(plan, year, today)
    task_ids = [resolve_task(loaded.plan, task).id] if task else None
    store = shell.open_reading(db)
    try:
        events = store.events(loaded.plan.id, task_ids)
    finally:
        store.close()
    if start is not None:
        events = [event for event in events if event.work_date >= start]
    labels = shell.labels_for(loaded.plan, lang)
    shell.show(history_view(loaded.plan, loaded.source, events, labels), format)


COMMANDS = {
    "due": due,
    "done": done,
    "undo": undo,
    "note": note,
    "defer": defer,
    "history": history,
}
