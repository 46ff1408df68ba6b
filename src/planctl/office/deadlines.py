"""A deadline as offices write it ("6月底前", "二季度", "每月28日前", "End of April 2019")
read into the keys of a task's window (month, quarter, due and start, year_round, a duty).

Pure. The plan a draft goes into covers 1 January to 31 December of its year, so a wording
that names another year cannot be read into it; nor can one that names several deadlines.
"""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from collections.abc import Mapping
from dataclasses import field
from datetime import date
from typing import Any

from planctl import frozen
from planctl.i18n import N_, _

WindowKeys = dict[str, Any]
"""The window keys of a task, as the plan file writes them: {"month": 6}, {"due": 6},
{"due": date(2018, 6, 30)}, {"every": "month", "by": 28}, {"year_round": True}."""


@frozen(slots=False)
class Unread:
    """A wording that could not be read, and why ("names 2024, outside the plan's year
    2023"), said of the wording; `kind` and `facts` say it again as a whole sentence in the
    language chosen (`said`)."""

    reason: str
    kind: str = field(default="unread", compare=False)
    facts: Mapping[str, object] = field(default_factory=dict, compare=False)

    def said(self, time: str) -> str:
        """The remark on a task whose time cell says `time`: why it is year-round."""
        return _(_SAID[self.kind]).format(time=time, **self.facts)


_REASONS = {
    "unread": "is not a wording planctl reads",
    "unset": "is still to be confirmed",
    "year": "names {named}, outside the plan's year {year}",
    "month": "names month {month}, which is not a month",
    "months": "names months {month} to {last}, not a span within one year",
    "by": "names day {day}, which is not a day of a month",
    "day": "names {day}, which is not a day",
}
_SAID = {
    "unread": N_(
        "the time {time} is not a wording planctl reads; year-round until you set its window"
    ),
    "unset": N_("the time {time} is still to be confirmed; year-round until you set its window"),
    "year": N_(
        "the time {time} names {named}, outside the plan's year {year}; year-round until you"
        " set its window"
    ),
    "month": N_(
        "the time {time} names month {month}, which is not a month; year-round until you set"
        " its window"
    ),
    "months": N_(
        "the time {time} names months {month} to {last}, not a span within one year;"
        " year-round until you set its window"
    ),
    "by": N_(
        "the time {time} names day {day}, which is not a day of a month; year-round until you"
        " set its window"
    ),
    "day": N_(
        "the time {time} names {day}, which is not a day; year-round until you set its window"
    ),
}


def _unread(kind: str, **facts: object) -> Unread:
    return Unread(_REASONS[kind].format(**facts), kind, facts)


CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}  # fmt: skip
MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip

YEAR_ROUND_WORDS = {
    "全年", "年内", "长期", "长期坚持", "长期开展", "长期推进", "持续", "持续推进", "持续开展",
    "常态化", "常态化推进", "贯穿全年", "全年推进", "全年开展", "全年持续", "年度内", "本年度",
    "ongoing", "throughouttheyear", "allyear", "yearround", "year-round", "continuous",
    "continuing", "allyearround",
}  # fmt: skip
DUTY_WORDS: dict[str, WindowKeys] = {
    "每周": {"every": "week"},
    "每月": {"every": "month"},
    "按月": {"every": "month"},
    "每两月": {"every": "month", "interval": 2},
    "每两个月": {"every": "month", "interval": 2},
    "每季度": {"every": "quarter"},
    "每季": {"every": "quarter"},
    "按季度": {"every": "quarter"},
    "每季度末": {"months": [3, 6, 9, 12]},
    "每半年": {"every": "half"},
    "每年": {"every": "year"},
    "随时": {"every": "as_needed"},
    "根据需要": {"every": "as_needed"},
    "weekly": {"every": "week"},
    "monthly": {"every": "month"},
    "quarterly": {"every": "quarter"},
    "everyquarter": {"every": "quarter"},
    "everymonth": {"every": "month"},
    "everyweek": {"every": "week"},
    "sixmonthly": {"every": "half"},
    "annually": {"every": "year"},
    "asneeded": {"every": "as_needed"},
    "asrequired": {"every": "as_needed"},
}

