"""A returned sheet read back: what it says it is about, and each row the unit filled.

Forgiving where people are (a sheet re-saved by LibreOffice, WPS or Excel; columns found by
their headers; percent as 60, 60% or 0.6; dates as dates, Excel serials, 2018-06-20, 6月20日
or 6.20; 是/否/√/完成; full-width digits; rows re-sorted, blank rows, rows the unit added),
strict where it matters: a value that cannot be read is a `CellProblem` at `SHEET!CELL`.

`read_return` reads the workbook (`planctl.office.xlsx_cells`, the standard library's zip and
XML, loaded only here); the parsers are pure.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from planctl import frozen
from planctl.errors import BadValue
from planctl.i18n import N_, _
from planctl.office.returns_make import COLUMNS, FILLED, LABELS, META_FORMAT, META_SHEET

if TYPE_CHECKING:
    from planctl.office.xlsx_cells import Row, Workbook


class CellProblem(ValueError):
    """A cell of a return that cannot be read as what its column holds."""


class NotAReturn(BadValue):
    """A file that is not a return sheet planctl made (or one it cannot open)."""


HEADERS: Mapping[str, str] = {
    unicodedata.normalize("NFKC", words[key]).casefold().replace(" ", ""): key
    for words in LABELS.values()
    for key in COLUMNS
}
"""A header's text (NFKC, case and spaces ignored) -> its column, in every language."""

YES = {"是", "√", "✓", "✔", "完成", "已完成", "yes", "y", "true", "done", "1"}
NO = {"否", "×", "✗", "未完成", "no", "n", "false", "0", ""}
EXCEL_EPOCH = date(1899, 12, 30)


@frozen
class FilledRow:
    """One task row of a returned sheet: its Excel row, the ID in it, and its cells by
    column key (raw values, with each cell's number format)."""

    row: int
    task_id: str
    cells: Mapping[str, Any]
    formats: Mapping[str, str] = field(default_factory=dict)

    @property
    def filled(self) -> bool:
        """Whether the unit wrote anything in the columns it fills."""
        return any(_text(self.cells.get(key)) for key in FILLED)


@frozen
class ReturnedSheet:
    """What a return says it is about, and its rows."""

    sheet: str
    meta: Mapping[str, str]
    row_map: Mapping[str, int]
    rows: tuple[FilledRow, ...]
    columns: Mapping[str, str]
    """The letter of each column found, by key (for messages)."""
    filer: str = ""
    """The 填报人 the unit named on the sheet (its text as typed, spaces around it dropped);
    blank when none is named (or the return predates the field)."""
    filer_cell: str = ""
    """Where the sheet names its 填报人 (`C2`), as the hidden sheet says."""


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def read_return(data: bytes, source: str) -> ReturnedSheet:
    """The return in an .xlsx file's bytes; `NotAReturn` for a file that is not one."""
    from planctl.office.xlsx_cells import open_workbook

    try:
        # The standard library's reader, each part read once (planctl.office.xlsx_cells):
        # openpyxl's load, even read-only, was most of what `returns collect` spent.
        return _read_book(open_workbook(data), source)
    except NotAReturn:
        raise
    except Exception as error:  # a damaged part shows only as it is read: bad XML, zip, index
        raise NotAReturn(_(_UNREADABLE).format(source=source, error=error)) from None


def _read_book(book: Workbook, source: str) -> ReturnedSheet:
    from planctl.office.xlsx_cells import column_letter

    if META_SHEET not in book.sheets:
        raise NotAReturn(
            _("{source}: not a planctl return (no sheet {sheet})").format(
                source=source, sheet=repr(META_SHEET)
            )
        )
    meta: dict[str, str] = {}
    row_map: dict[str, int] = {}
    in_rows = False
    for _number, hidden in book.rows(META_SHEET):  # every row the file has
        key, value = _value_at(hidden, 1), _value_at(hidden, 2)
        if key is None:
            continue
        if in_rows:
            row_map[_text(key)] = int(_text(value) or 0)
        elif _text(key) == "task":
            in_rows = True
        else:
            meta[_text(key)] = _text(value)
    if meta.get("format") != str(META_FORMAT):
        raise NotAReturn(
            _("{source}: a planctl return of a format this planctl does not read").format(
                source=source
            )
        )
    names = [name for name in book.sheets if name != META_SHEET]
    if not names:
        raise NotAReturn(_("{source}: the return has no sheet of tasks").format(source=source))
    title = names[0]
    filer_cell = meta.get("filer", "")
    filer_at = _coordinate(filer_cell)
    filer = ""
    header_row, columns = 0, {}
    rows = []
    for number, cells in book.rows(title):  # one pass: the header, then the task rows
        if not header_row:
            if number > _HEADER_ROWS:
                break
            if filer_at is not None and number == filer_at[0]:
                filer = _typed(_value_at(cells, filer_at[1]))
            found: dict[str, int] = {}
            for position, cell in cells.items():
                key = HEADERS.get(_text(cell.value).casefold().replace(" ", ""))
                if key is not None:
                    found[key] = position
            if "id" in found and "progress" in found:
                header_row, columns = number, found
            continue
        values = {key: _value_at(cells, col) for key, col in columns.items()}
        formats = {
            key: cells[col].number_format if col in cells else "General"
            for key, col in columns.items()
        }
        row = FilledRow(number, _text(values.get("id")), values, formats)
        if row.task_id or row.filled:
            rows.append(row)
    if not header_row:
        raise NotAReturn(
            _("{source}: {sheet}: no header row (编号 ... 本期进展) found").format(
                source=source, sheet=title
            )
        )
    letters = {key: column_letter(col) for key, col in columns.items()}
    return ReturnedSheet(title, meta, row_map, tuple(rows), letters, filer, filer_cell)


