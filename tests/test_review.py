"""Claims (办结审核) as recorded steps: a `done` under `checks.done` is a claim that another
person accepts (done as of the claimed day) or rejects (with a reason)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from planctl.cli.returns_words import worded_look
from planctl.core.changes import Defer, Done, Situation, Undo
from planctl.core.events import Action, Event, Stamp
from planctl.core.progress import assess_task
from planctl.core.return_changes import Look, ReturnedRow, RowOutcome, row_events
from planctl.core.review_changes import Accept, Approve, Chase, Reject
from planctl.core.state import fold
from planctl.errors import BadRequest, BadValue
from planctl.plan.model import Checks, Plan, Section, Task, WorkPoint
from planctl.rules.calendar import PlanPeriod
from tests.conftest import PLAN_2018, Planctl, snapshot
from tests.smtp import Server, bodies, parse
from tests.test_cli_reports import mail_env

AT = datetime(2018, 6, 15, tzinfo=UTC)
JUNE_28 = date(2018, 6, 28)
JULY_3 = date(2018, 7, 3)
TASK = Task(id="7.1", title="调研", month=6)


CHECKED = Checks(done=True)


def _plan(checks: Checks | None = CHECKED) -> Plan:
    point = WorkPoint(number=1, title="点")
    return Plan(id="p", year=2018, title="计划", checks=checks,
                sections=[Section(number=1, title="节", points=[point])],
                tasks=[TASK])  # fmt: skip


def _record(
    history: list[Event], case: object, *, by: str, on: date, today: date | None = None
) -> list[Event]:
    ids = iter([f"e{len(history) + 1}"])
    stamp = Stamp(by, AT.replace(second=len(history)), ids)
    situation = Situation(_plan(), today or on, on, stamp, {"7.1": history})
    change = case.change(situation)  # type: ignore[attr-defined]
    return [*history, *change.events]


def test_with_checks_off_done_records_done() -> None:
    situation = Situation(_plan(None), JUNE_28, JUNE_28, Stamp("科室", AT, iter(["e1"])), {})
    change = Done([TASK]).change(situation)
    assert [(e.action, e.work_date) for e in change.events] == [(Action.DONE, JUNE_28)]


def test_a_claim_accepted_is_done_as_of_the_claimed_day() -> None:
    """Claimed on 28 June (due 30 June), checked on 3 July: done on time, on 28 June."""
    history = _record([], Done([TASK], note="已完成"), by="科室", on=JUNE_28)
    assert [(e.action, e.work_date, e.recorded_by) for e in history] == [
        (Action.CLAIM, JUNE_28, "科室")
    ]
    claimed = assess_task(TASK, fold(history), 2018, JULY_3)
    assert (claimed.done, claimed.overdue) == (False, True)
    assert claimed.state.claim is not None
    assert (claimed.state.claim.on, claimed.state.claim.by) == (JUNE_28, "科室")
    history = _record(history, Accept(TASK), by="督查室", on=JULY_3)
    assert history[-1].action is Action.ACCEPT
    accepted = assess_task(TASK, fold(history), 2018, JULY_3)
    assert accepted.done and not accepted.overdue
    assert accepted.completion is not None
    assert (accepted.completion.on, accepted.completion.by) == (JUNE_28, "科室")
    assert accepted.state.claim is None


def test_a_claim_rejected_reopens_the_task_and_may_be_claimed_again() -> None:
    history = _record([], Done([TASK]), by="科室", on=JUNE_28)
    history = _record(history, Reject(TASK, "材料不全"), by="督查室", on=JUNE_28)
    rejected = fold(history)
    assert rejected.claim is None and rejected.completions == ()
    assert rejected.rejection is not None
    assert (rejected.rejection.reason, rejected.rejection.by) == ("材料不全", "督查室")
    history = _record(history, Done([TASK]), by="科室", on=JULY_3)
    again = fold(history)
    assert again.claim is not None and again.claim.on == JULY_3
    history = _record(history, Accept(TASK), by="督查室", on=JULY_3)
    row = assess_task(TASK, fold(history), 2018, JULY_3)
    assert row.done and row.completion is not None and row.completion.on == JULY_3


def test_a_claim_cannot_be_accepted_by_whoever_made_it() -> None:
    history = _record([], Done([TASK]), by="科室", on=JUNE_28)
    with pytest.raises(BadValue, match=r"^7\.1 was claimed by 科室; someone else accepts it$"):
        _record(history, Accept(TASK), by="科室", on=JULY_3)


def test_accept_and_reject_need_a_claim_and_a_claim_needs_none_pending() -> None:
    with pytest.raises(BadValue, match=r"^7\.1 调研 has no claim to accept$"):
        _record([], Accept(TASK), by="督查室", on=JULY_3)
    with pytest.raises(BadValue, match=r"^7\.1 调研 has no claim or request to reject$"):
        _record([], Reject(TASK, "x"), by="督查室", on=JULY_3)
    history = _record([], Done([TASK]), by="科室", on=JUNE_28)
    with pytest.raises(BadValue, match=r"^7\.1 调研 is awaiting a check \(claimed on 2018-06-28"):
        _record(history, Done([TASK]), by="科室", on=JULY_3)


def test_undo_reverses_each_step_of_a_claim() -> None:
    claimed = _record([], Done([TASK]), by="科室", on=JUNE_28)
    accepted = _record(claimed, Accept(TASK), by="督查室", on=JULY_3)
    undone = _record(accepted, Undo(TASK), by="督查室", on=JULY_3)
    assert undone[-1].undoes == accepted[-1].event_id
    state = fold(undone)
    assert state.completions == () and state.claim is not None
    rejected = _record(claimed, Reject(TASK, "退回"), by="督查室", on=JULY_3)
    state = fold(_record(rejected, Undo(TASK), by="督查室", on=JULY_3))
    assert state.claim is not None and state.rejection is None
    state = fold(_record(claimed, Undo(TASK), by="科室", on=JULY_3))
    assert state.claim is None and state.completions == ()


# Through the commands, on the 2018 plan with `checks: {done: true}`.


@pytest.fixture
def checked_plan(tmp_path: Path) -> Path:
    plan = tmp_path / "2018.yaml"
    text = PLAN_2018.read_text(encoding="utf-8")
    plan.write_text(text.replace("language: zh\n", "language: zh\nchecks: {done: true}\n", 1),
                    encoding="utf-8")  # fmt: skip
    return plan


def test_a_claim_is_awaiting_a_check_until_another_person_accepts_it(
    made_sqlite_store: str, checked_plan: Path, planctl: Planctl
) -> None:
    db, plan = made_sqlite_store, checked_plan

    def shown() -> Any:
        task = planctl.json("show", "7.1", db=db, plan=plan, today="2018-07-03")["task"]
        return {key: task.get(key) for key in ("status", "overdue", "done_on", "done_by",
                                                "claim", "rejection", "light")}  # fmt: skip

    out = planctl.ok("done", "7.1", "--on", "2018-06-28", "--by", "提案科", db=db, plan=plan,
                     today="2018-07-01")  # fmt: skip
    assert (
        out
        == "已申请办结:7.1 对推进城南经济开发区建设进行调研(2018-06-28,提案科);待审核(销号或退回)\n"
    )
    assert shown() == {
        "status": "claimed", "overdue": False, "done_on": None, "done_by": None,
        "claim": {"on": "2018-06-28", "by": "提案科", "note": None}, "rejection": None,
        "light": "green",
    }  # fmt: skip
    before = snapshot(db)
    result = planctl("accept", "7.1", "--by", "提案科", db=db, plan=plan, today="2018-07-03")
    assert (result.code, result.out, result.err) == (
        1, "", "planctl: 7.1 由 提案科 申请办结;须由他人销号\n"
    )  # fmt: skip
    assert snapshot(db) == before
    out = planctl.ok("reject", "7.1", "--reason", "缺调研报告", "--by", "督查室",
                     db=db, plan=plan, today="2018-07-03")  # fmt: skip
    assert out == "已退回:7.1 对推进城南经济开发区建设进行调研:办结申请退回(缺调研报告)\n"
    assert shown() == {
        "status": "open", "overdue": False, "done_on": None, "done_by": None, "claim": None,
        "rejection": {"of": "claim", "on": "2018-07-03", "by": "督查室", "reason": "缺调研报告"},
        "light": "green",
    }  # fmt: skip
    planctl.ok("done", "7.1", "--on", "2018-07-04", "--by", "提案科", db=db, plan=plan,
               today="2018-07-04")  # fmt: skip
    out = planctl.ok("accept", "7.1", "--by", "督查室", db=db, plan=plan, today="2018-08-02")
    assert out == (
        "已销号:7.1 对推进城南经济开发区建设进行调研:2018-07-04 完成(提案科);"
        "2018-08-02 由 督查室 审核\n"
    )
    task = planctl.json("show", "7.1", db=db, plan=plan, today="2018-08-02")["task"]
    assert (task["status"], task["done_on"], task["done_by"], task["overdue"]) == (
        "done", "2018-07-04", "提案科", False
    )  # fmt: skip
    assert "claim" not in task and "rejection" not in task
    history = planctl.ok("history", "7.1", "--format", "text", db=db, plan=plan,
                         today="2018-08-02")  # fmt: skip
    assert [line.split()[5:] for line in history.splitlines() if "7.1" in line] == [
        ["销号", "2018-08-02", "督查室"],
        ["办结申请", "2018-07-04", "提案科"],
        ["退回", "2018-07-03", "督查室", "缺调研报告"],
        ["办结申请", "2018-06-28", "提案科"],
    ]


# Requests (延期申请) under `checks: {defer: true}`: 7.1 is due on 30 June.

ASKING = Checks(defer=True)


def _asked(
    history: list[Event], case: object, *, by: str, on: date, checks: Checks = ASKING
) -> list[Event]:
    stamp = Stamp(by, AT.replace(second=len(history)), iter([f"e{len(history) + 1}"]))
    situation = Situation(_plan(checks), on, on, stamp, {"7.1": history})
    change = case.change(situation)  # type: ignore[attr-defined]
    return [*history, *change.events]


def _due(history: list[Event], today: date = JUNE_28) -> date:
    return assess_task(TASK, fold(history), 2018, today).due


def test_a_request_leaves_the_task_until_approved_with_another_day() -> None:
    history = _asked([], Defer(TASK, "9", "等待规划批复"), by="提案科", on=JUNE_28)
    assert [(e.action, e.to_date, e.note) for e in history] == [
        (Action.REQUEST, date(2018, 9, 30), "等待规划批复")
    ]
    state = fold(history)
    assert state.deferral is None and _due(history) == date(2018, 6, 30)
    assert state.request is not None
    assert (state.request.due, state.request.by, state.request.reason) == (
        date(2018, 9, 30), "提案科", "等待规划批复"
    )  # fmt: skip
    history = _asked(history, Approve(TASK, "8"), by="分管领导", on=JUNE_28)
    assert history[-1].action is Action.APPROVE
    assert fold(history).request is None and _due(history) == date(2018, 8, 31)
    deferral = fold(history).deferral
    assert deferral is not None and (deferral.reason, deferral.by) == ("等待规划批复", "分管领导")
    # Approved as asked: the day requested.
    asked = _asked([], Defer(TASK, "2018-09-15", "等待规划批复"), by="提案科", on=JUNE_28)
    assert _due(_asked(asked, Approve(TASK), by="分管领导", on=JUNE_28)) == date(2018, 9, 15)


def test_a_request_refused_leaves_the_due_day() -> None:
    history = _asked([], Defer(TASK, "9", "等待规划批复"), by="提案科", on=JUNE_28)
    history = _asked(history, Reject(TASK, "不符合延期条件"), by="分管领导", on=JUNE_28)
    state = fold(history)
    assert (state.request, state.deferral) == (None, None)
    assert state.rejection is not None
    assert (state.rejection.of, state.rejection.reason) == ("request", "不符合延期条件")
    assert _due(history) == date(2018, 6, 30)


def test_a_request_after_the_due_day_needs_late() -> None:
    with pytest.raises(
        BadValue,
        match=r"^7\.1 was due on 2018-06-30: a request for a later day comes before it"
        r" \(give late to ask after it\)$",
    ):
        _asked([], Defer(TASK, "9", "迟报"), by="提案科", on=JULY_3)
    history = _asked([], Defer(TASK, "9", "迟报", late=True), by="提案科", on=JULY_3)
    state = fold(history)
    assert state.request is not None and state.request.on == JULY_3
    assert _due(_asked(history, Approve(TASK), by="分管领导", on=JULY_3)) == date(2018, 9, 30)


def test_undo_reverses_each_step_of_a_request() -> None:
    asked = _asked([], Defer(TASK, "9", "等待规划批复"), by="提案科", on=JUNE_28)
    approved = _asked(asked, Approve(TASK), by="分管领导", on=JUNE_28)
    state = fold(_asked(approved, Undo(TASK), by="分管领导", on=JUNE_28))
    assert state.deferral is None and state.request is not None
    refused = _asked(asked, Reject(TASK, "不批"), by="分管领导", on=JUNE_28)
    state = fold(_asked(refused, Undo(TASK), by="分管领导", on=JUNE_28))
    assert state.request is not None and state.rejection is None
    state = fold(_asked(asked, Undo(TASK), by="提案科", on=JUNE_28))
    assert (state.request, state.deferral) == (None, None)


def test_approve_needs_a_request_and_a_request_none_pending() -> None:
    with pytest.raises(BadValue, match=r"^7\.1 调研 has no request to approve$"):
        _asked([], Approve(TASK), by="分管领导", on=JUNE_28)
    asked = _asked([], Defer(TASK, "9", "等待规划批复"), by="提案科", on=JUNE_28)
    with pytest.raises(BadValue, match=r"^7\.1 调研 has a request awaiting a decision"):
        _asked(asked, Defer(TASK, "10", "再延"), by="提案科", on=JUNE_28)
    with pytest.raises(BadValue, match=r"^7\.1 is due on 2018-06-30; defer it to a later day"):
        _asked(asked, Approve(TASK, "2018-06-20"), by="分管领导", on=JUNE_28)


def test_a_request_through_the_commands(
    made_sqlite_store: str, tmp_path: Path, planctl: Planctl
) -> None:
    db, plan = made_sqlite_store, tmp_path / "2018.yaml"
    text = PLAN_2018.read_text(encoding="utf-8")
    plan.write_text(text.replace("language: zh\n", "language: zh\nchecks: {defer: true}\n", 1),
                    encoding="utf-8")  # fmt: skip
    title = "对推进城南经济开发区建设进行调研"
    before = snapshot(db)
    late = planctl("defer", "7.1", "--to", "9", "--reason", "迟报", db=db, plan=plan,
                   today="2018-08-01")  # fmt: skip
    assert (late.code, late.out, late.err) == (
        1, "", "planctl: 7.1 的完成时限是 2018-07-31:延期申请应在此之前提出(逾期申请请加 --late)\n",
    )  # fmt: skip
    assert snapshot(db) == before
    out = planctl.ok("defer", "7.1", "--to", "9", "--reason", "等待规划批复", "--by", "提案科",
                     db=db, plan=plan, today="2018-07-20")  # fmt: skip
    assert out == f"已申请延期:7.1 {title} 至 2018-09-30(等待规划批复);待批复(批复或退回)\n"
    task = planctl.json("show", "7.1", db=db, plan=plan, today="2018-07-20")["task"]
    assert (task["status"], task["due"], task["deferral"], task["request"]) == (
        "open", "2018-07-31", None,
        {"due": "2018-09-30", "reason": "等待规划批复", "on": "2018-07-20", "by": "提案科",
         "late": False},
    )  # fmt: skip
    out = planctl.ok("approve", "7.1", "--to", "8", "--by", "分管领导", db=db, plan=plan,
                     today="2018-07-22")  # fmt: skip
    assert out == f"已批复:7.1 {title}:完成时限改为 2018-08-31\n"
    history = planctl.ok("history", "7.1", "--format", "csv", db=db, plan=plan,
                         today="2018-07-22")  # fmt: skip
    assert [line.split(",")[3:] for line in history.splitlines()[1:]] == [
        ["批复", "2018-07-22", "分管领导", "→ 2018-08-31"],
        ["延期申请", "2018-07-20", "提案科", "→ 2018-09-30 · 等待规划批复"],
    ]
    task = planctl.json("show", "7.1", db=db, plan=plan, today="2018-07-22")["task"]
    assert (task["due"], task["deferral"], "request" in task) == (
        "2018-08-31",
        {"to": 8, "due": "2018-08-31", "reason": "等待规划批复", "on": "2018-07-22",
         "by": "分管领导"},
        False,
    )  # fmt: skip
    out = planctl.ok("defer", "7.1", "--to", "10", "--reason", "迟报", "--late", "--by", "提案科",
                     db=db, plan=plan, today="2018-09-03")  # fmt: skip
    task = planctl.json("show", "7.1", db=db, plan=plan, today="2018-09-03")["task"]
    assert task["request"]["late"] is True
    out = planctl.ok("reject", "7.1", "--reason", "不予延期", "--by", "分管领导", db=db, plan=plan,
                     today="2018-09-04")  # fmt: skip
    assert out == f"已退回:7.1 {title}:延期申请未获批准(不予延期)\n"
    task = planctl.json("show", "7.1", db=db, plan=plan, today="2018-09-04")["task"]
    assert (task["due"], task["overdue"], task["rejection"]) == (
        "2018-08-31", True,
        {"of": "request", "on": "2018-09-04", "by": "分管领导", "reason": "不予延期"},
    )  # fmt: skip


def test_claims_and_requests_walked_through_with_pending(
    made_sqlite_store: str, tmp_path: Path, planctl: Planctl
) -> None:
    """The Done when: 7.1 through claim -> reject -> claim -> accept, 7.2 through request ->
    approve, `show --format json` after each step, `pending` whole."""
    db, plan = made_sqlite_store, tmp_path / "2018.yaml"
    text = PLAN_2018.read_text(encoding="utf-8")
    text = text.replace("language: zh\n", "language: zh\nchecks: {done: true, defer: true}\n", 1)
    text = text.replace("    title: 对推进城南经济开发区建设进行调研\n",
                        "    title: 对推进城南经济开发区建设进行调研\n    leader: 张副主席\n", 1)  # fmt: skip
    plan.write_text(text, encoding="utf-8")
    keys = ("status", "overdue", "done_on", "done_by", "due", "deferral", "claim", "rejection",
            "request")  # fmt: skip

    def step(*args: str, today: str) -> None:
        planctl.ok(*args, db=db, plan=plan, today=today)

    def shown(task_id: str, today: str) -> dict[str, Any]:
        task = planctl.json("show", task_id, db=db, plan=plan, today=today)["task"]
        return {key: task.get(key) for key in keys}

    def open_task(due: str, **more: Any) -> dict[str, Any]:
        return {"status": "open", "overdue": False, "done_on": None, "done_by": None,
                "due": due, "deferral": None, "claim": None, "rejection": None,
                "request": None} | more  # fmt: skip

    step("done", "7.1", "--on", "2018-06-28", "--by", "提案科", today="2018-07-01")
    assert shown("7.1", "2018-07-01") == open_task(
        "2018-07-31", status="claimed", claim={"on": "2018-06-28", "by": "提案科", "note": None}
    )
    step("defer", "7.2", "--to", "9", "--reason", "等待调研数据", "--by", "宣教科",
         today="2018-07-02")  # fmt: skip
    asked = {"due": "2018-09-30", "reason": "等待调研数据", "on": "2018-07-02", "by": "宣教科",
             "late": False}  # fmt: skip
    assert shown("7.2", "2018-07-02") == open_task("2018-07-31", request=asked)
    assert planctl.json("pending", db=db, plan=plan, today="2018-07-03")["pending"] == [
        {"id": "7.1", "title": "对推进城南经济开发区建设进行调研", "kind": "claim",
         "on": "2018-06-28", "by": "提案科", "age_days": 5, "lead": ["提案科"],
         "leader": ["张副主席"], "due": "2018-07-31", "asks": None, "reason": None,
         "late": False},
        {"id": "7.2", "title": "开展城市服务业发展情况的调研", "kind": "request",
         "on": "2018-07-02", "by": "宣教科", "age_days": 1, "lead": ["宣教科"], "leader": [],
         "due": "2018-07-31", "asks": "2018-09-30", "reason": "等待调研数据", "late": False},
    ]  # fmt: skip
    assert planctl.ok("pending", "--format", "csv", db=db, plan=plan, today="2018-07-03") == (
        "编号,任务,事项,申请日期,申请人,已等待天数,牵头单位,责任领导,截止日期,备注\n"
        "7.1,对推进城南经济开发区建设进行调研,办结申请,2018-06-28,提案科,5,提案科,张副主席,"
        "2018-07-31,\n"
        "7.2,开展城市服务业发展情况的调研,延期申请 → 2018-09-30,2018-07-02,宣教科,1,宣教科,,"
        "2018-07-31,等待调研数据\n"
    )
    for other in ("text", "markdown", "html", "xlsx"):
        assert planctl("pending", "--format", other, db=db, plan=plan).code == 0

    step("reject", "7.1", "--reason", "缺调研报告", "--by", "督查室", today="2018-07-03")
    assert shown("7.1", "2018-07-03") == open_task(
        "2018-07-31",
        rejection={"of": "claim", "on": "2018-07-03", "by": "督查室", "reason": "缺调研报告"},
    )
    step("done", "7.1", "--by", "提案科", today="2018-07-04")
    assert shown("7.1", "2018-07-04") == open_task(
        "2018-07-31", status="claimed", claim={"on": "2018-07-04", "by": "提案科", "note": None}
    )
    step("accept", "7.1", "--by", "督查室", today="2018-07-05")
    assert shown("7.1", "2018-07-05") == open_task(
        "2018-07-31", status="done", done_on="2018-07-04", done_by="提案科"
    )
    step("approve", "7.2", "--by", "张副主席", today="2018-07-05")
    assert shown("7.2", "2018-07-05") == open_task(
        "2018-09-30",
        deferral={"to": 9, "due": "2018-09-30", "reason": "等待调研数据", "on": "2018-07-05",
                  "by": "张副主席"},
    )  # fmt: skip
    assert planctl.json("pending", db=db, plan=plan, today="2018-07-05")["pending"] == []
    assert planctl.ok("pending", "--format", "csv", db=db, plan=plan, today="2018-07-05") == (
        "编号,任务,事项,申请日期,申请人,已等待天数,牵头单位,责任领导,截止日期,备注\n"
    )


QUIET_PLAN = """\
id: quiet
year: 2018
title: 计划
checks: {done: true}
tasks:
  - {id: "1", title: 年终总结, month: 12, owners: [办公室], leader: 张副主席}
