"""Chasing (催办) with a chase notice (督办单) by mail: `chase --mail` numbers the notice per
plan and year, sends each lead unit its own, copies the responsible leader from a task's
second chase on, and records the chases only once the notices went out; `chase --unit`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from planctl.core.events import Action, Event, Stamp
from planctl.core.review_changes import Chase, next_notice
from planctl.core.usecase import Situation
from planctl.plan.model import Plan, Section, Task, WorkPoint
from planctl.views.notice import reply_day
from tests.conftest import PLAN_2018, Planctl, snapshot
from tests.smtp import Recorder, Server, bodies, parse
from tests.test_cli_reports import mail_env

AT = datetime(2018, 8, 3, tzinfo=UTC)


def _chase(event_id: str, task: str, on: date, number: int | None) -> Event:
    return Event(event_id, "p", task, Action.CHASE, on, "督查室", AT, how="letter", count=number)


def test_the_next_notice_number_follows_the_highest_of_the_year() -> None:
    history = {
        "7.1": [_chase("c1", "7.1", date(2018, 8, 3), 1), _chase("c2", "7.1", date(2018, 8, 6), 2)],
        "7.2": [_chase("c3", "7.2", date(2018, 8, 6), None)],  # a chase without a notice
    }
    assert next_notice(history, 2018) == 3
    assert next_notice(history, 2019) == 1  # another year starts again at 1
    assert next_notice({}, 2018) == 1


def test_a_numbered_chase_gives_each_lead_unit_the_next_number() -> None:
    tasks = [
        Task(id="7.1", title="调研", month=7, owners=["提案科"]),
        Task(id="7.2", title="视察", month=7, owners=["宣教科"]),
        Task(id="7.3", title="协商", month=7, owners=["提案科"]),
    ]
    plan = Plan(id="p", year=2018, title="计划", tasks=tasks,
                sections=[Section(number=1, title="节", points=[WorkPoint(number=1, title="点")])])  # fmt: skip
    issued = {"7.1": [_chase("c0", "7.1", date(2018, 7, 1), 4)]}
    stamp = Stamp("督查室", AT, iter(["c1", "c2", "c3"]))
    situation = Situation(plan, date(2018, 8, 3), date(2018, 8, 3), stamp, issued)
    change = Chase(tasks, "letter", numbered=True).change(situation)
    assert [(e.task_id, e.count) for e in change.events] == [("7.1", 5), ("7.2", 6), ("7.3", 5)]
    assert Chase(tasks, "letter").reads() == ["7.1", "7.2", "7.3"]
    assert Chase(tasks, "letter", numbered=True).reads() is None  # every number issued
    plain = Chase(tasks, "phone").change(
        Situation(plan, date(2018, 8, 3), date(2018, 8, 3), Stamp("x", AT, iter("abc")), {})
    )
    assert [e.count for e in plain.events] == [None, None, None]


def test_the_reply_day_is_five_working_days_later() -> None:
    assert reply_day(date(2018, 8, 3)) == date(2018, 8, 10)  # a Friday: the next Friday
    assert reply_day(date(2018, 8, 6)) == date(2018, 8, 13)  # a Monday: the next Monday
    assert reply_day(date(2018, 8, 4)) == date(2018, 8, 10)  # a Saturday


# Through the command, with a real SMTP server (aiosmtpd).


@pytest.fixture
def chase_plan(tmp_path: Path) -> Path:
    """The 2018 plan with 张副主席 the responsible leader of 7.1 (提案科) and 7.3 (宣教科)."""
    plan = tmp_path / "2018.yaml"
    text = PLAN_2018.read_text(encoding="utf-8")
    text = text.replace("    title: 对推进城南经济开发区建设进行调研\n",
                        "    title: 对推进城南经济开发区建设进行调研\n    leader: 张副主席\n", 1)  # fmt: skip
    plan.write_text(text, encoding="utf-8")
    return plan


def _config(tmp_path: Path, text: str) -> dict[str, str]:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    return {"PLANCTL_CONFIG": str(config)}


RECIPIENTS = (
    '[recipients]\n"提案科" = ["ta@example.org"]\n"宣教科" = ["xj@example.org"]\n'
    '"张副主席" = ["zfz@example.org"]\n'
)

FIRST_NOTICE = """督办〔2018〕1号

