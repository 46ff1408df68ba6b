"""docx: a view as a Word document the office edits, numbers and stamps (python-docx, the
`import` extra's, imported here only).

A4 portrait; the issuer (the plan's organisation) and a document-number line left to fill
(`〔    〕    号`) at the top; the title and what the document is; the date; each table with
its title and a header row; page numbers (a PAGE field) in the footer. Where an office's
sign-off block will go (a `[documents]` config), it follows the last table.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from planctl import install_hint
from planctl.errors import MissingPart
from planctl.render import Table, View

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

FONT = "SimSun"
"""The body's East Asian font (宋体), as Chinese official documents set it; Word substitutes
one it has where a machine lacks it."""

DOC_NUMBER = {"zh": "〔    〕    号", "en": "No. ______"}
"""The document-number line the office fills in (文号)."""


def _document() -> Document:
    try:
        import docx
    except ImportError:
        raise MissingPart(
            f"--format docx needs python-docx, which is not installed: {install_hint('import')}"
        ) from None
    return docx.Document()


def _east_asian(document: Document) -> None:
    from docx.oxml.ns import qn

    style = document.styles["Normal"]
    style.font.name = FONT
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), FONT)


def _a4(document: Document) -> None:
    from docx.shared import Mm

    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(26)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)


def _page_field(paragraph: Paragraph) -> None:
    """A PAGE field: Word shows the page's number."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if kind is None:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = text
            run._r.append(code)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _footer(document: Document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    _page_field(paragraph)
    paragraph.add_run(" —")


def _centred(document: Document, text: str, *, size: int, bold: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold


def _table(document: Document, table: Table) -> None:
    document.add_heading(table.document_title(), level=2)
    if not table.rows:
        document.add_paragraph(table.empty)
        return
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, name in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = name
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in table.rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.text = text


def docx_bytes(view: View) -> bytes:
    """The view as a .docx file: the heading, each table, page numbers."""
    document = _document()
    _east_asian(document)
    _a4(document)
    _footer(document)
    head = view.heading
    if head is not None:
        if head.organisation:
            _centred(document, head.organisation, size=22, bold=True)
        _centred(document, DOC_NUMBER.get(view.lang, DOC_NUMBER["en"]), size=14)
        _centred(document, f"{head.title} {head.subtitle}", size=18, bold=True)
        if head.as_of:
            _centred(document, head.as_of, size=14)
    elif view.title:
        _centred(document, view.title, size=18, bold=True)
    for table in view.tables:
        _table(document, table)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
