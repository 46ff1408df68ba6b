"""A breakdown table's rows read one by one into the draft's sections and tasks (`Entry`): the
header row's columns, section headings, task IDs, units and leaders, each with the remarks a
person should read.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from planctl.i18n import _
from planctl.office.deadlines import chinese_number
from planctl.office.rowtime import row_time
from planctl.office.table import Columns, Row, squeezed
from planctl.office.units import split_leaders, split_units
from planctl.plan.types import TASK_ID_PATTERN

TASK_ID = re.compile(TASK_ID_PATTERN)
SECTION_MARK = re.compile(r"^\s*(?:第)?([一二三四五六七八九十]{1,3})(?:[、.．]|部分|\s)\s*")
"""A section heading's number: 一、 二、 第三部分 ..."""
BRACKETED_MARK = re.compile(r"^\s*[(（]([一二三四五六七八九十]{1,3})[)）]\s*")
UNITS_HEADER = re.compile(
    r"单位|部门|科室|处室|界别|牵头|配合|协办|承办|主办|督办|owner|lead|department|directorate|team"
)
"""A header that names units: its column is a lead or support column planctl did not know."""
ONLY_A_NUMBER = re.compile(r"^[\d\s.、．()（）]+$")
GOAL = re.compile(r"目标|要求|指标|target")
"""A column whose text may name the task's times (目标要求, 年度目标)."""


@dataclass
class Entry:
    """A mapping of the draft (a task, a section) and the comments written above it."""

    data: dict[str, Any]
    remarks: list[str] = field(default_factory=list)


def _section_number(text: str) -> tuple[int | None, str]:
    for pattern in (SECTION_MARK, BRACKETED_MARK):
        match = pattern.match(text)
        if match:
            try:
                return chinese_number(match.group(1)), text[match.end() :].strip()
            except ValueError:  # 十十: not a number, so not a numbered heading
                break
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
        self._ids: list[tuple[str | None, int]] = []  # (ID from 序号, position) per task
        self._day_first_said = False
        self.unread = 0  # tasks whose time was there but not read
        self.blank = 0  # tasks year-round only because nothing named a time

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
            self.notes.append(_("row {number} names no task: left out").format(number=row.number))
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
                [
                    _("row {number}: the section's one work point stands for its tasks").format(
                        number=row_number
                    )
                ],
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
        time_at = columns.index("time")
        time_text = self._text(row, time_at) if time_at is not None else ""
        goals = [
            self._text(row, at)
            for at in columns.all("source")
            if GOAL.search(squeezed(columns.headers[at]))
        ]
        found = row_time(
            text, time_text, _one_line(columns.headers[time_at or 0]), goals, self.year
        )
        remarks += found.remarks
        source += found.source
        self.unread += found.unread
        self.blank += found.blank
        if found.day_first and not self._day_first_said:
            self._day_first_said = True
            self.notes.append(
                _(
                    "dates such as 8/11/2023 are read day first, as British tables write them"
                    " (8 November 2023)"
                )
            )
        data: dict[str, Any] = {"id": "", "title": found.title, **found.window}
        if found.steps:
            data["steps"] = found.steps
        for key in ("lead", "support"):
            names = [name for at in columns.all(key) for name in split_units(self._text(row, at))]
            if key == "support":
                names = [name for name in names if name not in data.get("lead", [])]
            if names:
                data[key] = list(dict.fromkeys(names))
        leaders: list[str] = []
        for at in columns.all("leader"):
            named = split_leaders(self._text(row, at))
            leaders += [name for name, _ in named]
            if any(post is not None for _, post in named):  # the job title kept in source
                source.append(f"{_one_line(columns.headers[at])}: {_one_line(self._text(row, at))}")
        if leaders:
            data["leader"] = list(dict.fromkeys(leaders))
        if self._point is not None:
            data["points"] = [self._point]
        kind_at = columns.index("kind")
        if kind_at is not None and self._text(row, kind_at):
            data["kind"] = " ".join(self._text(row, kind_at).split())
        for at in columns.all("source"):
            value = self._text(row, at)
            if value:
                source.append(f"{_one_line(columns.headers[at])}: {value}")
        for at in columns.all("source"):
            header = _one_line(columns.headers[at])
            if self._text(row, at) and UNITS_HEADER.search(squeezed(header)):
                remarks.append(
                    _(
                        "the column {header} names units but is read into source: name it with"
                        " --column '{header}=lead' (or =support)"
                    ).format(header=header)
                )
        if ONLY_A_NUMBER.match(data["title"]):
            remarks.append(
                _(
                    "the title is only a number: is the task's text in another column?"
                    " (--column HEADER=title)"
                )
            )
        if source:
            data["source"] = "\n".join(source)
        id_at = columns.index("id")
        given = _task_id(self._text(row, id_at)) if id_at is not None else None
        self._ids.append((given, len(self._ids) + 1))
        if "steps" in data:
            data["steps"] = data.pop("steps")  # last, as a plan file writes them
        check = _("check (row {number}): {remark}")
        remarks = [check.format(number=row.number, remark=text) for text in remarks]
        self.tasks.append(Entry(data, remarks))

    def _continue(self, task: Entry, row: Row) -> None:
        """A row under a task cell merged over several rows: its units join the task's."""
        for key in ("lead", "support", "leader"):
            split = split_units if key != "leader" else _leader_names
            extra = [name for at in self.columns.all(key) for name in split(self._text(row, at))]
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
        """IDs from 序号 (a number shared by merged rows gets -1, -2 ...), else the task's
        position among the task rows (the same in the .xlsx and the .docx of a table); a clash
        or an ID a plan cannot hold gets R and that position."""
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
            for at, step in enumerate(entry.data.get("steps", []), start=1):
                step_id = f"{candidate}.{at}"
                while step_id.casefold() in taken or not TASK_ID.match(step_id):
                    step_id = f"R{number}.{at}" + "x" * (step_id.count("x") + 1)
                taken.add(step_id.casefold())
                step["id"] = step_id


def _task_id(text: str) -> str | None:
    """A task ID from a 序号 cell: "1", "1.2", "一" -> "1"; None when there is none."""
    value = unicodedata.normalize("NFKC", text).strip().strip("()（）").rstrip("、.．").strip()
    if value and all(character in "一二三四五六七八九十" for character in value):
        try:
            value = str(chinese_number(value))
        except ValueError:
            return None
    return value if value and TASK_ID.match(value) else None


def _leader_names(text: str) -> list[str]:
    return [name for name, _ in split_leaders(text)]


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
