"""Steps through the CLI on tests/data/good/steps-2024.yaml (lead, support, leaders, steps
two levels deep): list, due, report and digest in every format, `done` of a task with open
steps refused, `undo` of a step reopening its task, and RELATED-TO in the calendar export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import vobject

from tests.conftest import REPO, RecordedStores, Result, empty_store, run

PLAN = str(REPO / "tests/data/good/steps-2024.yaml")
TODAY = "2024-06-15"
FORMATS = ["table", "json", "csv", "markdown", "html"]


def record_history(path: Path) -> None:
    store = empty_store(str(path))
    recorded = cli(store, "done", "1.1", "2.1", "1.2.1", "--on", "2024-04-10", "--by", "甲")
    assert (recorded.code, recorded.err) == (0, "")


@pytest.fixture
def db(tmp_path: Path, recorded_stores: RecordedStores) -> str:
    return recorded_stores.copy(record_history, tmp_path / "s.sqlite3")


def cli(db: str, *args: str) -> Result:
    return run(*args, "--plan", PLAN, "--db", db, "--today", TODAY)


def as_json(db: str, *args: str) -> Any:
    result = cli(db, *args, "--format", "json")
    assert (result.code, result.err) == (0, ""), result.err
    return json.loads(result.out)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", ["list", "due", "report", "digest"])
def test_every_read_command_in_every_format(db: str, command: str, fmt: str) -> None:
    result = cli(db, command, "--format", fmt)
    assert (result.code, result.err) == (0, ""), result.err
    if fmt == "json":
        tasks = [task for key, value in json.loads(result.out).items()
                 if isinstance(value, list) for task in value if isinstance(task, dict)]  # fmt: skip
        assert all(
            {"parent", "steps", "steps_done"} <= task.keys() for task in tasks if "due" in task
        )
    elif fmt == "csv":  # plain IDs, and the task a step belongs to in a column of its own
        if command in ("report", "digest"):  # their default table is not one of tasks
            table = "overdue" if command == "report" else "open"
            result = cli(db, command, "--format", fmt, "--table", table)
        lines = result.out.splitlines()
        assert lines[0].startswith("编号,所属任务,")
        assert any(line.startswith("3.1,3,") for line in lines[1:])
    else:
        assert "└ 1.2" in result.out


def test_a_units_list_shows_the_steps_under_their_task(db: str) -> None:
    assert cli(db, "list", "--owner", "县政协提案委", "--format", "markdown").out.splitlines()[
        4:8
    ] == [
        "| 2 | 2024-11-30 | 搞好三次提案督办活动 | 县政协提案委 / 配合: 县政府督查室 | 李华、张强 | 2 |"
        "  | 未完成; 1/3次; 1/3步; 自 2024-04-10 无记录 | 黄 |",
        "| └ 2.1 | 4 | 第一次督办:教育资源均衡配置 | 县政协提案委 / 配合: 县政府督查室 | 李华、张强 |"
        " 2 |  | 已完成 2024-04-10 甲 | 完成 |",
        "| └ 2.2 | 7 | 第二次督办:农村饮水安全 | 县政协提案委 / 配合: 县政府督查室 | 张强 | 2 |  | 未完成 | 灰 |",
        "| └ 2.3 | 10 | 第三次督办:老旧小区改造 | 县政协提案委 / 配合: 县政府督查室 | 李华、张强 | 2 |"
        "  | 未完成 | 灰 |",
    ]


def test_csv_names_each_steps_task_and_counts_steps_done(db: str) -> None:
    """Plain values for a spreadsheet: bare IDs, the task a step belongs to in a column of
    its own, and a task's steps done and in all as numbers."""
    assert cli(db, "list", "--owner", "县政协提案委", "--format", "csv").out == (
        "编号,所属任务,月份,开始日期,截止日期,任务,牵头单位,配合单位,分管县领导,要点,类别,状态,灯号,"
        "已完成步骤,步骤,完成日期,记录人,已完成次数,目标,计量单位,备注\n"
        "2,,2024-11-30,2024-01-01,2024-11-30,搞好三次提案督办活动,县政协提案委,县政府督查室,"
        "李华、张强,2,,未完成,黄,1,3,,,1,3,次,\n"
        "2.1,2,4,2024-04-01,2024-04-30,第一次督办:教育资源均衡配置,县政协提案委,县政府督查室,"
        "李华、张强,2,,已完成,完成,,,2024-04-10,甲,,,,\n"
        "2.2,2,7,2024-07-01,2024-07-31,第二次督办:农村饮水安全,县政协提案委,县政府督查室,"
        "张强,2,,未完成,灰,,,,,,,,\n"
        "2.3,2,10,2024-10-01,2024-10-31,第三次督办:老旧小区改造,县政协提案委,县政府督查室,"
        "李华、张强,2,,未完成,灰,,,,,,,,\n"
    )


