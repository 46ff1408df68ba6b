"""The year-end assessment (年终问效, 逐项考核): each task scored, units ranked, points counted.

Pure: the plan, rows assessed on a day (`planctl.core.progress`), today and the weights in;
figures out. It works over the rows it is given, so a caller narrows them first (a unit's, a
leader's, or only the tasks a summary counts).

The rule: a task scores `on_time` when done by its planned due day, `deferred` when done later
but by the day a deferral with a reason moved it to, `late` when done later still, and
`overdue` when open after its due day; an open task whose due day has not passed is pending and
not counted. Done is what `report` counts (`TaskRow.done`): a recurring duty is done when its
current occurrence is (none missed), overdue while an occurrence is missed, else pending; it
scores the mean of its occurrences due so far (each on time, late, or missed; one still running
once done), and an occasional duty (`as_needed`) is never scored. A unit's score is the mean
over the counted tasks it leads, rounded half up to one decimal; units are ranked by that
rounded score, equal scores sharing a rank (1, 1, 3); a unit with no counted task has no score
and no rank.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from planctl.core.progress import TaskRow
from planctl.core.schedule import unit_role
from planctl.plan.model import Plan
from planctl.plan.refs import fold
from planctl.rules.periods import Occurrence


class Outcome(enum.StrEnum):
    """Where a task stands in the assessment."""

    ON_TIME = "on_time"
    """Done by its planned due day (a duty: no occurrence late or missed)."""
    DEFERRED = "deferred"
    """Done after its planned due day, by the day a deferral with a reason moved it to."""
    LATE = "late"
    """Done after its due day (a duty: an occurrence done after its due day, none missed)."""
    OVERDUE = "overdue"
    """Open after its due day (a duty: an occurrence missed)."""
    PENDING = "pending"
    """Open, its due day not yet passed (a duty: no occurrence due yet): not counted."""


DONE_OUTCOMES = (Outcome.ON_TIME, Outcome.DEFERRED, Outcome.LATE)

Weight = int | float


@dataclass(frozen=True, slots=True)
class Weights:
    """The score of each outcome (the config file's `[assess]` table), 0 to 100."""

    on_time: Weight = 100
    deferred: Weight = 80
    late: Weight = 60
    overdue: Weight = 0

    def of(self, outcome: Outcome) -> Fraction:
        """The score of a counted outcome, exactly as written (80.15 is 1603/20, not the
        binary float just under it, which would round half up to 80.1)."""
        value: Weight = getattr(self, outcome.value)
        return Fraction(value) if isinstance(value, int) else Fraction(repr(value))


@dataclass(frozen=True, slots=True)
class Verdict:
    """One task assessed: its outcome, its score (None when not counted) and when it was done."""

    row: TaskRow
    outcome: Outcome
    score: Fraction | None
    done_on: date | None
    """The day it was done (a task with a target: the day its count reached the target; a
    duty: None)."""


def done_on(row: TaskRow) -> date | None:
    """The day a task (not a duty) was done: for a target, the work date on which the count
    reached it; else the completion's. None while open."""
    if not row.done:
        return None
    target = row.task.target
    if target is not None:
        count = 0
        for completion in sorted(row.state.completions, key=lambda c: c.on):
            count += completion.count
            if count >= target:
                return completion.on
    if row.completion is not None:
        return row.completion.on
    return row.due  # done by a rule of its own, with no completion: on its due day


def task_outcome(row: TaskRow, today: date) -> tuple[Outcome, date | None]:
    """A task's outcome (not a duty's) on `today`, and the day it was done."""
    finished = done_on(row)
    if finished is None:
        return (Outcome.OVERDUE if today > row.due else Outcome.PENDING), None
    if finished <= row.planned_due:
        return Outcome.ON_TIME, finished
    deferral = row.state.deferral
    if deferral is not None and (deferral.reason or "").strip() and finished <= row.due:
        return Outcome.DEFERRED, finished
    return Outcome.LATE, finished


def occurrence_outcomes(row: TaskRow) -> list[tuple[Occurrence, Outcome]]:
    """A duty's occurrences due so far, each scored: done (on time, or after its due day) or
    missed. An occurrence still running counts once done, and not before. An occasional duty
    (`as_needed`) has no due days and none is scored."""
    beat = row.rhythm
    assert beat is not None
    if beat.every == "as_needed":
        return []
    found: list[tuple[Occurrence, Outcome]] = []
    missed = set(beat.missed)
    for occurrence in beat.elapsed:
        if occurrence in missed:
            found.append((occurrence, Outcome.OVERDUE))
            continue
        days = [c.on for c in row.state.completions if c.on in occurrence]
        if days:
            late = min(days) > occurrence.due
            found.append((occurrence, Outcome.LATE if late else Outcome.ON_TIME))
    return found


def duty_verdict(row: TaskRow, weights: Weights) -> Verdict:
    """A duty: done as report counts it (its current occurrence done, none missed), overdue
    while an occurrence is missed, else pending; done, it is late if an occurrence was done
    late, else on time. Its score is the mean of its scored occurrences' (None before any)."""
    outcomes = occurrence_outcomes(row)
    if row.overdue:
        overall = Outcome.OVERDUE
    elif row.done:
        late = any(outcome is Outcome.LATE for _, outcome in outcomes)
        overall = Outcome.LATE if late else Outcome.ON_TIME
    else:
        overall = Outcome.PENDING
    if not outcomes:
        return Verdict(row, overall, None, None)
    score = sum((weights.of(outcome) for _, outcome in outcomes), Fraction(0)) / len(outcomes)
    return Verdict(row, overall, score, None)


def verdict(row: TaskRow, today: date, weights: Weights) -> Verdict:
    """One task assessed on `today`."""
    if row.rhythm is not None:
        return duty_verdict(row, weights)
    outcome, finished = task_outcome(row, today)
    score = None if outcome is Outcome.PENDING else weights.of(outcome)
    return Verdict(row, outcome, score, finished)


@dataclass(frozen=True, slots=True)
class Counts:
    """Tasks by outcome. `open` is `overdue` plus `pending`; `counted` leaves pending out."""

    tasks: int = 0
    on_time: int = 0
    deferred: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0

    @property
    def done(self) -> int:
        return self.on_time + self.deferred + self.late

    @property
    def open(self) -> int:
        return self.overdue + self.pending

    @property
    def counted(self) -> int:
        return self.done + self.overdue

    @property
    def on_time_rate(self) -> int | None:
        """Percent of the counted tasks done on time, rounded down; None when none counts."""
        return 100 * self.on_time // self.counted if self.counted else None


def count(verdicts: Iterable[Verdict]) -> Counts:
    by_outcome = dict.fromkeys(Outcome, 0)
    total = 0
    for one in verdicts:
        total += 1
        by_outcome[one.outcome] += 1
    return Counts(
        total,
        by_outcome[Outcome.ON_TIME],
        by_outcome[Outcome.DEFERRED],
        by_outcome[Outcome.LATE],
        by_outcome[Outcome.OVERDUE],
        by_outcome[Outcome.PENDING],
    )


def mean_score(verdicts: Iterable[Verdict]) -> Fraction | None:
    """The mean score of the counted verdicts, exactly; None when none counts."""
    scores = [one.score for one in verdicts if one.score is not None]
    return sum(scores, Fraction(0)) / len(scores) if scores else None


def rounded(score: Fraction) -> Decimal:
    """A score to one decimal, halves rounded up (86.25 -> 86.3), exactly."""
    return Decimal(math.floor(score * 10 + Fraction(1, 2))).scaleb(-1)


@dataclass(frozen=True, slots=True)
class UnitScore:
    """One unit: the tasks it leads by outcome, its score and rank, and the tasks it supports
    (supported tasks are never scored as its own)."""

    unit: str
    led: Counts
    score: Decimal | None
    rank: int | None
    supported: Counts


@dataclass(frozen=True, slots=True)
class PointCounts:
    number: int
    title: str
    counts: Counts


@dataclass(frozen=True)
class Assessment:
    """Everything `planctl assess` shows."""

    weights: Weights
    verdicts: list[Verdict]
    """One per row, in the rows' order."""
    units: list[UnitScore]
    """Ranked units by rank (then name), then the units without a score by name."""
    points: list[PointCounts]
    """Every work point of the plan, in plan order (those without a task count zero)."""

    @property
    def deferred(self) -> list[Verdict]:
        """The tasks with a deferral in force, whatever their outcome."""
        return [one for one in self.verdicts if one.row.state.deferral is not None]


def rank(scores: Sequence[tuple[str, Decimal | None]]) -> dict[str, int]:
    """Competition ranking (1, 1, 3) of the named scores, highest first; None is unranked."""
    ordered = sorted((score for _, score in scores if score is not None), reverse=True)
    return {name: ordered.index(score) + 1 for name, score in scores if score is not None}


def assessment(
    plan: Plan, rows: Sequence[TaskRow], today: date, weights: Weights = Weights()
) -> Assessment:
    """The assessment of the given rows on `today`, under `weights`."""
    verdicts = [verdict(row, today, weights) for row in rows]
    return Assessment(weights, verdicts, unit_scores(verdicts), point_counts(plan, verdicts))


def unit_scores(verdicts: Sequence[Verdict]) -> list[UnitScore]:
    """Every unit of the verdicts' tasks (as `--owner` compares them, the first spelling
    kept), with what it leads and supports, scored and ranked."""
    units: dict[str, str] = {}
    for one in verdicts:
        for unit in (*one.row.task.leads, *one.row.task.support):
            units.setdefault(fold(unit), unit)
    figures = []
    for unit in units.values():
        led = [one for one in verdicts if unit_role(one.row.task, unit) == "lead"]
        supported = [one for one in verdicts if unit_role(one.row.task, unit) == "support"]
        score = mean_score(led)
        figures.append((unit, count(led), None if score is None else rounded(score), supported))
    ranks = rank([(unit, score) for unit, _, score, _ in figures])
    scored = [
        UnitScore(unit, led, score, ranks.get(unit), count(supported))
        for unit, led, score, supported in figures
    ]
    return sorted(scored, key=lambda u: (u.rank is None, u.rank or 0, u.unit))


def point_counts(plan: Plan, verdicts: Sequence[Verdict]) -> list[PointCounts]:
    """Each work point of the plan with its tasks' outcomes counted (a task counts for every
    point it carries out)."""
    return [
        PointCounts(
            point.number,
            point.title,
            count(one for one in verdicts if point.number in one.row.task.points),
        )
        for point in plan.points
    ]
