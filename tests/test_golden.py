"""What users see, whole: each view in each format, on a fixed store of the 2018 plan.

The store is built through the store API with exact event IDs and recording times, so nothing
in the output varies from run to run and every expected file is compared byte for byte. The
expected outputs live in tests/golden/; after a change that alters what a command shows on
purpose, regenerate them with `PLANCTL_TEST_UPDATE_GOLDEN=1 pytest tests/test_golden.py` and read
the diff before committing it.
"""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from planctl.core.events import Action, Event
from planctl.plan.source import plan_digest
from planctl.render import Format, emit
from planctl.store.store import Store, StoreLocation
from tests.conftest import PLAN_2018, REPO, RecordedStores, empty_store, run

GOLDEN = Path(__file__).parent / "golden"
TODAY = "2018-06-15"


def _event(
    n: int,
    task: str,
    action: Action,
    on: date,
    *,
    by: str = "王科长",
    note: str | None = None,
    undoes: str | None = None,
    count: int | None = None,
    to_month: int | None = None,
    percent: int | None = None,
) -> Event:
    at = datetime.combine(on, datetime.min.time(), tzinfo=UTC).replace(hour=1, minute=n)
    return Event(f"event-{n:02d}", "cppcc-2018", task, action, on, by, at,
                 note, undoes, count, to_month, percent=percent)  # fmt: skip


HISTORY = [
    _event(1, "1.1", Action.DONE, date(2018, 1, 20), by="王"),
    _event(2, "3.2", Action.DONE, date(2018, 3, 28), by="李"),
    _event(3, "3.3", Action.DONE, date(2018, 3, 28), by="李"),
    _event(4, "P10.1", Action.DONE, date(2018, 5, 10), count=2),
    _event(
        11, "5.1", Action.PROGRESS, date(2018, 5, 20), by="赵", note="已走访 3 个街道", percent=40
    ),
    _event(5, "5.1", Action.DONE, date(2018, 6, 12), by="赵", note="报告已报区委"),
    _event(6, "Y.8", Action.DONE, date(2018, 6, 11)),
    _event(7, "6.1", Action.DONE, date(2018, 6, 13)),
    _event(8, "6.1", Action.UNDO, date(2018, 6, 14), undoes="event-07"),
    _event(9, "7.2", Action.DEFER, date(2018, 6, 14), note="调研对象调整", to_month=8),
    _event(10, "4.2", Action.NOTE, date(2018, 6, 15), note="改在五月"),
]


@pytest.fixture
def db(tmp_path: Path, recorded_stores: RecordedStores) -> str:
    return recorded_stores.copy(history_store, tmp_path / "store.sqlite3")


def history_store(path: Path) -> str:
    """A store holding HISTORY, and the 2018 plan's version, recorded with fixed IDs and times."""
    from planctl.plan.load import load_plan

    plan, digest = load_plan(PLAN_2018), plan_digest(PLAN_2018.read_bytes())
    with (
        Store.open_for_writing(StoreLocation.parse(str(path))) as store,
        store.transaction() as tx,
    ):
        tx.record_plan(plan, digest, HISTORY[0].recorded_at)
        tx.append(HISTORY)
    return str(path)


