"""The folded states kept between runs (planctl.cli.state_cache): a read of a log that has not
changed uses them, and anything that changes the log, the day, the plan or the store's file
is read anew; what reads the kept states gives exactly what a fold gives."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest

from planctl.cli import folding
from planctl.core import state_codec
from planctl.core.state import (
    Chased,
    Claim,
    Completion,
    Deferral,
    Rejection,
    Report,
    Request,
    TaskState,
)
from tests.conftest import PLAN_2018, Planctl


def settle(store: str) -> None:
    """The store's files as if last changed an hour ago (states are kept only from a store
    that has not changed for `SETTLED_SECONDS`)."""
    hour_ago = time.time() - 3600
    for name in (store, store + "-wal"):
        if Path(name).exists():
            os.utime(name, (hour_ago, hour_ago))


def settled_store(planctl: Planctl, tmp_path: Path) -> str:
    """A SQLite store holding one `done` of 1.1 (on 2018-03-01), settled."""
    db = str(tmp_path / "store.sqlite3")
    planctl.ok("done", "1.1", "--on", "2018-03-01", db=db, plan=PLAN_2018)
    settle(db)
    return db


@pytest.fixture
def no_fold(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each fold of the store's events, counted (by the task IDs it folded)."""
    folds: list[str] = []
    real = folding.states_task_by_task

    def counted(*args: object) -> object:
        folds.append("fold")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(folding, "states_task_by_task", counted)
    return folds


def fresh(tmp_path: Path) -> dict[str, str]:
    """The environment of a run with a cache directory of its own, empty: what a fold gives."""
    home = tmp_path / f"fresh-{len(list(tmp_path.glob('fresh-*')))}"
    home.mkdir()
    return {"XDG_CACHE_HOME": str(home)}


def kept_files(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "planctl" / "states").glob("*.json"))


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def test_a_second_read_of_an_unchanged_log_uses_the_kept_states(
    planctl: Planctl, tmp_path: Path, cache_home: Path, no_fold: list[str]
) -> None:
    db = str(tmp_path / "store.sqlite3")
    planctl.ok("done", "1.1", "--on", "2018-03-01", db=db, plan=PLAN_2018)
    planctl.ok("defer", "6.2", "--to", "2018-09", "--reason", "会期调整", db=db, plan=PLAN_2018)
    settle(db)
    first = planctl.ok("due", "--month", "6", "--format", "json", db=db, plan=PLAN_2018)
    assert (no_fold, len(kept_files(cache_home))) == (["fold"], 1)
    for command in (["due", "--month", "6"], ["list"], ["assess"], ["bulletin"]):
        folded = planctl.ok(*command, db=db, plan=PLAN_2018, env=fresh(tmp_path))
        assert planctl.ok(*command, db=db, plan=PLAN_2018) == folded
    again = planctl.ok("due", "--month", "6", "--format", "json", db=db, plan=PLAN_2018)
    assert again == first
    assert no_fold == ["fold"] * 5  # the cache-less runs above; the cached ones folded nothing


@pytest.mark.parametrize(
    "change",
    [
        ["done", "6.1", "--on", "2018-06-01"],
        ["undo", "1.1"],
        ["defer", "6.1", "--to", "2018-12", "--reason", "会期调整"],
        ["note", "1.1", "原文有误"],
    ],
)
def test_whatever_changes_the_log_is_read_anew(
    planctl: Planctl, tmp_path: Path, cache_home: Path, change: list[str]
) -> None:
    db = settled_store(planctl, tmp_path)
    before = planctl.ok("list", "--format", "json", db=db, plan=PLAN_2018)
    [kept] = kept_files(cache_home)
    stamp = kept.read_bytes().split(b"\n", 1)[0]
    assert planctl(*change, db=db, plan=PLAN_2018).code == 0
    settle(db)  # even a change that leaves the file's time as it was is seen in the log
    after = planctl.ok("list", "--format", "json", db=db, plan=PLAN_2018)
    folded = planctl.ok("list", "--format", "json", db=db, plan=PLAN_2018, env=fresh(tmp_path))
    assert after == folded
    assert after != before
    assert kept.read_bytes().split(b"\n", 1)[0] != stamp


