"""Alembic migrations: every earlier revision upgrades with its data kept, the models match the
migrated schema, and planctl processes opening an old store at once all succeed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from planctl.core.events import Action, Event
from planctl.store.schema import SCHEMA_REVISION, SQLITE_READ_INDEX, metadata
from planctl.store.store import Store, StoreLocation
from tests.conftest import REPO, Planctl, snapshot

PLANCTL = Path(sys.executable).parent / "planctl"
ADVISORY_LOCK = 4242001
"""The lock store.py takes on PostgreSQL while it upgrades."""


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", "planctl.store:migrations")
    return config


def earlier_revisions() -> list[str]:
    """Every revision before the head, oldest first."""
    scripts = ScriptDirectory.from_config(alembic_config())
    revisions = [script.revision for script in scripts.walk_revisions()]
    return [revision for revision in reversed(revisions) if revision != SCHEMA_REVISION]


def build_at(location: StoreLocation, revision: str) -> None:
    """A store at `revision`, made by Alembic as the planctl of that revision made it."""
    engine = sa.create_engine(location.url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


AT = datetime(2018, 6, 15, 1, 2, 3, 456789, tzinfo=UTC)


def _at(dialect: str) -> str:
    """How SQLAlchemy wrote the recorded time: SQLite keeps text without a zone (UTC)."""
    return "2018-06-15 01:02:03.456789" if dialect == "sqlite" else "2018-06-15 01:02:03.456789+00"


def rows_0001(connection: sa.Connection) -> list[Event]:
    """Progress as planctl at schema 0001 recorded it (no counts, no deferrals), in plain SQL."""
    insert = sa.text(
        "INSERT INTO events (event_id, plan_id, task_id, action, work_date, recorded_by,"
        " recorded_at, note, undoes) VALUES"
        " (:event_id, 'cppcc-2018', :task_id, :action, :work_date, :by, :at, :note, :undoes)"
    )
    at = _at(connection.dialect.name)
    rows = [
        ("e-1", "9.1", "done", "2018-06-01", "李明", "视察完成\n第二行", None),
        ("e-2", "1.1", "note", "2018-01-20", "王", '引号"和\\反斜杠', None),
        ("e-3", "1.1", "undo", "2018-06-15", "王", None, "e-2"),
        ("e-4", "6.2", "done", "2018-06-15", "tester", None, None),
    ]
    for event_id, task_id, action, work_date, by, note, undoes in rows:
        connection.execute(
            insert,
            {
                "event_id": event_id,
                "task_id": task_id,
                "action": action,
                "work_date": work_date,
                "by": by,
                "at": at,
                "note": note,
                "undoes": undoes,
            },
        )
    return [
        Event(
            event_id=event_id,
            plan_id="cppcc-2018",
            task_id=task_id,
            action=Action(action),
            work_date=date.fromisoformat(work_date),
            recorded_by=by,
            recorded_at=AT,
            note=note,
            undoes=undoes,
        )
        for event_id, task_id, action, work_date, by, note, undoes in rows
    ]


def rows_0002(connection: sa.Connection) -> list[Event]:
    """Progress as planctl at schema 0002 recorded it: counts, and deferrals to a month."""
    expected = rows_0001(connection)
    insert = sa.text(
        "INSERT INTO events (event_id, plan_id, task_id, action, work_date, recorded_by,"
        " recorded_at, note, count, to_month) VALUES"
        " (:event_id, 'cppcc-2018', :task_id, :action, '2018-06-15', '李明', :at, :note,"
        " :count, :to_month)"
    )
    at = _at(connection.dialect.name)
    for event_id, task_id, action, note, count, to_month in (
        ("e-0002-1", "P10.1", "done", None, 2, None),
        ("e-0002-2", "7.1", "defer", "等待批复", None, 9),
    ):
        connection.execute(
            insert,
            {"event_id": event_id, "task_id": task_id, "action": action, "at": at,
             "note": note, "count": count, "to_month": to_month},
        )  # fmt: skip
        expected.append(
            Event(event_id, "cppcc-2018", task_id, Action(action), date(2018, 6, 15), "李明", AT,
                  note=note, count=count, to_month=to_month)
        )  # fmt: skip
    return expected


def rows_0003(connection: sa.Connection) -> list[Event]:
    """Progress as planctl at schema 0003 recorded it: deferrals to a due day (`to_date`)."""
    expected = rows_0002(connection)
    connection.execute(
        sa.text(
            "INSERT INTO events (event_id, plan_id, task_id, action, work_date, recorded_by,"
            " recorded_at, note, to_month, to_date) VALUES ('e-0003-1', 'cppcc-2018', '8.1',"
            " 'defer', '2018-06-15', '李明', :at, '等待数据', NULL, '2018-10-20')"
        ),
        {"at": _at(connection.dialect.name)},
    )
    expected.append(
        Event("e-0003-1", "cppcc-2018", "8.1", Action.DEFER, date(2018, 6, 15), "李明", AT,
              note="等待数据", to_date=date(2018, 10, 20))
    )  # fmt: skip
    return expected


def rows_0004(connection: sa.Connection) -> list[Event]:
    """Progress as planctl at schema 0004 recorded it: progress reports (percent, value)."""
    expected = rows_0003(connection)
    connection.execute(
        sa.text(
            "INSERT INTO events (event_id, plan_id, task_id, action, work_date, recorded_by,"
            " recorded_at, note, percent, value) VALUES ('e-0004-1', 'cppcc-2018', '8.1',"
            " 'progress', '2018-06-15', '李明', :at, '已起草', 60, 7.5)"
        ),
        {"at": _at(connection.dialect.name)},
    )
    expected.append(
        Event("e-0004-1", "cppcc-2018", "8.1", Action.PROGRESS, date(2018, 6, 15), "李明", AT,
              note="已起草", percent=60, value=7.5)
    )  # fmt: skip
    return expected


def rows_0005(connection: sa.Connection) -> list[Event]:
    """Progress as planctl at schema 0005 recorded it: the events' columns were 0004's (0005
    added the returns table), a chase's `how` not yet there."""
    return rows_0004(connection)


