"""Plain text for pipes and cron mail: aligned columns, no colour, no box drawing.

Lines fit the page width (`COLUMNS`, else 100): the widest columns are narrowed first and
their cells wrap onto continuation lines of the same row, the columns kept aligned. A line
break in a cell continues that cell on the row's next line, so it cannot forge a row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TextIO

from planctl.render import ATOM, ATOM_LIMIT, Table, View
from planctl.render.safe import visible
from planctl.render.wrap import fit_columns, page_width, width, wrap, wrap_measured

__all__ = ["format_table", "width", "write_plain"]

GAP = "  "
MIN_COLUMN = 6
"""No column is narrowed below this, or below its header's width."""


def _lines(text: str, limit: int) -> list[str]:
    """Text of any origin as safe lines of at most `limit` columns."""
    return [piece for line in visible(text).split("\n") for piece in wrap(line, limit)]


def _cell_lines(text: str) -> list[str]:
    """A cell's lines; blank ones are dropped, as a blank line would look like a table's end."""
    return [line for line in visible(text).split("\n") if line.strip()] or [""]


Measured = list[tuple[str, int]]
"""A cell's lines, each with its width: a table measures each line once (issue 32)."""


def _measured(text: str) -> Measured:
    if text.isprintable():  # one line, nothing to escape (`visible`): the common cell
        return [(text, width(text))] if text.strip() else [("", 0)]
    return [(line, width(line)) for line in _cell_lines(text)]


def _wrap_cell(lines: Measured, limit: int) -> Measured:
    """The lines wrapped to `limit`; a line that fits is kept with the width it had (and a
    cell that fits is the same list: nothing more for the garbage collector to count)."""
    if all(size <= limit for _, size in lines):
        return lines
    wrapped: Measured = []
    for line, size in lines:
        if size <= limit:
            wrapped.append((line, size))
        else:
            wrapped += wrap_measured(line, limit)
    return wrapped


def _line(cells: Measured, widths: list[int]) -> str:
    padded = [cell + " " * (w - size) for (cell, size), w in zip(cells, widths, strict=True)]
    return GAP.join(padded).rstrip()


def _rule(widths: list[int]) -> Measured:
    return [("-" * w, w) for w in widths]


def column_widths(table: Table, budget: int) -> list[int]:
    """Widths for the table's columns that fit `budget`: each its longest line, the widest
    narrowed first, none below its header (or 6) nor, where the budget has room for them all,
    below its longest ID or date (`P10.1`, `2022-12-31`), which then never break (`floors`)."""
    header = [visible(column).replace("\n", " ") for column in table.columns]
    return _fitted([width(column) for column in header], _distinct(table), budget)


def _distinct(table: Table) -> list[dict[str, Measured]]:
    """Each column's distinct cells, measured once each (issue 32: the units, dates and
    results of 1,000 tasks are a few dozen texts)."""
    return [
        {cell: _measured(cell) for cell in dict.fromkeys(column)}
        for column in zip(*table.rows, strict=True)
    ]


def _fitted(header: list[int], columns: list[dict[str, Measured]], budget: int) -> list[int]:
    """`column_widths` of the columns' distinct cells, measured (`header`: the headers'
    widths)."""
    natural = [
        max(h, *(size for lines in cells.values() for _, size in lines))
        for h, cells in zip(header, columns, strict=True)
    ]
    minimum = [min(n, max(MIN_COLUMN, h)) for n, h in zip(natural, header, strict=True)]
    atoms, pieces = [], []
    for cells in columns:
        atom, piece = _atoms(cells)
        atoms.append(atom)
        pieces.append(piece)
    return fit_columns(natural, floors(natural, minimum, atoms, pieces, budget), budget)


def _atoms(cells: Iterable[str]) -> tuple[int, int]:
    """The widths of the longest word in the cells that must not break (`ATOM`: a task ID, a
    date, a moment) and of its longest part between spaces (a moment's date), in one pass
    over them (one search of the cells joined by line breaks, which no word spans)."""
    atom = piece = 0
    for word in ATOM.findall("\n".join(cells)):
        if len(word) <= min(atom, piece):  # neither it nor a part of it is longer
            continue
        if len(word) <= ATOM_LIMIT and any(map(str.isdigit, word)):
            atom = max(atom, len(word))
        for part in word.split(" ") if " " in word else (word,):
            if len(part) <= ATOM_LIMIT and any(map(str.isdigit, part)):
                piece = max(piece, len(part))
    return atom, piece


def floors(
    natural: list[int], minimum: list[int], atoms: list[int], pieces: list[int], budget: int
) -> list[int]:
    """How narrow each column may get: its minimum, raised to its longest ID, date or moment
    (`atoms`) where the budget has room for them all; where it has not, to its longest ID or
    date (`pieces`: a moment breaks at its spaces) with the other columns down to one wide
    character (2), so that they still fit whole; else the minimums."""
    whole = [max(low, atom) for low, atom in zip(minimum, atoms, strict=True)]
    if sum(whole) <= budget:
        return whole
    kept = [max(min(n, 2), piece) for n, piece in zip(natural, pieces, strict=True)]
    return kept if sum(kept) <= budget else minimum


