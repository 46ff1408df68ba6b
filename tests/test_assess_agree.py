"""One count of "done": report, points, digest, assess and the bulletin agree on what is done, per task,
work point and unit (the tasks without a unit as a row of their own), on the same day (issue
31, items 2 and 3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PLAN_2018, Planctl

PARISH = Path(__file__).parent / "data" / "good" / "parish-council-2019.yaml"

# A history for each plan: tasks done on time and late, duties done in earlier occurrences
# and in the current one, a deferral, an undo.
HISTORIES: dict[str, list[list[str]]] = {
    "2018": [
        ["done", "1.1", "--on", "2018-01-20"],
        ["done", "3.2", "--on", "2018-03-28"],
        ["done", "P11.1", "--on", "2018-03-20"],  # a quarterly duty: the first quarter's
        ["done", "P10.1", "--count", "2", "--on", "2018-05-10"],
        ["done", "5.1", "--on", "2018-06-12"],
        ["done", "Y.8", "--on", "2018-06-11"],
        ["done", "6.1", "--on", "2018-06-13"],
        ["undo", "6.1", "--on", "2018-06-14"],
        ["defer", "7.2", "--to", "8", "--reason", "调研对象调整", "--on", "2018-06-14"],
        ["done", "4.1", "--on", "2018-09-02"],  # late
        ["done", "P11.1", "--on", "2018-10-10"],
    ],
    "parish": [
        ["done", "A1", "--on", "2019-07-20"],
        ["done", "A7", "--on", "2019-05-20"],
        ["done", "A10", "--on", "2019-06-10"],  # the June newsletter; September's is open
        *(["done", "A11", "--on", f"2019-{month:02d}-05"] for month in range(4, 10)),
        ["done", "A12", "--on", "2019-06-20"],
        ["done", "A13", "--on", "2019-05-02"],  # as needed
        ["done", "A8", "--on", "2019-07-10"],  # late
        ["done", "A14", "--count", "3", "--on", "2019-08-01"],
    ],
}
PLANS = {"2018": PLAN_2018, "parish": PARISH}
DAYS = {
    "2018": ["2018-04-15", "2018-06-15", "2018-12-31"],
    "parish": ["2019-06-30", "2019-09-15", "2020-03-31"],
}


@pytest.fixture
def store(request: pytest.FixtureRequest, planctl: Planctl, tmp_path: Path) -> tuple[Path, Path]:
    """The plan named by the test's `name` and a store holding its history."""
    name = request.param
    plan, db = PLANS[name], tmp_path / "store.sqlite3"
    last = DAYS[name][-1]
    for command in HISTORIES[name]:
        planctl.ok(*command, "--by", "王", db=db, plan=plan, today=last)
    return plan, db


@pytest.mark.parametrize("store", ["2018"], indirect=True)
def test_a_quarterly_duty_done_last_quarter_is_open_in_every_count(
    store: tuple[Path, Path], planctl: Planctl
) -> None:
    """2018-06-15: P11.1 (quarterly, point 11, no unit) was done in the first quarter; the
    second is open. Report and points say 0 of 1 done; so does the assessment."""
    plan, db = store
    today = "2018-06-15"
    report = planctl.json("report", db=db, plan=plan, today=today)
    assert [p for p in report["points"] if p["number"] == 11] == [
        {"number": 11, "title": "做好社情民意工作", "total": 1, "done": 0}
    ]
    assessed = planctl.json("assess", db=db, plan=plan, today=today)
    assert [p for p in assessed["points"] if p["number"] == 11] == [
        {"number": 11, "title": "做好社情民意工作", "tasks": 1, "done": 0, "on_time": 0,
         "late": 0, "open": 1, "deferred": 0, "overdue": 0}
    ]  # fmt: skip


