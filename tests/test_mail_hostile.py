"""`planctl mail` against hostile text and hostile servers, through the CLI.

Task titles, the plan title, owner names and notes carry CR/LF, encoded words that decode to
line breaks (`=?UTF-8?Q?=0A?=`), an SMTP end-of-data line and 10,000-character lines: the message
that arrives has exactly the headers planctl set, and its bodies are the digest, intact.
Servers that refuse, stall, drip, vanish or will not do STARTTLS give exit 1 and one line that
says honestly whether anything was sent; the password is never printed nor sent in clear.
"""

from __future__ import annotations

import base64
import contextlib
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from planctl.plan.load import load_plan
from tests.conftest import (
    PLAN_2018,
    REPO,
    TODAY,
    Planctl,
    RecordedStores,
    Result,
    empty_store,
    plain_columns,
    squash,
)
from tests.smtp import PASSWORD, USER, Recorder, Server, bodies, parse

PLANCTL = Path(sys.executable).parent / "planctl"
HEADERS = ["Subject", "From", "To", "Date", "Message-ID", "MIME-Version", "Content-Type"]
TO = "jj@example.org"

PLAN_TITLE = "2018 年工作要点\r\nBcc: evil@example.org\n=?UTF-8?Q?=0A?=X-Injected: yes"
CRLF_TITLE = "对城市精细化管理情况进行视察\r\nBcc: evil@example.org\r\n\r\n伪造的正文"
ENCODED_TITLE = (
    "重点提案督办 =?UTF-8?Q?=0A?=Bcc: evil2@example.org"
    " =?utf-8?b?CkNjOiBldmlsM0BleGFtcGxlLm9yZw==?="
)
LONG_TITLE = "召开区政协常委会" + "长" * 10_000
OWNER = "提案科\r\nBcc: evil4@example.org"
SMUGGLING_NOTE = "第一行\r\nBcc: evil@example.org\r\n.\r\nMAIL FROM:<evil@example.org>\r\nDATA\r\n"
LONG_NOTE = "备注" + "x" * 10_000
BARE_NOTE = "a\rb\nc =?UTF-8?Q?=0D=0A?=Subject: spoofed"


def cleaned(text: str) -> str:
    """A header value as planctl puts it on one line: every run of white space is a space."""
    return " ".join(text.split())


@pytest.fixture
def hostile(tmp_path: Path, recorded_stores: RecordedStores) -> tuple[Path, Path]:
    """The 2018 plan with hostile titles and an owner name, and a store with hostile notes."""
    plan = hostile_plan(tmp_path / "hostile.yaml")
    return plan, Path(recorded_stores.copy(record_hostile_notes, tmp_path / "made.sqlite3"))


def hostile_plan(plan: Path) -> Path:
    data = yaml.safe_load(PLAN_2018.read_text(encoding="utf-8"))
    data["title"] = PLAN_TITLE
    tasks = {task["id"]: task for task in data["tasks"]}
    tasks["6.1"]["title"] = CRLF_TITLE
    tasks["6.2"]["title"] = ENCODED_TITLE
    tasks["6.2"]["owners"] = [OWNER]
    tasks["6.3"]["title"] = LONG_TITLE
    plan.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    loaded = load_plan(plan)
    assert {t.id: t.title for t in loaded.tasks}["6.1"] == CRLF_TITLE
    return plan


def record_hostile_notes(db: Path) -> None:
    plan = hostile_plan(db.with_name("hostile.yaml"))
    empty_store(str(db))
    for args in (
        ["done", "6.1", "--note", SMUGGLING_NOTE, "--on", "2018-06-13"],
        ["done", "6.2", "--note", LONG_NOTE, "--on", "2018-06-14"],
        ["done", "5.1", "--note", BARE_NOTE, "--on", "2018-06-12"],
        ["undo", "6.2"],
        ["done", "6.2", "--note", LONG_NOTE, "--on", "2018-06-14"],
    ):
        Planctl().ok(*args, plan=plan, db=db)


