"""What `due` imports beyond the Typer floor (`imports`), what planctl's bytecode saves
(`bytecode`), that `planctl check` accepts every generated plan (`check-plans`), and what each
read path costs (`steps`): the diagnostics, beside the benchmarks proper."""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from data_sets import LARGE_PLAN, LARGE_TODAY, SMALL_TODAY, large_data
from measuring import (
    FLOOR_TYPER,
    REPO,
    Command,
    base_env,
    make_fresh_store,
    measure,
    planctl_argv,
    report,
)

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
