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
import json
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from planctl.core.events import KINDS, Action, Event, owners
from planctl.core.filed import FiledReturn
from planctl.errors import BadValue, StoreLimitExceeded, TransferFileError
from planctl.i18n import _, ngettext
from planctl.store.location import StoreLocation
from planctl.store.rows import MAX_COUNT, check_fits, event_from_record, event_record, event_row
from planctl.store.versions import PlanVersion

if TYPE_CHECKING:
    from planctl.store.transaction import Transaction

FORMAT_VERSION = 5
"""Format 2 added `to_date` to events, format 3 progress reports (`percent`, `value`), format
4 the units' collected returns (`"type": "return"` lines), format 5 the checked steps and
chases (each kind's `Kind.format`, core/events.py); files of formats 1 to 4 are read as well.
An export is written as the oldest format that holds it: without returns or checked steps
format 3, which an older planctl reads."""
WITHOUT_RETURNS = 3
"""The format an export without returns (or checked steps) is written as."""
WITH_RETURNS = 4
"""The format an export with returns but no checked steps is written as."""
READABLE_VERSIONS = (1, 2, 3, 4, 5)
"""The export format this planctl writes and reads; a later format gets a higher number."""

MIB = 1024 * 1024
MAX_IMPORT_BYTES = 256 * MIB
"""The largest file `store import` reads. An export line is about 400 bytes, so this is some
600,000 events: a busy office records a few thousand a year. It bounds what an import holds
in memory (the file, then its events) where a runaway file or /dev/zero on stdin would not."""
MAX_LINE_BYTES = 1 * MIB
"""The longest line: an event with a long note is a few KiB; a 1 GB line parsed as JSON would
take five times that in memory."""
MAX_VERSION_LINE_BYTES = 16 * MIB
"""The longest plan-version line: a plan's task snapshot (ID, title and month of each task) is
some 80 bytes a task, so a 20,000-task plan's is 1.6 MiB. Only a line that starts as planctl
writes a plan version (`VERSION_START`) may be this long; any other line keeps `MAX_LINE_BYTES`."""
MAX_VERSION_VALUES = 400_000
"""The most JSON values a long plan-version line may open, counted before it is parsed (the
characters that open one: `,`, `:`, `[`, `{`). Parsed JSON takes memory by its values, not its
bytes: 16 MiB of one-letter entries would be some 400 MiB of Python objects, 400,000 values
some 60 MiB. A task's entry, `"1.1": ["title", 6], `, opens four, so this is some 100,000
tasks (fewer when titles hold ASCII commas or colons)."""
VERSION_START = b'{"type": "plan_version"'
"""How every plan-version line planctl writes begins."""

# The lengths are the columns' (schema.py): PostgreSQL would refuse a longer value.
_Id = Annotated[str, StringConstraints(min_length=1, max_length=36)]
_Key = Annotated[str, StringConstraints(min_length=1, max_length=64)]
_Name = Annotated[str, StringConstraints(min_length=1, max_length=128)]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


class _Line(BaseModel):
    # Strict, from JSON: dates and times must be ISO strings, counts real integers.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Header(_Line):
    planctl_export: int
    events: Annotated[int, Field(ge=0)] | None = None
    plan_versions: Annotated[int, Field(ge=0)] | None = None
    returns: Annotated[int, Field(ge=0)] | None = None  # format 4


class _EventLine(_Line):
    type: Literal["event"]
    event_id: _Id
    plan_id: _Key
    task_id: _Key
    action: Action
    work_date: date
    recorded_by: _Name
    recorded_at: AwareDatetime
    note: str | None
    undoes: _Id | None
    count: Annotated[int, Field(ge=1, le=MAX_COUNT)] | None
    to_month: Annotated[int, Field(ge=1, le=12)] | None
    to_date: date | None = None  # absent from exports of format 1
    percent: Annotated[int, Field(ge=0, le=100)] | None = None  # absent before format 3
    value: FiniteFloat | None = None  # absent before format 3
    how: Literal["phone", "mail", "letter", "meeting"] | None = None  # only on a chase (5)

    @model_validator(mode="after")
    def _fits_its_action(self) -> _EventLine:
        """The columns an action uses, filled as planctl's own commands fill them."""
        _in_utc_range("recorded_at", self.recorded_at)
        action, kind = self.action.value, KINDS[self.action]
        moves_to = self.to_date if self.to_date is not None else self.to_month
        for key, column, value in (
            ("undoes", "undoes", self.undoes),
            ("to", "to_month or to_date", moves_to),
            ("count", "count", self.count),
            ("percent", "percent", self.percent),
            ("value", "value", self.value),
            ("how", "how", self.how),
        ):
            if key in kind.needs and value is None:
                raise PydanticCustomError("planctl", f"{column} is needed for {action}")
            if key not in kind.needs | kind.carries and value is not None:
                names = _either(owner.value for owner in owners(key))
                raise PydanticCustomError("planctl", f"{column} is only for {names}, not {action}")
        if "note" in kind.needs and not (self.note or "").strip():
            what = f" ({kind.note_is})" if kind.note_is else ""
            raise PydanticCustomError("planctl", f"note{what} is needed for {action}")
        return self

    def event(self) -> Event:
        return event_from_record(dict(self))


