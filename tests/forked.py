"""planctl in processes of its own, forked from a server that has imported planctl once.

Most of a planctl process's life is Python importing planctl (about 0.6 s of a 0.7 s `done` on
2 cores). The tests that need many real processes (tests/test_crash.py kills them,
tests/test_concurrency.py runs them side by side) fork them from a multiprocessing fork server
that preloaded planctl and this module, so each process spends its time on planctl's work.
A child imports this module by name when it starts: it must not import pytest or the tests.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from dataclasses import dataclass
from multiprocessing.context import ForkServerContext, SpawnContext
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

from typer.testing import CliRunner

from planctl.cli.app import app_for


def context() -> ForkServerContext | SpawnContext:
    """Where the processes come from: the fork server (spawned processes on Windows)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    forkserver = multiprocessing.get_context("forkserver")
    forkserver.set_forkserver_preload(["planctl.cli", __name__])
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
