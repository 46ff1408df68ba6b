"""Where the plan and the store are, and what day it is: flag > PLANCTL_* variable > default.

Typer reads the flags and their `PLANCTL_*` variables; this module turns the raw strings into
values, applies the defaults (platformdirs for the store) and explains any bad value.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import re
import stat
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from planctl.errors import BadValue, PlanNotFound
from planctl.i18n import _
from planctl.plan.source import STDIN
from planctl.rules.calendar import PlanPeriod
from planctl.store.location import check_store_directory

if TYPE_CHECKING:
    from planctl.cli.config import Config
    from planctl.core.lights import Supervision
    from planctl.plan.model import Plan

APP_NAME = "planctl"


def parse_date(value: str, what: str = "date") -> date:
    """A YYYY-MM-DD date, or `BadValue` naming what was expected."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise BadValue(
            _("{what} must be a date as YYYY-MM-DD, not {value}").format(
                what=what, value=repr(value)
            )
        ) from None


EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)
"""The days planctl takes as today: a plan's years are 1900 to 2999 (and date arithmetic near
year 1 or 9999 would overflow)."""


def today(value: str | None) -> date:
    """`--today` / PLANCTL_TODAY if given, else the local date."""
    if not value:
        return date.today()
    day = parse_date(value, "--today / PLANCTL_TODAY")
    if not EARLIEST <= day <= LATEST:
        raise BadValue(
            _("--today / PLANCTL_TODAY must be between {earliest} and {latest}, not {day}").format(
                earliest=EARLIEST, latest=LATEST, day=day
            )
        )
    return day


def login_name() -> str:
    """Who records an event unless `--by` says otherwise."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def find_plan(explicit: str | None, year: int | None, current_year: int, cwd: Path) -> Path:
    """`--plan`/PLANCTL_PLAN (`-`: standard input); else the plan in plans/ here whose
    `year:` is `year` (or, without `--year`, the current year's); else the newest there by
    `year:`. A plan's year is read from its `year:` line, not from its file name."""
    if explicit == str(STDIN):
        return STDIN
    if explicit:
        return Path(explicit).expanduser()
    plans = cwd / "plans"
    by_year = _plans_by_year(plans)
    wanted = year or current_year
    if wanted in by_year:
        return by_year[wanted]
    if year is not None:
        raise PlanNotFound(
            _("no plan for {year} in {plans} (no file there says year: {year}; give --plan PATH)")
            .format(year=year, plans=plans)
        )  # fmt: skip
    if not by_year:
        raise PlanNotFound(
            _("no plan found: give --plan PATH or set PLANCTL_PLAN (looked in {plans})").format(
                plans=plans
            )
        )
    return by_year[max(by_year)]


_YEAR_LINE = re.compile(rb"^year:[ \t]*[\"']?(\d{4})[\"']?[ \t]*(?:#.*)?$", re.M)


def _plans_by_year(plans: Path) -> dict[int, Path]:
    """The plan files in `plans/` by the year their top-level `year:` line gives (a file
    named YEAR.yaml wins a year several files give; files without the line are skipped)."""
    found: dict[int, Path] = {}
    for path in sorted(plans.glob("*.yaml"), key=lambda p: (p.stem.isdigit(), p.name)):
        try:
            with path.open("rb") as file:
                head = file.read(64 * 1024)
        except OSError:
            continue
        match = _YEAR_LINE.search(head)
        if match is not None:
            found[int(match.group(1))] = path
    return found


def default_store_file() -> Path:
    """The SQLite file used when no store is given: in the user data directory, refused
    (`StoreError`) if that directory exists and is not the user's alone (see below)."""
    from platformdirs import user_data_path

    path = user_data_path(APP_NAME) / "planctl.sqlite3"
    check_store_directory(path.parent)
    return path


def config_file(environ: Mapping[str, str]) -> Path:
    """PLANCTL_CONFIG if set, else `config.toml` in the user config directory."""
    explicit = environ.get("PLANCTL_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "config.toml"


def plan_cache_dir() -> Path:
    """Where parsed plans are kept between runs (see `planctl.plan.cache`)."""
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME) / "plans"


def states_cache_dir() -> Path:
    """Where folded task states are kept between runs (see `planctl.cli.state_cache`)."""
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME) / "states"


def labels(lang: str | None, config: Config | None, plan: Plan) -> Mapping[str, str]:
    """The labels in `--lang` (`lang`), else in the config file's language, the environment's
    or the plan's (`planctl.i18n.choose_language`); the plan's own names of its units and
    roles only when the labels are in the plan's language."""
    from planctl.i18n import choose_language
    from planctl.views.labels import LANGUAGES, label_lookup

    if lang is not None and lang not in LANGUAGES:
        wrong = _("--lang must be one of {languages}, not {given}")
        raise BadValue(wrong.format(languages=", ".join(LANGUAGES), given=repr(lang)))
    language = choose_language(
        lang, os.environ, None if config is None else config.language, plan.language
    )
    named = plan.labels
    roles = named.model_dump() if named is not None and language == plan.language else None
    return label_lookup(language, roles)


def relative_name(path: Path) -> str:
    """A plan file as output names it: relative to the current directory if inside it."""
    from planctl.plan.source import STDIN, STDIN_NAME

    if path == STDIN:
        return STDIN_NAME
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def past_hint(period: PlanPeriod, today: date) -> str | None:
    """When the clock's today is after the plan's period, the line that says so and how to
    read the plan as of a day in it (the same day of the year in its last year); else None."""
    if today <= period.end:
        return None
    try:
        then = today.replace(year=period.end.year)
    except ValueError:  # 29 February
        then = date(period.end.year, 2, 28)
    then = min(max(then, period.start), period.end)
    if period.start == date(period.end.year, 1, 1) and period.end == date(period.end.year, 12, 31):
        span = f"year {period.end.year}"
    else:
        span = f"period {period.start}..{period.end}"
    return f"today {today} is after this plan's {span}; --today {then} reads it as of then"


def read_config() -> Config:
    """The config file (PLANCTL_CONFIG, else config.toml in the user config directory); the
    defaults when there is none. A file holding a password that others may read is named on
    stderr: a command reads it once (`Session.config`), so it is named once."""
    from planctl.cli.config import load_config
    from planctl.cli.output import warn

    path = config_file(os.environ)
    loaded = load_config(path)
    if loaded.holds_secret():
        with contextlib.suppress(OSError):
            if path.stat().st_mode & (stat.S_IRGRP | stat.S_IROTH):
                warn(
                    f"warning: {path} holds a password and others may read it; run chmod 600 {path}"
                )
    return loaded


def supervision(config: Config | None, soon: int | None) -> Supervision:
    """The settings of lights and stale tasks: `--soon`, the config file's, the defaults."""
    from dataclasses import replace

    from planctl.core.lights import DEFAULT_SUPERVISION as defaults
    from planctl.core.lights import Supervision

    if config is None:
        return replace(defaults, soon_days=soon) if soon is not None else defaults
    soon = soon if soon is not None else config.soon_days
    return Supervision(
        soon_days=defaults.soon_days if soon is None else soon,
        behind_margin=(
            defaults.behind_margin if config.behind_margin is None else config.behind_margin
        ),
        stale_days=defaults.stale_days if config.stale_days is None else config.stale_days,
    )