class _PlanVersionLine(_Line):
    type: Literal["plan_version"]
    plan_id: _Key
    digest: _Key
    seen_at: AwareDatetime
    tasks: dict[str, tuple[str, int | str | None]]

    @model_validator(mode="after")
    def _in_range(self) -> _PlanVersionLine:
        _in_utc_range("seen_at", self.seen_at)
        return self

    def version(self) -> PlanVersion:
        tasks = {task_id: list(title_month) for task_id, title_month in self.tasks.items()}
        return PlanVersion(self.digest, self.seen_at.astimezone(UTC), tasks)


class _ReturnLine(_Line):
    type: Literal["return"]
    return_id: _Id
    plan_id: _Key
    unit: _Name
    cycle: Annotated[str, StringConstraints(min_length=1, max_length=16)]
    received: date
    digest: _Key
    rows: Annotated[int, Field(ge=0, le=MAX_COUNT)]
    recorded_by: _Name
    recorded_at: AwareDatetime

    @model_validator(mode="after")
    def _in_range(self) -> _ReturnLine:
        _in_utc_range("recorded_at", self.recorded_at)
        return self

    def filed(self) -> FiledReturn:
        values = self.model_dump(exclude={"type"})
        values["recorded_at"] = self.recorded_at.astimezone(UTC)
        return FiledReturn(**values)


def _either(names: Iterable[str]) -> str:
    """`done or claim`; three or more as a list (`defer, request, approve`)."""
    listed = list(names)
    return " or ".join(listed) if len(listed) == 2 else ", ".join(listed)


def _in_utc_range(name: str, moment: datetime) -> None:
    """A time near year 1 or 9999 with an offset has no UTC equivalent Python can hold."""
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise PydanticCustomError(
            "planctl", f"{name}: {moment.isoformat()} is out of range in UTC"
        ) from None


_MODELS: dict[str, type[_EventLine] | type[_PlanVersionLine] | type[_ReturnLine]] = {
    "event": _EventLine,
    "plan_version": _PlanVersionLine,
    "return": _ReturnLine,
}


# Writing.


def export_lines(
    events: Sequence[Event],
    versions: Sequence[tuple[str, PlanVersion]],
    returns: Sequence[FiledReturn] = (),
) -> Iterator[str]:
    """The export, line by line (each ending in a newline): header, events, plan versions,
    returns (format 5 with checked steps, else 4 with returns, else 3)."""
    holds = events_format(events)
    yield header_line(len(events), len(versions), len(returns), holds=holds)
    yield from (_dump(event_record(event)) for event in events)
    yield version_lines(versions)
    yield return_lines(returns)


def events_format(events: Iterable[Event]) -> int:
    """The oldest export format that holds these events (`Kind.format`)."""
    return max((KINDS[event.action].format for event in events), default=1)


def header_line(events: int, versions: int, returns: int = 0, *, holds: int = 1) -> str:
    """The export's first line, which counts the events, plan versions and returns after it
    (format 5 when there are checked steps, else 4 when there are returns, else 3, which older
    planctl read)."""
    version = max(holds, WITH_RETURNS if returns else WITHOUT_RETURNS)
    header: dict[str, Any] = {
        "planctl_export": version,
        "events": events,
        "plan_versions": versions,
    }
    if returns:
        header["returns"] = returns
    return _dump(header)


def event_lines(events: Iterable[Event]) -> str:
    """The export's lines of these events."""
    return "".join(_dump(event_record(event)) for event in events)


