"""The bulletin (通报) of a history with claims (办结审核), deferral requests and chases (催办):
the Done-when fixture of issue 31 on the returns plan under `checks: {done: true, defer:
true}`, asserted whole in JSON, its docx read back, its pdf on A4."""

from __future__ import annotations

import io
from csv import reader
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, Planctl, empty_store
from tests.test_office import chinese_font  # noqa: F401 - the fixture
from tests.test_returns_collect import _fill

RETURNS_PLAN = REPO / "tests/data/good/returns-2018.yaml"
TODAY = "2018-06-30"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """The returns plan (monthly returns by the 25th) with claims and requests checked."""
    plan = tmp_path / "returns-2018.yaml"
    text = RETURNS_PLAN.read_text(encoding="utf-8")
    plan.write_text(
        text.replace("\nyear: 2018\n", "\nyear: 2018\nchecks: {done: true, defer: true}\n", 1),
        encoding="utf-8",
    )
    return plan


@pytest.fixture
def db(tmp_path: Path, planctl: Planctl, plan: Path) -> str:
    """The June 2018 cycle, as of 30 June:

    - 提案科 files on time (06-24): its return claims task 1 done on 06-20, which 督查室
      accepts (done); task 2 (due 04-30), chased once on 05-05, is claimed on 05-10 and
      accepted (done late); task 3's claim of 06-28 is rejected (缺会议纪要): open, on pace;
      task 6, nothing reported: on pace. Nothing behind or overdue, its return on time:
      praised.
    - 研究室 files two days late (06-27): one visit of task 4's four (behind), and asks to
      defer task 4 to September (awaiting a decision); task 7 has not started.
    - 办公室 files nothing: the monthly duty 5 (never done) is overdue, chased by phone on
      06-05 and by letter on 06-20; step 8.1 (due 06-30) is claimed on 06-29, awaiting a
      check; 8.2 on pace; task 8, their parent, is chased at a meeting on 06-29 (each step
      counts it).
    """
    db = empty_store(str(tmp_path / "store.sqlite3"))

    def run(*args: str, today: str) -> None:
        planctl.ok(*args, db=db, plan=plan, today=today)

    run("chase", "2", "--how", "phone", "--by", "督查室", today="2018-05-05")
    run("done", "2", "--on", "2018-05-10", "--by", "提案科", today="2018-05-10")
    run("accept", "2", "--by", "督查室", today="2018-05-11")
    run("chase", "5", "--how", "phone", "--by", "督查室", today="2018-06-05")
    out = tmp_path / "out"
    run("returns", "make", "-o", str(out), "--cycle", "2018-06", today="2018-06-20")
    tian = _fill(out / "2018-06 提案科.xlsx", tmp_path / "提案科.xlsx",
                 {"C2": "王芳", "H4": "已召开交办会", "L4": "是", "M4": "6月20日"})  # fmt: skip
    run("returns", "collect", str(tian), "--received", "2018-06-24", today="2018-06-24")
    run("chase", "5", "--how", "letter", "--note", "请于6月28日前报送", "--by", "督查室",
        today="2018-06-20")  # fmt: skip
    run("accept", "1", "--by", "督查室", today="2018-06-26")
    yan = _fill(out / "2018-06 研究室.xlsx", tmp_path / "研究室.xlsx",
                {"H4": "完成一次专题调研", "K4": 1})  # fmt: skip
    run("returns", "collect", str(yan), today="2018-06-27")
    run("defer", "4", "--to", "9", "--reason", "调研对象调整", "--by", "研究室", today="2018-06-27")
    run("done", "3", "--on", "2018-06-28", "--by", "提案科", today="2018-06-28")
    run("reject", "3", "--reason", "缺会议纪要", "--by", "督查室", today="2018-06-29")
    run("done", "8.1", "--on", "2018-06-29", "--by", "办公室", today="2018-06-29")
    run("chase", "8", "--how", "meeting", "--by", "督查室", today="2018-06-29")
    return db


def _task(id: str, title: str, lead: str, due: str, kind: str, **more: Any) -> dict[str, Any]:
    return {"id": id, "title": title, "lead": [lead], "due": due, "class": kind, "early": False,
            "days_overdue": 0, "chased": 0, "claimed": None, "requested": None,
            **more}  # fmt: skip


def _counts(**counts: int) -> dict[str, int]:
    keys = ("tasks", "done", "early", "ahead", "on_pace", "behind", "overdue", "not_started",
            "claimed", "requested")  # fmt: skip
    return dict.fromkeys(keys, 0) | counts


