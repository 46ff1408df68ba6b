"""Display widths and line wrapping for plain text: CJK characters take two columns.

Wrapping breaks Latin text at spaces (a word longer than the line is cut), and CJK text
between any two characters, keeping closing punctuation off the start of a line and opening
punctuation off its end where it can.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping
from itertools import accumulate
from operator import add, sub
from typing import TextIO

DEFAULT_COLUMNS = 100
"""The page width when `COLUMNS` is unset or not a positive number."""

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_NO_LINE_START = frozenset("，。、；：！？）》」』】〕〉”’…,.;:!?)]}%")
_NO_LINE_END = frozenset("（《「『【〔〈“‘([{")
_COLUMNS = re.compile(r"[0-9]{1,6}")
_SIMPLE = re.compile(
    "[ -~\u3001-\u3029\u3030-\u303e\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60\uffe0-\uffe6]*"
)
"""Printable ASCII (one column each) and the CJK ideographs, their punctuation and the
full-width forms (two columns each: none combining, none zero-width; tests/test_render.py
checks every one): a line of only these is measured and split into tokens by whole-string
operations, not a call per character (the titles, units and dates of a table)."""
_SIMPLE_TOKEN = re.compile("( +)|([!-~]+)|(.)")
_SIMPLE_PIECE = re.compile(" +|[!-~]+|.")
"""`_SIMPLE_TOKEN`'s tokens as plain strings, for `_wrap_simple`."""
_ESCAPE = re.compile(r"\\(?:x[0-9a-f]{2}|u[0-9a-f]{4})")


def columns_setting(environ: Mapping[str, str] | None = None) -> int | None:
    """`COLUMNS` when it is a positive number (of at most six digits), else None."""
    value = (os.environ if environ is None else environ).get("COLUMNS", "").strip()
    if _COLUMNS.fullmatch(value) and int(value) > 0:
        return int(value)
    return None


def page_width(environ: Mapping[str, str] | None = None) -> int:
    """The width plain text is wrapped to: `COLUMNS`, or 100 when it is unset or not usable."""
    return columns_setting(environ) or DEFAULT_COLUMNS


def terminal_width(out: TextIO) -> int:
    """The width of the terminal `out` writes to: `COLUMNS`, else its size, else 100."""
    try:
        size = os.get_terminal_size(out.fileno()).columns
    except (AttributeError, OSError, ValueError):
        size = 0
    return columns_setting() or size or DEFAULT_COLUMNS


def piped_width(terminal: TextIO | None = None) -> int:
    """The width of text piped on (`planctl digest | less`): `COLUMNS`, else the width of the
    terminal the user is at, found on `terminal` (standard error) when that is one, as git
    does for its pager; else (cron, a file) 100."""
    size = 0
    if terminal is not None:
        try:
            if terminal.isatty():
                size = os.get_terminal_size(terminal.fileno()).columns
        except (AttributeError, OSError, ValueError):
            size = 0
    return columns_setting() or size or DEFAULT_COLUMNS


@functools.cache  # a table measures the same few thousand characters over and over
def char_width(ch: str) -> int:
    """Columns one character takes: 2 for East Asian wide and fullwidth, 0 for combining."""
    if unicodedata.combining(ch) or ch in _ZERO_WIDTH or unicodedata.category(ch) == "Me":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def width(text: str) -> int:
    """Columns the text takes on a terminal."""
    if text.isascii():
        return len(text)
    if _SIMPLE.fullmatch(text):  # ASCII is one byte in UTF-8, the wide ones three: 2 more
        return len(text) + (len(text.encode()) - len(text)) // 2
    return sum(map(char_width, text))


def _tokens(text: str) -> list[tuple[str, int]]:
    """Runs of spaces, runs of narrow non-space characters (words), and single wide
    characters; a zero-width character stays with the one before it. Each with its width,
    measured as the characters are read."""
    if _SIMPLE.fullmatch(text):
        return [
            (spaces or word, len(spaces or word)) if spaces or word else (wide, 2)
            for spaces, word, wide in _SIMPLE_TOKEN.findall(text)
        ]
    tokens: list[str] = []
    sizes: list[int] = []
    last = ""
    for ch in text:
        columns = char_width(ch)
        kind = " " if ch == " " else "n" if columns == 1 else "W" if columns == 2 else ""
        if tokens and (kind == "" or (kind == last and kind != "W")):
            tokens[-1] += ch
            sizes[-1] += columns
            continue
        tokens.append(ch)
        sizes.append(columns)
        last = kind or "n"
    return list(zip(tokens, sizes, strict=True))


def _cut(word: str, limit: int) -> tuple[str, str]:
    """The longest head of `word` that fits `limit` columns (at least one character, with
    any zero-width characters after it), and the rest; an escape such as `\\u202e` that
    `visible` wrote is not cut in two unless it alone is wider than the line."""
    used = 0
    for index, ch in enumerate(word):
        columns = char_width(ch)
        if columns and used + columns > limit and used:
            for escape in _ESCAPE.finditer(word, max(0, index - 5), index + 5):
                if escape.start() < index < escape.end() and escape.start() > 0:
                    index = escape.start()
                    break
            return word[:index], word[index:]
        used += columns
    return word, ""


def wrap(text: str, limit: int) -> list[str]:
    """The text as lines of at most `limit` columns (a single character wider than the limit
    gets a line of its own). Spaces at a break are dropped; the text holds no line breaks."""
    if width(text) <= limit:
        return [text]
    fast = _wrap_simple(text, limit)
    if fast is not None:
        return [line for line, _ in fast]
    return _wrap_tokens(text, limit)


