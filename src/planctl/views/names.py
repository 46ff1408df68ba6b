"""The names of a command's tables (`--table`), as its JSON names them: light enough for the
command-line options to import. The first of each is the one csv writes by default."""

from __future__ import annotations

REPORT_TABLES = (
    "summary",
    "months",
    "sections",
    "points",
    "owners",
    "overdue",
    "deferred",
    "targets",
    "duties",
    "blocked",
    "recent",
)
DIGEST_TABLES = ("overdue", "due_soon", "behind", "stale", "done", "open", "next_month", "owners")
ASSESS_TABLES = ("units", "rule", "tasks", "points", "untasked_points", "deferrals")
BULLETIN_TABLES = ("classes", "units", "returns", "praised", "urged", "tasks", "rule", "scoring")
