"""Where `planctl list` keeps its memory on the 20,000-task plan of `bench/run.py memory`:
tracemalloc's current and peak Python allocations after each step (issue 24.6).

    .venv/bin/python bench/memory_where.py [--data bench/data/memory]

It runs `list`'s steps in this process: the plan (parsed, or from the plan cache that
`bench/run.py memory`'s first `due` fills), the states folded task by task, the rows, the
view, the text.
Under tracemalloc each step is several times slower than in `planctl list`."""

from __future__ import annotations

import argparse
import io
import os
import resource
import tracemalloc
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=BENCH / "data" / "memory")
    args = parser.parse_args()
    os.environ["PLANCTL_CONFIG"] = "/nonexistent"
    tracemalloc.start()

    def now(label: str) -> None:
        current, peak = tracemalloc.get_traced_memory()
        mib = 1024 * 1024
        print(
            f"{label:<34} current {current / mib:7.1f} MiB  peak {peak / mib:7.1f} MiB", flush=True
        )

    from planctl.cli.session import Session
    from planctl.core.schedule import list_rows
    from planctl.render import Format, emit
    from planctl.views.tasks import list_view

    now("imports")
    session = Session(
        plan=str(args.data / "plans" / "p000.yaml"),
        db=str(args.data / "store.sqlite3"),
        today="2018-12-14",
    )
    session.plan  # noqa: B018 - loaded here, measured
    now("the plan (parsed, or from the cache)")
    session.states  # noqa: B018
    now("the states (folded task by task)")
    session.rows  # noqa: B018
    now("the rows (assessed)")
    rows = list_rows(
        session.rows.values(),
        month=None,
        point=None,
        owner=session.selection(None, None, None),
        year_round=False,
    )
    now("list's rows")
    view = list_view(session.plan, session.source, rows, session.labels, session.today)
    now("the view (table and JSON data)")
    out = io.StringIO()
    emit(view, Format.TABLE, out, terminal=False, width=100)
    now("the text (written to memory)")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"ru_maxrss {maxrss:.0f} MiB (tracemalloc's own bookkeeping included)")


if __name__ == "__main__":
    main()
