"""Messages, help and Click's own words in the user's language, through gettext catalogues
(planctl.i18n, planctl.cli.translate, planctl.cli.catalogue; docs/development.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planctl import i18n
from planctl.cli import catalogue
from tests.conftest import REPO, run

ENGLISH_PLAN = REPO / "tests" / "data" / "good" / "parish-council-2019.yaml"

NOTE_HELP_ZH = """\
用法:planctl note [OPTIONS] {TASK} {text}

  为任务记一条备注。

参数:
  TASK <str>  任务编号或任务名称的一部分。  [必需]
  text <str>  备注内容。  [必需]

选项:
  --on <str>     所涉日期,YYYY-MM-DD [默认:今天]。
  --by <str>     完成人 [默认:你的登录名]。
  --plan <str>   计划文件 [默认:plans/<year>.yaml]。  [环境变量:PLANCTL_PLAN]
  --year <int>   使用 plans/<YEAR>.yaml [默认:今年的]。
  --db <str>     存储:SQLite 文件或 SQLAlchemy URL [默认:在用户数据目录中]。  [环境变量:PLANCTL_DB]
  --today <str>  以此日期(YYYY-MM-DD)为今天。  [环境变量:PLANCTL_TODAY]
  -h, --help     显示本帮助并退出。
"""

NOTE_HELP_EN = """\
Usage: planctl note [OPTIONS] {TASK} {text}

  Keep a note with a task.

Arguments:
  TASK <str>  Task ID or part of its title.  [required]
  text <str>  The note.  [required]

