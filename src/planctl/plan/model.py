"""The plan file's data model: Pydantic models with extra keys forbidden.

A plan is what an office adopts for a year: numbered work points grouped in sections, and a
breakdown of tasks by month. The models validate the shape of one file; checks that span the
whole plan (unique IDs, references that resolve) are in `planctl.plan.check`.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

TASK_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"

ALLOWED_CONTROLS = {"\t", "\n", "\r"}


SEPARATORS = {"\u2028": "line separator U+2028", "\u2029": "paragraph separator U+2029"}


def _no_control_characters(text: str) -> str:
    """Reject control characters and line separators written as YAML escapes ("\\e",
    "\\L"), as the raw ones are rejected: a YAML tool would save them raw."""
    for character in text:
        if character in SEPARATORS:
            raise ValueError(f"{SEPARATORS[character]} is not allowed")
        if unicodedata.category(character) == "Cc" and character not in ALLOWED_CONTROLS:
            raise ValueError(f"control character {ord(character):#06x} is not allowed")
    return text


Prose = Annotated[str, AfterValidator(_no_control_characters)]
TaskId = Annotated[str, StringConstraints(pattern=TASK_ID_PATTERN)]
Text = Annotated[
    str,
    StringConstraints(min_length=1, strip_whitespace=True),
    AfterValidator(_no_control_characters),
]
Month = Annotated[int, Field(ge=1, le=12)]


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
    """One row of the breakdown table (重点工作分解表)."""

    id: TaskId = Field(description="Short, ASCII, stable; unique in the plan, e.g. 6.2.")
    title: Text
    month: Month | None = Field(
        default=None, description="The month the task is scheduled in; omit when year_round."
    )
    year_round: bool = Field(default=False, description="True for the 全年 rows.")
    owners: list[Text] = Field(default_factory=list, description="Departments that own it.")
    points: list[int] = Field(default_factory=list, description="Work points it carries out.")
    kind: Text | None = Field(default=None, description="会议, 调研, 视察, 活动, ...")
    source: Prose | None = Field(
        default=None, description="The plan's own wording of the row, kept verbatim."
    )
    target: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="A count to reach over the task's period (不少于 6 次 -> 6)."
    )
    unit: Text | None = Field(default=None, description="What the target counts, e.g. 次.")
    every: Literal["week", "month", "quarter"] | None = Field(
        default=None, description="A duty repeated in every week, month or quarter of its period."
    )
    after: list[TaskId] = Field(
        default_factory=list, description="Tasks that must be done first (reports a meeting takes)."
    )

    @model_validator(mode="after")
    def _month_or_year_round(self) -> Task:
        if self.year_round and self.month is not None:
            raise ValueError("a task has either a month or year_round: true, not both")
        if not self.year_round and self.month is None:
            raise ValueError("a task needs a month (1-12) or year_round: true")
        if self.target is not None and self.every is not None:
            raise ValueError("a task has either a target or every, not both")
        if self.unit is not None and self.target is None:
            raise ValueError("unit needs a target")
        return self


class Plan(_Strict):
    """A year's plan: metadata, sections of work points, and the task breakdown."""

    id: TaskId = Field(description="The plan's stable ID; progress is recorded against it.")
    year: Annotated[int, Field(ge=1900, le=2999)]
    title: Text
    organisation: Text | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] = "zh"
    requirements: Prose | None = Field(
        default=None, description="The general-requirements paragraph (总体要求)."
    )
    sections: list[Section] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)

    @property
    def points(self) -> list[WorkPoint]:
        """Every work point, in plan order."""
        return [point for section in self.sections for point in section.points]