EXPECTED: dict[str, Any] = {
    "plan": {"id": "returns-2018", "year": 2018, "title": "区政协常委会机关 2018 年工作要点"},
    "today": "2018-06-30",
    "cycle": {"label": "2018-06", "start": "2018-06-01", "end": "2018-06-30", "due": "2018-06-25"},
    "rule": {"behind_margin": 10},
    "classes": _counts(tasks=9, done=2, on_pace=4, behind=1, overdue=1, not_started=1,
                       claimed=1, requested=1),
    "units": [
        {"unit": "办公室", **_counts(tasks=3, on_pace=2, overdue=1, claimed=1), "praised": False},
        {"unit": "提案科", **_counts(tasks=4, done=2, on_pace=2), "praised": True},
        {"unit": "研究室", **_counts(tasks=2, behind=1, not_started=1, requested=1),
         "praised": False},
    ],
    "returns": [
        {"unit": "办公室", "due": "2018-06-25", "filed": None, "status": "missing"},
        {"unit": "研究室", "due": "2018-06-25", "filed": "2018-06-27", "status": "late"},
    ],
    "praised": ["提案科"],
    "urged": [
        {"unit": "办公室", "id": "5", "title": "每月报送社情民意信息", "due": "2018-01-28",
         "days_overdue": 153, "chased": 2},
    ],
    "tasks": [
        _task("1", "召开提案交办会", "提案科", "2018-03-31", "done"),
        _task("2", "开展重点提案督办", "提案科", "2018-04-30", "done", chased=1),
        _task("3", "组织提案办理协商", "提案科", "2018-06-30", "on_pace"),
        _task("4", "开展专题调研", "研究室", "2018-06-30", "behind", requested="2018-09-30"),
        _task("5", "每月报送社情民意信息", "办公室", "2018-06-28", "overdue", days_overdue=153,
              chased=2),
        _task("6", "提案办结率达到 95% 以上", "提案科", "2018-12-31", "on_pace"),
        _task("7", "编印年度调研成果汇编", "研究室", "2018-11-30", "not_started"),
        _task("8.1", "起草修订稿", "办公室", "2018-06-30", "on_pace", claimed="2018-06-29",
              chased=1),
        _task("8.2", "提交主席会议审议", "办公室", "2018-09-30", "on_pace", chased=1),
    ],
    "scoring": {"on_time": 100, "deferred": 80, "late": 60, "overdue": 0, "base": 0, "cap": 100,
                "lead": 1, "support": 0, "early": 0, "return_late": 0, "return_missing": 0,
                "chased": 0},
}  # fmt: skip


def test_the_bulletin_with_claims_requests_and_chases_in_json(
    db: str, plan: Path, planctl: Planctl
) -> None:
    """Task 1's claim accepted (done, late), task 2's too (done; its chase still counts);
    task 3's claim rejected (open again, on pace); 8.1's awaiting a check: still on pace,
    counted as claimed; task 4's request awaiting a decision: still behind, due 30 June;
    duty 5 chased twice; 提案科 praised, 办公室 (missing) and 研究室 (late) not."""
    assert planctl.json("bulletin", db=db, plan=plan, today=TODAY) == EXPECTED


def test_the_docx_has_the_heading_the_tables_the_names_and_the_times_chased(
    db: str, plan: Path, planctl: Planctl, tmp_path: Path
) -> None:
    docx = pytest.importorskip("docx")
    out = tmp_path / "通报.docx"
    planctl.ok("bulletin", "-f", "docx", "-o", str(out), db=db, plan=plan, today=TODAY)
    document = docx.Document(str(out))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    lines = [p.text for p in document.paragraphs if p.text]
    assert lines == [
        "XX 区政协办公室", "〔    〕    号", "区政协常委会机关 2018 年工作要点 工作进展情况通报",
        "截至 2018-06-30", "总体进展", "各单位进展(牵头)", "进度填报逾期或未报送单位(2018-06)",
        "表扬", "督促", "任务分类", "分类规则", "考核评分规则",
    ]  # fmt: skip
    classes, units, returns, praised, urged, tasks, rule, _ = (
        [[c.text for c in r.cells] for r in t.rows] for t in document.tables
    )
    assert classes == [
        ["类别", "任务数", "占比"], ["已完成", "2", "22%"], ["其中:提前完成", "0", "0%"],
        ["超进度", "0", "0%"], ["达进度", "4", "44%"], ["欠进度", "1", "11%"],
        ["逾期", "1", "11%"], ["未开始", "1", "11%"], ["合计", "9", "100%"],
        ["待审核办结申请", "1", "11%"], ["待批复延期申请", "1", "11%"],
    ]  # fmt: skip
    assert units == [
        ["责任单位", "任务数", "已完成", "其中:提前完成", "超进度", "达进度", "欠进度", "逾期",
         "未开始"],
        ["办公室", "3", "0", "0", "0", "2", "0", "1", "0"],
        ["提案科", "4", "2", "0", "0", "2", "0", "0", "0"],
        ["研究室", "2", "0", "0", "0", "0", "1", "0", "1"],
        ["合计", "9", "2", "0", "0", "4", "1", "1", "1"],
    ]  # fmt: skip
    assert returns == [
        ["责任单位", "截止日期", "报送日期", "状态"], ["办公室", "2018-06-25", "", "未报送"],
        ["研究室", "2018-06-25", "2018-06-27", "逾期报送"],
    ]  # fmt: skip
    assert praised == [["责任单位"], ["提案科"]]
    assert urged == [
        ["责任单位", "编号", "任务", "截止日期", "逾期天数", "催办次数"],
        ["办公室", "5", "每月报送社情民意信息", "2018-01-28", "153", "2"],
    ]  # fmt: skip
    assert [row[4:] for row in tasks] == [
        ["类别", "催办次数"], ["已完成", "0"], ["已完成", "1"], ["达进度", "0"],
        ["欠进度 (申请延期至 2018-09-30)", "0"], ["逾期", "2"], ["达进度", "0"], ["未开始", "0"],
        ["达进度 (待审核,2018-06-29 申报办结)", "1"], ["达进度", "1"],
    ]  # fmt: skip
    assert rule[-2] == [
        "申报办结的任务在销号前仍按原类别统计(待审核),申请延期的任务在批准前仍按原截止日期统计;"
        "两者在总体进展中另行计数"
    ]