提案科:

下列 1 项任务已逾期或进度滞后,请抓紧办理,并于 2018-08-10 前报送办理情况。

  7.1 对推进城南经济开发区建设进行调研
      完成时限 2018-07-31,已逾期 3 天

督办事项:请于8月10日前报送调研报告

XX 区政协常委会
2018-08-03
"""


def test_the_first_chase_goes_to_the_unit_alone_and_the_second_copies_the_leader(
    made_store_url: str,
    chase_plan: Path,
    tmp_path: Path,
    smtp_server: Callable[..., Server],
    planctl: Planctl,
) -> None:
    db, server = made_store_url, smtp_server()
    env = {**mail_env(server), **_config(tmp_path, RECIPIENTS)}
    out = planctl("chase", "7.1", "--how", "letter", "--mail", "--note", "请于8月10日前报送调研报告",
                  "--by", "督查室", db=db, plan=chase_plan, today="2018-08-03", env=env)  # fmt: skip
    assert (out.code, out.err) == (0, "")
    assert out.out == (
        "已催办:7.1 对推进城南经济开发区建设进行调研(2018-08-03,督查室,督办单):已催办 1 次\n"
        "已发送:督办〔2018〕1号 致 ta@example.org\n"
    )
    [first] = server.recorder.delivered
    assert first.rcpt_tos == ["ta@example.org"]
    message = parse(first.content)
    assert message["Subject"] == "督办〔2018〕1号(提案科)"
    assert message["To"] == "ta@example.org" and message["Cc"] is None
    text, html = bodies(message)
    assert text == FIRST_NOTICE
    assert "<h1>督办〔2018〕1号</h1>" in html

    # The second chase of 7.1 copies its leader; 7.2 (宣教科, first chased) its own notice.
    out = planctl("chase", "7.1", "7.2", "--how", "letter", "--mail", "--reply-by", "2018-08-20",
                  "--by", "督查室", db=db, plan=chase_plan, today="2018-08-06", env=env)  # fmt: skip
    assert (out.code, out.err) == (0, "")
    assert out.out == (
        "已催办:7.1 对推进城南经济开发区建设进行调研(2018-08-06,督查室,督办单):已催办 2 次\n"
        "已催办:7.2 开展城市服务业发展情况的调研(2018-08-06,督查室,督办单):已催办 1 次\n"
        "已发送:督办〔2018〕2号 致 ta@example.org;抄送 zfz@example.org\n"
        "已发送:督办〔2018〕3号 致 xj@example.org\n"
    )
    second, third = server.recorder.delivered[1:]
    assert second.rcpt_tos == ["ta@example.org", "zfz@example.org"]
    copied = parse(second.content)
    assert (copied["Subject"], copied["To"], copied["Cc"]) == (
        "督办〔2018〕2号(提案科)", "ta@example.org", "zfz@example.org"
    )  # fmt: skip
    assert bodies(copied)[0] == (
        "督办〔2018〕2号\n\n提案科:\n\n"
        "下列 1 项任务已逾期或进度滞后,请抓紧办理,并于 2018-08-20 前报送办理情况。\n\n"
        "  7.1 对推进城南经济开发区建设进行调研\n      完成时限 2018-07-31,已逾期 6 天\n\n"
        "XX 区政协常委会\n2018-08-06\n"
    )
    assert third.rcpt_tos == ["xj@example.org"]
    assert parse(third.content)["Subject"] == "督办〔2018〕3号(宣教科)"
    exported = planctl.ok("store", "export", db=db)
    numbers = [(line.split('"task_id": ')[1][:5], line.split('"count": ')[1].split(",")[0])
               for line in exported.splitlines() if '"action": "chase"' in line]  # fmt: skip
    assert sorted(numbers) == [('"7.1"', "1"), ('"7.1"', "2"), ('"7.2"', "3")]
    copy = tmp_path / "copy.sqlite3"
    source = tmp_path / "export.jsonl"
    source.write_text(exported, encoding="utf-8")
    planctl.ok("store", "import", str(source), db=copy)
    assert planctl.ok("store", "export", db=copy) == exported


def test_a_refused_send_records_nothing_and_leaves_the_number_unused(
    made_store_url: str,
    chase_plan: Path,
    tmp_path: Path,
    smtp_server: Callable[..., Server],
    planctl: Planctl,
) -> None:
    db = made_store_url
    planctl.ok("note", "1.1", "开始", db=db, plan=chase_plan, today="2018-08-03")
    before = snapshot(db)
    refusing = smtp_server(Recorder(refuse_recipients=frozenset({"ta@example.org"})))
    env = {**mail_env(refusing), **_config(tmp_path, RECIPIENTS)}
    out = planctl("chase", "7.1", "--how", "letter", "--mail", db=db, plan=chase_plan,
                  today="2018-08-03", env=env)  # fmt: skip
    assert (out.code, out.out) == (1, "")
    assert out.err == (
        f"planctl: 邮件:127.0.0.1:{refusing.port} 拒绝了 1 个收件人中的 1 个:ta@example.org"
        "(550 5.1.1 no such user);未发出任何邮件\n"
    )
    assert snapshot(db) == before and refusing.recorder.delivered == []
    server = smtp_server()
    env = {**mail_env(server), **_config(tmp_path, RECIPIENTS)}
    planctl.ok("chase", "7.1", "--how", "letter", "--mail", db=db, plan=chase_plan,
               today="2018-08-03", env=env)  # fmt: skip
    [delivery] = server.recorder.delivered
    assert parse(delivery.content)["Subject"] == "督办〔2018〕1号(提案科)"


def test_a_unit_without_an_address_is_refused_before_anything_is_sent(
    made_sqlite_store: str,
    chase_plan: Path,
    tmp_path: Path,
    smtp_server: Callable[..., Server],
    planctl: Planctl,
) -> None:
    db, server = made_sqlite_store, smtp_server()
    planctl.ok("note", "1.1", "开始", db=db, plan=chase_plan, today="2018-08-03")
    before = snapshot(db)
    env = {**mail_env(server), **_config(tmp_path, '[recipients]\n"提案科" = ["ta@example.org"]\n')}
    out = planctl("chase", "7.1", "7.2", "--how", "letter", "--mail", db=db, plan=chase_plan,
                  today="2018-08-03", env=env)  # fmt: skip
    assert (out.code, out.out, out.err) == (
        1, "",
        'planctl: 宣教科 没有接收督办单的地址:请在配置文件的 [recipients] 下添加 "宣教科" = ["ADDRESS"]\n',
    )  # fmt: skip
    assert snapshot(db) == before and server.recorder.delivered == []


def test_a_leader_without_an_address_is_warned_and_the_notice_still_goes(
    made_sqlite_store: str,
    chase_plan: Path,
    tmp_path: Path,
    smtp_server: Callable[..., Server],
    planctl: Planctl,
) -> None:
    db, server = made_sqlite_store, smtp_server()
    env = {**mail_env(server), **_config(tmp_path, '[recipients]\n"提案科" = ["ta@example.org"]\n')}
    for today in ("2018-08-03", "2018-08-06"):
        out = planctl("chase", "7.1", "--how", "letter", "--mail", db=db, plan=chase_plan,
                      today=today, env=env)  # fmt: skip
    assert out.code == 0
    assert out.err == (
        "警告:责任领导 张副主席 在 [recipients] 下没有地址;督办单只发给 提案科,不抄送\n"
    )
    assert [d.rcpt_tos for d in server.recorder.delivered] == [["ta@example.org"]] * 2


def test_a_dry_run_prints_the_notice_and_records_nothing(
    made_sqlite_store: str,
    chase_plan: Path,
    tmp_path: Path,
    smtp_server: Callable[..., Server],
    planctl: Planctl,
) -> None:
    db, server = made_sqlite_store, smtp_server()
    planctl.ok("note", "1.1", "开始", db=db, plan=chase_plan, today="2018-08-03")
    before = snapshot(db)
    env = {**mail_env(server), **_config(tmp_path, RECIPIENTS)}
    out = planctl.ok("chase", "7.1", "--how", "letter", "--mail", "--dry-run", "--note",
                     "请于8月10日前报送调研报告", db=db, plan=chase_plan, today="2018-08-03",
                     env=env)  # fmt: skip
    head, _, body = out.partition("\n\n")
    assert head.splitlines()[:3] == [
        "Subject: 督办〔2018〕1号(提案科)", "From: planctl@example.org", "To: ta@example.org"
    ]  # fmt: skip
    assert body.startswith(FIRST_NOTICE + "\n[另附相同内容的 html 部分,")
    assert snapshot(db) == before and server.recorder.delivered == []


def test_an_english_plan_gets_an_english_notice(
    made_sqlite_store: str, tmp_path: Path, smtp_server: Callable[..., Server], planctl: Planctl
) -> None:
    db, server = made_sqlite_store, smtp_server()
    plan = Path(__file__).parent / "data" / "good" / "parish-council-2019.yaml"
    env = {
        **mail_env(server),
        **_config(tmp_path, '[recipients]\n"Cllr Patel" = ["cp@example.org"]\n'),
    }
    out = planctl("chase", "A5", "--how", "mail", "--mail", "--note", "Please report at the next meeting",
                  "--by", "Clerk", db=db, plan=plan, today="2019-12-02", env=env)  # fmt: skip
    assert (out.code, out.err) == (0, ""), out.err
    [delivery] = server.recorder.delivered
    message = parse(delivery.content)
    assert message["Subject"] == "Chase notice No. 1 (2019) to Cllr Patel"
    assert bodies(message)[0] == (
        "Chase notice No. 1 (2019)\n\nTo Cllr Patel:\n\n"
        "The task below is overdue or behind. Please act on it and report what was done by"
        " 2019-12-09.\n\n"
        "  A5 Set up a Community Speedwatch group with the police\n"
        "      due 2019-09-30; 63 days overdue\n\n"
        "Asked: Please report at the next meeting\n\n"
        "Ashcombe Parish Council\n2019-12-02\n"
    )
    assert out.out == (
        "chased: A5 Set up a Community Speedwatch group with the police (2019-12-02, Clerk,"
        " mail): chased 1 time\n"
        "sent: Chase notice No. 1 (2019) to cp@example.org\n"
    )


def test_chase_unit_chases_every_task_the_unit_leads_that_is_overdue_or_behind(
    made_sqlite_store: str, planctl: Planctl
) -> None:
    """On 20 October 提案科 leads 3.3 (done), 5.1 and 7.1 (overdue) and 10.2 (due 31 October,
    reported 10% done: behind); 宣教科's tasks are not chased."""
    db = made_sqlite_store
    planctl.ok("done", "3.3", db=db, today="2018-03-20")
    planctl.ok("progress", "10.2", "--note", "已起草提纲", "--percent", "10", db=db,
               today="2018-10-20")  # fmt: skip
    out = planctl.ok("chase", "--unit", "提案科", "--how", "phone", "--by", "督查室", db=db,
                     today="2018-10-20")  # fmt: skip
    assert out == (
        "已催办:5.1 开展养老保险扩面情况的调研(2018-10-20,督查室,电话):已催办 1 次\n"
        "已催办:7.1 对推进城南经济开发区建设进行调研(2018-10-20,督查室,电话):已催办 1 次\n"
        "已催办:10.2 视察区政府系统 2018 年度提案办理情况(2018-10-20,督查室,电话):已催办 1 次\n"
    )


