"""A task of the plan (one row of the breakdown table, 重点工作分解表) and its steps: its window,
units, target and duty, each checked as the file gives it.
"""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from planctl.i18n import _
from planctl.plan.types import (
    WINDOW_KEYS,
    CarriedFrom,
    Compare,
    DayRef,
    Every,
    Measure,
    MonthRef,
    Names,
    Number,
    Prose,
    QuarterRef,
    TaskId,
    Text,
    _Strict,
)


class Task(_Strict):
    """One row of the breakdown table (重点工作分解表).

    Its window, the days it is to be done in, is given by exactly one of `month`, `quarter`,
    `due` (with an optional `start`), `year_round: true`, or a recurring duty (`every` or
    `months`). Whether the window lies in the plan's period is checked in
    `planctl.plan.check`, which knows the period."""

    id: TaskId = Field(description="Short, ASCII, stable; unique in the plan, e.g. 6.2.")
    title: Text
    month: MonthRef | None = Field(
        default=None,
        description='The month it is to be done in: 6, or "2019-06" (needed when the period'
        " holds two Junes).",
    )
    quarter: QuarterRef | None = Field(
        default=None, description='The calendar quarter it is to be done in: 2 or "2019-Q2".'
    )
    due: DayRef | None = Field(
        default=None,
        description='The day it is due by: a date, or a month (10 or "2022-10") meaning the'
        " last day of that month (10月底前).",
    )
    start: DayRef | None = Field(
        default=None,
        description="With due: the day work starts (a date, or a month meaning its first day);"
        " default the start of the plan's period.",
    )
    year_round: bool = Field(default=False, description="True for the 全年 rows: the whole period.")
    owners: list[Text] = Field(
        default_factory=list,
        description="Departments that own it: the older spelling of lead (not beside lead).",
    )
    lead: list[Text] = Field(
        default_factory=list, description="The lead units (牵头单位), e.g. [市发改委]."
    )
    support: list[Text] = Field(
        default_factory=list,
        description="The supporting units (配合, 协同, 会同单位), e.g. [市经信局, 市商务局].",
    )
    leader: Names = Field(
        default_factory=list,
        description="The person or people answerable (责任领导, lead officer): a name or a"
        " list of names.",
    )
    points: list[int] = Field(default_factory=list, description="Work points it carries out.")
    kind: Text | None = Field(default=None, description="会议, 调研, 视察, 活动, ...")
    source: Prose | None = Field(
        default=None, description="The plan's own wording of the row, kept verbatim."
    )
    target: Number | None = Field(
        default=None,
        description="A count to reach over the task's window (不少于 6 次 -> 6), or with"
        " measure: value the value to reach (增长8%以上 -> 8; decimals allowed).",
    )
    unit: Text | None = Field(
        default=None, description='What the target counts or measures, e.g. 次 or "%".'
    )
    measure: Measure | None = Field(
        default=None,
        description="count (the default): done when the count reaches the target; value: the"
        " latest reported value is compared with the target.",
    )
    compare: Compare | None = Field(
        default=None,
        description="With measure: value: at_least (以上, the default), at_most (以下) or"
        " about (左右: within tolerance of the target).",
    )
    tolerance: Number | None = Field(
        default=None,
        description="With compare: about: how far from the target still meets it, in the"
        " target's unit (default 5% of the target).",
    )
    every: Every | None = Field(
        default=None,
        description="A recurring duty: once every ISO week, calendar month, quarter or half,"
        " or year counted from the period's start; as_needed: counted each time, never missed.",
    )
    interval: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="With every: once every N of them (每两月: every: month,"
        " interval: 2), counted from the period's start.",
    )  # fmt: skip
    by: Annotated[int, Field(ge=1, le=31)] | None = Field(
        default=None,
        description="With every or months: each occurrence is due by this day of its last month"
        " (每月28日前: every: month, by: 28); a shorter month's last day stands in.",
    )
    months: Annotated[list[MonthRef], Field(min_length=1)] | None = Field(
        default=None,
        description="A recurring duty done once in each listed month ([3, 6, 9, 12]: 每季度末);"
        ' 6 is every June of the period, "2019-06" that one June.',
    )
    after: list[TaskId] = Field(
        default_factory=list,
        description="Tasks that must be done first (reports a meeting takes); steps and their"
        " parents may be named.",
    )
    steps: list[Step] = Field(
        default_factory=list,
        description="The task broken into steps: tasks of their own (IDs unique in the plan)"
        " that inherit each of lead/owners, support, leader, points and the window unless they"
        " set it; a step may have steps of its own (two levels below a task). The task is done"
        " when all its steps are.",
    )
    carried_from: CarriedFrom | None = Field(
        default=None,
        description="Where a task carried over (结转) from an earlier plan came from:"
        " PLAN-ID:TASK-ID, e.g. cppcc-2018:6.2 (written by planctl new).",
    )
    parent: SkipJsonSchema[str | None] = Field(default=None, exclude=True)
    """The ID of the task this one is a step of; set by the loader, never by the file."""

    @field_validator("parent", mode="before")
    @classmethod
    def _not_in_file(cls, value: object) -> object:
        # The loader sets `parent` without validation (model_copy); written in a file it is
        # an unknown key, as any key a task does not have.
        raise PydanticCustomError("extra_forbidden", "Extra inputs are not permitted")

    @property
    def leads(self) -> list[str]:
        """The lead units: `lead`, or `owners` (its older spelling)."""
        return self.lead or self.owners

    @property
    def recurring(self) -> bool:
        """Whether the task is a recurring duty (`every` or `months`)."""
        return self.every is not None or self.months is not None

    @property
    def window_key(self) -> str:
        """Which key gives the task its window: month, quarter, due, year_round or duty."""
        if self.recurring:
            return "duty"
        for key in ("month", "quarter", "due"):
            if getattr(self, key) is not None:
                return key
        return "year_round"

    @property
    def step_ids(self) -> list[str]:
        """The IDs of its steps, in plan order ([] for a task without steps)."""
        return [step.id for step in self.steps]

    @model_validator(mode="after")
    def _one_window(self) -> Task:
        self._check_window(required=True)
        return self

    def _check_window(self, *, required: bool) -> None:
        given = [key for key in WINDOW_KEYS if getattr(self, key) not in (None, False)]
        if self.recurring and "year_round" in given:
            given.remove("year_round")  # the old spelling of a duty: `every` alone
        if not given and required:
            raise ValueError(
                _("a task needs one of month, quarter, due, year_round: true, every or months")
            )
        if len(given) > 1:
            first, second = (_(WINDOW_KEYS[key]) for key in given[:2])
            raise ValueError(
                _("a task has either {first} or {second}, not both").format(
                    first=first, second=second
                )
            )
        if self.start is not None and self.due is None:
            raise ValueError(_("start goes with due: a task with a start needs a due day"))
        rhythm = self.every or ("months" if self.months is not None else None)
        if self.interval is not None and self.every in (None, "as_needed"):
            raise ValueError(_("interval goes with every (week, month, quarter, half or year)"))
        if self.by is not None and rhythm in (None, "week", "as_needed"):
            what = f"every: {rhythm}" if rhythm else _("a task without every or months")
            raise ValueError(
                _("by is a day of the month; it does not go with {what}").format(what=what)
            )
        if self.target is not None and rhythm is not None:
            raise ValueError(
                _("a task has either a target or {key}, not both").format(key=self._duty_key)
            )
        if self.unit is not None and self.target is None:
            raise ValueError(_("unit needs a target"))
        self._check_measure()

    def _check_measure(self) -> None:
        """The value-target keys: a counted target is a whole number of at least 1; a value
        target any finite number; compare and tolerance only where they mean something."""
        if self.measure is not None and self.target is None:
            raise ValueError(_("measure needs a target"))
        for value, key in ((self.target, "target"), (self.tolerance, "tolerance")):
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(_("{key} must be a finite number").format(key=key))
        if not self.measures_value:
            if self.compare is not None or self.tolerance is not None:
                key = "compare" if self.compare is not None else "tolerance"
                raise ValueError(_("{key} goes with measure: value").format(key=key))
            if self.target is not None and (not isinstance(self.target, int) or self.target < 1):
                raise ValueError(
                    _(
                        "a counted target is a whole number of at least 1, not {target}"
                        " (a value to reach needs measure: value)"
                    ).format(target=self.target)
                )
        if self.tolerance is not None:
            if self.compare != "about":
                raise ValueError(_("tolerance goes with compare: about"))
            if self.tolerance < 0:
                raise ValueError(
                    _("tolerance must be 0 or more, not {tolerance}").format(
                        tolerance=self.tolerance
                    )
                )

    @property
    def measures_value(self) -> bool:
        """Whether the target is a value to reach (measure: value), not a count."""
        return self.measure == "value"

    @property
    def counted(self) -> bool:
        """Whether the task has a counted target (done when the count reaches it)."""
        return self.target is not None and not self.measures_value

    @property
    def _duty_key(self) -> str:
        return "every" if self.every is not None else "months"


class Step(Task):
    """A step of a task: a task of its own, which may leave its window out (it then has its
    parent's). Inheritance is applied by the loader (`planctl.plan.steps`)."""

    @model_validator(mode="after")
    def _one_window(self) -> Step:
        self._check_window(required=False)
        return self