def rows_0006(connection: sa.Connection) -> list[Event]:
    """Progress as planctl at schema 0006 recorded it: a chase and how it was made (0007 adds
    only the SQLite index that reads a plan's events task by task)."""
    expected = rows_0005(connection)
    connection.execute(
        sa.text(
            "INSERT INTO events (event_id, plan_id, task_id, action, work_date, recorded_by,"
            " recorded_at, note, how) VALUES ('e-0006-1', 'cppcc-2018', '8.1', 'chase',"
            " '2018-06-15', '李明', :at, '电话催办', 'phone')"
        ),
        {"at": _at(connection.dialect.name)},
    )
    expected.append(
        Event("e-0006-1", "cppcc-2018", "8.1", Action.CHASE, date(2018, 6, 15), "李明", AT,
              note="电话催办", how="phone")
    )  # fmt: skip
    return expected


FIXTURES: dict[str, Callable[[sa.Connection], list[Event]]] = {
    "0001": rows_0001,
    "0002": rows_0002,
    "0003": rows_0003,
    "0004": rows_0004,
    "0005": rows_0005,
    "0006": rows_0006,
}
"""For each earlier revision: insert progress with that revision's columns; the events expected."""

COLUMNS_0001 = (
    "seq, event_id, plan_id, task_id, action, work_date, recorded_by, recorded_at, note, undoes"
)


def old_store(location: StoreLocation, revision: str) -> list[Event]:
    build_at(location, revision)
    engine = sa.create_engine(location.url)
    with engine.begin() as connection:
        expected = FIXTURES[revision](connection)
    engine.dispose()
    return expected


def raw_rows(location: StoreLocation) -> list[tuple[object, ...]]:
    engine = sa.create_engine(location.url)
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(f"SELECT {COLUMNS_0001} FROM events ORDER BY seq")
        result = [tuple(row) for row in rows]
    engine.dispose()
    return result


@pytest.fixture
def location(store_url: str) -> StoreLocation:
    return StoreLocation.parse(store_url)


def test_every_earlier_revision_has_a_fixture_store() -> None:
    assert earlier_revisions() == list(FIXTURES), "add a fixture for the new revision"


@pytest.mark.parametrize("revision", list(FIXTURES))
def test_an_old_store_is_upgraded_with_its_data_kept(
    location: StoreLocation, revision: str
) -> None:
    expected = old_store(location, revision)
    before = raw_rows(location)
    store = Store.open_for_writing(location)
    assert store.revision() == SCHEMA_REVISION
    assert store.all_events() == expected
    assert raw_rows(location) == before, "every row and column exactly as it was"
    later = Event("e-5", "cppcc-2018", "P10.1", Action.DONE, date(2018, 6, 15), "赵", AT, count=2)
    with store.transaction() as tx:
        tx.append([later])
    assert store.events("cppcc-2018") == [*expected, later]
    store.close()


@pytest.mark.parametrize("start", ["new", *FIXTURES])
def test_the_models_match_the_migrated_schema(location: StoreLocation, start: str) -> None:
    if start != "new":
        old_store(location, start)
    Store.open_for_writing(location).close()
    engine = sa.create_engine(location.url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": _not_sqlite_read_index}
        )
        differences = compare_metadata(context, metadata)
        indexes = {index["name"] for index in sa.inspect(connection).get_indexes("events")}
    engine.dispose()
    assert differences == []
    sqlite = location.sqlite_file is not None
    assert (SQLITE_READ_INDEX in indexes) == sqlite, "the read index: on SQLite only"


