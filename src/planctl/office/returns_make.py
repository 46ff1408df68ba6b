"""A unit's return sheet (填报表) for a cycle, as an .xlsx workbook (XlsxWriter).

One sheet named after the unit: a title row (organisation, plan, unit, cycle, due day), an
instructions row, a header row, then one row per task the unit answers for in the cycle
(`planctl.core.returns.unit_return_rows`). The columns on the left are the plan's and locked;
those on the right are the unit's to fill, with data validation; the sheet is protected
without a password (a guard against slips, not a secret) and prints ready like
`planctl.render.xlsx`. A very hidden sheet `planctl` carries what the return is about: plan ID
and digest, unit, cycle, due day, the day it was made, and the row of each task ID, which
`returns collect` reads back.

No clock and no file: the day it was made comes in, the bytes go out.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from planctl import frozen, install_hint
from planctl.core.returns import Cycle, ReturnRow
from planctl.errors import MissingPart
from planctl.i18n import _
from planctl.render.safe import visible
from planctl.render.xlsx import A4

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

META_SHEET = "planctl"
"""The hidden sheet that says what the return is about."""
META_FORMAT = 1
"""The layout of the hidden sheet; `returns collect` refuses one it does not know."""
FIRST_ROW = 3
"""The first task row (0-based: Excel's row 4), under title, instructions and headers."""
FILER_CELL = "C2"
"""The cell the unit names its 填报人 in (row 2, after its label in A2:B2, merged to D2); the
hidden sheet says where it is, and `returns collect` records the rows by that person."""

COLUMNS: tuple[str, ...] = (
    "id", "task", "role", "window", "due", "light", "latest",
    "progress", "percent", "value", "count", "done", "done_on", "defer_to", "defer_reason",
    "remark",
)  # fmt: skip
"""The columns, left to right: the plan's (locked) up to `latest`, then the unit's."""
FILLED = COLUMNS[COLUMNS.index("progress") :]
"""The columns the unit fills."""
COLUMN_LETTERS = {key: chr(ord("A") + index) for index, key in enumerate(COLUMNS)}

LABELS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "id": "编号", "task": "任务", "role": "角色", "window": "时限", "due": "截止日期",
        "light": "状态", "latest": "最近进展", "progress": "本期进展", "percent": "完成百分比",
        "value": "数值", "count": "本期完成次数", "done": "是否完成", "done_on": "完成日期",
        "defer_to": "申请延期至", "defer_reason": "延期理由", "remark": "备注",
        "lead": "牵头", "support": "配合", "yes": "是", "no": "否", "filer": "填报人",
        "title": "{organisation}{plan} 重点任务落实推进情况表 · {unit} · {cycle} · 报送截止 {due}",
        "instructions": "请在左侧写明填报人,填写右侧白色栏目(本期进展、完成百分比、数值、"
        "本期完成次数、是否完成、完成日期、申请延期至、延期理由、备注),灰色栏目请勿修改;"
        "填好后于 {due} 前报回。"
        "新增事项可另起一行,编号栏留空。",
        "no_rows": "本期无需填报的任务。",
    },
    "en": {
        "id": "ID", "task": "Task", "role": "Role", "window": "Window", "due": "Due",
        "light": "Status", "latest": "Latest report", "progress": "Progress this cycle",
        "percent": "Percent done", "value": "Value", "count": "Times done this cycle",
        "done": "Done?", "done_on": "Done on", "defer_to": "Defer to",
        "defer_reason": "Reason for deferral", "remark": "Remarks",
        "lead": "lead", "support": "support", "yes": "yes", "no": "no", "filer": "Filed by",
        "title": "{organisation}{plan} progress return · {unit} · {cycle} · due {due}",
        "instructions": "Name who files it on the left; fill in the white columns on the"
        " right; leave the grey ones as they are; return the sheet by {due}. Add a row with"
        " the ID left blank for work not in the plan.",
        "no_rows": "No task to report on in this cycle.",
    },
}  # fmt: skip
"""The sheet's words, in the plan's language (the sheet goes to the unit, not the clerk)."""

LIGHTS = {
    "zh": {"done": "已完成", "red": "红灯", "yellow": "黄灯", "blue": "蓝灯", "grey": "灰灯",
           "green": "正常"},
    "en": {"done": "done", "red": "red", "yellow": "yellow", "blue": "blue", "grey": "grey",
           "green": "on track"},
}  # fmt: skip

