"""The data-set benchmarks: the 2018 plan (`small`), the large generated data (`large`), and
the peak memory of every command on a plan of 20,000 tasks (`memory`)."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from measuring import (
    BENCH,
    REPO,
    Command,
    base_env,
    make_fresh_store,
    measure,
    planctl_argv,
    report,
    run_once,
)

DEFAULT_DATA = BENCH / "data" / "large"
LARGE_PLAN = "p042.yaml"
LARGE_TODAY = "2018-12-14"  # what bench/generate.py's data describe: the year almost over
SMALL_TODAY = "2018-06-15"


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
    width = max(len(command.label) for command in commands)
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
        print(f"  {command.label:<{width}} {seconds:7.2f} s  {mib:7.1f} MiB{flag}", flush=True)
    return rows
