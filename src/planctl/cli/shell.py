"""The imperative shell's plumbing: find and load the plan, open the store, write the view."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from planctl import settings
from planctl.core.state import TaskState, states
from planctl.errors import BadValue
from planctl.plan.load import parse_plan, plan_digest, read_plan_file
from planctl.plan.model import Plan
from planctl.render import Format, View, emit
from planctl.store.store import Store, StoreLocation


@dataclass(frozen=True)
class Loaded:
    """The plan a command works on, the file it came from, and its version (content hash)."""

    plan: Plan
    source: str
    digest: str


def load(plan_option: str | None, year: int | None, today_option: str | None) -> Loaded:
    """Find the plan (PRODUCT.md's order) and load it."""
    current_year = settings.today(today_option).year
    path = settings.find_plan(plan_option, year, current_year, Path.cwd())
    raw = read_plan_file(path)
    return Loaded(parse_plan(raw, str(path)), _relative(path), plan_digest(raw))


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def store_location(db_option: str | None) -> tuple[StoreLocation, bool]:
    """The store to use, and whether it is the default one (whose directory planctl creates)."""
    if db_option:
        return StoreLocation.parse(db_option), False
    return StoreLocation.parse(str(settings.default_store_file())), True


def open_reading(db_option: str | None) -> Store:
    location, _ = store_location(db_option)
    return Store.open_for_reading(location)


def open_writing(db_option: str | None) -> Store:
    location, is_default = store_location(db_option)
    return Store.open_for_writing(location, create_parent=is_default)


def read_states(db_option: str | None, plan: Plan) -> dict[str, TaskState]:
    """Every task's state, read without writing anything."""
    store = open_reading(db_option)
    try:
        return states(store.events(plan.id))
    finally:
        store.close()


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
