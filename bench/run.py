"""Time whole planctl processes against the floor app, side by side, and report their memory.

    .venv/bin/python bench/run.py small          # 2018 plan, fresh store: due, done, report
    .venv/bin/python bench/run.py large          # 100 plans x 1,000 tasks, 1,000,000 events
    .venv/bin/python bench/run.py large --data bench/data/pg --db postgresql+psycopg://...
    .venv/bin/python bench/run.py taskwarrior    # the same data in Taskwarrior vs planctl due
    .venv/bin/python bench/run.py imports        # what `due` imports beyond the floor, and cost
    .venv/bin/python bench/run.py check-plans    # `planctl check` on every generated plan
    .venv/bin/python bench/run.py steps          # due, report: sqlite3 vs SQLAlchemy read path
    .venv/bin/python bench/run.py bytecode       # due with planctl's bytecode and without
    .venv/bin/python bench/run.py memory         # peak memory of every command, 500,000 events
    .venv/bin/python bench/run.py returns --rounds 5   # returns collect vs openpyxl's load

Run it with the interpreter of the planctl to measure: the `planctl` script next to it is timed,
and the floor (bench/floor.py) runs on that same interpreter and libraries. Each round runs the
floor, then a command, then the floor, then the next command..., after warm-up runs; every
command's figures are medians of whole processes (fork to exit, stdout to a pipe, as cron and
scripts run it) with min and max, as a ratio to the floor's median in the same run, plus the
median of each run's ratio to the floor run just before it ("paired", steadier when the load
drifts) and the ratio of median CPU time (user + system, "cpu": the least disturbed by other
processes on a shared machine). Peak memory is each process's own ru_maxrss (os.wait4). Uses
the standard library only; planctl itself makes the fresh 2018 store and the Taskwarrior export,
in child processes (a child's ru_maxrss would start from its parent's size).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
FLOOR = BENCH / "floor.py"
FLOOR_TYPER = BENCH / "floor_typer.py"
FLOORS = {"floor": FLOOR, "typer floor": FLOOR_TYPER}
"""The two floors every command is timed beside: Typer plus SQLAlchemy (what a recording
command cannot go below), and Typer alone (what a read of a SQLite store cannot go below)."""
DEFAULT_DATA = BENCH / "data" / "large"
LARGE_PLAN = "p042.yaml"
LARGE_TODAY = "2018-12-14"  # what bench/generate.py's data describe: the year almost over
SMALL_TODAY = "2018-06-15"

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
TASKWARRIOR_SPEEDUPS = {"task list": 2.5, "task all": 6.0}
"""How many times as fast as Taskwarrior `due` is to be, on the same data."""


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
    print(f"\n{title}", flush=True)
    print(
        f"{'command':<24}{'median':>8}{'min':>8}{'max':>8}{'/floor':>8}{'/typer':>8}"
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
            f"{label:<24}{median:8.3f}{min(samples.seconds):8.3f}{max(samples.seconds):8.3f}"
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
    subprocess.run([sys.executable, __file__, "_helper", *argv], check=True)


def run_helper(argv: list[str]) -> None:
    if argv[0] == "fresh-store":
        from planctl.store.store import Store, StoreLocation

        Store.open_for_writing(StoreLocation.parse(argv[1])).close()
    elif argv[0] == "tw-export":
        count = taskwarrior_export(Path(argv[1]), Path(argv[2]))
        print(f"  exported {count:,} tasks for Taskwarrior", file=sys.stderr)


def bench_small(args: argparse.Namespace, home: Path) -> list[dict[str, Any]]:
    """The 2018 plan (plans/2018.yaml, found as a user finds it) and a fresh store."""
    planctl = planctl_argv()
    template = home / "fresh-template.sqlite3"
    make_fresh_store(template)
    store = home / "fresh.sqlite3"
    shutil.copyfile(template, store)
    db = ["--db", str(store)]

    def fresh() -> None:  # `done` always writes into a store that has just been made
        for suffix in ("-wal", "-shm"):
            Path(f"{store}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(template, store)

    commands = [
        Command("due --month 6", [*planctl, "due", "--month", "6", *db]),
        Command("done 6.2", [*planctl, "done", "6.2", *db], before=fresh, after=fresh),
        Command("report --year 2018", [*planctl, "report", "--year", "2018", *db]),
    ]
    env = base_env(home, SMALL_TODAY)
    results = measure(commands, env, REPO, args.rounds, args.warmup, args.tty)
    return report(
        "2018 plan, fresh store (seconds; /floor, /typer = median / each floor's median)",
        "small",
        results,
        memory=False,
    )


def large_data(args: argparse.Namespace) -> Path:
    data: Path = args.data
    store = getattr(args, "db", None) or data / "store.sqlite3"
    if not (isinstance(store, str) or store.exists()) or not (data / "plans" / LARGE_PLAN).exists():
        sys.exit(f"no generated data in {data}: run `python bench/generate.py --out {data}` first")
    return data


def open_task(planctl: list[str], plan: Path, db: str | Path, env: dict[str, str]) -> str:
    """An ordinary task of the plan that is still open (for `done`, then `undo`)."""
    listed = subprocess.run(
        [*planctl, "list", "--plan", str(plan), "--db", str(db), "--format", "json"],
        env=env,
        capture_output=True,
        check=True,
    )
    for task in json.loads(listed.stdout)["tasks"]:
        if task["status"] == "open" and task["progress"] is None and task["periods"] is None:
            return str(task["id"])
    sys.exit(f"no open ordinary task in {plan}")


def bench_large(args: argparse.Namespace, home: Path) -> list[dict[str, Any]]:
    """One plan of the 100 (1,000 tasks) in the store of 1,000,000 events.

    The reads read a log that does not change between runs, as most of a day's reads do: after
    the first, they find the plan's folded states kept (`planctl.cli.state_cache`). What the
    first read after a change costs is `due, after a change` (`due --month 6`): before each
    run (untimed) a `done` and its `undo` are recorded, so it reads the log anew and folds it."""
    data = large_data(args)
    planctl = planctl_argv()
    plan = data / "plans" / LARGE_PLAN
    env = base_env(home, LARGE_TODAY)
    store: str | Path
    if args.db:  # a store loaded by `generate.py --postgres URL`: `done` and `undo` run on it
        store = read = args.db
    else:  # `done` writes: it works on a copy, with `undo` after each run so the log barely grows.
        print(f"  copying {data / 'store.sqlite3'} for the `done` runs ...", file=sys.stderr)
        store = home / "large-copy.sqlite3"
        shutil.copyfile(data / "store.sqlite3", store)
        read = data / "store.sqlite3"
    task = open_task(planctl, plan, store, env)
    where = ["--plan", str(plan), "--db", str(store)]
    reads = ["--plan", str(plan), "--db", str(read)]

    def undo() -> None:
        subprocess.run(
            [*planctl, "undo", task, *where], env=env, check=True, stdout=subprocess.DEVNULL
        )

    def done_and_undo() -> None:
        subprocess.run(
            [*planctl, "done", task, *where], env=env, check=True, stdout=subprocess.DEVNULL
        )
        undo()

    commands = [
        Command("due --month 6", [*planctl, "due", "--month", "6", *reads]),
        Command("done", [*planctl, "done", task, *where], after=undo),
        Command("report", [*planctl, "report", *reads]),
        Command("assess", [*planctl, "assess", *reads]),
        Command("digest", [*planctl, "digest", *reads]),
        Command("bulletin --format json", [*planctl, "bulletin", "--format", "json", *reads]),
        Command(
            "due, after a change",
            [*planctl, "due", "--month", "6", *where],
            before=done_and_undo,
        ),
    ]
    results = measure(commands, env, REPO, args.rounds, args.warmup, args.tty)
    shown = "the store at --db" if args.db else "1,000,000 events, SQLite"
    return report(
        f"100 plans x 1,000 tasks ({shown}): {LARGE_PLAN}, done/undo on task {task}",
        "large",
        results,
        memory=True,
    )


# Memory -------------------------------------------------------------------------------------

MEMORY_DATA = BENCH / "data" / "memory"
MEMORY_PLAN = "p000.yaml"
MEMORY_LIMIT_MIB = 200
"""Issue 24.6: no command over 200 MiB on a 20,000-task plan with 500,000 events."""


def bench_memory(args: argparse.Namespace, home: Path) -> list[dict[str, Any]]:
    """Peak memory of every read command, `store export` and `store import` on one plan of
    20,000 tasks in a store of 500,000 events (`bench/generate.py --out bench/data/memory
    --plans 1 --tasks 20000 --events 500000`). Each command runs once (memory does not vary
    from run to run as time does): its peak RSS is its own ru_maxrss (os.wait4)."""
    data: Path = args.data if args.data != DEFAULT_DATA else MEMORY_DATA
    plan = data / "plans" / MEMORY_PLAN
    if not (data / "store.sqlite3").exists() or not plan.exists():
        sys.exit(
            f"no generated data in {data}: run `python bench/generate.py --out {data} --plans 1"
            " --tasks 20000 --events 500000` first"
        )
    planctl = planctl_argv()
    env = base_env(home, LARGE_TODAY)
    store = data / "store.sqlite3"
    where = ["--plan", str(plan), "--db", str(store)]
    task = "1.1"  # generate.py numbers the first section's tasks 1.1, 1.2, ...
    exported = home / "export.jsonl"
    subprocess.run(
        [*planctl, "store", "export", str(exported), "--db", str(store)], env=env, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    target = home / "imported.sqlite3"

    def fresh_target() -> None:
        target.unlink(missing_ok=True)

    commands = [
        Command("due --month 6", [*planctl, "due", "--month", "6", *where]),
        Command("list", [*planctl, "list", *where]),
        Command("list --format json", [*planctl, "list", "--format", "json", *where]),
        Command(f"show {task}", [*planctl, "show", task, *where]),
        Command(f"history {task}", [*planctl, "history", task, *where]),
        Command("history", [*planctl, "history", *where]),
        Command("history --format json", [*planctl, "history", "--format", "json", *where]),
        Command("history --format csv", [*planctl, "history", "--format", "csv", *where]),
        *(
            Command(f"history --format {name}", [*planctl, "history", "--format", name, *where])
            for name in ("markdown", "html")
        ),
        Command(
            "history --format xlsx -o FILE",
            [*planctl, "history", "--format", "xlsx", "-o", str(home / "history.xlsx"), *where],
        ),
        Command("report", [*planctl, "report", *where]),
        Command("digest", [*planctl, "digest", *where]),
        Command("assess", [*planctl, "assess", *where]),
        Command("store export", [*planctl, "store", "export", "--db", str(store)]),
        Command(
            "store import",
            [*planctl, "store", "import", str(exported), "--db", str(target)],
            before=fresh_target,
        ),
    ]
    rows = []
    print(f"  {len(commands)} commands, once each, on {plan} and {store}", file=sys.stderr)
    for command in commands:
        if command.before:
            command.before()
        seconds, _, rss_kib = run_once(command.argv, env, REPO, False, command.ok)
        mib = rss_kib / 1024
        rows.append(
            {"command": command.label, "seconds": round(seconds, 2), "peak_mib": round(mib, 1)}
        )
        flag = "" if mib <= MEMORY_LIMIT_MIB else f"  over {MEMORY_LIMIT_MIB} MiB"
        print(f"  {command.label:<24} {seconds:7.2f} s  {mib:7.1f} MiB{flag}", flush=True)
    return rows


# Taskwarrior ------------------------------------------------------------------------------

TW_PER_PROJECT = 1008
"""Tasks per project in the issue's Taskwarrior figure (100,800 tasks in 100 projects)."""


