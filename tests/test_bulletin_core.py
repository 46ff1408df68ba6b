"""The bulletin's classes (通报: 已完成, 超进度, 达进度, 欠进度, 逾期, 未开始) on literal plans and
events, per unit, with returns late and missing (issue 31, item 1)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from planctl.core.bulletin import Standing, bulletin, classify
from planctl.core.events import Action, Event
from planctl.core.progress import assess
from planctl.core.returns import Cycle, UnitFiling
from planctl.core.state import states
from planctl.plan.model import Plan, Task

AT = datetime(2018, 6, 1, tzinfo=UTC)

TASKS: dict[str, dict[str, Any]] = {
    "P": {"title": "Plain June task", "month": 6, "lead": ["办公室"]},
    "E": {"title": "Done early", "month": 9, "lead": ["办公室"]},
    "C": {"title": "Visit members", "year_round": True, "target": 12, "lead": ["研究室"]},
    "Y": {"title": "Year-long work", "due": date(2018, 12, 31), "lead": ["研究室"]},
    "V": {"title": "Growth", "due": date(2018, 12, 31), "target": 8, "measure": "value"},
    "D": {"title": "Monthly return", "every": "month", "by": 28, "lead": ["各科室"]},
    "L": {"title": "Later work", "month": 10, "lead": ["办公室"]},
}
PLAN = Plan(
    id="bulletin",
    year=2018,
    title="Bulletin",
    tasks=[Task(id=task_id, **keys) for task_id, keys in TASKS.items()],
)


def event(task: str, action: Action, on: str, **fields: Any) -> Event:
    return Event(
        f"{task}-{on}-{action.value}", "bulletin", task, action, date.fromisoformat(on),
        "clerk", AT, **fields,
    )  # fmt: skip


def classes(today: str, *events: Event) -> dict[str, Standing]:
    day = date.fromisoformat(today)
    rows = assess(PLAN, states(events, as_of=day), day).values()
    return {one.row.task.id: one.standing for one in classify(rows, day, 10)}


def test_each_task_in_one_class_on_a_quiet_day() -> None:
    """2018-06-15, nothing recorded: June's task and the year's work are on pace; the count
    (12 over the year, 5 expected by mid-June) is behind; the value has no word (on pace);
    the monthly duty's June return is not due; September's and October's have not begun."""
    assert classes("2018-06-15") == {
        "P": Standing.ON_PACE, "E": Standing.NOT_STARTED, "C": Standing.BEHIND,
        "Y": Standing.ON_PACE, "V": Standing.ON_PACE, "D": Standing.OVERDUE,
        "L": Standing.NOT_STARTED,
    }  # fmt: skip


def test_done_ahead_behind_and_overdue() -> None:
    """2018-07-10: June's task is overdue; September's was done in June (early); 8 visits of
    12 where 6 are expected is ahead; the year's work reported at 80% (expected 52%) is ahead,
    the value meets its target already; the duty was done every month to June, July's not
    yet due (on pace)."""
    events = [
        event("E", Action.DONE, "2018-06-20"),
        event("C", Action.DONE, "2018-07-01", count=8),
        event("Y", Action.PROGRESS, "2018-07-05", percent=80, note="so far"),
        event("V", Action.PROGRESS, "2018-07-05", value=9, note="so far"),
        *(event("D", Action.DONE, f"2018-{m:02d}-20") for m in range(1, 7)),
    ]
    assert classes("2018-07-10", *events) == {
        "P": Standing.OVERDUE, "E": Standing.DONE, "C": Standing.AHEAD, "Y": Standing.AHEAD,
        "V": Standing.AHEAD, "D": Standing.ON_PACE, "L": Standing.NOT_STARTED,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("percent", "expected"),
    [(42, Standing.BEHIND), (43, Standing.ON_PACE), (62, Standing.ON_PACE), (63, Standing.AHEAD)],
)
def test_a_reported_percent_against_the_elapsed_share(percent: int, expected: Standing) -> None:
    """2018-07-10: 191 of the year's 365 days have passed (52.3%); the margin is 10 points
    either way: below 42.3 is behind, above 62.3 is ahead."""
    report = event("Y", Action.PROGRESS, "2018-07-05", percent=percent, note="so far")
    assert classes("2018-07-10", report)["Y"] is expected


