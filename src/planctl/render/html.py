"""One self-contained HTML page: inline CSS, an inline SVG bar chart, real tables.

Nothing is loaded from elsewhere, so the page prints, and pastes into an email, as it is.
"""

from __future__ import annotations

from html import escape as escape_html
from typing import TextIO

from planctl.render import Bar, View
from planctl.render.safe import visible

STYLE = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border: 1px solid #bbb; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
tr.overdue td { color: #a00; } tr.done td { color: #070; }
td.light-red { background: #d9302c; color: #fff; }
td.light-yellow { background: #f2c400; color: #000; }
td.light-blue { background: #2f6fab; color: #fff; }
td.light-green { background: #3c9a46; color: #fff; }
td.light-grey { background: #ddd; color: #444; } td.light-done { color: #070; }
svg text { font-size: 11px; }
@media print { body { margin: 0; } }
""".strip()

ROW_CLASSES = {"red": "overdue", "green": "done"}


def escape(text: str) -> str:
    """Text for HTML: `<>&"'` escaped, control characters made visible as in every format."""
    return escape_html(visible(text))


def _cell(text: str) -> str:
    """A table cell: a line break in it is a line break on the page."""
    return escape(text).replace("\n", "<br>")


def bar_chart(bars: list[Bar]) -> str:
    """An SVG of done (dark) against total (light) per bar."""
    width, height, gap = 36, 120, 10
    top = max((bar.total for bar in bars), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{len(bars) * (width + gap)}"'
        f' height="{height + 30}" viewBox="0 0 {len(bars) * (width + gap)} {height + 30}">'
    ]
    for index, bar in enumerate(bars):
        x = index * (width + gap)
        total_h = height * bar.total // top
        done_h = height * bar.done // top
        parts.append(
            f'<rect x="{x}" y="{height - total_h}" width="{width}" height="{total_h}"'
            f' fill="#d8e4f0"><title>{escape(bar.label)}: {bar.done}/{bar.total}</title></rect>'
        )
        parts.append(
            f'<rect x="{x}" y="{height - done_h}" width="{width}" height="{done_h}"'
            ' fill="#2f6fab"/>'
        )
        parts.append(
            f'<text x="{x + width // 2}" y="{height + 14}" text-anchor="middle">'
            f"{escape(bar.label)}</text>"
        )
        parts.append(
            f'<text x="{x + width // 2}" y="{height + 27}" text-anchor="middle">'
            f"{bar.done}/{bar.total}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def page(view: View) -> str:
    """The whole page as text."""
    title = escape(view.title or (view.tables[0].title if view.tables else "planctl"))
    body = [f"<h1>{title}</h1>"]
    if view.lead:
        body.append(f"<p>{escape(view.lead)}</p>")
    if view.chart:
        body.append(bar_chart(view.chart))
    for table in view.tables:
        body.append(f"<h2>{escape(table.title)}</h2>")
        if not table.rows:
            body.append(f"<p>{escape(table.empty)}</p>")
            continue
        body.append("<table>")
        body.append("<tr>" + "".join(f"<th>{escape(c)}</th>" for c in table.columns) + "</tr>")
        styles = table.row_styles or [""] * len(table.rows)
        for index, (row, style) in enumerate(zip(table.rows, styles, strict=True)):
            css = ROW_CLASSES.get(style)
            opening = f'<tr class="{css}">' if css else "<tr>"
            cells = []
            for column, cell in enumerate(row):
                styled = table.cell_styles.get(column)
                css_class = f' class="{styled[index]}"' if styled else ""
                cells.append(f"<td{css_class}>{_cell(cell)}</td>")
            body.append(opening + "".join(cells) + "</tr>")
        body.append("</table>")
    if view.footer:
        body.append(f"<p>{escape(view.footer)}</p>")
    return (
        '<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def write_html(view: View, out: TextIO) -> None:
    out.write(page(view))
