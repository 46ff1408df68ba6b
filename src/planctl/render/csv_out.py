"""CSV: one table, the command's main one (its first) or the one `--table` names.

A table with plain values (`Table.grid`) is written as those: numbers as digits, dates as
YYYY-MM-DD, percentages as whole numbers, counts and units in columns of their own, no bars.
Cells pass through `visible`: a line break stays (quoted), a control character is escaped.
Text that a spreadsheet would take for a formula (starting with =, +, -, @, a tab or a carriage
return: `=HYPERLINK(...)`, DDE) starts with a `'`, as OWASP advises; numbers stay numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TextIO

from planctl.render import Cell, Table, View
from planctl.render.safe import visible

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, CSV injection)."""
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?%?")


def text_cell(text: str) -> str:
    """Text as a csv cell: made visible, and with a leading `'` where a spreadsheet would
    run it as a formula (a number, or a lone "-" for nothing, is left as it is)."""
    shown = visible(text)
    if text.startswith(FORMULA_STARTS) and text != "-" and not _NUMBER.fullmatch(text):
        return "'" + shown
    return shown


def plain(cell: Cell) -> str:
    """A cell as csv text: nothing for no value, ISO dates, numbers as Python writes them."""
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.isoformat()
    return text_cell(cell) if isinstance(cell, str) else str(cell)


def chosen_table(view: View, key: str | None) -> Table:
    """The table named `key` (the caller checked it is one), else the first."""
    tables = view.every_table()
    if key is None:
        return tables[0]
    return next(table for table in tables if table.key == key)


def table_lines(table: Table) -> tuple[list[str], Iterable[list[str]]]:
    """The header and rows of one table as csv cells."""
    if table.grid is not None:
        header = [column.name for column in table.grid.columns]
        return [text_cell(name) for name in header], (
            [plain(c) for c in r] for r in table.grid.rows
        )
    return [text_cell(c) for c in table.columns], ([text_cell(c) for c in r] for r in table.rows)


def write_csv(view: View, out: TextIO, key: str | None = None) -> None:
    header, rows = table_lines(chosen_table(view, key))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)


PIECE = 64 * 1024
"""The size of the pieces a streamed csv is written in."""


def csv_pieces(columns: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    """`write_csv`'s text of a table of text cells, in pieces of some 64 KiB as its rows
    come: a table that is never whole in memory (a plan's whole history)."""
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([text_cell(column) for column in columns])
    for row in rows:
        writer.writerow([text_cell(cell) for cell in row])
        if buffer.tell() >= PIECE:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
