"""The store's refusals in the office's language: on the 2018 plan (`language: zh`) a damaged
store, a store made by a newer planctl, a locked store and an import refusal are said in
Chinese, whole, on stderr; with `--lang en` in English. Nothing is written."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Planctl, run, snapshot


def _store_at(store: Path, *statements: str) -> bytes:
    """A SQLite store of the 2018 plan with one event, then changed by `statements`."""
    assert run("done", "6.1", "--db", str(store), "--today", "2018-06-15").code == 0
    connection = sqlite3.connect(store)
    with connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()
    return store.read_bytes()


@pytest.mark.parametrize(
    "command", [["report"], ["store", "export"], ["done", "6.2"]], ids=" ".join
)
def test_a_damaged_store_is_said_in_chinese_on_a_zh_plan(
    command: list[str], tmp_path: Path, planctl: Planctl
) -> None:
    store = tmp_path / "store.sqlite3"
    before = _store_at(store, "DELETE FROM alembic_version")
    result = planctl(*command, db=store)
    assert (result.code, result.out, result.err) == (
        1,
        "",
        f"planctl: 存储 {store} 已损坏:planctl 的表都在,却没有结构版本(alembic_version)\n",
    )
    assert store.read_bytes() == before


def test_a_damaged_store_in_english_with_lang_en(tmp_path: Path, planctl: Planctl) -> None:
    store = tmp_path / "store.sqlite3"
    _store_at(store, "UPDATE alembic_version SET version_num = ''")
    result = planctl("report", "--lang", "en", db=store)
    assert (result.code, result.err) == (
        1,
        f"planctl: the store {store} is damaged: its schema revision (alembic_version) is empty\n",
    )


@pytest.mark.parametrize("command", [["due"], ["store", "export"], ["done", "6.2"]], ids=" ".join)
def test_a_store_made_by_a_newer_planctl_is_said_in_chinese_on_a_zh_plan(
    command: list[str], tmp_path: Path, planctl: Planctl
) -> None:
    store = tmp_path / "store.sqlite3"
    before = _store_at(store, "UPDATE alembic_version SET version_num = '9999'")
    result = planctl(*command, db=store)
    assert (result.code, result.out, result.err) == (
        1,
        "",
        f"planctl: 存储 {store} 由更新版本的 planctl 建立(结构版本 9999),请升级 planctl\n",
    )
    assert store.read_bytes() == before


def test_an_import_refusal_at_its_line_is_said_in_chinese_on_a_zh_plan(
    tmp_path: Path, planctl: Planctl
) -> None:
    store = tmp_path / "store.sqlite3"
    _store_at(store)
    exported = planctl.ok("store", "export", db=store).splitlines()
    header = json.loads(exported[0])
    first = json.loads(exported[1])
    again = json.dumps(first | {"task_id": "6.2"}, ensure_ascii=False)
    header["events"] += 1
    file = tmp_path / "events.jsonl"
    file.write_text("\n".join([json.dumps(header), *exported[1:2], again, *exported[2:]]) + "\n")
    before = snapshot(str(store))
    result = planctl("store", "import", str(file), db=store)
    assert (result.code, result.out, result.err) == (
        1,
        "",
        f"{file}:3: 记录 {first['event_id']} 在第 2 行已经出现\n",
    )
    assert snapshot(str(store)) == before


def test_an_export_file_that_is_not_one_is_said_in_chinese_on_a_zh_plan(
    tmp_path: Path, planctl: Planctl
) -> None:
    store = tmp_path / "store.sqlite3"
    _store_at(store)
    file = tmp_path / "events.jsonl"
    file.write_text("hello\n", encoding="utf-8")
    result = planctl("store", "import", str(file), db=store)
    assert (result.code, result.err) == (
        1,
        f'{file}:1: 不是 planctl 导出文件(第一行不是 {{"planctl_export": 5, ...}})\n',
    )
