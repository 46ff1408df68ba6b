"""Files and directories planctl must not trust or wait on (issue 12, defects 1 and 12): the
default store's directory when another user owns it or may write it, and plans or stores that
are not regular files (a FIFO, a device, /dev/stdin), each refused in one line and at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from planctl.cli import app
from tests.built_once import CliRunner
from tests.conftest import PLAN_2018, Result, run
from tests.test_plan_cache import no_hang

JUNE = {"PLANCTL_TODAY": "2018-06-15"}
PLANCTL = Path(sys.executable).parent / "planctl"


def one_line(result: Result, message: str) -> None:
    assert (result.code, result.out, result.err) == (1, "", f"planctl: {message}\n")


# -- the default store's directory --------------------------------------------------------------


def test_the_default_store_directory_is_made_private(isolated: Path) -> None:
    assert run("done", "6.1", env=JUNE).code == 0
    directory = isolated / "xdg-data" / "planctl"
    assert directory.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o1777, 0o702])
def test_a_default_store_directory_others_can_write_is_refused(isolated: Path, mode: int) -> None:
    """Another user who can write the directory can swap the "append-only" store for a copy
    of their own, or pre-create it 0666 and read and rewrite it: refused, before any write."""
    directory = isolated / "xdg-data" / "planctl"
    directory.mkdir(parents=True)
    directory.chmod(mode)
    message = f"存储目录 {directory} 其他人可写;请运行 chmod 700 {directory}"
    for args in (["done", "6.1"], ["due"], ["history"], ["store", "info"]):
        one_line(run(*args, env=JUNE), message)
    assert list(directory.iterdir()) == []
    directory.chmod(0o700)
    assert run("done", "6.1", env=JUNE).code == 0


def test_a_default_store_directory_of_another_user_is_refused(isolated: Path) -> None:
    if os.getuid() != 0:
        pytest.skip("needs root, to give the directory to another user")
    directory = isolated / "xdg-data" / "planctl"
    directory.mkdir(parents=True, mode=0o700)
    os.chown(directory, 65534, -1)
    message = f"存储目录 {directory} 属于另一个用户(uid 65534);请删除它或使用 --db PATH"
    for args in (["done", "6.1"], ["due"]):
        one_line(run(*args, env=JUNE), message)
    assert list(directory.iterdir()) == []


def test_a_store_given_with_db_is_used_where_it_is(tmp_path: Path) -> None:
    """Only the default directory is planctl's own; a store named with --db is the user's
    choice (a group share, say), and its directory is left as it is."""
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    assert run("done", "6.1", "--db", str(shared / "s.sqlite3"), env=JUNE).code == 0


# -- plans that are not regular files ----------------------------------------------------------


def test_a_fifo_as_plan_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    with no_hang():
        for args in (["check", str(fifo)], ["due", "--plan", str(fifo)]):
            one_line(run(*args, env=JUNE), f"cannot read plan {fifo}: not a regular file")


def test_a_device_as_plan_is_refused() -> None:
    one_line(run("check", "/dev/null"), "cannot read plan /dev/null: not a regular file")


def test_a_missing_plan_file_is_one_line_without_a_position() -> None:
    one_line(run("check", "nosuch.yaml"), "cannot read plan nosuch.yaml: No such file or directory")
    one_line(
        run("due", "--plan", "nosuch.yaml", env=JUNE),
        "cannot read plan nosuch.yaml: No such file or directory",
    )


def test_a_directory_as_plan_is_refused() -> None:
    one_line(run("check", "tests/data"), "cannot read plan tests/data: Is a directory")


def test_dev_stdin_as_plan_is_refused_and_adds_no_cache_file(tmp_path: Path) -> None:
    """A pipe on /dev/stdin resolves to a new name (pipe:[N]) on every run, so each run
    would have added a cache file; it is not a regular file, and `--plan -` is the way."""
    if not PLANCTL.exists():
        pytest.skip(f"the console script is not installed at {PLANCTL}")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PLANCTL_")},
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PLANCTL_TODAY": "2018-06-15",
    }
    for _ in range(2):
        result = subprocess.run(
            [str(PLANCTL), "due", "--plan", "/dev/stdin"],
            input=PLAN_2018.read_bytes(),
            capture_output=True,
            env=env,
            timeout=60,
        )
        assert (result.returncode, result.stdout) == (1, b"")
        expected = "planctl: cannot read plan /dev/stdin: not a regular file\n"
        assert result.stderr.decode() == expected
    cache = tmp_path / "cache" / "planctl" / "plans"
    assert not cache.exists() or list(cache.iterdir()) == []


def invoke_with_stdin(raw: bytes, *args: str) -> Result:
    result = CliRunner().invoke(app, list(args), input=raw, env=JUNE)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)


def test_a_plan_from_stdin_is_read_and_not_cached(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(isolated / "xdg-cache"))
    raw = PLAN_2018.read_bytes()
    for _ in range(2):
        result = invoke_with_stdin(raw, "due", "--plan", "-", "--month", "6")
        assert result.code == 0
        assert result.err.startswith("planctl: 尚无任何记录(")
        assert "6.2" in result.out
    assert not (isolated / "xdg-cache" / "planctl" / "plans").exists()


def test_a_bad_plan_from_stdin_is_named_stdin() -> None:
    raw = PLAN_2018.read_bytes().replace(b"month: 6\n", b"month: 13\n", 1)
    result = invoke_with_stdin(raw, "check", "-")
    assert (result.code, result.err) == (
        1,
        '<stdin>:155:12: tasks[13].month: 13 不是月份:请写 1-12 或 "YYYY-MM"\n',
    )


# -- stores that are not regular files ---------------------------------------------------------


@pytest.mark.parametrize("args", [["done", "6.1"], ["due"], ["store", "info"]])
def test_dev_null_as_store_is_refused(args: list[str]) -> None:
    journal = Path("/dev/null-journal")
    existed = journal.exists()
    try:
        result = run(*args, "--db", "/dev/null", env=JUNE)
    finally:
        if journal.exists() and not existed:  # only before the fix: do not leave it in /dev
            journal.unlink()
    one_line(result, "存储 /dev/null 不是普通文件")


def test_a_fifo_as_store_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "store.sqlite3"
    os.mkfifo(fifo)
    one_line(run("due", "--db", str(fifo), env=JUNE), f"存储 {fifo} 不是普通文件")
