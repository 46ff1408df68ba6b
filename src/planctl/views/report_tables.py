"""The report's tables, each defined once by its columns (see `planctl.views.columns`): the
counts (summary, months, sections, points, units) and the lists that matter (overdue,
deferred, targets, duties, blocked, recent)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Literal, NamedTuple

from planctl.core.events import Event
from planctl.core.progress import Pace, Rhythm, TaskRow
from planctl.core.report import Report, Tally, UnitTally
from planctl.plan.model import Plan
from planctl.render import Cell, Table
from planctl.views import columns
from planctl.views.cells import EVERY_LABEL, action_text, row_class, status_word
from planctl.views.columns import R, Spec
from planctl.views.headings import bar
from planctl.views.task_table import REPORT_COLUMNS, shape, task_specs


class Counted(NamedTuple):
    """A row of counts: a month, a section, a point, with its tally."""

    label: str
    """The text of its first cell (`6`; `2018-06` in a report over two years)."""
    value: str | int
    """Its typed first cell (`2018-06`; a section's number)."""
    tally: Tally
    title: str = ""


Percent = Literal["bar", "grid", "both"]
"""How a tally's share done shows: as a bar in the text (and its percent in the grid), in the
grid only, or as a percent in both."""


def tally_specs(
    of: Callable[[R], Tally], names: Sequence[str], percent: Percent = "bar"
) -> list[Spec[R]]:
    """The count columns `names` (`total`, `done`, `open`, `overdue`) of a tally, then its
    share done (see `Percent`)."""
    specs = [_count(of, name) for name in names]
    if percent == "bar":
        specs.append(
            Spec(
                "progress",
                lambda r: bar(of(r)),
                shown="text",
                bar=lambda r: (of(r).done, of(r).total),
            )
        )
    shown: columns.Shown = "both" if percent == "both" else "grid"
    specs.append(Spec("percent", lambda r: of(r).percent, "percent", shown=shown))
    return specs


COUNTS: Mapping[str, Callable[[Tally], int]] = {
    "total": lambda t: t.total,
    "done": lambda t: t.done,
    "open": lambda t: t.open,
    "overdue": lambda t: t.overdue,
}


def _count(of: Callable[[R], Tally], name: str) -> Spec[R]:
    count = COUNTS[name]
    return Spec(name, lambda r: count(of(r)), "count")


def _tally(row: Counted) -> Tally:
    return row.tally


def summary_table(summary: Tally, labels: Mapping[str, str]) -> Table:
    specs = tally_specs(lambda t: t, ("total", "done", "open", "overdue"), "both")
    return columns.table(labels["summary"], specs, [summary], labels, key="summary")


def months_table(report: Report, labels: Mapping[str, str]) -> Table:
    one_year = len({year for (year, _), _ in report.months}) == 1
    rows = [
        Counted(str(month) if one_year else f"{year}-{month:02d}", f"{year}-{month:02d}", t)
        for (year, month), t in report.months
    ]
    rows.append(Counted(labels["year_round"], labels["year_round"], report.year_round))
    specs: list[Spec[Counted]] = [
        Spec("month", lambda r: r.value, text=lambda r: r.label),
        *tally_specs(_tally, ("total", "done", "overdue")),
    ]
    return columns.table(labels["months"], specs, rows, labels, key="months")


def sections_table(report: Report, labels: Mapping[str, str]) -> Table:
    rows = [Counted(str(n), n, t, title) for n, title, t in report.sections]
    specs: list[Spec[Counted]] = [
        Spec("no", lambda r: r.value, "count"),
        Spec("section_title", lambda r: r.title),
        *tally_specs(_tally, ("total", "done")),
    ]
    # The grid counts the overdue too, after the done; the text has the bar there.
    specs.insert(4, Spec("overdue", lambda r: r.tally.overdue, "count", shown="grid"))
    return columns.table(labels["sections"], specs, rows, labels, key="sections")


def points_table(report: Report, labels: Mapping[str, str]) -> Table:
    rows = [Counted(str(n), n, t, title) for n, title, t in report.points]
    specs: list[Spec[Counted]] = [
        Spec("no", lambda r: r.value, "count"),
        Spec("point_title", lambda r: r.title),
        *tally_specs(_tally, ("total", "done"), "grid"),
    ]
    return columns.table(labels["points"], specs, rows, labels, key="points")


def owners_table(owners: Sequence[UnitTally], labels: Mapping[str, str]) -> Table:
    """Each unit's led tasks (the tasks without a unit last); and, in a plan with supporting
    units, the tasks it supports. The report's and the digest's."""
    specs: list[Spec[UnitTally]] = [
        Spec("unit", lambda u: labels["no_unit"] if u.unit is None else u.unit),
        *tally_specs(lambda u: u.led, ("total", "done", "overdue")),
    ]
    if any(unit.supported.total for unit in owners):
        specs += [
            Spec("supported_total", lambda u: u.supported.total, "count"),
            Spec("supported_done", lambda u: u.supported.done, "count"),
        ]
    return columns.table(labels["owners"], specs, owners, labels, key="owners")


def overdue_table(
    plan: Plan, rows: Sequence[TaskRow], labels: Mapping[str, str], depths: Mapping[str, int]
) -> Table:
    specs = task_specs(labels, shape(plan, rows), REPORT_COLUMNS, depths=depths)
    return columns.table(
        labels["overdue_list"], specs, rows, labels, row_class=row_class, key="overdue"
    )


def deferrals_table(report: Report, labels: Mapping[str, str]) -> Table:
    """Each deferred task: its due day as planned and now (carried into the next period where
    it falls after this one), and why, when and by whom."""
    L = labels

    def carried(r: TaskRow) -> bool:
        return r.due > report.period_end

    def reason(r: TaskRow) -> str:
        deferral = r.state.deferral
        return (deferral.reason or "") if deferral else ""

    def reason_text(r: TaskRow) -> str:
        deferral = r.state.deferral
        return reason(r) + (f" ({deferral.on}, {deferral.by})" if deferral else "")

    def moved_to(r: TaskRow) -> str:
        now = str(r.month) if r.task.month is not None else str(r.due)
        return now + (f" ({L['carried_over']})" if carried(r) else "")

    specs: list[Spec[TaskRow]] = [
        Spec("id", lambda r: r.task.id),
        Spec("title", lambda r: r.task.title),
        Spec("planned", lambda r: _planned_text(r), shown="text"),
        Spec("planned_due", lambda r: r.planned_due, "date", shown="grid"),
        Spec("moved_to", moved_to, shown="text"),
        Spec("due", lambda r: r.due, "date", shown="grid"),
        Spec("carried_over", lambda r: L["carried_over"] if carried(r) else "", shown="grid"),
        Spec("reason", reason, text=reason_text),
        Spec("on", lambda r: _deferral_on(r), "date", shown="grid"),
        Spec("by", lambda r: r.state.deferral.by if r.state.deferral else None, shown="grid"),
    ]
    return columns.table(
        L["deferrals"], specs, report.deferred, L, row_class=row_class, key="deferred"
    )


def _planned_text(row: TaskRow) -> str:
    return str(row.task.month) if row.task.month is not None else str(row.planned_due)


def _deferral_on(row: TaskRow) -> Cell:
    return row.state.deferral.on if row.state.deferral else None


def targets_table(rows: Sequence[TaskRow], labels: Mapping[str, str]) -> Table:
    """Counted tasks: the count, the target and the count expected by now, in the task's
    unit; behind where it is."""

    def pace(r: TaskRow) -> Pace:
        assert r.pace is not None
        return r.pace

    def unit(r: TaskRow) -> str:
        return f"{labels['unit_space']}{r.task.unit}" if r.task.unit else ""

    def expected(r: TaskRow) -> str:
        behind = f" ({labels['behind']})" if pace(r).behind else ""
        return f"{pace(r).expected}{unit(r)}{behind}"

    specs: list[Spec[TaskRow]] = [
        Spec("id", lambda r: r.task.id),
        Spec("title", lambda r: r.task.title),
        Spec("count", lambda r: pace(r).count, "number", lambda r: f"{pace(r).count}{unit(r)}"),
        Spec("target", lambda r: pace(r).target, "number",
             lambda r: f"{pace(r).target}{unit(r)}"),
        Spec("expected", lambda r: pace(r).expected, "number", expected),
        Spec("measure", lambda r: r.task.unit, shown="grid"),
        Spec("pace", lambda r: labels["behind"] if pace(r).behind else "", "status",
             shown="grid"),
    ]  # fmt: skip
    return columns.table(
        labels["targets"], specs, rows, labels, row_class=_pace_class, key="targets"
    )


def _pace_class(row: TaskRow) -> str:
    pace = row.pace
    behind = pace is not None and pace.behind
    return row_class(row) + (" behind" if behind and not row.done else "")


def duties_table(rows: Sequence[TaskRow], labels: Mapping[str, str]) -> Table:
    """Duties: their rhythm, the periods done of those elapsed, and the ones missed."""

    def beat(r: TaskRow) -> Rhythm:
        assert r.rhythm is not None
        return r.rhythm

    def missed(r: TaskRow) -> str:
        return ", ".join(period.label for period in beat(r).missed)

    specs: list[Spec[TaskRow]] = [
        Spec("id", lambda r: r.task.id),
        Spec("title", lambda r: r.task.title),
        Spec("every", lambda r: labels[EVERY_LABEL[beat(r).every]]),
        Spec("status", lambda r: status_word(r, labels), "status", shown="grid"),
        Spec("periods", lambda r: len(beat(r).done), "count",
             lambda r: f"{len(beat(r).done)}/{len(beat(r).elapsed)}"),
        Spec("elapsed", lambda r: len(beat(r).elapsed), "count", shown="grid"),
        Spec("periods_total", lambda r: beat(r).total, "count", shown="grid"),
        Spec("missed", missed, text=lambda r: missed(r) or labels["none"]),
    ]  # fmt: skip
    return columns.table(labels["duties"], specs, rows, labels, row_class=row_class, key="duties")


def blocked_table(rows: Sequence[TaskRow], labels: Mapping[str, str]) -> Table:
    specs: list[Spec[TaskRow]] = [
        Spec("id", lambda r: r.task.id),
        Spec("title", lambda r: r.task.title),
        Spec("waiting_for", lambda r: ", ".join(r.blocked_by)),
    ]
    return columns.table(labels["blocked"], specs, rows, labels, key="blocked")


def recent_table(plan: Plan, events: Sequence[Event], labels: Mapping[str, str]) -> Table:
    """The latest events: the work date (and the day recorded where that is another day)."""
    titles = {task.id: task.title for task in plan.tasks}
    specs: list[Spec[Event]] = [
        Spec("on", lambda e: e.work_date, "date", lambda e: _when(e, labels)),
        Spec("recorded_day", lambda e: e.recorded_at.date(), "date", shown="grid"),
        Spec("id", lambda e: e.task_id),
        Spec("title", lambda e: titles.get(e.task_id, "")),
        Spec("action", lambda e: action_text(e.action, labels)),
        Spec("by", lambda e: e.recorded_by),
        Spec("note", lambda e: e.note),
    ]
    return columns.table(labels["recent"], specs, events, labels, key="recent")


def _when(event: Event, labels: Mapping[str, str]) -> str:
    """The work date, and the day it was recorded where that is another day."""
    recorded = event.recorded_at.date()
    if recorded == event.work_date:
        return event.work_date.isoformat()
    return f"{event.work_date} ({labels['recorded_on'].format(day=recorded)})"


def report_tables(
    plan: Plan, report: Report, labels: Mapping[str, str], depths: Mapping[str, int]
) -> list[Table]:
    """Every table of the report, in order, the empty ones too."""
    return [
        summary_table(report.summary, labels),
        months_table(report, labels),
        sections_table(report, labels),
        points_table(report, labels),
        owners_table(report.owners, labels),
        overdue_table(plan, report.overdue, labels, depths),
        deferrals_table(report, labels),
        targets_table(report.targets, labels),
        duties_table(report.duties, labels),
        blocked_table(report.blocked, labels),
        recent_table(plan, report.recent, labels),
    ]
