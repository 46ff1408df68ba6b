"""JSON: the view's data, UTF-8 as is, two-space indent, one trailing newline."""

from __future__ import annotations

import json
from typing import TextIO

from planctl.render import View


def write_json(view: View, out: TextIO) -> None:
    json.dump(view.data, out, ensure_ascii=False, indent=2)
    out.write("\n")
