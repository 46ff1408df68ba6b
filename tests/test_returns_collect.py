"""`returns collect`: filled return sheets back in, forgiving where people are, strict where it
matters, idempotent; and the parsers of what people type, on literal values."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from planctl.office.returns_collect import (
    CellProblem,
    parse_count,
    parse_day,
    parse_number,
    parse_percent,
    parse_yes,
)
from tests.conftest import REPO, Planctl, snapshot

PLAN = REPO / "tests/data/good/returns-2018.yaml"


@pytest.mark.parametrize(
    ("typed", "number_format", "expected"),
    [
        (60, "General", 60), ("60", "General", 60), ("60%", "General", 60), (0.6, "General", 60),
        ("0.6", "General", 60), (0.6, "0%", 60), (1, "0%", 100), ("６０％", "General", 60),
        (100, "General", 100), (0, "General", 0), (None, "General", None), ("  ", "General", None),
        (33.4, "General", 33),
    ],
)  # fmt: skip
def test_percent_as_people_type_it(typed: object, number_format: str, expected: int) -> None:
    assert parse_percent(typed, number_format) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [(150, "percent 150 is outside 0-100"), ("-5%", "percent -5 is outside 0-100"),
     ("大半", "'大半' is not a percent"), (True, "True is not a percent")],
)  # fmt: skip
def test_a_percent_that_is_none(typed: object, message: str) -> None:
    with pytest.raises(CellProblem) as raised:
        parse_percent(typed)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "typed",
    [datetime(2018, 6, 20), date(2018, 6, 20), 43271, 43271.0, "2018-06-20", "2018/6/20",
     "2018年6月20日", "6月20日", "6.20", "6-20", "２０１８－０６－２０", " 6月20日 "],
)  # fmt: skip
def test_a_day_as_people_type_it(typed: object) -> None:
    assert parse_day(typed, 2018) == date(2018, 6, 20)


@pytest.mark.parametrize("typed", ["六月", "2018-02-30", "13.40", "soon"])
def test_a_day_that_is_none(typed: str) -> None:
    with pytest.raises(CellProblem) as raised:
        parse_day(typed, 2018)
    assert str(raised.value) == f"{typed!r} is not a date"


def test_yes_no_counts_and_values() -> None:
    assert [parse_yes(v) for v in ["是", "√", "完成", "已完成", "否", "×", None, "Yes"]] == [
        True, True, True, True, False, False, None, True
    ]  # fmt: skip
    with pytest.raises(CellProblem):
        parse_yes("也许")
    assert [parse_count(v) for v in [2, "２", "3次", 0, None]] == [2, 2, 3, 0, None]
    with pytest.raises(CellProblem):
        parse_count("1.5")
    assert [parse_number(v) for v in [0.93, "９３.５", "8%", None]] == [0.93, 93.5, 8.0, None]


# Through the CLI: make the June returns, fill them as a unit would, collect them.


def _make(planctl: Planctl, out: Path, db: str) -> None:
    planctl.ok("returns", "make", "-o", str(out), db=db, plan=PLAN, today="2018-06-20")


def _fill(made: Path, filled: Path, cells: Mapping[str, Any]) -> Path:
    import openpyxl

    book = openpyxl.load_workbook(made)
    sheet = book.worksheets[0]
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(filled)
    return filled


TIAN = {
    "H4": "已召开交办会", "L4": "是", "M4": "6月20日",  # 1: done on 20 June
    "N5": "2018-09-30", "O5": "等待批复",  # 2: asks for a later due day
    "H6": "正在筹备", "I6": "60%",  # 3: 60%
    "H7": "参加调研两次", "K7": "２",  # 4 (count target): two more times
    "B10": "额外工作", "H10": "完成了额外工作",  # a row the unit added
}  # fmt: skip
"""提案科's June return, filled."""


def _history(planctl: Planctl, db: str) -> list[tuple[Any, ...]]:
    """The plan's events in the store: task, action, day, by, note, percent, count."""
    from planctl.store.store import Store, StoreLocation

    with Store.open_for_reading(StoreLocation.parse(db)) as store:
        events = store.events("returns-2018")
    return sorted(
        (e.task_id, e.action.value, e.work_date.isoformat(), e.recorded_by, e.note, e.percent,
         e.count)
        for e in events
    )  # fmt: skip


def _filed(db: str) -> list[tuple[str, str, date, int]]:
    """The returns recorded: unit, cycle, received day, rows filled."""
    from planctl.store.store import Store, StoreLocation

    with Store.open_for_reading(StoreLocation.parse(db)) as store:
        return [(f.unit, f.cycle, f.received, f.rows) for f in store.filed_returns("returns-2018")]