def mail_env(port: int, **extra: str) -> dict[str, str]:
    return {
        "PLANCTL_SMTP_HOST": "127.0.0.1",
        "PLANCTL_SMTP_PORT": str(port),
        "PLANCTL_MAIL_FROM": "planctl@example.org",
        **extra,
    }


def digest_as_printed(plan: Path, db: Path) -> str:
    """`planctl digest` as the installed program prints it (CliRunner turns CR LF into LF), at
    the 80 columns of the mail's text part."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANCTL_")} | {"COLUMNS": "80"}
    printed = subprocess.run(
        [str(PLANCTL), "digest", "--plan", str(plan), "--db", str(db), "--today", TODAY],
        cwd=REPO,
        env=env,
        capture_output=True,
        check=True,
    )
    return printed.stdout.decode("utf-8")


def header_block(raw: bytes) -> list[bytes]:
    return raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")


def assert_only_planctls_headers(raw: bytes) -> None:
    parsed = parse(raw)
    assert list(parsed.keys()) == HEADERS
    names = {line.split(b":", 1)[0] for line in header_block(raw) if not line[:1].isspace()}
    assert names == {name.encode() for name in HEADERS}
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78


# -- hostile text -----------------------------------------------------------------------------


def test_hostile_titles_and_notes_add_no_header_and_arrive_intact(
    hostile: tuple[Path, Path], smtp_server: Callable[..., Server], planctl: Planctl
) -> None:
    plan, db = hostile
    server = smtp_server()
    result = planctl("mail", "--to", TO, db=db, plan=plan, env=mail_env(server.port))
    assert (result.code, result.out, result.err) == (0, "", "")
    [delivery] = server.recorder.delivered
    assert (delivery.mail_from, delivery.rcpt_tos) == ("planctl@example.org", [TO])
    assert_only_planctls_headers(delivery.content)
    message = parse(delivery.content)
    assert message["Subject"] == cleaned(f"{PLAN_TITLE} 每周工作简报({TODAY})")
    assert message["To"] == TO
    text, html = bodies(message)
    assert text == digest_as_printed(plan, db)
    for hostile_text in (
        CRLF_TITLE,
        ENCODED_TITLE,
        LONG_TITLE,
        SMUGGLING_NOTE.rstrip(),
        LONG_NOTE,
        BARE_NOTE,
    ):
        # Wrapped in its column; each line break continues the cell, blank lines dropped.
        assert any(squash(hostile_text) in column for column in plain_columns(text))
    assert "伪造的正文" in html and LONG_TITLE in html and LONG_NOTE in html


NOBODY = '警告:有 30 项任务未写明单位,无人收到;请在 [recipients] 下为办公室设置 "*" = [ADDRESS]\n'
"""Said by `mail --per-owner` without an office key: the plan's tasks without a unit go to nobody."""


def test_a_hostile_owner_name_stays_in_the_subject(
    hostile: tuple[Path, Path], smtp_server: Callable[..., Server], tmp_path: Path, planctl: Planctl
) -> None:
    plan, db = hostile
    config = tmp_path / "config.toml"
    config.write_text(
        '[recipients]\n"提案科\\r\\nBcc: evil4@example.org" = ["ta@example.org"]\n',
        encoding="utf-8",
    )
    server = smtp_server()
    env = mail_env(server.port, PLANCTL_CONFIG=str(config))
    result = planctl("mail", "--per-owner", db=db, plan=plan, env=env)
    assert (result.code, result.out, result.err) == (0, "", NOBODY)
    [delivery] = server.recorder.delivered
    assert delivery.rcpt_tos == ["ta@example.org"]
    assert_only_planctls_headers(delivery.content)
    subject = parse(delivery.content)["Subject"]
    assert subject == cleaned(f"{PLAN_TITLE} 每周工作简报 · {OWNER}({TODAY})")
    text, _ = bodies(parse(delivery.content))
    columns = plain_columns(text)
    assert any(squash(ENCODED_TITLE) in column for column in columns)
    assert not any(squash(CRLF_TITLE) in column for column in columns)  # only that owner's tasks


