"""The return cycle (填报) through the CLI: `check` on a plan with returns:, `returns make`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from planctl.plan.source import plan_digest
from tests.conftest import REPO, Planctl, Result, empty_store
from tests.smtp import Server, parse

RETURNS_PLAN = REPO / "tests/data/good/returns-2018.yaml"
DIGEST = plan_digest(RETURNS_PLAN.read_bytes())


def test_check_names_the_return_cycle(planctl: Planctl) -> None:
    result = planctl("check", str(RETURNS_PLAN))
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines()[1:] == [
        "填报:每月 25 日前:12 期(2018-01..2018-12),3 个单位(办公室、提案科、研究室)"
    ]


def test_check_warns_of_returns_no_unit_files(tmp_path: Path, planctl: Planctl) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "id: p\nyear: 2018\ntitle: t\nreturns: {every: quarter, by: 5, next_month: true}\n"
        "tasks:\n  - {id: a, title: x, month: 1}\n",
        encoding="utf-8",
    )
    result = planctl("check", str(plan))
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines()[1:] == [
        "填报:每季度,次月 5 日前:4 期(2018-Q1..2018-Q4),0 个单位(没有任务写明牵头或配合单位,"
        "因此无人填报)"
    ]
    english = planctl("check", str(plan), env={"PLANCTL_LANG": "en"})
    assert english.out.splitlines()[1:] == [
        "returns: every quarter by day 5 of the month after: 4 cycles (2018-Q1..2018-Q4),"
        " 0 units (no task names a lead or supporting unit, so no one files a return)"
    ]


def test_a_pseudo_unit_files_no_return(tmp_path: Path, planctl: Planctl) -> None:
    """各科室 or 各牵头单位 names no unit: it gets no sheet, is never missing, and `check`
    counts the units that file (an English plan, one unit)."""
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "id: p\nyear: 2018\ntitle: t\nlanguage: en\nreturns: {every: month, by: 25}\n"
        "tasks:\n  - {id: a, title: x, month: 6, lead: [提案科]}\n"
        "  - {id: b, title: y, month: 6, lead: [各科室], support: [各牵头单位]}\n",
        encoding="utf-8",
    )
    result = planctl("check", str(plan))
    assert result.out.splitlines()[1:] == [
        "returns: every month by day 25: 12 cycles (2018-01..2018-12), 1 unit (提案科)"
    ]
    out = tmp_path / "returns"
    made = _make(planctl, out, plan=plan)
    assert (made.code, made.err) == (0, "")
    assert sorted(path.name for path in out.iterdir()) == ["2018-06 提案科.xlsx"]


def _workbook(path: Path) -> Any:
    import openpyxl

    return openpyxl.load_workbook(path)


def _make(planctl: Planctl, out: Path, *args: str, plan: Path = RETURNS_PLAN) -> Result:
    return planctl("returns", "make", "-o", str(out), *args, plan=plan, today="2018-06-20")


def test_make_writes_one_sheet_per_unit(tmp_path: Path, planctl: Planctl) -> None:
    out = tmp_path / "returns"
    result = _make(planctl, out)
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        f"{out}/2018-06 办公室.xlsx:4 项任务\n"
        f"{out}/2018-06 提案科.xlsx:5 项任务\n"
        f"{out}/2018-06 研究室.xlsx:2 项任务\n"
    )
    assert sorted(path.name for path in out.iterdir()) == [
        "2018-06 办公室.xlsx", "2018-06 提案科.xlsx", "2018-06 研究室.xlsx"
    ]  # fmt: skip


def test_a_units_sheet_read_back(tmp_path: Path, planctl: Planctl) -> None:
    _make(planctl, tmp_path, "--unit", "提案科")
    book = _workbook(tmp_path / "2018-06 提案科.xlsx")
    assert book.sheetnames == ["提案科", "planctl"]
    sheet, meta = book["提案科"], book["planctl"]
    assert [sheet.sheet_state, meta.sheet_state] == ["visible", "veryHidden"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == (
        "XX 区政协办公室 区政协常委会机关 2018 年工作要点 重点任务落实推进情况表 · 提案科"
        " · 2018-06 · 报送截止 2018-06-25"
    )
    # Row 2: the 填报人 the unit names (C2, unlocked), then the instructions.
    assert rows[1][:4] == ("填报人", None, None, None)
    assert rows[1][4].startswith("请在左侧写明填报人,填写右侧白色栏目")
    assert (sheet["A2"].protection.locked, sheet["C2"].protection.locked) == (True, False)
    assert rows[2] == (
        "编号", "任务", "角色", "时限", "截止日期", "状态", "最近进展", "本期进展", "完成百分比",
        "数值", "本期完成次数", "是否完成", "完成日期", "申请延期至", "延期理由", "备注",
    )  # fmt: skip
    blank = (None,) * 9
    assert rows[3:] == [
        ("1", "召开提案交办会", "牵头", "2018-03-01 ~ 2018-03-31", datetime(2018, 3, 31),
         "红灯", "", *blank),
        ("2", "开展重点提案督办", "牵头", "2018-01-01 ~ 2018-04-30", datetime(2018, 4, 30),
         "红灯", "", *blank),
        ("3", "组织提案办理协商", "牵头", "2018-06-01 ~ 2018-06-30", datetime(2018, 6, 30),
         "正常", "", *blank),
        ("4", "开展专题调研", "配合", "2018-04-01 ~ 2018-06-30", datetime(2018, 6, 30),
         "黄灯", "", *blank),
        ("6", "提案办结率达到 95% 以上", "牵头", "2018-01-01 ~ 2018-12-31",
         datetime(2018, 12, 31), "黄灯", "", *blank),  # nothing recorded half a year in
    ]  # fmt: skip
    # Protected without a password; the unit's columns unlocked, the plan's locked.
    assert sheet.protection.sheet is True and sheet.protection.password is None
    assert [sheet.cell(4, col).protection.locked for col in (1, 7, 8, 9, 12, 16)] == [
        True, True, False, False, False, False
    ]  # fmt: skip
    # The value column is closed (locked) on a task without a value target, open on one.
    assert (sheet["J4"].protection.locked, sheet["J8"].protection.locked) == (True, False)
    assert (sheet["K4"].protection.locked, sheet["K7"].protection.locked) == (True, False)
    rules = {
        str(rule.sqref): (rule.type, rule.operator, rule.formula1, rule.formula2)
        for rule in sheet.data_validations.dataValidation
    }
    assert rules["I4"] == ("decimal", None, "0", "100")
    assert rules["L4"] == ("list", None, '"是,否"', None)
    assert rules["M4"][0] == "date" and rules["N4"][0] == "date"
    assert rules["K7"] == ("whole", "greaterThanOrEqual", "0", None)
    assert rules["J8"][0] == "decimal"
    assert "J4" not in rules and "K4" not in rules
    # Print-ready and frozen.
    assert sheet.freeze_panes == "C4"
    assert sheet.print_title_rows == "$1:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (None, 0)  # 1 wide
    assert list(meta.iter_rows(values_only=True)) == [
        ("format", "1"), ("plan", "returns-2018"), ("plan_digest", DIGEST), ("unit", "提案科"),
        ("cycle", "2018-06"), ("due", "2018-06-25"), ("made", "2018-06-20"), ("filer", "C2"),
        ("task", "row"),
        ("1", 4), ("2", 5), ("3", 6), ("4", 7), ("6", 8),
    ]  # fmt: skip


def test_make_for_a_cycle_names_it(tmp_path: Path, planctl: Planctl) -> None:
    result = _make(planctl, tmp_path, "--cycle", "2018-11", "--unit", "研究室")
    # 4 (due in June, open as made on 20 June), the duty 5, 7 (November).
    assert result.out == f"{tmp_path}/2018-11 研究室.xlsx:3 项任务\n"
    meta = _workbook(tmp_path / "2018-11 研究室.xlsx")["planctl"]
    assert [row[1] for row in meta.iter_rows(min_row=5, max_row=6, values_only=True)] == [
        "2018-11", "2018-11-25"
    ]  # fmt: skip


def test_make_refuses_to_overwrite_and_writes_nothing(tmp_path: Path, planctl: Planctl) -> None:
    (tmp_path / "2018-06 提案科.xlsx").write_bytes(b"filled")
    result = _make(planctl, tmp_path)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"planctl: {tmp_path}/2018-06 提案科.xlsx 已存在;未写入任何文件(请移走它或另选 -o)\n"
    )
    assert [path.name for path in tmp_path.iterdir()] == ["2018-06 提案科.xlsx"]
    assert (tmp_path / "2018-06 提案科.xlsx").read_bytes() == b"filled"


def test_make_refusals(tmp_path: Path, planctl: Planctl) -> None:
    out = tmp_path / "out"
    minimal = REPO / "tests/data/good/minimal.yaml"
    cases = [
        (("--cycle", "2018-Q2"), RETURNS_PLAN,
         "planctl: 本计划没有填报期次 '2018-Q2'(期次:2018-01..2018-12)\n"),
        (("--unit", "宣传科"), RETURNS_PLAN,
         "planctl: returns-2018 中没有单位 '宣传科'(单位:办公室, 提案科, 研究室)\n"),
        ((), minimal, "planctl: 计划 mini 没有设置填报:(请加上 returns: {every: month, by: 25})\n"),
    ]  # fmt: skip
    for args, plan, message in cases:
        result = _make(planctl, out, *args, plan=plan)
        assert (result.code, result.out, result.err) == (1, "", message)
    assert not out.exists()


def test_return_file_names_are_safe_on_windows() -> None:
    from planctl.core.returns import Cycle
    from planctl.office.returns_make import return_file_name

    june = Cycle(datetime(2018, 6, 1).date(), datetime(2018, 6, 30).date(), "2018-06",
                 datetime(2018, 6, 25).date())  # fmt: skip
    assert return_file_name(june, "提案科") == "2018-06 提案科.xlsx"
    assert return_file_name(june, 'a/b:c*?"<>|\\d. ') == "2018-06 a_b_c_______d.xlsx"
    assert return_file_name(june, "\x1b[31m科") == "2018-06 _x1b[31m科.xlsx"


def test_next_years_plan_keeps_the_return_cycle(tmp_path: Path, planctl: Planctl) -> None:
    from planctl.plan.load import load_plan
    from planctl.plan.model import Returns
    from tests.conftest import empty_store

    db = empty_store(str(tmp_path / "store.sqlite3"))
    written = tmp_path / "2019.yaml"
    planctl.ok("new", "--year", "2019", "--from", str(RETURNS_PLAN), "-o", str(written), db=db)
    assert load_plan(written).returns == Returns(every="month", by=25)


def test_mail_per_owner_attaches_each_units_return_sheet(
    tmp_path: Path, planctl: Planctl, smtp_server: Callable[..., Server]
) -> None:
    """`mail --per-owner --attach-returns`: each unit's digest carries its own sheet, the same
    file `returns make` writes; a leader would get none (there is no leader here)."""
    import io

    import openpyxl

    server = smtp_server()
    db = empty_store(str(tmp_path / "s.sqlite3"))
    config = tmp_path / "config.toml"
    config.write_text('[recipients]\n"提案科" = ["ta@example.org"]\n"研究室" = ["yj@example.org"]\n',
                      encoding="utf-8")  # fmt: skip
    env = {"PLANCTL_SMTP_HOST": "127.0.0.1", "PLANCTL_SMTP_PORT": str(server.port),
           "PLANCTL_MAIL_FROM": "planctl@example.org", "PLANCTL_CONFIG": str(config)}  # fmt: skip
    result = planctl("mail", "--per-owner", "--attach-returns", "--cycle", "2018-06",
                     db=db, plan=RETURNS_PLAN, env=env)  # fmt: skip
    assert (result.code, result.out, result.err) == (0, "", "")
    delivered = {tuple(d.rcpt_tos): parse(d.content) for d in server.recorder.delivered}
    assert sorted(delivered) == [("ta@example.org",), ("yj@example.org",)]
    made = tmp_path / "made"
    planctl.ok("returns", "make", "--cycle", "2018-06", "-o", str(made), db=db, plan=RETURNS_PLAN)
    for address, unit in (("ta@example.org", "提案科"), ("yj@example.org", "研究室")):
        [attached] = list(delivered[(address,)].iter_attachments())
        assert attached.get_filename() == f"2018-06 {unit}.xlsx"
        assert attached.get_content_type() == (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        book = openpyxl.load_workbook(io.BytesIO(attached.get_content()))
        made_book = openpyxl.load_workbook(made / f"2018-06 {unit}.xlsx")
        for mailed, written in zip(book.worksheets, made_book.worksheets, strict=True):
            assert [list(r) for r in mailed.iter_rows(values_only=True)] == [
                list(r) for r in written.iter_rows(values_only=True)
            ]
        body = delivered[(address,)].get_body(("plain",))
        assert body is not None and unit in body.get_content()  # the unit's digest, as before


def test_attach_returns_goes_with_per_owner_and_a_plan_with_returns(
    tmp_path: Path, planctl: Planctl
) -> None:
    db = empty_store(str(tmp_path / "s.sqlite3"))
    alone = planctl("mail", "--to", "a@example.org", "--attach-returns", db=db, plan=RETURNS_PLAN)
    assert (alone.code, alone.err) == (
        1,
        "planctl: --attach-returns 须与 --per-owner 同用:每个单位收到各自的报表\n",
    )
    cycle = planctl("mail", "--to", "a@example.org", "--cycle", "2018-06", db=db,
                    plan=RETURNS_PLAN)  # fmt: skip
    assert (cycle.code, cycle.err) == (1, "planctl: --cycle 须与 --attach-returns 同用\n")
    config = tmp_path / "config.toml"
    config.write_text('[recipients]\n"提案科" = ["ta@example.org"]\n', encoding="utf-8")
    no_returns = planctl("mail", "--per-owner", "--attach-returns", db=db,
                         env={"PLANCTL_CONFIG": str(config),
                              "PLANCTL_MAIL_FROM": "planctl@example.org"})  # fmt: skip
    assert (no_returns.code, no_returns.err) == (
        1,
        "planctl: --attach-returns:计划 cppcc-2018 没有 returns:(无可附的报送周期)\n",
    )


def test_returns_status_never_writes_onto_the_store_it_reads(
    tmp_path: Path, planctl: Planctl
) -> None:
    db = empty_store(str(tmp_path / "s.sqlite3"))
    before = Path(db).read_bytes()
    result = planctl("returns", "status", "-o", db, db=db, plan=RETURNS_PLAN)
    assert (result.code, result.out) == (1, "")
    assert result.err == (f"planctl: -o {db} 是本命令读取的存储 {db}:请把输出写到别处\n")
    assert Path(db).read_bytes() == before


def test_make_writes_each_sheet_whole_or_none_on_a_full_disk(
    tmp_path: Path, planctl: Planctl, monkeypatch: Any
) -> None:
    """Each file goes through the one atomic writer: the disk full on the second sheet leaves
    no sheet, no half file and no temporary file (a rerun is not refused)."""
    import errno
    import os

    from planctl.cli import outfile

    written = outfile._write
    calls = []

    def full_on_the_second(descriptor: int, data: bytes) -> None:
        calls.append(len(data))
        if len(calls) < 2:
            return written(descriptor, data)
        os.write(descriptor, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(outfile, "_write", full_on_the_second)
    out = tmp_path / "returns"
    result = _make(planctl, out)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"planctl: 无法写入 {out}/2018-06 提案科.xlsx:No space left on device;未写入任何文件\n"
    )
    assert not out.exists()  # made by this command, left empty: removed
    out.mkdir()
    result = _make(planctl, out)
    assert (result.code, result.out) == (1, "")
    assert list(out.iterdir()) == []  # a folder that was there stays, empty
    monkeypatch.undo()
    assert _make(planctl, out).code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "2018-06 办公室.xlsx", "2018-06 提案科.xlsx", "2018-06 研究室.xlsx"
    ]  # fmt: skip


def test_make_onto_the_store_or_the_plan_is_refused(tmp_path: Path, planctl: Planctl) -> None:
    from tests.conftest import snapshot

    db = empty_store(str(tmp_path / "s.sqlite3"))
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(RETURNS_PLAN.read_bytes())
    before = snapshot(db)
    for target, what in ((db, "存储"), (f"{db}-wal", "存储"), (str(plan), "计划文件")):
        result = planctl("returns", "make", "-o", target, db=db, plan=plan, today="2018-06-20")
        read = db if what == "存储" else str(plan)
        assert (result.code, result.out, result.err) == (
            1, "", f"planctl: -o {target} 是本命令读取的{what} {read}:请把输出写到别处\n",
        )  # fmt: skip
    assert snapshot(db) == before
    assert plan.read_bytes() == RETURNS_PLAN.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml", "s.sqlite3"]
    # A file that is not the store or the plan is no folder either.
    other = tmp_path / "notes.txt"
    other.write_text("x", encoding="utf-8")
    result = planctl("returns", "make", "-o", str(other), db=db, plan=plan, today="2018-06-20")
    assert (result.code, result.out, result.err) == (
        1, "", f"planctl: -o {other} 是文件,不是文件夹:未写入任何文件\n"
    )  # fmt: skip
    assert other.read_text(encoding="utf-8") == "x"
