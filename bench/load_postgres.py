"""The generated data in a PostgreSQL store: the same plans and events as bench/generate.py
makes, loaded with `COPY` (`generate.py --postgres URL`), and padded with other plans' events made
by the server (`generate.py --postgres URL --pad N`)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from synthetic import YEAR, in_batches, write_plans


def generate_postgres(out: Path, url: str, plans: int, tasks: int, events: int, seed: int) -> None:
    """The same plans (written to OUT/plans) and the same events, into the PostgreSQL store at
    `url` (emptied first: its events, plan versions and returns), the events with `COPY`
    (psycopg's `cursor.copy`) in batches of 50,000 rows, not row by row; the schema made by
    planctl's own migrations (`Store.open_for_writing`), the plan versions by
    `Transaction.record_plan`. `ANALYZE` at the end, as autovacuum would soon do."""
    import psycopg
    import sqlalchemy as sa

    from planctl.store.rows import EVENT_FIELDS, event_row
    from planctl.store.store import Store, StoreLocation

    plan_dir = out / "plans"
    started = time.perf_counter()
    store = Store.open_for_writing(StoreLocation.parse(url))
    store.close()
    conninfo = sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as connection:
        connection.execute("TRUNCATE events, plan_versions, returns")
    store = Store.open_for_writing(StoreLocation.parse(url))
    logs = []
    try:
        with store.transaction() as tx:
            for plan in write_plans(plan_dir, plans, tasks, events, seed):
                tx.record_plan(plan.plan, plan.digest, datetime(YEAR, 1, 1, tzinfo=UTC))
                logs.append(plan.events)
    finally:
        store.close()
    copy = f"COPY events ({', '.join(EVENT_FIELDS)}) FROM STDIN"
    written = 0
    copy_seconds = 0.0
    with psycopg.connect(conninfo) as connection:
        for batch in in_batches(logs, started):
            t0 = time.perf_counter()
            with connection.cursor() as cursor, cursor.copy(copy) as copying:
                for event in batch:
                    row = event_row(event)
                    copying.write_row([row[name] for name in EVENT_FIELDS])
            connection.commit()
            copy_seconds += time.perf_counter() - t0
            written += len(batch)
        connection.execute("ANALYZE events")
        connection.commit()
    print(
        f"wrote {plans} plans of {tasks} tasks to {plan_dir}/ and {written:,} events to"
        f" {sa.make_url(url).render_as_string(hide_password=True)} in"
        f" {time.perf_counter() - started:.1f} s (COPY {copy_seconds:.1f} s)"
    )


FILLER_PLANS = 900
"""The other offices' plans whose events `--pad` adds (1,000 plans in all, as at 10M events)."""


def pad_postgres(url: str, count: int) -> None:
    """`count` more events in the PostgreSQL store at `url`, of `FILLER_PLANS` other plans
    (`bench-2018-f000` ...), made by the server itself (`generate_series`: minutes, where
    generating them as planctl records them would take most of an hour): notes on 1,000
    tasks a plan, through the year. They come after the store's own events in the table, so
    the generated plans' events and the pages they lie on are those of the 1M store; what
    grows is the table and its indexes, which every read of one plan searches. Then
    `ANALYZE`."""
    import psycopg
    import sqlalchemy as sa

    conninfo = sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    started = time.perf_counter()
    with psycopg.connect(conninfo) as connection:
        before = connection.execute("SELECT count(*) FROM events").fetchone()
        connection.execute(
            "INSERT INTO events (event_id, plan_id, task_id, action, work_date, recorded_by,"
            " recorded_at, note)"
            " SELECT md5('filler ' || g), 'bench-2018-f' || lpad((g %% %(plans)s)::text, 3, '0'),"
            " 'T.' || (g / %(plans)s %% 1000), 'note', DATE '2018-01-01' + (g %% 348)::int,"
            " '李明', TIMESTAMPTZ '2018-01-01 01:00+00' + (g %% 348) * interval '1 day',"
            " '调研提纲已定' FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g",
            {"plans": FILLER_PLANS, "first": 1, "last": count},
        )
        connection.commit()
        connection.execute("ANALYZE events")
        connection.commit()
        after = connection.execute("SELECT count(*) FROM events").fetchone()
    assert before is not None and after is not None
    print(
        f"padded {sa.make_url(url).render_as_string(hide_password=True)} from {before[0]:,} to"
        f" {after[0]:,} events in {time.perf_counter() - started:.1f} s"
    )
