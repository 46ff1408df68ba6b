"""An Excel workbook (XlsxWriter): one sheet per table, for the people who pass spreadsheets on.

Each sheet: a title row, a frozen header row, then the table's plain values (`Table.grid`):
numbers, dates and percentages as such, owners joined with 、, the status (or light) of a row
as the fill of its status cell. Column widths fit Chinese text (a wide character counts two).
Each sheet prints ready: A4, landscape where its columns are wider than a portrait page, one
page wide, the header row on every page, the organisation, plan and day in the page header
and page numbers in the footer.
XlsxWriter is imported here only, for `--format xlsx` (`pip install 'planctl-office[xlsx]'`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from planctl import install_hint
from planctl.errors import MissingPart
from planctl.render import Cell, Column, Reread, Table, View
from planctl.render.safe import visible
from planctl.render.wrap import width

if TYPE_CHECKING:
    from xlsxwriter.format import Format as CellFormat
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

SHEET_NAME_LIMIT = 31
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
WIDEST = 60
"""The widest a column is made (in Excel's character widths); longer text wraps."""
CELL_LIMIT = 32_767
"""The most characters an Excel cell holds; XlsxWriter would cut longer text without a word."""

FILLS = {
    # a row's class word -> (fill, font colour); the first of a row's words found here wins
    "overdue": ("#F8D7DA", "#9C0006"),
    "red": ("#F8D7DA", "#9C0006"),
    "yellow": ("#FFF2CC", "#7F6000"),
    "behind": ("#FFF2CC", "#7F6000"),
    "blue": ("#DDEBF7", "#1F4E79"),
    "green": ("#E2EFDA", "#375623"),
    "done": ("#A9D08E", "#1E3D12"),
    "grey": ("#EDEDED", "#404040"),
}
"""Fills for the words of `Table.row_classes`: statuses, and the lights of supervision. Done
is a deeper green than an open task on track (green), so a printed sheet tells them apart."""

A4 = 9
"""XlsxWriter's paper size number for A4."""
PORTRAIT_WIDTH = 110
"""The widest sheet (in Excel's character widths) printed portrait; wider ones are printed
landscape. Either way a sheet is scaled to one page wide."""
PAGE_HEADER_LIMIT = 255
"""The longest page header Excel keeps (control codes included)."""


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel takes: at most 31 characters, none of []:*?/\\, unique (case
    ignored), not blank."""
    name = _NOT_IN_SHEET_NAMES.sub(" ", visible(title)).strip().strip("'") or "Sheet"
    name = name[:SHEET_NAME_LIMIT].strip()
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = name[: SHEET_NAME_LIMIT - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


def fitted(text: str) -> str:
    """Text as a cell holds it: whole, or cut to `CELL_LIMIT` characters ending with
    `…[+N]`, N the characters cut, so that a reader sees that it was cut."""
    if len(text) <= CELL_LIMIT:
        return text
    keep = CELL_LIMIT
    while len(marker := f"…[+{len(text) - keep}]") + keep > CELL_LIMIT:
        keep = CELL_LIMIT - len(marker)
    return text[:keep] + marker


def cut_cells(view: View) -> int:
    """How many text cells of the workbook of `view` are cut (see `fitted`)."""
    return sum(
        isinstance(cell, str) and len(visible(cell)) > CELL_LIMIT
        for table in view.every_table()
        for row in _columns(table)[1]
        for cell in row
    )


def _columns(table: Table) -> tuple[list[Column], Iterable[Sequence[Cell]]]:
    if table.grid is not None:
        return table.grid.columns, table.grid.rows
    return [Column(name) for name in table.columns], table.rows


def _display(cell: Cell, column: Column) -> str:
    """The cell as it shows, for measuring its width."""
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.isoformat()
    if column.kind == "percent" and isinstance(cell, int | float):
        return f"{cell}%"
    return str(cell)


def _fill(classes: str) -> tuple[str, str] | None:
    return next((FILLS[word] for word in classes.split() if word in FILLS), None)


class _Formats:
    """The workbook's cell formats, made once each."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.made: dict[tuple[str, str | None], CellFormat] = {}
        self.title = book.add_format(
            {"bold": True, "font_size": 13, "text_wrap": True, "valign": "top"}
        )
        self.header = book.add_format(
            {"bold": True, "bg_color": "#D9D9D9", "border": 1, "valign": "top"}
        )

    def cell(self, kind: str, classes: str) -> CellFormat:
        fill = _fill(classes) if kind == "status" else None
        key = (kind, None if fill is None else fill[0])
        if key not in self.made:
            spec: dict[str, Any] = {"border": 1, "valign": "top"}
            if kind == "date":
                spec["num_format"] = "yyyy-mm-dd"
            elif kind == "percent":
                spec["num_format"] = "0%"
            elif kind == "int":
                spec["num_format"] = "0"
            elif kind in ("text", "status"):
                spec["text_wrap"] = True
            if fill is not None:
                spec["bg_color"], spec["font_color"] = fill
            self.made[key] = self.book.add_format(spec)
        return self.made[key]


def _write_cell(
    sheet: Worksheet, row: int, col: int, cell: Cell, kind: str, fmt: CellFormat
) -> None:
    if cell is None or cell == "":
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(cell, date):
        sheet.write_datetime(row, col, cell, fmt)
    elif isinstance(cell, int | float) and not isinstance(cell, bool):
        sheet.write_number(row, col, cell / 100 if kind == "percent" else cell, fmt)
    else:
        # Always as text: a note that begins with "=" is not a formula, a number-like ID
        # ("6.2") stays an ID.
        sheet.write_string(row, col, fitted(visible(str(cell))), fmt)


def _sheet_title(view: View, table: Table) -> str:
    heading = view.heading
    if heading is None:
        return table.title
    parts = [heading.organisation, f"{heading.title} {heading.subtitle}"]
    parts += [table.document_title(), heading.as_of]
    return " · ".join(part for part in parts if part)


def _page_header(view: View, table: Table) -> str:
    """The printed page's header: the organisation on the left, the plan and what this is in
    the middle, the day on the right (`&` doubled, as Excel's codes need); never longer than
    Excel keeps."""
    heading = view.heading
    if heading is None:
        middle, left, right = table.title, "", ""
    else:
        middle = f"{heading.title} {heading.subtitle}"
        left, right = heading.organisation or "", heading.as_of or ""
    parts = [visible(part).replace("&", "&&").replace("\n", " ") for part in (left, middle, right)]
    room = PAGE_HEADER_LIMIT - len("&L&C&R") - len(parts[0]) - len(parts[2])
    if len(parts[1]) > room:
        parts[1] = parts[1][: max(room - 1, 0)] + "…"
    return f"&L{parts[0]}&C{parts[1]}&R{parts[2]}"[:PAGE_HEADER_LIMIT]


def _page_setup(sheet: Worksheet, view: View, table: Table, widths: list[int]) -> None:
    """A4, portrait or landscape by the sheet's width, one page wide and as many long as it
    takes, the header row repeated, a page header and page numbers."""
    sheet.set_paper(A4)
    if sum(widths) > PORTRAIT_WIDTH:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(1)
    sheet.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.6)
    sheet.set_header(_page_header(view, table), {"margin": 0.3})
    sheet.set_footer("&C&P / &N", {"margin": 0.3})