NUMBER = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
YEAR = r"(?:(\d{4})年)?"
BEFORE = r"(?:前|以前|之前)?(?:完成)?"
CN_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(pattern))
    for kind, pattern in [
        ("month", rf"^{YEAR}{NUMBER}月份?(?:内|完成)?$"),
        ("month_end", rf"^{YEAR}{NUMBER}月(?:份)?(?:底|末|末前|底前|底以前|底之前)(?:完成)?$"),
        ("day", rf"^{YEAR}{NUMBER}月(\d{{1,2}})日{BEFORE}$"),
        ("tenday", rf"^{YEAR}{NUMBER}月(上旬|中旬|下旬){BEFORE}$"),
        ("range", rf"^{YEAR}{NUMBER}月?份?[-—–~～至到]{NUMBER}月份?(?:底|末)?{BEFORE}$"),
        ("quarter", r"^(?:第)?([一二三四1-4])季度$"),
        ("quarter_end", rf"^(?:第)?([一二三四1-4])季度(?:末|底){BEFORE}$"),
        ("first_half", rf"^上半年(?:内)?{BEFORE}$"),
        ("second_half", rf"^下半年(?:内)?{BEFORE}?$"),
        ("year_end", rf"^(\d{{4}})?年(?:底|末){BEFORE}$"),
        ("monthly_by", rf"^每月(\d{{1,2}})[日号]{BEFORE}$"),
        ("quarterly_by", rf"^每季度(?:最后一个月的?|末月)?(\d{{1,2}})[日号]{BEFORE}$"),
    ]
]
EN_MONTH = r"([a-z]+)\.?"
EN_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(pattern))
    for kind, pattern in [
        ("month", rf"^(?:in|during)?{EN_MONTH}(\d{{4}})?$"),
        ("month_end", rf"^(?:by|before)?(?:the)?(?:endof|end){EN_MONTH}(\d{{4}})?$"),
        ("day", rf"^(?:by|before)?(\d{{1,2}})(?:st|nd|rd|th)?(?:of)?{EN_MONTH},?(\d{{4}})?$"),
        ("day_us", rf"^(?:by|before)?{EN_MONTH}(\d{{1,2}})(?:st|nd|rd|th)?,?(\d{{4}})?$"),
        ("quarter", r"^(?:q|quarter)([1-4])(\d{4})?$"),
    ]
]
ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]00:00(?::00)?)?$")
ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
YMD = re.compile(r"^(\d{4})[./](\d{1,2})[./](\d{1,2})(?:日|号)?(?:前|以前|之前)?$")
"""2023.11.8, 2023/11/08."""
DMY = re.compile(r"^(?:by|before)?(\d{1,2})[./](\d{1,2})[./](\d{4})$")
"""08.11.2023, 8/11/2023: day first, as English minutes and British tables write it."""
UNSET_WORDS = {"tbc", "tba", "tbd", "待定", "另行通知", "视情况而定"}
"""Words saying that the date is not set yet."""
SEVERAL = re.compile(r"\s+/\s+|\s*(?:\n|[;；]|→|->)\s*")
"""What separates two dates in one cell: a slash between spaces, a line, a semicolon, an
arrow (a meeting moved: "13.09.2023 / 08.11.2023")."""


def read_deadline(text: str, year: int) -> WindowKeys | Unread:
    """The window keys a wording gives in a plan for `year`, or why it cannot be read."""
    words = _normalised(text)
    if not words:
        return {"year_round": True}
    if words.isdigit() and 1 <= int(words) <= 12:  # a bare month number (月份 column)
        return {"month": int(words)}
    if words in YEAR_ROUND_WORDS or words in (f"{year}年", f"{year}年内", f"{year}年全年"):
        return {"year_round": True}
    if words in DUTY_WORDS:
        return dict(DUTY_WORDS[words])
    for kind, pattern in CN_PATTERNS:
        match = pattern.match(words)
        if match:
            try:
                return _chinese(kind, match.groups(), year)
            except ValueError:  # a month or quarter written as no number is ("十十月")
                return _unread("unread")
    if words in UNSET_WORDS:
        return _unread("unset")
    iso = _iso(words, year)
    if iso is not None:
        return iso
    for kind, pattern in EN_PATTERNS:
        match = pattern.match(words)
        if match:
            read = _english(kind, match.groups(), year)
            if read is not None:
                return read
    return _unread("unread")


def _normalised(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII), no white space, lower case, no final
    full stop."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(folded.split()).rstrip("。.;；")


def chinese_number(text: str) -> int:
    """A number written in digits or in Chinese up to 99: "6", "六", "十二", "二十三".
    Raises ValueError for what is not one ("十十")."""
    if text.isdigit():
        return int(text)
    units = [CN_DIGITS.get(character) for character in text]
    if text == "十":
        return 10
    if len(text) == 1 and units[0] is not None:
        return units[0]
    if len(text) == 2 and text[0] == "十" and units[1] is not None:
        return 10 + units[1]
    if len(text) in (2, 3) and text[1] == "十" and units[0] is not None:
        ones = units[2] if len(text) == 3 else 0
        if ones is not None:
            return units[0] * 10 + ones
    raise ValueError(f"not a number: {text!r}")


