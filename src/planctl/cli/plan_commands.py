"""Commands that read the plan: check, schema, points, list, show."""

from __future__ import annotations

import json
import sys
from datetime import UTC
from typing import Annotated

import typer

from planctl.cli.completion import complete_task
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
from planctl.cli.output import say, show, warn, write_file
from planctl.cli.session import Session
from planctl.errors import NoStore
from planctl.i18n import _
from planctl.render import Format


def check(
    path: Annotated[str | None, typer.Argument(help="Plan file [default: as for --plan].")] = None,
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
) -> None:
    """Validate a plan file; print one summary line, or each problem as PATH:LINE:COLUMN.

    With a store that has progress for the plan, also list what changed in the plan since the
    store last saw it, and progress kept for tasks the plan no longer has (orphaned)."""
    from planctl.core.renames import apply_renames
    from planctl.core.revisions import orphaned, plan_changes
    from planctl.plan.check import lookalike_units

    session = Session(
        plan=path or plan, year=year, db=db, today=today, records="optional", hint_past=False
    )
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


def points(
    full: Annotated[bool, typer.Option("--full", help="Include each point's whole text.")] = False,
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
    lang: LangOption = None,
    format: FormatOption = Format.TABLE,
    output: OutputOption = None,
    bom: BomOption = False,
) -> None:
    """List sections and work points, with how many of each point's tasks are done."""
    from planctl.views.plan import points_view

    check_csv_options(format, bom=bom)
    session = Session(plan=plan, year=year, db=db, today=today, lang=lang)
    rows = session.rows.values()
    view = points_view(
        session.plan, session.source, rows, full=full, labels=session.labels, today=session.today
    )
    show(view, format, output=output, bom=bom, reads=session.files_read)


def list_(
    month: MonthOption = None,
    point: Annotated[int | None, typer.Option("--point", help="Only tasks of this point.")] = None,
    owner: OwnerOption = None,
    role: RoleOption = None,
    leader: LeaderOption = None,
    year_round: Annotated[
        bool, typer.Option("--year-round", help="Only year-round tasks.")
    ] = False,
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
    lang: LangOption = None,
    format: FormatOption = Format.TABLE,
    output: OutputOption = None,
    bom: BomOption = False,
) -> None:
    """List the plan's tasks with their status."""
    from planctl.core.schedule import list_rows
    from planctl.views.tasks import list_view

    check_csv_options(format, bom=bom)
    session = Session(plan=plan, year=year, db=db, today=today, lang=lang)
    rows = list_rows(
        session.rows.values(),
        month=None if month is None else session.month(month),
        point=point,
        owner=session.selection(owner, role, leader),
        year_round=year_round,
    )
    view = list_view(session.plan, session.source, rows, session.labels, session.today)
    show(view, format, output=output, bom=bom, reads=session.files_read)


def show_(
    task: Annotated[
        str,
        typer.Argument(
            help="Task ID or part of its title.", autocompletion=complete_task, metavar="TASK"
        ),
    ],
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
    lang: LangOption = None,
    format: FormatOption = Format.TABLE,
    output: OutputOption = None,
    bom: BomOption = False,
) -> None:
    """Show one task, with the full text of the work points it carries out."""
    from planctl.views.tasks import show_view

    check_csv_options(format, bom=bom)
    session = Session(plan=plan, year=year, db=db, today=today, lang=lang)
    task_id = session.task(task).id  # an unknown task is told before anything is read
    row = session.rows[task_id]
    show(
        show_view(session.plan, session.source, row, session.labels, session.today),
        format,
        output=output,
        bom=bom,
        reads=session.files_read,
    )


def export(
    format: Annotated[
        str, typer.Option("--format", "-f", help="Export format: ics (iCalendar).")
    ] = "ics",
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write to this file [default: stdout].")
    ] = None,
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
) -> None:
    """Export the plan's tasks as an iCalendar file (a VTODO per task, one per occurrence of
    a recurring duty)."""
    from datetime import datetime

    from planctl.views.calendar import calendar_bytes

    if format.strip().lower() != "ics":  # a usage error (exit 2), in any case, as --format is
        raise typer.BadParameter(
            _("{value} is not ics").format(value=repr(format)), param_hint="'--format' / '-f'"
        )
    session = Session(plan=plan, year=year, db=db, today=today)
    events = session.events  # first: the rows then fold from them, not from a second read
    rows = session.rows.values()
    data = calendar_bytes(session.plan, rows, events, datetime.now(UTC))
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_file(output, data, reads=session.files_read)
