"""The imperative shell's plumbing: find and load the plan, open the store, write the view."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from planctl import settings
from planctl.core.events import Event
from planctl.core.state import TaskState, states
from planctl.errors import BadValue
from planctl.plan.cache import cached_plan
from planctl.plan.model import Plan
from planctl.plan.source import plan_digest, read_plan_file
from planctl.render import Format, View, emit
from planctl.store.store import Store, StoreLocation, Transaction, remove_if_empty

if TYPE_CHECKING:
    from planctl.config import Config


@dataclass(frozen=True)
class Loaded:
    """The plan a command works on, the file it came from, and its version (content hash)."""

    plan: Plan
    source: str
    digest: str


def config() -> Config:
    """The config file (PLANCTL_CONFIG, else config.toml in the user config directory)."""
    from planctl.config import load_config

    return load_config(settings.config_file(os.environ))


def configured(key: str) -> str | None:
    """`plan` or `store` from the config file; the file is parsed only if it exists."""
    if not settings.config_file(os.environ).exists():
        return None
    value: str | None = getattr(config(), key)
    return value


def load(plan_option: str | None, year: int | None, today_option: str | None) -> Loaded:
    """Find the plan (PRODUCT.md's order: flag, variable, config file, plans/) and load it."""
    current_year = settings.today(today_option).year
    if plan_option is None and year is None:
        plan_option = configured("plan")
    path = settings.find_plan(plan_option, year, current_year, Path.cwd())
    raw = read_plan_file(path)
    plan = cached_plan(path, raw, settings.plan_cache_dir())
    return Loaded(plan, _relative(path), plan_digest(raw))


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def store_location(db_option: str | None) -> tuple[StoreLocation, bool]:
    """The store to use, and whether it is the default one (whose directory planctl creates)."""
    chosen = db_option or configured("store")
    if chosen:
        return StoreLocation.parse(chosen), False
    return StoreLocation.parse(str(settings.default_store_file())), True


def open_reading(db_option: str | None) -> Store:
    location, _ = store_location(db_option)
    return Store.open_for_reading(location)


@contextmanager
def writing(db_option: str | None) -> Iterator[Transaction]:
    """One write transaction on the store, created if need be.

    A store this command created is removed again if the command fails, so that a failed
    command leaves things exactly as they were (it is only removed while it holds no events).
    """
    location, is_default = store_location(db_option)
    path = location.sqlite_file
    existed = path is None or path.exists()
    try:
        store = Store.open_for_writing(location, create_parent=is_default)
        try:
            with store.transaction() as transaction:
                yield transaction
        finally:
            store.close()
    except BaseException:
        if not existed and path is not None:
            remove_if_empty(path)
        raise


def read_events(db_option: str | None, plan: Plan) -> list[Event]:
    """The plan's events, read without writing anything."""
    store = open_reading(db_option)
    try:
        return store.events(plan.id)
    finally:
        store.close()


def read_states(db_option: str | None, plan: Plan) -> dict[str, TaskState]:
    """Every task's state, read without writing anything."""
    return states(read_events(db_option, plan))


def labels_for(plan: Plan, lang: str | None) -> Mapping[str, str]:
    """The labels in `--lang`, else in the plan's language."""
    from planctl.labels import LANGUAGES, label_lookup

    if lang is not None and lang not in LANGUAGES:
        raise BadValue(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return label_lookup(lang or plan.language)


def digest_view_for(
    plan_option: str | None,
    year: int | None,
    db_option: str | None,
    today_option: str | None,
    lang: str | None,
    days: int,
    owner: str | None,
) -> tuple[View, Mapping[str, str]]:
    """The digest as `digest` prints it and `mail` sends it, and the labels it is in."""
    from planctl.core.progress import assess
    from planctl.core.report import digest
    from planctl.core.schedule import has_owner
    from planctl.views.digest import digest_view

    if days < 1:
        raise BadValue(f"--days must be 1 or more, not {days}")
    day = settings.today(today_option)
    loaded = load(plan_option, year, today_option)
    events = read_events(db_option, loaded.plan)
    rows = [
        row
        for row in assess(loaded.plan, states(events), day).values()
        if has_owner(row.task, owner)
    ]
    labels = labels_for(loaded.plan, lang)
    view = digest_view(loaded.plan, digest(rows, events, day, days), day, days, labels, owner=owner)
    return view, labels


def show(view: View, fmt: Format) -> None:
    """Write a view to stdout: Rich on a terminal, plain text when piped."""
    terminal = sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
    emit(view, fmt, sys.stdout, terminal=terminal)


def say(message: str) -> None:
    """A line for the person at the terminal (confirmations, warnings) on stdout."""
    sys.stdout.write(message + "\n")


def warn(message: str) -> None:
    sys.stderr.write(message + "\n")


def write_file(path: str, data: bytes) -> None:
    """Write a whole file, or say in one line why it could not be written."""
    try:
        Path(path).write_bytes(data)
    except OSError as error:
        raise BadValue(f"cannot write {path}: {error.strerror}") from None
