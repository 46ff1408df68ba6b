"""`planctl import`: a breakdown table (.xlsx, .docx) read into a draft plan file.

The fixtures in tests/data/import/ are written by tests/office_files.py (run it to rewrite
them); each one's whole draft is asserted against the .yaml beside it
(PLANCTL_TEST_UPDATE_GOLDEN=1 rewrites those; read the diff)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from planctl.office.cellsteps import named_periods, shares, spanning, timed_parts
from planctl.office.deadlines import Unread, read_deadline, read_time_cell
from planctl.office.table import header_key
from planctl.office.units import leader_name, split_units
from planctl.plan.load import load_plan
from planctl.plan.model import Plan
from tests.conftest import run
from tests.office_files import DATA, ISSUE_TABLES, runs, write_docx, write_xlsx


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read import's English wording: run here, its language would be the
    plans/2018.yaml beside them (zh; the Chinese is tests/test_i18n_messages.py's)."""
    monkeypatch.setenv("PLANCTL_LANG", "en")


UPDATE = bool(os.environ.get("PLANCTL_TEST_UPDATE_GOLDEN"))
DUTIES_FROM_WORK_POINTS = {"P10.1", "P10.2", "P11.1"}


def seed_rows(plan: Plan) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """The 2018 table tasks laid out as the seed's table: a title row, 月 份 | 重 点 工 作 (again
    before 9 月份, as the seed's second page), one row per task, each month's cell merged over
    its rows, 全年 for the year-round rows."""
    tasks = [task for task in plan.tasks if task.id not in DUTIES_FROM_WORK_POINTS]
    header = ["月 份", "重 点 工 作"]
    body = [["全年" if task.year_round else f"{task.month} 月份", task.title] for task in tasks]
    september = next(at for at, row in enumerate(body) if row[0] == "9 月份")
    body.insert(september, header)  # the seed's table starts again on a new page at 9 月份
    rows = [["XX 区政协常委会 2018 年重点工作分解表", ""], header, *body]
    merges = [(0, 0, 0, 1)]
    merges += [
        (2 + first, 0, 2 + last, 0) for first, last in runs([r[0] for r in body]) if last > first
    ]
    return rows, merges


def windows(plan: Plan) -> list[tuple[str, int | str | None, bool]]:
    return [(task.title, task.month, task.year_round) for task in plan.tasks]


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_the_2018_table_round_trips(tmp_path: Path, plan_2018: Plan, kind: str) -> None:
    rows, merges = seed_rows(plan_2018)
    table = tmp_path / f"2018分解表.{kind}"
    if kind == "xlsx":
        write_xlsx(table, rows, merges)
    else:
        word = [(top - 1, left, bottom - 1, right) for top, left, bottom, right in merges[1:]]
        write_docx(table, rows[1:], word, title=rows[0][0])
    result = run("import", str(table), "-o", str(tmp_path / "2018.yaml"))
    assert (result.code, result.err) == (0, "")
    assert (
        result.out
        == f"{tmp_path / '2018.yaml'}: 38 tasks read from {table.name}, 0 need a look (comments marked check)\n"
    )
    draft = load_plan(tmp_path / "2018.yaml")
    expected = [task for task in plan_2018.tasks if task.id not in DUTIES_FROM_WORK_POINTS]
    assert len(expected) == 38
    assert windows(draft) == windows(Plan.model_construct(tasks=expected))
    assert sum(task.year_round for task in draft.tasks) == 9
    assert (draft.year, draft.title, draft.language) == (
        2018,
        "XX 区政协常委会 2018 年重点工作分解表",
        "zh",
    )
    assert run("check", str(tmp_path / "2018.yaml")).code == 0


def test_month_cells_merge_over_the_rows_of_their_month(plan_2018: Plan) -> None:
    rows, merges = seed_rows(plan_2018)
    spans = {rows[top][0]: bottom - top + 1 for top, _, bottom, _ in merges[1:]}
    assert spans == {"1 月份": 2, "2 月份": 2, "3 月份": 5, "4 月份": 3, "6 月份": 3, "7 月份": 2,
                     "8 月份": 2, "9 月份": 3, "10 月份": 2, "11 月份": 2, "12 月份": 2, "全年": 9}  # fmt: skip


@pytest.mark.parametrize("name", ["gov-2023.xlsx", "gov-2023.docx", "action-plan-2019.xlsx"])
def test_each_table_gives_exactly_its_draft(tmp_path: Path, name: str) -> None:
    result = run("import", str(DATA / name))
    expected = DATA / (name.replace(".", "-") + ".yaml")
    if UPDATE:
        expected.write_text(result.out, encoding="utf-8")
    assert result.code == 0, result.err
    assert result.out == expected.read_text(encoding="utf-8")
    looks = {"gov-2023.xlsx": 2, "gov-2023.docx": 2, "action-plan-2019.xlsx": 0}[name]
    tasks = {"gov-2023.xlsx": 16, "gov-2023.docx": 16, "action-plan-2019.xlsx": 5}[name]
    unread = {"gov-2023.xlsx": 2, "gov-2023.docx": 2, "action-plan-2019.xlsx": 0}[name]
    said = (
        "; 2 tasks with a time not read, 1 task year-round only because no time was read"
        if unread
        else ""
    )
    assert (
        result.err
        == f"{tasks} tasks read from {name}, {looks} need a look (comments marked check){said}\n"
    )
    written = tmp_path / "plan.yaml"
    written.write_text(result.out, encoding="utf-8")
    checked = run("check", str(written))
    assert checked.code == 0, checked.err


