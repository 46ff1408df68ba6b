"""planctl installs as `planctl-office`: `planctl` on PyPI is someone else's project, so no
message or document may tell a user to install it."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

from planctl import DISTRIBUTION, install_hint
from tests.conftest import REPO, Planctl

STRANGERS = re.compile(r"pip install (-U |--upgrade )?['\"]?planctl(\[|['\"\s]|$)", re.MULTILINE)
"""An install hint that would fetch PyPI's `planctl`, with or without an extra."""


def test_the_distribution_is_planctl_office() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert (project["name"], DISTRIBUTION) == ("planctl-office", "planctl-office")
    assert project["scripts"] == {"planctl": "planctl.cli:console_script"}
    assert install_hint("pdf") == "pip install 'planctl-office[pdf]'"


def test_no_message_or_document_installs_the_stranger() -> None:
    sources = [*(REPO / "src").rglob("*.py"), REPO / "README.md", *(REPO / "docs").rglob("*.md")]
    sources += [REPO / ".ci" / "run", REPO / "pyproject.toml"]
    found = [
        f"{path.relative_to(REPO)}: {match.group(0)}"
        for path in sources
        for match in STRANGERS.finditer(Path(path).read_text(encoding="utf-8"))
    ]
    assert found == []


def test_version_names_the_installed_distribution(planctl: Planctl) -> None:
    result = planctl("--version")
    assert (result.code, result.out) == (0, f"planctl {version('planctl-office')}\n")
