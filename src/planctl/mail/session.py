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
from typing import Any

from planctl import frozen
from planctl.cli.config import MailSettings
from planctl.errors import MailError
from planctl.i18n import N_, _


@frozen(slots=False)
class _Stage:
    """What the conversation was doing, for messages: `timed out {during}`, `{refused}: 550`.
    Both are marked for the catalogues and said through one message per sentence shape."""

    during: str
    refused: str
    sent: bool = False  # True once the whole message is with the server


_GREETING = _Stage(N_("waiting for the greeting"), N_("refused the connection"))
_EHLO = _Stage(N_("during EHLO"), N_("refused EHLO"))
_STARTTLS = _Stage(N_("during STARTTLS"), N_("refused STARTTLS"))
_MAIL = _Stage(N_("during MAIL FROM"), N_("refused the sender"))
_RCPT = _Stage(N_("during RCPT TO"), N_("refused a recipient"))
_DATA = _Stage(N_("during DATA"), N_("refused the message"))
_REPLY = _Stage(N_("waiting for the reply to the message"), N_("refused the message"), sent=True)
_LOGIN = _Stage(N_("during login"), N_("refused the login as {user}"))


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
            self._abort(
                _("{where} refused the sender {sender}: {reply}").format(
                    where=self.where, sender=sender, reply=_reply(code, reply)
                )
            )
        self.stage = _RCPT
        refused = []
        for recipient in recipients:
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                refused.append(
                    _("{recipient} ({reply})").format(
                        recipient=recipient, reply=_reply(code, reply)
                    )
                )
        if refused:
            self._abort(
                _("{where} refused {count} of {total} recipients: {refused}").format(
                    where=self.where,
                    count=len(refused),
                    total=len(recipients),
                    refused=_(", ").join(refused),
                )
            )
        self.stage = _DATA
        code, reply = smtp.docmd("DATA")
        if code != 354:
            self._abort(self._refused_message(code, reply))
        smtp.send(payload)
        self.stage = _REPLY
        code, reply = smtp.getreply()
        if code != 250:
            self._abort(self._refused_message(code, reply))
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
            self._abort(_("{where} does not offer STARTTLS").format(where=self.where))
        smtp.starttls(context=self.context)
        self.stage = _EHLO
        smtp.ehlo()

    def _login(self, smtp: smtplib.SMTP) -> None:
        user = self.settings.smtp_user
        assert user is not None and self.settings.smtp_password is not None
        self.stage = _LOGIN
        if not smtp.has_extn("auth"):
            self._abort(
                _("{where} does not offer AUTH (needed to log in as {user})").format(
                    where=self.where, user=user
                )
            )
        if self.settings.smtp_security == "none" and not on_loopback(smtp):
            self._abort(
                _(
                    "will not send the password for {user} to {where} unencrypted:"
                    " set smtp_security to starttls or ssl"
                ).format(user=user, where=self.where)
            )
        try:
            smtp.login(user, self.settings.smtp_password.get_secret_value())
        except UnicodeEncodeError:
            self._abort(_("the SMTP user name and password must be ASCII"))

    def _refused_message(self, code: int, reply: bytes | str) -> str:
        return _("{where} refused the message: {reply}").format(
            where=self.where, reply=_reply(code, reply)
        )

    def _abort(self, problem: str) -> None:
        """Say goodbye (RSET, QUIT) so the server drops the transaction, then fail."""
        if self.smtp is not None and self.smtp.sock is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.smtp.rset()
                self.smtp.quit()
        raise MailError(problem)

    def describe(self, error: Exception) -> MailError:
        """The one-line error for an exception raised while talking to the server: what the
        conversation was doing (its stage's words, in the language chosen), the server's or
        the system's own words quoted as they came."""
        stage = self.stage
        during = _(stage.during)
        timed_out = _("{where} timed out after {seconds} s {during}")
        if isinstance(error, smtplib.SMTPResponseException):
            problem = _("{where} {refused}: {reply}").format(
                where=self.where,
                refused=_(stage.refused).format(user=self.settings.smtp_user),
                reply=_reply(error.smtp_code, error.smtp_error),
            )
        elif isinstance(error, smtplib.SMTPServerDisconnected):
            if isinstance(error.__context__, TimeoutError):
                problem = timed_out.format(
                    where=self.where, seconds=f"{self.settings.timeout:g}", during=during
                )
            else:
                problem = _("{where} closed the connection {during}").format(
                    where=self.where, during=during
                )
        elif isinstance(error, ssl.SSLCertVerificationError):
            problem = _("TLS with {where} failed: {reason}").format(
                where=self.where, reason=error.verify_message
            )
        elif isinstance(error, ssl.SSLError):
            problem = _("TLS with {where} failed: {reason}").format(
                where=self.where, reason=error.reason or error
            )
        elif isinstance(error, smtplib.SMTPException):
            problem = _("{where} {during}: {reason}").format(
                where=self.where, during=during, reason=error
            )
        elif isinstance(error, TimeoutError) and stage is _GREETING:
            # smtplib reports a dead greeting as SMTPServerDisconnected (above), so an
            # OSError here came from opening the socket: refused, no such host, timed out.
            problem = _("cannot connect to {where}: timed out").format(where=self.where)
        elif isinstance(error, OSError) and stage is _GREETING:
            problem = _("cannot connect to {where}: {reason}").format(
                where=self.where, reason=error.strerror or error
            )
        elif isinstance(error, TimeoutError):
            problem = timed_out.format(
                where=self.where, seconds=f"{self.settings.timeout:g}", during=during
            )
        else:
            reason = (error.strerror if isinstance(error, OSError) else None) or error
            problem = _("{where} {during}: {reason}").format(
                where=self.where, during=during, reason=reason
            )
        return MailError(" ".join(problem.split()), maybe_sent=stage.sent)

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
