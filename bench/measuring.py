"""Whole planctl processes timed side by side with the floors, and the table of their figures.

bench/run.py runs with the interpreter of the planctl to measure: the `planctl` script next to it
is timed, and the floor (bench/floor.py) runs on that same interpreter and libraries. Each round
runs the floor, then a command, then the floor, then the next command..., after warm-up runs;
every command's figures are medians of whole processes (fork to exit, stdout to a pipe, as cron
and scripts run it) with min and max, as a ratio to the floor's median in the same run, plus the
median of each run's ratio to the floor run just before it ("paired", steadier when the load
drifts) and the ratio of median CPU time (user + system, "cpu": the least disturbed by other
processes on a shared machine). Peak memory is each process's own ru_maxrss (os.wait4). Uses
the standard library only; planctl itself makes the fresh 2018 store and the Taskwarrior export,
in child processes (a child's ru_maxrss would start from its parent's size).
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
FLOOR = BENCH / "floor.py"
FLOOR_TYPER = BENCH / "floor_typer.py"
RUN = BENCH / "run.py"
"""The command line, whose `_helper` runs what must import planctl in a child process."""
FLOORS = {"floor": FLOOR, "typer floor": FLOOR_TYPER}
"""The two floors every command is timed beside: Typer plus SQLAlchemy (what a recording
command cannot go below), and Typer alone (what a read of a SQLite store cannot go below)."""

TARGETS = {  # (data set, command label) -> (floor, the ceiling on the ratio to it)
    ("small", "due --month 6"): ("typer floor", 1.35),
    ("small", "done 6.2"): ("floor", 1.2),
    ("small", "report --year 2018"): ("typer floor", 1.4),
    ("large", "due --month 6"): ("typer floor", 1.5),  # issue 32 (issue 18: 2.0)
    ("large", "done"): ("floor", 1.4),
    ("large", "report"): ("typer floor", 1.6),  # issue 32 (issue 18: 2.2)
    ("large", "assess"): ("typer floor", 2.0),
    ("large", "digest"): ("typer floor", 2.0),
    ("large", "bulletin --format json"): ("typer floor", 2.0),
    ("large", "due, after a change"): ("typer floor", 2.0),  # issue 18's, with the fold
}
LARGE_MEMORY_MIB = 100


@dataclass
class Command:
    """A command line to time, and what to do (untimed) before and after each run."""

    label: str
    argv: list[str]
    before: Callable[[], None] | None = None
    after: Callable[[], None] | None = None
    ok: tuple[int, ...] = (0,)
    """Exit codes that mean success (Taskwarrior exits 1 when nothing matches)."""


@dataclass
class Samples:
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    """User plus system CPU seconds: much less disturbed than wall time by other load."""
    rss_kib: list[int] = field(default_factory=list)
    paired: dict[str, list[float]] = field(default_factory=dict)
    """Each run's wall time over that of each floor's run just before it, by floor."""


def planctl_argv() -> list[str]:
    """The planctl console script installed next to this interpreter, as a user runs it."""
    script = Path(sys.executable).parent / "planctl"
    if not script.exists():
        sys.exit(f"no planctl next to {sys.executable}: run this with the planctl venv's python")
    return [str(script)]


def floor_commands() -> list[Command]:
    return [
        Command(label, [sys.executable, str(path), "--month", "6"])
        for label, path in FLOORS.items()
    ]


def planctl_bytecode() -> tuple[int, int]:
    """How many of planctl's modules have current bytecode beside their sources (in
    __pycache__, as `pip install .` or `python -m compileall` leaves it), of how many."""
    import importlib.util

    spec = importlib.util.find_spec("planctl")
    if spec is None or not spec.submodule_search_locations:
        return 0, 0
    package = Path(next(iter(spec.submodule_search_locations)))
    current = total = 0
    for source in package.rglob("*.py"):
        total += 1
        cached = Path(importlib.util.cache_from_source(str(source)))
        if sys.pycache_prefix:  # where this process would look; a user's Python looks beside
            cached = source.parent / "__pycache__" / cached.name
        try:
            header = cached.read_bytes()[:16]
            status = source.stat()
        except OSError:
            continue
        flags = int.from_bytes(header[4:8], "little")
        stamped = (
            int.from_bytes(header[8:12], "little") == int(status.st_mtime) & 0xFFFFFFFF
            and int.from_bytes(header[12:16], "little") == status.st_size & 0xFFFFFFFF
        )
        if header[:4] == importlib.util.MAGIC_NUMBER and (flags != 0 or stamped):
            current += 1
    return current, total


def bytecode_line() -> str:
    """Whether the timed runs use planctl's installed bytecode, for the machine line."""
    current, total = planctl_bytecode()
    if total and current == total:
        return f"planctl's .pyc in use ({current} of {total} modules compiled beside the sources)"
    return (
        f"planctl's .pyc NOT installed ({current} of {total} modules compiled beside the"
        " sources): timed runs cache them in a temporary PYTHONPYCACHEPREFIX; a user without a"
        " writable cache (PYTHONDONTWRITEBYTECODE, a read-only tree) recompiles them every run"
        " (see `bench/run.py bytecode`; the README's install compiles them)"
    )