"""


def test_the_office_digest_opens_with_what_awaits_a_decision_and_mail_counts_it(
    made_sqlite_store: str, tmp_path: Path, planctl: Planctl, smtp_server: Callable[..., Server]
) -> None:
    db, plan = made_sqlite_store, tmp_path / "quiet.yaml"
    plan.write_text(QUIET_PLAN, encoding="utf-8")
    server = smtp_server()
    mail = ("mail", "--to", "office@example.org", "--only-if-action")
    quiet = planctl(*mail, db=db, plan=plan, today="2018-03-01", env=mail_env(server))
    assert (quiet.code, quiet.out, quiet.err, server.recorder.delivered) == (0, "", "", [])
    planctl.ok("done", "1", "--by", "办公室", "--on", "2018-02-26", db=db, plan=plan,
               today="2018-03-01")  # fmt: skip
    digest = planctl.json("digest", db=db, plan=plan, today="2018-03-01")
    assert [(p["id"], p["kind"], p["age_days"]) for p in digest["pending"]] == [("1", "claim", 3)]
    text = planctl.ok("digest", "--format", "text", db=db, plan=plan, today="2018-03-01")
    assert text.index("\n待审核、待批复\n") < text.index("\n逾期任务\n")
    assert "1     年终总结  办结申请  2018-02-26  办公室  3" in text
    # A unit's digest does not carry them.
    unit = planctl.json("digest", "--owner", "办公室", db=db, plan=plan, today="2018-03-01")
    assert "pending" not in unit
    sent = planctl(*mail, db=db, plan=plan, today="2018-03-01", env=mail_env(server))
    assert (sent.code, sent.out, sent.err) == (0, "", "")
    [delivery] = server.recorder.delivered
    body, _ = bodies(parse(delivery.content))
    assert "待审核、待批复\n" in body


# Export and import carry the steps (format 5), on every backend.


def test_the_steps_are_exported_as_format_5_and_imported_whole(
    store_url: str, tmp_path: Path, planctl: Planctl
) -> None:
    from planctl.store.store import Store, StoreLocation
    from planctl.store.transfer import parse_export

    def at(day: int, action: Action, by: str, **columns: Any) -> Event:
        return Event(f"e-{day}", "cppcc-2018", "7.1", action, date(2018, 6, day), by,
                     AT.replace(day=day), **columns)  # fmt: skip

    steps = [
        at(1, Action.CLAIM, "提案科", note="已完成", count=2),
        at(2, Action.REJECT, "督查室", note="缺报告"),
        at(3, Action.CLAIM, "提案科"),
        at(4, Action.ACCEPT, "督查室"),
        at(5, Action.REQUEST, "提案科", note="等待批复", to_month=9, to_date=date(2018, 9, 30)),
        at(6, Action.APPROVE, "分管领导", to_month=8, to_date=date(2018, 8, 31)),
    ]
    store = Store.open_for_writing(StoreLocation.parse(store_url))
    with store.transaction() as tx:
        tx.append(steps)
    store.close()
    exported = planctl.ok("store", "export", db=store_url)
    assert exported.splitlines()[0] == '{"planctl_export": 5, "events": 6, "plan_versions": 0}'
    assert [event for _, event in parse_export(exported.encode(), "F").events] == steps
    source = tmp_path / "steps.jsonl"
    source.write_text(exported, encoding="utf-8")
    copy = str(tmp_path / "copy.sqlite3")
    planctl.ok("store", "import", str(source), db=copy)
    assert planctl.ok("store", "export", db=copy) == exported
    # A plain store's export is still format 3, which an older planctl reads.
    plain = str(tmp_path / "plain.sqlite3")
    store = Store.open_for_writing(StoreLocation.parse(plain))
    with store.transaction() as tx:
        tx.append([at(7, Action.DONE, "提案科")])
    store.close()
    assert planctl.ok("store", "export", db=plain).startswith('{"planctl_export": 3,')


# A return's 是否完成 = 是 and 申请延期至, under `checks`.


def _returned(history: list[Event], filled: ReturnedRow, checks: Checks | None) -> RowOutcome:
    stamp = Stamp("收件人", AT.replace(second=len(history)), iter(["r1", "r2", "r3"]))
    return row_events(
        "p", TASK, filled, history, PlanPeriod.of_year(2018), cycle="2018-06", unit="提案科",
        received=JUNE_28, stamp=stamp, checks=checks,
    )  # fmt: skip


def test_a_returns_done_is_a_claim_and_its_deferral_a_request_under_checks() -> None:
    filled = ReturnedRow("7.1", done=True, done_on=date(2018, 6, 26))
    assert [e.action for e in _returned([], filled, None).events] == [Action.DONE]
    outcome = _returned([], filled, Checks(done=True))
    assert [(e.action, e.work_date) for e in outcome.events] == [(Action.CLAIM, date(2018, 6, 26))]
    # Collected again: the claim awaits its check; nothing more.
    again = _returned(outcome.events, filled, Checks(done=True))
    assert (again.events, again.look) == ([], [])
    asking = ReturnedRow("7.1", defer_to=date(2018, 9, 30), defer_reason="等待规划批复")
    noted = _returned([], asking, None)
    assert [(e.action, e.note) for e in noted.events] == [
        (Action.NOTE, "申请延期至 2018-09-30: 等待规划批复")
    ]
    asked = _returned([], asking, ASKING)
    assert [(e.action, e.to_date, e.note) for e in asked.events] == [
        (Action.REQUEST, date(2018, 9, 30), "等待规划批复")
    ]
    assert asked.look == [
        Look("7.1", "request", {"due": date(2018, 9, 30), "reason": "等待规划批复"})
    ]
    assert worded_look(asked.look[0]) == (
        "7.1: requests a due day of 2018-09-30 (等待规划批复); approve or reject it"
    )
    assert _returned(asked.events, asking, ASKING).events == []


def test_a_returns_request_it_cannot_make_is_left_to_the_clerk() -> None:
    """Asked after the due day (30 June; received 28 June, so a task due on 20 June), or not
    later than it: nothing recorded, a line for the clerk."""
    early = Task(id="7.1", title="调研", due=date(2018, 6, 20))
    stamp = Stamp("收件人", AT, iter(["r1"]))
    asking = ReturnedRow("7.1", defer_to=date(2018, 9, 30), defer_reason="等待规划批复")
    outcome = row_events(
        "p", early, asking, [], PlanPeriod.of_year(2018), cycle="2018-06", unit="提案科",
        received=JUNE_28, stamp=stamp, checks=ASKING,
    )  # fmt: skip
    assert outcome.events == []
    assert outcome.look == [
        Look("7.1", "defer late", {"asked": date(2018, 9, 30), "due": date(2018, 6, 20)})
    ]
    assert worded_look(outcome.look[0]) == (
        "7.1: asks to defer to 2018-09-30 after its due day (2018-06-20); not recorded"
        " (record it with defer --late)"
    )


def test_a_collected_return_claims_and_requests_under_checks(
    tmp_path: Path, planctl: Planctl, made_sqlite_store: str
) -> None:
    from tests.test_returns_collect import PLAN as RETURNS_PLAN
    from tests.test_returns_collect import TIAN, _fill, _history

    db, plan = made_sqlite_store, tmp_path / "returns-2018.yaml"
    text = RETURNS_PLAN.read_text(encoding="utf-8")
    plan.write_text(text.replace("\nyear: 2018\n", "\nyear: 2018\nchecks: {done: true, defer: true}\n", 1),
                    encoding="utf-8")  # fmt: skip
    out = tmp_path / "out"
    planctl.ok("returns", "make", "-o", str(out), db=db, plan=plan, today="2018-06-20")
    # Task 2 (due 30 April) asks late: left to the clerk; task 3 (due 30 June) asks in time.
    cells = {**TIAN, "N6": "2018-08-31", "O6": "协商推迟"}
    filled = _fill(out / "2018-06 提案科.xlsx", tmp_path / "提案科.xlsx", cells)
    first = planctl("returns", "collect", str(filled), db=db, plan=plan, today="2018-06-24")
    assert (first.code, first.err) == (0, "")
    assert first.out == (
        f"{filled}: 提案科 2018-06,2018-06-24 收到:读取 5 行,记录 6 条,1 行无新内容,3 行需核对\n"
        "  请核对:2:在截止日(2018-04-30)之后申请延期至 2018-09-30;未记录(请用 defer --late 记录)\n"
        "  请核对:3:申请将截止日改为 2018-08-31(协商推迟);请批准或驳回\n"
        "  请核对:第 10 行不在计划中,未记录:额外工作\n"
    )
    assert [row for row in _history(planctl, db) if row[1] in ("claim", "request")] == [
        ("1", "claim", "2018-06-20", "提案科", None, None, None),
        ("3", "request", "2018-06-24", "提案科", "协商推迟", None, None),
    ]
    pending = planctl.json("pending", db=db, plan=plan, today="2018-06-24")["pending"]
    assert [(p["id"], p["kind"], p["asks"]) for p in pending] == [
        ("1", "claim", None), ("3", "request", "2018-08-31")
    ]  # fmt: skip


def test_checks_survive_the_plan_cache_codec() -> None:
    from planctl.plan.codec import dumps, loads

    plan = _plan(Checks(done=True, defer=True))
    again = loads(dumps(plan))
    assert again.checks == Checks(done=True, defer=True)
    assert again == plan


# Chasing (催办): a recorded step on each task, with how and a note.


def test_a_chase_is_recorded_on_each_task_with_how_and_a_note() -> None:
    other = Task(id="7.2", title="视察", month=6)
    plan = Plan(id="p", year=2018, title="计划", tasks=[TASK, other],
                sections=[Section(number=1, title="节", points=[WorkPoint(number=1, title="点")])])  # fmt: skip
    situation = Situation(plan, JULY_3, JULY_3, Stamp("督查室", AT, iter(["c1", "c2"])), {})
    change = Chase([TASK, other], "phone", "请于7月10日前报送").change(situation)
    assert [(e.task_id, e.action, e.how, e.note, e.recorded_by) for e in change.events] == [
        ("7.1", Action.CHASE, "phone", "请于7月10日前报送", "督查室"),
        ("7.2", Action.CHASE, "phone", "请于7月10日前报送", "督查室"),
    ]
    state = fold(change.events[:1])
    assert [(c.on, c.by, c.how, c.note) for c in state.chases] == [
        (JULY_3, "督查室", "phone", "请于7月10日前报送")
    ]
    assert state.note is None  # a chase's note is the chase's, not the task's
    with pytest.raises(
        BadRequest, match=r"^how must be phone, mail, letter or meeting, not 'fax'$"
    ):
        Chase([TASK], "fax")
    undone = _record(change.events[:1], Undo(TASK), by="督查室", on=JULY_3)
    assert fold(undone).chases == ()


def test_chase_through_the_commands_in_show_history_and_export(
    made_sqlite_store: str, planctl: Planctl
) -> None:
    db = made_sqlite_store
    out = planctl.ok("chase", "7.1", "7.2", "--how", "phone", "--note", "请于8月10日前报送",
                     "--by", "督查室", db=db, today="2018-08-03")  # fmt: skip
    assert out == (
        "已催办:7.1 对推进城南经济开发区建设进行调研(2018-08-03,督查室,电话):已催办 1 次\n"
        "已催办:7.2 开展城市服务业发展情况的调研(2018-08-03,督查室,电话):已催办 1 次\n"
    )
    out = planctl.ok("chase", "7.1", "--how", "letter", "--by", "督查室", db=db,
                     today="2018-08-06")  # fmt: skip
    assert (
        out == "已催办:7.1 对推进城南经济开发区建设进行调研(2018-08-06,督查室,督办单):已催办 2 次\n"
    )
    task = planctl.json("show", "7.1", db=db, today="2018-08-06")["task"]
    assert task["chases"] == [
        {"on": "2018-08-03", "by": "督查室", "how": "phone", "note": "请于8月10日前报送"},
        {"on": "2018-08-06", "by": "督查室", "how": "letter", "note": None},
    ]
    assert task["note"] is None
    history = planctl.ok("history", "7.1", "--format", "csv", db=db, today="2018-08-06")
    assert [line.split(",")[3:] for line in history.splitlines()[1:]] == [
        ["催办", "2018-08-06", "督查室", "督办单"],
        ["催办", "2018-08-03", "督查室", "电话 · 请于8月10日前报送"],
    ]
    events = planctl.json("history", "7.1", db=db, today="2018-08-06")["events"]
    assert [event.get("how") for event in events] == ["letter", "phone"]
    before = snapshot(db)
    result = planctl("chase", "7.1", "--how", "fax", db=db, today="2018-08-06")
    assert (result.code, result.out, result.err) == (
        1, "", "planctl: --how 必须是 phone、mail、letter 或 meeting 之一,不能是 'fax'\n"
    )  # fmt: skip
    assert snapshot(db) == before
    exported = planctl.ok("store", "export", db=db)
    assert exported.splitlines()[0] == '{"planctl_export": 5, "events": 3, "plan_versions": 1}'
    assert '"action": "chase"' in exported and '"how": "letter"' in exported
    copy = db + ".copy"
    source = Path(db + ".jsonl")
    source.write_text(exported, encoding="utf-8")
    planctl.ok("store", "import", str(source), db=copy)
    assert planctl.ok("store", "export", db=copy) == exported


def test_assess_deducts_per_chase_of_a_units_tasks(
    made_sqlite_store: str, tmp_path: Path, planctl: Planctl
) -> None:
    db = made_sqlite_store
    config = tmp_path / "config.toml"
    config.write_text("[assess]\nchased = 0.5\n", encoding="utf-8")
    env = {"PLANCTL_CONFIG": str(config)}

    def deductions() -> dict[str, Any]:
        units = planctl.json("assess", db=db, today="2018-08-06", env=env)["units"]
        return {
            u["unit"]: (u["deduction"], u["score"])
            for u in units
            if u["unit"] in ("提案科", "宣教科")
        }

    planctl.ok("note", "1.1", "开始", db=db, today="2018-08-06")  # a store with events
    before = deductions()
    assert [d for d, _ in before.values()] == [0, 0]
    planctl.ok("chase", "7.1", "--how", "phone", db=db, today="2018-08-03")
    planctl.ok("chase", "7.1", "--how", "letter", db=db, today="2018-08-06")
    after = deductions()
    assert after["提案科"][0] == 1.0 and after["宣教科"][0] == 0
    if before["提案科"][1] is not None:
        assert after["提案科"][1] == max(before["提案科"][1] - 1.0, 0)


def test_the_reports_overdue_table_and_the_digest_say_how_often_a_task_was_chased(
    made_sqlite_store: str, planctl: Planctl
) -> None:
    db = made_sqlite_store
    planctl.ok("chase", "7.1", "--how", "phone", db=db, today="2018-08-03")
    planctl.ok("chase", "7.1", "--how", "meeting", db=db, today="2018-08-06")

    def line(text: str) -> str:
        return next(line for line in text.splitlines() if line.startswith("| 7.1 "))

    report = planctl.ok("report", "--format", "markdown", db=db,
                        today="2018-08-06")  # fmt: skip
    assert line(report).endswith(" | 逾期; 已催办 2 次 |")
    digest = planctl.ok("digest", "--format", "markdown", db=db,
                        today="2018-08-06")  # fmt: skip
    assert " | 逾期; 已催办 2 次 | " in line(digest)


def test_the_digest_lists_a_claim_accepted_in_its_window_as_done_lately(
    made_sqlite_store: str, checked_plan: Path, planctl: Planctl
) -> None:
    """Claimed on 28 June, accepted on 3 July: the week up to 4 July lists it (done on 28
    June, by the claimant), though 28 June is outside the week; the week up to 2 July (still
    awaiting a check) and the week up to 20 July (accepted before it) do not."""
    db, plan = made_sqlite_store, checked_plan
    planctl.ok("done", "7.1", "--note", "调研报告已报送", "--by", "提案科", db=db, plan=plan,
               today="2018-06-28")  # fmt: skip
    planctl.ok("done", "6.1", "--by", "提案科", db=db, plan=plan, today="2018-06-29")

    def done(today: str) -> list[dict[str, Any]]:
        return list(planctl.json("digest", db=db, plan=plan, today=today)["done"])

    assert done("2018-07-02") == []
    planctl.ok("accept", "7.1", "--by", "督查室", db=db, plan=plan, today="2018-07-03")
    assert done("2018-07-04") == [
        {"id": "7.1", "title": "对推进城南经济开发区建设进行调研", "on": "2018-06-28",
         "by": "提案科", "note": "调研报告已报送", "count": None, "count_after": None,
         "target": None},
    ]  # fmt: skip
    assert done("2018-07-20") == []
    planctl.ok("undo", "7.1", "--by", "督查室", db=db, plan=plan, today="2018-07-04")
    assert done("2018-07-04") == []  # the accept undone: awaiting a check again


def test_accepted_claims_pairs_each_accept_with_the_claim_it_decided() -> None:
    """Claimed, rejected, claimed again, accepted: the second claim; an undone accept pairs
    nothing, and the claim it decided is accepted by the next accept."""
    from planctl.core.report import accepted_claims

    history = _record([], Done([TASK], note="一"), by="科室", on=JUNE_28)
    history = _record(history, Reject(TASK, "材料不全"), by="督查室", on=JUNE_28)
    history = _record(history, Done([TASK], note="二"), by="科室", on=JUNE_28)
    history = _record(history, Accept(TASK), by="督查室", on=JULY_3)
    undone = {event.undoes for event in history if event.action is Action.UNDO}
    assert [(c.note, a.work_date) for c, a in accepted_claims(history, undone)] == [("二", JULY_3)]
    history = _record(history, Undo(TASK), by="督查室", on=JULY_3)
    undone = {event.undoes for event in history if event.action is Action.UNDO}
    assert accepted_claims(history, undone) == []
    history = _record(history, Accept(TASK), by="督查室", on=date(2018, 7, 5))
    undone = {event.undoes for event in history if event.action is Action.UNDO}
    assert [(c.note, a.work_date) for c, a in accepted_claims(history, undone)] == [
        ("二", date(2018, 7, 5))
    ]


def test_a_task_without_an_accept_is_not_searched_for_accepted_claims(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the digest keeps of a task's events: its `done`s of the days (one undone left
    out); the accepted claims are looked for only in a task with an accept (issue 32: the
    search walked every task's events, 1,000 tasks with none)."""
    import planctl.core.report
    from planctl.core.report import digest_events

    def event(number: int, action: Action, on: date, **extra: Any) -> Event:
        at = datetime(2018, 7, 3, 9, number, tzinfo=UTC)
        return Event(f"e{number}", "p", "7.1", action, on, "科室", at, **extra)

    history = [
        event(0, Action.DONE, JUNE_28, note="一"),
        event(1, Action.DONE, JULY_3, note="二"),
        event(2, Action.UNDO, JULY_3, undoes="e1"),
        event(3, Action.DONE, JULY_3, note="三"),
    ]
    numbered = list(enumerate(history))
    searched: list[int] = []
    real = planctl.core.report.accepted_claims

    def counted(events: Any, undone: Any) -> Any:
        searched.append(len(events))
        return real(events, undone)

    monkeypatch.setattr(planctl.core.report, "accepted_claims", counted)
    kept = digest_events(numbered, JUNE_28, JULY_3, counted=False)
    assert [(number, event.note) for number, event in kept] == [(0, "一"), (3, "三")]
    assert searched == []
    history.append(event(4, Action.ACCEPT, JULY_3))
    digest_events(list(enumerate(history)), JUNE_28, JULY_3, counted=False)
    assert searched == [5]


