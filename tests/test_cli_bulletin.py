"""`planctl bulletin` (通报) through the CLI: a fixture history of the returns plan (returns
filed on time, late and missing) asserted whole in JSON; the docx read back; the pdf on A4;
the refusals. The history with claims, requests and chases: tests/test_bulletin_review.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PLAN_2018, REPO, Planctl, RecordedStores, empty_store, snapshot
from tests.test_office import chinese_font  # noqa: F401 - the fixture
from tests.test_returns_collect import _fill

PLAN = REPO / "tests/data/good/returns-2018.yaml"


@pytest.fixture
def db(tmp_path: Path, recorded_stores: RecordedStores) -> str:
    return recorded_stores.copy(record_june, tmp_path / "store.sqlite3")


def record_june(path: Path) -> None:
    """The June 2018 cycle of the returns plan: 提案科 files on time (task 1 done, task 3 at
    60%, two of task 4's four visits), 研究室 two days late (one visit), 办公室 not at all;
    and step 8.1 (due in June) was done on 05-20: early."""
    planctl, tmp_path = Planctl(), path.parent
    db = empty_store(str(path))
    out = tmp_path / "out"
    planctl.ok("returns", "make", "-o", str(out), "--cycle", "2018-06", db=db, plan=PLAN,
               today="2018-06-20")  # fmt: skip
    tian = _fill(
        out / "2018-06 提案科.xlsx", tmp_path / "提案科.xlsx",
        {"C2": "王芳", "H4": "已召开交办会", "L4": "√", "M4": "6月20日", "H6": "正在筹备",
         "I6": "60%", "H7": "参加调研两次", "K7": "２", "J8": "９３"},
    )  # fmt: skip
    yan = _fill(
        out / "2018-06 研究室.xlsx", tmp_path / "研究室.xlsx", {"H4": "完成一次专题调研", "K4": 1}
    )
    planctl.ok("returns", "collect", str(tian), "--received", "2018-06-24", db=db, plan=PLAN,
               today="2018-06-24")  # fmt: skip
    planctl.ok("returns", "collect", str(yan), db=db, plan=PLAN, today="2018-06-27")
    planctl.ok("done", "8.1", "--on", "2018-05-20", "--by", "李", db=db, plan=PLAN,
               today="2018-06-27")  # fmt: skip


def _task(id: str, title: str, lead: str, due: str, kind: str, **more: Any) -> dict[str, Any]:
    return {"id": id, "title": title, "lead": [lead], "due": due, "class": kind,
            "early": False, "days_overdue": 0, "chased": 0, "claimed": None, "requested": None,
            **more}  # fmt: skip


def _unit(unit: str | None, **counts: int | bool) -> dict[str, Any]:
    zero = dict.fromkeys(("done", "early", "ahead", "on_pace", "behind", "overdue"), 0)
    more = {"not_started": 0, "claimed": 0, "requested": 0, "praised": False}
    return {"unit": unit, **zero, **more, **counts}


JUNE = {
    "plan": {"id": "returns-2018", "year": 2018, "title": "区政协常委会机关 2018 年工作要点"},
    "today": "2018-06-30",
    "cycle": {"label": "2018-06", "start": "2018-06-01", "end": "2018-06-30", "due": "2018-06-25"},
    "rule": {"behind_margin": 10},
    "classes": {"tasks": 9, "done": 2, "early": 1, "ahead": 0, "on_pace": 1, "behind": 3,
                "overdue": 2, "not_started": 1, "claimed": 0, "requested": 0},
    "units": [
        _unit("办公室", tasks=3, done=1, early=1, on_pace=1, overdue=1),
        _unit("提案科", tasks=4, done=1, behind=2, overdue=1),
        _unit("研究室", tasks=2, behind=1, not_started=1),
    ],
    "returns": [
        {"unit": "办公室", "due": "2018-06-25", "filed": None, "status": "missing"},
        {"unit": "研究室", "due": "2018-06-25", "filed": "2018-06-27", "status": "late"},
    ],
    "praised": [],
    "urged": [
        {"unit": "办公室", "id": "5", "title": "每月报送社情民意信息", "due": "2018-01-28",
         "days_overdue": 153, "chased": 0},
        {"unit": "提案科", "id": "2", "title": "开展重点提案督办", "due": "2018-04-30",
         "days_overdue": 61, "chased": 0},
    ],
    "tasks": [
        _task("1", "召开提案交办会", "提案科", "2018-03-31", "done"),
        _task("2", "开展重点提案督办", "提案科", "2018-04-30", "overdue", days_overdue=61),
        _task("3", "组织提案办理协商", "提案科", "2018-06-30", "behind"),
        _task("4", "开展专题调研", "研究室", "2018-06-30", "behind"),
        _task("5", "每月报送社情民意信息", "办公室", "2018-06-28", "overdue", days_overdue=153),
        _task("6", "提案办结率达到 95% 以上", "提案科", "2018-12-31", "behind"),
        _task("7", "编印年度调研成果汇编", "研究室", "2018-11-30", "not_started"),
        _task("8.1", "起草修订稿", "办公室", "2018-06-30", "done", early=True),
        _task("8.2", "提交主席会议审议", "办公室", "2018-09-30", "on_pace"),
    ],
    "scoring": {"on_time": 100, "deferred": 80, "late": 60, "overdue": 0, "base": 0, "cap": 100,
                "lead": 1, "support": 0, "early": 0, "return_late": 0, "return_missing": 0,
                "chased": 0},
}  # fmt: skip


def test_the_bulletin_of_june_in_json(db: str, planctl: Planctl) -> None:
    """2018-06-30, the June cycle: task 1 done late, step 8.1 early; task 3 at 60% at the end
    of its month, task 4 at 3 of 4 visits, task 6 at 93 of 95: behind; task 2 (April) and
    the monthly duty 5 (never done) overdue; 办公室's return missing, 研究室's late: nobody
    praised. `--month 6` judges the same cycle."""
    got = planctl.json("bulletin", "--cycle", "2018-06", db=db, plan=PLAN, today="2018-06-30")
    assert got == JUNE
    assert planctl.json("bulletin", "--month", "6", db=db, plan=PLAN, today="2018-06-30") == JUNE


def test_the_json_builds_no_table(
    db: str, planctl: Planctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--format json` writes the view's data: the tables (a row a task) that the other
    formats draw are never built for it (issue 32: a fifth of the bulletin's own time)."""

    def built(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a table was built for the JSON")

    monkeypatch.setattr("planctl.views.columns.table", built)
    monkeypatch.setattr("planctl.views.bulletin.rule_table", built)
    got = planctl.json("bulletin", "--cycle", "2018-06", db=db, plan=PLAN, today="2018-06-30")
    assert got == JUNE


def test_by_default_the_current_cycle_is_judged(db: str, planctl: Planctl) -> None:
    """2018-07-10: July's returns are due on the 25th: none late or missing yet."""
    got = planctl.json("bulletin", db=db, plan=PLAN, today="2018-07-10")
    assert (got["cycle"]["label"], got["returns"]) == ("2018-07", [])


def test_a_plan_without_returns_judges_none(planctl: Planctl, tmp_path: Path) -> None:
    db = empty_store(str(tmp_path / "store.sqlite3"))
    got = planctl.json("bulletin", db=db, plan=PLAN_2018, today="2018-06-15")
    assert (got["cycle"], got["returns"]) == (None, None)
    assert got["classes"]["tasks"] == 41


@pytest.mark.parametrize(
    ("args", "plan", "code", "message"),
    [
        (("--cycle", "2018-06"), PLAN_2018, 1,
         "planctl: 计划 cppcc-2018 没有设置填报:(请加上 returns: {every: month, by: 25})\n"),
        (("--month", "6"), PLAN_2018, 1,
         "planctl: 计划 cppcc-2018 没有设置填报:(请加上 returns: {every: month, by: 25})\n"),
        (("--cycle", "2018-13"), PLAN, 1,
         "planctl: 本计划没有填报期次 '2018-13'(期次:2018-01..2018-12)\n"),
        (("--month", "2019-06"), PLAN, 1, None),
    ],
)  # fmt: skip
def test_refusals_say_one_line_and_leave_the_store(
    db: str, planctl: Planctl, args: tuple[str, ...], plan: Path, code: int, message: str | None
) -> None:
    before = snapshot(db)
    result = planctl("bulletin", *args, db=db, plan=plan, today="2018-06-30")
    assert (result.code, result.out) == (code, "")
    if message is not None:
        assert result.err == message
    assert result.err.startswith("planctl: ") and result.err.count("\n") == 1
    assert snapshot(db) == before


def test_month_and_cycle_together_are_a_usage_error(db: str, planctl: Planctl) -> None:
    result = planctl("bulletin", "--month", "6", "--cycle", "2018-06", db=db, plan=PLAN)
    assert result.code == 2 and "--month and --cycle choose the same thing: give one" in result.err


def test_the_docx_has_the_heading_the_tables_and_the_names(
    db: str, planctl: Planctl, tmp_path: Path
) -> None:
    docx = pytest.importorskip("docx")
    out = tmp_path / "通报.docx"
    planctl.ok("bulletin", "-f", "docx", "-o", str(out), "--cycle", "2018-06", db=db, plan=PLAN,
               today="2018-06-30")  # fmt: skip
    document = docx.Document(str(out))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    lines = [p.text for p in document.paragraphs if p.text]
    assert lines[:4] == [
        "XX 区政协办公室", "〔    〕    号", "区政协常委会机关 2018 年工作要点 工作进展情况通报",
        "截至 2018-06-30",
    ]  # fmt: skip
    assert lines[4:] == [
        "总体进展", "各单位进展(牵头)", "进度填报逾期或未报送单位(2018-06)", "表扬", "无", "督促",
        "任务分类", "分类规则", "考核评分规则",
    ]  # fmt: skip
    classes, units, returns, urged = ([[c.text for c in r.cells] for r in t.rows]
                                      for t in document.tables[:4])  # fmt: skip
    assert classes == [
        ["类别", "任务数", "占比"], ["已完成", "2", "22%"], ["其中:提前完成", "1", "11%"],
        ["超进度", "0", "0%"], ["达进度", "1", "11%"], ["欠进度", "3", "33%"],
        ["逾期", "2", "22%"], ["未开始", "1", "11%"], ["合计", "9", "100%"],
        ["待审核办结申请", "0", "0%"], ["待批复延期申请", "0", "0%"],
    ]  # fmt: skip
    assert units == [
        ["责任单位", "任务数", "已完成", "其中:提前完成", "超进度", "达进度", "欠进度", "逾期",
         "未开始"],
        ["办公室", "3", "1", "1", "0", "1", "0", "1", "0"],
        ["提案科", "4", "1", "0", "0", "0", "2", "1", "0"],
        ["研究室", "2", "0", "0", "0", "0", "1", "0", "1"],
        ["合计", "9", "2", "1", "0", "1", "3", "2", "1"],
    ]  # fmt: skip
    assert returns == [
        ["责任单位", "截止日期", "报送日期", "状态"], ["办公室", "2018-06-25", "", "未报送"],
        ["研究室", "2018-06-25", "2018-06-27", "逾期报送"],
    ]  # fmt: skip
    assert urged == [
        ["责任单位", "编号", "任务", "截止日期", "逾期天数", "催办次数"],
        ["办公室", "5", "每月报送社情民意信息", "2018-01-28", "153", "0"],
        ["提案科", "2", "开展重点提案督办", "2018-04-30", "61", "0"],
    ]  # fmt: skip
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer


@pytest.mark.usefixtures("chinese_font")
def test_the_pdf_is_a4_with_the_chinese_title_on_page_one(
    db: str, planctl: Planctl, tmp_path: Path
) -> None:
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "通报.pdf"
    planctl.ok("bulletin", "-f", "pdf", "-o", str(out), "--cycle", "2018-06", db=db, plan=PLAN,
               today="2018-06-30")  # fmt: skip
    pages = pypdf.PdfReader(str(out)).pages
    assert [(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
            for p in pages] == [(595.28, 841.89)] * len(pages)  # fmt: skip
    first = pages[0].extract_text()
    assert "工作进展情况通报" in first and "总体进展" in first


def test_the_docx_is_not_written_to_a_terminal(
    db: str, planctl: Planctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planctl.cli import output

    monkeypatch.setattr(output, "_stdout_is_a_terminal", lambda: True)
    result = planctl("bulletin", "--format", "docx", db=db, plan=PLAN, today="2018-06-30")
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "planctl: --format docx 是二进制文件:请用 -o FILE 写入文件,或经管道输出\n"
    )


def test_the_docx_onto_the_plan_is_refused(db: str, planctl: Planctl, tmp_path: Path) -> None:
    """-o naming the file the command reads is refused, and the plan is left as it was."""
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(PLAN.read_bytes())
    result = planctl("bulletin", "-f", "docx", "-o", str(plan), db=db, plan=plan,
                     today="2018-06-30")  # fmt: skip
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith("planctl: ") and result.err.count("\n") == 1
    assert plan.read_bytes() == PLAN.read_bytes()


@pytest.mark.parametrize(
    ("lang", "sheets"),
    [
        ("zh", ["总体进展", "各单位进展(牵头)", "填报逾期或未报送", "表扬", "督促", "任务分类",
                "分类规则", "考核评分规则"]),
        ("en", ["Where the work stands", "By unit (lead)", "Returns late or missing", "Praised",
                "Urged", "Every task", "How tasks are classed",
                "Scoring rules of the assessment"]),
    ],
)  # fmt: skip
def test_the_workbook_has_a_sheet_per_table_with_counts_as_numbers(
    db: str, planctl: Planctl, tmp_path: Path, lang: str, sheets: list[str]
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "bulletin.xlsx"
    planctl.ok("bulletin", "--lang", lang, "-f", "xlsx", "-o", str(out), "--cycle", "2018-06",
               db=db, plan=PLAN, today="2018-06-30")  # fmt: skip
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == sheets
    units = [[cell.value for cell in row] for row in book.worksheets[1].iter_rows(min_row=3)]
    assert units[0] == ["办公室", 3, 1, 1, 0, 1, 0, 1, 0]


def test_month_names_the_quarter_that_holds_it(planctl: Planctl, tmp_path: Path) -> None:
    plan = tmp_path / "q.yaml"
    plan.write_text(
        "id: q\nyear: 2018\ntitle: t\nreturns: {every: quarter, by: 5, next_month: true}\n"
        "tasks:\n  - {id: A, title: a, month: 5, lead: [科]}\n",
        encoding="utf-8",
    )
    db = empty_store(str(tmp_path / "store.sqlite3"))
    got = planctl.json("bulletin", "--month", "5", db=db, plan=plan, today="2018-07-10")
    assert got["cycle"] == {"label": "2018-Q2", "start": "2018-04-01", "end": "2018-06-30",
                            "due": "2018-07-05"}  # fmt: skip
    assert got["returns"] == [
        {"unit": "科", "due": "2018-07-05", "filed": None, "status": "missing"}
    ]
    assert got["urged"] == [
        {"unit": "科", "id": "A", "title": "a", "due": "2018-05-31", "days_overdue": 40,
         "chased": 0}
    ]  # fmt: skip


def test_the_docx_names_the_units_praised(planctl: Planctl, tmp_path: Path) -> None:
    """The golden history of the 2018 plan on 2018-06-15: 提案科 and 经建科 have nothing behind
    or overdue (the plan has no returns to judge): the 表扬 table names them."""
    docx = pytest.importorskip("docx")
    from tests.test_golden import history_store

    db = history_store(tmp_path / "store.sqlite3")
    out = tmp_path / "通报.docx"
    planctl.ok("bulletin", "-f", "docx", "-o", str(out), db=db, plan=PLAN_2018, today="2018-06-15")
    document = docx.Document(str(out))
    lines = [p.text for p in document.paragraphs if p.text]
    assert lines[:4] == [
        "XX 区政协常委会", "〔    〕    号", "2018 年区政协常委会工作要点 工作进展情况通报",
        "截至 2018-06-15",
    ]  # fmt: skip
    praised = document.tables[2]
    assert [[c.text for c in row.cells] for row in praised.rows] == [
        ["责任单位"], ["提案科"], ["经建科"],
    ]  # fmt: skip


def test_one_table_as_csv_with_a_bom(db: str, planctl: Planctl) -> None:
    """--table and --bom go with the bulletin's csv (its format enum has docx too)."""
    got = planctl("bulletin", "-f", "csv", "--table", "urged", "--bom", "--cycle", "2018-06",
                  db=db, plan=PLAN, today="2018-06-30")  # fmt: skip
    assert (got.code, got.err) == (0, "")
    assert got.out == (
        "\ufeff责任单位,编号,任务,截止日期,逾期天数,催办次数\n"
        "办公室,5,每月报送社情民意信息,2018-01-28,153,0\n"
        "提案科,2,开展重点提案督办,2018-04-30,61,0\n"
    )
