"""`returns collect`'s lines as the clerk reads them: the rows to look at (data from
`planctl.core.return_changes.Look`, worded here) and the summary of a file, whole sentences
through the catalogue."""

from __future__ import annotations

from planctl.core.return_changes import Look
from planctl.i18n import _


def worded_look(look: Look) -> str:
    """A row to look at, as `look:` lines say it (`7.1: requests a due day of ...`)."""
    facts = look.facts
    match look.kind:
        case "count replaced":
            line = _(
                "{id}: count {count} replaces {counted} recorded from an earlier return of this"
                " cycle; not recorded (correct it with undo and done --count)"
            )
        case "defer asked":
            line = _("{id}: asks to defer to {to}: {reason}")
        case "defer late":
            line = _(
                "{id}: asks to defer to {asked} after its due day ({due}); not recorded (record"
                " it with defer --late)"
            )
        case "defer pending":
            line = _(
                "{id}: asks to defer to {asked}; not recorded: a request to {pending} awaits a"
                " decision"
            )
        case "defer refused":
            line = _("{id}: asks to defer to {asked}; not recorded: {refused}")
        case _kind:
            assert look.kind == "request", look.kind
            line = _("{id}: requests a due day of {due} ({reason}); approve or reject it")
    return line.format(id=look.task_id, **facts)


def summary(*, dry_run: bool, corrected: bool) -> str:
    """The line a collected file ends with, to be formatted with its counts."""
    if dry_run and corrected:
        return _(
            "{source}: {unit} {cycle} received {received}, a corrected return: {read} rows"
            " read, {events} events would record, {nothing} rows with nothing new, {looks} rows"
            " needing a look"
        )
    if dry_run:
        return _(
            "{source}: {unit} {cycle} received {received}: {read} rows read, {events} events"
            " would record, {nothing} rows with nothing new, {looks} rows needing a look"
        )
    if corrected:
        return _(
            "{source}: {unit} {cycle} received {received}, a corrected return: {read} rows"
            " read, {events} events recorded, {nothing} rows with nothing new, {looks} rows"
            " needing a look"
        )
    return _(
        "{source}: {unit} {cycle} received {received}: {read} rows read, {events} events"
        " recorded, {nothing} rows with nothing new, {looks} rows needing a look"
    )
