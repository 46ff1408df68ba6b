"""The return cycle's pure core (planctl.core.returns): cycles, due days, the tasks a unit
answers for in a cycle; on literal data and the plan tests/data/good/returns-2018.yaml."""

from __future__ import annotations

from datetime import date

import pytest

from planctl.core.progress import assess
from planctl.core.returns import (
    Cycle,
    NoReturns,
    UnknownCycle,
    current_cycle,
    cycle_named,
    cycles,
    plan_cycles,
    return_due,
    unit_return_rows,
)
from planctl.core.state import Completion, TaskState
from planctl.plan.load import load_plan
from planctl.plan.model import Returns
from planctl.rules.calendar import PlanPeriod
from tests.conftest import REPO

PLAN = REPO / "tests/data/good/returns-2018.yaml"
YEAR_2018 = PlanPeriod.of_year(2018)
MAY_APRIL = PlanPeriod(date(2019, 5, 1), date(2020, 4, 30), 2019)


def test_monthly_cycles_are_due_by_the_day_of_their_month() -> None:
    found = cycles(Returns(every="month", by=25), YEAR_2018)
    assert len(found) == 12
    assert found[5] == Cycle(date(2018, 6, 1), date(2018, 6, 30), "2018-06", date(2018, 6, 25))
    assert found[1].due == date(2018, 2, 25)


def test_a_day_past_a_short_months_end_is_its_last_day() -> None:
    found = cycles(Returns(every="month", by=31), YEAR_2018)
    assert [cycle.due.day for cycle in found[:4]] == [31, 28, 31, 30]


def test_quarterly_cycles_due_in_the_month_after() -> None:
    rules = Returns(every="quarter", by=5, next_month=True)
    assert cycles(rules, YEAR_2018) == (
        Cycle(date(2018, 1, 1), date(2018, 3, 31), "2018-Q1", date(2018, 4, 5)),
        Cycle(date(2018, 4, 1), date(2018, 6, 30), "2018-Q2", date(2018, 7, 5)),
        Cycle(date(2018, 7, 1), date(2018, 9, 30), "2018-Q3", date(2018, 10, 5)),
        Cycle(date(2018, 10, 1), date(2018, 12, 31), "2018-Q4", date(2019, 1, 5)),
    )


def test_quarterly_cycles_of_a_may_april_plan_are_clipped_to_it() -> None:
    found = cycles(Returns(every="quarter", by=10), MAY_APRIL)
    assert [(c.label, c.start, c.end, c.due) for c in (found[0], found[-1])] == [
        ("2019-Q2", date(2019, 5, 1), date(2019, 6, 30), date(2019, 6, 10)),
        ("2020-Q2", date(2020, 4, 1), date(2020, 4, 30), date(2020, 4, 10)),
    ]
    assert len(found) == 5


def test_return_due_in_december_next_month_is_january() -> None:
    rules = Returns(every="month", by=31, next_month=True)
    assert return_due(rules, date(2018, 12, 31)) == date(2019, 1, 31)
    assert return_due(rules, date(2018, 1, 31)) == date(2018, 2, 28)


def test_a_cycle_by_its_label() -> None:
    found = cycles(Returns(every="quarter", by=5), YEAR_2018)
    assert cycle_named(found, " 2018-q2 ").label == "2018-Q2"
    with pytest.raises(UnknownCycle) as raised:
        cycle_named(found, "2018-06")
    assert str(raised.value) == "no return cycle '2018-06' in this plan (cycles: 2018-Q1..2018-Q4)"


def test_the_current_cycle() -> None:
    monthly = cycles(Returns(every="month", by=25), YEAR_2018)
    quarterly = cycles(Returns(every="quarter", by=5, next_month=True), YEAR_2018)
    assert current_cycle(monthly, date(2018, 6, 20)).label == "2018-06"
    assert current_cycle(monthly, date(2018, 6, 28)).label == "2018-06"
    assert current_cycle(monthly, date(2017, 12, 1)).label == "2018-01"
    assert current_cycle(monthly, date(2019, 3, 1)).label == "2018-12"
    assert current_cycle(quarterly, date(2018, 7, 3)).label == "2018-Q2"
    assert current_cycle(quarterly, date(2018, 7, 6)).label == "2018-Q3"


def test_a_plan_without_returns_has_no_cycles() -> None:
    plan = load_plan(REPO / "tests/data/good/minimal.yaml")
    with pytest.raises(NoReturns) as raised:
        plan_cycles(plan)
    assert str(raised.value) == "plan mini has no returns: (add returns: {every: month, by: 25})"


def _june_rows(unit: str, states: dict[str, TaskState] | None = None) -> list[tuple[str, str]]:
    plan = load_plan(PLAN)
    june = cycle_named(plan_cycles(plan), "2018-06")
    rows = assess(plan, states or {}, date(2018, 6, 20)).values()
    return [(r.row.task.id, r.role) for r in unit_return_rows(rows, june, YEAR_2018, unit)]


