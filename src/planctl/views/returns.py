"""`planctl returns status`: who filed the cycle's return, on time, late or not at all."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from planctl.core.filed import FiledReturn
from planctl.core.returns import Cycle, ReturnTally, UnitFiling
from planctl.plan.model import Plan
from planctl.render import View
from planctl.views import columns
from planctl.views.columns import Spec
from planctl.views.common import document_heading, plan_label, plan_object

WORDS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "title": "{plan}:{cycle} 填报情况(截止 {due})", "sheet": "填报情况",
        "unit": "单位", "due": "截止日期", "filed": "报送日期", "status": "状态",
        "tasks": "任务数", "rows_filled": "已填报", "silent": "未填报任务",
        "on_time": "按时", "late": "迟报", "missing": "未报", "not_due": "未到期",
        "empty": "本计划没有填报单位",
    },
    "en": {
        "title": "{plan}: returns for {cycle} (due {due})", "sheet": "Returns",
        "unit": "Unit", "due": "Due", "filed": "Filed", "status": "Status",
        "tasks": "Tasks", "rows_filled": "Rows filled", "silent": "Tasks without a word",
        "on_time": "on time", "late": "late", "missing": "missing", "not_due": "not due yet",
        "empty": "no unit files a return in this plan",
    },
}  # fmt: skip
"""The view's words; `labels["html_lang"]` picks the language."""

CLASSES = {"on_time": "done", "late": "yellow", "missing": "red", "not_due": ""}
"""Each status as a row class (the fills of a workbook, the html classes)."""


def returns_status_view(
    plan: Plan,
    source: str,
    cycle: Cycle,
    filings: Sequence[UnitFiling],
    *,
    labels: Mapping[str, str],
    today: date,
) -> View:
    """Each unit's filing for the cycle: due day, day filed, status, tasks and rows filled."""
    W = WORDS.get(labels["html_lang"], WORDS["en"])
    data: dict[str, Any] = {
        "plan": plan_object(plan),
        "cycle": {
            "label": cycle.label,
            "start": cycle.start.isoformat(),
            "end": cycle.end.isoformat(),
            "due": cycle.due.isoformat(),
        },
        "units": [
            {
                "unit": filing.unit,
                "due": filing.due.isoformat(),
                "filed": None if filing.filed is None else filing.filed.isoformat(),
                "status": filing.status,
                "tasks": filing.tasks,
                "rows_filled": filing.rows_filled,
                "silent": filing.silent,
            }
            for filing in filings
        ],
    }
    specs: list[Spec[UnitFiling]] = [
        Spec("unit", lambda f: f.unit),
        Spec("due", lambda f: f.due, "date"),
        Spec("filed", lambda f: f.filed, "date"),
        Spec("status", lambda f: W[f.status], "status"),
        Spec("tasks", lambda f: f.tasks, "count"),
        Spec("rows_filled", lambda f: f.rows_filled, "count"),
        Spec("silent", lambda f: f.silent, "count"),
    ]
    title = W["title"].format(plan=plan_label(plan, source), cycle=cycle.label, due=cycle.due)
    table = columns.table(
        title, specs, filings, W, row_class=lambda f: CLASSES[f.status], empty=W["empty"],
        key="returns", sheet=W["sheet"],
        caption=W["title"].format(plan=plan.title, cycle=cycle.label, due=cycle.due),
    )  # fmt: skip
    heading = document_heading(plan, W["sheet"], labels, today)
    return View(data, [table], heading=heading, lang=labels["html_lang"])


TALLY_WORDS: Mapping[str, Mapping[str, str]] = {
    "zh": {"title": "填报情况(按时、迟报、未报)", "unit": "单位", "on_time": "按时",
           "late": "迟报", "missing": "未报", "deduction": "扣分",
           "rule": "迟报每次扣 {late} 分,未报每次扣 {missing} 分(配置 [assess] return_late、"
                   "return_missing)"},
    "en": {"title": "Returns (on time, late, missing)", "unit": "Unit", "on_time": "On time",
           "late": "Late", "missing": "Missing", "deduction": "Deduction",
           "rule": "{late} deducted for each late return, {missing} for each missing one"
                   " ([assess] return_late, return_missing)"},
}  # fmt: skip


