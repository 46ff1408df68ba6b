"""Build the weekly status message and send it over SMTP: all of it to everyone, or nothing.

Standard library only. Two choices keep what arrives exactly what was built:

- Subject, From and To are encoded here (RFC 2047 base64 words, folded short) and stored raw,
  instead of being handed to the `email` package's header parser and folder: that parser
  decodes encoded words found in the input, so a subject such as `=?UTF-8?Q?=0A?=Bcc: x` would
  come out as a real line break and a new header, and its folder drops spaces between
  encoded words in long mixed-script subjects.
- Bodies are base64 of their UTF-8 bytes, so long lines and CR/LF in task notes arrive
  byte for byte, and no body line can look like the end of the DATA (SMTP smuggling).

`send_message` drives the SMTP conversation itself rather than calling `sendmail`, so that a
refused recipient stops the whole message (RSET, QUIT) before DATA: nobody gets a copy unless
everybody does.
"""

from __future__ import annotations

import base64
import copy
import re
import ssl
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from planctl.cli.config import MailSettings, split_address
from planctl.errors import MailError
from planctl.i18n import N_, _
from planctl.mail.session import Conversation

ENCODED_WORD_BYTES = 42
"""UTF-8 bytes per encoded word: 68 characters encoded, so `Subject: ` + one fits in 78."""

_PLAIN_NAME = re.compile(r"[A-Za-z0-9 ._-]+")
_WIRE_POLICY = policy.default.clone(linesep="\r\n", refold_source="none")
"""CRLF on the wire, and the raw headers built here are never refolded by the package."""


def clean_header(value: str) -> str:
    """A header value on one line: control characters and every run of white space (CR and
    LF included) become one space, the ends are trimmed, and bidi controls are dropped."""
    from planctl.render.safe import without_bidi

    value = without_bidi(value.encode("utf-8", "replace").decode("utf-8"))
    spaced = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in value)
    return " ".join(spaced.split())


def build_message(
    *,
    subject: str,
    sender: str,
    recipients: Sequence[str],
    text: str,
    html: str,
    date: datetime | None = None,
    cc: Sequence[str] = (),
) -> EmailMessage:
    """One UTF-8 multipart/alternative message (text/plain, then text/html) to all recipients,
    and copied (Cc) to `cc`.

    `sender` and each recipient are `user@host` or `Name <user@host>`; duplicates are sent
    once (an address in both To and Cc: in To only). `date` defaults to now, in local time.
    """
    from_name, from_addr = _parse(sender, "sender")
    to: dict[str, str] = {}
    for recipient in recipients:
        name, addr = _parse(recipient, "recipient")
        to.setdefault(addr.lower(), _mailbox(name, addr))
    if not to:
        raise MailError(_("no recipients"))
    copied: dict[str, str] = {}
    for recipient in cc:
        name, addr = _parse(recipient, "recipient")
        if addr.lower() not in to:
            copied.setdefault(addr.lower(), _mailbox(name, addr))
    message = EmailMessage(policy=policy.default)
    message.set_raw("Subject", _unstructured(clean_header(subject)))
    message.set_raw("From", _mailbox(from_name, from_addr))
    message.set_raw("To", ",\n ".join(to.values()))
    if copied:
        message.set_raw("Cc", ",\n ".join(copied.values()))
    when = datetime.now().astimezone() if date is None else date
    message["Date"] = format_datetime(when if when.tzinfo else when.astimezone())
    message["Message-ID"] = make_msgid(domain=from_addr.rpartition("@")[2])
    message.set_content(_utf8(text), "text", "plain", params={"charset": "utf-8"})
    message.add_alternative(_utf8(html), "text", "html", params={"charset": "utf-8"})
    return message


def send_message(
    message: EmailMessage, settings: MailSettings, *, tls_context: ssl.SSLContext | None = None
) -> None:
    """Send `message` to every address in its To, Cc and Bcc, or raise `MailError` (one line).

    Login happens only when `smtp_user` is set, and the password is never sent in clear: with
    `smtp_security = "none"` it is sent only to a server on this machine (a loopback peer
    address) that offers AUTH, as Go's net/smtp does; anything else is refused before AUTH.
    Bcc is used for the envelope and never transmitted.
    """
    sender, recipients = _envelope(message)
    if settings.smtp_user and settings.smtp_password is None:
        raise MailError(
            _(
                "smtp_user {user} is set but no password"
                " (set PLANCTL_SMTP_PASSWORD or smtp_password)"
            ).format(user=settings.smtp_user)
        )
    secret = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
    session = Conversation(settings, tls_context or ssl.create_default_context())
    try:
        session.deliver(sender, recipients, _wire_bytes(message))
    except MailError as error:
        raise _scrubbed(error, secret) from None
    except (OSError, ValueError) as error:  # smtplib's errors are OSErrors; all become one line
        raise _scrubbed(session.describe(error), secret) from None
    finally:
        session.close()


