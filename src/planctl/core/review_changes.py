"""The use cases of the review steps and of chasing: `Accept` (销号) and `Reject` (退回) of a
claim, `Approve` (批复) and `Reject` of a request, and `Chase` (催办), with the numbers of the
chase notices (督办〔2018〕6号) sent with them. The claim and the request themselves are
`done` and `defer` under the plan's `checks` (`planctl.core.changes`).

A refusal is a `BadRequest` naming the step and the problem, with its facts: the CLI words
it in the user's language (`planctl.cli.recording.worded`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from planctl import frozen
from planctl.core.changes import later_due
from planctl.core.events import HOWS, Action, Event
from planctl.core.units import lead_units
from planctl.core.usecase import Change, OneTask, Situation, awaiting_decision
from planctl.errors import BadRequest
from planctl.plan.model import Task


@frozen(slots=False)
class Accept(OneTask):
    """`accept`: a task's claim checked and accepted (销号), by someone other than the
    claimant; the task is done as of the claimed day."""

    def change(self, situation: Situation) -> Change:
        task = self.task
        claim = awaiting_decision(task, situation.state(task.id), "accept").claim
        assert claim is not None  # what an accept decides
        if claim.by == situation.stamp.by:
            raise BadRequest(
                "accept", "own claim",
                f"{task.id} was claimed by {claim.by}; someone else accepts it",
                task=task.id, by=claim.by,
            )  # fmt: skip
        if situation.on < claim.on:
            raise BadRequest(
                "accept", "before claim",
                f"{task.id} was claimed on {claim.on}; it cannot be accepted before, on"
                f" {situation.on}",
                task=task.id, claimed=claim.on.isoformat(), on=situation.on.isoformat(),
            )  # fmt: skip
        return Change(
            [situation.stamp.event(situation.plan.id, task.id, Action.ACCEPT, situation.on)]
        )


@frozen(slots=False)
class Reject(OneTask):
    """`reject`: a task's pending claim sent back (退回), or its pending request refused, with
    the reason (of both pending, the one made last)."""

    reason: str

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise BadRequest("rejection reason", "blank", "a rejection needs a reason")

    def change(self, situation: Situation) -> Change:
        task = self.task
        awaiting_decision(task, situation.state(task.id), "reject")
        return Change(
            [situation.stamp.event(situation.plan.id, task.id, Action.REJECT, situation.on,
                                   note=self.reason)]
        )  # fmt: skip


@frozen(slots=False)
class Approve(OneTask):
    """`approve`: a task's pending request granted (批复): its due day moved to the day asked
    for, or to `to` (as written) when the approver gives another."""

    to: str | None = None

    def change(self, situation: Situation) -> Change:
        task = self.task
        state = awaiting_decision(task, situation.state(task.id), "approve")
        request = state.request
        assert request is not None  # what an approve decides
        if self.to is None:
            month, due = request.to_month, request.due
        else:
            month, due = later_due(task, state, self.to, situation.period)
        return Change(
            [situation.stamp.event(situation.plan.id, task.id, Action.APPROVE, situation.on,
                                   to_month=month, to_date=due)]
        )  # fmt: skip


@frozen(slots=False)
class Chase:
    """`chase`: a chase (催办) recorded on each task: how it was made, and a note. With
    `numbered` (a chase notice, 督办单, goes with it), the tasks are grouped by their lead
    units, and each group's chases carry the next notice number of the year (`count`)."""

    tasks: Sequence[Task]
    how: str
    note: str | None = None
    numbered: bool = False

    def __post_init__(self) -> None:
        if self.how not in HOWS:
            raise BadRequest(
                "how", "unknown",
                f"how must be phone, mail, letter or meeting, not {self.how!r}", given=self.how,
            )  # fmt: skip

    def reads(self) -> list[str] | None:
        """The tasks chased; for a numbered notice the whole plan (every number issued)."""
        return None if self.numbered else [task.id for task in self.tasks]

    def change(self, situation: Situation) -> Change:
        numbers: dict[tuple[str, ...], int] = {}
        if self.numbered:
            first = next_notice(situation.history, situation.on.year)
            for group in notice_groups(self.tasks):
                numbers[group] = first + len(numbers)
        return Change(
            [situation.stamp.event(situation.plan.id, task.id, Action.CHASE, situation.on,
                                   note=self.note, how=self.how,
                                   count=numbers.get(tuple(lead_units(task))))
             for task in self.tasks]
        )  # fmt: skip


def notice_groups(tasks: Sequence[Task]) -> dict[tuple[str, ...], list[Task]]:
    """The tasks by the lead units a chase notice goes to, in the order first named: one
    notice per lead unit (a task led jointly goes to all its lead units in one)."""
    groups: dict[tuple[str, ...], list[Task]] = {}
    for task in tasks:
        groups.setdefault(tuple(lead_units(task)), []).append(task)
    return groups


def next_notice(history: Mapping[str, Sequence[Event]], year: int) -> int:
    """The number of the next chase notice of a year (督办〔year〕N号): one after the highest
    a chase dated in that year carries, 1 for the year's first. An undone chase keeps its
    number (the notice went out)."""
    issued = [
        event.count
        for events in history.values()
        for event in events
        if event.action is Action.CHASE and event.count is not None and event.work_date.year == year
    ]
    return max(issued, default=0) + 1
