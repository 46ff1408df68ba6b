"""The text of a file people write by hand (a plan, the config file): decoded as UTF-8 with
the position of the first bad byte, and Pydantic locations written as the keys people type.

The plan loader and the config loader both report problems as `FILE:LINE:COLUMN: message`;
this module is where they agree on how a byte offset becomes a line and a column."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from planctl.i18n import _

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Undecodable(Exception):
    """The file's bytes are not UTF-8 text; where, and what to tell the user."""

    line: int
    column: int
    message: str


def decode(raw: bytes, what: str) -> str:
    """UTF-8, with or without the BOM Notepad writes; UTF-16 is refused by name, since a
    file saved that way is otherwise reported as a puzzling bad byte on line 1.

    `what` names the file in the message: "plan file" or "config file"."""
    head = raw[:64]
    looks_utf16 = b"\x00" in head and head.count(b"\x00") * 4 >= min(len(raw), 64)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or looks_utf16:
        utf16 = _("plan file is UTF-16; save it as UTF-8")
        if what == "config file":
            utf16 = _("config file is UTF-16; save it as UTF-8")
        raise Undecodable(1, 1, utf16)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        message = _("plan file is not UTF-8 (byte {byte})")
        if what == "config file":
            message = _("config file is not UTF-8 (byte {byte})")
        message = message.format(byte=f"0x{raw[error.start]:02x}")
        raise Undecodable(line, column, message) from None


def line_column(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of `text[index]`."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def dotted(loc: Loc) -> str:
    """A Pydantic location as a reader writes it: `tasks[3].owners`, `mail.smtp_port`."""
    out = ""
    for step in loc:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out