def test_the_word_and_the_excel_table_give_the_same_plan() -> None:
    xlsx = load_plan(DATA / "gov-2023-xlsx.yaml")
    docx = load_plan(DATA / "gov-2023-docx.yaml")
    assert xlsx == docx


def test_every_deadline_wording_is_read_into_its_window() -> None:
    plan = load_plan(DATA / "gov-2023-xlsx.yaml")
    window = {
        task.id: {key: value for key, value in task.model_dump(exclude_defaults=True).items()
                  if key in {"month", "quarter", "due", "start", "year_round", "every", "by"}}
        for task in plan.tasks
    }  # fmt: skip
    assert window == {
        "1": {"month": 6},  # 6月
        "2": {"due": 6},  # 6月底前
        "3": {"due": date(2023, 6, 30)},  # 6月30日前
        "4": {"quarter": 2},  # 二季度
        "5": {"due": 6},  # 上半年
        "6": {"year_round": True},  # 年内
        "7": {"year_round": True},  # 全年
        "8": {"every": "month"},  # 每月
        "9": {"every": "quarter"},  # 每季度
        "10": {"every": "month", "by": 28},  # 每月28日前
        "11": {"year_round": True},  # 长期坚持
        "12": {"year_round": True},  # 六月中旬前后: not read, said in a comment
        "13": {"year_round": True},  # 2024年3月: another year, said in a comment
        "14": {"year_round": True},  # no time at all
        "15": {"month": 9},
        "16": {"month": 9},  # the merged month cell, carried down
    }
    english = load_plan(DATA / "action-plan-2019-xlsx.yaml")
    assert english.tasks[0].due == 4  # End of April 2019


@pytest.mark.parametrize(
    ("words", "year", "keys"),
    [
        ("6月", 2018, {"month": 6}),
        ("6 月份", 2018, {"month": 6}),
        ("六月", 2018, {"month": 6}),
        ("十二月", 2018, {"month": 12}),
        ("6月底前", 2018, {"due": 6}),
        ("2018年6月底前", 2018, {"due": 6}),
        ("6月30日前", 2018, {"due": date(2018, 6, 30)}),
        ("６月３０日前", 2018, {"due": date(2018, 6, 30)}),
        ("6月中旬前", 2018, {"due": date(2018, 6, 20)}),
        ("3-6月", 2018, {"due": 6, "start": 3}),
        ("二季度", 2018, {"quarter": 2}),
        ("第三季度", 2018, {"quarter": 3}),
        ("二季度末前", 2018, {"due": 6}),
        ("上半年", 2018, {"due": 6}),
        ("下半年", 2018, {"due": 12, "start": 7}),
        ("年底前", 2018, {"due": 12}),
        ("年内", 2018, {"year_round": True}),
        ("全年", 2018, {"year_round": True}),
        ("长期坚持", 2018, {"year_round": True}),
        ("", 2018, {"year_round": True}),
        ("每月", 2018, {"every": "month"}),
        ("每季度", 2018, {"every": "quarter"}),
        ("每季度末", 2018, {"months": [3, 6, 9, 12]}),
        ("每月28日前", 2018, {"every": "month", "by": 28}),
        ("每周", 2018, {"every": "week"}),
        ("6", 2018, {"month": 6}),
        ("2018-06-30", 2018, {"due": date(2018, 6, 30)}),
        ("End of April 2019", 2019, {"due": 4}),
        ("April 2019", 2019, {"month": 4}),
        ("by 30 June 2019", 2019, {"due": date(2019, 6, 30)}),
        ("June 30, 2019", 2019, {"due": date(2019, 6, 30)}),
        ("Q2", 2019, {"quarter": 2}),
        ("Ongoing", 2019, {"year_round": True}),
        ("Monthly", 2019, {"every": "month"}),
        ("08.11.2023", 2023, {"due": date(2023, 11, 8)}),  # day.month.year, as minutes write it
        ("8/11/2023", 2023, {"due": date(2023, 11, 8)}),  # day first
        ("2023.11.8", 2023, {"due": date(2023, 11, 8)}),
        ("2023/11/08", 2023, {"due": date(2023, 11, 8)}),
        ("2023年11月8日前", 2023, {"due": date(2023, 11, 8)}),
        ("11月上旬", 2023, {"due": date(2023, 11, 10)}),
        ("11月中旬", 2023, {"due": date(2023, 11, 20)}),
        ("11月下旬", 2023, {"due": date(2023, 11, 30)}),
        ("Q3 2023", 2023, {"quarter": 3}),
        ("March 2024", 2024, {"month": 3}),
        ("8 November 2023", 2023, {"due": date(2023, 11, 8)}),
    ],
)
def test_a_deadline_wording_gives_window_keys(
    words: str, year: int, keys: dict[str, object]
) -> None:
    assert read_deadline(words, year) == keys


