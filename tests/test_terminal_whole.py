"""Rich tables on a terminal keep every ID and date whole (issue 28 item 5): at 80 and 60
columns no `2022-12-31` breaks into `2022-12` / `-31` and no `P10.1` into `P10.` / `1`, while
titles wrap; no line is wider than the terminal."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from planctl.cli import output
from planctl.render import ATOM
from planctl.render.wrap import width
from tests.conftest import PLAN_2018, Planctl, empty_store

GOV = Path(__file__).parent / "data" / "good" / "gov-tasks-2022.yaml"
PLANS = {"2018": (PLAN_2018, "2018-06-15"), "gov-2022": (GOV, "2022-06-15")}

SMALL = """\
id: small-2022
year: 2022
title: 小计划
language: zh
sections:
  - number: 1
    title: 一、重点工作
    points:
      - {number: 1, title: 要点一}
tasks:
  - {id: P10.1, title: 完成城南片区综合管廊一期工程并组织竣工验收, due: 2022-12-31, lead: [区住房城乡建设局], points: [1]}
  - {id: Y.9, title: 开展重点工作任务年度考核, due: 2022-06-30, lead: [区政府督查室], points: [1]}
"""

SMALL_DUE_AT_60 = """\
┏━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━┳━━━━━━━┳━━━━━━┳━━━━━━━┳━━━━━━┓
┃       ┃            ┃       ┃ 责任  ┃      ┃       ┃      ┃
┃ 编号  ┃ 月份       ┃ 任务  ┃ 单位  ┃ 要点 ┃ 状态  ┃ 灯号 ┃
┡━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━╇━━━━━━━╇━━━━━━╇━━━━━━━╇━━━━━━┩
│ Y.9   │ 2022-06-30 │ 开展  │ 区政  │ 1    │ 未完  │ 黄   │
│       │            │ 重点  │ 府督  │      │ 成;   │      │
│       │            │ 工作  │ 查室  │      │ 尚无  │      │
│       │            │ 任务  │       │      │ 记录  │      │
│       │            │ 年度  │       │      │       │      │
│       │            │ 考核  │       │      │       │      │
│ P10.1 │ 2022-12-31 │ 完成  │ 区住  │ 1    │ 未完  │ 黄   │
│       │            │ 城南  │ 房城  │      │ 成;   │      │
│       │            │ 片区  │ 乡建  │      │ 尚无  │      │
│       │            │ 综合  │ 设局  │      │ 记录  │      │
│       │            │ 管廊  │       │      │       │      │
│       │            │ 一期  │       │      │       │      │
│       │            │ 工程  │       │      │       │      │
│       │            │ 并组  │       │      │       │      │
│       │            │ 织竣  │       │      │       │      │
│       │            │ 工验  │       │      │       │      │
│       │            │ 收    │       │      │       │      │
└───────┴────────────┴───────┴───────┴──────┴───────┴──────┘
共 2 项:已完成 0 项,未完成 2 项,逾期 0 项
"""


def _on_a_terminal(monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    monkeypatch.setattr(output, "_terminal", lambda: True)
    # Rich takes COLUMNS on a dumb terminal only with LINES beside it.
    for name, value in {"COLUMNS": str(columns), "LINES": "25", "TERM": "dumb"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("NO_COLOR", "1")


def _atoms(text: str) -> Counter[str]:
    """The IDs, dates and numbers of the text (ASCII words with a digit, as `ATOM` reads)."""
    return Counter(
        word for word in ATOM.findall(text) if any(map(str.isdigit, word)) and len(word) <= 23
    )


@pytest.mark.parametrize("columns", [80, 60])
@pytest.mark.parametrize("command", ["due", "list", "report"])
@pytest.mark.parametrize("name", sorted(PLANS))
def test_no_id_or_date_breaks_inside_a_cell_at_80_and_60_columns(
    tmp_path: Path, planctl: Planctl, monkeypatch: pytest.MonkeyPatch, name: str, command: str,
    columns: int,
) -> None:  # fmt: skip
    plan, today = PLANS[name]
    db = empty_store(str(tmp_path / "store.sqlite3"))
    _on_a_terminal(monkeypatch, 400)
    wide = planctl.ok(command, db=db, plan=plan, today=today)
    _on_a_terminal(monkeypatch, columns)
    narrow = planctl.ok(command, db=db, plan=plan, today=today)
    assert max(width(line) for line in narrow.splitlines()) <= columns
    assert narrow.count("\n") > wide.count("\n")  # titles wrapped
    assert re.search(r"\d{4}-\d{2}-\d{2}|P10\.1", wide)
    assert _atoms(narrow) == _atoms(wide)  # every ID and date whole, as often as at 400


def test_a_small_due_list_at_60_columns_whole(
    tmp_path: Path, planctl: Planctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "small.yaml"
    plan.write_text(SMALL, encoding="utf-8")
    db = empty_store(str(tmp_path / "store.sqlite3"))
    _on_a_terminal(monkeypatch, 60)
    shown = planctl.ok("due", db=db, plan=plan, today="2022-06-15")
    lines = [line.rstrip() for line in shown.splitlines()]
    table = next(index for index, line in enumerate(lines) if line.startswith("┏"))
    assert " ".join(lines[:table]).endswith("2022 年 6 月待办(截至 2022-06-15)")
    assert lines[table:] == SMALL_DUE_AT_60.splitlines()  # the heading wraps with the path
