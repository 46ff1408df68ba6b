"""The June 2018 return cycle end to end: the sheets made, filled as three units would (one on
time and re-saved through LibreOffice, one late, one missing), collected, collected again,
the status, and the assessment's deductions."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import REPO, Planctl, empty_store, snapshot
from tests.test_returns_collect import _filed, _fill, _history

PLAN = REPO / "tests/data/good/returns-2018.yaml"
SOFFICE = shutil.which("soffice")


def resave_with_libreoffice(path: Path, tmp_path: Path) -> Path:
    """The file as LibreOffice Calc saves it again (headless, its own profile)."""
    out = tmp_path / "lo"
    profile = (tmp_path / "lo-profile").as_uri()
    assert SOFFICE is not None
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return out / path.name


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed here")
def test_the_june_returns_of_three_units(tmp_path: Path, planctl: Planctl) -> None:
    db = empty_store(str(tmp_path / "store.sqlite3"))
    out = tmp_path / "out"
    made = planctl.ok("returns", "make", "-o", str(out), "--cycle", "2018-06", db=db,
                      plan=PLAN, today="2018-06-20")  # fmt: skip
    assert made.splitlines() == [
        f"{out}/2018-06 办公室.xlsx:4 项任务",
        f"{out}/2018-06 提案科.xlsx:5 项任务",
        f"{out}/2018-06 研究室.xlsx:2 项任务",
    ]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # 提案科 files on time, by its 填报人 王芳, in WPS-like ways: 60%, 6月20日, √, full-width digits; then the
    # sheet goes through LibreOffice before it is mailed back.
    tian = _fill(
        out / "2018-06 提案科.xlsx", tmp_path / "提案科.xlsx",
        {"C2": "王芳", "H4": "已召开交办会", "L4": "√", "M4": "6月20日", "H6": "正在筹备", "I6": "60%",
         "H7": "参加调研两次", "K7": "２", "J8": "９３"},
    )  # fmt: skip
    tian = resave_with_libreoffice(tian, tmp_path)
    shutil.copy(tian, inbox / "提案科.xlsx")
    # 研究室 files two days late; 办公室 not at all.
    yan = _fill(
        out / "2018-06 研究室.xlsx", tmp_path / "研究室.xlsx", {"H4": "完成一次专题调研", "K4": 1}
    )  # fmt: skip (task 4 counts: no percent)
    first = planctl("returns", "collect", str(inbox), "--received", "2018-06-24", db=db,
                    plan=PLAN, today="2018-06-24")  # fmt: skip
    assert (first.code, first.err) == (0, "")
    assert first.out == (
        f"{inbox}/提案科.xlsx: 提案科 2018-06,2018-06-24 收到:读取 5 行,记录 6 条,0 行无新内容,"
        "0 行需核对\n"
    )
    second = planctl("returns", "collect", str(yan), db=db, plan=PLAN, today="2018-06-27")
    assert (second.code, second.err) == (0, "")
    assert second.out == (
        f"{yan}: 研究室 2018-06,2018-06-27 收到:读取 2 行,记录 2 条,0 行无新内容,0 行需核对\n"
    )
    assert _history(planctl, db) == [
        ("1", "done", "2018-06-20", "王芳", None, None, None),
        ("1", "progress", "2018-06-24", "王芳", "已召开交办会", None, None),
        ("3", "progress", "2018-06-24", "王芳", "正在筹备", 60, None),
        ("4", "done", "2018-06-24", "王芳", "填报 2018-06 提案科", None, 2),
        ("4", "done", "2018-06-27", "研究室", "填报 2018-06 研究室", None, 1),
        ("4", "progress", "2018-06-24", "王芳", "参加调研两次", None, None),
        ("4", "progress", "2018-06-27", "研究室", "完成一次专题调研", None, None),
        ("6", "progress", "2018-06-24", "王芳", "2018-06 填报", None, None),
    ]
    # Both again: nothing recorded, the store as it was.
    before = snapshot(db)
    again = planctl("returns", "collect", str(inbox), str(yan), db=db, plan=PLAN,
                    today="2018-06-30")  # fmt: skip
    assert (again.code, again.err) == (0, "")
    assert again.out == (
        f"{inbox}/提案科.xlsx: 提案科 2018-06:已收取过;未记录任何内容\n"
        f"{yan}: 研究室 2018-06:已收取过;未记录任何内容\n"
    )
    assert snapshot(db) == before
    assert _filed(db) == [
        ("提案科", "2018-06", date(2018, 6, 24), 4),
        ("研究室", "2018-06", date(2018, 6, 27), 1),
    ]
    status = planctl.json("returns", "status", "--cycle", "2018-06", db=db, plan=PLAN,
                          today="2018-06-30")  # fmt: skip
    assert status["units"] == [
        {"unit": "办公室", "due": "2018-06-25", "filed": None, "status": "missing",
         "tasks": 4, "rows_filled": 0, "silent": 4},
        {"unit": "提案科", "due": "2018-06-25", "filed": "2018-06-24", "status": "on_time",
         "tasks": 5, "rows_filled": 4, "silent": 1},
        {"unit": "研究室", "due": "2018-06-25", "filed": "2018-06-27", "status": "late",
         "tasks": 2, "rows_filled": 1, "silent": 1},
    ]  # fmt: skip
    config = tmp_path / "config.toml"
    config.write_text("[assess]\nreturn_late = 0.1\nreturn_missing = 0.5\n", encoding="utf-8")
    assessed = planctl.json("assess", db=db, plan=PLAN, today="2018-06-30",
                            env={"PLANCTL_CONFIG": str(config)})  # fmt: skip
    assert assessed["returns"] == [
        {"unit": "办公室", "on_time": 0, "late": 0, "missing": 6, "deduction": 3.0},
        {"unit": "提案科", "on_time": 1, "late": 0, "missing": 5, "deduction": 2.5},
        {"unit": "研究室", "on_time": 0, "late": 1, "missing": 5, "deduction": 2.6},
    ]