def test_json_tasks_name_their_parent_and_steps(db: str) -> None:
    tasks = {task["id"]: task for task in as_json(db, "list")["tasks"]}
    picked = {tid: (t["parent"], t["steps"], t["steps_done"], t["status"], t["lead"], t["leader"])
              for tid, t in tasks.items() if tid in ("1", "1.2", "1.2.2", "2")}  # fmt: skip
    assert picked == {
        "1": (None, ["1.1", "1.2", "1.3", "1.4"], 1, "open", ["县发改局"], ["王明"]),
        "1.2": ("1", ["1.2.1", "1.2.2"], 1, "open", ["县公共资源交易中心"], ["王明"]),
        "1.2.2": ("1.2", [], None, "open", ["县公共资源交易中心"], ["王明"]),
        "2": (None, ["2.1", "2.2", "2.3"], 1, "open", ["县政协提案委"], ["李华", "张强"]),
    }
    assert tasks["2"]["progress"] == {"count": 1, "target": 3, "expected": 1}


def test_the_report_counts_tasks_without_steps(db: str) -> None:
    report = as_json(db, "report")
    assert report["summary"] == {"total": 11, "done": 3, "open": 8, "overdue": 2, "percent": 27}
    assert [(s["number"], s["total"], s["done"]) for s in report["sections"]] == [
        (1, 5, 2),
        (2, 5, 1),
    ]
    owners = {o["owner"]: (o["total"], o["done"], o["supported_total"]) for o in report["owners"]}
    assert owners["县发改局"] == (3, 1, 2)  # leads 1.1, 1.3, 1.4; supports 1.2.1, 1.2.2
    assert owners["县公共资源交易中心"] == (2, 1, 0)
    assert [task["id"] for task in report["overdue"]] == ["1.2", "1.2.2", "3.1"]
    digest = as_json(db, "digest")
    assert digest["summary"] == {"total": 11, "done": 3, "overdue": 2, "percent": 27}


def test_done_of_a_task_with_open_steps_is_refused_and_nothing_is_recorded(db: str) -> None:
    before = as_json(db, "history")
    result = cli(db, "done", "1.2.2", "1")
    assert (result.code, result.out) == (1, "")
    # 1.2.2 in the same command would make 1.2 done; 1.3 and 1.4 are still open.
    assert result.err == (
        "planctl: 1 建成县域综合服务中心 须在所有步骤完成后才算完成;还有 2 个步骤未完成:\n"
        "  1.3 主体工程完工\n"
        "  1.4 竣工验收并投入使用\n"
    )
    assert as_json(db, "history") == before


def test_steps_done_in_the_same_command_make_their_task_done(db: str) -> None:
    result = cli(db, "done", "1.2.2", "1.2", "--on", "2024-06-01", "--by", "乙")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "done: 1.2.2 开标评标并公示结果 (2024-06-01, 乙)\n"
        "already done: 1.2 完成项目招标 (2024-06-01, 乙); nothing recorded\n"
    )
    tasks = {task["id"]: task for task in as_json(db, "list")["tasks"]}
    assert (tasks["1.2"]["status"], tasks["1.2"]["done_on"], tasks["1"]["steps_done"]) == (
        "done",
        "2024-06-01",
        2,
    )


