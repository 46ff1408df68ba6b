"""store export / import / info: moving an office's progress between stores keeps every event."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from planctl.core.events import Action, Event
from planctl.errors import TransferFileError
from planctl.store.schema import SCHEMA_REVISION
from planctl.store.store import PlanVersion, Store, StoreLocation
from planctl.store.transfer import parse_export
from tests.conftest import REPO, Planctl, Postgres, empty_store, reset_postgres, snapshot

MINIMAL = str(REPO / "tests" / "data" / "good" / "minimal.yaml")


def record_every_action(planctl: Planctl, db: str) -> None:
    """Progress of two plans with every action: done (with a note, with a count), note, undo,
    defer, and an undo of a defer."""
    planctl.ok("done", "6.1", "--note", "视察完成\n第二行", "--by", "李明", db=db)
    planctl.ok("done", "P10.1", "--count", "2", "--on", "2018-05-20", db=db)
    planctl.ok("note", "5.1", "调研提纲已定", db=db)
    planctl.ok("undo", "5.1", db=db)
    planctl.ok("defer", "7.1", "--to", "9", "--reason", "等待区委安排", db=db)
    planctl.ok("defer", "7.2", "--to", "8", "--reason", "人手不足", db=db)
    planctl.ok("undo", "7.2", db=db)
    planctl.ok("done", "t1", "--plan", MINIMAL, "--by", "王", db=db)


def views(planctl: Planctl, db: str) -> list[Any]:
    """What people see of the progress: enough to show that a store kept every event."""
    shown = []
    for args in (["history"], ["due"], ["list"], ["history", "--plan", MINIMAL]):
        shown.append(planctl.json(*args, db=db))
    return shown


AT = datetime(2018, 6, 15, 1, 2, 3, 456789, tzinfo=UTC)


def event(event_id: str, task_id: str, action: Action, **columns: Any) -> Event:
    return Event(
        event_id=event_id,
        plan_id="cppcc-2018",
        task_id=task_id,
        action=action,
        work_date=date(2018, 6, 15),
        recorded_by="李明",
        recorded_at=AT,
        **columns,
    )


def replace_event(
    event_id: str,
    task_id: str,
    action: Action,
    *,
    day: int,
    at: datetime,
    by: str = "李明",
    **columns: Any,
) -> Event:
    """An event of June 2018 on `day`, recorded at `at` by `by`."""
    return dataclasses.replace(
        event(event_id, task_id, action, **columns),
        work_date=date(2018, 6, day),
        recorded_at=at,
        recorded_by=by,
    )


KNOWN = [
    event("e-1", "6.1", Action.DONE, note="视察完成\n第二行"),
    event("e-2", "P10.1", Action.DONE, count=2),
    event("e-3", "7.1", Action.DEFER, note="等待", to_month=9),
    event("e-4", "7.1", Action.UNDO, undoes="e-3"),
    event("e-5", "5.1", Action.NOTE, note='引号"和\\反斜杠'),
]
VERSION = PlanVersion("0123abcd", AT, {"6.1": ["视察", 6], "Y.1": ["扶贫", None]})
KNOWN_EXPORT = (
    '{"planctl_export": 3, "events": 5, "plan_versions": 1}\n'
    '{"type": "event", "event_id": "e-1", "plan_id": "cppcc-2018", "task_id": "6.1", "action": "done", "work_date": "2018-06-15", "recorded_by": "李明", "recorded_at": "2018-06-15T01:02:03.456789+00:00", "note": "视察完成\\n第二行", "undoes": null, "count": null, "to_month": null, "to_date": null, "percent": null, "value": null}\n'
    '{"type": "event", "event_id": "e-2", "plan_id": "cppcc-2018", "task_id": "P10.1", "action": "done", "work_date": "2018-06-15", "recorded_by": "李明", "recorded_at": "2018-06-15T01:02:03.456789+00:00", "note": null, "undoes": null, "count": 2, "to_month": null, "to_date": null, "percent": null, "value": null}\n'
    '{"type": "event", "event_id": "e-3", "plan_id": "cppcc-2018", "task_id": "7.1", "action": "defer", "work_date": "2018-06-15", "recorded_by": "李明", "recorded_at": "2018-06-15T01:02:03.456789+00:00", "note": "等待", "undoes": null, "count": null, "to_month": 9, "to_date": null, "percent": null, "value": null}\n'
    '{"type": "event", "event_id": "e-4", "plan_id": "cppcc-2018", "task_id": "7.1", "action": "undo", "work_date": "2018-06-15", "recorded_by": "李明", "recorded_at": "2018-06-15T01:02:03.456789+00:00", "note": null, "undoes": "e-3", "count": null, "to_month": null, "to_date": null, "percent": null, "value": null}\n'
    '{"type": "event", "event_id": "e-5", "plan_id": "cppcc-2018", "task_id": "5.1", "action": "note", "work_date": "2018-06-15", "recorded_by": "李明", "recorded_at": "2018-06-15T01:02:03.456789+00:00", "note": "引号\\"和\\\\反斜杠", "undoes": null, "count": null, "to_month": null, "to_date": null, "percent": null, "value": null}\n'
    '{"type": "plan_version", "plan_id": "cppcc-2018", "digest": "0123abcd", "seen_at": "2018-06-15T01:02:03.456789+00:00", "tasks": {"6.1": ["视察", 6], "Y.1": ["扶贫", null]}}\n'
)


def test_an_export_of_format_1_is_read(tmp_path: Path) -> None:
    """Format 1 had no `to_date`: its files import as they are."""
    old = KNOWN_EXPORT.replace(', "to_date": null, "percent": null, "value": null', "").replace(
        '"planctl_export": 3', '"planctl_export": 1'
    )
    parsed = parse_export(old.encode(), "old.jsonl")
    assert [event for _, event in parsed.events] == KNOWN


def test_an_export_of_format_2_is_read(tmp_path: Path) -> None:
    """Format 2 had no progress reports (`percent`, `value`): its files import as they are."""
    old = KNOWN_EXPORT.replace(', "percent": null, "value": null', "").replace(
        '"planctl_export": 3', '"planctl_export": 2'
    )
    parsed = parse_export(old.encode(), "old.jsonl")
    assert [event for _, event in parsed.events] == KNOWN


PROGRESS_LINE = (
    '{"type": "event", "event_id": "e-6", "plan_id": "cppcc-2018", "task_id": "6.2",'
    ' "action": "progress", "work_date": "2018-06-15", "recorded_by": "李明",'
    ' "recorded_at": "2018-06-15T01:02:03.456789+00:00", "note": "已督办两件", "undoes": null,'
    ' "count": null, "to_month": null, "to_date": null, "percent": 60, "value": 7.6}\n'
)


def test_a_progress_report_is_exported_and_imported_whole(
    store_url: str, tmp_path: Path, planctl: Planctl
) -> None:
    report = event("e-6", "6.2", Action.PROGRESS, note="已督办两件", percent=60, value=7.6)
    store = Store.open_for_writing(StoreLocation.parse(store_url))
    with store.transaction() as tx:
        tx.append([report])
    store.close()
    exported = planctl.ok("store", "export", db=store_url)
    assert exported == '{"planctl_export": 3, "events": 1, "plan_versions": 0}\n' + PROGRESS_LINE
    source = tmp_path / "progress.jsonl"
    source.write_text(exported, encoding="utf-8")
    copy = str(tmp_path / "copy.sqlite3")
    planctl.ok("store", "import", str(source), db=copy)
    assert events_in(copy) == [report]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (('"percent": 60', '"percent": 101'), "percent: Input should be less than or equal to 100"),
        (('"action": "progress"', '"action": "note"'), "percent is only for progress, not note"),
        (('"note": "已督办两件"', '"note": null'), "note is needed for progress"),
        (('"value": 7.6', '"value": "7.6"'), "value: Input should be a valid number"),
    ],
)
def test_a_bad_progress_line_is_refused_at_its_line(change: tuple[str, str], problem: str) -> None:
    header = '{"planctl_export": 3, "events": 1, "plan_versions": 0}\n'
    with pytest.raises(TransferFileError) as raised:
        parse_export((header + PROGRESS_LINE.replace(*change)).encode(), "F")
    assert raised.value.lines() == [f"F:2: {problem}"]


def events_in(db: str) -> list[Event]:
    store = Store.open_for_reading(StoreLocation.parse(db))
    try:
        return store.all_events()
    finally:
        store.close()


def store_known(db: str) -> None:
    store = Store.open_for_writing(StoreLocation.parse(db))
    with store.transaction() as tx:
        tx.append(KNOWN)
        tx.append_plan_versions([("cppcc-2018", VERSION)])
    store.close()


@pytest.fixture
def postgres_url(postgres: Postgres) -> str:
    """The test PostgreSQL database, emptied; skipped without one."""
    reset_postgres(postgres.url)
    return postgres.url


@pytest.fixture
def source(made_sqlite_store: str, planctl: Planctl) -> str:
    """A SQLite store with progress of two plans, every action recorded."""
    db = made_sqlite_store
    record_every_action(planctl, db)
    return db


@pytest.fixture
def export_file(source: str, tmp_path: Path, planctl: Planctl) -> Path:
    path = tmp_path / "events.jsonl"
    assert (
        planctl.ok("store", "export", str(path), db=source)
        == f"已将2 个计划的8 条记录导出到 {path}\n"
    )
    return path


# Export.


def test_export_writes_every_column_in_recorded_order(store_url: str, planctl: Planctl) -> None:
    store_known(store_url)
    assert planctl.ok("store", "export", db=store_url) == KNOWN_EXPORT


def test_export_to_a_file(store_url: str, tmp_path: Path, planctl: Planctl) -> None:
    store_known(store_url)
    path = tmp_path / "out" / "events.jsonl"
    path.parent.mkdir()
    out = planctl.ok("store", "export", str(path), db=store_url)
    assert out == f"已将1 个计划的5 条记录导出到 {path}\n"
    assert path.read_text(encoding="utf-8") == KNOWN_EXPORT


def test_export_of_an_empty_store_is_a_header_and_changes_nothing(
    store_url: str, planctl: Planctl
) -> None:
    empty_store(store_url)
    before = snapshot(store_url)
    out = planctl.ok("store", "export", db=store_url)
    assert out == '{"planctl_export": 3, "events": 0, "plan_versions": 0}\n'
    assert snapshot(store_url) == before


def test_export_of_a_store_that_is_not_there(tmp_path: Path, planctl: Planctl) -> None:
    missing = str(tmp_path / "missing.sqlite3")
    result = planctl("store", "export", db=missing)
    assert (result.code, result.out) == (1, "")
    assert result.err == f"planctl: {missing} 没有存储:那里还没有任何记录\n"
    assert not Path(missing).exists()


def test_export_into_a_directory_that_does_not_exist(
    source: str, tmp_path: Path, planctl: Planctl
) -> None:
    path = tmp_path / "missing" / "events.jsonl"
    result = planctl("store", "export", str(path), db=source)
    assert (result.code, result.out) == (1, "")
    assert result.err == f"planctl: 无法写入 {path}:No such file or directory\n"


# Import.


def test_import_reads_back_exactly_what_was_exported(
    store_url: str, tmp_path: Path, planctl: Planctl
) -> None:
    path = tmp_path / "known.jsonl"
    path.write_text(KNOWN_EXPORT, encoding="utf-8")
    out = planctl.ok("store", "import", str(path), db=store_url)
    assert out == "已导入:新增 5 条记录,已有 0 条,冲突 0 条\n"
    store = Store.open_for_reading(StoreLocation.parse(store_url))
    assert (store.all_events(), store.all_plan_versions()) == (KNOWN, [("cppcc-2018", VERSION)])
    store.close()
    assert planctl.ok("store", "export", db=store_url) == KNOWN_EXPORT


def test_import_twice_adds_nothing(store_url: str, export_file: Path, planctl: Planctl) -> None:
    first = planctl.ok("store", "import", str(export_file), db=store_url)
    assert first == "已导入:新增 8 条记录,已有 0 条,冲突 0 条\n"
    before = snapshot(store_url)
    second = planctl.ok("store", "import", str(export_file), db=store_url)
    assert second == "已导入:新增 0 条记录,已有 8 条,冲突 0 条\n"
    assert snapshot(store_url) == before


def test_import_appends_after_the_store_s_own_events(
    store_url: str, source: str, export_file: Path, planctl: Planctl
) -> None:
    planctl.ok("done", "6.2", "--by", "赵", db=store_url)
    lines = export_file.read_text(encoding="utf-8").splitlines(keepends=True)
    first_two = export_file.with_name("first-two.jsonl")
    first_two.write_text('{"planctl_export": 1}\n' + "".join(lines[1:3]), encoding="utf-8")
    out = planctl.ok("store", "import", str(first_two), db=store_url)
    assert out == "已导入:新增 2 条记录,已有 0 条,冲突 0 条\n"
    out = planctl.ok("store", "import", str(export_file), db=store_url)
    assert out == "已导入:新增 6 条记录,已有 2 条,冲突 0 条\n"
    here, there = events_in(store_url), events_in(source)
    assert [e.task_id for e in here[:1]] == ["6.2"]
    assert here[1:] == there, "the imported events, in the file's order, after the store's own"


def test_import_from_stdin(store_url: str, export_file: Path, planctl: Planctl) -> None:
    result = planctl("store", "import", "-", db=store_url, input=export_file.read_bytes())
    assert (result.code, result.out) == (
        0,
        "已导入:新增 8 条记录,已有 0 条,冲突 0 条\n",
    )


def test_an_event_with_different_content_stops_the_import(
    store_url: str, export_file: Path, planctl: Planctl
) -> None:
    planctl.ok("store", "import", str(export_file), db=store_url)
    before = snapshot(store_url)
    lines = export_file.read_text(encoding="utf-8").splitlines(keepends=True)
    changed = json.loads(lines[2])
    changed["recorded_by"], changed["count"] = "别人", 3
    extra = json.loads(lines[1]) | {"event_id": "brand-new", "task_id": "6.2"}
    edited = export_file.with_name("edited.jsonl")
    edited.write_text(
        '{"planctl_export": 1}\n'
        + lines[1]
        + json.dumps(changed, ensure_ascii=False)
        + "\n"
        + json.dumps(extra, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    result = planctl("store", "import", str(edited), db=store_url)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"{edited}:3: 存储中的记录 {changed['event_id']} 内容不同(不同之处:recorded_by, count)\n"
        "planctl: 未导入任何记录:新增 1 条记录,已有 1 条,冲突 1 条\n"
    )
    assert snapshot(store_url) == before, "nothing imported, not even the new event"


DROP = object()


def _edit(text: str, index: int, **changes: Any) -> str:
    """The export with line `index` (0-based) changed: keys set, or removed if given DROP."""
    lines = text.splitlines()
    value = json.loads(lines[index])
    for key, new in changes.items():
        if new is DROP:
            del value[key]
        else:
            value[key] = new
    lines[index] = json.dumps(value, ensure_ascii=False)
    return "\n".join(lines) + "\n"


def _known_without_counts() -> str:
    return '{"planctl_export": 1}\n' + KNOWN_EXPORT.split("\n", 1)[1]


BAD_FILES: dict[str, tuple[str, str]] = {
    "bad JSON": (
        KNOWN_EXPORT.replace('"task_id": "P10.1",', '"task_id": "P10.1"'),
        "F:3: 不是有效的 JSON:Expecting ',' delimiter(第 82 列)",
    ),
    "missing field": (
        _edit(KNOWN_EXPORT, 1, task_id=DROP),
        "F:2: missing field task_id",
    ),
    "bad action": (
        _edit(KNOWN_EXPORT, 2, action="finished"),
        "F:3: action: Input should be 'done', 'undo', 'note', 'defer', 'progress', 'claim', 'accept', 'reject', 'request', 'approve', 'chase' or 'rename'",
    ),
    "unknown field": (
        _edit(KNOWN_EXPORT, 1, priority=1),
        "F:2: unknown field priority",
    ),
    "time without offset": (
        _edit(KNOWN_EXPORT, 1, recorded_at="2018-06-15T01:02:03"),
        "F:2: recorded_at: Input should have timezone info",
    ),
    "count as text": (
        _edit(KNOWN_EXPORT, 2, count="2"),
        "F:3: count: Input should be a valid integer",
    ),
    "bad date": (
        _edit(KNOWN_EXPORT, 1, work_date="2018-06-31"),
        "F:2: work_date: Input should be a valid date in the format YYYY-MM-DD,"
        " day value is outside expected range",
    ),
    "month 13": (
        _edit(KNOWN_EXPORT, 3, to_month=13),
        "F:4: to_month: Input should be less than or equal to 12",
    ),
    "undo without undoes": (
        _edit(KNOWN_EXPORT, 4, undoes=None),
        "F:5: undo 须有 undoes",
    ),
    "defer without a month": (
        _edit(KNOWN_EXPORT, 3, to_month=None),
        "F:4: defer 须有 to_month or to_date",
    ),
    "count on a note": (
        _edit(KNOWN_EXPORT, 5, count=1),
        "F:6: count 只用于 done, claim 或 chase,不用于 note",
    ),
    "an ID too long for the column": (
        _edit(KNOWN_EXPORT, 5, event_id="x" * 37),
        "F:6: event_id: String should have at most 36 characters",
    ),
    "several problems, one line each": (
        _edit(_edit(KNOWN_EXPORT, 1, task_id=DROP), 2, action="finished"),
        "F:2: missing field task_id\nF:3: action: Input should be 'done', 'undo', 'note', 'defer', 'progress', 'claim', 'accept', 'reject', 'request', 'approve', 'chase' or 'rename'",
    ),
    "two problems on one line": (
        _edit(KNOWN_EXPORT, 1, task_id=DROP, plan_id=7),
        "F:2: plan_id: Input should be a valid string; missing field task_id",
    ),
    "no type": (
        _edit(KNOWN_EXPORT, 1, type=DROP),
        "F:2: 缺少字段 type",
    ),
    "unknown type": (
        _edit(KNOWN_EXPORT, 1, type="task"),
        'F:2: type 须为 "event"、"plan_version" 或 "return",而不是 "task"',
    ),
    "not an object": (
        KNOWN_EXPORT + "[1, 2]\n",
        "F:8: 不是 JSON 对象",
    ),
    "no header": (
        KNOWN_EXPORT.split("\n", 1)[1],
        'F:1: 不是 planctl 导出文件:planctl 导出文件的第一行是 {"planctl_export": 5, ...}',
    ),
    "a newer format": (
        KNOWN_EXPORT.replace('"planctl_export": 3', '"planctl_export": 6'),
        "F:1: 导出格式 6 比本 planctl 能读取的(5)更新,请升级 planctl",
    ),
    "a bad header": (
        KNOWN_EXPORT.replace('"events": 5', '"events": -5'),
        "F:1: events: Input should be greater than or equal to 0",
    ),
    "cut short": (
        KNOWN_EXPORT.rsplit("\n", 3)[0] + "\n",
        "F:1: 文件头写明 5 条记录,文件中有 4 条(被截断了?)\n"
        "F:1: 文件头写明 1 个计划版本,文件中有 0 个(被截断了?)",
    ),
    "the same event twice": (
        _known_without_counts() + KNOWN_EXPORT.splitlines()[1] + "\n",
        "F:8: 记录 e-1 在第 2 行已经出现",
    ),
    "the same plan version twice": (
        _known_without_counts() + KNOWN_EXPORT.splitlines()[6] + "\n",
        "F:8: 同一计划版本在第 7 行已经出现",
    ),
    "an undo of an event in neither file nor store": (
        _known_without_counts().replace('"undoes": "e-3"', '"undoes": "e-99"'),
        "F:5: 撤销的 e-99 既不在文件中,也不在存储中",
    ),
    "a value the CLI refuses": (
        '{"planctl_export": 3}\n' + PROGRESS_LINE.replace('"value": 7.6', '"value": 1e308'),
        "F:2: 记录超出存储的限制:value 1e+308 不在 -10^15 到 10^15 之间",
    ),
    "a NUL in a note": (
        _known_without_counts().replace("等待", "等\\u0000待"),
        "F:4: 记录超出存储的限制:note 含有 NUL 字符",
    ),
    "empty": ("", "F: 空文件,不是 planctl 导出文件"),
    "a SQLite file": (
        "SQLite format 3\x00\x10\x00\x01\x01",
        'F:1: 不是 planctl 导出文件(第一行不是 {"planctl_export": 5, ...})',
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_imports_nothing(
    store_url: str, tmp_path: Path, case: str, planctl: Planctl
) -> None:
    text, expected = BAD_FILES[case]
    path = tmp_path / "bad.jsonl"
    path.write_text(text, encoding="utf-8")
    result = planctl("store", "import", str(path), db=store_url)
    assert (result.code, result.out) == (1, "")
    assert result.err == expected.replace("F:", f"{path}:") + "\n"
    assert snapshot(store_url) in (None, {}), "a refused import does not even create the store"


def test_a_bad_file_changes_an_existing_store_in_no_way(
    store_url: str, tmp_path: Path, planctl: Planctl
) -> None:
    store_known(store_url)
    before = snapshot(store_url)
    path = tmp_path / "bad.jsonl"
    path.write_text(
        _known_without_counts().replace('"e-5"', '"e-6"') + '{"type": "event"}\n',
        encoding="utf-8",
    )
    result = planctl("store", "import", str(path), db=store_url)
    assert result.code == 1
    assert result.err.startswith(f"{path}:8: missing field event_id; missing field plan_id; ")
    assert snapshot(store_url) == before


def test_an_undo_of_an_event_the_store_has(
    store_url: str, tmp_path: Path, planctl: Planctl
) -> None:
    store_known(store_url)
    undo = event("e-7", "6.1", Action.UNDO, undoes="e-1")
    path = tmp_path / "undo.jsonl"
    line = _edit(KNOWN_EXPORT, 4, event_id="e-7", task_id="6.1", undoes="e-1").splitlines()[4]
    path.write_text('{"planctl_export": 1}\n' + line + "\n", encoding="utf-8")
    assert (
        planctl.ok("store", "import", str(path), db=store_url)
        == "已导入:新增 1 条记录,已有 0 条,冲突 0 条\n"
    )
    assert events_in(store_url)[-1] == undo


def test_problems_past_twenty_are_counted(store_url: str, tmp_path: Path, planctl: Planctl) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"planctl_export": 1}\n' + "{}\n" * 25, encoding="utf-8")
    result = planctl("store", "import", str(path), db=store_url)
    lines = result.err.splitlines()
    assert lines[0] == f"{path}:2: 缺少字段 type"
    assert lines[19] == f"{path}:21: 缺少字段 type"
    assert lines[20:] == ["……另有 5 个问题"]  # in the language of the plan in plans/


def test_a_file_that_cannot_be_read(store_url: str, tmp_path: Path, planctl: Planctl) -> None:
    path = tmp_path / "missing.jsonl"
    result = planctl("store", "import", str(path), db=store_url)
    assert (result.code, result.err) == (
        1,
        f"planctl: 无法读取 {path}:No such file or directory\n",
    )


def test_a_file_that_is_not_utf8(store_url: str, tmp_path: Path, planctl: Planctl) -> None:
    path = tmp_path / "gbk.jsonl"
    path.write_bytes(KNOWN_EXPORT.encode("gb18030"))
    result = planctl("store", "import", str(path), db=store_url)
    assert result.err.splitlines()[:1] == [f"{path}:2: 不是 UTF-8(第 142 个字节)"]
    assert snapshot(store_url) in (None, {})


def test_a_byte_order_mark_and_crlf_are_accepted(
    store_url: str, tmp_path: Path, planctl: Planctl
) -> None:
    path = tmp_path / "windows.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + KNOWN_EXPORT.replace("\n", "\r\n").encode("utf-8"))
    assert (
        planctl.ok("store", "import", str(path), db=store_url)
        == "已导入:新增 5 条记录,已有 0 条,冲突 0 条\n"
    )


def test_times_with_another_offset_are_kept_as_the_same_instant(
    store_url: str, tmp_path: Path, planctl: Planctl
) -> None:
    path = tmp_path / "beijing.jsonl"
    path.write_text(
        _known_without_counts().replace(
            "2018-06-15T01:02:03.456789+00:00", "2018-06-15T09:02:03.456789+08:00"
        ),
        encoding="utf-8",
    )
    planctl.ok("store", "import", str(path), db=store_url)
    assert planctl.ok("store", "export", db=store_url) == KNOWN_EXPORT


def test_import_into_a_store_from_a_newer_planctl(
    store_url: str, export_file: Path, planctl: Planctl
) -> None:
    Store.open_for_writing(StoreLocation.parse(store_url)).close()
    _set_revision(store_url, "9999")
    before = snapshot(store_url)
    result = planctl("store", "import", str(export_file), db=store_url)
    shown = StoreLocation.parse(store_url).display()
    assert (result.code, result.err) == (
        1,
        f"planctl: 存储 {shown} 由更新版本的 planctl 建立(结构版本 9999),请升级 planctl\n",
    )
    assert snapshot(store_url) == before


def _set_revision(db: str, revision: str) -> None:
    engine = sa.create_engine(StoreLocation.parse(db).url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    engine.dispose()


# Moving an office: SQLite to PostgreSQL and back, every event kept.


@pytest.mark.parametrize("direction", ["sqlite-to-postgresql", "postgresql-to-sqlite"])
def test_moving_a_store_keeps_every_event(
    direction: str, postgres_url: str, tmp_path: Path, planctl: Planctl
) -> None:
    sqlite_db = str(tmp_path / "office.sqlite3")
    old, new = (sqlite_db, postgres_url)
    if direction == "postgresql-to-sqlite":
        old, new = new, old
    record_every_action(planctl, old)
    moved = tmp_path / "events.jsonl"
    planctl.ok("store", "export", str(moved), db=old)
    assert (
        planctl.ok("store", "import", str(moved), db=new)
        == "已导入:新增 8 条记录,已有 0 条,冲突 0 条\n"
    )
    assert planctl.ok("store", "export", db=new) == moved.read_text(encoding="utf-8")
    assert views(planctl, new) == views(planctl, old)
    back = str(tmp_path / "back.sqlite3")
    planctl.ok("store", "import", str(moved), db=back)
    assert planctl.ok("store", "export", db=back) == moved.read_text(encoding="utf-8")
    assert (
        planctl.ok("store", "import", str(moved), db=new)
        == "已导入:新增 0 条记录,已有 8 条,冲突 0 条\n"
    )


# Info.


def test_info_on_a_new_store(store_url: str, planctl: Planctl) -> None:
    shown = StoreLocation.parse(store_url).display()
    assert planctl.ok("store", "info", db=store_url) == (
        f"存储 {shown}\n\n结构尚未建立\n\n按计划统计的记录\n无记录\n\n0 个计划共0 条记录\n"
    )
    assert snapshot(store_url) in (None, {}), "info does not create the store"


def test_info_with_progress(store_url: str, planctl: Planctl) -> None:
    record_every_action(planctl, store_url)
    shown = StoreLocation.parse(store_url).display()
    assert planctl.ok("store", "info", db=store_url) == (
        f"存储 {shown}\n\n"
        f"结构版本 {SCHEMA_REVISION}(最新)\n\n"
        "按计划统计的记录\n"
        "计划        记录数\n"
        "----------  ------\n"
        "cppcc-2018  7\n"
        "mini        1\n\n"
        "2 个计划共8 条记录\n"
    )
    assert json.loads(planctl.ok("store", "info", "--format", "json", db=store_url)) == {
        "store": shown,
        "schema": SCHEMA_REVISION,
        "schema_status": "current",
        "events": 8,
        "plans": [{"id": "cppcc-2018", "events": 7}, {"id": "mini", "events": 1}],
    }


def test_info_never_shows_the_password(postgres_url: str, planctl: Planctl) -> None:
    out = planctl.ok("store", "info", db=postgres_url)
    password = sa.make_url(postgres_url).password
    assert password and password not in out
    shown = postgres_url.replace(f":{password}@", ":********@")
    assert out.startswith(f"存储 {shown}\n")


@pytest.mark.parametrize(
    ("revision", "says"),
    [
        ("0001", "结构版本 0001(较旧:执行 `planctl done` 等记录命令即可升级)"),
        ("9999", "结构版本 9999(比本版 planctl 新:请升级 planctl)"),
    ],
)
def test_info_on_a_store_of_another_planctl(
    store_url: str, revision: str, says: str, planctl: Planctl
) -> None:
    planctl.ok("done", "6.1", db=store_url)
    _set_revision(store_url, revision)
    before = snapshot(store_url)
    assert planctl.ok("store", "info", db=store_url).splitlines()[2] == says
    assert snapshot(store_url) == before


# Merging the exports of two offices.


def _export_of(path: Path, events: list[Event]) -> Path:
    from planctl.store.rows import event_record

    lines = [json.dumps({"planctl_export": 3, "events": len(events), "plan_versions": 0})]
    lines += [json.dumps(event_record(e), ensure_ascii=False) for e in events]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _at(day: int, hour: int) -> datetime:
    return datetime(2018, 6, day, hour, tzinfo=UTC)


SHARED = event("s-1", "5.1", Action.NOTE, note="两处都有")
OFFICE_A = [
    SHARED,
    replace_event("a-1", "6.1", Action.DONE, day=12, at=_at(12, 8), by="甲"),
    replace_event("a-2", "6.1", Action.NOTE, day=12, at=_at(12, 9), note="甲的说明"),
    replace_event("a-3", "7.1", Action.DEFER, day=1, at=_at(1, 9), note="甲", to_month=9),
]
OFFICE_B = [
    SHARED,
    OFFICE_A[3],  # office B imported A's deferral before it undid it
    replace_event("b-1", "6.1", Action.DONE, day=8, at=_at(14, 8), by="乙"),
    replace_event("b-2", "6.1", Action.NOTE, day=8, at=_at(14, 9), note="乙的说明"),
    replace_event("b-3", "7.1", Action.DEFER, day=5, at=_at(14, 10), note="乙", to_month=8),
    replace_event("b-4", "7.1", Action.UNDO, day=5, at=_at(14, 11), undoes="a-3"),
]


def test_two_offices_merged_in_either_order_give_the_same_store(
    store_url: str, tmp_path: Path, planctl: Planctl
) -> None:
    """The same task done on different days in two offices: whichever export is imported
    first, the store exports the same bytes and every view reads the same."""
    a = _export_of(tmp_path / "a.jsonl", OFFICE_A)
    b = _export_of(tmp_path / "b.jsonl", OFFICE_B)
    other = str(tmp_path / "other.sqlite3")
    ab = [planctl.ok("store", "import", str(f), db=store_url) for f in (a, b)]
    ba = [planctl.ok("store", "import", str(f), db=other) for f in (b, a)]
    assert ab == [
        "已导入:新增 4 条记录,已有 0 条,冲突 0 条\n",
        "已导入:新增 4 条记录,已有 2 条,冲突 0 条\n",
    ]
    assert ba == [
        "已导入:新增 6 条记录,已有 0 条,冲突 0 条\n",
        "已导入:新增 2 条记录,已有 2 条,冲突 0 条\n",
    ]
    exported = planctl.ok("store", "export", db=store_url)
    assert exported == planctl.ok("store", "export", db=other)
    # In the order recorded (recorded time, then event ID), whatever order they came in.
    order = [json.loads(line)["event_id"] for line in exported.splitlines()[1:]]
    assert order == ["a-3", "a-1", "a-2", "b-1", "b-2", "b-3", "b-4", "s-1"]
    for args in (["show", "6.1"], ["show", "7.1"], ["list"], ["report"], ["assess"]):
        assert planctl.json(*args, db=store_url) == planctl.json(*args, db=other), args
    shown = planctl.json("show", "6.1", db=store_url)["task"]
    # Both completions stay; the latest recorded is the one shown, and so is its note.
    assert (shown["done_on"], shown["done_by"], shown["note"]) == ("2018-06-08", "乙", "乙的说明")
    assert planctl.json("show", "7.1", db=store_url)["task"]["deferral"] == {
        "to": 8,
        "due": "2018-08-31",
        "reason": "乙",
        "on": "2018-06-05",
        "by": "李明",
    }, "A's deferral undone by B, B's own in force"


def test_an_undo_may_come_before_the_event_it_undoes_in_the_file(
    store_url: str, tmp_path: Path, planctl: Planctl
) -> None:
    """Events are facts in any order: an undo recorded on a machine with a slow clock
    sorts before its event, and imports all the same."""
    undone = replace_event("x-2", "6.1", Action.DONE, day=12, at=_at(12, 8))
    undo = replace_event("x-1", "6.1", Action.UNDO, day=12, at=_at(12, 7), undoes="x-2")
    path = _export_of(tmp_path / "x.jsonl", [undo, undone])
    out = planctl.ok("store", "import", str(path), db=store_url)
    assert out == "已导入:新增 2 条记录,已有 0 条,冲突 0 条\n"
    assert planctl.json("show", "6.1", db=store_url)["task"]["status"] != "done"


def test_conflicts_are_listed_and_counted_and_nothing_is_imported(
    store_url: str, tmp_path: Path, planctl: Planctl
) -> None:
    a = _export_of(tmp_path / "a.jsonl", OFFICE_A)
    planctl.ok("store", "import", str(a), db=store_url)
    before = snapshot(store_url)
    changed = [dataclasses.replace(OFFICE_A[1], recorded_by="丙"), *OFFICE_B[1:]]
    changed.append(dataclasses.replace(OFFICE_A[2], note="改过"))
    b = _export_of(tmp_path / "b.jsonl", changed)
    result = planctl("store", "import", str(b), db=store_url)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"{b}:2: 存储中的记录 a-1 内容不同(不同之处:recorded_by)\n"
        f"{b}:8: 存储中的记录 a-2 内容不同(不同之处:note)\n"
        "planctl: 未导入任何记录:新增 4 条记录,已有 1 条,冲突 2 条\n"
    )
    assert snapshot(store_url) == before


# A large plan: its plan-version line is over the 1 MiB of any other line.


def large_version(tasks: int) -> PlanVersion:
    """A plan version of `tasks` tasks with titles as long as a real plan's (some 80 bytes a
    task in the export: 15,000 tasks make a line of about 1.3 MiB)."""
    titles = {
        f"{number // 100 + 1}.{number % 100 + 1}": [
            f"养老保险扩面情况的调研与督办落实第{number}项",
            6,
        ]
        for number in range(tasks)
    }
    return PlanVersion("d" * 64, AT, titles)


def test_a_store_with_a_large_plan_moves_whole(tmp_path: Path, planctl: Planctl) -> None:
    old, new = str(tmp_path / "old.sqlite3"), str(tmp_path / "new.sqlite3")
    with Store.open_for_writing(StoreLocation.parse(old)) as store, store.transaction() as tx:
        tx.append([event("e-1", "1.1", Action.DONE)])
        tx.append_plan_versions([("cppcc-2018", large_version(15_000))])
    moved = tmp_path / "events.jsonl"
    planctl.ok("store", "export", str(moved), db=old)
    assert len(moved.read_bytes().splitlines()[-1]) > 1024 * 1024
    out = planctl.ok("store", "import", str(moved), db=new)
    assert out == "已导入:新增 1 条记录,已有 0 条,冲突 0 条\n"
    assert planctl.ok("store", "export", db=new) == moved.read_text(encoding="utf-8")


# A large export: checked whole first, then read again and appended in batches (issue 24.6).


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Imports append 3 events at a time; the sizes of the appends, in order."""
    from planctl.store import store, transfer

    appended: list[int] = []
    append = store.Transaction.append

    def counted(self: store.Transaction, new_events: Any) -> None:
        if new_events:
            appended.append(len(new_events))
        append(self, new_events)

    monkeypatch.setattr(transfer, "BATCH", 3)
    monkeypatch.setattr(store.Transaction, "append", counted)
    return appended


