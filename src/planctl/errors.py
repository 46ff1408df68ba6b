"""The exception tree. Core and store raise these; only the CLI turns them into exit codes."""

from __future__ import annotations

from collections.abc import Sequence

from planctl import frozen
from planctl.i18n import _, ngettext


class PlanctlError(Exception):
    """A problem the user can fix; the CLI prints it on one line and exits 1."""

    def lines(self) -> list[str]:
        """The message as the CLI prints it, one problem per line."""
        return [f"planctl: {self}"]


@frozen(slots=False)
class Problem:
    """One problem in a plan file, located at a line and column (both 1-based)."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class PlanError(PlanctlError):
    """The plan file cannot be read, parsed or validated."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = list(problems)

    def lines(self) -> list[str]:
        return [str(problem) for problem in self.problems]


class UnreadablePlan(PlanError):
    """The plan file cannot be opened, or is not a regular file."""

    def __init__(self, path: object, reason: str) -> None:
        PlanctlError.__init__(
            self, _("cannot read plan {path}: {reason}").format(path=path, reason=reason)
        )
        self.problems = []

    def lines(self) -> list[str]:
        return [f"planctl: {self}"]


class PlanNotFound(PlanctlError):
    """No plan file was given and none was found where planctl looks."""


class _WithCandidates(PlanctlError):
    """An error followed by lines naming tasks (candidates, suggestions)."""

    def __init__(self, message: str, candidates: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.candidates = list(candidates)

    def lines(self) -> list[str]:
        return [f"planctl: {self}", *self.candidates]


class UnknownTask(_WithCandidates):
    """No task in the plan matches the reference."""


class AmbiguousTask(_WithCandidates):
    """Several tasks match the reference."""


class StepsOpen(_WithCandidates):
    """A task with steps is done when all of its steps are; some are still open."""


class UnknownOwner(PlanctlError):
    """No unit of the plan matches the name given."""


class UnknownLeader(PlanctlError):
    """No responsible leader of the plan matches the name."""


class BadValue(PlanctlError):
    """A value given on the command line or in the environment is not valid."""


class BadRequest(BadValue):
    """A part of a recording request (`count`, `percent`, `value`, `note`, `reason`) the
    core refuses; the CLI words it for the option that gave that part."""

    def __init__(self, part: str, problem: str, message: str, **facts: object) -> None:
        super().__init__(message)
        self.part = part
        self.problem = problem
        self.facts = facts


class MissingPart(PlanctlError):
    """An optional library or a font that this output needs is not installed."""


class NothingToUndo(PlanctlError):
    """The task has no recorded change left to reverse."""


class StoreError(PlanctlError):
    """The store cannot be opened, read or written."""


class CannotRename(PlanctlError):
    """The events of a task cannot be moved to another (`store rename-task`)."""


class NoStore(StoreError):
    """The store named is not there: no file, or a database without planctl's tables."""

    def __init__(self, where: str, *, database: bool = False) -> None:
        if database:
            reason = _(
                "the database has none of planctl's tables, so nothing has been recorded there;"
                " `planctl store init --db {where}` makes them"
            ).format(where=where)
        else:
            reason = _("nothing has been recorded there")
        super().__init__(_("no store at {where}: {reason}").format(where=where, reason=reason))
        self.where = where


class ReadOnlyStore(StoreError):
    """The store refuses writes (a read-only file or a role that may only read)."""


class DamagedStore(StoreError):
    """A row of the store is not a sound event or plan version (edited by hand, or damaged)."""

    def __init__(self, row: str, problem: str, where: str = "") -> None:
        # Not translated: the row and the problem are the store's own words (planctl.store).
        super().__init__(f"the store {where} has a damaged {row}: {problem}")
        self.row = row
        self.problem = problem

    def located(self, where: str) -> DamagedStore:
        """The same damage, naming the store."""
        return DamagedStore(self.row, self.problem, where)


class StoreLimitExceeded(StoreError):
    """An event does not fit the store's columns (too long, too large, or holding a NUL);
    nothing was recorded."""


class ConfigError(PlanctlError):
    """The config file or a PLANCTL_* mail setting cannot be read or is not valid."""

    def lines(self) -> list[str]:
        return [f"planctl: {line}" for line in str(self).splitlines()]


class MailError(PlanctlError):
    """The message cannot be built or the SMTP server did not take it."""

    def __init__(self, problem: str, *, maybe_sent: bool = False, line: str | None = None) -> None:
        # `problem` is what went wrong, in the language chosen (a server's reply quoted as it
        # came); the line says it with what became of the message, unless `line` says it whole.
        if line is None:
            frame = (
                _("mail: {problem}; the server may or may not have accepted the message")
                if maybe_sent
                else _("mail: {problem}; nothing sent")
            )
            line = frame.format(problem=problem)
        super().__init__(line)
        self.problem = problem
        self.maybe_sent = maybe_sent


MAX_LISTED_PROBLEMS = 20
"""Problems of an export file listed before the rest are only counted."""


class TransferFileError(PlanctlError):
    """An export file cannot be read, or does not fit the store; nothing was imported."""

    def __init__(self, problems: Sequence[str], *, summary: Sequence[str] = ()) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)
        self.summary = list(summary)
        """Lines after the problems, however many of them are shown (the count line)."""

    def lines(self) -> list[str]:
        shown = self.problems[:MAX_LISTED_PROBLEMS]
        if len(self.problems) > MAX_LISTED_PROBLEMS:
            more = len(self.problems) - MAX_LISTED_PROBLEMS
            shown.append(
                ngettext("... and {count} more problem", "... and {count} more problems", more)
                .format(count=more)
            )  # fmt: skip
        return shown + self.summary