def test_collect_records_the_rows_once(
    tmp_path: Path, planctl: Planctl, made_store_url: str
) -> None:
    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    filled = _fill(tmp_path / "out/2018-06 提案科.xlsx", tmp_path / "提案科.xlsx", TIAN)
    first = planctl("returns", "collect", str(filled), db=db, plan=PLAN, today="2018-06-24")
    assert (first.code, first.err) == (0, "")
    assert first.out == (
        f"{filled}: 提案科 2018-06,2018-06-24 收到:读取 5 行,记录 6 条,0 行无新内容,2 行需核对\n"
        "  请核对:2:申请延期至 2018-09-30:等待批复\n"
        "  请核对:第 10 行不在计划中,未记录:额外工作\n"
    )
    expected = [
        ("1", "done", "2018-06-20", "提案科", None, None, None),
        ("1", "progress", "2018-06-24", "提案科", "已召开交办会", None, None),
        ("2", "note", "2018-06-24", "提案科", "申请延期至 2018-09-30: 等待批复", None, None),
        ("3", "progress", "2018-06-24", "提案科", "正在筹备", 60, None),
        ("4", "done", "2018-06-24", "提案科", "填报 2018-06 提案科", None, 2),
        ("4", "progress", "2018-06-24", "提案科", "参加调研两次", None, None),
    ]
    assert _history(planctl, db) == expected
    assert _filed(db) == [("提案科", "2018-06", date(2018, 6, 24), 4)]
    before = snapshot(db)
    again = planctl("returns", "collect", str(filled), db=db, plan=PLAN, today="2018-06-25")
    assert (again.code, again.err) == (0, "")
    assert again.out == f"{filled}: 提案科 2018-06:已收取过;未记录任何内容\n"
    assert snapshot(db) == before
    # A corrected return (3 now at 80%) records only what changed, and says it corrects.
    corrected = _fill(filled, tmp_path / "提案科 (2).xlsx", {"I6": 0.8})
    third = planctl("returns", "collect", str(corrected), db=db, plan=PLAN, today="2018-06-25")
    assert third.out.splitlines()[0] == (
        f"{corrected}: 提案科 2018-06,2018-06-25 收到,为更正后的报表:读取 5 行,记录 1 条,"
        "3 行无新内容,2 行需核对"
    )
    assert _history(planctl, db) == sorted(
        [*expected, ("3", "progress", "2018-06-25", "提案科", "正在筹备", 80, None)]
    )
    assert _filed(db) == [("提案科", "2018-06", date(2018, 6, 24), 4),
                          ("提案科", "2018-06", date(2018, 6, 25), 4)]  # fmt: skip


def test_dry_run_records_nothing(tmp_path: Path, planctl: Planctl, made_store_url: str) -> None:
    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    filled = _fill(tmp_path / "out/2018-06 提案科.xlsx", tmp_path / "f.xlsx", {"I6": "60"})
    before = snapshot(db)
    result = planctl(
        "returns", "collect", str(filled), "--dry-run", "--received", "2018-06-23",
        db=db, plan=PLAN, today="2018-06-24",
    )  # fmt: skip
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        f"{filled}: 提案科 2018-06,2018-06-23 收到:读取 5 行,将记录 1 条,0 行无新内容,"
        "0 行需核对\n"
        "  3 progress 2018-06-23: percent 60; 2018-06 填报\n"
    )
    assert snapshot(db) == before


REFUSALS = [
    ({"I6": 150}, "提案科!I6: 百分比 150 超出 0-100"),
    ({"I6": "大半"}, "提案科!I6: '大半' 不是百分比"),
    ({"M4": "2018-06-30", "L4": "是"},
     "提案科!M4: 2018-06-30 晚于报表的收到日期(2018-06-24)"),
    ({"M4": "六月"}, "提案科!M4: '六月' 不是日期"),
    ({"A5": "9"}, "提案科!A5: 任务编号 '9' 不在本报表中(编号是否被改动?)"),
    ({"L6": "也许"}, "提案科!L6: '也许' 不是\"是\"或\"否\""),
    ({"A10": "3", "I10": 70}, "提案科!A10: 任务 3 也在第 6 行"),
    ({"M4": "2017-12-20", "L4": "是"},
     "提案科!M4: 2017-12-20 不在计划期间 2018-01-01..2018-12-31 内"),
    ({"J8": "很多"}, "提案科!J8: '很多' 不是数字"),
    ({"K7": "1.5"}, "提案科!K7: '1.5' 不是 0 或以上的整数"),
    ({"N5": "下个月"}, "提案科!N5: '下个月' 不是日期"),
]  # fmt: skip


