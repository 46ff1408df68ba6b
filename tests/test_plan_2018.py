"""plans/2018.yaml is faithful to the document it was transcribed from (the seed).

The seed is the plan's text extracted from a PDF: each line starts with a page marker `N、`, and
page breaks split words ("改革开放 4" / "0 年"). Dropping the markers and joining the lines gives
the document's text back; the plan's wording must appear in it verbatim.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from planctl.plan.model import Plan, Task

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_cac988fc7bc2cdcd.txt"
TABLE_HEADING = "XX 区政协常委会 2018 年重点工作分解表"
SECTION_NUMERALS = "一二三四"


@pytest.fixture(scope="module")
def seed() -> str:
    """The seed's text with the page markers dropped and the lines joined."""
    if not SEED.is_file():
        pytest.skip(f"seed document not found at {SEED} (shared/ is expected beside the repo)")
    lines = SEED.read_text(encoding="utf-8").splitlines()
    assert [re.match(r"\d+、", line) is not None for line in lines] == [True] * len(lines)
    return "".join(re.sub(r"^\d+、", "", line, count=1) for line in lines)


@pytest.fixture(scope="module")
def body(seed: str) -> str:
    """The plan's text before the breakdown table."""
    before, heading, _ = seed.partition(TABLE_HEADING)
    assert heading
    return before


@pytest.fixture(scope="module")
def table(seed: str) -> dict[str, str]:
    """The breakdown table's text by row heading ("1 月份", ..., "12 月份", "全年")."""
    _, heading, after = seed.partition(TABLE_HEADING)
    assert heading
    parts = re.split(r"(\d+ 月份|全年) ", after)
    assert parts[0] == "月 份 重 点 工 作"
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def row_heading(month: int | None) -> str:
    return "全年" if month is None else f"{month} 月份"


def table_tasks(plan: Plan) -> list[Task]:
    """The tasks that are rows of the breakdown table (the P tasks come from work points)."""
    return [task for task in plan.tasks if not task.id.startswith("P")]


def test_shape(plan_2018: Plan) -> None:
    assert [section.number for section in plan_2018.sections] == [1, 2, 3, 4]
    assert [point.number for point in plan_2018.points] == list(range(1, 19))
    assert len(table_tasks(plan_2018)) == 38
    assert len(plan_2018.tasks) == 41


def test_duties_from_work_points_quote_their_point(plan_2018: Plan) -> None:
    points = {point.number: point for point in plan_2018.points}
    duties = {t.id: t for t in plan_2018.tasks if t not in table_tasks(plan_2018)}
    assert sorted(duties) == ["P10.1", "P10.2", "P11.1"]
    for task in duties.values():
        assert task.year_round
        assert task.source is not None
        assert all(task.source in points[number].text for number in task.points)
        assert task.title in task.source
    assert (duties["P10.1"].target, duties["P10.1"].unit) == (6, "次")
    assert (duties["P10.2"].target, duties["P10.2"].unit) == (3, "次")
    assert duties["P11.1"].every == "quarter"


def test_rhythms_and_prerequisites_where_the_seed_says_so(plan_2018: Plan) -> None:
    tasks = {task.id: task for task in plan_2018.tasks}
    assert {t.id: t.every for t in plan_2018.tasks if t.every} == {
        "Y.8": "week",
        "P11.1": "quarter",
    }
    assert {t.id: t.target for t in plan_2018.tasks if t.target} == {"P10.1": 6, "P10.2": 3}
    # Each standing-committee meeting takes the reports its row names.
    assert {t.id: t.after for t in plan_2018.tasks if t.after} == {
        "3.5": ["3.2", "3.3"],
        "6.3": ["4.3", "5.1", "6.1"],
        "9.3": ["7.1", "7.2", "8.2", "9.1"],
        "12.1": ["10.2", "11.1"],
    }
    assert all(tasks[ref].kind in ("调研", "视察") for t in tasks.values() for ref in t.after)


def test_body_is_the_seed_text_before_the_table(plan_2018: Plan, body: str) -> None:
    assert plan_2018.requirements is not None
    rebuilt = plan_2018.title + plan_2018.requirements
    for section in plan_2018.sections:
        rebuilt += f"{SECTION_NUMERALS[section.number - 1]}、{section.title}"
        rebuilt += "".join(f"{p.number}、{p.title}。{p.text}" for p in section.points)
    assert rebuilt == body


def test_each_piece_appears_verbatim(plan_2018: Plan, seed: str) -> None:
    assert plan_2018.requirements is not None
    pieces = [plan_2018.title, plan_2018.requirements]
    pieces += [section.title for section in plan_2018.sections]
    pieces += [f"{point.title}。{point.text}" for point in plan_2018.points]
    pieces += [task.title for task in plan_2018.tasks]
    pieces += [task.source or "" for task in plan_2018.tasks]
    assert [piece for piece in pieces if not piece or piece not in seed] == []


def test_page_breaks_are_mended(plan_2018: Plan) -> None:
    points = {point.number: point for point in plan_2018.points}
    assert "配合改革开放 40 年纪念活动" in points[13].text
    assert "开展“慵懒松散”整顿活动" in points[18].text
    assert "围绕九届二次全会确定的重点提案开展提案办理协商" in points[8].text
    assert "16、" not in points[15].text


def test_sources_follow_the_table_in_order(plan_2018: Plan, table: dict[str, str]) -> None:
    assert list(table) == [row_heading(month) for month in [*range(1, 13), None]]
    for heading, row in table.items():
        sources: list[str] = []
        for task in table_tasks(plan_2018):
            source = task.source or ""
            month = task.month if isinstance(task.month, int) else None
            if row_heading(month) == heading and source not in sources[-1:]:
                sources.append(source)
        # The row is its tasks' sources, in order, and nothing else (a page break repeats the
        # table's column headings inside the August row; a stray space splits 全年's row).
        row = row.replace("月 份 重 点 工 作", "")
        assert "".join(row.split()) == "".join("".join(sources).split()), heading


def test_tasks_by_month(plan_2018: Plan) -> None:
    months = Counter(task.month for task in plan_2018.tasks if not task.year_round)
    assert months == {1: 2, 2: 2, 3: 5, 4: 3, 5: 1, 6: 3, 7: 2, 8: 2, 9: 3, 10: 2, 11: 2, 12: 2}
    assert [task.id for task in table_tasks(plan_2018) if task.year_round] == [
        f"Y.{n}" for n in range(1, 10)
    ]


def test_owners_are_the_departments_the_meetings_name(plan_2018: Plan) -> None:
    # The standing-committee meetings (3.5, 6.3, 9.3, 12.1) say which 科 reports on which
    # research or inspection; no other row names an owner.
    owners = {task.id: task.owners for task in plan_2018.tasks if task.owners}
    assert owners == {
        "3.2": ["经建科"],
        "9.1": ["经建科"],
        "11.1": ["经建科"],
        "3.3": ["提案科"],
        "5.1": ["提案科"],
        "7.1": ["提案科"],
        "10.2": ["提案科"],
        "4.3": ["宣教科"],
        "7.2": ["宣教科"],
        "8.2": ["宣教科"],
    }


def test_march_research_carries_out_point_6(plan_2018: Plan) -> None:
    task = next(task for task in plan_2018.tasks if task.id == "3.2")
    assert (task.month, task.kind, task.title) == (3, "调研", "开展生态环境整治情况的调研")
    assert 6 in task.points
    assert plan_2018.points[5].title == "开展专题调研"
