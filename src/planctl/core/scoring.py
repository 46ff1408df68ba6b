"""The scoring rules of the assessment (the config file's `[assess]`) and the arithmetic of a
unit's score: a base and a cap, the weights of the tasks a unit leads and supports, the bonus
of a task done early, the deductions for returns late and missing and for chases; a score
rounded half up to one decimal; ranks shared by equal scores (1, 1, 3).

Pure, exact (fractions): the weights and the tasks' scores in, a unit's score out. Which
outcome a task has and what it scores is `planctl.core.assess`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

from planctl import frozen
from planctl.core.progress import TaskRow
from planctl.core.units import lead_units

Weight = int | float


@frozen
class Weights:
    """The scoring rules (the config file's `[assess]` table): the score of each outcome, a
    unit's base and cap, the weights of the tasks it leads and supports, the bonus of a task
    done early, and what is deducted for each late or missing return and each chase. The
    defaults score as the outcomes alone do."""

    on_time: Weight = 100
    deferred: Weight = 80
    late: Weight = 60
    overdue: Weight = 0
    base: Weight = 0
    """Added to a unit's mean score before deductions."""
    cap: Weight = 100
    """A unit's score is at most this (and never below 0)."""
    lead: Weight = 1
    """The weight of each task a unit leads in its mean."""
    support: Weight = 0
    """The weight of each task a unit supports in its mean (0: supported tasks not scored)."""
    early: Weight = 0
    """Added to the score of a task done before the month of its planned due day."""
    return_late: Weight = 0
    """Deducted from a unit's score for each return (填报) filed after its due day."""
    return_missing: Weight = 0
    """Deducted from a unit's score for each return not filed."""
    chased: Weight = 0
    """Deducted from a unit's score for each time it was chased (催办, a chase still in force)."""

    def of(self, key: str) -> Fraction:
        """A rule's value (an outcome's score, a weight, a bonus), exactly as written (80.15 is
        1603/20, not the binary float just under it, which would round half up to 80.1)."""
        value: Weight = getattr(self, key)
        return Fraction(value) if isinstance(value, int) else Fraction(repr(value))


DEFAULT_WEIGHTS = Weights()
"""The rules when the config file has no `[assess]`: scores as the outcomes alone."""


@frozen
class Deductions:
    """What a unit is deducted for: its returns late and missing, the times it was chased."""

    returns_late: int = 0
    returns_missing: int = 0
    chased: int = 0

    def points(self, weights: Weights) -> Fraction:
        return (
            self.returns_late * weights.of("return_late")
            + self.returns_missing * weights.of("return_missing")
            + self.chased * weights.of("chased")
        )


def chases_by_unit(rows: Iterable[TaskRow]) -> dict[str, int]:
    """How many times each unit was chased (催办): the chases still in force of each task it
    leads (`[assess] chased` deducts per chase)."""
    counted: dict[str, int] = {}
    for row in rows:
        for unit in lead_units(row.task):
            counted[unit] = counted.get(unit, 0) + len(row.state.chases)
    return {unit: times for unit, times in counted.items() if times}


def unit_score(
    led: Iterable[Fraction | None],
    supported: Iterable[Fraction | None],
    weights: Weights,
    deducted: Fraction,
) -> Fraction | None:
    """`base` plus the weighted mean of the scores of the counted tasks led (at `lead`) and
    supported (at `support`; None: not counted), less `deducted`, within 0 and `cap`; None
    when nothing weighs."""
    # Fractions added once per distinct score (a few: 100, 60, 0, the duties' means), each
    # times how many tasks have it: exact, as adding them one by one, and 1,000 times fewer.
    weighed: Counter[tuple[Fraction, Fraction]] = Counter()
    for weight, scores in ((weights.of("lead"), led), (weights.of("support"), supported)):
        weighed.update((weight, score) for score in scores if score is not None)
    total = sum((weight * times for (weight, _), times in weighed.items()), Fraction(0))
    if not total:
        return None
    points = (weight * score * times for (weight, score), times in weighed.items())
    mean = sum(points, Fraction(0)) / total
    return min(weights.of("cap"), max(Fraction(0), weights.of("base") + mean - deducted))


def rounded(score: Fraction) -> Decimal:
    """A score to one decimal, halves rounded up (86.25 -> 86.3), exactly: floor(10 x + 1/2)
    in whole numbers, (20 n + d) // 2 d (a fraction's denominator is positive)."""
    numerator, denominator = score.numerator, score.denominator
    return Decimal((20 * numerator + denominator) // (2 * denominator)).scaleb(-1)


def rank(scores: Sequence[tuple[str, Decimal | None]]) -> dict[str, int]:
    """Competition ranking (1, 1, 3) of the named scores, highest first; None is unranked."""
    ordered = sorted((score for _, score in scores if score is not None), reverse=True)
    return {name: ordered.index(score) + 1 for name, score in scores if score is not None}
