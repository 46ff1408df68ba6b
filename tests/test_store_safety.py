"""The store under damage and misuse (issue 12, store side): damaged rows, a read-only snapshot
with its WAL, imports without limits, a new store raced by other writers, an emptied
`alembic_version`, and values over the columns' limits. SQLite and, where it applies,
PostgreSQL (the `store_url` fixture)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from planctl.core.events import Action, Event
from planctl.errors import StoreLimitExceeded
from planctl.store.store import Store, StoreLocation
from tests.conftest import Result, run, snapshot

JUNE = {"PLANCTL_TODAY": "2018-06-15"}


def cli(db: str | Path, *args: str) -> Result:
    return run(*args, "--db", str(db), env=JUNE)


def ok(db: str | Path, *args: str) -> str:
    result = cli(db, *args)
    assert (result.code, result.err) == (0, ""), result.err
    return result.out


def execute(store: str, sql: str, **params: object) -> None:
    """Run SQL on the store behind planctl's back (as a person with a database tool would)."""
    url = store if "://" in store else f"sqlite:///{store}"
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(sql), params)
    finally:
        engine.dispose()


def recorded(store: str) -> str:
    """Three events of the 2018 plan: done 6.1, a note on 6.2, done 7.1."""
    ok(store, "done", "6.1", "--note", "视察完成")
    ok(store, "note", "6.2", "提纲已定")
    ok(store, "done", "7.1")
    return store


def one_line(result: Result, message: str) -> None:
    assert (result.code, result.out, result.err) == (1, "", f"planctl: {message}\n")


def shown(store: str) -> str:
    """The store as messages name it (a URL without its password)."""
    return StoreLocation.parse(store).display()


# -- 3. one damaged row ------------------------------------------------------------------------

DAMAGE_ON_EVERY_BACKEND = [
    ("action = 'fnord'", "action 'fnord' is not an action"),
]
DAMAGE_ON_SQLITE = [
    ("work_date = '2018-13-45'", "work_date '2018-13-45' is not a date"),
    ("work_date = 20180615", "work_date 20180615 is not a date"),
    ("recorded_at = 'yesterday'", "recorded_at 'yesterday' is not a time"),
    ("count = 'abc'", "count 'abc' is not a whole number"),
    ("count = 2.5", "count 2.5 is not a whole number"),
    ("count = 0", "count 0 is not between 1 and 2147483647"),
    ("count = 9999999999", "count 9999999999 is not between 1 and 2147483647"),
    ("to_month = 13", "to_month 13 is not between 1 and 12"),
    ("note = x'00ff'", "note b'\\x00\\xff' is not text"),
    ("recorded_by = x'41'", "recorded_by b'A' is not text"),
    ("task_id = x'41'", "task_id b'A' is not text"),
    ("to_date = 'soon'", "to_date 'soon' is not a date"),
]


def damaged_store(store: str, damage: str) -> str:
    """The recorded store with its second event (seq 2) damaged."""
    recorded(store)
    execute(store, f"UPDATE events SET {damage} WHERE seq = 2")
    return store


def second_event_id(store: str) -> str:
    url = store if "://" in store else f"sqlite:///{store}"
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return str(
                connection.execute(sa.text("SELECT event_id FROM events WHERE seq = 2")).scalar()
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize(("damage", "problem"), DAMAGE_ON_EVERY_BACKEND + DAMAGE_ON_SQLITE)
def test_a_damaged_event_is_named_by_every_read(store_url: str, damage: str, problem: str) -> None:
    if "://" in store_url and (damage, problem) not in DAMAGE_ON_EVERY_BACKEND:
        pytest.skip("PostgreSQL's column types refuse this damage")
    store = damaged_store(store_url, damage)
    event_id = second_event_id(store)
    expected = f"the store {shown(store)} has a damaged event (seq 2, event {event_id}): {problem}"
    for args in (["due"], ["history"], ["report", "--format", "json"], ["list"]):
        one_line(cli(store, *args), expected)
    if not damage.startswith("task_id"):  # done reads the events of 6.2 only
        one_line(cli(store, "done", "6.2"), expected)
    assert cli(store, "done", "8.1").code == 0  # reads only 8.1's events, which are sound


@pytest.mark.parametrize(("damage", "problem"), DAMAGE_ON_EVERY_BACKEND + DAMAGE_ON_SQLITE[:4])
def test_export_saves_every_sound_event_and_names_the_damaged_one(
    store_url: str, damage: str, problem: str, tmp_path: Path
) -> None:
    if "://" in store_url and (damage, problem) not in DAMAGE_ON_EVERY_BACKEND:
        pytest.skip("PostgreSQL's column types refuse this damage")
    store = damaged_store(store_url, damage)
    event_id = second_event_id(store)
    result = cli(store, "store", "export")
    assert result.code == 1
    assert result.err == (
        f"planctl: the store {shown(store)} has a damaged event (seq 2, event {event_id}):"
        f" {problem}; left out\n"
        "planctl: 1 damaged event left out of the export; 2 events and 1 plan version exported\n"
    )
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert lines[0] == {"planctl_export": 2, "events": 2, "plan_versions": 1}
    assert [(line["task_id"], line["action"]) for line in lines[1:3]] == [
        ("6.1", "done"),
        ("7.1", "done"),
    ]
    salvaged = str(tmp_path / "salvaged.sqlite3")
    export = tmp_path / "events.jsonl"
    export.write_text(result.out, encoding="utf-8")
    assert ok(salvaged, "store", "import", str(export)) == "imported 2 events, 0 already present\n"


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        ("tasks = '{'", "tasks is not valid JSON"),
        ("tasks = '[1, 2]'", "tasks is not {task id: [title, month]}"),
    ],
)
def test_a_damaged_plan_version_is_named(store_url: str, damage: str, problem: str) -> None:
    store = recorded(store_url)
    execute(store, f"UPDATE plan_versions SET {damage}")
    expected = (
        f"the store {shown(store)} has a damaged plan version (seq 1, plan cppcc-2018): {problem}"
    )
    check = cli(store, "check", "plans/2018.yaml")
    assert (check.code, check.err) == (1, f"planctl: {expected}\n")
    export = cli(store, "store", "export")
    assert export.code == 1
    assert export.err == (
        f"planctl: {expected}; left out\n"
        "planctl: 1 damaged plan version left out of the export;"
        " 3 events and 0 plan versions exported\n"
    )
    assert json.loads(export.out.splitlines()[0]) == {
        "planctl_export": 2,
        "events": 3,
        "plan_versions": 0,
    }


