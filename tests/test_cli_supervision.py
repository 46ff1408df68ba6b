"""The supervision loop through the CLI: progress reports, value targets, lights, stale tasks,
the digest's reminders and `mail --only-if-action`, on a filing history the test builds."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, RecordedStores, Result, empty_store, run, snapshot
from tests.smtp import Server, bodies, parse
from tests.test_cli_reports import mail_env

PLAN = str(REPO / "tests/data/good/value-targets-2023.yaml")
TODAY = "2023-09-25"

FILINGS = [
    ("done", "P1", "--on", "2023-03-25", "--by", "张"),
    ("done", "P2", "--count", "49", "--on", "2023-09-01", "--by", "张"),
    *(("done", "M1", "--on", f"2023-{month:02d}-08", "--by", "孙") for month in range(1, 9)),
    ("progress", "G1", "--note", "上半年增长 7.6%", "--value", "7.6", "--on", "2023-07-15",
     "--by", "张"),
    ("progress", "G2", "--note", "1-7 月增长 7.7%", "--value", "7.7", "--on", "2023-08-15",
     "--by", "钱"),
    ("progress", "G4", "--note", "8 月 5.2%", "--value", "5.2", "--on", "2023-09-05",
     "--by", "周"),
    ("progress", "G5", "--note", "夏粮已收", "--value", "118", "--on", "2023-09-20", "--by", "吴"),
    ("done", "G6", "--count", "3", "--on", "2023-09-10", "--by", "周"),
]  # fmt: skip
"""A year of filing up to 25 September: M1 missed September's return (red), P2 and P3 are due
on the 30th (blue), G1's latest value misses its target (yellow), G2 and G3 have had nothing
recorded for over 30 days (stale)."""


def cli(db: str, *args: str, today: str = TODAY, env: dict[str, str] | None = None) -> Result:
    return run(*args, "--plan", PLAN, "--db", db, "--today", today, env=env)


def as_json(db: str, *args: str, today: str = TODAY) -> Any:
    result = cli(db, *args, "--format", "json", today=today)
    assert (result.code, result.err) == (0, ""), result.err
    return json.loads(result.out)


def record_filings(path: Path) -> None:
    store = empty_store(str(path))
    for filing in FILINGS:
        result = cli(store, *filing)
        assert (result.code, result.err) == (0, ""), (filing, result.err)


@pytest.fixture
def db(tmp_path: Path, recorded_stores: RecordedStores) -> str:
    return recorded_stores.copy(record_filings, tmp_path / "s.sqlite3")


def tasks(db: str, today: str = TODAY) -> dict[str, Any]:
    return {task["id"]: task for task in as_json(db, "list", today=today)["tasks"]}


# progress


def test_progress_says_what_it_recorded(tmp_path: Path) -> None:
    db = empty_store(str(tmp_path / "s.sqlite3"))
    result = cli(db, "progress", "G1", "--note", "一季度 7.9%", "--value", "7.9",
                 "--on", "2023-04-20", "--by", "张")  # fmt: skip
    assert (result.code, result.out, result.err) == (
        0,
        "progress: G1 地区生产总值增长 8% 以上 (2023-04-20, 张): 最新 7.9%(目标 ≥8%):未达标\n",
        "",
    )
    result = cli(db, "progress", "P3", "--note", "评估方案已定", "--on", "2023-07-03")
    assert result.out == "progress: P3 完成重点项目中期评估 (2023-07-03, tester)\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["P3", "--note", "x", "--percent", "101"], "--percent 必须在 0 到 100 之间,不能是 101"),
        (["P3", "--note", "x", "--percent", "-1"], "--percent 必须在 0 到 100 之间,不能是 -1"),
        (["P3", "--note", "x", "--value", "3"],
         "--value 用于有数值目标的任务(measure: value);P3 没有数值目标"),
        (["G1", "--note", "x", "--value", "8%"],
         "--value 必须是数字,如 8、7.5 或 -2,不能是 '8%'"),
        (["G1", "--note", "x", "--value", "nan"],
         "--value 必须是数字,如 8、7.5 或 -2,不能是 'nan'"),
        (["G1", "--note", "x", "--value", "1e3"],
         "--value 必须是数字,如 8、7.5 或 -2,不能是 '1e3'"),
        (["P3", "--note", "  "],
         "进度填报需要说明(--note):目前已做的工作"),
        (["P2", "--note", "x", "--percent", "90"],
         "--percent 不适用于 P2:它按数量计入目标(50个);请用 done --count"),
        (["G1", "--note", "x", "--value", "7.9", "--percent", "60"],
         "--percent 不适用于 G1:它以数值对照目标(8%);请用 --value"),
        (["P3", "--note", "bad \x1b[31m"], "--note: 不允许控制字符 0x001b"),
        (["P3", "--note", "x", "--on", "2023-09-26"],
         "--on 2023-09-26 is after today (2023-09-25)"),
    ],
)  # fmt: skip
def test_a_bad_progress_report_is_one_line_and_records_nothing(
    db: str, args: list[str], message: str
) -> None:
    before = snapshot(db)
    assert (cli(db, "progress", *args).code, cli(db, "progress", *args).err) == (
        1,
        f"planctl: {message}\n",
    )
    assert snapshot(db) == before


def test_progress_needs_a_note_on_the_command_line(db: str) -> None:
    result = cli(db, "progress", "P3", "--percent", "10")
    assert result.code == 2 and "错误:缺少选项 '--note'。" in result.err


def test_a_report_never_marks_a_task_done_and_undo_reverses_it(db: str) -> None:
    assert cli(db, "progress", "P3", "--note", "评估报告已完成", "--percent", "100").code == 0
    p3 = tasks(db)["P3"]
    assert (p3["status"], p3["light"], p3["stale"]) == ("open", "blue", False)
    assert p3["progress_report"] == {
        "on": "2023-09-25", "by": "tester", "percent": 100, "value": None, "note": "评估报告已完成"
    }  # fmt: skip
    assert (
        cli(db, "undo", "P3").out
        == "undone: progress of P3 完成重点项目中期评估 (2023-09-25, tester): 100%\n"
    )
    assert tasks(db)["P3"]["progress_report"] is None


# what each task object says


def test_task_objects_carry_light_stale_report_and_value_target(db: str) -> None:
    found = tasks(db)
    assert {task_id: task["light"] for task_id, task in found.items()} == {
        "G1": "yellow", "G2": "yellow", "G3": "yellow", "G4": "green", "G5": "green",
        "G6": "green", "P1": "done", "P2": "blue", "P3": "yellow", "M1": "red",
    }  # fmt: skip
    stale = [task_id for task_id, task in found.items() if task["stale"]]
    assert stale == ["P3", "G1", "G2", "G3"]  # so yellow, G2 and G3 for that alone
    assert [found[task_id]["stale_since"] for task_id in stale] == [
        None, "2023-07-15", "2023-08-15", None
    ]  # fmt: skip
    g2 = found["G2"]
    assert g2["progress_report"] == {
        "on": "2023-08-15", "by": "钱", "percent": None, "value": 7.7, "note": "1-7 月增长 7.7%"
    }  # fmt: skip
    assert g2["value_target"] == {
        "target": 8, "unit": "%", "compare": "about", "tolerance": 0.4, "value": 7.7,
        "on": "2023-08-15", "meets": True,
    }  # fmt: skip
    assert found["G3"]["value_target"] == {
        "target": 3, "unit": "%", "compare": "at_most", "tolerance": None, "value": None,
        "on": None, "meets": None,
    }  # fmt: skip
    assert found["G5"]["value_target"]["tolerance"] == 2.5
    assert (found["G2"]["expected_percent"], found["P2"]["expected_percent"]) == (73, 97)
    assert found["M1"]["expected_percent"] is None
    assert found["P2"]["progress"] == {"count": 49, "target": 50, "expected": 48}


def test_a_value_target_is_done_or_overdue_when_its_window_ends(db: str) -> None:
    assert cli(db, "progress", "G1", "--note", "全年 8.2%", "--value", "8.2",
               "--on", "2023-12-28", today="2023-12-28").code == 0  # fmt: skip
    after = tasks(db, today="2024-01-02")
    g1, g2 = after["G1"], after["G2"]
    assert (g1["status"], g1["overdue"], g1["light"], g1["done_on"], g1["done_by"]) == (
        "done", False, "done", "2023-12-28", "tester"
    )  # fmt: skip
    assert (g2["status"], g2["overdue"], g2["light"]) == ("done", False, "done")  # 7.7 ≈ 8
    assert (after["G3"]["status"], after["G3"]["light"]) == ("open", "red")  # never reported
    # The office may declare one done, whatever its value.
    assert cli(db, "done", "G3", "--on", "2023-12-30", today="2024-01-02").code == 0
    assert tasks(db, today="2024-01-02")["G3"]["light"] == "done"


def test_show_and_history_list_the_reports(db: str) -> None:
    cli(db, "progress", "G1", "--note", "前三季度 7.8%", "--value", "7.8")
    shown = as_json(db, "show", "G1")
    assert shown["reports"] == [
        {"on": "2023-09-25", "by": "tester", "percent": None, "value": 7.8, "note": "前三季度 7.8%"},
        {"on": "2023-07-15", "by": "张", "percent": None, "value": 7.6, "note": "上半年增长 7.6%"},
    ]  # fmt: skip
    table = cli(db, "show", "G1", "--lang", "en", env={"COLUMNS": "120"}).out
    assert table.endswith(
        "Progress reports\n"  # no report gives a percent: the column is not drawn
        "On          By      Value  Note\n"
        "----------  ------  -----  ---------------\n"
        "2023-09-25  tester  7.8%   前三季度 7.8%\n"
        "2023-07-15  张      7.6%   上半年增长 7.6%\n"
    )
    assert "Light        yellow\n" in table
    assert "latest 7.8% (target ≥8%): not met" in table
    events = as_json(db, "history", "G1")["events"]
    assert [(e["action"], e["percent"], e["value"]) for e in events] == [
        ("progress", None, 7.8),
        ("progress", None, 7.6),
    ]
    history = cli(db, "history", "G1", env={"COLUMNS": "160"}).out
    assert "进度填报  2023-09-25  tester  7.8% · 前三季度 7.8%\n" in history


def test_due_flags_stale_tasks(db: str) -> None:
    due = as_json(db, "due", "--month", "9")
    assert [t["id"] for t in due["tasks"] if t["stale"]] == ["P3", "G1", "G2", "G3"]
    table = cli(db, "due", "--month", "9", env={"COLUMNS": "200"}).out
    assert re.search(r"未完成; 尚未填报数值\(目标 ≤3%\); 尚无记录 +黄\n", table)
    assert re.search(r"; 自 2023-08-15 无记录 +黄\n", table)


def test_the_config_file_sets_the_margin_and_the_stale_days(db: str, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("stale_days = 45\nsoon_days = 4\n", encoding="utf-8")
    env = {"PLANCTL_CONFIG": str(config)}
    result = cli(db, "list", "--format", "json", env=env)
    found = {task["id"]: task for task in json.loads(result.out)["tasks"]}
    assert [task_id for task_id, task in found.items() if task["stale"]] == ["P3", "G1", "G3"]
    assert (found["P2"]["light"], found["P3"]["light"]) == ("green", "yellow")  # P3 stale
    cli(db, "progress", "P3", "--note", "基本完成", "--percent", "85", "--on", "2023-09-20")
    # 85% against 87 of the window's 92 days (94%): within the default margin of 10 points
    assert as_json(db, "show", "P3")["task"]["light"] == "blue"
    config.write_text("behind_margin = 0\nsoon_days = 0\n", encoding="utf-8")
    shown = json.loads(cli(db, "show", "P3", "--format", "json", env=env).out)["task"]
    assert shown["light"] == "yellow"


# the digest's reminders, and mail


def test_the_digest_opens_with_what_needs_action(db: str) -> None:
    digest = as_json(db, "digest")
    lists = {key: [t["id"] for t in digest[key]] for key in ("overdue", "due_soon", "behind",
                                                             "stale")}  # fmt: skip
    assert lists == {"overdue": ["M1"], "due_soon": ["P2", "P3"], "behind": ["G1"],
                     "stale": ["G2", "G3"]}  # fmt: skip
    assert digest["stale_days"] == 30
    text = cli(db, "digest", env={"COLUMNS": "200"}).out
    headings = [
        "逾期任务",
        "临期任务",
        "进度落后",
        "未更新(30 天无记录)",
        "近 7 天完成",
        "本月待办",
    ]
    positions = [text.index(f"\n{heading}\n") for heading in headings]
    assert positions == sorted(positions)
    # each line names its lead units and its leader
    assert "M1    每月        2023-09-10  报送主要指标月度进展" in text
    m1 = next(line for line in text.splitlines() if line.startswith("M1 "))
    assert "市统计局" in m1 and "王明" in m1 and m1.endswith("红")


def test_mail_sends_the_reminders_first(db: str, smtp_server: Callable[..., Server]) -> None:
    server = smtp_server()
    result = cli(db, "mail", "--to", "office@example.org", "--only-if-action",
                 env=mail_env(server))  # fmt: skip
    assert (result.code, result.out, result.err) == (0, "", "")
    [delivery] = server.recorder.delivered
    text, html = bodies(parse(delivery.content))
    order = [
        text.index(f"\n{h}\n") for h in ("逾期任务", "临期任务", "进度落后", "未更新(30 天无记录)")
    ]
    assert order == sorted(order) and order[0] < text.index("\n近 7 天完成\n")
    assert '<td class="nw light-red">红</td>' in html
    assert '<td class="nw light-yellow">黄</td>' in html


def test_mail_only_if_action_is_quiet_on_a_day_with_nothing_to_act_on(
    db: str, smtp_server: Callable[..., Server]
) -> None:
    server = smtp_server()
    args = ("mail", "--to", "ny@example.org", "--owner", "市农业农村局", "--only-if-action")
    quiet = cli(db, *args, env=mail_env(server))
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")
    assert server.recorder.delivered == []
    # Five weeks on, G5 is due within a week: one message.
    due_soon = cli(db, *args, today="2023-10-28", env=mail_env(server))
    assert (due_soon.code, due_soon.out, due_soon.err) == (0, "", "")
    [delivery] = server.recorder.delivered
    text, _ = bodies(parse(delivery.content))
    assert "临期任务\n" in text and "G5" in text
    # Without --only-if-action the quiet day's digest is sent as ever.
    assert cli(db, *args[:-1], env=mail_env(server)).code == 0
    assert len(server.recorder.delivered) == 2
