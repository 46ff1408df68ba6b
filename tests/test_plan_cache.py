"""The parsed-plan cache: used only while the plan file and the checking code are unchanged,
only when the user's own planctl wrote it, and never at the cost of a wrong plan."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pydantic import BaseModel

from planctl.errors import PlanError
from planctl.plan import codec, load
from planctl.plan.cache import cached_plan
from planctl.plan.load import load_plan
from planctl.plan.source import STDIN
from tests.conftest import PLAN_2018, REPO

GOOD = REPO / "tests" / "data" / "good"


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


# -- a cache that cannot be turned against its user (issue 12, defect 1) ---------------------


class _Planted:
    """Unpickling this makes `marker` (a directory): proof that the cache ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.mkdir, (str(self.marker),)


def the_cache_file(cache: Path) -> Path:
    [kept] = (path for path in cache.iterdir() if not path.name.startswith("."))
    return kept


def test_the_cache_never_runs_code_from_its_files(
    plan_file: Path, tmp_path: Path, parses: list[str]
) -> None:
    """Even a file the user owns, mode 0600, with the right stamp: its bytes are data only."""
    cache = tmp_path / "cache"
    good = cached_plan(plan_file, plan_file.read_bytes(), cache)
    kept = the_cache_file(cache)
    stamp = kept.read_bytes().split(b"\n", 1)[0] + b"\n"
    marker = tmp_path / "code-ran"
    kept.write_bytes(stamp + pickle.dumps(_Planted(marker)))
    assert cached_plan(plan_file, plan_file.read_bytes(), cache) == good
    assert not marker.exists()
    assert len(parses) == 2