@pytest.mark.parametrize(("cells", "message"), REFUSALS)
def test_a_strict_refusal_records_nothing_from_the_file(
    tmp_path: Path, planctl: Planctl, made_store_url: str, cells: dict[str, object], message: str
) -> None:
    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    # A good row beside the bad one: nothing of the file is recorded.
    filled = _fill(tmp_path / "out/2018-06 提案科.xlsx", tmp_path / "f.xlsx",
                   {"H8": "办结率 90%", **cells})  # fmt: skip
    before = snapshot(db)
    result = planctl("returns", "collect", str(filled), db=db, plan=PLAN, today="2018-06-24")
    assert (result.code, result.out) == (1, "")
    assert result.err == f"{filled}: {message}\n"
    assert snapshot(db) == before


def test_a_return_for_another_plan_unit_or_cycle_is_refused(
    tmp_path: Path, planctl: Planctl, made_store_url: str
) -> None:
    import openpyxl

    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    made = tmp_path / "out/2018-06 提案科.xlsx"
    cases = [
        ("B2", "other-plan", "本报表属于计划 'other-plan',不是 returns-2018"),
        ("B4", "宣传科", "本报表属于 '宣传科',不是 returns-2018 的单位"),
        ("B5", "2018-13", "本报表的周期为 '2018-13',不是 returns-2018 的周期"),
    ]
    before = snapshot(db)
    for ref, value, message in cases:
        book = openpyxl.load_workbook(made)
        book["planctl"][ref] = value
        book.worksheets[0]["I6"] = 50
        path = tmp_path / f"{value}.xlsx"
        book.save(path)
        result = planctl("returns", "collect", str(path), db=db, plan=PLAN, today="2018-06-24")
        assert (result.code, result.out, result.err) == (1, "", f"{path}: {message}\n")
    assert snapshot(db) == before


def test_a_task_that_left_the_plan_is_refused(
    tmp_path: Path, planctl: Planctl, made_store_url: str
) -> None:
    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    filled = _fill(tmp_path / "out/2018-06 提案科.xlsx", tmp_path / "f.xlsx", {"I6": 50})
    revised = tmp_path / "plan.yaml"
    text = PLAN.read_text(encoding="utf-8")
    revised.write_text(text.replace('  - id: "3"\n', '  - id: "3b"\n'), encoding="utf-8")
    before = snapshot(db)
    result = planctl("returns", "collect", str(filled), db=db, plan=revised, today="2018-06-24")
    assert (result.code, result.out) == (1, "")
    assert result.err == f"{filled}: 提案科!A6: 任务 3 已不在计划中\n"
    assert snapshot(db) == before


def test_a_folder_and_a_message_with_the_return_attached(
    tmp_path: Path, planctl: Planctl, made_store_url: str
) -> None:
    from email.message import EmailMessage

    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    filled = _fill(tmp_path / "out/2018-06 研究室.xlsx", tmp_path / "r.xlsx", {"K4": 1})
    message = EmailMessage()
    message["From"], message["Subject"] = "yjs@example.org", "6月填报"
    message["Date"] = "Fri, 22 Jun 2018 09:30:00 +0800"
    message.set_content("见附件")
    message.add_attachment(filled.read_bytes(), maintype="application",
                           subtype="octet-stream", filename="2018-06 研究室.xlsx")  # fmt: skip
    (inbox / "a.eml").write_bytes(bytes(message))
    (inbox / "notes.txt").write_text("not a return", encoding="utf-8")
    result = planctl("returns", "collect", str(inbox), db=db, plan=PLAN, today="2018-06-24")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        f"{inbox}/a.eml#2018-06 研究室.xlsx: 研究室 2018-06,2018-06-22 收到:读取 2 行,记录 1 条,"
        "0 行无新内容,0 行需核对\n"
    )
    assert _history(planctl, db) == [
        ("4", "done", "2018-06-22", "研究室", "填报 2018-06 研究室", None, 1)
    ]


def test_store_export_carries_the_returns_and_import_adds_them_once(
    tmp_path: Path, planctl: Planctl, made_store_url: str
) -> None:
    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    filled = _fill(tmp_path / "out/2018-06 提案科.xlsx", tmp_path / "f.xlsx", {"I6": 60})
    planctl.ok("returns", "collect", str(filled), db=db, plan=PLAN, today="2018-06-24")
    export = tmp_path / "export.jsonl"
    planctl.ok("store", "export", str(export), db=db)
    lines = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    assert lines[0] == {"planctl_export": 4, "events": 1, "plan_versions": 1, "returns": 1}
    filed = lines[-1]
    assert {key: filed[key] for key in ("type", "plan_id", "unit", "cycle", "received", "rows")} == {
        "type": "return", "plan_id": "returns-2018", "unit": "提案科", "cycle": "2018-06",
        "received": "2018-06-24", "rows": 1,
    }  # fmt: skip
    other = str(tmp_path / "other.sqlite3")
    assert planctl.ok("store", "import", str(export), db=other) == (
        "已导入:新增 1 条记录,已有 0 条,冲突 0 条\n"
    )
    assert _filed(other) == _filed(db) == [("提案科", "2018-06", date(2018, 6, 24), 1)]
    planctl.ok("store", "import", str(export), db=other)
    assert _filed(other) == _filed(db)
    # A return line with other content than the store's is a conflict: nothing imported.
    changed = export.read_text(encoding="utf-8").replace('"rows": 1', '"rows": 2')
    export.write_text(changed, encoding="utf-8")
    result = planctl("store", "import", str(export), db=other)
    assert (result.code, result.out) == (1, "")
    assert result.err == f"{export}:4: 存储中的报表 {filed['return_id']} 内容不同\n"


