"""Columns read from what they hold as well as from their headers: a header merged over
several columns (工作任务 over the 序号 column and the text column) is read as the columns
under it, and a column that holds only small whole numbers is the tasks' IDs.

Pure: it sees the header's `Columns` and the rows below it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import pairwise

from planctl.i18n import _
from planctl.office.cellsteps import named_periods
from planctl.office.deadlines import Unread, read_time_cell
from planctl.office.table import Columns, Row

SMALL_NUMBER = re.compile(r"^[(（]?\d{1,3}[)）]?[.、．]?$")
"""A 序号 cell: 1, 12, (3), 4、 ..."""


def numbered_columns(columns: Columns, body: Sequence[Row]) -> tuple[Columns, list[str]]:
    """`columns` with the column of small whole numbers counting up read as the IDs, where no
    column is the ID yet, and the notes saying so. A column under a merged header qualifies
    whatever the header; another one unless it is the time or the title column."""
    keys = list(columns.keys)
    if "id" in keys:
        return columns, []
    groups = _merged_groups(columns.headers)
    in_group = {at for group in groups for at in group}
    for at, key in enumerate(keys):
        if key is None or (at not in in_group and key in ("time", "title")):
            continue
        values = _values(body, at)
        if _counting_up(values):
            keys[at] = "id"
            group = next((group for group in groups if at in group), [])
            rest = [other for other in group if other != at]
            if "title" not in keys and rest and columns.keys[at] in ("title", "source"):
                keys[rest[-1]] = "title"
            header = " ".join(columns.headers[at].split())
            if group:
                note = _(
                    "the column under the merged header {header} holds only numbers: read as"
                    " the tasks' IDs"
                ).format(header=header)
            else:
                note = _(
                    "the column headed {header} holds only numbers: read as the tasks' IDs"
                ).format(header=header)
            return Columns(columns.headers, tuple(keys)), [note]
    return columns, []


def _counting_up(values: list[str]) -> bool:
    """Whether the cells are small whole numbers in increasing order, as 序号 are (a column
    of targets or amounts seldom is)."""
    if not values or not all(SMALL_NUMBER.match(value) for value in values):
        return False
    numbers = [int(re.sub(r"\D", "", value)) for value in values]
    return all(a < b for a, b in pairwise(numbers))


def _merged_groups(headers: Sequence[str]) -> list[list[int]]:
    """Runs of neighbouring columns with the same non-empty header (one merged cell)."""
    groups: list[list[int]] = []
    for at, header in enumerate(headers):
        if header.strip() and at and headers[at - 1] == header:
            if groups and groups[-1][-1] == at - 1:
                groups[-1].append(at)
            else:
                groups.append([at - 1, at])
    return groups


def _values(body: Sequence[Row], at: int) -> list[str]:
    """The column's filled cells in the task rows (not in rows of one text across the table,
    the sections; a cell merged down counted once)."""
    values: list[str] = []
    for row in body:
        if len(row.distinct()) < 2 or at >= len(row.cells):
            continue
        cell = row.cells[at]
        text = unicodedata.normalize("NFKC", cell.text).strip()
        if text and not cell.carried:
            values.append(text)
    return values


def times_column(columns: Columns, body: Sequence[Row], year: int) -> int | None:
    """The column, other than the time and title columns, whose cells most often read as a
    time or name a period; None when none does."""
    best: tuple[int, int] | None = None
    for at, key in enumerate(columns.keys):
        if key in (None, "time", "title", "id"):
            continue
        hits = sum(1 for value in _values(body, at) if _names_a_time(value, year))
        if hits and (best is None or hits > best[0]):
            best = (hits, at)
    return None if best is None else best[1]


def _names_a_time(text: str, year: int) -> bool:
    window, _earlier = read_time_cell(text, year)
    return not isinstance(window, Unread) or bool(named_periods(text, year))