def test_the_cache_holds_no_pickle(plan_file: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    plan = cached_plan(plan_file, plan_file.read_bytes(), cache)
    stamp, checksum, data = the_cache_file(cache).read_bytes().split(b"\n", 2)
    assert stamp.startswith(b"planctl-plan ")
    assert checksum == hashlib.sha256(data).hexdigest().encode()
    assert json.loads(data)["$model"] == "Plan"  # plain JSON, read without pickle
    assert codec.loads(data) == plan


@pytest.mark.parametrize("name", ["2018", *sorted(p.stem for p in GOOD.glob("*.yaml"))])
def test_every_plan_comes_back_from_the_cache_as_it_was(name: str) -> None:
    path = PLAN_2018 if name == "2018" else GOOD / f"{name}.yaml"
    plan = load_plan(path)
    again = codec.loads(codec.dumps(plan))
    assert again == plan
    assert again.model_dump() == plan.model_dump()
    assert again.model_fields_set == plan.model_fields_set


def test_the_codec_builds_models_as_model_construct_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """The codec sets a model's attributes itself (Pydantic's `model_construct` is 4x slower on
    a large plan); what it makes must be what `model_construct` makes, to the private slots."""
    plans = [load_plan(PLAN_2018), *(load_plan(path) for path in sorted(GOOD.glob("*.yaml")))]
    fast = [codec.loads(codec.dumps(plan)) for plan in plans]

    def construct(model: type, fields: dict[str, object], fields_set: set[str]) -> object:
        return model.model_construct(_fields_set=fields_set, **fields)  # type: ignore[attr-defined]

    monkeypatch.setattr(codec, "_construct", construct)
    slow = [codec.loads(codec.dumps(plan)) for plan in plans]

    def slots(value: object) -> object:
        if isinstance(value, list):
            return [slots(item) for item in value]
        if not isinstance(value, BaseModel):
            return value
        state = value.__getstate__()
        return {**state, "__dict__": {k: slots(v) for k, v in state["__dict__"].items()}}

    assert [slots(plan) for plan in fast] == [slots(plan) for plan in slow]
    assert [list(plan.__dict__) for plan in fast] == [list(plan.__dict__) for plan in slow]


def test_a_damaged_cache_file_is_parsed_again(plan_file: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    plan = cached_plan(plan_file, plan_file.read_bytes(), cache)
    file = the_cache_file(cache)
    stamp, checksum, data = file.read_bytes().split(b"\n", 2)
    for damaged in (
        data.replace(b'"Task"', b'"Nothing"'),  # checksum no longer matches
        data[: len(data) // 2],
    ):
        file.write_bytes(stamp + b"\n" + checksum + b"\n" + damaged)
        assert cached_plan(plan_file, plan_file.read_bytes(), cache) == plan
    forged = data.replace(b'"$model":"Task"', b'"$model":"Nothing"', 1)
    file.write_bytes(stamp + b"\n" + hashlib.sha256(forged).hexdigest().encode() + b"\n" + forged)
    with pytest.raises(codec.DamagedCache):
        codec.loads(forged)
    assert cached_plan(plan_file, plan_file.read_bytes(), cache) == plan


class Hung(Exception):
    """A call that should return at once was still blocked."""


@contextmanager
def no_hang(seconds: float = 5.0) -> Iterator[None]:
    """Interrupt a blocked system call (opening a FIFO) instead of hanging the test run."""

    def interrupt(signum: int, frame: object) -> None:
        raise Hung

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_fifo_at_the_cache_file_name_does_not_hang(
    plan_file: Path, tmp_path: Path, parses: list[str]
) -> None:
    cache = tmp_path / "cache"
    good = cached_plan(plan_file, plan_file.read_bytes(), cache)
    kept = the_cache_file(cache)
    kept.unlink()
    os.mkfifo(kept, 0o600)
    with no_hang():
        assert cached_plan(plan_file, plan_file.read_bytes(), cache) == good
    assert len(parses) == 2
    assert kept.is_file()  # replaced by a cache file, not written into


def test_a_symlink_at_the_cache_file_name_is_not_followed(
    plan_file: Path, tmp_path: Path, parses: list[str]
) -> None:
    """The link points at a file the user owns, 0600, holding a valid cache entry: a file
    whose bytes another user could have chosen (a saved attachment), so it is not read."""
    cache = tmp_path / "cache"
    good = cached_plan(plan_file, plan_file.read_bytes(), cache)
    kept = the_cache_file(cache)
    elsewhere = tmp_path / "attachment"
    kept.rename(elsewhere)
    kept.symlink_to(elsewhere)
    assert cached_plan(plan_file, plan_file.read_bytes(), cache) == good
    assert len(parses) == 2
    assert not kept.is_symlink()


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o1777])
def test_a_cache_directory_others_can_write_is_not_used(
    plan_file: Path, tmp_path: Path, parses: list[str], mode: int
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(mode)
    for _ in range(2):
        plan = cached_plan(plan_file, plan_file.read_bytes(), cache)
        assert len(plan.tasks) == 41
    assert len(parses) == 2
    assert list(cache.iterdir()) == []


def test_a_cache_directory_of_another_user_is_not_used(
    plan_file: Path, tmp_path: Path, parses: list[str]
) -> None:
    if os.getuid() != 0:
        pytest.skip("needs root, to give the directory to another user")
    cache = tmp_path / "cache"
    cached_plan(plan_file, plan_file.read_bytes(), cache)
    os.chown(cache, 65534, -1)
    cached_plan(plan_file, plan_file.read_bytes(), cache)
    assert len(parses) == 2


def test_a_symlinked_cache_directory_is_not_used(
    plan_file: Path, tmp_path: Path, parses: list[str]
) -> None:
    real = tmp_path / "real"
    cached_plan(plan_file, plan_file.read_bytes(), real)
    cache = tmp_path / "cache"
    cache.symlink_to(real)
    cached_plan(plan_file, plan_file.read_bytes(), cache)
    assert len(parses) == 2


def test_a_plan_read_from_stdin_is_not_cached(tmp_path: Path, parses: list[str]) -> None:
    cache = tmp_path / "cache"
    raw = PLAN_2018.read_bytes()
    for _ in range(2):
        assert len(cached_plan(STDIN, raw, cache).tasks) == 41
    assert parses == ["<stdin>", "<stdin>"]
    assert not cache.exists()


def test_the_yaml_nodes_are_dropped_before_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The node tree is most of a parse's memory (issue 24.6): validation runs without it."""
    import gc

    import yaml

    from planctl.plan.model import Plan

    alive: list[int] = []
    real = Plan.model_validate

    def counting(data: object) -> Plan:
        gc.collect()
        alive.append(sum(isinstance(thing, yaml.Node) for thing in gc.get_objects()))
        return real(data)

    monkeypatch.setattr(Plan, "model_validate", counting)
    assert load_plan(PLAN_2018).id == "cppcc-2018"
    assert alive == [0]


def test_a_problem_found_by_validation_is_still_at_its_line(tmp_path: Path) -> None:
    """The nodes dropped before validation are composed again to point at a problem."""
    path = tmp_path / "bad.yaml"
    text = PLAN_2018.read_text(encoding="utf-8")
    assert text.splitlines()[98] == "    month: 3"
    path.write_text(text.replace("month: 3", "month: 13", 1), encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    found = [(p.line, p.column, p.message) for p in caught.value.problems]
    assert found == [(99, 12, 'tasks[4].month: 13 is not a month: write 1-12 or "YYYY-MM"')]


def test_the_cache_is_written_without_building_the_whole_plan_first() -> None:
    """`dumps` encodes model by model: its peak is about twice its output (the text and the
    bytes), where the whole plan as tagged objects took nine times."""
    import tracemalloc

    plan = load_plan(PLAN_2018)
    tracemalloc.start()
    try:
        payload = codec.dumps(plan)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert codec.loads(payload) == plan
    assert peak < 4 * len(payload)
