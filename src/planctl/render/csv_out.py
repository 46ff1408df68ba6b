"""CSV: one table, the command's main one (its first) or the one `--table` names.

A table with plain values (`Table.grid`) is written as those: numbers as digits, dates as
YYYY-MM-DD, percentages as whole numbers, counts and units in columns of their own, no bars.
Cells pass through `visible`: a line break stays (quoted), a control character is escaped.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from typing import TextIO

from planctl.render import Cell, Table, View
from planctl.render.safe import visible


def plain(cell: Cell) -> str:
    """A cell as csv text: nothing for no value, ISO dates, numbers as Python writes them."""
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.isoformat()
    return visible(cell) if isinstance(cell, str) else str(cell)


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
        return [visible(name) for name in header], ([plain(c) for c in r] for r in table.grid.rows)
    return [visible(c) for c in table.columns], ([visible(c) for c in r] for r in table.rows)


def write_csv(view: View, out: TextIO, key: str | None = None) -> None:
    header, rows = table_lines(chosen_table(view, key))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
