"""The daily loop's reading commands: due and history (recording: `recording_commands`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from planctl.cli import settings
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
from planctl.cli.session import Session
from planctl.core.events import Event
from planctl.render import Format
from planctl.views.common import plan_label

if TYPE_CHECKING:
    from planctl.core.filed import FiledReturn


@plan_options()
@output_options()
def due(
    month: MonthOption = None,
    owner: OwnerOption = None,
    role: RoleOption = None,
    leader: LeaderOption = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only tasks still open.")] = False,
    *,
    where: PlanChoice,
    out: OutputChoice,
) -> None:
    """The month's agenda: its tasks, the year-round ones, and earlier ones still open."""
    from planctl.core.schedule import due_rows
    from planctl.views.tasks import due_view

    session = Session.of(where)
    chosen = session.month(month)
    selection = session.selection(owner, role, leader)
    rows = due_rows(
        session.rows.values(), chosen, session.period, owner=selection, open_only=open_only
    )
    view = due_view(session.plan, session.source, rows, chosen, session.today, session.labels)
    out.show(view, reads=session.files_read)


@plan_options()
@output_options()
def pending(*, where: PlanChoice, out: OutputChoice) -> None:
    """Claims and requests awaiting a decision (the plan's checks), oldest first."""
    from planctl.core.pending import pending
    from planctl.views.pending import pending_view

    session = Session.of(where)
    items = pending(session.rows.values(), session.today)
    out.show(pending_view(session.plan, session.source, items, session.today, session.labels),
             reads=session.files_read)  # fmt: skip


@plan_options()
@output_options()
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
    *,
    where: PlanChoice,
    out: OutputChoice,
) -> None:
    """The log of recorded changes, newest first."""
    from planctl.views.history import history_view

    start = settings.parse_date(since, "--since") if since else None
    session = Session.of(where)
    task_id = session.task(task).id if task else None
    if task_id is None and _stream_history(session, start, out):
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
        filed=_returns_shown(session, events, whole=task_id is None, since=start),
    )
    out.show(view, reads=session.files_read)


def _returns_shown(
    session: Session, events: list[Event], *, whole: bool, since: date | None
) -> list[FiledReturn] | None:
    """The returns `history` lists: none for a plan without `returns:`; every one collected
    (received on or after `--since`) in the whole plan's; those that recorded the events
    listed in one task's."""
    if session.plan.returns is None:
        return None
    from planctl.core.filed import returns_recording

    with session.reading() as store:
        filed = store.filed_returns(session.plan.id)
    if not whole:
        return returns_recording(events, filed)
    return [f for f in filed if since is None or f.received >= since]


def _stream_history(session: Session, start: date | None, out: OutputChoice) -> bool:
    """A plan's whole history as json, csv or plain text, written as the store is read newest
    first, 10,000 events at a time: never the whole log in memory (issue 24.6); plain text
    reads the log twice (its columns' widths, then its rows). False, and nothing written, for
    the formats that need every row at once (a Rich table on a terminal, markdown, html, xlsx,
    pdf), when the log has renamed tasks or tasks the plan no longer has, and for a plan with
    `returns:` (its rows name the return each came from)."""
    from planctl.cli.output import plain_width, show_pieces
    from planctl.views.history import history_columns, history_data, history_rows

    plan, labels = session.plan, session.labels
    format, output = out.format, out.output
    if plan.returns is not None:
        return False
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

        pieces = csv_pieces(history_columns(plan, labels), rows())
    else:
        from planctl.render.plain import plain_pieces

        title = labels["history_title"].format(plan=plan_label(plan, session.source))
        assert page is not None
        pieces = plain_pieces(title, labels["none"], history_columns(plan, labels), rows, page)
    show_pieces(pieces, output=output, bom=out.bom, reads=session.files_read)
    return True
