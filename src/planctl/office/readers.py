"""Thin readers of the office's files: each table of a workbook's sheets (openpyxl) or of a
Word document (python-docx) as rows of cells, merged cells repeated with `carried` set below
their first row. Imported only by `planctl import`."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planctl import install_hint
from planctl.i18n import _
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
            _("{path}: an old binary {suffix} file; save it as {new} and import that").format(
                path=path, suffix=suffix, new=OLD_FORMATS[suffix]
            )
        )
    kind = SUFFIXES.get(suffix)
    if kind is None:
        raise NotATable(_("{path}: not a .xlsx or .docx file").format(path=path))
    if not path.is_file():
        reason = _("no such file") if not path.exists() else _("not a regular file")
        raise NotATable(_("cannot read {path}: {reason}").format(path=path, reason=reason))
    library = "openpyxl" if kind == "xlsx" else "docx"
    try:
        importlib.import_module(library)
    except ImportError:
        package = "openpyxl" if kind == "xlsx" else "python-docx"
        raise NotATable(
            _("reading a .{kind} file needs {package}: {hint}").format(
                kind=kind, package=package, hint=install_hint("import")
            )
        ) from None
    _check_archive(path, kind)
    try:
        tables = _xlsx(path) if kind == "xlsx" else _docx(path)
    except NotATable:
        raise
    except Exception:  # the libraries raise many kinds on a file that is not theirs
        raise _damaged(path, kind) from None
    tables = [table for table in tables if any(row.distinct() for row in table)]
    if not tables:
        raise NotATable(_("{path}: no table in it").format(path=path))
    return tables


MAX_XML = 64 * 2**20
"""The most XML an office file may unpack to (a breakdown table is a few hundred KB)."""
MAX_UNPACKED = 512 * 2**20
"""The most it may unpack to in all, pictures included."""
MAX_PARTS = 10_000


def _check_archive(path: Path, kind: str) -> None:
    """Refuse a file that would unpack to more than a table ever needs (a zip bomb) before a
    library parses it. An .xlsx or .docx file is a zip archive; the sizes its directory
    declares are the most `zipfile` will unpack from each part, so they can be trusted. (XML
    entity expansion is refused by the parsers themselves: expat and libxml2 limit it.)"""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _damaged(path, kind) from None
    xml = sum(part.file_size for part in parts if part.filename.endswith((".xml", ".rels")))
    unpacked = sum(part.file_size for part in parts)
    if xml > MAX_XML or unpacked > MAX_UNPACKED or len(parts) > MAX_PARTS:
        raise NotATable(
            _(
                "{path}: unpacks to {unpacked} ({xml} of it XML) in {parts} parts; planctl reads"
                " office files of up to {max_xml} of XML, {max_unpacked} in all and {max_parts}"
                " parts"
            ).format(
                path=path,
                unpacked=_mib(unpacked),
                xml=_mib(xml),
                parts=f"{len(parts):,}",
                max_xml=_mib(MAX_XML),
                max_unpacked=_mib(MAX_UNPACKED),
                max_parts=f"{MAX_PARTS:,}",
            )
        )


def _damaged(path: Path, kind: str) -> NotATable:
    if kind == "xlsx":
        return NotATable(
            _("{path}: not an Excel workbook (.xlsx), or a damaged one").format(path=path)
        )
    return NotATable(_("{path}: not a Word document (.docx), or a damaged one").format(path=path))


def _mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


MAX_ROWS = 10_000
"""The most rows a sheet's table may reach (a breakdown table has a few hundred)."""
MAX_COLUMNS = 100
"""The most columns it may reach."""
MAX_CELLS = 100_000
"""The most cells a sheet may hold (empty ones with a format count)."""


@dataclass
class _Layout:
    """What a sheet's XML says before its values are read: how far its cells reach, its
    merged ranges and its hidden rows."""

    rows: int = 0
    columns: int = 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: set[int] = field(default_factory=set)


