"""Crash safety: `planctl done` and `undo`, killed with SIGKILL at random moments, lose nothing.

Each command is a real process against one SQLite store, running what the console script
runs (`planctl.cli.main()`); it is forked from a server that has imported planctl already
(tests/forked.py), so that the kills fall on planctl's own work, not on Python importing it
(0.6 s of the console script's 0.7 s). It is killed at a random moment of its usual run
time, or, one time in three, at a random moment of its write transaction (a few milliseconds
of the run, found by watching the store's write lock). Before each kill the process is frozen
(SIGSTOP) and the write lock is probed, so the test knows whether the kill landed inside the
transaction. After every kill the store passes `PRAGMA integrity_check`, each command's events
(a `done` of several tasks carries a note of its own) are all there or none are, what `list`
shows agrees with that, and the next command works. A few more kills hit the first command on
a new store, while it creates the schema. Run with `-s` to see the figures.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from time import monotonic, sleep

import pytest

from tests import forked
from tests.conftest import PLAN_2018, run

PROCESSES = forked.context()
TODAY = "2018-06-15"
KILLS = 200 if os.environ.get("CI") == "true" else 60
"""Processes killed while still running, against the one store: 200 on CI, 60 in a developer's
run (about a fifth of a minute on two cores)."""
FRESH_STORE_KILLS = 12
"""More kills, each while the first command creates a new store."""
POOL = ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "5.1",
        "6.1", "6.2", "7.1", "7.2", "8.1", "8.2"]  # fmt: skip
"""Plain one-month tasks of the 2018 plan, none waiting for another: the commands mark them
done and undo them."""


@dataclass
class Figures:
    """What happened to the processes, for the report."""

    outcomes: Counter[str] = field(default_factory=Counter)
    killed: int = 0
    """Processes killed while still running."""

    def add(self, outcome: str, detail: str = "") -> None:
        self.outcomes[f"{outcome}, {detail}" if detail else outcome] += 1
        if outcome.startswith("killed"):
            self.killed += 1


@dataclass
class Command:
    args: list[str]
    note: str | None = None
    """A done's own note, which each of its events carries."""
    tasks: tuple[str, ...] = ()


