"""Markdown: a heading and a pipe table per table."""

from __future__ import annotations

from typing import TextIO

from planctl.render import View
from planctl.render.safe import visible


def _cell(text: str) -> str:
    return visible(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def write_markdown(view: View, out: TextIO) -> None:
    if view.title:
        out.write(f"# {_cell(view.title)}\n\n")
    if view.lead:
        out.write(f"{visible(view.lead)}\n\n")
    for index, table in enumerate(view.tables):
        if index:
            out.write("\n")
        out.write(f"## {_cell(table.title)}\n\n")
        if not table.rows:
            out.write(f"{_cell(table.empty)}\n")
            continue
        out.write("| " + " | ".join(map(_cell, table.columns)) + " |\n")
        out.write("|" + "|".join("---" for _ in table.columns) + "|\n")
        for row in table.rows:
            out.write("| " + " | ".join(map(_cell, row)) + " |\n")
    if view.footer:
        out.write(f"\n{visible(view.footer)}\n")
