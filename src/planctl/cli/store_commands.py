"""The store itself: export its progress, import progress into it, say what it holds."""

from __future__ import annotations

import itertools
import shutil
import sys
from functools import partial
from typing import TYPE_CHECKING, Annotated

import typer

from planctl.cli.options import DbOption, OutputChoice, PlanChoice, output_options, plan_options
from planctl.cli.output import say, warn, write_file
from planctl.cli.session import Session
from planctl.i18n import _, ngettext
from planctl.render import Table, View

if TYPE_CHECKING:
    from planctl.core.events import Event

CHUNK_BYTES = 1024 * 1024

store_app = typer.Typer(
    help="The store: make it, export its progress, import progress into it, show what it holds.",
    no_args_is_help=True,
)


@store_app.command("init")
def init(db: DbOption = None) -> None:
    """Make the store (SQLite file or database) with planctl's tables and no events, or
    upgrade it to this planctl's schema; a current store is left as it is."""
    from planctl.store.revision import SCHEMA_REVISION

    session = Session(db=db)
    where = session.location.display()
    before = session.init_store()
    if before is None:
        say(
            _("created the store {where} (schema {schema}, no events)").format(
                where=where, schema=SCHEMA_REVISION
            )
        )
    elif before == SCHEMA_REVISION:
        say(
            _("the store {where} is already current (schema {schema}); nothing to do").format(
                where=where, schema=SCHEMA_REVISION
            )
        )
    else:
        say(
            _("upgraded the store {where} from schema {before} to {schema}").format(
                where=where, before=before, schema=SCHEMA_REVISION
            )
        )


@store_app.command("rename-task")
@plan_options(lang=False)
def rename_task(
    old: Annotated[str, typer.Argument(help="The task ID the plan no longer has.")],
    new: Annotated[str, typer.Argument(help="The task its events count for from now on.")],
    by: Annotated[
        str | None, typer.Option("--by", help="Who records it [default: your login name].")
    ] = None,
    *,
    where: PlanChoice,
) -> None:
    """Make the events of a task renamed in the plan (OLD, no longer there) count for NEW,
    recorded as an event: nothing recorded changes, and `planctl undo NEW` takes it back."""
    from planctl.core.renames import rename_event

    session = Session.of(where)
    found = session.task(new)
    stamp = session.stamp(by)
    with session.writing() as tx:
        event, moved = rename_event(
            session.plan, old, found, tx.events(session.plan.id), session.today, stamp
        )
        tx.record_plan(session.plan, session.loaded.digest, stamp.at)
        tx.append([event])
    say(
        ngettext(
            "renamed: the {count} event of {old} now count for {id} {title}",
            "renamed: the {count} events of {old} now count for {id} {title}",
            moved,
        ).format(count=moved, old=old, id=found.id, title=found.title)
    )


