"""Time `planctl returns collect` of 30 units' filled returns against openpyxl alone loading them.

    .venv/bin/python bench/returns_collect.py [--units 30] [--tasks 12] [--rounds 5] [--warmup 1]
    .venv/bin/python bench/run.py returns [--rounds 5]      # the same, from bench/run.py
    git archive OLD src | tar -x -C /tmp/old                  # another tree, side by side:
    .venv/bin/python bench/returns_collect.py --before /tmp/old/src

Makes, in a temporary directory, a plan of `--units` units with `--tasks` tasks each (monthly
returns by the 25th), the June returns (`planctl returns make`), and fills every task row of
each with openpyxl (text, a percent). Then, per round: openpyxl's `load_workbook` of
the 30 files in this process (what any reader of them pays; first or last in turn), and whole
`planctl returns collect DIR` processes into a fresh store (the real thing: read, check,
record; the store made on the way), into a store made before (`store init`, untimed: an
office's store, there already) and with `--dry-run`. The processes run as `bench/run.py`
runs them (`measuring.base_env`: planctl's bytecode used or cached, no user config, user
directories in the temporary directory); a warm-up round first fills the plan cache. Prints
medians (min-max) of wall time and of CPU time (user + system: `os.wait4` for a process,
`time.process_time()` for openpyxl's load), each as a ratio to openpyxl's load against issue
32's target (`TARGET`, 1.5x). Standard library, planctl and openpyxl only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from measuring import base_env, machine, run_once  # noqa: E402 - bench/measuring.py, beside this file

PLANCTL = Path(sys.executable).parent / "planctl"
TARGET = 1.5
"""Issue 32: `returns collect` of 30 unit sheets within 1.5 times openpyxl's load of them."""
TODAY = "2018-06-24"


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


LABELS = {
    "fresh": "planctl returns collect (whole process, records into a fresh store)",
    "there": "planctl returns collect (into a store made before)",
    "dry": "planctl returns collect --dry-run (second time)",
}


def measure(
    units: int, tasks: int, rounds: int, warmup: int, root: Path, before: Path | None = None
) -> dict[str, Any]:
    """The figures: each run's wall and CPU seconds by label (`load`, `fresh`, `there`,
    `dry`, and with `before`, the `src/` of another tree, the same three of that tree as
    `before fresh`, ...: both trees in each round, in turn first), and the ratios of the
    medians to openpyxl's load."""
    import openpyxl

    plan = root / "plan.yaml"
    plan.write_text(plan_text(units, tasks), encoding="utf-8")
    env = {**base_env(root, TODAY), "PLANCTL_PLAN": str(plan)}
    trees = {"": env}
    if before is not None:
        trees["before "] = {**env, "PYTHONPATH": str(before.resolve())}
    labels = [f"{tree}{label}" for tree in trees for label in LABELS]
    made, filled = root / "made", root / "filled"
    filled.mkdir()
    run_once([str(PLANCTL), "returns", "make", "-o", str(made), "--today", "2018-06-20"], env,
             root, tty=False)  # fmt: skip
    fill(made, filled)
    files = sorted(filled.glob("*.xlsx"))
    wall: dict[str, list[float]] = {label: [] for label in ("load", *labels)}
    cpu: dict[str, list[float]] = {label: [] for label in ("load", *labels)}

    def load() -> tuple[float, float]:
        start, used = time.perf_counter(), time.process_time()
        for path in files:
            openpyxl.load_workbook(path, data_only=True)
        return time.perf_counter() - start, time.process_time() - used

    def planctl(*args: str, tree: str = "") -> tuple[float, float]:
        seconds, used, _ = run_once([str(PLANCTL), *args], trees[tree], root, tty=False)
        return seconds, used

    for number in range(warmup + rounds):
        figures: dict[str, tuple[float, float]] = {}
        if number % 2:
            figures["load"] = load()
        for tree in list(trees)[:: -1 if number % 2 else 1]:
            store = root / f"{tree.strip() or 'this'}-store-{number}.sqlite3"
            there = root / f"{tree.strip() or 'this'}-there-{number}.sqlite3"
            figures[f"{tree}fresh"] = planctl(
                "returns", "collect", str(filled), "--db", str(store), tree=tree
            )
            planctl("store", "init", "--db", str(there))
            figures[f"{tree}there"] = planctl(
                "returns", "collect", str(filled), "--db", str(there), tree=tree
            )
            figures[f"{tree}dry"] = planctl("returns", "collect", str(filled), "--dry-run",
                                            "--db", str(store), tree=tree)  # fmt: skip
        if not number % 2:
            figures["load"] = load()
        if number >= warmup:
            for label, (seconds, used) in figures.items():
                wall[label].append(seconds)
                cpu[label].append(used)
    ratios = {
        label: {
            "wall": statistics.median(wall[label]) / statistics.median(wall["load"]),
            "cpu": statistics.median(cpu[label]) / statistics.median(cpu["load"]),
        }
        for label in labels
    }
    return {"files": len(files), "rows": units * tasks, "rounds": rounds, "wall": wall,
            "cpu": cpu, "ratios": ratios, "target": TARGET}  # fmt: skip


def shown(times: list[float]) -> str:
    low, high = min(times) * 1000, max(times) * 1000
    return f"{statistics.median(times) * 1000:6.0f} ms ({low:.0f}-{high:.0f})"


def report(figures: dict[str, Any]) -> None:
    wall, cpu, ratios = figures["wall"], figures["cpu"], figures["ratios"]
    print(f"{figures['files']} returns, {figures['rows']} task rows, {figures['rounds']} rounds;"
          f" median (min-max); target <= {TARGET}x openpyxl's load")  # fmt: skip
    print(f"{'openpyxl load_workbook of the files (in process)':76} wall {shown(wall['load'])}"
          f"  cpu {shown(cpu['load'])}")  # fmt: skip
    for label in ratios:
        tree, _, kind = label.rpartition(" ")
        words = f"{tree}: {LABELS[kind]}" if tree else LABELS[kind]
        verdict = "met" if max(ratios[label].values()) <= TARGET else (
            "met by CPU only" if ratios[label]["cpu"] <= TARGET else "not met")  # fmt: skip
        print(f"{words:76} wall {shown(wall[label])} x{ratios[label]['wall']:.2f}"
              f"  cpu {shown(cpu[label])} x{ratios[label]['cpu']:.2f}  {verdict}")  # fmt: skip


def bench_returns(args: argparse.Namespace, home: Path) -> dict[str, Any]:
    """`returns collect` of 30 units' filled returns against openpyxl's own load of them
    (issue 32: <= 1.5x), as `bench/returns_collect.py` times it: `bench/run.py returns`."""
    root = home / "returns"
    root.mkdir()
    figures = measure(30, 12, args.rounds, args.warmup, root)
    report(figures)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=30)
    parser.add_argument("--tasks", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument(
        "--before",
        type=Path,
        metavar="SRC",
        help="also time another tree's planctl (its src/, e.g. from `git archive`), side by side",
    )
    options = parser.parse_args()
    from importlib.metadata import version

    facts = {**machine(), "openpyxl": version("openpyxl")}
    print(" | ".join(f"{key}: {value}" for key, value in facts.items()))
    with tempfile.TemporaryDirectory(prefix="planctl-returns-") as temporary:
        figures = measure(options.units, options.tasks, options.rounds, options.warmup,
                          Path(temporary), options.before)  # fmt: skip
    report(figures)
    print("load average at the end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
