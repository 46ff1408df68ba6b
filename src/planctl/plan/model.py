"""The plan file's data model: Pydantic models with extra keys forbidden.

A plan is what an office adopts for a year (or a period of up to five years): numbered work
points grouped in sections, and a breakdown of tasks, each with the window it is to be done
in. The models validate the shape of one file; checks that span the whole plan (unique IDs,
references that resolve, windows inside the period) are in `planctl.plan.check`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from planctl.plan.task import Step as Step
from planctl.plan.task import Task as Task
from planctl.plan.types import Day, DayOrWords, Prose, TaskId, Text, _Strict
from planctl.rules.calendar import period_problem


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