def test_import_appends_a_large_export_in_batches(
    store_url: str, export_file: Path, planctl: Planctl, small_batches: list[int]
) -> None:
    out = planctl.ok("store", "import", str(export_file), db=store_url)
    assert out == "已导入:新增 8 条记录,已有 0 条,冲突 0 条\n"
    assert small_batches == [3, 3, 2]
    assert planctl.ok("store", "export", db=store_url) == export_file.read_text(encoding="utf-8")
    from_stdin = planctl("store", "import", "-", db=store_url, input=export_file.read_bytes())
    assert (from_stdin.code, from_stdin.out) == (
        0, "已导入:新增 0 条记录,已有 8 条,冲突 0 条\n"
    )  # fmt: skip


def test_a_conflict_after_the_first_batches_imports_nothing(
    store_url: str, export_file: Path, planctl: Planctl, small_batches: list[int]
) -> None:
    """The first batches are written before the last one's conflict is found: all of it is
    rolled back, and the count line counts the whole file."""
    lines = export_file.read_text(encoding="utf-8").splitlines(keepends=True)
    last = json.loads(lines[8])
    first_only = export_file.with_name("last.jsonl")
    first_only.write_text('{"planctl_export": 1}\n' + lines[8], encoding="utf-8")
    planctl.ok("store", "import", str(first_only), db=store_url)
    before = snapshot(store_url)
    changed = dict(last, recorded_by="别人")
    edited = export_file.with_name("edited.jsonl")
    edited.write_text(
        "".join(lines[:8]) + json.dumps(changed, ensure_ascii=False) + "\n" + "".join(lines[9:]),
        encoding="utf-8",
    )
    result = planctl("store", "import", str(edited), db=store_url)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"{edited}:9: 存储中的记录 {last['event_id']} 内容不同(不同之处:recorded_by)\n"
        "planctl: 未导入任何记录:新增 7 条记录,已有 0 条,冲突 1 条\n"
    )
    assert small_batches == [1, 3, 3], "written, then rolled back"
    assert snapshot(store_url) == before
