"""`returns collect`: returned sheets (files, messages, folders) to events, file by file.

Each file is checked whole first (its plan, unit and cycle; each row's task ID and values);
a file with any problem prints one line per problem, `FILE: SHEET!CELL: message`, and
nothing from it is recorded. A sound file is recorded in one transaction: its events and the
record of the return itself (`FiledReturn`).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from planctl import frozen
from planctl.cli.output import say, warn
from planctl.cli.recording import recorded_text
from planctl.cli.returns_files import Returned, returned_files
from planctl.cli.returns_words import summary, worded_look
from planctl.cli.session import Session
from planctl.core.events import Event
from planctl.core.filed import FiledReturn
from planctl.core.return_changes import ReturnedRow, RowOutcome, row_events
from planctl.core.returns import plan_cycles
from planctl.errors import BadValue, PlanctlError
from planctl.i18n import _
from planctl.office.returns_collect import (
    CellProblem,
    FilledRow,
    ReturnedSheet,
    parse_count,
    parse_day,
    parse_number,
    parse_percent,
    parse_yes,
    read_return,
)
from planctl.plan.refs import fold, plan_owners

if TYPE_CHECKING:
    from planctl.core.returns import Cycle
    from planctl.plan.model import Task
    from planctl.store.sqlite_write import SqliteTransaction, SqliteWriter
    from planctl.store.store import Store
    from planctl.store.transaction import Transaction


def collect_returns(
    session: Session, paths: list[Path], *, dry_run: bool, received: str | None
) -> bool:
    """Collect every return; True when any file was refused (the others are recorded)."""
    from planctl.cli import settings

    given = settings.parse_date(received, "--received") if received else None
    if given is not None and given > session.today:
        raise BadValue(
            _("--received {given} is after today ({today})").format(
                given=given, today=session.today
            )
        )
    failed = False
    with contextlib.ExitStack() as stack:
        writer = _Writer(session, stack)
        for item in returned_files(paths):
            failed |= _collect_or_say(writer, item, given or item.received or session.today,
                                      dry_run)  # fmt: skip
    return failed


class _Writer:
    """The store, opened for writing once for every file (on the first sound one: a run whose
    files are all refused creates no store), one transaction a file."""

    def __init__(self, session: Session, stack: contextlib.ExitStack) -> None:
        self.session = session
        self._stack = stack
        self._store: Store | SqliteWriter | None = None

    @cached_property
    def units(self) -> dict[str, str]:
        """The plan's units by their folded names (worked out once, not once a file)."""
        return {fold(name): name for name in plan_owners(self.session.plan)}

    @cached_property
    def cycles(self) -> dict[str, Cycle]:
        return {cycle.label: cycle for cycle in plan_cycles(self.session.plan)}

    @cached_property
    def tasks(self) -> dict[str, Task]:
        return {task.id: task for task in self.session.plan.tasks}

    @cached_property
    def recorded(self) -> tuple[dict[str, list[Event]], list[FiledReturn]]:
        """For `--dry-run`: the plan's events by task (renames applied) and its returns, read
        once through the read path (nothing is recorded between the files); a store not made
        yet holds nothing (and a dry run does not make it)."""
        from planctl.core.renames import apply_renames

        session = self.session
        path = session.location.sqlite_file
        if path is not None and not path.exists():
            return {}, []
        history: dict[str, list[Event]] = defaultdict(list)
        with session.reading() as store:
            for event in apply_renames(store.events(session.plan.id)):
                history[event.task_id].append(event)
            filed = store.filed_returns(session.plan.id)
        return history, filed

    def transaction(self) -> contextlib.AbstractContextManager[Transaction | SqliteTransaction]:
        if self._store is None:
            self._store = self._stack.enter_context(self._writing_store())
        return self._store.transaction()

    def _writing_store(self) -> contextlib.AbstractContextManager[Store | SqliteWriter]:
        """A SQLite store at the current schema written with the standard library (no
        SQLAlchemy: `store/sqlite_write.py`), any other through `Store` (made, upgraded)."""
        from planctl.store import reading

        if self.session.location.sqlite_file is not None and reading.DIRECT_SQLITE:
            from planctl.store.sqlite_write import SqliteWriter

            writer = SqliteWriter.open(self.session.location)
            return writer if writer is not None else self.session.writing_store()
        return self.session.writing_store()


def _collect_or_say(writer: _Writer, item: Returned, received: date, dry_run: bool) -> bool:
    """Collect one return; True when it is refused (its problems said, nothing recorded)."""
    try:
        _collect_one(writer, item, received, dry_run)
    except _Refused as refused:
        for line in refused.problems:
            warn(line)
        return True
    except PlanctlError as error:
        for line in error.lines():
            warn(line.removeprefix("planctl: "))
        return True
    return False