_REFERENCE = re.compile(r"([A-Z]{1,9})([0-9]{1,12})")


def _cell_at(reference: str) -> tuple[int, int]:
    """A1 -> (row 1, column 1); anything else -> (0, 0)."""
    match = _REFERENCE.fullmatch(reference.strip().upper())
    if match is None:
        return 0, 0
    letters, digits = match.groups()
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return int(digits), number


def _too_far(where: str, row: int, column: int | None = None, name: str = "") -> NotATable:
    if column is None:
        reaches = _("row {row}").format(row=f"{row:,}")
    else:
        reaches = _("row {row} and column {column}").format(row=f"{row:,}", column=f"{column:,}")
    if name:
        reaches = _("{reaches} ({name})").format(reaches=reaches, name=name)
    return NotATable(
        _(
            "{where} reaches {reaches}; planctl reads tables of up to {rows} rows and {columns}"
            " columns"
        ).format(where=where, reaches=reaches, rows=f"{MAX_ROWS:,}", columns=f"{MAX_COLUMNS:,}")
    )


def _too_many(where: str) -> NotATable:
    return NotATable(
        _(
            "{where} has more than {cells} cells; planctl reads tables of up to {cells} cells"
        ).format(where=where, cells=f"{MAX_CELLS:,}")
    )


