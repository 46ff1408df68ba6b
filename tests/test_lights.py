"""Lights, expected progress, value targets and stale tasks, on literal plans and events."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from planctl.core.events import Action, Event
from planctl.core.lights import (
    DEFAULT_SUPERVISION,
    LIGHTS,
    Light,
    Supervision,
    expected_percent,
    worst_light,
)
from planctl.core.progress import Pace, TaskRow, assess
from planctl.core.state import states
from planctl.plan.model import Plan, Task
from planctl.views.common import status_text, task_object
from planctl.views.labels import label_lookup

AT = datetime(2018, 6, 1, tzinfo=UTC)

TASKS: dict[str, dict[str, Any]] = {
    # plain: June
    "P": {"title": "Plain June task", "month": 6},
    # counted: 6 over the year
    "C": {"title": "Visit members", "year_round": True, "target": 6, "unit": "times"},
    # value targets, judged at the end of the year
    "V": {
        "title": "GDP growth",
        "due": date(2018, 12, 31),
        "target": 8,
        "unit": "%",
        "measure": "value",
    },
    "M": {
        "title": "Unemployment",
        "due": date(2018, 12, 31),
        "target": 5,
        "unit": "%",
        "measure": "value",
        "compare": "at_most",
    },
    "A": {
        "title": "Revenue growth",
        "due": date(2018, 12, 31),
        "target": 8,
        "unit": "%",
        "measure": "value",
        "compare": "about",
    },
    "T": {
        "title": "Prices",
        "due": date(2018, 12, 31),
        "target": 3,
        "unit": "%",
        "measure": "value",
        "compare": "about",
        "tolerance": 0.5,
    },
    # a duty: by the 28th of every month
    "D": {"title": "Monthly return", "every": "month", "by": 28},
    # a deadline over the whole year
    "Y": {"title": "Year-long work", "due": date(2018, 12, 31)},
}

PLAN = Plan(
    id="lights",
    year=2018,
    title="Lights",
    tasks=[Task(id=task_id, **keys) for task_id, keys in TASKS.items()],
)


def event(task: str, action: Action, on: str, number: int = 0, **fields: Any) -> Event:
    return Event(
        f"{task}-{on}-{action.value}-{number}",
        "lights",
        task,
        action,
        date.fromisoformat(on),
        "clerk",
        AT,
        **fields,
    )


def done(task: str, on: str, **fields: Any) -> Event:
    return event(task, Action.DONE, on, **fields)


def report(task: str, on: str, *, percent: int | None = None, value: float | None = None) -> Event:
    return event(task, Action.PROGRESS, on, note="so far", percent=percent, value=value)


def row(
    task: str, today: str, *events: Event, supervision: Supervision = DEFAULT_SUPERVISION
) -> TaskRow:
    day = date.fromisoformat(today)
    return assess(PLAN, states(events, as_of=day), day, supervision)[task]


NEVER_STALE = {"stale_days": 366}
"""Settings under which no task in this 2018 plan is ever stale (for rules other than staleness)."""


def light(task: str, today: str, *events: Event, **settings: int) -> Light:
    return row(task, today, *events, supervision=Supervision(**settings)).light


# A plain task (June).


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2018-05-31", "grey"),  # before its window
        ("2018-06-01", "green"),
        ("2018-06-22", "green"),  # due in 8 days
        ("2018-06-23", "blue"),  # due in 7 days: due soon
        ("2018-06-30", "blue"),  # its due day
        ("2018-07-01", "red"),  # overdue
    ],
)
def test_a_plain_task_is_grey_green_blue_then_red(today: str, expected: Light) -> None:
    assert light("P", today, **NEVER_STALE) == expected


def test_a_done_task_is_done_whatever_the_day() -> None:
    assert light("P", "2018-06-25", done("P", "2018-06-20")) == "done"
    assert light("P", "2018-09-01", done("P", "2018-07-20")) == "done"
    # done later than today does not count yet
    assert light("P", "2018-07-01", done("P", "2018-07-20")) == "red"


@pytest.mark.parametrize(
    ("percent", "expected"),
    [(39, "yellow"), (40, "green"), (100, "green")],
)
def test_a_reported_percent_below_the_elapsed_share_by_more_than_the_margin_is_behind(
    percent: int, expected: Light
) -> None:
    # 15 June: 15 of June's 30 days have elapsed, 50%; the margin is 10 points.
    assert light("P", "2018-06-15", report("P", "2018-06-10", percent=percent)) == expected


def test_the_margin_and_soon_days_come_from_the_settings() -> None:
    late = report("P", "2018-06-10", percent=45)
    assert light("P", "2018-06-15", late) == "green"
    assert light("P", "2018-06-15", late, behind_margin=4) == "yellow"
    assert light("P", "2018-06-15", late, behind_margin=5) == "green"
    assert light("P", "2018-06-15", soon_days=15) == "blue"
    assert light("P", "2018-06-15", soon_days=14) == "green"


def test_behind_wins_over_due_soon_and_the_latest_percent_counts() -> None:
    assert light("P", "2018-06-28", report("P", "2018-06-27", percent=50)) == "yellow"
    reports = (report("P", "2018-06-10", percent=10), report("P", "2018-06-14", percent=50))
    assert light("P", "2018-06-15", *reports) == "green"
    # a report dated after today does not count yet
    assert light("P", "2018-06-15", report("P", "2018-06-10", percent=10)) == "yellow"
    assert light("P", "2018-06-13", *reports) == "yellow"


def test_a_progress_report_never_marks_a_task_done() -> None:
    reported = row("P", "2018-07-01", report("P", "2018-06-30", percent=100))
    assert (reported.done, reported.overdue, reported.light) == (False, True, "red")


def test_an_undone_report_no_longer_counts() -> None:
    behind = report("P", "2018-06-10", percent=10)
    undo = event("P", Action.UNDO, "2018-06-11", undoes=behind.event_id)
    assert light("P", "2018-06-15", behind, undo) == "green"


# Expected progress (序时进度).


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2018-05-31", 0),
        ("2018-06-01", 3),
        ("2018-06-15", 50),
        ("2018-06-30", 100),
        ("2018-07-05", 100),
    ],
)
def test_expected_percent_is_the_elapsed_share_of_the_window_rounded_down(
    today: str, expected: int
) -> None:
    assert expected_percent(date(2018, 6, 1), date(2018, 6, 30), date.fromisoformat(today)) == (
        expected
    )


# A counted target: 6 over the year.


def test_a_count_below_its_pro_rata_pace_is_yellow() -> None:
    # By 2 July, 183 of 365 days: 6 * 183 // 365 = 3 expected.
    two = [done("C", "2018-03-01", count=2)]
    assert light("C", "2018-07-02", *two, **NEVER_STALE) == "yellow"
    assert row("C", "2018-07-02", *two).pace == Pace(count=2, target=6, expected=3)
    assert light("C", "2018-07-01", *two, **NEVER_STALE) == "green"  # 6 * 182 // 365 = 2
    three = [done("C", "2018-03-01", count=3)]
    assert light("C", "2018-07-02", *three, **NEVER_STALE) == "green"
    assert light("C", "2018-12-25", *three, **NEVER_STALE) == "yellow"
    assert light("C", "2018-12-28", done("C", "2018-03-01", count=5), **NEVER_STALE) == "blue"
    assert light("C", "2018-12-28", done("C", "2018-03-01", count=6)) == "done"
    assert light("C", "2019-01-01", *three, **NEVER_STALE) == "red"


# Value targets.


def test_a_value_target_is_green_until_a_value_misses_it_then_yellow() -> None:
    assert light("V", "2018-06-15", **NEVER_STALE) == "green"
    assert light("V", "2018-06-15", report("V", "2018-06-10", value=7.6)) == "yellow"
    assert light("V", "2018-06-15", report("V", "2018-06-10", value=8), **NEVER_STALE) == "green"
    # the latest value counts
    later = (report("V", "2018-03-31", value=7.6), report("V", "2018-06-10", value=8.1))
    assert light("V", "2018-06-15", *later, **NEVER_STALE) == "green"
    assert light("V", "2018-04-01", *later) == "yellow"
    # a report with only a percent does not judge a value target
    assert light("V", "2018-06-15", report("V", "2018-06-10", percent=1), **NEVER_STALE) == "green"


def test_a_value_target_is_done_at_the_window_end_if_its_latest_value_meets_it() -> None:
    met = row("V", "2019-01-01", report("V", "2018-12-20", value=8.1))
    assert (met.done, met.overdue, met.light) == (True, False, "done")
    assert met.completion is not None and met.completion.on == date(2018, 12, 20)
    still_open = row("V", "2018-12-31", report("V", "2018-12-20", value=8.1))
    assert (still_open.done, still_open.light) == (False, "blue")
    missed = row("V", "2019-01-01", report("V", "2018-12-20", value=7.9))
    assert (missed.done, missed.overdue, missed.light) == (False, True, "red")
    assert light("V", "2019-01-01") == "red"  # nothing reported at all


def test_done_declares_a_value_target_done() -> None:
    events = (report("V", "2018-12-20", value=7), done("V", "2018-12-21"))
    assert light("V", "2018-12-22", *events) == "done"
    assert light("V", "2019-01-01", *events) == "done"


@pytest.mark.parametrize(
    ("task", "value", "meets"),
    [
        ("V", 8, True),
        ("V", 7.99, False),
        ("M", 5, True),
        ("M", 4.2, True),
        ("M", 5.01, False),
        # about 8, default tolerance 5% of 8 = 0.4, exactly at the edges
        ("A", 7.6, True),
        ("A", 8.4, True),
        ("A", 7.59, False),
        ("A", 8.41, False),
        # about 3 within 0.5
        ("T", 2.5, True),
        ("T", 3.5, True),
        ("T", 3.51, False),
    ],
)
def test_at_least_at_most_and_about(task: str, value: float, meets: bool) -> None:
    measured = row(task, "2018-06-15", report(task, "2018-06-10", value=value)).measured
    assert measured is not None and measured.meets is meets


# A duty (by the 28th of every month).


def monthly(*months: int, day: int = 10) -> list[Event]:
    return [done("D", f"2018-{month:02d}-{day:02d}") for month in months]


def test_a_duty_with_a_missed_occurrence_is_red() -> None:
    assert light("D", "2018-03-01") == "red"
    assert light("D", "2018-06-15", *monthly(1, 2, 4, 5)) == "red"


def test_a_duty_is_done_green_or_blue_by_its_current_occurrence() -> None:
    assert light("D", "2018-06-05", *monthly(1, 2, 3, 4, 5)) == "green"
    assert light("D", "2018-06-25", *monthly(1, 2, 3, 4, 5)) == "blue"
    assert light("D", "2018-06-25", *monthly(1, 2, 3, 4, 5, 6)) == "done"
    assert light("D", "2018-06-29", *monthly(1, 2, 3, 4, 5)) == "red"


# Stale tasks.


def test_a_task_with_no_event_for_stale_days_inside_its_window_is_stale() -> None:
    # Y runs the whole year: its window has 29 days on 29 January, 30 on the 30th.
    assert row("Y", "2018-01-29").stale is False
    assert row("Y", "2018-01-30").stale is True
    note = event("Y", Action.NOTE, "2018-03-01", note="started")
    assert row("Y", "2018-03-30", note).stale is False
    assert row("Y", "2018-03-31", note).stale is True
    assert row("Y", "2018-03-31", note, supervision=Supervision(stale_days=31)).stale is False


def test_any_event_freshens_a_task_but_done_and_duties_are_never_stale() -> None:
    reported = report("Y", "2018-03-20", percent=20)
    undone = event("Y", Action.UNDO, "2018-04-10", undoes=reported.event_id)
    assert row("Y", "2018-04-15", reported).stale is False
    assert row("Y", "2018-05-05", reported, undone).stale is False
    assert row("Y", "2018-05-10", reported, undone).stale is True
    assert row("Y", "2018-05-10", done("Y", "2018-01-05")).stale is False
    assert row("D", "2018-05-10").stale is False


def test_a_task_outside_its_window_is_not_stale() -> None:
    assert row("P", "2018-05-31").stale is False  # before June
    assert row("P", "2018-06-29").stale is False  # only 29 days into June
    assert row("P", "2018-06-30", supervision=Supervision(stale_days=30)).stale is True
    assert row("P", "2018-07-01").stale is False  # overdue instead


def test_a_stale_task_is_yellow_and_says_since_when() -> None:
    # Issue 25.6: stale year-round tasks were green under 未更新.
    assert light("Y", "2018-01-30") == "yellow"
    note = event("Y", Action.NOTE, "2018-03-01", note="started")
    stale_row = row("Y", "2018-03-31", note)
    assert (stale_row.light, stale_row.stale, stale_row.state.last_event) == (
        "yellow",
        True,
        date(2018, 3, 1),
    )
    assert light("Y", "2018-03-30", note) == "green"
    assert light("P", "2018-07-01") == "red"  # overdue wins
    zh, en = label_lookup("zh"), label_lookup("en")
    assert status_text(stale_row, en) == "open; no word since 2018-03-01"
    assert status_text(stale_row, zh) == "未完成; 自 2018-03-01 无记录"
    never = row("Y", "2018-01-30")
    assert status_text(never, en) == "open; nothing recorded yet"
    assert status_text(never, zh) == "未完成; 尚无记录"
    assert task_object(stale_row)["stale_since"] == "2018-03-01"
    assert task_object(never)["stale_since"] is None
    assert task_object(row("Y", "2018-03-30", note))["stale_since"] is None


# The worst of several lights (a parent and its steps).


def test_worst_light_orders_red_yellow_blue_green_grey_done() -> None:
    assert worst_light(["green", "red", "yellow"]) == "red"
    assert worst_light(["blue", "yellow"]) == "yellow"
    assert worst_light(["green", "blue"]) == "blue"
    assert worst_light(["grey", "green"]) == "green"
    assert worst_light(["done", "grey"]) == "grey"
    assert worst_light(["done", "done"]) == "done"
    assert worst_light(["done", "red"]) == "red"
    assert sorted(LIGHTS) == sorted({"done", "red", "yellow", "blue", "grey", "green"})
    with pytest.raises(ValueError, match="at least one light"):
        worst_light([])