class _Refused(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0])
        self.problems = problems


@frozen
class _Checked:
    """A return found sound: its unit and cycle, who records it, its rows parsed, and the rows
    the unit added."""

    unit: str
    cycle: str
    by: str
    parsed: list[tuple[FilledRow, ReturnedRow]]
    added: list[FilledRow]


def _checked(writer: _Writer, item: Returned, sheet: ReturnedSheet, received: date) -> _Checked:
    """The unit, cycle, filer and parsed rows of a return, or `_Refused` with every problem."""
    session = writer.session
    plan = session.plan
    meta = sheet.meta
    problems: list[str] = []
    where = item.source
    if meta.get("plan") != plan.id:
        other = _("{where}: this return is for plan {given}, not {plan}")
        raise _Refused([other.format(where=where, given=repr(meta.get("plan")), plan=plan.id)])
    unit = writer.units.get(fold(meta.get("unit", "")))
    if unit is None:
        other = _("{where}: the return is for {unit}, not a unit of {plan}")
        problems.append(other.format(where=where, unit=repr(meta.get("unit")), plan=plan.id))
    cycle = writer.cycles.get(meta.get("cycle", ""))
    if cycle is None:
        other = _("{where}: the return is for cycle {cycle}, not one of {plan}'s")
        problems.append(other.format(where=where, cycle=repr(meta.get("cycle")), plan=plan.id))
    if problems:
        raise _Refused(problems)
    assert unit is not None and cycle is not None
    by = unit
    if sheet.filer:
        try:
            by = recorded_text(sheet.filer, _("the filer (填报人)"), name=True)
        except BadValue as error:
            problems.append(f"{where}: {sheet.sheet}!{sheet.filer_cell}: {error}")
    period = session.period
    tasks = writer.tasks
    parsed: list[tuple[FilledRow, ReturnedRow]] = []
    added: list[FilledRow] = []
    seen: dict[str, int] = {}
    letters = sheet.columns
    for row in sheet.rows:
        at = f"{where}: {sheet.sheet}!"
        if not row.task_id:
            added.append(row)
            continue
        if row.task_id not in sheet.row_map:
            problems.append(
                _("{at}: task ID {id} is not on this return (was the ID changed?)").format(
                    at=f"{at}{letters['id']}{row.row}", id=repr(row.task_id)
                )
            )
            continue
        if row.task_id not in tasks:
            problems.append(
                _("{at}: task {id} is no longer in the plan").format(
                    at=f"{at}{letters['id']}{row.row}", id=row.task_id
                )
            )
            continue
        if row.task_id in seen:
            problems.append(
                _("{at}: task {id} is also on row {row}").format(
                    at=f"{at}{letters['id']}{row.row}", id=row.task_id, row=seen[row.task_id]
                )
            )
            continue
        seen[row.task_id] = row.row
        values: dict[str, object] = {}
        for key, parse in (("percent", None), ("value", parse_number), ("count", parse_count),
                           ("done", parse_yes)):  # fmt: skip
            if key not in letters:
                continue
            try:
                if parse is None:
                    values[key] = parse_percent(row.cells.get(key), row.formats.get(key, ""))
                else:
                    values[key] = parse(row.cells.get(key))
            except CellProblem as problem:
                problems.append(f"{at}{letters[key]}{row.row}: {problem}")
        task = tasks[row.task_id]
        if values.get("percent") is not None and (task.counted or task.measures_value):
            # A task with a target is judged by its count or its value alone (as `progress`).
            message = (
                _(
                    "{at}: a percent is not for task {id}: it is judged by its count;"
                    " fill the count column instead"
                )
                if task.counted
                else _(
                    "{at}: a percent is not for task {id}: it is judged by its value;"
                    " fill the value column instead"
                )
            )
            problems.append(message.format(at=f"{at}{letters['percent']}{row.row}", id=task.id))
        for key in ("done_on", "defer_to"):
            if key not in letters:
                continue
            try:
                day = parse_day(row.cells.get(key), cycle.end.year)
            except CellProblem as problem:
                problems.append(f"{at}{letters[key]}{row.row}: {problem}")
                continue
            if day is not None and key == "done_on":
                if day > received:
                    problems.append(
                        _(
                            "{at}: {day} is after the day the return was received ({received})"
                        ).format(at=f"{at}{letters[key]}{row.row}", day=day, received=received)
                    )
                elif day not in period:
                    problems.append(
                        _("{at}: {day} is outside the plan's period {period}").format(
                            at=f"{at}{letters[key]}{row.row}", day=day, period=period
                        )
                    )
            values[key] = day
        parsed.append(
            (
                row,
                ReturnedRow(
                    row.task_id,
                    progress=_cell_text(row, "progress"),
                    percent=values.get("percent"),  # type: ignore[arg-type]
                    value=values.get("value"),  # type: ignore[arg-type]
                    count=values.get("count"),  # type: ignore[arg-type]
                    done=values.get("done"),  # type: ignore[arg-type]
                    done_on=values.get("done_on"),  # type: ignore[arg-type]
                    defer_to=values.get("defer_to"),  # type: ignore[arg-type]
                    defer_reason=_cell_text(row, "defer_reason"),
                    remark=_cell_text(row, "remark"),
                ),
            )
        )
    if received not in period:
        problems.append(
            _("{where}: received {received}, outside the plan's period {period}").format(
                where=where, received=received, period=period
            )
        )
    if problems:
        raise _Refused(problems)
    return _Checked(unit, cycle.label, by, parsed, added)


