"""The return cycle (填报): `planctl returns make`, each unit's sheet for a cycle."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from planctl.cli.options import OutputChoice, PlanChoice, output_options, plan_options
from planctl.cli.output import say
from planctl.cli.session import Session
from planctl.errors import BadValue
from planctl.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from planctl.core.returns import Cycle
    from planctl.office.returns_make import ReturnSheet

returns_app = typer.Typer(
    help="The return cycle (填报): each unit's sheet out, filled sheets back in.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

CycleOption = Annotated[
    str | None,
    typer.Option(
        "--cycle",
        help="The cycle: 2018-06 (monthly returns) or 2018-Q2 (quarterly) [default: the one"
        " due next, or holding today].",
    ),
]
UnitsOption = Annotated[
    list[str] | None,
    typer.Option("--unit", help="Only this unit (repeatable) [default: every unit of the plan]."),
]
DirOption = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        help="The folder the sheets are written to (made if missing).",
        metavar="DIR",
        show_default=False,
    ),
]


@returns_app.command("make")
@plan_options(lang=False)
def make(
    output: DirOption,
    cycle: CycleOption = None,
    unit: UnitsOption = None,
    *,
    where: PlanChoice,
) -> None:
    """One .xlsx return sheet per unit for the cycle (DIR/2018-06 提案科.xlsx): the tasks it
    leads or supports in the cycle, the columns it fills, protected, with a hidden sheet
    saying what the return is about. Existing files are never overwritten."""
    from planctl.cli.outfile import refuse_overwriting
    from planctl.core.units import filing_units
    from planctl.office.returns_make import return_file_name, return_workbook

    session = Session.of(where, records="optional")
    p = session.plan
    # -o onto what the command reads (the plan, the store, its -wal ...) is refused as every
    # command refuses it: a folder made there would break the store.
    refuse_overwriting(str(output), "-o ", session.files_read())
    if output.exists() and not output.is_dir():
        raise BadValue(
            _("-o {output} is a file, not a folder: nothing written").format(output=output)
        )
    chosen = chosen_cycle(session, cycle)
    units = [session.owner(name) or name for name in unit] if unit else filing_units(p)
    if not units:
        raise BadValue(
            _("plan {plan} names no lead or supporting unit: no return to make").format(plan=p.id)
        )
    units = list(dict.fromkeys(units))
    targets = {name: output / return_file_name(chosen, name) for name in units}
    taken = [str(path) for path in targets.values() if path.exists() or path.is_symlink()]
    if taken:
        raise BadValue(_(_EXISTS).format(path=taken[0]))
    sheets = {}
    for name in units:
        data = unit_return_sheet(session, chosen, name)
        sheets[name] = (return_workbook(data), len(data.rows))
    made = _write_sheets(session, output, {targets[name]: sheet for name, sheet in sheets.items()})
    for path, (_content, count) in made.items():
        say(
            ngettext("{path}: {count} task", "{path}: {count} tasks", count).format(
                path=path, count=count
            )
        )


_EXISTS = N_("{path} exists; nothing written (move it away or choose another -o)")


def _write_sheets(
    session: Session, output: Path, sheets: dict[Path, tuple[bytes, int]]
) -> dict[Path, tuple[bytes, int]]:
    """Write every sheet into `output` (made if missing), each through the one atomic writer
    and never over a file: all or none (on a failure the sheets written are removed, and the
    folder if this made it), so that a rerun is not refused for a file of a failed run."""
    from planctl.cli.output import write_file

    existed = output.is_dir()
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BadValue(
            _("cannot make {output}: {reason}").format(output=output, reason=error.strerror)
        ) from None
    written: list[Path] = []
    try:
        for path, (content, _count) in sheets.items():
            try:
                write_file(str(path), content, reads=session.files_read, replace=False)
            except FileExistsError:
                raise BadValue(_(_EXISTS).format(path=path)) from None
            written.append(path)
    except BadValue as error:
        for path in written:
            path.unlink(missing_ok=True)
        if not existed:
            with contextlib.suppress(OSError):
                output.rmdir()
        message = str(error)
        raise BadValue(
            message
            if _("nothing written") in message
            else _("{message}; nothing written").format(message=message)
        ) from None
    return sheets


def chosen_cycle(session: Session, cycle: str | None) -> Cycle:
    """The cycle `--cycle` names, else the current one (the first begun and not yet past
    due, else the one holding today)."""
    from planctl.core.returns import current_cycle, cycle_named, plan_cycles

    cycles = plan_cycles(session.plan)
    return cycle_named(cycles, cycle) if cycle else current_cycle(cycles, session.today)


def unit_return_sheet(session: Session, cycle: Cycle, unit: str) -> ReturnSheet:
    """What a unit's return sheet for the cycle holds (`returns make`, `mail
    --attach-returns`): the tasks it answers for in it, as the session assesses them today."""
    from planctl.core.returns import unit_return_rows
    from planctl.office.returns_make import ReturnSheet

    p = session.plan
    return ReturnSheet(
        plan_id=p.id,
        plan_title=p.title,
        organisation=p.organisation,
        plan_digest=session.loaded.digest,
        language=p.language,
        unit=unit,
        cycle=cycle,
        made=session.today,
        rows=unit_return_rows(session.rows.values(), cycle, session.period, unit),
    )


FilesArgument = Annotated[
    list[Path],
    typer.Argument(
        help="Returned .xlsx files, .eml messages, or folders of them.", show_default=False
    ),
]


@returns_app.command("collect")
@plan_options(lang=False)
def collect(
    files: FilesArgument,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be recorded; record nothing.")
    ] = False,
    received: Annotated[
        str | None,
        typer.Option(
            "--received",
            help="The day the returns were received (YYYY-MM-DD) [default: a message's Date,"
            " else today].",
        ),
    ] = None,
    *,
    where: PlanChoice,
) -> None:
    """Record what filled return sheets say: each row's progress, count, done and deferral
    request, as events, all or nothing per file; the same file twice records nothing."""
    from planctl.cli.returns_collecting import collect_returns

    session = Session.of(where, records="optional")
    failed = collect_returns(session, files, dry_run=dry_run, received=received)
    if failed:
        raise typer.Exit(1)


@returns_app.command("status")
@plan_options()
@output_options()
def status(
    cycle: CycleOption = None,
    *,
    where: PlanChoice,
    out: OutputChoice,
) -> None:
    """Each unit's return for the cycle: due day, day filed, on time / late / missing /
    not due yet, its tasks, the rows it filled and its tasks left without a word."""
    from planctl.core.progress import assess
    from planctl.core.returns import unit_filings, unit_return_rows
    from planctl.core.state import states
    from planctl.core.units import filing_units
    from planctl.views.returns import returns_status_view

    session = Session.of(where)
    p = session.plan
    chosen = chosen_cycle(session, cycle)
    # The tasks each unit answers for as the cycle begins (what its sheet lists), so that a
    # task done during the cycle still counts as one it reported on.
    eve = chosen.start - timedelta(days=1)
    rows = assess(p, states(session.events, as_of=eve), eve, session.supervision).values()
    tasks = {
        unit: len(unit_return_rows(rows, chosen, session.period, unit)) for unit in filing_units(p)
    }
    with session.reading() as store:
        filed = store.filed_returns(p.id)
    filings = unit_filings(chosen, tasks, filed, session.today)
    view = returns_status_view(
        p, session.source, chosen, filings, labels=session.labels, today=session.today
    )
    out.show(view, reads=session.files_read)
