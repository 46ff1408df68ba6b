"""The bulletin (通报): every task in one class against where it should be by now (序时进度),
the same per unit, the units whose return was late or missing, praise and urging.

Pure: rows assessed on a day (`planctl.core.progress`), today, the lights' margin and the
units' filings for a cycle in; figures out. The classes, the first rule that applies winning:

- `done` (已完成): done as `report` counts it (`TaskRow.done`); of which `early` (提前完成):
  done before the month of its planned due day, as the assessment's early bonus (a duty:
  never);
- `overdue` (逾期): open after its due day (a duty: an occurrence missed);
- `not_started` (未开始): its window (a duty: its current or next occurrence) has not begun;
- `behind` (欠进度): behind by the rule of the yellow light (`planctl.core.lights.against_pace`,
  which judges both ways): a count below its pace, a reported percent more than
  `behind_margin` points below the elapsed share of its window, a value not meeting its
  target;
- `ahead` (超进度): the other way: a count above the count expected by today, a reported
  percent more than `behind_margin` points above the elapsed share, a value already meeting
  its target;
- `on_pace` (达进度): otherwise (an open task with nothing reported is on pace, as it is never
  yellow for being behind; a stale task too).

A task with steps is classed through its steps, so that nothing counts twice.

Under the plan's `checks:`, a task claimed done (办结申请) stays in its class until the claim
is accepted (销号), and a task whose later due day is asked for (延期申请) keeps its due day
until the request is approved: the bulletin marks each (待审核, 延期申请待批复) and counts them
apart from the classes. Each task carries how many times it was chased (催办), the chases
still in force.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from datetime import date

from planctl import frozen
from planctl.core.assess import done_on
from planctl.core.lights import against_pace
from planctl.core.progress import TaskRow
from planctl.core.returns import Cycle, UnitFiling, fold_unit
from planctl.core.steps import leaf_rows
from planctl.core.units import NO_UNIT, lead_units


class Standing(enum.StrEnum):
    """A task's class in the bulletin, in the order the bulletin lists them."""

    DONE = "done"
    AHEAD = "ahead"
    ON_PACE = "on_pace"
    BEHIND = "behind"
    OVERDUE = "overdue"
    NOT_STARTED = "not_started"


def standing(row: TaskRow, today: date, margin: int) -> Standing:
    """A task's class on `today`: the first rule of the module that applies."""
    if row.done:
        return Standing.DONE
    if row.overdue:
        return Standing.OVERDUE
    if today < row.start:
        return Standing.NOT_STARTED
    gap = against_pace(row, today, margin)
    if gap:
        return Standing.BEHIND if gap < 0 else Standing.AHEAD
    return Standing.ON_PACE


def early(row: TaskRow) -> bool:
    """Done before the month of its planned due day (a duty: never)."""
    if row.task.recurring:
        return False
    finished = done_on(row)
    return finished is not None and finished < row.planned_due.replace(day=1)


def overdue_since(row: TaskRow) -> date:
    """The due day an overdue task missed: its own (after a deferral), a duty's that of the
    first occurrence it missed."""
    if row.rhythm is not None and row.rhythm.missed:
        return row.rhythm.missed[0].due
    return row.due


@frozen
class Classed:
    """One task in the bulletin: its row, its class, whether it was done early, and, when
    overdue, the due day it missed (`overdue_since`) and how many days ago (else 0); how many
    times it was chased; the day of a claim awaiting a check and the due day of a request
    awaiting a decision (None when there is none)."""

    row: TaskRow
    standing: Standing
    early: bool = False
    days_overdue: int = 0
    missed: date | None = None
    chased: int = 0
    claimed: date | None = None
    requested: date | None = None


@frozen
class ClassCounts:
    """How many tasks are in each class, how many of the done were done early, and, apart
    from the classes, how many await a check of their claim and a decision on a request."""

    done: int = 0
    early: int = 0
    ahead: int = 0
    on_pace: int = 0
    behind: int = 0
    overdue: int = 0
    not_started: int = 0
    claimed: int = 0
    requested: int = 0

    @property
    def tasks(self) -> int:
        return self.done + self.ahead + self.on_pace + self.behind + self.overdue + self.not_started

    def of(self, standing: Standing) -> int:
        count: int = getattr(self, standing.value)
        return count


