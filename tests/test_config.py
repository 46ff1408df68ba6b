"""The config file and the mail settings: PLANCTL_* variable > config file > default."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from planctl.cli.config import Config, MailSettings, load_config, mail_settings
from planctl.cli.settings import config_file as config_path
from planctl.errors import ConfigError
from tests.conftest import Planctl

FULL = """\
plan = "/srv/plans/2018.yaml"
store = "postgresql+psycopg://planctl:db-s3cret@db/plans"

[mail]
smtp_host = "mail.example.org"
smtp_port = 587
smtp_user = "planctl"
smtp_password = "file-pa55word"
smtp_security = "starttls"
mail_from = "planctl 周报 <planctl@example.org>"
timeout = 12.5

[recipients]
"经建科" = ["jj@example.org"]
"提案科" = ["ta@example.org", "b@example.org"]
"""


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "config.toml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return str(caught.value)


def test_config_path_is_in_the_user_config_directory(isolated: Path) -> None:
    assert config_path({}) == isolated / "xdg-config" / "planctl" / "config.toml"


def test_planctl_config_names_another_file(tmp_path: Path) -> None:
    assert config_path({"PLANCTL_CONFIG": str(tmp_path / "x.toml")}) == tmp_path / "x.toml"
    assert config_path({"PLANCTL_CONFIG": "~/planctl.toml"}) == Path.home() / "planctl.toml"


def test_a_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "absent.toml")
    assert config == Config()
    assert config.plan is None and config.store is None and config.recipients == {}
    assert mail_settings(config, {}) == MailSettings(
        smtp_host="localhost",
        smtp_port=25,
        smtp_user=None,
        smtp_password=None,
        smtp_security="none",
        mail_from=None,
        timeout=30.0,
    )


def test_a_full_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FULL))
    assert config.plan == "/srv/plans/2018.yaml"
    assert config.store == "postgresql+psycopg://planctl:db-s3cret@db/plans"
    assert config.recipients == {
        "经建科": ["jj@example.org"],
        "提案科": ["ta@example.org", "b@example.org"],
    }
    settings = mail_settings(config, {})
    assert settings.smtp_host == "mail.example.org"
    assert settings.smtp_port == 587
    assert settings.smtp_user == "planctl"
    assert settings.smtp_password is not None
    assert settings.smtp_password.get_secret_value() == "file-pa55word"
    assert settings.smtp_security == "starttls"
    assert settings.sender() == "planctl 周报 <planctl@example.org>"
    assert settings.timeout == 12.5


def test_an_empty_file_and_a_bom_are_fine(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "")) == Config()
    assert load_config(write(tmp_path, b'\xef\xbb\xbfplan = "p.yaml"\n')).plan == "p.yaml"


PRECEDENCE = [
    # field, variable, in the file, in the environment, the default, as the env value reads
    ("smtp_host", "PLANCTL_SMTP_HOST", '"file.example.org"', "env.example.org", "localhost"),
    ("smtp_port", "PLANCTL_SMTP_PORT", "2525", "2526", 25),
    ("smtp_user", "PLANCTL_SMTP_USER", '"file-user"', "env-user", None),
    ("smtp_security", "PLANCTL_SMTP_SECURITY", '"starttls"', "ssl", "none"),
    ("mail_from", "PLANCTL_MAIL_FROM", '"file@example.org"', "env@example.org", None),
]


@pytest.mark.parametrize(("field", "variable", "in_file", "in_env", "default"), PRECEDENCE)
def test_variable_beats_file_beats_default(
    tmp_path: Path, field: str, variable: str, in_file: str, in_env: str, default: object
) -> None:
    empty = load_config(tmp_path / "absent.toml")
    configured = load_config(write(tmp_path, f"[mail]\n{field} = {in_file}\n"))
    from_file = in_file.strip('"')
    assert getattr(mail_settings(empty, {}), field) == default
    assert str(getattr(mail_settings(configured, {}), field)) == from_file
    assert str(getattr(mail_settings(configured, {variable: in_env}), field)) == in_env
    assert str(getattr(mail_settings(empty, {variable: in_env}), field)) == in_env
    assert getattr(mail_settings(configured, {variable: ""}), field) != in_env  # empty: unset


def test_password_variable_beats_file(tmp_path: Path) -> None:
    def password(config: Config, environ: dict[str, str]) -> str | None:
        secret = mail_settings(config, environ).smtp_password
        return None if secret is None else secret.get_secret_value()

    empty = Config()
    configured = load_config(write(tmp_path, '[mail]\nsmtp_password = "from-file"\n'))
    assert password(empty, {}) is None
    assert password(configured, {}) == "from-file"
    assert password(configured, {"PLANCTL_SMTP_PASSWORD": "from-env"}) == "from-env"
    assert password(empty, {"PLANCTL_SMTP_PASSWORD": "from-env"}) == "from-env"


def test_the_default_port_follows_the_security(tmp_path: Path) -> None:
    ssl_file = load_config(write(tmp_path, '[mail]\nsmtp_security = "ssl"\n'))
    assert mail_settings(ssl_file, {}).smtp_port == 465
    assert mail_settings(Config(), {"PLANCTL_SMTP_SECURITY": "ssl"}).smtp_port == 465
    assert mail_settings(Config(), {"PLANCTL_SMTP_SECURITY": "starttls"}).smtp_port == 25
    assert mail_settings(ssl_file, {"PLANCTL_SMTP_PORT": "1465"}).smtp_port == 1465


def test_a_toml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, 'plan = "p.yaml"\n[mail]\nsmtp_port = 25 25\n')
    assert error_of(path) == (f"{path}:3:16: Expected newline or end of document after a statement")


def test_a_toml_error_at_the_end_of_the_document(tmp_path: Path) -> None:
    path = write(tmp_path, 'plan = "p.yaml"\nstore = "unterminated')
    assert error_of(path) == f"{path}:2:22: Unterminated string"


def test_an_unknown_key(tmp_path: Path) -> None:
    path = write(tmp_path, '[mail]\nsmtp_host = "mail.example.org"\n  smtp_prot = 587\n')
    assert error_of(path) == f"{path}:3:3: unknown key 'mail.smtp_prot'"


def test_today_is_never_configured(tmp_path: Path) -> None:
    path = write(tmp_path, 'plan = "p.yaml"\ntoday = 2018-06-01\n')
    assert error_of(path) == (
        f"{path}:2:1: unknown key 'today': today is never configured (use --today or PLANCTL_TODAY)"
    )


def test_every_bad_value_on_its_own_line_in_file_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "[recipients]\n"
        '"经建科" = ["jj@example.org", "not an address"]\n'
        '"提案科" = "ta@example.org"\n'
        "[mail]\n"
        "smtp_port = 70000\n"
        'smtp_security = "tls"\n'
        'timeout = "30"\n',
    )
    assert error_of(path).splitlines() == [
        f"{path}:2:9: recipients.经建科[1]: not an email address: 'not an address'",
        f"{path}:3:9: recipients.提案科: should be a list",
        f"{path}:5:13: mail.smtp_port: Input should be less than or equal to 65535",
        f"{path}:6:17: mail.smtp_security: Input should be 'none', 'starttls' or 'ssl'",
        f"{path}:7:11: mail.timeout: Input should be a valid number",
    ]


def test_a_table_that_is_not_a_table(tmp_path: Path) -> None:
    path = write(tmp_path, "mail = 5\n")
    assert error_of(path) == f"{path}:1:8: mail: should be a table"


def test_a_sender_with_a_line_break_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, '[mail]\nmail_from = "a@example.org\\nBcc: x@example.org"\n')
    assert error_of(path) == (
        f"{path}:2:13: mail.mail_from: not an email address:"
        " 'a@example.org\\nBcc: x@example.org' (control characters)"
    )


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, 'plan = "p.yaml"\nstore = "\xb4\xe6.sqlite3"\n'.encode("latin-1"))
    assert error_of(path) == f"{path}:2:10: config file is not UTF-8 (byte 0xb4)"


def test_a_config_file_saved_as_utf16_is_named(tmp_path: Path) -> None:
    """Windows editors offer "Unicode" (UTF-16); the plan loader and this one say so alike."""
    path = write(tmp_path, codecs.BOM_UTF16_LE + 'plan = "p.yaml"\n'.encode("utf-16-le"))
    assert error_of(path) == f"{path}:1:1: config file is UTF-16; save it as UTF-8"


def test_a_directory_is_not_a_config_file(tmp_path: Path) -> None:
    assert error_of(tmp_path) == f"{tmp_path}: cannot read config: Is a directory"


LIMIT_LINE = "config file must be a regular file of at most 1 MiB"


@pytest.mark.parametrize("kind", ["zero", "fifo", "big"])
def test_only_a_regular_file_of_at_most_1_mib_is_a_config_file(
    tmp_path: Path, planctl: Planctl, kind: str
) -> None:
    """/dev/zero ran out of memory, a FIFO hung every command, 200 MiB were read whole."""
    if kind == "zero":
        path = Path("/dev/zero")
    elif kind == "fifo":
        path = tmp_path / "config.toml"
        os.mkfifo(path)  # nobody writes to it: reading it would wait for ever
    else:
        path = tmp_path / "config.toml"
        with path.open("wb") as file:
            file.write(b"# comment\n")
            file.truncate(200 * 1024 * 1024)
    db = tmp_path / "store.sqlite3"
    result = planctl("due", env={"PLANCTL_CONFIG": str(path)}, db=db)
    # before the config file is read, the language is the plan's (zh); in-process, English
    said = f"planctl: {path}:配置文件应为不超过 1 MiB 的普通文件\n"
    assert (result.code, result.out, result.err) == (1, "", said)
    english = planctl("due", env={"PLANCTL_CONFIG": str(path), "PLANCTL_LANG": "en"}, db=db)
    assert (english.code, english.err) == (1, f"planctl: {path}: {LIMIT_LINE}\n")
    assert error_of(path) == f"{path}: {LIMIT_LINE}"
    assert not db.exists()


def test_a_config_file_of_exactly_1_mib_is_read(tmp_path: Path) -> None:
    padding = "# " + "x" * (1024 * 1024 - len("soon_days = 3\n") - 3) + "\n"
    path = write(tmp_path, padding + "soon_days = 3\n")
    assert path.stat().st_size == 1024 * 1024
    assert load_config(path).soon_days == 3
    write(tmp_path, padding + "soon_days = 3\n\n")
    assert error_of(path) == f"{path}: {LIMIT_LINE}"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "PLANCTL_SMTP_PORT",
            "abc",
            "PLANCTL_SMTP_PORT='abc': Input should be a valid integer,"
            " unable to parse string as an integer",
        ),
        (
            "PLANCTL_SMTP_PORT",
            "0",
            "PLANCTL_SMTP_PORT='0': Input should be greater than or equal to 1",
        ),
        (
            "PLANCTL_SMTP_SECURITY",
            "tls",
            "PLANCTL_SMTP_SECURITY='tls': Input should be 'none', 'starttls' or 'ssl'",
        ),
        (
            "PLANCTL_MAIL_FROM",
            "a@x.org, b@x.org",
            "PLANCTL_MAIL_FROM='a@x.org, b@x.org': not one email address: 'a@x.org, b@x.org'",
        ),
        (
            "PLANCTL_SMTP_HOST",
            "mail example",
            "PLANCTL_SMTP_HOST='mail example': String should match pattern '^[^\\s/@]+$'",
        ),
    ],
)
def test_a_bad_variable_is_named(variable: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        mail_settings(Config(), {variable: value})
    assert str(caught.value) == message
    assert caught.value.lines() == [f"planctl: {message}"]


def test_no_sender_says_how_to_set_one() -> None:
    with pytest.raises(ConfigError) as caught:
        mail_settings(Config(), {}).sender()
    assert str(caught.value) == (
        "no sender address: set mail_from in the [mail] table of the config file"
        " or PLANCTL_MAIL_FROM"
    )


def test_shown_config_masks_the_passwords(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FULL))
    shown = config.masked()
    assert shown == {
        "plan": "/srv/plans/2018.yaml",
        "store": "postgresql+psycopg://planctl:********@db/plans",
        "soon_days": None,
        "behind_margin": None,
        "stale_days": None,
        "language": None,
        "mail": {
            "smtp_host": "mail.example.org",
            "smtp_port": 587,
            "smtp_user": "planctl",
            "smtp_password": "********",
            "smtp_security": "starttls",
            "mail_from": "planctl 周报 <planctl@example.org>",
            "timeout": 12.5,
        },
        "assess": {
            "on_time": 100,
            "deferred": 80,
            "late": 60,
            "overdue": 0,
            "base": 0,
            "cap": 100,
            "lead": 1,
            "support": 0,
            "early": 0,
            "return_late": 0,
            "return_missing": 0,
            "chased": 0,
        },
        "documents": {"issuer": None, "prepared_by": None, "approved_by": None},
        "recipients": {
            "经建科": ["jj@example.org"],
            "提案科": ["ta@example.org", "b@example.org"],
        },
    }
    dumped = json.dumps(shown, ensure_ascii=False)
    assert "file-pa55word" not in dumped and "db-s3cret" not in dumped
    with_env = config.masked({"PLANCTL_SMTP_PASSWORD": "env-pa55word", "PLANCTL_SMTP_PORT": "26"})
    assert with_env["mail"]["smtp_port"] == 26
    assert "env-pa55word" not in json.dumps(with_env)


def test_shown_config_without_a_password_says_none() -> None:
    shown = Config().masked()
    assert shown["mail"]["smtp_password"] is None
    assert shown["store"] is None
    assert Config(store="/tmp/plan.sqlite3").masked()["store"] == "/tmp/plan.sqlite3"
    json.dumps(shown)


def test_the_password_is_not_in_the_repr(tmp_path: Path) -> None:
    settings = mail_settings(load_config(write(tmp_path, FULL)), {})
    assert "file-pa55word" not in repr(settings) and "file-pa55word" not in str(settings)
