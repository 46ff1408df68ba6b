"""Faults a person meets: bad plan files, and a store that is full, read-only, not a database,
locked or on a server that went away. Each gives exit 1 and one clear line, changes nothing
that was recorded, and the next command works once the fault is gone.

The bad plans are the corpus of tests/test_load.py (which checks the loader's messages), here
run through the CLI: `check` and a recording command, with a store that must not change.
"""

from __future__ import annotations

import codecs
import errno
import os
import random
import re
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from planctl.core.events import Action, Stamp
from planctl.plan import source
from planctl.store import engines, sqlite_files
from planctl.store import store as store_module
from planctl.store.store import Store, StoreLocation
from tests.conftest import REPO, Planctl, Result, snapshot
from tests.test_load import BAD, BAD_BYTES, BAD_FILES, MIB, MINIMAL, params

PLANCTL = Path(sys.executable).parent / "planctl"
JUNE = {"PLANCTL_TODAY": "2018-06-15"}


def lines(*text: str) -> str:
    return "".join(f"{line}\n" for line in text)


def events(planctl: Planctl, db: str | Path) -> list[tuple[str, str, str | None]]:
    """(task, action, note) of every event, oldest first, as `history` shows them."""
    shown = planctl.json("history", db=db)["events"]
    return [(e["task"], e["action"], e["note"]) for e in reversed(shown)]


def one_line_error(result: Result) -> None:
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith("planctl: ") and result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err


@pytest.fixture
def recorded(made_sqlite_store: str, planctl: Planctl) -> str:
    """A SQLite store holding one event."""
    db = made_sqlite_store
    assert planctl("done", "6.1", "--note", "视察完成", db=db).code == 0
    return db


# -- bad plans through the CLI ---------------------------------------------------------------


def refused_without_a_trace(
    planctl: Planctl, plan: Path, expected: list[str], db: str, fresh: Path
) -> None:
    """`check` and `done` print exactly the problems, exit 1, and change no store."""
    before = snapshot(db)
    for args in (["check", str(plan)], ["done", "6.2", "--plan", str(plan)]):
        for store in (db, str(fresh)):
            result = planctl(*args, db=store)
            assert (result.code, result.out, result.err) == (1, "", lines(*expected))
    assert snapshot(db) == before
    assert not fresh.exists()


@pytest.mark.parametrize(("name", "expected"), params(BAD_FILES))
def test_a_bad_plan_file_through_the_cli(
    name: str, expected: list[str], recorded: str, tmp_path: Path, planctl: Planctl
) -> None:
    path = BAD / name
    want = [f"{path}:{line}" for line in IN_CHINESE.get(name, expected)]
    refused_without_a_trace(planctl, path, want, recorded, tmp_path / "fresh.sqlite3")


