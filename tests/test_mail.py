"""Building the status message, and sending it to a real SMTP server (aiosmtpd) in-process."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import pytest
import trustme

from planctl.cli.config import MailSettings
from planctl.errors import MailError
from planctl.mail import session as mail_session
from planctl.mail.smtp import build_message, send_message
from tests.smtp import PASSWORD, USER, Recorder, Server, bodies, free_port, parse

SENDER = "planctl@example.org"
TEXT = "本周: 已完成 3 项,逾期 2 项\n6.2 重点提案督办: 已完成\n"
HTML = "<p>本周: 已完成 3 项,逾期 2 项</p>\n"
WHEN = datetime(2018, 6, 18, 8, 0, tzinfo=UTC)
HEADERS = ["Subject", "From", "To", "Date", "Message-ID", "MIME-Version", "Content-Type"]


def message(
    subject: str = "planctl 周报: 已完成 3 项,逾期 2 项",
    recipients: tuple[str, ...] = ("jj@example.org",),
    text: str = TEXT,
    html: str = HTML,
    sender: str = SENDER,
) -> EmailMessage:
    return build_message(
        subject=subject, sender=sender, recipients=recipients, text=text, html=html, date=WHEN
    )


@dataclass(frozen=True)
class Tls:
    server: ssl.SSLContext
    client: ssl.SSLContext


@pytest.fixture(scope="module")
def tls() -> Tls:
    """A throwaway CA (trustme) and a certificate for 127.0.0.1 that it signed."""
    ca = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(server)
    client = ssl.create_default_context()
    ca.configure_trust(client)
    return Tls(server, client)


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket], None] | None], int]]:
    """A bare listening socket; with a script, one connection is accepted and scripted."""
    listeners: list[socket.socket] = []
    threads: list[threading.Thread] = []

    def start(script: Callable[[socket.socket], None] | None) -> int:
        listener = socket.create_server(("127.0.0.1", 0))
        listeners.append(listener)
        if script is not None:

            def serve() -> None:
                connection, _ = listener.accept()
                with connection:
                    script(connection)

            thread = threading.Thread(target=serve, daemon=True)
            thread.start()
            threads.append(thread)
        port: int = listener.getsockname()[1]
        return port

    try:
        yield start
    finally:
        for listener in listeners:
            listener.close()
        for thread in threads:
            thread.join(timeout=5)


def failure(sent: EmailMessage, settings: MailSettings, **kwargs: Any) -> str:
    """Send, expecting MailError; its one-line message, checked never to hold the password."""
    with pytest.raises(MailError) as caught:
        send_message(sent, settings, **kwargs)
    text = str(caught.value)
    assert "\n" not in text and "\r" not in text
    assert PASSWORD not in text
    assert caught.value.lines() == [f"planctl: {text}"]
    return text


# -- the message ----------------------------------------------------------------------


def test_the_message_has_exactly_the_headers_set() -> None:
    built = message(recipients=("jj@example.org", "李明 <lm@example.org>"))
    parsed = parse(built.as_bytes())
    assert list(parsed.keys()) == HEADERS
    assert parsed["Subject"] == "planctl 周报: 已完成 3 项,逾期 2 项"
    assert parsed["From"] == SENDER
    assert [a.addr_spec for a in parsed["To"].addresses] == ["jj@example.org", "lm@example.org"]
    assert parsed["To"].addresses[1].display_name == "李明"
    assert parsed["Date"].datetime == WHEN
    assert parsed["Message-ID"].startswith("<") and parsed["Message-ID"].endswith("@example.org>")
    assert bodies(parsed) == (TEXT, HTML)


@pytest.mark.parametrize(
    ("subject", "received"),
    [
        ("周报\r\nBcc: evil@example.org", "周报 Bcc: evil@example.org"),
        ("周报\nBcc: evil@example.org\n\nbody", "周报 Bcc: evil@example.org body"),
        ("a\rb\tc\x00d\u2028e\x85f", "a b c d e f"),
        ("=?UTF-8?Q?=0A?=Bcc: evil@example.org", "=?UTF-8?Q?=0A?=Bcc: evil@example.org"),
        ("x =?utf-8?b?CkJjYzogZXZpbEBleGFtcGxlLm9yZw==?= y", None),
        ("  weekly   status  ", "weekly status"),
        ("周报 " * 40 + "a" * 120, None),  # long and mixed: folded, and not a space lost
    ],
)
def test_no_subject_can_add_a_header(subject: str, received: str | None) -> None:
    parsed = parse(message(subject=subject).as_bytes())
    assert list(parsed.keys()) == HEADERS
    assert parsed["Subject"] == (received or " ".join(subject.split()))
    assert "Bcc" not in parsed and "evil" not in str(parsed["To"])


def test_an_ascii_subject_stays_readable() -> None:
    raw = message(subject="planctl weekly status: 3 done").as_bytes()
    assert b"\nSubject: planctl weekly status: 3 done\n" in b"\n" + raw


def test_a_display_name_cannot_add_a_header() -> None:
    for sender in ("Evil\r\nBcc: x@example.org <a@example.org>", "a@example.org\nBcc: x@x.org"):
        with pytest.raises(MailError, match="control characters"):
            message(sender=sender)
    parsed = parse(message(sender='"=?utf-8?q?=0A?=Bcc: x" <a@example.org>').as_bytes())
    assert list(parsed.keys()) == HEADERS
    assert parsed["From"].addresses[0].display_name == "=?utf-8?q?=0A?=Bcc: x"


@pytest.mark.parametrize(
    "recipient", ["", "jj", "a@b.org, c@d.org", "ü@example.org", "=?utf-8?q?a?=@example.org"]
)
def test_a_bad_recipient_is_refused(recipient: str) -> None:
    with pytest.raises(MailError, match=r"^mail: bad recipient address: .*; nothing sent$"):
        message(recipients=(recipient,))


def test_no_recipients_is_refused() -> None:
    with pytest.raises(MailError) as caught:
        message(recipients=())
    assert str(caught.value) == "mail: no recipients; nothing sent"


# -- sending --------------------------------------------------------------------------


def test_the_message_arrives_once_with_both_parts(smtp_server: Callable[..., Server]) -> None:
    server = smtp_server()
    send_message(message(sender="planctl 周报 <planctl@example.org>"), server.settings())
    [delivery] = server.recorder.delivered
    assert delivery.mail_from == SENDER
    assert delivery.rcpt_tos == ["jj@example.org"]
    parsed = parse(delivery.content)
    assert list(parsed.keys()) == HEADERS
    assert parsed["Subject"] == "planctl 周报: 已完成 3 项,逾期 2 项"
    assert parsed["From"].addresses[0].display_name == "planctl 周报"
    assert parsed["From"].addresses[0].addr_spec == SENDER
    assert parsed["To"] == "jj@example.org"
    assert bodies(parsed) == (TEXT, HTML)


def test_several_recipients_get_one_message(smtp_server: Callable[..., Server]) -> None:
    server = smtp_server()
    to = ("jj@example.org", "ta@example.org", "b@example.org", "JJ@example.org")
    send_message(message(recipients=to), server.settings())
    [delivery] = server.recorder.delivered
    assert delivery.rcpt_tos == ["jj@example.org", "ta@example.org", "b@example.org"]
    assert [a.addr_spec for a in parse(delivery.content)["To"].addresses] == delivery.rcpt_tos


def test_bcc_is_in_the_envelope_only(smtp_server: Callable[..., Server]) -> None:
    server = smtp_server()
    sent = message()
    sent["Bcc"] = "hidden@example.org"
    send_message(sent, server.settings())
    [delivery] = server.recorder.delivered
    assert delivery.rcpt_tos == ["jj@example.org", "hidden@example.org"]
    assert b"hidden" not in delivery.content


def test_long_lines_and_line_breaks_in_bodies_arrive_intact(
    smtp_server: Callable[..., Server],
) -> None:
    server = smtp_server()
    line = "进展" * 1000 + "x" * 3000  # 5,000 characters
    text = f"{line}\n.\n.. a dot line\r\n备注: 第一行\r\n第二行\r第三行\n\nFrom the office\n"
    html = f"<p>{line}</p>\r\n<pre>a\rb</pre>"
    send_message(message(text=text, html=html), server.settings())
    [delivery] = server.recorder.delivered
    assert bodies(parse(delivery.content)) == (text, html)


def test_a_subject_with_line_breaks_cannot_add_a_header_on_the_wire(
    smtp_server: Callable[..., Server],
) -> None:
    server = smtp_server()
    subject = "周报\r\nBcc: evil@example.org\r\n=?UTF-8?Q?=0A?=Cc: evil2@example.org"
    send_message(message(subject=subject), server.settings())
    [delivery] = server.recorder.delivered
    assert delivery.rcpt_tos == ["jj@example.org"]
    parsed = parse(delivery.content)
    assert list(parsed.keys()) == HEADERS
    assert parsed["Subject"] == "周报 Bcc: evil@example.org =?UTF-8?Q?=0A?=Cc: evil2@example.org"


def test_all_recipients_refused_sends_nothing(smtp_server: Callable[..., Server]) -> None:
    to = ("a@example.org", "b@example.org")
    server = smtp_server(Recorder(refuse_recipients=frozenset(to)))
    assert failure(message(recipients=to), server.settings()) == (
        f"mail: 127.0.0.1:{server.port} refused 2 of 2 recipients:"
        " a@example.org (550 5.1.1 no such user), b@example.org (550 5.1.1 no such user);"
        " nothing sent"
    )
    assert server.recorder.delivered == []


def test_one_recipient_refused_sends_nothing_to_anyone(smtp_server: Callable[..., Server]) -> None:
    server = smtp_server(Recorder(refuse_recipients=frozenset({"gone@example.org"})))
    to = ("jj@example.org", "gone@example.org", "ta@example.org")
    assert failure(message(recipients=to), server.settings()) == (
        f"mail: 127.0.0.1:{server.port} refused 1 of 3 recipients:"
        " gone@example.org (550 5.1.1 no such user); nothing sent"
    )
    assert server.recorder.delivered == []


def test_a_line_break_in_a_raw_header_is_never_sent(smtp_server: Callable[..., Server]) -> None:
    server = smtp_server()
    sent = message()
    sent.set_raw("X-Note", "a\nBcc: evil@example.org")  # what build_message never does
    assert failure(sent, server.settings()) == (
        "mail: the X-Note header has a line break; nothing sent"
    )
    assert server.recorder.delivered == []


def test_a_refused_sender(smtp_server: Callable[..., Server]) -> None:
    server = smtp_server(Recorder(refuse_sender=True))
    assert failure(message(), server.settings()) == (
        f"mail: 127.0.0.1:{server.port} refused the sender {SENDER}:"
        " 553 5.7.1 sender not allowed; nothing sent"
    )
    assert server.recorder.delivered == []


def test_a_refused_message(smtp_server: Callable[..., Server]) -> None:
    server = smtp_server(Recorder(refuse_data=True))
    assert failure(message(), server.settings()) == (
        f"mail: 127.0.0.1:{server.port} refused the message: 554 5.6.0 message rejected;"
        " nothing sent"
    )


def test_connection_refused() -> None:
    port = free_port()
    settings = MailSettings(smtp_host="127.0.0.1", smtp_port=port, timeout=5)
    assert failure(message(), settings) == (
        f"mail: cannot connect to 127.0.0.1:{port}: Connection refused; nothing sent"
    )


def test_an_unknown_host() -> None:
    settings = MailSettings(smtp_host="nonexistent.invalid", timeout=5)
    text = failure(message(), settings)
    assert text.startswith("mail: cannot connect to nonexistent.invalid:25: ")
    assert text.endswith("; nothing sent")


def test_a_server_that_never_speaks_times_out(
    raw_server: Callable[[Callable[[socket.socket], None] | None], int],
) -> None:
    port = raw_server(None)  # listens, so the connection opens, but never greets
    settings = MailSettings(smtp_host="127.0.0.1", smtp_port=port, timeout=0.5)
    assert failure(message(), settings) == (
        f"mail: 127.0.0.1:{port} timed out after 0.5 s waiting for the greeting; nothing sent"
    )


def test_a_server_that_hangs_up(
    raw_server: Callable[[Callable[[socket.socket], None] | None], int],
) -> None:
    def greet_then_hang_up(connection: socket.socket) -> None:
        connection.sendall(b"220 mail.test ESMTP\r\n")
        connection.recv(1024)  # the EHLO

    port = raw_server(greet_then_hang_up)
    settings = MailSettings(smtp_host="127.0.0.1", smtp_port=port, timeout=5)
    assert failure(message(), settings) == (
        f"mail: 127.0.0.1:{port} closed the connection during EHLO; nothing sent"
    )


def test_a_server_that_refuses_at_the_greeting(
    raw_server: Callable[[Callable[[socket.socket], None] | None], int],
) -> None:
    def busy(connection: socket.socket) -> None:
        connection.sendall(b"554 5.3.2 too busy\r\n")
        connection.recv(1024)  # the QUIT

    port = raw_server(busy)
    settings = MailSettings(smtp_host="127.0.0.1", smtp_port=port, timeout=5)
    assert failure(message(), settings) == (
        f"mail: 127.0.0.1:{port} refused the connection: 554 5.3.2 too busy; nothing sent"
    )


# -- TLS and login --------------------------------------------------------------------


def test_starttls_required_but_not_offered(smtp_server: Callable[..., Server]) -> None:
    # The server offers AUTH in clear: the password must still not be sent.
    server = smtp_server(authenticate=True, auth_require_tls=False)
    settings = server.settings(smtp_security="starttls", smtp_user=USER, smtp_password=PASSWORD)
    assert failure(message(), settings) == (
        f"mail: 127.0.0.1:{server.port} does not offer STARTTLS; nothing sent"
    )
    assert server.recorder.logins == []
    assert server.recorder.delivered == []


def test_starttls_and_login(smtp_server: Callable[..., Server], tls: Tls) -> None:
    server = smtp_server(
        authenticate=True, tls_context=tls.server, require_starttls=True, auth_require_tls=True
    )
    settings = server.settings(smtp_security="starttls", smtp_user=USER, smtp_password=PASSWORD)
    send_message(message(), settings, tls_context=tls.client)
    assert server.recorder.logins == [(USER.encode(), PASSWORD.encode())]
    [delivery] = server.recorder.delivered
    assert delivery.over_tls
    assert PASSWORD.encode() not in delivery.content
    assert bodies(parse(delivery.content)) == (TEXT, HTML)


def test_a_wrong_password_over_starttls(smtp_server: Callable[..., Server], tls: Tls) -> None:
    server = smtp_server(authenticate=True, tls_context=tls.server, require_starttls=True)
    wrong = PASSWORD + "-wrong"
    settings = server.settings(smtp_security="starttls", smtp_user=USER, smtp_password=wrong)
    text = failure(message(), settings, tls_context=tls.client)
    assert text == (
        f"mail: 127.0.0.1:{server.port} refused the login as {USER}:"
        " 535 5.7.8 Authentication credentials invalid; nothing sent"
    )
    # smtplib tries each mechanism the server offers (PLAIN, then LOGIN) before giving up
    assert set(server.recorder.logins) == {(USER.encode(), wrong.encode())}
    assert server.recorder.delivered == []


def test_an_untrusted_certificate_stops_before_login(
    smtp_server: Callable[..., Server], tls: Tls
) -> None:
    server = smtp_server(authenticate=True, tls_context=tls.server, require_starttls=True)
    settings = server.settings(smtp_security="starttls", smtp_user=USER, smtp_password=PASSWORD)
    text = failure(message(), settings)  # the system's CAs do not know the test CA
    assert text.startswith(f"mail: TLS with 127.0.0.1:{server.port} failed: ")
    assert text.endswith("; nothing sent")
    assert server.recorder.logins == []
    assert server.recorder.delivered == []


def test_implicit_tls(smtp_server: Callable[..., Server], tls: Tls) -> None:
    # aiosmtpd cannot tell that an implicit-TLS connection is encrypted, hence no auth_require_tls;
    # the listener speaks only TLS, so a delivery at all proves the connection was encrypted.
    server = smtp_server(authenticate=True, ssl_context=tls.server, auth_require_tls=False)
    settings = server.settings(smtp_security="ssl", smtp_user=USER, smtp_password=PASSWORD)
    send_message(message(), settings, tls_context=tls.client)
    assert server.recorder.logins == [(USER.encode(), PASSWORD.encode())]
    [delivery] = server.recorder.delivered
    assert bodies(parse(delivery.content)) == (TEXT, HTML)


def test_login_in_clear_only_to_this_machine(
    smtp_server: Callable[..., Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_server(authenticate=True, auth_require_tls=False)
    settings = server.settings(smtp_user=USER, smtp_password=PASSWORD)
    send_message(message(), settings)  # 127.0.0.1: the password never leaves the machine
    assert server.recorder.logins == [(USER.encode(), PASSWORD.encode())]
    assert len(server.recorder.delivered) == 1

    monkeypatch.setattr(
        mail_session, "on_loopback", lambda smtp: False
    )  # as if the server were remote
    assert failure(message(), settings) == (
        f"mail: will not send the password for {USER} to 127.0.0.1:{server.port} unencrypted:"
        " set smtp_security to starttls or ssl; nothing sent"
    )
    assert len(server.recorder.logins) == 1
    assert len(server.recorder.delivered) == 1


def test_a_user_but_no_auth_offered(smtp_server: Callable[..., Server]) -> None:
    server = smtp_server()
    settings = server.settings(smtp_user=USER, smtp_password=PASSWORD)
    assert failure(message(), settings) == (
        f"mail: 127.0.0.1:{server.port} does not offer AUTH (needed to log in as {USER});"
        " nothing sent"
    )
    assert server.recorder.delivered == []


def test_a_user_without_a_password() -> None:
    settings = MailSettings(smtp_host="127.0.0.1", smtp_port=free_port(), smtp_user=USER)
    assert failure(message(), settings) == (
        f"mail: smtp_user {USER} is set but no password"
        " (set PLANCTL_SMTP_PASSWORD or smtp_password); nothing sent"
    )
