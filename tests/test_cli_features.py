"""Targets, recurring duties, prerequisites, deferral, plan revisions and calendar export,
through the commands, on the 2018 plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from tests.conftest import PLAN_2018, Result, empty_store, run


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "store.sqlite3")


def cli(db: str, *args: str, today: str = "2018-06-15") -> Result:
    return run(*args, "--db", db, "--today", today)


def ok(db: str, *args: str, today: str = "2018-06-15") -> str:
    result = cli(db, *args, today=today)
    assert (result.code, result.err) == (0, ""), result.err
    return result.out


def as_json(db: str, *args: str, today: str = "2018-06-15") -> Any:
    return json.loads(ok(db, *args, "--format", "json", today=today))


def task(db: str, task_id: str, today: str = "2018-06-15") -> Any:
    return as_json(db, "show", task_id, today=today)["task"]


def test_counts_add_up_to_the_target(db: str) -> None:
    assert ok(db, "done", "P10.1", "--count", "4", "--on", "2018-05-02") == (
        "done: P10.1 各位主席带队走访委员 (2018-05-02, tester): 4/6次\n"
    )
    assert task(db, "P10.1")["status"] == "open"
    assert ok(db, "done", "主席带队", "--count", "2") == (
        "done: P10.1 各位主席带队走访委员 (2018-06-15, tester): 6/6次\n"
    )
    state = task(db, "P10.1")
    assert (state["status"], state["progress"]) == (
        "done",
        {"count": 6, "target": 6, "expected": 2},
    )
    # More visits than the target are still recorded: 不少于 6 次 means at least six.
    assert ok(db, "done", "P10.1").endswith("7/6次\n")


def test_a_task_behind_its_pace_is_flagged(db: str) -> None:
    empty_store(db)
    state = task(db, "P10.2", today="2018-07-01")
    assert state["progress"] == {"count": 0, "target": 3, "expected": 1}
    due = ok(db, "due", "--month", "7", today="2018-07-01")
    assert "未完成; 0/3次 进度落后(应完成" in due  # the rest wraps onto the next line
    ok(db, "done", "P10.2", "--on", "2018-06-20", today="2018-06-20")
    assert "open; 1/3 次\n" in ok(db, "due", "--month", "7", "--lang", "en", today="2018-07-01")


def test_count_on_a_task_without_target(db: str) -> None:
    result = cli(db, "done", "6.1", "--count", "2")
    assert (result.code, result.err) == (
        1,
        "planctl: --count is for tasks with a target; 6.1 has none\n",
    )
    assert not Path(db).exists()


def test_a_weekly_duty_and_the_missed_week_in_the_report(db: str) -> None:
    for day in ["2018-01-03", "2018-01-16", "2018-01-22", "2018-01-31"]:
        ok(db, "done", "Y.8", "--on", day)
    again = cli(db, "done", "Y.8", "--on", "2018-01-17")
    assert again.out == (
        "already done: Y.8 每周更新政协网站动态 (2018-01-16, tester); nothing recorded\n"
    )
    duty = task(db, "Y.8", today="2018-02-02")
    assert (duty["status"], duty["overdue"]) == ("open", True)  # one status: missed wins
    assert duty["periods"] == {
        "every": "week",
        "current": "2018-W05",
        "done": 4,
        "elapsed": 5,
        "total": 53,
        "missed": ["2018-W02"],
    }
    report = as_json(db, "report", today="2018-02-02")
    assert [d["id"] for d in report["duties"]] == ["Y.8", "P11.1"]
    assert report["duties"][0]["periods"]["missed"] == ["2018-W02"]
    table = ok(db, "report", today="2018-02-02")
    assert "Y.8    每周更新政协网站动态                    每周    4/5       2018-W02" in table


def test_a_meeting_waits_for_the_reports_it_takes(db: str) -> None:
    ok(db, "done", "4.3", "--on", "2018-04-25")
    meeting = task(db, "6.3")
    assert meeting["blocked_by"] == ["5.1", "6.1"]
    assert "overdue" not in meeting or meeting["overdue"] is False
    due = ok(db, "due", "--month", "6")
    assert "未完成; 等待 5.1, 6.1" in due
    result = cli(db, "done", "6.3")
    assert result.code == 0
    assert result.out.startswith("done: 6.3 ")
    assert result.err == (
        "warning: 6.3 was recorded while 5.1 and 6.1, which it waits for, are still open\n"
    )
    assert task(db, "6.3")["status"] == "done"


def test_a_deferral_moves_the_task_shows_its_reason_and_undoes(db: str) -> None:
    out = ok(db, "defer", "7.1", "--to", "9", "--reason", "等待开发区规划批复")
    assert (
        out == "deferred: 7.1 对推进城南经济开发区建设进行调研 to 2018-09-30 (等待开发区规划批复)\n"
    )
    july = as_json(db, "due", "--month", "7", today="2018-07-10")["tasks"]
    assert next(t for t in july if t["id"] == "7.1")["due"] == "2018-09-30"  # still on it, open
    september = as_json(db, "due", "--month", "9", today="2018-08-10")["tasks"]
    moved = next(t for t in september if t["id"] == "7.1")
    assert (moved["month"], moved["due_month"], moved["overdue"]) == (7, 9, False)
    assert moved["deferral"] == {
        "to": 9,
        "due": "2018-09-30",
        "reason": "等待开发区规划批复",
        "on": "2018-06-15",
        "by": "tester",
    }
    report = ok(db, "report", today="2018-08-10")
    assert (
        "7.1   对推进城南经济开发区建设进行调研  7         9       等待开发区规划批复 (2018-06-15, tester)"
        in report
    )
    assert [t["id"] for t in as_json(db, "report", today="2018-08-10")["deferred"]] == ["7.1"]

    assert ok(db, "undo", "7.1").startswith("undone: defer of 7.1 ")
    assert task(db, "7.1", today="2018-08-10")["due_month"] == 7
    assert as_json(db, "report", today="2018-08-10")["deferred"] == []


def test_a_deferral_must_move_later_and_give_a_reason(db: str) -> None:
    earlier = cli(db, "defer", "7.1", "--to", "6", "--reason", "x")
    assert earlier.err == (
        "planctl: 7.1 is due on 2018-07-31; defer it to a later day, up to 2019-12-31"
        " (twelve months past the plan's period), not 2018-06-30\n"
    )
    duty = cli(db, "defer", "Y.8", "--to", "9", "--reason", "x")
    assert duty.err == (
        "planctl: Y.8 is a recurring duty: its occurrences cannot be deferred"
        " (record a late occurrence with done --on)\n"
    )
    assert cli(db, "defer", "7.1", "--to", "9").code == 2
    assert not Path(db).exists()


def test_check_lists_plan_changes_and_orphaned_progress(db: str, tmp_path: Path) -> None:
    plan = tmp_path / "2018.yaml"
    text = PLAN_2018.read_text(encoding="utf-8")
    plan.write_text(text, encoding="utf-8")
    run("done", "4.2", "--db", db, "--plan", str(plan), "--today", "2018-04-20")
    run("note", "4.2", "议政日已开", "--db", db, "--plan", str(plan), "--today", "2018-04-21")
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
    result = run("check", str(plan), "--db", db)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[1:] == [
        lines[1],
        "  added: 1.3 新增任务",
        "  removed: 4.2 开展议政日",
        "  retitled: 6.2 重点提案督办 -> 重点提案督办落实",
        "  moved: 6.2 from month 6 to month 7",
        "orphaned: 4.2 has 2 recorded events, kept; the plan has no such task",
    ]
    assert lines[1].startswith("changed since the store last recorded against it (")
    history = json.loads(run("history", "--db", db, "--plan", str(plan), "-f", "json").out)
    assert [e["task"] for e in history["events"]] == ["4.2", "4.2"]


def test_the_calendar_export_parses_back_to_the_tasks(db: str, tmp_path: Path) -> None:
    ok(db, "done", "6.1", "--on", "2018-06-12")
    ok(db, "defer", "7.1", "--to", "9", "--reason", "等待规划")
    target = tmp_path / "plan.ics"
    assert ok(db, "export", "--format", "ics", "--output", str(target)) == ""
    calendar: Any = Calendar.from_ical(target.read_bytes())
    todos: dict[str, Any] = {str(todo["uid"]): todo for todo in calendar.walk("VTODO")}
    # Duties (Y.8, P11.1) are a to-do per occurrence: tests/test_calendar_export.py.
    tasks = [t["id"] for t in as_json(db, "list")["tasks"] if t["id"] not in ("Y.8", "P11.1")]
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
    again: Any = Calendar.from_ical(ok(db, "export").encode())
    assert sorted(str(t["uid"]) for t in again.walk("VTODO")) == sorted(todos)