def test_a_row_changed_by_other_hands_is_read_anew(
    planctl: Planctl, tmp_path: Path, cache_home: Path
) -> None:
    db = str(tmp_path / "store.sqlite3")
    planctl.ok("note", "1.1", "第一稿", db=db, plan=PLAN_2018)
    settle(db)
    assert "第一稿" in planctl.ok("show", "1.1", db=db, plan=PLAN_2018)
    planctl.ok("list", db=db, plan=PLAN_2018)
    with sqlite3.connect(db) as connection:  # the same number of events, the same IDs
        connection.execute("UPDATE events SET note = '第二稿'")
    connection.close()
    listed = planctl.json("list", db=db, plan=PLAN_2018)["tasks"]
    assert [row["note"] for row in listed if row["id"] == "1.1"] == ["第二稿"]


def test_a_store_that_changed_moments_ago_is_folded_and_not_kept(
    planctl: Planctl, tmp_path: Path, cache_home: Path, no_fold: list[str]
) -> None:
    db = str(tmp_path / "store.sqlite3")
    planctl.ok("done", "1.1", db=db, plan=PLAN_2018)
    planctl.ok("due", db=db, plan=PLAN_2018)
    planctl.ok("due", db=db, plan=PLAN_2018)
    assert (no_fold, kept_files(cache_home)) == (["fold", "fold"], [])


def test_another_day_or_another_plan_is_folded_anew(
    planctl: Planctl, tmp_path: Path, cache_home: Path, no_fold: list[str]
) -> None:
    db = str(tmp_path / "store.sqlite3")
    planctl.ok("done", "1.1", "--on", "2018-07-01", db=db, plan=PLAN_2018, today="2018-07-02")
    settle(db)

    def status(today: str, plan: Path = PLAN_2018) -> list[str]:
        found = planctl(*["list", "--format", "json"], db=db, plan=plan, today=today)
        return [row["status"] for row in json.loads(found.out)["tasks"] if row["id"] == "1.1"]

    assert (status("2018-07-02"), status("2018-06-15"), status("2018-07-02")) == (
        ["done"],
        ["open"],
        ["done"],
    )
    renamed = tmp_path / "renamed.yaml"  # 1.1's events are no longer any task's
    renamed.write_text(
        PLAN_2018.read_text(encoding="utf-8").replace('id: "1.1"', 'id: "1.1a"'), encoding="utf-8"
    )
    assert status("2018-07-02", renamed) == []
    assert no_fold == ["fold"] * 4  # two days, the same day again kept; the other plan


def test_a_kept_file_that_does_not_read_back_is_folded_and_replaced(
    planctl: Planctl, tmp_path: Path, cache_home: Path, no_fold: list[str]
) -> None:
    db = settled_store(planctl, tmp_path)
    expected = planctl.ok("list", db=db, plan=PLAN_2018)
    [kept] = kept_files(cache_home)
    stamp, _, payload = kept.read_bytes().split(b"\n", 2)
    damaged = payload.replace(b'"2018-03-01"', b"20180301")
    checksum = __import__("hashlib").sha256(damaged).hexdigest().encode()
    kept.write_bytes(stamp + b"\n" + checksum + b"\n" + damaged)  # a sound file, a bad state
    assert planctl.ok("list", db=db, plan=PLAN_2018) == expected
    assert kept.read_bytes().split(b"\n", 2)[2] == payload
    kept.write_bytes(stamp + b"\n" + checksum + b"\n" + payload)  # the checksum of another
    assert planctl.ok("list", db=db, plan=PLAN_2018) == expected
    assert no_fold == ["fold"] * 3


