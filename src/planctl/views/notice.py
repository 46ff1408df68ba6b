"""The chase notice (督办单) that `chase --mail` sends a lead unit: its number, the tasks with
their due days and days overdue, what is asked and by when, from the office. Pure: the shell
hands in the rows, today and the words; the text and html are built here, in the user's
language (through the catalogue)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, timedelta

from planctl import frozen
from planctl.i18n import _, ngettext

REPLY_WORKING_DAYS = 5
"""The reply day a notice asks for unless `--reply-by` gives one: five working days (Monday
to Friday; public holidays are not known) after the notice's day."""


def reply_day(on: date, working_days: int = REPLY_WORKING_DAYS) -> date:
    """The day `working_days` working days (Monday to Friday) after `on`."""
    day = on
    left = working_days
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


@frozen(slots=False)
class NoticeTask:
    """A task in a notice: its ID, title, due day, and days overdue as of today (None: not
    overdue)."""

    id: str
    title: str
    due: date
    overdue_days: int | None


@frozen(slots=False)
class Notice:
    """One chase notice: `督办〔year〕number号` from the office to the lead units, dated `on`."""

    number: int
    year: int
    units: Sequence[str]
    tasks: Sequence[NoticeTask]
    asked: str | None
    reply_by: date
    office: str
    on: date


def notice_title(notice: Notice) -> str:
    """`督办〔2018〕6号`, `Chase notice No. 6 (2018)`."""
    return _("Chase notice No. {number} ({year})").format(number=notice.number, year=notice.year)


def notice_subject(notice: Notice) -> str:
    """The mail's subject: the notice's title, and whom it goes to."""
    return _("{title} to {units}").format(title=notice_title(notice), units=_units(notice))


def _units(notice: Notice) -> str:
    return _(", ").join(notice.units)


def _task_lines(task: NoticeTask) -> tuple[str, str]:
    """A task's two lines: its ID and title; its due day and how late it is."""
    if task.overdue_days is None:
        when = _("due {due}").format(due=task.due)
    else:
        when = ngettext(
            "due {due}; {days} day overdue", "due {due}; {days} days overdue", task.overdue_days
        ).format(due=task.due, days=task.overdue_days)
    return f"{task.id} {task.title}", when


def _paragraphs(notice: Notice) -> tuple[str, str, str | None]:
    """The address line, the request, and what is asked (None without a note)."""
    to = _("To {units}:").format(units=_units(notice))
    request = ngettext(
        "The task below is overdue or behind. Please act on it and report what was done by"
        " {reply_by}.",
        "The {count} tasks below are overdue or behind. Please act on them and report what"
        " was done by {reply_by}.",
        len(notice.tasks),
    ).format(count=len(notice.tasks), reply_by=notice.reply_by)
    asked = None if notice.asked is None else _("Asked: {note}").format(note=notice.asked)
    return to, request, asked


def notice_text(notice: Notice) -> str:
    """The notice as plain text: title, address, request, the tasks, what is asked, the
    office and the day."""
    to, request, asked = _paragraphs(notice)
    lines = [notice_title(notice), "", to, "", request, ""]
    for task in notice.tasks:
        head, when = _task_lines(task)
        lines += [f"  {head}", f"      {when}"]
    if asked is not None:
        lines += ["", asked]
    lines += ["", notice.office, notice.on.isoformat()]
    return "\n".join(lines) + "\n"


def notice_html(notice: Notice) -> str:
    """The notice as an html page: the same paragraphs, the tasks as a list."""
    to, request, asked = _paragraphs(notice)
    e = html.escape
    items = "".join(
        f"<li>{e(head)}<br>{e(when)}</li>\n" for head, when in map(_task_lines, notice.tasks)
    )
    parts = [
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{e(notice_title(notice))}</title></head><body>",
        f"<h1>{e(notice_title(notice))}</h1>",
        f"<p>{e(to)}</p>",
        f"<p>{e(request)}</p>",
        f"<ul>\n{items}</ul>",
        *([] if asked is None else [f"<p>{e(asked)}</p>"]),
        f"<p>{e(notice.office)}<br>{notice.on.isoformat()}</p>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