def test_the_bulletin_by_unit_with_returns_praise_and_urging() -> None:
    """Lead units 办公室 and 研究室; the value task and the duty of 各科室 (a pseudo-unit) are
    the no-unit line. 研究室 filed late, so it is not praised though nothing of it is behind;
    办公室 has June's task overdue (10 days) and is urged; the duty missed June (12 days)."""
    day = date(2018, 7, 10)
    events = [
        event("C", Action.DONE, "2018-07-01", count=8),
        *(event("D", Action.DONE, f"2018-{m:02d}-20") for m in range(1, 6)),
        event("E", Action.DONE, "2018-06-20"),
    ]
    rows = assess(PLAN, states(events, as_of=day), day).values()
    cycle = Cycle(date(2018, 6, 1), date(2018, 6, 30), "2018-06", date(2018, 6, 25))
    filings = [
        UnitFiling("办公室", cycle.due, date(2018, 6, 24), "on_time", 2, 2),
        UnitFiling("研究室", cycle.due, date(2018, 6, 27), "late", 2, 2),
    ]
    result = bulletin(rows, day, 10, cycle=cycle, filings=filings)
    assert (result.totals.tasks, result.totals.done, result.totals.early) == (7, 1, 1)
    assert [(u.unit, u.counts.tasks, u.counts.done, u.counts.overdue, u.praised)
            for u in result.units] == [
        ("办公室", 3, 1, 1, False), ("研究室", 2, 0, 0, False), (None, 2, 0, 1, False),
    ]  # fmt: skip
    assert result.praised == []
    assert [(unit, one.row.task.id, one.days_overdue) for unit, one in result.urged] == [
        ("办公室", "P", 10), (None, "D", 12),
    ]  # fmt: skip
    assert [filing.unit for filing in result.returns or []] == ["研究室"]
    on_time = [UnitFiling("研究室", cycle.due, date(2018, 6, 24), "on_time", 2, 2)]
    again = bulletin(rows, day, 10, cycle=cycle, filings=on_time)
    assert again.praised == ["研究室"] and again.returns == []


def test_without_returns_nothing_is_judged_of_them() -> None:
    day = date(2018, 6, 15)
    result = bulletin(assess(PLAN, {}, day).values(), day, 10)
    assert result.returns is None and result.cycle is None
    assert result.praised == ["办公室"]  # 研究室's count is behind


def test_a_claim_or_request_leaves_a_task_in_its_class_and_chases_are_counted() -> None:
    """2018-07-02: P (June) claimed on 06-29 is still overdue, awaiting a check; L asks for
    December and keeps its class; P chased twice, L once. Counted apart from the classes."""
    day = date(2018, 7, 2)
    history = [
        event("P", Action.CHASE, "2018-06-20", how="phone"),
        event("P", Action.CHASE, "2018-06-25", how="letter"),
        event("P", Action.CLAIM, "2018-06-29"),
        event("L", Action.REQUEST, "2018-07-01", to_date=date(2018, 12, 31), note="later"),
        event("L", Action.CHASE, "2018-07-01", how="meeting"),
    ]
    rows = assess(PLAN, states(history, as_of=day), day).values()
    found = {one.row.task.id: one for one in classify(rows, day, 10)}
    assert [(found[i].standing, found[i].chased, found[i].claimed, found[i].requested)
            for i in ("P", "L", "E")] == [
        (Standing.OVERDUE, 2, date(2018, 6, 29), None),
        (Standing.NOT_STARTED, 1, None, date(2018, 12, 31)),
        (Standing.NOT_STARTED, 0, None, None),
    ]  # fmt: skip
    totals = bulletin(rows, day, 10).totals
    assert (totals.tasks, totals.overdue, totals.claimed, totals.requested) == (7, 2, 1, 1)


def test_the_yellow_light_and_the_bulletin_judge_pace_by_one_rule() -> None:
    """`lights.against_pace` judges both ways: for every reported percent, the light is
    yellow for being behind exactly when the bulletin says 欠进度, and 超进度 only above."""
    from planctl.core.lights import against_pace, behind

    day = date(2018, 7, 10)
    seen: dict[int, int] = {}
    for percent in range(101):
        report = event("Y", Action.PROGRESS, "2018-07-05", percent=percent, note="so far")
        row = assess(PLAN, states([report], as_of=day), day)["Y"]
        kind = classify([row], day, 10)[0].standing
        assert behind(row, day, 10) is (kind is Standing.BEHIND)
        gap = against_pace(row, day, 10)
        seen[gap] = seen.get(gap, 0) + 1
        assert kind is {-1: Standing.BEHIND, 0: Standing.ON_PACE, 1: Standing.AHEAD}[gap]
    assert seen == {-1: 43, 0: 20, 1: 38}