def test_a_very_long_plan_title_is_folded_not_cut(
    hostile: tuple[Path, Path], smtp_server: Callable[..., Server], tmp_path: Path, planctl: Planctl
) -> None:
    plan, db = hostile
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    data["title"] = "很长的标题" * 2_000
    plan.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    server = smtp_server()
    result = planctl("mail", "--to", TO, db=db, plan=plan, env=mail_env(server.port))
    assert (result.code, result.err) == (0, "")
    [delivery] = server.recorder.delivered
    assert_only_planctls_headers(delivery.content)
    assert parse(delivery.content)["Subject"] == f"{'很长的标题' * 2_000} 每周工作简报({TODAY})"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        (
            "--to",
            "jj@example.org\r\nRCPT TO:<evil@example.org>",
            "planctl: 邮件:收件人地址有误:不是电子邮件地址:"
            "'jj@example.org\\r\\nRCPT TO:<evil@example.org>'(含控制字符);未发出任何邮件",
        ),
        (
            "--to",
            "jj@example.org>\nDATA",
            "planctl: 邮件:收件人地址有误:不是电子邮件地址:'jj@example.org>\\nDATA'(含控制字符);未发出任何邮件",
        ),
    ],
)
def test_a_recipient_with_a_line_break_is_refused(
    hostile: tuple[Path, Path],
    smtp_server: Callable[..., Server],
    option: str,
    value: str,
    message: str,
    planctl: Planctl,
) -> None:
    plan, db = hostile
    server = smtp_server()
    result = planctl("mail", option, value, db=db, plan=plan, env=mail_env(server.port))
    assert (result.code, result.out, result.err) == (1, "", message + "\n")
    assert server.recorder.delivered == []


def test_a_sender_with_a_line_break_is_refused(
    hostile: tuple[Path, Path], smtp_server: Callable[..., Server], planctl: Planctl
) -> None:
    plan, db = hostile
    server = smtp_server()
    env = mail_env(server.port, PLANCTL_MAIL_FROM="planctl@example.org\r\nBcc: evil@example.org")
    result = planctl("mail", "--to", TO, db=db, plan=plan, env=env)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "planctl: PLANCTL_MAIL_FROM='planctl@example.org\\r\\nBcc: evil@example.org':"
        " 不是电子邮件地址:'planctl@example.org\\r\\nBcc: evil@example.org'(含控制字符)\n"
    )
    assert server.recorder.delivered == []


# -- refusing servers -------------------------------------------------------------------------

LOGIN = {"PLANCTL_SMTP_USER": USER, "PLANCTL_SMTP_PASSWORD": PASSWORD}


def failed(result: Result, message: str) -> None:
    """Exit 1, nothing on stdout, exactly `message` on stderr, and no password anywhere."""
    assert (result.code, result.out, result.err) == (1, "", message + "\n")
    assert PASSWORD not in result.out + result.err


@pytest.mark.parametrize(
    ("recorder", "refusal"),
    [
        (Recorder(refuse_sender=True), "拒绝了发件人 planctl@example.org:553 5.7.1 sender not allowed"),
        (Recorder(refuse_recipients=frozenset({"ta@example.org"})),
         "拒绝了 2 个收件人中的 1 个:ta@example.org(550 5.1.1 no such user)"),
        (Recorder(refuse_data=True), "拒收邮件:554 5.6.0 message rejected"),
    ],
    ids=["sender", "one-recipient", "data"],
)  # fmt: skip
def test_a_refusing_server_gets_nothing(
    hostile: tuple[Path, Path],
    smtp_server: Callable[..., Server],
    recorder: Recorder,
    refusal: str,
    planctl: Planctl,
) -> None:
    plan, db = hostile
    server = smtp_server(recorder, authenticate=True, auth_require_tls=False)
    env = mail_env(server.port, **LOGIN)
    result = planctl("mail", "--to", TO, "--to", "ta@example.org", db=db, plan=plan, env=env)
    failed(result, f"planctl: 邮件:127.0.0.1:{server.port} {refusal};未发出任何邮件")
    assert server.recorder.logins == [(USER.encode(), PASSWORD.encode())]  # on loopback only
    assert server.recorder.delivered == []


