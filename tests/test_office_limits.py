"""`planctl import` of office files that are small on disk and huge in memory: each refused
before it is read, in one line naming the limit (docs/import.md: Limits), nothing written; a
workbook's visible sheet read, its hidden rows marked for a look."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Literal

import pytest

from tests.conftest import Result, run
from tests.office_files import write_docx, write_xlsx


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read import's English wording: run here, its language would be the
    plans/2018.yaml beside them (zh; the Chinese is tests/test_i18n_messages.py's)."""
    monkeypatch.setenv("PLANCTL_LANG", "en")


pytest.importorskip("openpyxl")
pytest.importorskip("docx")

ROWS = [
    ["序号", "工作任务", "完成时限"],
    ["1", "开展调研", "6月底前"],
    ["2", "走访企业", "9月底前"],
]
SHEET = "xl/worksheets/sheet1.xml"


def rewrite(path: Path, part: str, change: str, by: str) -> None:
    """The file with `change` in its part `part` replaced by `by` (once)."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    text = parts[part].decode("utf-8")
    assert change in text, text[:500]
    parts[part] = text.replace(change, by, 1).encode("utf-8")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def refused(path: Path, tmp_path: Path, message: str) -> None:
    out = tmp_path / "out.yaml"
    result = run("import", str(path), "-o", str(out))
    assert (result.code, result.out, result.err) == (1, "", f"planctl: {path}: {message}\n")
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def imported(path: Path, tmp_path: Path) -> tuple[Result, str]:
    out = tmp_path / "out.yaml"
    result = run("import", str(path), "-o", str(out))
    return result, out.read_text(encoding="utf-8") if out.exists() else ""


def row_xml(number: int, cells: int) -> str:
    return (
        f'<row r="{number}">'
        + "".join(f'<c r="{column(at)}{number}"><v>{at}</v></c>' for at in range(1, cells + 1))
        + "</row>"
    )


def column(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def test_a_cell_far_away_is_refused_before_the_sheet_is_read(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "far.xlsx", ROWS)
    rewrite(
        path,
        SHEET,
        "</sheetData>",
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    rewrite(path, SHEET, '<dimension ref="A1:C3"/>', '<dimension ref="A1:XFD1048576"/>')
    assert path.stat().st_size < 10_000
    refused(
        path,
        tmp_path,
        "sheet Sheet reaches row 1,048,576 and column 16,384 (XFD1048576); planctl reads"
        " tables of up to 10,000 rows and 100 columns",
    )


def test_a_cell_far_away_is_found_where_the_dimension_does_not_say(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "far.xlsx", ROWS)
    rewrite(
        path,
        SHEET,
        "</sheetData>",
        '<row r="20000"><c r="A20000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    refused(
        path,
        tmp_path,
        "sheet Sheet reaches row 20,000 and column 1 (A20000); planctl reads tables of up to"
        " 10,000 rows and 100 columns",
    )


def test_a_merged_range_over_a_million_cells_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "merged.xlsx", ROWS)
    rewrite(
        path,
        SHEET,
        "</sheetData>",
        '</sheetData><mergeCells count="1"><mergeCell ref="A4:Z1000000"/></mergeCells>',
    )
    assert path.stat().st_size < 10_000
    refused(
        path,
        tmp_path,
        "sheet Sheet: merged range A4:Z1000000 reaches row 1,000,000 and column 26; planctl"
        " reads tables of up to 10,000 rows and 100 columns",
    )


def test_dense_cells_are_refused_past_the_limit(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "dense.xlsx", ROWS)
    body = "".join(row_xml(number, 30) for number in range(4, 5004))
    rewrite(path, SHEET, "</sheetData>", body + "</sheetData>")
    assert path.stat().st_size < 1_000_000
    refused(
        path,
        tmp_path,
        "sheet Sheet has more than 100,000 cells; planctl reads tables of up to 100,000 cells",
    )


def test_a_hundred_thousand_rows_are_refused_at_once(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "long.xlsx", ROWS)
    body = "".join(
        f'<row r="{n}"><c r="B{n}" t="inlineStr"><is><t>任务{n}</t></is></c></row>'
        for n in range(4, 100_004)
    )
    rewrite(path, SHEET, "</sheetData>", body + "</sheetData>")
    refused(
        path,
        tmp_path,
        "sheet Sheet reaches row 10,001 and column 2 (B10001); planctl reads tables of up to"
        " 10,000 rows and 100 columns",
    )


def _two_sheets(path: Path, first_state: Literal["hidden", "veryHidden"]) -> Path:
    """A workbook whose first sheet (state `first_state`) holds another table than the
    second, visible one."""
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "旧表"
    for row in [["序号", "工作任务", "完成时限"], ["1", "去年的任务", "3月底前"]]:
        first.append(row)
    first.sheet_state = first_state
    second = workbook.create_sheet("分解表")
    for row in ROWS:
        second.append(row)
    workbook.active = 1
    workbook.save(path)
    return path


@pytest.mark.parametrize("state", ["veryHidden", "hidden"])
def test_a_hidden_first_sheet_is_passed_over_for_the_visible_one(
    tmp_path: Path, state: Literal["hidden", "veryHidden"]
) -> None:
    path = _two_sheets(tmp_path / "分解表.xlsx", state)
    result, text = imported(path, tmp_path)
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        f"{tmp_path / 'out.yaml'}: 2 tasks read from 分解表.xlsx, 0 need a look"
        " (comments marked check)\n"
    )
    assert "去年的任务" not in text
    assert re.findall(r"title: (\S+)\n", text)[-2:] == ["开展调研", "走访企业"]


def test_hidden_rows_are_read_and_marked_for_a_look(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_xlsx(tmp_path / "分解表.xlsx", [*ROWS, ["3", "隐藏的任务", "12月底前"]])
    workbook = load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    sheet.row_dimensions[4].hidden = True
    workbook.save(path)
    result, text = imported(path, tmp_path)
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        f"{tmp_path / 'out.yaml'}: 3 tasks read from 分解表.xlsx, 1 needs a look"
        " (comments marked check)\n"
    )
    assert (
        "  # check (row 4): the row is hidden in the sheet: keep the task or leave it out\n"
        '  - id: "3"\n    title: 隐藏的任务\n'
    ) in text


# --- Word -------------------------------------------------------------------------------

BODY = re.compile(r"<w:body>.*<w:sectPr", re.S)


def word_table(rows: list[list[str]], merged_down: bool = False) -> str:
    """A Word table's XML; `merged_down`: its first column's cells below the header merged
    into one (w:vMerge)."""
    width = max(len(row) for row in rows)
    grid = "".join('<w:gridCol w:w="2000"/>' for _ in range(width))
    body = []
    for number, row in enumerate(rows):
        cells = []
        for at, text in enumerate(row):
            merge = ""
            if merged_down and at == 0 and number:
                merge = '<w:vMerge w:val="restart"/>' if number == 1 else "<w:vMerge/>"
            content = f"<w:r><w:t>{text}</w:t></w:r>" if text else ""
            cells.append(
                f'<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/>{merge}</w:tcPr>'
                f"<w:p>{content}</w:p></w:tc>"
            )
        body.append("<w:tr>" + "".join(cells) + "</w:tr>")
    return f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>"


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def write_word_body(path: Path, body: str) -> Path:
    """A .docx (python-docx's own parts) whose body is `body`."""
    write_docx(path, ROWS)
    with zipfile.ZipFile(path) as archive:
        text = archive.read("word/document.xml").decode("utf-8")
    found = BODY.search(text)
    assert found is not None
    rewrite(path, "word/document.xml", found[0], f"<w:body>{body}<w:sectPr")
    return path


def test_a_word_cell_merged_down_a_thousand_rows_is_read_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each merged cell is found from the row above, never by python-docx walking up from it
    row by row (`row.cells` does: a cell merged down 1,000 rows took 160 s)."""
    from docx.oxml.table import CT_Tc

    def walked_up(tc: CT_Tc) -> None:
        raise AssertionError("a merged cell looked up row by row")

    monkeypatch.setattr(CT_Tc, "_tr_above", property(walked_up))
    rows = [["月份", "工作任务", "牵头单位"]]
    rows += [["全年" if n == 1 else "", f"任务{n}", "办公室"] for n in range(1, 1001)]
    path = write_word_body(tmp_path / "分解表.docx", word_table(rows, merged_down=True))
    result, text = imported(path, tmp_path)
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        f"{tmp_path / 'out.yaml'}: 1000 tasks read from 分解表.docx, 0 need a look"
        " (comments marked check)\n"
    )
    assert text.count("    year_round: true\n") == 1000
    assert re.findall(r"title: (\S+)\n", text)[-1] == "任务1000"


def test_a_word_table_past_the_row_limit_is_refused(tmp_path: Path) -> None:
    rows = [["序号", "工作任务"]] + [[str(n), f"任务{n}"] for n in range(1, 10_001)]
    path = write_word_body(tmp_path / "long.docx", word_table(rows))
    refused(
        path,
        tmp_path,
        "table 1 reaches row 10,001; planctl reads tables of up to 10,000 rows and 100 columns",
    )


def test_a_document_of_five_thousand_tables_is_refused(tmp_path: Path) -> None:
    table = word_table([["序号", "工作任务"], ["1", "任务"]])
    path = write_word_body(
        tmp_path / "tables.docx", "".join(paragraph(f"表{n}") + table for n in range(5000))
    )
    assert path.stat().st_size < 100_000
    refused(path, tmp_path, "has 5,000 tables; planctl reads documents of up to 500 tables")


def test_the_warning_about_more_tables_names_ten_at_most(tmp_path: Path) -> None:
    tables = [
        paragraph(f"表{n}") + word_table([["序号", "工作任务"], *[["1", "任务"]] * n])
        for n in range(1, 31)
    ]
    path = write_word_body(tmp_path / "tables.docx", "".join(tables))
    result, _ = imported(path, tmp_path)
    assert (result.code, result.out) == (
        0,
        f"{tmp_path / 'out.yaml'}: 1 task read from tables.docx, 0 need a look"
        " (comments marked check); 1 task year-round only because no time was read\n",
    )
    assert result.err == (
        "planctl: warning: tables.docx: 1 of 1 tasks is year-round; no column looks like it"
        " holds their times\n"
        "planctl: warning: tables.docx: only the first table with tasks was read; 29 more"
        " tables list tasks (2 tasks, 3 tasks, 4 tasks, 5 tasks, 6 tasks, 7 tasks, 8 tasks,"
        " 9 tasks, 10 tasks, 11 tasks and 19 more): save each table in a file of its own and"
        " import it\n"
    )


def test_a_word_table_past_the_cell_limit_is_refused(tmp_path: Path) -> None:
    rows = [["序号", "工作任务", *[f"列{n}" for n in range(3, 61)]]]
    rows += [[str(n), f"任务{n}", *[""] * 58] for n in range(1, 2001)]
    path = write_word_body(tmp_path / "wide.docx", word_table(rows))
    refused(
        path,
        tmp_path,
        "table 1 has more than 100,000 cells; planctl reads tables of up to 100,000 cells",
    )


def test_cells_and_rows_without_a_reference_are_counted_by_their_place(tmp_path: Path) -> None:
    # the r attributes are optional: a cell without one follows the one before it
    path = write_xlsx(tmp_path / "分解表.xlsx", [*ROWS, ["3", "隐藏的任务", "12月底前"]])
    with zipfile.ZipFile(path) as archive:
        text = archive.read(SHEET).decode("utf-8")
    bare = re.sub(r'(<(?:c|row)) r="[A-Z]*[0-9]+"', r"\1", text)
    bare = bare.replace("<row>", '<row hidden="1">', 4).replace('<row hidden="1">', "<row>", 3)
    rewrite(path, SHEET, text, bare)
    result, text = imported(path, tmp_path)
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        f"{tmp_path / 'out.yaml'}: 3 tasks read from 分解表.xlsx, 1 needs a look"
        " (comments marked check)\n"
    )
    assert re.findall(r"title: (\S+)\n", text)[-3:] == ["开展调研", "走访企业", "隐藏的任务"]
    assert "  # check (row 4): the row is hidden in the sheet" in text


def test_a_word_cell_spanning_a_billion_columns_is_refused(tmp_path: Path) -> None:
    table = word_table(ROWS).replace(
        '<w:tcW w:w="2000" w:type="dxa"/>',
        '<w:tcW w:w="2000" w:type="dxa"/><w:gridSpan w:val="1000000000"/>',
        1,
    )
    path = write_word_body(tmp_path / "wide.docx", table)
    refused(
        path,
        tmp_path,
        "table 1 reaches row 1 and column 1,000,000,000; planctl reads tables of up to 10,000"
        " rows and 100 columns",
    )
