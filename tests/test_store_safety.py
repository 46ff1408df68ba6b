"""The store under damage and misuse (issue 12, store side): damaged rows, a read-only snapshot
with its WAL, imports without limits, a new store raced by other writers, an emptied
`alembic_version`, and values over the columns' limits. SQLite and, where it applies,
PostgreSQL (the `store_url` fixture)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from planctl.cli import app
from planctl.core.events import Action, Event
from planctl.errors import StoreError, StoreLimitExceeded
from planctl.store.store import Store, StoreLocation
from tests.built_once import CliRunner
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
def test_a_damaged_event_is_named_by_every_read(
    read_store_url: str, damage: str, problem: str
) -> None:
    if "://" in read_store_url and (damage, problem) not in DAMAGE_ON_EVERY_BACKEND:
        pytest.skip("PostgreSQL's column types refuse this damage")
    store = damaged_store(read_store_url, damage)
    event_id = second_event_id(store)
    expected = f"the store {shown(store)} has a damaged event (seq 2, event {event_id}): {problem}"
    for args in (["due"], ["history"], ["report", "--format", "json"], ["list"]):
        one_line(cli(store, *args), expected)
    if not damage.startswith("task_id"):  # done reads the events of 6.2 only
        one_line(cli(store, "done", "6.2"), expected)
    assert cli(store, "done", "8.1").code == 0  # reads only 8.1's events, which are sound


@pytest.mark.parametrize(("damage", "problem"), DAMAGE_ON_EVERY_BACKEND + DAMAGE_ON_SQLITE[:4])
def test_export_saves_every_sound_event_and_names_the_damaged_one(
    read_store_url: str, damage: str, problem: str, tmp_path: Path
) -> None:
    if "://" in read_store_url and (damage, problem) not in DAMAGE_ON_EVERY_BACKEND:
        pytest.skip("PostgreSQL's column types refuse this damage")
    store = damaged_store(read_store_url, damage)
    event_id = second_event_id(store)
    result = cli(store, "store", "export")
    assert result.code == 1
    assert result.err == (
        f"planctl: the store {shown(store)} has a damaged event (seq 2, event {event_id}):"
        f" {problem};未导出\n"
        "planctl: 1 条损坏的记录未导出;已导出2 条记录和1 个计划版本\n"
    )
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert lines[0] == {"planctl_export": 3, "events": 2, "plan_versions": 1}
    assert [(line["task_id"], line["action"]) for line in lines[1:3]] == [
        ("6.1", "done"),
        ("7.1", "done"),
    ]
    salvaged = str(tmp_path / "salvaged.sqlite3")
    export = tmp_path / "events.jsonl"
    export.write_text(result.out, encoding="utf-8")
    assert (
        ok(salvaged, "store", "import", str(export)) == "已导入:新增 2 条记录,已有 0 条,冲突 0 条\n"
    )


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        ("tasks = '{'", "tasks is not valid JSON"),
        ("tasks = '[1, 2]'", "tasks is not {task id: [title, month]}"),
    ],
)
def test_a_damaged_plan_version_is_named(read_store_url: str, damage: str, problem: str) -> None:
    store = recorded(read_store_url)
    execute(store, f"UPDATE plan_versions SET {damage}")
    expected = (
        f"the store {shown(store)} has a damaged plan version (seq 1, plan cppcc-2018): {problem}"
    )
    check = cli(store, "check", "plans/2018.yaml")
    assert (check.code, check.err) == (1, f"planctl: {expected}\n")
    export = cli(store, "store", "export")
    assert export.code == 1
    assert export.err == (
        f"planctl: {expected};未导出\n"
        "planctl: 1 个损坏的计划版本未导出;已导出3 条记录和0 个计划版本\n"
    )
    assert json.loads(export.out.splitlines()[0]) == {
        "planctl_export": 3,
        "events": 3,
        "plan_versions": 0,
    }


def test_a_sound_store_reads_as_before(read_store_url: str) -> None:
    store = recorded(read_store_url)
    before = snapshot(store)
    history = json.loads(ok(store, "history", "--format", "json"))
    assert [event["task"] for event in history["events"]] == ["7.1", "6.2", "6.1"]
    assert snapshot(store) == before


def test_sqlite_is_used_directly(tmp_path: Path, read_path: str) -> None:
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
    read_store_url: str, damage: str
) -> None:
    store = recorded(read_store_url)
    execute(store, damage)
    before = snapshot(store)
    expected = f"存储 {shown(store)} 已损坏:planctl 的表都在,却没有结构版本(alembic_version)"
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
        (["done", "8.1", "--by", "李" * 129], "--by 须为 1 到 128 个字符"),
        (["note", "6.1", "a\x00b"], "备注: 不允许控制字符 0x0000"),
        (
            ["done", "P10.1", "--count", str(2**31)],
            "--count 必须在 1 到 2147483647 之间,不能是 2147483648",
        ),
    ],
)
def test_the_cli_refuses_what_postgresql_would(
    store_url: str, args: list[str], problem: str
) -> None:
    recorded(store_url)
    before = snapshot(store_url)
    result = cli(store_url, *args)
    assert (result.code, result.out) == (1, "")
    assert result.err == f"planctl: {problem}\n"  # named by its option, before the store
    assert snapshot(store_url) == before


# -- 7. store import within limits ------------------------------------------------------------

MIB = 1024 * 1024
PLANCTL = Path(sys.executable).parent / "planctl"


def record(**changes: Any) -> dict[str, Any]:
    """One event line of an export, as planctl writes it."""
    return {
        "type": "event", "event_id": "e-1", "plan_id": "cppcc-2018", "task_id": "6.1",
        "action": "done", "work_date": "2018-06-15", "recorded_by": "李明",
        "recorded_at": "2018-06-15T01:02:03+00:00", "note": None, "undoes": None,
        "count": None, "to_month": None, "to_date": None,
    } | changes  # fmt: skip


HEADER = '{"planctl_export": 2}'


def export_file(tmp_path: Path, *lines: str | dict[str, Any]) -> Path:
    path = tmp_path / "events.jsonl"
    text = [line if isinstance(line, str) else json.dumps(line) for line in (HEADER, *lines)]
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


def refused_import(db: str, path: Path | str, *problems: str) -> None:
    before = snapshot(db)
    result = cli(db, "store", "import", str(path))
    assert (result.code, result.out, result.err) == (1, "", "".join(f"{p}\n" for p in problems))
    assert snapshot(db) == before


@pytest.fixture
def db(tmp_path: Path) -> str:
    return recorded(str(tmp_path / "store.sqlite3"))


def test_import_refuses_a_file_over_the_size_limit_unread(db: str, tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    with big.open("wb") as file:
        file.truncate(256 * MIB + 1)  # sparse: nothing is written, nothing must be read
    refused_import(db, big, f"{big}: 大于 256 MiB,超出 store import 可读取的上限")


def test_import_from_stdin_is_read_with_the_cap(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from planctl.store import transfer

    monkeypatch.setattr(transfer, "MAX_IMPORT_BYTES", 1000)
    before = snapshot(db)
    result = CliRunner().invoke(
        app, ["store", "import", "-", "--db", db], input=HEADER + "\n" + " " * 2000
    )
    assert (result.exit_code, result.stdout, result.stderr) == (
        1, "", "<stdin>: 大于 1000 字节,超出 store import 可读取的上限\n"
    )  # fmt: skip
    assert snapshot(db) == before


def test_import_refuses_a_line_over_the_line_limit(db: str, tmp_path: Path) -> None:
    long_note = record(note="长" * (MIB // 3 + 1))  # over 1 MiB in UTF-8
    path = export_file(tmp_path, record(event_id="e-0"), long_note)
    refused_import(db, path, f"{path}:3: 行过长(超过 1 MiB)")


def version_line(tasks: dict[str, Any], **changes: Any) -> str:
    """A plan-version line of an export, as planctl writes it (`type` first)."""
    return json.dumps(
        {"type": "plan_version", "plan_id": "cppcc-2018", "digest": "d" * 64,
         "seen_at": "2018-06-15T01:02:03+00:00", "tasks": tasks} | changes,
        ensure_ascii=False,
    )  # fmt: skip


def test_import_bounds_a_plan_version_line_at_16_mib(db: str, tmp_path: Path) -> None:
    title = "长" * 1000  # 3,000 bytes a task: 5,600 tasks make a line of 16 MiB
    path = export_file(tmp_path, version_line({f"t{n}": [title, 6] for n in range(5600)}))
    refused_import(db, path, f"{path}:2: 行过长(超过计划版本的上限 16 MiB)")


def test_import_bounds_the_tasks_of_a_plan_version(db: str, tmp_path: Path) -> None:
    """Short entries are what costs memory when parsed: the count is bounded before parsing."""
    path = export_file(tmp_path, version_line({f"{n:x}": ["a", 1] for n in range(100_001)}))
    problem = "计划版本过大,无法读取(超过 400,000 个 JSON 值,约 100,000 项任务)"
    refused_import(db, path, f"{path}:2: {problem}")


def test_only_a_plan_version_line_may_be_over_1_mib(db: str, tmp_path: Path) -> None:
    """The larger bound is for a line that starts as planctl writes a plan version; any other
    line (an event dressed up with a plan version's fields after it) keeps the 1 MiB."""
    tasks = {f"{n}": ["标题" * 20, 6] for n in range(15_000)}
    disguised = json.dumps(record(tasks=tasks), ensure_ascii=False)
    path = export_file(tmp_path, disguised)
    refused_import(db, path, f"{path}:2: 行过长(超过 1 MiB)")


def test_import_refuses_what_is_not_a_regular_file_at_once(db: str, tmp_path: Path) -> None:
    """Through the installed entry point, so that a hang is a timeout, not a stuck test run."""
    if not PLANCTL.exists():
        pytest.skip(f"no planctl entry point at {PLANCTL}")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for source in ("/dev/zero", str(fifo), str(tmp_path)):
        process = subprocess.run(
            [str(PLANCTL), "store", "import", source, "--db", db],
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
        reason = "Is a directory" if source == str(tmp_path) else "不是普通文件"
        assert (process.returncode, process.stdout, process.stderr) == (
            1, "", f"planctl: 无法读取 {source}:{reason}\n"
        )  # fmt: skip


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("[" * 100_000 + "]" * 100_000, "不是有效的 JSON:嵌套过深"),
        ('{"type": "event", "count": 1' + "0" * 5000 + "}", "不是有效的 JSON:数字超过 4300 位"),
        (record(count=int("9" * 4000)), "count: Input should be less than or equal to"),
        (record(count=2**31), "count: Input should be less than or equal to 2147483647"),
        (
            record(recorded_at="0001-01-01T00:00:00+05:00"),
            "recorded_at: 0001-01-01T00:00:00+05:00 is out of range in UTC",
        ),
        (
            record(recorded_at="9999-12-31T23:59:59-05:00"),
            "recorded_at: 9999-12-31T23:59:59-05:00 is out of range in UTC",
        ),
        ('{"type": "event", "event_id": "a", "event_id": "b"}', "键 event_id 重复"),
        (
            '{"type": "plan_version", "tasks": {"6.1": ["a", 6], "6.1": ["b", 6]}}',
            "键 6.1 重复",
        ),
    ],
)
def test_hostile_lines_are_refused_line_by_line(
    db: str, tmp_path: Path, line: str | dict[str, Any], problem: str
) -> None:
    path = export_file(tmp_path, record(event_id="e-0"), line)
    before = snapshot(db)
    result = cli(db, "store", "import", str(path))
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith(f"{path}:3: {problem}"), result.err
    assert result.err.count("\n") == 1
    assert snapshot(db) == before


