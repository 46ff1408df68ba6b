"""The store's life: recognised (an empty database, a damaged or newer schema), made on purpose
(`store init`), created by several first writers at once, and tasks renamed in the plan
(issue 25 items 1, 2, 7; issue 24 items 7, 8)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from planctl.store.location import StoreLocation
from planctl.store.masking import mask_url
from planctl.store.revision import SCHEMA_REVISION
from tests.conftest import Planctl, Postgres, reset_postgres, run, snapshot
from tests.smtp import Server

READ_COMMANDS = [
    ["report"],
    ["digest"],
    ["assess"],
    ["due"],
    ["list"],
    ["show", "6.2"],
    ["history"],
    ["points"],
    ["store", "export"],
]


def _no_tables(url: str) -> str:
    shown = mask_url(url)
    return (
        f"planctl: {shown} 没有存储:该数据库中没有 planctl 的表,因此尚无记录;"
        f"`planctl store init --db {shown}` 可建立这些表\n"
    )


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_an_empty_postgresql_database_is_no_store(
    command: list[str], postgres: Postgres, planctl: Planctl
) -> None:
    reset_postgres(postgres.url)
    result = planctl(*command, db=postgres.url)
    assert (result.code, result.out, result.err) == (1, "", _no_tables(postgres.url))
    assert snapshot(postgres.url) == {}


def test_mail_from_an_empty_postgresql_database_sends_nothing(
    postgres: Postgres, planctl: Planctl, smtp_server: Callable[..., Server]
) -> None:
    reset_postgres(postgres.url)
    server = smtp_server()
    env = {
        "PLANCTL_SMTP_HOST": "127.0.0.1",
        "PLANCTL_SMTP_PORT": str(server.port),
        "PLANCTL_MAIL_FROM": "planctl@example.org",
    }
    result = planctl("mail", "--to", "office@example.org", db=postgres.url, env=env)
    assert (result.code, result.out, result.err) == (1, "", _no_tables(postgres.url))
    assert server.recorder.delivered == []
    assert snapshot(postgres.url) == {}


def test_a_recording_command_still_makes_the_schema_of_an_empty_database(
    postgres: Postgres, planctl: Planctl
) -> None:
    reset_postgres(postgres.url)
    assert planctl("done", "6.2", db=postgres.url).code == 0
    report = planctl("report", "--format", "json", db=postgres.url)
    assert (report.code, report.err) == (0, "")


def test_a_sqlite_file_without_tables_is_no_store(tmp_path: Path, planctl: Planctl) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    result = planctl("report", db=empty)
    assert (result.code, result.out) == (1, "")
    assert result.err == f"planctl: {empty} 没有存储:那里还没有任何记录\n"
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.sqlite3"]


# 25.2: a store made on purpose, and `check` judging the plan alone.


def test_store_init_makes_a_sqlite_store_once(tmp_path: Path, planctl: Planctl) -> None:
    store = tmp_path / "office.sqlite3"
    made = planctl("store", "init", db=store)
    assert (made.code, made.out, made.err) == (
        0,
        f"已建立存储 {store}(结构版本 {SCHEMA_REVISION},无记录)\n",
        "",
    )
    contents = store.read_bytes()
    info = planctl.json("store", "info", db=store)
    assert (info["schema_status"], info["events"]) == ("current", 0)
    again = planctl("store", "init", db=store)
    assert (again.code, again.out, again.err) == (
        0,
        f"存储 {store} 已是最新(结构版本 {SCHEMA_REVISION}),无需操作\n",
        "",
    )
    assert store.read_bytes() == contents
    assert sorted(p.name for p in tmp_path.iterdir()) == ["office.sqlite3"]
    assert planctl("report", db=store).code == 0


def test_store_init_makes_a_postgresql_store(postgres: Postgres, planctl: Planctl) -> None:
    reset_postgres(postgres.url)
    shown = mask_url(postgres.url)
    made = planctl("store", "init", db=postgres.url)
    assert (made.code, made.out, made.err) == (
        0,
        f"已建立存储 {shown}(结构版本 {SCHEMA_REVISION},无记录)\n",
        "",
    )
    assert snapshot(postgres.url) == {
        "alembic_version": [(SCHEMA_REVISION,)],
        "events": [],
        "plan_versions": [],
        "returns": [],
    }
    again = planctl("store", "init", db=postgres.url)
    assert again.out == (f"存储 {shown} 已是最新(结构版本 {SCHEMA_REVISION}),无需操作\n")
    report = planctl("report", db=postgres.url)
    assert (report.code, report.err) == (0, "")


def test_store_init_upgrades_an_older_store(tmp_path: Path, planctl: Planctl) -> None:
    from tests.test_migrations import build_at

    store = tmp_path / "old.sqlite3"
    build_at(StoreLocation.parse(str(store)), "0002")
    made = planctl("store", "init", db=store)
    assert (made.code, made.out, made.err) == (
        0,
        f"已将存储 {store} 的结构从版本 0002 升级到 {SCHEMA_REVISION}\n",
        "",
    )
    assert planctl.json("store", "info", db=store)["schema_status"] == "current"


def test_check_with_a_store_not_there_judges_the_plan_alone(
    tmp_path: Path, planctl: Planctl
) -> None:
    missing = tmp_path / "none.sqlite3"
    result = planctl("check", "plans/2018.yaml", db=missing)
    assert (result.code, result.err) == (
        0,
        f"planctl: 注意:{missing} 还没有存储;只校验了计划本身\n",
    )
    assert result.out.startswith("plans/2018.yaml:通过:cppcc-2018 ")
    assert result.out.count("\n") == 1
    assert not missing.exists()


# 24.8: the schema's version: newer, damaged, and nothing left beside a store that was read.


def _at_revision(store: Path, statements: list[str]) -> bytes:
    """A SQLite store at the current schema with one event, its alembic_version then changed;
    returns its bytes."""
    import sqlite3

    assert run("done", "6.1", "--db", str(store), "--today", "2018-06-15").code == 0
    connection = sqlite3.connect(store)
    with connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()
    return store.read_bytes()


READ_AND_WRITE = [["report"], ["due"], ["store", "export"], ["done", "6.2"]]


@pytest.mark.parametrize("command", READ_AND_WRITE, ids=" ".join)
def test_a_revision_this_planctl_does_not_know_was_made_by_a_newer_one(
    command: list[str], tmp_path: Path, planctl: Planctl, read_path: str
) -> None:
    store = tmp_path / "store.sqlite3"
    before = _at_revision(store, ["UPDATE alembic_version SET version_num = '0003b'"])
    result = planctl(*command, db=store)
    assert (result.code, result.out, result.err) == (
        1,
        "",
        f"planctl: 存储 {store} 由更新版本的 planctl 建立(结构版本 0003b),请升级 planctl\n",
    )
    assert store.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.sqlite3"]
    info = planctl.json("store", "info", db=store)
    assert (info["schema"], info["schema_status"]) == ("0003b", "newer")


DAMAGED_REVISIONS = {
    "empty": (
        ["UPDATE alembic_version SET version_num = ''"],
        "其结构版本(alembic_version)为空",
    ),
    "two rows": (
        ["INSERT INTO alembic_version VALUES ('0003')"],
        "alembic_version 中有 2 个结构版本,而不是一个",
    ),
    "no row": (
        ["DELETE FROM alembic_version"],
        "planctl 的表都在,却没有结构版本(alembic_version)",
    ),
}


@pytest.mark.parametrize("damage", DAMAGED_REVISIONS, ids=str)
@pytest.mark.parametrize("command", READ_AND_WRITE, ids=" ".join)
def test_a_damaged_schema_revision_is_named_by_every_command(
    command: list[str], damage: str, tmp_path: Path, planctl: Planctl, read_path: str
) -> None:
    store = tmp_path / "store.sqlite3"
    statements, problem = DAMAGED_REVISIONS[damage]
    before = _at_revision(store, statements)
    result = planctl(*command, db=store)
    assert (result.code, result.out, result.err) == (
        1,
        "",
        f"planctl: 存储 {store} 已损坏:{problem}\n",
    )
    assert store.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.sqlite3"]


def test_the_known_revisions_are_the_migrations() -> None:
    from planctl.store.revision import KNOWN_REVISIONS
    from tests.test_migrations import earlier_revisions

    assert (*earlier_revisions(), SCHEMA_REVISION) == KNOWN_REVISIONS


# 24.7: several first writers of a new PostgreSQL database.


@pytest.mark.slow
@pytest.mark.xdist_group("processes")
def test_four_first_writers_of_a_new_database_all_succeed(postgres: Postgres) -> None:
    from tests.test_concurrency import run_workers

    tasks = ["6.1", "6.2", "9.1", "Y.1"]
    for _ in range(2):  # the race is in the first moments: run it twice
        reset_postgres(postgres.url)
        outcomes = run_workers([[["done", task, "--db", postgres.url]] for task in tasks])
        got = [(o.code, o.err, o.out.split(" ", 2)[:2]) for [o] in outcomes]
        assert got == [(0, "", ["done:", task]) for task in tasks]
        rows = snapshot(postgres.url)
        assert isinstance(rows, dict)
        assert rows["alembic_version"] == [(SCHEMA_REVISION,)]
        assert sorted(row[3] for row in rows["events"]) == sorted(tasks)


@pytest.mark.slow
@pytest.mark.xdist_group("processes")
def test_four_imports_into_a_new_database_all_succeed(
    postgres: Postgres, tmp_path: Path, planctl: Planctl
) -> None:
    from tests.test_concurrency import run_workers

    source = tmp_path / "source.sqlite3"
    for task in ["6.1", "6.2", "9.1"]:
        planctl.ok("done", task, db=source)
    export = tmp_path / "events.jsonl"
    planctl.ok("store", "export", str(export), db=source)
    for _ in range(2):
        reset_postgres(postgres.url)
        outcomes = run_workers([[["store", "import", str(export), "--db", postgres.url]]] * 4)
        assert [(o.code, o.err) for [o] in outcomes] == [(0, "")] * 4
        assert planctl.ok("store", "export", db=postgres.url) == export.read_text("utf-8")


def test_a_first_writer_that_finds_the_schema_made_under_it_uses_it(
    postgres: Postgres, planctl: Planctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The interleaving the processes above hit now and then, made to happen: another command
    creates the schema (and commits) just after this one looked for `alembic_version` and
    before it looked for the events table."""
    import threading

    from sqlalchemy.engine.reflection import Inspector

    from planctl.store.store import Store

    reset_postgres(postgres.url)
    looked = Inspector.has_table
    other: list[threading.Thread] = []

    def has_table(self: Inspector, name: str, *args: object, **kwargs: object) -> bool:
        found = looked(self, name, *args, **kwargs)  # type: ignore[arg-type]
        if name == "alembic_version" and not other:
            location = StoreLocation.parse(postgres.url)
            other.append(threading.Thread(target=lambda: Store.open_for_writing(location).close()))
            other[0].start()
            other[0].join(timeout=3)  # done, or waiting for a lock this command holds
        return found

    monkeypatch.setattr(Inspector, "has_table", has_table)
    result = planctl("done", "6.1", db=postgres.url)
    other[0].join()
    assert (result.code, result.err) == (0, "")
    assert result.out == "done: 6.1 对城市精细化管理情况进行视察 (2018-06-15, tester)\n"
    rows = snapshot(postgres.url)
    assert isinstance(rows, dict)
    assert rows["alembic_version"] == [(SCHEMA_REVISION,)]
    assert [row[3] for row in rows["events"]] == ["6.1"]


