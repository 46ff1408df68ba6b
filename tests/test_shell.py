"""The shell around the core: the command registry, the console script's own path, the one
masking of passwords, completion that finds the plan as commands do, and the bug one-liner."""

from __future__ import annotations

import dataclasses
import importlib
import json
import pkgutil
import re
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.core import TyperGroup

import planctl.cli
from planctl.cli import app_for, main, registry, whole_app
from planctl.cli.config import Config
from planctl.cli.registry import COMMANDS, GROUPS
from planctl.core.events import Action, Event
from planctl.store import rows, schema
from planctl.store.store import StoreLocation
from planctl.store.transfer_lines import _EventLine
from tests.conftest import PLAN_2018, REPO, Planctl, empty_store, run


def test_every_registered_command_builds_alone_and_in_the_whole_app() -> None:
    whole = typer.main.get_command(whole_app())
    assert isinstance(whole, TyperGroup)
    assert sorted(whole.commands) == sorted([*COMMANDS, *GROUPS])
    for name in [*COMMANDS, *GROUPS]:
        one = typer.main.get_command(app_for(["planctl", name]))
        assert isinstance(one, TyperGroup)
        assert list(one.commands) == [name]
        assert params(one.commands[name]) == params(whole.commands[name])


def params(command: Any) -> object:
    """A command's parameter names; a group's, and each of its commands'."""
    names = [param.name for param in command.params]
    if isinstance(command, TyperGroup):
        return names, {name: params(sub) for name, sub in command.commands.items()}
    return names


def test_no_command_and_completion_get_the_whole_app(monkeypatch: pytest.MonkeyPatch) -> None:
    for argv in (["planctl"], ["planctl", "--help"], ["planctl", "nonsense"]):
        built = typer.main.get_command(app_for(argv))
        assert isinstance(built, TyperGroup)
        assert sorted(built.commands) == sorted([*COMMANDS, *GROUPS])
    monkeypatch.setenv("_PLANCTL_COMPLETE", "complete_bash")
    built = typer.main.get_command(app_for(["planctl", "store"]))
    assert isinstance(built, TyperGroup)
    assert sorted(built.commands) == sorted([*COMMANDS, *GROUPS])


def test_the_console_script_path_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = empty_store(str(tmp_path / "s.sqlite3"))
    argv = [
        "planctl",
        "list",
        "--month",
        "5",
        "--owner",
        "提案科",
        "--today",
        "2018-05-02",
        "-f",
        "csv",
    ]
    argv += ["--db", db]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out == (
        "编号,月份,开始日期,截止日期,任务,责任单位,要点,类别,状态,灯号,完成日期,记录人,备注\n"
        "5.1,5,2018-05-01,2018-05-31,开展养老保险扩面情况的调研,提案科,6,调研,未完成,绿,,,\n"
    )


def test_an_unexpected_error_is_one_line_without_the_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from planctl.core import schedule

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.delenv("PLANCTL_TRACEBACK")
    monkeypatch.setattr(schedule, "due_rows", broken)
    result = run("due", "--today", "2018-06-15", "--db", empty_store(str(tmp_path / "s")))
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "planctl: 意外错误:RuntimeError: boom(这是 planctl 的缺陷;设置 PLANCTL_TRACEBACK=1"
        " 重新运行可看到回溯信息)\n"
    )
    english = run(
        "due", "--lang", "en", "--today", "2018-06-15", "--db", empty_store(str(tmp_path / "e"))
    )
    assert english.err == (
        "planctl: unexpected error: RuntimeError: boom"
        " (a bug; run with PLANCTL_TRACEBACK=1 for the traceback)\n"
    )


# One masking of passwords.

URL = "postgresql+psycopg://planctl:s3cret@db.example/plans"
MASKED = "postgresql+psycopg://planctl:********@db.example/plans"


def test_config_show_and_the_store_mask_a_password_alike() -> None:
    assert Config(store=URL).masked()["store"] == MASKED
    assert StoreLocation.parse(URL).display() == MASKED


