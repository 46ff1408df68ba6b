"""The standard library's write path of a SQLite store (planctl.store.sqlite_write, what
`returns collect` records with) writes what SQLAlchemy's writes: the same rows, byte for byte,
the same events read back (renames applied), the same refusals, and leaves every store it does
not know to `Store.open_for_writing`."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from planctl.core.events import Action, Event
from planctl.core.filed import FiledReturn
from planctl.errors import StoreError, StoreLimitExceeded
from planctl.store.location import StoreLocation
from planctl.store.sqlite_write import SqliteWriter
from planctl.store.store import Store

AT = datetime(2018, 6, 24, 2, 5, 9, 123456, tzinfo=UTC)


def _event(number: int, task: str, action: Action = Action.PROGRESS, **fields: Any) -> Event:
    return Event(f"e{number:03d}", "p", task, action, date(2018, 6, 20), "提案科", AT, **fields)


EVENTS = [
    _event(1, "1", Action.DONE, count=2, note="填报 2018-06 提案科"),
    _event(2, "2", percent=60, note="正在筹备"),
    _event(3, "3", value=8.5),
    _event(4, "old", Action.NOTE, note="before the rename"),
    _event(5, "4", Action.RENAME, note="old"),
    _event(6, "5", Action.DEFER, to_month=9, to_date=date(2018, 9, 30), note="等待批复"),
    _event(7, "6", Action.CHASE, how="phone", count=3),
]
RETURNS = [FiledReturn("r1", "p", "提案科", "2018-06", date(2018, 6, 24), "ab" * 16, 4, "王芳", AT)]


@dataclass(frozen=True)
class _Task:
    id: str
    title: str
    month: int | None


@dataclass(frozen=True)
class _Plan:
    id: str
    tasks: tuple[_Task, ...]


PLAN = _Plan("p", (_Task("1", "交办会", 6), _Task("2", "协商", None)))


def _rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    connection = sqlite3.connect(path)
    try:
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY seq").fetchall()
            for table in ("events", "returns", "plan_versions")
        }
    finally:
        connection.close()


def _two_stores(tmp_path: Path, made_sqlite_store: str) -> tuple[Path, Path]:
    by_sqlalchemy, by_sqlite3 = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    shutil.copy(made_sqlite_store, by_sqlalchemy)
    shutil.copy(made_sqlite_store, by_sqlite3)
    return by_sqlalchemy, by_sqlite3


def test_both_paths_write_the_same_rows(tmp_path: Path, made_sqlite_store: str) -> None:
    by_sqlalchemy, by_sqlite3 = _two_stores(tmp_path, made_sqlite_store)
    with (
        Store.open_for_writing(StoreLocation.parse(str(by_sqlalchemy))) as store,
        store.transaction() as tx,
    ):
        tx.record_plan(PLAN, "d1", AT)
        tx.append(EVENTS)
        tx.append_returns(RETURNS)
    writer = SqliteWriter.open(StoreLocation.parse(str(by_sqlite3)))
    assert writer is not None
    with writer, writer.transaction() as direct:
        direct.record_plan(PLAN, "d1", AT)
        direct.append(EVENTS)
        direct.append_returns(RETURNS)
    written = _rows(by_sqlite3)
    assert written == _rows(by_sqlalchemy)
    assert written["events"][1] == (
        2, "e002", "p", "2", "progress", "2018-06-20", "提案科", "2018-06-24 02:05:09.123456",
        "正在筹备", None, None, None, None, 60, None, None,
    )  # fmt: skip
    assert written["returns"] == [
        (1, "r1", "p", "提案科", "2018-06", "2018-06-24", "ab" * 16, 4, "王芳",
         "2018-06-24 02:05:09.123456"),
    ]  # fmt: skip
    assert written["plan_versions"] == [
        (1, "p", "d1", "2018-06-24 02:05:09.123456",
         '{"1": ["交办会", 6], "2": ["协商", null]}'),
    ]  # fmt: skip


def test_both_paths_read_the_same_events_in_a_transaction(
    tmp_path: Path, made_sqlite_store: str
) -> None:
    """The events of some tasks, renames applied (`old`'s note counts for task 4), the
    plan's returns, and a plan version recorded once for its digest."""
    by_sqlalchemy, by_sqlite3 = _two_stores(tmp_path, made_sqlite_store)
    with (
        Store.open_for_writing(StoreLocation.parse(str(by_sqlalchemy))) as store,
        store.transaction() as tx,
    ):
        tx.append(EVENTS)
        tx.append_returns(RETURNS)
        expected = tx.events("p", ["4", "2", "9"]), tx.filed_returns("p")
        tx.record_plan(PLAN, "d1", AT)
    writer = SqliteWriter.open(StoreLocation.parse(str(by_sqlite3)))
    assert writer is not None
    with writer, writer.transaction() as direct:
        direct.append(EVENTS)
        direct.append_returns(RETURNS)
        found = direct.events("p", ["4", "2", "9"]), direct.filed_returns("p")
        direct.record_plan(PLAN, "d1", AT)
        direct.record_plan(PLAN, "d1", AT)  # the same version: not recorded again
    assert found == expected
    assert [(e.event_id, e.task_id) for e in found[0]] == [("e002", "2"), ("e004", "4"),
                                                         ("e005", "4")]  # fmt: skip
    assert found[1] == RETURNS
    assert _rows(by_sqlite3) == _rows(by_sqlalchemy)


def test_a_row_over_a_limit_is_refused_before_anything_is_written(
    tmp_path: Path, made_sqlite_store: str
) -> None:
    path = Path(made_sqlite_store)
    before = path.read_bytes()
    writer = SqliteWriter.open(StoreLocation.parse(str(path)))
    assert writer is not None
    with writer, pytest.raises(StoreLimitExceeded) as raised, writer.transaction() as direct:
        direct.append([EVENTS[0], _event(9, "9", count=2**31)])
    assert str(raised.value) == (
        "the event does not fit the store: count 2147483648 is outside -2147483648 to 2147483647"
    )
    assert _rows(path)["events"] == []
    assert path.read_bytes() == before


def test_a_store_it_does_not_know_is_left_to_sqlalchemy(tmp_path: Path) -> None:
    """No file (made by `Store.open_for_writing`), an empty file, another program's database,
    a store of an older schema: `SqliteWriter.open` says None, and writes nothing."""
    missing = tmp_path / "missing.sqlite3"
    assert SqliteWriter.open(StoreLocation.parse(str(missing))) is None
    assert not missing.exists()
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    assert SqliteWriter.open(StoreLocation.parse(str(empty))) is None
    assert empty.read_bytes() == b""
    other = tmp_path / "other.sqlite3"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE notes (text)")
    connection.commit()
    connection.close()
    assert SqliteWriter.open(StoreLocation.parse(str(other))) is None
    assert SqliteWriter.open(StoreLocation.parse("postgresql://nobody@nowhere/x")) is None


def test_an_older_schema_is_left_to_sqlalchemy(tmp_path: Path, made_sqlite_store: str) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copy(made_sqlite_store, path)
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '0006'")
    connection.commit()
    connection.close()
    assert SqliteWriter.open(StoreLocation.parse(str(path))) is None


def test_a_store_removed_while_waiting_is_not_written(
    tmp_path: Path, made_sqlite_store: str
) -> None:
    """As on SQLAlchemy's path (`engines._still_the_store`): the file this command opened is
    no longer the store once it holds the write lock, so nothing is written into it."""
    path = Path(made_sqlite_store)
    writer = SqliteWriter.open(StoreLocation.parse(str(path)))
    assert writer is not None
    moved = tmp_path / "moved.sqlite3"
    path.rename(moved)
    shutil.copy(moved, path)  # another store now has the name
    with writer, pytest.raises(StoreError) as raised, writer.transaction() as direct:
        direct.append(EVENTS)
    assert str(raised.value) == (
        f"the store {path} was removed while this command waited for it; nothing was recorded"
    )
    assert _rows(moved)["events"] == _rows(path)["events"] == []


def test_the_limits_are_the_tables(tmp_path: Path) -> None:
    """`check_fits`'s limits come from the `Event` fields (no SQLAlchemy on this path): the
    same as the SQLAlchemy table's columns."""
    from planctl.store.rows import _column_limits, _event_limits
    from planctl.store.schema import events

    assert _event_limits() == {
        name: limit for name, limit in _column_limits(events).items() if name != "seq"
    }