@pytest.mark.parametrize(
    ("words", "reason"),
    [
        ("六月中旬前后", "is not a wording planctl reads"),
        ("6月前", "is not a wording planctl reads"),
        ("2024年3月", "names 2024, outside the plan's year 2018"),
        ("End of April 2019", "names 2019, outside the plan's year 2018"),
        ("13月", "names month 13, which is not a month"),
        ("2月30日前", "names 2018-02-30, which is not a day"),
        ("每月32日前", "names day 32, which is not a day of a month"),
        ("8-6月", "names months 8 to 6, not a span within one year"),
        ("定期", "is not a wording planctl reads"),
        ("十十月", "is not a wording planctl reads"),  # not a number
        ("TBC", "is still to be confirmed"),
        ("待定", "is still to be confirmed"),
        ("31.02.2018", "names 2018-02-31, which is not a day"),
        ("08.11.2019", "names 2019, outside the plan's year 2018"),
    ],
)
def test_a_wording_that_cannot_be_read_says_why(words: str, reason: str) -> None:
    unread = read_deadline(words, 2018)
    assert (unread, isinstance(unread, Unread) and unread.reason) == (Unread(reason), reason)


@pytest.mark.parametrize(
    ("words", "keys", "earlier"),
    [
        ("13.09.2023 / 08.11.2023", {"due": date(2023, 11, 8)}, "13.09.2023"),
        ("6月底前\n9月底前", {"due": 9}, "6月底前"),
        ("2023.3.1；2023.6.30", {"due": date(2023, 6, 30)}, "2023.3.1"),
        ("6月底前", {"due": 6}, None),
    ],
)
def test_of_two_dates_in_a_cell_the_last_is_the_due_day(
    words: str, keys: dict[str, object], earlier: str | None
) -> None:
    assert read_time_cell(words, 2023) == (keys, earlier)


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("市发改委、市财政局等", ["市发改委", "市财政局"]),
        (
            "市发改委,市财政局，市商务局;市统计局；市税务局\n市人社局",
            ["市发改委", "市财政局", "市商务局", "市统计局", "市税务局", "市人社局"],
        ),
        ("各县、市、区政府", ["各县、市、区政府"]),
        ("市发改委、各县、市、区政府，市财政局", ["市发改委", "各县、市、区政府", "市财政局"]),
        ("市交通局、市交通局", ["市交通局"]),
        ("市公安局等相关部门", ["市公安局"]),
        ("", []),
    ],
)
def test_units_are_split_as_offices_write_them(text: str, units: list[str]) -> None:
    assert split_units(text) == units


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        ("区政协副主席孙卫斌", "孙卫斌", "区政协副主席"),
        ("副县长李强", "李强", "副县长"),
        ("县委常委、副县长李强", "李强", "县委常委、副县长"),
        ("市委常委，常务副市长张三丰", "张三丰", "市委常委，常务副市长"),
        ("王明", "王明", None),
        ("区政协办公室主任", "区政协办公室主任", None),  # a post, no name after it
        ("J. Smith", "J. Smith", None),
    ],
)
def test_a_leader_keeps_the_name_and_the_job_title_apart(
    text: str, name: str, title: str | None
) -> None:
    assert leader_name(text) == (name, title)


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("序 号", "id"),
        ("月 份", "time"),
        ("重 点 工 作", "title"),
        ("牵头责任单位", "lead"),
        ("协同责任单位", "support"),
        ("责任单位", "units"),
        ("牵头负责领导", "leader"),
        ("完成时限", "time"),
        ("时间节点", "time"),
        ("备注", "source"),
        ("Lead officer", "leader"),
        ("Target date", "time"),
        ("Actions", "title"),
        ("Provider", None),
        ("目标", None),
        ("协商议题", "title"),
        ("议题", "title"),
        ("调研课题", "title"),
        ("牵头界别组", "lead"),
        ("参与部门", "support"),
        ("协商部门", "support"),
        ("承办单位", "units"),
        ("协办单位", "support"),
        ("责任处室", "units"),
        ("时间进度", "time"),
        ("完成时间", "time"),
        ("Ref", "id"),
        ("Owner", "lead"),
        ("Due", "time"),
        ("Deadline", "time"),
        ("RAG", "source"),
        ("Status", "source"),
    ],
)
def test_headers_are_recognised_by_the_longest_known_name(header: str, key: str | None) -> None:
    assert header_key(header) == key


def unit_table(tmp_path: Path, header: list[str], row: list[str]) -> Path:
    return write_xlsx(tmp_path / "t.xlsx", [header, row])


