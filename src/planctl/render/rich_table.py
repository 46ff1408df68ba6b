"""Rich tables for a terminal: titles wrap rather than truncate; colour unless NO_COLOR is set."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from planctl.render import View


def write_rich(view: View, out: TextIO) -> None:
    # Only called for a terminal: say so, so that a terminal behind a wrapper (or a test's
    # stand-in) gets the same tables. Rich still honours NO_COLOR, COLUMNS and TERM.
    console = Console(file=out, highlight=False, force_terminal=True)
    if view.title:
        console.print(Text(view.title, style="bold"))
    if view.lead:
        console.print(view.lead)
    for index, table in enumerate(view.tables):
        if index:
            console.print()
        if not table.rows:
            console.print(Text(table.title, style="italic"))
            console.print(table.empty)
            continue
        grid = RichTable(title=table.title, title_justify="left", header_style="bold")
        for column in table.columns:
            grid.add_column(column, overflow="fold")
        styles = table.row_styles or [""] * len(table.rows)
        for row, style in zip(table.rows, styles, strict=True):
            grid.add_row(*map(Text, row), style=style or None)
        console.print(grid)
    if view.footer:
        console.print(view.footer)
