"""One command's world in one object: its plan, today, store, labels, events and rows.

A command builds a `Session` from its options; each part is resolved on first use and kept, so
that the plan is loaded once, the store read once and the tasks assessed once per command,
whatever the command goes on to show. The core never reaches back up here: the session hands it
the plan, the events and today, and, for recording commands, who records, when, and the IDs of
the new events (`stamp`).
"""

from __future__ import annotations

import contextlib
import os
import stat
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from planctl import i18n
from planctl.cli import settings
from planctl.cli.output import warn
from planctl.core.events import Event, Stamp
from planctl.core.lights import DEFAULT_SUPERVISION, Supervision
from planctl.core.progress import TaskRow, assess
from planctl.core.state import TaskState, events_as_of, fold, states
from planctl.errors import BadValue, NoStore
from planctl.plan.model import Plan, Task
from planctl.rules.calendar import PlanPeriod, YearMonth, resolve_month
from planctl.rules.windows import plan_period

Records = Literal["required", "noted", "optional"]

if TYPE_CHECKING:
    from planctl.cli.config import Config
    from planctl.cli.outfile import ReadFile
    from planctl.core.schedule import Selection
    from planctl.store.location import StoreLocation
    from planctl.store.reading import ReadStore
    from planctl.store.store import Transaction


@dataclass(frozen=True)
class Loaded:
    """The plan a command works on, the file it came from, and its version (content hash)."""

    plan: Plan
    source: str
    digest: str
    path: Path | None = None


def config() -> Config:
    """The config file (PLANCTL_CONFIG, else config.toml in the user config directory); the
    defaults when there is none. A file holding a password that others may read is named on
    stderr: a command reads it once (`Session.config`), so it is named once."""
    from planctl.cli.config import load_config

    path = settings.config_file(os.environ)
    loaded = load_config(path)
    if loaded.holds_secret():
        with contextlib.suppress(OSError):
            if path.stat().st_mode & (stat.S_IRGRP | stat.S_IROTH):
                warn(
                    f"warning: {path} holds a password and others may read it; run chmod 600 {path}"
                )
    return loaded