def base_env(home: Path, today: str) -> dict[str, str]:
    """The environment of every timed process: no user config, user directories in a temp dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANCTL_")}
    # As a user's shell has it: bytecode read from the install (compiled by `pip install .` or
    # `compileall`, as the README installs it); where planctl's is missing, cached in a
    # directory of our own, so that the source tree is left alone (the warm-up rounds fill it),
    # as a user whose Python can write beside the sources would have it after one run. Stdout
    # buffered.
    for name in (
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONUNBUFFERED",
        "PYTHONPATH",
        "PYTHONSTARTUP",
        "PYTHONPYCACHEPREFIX",
    ):
        env.pop(name, None)
    current, total = planctl_bytecode()
    if not total or current < total:
        env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    env.update(
        PLANCTL_TODAY=today,
        PLANCTL_CONFIG=str(home / "config.toml"),  # does not exist: defaults apply
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        LC_ALL="C.UTF-8",
    )
    env.pop("NO_COLOR", None)
    return env


def run_once(
    argv: Sequence[str], env: dict[str, str], cwd: Path, tty: bool, ok: tuple[int, ...] = (0,)
) -> tuple[float, float, int]:
    """Wall seconds from start to exit, CPU seconds, and the peak resident memory in KiB."""
    if tty:
        import pty

        master, slave = pty.openpty()
        drain = threading.Thread(target=_drain, args=(master,), daemon=True)
        drain.start()
        out: int = slave
    else:
        out = subprocess.DEVNULL
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if tty:
        os.close(slave)
        drain.join(timeout=5)
    if process.returncode not in ok:
        sys.exit(f"{' '.join(argv)} failed ({process.returncode}): {errors.decode()[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


def measure(
    commands: list[Command], env: dict[str, str], cwd: Path, rounds: int, warmup: int, tty: bool
) -> dict[str, Samples]:
    """Warm up, then `rounds` rounds of: both floors, command 1, both floors, command 2, ...
    (the floors' order alternates from round to round)."""
    floors = floor_commands()
    results = {
        **{floor.label: Samples() for floor in floors},
        **{c.label: Samples() for c in commands},
    }
    total = rounds + warmup
    for round_number in range(total):
        counted = round_number >= warmup
        for command in commands:
            floor_runs = {}
            for floor in floors if round_number % 2 else reversed(floors):
                floor_runs[floor.label] = run_once(floor.argv, env, cwd, tty)
            if command.before:
                command.before()
            seconds, cpu, rss = run_once(command.argv, env, cwd, tty, command.ok)
            if command.after:
                command.after()
            if counted:
                for label, (floor_seconds, floor_cpu, floor_rss) in floor_runs.items():
                    results[label].seconds.append(floor_seconds)
                    results[label].cpu.append(floor_cpu)
                    results[label].rss_kib.append(floor_rss)
                samples = results[command.label]
                samples.seconds.append(seconds)
                samples.cpu.append(cpu)
                samples.rss_kib.append(rss)
                for label, (floor_seconds, _, _) in floor_runs.items():
                    samples.paired.setdefault(label, []).append(seconds / floor_seconds)
        if sys.stderr.isatty():
            status = "warm-up" if not counted else f"round {round_number - warmup + 1}/{rounds}"
            print(f"\r  {status}   ", end="", file=sys.stderr, flush=True)
    if sys.stderr.isatty():
        print("\r" + " " * 30 + "\r", end="", file=sys.stderr)
    return results


def report(
    title: str, dataset: str, results: dict[str, Samples], memory: bool
) -> list[dict[str, Any]]:
    """One line per command: its times, its ratio to each floor (medians over medians, in the
    same run), and against the floor its target names (the SQLAlchemy floor where it names
    none): the paired ratio and the ratio of CPU times; then the target and its verdict."""
    medians = {label: statistics.median(results[label].seconds) for label in FLOORS}
    cpus = {label: statistics.median(results[label].cpu) for label in FLOORS}
    rows = []
    width = max(24, *(len(label) + 2 for label in results))  # a long label keeps its columns
    print(f"\n{title}", flush=True)
    print(
        f"{'command':<{width}}{'median':>8}{'min':>8}{'max':>8}{'/floor':>8}{'/typer':>8}"
        f"{'paired':>8}{'cpu':>7}{'peak MiB':>10}{'target':>16}  verdict"
    )
    for label, samples in results.items():
        median = statistics.median(samples.seconds)
        ratio = median / medians["floor"]
        typer_ratio = median / medians["typer floor"]
        target = TARGETS.get((dataset, label))
        against = target[0] if target else "floor"
        paired = samples.paired.get(against)
        paired_ratio = statistics.median(paired) if paired else median / medians[against]
        rss = max(samples.rss_kib) / 1024
        cpu_ratio = statistics.median(samples.cpu) / cpus[against]
        verdict = ""
        shown_target = ""
        if target is not None:
            floor_label, ceiling = target
            achieved = median / medians[floor_label]
            verdict = "met" if achieved <= ceiling else "NOT met"
            shown_target = f"<={ceiling}x {'typer' if floor_label == 'typer floor' else 'floor'}"
        if memory and label not in FLOORS:
            verdict += f"; memory {'met' if rss <= LARGE_MEMORY_MIB else 'NOT met'}"
        print(
            f"{label:<{width}}{median:8.3f}{min(samples.seconds):8.3f}{max(samples.seconds):8.3f}"
            f"{ratio:8.2f}{typer_ratio:8.2f}{paired_ratio:8.2f}{cpu_ratio:7.2f}{rss:10.1f}"
            f"{shown_target:>16}  {verdict}"
        )
        rows.append(
            {
                "command": label,
                "median_s": round(median, 4),
                "min_s": round(min(samples.seconds), 4),
                "max_s": round(max(samples.seconds), 4),
                "ratio": round(ratio, 3),
                "typer_ratio": round(typer_ratio, 3),
                "against": against,
                "paired_ratio": round(paired_ratio, 3),
                "cpu_ratio": round(cpu_ratio, 3),
                "peak_mib": round(rss, 1),
                "target": target[1] if target else None,
                "runs": len(samples.seconds),
            }
        )
    if memory:
        print(f"peak memory target: <= {LARGE_MEMORY_MIB} MiB")
    return rows


def make_fresh_store(path: Path) -> None:
    """An empty store at the current schema, made by planctl's own code (no events).

    In a child process, like everything that imports planctl: a forked child's ru_maxrss
    starts from its parent's size, so this process stays small to measure peak memory."""
    helper("fresh-store", str(path))


def helper(*argv: str) -> None:
    """`bench/run.py _helper ARGV...` in a child process (run.py's `run_helper` dispatches it)."""
    subprocess.run([sys.executable, str(RUN), "_helper", *argv], check=True)


def machine() -> dict[str, str]:
    def version(name: str) -> str:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as package_version

        try:
            return package_version(name)
        except PackageNotFoundError:
            return "-"

    cpu = "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    libs = [
        "planctl",
        "typer",
        "sqlalchemy",
        "pydantic",
        "pydantic-core",
        "pyyaml",
        "rich",
        "alembic",
        "platformdirs",
    ]
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "load": load,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "libraries": ", ".join(f"{name} {version(name)}" for name in libs),
        "bytecode": bytecode_line(),
    }