# 25.7: a task renamed in the plan keeps its history, with a word where it is read.

ORPHANS = (
    "planctl: 警告:有 2 条记录属于 6.2,该任务已不在计划中"
    "(是否改过编号?执行 `planctl store rename-task 6.2 NEW` 可将记录移过去)\n"
)


@pytest.fixture
def renamed(tmp_path: Path, planctl: Planctl) -> tuple[str, Path]:
    """A SQLite store with two events of 6.2, and the plan with 6.2 renamed 6.2a."""
    return _renamed(str(tmp_path / "store.sqlite3"), tmp_path, planctl)


def _renamed(store: str, tmp_path: Path, planctl: Planctl) -> tuple[str, Path]:
    planctl.ok("done", "6.2", "--on", "2018-06-10", db=store)
    planctl.ok("note", "6.2", "三件提案已督办", db=store)
    plan = tmp_path / "2018.yaml"
    text = Path("plans/2018.yaml").read_text("utf-8")
    plan.write_text(text.replace('  - id: "6.2"\n', '  - id: "6.2a"\n', 1), "utf-8")
    return store, plan


@pytest.mark.parametrize(
    "command",
    [["due", "--month", "6"], ["show", "6.2a"], ["report"], ["digest"], ["list"], ["assess"]],
    ids=" ".join,
)
def test_every_read_names_events_of_a_task_no_longer_in_the_plan(
    command: list[str], renamed: tuple[str, Path], planctl: Planctl, read_path: str
) -> None:
    store, plan = renamed
    result = planctl(*command, db=store, plan=plan)
    assert (result.code, result.err) == (0, ORPHANS)