@pytest.mark.usefixtures("chinese_font")
def test_the_pdf_is_a4_with_the_chinese_title_on_page_one(
    db: str, plan: Path, planctl: Planctl, tmp_path: Path
) -> None:
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "通报.pdf"
    planctl.ok("bulletin", "-f", "pdf", "-o", str(out), db=db, plan=plan, today=TODAY)
    pages = pypdf.PdfReader(str(out)).pages
    assert [(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
            for p in pages] == [(595.28, 841.89)] * len(pages)  # fmt: skip
    first = pages[0].extract_text()
    assert "工作进展情况通报" in first and "总体进展" in first
    every = "".join(page.extract_text() for page in pages)
    assert "催办次数" in every and "待审核" in every


DEFAULT_SCORING: dict[str, float] = EXPECTED["scoring"]


def test_the_scoring_rules_in_effect_are_printed_in_every_format(
    db: str, plan: Path, planctl: Planctl, tmp_path: Path
) -> None:
    """The bulletin prints the assessment's scoring rules (the config's `[assess]`) after
    its own rule: changed keys change them in the JSON, the csv table and the docx."""
    assert planctl.json("bulletin", db=db, plan=plan, today=TODAY)["scoring"] == DEFAULT_SCORING
    config = tmp_path / "config.toml"
    config.write_text("[assess]\nlate = 50\nearly = 5\nchased = 0.5\n", encoding="utf-8")
    env = {"PLANCTL_CONFIG": str(config)}
    got = planctl.json("bulletin", db=db, plan=plan, today=TODAY, env=env)
    assert got["scoring"] == DEFAULT_SCORING | {"late": 50, "early": 5, "chased": 0.5}
    csv = planctl.ok("bulletin", "-f", "csv", "--table", "scoring", db=db, plan=plan,
                     today=TODAY, env=env)  # fmt: skip
    assert list(reader(io.StringIO(csv))) == [
        ["情形", "得分"],
        ["按期完成:在计划完成日期前完成", "100"],
        ["调整后按期完成:在有原因的调整后日期前完成", "80"],
        ["逾期完成:在完成日期后完成", "50"],
        ["逾期未完成:过了完成日期仍未完成", "0"],
        ["未到完成日期且未完成", "不计入"],
        ["经常性工作", "已到期各期得分的平均数:按期完成、逾期完成、未完成的期次分别计分,"
         "进行中的期次完成后计入;不定期工作不计分"],
        ["责任单位得分", "基础分加所牵头(及按权重计入的配合)任务得分的加权平均数,减去扣分,"
         "不超过最高分,四舍五入保留一位小数;得分相同名次并列;无计入任务的不排名"],
        ["基础分:加在各单位平均分上", "0"],
        ["最高分:各单位得分不超过此分,不低于 0", "100"],
        ["牵头任务的权重", "1"],
        ["配合任务的权重(0:不计)", "0"],
        ["提前完成加分:在计划完成月份之前完成,每项", "5"],
        ["逾期报送扣分,每次", "0"],
        ["未报送扣分,每次", "0"],
        ["催办扣分,每次", "0.5"],
    ]  # fmt: skip
    docx = pytest.importorskip("docx")
    out = tmp_path / "通报.docx"
    planctl.ok("bulletin", "-f", "docx", "-o", str(out), db=db, plan=plan, today=TODAY, env=env)
    document = docx.Document(str(out))
    assert [p.text for p in document.paragraphs if p.text][-2:] == ["分类规则", "考核评分规则"]
    scoring = [[c.text for c in r.cells] for r in document.tables[-1].rows]
    assert scoring[0] == ["情形", "得分"]
    assert ["逾期完成:在完成日期后完成", "50"] in scoring
    assert scoring[-1] == ["催办扣分,每次", "0.5"]