def test_undo_of_a_step_reopens_its_task(db: str) -> None:
    assert cli(db, "done", "1.2.2", "--by", "乙").code == 0
    assert as_json(db, "show", "1.2")["task"]["status"] == "done"
    undone = cli(db, "undo", "1.2.2")
    assert (undone.code, undone.err) == (0, "")
    shown = as_json(db, "show", "1.2")["task"]
    assert (shown["status"], shown["overdue"], shown["steps_done"]) == ("open", True, 1)


def test_the_calendar_relates_each_step_to_its_task(db: str) -> None:
    result = cli(db, "export", "--format", "ics")
    assert (result.code, result.err) == (0, "")
    calendar: Any = vobject.readOne(result.out)
    related = {
        todo.uid.value.split("@")[0]: (todo.contents.get("related-to") or [None])[0]
        for todo in calendar.vtodo_list
    }
    parents = {uid: None if line is None else line.value for uid, line in related.items()}
    assert parents["1"] is None
    assert parents["1.2"] == "1@steps-2024.planctl"
    assert parents["1.2.1"] == "1.2@steps-2024.planctl"
    assert parents["2.3"] == "2@steps-2024.planctl"
    occurrences = [uid for uid in parents if uid.startswith("3.1.")]
    assert len(occurrences) == 12
    assert {parents[uid] for uid in occurrences} == {"3@steps-2024.planctl"}
    assert calendar.vtodo_list[0].percent_complete.value == "25"  # 1 of its 4 steps


def test_show_names_a_steps_task_and_a_tasks_steps(db: str) -> None:
    out = cli(db, "show", "1.2", "--format", "csv").out
    assert "所属任务,1\n" in out
    assert '步骤,"1.2.1, 1.2.2"\n' in out
    assert "状态,逾期; 1/2步\n" in out


def test_count_is_refused_for_a_task_counted_by_its_steps(db: str) -> None:
    result = cli(db, "done", "2", "--count", "2")
    assert (result.code, result.err) == (
        1,
        "planctl: --count 应记在步骤上:2 的完成次数由其步骤累计\n",
    )


def test_digest_soon_keeps_a_tasks_light_the_worst_of_its_steps(db: str) -> None:
    """`--soon 200` makes task 1 due soon (30 November), but its step 1.2 is overdue: the
    task stays red, as without `--soon`."""
    for soon in ("7", "200"):
        data = as_json(db, "digest", "--soon", soon)
        lights = {t["id"]: t["light"] for v in data.values() if isinstance(v, list)
                  for t in v if isinstance(t, dict) and "light" in t}  # fmt: skip
        assert (lights["1"], lights["1.2"]) == ("red", "red")
    # Its own due day, 31 October, is within 200 days: due soon, yet yellow, being stale.
    assert "1.3" in [task["id"] for task in data["due_soon"]]
    assert lights["1.3"] == "yellow"


def test_list_and_due_count_a_task_with_steps_once_as_the_report_does(db: str) -> None:
    """The footer counts each piece of work once: a task shown with steps by its steps (the
    list showed 15 rows of 11 tasks and said 15)."""
    summary = as_json(db, "report")["summary"]
    assert cli(db, "list").out.splitlines()[-1] == (
        f"共 {summary['total']} 项:已完成 {summary['done']} 项,"
        f"未完成 {summary['total'] - summary['done']} 项,逾期 {summary['overdue']} 项"
    )
    assert summary["total"] == 11
    ids = [task["id"] for task in as_json(db, "list", "--month", "12")["tasks"]]
    shown = cli(db, "list", "--month", "12", "--lang", "en").out.splitlines()[-1]
    assert (ids, shown) == (["4", "3", "3.2"], "2 tasks: 0 done, 2 open, 0 overdue")
    ids = [task["id"] for task in as_json(db, "due", "--month", "4")["tasks"]]
    shown = cli(db, "due", "--month", "4", "--lang", "en").out.splitlines()[-1]
    assert ids == ["1", "1.2", "1.2.1", "1.2.2", "1.3", "1.4", "2", "2.1", "3", "3.1"]
    assert shown == "6 tasks: 2 done, 4 open, 2 overdue"  # the rows without steps shown
