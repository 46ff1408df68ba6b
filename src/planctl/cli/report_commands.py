"""Commands for the committee and for cron: report and digest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from planctl.cli.options import (
    LeaderOption,
    OutputChoice,
    OwnerOption,
    PlanChoice,
    RoleOption,
    output_options,
    plan_options,
    table_choice,
)
from planctl.cli.registry import command
from planctl.cli.session import Session
from planctl.errors import BadValue
from planctl.i18n import _
from planctl.render import Format, View
from planctl.views.names import DIGEST_TABLES, REPORT_TABLES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from planctl.core.events import Event
    from planctl.core.report import Digest
    from planctl.core.schedule import Selection

ReportFormat = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        help="table, text, json, markdown, csv, html, xlsx or pdf.",
        case_sensitive=False,
    ),
]
DigestFormat = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        help="text, table, json, markdown, csv, html, xlsx or pdf.",
        case_sensitive=False,
    ),
]
KEPT_BEFORE_TRIMMING = 1000
"""Events `report` keeps of the tasks folded so far before it trims them to the latest."""
ReportTable = Annotated[str | None, table_choice("report", REPORT_TABLES)]
DigestTable = Annotated[str | None, table_choice("digest", DIGEST_TABLES)]
DaysOption = Annotated[int, typer.Option("--days", help="Work done in the last N days.")]
SoonOption = Annotated[
    int | None, typer.Option("--soon", help="Due soon: open tasks due within N days [default: 7].")
]


@command
@plan_options()
@output_options(format=ReportFormat, table=ReportTable)
def report(
    owner: OwnerOption = None,
    role: RoleOption = None,
    leader: LeaderOption = None,
    *,
    where: PlanChoice,
    out: OutputChoice,
) -> None:
    """Plan against actual for the year: summary, months, sections, points, owners, lists."""
    from planctl.core.report import RECENT_EVENTS, newest, year_report
    from planctl.core.schedule import owned_rows
    from planctl.views.report import report_view

    session = Session.of(where, records="required")
    selection = session.selection(owner, role, leader)
    # The latest events are all the report shows of the log: each task's, as its events are
    # folded, never the whole log at once (issue 24.6).
    kept: list[tuple[int, Event]] = []

    def keep_newest(events: list[Event], seqs: list[int]) -> None:
        kept.extend(zip(seqs, events, strict=True))
        if len(kept) > KEPT_BEFORE_TRIMMING:
            kept[:] = newest(kept)

    recent = session.kept_latest(RECENT_EVENTS)  # with the states kept for the same log
    if recent is None and session.fold_per_task(keep_newest):
        recent = [event for _, event in newest(kept)]
    elif recent is None:
        recent = session.events  # first: the rows then fold from them, not from a second read
    rows = owned_rows(session.rows.values(), selection)
    result = year_report(session.plan, session.period, rows, recent)
    view = report_view(
        session.plan, session.source, result, session.today, session.labels, selection=selection
    )
    out.show(view, reads=session.files_read)


@command
@plan_options()
@output_options(format=DigestFormat, default=Format.TEXT, table=DigestTable)
def digest(
    days: DaysOption = 7,
    soon: SoonOption = None,
    owner: OwnerOption = None,
    role: RoleOption = None,
    leader: LeaderOption = None,
    *,
    where: PlanChoice,
    out: OutputChoice,
) -> None:
    """The weekly status: first what needs action (overdue, due soon, behind, stale), then
    done lately, open this month, next month, the year."""
    check_days(days, soon)
    session = Session.of(where, records="required", soon=soon)
    selection = session.selection(owner, role, leader)
    view = digest_view_for(session, days, selection)
    out.show(view, reads=session.files_read)


MAX_DAYS = 366
"""The longest look back, or ahead, a digest takes (a year; larger values overflow dates)."""


def check_days(days: int, soon: int | None) -> None:
    """`--days` and `--soon` within a year."""
    if not 1 <= days <= MAX_DAYS:
        raise BadValue(_("--days must be 1 to {most}, not {days}").format(most=MAX_DAYS, days=days))
    if soon is not None and not 0 <= soon <= MAX_DAYS:
        raise BadValue(_("--soon must be 0 to {most}, not {soon}").format(most=MAX_DAYS, soon=soon))


def digest_view_for(session: Session, days: int, selection: Selection) -> View:
    """The digest as `digest` prints it and `mail` sends it: the last `days` days, of the
    tasks chosen (see `Session.selection`)."""
    return digest_for(session, days, selection)[1]


def digest_for(session: Session, days: int, selection: Selection) -> tuple[Digest, View]:
    """The digest's parts and its view."""
    from planctl.core.report import digest
    from planctl.core.schedule import owned_rows
    from planctl.views.digest import digest_view

    supervision = session.supervision  # --soon is the session's: due soon, and so blue
    events = _digest_events(session, days)
    rows = owned_rows(session.rows.values(), selection)
    parts = digest(rows, events, session.today, days, supervision.soon_days)
    if session.plan.returns is not None:
        parts = _with_returns_due(session, parts, selection)
    view = digest_view(
        session.plan,
        parts,
        session.today,
        days,
        session.labels,
        selection=selection,
        stale_days=supervision.stale_days,
    )
    if parts.returns_due:
        from planctl.views.returns import with_returns_due

        view = with_returns_due(view, session.plan, parts.returns_due, session.labels)
    if session.plan.checks is not None and selection.owner is None and selection.leader is None:
        from dataclasses import replace

        from planctl.core.pending import pending
        from planctl.views.pending import with_pending

        parts = replace(parts, pending=pending(session.rows.values(), session.today))
        view = with_pending(view, parts.pending, session.labels)
    return parts, view


def _digest_events(session: Session, days: int) -> Sequence[Event]:
    """What the digest needs of the log (`core.report.digest_events`), kept task by task as
    the tasks' events are folded; the whole log when the session cannot fold task by task."""
    from planctl.core.report import digest_events, digest_since

    since, today = digest_since(session.today, days), session.today
    counted = {task.id for task in session.plan.tasks if task.target is not None}
    kept: list[tuple[int, Event]] = []

    def keep(events: list[Event], seqs: list[int]) -> None:
        numbered = list(zip(seqs, events, strict=True))
        kept.extend(digest_events(numbered, since, today, counted=events[0].task_id in counted))

    if session.fold_per_task(keep):
        kept.sort(key=lambda pair: pair[0])
        return [event for _, event in kept]
    return session.events  # first: the rows then fold from them, not from a second read


def _with_returns_due(session: Session, parts: Digest, selection: Selection) -> Digest:
    """The digest with the units whose latest return due is late or missing (only the
    selected unit's, for a unit's digest)."""
    from dataclasses import replace

    from planctl.core.returns import plan_cycles, returns_due
    from planctl.core.units import filing_units
    from planctl.plan.refs import fold

    units = filing_units(session.plan)
    if selection.owner is not None:
        units = [unit for unit in units if fold(unit) == fold(selection.owner)]
    with session.reading() as store:
        filed = store.filed_returns(session.plan.id)
    due = returns_due(plan_cycles(session.plan), units, filed, session.today)
    return replace(parts, returns_due=due)
