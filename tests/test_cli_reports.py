"""report, digest, mail and config through the CLI: counts that agree, pages that stand
alone, and mail that reaches a real SMTP server (aiosmtpd) once or not at all."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from planctl.render.wrap import width
from tests.conftest import TODAY, Planctl, RecordedStores, empty_store
from tests.smtp import PASSWORD, Recorder, Server, bodies, parse


def record_history(path: Path) -> None:
    store = empty_store(str(path))
    for args in (
        ["done", "1.1", "--on", "2018-01-20", "--by", "王"],
        ["done", "3.2", "3.3", "--on", "2018-03-28", "--by", "李"],
        ["done", "5.1", "--on", "2018-06-12", "--by", "赵", "--note", "报告已报区委"],
        ["done", "P10.1", "--count", "2", "--on", "2018-05-10"],
        ["done", "Y.8", "--on", "2018-06-11"],
        ["done", "6.1", "--on", "2018-06-13"],
        ["undo", "6.1"],
        ["defer", "7.2", "--to", "8", "--reason", "调研对象调整"],
        ["note", "4.2", "改在五月"],
    ):
        Planctl().ok(*args, db=store)


@pytest.fixture
def db(tmp_path: Path, recorded_stores: RecordedStores) -> str:
    return recorded_stores.copy(record_history, tmp_path / "made.sqlite3")


def test_the_report_agrees_with_list_and_due(db: str, planctl: Planctl) -> None:
    report = planctl.json("report", db=db)
    tasks = planctl.json("list", db=db)["tasks"]
    done = [t for t in tasks if t["status"] == "done"]
    overdue = [t for t in tasks if t["overdue"]]
    assert report["summary"] == {
        "total": len(tasks),
        "done": len(done),
        "open": len(tasks) - len(done),
        "overdue": len(overdue),
        "percent": 100 * len(done) // len(tasks),
    }
    # Y.8, done this week with weeks missed before, is overdue and not also done (issue 14).
    assert report["summary"] == {"total": 41, "done": 4, "open": 37, "overdue": 11, "percent": 9}
    for row in report["months"]:
        month = [t for t in tasks if t["due_month"] == row["month"]]
        assert row == {
            "month": row["month"],
            "year": 2018,
            "total": len(month),
            "done": sum(t["status"] == "done" for t in month),
            "overdue": sum(t["overdue"] for t in month),
        }
    for row in report["points"]:
        linked = [t for t in tasks if row["number"] in t["points"]]
        assert (row["total"], row["done"]) == (
            len(linked),
            sum(t["status"] == "done" for t in linked),
        )
    owners = Counter(owner for t in tasks for owner in t["owners"] or [None])
    assert {o["owner"]: o["total"] for o in report["owners"]} == owners  # None: no unit
    assert [t["id"] for t in report["overdue"]] == [t["id"] for t in overdue]
    # due --month 6 shows the same overdue tasks of earlier months, and June's own.
    due = planctl.json("due", "--month", "6", db=db)["tasks"]
    assert {t["id"] for t in due if t["overdue"]} <= {t["id"] for t in overdue}
    assert [t["id"] for t in report["deferred"]] == ["7.2"]
    assert [e["task"] for e in report["recent"]][:3] == ["4.2", "7.2", "6.1"]


def test_the_report_is_in_the_plan_language_or_the_one_asked_for(db: str, planctl: Planctl) -> None:
    zh = planctl("report", db=db).out
    assert zh.startswith("2018 年区政协常委会工作要点 年度工作报告 (plans/2018.yaml)\n\n")
    assert (
        "截至 2018-06-15: 2018 年共 41 项任务:已完成 4 项,未完成 37 项,逾期 11 项,完成率 9%" in zh
    )
    assert "逐月完成情况" in zh and "已完成" in zh
    en = planctl("report", "--lang", "en", db=db).out
    assert "As of 2018-06-15: 2018: 41 tasks, 4 done, 37 open, 11 overdue, 9% done" in en
    assert "Month by month" in en and "逐月" not in en
    bad = planctl("report", "--lang", "fr", db=db)
    assert bad.code == 2  # a usage error, as for --format
    assert bad.err.endswith("错误:'--lang' 的值无效:'fr' 不是 zh, en 之一\n")  # the plan's language
    assert planctl("report", "--lang", "EN", db=db).out == en


def test_the_report_in_markdown_and_csv(db: str, planctl: Planctl) -> None:
    markdown = planctl("report", "--format", "markdown", db=db).out
    assert markdown.startswith("# 2018 年区政协常委会工作要点 年度工作报告 (plans/2018.yaml)\n")
    assert "| 月份 | 任务数 | 已完成 | 逾期 | 进度 |" in markdown
    assert "| 6 | 3 | 0 | 0 | ░░░░░░░░░░░░░░░░░░░░ 0% |" in markdown
    csv_lines = planctl("report", "--format", "csv", db=db).out.splitlines()
    assert csv_lines == ["任务数,已完成,未完成,逾期,完成率", "41,4,37,11,9"]


class _Page(HTMLParser):
    """Collects what a self-contained page must and must not have."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.links: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.links += [v or "" for k, v in attrs if k in ("src", "href") or "url(" in (v or "")]
        if tag not in ("meta", "br", "link", "img"):
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()


def test_the_html_report_is_one_self_contained_page(db: str, planctl: Planctl) -> None:
    html = planctl("report", "--format", "html", db=db).out
    page = _Page()
    page.feed(html)
    page.close()
    assert html.startswith("<!DOCTYPE html>\n")
    assert page.open == []
    assert page.links == []
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    assert page.tags["style"] == 1 and page.tags["svg"] == 1
    assert page.tags["table"] >= 8 and page.tags["th"] > 0
    # printed: A4 with margins, each table's header repeated on every page, no row split
    assert page.tags["thead"] == page.tags["table"]
    assert "@page { size: A4; margin: 16mm 14mm 18mm;" in html
    assert "thead { display: table-header-group; }" in html
    assert "tr { break-inside: avoid; page-break-inside: avoid; }" in html
    assert "th { background: #e8edf3; white-space: nowrap;" in html
    # the heading: organisation, plan, what this is, as of when; no file path anywhere
    assert '<html lang="zh">' in html
    assert "<title>2018 年区政协常委会工作要点 年度工作报告</title>" in html
    assert (
        '<header class="document">\n<p class="organisation">XX 区政协常委会</p>\n'
        '<h1>2018 年区政协常委会工作要点<span class="kind">年度工作报告</span></h1>\n'
        '<p class="meta"><span>截至 <span class="nw">2018-06-15</span></span></p>\n'
    ) in html
    assert "plans/2018.yaml" not in html
    # bars drawn with CSS, not characters; every overdue task's row red and saying so
    assert "█" not in html and "░" not in html
    assert '<span class="bar" role="img" aria-label="50%"><span style="width:50%"></span>' in html
    data = planctl.json("report", db=db)
    for task in data["overdue"]:
        assert f'<tr class="overdue red"><td class="nw">{task["id"]}</td>' in html
    assert html.count('<tr class="overdue red">') == len(data["overdue"]) + 2  # and 2 duties
    assert '<td class="nw">逾期</td></tr>' in html
    # the chart: an axis with ticks, a legend, a bar for every month and the year-round tasks
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert [t["total"] for t in data["months"]] == [2, 2, 5, 3, 1, 3, 1, 3, 3, 2, 2, 2]
    for label in ["已完成", "逾期", "未完成", "任务数", "0", "3", "6", "9", "12"]:
        assert f">{label}</text>" in chart
    labels = re.findall(r'text-anchor="middle">([^<]*)</text>', chart)
    assert labels[::2] == [*map(str, range(1, 13)), "全年"]
    assert labels[1::2] == [
        f"{t['done']}/{t['total']}" for t in [*data["months"], data["year_round"]]
    ]
    assert '<td class="nw">报告已报区委</td>' in html


def test_html_escapes_what_people_type(db: str, planctl: Planctl) -> None:
    planctl("note", "6.2", "<script>alert(1)</script> & 注意", db=db)
    html = planctl("report", "--format", "html", db=db).out
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 注意" in html


def test_the_digest(db: str, planctl: Planctl) -> None:
    data = planctl.json("digest", db=db)
    assert (data["since"], data["today"], data["days"]) == ("2018-06-09", TODAY, 7)
    assert [(d["id"], d["on"], d["by"], d["note"]) for d in data["done"]] == [
        ("5.1", "2018-06-12", "赵", "报告已报区委"),
        ("Y.8", "2018-06-11", "tester", None),
    ]
    assert [t["id"] for t in data["open"]] == ["6.1", "6.2", "6.3", "Y.8", "P11.1"]
    assert [t["id"] for t in data["next_month"]] == ["7.1"]
    assert data["summary"] == {"total": 41, "done": 4, "overdue": 11, "percent": 9}
    text = planctl("digest", db=db).out
    assert text.startswith("2018 年区政协常委会工作要点 每周工作简报\n\n截至 2018-06-15: ")
    assert "2018-06-12  5.1   开展养老保险扩面情况的调研  赵      报告已报区委" in text
    owner = planctl.json("digest", "--owner", "宣教科", "--days", "30", db=db)
    assert owner["owner"] == "宣教科"
    assert [t["id"] for t in owner["overdue"]] == ["4.3"]
    assert owner["next_month"] == []
    assert owner["done"] == []


MAIL_ENV = {"PLANCTL_SMTP_HOST": "127.0.0.1", "PLANCTL_MAIL_FROM": "planctl@example.org"}


def mail_env(server: Server, **extra: str) -> dict[str, str]:
    return {**MAIL_ENV, "PLANCTL_SMTP_PORT": str(server.port), **extra}


def test_mail_under_cron_says_nothing_of_an_old_plan(
    db: str, smtp_server: Callable[..., Server], planctl: Planctl
) -> None:
    """Read commands say on stderr when today is after the plan's year; cron's mail does not."""
    server = smtp_server()
    result = planctl("mail", "--to", "jj@example.org", db=db, today=None, env=mail_env(server))
    assert (result.code, result.out, result.err) == (0, "", "")
    assert len(server.recorder.delivered) == 1
    assert "after this plan's year" in planctl("due", db=db, today=None).err


def test_mail_sends_the_digest_once_and_prints_nothing(
    db: str, smtp_server: Callable[..., Server], planctl: Planctl
) -> None:
    server = smtp_server()
    result = planctl("mail", "--to", "jj@example.org", "--to", "ta@example.org",
                     db=db, env=mail_env(server))  # fmt: skip
    assert (result.code, result.out, result.err) == (0, "", "")
    [delivery] = server.recorder.delivered
    assert delivery.mail_from == "planctl@example.org"
    assert delivery.rcpt_tos == ["jj@example.org", "ta@example.org"]
    message = parse(delivery.content)
    assert message["Subject"] == "2018 年区政协常委会工作要点 每周工作简报(2018-06-15)"
    assert message["From"] == "planctl@example.org"
    assert message["To"] == "jj@example.org, ta@example.org"
    text, html = bodies(message)
    assert text == planctl("digest", "--format", "text", db=db, env={"COLUMNS": "80"}).out
    assert max(map(width, text.splitlines())) <= 80  # a terminal mail reader
    assert '<h1>2018 年区政协常委会工作要点<span class="kind">每周工作简报</span></h1>' in html
    assert "报告已报区委" in text and "报告已报区委" in html


def test_mail_per_owner_sends_each_owner_its_digest(
    db: str, smtp_server: Callable[..., Server], tmp_path: Path, planctl: Planctl
) -> None:
    server = smtp_server()
    config = tmp_path / "config.toml"
    config.write_text(
        '[recipients]\n"提案科" = ["ta@example.org"]\n"宣教科" = ["xj@example.org"]\n',
        encoding="utf-8",
    )
    env = mail_env(server, PLANCTL_CONFIG=str(config))
    result = planctl("mail", "--per-owner", db=db, env=env)
    nobody = (
        '警告:有 31 项任务未写明单位,无人收到;请在 [recipients] 下为办公室设置 "*" = [ADDRESS]\n'
    )
    assert (result.code, result.out, result.err) == (0, "", nobody)
    delivered = {tuple(d.rcpt_tos): parse(d.content) for d in server.recorder.delivered}
    assert sorted(delivered) == [("ta@example.org",), ("xj@example.org",)]
    assert delivered[("ta@example.org",)]["Subject"].endswith("· 提案科(2018-06-15)")
    ta_text, _ = bodies(delivered[("ta@example.org",)])
    assert "5.1" in ta_text and "4.3" not in ta_text


def test_mail_dry_run_prints_the_message_and_sends_nothing(
    db: str, smtp_server: Callable[..., Server], planctl: Planctl
) -> None:
    server = smtp_server()
    result = planctl("mail", "--to", "jj@example.org", "--dry-run", "--subject", "周报",
                     db=db, env=mail_env(server))  # fmt: skip
    assert result.code == 0
    head, _, body = result.out.partition("\n\n")
    assert head.splitlines()[:3] == [
        "Subject: 周报",
        "From: planctl@example.org",
        "To: jj@example.org",
    ]
    digest = planctl("digest", "--format", "text", db=db, env={"COLUMNS": "80"}).out  # mail: 80
    assert body.startswith(digest.rstrip("\n") + "\n\n[另附相同内容的 html 部分,")
    assert server.recorder.delivered == []


def test_mail_failures_are_one_line_and_never_show_the_password(
    db: str, smtp_server: Callable[..., Server], planctl: Planctl
) -> None:
    refusing = smtp_server(Recorder(refuse_recipients=frozenset({"ta@example.org"})))
    some = planctl("mail", "--to", "jj@example.org", "--to", "ta@example.org",
                   db=db, env=mail_env(refusing))  # fmt: skip
    assert some.code == 1
    assert some.err.count("\n") == 1 and "ta@example.org" in some.err
    assert some.err.endswith(";未发出任何邮件\n")
    assert refusing.recorder.delivered == []

    no_tls = smtp_server()
    env = mail_env(no_tls, PLANCTL_SMTP_SECURITY="starttls", PLANCTL_SMTP_USER="planctl",
                   PLANCTL_SMTP_PASSWORD=PASSWORD)  # fmt: skip
    starttls = planctl("mail", "--to", "jj@example.org", db=db, env=env)
    assert starttls.code == 1
    assert starttls.err.startswith("planctl: 邮件:") and starttls.err.count("\n") == 1
    assert "STARTTLS" in starttls.err and PASSWORD not in starttls.err + starttls.out
    assert no_tls.recorder.delivered == [] and no_tls.recorder.logins == []


def test_mail_needs_recipients_and_a_sender(db: str, planctl: Planctl) -> None:
    nobody = planctl("mail", db=db, env=MAIL_ENV)
    assert (nobody.code, nobody.err) == (
        1,
        "planctl: 请至少给出一个 --to 地址(或使用 --per-owner)\n",
    )
    no_sender = planctl("mail", "--to", "jj@example.org", db=db)
    assert no_sender.code == 1
    assert no_sender.err == (
        "planctl: 没有发件人地址:请在配置文件的 [mail] 表中设置 mail_from,或设置 PLANCTL_MAIL_FROM\n"
    )


def test_a_note_with_line_breaks_cannot_add_a_header(
    db: str, smtp_server: Callable[..., Server], planctl: Planctl
) -> None:
    planctl("note", "6.2", "督办\r\nBcc: evil@example.org\r\n\r\n=?UTF-8?Q?=0A?=X: y", db=db)
    planctl("done", "6.2", "--note", "完成\nSubject: spoofed", db=db)
    server = smtp_server()
    result = planctl("mail", "--to", "jj@example.org", "--subject", "周报\r\nBcc: evil@example.org",
                     db=db, env=mail_env(server))  # fmt: skip
    assert result.code == 0, result.err
    [delivery] = server.recorder.delivered
    assert delivery.rcpt_tos == ["jj@example.org"]
    message = parse(delivery.content)
    assert sorted(message.keys()) == sorted(
        ["Subject", "From", "To", "Date", "Message-ID", "MIME-Version", "Content-Type"]
    )
    assert message["Subject"] == "周报 Bcc: evil@example.org"
    text, _ = bodies(message)
    assert re.search(r"  完成\n +Subject: spoofed\n", text)  # the note's second line, in its column


def test_config_path_and_show(tmp_path: Path, planctl: Planctl) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        'store = "postgresql+psycopg://planctl:s3cret@db/plans"\n'
        '[mail]\nsmtp_host = "mail.example.org"\nsmtp_password = "s3cret-pass"\n',
        encoding="utf-8",
    )
    env = {"PLANCTL_CONFIG": str(config), "PLANCTL_SMTP_PORT": "2525"}
    assert planctl("config", "path", env=env).out == f"{config}\n"
    shown = planctl("config", "show", env=env)
    assert "s3cret" not in shown.out
    data = json.loads(shown.out)
    assert data["store"] == "postgresql+psycopg://planctl:********@db/plans"
    assert data["mail"]["smtp_password"] == "********"
    assert (data["mail"]["smtp_host"], data["mail"]["smtp_port"]) == ("mail.example.org", 2525)
    default = planctl("config", "path")
    assert default.out.endswith("/xdg-config/planctl/config.toml\n")


