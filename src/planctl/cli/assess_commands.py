"""The year-end assessment (年终问效): units scored and ranked, work points item by item."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from planctl.cli.options import (
    LeaderOption,
    OutputChoice,
    OwnerOption,
    PlanChoice,
    RoleOption,
    output_options,
    plan_options,
    table_choice,
)
from planctl.cli.session import Session
from planctl.render import Format
from planctl.views.names import ASSESS_TABLES

if TYPE_CHECKING:
    from planctl.core.assess import Weights
    from planctl.render import View

AssessFormat = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        help="table, text, json, markdown, csv, html, xlsx or pdf.",
        case_sensitive=False,
    ),
]
AssessTable = Annotated[str | None, table_choice("assess", ASSESS_TABLES)]


def configured_weights(session: Session) -> Weights:
    """The `[assess]` table of the config file, else the default weights (100, 80, 60, 0)."""
    from planctl.core.assess import Weights

    if session.config is None:
        return Weights()
    table = session.config.assess
    return Weights(table.on_time, table.deferred, table.late, table.overdue)


@plan_options()
@output_options(format=AssessFormat, table=AssessTable)
def assess(
    owner: OwnerOption = None,
    role: RoleOption = None,
    leader: LeaderOption = None,
    *,
    where: PlanChoice,
    out: OutputChoice,
) -> None:
    """The assessment (年终问效): each unit's tasks scored and ranked, each work point's tasks."""
    from planctl.core.assess import assessment
    from planctl.core.schedule import owned_rows
    from planctl.core.steps import leaf_rows
    from planctl.views.assess import assess_view

    session = Session.of(where, records="required")
    selection = session.selection(owner, role, leader)
    weights = configured_weights(session)
    session.period  # noqa: B018 - says once on stderr when --today is outside the plan's period
    # A task with steps is assessed through its steps, so that nothing is scored twice.
    rows = leaf_rows(owned_rows(session.rows.values(), selection))
    result = assessment(session.plan, rows, session.today, weights)
    view = assess_view(
        session.plan, session.source, result, session.today, session.labels, selection=selection
    )
    if session.plan.returns is not None:
        view = _with_returns(session, view)
    out.show(view, reads=session.files_read)


def _with_returns(session: Session, view: View) -> View:
    """The units' returns over the cycles due by today, with the `[assess]` deductions."""
    from planctl.core.returns import plan_cycles, return_tallies
    from planctl.plan.refs import plan_owners
    from planctl.views.returns import with_return_tallies

    table = session.config.assess if session.config is not None else None
    late = float(table.return_late) if table is not None else 0.0
    missing = float(table.return_missing) if table is not None else 0.0
    with session.reading() as store:
        filed = store.filed_returns(session.plan.id)
    tallies = return_tallies(
        plan_cycles(session.plan), plan_owners(session.plan), filed, session.today,
        late_weight=late, missing_weight=missing,
    )  # fmt: skip
    return with_return_tallies(
        view, tallies, late_weight=late, missing_weight=missing, labels=session.labels
    )
