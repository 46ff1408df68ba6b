"""A plan's whole history written without holding its log (issue 24.6): the store is read
newest first, 10,000 events at a time, once or twice per document, in every format."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date

from planctl.cli.options import OutputChoice
from planctl.cli.session import Session
from planctl.core.events import Event
from planctl.errors import BadValue
from planctl.i18n import ngettext
from planctl.render import Format, Reread
from planctl.views.common import plan_label

TERMINAL_ROWS = 2_000
"""A whole history longer than this is laid out on a terminal as plain text at the
terminal's width (as when piped), not as a Rich table, which holds every row at once."""
Events = Callable[[], Iterator[Event]]
"""The plan's events, newest first, read anew from the store at each call."""
PDF_ROWS = 5_000
"""The longest whole history printed to pdf (some 150 pages); a longer one is refused."""


def stream_history(session: Session, start: date | None, out: OutputChoice) -> bool:
    """The plan's whole history written as the store is read: json and csv a row at a time,
    plain text, markdown, html and xlsx in two passes (the columns' widths, then the rows),
    never the whole log in memory. False, and nothing written, where the view is built
    whole instead: a Rich table of at most `TERMINAL_ROWS` rows, a pdf (refused past
    `PDF_ROWS` rows), a log with renamed tasks or tasks the plan no longer has, and a plan
    with `returns:` (its rows name the return each came from)."""
    from planctl.cli.output import plain_width

    plan = session.plan
    if plan.returns is not None:
        return False
    with session.reading() as store:
        recorded, renamed = store.recorded_tasks(plan.id)
    if renamed or not recorded <= {task.id for task in plan.tasks}:
        return False

    def events() -> Iterator[Event]:
        with session.reading() as store:
            for chunk in store.newest_first(plan.id):
                yield from (event for event in chunk if start is None or event.work_date >= start)

    format = out.format
    if format is Format.PDF:
        _refuse_a_long_pdf(sum(1 for _ in events()))
        return False
    page = plain_width(format, out.output) if format in (Format.TABLE, Format.TEXT) else None
    if format is Format.TABLE and page is None:  # a terminal
        if sum(1 for _ in events()) <= TERMINAL_ROWS:
            return False
        import sys

        from planctl.render.wrap import terminal_width

        page = terminal_width(sys.stdout)
    if format in (Format.JSON, Format.CSV) or page is not None:
        _write_pieces(session, out, events, page)
    else:
        _show_reread(session, out, events)
    return True


def _rows(session: Session, events: Iterable[Event]) -> Iterator[list[str]]:
    from planctl.views.history import history_rows

    return history_rows(session.plan, events, session.labels, lambda moment: moment.astimezone())


def _write_pieces(session: Session, out: OutputChoice, events: Events, page: int | None) -> None:
    """json, csv and plain text, written in pieces as they are made."""
    from planctl.cli.output import show_pieces
    from planctl.views.history import history_columns, history_data

    plan, labels = session.plan, session.labels
    pieces: Iterable[str]
    if out.format is Format.JSON:
        from planctl.render.json_out import json_pieces

        pieces = json_pieces(history_data(plan, events()))
    elif out.format is Format.CSV:
        from planctl.render.csv_out import csv_pieces

        pieces = csv_pieces(history_columns(plan, labels), _rows(session, events()))
    else:
        from planctl.render.plain import plain_pieces

        title = labels["history_title"].format(plan=plan_label(plan, session.source))
        assert page is not None
        columns = history_columns(plan, labels)
        pieces = plain_pieces(
            title, labels["none"], columns, lambda: _rows(session, events()), page
        )
    show_pieces(pieces, output=out.output, bom=out.bom, reads=session.files_read)


def _show_reread(session: Session, out: OutputChoice, events: Events) -> None:
    """markdown, html and xlsx: the history's view with rows read anew at each pass."""
    from planctl.views.history import history_view

    view = history_view(
        session.plan,
        session.source,
        [],
        session.labels,
        session.today,
        local_time=lambda moment: moment.astimezone(),
    )
    (table,) = view.tables
    rows = Reread(lambda: _rows(session, events()))
    out.show(replace(view, tables=[replace(table, rows=rows)]), reads=session.files_read)


def _refuse_a_long_pdf(count: int) -> None:
    if count > PDF_ROWS:
        raise BadValue(
            ngettext(
                "the history has {count} event: a pdf holds at most {limit}; choose a task,"
                " a later --since, or --format xlsx, html or csv",
                "the history has {count} events: a pdf holds at most {limit}; choose a task,"
                " a later --since, or --format xlsx, html or csv",
                count,
            ).format(count=f"{count:,}", limit=f"{PDF_ROWS:,}")
        )
