"""One command's world in one object: its plan, today, store, labels, events and rows.

A command builds a `Session` from its options; each part is resolved on first use and kept, so
that the plan is loaded once, the store read once and the tasks assessed once per command. The
core never reaches back up here: the session hands it the plan, the events and today, and, for
recording commands, who records, when, and the IDs of the new events (`stamp`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from planctl import frozen, i18n
from planctl.cli import collector, settings
from planctl.cli.output import warn
from planctl.core.events import Event, Stamp
from planctl.core.lights import Supervision
from planctl.core.progress import TaskRow, assess
from planctl.core.state import TaskState, states
from planctl.errors import BadValue, NoStore
from planctl.i18n import _
from planctl.plan.model import Plan, Task
from planctl.rules.calendar import PlanPeriod, YearMonth, resolve_month
from planctl.rules.windows import plan_period

Records = Literal["required", "noted", "optional"]

if TYPE_CHECKING:
    from planctl.cli.config import Config
    from planctl.cli.options import PlanChoice
    from planctl.cli.outfile import ReadFile
    from planctl.cli.recording import Recorded
    from planctl.core.changes import UseCase
    from planctl.core.schedule import Selection
    from planctl.store.location import StoreLocation
    from planctl.store.reading import ReadStore
    from planctl.store.store import Store, Transaction


@frozen(slots=False)
class Loaded:
    """The plan a command works on, the file it came from, and its version (content hash)."""

    plan: Plan
    source: str
    digest: str
    path: Path | None = None


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

    @classmethod
    def of(
        cls,
        where: PlanChoice,
        *,
        records: Records = "noted",
        soon: int | None = None,
        config_file: Config | None = None,
        hint_past: bool = True,
    ) -> Session:
        """The session of a command's shared plan options (`planctl.cli.options`)."""
        return cls(
            plan=where.plan, year=where.year, db=where.db, today=where.today, lang=where.lang,
            records=records, soon=soon, config_file=config_file, hint_past=hint_past,
        )  # fmt: skip

    @cached_property
    def config(self) -> Config | None:
        """The config file, read once per command; None when there is none."""
        if not settings.config_file(os.environ).exists():
            i18n.use_config(None)
            return None
        loaded = settings.read_config()
        i18n.use_config(loaded.language)
        return loaded

    def files_read(self) -> list[ReadFile]:
        """The files this command has read (the config file, the plan, a SQLite store and its
        -wal/-journal/-shm; the store also when it did not read it): what no output of it may
        overwrite."""
        from planctl.cli.outfile import files_read

        loaded = self.__dict__.get("loaded")
        plan_path = loaded.path if loaded is not None else None
        return files_read(settings.config_file(os.environ), plan_path, self.location.sqlite_file)

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
        collector.settle()  # the plan lives until the process ends
        self.config  # noqa: B018 - read first: its language is over the plan's (planctl.i18n)
        i18n.use_plan(plan.language)
        if self._hint_past and not self._today_option:
            hint = settings.past_hint(plan_period(plan), self.today)
            if hint:
                warn(hint)
        return Loaded(plan, settings.relative_name(path), plan_digest(raw), path)

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
            said = _("planctl: note: today ({today}) is outside the plan's period {start}..{end}")
            warn(said.format(today=self.today, start=period.start, end=period.end))
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
        return settings.labels(self._lang, self.config, self.plan)

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
            raise BadValue(_("--role goes with --owner: the unit whose role it is"))
        if role is not None and role not in ROLES:
            wrong = _("--role must be lead or support, not {given}")
            raise BadValue(wrong.format(given=repr(role)))
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
            raise BadValue(_("--db is blank: give a store file or a database URL"))
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
                warn(_("planctl: nothing recorded yet (no store at {path})").format(path=path))
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
        """One write transaction on the store (`writing_store`: created if need be, and
        removed again if the command fails while it holds no events)."""
        with self.writing_store() as store, store.transaction() as transaction:
            yield transaction

    @contextmanager
    def writing_store(self) -> Iterator[Store]:
        """The store open for writing (`returns collect` records in several transactions on one
        connection: one a file), created if need be. A store this command created is removed
        again if the command fails, so that a failed command leaves things as they were: only
        while it holds no events and no other process has it open (see `remove_if_empty`);
        otherwise it stays, whole and empty."""
        from planctl.store.sqlite_create import remove_if_empty
        from planctl.store.store import Store

        location, is_default = self._location
        store = Store.open_for_writing(location, create_parent=is_default)
        try:
            with store:
                yield store
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
        from planctl.cli.folding import warn_orphaned
        from planctl.core.renames import apply_renames
        from planctl.core.revisions import orphaned

        with self.reading() as store:
            events = apply_renames(store.events(self.plan.id))
        warn_orphaned(orphaned(self.plan, events))
        return events

    @cached_property
    def states(self) -> dict[str, TaskState]:
        """Each task's state at the end of today (work dated later does not count), folded one
        task at a time unless the whole log was read already (`events`): a plan of 20,000 tasks
        and 500,000 events is never all in memory for `due`, `list` or `show`."""
        if "events" in self.__dict__:
            return states(self.events, as_of=self.today)
        folded = self._fold_per_task(None)
        return states(self.events, as_of=self.today) if folded is None else folded

    def fold_per_task(self, also: Callable[[list[Event], list[int]], object]) -> bool:
        """Fold `states` task by task (see there), handing each task's events and their place
        in the log (`seq`) to `also` as they come, so that a command keeps only what it shows
        of them. False when `states` is known already, or when the store holds events of a
        task the plan no longer has: the command then reads `events`, the whole log."""
        if "states" in self.__dict__ or "events" in self.__dict__:
            return False
        folded = self._fold_per_task(also)
        if folded is None:
            return False
        self.__dict__["states"] = folded
        return True

    def _fold_per_task(
        self, also: Callable[[list[Event], list[int]], object] | None
    ) -> dict[str, TaskState] | None:
        from planctl.cli.state_cache import kept_or_folded

        with self.reading() as store, collector.lasting():
            return kept_or_folded(store, self.plan, self.today, also, settings.states_cache_dir())

    def kept_latest(self, limit: int) -> list[Event] | None:
        """The plan's `limit` latest events, with `states` kept from an earlier run of the same
        log (`state_cache.kept_with_latest`); None when none are kept (or `states` is known)."""
        from planctl.cli.state_cache import kept_with_latest

        if "states" in self.__dict__ or "events" in self.__dict__:
            return None
        with self.reading() as store:
            cache_dir = settings.states_cache_dir()
            found = kept_with_latest(store, self.plan, self.today, limit, cache_dir)
        if found is not None:
            self.__dict__["states"] = found[0]
        return None if found is None else [event for _, event in found[1]]

    @cached_property
    def supervision(self) -> Supervision:
        """The settings of lights and stale tasks: `--soon`, the config file's, the defaults."""
        return settings.supervision(self.config, self._soon)

    @cached_property
    def rows(self) -> dict[str, TaskRow]:
        """Every task of the plan as it stands today, in plan order: assessed once (the plan
        loaded before the store is read, so that a missing plan is told first)."""
        return assess(self.plan, self.states, self.today, self.supervision)

    def assessed(self, states: Mapping[str, TaskState]) -> dict[str, TaskRow]:
        """Every task of the plan in these states, today, with this command's supervision."""
        return assess(self.plan, states, self.today, self.supervision)

    # Recording.

    def stamp(self, by: str | None) -> Stamp:
        """Who records (`--by`, else the login name), now, and fresh event IDs."""
        from planctl.cli.recording import stamp

        return stamp(by)

    def record(self, case: UseCase, *, on: str | None, by: str | None) -> Recorded:
        """The use case's change appended in one transaction (`planctl.cli.recording`), and
        the tasks it concerns as they stand after it, as of today."""
        from planctl.cli.recording import record

        return record(self, case, on=on, by=by)
