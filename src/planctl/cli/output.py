"""Where a command's output goes: views to stdout, confirmations, warnings, files."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from planctl.errors import BadValue
from planctl.render import BINARY_FORMATS, Format, View, emit


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
) -> None:
    """Write a view to stdout: Rich on a terminal, plain text when piped; or to the file
    `output` (text formats as UTF-8). xlsx and pdf are bytes: to a file or a pipe, never to a
    terminal. `table` is the table csv writes, `bom` starts csv with a byte-order mark for
    Excel. Output that cannot be written (a full disk, an encoding that cannot hold the plan's
    text) is one line and exit 1, never an empty success; a closed pipe (`planctl report |
    head`) ends quietly."""
    if fmt in BINARY_FORMATS:
        _show_bytes(view, fmt, output)
        return
    if output is not None:
        import io

        text = io.StringIO()
        emit(view, fmt, text, terminal=False, table=table)
        write_file(output, (BOM if bom else "").encode() + text.getvalue().encode())
        return
    try:
        if bom:
            sys.stdout.write(BOM)
        emit(view, fmt, sys.stdout, terminal=_terminal(), table=table)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except UnicodeEncodeError as error:
        raise BadValue(
            f"cannot write output: the output encoding ({error.encoding}) cannot hold the"
            " plan's text; set PYTHONIOENCODING=utf-8"
        ) from None
    except OSError as error:
        raise BadValue(f"cannot write output: {error.strerror or error}") from None


BOM = "\ufeff"
"""The byte-order mark that tells Excel a csv file is UTF-8."""


def _stdout_is_a_terminal() -> bool:
    """Whether stdout is a terminal, whatever TERM says (tests put a fake one here)."""
    return sys.stdout.isatty()


def _show_bytes(view: View, fmt: Format, output: str | None) -> None:
    from planctl.render import render_bytes

    if output is None and _stdout_is_a_terminal():
        raise BadValue(f"--format {fmt} is a binary file: write it with -o FILE, or pipe it")
    data = render_bytes(view, fmt)
    if output is not None:
        write_file(output, data)
        return
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise BadValue(f"cannot write output: {error.strerror or error}") from None


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
                f"planctl: warning: recorded, but the confirmation cannot be written: {detail}\n"
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


def write_chunks(path: str, chunks: Iterable[bytes]) -> None:
    """Write a file piece by piece (a large export), or say in one line why it could not be."""
    try:
        with Path(path).open("wb") as opened:
            for chunk in chunks:
                opened.write(chunk)
    except OSError as error:
        raise BadValue(f"cannot write {path}: {error.strerror}") from None


def write_file(path: str, data: bytes) -> None:
    """Write a whole file, or say in one line why it could not be written."""
    try:
        Path(path).write_bytes(data)
    except OSError as error:
        raise BadValue(f"cannot write {path}: {error.strerror}") from None