def test_responsible_units_lead_alone_and_support_beside_a_lead_column(tmp_path: Path) -> None:
    alone = unit_table(tmp_path, ["工作任务", "责任单位"], ["建设", "市住建局、市财政局"])
    assert "    lead: [市住建局, 市财政局]\n" in run("import", str(alone)).out
    beside = unit_table(
        tmp_path, ["工作任务", "牵头单位", "责任单位"], ["建设", "市住建局", "市财政局"]
    )
    out = run("import", str(beside)).out
    assert "    lead: [市住建局]\n    support: [市财政局]\n" in out


def test_column_names_a_header_planctl_does_not_know(tmp_path: Path) -> None:
    table = unit_table(tmp_path, ["事情", "何时"], ["修路", "6月"])
    refused = run("import", str(table))
    assert refused.code == 1
    assert refused.err == (
        "planctl: t.xlsx: no column of tasks: no header names the tasks (重点工作, 工作任务, 任务,"
        " Action ...); name it with --column HEADER=title\n"
    )
    result = run(
        "import",
        str(table),
        "--column",
        "事 情=title",
        "--column",
        "何时=time",
        "--year",
        "2020",
        "--id",
        "roads",
        "--title",
        "Roads",
    )
    assert result.code == 0, result.err
    assert result.out == (
        "# A draft plan made by `planctl import` from t.xlsx.\n"
        "# columns: 事情 -> title, 何时 -> time\n"
        "id: roads\nyear: 2020\ntitle: Roads\nlanguage: zh\nsections: []\ntasks:\n"
        '  - id: "1"\n    title: 修路\n    month: 6\n'
    )


def test_unknown_columns_go_into_the_source_as_header_and_text(tmp_path: Path) -> None:
    table = unit_table(tmp_path, ["任务", "考核指标", "时间"], ["招商引资", "增长8%以上", "全年"])
    out = run("import", str(table), "--today", "2021-03-01").out
    assert out.endswith(
        '  - id: "1"\n    title: 招商引资\n    year_round: true\n    source: "考核指标: 增长8%以上"\n'
    )
    assert "year: 2021\n" in out  # no year in the title or the file name: today's


def test_the_year_comes_from_the_file_name_without_a_title_row(tmp_path: Path) -> None:
    table = write_xlsx(tmp_path / "任务分解表2022.xlsx", [["任务", "时间"], ["招商", "3月"]])
    out = run("import", str(table)).out
    assert "id: 2022\n" not in out
    assert "year: 2022\ntitle: 任务分解表2022\n" in out
    assert "id: plan-2022\n" in out


