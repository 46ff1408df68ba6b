"""Breakdown tables written as the office writes them, for the import tests: a .xlsx
(openpyxl) and a .docx (python-docx) with a title row, a header, and merged cells."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

Merge = tuple[int, int, int, int]
"""first row, first column, last row, last column (0-based, inclusive) of a merged cell."""


def runs(column: Sequence[str]) -> list[tuple[int, int]]:
    """The spans of equal neighbouring values in a column, as (first, last) rows."""
    spans: list[tuple[int, int]] = []
    for at, value in enumerate(column):
        if spans and column[spans[-1][0]] == value:
            spans[-1] = (spans[-1][0], at)
        else:
            spans.append((at, at))
    return spans


def write_xlsx(path: Path, rows: Sequence[Sequence[str]], merges: Sequence[Merge] = ()) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    for top, left, bottom, right in merges:
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    sheet.cell(r + 1, c + 1).value = None  # as Excel keeps a merged range
        sheet.merge_cells(
            start_row=top + 1, start_column=left + 1, end_row=bottom + 1, end_column=right + 1
        )
    workbook.save(path)
    return path


def write_docx(
    path: Path,
    rows: Sequence[Sequence[str]],
    merges: Sequence[Merge] = (),
    title: str | None = None,
) -> Path:
    """A document with `title` as a paragraph above one table holding `rows`."""
    from docx import Document

    document = Document()
    if title:
        document.add_paragraph(title)
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for top, left, bottom, right in merges:
        keep = table.cell(top, left).text
        merged = table.cell(top, left).merge(table.cell(bottom, right))
        merged.text = keep
    document.save(str(path))
    return path