def test_the_config_file_names_the_plan_and_the_store(tmp_path: Path, planctl: Planctl) -> None:
    store = tmp_path / "office.sqlite3"
    config = tmp_path / "config.toml"
    config.write_text(f'store = "{store}"\n', encoding="utf-8")
    env = {"PLANCTL_CONFIG": str(config)}
    assert planctl("done", "6.1", env=env).code == 0
    assert store.exists()
    bad = tmp_path / "bad.toml"
    bad.write_text("store = \n", encoding="utf-8")
    result = planctl("due", env={"PLANCTL_CONFIG": str(bad)})
    assert result.code == 1
    assert result.err.startswith(f"planctl: {bad}:1:")


def test_mail_per_owner_sends_the_tasks_without_a_unit_to_the_office(
    db: str, smtp_server: Callable[..., Server], tmp_path: Path, planctl: Planctl
) -> None:
    """`"*"` under [recipients] is the office: its digest holds the 31 tasks that name no
    unit (the overdue 4.1, 4.2 and Y.8 among them) and no unit's task; no warning."""
    server = smtp_server()
    config = tmp_path / "config.toml"
    config.write_text(
        '[recipients]\n"提案科" = ["ta@example.org"]\n"*" = ["office@example.org"]\n',
        encoding="utf-8",
    )
    result = planctl("mail", "--per-owner", db=db, env=mail_env(server, PLANCTL_CONFIG=str(config)))
    assert (result.code, result.out, result.err) == (0, "", "")
    delivered = {tuple(d.rcpt_tos): parse(d.content) for d in server.recorder.delivered}
    assert sorted(delivered) == [("office@example.org",), ("ta@example.org",)]
    office = delivered[("office@example.org",)]
    assert office["Subject"] == (
        "2018 年区政协常委会工作要点 每周工作简报 · 未明确责任单位(2018-06-15)"
    )
    text, _ = bodies(office)
    ids = {line.split()[0] for line in text.splitlines() if line[:1].isalnum()}
    assert {"4.1", "4.2", "Y.8"} <= ids
    assert not {"5.1", "4.3", "3.2"} & ids  # 提案科's, 宣教科's, 经建科's