def _envelope(message: EmailMessage) -> tuple[str, list[str]]:
    """The envelope sender (From) and recipients (To, Cc, Bcc), each address checked."""
    senders = [address.addr_spec for address in _addresses(message, "From")]
    if len(senders) != 1:
        raise MailError(_("the message needs exactly one From address"))
    recipients: dict[str, str] = {}
    for name in ("To", "Cc", "Bcc"):
        for address in _addresses(message, name):
            recipients.setdefault(address.addr_spec.lower(), address.addr_spec)
    if not recipients:
        raise MailError(_("no recipients"))
    for addr in [*senders, *recipients.values()]:
        _parse(addr, "envelope")
    return senders[0], list(recipients.values())


def _addresses(message: EmailMessage, name: str) -> list[Address]:
    found: list[Address] = []
    for header in message.get_all(name, []):
        found.extend(address for address in header.addresses if address.addr_spec)
    return found


def _wire_bytes(message: EmailMessage) -> bytes:
    """The message as DATA: CRLF only, Bcc removed, dot-stuffed, ending with CRLF.CRLF."""
    if "Bcc" in message:
        message = copy.copy(message)
        del message["Bcc"]
    for part in message.walk():
        for name, value in part.raw_items():
            if re.search(r"[\r\n](?![ \t])", value):  # a line that would start a new header
                raise MailError(_("the {name} header has a line break").format(name=name))
    data = message.as_bytes(policy=_WIRE_POLICY)
    if re.search(rb"\r(?!\n)|(?<!\r)\n", data):
        # build_message never makes one; a bare CR or LF is how SMTP smuggling starts
        raise MailError(_("the message has a bare CR or LF"))
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


_BAD_ADDRESS = {
    "sender": N_("bad sender address: {problem}"),
    "recipient": N_("bad recipient address: {problem}"),
    "envelope": N_("bad envelope address: {problem}"),
}


def _parse(value: str, what: str) -> tuple[str, str]:
    """`split_address`, its refusal (already in the language chosen) said as a mail error."""
    try:
        return split_address(value)
    except ValueError as error:
        raise MailError(_(_BAD_ADDRESS[what]).format(problem=error)) from None


def _mailbox(name: str, addr: str) -> str:
    """`addr`, or `"Name" <addr>` / `=?utf-8?b?...?= <addr>` when there is a display name."""
    name = clean_header(name)
    if not name:
        return addr
    if _PLAIN_NAME.fullmatch(name):
        return f'"{name}" <{addr}>'
    return f"{_encoded_words(name)}\n <{addr}>"


def _unstructured(text: str) -> str:
    """Plain ASCII that fits on the Subject line as it is; anything else as encoded words."""
    plain = text.isascii() and text.isprintable() and "=?" not in text
    if plain and len(text) <= 78 - len("Subject: "):
        return text
    return _encoded_words(text) if text else ""


def _encoded_words(text: str) -> str:
    """RFC 2047 base64 words, whole characters each, one per folded line: readers join
    adjacent encoded words without the space between them, so the text comes back exact."""
    chunks: list[bytes] = []
    current = b""
    for character in text:
        encoded = character.encode("utf-8")
        if current and len(current) + len(encoded) > ENCODED_WORD_BYTES:
            chunks.append(current)
            current = b""
        current += encoded
    chunks.append(current)
    words = (f"=?utf-8?b?{base64.b64encode(chunk).decode('ascii')}?=" for chunk in chunks)
    return "\n ".join(words)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "replace")


def _scrubbed(error: MailError, secret: str) -> MailError:
    """Belt and braces: even a server that echoes the password cannot put it in a message."""
    if not secret:
        return error
    return MailError(error.problem.replace(secret, "********"), maybe_sent=error.maybe_sent)