EVERYTHING = TaskState(
    completions=(Completion(date(2018, 3, 1), "张伟"), Completion(date(2018, 4, 2), "王芳", 3)),
    note="已印发",
    deferral=Deferral(9, "会期调整", date(2018, 5, 1), "李明", date(2018, 9, 30)),
    reports=(
        Report(date(2018, 5, 2), "周婷", 40, 12.5, None),
        Report(date(2018, 6, 2), "x", None, 3, "n"),
    ),
    claim=Claim(date(2018, 6, 3), "马超", 2, "请审核"),
    rejection=Rejection(None, date(2018, 6, 4), "办公室", "request"),
    request=Request(date(2018, 10, 31), "人手不足", date(2018, 6, 5), "朱琳", 10),
    chases=(
        Chased(date(2018, 6, 6), "办公室", "mail", None),
        Chased(date(2018, 6, 7), "b", None, "x"),
    ),
    last_event=date(2018, 6, 7),
)


def test_every_field_of_every_record_reads_back_as_it_was() -> None:
    states = {"1.1": EVERYTHING, "2.1": TaskState(), "3.1": TaskState(note="只有备注")}
    back = state_codec.loads(state_codec.dumps(states))
    assert back == states
    assert [back[t].last_event for t in states] == [s.last_event for s in states.values()]
    assert type(back["1.1"].reports[1].value) is int  # a whole value stays whole
    for record in (EVERYTHING, *EVERYTHING.completions, EVERYTHING.deferral, EVERYTHING.claim):
        assert all(getattr(record, f.name) is not None for f in fields(record))


@pytest.mark.parametrize(
    "payload",
    [
        b"[]",
        b'{"1.1": {}}',
        b'{"1.1": [[], null, null, [], null, null, null, []]}',  # a field short
        b'{"1.1": [[], null, null, [], null, null, null, [], null, 1]}',  # one too many
        b'{"1.1": [[["2018-03-01", "a", true]], null, null, [], null, null, null, [], null]}',
        b'{"1.1": [[["2018-03-01", "a", 1.0]], null, null, [], null, null, null, [], null]}',
        b'{"1.1": [[["2018-03-01", 7, 1]], null, null, [], null, null, null, [], null]}',
        b'{"1.1": [[["2018-02-30", "a", 1]], null, null, [], null, null, null, [], null]}',
        b'{"1.1": [[["2018-03-01", "a"]], null, null, [], null, null, null, [], null]}',
        b'{"1.1": ["x", null, null, [], null, null, null, [], null]}',
        b'{"1.1": [[], 5, null, [], null, null, null, [], null]}',
        b'{"1.1": [[], null, "x", [], null, null, null, [], null]}',
        b'{"1.1": [[], null, null, [["2018-01-01", "a", null, "1", null]], null, null, null, [], null]}',
        b'{"1.1": [[], null, null, [], null, null, null, [], 20180301]}',
        b'{"1.1": [[], null, null, [], null, null, null, [], null]',
    ],
)
def test_anything_but_states_as_written_is_refused(payload: bytes) -> None:
    with pytest.raises(state_codec.DamagedStates):
        state_codec.loads(payload)


def test_a_state_of_nothing_is_the_empty_array_of_its_fields() -> None:
    assert json.loads(state_codec.dumps({"1.1": TaskState()})) == {
        "1.1": [[], None, None, [], None, None, None, [], None]
    }


def test_a_sqlite_store_keeps_the_states_on_either_read_path_and_postgresql_none(
    planctl: Planctl, read_store_url: str, tmp_path: Path, cache_home: Path, no_fold: list[str]
) -> None:
    db = read_store_url
    on_server = "://" in db
    planctl.ok("done", "1.1", "--on", "2018-03-01", db=db, plan=PLAN_2018)
    if not on_server:
        settle(db)
    first = planctl.ok("due", "--month", "6", db=db, plan=PLAN_2018)
    assert planctl.ok("due", "--month", "6", db=db, plan=PLAN_2018) == first
    assert no_fold == ["fold"] * (2 if on_server else 1)
    planctl.ok("done", "6.1", "--on", "2018-06-01", db=db, plan=PLAN_2018)
    if not on_server:
        settle(db)
    after = planctl.ok("due", "--month", "6", db=db, plan=PLAN_2018)
    assert after == planctl.ok("due", "--month", "6", db=db, plan=PLAN_2018, env=fresh(tmp_path))
    assert after != first
    assert planctl.ok("due", "--month", "6", db=db, plan=PLAN_2018) == after
    assert no_fold == ["fold"] * (5 if on_server else 3)
    assert len(kept_files(cache_home)) == (0 if on_server else 1)


