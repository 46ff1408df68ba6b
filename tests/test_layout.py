"""A home for every module and one direction between the layers (docs/development.md, Code layout): only
the package's own files at the top, the plan below the core, the store knowing no plan."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "src" / "planctl"


def imports(module: Path) -> set[str]:
    """Every planctl module a file imports, whether at the top, in a function or for types."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("planctl")}


def importers(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in (PACKAGE / package).rglob("*.py")
        for name in imports(path)
        if name.startswith(forbidden)
    )


def test_only_the_package_s_own_files_are_at_the_top() -> None:
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "errors.py"]


def test_the_plan_and_the_rules_import_nothing_from_the_core_or_above() -> None:
    above = ("planctl.core", "planctl.views", "planctl.render", "planctl.cli", "planctl.store")
    assert importers("plan", above) == []
    assert importers("rules", (*above, "planctl.office")) == []


def test_the_store_knows_no_plan_and_no_shell() -> None:
    assert importers("store", ("planctl.plan", "planctl.cli", "planctl.views")) == []


def test_the_core_and_the_views_reach_no_shell() -> None:
    shell = ("planctl.cli", "planctl.store", "planctl.mail", "planctl.office")
    assert importers("core", shell) == []
    assert importers("views", shell) == []


def test_no_module_of_the_shell_is_over_400_lines() -> None:
    """A module of `cli/` holds one idea (recording, reading, history, the config file ...)."""
    long = {
        path.name: lines
        for path in sorted((PACKAGE / "cli").glob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}


def test_no_module_under_src_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
