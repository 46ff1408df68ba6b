"""The daily loop through the CLI: due, done, undo, note, history, and failures that change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Planctl, empty_store, snapshot


@pytest.fixture
def db(made_store_url: str) -> str:
    """Each test here runs on SQLite and on PostgreSQL, in a store with no events yet."""
    return made_store_url


def statuses(planctl: Planctl, db: str, *args: str) -> list[tuple[str, str, bool]]:
    tasks = planctl.json(*args, db=db)["tasks"]
    return [(task["id"], task["status"], task["overdue"]) for task in tasks]


def test_due_on_a_fresh_store(store_url: str, planctl: Planctl) -> None:
    db = empty_store(store_url)
    data = planctl.json("due", "--month", "6", db=db)
    assert (data["month"], data["today"]) == (6, "2018-06-15")
    earlier = ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "3.3", "3.4", "3.5", "4.1", "4.2", "4.3"]
    june = ["6.1", "6.2", "6.3"]
    year_round = [f"Y.{n}" for n in range(1, 10)] + ["P10.1", "P10.2", "P11.1"]
    # The weekly and quarterly duties have missed every period so far: overdue too.
    behind = {"Y.8", "P11.1"}
    assert [(t["id"], t["overdue"]) for t in data["tasks"]] == (
        [(i, True) for i in [*earlier, "5.1"]] + [(i, i in behind) for i in june + year_round]
    )


def test_due_defaults_to_the_current_month_and_names_the_plan(db: str, planctl: Planctl) -> None:
    result = planctl("due", db=empty_store(db))
    assert result.out.startswith(
        "2018 年区政协常委会工作要点 (plans/2018.yaml):2018 年 6 月待办(截至 2018-06-15)\n"
    )
    assert result.out.endswith("共 28 项:已完成 0 项,未完成 28 项,逾期 15 项\n")
    english = planctl("due", "--lang", "en", db=db)
    assert english.out.startswith(
        "2018 年区政协常委会工作要点 (plans/2018.yaml): due in 2018-06 (today 2018-06-15)\n"
    )
    assert english.out.endswith("28 tasks: 0 done, 28 open, 15 overdue\n")


def test_done_then_undo_through_every_view(db: str, planctl: Planctl) -> None:
    done = planctl("done", "6.2", "--note", "督办三件重点提案", "--by", "李明", db=db)
    assert (done.code, done.err) == (0, "")
    assert done.out == "done: 6.2 重点提案督办 (2018-06-15, 李明)\n"

    task = planctl.json("show", "6.2", db=db)["task"]
    assert {k: task[k] for k in ("status", "overdue", "done_on", "done_by", "note")} == {
        "status": "done",
        "overdue": False,
        "done_on": "2018-06-15",
        "done_by": "李明",
        "note": "督办三件重点提案",
    }
    assert ("6.2", "done", False) in statuses(planctl, db, "due", "--month", "6")
    assert ("6.2", "done", False) in statuses(planctl, db, "list", "--month", "6")
    point_8 = planctl.json("points", db=db)["sections"][1]["points"][4]
    assert (point_8["number"], point_8["done"], point_8["total"]) == (8, 1, 4)
    assert "已完成 2018-06-15 李明" in planctl("due", "--month", "6", db=db).out

    noted = planctl("note", "6.2", "已报区委", db=db)
    assert noted.out == "noted: 6.2 重点提案督办\n"
    undone_note = planctl("undo", "6.2", db=db)
    assert undone_note.out == "undone: note of 6.2 重点提案督办 (2018-06-15, tester)\n"
    undone = planctl("undo", "重点提案督办", db=db)
    assert undone.out == "undone: done of 6.2 重点提案督办 (2018-06-15, 李明)\n"
    assert ("6.2", "open", False) in statuses(planctl, db, "due", "--month", "6")
    assert ("6.2", "open", True) in statuses(
        planctl, db, "due", "--month", "7", "--today", "2018-07-01"
    )

    events = planctl.json("history", "6.2", db=db)["events"]
    assert [(e["action"], e["by"], e["note"]) for e in events] == [
        ("undo", "tester", None),
        ("undo", "tester", None),
        ("note", "tester", "已报区委"),
        ("done", "李明", "督办三件重点提案"),
    ]
    assert events[0]["undoes"] == events[3]["event_id"]
    assert events[1]["undoes"] == events[2]["event_id"]


def test_done_several_tasks_and_one_already_done(db: str, planctl: Planctl) -> None:
    planctl("done", "6.1", "--on", "2018-06-10", "--by", "王", db=db)
    result = planctl("done", "6.1", "6.3", "--by", "赵", db=db)
    assert result.code == 0
    assert result.out == (
        "done: 6.3 召开区政协常委会:协商提案科养老保险扩面、宣教科文体工作发展情况的调研报告;"
        "通过城市精细化管理情况的视察报告 (2018-06-15, 赵)\n"
        "already done: 6.1 对城市精细化管理情况进行视察 (2018-06-10, 王); nothing recorded\n"
    )
    assert len(planctl.json("history", db=db)["events"]) == 2


def test_nothing_to_undo(db: str, planctl: Planctl) -> None:
    result = planctl("undo", "6.1", db=db)
    assert (result.code, result.out) == (1, "")
    assert result.err == "planctl: 6.1 对城市精细化管理情况进行视察 没有可撤销的变更\n"


def test_history_since_and_newest_first(db: str, planctl: Planctl) -> None:
    planctl("done", "1.1", "--on", "2018-01-20", db=db)
    planctl("done", "3.2", "--on", "2018-03-30", db=db)
    planctl("note", "5.1", "调研提纲已定", "--on", "2018-05-08", db=db)
    events = planctl.json("history", "--since", "2018-03-01", db=db)["events"]
    assert [(e["task"], e["action"], e["on"]) for e in events] == [
        ("5.1", "note", "2018-05-08"),
        ("3.2", "done", "2018-03-30"),
    ]
    table = planctl("history", db=db).out
    assert "3.2   开展生态环境整治情况的调研" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["done", "没有这个"], "planctl: cppcc-2018 中没有与 '没有这个' 匹配的任务"),
        (["done", "6.1", "没有这个"], "planctl: cppcc-2018 中没有与 '没有这个' 匹配的任务"),
        (["done", "6.1", "养老"], "planctl: '养老' 匹配 2 项任务:\n  5.1 开展养老保险扩面情况的调研\n"
         "  6.3 召开区政协常委会:协商提案科养老保险扩面、宣教科文体工作发展情况的调研报告;通过城市精细化管理情况的视察报告"),
        (["done", "6.1", "--on", "2018-06-31"],
         "planctl: --on 必须是 YYYY-MM-DD 格式的日期,不能是 '2018-06-31'"),
        (["done", "6.1", "--on", "15/06/2018"],
         "planctl: --on 必须是 YYYY-MM-DD 格式的日期,不能是 '15/06/2018'"),
        (["done", "6.1", "--today", "yesterday"],
         "planctl: --today / PLANCTL_TODAY 必须是 YYYY-MM-DD 格式的日期,不能是 'yesterday'"),
        (["due", "--month", "2019-06"],
         "planctl: 2019-06 不在计划期 2018-01-01..2018-12-31 内"),
        (["done", "6.1", "--on", "2018-06-16"], "planctl: --on 2018-06-16 is after today (2018-06-15)"),
        (["note", "6.1", "x", "--on", "2017-12-31"],
         "planctl: --on 2017-12-31 is outside the plan's period 2018-01-01..2018-12-31"),
        (["undo", "6.3"], "planctl: 6.3 召开区政协常委会:协商提案科养老保险扩面、"
         "宣教科文体工作发展情况的调研报告;通过城市精细化管理情况的视察报告 没有可撤销的变更"),
        (["note", "6.1", "  "], "planctl: a note needs some text"),
        (["history", "--since", "june"],
         "planctl: --since 必须是 YYYY-MM-DD 格式的日期,不能是 'june'"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_changes_nothing(
    db: str, args: list[str], message: str, planctl: Planctl
) -> None:
    planctl("done", "6.2", db=db)
    before = snapshot(db)
    result = planctl(*args, db=db)
    assert (result.code, result.out, result.err) == (1, "", message + "\n")
    assert snapshot(db) == before


def test_usage_errors_exit_2_and_change_nothing(db: str, planctl: Planctl) -> None:
    planctl("done", "6.2", db=db)
    before = snapshot(db)
    assert planctl("done", db=db).code == 2
    for month in ("six", "0", "13"):
        assert planctl("due", "--month", month, db=db).code == 2
    assert snapshot(db) == before


def test_a_store_directory_that_is_not_writable(tmp_path: Path, planctl: Planctl) -> None:
    if not _can_mount():
        pytest.skip("needs root to mount a read-only tmpfs")
    import subprocess

    mount = tmp_path / "ro"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(mount)], check=True)
    try:
        db = str(mount / "store.sqlite3")
        result = planctl("done", "6.1", db=db)
        assert (result.code, result.out) == (1, "")
        assert result.err == (f"planctl: 无法创建存储 {db}:Read-only file system\n")
        missing = planctl("due", db=db).err
        assert missing == f"planctl: {db} 没有存储:那里还没有任何记录\n"
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def _can_mount() -> bool:
    import os
    import shutil

    return os.geteuid() == 0 and shutil.which("mount") is not None


def test_the_default_store_is_in_the_user_data_directory(isolated: Path, planctl: Planctl) -> None:
    result = planctl("done", "6.1")
    assert result.code == 0
    store = isolated / "xdg-data" / "planctl" / "planctl.sqlite3"
    assert store.stat().st_mode & 0o777 == 0o600
    assert "已完成 2018-06-15 tester" in planctl("due").out


def test_confirmations_under_an_earlier_today_read_the_task_as_of_that_day(
    db: str, planctl: Planctl
) -> None:
    """Work dated after `--today` is not there yet on that day: the confirmation says what
    `show` says for the same today (issue 26: `2/6次` was printed where `show` said `1/6次`)."""
    later = planctl("done", "P10.1", "--count", "1", "--on", "2018-06-12", "--by", "李明", db=db)
    assert later.out == "done: P10.1 各位主席带队走访委员 (2018-06-12, 李明): 1/6次\n"
    earlier = planctl(
        "done", "P10.1", "--count", "1", "--on", "2018-06-05", "--by", "李明", db=db,
        today="2018-06-10",
    )  # fmt: skip
    assert (earlier.code, earlier.err) == (0, "")
    assert earlier.out == "done: P10.1 各位主席带队走访委员 (2018-06-05, 李明): 1/6次\n"
    shown = planctl.json("show", "P10.1", db=db, today="2018-06-10")["task"]
    assert shown["progress"] == {"count": 1, "target": 6, "expected": 2}

    # A deferral dated after today does not move the due day yet.
    planctl("defer", "6.2", "--to", "2018-08-31", "--reason", "等待批复", "--on", "2018-06-12",
            "--by", "李明", db=db)  # fmt: skip
    deferred = planctl(
        "defer", "6.2", "--to", "2018-07-31", "--reason", "材料未齐", "--by", "李明", db=db,
        today="2018-06-10",
    )  # fmt: skip
    assert (deferred.code, deferred.err) == (0, "")
    assert deferred.out == "deferred: 6.2 重点提案督办 to 2018-07-31 (材料未齐)\n"
    assert planctl.json("show", "6.2", db=db, today="2018-06-10")["task"]["due"] == "2018-07-31"

    progress = planctl(
        "progress", "6.2", "--note", "已督办两件", "--percent", "40", "--by", "李明", db=db,
        today="2018-06-10",
    )  # fmt: skip
    assert progress.out == "progress: 6.2 重点提案督办 (2018-06-10, 李明): 40%\n"

    undone = planctl("undo", "P10.1", "--by", "李明", db=db, today="2018-06-10")
    assert undone.out == "undone: done of P10.1 各位主席带队走访委员 (2018-06-05, 李明): +1\n"
    assert (
        planctl.json("show", "P10.1", db=db, today="2018-06-10")["task"]["progress"]["count"] == 0
    )
    assert planctl.json("show", "P10.1", db=db)["task"]["progress"]["count"] == 1


def test_record_runs_any_use_case_in_one_transaction(db: str, planctl: Planctl) -> None:
    """What a new event kind asks of the shell is its use case: `Session.record` reads the
    history it names, appends its change, and hands back the tasks as they stand after it,
    as of the same today; a change it refuses appends nothing."""
    from dataclasses import dataclass

    from planctl.cli.session import Session
    from planctl.core.changes import Change, Situation, note_event
    from planctl.errors import BadValue
    from planctl.plan.model import Task
    from tests.conftest import PLAN_2018

    @dataclass(frozen=True)
    class CountedSoFar:  # a use case the core does not have: a note of the count so far
        task: Task

        @property
        def tasks(self) -> list[Task]:
            return [self.task]

        def reads(self) -> list[str]:
            return [self.task.id]

        def change(self, situation: Situation) -> Change:
            count = situation.state(self.task.id).count
            if count > 1:
                raise BadValue(f"{self.task.id} has {count} already")
            text = f"{count} so far"
            stamp = situation.stamp
            return Change([note_event(situation.plan.id, self.task, text, on=situation.on,
                                      stamp=stamp)])  # fmt: skip

    planctl.ok("done", "P10.1", "--count", "1", "--on", "2018-06-12", db=db)
    session = Session(plan=str(PLAN_2018), db=db, today="2018-06-10")
    recorded = session.record(CountedSoFar(session.task("P10.1")), on=None, by="李明")
    assert [(e.action.value, e.note, e.recorded_by) for e in recorded.change.events] == [
        ("note", "0 so far", "李明")  # the work dated 06-12 is after this today
    ]
    assert recorded.on.isoformat() == "2018-06-10"
    assert recorded.rows["P10.1"].pace is not None
    assert recorded.rows["P10.1"].pace.count == 0
    planctl.ok("done", "P10.1", "--count", "1", "--on", "2018-06-13", db=db)
    before = snapshot(db)
    later = Session(plan=str(PLAN_2018), db=db, today="2018-06-15")
    with pytest.raises(BadValue, match=r"^P10\.1 has 2 already$"):
        later.record(CountedSoFar(later.task("P10.1")), on=None, by="李明")
    assert snapshot(db) == before
