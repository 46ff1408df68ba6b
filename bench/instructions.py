"""Instructions each command executes, counted by Valgrind: the same on a busy machine as idle.

    .venv/bin/python bench/instructions.py [large|small] [--tree DIR ...] [--jobs N]

Wall and CPU times on a shared machine move by a third from run to run; the number of machine
instructions a process executes (Valgrind's callgrind, `I refs`) does not, so two trees can be
compared exactly, on any load. It is not time: a cache miss or a system call costs more than
an instruction, and the Typer floor spends a larger share of its time outside its own
instructions (loading the interpreter) than a large read does, so ratios of instructions come
out higher than ratios of CPU time (docs/performance.md, "Issue 32, fourth session"). Use it
to tell what a change saves, and `bench/run.py` for the targets.

Each command runs once untimed first (the plan cache warm, as in `bench/run.py`), then once
under `valgrind --tool=callgrind` (about 40 times slower: a large read takes a minute), the
commands `--jobs` at a time. `--tree DIR` (repeatable) counts the same commands with another
checkout's `src/` on `PYTHONPATH`, to compare two commits (`git worktree add` or `git archive`
one). Needs the `valgrind` Debian package; the large data from `bench/generate.py`.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LARGE = REPO / "bench" / "data" / "large"
RUN = "import sys; sys.argv[0] = 'planctl'; from planctl.cli import console_script as run; run()"
COMMANDS = {
    "large": [["due", "--month", "6"], ["report"], ["digest"], ["assess"],
              ["bulletin", "--format", "json"]],
    "small": [["due", "--month", "6"], ["report", "--year", "2018"]],
}  # fmt: skip


def count(argv: list[str], env: dict[str, str]) -> int:
    """`I refs` of one run of `argv` under callgrind (after one run without it)."""
    subprocess.run(argv, env=env, cwd=REPO, stdout=subprocess.DEVNULL, check=False)
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        check=False,
    )  # fmt: skip
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        sys.exit(f"no instruction count from valgrind for {argv}:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", choices=sorted(COMMANDS), nargs="?", default="large")
    parser.add_argument("--tree", type=Path, action="append", default=[], help="another checkout")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="planctl-instructions-"))
    base = {key: value for key, value in os.environ.items() if not key.startswith("PLANCTL_")}
    base.update(PLANCTL_CONFIG=str(home / "none.toml"), LC_ALL="C.UTF-8")
    if args.data == "large":
        base["PLANCTL_TODAY"] = "2018-12-14"
        where = ["--plan", str(LARGE / "plans" / "p042.yaml"), "--db", str(LARGE / "store.sqlite3")]
    else:
        base["PLANCTL_TODAY"] = "2018-06-15"
        where = ["--db", str(home / "empty.sqlite3")]
        subprocess.run([sys.executable, "-m", "planctl", "store", "init", *where], env=base,
                       cwd=REPO, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    trees = [("this tree", REPO), *((str(tree), tree.resolve()) for tree in args.tree)]
    jobs: dict[tuple[str, str], tuple[list[str], dict[str, str]]] = {
        ("", "typer floor"): ([sys.executable, str(REPO / "bench" / "floor_typer.py")], base)
    }
    for number, (name, tree) in enumerate(trees):
        env = dict(base, PYTHONPATH=str(tree / "src"), XDG_CACHE_HOME=str(home / f"cache{number}"))
        for command in COMMANDS[args.data]:
            jobs[(name, " ".join(command))] = ([sys.executable, "-c", RUN, *command, *where], env)
    with ThreadPoolExecutor(args.jobs) as pool:
        counted = dict(zip(jobs, pool.map(lambda job: count(*job), jobs.values()), strict=True))
    floor = counted[("", "typer floor")]
    print(f"{'tree':<24} {'command':<24} {'instructions':>15} {'/typer':>7}")
    for (name, label), instructions in counted.items():
        print(f"{name:<24} {label:<24} {instructions:>15,} {instructions / floor:>7.2f}")


if __name__ == "__main__":
    main()