def _cell_text(row: FilledRow, key: str) -> str:
    value = row.cells.get(key)
    return "" if value is None else str(value).strip()


def _collect_one(writer: _Writer, item: Returned, received: date, dry_run: bool) -> None:
    session = writer.session
    sheet = read_return(item.data, item.source)
    checked = _checked(writer, item, sheet, received)
    unit, cycle, parsed, added = checked.unit, checked.cycle, checked.parsed, checked.added
    plan = session.plan
    digest = hashlib.sha256(item.data).hexdigest()[:32]
    tasks = writer.tasks
    filled = [(row, returned) for row, returned in parsed if row.filled]
    base = session.stamp(checked.by)

    def outcomes_of(
        earlier: list[FiledReturn], history: Mapping[str, list[Event]]
    ) -> dict[str, RowOutcome] | None:
        if any(f.digest == digest for f in earlier):
            say(
                _("{source}: {unit} {cycle}: already collected; nothing recorded").format(
                    source=item.source, unit=unit, cycle=cycle
                )
            )
            return None
        return {
            returned.task_id: row_events(
                plan.id,
                tasks[returned.task_id],
                returned,
                history.get(returned.task_id, []),
                session.period,
                cycle=cycle,
                unit=unit,
                received=received,
                stamp=base,
                checks=plan.checks,
            )
            for _, returned in filled
        }

    if dry_run:  # what the store holds, read once for every file, without a write lock
        history, filed = writer.recorded
        earlier = [f for f in filed if (f.unit, f.cycle) == (unit, cycle)]
        outcomes = outcomes_of(earlier, history)
        if outcomes is None:
            return
        new = [event for outcome in outcomes.values() for event in outcome.events]
    else:
        with writer.transaction() as tx:
            earlier = [f for f in tx.filed_returns(plan.id) if (f.unit, f.cycle) == (unit, cycle)]
            found: dict[str, list[Event]] = defaultdict(list)
            for event in tx.events(plan.id, [row.task_id for _, row in filled]):
                found[event.task_id].append(event)
            outcomes = outcomes_of(earlier, found)
            if outcomes is None:
                return
            new = [event for outcome in outcomes.values() for event in outcome.events]
            record = FiledReturn(next(base.ids), plan.id, unit, cycle, received, digest,
                                 len(filled), base.by, base.at)  # fmt: skip
            if new:
                tx.record_plan(plan, session.loaded.digest, base.at)
                tx.append(new)
            tx.append_returns([record])
    _summary(item.source, unit, cycle, received, parsed, outcomes, added, new, earlier, dry_run)


def _summary(
    source: str,
    unit: str,
    cycle: str,
    received: date,
    parsed: list[tuple[FilledRow, ReturnedRow]],
    outcomes: dict[str, RowOutcome],
    added: list[FilledRow],
    new: list[Event],
    earlier: list[FiledReturn],
    dry_run: bool,
) -> None:
    nothing = sum(1 for outcome in outcomes.values() if not outcome.events)
    looks = [worded_look(look) for outcome in outcomes.values() for look in outcome.look]
    said = summary(dry_run=dry_run, corrected=bool(earlier))
    say(said.format(source=source, unit=unit, cycle=cycle, received=received, read=len(parsed),
                    events=len(new), nothing=nothing, looks=len(looks) + len(added)))  # fmt: skip
    if dry_run:
        for event in new:
            details = [f"{key} {getattr(event, key)}" for key in ("percent", "value", "count")
                       if getattr(event, key) is not None]  # fmt: skip
            shown = "; ".join([*details, *([event.note] if event.note else [])])
            say(f"  {event.task_id} {event.action.value} {event.work_date}: {shown}")
    for line in looks:
        say("  " + _("look: {line}").format(line=line))
    for row in added:
        what = _cell_text(row, "task") or _cell_text(row, "progress")
        look = _("look: row {row} is not in the plan, not recorded: {what}")
        say("  " + look.format(row=row.row, what=what))
