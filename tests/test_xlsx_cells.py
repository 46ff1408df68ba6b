"""The standard library's reader of .xlsx cells (planctl.office.xlsx_cells) reads what
openpyxl's read-only, data-only mode reads: every cell's value and number format, on a
workbook openpyxl wrote and on one written by hand the way other programs write them (inline
strings, rich text with phonetic runs, errors, formula results, booleans, 1904 dates,
absolute part names)."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, time
from pathlib import Path
from typing import Any

import pytest

from planctl.office.xlsx_cells import MAX_PART, Unreadable, column_letter, open_workbook


def _openpyxl_rows(data: bytes) -> dict[str, list[tuple[int, dict[int, tuple[Any, str]]]]]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets = {}
    for sheet in book.worksheets:
        sheet.reset_dimensions()
        rows = []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            found = {
                column: (cell.value, cell.number_format)
                for column, cell in enumerate(cells, start=1)
                if cell.value is not None or (cell.number_format or "General") != "General"
            }
            if found:
                rows.append((number, found))
        sheets[sheet.title] = rows
    book.close()
    return sheets


def _our_rows(data: bytes) -> dict[str, list[tuple[int, dict[int, tuple[Any, str]]]]]:
    book = open_workbook(data)
    sheets = {}
    for name in book.sheets:
        rows = []
        for number, cells in book.rows(name):
            found = {
                column: (cell.value, cell.number_format)
                for column, cell in cells.items()
                if cell.value is not None or cell.number_format != "General"
            }
            if found:
                rows.append((number, found))
        sheets[name] = rows
    return sheets


def test_a_workbook_openpyxl_wrote_reads_the_same(tmp_path: Path) -> None:
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "提案科"
    rows: list[list[Any]] = [
        ["编号", "本期进展", "完成百分比", "完成日期", "是否完成"],
        ["1", "已召开交办会", 0.6, datetime(2018, 6, 20), "是"],
        [2, "  正在筹备 ", 60, 43271, True],
        [3.5, "６０％", "60%", "6月20日", False],
        [None, None, 1e-3, datetime(2018, 6, 20, 9, 30), None],
    ]
    for row in rows:
        sheet.append(row)
    sheet["C2"].number_format = "0%"
    sheet["D3"].number_format = 'yyyy"年"m"月"d"日"'
    sheet["F4"].number_format = "[h]:mm:ss"
    sheet["F4"] = 1.5
    sheet["G5"] = time(9, 30)
    runs: list[str | TextBlock] = ["甲", TextBlock(InlineFont(b=True), "乙")]
    sheet["H2"] = CellRichText(runs)
    sheet["A9"] = "a row after blank ones"
    other = book.create_sheet("planctl")
    other.append(["format", "1"])
    other.append(["task", "row"])
    other.append(["1", 4])
    path = tmp_path / "book.xlsx"
    book.save(path)
    data = path.read_bytes()
    ours = _our_rows(data)
    assert ours == _openpyxl_rows(data)
    assert list(ours) == ["提案科", "planctl"]
    assert ours["提案科"][1] == (
        2,
        {1: ("1", "General"), 2: ("已召开交办会", "General"), 3: (0.6, "0%"),
         4: (datetime(2018, 6, 20), "yyyy-mm-dd h:mm:ss"), 5: ("是", "General"),
         8: ("甲乙", "General")},
    )  # fmt: skip


CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<workbookPr date1904="1"/>
<sheets><sheet name="单位" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
STYLES = """<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="176" formatCode="yyyy/m/d;@"/><numFmt numFmtId="177" formatCode="0.0%"/></numFmts>
<fonts count="1"><font><sz val="11"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="176" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="177" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="31" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""
SHARED = """<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">
<si><t>编号</t></si>
<si><r><rPr><b/></rPr><t>本期</t></r><r><t xml:space="preserve">进展 </t></r><rPh sb="0" eb="2"><t>ほんき</t></rPh></si>
<si><t>a_x005F_x000D_b</t></si>
</sst>"""
SHEET = """<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<dimension ref="A1:B2"/>
<sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
<row r="3"><c r="A3" t="inlineStr"><is><t>3</t></is></c><c r="B3" t="inlineStr"><is><r><t>正在</t></r><r><t>筹备</t></r></is></c>
<c r="C3" s="2"><v>0.605</v></c><c r="D3" s="1"><v>42905</v></c><c r="E3" t="b"><v>1</v></c>
<c r="F3" t="e"><v>#N/A</v></c><c r="G3" t="str"><f>A3&amp;"x"</f><v>3x</v></c><c r="H3"><f>1+1</f><v>2</v></c></row>
<row><c s="3"><v>42905</v></c><c t="inlineStr"><is><t>next</t></is></c><c s="4"><v>0.25</v></c><c s="4"/></row>
<row r="7" spans="1:2"><c r="B7" t="n"><v>1E-2</v></c><c r="D7" t="d"><v>2018-06-20T00:00:00</v></c></row>
</sheetData>
</worksheet>"""


def _by_hand(sheet: str = SHEET) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in [
            ("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/styles.xml", STYLES), ("xl/sharedStrings.xml", SHARED),
            ("xl/worksheets/sheet1.xml", sheet),
        ]:  # fmt: skip
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_workbook_written_by_hand_reads_as_openpyxl_reads_it() -> None:
    data = _by_hand()
    assert _our_rows(data) == _openpyxl_rows(data)
    assert _our_rows(data) == {
        "单位": [
            (1, {1: ("编号", "General"), 2: ("本期进展 ", "General"), 3: ("a_x000D_b", "General")}),
            (3, {1: ("3", "General"), 2: ("正在筹备", "General"), 3: (0.605, "0.0%"),
                 4: (datetime(2021, 6, 20), "yyyy/m/d;@"), 5: (True, "General"),
                 6: ("#N/A", "General"), 7: ("3x", "General"), 8: (2, "General")}),
            (4, {1: (42905, "General"), 2: ("next", "General"), 3: (time(6, 0), "mm-dd-yy"),
                 4: (None, "mm-dd-yy")}),
            (7, {2: (0.01, "General"), 4: (datetime(2018, 6, 20), "General")}),
        ]
    }  # fmt: skip


def test_a_part_that_unpacks_past_the_bound_is_not_read() -> None:
    padded = SHEET.replace("<sheetData>", "<sheetData>" + " " * (MAX_PART + 1))
    book = open_workbook(_by_hand(padded))
    with pytest.raises(Unreadable) as raised:
        next(iter(book.rows("单位")))
    assert str(raised.value) == (
        "xl/worksheets/sheet1.xml unpacks to 32 MiB; a part of at most 32 MiB is read"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"PK\x03\x04 not really", "File is not a zip file"),
     (b"", "File is not a zip file")],
)  # fmt: skip
def test_not_a_workbook(data: bytes, message: str) -> None:
    with pytest.raises(Unreadable) as raised:
        open_workbook(data)
    assert str(raised.value) == message


def test_column_letters() -> None:
    assert [column_letter(n) for n in (1, 3, 26, 27, 52, 703, 16384)] == [
        "A", "C", "Z", "AA", "AZ", "AAA", "XFD"
    ]  # fmt: skip
