"""Workbooks print as an office prints them: A4, one page wide, the header row on every page,
who issued it and as of when in the page header, page numbers in the footer. Read back with
openpyxl, and printed to PDF by LibreOffice where it is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Planctl, RecordedStores
from tests.test_golden import history_store

openpyxl = pytest.importorskip("openpyxl")
pypdf = pytest.importorskip("pypdf")


@pytest.fixture
def db(tmp_path: Path, recorded_stores: RecordedStores) -> str:
    return recorded_stores.copy(history_store, tmp_path / "store.sqlite3")


def _book(planctl: Planctl, db: str, path: Path, *args: str) -> Any:
    assert planctl.ok(*args, "--format", "xlsx", "-o", str(path), db=db) == ""
    return openpyxl.load_workbook(str(path))


def _setup(sheet: Any) -> dict[str, Any]:
    return {
        "paper": sheet.page_setup.paperSize,
        "orientation": sheet.page_setup.orientation,
        # fitToWidth is left out of the file when it is 1, the default of the format
        "fit": (sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.page_setup.fitToWidth or 1,
                sheet.page_setup.fitToHeight),
        "repeat": sheet.print_title_rows,
        "header": (sheet.oddHeader.left.text, sheet.oddHeader.center.text,
                   sheet.oddHeader.right.text),
        "footer": sheet.oddFooter.center.text,
    }  # fmt: skip


def test_the_agenda_prints_landscape_one_page_wide_with_header_and_page_numbers(
    db: str, planctl: Planctl, tmp_path: Path
) -> None:
    sheet = _book(planctl, db, tmp_path / "due.xlsx", "due", "--month", "6").active
    assert _setup(sheet) == {
        "paper": 9,
        "orientation": "landscape",
        "fit": (True, 1, 0),
        "repeat": "$2:$2",
        "header": (
            "XX 区政协常委会",
            "2018 年区政协常委会工作要点 2018 年 6 月待办",
            "截至 2018-06-15",
        ),
        "footer": "&P / &N",
    }
    # The title row names the organisation and the day, never the plan's file.
    assert sheet["A1"].value == (
        "XX 区政协常委会 · 2018 年区政协常委会工作要点 2018 年 6 月待办 · 截至 2018-06-15"
    )
    assert str(sheet.merged_cells) == f"A1:{sheet.cell(2, sheet.max_column).column_letter}1"


def test_a_narrow_sheet_prints_portrait_and_history_and_list_carry_no_file_path(
    db: str, planctl: Planctl, tmp_path: Path
) -> None:
    book = _book(planctl, db, tmp_path / "assess.xlsx", "assess")
    rule = book["评分规则"]
    assert _setup(rule)["orientation"] == "portrait"
    for command in ("history", "list"):
        sheet = _book(planctl, db, tmp_path / f"{command}.xlsx", command).active
        assert "plans/2018.yaml" not in sheet["A1"].value
        assert sheet["A1"].value.startswith("XX 区政协常委会 · 2018 年区政协常委会工作要点 ")
        assert _setup(sheet)["header"][0] == "XX 区政协常委会"


def test_the_rule_sheet_holds_numbers_and_done_is_filled_apart_from_on_track(
    db: str, planctl: Planctl, tmp_path: Path
) -> None:
    rule = _book(planctl, db, tmp_path / "assess.xlsx", "assess")["评分规则"]
    assert [[cell.value for cell in row] for row in rule.iter_rows(min_row=3, max_row=6)] == [
        ["按期完成:在计划完成日期前完成", 100],
        ["调整后按期完成:在有原因的调整后日期前完成", 80],
        ["逾期完成:在完成日期后完成", 60],
        ["逾期未完成:过了完成日期仍未完成", 0],
    ]
    sheet = _book(planctl, db, tmp_path / "list.xlsx", "list").active
    header = [cell.value for cell in sheet[2]]
    status, light = header.index("状态") + 1, header.index("灯号") + 1
    fills = {}
    for row in sheet.iter_rows(min_row=3):
        fills[row[status - 1].value, row[light - 1].value] = row[status - 1].fill.fgColor.rgb
    assert fills[("已完成", "完成")] == "FFA9D08E"
    assert fills[("未完成", "绿")] == "FFE2EFDA"


def test_libreoffice_prints_the_june_agenda_on_one_a4_landscape_page(
    db: str, planctl: Planctl, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui)")
    _book(planctl, db, tmp_path / "due.xlsx", "due", "--month", "6")
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "due.xlsx")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    pages = pypdf.PdfReader(tmp_path / "due.pdf").pages
    assert [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages] == [
        (842, 595)
    ]
