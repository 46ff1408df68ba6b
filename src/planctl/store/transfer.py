"""Moving progress between stores: every event and plan version as JSON Lines, and back.

An export is UTF-8 JSON Lines. The first line is a header, `{"planctl_export": 1, "events": N,
"plan_versions": M}`; then one line per event (`"type": "event"`, every column of the events
table) in the order they were recorded, then one line per plan version (`"type":
"plan_version"`). Timestamps are ISO 8601 in UTC with their offset. The README documents it.

An import is all or nothing, in two passes over the file: every line is checked first
(keeping only the event IDs, the undos and where the plan versions are), then, in one write
transaction, the file is read again 10,000 events at a time: events whose ID the store already
has with the same content are left alone, one with different content (a conflict) stops the
import and rolls back what was appended, and the rest are appended. A store reads
its events in recorded order (recorded time, event ID), never in the order they arrived, so
importing A then B leaves the same store as B then A, to the byte of its export.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, BinaryIO

from planctl import frozen
from planctl.core.events import Event
from planctl.core.filed import FiledReturn
from planctl.errors import BadValue, TransferFileError
from planctl.i18n import _, ngettext
from planctl.store.location import StoreLocation
from planctl.store.transfer_check import MAX_VERSION_LINE_BYTES, MIB, CheckedExport, _scan, _text
from planctl.store.transfer_check import parse_export as parse_export
from planctl.store.transfer_lines import _EventLine, _PlanVersionLine
from planctl.store.versions import PlanVersion

if TYPE_CHECKING:
    from planctl.store.transaction import Transaction

MAX_IMPORT_BYTES = 256 * MIB
"""The largest file `store import` reads. An export line is about 400 bytes, so this is some
600,000 events: a busy office records a few thousand a year. It bounds what an import holds
in memory (the file, then its events) where a runaway file or /dev/zero on stdin would not."""


def open_export(file: str) -> BinaryIO:
    """The export file open to be read (twice: see `check_export`), of at most
    `MAX_IMPORT_BYTES`; `-` is standard input, copied to a temporary file within the same cap.
    Anything but a regular file is refused at once: opened without waiting, a FIFO cannot hang
    the import, and /dev/zero is not read forever."""
    if file == "-":
        import tempfile

        spool = tempfile.TemporaryFile()  # noqa: SIM115 - returned open, closed by the caller
        try:
            copied = 0
            while chunk := sys.stdin.buffer.read(MIB):
                copied += len(chunk)
                _within_limit(b"", "<stdin>", copied)
                spool.write(chunk)
        except (OSError, AttributeError, ValueError) as error:  # closed, or no stdin at all
            spool.close()
            raise BadValue(
                _("cannot read {path}: {reason}").format(
                    path="<stdin>", reason=error or _("closed")
                )
            ) from None
        except BaseException:
            spool.close()
            raise
        spool.seek(0)
        return spool
    try:
        handle = os.open(file, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise BadValue(
            _("cannot read {path}: {reason}").format(path=file, reason=error.strerror)
        ) from None
    try:
        status = os.fstat(handle)
        if stat.S_ISDIR(status.st_mode):
            raise BadValue(
                _("cannot read {path}: {reason}").format(
                    path=file, reason=os.strerror(errno.EISDIR)
                )
            )
        if not stat.S_ISREG(status.st_mode):
            raise BadValue(
                _("cannot read {path}: {reason}").format(path=file, reason=_("not a regular file"))
            )
        _within_limit(b"", file, status.st_size)
        return os.fdopen(handle, "rb")
    except OSError as error:
        os.close(handle)
        raise BadValue(
            _("cannot read {path}: {reason}").format(path=file, reason=error.strerror)
        ) from None
    except BaseException:
        os.close(handle)
        raise


def _within_limit(data: bytes, source: str, size: int | None = None) -> bytes:
    if (size if size is not None else len(data)) > MAX_IMPORT_BYTES:
        limit = MAX_IMPORT_BYTES
        if limit % MIB == 0:
            message = _("{source}: larger than {size} MiB, the most store import reads")
            size = limit // MIB
        else:
            message = _("{source}: larger than {size} bytes, the most store import reads")
            size = limit
        raise TransferFileError([message.format(source=source, size=size)])
    return data


def _file_lines(handle: BinaryIO, source: str) -> Iterator[bytes]:
    """The file's lines from its start, without their line breaks, at most
    `MAX_VERSION_LINE_BYTES + 1` bytes of each (enough to say it is too long: the rest of a
    longer line is skipped unread into memory); the whole file within `MAX_IMPORT_BYTES`."""
    handle.seek(0)
    total = 0
    while line := handle.readline(MAX_VERSION_LINE_BYTES + 1):
        total += len(line)
        if len(line) > MAX_VERSION_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := handle.readline(MIB)) and not rest.endswith(b"\n"):
                total += len(rest)
            total += len(rest)
        _within_limit(b"", source, total)
        yield line[:-1] if line.endswith(b"\n") else line


def check_export(handle: BinaryIO, source: str) -> CheckedExport:
    """The first pass of an import: every line checked as `parse_export` checks it, keeping
    only what `import_checked` needs besides the file (which it reads again); then the lines
    of the events that undos undo are read again for their plan and task."""
    checked = CheckedExport(source, handle)

    def on_event(number: int, line: _EventLine, event: Event) -> None:
        if event.undoes is not None:
            checked.undoes.append((number, event.undoes, event.plan_id, event.task_id))

    def on_version(number: int, line: _PlanVersionLine, version: PlanVersion) -> None:
        checked.version_lines[(line.plan_id, version.digest, version.seen_at)] = number

    checked.returns, checked.event_lines = _scan(
        _file_lines(handle, source), source, on_event, on_version
    )
    checked.events = len(checked.event_lines)
    undone_lines = {
        checked.event_lines[undone]
        for _, undone, _, _ in checked.undoes
        if undone in checked.event_lines
    }
    if undone_lines:
        for number, raw in enumerate(_file_lines(handle, source), start=1):
            if number in undone_lines:
                event = _EventLine.model_validate_json(_text(raw, number)).event()
                checked.undone_in_file[event.event_id] = (event.plan_id, event.task_id)
    return checked


@frozen(slots=False)
class ImportResult:
    """What an import added, and what the store already had."""

    events_added: int
    events_present: int
    versions_added: int
    versions_present: int
    events_conflicting: int = 0
    """Events whose ID the store has with different content (an import with any stops)."""

    def counts(self) -> str:
        """The count line: `3 new events, 2 already there, 0 in conflict`."""
        return ngettext(
            "{new} new event, {present} already there, {conflicting} in conflict",
            "{new} new events, {present} already there, {conflicting} in conflict",
            self.events_added,
        ).format(
            new=self.events_added,
            present=self.events_present,
            conflicting=self.events_conflicting,
        )


def refuse_early(checked: CheckedExport, location: StoreLocation) -> None:
    """Check the export against a store that is not created yet, before anything creates it,
    so that a refused import leaves nothing behind (a new store has no events to conflict
    with, but an undo in the file may undo an event that is nowhere)."""
    from planctl.store.store import Store  # `store export` reads without SQLAlchemy

    probe = Store.open_to_inspect(location)
    try:
        new_store = probe.revision() is None
    finally:
        probe.close()
    if new_store:
        problems = [
            problem
            for number, undone, plan_id, task_id in checked.undoes
            for problem in _undo_problems(
                f"{checked.source}:{number}",
                undone,
                (plan_id, task_id),
                checked.undone_in_file.get(undone),
            )
        ]
        if problems:
            raise TransferFileError(problems)


BATCH = 10_000
"""Events read again, compared with the store and appended at a time (`import_checked`)."""


def import_checked(tx: Transaction, checked: CheckedExport) -> ImportResult:
    """The second pass of an import: the file read again, its events compared with the
    store's and appended 10,000 at a time, in the one transaction; any conflict, or an undo of
    an event that is nowhere, raises `TransferFileError` naming each, and so rolls it all back."""
    source = checked.source
    problems: list[str] = []
    counts = {"added": 0, "present": 0, "conflicts": 0}
    event_numbers = set(checked.event_lines.values())
    version_numbers = {number: key for key, number in checked.version_lines.items()}
    stored_versions = {
        (plan_id, version.digest, version.seen_at): version
        for plan_id, version in tx.plan_versions()
    }
    batch: list[tuple[int, Event]] = []

    def compare_and_append() -> None:
        wanted = {event.event_id for _, event in batch}
        wanted |= {
            event.undoes
            for _, event in batch
            if event.undoes is not None and event.undoes not in checked.undone_in_file
        }
        present = tx.events_with_ids(wanted)
        new: list[Event] = []
        for number, event in batch:
            where = f"{source}:{number}"
            stored = present.get(event.event_id)
            if stored is not None and stored != event:
                counts["conflicts"] += 1
                problems.append(
                    _(
                        "{where}: event {event} is in the store with different content"
                        " (differs in {fields})"
                    ).format(where=where, event=event.event_id, fields=_differences(stored, event))
                )
            if event.undoes is not None:
                found = checked.undone_in_file.get(event.undoes)
                if found is None and event.undoes in present:
                    undone = present[event.undoes]
                    found = (undone.plan_id, undone.task_id)
                problems.extend(
                    _undo_problems(where, event.undoes, (event.plan_id, event.task_id), found)
                )
            if stored is None:
                new.append(event)
            elif stored == event:
                counts["present"] += 1
        counts["added"] += len(new)
        if not problems:  # once anything is wrong, nothing more is written: it is rolled back
            tx.append(new)
        batch.clear()

    added_versions: list[tuple[str, PlanVersion]] = []
    version_problems: list[str] = []
    versions_present = 0
    for number, raw in enumerate(_file_lines(checked.handle, source), start=1):
        if number in event_numbers:
            line = _EventLine.model_validate_json(_text(raw, number))
            batch.append((number, line.event()))
            if len(batch) >= BATCH:
                compare_and_append()
        elif number in version_numbers:
            plan_id, version = _version(raw, number)
            stored_version = stored_versions.get(version_numbers[number])
            if stored_version is None:
                if not problems and not version_problems:
                    tx.append_plan_versions([(plan_id, version)])
                added_versions.append((plan_id, version))
            elif stored_version.tasks != version.tasks:
                version_problems.append(
                    _(
                        "{where}: plan version {digest} of {plan} is in the store with"
                        " different tasks"
                    ).format(where=f"{source}:{number}", digest=version.digest, plan=plan_id)
                )
            else:
                versions_present += 1
    if batch:
        compare_and_append()
    result = ImportResult(
        counts["added"],
        counts["present"],
        len(added_versions),
        versions_present,
        counts["conflicts"],
    )
    problems.extend(version_problems)
    if problems:
        summary = (
            [_("planctl: nothing imported: {counts}").format(counts=result.counts())]
            if counts["conflicts"]
            else []
        )
        raise TransferFileError(problems, summary=summary)
    tx.append_returns(_returns_to_add(source, checked.returns, tx))
    return result


def _version(raw: bytes, number: int) -> tuple[str, PlanVersion]:
    line = _PlanVersionLine.model_validate_json(_text(raw, number))
    return line.plan_id, line.version()


def _undo_problems(
    where: str, undone: str, task: tuple[str, str], found: tuple[str, str] | None
) -> list[str]:
    """What is wrong with an undo of `undone` for `task` (plan, task), given the plan and task
    of the undone event (`found` in the file, else in the store; None: in neither)."""
    if found is None:
        return [
            _("{where}: undoes {event}, which is neither in the file nor in the store").format(
                where=where, event=undone
            )
        ]
    if found != task:
        return [
            _("{where}: undoes {event}, an event of another task ({plan} {task})").format(
                where=where, event=undone, plan=found[0], task=found[1]
            )
        ]
    return []


def _returns_to_add(
    source: str, returns: Sequence[tuple[int, FiledReturn]], tx: Transaction
) -> list[FiledReturn]:
    """The returns the store does not have yet; one it has with other content is a conflict."""
    present = {
        filed.return_id: filed
        for plan_id in {filed.plan_id for _, filed in returns}
        for filed in tx.filed_returns(plan_id)
    }
    problems, added = [], []
    for number, filed in returns:
        stored = present.get(filed.return_id)
        if stored is None:
            added.append(filed)
        elif stored != filed:
            problems.append(
                _("{where}: return {id} is in the store with different content").format(
                    where=f"{source}:{number}", id=filed.return_id
                )
            )
    if problems:
        raise TransferFileError(problems)
    return added


def _differences(stored: Event, imported: Event) -> str:
    names = [
        name
        for name in Event.__dataclass_fields__
        if getattr(stored, name) != getattr(imported, name)
    ]
    return ", ".join(names)
