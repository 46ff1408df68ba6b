"""A breakdown table (rows of cells) read into a draft plan: the plan's data, and for each
task what a person should look at before adopting it.

Pure: the rows come from `planctl.office.readers`; the draft is written as YAML by
`planctl.office.yaml_text`. Every choice made for the user is said in a remark on the task
or at the top of the file, so nothing is guessed silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from planctl.errors import PlanctlError
from planctl.i18n import _, ngettext
from planctl.office.draft_table import TASK_ID, Entry, _one_line, _TableReader
from planctl.office.headers import numbered_columns, times_column
from planctl.office.table import Columns, Row, is_known_name, recognise, squeezed

YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|2\d)\d{2})(?!\d)")
CJK = re.compile(r"[\u4e00-\u9fff]")


class NotATable(PlanctlError):
    """The file is not a breakdown table planctl can read."""


@dataclass
class Draft:
    """A draft plan: its top-level keys, sections and tasks, with comments."""

    top: dict[str, Any]
    notes: list[str]
    sections: list[Entry]
    tasks: list[Entry]
    unread: int = 0
    """Tasks whose time was written but not read (year-round until the clerk sets it)."""
    blank: int = 0
    """Tasks year-round only because nothing named a time."""
    warnings: list[str] = field(default_factory=list)
    """What the clerk should know about the whole table (on stderr)."""

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
            _(
                "{name}: no column of tasks: no header names the tasks (重点工作, 工作任务, 任务,"
                " Action ...); name it with --column HEADER=title"
            ).format(name=name)
        )
    at, columns = found
    columns, column_notes = numbered_columns(columns, rows[at + 1 :])
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
    notes = [_("columns: {mapping}").format(mapping=mapping), *column_notes, *reader.notes]
    warnings = _year_round_warning(
        reader.tasks, reader.blank, columns, rows[at + 1 :], plan_year, name
    )
    return Draft(top, notes, reader.sections, reader.tasks, reader.unread, reader.blank, warnings)


def _year_round_warning(
    tasks: Sequence[Entry],
    blank: int,
    columns: Columns,
    body: Sequence[Row],
    year: int,
    name: str,
) -> list[str]:
    """A warning when more than half of the tasks end year-round, naming the column that
    looks like it holds their times. Where a column of times was read, only the tasks it left
    without a time count (`blank`): a table whose time column says 全年 row after row is
    read right."""
    year_round = sum(1 for task in tasks if task.data.get("year_round"))
    if "time" in columns.keys:
        year_round = blank
    if not tasks or year_round * 2 <= len(tasks):
        return []
    at = times_column(columns, body, year)
    facts = {"name": _stem_name(name), "count": year_round, "tasks": len(tasks)}
    if at is None:
        return [
            ngettext(
                "{name}: {count} of {tasks} tasks is year-round; no column looks like it holds"
                " their times",
                "{name}: {count} of {tasks} tasks are year-round; no column looks like it holds"
                " their times",
                year_round,
            ).format(**facts)
        ]
    header = _one_line(columns.headers[at])
    return [
        ngettext(
            "{name}: {count} of {tasks} tasks is year-round; the column {header} looks like it"
            " holds their times: name it with --column '{header}=time'",
            "{name}: {count} of {tasks} tasks are year-round; the column {header} looks like it"
            " holds their times: name it with --column '{header}=time'",
            year_round,
        ).format(**facts, header=header)
    ]


def _stem_name(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1]


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