def test_store_info_masks_as_config_show_does(tmp_path: Path) -> None:
    closed = "postgresql+psycopg://planctl:s3cret@127.0.0.1:1/plans"
    result = run("store", "info", "--db", closed)
    assert result.code == 1
    assert "s3cret" not in result.err
    assert result.err.startswith(
        "planctl: store postgresql+psycopg://planctl:********@127.0.0.1:1/plans: "
    )


# Completion.


def complete(words: str) -> list[tuple[str, str]]:
    """What zsh is offered for `planctl WORDS`: (candidate, its help) pairs."""
    result = run(env={"_PLANCTL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": words})
    assert result.code == 0, result.err
    return re.findall(r'"([^"]*)":"([^"]*)"', result.out)


def test_completion_offers_ids_with_titles() -> None:
    offered = complete("planctl done 5.")
    assert offered == [("5.1", "开展养老保险扩面情况的调研")]


def test_completion_keeps_the_case_typed() -> None:
    offered = complete("planctl done y.")
    assert [candidate for candidate, _ in offered] == [f"y.{n}" for n in range(1, 10)]
    assert offered[7] == ("y.8", "每周更新政协网站动态")


def test_completion_finds_the_plan_of_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "office" / "plan.yaml"
    plan.parent.mkdir()
    plan.write_bytes(PLAN_2018.read_bytes())
    config = tmp_path / "config.toml"
    config.write_text(f'plan = "{plan}"\n', encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no plans/ here: only the config file names the plan
    monkeypatch.setenv("PLANCTL_CONFIG", str(config))
    assert complete("planctl done 5.") == [("5.1", "开展养老保险扩面情况的调研")]


# One mapping of events.


def test_every_event_field_is_a_column_and_an_export_key() -> None:
    fields = [field.name for field in dataclasses.fields(Event)]
    assert list(rows.EVENT_FIELDS) == fields
    assert [column.name for column in schema.events.columns] == ["seq", *fields]
    assert list(_EventLine.model_fields) == ["type", *fields]


def test_an_event_through_a_row_and_a_record_comes_back_the_same() -> None:
    event = Event(
        "e-1", "p", "6.2", Action.DEFER, date(2018, 6, 15), "李明",
        datetime(2018, 6, 15, 1, 2, 3, tzinfo=UTC), note="等待批复", to_month=9,
        to_date=date(2018, 9, 30),
    )  # fmt: skip
    row = rows.event_row(event)
    assert row["action"] == "defer"
    text_row = [str(value) if isinstance(value, date) else value for value in row.values()]
    assert rows.events_from_rows([text_row], dates_as_text=True) == [event]
    # as SQLite keeps a time (no zone), and as a hand-written store may (a zone): UTC both
    for at in ("2018-06-15 01:02:03.000000", "2018-06-15T01:02:03", "2018-06-15 01:02:03+00:00"):
        text_row[6] = at
        assert rows.events_from_rows([text_row], dates_as_text=True) == [event]
    assert rows.events_from_rows([list(row.values())], dates_as_text=False) == [event]
    record = rows.event_record(event)
    assert record == {
        "type": "event", "event_id": "e-1", "plan_id": "p", "task_id": "6.2",
        "action": "defer", "work_date": "2018-06-15", "recorded_by": "李明",
        "recorded_at": "2018-06-15T01:02:03+00:00", "note": "等待批复", "undoes": None,
        "count": None, "to_month": 9, "to_date": "2018-09-30", "percent": None, "value": None,
    }  # fmt: skip
    assert _EventLine.model_validate_json(json.dumps(record)).event() == event


def test_a_progress_report_through_a_row_and_a_record_comes_back_the_same() -> None:
    event = Event(
        "e-2", "p", "V.1", Action.PROGRESS, date(2018, 6, 15), "李明",
        datetime(2018, 6, 15, 1, 2, 3, tzinfo=UTC), note="一季度数据", percent=40, value=7.6,
    )  # fmt: skip
    row = rows.event_row(event)
    assert (row["action"], row["percent"], row["value"]) == ("progress", 40, 7.6)
    text_row = [str(value) if isinstance(value, date) else value for value in row.values()]
    assert rows.events_from_rows([text_row], dates_as_text=True) == [event]
    assert rows.events_from_rows([list(row.values())], dates_as_text=False) == [event]
    record = rows.event_record(event)
    assert (record["action"], record["percent"], record["value"]) == ("progress", 40, 7.6)
    assert _EventLine.model_validate_json(json.dumps(record)).event() == event
    for damaged, problem in (
        ({"percent": 101}, "percent 101 is not between 0 and 100"),
        ({"percent": 4.5}, "percent 4.5 is not a whole number"),
        ({"value": float("nan")}, "value nan is not a finite number"),
        ({"value": "7.6"}, "value '7.6' is not a finite number"),
    ):
        bad = list({**row, **damaged}.values())
        assert rows.row_problem(bad, dates_as_text=False) == problem


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_the_version(
    flag: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from importlib.metadata import version

    from planctl import DISTRIBUTION

    assert run(flag).out == f"planctl {version(DISTRIBUTION)}\n"
    monkeypatch.setattr(sys, "argv", ["planctl", flag])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"planctl {version(DISTRIBUTION)}\n"


def test_the_plan_found_is_chosen_by_its_year_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    text = PLAN_2018.read_text(encoding="utf-8")
    (plans / "2018.yaml").write_text(text, encoding="utf-8")
    office = text.replace("year: 2018", "year: 2019", 1).replace("id: cppcc-2018", "id: cppcc-2019")
    (plans / "office-plan.yaml").write_text(office, encoding="utf-8")
    (plans / "zz-notes.yaml").write_text("notes: not a plan\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    db = empty_store(str(tmp_path / "s.sqlite3"))

    def plan_of(*args: str) -> str:
        result = run("list", "--format", "json", "--db", db, *args)
        assert result.code == 0, result.err
        return str(json.loads(result.out)["plan"]["id"])

    assert plan_of("--today", "2019-03-01") == "cppcc-2019"  # the newest by year:, not by name
    assert plan_of("--today", "2018-03-01") == "cppcc-2018"
    assert plan_of("--today", "2025-03-01") == "cppcc-2019"
    assert plan_of("--year", "2018", "--today", "2019-03-01") == "cppcc-2018"
    missing = run("list", "--year", "2017", "--db", db)
    assert (missing.code, missing.err) == (
        1,
        f"planctl: no plan for 2017 in {plans} (no file there says year: 2017; give --plan PATH)\n",
    )


def test_config_show_says_where_the_plan_and_the_store_come_from(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('store = "postgresql+psycopg://planctl:s3cret@db/plans"\n', encoding="utf-8")
    shown = json.loads(run("config", "show", env={"PLANCTL_CONFIG": str(config)}).out)
    assert {key: shown["in_effect"][key] for key in ("plan", "store")} == {
        "plan": {"value": str(PLAN_2018), "from": "default (plans/ here)"},
        "store": {"value": "postgresql+psycopg://planctl:********@db/plans", "from": "config file"},
    }
    from_variables = run(
        "config", "show", env={"PLANCTL_PLAN": "x.yaml", "PLANCTL_DB": str(tmp_path / "s")}
    )
    in_effect = json.loads(from_variables.out)["in_effect"]
    assert {key: in_effect[key] for key in ("plan", "store")} == {
        "plan": {"value": "x.yaml", "from": "PLANCTL_PLAN"},
        "store": {"value": str(tmp_path / "s"), "from": "PLANCTL_DB"},
    }


def test_config_show_gives_every_setting_in_effect_and_where_it_comes_from(
    tmp_path: Path,
) -> None:
    """soon_days, behind_margin and stale_days were null, and in_effect held only the plan
    and the store (issue 25.9)."""
    config = tmp_path / "config.toml"
    config.write_text(
        'stale_days = 45\n\n[mail]\nsmtp_host = "mail.example.org"\n'
        'smtp_password = "file-s3cret"\n\n[assess]\nlate = 50\n',
        encoding="utf-8",
    )
    config.chmod(0o600)
    env = {"PLANCTL_CONFIG": str(config), "PLANCTL_SMTP_USER": "cron", "PLANCTL_PLAN": "x.yaml"}
    result = run("config", "show", env=env)
    assert (result.code, result.err) == (0, "")
    shown = json.loads(result.out)
    assert "file-s3cret" not in result.out
    assert (shown["soon_days"], shown["behind_margin"], shown["stale_days"]) == (7, 10, 45)
    at = f"{config}:"
    assert {key: value for key, value in shown["in_effect"].items() if key != "store"} == {
        "plan": {"value": "x.yaml", "from": "PLANCTL_PLAN"},
        "soon_days": {"value": 7, "from": "default"},
        "behind_margin": {"value": 10, "from": "default"},
        "stale_days": {"value": 45, "from": "config file", "at": at + "1"},
        "assess.on_time": {"value": 100, "from": "default"},
        "assess.deferred": {"value": 80, "from": "default"},
        "assess.late": {"value": 50, "from": "config file", "at": at + "8"},
        "assess.overdue": {"value": 0, "from": "default"},
        "assess.base": {"value": 0, "from": "default"},
        "assess.cap": {"value": 100, "from": "default"},
        "assess.lead": {"value": 1, "from": "default"},
        "assess.support": {"value": 0, "from": "default"},
        "assess.early": {"value": 0, "from": "default"},
        "assess.return_late": {"value": 0, "from": "default"},
        "assess.return_missing": {"value": 0, "from": "default"},
        "assess.chased": {"value": 0, "from": "default"},
        "mail.smtp_host": {"value": "mail.example.org", "from": "config file", "at": at + "4"},
        "mail.smtp_port": {"value": 25, "from": "default"},
        "mail.smtp_user": {"value": "cron", "from": "PLANCTL_SMTP_USER"},
        "mail.smtp_password": {"value": "********", "from": "config file", "at": at + "5"},
        "mail.smtp_security": {"value": "none", "from": "default"},
        "mail.mail_from": {"value": None, "from": "default"},
        "mail.timeout": {"value": 30.0, "from": "default"},
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["done", "6.2", "--by", "李\n明"], "planctl: --by:姓名须为一行纯文本"),
        (["done", "6.2", "--by", "\u202eevil"], "planctl: --by:姓名须为一行纯文本"),
        (["done", "6.2", "--by", "x" * 129], "planctl: --by 须为 1 到 128 个字符"),
        (["done", "6.2", "--by", ""], "planctl: --by 须为 1 到 128 个字符"),
        (["note", "6.2", "x", "--by", " "], "planctl: --by 须为 1 到 128 个字符"),
        (
            ["done", "6.2", "--note", "\x1b]52;c;ZXZpbA==\x07"],
            "planctl: --note: 不允许控制字符 0x001b",
        ),
        (
            ["note", "6.2", "清屏\x1b[2J"],
            "planctl: 备注: 不允许控制字符 0x001b",
        ),
        (
            ["defer", "7.1", "--to", "9", "--reason", "a\x9bb"],
            "planctl: --reason: 不允许控制字符 0x009b",
        ),
    ],
)
def test_text_a_command_records_keeps_the_plans_rule(
    args: list[str], message: str, tmp_path: Path
) -> None:
    db = empty_store(str(tmp_path / "s.sqlite3"))
    before = Path(db).read_bytes()
    result = run(*args, "--db", db, "--today", "2018-06-15")
    assert (result.code, result.out, result.err) == (1, "", message + "\n")
    assert Path(db).read_bytes() == before


def test_output_that_cannot_be_written(tmp_path: Path) -> None:
    """A read command says so and exits 1; a recording command that has committed warns and
    exits 0, so that a cron retry does not record the work twice (real processes)."""
    import os
    import subprocess

    planctl = Path(sys.executable).parent / "planctl"
    db = empty_store(str(tmp_path / "s.sqlite3"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANCTL_")}
    env.update(PLANCTL_DB=db, PLANCTL_TODAY="2018-06-15")

    def with_stdout(stdout: Any, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(planctl), *args], stdout=stdout, stderr=subprocess.PIPE, text=True,
            env={**env, **extra}, check=False,
        )  # fmt: skip

    with Path("/dev/full").open("w") as full:
        read = with_stdout(full, "due")
        recorded = with_stdout(full, "done", "6.2")
    assert (read.returncode, read.stderr) == (
        1,
        "planctl: 无法输出:No space left on device\n",
    )
    assert recorded.returncode == 0
    assert recorded.stderr == ("planctl: 警告:已记录,但确认信息无法输出:No space left on device\n")
    ascii_only = with_stdout(subprocess.PIPE, "due", PYTHONIOENCODING="ascii")
    assert (ascii_only.returncode, ascii_only.stderr) == (
        1,
        # stderr is ascii too: the Chinese message comes out as escapes, whole
        "planctl: 无法输出:输出编码(ascii)容纳不了计划中的文字;请设置 PYTHONIOENCODING=utf-8\n".encode(
            "ascii", "backslashreplace"
        ).decode("ascii"),
    )
    closed = subprocess.run(
        [str(planctl), "done", "6.1"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, env=env, check=False, pass_fds=(), close_fds=True,
        preexec_fn=lambda: os.close(1),
    )  # fmt: skip
    assert (closed.returncode, closed.stderr) == (0, "")
    history = run("history", "--db", db, "--format", "json", "--today", "2018-06-15")
    assert [event["task"] for event in json.loads(history.out)["events"]] == ["6.1", "6.2"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["digest", "--today", "0001-01-01"],
         "planctl: --today / PLANCTL_TODAY 必须在 1900-01-01 到 2999-12-31 之间,不能是 0001-01-01"),
        (["digest", "--days", "3000000"], "planctl: --days 必须在 1 到 366 之间,不能是 3000000"),
        (["done", "P10.1", "--count", str(10**20)],
         "planctl: --count 必须在 1 到 2147483647 之间,不能是 100000000000000000000"),
        (["done", "6.2", "--on", "9999-12-31"], "planctl: --on 9999-12-31 is after today (2018-06-15)"),
    ],
)  # fmt: skip
def test_dates_and_numbers_within_bounds(args: list[str], message: str, tmp_path: Path) -> None:
    db = empty_store(str(tmp_path / "s.sqlite3"))
    today = [] if "--today" in args else ["--today", "2018-06-15"]
    result = run(*args, *today, "--db", db)
    assert (result.code, result.out, result.err) == (1, "", message + "\n")


def test_export_format_in_any_case_and_a_bad_one_is_a_usage_error(tmp_path: Path) -> None:
    db = empty_store(str(tmp_path / "s.sqlite3"))
    assert run("export", "--format", "ICS", "--db", db).out.startswith("BEGIN:VCALENDAR")
    bad = run("export", "--format", "pdf", "--db", db)
    assert bad.code == 2
    assert bad.err.endswith("错误:'--format' / '-f' 的值无效:'pdf' 不是 ics\n")


@pytest.mark.parametrize(
    ("secret", "mode", "warned"),
    [
        ('[mail]\nsmtp_password = "pa55"\n', 0o644, True),
        ('store = "postgresql+psycopg://planctl:s3cret@db/plans"\n', 0o640, True),
        ('[mail]\nsmtp_password = "pa55"\n', 0o600, False),
        ('store = "postgresql+psycopg://planctl@db/plans"\n', 0o644, False),
    ],
)
def test_a_config_file_others_may_read_is_named_when_it_holds_a_password(
    tmp_path: Path, secret: str, mode: int, warned: bool
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(secret, encoding="utf-8")
    config.chmod(mode)
    result = run("config", "show", env={"PLANCTL_CONFIG": str(config)})
    assert result.code == 0
    expected = (
        f"warning: {config} holds a password and others may read it; run chmod 600 {config}\n"
    )
    assert result.err == (expected if warned else "")


def test_a_blank_store_is_refused_not_made_in_the_working_directory(
    planctl: Planctl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    for blank in (" ", "\t"):
        result = planctl("done", "6.2", "--plan", str(PLAN_2018), db=blank)
        assert (result.code, result.out, result.err) == (
            1,
            "",
            "planctl: --db 为空:请给出存储文件或数据库 URL\n",
        )
    assert list(here.iterdir()) == []


def test_blank_config_values_and_empty_recipient_lists_are_refused(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('store = "  "\n[recipients]\n"提案科" = []\n', encoding="utf-8")
    result = run("config", "show", env={"PLANCTL_CONFIG": str(config)})
    assert (result.code, result.err) == (
        1,
        f"planctl: {config}:1:9: store: 为空:请删除该键或给出值\n"
        f"planctl: {config}:3:9: recipients.提案科: 没有地址:请至少给出一个,或删除该键\n",
    )


def candidates(words: str) -> list[str]:
    """The candidates zsh is offered for `planctl WORDS`, with or without help."""
    result = run(env={"_PLANCTL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": words})
    assert result.code == 0, result.err
    return re.findall(r'"((?:[^"\\]|\\.)*)"(?::"(?:[^"\\]|\\.)*")?', result.out)


def test_completion_offers_units_and_leaders() -> None:
    assert candidates("planctl due --owner 提") == ["提案科"]
    assert candidates("planctl digest --owner ") == ["宣教科", "提案科", "经建科"]
    roles = REPO / "tests" / "data" / "good" / "roles-2023.yaml"
    leaders = candidates(f"planctl due --plan {roles} --leader ")
    assert leaders == sorted(leaders) and len(leaders) >= 2
    assert candidates(f"planctl due --plan {roles} --owner 不存在") == []


def test_completion_offers_open_tasks_first_for_done(tmp_path: Path) -> None:
    db = empty_store(str(tmp_path / "s.sqlite3"))
    assert run("done", "6.1", "--db", db, env={"PLANCTL_TODAY": "2018-06-15"}).code == 0
    assert candidates(f"planctl done --db {db} 6.") == ["6.2", "6.3", "6.1"]
    # undo and show keep plan order
    assert candidates(f"planctl show --db {db} 6.") == ["6.1", "6.2", "6.3"]


def test_the_registry_finds_every_command_marked_in_the_sources_and_only_those() -> None:
    """`COMMANDS` is read from the command modules' sources; importing every module of
    planctl.cli, the functions marked `@command` are exactly those, in no other module."""
    for module in pkgutil.iter_modules(planctl.cli.__path__):
        importlib.import_module(f"planctl.cli.{module.name}")
    assert sorted(registry.MARKED) == sorted(
        (f"planctl.cli.{module}", function) for module, function in COMMANDS.values()
    )
    assert len(COMMANDS) == len(registry.MARKED) == 25
    assert list(COMMANDS)[:9] == [
        "check", "schema", "points", "list", "show", "export", "due", "pending", "history",
    ]  # fmt: skip


def test_without_its_sources_the_registry_imports_the_modules_and_reads_their_marks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Installed as bytecode only, the command modules' sources cannot be read: the registry
    then imports them and finds the same commands."""

    def unreadable(self: Path) -> bytes:
        raise FileNotFoundError(self)

    monkeypatch.setattr(Path, "read_bytes", unreadable)
    assert registry._commands() == COMMANDS
