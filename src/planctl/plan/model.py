"""The plan file's data model: Pydantic models with extra keys forbidden.

A plan is what an office adopts for a year (or a period of up to five years): numbered work
points grouped in sections, and a breakdown of tasks, each with the window it is to be done
in. The models validate the shape of one file; checks that span the whole plan (unique IDs,
references that resolve, windows inside the period) are in `planctl.plan.check`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from planctl.rules.calendar import MONTH_TEXT, QUARTER_TEXT, period_problem

TASK_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"

ALLOWED_CONTROLS = {"\t", "\n", "\r"}


SEPARATORS = {"\u2028": "line separator U+2028", "\u2029": "paragraph separator U+2029"}


def no_control_characters(text: str) -> str:
    """Reject control characters and line separators written as YAML escapes ("\\e",
    "\\L"), as the raw ones are rejected: a YAML tool would save them raw."""
    for character in text:
        if character in SEPARATORS:
            raise ValueError(f"{SEPARATORS[character]} is not allowed")
        if unicodedata.category(character) == "Cc" and character not in ALLOWED_CONTROLS:
            raise ValueError(f"control character {ord(character):#06x} is not allowed")
    return text


Prose = Annotated[str, AfterValidator(no_control_characters)]
TaskId = Annotated[str, StringConstraints(pattern=TASK_ID_PATTERN)]
CARRIED_FROM_PATTERN = f"{TASK_ID_PATTERN.removesuffix('$')}:{TASK_ID_PATTERN[1:]}"


def _carried_from(value: str) -> str:
    # fullmatch: the pattern's `$` would let a trailing newline through.
    if not re.fullmatch(CARRIED_FROM_PATTERN, value):
        raise ValueError(f"{value!r} is not PLAN-ID:TASK-ID (cppcc-2018:6.2)")
    return value


CarriedFrom = Annotated[
    str,
    AfterValidator(_carried_from),
    WithJsonSchema({"type": "string", "pattern": CARRIED_FROM_PATTERN}),
]
"""A plan's ID and a task's, as `cppcc-2018:6.2`."""
INVISIBLE = {"\u115f", "\u1160", "\u2800", "\u3164", "\uffa0"}
"""Fillers that show as blank though Unicode counts them as letters or symbols."""


def some_visible_character(text: str) -> str:
    """Reject text made only of zero-width (format) characters and blanks: a title or a name
    nobody can see or type."""
    if all(
        character.isspace()
        or character in INVISIBLE
        or unicodedata.category(character) in ("Cf", "Zs", "Mn", "Me")
        for character in text
    ):
        raise ValueError("has no visible character (only zero-width or blank ones)")
    return text


Text = Annotated[
    str,
    StringConstraints(min_length=1, strip_whitespace=True),
    AfterValidator(no_control_characters),
    AfterValidator(some_visible_character),
]


def _month_ref(value: object) -> int | str:
    """A month as a plan writes it: 1-12, or "YYYY-MM" (which always names one month)."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 12:
        return value
    if isinstance(value, str) and MONTH_TEXT.match(value):
        return value
    raise ValueError(f'{_shown(value)} is not a month: write 1-12 or "YYYY-MM"')


def _quarter_ref(value: object) -> int | str:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
        return value
    if isinstance(value, str) and QUARTER_TEXT.match(value):
        return value
    raise ValueError(f'{_shown(value)} is not a quarter: write 1-4 or "YYYY-Qn"')


def _iso_day(value: object) -> object:
    """A date written in quotes, as JSON has it ("2022-10-31"), read as the date YAML reads
    2022-10-31 as; anything else is left for validation to judge."""
    if isinstance(value, str) and DATE_TEXT.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return value


def _day_ref(value: object) -> date | int | str:
    """A day, or a month meaning its last day (for `due`) or its first (for `start`)."""
    value = _iso_day(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return _month_ref(value)
    except ValueError:
        shown = _shown(value)
        raise ValueError(
            f'{shown} is not a day or a month: write a date (2022-10-31), 1-12 or "YYYY-MM"'
        ) from None


def _shown(value: object) -> str:
    """A value as the plan file wrote it: true, not True; 'june' quoted."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return repr(value)


MONTH_SCHEMA = {
    "anyOf": [
        {"type": "integer", "minimum": 1, "maximum": 12},
        {"type": "string", "pattern": MONTH_TEXT.pattern},
    ]
}
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_SCHEMA = {"type": "string", "format": "date"}
Day = Annotated[date, BeforeValidator(_iso_day)]
MonthRef = Annotated[int | str, PlainValidator(_month_ref), WithJsonSchema(MONTH_SCHEMA)]
"""6 (the one June of the plan's period) or "2019-06"."""
QuarterRef = Annotated[
    int | str,
    PlainValidator(_quarter_ref),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": 4},
                {"type": "string", "pattern": QUARTER_TEXT.pattern},
            ]
        }
    ),
]
DayRef = Annotated[
    date | int | str,
    PlainValidator(_day_ref),
    WithJsonSchema({"anyOf": [DATE_SCHEMA, *MONTH_SCHEMA["anyOf"]]}),
]


