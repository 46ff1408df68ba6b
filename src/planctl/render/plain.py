"""Plain text for pipes and cron mail: aligned columns, no colour, no box drawing, no wrapping."""

from __future__ import annotations

import unicodedata
from typing import TextIO

from planctl.render import Table, View


def width(text: str) -> int:
    """Columns the text takes on a terminal: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _line(cells: list[str], widths: list[int]) -> str:
    padded = [cell + " " * (w - width(cell)) for cell, w in zip(cells, widths, strict=True)]
    return "  ".join(padded).rstrip()


def format_table(table: Table) -> list[str]:
    """The table's lines: title, header, rule, rows."""
    if not table.rows:
        return [table.title, table.empty]
    widths = [width(column) for column in table.columns]
    for row in table.rows:
        widths = [max(w, width(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = [table.title, _line(table.columns, widths)]
    lines.append(_line(["-" * w for w in widths], widths))
    lines.extend(_line(row, widths) for row in table.rows)
    return lines


def write_plain(view: View, out: TextIO) -> None:
    blocks = ["\n".join(format_table(table)) for table in view.tables]
    if view.lead:
        blocks.insert(0, view.lead)
    if view.title:
        blocks.insert(0, view.title)
    out.write("\n\n".join(blocks) + "\n")
    if view.footer:
        out.write(f"\n{view.footer}\n")
