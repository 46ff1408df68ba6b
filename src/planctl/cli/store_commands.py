"""The store itself: export its progress, import progress into it, say what it holds."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from planctl.cli.options import DbOption, FormatOption
from planctl.cli.output import say, show, warn, write_file
from planctl.cli.session import Session
from planctl.render import Format, Table, View

store_app = typer.Typer(
    help="The store: export its progress, import progress into it, show what it holds.",
    no_args_is_help=True,
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
    from planctl.store.transfer import export_lines

    with Session(db=db).reading() as store:
        events, damaged = store.salvage_events()
        versions, damaged_versions = store.salvage_plan_versions()
        filed = store.filed_returns()
    data = "".join(export_lines(events, versions, filed)).encode("utf-8")
    if file is None or file == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_file(file, data)
        plans = len({event.plan_id for event in events})
        say(f"exported {_count(len(events), 'event')} of {_count(plans, 'plan')} to {file}")
    if damaged or damaged_versions:
        for damage in [*damaged, *damaged_versions]:
            warn(f"planctl: {damage}; left out")
        left_out = [
            _count(len(damaged), "damaged event") if damaged else "",
            _count(len(damaged_versions), "damaged plan version") if damaged_versions else "",
        ]
        exported = f"{_count(len(events), 'event')} and {_count(len(versions), 'plan version')}"
        warn(
            f"planctl: {' and '.join(filter(None, left_out))} left out of the export;"
            f" {exported} exported"
        )
        raise typer.Exit(1)


@store_app.command("import")
def import_(
    file: Annotated[str, typer.Argument(help="An export of `planctl store export`; - for stdin.")],
    db: DbOption = None,
) -> None:
    """Add an export's events to the store: all or nothing, skipping events it already has."""
    from planctl.store.transfer import import_into, parse_export, read_export, refuse_early

    export = parse_export(read_export(file), "<stdin>" if file == "-" else file)
    session = Session(db=db)
    refuse_early(export, session.location)
    with session.writing() as tx:
        result = import_into(tx, export)
    added, present = result.events_added, result.events_present
    say(f"imported {_count(added, 'event')}, {present} already present")


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@store_app.command("info")
def info(db: DbOption = None, format: FormatOption = Format.TABLE) -> None:
    """Where the store is (no password), its schema revision, and its events by plan."""
    from planctl.store.schema import SCHEMA_REVISION
    from planctl.store.store import Store

    location = Session(db=db).location
    with Store.open_to_inspect(location) as store:
        revision = store.revision()
        counts = store.event_counts() if revision is not None else {}
    if revision is None:
        status, schema = "not created", "schema not created yet"
    elif revision == SCHEMA_REVISION:
        status, schema = "current", f"schema {revision} (current)"
    elif revision < SCHEMA_REVISION:
        status = "older"
        schema = (
            f"schema {revision} (older: a recording command such as `planctl done` upgrades it)"
        )
    else:
        status, schema = "newer", f"schema {revision} (newer than this planctl: upgrade planctl)"
    total = sum(counts.values())
    view = View(
        data={
            "store": location.display(),
            "schema": revision,
            "schema_status": status,
            "events": total,
            "plans": [{"id": plan_id, "events": count} for plan_id, count in counts.items()],
        },
        title=f"store {location.display()}",
        lead=schema,
        tables=[
            Table(
                "events by plan",
                ["plan", "events"],
                [[plan_id, str(count)] for plan_id, count in counts.items()],
                empty="no events",
            )
        ],
        footer=f"{_count(total, 'event')} in {_count(len(counts), 'plan')}",
    )
    show(view, format)