Options:
  --on <str>     The day it concerns, YYYY-MM-DD [default: today].
  --by <str>     Who did it [default: your login name].
  --plan <str>   Plan file [default: plans/<year>.yaml].  [env var:
                 PLANCTL_PLAN]
  --year <int>   Use plans/<YEAR>.yaml [default: this year's].
  --db <str>     Store: a SQLite file or a SQLAlchemy URL [default: in the user
                 data directory].  [env var: PLANCTL_DB]
  --today <str>  Take this date (YYYY-MM-DD) as today.  [env var: PLANCTL_TODAY]
  -h, --help     Show this message and exit.
"""


@pytest.mark.parametrize(
    ("option", "environ", "config", "plan", "chosen"),
    [
        ("en", {"PLANCTL_LANG": "zh", "LANG": "zh_CN.UTF-8"}, "zh", "zh", "en"),
        (None, {"PLANCTL_LANG": "en", "LANG": "zh_CN.UTF-8"}, "zh", "zh", "en"),
        (None, {"LANG": "zh_CN.UTF-8"}, "en", "zh", "en"),
        (None, {"LANG": "zh_CN.UTF-8"}, None, "en", "en"),
        (None, {"LANG": "en_US.UTF-8"}, None, "zh", "zh"),
        (None, {"LANG": "zh_CN.UTF-8"}, None, None, "zh"),
        (None, {"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, None, None, "zh"),
        (None, {"LC_MESSAGES": "zh_CN", "LANG": "en_US.UTF-8"}, None, None, "zh"),
        (None, {"LANG": "fr_FR.UTF-8"}, None, None, "en"),
        (None, {"LANG": "C"}, None, None, "en"),
        (None, {}, None, None, "en"),
        (None, {"PLANCTL_LANG": "fr"}, None, "de", "en"),  # one planctl does not speak: passed over
        ("ZH", {}, None, None, "zh"),
    ],
)
def test_the_language_is_chosen_flag_variable_config_plan_locale_english(
    option: str | None, environ: dict[str, str], config: str | None, plan: str | None, chosen: str
) -> None:
    assert i18n.choose_language(option, environ, config, plan) == chosen


def test_the_compiled_catalogues_are_exactly_their_po_files_compiled() -> None:
    for language in i18n.LANGUAGES:
        compiled = catalogue.po_path(language).with_suffix(".mo").read_bytes()
        assert compiled == catalogue.mo_bytes(catalogue.read(language)), (
            f"{language}: planctl.mo is out of date: python -m planctl.cli.catalogue --compile"
        )


def test_help_is_chinese_under_a_chinese_locale_and_english_with_an_english_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no plans/ here: the locale decides
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    zh = run("note", "--help", env={"LANG": "zh_CN.UTF-8", "COLUMNS": "80"})
    assert (zh.code, zh.out, zh.err) == (0, NOTE_HELP_ZH, "")
    en_env = {"LANG": "en_US.UTF-8", "COLUMNS": "80", "PLANCTL_PLAN": str(ENGLISH_PLAN)}
    en = run("note", "--help", env=en_env)
    assert (en.code, en.out, en.err) == (0, NOTE_HELP_EN, "")
    # The plan's language is over the locale's, and --lang over both.
    assert run("note", "--help", env={**en_env, "LANG": "zh_CN.UTF-8"}).out == NOTE_HELP_EN
    assert run("list", "--help", "--lang", "zh", env=en_env).out.startswith("用法:planctl list")
    assert run("note", "--help", env={**en_env, "PLANCTL_LANG": "zh"}).out == NOTE_HELP_ZH


def test_the_whole_app_s_help_is_chinese_with_a_chinese_plan() -> None:
    result = run("--help", env={"COLUMNS": "80"})
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[:3] == [
        "用法:planctl [OPTIONS] COMMAND [ARGS]...",
        "",
        "  跟踪单位的年度工作计划:待办、完成情况和报告。",
    ]
    assert "选项:" in lines and "命令:" in lines
    assert "  -h, --help            显示本帮助并退出。" in lines
    assert "  note      为任务记一条备注。" in lines
    assert not re.search(r"[A-Z][a-z]+ [a-z]+ [a-z]+", result.out.replace("JSON Schema", ""))


def test_click_s_usage_errors_are_in_the_language_chosen() -> None:
    zh = run("done", "--nope")
    assert (zh.code, zh.out) == (2, "")
    assert zh.err == (
        "用法:planctl done [OPTIONS] {TASK}...\n"
        "运行 'planctl done -h' 查看帮助。\n"
        "\n"
        "错误:没有选项:--nope(可能是:--note, --on)\n"
    )
    missing = run("note", "6.2")
    assert missing.err.endswith("错误:缺少参数 'text'。\n")
    en = run("done", "--nope", "--lang", "en")
    assert en.code == 2
    assert en.err == (
        "Usage: planctl done [OPTIONS] {TASK}...\n"
        "Try 'planctl done -h' for help.\n"
        "\n"
        "Error: No such option: --nope (Possible options: --note, --on)\n"
    )
    bad_lang = run("report", "--lang", "fr")
    assert bad_lang.err.endswith("错误:'--lang' 的值无效:'fr' 不是 zh, en 之一\n")
    bad_format = run("list", "--format", "xx", env={"PLANCTL_LANG": "en"})
    assert bad_format.err.endswith(
        "Error: Invalid value for '--format' / '-f': Value error, 'xx' is not one of 'table',"
        " 'text', 'json', 'csv', 'markdown', 'html', 'xlsx', 'pdf'.\n"
    )
    assert run("list", "--format", "xx").err.endswith(
        "错误:'--format' / '-f' 的值无效:'xx' 不是 'table', 'text', 'json', 'csv', 'markdown',"
        " 'html', 'xlsx', 'pdf' 之一。\n"
    )


def test_the_config_file_s_language_is_under_the_variable_and_over_the_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('language = "en"\n', encoding="utf-8")
    monkeypatch.setenv("PLANCTL_CONFIG", str(config))
    assert run("done", "--nope").err.startswith("Usage: planctl done")
    assert run("done", "--nope", env={"PLANCTL_LANG": "zh"}).err.startswith("用法:planctl done")
    config.write_text('language = "fr"\n', encoding="utf-8")
    wrong = run("list")
    assert wrong.code == 1
    assert wrong.err == f"planctl: {config}:1:12: language: 应为 'zh' 或 'en'\n"


ROLE_FIELDS = {"unit", "support_mark"}


def _placeholders(text: str) -> list[str]:
    """The fields a message formats (`{month:02d}` and `{month}` are one: a format is the
    language's own)."""
    return sorted(re.findall(r"\{(\w*)[^{}]*\}", text))


def test_every_message_in_the_code_and_every_help_text_is_in_both_catalogues() -> None:
    messages = catalogue.template()  # Babel's extraction of src/planctl, and the live app's help
    assert len(messages) > 300
    for language in i18n.LANGUAGES:
        held = catalogue.read(language)
        missing = [m.id for m in messages if m.id and held.get(m.id, context=m.context) is None]
        assert missing == [], f"not in {language}: python -m planctl.cli.catalogue"
    zh = catalogue.read("zh")
    untranslated, mismatched = [], []
    for message in zh:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = (
            [message.string] if isinstance(message.string, str) else list(message.string or ())
        )
        if not all(strings):
            untranslated.append(message.id)
        for string in strings:
            given, used = set(_placeholders(ids[-1])), set(_placeholders(string))
            # A label may name the plan's units (planctl.views.labels formats them in), and
            # Chinese says `{tasks}` (the English word, with its plural) as 项.
            if string and (not used <= given | ROLE_FIELDS or given - used - {"tasks"}):
                mismatched.append((message.id, string))
    assert untranslated == []
    assert mismatched == []


def test_plurals_come_from_the_catalogue_s_rule() -> None:
    steps = (
        "{id} {title} is done when all its steps are; {count} step is still open:",
        "{id} {title} is done when all its steps are; {count} steps are still open:",
    )
    assert i18n.counted_in("en", steps, 1).endswith("1 step is still open:".replace("1", "{count}"))
    assert i18n.counted_in("en", steps, 2).endswith("{count} steps are still open:")
    assert i18n.counted_in("zh", steps, 1) == i18n.counted_in("zh", steps, 2)
    more = ("... and {count} more problem", "... and {count} more problems")
    assert [i18n.counted_in("en", more, n).format(count=n) for n in (1, 2)] == [
        "... and 1 more problem",
        "... and 2 more problems",
    ]
    assert i18n.counted_in("zh", more, 1).format(count=1) == "……另有 1 个问题"


def test_labels_are_looked_up_in_the_catalogues_with_their_context() -> None:
    from planctl.views.labels import label_lookup, plural

    zh, en = label_lookup("zh"), label_lookup("en")
    assert (zh["overdue"], zh["overdue_open"], en["overdue"], en["overdue_open"]) == (
        "逾期",
        "逾期未完成",
        "Overdue",
        "Overdue",
    )
    assert (zh["value"], zh["value_col"], zh["tasks"], zh["tasks_axis"]) == (
        "内容",
        "数值",
        "任务",
        "任务数",
    )
    assert (zh["unit_space"], en["unit_space"], zh["html_lang"], en["html_lang"]) == (
        "",
        " ",
        "zh",
        "en",
    )
    assert [plural(en, "task", n) for n in (1, 2)] == ["task", "tasks"]
    assert [plural(zh, "task", n) for n in (1, 2)] == ["项任务", "项任务"]
    assert label_lookup("fr") == en


def test_the_i18n_package_imports_nothing_else_of_planctl() -> None:
    from tests.test_layout import PACKAGE, imports

    found = {name for path in (PACKAGE / "i18n").rglob("*.py") for name in imports(path)}
    assert {name for name in found if not name.startswith("planctl.i18n")} == set()


def test_done_of_no_such_task_on_a_chinese_plan_is_a_chinese_error(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite3"
    env = {"PLANCTL_TODAY": "2018-06-15", "LANG": "en_US.UTF-8"}
    zh = run("done", "nosuch", "--db", str(db), env=env)
    assert (zh.code, zh.out, zh.err) == (
        1,
        "",
        "planctl: cppcc-2018 中没有与 'nosuch' 匹配的任务\n",
    )
    near = run("done", "6.9", "--db", str(db), env=env)
    assert near.err.splitlines()[:2] == [
        "planctl: cppcc-2018 中没有与 '6.9' 匹配的任务",
        "是否要找:",
    ]
    en = run("done", "nosuch", "--db", str(db), env={**env, "PLANCTL_LANG": "en"})
    assert (en.code, en.err) == (1, "planctl: no task matches 'nosuch' in cppcc-2018\n")
    english_plan = ["--plan", str(ENGLISH_PLAN), "--today", "2019-06-15"]
    parish = run("done", "nosuch", "--db", str(db), *english_plan, env={"LANG": "zh_CN.UTF-8"})
    assert (parish.code, parish.err) == (
        1,
        "planctl: no task matches 'nosuch' in ashcombe-pc-2019\n",
    )
    assert not db.exists()  # nothing written