def test_a_sound_store_reads_as_before(store_url: str) -> None:
    store = recorded(store_url)
    before = snapshot(store)
    history = json.loads(ok(store, "history", "--format", "json"))
    assert [event["task"] for event in history["events"]] == ["7.1", "6.2", "6.1"]
    assert snapshot(store) == before


def test_sqlite_is_used_directly(tmp_path: Path) -> None:
    """The damage above is made with SQLAlchemy; the same with the sqlite3 shell's own driver."""
    store = recorded(str(tmp_path / "store.sqlite3"))
    connection = sqlite3.connect(store)
    connection.execute("UPDATE events SET count = 'lots' WHERE seq = 1")
    connection.commit()
    connection.close()
    assert "count 'lots' is not a whole number" in cli(store, "due").err


# -- 11. an emptied alembic_version ------------------------------------------------------------


@pytest.mark.parametrize("damage", ["DELETE FROM alembic_version", "DROP TABLE alembic_version"])
def test_planctls_tables_without_a_revision_are_a_damaged_store(
    store_url: str, damage: str
) -> None:
    store = recorded(store_url)
    execute(store, damage)
    before = snapshot(store)
    expected = (
        f"the store {shown(store)} is damaged: planctl's tables are there"
        " but no schema revision (alembic_version)"
    )
    for args in (["due"], ["store", "export"], ["store", "info"], ["done", "8.1"]):
        one_line(cli(store, *args), expected)
    assert snapshot(store) == before


# -- 9. the columns' limits on every backend ---------------------------------------------------

AT = datetime(2018, 6, 15, 1, 2, 3, tzinfo=UTC)


def event(**changes: Any) -> Event:
    fields: dict[str, Any] = {
        "event_id": "e-1", "plan_id": "cppcc-2018", "task_id": "P10.1", "action": Action.DONE,
        "work_date": date(2018, 6, 15), "recorded_by": "李明", "recorded_at": AT,
    }  # fmt: skip
    return Event(**(fields | changes))


OVER_THE_LIMITS = [
    ({"recorded_by": "李" * 129}, "recorded_by is longer than 128 characters (129)"),
    ({"task_id": "t" * 65}, "task_id is longer than 64 characters (65)"),
    ({"event_id": "e" * 37}, "event_id is longer than 36 characters (37)"),
    ({"count": 2**31}, "count 2147483648 is outside -2147483648 to 2147483647"),
    ({"note": "a\x00b"}, "note holds a NUL character"),
    ({"recorded_by": "a\x00"}, "recorded_by holds a NUL character"),
]


@pytest.mark.parametrize(("changes", "problem"), OVER_THE_LIMITS)
def test_an_event_over_the_columns_limits_is_refused_before_writing(
    store_url: str, changes: dict[str, Any], problem: str
) -> None:
    location = StoreLocation.parse(store_url)
    Store.open_for_writing(location).close()
    before = snapshot(store_url)
    with (
        Store.open_for_writing(location) as store,
        pytest.raises(StoreLimitExceeded) as refused,
        store.transaction() as tx,
    ):
        tx.append([event(event_id="e-0"), event(**changes)])
    assert str(refused.value) == f"the event does not fit the store: {problem}"
    assert snapshot(store_url) == before


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["done", "8.1", "--by", "李" * 129], "recorded_by is longer than 128 characters (129)"),
        (["note", "6.1", "a\x00b"], "note holds a NUL character"),
        (["done", "P10.1", "--count", str(2**31)], "count 2147483648 is outside"),
    ],
)
def test_the_cli_refuses_what_postgresql_would(
    store_url: str, args: list[str], problem: str
) -> None:
    recorded(store_url)
    before = snapshot(store_url)
    result = cli(store_url, *args)
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith(f"planctl: the event does not fit the store: {problem}")
    assert result.err.count("\n") == 1
    assert snapshot(store_url) == before
