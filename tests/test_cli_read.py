"""The read-only commands through the CLI: check, schema, points, list, show."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from planctl.cli.settings import past_hint
from planctl.render.wrap import width
from planctl.rules.calendar import PlanPeriod
from tests.conftest import PLAN_2018, Planctl, empty_store, plain_columns, snapshot

TODAY = ["--today", "2018-06-15"]


def test_check_prints_one_summary_line(planctl: Planctl) -> None:
    result = planctl("check", "plans/2018.yaml")
    assert result.code == 0
    assert result.out == (
        "plans/2018.yaml:通过:cppcc-2018 2018 年区政协常委会工作要点:"
        "4 个部分、18 个工作要点、41 项任务\n"
    )
    assert result.err == ""


def test_check_finds_the_plan_like_every_command(planctl: Planctl) -> None:
    assert planctl("check", *TODAY).out.startswith("plans/2018.yaml:通过:")
    assert planctl("check", env={"PLANCTL_PLAN": str(PLAN_2018)}).code == 0


def test_check_reports_every_problem_with_its_position(tmp_path: Path, planctl: Planctl) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: p\nyear: 2018\ntitle: t\nsections:\n  - number: 1\n    title: s\n"
        "    points:\n      - {number: 1, title: a}\n"
        "tasks:\n  - {id: a, title: x, month: 1, points: [2]}\n"
        "  - {id: A, title: y, month: 2}\n",
        encoding="utf-8",
    )
    result = planctl("check", str(bad))
    assert result.code == 1
    assert result.out == ""
    assert result.err == (
        f"{bad}:10:42: 没有编号为 2 的工作要点\n"
        f"{bad}:11:10: 任务编号 'A' 重复(任务编号不区分大小写:'a' 在第 10 行)\n"
    )


PLAN_HEAD = (
    "id: p\nyear: 2018\ntitle: t\nsections:\n  - number: 1\n    title: s\n"
    "    points:\n      - {number: 1, title: a}\ntasks:\n"
)


def test_check_warns_of_unit_names_that_differ_by_look_alike_letters(
    tmp_path: Path, planctl: Planctl
) -> None:
    """Latin A and Cyrillic А: two units to every command, one to the eye."""
    plan = tmp_path / "p.yaml"
    plan.write_text(
        PLAN_HEAD + "  - {id: a, title: x, month: 1, lead: [A科]}\n"
        "  - {id: b, title: y, month: 2, lead: [\u0410科], support: [B科]}\n"
        "  - {id: c, title: z, month: 3, lead: [A科]}\n",
        encoding="utf-8",
    )
    result = planctl("check", str(plan))
    assert (result.code, result.out) == (
        0,
        f"{plan}:通过:p t:1 个部分、1 个工作要点、3 项任务\n",
    )
    assert result.err == (
        "警告:单位 'А科'(任务 b)与 'A科'(任务 a)相似,但 U+0410 for U+0041 不同:它们是两个单位\n"
    )
    english = planctl("check", str(plan), env={"PLANCTL_LANG": "en"})
    assert english.out == f"{plan}: ok: p t: 1 section, 1 work point, 3 tasks\n"
    assert english.err == (
        "warning: unit 'А科' (task b) looks like 'A科' (task a) but differs in U+0410 for"
        " U+0041: they are two units\n"
    )


def test_a_title_of_zero_width_characters_and_a_carried_from_with_a_newline_are_refused(
    tmp_path: Path, planctl: Planctl
) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(
        PLAN_HEAD + '  - {id: a, title: "\u200b\u200d\ufeff", month: 1}\n'
        '  - {id: b, title: y, month: 2, carried_from: "cppcc-2017:6.2\\n"}\n',
        encoding="utf-8",
    )
    before = plan.read_bytes()
    result = planctl("check", str(plan))
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"{plan}:10:20: tasks[0].title: 没有可见字符(只有零宽或空白字符)\n"
        f"{plan}:11:47: tasks[1].carried_from: 'cppcc-2017:6.2\\n' 不是“计划ID:任务ID”的写法"
        "(如 cppcc-2018:6.2)\n"
    )
    assert plan.read_bytes() == before


def test_today_after_the_plans_year_is_said_on_stderr(tmp_path: Path, planctl: Planctl) -> None:
    """`due` on the 2018 plan years later printed every task overdue with no hint."""
    db = empty_store(str(tmp_path / "s.sqlite3"))
    before = snapshot(db)
    days = {date.today()}
    result = planctl("due", "--format", "json", db=db, today=None)
    days.add(date.today())  # the clock may pass midnight in between
    assert result.code == 0
    assert result.err in {
        f"today {day} is after this plan's year 2018; --today 2018-{day:%m-%d} reads it as of"
        " then\n"
        for day in days
    }
    assert json.loads(result.out)["plan"]["year"] == 2018  # stdout is the JSON alone
    # A day given (--today, PLANCTL_TODAY) is the user's choice: no hint.
    assert planctl("due", db=db).err == ""
    assert snapshot(db) == before


def test_the_past_hint_names_a_day_in_the_plans_period() -> None:
    year = PlanPeriod(date(2018, 1, 1), date(2018, 12, 31), 2018)
    assert past_hint(year, date(2018, 12, 31)) is None
    assert past_hint(year, date(2024, 2, 29)) == (
        "today 2024-02-29 is after this plan's year 2018; --today 2018-02-28 reads it as of then"
    )
    two = PlanPeriod(date(2019, 5, 1), date(2021, 4, 30), 2019)
    assert past_hint(two, date(2026, 12, 7)) == (
        "today 2026-12-07 is after this plan's period 2019-05-01..2021-04-30;"
        " --today 2021-04-30 reads it as of then"
    )


def test_a_missing_plan_is_one_clear_line(tmp_path: Path, planctl: Planctl) -> None:
    result = planctl("list", "--year", "2031")
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"planctl: no plan for 2031 in {Path.cwd() / 'plans'}"
        " (no file there says year: 2031; give --plan PATH)\n"
    )


def test_schema_is_the_json_schema_of_a_plan(planctl: Planctl) -> None:
    schema = json.loads(planctl("schema").out)
    assert schema["title"] == "Plan"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"id", "year", "title"}
    assert schema["$defs"]["Task"]["properties"]["month"]["anyOf"][0] == {
        "maximum": 12,
        "minimum": 1,
        "type": "integer",
    }


def test_list_json_is_the_documented_shape(planctl: Planctl) -> None:
    data = json.loads(planctl("list", "--month", "3", "--format", "json", *TODAY).out)
    assert data["plan"] == {
        "id": "cppcc-2018",
        "year": 2018,
        "title": "2018 年区政协常委会工作要点",
    }
    assert [task["id"] for task in data["tasks"]] == ["3.1", "3.2", "3.3", "3.4", "3.5"]
    assert data["tasks"][1] == {
        "id": "3.2",
        "title": "开展生态环境整治情况的调研",
        "month": 3,
        "year_round": False,
        "owners": ["经建科"],
        "points": [6],
        "kind": "调研",
        "status": "open",
        "overdue": True,
        "done_on": None,
        "done_by": None,
        "note": None,
        "due_month": 3,
        "deferral": None,
        "blocked_by": [],
        "progress": None,
        "periods": None,
        "start": "2018-03-01",
        "due": "2018-03-31",
        "due_in_days": -76,
        "lead": ["经建科"],
        "support": [],
        "leader": [],
        "parent": None,
        "steps": [],
        "steps_done": None,
        "light": "red",
        "stale": False,
        "stale_since": None,
        "progress_report": None,
        "expected_percent": 100,
        "value_target": None,
    }


def test_list_shows_every_row_of_the_seed_table_under_its_month(planctl: Planctl) -> None:
    tasks = json.loads(planctl("list", "-f", "json", *TODAY).out)["tasks"]
    per_month: dict[str, int] = {}
    for task in tasks:
        key = "全年" if task["year_round"] else str(task["month"])
        per_month[key] = per_month.get(key, 0) + 1
    assert per_month == {
        "1": 2, "2": 2, "3": 5, "4": 3, "5": 1, "6": 3,
        "7": 2, "8": 2, "9": 3, "10": 2, "11": 2, "12": 2, "全年": 12,
    }  # fmt: skip


def test_list_filters(planctl: Planctl) -> None:
    def ids(*args: str) -> list[str]:
        return [
            t["id"] for t in json.loads(planctl("list", "-f", "json", *TODAY, *args).out)["tasks"]
        ]

    assert ids("--owner", "提案科") == ["3.3", "5.1", "7.1", "10.2"]
    assert ids("--point", "13") == ["Y.3", "Y.4", "Y.5"]
    assert ids("--year-round") == [f"Y.{n}" for n in range(1, 10)] + ["P10.1", "P10.2", "P11.1"]
    assert ids("--month", "6", "--owner", "宣教科") == []


def test_list_plain_text_when_piped(planctl: Planctl) -> None:
    result = planctl("list", "--month", "1", "--lang", "en", *TODAY)
    # The title wraps: on one line, 1.2's row would be 106 columns wide. No task of January
    # names an owner: the column is not drawn.
    assert result.out == (
        "2018 年区政协常委会工作要点 (plans/2018.yaml): tasks\n"
        "ID   Month  Title" + " " * 54 + "Points  Kind  Status   Light\n"
        "---  -----  " + "-" * 57 + "  ------  ----  -------  -----\n"
        "1.1  1      走访慰问离退休老干部、老党员和困难群众" + " " * 35 + "overdue  red\n"
        "1.2  1      召开区政协常委会:通过九届二次会议相关材料和 2018 年政协工"
        "  4       会议  overdue  red\n"
        "            作要点\n"
        "\n"
        "2 tasks: 0 done, 2 open, 2 overdue\n"
    )
    assert "\x1b[" not in result.out


def test_list_csv_and_markdown(planctl: Planctl) -> None:
    csv_out = planctl("list", "--month", "5", "-f", "csv", "--lang", "en", *TODAY).out
    assert csv_out == (
        "ID,Month,Start,Due,Title,Owner,Points,Kind,Status,Light,Done on,By,Note\n"
        "5.1,5,2018-05-01,2018-05-31,开展养老保险扩面情况的调研,提案科,6,调研,overdue,red,,,\n"
    )
    markdown = planctl("list", "--month", "5", "-f", "markdown", "--lang", "en", *TODAY).out
    assert markdown == (
        "## 2018 年区政协常委会工作要点 (plans/2018.yaml): tasks\n\n"
        "| ID | Month | Title | Owner | Points | Kind | Status | Light |\n"
        "|---|---|---|---|---|---|---|---|\n"
        "| 5.1 | 5 | 开展养老保险扩面情况的调研 | 提案科 | 6 | 调研 | overdue | red |\n"
        "\n1 task: 0 done, 1 open, 1 overdue\n"
    )


def test_points_json_has_every_section_and_point(planctl: Planctl) -> None:
    data = json.loads(planctl("points", "-f", "json", *TODAY).out)
    assert [s["number"] for s in data["sections"]] == [1, 2, 3, 4]
    points = [p for s in data["sections"] for p in s["points"]]
    assert [p["number"] for p in points] == list(range(1, 19))
    assert points[5] == {
        "number": 6,
        "title": "开展专题调研",
        "text": "年内围绕重点项目建设、城市服务业、养老保险扩面、生态环境整治、文体工作等开展专题调研,"
        "提请常委会协商,以协商议政专报形式呈报区委、政府。",
        "total": 8,
        "done": 0,
    }


def test_points_table_rolls_up_and_full_adds_the_text(planctl: Planctl) -> None:
    out = planctl("points", *TODAY).out
    assert "2 树立精品意识,增强协商议政实效        6     开展专题调研                  0/8" in out
    full = planctl("points", "--full", *TODAY).out
    assert "以协商议政专报形式呈报区委、政府。" in "".join(plain_columns(full))
    assert max(map(width, full.splitlines())) <= 100
    assert "以协商议政专报形式呈报区委、政府。" not in out


def test_show_by_title_part_with_point_text(planctl: Planctl) -> None:
    data = json.loads(planctl("show", "养老保险扩面情况的调研", "-f", "json", *TODAY).out)
    assert data["task"]["id"] == "5.1"
    assert data["task"]["source"] == "开展养老保险扩面情况的调研"
    assert data["points"] == [
        {
            "number": 6,
            "title": "开展专题调研",
            "text": "年内围绕重点项目建设、城市服务业、养老保险扩面、生态环境整治、文体工作等开展专题调研,"
            "提请常委会协商,以协商议政专报形式呈报区委、政府。",
        }
    ]
    table = planctl("show", "5.1", *TODAY).out
    assert "要点 6    开展专题调研。年内围绕重点项目建设" in table


def test_show_unknown_and_ambiguous_references(planctl: Planctl) -> None:
    unknown = planctl("show", "没有这个任务", *TODAY)
    assert (unknown.code, unknown.out) == (1, "")
    assert unknown.err == "planctl: cppcc-2018 中没有与 '没有这个任务' 匹配的任务\n"
    ambiguous = planctl("show", "养老", *TODAY)
    assert ambiguous.code == 1
    assert ambiguous.err == (
        "planctl: '养老' 匹配 2 项任务:\n  5.1 开展养老保险扩面情况的调研\n"
        "  6.3 召开区政协常委会:协商提案科养老保险扩面、宣教科文体工作发展情况的调研报告;"
        "通过城市精细化管理情况的视察报告\n"
    )


def test_usage_errors_exit_2(planctl: Planctl) -> None:
    assert planctl("list", "--format", "yaml").code == 2
    assert planctl("list", "--no-such-option").code == 2
    assert planctl("show").code == 2


@pytest.mark.parametrize("command", [["list"], ["due", "--month", "3"]])
def test_a_task_list_builds_only_what_its_format_writes(
    planctl: Planctl, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """Issue 24.6: json makes no table cells, a table makes no JSON objects (a 20,000-task
    plan's `list --format json` built both: 281 MiB)."""
    from planctl.views import tasks

    made: list[str] = []
    real_table = tasks.task_table  # type: ignore[attr-defined]
    real_object = tasks.task_object  # type: ignore[attr-defined]

    def table(*args: Any, **kwargs: Any) -> Any:
        made.append("table")
        return real_table(*args, **kwargs)

    def task_object(row: Any) -> Any:
        made.append("object")
        return real_object(row)

    monkeypatch.setattr(tasks, "task_table", table)
    monkeypatch.setattr(tasks, "task_object", task_object)
    data = json.loads(planctl(*command, "--format", "json", *TODAY).out)
    assert len(data["tasks"]) > 1
    assert made == ["object"] * len(data["tasks"])
    made.clear()
    text = planctl(*command, *TODAY).out
    assert "1.1" in text
    assert made == ["object", "table"]  # the first object only: a `Streamed` array's test
