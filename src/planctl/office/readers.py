"""Thin readers of the office's files: each table of a workbook's sheets (openpyxl) or of a
Word document (python-docx) as rows of cells, merged cells repeated with `carried` set below
their first row. Imported only by `planctl import`."""

from __future__ import annotations

import importlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planctl import install_hint
from planctl.office.draft import NotATable
from planctl.office.table import Cell, Row

Table = list[Row]

SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".docx": "docx"}
OLD_FORMATS = {".xls": ".xlsx", ".doc": ".docx", ".et": ".xlsx", ".wps": ".docx"}


def read_tables(path: Path) -> list[Table]:
    """Every table in the file, in order: a sheet of a workbook, a table of a document."""
    suffix = path.suffix.lower()
    if suffix in OLD_FORMATS:
        raise NotATable(
            f"{path}: an old binary {suffix} file; save it as {OLD_FORMATS[suffix]} and import that"
        )
    kind = SUFFIXES.get(suffix)
    if kind is None:
        raise NotATable(f"{path}: not a .xlsx or .docx file")
    if not path.is_file():
        reason = "no such file" if not path.exists() else "not a regular file"
        raise NotATable(f"cannot read {path}: {reason}")
    library = "openpyxl" if kind == "xlsx" else "docx"
    try:
        importlib.import_module(library)
    except ImportError:
        package = "openpyxl" if kind == "xlsx" else "python-docx"
        raise NotATable(
            f"reading a .{kind} file needs {package}: {install_hint('import')}"
        ) from None
    what = "an Excel workbook (.xlsx)" if kind == "xlsx" else "a Word document (.docx)"
    _check_archive(path, what)
    try:
        tables = _xlsx(path) if kind == "xlsx" else _docx(path)
    except NotATable:
        raise
    except Exception:  # the libraries raise many kinds on a file that is not theirs
        raise NotATable(f"{path}: not {what}, or a damaged one") from None
    tables = [table for table in tables if any(row.distinct() for row in table)]
    if not tables:
        raise NotATable(f"{path}: no table in it")
    return tables


MAX_XML = 64 * 2**20
"""The most XML an office file may unpack to (a breakdown table is a few hundred KB)."""
MAX_UNPACKED = 512 * 2**20
"""The most it may unpack to in all, pictures included."""
MAX_PARTS = 10_000


def _check_archive(path: Path, what: str) -> None:
    """Refuse a file that would unpack to more than a table ever needs (a zip bomb) before a
    library parses it. An .xlsx or .docx file is a zip archive; the sizes its directory
    declares are the most `zipfile` will unpack from each part, so they can be trusted. (XML
    entity expansion is refused by the parsers themselves: expat and libxml2 limit it.)"""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise NotATable(f"{path}: not {what}, or a damaged one") from None
    xml = sum(part.file_size for part in parts if part.filename.endswith((".xml", ".rels")))
    unpacked = sum(part.file_size for part in parts)
    if xml > MAX_XML or unpacked > MAX_UNPACKED or len(parts) > MAX_PARTS:
        raise NotATable(
            f"{path}: unpacks to {_mib(unpacked)} ({_mib(xml)} of it XML) in {len(parts):,}"
            f" parts; planctl reads office files of up to {_mib(MAX_XML)} of XML,"
            f" {_mib(MAX_UNPACKED)} in all and {MAX_PARTS:,} parts"
        )


def _mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


def _xlsx(path: Path) -> list[Table]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, data_only=True)
    try:
        return [_sheet(sheet) for sheet in workbook.worksheets]
    finally:
        workbook.close()


def _sheet(sheet: Any) -> Table:
    values = [[cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    carried = [[False] * len(row) for row in values]
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(values) or left >= len(values[top]):
            continue
        text = values[top][left]
        for r in range(top, min(merged.max_row, len(values))):
            for c in range(left, min(merged.max_col, len(values[r]))):
                values[r][c] = text
                carried[r][c] = r > top
    return [
        Row(number, tuple(Cell(text, below) for text, below in zip(texts, flags, strict=True)))
        for number, (texts, flags) in enumerate(zip(values, carried, strict=True), start=1)
    ]


def _docx(path: Path) -> list[Table]:
    from docx import Document
    from docx.table import Table as WordTable

    document = Document(str(path))
    tables: list[Table] = []
    above = ""
    follows = False  # a table right after another: the same table, split across pages
    for block in document.iter_inner_content():
        if isinstance(block, WordTable):
            rows = _word_rows(block, 1 + (tables[-1][-1].number if follows else 0))
            if follows and _width(rows) == _width(tables[-1]):
                tables[-1] += rows
            else:
                tables.append(([Row(0, (Cell(above),))] if above else []) + rows)
            above, follows = "", bool(rows)
        elif block.text.strip():
            above, follows = block.text.strip(), False
    return tables


def _width(rows: Table) -> int:
    return max((len(row.cells) for row in rows if row.number), default=0)


def _word_rows(table: Any, first: int) -> list[Row]:
    rows: list[Row] = []
    previous: list[Any] = []
    for number, row in enumerate(table.rows, start=first):
        cells = list(row.cells)
        marked = tuple(
            Cell(cell.text, at < len(previous) and cell._tc is previous[at]._tc)
            for at, cell in enumerate(cells)
        )
        rows.append(Row(number, marked))
        previous = cells
    return rows


def cell_text(value: object) -> str:
    """A spreadsheet cell's value as text: a date as its ISO day, a whole number without
    ".0"; None as empty."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