def test_returns_status_in_every_format(
    tmp_path: Path, planctl: Planctl, made_store_url: str
) -> None:
    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    filled = _fill(tmp_path / "out/2018-06 提案科.xlsx", tmp_path / "f.xlsx", TIAN)
    planctl.ok("returns", "collect", str(filled), db=db, plan=PLAN, today="2018-06-24")
    late = _fill(tmp_path / "out/2018-06 研究室.xlsx", tmp_path / "r.xlsx", {"K4": 1})
    planctl.ok("returns", "collect", str(late), db=db, plan=PLAN, today="2018-06-27")
    status = ("returns", "status", "--cycle", "2018-06")
    table = planctl.ok(*status, db=db, plan=PLAN, today="2018-06-28")
    assert table == (
        f"区政协常委会机关 2018 年工作要点 ({PLAN.relative_to(REPO)}):2018-06 填报情况(截止\n"
        "2018-06-25)\n"
        "单位    截止日期    报送日期    状态  任务数  已填报  未填报任务\n"
        "------  ----------  ----------  ----  ------  ------  ----------\n"
        "办公室  2018-06-25              未报  4       0       4\n"
        "提案科  2018-06-25  2018-06-24  按时  5       4       1\n"
        "研究室  2018-06-25  2018-06-27  迟报  2       1       1\n"
    )
    data = planctl.json(*status, db=db, plan=PLAN, today="2018-06-28")
    assert data["cycle"] == {
        "label": "2018-06", "start": "2018-06-01", "end": "2018-06-30", "due": "2018-06-25"
    }  # fmt: skip
    assert [(u["unit"], u["filed"], u["status"], u["tasks"], u["rows_filled"], u["silent"])
            for u in data["units"]] == [
        ("办公室", None, "missing", 4, 0, 4),
        ("提案科", "2018-06-24", "on_time", 5, 4, 1),
        ("研究室", "2018-06-27", "late", 2, 1, 1),
    ]  # fmt: skip
    csv = planctl.ok(*status, "-f", "csv", db=db, plan=PLAN, today="2018-06-28")
    assert csv.splitlines()[:2] == [
        "单位,截止日期,报送日期,状态,任务数,已填报,未填报任务",
        "办公室,2018-06-25,,未报,4,0,4",
    ]
    for fmt in ("markdown", "html", "xlsx", "text"):
        out = tmp_path / f"status.{fmt}"
        planctl.ok(*status, "-f", fmt, "-o", str(out), db=db, plan=PLAN, today="2018-06-28")
        assert out.stat().st_size > 0
    assert "| 研究室 | 2018-06-25 | 2018-06-27 | 迟报 | 2 | 1 | 1 |" in (
        tmp_path / "status.markdown"
    ).read_text(encoding="utf-8")
    # Before the due day a return not filed is not missing yet.
    early = planctl.json(*status, db=db, plan=PLAN, today="2018-06-24")
    assert [u["status"] for u in early["units"]] == ["not_due", "on_time", "not_due"]


def test_assess_counts_returns_with_the_configured_deductions(
    tmp_path: Path, planctl: Planctl, made_store_url: str
) -> None:
    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    filled = _fill(tmp_path / "out/2018-06 提案科.xlsx", tmp_path / "f.xlsx", {"I6": 50})
    planctl.ok("returns", "collect", str(filled), db=db, plan=PLAN, today="2018-06-24")
    late = _fill(tmp_path / "out/2018-06 研究室.xlsx", tmp_path / "r.xlsx", {"K4": 1})
    planctl.ok("returns", "collect", str(late), db=db, plan=PLAN, today="2018-06-27")
    # Without a config file the deductions are 0, and the rule says so.
    data = planctl.json("assess", db=db, plan=PLAN, today="2018-06-30")
    assert (data["rule"]["return_late"], data["rule"]["return_missing"]) == (0.0, 0.0)
    config = tmp_path / "config.toml"
    config.write_text("[assess]\nreturn_late = 0.1\nreturn_missing = 0.5\n", encoding="utf-8")
    env = {"PLANCTL_CONFIG": str(config)}
    data = planctl.json("assess", db=db, plan=PLAN, today="2018-06-30", env=env)
    # Cycles 2018-01..2018-06 are due by 30 June: five missing for each unit before June.
    assert data["returns"] == [
        {"unit": "办公室", "on_time": 0, "late": 0, "missing": 6, "deduction": 3.0},
        {"unit": "提案科", "on_time": 1, "late": 0, "missing": 5, "deduction": 2.5},
        {"unit": "研究室", "on_time": 0, "late": 1, "missing": 5, "deduction": 2.6},
    ]
    assert (data["rule"]["return_late"], data["rule"]["return_missing"]) == (0.1, 0.5)
    table = planctl.ok("assess", db=db, plan=PLAN, today="2018-06-30", env=env)
    assert "填报情况(按时、迟报、未报): 迟报每次扣 0.1 分,未报每次扣 0.5 分" in table.replace(
        "\n", ""
    )


