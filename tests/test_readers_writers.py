"""Readers while writers write: `due` and `report` never fail and never see half a command.

Separate processes share one store (SQLite, and PostgreSQL when configured), all starting at
once, forked from a server that has imported planctl (tests/forked.py). Each process loops
over planctl commands in-process (the whole command, store opened and closed each time),
which keeps the test short while the store sees real concurrent connections from different
processes:

- the group writer marks June's three tasks done in one command (`done 6.1 6.2 6.3`), then
  undoes them one by one (6.1, then 6.2, then 6.3), so that between commands the tasks done are
  {}, {6.3}, {6.2, 6.3} or all three, each with the note of the same round;
- the count writer adds one to both counted tasks in one command (`done P10.1 P10.2 --count
  1`), so their counts are always equal;
- the note writer adds numbered notes to Y.1, so a reader never sees an older one come back;
- readers alternate `due --month 6 --format json` and `report --format json` and keep every
  result; each must succeed and show only states that lie between commands.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import pytest

from tests import forked
from tests.conftest import REPO, TODAY, Planctl

pytestmark = pytest.mark.xdist_group("processes")  # see pyproject.toml

GROUP = ["6.1", "6.2", "6.3"]
BETWEEN_COMMANDS = [set(), {"6.3"}, {"6.2", "6.3"}, set(GROUP)]
"""What the group writer's tasks can look like between its commands (the done ones)."""
READERS = 3
ROUNDS = {"group": 6, "count": 15, "note": 15}
MIN_READS = 15
"""Each reader goes on until the writers are done, and reads at least this often."""
HANG = 300
"""Seconds after which a process is taken to hang (the test fails rather than waits)."""

PROCESSES = forked.context()


@dataclass
class Worker:
    """A reader or writer process (tests/forked.py `read_or_write`), and its stderr file."""

    process: BaseProcess
    stderr: Path


def spawn(role: str, db: str, rounds: int, log: Path, stop: Path) -> Worker:
    stderr = log.with_suffix(".stderr")
    env = {**os.environ, "PLANCTL_TODAY": TODAY}
    process = PROCESSES.Process(
        target=forked.read_or_write,
        args=(role, db, rounds, str(log), str(stop), env, str(REPO), str(stderr)),
    )
    process.start()
    return Worker(process, stderr)


def results(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def processes() -> Iterator[list[Worker]]:
    """The test's processes; any still running at the end is killed."""
    started: list[Worker] = []
    try:
        yield started
    finally:
        for worker in started:
            if worker.process.exitcode is None:
                worker.process.kill()
            worker.process.join()


def finish(worker: Worker, deadline: float) -> None:
    worker.process.join(timeout=max(deadline - time.monotonic(), 1))
    if worker.process.exitcode is None:
        pytest.fail(f"a process hung (no end after {HANG} s): {worker.process.name}")
    assert (worker.process.exitcode, worker.stderr.read_bytes()) == (0, b"")


class Seen:
    """What one reader saw, in order, checked against what lies between commands."""

    def __init__(self) -> None:
        self.count = 0
        self.note = ""

    def due(self, data: dict[str, Any]) -> None:
        tasks = {task["id"]: task for task in data["tasks"]}
        done = {task for task in GROUP if tasks[task]["status"] == "done"}
        assert done in BETWEEN_COMMANDS, f"half a command: {sorted(done)} done"
        assert len({tasks[task]["note"] for task in done}) <= 1, "notes of different rounds"
        self.counts(tasks["P10.1"], tasks["P10.2"])
        note = tasks["Y.1"]["note"] or ""
        assert note >= self.note, f"note went back from {self.note!r} to {note!r}"
        self.note = note

    def report(self, data: dict[str, Any]) -> None:
        targets = {task["id"]: task for task in data["targets"]}
        self.counts(targets["P10.1"], targets["P10.2"])
        june = next(row for row in data["months"] if row["month"] == 6)
        summary = data["summary"]
        by_month = sum(row["done"] for row in data["months"])
        assert summary["done"] == by_month + data["year_round"]["done"]
        assert june["done"] in (0, 1, 2, 3)

    def counts(self, first: dict[str, Any], second: dict[str, Any]) -> None:
        count = first["progress"]["count"]
        assert count == second["progress"]["count"], "half a `done P10.1 P10.2`"
        assert count >= self.count, "a count went down"
        self.count = count


@pytest.mark.slow
def test_readers_never_fail_nor_see_half_a_command(
    store_url: str, tmp_path: Path, processes: list[Worker], planctl: Planctl
) -> None:
    stop = tmp_path / "writers-done"
    # The store is made first: several first commands at once on a new SQLite file are another
    # matter (tests/test_concurrency.py).
    made = planctl("note", "Y.2", "store made", db=store_url)
    assert (made.code, made.err) == (0, "")
    deadline = time.monotonic() + HANG
    writers = {}
    for role, rounds in ROUNDS.items():
        log = tmp_path / f"{role}.jsonl"
        writers[role] = log
        processes.append(spawn(role, store_url, rounds, log, stop))
    readers = []
    for n in range(READERS):
        log = tmp_path / f"reader-{n}.jsonl"
        readers.append(log)
        processes.append(spawn("reader", store_url, MIN_READS, log, stop))

    for process in processes[: len(ROUNDS)]:
        finish(process, deadline)
    stop.touch()
    for process in processes[len(ROUNDS) :]:
        finish(process, deadline)

    for role, log in writers.items():
        done = results(log)
        assert len(done) == ROUNDS[role] * (4 if role == "group" else 1)
        failed = [(r["args"], r["code"], r["err"]) for r in done if r["code"] != 0]
        assert failed == [], f"a {role} writer's command failed"

    reads = 0
    states: set[tuple[str, ...]] = set()
    for log in readers:
        seen = Seen()
        for result in results(log):
            assert (result["code"], result["err"]) == (0, ""), result["args"]
            data = json.loads(result["out"])
            if result["args"][0] == "due":
                seen.due(data)
                states.add(tuple(t["id"] for t in data["tasks"] if t["status"] == "done"))
            else:
                seen.report(data)
            reads += 1
    assert reads >= READERS * MIN_READS
    print(f"\n{len(ROUNDS)} writers, {READERS} readers: {reads} reads, {len(states)} states seen")

    # Every group round ends with its tasks undone; every count and note is in.
    final = planctl.json("due", "--month", "6", db=store_url)
    tasks = {task["id"]: task for task in final["tasks"]}
    assert [tasks[task]["status"] for task in GROUP] == ["open", "open", "open"]
    assert tasks["P10.1"]["progress"]["count"] == ROUNDS["count"]
    assert tasks["P10.2"]["progress"]["count"] == ROUNDS["count"]
    assert tasks["Y.1"]["note"] == f"note {ROUNDS['note'] - 1:03d}"
