"""Commands that read the plan: check, schema, points, list, show."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import UTC
from typing import Annotated

import typer

from planctl.cli.completion import complete_task
from planctl.cli.options import (
    LeaderOption,
    MonthOption,
    OutputChoice,
    OwnerOption,
    PlanChoice,
    RoleOption,
    output_options,
    plan_options,
)
from planctl.cli.output import say, warn, write_file
from planctl.cli.session import Session
from planctl.errors import NoStore
from planctl.render import View


@plan_options(lang=False)
def check(
    path: Annotated[str | None, typer.Argument(help="Plan file [default: as for --plan].")] = None,
    *,
    where: PlanChoice,
) -> None:
    """Validate a plan file; print one summary line, or each problem as PATH:LINE:COLUMN.

    With a store that has progress for the plan, also list what changed in the plan since the
    store last saw it, and progress kept for tasks the plan no longer has (orphaned)."""
    from planctl.core.renames import apply_renames
    from planctl.core.revisions import orphaned, plan_changes
    from planctl.plan.check import lookalike_units

    where = replace(where, plan=path or where.plan)
    session = Session.of(where, records="optional", hint_past=False)
    p = session.plan
    from planctl.views.labels import counted

    say(
        f"{session.source}: ok: {p.id} {p.title}: {counted(len(p.sections), 'section')},"
        f" {counted(len(p.points), 'work point')}, {counted(len(p.tasks), 'task')}"
    )
    for name, task_id, other, other_task, letters in lookalike_units(p):
        warn(
            f"warning: unit {name!r} (task {task_id}) looks like {other!r} (task {other_task})"
            f" but differs in {letters}: they are two units"
        )
    if p.returns is not None:
        from planctl.core.returns import returns_summary

        say(returns_summary(p))
    try:
        with session.reading() as store:
            version = store.latest_plan_version(p.id)
            events = apply_renames(store.events(p.id))
    except NoStore as missing:
        warn(f"planctl: note: no store at {missing.where} yet; the plan was checked alone")
        return
    if version is not None and version.digest != session.loaded.digest:
        changes = plan_changes(version.tasks, p)
        seen = version.seen_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        say(f"changed since the store last recorded against it ({seen} UTC):")
        for task_id, title in changes.added:
            say(f"  added: {task_id} {title}")
        for task_id, title in changes.removed:
            say(f"  removed: {task_id} {title}")
        for task_id, old, new in changes.retitled:
            say(f"  retitled: {task_id} {old} -> {new}")
        for task_id, old_month, new_month in changes.moved:
            say(f"  moved: {task_id} from {_month(old_month)} to {_month(new_month)}")
    period = session.period
    outside = [event for event in events if event.work_date not in period]
    for event in outside:
        say(
            f"outside the period: {event.task_id} {event.action.value} dated {event.work_date}"
            f" (the plan's period is {period.start}..{period.end}; kept)"
        )
    for task_id, count in orphaned(p, events).items():
        events_text = "1 recorded event" if count == 1 else f"{count} recorded events"
        say(f"orphaned: {task_id} has {events_text}, kept; the plan has no such task")


def _month(month: int | str | None) -> str:
    return "all year" if month is None else f"month {month}"


def schema() -> None:
    """Print the JSON Schema of plan files, for editors that validate YAML: every key, and
    the rules across a task's keys (one window, unit only with target, ...)."""
    from planctl.plan.schema import plan_schema

    json.dump(plan_schema(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


@plan_options()
@output_options()
def points(
    full: Annotated[bool, typer.Option("--full", help="Include each point's whole text.")] = False,
    *,
    where: PlanChoice,
    out: OutputChoice,
) -> None:
    """List sections and work points, with how many of each point's tasks are done."""
    from planctl.views.plan import points_view

    session = Session.of(where)
    rows = session.rows.values()
    view = points_view(
        session.plan, session.source, rows, full=full, labels=session.labels, today=session.today
    )
    out.show(view, reads=session.files_read)


@plan_options()
@output_options()
def list_(
    month: MonthOption = None,
    point: Annotated[int | None, typer.Option("--point", help="Only tasks of this point.")] = None,
    owner: OwnerOption = None,
    role: RoleOption = None,
    leader: LeaderOption = None,
    year_round: Annotated[
        bool, typer.Option("--year-round", help="Only year-round tasks.")
    ] = False,
    *,
    where: PlanChoice,
    out: OutputChoice,
) -> None:
    """List the plan's tasks with their status."""
    from planctl.core.schedule import list_rows
    from planctl.views.tasks import list_view

    session = Session.of(where)
    rows = list_rows(
        session.rows.values(),
        month=None if month is None else session.month(month),
        point=point,
        owner=session.selection(owner, role, leader),
        year_round=year_round,
    )
    view = list_view(session.plan, session.source, rows, session.labels, session.today)
    out.show(view, reads=session.files_read)


@plan_options()
@output_options()
def show_(
    task: Annotated[
        str,
        typer.Argument(
            help="Task ID or part of its title.", autocompletion=complete_task, metavar="TASK"
        ),
    ],
    *,
    where: PlanChoice,
    out: OutputChoice,
) -> None:
    """Show one task, with the full text of the work points it carries out."""
    from planctl.views.tasks import show_view

    session = Session.of(where)
    task_id = session.task(task).id  # an unknown task is told before anything is read
    row = session.rows[task_id]
    view = show_view(session.plan, session.source, row, session.labels, session.today)
    if session.plan.returns is not None:
        view = _with_its_returns(session, view, task_id)
    out.show(view, reads=session.files_read)


def _with_its_returns(session: Session, view: View, task_id: str) -> View:
    """`show` of a plan with `returns:`: the returns that recorded the task's events."""
    from planctl.core.filed import return_sources, returns_recording
    from planctl.views.returns import with_returns_collected

    with session.reading() as store:
        events = store.events(session.plan.id, [task_id])
        filed = returns_recording(events, store.filed_returns(session.plan.id))
    return with_returns_collected(
        view, session.plan, session.source, filed, return_sources(events, filed),
        labels=session.labels, local_time=lambda moment: moment.astimezone(),
    )  # fmt: skip


@plan_options(lang=False)
def export(
    format: Annotated[
        str, typer.Option("--format", "-f", help="Export format: ics (iCalendar).")
    ] = "ics",
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write to this file [default: stdout].")
    ] = None,
    *,
    where: PlanChoice,
) -> None:
    """Export the plan's tasks as an iCalendar file (a VTODO per task, one per occurrence of
    a recurring duty)."""
    from datetime import datetime

    from planctl.views.calendar import calendar_bytes

    if format.strip().lower() != "ics":  # a usage error (exit 2), in any case, as --format is
        raise typer.BadParameter(f"{format!r} is not ics", param_hint="'--format' / '-f'")
    session = Session.of(where)
    events = session.events  # first: the rows then fold from them, not from a second read
    rows = session.rows.values()
    data = calendar_bytes(session.plan, rows, events, datetime.now(UTC))
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_file(output, data, reads=session.files_read)