IN_CHINESE = {
    "duplicate-task-id.yaml": ["15:9: 任务编号 't1' 重复"],
    "duplicate-point-number.yaml": ["10:17: 工作要点编号 1 重复"],
    "missing-point.yaml": ["14:17: 没有编号为 7 的工作要点"],
    "duplicate-task-id-case.yaml": ["15:9: 任务编号 'A' 重复(任务编号不区分大小写:'a' 在第 11 行)"],
    "prerequisite-cycle.yaml": ["15:12: 前置任务循环:t1 -> t2 -> t3 -> t1"],
    "prerequisite-self.yaml": ["15:12: 前置任务循环:t1 -> t1"],
    "after-missing-task.yaml": ["18:17: 没有编号为 't9' 的任务"],
    "step-duplicate-id.yaml": ["9:13: 任务编号 'T1' 重复(任务编号不区分大小写:'t1' 在第 5 行)"],
    "unknown-key-top.yaml": ["4:1: 未知的键 'owner'"],
    "unknown-key-task.yaml": ["14:5: 未知的键 'when'"],
    "task-without-title.yaml": ["11:5: 缺少键 'title'"],
    "duplicate-key.yaml": ["14:5: 键 'month' 重复(首次定义在第 13 行)"],
    "python-object-apply.yaml": ["12:12: 不允许标签 !!python/object/apply:os.system"],
    "python-name.yaml": ["12:12: 不允许标签 !!python/name:os.system"],
    "empty.yaml": ["1:1: 计划文件为空"],
    "null.yaml": ["1:1: 计划应为映射,而不是空值"],
    "top-level-list.yaml": ["1:1: 计划应为映射,而不是列表"],
    "alias-bomb.yaml": ["10:5: 计划展开后节点过多"],
    "task-not-mapping.yaml": ["15:5: tasks[1]:任务应为映射,而不是标量"],
    "integer-key.yaml": ["14:5: 未知的键 3"],
    "int-tag-not-a-number.yaml": ["13:12: 'june' 不是有效的 !!int"],
    "int-tag-empty.yaml": ["13:12: '' 不是有效的 !!int"],
    "timestamp-tag-not-a-date.yaml": ["2:7: 'soon' 不是有效的 !!timestamp"],
    "bool-tag-not-a-bool.yaml": ["13:17: 'maybe' 不是有效的 !!bool"],
    "python-object-new.yaml": ["12:12: 不允许标签 !!python/object/new:os.system"],
    "python-module.yaml": ["12:12: 不允许标签 !!python/module:os"],
    "verbatim-python-tag.yaml": ["12:12: 不允许标签 !!python/object/apply:os.system"],
    "local-tag.yaml": ["12:12: 不允许标签 !foo"],
    "local-binary-tag.yaml": ["12:12: 不允许标签 !binary"],
    "alias-bomb-keys.yaml": ["10:5: 计划展开后节点过多"],
    "merge-key-bomb.yaml": ["10:14: 计划展开后节点过多"],
    "month-int-tag-octal.yaml": ["13:12: '010' 不是有效的 !!int"],
    "key-on.yaml": ["14:5: 未知的键 'on'"],
    "bool-tag-on.yaml": ["13:17: 'on' 不是有效的 !!bool"],
    "step-parent-key.yaml": ["11:9: 未知的键 'parent'"],
    "returns-unknown-key.yaml": ["4:34: 未知的键 'after'"],
    # Pydantic's and the YAML parser's own words, translated
    "yaml-syntax.yaml": ["3:15: 此处不允许出现映射的值"],
    "year-not-integer.yaml": ["2:7: year: 应为整数"],
    "yaml-unclosed-bracket.yaml": [
        "13:10: 没有找到应有的 ',' 或 ']'(解析流式序列时;该处始于第 12 行第 12 列)"
    ],
    "task-id-unquoted-number.yaml": ['11:9: tasks[0].id: 应为文字(请加引号:"1.1")'],
    "binary-tag.yaml": ["12:12: tasks[0].title: 应为文字"],
    "recursive-alias.yaml": ["14:13: tasks[0].owners[1]: 应为文字"],
    "undefined-alias.yaml": ["13:12: 发现未定义的别名"],
    "two-documents.yaml": ["15:1: 却发现了另一个文档(文件中应只有一个文档;该处始于第 1 行第 1 列)"],
    "deep-nesting-600.yaml": ["4:15: organisation: 应为文字"],
    "year-hex.yaml": ["2:7: year: 应为整数(请写十进制数)"],
    "target-sexagesimal.yaml": ["14:13: tasks[0].target: 应为数字(请写十进制数)"],
    "year-round-yes.yaml": ["13:17: tasks[0].year_round: 应为 true 或 false(请写作 true)"],
    "target-infinite.yaml": ["14:13: tasks[0].target: 应为数字"],
    "returns-week.yaml": ["4:18: returns.every: 应为 'month' 或 'quarter'"],
    "returns-by-0.yaml": ["6:7: returns.by: 应大于或等于 1"],
    "month-name.yaml": ["13:12: tasks[0].month: 'june' 不是月份:请写 1-12 或 \"YYYY-MM\""],
    "month-0.yaml": ['13:12: tasks[0].month: 0 不是月份:请写 1-12 或 "YYYY-MM"'],
    "month-13.yaml": ['13:12: tasks[0].month: 13 不是月份:请写 1-12 或 "YYYY-MM"'],
    "month-and-year-round.yaml": [
        "11:5: tasks[0]: 任务有 month(月份) 或 year_round: true 之一,不能两者都有"
    ],
    "neither-month-nor-year-round.yaml": [
        "11:5: tasks[0]: 任务需要 month、quarter、due、year_round: true、every 或 months 之一"
    ],
    "several-problems.yaml": [
        "2:7: year: 应为整数",
        '13:12: tasks[0].month: 13 不是月份:请写 1-12 或 "YYYY-MM"',
        "14:5: 未知的键 'when'",
    ],
    "month-true.yaml": ['13:12: tasks[0].month: true 不是月份:请写 1-12 或 "YYYY-MM"'],
    "escaped-control-character.yaml": ["12:12: tasks[0].title: 不允许控制字符 0x001b"],
    "month-octal.yaml": ["13:12: tasks[0].month: '010' 不是月份:请写作 10"],
    "month-leading-zero.yaml": ["13:12: tasks[0].month: '08' 不是月份:请写作 8"],
    "month-underscore.yaml": ["13:12: tasks[0].month: '1_0' 不是月份:请写作 10"],
    "month-hex.yaml": ["13:12: tasks[0].month: '0xA' 不是月份:请写十进制数"],
    "month-binary.yaml": ["13:12: tasks[0].month: '0b1010' 不是月份:请写十进制数"],
    "month-octal-0o.yaml": ["13:12: tasks[0].month: '0o12' 不是月份:请写十进制数"],
    "carried-from-no-task.yaml": [
        "15:19: tasks[0].carried_from: 'cppcc-2018' 不是“计划ID:任务ID”的写法(如 cppcc-2018:6.2)"
    ],
    "target-decimal-count.yaml": [
        "11:5: tasks[0]: 计数目标是不小于 1 的整数,不能是 2.5(要达到的数值需写 measure: value)"
    ],
    "measure-without-target.yaml": ["11:5: tasks[0]: measure 需要 target"],
    "compare-without-value.yaml": ["11:5: tasks[0]: compare 须与 measure: value 一起用"],
    "tolerance-without-about.yaml": ["11:5: tasks[0]: tolerance 须与 compare: about 一起用"],
    "tolerance-negative.yaml": ["11:5: tasks[0]: tolerance 须不小于 0,不能是 -1"],
}
"""The problems of plan/check.py and plan/load.py as the CLI says them on these zh plans
(BAD_FILES: in English, as `load_plan` gives them in-process; Pydantic's and PyYAML's words
translated too, and the plan's own checks (plan/types.py, plan/task.py))."""