@store_app.command("export")
def export(
    file: Annotated[
        str | None,
        typer.Argument(help="Write the export here [default: stdout, also for -]."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Write every event of every plan, and the plan versions, as JSON Lines.

    A damaged event (a row that is not a sound event) is left out and named on stderr; the
    sound ones are still written, so that they can be imported into a new store; exit 1."""
    import tempfile

    from planctl.store.transfer_write import (
        event_lines,
        events_format,
        header_line,
        return_lines,
        version_lines,
    )

    session = Session(db=db)
    plan_ids: set[str] = set()
    written = 0
    holds = 1  # the oldest export format that holds every event written
    # The events go to a temporary file a chunk at a time, counted, so that the header can say
    # how many there are without a store's whole log in memory (a 500,000-event store: 840 MiB).
    with tempfile.TemporaryFile() as body:

        def add(events: list[Event]) -> None:
            nonlocal written, holds
            body.write(event_lines(events).encode("utf-8"))
            holds = max(holds, events_format(events))
            plan_ids.update(event.plan_id for event in events)
            written += len(events)

        with session.reading() as store:
            damaged = store.salvage_event_chunks(add)
            versions, damaged_versions = store.salvage_plan_versions()
            filed = store.filed_returns()
        body.seek(0)
        head = header_line(written, len(versions), len(filed), holds=holds).encode("utf-8")
        tail = (version_lines(versions) + return_lines(filed)).encode("utf-8")
        if file is None or file == "-":
            sys.stdout.buffer.write(head)
            shutil.copyfileobj(body, sys.stdout.buffer, CHUNK_BYTES)
            sys.stdout.buffer.write(tail)
            sys.stdout.flush()
        else:
            pieces = itertools.chain([head], iter(partial(body.read, CHUNK_BYTES), b""), [tail])
            write_file(file, pieces, reads=session.files_read, option="", mode=_mode_of(session))
            exported = _("{events} of {plans}").format(
                events=_events(written), plans=_plans(len(plan_ids))
            )
            say(_("exported {exported} to {file}").format(exported=exported, file=file))
    if damaged or damaged_versions:
        for damage in [*damaged, *damaged_versions]:
            warn(_("planctl: {damage}; left out").format(damage=damage))
        left_out = [
            ngettext("{count} damaged event", "{count} damaged events", len(damaged)).format(
                count=len(damaged)
            )
            if damaged
            else "",
            ngettext(
                "{count} damaged plan version",
                "{count} damaged plan versions",
                len(damaged_versions),
            ).format(count=len(damaged_versions))
            if damaged_versions
            else "",
        ]
        exported = _("{events} and {versions}").format(
            events=_events(written),
            versions=ngettext(
                "{count} plan version", "{count} plan versions", len(versions)
            ).format(count=len(versions)),
        )
        warn(
            _("planctl: {left_out} left out of the export; {exported} exported").format(
                left_out=_(" and ").join(filter(None, left_out)), exported=exported
            )
        )
        raise typer.Exit(1)


@store_app.command("import")
def import_(
    file: Annotated[str, typer.Argument(help="An export of `planctl store export`; - for stdin.")],
    db: DbOption = None,
) -> None:
    """Add an export's events to the store: all or nothing, skipping events it already has."""
    from planctl.store.transfer import check_export, import_checked, open_export, refuse_early

    # Two passes over the file, so that a large export is never whole in memory: every line
    # checked first, then its events compared and appended 10,000 at a time (issue 24.6).
    with open_export(file) as handle:
        checked = check_export(handle, "<stdin>" if file == "-" else file)
        session = Session(db=db)
        refuse_early(checked, session.location)
        with session.writing() as tx:
            result = import_checked(tx, checked)
    say(_("imported {counts}").format(counts=result.counts()))


def _mode_of(session: Session) -> int | None:
    """A SQLite store's permissions, which its export keeps (it holds the same events)."""
    import contextlib

    store_file = session.location.sqlite_file
    if store_file is not None:
        with contextlib.suppress(OSError):
            return store_file.stat().st_mode & 0o777
    return 0o600  # a server's events: for the owner only


def _events(count: int) -> str:
    return ngettext("{count} event", "{count} events", count).format(count=count)


def _plans(count: int) -> str:
    return ngettext("{count} plan", "{count} plans", count).format(count=count)


@store_app.command("info")
@output_options()
def info(db: DbOption = None, *, out: OutputChoice) -> None:
    """Where the store is (no password), its schema revision, and its events by plan."""
    from planctl.store.revision import KNOWN_REVISIONS
    from planctl.store.schema import SCHEMA_REVISION
    from planctl.store.store import Store

    session = Session(db=db)
    location = session.location
    with Store.open_to_inspect(location) as store:
        revision = store.revision()
        counts = store.event_counts() if revision is not None else {}
    if revision is None:
        status, schema = "not created", _("schema not created yet")
    elif revision == SCHEMA_REVISION:
        status, schema = "current", _("schema {revision} (current)").format(revision=revision)
    elif revision in KNOWN_REVISIONS:
        status = "older"
        schema = _(
            "schema {revision} (older: a recording command such as `planctl done` upgrades it)"
        ).format(revision=revision)
    else:
        status = "newer"
        schema = _("schema {revision} (newer than this planctl: upgrade planctl)").format(
            revision=revision
        )
    total = sum(counts.values())
    view = View(
        data={
            "store": location.display(),
            "schema": revision,
            "schema_status": status,
            "events": total,
            "plans": [{"id": plan_id, "events": count} for plan_id, count in counts.items()],
        },
        title=_("store {where}").format(where=location.display()),
        lead=schema,
        tables=[
            Table(
                _("events by plan"),
                [_("plan"), _("events")],
                [[plan_id, str(count)] for plan_id, count in counts.items()],
                empty=_("no events"),
            )
        ],
        footer=_("{events} in {plans}").format(events=_events(total), plans=_plans(len(counts))),
    )
    out.show(view, reads=session.files_read)