def test_report_from_the_kept_states_lists_the_latest_events_a_fold_lists(
    planctl: Planctl, read_store_url: str, tmp_path: Path, cache_home: Path, no_fold: list[str]
) -> None:
    db = read_store_url
    for task, day in [("1.1", "2018-03-01"), ("1.2", "2018-05-02"), ("2.1", "2018-05-02"),
                      ("2.2", "2018-01-09"), ("3.1", "2018-05-02"), ("3.2", "2018-06-01"),
                      ("4.1", "2018-02-02"), ("4.2", "2018-05-02"), ("5.1", "2018-04-04")]:  # fmt: skip
        planctl.ok("done", task, "--on", day, db=db, plan=PLAN_2018)
        planctl.ok("note", task, f"{task} 已办", "--on", day, db=db, plan=PLAN_2018)
    planctl.ok("undo", "3.2", db=db, plan=PLAN_2018)
    if "://" not in db:
        settle(db)
    planctl.ok("due", db=db, plan=PLAN_2018)  # keeps the states
    shown = {}
    for form in ("json", "markdown"):
        shown[form] = planctl.ok("report", "--format", form, db=db, plan=PLAN_2018)
        folded = planctl.ok("report", "--format", form, db=db, plan=PLAN_2018, env=fresh(tmp_path))
        assert shown[form] == folded
    assert len(json.loads(shown["json"])["recent"]) == 10
    # due, and the two reports of a fresh cache (on PostgreSQL nothing is kept: all fold)
    assert no_fold == ["fold"] * (5 if "://" in db else 3)


def test_a_report_or_digest_that_folds_the_log_keeps_the_states_for_the_next_read(
    planctl: Planctl, tmp_path: Path, cache_home: Path, no_fold: list[str]
) -> None:
    db = settled_store(planctl, tmp_path)
    planctl.ok("digest", db=db, plan=PLAN_2018)
    assert len(kept_files(cache_home)) == 1
    planctl.ok("due", db=db, plan=PLAN_2018)
    planctl.ok("report", db=db, plan=PLAN_2018)
    assert no_fold == ["fold"]


def test_the_codec_keeps_every_type_a_state_may_hold_and_refuses_others() -> None:
    from planctl import frozen

    @frozen
    class Mixed:
        days: tuple[date, ...]
        names: tuple[str, ...] = ()
        value: float | None = None

    encode, decode = state_codec._codec("encode", Mixed), state_codec._codec("decode", Mixed)
    kept = Mixed((date(2018, 1, 2), date(2018, 3, 4)), ("张伟",), 2.5)
    assert encode(kept) == [["2018-01-02", "2018-03-04"], ["张伟"], 2.5]
    assert decode(json.loads(json.dumps(encode(kept)))) == kept
    with pytest.raises(state_codec.DamagedStates):
        decode([["2018-01-02"], [5], None])

    @frozen
    class Moment:
        at: time.struct_time

    with pytest.raises(TypeError, match="the states codec cannot keep"):
        state_codec._codec("decode", Moment)


def test_a_states_directory_others_may_write_is_neither_read_nor_written(
    planctl: Planctl, tmp_path: Path, cache_home: Path, no_fold: list[str]
) -> None:
    db = settled_store(planctl, tmp_path)
    planctl.ok("due", db=db, plan=PLAN_2018)
    [kept] = kept_files(cache_home)
    kept.parent.chmod(0o777)  # another user could have planted what is there
    before = kept.read_bytes()
    planctl.ok("due", db=db, plan=PLAN_2018)
    planctl.ok("done", "1.2", "--on", "2018-03-02", db=db, plan=PLAN_2018)
    settle(db)
    planctl.ok("due", db=db, plan=PLAN_2018)
    assert (no_fold, kept_files(cache_home), kept.read_bytes()) == (["fold"] * 3, [kept], before)
