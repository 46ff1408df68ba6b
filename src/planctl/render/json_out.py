"""JSON: the view's data, UTF-8 as is, two-space indent, one trailing newline.

Exact: every string parses back to what was stored. Controls are `\\u` escapes, as JSON
writes C0 itself; C1, separators and bidi controls too (see `json_escapes`).
"""

from __future__ import annotations

import json
from typing import TextIO

from planctl.render import View
from planctl.render.safe import json_escapes


def write_json(view: View, out: TextIO) -> None:
    out.write(json_escapes(json.dumps(view.data, ensure_ascii=False, indent=2)) + "\n")