BYTES_IN_CHINESE = {
    "latin-1": ["12:15: 计划文件不是 UTF-8 编码(字节 0xe9)"],
    "gbk": ["12:12: 计划文件不是 UTF-8 编码(字节 0xc8)"],
    "latin-1-after-chinese": ["12:14: 计划文件不是 UTF-8 编码(字节 0xe9)"],
    "utf-16-le-bom": ["1:1: 计划文件是 UTF-16 编码;请另存为 UTF-8"],
    "utf-16-be-bom": ["1:1: 计划文件是 UTF-16 编码;请另存为 UTF-8"],
    "control-character": ["12:16: 不允许控制字符 0x0007"],
    "nul": ["12:16: 不允许控制字符 0x0000"],
    "crlf-unknown-key": ["14:5: 未知的键 'when'"],
    "control-character-after-chinese": ["12:15: 不允许控制字符 0x0007"],
    "utf-16-le-no-bom": ["1:1: 计划文件是 UTF-16 编码;请另存为 UTF-8"],
    "line-separator": ["12:16: 不允许行分隔符 U+2028"],
}
"""BAD_BYTES' problems as the CLI says them on these zh plans."""


@pytest.mark.parametrize(("name", "raw", "expected"), params(BAD_BYTES))
def test_bad_plan_bytes_through_the_cli(
    name: str, raw: bytes, expected: list[str], recorded: str, tmp_path: Path, planctl: Planctl
) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(raw)
    want = [f"{path}:{line}" for line in BYTES_IN_CHINESE.get(name, expected)]
    refused_without_a_trace(planctl, path, want, recorded, tmp_path / "fresh.sqlite3")


