"""How a task reads in a table's cells, in the user's language: when it is due, its status
(done, open, overdue, with pace, periods and blockers), its light, its units and its ID."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from planctl.core.events import Action
from planctl.core.lights import expected_percent, latest_percent
from planctl.core.progress import Rhythm, TaskRow
from planctl.plan.model import Plan, Task
from planctl.views.labels import label_lookup

ENGLISH = label_lookup("en")

NO_STEPS: Mapping[str, int] = {}
"""Step depths of a plan without steps (see `step_depths`)."""


def month_text(row: TaskRow, labels: Mapping[str, str] = ENGLISH) -> str:
    """When the task is due, as the plan wrote it: its month, quarter or due day (a deferral
    shows as planned→now), 全年 / Year-round for the whole period, the rhythm of a duty."""
    task = row.task
    if task.recurring:
        every = "months" if task.every is None else task.every
        return labels[EVERY_LABEL[every]]
    if task.year_round:
        return labels["year_round"]
    planned = _planned(row)
    if row.state.deferral is not None:
        now = str(row.month) if task.month is not None and row.month is not None else f"{row.due}"
        return f"{planned}→{now}"
    return planned


def _planned(row: TaskRow) -> str:
    task = row.task
    if task.month is not None:
        return str(task.month)
    if task.quarter is not None:
        return f"Q{task.quarter}" if isinstance(task.quarter, int) else str(task.quarter)
    return row.planned_due.isoformat()


EVERY_LABEL = {
    "week": "week",
    "month": "month_every",
    "quarter": "quarter",
    "half": "half_every",
    "year": "year_every",
    "months": "months_listed",
    "as_needed": "as_needed",
}
"""The label of each rhythm of a duty ("每周" ...)."""

PERIOD_UNITS = {
    "week": "weeks",
    "month": "months_unit",
    "quarter": "quarters",
    "half": "halves",
    "year": "years",
    "months": "times",
    "as_needed": "times",
}
"""The unit its occurrences are counted in ("1/24周" ...)."""


def unit_text(
    count: int | float, target: int | float, unit: str | None, labels: Mapping[str, str]
) -> str:
    """`2/6次` in Chinese, `2/6 tenders` in English: a space before a word."""
    if not unit:
        return f"{_number(count)}/{_number(target)}"
    return f"{_number(count)}/{_number(target)}{labels['unit_space']}{unit}"


def _number(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def number_text(value: int | float) -> str:
    """A number as written: 8, 7.5 (never 8.0)."""
    return str(int(value)) if float(value).is_integer() else repr(value)


MISSED_NAMED = 3
"""How many missed periods a status cell names before it only counts them."""


def status_text(row: TaskRow, labels: Mapping[str, str] = ENGLISH) -> str:
    """The status cell: done (when, who) or open/overdue, with pace, periods and blockers."""
    L = labels
    parts = []
    claim, rejection = row.state.claim, row.state.rejection
    if row.done and row.completion is not None:
        parts.append(L["st_done"].format(on=row.completion.on, by=row.completion.by))
    else:
        parts.append(L["st_overdue"] if row.overdue else L["st_open"])
        if claim is not None:
            parts.append(L["st_claimed"].format(on=claim.on, by=claim.by))
        elif rejection is not None and rejection.of == "claim":
            reason = rejection.reason or ""
            parts.append(L["st_rejected"].format(on=rejection.on, by=rejection.by, reason=reason))
        request = row.state.request
        if request is not None:
            parts.append(L["st_requested"].format(due=request.due, on=request.on, by=request.by))
        elif rejection is not None and rejection.of == "request":
            reason = rejection.reason or ""
            parts.append(L["st_refused"].format(on=rejection.on, by=rejection.by, reason=reason))
    if row.pace is not None:
        pace = unit_text(row.pace.count, row.pace.target, row.task.unit, L)
        if row.pace.behind:
            pace += " " + L["st_behind"].format(expected=row.pace.expected)
        parts.append(pace)
    if row.steps is not None:
        parts.append(f"{row.steps.done}/{row.steps.total}{L['steps_unit']}")
    if row.measured is not None:
        parts.append(value_text(row, L))
    elif row.pace is None and not row.task.recurring and not row.done:
        percent = latest_percent(row)
        if percent is not None:
            expected = expected_percent(row.start, row.due, row.today)
            parts.append(L["st_percent"].format(percent=percent, expected=expected))
    if row.rhythm is not None:
        beat = row.rhythm
        parts.append(f"{len(beat.done)}/{len(beat.elapsed)}{L[PERIOD_UNITS[beat.every]]}")
        if beat.missed:
            parts.append(missed_text(beat, L))
    if row.blocked_by and not row.done:
        parts.append(L["st_blocked"].format(tasks=", ".join(row.blocked_by)))
    if row.state.chases and not row.done:
        parts.append(L["st_chased"].format(times=len(row.state.chases)))
    if row.stale:
        last = row.state.last_event
        parts.append(L["st_stale_never"] if last is None else L["st_stale_since"].format(on=last))
    return "; ".join(parts)


COMPARE_MARKS = {"at_least": "≥", "at_most": "≤"}


def target_text(row: TaskRow, labels: Mapping[str, str]) -> str:
    """A value target as an office writes it: `≥8%`, `≤5%`, `8±0.4%`."""
    measured = row.measured
    assert measured is not None
    unit = _unit(row.task.unit, labels)
    target = number_text(measured.target)
    if measured.compare == "about":
        return f"{target}±{number_text(float(measured.tolerance))}{unit}"
    return f"{COMPARE_MARKS[measured.compare]}{target}{unit}"


def value_text(row: TaskRow, labels: Mapping[str, str]) -> str:
    """The latest value against the target and whether it meets it."""
    measured = row.measured
    assert measured is not None
    target = target_text(row, labels)
    latest = measured.latest
    if latest is None or latest.value is None:
        return labels["st_no_value"].format(target=target)
    verdict = labels["st_met"] if measured.meets else labels["st_not_met"]
    value = f"{number_text(latest.value)}{_unit(row.task.unit, labels)}"
    return labels["st_value"].format(value=value, target=target, verdict=verdict)


def _unit(unit: str | None, labels: Mapping[str, str]) -> str:
    """A unit after a number: `8%`, `8 km` (a word takes a space in English)."""
    if not unit:
        return ""
    if unit == "%" or not unit[0].isalpha() or not labels["unit_space"]:
        return unit
    return labels["unit_space"] + unit


def light_text(row: TaskRow, labels: Mapping[str, str]) -> str:
    """The light as a word (红 / red), so it survives NO_COLOR, mail and print."""
    return labels[f"light_{row.light}"]


def missed_text(beat: Rhythm, labels: Mapping[str, str]) -> str:
    names = [period.label for period in beat.missed]
    if len(names) <= MISSED_NAMED:
        return labels["st_missed"].format(periods=", ".join(names))
    return labels["st_missed_many"].format(count=len(names), latest=names[-1])


def row_class(row: TaskRow) -> str:
    """What a task's row is, in words: `done`, `overdue` or `open`, then its light (`red`,
    `yellow`, ...) unless done: HTML classes and spreadsheet fills."""
    status = "done" if row.done else ("overdue" if row.overdue else "open")
    return status if row.light == "done" else f"{status} {row.light}"


def status_word(row: TaskRow, labels: Mapping[str, str]) -> str:
    """The status as one word: 已完成, 逾期, 待审核, 未完成."""
    if row.done:
        return labels["done"]
    if row.overdue:
        return labels["st_overdue"]
    return labels["claimed" if row.state.claim is not None else "st_open"]


def names_text(names: Sequence[str], labels: Mapping[str, str]) -> str:
    """Names joined with 、 in Chinese, ", " in English."""
    return labels["list_sep"].join(names)


def roles_text(task: Task, labels: Mapping[str, str]) -> str:
    """The units of a task, compactly: lead units first, then the supporting units after a
    mark (`市发改委 / 配合: 市经信局、市商务局`)."""
    lead = names_text(task.leads, labels)
    if not task.support:
        return lead
    support = f"{labels['support_mark']}: {names_text(task.support, labels)}"
    return f"{lead} / {support}" if lead else support


def names_leaders(plan: Plan) -> bool:
    """Whether any task of the plan names a responsible leader (tables then show them)."""
    return any(task.leader for task in plan.tasks)


def step_depths(plan: Plan) -> dict[str, int]:
    """How deep each step lies below its top-level task (1 or 2), by ID; tasks are absent."""
    depths: dict[str, int] = {}
    for task in plan.tasks:  # parents come before their steps
        if task.parent is not None:
            depths[task.id] = depths.get(task.parent, 0) + 1
    return depths


def id_text(task: Task, depths: Mapping[str, int]) -> str:
    """The ID cell: a step marked under its task (`└ 3.1`, `  └ 3.1.1`)."""
    depth = depths.get(task.id, 0)
    return f"{'  ' * (depth - 1)}└ {task.id}" if depth else task.id


def action_text(action: Action, labels: Mapping[str, str]) -> str:
    """What an event did, in the plan's language (完成, 撤销, 备注, 延期)."""
    return labels[f"act_{action.value}"]
