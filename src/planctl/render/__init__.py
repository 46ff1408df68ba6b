"""Renderers: one per output format. A command builds a `View` once and hands it over here."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import field, replace
from datetime import date
from typing import Any, Literal, SupportsIndex, TextIO, overload

from planctl import frozen


class Format(enum.StrEnum):
    """The formats every read command offers."""

    TABLE = "table"
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    HTML = "html"
    XLSX = "xlsx"
    PDF = "pdf"


BINARY_FORMATS = (Format.XLSX, Format.PDF)
"""Formats written as bytes, to a file (`-o FILE`) or a pipe, never to a terminal."""

Cell = str | int | float | date | None
"""A plain value in a spreadsheet or csv cell: text, a number, a date, or nothing."""

Kind = Literal["text", "int", "number", "date", "percent", "status"]
"""What a column holds: a percent is a whole number 0-100, as the JSON gives it; a status is
text coloured by its row's class in a workbook."""


@frozen(slots=False)
class Column:
    """A column of plain values: its header and the kind of value in it."""

    name: str
    kind: Kind = "text"


@frozen(slots=False)
class Grid:
    """A table as plain values, for spreadsheets and csv: numbers, dates and percentages as
    such, counts and their units in separate columns, no bars."""

    columns: list[Column]
    rows: list[list[Cell]]


@frozen(slots=False)
class Table:
    """A titled grid of text cells; the first column is the one a person scans."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    row_styles: list[str] = field(default_factory=list)
    """A Rich style per row, used on a terminal only (e.g. "red" for an overdue task)."""
    empty: str = "-"
    """What a table without rows shows instead (tables are not dropped, so sections stay put)."""
    key: str = ""
    """The table's name for `--table` (`months`, `overdue`, ...); empty where there is one."""
    sheet: str = ""
    """A short name for its workbook sheet, where the title is long; else the title."""
    grid: Grid | None = None
    """The same rows as plain values (xlsx, csv); without it they take the text cells."""
    row_classes: list[str] = field(default_factory=list)
    """Words saying what each row is (`done`, `overdue`, `open`; a light such as `red`),
    space-separated: HTML classes and spreadsheet fills."""
    bars: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    """Columns drawn as progress bars in HTML: column index -> (done, total) per row."""
    cell_styles: dict[int, list[str]] = field(default_factory=dict)
    """Column index -> a style per row for that column's cells (`light-red` ...): coloured
    on a terminal and in HTML; the cell's text says the same in words."""
    caption: str | None = None
    """What a document with a heading (HTML, PDF, a workbook's title row) calls the table,
    where `title` also names the plan and its file for a terminal: "" for a table the heading
    names already; None: the title."""

    def document_title(self) -> str:
        """The table's title in a document: its caption, else its title."""
        return self.title if self.caption is None else self.caption

    def without_blank_columns(self) -> Table:
        """The table without the columns that are blank in every row, as a terminal shows it
        (a 责任单位 column no task fills would only take room from the titles); a table
        without rows keeps its columns, and the files (csv, xlsx, json) keep them all."""
        if not self.rows:
            return self
        kept = [i for i in range(len(self.columns)) if any(row[i].strip() for row in self.rows)]
        if len(kept) == len(self.columns) or not kept:  # all blank: shown as they are
            return self
        at = {old: new for new, old in enumerate(kept)}
        return replace(
            self,
            columns=[self.columns[i] for i in kept],
            rows=[[row[i] for i in kept] for row in self.rows],
            cell_styles={at[i]: s for i, s in self.cell_styles.items() if i in at},
            bars={at[i]: b for i, b in self.bars.items() if i in at},
        )


ATOM = re.compile(
    r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?: [+-]\d{2}:\d{2})?)?|[A-Za-z0-9]+(?:[.\-/:][A-Za-z0-9]+)*"
)
"""A word that is read whole: ASCII with a digit, such as a task ID (`P10.1`), a date
(`2022-12-31`), a moment (`2018-06-15 09:10 +08:00`) or a period (`2018-Q2`); a terminal's
column is never narrower than the longest such word of at most `ATOM_LIMIT` columns in it, so
none breaks inside a cell."""
ATOM_LIMIT = 23


@frozen(slots=False)
class Bar:
    """One bar of a chart: a label, how many are done out of how many."""

    label: str
    done: int
    total: int
    overdue: int = 0


class Deferred(list["Table"]):
    """A view's tables, made the first time a renderer looks at them: a format that never
    does (json, which writes `View.data`) never builds their cells. Reads as the list
    `build()` returns."""

    def __init__(self, build: Callable[[], list[Table]]) -> None:
        super().__init__()
        self._build: Callable[[], list[Table]] | None = build

    def _made(self) -> None:
        if self._build is not None:
            build, self._build = self._build, None
            super().extend(build())

    def __iter__(self) -> Iterator[Table]:
        self._made()
        return super().__iter__()

    def __len__(self) -> int:
        self._made()
        return super().__len__()

    def __bool__(self) -> bool:
        return len(self) > 0

    @overload
    def __getitem__(self, index: SupportsIndex) -> Table: ...
    @overload
    def __getitem__(self, index: slice) -> list[Table]: ...
    def __getitem__(self, index: SupportsIndex | slice) -> Table | list[Table]:
        self._made()
        return super().__getitem__(index)

    def __eq__(self, other: object) -> bool:
        return list(self) == other

    __hash__ = None

    def __add__(self, other: list[Table]) -> list[Table]:  # type: ignore[override]
        return list(self) + list(other)

    def __repr__(self) -> str:
        return repr(list(self))


