"""The config file and the mail settings: PLANCTL_* variable > config file > default.

The file is TOML in the user config directory (or wherever PLANCTL_CONFIG points), read with
`tomllib` and validated by Pydantic models that reject unknown keys, so a typo such as
`smtp_prot` is an error rather than a setting silently ignored. Every problem is reported as
`PATH:LINE:COLUMN: message`. `today` is deliberately not a setting: a report that depends on a
file nobody looks at would not be reproducible.
"""

from __future__ import annotations

import email.utils
import errno
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    SecretStr,
    ValidationError,
    model_validator,
)

from planctl.cli.config_problems import (
    decode,
    env_problems,
    key_positions,
    problems,
    toml_problem,
)
from planctl.errors import ConfigError
from planctl.i18n import N_, _
from planctl.store.masking import MASK, mask_url

Security = Literal["none", "starttls", "ssl"]
DEFAULT_PORTS: dict[str, int] = {"none": 25, "starttls": 25, "ssl": 465}

ENV_VARS: dict[str, str] = {
    "smtp_host": "PLANCTL_SMTP_HOST",
    "smtp_port": "PLANCTL_SMTP_PORT",
    "smtp_user": "PLANCTL_SMTP_USER",
    "smtp_password": "PLANCTL_SMTP_PASSWORD",
    "smtp_security": "PLANCTL_SMTP_SECURITY",
    "mail_from": "PLANCTL_MAIL_FROM",
}
"""The mail settings a PLANCTL_* variable can override (cron jobs keep the password there)."""

MAX_CONFIG_BYTES = 1024 * 1024
"""A config file is a few lines an office writes by hand: 1 MiB at most."""

_ADDR_SPEC = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
)


def split_address(value: str) -> tuple[str, str]:
    """`Name <user@host>` or `user@host` as (display name, addr-spec), or `ValueError`.

    Only plain ASCII addr-specs are accepted: they go into SMTP commands as they are, so
    nothing that could end a command line or be read as an RFC 2047 encoded word (`=?`) may
    get through, and non-ASCII mailboxes would need SMTPUTF8, which planctl does not speak.
    """
    if any(not character.isprintable() for character in value):
        raise ValueError(
            _("not an email address: {value} (control characters)").format(value=repr(value))
        )
    found = email.utils.getaddresses([value])
    if len(found) != 1:
        raise ValueError(_("not one email address: {value}").format(value=repr(value)))
    name, addr_spec = found[0]
    if len(addr_spec) > 254 or "=?" in addr_spec or not _ADDR_SPEC.fullmatch(addr_spec):
        raise ValueError(_("not an email address: {value}").format(value=repr(value)))
    return name, addr_spec


def _address(value: str) -> str:
    split_address(value)
    return value


Address = Annotated[str, AfterValidator(_address)]
Host = Annotated[str, Field(min_length=1, max_length=253, pattern=r"^[^\s/@]+$")]
Port = Annotated[int, Field(ge=1, le=65535)]
User = Annotated[str, Field(min_length=1, pattern=r"^[^\x00-\x1f\x7f]+$")]
Timeout = Annotated[float, Field(gt=0, le=3600)]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError(_("is blank: remove the key or give a value"))
    return value


def _some_addresses(addresses: list[str]) -> list[str]:
    if not addresses:
        raise ValueError(_("no addresses: give at least one, or remove the key"))
    return addresses


NonEmpty = Annotated[str, AfterValidator(_not_blank)]
Addresses = Annotated[list[Address], AfterValidator(_some_addresses)]


class MailConfig(BaseModel):
    """The `[mail]` table as written; None means not set, so a variable or default decides."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    smtp_host: Host | None = None
    smtp_port: Port | None = None
    smtp_user: User | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Security | None = None
    mail_from: Address | None = None
    timeout: Timeout | None = None


class MailSettings(BaseModel):
    """Everything `planctl.mail.smtp.send_message` needs, after variable > file > default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    smtp_host: Host = "localhost"
    smtp_port: Port = 25
    smtp_user: User | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Security = "none"
    mail_from: Address | None = None
    timeout: Timeout = 30.0

    @model_validator(mode="before")
    @classmethod
    def _port_follows_security(cls, data: Any) -> Any:
        """No port given: 465 for implicit TLS, else 25."""
        if isinstance(data, dict) and data.get("smtp_port") is None:
            security = data.get("smtp_security") or "none"
            data = {**data, "smtp_port": DEFAULT_PORTS.get(str(security), 25)}
        return data

    def sender(self) -> str:
        """The From address, or `ConfigError` saying how to set one."""
        if self.mail_from is None:
            raise ConfigError(
                _(
                    "no sender address: set mail_from in the [mail] table of the config file"
                    " or PLANCTL_MAIL_FROM"
                )
            )
        return self.mail_from

    def masked(self) -> dict[str, Any]:
        """Plain JSON-able data, the password shown as `********` when set."""
        data = self.model_dump(mode="python")
        data["smtp_password"] = MASK if self.smtp_password is not None else None
        return data


