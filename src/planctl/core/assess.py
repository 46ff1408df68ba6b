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
once done), and an occasional duty (`as_needed`) is never scored. A task done before the
month of its planned due day is early and gains the `early` bonus. A unit's score is `base`
plus the weighted mean over the counted tasks it leads (at `lead`) and supports (at `support`),
less its deductions (late and missing returns, chases), within 0 and `cap`, rounded half up to
one decimal; with the default rules, the mean over the tasks it leads. Units are ranked by that
rounded score, equal scores sharing a rank (1, 1, 3); a unit with no counted task has no score
and no rank. The tasks that name no unit (`planctl.core.units`) are scored as one row, last,
and never ranked. The rules and the arithmetic of a unit's score are `planctl.core.scoring`
(whose names this module gives too, as it did before the split).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction

from planctl import frozen
from planctl.core.progress import TaskRow
from planctl.core.scoring import DEFAULT_WEIGHTS, unit_score
from planctl.core.scoring import Deductions as Deductions
from planctl.core.scoring import Weight as Weight
from planctl.core.scoring import Weights as Weights
from planctl.core.scoring import chases_by_unit as chases_by_unit
from planctl.core.scoring import rank as rank
from planctl.core.scoring import rounded as rounded
from planctl.core.units import NO_UNIT, lead_units, support_units
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


@frozen
class Verdict:
    """One task assessed: its outcome, its score (None when not counted) and when it was done."""

    row: TaskRow
    outcome: Outcome
    score: Fraction | None
    done_on: date | None
    """The day it was done (a task with a target: the day its count reached the target; a
    duty: the day its current occurrence was done)."""
    early: bool = False
    """Done before the month of its planned due day (a duty: never)."""


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
    finished = row.completion.on if row.done and row.completion is not None else None
    if not outcomes:
        return Verdict(row, overall, None, finished)
    total = sum((weights.of(outcome.value) for _, outcome in outcomes), Fraction(0))
    return Verdict(row, overall, total / len(outcomes), finished)


def verdict(row: TaskRow, today: date, weights: Weights) -> Verdict:
    """One task assessed on `today`: its outcome's score, and the `early` bonus when it was
    done before the month of its planned due day."""
    if row.rhythm is not None:
        return duty_verdict(row, weights)
    outcome, finished = task_outcome(row, today)
    if outcome is Outcome.PENDING:
        return Verdict(row, outcome, None, finished)
    early = finished is not None and finished < row.planned_due.replace(day=1)
    score = weights.of(outcome.value) + (weights.of("early") if early else 0)
    return Verdict(row, outcome, score, finished, early)


@frozen
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


def scores(verdicts: Iterable[Verdict]) -> list[Fraction | None]:
    """The verdicts' scores (None: not counted), for `planctl.core.scoring.unit_score`."""
    return [one.score for one in verdicts]


def mean_score(verdicts: Iterable[Verdict]) -> Fraction | None:
    """The mean score of the counted verdicts, exactly; None when none counts."""
    scores = [one.score for one in verdicts if one.score is not None]
    return sum(scores, Fraction(0)) / len(scores) if scores else None


@frozen
class UnitScore:
    """One unit: the tasks it leads by outcome, its score and rank, the tasks it supports, and
    what was deducted from its score. `unit` is None (`NO_UNIT`) for the row of the tasks that
    name no lead unit: scored, never ranked."""

    unit: str | None
    led: Counts
    score: Decimal | None
    rank: int | None
    supported: Counts
    deduction: Fraction = Fraction(0)
    """`return_late`, `return_missing` and `chased` times their counts."""


@frozen
class PointCounts:
    """A work point of the plan and its tasks' outcomes, counted."""

    number: int
    title: str
    counts: Counts


@frozen(slots=False)
class Assessment:
    """Everything `planctl assess` shows."""

    weights: Weights
    verdicts: list[Verdict]
    """One per row, in the rows' order."""
    units: list[UnitScore]
    """Ranked units by rank (then name), then the units without a score by name, then the
    `NO_UNIT` row when a task names no lead unit."""
    points: list[PointCounts]
    """Every work point of the plan, in plan order (those without a task count zero)."""
    totals: Counts
    """Every task once."""
    total_score: Decimal | None
    """The mean score of every counted task, each once, from `base` and within `cap`."""
    led: Mapping[str | None, list[Verdict]]
    """The verdicts of the tasks each of `units` leads, by its `unit` (`NO_UNIT`: the tasks
    that name no lead unit)."""

    @property
    def deferred(self) -> list[Verdict]:
        """The tasks with a deferral in force, whatever their outcome."""
        return [one for one in self.verdicts if one.row.state.deferral is not None]

    def by_unit(self) -> list[tuple[str | None, list[Verdict]]]:
        """The verdicts of the tasks each unit leads, in the units' order (a task with two
        lead units under each; the `NO_UNIT` row's tasks last)."""
        return [(unit.unit, self.led[unit.unit]) for unit in self.units]


