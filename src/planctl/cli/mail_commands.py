"""Commands for cron and settings: mail, and config path / config show."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Callable
from email.message import EmailMessage
from typing import TYPE_CHECKING, Annotated

import typer

from planctl.cli import settings
from planctl.cli.options import (
    LeaderOption,
    OwnerOption,
    PlanChoice,
    RoleOption,
    plan_options,
)
from planctl.cli.output import say
from planctl.cli.registry import command
from planctl.cli.report_commands import SoonOption, check_days, digest_for
from planctl.cli.session import Session
from planctl.cli.settings import read_config as config
from planctl.errors import BadValue
from planctl.i18n import _, ngettext
from planctl.render import View

if TYPE_CHECKING:
    from planctl.core.schedule import Selection

config_app = typer.Typer(
    help="The config file: where it is and what it says.", no_args_is_help=True
)


def _readable(message: EmailMessage) -> str:
    """A message as a person checks it before sending: its headers decoded, its text part as
    text, and the html part only named (it holds the same tables)."""
    lines = [f"{name}: {value}" for name, value in message.items() if name != "Content-Type"]
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    body = text.get_content() if text is not None else ""
    lines += ["", body.rstrip("\n"), ""]
    if html is not None:
        lines += [
            _("[and the same as an html part, {count} characters]").format(
                count=len(html.get_content())
            ),
            "",
        ]
    return "\n".join(lines) + "\n"


def _bodies(view: View) -> tuple[str, str]:
    """The digest as mail text (plain columns) and as an HTML page."""
    from planctl.render.html import page
    from planctl.render.plain import write_plain

    text = io.StringIO()
    write_plain(view, text, width=80)  # a terminal mail reader
    return text.getvalue(), page(view)


@command
@plan_options()
def mail(
    to: Annotated[
        list[str] | None, typer.Option("--to", help="A recipient; repeat for several.")
    ] = None,
    owner: OwnerOption = None,
    role: RoleOption = None,
    leader: LeaderOption = None,
    per_owner: Annotated[
        bool,
        typer.Option(
            "--per-owner",
            help="Send each unit or leader under [recipients] in the config file its own digest.",
        ),
    ] = False,
    days: Annotated[int, typer.Option("--days", help="Work done in the last N days.")] = 7,
    soon: SoonOption = None,
    subject: Annotated[str | None, typer.Option("--subject", help="The subject line.")] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Print each message, its text part decoded, instead of sending it.",
        ),
    ] = False,
    only_if_action: Annotated[
        bool,
        typer.Option(
            "--only-if-action",
            help="Send a digest only when something is overdue, due soon, behind or stale.",
        ),
    ] = False,
    attach_returns: Annotated[
        bool,
        typer.Option(
            "--attach-returns",
            help="With --per-owner: attach each unit's return sheet (填报表) for the cycle.",
        ),
    ] = False,
    cycle: Annotated[
        str | None,
        typer.Option(
            "--cycle",
            help="With --attach-returns: the return cycle, 2018-06 or 2018-Q2 [default: the"
            " one due next, or holding today].",
        ),
    ] = None,
    *,
    where: PlanChoice,
) -> None:
    """Mail the weekly digest over SMTP. Prints nothing on success (for cron)."""
    from planctl.cli.config import mail_settings
    from planctl.errors import MailError
    from planctl.mail.smtp import build_message, send_message

    check_days(days, soon)
    settings_file = config()
    if per_owner:
        if to or owner or role or leader:
            raise BadValue(
                _("--per-owner sends to the config file's recipients; drop --to/--owner/--leader")
            )
        if not settings_file.recipients:
            raise BadValue(_("--per-owner needs a [recipients] table in the config file"))
    elif not to:
        raise BadValue(_("give at least one --to address (or --per-owner)"))
    if attach_returns and not per_owner:
        raise BadValue(_("--attach-returns goes with --per-owner: each unit gets its own sheet"))
    if cycle is not None and not attach_returns:
        raise BadValue(_("--cycle goes with --attach-returns"))
    mail = mail_settings(settings_file, os.environ)
    sender = mail.sender()
    session = Session.of(
        where,
        records="required",
        soon=soon,
        config_file=settings_file,
        hint_past=False,
    )
    # Every recipient key is checked against the plan before any digest is built or sent.
    batches: list[tuple[str | None, Selection, list[str]]]
    if per_owner:
        batches = [
            (name, recipient_selection(session, name), list(addresses))
            for name, addresses in settings_file.recipients.items()
        ]
    else:
        selection = session.selection(owner, role, leader)
        batches = [(selection.owner or selection.leader, selection, list(to or []))]
    sheets = _return_sheets(session, cycle) if attach_returns else None
    if per_owner and OFFICE_KEY not in settings_file.recipients:
        _warn_nobody_gets(session, [selection for _owner, selection, _to in batches])
    messages = []
    chosen = []
    for batch in batches:
        _owner, selection, recipients = batch
        parts, view = digest_for(session, days, selection)
        if only_if_action and not parts.needs_action:
            continue  # nothing to act on: no message (a daily cron line stays quiet)
        chosen.append(batch)
        title = view.title or ""
        text, html = _bodies(view)
        message = build_message(
            subject=subject or session.labels["subject"].format(title=title, today=session.today),
            sender=sender,
            recipients=recipients,
            text=text,
            html=html,
        )
        if sheets is not None and selection.owner is not None:
            name, data = sheets(selection.owner)
            message.add_attachment(data, maintype="application", subtype=XLSX, filename=name)
        messages.append(message)
    if dry_run:
        for message in messages:
            sys.stdout.write(_readable(message))
        return
    sent: list[str] = []
    for (batch_owner, _selection, _to), message in zip(chosen, messages, strict=True):
        try:
            send_message(message, mail)
        except MailError as error:
            if not sent:
                raise
            # Earlier digests went out: say so, rather than "nothing sent".
            if error.maybe_sent:
                line = ngettext(
                    "mail: {problem}; the server may or may not have accepted the digest for"
                    " {owner} (the digest for {sent} was sent)",
                    "mail: {problem}; the server may or may not have accepted the digest for"
                    " {owner} (the digests for {sent} were sent)",
                    len(sent),
                )
            else:
                line = ngettext(
                    "mail: {problem}; nothing sent to {owner} (the digest for {sent} was sent)",
                    "mail: {problem}; nothing sent to {owner} (the digests for {sent} were sent)",
                    len(sent),
                )
            said = line.format(
                problem=error.problem, owner=_shown(batch_owner), sent=_(", ").join(sent)
            )
            raise MailError(error.problem, maybe_sent=error.maybe_sent, line=said) from None
        sent.append(_shown(batch_owner))


XLSX = "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
"""The MIME subtype of an .xlsx attachment."""


def _return_sheets(session: Session, cycle: str | None) -> Callable[[str], tuple[str, bytes]]:
    """For `--attach-returns`: a unit's return sheet for the cycle, as `returns make` writes
    it (its file name and bytes). A plan without `returns:` has no cycle to attach."""
    from planctl.cli.returns_commands import chosen_cycle, unit_return_sheet
    from planctl.office.returns_make import return_file_name, return_workbook

    if session.plan.returns is None:
        raise BadValue(
            _("--attach-returns: plan {plan} has no returns: (no return cycle to attach)").format(
                plan=session.plan.id
            )
        )
    chosen = chosen_cycle(session, cycle)

    def sheet(unit: str) -> tuple[str, bytes]:
        data = unit_return_sheet(session, chosen, unit)
        return return_file_name(chosen, unit), return_workbook(data)

    return sheet


OFFICE_KEY = "*"
"""The `[recipients]` key of the office: it gets the digest of the tasks that name no unit."""


def _shown(owner: str | None) -> str:
    """Whose digest a line names: a unit or a leader, or the office for its key `*`."""
    if owner == OFFICE_KEY:
        return _('the office ("{key}")').format(key=OFFICE_KEY)
    return owner or ""


def _warn_nobody_gets(session: Session, selections: list[Selection]) -> None:
    """Without an office key, the tasks that name no unit go to nobody (unless a leader
    under `[recipients]` answers for them): said on stderr."""
    from planctl.cli.output import warn
    from planctl.core.units import lead_units

    nobody = sum(
        not lead_units(task) and not any(task in selection for selection in selections)
        for task in session.plan.tasks
        if not task.steps
    )
    if nobody:
        warn(
            ngettext(
                "warning: nobody gets the task that names no unit; give the office"
                ' "{key}" = [ADDRESS] under [recipients]',
                "warning: nobody gets the {count} tasks that name no unit; give the office"
                ' "{key}" = [ADDRESS] under [recipients]',
                nobody,
            ).format(count=nobody, key=OFFICE_KEY)
        )


def recipient_selection(session: Session, name: str) -> Selection:
    """The tasks a `[recipients]` key answers for: a unit's (led and supported) or a
    leader's; `*` (`OFFICE_KEY`) the tasks that name no unit; a key that is none of these,
    or both, is an error naming the plan's."""
    from planctl.core.schedule import Selection
    from planctl.errors import UnknownLeader, UnknownOwner
    from planctl.plan.refs import plan_leaders, plan_owners, resolve_leader, resolve_owner

    if name == OFFICE_KEY:
        return Selection(no_unit=True)
    try:
        unit: str | None = resolve_owner(session.plan, name)
    except UnknownOwner:
        unit = None
    try:
        leader: str | None = resolve_leader(session.plan, name)
    except UnknownLeader:
        leader = None
    if unit is not None and leader is not None:
        raise BadValue(
            _("[recipients] {name} is both a unit and a leader in {plan}").format(
                name=repr(name), plan=session.plan.id
            )
        )
    if unit is not None:
        return Selection(owner=unit)
    if leader is not None:
        return Selection(leader=leader)
    if not plan_leaders(session.plan):
        resolve_owner(session.plan, name)  # the usual message: unknown owner, the plan's owners
    owners = _(", ").join(plan_owners(session.plan)) or _("none")
    leaders = _(", ").join(plan_leaders(session.plan)) or _("none")
    raise UnknownOwner(
        _(
            "[recipients] {name} is no unit or leader of {plan}"
            " (owners: {owners}; leaders: {leaders})"
        ).format(name=repr(name), plan=session.plan.id, owners=owners, leaders=leaders)
    )