def _number_within(low: int, high: int) -> Any:
    """A number from `low` to `high`, whole or not (TOML's booleans, text and nan are not
    numbers)."""

    def check(value: object) -> int | float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            raise ValueError(
                _("should be a number from {low} to {high}").format(low=low, high=high)
            )
        return value

    return PlainValidator(check)


Weight = Annotated[int | float, _number_within(0, 100)]
Factor = Annotated[int | float, _number_within(0, 10)]


class AssessConfig(BaseModel):
    """The `[assess]` table: the scoring rules of `planctl assess` (docs/assessment.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    on_time: Weight = 100
    """Done by its planned due day."""
    deferred: Weight = 80
    """Done by the day a deferral with a reason moved it to."""
    late: Weight = 60
    """Done later."""
    overdue: Weight = 0
    """Open after its due day."""
    base: Weight = 0
    """Added to each unit's weighted mean score."""
    cap: Annotated[int | float, _number_within(0, 1000)] = 100
    """No unit scores more."""
    lead: Factor = 1
    """The weight of each task a unit leads."""
    support: Factor = 0
    """The weight of each task a unit supports (0: not scored)."""
    early: Weight = 0
    """Added to the score of a task done before the month of its planned due day."""
    return_late: Weight = 0
    """Deducted from a unit for each return (填报) filed after its due day."""
    return_missing: Weight = 0
    """Deducted from a unit for each return not filed by the time the assessment is made."""
    chased: Weight = 0
    """Deducted from a unit for each time it was chased (once chases are recorded)."""