def test_an_existing_output_file_is_kept_unless_force(tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text("mine\n", encoding="utf-8")
    table = DATA / "action-plan-2019.xlsx"
    refused = run("import", str(table), "-o", str(target))
    assert (refused.code, refused.out) == (1, "")
    assert refused.err == f"planctl: {target} exists; give --force to replace it\n"
    assert target.read_text(encoding="utf-8") == "mine\n"
    replaced = run("import", str(table), "-o", str(target), "--force")
    assert replaced.code == 0
    assert target.read_text(encoding="utf-8") == (DATA / "action-plan-2019-xlsx.yaml").read_text(
        encoding="utf-8"
    )


def test_bad_files_are_one_line_and_exit_1(tmp_path: Path) -> None:
    text = tmp_path / "plan.txt"
    text.write_text("x", encoding="utf-8")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    fake_word = tmp_path / "fake.docx"
    fake_word.write_bytes(b"PK\x03\x04broken")
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    empty = write_xlsx(tmp_path / "empty.xlsx", [])
    from docx import Document

    no_table = tmp_path / "words.docx"
    document = Document()
    document.add_paragraph("2018 年工作要点")
    document.save(str(no_table))
    no_tasks = write_xlsx(tmp_path / "numbers.xlsx", [["月份", "金额"], ["1", "100"]])
    cases = {
        text: f"planctl: {text}: not a .xlsx or .docx file",
        tmp_path
        / "missing.xlsx": f"planctl: cannot read {tmp_path / 'missing.xlsx'}: no such file",
        fake: f"planctl: {fake}: not an Excel workbook (.xlsx), or a damaged one",
        fake_word: f"planctl: {fake_word}: not a Word document (.docx), or a damaged one",
        old: f"planctl: {old}: an old binary .xls file; save it as .xlsx and import that",
        empty: f"planctl: {empty}: no table in it",
        no_table: f"planctl: {no_table}: no table in it",
        no_tasks: "planctl: numbers.xlsx: no column of tasks: no header names the tasks (重点工作,"
        " 工作任务, 任务, Action ...); name it with --column HEADER=title",
        tmp_path: f"planctl: {tmp_path}: not a .xlsx or .docx file",
    }
    for path, message in cases.items():
        result = run("import", str(path), "-o", str(tmp_path / "out.yaml"))
        assert (result.code, result.out, result.err) == (1, "", message + "\n"), path
        assert not (tmp_path / "out.yaml").exists()


def test_a_bad_column_option_is_one_line(tmp_path: Path) -> None:
    result = run("import", str(DATA / "gov-2023.xlsx"), "--column", "目标=target")
    assert (result.code, result.err) == (
        1,
        "planctl: --column '目标=target': write HEADER=KEY, KEY one of id, title, time, lead,"
        " support, leader, kind, source, ignore\n",
    )


HOSTILE_TITLES = [
    "yes", "010", "2018-06-30", "null", "~", "- 列表", "[方括号]", "{花括号}", "* 星号",
    "& 锚点", "! 标签", "# 井号", "召开会议: 通过报告", "文本 # 注释", "'单引号'", '"双引号"',
    "末尾空格 ", "颜色\x9b31m红", "反向\u202e文字", "换\u2028行", "制表\t符", "\\反斜杠",
    "多行\n第二行",
]  # fmt: skip


def test_cell_text_comes_back_exactly_and_never_drives_a_terminal(tmp_path: Path) -> None:
    header = ["工作\n任务", "完成\n时限", "牵头单位"]
    rows = [
        [title, "6月\n底前" if at == 0 else "", "甲, 乙"] for at, title in enumerate(HOSTILE_TITLES)
    ]
    table = write_xlsx(tmp_path / "t.xlsx", [header, *rows])
    result = run("import", str(table), "--year", "2018")
    assert result.code == 0, result.err
    for hidden in ("\x9b", "\u202e", "\u2028"):
        assert hidden not in result.out
    written = tmp_path / "plan.yaml"
    written.write_text(result.out, encoding="utf-8")
    plan = load_plan(written)
    # a title is one line: white space (line breaks, tabs, controls made spaces) runs as one space
    expected = [
        " ".join(t.replace("\x9b", " ").replace("\u2028", " ").split()) for t in HOSTILE_TITLES
    ]
    assert [task.title for task in plan.tasks] == expected
    assert plan.tasks[0].due == 6  # "6月\n底前": the line break is white space
    assert plan.tasks[0].lead == ["甲", "乙"]
    assert "# columns: 工作 任务 -> title, 完成 时限 -> time, 牵头单位 -> lead\n" in result.out
    assert "\\u202e" in result.out


def test_merged_numbers_and_task_cells_and_a_repeated_header(tmp_path: Path) -> None:
    header = ["序号", "重点工作", "具体任务", "责任单位", "时间"]
    rows = [
        ["2023 年任务分解表", "", "", "", ""],
        header,
        ["一", "稳增长", "出台措施", "市发改委", "3月"],
        ["", "", "落实措施", "市财政局", "4月"],
        header,  # the table continued on the next page
        ["二", "惠民生", "建设书房", "市文旅局", "全年"],
        ["", "", "", "各县、市、区政府", ""],
    ]
    merges = [
        (0, 0, 0, 4),
        (2, 0, 3, 0),
        (2, 1, 3, 1),
        (5, 0, 6, 0),
        (5, 1, 6, 1),
        (5, 2, 6, 2),
        (5, 4, 6, 4),
    ]
    table = write_xlsx(tmp_path / "t.xlsx", rows, merges)
    result = run("import", str(table))
    assert (result.code, result.err) == (
        0,
        "3 tasks read from t.xlsx, 0 need a look (comments marked check)\n",
    )
    assert (
        result.out
        == """\
# A draft plan made by `planctl import` from t.xlsx.
# columns: 序号 -> id, 重点工作 -> source, 具体任务 -> title, 责任单位 -> lead, 时间 -> time
id: t-2023
year: 2023
title: 2023 年任务分解表
language: zh
sections: []
tasks:
  - id: 1-1
    title: 出台措施
    month: 3
    lead: [市发改委]
    source: "重点工作: 稳增长"
  - id: 1-2
    title: 落实措施
    month: 4
    lead: [市财政局]
    source: "重点工作: 稳增长"
  - id: "2"
    title: 建设书房
    year_round: true
    lead: [市文旅局, 各县、市、区政府]
    source: "重点工作: 惠民生"
"""
    )


def test_bad_id_title_and_year_options_are_one_line(tmp_path: Path) -> None:
    table = str(DATA / "action-plan-2019.xlsx")
    cases = {
        (
            "--id",
            "计划",
        ): "planctl: --id '计划': an ID is 1-32 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit",
        (
            "--id",
            "plan-2019\n",
        ): "planctl: --id 'plan-2019\\n': an ID is 1-32 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit",
        ("--title", "a\x1bb"): "planctl: --title: control character 0x001b is not allowed",
        ("--title", " "): "planctl: --title is one line of text",
        ("--year", "3000"): "planctl: --year must be between 1900 and 2999, not 3000",
    }
    for option, message in cases.items():
        result = run("import", table, *option)
        assert (result.code, result.out, result.err) == (1, "", message + "\n"), option


def test_rows_under_a_merged_task_cell_add_their_units(tmp_path: Path) -> None:
    rows = [
        ["任务", "牵头单位", "配合单位"],
        ["修路", "市交通局", "市财政局"],
        ["", "市财政局", "市住建局"],
    ]
    table = write_xlsx(tmp_path / "t.xlsx", rows, [(1, 0, 2, 0)])
    out = run("import", str(table), "--year", "2020").out
    assert out.endswith(
        "    title: 修路\n    year_round: true\n    lead: [市交通局, 市财政局]\n    support: [市住建局]\n"
    )


def test_without_the_readers_installed_import_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if not installed
    monkeypatch.setitem(sys.modules, "docx", None)
    for name, package in (("gov-2023.xlsx", "openpyxl"), ("gov-2023.docx", "python-docx")):
        result = run("import", str(DATA / name))
        kind = name.rsplit(".", 1)[1]
        assert (result.code, result.out, result.err) == (
            1,
            "",
            f"planctl: reading a .{kind} file needs {package}: pip install 'planctl-office[import]'\n",
        )


def test_a_word_table_split_across_pages_is_read_as_one(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("2020 年重点工作分解表")
    for rows in ([["月份", "重点工作"], ["1月", "甲"]], [["月份", "重点工作"], ["2月", "乙"]]):
        table = document.add_table(rows=len(rows), cols=2)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    document.add_paragraph("附表")
    other = document.add_table(rows=2, cols=2)
    other.cell(0, 0).text, other.cell(1, 0).text = "任务", "丙"
    path = tmp_path / "t.docx"
    document.save(str(path))
    result = run("import", str(path))
    assert result.err == (
        "2 tasks read from t.docx, 0 need a look (comments marked check)\n"
        "planctl: warning: t.docx: only the first table with tasks was read; 1 more table lists"
        " tasks (1 task): save each table in a file of its own and import it\n"
    )  # the 附表 after a paragraph is a table of its own
    assert result.out.endswith(
        '  - id: "1"\n    title: 甲\n    month: 1\n  - id: "2"\n    title: 乙\n    month: 2\n'
    )


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_a_file_that_unpacks_to_too_much_is_refused_before_it_is_parsed(
    tmp_path: Path, kind: str
) -> None:
    """A zip bomb: a small file whose parts unpack to more XML than any table needs."""
    import zipfile

    rows = [["序号", "工作任务", "完成时限"], ["1", "开展调研", "6月底前"]]
    path = tmp_path / f"bomb.{kind}"
    (write_xlsx if kind == "xlsx" else write_docx)(path, rows)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        # With Word's own parts (0.8 MB) or Excel's (16 KB): 65 MiB of XML, rounded.
        padding = (65 * 2**20 if kind == "xlsx" else 64 * 2**20) + 2**18
        archive.writestr("padding/extra.xml", b"<a/>" + b" " * padding)
    assert path.stat().st_size < 2**20
    result = run("import", str(path), "-o", str(tmp_path / "out.yaml"))
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"planctl: {path}: unpacks to 65 MiB (65 MiB of it XML) in"
        f" {len(zipfile.ZipFile(path).infolist())} parts; planctl reads office files of up to"
        " 64 MiB of XML, 512 MiB in all and 10,000 parts\n"
    )
    assert not (tmp_path / "out.yaml").exists()


def test_tables_of_tasks_after_the_first_are_named_not_dropped_silently(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    header = ["序号", "重点工作", "牵头单位", "完成时限"]
    for section, rows in (
        (
            "一、稳增长",
            [
                header,
                ["1", "出台稳经济措施", "市发改委", "6月"],
                ["2", "改造方案", "市住建局", "9月"],
            ],
        ),
        ("二、惠民生", [header, ["1", "新建学校", "市教育局", "12月"]]),
        ("三、资金", [["月份", "金额"], ["1", "100"]]),  # no column of tasks
        (
            "四、保安全",
            [header, ["1", "排查隐患", "市应急局", "3月"], ["2", "演练", "市应急局", "5月"]],
        ),
    ):
        document.add_paragraph(section)
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    path = tmp_path / "分解表.docx"
    document.save(str(path))
    result = run("import", str(path), "-o", str(tmp_path / "out.yaml"))
    assert (result.code, result.out) == (
        0,
        f"{tmp_path / 'out.yaml'}: 2 tasks read from 分解表.docx, 0 need a look"
        " (comments marked check)\n",
    )
    assert result.err == (
        "planctl: warning: 分解表.docx: only the first table with tasks was read; 2 more tables"
        " list tasks (1 task, 2 tasks): save each table in a file of its own and import it\n"
    )
    assert [task.title for task in load_plan(tmp_path / "out.yaml").tasks] == [
        "出台稳经济措施",
        "改造方案",
    ]


ISSUE_FILES = [f"{name}.{kind}" for name in ISSUE_TABLES for kind in ("xlsx", "docx")]


@pytest.mark.parametrize("name", ISSUE_FILES)
def test_each_table_office_publishes_gives_exactly_its_draft(tmp_path: Path, name: str) -> None:
    """Issue 27's tables (tests/office_files.py ISSUE_TABLES): the whole draft and the
    closing line, and the draft passes check."""
    result = run("import", str(DATA / name))
    expected = DATA / (name.replace(".", "-") + ".yaml")
    summary = DATA / (name.replace(".", "-") + ".err")
    if UPDATE:
        expected.write_text(result.out, encoding="utf-8")
        summary.write_text(result.err, encoding="utf-8")
    assert result.code == 0, result.err
    assert (result.out, result.err) == (
        expected.read_text(encoding="utf-8"),
        summary.read_text(encoding="utf-8"),
    )
    written = tmp_path / "plan.yaml"
    written.write_text(result.out, encoding="utf-8")
    checked = run("check", str(written))
    assert checked.code == 0, checked.err


@pytest.mark.parametrize(
    "stem",
    sorted({path.stem for path in DATA.glob("*.docx")} & {p.stem for p in DATA.glob("*.xlsx")}),
)
def test_the_same_table_as_xlsx_and_docx_gives_the_same_plan(tmp_path: Path, stem: str) -> None:
    plans = []
    for kind in ("xlsx", "docx"):
        out = tmp_path / f"{kind}.yaml"
        result = run("import", str(DATA / f"{stem}.{kind}"), "-o", str(out))
        assert result.code == 0, result.err
        plans.append(load_plan(out))
    assert plans[0] == plans[1]
    assert [task.id for task in plans[0].tasks] == [task.id for task in plans[1].tasks]


def test_a_column_of_small_numbers_is_the_id_whatever_its_header(tmp_path: Path) -> None:
    table = write_xlsx(
        tmp_path / "t.xlsx",
        [["排", "工作任务", "时间"], ["7", "修路", "6月"], ["9", "建桥", "9月"]],
    )
    result = run("import", str(table), "--year", "2020")
    assert result.code == 0, result.err
    assert result.out == (
        "# A draft plan made by `planctl import` from t.xlsx.\n"
        "# columns: 排 -> id, 工作任务 -> title, 时间 -> time\n"
        "# the column headed 排 holds only numbers: read as the tasks' IDs\n"
        "id: t-2020\nyear: 2020\ntitle: t\nlanguage: zh\nsections: []\ntasks:\n"
        '  - id: "7"\n    title: 修路\n    month: 6\n'
        '  - id: "9"\n    title: 建桥\n    month: 9\n'
    )


@pytest.mark.parametrize(
    ("text", "prefix", "steps"),
    [
        (
            "①2月上旬前,完成设计招标。②3月底前,完成图纸深化设计。③5月底前,完成施工许可报批并开工建设。",
            "",
            [("完成设计招标。", {"due": date(2023, 2, 10)}), ("完成图纸深化设计。", {"due": 3}),
             ("完成施工许可报批并开工建设。", {"due": 5})],
        ),
        ("1. 3月底前完成调查；2. 6月底前完工", "", [("完成调查", {"due": 3}), ("完工", {"due": 6})]),
        ("(1)每月巡查(2)每季度通报", "", [("巡查", {"every": "month"}), ("通报", {"every": "quarter"})]),
        (
            "建设平台:一是4月底前完成调研;二是9月底前上线。",
            "建设平台:",
            [("完成调研", {"due": 4}), ("上线。", {"due": 9})],
        ),
        ("3月底前完成选址\n6月底前完成建设", "", [("完成选址", {"due": 3}), ("完成建设", {"due": 6})]),
        ("第三季度:落实行动。第四季度:持续整治。", "", [("落实行动。", {"quarter": 3}),
                                                    ("持续整治。", {"quarter": 4})]),
    ],
)  # fmt: skip
def test_numbered_parts_each_led_by_a_time_are_steps(
    text: str, prefix: str, steps: list[tuple[str, dict[str, object]]]
) -> None:
    found = timed_parts(text, 2023)
    assert found is not None
    assert (found[0], [(part.text, part.window) for part in found[1]]) == (prefix, steps)


@pytest.mark.parametrize(
    "text",
    [
        "1.编制规划；2.完成立项；3.开工建设",
        "2023.3.1；2023.6.30",
        "完成6月底前的评估",
        "①甲②3月乙",
        "①12个乡镇完成改造②10个村完成整治",  # a count, not a month
        "十十是3月底前做",  # not a number
    ],
)
def test_parts_without_a_time_each_are_not_steps(text: str) -> None:
    assert timed_parts(text, 2023) is None


def test_one_target_per_period_and_a_period_named_in_the_text() -> None:
    quarters = shares("第一、二、三、四季度任务分别为500、600、500、400万元。", 2023)
    assert [(p.text, p.window, p.target, p.unit) for p in quarters] == [
        ("第一季度", {"quarter": 1}, 500, "万元"),
        ("第二季度", {"quarter": 2}, 600, "万元"),
        ("第三季度", {"quarter": 3}, 500, "万元"),
        ("第四季度", {"quarter": 4}, 400, "万元"),
    ]
    halves = shares("上半年、三季度、四季度任务分别为80、60、60.5万元", 2023)
    assert [(p.window, p.target) for p in halves] == [
        ({"due": 6}, 80),
        ({"quarter": 3}, 60),
        ({"quarter": 4}, 60.5),
    ]
    assert shares("第一、二季度任务分别为500万元", 2023) == []  # two periods, one number
    assert named_periods("三季度完成全县文物普查", 2023) == [{"quarter": 3}]
    assert named_periods("年底前完成，每月报送", 2023) == [{"due": 12}]
    assert named_periods("6月底前完成初稿，9月底前定稿", 2023) == [{"due": 6}, {"due": 9}]
    assert named_periods("争创一流", 2023) == []
    assert spanning([{"quarter": 3}, {"quarter": 4}], 2023) == {"due": 12, "start": 7}
    assert spanning([{"due": date(2023, 2, 10)}, {"due": 5}], 2023) == {"due": 5}
    assert spanning([{"due": 3}, {"every": "month"}], 2023) == {"year_round": True}


def test_a_table_mostly_year_round_says_so_and_names_the_column_of_times(tmp_path: Path) -> None:
    rows = [
        ["工作任务", "节点", "督办科室"],
        ["编制计划", "3月底前", "办公室"],
        ["7", "6月底前", ""],
    ]
    table = write_xlsx(tmp_path / "t.xlsx", rows)
    result = run("import", str(table), "--year", "2023", "-o", str(tmp_path / "out.yaml"))
    assert (result.code, result.out, result.err) == (
        0,
        f"{tmp_path / 'out.yaml'}: 2 tasks read from t.xlsx, 2 need a look (comments marked"
        " check); 2 tasks year-round only because no time was read\n",
        "planctl: warning: t.xlsx: 2 of 2 tasks are year-round; the column 节点 looks like it"
        " holds their times: name it with --column '节点=time'\n",
    )
    assert (
        (tmp_path / "out.yaml")
        .read_text(encoding="utf-8")
        .endswith(
            "tasks:\n"
            "  # check (row 2): the column 督办科室 names units but is read into source: name it with"
            " --column '督办科室=lead' (or =support)\n"
            '  - id: "1"\n    title: 编制计划\n    year_round: true\n'
            "    source: |-\n      节点: 3月底前\n      督办科室: 办公室\n"
            "  # check (row 3): the title is only a number: is the task's text in another column?"
            " (--column HEADER=title)\n"
            '  - id: "2"\n    title: "7"\n    year_round: true\n    source: "节点: 6月底前"\n'
        )
    )


def test_a_column_of_numbers_out_of_order_is_not_taken_for_the_id(tmp_path: Path) -> None:
    rows = [["工作任务", "目标值", "时间"], ["修路", "5", "6月"], ["建桥", "3", "9月"]]
    result = run("import", str(write_xlsx(tmp_path / "t.xlsx", rows)), "--year", "2020")
    assert "# columns: 工作任务 -> title, 目标值 -> source, 时间 -> time\n" in result.out
    assert '  - id: "1"\n    title: 修路\n    month: 6\n    source: "目标值: 5"\n' in result.out


def test_steps_that_do_not_fit_the_time_and_a_text_naming_two_times_are_said(
    tmp_path: Path,
) -> None:
    rows = [
        ["工作任务", "完成时限"],
        ["建设平台:①3月底前完成调研②9月底前上线", "6月底前"],
        ["建设平台:①3月底前完成调研②5月底前上线", "6月底前"],
        ["6月底前完成初稿，9月底前定稿", ""],
    ]
    result = run("import", str(write_xlsx(tmp_path / "t.xlsx", rows)), "--year", "2023")
    assert result.code == 0, result.err
    assert result.out.split("tasks:\n")[1] == (
        "  # check (row 2): the steps' times do not fit in the time '6月底前': the task's window"
        " spans its steps\n"
        '  - id: "1"\n    title: 建设平台\n    due: 9\n    source: "完成时限: 6月底前"\n'
        '    steps:\n      - id: "1.1"\n        title: 完成调研\n        due: 3\n'
        '      - id: "1.2"\n        title: 上线\n        due: 9\n'
        '  - id: "2"\n    title: 建设平台\n    due: 6\n'
        '    steps:\n      - id: "2.1"\n        title: 完成调研\n        due: 3\n'
        '      - id: "2.2"\n        title: 上线\n        due: 5\n'
        "  # check (row 4): the text names 2 different times; year-round until you set its"
        " window\n"
        '  - id: "3"\n    title: 6月底前完成初稿，9月底前定稿\n    year_round: true\n'
    )
    assert result.err == (
        "3 tasks read from t.xlsx, 2 need a look (comments marked check); 1 task with a time"
        " not read\n"
    )


def test_a_chinese_number_that_is_none_is_text_not_a_traceback(tmp_path: Path) -> None:
    rows = [["序号", "工作任务", "时间"], ["十十、其他", "", ""], ["十十", "修路", "十十月"]]
    result = run("import", str(write_xlsx(tmp_path / "t.xlsx", rows, [(1, 0, 1, 2)])))
    assert result.code == 0, result.err
    assert result.out.split("sections:\n")[1] == (
        "  # row 2: the section's one work point stands for its tasks\n"
        "  - number: 1\n    title: 十十、其他\n    points:\n"
        "      - number: 1\n        title: 十十、其他\n"
        "tasks:\n"
        "  # check (row 3): the time '十十月' is not a wording planctl reads; year-round until you"
        " set its window\n"
        '  - id: "1"\n    title: 修路\n    year_round: true\n    points: [1]\n'
        '    source: "时间: 十十月"\n'
    )