@frozen
class Roles:
    """Every unit of the verdicts' tasks and what it does in them, from one pass over the
    tasks: units are compared as `--owner` compares them (`fold`), the first spelling kept,
    pseudo-units are none; a unit named twice in a task counts the task once."""

    names: dict[str, str]
    """Each unit's first spelling by its folded name, in the order the tasks first name them
    (as lead, then support)."""
    led: dict[str, list[Verdict]]
    """The verdicts of the tasks each unit leads (folded name), in the verdicts' order."""
    supported: dict[str, list[Verdict]]
    """The verdicts of the tasks each unit supports and does not lead."""
    nobody: list[Verdict]
    """The verdicts of the tasks that name no lead unit."""


def unit_roles(verdicts: Iterable[Verdict]) -> Roles:
    """The units of the verdicts' tasks, the tasks each leads and supports, and the tasks
    that name no lead unit: each task's units read once."""
    names: dict[str, str] = {}
    led: dict[str, list[Verdict]] = {}
    supported: dict[str, list[Verdict]] = {}
    nobody: list[Verdict] = []
    for one in verdicts:
        leads, supports = lead_units(one.row.task), support_units(one.row.task)
        leading: dict[str, str] = {}
        helping: dict[str, str] = {}
        for unit in leads:
            leading.setdefault(fold(unit), unit)
        for unit in supports:
            helping.setdefault(fold(unit), unit)
        for key, unit in (*leading.items(), *helping.items()):
            names.setdefault(key, unit)
        for key in leading:
            led.setdefault(key, []).append(one)
        for key in helping.keys() - leading.keys():
            supported.setdefault(key, []).append(one)
        if not leads:
            nobody.append(one)
    return Roles(names, led, supported, nobody)


def assessment(
    plan: Plan,
    rows: Sequence[TaskRow],
    today: date,
    weights: Weights = DEFAULT_WEIGHTS,
    deductions: Mapping[str, Deductions] | None = None,
) -> Assessment:
    """The assessment of the given rows on `today`, under `weights`; `deductions` by unit
    (compared as units are)."""
    verdicts = [verdict(row, today, weights) for row in rows]
    folded = {fold(unit): found for unit, found in (deductions or {}).items()}
    total = unit_score(scores(verdicts), [], weights, Fraction(0))
    roles = unit_roles(verdicts)
    units = unit_scores(roles, weights, folded)
    led: dict[str | None, list[Verdict]] = {
        unit: roles.led.get(key, []) for key, unit in roles.names.items()
    }
    led[NO_UNIT] = roles.nobody
    return Assessment(
        weights,
        verdicts,
        units,
        point_counts(plan, verdicts),
        count(verdicts),
        None if total is None else rounded(total),
        led,
    )


def unit_scores(
    roles: Roles, weights: Weights, deductions: Mapping[str, Deductions]
) -> list[UnitScore]:
    """Every unit of the tasks (`roles`), with what it leads and supports, scored and
    ranked; then the tasks that name no lead unit, scored as one row and not ranked."""
    figures = []
    for key, unit in roles.names.items():
        led, supported = roles.led.get(key, []), roles.supported.get(key, [])
        deducted = deductions.get(key, Deductions()).points(weights)
        score = unit_score(scores(led), scores(supported), weights, deducted)
        figures.append(
            (unit, count(led), None if score is None else rounded(score), supported, deducted)
        )
    ranks = rank([(unit, score) for unit, _, score, _, _ in figures])
    scored = [
        UnitScore(unit, led, score, ranks.get(unit), count(supported), deducted)
        for unit, led, score, supported, deducted in figures
    ]
    ordered = sorted(scored, key=lambda u: (u.rank is None, u.rank or 0, u.unit or ""))
    nobody = roles.nobody
    if nobody:
        score = unit_score(scores(nobody), [], weights, Fraction(0))
        ordered.append(
            UnitScore(NO_UNIT, count(nobody), None if score is None else rounded(score), None,
                      Counts())
        )  # fmt: skip
    return ordered


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
