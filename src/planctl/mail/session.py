"""One SMTP conversation, driven step by step (`Conversation`): what it was doing when it failed
(each stage of the conversation named in its one-line message), one deadline for a whole
reply, and a password sent in clear only to a server on this machine (`on_loopback`).
`planctl.mail.smtp.send_message` opens one per message."""

from __future__ import annotations

import contextlib
import ipaddress
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from planctl.cli.config import MailSettings
from planctl.errors import MailError


@dataclass(frozen=True)
class _Stage:
    """What the conversation was doing, for messages: `timed out {during}`, `{refused}: 550`."""

    during: str
    refused: str
    sent: bool = False  # True once the whole message is with the server


_GREETING = _Stage("waiting for the greeting", "refused the connection")
_EHLO = _Stage("during EHLO", "refused EHLO")
_STARTTLS = _Stage("during STARTTLS", "refused STARTTLS")
_MAIL = _Stage("during MAIL FROM", "refused the sender")
_RCPT = _Stage("during RCPT TO", "refused a recipient")
_DATA = _Stage("during DATA", "refused the message")
_REPLY = _Stage("waiting for the reply to the message", "refused the message", sent=True)


class _ReplyLines:
    """The server's lines, with one deadline for a whole reply.

    smtplib's timeout applies to each read, so a server that keeps sending continuation lines
    (`220-...`) would keep a cron job waiting for ever."""

    def __init__(self, lines: Any, sock: socket.socket, timeout: float) -> None:
        self.lines = lines
        self.sock = sock
        self.deadline = time.monotonic() + timeout

    def readline(self, size: int = -1) -> bytes:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("timed out")
        self.sock.settimeout(remaining)
        line: bytes = self.lines.readline(size)
        return line

    def close(self) -> None:
        self.lines.close()


def _reply_within_timeout(smtp: smtplib.SMTP, read: Callable[[], tuple[int, bytes]]) -> Any:
    if smtp.sock is None:
        return read()
    if smtp.file is None:
        smtp.file = smtp.sock.makefile("rb")
    lines = smtp.file
    smtp.file = _ReplyLines(lines, smtp.sock, smtp.timeout)
    try:
        return read()
    finally:
        if smtp.file is not None:  # smtplib closes (file = None) when a read fails
            smtp.file = lines
        if smtp.sock is not None:
            smtp.sock.settimeout(smtp.timeout)


class _SMTP(smtplib.SMTP):
    def getreply(self) -> tuple[int, bytes]:
        return _reply_within_timeout(self, super().getreply)  # type: ignore[no-any-return]


class _SMTP_SSL(smtplib.SMTP_SSL):
    def getreply(self) -> tuple[int, bytes]:
        return _reply_within_timeout(self, super().getreply)  # type: ignore[no-any-return]


