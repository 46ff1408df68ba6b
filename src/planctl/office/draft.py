"""A breakdown table (rows of cells) read into a draft plan: the plan's data, and for each
task what a person should look at before adopting it.

Pure: the rows come from `planctl.office.readers`; the draft is written as YAML by
`planctl.office.yaml_text`. Every choice made for the user is said in a remark on the task
or at the top of the file, so nothing is guessed silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from planctl.errors import PlanctlError
from planctl.office.deadlines import Unread, chinese_number, read_deadline
from planctl.office.table import Columns, Row, is_known_name, recognise, squeezed
from planctl.office.units import split_units
from planctl.plan.model import TASK_ID_PATTERN

TASK_ID = re.compile(TASK_ID_PATTERN)
YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|2\d)\d{2})(?!\d)")
SECTION_MARK = re.compile(r"^\s*(?:第)?([一二三四五六七八九十]{1,3})(?:[、.．]|部分|\s)\s*")
"""A section heading's number: 一、 二、 第三部分 ..."""
BRACKETED_MARK = re.compile(r"^\s*[(（]([一二三四五六七八九十]{1,3})[)）]\s*")
ENUMERATED = re.compile(
    r"(?:^|[\n；;。])\s*(?:[(（]?\d{1,2}[)）.、．]|[(（][一二三四五六七八九十]{1,2}[)）])"
)
"""The start of an item in a cell that lists several tasks: 1. 2、 (3) （一）..."""
CJK = re.compile(r"[\u4e00-\u9fff]")


class NotATable(PlanctlError):
    """The file is not a breakdown table planctl can read."""


@dataclass
class Entry:
    """A mapping of the draft (a task, a section) and the comments written above it."""

    data: dict[str, Any]
    remarks: list[str] = field(default_factory=list)


@dataclass
class Draft:
    """A draft plan: its top-level keys, sections and tasks, with comments."""

    top: dict[str, Any]
    notes: list[str]
    sections: list[Entry]
    tasks: list[Entry]

    @property
    def needing_a_look(self) -> int:
        return sum(1 for task in self.tasks if task.remarks)


def draft_from_rows(
    rows: Sequence[Row],
    *,
    name: str,
    today_year: int,
    year: int | None = None,
    plan_id: str | None = None,
    title: str | None = None,
    overrides: Mapping[str, str] | None = None,
) -> Draft:
    """The draft plan a table gives. `name` is the file's name (for the year and the ID when
    nothing else gives them); `overrides` maps squeezed headers to keys (`--column`)."""
    overrides = dict(overrides or {})
    found = _header(rows, overrides)
    if found is None:
        raise NotATable(
            f"{name}: no column of tasks: no header names the tasks (重点工作, 工作任务, 任务,"
            " Action ...); name it with --column HEADER=title"
        )
    at, columns = found
    heading = _title_row(rows[:at])
    plan_year = year or _year_in(heading) or _year_in(_stem(name)) or today_year
    reader = _TableReader(columns, plan_year, rows[at])
    for row in rows[at + 1 :]:
        reader.read(row)
    reader.number_tasks()
    language = "zh" if CJK.search(" ".join([*columns.headers, heading or ""])) else "en"
    top: dict[str, Any] = {
        "id": plan_id or _plan_id(name, plan_year),
        "year": plan_year,
        "title": title or heading or _stem(name),
        "language": language,
    }
    pairs = zip(columns.headers, columns.keys, strict=True)
    mapping = ", ".join(f"{_one_line(header)} -> {key}" for header, key in pairs if key is not None)
    notes = [f"columns: {mapping}", *reader.notes]
    return Draft(top, notes, reader.sections, reader.tasks)


def _header(rows: Sequence[Row], overrides: Mapping[str, str]) -> tuple[int, Columns] | None:
    for at, row in enumerate(rows):
        distinct = row.distinct()
        if not distinct:
            continue
        named = any(squeezed(text) in overrides for text in distinct)
        if len(distinct) < 2 and not named and not is_known_name(distinct[0]):
            continue
        columns = recognise(row.texts, overrides)
        if "title" in columns.keys:
            return at, columns
    return None


