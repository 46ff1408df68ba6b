"""The returns `returns collect` is given: returned .xlsx files, .eml messages with .xlsx
attachments, and folders of them, each read whole up to a bound."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from planctl import frozen
from planctl.errors import BadValue
from planctl.i18n import _

MAX_RETURN_BYTES = 20 * 1024 * 1024


@frozen
class Returned:
    """One return to collect: where it came from, its bytes, the day its message says."""

    source: str
    data: bytes
    received: date | None = None


def returned_files(paths: list[Path]) -> list[Returned]:
    """The returns in the files and folders given: each .xlsx, and each .xlsx attached to an
    .eml message (received on the message's Date)."""
    found: list[Returned] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.suffix.lower() in (".xlsx", ".eml"))
            found.extend(item for p in inside for item in _one_file(p))
        else:
            found.extend(_one_file(path))
    return found


def _one_file(path: Path) -> list[Returned]:
    try:
        with path.open("rb") as file:
            data = file.read(MAX_RETURN_BYTES + 1)
    except OSError as error:
        raise BadValue(
            _("cannot read {path}: {reason}").format(path=path, reason=error.strerror)
        ) from None
    if len(data) > MAX_RETURN_BYTES:
        raise BadValue(
            _("{path}: larger than {size} MiB").format(
                path=path, size=MAX_RETURN_BYTES // 1024 // 1024
            )
        )
    if path.suffix.lower() != ".eml":
        return [Returned(str(path), data)]
    from email import message_from_bytes, policy  # only for a message (14 ms of imports)
    from email.utils import parsedate_to_datetime

    message = message_from_bytes(data, policy=policy.default)
    day = None
    if message["Date"]:
        try:
            day = parsedate_to_datetime(str(message["Date"])).date()
        except (TypeError, ValueError):
            day = None
    found = []
    for part in message.iter_attachments():
        name = part.get_filename() or ""
        if name.lower().endswith(".xlsx"):
            content = part.get_payload(decode=True)
            if isinstance(content, bytes):
                found.append(Returned(f"{path}#{name}", content, day))
    if not found:
        raise BadValue(_("{path}: the message has no .xlsx attachment").format(path=path))
    return found
