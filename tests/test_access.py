"""Access: read commands work where the store may only be read, and a write there is refused in
one line with nothing written. A PostgreSQL role that may only SELECT; a SQLite file on a
read-only mount."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from planctl.store.masking import mask_url
from planctl.store.schema import SCHEMA_REVISION
from planctl.store.store import StoreLocation
from tests.conftest import Planctl, Postgres, reset_postgres, snapshot

READS = [
    ["due"],
    ["due", "--format", "json"],
    ["list", "--format", "json"],
    ["report"],
    ["history", "--format", "json"],
    ["show", "6.1", "--format", "json"],
    ["store", "export"],
]
WRITES = [
    ["done", "6.2"],
    ["done", "6.3", "6.2", "--note", "一起"],
    ["note", "6.1", "补记"],
    ["undo", "6.1"],
    ["defer", "7.1", "--to", "9", "--reason", "推迟"],
]


def record_some_progress(planctl: Planctl, db: str) -> None:
    for args in (["done", "6.1", "--by", "李明"], ["note", "5.1", "调研提纲已定"]):
        assert planctl(*args, db=db).code == 0


def refused(db: str) -> str:
    return f"planctl: 存储 {StoreLocation.parse(db).display()} 是只读的;未记录任何内容\n"


# PostgreSQL: a role that may only SELECT (granted by default privileges, see .ci/start-postgres).


@pytest.fixture
def owner_and_reader(postgres: Postgres) -> tuple[str, str]:
    """The owner's URL and the SELECT-only role's URL of one empty database."""
    if postgres.reader_url is None:
        pytest.skip("set PLANCTL_TEST_POSTGRES_READER_URL too (see docs/development.md)")
    reset_postgres(postgres.url)
    return postgres.url, postgres.reader_url


def test_a_select_only_role_reads_everything(
    owner_and_reader: tuple[str, str], planctl: Planctl
) -> None:
    owner, reader = owner_and_reader
    record_some_progress(planctl, owner)
    for args in READS:
        as_reader, as_owner = planctl(*args, db=reader), planctl(*args, db=owner)
        assert (as_reader.code, as_reader.err) == (0, ""), args
        assert as_reader.out == as_owner.out, args
    info = planctl("store", "info", db=reader)
    assert info.code == 0
    shown = reader.replace(":reader-test@", ":********@")
    assert info.out.startswith(f"存储 {shown}\n\n结构版本 {SCHEMA_REVISION}(最新)\n")
    assert info.out.endswith("1 个计划共2 条记录\n")


@pytest.mark.parametrize("args", WRITES, ids=" ".join)
def test_a_select_only_role_cannot_write(
    owner_and_reader: tuple[str, str], args: list[str], planctl: Planctl
) -> None:
    owner, reader = owner_and_reader
    record_some_progress(planctl, owner)
    before = snapshot(owner)
    result = planctl(*args, db=reader)
    assert (result.code, result.out, result.err) == (1, "", refused(reader))
    assert snapshot(owner) == before


def test_a_select_only_role_cannot_import(
    owner_and_reader: tuple[str, str], tmp_path: Path, planctl: Planctl
) -> None:
    owner, reader = owner_and_reader
    other = str(tmp_path / "other.sqlite3")
    assert planctl("done", "6.2", db=other).code == 0
    export = tmp_path / "events.jsonl"
    assert planctl("store", "export", str(export), db=other).code == 0
    record_some_progress(planctl, owner)
    before = snapshot(owner)
    result = planctl("store", "import", str(export), db=reader)
    assert (result.code, result.out, result.err) == (1, "", refused(reader))
    assert snapshot(owner) == before


def test_a_select_only_role_cannot_create_the_store(
    owner_and_reader: tuple[str, str], planctl: Planctl
) -> None:
    owner, reader = owner_and_reader
    due = planctl("due", db=reader)
    assert (due.code, due.out) == (1, ""), "an empty database is no store (issue 25 item 1)"
    assert due.err.startswith(f"planctl: {mask_url(reader)} 没有存储:")
    result = planctl("done", "6.1", db=reader)
    assert (result.code, result.out, result.err) == (1, "", refused(reader))
    assert snapshot(owner) == {}


# SQLite: the store on a read-only bind mount (root ignores file modes, so chmod proves nothing).


@pytest.fixture
def read_only_view(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A writable directory, and the same directory mounted read-only."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a read-only bind mount")
    writable, read_only = tmp_path / "rw", tmp_path / "ro"
    writable.mkdir()
    read_only.mkdir()
    for command in (
        ["mount", "--bind", str(writable), str(read_only)],
        ["mount", "-o", "remount,bind,ro", str(read_only)],
    ):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            subprocess.run(["umount", str(read_only)], capture_output=True, check=False)
            pytest.skip(f"cannot make a read-only bind mount: {done.stderr.strip()}")
    try:
        yield writable, read_only
    finally:
        subprocess.run(["umount", str(read_only)], check=True)


def test_a_store_on_a_read_only_mount_is_read(
    read_only_view: tuple[Path, Path], planctl: Planctl
) -> None:
    writable, read_only = read_only_view
    record_some_progress(planctl, str(writable / "store.sqlite3"))
    db = str(read_only / "store.sqlite3")
    expected = {
        tuple(args): planctl(*args, db=str(writable / "store.sqlite3")).out for args in READS
    }
    files = sorted(writable.iterdir())
    for args in READS:
        result = planctl(*args, db=db)
        assert (result.code, result.err) == (0, ""), args
        assert result.out == expected[tuple(args)], args
    info = planctl("store", "info", db=db)
    assert (info.code, info.out.splitlines()[:3]) == (
        0,
        [f"存储 {db}", "", f"结构版本 {SCHEMA_REVISION}(最新)"],
    )
    assert sorted(writable.iterdir()) == files


@pytest.mark.parametrize("args", [*WRITES, ["store", "import", "EXPORT"]], ids=" ".join)
def test_a_store_on_a_read_only_mount_cannot_be_written(
    read_only_view: tuple[Path, Path], tmp_path: Path, args: list[str], planctl: Planctl
) -> None:
    writable, read_only = read_only_view
    record_some_progress(planctl, str(writable / "store.sqlite3"))
    export = tmp_path / "events.jsonl"
    other = str(tmp_path / "other.sqlite3")
    assert planctl("done", "6.2", db=other).code == 0
    assert planctl("store", "export", str(export), db=other).code == 0
    before = (writable / "store.sqlite3").read_bytes()
    db = str(read_only / "store.sqlite3")
    result = planctl(*[str(export) if arg == "EXPORT" else arg for arg in args], db=db)
    assert (result.code, result.out, result.err) == (1, "", refused(db))
    assert (writable / "store.sqlite3").read_bytes() == before
    assert sorted(p.name for p in writable.iterdir()) == ["store.sqlite3"]