class Reread(list[list[str]]):
    """A table's text rows that are never held whole: each pass over them (a renderer's
    measuring pass, then its writing pass) calls `rows()` again, which reads them anew (a
    plan's whole history, from the store, a chunk at a time). Only iterated: indexing one
    raises TypeError. Its length is counted by one pass, once."""

    def __init__(self, rows: Callable[[], Iterable[list[str]]]) -> None:
        super().__init__()
        self._rows = rows
        self._count: int | None = None

    def __iter__(self) -> Iterator[list[str]]:
        return iter(self._rows())

    def __len__(self) -> int:
        if self._count is None:
            self._count = sum(1 for _ in self._rows())
        return self._count

    def __bool__(self) -> bool:
        return next(iter(self._rows()), None) is not None

    def __getitem__(self, index: object) -> Any:
        raise TypeError("the rows of a reread table are only iterated")

    def __eq__(self, other: object) -> bool:
        return list(self) == other

    __hash__ = None

    def __repr__(self) -> str:
        return f"Reread({self._rows!r})"


@frozen(slots=False)
class View:
    """What a command shows: `data` for JSON, `tables` (and a closing line) for the rest."""

    data: dict[str, Any]
    tables: list[Table]
    footer: str | None = None
    title: str | None = None
    """A heading over all the tables (HTML pages and mail use it)."""
    chart: list[Bar] = field(default_factory=list)
    """Bars drawn above the tables in HTML (an inline SVG)."""
    chart_text: ChartText | None = None
    """The chart's title, legend, axis and note, in the plan's language."""
    lead: str | None = None
    """A line shown under the heading, before the tables."""
    heading: Heading | None = None
    """A document's heading (HTML, PDF): organisation, title, document number, as-of date."""
    every: list[Table] = field(default_factory=list)
    """Every table the command defines, in order, the empty ones it does not show as well
    (workbooks and `--table` take them all); where not given, `tables`."""
    lang: str = "en"
    """The language of the labels (HTML `lang`)."""
    signoff: tuple[tuple[str, str], ...] = ()
    """The sign-off block at the end of a printed document (HTML, PDF): (label, value) pairs,
    a blank value a line to sign on (planctl.views.signoff)."""

    def every_table(self) -> list[Table]:
        """The tables shown and the spare ones, in the order the command defines them."""
        return self.every or self.tables

    def table_keys(self) -> list[str]:
        return [table.key for table in self.every_table() if table.key]


@frozen(slots=False)
class ChartText:
    """The words around a chart: its title, the legend (done, overdue, open), the axis."""

    title: str
    done: str
    overdue: str
    open: str
    axis: str
    note: str


@frozen(slots=False)
class Heading:
    """The head of a printed document: who issues it, what it is, and as of when."""

    organisation: str | None
    title: str
    subtitle: str
    document: str | None = None
    as_of: str | None = None
    meta: str | None = None
    summary: str | None = None


def emit(
    view: View,
    fmt: Format,
    out: TextIO,
    *,
    terminal: bool,
    table: str | None = None,
    width: int | None = None,
) -> None:
    """Write the view in the chosen format; tables become plain text when not on a terminal.
    `table` names the one table csv writes (the first, the command's main one, by default);
    `width` the width of plain text (a file's: not the terminal's)."""
    if fmt in BINARY_FORMATS:
        raise ValueError(f"{fmt} is written with render_bytes")
    if fmt is Format.JSON:
        from planctl.render.json_out import write_json

        write_json(view, out)
    elif fmt is Format.CSV:
        from planctl.render.csv_out import write_csv

        write_csv(view, out, table)
    elif fmt is Format.MARKDOWN:
        from planctl.render.markdown import write_markdown

        write_markdown(view, out)
    elif fmt is Format.HTML:
        from planctl.render.html import write_html

        write_html(view, out)
    elif terminal and fmt is Format.TABLE:
        from planctl.render.rich_table import write_rich

        write_rich(view, out)
    else:
        import sys

        from planctl.render.plain import write_plain
        from planctl.render.wrap import piped_width, terminal_width

        # Piped: COLUMNS, else the width of the terminal the user is at (standard error),
        # else 100. `--format text` on a terminal: the terminal's width.
        size = terminal_width(out) if terminal else piped_width(sys.stderr)
        write_plain(view, out, width=width or size)


def render_bytes(view: View, fmt: Format) -> bytes:
    """A binary format's whole file: an xlsx workbook (XlsxWriter) or a PDF (WeasyPrint),
    each library imported only here."""
    if fmt is Format.XLSX:
        from planctl.render.xlsx import workbook_bytes

        return workbook_bytes(view)
    if fmt is Format.PDF:
        from planctl.render.pdf import pdf_bytes

        return pdf_bytes(view)
    raise ValueError(f"{fmt} is a text format")