def _layout(path: Path, sheet: Any) -> _Layout:
    """The sheet's layout, read from its XML as a stream (each row forgotten once counted),
    refused as soon as it passes MAX_ROWS, MAX_COLUMNS or MAX_CELLS: the declared dimension
    first, then every cell, then the merged ranges."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils import get_column_letter

    where = _("{path}: sheet {sheet}").format(path=path, sheet=sheet.title)
    layout = _Layout()
    cells = 0
    row = column = 0  # where the last row and cell were: a cell without `r` follows it
    with sheet._get_source() as source:
        for event, element in iterparse(source, events=("start", "end")):
            tag = element.tag.rpartition("}")[2]
            if event == "start":
                if tag == "row":
                    row, column = int(element.get("r") or row + 1), 0
                continue
            if tag == "dimension":
                last = element.get("ref", "").rpartition(":")[2]
                bottom, right = _cell_at(last)
                if bottom > MAX_ROWS or right > MAX_COLUMNS:
                    raise _too_far(where, bottom, right, last)
            elif tag == "c":
                reference = element.get("r")
                if reference:
                    row, column = _cell_at(reference)
                else:
                    column += 1
                    reference = f"{get_column_letter(min(column, 18278))}{row}"
                if row > MAX_ROWS or column > MAX_COLUMNS:
                    raise _too_far(where, row, column, reference)
                cells += 1
                if cells > MAX_CELLS:
                    raise _too_many(where)
                layout.rows, layout.columns = max(layout.rows, row), max(layout.columns, column)
            elif tag == "row":
                if row > MAX_ROWS:
                    raise _too_far(where, row)
                if element.get("hidden") in ("1", "true"):
                    layout.hidden.add(row)
                element.clear()
            elif tag == "mergeCell":
                reference = element.get("ref", "")
                first, _colon, last = reference.partition(":")
                (top, left), (bottom, right) = _cell_at(first), _cell_at(last or first)
                if bottom > MAX_ROWS or right > MAX_COLUMNS:
                    merged = _("{where}: merged range {reference}")
                    raise _too_far(merged.format(where=where, reference=reference), bottom, right)
                if top and left:
                    layout.merged.append((top, left, bottom, right))
    return layout


def _xlsx(path: Path) -> list[Table]:
    from openpyxl import load_workbook

    # read-only: the cells are read as a stream, never all held as objects
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        visible = [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
        return [_sheet(sheet, _layout(path, sheet)) for sheet in visible]
    finally:
        workbook.close()


def _sheet(sheet: Any, layout: _Layout) -> Table:
    if not layout.rows:
        return []
    values = [
        [cell_text(value) for value in row]
        for row in sheet.iter_rows(
            min_row=1, max_row=layout.rows, min_col=1, max_col=layout.columns, values_only=True
        )
    ]
    carried = [[False] * len(row) for row in values]
    for top, left, bottom, right in layout.merged:
        top, left = top - 1, left - 1
        if top >= len(values) or left >= len(values[top]):
            continue
        text = values[top][left]
        for r in range(top, min(bottom, len(values))):
            for c in range(left, min(right, len(values[r]))):
                values[r][c] = text
                carried[r][c] = r > top
    return [
        Row(
            number,
            tuple(Cell(text, below) for text, below in zip(texts, flags, strict=True)),
            hidden=number in layout.hidden,
        )
        for number, (texts, flags) in enumerate(zip(values, carried, strict=True), start=1)
    ]


MAX_TABLES = 500
"""The most tables a Word document may hold."""


def _docx(path: Path) -> list[Table]:
    from docx import Document
    from docx.table import Table as WordTable

    document = Document(str(path))
    count = len(document.element.body.tbl_lst)
    if count > MAX_TABLES:
        raise NotATable(
            _("{path}: has {count} tables; planctl reads documents of up to {most} tables").format(
                path=path, count=f"{count:,}", most=f"{MAX_TABLES:,}"
            )
        )
    tables: list[Table] = []
    above = ""
    follows = False  # a table right after another: the same table, split across pages
    for block in document.iter_inner_content():
        if isinstance(block, WordTable):
            first = 1 + (tables[-1][-1].number if follows else 0)
            number = len(tables) + (0 if follows else 1)
            rows = _word_rows(
                block, first, _("{path}: table {number}").format(path=path, number=number)
            )
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


def _word_rows(table: Any, first: int, where: str) -> list[Row]:
    """The table's rows as python-docx gives them (`row.cells`: a cell once per grid column it
    spans, a cell merged down given again below), each merged cell found from the row above
    by its grid column: python-docx looks each one up from the top, so a cell merged down a
    thousand rows took minutes. Refused as soon as it passes MAX_ROWS, MAX_COLUMNS or
    MAX_CELLS."""
    from docx.oxml.ns import qn
    from docx.table import _Cell

    rows: list[Row] = []
    previous: list[Any] = []  # the row above: a tc (its merge's first) for each cell
    above: dict[int, Any] = {}  # the row above: grid column -> its tc
    texts: dict[Any, str] = {}  # tc -> its text (holding the tc keeps its proxy the same)
    rows_in = table._tbl.tr_lst
    if first + len(rows_in) - 1 > MAX_ROWS:  # counted at once, before a cell is read
        raise _too_far(where, MAX_ROWS + 1)
    if len(table._tbl.findall(f"{qn('w:tr')}/{qn('w:tc')}")) > MAX_CELLS:
        raise _too_many(where)
    counted = 0
    for number, tr in enumerate(rows_in, start=first):
        if number > MAX_ROWS:
            raise _too_far(where, number)
        cells: list[Any] = []
        here: dict[int, Any] = {}
        column = tr.grid_before
        for tc in tr.tc_lst:
            origin = above.get(column, tc) if tc.vMerge == "continue" else tc
            span = origin.grid_span
            if column + span > MAX_COLUMNS:
                raise _too_far(where, number, column + span)
            for offset in range(span):
                here[column + offset] = origin
            column += span
            cells.extend([origin] * span)
            counted += span
            if counted > MAX_CELLS:
                raise _too_many(where)
        for tc in cells:
            if tc not in texts:
                texts[tc] = _Cell(tc, table).text
        rows.append(
            Row(
                number,
                tuple(
                    Cell(texts[tc], at < len(previous) and tc is previous[at])
                    for at, tc in enumerate(cells)
                ),
            )
        )
        previous, above = cells, here
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