def _number(value: object) -> int | float:
    """A number as YAML reads it: an integer or a plain decimal (`8`, `7.5`); not a boolean,
    and not text (`1:30`, `1_0.5`, which YAML 1.1 would read as numbers)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise PydanticCustomError("int_type", "Input should be a valid number")


Number = Annotated[int | float, PlainValidator(_number), WithJsonSchema({"type": "number"})]
"""A target or a tolerance: 8, or a decimal such as 7.5."""


def _names(value: object) -> object:
    """`leader: 张三` as `leader: [张三]`."""
    return [value] if isinstance(value, str) else value


def _day_or_words(value: object) -> object:
    """`review`: a date (2024-05-01, or quoted), else words ("annually")."""
    return _iso_day(value)


Names = Annotated[
    list[Text],
    BeforeValidator(_names),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "minLength": 1},
                {"type": "array", "items": {"type": "string"}},
            ]
        }
    ),
]
"""A name or a list of names."""
DayOrWords = Annotated[
    date | Text,
    BeforeValidator(_day_or_words),
    WithJsonSchema({"anyOf": [DATE_SCHEMA, {"type": "string", "minLength": 1}]}),
]
Every = Literal["week", "month", "quarter", "half", "year", "as_needed"]
Measure = Literal["count", "value"]
Compare = Literal["at_least", "at_most", "about"]

WINDOW_KEYS = {
    "month": "a month",
    "quarter": "a quarter",
    "due": "a due day",
    "year_round": "year_round: true",
    "every": "every",
    "months": "months",
}
"""The keys that give a task its window, as messages name them; a task has exactly one
(year_round: true beside every or months is the old spelling of a duty and is accepted)."""


class _Strict(BaseModel):
    # strict: `month: true` is an error, not January; a number is not a task ID.
    # defer_build: the validators are built on first use, not on import; a plan from the
    # cache (planctl.plan.cache) is never validated again, so most runs never build them.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


class WorkPoint(_Strict):
    """One numbered work point (工作要点) of a section."""

    number: Annotated[int, Field(ge=1, description="The point's number as the plan numbers it.")]
    title: Text = Field(description="The point's heading, e.g. 组织开展主题教育活动.")
    text: Prose = Field(default="", description="The point's full text after its heading.")


class Section(_Strict):
    """A section of the plan: a heading and the work points under it."""

    number: Annotated[int, Field(ge=1, description="1 for the plan's 一, 2 for 二, ...")]
    title: Text
    points: list[WorkPoint] = Field(default_factory=list)


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
                "a task needs one of month, quarter, due, year_round: true, every or months"
            )
        if len(given) > 1:
            first, second = (WINDOW_KEYS[key] for key in given[:2])
            raise ValueError(f"a task has either {first} or {second}, not both")
        if self.start is not None and self.due is None:
            raise ValueError("start goes with due: a task with a start needs a due day")
        rhythm = self.every or ("months" if self.months is not None else None)
        if self.interval is not None and self.every in (None, "as_needed"):
            raise ValueError("interval goes with every (week, month, quarter, half or year)")
        if self.by is not None and rhythm in (None, "week", "as_needed"):
            what = f"every: {rhythm}" if rhythm else "a task without every or months"
            raise ValueError(f"by is a day of the month; it does not go with {what}")
        if self.target is not None and rhythm is not None:
            raise ValueError(f"a task has either a target or {self._duty_key}, not both")
        if self.unit is not None and self.target is None:
            raise ValueError("unit needs a target")
        self._check_measure()

    def _check_measure(self) -> None:
        """The value-target keys: a counted target is a whole number of at least 1; a value
        target any finite number; compare and tolerance only where they mean something."""
        if self.measure is not None and self.target is None:
            raise ValueError("measure needs a target")
        for value, key in ((self.target, "target"), (self.tolerance, "tolerance")):
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"{key} must be a finite number")
        if not self.measures_value:
            if self.compare is not None or self.tolerance is not None:
                key = "compare" if self.compare is not None else "tolerance"
                raise ValueError(f"{key} goes with measure: value")
            if self.target is not None and (not isinstance(self.target, int) or self.target < 1):
                raise ValueError(
                    f"a counted target is a whole number of at least 1, not {self.target}"
                    " (a value to reach needs measure: value)"
                )
        if self.tolerance is not None:
            if self.compare != "about":
                raise ValueError("tolerance goes with compare: about")
            if self.tolerance < 0:
                raise ValueError(f"tolerance must be 0 or more, not {self.tolerance}")

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


class Period(_Strict):
    """The days a plan covers, when they are not 1 January to 31 December of its year."""

    start: Day = Field(description="The first day, e.g. 2019-05-01.")
    end: Day = Field(description="The last day, e.g. 2020-04-30; at most five years on.")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        problem = period_problem(self.start, self.end)
        if problem:
            raise ValueError(problem)
        return self


class RoleLabels(_Strict):
    """What the plan calls its units and roles, in its own language (each optional)."""

    unit: Text | None = Field(
        default=None, description="A unit in general (default 责任单位 / Owner), e.g. 责任科室."
    )
    lead: Text | None = Field(
        default=None, description="A lead unit (default 牵头单位 / Lead), e.g. 牵头科室."
    )
    support: Text | None = Field(
        default=None, description="A supporting unit (default 配合单位 / Support), e.g. 配合科室."
    )
    leader: Text | None = Field(
        default=None,
        description="The person answerable (default 责任领导 / Responsible), e.g. 分管领导.",
    )


class Returns(_Strict):
    """The rhythm on which each unit files a return (填报) of its tasks: every month or every
    quarter, by a day of the cycle's last month, or of the month after it."""

    every: Literal["month", "quarter"] = Field(
        description="month: one return a month (cycle 2018-06); quarter: one a calendar"
        " quarter (cycle 2018-Q2)."
    )
    by: Annotated[int, Field(ge=1, le=31)] = Field(
        description="The day of the month the return is due by (每月25日前: 25); a shorter"
        " month's last day stands in."
    )
    next_month: bool = Field(
        default=False,
        description="True: due by day `by` of the month after the cycle ends (季后5日内:"
        " every: quarter, by: 5, next_month: true); default the cycle's last month.",
    )


