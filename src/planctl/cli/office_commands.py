"""Commands that make plan files from office documents: import (a breakdown table in a
.xlsx or .docx) and new (next year's plan from this year's, or a template)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from planctl.cli import settings
from planctl.cli.options import DbOption, PlanChoice, TodayOption
from planctl.cli.outfile import ReadFile
from planctl.cli.registry import command
from planctl.errors import BadValue, PlanctlError
from planctl.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from planctl.office.draft import Draft

WARNED_TABLES = 10
"""The most tables whose task counts `import`'s warning about the tables not read lists."""

OutputOption = Annotated[
    str | None,
    typer.Option("--output", "-o", help="Write the plan to this file [default: stdout]."),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace the --output file if it exists.")
]


@command
def import_(
    file: Annotated[
        str, typer.Argument(help="The breakdown table: a .xlsx or .docx file.", metavar="FILE")
    ],
    output: OutputOption = None,
    force: ForceOption = False,
    plan_id: Annotated[str | None, typer.Option("--id", help="The plan's ID.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="The plan's year.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="The plan's title.")] = None,
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column",
            metavar="HEADER=KEY",
            help="HEADER=KEY: read the column headed HEADER as KEY (id, title, time, lead,"
            " support, leader, kind, source, ignore). Repeatable.",
        ),
    ] = None,
    today: TodayOption = None,
) -> None:
    """Turn a breakdown table (重点工作分解表, an action plan) into a draft plan file.

    Ends with one line: the tasks read and how many need a look (their comments say why)."""
    from planctl.office.draft import NotATable, draft_from_rows
    from planctl.office.readers import read_tables
    from planctl.office.table import OPTION_KEYS, squeezed
    from planctl.office.yaml_text import draft_yaml

    overrides: dict[str, str] = {}
    for given in column or []:
        header, _equals, key = given.rpartition("=")
        if not header.strip() or key.strip() not in OPTION_KEYS:
            raise BadValue(
                _("--column {given}: write HEADER=KEY, KEY one of {keys}").format(
                    given=repr(given), keys=", ".join(OPTION_KEYS)
                )
            )
        overrides[squeezed(header)] = key.strip()
    if plan_id is not None:
        _check_id(plan_id)
    if title is not None:
        _check_title(title)
    if year is not None and not 1900 <= year <= 2999:
        raise BadValue(_(_YEAR).format(year=year))
    path = Path(file)
    tables = read_tables(path)
    first_problem: NotATable | None = None
    drafts: list[Draft] = []
    for rows in tables:
        try:
            found = draft_from_rows(
                rows,
                name=path.name,
                today_year=settings.today(today).year,
                year=year,
                plan_id=plan_id,
                title=title,
                overrides=overrides,
            )
        except NotATable as problem:
            first_problem = first_problem or problem
        else:
            drafts.append(found)
    if not drafts:
        assert first_problem is not None
        raise first_problem
    draft = drafts[0]
    heading = [_("A draft plan made by `planctl import` from {name}.").format(name=path.name)]
    text = draft_yaml(draft, heading)
    _verified(text, draft, output or "<stdout>")
    looks = draft.needing_a_look
    summary = ngettext(
        "{tasks} read from {name}, {looks} needs a look (comments marked check)",
        "{tasks} read from {name}, {looks} need a look (comments marked check)",
        looks,
    ).format(tasks=_tasks(len(draft.tasks)), name=path.name, looks=looks)
    unread = [
        ngettext(
            "{count} task with a time not read", "{count} tasks with a time not read", n
        ).format(count=n)
        for n in [draft.unread]
        if n
    ] + [
        ngettext(
            "{count} task year-round only because no time was read",
            "{count} tasks year-round only because no time was read",
            n,
        ).format(count=n)
        for n in [draft.blank]
        if n
    ]
    if unread:
        summary = _("{summary}; {unread}").format(summary=summary, unread=_(", ").join(unread))
    _deliver(text, output, force, summary, [ReadFile(N_("the input"), path)])
    from planctl.cli.output import warn

    for warning in draft.warnings:
        warn(_("planctl: warning: {warning}").format(warning=warning))
    if len(drafts) > 1:
        others = [len(later.tasks) for later in drafts[1:]]
        named = _(", ").join(_tasks(n) for n in others[:WARNED_TABLES])
        if len(others) > WARNED_TABLES:
            named = _("{named} and {count} more").format(
                named=named, count=f"{len(others) - WARNED_TABLES:,}"
            )
        warn(
            ngettext(
                "planctl: warning: {name}: only the first table with tasks was read; {count}"
                " more table lists tasks ({named}): save each table in a file of its own and"
                " import it",
                "planctl: warning: {name}: only the first table with tasks was read; {count}"
                " more tables list tasks ({named}): save each table in a file of its own and"
                " import it",
                len(others),
            ).format(name=path.name, count=len(others), named=named)
        )


_YEAR = N_("--year must be between 1900 and 2999, not {year}")