class Conversation:
    """One SMTP conversation, with what it was doing when it failed."""

    def __init__(self, settings: MailSettings, context: ssl.SSLContext) -> None:
        self.settings = settings
        self.context = context
        self.where = f"{settings.smtp_host}:{settings.smtp_port}"
        self.stage = _GREETING
        self.smtp: smtplib.SMTP | None = None

    def deliver(self, sender: str, recipients: Sequence[str], payload: bytes) -> None:
        smtp = self._connect()
        self.stage = _EHLO
        smtp.ehlo_or_helo_if_needed()
        if self.settings.smtp_security == "starttls":
            self._starttls(smtp)
        if self.settings.smtp_user:
            self._login(smtp)
        self.stage = _MAIL
        code, reply = smtp.mail(sender)
        if code != 250:
            self._abort(f"{self.where} refused the sender {sender}: {_reply(code, reply)}")
        self.stage = _RCPT
        refused = []
        for recipient in recipients:
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                refused.append(f"{recipient} ({_reply(code, reply)})")
        if refused:
            self._abort(
                f"{self.where} refused {len(refused)} of {len(recipients)} recipients:"
                f" {', '.join(refused)}"
            )
        self.stage = _DATA
        code, reply = smtp.docmd("DATA")
        if code != 354:
            self._abort(f"{self.where} refused the message: {_reply(code, reply)}")
        smtp.send(payload)
        self.stage = _REPLY
        code, reply = smtp.getreply()
        if code != 250:
            self._abort(f"{self.where} refused the message: {_reply(code, reply)}")
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.quit()  # the message is accepted; a rude goodbye changes nothing

    def _connect(self) -> smtplib.SMTP:
        """Connect and read the greeting (a refusal raises SMTPConnectError). The host goes to
        the constructor, not to `connect()`: TLS checks the certificate against that one."""
        host, port, timeout = (
            self.settings.smtp_host,
            self.settings.smtp_port,
            self.settings.timeout,
        )
        if self.settings.smtp_security == "ssl":
            self.smtp = _SMTP_SSL(host, port, timeout=timeout, context=self.context)
        else:
            self.smtp = _SMTP(host, port, timeout=timeout)
        return self.smtp

    def _starttls(self, smtp: smtplib.SMTP) -> None:
        self.stage = _STARTTLS
        if not smtp.has_extn("starttls"):
            self._abort(f"{self.where} does not offer STARTTLS")
        smtp.starttls(context=self.context)
        self.stage = _EHLO
        smtp.ehlo()

    def _login(self, smtp: smtplib.SMTP) -> None:
        user = self.settings.smtp_user
        assert user is not None and self.settings.smtp_password is not None
        self.stage = _Stage("during login", f"refused the login as {user}")
        if not smtp.has_extn("auth"):
            self._abort(f"{self.where} does not offer AUTH (needed to log in as {user})")
        if self.settings.smtp_security == "none" and not on_loopback(smtp):
            self._abort(
                f"will not send the password for {user} to {self.where} unencrypted:"
                " set smtp_security to starttls or ssl"
            )
        try:
            smtp.login(user, self.settings.smtp_password.get_secret_value())
        except UnicodeEncodeError:
            self._abort("the SMTP user name and password must be ASCII")

    def _abort(self, problem: str) -> None:
        """Say goodbye (RSET, QUIT) so the server drops the transaction, then fail."""
        if self.smtp is not None and self.smtp.sock is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.smtp.rset()
                self.smtp.quit()
        raise MailError(f"mail: {problem}; nothing sent")

    def describe(self, error: Exception) -> str:
        """One line for an exception raised while talking to the server."""
        stage = self.stage
        outcome = (
            "the server may or may not have accepted the message" if stage.sent else "nothing sent"
        )
        if isinstance(error, smtplib.SMTPResponseException):
            problem = f"{self.where} {stage.refused}: {_reply(error.smtp_code, error.smtp_error)}"
        elif isinstance(error, smtplib.SMTPServerDisconnected):
            if isinstance(error.__context__, TimeoutError):
                problem = f"{self.where} timed out after {self.settings.timeout:g} s {stage.during}"
            else:
                problem = f"{self.where} closed the connection {stage.during}"
        elif isinstance(error, ssl.SSLCertVerificationError):
            problem = f"TLS with {self.where} failed: {error.verify_message}"
        elif isinstance(error, ssl.SSLError):
            problem = f"TLS with {self.where} failed: {error.reason or error}"
        elif isinstance(error, smtplib.SMTPException):
            problem = f"{self.where} {stage.during}: {error}"
        elif isinstance(error, OSError) and stage is _GREETING:
            # smtplib reports a dead greeting as SMTPServerDisconnected (above), so an
            # OSError here came from opening the socket: refused, no such host, timed out.
            reason = "timed out" if isinstance(error, TimeoutError) else error.strerror or error
            problem = f"cannot connect to {self.where}: {reason}"
        elif isinstance(error, TimeoutError):
            problem = f"{self.where} timed out after {self.settings.timeout:g} s {stage.during}"
        elif isinstance(error, OSError):
            problem = f"{self.where} {stage.during}: {error.strerror or error}"
        else:
            problem = f"{self.where} {stage.during}: {error}"
        return " ".join(f"mail: {problem}; {outcome}".split())

    def close(self) -> None:
        if self.smtp is not None:
            self.smtp.close()


def on_loopback(smtp: smtplib.SMTP) -> bool:
    """Whether the server is on this machine, judged by the address actually connected to."""
    if smtp.sock is None:
        return False
    try:
        host = str(smtp.sock.getpeername()[0]).partition("%")[0]
        return ipaddress.ip_address(host).is_loopback
    except (OSError, ValueError, IndexError):
        return False


def _reply(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(f"{code} {text}".split())
