"""Renderers: one per output format. A command builds a `View` once and hands it over here."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, TextIO


class Format(enum.StrEnum):
    """The formats every read command offers."""

    TABLE = "table"
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    HTML = "html"


@dataclass(frozen=True)
class Table:
    """A titled grid of text cells; the first column is the one a person scans."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    row_styles: list[str] = field(default_factory=list)
    """A Rich style per row, used on a terminal only (e.g. "red" for an overdue task)."""
    empty: str = "-"
    """What a table without rows shows instead (tables are not dropped, so sections stay put)."""
    cell_styles: dict[int, list[str]] = field(default_factory=dict)
    """Column index -> a style per row for that column's cells (`light-red` ...): coloured
    on a terminal and in HTML; the cell's text says the same in words."""


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: a label, how many are done out of how many."""

    label: str
    done: int
    total: int


@dataclass(frozen=True)
class View:
    """What a command shows: `data` for JSON, `tables` (and a closing line) for the rest."""

    data: dict[str, Any]
    tables: list[Table]
    footer: str | None = None
    title: str | None = None
    """A heading over all the tables (HTML pages and mail use it)."""
    chart: list[Bar] = field(default_factory=list)
    """Bars drawn above the tables in HTML (an inline SVG)."""
    lead: str | None = None
    """A line shown under the heading, before the tables."""


def emit(view: View, fmt: Format, out: TextIO, *, terminal: bool) -> None:
    """Write the view in the chosen format; tables become plain text when not on a terminal."""
    if fmt is Format.JSON:
        from planctl.render.json_out import write_json

        write_json(view, out)
    elif fmt is Format.CSV:
        from planctl.render.csv_out import write_csv

        write_csv(view, out)
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
        from planctl.render.plain import write_plain
        from planctl.render.wrap import terminal_width

        # Piped: COLUMNS, else 100. `--format text` on a terminal: the terminal's width.
        write_plain(view, out, width=terminal_width(out) if terminal else None)
