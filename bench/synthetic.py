"""The plans and events of the scale benchmarks, from a fixed random seed: what
`generate.py` writes to SQLite and `load_postgres.py` copies into PostgreSQL.

Plans of a year, like plans/2018.yaml: sections, work points, tasks by month and year-round,
real-looking Chinese titles (`vocabulary.py`), owners from a few departments, targets,
recurring duties, `after` links that never form a cycle; and each plan's log of done / note /
undo / defer events spread over the year, as planctl records them. The same seed and sizes
always give the same plans and the same events (IDs and times included).
"""

from __future__ import annotations

import heapq
import itertools
import json
import random
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planctl.core.events import Action, Event

if TYPE_CHECKING:
    from planctl.plan.model import Plan
from vocabulary import (
    AREAS,
    DEPARTMENTS,
    DUTIES,
    MEETING,
    NOTES,
    PEOPLE,
    POINT_TITLES,
    REASONS,
    SECTION_TITLES,
    TARGETS,
    TEMPLATES,
    TOPICS,
)

YEAR = 2018
TODAY = date(2018, 12, 14)
"""The data describe a year almost over: most tasks done, a few open and overdue."""

SEED = 20180615
BATCH = 50_000
"""Events appended per transaction."""


@dataclass
class GenTask:
    """A task as the generator writes it (the YAML keys of a plan file)."""

    id: str
    title: str
    month: int | None
    kind: str | None = None
    owners: list[str] = field(default_factory=list)
    points: list[int] = field(default_factory=list)
    target: int | None = None
    unit: str | None = None
    every: str | None = None
    after: list[str] = field(default_factory=list)


def make_plan(rng: random.Random, number: int, tasks: int) -> tuple[str, list[GenTask], str]:
    """One plan as YAML text, its tasks, and its id."""
    plan_id = f"bench-{YEAR}-p{number:03d}"
    area_of_plan = AREAS[number % len(AREAS)]
    sections, point_numbers = [], []
    point = 0
    for s, section_title in enumerate(SECTION_TITLES[: rng.randint(4, 6)], start=1):
        points = []
        for _ in range(rng.randint(3, 5)):
            point += 1
            title = POINT_TITLES[(point - 1) % len(POINT_TITLES)]
            text = (
                f"围绕{rng.choice(TOPICS)}和{rng.choice(TOPICS)},"
                f"{rng.choice(['深入调查研究', '有效协商议政', '广泛凝聚力量', '加强民主监督'])},"
                f"年内组织{rng.randint(2, 6)}次专题活动,形成{rng.randint(1, 3)}份高质量报告。"
            )
            points.append({"number": point, "title": title, "text": text})
            point_numbers.append(point)
        sections.append({"number": s, "title": section_title, "points": points})

    generated: list[GenTask] = []
    rows = dict.fromkeys(range(1, 13), 0)
    year_round = 0
    research: list[tuple[GenTask, str]] = []  # earlier 调研/视察 tasks, for meetings' `after`
    for index in range(tasks):
        area = rng.choice(AREAS)
        roll = rng.random()
        task: GenTask
        if roll < 0.04:  # a recurring duty, all year
            year_round += 1
            title, every = rng.choice(DUTIES)
            task = GenTask(f"Y.{year_round}", title.format(area=area), None, every=every)
        elif roll < 0.07:  # a count to reach, all year
            year_round += 1
            title, unit = rng.choice(TARGETS)
            task = GenTask(
                f"Y.{year_round}",
                title.format(area=area),
                None,
                target=rng.choice([3, 4, 6, 8, 12, 20]),
                unit=unit,
            )
        elif roll < 0.12:  # other year-round work
            year_round += 1
            title, kind = rng.choice(TEMPLATES)
            task = GenTask(
                f"Y.{year_round}", title.format(area=area, topic=rng.choice(TOPICS)), None, kind
            )
        else:
            month = 1 + index * 12 // tasks  # months fill in order, as a breakdown table does
            rows[month] += 1
            topic = rng.choice(TOPICS)
            if research and rng.random() < 0.06:  # a meeting taking earlier reports
                taken = rng.sample(research[-40:], k=min(len(research[-40:]), rng.randint(1, 3)))
                task = GenTask(
                    f"{month}.{rows[month]}",
                    MEETING.format(topic=taken[0][1]),
                    month,
                    "会议",
                    after=sorted({t.id for t, _ in taken}),
                )
            else:
                title, kind = rng.choice(TEMPLATES)
                task = GenTask(
                    f"{month}.{rows[month]}", title.format(area=area, topic=topic), month, kind
                )
                if kind in ("调研", "视察"):
                    research.append((task, f"{area}{topic}"))
        if rng.random() < 0.6:
            task.owners = sorted(rng.sample(DEPARTMENTS, k=rng.choice([1, 1, 1, 2])))
        if rng.random() < 0.8:
            task.points = sorted(rng.sample(point_numbers, k=rng.choice([1, 1, 2])))
        generated.append(task)

    header = {
        "id": plan_id,
        "year": YEAR,
        "title": f"{YEAR} 年{area_of_plan}政协工作要点(第 {number + 1} 号)",
        "organisation": f"{area_of_plan}政协常委会",
        "language": "zh",
        "requirements": f"{YEAR} 年,{area_of_plan}政协常委会工作的总体要求是:"
        "牢牢把握团结和民主两大主题,聚焦中心工作,深入调查研究,有效协商议政。",
    }
    return _yaml(header, sections, generated), generated, plan_id