def version_lines(versions: Iterable[tuple[str, PlanVersion]]) -> str:
    """The export's lines of these plan versions."""
    return "".join(
        _dump(
            {
                "type": "plan_version",
                "plan_id": plan_id,
                "digest": version.digest,
                "seen_at": version.seen_at.astimezone(UTC).isoformat(),
                "tasks": version.tasks,
            }
        )
        for plan_id, version in versions
    )


def return_lines(returns: Iterable[FiledReturn]) -> str:
    """The export's lines of these collected returns."""
    lines = []
    for filed in returns:
        record: dict[str, Any] = {"type": "return"}
        for name in FiledReturn.__dataclass_fields__:
            value = getattr(filed, name)
            record[name] = value.isoformat() if isinstance(value, date) else value
        record["recorded_at"] = filed.recorded_at.astimezone(UTC).isoformat()
        lines.append(_dump(record))
    return "".join(lines)


def _dump(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False) + "\n"


# Reading.


@dataclass(frozen=True)
class ExportFile:
    """A checked export: its events and plan versions, each with the line it came from."""

    source: str
    events: list[tuple[int, Event]] = field(default_factory=list)
    versions: list[tuple[int, str, PlanVersion]] = field(default_factory=list)
    returns: list[tuple[int, FiledReturn]] = field(default_factory=list)