@config_app.command("path")
def config_path_command() -> None:
    """Print where the config file is (whether or not it exists)."""
    say(str(settings.config_file(os.environ)))


@config_app.command("show")
def config_show() -> None:
    """Print the settings in effect, as JSON (passwords masked), and where the plan and the
    store in effect come from."""
    from dataclasses import asdict

    from planctl.cli.config import key_lines, origins

    settings_file = config()
    data = settings_file.masked(os.environ)
    thresholds = asdict(Session(config_file=settings_file).supervision)
    data.update(thresholds)  # the values in effect, not null when the file has none
    path = settings.config_file(os.environ)
    data["in_effect"] = {
        **_in_effect(settings_file.plan, settings_file.store),
        **origins(settings_file, os.environ, key_lines(path), path, thresholds),
    }
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _in_effect(plan: str | None, store: str | None) -> dict[str, dict[str, str | None]]:
    """The plan and the store a command without --plan or --db would use, and where each
    comes from: variable, config file or default."""
    from pathlib import Path

    from planctl.errors import PlanNotFound
    from planctl.store.masking import mask_url

    plan_in_effect: dict[str, str | None]
    store_in_effect: dict[str, str | None]
    if os.environ.get("PLANCTL_PLAN"):
        plan_in_effect = {"value": os.environ["PLANCTL_PLAN"], "from": "PLANCTL_PLAN"}
    elif plan is not None:
        plan_in_effect = {"value": plan, "from": "config file"}
    else:
        try:
            found: str | None = str(
                settings.find_plan(None, None, settings.today(None).year, Path.cwd())
            )
        except PlanNotFound:
            found = None
        plan_in_effect = {"value": found, "from": "default (plans/ here)"}
    if os.environ.get("PLANCTL_DB"):
        store_in_effect = {"value": mask_url(os.environ["PLANCTL_DB"]), "from": "PLANCTL_DB"}
    elif store is not None:
        store_in_effect = {"value": mask_url(store), "from": "config file"}
    else:
        store_in_effect = {"value": str(settings.default_store_file()), "from": "default"}
    return {"plan": plan_in_effect, "store": store_in_effect}
