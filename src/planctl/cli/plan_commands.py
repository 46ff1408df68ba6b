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
from planctl.cli.registry import command
from planctl.cli.session import Session
from planctl.errors import NoStore
from planctl.i18n import _, ngettext
from planctl.render import View


@command
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
    sections, points, tasks = len(p.sections), len(p.points), len(p.tasks)
    counts = _(", ").join(
        (
            ngettext("{count} section", "{count} sections", sections).format(count=sections),
            ngettext("{count} work point", "{count} work points", points).format(count=points),
            ngettext("{count} task", "{count} tasks", tasks).format(count=tasks),
        )
    )
    say(
        _("{source}: ok: {id} {title}: {counts}").format(
            source=session.source, id=p.id, title=p.title, counts=counts
        )
    )
    for name, task_id, other, other_task, letters in lookalike_units(p):
        warn(
            _(
                "warning: unit {name} (task {task}) looks like {other} (task {other_task})"
                " but differs in {letters}: they are two units"
            ).format(
                name=repr(name), task=task_id, other=repr(other), other_task=other_task,
                letters=letters,
            )
        )  # fmt: skip
    if p.returns is not None:
        from planctl.core.returns import returns_summary

        say(returns_summary(p))
    try:
        with session.reading() as store:
            version = store.latest_plan_version(p.id)
            events = apply_renames(store.events(p.id))
    except NoStore as missing:
        warn(
            "planctl: "
            + _("note: no store at {where} yet; the plan was checked alone").format(
                where=missing.where
            )
        )
        return
    if version is not None and version.digest != session.loaded.digest:
        changes = plan_changes(version.tasks, p)
        seen = version.seen_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        say(_("changed since the store last recorded against it ({seen} UTC):").format(seen=seen))
        for task_id, title in changes.added:
            say("  " + _("added: {id} {title}").format(id=task_id, title=title))
        for task_id, title in changes.removed:
            say("  " + _("removed: {id} {title}").format(id=task_id, title=title))
        for task_id, old, new in changes.retitled:
            say("  " + _("retitled: {id} {old} -> {new}").format(id=task_id, old=old, new=new))
        for task_id, old_month, new_month in changes.moved:
            moved = _("moved: {id} from {old} to {new}")
            say("  " + moved.format(id=task_id, old=_month(old_month), new=_month(new_month)))
    period = session.period
    outside = [event for event in events if event.work_date not in period]
    for event in outside:
        say(
            _(
                "outside the period: {id} {action} dated {day}"
                " (the plan's period is {start}..{end}; kept)"
            ).format(
                id=event.task_id, action=event.action.value, day=event.work_date,
                start=period.start, end=period.end,
            )
        )  # fmt: skip
    for task_id, count in orphaned(p, events).items():
        say(
            ngettext(
                "orphaned: {id} has {count} recorded event, kept; the plan has no such task",
                "orphaned: {id} has {count} recorded events, kept; the plan has no such task",
                count,
            ).format(id=task_id, count=count)
        )


def _month(month: int | str | None) -> str:
    return _("all year") if month is None else _("month {month}").format(month=month)


@command
def schema() -> None:
    """Print the JSON Schema of plan files, for editors that validate YAML: every key, and
    the rules across a task's keys (one window, unit only with target, ...)."""
    from planctl.plan.schema import plan_schema

    json.dump(plan_schema(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


@command
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


@command
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


@command
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


@command
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
        raise typer.BadParameter(
            _("{value} is not ics").format(value=repr(format)), param_hint="'--format' / '-f'"
        )
    session = Session.of(where)
    events = session.events  # first: the rows then fold from them, not from a second read
    rows = session.rows.values()
    data = calendar_bytes(session.plan, rows, events, datetime.now(UTC))
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_file(output, data, reads=session.files_read)
