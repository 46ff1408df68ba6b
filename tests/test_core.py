"""The functional core on literal data: folding events, undo, what is due and overdue."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from planctl.core.changes import done_events, note_event, undo_event
from planctl.core.events import Action, Event, Stamp
from planctl.core.progress import assess, assess_task
from planctl.core.schedule import due_rows
from planctl.core.state import (
    OPEN,
    Completion,
    Deferral,
    TaskState,
    events_as_of,
    fold,
    states,
    undo_target,
)
from planctl.errors import NothingToUndo
from planctl.plan.model import Plan, Section, Task, WorkPoint
from planctl.rules.calendar import PlanPeriod

AT = datetime(2018, 6, 15, 9, 0, tzinfo=UTC)
PERIOD = PlanPeriod.of_year(2018)
IDS = ["new-1", "new-2", "new-3"]


def event(
    number: int,
    action: Action,
    *,
    task: str = "6.1",
    on: date = date(2018, 6, 15),
    by: str = "alice",
    note: str | None = None,
    undoes: int | None = None,
) -> Event:
    return Event(
        event_id=f"e{number}",
        plan_id="p",
        task_id=task,
        action=action,
        work_date=on,
        recorded_by=by,
        recorded_at=AT,
        note=note,
        undoes=None if undoes is None else f"e{undoes}",
    )


def done_state(
    on: date = date(2018, 6, 15), by: str = "alice", note: str | None = None
) -> TaskState:
    return TaskState((Completion(on, by),), note)


def test_no_events_is_open() -> None:
    assert fold([]) == OPEN
    assert fold([]).last_completion is None


def test_done_records_date_who_and_note() -> None:
    state = fold([event(1, Action.DONE, note="视察完成")])
    assert state == done_state(note="视察完成")


def test_undo_reverses_the_latest_change_and_repeated_undo_walks_back() -> None:
    done = event(1, Action.DONE)
    noted = event(2, Action.NOTE, note="上报", by="bob")
    assert fold([done, noted]) == done_state(note="上报")
    first_undo = event(3, Action.UNDO, undoes=2)
    assert fold([done, noted, first_undo]) == done_state()
    assert undo_target([done, noted, first_undo]) == done
    second_undo = event(4, Action.UNDO, undoes=1)
    assert fold([done, noted, first_undo, second_undo]) == OPEN
    assert undo_target([done, noted, first_undo, second_undo]) is None


def test_the_fold_reads_events_the_same_whatever_order_they_came_in() -> None:
    """Two offices' events merged in either order: read by recorded time, then event ID."""

    def at(day: int, number: int, action: Action, by: str, note: str | None = None) -> Event:
        recorded = datetime(2018, 6, 14 if by == "乙" else day, 9, tzinfo=UTC)
        made = event(number, action, on=date(2018, 6, day), by=by, note=note)
        return replace(made, recorded_at=recorded)

    office_a = [at(12, 1, Action.DONE, "甲"), at(12, 2, Action.NOTE, "甲", "甲的说明")]
    office_b = [at(8, 3, Action.DONE, "乙"), at(8, 4, Action.NOTE, "乙", "乙的说明")]
    expected = TaskState(
        (Completion(date(2018, 6, 12), "甲"), Completion(date(2018, 6, 8), "乙")), "乙的说明"
    )
    assert fold(office_a + office_b) == fold(office_b + office_a) == expected
    assert fold(office_b + office_a).last_completion == Completion(date(2018, 6, 8), "乙")
    # undo takes back the latest recorded change (B's note, recorded on the 14th), either way.
    assert undo_target(office_a + office_b) == undo_target(office_b + office_a) == office_b[1]


def test_done_again_after_undo() -> None:
    events = [
        event(1, Action.DONE, on=date(2018, 6, 1)),
        event(2, Action.UNDO, undoes=1),
        event(3, Action.DONE, on=date(2018, 6, 20), by="carol"),
    ]
    assert fold(events) == done_state(date(2018, 6, 20), "carol")


