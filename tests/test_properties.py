"""Properties checked on generated inputs (hypothesis).

- Any sequence of done / note / defer / undo events folds (`fold`, then `assess_task`) to what a
  reference model written here predicts. The model is deliberately naive: a stack of the
  changes in force, and periods found by walking the calendar day by day.
- An undo right after any change gives back the state before that change.
- A plan dumped to YAML and loaded again is the same plan.
- Any bytes given as a plan give a `Plan` or a `PlanError`, never another exception.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from planctl.core.events import Action, Event
from planctl.core.progress import assess_task
from planctl.core.state import Completion, Deferral, TaskState, fold
from planctl.errors import PlanError
from planctl.plan.load import parse_plan
from planctl.plan.model import Plan, Section, Task, WorkPoint
from planctl.plan.types import TASK_ID_PATTERN
from tests.conftest import PLAN_2018

YEAR = 2018
FIRST_DAY = date(YEAR - 1, 12, 18)
LAST_DAY = date(YEAR + 1, 1, 12)
"""Work dates and `today` range a little beyond the plan's year, where periods cross it."""


def share(fraction: float) -> settings:
    """A share of the examples the hypothesis profile gives a cheap property (conftest.py)."""
    profile = settings.default
    assert profile is not None, "conftest.py loads a profile"
    return settings(max_examples=round(profile.max_examples * fraction))


MODEST = share(0.15)
"""For properties whose examples fold whole histories (150 under the `ci` profile)."""


# -- the reference model of one task's events ------------------------------------------------


@dataclass(frozen=True)
class Op:
    """One command a person gives for the task: what the CLI turns into one event."""

    action: Action
    on: date
    by: str = "王"
    note: str | None = None
    count: int | None = None
    to_month: int | None = None


@dataclass
class Model:
    """The changes still in force, oldest first: `undo` takes back the newest one."""

    in_force: list[Op] = field(default_factory=list)

    def apply(self, op: Op) -> bool:
        """Apply a command; False when it is an undo with nothing to undo (the CLI refuses)."""
        if op.action is Action.UNDO:
            if not self.in_force:
                return False
            self.in_force.pop()
        else:
            self.in_force.append(op)
        return True

    def completions(self) -> list[Op]:
        return [op for op in self.in_force if op.action is Action.DONE]

    def note(self) -> str | None:
        """The newest note in force: from `note`, or from `done --note`; a deferral's reason is
        not a note."""
        notes = [op.note for op in self.in_force if op.action is not Action.DEFER and op.note]
        return notes[-1] if notes else None

    def deferral(self) -> Op | None:
        deferrals = [op for op in self.in_force if op.action is Action.DEFER]
        return deferrals[-1] if deferrals else None


def key_of(every: str, day: date) -> tuple[int, int]:
    """Which week (ISO), month or quarter a day belongs to."""
    if every == "week":
        iso = day.isocalendar()
        return iso.year, iso.week
    if every == "month":
        return day.year, day.month
    return day.year, (day.month - 1) // 3


@lru_cache(maxsize=4096)
def bounds(every: str, day: date) -> tuple[date, date]:
    """The first and last day of the period containing `day`, found by walking day by day."""
    key = key_of(every, day)
    start = end = day
    while key_of(every, start - timedelta(days=1)) == key:
        start -= timedelta(days=1)
    while key_of(every, end + timedelta(days=1)) == key:
        end += timedelta(days=1)
    return start, end


def month_last_day(month: int) -> date:
    first = date(YEAR, month, 1)
    return max(d for d in days(first, first + timedelta(days=31)) if d.month == month)


def days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


@dataclass(frozen=True)
class Expected:
    """What the model predicts `assess_task` says."""

    month: int | None
    done: bool
    completion: Completion | None
    overdue: bool
    pace: tuple[int, int, int] | None = None
    periods: tuple[int, int, tuple[date, ...], tuple[date, ...]] | None = None
    """(periods begun, total periods, starts of those done, starts of those missed)."""