def test_the_digest_lists_late_and_missing_returns_and_mail_counts_them(
    tmp_path: Path, planctl: Planctl, made_store_url: str
) -> None:
    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    late = _fill(tmp_path / "out/2018-06 研究室.xlsx", tmp_path / "r.xlsx", {"K4": 1})
    planctl.ok("returns", "collect", str(late), db=db, plan=PLAN, today="2018-06-27")
    data = planctl.json("digest", db=db, plan=PLAN, today="2018-06-28")
    assert data["returns_due"] == [
        {"unit": "办公室", "cycle": "2018-06", "due": "2018-06-25", "filed": None,
         "status": "missing"},
        {"unit": "提案科", "cycle": "2018-06", "due": "2018-06-25", "filed": None,
         "status": "missing"},
        {"unit": "研究室", "cycle": "2018-06", "due": "2018-06-25", "filed": "2018-06-27",
         "status": "late"},
    ]  # fmt: skip
    text = planctl.ok("digest", "--owner", "研究室", db=db, plan=PLAN, today="2018-06-28")
    assert (
        "未按时填报的单位(2018-06,截止 2018-06-25)\n"
        "单位    状态  报送日期\n"
        "------  ----  ----------\n"
        "研究室  迟报  2018-06-27\n"
    ) in text
    # A plan whose only reminder is a missing return: mail --only-if-action sends it.
    quiet = tmp_path / "quiet.yaml"
    quiet.write_text(
        "id: quiet\nyear: 2018\ntitle: t\nreturns: {every: month, by: 25}\n"
        "tasks:\n  - {id: a, title: 年终总结, month: 12, lead: [提案科]}\n",
        encoding="utf-8",
    )
    mail = ("mail", "--to", "office@example.org", "--only-if-action", "--dry-run")
    env = {"PLANCTL_MAIL_FROM": "office@example.org"}
    assert planctl.ok(*mail, db=db, plan=quiet, today="2018-01-20", env=env) == ""
    sent = planctl.ok(*mail, db=db, plan=quiet, today="2018-01-26", env=env)
    assert "未按时填报的单位(2018-01,截止 2018-01-25)" in sent


def test_rows_re_sorted_with_blank_rows_between_are_read_by_their_ids(
    tmp_path: Path, planctl: Planctl, made_store_url: str
) -> None:
    import openpyxl

    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    book = openpyxl.load_workbook(tmp_path / "out/2018-06 提案科.xlsx")
    sheet = book.worksheets[0]
    rows = [[cell.value for cell in sheet[number]] for number in range(4, 9)]
    for number in range(4, 14):
        for col in range(1, 17):
            sheet.cell(number, col).value = None
    for offset, values in enumerate(reversed(rows)):  # 6, 4, 3, 2, 1 with a blank row after each
        for col, value in enumerate(values, start=1):
            sheet.cell(4 + 2 * offset, col).value = value
    sheet["I8"] = "３０％"  # now task 3's row
    sheet["I12"] = 0.9  # now task 1's row
    path = tmp_path / "sorted.xlsx"
    book.save(path)
    result = planctl("returns", "collect", str(path), db=db, plan=PLAN, today="2018-06-24")
    assert (result.code, result.err) == (0, "")
    assert _history(planctl, db) == [
        ("1", "progress", "2018-06-24", "提案科", "2018-06 填报", 90, None),
        ("3", "progress", "2018-06-24", "提案科", "2018-06 填报", 30, None),
    ]


