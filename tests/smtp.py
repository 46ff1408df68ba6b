"""A real SMTP server for the tests (aiosmtpd, in-process), and helpers to read what arrived."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from planctl.cli.config import MailSettings

PASSWORD = "Zq9-unmistakable-pa55w0rd-7Kx"
USER = "planctl"


def parse(raw: bytes) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(parsed, EmailMessage)
    return parsed


def bodies(parsed: EmailMessage) -> tuple[str, str]:
    assert parsed.get_content_type() == "multipart/alternative"
    parts = list(parsed.iter_parts())
    assert [part.get_content_type() for part in parts] == ["text/plain", "text/html"]
    assert [part.get_content_charset() for part in parts] == ["utf-8", "utf-8"]
    text, html = (part.get_content() for part in parts)
    assert isinstance(text, str) and isinstance(html, str)
    return text, html


# -- a real SMTP server ---------------------------------------------------------------


@dataclass
class Delivery:
    mail_from: str | None
    rcpt_tos: list[str]
    content: bytes
    over_tls: bool


@dataclass
class Recorder:
    """An aiosmtpd handler that records what arrives and refuses what it is told to."""

    refuse_recipients: frozenset[str] = frozenset()
    refuse_sender: bool = False
    refuse_data: bool = False
    delivered: list[Delivery] = field(default_factory=list)
    logins: list[tuple[bytes, bytes]] = field(default_factory=list)

    async def handle_MAIL(
        self, server: Any, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.refuse_sender:
            return "553 5.7.1 sender not allowed"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse_recipients:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        if self.refuse_data:
            return "554 5.6.0 message rejected"
        content = envelope.original_content
        assert isinstance(content, bytes)
        self.delivered.append(
            Delivery(envelope.mail_from, list(envelope.rcpt_tos), content, bool(session.ssl))
        )
        return "250 OK"

    def authenticate(
        self, server: Any, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.logins.append((data.login, data.password))
        ok = data.login == USER.encode() and data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd replies 535


@dataclass
class Server:
    recorder: Recorder
    port: int

    def settings(self, **overrides: Any) -> MailSettings:
        values: dict[str, Any] = {"smtp_host": "127.0.0.1", "smtp_port": self.port, "timeout": 5}
        return MailSettings(**{**values, **overrides})


def free_port() -> int:
    """A port nothing listens on (aiosmtpd 1.4 cannot be given port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def smtp_servers() -> Iterator[Callable[..., Server]]:
    """Start aiosmtpd servers on 127.0.0.1; every one is stopped when the test ends."""
    controllers: list[Controller] = []

    def start(
        recorder: Recorder | None = None, *, authenticate: bool = False, **kwargs: Any
    ) -> Server:
        recorder = recorder or Recorder()
        if authenticate:
            kwargs["authenticator"] = recorder.authenticate
        controller = Controller(
            recorder, hostname="127.0.0.1", port=free_port(), server_hostname="mail.test", **kwargs
        )
        controller.start()
        controllers.append(controller)
        return Server(recorder, controller.port)

    try:
        yield start
    finally:
        for controller in controllers:
            controller.stop()