def test_chase_unit_with_nothing_slipping_says_so_and_records_nothing(
    made_sqlite_store: str, planctl: Planctl
) -> None:
    db = made_sqlite_store
    planctl.ok("note", "1.1", "开始", db=db, today="2018-01-03")
    before = snapshot(db)
    out = planctl("chase", "--unit", "提案科", "--how", "phone", db=db, today="2018-01-03")
    assert (out.code, out.out, out.err) == (
        0, "无需催办:截至 2018-01-03,提案科 牵头的任务没有逾期或进度滞后的\n", ""
    )  # fmt: skip
    assert snapshot(db) == before
    both = planctl("chase", "7.1", "--unit", "提案科", "--how", "phone", db=db, today="2018-01-03")
    assert (both.code, both.out, both.err) == (
        1, "", "planctl: 请给出要催办的任务,或 --unit 单位,不能两者都给或都不给\n"
    )  # fmt: skip
    unknown = planctl("chase", "--unit", "财务科", "--how", "phone", db=db, today="2018-01-03")
    assert (unknown.code, unknown.out) == (1, "") and unknown.err.count("\n") == 1
    assert snapshot(db) == before


def test_when_a_later_notice_fails_the_chases_of_those_sent_are_recorded(
    made_sqlite_store: str,
    chase_plan: Path,
    tmp_path: Path,
    smtp_server: Callable[..., Server],
    planctl: Planctl,
) -> None:
    db = made_sqlite_store
    server = smtp_server(Recorder(refuse_recipients=frozenset({"xj@example.org"})))
    env = {**mail_env(server), **_config(tmp_path, RECIPIENTS)}
    out = planctl("chase", "7.1", "7.2", "--how", "letter", "--mail", "--by", "督查室", db=db,
                  plan=chase_plan, today="2018-08-03", env=env)  # fmt: skip
    assert out.code == 1
    assert out.out == (
        "已催办:7.1 对推进城南经济开发区建设进行调研(2018-08-03,督查室,督办单):已催办 1 次\n"
        "已发送:督办〔2018〕1号 致 ta@example.org\n"
    )
    assert out.err == (
        f"planctl: 邮件:127.0.0.1:{server.port} 拒绝了 1 个收件人中的 1 个:xj@example.org"
        "(550 5.1.1 no such user);督办〔2018〕2号 未发出,其催办未记录\n"
    )
    assert [d.rcpt_tos for d in server.recorder.delivered] == [["ta@example.org"]]
    shown = planctl.json("show", "7.2", db=db, plan=chase_plan, today="2018-08-03")["task"]
    assert "chases" not in shown