def test_not_a_return_and_a_received_day_after_today_are_refused(
    tmp_path: Path, planctl: Planctl, made_store_url: str
) -> None:
    import openpyxl

    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    other = tmp_path / "其他.xlsx"
    book = openpyxl.Workbook()
    book.worksheets[0]["A1"] = "编号"
    book.save(other)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    good = _fill(tmp_path / "out/2018-06 提案科.xlsx", tmp_path / "f.xlsx", {"I6": 50})
    before = snapshot(db)
    result = planctl("returns", "collect", str(other), db=db, plan=PLAN, today="2018-06-24")
    assert (result.code, result.out) == (1, "")
    assert result.err == f"{other}:不是 planctl 报表(没有工作表 'planctl')\n"
    result = planctl("returns", "collect", str(broken), db=db, plan=PLAN, today="2018-06-24")
    assert (result.code, result.out) == (1, "")
    assert result.err == f"{broken}:不是 planctl 能读取的 .xlsx 文件(File is not a zip file)\n"
    result = planctl("returns", "collect", str(good), "--received", "2018-06-25", db=db,
                     plan=PLAN, today="2018-06-24")  # fmt: skip
    assert (result.code, result.out) == (1, "")
    assert result.err == "planctl: --received 2018-06-25 晚于今天(2018-06-24)\n"
    assert snapshot(db) == before


def test_a_percent_on_a_task_with_a_target_is_refused_at_its_cell(
    tmp_path: Path, planctl: Planctl, made_store_url: str
) -> None:
    """Task 4 counts visits (4次): judged by its count alone, as `progress --percent` is."""
    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    before = snapshot(db)
    filled = _fill(tmp_path / "out/2018-06 提案科.xlsx", tmp_path / "f.xlsx", {"I7": "30%"})
    result = planctl("returns", "collect", str(filled), db=db, plan=PLAN, today="2018-06-24")
    assert (result.code, result.out) == (1, "")
    assert result.err == (f"{filled}: 提案科!I7: 任务 4 不填百分比:它按数量考核;请改填数量列\n")
    assert snapshot(db) == before


def test_the_filer_named_on_the_sheet_records_the_events(
    tmp_path: Path, planctl: Planctl, made_store_url: str
) -> None:
    """填报人 filled (C2): the events are by that person; the return still says the unit."""
    from planctl.store.store import Store, StoreLocation

    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    filled = _fill(tmp_path / "out/2018-06 提案科.xlsx", tmp_path / "f.xlsx",
                   {"C2": " 王芳 ", "I6": "60%", "O5": "等待批复"})  # fmt: skip
    result = planctl("returns", "collect", str(filled), db=db, plan=PLAN, today="2018-06-24")
    assert (result.code, result.err) == (0, "")
    assert _history(planctl, db) == [
        ("2", "note", "2018-06-24", "王芳", "申请延期至 ?: 等待批复", None, None),
        ("3", "progress", "2018-06-24", "王芳", "2018-06 填报", 60, None),
    ]
    with Store.open_for_reading(StoreLocation.parse(db)) as store:
        filed = store.filed_returns("returns-2018")
    assert [(f.unit, f.cycle, f.recorded_by) for f in filed] == [("提案科", "2018-06", "王芳")]


FILER_REFUSALS = [
    ("王芳\n李强", "提案科!C2: 填报人:姓名须为一行纯文本"),
    ("王\u202e芳", "提案科!C2: 填报人:姓名须为一行纯文本"),
    ("王\x7f芳", "提案科!C2: 填报人: 不允许控制字符 0x007f"),
    ("王" * 129, "提案科!C2: 填报人 须为 1 到 128 个字符"),
]


@pytest.mark.parametrize(("filer", "message"), FILER_REFUSALS)
def test_a_filer_that_is_not_one_line_of_plain_text_is_refused_at_its_cell(
    tmp_path: Path, planctl: Planctl, made_store_url: str, filer: str, message: str
) -> None:
    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    filled = _fill(tmp_path / "out/2018-06 提案科.xlsx", tmp_path / "f.xlsx",
                   {"C2": filer, "I6": "60%"})  # fmt: skip
    before = snapshot(db)
    result = planctl("returns", "collect", str(filled), db=db, plan=PLAN, today="2018-06-24")
    assert (result.code, result.out) == (1, "")
    assert result.err == f"{filled}: {message}\n"
    assert snapshot(db) == before


def _stored(db: str) -> tuple[list[Any], list[Any]]:
    """The plan's events and returns as the store has them."""
    from planctl.store.store import Store, StoreLocation

    with Store.open_for_reading(StoreLocation.parse(db)) as store:
        return store.events("returns-2018"), store.filed_returns("returns-2018")


def _minute(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} +00:00"