def test_states_groups_by_task() -> None:
    result = states([event(1, Action.DONE, task="a"), event(2, Action.NOTE, task="b", note="n")])
    assert result == {"a": done_state(), "b": TaskState(note="n")}


def _plan() -> Plan:
    point = WorkPoint(number=1, title="点")
    return Plan(
        id="p",
        year=2018,
        title="计划",
        sections=[Section(number=1, title="节", points=[point])],
        tasks=[
            Task(id="1.1", title="一月", month=1),
            Task(id="5.1", title="五月", month=5, owners=["提案科"]),
            Task(id="6.1", title="六月", month=6, owners=["经建科"]),
            Task(id="7.1", title="七月", month=7),
            Task(id="Y.1", title="全年", year_round=True),
        ],
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2018, 5, 31), False), (date(2018, 6, 1), True), (date(2019, 1, 1), True)],
)
def test_overdue_after_the_month_ends(today: date, expected: bool) -> None:
    task = Task(id="5.1", title="五月", month=5)
    assert assess_task(task, OPEN, 2018, today).overdue is expected
    assert assess_task(task, done_state(date(2018, 5, 2)), 2018, today).overdue is False


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2018, 12, 31), False), (date(2019, 1, 1), True)],
)
def test_a_year_round_task_is_overdue_after_the_year(today: date, expected: bool) -> None:
    task = Task(id="Y.1", title="全年", year_round=True)
    assert assess_task(task, OPEN, 2018, today).overdue is expected


def test_due_lists_month_year_round_and_earlier_open_tasks() -> None:
    plan = _plan()
    done_january = {"1.1": done_state(date(2018, 1, 5))}
    rows = due_rows(assess(plan, done_january, date(2018, 6, 15)).values(), (2018, 6), PERIOD)
    assert [(row.task.id, row.overdue) for row in rows] == [
        ("5.1", True),
        ("6.1", False),
        ("Y.1", False),
    ]


def test_due_keeps_tasks_of_the_month_that_are_done_unless_open_only() -> None:
    plan = _plan()
    done_june = {"6.1": done_state(date(2018, 6, 2))}
    assert [
        r.task.id
        for r in due_rows(assess(plan, done_june, date(2018, 6, 15)).values(), (2018, 6), PERIOD)
    ] == [
        "1.1",
        "5.1",
        "6.1",
        "Y.1",
    ]
    open_rows = due_rows(
        assess(plan, done_june, date(2018, 6, 15)).values(), (2018, 6), PERIOD, open_only=True
    )
    assert [r.task.id for r in open_rows] == ["1.1", "5.1", "Y.1"]


def test_due_filters_by_owner_as_references_compare() -> None:
    rows = due_rows(
        assess(_plan(), {}, date(2018, 6, 15)).values(), (2018, 6), PERIOD, owner=" 经建科 "
    )
    assert [row.task.id for row in rows] == ["6.1"]


def test_done_events_skip_tasks_already_done() -> None:
    plan = _plan()
    history = {"5.1": [event(1, Action.DONE, task="5.1")]}
    new, already = done_events(
        "p",
        [plan.tasks[1], plan.tasks[2]],
        history,
        PERIOD,
        on=date(2018, 6, 3),
        stamp=Stamp("bob", AT, iter(IDS)),
    )
    assert new == [
        Event("new-1", "p", "6.1", Action.DONE, date(2018, 6, 3), "bob", AT),
    ]
    assert already == [(plan.tasks[1], Completion(date(2018, 6, 15), "alice"))]


def test_undo_event_points_at_the_latest_change() -> None:
    task = _plan().tasks[2]
    history = [event(1, Action.DONE), event(2, Action.NOTE, note="x")]
    undo, target = undo_event(
        "p", task, history, on=date(2018, 6, 15), stamp=Stamp("bob", AT, iter(IDS))
    )
    assert undo == Event(
        "new-1", "p", "6.1", Action.UNDO, date(2018, 6, 15), "bob", AT, undoes="e2"
    )
    assert target.event_id == "e2"
    with pytest.raises(NothingToUndo, match=r"^nothing to undo for 6\.1 六月$"):
        undo_event("p", task, [], on=date(2018, 6, 15), stamp=Stamp("bob", AT, iter(IDS)))


