"""Two planctl trees side by side on the large data: the CPU time of each part of a read
command in process, and of whole processes beside the Typer floor (issue 32's `assess`,
`bulletin --format json`, `digest`; `report` and `due` too).

    git archive e0bd14f src | tar -x -C /tmp/before       # the tree to compare with
    .venv/bin/python bench/parts.py parts --before /tmp/before/src assess bulletin digest
    .venv/bin/python bench/parts.py whole --before /tmp/before/src assess bulletin digest

`parts`: blocks of rounds, each block one process of each tree in turn (the order alternating),
each process running the commands' `main()` in process after two untimed runs (imports done,
plan cache warm), with a wrapper timing each part (the rows, the core, the view, the text);
medians of all rounds. `whole`: rounds of the Typer floor, then each command of each tree as a
whole process (`python -c "from planctl.cli import console_script; console_script()"`), CPU
time from `os.wait4`. Each tree runs with its own plan cache; `--before` and `--after` are the
trees' `src` directories (`--after` defaults to this one's). Standard library only.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
TODAY = "2018-12-14"
COMMANDS = {
    "assess": ["assess"],
    "digest": ["digest"],
    "bulletin": ["bulletin", "--format", "json"],
    "report": ["report"],
    "due": ["due", "--month", "6"],
}
PARTS = {  # part -> (module, function): the function's CPU time is the part's
    "rows": ("planctl.core.progress", "assess"),
    "assessment": ("planctl.core.assess", "assessment"),
    "assess_view": ("planctl.views.assess", "assess_view"),
    "bulletin": ("planctl.core.bulletin", "bulletin"),
    "bulletin_view": ("planctl.views.bulletin", "bulletin_view"),
    "digest_events": ("planctl.core.report", "digest_events"),
    "digest": ("planctl.core.report", "digest"),
    "digest_view": ("planctl.views.digest", "digest_view"),
    "newest": ("planctl.core.report", "newest"),
    "year_report": ("planctl.core.report", "year_report"),
    "report_view": ("planctl.views.report", "report_view"),
    "write_plain": ("planctl.render.plain", "write_plain"),
    "write_json": ("planctl.render.json_out", "write_json"),
}


def environment(home: Path, src: str | None = None) -> dict[str, str]:
    """bench/run.py's environment (`measuring.base_env`: no config, user directories, and so the
    plan cache, in `home`), without COLUMNS or NO_COLOR; `src` first on the path."""
    from measuring import base_env

    env = base_env(home, TODAY)
    env.pop("COLUMNS", None)
    if src:
        env["PYTHONPATH"] = src
    return env


def argv(command: str, data: Path) -> list[str]:
    plan, store = data / "plans" / "p042.yaml", data / "store.sqlite3"
    return [*COMMANDS[command], "--plan", str(plan), "--db", str(store)]


def in_process(rounds: int, commands: list[str], data: Path) -> dict[str, dict[str, list[float]]]:
    """This process's planctl: each command's parts, in ms of CPU, `rounds` times."""
    spent: dict[str, float] = {}

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - start

        return wrapper

    for name, (module_name, function) in PARTS.items():
        module = importlib.import_module(module_name)
        if hasattr(module, function):
            setattr(module, function, timed(name, getattr(module, function)))
    from planctl.cli.registry import main

    def once(command: str) -> None:
        sys.argv = ["planctl", *argv(command, data)]
        with Path(os.devnull).open("w") as out, contextlib.redirect_stdout(out):
            try:
                main()
            except SystemExit as leaving:
                if leaving.code not in (0, None):
                    raise

    for command in commands:
        once(command)
        once(command)
    found: dict[str, dict[str, list[float]]] = {command: {} for command in commands}
    for _ in range(rounds):
        for command in commands:
            gc.collect()
            spent.clear()
            start = time.process_time()
            once(command)
            spent["whole command"] = time.process_time() - start
            for name, seconds in spent.items():
                found[command].setdefault(name, []).append(seconds * 1000)
    return found


def parts(args: argparse.Namespace) -> None:
    trees = {"before": args.before, "after": args.after}
    found: dict[str, dict[str, dict[str, list[float]]]] = {tree: {} for tree in trees}
    with tempfile.TemporaryDirectory() as home:
        for block in range(args.blocks):
            for tree in trees if block % 2 == 0 else reversed(trees):
                env = environment(Path(home) / tree, trees[tree])
                done = subprocess.run(
                    [sys.executable, __file__, "_in_process", str(args.rounds),
                     str(args.data), *args.commands],
                    env=env, capture_output=True, text=True, check=True, cwd=REPO,
                )  # fmt: skip
                for command, timed in json.loads(done.stdout).items():
                    for name, values in timed.items():
                        found[tree].setdefault(command, {}).setdefault(name, []).extend(values)
    for command in args.commands:
        print(f"{command}: ms of CPU in process, medians of {args.blocks} x {args.rounds} rounds")
        print(f"  {'part':<15}{'before':>10}{'after':>10}")
        names = list(found["before"][command]) + [
            name for name in found["after"][command] if name not in found["before"][command]
        ]
        for name in names:
            print(
                f"  {name:<15}" + "".join(_median(found[tree][command].get(name)) for tree in trees)
            )


def _median(values: list[float] | None) -> str:
    return f"{statistics.median(values):10.1f}" if values else f"{'-':>10}"


def whole(args: argparse.Namespace) -> None:
    trees = {"before": args.before, "after": args.after}
    floor = [sys.executable, str(BENCH / "floor_typer.py"), "--month", "6"]
    script = "from planctl.cli import console_script; console_script()"
    cpu: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as home:
        envs = {tree: environment(Path(home) / tree, src) for tree, src in trees.items()}
        for number in range(args.rounds + 1):  # the first round is not counted
            for command in args.commands:
                order = list(trees) if number % 2 else list(reversed(trees))
                times = {("floor", ""): _cpu(floor, envs["after"])}
                for tree in order:
                    line = [sys.executable, "-c", script, *argv(command, args.data)]
                    times[(command, tree)] = _cpu(line, envs[tree])
                if number:
                    for key, seconds in times.items():
                        cpu.setdefault(key, []).append(seconds)
    base = statistics.median(cpu[("floor", "")])
    print(f"Typer floor: {base * 1000:.0f} ms of CPU (median of {len(cpu[('floor', '')])})")
    for command in args.commands:
        before = statistics.median(cpu[(command, "before")])
        after = statistics.median(cpu[(command, "after")])
        print(
            f"{command:<9} before {before * 1000:5.0f} ms ({before / base:.2f}x)"
            f"  after {after * 1000:5.0f} ms ({after / base:.2f}x)"
            f"  saved {(before - after) * 1000:4.0f} ms"
        )


def _cpu(line: list[str], env: dict[str, str]) -> float:
    process = subprocess.Popen(
        line, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"{' '.join(line)} failed: {errors.decode()[-2000:]}")
    return usage.ru_utime + usage.ru_stime


def main(arguments: Iterator[str] | list[str]) -> None:
    arguments = list(arguments)
    if arguments[:1] == ["_in_process"]:
        rounds, data, *commands = arguments[1:]
        print(json.dumps(in_process(int(rounds), commands, Path(data))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["parts", "whole"])
    parser.add_argument("commands", nargs="+", choices=list(COMMANDS))
    parser.add_argument("--before", required=True, help="the src directory of the tree before")
    parser.add_argument("--after", default=str(REPO / "src"), help="[default: this tree's src]")
    parser.add_argument("--data", type=Path, default=BENCH / "data" / "large")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--blocks", type=int, default=6, help="parts: processes per tree")
    args = parser.parse_args(arguments)
    if args.rounds is None:
        args.rounds = 4 if args.mode == "parts" else 9
    (parts if args.mode == "parts" else whole)(args)


if __name__ == "__main__":
    main(sys.argv[1:])
