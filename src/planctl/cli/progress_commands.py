"""The daily loop's reading commands: due and history (recording: `recording_commands`)."""

from __future__ import annotations

from typing import Annotated

import typer

from planctl.cli import settings
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
from planctl.cli.output import show
from planctl.cli.session import Session
from planctl.render import Format


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
