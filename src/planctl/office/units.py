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


JOB_TITLE = (
    "主席|秘书长|主任|局长|区长|市长|县长|镇长|乡长|书记|部长|处长|科长|院长|厅长|常委|委员|"
    "巡视员|调研员|组长|馆长|校长|所长|队长|主任委员|行长|经理|总监"
)
TITLED = re.compile(rf"^(.*(?:{JOB_TITLE}))([\u4e00-\u9fff·]{{2,4}})$", re.DOTALL)
"""A leader written with the post before the name: 区政协副主席孙卫斌."""
TITLE_ONLY = re.compile(rf"^.*(?:{JOB_TITLE})$", re.DOTALL)


def leader_name(text: str) -> tuple[str, str | None]:
    """The leader's name and the job title written before it ("区政协副主席孙卫斌" ->
    "孙卫斌", "区政协副主席"); a text that is a post alone, or has no post, is the name."""
    match = TITLED.match(text.strip())
    if match is None or TITLE_ONLY.match(match.group(2)):
        return text.strip(), None
    return match.group(2), match.group(1)


def split_leaders(text: str) -> list[tuple[str, str | None]]:
    """The leaders a cell names, each with the job title written before the name; a post
    alone joins the next part's title ("县委常委、副县长李强" is one leader)."""
    leaders: list[tuple[str, str | None]] = []
    posts: list[str] = []
    for part in split_units(text):
        name, title = leader_name(part)
        if title is None and TITLE_ONLY.match(name):
            posts.append(name)
            continue
        if title is not None and posts:
            title = "、".join([*posts, title])
        elif posts:
            leaders += [(post, None) for post in posts]
        posts = []
        leaders.append((name, title))
    return leaders + [(post, None) for post in posts]
