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

The work is in the modules beside this one: measuring.py (whole processes side by side with the
floors, the table, the machine line), data_sets.py (small, large, memory),
versus_taskwarrior.py, diagnostics.py (imports, bytecode, check-plans, steps) and
returns_collect.py (returns).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from data_sets import DEFAULT_DATA, bench_large, bench_memory, bench_small
from diagnostics import bytecode, check_plans, imports, read_paths
from measuring import machine
from returns_collect import bench_returns
from versus_taskwarrior import bench_taskwarrior, taskwarrior_export


def run_helper(argv: list[str]) -> None:
    """What must import planctl, run in a child process: `fresh-store PATH`, `tw-export DATA
    FILE` (a forked child's ru_maxrss would start from this process's size)."""
    if argv[0] == "fresh-store":
        from planctl.store.store import Store, StoreLocation

        Store.open_for_writing(StoreLocation.parse(argv[1])).close()
    elif argv[0] == "tw-export":
        count = taskwarrior_export(Path(argv[1]), Path(argv[2]))
        print(f"  exported {count:,} tasks for Taskwarrior", file=sys.stderr)


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