def test_note_event_carries_the_text() -> None:
    noted = note_event(
        "p", _plan().tasks[0], "已完成", on=date(2018, 1, 2), stamp=Stamp("a", AT, iter(IDS))
    )
    assert noted == Event(
        "new-1", "p", "1.1", Action.NOTE, date(2018, 1, 2), "a", AT, note="已完成"
    )


def test_as_of_a_day_work_dated_later_does_not_count() -> None:
    task = Task(id="3.1", title="三月", month=3)
    events = [event(1, Action.DONE, task="3.1", on=date(2018, 3, 20))]
    before = states(events, as_of=date(2018, 3, 10))
    assert before == {}
    row = assess_task(task, before.get("3.1", OPEN), 2018, date(2018, 3, 10))
    assert (row.done, row.overdue) == (False, False)
    after = states(events, as_of=date(2018, 3, 20))
    assert assess_task(task, after["3.1"], 2018, date(2018, 3, 20)).done
    assert states(events) == after


def test_as_of_counts_an_undo_from_its_own_work_date() -> None:
    done = event(1, Action.DONE, on=date(2018, 6, 10))
    undone = event(2, Action.UNDO, on=date(2018, 9, 1), undoes=1)
    assert states([done, undone], as_of=date(2018, 6, 30)) == {"6.1": done_state(date(2018, 6, 10))}
    assert states([done, undone], as_of=date(2018, 9, 1)) == {"6.1": OPEN}
    assert events_as_of([done, undone], date(2018, 6, 30)) == [done]


def test_a_deferral_event_carries_its_new_due_day() -> None:
    deferral = Event(
        "e1", "p", "7.1", Action.DEFER, date(2018, 7, 2), "王", AT, note="等待批复",
        to_month=9, to_date=date(2018, 9, 30),
    )  # fmt: skip
    assert fold([deferral]).deferral == Deferral(9, "等待批复", date(2018, 7, 2), "王",
                                                 date(2018, 9, 30))  # fmt: skip
    by_date = Event("e2", "p", "7.1", Action.DEFER, date(2018, 7, 2), "王", AT, note="x",
                    to_date=date(2018, 8, 15))  # fmt: skip
    state = fold([by_date])
    assert state.deferral is not None and state.deferral.due(2018) == date(2018, 8, 15)
    assert state.note is None  # a deferral's reason is not a note


def test_the_newest_events_are_found_without_a_call_per_event(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The report's recent events: the ten latest by work date, then by their place in the
    log, listed in the log's order; found by comparing plain (date, place) pairs, with no
    Python key function called per event (issue 32: 18,000 calls for 1,000 tasks' events)."""
    import heapq
    import random
    from typing import Any

    from planctl.core.report import newest

    chosen = random.Random(32)
    at = datetime(2018, 6, 1, tzinfo=UTC)
    events = [
        Event(f"e{n}", "p", "1", Action.NOTE, date(2018, 6, chosen.randint(1, 5)), "王", at)
        for n in range(40)
    ]
    numbered = [(n * 3, event) for n, event in enumerate(events)]
    latest = sorted(numbered, key=lambda pair: (pair[1].work_date, pair[0]))[-10:]
    keys: list[object] = []
    real = heapq.nlargest

    def recorded(n: int, iterable: Any, key: Any = None) -> Any:
        keys.append(key)
        return real(n, iterable, key=key)

    monkeypatch.setattr(heapq, "nlargest", recorded)
    assert newest(iter(numbered)) == sorted(latest, key=lambda pair: pair[0])
    assert newest(numbered[:3]) == numbered[:3]
    assert keys and all(key is None for key in keys)