def taskwarrior_export(data: Path, path: Path) -> int:
    """The generated plans and their state in the store, as Taskwarrior's JSON import format.

    Each plan is a project; each task has its due date (the end of its month after deferral,
    or of the year), its owners as tags, and is completed (end = the day it was done) where
    planctl says it is done. Each project is padded to 1,008 tasks with completed office
    routine tasks, to match the issue's 100,800."""
    from planctl.core.progress import assess
    from planctl.core.state import states
    from planctl.plan.load import load_plan
    from planctl.rules.calendar import span
    from planctl.store.store import Store, StoreLocation

    store = Store.open_for_reading(StoreLocation.parse(str(data / "store.sqlite3")))
    today = date.fromisoformat(LARGE_TODAY)
    count = 0
    try:
        with path.open("w", encoding="utf-8") as out:
            out.write("[\n")
            for plan_file in sorted((data / "plans").glob("p*.yaml")):
                plan = load_plan(plan_file)
                rows = assess(plan, states(store.events(plan.id)), today)
                project = plan.id.replace("-", "_")
                extra = max(0, TW_PER_PROJECT - len(rows))
                items = []
                for row in rows.values():
                    _, last = span(plan.year, row.month)
                    item = {
                        "uuid": _uuid(f"{plan.id}/{row.task.id}"),
                        "description": f"{row.task.id} {row.task.title}",
                        "project": project,
                        "entry": f"{plan.year}0101T000000Z",
                        "due": f"{last:%Y%m%d}T235959Z",
                        "status": "completed" if row.done else "pending",
                        "tags": list(row.task.owners),
                    }
                    if row.done and row.completion is not None:
                        item["end"] = f"{row.completion.on:%Y%m%d}T120000Z"
                    items.append(item)
                for n in range(extra):
                    day = date(plan.year, 1, 1) + timedelta(days=n * 30)
                    items.append(
                        {
                            "uuid": _uuid(f"{plan.id}/routine/{n}"),
                            "description": f"机关日常事务 {n + 1}",
                            "project": project,
                            "entry": f"{plan.year}0101T000000Z",
                            "due": f"{day:%Y%m%d}T235959Z",
                            "end": f"{day:%Y%m%d}T120000Z",
                            "status": "completed",
                        }
                    )
                for item in items:
                    out.write(("," if count else "") + json.dumps(item, ensure_ascii=False) + "\n")
                    count += 1
            out.write("]\n")
    finally:
        store.close()
    return count