@pytest.mark.parametrize(
    ("recipients", "refused", "said"),
    [
        (
            '"经建科" = ["jj@example.org"]\n"宣教科" = ["xj@example.org"]',
            "xj@example.org",
            f"{NOBODY}planctl: 邮件:127.0.0.1:{{port}} 拒绝了 1 个收件人中的 1 个:"
            "xj@example.org(550 5.1.1 no such user);未发给宣教科(已发出经建科的周报)",
        ),
        (  # the office's digest, named by its key
            '"*" = ["office@example.org"]\n"经建科" = ["jj@example.org"]',
            "jj@example.org",
            "planctl: 邮件:127.0.0.1:{port} 拒绝了 1 个收件人中的 1 个:jj@example.org(550 5.1.1"
            ' no such user);未发给经建科(已发出办公室("*")的周报)',
        ),
    ],
)
def test_per_owner_says_which_digests_went_out_when_one_fails(
    hostile: tuple[Path, Path],
    smtp_server: Callable[..., Server],
    tmp_path: Path,
    planctl: Planctl,
    recipients: str,
    refused: str,
    said: str,
) -> None:
    plan, db = hostile
    config = tmp_path / "config.toml"
    config.write_text(f"[recipients]\n{recipients}\n", encoding="utf-8")
    server = smtp_server(Recorder(refuse_recipients=frozenset({refused})))
    env = mail_env(server.port, PLANCTL_CONFIG=str(config))
    result = planctl("mail", "--per-owner", db=db, plan=plan, env=env)
    first = recipients.split('"')[3]  # the first key's address got its digest
    assert [d.rcpt_tos for d in server.recorder.delivered] == [[first]]
    failed(result, said.format(port=server.port))


# -- slow, dripping and vanishing servers --------------------------------------------------


@dataclass
class Scripted:
    """A bare TCP server that plays one SMTP conversation, and what the client said to it."""

    port: int
    heard: list[bytes] = field(default_factory=list)


class Conversation:
    """The server side of one connection: read client lines, send replies."""

    def __init__(self, connection: socket.socket, heard: list[bytes], stop: threading.Event):
        self.connection = connection
        self.heard = heard
        self.stop = stop
        self.buffer = b""
        connection.settimeout(30)

    def send(self, data: bytes) -> None:
        self.connection.sendall(data)

    def line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            chunk = self.connection.recv(65536)
            if not chunk:
                raise ConnectionError("the client hung up")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        self.heard.append(line)
        return line

    def until_end_of_data(self) -> bytes:
        while b"\r\n.\r\n" not in self.buffer:
            chunk = self.connection.recv(65536)
            if not chunk:
                raise ConnectionError("the client hung up")
            self.buffer += chunk
        data, self.buffer = self.buffer.split(b"\r\n.\r\n", 1)
        return data

    def hold(self) -> None:
        """Say nothing more until the test ends (the client must give up by itself)."""
        self.stop.wait(60)

    def up_to_data(self) -> None:
        """Greet, and accept EHLO, MAIL, RCPT and DATA."""
        self.send(b"220 mail.test ESMTP\r\n")
        self.line()
        self.send(b"250-mail.test\r\n250 8BITMIME\r\n")
        self.line()
        self.send(b"250 OK\r\n")
        self.line()
        self.send(b"250 OK\r\n")
        self.line()
        self.send(b"354 go ahead\r\n")


Script = Callable[[Conversation], None]


@pytest.fixture
def scripted() -> Iterator[Callable[[Script], Scripted]]:
    """Start scripted servers; each serves one connection; all are stopped when the test ends."""
    stop = threading.Event()
    listeners: list[socket.socket] = []
    threads: list[threading.Thread] = []

    def start(script: Script) -> Scripted:
        listener = socket.create_server(("127.0.0.1", 0))
        listener.settimeout(30)
        listeners.append(listener)
        server = Scripted(listener.getsockname()[1])

        def serve() -> None:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection, contextlib.suppress(OSError):  # the client hung up: its turn
                script(Conversation(connection, server.heard, stop))

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        threads.append(thread)
        return server

    try:
        yield start
    finally:
        stop.set()
        for listener in listeners:
            listener.close()
        for thread in threads:
            thread.join(timeout=10)


