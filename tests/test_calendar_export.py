"""The calendar export, read back with vobject (not icalendar, which writes it): a VTODO per
task, one per occurrence of a duty, with exact UIDs, days, completions, SEQUENCE and progress."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import vobject

from planctl.core.events import Action, Event
from planctl.core.progress import assess
from planctl.core.state import states
from planctl.plan.load import load_plan
from planctl.plan.model import Plan
from planctl.views.calendar import calendar_bytes
from tests.conftest import REPO, empty_store, run

GOOD = REPO / "tests" / "data" / "good"
EXPORTED_AT = datetime(2018, 6, 15, 8, 30, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def event(
    event_id: str,
    plan_id: str,
    task_id: str,
    work_date: str,
    recorded_at: str,
    action: Action = Action.DONE,
    **fields: Any,
) -> Event:
    return Event(
        event_id,
        plan_id,
        task_id,
        action,
        date.fromisoformat(work_date),
        "李明",
        at(recorded_at),
        **fields,
    )


def todos(data: bytes) -> dict[str, dict[str, Any]]:
    """Each VTODO as {property name: value}, by UID, as vobject reads them."""
    calendar: Any = vobject.readOne(data.decode("utf-8"))
    result = {}
    for todo in calendar.vtodo_list:
        properties = {name: lines[0].value for name, lines in todo.contents.items()}
        result[properties["uid"]] = properties
    return result


def export(plan: Plan, events: list[Event], today: str, exported_at: datetime = EXPORTED_AT) -> Any:
    rows = assess(plan, states(events), date.fromisoformat(today)).values()
    return todos(calendar_bytes(plan, rows, events, exported_at))


def days(todo: dict[str, Any]) -> tuple[date | None, date]:
    return todo.get("dtstart"), todo["due"]


# The 2018 plan: a weekly duty (Y.8), a quarterly one (P11.1), a target (P10.1), months.

HISTORY_2018 = [
    event("e1", "cppcc-2018", "Y.8", "2018-06-04", "2018-06-04 09:00:00"),
    event("e2", "cppcc-2018", "P10.1", "2018-05-02", "2018-05-02 08:00:00", count=2),
    event("e3", "cppcc-2018", "6.1", "2018-06-12", "2018-06-12 10:15:00"),
    event(
        "e4",
        "cppcc-2018",
        "7.1",
        "2018-06-14",
        "2018-06-14 07:00:00",
        Action.DEFER,
        note="等待规划",
        to_month=9,
        to_date=date(2018, 9, 30),
    ),
]


def uid(task_id: str, plan_id: str = "cppcc-2018") -> str:
    return f"{task_id}@{plan_id}.planctl"


def test_every_task_and_every_occurrence_of_a_duty_has_its_own_uid(plan_2018: Plan) -> None:
    exported = export(plan_2018, HISTORY_2018, "2018-06-15")
    duties = {"Y.8", "P11.1"}
    weeks = [f"2018-W{week:02d}" for week in range(1, 53)] + ["2019-W01"]
    expected = (
        [uid(task.id) for task in plan_2018.tasks if task.id not in duties]
        + [uid(f"Y.8.{week}") for week in weeks]
        + [uid(f"P11.1.2018-Q{quarter}") for quarter in range(1, 5)]
    )
    assert sorted(exported) == sorted(expected)
    assert all("rrule" not in todo for todo in exported.values())
    assert {todo["dtstamp"] for todo in exported.values()} == {EXPORTED_AT}


def test_only_the_occurrence_that_was_done_is_completed(plan_2018: Plan) -> None:
    exported = export(plan_2018, HISTORY_2018, "2018-06-15")
    week = exported[uid("Y.8.2018-W23")]
    assert days(week) == (date(2018, 6, 4), date(2018, 6, 10))
    assert (week["status"], week["completed"]) == ("COMPLETED", at("2018-06-04 00:00:00"))
    assert (week["sequence"], week["last-modified"]) == ("1", at("2018-06-04 09:00:00"))
    assert week["percent-complete"] == "100"
    assert week["summary"] == "Y.8 每周更新政协网站动态"
    assert week["description"] == "每周更新政协网站动态,规范委员微信群管理\n2018-W23"
    completed = [u for u, todo in exported.items() if "completed" in todo and u.startswith("Y.8")]
    assert completed == [uid("Y.8.2018-W23")]
    before = exported[uid("Y.8.2018-W22")]
    assert days(before) == (date(2018, 5, 28), date(2018, 6, 3))
    assert (before["status"], before["sequence"]) == ("NEEDS-ACTION", "0")
    assert "last-modified" not in before and "percent-complete" not in before
    # The last week of 2018 is one day, 31 December (ISO 2019-W01, clipped to the period):
    # no DTSTART, as RFC 5545 wants DUE later than DTSTART.
    assert days(exported[uid("Y.8.2019-W01")]) == (None, date(2018, 12, 31))
    quarter = exported[uid("P11.1.2018-Q2")]
    assert days(quarter) == (date(2018, 4, 1), date(2018, 6, 30))
    assert "categories" not in quarter  # the plan names no owner for it


def test_targets_months_deferrals_and_completions(plan_2018: Plan) -> None:
    exported = export(plan_2018, HISTORY_2018, "2018-06-15")
    visits = exported[uid("P10.1")]
    assert days(visits) == (date(2018, 1, 1), date(2018, 12, 31))
    assert (visits["percent-complete"], visits["status"], visits["sequence"]) == (
        "33",
        "NEEDS-ACTION",
        "1",
    )
    assert visits["description"] == "年内各位主席带队走访委员不少于 6 次\n2/6次"
    inspection = exported[uid("6.1")]
    assert days(inspection) == (date(2018, 6, 1), date(2018, 6, 30))
    assert (inspection["status"], inspection["completed"]) == ("COMPLETED", at("2018-06-12"))
    assert (inspection["percent-complete"], inspection["sequence"]) == ("100", "1")
    assert inspection["last-modified"] == at("2018-06-12 10:15:00")
    deferred = exported[uid("7.1")]
    assert days(deferred) == (date(2018, 7, 1), date(2018, 9, 30))
    assert (
        deferred["description"]
        == "对推进城南经济开发区建设进行调研\ndeferred to 2018-09-30: 等待规划"
    )
    assert (deferred["categories"], deferred["sequence"]) == (["提案科"], "1")
    untouched = exported[uid("3.2")]
    assert (untouched["sequence"], untouched["status"]) == ("0", "NEEDS-ACTION")
    assert "last-modified" not in untouched and "completed" not in untouched


def test_a_new_event_raises_the_sequence_of_its_own_todo_only(plan_2018: Plan) -> None:
    before = export(plan_2018, HISTORY_2018, "2018-06-20")
    visit = event("e5", "cppcc-2018", "P10.1", "2018-06-19", "2018-06-19 11:00:00")
    weekly = event("e6", "cppcc-2018", "Y.8", "2018-06-20", "2018-06-20 12:00:00")
    after = export(plan_2018, [*HISTORY_2018, visit, weekly], "2018-06-20")
    changed = {u for u in after if after[u] != before[u]}
    assert changed == {uid("P10.1"), uid("Y.8.2018-W25")}
    assert (before[uid("P10.1")]["sequence"], after[uid("P10.1")]["sequence"]) == ("1", "2")
    assert after[uid("P10.1")]["last-modified"] == at("2018-06-19 11:00:00")
    assert after[uid("P10.1")]["percent-complete"] == "50"
    assert after[uid("Y.8.2018-W25")]["sequence"] == "1"
    assert after[uid("Y.8.2018-W25")]["status"] == "COMPLETED"


def test_an_undo_raises_the_sequence_too(plan_2018: Plan) -> None:
    # Counting only the events still in force would take W23 back to 0, and a calendar keeps
    # the copy with the higher SEQUENCE: the undo would never reach it.
    undo = event(
        "e5", "cppcc-2018", "Y.8", "2018-06-12", "2018-06-12 16:00:00", Action.UNDO, undoes="e1"
    )
    exported = export(plan_2018, [*HISTORY_2018, undo], "2018-06-15")
    week = exported[uid("Y.8.2018-W23")]
    assert (week["status"], week["sequence"]) == ("NEEDS-ACTION", "2")
    assert week["last-modified"] == at("2018-06-12 16:00:00")
    assert "completed" not in week
    assert exported[uid("Y.8.2018-W24")]["sequence"] == "0"


def test_the_moment_of_export_must_be_aware(plan_2018: Plan) -> None:
    rows = assess(plan_2018, {}, date(2018, 6, 15)).values()
    with pytest.raises(ValueError, match="aware"):
        calendar_bytes(plan_2018, rows, [], datetime(2018, 6, 15, 8, 30))


# Plans of other shapes (tests/data/good/).


def test_a_deadline_plan_exports_each_window_and_due_day() -> None:
    plan = load_plan(GOOD / "gov-tasks-2022.yaml")
    history = [
        event("g1", plan.id, "1", "2022-02-20", "2022-02-21 01:00:00"),
        event("g2", plan.id, "2", "2022-05-10", "2022-05-10 02:00:00", count=30),
        event("g3", plan.id, "11", "2022-04-01", "2022-04-01 03:00:00"),
        event("g4", plan.id, "13", "2022-05-24", "2022-05-24 04:00:00"),
        event(
            "g5",
            plan.id,
            "6",
            "2022-06-01",
            "2022-06-01 05:00:00",
            Action.DEFER,
            note="系统升级",
            to_date=date(2022, 12, 31),
        ),
    ]
    exported = export(plan, history, "2022-06-15")

    def todo(task_id: str) -> Any:
        return exported[uid(task_id, plan.id)]

    monthly = [uid(f"13.2022-{month:02d}", plan.id) for month in range(1, 13)]
    tasks = [uid(task.id, plan.id) for task in plan.tasks if task.id != "13"]
    assert sorted(exported) == sorted(tasks + monthly)
    assert days(todo("1")) == (date(2022, 1, 1), date(2022, 2, 28))
    assert (todo("1")["completed"], todo("1")["percent-complete"]) == (at("2022-02-20"), "100")
    assert days(todo("2")) == (date(2022, 1, 1), date(2022, 6, 30))  # due: 6
    assert (todo("2")["percent-complete"], todo("2")["status"]) == ("50", "NEEDS-ACTION")
    assert days(todo("3")) == (date(2022, 3, 1), date(2022, 10, 31))
    assert days(todo("4")) == (date(2022, 4, 1), date(2022, 9, 30))
    assert days(todo("5")) == (date(2022, 1, 1), date(2022, 11, 30))
    assert todo("5")["percent-complete"] == "0"
    assert days(todo("6")) == (date(2022, 1, 1), date(2022, 12, 31))
    assert todo("6")["description"] == "2022 年 9 月底前\ndeferred to 2022-12-31: 系统升级"
    assert (todo("11")["percent-complete"], todo("11")["sequence"]) == ("25", "1")
    assert days(todo("14")) == (date(2022, 12, 1), date(2022, 12, 20))
    assert todo("14")["categories"] == ["区政府督查室"]
    may = todo("13.2022-05")
    assert days(may) == (date(2022, 5, 1), date(2022, 5, 25))
    assert (may["completed"], may["sequence"]) == (at("2022-05-24"), "1")
    june = todo("13.2022-06")
    assert days(june) == (date(2022, 6, 1), date(2022, 6, 25))
    assert (june["status"], june["sequence"]) == ("NEEDS-ACTION", "0")


def test_a_may_to_april_plan_exports_its_occurrences_across_the_new_year() -> None:
    plan = load_plan(GOOD / "may-april-2019.yaml")
    history = [
        event("m1", plan.id, "D.1", "2020-01-10", "2020-01-10 06:00:00"),
        event("m2", plan.id, "D.2", "2019-09-03", "2019-09-03 06:00:00"),
        event("m3", plan.id, "1.1", "2020-01-15", "2020-01-15 06:00:00"),
    ]
    exported = export(plan, history, "2020-01-20")

    def todo(task_id: str) -> Any:
        return exported[uid(task_id, plan.id)]

    months = ["2019-05", "2019-06", "2019-07", "2019-08", "2019-09", "2019-10"]
    months += ["2019-11", "2019-12", "2020-01", "2020-02", "2020-03", "2020-04"]
    reception = [uid(f"D.1.{month}", plan.id) for month in months]
    bulletins = [uid(f"D.3.{months[i]}..{months[i + 1]}", plan.id) for i in range(0, 12, 2)]
    tasks = [uid(task.id, plan.id) for task in plan.tasks if task.id not in ("D.1", "D.3")]
    assert sorted(exported) == sorted(tasks + reception + bulletins)
    january = todo("D.1.2020-01")
    assert days(january) == (date(2020, 1, 1), date(2020, 1, 28))
    assert (january["status"], january["completed"]) == ("COMPLETED", at("2020-01-10"))
    assert days(todo("D.1.2019-05")) == (date(2019, 5, 1), date(2019, 5, 28))
    assert "completed" not in todo("D.1.2019-12")
    assert days(todo("D.3.2020-03..2020-04")) == (date(2020, 3, 1), date(2020, 4, 30))
    assert days(todo("1.1")) == (date(2020, 1, 1), date(2020, 1, 31))
    assert todo("1.1")["status"] == "COMPLETED"
    assert days(todo("4.1")) == (date(2020, 3, 1), date(2020, 4, 30))
    assert days(todo("Q4.1")) == (date(2019, 10, 1), date(2019, 12, 31))
    assert days(todo("D.2")) == (date(2019, 5, 1), date(2020, 4, 30))
    assert todo("D.2")["percent-complete"] == "25"


def test_an_occasional_duty_is_one_todo_for_the_period() -> None:
    plan = load_plan(GOOD / "parish-council-2019.yaml")
    history = [
        event("p1", plan.id, "A13", "2019-05-07", "2019-05-07 18:00:00"),
        event("p2", plan.id, "A13", "2019-08-20", "2019-08-21 09:30:00"),
    ]
    exported = export(plan, history, "2019-09-01")
    assert not [u for u in exported if u.startswith("A13.")]
    planning = exported[uid("A13", plan.id)]
    assert days(planning) == (date(2019, 4, 1), date(2020, 3, 31))
    assert (planning["sequence"], planning["last-modified"]) == ("2", at("2019-08-21 09:30:00"))
    assert planning["completed"] == at("2019-08-20")
    newsletter = [uid(f"A10.{month}", plan.id) for month in ("2019-06", "2019-09", "2019-12")]
    assert [u for u in exported if u.startswith("A10.")] == [
        *newsletter,
        uid("A10.2020-03", plan.id),
    ]
    assert days(exported[newsletter[0]]) == (date(2019, 6, 1), date(2019, 6, 15))


# Through the command.


def test_the_export_command_writes_what_the_store_holds(tmp_path: Path) -> None:
    db = str(tmp_path / "store.sqlite3")
    target = tmp_path / "plan.ics"
    empty_store(db)
    before = datetime.now(UTC).replace(microsecond=0)
    result = run(
        "export", "--format", "ics", "--db", db, "--today", "2018-06-15", "-o", str(target)
    )
    assert (result.code, result.out, result.err) == (0, "", "")
    nothing = todos(target.read_bytes())
    assert {todo["sequence"] for todo in nothing.values()} == {"0"}
    assert not [todo for todo in nothing.values() if "last-modified" in todo]
    stamps = {todo["dtstamp"] for todo in nothing.values()}
    assert len(stamps) == 1 and before <= stamps.pop() <= datetime.now(UTC)

    done = run("done", "Y.8", "--on", "2018-06-04", "--db", db, "--today", "2018-06-15")
    assert done.code == 0, done.err
    result = run("export", "--format", "ics", "--db", db, "--today", "2018-06-15")
    assert (result.code, result.err) == (0, "")
    exported = todos(result.out.encode())
    assert sorted(exported) == sorted(nothing)
    changed = [u for u in exported if exported[u]["sequence"] != nothing[u]["sequence"]]
    assert changed == [uid("Y.8.2018-W23")]
    week = exported[uid("Y.8.2018-W23")]
    assert (week["status"], week["completed"]) == ("COMPLETED", at("2018-06-04"))
    assert before <= week["last-modified"] <= datetime.now(UTC)
