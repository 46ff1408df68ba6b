"""Lead and supporting units and responsible leaders (issue 15), on literal plans: no I/O."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from planctl.core.progress import assess
from planctl.core.report import unit_tallies
from planctl.core.schedule import Selection, list_rows, unit_role
from planctl.core.state import Completion, TaskState
from planctl.errors import UnknownLeader, UnknownOwner
from planctl.plan import codec
from planctl.plan.check import cross_check
from planctl.plan.model import Plan, Task
from planctl.plan.refs import plan_leaders, plan_owners, resolve_leader, resolve_owner
from planctl.views.common import roles_text, task_object
from planctl.views.labels import label_lookup

TODAY = date(2023, 6, 15)


def plan(*tasks: dict[str, Any], **extra: Any) -> Plan:
    return Plan.model_validate(
        {"id": "p", "year": 2023, "title": "任务分解", "tasks": list(tasks), **extra}
    )


SUPPORTED = {
    "id": "1",
    "title": "制定投资计划",
    "month": 3,
    "lead": ["市发改委"],
    "support": ["市财政局", "市 自然资源局"],
    "leader": "王明",
}
OLD_SPELLING = {"id": "2", "title": "出台方案", "month": 9, "owners": ["市财政局"]}


def test_owners_means_lead_and_a_leader_may_be_one_name() -> None:
    roles = plan(SUPPORTED, OLD_SPELLING)
    first, second = roles.tasks
    assert (first.leads, first.support, first.leader) == (
        ["市发改委"],
        ["市财政局", "市 自然资源局"],
        ["王明"],
    )
    assert (second.leads, second.lead, second.support, second.leader) == (["市财政局"], [], [], [])


def test_a_task_has_owners_or_lead_not_both() -> None:
    both = plan({"id": "1", "title": "x", "month": 3, "owners": ["甲"], "lead": ["乙"]})
    assert cross_check(both) == [
        (
            ("tasks", 0, "lead"),
            "a task has either owners or lead (owners is the older spelling), not both",
        )
    ]


def test_a_unit_does_not_lead_and_support_the_same_task() -> None:
    twice = plan(
        {"id": "1", "title": "x", "month": 3, "lead": ["市发改委"], "support": ["市发改委 "]}
    )
    assert cross_check(twice) == [
        (("tasks", 0, "support", 0), "'市发改委' is both a lead and a supporting unit of task '1'")
    ]


def test_units_are_the_lead_and_supporting_ones_compared_as_references_are() -> None:
    roles = plan(SUPPORTED, OLD_SPELLING)
    assert plan_owners(roles) == ["市 自然资源局", "市发改委", "市财政局"]
    assert resolve_owner(roles, "市自然资源局") == "市 自然资源局"
    assert resolve_owner(roles, "市财政局") == "市财政局"
    assert plan_leaders(roles) == ["王明"]
    assert resolve_leader(roles, " 王 明 ") == "王明"
    with pytest.raises(UnknownLeader, match=r"unknown leader '李华' in p \(leaders: 王明\)"):
        resolve_leader(roles, "李华")
    with pytest.raises(UnknownOwner, match=r"\(owners: 市 自然资源局, 市发改委, 市财政局\)"):
        resolve_owner(roles, "市商务局")


def test_owner_role_and_leader_select_tasks() -> None:
    roles = plan(SUPPORTED, OLD_SPELLING)
    rows = assess(roles, {}, TODAY).values()

    def ids(selection: Selection) -> list[str]:
        return [row.task.id for row in list_rows(rows, owner=selection)]

    assert ids(Selection("市财政局")) == ["1", "2"]
    assert ids(Selection("市财政局", role="lead")) == ["2"]
    assert ids(Selection("市财政局", role="support")) == ["1"]
    assert ids(Selection("市发改委", role="support")) == []
    assert ids(Selection(leader="王明")) == ["1"]
    assert ids(Selection("市财政局", leader="王明")) == ["1"]
    assert ids(Selection()) == ["1", "2"]
    assert unit_role(roles.tasks[0], "市自然资源局") == "support"


def test_the_roll_up_counts_a_task_for_its_lead_and_apart_for_its_supporters() -> None:
    roles = plan(SUPPORTED, OLD_SPELLING)
    done = {"1": TaskState(completions=(Completion(date(2023, 3, 20), "王明"),))}
    tallies = {u.unit: u for u in unit_tallies(list(assess(roles, done, TODAY).values()))}
    lead, supporter = tallies["市发改委"], tallies["市财政局"]
    # The same task 1, done: the lead unit's own done task; the supporter's supported one.
    assert (lead.led.total, lead.led.done, lead.supported.total) == (1, 1, 0)
    assert (supporter.led.total, supporter.led.done, supporter.led.overdue) == (1, 0, 0)
    assert (supporter.supported.total, supporter.supported.done) == (1, 1)
    natural = tallies["市 自然资源局"]
    assert (natural.led.total, natural.led.done, natural.supported.done) == (0, 0, 1)


def test_tables_show_roles_compactly_in_each_language() -> None:
    task = plan(SUPPORTED).tasks[0]
    assert roles_text(task, label_lookup("zh")) == "市发改委 / 配合: 市财政局、市 自然资源局"
    assert roles_text(task, label_lookup("en")) == "市发改委 / support: 市财政局, 市 自然资源局"
    only_support = Task.model_validate({"id": "3", "title": "x", "month": 3, "support": ["甲"]})
    assert roles_text(only_support, label_lookup("zh")) == "配合: 甲"


def test_a_plan_names_its_units_and_roles() -> None:
    zh = label_lookup("zh")
    assert [zh[key] for key in ("unit", "lead", "support", "leader")] == [
        "责任单位",
        "牵头单位",
        "配合单位",
        "责任领导",
    ]
    en = label_lookup("en")
    assert [en[key] for key in ("unit", "lead", "support", "leader")] == [
        "Owner",
        "Lead",
        "Support",
        "Responsible",
    ]
    named = label_lookup("zh", {"unit": "责任科室", "support": "配合科室", "leader": None})
    assert (named["unit"], named["owners"], named["support_mark"], named["leader"]) == (
        "责任科室",
        "各责任科室完成情况",
        "配合科室",
        "责任领导",
    )


def test_task_objects_gain_lead_support_and_leader() -> None:
    roles = plan(SUPPORTED, OLD_SPELLING)
    rows = assess(roles, {}, TODAY)
    first, second = task_object(rows["1"]), task_object(rows["2"])
    assert (first["owners"], first["lead"], first["support"], first["leader"]) == (
        ["市发改委"],
        ["市发改委"],
        ["市财政局", "市 自然资源局"],
        ["王明"],
    )
    assert (second["owners"], second["lead"], second["support"]) == (["市财政局"], ["市财政局"], [])


def test_plan_metadata_and_labels_survive_the_plan_cache() -> None:
    roles = plan(
        SUPPORTED,
        document="XX 政发〔2023〕2号",
        adopted=date(2023, 2, 10),
        revised=[date(2023, 7, 20)],
        review="annually",
        labels={"unit": "责任科室", "leader": "牵头市领导"},
    )
    again = codec.loads(codec.dumps(roles))
    assert again == roles
    assert again.labels is not None and again.labels.leader == "牵头市领导"
    assert plan(review=date(2024, 1, 31)).review == date(2024, 1, 31)
    assert plan(review="2024-01-31").review == date(2024, 1, 31)