def environment(plan: Path, db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANCTL_")}
    env.update(PLANCTL_TODAY=TODAY, PLANCTL_PLAN=str(plan), PLANCTL_DB=str(db))
    return env


class Running:
    """One planctl process (see tests/forked.py), and what it wrote on stderr."""

    def __init__(self, command: Command, env: dict[str, str], cwd: Path) -> None:
        self.stderr_file = cwd / "stderr.txt"
        self.process = PROCESSES.Process(
            target=forked.console_script,
            args=(command.args, env, str(cwd), str(self.stderr_file)),
        )
        self.process.start()
        assert self.process.pid is not None
        # Signals go through a pidfd: the fork server, not this test, reaps the process, and a
        # pid may be reused once it is gone; the pidfd names this process only.
        self.pidfd = os.pidfd_open(self.process.pid)

    def send(self, number: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):  # it has already ended
            signal.pidfd_send_signal(self.pidfd, number)

    def poll(self) -> int | None:
        """The exit code, or None while it runs (-9 once killed)."""
        return self.process.exitcode

    def wait(self, timeout: float) -> int | None:
        self.process.join(timeout)
        return self.process.exitcode

    def kill(self) -> int:
        """SIGKILL, and wait until it is gone: -9, or 0 if it ended by itself just before."""
        self.send(signal.SIGKILL)
        self.process.join(timeout=30)
        code = self.process.exitcode
        assert code is not None, "a killed process is gone"
        return code

    def stderr(self) -> bytes:
        return self.stderr_file.read_bytes()

    def close(self) -> None:
        if self.process.exitcode is None:
            self.kill()
        self.process.close()
        os.close(self.pidfd)


def write_lock_held(db: Path) -> bool:
    """Whether some process is inside a write transaction on the store."""
    if not db.exists():
        return False
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        # "locking protocol" (SQLITE_PROTOCOL): another connection is busy with the WAL index,
        # as when it opens the store right after a killed writer; busy all the same.
        assert any(word in str(error) for word in ("locked", "busy", "locking protocol")), error
        return True
    finally:
        probe.close()


def run_and_kill(
    command: Command,
    env: dict[str, str],
    cwd: Path,
    delay: float,
    db: Path,
    *,
    aim: bool = False,
    watch_from: float = 0,
) -> tuple[str, bytes]:
    """Run the command and kill it unless it has finished: after `delay` seconds, or with `aim`,
    once it is seen holding the write lock (watched for from `watch_from` seconds on) and
    `delay` seconds more. How it ended ("finished", "killed in the write transaction" or
    "killed outside it") and its stderr."""
    process = Running(command, env, cwd)
    try:
        if aim:
            # Start watching a little before the write, so as to leave the CPU to the command.
            process.wait(timeout=watch_from)
            deadline = monotonic() + 30
            while process.poll() is None and monotonic() < deadline:
                if write_lock_held(db):
                    sleep(delay)
                    break
                sleep(0.001)
        else:
            process.wait(timeout=delay)
        if process.poll() is None:
            process.send(signal.SIGSTOP)  # freeze it where it is, to look at the lock
            inside = write_lock_held(db)
            if process.kill() == -signal.SIGKILL:
                return ("killed in the write transaction" if inside else "killed outside it"), b""
        assert process.poll() == 0, process.stderr()
        return "finished", process.stderr()
    finally:
        process.close()


def integrity(db: Path) -> list[tuple[str, ...]]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()


def tables(db: Path) -> set[str]:
    connection = sqlite3.connect(db)
    try:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    finally:
        connection.close()


def done_notes(db: Path) -> dict[str, tuple[int, int]]:
    """For each note carried by done events: how many events, and how many recording moments."""
    connection = sqlite3.connect(db)
    try:
        rows = connection.execute(
            "SELECT note, count(*), count(DISTINCT recorded_at) FROM events"
            " WHERE action = 'done' GROUP BY note"
        ).fetchall()
        return {note: (count, moments) for note, count, moments in rows}
    finally:
        connection.close()


def undo_count(db: Path, task: str) -> int:
    connection = sqlite3.connect(db)
    try:
        query = "SELECT count(*) FROM events WHERE action = 'undo' AND task_id = ?"
        count: int = connection.execute(query, (task,)).fetchone()[0]
        return count
    finally:
        connection.close()


def plan_versions(db: Path) -> int:
    connection = sqlite3.connect(db)
    try:
        count: int = connection.execute("SELECT count(*) FROM plan_versions").fetchone()[0]
        return count
    finally:
        connection.close()


def done_in_list(db: Path, plan: Path) -> set[str]:
    result = run("list", "--format", "json", "--db", str(db), "--plan", str(plan))
    assert (result.code, result.err) == (0, ""), result.err
    return {t["id"] for t in json.loads(result.out)["tasks"] if t["status"] == "done"}


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A copy of the 2018 plan and a directory for the store."""
    plan = tmp_path / "plan.yaml"
    shutil.copyfile(PLAN_2018, plan)
    yield plan, tmp_path


class Runtimes:
    """How long whole commands take here lately: the kills are spread over that. Measured as
    the test goes (every few commands runs to the end), since the machine's load varies."""

    def __init__(self) -> None:
        self.recent: list[float] = []

    def add(self, seconds: float) -> None:
        self.recent = [*self.recent[-6:], seconds]

    @property
    def typical(self) -> float:
        return 0.9 * median(self.recent)


def run_to_the_end(command: Command, env: dict[str, str], cwd: Path, runtimes: Runtimes) -> None:
    began = monotonic()
    process = Running(command, env, cwd)
    try:
        code = process.wait(timeout=60)
        runtimes.add(monotonic() - began)
        assert (code, process.stderr()) == (0, b""), process.stderr()
    finally:
        process.close()


class Delays:
    """When to kill: at a moment anywhere in a usual run, or in its last 40%; or, one time in
    three, aimed at the write transaction (a few milliseconds of the run): a moment after the
    process is first seen holding the store's write lock."""

    def __init__(self, rng: random.Random, runtimes: Runtimes) -> None:
        self.rng = rng
        self.runtimes = runtimes

    @property
    def watch_from(self) -> float:
        """When to start watching for the write lock: it comes late in a run (80-95%)."""
        return 0.4 * self.runtimes.typical

    def pick(self, *, aim: bool = True) -> tuple[float, bool]:
        """The delay, and whether it counts from the moment the write lock is seen (never
        without `aim`)."""
        typical = self.runtimes.typical
        choice = self.rng.random() if aim else 1 / 3 + self.rng.random() * 2 / 3
        if choice < 1 / 3:
            return self.rng.uniform(0, 0.008), True
        if choice < 2 / 3:
            return self.rng.uniform(0, typical), False
        return self.rng.uniform(0.6 * typical, typical), False


@pytest.mark.slow
@pytest.mark.xdist_group("processes")  # see pyproject.toml
def test_killed_commands_leave_whole_commands_and_a_sound_store(
    workdir: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan, cwd = workdir
    monkeypatch.setenv("PLANCTL_TODAY", TODAY)
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    runtimes = Runtimes()
    delays = Delays(rng, runtimes)
    calibration = environment(plan, cwd / "calibration.sqlite3")
    for args in (["done", "8.1", "8.2", "9.1"], ["undo", "8.1"], ["done", "9.2", "10.1"]):
        run_to_the_end(Command(args), calibration, cwd, runtimes)
    figures = Figures()
    where = f"(seed {seed})"

    # Kills while the first command creates the store: the next command still works.
    for n in range(FRESH_STORE_KILLS):
        db = cwd / f"fresh-{n}.sqlite3"
        command = Command(["done", "1.1", "1.2", "2.1", "--note", "first"])
        # Not watched: probing a store while it is being made could itself get in the way.
        delay, _ = delays.pick(aim=False)
        outcome, err = run_and_kill(command, environment(plan, db), cwd, delay, db)
        figures.add(outcome, "new store")
        assert outcome != "finished" or err == b"", err
        if db.exists():
            assert integrity(db) == [("ok",)], where
            if "events" in tables(db):
                assert done_notes(db).get("first", (0, 0))[0] in (0, 3), where
        assert run("done", "3.1", "--db", str(db), "--plan", str(plan)).code == 0, where
        assert {"3.1"} <= done_in_list(db, plan), where

    # Many kills against one store, alternating multi-task `done` and `undo`.
    db = cwd / "store.sqlite3"
    env = environment(plan, db)
    assert run("note", "Y.1", "store made", "--db", str(db), "--plan", str(plan)).code == 0
    done: set[str] = set()
    expected: dict[str, int] = {}  # each done command's note -> its number of tasks
    n = 0
    while figures.killed - FRESH_STORE_KILLS < KILLS:
        n += 1
        open_tasks = sorted(set(POOL) - done)
        if len(open_tasks) >= 3 and (not done or rng.random() < 0.6):
            chosen = tuple(rng.sample(open_tasks, rng.randint(3, min(6, len(open_tasks)))))
            note = f"command {n}"
            command = Command(["done", *chosen, "--note", note], note, chosen)
            expected[note] = len(chosen)
        else:
            task = rng.choice(sorted(done))
            command = Command(["undo", task], tasks=(task,))
            undos_before = undo_count(db, task)
        if n % 25 == 0:  # now and then a whole run, to follow how long commands take
            run_to_the_end(command, env, cwd, runtimes)
            outcome, err = "finished", b""
        else:
            delay, aim = delays.pick()
            outcome, err = run_and_kill(
                command, env, cwd, delay, db, aim=aim, watch_from=delays.watch_from
            )
        step = f"{where} after {command.args} ({outcome})"

        assert integrity(db) == [("ok",)], step
        notes = done_notes(db)
        for note, count in expected.items():
            events, moments = notes.get(note, (0, 0))
            assert events in (0, count), f"{step}: {note!r} has {events} of {count} events"
            assert moments <= 1, f"{step}: {note!r} recorded at {moments} moments"
        if command.note is not None:
            landed = notes.get(command.note, (0, 0))[0] == len(command.tasks)
            if landed:
                done |= set(command.tasks)
        else:
            undos = undo_count(db, command.tasks[0]) - undos_before
            assert undos in (0, 1), step
            landed = undos == 1
            if landed:
                done -= set(command.tasks)
        assert plan_versions(db) == 1, step
        if outcome == "finished":
            assert (landed, err) == (True, b""), f"{step}: {err!r}"
            figures.add(outcome)
        elif outcome == "killed in the write transaction":
            figures.add(outcome, "committed" if landed else "rolled back")
        else:
            figures.add(outcome, "after commit" if landed else "before writing")

        # The next command works, and what it shows is the store's state.
        after = run("note", "Y.1", f"after {n}", "--db", str(db), "--plan", str(plan))
        assert (after.code, after.err) == (0, ""), f"{step}: {after.err}"
        if n % 10 == 0:
            assert done_in_list(db, plan) & set(POOL) == done, step

    assert done_in_list(db, plan) & set(POOL) == done
    report = "; ".join(f"{what}: {count}" for what, count in sorted(figures.outcomes.items()))
    print(f"\ncrash figures {where}: {figures.killed} kills, typical run"
          f" {runtimes.typical:.2f} s; {report}")  # fmt: skip
    assert figures.killed >= KILLS + FRESH_STORE_KILLS
