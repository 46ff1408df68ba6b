"""A use case's world: the `Situation` it decides on, the `Change` it makes, and the
`UseCase` protocol every recording request follows (`planctl.core.changes` for done, undo,
note, defer and progress; `planctl.core.review_changes` for the review steps and chases)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field
from datetime import date
from typing import Protocol

from planctl import frozen
from planctl.core.events import Event, Stamp
from planctl.core.state import Completion, TaskState, events_as_of, fold
from planctl.errors import BadRequest
from planctl.plan.model import Plan, Task
from planctl.rules.calendar import PlanPeriod
from planctl.rules.windows import plan_period


@frozen(slots=False)
class Situation:
    """What a use case decides on: the plan and its period, today, the day the work
    happened, who records (the stamp), and the history of the tasks it reads, read in the
    same transaction its events are appended in."""

    plan: Plan
    today: date
    on: date
    stamp: Stamp
    history: Mapping[str, Sequence[Event]]

    @property
    def period(self) -> PlanPeriod:
        return plan_period(self.plan)

    def events(self, task_id: str) -> list[Event]:
        """The task's events, in recorded order."""
        return list(self.history.get(task_id, []))

    def state(self, task_id: str) -> TaskState:
        """The task's state at the end of today (work dated later does not count)."""
        return fold(events_as_of(self.history.get(task_id, []), self.today))


@frozen(slots=False)
class Change:
    """What a use case records: the events to append (none: nothing to record), the tasks
    it left alone with what already did them, and, for `undo`, the change it reverses."""

    events: list[Event]
    already: list[tuple[Task, Completion]] = field(default_factory=list)
    undone: Event | None = None


@frozen(slots=False)
class OneTask:
    """A use case about one task (`undo`, `note`, `defer`, `progress`, `accept`, `reject`,
    `approve`): it is about that task and decides on that task's history."""

    task: Task

    @property
    def tasks(self) -> Sequence[Task]:
        return [self.task]

    def reads(self) -> list[str] | None:
        return [self.task.id]


class UseCase(Protocol):
    """A recording request: the tasks it is about (their due days bound the work date), the
    tasks whose events it decides on, and the change it makes in a situation."""

    @property
    def tasks(self) -> Sequence[Task]: ...

    def reads(self) -> list[str] | None:
        """The IDs of the tasks whose history it decides on (None: the whole plan's)."""
        ...

    def change(self, situation: Situation) -> Change: ...


def steps_below(tasks: Sequence[Task]) -> list[str]:
    """The IDs of the tasks' steps and their steps."""
    below = [step for task in tasks for step in task.steps]
    return [step.id for step in below] + [sub.id for step in below for sub in step.steps]


DECIDES = {"accept": ("claim",), "approve": ("request",), "reject": ("claim", "request")}
"""What each decision decides: a pending claim, a pending request, or either."""


def awaiting_decision(task: Task, state: TaskState, decision: str) -> TaskState:
    """The state of the task a decision (`accept`, `approve`, `reject`) is about; refused,
    `BadRequest(decision, "nothing pending")`, when nothing it decides awaits one."""
    pending = {"claim": state.claim, "request": state.request}
    steps = DECIDES[decision]
    if all(pending[step] is None for step in steps):
        raise BadRequest(
            decision, "nothing pending",
            f"{task.id} {task.title} has no {' or '.join(steps)} to {decision}",
            task=task.id, title=task.title,
        )  # fmt: skip
    return state


def none_awaiting(task: Task, state: TaskState, step: str) -> None:
    """A new claim or request (`step`) is refused, `BadRequest(step, "pending")`, while one
    of its kind awaits a decision: the pending one is decided first."""
    if step == "claim" and state.claim is not None:
        claim = state.claim
        raise BadRequest(
            "claim", "pending",
            f"{task.id} {task.title} is awaiting a check (claimed on {claim.on} by {claim.by});"
            " accept or reject that claim first",
            task=task.id, title=task.title, on=claim.on.isoformat(), by=claim.by,
        )  # fmt: skip
    if step == "request" and state.request is not None:
        request = state.request
        raise BadRequest(
            "request", "pending",
            f"{task.id} {task.title} has a request awaiting a decision (to {request.due},"
            f" asked on {request.on} by {request.by}); approve or reject it first",
            task=task.id, title=task.title, due=request.due.isoformat(),
            on=request.on.isoformat(), by=request.by,
        )  # fmt: skip