class Session:
    """What one command works with, resolved from its options once.

    `plan`, `db` and `today` are the options as given (Typer has already applied their
    PLANCTL_* variables); the config file and the defaults come in here."""

    def __init__(
        self,
        *,
        plan: str | None = None,
        year: int | None = None,
        db: str | None = None,
        today: str | None = None,
        lang: str | None = None,
        records: Records = "noted",
        soon: int | None = None,
        config_file: Config | None = None,
        hint_past: bool = True,
    ) -> None:
        """`records`: what a command reading a store that is not there does, when it is the
        default store of a new user (a store that was named is always an error): "required"
        for a command that reports on what was recorded (report, digest, mail: a report of
        nothing is almost always a report of the wrong store), "noted" to go on with a note on
        stderr, "optional" to go on quietly. `soon`: `--soon`, over the config file's
        `soon_days`. `config_file`: the config file when the command has read it already.
        `hint_past`: say on stderr when the clock's today is after the plan's period (not
        under cron's `mail`, which prints nothing on success)."""
        self._hint_past = hint_past
        self._records = records
        self._soon = soon
        if config_file is not None:
            self.__dict__["config"] = config_file  # what `config` would read again
        self._plan_option = plan
        self._year = year
        self._db_option = db
        self._today_option = today
        self._lang = lang

    @cached_property
    def config(self) -> Config | None:
        """The config file, read once per command; None when there is none."""
        if not settings.config_file(os.environ).exists():
            i18n.use_config(None)
            return None
        loaded = config()
        i18n.use_config(loaded.language)
        return loaded

    def files_read(self) -> list[ReadFile]:
        """The files this command has read (the config file, the plan, a SQLite store and its
        -wal/-journal/-shm; the store also when it did not read it): what no output of it may
        overwrite."""
        from planctl.cli.outfile import SQLITE_COMPANIONS, ReadFile

        found: list[ReadFile] = []
        config_path = settings.config_file(os.environ)
        if config_path.exists():
            found.append(ReadFile("the config file", config_path))
        loaded = self.__dict__.get("loaded")
        if loaded is not None and loaded.path is not None:
            from planctl.plan.source import STDIN

            if loaded.path != STDIN:
                found.append(ReadFile("the plan", loaded.path))
        store_file = self.location.sqlite_file  # even where this command did not read it
        if store_file is not None:
            found.append(ReadFile("the store", store_file, SQLITE_COMPANIONS))
        return found

    # The plan, the day and the language.

    @cached_property
    def today(self) -> date:
        return settings.today(self._today_option)

    @cached_property
    def loaded(self) -> Loaded:
        """The plan, found in PRODUCT.md's order: flag, variable, config file, plans/."""
        from planctl.plan.cache import cached_plan
        from planctl.plan.source import plan_digest, read_plan_file

        option = self._plan_option
        if option is None and self._year is None:
            option = None if self.config is None else self.config.plan
        path = settings.find_plan(option, self._year, self.today.year, Path.cwd())
        raw = read_plan_file(path)
        plan = cached_plan(path, raw, settings.plan_cache_dir())
        self.config  # noqa: B018 - read first: its language is over the plan's (planctl.i18n)
        i18n.use_plan(plan.language)
        if self._hint_past and not self._today_option:
            hint = past_hint(plan_period(plan), self.today)
            if hint:
                warn(hint)
        return Loaded(plan, _relative(path), plan_digest(raw), path)

    @property
    def plan(self) -> Plan:
        return self.loaded.plan

    @property
    def source(self) -> str:
        """The plan file as output names it (relative to the current directory if inside)."""
        return self.loaded.source

    @cached_property
    def period(self) -> PlanPeriod:
        """The plan's period: its `period`, or its calendar year. A `--today` given outside it
        is said once on stderr (it is allowed: the year-end report is run in January)."""
        period = plan_period(self.plan)
        if self._today_option and self.today not in period:
            warn(
                f"planctl: note: today ({self.today}) is outside the plan's period"
                f" {period.start}..{period.end}"
            )
        return period

    def month(self, value: str | None) -> YearMonth:
        """The month `--month` names in the plan's period (`6` where the period holds one
        June, `"2019-06"` always); without one, today's month."""
        if value is None:
            return (self.today.year, self.today.month)
        return resolve_month(value.strip(), self.period)

    @cached_property
    def labels(self) -> Mapping[str, str]:
        """The labels in `--lang`, else in the plan's language."""
        from planctl.views.labels import LANGUAGES, label_lookup

        if self._lang is not None and self._lang not in LANGUAGES:
            raise BadValue(f"--lang must be one of {', '.join(LANGUAGES)}, not {self._lang!r}")
        config = self.config
        language = i18n.choose_language(
            self._lang, os.environ, None if config is None else config.language, self.plan.language
        )
        named = self.plan.labels
        # The plan names its units and roles in its own language only.
        roles = named.model_dump() if named is not None and language == self.plan.language else None
        return label_lookup(language, roles)

    def task(self, reference: str) -> Task:
        """The one task a reference names (see `planctl.plan.refs`)."""
        from planctl.plan.refs import resolve_task

        return resolve_task(self.plan, reference)

    def tasks(self, references: list[str]) -> list[Task]:
        """Each reference resolved, in order, without repeats."""
        from planctl.plan.refs import resolve_tasks

        return resolve_tasks(self.plan, references)

    def owner(self, reference: str | None) -> str | None:
        """The unit `--owner` names, as the plan spells it (None: every unit)."""
        from planctl.plan.refs import resolve_owner

        return None if reference is None else resolve_owner(self.plan, reference)

    def selection(
        self, owner: str | None, role: str | None = None, leader: str | None = None
    ) -> Selection:
        """The tasks `--owner`, `--role` and `--leader` choose, each name as the plan spells
        it; an unknown unit or leader is an error listing the plan's."""
        from planctl.core.schedule import ROLES, Selection
        from planctl.plan.refs import resolve_leader

        if role is not None and owner is None:
            raise BadValue("--role goes with --owner: the unit whose role it is")
        if role is not None and role not in ROLES:
            raise BadValue(f"--role must be lead or support, not {role!r}")
        return Selection(
            owner=self.owner(owner),
            role="lead" if role == "lead" else "support" if role == "support" else None,
            leader=None if leader is None else resolve_leader(self.plan, leader),
        )

    # The store.

    @cached_property
    def _location(self) -> tuple[StoreLocation, bool]:
        from planctl.store.location import StoreLocation

        if self._db_option is not None and not self._db_option.strip():
            raise BadValue("--db is blank: give a store file or a database URL")
        chosen = self._db_option or (None if self.config is None else self.config.store)
        if chosen:
            return StoreLocation.parse(chosen), False
        return StoreLocation.parse(str(settings.default_store_file())), True

    @property
    def location(self) -> StoreLocation:
        """The store: `--db`/PLANCTL_DB, else the config file's, else the default file."""
        return self._location[0]

    @contextmanager
    def reading(self) -> Iterator[ReadStore]:
        """The store, opened so that nothing can be written (a SQLite store at the current
        schema without SQLAlchemy: see `planctl.store.reading`).

        A store file that is not there is an error when it was named (`--db`, PLANCTL_DB, the
        config file) or when the command reports on what was recorded; the default store of a
        new user reads as empty, with a note on stderr."""
        from planctl.store.reading import open_for_reading

        location, is_default = self._location
        path = location.sqlite_file
        try:
            if path is not None and not path.exists():
                raise NoStore(location.display())
            store = open_for_reading(location)
        except NoStore:
            if not is_default or self._records == "required":
                raise
            if self._records == "noted":
                warn(f"planctl: nothing recorded yet (no store at {path})")
            from planctl.store.sqlite_read import SqliteReader

            store = SqliteReader(location, None)  # the default store of a new user: empty
        with store:
            yield store

    def init_store(self) -> str | None:
        """Create the store, or upgrade it to this planctl's schema; returns the schema
        revision it had before (None: it was not there), and does nothing to a current one."""
        from planctl.store.revision import SCHEMA_REVISION
        from planctl.store.store import Store

        location, is_default = self._location
        with Store.open_to_inspect(location) as store:
            before = store.revision()
        if before != SCHEMA_REVISION:
            Store.open_for_writing(location, create_parent=is_default).close()
        return before

    @contextmanager
    def writing(self) -> Iterator[Transaction]:
        """One write transaction on the store, created if need be.

        A store this command created is removed again if the command fails, so that a failed
        command leaves things as they were: only while it holds no events and no other
        process has it open (see `remove_if_empty`); otherwise it stays, whole and empty."""
        from planctl.store.store import Store, remove_if_empty

        location, is_default = self._location
        store = Store.open_for_writing(location, create_parent=is_default)
        try:
            with store, store.transaction() as transaction:
                yield transaction
        except BaseException:
            if store.created is not None and location.sqlite_file is not None:
                remove_if_empty(location.sqlite_file, store.created)
            raise

    # What has been recorded, and where each task stands.

    @cached_property
    def events(self) -> list[Event]:
        """The plan's events, in recorded order, read once, each counted for the task it is
        for now (`rename` events applied). Events of a task the plan no longer has are named
        once on stderr: read as a task never started, a renamed task's history would vanish
        without a word."""
        from planctl.core.renames import apply_renames
        from planctl.core.revisions import orphaned

        with self.reading() as store:
            events = apply_renames(store.events(self.plan.id))
        for task_id, count in orphaned(self.plan, events).items():
            counted = "1 event is" if count == 1 else f"{count} events are"
            warn(
                f"planctl: warning: {counted} for {task_id}, no longer in the plan (renamed?"
                f" `planctl store rename-task {task_id} NEW` moves them)"
            )
        return events

    @cached_property
    def states(self) -> dict[str, TaskState]:
        """Each task's state at the end of today: work dated later does not count. Folded one
        task at a time from the store, unless the plan's whole log was read already (a command
        that needs `events` reads them first): a plan of 20,000 tasks and 500,000 events is
        never all in memory for `due`, `list` or `show`."""
        if "events" in self.__dict__:
            return states(self.events, as_of=self.today)
        today = self.today

        def state(events: list[Event]) -> tuple[TaskState | None]:
            counted = events_as_of(events, today)
            return (fold(counted) if counted else None,)

        with self.reading() as store:
            folded = store.per_task(self.plan.id, state)
        known = {task.id for task in self.plan.tasks}
        if any(task_id not in known for task_id in folded):
            # Events of a task the plan no longer has: a renamed task's count for its new ID,
            # and the rest are named once; both are in `events` (rare: read the whole log).
            return states(self.events, as_of=today)
        return {task_id: found for task_id, (found,) in folded.items() if found is not None}

    @cached_property
    def supervision(self) -> Supervision:
        """The settings of lights and stale tasks: `--soon`, the config file's, the defaults."""
        defaults = DEFAULT_SUPERVISION
        found = self.config
        if found is None:
            return replace(defaults, soon_days=self._soon) if self._soon is not None else defaults
        soon = self._soon if self._soon is not None else found.soon_days
        return Supervision(
            soon_days=defaults.soon_days if soon is None else soon,
            behind_margin=(
                defaults.behind_margin if found.behind_margin is None else found.behind_margin
            ),
            stale_days=defaults.stale_days if found.stale_days is None else found.stale_days,
        )

    @cached_property
    def rows(self) -> dict[str, TaskRow]:
        """Every task of the plan as it stands today, in plan order: assessed once."""
        return assess(self.plan, self.states, self.today, self.supervision)

    # Recording.

    def work_date(self, on: str | None, *, until: date | None = None) -> date:
        """The day the work happened: `--on`, else today. Never after today, and inside the
        plan's period, or up to `until` (the due day of a task carried over past it)."""
        day = settings.parse_date(on, "--on") if on else self.today
        given = f"--on {day}" if on else f"today ({day})"
        if day > self.today:
            raise BadValue(f"{given} is after today ({self.today})")
        period = self.period
        if not period.start <= day <= max(period.end, until or period.end):
            hint = "" if on else "; give --on DATE"
            raise BadValue(
                f"{given} is outside the plan's period {period.start}..{period.end}{hint}"
            )
        return day

    def stamp(self, by: str | None) -> Stamp:
        """Who records (`--by`, else the login name), now, and fresh event IDs."""
        who = recorded_text(settings.login_name() if by is None else by, "--by", name=True)
        return Stamp(who, datetime.now(UTC), _fresh_ids())


BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MAX_NAME = 128
"""The longest `--by` the store keeps (the recorded_by column, on every backend)."""
MAX_NOTE = 64 * 1024
"""The longest note or reason planctl records."""


def recorded_text(value: str, option: str, *, name: bool = False) -> str:
    """Text a command records (a note, a reason, a name), held to the plan's rule: no control
    characters but tab and line breaks, no line separators; a name (`--by`) also no line
    break, no bidi override, not blank, at most 128 characters. The store keeps exactly what
    passes, so nothing stored can forge a table line or drive a reader's terminal."""
    from planctl.plan.model import no_control_characters

    try:
        no_control_characters(value)
    except ValueError as error:
        raise BadValue(f"{option}: {error}") from None
    if name:
        if any(character in "\t\r\n" or character in BIDI_CONTROLS for character in value):
            raise BadValue(f"{option}: a name is one line of plain text")
        if not value.strip() or len(value) > MAX_NAME:
            raise BadValue(f"{option} must be 1 to {MAX_NAME} characters")
    elif len(value) > MAX_NOTE:
        raise BadValue(f"{option} is longer than {MAX_NOTE // 1024} KiB")
    return value


def _fresh_ids() -> Iterator[str]:
    while True:
        yield str(uuid.uuid4())


def _relative(path: Path) -> str:
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
