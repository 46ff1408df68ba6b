"""`planctl new`: next year's plan from this year's (sections, points, duties, and the tasks
still open carried over with carried_from), or a commented template of every key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planctl.plan.load import load_plan
from planctl.plan.model import Plan, Task
from tests.conftest import PLAN_2018, Planctl, empty_store

OLD = """\
id: office-2018
year: 2018
title: 2018 年机关工作要点
organisation: XX 办公室
language: zh
requirements: 2018 年的总体要求
labels: {lead: 牵头科室}
sections:
  - number: 1
    title: 一、抓落实
    points:
      - {number: 1, title: 抓督办, text: 督办的全文}
tasks:
  - {id: "1", title: 已完成的任务, month: 3, lead: [综合科], points: [1]}
  - {id: "2", title: 未完成的任务, month: 6, lead: [综合科], support: [督查科], leader: 张三}
  - {id: "3", title: 有期限的任务, due: 2018-10-31, start: "2018-04"}
  - {id: "4", title: 推迟到明年的任务, month: "2018-11"}
  - {id: "5", title: 有目标的任务, year_round: true, target: 6, unit: 次}
  - {id: "6", title: 会议, month: 12, after: ["1", "2"]}
  - {id: "M", title: 报送月报, every: month, by: 28}
  - {id: "S", title: 季末报送, months: [3, 6, 9, 12]}
"""


def test_a_new_plan_carries_over_the_open_tasks_and_copies_the_rest(
    tmp_path: Path, planctl: Planctl
) -> None:
    old = tmp_path / "2018.yaml"
    old.write_text(OLD, encoding="utf-8")
    db = str(tmp_path / "store.sqlite3")
    planctl.ok("done", "1", "--on", "2018-03-20", db=db, plan=old, today="2018-12-31")
    planctl.ok("done", "5", "--count", "2", db=db, plan=old, today="2018-12-31")
    planctl.ok(
        "defer", "4", "--to", "2019-02", "--reason", "等批复", db=db, plan=old, today="2018-12-31"
    )
    english = {"PLANCTL_LANG": "en"}  # the Chinese: tests/test_i18n_messages.py
    result = planctl(
        "new", "--year", "2019", "--from", str(old), db=db, today="2019-01-05", env=english
    )
    assert result.code == 0, result.err
    assert result.err == (
        "1 section, 1 work point and 2 recurring duties copied, 5 open tasks carried over"
        " from office-2018\n"
    )
    assert (
        result.out
        == f"""\
# The 2019 plan made by `planctl new` from {old}.
# 1 section, 1 work point, 2 recurring duties, 5 tasks carried over (open on 2019-01-05)
# 2018's general requirements (requirements) are not copied
id: office-2019
year: 2019
title: 2019 年机关工作要点
organisation: XX 办公室
language: zh
labels: {{lead: 牵头科室}}
sections:
  - number: 1
    title: 一、抓落实
    points:
      - number: 1
        title: 抓督办
        text: 督办的全文
tasks:
  # carried over (结转): open on 2019-01-05; check its window
  - id: "2"
    title: 未完成的任务
    month: 6
    lead: [综合科]
    support: [督查科]
    leader: [张三]
    carried_from: office-2018:2
  # carried over (结转): open on 2019-01-05; check its window
  - id: "3"
    title: 有期限的任务
    due: 2019-10-31
    start: 2019-04
    carried_from: office-2018:3
  # carried over (结转): open on 2019-01-05, deferred to 2019-02-28
  - id: "4"
    title: 推迟到明年的任务
    due: 2019-02-28
    carried_from: office-2018:4
  # carried over (结转): open on 2019-01-05; check its window
  # 2 of 6 done in 2018; the count starts again here
  - id: "5"
    title: 有目标的任务
    year_round: true
    target: 6
    unit: 次
    carried_from: office-2018:5
  # carried over (结转): open on 2019-01-05; check its window
  - id: "6"
    title: 会议
    month: 12
    after: ["2"]
    carried_from: office-2018:6
  # a recurring duty of office-2018
  - id: M
    title: 报送月报
    every: month
    by: 28
  # a recurring duty of office-2018
  - id: S
    title: 季末报送
    months: [3, 6, 9, 12]