WIDTHS = {"id": 7, "task": 36, "role": 6, "window": 22, "due": 11, "light": 8, "latest": 24,
          "progress": 36, "percent": 10, "value": 9, "count": 10, "done": 8, "done_on": 11,
          "defer_to": 11, "defer_reason": 20, "remark": 16}  # fmt: skip
"""Each column's width in Excel's character widths (a CJK character counts two)."""

_NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?$", re.IGNORECASE)


def return_file_name(cycle: Cycle, unit: str) -> str:
    """`2018-06 提案科.xlsx`: a name Windows takes (none of <>:"/\\|?*, no control
    character, no trailing dot or space, not a reserved device name)."""
    name = _NOT_IN_FILE_NAMES.sub("_", visible(unit)).strip().rstrip(". ") or "_"
    stem = f"{cycle.label} {name}"[:120].rstrip(". ")
    if _RESERVED.match(stem):
        stem = "_" + stem
    return f"{stem}.xlsx"


@frozen
class ReturnSheet:
    """What a unit's return for a cycle is made of."""

    plan_id: str
    plan_title: str
    organisation: str | None
    plan_digest: str
    language: str
    unit: str
    cycle: Cycle
    made: date
    rows: Sequence[ReturnRow]


def _words(language: str) -> Mapping[str, str]:
    return LABELS.get(language, LABELS["en"])


def _latest(row: ReturnRow) -> str:
    report = row.row.state.report
    if report is None:
        return ""
    parts = [report.on.isoformat()]
    if report.percent is not None:
        parts.append(f"{report.percent}%")
    if report.value is not None:
        parts.append(f"{report.value:g}")
    if report.note:
        parts.append(report.note)
    return " ".join(parts)


class _Formats:
    def __init__(self, book: object) -> None:
        add = book.add_format  # type: ignore[attr-defined]
        self.title = add({"bold": True, "font_size": 13, "text_wrap": True, "valign": "vcenter"})
        self.note = add({"italic": True, "text_wrap": True, "valign": "top", "font_size": 9})
        self.header = add({"bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True,
                           "valign": "vcenter", "align": "center"})  # fmt: skip
        self.fixed = add({"bg_color": "#EDEDED", "border": 1, "text_wrap": True, "valign": "top"})
        self.fixed_date = add({"bg_color": "#EDEDED", "border": 1, "valign": "top",
                               "num_format": "yyyy-mm-dd"})  # fmt: skip
        self.fill = add({"locked": False, "border": 1, "text_wrap": True, "valign": "top"})
        self.fill_date = add({"locked": False, "border": 1, "valign": "top",
                              "num_format": "yyyy-mm-dd"})  # fmt: skip
        self.closed = add({"bg_color": "#BFBFBF", "border": 1})
        self.label = add({"bold": True, "bg_color": "#D9D9D9", "border": 1, "align": "right",
                          "valign": "vcenter"})  # fmt: skip
        self.filer = add({"locked": False, "border": 1, "valign": "vcenter"})


def _validate(sheet: Worksheet, row: int, key: str, sheet_data: ReturnSheet) -> None:
    col = COLUMNS.index(key)
    words = _words(sheet_data.language)
    if key == "percent":
        rule = {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100}
    elif key == "count":
        rule = {"validate": "integer", "criteria": ">=", "value": 0}
    elif key == "value":
        rule = {"validate": "decimal", "criteria": "between", "minimum": -1e15, "maximum": 1e15}
    elif key == "done":
        rule = {"validate": "list", "source": [words["yes"], words["no"]]}
    elif key in ("done_on", "defer_to"):
        rule = {"validate": "date", "criteria": ">=", "value": date(1990, 1, 1)}
    else:
        return
    sheet.data_validation(row, col, row, col, {**rule, "ignore_blank": True})