def _q(value: object) -> str:
    """A YAML scalar: JSON strings are YAML double-quoted scalars."""
    return json.dumps(value, ensure_ascii=False)


def _yaml(header: dict[str, object], sections: list[dict[str, Any]], tasks: list[GenTask]) -> str:
    lines = ["# Generated by bench/generate.py: a scale-test plan, not a real one."]
    lines += [f"{key}: {_q(value)}" for key, value in header.items()]
    lines.append("sections:")
    for section in sections:
        lines.append(f"  - number: {section['number']}")
        lines.append(f"    title: {_q(section['title'])}")
        lines.append("    points:")
        for point in section["points"]:
            lines.append(f"      - number: {point['number']}")
            lines.append(f"        title: {_q(point['title'])}")
            lines.append(f"        text: {_q(point['text'])}")
    lines.append("tasks:")
    for task in tasks:
        lines.append(f"  - id: {_q(task.id)}")
        lines.append(f"    title: {_q(task.title)}")
        if task.month is None:
            lines.append("    year_round: true")
        else:
            lines.append(f"    month: {task.month}")
        if task.owners:
            lines.append(f"    owners: [{', '.join(task.owners)}]")
        if task.points:
            lines.append(f"    points: [{', '.join(map(str, task.points))}]")
        if task.kind:
            lines.append(f"    kind: {task.kind}")
        if task.target is not None:
            lines.append(f"    target: {task.target}")
            lines.append(f"    unit: {task.unit}")
        if task.every:
            lines.append(f"    every: {task.every}")
        if task.after:
            lines.append(f"    after: [{', '.join(_q(ref) for ref in task.after)}]")
    return "\n".join(lines) + "\n"