def test_chase_unit_on_a_store_not_made_yet_makes_it(tmp_path: Path, planctl: Planctl) -> None:
    """A recording command makes the store it names; `--unit` judges the plan alone then."""
    db = tmp_path / "new.sqlite3"
    out = planctl.ok("chase", "--unit", "宣教科", "--how", "meeting", "--by", "督查室", db=db,
                     today="2018-07-02")  # fmt: skip
    assert out.splitlines() == [
        "已催办:4.3 对文体工作发展情况进行调研(2018-07-02,督查室,会议):已催办 1 次",
    ]
    assert db.exists()


def test_the_notice_options_are_refused_without_mail_or_with_a_reply_day_past(
    made_sqlite_store: str,
    chase_plan: Path,
    tmp_path: Path,
    smtp_server: Callable[..., Server],
    planctl: Planctl,
) -> None:
    db, server = made_sqlite_store, smtp_server()
    planctl.ok("note", "1.1", "开始", db=db, plan=chase_plan, today="2018-08-03")
    before = snapshot(db)
    env = {**mail_env(server), **_config(tmp_path, RECIPIENTS)}
    alone = planctl("chase", "7.1", "--how", "letter", "--dry-run", db=db, plan=chase_plan,
                    today="2018-08-03", env=env)  # fmt: skip
    assert (alone.code, alone.out, alone.err) == (
        1, "", "planctl: --reply-by 和 --dry-run 须与 --mail 同用\n"
    )  # fmt: skip
    past = planctl("chase", "7.1", "--how", "letter", "--mail", "--reply-by", "2018-08-02",
                   db=db, plan=chase_plan, today="2018-08-03", env=env)  # fmt: skip
    assert (past.code, past.out, past.err) == (
        1, "", "planctl: --reply-by 2018-08-02 早于督办单的日期 2018-08-03\n"
    )  # fmt: skip
    no_sender = {k: v for k, v in env.items() if k != "PLANCTL_MAIL_FROM"}
    unsent = planctl("chase", "7.1", "--how", "letter", "--mail", db=db, plan=chase_plan,
                     today="2018-08-03", env=no_sender)  # fmt: skip
    assert (unsent.code, unsent.out) == (1, "") and unsent.err.count("\n") == 1
    assert snapshot(db) == before and server.recorder.delivered == []