def _task_row(
    sheet: Worksheet, formats: _Formats, index: int, row: ReturnRow, sheet_data: ReturnSheet
) -> None:
    words = _words(sheet_data.language)
    task = row.row.task
    light = LIGHTS.get(sheet_data.language, LIGHTS["en"]).get(row.row.light, row.row.light)
    fixed = {
        "id": task.id,
        "task": visible(task.title),
        "role": words[row.role],
        "window": f"{row.row.start.isoformat()} ~ {row.row.due.isoformat()}",
        "light": light,
        "latest": visible(_latest(row)),
    }
    for col, key in enumerate(COLUMNS):
        if key == "due":
            sheet.write_datetime(index, col, _midnight(row.row.due), formats.fixed_date)
        elif key in fixed:
            sheet.write_string(index, col, fixed[key], formats.fixed)
        elif (
            (key == "value" and not task.measures_value)
            or (key == "count" and not task.counted)
            or (key == "percent" and (task.counted or task.measures_value))
        ):
            sheet.write_blank(index, col, None, formats.closed)
        else:
            date_column = key in ("done_on", "defer_to")
            sheet.write_blank(index, col, None, formats.fill_date if date_column else formats.fill)
            _validate(sheet, index, key, sheet_data)


def _midnight(day: date) -> object:
    from datetime import datetime

    return datetime(day.year, day.month, day.day)


def _meta_sheet(book: object, sheet_data: ReturnSheet) -> None:
    meta = book.add_worksheet(META_SHEET)  # type: ignore[attr-defined]
    pairs = [
        ("format", str(META_FORMAT)),
        ("plan", sheet_data.plan_id),
        ("plan_digest", sheet_data.plan_digest),
        ("unit", sheet_data.unit),
        ("cycle", sheet_data.cycle.label),
        ("due", sheet_data.cycle.due.isoformat()),
        ("made", sheet_data.made.isoformat()),
        ("filer", FILER_CELL),
    ]
    for index, (key, value) in enumerate(pairs):
        meta.write_string(index, 0, key)
        meta.write_string(index, 1, value)
    meta.write_string(len(pairs), 0, "task")
    meta.write_string(len(pairs), 1, "row")
    for offset, row in enumerate(sheet_data.rows):
        meta.write_string(len(pairs) + 1 + offset, 0, row.row.task.id)
        meta.write_number(len(pairs) + 1 + offset, 1, FIRST_ROW + offset + 1)
    meta.protect()
    meta.very_hidden()


def return_workbook(sheet_data: ReturnSheet) -> bytes:
    """The unit's return for the cycle, as the bytes of an .xlsx file."""
    try:
        from xlsxwriter import Workbook
    except ImportError:
        raise MissingPart(
            _("returns make needs XlsxWriter, which is not installed: {hint}").format(
                hint=install_hint("xlsx")
            )
        ) from None
    words = _words(sheet_data.language)
    buffer = io.BytesIO()
    book = Workbook(buffer, {"in_memory": True, "strings_to_urls": False})
    formats = _Formats(book)
    sheet = book.add_worksheet(_sheet_name(sheet_data.unit))
    last = len(COLUMNS) - 1
    due = sheet_data.cycle.due.isoformat()
    organisation = f"{sheet_data.organisation} " if sheet_data.organisation else ""
    title = words["title"].format(
        organisation=organisation, plan=sheet_data.plan_title, unit=sheet_data.unit,
        cycle=sheet_data.cycle.label, due=due,
    )  # fmt: skip
    sheet.merge_range(0, 0, 0, last, visible(title), formats.title)
    sheet.set_row(0, 36)
    sheet.merge_range(1, 0, 1, 1, words["filer"], formats.label)
    sheet.merge_range(1, 2, 1, 3, "", formats.filer)  # FILER_CELL, merged to D2
    sheet.merge_range(1, 4, 1, last, words["instructions"].format(due=due), formats.note)
    sheet.set_row(1, 30)
    for col, key in enumerate(COLUMNS):
        sheet.write_string(2, col, words[key], formats.header)
        sheet.set_column(col, col, WIDTHS[key])
    for offset, row in enumerate(sheet_data.rows):
        _task_row(sheet, formats, FIRST_ROW + offset, row, sheet_data)
    if not sheet_data.rows:
        sheet.write_string(FIRST_ROW, 0, words["no_rows"])
    sheet.freeze_panes(FIRST_ROW, 2)
    sheet.set_paper(A4)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, FIRST_ROW - 1)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&C&P / &N", {"margin": 0.3})
    sheet.protect(
        "",
        {"format_columns": True, "format_rows": True, "insert_rows": True,
         "select_locked_cells": True, "select_unlocked_cells": True},
    )  # fmt: skip
    _meta_sheet(book, sheet_data)
    sheet.activate()
    book.close()
    return buffer.getvalue()


def _sheet_name(unit: str) -> str:
    from planctl.render.xlsx import sheet_name

    return sheet_name(unit, {META_SHEET})