def _chinese(kind: str, groups: tuple[str | None, ...], year: int) -> WindowKeys | Unread:
    if kind == "quarter":
        return {"quarter": chinese_number(_quarter_digit(groups[0]))}
    if kind == "quarter_end":
        return {"due": chinese_number(_quarter_digit(groups[0])) * 3}
    if kind == "first_half":
        return {"due": 6}
    if kind == "second_half":
        return {"due": 12, "start": 7}
    if kind == "monthly_by":
        return _duty_by("month", groups[0])
    if kind == "quarterly_by":
        return _duty_by("quarter", groups[0])
    named_year = groups[0]
    if named_year is not None and int(named_year) != year:
        return _unread("year", named=named_year, year=year)
    if kind == "year_end":
        return {"due": 12}
    month = chinese_number(groups[1] or "")
    if not 1 <= month <= 12:
        return _unread("month", month=month)
    if kind == "month":
        return {"month": month}
    if kind == "month_end":
        return {"due": month}
    if kind == "day":
        return _day(year, month, int(groups[2] or 0))
    if kind == "tenday":
        day = {"上旬": 10, "中旬": 20}.get(groups[2] or "", monthrange(year, month)[1])
        return {"due": date(year, month, day)}
    last = chinese_number(groups[2] or "")  # range
    if not month < last <= 12:
        return _unread("months", month=month, last=last)
    return {"due": last, "start": month}


def _quarter_digit(text: str | None) -> str:
    return text or "1"


def _duty_by(every: str, day: str | None) -> WindowKeys | Unread:
    by = int(day or 0)
    if not 1 <= by <= 31:
        return _unread("by", day=by)
    return {"every": every, "by": by}


def _day(year: int, month: int, day: int) -> WindowKeys | Unread:
    try:
        return {"due": date(year, month, day)}
    except ValueError:
        return _unread("day", day=f"{year}-{month:02d}-{day:02d}")


def _iso(words: str, year: int) -> WindowKeys | Unread | None:
    match = ISO_DAY.match(words)
    if match:
        named, month, day = (int(group) for group in match.groups())
        if named != year:
            return _unread("year", named=named, year=year)
        if not 1 <= month <= 12:
            return _unread("month", month=month)
        return _day(year, month, day)
    for pattern, order in ((YMD, (0, 1, 2)), (DMY, (2, 1, 0))):
        match = pattern.match(words)
        if match:
            named, month, day = (int(match.group(1 + at)) for at in order)
            if named != year:
                return _unread("year", named=named, year=year)
            if not 1 <= month <= 12:
                return _unread("month", month=month)
            return _day(year, month, day)
    match = ISO_MONTH.match(words)
    if match:
        named, month = (int(group) for group in match.groups())
        if named != year:
            return _unread("year", named=named, year=year)
        if 1 <= month <= 12:
            return {"month": month}
    return None


def read_time_cell(text: str, year: int) -> tuple[WindowKeys | Unread, str | None]:
    """A time cell's window, and the earlier wording when the cell names several dates that
    each read (a date moved, a first and a final deadline): the last is the due day."""
    parts = [part.strip() for part in SEVERAL.split(text.strip()) if part.strip()]
    if len(parts) > 1:
        read = [read_deadline(part, year) for part in parts]
        if not any(isinstance(window, Unread) for window in read):
            return read[-1], " ".join(parts[:-1])
    return read_deadline(text, year), None


def _english(kind: str, groups: tuple[str | None, ...], year: int) -> WindowKeys | Unread | None:
    if kind == "quarter":
        named_year = groups[1]
        if named_year is not None and int(named_year) != year:
            return _unread("year", named=named_year, year=year)
        return {"quarter": int(groups[0] or 1)}
    if kind == "day":
        day_text, name, named_year = groups
    elif kind == "day_us":
        name, day_text, named_year = groups
    else:
        name, named_year = groups
        day_text = None
    month = MONTH_NAMES.get(name or "")
    if month is None:
        return None
    if named_year is not None and int(named_year) != year:
        return _unread("year", named=named_year, year=year)
    if kind == "month":
        return {"month": month}
    if kind == "month_end":
        return {"due": month}
    return _day(year, month, int(day_text or 0))
