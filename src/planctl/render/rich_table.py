"""Rich tables for a terminal: titles wrap rather than truncate; colour unless NO_COLOR is set.

Every text reaches Rich as a `Text` made by `visible`: never read as markup, never holding a
control character; a line break in a cell is a second line inside that cell.
"""

from __future__ import annotations

import os
from typing import TextIO

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from planctl.render import Table, View
from planctl.render.safe import visible
from planctl.render.wrap import columns_setting, terminal_width

CELL_STYLES = {
    "light-done": "green",
    "light-red": "bold white on red",
    "light-yellow": "bold black on yellow",
    "light-blue": "bold white on blue",
    "light-grey": "dim",
    "light-green": "bold green",
}
"""How a styled cell looks on a terminal (a light: its colour)."""


def _text(text: str, style: str = "") -> Text:
    return Text(visible(text), style=style)


def _size(out: TextIO) -> tuple[int | None, int | None]:
    """The width and height to give Rich when `COLUMNS` or `LINES` is set but is not a
    positive number, else None for Rich's own choice: Rich would draw nothing at a width of 0
    and fail on a number too long to read (both are given, or Rich reads both again)."""
    columns = columns_setting()
    lines = columns_setting({"COLUMNS": os.environ.get("LINES", "")})
    if ("COLUMNS" in os.environ and columns is None) or ("LINES" in os.environ and lines is None):
        return terminal_width(out), lines or 25
    return None, None


def _widths(table: Table, page: int) -> list[int]:
    """Each column's width inside its padding, as plain text sets them (`column_widths`): the
    widest narrowed first, and, where the page has room, none narrower than its longest ID or
    date, so that `P10.1` and `2022-12-31` never break inside a cell; titles wrap. Each
    column takes its padding (two) and a border (one), the table one border more."""
    from planctl.render.plain import column_widths

    return column_widths(table, max(page - 3 * len(table.columns) - 1, len(table.columns)))


def write_rich(view: View, out: TextIO) -> None:
    # Only called for a terminal: say so, so that a terminal behind a wrapper (or a test's
    # stand-in) gets the same tables. Rich still honours NO_COLOR, COLUMNS and TERM.
    width, height = _size(out)
    console = Console(file=out, highlight=False, force_terminal=True, width=width, height=height)
    if view.title:
        console.print(_text(view.title, "bold"))
    if view.lead:
        console.print(_text(view.lead))
    for index, table in enumerate(view.tables):
        if index:
            console.print()
        if not table.rows:
            console.print(_text(table.title, "italic"))
            console.print(_text(table.empty))
            continue
        table = table.without_blank_columns()  # as a terminal shows it
        grid = RichTable(
            title=_text(table.title, "table.title"), title_justify="left", header_style="bold"
        )
        widths = _widths(table, console.width)
        for column, wide in zip(table.columns, widths, strict=True):
            grid.add_column(_text(column), overflow="fold", width=wide)
        styles = table.row_styles or [""] * len(table.rows)
        for index, (row, style) in enumerate(zip(table.rows, styles, strict=True)):
            cells = [
                _text(cell, CELL_STYLES.get(table.cell_styles[column][index], ""))
                if column in table.cell_styles
                else _text(cell)
                for column, cell in enumerate(row)
            ]
            grid.add_row(*cells, style=style or None)
        console.print(grid)
    if view.footer:
        console.print(_text(view.footer))