class DocumentsConfig(BaseModel):
    """The `[documents]` table: the sign-off block at the end of html and pdf documents."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    issuer: NonEmpty | None = None
    """The unit that issues them (编制单位)."""
    prepared_by: NonEmpty | None = None
    """Who prepared them (编制人)."""
    approved_by: NonEmpty | None = None
    """Who approves their issue (签发)."""


class Config(BaseModel):
    """The whole config file. Every key is optional; a missing file is all defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    plan: NonEmpty | None = None
    store: NonEmpty | None = None
    soon_days: Annotated[int, Field(ge=0, le=366)] | None = None
    """Due soon (临期): open tasks due within this many days; `--soon` overrides it."""
    behind_margin: Annotated[int, Field(ge=0, le=100)] | None = None
    """Yellow: a reported percent this many points below the elapsed share of the window."""
    stale_days: Annotated[int, Field(ge=1, le=366)] | None = None
    """Stale (未更新): an open task with no event for this many days inside its window."""
    language: Literal["zh", "en"] | None = None
    """Messages, help and labels in this language, over the plan's (`--lang`, PLANCTL_LANG
    override it)."""
    mail: MailConfig = MailConfig()
    assess: AssessConfig = AssessConfig()
    documents: DocumentsConfig = DocumentsConfig()
    recipients: dict[str, Addresses] = Field(default_factory=dict)
    """Addresses per owner (department), for `planctl mail --per-owner`."""

    def holds_secret(self) -> bool:
        """Whether the file holds a password: the SMTP one, or one in the store's URL."""
        return self.mail.smtp_password is not None or (
            self.store is not None and mask_url(self.store) != self.store
        )

    def masked(self, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
        """What `planctl config show` prints: plain JSON-able data, no password in clear.

        The mail section is the effective settings (defaults filled in, and the PLANCTL_*
        variables in `environ` applied when given), since that is what `mail` will use.
        """
        return {
            "plan": self.plan,
            "store": mask_url(self.store) if self.store is not None else None,
            "soon_days": self.soon_days,
            "behind_margin": self.behind_margin,
            "stale_days": self.stale_days,
            "language": self.language,
            "mail": mail_settings(self, environ or {}).masked(),
            "assess": self.assess.model_dump(),
            "documents": self.documents.model_dump(),
            "recipients": {owner: list(addresses) for owner, addresses in self.recipients.items()},
        }


def load_config(path: Path) -> Config:
    """Read and validate the config file; a missing file gives the defaults."""
    name = str(path)
    raw = _read_config_bytes(path)
    if raw is None:
        return Config()
    text = decode(raw, name)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(toml_problem(error, text, name)) from None
    try:
        return Config.model_validate(data)
    except ValidationError as error:
        raise ConfigError("\n".join(problems(error, text, name))) from None


_UNREADABLE = N_("{name}: cannot read config: {reason}")


def _read_config_bytes(path: Path) -> bytes | None:
    """The file's bytes (None when there is none), refusing anything but a regular file of at
    most `MAX_CONFIG_BYTES`: opened without waiting, a FIFO cannot hang every command, and
    /dev/zero or a huge file is never read whole."""
    name = str(path)
    too_big = ConfigError(
        _("{name}: config file must be a regular file of at most 1 MiB").format(name=name)
    )
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ConfigError(
            _(_UNREADABLE).format(name=name, reason=error.strerror or error)
        ) from None
    try:
        with os.fdopen(handle, "rb") as file:
            mode = os.fstat(file.fileno()).st_mode
            if stat.S_ISDIR(mode):
                raise ConfigError(
                    _(_UNREADABLE).format(name=name, reason=os.strerror(errno.EISDIR))
                )
            if not stat.S_ISREG(mode):
                raise too_big
            raw = file.read(MAX_CONFIG_BYTES + 1)
    except OSError as error:
        raise ConfigError(
            _(_UNREADABLE).format(name=name, reason=error.strerror or error)
        ) from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise too_big
    return raw


def key_lines(path: Path) -> dict[tuple[str, ...], int]:
    """The line each key of the config file is written on (none when there is no file)."""
    raw = _read_config_bytes(path)
    if raw is None:
        return {}
    return {key: line for key, (line, _, _) in key_positions(decode(raw, str(path))).items()}


def origins(
    config: Config,
    environ: Mapping[str, str],
    lines: Mapping[tuple[str, ...], int],
    path: Path,
    thresholds: Mapping[str, int],
) -> dict[str, dict[str, Any]]:
    """Each setting's value in effect and where it comes from (`config show`'s `in_effect`):
    `PLANCTL_*` variable > config file (with `at`: PATH:LINE) > default. `thresholds`: the
    supervision settings in effect; the mail password masked."""

    def origin(
        value: Any, in_file: bool, key: tuple[str, ...], variable: str | None = None
    ) -> dict[str, Any]:
        if variable is not None and environ.get(variable):
            return {"value": value, "from": variable}
        if not in_file:
            return {"value": value, "from": "default"}
        at = {"at": f"{path}:{lines[key]}"} if key in lines else {}
        return {"value": value, "from": "config file", **at}

    found: dict[str, dict[str, Any]] = {}
    for name, value in thresholds.items():
        found[name] = origin(value, getattr(config, name) is not None, (name,))
    for name, value in config.assess.model_dump().items():
        in_file = name in config.assess.model_fields_set
        found[f"assess.{name}"] = origin(value, in_file, ("assess", name))
    mail = mail_settings(config, environ).masked()
    for name, value in mail.items():
        in_file = getattr(config.mail, name) is not None
        found[f"mail.{name}"] = origin(value, in_file, ("mail", name), ENV_VARS.get(name))
    return found


def mail_settings(config: Config, environ: Mapping[str, str]) -> MailSettings:
    """The effective mail settings: PLANCTL_* variable > config file > default.

    An empty variable counts as unset, as PLANCTL_TODAY does.
    """
    values: dict[str, Any] = config.mail.model_dump(exclude_none=True)
    from_env: dict[str, str] = {}
    for field, variable in ENV_VARS.items():
        raw = environ.get(variable)
        if raw:
            values[field] = raw
            from_env[field] = variable
    try:
        return MailSettings.model_validate(values)
    except ValidationError as error:
        raise ConfigError("\n".join(env_problems(error, from_env, environ))) from None