# The review steps' refusals and confirmations, in the plan's language.

ZH_STEPS = {
    "claimed": "已申请办结:7.1 对推进城南经济开发区建设进行调研(2018-06-28,提案科);待审核(销号或退回)\n",
    "claim pending": "planctl: 7.1 对推进城南经济开发区建设进行调研 待审核(2018-06-28 由 提案科 申请办结);请先销号或退回该申请\n",
    "own claim": "planctl: 7.1 由 提案科 申请办结;须由他人销号\n",
    "before claim": "planctl: 7.1 于 2018-06-28 申请办结;不能在此之前(2018-06-27)销号\n",
    "no request to approve": "planctl: 7.1 对推进城南经济开发区建设进行调研 没有待批复的延期申请\n",
    "claim sent back": "已退回:7.1 对推进城南经济开发区建设进行调研:办结申请退回(缺调研报告)\n",
    "no claim to accept": "planctl: 7.1 对推进城南经济开发区建设进行调研 没有待销号的办结申请\n",
    "no reason": "planctl: 退回需要说明理由(--reason)\n",
    "nothing to reject": "planctl: 7.1 对推进城南经济开发区建设进行调研 没有可退回的办结申请或延期申请\n",
    "requested": "已申请延期:7.1 对推进城南经济开发区建设进行调研 至 2018-09-30(等待规划批复);待批复(批复或退回)\n",
    "request pending": "planctl: 7.1 对推进城南经济开发区建设进行调研 有待批复的延期申请(延期至 2018-09-30,2018-07-02 由 提案科 提出);请先批复或退回\n",
    "request refused": "已退回:7.1 对推进城南经济开发区建设进行调研:延期申请未获批准(不予延期)\n",
    "approved": "已批复:7.1 对推进城南经济开发区建设进行调研:完成时限改为 2018-08-31\n",
    "accepted": "已销号:7.1 对推进城南经济开发区建设进行调研:2018-07-04 完成(提案科);2018-07-05 由 督查室 审核\n",
}
EN_STEPS = {
    "claimed": "claimed: A5 Set up a Community Speedwatch group with the police (2019-06-28, Cllr Patel); awaiting a check (accept or reject)\n",
    "claim pending": "planctl: A5 Set up a Community Speedwatch group with the police is awaiting a check (claimed on 2019-06-28 by Cllr Patel); accept or reject that claim first\n",
    "own claim": "planctl: A5 was claimed by Cllr Patel; someone else accepts it\n",
    "before claim": "planctl: A5 was claimed on 2019-06-28; it cannot be accepted before, on 2019-06-27\n",
    "no request to approve": "planctl: A5 Set up a Community Speedwatch group with the police has no request to approve\n",
    "claim sent back": "rejected: A5 Set up a Community Speedwatch group with the police: the claim is sent back (no report yet)\n",
    "no claim to accept": "planctl: A5 Set up a Community Speedwatch group with the police has no claim to accept\n",
    "no reason": "planctl: a rejection needs a reason (--reason)\n",
    "nothing to reject": "planctl: A5 Set up a Community Speedwatch group with the police has no claim or request to reject\n",
    "requested": "requested: A5 Set up a Community Speedwatch group with the police to 2019-12-31 (waiting for the police); awaiting a decision (approve or reject)\n",
    "request pending": "planctl: A5 Set up a Community Speedwatch group with the police has a request awaiting a decision (to 2019-12-31, asked on 2019-07-02 by Cllr Patel); approve or reject it first\n",
    "request refused": "rejected: A5 Set up a Community Speedwatch group with the police: the request is refused (not now)\n",
    "approved": "approved: A5 Set up a Community Speedwatch group with the police: due on 2019-11-30\n",
    "accepted": "accepted: A5 Set up a Community Speedwatch group with the police: done on 2019-07-04 (Cllr Patel); checked on 2019-07-05 by Clerk\n",
}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_review_steps_speak_the_plans_language(
    language: str, made_sqlite_store: str, tmp_path: Path, planctl: Planctl
) -> None:
    """Each refusal of a review step (exit 1, nothing recorded) and each confirmation, whole:
    Chinese on the zh 2018 plan, English on the English parish plan."""
    db, plan = made_sqlite_store, tmp_path / "plan.yaml"
    if language == "zh":
        source, marker, task, unit, office = PLAN_2018, "language: zh\n", "7.1", "提案科", "督查室"
        year, asked, later, reasons, expected = (
            "2018",
            "9",
            "8",
            ("缺调研报告", "等待规划批复", "不予延期"),
            ZH_STEPS,
        )
    else:
        source = Path(__file__).parent / "data" / "good" / "parish-council-2019.yaml"
        marker, task, unit, office = "language: en\n", "A5", "Cllr Patel", "Clerk"
        year, asked, later, reasons, expected = (
            "2019",
            "2019-12",
            "2019-11",
            ("no report yet", "waiting for the police", "not now"),
            EN_STEPS,
        )
    text = source.read_text(encoding="utf-8")
    plan.write_text(text.replace(marker, marker + "checks: {done: true, defer: true}\n", 1),
                    encoding="utf-8")  # fmt: skip

    def ok(*args: str, today: str) -> str:
        return planctl.ok(*args, db=db, plan=plan, today=f"{year}-{today}")

    def refused(*args: str, today: str) -> str:
        before = snapshot(db)
        result = planctl(*args, db=db, plan=plan, today=f"{year}-{today}")
        assert (result.code, result.out) == (1, ""), result.err
        assert snapshot(db) == before
        return result.err

    said = {}
    said["claimed"] = ok("done", task, "--on", f"{year}-06-28", "--by", unit, today="07-01")
    said["claim pending"] = refused("done", task, "--by", unit, today="07-01")
    said["own claim"] = refused("accept", task, "--by", unit, today="07-01")
    said["before claim"] = refused("accept", task, "--on", f"{year}-06-27", "--by", office,
                                   today="07-01")  # fmt: skip
    said["no request to approve"] = refused("approve", task, "--by", office, today="07-01")
    said["claim sent back"] = ok("reject", task, "--reason", reasons[0], "--by", office,
                                 today="07-01")  # fmt: skip
    said["no claim to accept"] = refused("accept", task, "--by", office, today="07-01")
    said["no reason"] = refused("reject", task, "--reason", " ", "--by", office, today="07-01")
    said["nothing to reject"] = refused("reject", task, "--reason", "x", "--by", office,
                                        today="07-01")  # fmt: skip
    said["requested"] = ok("defer", task, "--to", asked, "--reason", reasons[1], "--by", unit,
                           today="07-02")  # fmt: skip
    said["request pending"] = refused("defer", task, "--to", asked, "--reason", "x", "--by",
                                      unit, today="07-02")  # fmt: skip
    said["request refused"] = ok("reject", task, "--reason", reasons[2], "--by", office,
                                 today="07-03")  # fmt: skip
    ok("defer", task, "--to", asked, "--reason", reasons[1], "--by", unit, today="07-03")
    said["approved"] = ok("approve", task, "--to", later, "--by", office, today="07-03")
    ok("done", task, "--by", unit, today="07-04")
    said["accepted"] = ok("accept", task, "--by", office, today="07-05")
    assert said == expected