class Checks(_Strict):
    """Which recorded steps another person checks (办结审核, 延期申请): a `done` becomes a
    claim that is accepted or rejected; a `defer` becomes a request that is approved or
    refused. Default: neither (a `done` or a `defer` takes effect at once)."""

    done: bool = Field(
        default=False,
        description="True: `done` records a claim (待审核) that `accept` makes done, `reject`"
        " sends back.",
    )
    defer: bool = Field(
        default=False,
        description="True: `defer` records a request that `approve` grants, `reject` refuses.",
    )


class Plan(_Strict):
    """A plan: metadata, sections of work points, and the task breakdown."""

    id: TaskId = Field(description="The plan's stable ID; progress is recorded against it.")
    year: Annotated[int, Field(ge=1900, le=2999)] = Field(
        description="The year that names the plan (plans/<year>.yaml, --year)."
    )
    period: Period | None = Field(
        default=None,
        description="The days the plan covers; default 1 January to 31 December of year.",
    )
    title: Text
    organisation: Text | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] = "zh"
    requirements: Prose | None = Field(
        default=None, description="The general-requirements paragraph (总体要求)."
    )
    document: Text | None = Field(
        default=None, description="The document number (文号), e.g. 鞍立政发〔2023〕2号."
    )
    adopted: Day | None = Field(default=None, description="The day the plan was adopted.")
    revised: list[Day] = Field(default_factory=list, description="The days it was revised.")
    review: DayOrWords | None = Field(
        default=None,
        description='When it is reviewed: a date, or words ("annually", "deferred to May 2021").',
    )
    labels: RoleLabels | None = Field(
        default=None,
        description="What the plan calls its units and roles: {unit: 责任科室, lead: 牵头科室,"
        " support: 配合科室, leader: 责任领导}.",
    )
    checks: Checks | None = Field(
        default=None,
        description="Steps another person checks: {done: true, defer: true} (either or"
        " both); none, done and defer take effect at once.",
    )
    returns: Returns | None = Field(
        default=None,
        description="The units' return cycle (填报): {every: month, by: 25}; none, no returns.",
    )
    sections: list[Section] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)

    @property
    def points(self) -> list[WorkPoint]:
        """Every work point, in plan order."""
        return [point for section in self.sections for point in section.points]
