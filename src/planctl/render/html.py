"""One self-contained HTML page, made to be printed: inline CSS, an inline SVG chart, tables.

Nothing is loaded from elsewhere, so the page prints, pastes into an email and becomes a PDF
(`render/pdf.py`) as it is. Printed, it is A4 with margins; a table's header is repeated on
every page it runs onto and no row is split between pages; progress bars are CSS boxes, not
characters; a row's status is coloured and written as a word; dates and short cells never
break inside a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import escape as escape_html
from typing import TextIO

from planctl.render import Bar, ChartText, Heading, Table, View
from planctl.render.safe import visible
from planctl.render.wrap import width

STYLE = """
@page { size: A4; margin: 16mm 14mm 18mm;
        @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt;
                         color: #666; } }
html { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC",
       "Microsoft YaHei", sans-serif; font-size: 10pt; line-height: 1.45; color: #222;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 2em auto; max-width: 64em; padding: 0 1em; }
header.document { text-align: center; border-bottom: 2px solid #b22; padding-bottom: .6em;
                  margin-bottom: 1em; }
.organisation { font-size: 1.15em; letter-spacing: .08em; margin: 0; }
h1 { font-size: 1.6em; margin: .25em 0; }
h1 .kind { display: block; font-size: .7em; font-weight: normal; margin-top: .2em; }
.meta { margin: .3em 0; color: #444; }
.meta span { white-space: nowrap; }
.summary { margin: .4em 0 0; font-weight: bold; }
h2 { font-size: 1.15em; margin: 1.4em 0 .4em; border-left: 4px solid #2f6fab;
     padding-left: .4em; break-after: avoid; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 0 0 .8em; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #b8b8b8; padding: .2em .45em; text-align: left;
         vertical-align: top; }
th { background: #e8edf3; white-space: nowrap; word-break: keep-all; font-weight: bold; }
td.nw, .nw { white-space: nowrap; }
td.long { min-width: 9em; }
td.num { text-align: right; white-space: nowrap; }
tr.done td { color: #1d6b2a; }
tr.overdue td { color: #b00020; background: #fdecec; }
tr.behind td { background: #fff6d6; }
tr.red td { background: #fdecec; } tr.yellow td { background: #fff6d6; }
tr.blue td { background: #e5effa; }
td.progress { white-space: nowrap; }
.bar { display: inline-block; width: 7em; height: .75em; background: #dce4ee;
       border: 1px solid #9fb3c8; vertical-align: middle; margin-right: .4em; }
.bar span { display: block; height: 100%; background: #2f6fab; }
p.empty { color: #666; margin: 0 0 .8em; }
figure { margin: .4em 0 1em; break-inside: avoid; page-break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .85em; color: #555; }
tr td.light-red { background: #d9302c; color: #fff; }
tr td.light-yellow { background: #f2c400; color: #000; }
tr td.light-blue { background: #2f6fab; color: #fff; }
tr td.light-green { background: #3c9a46; color: #fff; }
tr td.light-grey { background: #ddd; color: #444; } tr td.light-done { color: #070; }
@media print { body { margin: 0; max-width: none; padding: 0; } }
""".strip()

SIGNOFF_STYLE = """
table.signoff { width: auto; margin-top: 2.5em; break-inside: avoid; page-break-inside: avoid; }
table.signoff th, table.signoff td { border: none; background: none; padding: .2em .4em; }
table.signoff td { min-width: 7em; border-bottom: 1px solid #888; }
""".strip()
"""The sign-off block's style, in a page that has one (others are as they were)."""

ROW_CLASSES = {"red": "overdue", "green": "done"}
"""The class of a row that has Rich styles only (no `row_classes`)."""

_DAY = r"\d{4}-\d{2}-\d{2}"
_STAMP = re.compile(rf"{_DAY}|\d{{4}}-(?:W\d{{2}}|Q\d|H\d|\d{{2}})|\d{{4}}/\d{{2}}")
"""Dates and period labels (2018-06-15, 2018-06, 2018-W23, 2018-Q2, 2019/20): never split."""
_NUMBER = re.compile(r"-?\d+%?|\d+/\d+")
"""A count, a percentage or a fraction: right-aligned where a whole column is such."""
SHORT = 12
"""A cell this wide or narrower (in columns, a Chinese character two) stays on one line."""
LONG = 24
"""A cell wider than this is given room (a title squeezed by a long neighbour is unreadable)."""


def escape(text: str) -> str:
    """Text for HTML: `<>&"'` escaped, control characters made visible as in every format."""
    return escape_html(visible(text))


def _cell_text(text: str) -> str:
    """A cell's content: escaped, a line break kept, and every date in it unbreakable."""
    parts, last = [], 0
    for match in _STAMP.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f'<span class="nw">{escape(match.group())}</span>')
        last = match.end()
    parts.append(escape(text[last:]))
    return "".join(parts).replace("\n", "<br>")


def _numeric_columns(table: Table) -> set[int]:
    """The columns of counts in a table of counts (not a list of tasks, whose month column
    may hold only numbers and still be a label); one pass over the rows."""
    if table.row_classes:
        return set()
    numeric = set(range(len(table.columns)))
    for row in table.rows:
        numeric = {col for col in numeric if _NUMBER.fullmatch(row[col])}
        if not numeric:
            break
    return numeric


def _td(text: str, numeric: bool, style: str = "") -> str:
    """A cell, classed by what it holds (a number, a short or a long text) and by its own
    style (a light: `light-red` ...)."""
    if numeric:
        kind = "num"
    elif "\n" not in text and width(text) <= SHORT:
        kind = "nw"
    elif width(text) > LONG:
        kind = "long"
    else:
        kind = ""
    classes = " ".join(word for word in (kind, style) if word)
    shown = escape(text) if numeric else _cell_text(text)
    return f'<td class="{escape(classes)}">{shown}</td>' if classes else f"<td>{shown}</td>"


def _bar_td(done: int, total: int) -> str:
    """A progress bar drawn with CSS: the done share filled, the percentage written after."""
    if not total:
        return '<td class="progress"></td>'
    percent = 100 * done // total
    return (
        f'<td class="progress"><span class="bar" role="img" aria-label="{percent}%">'
        f'<span style="width:{percent}%"></span></span>{percent}%</td>'
    )


def table_html(table: Table) -> str:
    """A table with its header in `thead` (repeated on each printed page) and its rows."""
    return "".join(table_pieces(table))


def table_pieces(table: Table) -> Iterator[str]:
    """`table_html` a row at a time (a plan's whole history is never held as one string)."""
    if not table.rows:
        yield f'<p class="empty">{escape(table.empty)}</p>'
        return
    yield "<table>\n<thead><tr>\n"
    yield "".join(f"<th>{escape(c)}</th>" for c in table.columns)
    yield "\n</tr></thead>\n<tbody>"
    classes = table.row_classes or [ROW_CLASSES.get(style, "") for style in table.row_styles]
    numeric = _numeric_columns(table)
    rows = zip(table.rows, classes, strict=True) if classes else ((row, "") for row in table.rows)
    for index, (row, words) in enumerate(rows):
        cells = []
        for col, text in enumerate(row):
            bars = table.bars.get(col)
            styles = table.cell_styles.get(col)
            style = styles[index] if styles else ""
            cells.append(
                _bar_td(*bars[index]) if bars is not None else _td(text, col in numeric, style)
            )
        opening = f'<tr class="{escape(words)}">' if words else "<tr>"
        yield "\n" + opening + "".join(cells) + "</tr>"
    yield "\n</tbody>\n</table>"


CHART_HEIGHT = 160
BAR_WIDTH = 30
BAR_GAP = 14
LEFT = 36
"""Room for the axis and its numbers, left of the first bar."""
COLOURS = {"done": "#2f6fab", "overdue": "#c62828", "open": "#cfd8e3"}
LABEL_PX = 6.5
"""How wide a column of text (`width`: a Chinese character is two) is drawn at 11 px, at
most: what the labels under the bars are measured with."""
SLANT = 0.7071
"""sin 45°: labels too wide for their bar are slanted by 45° and take this share of their
length in height."""


def label_length(label: str) -> float:
    """The drawn length of a bar's label, in px (an upper bound)."""
    return width(label) * LABEL_PX


def slanted_labels(bars: list[Bar]) -> bool:
    """Whether the labels are slanted: when any is wider than the room a bar has (`2020-03`,
    `Year-round`), so that neighbours never run together."""
    return any(label_length(bar.label) > BAR_WIDTH + BAR_GAP - 4 for bar in bars)


def _ticks(top: int) -> list[int]:
    """Whole-number ticks from 0 to at least `top`, about five of them."""
    step = max(1, -(-top // 5))
    return list(range(0, top + step, step)) if top else [0, 1]


def _text(x: int, y: int, content: str, *, anchor: str) -> str:
    """SVG text, its size an attribute (WeasyPrint does not apply CSS to SVG text)."""
    return f'<text font-size="11" x="{x}" y="{y}" text-anchor="{anchor}">{content}</text>'


def bar_chart(bars: list[Bar], text: ChartText | None = None) -> str:
    """An SVG of each bar's tasks stacked as done, overdue and still open, over a y axis with
    its ticks, the bar's label and done/total under it, and a legend."""
    ticks = _ticks(max((bar.total for bar in bars), default=0))
    top = ticks[-1]
    legend_h = 40 if text else 8
    chart_w = LEFT + len(bars) * (BAR_WIDTH + BAR_GAP) + 24  # room for a long last label
    slanted = slanted_labels(bars)
    drop = round(max(label_length(bar.label) for bar in bars) * SLANT) + 4 if slanted else 0
    total_h = legend_h + CHART_HEIGHT + 40 + drop
    base = legend_h + CHART_HEIGHT  # the y of the x axis
    label = escape(text.title) if text else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}"'
        f' width="{chart_w}" height="{total_h}" viewBox="0 0 {chart_w} {total_h}"'
        ' font-family="Noto Sans CJK SC, sans-serif" fill="#333">'
    ]
    if text:
        x = LEFT
        for key, name in (("done", text.done), ("overdue", text.overdue), ("open", text.open)):
            parts.append(
                f'<rect x="{x}" y="4" width="12" height="12" fill="{COLOURS[key]}"/>'
                f'<text font-size="11" x="{x + 16}" y="14">{escape(name)}</text>'
            )
            x += 24 + 12 * width(name) // 2 + 12
    for tick in ticks:
        tick_y = base - CHART_HEIGHT * tick // top
        parts.append(
            f'<line x1="{LEFT - 4}" y1="{tick_y}" x2="{chart_w}" y2="{tick_y}" stroke="#e3e3e3"/>'
            f'<text font-size="11" x="{LEFT - 7}" y="{tick_y + 4}" text-anchor="end">{tick}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{legend_h}" x2="{LEFT}" y2="{base}" stroke="#555"/>'
        f'<line x1="{LEFT}" y1="{base}" x2="{chart_w}" y2="{base}" stroke="#555"/>'
    )
    if text:
        parts.append(_text(4, legend_h - 10, escape(text.axis), anchor="start"))
    for index, bar in enumerate(bars):
        x = LEFT + BAR_GAP // 2 + index * (BAR_WIDTH + BAR_GAP)
        y: float = base
        segments = (("done", bar.done), ("overdue", bar.overdue),
                    ("open", bar.total - bar.done - bar.overdue))  # fmt: skip
        for key, count in segments:
            if count <= 0:
                continue
            h = CHART_HEIGHT * count / top
            y -= h
            parts.append(
                f'<rect x="{x}" y="{y:.1f}" width="{BAR_WIDTH}" height="{h:.1f}"'
                f' fill="{COLOURS[key]}"><title>{escape(bar.label)}: {count}</title></rect>'
            )
        middle = x + BAR_WIDTH // 2
        if slanted:  # done/total under the bar, the label slanted down to the left below it
            parts.append(
                _text(middle, base + 15, f"{bar.done}/{bar.total}", anchor="middle")
                + f'<text font-size="11" x="{middle + 4}" y="{base + 30}" text-anchor="end"'
                f' transform="rotate(-45 {middle + 4} {base + 30})">{escape(bar.label)}</text>'
            )
        else:
            parts.append(
                _text(middle, base + 15, escape(bar.label), anchor="middle")
                + _text(middle, base + 30, f"{bar.done}/{bar.total}", anchor="middle")
            )
    parts.append("</svg>")
    return "".join(parts)


def heading_html(heading: Heading) -> str:
    """Who issues it, the plan and what this is, its document number and as of when."""
    lines = ['<header class="document">']
    if heading.organisation:
        lines.append(f'<p class="organisation">{escape(heading.organisation)}</p>')
    lines.append(
        f'<h1>{escape(heading.title)}<span class="kind">{escape(heading.subtitle)}</span></h1>'
    )
    meta = [heading.document, heading.as_of, heading.meta]
    spans = [f"<span>{_cell_text(part)}</span>" for part in meta if part]
    if spans:
        lines.append('<p class="meta">' + " · ".join(spans) + "</p>")
    if heading.summary:
        lines.append(f'<p class="summary">{escape(heading.summary)}</p>')
    lines.append("</header>")
    return "\n".join(lines)


def page_title(view: View) -> str:
    """The document's title: the plan and what this is (never a file path, where the view
    has a heading); else the view's title or its first table's."""
    if view.heading is not None:
        return f"{view.heading.title} {view.heading.subtitle}"
    return view.title or (view.tables[0].title if view.tables else "planctl")


def css_string(text: str) -> str:
    """Text as a CSS string: every character but letters, digits and spaces written as an
    escape, so nothing in it can end the string, the rule or the style element."""
    shown = visible(text).replace("\n", " ")
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in shown) + '"'


def running_header(heading: Heading) -> str:
    """The printed page's header, on every page: the organisation, the plan and what this is,
    the day it is as of (a loose page can be told apart)."""
    boxes = (
        ("top-left", heading.organisation or ""),
        ("top-center", f"{heading.title} {heading.subtitle}"),
        ("top-right", heading.as_of or ""),
    )
    rules = " ".join(
        f"@{box} {{ content: {css_string(text)}; font-size: 8pt; color: #666; }}"
        for box, text in boxes
        if text
    )
    return f"@page {{ {rules} }}"


def signoff_html(rows: tuple[tuple[str, str], ...]) -> str:
    """The sign-off block: each label with its value, or a line to sign on."""
    cells = "".join(f"<th>{escape(label)}</th><td>{escape(value)}</td>" for label, value in rows)
    return f'<table class="signoff"><tr>{cells}</tr></table>'


def page(view: View) -> str:
    """The whole page as text."""
    return "".join(page_pieces(view))


def page_pieces(view: View) -> Iterator[str]:
    """The page in pieces, a table row at a time."""
    title = escape(page_title(view))
    header = "" if view.heading is None else running_header(view.heading) + "\n"
    if view.signoff:
        header += SIGNOFF_STYLE + "\n"
    yield (
        f'<!DOCTYPE html>\n<html lang="{escape(view.lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>\n{STYLE}\n{header}</style>\n</head>\n<body>\n"
    )
    if view.heading is not None:
        body = [heading_html(view.heading)]
    else:
        body = [f"<h1>{title}</h1>"]
        if view.lead:
            body.append(f'<p class="summary">{_cell_text(view.lead)}</p>')
    if view.chart:
        caption = view.chart_text
        body.append("<figure>")
        if caption:
            body.append(f"<h2>{escape(caption.title)}</h2>")
        body.append(bar_chart(view.chart, caption))
        if caption:
            body.append(f"<figcaption>{escape(caption.note)}</figcaption>")
        body.append("</figure>")
    yield "\n".join(body)
    for table in view.tables:
        named = table.document_title() if view.heading is not None else table.title
        if named:
            yield f"\n<h2>{escape(named)}</h2>"
        yield "\n"
        yield from table_pieces(table)
    if view.footer:
        yield f'\n<p class="footer">{escape(view.footer)}</p>'
    if view.signoff:
        yield "\n" + signoff_html(view.signoff)
    yield "\n</body>\n</html>\n"


def write_html(view: View, out: TextIO) -> None:
    for piece in page_pieces(view):
        out.write(piece)
