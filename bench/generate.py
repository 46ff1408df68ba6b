"""Make a plan set and a store of any size, from a fixed random seed, for the scale benchmarks.

    .venv/bin/python bench/generate.py     # 100 plans x 1,000 tasks, 1M events: bench/data/large
    .venv/bin/python bench/generate.py --out /tmp/small --plans 3 --tasks 200 --events 5000
    .venv/bin/python bench/generate.py --out bench/data/pg --postgres postgresql+psycopg://...
    .venv/bin/python bench/generate.py --postgres postgresql+psycopg://... --pad 9000000

Writes OUT/plans/pNNN.yaml (plans of a year, like plans/2018.yaml: sections, work points, tasks
by month and year-round, real-looking Chinese titles, owners from a few departments, targets,
recurring duties, `after` links that never form a cycle) and OUT/store.sqlite3, an event log of
done / note / undo / defer events spread over the year, recorded the way planctl records them:
every plan is parsed and validated by planctl's own loader (what `planctl check` runs), then
`Store.open_for_writing` creates the store, `Transaction.record_plan` records each plan's
version, and the events of all the plans, merged in the order they were recorded (offices work
side by side), go in through `Transaction.append` in batches of 50,000, one transaction each.

The same seed and sizes always give the same plan files and the same events (IDs and times
included; only the store's record of when it saw each plan version differs), so figures taken on
two machines describe the same data. Uses only the standard library and planctl.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from pathlib import Path

from synthetic import SEED, YEAR, in_batches, write_plans


def generate(out: Path, plans: int, tasks: int, events: int, seed: int) -> None:
    from planctl.store.store import Store, StoreLocation

    plan_dir = out / "plans"
    out.mkdir(parents=True, exist_ok=True)
    store_file = out / "store.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store_file}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    store = Store.open_for_writing(StoreLocation.parse(str(store_file)))
    check_seconds = insert_seconds = 0.0
    written = 0
    try:
        logs = []
        with store.transaction() as tx:
            for plan in write_plans(plan_dir, plans, tasks, events, seed):
                check_seconds += plan.check_seconds
                tx.record_plan(plan.plan, plan.digest, datetime(YEAR, 1, 1, tzinfo=UTC))
                logs.append(plan.events)
        for batch in in_batches(logs, started):
            t0 = time.perf_counter()
            with store.transaction() as tx:
                tx.append(batch)
            insert_seconds += time.perf_counter() - t0
            written += len(batch)
    finally:
        store.close()
    total = time.perf_counter() - started
    print(
        f"wrote {plans} plans of {tasks} tasks to {plan_dir}/ and {written:,} events to"
        f" {store_file} in {total:.1f} s (validating plans {check_seconds:.1f} s, appending"
        f" events {insert_seconds:.1f} s, making them {total - check_seconds - insert_seconds:.1f}"
        " s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parent / "data" / "large"
    parser.add_argument("--out", type=Path, default=default, help=f"directory [{default}]")
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=1000, help="tasks per plan")
    parser.add_argument("--events", type=int, default=1_000_000, help="events in all")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="load the events into this PostgreSQL store (emptied first) with COPY, not SQLite",
    )
    parser.add_argument(
        "--pad",
        type=int,
        metavar="N",
        help="with --postgres: only add N events of 900 other plans to that store (made by the"
        " server), e.g. 9000000 after the 1,000,000 of the default run: 10M in all",
    )
    args = parser.parse_args()
    # load_postgres brings psycopg: imported only when asked for.
    if args.pad:
        if not args.postgres:
            parser.error("--pad goes with --postgres URL")
        from load_postgres import pad_postgres

        pad_postgres(args.postgres, args.pad)
    elif args.postgres:
        from load_postgres import generate_postgres

        generate_postgres(args.out, args.postgres, args.plans, args.tasks, args.events, args.seed)
    else:
        generate(args.out, args.plans, args.tasks, args.events, args.seed)


if __name__ == "__main__":
    main()