def test_an_undo_names_an_earlier_event_of_the_same_plan_and_task(
    store_url: str, tmp_path: Path
) -> None:
    store = recorded(store_url)
    stored = json.loads(ok(store, "store", "export").splitlines()[1])  # done 6.1, in the store
    path = export_file(
        tmp_path,
        record(event_id="e-1", task_id="7.2"),
        record(event_id="e-2", task_id="6.2", action="undo", undoes="e-1"),
        record(event_id="e-3", task_id="6.2", action="undo", undoes=stored["event_id"]),
        record(event_id="e-4", plan_id="other", task_id="6.1", action="undo",
               undoes=stored["event_id"]),
        record(event_id="e-5", task_id="7.2", action="undo", undoes="e-9"),
        record(event_id="e-6", task_id="7.2"),
        record(event_id="e-7", task_id="7.2", action="undo", undoes="e-8"),  # later in the file
        record(event_id="e-8", task_id="7.2"),
    )  # fmt: skip
    refused_import(
        store,
        path,
        f"{path}:3: 撤销的 e-1 是另一项任务的记录(cppcc-2018 7.2)",
        f"{path}:4: 撤销的 {stored['event_id']} 是另一项任务的记录(cppcc-2018 6.1)",
        f"{path}:5: 撤销的 {stored['event_id']} 是另一项任务的记录(cppcc-2018 6.1)",
        f"{path}:6: 撤销的 e-9 既不在文件中,也不在存储中",
    )


