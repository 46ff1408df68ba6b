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


ISSUE_TABLES: dict[str, tuple[str, list[list[str]], list[Merge]]] = {
    # steps in one cell: ①②③ in a time cell, 1. 2. on one line, (1)(2), 一是 二是 in the task
    # cell, one per line; a cell listing tasks with no time of their own stays flagged
    "steps-2023": (
        "XX 县 2023 年重点工作清单",
        [
            ["序号", "重点工作", "进度安排", "牵头单位", "责任领导"],
            [
                "1",
                "推进城市书房建设。",
                "①2月上旬前,完成设计招标。②3月底前,完成图纸深化设计。"
                "③5月底前,完成施工许可报批并开工建设。",
                "县住建局",
                "县委常委、副县长李强",
            ],
            [
                "2",
                "实施老旧小区改造",
                "1. 3月底前完成摸底调查；2. 6月底前完成方案设计；3. 12月底前全部完工",
                "县住建局",
                "",
            ],
            ["3", "开展河道整治", "(1)每月开展一次巡查(2)每季度通报一次", "县水利局", ""],
            [
                "4",
                "建设智慧政务平台:一是4月底前完成需求调研;二是9月底前上线试运行。",
                "",
                "县数据局",
                "",
            ],
            ["5", "建设乡村振兴示范点", "3月底前完成选址\n6月底前完成建设", "县农业农村局", ""],
            ["6", "1.编制规划；2.完成立项；3.开工建设", "6月底前", "县交通局", ""],
        ],
        [],
    ),
    # windows in the text, no time column: 分别为 one target per period, a period per part,
    # a quarter named in the task itself
    "windows-2023": (
        "XX 县 2023 年目标任务书",
        [
            ["序号", "工作任务", "目标要求", "责任单位"],
            [
                "1",
                "招商引资到位资金",
                "第一、二、三、四季度任务分别为500、600、500、400万元。",
                "县商务局",
            ],
            ["2", "固定资产投资", "上半年、三季度、四季度任务分别为80、60、60万元。", "县发改局"],
            [
                "3",
                "整治农村人居环境",
                "第三季度:落实村庄清洁行动。第四季度:持续整治,开展评比。",
                "县农业农村局",
            ],
            ["4", "三季度完成全县文物普查", "", "县文旅局"],
            ["5", "完成年度目标考核", "年底前完成", "县考核办"],
            ["6", "优化营商环境", "争创一流", "县发改局"],
        ],
        [],
    ),
    # a 政协 协商计划: the headers offices use, leaders with their job title
    "consult-2023": (
        "区政协 2023 年度协商计划",
        [
            ["序号", "协商议题", "牵头界别组", "参与部门", "协商部门", "时间进度", "责任领导"],
            [
                "1",
                "推进养老服务体系建设。",
                "社会福利和社会保障界",
                "区民政局、区卫健委",
                "区政府办",
                "3月",
                "区政协副主席孙卫斌",
            ],
            ["2", "优化营商环境", "经济界", "区发改委", "区营商局", "二季度", "区政协主席王强"],
            ["3", "加强生态环境保护", "农业界、环资界", "", "区生态环境局", "9月底前", ""],
        ],
        [],
    ),
    # 工作任务 merged over the 序号 column and the text column; a column of small integers
    "merged-header-2023": (
        "XX 局 2023 年任务清单",
        [
            ["工作任务", "工作任务", "责任处室", "完成时间"],
            ["1", "修订行政执法规范", "法规处", "6月"],
            ["2", "开展执法检查", "执法处", "9月"],
            ["3", "完成年度统计", "综合处", "12月"],
        ],
        [(0, 0, 0, 1)],
    ),
    # dates as written, in Chinese and in English minutes
    "dates-2023": (
        "XX 局 2023 年工作台账",
        [
            ["序号", "工作任务", "完成时间"],
            ["1", "报送年度总结", "2023.11.8"],
            ["2", "召开工作会议", "2023年11月8日前"],
            ["3", "完成上旬检查", "11月上旬"],
            ["4", "完成中旬检查", "11月中旬"],
            ["5", "完成下旬检查", "11月下旬"],
            ["6", "修订制度", "2023.3.1；2023.6.30"],
        ],
        [],
    ),
    "tracker-2023": (
        "Board action tracker 2023",
        [
            ["Ref", "Action", "Owner", "Due", "RAG", "Status"],
            [
                "BA-01",
                "Report on waiting times.",
                "Chief Operating Officer",
                "08.11.2023",
                "Amber",
                "In progress",
            ],
            [
                "BA-02",
                "Review the risk register",
                "Director of Finance",
                "13.09.2023 / 08.11.2023",
                "Green",
                "Deferred",
            ],
            [
                "BA-03",
                "Refresh the estates strategy",
                "Director of Estates",
                "8/11/2023",
                "Red",
                "",
            ],
            ["BA-04", "Publish the annual report", "Board Secretary", "Q3 2023", "Green", ""],
            ["BA-05", "Staff survey action plan", "Director of People", "TBC", "", ""],
            ["BA-06", "Monitor the quality dashboard", "Medical Director", "Ongoing", "", ""],
            [
                "BA-07",
                "Close the 2022 audit actions",
                "Director of Finance",
                "8 November 2023",
                "",
                "",
            ],
        ],
        [],
    ),
    # never silent: times in a column it does not know, units in one it does not know; no
    # 序号, a section row, titles with a closing 。 and a title that is only a number
    "silent-2023": (
        "XX 局 2023 年重点工作",
        [
            ["工作任务", "节点", "督办科室"],
            ["一、强化服务", "", ""],
            ["编制年度工作计划。", "3月底前", "办公室"],
            ["开展作风整顿", "6月底前", "机关党委"],
            ["二、抓好落实", "", ""],
            ["7", "9月底前", "综合科"],
        ],
        [(1, 0, 1, 2), (4, 0, 4, 2)],
    ),
}
"""The tables of issue 27, as offices write them: name -> (title, rows with the header first,
merges in those rows)."""


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
    for name, (title, table, table_merges) in ISSUE_TABLES.items():
        width = len(table[0])
        shifted = [(top + 1, left, bottom + 1, right) for top, left, bottom, right in table_merges]
        write_xlsx(
            DATA / f"{name}.xlsx",
            [[title, *[""] * (width - 1)], *table],
            [(0, 0, 0, width - 1), *shifted],
        )
        write_docx(DATA / f"{name}.docx", table, table_merges, title=title)


if __name__ == "__main__":
    write_fixtures()
