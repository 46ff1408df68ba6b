"""CSV: each table's header and rows; several tables are separated by a blank line.

Cells pass through `visible`: a line break stays (quoted), a control character is escaped.
"""

from __future__ import annotations

import csv
from typing import TextIO

from planctl.render import View
from planctl.render.safe import visible


def write_csv(view: View, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    for index, table in enumerate(view.tables):
        if index:
            out.write("\n")
        writer.writerow(map(visible, table.columns))
        writer.writerows(map(visible, row) for row in table.rows)
