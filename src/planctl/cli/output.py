"""Where a command's output goes: views to stdout, confirmations, warnings, files."""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from planctl.errors import BadValue
from planctl.i18n import _, ngettext
from planctl.render import BINARY_FORMATS, Format, View, emit

if TYPE_CHECKING:
    from planctl.cli.outfile import ReadFile


def _terminal() -> bool:
    """Whether stdout is a terminal that takes Rich's tables (tests put a fake one here)."""
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def show(
    view: View,
    fmt: Format,
    *,
    output: str | None = None,
    table: str | None = None,
    bom: bool = False,
    reads: Callable[[], Iterable[ReadFile]] = tuple,
) -> None:
    """Write a view to stdout: Rich on a terminal, plain text when piped; or to the file
    `output` (text formats as UTF-8). xlsx and pdf are bytes: to a file or a pipe, never to a
    terminal. `table` is the table csv writes, `bom` starts csv with a byte-order mark for
    Excel. `reads()`: the files the command read, which `output` may not be. Output that cannot
    be written (a full disk, an encoding that cannot hold the plan's text) is one line and
    exit 1, never an empty success; a closed pipe (`planctl report | head`) ends quietly."""
    view = with_signoff(view, fmt)
    if fmt in BINARY_FORMATS:
        _show_bytes(view, fmt, output, reads)
        return
    if output is not None:
        _show_in_file(view, fmt, output, table=table, bom=bom, reads=reads)
        return
    with _writing_stdout():
        if bom:
            sys.stdout.write(BOM)
        emit(view, fmt, sys.stdout, terminal=_terminal(), table=table)
        sys.stdout.flush()


def _show_in_file(
    view: View,
    fmt: Format,
    output: str,
    *,
    table: str | None,
    bom: bool,
    reads: Callable[[], Iterable[ReadFile]],
) -> None:
    """A text format into the file `output`, as wide as COLUMNS says, else 100 (never the
    terminal's): made in a temporary file that stays in memory while small (a plan's whole
    history is never held), then written whole (see `write_file`)."""
    import io
    import tempfile

    from planctl.render.wrap import page_width

    with tempfile.SpooledTemporaryFile(max_size=SPOOLED) as spool:
        try:
            text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
            text.write(BOM if bom else "")
            emit(view, fmt, text, terminal=False, table=table, width=page_width())
            text.flush()
            text.detach()
            spool.seek(0)
        except OSError as error:  # the temporary file's disk is full
            raise BadValue(
                _("cannot write {path}: {reason}").format(
                    path=output, reason=error.strerror or error
                )
            ) from None
        write_file(output, iter(lambda: spool.read(SPOOLED), b""), reads=reads)


SPOOLED = 1024 * 1024
"""How much of a document made for a file stays in memory before it goes to a temporary
file, and the size of the pieces it is then written in."""


@contextlib.contextmanager
def _writing_stdout() -> Iterator[None]:
    """Standard output that cannot be written (a full disk, an encoding that cannot hold the
    plan's text) as one line and exit 1; a closed pipe goes on to Typer's quiet end."""
    try:
        yield
    except BrokenPipeError:
        raise
    except UnicodeEncodeError as error:
        raise BadValue(
            _(
                "cannot write output: the output encoding ({encoding}) cannot hold the"
                " plan's text; set PYTHONIOENCODING=utf-8"
            ).format(encoding=error.encoding)
        ) from None
    except OSError as error:
        raise BadValue(
            _("cannot write output: {reason}").format(reason=error.strerror or error)
        ) from None


def with_signoff(view: View, fmt: Format) -> View:
    """An html or pdf document (a view with a heading) with the sign-off block of the config
    file's `[documents]`, when it has one."""
    if fmt not in (Format.HTML, Format.PDF) or view.heading is None:
        return view
    from planctl.cli import settings

    path = settings.config_file(os.environ)
    if not path.exists():
        return view
    from dataclasses import replace

    from planctl.cli.config import load_config
    from planctl.views.signoff import signoff_rows

    documents = load_config(path).documents.model_dump()
    rows = signoff_rows(documents, view.lang, view.heading.as_of)
    return replace(view, signoff=rows) if rows else view


BOM = "\ufeff"
"""The byte-order mark that tells Excel a csv file is UTF-8."""


def plain_width(fmt: Format, output: str | None) -> int | None:
    """The width `show` lays plain text out at for `fmt` (table or text) and `output`; None
    when it would draw a Rich table instead (a table on a terminal)."""
    from planctl.render.wrap import page_width, piped_width, terminal_width

    if output is not None:
        return page_width()
    terminal = _terminal()
    if terminal and fmt is Format.TABLE:
        return None
    return terminal_width(sys.stdout) if terminal else piped_width(sys.stderr)