@pytest.mark.parametrize("store", ["parish"], indirect=True)
def test_the_clerk_has_one_count_of_done(store: tuple[Path, Path], planctl: Planctl) -> None:
    """2019-09-15: the Clerk's A1, A7 and A11 are done; the newsletter A10 was done for June,
    and September's issue is open (due today): 3 done in the report and in the assessment."""
    plan, db = store
    today = "2019-09-15"
    report = planctl.json("report", db=db, plan=plan, today=today)
    clerk = next(o for o in report["owners"] if o["owner"] == "Clerk")
    assert (clerk["total"], clerk["done"]) == (6, 3)
    assessed = planctl.json("assess", db=db, plan=plan, today=today)
    unit = next(u for u in assessed["units"] if u["unit"] == "Clerk")
    done = unit["on_time"] + unit["late"] + unit["deferred"]
    assert (unit["tasks"], done, unit["open"]) == (6, 3, 3)


def _points_done(points: list[dict[str, Any]]) -> dict[int, tuple[int, int]]:
    return {p["number"]: (p["total"] if "total" in p else p["tasks"], p["done"]) for p in points}


@pytest.mark.parametrize("store", ["2018", "parish"], indirect=True)
def test_report_points_digest_and_assess_agree_on_what_is_done(
    store: tuple[Path, Path], planctl: Planctl
) -> None:
    plan, db = store
    name = "2018" if plan == PLAN_2018 else "parish"
    for today in DAYS[name]:
        report = planctl.json("report", db=db, plan=plan, today=today)
        points = planctl.json("points", db=db, plan=plan, today=today)
        digest = planctl.json("digest", db=db, plan=plan, today=today)
        assessed = planctl.json("assess", db=db, plan=plan, today=today)
        listed = planctl.json("list", db=db, plan=plan, today=today)
        # Per task: done in `list` is done in the assessment's task table.
        done_tasks = {t["id"] for t in listed["tasks"] if t["status"] == "done" and not t["steps"]}
        assert {t["id"] for t in assessed["tasks"] if t["done"]} == done_tasks, today
        # Per work point.
        by_point = _points_done(report["points"])
        shown = _points_done([p for s in points["sections"] for p in s["points"]])
        assert shown == by_point, today
        assert _points_done(assessed["points"]) == by_point, today
        # Per unit, and the unit-less tasks as a row of their own.
        report_units = {o["owner"]: (o["total"], o["done"]) for o in report["owners"]}
        assess_units = {u["unit"]: (u["tasks"], u["done"]) for u in assessed["units"]}
        assert assess_units == report_units, today
        assert {o["owner"]: (o["total"], o["done"]) for o in digest["owners"]} == report_units
        # In all.
        total = (report["summary"]["total"], report["summary"]["done"])
        assert (digest["summary"]["total"], digest["summary"]["done"]) == total, today
        assert (len(assessed["tasks"]), len(done_tasks)) == total, today
        # The bulletin: per task, per lead unit (the unit-less row too), and in all.
        bulletin = planctl.json("bulletin", db=db, plan=plan, today=today)
        assert {t["id"] for t in bulletin["tasks"] if t["class"] == "done"} == done_tasks, today
        assert {u["unit"]: (u["tasks"], u["done"]) for u in bulletin["units"]} == report_units
        assert (bulletin["classes"]["tasks"], bulletin["classes"]["done"]) == total, today


GOV = Path(__file__).parent / "data" / "good" / "gov-tasks-2022.yaml"