_HEADER_ROWS = 12
"""The header row is looked for in the sheet's first rows only."""


def _value_at(cells: Row, column: int) -> Any:
    cell = cells.get(column)
    return None if cell is None else cell.value


def _coordinate(reference: str) -> tuple[int, int] | None:
    """`C2` as (row 2, column 3); None for no reference or a damaged one."""
    found = _REFERENCE.fullmatch(reference.upper()) if reference else None
    if found is None:
        return None
    column = 0
    for letter in found[1]:
        column = column * 26 + ord(letter) - 64
    row = int(found[2])
    if not (1 <= column <= 16384 and 1 <= row <= 1048576):
        return None
    return row, column


_REFERENCE = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]+)")


def _typed(value: object) -> str:
    """A cell's text as typed (not normalised: a name is recorded as written), spaces and
    line breaks around it dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_percent(value: object, number_format: str = "General") -> int | None:
    """60, "60", "60%", 0.6 or a cell formatted as a percent holding 0.6: 60. None when
    blank; `CellProblem` for text that is no number or one outside 0-100."""
    if value is None or _text(value) == "":
        return None
    if isinstance(value, bool):
        raise CellProblem(_(_NOT_A_PERCENT).format(value=repr(value)))
    if isinstance(value, int | float):
        number = float(value)
        if "%" in number_format or (0 < number < 1):
            number *= 100
    else:
        text = _text(value).replace("%", "").replace("％", "").strip()
        try:
            number = float(text)
        except ValueError:
            raise CellProblem(_(_NOT_A_PERCENT).format(value=repr(_text(value)))) from None
        if "%" not in _text(value) and 0 < number < 1:
            number *= 100
    if not 0 <= number <= 100:
        raise CellProblem(_("percent {number} is outside 0-100").format(number=f"{number:g}"))
    return round(number)


def parse_number(value: object) -> float | None:
    """A value: a number, or text holding one ("8.5", "８.５%"); None when blank."""
    if value is None or _text(value) == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = _text(value).rstrip("%").replace(",", "").strip()
    try:
        return float(text)
    except ValueError:
        raise CellProblem(_("{value} is not a number").format(value=repr(_text(value)))) from None


def parse_count(value: object) -> int | None:
    """A count of times done: a whole number of 0 or more ("3", "３次"); None when blank."""
    if value is None or _text(value) == "":
        return None
    text = _text(value).removesuffix("次").strip()
    try:
        number = float(text)
    except ValueError:
        raise CellProblem(
            _("{value} is not a number of times").format(value=repr(_text(value)))
        ) from None
    if not number.is_integer() or number < 0:
        raise CellProblem(
            _("{value} is not a whole number of 0 or more").format(value=repr(_text(value)))
        )
    return int(number)


def parse_yes(value: object) -> bool | None:
    """是, √, 完成 (yes) or 否 (no); None when blank."""
    if value is None or _text(value) == "":
        return None
    text = _text(value).casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellProblem(_("{value} is not 是 or 否").format(value=repr(_text(value))))


_FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_day(value: object, year: int) -> date | None:
    """A day: a date cell, an Excel serial, "2018-06-20", "2018年6月20日", "6月20日" or
    "6.20" (in `year`, the cycle's); None when blank."""
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise CellProblem(_(_NOT_A_DATE).format(value=repr(value)))
    text = _text(value)
    found = _FULL_DATE.match(text)
    parts = (int(found[1]), int(found[2]), int(found[3])) if found else None
    if parts is None:
        short = _MONTH_DAY.match(text)
        if short:
            parts = (year, int(short[1]), int(short[2]))
    if parts is not None:
        try:
            return date(*parts)
        except ValueError:
            pass
    raise CellProblem(_(_NOT_A_DATE).format(value=repr(text)))


_UNREADABLE = N_("{source}: not an .xlsx file planctl can read ({error})")
_NOT_A_PERCENT = N_("{value} is not a percent")
_NOT_A_DATE = N_("{value} is not a date")