def _uuid(name: str) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"planctl-bench:{name}"))


def taskwarrior_home(args: argparse.Namespace, data: Path) -> tuple[Path, Path]:
    """A throw-away TASKDATA with the generated data imported (kept in DATA/taskwarrior)."""
    task = shutil.which("task")
    if task is None:
        sys.exit("Taskwarrior is not installed (apt-get install -y taskwarrior)")
    home = data / "taskwarrior"
    taskrc = home / "taskrc"
    done_marker = home / "imported"
    store_made = (data / "store.sqlite3").stat().st_mtime
    if done_marker.exists() and done_marker.stat().st_mtime >= store_made and not args.rebuild:
        _write_taskrc(taskrc, home)  # the directory may have moved since
        return home, taskrc
    shutil.rmtree(home, ignore_errors=True)
    (home / "data").mkdir(parents=True)
    _write_taskrc(taskrc, home)
    export = home / "import.json"
    print(
        "  building Taskwarrior's data: `task import` is quadratic in the number of tasks"
        " (about 5 minutes for 100,800 here); it is kept for later runs",
        file=sys.stderr,
    )
    started = time.perf_counter()
    helper("tw-export", str(data), str(export))
    env = {**os.environ, "TASKRC": str(taskrc), "TASKDATA": str(home / "data")}
    subprocess.run(
        ["task", "rc.verbose=nothing", "import", str(export)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    counted = subprocess.run(
        ["task", "rc.verbose=nothing", "status.not:deleted", "count"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    count = int(counted.stdout.strip())
    print(f"  imported in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    done_marker.write_text(f"{count}\n", encoding="utf-8")
    return home, taskrc


def _write_taskrc(taskrc: Path, home: Path) -> None:
    taskrc.write_text(
        f"data.location={home / 'data'}\nconfirmation=off\nhooks=off\nnews.version=2.6.0\n",
        encoding="utf-8",
    )


def bench_taskwarrior(args: argparse.Namespace, home: Path) -> list[dict[str, Any]]:
    """`task project:P due.before:... list` vs `planctl due --month 6 --plan P` on the same data."""
    data = large_data(args)
    tw_home, taskrc = taskwarrior_home(args, data)
    planctl = planctl_argv()
    env = base_env(home, LARGE_TODAY)
    env.update(TASKRC=str(taskrc), TASKDATA=str(tw_home / "data"))
    project = f"bench_2018_{LARGE_PLAN.removesuffix('.yaml')}"
    plan = data / "plans" / LARGE_PLAN
    due = ["due", "--month", "6", "--plan", str(plan), "--db", str(data / "store.sqlite3")]
    commands = [
        Command("planctl due --month 6", [*planctl, *due]),
        # What is still to do by the end of June (pending only: what the issue timed) ...
        Command(
            "task list", ["task", f"project:{project}", "due.before:2018-07-01", "list"], ok=(0, 1)
        ),
        # ... and June's tasks whatever their status (the rows `planctl due` shows for June).
        Command(
            "task all",
            ["task", f"project:{project}", "due.after:2018-06-01", "due.before:2018-07-01", "all"],
            ok=(0, 1),
        ),
    ]
    results = measure(commands, env, REPO, args.rounds, args.warmup, args.tty)
    rows = report(
        f"planctl vs Taskwarrior {_task_version()} ({_tw_count(tw_home)} tasks in 100 projects;"
        f" `task project:{project} due.before:2018-07-01 list`, and `... all` for June)",
        "taskwarrior",
        results,
        memory=False,
    )
    ours = statistics.median(results["planctl due --month 6"].seconds)
    our_mem = max(results["planctl due --month 6"].rss_kib)
    for label, wanted in TASKWARRIOR_SPEEDUPS.items():
        speed = statistics.median(results[label].seconds) / ours
        memory = our_mem / max(results[label].rss_kib)
        print(
            f"vs `{label}`: planctl is {speed:.1f}x as fast (target >= {wanted}x:"
            f" {'met' if speed >= wanted else 'NOT met'}) and uses {memory:.0%} of its peak"
            " memory"
        )
        rows.append({"versus": label, "speedup": round(speed, 2), "memory_share": round(memory, 3)})
    return rows


def _task_version() -> str:
    result = subprocess.run(["task", "--version"], capture_output=True, text=True, check=False)
    return result.stdout.strip()


def _tw_count(home: Path) -> str:
    marker = home / "imported"
    return f"{int(marker.read_text()):,}" if marker.exists() else "?"


# What each step bought ------------------------------------------------------------------------

READ_PATH_RUNNER = """
import sys
import planctl.store.reading as reading
reading.DIRECT_SQLITE = sys.argv[1] == "sqlite3"
sys.argv = ["planctl", *sys.argv[2:]]
from planctl.cli import main
main()
"""
"""`planctl ARGS` with a SQLite store read one way or the other (the switch the store tests
use): the same tree, the same run, so what the sqlite3 read path bought is a ratio of one run."""


def read_paths(args: argparse.Namespace, home: Path) -> list[dict[str, Any]]:
    """`due` and `report` read through sqlite3 and through SQLAlchemy, side by side with the
    floors: on the 2018 plan, and on the large data if it is there."""
    rows: list[dict[str, Any]] = []
    store = home / "fresh.sqlite3"
    make_fresh_store(store)
    sets = [("small", SMALL_TODAY, ["--db", str(store)], ["report", "--year", "2018"])]
    data: Path = args.data
    if (data / "store.sqlite3").exists():
        where = ["--plan", str(data / "plans" / LARGE_PLAN), "--db", str(data / "store.sqlite3")]
        sets.append(("large", LARGE_TODAY, where, ["report"]))
    for dataset, today, where, report_args in sets:
        commands = [
            Command(
                f"{name} via {path}",
                [sys.executable, "-c", READ_PATH_RUNNER, path, *command, *where],
            )
            for name, command in (("due", ["due", "--month", "6"]), ("report", report_args))
            for path in ("sqlite3", "sqlalchemy")
        ]
        env = base_env(home, today)
        results = measure(commands, env, REPO, args.rounds, args.warmup, args.tty)
        rows += report(
            f"{dataset}: the read path, sqlite3 or SQLAlchemy (the same tree, the same run)",
            f"steps-{dataset}",
            results,
            memory=False,
        )
    return rows


# Bytecode -------------------------------------------------------------------------------------


def bytecode(args: argparse.Namespace, home: Path) -> list[dict[str, Any]]:
    """`due` on the 2018 plan with planctl's modules compiled, and without their bytecode (as
    an editable install runs under PYTHONDONTWRITEBYTECODE or on a read-only tree: every module
    compiled again on every run), side by side with the floors. A copy of planctl's sources,
    first on PYTHONPATH, with and without `python -m compileall`; the libraries' bytecode is
    the install's own in both."""
    import importlib.util

    spec = importlib.util.find_spec("planctl")
    assert spec is not None and spec.submodule_search_locations
    package = Path(next(iter(spec.submodule_search_locations)))
    trees = {}
    for name, compiled in (("compiled", True), ("no .pyc", False)):
        tree = home / name.replace(" ", "-").replace(".", "")
        shutil.copytree(package, tree / "planctl", ignore=shutil.ignore_patterns("__pycache__"))
        if compiled:
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree)], check=True)
        trees[name] = tree
    store = home / "fresh.sqlite3"
    make_fresh_store(store)
    env = base_env(home, SMALL_TODAY)
    env.pop("PYTHONPYCACHEPREFIX", None)  # Python looks for bytecode beside the sources
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    due = ["-m", "planctl", "due", "--month", "6", "--db", str(store)]
    commands = [
        Command(f"due, {name}", ["env", f"PYTHONPATH={tree}", sys.executable, *due])
        for name, tree in trees.items()
    ]
    results = measure(commands, env, REPO, args.rounds, args.warmup, args.tty)
    rows = report(
        "due --month 6 on the 2018 plan, PYTHONDONTWRITEBYTECODE=1, planctl compiled or not",
        "bytecode",
        results,
        memory=False,
    )
    cost = statistics.median(results["due, no .pyc"].seconds) - statistics.median(
        results["due, compiled"].seconds
    )
    print(f"without planctl's bytecode, each run takes {cost * 1000:.0f} ms more (medians)")
    return rows


# Imports and plan checks ---------------------------------------------------------------------


def imports(args: argparse.Namespace, home: Path) -> list[dict[str, Any]]:
    """The modules `planctl due` imports that the Typer floor does not, by package, with their
    cost (self time from -X importtime: inflated by the measuring, useful to compare)."""
    env = base_env(home, SMALL_TODAY)
    store = home / "fresh.sqlite3"
    make_fresh_store(store)
    argv = (
        [*planctl_argv(), *args.command]
        if args.command
        else [*planctl_argv(), "due", "--month", "6", "--db", str(store)]
    )
    for _ in range(2):  # the first runs fill the bytecode cache
        floor = _importtime([sys.executable, "-X", "importtime", str(FLOOR_TYPER)], env)
        ours = _importtime([sys.executable, "-X", "importtime", *argv], env)
    extra = {name: cost for name, cost in ours.items() if name not in floor}
    by_package: dict[str, float] = {}
    for name, cost in extra.items():
        by_package[name.split(".")[0]] = by_package.get(name.split(".")[0], 0) + cost
    print(f"\n{' '.join(argv[1:])}: {len(ours)} modules, {len(extra)} more than the Typer floor")
    for package, cost in sorted(by_package.items(), key=lambda item: -item[1]):
        count = sum(1 for name in extra if name.split(".")[0] == package)
        print(f"  {cost / 1000:7.1f} ms  {package} ({count} modules)")
    print(f"  {sum(extra.values()) / 1000:7.1f} ms  in all; the costliest modules:")
    for name, cost in sorted(extra.items(), key=lambda item: -item[1])[:12]:
        print(f"  {cost / 1000:7.1f} ms  {name}")
    return [{"package": p, "self_ms": round(c / 1000, 1)} for p, c in by_package.items()]


def _importtime(argv: list[str], env: dict[str, str]) -> dict[str, float]:
    result = subprocess.run(argv, env=env, cwd=REPO, capture_output=True, text=True, check=True)
    costs: dict[str, float] = {}
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            parts = line.removeprefix("import time:").split("|")
            if parts[0].strip().isdigit():
                costs[parts[2].strip()] = float(parts[0])
    return costs


def check_plans(args: argparse.Namespace, home: Path) -> list[dict[str, Any]]:
    """`planctl check` on every generated plan: each must be accepted."""
    data = large_data(args)
    env = base_env(home, LARGE_TODAY)
    plans = sorted((data / "plans").glob("p*.yaml"))
    failed = 0
    for plan in plans:
        result = subprocess.run(
            [*planctl_argv(), "check", str(plan)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            failed += 1
            print(result.stderr.strip(), file=sys.stderr)
    print(f"planctl check: {len(plans) - failed} of {len(plans)} generated plans accepted")
    if failed:
        sys.exit(1)
    return [{"plans": len(plans), "accepted": len(plans) - failed}]


# Main ----------------------------------------------------------------------------------------


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


def bench_returns(args: argparse.Namespace, home: Path) -> dict[str, Any]:
    """`returns collect` of 30 units' filled returns against openpyxl's own load of them
    (issue 32: <= 1.5x), as `bench/returns_collect.py` times it."""
    import returns_collect

    root = home / "returns"
    root.mkdir()
    figures = returns_collect.measure(30, 12, args.rounds, args.warmup, root)
    returns_collect.report(figures)
    return figures


def main() -> None:
    if sys.argv[1:2] == ["_helper"]:
        run_helper(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "what",
        choices=[
            "small",
            "large",
            "taskwarrior",
            "imports",
            "check-plans",
            "bytecode",
            "steps",
            "memory",
            "returns",
            "all",
        ],
    )
    parser.add_argument("command", nargs="*", help="for imports: the planctl arguments")
    parser.add_argument("--rounds", type=int, default=20, help="measured rounds [20]")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured rounds first [2]")
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help=f"generated data (bench/generate.py --out) [{DEFAULT_DATA}]",
    )
    parser.add_argument(
        "--tty",
        action="store_true",
        help="stdout on a pseudo-terminal (Rich tables) instead of a pipe",
    )
    parser.add_argument("--rebuild", action="store_true", help="re-import Taskwarrior's data")
    parser.add_argument("--json", type=Path, help="also write the figures here, as JSON")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="large: time the commands on this store (generate.py --postgres URL loaded it)"
        " instead of a copy of DATA/store.sqlite3",
    )
    args = parser.parse_args()
    facts = machine()
    print(" | ".join(f"{key}: {value}" for key, value in facts.items()))
    steps = {
        "small": bench_small,
        "large": bench_large,
        "taskwarrior": bench_taskwarrior,
        "imports": imports,
        "check-plans": check_plans,
        "bytecode": bytecode,
        "steps": read_paths,
        "memory": bench_memory,
        "returns": bench_returns,
    }
    chosen = ["small", "large", "taskwarrior", "returns"] if args.what == "all" else [args.what]
    figures: dict[str, object] = {"machine": facts}
    with tempfile.TemporaryDirectory(prefix="planctl-bench-") as temp:
        for name in chosen:
            figures[name] = steps[name](args, Path(temp))
    figures["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