# -- 8. a new store, raced ---------------------------------------------------------------------


@pytest.fixture
def stores(tmp_path: Path) -> Path:
    """A directory of its own for the stores (tmp_path holds the user directories too)."""
    directory = tmp_path / "stores"
    directory.mkdir()
    return directory


class Boom(Exception):
    """A command that fails after it created the store."""


def test_a_new_store_is_never_seen_half_made(stores: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the schema is built, the store's name is not there; then it is, whole, 0600."""
    path = stores / "new.sqlite3"
    seen: list[tuple[bool, list[str]]] = []
    upgrade = Store._upgrade

    def watched(store: Store) -> None:
        seen.append((path.exists(), sorted(p.name for p in stores.iterdir())))
        upgrade(store)

    monkeypatch.setattr(Store, "_upgrade", watched)
    monkeypatch.setattr(os, "umask", os.umask)  # restored when the test ends
    os.umask(0)  # what SQLite would create 0644 (or 0666) under
    ok(path, "done", "6.1")
    assert len(seen) == 1 and seen[0][0] is False, seen
    assert seen[0][1][0].startswith(".new.sqlite3.")  # built beside it, under another name
    assert sorted(p.name for p in stores.iterdir()) == ["new.sqlite3"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_every_file_of_a_store_is_private_under_any_umask(
    stores: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = stores / "store.sqlite3"
    monkeypatch.setattr(os, "umask", os.umask)
    os.umask(0)
    ok(path, "done", "6.1")
    location = StoreLocation.parse(str(path))
    with Store.open_for_writing(location) as store, store.transaction() as tx:
        tx.append([event(task_id="6.2")])
        files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in stores.iterdir()}
    assert files == {"store.sqlite3": 0o600, "store.sqlite3-wal": 0o600, "store.sqlite3-shm": 0o600}


def test_a_failed_first_command_leaves_a_store_another_process_holds(stores: Path) -> None:
    """A creates the store and fails while B has it open: A must not delete it under B."""
    from planctl.cli.session import Session

    path = stores / "store.sqlite3"
    with pytest.raises(Boom), Session(db=str(path)).writing():
        holder = sqlite3.connect(path)  # another process reading it (any open connection)
        holder.execute("SELECT count(*) FROM events").fetchone()
        raise Boom
    assert path.exists(), "the store was deleted under a process that holds it"
    holder.close()
    ok(path, "done", "6.1")
    assert json.loads(ok(path, "history", "--format", "json"))["events"][0]["task"] == "6.1"


def test_a_failed_first_command_alone_leaves_nothing(stores: Path) -> None:
    from planctl.cli.session import Session

    path = stores / "store.sqlite3"
    with pytest.raises(Boom), Session(db=str(path)).writing():
        raise Boom
    assert list(stores.iterdir()) == []


def test_what_a_killed_first_command_left_is_removed_by_the_next_one(stores: Path) -> None:
    """A command killed while it built a new store leaves its build file; the next command
    that makes the store removes it once it is old and its process gone, and nothing else."""
    gone = 4_194_305  # above Linux's largest pid: no such process
    old = time.time() - 3600
    left = [f".store.sqlite3.{gone}.0123abcd.new{suffix}" for suffix in ("", "-wal", "-journal")]
    recent = f".store.sqlite3.{gone}.89abcdef.new"  # its process may be gone, but not long
    running = f".store.sqlite3.{os.getpid()}.456789ab.new"  # a process still at it
    others = [".store.sqlite3.notes", ".other.sqlite3.4194305.0123abcd.new", recent, running]
    for name in left + others:
        (stores / name).write_bytes(b"")
        if name != recent:
            os.utime(stores / name, (old, old))
    ok(stores / "store.sqlite3", "done", "6.1")
    assert sorted(path.name for path in stores.iterdir()) == sorted(["store.sqlite3", *others])


def test_a_writer_whose_store_was_removed_says_so_and_makes_no_file(stores: Path) -> None:
    """The store goes (deleted by hand, or by the cleanup of a failed first command) between
    a command's opening it and its write: one line, and no empty 0644 file in its place."""
    path = stores / "store.sqlite3"
    ok(path, "done", "6.1")
    store = Store.open_for_writing(StoreLocation.parse(str(path)))
    for name in ("store.sqlite3", "store.sqlite3-wal", "store.sqlite3-shm"):
        (stores / name).unlink(missing_ok=True)
    with pytest.raises(StoreError), store.transaction() as tx:
        tx.append([event(task_id="6.2")])
    store.close()
    assert list(stores.iterdir()) == []


def test_a_writer_waiting_on_a_new_store_loses_nothing(stores: Path) -> None:
    """B (a real process) waits for the write lock of A, which created the store and then
    fails: B's event is either in the store at the path, or B says it was not recorded."""
    from planctl.cli.session import Session

    if not PLANCTL.exists():
        pytest.skip(f"no planctl entry point at {PLANCTL}")
    path = stores / "store.sqlite3"
    shm = Path(f"{path}-shm")
    with pytest.raises(Boom), Session(db=str(path)).writing():
        other = subprocess.Popen(
            [str(PLANCTL), "done", "6.2", "--db", str(path)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, **JUNE},
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while not _holds(other.pid, shm) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # on to its BEGIN IMMEDIATE, waiting for this one
        raise Boom
    out, err = other.communicate(timeout=60)
    if other.returncode == 0:
        assert out.startswith("done: 6.2 ")
        history = json.loads(ok(path, "history", "--format", "json"))
        assert [event["task"] for event in history["events"]] == ["6.2"]
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    else:
        assert err.startswith(f"planctl: the store {path} was removed"), err
        assert not path.exists()


def _holds(pid: int, path: Path) -> bool:
    """Whether the process has the file open."""
    try:
        return any(link.readlink() == path for link in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False


# -- 5. a read-only snapshot with its WAL and no -shm ----------------------------------------


@pytest.fixture
def read_only_copy(tmp_path: Path) -> Iterator[Callable[[list[Path]], Path]]:
    """Copy files into a directory nobody can write: a tmpfs remounted read-only as root, a
    chmod 555 directory otherwise (root ignores modes, so that is only for other users)."""
    directory = tmp_path / "snapshot"
    directory.mkdir()
    mounted = False

    def copy(files: list[Path]) -> Path:
        nonlocal mounted
        if os.geteuid() == 0:
            if shutil.which("mount") is None:
                pytest.skip("root without mount: cannot make a read-only directory")
            mount = ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(directory)]
            if subprocess.run(mount, check=False, capture_output=True).returncode != 0:
                pytest.skip("root, but mounting a tmpfs failed (no CAP_SYS_ADMIN?)")
            mounted = True
        for file in files:
            shutil.copy2(file, directory / file.name)
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(directory)], check=True)
        else:
            for file in files:
                (directory / file.name).chmod(0o444)
            directory.chmod(0o555)
        with pytest.raises(OSError):
            (directory / "probe").touch()
        return directory

    try:
        yield copy
    finally:
        if mounted:
            if subprocess.run(["umount", str(directory)], check=False).returncode != 0:
                subprocess.run(["umount", "-l", str(directory)], check=False)
        else:
            directory.chmod(0o755)


def test_a_read_only_snapshot_with_its_wal_shows_every_event(
    stores: Path,
    read_only_copy: Callable[[list[Path]], Path],
    read_path: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A backup taken while the store was open: the file, its -wal (holding the later
    events) and no -shm, on a read-only medium. Every event is read, from a private copy,
    which is removed afterwards (in a temporary directory of this test's own: another worker's
    test may be reading a snapshot of its own in the shared one)."""
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    path = stores / "store.sqlite3"
    ok(path, "done", "6.1")
    holder = sqlite3.connect(path)  # open, so the commands below leave their WAL behind
    holder.execute("SELECT count(*) FROM events").fetchone()
    ok(path, "note", "6.2", "提纲已定")
    ok(path, "done", "7.1")
    wal = Path(f"{path}-wal")
    assert wal.stat().st_size > 0
    snapshot_dir = read_only_copy([path, wal])
    holder.close()
    copy = snapshot_dir / "store.sqlite3"
    assert sorted(p.name for p in snapshot_dir.iterdir()) == ["store.sqlite3", "store.sqlite3-wal"]
    history = json.loads(ok(copy, "history", "--format", "json"))
    assert [event["task"] for event in history["events"]] == ["7.1", "6.2", "6.1"]
    exported = ok(copy, "store", "export")
    assert json.loads(exported.splitlines()[0])["events"] == 3
    assert sorted(p.name for p in snapshot_dir.iterdir()) == ["store.sqlite3", "store.sqlite3-wal"]
    assert list(private_tmp.iterdir()) == []


def test_a_read_only_snapshot_without_a_wal_is_read_as_before(
    stores: Path, read_only_copy: Callable[[list[Path]], Path], read_path: str
) -> None:
    path = stores / "store.sqlite3"
    ok(path, "done", "6.1")
    copy = read_only_copy([path]) / "store.sqlite3"
    history = json.loads(ok(copy, "history", "--format", "json"))
    assert [event["task"] for event in history["events"]] == ["6.1"]


def test_history_of_one_task_reads_only_that_task_s_events(read_store_url: str) -> None:
    """`history TASK` reads the task's own events (through the index on plan and task), not
    the plan's whole log: a damaged row of another task does not stop it (issue 24.6)."""
    store = damaged_store(read_store_url, "action = 'fnord'")  # the note on 6.2
    history = json.loads(ok(store, "history", "6.1", "--format", "json"))["events"]
    assert [(e["task"], e["action"], e["note"]) for e in history] == [("6.1", "done", "视察完成")]
    assert cli(store, "history", "6.2").code == 1, "6.2's own damaged row is still named"


# -- issue 24.6: report and digest fold task by task -------------------------------------------


def whole_log_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on both read paths read 3 events at a time, and every read of a plan's whole
    log is listed (by plan) in the list returned."""
    from planctl.store import sqlite_read, store

    whole_logs: list[str] = []

    def listed(read: Any) -> Any:
        def events(self: Any, plan_id: str, task_ids: Any = None) -> Any:
            if task_ids is None:
                whole_logs.append(plan_id)
            return read(self, plan_id, task_ids)

        return events

    for reader in (sqlite_read.SqliteReader, store.Store):
        monkeypatch.setattr(reader, "events", listed(reader.events))
    monkeypatch.setattr(sqlite_read, "CHUNK", 3)
    monkeypatch.setattr(store, "CHUNK", 3)
    return whole_logs


def busy_store(store: str) -> str:
    """Work of several tasks on the same days (the order among them is the store's), an undo
    inside the digest's week, a task with a target counted up in it, and work before it."""
    for args in (
        ["done", "6.1", "--on", "2018-06-12", "--note", "视察完成"],
        ["done", "P10.1", "--count", "2", "--on", "2018-05-20"],
        ["note", "6.2", "提纲已定", "--on", "2018-06-12"],
        ["done", "7.1", "--on", "2018-06-12"],
        ["done", "P10.1", "--on", "2018-06-13"],
        ["done", "5.1", "--on", "2018-06-14"],
        ["undo", "5.1"],
        ["defer", "8.1", "--to", "9", "--reason", "等待批复"],
        ["done", "P10.1", "--count", "2", "--on", "2018-06-11"],
        ["note", "3.1", "早先的记录", "--on", "2018-03-02"],
        ["done", "4.1", "--on", "2018-06-12"],
        ["done", "2.1", "--on", "2018-06-13"],
        ["done", "1.1", "--on", "2018-06-14"],
    ):
        ok(store, *args)
    return store


REPORT_AND_DIGEST = [
    ["report", "--format", "json"],
    ["report"],
    ["digest", "--format", "json"],
    ["digest", "--days", "30", "--format", "json"],
    ["digest", "--owner", "提案科", "--format", "json"],
]


def test_report_and_digest_never_read_the_plan_s_whole_log(
    read_store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """They fold each task's events as they come, 10,000 rows a read (here 3), keeping only
    what they show (the latest events, the week's work), and say exactly what they said when
    they read the whole log."""
    from planctl.store import rows

    busy_store(read_store_url)
    before = [cli(read_store_url, *args) for args in REPORT_AND_DIGEST]
    assert all(result.code == 0 and not result.err for result in before)
    whole_logs = whole_log_reads(monkeypatch)
    monkeypatch.setattr(rows, "CHUNK", 3)
    after = [cli(read_store_url, *args) for args in REPORT_AND_DIGEST]
    assert whole_logs == []
    assert after == before


def test_history_of_a_whole_plan_streams_json_csv_and_text(
    read_store_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`history` as json, csv and plain text reads the log newest first, 10,000 rows a read
    (here 3), and writes each row as it is read (plain text: after a first read for the
    columns' widths), to stdout or to -o FILE: the same bytes as when it built the whole
    document first."""

    busy_store(read_store_url)
    ok(read_store_url, "note", "6.1", "一条很长的备注，" * 12 + "\n第二行")  # wrapped, two lines
    narrow = {**JUNE, "COLUMNS": "60"}
    commands = [
        (["history", "--format", "json"], JUNE),
        (["history", "--format", "csv"], JUNE),
        (["history", "--format", "csv", "--bom"], JUNE),
        (["history", "--format", "json", "--since", "2018-06-13"], JUNE),
        (["history", "--format", "json", "--plan", "tests/data/good/minimal.yaml"], JUNE),
        (["history"], JUNE),
        (["history", "--format", "text"], narrow),
        (["history", "--since", "2018-06-14"], narrow),
        (["history", "--since", "2018-12-01"], JUNE),
        (["history", "--plan", "tests/data/good/minimal.yaml"], JUNE),
    ]

    def runs() -> list[Result]:
        results = [run(*args, "--db", read_store_url, env=env) for args, env in commands]
        for name in ("json", "text"):
            written = tmp_path / f"history.{name}"
            run("history", "-f", name, "-o", str(written), "--db", read_store_url, env=narrow)
            results.append(Result(0, written.read_text(encoding="utf-8"), ""))
        return results

    before = runs()
    assert all(result.code == 0 and not result.err for result in before)
    assert "第二行" in before[5].out, before[5].out
    assert before[8].out.endswith("\n无\n")
    whole_logs = whole_log_reads(monkeypatch)
    after = runs()
    assert whole_logs == []
    assert after == before


def test_history_of_a_whole_plan_streams_markdown_html_and_xlsx(
    read_store_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Markdown, html and xlsx of a plan's whole history are made from rows read anew from
    the store at each pass (issue 24.6): the same documents as the view built whole, and
    the whole log is never read at once."""
    import openpyxl

    from planctl.cli import history_stream

    busy_store(read_store_url)
    ok(read_store_url, "note", "6.1", "<b>粗体</b> | 竖线\n第二行")
    commands = [
        ["history", "--format", "markdown"],
        ["history", "--format", "html"],
        ["history", "--format", "markdown", "--since", "2018-06-13"],
        ["history", "--format", "html", "--since", "2018-12-01"],
    ]

    def runs() -> list[Any]:
        results: list[Any] = [run(*args, "--db", read_store_url, env=JUNE) for args in commands]
        for name in ("md", "html", "xlsx"):
            written = tmp_path / f"history.{name}"
            written.unlink(missing_ok=True)
            format = {"md": "markdown"}.get(name, name)
            done = run("history", "-f", format, "-o", str(written), "--db", read_store_url,
                       env=JUNE)  # fmt: skip
            assert (done.code, done.err) == (0, ""), done.err
            if name == "xlsx":
                book = openpyxl.load_workbook(written)
                sheets = {
                    sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
                    for sheet in book.worksheets
                }
                widths = {k: v.width for k, v in book.worksheets[0].column_dimensions.items()}
                results.append((sheets, widths, book.worksheets[0].row_dimensions[1].height))
            else:
                results.append(written.read_text(encoding="utf-8"))
        return results

    monkeypatch.setattr(history_stream, "stream_history", lambda *args: False)
    whole = runs()
    monkeypatch.undo()
    assert all(result.code == 0 and not result.err for result in whole[:4])
    assert "&lt;b&gt;粗体&lt;/b&gt; \\| 竖线<br>第二行" in whole[0].out
    whole_logs = whole_log_reads(monkeypatch)
    streamed = runs()
    assert whole_logs == []
    assert streamed == whole


def test_a_long_history_is_plain_text_on_a_terminal_and_refused_as_pdf(
    read_store_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Past `TERMINAL_ROWS` events a whole history on a terminal is the plain text a pipe
    gets (a Rich table holds every row); past `PDF_ROWS` a pdf is refused in one line,
    exit 1, no file written."""
    from planctl.cli import history_stream, output

    busy_store(read_store_url)
    wide = {**JUNE, "COLUMNS": "100"}
    piped = run("history", "--db", read_store_url, env=wide).out
    monkeypatch.setattr(output, "_terminal", lambda: True)
    on_terminal = run("history", "--db", read_store_url, env=wide)
    assert "┃" in on_terminal.out or "│" in on_terminal.out  # a Rich table: few rows
    monkeypatch.setattr(history_stream, "TERMINAL_ROWS", 3)
    long = run("history", "--db", read_store_url, env=wide)
    assert (long.code, long.err, long.out) == (0, "", piped)

    monkeypatch.setattr(history_stream, "PDF_ROWS", 3)
    pdf = tmp_path / "history.pdf"
    refused = run("history", "-f", "pdf", "-o", str(pdf), "--db", read_store_url, env=JUNE)
    assert (refused.code, refused.out) == (1, "")
    assert refused.err == (
        "planctl: 历史共有 13 条记录:pdf 最多 3 条;请指定任务、更晚的 --since,"
        "或改用 --format xlsx、html 或 csv\n"
    )
    assert not pdf.exists()
