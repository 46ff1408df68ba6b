"""The return cycle (填报) through the CLI: `check` on a plan with returns:, `returns make`."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO, Planctl

RETURNS_PLAN = REPO / "tests/data/good/returns-2018.yaml"


def test_check_names_the_return_cycle(planctl: Planctl) -> None:
    result = planctl("check", str(RETURNS_PLAN))
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines()[1:] == [
        "returns: every month by day 25: 12 cycles (2018-01..2018-12), 3 units"
        " (办公室, 提案科, 研究室)"
    ]


def test_check_warns_of_returns_no_unit_files(tmp_path: Path, planctl: Planctl) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "id: p\nyear: 2018\ntitle: t\nreturns: {every: quarter, by: 5, next_month: true}\n"
        "tasks:\n  - {id: a, title: x, month: 1}\n",
        encoding="utf-8",
    )
    result = planctl("check", str(plan))
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines()[1:] == [
        "returns: every quarter by day 5 of the month after: 4 cycles (2018-Q1..2018-Q4),"
        " 0 units (no task names a lead or supporting unit, so no one files a return)"
    ]
