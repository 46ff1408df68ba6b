"""Every test runs with its own user directories and store, from the repository root."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planctl.cli import app
from planctl.plan.load import load_plan
from planctl.plan.model import Plan

REPO = Path(__file__).resolve().parents[1]
PLAN_2018 = REPO / "plans" / "2018.yaml"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No PLANCTL_* settings from outside; user directories under tmp_path; cwd at the repo."""
    for name in list(os.environ):
        if name.startswith("PLANCTL_") and name != "PLANCTL_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("LOGNAME", "tester")
    monkeypatch.chdir(REPO)
    yield tmp_path


@pytest.fixture(scope="session")
def plan_2018() -> Plan:
    return load_plan(PLAN_2018)


@dataclass(frozen=True)
class Result:
    """What a person sees from one command: exit code, stdout and stderr."""

    code: int
    out: str
    err: str


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run planctl in-process, as the console script would."""
    result = CliRunner().invoke(app, list(args), env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)