def _not_sqlite_read_index(name: str | None, kind: str, parents: object) -> bool:
    """The SQLite-only index is not in the metadata (see `SQLITE_READ_INDEX`)."""
    return not (kind == "index" and name == SQLITE_READ_INDEX)


@pytest.mark.parametrize("command_args", [["due"], ["history"], ["store", "export"]])
def test_a_read_command_on_an_old_store_says_how_to_upgrade_it(
    store_url: str, location: StoreLocation, command_args: list[str], planctl: Planctl
) -> None:
    old_store(location, "0001")
    before = snapshot(store_url)
    result = planctl(*command_args, db=store_url)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"planctl: 存储 {location.display()} 由旧版本的 planctl 建立(结构版本 0001);"
        "`planctl done` 等记录命令会升级它\n"
    )
    assert snapshot(store_url) == before, "a read command does not upgrade"


# Two real planctl processes open an old store at the same moment.


def _planctl(*args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "PLANCTL_TRACEBACK"}
    env["PLANCTL_TODAY"] = "2018-06-15"
    return subprocess.Popen(
        [str(PLANCTL), *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.05)


def _has_open(pid: int, path: Path) -> bool:
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    for fd in fds:
        try:
            if fd.readlink() == path:
                return True
        except OSError:
            continue
    return False


def test_two_processes_opening_an_old_store_at_once_both_succeed(
    location: StoreLocation,
) -> None:
    """The test holds the lock an upgrade takes until both processes wait for it, so that both
    have seen the old revision: one then upgrades, the other waits and finds the head."""
    expected = old_store(location, "0001")
    db = location.url if location.sqlite_file is None else str(location.sqlite_file)
    if location.sqlite_file is not None:
        if not Path("/proc/self/fd").is_dir():
            pytest.skip("needs /proc to see that both processes have opened the store")
        holder = sa.create_engine(location.url, poolclass=sa.pool.NullPool).raw_connection()
        holder.cursor().execute("BEGIN IMMEDIATE")  # what an upgrade (or any write) takes
    else:
        holder = sa.create_engine(location.url, poolclass=sa.pool.NullPool).raw_connection()
        holder.cursor().execute(f"SELECT pg_advisory_lock({ADVISORY_LOCK})")
        holder.commit()
    try:
        first = _planctl("done", "6.1", "--by", "甲", "--db", db)
        second = _planctl("note", "6.3", "会前准备", "--by", "乙", "--db", db)
        if location.sqlite_file is not None:
            path = location.sqlite_file.resolve()
            _wait_for(
                lambda: all(_has_open(p.pid, path) for p in (first, second)),
                "both processes have the store open",
            )
            time.sleep(0.5)  # from opening to waiting for the lock is a few milliseconds
        else:
            # pg_locks is the whole server's: count only this database's waits for that lock.
            waiting = (
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                f" AND objid = {ADVISORY_LOCK} AND database ="
                " (SELECT oid FROM pg_database WHERE datname = current_database())"
            )

            def both_wait() -> bool:
                cursor = holder.cursor()
                cursor.execute(waiting)
                row = cursor.fetchone()
                holder.commit()
                return row is not None and row[0] == 2

            _wait_for(both_wait, "both processes wait for the upgrade lock")
    finally:
        if location.sqlite_file is not None:
            holder.cursor().execute("ROLLBACK")
        else:
            holder.cursor().execute(f"SELECT pg_advisory_unlock({ADVISORY_LOCK})")
            holder.commit()
        holder.close()
    results = [(p.wait(timeout=60), *p.communicate()) for p in (first, second)]
    assert results == [
        (0, "done: 6.1 对城市精细化管理情况进行视察 (2018-06-15, 甲)\n", ""),
        (
            0,
            "noted: 6.3 召开区政协常委会:协商提案科养老保险扩面、宣教科文体工作发展情况的调研报告;"
            "通过城市精细化管理情况的视察报告\n",
            "",
        ),
    ]
    store = Store.open_for_reading(location)
    assert store.revision() == SCHEMA_REVISION
    events = store.all_events()
    store.close()
    assert events[: len(expected)] == expected
    assert sorted((e.task_id, e.recorded_by) for e in events[len(expected) :]) == [
        ("6.1", "甲"),
        ("6.3", "乙"),
    ]


def test_the_known_revisions_are_alembic_s_chain_from_the_files() -> None:
    """`store/revision.py` reads the revisions from the migrations' file names: they are
    Alembic's chain, oldest first, each revising the one before, the last the head."""
    from planctl.store.revision import KNOWN_REVISIONS

    scripts = ScriptDirectory.from_config(alembic_config())
    chain = [(script.revision, script.down_revision) for script in scripts.walk_revisions()]
    chain.reverse()
    assert [revision for revision, _ in chain] == list(KNOWN_REVISIONS)
    assert [down for _, down in chain] == [None, *KNOWN_REVISIONS[:-1]]
    assert scripts.get_current_head() == KNOWN_REVISIONS[-1] == SCHEMA_REVISION
