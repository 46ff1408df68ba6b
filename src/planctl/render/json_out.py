"""JSON: the view's data, UTF-8 as is, two-space indent, one trailing newline.

Exact: every string parses back to what was stored. Controls are `\\u` escapes, as JSON
writes C0 itself; C1, separators and bidi controls too (see `json_escapes`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from planctl.render import View
from planctl.render.safe import json_escapes


def write_json(view: View, out: TextIO) -> None:
    """The view's data, written in pieces as it is encoded (`json_pieces`): an array that is
    `Streamed` is never whole in memory."""
    for piece in json_pieces(view.data):
        out.write(piece)


PIECE = 64 * 1024
"""The size of the pieces a streamed document is written in."""


def json_pieces(data: Any) -> Iterator[str]:
    """`write_json`'s text of `data`, in pieces of some 64 KiB as it is encoded: with its
    arrays `Streamed`, a document that is never whole in memory (a plan's whole history)."""
    pending: list[str] = []
    size = 0
    for chunk in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(data):
        pending.append(chunk)
        size += len(chunk)
        if size >= PIECE:
            yield json_escapes("".join(pending))
            pending, size = [], 0
    pending.append("\n")
    yield json_escapes("".join(pending))


_NOTHING: Any = object()


class Streamed(list[Any]):
    """A JSON array whose items come from an iterator, once, as `json_pieces` writes them
    (the encoder iterates a list and asks only whether it is empty)."""

    def __init__(self, items: Iterable[Any]) -> None:
        super().__init__()
        self._items = iter(items)
        self._first = next(self._items, _NOTHING)

    def __bool__(self) -> bool:
        return self._first is not _NOTHING

    def __iter__(self) -> Iterator[Any]:
        if self._first is not _NOTHING:
            first, self._first = self._first, _NOTHING
            yield first
            yield from self._items