def _shown(number: float) -> str:
    return f"{number:g}"


def with_return_tallies(
    view: View,
    tallies: Sequence[ReturnTally],
    *,
    late_weight: float,
    missing_weight: float,
    labels: Mapping[str, str],
) -> View:
    """The assessment's view with each unit's returns and their deductions: a table (with the
    rule as its caption) and, in JSON, `returns` and the rule's `return_late` and
    `return_missing`."""
    W = TALLY_WORDS.get(labels["html_lang"], TALLY_WORDS["en"])
    rule = W["rule"].format(late=_shown(late_weight), missing=_shown(missing_weight))
    specs: list[Spec[ReturnTally]] = [
        Spec("unit", lambda t: t.unit),
        Spec("on_time", lambda t: t.on_time, "count"),
        Spec("late", lambda t: t.late, "count"),
        Spec("missing", lambda t: t.missing, "count"),
        Spec("deduction", lambda t: t.deduction, "number", lambda t: _shown(t.deduction)),
    ]
    table = columns.table(
        f"{W['title']}: {rule}", specs, tallies, W, key="returns", sheet=W["title"][:31]
    )
    data = dict(view.data)
    data["rule"] = {**data.get("rule", {}), "return_late": late_weight,
                    "return_missing": missing_weight}  # fmt: skip
    data["returns"] = [
        {"unit": t.unit, "on_time": t.on_time, "late": t.late, "missing": t.missing,
         "deduction": t.deduction}
        for t in tallies
    ]  # fmt: skip
    every = [*view.every_table(), table]
    return replace(view, data=data, tables=[*view.tables, table], every=every)


DUE_WORDS: Mapping[str, Mapping[str, str]] = {
    "zh": {"title": "未按时填报的单位({cycle},截止 {due})", "unit": "单位", "status": "状态",
           "filed": "报送日期", "sheet": "未按时填报"},
    "en": {"title": "Units whose return is late or missing ({cycle}, due {due})", "unit": "Unit",
           "status": "Status", "filed": "Filed", "sheet": "Returns due"},
}  # fmt: skip


def with_returns_due(
    view: View, plan: Plan, filings: Sequence[UnitFiling], labels: Mapping[str, str]
) -> View:
    """The digest's view with the units whose latest return due is late or missing, first
    among the reminders: a table and, in JSON, `returns_due` (unit, cycle due day, filed,
    status)."""
    lang = labels["html_lang"]
    W, S = DUE_WORDS.get(lang, DUE_WORDS["en"]), WORDS.get(lang, WORDS["en"])
    due = filings[0].due
    cycle = next(
        (c.label for c in _cycles(plan) if c.due == due), ""
    )  # the cycle whose due day it is
    specs: list[Spec[UnitFiling]] = [
        Spec("unit", lambda f: f.unit),
        Spec("status", lambda f: S[f.status], "status"),
        Spec("filed", lambda f: f.filed, "date"),
    ]
    table = columns.table(
        W["title"].format(cycle=cycle, due=due), specs, filings, W,
        row_class=lambda f: CLASSES[f.status], key="returns_due", sheet=W["sheet"],
    )  # fmt: skip
    data = dict(view.data)
    data["returns_due"] = [
        {"unit": f.unit, "cycle": cycle, "due": f.due.isoformat(),
         "filed": None if f.filed is None else f.filed.isoformat(), "status": f.status}
        for f in filings
    ]  # fmt: skip
    every = [table, *view.every_table()]
    return replace(view, data=data, tables=[table, *view.tables], every=every)


def _cycles(plan: Plan) -> Sequence[Cycle]:
    from planctl.core.returns import plan_cycles

    return plan_cycles(plan)


