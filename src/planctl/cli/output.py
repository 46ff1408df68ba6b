"""Where a command's output goes: views to stdout, confirmations, warnings, files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from planctl.errors import BadValue
from planctl.render import Format, View, emit


def _terminal() -> bool:
    """Whether stdout is a terminal that takes Rich's tables (tests put a fake one here)."""
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def show(view: View, fmt: Format) -> None:
    """Write a view to stdout: Rich on a terminal, plain text when piped."""
    emit(view, fmt, sys.stdout, terminal=_terminal())


def say(message: str) -> None:
    """A line for the person at the terminal (confirmations) on stdout: stored text in it
    (titles, names, notes) shows its control characters as escapes, as every view does."""
    from planctl.render.safe import visible

    sys.stdout.write(visible(message) + "\n")


def warn(message: str) -> None:
    """A line on stderr (warnings, notes), made safe as `say` makes its lines."""
    from planctl.render.safe import visible

    sys.stderr.write(visible(message) + "\n")


def write_file(path: str, data: bytes) -> None:
    """Write a whole file, or say in one line why it could not be written."""
    try:
        Path(path).write_bytes(data)
    except OSError as error:
        raise BadValue(f"cannot write {path}: {error.strerror}") from None