def predict(task: Task, model: Model, today: date) -> Expected:
    deferral = model.deferral()
    month = task.month if isinstance(task.month, int) else None
    if month is None:
        first, last = date(YEAR, 1, 1), date(YEAR, 12, 31)
    else:
        first = date(YEAR, month, 1)
        last = month_last_day(month)
        if deferral is not None and deferral.to_month is not None:
            # The due day moves to the end of the new month; the window starts where it did,
            # or with the new month when that is earlier.
            month = deferral.to_month
            first, last = min(first, date(YEAR, month, 1)), month_last_day(month)
    completions = [Completion(op.on, op.by, op.count or 1) for op in model.completions()]
    if task.every is not None:
        # A duty runs over the plan's year; its periods are clipped to it, and work dated
        # outside it counts for none of them.
        every = task.every
        keys: list[tuple[int, int]] = []
        for day in days(first, last):
            if key_of(every, day) not in keys:
                keys.append(key_of(every, day))
        starts = {
            key_of(every, day): (
                max(bounds(every, day)[0], first),
                min(bounds(every, day)[1], last),
            )
            for day in days(first, last)
        }
        inside = [c for c in completions if first <= c.on <= last]
        done_keys = {key_of(every, c.on) for c in inside}
        begun = [k for k in keys if starts[k][0] <= today]
        missed = tuple(starts[k][0] for k in begun if starts[k][1] < today and k not in done_keys)
        current = key_of(every, min(max(today, first), last))
        in_current = [c for c in inside if key_of(every, c.on) == current]
        done = bool(in_current) and not missed  # one status: overdue wins over done
        return Expected(
            month,
            done,
            in_current[-1] if done else None,
            bool(missed),
            periods=(
                len(begun),
                len(keys),
                tuple(starts[k][0] for k in begun if k in done_keys),
                missed,
            ),
        )
    total = sum(c.count for c in completions)
    done = total >= task.target if task.target is not None else bool(completions)
    pace = None
    if task.target is not None:
        target = int(task.target)  # the generated targets are counts
        span = list(days(first, last))
        elapsed = sum(1 for day in span if day <= today)
        pace = (total, target, target * elapsed // len(span))
    return Expected(
        month,
        done,
        completions[-1] if done else None,
        not done and today > last,
        pace=pace,
    )


def observed(task: Task, state: TaskState, today: date) -> Expected:
    row = assess_task(task, state, YEAR, today)
    periods = None
    if row.rhythm is not None:
        beat = row.rhythm
        periods = (
            len(beat.elapsed),
            beat.total,
            tuple(p.start for p in beat.done),
            tuple(p.start for p in beat.missed),
        )
    pace = None if row.pace is None else (row.pace.count, row.pace.target, row.pace.expected)
    return Expected(row.month, row.done, row.completion, row.overdue, pace, periods)


# -- events as the CLI records them ----------------------------------------------------------


class Log:
    """Turns commands into events the way the CLI does (an undo names the change it takes
    back), while the model follows along."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.model = Model()
        self._ids: list[str] = []  # event ids of the changes in force, as the model's stack

    def record(self, op: Op) -> None:
        if not self.model.apply(op):
            return
        event_id = f"e{len(self.events)}"
        undoes = None
        if op.action is Action.UNDO:
            undoes = self._ids.pop()
        else:
            self._ids.append(event_id)
        self.events.append(
            Event(
                event_id=event_id,
                plan_id="p",
                task_id="t",
                action=op.action,
                work_date=op.on,
                recorded_by=op.by,
                recorded_at=datetime(YEAR, 1, 1, tzinfo=UTC) + timedelta(minutes=len(self.events)),
                note=op.note,
                undoes=undoes,
                count=op.count,
                to_month=op.to_month,
            )
        )


def expected_state(model: Model) -> TaskState:
    deferral = model.deferral()
    return TaskState(
        tuple(Completion(op.on, op.by, op.count or 1) for op in model.completions()),
        model.note(),
        None
        if deferral is None or deferral.to_month is None
        else Deferral(deferral.to_month, deferral.note, deferral.on, deferral.by),
    )


dates = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
people = st.sampled_from(["王", "李明", "tester"])
notes = st.one_of(st.none(), st.just(""), st.sampled_from(["督办", "报告已报区委", "a\nb"]))


@st.composite
def tasks(draw: st.DrawFn) -> Task:
    """A task of any shape: one month or the year, plain or with a target; or a duty."""
    month = draw(st.one_of(st.none(), st.integers(1, 12)))
    shape = draw(st.sampled_from(["plain", "target", "week", "month", "quarter"]))
    if shape not in ("plain", "target"):
        month = None  # a duty's window is the plan's period
    values: dict[str, Any] = {"id": "t", "title": "任务"}
    values.update({"year_round": True} if month is None else {"month": month})
    if shape == "target":
        values["target"] = draw(st.one_of(st.integers(1, 5), st.integers(1, 400)))
    elif shape != "plain":
        values["every"] = shape
    return Task.model_validate(values)


def ops_for(task: Task) -> st.SearchStrategy[Op]:
    counts = st.one_of(st.none(), st.integers(1, 3)) if task.target is not None else st.none()
    done = st.builds(Op, st.just(Action.DONE), dates, people, notes, counts)
    note = st.builds(Op, st.just(Action.NOTE), dates, people, st.sampled_from(["已定", "改期"]))
    undo = st.builds(Op, st.just(Action.UNDO), dates, people)
    choices = [done, note, undo, undo]
    if task.month is not None:  # the CLI defers only tasks of one month
        reasons = st.sampled_from(["等待批复", "调研对象调整"])
        defer = st.builds(
            Op, st.just(Action.DEFER), dates, people, reasons, st.none(), st.integers(1, 12)
        )
        choices.append(defer)
    return st.one_of(choices)


@st.composite
def histories(draw: st.DrawFn) -> tuple[Task, list[Op], date]:
    task = draw(tasks())
    ops = draw(st.lists(ops_for(task), max_size=14))
    month = task.month if isinstance(task.month, int) else draw(st.integers(1, 12))
    in_month = st.dates(date(YEAR, month, 1), date(YEAR, month, 28))
    sunday = dates.map(lambda day: day + timedelta(days=6 - day.weekday()))
    quarter_end = st.sampled_from([date(YEAR, m, 1) - timedelta(days=1) for m in (1, 4, 7, 10)])
    return task, ops, draw(st.one_of(dates, in_month, sunday, quarter_end))


@MODEST
@given(histories())
def test_any_history_folds_to_what_the_model_predicts(case: tuple[Task, list[Op], date]) -> None:
    task, ops, today = case
    log = Log()
    for op in ops:
        log.record(op)
        state = fold(log.events)
        assert state == expected_state(log.model)
        assert observed(task, state, today) == predict(task, log.model, today)


@MODEST
@given(histories(), st.data())
def test_undo_right_after_a_change_restores_the_state_before_it(
    case: tuple[Task, list[Op], date], data: st.DataObject
) -> None:
    task, ops, today = case
    log = Log()
    for op in ops:
        log.record(op)
    before = fold(log.events)
    change = data.draw(ops_for(task).filter(lambda op: op.action is not Action.UNDO))
    log.record(change)
    log.record(Op(Action.UNDO, change.on))
    after = fold(log.events)
    assert after == before
    assert assess_task(task, after, YEAR, today) == assess_task(task, before, YEAR, today)


# -- plans survive a YAML round trip -------------------------------------------------------

CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
PUNCTUATION = st.sampled_from(list(" ,:;“”()、·-#&*!'\"%@`|>{}[]?~=0123456789.aZ\t"))
ANY_TEXT = st.characters(
    # Control characters (except tab, LF, CR) are not allowed in plans; U+2028/U+2029 are a
    # known case (see test_a_line_separator_escape_is_refused_like_the_raw_character).
    blacklist_categories=["Cc", "Cs", "Zl", "Zp"],
    whitelist_characters="\t\n\r",
)


def texts(min_size: int = 1) -> st.SearchStrategy[str]:
    """Chinese-looking text with YAML's awkward characters mixed in, or anything allowed."""
    chinese = st.text(st.one_of(CHINESE, CHINESE, PUNCTUATION), min_size=min_size, max_size=40)
    anything = st.text(ANY_TEXT, min_size=min_size, max_size=20)
    return st.one_of(chinese, chinese, anything, st.sampled_from(["yes", "null", "1.0", "~"]))


def _visible(text: str) -> bool:
    """The model refuses a title of zero-width or blank characters only (a soft hyphen)."""
    from planctl.plan.types import some_visible_character

    try:
        some_visible_character(text)
    except ValueError:
        return False
    return True


def titles() -> st.SearchStrategy[str]:
    """A title as the model keeps it: white space trimmed, not empty, something visible."""
    return texts().map(str.strip).filter(bool).filter(_visible)


task_ids = st.from_regex(TASK_ID_PATTERN, fullmatch=True)


@st.composite
def windows(draw: st.DrawFn, year: int) -> dict[str, Any]:
    """The keys of any kind of window a task of a plan for `year` can have."""
    kind = draw(st.sampled_from(["month", "year_round", "quarter", "due", "every", "months"]))
    in_year = st.dates(date(year, 1, 1), date(year, 12, 31))
    if kind == "month":
        return {"month": draw(st.one_of(st.integers(1, 12), st.just(f"{year}-06")))}
    if kind == "quarter":
        return {"quarter": draw(st.one_of(st.integers(1, 4), st.just(f"{year}-Q3")))}
    if kind == "due":
        due = draw(in_year)
        values: dict[str, Any] = {"due": draw(st.one_of(st.just(due), st.integers(1, 12)))}
        if isinstance(values["due"], date) and draw(st.booleans()):
            values["start"] = draw(st.dates(date(year, 1, 1), due))
        return values
    if kind == "every":
        every = draw(st.sampled_from(["week", "month", "quarter", "half", "year", "as_needed"]))
        values = {"every": every}
        if every not in ("week", "as_needed") and draw(st.booleans()):
            values["by"] = draw(st.integers(1, 31))
        if every != "as_needed" and draw(st.booleans()):
            values["interval"] = draw(st.integers(1, 3))
        return values
    if kind == "months":
        return {"months": draw(st.lists(st.integers(1, 12), min_size=1, max_size=4))}
    return {"year_round": True}


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    numbers = draw(st.lists(st.integers(1, 40), unique=True, max_size=6))
    sections = []
    for s, chunk in enumerate([numbers[:3], numbers[3:]]):
        empty_section: bool = draw(st.booleans())
        if chunk or empty_section:
            points = [WorkPoint(number=n, title=draw(titles()), text=draw(texts(0))) for n in chunk]
            sections.append(Section(number=s + 1, title=draw(titles()), points=points))
    ids = draw(st.lists(task_ids, unique_by=str.casefold, max_size=8))
    year = draw(st.integers(1900, 2999))
    task_list = []
    for i, task_id in enumerate(ids):
        values: dict[str, Any] = {"id": task_id, "title": draw(titles())}
        values.update(draw(windows(year)))
        if "every" not in values and "months" not in values and draw(st.booleans()):
            values["target"] = draw(st.integers(1, 10_000))
            if draw(st.booleans()):
                values["unit"] = draw(titles())
        if numbers:
            values["points"] = draw(st.lists(st.sampled_from(numbers), max_size=3))
        if draw(st.booleans()):
            values["owners"] = draw(st.lists(titles(), max_size=3))
        if draw(st.booleans()):
            values["kind"] = draw(titles())
        if draw(st.booleans()):
            values["source"] = draw(texts(0))
        if i:  # prerequisites among earlier tasks only: no cycles
            earlier = st.sampled_from(ids[:i])
            after = draw(st.lists(earlier, max_size=3, unique=True))
            values["after"] = [a.upper() if draw(st.booleans()) else a for a in after]
        task_list.append(Task.model_validate(values))
    plan: dict[str, Any] = {
        "id": draw(task_ids),
        "year": year,
        "title": draw(titles()),
        "sections": sections,
        "tasks": task_list,
    }
    if draw(st.booleans()):
        plan["period"] = {"start": date(year, 1, 1), "end": date(year, 12, 31)}
    if draw(st.booleans()):
        plan["organisation"] = draw(titles())
    if draw(st.booleans()):
        plan["language"] = draw(st.sampled_from(["zh", "en"]))
    if draw(st.booleans()):
        plan["requirements"] = draw(texts(0))
    return Plan.model_validate(plan)


@share(0.2)  # 200 under the `ci` profile
@given(plans(), st.booleans(), st.booleans())
def test_a_plan_dumped_to_yaml_loads_as_the_same_plan(
    plan: Plan, allow_unicode: bool, flow: bool
) -> None:
    data = plan.model_dump(mode="json", exclude_defaults=True)
    text = yaml.safe_dump(
        data, allow_unicode=allow_unicode, sort_keys=False, default_flow_style=flow or None
    )
    assert parse_plan(text.encode("utf-8"), "dumped.yaml") == plan


def test_a_line_separator_escape_is_refused_like_the_raw_character() -> None:
    escaped = minimal_with_title('"Task\\Lone"')
    with pytest.raises(PlanError) as caught:
        parse_plan(escaped.encode(), "p.yaml")
    assert caught.value.lines() == [
        "p.yaml:12:12: tasks[0].title: line separator U+2028 is not allowed"
    ]


def minimal_with_title(title: str) -> str:
    return (
        "id: mini\nyear: 2018\ntitle: Minimal plan\nsections:\n  - number: 1\n"
        "    title: Section one\n    points:\n      - number: 1\n        title: Point one\n"
        f"tasks:\n  - id: t1\n    title: {title}\n    month: 3\n    points: [1]\n"
    )


# -- nothing given as a plan makes the loader crash ---------------------------------------

PLAN_BYTES = PLAN_2018.read_bytes()
YAML_TOKENS = [
    b"[", b"]", b"{", b"}", b"&a ", b"*a", b"!!int ", b"!!binary ", b"!!python/tuple ",
    b"<<: ", b"? ", b"- ", b": ", b"\t", b"\x00", b"\xff", b"'", b'"', b"\\", b"#", b"---\n",
    b"...\n", b"%YAML 1.1\n", b"%TAG ! tag:x,1:\n", b"!!timestamp ", b"!!float ", b"!!set ",
    b"!!omap ", b"!!pairs ", b"~", b"\r", b"\n", b"\xe4\xb8", b"\xef\xbb\xbf", b"!<!x> ",
    b"!!merge ", b"!!value ", b"=", b"!!null ", b"!!bool ", b"!!str ", b"!!seq ", b"!!map ",
    b"9" * 30, b".nan", b".inf", b"0x", b"0o", b"1_0", b"1:2:3", b"2018-13-45", b"\xe2\x80\xa8",
    b"|", b">-", b"\\L", b"\\x07", b"&b [*b]", b"!foo ", b"\x1b",
]  # fmt: skip


def check_parses_or_refuses(raw: bytes) -> None:
    """parse_plan gives a Plan or a PlanError with located problems; nothing else."""
    try:
        plan = parse_plan(raw, "fuzz.yaml")
    except PlanError as error:
        assert error.problems, "a PlanError lists its problems"
        for problem in error.problems:
            assert problem.line >= 1 and problem.column >= 1
            assert "\n" not in problem.message
    else:
        assert isinstance(plan, Plan)


# The loader properties below are cheap: they run the profile's count (1000 under `ci`).


@given(st.one_of(st.binary(max_size=3000), st.text(max_size=1000).map(str.encode)))
def test_random_bytes_never_crash_the_loader(raw: bytes) -> None:
    check_parses_or_refuses(raw)


@given(st.lists(st.sampled_from([*YAML_TOKENS, b"a", b" ", b"\n  "]), max_size=80))
def test_random_yaml_tokens_never_crash_the_loader(tokens: list[bytes]) -> None:
    check_parses_or_refuses(b"".join(tokens))


Mutation = Callable[[bytearray, random.Random], None]


def _delete(data: bytearray, rng: random.Random) -> None:
    at = rng.randrange(len(data))
    del data[at : at + rng.randint(1, 40)]


def _insert(data: bytearray, rng: random.Random) -> None:
    at = rng.randrange(len(data))
    data[at:at] = rng.choice(YAML_TOKENS)


def _flip(data: bytearray, rng: random.Random) -> None:
    data[rng.randrange(len(data))] = rng.randrange(256)


def _copy(data: bytearray, rng: random.Random) -> None:
    start, at = rng.randrange(len(data)), rng.randrange(len(data))
    data[at:at] = data[start : start + rng.randint(1, 300)]


MUTATIONS: list[Mutation] = [_delete, _insert, _flip, _copy]


@given(st.lists(st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 2**32)), max_size=6))
def test_mutations_of_the_2018_plan_never_crash_the_loader(
    mutations: list[tuple[Mutation, int]],
) -> None:
    data = bytearray(PLAN_BYTES)
    for mutate, seed in mutations:
        if data:
            mutate(data, random.Random(seed))
    check_parses_or_refuses(bytes(data))