"""
    )
    written = tmp_path / "2019.yaml"
    made = planctl(
        "new", "--year", "2019", "--from", str(old), "-o", str(written), db=db, today="2019-01-05",
        env=english,
    )  # fmt: skip
    assert (made.code, made.err) == (0, "")
    assert made.out == f"{written}: " + result.err
    assert written.read_text(encoding="utf-8") == result.out
    assert planctl("check", str(written), today="2019-01-05").code == 0
    again = planctl("new", "--year", "2019", "--from", str(old), "-o", str(written), db=db)
    assert (again.code, again.err) == (
        1,
        f"planctl: {written} 已存在;如要替换请加 --force\n",
    )


def test_the_2018_plan_carries_its_open_tasks_into_2019(tmp_path: Path, planctl: Planctl) -> None:
    db = empty_store(str(tmp_path / "store.sqlite3"))
    plan_2018 = load_plan(PLAN_2018)
    open_ids = {"6.3", "12.2", "Y.9", "P10.1"}
    done = [
        task.id
        for task in plan_2018.tasks
        if not task.recurring and task.target is None and task.id not in open_ids
    ]
    planctl.ok("done", *done, db=db, plan=PLAN_2018, today="2018-12-31")
    planctl.ok("done", "P10.2", "--count", "3", db=db, plan=PLAN_2018, today="2018-12-31")
    written = tmp_path / "2019.yaml"
    planctl.ok(
        "new",
        "--year",
        "2019",
        "--from",
        str(PLAN_2018),
        "-o",
        str(written),
        db=db,
        today="2019-01-02",
    )
    new = load_plan(written)
    assert (new.id, new.year, new.title) == ("cppcc-2019", 2019, "2019 年区政协常委会工作要点")
    assert new.sections == plan_2018.sections
    carried = {task.id: task.carried_from for task in new.tasks if task.carried_from}
    assert carried == {task_id: f"cppcc-2018:{task_id}" for task_id in open_ids}
    duties = [task.id for task in new.tasks if task.recurring]
    assert duties == ["Y.8", "P11.1"]
    old_6_3 = next(task for task in plan_2018.tasks if task.id == "6.3")
    new_6_3 = next(task for task in new.tasks if task.id == "6.3")
    assert new_6_3.after == [] and old_6_3.after == ["4.3", "5.1", "6.1"]  # all done in 2018


def test_every_plan_and_task_key_is_in_the_template_which_passes_check(
    tmp_path: Path, planctl: Planctl
) -> None:
    written = tmp_path / "2024.yaml"
    result = planctl("new", "--year", "2024", "-o", str(written))
    assert (result.code, result.err) == (0, "")
    assert result.out == f"{written}: 2024 年的模板:填写后运行 planctl check\n"
    text = written.read_text(encoding="utf-8")
    keys = set(re.findall(r"^[ #-]*([a-z_]+):", text, re.M))
    written_keys = set(Plan.model_fields) | set(Task.model_fields) - {"parent"}  # the loader's
    assert written_keys <= keys
    checked = planctl("check", str(written))
    assert (checked.code, checked.out) == (
        0,
        f"{written}:通过:plan-2024 2024 年工作要点:1 个部分、1 个工作要点、1 项任务\n",
    )
    uncommented = "\n".join(re.sub(r"^(\s*)# (\w+: )", r"\1\2", line) for line in text.splitlines())
    assert "requirements" in uncommented


def test_a_new_year_must_follow_the_old_one(tmp_path: Path, planctl: Planctl) -> None:
    db = empty_store(str(tmp_path / "store.sqlite3"))
    result = planctl("new", "--year", "2018", "--from", str(PLAN_2018), db=db)
    assert (result.code, result.out) == (1, "")
    assert result.err == "planctl: --year 2018 不在 plans/2018.yaml 的年份(2018)之后\n"


def test_a_new_plan_from_an_old_one_needs_its_store(tmp_path: Path, planctl: Planctl) -> None:
    missing = tmp_path / "none.sqlite3"
    result = planctl("new", "--year", "2019", "--from", str(PLAN_2018), db=missing)
    assert (result.code, result.out) == (1, "")
    assert result.err == f"planctl: {missing} 没有存储:那里还没有任何记录\n"


GOOD = PLAN_2018.parent.parent / "tests" / "data" / "good"


@pytest.mark.parametrize("path", [PLAN_2018, *sorted(GOOD.glob("*.yaml"))], ids=lambda p: p.name)
def test_every_good_plan_gives_a_next_plan_that_passes_check(
    tmp_path: Path, planctl: Planctl, path: Path
) -> None:
    """With nothing recorded, every task is open: all are carried over, into a period moved
    on by a year (a May-to-April year, two years, a council's April-to-March year)."""
    db = empty_store(str(tmp_path / "store.sqlite3"))
    old = load_plan(path)
    written = tmp_path / "next.yaml"
    result = planctl(
        "new",
        "--year",
        str(old.year + 1),
        "--from",
        str(path),
        "-o",
        str(written),
        db=db,
        today=None,
    )
    assert (result.code, result.err) == (0, ""), result.err
    new = load_plan(written)
    assert len(new.tasks) == len(old.tasks)
    assert all(
        task.carried_from == f"{old.id}:{task.id}" for task in new.tasks if not task.recurring
    )
    if old.period is not None:
        assert new.period is not None
        assert (new.period.start.year, new.period.end.year) == (
            old.period.start.year + 1,
            old.period.end.year + 1,
        )


def carried_over(tmp_path: Path, planctl: Planctl) -> tuple[Path, str]:
    """OLD's plan for 2019, made by `planctl new --from` in January, and its (empty) store."""
    old = tmp_path / "2018.yaml"
    old.write_text(OLD, encoding="utf-8")
    db = empty_store(str(tmp_path / "store.sqlite3"))
    written = tmp_path / "2019.yaml"
    planctl.ok(
        "new", "--year", "2019", "--from", str(old), "-o", str(written), db=db, today="2019-01-05"
    )
    return written, db


def test_carried_from_survives_the_plan_cache_codec(tmp_path: Path, planctl: Planctl) -> None:
    from planctl.plan import codec

    written, _ = carried_over(tmp_path, planctl)
    plan = load_plan(written)
    assert plan.tasks[0].carried_from == "office-2018:1"
    assert codec.loads(codec.dumps(plan)) == plan


def test_steps_are_carried_inside_their_task_and_done_steps_stay_behind(
    tmp_path: Path, planctl: Planctl
) -> None:
    plan = GOOD / "steps-2024.yaml"
    db = empty_store(str(tmp_path / "store.sqlite3"))
    planctl.ok(
        "done", "1.1", "1.2.1", "2.1", "--on", "2024-04-10", db=db, plan=plan, today="2024-04-10"
    )
    written = tmp_path / "2025.yaml"
    result = planctl(
        "new", "--year", "2025", "--from", str(plan), "-o", str(written), db=db, today="2024-12-31"
    )
    assert (result.code, result.err) == (0, ""), result.err
    new = load_plan(written)
    tree = {task.id: (task.parent, [step.id for step in task.steps]) for task in new.tasks}
    assert tree == {
        "1": (None, ["1.2", "1.3", "1.4"]),
        "1.2": ("1", ["1.2.2"]),
        "1.2.2": ("1.2", []),
        "1.3": ("1", []),
        "1.4": ("1", []),
        "2": (None, ["2.2", "2.3"]),
        "2.2": ("2", []),
        "2.3": ("2", []),
        "3": (None, ["3.1", "3.2"]),
        "3.1": ("3", []),
        "3.2": ("3", []),
        "4": (None, []),
    }
    assert {
        task.id: task.carried_from for task in new.tasks if task.id in ("1", "1.2.2", "3.1")
    } == {
        "1": "steps-2024:1",
        "1.2.2": "steps-2024:1.2.2",
        "3.1": None,  # a recurring step is copied as a duty, not carried
    }


def test_show_says_where_a_carried_task_came_from(tmp_path: Path, planctl: Planctl) -> None:
    written, db = carried_over(tmp_path, planctl)
    shown = planctl.json("show", "1", db=db, plan=written, today="2019-01-05")
    assert shown["task"]["carried_from"] == "office-2018:1"
    text = planctl.ok("show", "1", "--lang", "en", db=db, plan=written, today="2019-01-05")
    assert "Carried from  office-2018:1\n" in text
    fresh = planctl.json("show", "6.2", db=db, plan=PLAN_2018, today="2018-06-15")
    assert fresh["task"]["carried_from"] is None
