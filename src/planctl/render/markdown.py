"""Markdown: a heading and a pipe table per table.

Stored text is shown, never interpreted: `<`, `>` and `&` as HTML entities (no `<script>`, no
`<img onerror>`), and what markdown would read as a link, an image, emphasis, code or a table
cell boundary (`[`, `]`, `*`, `_`, `` ` ``, `~`, `|`, `\\`) escaped with a backslash."""

from __future__ import annotations

import re
from typing import TextIO

from planctl.render import View
from planctl.render.safe import visible

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SPECIAL = re.compile(r"[&<>\\`*_\[\]~|]")
_BLOCK_START = re.compile(r"^(\s*)([#+\-=]|\d+[.)])", re.MULTILINE)


def _inline(text: str) -> str:
    """Text as markdown shows it literally inside a line (a heading, a table cell)."""
    return _SPECIAL.sub(lambda m: _ENTITIES.get(m.group(), "\\" + m.group()), visible(text))


def _paragraph(text: str) -> str:
    """Text as markdown shows it literally as a paragraph: no line of it starts a heading,
    a list or a setext underline."""
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", _inline(text))


def _cell(text: str) -> str:
    return _inline(text).replace("\n", "<br>")


def write_markdown(view: View, out: TextIO) -> None:
    if view.title:
        out.write(f"# {_cell(view.title)}\n\n")
    if view.lead:
        out.write(f"{_paragraph(view.lead)}\n\n")
    for index, table in enumerate(view.tables):
        if index:
            out.write("\n")
        out.write(f"## {_cell(table.title)}\n\n")
        if not table.rows:
            out.write(f"{_cell(table.empty)}\n")
            continue
        out.write("| " + " | ".join(map(_cell, table.columns)) + " |\n")
        out.write("|" + "|".join("---" for _ in table.columns) + "|\n")
        for row in table.rows:
            out.write("| " + " | ".join(map(_cell, row)) + " |\n")
    if view.footer:
        out.write(f"\n{_paragraph(view.footer)}\n")
