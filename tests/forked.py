"""planctl in processes of its own, forked from a server that has imported planctl once.

Most of a planctl process's life is Python importing planctl (about 0.6 s of a 0.7 s `done` on
2 cores). The tests that need many real processes (tests/test_crash.py kills them,
tests/test_concurrency.py and tests/test_readers_writers.py run them side by side) fork them
from a multiprocessing fork server that preloaded planctl and this module, so each process
spends its time on planctl's work. A child imports this module by name when it starts: it
must not import pytest or the tests.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from dataclasses import dataclass
from multiprocessing.context import ForkServerContext, SpawnContext
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from planctl.cli import app_for
from tests.built_once import CliRunner

PRELOAD = [
    "planctl.cli",
    "planctl.cli.progress_commands",
    "planctl.cli.recording",
    "planctl.cli.recording_commands",
    "planctl.cli.plan_commands",
    "planctl.cli.report_commands",
    "planctl.cli.session",
    "planctl.core.changes",
    "planctl.core.report",
    "planctl.plan.cache",
    "planctl.plan.refs",
    "planctl.store.reading",
    "planctl.store.store",
    "planctl.views.report",
    "planctl.views.tasks",
]
"""What the server imports: the CLI, and what the recording commands and `list`, `due` and
`report` import when they run (a command imports its store, models and views on first use, so
`planctl.cli` alone would leave each process 0.5 s of imports: 280 modules)."""


def context() -> ForkServerContext | SpawnContext:
    """Where the processes come from: the fork server (spawned processes on Windows)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    forkserver = multiprocessing.get_context("forkserver")
    forkserver.set_forkserver_preload([*PRELOAD, __name__])
    return forkserver


def console_script(args: list[str], env: dict[str, str], cwd: str, stderr: str) -> None:
    """What the `planctl` console script does (`main()`, exit code and all), with these
    arguments, environment and working directory; stdout goes nowhere (not a terminal), stderr
    to the file `stderr`."""
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.dup2(os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
    sys.argv = ["planctl", *args]
    from planctl.cli import main

    main()


@dataclass(frozen=True)
class Outcome:
    """What one in-process command gave."""

    args: list[str]
    code: int
    out: str
    err: str


def run_commands(
    worker: int,
    todo: list[list[str]],
    env: dict[str, str],
    start: Barrier,
    results: Queue[tuple[int, list[Outcome]]],
) -> None:
    """One process: wait for the others, then run its commands in-process, one after another
    (the store opened and closed by each, as a separate planctl run would)."""
    runner = CliRunner()
    start.wait()
    outcomes = []
    for args in todo:
        result = runner.invoke(app_for(["planctl", *args]), args, env=env)
        crash = result.exception
        if crash is not None and not isinstance(crash, SystemExit):
            result_err = f"{result.stderr}{type(crash).__name__}: {crash}"
        else:
            result_err = result.stderr
        outcomes.append(Outcome(args, result.exit_code, result.stdout, result_err))
    results.put((worker, outcomes))


def read_or_write(
    role: str,
    db: str,
    rounds: int,
    log: str,
    stop: str,
    env: dict[str, str],
    cwd: str,
    stderr: str,
) -> None:
    """One process of tests/test_readers_writers.py, running commands in-process and logging
    each result as a JSON line: a writer ("group", "count" or "note") its rounds of recording
    commands; a reader `due` and `report` in turn, `rounds` times and on until `stop` exists."""
    os.environ.clear()
    os.environ.update(env)
    os.dup2(os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
    runner = CliRunner()

    def cli(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app_for(["planctl", *args]), [*args, "--db", db])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            return 99, "", repr(result.exception)
        return result.exit_code, result.stdout, result.stderr

    with Path(log).open("w", encoding="utf-8") as file:

        def record(args: list[str], result: tuple[int, str, str]) -> None:
            code, out, err = result
            line: dict[str, Any] = {"args": args, "code": code, "out": out, "err": err}
            file.write(json.dumps(line) + "\n")
            file.flush()

        if role == "reader":
            n = 0
            while n < rounds or not Path(stop).exists():
                args = ["due", "--month", "6"] if n % 2 == 0 else ["report"]
                record(args, cli(*args, "--format", "json"))
                n += 1
            return
        for k in range(rounds):
            if role == "group":
                commands = [["done", "6.1", "6.2", "6.3", "--note", f"round {k}"],
                            ["undo", "6.1"], ["undo", "6.2"], ["undo", "6.3"]]  # fmt: skip
            elif role == "count":
                commands = [["done", "P10.1", "P10.2", "--count", "1", "--note", f"count {k}"]]
            else:
                commands = [["note", "Y.1", f"note {k:03d}"]]
            for args in commands:
                record(args, cli(*args))
