"""Steps (issue 15 items 2 and 4), on literal plans: what a step inherits, the structure's
errors, a parent's status from its steps, what summaries count. No files, no store."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml

from planctl.core.changes import done_by_steps
from planctl.core.events import Action, Event
from planctl.core.lights import Supervision
from planctl.core.progress import StepCount, TaskRow, assess
from planctl.core.report import digest, point_tallies, tally, unit_tallies, year_report
from planctl.core.schedule import due_rows, list_rows
from planctl.core.state import Completion, TaskState, states
from planctl.core.steps import depth, leaf_rows, open_steps, step_rows, tree_order
from planctl.errors import PlanError, StepsOpen
from planctl.plan import codec
from planctl.plan.load import parse_plan
from planctl.plan.model import Plan
from planctl.rules.windows import plan_period
from planctl.views.common import status_text, step_depths, task_cells, task_object
from planctl.views.labels import label_lookup

TODAY = date(2023, 6, 15)
ZH, EN = label_lookup("zh"), label_lookup("en")


def plan(*tasks: dict[str, Any], **extra: Any) -> Plan:
    """The plan as the loader reads it (steps flattened), from YAML text."""
    data = {"id": "p", "year": 2023, "title": "分步实施", "tasks": list(tasks), **extra}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return parse_plan(text.encode(), "p.yaml")


def problems(*tasks: dict[str, Any], **extra: Any) -> list[str]:
    with pytest.raises(PlanError) as caught:
        plan(*tasks, **extra)
    return [str(problem) for problem in caught.value.problems]


AIM = {
    "id": "1",
    "title": "建成服务中心",
    "due": "2023-11-30",
    "start": "2023-03-01",
    "lead": ["发改局"],
    "support": ["财政局"],
    "leader": "王明",
    "points": [1],
    "steps": [
        {"id": "1.1", "title": "可研", "due": "2023-04-30"},
        {
            "id": "1.2",
            "title": "招标",
            "due": "2023-06-30",
            "lead": ["交易中心"],
            "steps": [
                {"id": "1.2.1", "title": "公告", "month": 5},
                {"id": "1.2.2", "title": "开标", "month": 6, "leader": ["张强"]},
            ],
        },
        {"id": "1.3", "title": "验收", "support": [], "points": [2]},
    ],
}
SECTIONS = [
    {
        "number": 1,
        "title": "建设",
        "points": [{"number": 1, "title": "中心"}, {"number": 2, "title": "验收"}],
    }
]


def aim_plan() -> Plan:
    return plan(AIM, sections=SECTIONS)


def done(task_id: str, on: str, n: int = 1) -> Event:
    return Event(f"e-{task_id}-{on}", "p", task_id, Action.DONE, date.fromisoformat(on), "李",
                 None, count=n)  # type: ignore[arg-type]  # fmt: skip


def rows_of(
    subject: Plan, *events: Event, today: date = TODAY, stale_days: int = 30
) -> dict[str, TaskRow]:
    return assess(subject, states(events), today, Supervision(stale_days=stale_days))


# The loaded plan: steps are tasks of their own, parent first, with what they inherit.


def test_steps_are_flattened_parent_first_with_parent_and_steps_ids() -> None:
    tasks = aim_plan().tasks
    assert [(t.id, t.parent, t.step_ids) for t in tasks] == [
        ("1", None, ["1.1", "1.2", "1.3"]),
        ("1.1", "1", []),
        ("1.2", "1", ["1.2.1", "1.2.2"]),
        ("1.2.1", "1.2", []),
        ("1.2.2", "1.2", []),
        ("1.3", "1", []),
    ]
    parent = tasks[0]
    assert parent.steps[1] is tasks[2]  # a parent holds its steps as loaded
    assert parent.steps[1].steps[0] is tasks[3]


def test_a_step_inherits_each_key_it_does_not_set_separately() -> None:
    by_id = {task.id: task for task in aim_plan().tasks}
    roles = {
        task_id: (task.leads, task.support, task.leader, task.points)
        for task_id, task in by_id.items()
    }
    assert roles == {
        "1": (["发改局"], ["财政局"], ["王明"], [1]),
        "1.1": (["发改局"], ["财政局"], ["王明"], [1]),
        "1.2": (["交易中心"], ["财政局"], ["王明"], [1]),
        "1.2.1": (["交易中心"], ["财政局"], ["王明"], [1]),
        "1.2.2": (["交易中心"], ["财政局"], ["张强"], [1]),
        "1.3": (["发改局"], [], ["王明"], [2]),
    }


def test_owners_is_inherited_as_lead_is() -> None:
    subject = plan({"id": "a", "title": "甲", "month": 3, "owners": ["提案科"],
                    "steps": [{"id": "a.1", "title": "乙"}]})  # fmt: skip
    assert subject.tasks[1].leads == ["提案科"]


def test_a_step_has_its_parents_window_unless_it_gives_one_and_starts_with_it() -> None:
    subject = aim_plan()
    period = plan_period(subject)
    rows = rows_of(subject)
    windows = {tid: (str(row.start), str(row.due)) for tid, row in rows.items()}
    assert windows == {
        "1": ("2023-03-01", "2023-11-30"),
        "1.1": ("2023-03-01", "2023-04-30"),  # due given, start its parent's
        "1.2": ("2023-03-01", "2023-06-30"),
        "1.2.1": ("2023-05-01", "2023-05-31"),
        "1.2.2": ("2023-06-01", "2023-06-30"),
        "1.3": ("2023-03-01", "2023-11-30"),  # no window: its parent's
    }
    assert period.start == date(2023, 1, 1)


def test_after_may_name_steps_and_parents() -> None:
    subject = plan(AIM, {"id": "2", "title": "总结会", "month": 12, "after": ["1", "1.2.1"]},
                   sections=SECTIONS)  # fmt: skip
    rows = rows_of(subject, done("1.2.1", "2023-05-10"))
    assert rows["2"].blocked_by == ("1",)


def test_structure_errors_are_at_path_line_column() -> None:
    deep = {"id": "a.1.1", "title": "丙", "steps": [{"id": "a.1.1.1", "title": "丁"}]}
    assert problems(
        {"id": "a", "title": "甲", "month": 3,
         "steps": [{"id": "a.1", "title": "乙", "steps": [deep]}]},
        {"id": "b", "title": "戊", "every": "month", "steps": [{"id": "b.1", "title": "己"}]},
    ) == [
        "p.yaml:15:7: steps go 2 levels below a task: 'a.1.1' is a step of a step and cannot"
        " have steps of its own",
        "p.yaml:19:10: task 'b' has steps and cannot recur: give every to its steps",
    ]  # fmt: skip


def test_a_steps_window_lies_inside_its_parents() -> None:
    assert problems(
        {"id": "a", "title": "甲", "quarter": 2,
         "steps": [{"id": "a.1", "title": "乙", "due": "2023-07-15"}]}
    ) == [
        "p.yaml:11:10: step 'a.1' has the window 2023-04-01 to 2023-07-15, which is not inside"
        " the window of its task 'a', 2023-04-01 to 2023-06-30"
    ]  # fmt: skip


def test_a_weekly_step_under_a_month_is_outside_it_and_fine_under_the_year() -> None:
    weekly = {"id": "a.1", "title": "乙", "every": "week"}
    assert len(problems({"id": "a", "title": "甲", "month": 3, "steps": [weekly]})) == 1
    subject = plan({"id": "a", "title": "甲", "year_round": True, "steps": [weekly]})
    assert subject.tasks[1].every == "week"


def test_ids_are_unique_across_steps() -> None:
    assert problems(
        {"id": "a", "title": "甲", "month": 3, "steps": [{"id": "b", "title": "乙"}]},
        {"id": "B", "title": "丙", "month": 4},
    ) == ["p.yaml:11:7: duplicate task id 'B' (task ids ignore case: 'b' is on line 9)"]


def test_the_plan_cache_codec_keeps_steps() -> None:
    subject = aim_plan()
    again = codec.loads(codec.dumps(subject))
    assert again == subject
    assert [(t.id, t.parent, t.step_ids) for t in again.tasks] == [
        (t.id, t.parent, t.step_ids) for t in subject.tasks
    ]


# The rules: a parent's status is its steps'.


def test_a_parent_is_done_when_all_its_steps_are_and_its_completion_is_the_last() -> None:
    subject = aim_plan()
    some = rows_of(subject, done("1.1", "2023-04-20"), done("1.2.1", "2023-05-10"))
    assert [(tid, r.done, r.steps) for tid, r in some.items() if r.task.steps] == [
        ("1", False, StepCount(1, 3, 2)),  # 1.1 once, and 1.2's step once
        ("1.2", False, StepCount(1, 2, 1)),
    ]
    every = rows_of(
        subject,
        done("1.1", "2023-04-20"),
        done("1.2.1", "2023-05-10"),
        done("1.2.2", "2023-06-02"),
        done("1.3", "2023-06-01"),
    )
    assert (every["1.2"].done, every["1.2"].completion) == (
        True,
        Completion(date(2023, 6, 2), "李"),
    )
    assert (every["1"].done, every["1"].completion) == (True, Completion(date(2023, 6, 2), "李"))
    assert every["1"].steps == StepCount(3, 3, 4)


def test_undo_of_a_step_reopens_its_parent() -> None:
    subject = plan({"id": "a", "title": "甲", "month": 3, "steps": [{"id": "a.1", "title": "乙"}]})
    recorded = done("a.1", "2023-03-05")
    undo = Event("u", "p", "a.1", Action.UNDO, date(2023, 3, 6), "李", None, undoes=recorded.event_id)  # type: ignore[arg-type]  # fmt: skip
    assert rows_of(subject, recorded)["a"].done
    assert not rows_of(subject, recorded, undo)["a"].done


def test_a_recurring_step_counts_while_it_is_done() -> None:
    subject = plan({"id": "a", "title": "报送", "year_round": True,
                    "steps": [{"id": "a.1", "title": "月报", "every": "month"}]})  # fmt: skip
    june = done("a.1", "2023-06-10")
    assert not rows_of(subject, june)["a"].done  # January to May were missed: overdue step
    months = [done("a.1", f"2023-{m:02d}-10") for m in range(1, 7)]
    assert rows_of(subject, *months)["a"].done
    assert not rows_of(subject, *months, today=date(2023, 7, 15))["a"].done  # July not yet


def test_a_parent_is_overdue_only_after_its_own_due_day() -> None:
    subject = aim_plan()
    rows = rows_of(subject)
    assert (rows["1.1"].overdue, rows["1"].overdue) == (True, False)
    late = rows_of(subject, done("1.1", "2023-04-20"), today=date(2023, 12, 1))
    assert late["1"].overdue and not late["1"].done


def test_a_parent_with_a_target_counts_its_steps_counts() -> None:
    subject = plan({"id": "a", "title": "三次督办", "due": "2023-11-30", "target": 3, "unit": "次",
                    "steps": [{"id": "a.1", "title": "一", "month": 4, "target": 2},
                              {"id": "a.2", "title": "二", "month": 7},
                              {"id": "a.3", "title": "三", "month": 10}]})  # fmt: skip
    rows = rows_of(subject, done("a.1", "2023-04-10", 2), done("a.2", "2023-06-01"))
    pace = rows["a"].pace
    assert pace is not None and (pace.count, pace.target) == (3, 3)
    assert not rows["a"].done  # a.3 is open: the steps decide
    assert status_text(rows["a"], ZH) == "未完成; 3/3次; 2/3步"
    assert status_text(rows["a"], EN) == "open; 3/3 次; 2/3 steps"


def test_done_of_a_parent_is_refused_while_steps_are_open() -> None:
    subject = aim_plan()
    rows = rows_of(subject, done("1.1", "2023-04-20"))
    with pytest.raises(StepsOpen) as caught:
        done_by_steps(subject.tasks[0], rows)
    assert caught.value.lines() == [
        "planctl: 1 建成服务中心 is done when all its steps are; 2 steps are still open:",
        "  1.2 招标",
        "  1.3 验收",
    ]
    every = rows_of(subject, *(done(t, "2023-06-01") for t in ("1.1", "1.2.1", "1.2.2", "1.3")))
    assert done_by_steps(subject.tasks[0], every) == Completion(date(2023, 6, 1), "李")


# Rows: a parent's steps, the rows a summary counts, steps under their task.


def test_step_rows_leaf_rows_open_steps_depth_and_tree_order() -> None:
    rows = rows_of(aim_plan(), done("1.1", "2023-04-20"))
    assert [r.task.id for r in step_rows(rows, "1")] == ["1.1", "1.2", "1.3"]
    assert [r.task.id for r in step_rows(rows, "1.1")] == []
    assert [r.task.id for r in leaf_rows(rows.values())] == ["1.1", "1.2.1", "1.2.2", "1.3"]
    assert [r.task.id for r in open_steps(rows, "1")] == ["1.2", "1.3"]
    assert [depth(rows, tid) for tid in rows] == [0, 1, 1, 2, 2, 1]
    shuffled = [rows[tid] for tid in ("1.3", "1.2.2", "1", "1.2", "1.1", "1.2.1")]
    assert [r.task.id for r in tree_order(shuffled)] == ["1", "1.3", "1.2", "1.2.2", "1.2.1", "1.1"]
    without_parent = [rows[tid] for tid in ("1.2.2", "1.1", "1.2.1")]
    assert [r.task.id for r in tree_order(without_parent)] == ["1.2.2", "1.1", "1.2.1"]


def test_list_and_due_show_a_step_after_its_task() -> None:
    subject = aim_plan()
    rows = rows_of(subject).values()
    assert [r.task.id for r in list_rows(rows)] == ["1", "1.1", "1.2", "1.2.1", "1.2.2", "1.3"]
    agenda = due_rows(rows, (2023, 6), plan_period(subject))
    assert [r.task.id for r in agenda] == ["1", "1.1", "1.2", "1.2.1", "1.2.2", "1.3"]


def test_summaries_count_only_tasks_without_steps() -> None:
    subject = aim_plan()
    events = [done("1.1", "2023-04-20"), done("1.2.1", "2023-05-10")]
    rows = list(rows_of(subject, *events).values())
    report = year_report(subject, plan_period(subject), rows, events)
    assert (report.summary.total, report.summary.done, report.summary.overdue) == (4, 2, 0)
    assert [(m, t.total) for m, t in report.months if t.total] == [
        ((2023, 4), 1), ((2023, 5), 1), ((2023, 6), 1), ((2023, 11), 1),
    ]  # fmt: skip
    assert [(n, t.total, t.done) for n, _, t in report.sections] == [(1, 4, 2)]
    assert {n: (t.total, t.done) for n, t in point_tallies(subject, rows).items()} == {
        1: (3, 2),
        2: (1, 0),
    }
    units = {u.unit: (u.led.total, u.led.done, u.supported.total) for u in unit_tallies(rows)}
    assert units == {"交易中心": (2, 1, 0), "发改局": (2, 1, 0), "财政局": (0, 0, 3)}
    assert tally(leaf_rows(rows)) == digest(rows, events, TODAY, 7).summary
    assert [r.task.id for r in report.overdue] == []
    # The lists still show a parent with its roll-up.
    assert "1.2" in {r.task.id for r in digest(rows, events, TODAY, 7).open_this_month}


# Views: JSON keys, the status cell, the marked ID cell.


def test_task_objects_have_parent_steps_and_steps_done() -> None:
    rows = rows_of(aim_plan(), done("1.1", "2023-04-20"))
    picked = {tid: task_object(rows[tid]) for tid in ("1", "1.2.1")}
    assert {tid: (o["parent"], o["steps"], o["steps_done"]) for tid, o in picked.items()} == {
        "1": (None, ["1.1", "1.2", "1.3"], 1),
        "1.2.1": ("1.2", [], None),
    }


def test_tables_mark_steps_under_their_task() -> None:
    subject = aim_plan()
    rows = rows_of(subject, done("1.1", "2023-04-20"))
    depths = step_depths(subject)
    assert [task_cells(rows[t], ZH, depths=depths)[0] for t in rows] == [
        "1", "└ 1.1", "└ 1.2", "  └ 1.2.1", "  └ 1.2.2", "└ 1.3",
    ]  # fmt: skip
    assert task_cells(rows["1"], ZH, depths=depths)[-2:] == [
        "未完成; 1/3步; 自 2023-04-20 无记录",
        "红",
    ]


def test_a_parent_without_steps_state_is_open() -> None:
    row = rows_of(plan({"id": "a", "title": "甲", "month": 3}))["a"]
    assert (row.steps, task_object(row)["steps"], row.state) == (None, [], TaskState())


def test_a_parents_light_is_the_worst_of_its_own_and_its_steps() -> None:
    subject = aim_plan()
    # (Never stale here: a stale step is yellow, and its task with it, as
    # test_a_stale_step_makes_its_task_yellow shows.)
    lights = {task_id: row.light for task_id, row in rows_of(subject, stale_days=366).items()}
    # 15 June: 1.1 (April) and 1.2.1 (May) are overdue; their tasks show it.
    assert lights == {"1": "red", "1.1": "red", "1.2": "red", "1.2.1": "red", "1.2.2": "green",
                      "1.3": "green"}  # fmt: skip
    early = (done("1.1", "2023-04-20"), done("1.2.1", "2023-05-20"))
    soon = rows_of(subject, *early, today=date(2023, 6, 25), stale_days=366)
    # 1.2.2 is due on 30 June, within the week: blue, and so are 1.2 and the whole task.
    assert {task_id: row.light for task_id, row in soon.items()} == {
        "1": "blue", "1.1": "done", "1.2": "blue", "1.2.1": "done", "1.2.2": "blue",
        "1.3": "green",
    }  # fmt: skip
    finished = (*early, done("1.2.2", "2023-06-20"), done("1.3", "2023-06-21"))
    assert {row.light for row in rows_of(subject, *finished, today=date(2023, 6, 25)).values()} == {
        "done"
    }


def test_a_stale_step_makes_its_task_yellow() -> None:
    # On 25 June nothing has been recorded on 1 since 20 May (on its step 1.2.1).
    early = (done("1.1", "2023-04-20"), done("1.2.1", "2023-05-20"))
    rows = rows_of(aim_plan(), *early, today=date(2023, 6, 25))
    assert {task_id: (row.light, row.stale) for task_id, row in rows.items()} == {
        "1": ("yellow", True), "1.1": ("done", False), "1.2": ("yellow", True),
        "1.2.1": ("done", False), "1.2.2": ("blue", False), "1.3": ("yellow", True),
    }  # fmt: skip