def test_a_plan_over_the_size_limit_through_the_cli(
    recorded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planctl: Planctl
) -> None:
    monkeypatch.setattr(source, "MAX_PLAN_BYTES", MIB)
    path = tmp_path / "big.yaml"
    path.write_bytes(MINIMAL.encode() + b"#" * MIB + b"\n")
    want = [f"{path}:1:1: 计划文件大于 1 MiB"]  # a plan without language: is zh
    refused_without_a_trace(planctl, path, want, recorded, tmp_path / "fresh.sqlite3")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("tests/data/no-such-plan.yaml", "No such file or directory"),
        ("tests/data", "Is a directory"),
    ],
)
def test_a_plan_that_cannot_be_read_through_the_cli(
    path: str, message: str, recorded: str, tmp_path: Path, planctl: Planctl
) -> None:
    want = [f"planctl: cannot read plan {path}: {message}"]
    refused_without_a_trace(planctl, Path(path), want, recorded, tmp_path / "fresh.sqlite3")


def test_a_plan_with_a_utf8_bom_is_accepted_through_the_cli(
    recorded: str, tmp_path: Path, planctl: Planctl
) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(codecs.BOM_UTF8 + MINIMAL.encode())
    result = planctl("check", str(path), db=recorded)
    assert (result.code, result.err) == (0, "")
    assert result.out == f"{path}:通过:mini Minimal plan:1 个部分、1 个工作要点、1 项任务\n"


MEMORY_LIMIT = 256 * MIB
"""Address space for a `planctl check` of a hostile plan: the whole program needs ~200 MiB."""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


HOSTILE = [case for case in BAD_FILES if "bomb" in case.name or "nesting" in case.name]


@pytest.mark.parametrize(("name", "expected"), params(HOSTILE))
def test_hostile_plans_are_refused_in_bounded_memory(name: str, expected: list[str]) -> None:
    """The installed program, as a person runs it (no PLANCTL_TRACEBACK), under a memory limit
    that an expanded alias bomb would blow through many times over."""
    if not PLANCTL.exists():
        pytest.skip(f"the console script is not installed at {PLANCTL}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANCTL_")}
    path = BAD / name
    result = subprocess.run(
        [str(PLANCTL), "check", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        preexec_fn=_limit_memory,
        timeout=120,
        check=False,
    )
    want = lines(*(f"{path}:{line}" for line in IN_CHINESE.get(name, expected)))
    assert (result.returncode, result.stdout, result.stderr) == (1, "", want)


# -- a full disk, a read-only file system ------------------------------------------------------


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Mount small tmpfs file systems (root only); all are unmounted when the test ends."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root (and mount) to mount a small tmpfs")
    mounted: list[Path] = []

    def mount(options: str) -> Path:
        point = tmp_path / f"mnt{len(mounted)}"
        point.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], check=True)
        mounted.append(point)
        return point

    try:
        yield mount
    finally:
        for point in reversed(mounted):
            if subprocess.run(["umount", str(point)], check=False).returncode != 0:
                subprocess.run(["umount", "-l", str(point)], check=False)


def fill(directory: Path) -> Path:
    """Write a file until the file system is full; remove it to free the space."""
    filler = directory / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        for chunk in (64 * 1024, 512, 1):
            try:
                while True:
                    os.write(descriptor, b"\0" * chunk)
            except OSError as error:
                assert error.errno == errno.ENOSPC, error
    finally:
        os.close(descriptor)
    return filler


def test_a_full_disk_loses_nothing_and_the_next_command_works(
    tmpfs: Callable[[str], Path], planctl: Planctl
) -> None:
    db = tmpfs("size=1m") / "store.sqlite3"
    assert planctl("done", "6.1", "--note", "视察完成", db=db).code == 0
    before = events(planctl, db)
    recorded = db.read_bytes()
    filler = fill(db.parent)
    for args in (["done", "6.2", "6.3", "--note", "满了"], ["undo", "6.1"], ["note", "6.1", "x"]):
        one_line_error(planctl(*args, db=db))
    assert db.read_bytes() == recorded
    filler.unlink()
    assert events(planctl, db) == before
    assert planctl("done", "6.2", "--note", "空间已释放", db=db).code == 0
    assert events(planctl, db) == [*before, ("6.2", "done", "空间已释放")]


