"""The same data in Taskwarrior: the generated plans and their state exported as Taskwarrior's
JSON, imported once into DATA/taskwarrior, and `task ... list` / `task ... all` timed against
`planctl due --month 6` on the 1M-event store."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from data_sets import LARGE_PLAN, LARGE_TODAY, large_data
from measuring import REPO, Command, base_env, helper, measure, planctl_argv, report

TASKWARRIOR_SPEEDUPS = {"task list": 2.5, "task all": 6.0}
"""How many times as fast as Taskwarrior `due` is to be, on the same data."""

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