def test_a_units_june_return_lists_led_supported_overdue_and_current_tasks() -> None:
    # 2: overdue since April (lead); 3: June (lead); 4: Q2 (support); 6: year round (lead);
    # not 1 (March, open: overdue too), not 7 (November).
    assert _june_rows("提案科") == [
        ("1", "lead"),
        ("2", "lead"),
        ("3", "lead"),
        ("4", "support"),
        ("6", "lead"),
    ]


def test_a_done_task_leaves_the_return_and_a_duty_stays() -> None:
    done = {
        "1": TaskState((Completion(date(2018, 3, 20), "提案科"),)),
        "5": TaskState((Completion(date(2018, 6, 10), "办公室"),)),
    }
    assert _june_rows("提案科", done) == [("2", "lead"), ("3", "lead"), ("4", "support"),
                                          ("6", "lead")]  # fmt: skip
    # 8 has steps: its steps are reported, not 8 itself; 5 is a monthly duty, done or not.
    assert _june_rows("办公室", done) == [("2", "support"), ("8.1", "lead"), ("8.2", "lead"),
                                          ("5", "lead")]  # fmt: skip


def test_units_are_matched_as_owners_are_and_a_stranger_has_no_rows() -> None:
    assert _june_rows(" 研究室 ") == [("4", "lead"), ("5", "support")]
    assert _june_rows("宣传科") == []


def test_returns_survive_the_plan_cache_codec() -> None:
    from planctl.plan.codec import dumps, loads

    plan = load_plan(PLAN)
    again = loads(dumps(plan))
    assert again.returns == Returns(every="month", by=25)
    assert again == plan


def test_unit_filings_on_time_late_missing_and_not_due() -> None:
    from datetime import UTC, datetime

    from planctl.core.returns import FiledReturn, UnitFiling, unit_filings

    june = Cycle(date(2018, 6, 1), date(2018, 6, 30), "2018-06", date(2018, 6, 25))
    at = datetime(2018, 6, 30, tzinfo=UTC)

    def filed(unit: str, day: date, rows: int, cycle: str = "2018-06") -> FiledReturn:
        return FiledReturn(f"r-{unit}-{day}", "p", unit, cycle, day, "d", rows, unit, at)

    returns = [
        filed("提案科", date(2018, 6, 24), 4),
        filed("研究室", date(2018, 6, 27), 1),
        filed("提案科", date(2018, 6, 28), 5),  # a corrected return: the first day counts
        filed("办公室", date(2018, 5, 20), 3, cycle="2018-05"),  # another cycle
        filed("宣传科 ", date(2018, 7, 2), 2),  # received after today: not yet
    ]
    tasks = {"办公室": 4, "提案科": 5, "研究室": 2, "宣传科": 1}
    assert unit_filings(june, tasks, returns, date(2018, 6, 30)) == [
        UnitFiling("办公室", date(2018, 6, 25), None, "missing", 4, 0),
        UnitFiling("提案科", date(2018, 6, 25), date(2018, 6, 24), "on_time", 5, 5),
        UnitFiling("研究室", date(2018, 6, 25), date(2018, 6, 27), "late", 2, 1),
        UnitFiling("宣传科", date(2018, 6, 25), None, "missing", 1, 0),
    ]
    before = unit_filings(june, tasks, returns, date(2018, 6, 20))
    assert [f.status for f in before] == ["not_due"] * 4
    assert [f.silent for f in unit_filings(june, tasks, returns, date(2018, 6, 30))] == [
        4, 0, 1, 1
    ]  # fmt: skip


def test_return_tallies_count_the_cycles_due_and_deduct() -> None:
    from datetime import UTC, datetime

    from planctl.core.returns import FiledReturn, ReturnTally, return_tallies

    at = datetime(2018, 7, 1, tzinfo=UTC)
    monthly = cycles(Returns(every="month", by=25), YEAR_2018)
    filed = [
        FiledReturn("a", "p", "提案科", "2018-05", date(2018, 5, 25), "d", 3, "x", at),
        FiledReturn("b", "p", "提案科", "2018-06", date(2018, 6, 26), "d", 3, "x", at),
        FiledReturn("c", "p", "研究室", "2018-06", date(2018, 6, 20), "d", 1, "x", at),
    ]
    # By 25 July: cycles 2018-01..2018-07 are due (July on its due day: not counted yet).
    assert return_tallies(monthly, ["提案科", "研究室"], filed, date(2018, 7, 25),
                          late_weight=0.1, missing_weight=0.5) == [
        ReturnTally("提案科", 1, 1, 4, 2.1),
        ReturnTally("研究室", 1, 0, 5, 2.5),
    ]  # fmt: skip