def test_a_new_store_on_a_full_disk_leaves_no_file(
    tmpfs: Callable[[str], Path], planctl: Planctl
) -> None:
    mount = tmpfs("size=1m")
    fill(mount)
    db = mount / "new.sqlite3"
    one_line_error(planctl("done", "6.1", db=db))
    assert sorted(path.name for path in mount.iterdir()) == ["filler"]


def test_a_full_disk_is_named_in_the_message(
    tmpfs: Callable[[str], Path], planctl: Planctl
) -> None:
    mount = tmpfs("size=1m")
    db = mount / "store.sqlite3"
    assert planctl("done", "6.1", db=db).code == 0
    fill(mount)
    new = mount / "new.sqlite3"
    assert planctl("done", "6.1", db=new).err == (
        f"planctl: 存储 {new} 所在的磁盘已满;未记录任何内容\n"
    )
    assert planctl("done", "6.2", db=db).err == (
        f"planctl: 存储 {db} 所在的磁盘已满;未记录任何内容\n"
    )
    assert planctl("due", db=db).err == f"planctl: 存储 {db} 所在的磁盘已满\n"


def test_a_read_only_file_system_reads_but_records_nothing(
    tmpfs: Callable[[str], Path], planctl: Planctl
) -> None:
    mount = tmpfs("size=2m")
    db = mount / "store.sqlite3"
    assert planctl("done", "6.1", "--note", "视察完成", db=db).code == 0
    before = events(planctl, db)
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
    try:
        read_only = f"planctl: 存储 {db} 是只读的;未记录任何内容\n"
        for args in (["done", "6.2"], ["undo", "6.1"], ["note", "6.1", "x"]):
            result = planctl(*args, db=db)
            assert (result.code, result.out, result.err) == (1, "", read_only)
        assert events(planctl, db) == before
        for args in (["due"], ["report", "--format", "json"], ["check", "plans/2018.yaml"]):
            assert planctl(*args, db=db).code == 0
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(mount)], check=True)
    assert planctl("done", "6.2", db=db).code == 0
    assert events(planctl, db) == [*before, ("6.2", "done", None)]


# -- a file that is not a store ---------------------------------------------------------------


def _truncated_store(path: Path) -> None:
    """The first half of a real store, as a failed copy leaves it."""
    whole = Store.open_for_writing(StoreLocation.parse(str(path.with_name("whole.sqlite3"))))
    at = datetime(2018, 6, 15, tzinfo=UTC)
    stamp = Stamp("王", at, (f"event-{n}" for n in range(100)))
    made = [stamp.event("cppcc-2018", "6.1", Action.DONE, at.date())]
    for n in range(1, 8):
        made.append(
            stamp.event("cppcc-2018", "6.1", Action.NOTE, at.date(), note=f"第 {n} 条" * 200)
        )
    with whole.transaction() as transaction:
        transaction.append(made)
    whole.close()
    data = path.with_name("whole.sqlite3").read_bytes()
    path.write_bytes(data[: len(data) // 2])


NOT_A_DATABASE = "{db} 不是 planctl 存储(不是 SQLite 数据库)"
MALFORMED = "store {db}: database disk image is malformed"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(random.Random(8).randbytes(8192)), NOT_A_DATABASE),
        (lambda p: p.write_text("这不是数据库\n" * 500, encoding="utf-8"), NOT_A_DATABASE),
        (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000), NOT_A_DATABASE),
        (_truncated_store, MALFORMED),
    ],
    ids=["random-bytes", "text", "bad-header", "truncated-store"],
)
def test_a_file_that_is_not_a_store(
    tmp_path: Path, make: Callable[[Path], None], message: str, planctl: Planctl
) -> None:
    db = tmp_path / "store.sqlite3"
    make(db)
    before = db.read_bytes()
    for args in (["done", "6.1"], ["undo", "6.1"], ["due"], ["report"], ["history"]):
        result = planctl(*args, db=db)
        assert (result.code, result.out, result.err) == (
            1,
            "",
            f"planctl: {message}\n".format(db=db),
        )
    assert db.read_bytes() == before
    db.unlink()
    assert planctl("done", "6.1", db=db).code == 0, "a store in its place works"


