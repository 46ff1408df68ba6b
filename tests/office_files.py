"""Breakdown tables written as the office writes them, for the import tests: a .xlsx
(openpyxl) and a .docx (python-docx) with a title row, a header, and merged cells."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

Merge = tuple[int, int, int, int]
"""first row, first column, last row, last column (0-based, inclusive) of a merged cell."""


def runs(column: Sequence[str]) -> list[tuple[int, int]]:
    """The spans of equal neighbouring values in a column, as (first, last) rows."""
    spans: list[tuple[int, int]] = []
    for at, value in enumerate(column):
        if spans and column[spans[-1][0]] == value:
            spans[-1] = (spans[-1][0], at)
        else:
            spans.append((at, at))
    return spans


def write_xlsx(path: Path, rows: Sequence[Sequence[str]], merges: Sequence[Merge] = ()) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    for top, left, bottom, right in merges:
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    sheet.cell(r + 1, c + 1).value = None  # as Excel keeps a merged range
        sheet.merge_cells(
            start_row=top + 1, start_column=left + 1, end_row=bottom + 1, end_column=right + 1
        )
    workbook.save(path)
    return path


def write_docx(
    path: Path,
    rows: Sequence[Sequence[str]],
    merges: Sequence[Merge] = (),
    title: str | None = None,
) -> Path:
    """A document with `title` as a paragraph above one table holding `rows`."""
    from docx import Document

    document = Document()
    if title:
        document.add_paragraph(title)
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for top, left, bottom, right in merges:
        keep = table.cell(top, left).text
        merged = table.cell(top, left).merge(table.cell(bottom, right))
        merged.text = keep
    document.save(str(path))
    return path


DATA = Path(__file__).parent / "data" / "import"

GOV_TITLE = "XX 市人民政府 2023 年重点工作任务分解表"
GOV_HEADER = ["序号", "重点工作", "牵头单位", "配合单位", "责任领导", "完成时限", "目标", "备注"]
GOV_ROWS = [
    ["一、稳增长", "", "", "", "", "", "", ""],
    ["1", "出台稳经济一揽子措施", "市发改委", "市财政局、市商务局等", "王明", "6月", "", ""],
    [
        "2",
        "完成老旧小区改造方案",
        "市住建局",
        "各县、市、区政府",
        "李华",
        "6月底前",
        "",
        "含加装电梯",
    ],
    ["3", "召开重点项目推进会", "市发改委", "", "王明", "6月30日前", "", ""],
    ["4", "开展营商环境评估", "市营商局", "市司法局;市市场监管局", "", "二季度", "", ""],
    ["5", "完成规上工业增加值目标", "市工信局", "", "赵强", "上半年", "增长8%以上", ""],
    ["二、惠民生", "", "", "", "", "", "", ""],
    ["6", "新建城市书房", "市文旅局", "", "", "年内", "10个", ""],
    ["7", "推进垃圾分类", "市城管局", "各区政府", "", "全年", "", ""],
    ["8", "报送民生实事进展", "市政府办", "", "", "每月", "", ""],
    ["9", "开展安全生产督查", "市应急局", "市公安局\n市消防支队", "", "每季度", "", ""],
    ["10", "报送重点工作月报", "市政府办", "", "", "每月28日前", "", ""],
    ["11", "深化作风建设", "市纪委监委", "", "", "长期坚持", "", ""],
    ["12", "1.编制规划；2.完成立项；3.开工建设", "市交通局", "", "", "六月中旬前后", "", ""],
    ["13", "启动二期工程", "市交通局", "", "", "2024年3月", "", ""],
    ["14", "筹办项目签约活动", "市投促局", "", "", "", "", ""],
    ["15", "举办秋季招聘会", "市人社局", "", "", "9月", "", ""],
    ["16", "开展就业援助月活动", "市人社局", "", "", "", "", ""],
]
"""Every deadline wording the issue lists (rows 1-11), a cell listing three tasks, a time
that cannot be read, one in another year, a row with no time, sections, a value target in an
unrecognised column, units to split, and a month cell merged over rows 15 and 16."""

ACTION_TITLE = "Parish council action plan 2019"
ACTION_HEADER = ["Ref", "Action", "Lead officer", "Lead", "Support", "Target date"]
ACTION_ROWS = [
    ["A1", "Publish the parish newsletter", "J. Smith", "Clerk", "", "End of April 2019"],
    ["A2", "Review the allotment rents", "", "Finance Committee", "Clerk, Treasurer", "Q2"],
    ["A3", "Inspect the play area", "P. Jones", "Clerk", "", "Monthly"],
    ["A4", "Adopt the budget", "", "Council", "", "30 June 2019"],
    ["A5", "Keep the footpaths clear", "", "Footpaths Group", "", "Ongoing"],
]


def gov_rows() -> list[list[str]]:
    return [[GOV_TITLE, *[""] * 7], GOV_HEADER, *GOV_ROWS]


def write_fixtures() -> None:
    """tests/data/import/*.xlsx and *.docx (run this module to rewrite them)."""
    DATA.mkdir(exist_ok=True)
    rows = gov_rows()
    # the title row and the section rows (0-based rows 2 and 8) span the table; the month
    # of tasks 15 and 16 is one merged cell
    merges: list[Merge] = [(0, 0, 0, 7), (2, 0, 2, 7), (8, 0, 8, 7), (18, 5, 19, 5)]
    write_xlsx(DATA / "gov-2023.xlsx", rows, merges)
    word_merges = [(top - 1, left, bottom - 1, right) for top, left, bottom, right in merges[1:]]
    write_docx(DATA / "gov-2023.docx", rows[1:], word_merges, title=GOV_TITLE)
    write_xlsx(DATA / "action-plan-2019.xlsx", [[ACTION_TITLE], ACTION_HEADER, *ACTION_ROWS])


if __name__ == "__main__":
    write_fixtures()