def class_counts(tasks: Iterable[Classed]) -> ClassCounts:
    counts = dict.fromkeys((*(s.value for s in Standing), "early", "claimed", "requested"), 0)
    for one in tasks:
        counts[one.standing.value] += 1
        counts["early"] += one.early
        counts["claimed"] += one.claimed is not None
        counts["requested"] += one.requested is not None
    return ClassCounts(**counts)


@frozen
class UnitLine:
    """A lead unit's tasks by class (`unit` None: the tasks that name no lead unit), and
    whether the bulletin praises it."""

    unit: str | None
    tasks: list[Classed]
    counts: ClassCounts
    praised: bool = False


@frozen
class Bulletin:
    """The bulletin on a day: every task classed, the totals, each lead unit's line (the
    tasks without a unit last), the cycle judged and the units whose return for it was late
    or missing (None for a plan without `returns:`), and the overdue tasks by unit."""

    today: date
    margin: int
    tasks: list[Classed]
    totals: ClassCounts
    units: list[UnitLine]
    cycle: Cycle | None = None
    returns: list[UnitFiling] | None = None
    urged: list[tuple[str | None, Classed]] = field(default_factory=list)

    @property
    def praised(self) -> list[str]:
        return [line.unit for line in self.units if line.praised and line.unit is not None]


def classify(rows: Iterable[TaskRow], today: date, margin: int) -> list[Classed]:
    """Each task without steps (a task's steps stand for it), classed on `today`; a step
    counts the chases of the tasks above it with its own (a task chased is chased for each
    of its steps)."""
    rows = list(rows)
    chases = {row.task.id: len(row.state.chases) for row in rows}
    parents = {row.task.id: row.task.parent for row in rows}
    found = []
    for row in leaf_rows(rows):
        kind = standing(row, today, margin)
        missed = overdue_since(row) if kind is Standing.OVERDUE else None
        claim, request = row.state.claim, row.state.request
        found.append(
            Classed(
                row,
                kind,
                early=kind is Standing.DONE and early(row),
                days_overdue=0 if missed is None else (today - missed).days,
                missed=missed,
                chased=_times_chased(row.task.id, chases, parents),
                claimed=None if claim is None or row.done else claim.on,
                requested=None if request is None else request.due,
            )
        )
    return found


def _times_chased(
    task: str | None, chases: Mapping[str, int], parents: Mapping[str, str | None]
) -> int:
    """The chases of a task and of every task above it among the rows."""
    times = 0
    while task is not None and task in chases:
        times += chases[task]
        task = parents[task]
    return times


def bulletin(
    rows: Iterable[TaskRow],
    today: date,
    margin: int,
    *,
    cycle: Cycle | None = None,
    filings: Sequence[UnitFiling] | None = None,
) -> Bulletin:
    """The bulletin of the rows on `today` (`margin`: the lights' `behind_margin`). With
    `filings` (each unit's return for `cycle`), the late and missing are named, and a unit is
    praised only when its return is neither; a unit is praised when none of the tasks it
    leads is behind or overdue. The tasks without a unit are a line of their own, last,
    never praised."""
    tasks = classify(rows, today, margin)
    names: dict[str, str] = {}  # folded name -> the first spelling
    led: dict[str, list[Classed]] = {}
    nobody: list[Classed] = []
    for one in tasks:
        leads = {fold_unit(unit): unit for unit in lead_units(one.row.task)}
        if not leads:
            nobody.append(one)
        for key, unit in leads.items():
            names.setdefault(key, unit)
            led.setdefault(key, []).append(one)
    failed = {
        fold_unit(filing.unit) for filing in filings or () if filing.status in ("late", "missing")
    }
    lines = []
    for key, unit in sorted(names.items(), key=lambda item: item[1]):
        counts = class_counts(led[key])
        good = not counts.behind and not counts.overdue and key not in failed
        lines.append(UnitLine(unit, led[key], counts, praised=good))
    if nobody:
        lines.append(UnitLine(NO_UNIT, nobody, class_counts(nobody)))
    urged = [
        (line.unit, one)
        for line in lines
        for one in sorted(line.tasks, key=lambda t: -t.days_overdue)
        if one.standing is Standing.OVERDUE
    ]
    late = None
    if filings is not None:
        late = [filing for filing in filings if filing.status in ("late", "missing")]
    return Bulletin(today, margin, tasks, class_counts(tasks), lines, cycle, late, urged)
