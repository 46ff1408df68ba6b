"""`planctl pending`: the claims and requests awaiting a decision."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from planctl.core.pending import Pending
from planctl.plan.model import Plan
from planctl.render import View
from planctl.views import columns
from planctl.views.cells import names_text
from planctl.views.columns import Spec
from planctl.views.common import ENGLISH, document_heading, plan_label
from planctl.views.objects import plan_object


def pending_object(item: Pending) -> dict[str, Any]:
    task = item.row.task
    return {
        "id": task.id,
        "title": task.title,
        "kind": item.kind,
        "on": item.on.isoformat(),
        "by": item.by,
        "age_days": item.age,
        "lead": list(task.leads),
        "leader": list(task.leader),
        "due": item.row.due.isoformat(),
        "asks": None if item.asks is None else item.asks.isoformat(),
        "reason": item.reason,
        "late": item.late,
    }


def pending_specs(labels: Mapping[str, str]) -> list[Spec[Pending]]:
    """The columns: the task, what is asked (a claim, or a request for a day), when, by
    whom, how many days ago, the units and leader, the task's due day, and the reason."""
    L = labels

    def asked(item: Pending) -> str:
        if item.kind == "claim":
            return L["act_claim"]
        late = L["pending_late"] if item.late else ""
        return f"{L['act_request']} → {item.asks}{late}"

    return [
        Spec("id", lambda p: p.row.task.id),
        Spec("title", lambda p: p.row.task.title),
        Spec("pending_what", asked),
        Spec("pending_on", lambda p: p.on, "date"),
        Spec("pending_by", lambda p: p.by),
        Spec("pending_age", lambda p: p.age, "count"),
        Spec("lead", lambda p: names_text(p.row.task.leads, L)),
        Spec("leader", lambda p: names_text(p.row.task.leader, L)),
        Spec("due", lambda p: p.row.due, "date"),
        Spec("note", lambda p: p.reason or ""),
    ]


def pending_view(
    plan: Plan,
    source: str,
    items: Sequence[Pending],
    today: date,
    labels: Mapping[str, str] = ENGLISH,
) -> View:
    """`planctl pending`: the claims and requests awaiting a decision, oldest first."""
    L = labels
    data = {
        "plan": plan_object(plan),
        "today": today.isoformat(),
        "pending": [pending_object(item) for item in items],
    }
    title = L["pending_title"].format(plan=plan_label(plan, source), today=today)
    table = columns.table(
        title, pending_specs(L), items, L, empty=L["none"], key="pending",
        sheet=L["pending_sheet"], caption="",
    )  # fmt: skip
    heading = document_heading(plan, L["pending_sheet"], L, today)
    return View(data, [table], heading=heading, lang=L["html_lang"])


def with_pending(view: View, items: Sequence[Pending], labels: Mapping[str, str]) -> View:
    """The office's digest under the plan's `checks`, opening with the claims and requests
    awaiting a decision: a table first and, in JSON, `pending`."""
    L = labels
    table = columns.table(
        L["pending_list"], pending_specs(L), items, L, empty=L["none"], key="pending"
    )
    data = dict(view.data) | {"pending": [pending_object(item) for item in items]}
    every = [table, *view.every_table()]
    return replace(view, data=data, tables=[table, *view.tables], every=every)
