"""Task references: an ID in any case, or a unique part of a title, compared after NFKC."""

from __future__ import annotations

import pytest

from planctl.errors import AmbiguousTask, UnknownTask
from planctl.plan.model import Plan, Task
from planctl.plan.refs import fold, resolve_task, resolve_tasks


@pytest.mark.parametrize(
    ("reference", "task_id"),
    [
        ("6.2", "6.2"),
        ("y.8", "Y.8"),
        ("Ｙ．８", "Y.8"),  # full-width ID
        (" 10.2\t", "10.2"),
        ("养老保险扩面情况", "5.1"),  # 6.3 has 养老保险扩面, but not 情况 after it
        ("重点 提案 督办", "6.2"),  # white space is ignored
        ("１０　件实事落实情况", "11.1"),  # full-width digits and space; 12.1 has 10 件实事落实、
        ("不忘初心,牢记使命", "3.1"),
        ("不忘初心，牢记使命", "3.1"),  # a full-width comma folds to the plan's ASCII one
    ],
)
def test_resolves(plan_2018: Plan, reference: str, task_id: str) -> None:
    assert resolve_task(plan_2018, reference).id == task_id


def test_ambiguous_reference_lists_the_candidates(plan_2018: Plan) -> None:
    with pytest.raises(AmbiguousTask) as caught:
        resolve_task(plan_2018, "养老")
    assert caught.value.lines() == [
        "planctl: '养老' matches 2 tasks:",
        "  5.1 开展养老保险扩面情况的调研",
        "  6.3 召开区政协常委会:"
        "协商提案科养老保险扩面、宣教科文体工作发展情况的调研报告;通过城市精细化管理情况的视察报告",
    ]


def test_ten_things_is_ambiguous_without_more_words(plan_2018: Plan) -> None:
    with pytest.raises(AmbiguousTask, match=r"^'１０ 件实事' matches 2 tasks:$") as caught:
        resolve_task(plan_2018, "１０ 件实事")
    assert [line.split()[0] for line in caught.value.candidates] == ["11.1", "12.1"]


def test_many_candidates_are_listed_up_to_ten_then_counted() -> None:
    tasks = [Task(id=f"m{n}", title=f"月度例会 {n}", month=n) for n in range(1, 13)]
    plan = Plan(id="p", year=2018, title="计划", tasks=tasks)
    with pytest.raises(AmbiguousTask) as caught:
        resolve_task(plan, "例会")
    assert caught.value.lines() == [
        "planctl: '例会' matches 12 tasks:",
        *[f"  m{n} 月度例会 {n}" for n in range(1, 11)],
        "  ... and 2 more",
    ]


def test_an_unknown_id_suggests_the_closest(plan_2018: Plan) -> None:
    with pytest.raises(UnknownTask) as caught:
        resolve_task(plan_2018, "5.l")
    assert caught.value.lines() == [
        "planctl: no task matches '5.l' in cppcc-2018",
        "did you mean:",
        "  5.1 开展养老保险扩面情况的调研",
    ]


def test_unknown_reference(plan_2018: Plan) -> None:
    with pytest.raises(UnknownTask) as caught:
        resolve_task(plan_2018, "植树造林")
    assert str(caught.value) == "no task matches '植树造林' in cppcc-2018"


def test_an_id_that_is_not_in_the_plan_is_unknown(plan_2018: Plan) -> None:
    with pytest.raises(UnknownTask) as caught:
        resolve_task(plan_2018, "13.1")
    assert str(caught.value) == "no task matches '13.1' in cppcc-2018"


@pytest.mark.parametrize("reference", ["", "   ", "\u3000", "\t\n"])
def test_empty_reference(plan_2018: Plan, reference: str) -> None:
    with pytest.raises(UnknownTask) as caught:
        resolve_task(plan_2018, reference)
    assert str(caught.value) == "an empty task reference matches nothing"


def test_an_exact_title_wins_over_longer_titles_containing_it() -> None:
    plan = Plan(
        id="p",
        year=2018,
        title="t",
        tasks=[
            Task(id="a", title="重点提案督办", month=6),
            Task(id="b", title="提案督办", month=7),
            Task(id="c", title="提案督办总结", month=8),
        ],
    )
    assert resolve_task(plan, "提案 督办").id == "b"
    with pytest.raises(AmbiguousTask) as caught:
        resolve_task(plan, "督办")
    assert caught.value.candidates == ["  a 重点提案督办", "  b 提案督办", "  c 提案督办总结"]


def test_an_id_wins_over_a_title() -> None:
    plan = Plan(
        id="p",
        year=2018,
        title="t",
        tasks=[Task(id="a1", title="b2 review", month=1), Task(id="b2", title="other", month=2)],
    )
    assert resolve_task(plan, "B2").id == "b2"


def test_resolve_tasks_keeps_order_and_drops_repeats(plan_2018: Plan) -> None:
    tasks = resolve_tasks(plan_2018, ["y.8", "6.2", "重点提案督办", "Y.8"])
    assert [task.id for task in tasks] == ["Y.8", "6.2"]


def test_fold() -> None:
    assert fold(" Ｙ．８\u3000Ａb ") == "y.8ab"
