"""CSV: each table's header and rows; several tables are separated by a blank line."""

from __future__ import annotations

import csv
from typing import TextIO

from planctl.render import View


def write_csv(view: View, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    for index, table in enumerate(view.tables):
        if index:
            out.write("\n")
        writer.writerow(table.columns)
        writer.writerows(table.rows)
