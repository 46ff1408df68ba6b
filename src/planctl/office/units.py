"""The units (or leaders) a cell names, as an office writes them: "市发改委、市财政局等"."""

from __future__ import annotations

import re

STRONG = re.compile(r"[,，;；\n]+")
"""Separators that always end a unit."""
LISTING = "、"
"""The enumeration comma: it ends a unit, except inside a part beginning with 各
("各县、市、区政府" is one unit)."""
TRAILING_ETC = re.compile(r"等(?:相关|有关)?(?:单位|部门)?$")


def split_units(text: str) -> list[str]:
    """The names in a cell, in order, without repeats: split at 、 , ， ; ； and line breaks,
    a trailing 等 dropped, a part beginning with 各 kept whole up to the next , ; or line."""
    names: list[str] = []
    for chunk in STRONG.split(text):
        parts: list[str] = []
        for part in chunk.split(LISTING):
            part = part.strip()
            if parts and parts[-1].startswith("各"):
                parts[-1] += LISTING + part
            elif part:
                parts.append(part)
        for part in parts:
            name = TRAILING_ETC.sub("", part.strip(LISTING).strip()).strip()
            if name and name not in names:
                names.append(name)
    return names