COLLECTED_WORDS: Mapping[str, Mapping[str, str]] = {
    "zh": {"title": "{plan}:收到的填报", "sheet": "收到的填报", "recorded": "记录时间",
           "unit": "单位", "cycle": "周期", "received": "收到日期", "by": "填报人",
           "rows": "填报行数", "events": "记录条数", "digest": "文件摘要",
           "empty": "尚未收到填报", "from": "{by}({unit} {cycle} 填报)",
           "from_unit": "{by}({cycle} 填报)"},
    "en": {"title": "{plan}: returns collected", "sheet": "Returns collected",
           "recorded": "Recorded", "unit": "Unit", "cycle": "Cycle", "received": "Received",
           "by": "Filed by", "rows": "Rows filled", "events": "Events", "digest": "File digest",
           "empty": "no return collected", "from": "{by} ({unit}'s {cycle} return)",
           "from_unit": "{by} ({cycle} return)"},
}  # fmt: skip
"""The words of the returns collected (`history`, `show` of a plan with `returns:`)."""


def from_return(by: str, source: FiledReturn | None, labels: Mapping[str, str]) -> str:
    """Who recorded an event, and the return it came from: `王芳(提案科 2018-06 填报)`, or
    `研究室(2018-06 填报)` where the unit recorded it."""
    if source is None:
        return by
    W = COLLECTED_WORDS.get(labels["html_lang"], COLLECTED_WORDS["en"])
    word = W["from_unit"] if by == source.unit else W["from"]
    return word.format(by=by, unit=source.unit, cycle=source.cycle)


def with_returns_collected(
    view: View,
    plan: Plan,
    source: str,
    filed: Sequence[FiledReturn],
    sources: Mapping[str, FiledReturn],
    *,
    labels: Mapping[str, str],
    local_time: Callable[[datetime], datetime],
) -> View:
    """`history` or `show` of a plan with `returns:`, with the returns collected (`filed`):
    a table and, in JSON, `returns` (each with the IDs of the events listed that it recorded)
    and, on each event listed, `return` (the ID of the return it came from, else null).
    `sources`: the return of each event listed that came from one, by event ID."""
    from planctl.views.history import recorded_text

    W = COLLECTED_WORDS.get(labels["html_lang"], COLLECTED_WORDS["en"])
    recorded: dict[str, list[str]] = {f.return_id: [] for f in filed}
    data = dict(view.data)
    events = data.get("events")
    if isinstance(events, list):
        listed = []
        for event in events:
            came = sources.get(event["event_id"])
            listed.append({**event, "return": None if came is None else came.return_id})
        data["events"] = listed
    for event_id, came in sources.items():
        if came.return_id in recorded:
            recorded[came.return_id].append(event_id)
    newest_first = list(reversed(filed))
    data["returns"] = [
        {"return_id": f.return_id, "unit": f.unit, "cycle": f.cycle,
         "received": f.received.isoformat(), "by": f.recorded_by,
         "recorded_at": f.recorded_at.isoformat(timespec="seconds"), "rows": f.rows,
         "digest": f.digest, "events": recorded[f.return_id]}
        for f in newest_first
    ]  # fmt: skip
    specs: list[Spec[FiledReturn]] = [
        Spec("recorded", lambda f: recorded_text(local_time(f.recorded_at))),
        Spec("unit", lambda f: f.unit),
        Spec("cycle", lambda f: f.cycle),
        Spec("received", lambda f: f.received, "date"),
        Spec("by", lambda f: f.recorded_by),
        Spec("rows", lambda f: f.rows, "count"),
        Spec("events", lambda f: len(recorded[f.return_id]), "count"),
        Spec("digest", lambda f: f.digest[:12]),
    ]
    table = columns.table(
        W["title"].format(plan=plan_label(plan, source)), specs, newest_first, W,
        empty=W["empty"], key="returns", sheet=W["sheet"], caption=W["sheet"],
    )  # fmt: skip
    every = [*view.every_table(), table]
    return replace(view, data=data, tables=[*view.tables, table], every=every)
