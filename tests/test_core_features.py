"""Pure rules for targets, recurring duties, prerequisites, deferral and plan revisions."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from planctl.core.changes import (
    Defer,
    Done,
    Situation,
    already_done,
    check_count,
    check_percent,
    defer_event,
    done_events,
    measured_value,
)
from planctl.core.events import Action, Event, Stamp
from planctl.core.progress import assess, assess_task, expected_count
from planctl.core.revisions import orphaned, plan_changes
from planctl.core.schedule import due_rows
from planctl.core.state import OPEN, Completion, Deferral, TaskState, fold
from planctl.errors import BadRequest, BadValue, StepsOpen
from planctl.plan.model import Plan, Section, Step, Task, WorkPoint
from planctl.plan.steps import assembled
from planctl.rules.calendar import PlanPeriod
from planctl.rules.periods import Period, period_of, periods_between

AT = datetime(2018, 6, 15, tzinfo=UTC)
PERIOD = PlanPeriod.of_year(2018)
IDS = ["new-1", "new-2"]
JUNE_15 = date(2018, 6, 15)


def completions(*days: date, count: int = 1) -> TaskState:
    return TaskState(tuple(Completion(day, "a", count) for day in days))


def test_periods_are_iso_weeks_months_and_quarters() -> None:
    assert period_of("week", date(2018, 6, 15)) == Period(
        date(2018, 6, 11), date(2018, 6, 17), "2018-W24"
    )
    assert period_of("week", date(2018, 12, 31)).label == "2019-W01"
    assert period_of("month", date(2018, 2, 3)) == Period(
        date(2018, 2, 1), date(2018, 2, 28), "2018-02"
    )
    assert period_of("quarter", date(2018, 8, 31)) == Period(
        date(2018, 7, 1), date(2018, 9, 30), "2018-Q3"
    )
    weeks = periods_between("week", date(2018, 1, 1), date(2018, 12, 31))
    assert (len(weeks), weeks[0].label, weeks[-1].label) == (53, "2018-W01", "2019-W01")
    assert len(periods_between("quarter", date(2018, 1, 1), date(2018, 12, 31))) == 4


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2017, 12, 31), 0),
        (date(2018, 1, 1), 0),
        (date(2018, 3, 1), 0),
        (date(2018, 3, 2), 1),
        (date(2018, 7, 2), 3),
        (date(2018, 12, 31), 6),
        (date(2019, 6, 1), 6),
    ],
)
def test_expected_count_is_pro_rata_over_the_days(today: date, expected: int) -> None:
    assert expected_count(6, date(2018, 1, 1), date(2018, 12, 31), today) == expected


def test_a_target_is_done_when_the_count_reaches_it_and_flags_a_task_behind() -> None:
    task = Task(id="P10.1", title="走访委员", year_round=True, target=6, unit="次")
    behind = assess_task(task, completions(date(2018, 2, 1)), 2018, date(2018, 7, 2))
    assert not behind.done
    assert behind.pace is not None
    assert (behind.pace.count, behind.pace.expected, behind.pace.behind) == (1, 3, True)
    on_pace = assess_task(task, completions(date(2018, 2, 1), count=3), 2018, date(2018, 7, 2))
    assert on_pace.pace is not None and not on_pace.pace.behind and not on_pace.done
    done = assess_task(task, completions(date(2018, 2, 1), count=6), 2018, date(2018, 7, 2))
    assert done.done and done.completion == Completion(date(2018, 2, 1), "a", 6)
    assert not assess_task(task, completions(count=5), 2018, date(2019, 1, 1)).done


def test_a_weekly_duty_names_the_weeks_missed() -> None:
    task = Task(id="Y.8", title="更新网站", year_round=True, every="week")
    state = completions(date(2018, 1, 3), date(2018, 1, 17), date(2018, 1, 24))
    row = assess_task(task, state, 2018, date(2018, 1, 30))
    assert row.rhythm is not None
    assert [p.label for p in row.rhythm.elapsed] == [f"2018-W0{n}" for n in range(1, 6)]
    assert [p.label for p in row.rhythm.done] == ["2018-W01", "2018-W03", "2018-W04"]
    assert [p.label for p in row.rhythm.missed] == ["2018-W02"]
    assert (row.rhythm.current.label, row.done, row.overdue) == ("2018-W05", False, True)
    # One status: done in this week, but weeks missed before it, is overdue, not done.
    this_week = assess_task(task, completions(date(2018, 1, 29)), 2018, date(2018, 1, 30))
    assert (this_week.done, this_week.overdue, this_week.completion) == (False, True, None)
    every_week = completions(*(date(2018, 1, day) for day in (1, 8, 15, 22, 29)))
    on_time = assess_task(task, every_week, 2018, date(2018, 1, 30))
    assert (on_time.done, on_time.overdue) == (True, False)
    assert on_time.completion == Completion(date(2018, 1, 29), "a")


def test_a_duty_takes_one_completion_per_period() -> None:
    task = Task(id="P11.1", title="社情民意", year_round=True, every="quarter")
    state = completions(date(2018, 4, 3))
    assert already_done(task, state, date(2018, 6, 30), PERIOD) == Completion(date(2018, 4, 3), "a")
    assert already_done(task, state, date(2018, 7, 1), PERIOD) is None
    counted = Task(id="P10.1", title="走访", year_round=True, target=6)
    assert already_done(counted, completions(date(2018, 1, 1), count=9), JUNE_15, PERIOD) is None


def _plan(*tasks: Task) -> Plan:
    point = WorkPoint(number=1, title="点")
    return Plan(
        id="p",
        year=2018,
        title="计划",
        sections=[Section(number=1, title="节", points=[point])],
        tasks=list(tasks),
    )


def test_a_meeting_is_blocked_while_a_report_it_takes_is_open() -> None:
    plan = _plan(
        Task(id="4.3", title="文体调研", month=4),
        Task(id="5.1", title="养老调研", month=5),
        Task(id="6.3", title="常委会", month=6, after=["4.3", "5.1"]),
    )
    rows = assess(plan, {"4.3": completions(date(2018, 4, 20))}, JUNE_15)
    assert rows["6.3"].blocked_by == ("5.1",)
    rows = assess(plan, {"4.3": completions(JUNE_15), "5.1": completions(JUNE_15)}, JUNE_15)
    assert rows["6.3"].blocked_by == ()


def test_a_deferral_moves_the_task_and_its_deadline() -> None:
    plan = _plan(Task(id="7.1", title="开发区调研", month=7), Task(id="9.1", title="x", month=9))
    deferred = TaskState(deferral=Deferral(9, "等待规划", date(2018, 7, 20), "王"))
    rows = assess(plan, {"7.1": deferred}, date(2018, 8, 15))
    assert (rows["7.1"].month, rows["7.1"].overdue) == (9, False)
    # Its window now runs from July to its new due day: open on the August agenda too.
    assert [
        r.task.id
        for r in due_rows(
            assess(plan, {"7.1": deferred}, date(2018, 8, 15)).values(), (2018, 8), PERIOD
        )
    ] == ["7.1"]
    assert [
        r.task.id
        for r in due_rows(
            assess(plan, {"7.1": deferred}, date(2018, 8, 15)).values(), (2018, 9), PERIOD
        )
    ] == [
        "7.1",
        "9.1",
    ]
    assert assess(plan, {"7.1": deferred}, date(2018, 10, 1))["7.1"].overdue


def _defer(state: TaskState, task: Task, to: int | str, reason: str = "原因") -> Event:
    stamp = Stamp("王", AT, iter(IDS))
    return defer_event("p", task, state, str(to), reason, PERIOD, on=JUNE_15, stamp=stamp)


def test_deferral_rules() -> None:
    task = Task(id="7.1", title="开发区调研", month=7)
    event = _defer(OPEN, task, 9, "等待规划")
    assert event == Event(
        "new-1", "p", "7.1", Action.DEFER, JUNE_15, "王", AT, note="等待规划", to_month=9,
        to_date=date(2018, 9, 30),
    )  # fmt: skip
    assert fold([event]).deferral == Deferral(9, "等待规划", JUNE_15, "王", date(2018, 9, 30))
    later = "defer it to a later day, up to 2019-12-31 (twelve months past the plan's period)"
    with pytest.raises(
        BadValue, match=rf"^7\.1 is due on 2018-07-31; {re.escape(later)}, not 2018-07-31$"
    ):
        _defer(OPEN, task, 7)
    with pytest.raises(BadValue, match=r"^7\.1 is due on 2018-09-30; .*, not 2018-08-31$"):
        _defer(fold([event]), task, 8)
    with pytest.raises(
        BadValue, match=r"^2020-01 is outside the plan's period .*2019-12 at the latest\)$"
    ):
        _defer(OPEN, task, "2020-01")
    assert _defer(OPEN, task, "2019-03").to_date == date(2019, 3, 31)  # carried over
    assert _defer(OPEN, task, "2018-08-15").to_month is None
    with pytest.raises(BadRequest, match=r"^a deferral needs a reason$") as refused:
        _defer(OPEN, task, 9, "  ")
    assert (refused.value.part, refused.value.problem) == ("reason", "blank")
    year_round = _defer(OPEN, Task(id="Y.1", title="全年", year_round=True), "2019-02")
    assert year_round.to_date == date(2019, 2, 28)
    with pytest.raises(BadValue, match=r"^Y\.8 is a recurring duty: its occurrences cannot"):
        _defer(OPEN, Task(id="Y.8", title="每周", every="week"), 9)


def test_count_is_only_for_tasks_with_a_target() -> None:
    plain = Task(id="6.1", title="视察", month=6)
    # The core names the part of the request, never a command-line option.
    with pytest.raises(
        BadRequest, match=r"^a count is for tasks with a counted target; 6\.1 has none$"
    ) as refused:
        done_events("p", [plain], {}, PERIOD, on=JUNE_15, stamp=Stamp("a", AT, iter(IDS)), count=2)
    assert (refused.value.part, refused.value.problem) == ("count", "no target")
    counted = Task(id="P10.1", title="走访", year_round=True, target=6)
    new, _ = done_events(
        "p", [counted], {}, PERIOD, on=JUNE_15, stamp=Stamp("a", AT, iter(IDS)), count=2
    )
    assert fold(new).count == 2


def test_plan_changes_and_orphans() -> None:
    before = {"1.1": ["旧标题", 1], "2.1": ["不变", 2], "3.1": ["删除的", 3]}
    plan = _plan(
        Task(id="1.1", title="新标题", month=1),
        Task(id="2.1", title="不变", month=4),
        Task(id="4.1", title="新增", month=4),
    )
    changes = plan_changes(before, plan)
    assert changes.added == [("4.1", "新增")]
    assert changes.removed == [("3.1", "删除的")]
    assert changes.retitled == [("1.1", "旧标题", "新标题")]
    assert changes.moved == [("2.1", 2, 4)]
    assert not plan_changes({"1.1": ["新标题", 1], "2.1": ["不变", 4], "4.1": ["新增", 4]}, plan)
    events = [
        Event("e1", "p", "3.1", Action.DONE, JUNE_15, "a", AT),
        Event("e2", "p", "3.1", Action.NOTE, JUNE_15, "a", AT, note="n"),
        Event("e3", "p", "1.1", Action.DONE, JUNE_15, "a", AT),
    ]
    assert orphaned(plan, events) == {"3.1": 2}


def test_a_use_case_decides_on_the_history_as_of_today() -> None:
    """A deferral dated after today does not count yet: on 10 June 7.1 is still due on
    31 July, so August is later; on 15 June, deferred to September, August is refused."""
    task = Task(id="7.1", title="调研", month=7)
    plan = _plan(task)
    later = Stamp("a", AT, iter(["d-1"])).event(
        "p", "7.1", Action.DEFER, date(2018, 6, 12), note="批复", to_month=9,
        to_date=date(2018, 9, 30),
    )  # fmt: skip
    june_10 = date(2018, 6, 10)
    situation = Situation(plan, june_10, june_10, Stamp("b", AT, iter(IDS)), {"7.1": [later]})
    change = Defer(task, "8", "材料未齐").change(situation)
    assert [(e.event_id, e.action, e.work_date, e.to_date, e.note) for e in change.events] == [
        ("new-1", Action.DEFER, june_10, date(2018, 8, 31), "材料未齐")
    ]
    assert (change.already, change.undone) == ([], None)
    on_15 = Situation(plan, JUNE_15, JUNE_15, Stamp("b", AT, iter(IDS)), {"7.1": [later]})
    with pytest.raises(BadValue, match=r"^7\.1 is due on 2018-09-30; .*, not 2018-08-31$"):
        Defer(task, "8", "材料未齐").change(on_15)


def test_done_of_a_task_with_steps_counts_the_steps_it_records() -> None:
    """`done 3.1 3.2 3`: the steps recorded by the same request make the task done."""
    parent = Task(id="3", title="调研", month=6, steps=[Step(id="3.1", title="走访"),
                                                       Step(id="3.2", title="报告")])  # fmt: skip
    plan = assembled(_plan(parent))
    steps = [task for task in plan.tasks if task.id != "3"]
    parent = plan.tasks[0]
    situation = Situation(plan, JUNE_15, JUNE_15, Stamp("b", AT, iter(IDS)), {})
    change = Done([*steps, parent]).change(situation)
    situation = Situation(plan, JUNE_15, JUNE_15, Stamp("b", AT, iter(IDS)), {})
    assert [(e.task_id, e.action) for e in change.events] == [
        ("3.1", Action.DONE), ("3.2", Action.DONE)
    ]  # fmt: skip
    assert [(task.id, done.on, done.by) for task, done in change.already] == [("3", JUNE_15, "b")]
    with pytest.raises(StepsOpen, match=r"^3 调研 is done when all its steps are; 1 step is"):
        Done([steps[0], parent]).change(situation)


@pytest.mark.parametrize(
    ("refused", "part", "problem", "message"),
    [
        (lambda: check_count(0), "count", "range", "a count must be 1 to 2147483647, not 0"),
        (lambda: check_count(2**31), "count", "range",
         "a count must be 1 to 2147483647, not 2147483648"),
        (lambda: Done([Task(id="3", title="调研", month=6, steps=[Step(id="3.1", title="访")])],
                      count=1),
         "count", "on steps", "a count goes on a step: 3 counts what its steps count"),
        (lambda: check_percent(101), "percent", "range", "a percent must be 0 to 100, not 101"),
        (lambda: measured_value("1e3"), "value", "not a number",
         "a value must be a number such as 8, 7.5 or -2, not '1e3'"),
    ],
)  # fmt: skip
def test_a_request_is_refused_by_its_part_never_by_an_option(
    refused: Callable[[], object], part: str, problem: str, message: str
) -> None:
    """The core names the part of the request; the CLI words it for its option."""
    with pytest.raises(BadRequest) as error:
        refused()
    assert (error.value.part, error.value.problem, str(error.value)) == (part, problem, message)