def expect(name: str, actual: str) -> None:
    """`actual` is what tests/golden/NAME holds (written there under PLANCTL_TEST_UPDATE_GOLDEN)."""
    path = GOLDEN / name
    if os.environ.get("PLANCTL_TEST_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with PLANCTL_TEST_UPDATE_GOLDEN=1 to make it"
    assert actual == path.read_text(encoding="utf-8")


VIEWS = {
    "report": ["report"],
    "digest": ["digest"],
    "points": ["points", "--full"],
    "history": ["history"],
    "show": ["show", "5.1"],
    "due": ["due", "--month", "6"],
    "list": ["list", "--owner", "提案科"],
    "assess": ["assess"],
    "bulletin": ["bulletin"],
}
FORMATS = ["table", "json", "csv", "markdown", "html"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("view", VIEWS)
def test_each_view_in_each_format(db: str, view: str, fmt: str) -> None:
    result = run(*VIEWS[view], "--format", fmt, "--db", db, "--today", TODAY)
    assert (result.code, result.err) == (0, "")
    expect(f"{view}.{fmt}", result.out)


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_the_assessment_at_the_end_of_the_year(db: str, fmt: str) -> None:
    """The same history assessed on the period's last day: every task's window has closed."""
    result = run("assess", "--format", fmt, "--db", db, "--today", "2018-12-31")
    assert (result.code, result.err) == (0, "")
    expect(f"assess.year-end.{fmt}", result.out)


@pytest.mark.parametrize("view", ["report", "due", "assess", "bulletin"])
def test_english_labels(db: str, view: str) -> None:
    result = run(*VIEWS[view], "--lang", "en", "--db", db, "--today", TODAY)
    assert (result.code, result.err) == (0, "")
    expect(f"{view}.en.table", result.out)


def test_check_with_a_changed_plan_and_orphaned_progress(db: str, tmp_path: Path) -> None:
    changed = PLAN_2018.read_text(encoding="utf-8").replace("重点提案督办", "重点提案督办工作")
    changed = changed.replace('- id: "4.2"', '- id: "4.2b"')
    plan = tmp_path / "2018.yaml"
    plan.write_text(changed, encoding="utf-8")
    result = run("check", str(plan), "--db", db)
    assert (result.code, result.err) == (0, "")
    expect("check.text", result.out.replace(str(tmp_path), "TMP"))


@pytest.mark.parametrize("view", VIEWS)
def test_the_terminal_tables_at_a_fixed_width(
    db: str, view: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rich, as on a terminal of 100 columns without colour: box drawing, wrapped titles; every
    view (`--format table`: the digest's default is plain text, for mail)."""
    from planctl.cli import output

    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setattr(output, "_terminal", lambda: True)
    result = run(*VIEWS[view], "--format", "table", "--db", db, "--today", TODAY)
    assert (result.code, result.err) == (0, "")
    assert "\x1b" not in result.out
    expect(f"{view}.rich", result.out)


def test_the_returns_status_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`returns status`, the view of a plan with returns:, in Rich at 100 columns: one unit
    filed on time, the others not (a row class for each, words in the status column)."""
    from planctl.cli import output
    from planctl.core.filed import FiledReturn

    plan = REPO / "tests/data/good/returns-2018.yaml"
    db = empty_store(str(tmp_path / "store.sqlite3"))
    with Store.open_for_writing(StoreLocation.parse(db)) as store, store.transaction() as tx:
        tx.append_returns([
            FiledReturn("return-01", "returns-2018", "提案科", "2018-06", date(2018, 6, 24),
                        "digest", 4, "王科长", datetime(2018, 6, 24, 9, tzinfo=UTC))
        ])  # fmt: skip
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setattr(output, "_terminal", lambda: True)
    result = run("returns", "status", "--cycle", "2018-06", "--plan", str(plan), "--db", db,
                 "--today", "2018-06-30")  # fmt: skip
    assert (result.code, result.err) == (0, "")
    expect("returns-status.rich", result.out)


def test_rich_colours_rows_on_a_colour_terminal(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from planctl.cli import output

    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setattr(output, "_terminal", lambda: True)
    result = run("list", "--db", db, "--today", TODAY)
    assert result.code == 0
    lines = result.out.splitlines()
    done_row = next(line for line in lines if "5.1" in line)
    overdue_row = next(line for line in lines if "4.2" in line)
    assert "\x1b[32m" in done_row  # green: done
    assert "\x1b[31m" in overdue_row  # red: overdue
    assert "\x1b[1;37;41m红" in overdue_row  # its light: the word, on red


def test_an_empty_table_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from planctl.render import Table, View

    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("TERM", "dumb")
    out = io.StringIO()
    view = View({}, [Table("任务", ["编号"], [], empty="无")], footer="共 0 项")
    emit(view, Format.TABLE, out, terminal=True)
    assert out.getvalue() == "任务\n无\n共 0 项\n"


GOOD = Path(__file__).parent / "data" / "good"
MIDDLE = {
    "gov-tasks-2022.yaml": "2022-06-15",
    "quarterly-2021.yaml": "2021-06-15",
    "may-april-2019.yaml": "2019-11-15",
    "two-year-2019-2020.yaml": "2020-03-15",
    "parish-council-2019.yaml": "2019-09-15",
    "roles-2023.yaml": "2023-06-15",
    "steps-2024.yaml": "2024-06-15",
    "minimal.yaml": "2018-06-15",
    "value-targets-2023.yaml": "2023-06-15",
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(MIDDLE))
def test_plans_of_other_shapes_in_every_view_and_format(
    name: str, fmt: str, tmp_path: Path
) -> None:
    """Each plan of tests/data/good/, with some progress recorded, in every read command."""
    plan = str(GOOD / name)
    db = str(tmp_path / "s.sqlite3")
    today = MIDDLE[name]
    first = run("list", "--plan", plan, "--today", today, "--format", "json", "--db", db)
    assert first.code == 1  # no store yet: named and not there
    listed = run("list", "--plan", plan, "--today", today, "--format", "json")
    # The first task without steps (a task with steps is done by its steps).
    task_id = next(t["id"] for t in json.loads(listed.out)["tasks"] if not t["steps"])
    recorded = run("done", task_id, "--plan", plan, "--today", today, "--db", db)
    assert (recorded.code, recorded.err) == (0, "")
    last = json.loads(listed.out)["tasks"][-1]
    last_id = last["id"]
    # A percent only where the task has no target (one with a target refuses it).
    targeted = last["progress"] is not None or last["value_target"] is not None
    percent = [] if targeted else ["--percent", "40"]
    reported = run("progress", last_id, "--note", "进展顺利", *percent,
                   "--plan", plan, "--today", today, "--db", db)  # fmt: skip
    assert (reported.code, reported.err) == (0, "")
    for command in (["report"], ["digest"], ["due"], ["list"], ["points"], ["history"],
                    ["show", last_id], ["assess"]):  # fmt: skip
        result = run(*command, "--plan", plan, "--today", today, "--db", db, "--format", fmt)
        assert (result.code, result.err) == (0, ""), (command, result.err)
        assert result.out
