"""A few runs of the installed `planctl` and of `python -m planctl`, as a person or cron runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from planctl.cli import main
from tests.conftest import REPO, empty_store

PLANCTL = Path(sys.executable).parent / "planctl"


def planctl(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PLANCTL), *args], capture_output=True, text=True, cwd=REPO, env=env, check=False
    )


def environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANCTL_")}
    env.update(PLANCTL_TODAY="2018-06-15", PLANCTL_DB=empty_store(str(tmp_path / "s.sqlite3")))
    return env


def test_the_console_script_records_and_reads(tmp_path: Path) -> None:
    env = environment(tmp_path)
    done = planctl("done", "6.1", "--by", "王", env=env)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "done: 6.1 对城市精细化管理情况进行视察 (2018-06-15, 王)\n"
    due = planctl("due", "--month", "6", "--format", "json", env=env)
    tasks = {task["id"]: task for task in json.loads(due.stdout)["tasks"]}
    assert (tasks["6.1"]["status"], tasks["6.1"]["done_by"]) == ("done", "王")


def test_errors_have_no_traceback(tmp_path: Path) -> None:
    result = planctl("done", "没有这个", env=environment(tmp_path))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "planctl: cppcc-2018 中没有与 '没有这个' 匹配的任务\n"


def test_python_dash_m(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "planctl", "check", "plans/2018.yaml"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=environment(tmp_path),
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.endswith("4 个部分、18 个工作要点、41 项任务\n")


def test_piped_output_has_no_ansi_codes(tmp_path: Path) -> None:
    result = planctl("due", env=environment(tmp_path))
    assert result.returncode == 0
    assert "\x1b" not in result.stdout
    assert result.stdout.startswith(
        "2018 年区政协常委会工作要点 (plans/2018.yaml):2018 年 6 月待办"
    )


def test_shell_completion_offers_task_ids_with_titles(tmp_path: Path) -> None:
    env = environment(tmp_path)
    env.update(_PLANCTL_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="planctl done 5.")
    result = planctl(env=env)
    assert result.returncode == 0
    assert '"5.1":"开展养老保险扩面情况的调研"' in result.stdout
    assert '"6.1":' not in result.stdout
    env.update(_TYPER_COMPLETE_ARGS="planctl show Y.")
    year_round = planctl(env=env).stdout
    assert '"Y.8":"每周更新政协网站动态"' in year_round
    assert '"5.1":' not in year_round


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    reader = subprocess.Popen(
        [str(PLANCTL), "list", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env=environment(tmp_path),
    )
    assert reader.stdout is not None and reader.stderr is not None
    with reader.stdout, reader.stderr:
        reader.stdout.read(10)
        reader.stdout.close()
        assert reader.stderr.read() == b""
    reader.wait(timeout=30)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["list", "--format", "json"], 0),  # 60 KB: all of it reaches the pipe
        (["report", "--format", "csv", "--table", "months"], 0),
        (["done", "没有这个"], 1),
        (["due", "--frobnicate"], 2),
    ],
    ids=lambda value: " ".join(value[:2]) if isinstance(value, list) else str(value),
)
def test_the_console_script_says_what_main_says(
    args: list[str],
    code: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The console script ends the process as soon as `main()` is done (no interpreter
    teardown): its exit code and every byte it printed are still `main()`'s."""
    env = environment(tmp_path)
    script = planctl(*args, env=env)
    for name, value in env.items():
        if name.startswith("PLANCTL_"):
            monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", ["planctl", *args])
    with pytest.raises(SystemExit) as exit:
        main()
    said = capsys.readouterr()
    assert (script.returncode, script.stdout, script.stderr) == (exit.value.code, *said)
    assert exit.value.code == code


COLLECTOR_PROBE = """
import gc, sys
from planctl.cli import registry, session

loaded = session.Session.loaded.func
def probe(self):
    plan = loaded(self)
    # made now, cyclic, and garbage at once: the collector must still find it
    cycle = []; cycle.append(cycle); del cycle
    sys.stderr.write(f"enabled={gc.isenabled()} frozen={gc.get_freeze_count() > 0} "
                     f"collected={gc.collect() >= 1}\\n")
    return plan
session.Session.loaded = session.cached_property(probe)
session.Session.loaded.__set_name__(session.Session, "loaded")
sys.argv = ["planctl", *sys.argv[1:]]
registry.console_script()
"""


def test_the_console_script_starts_without_the_collector_and_then_collects(
    tmp_path: Path,
) -> None:
    """What lives until the end is frozen, and garbage made after is collected as ever
    (planctl.cli.collector)."""
    result = subprocess.run(
        [sys.executable, "-c", COLLECTOR_PROBE, "due", "--month", "6"],
        capture_output=True, text=True, cwd=REPO, env=environment(tmp_path), check=False,
    )  # fmt: skip
    assert (result.returncode, result.stderr) == (0, "enabled=True frozen=True collected=True\n")


def test_a_command_run_in_process_leaves_the_collector_alone(tmp_path: Path) -> None:
    import gc

    from typer.testing import CliRunner

    from planctl.cli import app

    frozen = gc.get_freeze_count()
    result = CliRunner().invoke(app, ["due", "--month", "6", "--plan", str(REPO / "plans" / "2018.yaml"),
              "--db", empty_store(str(tmp_path / "s.sqlite3")), "--today", "2018-06-15"])  # fmt: skip
    assert (result.exit_code, gc.isenabled(), gc.get_freeze_count()) == (0, True, frozen)