def _title_row(rows: Sequence[Row]) -> str | None:
    """The nearest row above the header with one filled cell (a merged one counts once)."""
    for row in reversed(rows):
        distinct = row.distinct()
        if len(distinct) == 1 and _one_line(distinct[0]):
            return _one_line(distinct[0])
    return None


def _year_in(text: str | None) -> int | None:
    match = YEAR_IN_TEXT.search(text or "")
    return int(match.group(1)) if match else None


def _stem(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base else base


def _plan_id(name: str, year: int) -> str:
    """An ASCII ID from the file's name, with the year: 分解表.xlsx -> plan-2018."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", unicodedata.normalize("NFKC", _stem(name)))
    slug = slug.strip("-._").lower()
    if not re.search("[a-z]", slug):
        slug = "plan"
    if str(year) not in slug:
        slug = f"{slug[: 32 - 5]}-{year}"
    slug = slug[:32].rstrip("-._")
    return slug if TASK_ID.match(slug) else f"plan-{year}"


def _section_number(text: str) -> tuple[int | None, str]:
    for pattern in (SECTION_MARK, BRACKETED_MARK):
        match = pattern.match(text)
        if match:
            return chinese_number(match.group(1)), text[match.end() :].strip()
    return None, text.strip()


class _TableReader:
    """Reads the rows below the header one by one into sections and tasks."""

    def __init__(self, columns: Columns, year: int, header: Row) -> None:
        self.columns = columns
        self.year = year
        self.header = [squeezed(text) for text in header.texts]
        self.title_at = columns.index("title")
        self.sections: list[Entry] = []
        self.tasks: list[Entry] = []
        self.notes: list[str] = []
        self._point: int | None = None
        self._ids: list[tuple[str | None, int]] = []  # (ID from 序号, row number) per task

    def read(self, row: Row) -> None:
        if [squeezed(text) for text in row.texts] == self.header:
            return  # the header again (a table continued on the next page)
        distinct = row.distinct()
        if not distinct:
            return
        if self._is_section(row, distinct):
            self._section(distinct[0], row.number)
            return
        assert self.title_at is not None
        cell = row.cells[self.title_at] if self.title_at < len(row.cells) else None
        if cell is None or not _clean(cell.text).strip():
            self.notes.append(f"row {row.number} names no task: left out")
            return
        if cell.carried and self.tasks:
            self._continue(self.tasks[-1], row)
            return
        self._task(row)

    def _is_section(self, row: Row, distinct: list[str]) -> bool:
        if len(distinct) != 1 or any(cell.carried and cell.text.strip() for cell in row.cells):
            return False
        filled = [at for at, cell in enumerate(row.cells) if cell.text.strip()]
        spans = len(filled) > 1
        outside_title = filled != [self.title_at]
        numbered = _section_number(distinct[0])[0] is not None
        return spans or outside_title or numbered

    def _section(self, text: str, row_number: int) -> None:
        number, title = _section_number(" ".join(text.split()))
        used = {entry.data["number"] for entry in self.sections}
        if number is None or number in used:
            number = max(used, default=0) + 1
        self._point = number
        point = {"number": number, "title": title or text.strip()}
        self.sections.append(
            Entry(
                {"number": number, "title": title or text.strip(), "points": [point]},
                [f"row {row_number}: the section's one work point stands for its tasks"],
            )
        )

    def _text(self, row: Row, at: int) -> str:
        """A cell's text as a plan can hold it (see `_clean`)."""
        return _clean(row.cells[at].text) if at < len(row.cells) else ""

    def _task(self, row: Row) -> None:
        assert self.title_at is not None
        columns = self.columns
        remarks: list[str] = []
        if row.hidden:
            remarks.append("the row is hidden in the sheet: keep the task or leave it out")
        source: list[str] = []
        text = self._text(row, self.title_at)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        items = max(len(lines), len(ENUMERATED.findall(text)))
        if items > 1:
            remarks.append(
                f"the cell lists {items} tasks; it stays one task (its text is the source):"
                " split it if they are done apart"
            )
            source.append(text)
        data: dict[str, Any] = {"id": "", "title": " ".join(" ".join(lines).split())}
        time_at = columns.index("time")
        time_text = self._text(row, time_at) if time_at is not None else ""
        window = read_deadline(time_text, self.year)
        if isinstance(window, Unread):
            header = _one_line(columns.headers[time_at or 0])
            source.append(f"{header}: {time_text}")
            remarks.append(
                f"the time {time_text!r} {window.reason}; year-round until you set its window"
            )
            window = {"year_round": True}
        data.update(window)
        for key in ("lead", "support"):
            names = [name for at in columns.all(key) for name in split_units(self._text(row, at))]
            if key == "support":
                names = [name for name in names if name not in data.get("lead", [])]
            if names:
                data[key] = list(dict.fromkeys(names))
        leaders = [
            name for at in columns.all("leader") for name in split_units(self._text(row, at))
        ]
        if leaders:
            data["leader"] = leaders
        if self._point is not None:
            data["points"] = [self._point]
        kind_at = columns.index("kind")
        if kind_at is not None and self._text(row, kind_at):
            data["kind"] = " ".join(self._text(row, kind_at).split())
        for at in columns.all("source"):
            value = self._text(row, at)
            if value:
                source.append(f"{_one_line(columns.headers[at])}: {value}")
        if source:
            data["source"] = "\n".join(source)
        id_at = columns.index("id")
        given = _task_id(self._text(row, id_at)) if id_at is not None else None
        self._ids.append((given, row.number))
        self.tasks.append(Entry(data, [f"check (row {row.number}): {text}" for text in remarks]))

    def _continue(self, task: Entry, row: Row) -> None:
        """A row under a task cell merged over several rows: its units join the task's."""
        for key in ("lead", "support", "leader"):
            extra = [
                name for at in self.columns.all(key) for name in split_units(self._text(row, at))
            ]
            if extra:
                task.data[key] = list(dict.fromkeys([*task.data.get(key, []), *extra]))
        if "support" in task.data:  # a unit both leads and supports: it leads
            support = [
                name for name in task.data["support"] if name not in task.data.get("lead", [])
            ]
            if support:
                task.data["support"] = support
            else:
                del task.data["support"]

    def number_tasks(self) -> None:
        """IDs from 序号 (a number shared by merged rows gets -1, -2 ...), else the row
        number; a clash or an ID a plan cannot hold gets R and the row number."""
        counts = Counter(given for given, _ in self._ids if given is not None)
        seen: Counter[str] = Counter()
        taken: set[str] = set()
        for entry, (given, number) in zip(self.tasks, self._ids, strict=True):
            if given is not None and counts[given] > 1:
                seen[given] += 1
                candidate = f"{given}-{seen[given]}"
            else:
                candidate = given or str(number)
            if candidate.casefold() in taken or not TASK_ID.match(candidate):
                candidate = f"R{number}"
                while candidate.casefold() in taken:
                    candidate += "x"
            taken.add(candidate.casefold())
            entry.data["id"] = candidate


def _task_id(text: str) -> str | None:
    """A task ID from a 序号 cell: "1", "1.2", "一" -> "1"; None when there is none."""
    value = unicodedata.normalize("NFKC", text).strip().strip("()（）").rstrip("、.．").strip()
    if value and all(character in "一二三四五六七八九十" for character in value):
        value = str(chinese_number(value))
    return value if value and TASK_ID.match(value) else None


def _one_line(text: str) -> str:
    return " ".join(_clean(text).split())


def _clean(text: str) -> str:
    """Cell text a plan can hold: line breaks as \\n, other control characters as spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("_x000D_", "")
    return "".join(
        " " if (unicodedata.category(ch) == "Cc" and ch not in "\n\t") or ch in "\u2028\u2029"
        else ch
        for ch in text
    ).strip()  # fmt: skip
