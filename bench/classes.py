"""Two planctl trees side by side on making value classes (`@frozen`) and on using them: the
CPU time to make one class, to make the classes on `due`'s import path, and of the hot
methods (`Event(...)`, `==` and `hash()` of an `Event` and a `TaskState`).

    git archive 790d203 src | tar -x -C /tmp/before       # the tree to compare with
    .venv/bin/python bench/classes.py --before /tmp/before/src

Each round runs one process of each tree in turn (the order alternating), with the tree's
`src` first on `PYTHONPATH`; figures are medians over the rounds (`timeit`'s best of 7 inside
each process for the hot methods). `one class`: a 5-field class (one field `compare=False`, a
docstring) made 200 times by each way of declaring it. `due's path`: the time spent in
`dataclasses._process_class` (and `@frozen`'s `_add_methods`, where it has one) on planctl's
classes while the modules of `due` import, Typer imported first. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


def one_class() -> dict[str, float]:
    """µs to make a 5-field class, by each way of declaring one."""
    from dataclasses import field

    from planctl import frozen

    def made(decorate: Any) -> float:
        start = time.process_time()
        for _ in range(200):

            class Value:
                """A docstring, as planctl's classes have (without one, dataclasses makes one
                from `inspect.signature`)."""

                a: int
                b: str
                c: float = 0.0
                d: int | None = None
                e: str | None = field(default=None, compare=False)

            decorate(Value)
        return (time.process_time() - start) / 200 * 1e6

    ways = {"@frozen": frozen, "@frozen(order=True)": frozen(order=True)}
    ways["@frozen(slots=False)"] = frozen(slots=False)
    return {name: made(decorate) for name, decorate in ways.items()}


def due_path() -> dict[str, float]:
    """ms spent making planctl's classes while `due`'s modules import, and how many."""
    import dataclasses

    import typer  # noqa: F401  (the floor's)

    spent = [0.0, 0]
    process_class = dataclasses._process_class  # type: ignore[attr-defined]

    def timed(cls: type, *args: Any) -> Any:
        start = time.process_time()
        made = process_class(cls, *args)
        if cls.__module__.startswith("planctl"):
            spent[0] += time.process_time() - start
            spent[1] += 1
        return made

    dataclasses._process_class = timed  # type: ignore[attr-defined]
    import planctl

    add = getattr(planctl, "_add_methods", None)
    if add is not None:

        def timed_add(cls: type, order: bool) -> None:
            start = time.process_time()
            add(cls, order)
            spent[0] += time.process_time() - start

        planctl._add_methods = timed_add
    import planctl.cli.progress_commands
    import planctl.cli.session
    import planctl.render.plain

    return {"classes": spent[1], "ms": spent[0] * 1000}


def hot() -> dict[str, float]:
    """ns of each hot method, best of 7 x 200,000."""
    import timeit
    from datetime import date, datetime

    from planctl.core.events import Action, Event
    from planctl.core.state import TaskState

    on, at = date(2018, 3, 1), datetime(2018, 3, 1, 9)
    names = {"Event": Event, "Action": Action, "on": on, "at": at}
    names["a"] = Event("e1", "p042", "3.1", Action.DONE, on, "li", at, "n", None, 2)
    names["b"] = Event("e1", "p042", "3.1", Action.DONE, on, "li", at, "n", None, 2)
    names["s"] = TaskState(note="x", last_event=on)
    names["t"] = TaskState(note="x", last_event=date(2018, 3, 2))
    statements = {
        "Event(...)": "Event('e1', 'p042', '3.1', Action.DONE, on, 'li', at, 'n', None, 2)",
        "Event == Event": "a == b",
        "hash(Event)": "hash(a)",
        "TaskState == TaskState": "s == t",
        "hash(TaskState)": "hash(s)",
    }
    best = {
        name: min(
            timeit.repeat(code, globals=names, number=200_000, repeat=7, timer=time.process_time)
        )
        for name, code in statements.items()
    }
    return {name: seconds / 200_000 * 1e9 for name, seconds in best.items()}


MEASURES = {"one class": one_class, "due's path": due_path, "hot": hot}


def child(tree: Path) -> dict[str, dict[str, float]]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["PYTHONPATH"] = str(tree)
    done = subprocess.run(
        [sys.executable, __file__, "--child"], env=env, cwd=REPO, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    figures: dict[str, dict[str, float]] = json.loads(done.stdout)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="the src of the tree before (required)")
    parser.add_argument("--after", type=Path, default=REPO / "src", help="[default: this tree's]")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps({name: measure() for name, measure in MEASURES.items()}))
        return
    if args.before is None:
        parser.error("--before SRC is required")
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    runs: dict[str, list[dict[str, dict[str, float]]]] = {name: [] for name in trees}
    for number in range(args.rounds):
        for name in sorted(trees, reverse=number % 2 == 1):
            runs[name].append(child(trees[name]))
    print(f"{os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}, {args.rounds} rounds, medians")
    print(f"{'':<12} {'':<24} {'before':>10} {'after':>10}")
    for measure, figures in runs["before"][0].items():
        for key in figures:
            medians = [statistics.median(run[measure][key] for run in runs[name]) for name in trees]
            print(f"{measure:<12} {key:<24} {medians[0]:>10.1f} {medians[1]:>10.1f}")


if __name__ == "__main__":
    main()