def test_rename_task_moves_the_history_and_undo_takes_it_back(
    store_url: str, planctl: Planctl, tmp_path: Path
) -> None:
    store, plan = _renamed(store_url, tmp_path, planctl)
    before = planctl("show", "6.2a", "--format", "json", db=store, plan=plan)
    assert (before.code, before.err) == (0, ORPHANS)
    assert '"status": "open"' in before.out
    moved = planctl("store", "rename-task", "6.2", "6.2a", db=store, plan=plan)
    assert (moved.code, moved.out, moved.err) == (
        0,
        "已改名:6.2 的 2 条记录今后计入 6.2a 重点提案督办\n",
        "",
    )
    shown = planctl.json("show", "6.2a", db=store, plan=plan)["task"]
    assert (shown["status"], shown["done_on"], shown["note"]) == (
        "done",
        "2018-06-10",
        "三件提案已督办",
    )
    assert planctl("report", db=store, plan=plan).err == ""
    check = planctl.ok("check", str(plan), db=store)
    assert "orphaned" not in check

    # It goes through an export and an import.
    export = tmp_path / "events.jsonl"
    planctl.ok("store", "export", str(export), db=store)
    other = tmp_path / "other.sqlite3"
    planctl.ok("store", "import", str(export), db=other)
    assert planctl.json("show", "6.2a", db=other, plan=plan)["task"]["status"] == "done"

    # A recording command on the new ID sees the old ID's history.
    again = planctl("done", "6.2a", db=store, plan=plan)
    assert (again.code, again.err) == (0, "")
    assert again.out.startswith("already done: 6.2a 重点提案督办 (2018-06-10, tester)")

    undone = planctl("undo", "6.2a", db=store, plan=plan)
    assert (undone.code, undone.err) == (0, "")
    after = planctl("show", "6.2a", "--format", "json", db=store, plan=plan)
    assert (after.code, after.err) == (0, ORPHANS)
    assert '"status": "open"' in after.out


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("6.2", "6.9z", "planctl: cppcc-2018 中没有与 '6.9z' 匹配的任务"),
        (
            "6.1",
            "6.2a",
            "planctl: 6.1 是计划中的任务:只能移动计划中已不存在的任务的记录",
        ),
        ("6.7", "6.2a", "planctl: cppcc-2018 中没有 6.7 的记录;无可移动"),
    ],
)
def test_rename_task_refuses_what_it_cannot_move(
    old: str, new: str, message: str, renamed: tuple[str, Path], planctl: Planctl
) -> None:
    store, plan = renamed
    before = snapshot(store)
    result = planctl("store", "rename-task", old, new, db=store, plan=plan)
    assert (result.code, result.out) == (1, "")
    if old == "6.2":  # a task not matched: the suggestions follow
        assert result.err.splitlines()[0] == message
    else:
        assert result.err == message + "\n"
    assert snapshot(store) == before


RENAME_LINE = (
    '{"type": "event", "event_id": "e-7", "plan_id": "cppcc-2018", "task_id": "6.2a",'
    ' "action": "rename", "work_date": "2018-06-15", "recorded_by": "李明",'
    ' "recorded_at": "2018-06-15T01:02:03.456789+00:00", "note": "6.2", "undoes": null,'
    ' "count": null, "to_month": null, "to_date": null, "percent": null, "value": null}\n'
)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (('"note": "6.2"', '"note": null'), "note (the old task ID) is needed for rename"),
        (('"count": null', '"count": 2'), "count is only for done, claim or chase, not rename"),
    ],
)
def test_a_bad_rename_line_is_refused_at_its_line(change: tuple[str, str], problem: str) -> None:
    from planctl.errors import TransferFileError
    from planctl.store.transfer import parse_export

    header = '{"planctl_export": 3, "events": 1, "plan_versions": 0}\n'
    parse_export((header + RENAME_LINE).encode(), "F")  # the line as planctl writes it
    with pytest.raises(TransferFileError) as raised:
        parse_export((header + RENAME_LINE.replace(*change)).encode(), "F")
    assert raised.value.lines() == [f"F:2: {problem}"]
