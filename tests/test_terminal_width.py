"""What a terminal shows: no column that every row leaves blank, IDs and dates never broken
inside a cell, and text piped on (`planctl digest | less`) as wide as the user's terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from planctl.render import Table
from planctl.render.plain import format_table
from planctl.render.wrap import width
from tests.conftest import REPO, empty_store

PLANCTL = Path(sys.executable).parent / "planctl"

TITLE = "召开区政协常委会:协商提案科养老保险扩面、宣教科文体工作发展情况的调研报告"


def test_a_column_no_row_fills_is_not_drawn() -> None:
    table = Table("待办", ["编号", "任务", "责任单位", "状态"], [["6.2", "重点提案督办", "", "未完成"],
                  ["P10.1", "各位主席带队走访委员", " ", "未完成"]])  # fmt: skip
    assert format_table(table, 100) == [
        "待办",
        "编号   任务                  状态",
        "-----  --------------------  ------",
        "6.2    重点提案督办          未完成",
        "P10.1  各位主席带队走访委员  未完成",
    ]


def test_ids_and_dates_stay_whole_in_a_narrow_table() -> None:
    table = Table("", ["编号", "截止日期", "任务"], [["P10.1.2", "2022-12-31", TITLE]])
    lines = format_table(table, 34)
    assert lines[3:5] == [
        "P10.1.2  2022-12-31  召开区政协常",
        "                     委会:协商提案",
    ]
    assert all(width(line) <= 34 for line in lines)


def test_where_ids_and_dates_cannot_all_stay_whole_the_page_width_wins() -> None:
    table = Table("", ["编号", "截止日期"], [["P10.1.2", "2022-12-31"]])
    lines = format_table(table, 18)
    assert lines[3:] == ["P10.1.2  2022-12-3", "         1"]
    assert all(width(line) <= 18 for line in lines)


def measured_widths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the plain renderer measures from now on, in order."""
    import planctl.render.plain
    import planctl.render.wrap

    measured: list[str] = []

    def counted(text: str) -> int:
        measured.append(text)
        return width(text)

    monkeypatch.setattr(planctl.render.plain, "width", counted)
    monkeypatch.setattr(planctl.render.wrap, "width", counted)
    return measured


def test_a_cell_repeated_down_a_column_is_measured_and_wrapped_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A unit, a date or a title that 1,000 rows repeat is measured once and wrapped once,
    however many rows show it (issue 32: `assess`'s 1,150 rows hold a few dozen units and
    dates); the rows' lines are the same."""
    import collections

    titles = [TITLE, TITLE[:20], "督办重点提案"]
    rows = [
        [f"6.{n}", titles[n % 3], "发改委、社法委"[: n % 2 * 4 + 3], "2018-06-30"]
        for n in range(60)
    ]
    table = Table("任务", ["编号", "任务", "牵头单位", "截止日期"], rows)
    expected = format_table(table, 60)
    measured = measured_widths(monkeypatch)
    assert format_table(table, 60) == expected
    assert expected[1:9] == [
        "编号  任务                        牵头单位        截止日期",
        "----  --------------------------  --------------  ----------",
        "6.0   召开区政协常委会:协商提案   发改委          2018-06-30",
        "      科养老保险扩面、宣教科文体",
        "      工作发展情况的调研报告",
        "6.1   召开区政协常委会:协商提案   发改委、社法委  2018-06-30",
        "      科养老保险扩面",
        "6.2   督办重点提案                发改委          2018-06-30",
    ]
    assert max(collections.Counter(measured).values()) <= 2  # measured, then wrapped


def test_a_columns_longest_id_and_date_are_found_past_a_longer_moment() -> None:
    """A column's longest word read whole and its longest part between spaces are found
    whatever the order of its cells: a word no longer than both found so far is skipped
    (issue 32), not one no longer than either."""
    from planctl.render.plain import _atoms

    cells = ["2018-06-15 09:10 +08:00", "发改委 P10.1.2.3.4 报", "2018-06-15"]
    assert _atoms(cells) == (23, 11)
    assert _atoms(reversed(cells)) == (23, 11)


def test_piped_text_is_as_wide_as_the_terminal_the_user_is_at(tmp_path: Path) -> None:
    """`planctl digest | less` at an 80-column terminal: stdout is a pipe, standard error the
    terminal; the text is wrapped to 80 columns (was 100), and to 100 under cron (no terminal)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANCTL_") and k != "COLUMNS"}
    env.update(PLANCTL_TODAY="2018-06-15", PLANCTL_DB=empty_store(str(tmp_path / "s.sqlite3")))
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    try:
        at_terminal = subprocess.run(
            [str(PLANCTL), "digest"], stdout=subprocess.PIPE, stderr=follower, stdin=follower,
            cwd=REPO, env=env, check=True, text=True,
        ).stdout  # fmt: skip
    finally:
        os.close(follower)
        os.close(leader)
    under_cron = subprocess.run(
        [str(PLANCTL), "digest"], capture_output=True, stdin=subprocess.DEVNULL, cwd=REPO,
        env=env, check=True, text=True,
    ).stdout  # fmt: skip
    assert max(map(width, at_terminal.splitlines())) == 80
    assert max(map(width, under_cron.splitlines())) > 80
    assert max(map(width, under_cron.splitlines())) <= 100


def test_each_cell_of_a_table_is_measured_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each cell's width is measured once, not four times (issue 32: `assess`'s table of
    1,000 tasks measured 85,000 widths); the lines are the same."""

    rows = [[f"6.{n}", TITLE[: n % 7 + 2], "发改委", "2018-06-30", "on_time"] for n in range(40)]
    table = Table("任务", ["编号", "任务", "牵头单位", "截止日期", "结果"], rows)
    expected = format_table(table, 100)
    measured = measured_widths(monkeypatch)
    assert format_table(table, 100) == expected
    assert expected[2:4] == [
        "----  ----------------  --------  ----------  -------",
        "6.0   召开              发改委    2018-06-30  on_time",
    ]
    assert len(measured) <= 40 * 5 + 2 * 5  # each cell once, the header and the rule's