def test_history_and_show_name_the_return_each_row_came_from(
    tmp_path: Path, planctl: Planctl, made_store_url: str
) -> None:
    """Each collected return in the plan's history (unit, cycle, received day, rows, digest),
    its events marked with it; `history TASK` and `show TASK` list the returns that recorded
    the task's rows."""
    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    tian = _fill(tmp_path / "out/2018-06 提案科.xlsx", tmp_path / "t.xlsx",
                 {"C2": "王芳", "H6": "正在筹备", "I6": "60%"})  # fmt: skip
    planctl.ok("returns", "collect", str(tian), db=db, plan=PLAN, today="2018-06-24")
    yan = _fill(tmp_path / "out/2018-06 研究室.xlsx", tmp_path / "y.xlsx", {"K4": 1})
    planctl.ok("returns", "collect", str(yan), db=db, plan=PLAN, today="2018-06-27")
    planctl.ok("note", "3", "已约谈", "--by", "李明", db=db, plan=PLAN, today="2018-06-28")
    events, filed = _stored(db)
    progress, count, note = events
    first, second = filed
    data = planctl.json("history", db=db, plan=PLAN, today="2018-06-30")
    assert [(e["event_id"], e["by"], e["return"]) for e in data["events"]] == [
        (note.event_id, "李明", None),
        (count.event_id, "研究室", second.return_id),
        (progress.event_id, "王芳", first.return_id),
    ]
    assert data["returns"] == [
        {"return_id": second.return_id, "unit": "研究室", "cycle": "2018-06",
         "received": "2018-06-27", "by": "研究室",
         "recorded_at": second.recorded_at.isoformat(timespec="seconds"), "rows": 1,
         "digest": second.digest, "events": [count.event_id]},
        {"return_id": first.return_id, "unit": "提案科", "cycle": "2018-06",
         "received": "2018-06-24", "by": "王芳",
         "recorded_at": first.recorded_at.isoformat(timespec="seconds"), "rows": 1,
         "digest": first.digest, "events": [progress.event_id]},
    ]  # fmt: skip
    table = planctl.ok("history", db=db, plan=PLAN, today="2018-06-30", env={"COLUMNS": "160"})
    plan = f"区政协常委会机关 2018 年工作要点 ({PLAN.relative_to(REPO)})"
    n, c, p = (_minute(e.recorded_at) for e in (note, count, progress))
    f1, f2 = _minute(first.recorded_at), _minute(second.recorded_at)
    assert table.splitlines() == [
        f"{plan}:记录",
        "记录时间                 编号  任务              操作      日期        记录人"
        "                     备注",
        "-----------------------  ----  ----------------  --------  ----------  "
        "-------------------------  ------------------------",
        f"{n}  3     组织提案办理协商  备注      2018-06-28  李明                       已约谈",
        f"{c}  4     开展专题调研      完成      2018-06-27  研究室(2018-06 填报)       +1 · 填报"
        " 2018-06 研究室",
        f"{p}  3     组织提案办理协商  进度填报  2018-06-24  王芳(提案科 2018-06 填报)  60% ·"
        " 正在筹备",
        "",
        f"{plan}:收到的填报",
        "记录时间                 单位    周期     收到日期    填报人  填报行数  记录条数  文件摘要",
        "-----------------------  ------  -------  ----------  ------  --------  --------  "
        "------------",
        f"{f2}  研究室  2018-06  2018-06-27  研究室  1         1         {second.digest[:12]}",
        f"{f1}  提案科  2018-06  2018-06-24  王芳    1         1         {first.digest[:12]}",
    ]
    # --since: the returns received on or after the day.
    since = planctl.json("history", "--since", "2018-06-25", db=db, plan=PLAN, today="2018-06-30")
    assert [r["unit"] for r in since["returns"]] == ["研究室"]
    # One task's history: the returns that recorded its rows.
    three = planctl.json("history", "3", db=db, plan=PLAN, today="2018-06-30")
    assert [(e["by"], e["return"]) for e in three["events"]] == [
        ("李明", None), ("王芳", first.return_id)
    ]  # fmt: skip
    assert [(r["unit"], r["events"]) for r in three["returns"]] == [("提案科", [progress.event_id])]
    shown = planctl.json("show", "3", db=db, plan=PLAN, today="2018-06-30")
    assert shown["returns"] == three["returns"]
    assert "events" not in shown
    text = planctl.ok("show", "3", "--lang", "en", db=db, plan=PLAN, today="2018-06-30")
    assert text.endswith(
        f"{plan}: returns collected\n"
        "Recorded                 Unit    Cycle    Received    Filed by  Rows filled  Events"
        "  File digest\n"
        "-----------------------  ------  -------  ----------  --------  -----------  ------"
        "  ------------\n"
        f"{f1}  提案科  2018-06  2018-06-24  王芳      1            1       {first.digest[:12]}\n"
    )
    for fmt in ("csv", "markdown", "html", "xlsx", "pdf"):
        out = tmp_path / f"history.{fmt}"
        planctl.ok("history", "-f", fmt, "-o", str(out), db=db, plan=PLAN, today="2018-06-30")
        assert out.stat().st_size > 0
    assert f"| {f1} | 提案科 | 2018-06 | 2018-06-24 | 王芳 | 1 | 1 | {first.digest[:12]} |" in (
        tmp_path / "history.markdown"
    ).read_text(encoding="utf-8")


