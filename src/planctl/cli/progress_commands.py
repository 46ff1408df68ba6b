"""The daily loop's reading commands: due and history (recording: `recording_commands`)."""

from __future__ import annotations

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
from planctl.cli.registry import command
from planctl.cli.session import Session
from planctl.core.events import Event

if TYPE_CHECKING:
    from planctl.core.filed import FiledReturn


@command
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


@command
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


@command
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
    if task_id is None:
        from planctl.cli.history_stream import stream_history

        if stream_history(session, start, out):
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
