"""Time `planctl returns collect` of 30 units' filled returns against openpyxl alone loading them.

    .venv/bin/python bench/returns_collect.py [--units 30] [--tasks 12] [--rounds 5]

Makes, in a temporary directory, a plan of `--units` units with `--tasks` tasks each (monthly
returns by the 25th), the June returns (`planctl returns make`), and fills every task row of
each with openpyxl (text, a percent, a date). Then, per round: openpyxl's `load_workbook` of
the 30 files in this process (what any reader of them pays), and whole `planctl returns
collect DIR` processes into a fresh store (the real thing: read, check, record; the store
made on the way), into a store made before (`store init`: an office's store, there already)
and with `--dry-run`. Prints medians (min-max) and the ratio to openpyxl's load. Standard library,
planctl and openpyxl only.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLANCTL = Path(sys.executable).parent / "planctl"


def plan_text(units: int, tasks: int) -> str:
    lines = [
        "id: bench-returns", "year: 2018", "title: 返回表基准", "language: zh",
        "returns: {every: month, by: 25}", "tasks:",
    ]  # fmt: skip
    for unit in range(units):
        for task in range(tasks):
            lines += [
                f'  - id: "{unit}.{task}"',
                f"    title: 第 {unit} 单位的第 {task} 项任务",
                f"    month: {4 + task % 6}",
                f"    lead: [单位{unit:02d}]",
            ]
    return "\n".join(lines) + "\n"


def fill(made: Path, filled: Path) -> None:
    import openpyxl

    for path in sorted(made.glob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        sheet = book.worksheets[0]
        for row in range(4, sheet.max_row + 1):
            if sheet.cell(row, 1).value:
                sheet.cell(row, 8, "本月推进情况良好")
                sheet.cell(row, 9, "60%")
        book.save(filled / path.name)


CPU: dict[str, list[float]] = {}
"""CPU time (user + system) of each kind of run, by its label: the figure least disturbed by
other load on a shared machine."""


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run(args: list[str], env: dict[str, str], label: str = "") -> float:
    start, cpu = time.perf_counter(), _children_cpu()
    subprocess.run([str(PLANCTL), *args], env=env, check=True, stdout=subprocess.DEVNULL)
    if label:
        CPU.setdefault(label, []).append(_children_cpu() - cpu)
    return time.perf_counter() - start


def shown(times: list[float]) -> str:
    low, high = min(times) * 1000, max(times) * 1000
    return f"{statistics.median(times) * 1000:7.0f} ms ({low:.0f}-{high:.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=30)
    parser.add_argument("--tasks", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    import openpyxl

    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        plan = root / "plan.yaml"
        plan.write_text(plan_text(options.units, options.tasks), encoding="utf-8")
        env = {**os.environ, "XDG_DATA_HOME": str(root / "data"), "XDG_CONFIG_HOME":
               str(root / "config"), "XDG_CACHE_HOME": str(root / "cache"),
               "PLANCTL_CONFIG": str(root / "none.toml"), "PLANCTL_TODAY": "2018-06-24",
               "PLANCTL_PLAN": str(plan), "LC_ALL": "C.UTF-8"}  # fmt: skip
        made, filled = root / "made", root / "filled"
        filled.mkdir()
        run(["returns", "make", "-o", str(made), "--today", "2018-06-20"], env)
        fill(made, filled)
        files = sorted(filled.glob("*.xlsx"))
        loads, collects, existing, dry_runs = [], [], [], []
        for number in range(options.rounds):
            start, cpu = time.perf_counter(), time.process_time()
            for path in files:
                openpyxl.load_workbook(path, data_only=True)
            loads.append(time.perf_counter() - start)
            CPU.setdefault("load", []).append(time.process_time() - cpu)
            store = root / f"store-{number}.sqlite3"
            collects.append(
                run(["returns", "collect", str(filled), "--db", str(store)], env, "fresh")
            )
            there = root / f"there-{number}.sqlite3"
            run(["store", "init", "--db", str(there)], env)
            existing.append(
                run(["returns", "collect", str(filled), "--db", str(there)], env, "there")
            )
            dry_runs.append(run(["returns", "collect", str(filled), "--dry-run", "--db",
                                 str(store)], env, "dry"))  # fmt: skip
        rows = options.units * options.tasks
        print(f"{len(files)} returns, {rows} task rows, {options.rounds} rounds; median (min-max)")
        print(f"openpyxl load_workbook of the files (in process): {shown(loads)}")
        print(f"planctl returns collect (whole process, records): {shown(collects)}"
              f"  x{statistics.median(collects) / statistics.median(loads):.2f}")  # fmt: skip
        print(f"planctl returns collect (into a store made before): {shown(existing)}"
              f"  x{statistics.median(existing) / statistics.median(loads):.2f}")  # fmt: skip
        print(f"planctl returns collect --dry-run (second time):  {shown(dry_runs)}"
              f"  x{statistics.median(dry_runs) / statistics.median(loads):.2f}")  # fmt: skip
        load_cpu = statistics.median(CPU["load"])
        print(
            "CPU (user + system), median: openpyxl load {:.0f} ms; collect x{:.2f} fresh store,"
            " x{:.2f} store made before, x{:.2f} --dry-run".format(
                load_cpu * 1000,
                *(statistics.median(CPU[label]) / load_cpu for label in ("fresh", "there", "dry")),
            )
        )
        shutil.rmtree(root / "data", ignore_errors=True)


if __name__ == "__main__":
    main()
