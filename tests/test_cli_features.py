"""Targets, recurring duties, prerequisites, deferral, plan revisions and calendar export,
through the commands, on the 2018 plan."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from tests.conftest import PLAN_2018, TODAY, Planctl, empty_store, snapshot


@pytest.fixture
def db(made_sqlite_store: str) -> str:
    return made_sqlite_store


def task(planctl: Planctl, task_id: str, db: str, today: str = TODAY) -> Any:
    return planctl.json("show", task_id, db=db, today=today)["task"]


def test_counts_add_up_to_the_target(db: str, planctl: Planctl) -> None:
    assert planctl.ok("done", "P10.1", "--count", "4", "--on", "2018-05-02", db=db) == (
        "done: P10.1 各位主席带队走访委员 (2018-05-02, tester): 4/6次\n"
    )
    assert task(planctl, "P10.1", db=db)["status"] == "open"
    assert planctl.ok("done", "主席带队", "--count", "2", db=db) == (
        "done: P10.1 各位主席带队走访委员 (2018-06-15, tester): 6/6次\n"
    )
    state = task(planctl, "P10.1", db=db)
    assert (state["status"], state["progress"]) == (
        "done",
        {"count": 6, "target": 6, "expected": 2},
    )
    # More visits than the target are still recorded: 不少于 6 次 means at least six.
    assert planctl.ok("done", "P10.1", db=db).endswith("7/6次\n")


def test_a_percent_on_a_counted_task_is_refused(db: str, planctl: Planctl) -> None:
    """P10.1 (6 visits) read 2/6次 and 40% at once, and every view judged it by the count."""
    planctl.ok("done", "P10.1", "--count", "2", "--on", "2018-05-02", db=db)
    before = snapshot(db)
    result = planctl("progress", "P10.1", "--note", "走访两次", "--percent", "40", db=db)
    assert (result.code, result.out, result.err) == (
        1,
        "",
        "planctl: --percent 不适用于 P10.1:它按数量计入目标(6次);请用 done --count\n",
    )
    assert snapshot(db) == before
    state = task(planctl, "P10.1", db=db)
    assert (state["progress"], state["progress_report"]) == (
        {"count": 2, "target": 6, "expected": 2},
        None,
    )
    # A report without a percent is still welcome.
    assert planctl.ok("progress", "P10.1", "--note", "走访两次", db=db) == (
        "progress: P10.1 各位主席带队走访委员 (2018-06-15, tester)\n"
    )


def test_a_task_behind_its_pace_is_flagged(db: str, planctl: Planctl) -> None:
    empty_store(db)
    state = task(planctl, "P10.2", db=db, today="2018-07-01")
    assert state["progress"] == {"count": 0, "target": 3, "expected": 1}
    wide = {"COLUMNS": "200"}
    due = planctl.ok("due", "--month", "7", db=db, today="2018-07-01", env=wide)
    assert "未完成; 0/3次 进度落后(应完成 1); 尚无记录  黄\n" in due
    planctl.ok("done", "P10.2", "--on", "2018-06-20", db=db, today="2018-06-20")
    assert re.search(
        r"open; 1/3 次 +green\n",
        planctl.ok("due", "--month", "7", "--lang", "en", db=db, today="2018-07-01", env=wide),
    )


def test_count_on_a_task_without_target(tmp_path: Path, planctl: Planctl) -> None:
    db = str(tmp_path / "new.sqlite3")
    result = planctl("done", "6.1", "--count", "2", db=db)
    assert (result.code, result.err) == (
        1,
        "planctl: --count 用于有数量目标的任务;6.1 没有数量目标\n",
    )
    assert not Path(db).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["defer", "7.1", "--to", "9", "--reason", "  "], "延期需要说明原因(--reason)"),
        (["done", "P10.1", "--count", "0"], "--count 必须在 1 到 2147483647 之间,不能是 0"),
        (["progress", "G1", "--note", "x", "--value", "8%"],
         "--value 必须是数字,如 8、7.5 或 -2,不能是 '8%'"),
        (["progress", "6.2", "--note", " "],
         "进度填报需要说明(--note):目前已做的工作"),
    ],
)  # fmt: skip
def test_a_refused_part_of_a_request_is_named_by_its_option(
    db: str, planctl: Planctl, args: list[str], message: str
) -> None:
    """The core refuses a part of the request; the CLI names the option that gave it, in one
    line, and nothing is recorded."""
    before = snapshot(db)
    result = planctl(*args, db=db)
    assert (result.code, result.out, result.err) == (1, "", f"planctl: {message}\n")
    assert snapshot(db) == before


def test_a_weekly_duty_and_the_missed_week_in_the_report(db: str, planctl: Planctl) -> None:
    for day in ["2018-01-03", "2018-01-16", "2018-01-22", "2018-01-31"]:
        planctl.ok("done", "Y.8", "--on", day, db=db)
    again = planctl("done", "Y.8", "--on", "2018-01-17", db=db)
    assert again.out == (
        "already done: Y.8 每周更新政协网站动态 (2018-01-16, tester); nothing recorded\n"
    )
    duty = task(planctl, "Y.8", db=db, today="2018-02-02")
    assert (duty["status"], duty["overdue"]) == ("open", True)  # one status: missed wins
    assert duty["periods"] == {
        "every": "week",
        "current": "2018-W05",
        "done": 4,
        "elapsed": 5,
        "total": 53,
        "missed": ["2018-W02"],
    }
    report = planctl.json("report", db=db, today="2018-02-02")
    assert [d["id"] for d in report["duties"]] == ["Y.8", "P11.1"]
    assert report["duties"][0]["periods"]["missed"] == ["2018-W02"]
    table = planctl.ok("report", db=db, today="2018-02-02")
    assert "Y.8    每周更新政协网站动态                    每周    4/5       2018-W02" in table


def test_a_meeting_waits_for_the_reports_it_takes(db: str, planctl: Planctl) -> None:
    planctl.ok("done", "4.3", "--on", "2018-04-25", db=db)
    meeting = task(planctl, "6.3", db=db)
    assert meeting["blocked_by"] == ["5.1", "6.1"]
    assert "overdue" not in meeting or meeting["overdue"] is False
    due = planctl.ok("due", "--month", "6", db=db)
    assert "未完成; 等待 5.1, 6.1" in due
    result = planctl("done", "6.3", db=db)
    assert result.code == 0
    assert result.out.startswith("done: 6.3 ")
    assert result.err == (
        "warning: 6.3 was recorded while 5.1 and 6.1, which it waits for, are still open\n"
    )
    assert task(planctl, "6.3", db=db)["status"] == "done"


def test_a_deferral_moves_the_task_shows_its_reason_and_undoes(db: str, planctl: Planctl) -> None:
    out = planctl.ok("defer", "7.1", "--to", "9", "--reason", "等待开发区规划批复", db=db)
    assert (
        out == "deferred: 7.1 对推进城南经济开发区建设进行调研 to 2018-09-30 (等待开发区规划批复)\n"
    )
    july = planctl.json("due", "--month", "7", db=db, today="2018-07-10")["tasks"]
    assert next(t for t in july if t["id"] == "7.1")["due"] == "2018-09-30"  # still on it, open
    september = planctl.json("due", "--month", "9", db=db, today="2018-08-10")["tasks"]
    moved = next(t for t in september if t["id"] == "7.1")
    assert (moved["month"], moved["due_month"], moved["overdue"]) == (7, 9, False)
    assert moved["deferral"] == {
        "to": 9,
        "due": "2018-09-30",
        "reason": "等待开发区规划批复",
        "on": "2018-06-15",
        "by": "tester",
    }
    report = planctl.ok("report", db=db, today="2018-08-10")
    assert (
        "7.1   对推进城南经济开发区建设进行调研  7         9       等待开发区规划批复 (2018-06-15, tester)"
        in report
    )
    assert [t["id"] for t in planctl.json("report", db=db, today="2018-08-10")["deferred"]] == [
        "7.1"
    ]

    assert planctl.ok("undo", "7.1", db=db).startswith("undone: defer of 7.1 ")
    assert task(planctl, "7.1", db=db, today="2018-08-10")["due_month"] == 7
    assert planctl.json("report", db=db, today="2018-08-10")["deferred"] == []


def test_history_digest_and_undo_name_counts_and_deferrals(db: str, planctl: Planctl) -> None:
    """A count was listed as a completion, history showed neither the count nor the new due
    day, and undo said the same of each (issue 25.4)."""
    planctl.ok("done", "P10.1", "--count", "2", "--on", "2018-05-02", db=db)
    planctl.ok("done", "P10.1", "--count", "2", "--on", "2018-06-12", db=db)
    planctl.ok("defer", "7.1", "--to", "2018-09-30", "--reason", "等待批复", db=db)
    planctl.ok("progress", "5.1", "--note", "调研过半", "--percent", "60", db=db)
    events = planctl.json("history", db=db)["events"]
    assert [
        (e["task"], e["action"], e["count"], e["to_month"], e["to_date"], e["percent"])
        for e in events
    ] == [
        ("5.1", "progress", None, None, None, 60),
        ("7.1", "defer", None, None, "2018-09-30", None),
        ("P10.1", "done", 2, None, None, None),
        ("P10.1", "done", 2, None, None, None),
    ]
    table = planctl.ok("history", db=db, env={"COLUMNS": "200"})
    notes = [line.split("tester")[-1].strip() for line in table.splitlines()[3:]]
    assert notes == ["60% · 调研过半", "→ 2018-09-30 · 等待批复", "+2", "+2"]

    digest = planctl.json("digest", db=db)["done"]
    assert [(d["id"], d["on"], d["count"], d["count_after"], d["target"]) for d in digest] == [
        ("P10.1", "2018-06-12", 2, 4, 6)
    ]
    text = planctl.ok("digest", db=db, env={"COLUMNS": "200"})
    assert "2018-06-12  P10.1  各位主席带队走访委员  tester  +2 (4/6次)\n" in text

    undo = [planctl.ok("undo", task_id, db=db) for task_id in ("5.1", "7.1", "P10.1")]
    assert undo == [
        "undone: progress of 5.1 开展养老保险扩面情况的调研 (2018-06-15, tester): 60%\n",
        "undone: defer of 7.1 对推进城南经济开发区建设进行调研 (2018-06-15, tester):"
        " → 2018-09-30\n",
        "undone: done of P10.1 各位主席带队走访委员 (2018-06-12, tester): +2\n",
    ]
    assert task(planctl, "P10.1", db=db)["progress"]["count"] == 2


def test_a_deferral_must_move_later_and_give_a_reason(tmp_path: Path, planctl: Planctl) -> None:
    db = str(tmp_path / "new.sqlite3")
    earlier = planctl("defer", "7.1", "--to", "6", "--reason", "x", db=db)
    assert earlier.err == (
        "planctl: 7.1 的截止日期是 2018-07-31;只能延到更晚的日期,最晚 2019-12-31"
        "(计划期后十二个月),不能是 2018-06-30\n"
    )
    duty = planctl("defer", "Y.8", "--to", "9", "--reason", "x", db=db)
    assert duty.err == (
        "planctl: Y.8 是经常性工作:各期不能延期(逾期完成的一期请用 done --on 记录)\n"
    )
    assert planctl("defer", "7.1", "--to", "9", db=db).code == 2
    assert not Path(db).exists()


def test_check_lists_plan_changes_and_orphaned_progress(
    db: str, tmp_path: Path, planctl: Planctl
) -> None:
    plan = tmp_path / "2018.yaml"
    text = PLAN_2018.read_text(encoding="utf-8")
    plan.write_text(text, encoding="utf-8")
    planctl("done", "4.2", db=db, plan=plan, today="2018-04-20")
    planctl("note", "4.2", "议政日已开", db=db, plan=plan, today="2018-04-21")
    edited = (
        text.replace(
            '  - id: "4.2"\n    title: 开展议政日\n    month: 4\n    source: 指导联络组活动,开展议政日\n',
            "",
        )
        .replace("title: 重点提案督办\n    month: 6", "title: 重点提案督办落实\n    month: 7")
        .replace("tasks:\n", 'tasks:\n  - id: "1.3"\n    title: 新增任务\n    month: 1\n', 1)
    )
    assert edited.count("\n") == text.count("\n") - 1
    plan.write_text(edited, encoding="utf-8")
    result = planctl("check", str(plan), db=db)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[1:] == [
        lines[1],
        "  新增:1.3 新增任务",
        "  删除:4.2 开展议政日",
        "  改名:6.2 重点提案督办 -> 重点提案督办落实",
        "  调整:6.2 从 6 月 改为 7 月",
        "孤立记录:4.2 有 2 条记录,已保留;计划中没有此任务",
    ]
    assert lines[1].startswith("自存储上次记录以来计划的变化(")
    history = planctl("history", "--format", "json", db=db, plan=plan)
    assert history.err == (
        "planctl: 警告:有 2 条记录属于 4.2,该任务已不在计划中"
        "(是否改过编号?执行 `planctl store rename-task 4.2 NEW` 可将记录移过去)\n"
    )
    assert [e["task"] for e in json.loads(history.out)["events"]] == ["4.2", "4.2"]


def test_the_calendar_export_parses_back_to_the_tasks(
    db: str, tmp_path: Path, planctl: Planctl
) -> None:
    planctl.ok("done", "6.1", "--on", "2018-06-12", db=db)
    planctl.ok("defer", "7.1", "--to", "9", "--reason", "等待规划", db=db)
    target = tmp_path / "plan.ics"
    assert planctl.ok("export", "--format", "ics", "--output", str(target), db=db) == ""
    calendar: Any = Calendar.from_ical(target.read_bytes())
    todos: dict[str, Any] = {str(todo["uid"]): todo for todo in calendar.walk("VTODO")}
    # Duties (Y.8, P11.1) are a to-do per occurrence: tests/test_calendar_export.py.
    listed = planctl.json("list", db=db)["tasks"]
    tasks = [t["id"] for t in listed if t["id"] not in ("Y.8", "P11.1")]
    tasks += [f"Y.8.2018-W{week:02d}" for week in range(1, 53)] + ["Y.8.2019-W01"]
    tasks += [f"P11.1.2018-Q{quarter}" for quarter in range(1, 5)]
    assert sorted(todos) == sorted(f"{task}@cppcc-2018.planctl" for task in tasks)
    inspection = todos["6.1@cppcc-2018.planctl"]
    assert str(inspection["summary"]) == "6.1 对城市精细化管理情况进行视察"
    assert str(inspection["status"]) == "COMPLETED"
    assert inspection.decoded("due").isoformat() == "2018-06-30"
    assert todos["7.1@cppcc-2018.planctl"].decoded("due").isoformat() == "2018-09-30"
    research = todos["3.2@cppcc-2018.planctl"]
    assert (str(research["status"]), research["categories"].cats) == ("NEEDS-ACTION", ["经建科"])
    weekly = todos["Y.8.2018-W24@cppcc-2018.planctl"]
    assert weekly.decoded("due").isoformat() == "2018-06-17"
    assert "rrule" not in weekly
    # Stable: a second export gives the same UIDs (a re-import updates, not duplicates).
    again: Any = Calendar.from_ical(planctl.ok("export", db=db).encode())
    assert sorted(str(t["uid"]) for t in again.walk("VTODO")) == sorted(todos)