def make_events(
    rng: random.Random, plan_id: str, tasks: list[GenTask], budget: int
) -> Iterator[Event]:
    """About `budget` events for one plan, made lazily in the order they were recorded.

    They obey planctl's rules: one `done` per ordinary task (again only after an undo), one per
    period of a duty, any number for a target; undo reverses the task's latest change in force;
    defer moves a task of one month to a later month."""
    by_month: dict[int | None, list[GenTask]] = {}
    for task in tasks:
        by_month.setdefault(task.month, []).append(task)
    in_force: dict[str, list[Event]] = {}  # the task's events still in force, oldest first
    done_periods: dict[str, set[str]] = {}
    month_now: dict[str, int] = {}
    days = (TODAY - date(YEAR, 1, 1)).days + 1
    for n in range(budget):
        day = date(YEAR, 1, 1) + timedelta(days=n * days // budget)
        recorded = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC) + timedelta(
            seconds=(n * 37) % 50000
        )
        # Work happens on the tasks of this month, the month before, and year-round ones.
        pool = rng.choices(
            [day.month, day.month - 1 if day.month > 1 else day.month, None], [6, 2, 3]
        )[0]
        candidates = by_month.get(pool) or by_month.get(day.month) or tasks
        task = rng.choice(candidates)
        roll = rng.random()
        if 0.09 <= roll < 0.55:  # someone records work done: most often on a task still open
            for _ in range(4):
                if not _has_done(in_force.get(task.id, [])) or task.target or task.every:
                    break
                task = rng.choice(candidates)
        history = in_force.setdefault(task.id, [])
        who = rng.choice(PEOPLE)
        uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        base: dict[str, Any] = {
            "event_id": uid,
            "plan_id": plan_id,
            "task_id": task.id,
            "recorded_by": who,
            "recorded_at": recorded,
            "work_date": day,
        }
        event = None
        if roll < 0.05 and history:  # undo the latest change in force
            target = history.pop()
            event = Event(action=Action.UNDO, undoes=target.event_id, **base)
            if target.action is Action.DONE and task.every:
                done_periods[task.id].discard(_period(task.every, target.work_date))
            if target.action is Action.DEFER:
                month_now.pop(task.id, None)
        elif roll < 0.09 and task.month is not None and month_now.get(task.id, task.month) < 12:
            if not _has_done(history):
                current = month_now.get(task.id, task.month)
                to = rng.randint(current + 1, min(12, current + 3))
                event = Event(action=Action.DEFER, to_month=to, note=rng.choice(REASONS), **base)
                month_now[task.id] = to
        elif roll < 0.55:
            if task.target is not None:
                event = Event(action=Action.DONE, count=rng.choice([None, None, 2]), **base)
            elif task.every is not None:
                period = _period(task.every, day)
                if period not in done_periods.setdefault(task.id, set()):
                    done_periods[task.id].add(period)
                    event = Event(action=Action.DONE, **base)
            elif not _has_done(history):
                note = rng.choice(NOTES) if rng.random() < 0.3 else None
                event = Event(action=Action.DONE, note=note, **base)
        if event is None:  # nothing else fits: a note, the commonest thing people record
            event = Event(action=Action.NOTE, note=rng.choice(NOTES), **base)
        if event.action is not Action.UNDO:
            history.append(event)
        yield event


def _has_done(history: list[Event]) -> bool:
    return any(event.action.value == "done" for event in history)


def _period(every: str, day: date) -> str:
    if every == "week":
        iso = day.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if every == "month":
        return f"{day:%Y-%m}"
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@dataclass
class Written:
    """One generated plan as written to its file: checked by planctl's loader (`plan`), the
    file's digest, its events (made lazily), and how long the check took."""

    plan: Plan
    digest: str
    events: Iterator[Event]
    check_seconds: float


def write_plans(
    plan_dir: Path, plans: int, tasks: int, events: int, seed: int
) -> Iterator[Written]:
    """The plans written to PLAN_DIR/pNNN.yaml (the old ones removed first), each parsed and
    validated by planctl's own loader as it is written (what `planctl check` runs: it raises if
    a plan is invalid), with its share of `events`."""
    from planctl.plan.load import parse_plan, plan_digest

    plan_dir.mkdir(parents=True, exist_ok=True)
    for old in plan_dir.glob("p*.yaml"):
        old.unlink()
    for number in range(plans):
        rng = random.Random(seed * 1000 + number)
        text, generated, plan_id = make_plan(rng, number, tasks)
        raw = text.encode("utf-8")
        path = plan_dir / f"p{number:03d}.yaml"
        path.write_bytes(raw)
        started = time.perf_counter()
        plan = parse_plan(raw, str(path))
        seconds = time.perf_counter() - started
        budget = events * (number + 1) // plans - events * number // plans
        yield Written(plan, plan_digest(raw), make_events(rng, plan_id, generated, budget), seconds)


def in_batches(logs: list[Iterator[Event]], started: float) -> Iterator[list[Event]]:
    """Every plan's events in the order they were recorded, `BATCH` at a time: the offices
    work side by side, so the log holds the plans' events interleaved, as a shared store
    would, not one plan after another. After each batch is stored, the count so far (and the
    seconds since `started`) on stderr; a line break at the end."""
    merged = heapq.merge(*logs, key=lambda event: event.recorded_at)
    written = 0
    while batch := list(itertools.islice(merged, BATCH)):
        yield batch
        written += len(batch)
        elapsed = time.perf_counter() - started
        print(f"\r{written:,} events ({elapsed:.0f} s)", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
