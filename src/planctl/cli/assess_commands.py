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
from planctl.cli.registry import command
from planctl.cli.session import Session
from planctl.render import Format
from planctl.views.names import ASSESS_TABLES

if TYPE_CHECKING:
    from planctl.core.assess import Weights
    from planctl.core.returns import ReturnTally

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
    """The scoring rules of the config file's `[assess]` table, else the defaults."""
    from planctl.core.assess import Weights

    if session.config is None:
        return Weights()
    table = session.config.assess
    return Weights(**table.model_dump())


@command
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
    from planctl.core.assess import Deductions, assessment, chases_by_unit
    from planctl.core.schedule import owned_rows
    from planctl.core.steps import leaf_rows
    from planctl.views.assess import assess_view

    session = Session.of(where, records="required")
    selection = session.selection(owner, role, leader)
    weights = configured_weights(session)
    session.period  # noqa: B018 - says once on stderr when --today is outside the plan's period
    # A task with steps is assessed through its steps, so that nothing is scored twice.
    rows = leaf_rows(owned_rows(session.rows.values(), selection))
    tallies = _return_tallies(session, weights) if session.plan.returns is not None else None
    late = {tally.unit: (tally.late, tally.missing) for tally in tallies or []}
    chased = chases_by_unit(session.rows.values())
    deductions = {
        unit: Deductions(*late.get(unit, (0, 0)), chased=chased.get(unit, 0))
        for unit in {*late, *chased}
    }
    result = assessment(session.plan, rows, session.today, weights, deductions)
    view = assess_view(
        session.plan, session.source, result, session.today, session.labels, selection=selection
    )
    if tallies is not None:
        from planctl.views.returns import with_return_tallies

        view = with_return_tallies(
            view, tallies, late_weight=weights.return_late,
            missing_weight=weights.return_missing, labels=session.labels,
        )  # fmt: skip
    out.show(view, reads=session.files_read)


def _return_tallies(session: Session, weights: Weights) -> list[ReturnTally]:
    """The units' returns over the cycles due by today, with what the `[assess]` rules deduct
    for them (the assessment subtracts them from each unit's score)."""
    from planctl.core.returns import plan_cycles, return_tallies
    from planctl.core.units import filing_units

    with session.reading() as store:
        filed = store.filed_returns(session.plan.id)
    return return_tallies(
        plan_cycles(session.plan), filing_units(session.plan), filed, session.today,
        late_weight=weights.return_late, missing_weight=weights.return_missing,
    )  # fmt: skip