def show_pieces(
    pieces: Iterable[str],
    *,
    output: str | None = None,
    bom: bool = False,
    reads: Callable[[], Iterable[ReadFile]] = tuple,
) -> None:
    """A text document that comes in pieces (a plan's whole history as json or csv), written
    as they come, to stdout or to the file `output`, as `show` writes a view."""
    if output is not None:
        head = [BOM.encode()] if bom else []
        write_file(output, itertools.chain(head, (piece.encode() for piece in pieces)), reads=reads)
        return
    with _writing_stdout():
        if bom:
            sys.stdout.write(BOM)
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.flush()


def write_bytes(
    name: str,
    make: Callable[[], bytes],
    output: str | None,
    reads: Callable[[], Iterable[ReadFile]],
) -> None:
    """A binary document (`name`: xlsx, pdf, docx), made by `make`, to the file `output` or to
    a pipe; never to a terminal (refused before it is made)."""
    if output is None and _stdout_is_a_terminal():
        raise BadValue(
            _("--format {format} is a binary file: write it with -o FILE, or pipe it").format(
                format=name
            )
        )
    data = make()
    if output is not None:
        write_file(output, data, reads=reads)
        return
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise BadValue(
            _("cannot write output: {reason}").format(reason=error.strerror or error)
        ) from None


def _stdout_is_a_terminal() -> bool:
    """Whether stdout is a terminal, whatever TERM says (tests put a fake one here)."""
    return sys.stdout.isatty()


def _show_bytes(
    view: View, fmt: Format, output: str | None, reads: Callable[[], Iterable[ReadFile]]
) -> None:
    from planctl.render import render_bytes

    write_bytes(str(fmt), lambda: render_bytes(view, fmt), output, reads)
    if fmt is Format.XLSX:
        _say_what_was_cut(view, output or "<stdout>")


def _say_what_was_cut(view: View, name: str) -> None:
    """A warning for the cells of a workbook cut to what Excel holds (see `render.xlsx`)."""
    from planctl.render.xlsx import CELL_LIMIT, cut_cells

    cut = cut_cells(view)
    if cut:
        warn(
            ngettext(
                "planctl: warning: {name}: {count} cell is longer than the {limit} characters"
                " Excel takes: cut, and ended with …[+N] (N: the characters cut); --format json"
                " or csv has the whole text",
                "planctl: warning: {name}: {count} cells are longer than the {limit} characters"
                " Excel takes: cut, and ended with …[+N] (N: the characters cut); --format json"
                " or csv has the whole text",
                cut,
            ).format(name=name, count=cut, limit=f"{CELL_LIMIT:,}")
        )


def say(message: str) -> None:
    """A line for the person at the terminal (confirmations) on stdout: stored text in it
    (titles, names, notes) shows its control characters as escapes, as every view does.

    Said after a command has committed, so a confirmation that cannot be written (stdout
    closed or full) is a warning on stderr, and the command still succeeds: a cron retry must
    not record the work twice."""
    from planctl.render.safe import visible

    try:
        sys.stdout.write(visible(message) + "\n")
        sys.stdout.flush()
    except (OSError, UnicodeEncodeError, ValueError) as error:
        _stdout_gone()
        detail = getattr(error, "strerror", None) or str(error)
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(
                _(
                    "planctl: warning: recorded, but the confirmation cannot be written: {detail}"
                ).format(detail=detail)
                + "\n"
            )


def _stdout_gone() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush has nowhere to fail."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def warn(message: str) -> None:
    """A line on stderr (warnings, notes), made safe as `say` makes its lines."""
    from planctl.render.safe import visible

    sys.stderr.write(visible(message) + "\n")


def write_file(
    path: str,
    data: bytes | Iterable[bytes],
    *,
    reads: Callable[[], Iterable[ReadFile]] = tuple,
    option: str = "-o ",
    mode: int | None = None,
    replace: bool = True,
) -> None:
    """Write a whole file (see `planctl.cli.outfile.write_atomically`; `data` may come in pieces,
    as a large export does), or say in one line why it could not be written. A file the
    command reads (`reads()`, asked only here; the output named as `option` names it) is
    refused before anything is written. `replace=False`: an existing file is FileExistsError."""
    from planctl.cli.outfile import refuse_overwriting, write_atomically

    refuse_overwriting(path, option, reads())
    try:
        write_atomically(Path(path), data, mode=mode, replace=replace)
    except FileExistsError:
        raise
    except OSError as error:
        raise BadValue(
            _("cannot write {path}: {reason}").format(path=path, reason=error.strerror or error)
        ) from None
