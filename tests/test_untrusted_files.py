"""Files and directories planctl must not trust (issue 12, defect 1): the default store's
directory when another user owns it or may write it, refused in one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import Result, run

JUNE = {"PLANCTL_TODAY": "2018-06-15"}


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
    message = f"the store directory {directory} is writable by others; run chmod 700 {directory}"
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
    message = (
        f"the store directory {directory} belongs to another user (uid 65534);"
        " remove it or give --db PATH"
    )
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
