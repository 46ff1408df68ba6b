"""`chase`: record a chase (催办) of tasks that slip, named or every one a unit leads; with
`--mail`, send each lead unit a numbered chase notice (督办单) first, and record only what
was sent (all in one write transaction, so a number is never issued twice)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from planctl.cli.completion import complete_task
from planctl.cli.options import PlanChoice, plan_options
from planctl.cli.output import say, warn
from planctl.cli.recording import record, recorded_text
from planctl.cli.recording_commands import ByOption, OnOption
from planctl.cli.registry import command
from planctl.cli.session import Session
from planctl.errors import BadValue, MailError, NoStore
from planctl.i18n import _, ngettext

if TYPE_CHECKING:
    from email.message import EmailMessage

    from planctl.cli.config import Config
    from planctl.core.changes import Change, Situation
    from planctl.core.events import Event
    from planctl.core.progress import TaskRow
    from planctl.plan.model import Task


class _DryRun(Exception):
    """`--dry-run`: the notices were printed; the transaction is rolled back."""


@command
@plan_options(lang=False)
def chase(
    how: Annotated[
        str, typer.Option("--how", help="How it was chased: phone, mail, letter or meeting.")
    ],
    tasks: Annotated[
        list[str] | None,
        typer.Argument(
            help="Task IDs or parts of titles.", autocompletion=complete_task, metavar="TASK"
        ),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            help="Chase every task this unit leads that is overdue or behind today (instead of"
            " naming tasks).",
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What was asked, and by when.")] = None,
    mail: Annotated[
        bool,
        typer.Option(
            "--mail",
            help="Send each lead unit a numbered chase notice (督办单), its addresses from"
            " [recipients]; the leader is copied from a task's second chase on.",
        ),
    ] = False,
    reply_by: Annotated[
        str | None,
        typer.Option(
            "--reply-by",
            help="With --mail: the day the notice asks for a reply, YYYY-MM-DD [default: five"
            " working days after the chase].",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="With --mail: print each notice instead of sending it; record nothing.",
        ),
    ] = False,
    on: OnOption = None,
    by: ByOption = None,
    *,
    where: PlanChoice,
) -> None:
    """Record a chase (催办) of tasks that slip: how, and what was asked; history and show
    list the chases. --mail sends the lead units a numbered chase notice first."""
    from planctl.cli.settings import parse_date
    from planctl.cli.settings import read_config as config
    from planctl.core.review_changes import Chase

    if bool(tasks) == (unit is not None):
        raise BadValue(_("give the tasks to chase, or --unit UNIT, not both"))
    if not mail and (reply_by is not None or dry_run):
        raise BadValue(_("--reply-by and --dry-run go with --mail"))
    if note is not None:
        recorded_text(note, "--note")
    settings_file = config() if mail else None
    session = Session.of(where, hint_past=False, config_file=settings_file)
    found = session.tasks(tasks) if tasks else _slipping(session, unit or "")
    if not found:
        say(
            _("nothing to chase: {unit} leads no task that is overdue or behind on {today}").format(
                unit=unit, today=session.today
            )
        )
        return
    case = Chase(found, how, note, numbered=mail)
    if settings_file is None:
        recorded = session.record(case, on=on, by=by)
        _confirm(
            session, recorded.change.events, recorded.rows, recorded.on, recorded.stamp.by, how
        )
        return
    notices = _Notices(session, settings_file, found, note,
                       None if reply_by is None else parse_date(reply_by, "--reply-by"),
                       dry_run)  # fmt: skip
    try:
        recorded = record(session, case, on=on, by=by, deliver=notices.deliver)
    except _DryRun:
        return
    _confirm(session, recorded.change.events, recorded.rows, recorded.on, recorded.stamp.by, how)
    for line in notices.sent:
        say(line)
    if notices.failed is not None:
        raise notices.failed


def _confirm(
    session: Session,
    events: Sequence[Event],
    rows: Mapping[str, TaskRow],
    on: date,
    by: str,
    how: str,
) -> None:
    """A line per task chased: how many times it has been chased now."""
    for event in events:
        row = rows[event.task_id]
        times = len(row.state.chases)
        say(
            ngettext(
                "chased: {id} {title} ({on}, {by}, {how}): chased {times} time",
                "chased: {id} {title} ({on}, {by}, {how}): chased {times} times",
                times,
            ).format(
                id=row.task.id,
                title=row.task.title,
                on=on,
                by=by,
                how=session.labels[f"how_{how}"],
                times=times,
            )
        )


def _slipping(session: Session, unit: str) -> list[Task]:
    """The tasks `unit` leads that are open and overdue or behind today, in plan order."""
    from planctl.core.units import lead_units
    from planctl.plan.refs import resolve_owner

    name = resolve_owner(session.plan, unit)
    try:
        rows = session.rows
    except NoStore:  # nothing recorded yet: the plan alone says what slips
        rows = session.assessed({})
    return [
        row.task
        for row in rows.values()
        if name in lead_units(row.task)
        and not row.task.steps
        and not row.done
        and (row.overdue or row.behind)
    ]


class _Notices:
    """The chase notices of one `chase --mail`: checked before anything is recorded, built and
    sent (or printed) inside the write transaction, once the notice numbers are known."""

    def __init__(
        self,
        session: Session,
        settings_file: Config,
        tasks: Sequence[Task],
        note: str | None,
        reply_by: date | None,
        dry_run: bool,
    ) -> None:
        from planctl.cli.config import mail_settings
        from planctl.core.review_changes import notice_groups

        self.session, self.note, self.reply_by, self.dry_run = session, note, reply_by, dry_run
        self.recipients = settings_file.recipients
        self.mail = mail_settings(settings_file, os.environ)
        self.sender = self.mail.sender()
        self.office = (
            settings_file.documents.issuer or session.plan.organisation or session.plan.title
        )
        for units, grouped in notice_groups(tasks).items():
            if not units:
                raise BadValue(
                    _("{id} {title} names no lead unit: a chase notice has nobody to go to").format(
                        id=grouped[0].id, title=grouped[0].title
                    )
                )
            for name in units:
                if not self.recipients.get(name):
                    raise BadValue(
                        _(
                            "{unit} has no address for the chase notice: add"
                            ' "{unit}" = ["ADDRESS"] under [recipients] in the config file'
                        ).format(unit=name)
                    )
        self.sent: list[str] = []
        self.failed: MailError | None = None

    def deliver(self, situation: Situation, change: Change) -> Change:
        """Send one notice per number (or print them, `--dry-run`), then record the chases of
        the notices that went out: all, or, when a later one fails, those before it."""
        from dataclasses import replace

        from planctl.cli.mail_commands import _readable
        from planctl.core.state import states
        from planctl.mail.smtp import send_message

        # The tasks as they stand today, from the whole plan's history (`Chase.reads`), read
        # in this transaction: a chase changes nothing of their due days or lateness.
        events = [event for events in situation.history.values() for event in events]
        rows = self.session.assessed(states(events, as_of=situation.today))
        numbers = sorted({event.count for event in change.events if event.count is not None})
        built = [(number, *self._message(situation, change, rows, number)) for number in numbers]
        if self.dry_run:
            for _number, _title, message in built:
                sys.stdout.write(_readable(message))
            raise _DryRun
        done: list[int] = []
        for number, title, message in built:
            try:
                send_message(message, self.mail)
            except MailError as error:
                if not done:
                    raise
                line = (
                    _(
                        "mail: {problem}; the server may or may not have accepted {title},"
                        " its chases not recorded"
                    )
                    if error.maybe_sent
                    else _("mail: {problem}; {title} not sent, its chases not recorded")
                )
                self.failed = MailError(
                    error.problem,
                    maybe_sent=error.maybe_sent,
                    line=line.format(problem=error.problem, title=title),
                )
                break
            done.append(number)
            said = (
                _("sent: {title} to {to}; copied to {cc}")
                if message["Cc"]
                else _("sent: {title} to {to}")
            )
            self.sent.append(said.format(title=title, to=message["To"], cc=message["Cc"]))
        return replace(change, events=[e for e in change.events if e.count in done])

    def _message(
        self, situation: Situation, change: Change, rows: Mapping[str, TaskRow], number: int
    ) -> tuple[str, EmailMessage]:
        from planctl.core.units import lead_units
        from planctl.mail.smtp import build_message
        from planctl.views.notice import (
            Notice,
            NoticeTask,
            notice_html,
            notice_subject,
            notice_text,
            notice_title,
            reply_day,
        )

        today = self.session.today
        chased = [rows[event.task_id] for event in change.events if event.count == number]
        units = lead_units(chased[0].task)
        leaders: list[str] = []
        for row in chased:
            if situation.state(row.task.id).chases:  # chased before: the leader is copied
                leaders += [name for name in row.task.leader if name not in leaders]
        cc: list[str] = []
        for leader in leaders:
            if self.recipients.get(leader):
                cc += self.recipients[leader]
            else:
                warn(
                    _(
                        "warning: leader {leader} has no address under [recipients]; the chase"
                        " notice goes to {units} without a copy to them"
                    ).format(leader=leader, units=_(", ").join(units))
                )
        notice = Notice(
            number=number,
            year=situation.on.year,
            units=units,
            tasks=[
                NoticeTask(
                    row.task.id,
                    row.task.title,
                    row.due,
                    (today - row.due).days if row.overdue else None,
                )
                for row in chased
            ],
            asked=self.note,
            reply_by=self.reply_by or reply_day(situation.on),
            office=self.office,
            on=situation.on,
        )
        if notice.reply_by < situation.on:
            raise BadValue(
                _("--reply-by {day} is before the chase notice's day {on}").format(
                    day=notice.reply_by, on=situation.on
                )
            )
        message = build_message(
            subject=notice_subject(notice),
            sender=self.sender,
            recipients=[address for name in units for address in self.recipients[name]],
            cc=cc,
            text=notice_text(notice),
            html=notice_html(notice),
        )
        return notice_title(notice), message