def test_a_dry_run_makes_no_store(tmp_path: Path, planctl: Planctl) -> None:
    """--dry-run reads what is recorded through the read path: a store not made yet holds
    nothing, and is not made."""
    from tests.conftest import empty_store

    made = empty_store(str(tmp_path / "made.sqlite3"))
    _make(planctl, tmp_path / "out", made)
    filled = _fill(tmp_path / "out/2018-06 提案科.xlsx", tmp_path / "f.xlsx", {"I6": "60"})
    db = tmp_path / "new.sqlite3"
    result = planctl("returns", "collect", str(filled), "--dry-run", db=str(db), plan=PLAN,
                     today="2018-06-24")  # fmt: skip
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        f"{filled}: 提案科 2018-06,2018-06-24 收到:读取 5 行,将记录 1 条,0 行无新内容,"
        "0 行需核对\n"
        "  3 progress 2018-06-24: percent 60; 2018-06 填报\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.xlsx", "made.sqlite3", "out"]


def test_a_return_received_outside_the_plans_period_is_refused(
    tmp_path: Path, planctl: Planctl, made_store_url: str
) -> None:
    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    filled = _fill(tmp_path / "out/2018-06 提案科.xlsx", tmp_path / "f.xlsx", {"I6": 50})
    before = snapshot(db)
    result = planctl("returns", "collect", str(filled), "--received", "2019-01-05", db=db,
                     plan=PLAN, today="2019-01-10")  # fmt: skip
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "planctl: 注意:今天(2019-01-10)不在计划期间 2018-01-01..2018-12-31 内\n"
        f"{filled}: 收到日期 2019-01-05 不在计划期间 2018-01-01..2018-12-31 内\n"
    )
    assert snapshot(db) == before


def test_a_return_is_read_without_openpyxl(
    tmp_path: Path, planctl: Planctl, made_store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Returns are read with the standard library (planctl.office.xlsx_cells): collecting
    them needs no openpyxl (the `import` extra), and does not load it."""
    import sys

    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    filled = _fill(tmp_path / "out/2018-06 提案科.xlsx", tmp_path / "f.xlsx", {"I6": "60"})
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if not installed
    result = planctl("returns", "collect", str(filled), db=db, plan=PLAN, today="2018-06-24")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        f"{filled}: 提案科 2018-06,2018-06-24 收到:读取 5 行,记录 1 条,0 行无新内容,0 行需核对\n"
    )
    assert _history(planctl, db) == [
        ("3", "progress", "2018-06-24", "提案科", "2018-06 填报", 60, None)
    ]


def test_a_return_that_unpacks_past_the_bound_is_refused(
    tmp_path: Path, planctl: Planctl, made_store_url: str
) -> None:
    """A return whose sheet would unpack to more than 32 MiB of XML (a zip bomb: 20 MiB of
    file can hold gigabytes) is refused before it is read, one line, nothing recorded."""
    import zipfile

    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    filled = _fill(tmp_path / "out/2018-06 提案科.xlsx", tmp_path / "f.xlsx", {"I6": "60"})
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(filled) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * 40 * 2**20)
            out.writestr(info.filename, data)
    assert bomb.stat().st_size < 200_000
    before = snapshot(db)
    result = planctl("returns", "collect", str(bomb), db=db, plan=PLAN, today="2018-06-24")
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"{bomb}:不是 planctl 能读取的 .xlsx 文件(xl/worksheets/sheet1.xml unpacks to 40 MiB;"
        " a part of at most 32 MiB is read)\n"
    )
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda xml: xml[: len(xml) // 2], "no element found: line 1, column"),
        (lambda xml: xml.replace(b"<sheetData>", b"<sheetData><row><c t='s'><v>x</v></c></row>"),
         "invalid literal for int() with base 10: 'x'"),
    ],
    ids=["cut-short", "bad-string-index"],
)  # fmt: skip
def test_a_damaged_sheet_is_refused_in_one_line(
    tmp_path: Path, planctl: Planctl, made_store_url: str, damage: Any, reason: str
) -> None:
    """A sheet whose XML is cut short or says what no workbook says shows only as it is read:
    one line naming the file, nothing recorded, no traceback."""
    import zipfile

    db = made_store_url
    _make(planctl, tmp_path / "out", db)
    filled = _fill(tmp_path / "out/2018-06 提案科.xlsx", tmp_path / "f.xlsx", {"I6": "60"})
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(filled) as source, zipfile.ZipFile(broken, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = damage(data)
            out.writestr(info.filename, data)
    before = snapshot(db)
    result = planctl("returns", "collect", str(broken), db=db, plan=PLAN, today="2018-06-24")
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith(f"{broken}:不是 planctl 能读取的 .xlsx 文件({reason}")
    assert result.err.endswith(")\n") and result.err.count("\n") == 1
    assert snapshot(db) == before
