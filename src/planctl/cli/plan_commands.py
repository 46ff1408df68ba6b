"""Commands that read the plan: check, schema, points, list, show."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from planctl import settings
from planctl.cli import shell
from planctl.cli.completion import complete_task
from planctl.cli.options import (
    DbOption,
    FormatOption,
    MonthOption,
    OwnerOption,
    PlanOption,
    TodayOption,
    YearOption,
)
from planctl.core.schedule import task_row
from planctl.plan.refs import resolve_task
from planctl.render import Format


def check(
    path: Annotated[str | None, typer.Argument(help="Plan file [default: as for --plan].")] = None,
    plan: PlanOption = None,
    year: YearOption = None,
    today: TodayOption = None,
) -> None:
    """Validate a plan file; print one summary line, or each problem as PATH:LINE:COLUMN."""
    loaded = shell.load(path or plan, year, today)
    p = loaded.plan
    shell.say(
        f"{loaded.source}: ok: {p.id} {p.title}: {len(p.sections)} sections,"
        f" {len(p.points)} work points, {len(p.tasks)} tasks"
    )


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
    format: FormatOption = Format.TABLE,
) -> None:
    """List sections and work points, with how many of each point's tasks are done."""
    from planctl.views import points_view

    loaded = shell.load(plan, year, today)
    states = shell.read_states(db, loaded.plan)
    shell.show(points_view(loaded.plan, loaded.source, states, full=full), format)


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
    format: FormatOption = Format.TABLE,
) -> None:
    """List the plan's tasks with their status."""
    from planctl.views import list_view

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
    format: FormatOption = Format.TABLE,
) -> None:
    """Show one task, with the full text of the work points it carries out."""
    from planctl.views import show_view

    loaded = shell.load(plan, year, today)
    found = resolve_task(loaded.plan, task)
    states = shell.read_states(db, loaded.plan)
    row = task_row(loaded.plan, found, states, settings.today(today))
    shell.show(show_view(loaded.plan, loaded.source, row), format)


COMMANDS = {"check": check, "schema": schema, "points": points, "list": list_, "show": show}
