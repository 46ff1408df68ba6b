"""Reading an export and checking it line by line: JSON, bounds on lines and values, each line
against its model, IDs and plan versions given once, the header's counts; every problem named
at SOURCE:LINE.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO

from pydantic import ValidationError

from planctl import frozen
from planctl.core.events import Event
from planctl.core.filed import FiledReturn
from planctl.errors import StoreLimitExceeded, TransferFileError
from planctl.i18n import N_, _
from planctl.store.rows import check_fits, event_row
from planctl.store.transfer_lines import (
    _MODELS,
    FORMAT_VERSION,
    READABLE_VERSIONS,
    _EventLine,
    _Header,
    _PlanVersionLine,
    _Record,
    _ReturnLine,
)
from planctl.store.versions import PlanVersion

MIB = 1024 * 1024
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


@frozen(slots=False)
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
        return None, _("{where}: not valid JSON: {reason} (column {column})").format(
            where=where, reason=error.msg, column=error.colno
        )
    except _DuplicateKey as error:
        return None, _("{where}: duplicate key {key}").format(where=where, key=error)
    except RecursionError:
        return None, _("{where}: not valid JSON: nested too deeply").format(where=where)
    except ValueError as error:  # Python's limit on the digits of an integer
        return None, _(
            "{where}: not valid JSON: a number of more than 4300 digits ({reason})"
        ).format(where=where, reason=error)


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
            problems.append(
                _("{where}: not UTF-8 (byte {byte})").format(where=where, byte=error.start + 1)
            )
            continue
        if not text.strip():
            continue
        value, problem = _load_json(text, where)
        if problem is not None and header is None:
            # The first line is not even JSON: not an export at all; one line says so.
            expected = f'{{"planctl_export": {FORMAT_VERSION}, ...}}'
            raise TransferFileError(
                [
                    _("{where}: not a planctl export (its first line is not {expected})").format(
                        where=where, expected=expected
                    )
                ]
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
        problems.append(_("{source}: empty: not a planctl export").format(source=source))


@frozen(slots=False)
class _HeaderAt:
    number: int
    header: _Header


@frozen(slots=False)
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
            event = line.event()
            earlier = seen_events.setdefault(event.event_id, number)
            if earlier != number:
                problems.append(
                    _("{where}: event {event} is also on line {line}").format(
                        where=where, event=event.event_id, line=earlier
                    )
                )
                continue
            try:  # the store's limits (a NUL, a value the CLI refuses), named at their line
                check_fits(event_row(event))
            except StoreLimitExceeded as error:
                problems.append(f"{where}: {error}")
                continue
            on_event(number, line, event)
        elif isinstance(line, _ReturnLine):
            if any(filed.return_id == line.return_id for _, filed in returns):
                problems.append(
                    _("{where}: return {id} is also earlier in the file").format(
                        where=where, id=line.return_id
                    )
                )
                continue
            returns.append((number, line.filed()))
        else:
            version = line.version()
            key = (line.plan_id, version.digest, version.seen_at)
            earlier = seen_versions.setdefault(key, number)
            if earlier != number:
                problems.append(
                    _("{where}: the same plan version is also on line {line}").format(
                        where=where, line=earlier
                    )
                )
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


def _text(raw: bytes, number: int) -> str:
    """A line read again, which the first pass found sound (its byte-order mark dropped)."""
    return (raw[3:] if number == 1 and raw.startswith(b"\xef\xbb\xbf") else raw).decode("utf-8")


def _too_long(raw: bytes, where: str) -> str | None:
    """What is wrong with a line too long to be parsed, or None. A plan-version line may be
    longer than any other, within `MAX_VERSION_LINE_BYTES` and `MAX_VERSION_VALUES`."""
    if len(raw) <= MAX_LINE_BYTES:
        return None
    if not raw.startswith(VERSION_START):
        return _("{where}: line too long (over {limit} MiB)").format(
            where=where, limit=MAX_LINE_BYTES // MIB
        )
    if len(raw) > MAX_VERSION_LINE_BYTES:
        limit = MAX_VERSION_LINE_BYTES // MIB
        return _("{where}: line too long (over {limit} MiB, the most for a plan version)").format(
            where=where, limit=limit
        )
    values = sum(raw.count(opener) for opener in (b",", b":", b"[", b"{"))
    if values > MAX_VERSION_VALUES:
        return _(
            "{where}: a plan version too large to read (over {values} JSON values:"
            " some 100,000 tasks)"
        ).format(where=where, values=f"{MAX_VERSION_VALUES:,}")
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
    expected = _("{where}: not a planctl export: the first line of a planctl export is {first}")
    expected = expected.format(where=where, first=f'{{"planctl_export": {FORMAT_VERSION}, ...}}')
    if not isinstance(value, dict) or "planctl_export" not in value:
        return expected
    version = value["planctl_export"]
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        return _(
            "{where}: export format {version} is newer than this planctl reads"
            " ({readable}); upgrade planctl"
        ).format(where=where, version=version, readable=FORMAT_VERSION)
    try:
        header = _Header.model_validate_json(text)
    except ValidationError as error:
        return f"{where}: {_explain(error)}"
    if header.planctl_export not in READABLE_VERSIONS:
        return expected
    return header


def _read_line(value: Any, text: str, where: str) -> _Record | str:
    """One line's record, or what is wrong with it."""
    if not isinstance(value, dict):
        return _("{where}: not a JSON object").format(where=where)
    kind = value.get("type")
    model = _MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        if "type" not in value:
            return _("{where}: missing field type").format(where=where)
        return _('{where}: type must be "event", "plan_version" or "return", not {kind}').format(
            where=where, kind=json.dumps(kind)
        )
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
        (
            N_("{where}: the header says {expected} events, the file has {count} (cut short?)"),
            N_(
                "{where}: the header says {expected} plan versions, the file has {count}"
                " (cut short?)"
            ),
            N_("{where}: the header says {expected} returns, the file has {count} (cut short?)"),
        ),
        (promised.events, promised.plan_versions, promised.returns),
        found,
        strict=True,
    ):
        if expected is not None and expected != count:
            where = f"{source}:{header.number}"
            problems.append(_(what).format(where=where, expected=expected, count=count))
    return problems
