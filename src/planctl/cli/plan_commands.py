"""Commands that read the plan: check, schema, points, list, show."""

from __future__ import annotations

import json
import sys
from datetime import UTC
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
from planctl.plan.refs import resolve_task
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
    from planctl.core.revisions import orphaned, plan_changes

    loaded = shell.load(path or plan, year, today)
    p = loaded.plan
    shell.say(
        f"{loaded.source}: ok: {p.id} {p.title}: {len(p.sections)} sections,"
        f" {len(p.points)} work points, {len(p.tasks)} tasks"
    )
    store = shell.open_reading(db)
    try:
        version = store.latest_plan_version(p.id)
        events = store.events(p.id)
    finally:
        store.close()
    if version is not None and version.digest != loaded.digest:
        changes = plan_changes(version.tasks, p)
        seen = version.seen_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        shell.say(f"changed since the store last recorded against it ({seen} UTC):")
        for task_id, title in changes.added:
            shell.say(f"  added: {task_id} {title}")
        for task_id, title in changes.removed:
            shell.say(f"  removed: {task_id} {title}")
        for task_id, old, new in changes.retitled:
            shell.say(f"  retitled: {task_id} {old} -> {new}")
        for task_id, old_month, new_month in changes.moved:
            shell.say(f"  moved: {task_id} from {_month(old_month)} to {_month(new_month)}")
    for task_id, count in orphaned(p, events).items():
        shell.say(
            f"orphaned: {task_id} has {count} recorded events, kept; the plan has no such task"
        )


def _month(month: int | str | None) -> str:
    return "all year" if month is None else f"month {month}"


def schema() -> None:
    """Print the JSON Schema of plan files, for editors that validate YAML."""
    from planctl.plan.model import Plan

    json.dump(Plan.model_json_schema(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def points(
    full: Annotated[bool, typer.Option("--full", help="Include each point's whole text.")] = False,
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
    lang: LangOption = None,
    format: FormatOption = Format.TABLE,
) -> None:
    """List sections and work points, with how many of each point's tasks are done."""
    from planctl.views.plan import points_view

    loaded = shell.load(plan, year, today)
    states = shell.read_states(db, loaded.plan)
    labels = shell.labels_for(loaded.plan, lang)
    view = points_view(
        loaded.plan, loaded.source, states, settings.today(today), full=full, labels=labels
    )
    shell.show(view, format)


def list_(
    month: MonthOption = None,
    point: Annotated[int | None, typer.Option("--point", help="Only tasks of this point.")] = None,
    owner: OwnerOption = None,
    year_round: Annotated[
        bool, typer.Option("--year-round", help="Only year-round tasks.")
    ] = False,
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
    lang: LangOption = None,
    format: FormatOption = Format.TABLE,
) -> None:
    """List the plan's tasks with their status."""
    from planctl.views.tasks import list_view

    if month is not None:
        settings.parse_month(month)
    loaded = shell.load(plan, year, today)
    states = shell.read_states(db, loaded.plan)
    view = list_view(
        loaded.plan,
        loaded.source,
        states,
        settings.today(today),
        month=month,
        point=point,
        owner=owner,
        year_round=year_round,
        labels=shell.labels_for(loaded.plan, lang),
    )
    shell.show(view, format)


def show(
    task: Annotated[
        str, typer.Argument(help="Task ID or part of its title.", autocompletion=complete_task)
    ],
    plan: PlanOption = None,
    year: YearOption = None,
    db: DbOption = None,
    today: TodayOption = None,
    lang: LangOption = None,
    format: FormatOption = Format.TABLE,
) -> None:
    """Show one task, with the full text of the work points it carries out."""
    from planctl.core.progress import assess
    from planctl.views.tasks import show_view

    loaded = shell.load(plan, year, today)
    found = resolve_task(loaded.plan, task)
    states = shell.read_states(db, loaded.plan)
    row = assess(loaded.plan, states, settings.today(today))[found.id]
    labels = shell.labels_for(loaded.plan, lang)
    shell.show(show_view(loaded.plan, loaded.source, row, labels), format)


COMMANDS = {"check": check, "schema": schema, "points": points, "list": list_, "show": show}


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
    """Export the plan's tasks as an iCalendar file (a VTODO per task)."""
    from planctl.calendar_export import calendar_bytes
    from planctl.core.progress import assess
    from planctl.errors import BadValue

    if format != "ics":
        raise BadValue(f"export format must be ics, not {format!r}")
    loaded = shell.load(plan, year, today)
    states = shell.read_states(db, loaded.plan)
    day = settings.today(today)
    data = calendar_bytes(loaded.plan, assess(loaded.plan, states, day).values(), day)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        shell.write_file(output, data)


COMMANDS["export"] = export
