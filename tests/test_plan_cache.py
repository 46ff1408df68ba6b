"""The parsed-plan cache: used only while the plan file and the checking code are unchanged,
only when the user's own planctl wrote it, and never at the cost of a wrong plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from planctl.errors import PlanError
from planctl.plan import load
from planctl.plan.cache import cached_plan
from tests.conftest import PLAN_2018


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "2018.yaml"
    path.write_bytes(PLAN_2018.read_bytes())
    return path


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the plans actually parsed (not taken from the cache)."""
    seen: list[str] = []
    real = load.parse_plan

    def counting(raw: bytes, name: str) -> object:
        seen.append(name)
        return real(raw, name)

    monkeypatch.setattr(load, "parse_plan", counting)
    return seen


def test_an_unchanged_plan_comes_from_the_cache(
    plan_file: Path, tmp_path: Path, parses: list[str]
) -> None:
    cache = tmp_path / "cache"
    first = cached_plan(plan_file, plan_file.read_bytes(), cache)
    second = cached_plan(plan_file, plan_file.read_bytes(), cache)
    assert first == second
    assert parses == [str(plan_file)]
    [kept] = cache.iterdir()
    assert kept.stat().st_mode & 0o777 == 0o600
    assert cache.stat().st_mode & 0o777 == 0o700


def test_a_changed_plan_is_parsed_again(plan_file: Path, tmp_path: Path, parses: list[str]) -> None:
    cache = tmp_path / "cache"
    cached_plan(plan_file, plan_file.read_bytes(), cache)
    changed = plan_file.read_text(encoding="utf-8").replace("重点提案督办", "重点提案督办落实")
    plan_file.write_text(changed, encoding="utf-8")
    plan = cached_plan(plan_file, plan_file.read_bytes(), cache)
    assert len(parses) == 2
    assert next(t.title for t in plan.tasks if t.id == "6.2") == "重点提案督办落实"


def test_a_bad_plan_is_never_cached(tmp_path: Path, parses: list[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nyear: 2018\ntitle: t\nfoo: 1\n", encoding="utf-8")
    cache = tmp_path / "cache"
    for _ in range(2):
        with pytest.raises(PlanError):
            cached_plan(bad, bad.read_bytes(), cache)
    assert len(parses) == 2
    assert not cache.exists()


def test_a_cache_file_others_could_write_is_not_used(
    plan_file: Path, tmp_path: Path, parses: list[str]
) -> None:
    cache = tmp_path / "cache"
    cached_plan(plan_file, plan_file.read_bytes(), cache)
    [kept] = cache.iterdir()
    kept.chmod(0o666)
    cached_plan(plan_file, plan_file.read_bytes(), cache)
    assert len(parses) == 2


def test_a_damaged_cache_file_costs_a_parse_not_a_wrong_plan(
    plan_file: Path, tmp_path: Path, parses: list[str]
) -> None:
    cache = tmp_path / "cache"
    good = cached_plan(plan_file, plan_file.read_bytes(), cache)
    [kept] = cache.iterdir()
    data = kept.read_bytes()
    kept.write_bytes(data[: len(data) // 2])
    assert cached_plan(plan_file, plan_file.read_bytes(), cache) == good
    assert len(parses) == 2


def test_a_cache_that_cannot_be_written_is_not_kept(
    plan_file: Path, tmp_path: Path, parses: list[str]
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache directory would be", encoding="utf-8")
    plan = cached_plan(plan_file, plan_file.read_bytes(), blocked / "plans")
    assert len(plan.tasks) == 41
    assert parses == [str(plan_file)]