def _write_sheet(book: Workbook, formats: _Formats, view: View, table: Table, name: str) -> None:
    """One table's sheet, written top to bottom (a workbook in constant memory keeps no row
    once the next one is written): the widths are measured by a first pass over the rows."""
    sheet = book.add_worksheet(name)
    columns, rows = _columns(table)
    title = visible(_sheet_title(view, table))
    longest = [width(column.name) for column in columns]
    for cells in rows:
        for col, (cell, column) in enumerate(zip(cells, columns, strict=True)):
            shown = max(map(width, _display(cell, column).split("\n")))
            longest[col] = max(longest[col], shown)
    widths = [min(most + 2, WIDEST) for most in longest]
    for col, column_width in enumerate(widths):
        sheet.set_column(col, col, column_width)
    # The title wraps inside the width of the table: tall enough for its lines.
    lines = -(-width(title) // max(int(sum(widths)), 1))
    sheet.set_row(0, 20 * max(lines, 1))
    if len(columns) > 1:
        sheet.merge_range(0, 0, 0, len(columns) - 1, title, formats.title)
    else:
        sheet.write_string(0, 0, title, formats.title)
    for col, column in enumerate(columns):
        sheet.write_string(1, col, visible(column.name), formats.header)
    classed: Iterable[tuple[Sequence[Cell], str]] = (
        zip(rows, table.row_classes, strict=True)
        if table.row_classes
        else ((cells, "") for cells in rows)
    )
    index = -1
    for index, (cells, words) in enumerate(classed):
        for col, (cell, column) in enumerate(zip(cells, columns, strict=True)):
            fmt = formats.cell(column.kind, words)
            _write_cell(sheet, index + 2, col, cell, column.kind, fmt)
    if index < 0:
        sheet.write_string(2, 0, visible(table.empty))
    sheet.freeze_panes(2, 0)
    _page_setup(sheet, view, table, widths)


def workbook_bytes(view: View) -> bytes:
    """The whole .xlsx file: every table of the view (empty ones too), a sheet each."""
    try:
        from xlsxwriter import Workbook
    except ImportError:
        raise MissingPart(
            f"--format xlsx needs XlsxWriter, which is not installed: {install_hint('xlsx')}"
        ) from None

    buffer = io.BytesIO()
    # A table read anew at each pass (a plan's whole history) is written a row at a time
    # through temporary files: never the whole sheet in memory.
    streamed = any(isinstance(table.rows, Reread) for table in view.every_table())
    memory = {"constant_memory": True} if streamed else {"in_memory": True}
    book = Workbook(buffer, {**memory, "strings_to_urls": False})
    formats = _Formats(book)
    taken: set[str] = set()
    for table in view.every_table():
        _write_sheet(book, formats, view, table, sheet_name(table.sheet or table.title, taken))
    book.close()
    return buffer.getvalue()
