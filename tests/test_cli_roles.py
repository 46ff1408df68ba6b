"""Roles through the CLI on tests/data/good/roles-2023.yaml: list, due, report and digest in
every format, the --owner/--role/--leader filters, and mail --per-owner to units and leaders."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, RecordedStores, Result, empty_store, run
from tests.smtp import Server, bodies, parse
from tests.test_cli_reports import mail_env

PLAN = str(REPO / "tests/data/good/roles-2023.yaml")
TODAY = "2023-06-15"
FORMATS = ["table", "json", "csv", "markdown", "html"]


def record_history(path: Path) -> None:
    store = empty_store(str(path))
    assert cli(store, "done", "1", "--on", "2023-02-20", "--by", "王明").code == 0


@pytest.fixture
def db(tmp_path: Path, recorded_stores: RecordedStores) -> str:
    return recorded_stores.copy(record_history, tmp_path / "s.sqlite3")


def cli(db: str, *args: str, env: dict[str, str] | None = None) -> Result:
    return run(*args, "--plan", PLAN, "--db", db, "--today", TODAY, env=env)


def as_json(db: str, *args: str) -> Any:
    result = cli(db, *args, "--format", "json")
    assert (result.code, result.err) == (0, ""), result.err
    return json.loads(result.out)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", ["list", "due", "report", "digest"])
def test_every_read_command_in_every_format(db: str, command: str, fmt: str) -> None:
    # csv writes one table: the report's units, the digest's overdue tasks show the units
    table = {"report": ["--table", "owners"], "digest": ["--table", "overdue"]}
    result = cli(db, command, "--format", fmt, *(table.get(command, []) if fmt == "csv" else []))
    assert (result.code, result.err) == (0, ""), result.err
    if fmt != "json":
        assert "市发改委" in result.out


def test_list_shows_roles_compactly_and_the_plans_leader_label(db: str) -> None:
    out = cli(db, "list", "--format", "markdown").out
    assert "| 编号 | 月份 | 任务 | 责任单位 | 牵头市领导 | 要点 | 类别 | 状态 | 灯号 |" in out
    assert "| 市发改委 / 配合: 市财政局、市自然资源局 | 王明 | 1 |" in out
    english = cli(db, "list", "--format", "markdown", "--lang", "en").out
    assert "市发改委 / support: 市财政局, 市自然资源局" in english
    # csv: plain values, the lead and supporting units in columns of their own
    header, first = cli(db, "list", "--format", "csv").out.splitlines()[:2]
    assert header == (
        "编号,月份,开始日期,截止日期,任务,牵头单位,配合单位,牵头市领导,要点,类别,状态,灯号,完成日期,记录人,备注"
    )
    assert first == (
        "1,2023-02-28,2023-01-01,2023-02-28,制定 2023 年重点项目投资计划并分解下达,"
        "市发改委,市财政局、市自然资源局,王明,1,,已完成,完成,2023-02-20,王明,"
    )
    english_csv = cli(db, "list", "--format", "csv", "--lang", "en").out.splitlines()
    assert english_csv[0] == (
        "ID,Month,Start,Due,Title,Lead,Support,Responsible,Points,Kind,Status,Light,Done on,By,Note"
    )
    assert ',市发改委,"市财政局, 市自然资源局",王明,' in english_csv[1]


def test_task_objects_have_lead_support_and_leader(db: str) -> None:
    tasks = {t["id"]: t for t in as_json(db, "list")["tasks"]}
    assert (tasks["5"]["lead"], tasks["5"]["support"], tasks["5"]["leader"]) == (
        ["市政务服务局"],
        ["市大数据局"],
        ["张强", "李华"],
    )
    assert tasks["6"]["owners"] == tasks["6"]["lead"] == ["市发改委"]


def test_owner_role_and_leader_filters(db: str) -> None:
    def ids(*args: str) -> list[str]:
        return [t["id"] for t in as_json(db, "list", *args)["tasks"]]

    assert ids("--owner", "市发改委") == ["1", "6", "2", "7", "8"]
    assert ids("--owner", "市发改委", "--role", "lead") == ["1", "6", "2"]
    assert ids("--owner", "市发改委", "--role", "support") == ["7", "8"]
    assert ids("--leader", "李华") == ["4", "5", "3"]
    assert ids("--leader", "李华", "--owner", "市商务局") == ["4", "3"]
    due = as_json(db, "due", "--month", "6", "--owner", "市财政局", "--role", "support")
    assert [t["id"] for t in due["tasks"]] == ["4", "3", "9"]


def test_unknown_units_and_leaders_list_the_plans(db: str) -> None:
    result = cli(db, "due", "--leader", "钱七")
    assert result.code == 1
    assert result.err == (
        "planctl: roles-2023 中没有责任领导 '钱七'(责任领导:张强, 李华, 王明, 赵丽)\n"
    )
    assert cli(db, "report", "--owner", "市卫健委").err.startswith(
        "planctl: roles-2023 中没有单位 '市卫健委'(单位:"
    )
    assert cli(db, "list", "--role", "lead").err == (
        "planctl: --role 须与 --owner 同用:指明是哪个单位的职责\n"
    )
    assert cli(db, "list", "--owner", "市发改委", "--role", "boss").code == 2


def test_the_report_counts_led_and_supported_tasks_apart(db: str) -> None:
    report = as_json(db, "report")
    assert report["plan"]["document"] == "XX 政发〔2023〕2号"
    assert (report["plan"]["adopted"], report["plan"]["revised"]) == ("2023-02-10", ["2023-07-20"])
    owners = {o["owner"]: o for o in report["owners"]}
    # Task 1 is done: the lead unit's own, and a supported task of 市财政局 and 市自然资源局.
    assert owners["市发改委"] == {
        "owner": "市发改委",
        "total": 3,
        "done": 1,
        "overdue": 1,
        "supported_total": 2,
        "supported_done": 0,
    }
    assert owners["市财政局"] == {
        "owner": "市财政局",
        "total": 0,
        "done": 0,
        "overdue": 0,
        "supported_total": 4,
        "supported_done": 1,
    }
    assert report["summary"]["done"] == 1
    table = cli(db, "report").out
    assert "XX 政发〔2023〕2号 · 2023-02-10 印发 · 2023-07-20 修订 · 评估:每半年评估一次" in table
    assert "配合任务数" in table and "牵头市领导" in table


def test_overdue_and_due_soon_lists_name_lead_units_and_leaders(db: str) -> None:
    report = cli(db, "report", "--format", "csv", "--table", "overdue").out
    assert ",2023-05-31,出台优化营商环境三年行动方案,市发改委,,张强,3,,逾期,红,,," in report
    digest = cli(db, "digest", "--format", "csv", "--soon", "20", "--table", "due_soon").out
    # Task 2 has no record since its window opened on 1 March: stale, so yellow.
    assert (
        "2,2023-06-30,2023-03-01,2023-06-30,开工建设重点项目 200 个以上,市发改委,市住建局,王明,1,,未完成,黄,,,"
        in digest
    )


def test_a_units_digest_marks_the_tasks_it_supports(db: str) -> None:
    text = cli(
        db,
        "digest",
        "--owner",
        "市发改委",
        "--soon",
        "20",
        "--format",
        "csv",
        "--table",
        "due_soon",
    ).out
    assert ",开工建设重点项目 200 个以上," in text  # its own: no mark
    overdue = cli(db, "digest", "--owner", "市发改委", "--format", "csv", "--table", "overdue").out
    assert ",每月报送重点工作推进情况(配合)," in overdue  # a duty it supports, weeks missed
    data = as_json(db, "digest", "--owner", "市发改委", "--role", "support")
    assert (data["owner"], data["role"], data["leader"]) == ("市发改委", "support", None)


def test_mail_per_owner_sends_units_and_leaders_their_tasks(
    db: str, smtp_server: Callable[..., Server], tmp_path: Path
) -> None:
    server = smtp_server()
    config = tmp_path / "config.toml"
    config.write_text(
        '[recipients]\n"市财政局" = ["cz@example.org"]\n"张强" = ["zq@example.org"]\n',
        encoding="utf-8",
    )
    env = mail_env(server, PLANCTL_CONFIG=str(config))
    result = cli(db, "mail", "--per-owner", "--soon", "200", env=env)
    assert (result.code, result.out, result.err) == (0, "", "")
    delivered = {tuple(d.rcpt_tos): parse(d.content) for d in server.recorder.delivered}
    finance, _ = bodies(delivered[("cz@example.org",)])
    # The mail's text is wrapped at 80 columns: the title continues on the next line.
    # The title wraps in its column: "发放消费券带" / "动社会消费品" / "零售总额增长" / ...
    assert "发放消费券带" in finance and "动社会消费品" in finance
    assert "8% 以上(配合)\n" in finance
    leader, _ = bodies(delivered[("zq@example.org",)])
    assert "出台优化营商环" in leader and "开工建设" not in leader  # wrapped at 80


def test_mail_per_owner_checks_every_recipient_before_sending(
    db: str, smtp_server: Callable[..., Server], tmp_path: Path
) -> None:
    server = smtp_server()
    config = tmp_path / "config.toml"
    config.write_text(
        '[recipients]\n"市财政局" = ["cz@example.org"]\n"钱七" = ["qq@example.org"]\n',
        encoding="utf-8",
    )
    result = cli(db, "mail", "--per-owner", env=mail_env(server, PLANCTL_CONFIG=str(config)))
    assert result.code == 1
    assert result.err == (
        "planctl: [recipients] '钱七' 不是 roles-2023 的单位或领导(单位:市人社局、市住建局、市发改委、市商务局、"
        "市大数据局、市政务服务局、市政府办、市政府督查室、市教育局、市文旅局、市自然资源局、市财政局;"
        "领导:张强、李华、王明、赵丽)\n"
    )
    assert server.recorder.delivered == []
