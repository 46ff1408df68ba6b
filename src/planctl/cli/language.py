"""Which language a command speaks before it has read its config file and plan.

`--lang` is taken from the arguments before Click parses them (a usage error is already in
the language chosen); the config file's and the plan's language are found only if a message
is wanted before the command reads them (`--help`, a usage error), by reading the config file
and the plan's top-level `language:` line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from planctl import i18n

_LANGUAGE_LINE = re.compile(rb"^language:[ \t]*[\"']?([A-Za-z]{2})[\"']?[ \t]*(?:#.*)?$", re.M)
DEFAULT_PLAN_LANGUAGE = "zh"
"""A plan's language when it names none (plan/model.py)."""


def option_value(args: Sequence[str], name: str) -> str | None:
    """The last value given to an option (`--lang en`, `--lang=en`) before `--`."""
    found = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == name and index + 1 < len(args):
            found = args[index + 1]
        elif arg.startswith(name + "="):
            found = arg[len(name) + 1 :]
    return found


def begin(args: Sequence[str]) -> None:
    """A command starts with these arguments."""
    args = list(args)
    i18n.begin(option_value(args, "--lang"), os.environ, lambda: late_languages(args))


VALUED = frozenset({"--plan", "--db", "--year", "--today", "--lang"})
"""The options of `check` that take a value (the rest of its arguments: its PATH)."""


def _checked_path(args: Sequence[str]) -> str | None:
    """The PATH of `planctl check PATH`: the plan that command reads."""
    if not args or args[0] != "check":
        return None
    rest = list(args[1:])
    while rest:
        arg = rest.pop(0)
        if arg in VALUED:
            rest = rest[1:]
        elif not arg.startswith("-"):
            return arg
    return None


MAKING = frozenset({"import", "new"})
"""The commands that make a plan: their `--year` is the new plan's, and `new --from` names the
plan it reads."""


def late_languages(args: Sequence[str]) -> tuple[str | None, str | None]:
    """The config file's language and the plan's (None where there is none, or it cannot
    be read: the error itself is the command's to report)."""
    from planctl.cli import settings

    config_language = plan_option = None
    try:
        path = settings.config_file(os.environ)
        if path.exists():
            from planctl.cli.config import load_config

            config = load_config(path)
            config_language, plan_option = config.language, config.plan
    except Exception:
        pass
    making = bool(args) and args[0] in MAKING  # their --year is the new plan's
    explicit = (
        _checked_path(args)
        or (option_value(args, "--from") if making else None)
        or option_value(args, "--plan")
        or os.environ.get("PLANCTL_PLAN")
        or plan_option
    )
    year = None if making else option_value(args, "--year")
    try:
        found = settings.find_plan(
            explicit, int(year) if year and year.isdigit() else None, date.today().year, Path.cwd()
        )
        if not found.is_file():  # standard input, a pipe: read once, by the command
            return config_language, None
        with found.open("rb") as file:
            head = file.read(64 * 1024)
    except Exception:
        return config_language, None
    match = _LANGUAGE_LINE.search(head)
    return config_language, match.group(1).decode() if match else DEFAULT_PLAN_LANGUAGE