@pytest.fixture
def half_second(tmp_path: Path) -> str:
    """A config file that sets the SMTP timeout to 0.5 s (only the file can set it)."""
    config = tmp_path / "timeout.toml"
    config.write_text("[mail]\ntimeout = 0.5\n", encoding="utf-8")
    return str(config)


def stall_after_ehlo(talk: Conversation) -> None:
    talk.send(b"220 mail.test ESMTP\r\n")
    talk.line()
    talk.hold()


def stall_after_data(talk: Conversation) -> None:
    talk.up_to_data()
    talk.until_end_of_data()
    talk.hold()


def vanish_after_data(talk: Conversation) -> None:
    talk.up_to_data()
    talk.until_end_of_data()


def vanish_after_greeting(talk: Conversation) -> None:
    talk.send(b"220 mail.test ESMTP\r\n")


MAY_HAVE = "服务器可能已收下该邮件,也可能没有"


@pytest.mark.parametrize(
    ("script", "outcome"),
    [
        (stall_after_ehlo, "EHLO 时超时(0.5 秒);未发出任何邮件"),
        (stall_after_data, f"等待邮件的答复时超时(0.5 秒);{MAY_HAVE}"),
        (vanish_after_greeting, "EHLO 时关闭了连接;未发出任何邮件"),
        (vanish_after_data, f"等待邮件的答复时关闭了连接;{MAY_HAVE}"),
    ],
    ids=["stall-after-ehlo", "stall-after-data", "vanish-after-greeting", "vanish-after-data"],
)  # fmt: skip
def test_a_slow_or_vanishing_server(
    hostile: tuple[Path, Path],
    scripted: Callable[[Script], Scripted],
    half_second: str,
    script: Script,
    outcome: str,
    planctl: Planctl,
) -> None:
    plan, db = hostile
    server = scripted(script)
    env = mail_env(server.port, PLANCTL_CONFIG=half_second)
    result = planctl("mail", "--to", TO, db=db, plan=plan, env=env)
    failed(result, f"planctl: 邮件:127.0.0.1:{server.port} {outcome}")


def vanish_in_the_middle_of_data(talk: Conversation) -> None:
    talk.up_to_data()
    talk.connection.recv(1024)


def test_a_server_that_vanishes_during_data_never_says_sent(
    hostile: tuple[Path, Path],
    scripted: Callable[[Script], Scripted],
    half_second: str,
    planctl: Planctl,
) -> None:
    """Whether the client is still writing or already waiting when the socket closes, the
    server has no end-of-data mark, so it cannot have taken the message."""
    plan, db = hostile
    server = scripted(vanish_in_the_middle_of_data)
    result = planctl(
        "mail",
        "--to",
        TO,
        db=db,
        plan=plan,
        env=mail_env(server.port, PLANCTL_CONFIG=half_second),
    )
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith(f"planctl: 邮件:127.0.0.1:{server.port} ")
    assert result.err.count("\n") == 1
    assert result.err.endswith((";未发出任何邮件\n", f";{MAY_HAVE}\n"))


def drip(talk: Conversation) -> None:
    """A greeting that never ends: a continuation line well within the timeout, forever."""
    while not talk.stop.wait(0.2):
        talk.send(b"220-mail.test still here\r\n")


def test_a_dripping_server_is_given_up_on(
    hostile: tuple[Path, Path],
    scripted: Callable[[Script], Scripted],
    half_second: str,
    tmp_path: Path,
) -> None:
    plan, db = hostile
    server = scripted(drip)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANCTL_")}
    env.update(mail_env(server.port, PLANCTL_CONFIG=half_second))
    command = [
        str(PLANCTL),
        "mail", "--to", TO, "--plan", str(plan), "--db", str(db), "--today", TODAY,
    ]  # fmt: skip
    try:
        result = subprocess.run(
            command, cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail("planctl mail still waited for the greeting after 60 s (limit: 0.5 s)")
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        f"planctl: 邮件:127.0.0.1:{server.port} 等待问候时超时(0.5 秒);未发出任何邮件\n",
    )


