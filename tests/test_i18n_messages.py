"""The messages of each module in the plan's language: on the zh 2018 plan (or with
PLANCTL_LANG=zh where a command reads no plan) the exact Chinese line and exit code; the
English stays English (issue 28)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PLAN_2018, Planctl, empty_store, run
from tests.office_files import write_xlsx
from tests.smtp import PASSWORD, USER, Recorder, Server, free_port

ZH = {"PLANCTL_LANG": "zh"}


def test_import_and_new_speak_chinese(tmp_path: Path, planctl: Planctl) -> None:
    rows = [
        ["序号", "工作任务", "时间"],
        ["1", "建设平台:①3月底前完成调研②5月底前上线", "6月底前"],
        ["2", "修路", "明年再定"],
        ["3", "建桥", ""],
    ]
    table = write_xlsx(tmp_path / "t.xlsx", rows)
    zh = run("import", str(table), "--year", "2023", env=ZH)
    assert (zh.code, zh.err) == (
        0,
        "从 t.xlsx 读取 3 项任务,1 项需要核对(注释中标有“请核对”);"
        "1 项任务的时间未能读取、1 项任务因未读到时间而列为全年\n",
    )
    assert zh.out.startswith("# 由 `planctl import` 根据 t.xlsx 生成的计划草稿。\n")
    # the remark in Chinese (the `check (row N):` before it is office/draft.py's)
    assert (
        "  # 请核对(第 3 行):时间 '明年再定' 的写法 planctl 无法读取;在设定其时间之前列为全年\n"
        in zh.out
    )
    en = run("import", str(table), "--year", "2023", env={"PLANCTL_LANG": "en"})
    assert en.err == (
        "3 tasks read from t.xlsx, 1 needs a look (comments marked check); 1 task with a time"
        " not read, 1 task year-round only because no time was read\n"
    )
    assert (en.code, en.out.splitlines()[0]) == (
        0,
        "# A draft plan made by `planctl import` from t.xlsx.",
    )
    assert (
        "  # check (row 3): the time '明年再定' is not a wording planctl reads; year-round until"
        " you set its window\n"
    ) in en.out
    for args, said in [
        (["--year", "1800"], "planctl: --year 应在 1900 到 2999 之间,而不是 1800\n"),
        (["--column", "时间"], "planctl: --column '时间':应写作 HEADER=KEY,KEY 为 "),
        (["--title", " "], "planctl: --title 应为一行文字\n"),
    ]:
        refused = run("import", str(table), *args, "-o", str(tmp_path / "out.yaml"), env=ZH)
        assert (refused.code, refused.out, refused.err.startswith(said)) == (1, "", True)
    out = tmp_path / "out.yaml"
    out.write_text("kept", encoding="utf-8")
    exists = run("import", str(table), "-o", str(out), env=ZH)
    assert (exists.code, exists.err) == (1, f"planctl: {out} 已存在;如要替换请加 --force\n")
    assert out.read_text(encoding="utf-8") == "kept"

    db = str(tmp_path / "store.sqlite3")
    planctl.ok("done", "1.1", db=db, plan=PLAN_2018, today="2018-03-20")
    made = planctl("new", "--year", "2019", "--from", str(PLAN_2018), db=db, today="2019-01-05")
    assert (made.code, made.err) == (
        0,
        "已复制 4 个部分、18 个工作要点和 2 项常规工作,从 cppcc-2018 结转 38 项未完成任务\n",
    )
    assert made.out.splitlines()[:2] == [
        f"# 由 `planctl new` 根据 {os.path.relpath(PLAN_2018)} 生成的 2019 年计划。",
        "# 4 个部分、18 个工作要点、2 项常规工作,结转 38 项任务(截至 2019-01-05 未完成)",
    ]
    assert "  # 结转:截至 2019-01-05 未完成;请核对其时间\n" in made.out
    not_after = planctl("new", "--year", "2018", "--from", str(PLAN_2018), db=db)
    assert (not_after.code, not_after.out, not_after.err) == (
        1,
        "",
        f"planctl: --year 2018 不在 {os.path.relpath(PLAN_2018)} 的年份(2018)之后\n",
    )
    template = run("new", "--year", "2024", "-o", str(tmp_path / "t.yaml"), env=ZH)
    assert (template.code, template.out) == (
        0,
        f"{tmp_path / 't.yaml'}: 2024 年的模板:填写后运行 planctl check\n",
    )


def test_an_office_file_that_is_no_table_is_refused_in_chinese(tmp_path: Path) -> None:
    old = tmp_path / "分解表.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    damaged = tmp_path / "分解表.xlsx"
    damaged.write_bytes(b"not a zip")
    for path, said in [
        (old, f"planctl: {old}:旧的二进制 .xls 文件;请另存为 .xlsx 后再导入\n"),
        (damaged, f"planctl: {damaged}:不是 Excel 工作簿(.xlsx),或已损坏\n"),
        (tmp_path / "无.docx", f"planctl: 无法读取 {tmp_path / '无.docx'}:文件不存在\n"),
    ]:
        zh = run("import", str(path), env=ZH)
        assert (zh.code, zh.out, zh.err) == (1, "", said)
    en = run("import", str(damaged), env={"PLANCTL_LANG": "en"})
    assert (en.code, en.err) == (
        1,
        f"planctl: {damaged}: not an Excel workbook (.xlsx), or a damaged one\n",
    )


def test_config_file_problems_keep_their_place_and_speak_the_plan_s_language(
    tmp_path: Path, planctl: Planctl
) -> None:
    """The config file is read before the plan: its problems follow what is known then
    (--lang, PLANCTL_LANG, else the plan's `language:` line, zh here)."""
    config = tmp_path / "config.toml"
    config.write_text("[assess]\ncap = 1001\n[mail]\nsmtp_prot = 587\nmail = 5\n", "utf-8")
    db = tmp_path / "store.sqlite3"
    zh = planctl("due", env={"PLANCTL_CONFIG": str(config)}, db=db, plan=PLAN_2018)
    assert (zh.code, zh.out, zh.err) == (
        1,
        "",
        f"planctl: {config}:2:7: assess.cap: 应为 0 到 1000 之间的数\n"
        f"planctl: {config}:4:1: 未知的键 'mail.smtp_prot'\n"
        f"planctl: {config}:5:1: 未知的键 'mail.mail'\n",
    )
    en = planctl("due", "--lang", "en", env={"PLANCTL_CONFIG": str(config)}, db=db, plan=PLAN_2018)
    assert (en.code, en.err.splitlines()[0]) == (
        1,
        f"planctl: {config}:2:7: assess.cap: should be a number from 0 to 1000",
    )
    config.write_text("today = 2018-06-01\nsoon_days = []\n", "utf-8")
    today = planctl("due", env={"PLANCTL_CONFIG": str(config)}, db=db, plan=PLAN_2018)
    assert (today.code, today.err) == (
        1,
        f"planctl: {config}:1:1: 未知的键 'today':今天不能在配置中设定(请用 --today 或 PLANCTL_TODAY)\n"
        f"planctl: {config}:2:13: soon_days: 应为整数\n",
    )
    assert not db.exists()


def test_the_session_s_notes_and_refusals_speak_chinese(tmp_path: Path, planctl: Planctl) -> None:
    db = empty_store(str(tmp_path / "store.sqlite3"))
    before = Path(db).read_bytes()
    role = planctl("due", "--role", "lead", db=db, plan=PLAN_2018)
    assert (role.code, role.out, role.err) == (
        1,
        "",
        "planctl: --role 须与 --owner 同用:指明是哪个单位的职责\n",
    )
    late = planctl("due", "--today", "2019-01-10", "--format", "json", db=db, plan=PLAN_2018)
    assert late.code == 0
    assert late.err.splitlines()[0] == (
        "planctl: 注意:今天(2019-01-10)不在计划期间 2018-01-01..2018-12-31 内"
    )
    en = planctl("due", "--today", "2019-01-10", "--lang", "en", db=db, plan=PLAN_2018)
    assert en.err.splitlines()[0] == (
        "planctl: note: today (2019-01-10) is outside the plan's period 2018-01-01..2018-12-31"
    )
    assert Path(db).read_bytes() == before


def test_plan_file_problems_keep_their_place_and_speak_the_plan_s_language(
    tmp_path: Path, planctl: Planctl
) -> None:
    plan = tmp_path / "2018.yaml"
    text = PLAN_2018.read_text(encoding="utf-8")
    plan.write_text(text.replace("tasks:\n", "owner: 办公室\ntasks:\n", 1), encoding="utf-8")
    line = text[: text.index("tasks:\n")].count("\n") + 1
    zh = planctl("check", str(plan))
    assert (zh.code, zh.out, zh.err) == (1, "", f"{plan}:{line}:1: 未知的键 'owner'\n")
    en = planctl("check", str(plan), env={"PLANCTL_LANG": "en"})
    assert (en.code, en.err) == (1, f"{plan}:{line}:1: unknown key 'owner'\n")
    plan.write_bytes(b"")
    empty = planctl("done", "6.1", "--plan", str(plan), db=tmp_path / "store.sqlite3")
    assert (empty.code, empty.out, empty.err) == (1, "", f"{plan}:1:1: 计划文件为空\n")
    assert not (tmp_path / "store.sqlite3").exists()


def test_a_returns_look_lines_are_data_worded_in_the_language_chosen() -> None:
    from datetime import date

    from planctl import i18n
    from planctl.cli.returns_words import worded_look
    from planctl.core.return_changes import Look

    june, september = date(2018, 6, 30), date(2018, 9, 30)
    looks = [
        Look("3", "count replaced", {"count": 2, "counted": 3}),
        Look("3", "defer asked", {"to": "2018-09-30", "reason": "等待批复"}),
        Look("3", "defer late", {"asked": september, "due": june}),
        Look("3", "defer pending", {"asked": september, "pending": date(2018, 8, 31)}),
        Look("3", "defer refused", {"asked": september, "refused": "太晚"}),
        Look("3", "request", {"due": september, "reason": "等待批复"}),
    ]
    i18n.begin("zh", {})
    assert [worded_look(look) for look in looks] == [
        "3:次数 2 将替换本期较早报表已记录的 3;未记录(请用 undo 和 done --count 更正)",
        "3:申请延期至 2018-09-30:等待批复",
        "3:在截止日(2018-06-30)之后申请延期至 2018-09-30;未记录(请用 defer --late 记录)",
        "3:申请延期至 2018-09-30;未记录:延期至 2018-08-31 的申请尚待决定",
        "3:申请延期至 2018-09-30;未记录:太晚",
        "3:申请将截止日改为 2018-09-30(等待批复);请批准或驳回",
    ]
    i18n.begin("en", {})
    assert [worded_look(look) for look in looks] == [
        "3: count 2 replaces 3 recorded from an earlier return of this cycle; not recorded"
        " (correct it with undo and done --count)",
        "3: asks to defer to 2018-09-30: 等待批复",
        "3: asks to defer to 2018-09-30 after its due day (2018-06-30); not recorded (record it"
        " with defer --late)",
        "3: asks to defer to 2018-09-30; not recorded: a request to 2018-08-31 awaits a decision",
        "3: asks to defer to 2018-09-30; not recorded: 太晚",
        "3: requests a due day of 2018-09-30 (等待批复); approve or reject it",
    ]


def test_import_and_new_speak_the_language_of_the_plan_they_would_read(tmp_path: Path) -> None:
    """Their --year is the new plan's, not a plan to look for; `new --from` names the plan."""
    table = tmp_path / "t.xls"
    table.write_bytes(b"\xd0\xcf\x11\xe0")
    old = run("import", str(table), "--year", "2023")  # beside plans/2018.yaml (zh)
    assert (old.code, old.err) == (
        1,
        f"planctl: {table}:旧的二进制 .xls 文件;请另存为 .xlsx 后再导入\n",
    )
    year = run("new", "--year", "1800", "--from", str(PLAN_2018))
    assert (year.code, year.err) == (1, "planctl: --year 应在 1900 到 2999 之间,而不是 1800\n")
    english = tmp_path / "parish.yaml"
    english.write_text("language: en\n", encoding="utf-8")
    year = run("new", "--year", "1800", "--from", str(english))
    assert (year.code, year.err) == (1, "planctl: --year must be between 1900 and 2999, not 1800\n")


def _mail_env(port: int, **extra: str) -> dict[str, str]:
    return {
        "PLANCTL_SMTP_HOST": "127.0.0.1",
        "PLANCTL_SMTP_PORT": str(port),
        "PLANCTL_MAIL_FROM": "planctl@example.org",
        **extra,
    }


def _mail_problems(
    tmp_path: Path, planctl: Planctl, plan: Path, smtp_server: Callable[..., Server]
) -> list[str]:
    """`planctl mail` refused, one case per family of message: an address, the settings, the
    connection, the server's refusal, what it does not offer, the login. Each exits 1 with
    nothing on stdout, nothing delivered and the store unchanged; the lines on stderr, the
    port written `PORT`."""
    db = empty_store(str(tmp_path / "store.sqlite3"))
    before = Path(db).read_bytes()
    refusing = smtp_server(Recorder(refuse_sender=True))
    no_auth = smtp_server()
    login = smtp_server(authenticate=True, auth_require_tls=False)
    wrong = {"PLANCTL_SMTP_USER": USER, "PLANCTL_SMTP_PASSWORD": PASSWORD + "-wrong"}
    nothing_there = free_port()
    cases: list[tuple[str, dict[str, str], int]] = [
        ("nobody", _mail_env(refusing.port), refusing.port),
        (TO, _mail_env(no_auth.port, PLANCTL_SMTP_USER=USER), no_auth.port),
        (TO, _mail_env(nothing_there), nothing_there),
        (TO, _mail_env(refusing.port), refusing.port),
        (TO, _mail_env(no_auth.port, PLANCTL_SMTP_USER=USER, PLANCTL_SMTP_PASSWORD=PASSWORD),
         no_auth.port),
        (TO, _mail_env(login.port, **wrong), login.port),
    ]  # fmt: skip
    said = []
    for to, env, port in cases:
        result = planctl("mail", "--to", to, db=db, plan=plan, env=env)
        assert (result.code, result.out) == (1, "")
        said.append(result.err.replace(f"127.0.0.1:{port}", "127.0.0.1:PORT"))
    assert [server.recorder.delivered for server in (refusing, no_auth, login)] == [[]] * 3
    assert Path(db).read_bytes() == before
    return said


TO = "jj@example.org"


def test_mail_problems_speak_the_plan_s_language(
    tmp_path: Path, planctl: Planctl, smtp_server: Callable[..., Server]
) -> None:
    assert _mail_problems(tmp_path, planctl, PLAN_2018, smtp_server) == [
        "planctl: 邮件:收件人地址有误:不是电子邮件地址:'nobody';未发出任何邮件\n",
        f"planctl: 邮件:已设定 smtp_user {USER} 但没有密码(请设定 PLANCTL_SMTP_PASSWORD 或"
        " smtp_password);未发出任何邮件\n",
        "planctl: 邮件:无法连接 127.0.0.1:PORT:Connection refused;未发出任何邮件\n",
        "planctl: 邮件:127.0.0.1:PORT 拒绝了发件人 planctl@example.org:"
        "553 5.7.1 sender not allowed;未发出任何邮件\n",
        f"planctl: 邮件:127.0.0.1:PORT 不提供 AUTH(以 {USER} 登录需要它);未发出任何邮件\n",
        f"planctl: 邮件:127.0.0.1:PORT 拒绝以 {USER} 登录:"
        "535 5.7.8 Authentication credentials invalid;未发出任何邮件\n",
    ]


def test_mail_problems_stay_english_on_an_english_plan(
    tmp_path: Path, planctl: Planctl, smtp_server: Callable[..., Server]
) -> None:
    plan = tmp_path / "2018.yaml"
    text = PLAN_2018.read_text(encoding="utf-8")
    plan.write_text(text.replace("language: zh\n", "language: en\n", 1), encoding="utf-8")
    assert _mail_problems(tmp_path, planctl, plan, smtp_server) == [
        "planctl: mail: bad recipient address: not an email address: 'nobody'; nothing sent\n",
        f"planctl: mail: smtp_user {USER} is set but no password (set PLANCTL_SMTP_PASSWORD or"
        " smtp_password); nothing sent\n",
        "planctl: mail: cannot connect to 127.0.0.1:PORT: Connection refused; nothing sent\n",
        "planctl: mail: 127.0.0.1:PORT refused the sender planctl@example.org:"
        " 553 5.7.1 sender not allowed; nothing sent\n",
        f"planctl: mail: 127.0.0.1:PORT does not offer AUTH (needed to log in as {USER});"
        " nothing sent\n",
        f"planctl: mail: 127.0.0.1:PORT refused the login as {USER}:"
        " 535 5.7.8 Authentication credentials invalid; nothing sent\n",
    ]


def test_a_mail_address_refused_in_the_config_file_is_said_in_the_plan_s_language(
    tmp_path: Path, planctl: Planctl
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[mail]\nmail_from = "办公室"\n', "utf-8")
    db = tmp_path / "store.sqlite3"
    env = {"PLANCTL_CONFIG": str(config)}
    zh = planctl("mail", "--to", TO, env=env, db=db, plan=PLAN_2018)
    assert (zh.code, zh.out, zh.err) == (
        1,
        "",
        f"planctl: {config}:2:13: mail.mail_from: 不是电子邮件地址:'办公室'\n",
    )
    en = planctl("mail", "--to", TO, "--lang", "en", env=env, db=db, plan=PLAN_2018)
    assert en.err == f"planctl: {config}:2:13: mail.mail_from: not an email address: '办公室'\n"
    assert not db.exists()


def test_a_send_that_may_have_arrived_after_others_did_says_so_in_chinese(
    tmp_path: Path, planctl: Planctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second digest or notice timed out after the message was with the server: the line
    says what went out and that this one may have arrived (never "nothing sent")."""
    from planctl.errors import MailError
    from planctl.mail import smtp

    sent: list[object] = []

    def second_may_have_arrived(message: object, settings: object) -> None:
        if sent:
            raise MailError("127.0.0.1:25 等待邮件的答复时超时(30 秒)", maybe_sent=True)
        sent.append(message)

    monkeypatch.setattr(smtp, "send_message", second_may_have_arrived)
    config = tmp_path / "config.toml"
    config.write_text(
        '[recipients]\n"*" = ["bgs@example.org"]\n"提案科" = ["ta@example.org"]\n'
        '"宣教科" = ["xj@example.org"]\n',
        "utf-8",
    )
    env = {"PLANCTL_CONFIG": str(config), "PLANCTL_MAIL_FROM": "planctl@example.org"}
    db = empty_store(str(tmp_path / "store.sqlite3"))
    digests = planctl("mail", "--per-owner", db=db, plan=PLAN_2018, env=env)
    assert (digests.code, digests.out, digests.err) == (
        1,
        "",
        "planctl: 邮件:127.0.0.1:25 等待邮件的答复时超时(30 秒);服务器可能已收下提案科的周报,"
        '也可能没有(已发出办公室("*")的周报)\n',  # the office, by its key
    )
    sent.clear()
    before = Path(db).read_bytes()
    chased = planctl("chase", "4.3", "7.1", "--how", "letter", "--mail", "--by", "督查室",
                     db=db, plan=PLAN_2018, today="2018-08-03", env=env)  # fmt: skip
    assert (chased.code, chased.err) == (
        1,
        "planctl: 邮件:127.0.0.1:25 等待邮件的答复时超时(30 秒);服务器可能已收下 督办〔2018〕2号,"
        "也可能没有,其催办未记录\n",
    )
    assert chased.out.splitlines()[-1] == "已发送:督办〔2018〕1号 致 xj@example.org"
    assert Path(db).read_bytes() != before  # the first notice's chase is recorded


BAD_FIELDS = """id: t-2018
year: 二〇一八
title: 测试
tasks:
  - id: 1.1
    title: 调研
    month: 6
    year_round: yes
  - id: "2"
    title: 视察
    every: daily
  - id: "3"
    title: 例会
    every: month
    months: []
    interval: 0
    by: 32
"""

BAD_SYNTAX = {
    "colon.yaml": "id: t\ntitle: 测试: 一\n",
    "tab.yaml": 'id: t\ntasks:\n  - id: "1"\n\ttitle: x\n',
    "key.yaml": "id: t\ntitle\nyear: 2018\n",
    "indent.yaml": 'id: t\ntasks:\n  - id: "1"\n    title: x\n   month: 6\n',
}


def _checked(tmp_path: Path, planctl: Planctl, env: dict[str, str]) -> list[str]:
    """`planctl check` of each bad plan (zh: no `language:`): exit 1, nothing on stdout, the
    lines on stderr with the plan's directory left out."""
    (tmp_path / "fields.yaml").write_text(BAD_FIELDS, encoding="utf-8")
    for name, text in BAD_SYNTAX.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    lines = []
    for name in ["fields.yaml", *BAD_SYNTAX]:
        result = planctl("check", str(tmp_path / name), env=env)
        assert (result.code, result.out) == (1, "")
        lines += result.err.replace(f"{tmp_path}/", "").splitlines()
    return lines


def test_pydantic_s_and_the_yaml_parser_s_problems_speak_the_plan_s_language(
    tmp_path: Path, planctl: Planctl
) -> None:
    assert _checked(tmp_path, planctl, {}) == [
        "fields.yaml:2:7: year: 应为整数",
        'fields.yaml:5:9: tasks[0].id: 应为文字(请加引号:"1.1")',
        "fields.yaml:8:17: tasks[0].year_round: 应为 true 或 false(请写作 true)",
        "fields.yaml:11:12: tasks[1].every: 应为 'week'、'month'、'quarter'、'half'、'year' 或"
        " 'as_needed'",
        "fields.yaml:16:15: tasks[2].interval: 应大于或等于 1",
        "fields.yaml:17:9: tasks[2].by: 应小于或等于 31",
        "fields.yaml:15:13: tasks[2].months: 列表应至少有 1 项,而不是 0 项",
        "colon.yaml:2:10: 此处不允许出现映射的值",
        "tab.yaml:4:1: 发现不能作为任何记号开头的字符(扫描下一个记号时)",
        "key.yaml:3:1: 找不到应有的 ':'(扫描简单键时;该处始于第 2 行第 1 列)",
        "indent.yaml:5:4: 没有找到应有的 '-' 标记(解析块序列时;该处始于第 3 行第 3 列)",
    ]


def test_pydantic_s_and_the_yaml_parser_s_problems_stay_english_in_english(
    tmp_path: Path, planctl: Planctl
) -> None:
    assert _checked(tmp_path, planctl, {"PLANCTL_LANG": "en"}) == [
        "fields.yaml:2:7: year: Input should be a valid integer",
        'fields.yaml:5:9: tasks[0].id: Input should be a valid string (write it in quotes: "1.1")',
        "fields.yaml:8:17: tasks[0].year_round: Input should be a valid boolean (write true)",
        "fields.yaml:11:12: tasks[1].every: Input should be 'week', 'month', 'quarter', 'half',"
        " 'year' or 'as_needed'",
        "fields.yaml:16:15: tasks[2].interval: Input should be greater than or equal to 1",
        "fields.yaml:17:9: tasks[2].by: Input should be less than or equal to 31",
        "fields.yaml:15:13: tasks[2].months: List should have at least 1 item after validation,"
        " not 0",
        "colon.yaml:2:10: mapping values are not allowed in this context",
        "tab.yaml:4:1: found character that cannot start any token (while scanning for the next"
        " token)",
        "key.yaml:3:1: could not find expected ':' (while scanning a simple key started on line"
        " 2, column 1)",
        "indent.yaml:5:4: did not find expected '-' indicator (while parsing a block collection"
        " started on line 3, column 3)",
    ]


def test_a_message_pydantic_words_otherwise_and_an_unknown_yaml_problem_stay_whole() -> None:
    """A newer Pydantic's wording, or a type not mapped, keeps its English whole; so does a
    YAML problem or context not known (never half of each language); the pure-Python
    loader's wording is known too."""
    from planctl import i18n
    from planctl.plan.sourcetext import pydantic_message, yaml_message

    i18n.begin("zh", {})
    assert pydantic_message("int_type", "Input must be an integer", None) == (
        "Input must be an integer"
    )
    assert pydantic_message("url_type", "URL input should be a string or URL", None) == (
        "URL input should be a string or URL"
    )
    assert pydantic_message("too_long", "List should have at most 3 items after validation,"
                            " not 5", {"field_type": "List", "max_length": 3,
                                       "actual_length": 5}) == "列表应至多有 3 项,而不是 5 项"  # fmt: skip
    assert yaml_message("found something new", "while scanning a simple key") == (
        "found something new (while scanning a simple key)"
    )
    assert yaml_message("could not find expected ':'", "while doing something new") == (
        "could not find expected ':' (while doing something new)"
    )
    assert (
        yaml_message(
            "expected <block end>, but found '<block mapping start>'",
            "while parsing a block mapping",
        )
        == "应为 <block end>,却发现 '<block mapping start>'(解析块映射时)"
    )
    assert (
        yaml_message(
            "found character '\\t' that cannot start any token", "while scanning for the next token"
        )
        == "发现不能作为任何记号开头的字符 '\\t'(扫描下一个记号时)"
    )
