"""A table as rows of cells, and its columns recognised by their headers.

A header is compared after removing white space (and, for English, case); the longest known
name it contains decides the column ("牵头责任单位" holds 责任单位 and 牵头责任单位: lead).
Latin names match whole words only, so "id" is not found in "provider".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from planctl import frozen

KEYS = ("id", "title", "time", "lead", "support", "units", "leader", "kind", "source", "ignore")
"""What a column can hold. `units` (责任单位) is support beside a lead column, else lead;
`source` columns go into the task's source as `header: text`; `ignore` drops a column."""
OPTION_KEYS = tuple(key for key in KEYS if key != "units")
"""The keys `--column HEADER=KEY` takes."""

KNOWN: dict[str, tuple[str, ...]] = {
    "id": ("序号", "编号", "no", "no.", "#", "ref", "id", "item", "number"),
    "title": (
        "重点工作", "工作任务", "工作内容", "任务", "重点任务", "主要任务", "具体任务",
        "工作事项", "事项", "工作措施", "具体措施", "任务内容", "主要工作", "工作要点",
        "action", "actions", "task", "tasks", "activity", "activities", "objective",
        "协商议题", "议题", "调研课题", "课题", "协商内容",
    ),
    "time": (
        "月份", "时间", "完成时限", "时间节点", "完成时间", "时限", "时间安排", "进度安排",
        "完成期限", "target date", "due date", "deadline", "timescale", "timescales",
        "timeframe", "date", "due", "by when", "when", "month",
        "时间进度", "进度要求", "时间要求",
    ),
    "lead": (
        "牵头单位", "牵头责任单位", "牵头部门", "牵头科室", "主责单位", "lead",
        "lead organisation", "lead organization", "lead department", "owner",
        "牵头界别组", "牵头界别", "牵头处室", "主办单位",
    ),
    "support": (
        "配合单位", "协同单位", "协同责任单位", "配合部门", "协办单位", "参与单位", "配合科室",
        "support", "supporting", "supported by", "partners", "partner",
        "参与部门", "协商部门", "配合处室", "参加单位", "参与界别",
    ),
    "units": ("责任单位", "责任部门", "承办单位", "责任科室", "责任处室", "承办处室"),
    "leader": (
        "责任领导", "牵头领导", "牵头负责领导", "分管领导", "责任人", "负责人", "联系领导",
        "responsible", "lead officer", "responsible officer", "leader",
    ),
    "source": (
        "备注", "说明", "notes", "note", "remarks", "comments", "rag", "status", "progress",
        "update",
    ),
}  # fmt: skip


@frozen(slots=False)
class Cell:
    """One cell's text; `carried` when it continues a cell merged from the row above."""

    text: str
    carried: bool = False


@frozen(slots=False)
class Row:
    """A row of a table, numbered as the file numbers it (a sheet's row; a Word table's row,
    0 for the paragraph above the table); `hidden` when the sheet hides it."""

    number: int
    cells: tuple[Cell, ...]
    hidden: bool = False

    @property
    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells]

    def distinct(self) -> list[str]:
        """The different non-empty texts of the row, in order (a merged cell counts once)."""
        seen: list[str] = []
        for cell in self.cells:
            text = cell.text.strip()
            if text and text not in seen:
                seen.append(text)
        return seen


def squeezed(text: str) -> str:
    """A header as compared: NFKC, no white space, lower case."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def _latin(name: str) -> bool:
    return name.isascii()


def header_key(header: str) -> str | None:
    """The key of a column from its header: the longest known name it contains."""
    plain = squeezed(header)
    spaced = " ".join(unicodedata.normalize("NFKC", header).casefold().split())
    best: tuple[int, str] | None = None
    for key, names in KNOWN.items():
        for name in names:
            if _latin(name):
                found = re.search(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", spaced)
            else:
                found = re.search(re.escape(name), plain)
            if found and (best is None or len(name) > best[0]):
                best = (len(name), key)
    return None if best is None else best[1]


def is_known_name(header: str) -> bool:
    """Whether a header is exactly one of the known names (a one-column header row)."""
    plain = squeezed(header)
    return any(plain == squeezed(name) for names in KNOWN.values() for name in names)


@frozen(slots=False)
class Columns:
    """What each column of the header holds; `None` for a column with an empty header."""

    headers: tuple[str, ...]
    keys: tuple[str | None, ...]

    def index(self, key: str) -> int | None:
        return self.keys.index(key) if key in self.keys else None

    def all(self, key: str) -> list[int]:
        return [at for at, held in enumerate(self.keys) if held == key]


def recognise(headers: Sequence[str], overrides: Mapping[str, str]) -> Columns:
    """Each header's key: `overrides` (squeezed header -> key) first, then the known names.

    Where two columns would hold the title, the last (the most specific: 具体任务 after
    重点工作) is the title; where two would hold another key, the first keeps it. The others,
    and columns recognised as nothing, go into the source. 责任单位 is support beside a lead
    column, else lead."""
    keys: list[str | None] = []
    for header in headers:
        if not header.strip():
            keys.append(None)
            continue
        key = overrides.get(squeezed(header)) or header_key(header) or "source"
        keys.append(key)
    titles = [at for at, key in enumerate(keys) if key == "title"]
    for at in titles[:-1]:
        keys[at] = "source"
    if "lead" in keys:
        keys = ["support" if key == "units" else key for key in keys]
    else:
        units = [at for at, key in enumerate(keys) if key == "units"]
        for number, at in enumerate(units):
            keys[at] = "lead" if number == 0 else "support"
    for key in ("id", "time", "leader", "kind"):
        for at in [at for at, held in enumerate(keys) if held == key][1:]:
            keys[at] = "source"
    return Columns(tuple(headers), tuple(keys))