def test_another_programs_sqlite_database_is_left_alone(tmp_path: Path, planctl: Planctl) -> None:
    db = tmp_path / "places.sqlite"
    connection = sqlite3.connect(db)
    connection.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    connection.execute("INSERT INTO moz_places (url) VALUES ('https://example.org/')")
    connection.commit()
    connection.close()
    before = db.read_bytes()
    message = f"planctl: {db} 不是 planctl 存储(是含有其他表的 SQLite 数据库)\n"
    for args in (["done", "6.1"], ["due"]):
        result = planctl(*args, db=db)
        assert (result.code, result.out, result.err) == (1, "", message)
    assert db.read_bytes() == before


# -- a store locked past the timeout ---------------------------------------------------------


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_SECONDS", 0.2)
    monkeypatch.setattr(engines, "BUSY_TIMEOUT_SECONDS", 0.2)  # the connections' busy timeout
    monkeypatch.setattr(sqlite_files, "BUSY_TIMEOUT_SECONDS", 0.2)  # the sqlite3 read path's
    return 0.2


def locked(shown: str) -> str:
    return f"planctl: 存储 {shown} 被另一个进程锁定(已等待 0.2 秒)\n"


WRITES = [
    ["done", "6.2", "6.3"],
    ["undo", "6.1"],
    ["note", "6.1", "记一笔"],
    ["defer", "7.1", "--to", "9", "--reason", "等待批复"],
]


def test_writers_wait_then_say_the_store_is_locked(
    store_url: str, short_timeout: float, planctl: Planctl
) -> None:
    """Another process in a write transaction (SQLite's write lock, or on PostgreSQL the lock
    a planctl write takes): every recording command waits the busy timeout, then says so;
    readers are not held up; once the lock is gone the next command works."""
    db, shown = store_url, StoreLocation.parse(store_url).display()
    assert planctl("done", "6.1", "--note", "视察完成", db=db).code == 0
    before = snapshot(db)
    holder = sa.create_engine(StoreLocation.parse(db).url, poolclass=sa.pool.NullPool)
    with holder.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({store_module.WRITE_LOCK})")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        for args in WRITES:
            result = planctl(*args, db=db)
            assert (result.code, result.out, result.err) == (1, "", locked(shown))
        for args in (["due"], ["report", "--format", "json"], ["history"]):
            assert planctl(*args, db=db).code == 0, "readers are not held up by a writer"
        connection.rollback()
    holder.dispose()
    assert snapshot(db) == before
    assert events(planctl, db) == [("6.1", "done", "视察完成")]
    assert planctl("done", "6.2", "6.3", db=db).code == 0


def test_an_exclusive_lock_stops_readers_with_one_line(
    recorded: str, short_timeout: float, planctl: Planctl
) -> None:
    before = Path(recorded).read_bytes()
    holder = sqlite3.connect(recorded, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("DELETE FROM events")  # uncommitted: nobody may see it
    try:
        for args in (["due"], ["report"], ["history"], ["check", "plans/2018.yaml"], WRITES[0]):
            result = planctl(*args, db=recorded)
            assert (result.code, result.err) == (1, locked(recorded))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert Path(recorded).read_bytes() == before
    assert events(planctl, recorded) == [("6.1", "done", "视察完成")]


# -- PostgreSQL down, and restarted under a command -----------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_postgresql_not_listening(planctl: Planctl) -> None:
    pytest.importorskip("psycopg")
    port = free_port()
    url = f"postgresql+psycopg://planctl:s3cret-pw@127.0.0.1:{port}/plans"
    shown = f"postgresql+psycopg://planctl:********@127.0.0.1:{port}/plans"
    message = (
        f"planctl: store {shown}: connection failed: connection to server at"
        f' "127.0.0.1", port {port} failed: Connection refused\n'
    )
    for args in (["done", "6.1"], ["undo", "6.1"], ["due"], ["report"], ["history"]):
        result = planctl(*args, db=url)
        assert (result.code, result.out, result.err) == (1, "", message)
    checked = planctl("check", "plans/2018.yaml", db=url)  # the plan is fine; the store is not
    assert (checked.code, checked.err) == (1, message)
    assert checked.out.startswith("plans/2018.yaml:通过:")


@dataclass(frozen=True)
class Cluster:
    """A throw-away PostgreSQL server of this test's own (see .ci/start-postgres)."""

    url: str
    port: int
    directory: Path
    pg_ctl: str

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", self.pg_ctl, "-D", str(self.directory / "data"),
             *args],
            check=True,
            capture_output=True,
            timeout=120,
        )  # fmt: skip

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "stop")

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.directory} -c fsync=off"
        self._pg_ctl("-l", str(self.directory / "server.log"), "-w", "-t", "60", "-o", options,
                     "start")  # fmt: skip