# -- STARTTLS required ------------------------------------------------------------------------

STARTTLS = {"PLANCTL_SMTP_SECURITY": "starttls", **LOGIN}


def offers_starttls(talk: Conversation) -> None:
    talk.send(b"220 mail.test ESMTP\r\n")
    talk.line()
    talk.send(b"250-mail.test\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n")


def refuse_starttls(talk: Conversation) -> None:
    offers_starttls(talk)
    talk.line()
    talk.send(b"454 4.7.0 TLS not available due to temporary reason\r\n")
    talk.line()  # RSET
    talk.send(b"250 OK\r\n")
    talk.line()  # QUIT
    talk.send(b"221 bye\r\n")


def strip_starttls(talk: Conversation) -> None:
    """Says yes to STARTTLS, then goes on in clear (as a downgrading middlebox would)."""
    offers_starttls(talk)
    talk.line()
    talk.send(b"220 go ahead\r\n")
    talk.send(b"250 OK this is not TLS\r\n")
    talk.connection.recv(4096)  # the client's TLS hello
    talk.hold()


def never_heard_the_password(server: Scripted) -> None:
    said = b"\n".join(server.heard)
    assert not any(line.upper().startswith(b"AUTH") for line in server.heard)
    assert PASSWORD.encode() not in said
    assert base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()) not in said


def test_starttls_not_offered(
    hostile: tuple[Path, Path], smtp_server: Callable[..., Server], planctl: Planctl
) -> None:
    plan, db = hostile
    server = smtp_server(authenticate=True, auth_require_tls=False)
    result = planctl("mail", "--to", TO, db=db, plan=plan, env=mail_env(server.port, **STARTTLS))
    failed(result, f"planctl: 邮件:127.0.0.1:{server.port} 不提供 STARTTLS;未发出任何邮件")
    assert server.recorder.logins == [] and server.recorder.delivered == []


def test_starttls_refused(
    hostile: tuple[Path, Path],
    scripted: Callable[[Script], Scripted],
    half_second: str,
    planctl: Planctl,
) -> None:
    plan, db = hostile
    server = scripted(refuse_starttls)
    env = mail_env(server.port, PLANCTL_CONFIG=half_second, **STARTTLS)
    result = planctl("mail", "--to", TO, db=db, plan=plan, env=env)
    failed(
        result,
        f"planctl: 邮件:127.0.0.1:{server.port} 拒绝了 STARTTLS:"
        "454 4.7.0 TLS not available due to temporary reason;未发出任何邮件",
    )
    never_heard_the_password(server)


def test_starttls_stripped(
    hostile: tuple[Path, Path],
    scripted: Callable[[Script], Scripted],
    half_second: str,
    planctl: Planctl,
) -> None:
    plan, db = hostile
    server = scripted(strip_starttls)
    env = mail_env(server.port, PLANCTL_CONFIG=half_second, **STARTTLS)
    result = planctl("mail", "--to", TO, db=db, plan=plan, env=env)
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith(f"planctl: 邮件:与 127.0.0.1:{server.port} 的 TLS 连接失败:")
    assert result.err.endswith(";未发出任何邮件\n") and result.err.count("\n") == 1
    assert PASSWORD not in result.err
    never_heard_the_password(server)


def test_dry_run_never_shows_the_password(
    hostile: tuple[Path, Path], smtp_server: Callable[..., Server], planctl: Planctl
) -> None:
    plan, db = hostile
    server = smtp_server()
    env = mail_env(server.port, **STARTTLS)
    result = planctl("mail", "--to", TO, "--dry-run", db=db, plan=plan, env=env)
    assert (result.code, result.err) == (0, "")
    assert PASSWORD not in result.out
    assert server.recorder.delivered == []
