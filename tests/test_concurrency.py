"""Concurrent writers lose nothing: 8 processes, 50 recording commands each (20 outside CI), one
store."""

from __future__ import annotations

import os
import queue
import time
from datetime import date
from multiprocessing.queues import Queue
from pathlib import Path

import pytest
import yaml

from planctl.core.state import Completion, TaskState, states
from planctl.store.store import Store, StoreLocation
from tests import forked
from tests.forked import Outcome, run_commands

pytestmark = pytest.mark.xdist_group("processes")  # see pyproject.toml

WORKERS = 8
COMMANDS_EACH = 50 if os.environ.get("CI") == "true" else 20
"""Each worker's commands: 50 on CI (400 events), 20 in a developer's run (a third of the time)."""
TODAY = {"PLANCTL_TODAY": "2018-06-15"}


def write_plan(path: Path) -> None:
    """A plan with a task of its own for every `done` a worker records (`w3.12`: worker 3's)."""
    tasks = [
        {"id": f"w{w}.{j}", "title": f"worker {w} task {j}", "month": j % 12 + 1, "points": [1]}
        for w in range(WORKERS)
        for j in range(COMMANDS_EACH // 2)
    ]
    plan = {
        "id": "load-2018",
        "year": 2018,
        "title": "Load test plan",
        "sections": [{"number": 1, "title": "All", "points": [{"number": 1, "title": "All"}]}],
        "tasks": tasks,
    }
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")


def commands(worker: int) -> list[list[str]]:
    """A worker's commands: `done` on each of its tasks, each followed by a note.

    Every command records exactly one event: a task without a target is done once. The notes
    go to the worker's own tasks, so that which note is the latest does not depend on how the
    workers interleave (a task's state keeps only its latest note)."""
    made: list[list[str]] = []
    for j in range(COMMANDS_EACH // 2):
        made.append(["done", f"w{worker}.{j}", "--by", f"worker{worker}"])
        target = (j * 7) % (COMMANDS_EACH // 2)
        made.append(
            ["note", f"w{worker}.{target}", f"note {worker}-{j}", "--by", f"worker{worker}"]
        )
    return made


def run_workers(todo: list[list[list[str]]]) -> list[list[Outcome]]:
    """A process for each list of commands, started together; what each command gave."""
    processes_from = forked.context()  # each worker forked from a server that imported planctl
    start = processes_from.Barrier(len(todo))
    results: Queue[tuple[int, list[Outcome]]] = processes_from.Queue()
    processes = [
        processes_from.Process(target=run_commands, args=(w, commands, TODAY, start, results))
        for w, commands in enumerate(todo)
    ]
    for process in processes:
        process.start()
    collected: dict[int, list[Outcome]] = {}
    deadline = time.monotonic() + 300
    try:
        while len(collected) < len(todo):
            try:
                worker, outcomes = results.get(timeout=1)
                collected[worker] = outcomes
            except queue.Empty:
                # A worker that died reports nothing; do not wait for it until the deadline.
                dead = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
                if dead or time.monotonic() > deadline:
                    raise AssertionError(
                        f"{len(collected)} of {len(todo)} workers reported; exit codes {dead}"
                    ) from None
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    assert [process.exitcode for process in processes] == [0] * len(todo)
    return [collected[w] for w in range(len(todo))]


@pytest.mark.slow  # 10-35 s a backend on 2 CPUs
def test_concurrent_writers_lose_nothing(store_url: str, tmp_path: Path) -> None:
    plan = tmp_path / "load.yaml"
    write_plan(plan)
    where = ["--db", store_url, "--plan", str(plan)]
    outcomes = run_workers([[[*args, *where] for args in commands(w)] for w in range(WORKERS)])

    everything = [outcome for w in range(WORKERS) for outcome in outcomes[w]]
    assert len(everything) == WORKERS * COMMANDS_EACH
    failed = [o for o in everything if o.code != 0 or o.err]
    assert failed == []
    assert not [o for o in everything if "locked" in o.out + o.err], "no database is locked"
    for w in range(WORKERS):
        for outcome, args in zip(outcomes[w], commands(w), strict=True):
            task = args[1]
            title = "worker {} task {}".format(*task[1:].split("."))
            assert outcome.args[: len(args)] == args
            expected = (
                f"done: {task} {title} (2018-06-15, worker{w})\n"
                if args[0] == "done"
                else f"noted: {task} {title}\n"
            )
            assert outcome.out == expected

    store = Store.open_for_reading(StoreLocation.parse(store_url))
    events = store.events("load-2018")
    store.close()
    assert len(events) == WORKERS * COMMANDS_EACH
    for w in range(WORKERS):
        mine = [
            (e.task_id, e.action.value, e.note) for e in events if e.recorded_by == f"worker{w}"
        ]
        assert mine == [
            (args[1], args[0], args[2] if args[0] == "note" else None) for args in commands(w)
        ], "each worker's events in the order it recorded them"

    assert states(events) == intended_states()


def intended_states() -> dict[str, TaskState]:
    """The states the commands mean, worked out from them rather than by running them: each
    worker's tasks done once, by that worker, on the day; a task's note the last one its
    worker wrote to it (no other worker writes to it, so the interleaving cannot matter)."""
    intended = {}
    for w in range(WORKERS):
        notes = {args[1]: args[2] for args in commands(w) if args[0] == "note"}
        for j in range(COMMANDS_EACH // 2):
            task = f"w{w}.{j}"
            done = Completion(date(2018, 6, 15), f"worker{w}")
            intended[task] = TaskState((done,), notes.get(task))
    return intended


def test_writers_of_one_task_at_once_record_it_once(store_url: str) -> None:
    """Each command reads whether the task is done and appends in one transaction; the store
    lets one writer at a time do that, so the others see the first one's `done`."""
    Store.open_for_writing(StoreLocation.parse(store_url)).close()
    outcomes = run_workers(
        [[["done", "6.1", "--by", f"worker{w}", "--db", store_url]] for w in range(WORKERS)]
    )
    said = [(o.code, o.err, o.out.split(" (")[0]) for [o] in outcomes]
    title = "6.1 对城市精细化管理情况进行视察"
    assert said.count((0, "", f"done: {title}")) == 1
    assert said.count((0, "", f"already done: {title}")) == WORKERS - 1
    store = Store.open_for_reading(StoreLocation.parse(store_url))
    assert len(store.events("cppcc-2018")) == 1
    store.close()