@pytest.fixture
def own_postgres() -> Iterator[Cluster]:
    """A PostgreSQL server this test may stop and start; it is stopped and removed after."""
    pytest.importorskip("psycopg")
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        pytest.skip("needs root (and runuser) to run a throw-away PostgreSQL server")
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        pytest.skip("needs the PostgreSQL server binaries (/usr/lib/postgresql/*/bin)")
    port = free_port()
    started = subprocess.run(
        [str(REPO / ".ci" / "start-postgres")],
        env={**os.environ, "PG_PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    exports = dict(re.findall(r"^export (\w+)='(.*)'$", started.stdout, re.MULTILINE))
    directory = Path(exports["PLANCTL_TEST_PG_DIR"])
    pg_ctl = exports["PLANCTL_TEST_PG_STOP"].split(" -- ")[1].split()[0]
    cluster = Cluster(exports["PLANCTL_TEST_POSTGRES_URL"], port, directory, pg_ctl)
    try:
        yield cluster
    finally:
        subprocess.run(["runuser", "-u", "postgres", "--", pg_ctl, "-D", str(directory / "data"),
                        "-m", "immediate", "stop"], capture_output=True, check=False)  # fmt: skip
        shutil.rmtree(directory, ignore_errors=True)


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 60) -> Any:
    """Poll until `condition()` is truthy; fail (rather than hang) after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    pytest.fail(f"gave up waiting for {what}")


def test_postgresql_restarted_under_a_command(own_postgres: Cluster, planctl: Planctl) -> None:
    import psycopg

    server = own_postgres
    db = server.url
    shown = db.replace(":planctl-test@", ":********@")
    assert planctl("done", "6.1", "--note", "重启前", db=db).code == 0
    dsn = db.replace("postgresql+psycopg://", "postgresql://")

    # Hold the events table so that the next `done` stops in the middle of its transaction.
    locker = psycopg.connect(dsn)
    locker.execute("LOCK TABLE events IN EXCLUSIVE MODE")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANCTL_")}
    env.update(PLANCTL_TODAY="2018-06-15", PLANCTL_DB=db)
    command = subprocess.Popen(
        [str(PLANCTL), "done", "6.2", "7.1", "--note", "重启中"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with psycopg.connect(dsn, autocommit=True) as watcher:
            wait_for(
                lambda: watcher.execute(
                    "SELECT 1 FROM pg_stat_activity"
                    " WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO events%'"
                ).fetchone(),
                "the done to wait inside its transaction",
            )
        server.stop()
        out, err = command.communicate(timeout=60)
    finally:
        if command.poll() is None:
            command.kill()
            command.communicate()
        locker.close()
    assert (command.returncode, out, err) == (
        1,
        "",
        f"planctl: store {shown}: consuming input failed: server closed the connection"
        " unexpectedly\n",
    )

    down = (
        f"planctl: store {shown}: connection failed: connection to server at"
        f' "127.0.0.1", port {server.port} failed: Connection refused\n'
    )
    for args in (["done", "6.2"], ["due"]):
        assert planctl(*args, db=db).err == down

    server.start()
    assert events(planctl, db) == [("6.1", "done", "重启前")]
    assert planctl("done", "6.2", "7.1", "--note", "重启后", db=db).code == 0
    assert events(planctl, db) == [
        ("6.1", "done", "重启前"),
        ("6.2", "done", "重启后"),
        ("7.1", "done", "重启后"),
    ]
