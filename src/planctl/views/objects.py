"""The JSON objects the views share: a plan, a task as it stands, a progress report."""

from __future__ import annotations

from datetime import date
from typing import Any

from planctl.core.lights import expected_percent
from planctl.core.progress import Rhythm, TaskRow
from planctl.core.state import Report, TaskState
from planctl.plan.model import Plan


def plan_object(plan: Plan) -> dict[str, Any]:
    return {"id": plan.id, "year": plan.year, "title": plan.title}


def task_object(row: TaskRow) -> dict[str, Any]:
    task, state, completion = row.task, row.state, row.completion
    deferral = state.deferral
    status = "done" if row.done else ("claimed" if state.claim is not None else "open")
    return {
        "id": task.id,
        "title": task.title,
        "month": task.month,
        "year_round": task.year_round,
        "owners": list(task.leads),
        "points": list(task.points),
        "kind": task.kind,
        "status": status,
        "overdue": row.overdue,
        "done_on": completion.on.isoformat() if completion else None,
        "done_by": completion.by if completion else None,
        "note": state.note,
        "due_month": row.month,
        "deferral": None
        if deferral is None
        else {
            "to": deferral.to_month,
            "due": row.due.isoformat(),
            "reason": deferral.reason,
            "on": deferral.on.isoformat(),
            "by": deferral.by,
        },
        "blocked_by": list(row.blocked_by),
        "progress": None
        if row.pace is None
        else {"count": row.pace.count, "target": row.pace.target, "expected": row.pace.expected},
        "periods": None if row.rhythm is None else _periods_object(row.rhythm),
        "start": row.start.isoformat(),
        "due": row.due.isoformat(),
        "due_in_days": row.due_in_days,
        "lead": list(task.leads),
        "support": list(task.support),
        "leader": list(task.leader),
        "parent": task.parent,
        "steps": task.step_ids,
        "steps_done": None if row.steps is None else row.steps.done,
        "light": row.light,
        "stale": row.stale,
        "stale_since": row.state.last_event.isoformat()
        if row.stale and row.state.last_event is not None
        else None,
        "progress_report": None if state.report is None else report_object(state.report),
        "expected_percent": None
        if task.recurring
        else expected_percent(row.start, row.due, row.today),
        "value_target": None if row.measured is None else _value_object(row),
    } | _checks_object(state, row.due)


def _checks_object(state: TaskState, due: date) -> dict[str, Any]:
    """A claim awaiting a check, a request awaiting a decision, and the latest of them sent
    back, and the chases (催办): keys present only when there is one (a plan without
    `checks` and chases never has any)."""
    keys: dict[str, Any] = {}
    if state.claim is not None:
        claim = state.claim
        keys["claim"] = {"on": claim.on.isoformat(), "by": claim.by, "note": claim.note}
    if state.rejection is not None:
        rejected = state.rejection
        keys["rejection"] = {
            "of": rejected.of,
            "on": rejected.on.isoformat(),
            "by": rejected.by,
            "reason": rejected.reason,
        }
    if state.chases:
        keys["chases"] = [
            {"on": c.on.isoformat(), "by": c.by, "how": c.how, "note": c.note} for c in state.chases
        ]
    if state.request is not None:
        asked = state.request
        # A pending request leaves the due day as it was: asked after it, it was late.
        keys["request"] = {
            "due": asked.due.isoformat(),
            "reason": asked.reason,
            "on": asked.on.isoformat(),
            "by": asked.by,
            "late": asked.on > due,
        }
    return keys


def report_object(report: Report) -> dict[str, Any]:
    """A progress report (进度填报) in JSON."""
    return {
        "on": report.on.isoformat(),
        "by": report.by,
        "percent": report.percent,
        "value": json_number(report.value),
        "note": report.note,
    }


def _value_object(row: TaskRow) -> dict[str, Any]:
    measured = row.measured
    assert measured is not None
    latest = measured.latest
    return {
        "target": json_number(measured.target),
        "unit": row.task.unit,
        "compare": measured.compare,
        "tolerance": json_number(float(measured.tolerance))
        if measured.compare == "about"
        else None,
        "value": None if latest is None else json_number(latest.value),
        "on": None if latest is None else latest.on.isoformat(),
        "meets": measured.meets,
    }


def json_number(value: int | float | None) -> int | float | None:
    """A number for JSON as it was written: 8 rather than 8.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _periods_object(beat: Rhythm) -> dict[str, Any]:
    return {
        "every": beat.every,
        "current": beat.current.label,
        "done": len(beat.done),
        "elapsed": len(beat.elapsed),
        "total": beat.total,
        "missed": [period.label for period in beat.missed],
    }
