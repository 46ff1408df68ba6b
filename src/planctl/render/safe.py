"""Text that cannot drive a terminal: stored notes and names are shown, never obeyed.

Notes, `--by` names and imported fields may hold escape sequences (a screen clear, OSC 52
writing the reader's clipboard), C1 controls, bidi overrides that reorder what is read, or
line breaks meant to forge table rows. Every renderer but JSON passes its text through
`visible` (JSON escapes the same characters its own way, see `json_escapes`).
"""

from __future__ import annotations

import re

# The patterns are compiled (and kept, by `re`) the first time they are used, not at import:
# most commands never need them (`visible` only for text that is not printable), and the
# character classes beyond Latin-1 take a millisecond or two to compile.
_LINE_BREAK = r"\r\n?"

# C0 but tab and line feed, DEL, C1, the line and paragraph separators, the bidi embeddings,
# overrides and isolates, and lone surrogates (which no output encoding can write).
_HIDDEN = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """The text with line breaks as "\\n", a tab as a space, and every other control,
    separator or bidi control written out as an escape: `\\x1b`, `\\x9b`, `\\u202e`."""
    if text.isprintable():  # the common case: nothing to do (no line break, no control)
        return text
    return re.sub(_HIDDEN, _escape, re.sub(_LINE_BREAK, "\n", text).replace("\t", " "))


_JSON_RAW = "[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


def json_escapes(document: str) -> str:
    """A JSON document with the characters `json.dumps(ensure_ascii=False)` leaves raw (DEL,
    C1, separators, bidi controls, lone surrogates) written as `\\uXXXX`: the same data once
    parsed, and nothing a terminal acts on. These characters occur only inside strings."""
    return re.sub(_JSON_RAW, lambda match: f"\\u{ord(match.group()):04x}", document)


_BIDI = "[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"


def without_bidi(text: str) -> str:
    """The text without bidi controls (the embeddings, overrides and isolates, the LRM, RLM
    and ALM marks): for text that leaves planctl where no table of ours shows it escaped (a
    mail Subject, a calendar entry), so that nothing reorders what a reader sees."""
    return re.sub(_BIDI, "", text)