def _tasks(count: int) -> str:
    """`1 task`, `2 tasks`; 2 项任务."""
    return ngettext("{count} task", "{count} tasks", count).format(count=count)


@command
def new(
    year: Annotated[int, typer.Option("--year", help="The new plan's year.")],
    from_: Annotated[
        str | None,
        typer.Option("--from", help="The plan it follows (sections, duties, open tasks)."),
    ] = None,
    output: OutputOption = None,
    force: ForceOption = False,
    db: DbOption = None,
    today: TodayOption = None,
) -> None:
    """Start a new year's plan: from an old one (its sections and work points, its recurring
    duties, and its tasks still open carried over, each with carried_from), or, without
    --from, a commented template of every key."""
    if not 1900 <= year <= 2999:
        raise BadValue(_(_YEAR).format(year=year))
    if from_ is None:
        from planctl.office.template import template

        text = template(year)
        _verified(text, None, output or "<stdout>")
        made = _("a template for {year}: fill it in, then planctl check").format(year=year)
        _deliver(text, output, force, made, [])
        return
    from planctl.cli.session import Session
    from planctl.core.progress import assess
    from planctl.core.state import states
    from planctl.office.carry import counted_duties, counted_points, counted_sections, next_plan
    from planctl.office.yaml_text import draft_yaml
    from planctl.rules.windows import plan_period

    where = PlanChoice(plan=from_, db=db, today=today)  # --from: the plan it follows
    session = Session.of(where, records="required", hint_past=False)
    old = session.plan
    if year <= old.year:
        raise BadValue(
            _("--year {year} is not after the year of {source} ({old})").format(
                year=year, source=session.source, old=old.year
            )
        )
    as_of = max(plan_period(old).end, session.today)  # no note: a later today is the rule
    rows = assess(old, states(session.events, as_of=as_of), as_of)
    draft = next_plan(old, rows, year, as_of)
    heading = _("The {year} plan made by `planctl new` from {source}.")
    text = draft_yaml(draft, [heading.format(year=year, source=session.source)])
    _verified(text, draft, output or "<stdout>")
    carried = sum(1 for entry in draft.tasks if "carried_from" in entry.data)
    summary = ngettext(
        "{sections}, {points} and {duties} copied, {count} open task carried over from {plan}",
        "{sections}, {points} and {duties} copied, {count} open tasks carried over from {plan}",
        carried,
    ).format(
        sections=counted_sections(len(old.sections)), points=counted_points(len(old.points)),
        duties=counted_duties(len(draft.tasks) - carried), count=carried, plan=old.id,
    )  # fmt: skip
    _deliver(text, output, force, summary, session.files_read())


def _check_id(plan_id: str) -> None:
    import re

    from planctl.plan.types import TASK_ID_PATTERN

    if not re.fullmatch(TASK_ID_PATTERN, plan_id):  # `$` alone would let a final newline in
        raise BadValue(
            _(
                "--id {id}: an ID is 1-32 ASCII letters, digits, '.', '_' or '-', starting with"
                " a letter or digit"
            ).format(id=repr(plan_id))
        )


def _check_title(title: str) -> None:
    from planctl.plan.types import no_control_characters

    try:
        no_control_characters(title)
    except ValueError as error:
        raise BadValue(_("--title: {problem}").format(problem=error)) from None
    if not title.strip() or "\n" in title:
        raise BadValue(_("--title is one line of text"))


def _verified(text: str, draft: Draft | None, name: str) -> None:
    """The text passes `planctl check`, and holds what the draft meant (a bug otherwise)."""
    from planctl.errors import PlanError
    from planctl.plan.load import parse_plan
    from planctl.plan.model import Plan
    from planctl.plan.steps import assembled

    try:
        plan = parse_plan(text.encode(), name)
    except PlanError as error:
        raise PlanctlError(
            _("the draft does not pass planctl check (a bug): {problem}").format(
                problem=error.lines()[0]
            )
        ) from None
    if draft is not None:
        meant = Plan.model_validate(
            {**draft.top, "sections": [e.data for e in draft.sections],
             "tasks": [e.data for e in draft.tasks]}
        )  # fmt: skip
        if assembled(meant) != plan:
            raise PlanctlError(_("the draft does not read back as it was made (a bug)"))


def _deliver(
    text: str, output: str | None, force: bool, summary: str, reads: list[ReadFile]
) -> None:
    """The plan to stdout (the summary then on stderr) or to the file (summary on stdout),
    written whole or not at all, never onto a file the command read (`reads`, the config file
    also). An existing file is kept unless --force."""
    from planctl.cli.output import say, warn, write_file

    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        warn(summary)
        return
    config_path = settings.config_file(os.environ)
    if config_path.exists():
        reads = [*reads, ReadFile(N_("the config file"), config_path)]
    try:
        write_file(output, text.encode(), reads=lambda: reads, replace=force)
    except FileExistsError:
        raise BadValue(
            _("{output} exists; give --force to replace it").format(output=output)
        ) from None
    say(f"{output}: {summary}")
