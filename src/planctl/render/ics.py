"""iCalendar (RFC 5545): the to-dos of `planctl.views.calendar` as a file, with icalendar
(imported here only). Text that leaves planctl here has no bidi controls."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time

from icalendar import Calendar, Todo

from planctl.render.safe import without_bidi
from planctl.views.calendar import Entry


def ics_bytes(title: str, entries: Iterable[Entry], stamp: datetime) -> bytes:
    """The calendar named `title` holding a VTODO per entry, stamped `stamp` (UTC)."""
    calendar = Calendar()
    calendar.add("prodid", "-//planctl//planctl//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", without_bidi(title))
    for entry in entries:
        calendar.add_component(todo(entry, stamp))
    return bytes(calendar.to_ical())


def todo(entry: Entry, stamp: datetime) -> Todo:
    """One VTODO. DTSTART is left out when the window is a single day: RFC 5545 wants DUE
    later than DTSTART, and a one-day window has nothing to add to its due day."""
    task = entry.row.task
    item = Todo()
    item.add("uid", entry.uid)
    item.add("dtstamp", stamp)
    item.add("sequence", entry.revision.sequence)
    if entry.revision.last_modified is not None:
        item.add("last-modified", entry.revision.last_modified)
    item.add("summary", without_bidi(f"{task.id} {task.title}"))
    item.add("description", without_bidi(entry.description))
    if entry.start < entry.due:
        item.add("dtstart", entry.start)
    item.add("due", entry.due)
    if task.leads or task.support:
        # The units with a role in it, lead units first: a unit's calendar filter finds the
        # tasks it leads and those it supports.
        item.add("categories", [without_bidi(unit) for unit in [*task.leads, *task.support]])
    if entry.completion is not None:
        item.add("status", "COMPLETED")
        item.add("completed", datetime.combine(entry.completion.on, time(), tzinfo=UTC))
    else:
        item.add("status", "NEEDS-ACTION")
    if entry.percent is not None:
        item.add("percent-complete", entry.percent)
    if entry.related_to is not None:
        item.add("related-to", entry.related_to)  # RELTYPE defaults to PARENT
    return item
