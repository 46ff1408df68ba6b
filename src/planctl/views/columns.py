"""Column specs: each table defined once, as a list of columns, from which its text cells
(terminal, plain text, markdown, html), its typed cells (csv, xlsx) and its styles (html
classes, terminal colours, progress bars) all come.

A column names its header (a label key), how a row gives its value, and what kind of value
that is; the text of a cell follows from the kind (a count as digits, a date as YYYY-MM-DD, a
percent with `%`) unless the column says otherwise. A column can be shown in the text formats
only (a progress bar, units and roles in one cell) or in the typed grid only (a task's start
and due day in a list that shows its month).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Generic, Literal, TypeVar

from planctl.render import Cell, Column, Grid, Kind, Table

R = TypeVar("R")

SpecKind = Literal["text", "count", "number", "date", "percent", "status", "light"]
"""What a column holds: text; a count (a whole number); a number (a count, target or value
that may have a fraction); a date; a percent (a whole number 0-100, `%` in its text); a
status word, or a light's word (both filled by their row's class in a workbook)."""

GRID_KINDS: Mapping[SpecKind, Kind] = {
    "text": "text",
    "count": "int",
    "number": "number",
    "date": "date",
    "percent": "percent",
    "status": "status",
    "light": "status",
}
"""The kind of each column's typed cells (see `planctl.render.Column`)."""

Shown = Literal["both", "text", "grid"]
"""Where a column appears: in the text cells and the typed grid, or in one of them."""


class Spec(Generic[R]):
    """One column of a table of rows of type `R`: `label`, the header's label key
    (`labels[label]`); `value`, how a row gives its typed cell (a number, a date, text or
    nothing); `kind`, what that is; `text`, the text cell where it is not the value as its
    kind writes it; `shown`, where the column appears; `style`, a style for each cell
    (`light-red` ...: coloured on a terminal and in HTML); `bar`, (done, total) for a cell
    drawn as a progress bar in HTML. (A plain class, not a dataclass: a dataclass costs a
    read command a millisecond to define.)"""

    __slots__ = ("bar", "kind", "label", "shown", "style", "text", "value")

    def __init__(
        self,
        label: str,
        value: Callable[[R], Cell],
        kind: SpecKind = "text",
        text: Callable[[R], str] | None = None,
        shown: Shown = "both",
        style: Callable[[R], str] | None = None,
        bar: Callable[[R], tuple[int, int]] | None = None,
    ) -> None:
        self.label = label
        self.value = value
        self.kind = kind
        self.text = text
        self.shown = shown
        self.style = style
        self.bar = bar

    def cell(self, row: R) -> str:
        """The text cell of `row`."""
        if self.text is not None:
            return self.text(row)
        return text_of(self.value(row), self.kind)


def text_of(value: Cell, kind: SpecKind) -> str:
    """A typed value as its text cell: nothing for no value, dates as YYYY-MM-DD, a percent
    with `%`, anything else as written."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if kind == "percent":
        return f"{value}%"
    return str(value)


def text_specs(specs: Sequence[Spec[R]]) -> list[Spec[R]]:
    return [spec for spec in specs if spec.shown != "grid"]


def headers(specs: Sequence[Spec[R]], labels: Mapping[str, str]) -> list[str]:
    """The headers of the text columns."""
    return [labels[spec.label] for spec in text_specs(specs)]


def text_row(specs: Sequence[Spec[R]], row: R) -> list[str]:
    """A row's text cells."""
    return [spec.cell(row) for spec in text_specs(specs)]


def grid(specs: Sequence[Spec[R]], rows: Sequence[R], labels: Mapping[str, str]) -> Grid:
    """The rows as typed cells, in the grid's columns."""
    typed = [spec for spec in specs if spec.shown != "text"]
    return Grid(
        [Column(labels[spec.label], GRID_KINDS[spec.kind]) for spec in typed],
        [[spec.value(row) for spec in typed] for row in rows],
    )


def table(
    title: str,
    specs: Sequence[Spec[R]],
    rows: Sequence[R],
    labels: Mapping[str, str],
    *,
    typed: bool = True,
    row_class: Callable[[R], str] | None = None,
    row_style: Callable[[R], str] | None = None,
    empty: str = "-",
    key: str = "",
    sheet: str = "",
    caption: str | None = None,
) -> Table:
    """The table of `rows` in the columns `specs`: text cells, typed cells (unless `typed` is
    false: csv and xlsx then take the text), each cell's style and bar; `row_class` says what
    each row is (html classes, workbook fills), `row_style` its colour on a terminal."""
    shown = text_specs(specs)
    return Table(
        title,
        headers(specs, labels),
        [text_row(specs, row) for row in rows],
        [row_style(row) for row in rows] if row_style is not None else [],
        empty=empty,
        key=key,
        sheet=sheet,
        grid=grid(specs, rows, labels) if typed else None,
        row_classes=[row_class(row) for row in rows] if row_class is not None else [],
        bars={
            index: [spec.bar(row) for row in rows]
            for index, spec in enumerate(shown)
            if spec.bar is not None
        },
        cell_styles={
            index: [spec.style(row) for row in rows]
            for index, spec in enumerate(shown)
            if spec.style is not None
        },
        caption=caption,
    )


def record(
    specs: Sequence[Spec[R]], row: R, labels: Mapping[str, str]
) -> tuple[list[list[str]], list[str]]:
    """One row shown as a table of fields (a task in `show`): a line per column, its label
    and its text, and each line's style."""
    shown = text_specs(specs)
    lines = [[labels[spec.label], spec.cell(row)] for spec in shown]
    return lines, [spec.style(row) if spec.style is not None else "" for spec in shown]