def format_table(table: Table, page: int) -> list[str]:
    """The table's lines, each at most `page` columns where the columns' minimums allow:
    title, header, rule, rows."""
    title = _lines(table.title, page)
    if not table.rows:
        return title + _lines(table.empty, page)
    table = table.without_blank_columns()
    header = [visible(column).replace("\n", " ") for column in table.columns]
    header_widths = [width(column) for column in header]
    columns = _distinct(table)
    budget = page - len(GAP) * (len(header) - 1)
    widths = _fitted(header_widths, columns, budget)
    wrapped = [
        {cell: _wrap_cell(lines, w) for cell, lines in cells.items()}
        for cells, w in zip(columns, widths, strict=True)
    ]
    # Wrapping at word boundaries can leave a column narrower than it was given.
    used = [
        max(h, *(size for lines in cells.values() for _, size in lines))
        for h, cells in zip(header_widths, wrapped, strict=True)
    ]
    # Each distinct cell's lines padded to its column once; a row's lines are then joins.
    padded = [
        {cell: [line + " " * (u - size) for line, size in lines] for cell, lines in cells.items()}
        for cells, u in zip(wrapped, used, strict=True)
    ]
    blank = [" " * u for u in used]
    head = list(zip(header, header_widths, strict=True))
    lines = [*title, _line(head, used), _line(_rule(used), used)]
    for row in table.rows:
        cells = list(map(dict.__getitem__, padded, row))
        depth = max(map(len, cells))
        if depth > 1:
            cells = [
                c if len(c) == depth else c + [b] * (depth - len(c))
                for c, b in zip(cells, blank, strict=True)
            ]
        lines += map(str.rstrip, map(GAP.join, zip(*cells, strict=True)))
    return lines


def write_plain(view: View, out: TextIO, *, width: int | None = None) -> None:
    """The view as plain text wrapped to `width` columns (by default `COLUMNS`, else 100)."""
    page = width or page_width()
    blocks = ["\n".join(format_table(table, page)) for table in view.tables]
    if view.lead:
        blocks.insert(0, "\n".join(_lines(view.lead, page)))
    if view.title:
        blocks.insert(0, "\n".join(_lines(view.title, page)))
    out.write("\n\n".join(blocks) + "\n")
    if view.footer:
        out.write("\n" + "\n".join(_lines(view.footer, page)) + "\n")


def plain_pieces(
    title: str, empty: str, columns: list[str], rows: Callable[[], Iterable[list[str]]], page: int
) -> Iterator[str]:
    """`write_plain`'s text of a view that is one table (no title, lead or footer of its own)
    whose rows come from `rows()`, called twice and never held whole: a first pass measures
    the columns, a second wraps each row to them; the wrapped rows wait in a temporary file
    for the header, whose widths they decide. The same text as `write_plain`'s."""
    import json
    import tempfile

    natural = [0] * len(columns)
    atoms = [0] * len(columns)
    pieces = [0] * len(columns)
    filled = [False] * len(columns)
    count = 0
    for row in rows():
        count += 1
        for index, cell in enumerate(row):
            filled[index] = filled[index] or bool(cell.strip())
            natural[index] = max(natural[index], *map(width, _cell_lines(cell)))
            atom, piece = _atoms((cell,))
            atoms[index] = max(atoms[index], atom)
            pieces[index] = max(pieces[index], piece)
    if not count:
        yield "\n".join(_lines(title, page) + _lines(empty, page)) + "\n"
        return
    kept = [index for index in range(len(columns)) if filled[index]]  # without blank columns
    header = [visible(columns[index]).replace("\n", " ") for index in kept]
    wide = [max(width(name), natural[index]) for name, index in zip(header, kept, strict=True)]
    minimum = [min(n, max(MIN_COLUMN, width(h))) for n, h in zip(wide, header, strict=True)]
    budget = page - len(GAP) * (len(header) - 1)
    atoms_kept, pieces_kept = [atoms[i] for i in kept], [pieces[i] for i in kept]
    widths = fit_columns(wide, floors(wide, minimum, atoms_kept, pieces_kept, budget), budget)
    used = [width(name) for name in header]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for row in rows():
            cells = [
                _wrap_cell(_measured(row[index]), limit)
                for index, limit in zip(kept, widths, strict=True)
            ]
            used = [
                max(u, *(size for _, size in cell)) for u, cell in zip(used, cells, strict=True)
            ]
            spool.write(json.dumps(cells, ensure_ascii=False) + "\n")
        spool.seek(0)
        named = [(name, width(name)) for name in header]
        head = [*_lines(title, page), _line(named, used), _line(_rule(used), used)]
        pending = ["\n".join(head) + "\n"]
        size = 0
        for spooled in spool:
            cells = json.loads(spooled)
            for index in range(max(map(len, cells))):
                line = _line(
                    [cell[index] if index < len(cell) else ("", 0) for cell in cells], used
                )
                pending.append(line + "\n")
                size += len(line)
            if size >= PIECE:
                yield "".join(pending)
                pending, size = [], 0
        yield "".join(pending)


PIECE = 64 * 1024
"""The size of the pieces `plain_pieces` writes its text in."""