def wrap_measured(text: str, limit: int) -> list[tuple[str, int]]:
    """`wrap`'s lines, each with its width."""
    size = width(text)
    if size <= limit:
        return [(text, size)]
    fast = _wrap_simple(text, limit)
    if fast is not None:
        return fast
    return [(line, width(line)) for line in _wrap_tokens(text, limit)]


def _wrap_simple(text: str, limit: int) -> list[tuple[str, int]] | None:
    """`_wrap_tokens`'s lines of a `_SIMPLE` text, with their widths, found a line at a time
    (issue 32: a title of CJK characters is a token per character): the tokens' widths are
    summed once (all in C), and where each line ends is a binary search in the sums, then
    the same moves of punctuation as `_wrap_tokens`'s. None when the text is not `_SIMPLE`
    or a token is wider than the line (a word to cut: `_wrap_tokens` does it)."""
    if not _SIMPLE.fullmatch(text):
        return None
    if len(text.encode()) == 3 * len(text) and limit > 1:  # wide characters only
        return _wrap_wide(text, limit)
    tokens = _SIMPLE_PIECE.findall(text)
    # A token's width: its length, plus one for a wide character (the only tokens not ASCII).
    ends = list(accumulate(map(sub, map(len, tokens), map(str.isascii, tokens)), initial=0))
    ends = list(map(add, ends, range(len(ends))))  # ends[i]: the width of tokens[:i]
    if max(map(sub, ends[1:], ends)) > limit:
        return None
    count = len(tokens)
    lines: list[tuple[str, int]] = []

    def flush(start: int, stop: int) -> None:  # the tokens [start, stop) as a line
        size = ends[stop] - ends[start]
        if tokens[stop - 1][0] == " ":
            size -= len(tokens[stop - 1])
        lines.append(("".join(tokens[start:stop]).rstrip(" "), size))

    start = 0  # the line is tokens[start:index]
    while start < count and tokens[start][0] == " ":  # spaces do not start the first line
        start += 1
    index = start
    while index < count:
        # The tokens from `index` on that fit the line all join it, and a run of spaces that
        # does not fit joins it too; `index` is then the first token that does not fit.
        index = bisect_right(ends, ends[start] + limit, index + 1) - 1
        if index < count and tokens[index][0] == " ":
            index += 1
        if index >= count:
            break
        carried = index  # tokens[carried:index] move down with the token that does not fit
        if tokens[index][0] in _NO_LINE_START and index - start > 1 and tokens[index - 1][0] != " ":
            carried -= 1
        while (
            carried - start > 1
            and tokens[carried - 1][0] != " "
            and tokens[carried - 1][-1] in _NO_LINE_END
        ):
            carried -= 1
        if carried > start:
            flush(start, carried)
        start = carried
        if ends[index + 1] - ends[start] > limit:
            if start < index:
                flush(start, index)
            start = index
        index += 1
    if start < count:
        flush(start, count)
    return lines


def _wrap_wide(text: str, limit: int) -> list[tuple[str, int]]:
    """`_wrap_simple` of a text of wide characters only (most titles): each a token of two
    columns, `limit // 2` to a full line."""
    lines: list[tuple[str, int]] = []
    per = limit // 2
    count = len(text)
    start = 0
    while start + per < count:
        index = start + per  # the first character that does not fit
        carried = index
        if text[index] in _NO_LINE_START and per > 1:
            carried -= 1
        while carried - start > 1 and text[carried - 1] in _NO_LINE_END:
            carried -= 1
        lines.append((text[start:carried], 2 * (carried - start)))
        # One character at least stays behind, so what moves down fits beside the one that
        # did not fit: never a line of the moved characters alone, as `_wrap_tokens` may make.
        start = carried
    lines.append((text[start:], 2 * (count - start)))
    return lines


def _wrap_tokens(text: str, limit: int) -> list[str]:
    """`wrap` of a text wider than `limit`, a token at a time."""
    lines: list[str] = []
    line: list[str] = []
    used = 0

    def flush() -> None:
        lines.append("".join(line).rstrip(" "))

    for token, size in _tokens(text):
        if token[0] == " ":
            if line:
                line.append(token)
                used += size
            continue
        if used + size <= limit:
            line.append(token)
            used += size
            continue
        carried: list[str] = []
        # Keep "，" off the start of the next line and "“" off the end of this one by moving
        # a character down with it, as long as something stays behind.
        if token[0] in _NO_LINE_START and len(line) > 1 and line[-1][0] != " ":
            carried.insert(0, line.pop())
        while len(line) > 1 and line[-1][0] != " " and line[-1][-1] in _NO_LINE_END:
            carried.insert(0, line.pop())
        if line:
            flush()
        line, used = carried, width("".join(carried))
        if used + size > limit:
            if line:
                flush()
            line, used = [], 0
            while size > limit:
                head, token = _cut(token, limit)
                lines.append(head)
                size = width(token)
                if not token:
                    break
            if not token:
                continue
        line.append(token)
        used += size
    if line:
        flush()
    return lines


def fit_columns(natural: list[int], minimum: list[int], budget: int) -> list[int]:
    """Column widths that fit `budget` by narrowing the widest columns first, none below its
    minimum (the result is wider than the budget when the minimums alone are)."""
    if sum(natural) <= budget:
        return list(natural)

    def at(level: int) -> list[int]:
        return [max(low, min(high, level)) for high, low in zip(natural, minimum, strict=True)]

    low, high = 0, max(natural)  # sum(at(high)) > budget; find the highest level that fits
    while low < high:
        middle = (low + high + 1) // 2
        if sum(at(middle)) <= budget:
            low = middle
        else:
            high = middle - 1
    widths = at(low)
    spare = budget - sum(widths)
    for index, (now, high) in enumerate(zip(widths, natural, strict=True)):
        if spare > 0 and now == low and high > low:
            widths[index] += 1
            spare -= 1
    return widths