@dataclass
class CheckedExport:
    """What the first pass over an export file keeps for the second (`import_checked`), which
    reads the file again: not its events, which a 500,000-event export would take 1 GiB for,
    but the line of each event ID, the undos, and the lines of plan versions and returns."""

    source: str
    handle: BinaryIO
    event_lines: dict[str, int] = field(default_factory=dict)
    """Each event's ID and its line: an ID twice is refused."""
    undoes: list[tuple[int, str, str, str]] = field(default_factory=list)
    """Each undo: its line, the event it undoes, its plan and task."""
    undone_in_file: dict[str, tuple[str, str]] = field(default_factory=dict)
    """The plan and task of each event in the file that an undo undoes."""
    version_lines: dict[tuple[str, str, datetime], int] = field(default_factory=dict)
    returns: list[tuple[int, FiledReturn]] = field(default_factory=list)
    events: int = 0


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
            raise BadValue(f"cannot read <stdin>: {error or 'closed'}") from None
        except BaseException:
            spool.close()
            raise
        spool.seek(0)
        return spool
    try:
        handle = os.open(file, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise BadValue(f"cannot read {file}: {error.strerror}") from None
    try:
        status = os.fstat(handle)
        if stat.S_ISDIR(status.st_mode):
            raise BadValue(f"cannot read {file}: {os.strerror(errno.EISDIR)}")
        if not stat.S_ISREG(status.st_mode):
            raise BadValue(f"cannot read {file}: not a regular file")
        _within_limit(b"", file, status.st_size)
        return os.fdopen(handle, "rb")
    except OSError as error:
        os.close(handle)
        raise BadValue(f"cannot read {file}: {error.strerror}") from None
    except BaseException:
        os.close(handle)
        raise


def _within_limit(data: bytes, source: str, size: int | None = None) -> bytes:
    if (size if size is not None else len(data)) > MAX_IMPORT_BYTES:
        limit = MAX_IMPORT_BYTES
        shown = f"{limit // MIB} MiB" if limit % MIB == 0 else f"{limit} bytes"
        raise TransferFileError([f"{source}: larger than {shown}, the most store import reads"])
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


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are all different (json.loads would keep the last)."""
    value = dict(pairs)
    if len(value) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return value


class _DuplicateKey(ValueError):
    """A key that appears twice in one JSON object."""


def _load_json(text: str, where: str) -> tuple[Any, str | None]:
    """The JSON value of one line, or what is wrong with it (never an exception: a line may
    nest 100,000 deep or hold a 5,000-digit number)."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys), None
    except json.JSONDecodeError as error:
        return None, f"{where}: not valid JSON: {error.msg} (column {error.colno})"
    except _DuplicateKey as error:
        return None, f"{where}: duplicate key {error}"
    except RecursionError:
        return None, f"{where}: not valid JSON: nested too deeply"
    except ValueError as error:  # Python's limit on the digits of an integer
        return None, f"{where}: not valid JSON: a number of more than 4300 digits ({error})"


_Record = _EventLine | _PlanVersionLine | _ReturnLine


def _records(lines: Iterable[bytes], source: str, problems: list[str]) -> Iterator[_HeaderAt | _At]:
    """Each sound record of an export's lines after its header, numbered, checked line by
    line; what is wrong with the other lines goes to `problems`. A first line that is not a
    header raises `TransferFileError` at once; the header is checked against the counts by
    the caller (`_Counts`)."""
    header: _Header | None = None
    for number, raw in enumerate(lines, start=1):
        where = f"{source}:{number}"
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # a byte-order mark some editors put first
        too_long = _too_long(raw, where)
        if too_long is not None:
            problems.append(too_long)
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(f"{where}: not UTF-8 (byte {error.start + 1})")
            continue
        if not text.strip():
            continue
        value, problem = _load_json(text, where)
        if problem is not None and header is None:
            # The first line is not even JSON: not an export at all; one line says so.
            expected = f'{{"planctl_export": {FORMAT_VERSION}, ...}}'
            raise TransferFileError(
                [f"{where}: not a planctl export (its first line is not {expected})"]
            )
        if problem is not None:
            problems.append(problem)
            continue
        if header is None:
            header_or_problem = _read_header(value, text, where)
            if isinstance(header_or_problem, str):
                raise TransferFileError([*problems, header_or_problem])
            header = header_or_problem
            yield _HeaderAt(number, header)
            continue
        line_or_problem = _read_line(value, text, where)
        if isinstance(line_or_problem, str):
            problems.append(line_or_problem)
        else:
            yield _At(number, line_or_problem)
    if header is None:
        problems.append(f"{source}: empty: not a planctl export")


@dataclass(frozen=True)
class _HeaderAt:
    number: int
    header: _Header


@dataclass(frozen=True)
class _At:
    number: int
    line: _Record


def _scan(
    lines: Iterable[bytes],
    source: str,
    on_event: Callable[[int, _EventLine, Event], None],
    on_version: Callable[[int, _PlanVersionLine, PlanVersion], None],
) -> tuple[list[tuple[int, FiledReturn]], dict[str, int]]:
    """Check an export line by line (every problem as SOURCE:LINE: message, raised together
    as `TransferFileError`), handing each sound event and plan version on as it is read;
    the returns, and each event's line by its ID."""
    problems: list[str] = []
    header: _HeaderAt | None = None
    seen_events: dict[str, int] = {}
    seen_versions: dict[tuple[str, str, datetime], int] = {}
    returns: list[tuple[int, FiledReturn]] = []
    versions = 0
    for record in _records(lines, source, problems):
        if isinstance(record, _HeaderAt):
            header = record
            continue
        number, line, where = record.number, record.line, f"{source}:{record.number}"
        if isinstance(line, _EventLine):
            earlier = seen_events.setdefault(line.event_id, number)
            if earlier != number:
                problems.append(f"{where}: event {line.event_id} is also on line {earlier}")
                continue
            event = line.event()
            try:  # the store's limits (a NUL, a value the CLI refuses), named at their line
                check_fits(event_row(event))
            except StoreLimitExceeded as error:
                problems.append(f"{where}: {error}")
                continue
            on_event(number, line, event)
        elif isinstance(line, _ReturnLine):
            if any(filed.return_id == line.return_id for _, filed in returns):
                problems.append(f"{where}: return {line.return_id} is also earlier in the file")
                continue
            returns.append((number, line.filed()))
        else:
            version = line.version()
            key = (line.plan_id, version.digest, version.seen_at)
            earlier = seen_versions.setdefault(key, number)
            if earlier != number:
                problems.append(f"{where}: the same plan version is also on line {earlier}")
                continue
            versions += 1
            on_version(number, line, version)
    if header is not None and not problems:  # a bad line would be counted as missing too
        found = (len(seen_events), versions, len(returns))
        problems.extend(_count_problems(source, header, found))
    if problems:
        raise TransferFileError(problems)
    return returns, seen_events


def parse_export(data: bytes, source: str) -> ExportFile:
    """Read a whole export, or raise `TransferFileError` with every problem as SOURCE:LINE:
    message (`check_export` reads a file without keeping its events)."""
    parsed = ExportFile(source)
    returns, _ = _scan(
        _lines(data),
        source,
        lambda number, _, event: parsed.events.append((number, event)),
        lambda number, line, version: parsed.versions.append((number, line.plan_id, version)),
    )
    parsed.returns.extend(returns)
    return parsed


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


def _text(raw: bytes, number: int) -> str:
    """A line read again, which the first pass found sound (its byte-order mark dropped)."""
    return (raw[3:] if number == 1 and raw.startswith(b"\xef\xbb\xbf") else raw).decode("utf-8")


def _too_long(raw: bytes, where: str) -> str | None:
    """What is wrong with a line too long to be parsed, or None. A plan-version line may be
    longer than any other, within `MAX_VERSION_LINE_BYTES` and `MAX_VERSION_VALUES`."""
    if len(raw) <= MAX_LINE_BYTES:
        return None
    if not raw.startswith(VERSION_START):
        return f"{where}: line too long (over {MAX_LINE_BYTES // MIB} MiB)"
    if len(raw) > MAX_VERSION_LINE_BYTES:
        limit = MAX_VERSION_LINE_BYTES // MIB
        return f"{where}: line too long (over {limit} MiB, the most for a plan version)"
    values = sum(raw.count(opener) for opener in (b",", b":", b"[", b"{"))
    if values > MAX_VERSION_VALUES:
        return (
            f"{where}: a plan version too large to read (over {MAX_VERSION_VALUES:,} JSON values:"
            " some 100,000 tasks)"
        )
    return None


def _lines(data: bytes) -> Iterator[bytes]:
    """`data.split(b"\n")`, one line at a time: a list of every line would hold the file's
    size again (200 MiB for 500,000 events) on top of the file itself."""
    start = 0
    while (end := data.find(b"\n", start)) != -1:
        yield data[start:end]
        start = end + 1
    yield data[start:]


def _read_header(value: Any, text: str, where: str) -> _Header | str:
    expected = f'the first line of a planctl export is {{"planctl_export": {FORMAT_VERSION}, ...}}'
    if not isinstance(value, dict) or "planctl_export" not in value:
        return f"{where}: not a planctl export: {expected}"
    version = value["planctl_export"]
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        return (
            f"{where}: export format {version} is newer than this planctl reads"
            f" ({FORMAT_VERSION}); upgrade planctl"
        )
    try:
        header = _Header.model_validate_json(text)
    except ValidationError as error:
        return f"{where}: {_explain(error)}"
    if header.planctl_export not in READABLE_VERSIONS:
        return f"{where}: not a planctl export: {expected}"
    return header


def _read_line(value: Any, text: str, where: str) -> _Record | str:
    """One line's record, or what is wrong with it."""
    if not isinstance(value, dict):
        return f"{where}: not a JSON object"
    kind = value.get("type")
    model = _MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        if "type" not in value:
            return f"{where}: missing field type"
        return f'{where}: type must be "event", "plan_version" or "return", not {json.dumps(kind)}'
    try:
        return model.model_validate_json(text)
    except ValidationError as error:
        return f"{where}: {_explain(error)}"


def _explain(error: ValidationError) -> str:
    """Pydantic's errors for one line, as one line: `field: message; ...`."""
    parts: list[str] = []
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"])
        if item["type"] == "missing":
            parts.append(f"missing field {name}")
        elif item["type"] == "extra_forbidden":
            parts.append(f"unknown field {name}")
        elif name:
            parts.append(f"{name}: {item['msg']}")
        else:
            parts.append(item["msg"])
    return "; ".join(parts)


def _count_problems(source: str, header: _HeaderAt, found: tuple[int, int, int]) -> list[str]:
    """A file cut short (or added to) no longer has the counts its header promises."""
    promised = header.header
    problems = []
    for what, expected, count in zip(
        ("events", "plan versions", "returns"),
        (promised.events, promised.plan_versions, promised.returns),
        found,
        strict=True,
    ):
        if expected is not None and expected != count:
            problems.append(
                f"{source}:{header.number}: the header says {expected} {what}, the file has"
                f" {count} (cut short?)"
            )
    return problems


# Importing.


@dataclass(frozen=True)
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
                    f"{where}: event {event.event_id} is in the store with different content"
                    f" ({_differences(stored, event)})"
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
                    f"{source}:{number}: plan version {version.digest} of {plan_id}"
                    " is in the store with different tasks"
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
        return [f"{where}: undoes {undone}, which is neither in the file nor in the store"]
    if found != task:
        return [f"{where}: undoes {undone}, an event of another task ({found[0]} {found[1]})"]
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
                f"{source}:{number}: return {filed.return_id} is in the store with"
                " different content"
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
    return "differs in " + ", ".join(names)