def test_a_pseudo_unit_is_no_unit_and_never_ranked(planctl: Planctl, tmp_path: Path) -> None:
    """gov-tasks-2022's monthly duty 13 is owned by 各牵头单位, a phrase for every lead unit:
    done each month on time, it once made 各牵头单位 rank first. It is counted in the row of
    the tasks without a unit, in the assessment and the report, and nothing ranks it."""
    db = tmp_path / "store.sqlite3"
    for month in range(1, 7):
        planctl.ok(
            "done", "13", "--on", f"2022-{month:02d}-20", db=db, plan=GOV, today="2022-06-21"
        )
    assessed = planctl.json("assess", db=db, plan=GOV, today="2022-06-21")
    names = [u["unit"] for u in assessed["units"]]
    assert "各牵头单位" not in names and names[-1] is None
    nobody = assessed["units"][-1]
    assert (nobody["tasks"], nobody["on_time"], nobody["score"], nobody["rank"]) == (
        1,
        1,
        100.0,
        None,
    )
    assert all(u["rank"] is None for u in assessed["units"] if u["score"] is None)
    report = planctl.json("report", db=db, plan=GOV, today="2022-06-21")
    owners = [(o["owner"], o["total"], o["done"]) for o in report["owners"]]
    assert "各牵头单位" not in [owner for owner, _, _ in owners]
    assert owners[-1] == (None, 1, 1)


@pytest.mark.parametrize(
    ("name", "unit"),
    [("区财政局", True), ("各牵头单位", False), ("各 科室", False), ("各部门", False),
     ("办公室", True), ("有关单位", False), ("各街道办事处", False), ("各街道", False),
     ("各镇（街道）", False), ("各镇(街道)", False), ("各乡镇", False), ("各有关单位", False),
     ("各相关单位", False), ("各专委会", False), ("各委室", False), ("各区政府", False),
     ("各县、市、区政府", False), ("各代表小组", False), ("各市场监管所", False),
     ("街道办事处", True), ("区政府", True)],
)  # fmt: skip
def test_pseudo_units_are_compared_as_units_are(name: str, unit: bool) -> None:
    from planctl.core.units import is_unit

    assert is_unit(name) is unit


def test_a_collective_name_beside_a_unit_is_left_out_of_the_units(
    planctl: Planctl, tmp_path: Path
) -> None:
    """gov-tasks-2022's tasks 5 and 12 name 各街道办事处 beside their lead unit: it once ranked
    as a unit of its own in the assessment and had a line in the bulletin. Now the tasks are
    their real units' alone (区商务局, 区住房城乡建设局), and 各街道办事处 is named nowhere."""
    db = tmp_path / "store.sqlite3"
    planctl.ok("done", "5", "--count", "3", "--on", "2022-11-20", db=db, plan=GOV,
               today="2022-11-21")  # fmt: skip
    assessed = planctl.json("assess", db=db, plan=GOV, today="2022-12-31")
    assert [(u["unit"], u["tasks"], u["done"], u["score"], u["rank"])
            for u in assessed["units"]] == [
        ("区商务局", 2, 1, 50.0, 1),
        ("区住房城乡建设局", 4, 0, 0.0, 2), ("区发展改革局", 2, 0, 0.0, 2),
        ("区司法局", 1, 0, 0.0, 2), ("区城管局", 1, 0, 0.0, 2), ("区大数据中心", 1, 0, 0.0, 2),
        ("区政务服务管理局", 3, 0, 0.0, 2), ("区政府督查室", 1, 0, 0.0, 2),
        ("区教育局", 2, 0, 0.0, 2), ("区文化旅游局", 1, 0, 0.0, 2),
        ("区自然资源局", 2, 0, 0.0, 2), ("区财政局", 1, 0, 0.0, 2),
        ("区人力资源社会保障局", 1, 0, None, None), ("区市场监管局", 1, 0, None, None),
        (None, 1, 0, 0.0, None),
    ]  # fmt: skip
    bulletin = planctl.json("bulletin", db=db, plan=GOV, today="2022-12-31")
    lines = {u["unit"]: (u["tasks"], u["done"]) for u in bulletin["units"]}
    assert "各街道办事处" not in lines and "各街道办事处" not in bulletin["praised"]
    assert (lines["区商务局"], lines["区住房城乡建设局"], lines[None]) == ((2, 1), (4, 0), (1, 0))
    assert {u["unit"] for u in bulletin["urged"]} <= set(lines)
    assert "各街道办事处" not in {u["unit"] for u in bulletin["urged"]}
