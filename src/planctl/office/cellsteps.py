"""Steps and windows read from a cell's text: numbered parts (①②③, 1. 2., (1)(2), 一是
二是, one per line, 第三季度: ... 第四季度: ...) each led by its own time, one target per period
(第一、二、三、四季度任务分别为500、600、500、400万元), and a period named in a task's text.

Pure: text in, the parts and their window keys out; `planctl.office.draft` builds the steps."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from planctl import frozen
from planctl.office.deadlines import Unread, WindowKeys, chinese_number, read_deadline

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
CN = "一二三四五六七八九十"
MARKER = re.compile(
    rf"(?:^|(?<=[\s;；。,，:：]))(?:(?P<circled>[{CIRCLED}])"
    rf"|[(（](?P<bracketed>\d{{1,2}}|[{CN}]{{1,2}})[)）]"
    rf"|(?P<dotted>\d{{1,2}})[.、．](?!\d)"
    rf"|(?P<said>[{CN}]{{1,2}})是)"
    rf"|(?P<inline_circled>[{CIRCLED}])|(?<=[^\d])[(（](?P<inline_bracketed>\d{{1,2}})[)）]"
)
"""Where a numbered part starts, with its number."""
PERIOD_LABEL = re.compile(
    r"(?:^|(?<=[。；;\n]))\s*(?P<label>第?[一二三四1-4]季度|[上下]半年|\d{1,2}月份?)\s*[:：]"
)
"""A part led by its period: 第三季度: ..."""
PERIOD = re.compile(
    r"(?:\d{4}年)?(?:第?[一二三四1-4]季度(?:末|底)?|[上下]半年|年底|年末"
    r"|(?<![\d每])\d{1,2}月(?:\d{1,2}日|上旬|中旬|下旬|底|末|份)?)(?:前|以前|之前)?"
)
"""A period named in running text: 三季度, 上半年, 6月底前, 年底前."""
SHARES = re.compile(
    r"^(?P<periods>.+?)(?:任务|目标|计划)?(?:分别为|分别是|分别完成|分别达到)"
    r"(?P<numbers>\d+(?:\.\d+)?(?:[、,，]\d+(?:\.\d+)?)+)(?P<unit>[^\d。；;,，、]*)"
)
"""One target per period: 第一、二、三、四季度任务分别为500、600、500、400万元."""
LEAD_SEPARATORS = ",，:：、 "
MAX_WORDING = 14


@frozen(slots=False)
class Part:
    """A part of a cell: its text, and the window its leading wording gives (None when it
    names none); `target` and `unit` where the cell gives one per period."""

    text: str
    window: WindowKeys | None
    target: int | float | None = None
    unit: str | None = None


def numbered_parts(text: str) -> tuple[str, list[str]]:
    """The text before the first numbered part, and the parts (marker and trailing
    separators removed); no parts unless there are two or more, numbered 1, 2, 3 ..."""
    found: list[tuple[int, int]] = []  # (start, end) of each marker in sequence
    expected = 1
    for match in MARKER.finditer(text):
        number = _marker_number(match)
        if number == expected:
            found.append((match.start(), match.end()))
            expected += 1
    if len(found) >= 2:
        ends = [start for start, _ in found[1:]] + [len(text)]
        parts = [_trimmed(text[end:stop]) for (_, end), stop in zip(found, ends, strict=True)]
        return _trimmed(text[: found[0][0]]), [part for part in parts if part]
    labelled = list(PERIOD_LABEL.finditer(text))
    if len(labelled) >= 2:
        stops = [match.start() for match in labelled[1:]] + [len(text)]
        parts = [
            _trimmed(f"{match.group('label')}:{text[match.end() : stop]}")
            for match, stop in zip(labelled, stops, strict=True)
        ]
        return _trimmed(text[: labelled[0].start()]), parts
    lines = [_trimmed(line) for line in text.splitlines() if _trimmed(line)]
    return ("", lines) if len(lines) >= 2 else (text, [])


def _marker_number(match: re.Match[str]) -> int:
    for name in ("circled", "inline_circled"):
        if match.group(name):
            return CIRCLED.index(match.group(name)) + 1
    for name in ("bracketed", "dotted", "said", "inline_bracketed"):
        value = match.group(name)
        if value:
            try:
                return chinese_number(value)
            except ValueError:  # 十十: not a number, not a marker
                return 0
    return 0


def _trimmed(text: str) -> str:
    return text.strip().strip(";；,，、").strip()


def led_by_time(part: str, year: int) -> Part:
    """A part with the window of the wording it starts with ("2月上旬前,完成设计招标" ->
    due 2-10, "完成设计招标"); the part as it is when it starts with none."""
    limit = min(len(part), MAX_WORDING)
    for end in range(limit, 1, -1):
        head = part[:end]
        if head.endswith("完成") or head.strip().isdigit():
            continue  # 完成 belongs to the step's title; a bare number is a count, not a month
        window = read_deadline(head, year)
        if isinstance(window, Unread) or not head.strip():
            continue
        rest = part[end:].lstrip(LEAD_SEPARATORS).strip()
        if rest and not rest[0].isdigit():
            return Part(rest, window)
    return Part(part, None)


def shares(text: str, year: int) -> list[Part]:
    """One part per period where the text gives one target each ("第一、二、三、四季度任务
    分别为500、600、500、400万元": four quarters, 500 ... 万元); [] otherwise."""
    match = SHARES.match(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        return []
    periods = _periods(match.group("periods"))
    numbers = re.split(r"[、,，]", match.group("numbers"))
    if len(periods) != len(numbers) or len(periods) < 2:
        return []
    windows = [read_deadline(period, year) for period in periods]
    parts: list[Part] = []
    for period, window, number in zip(periods, windows, numbers, strict=True):
        if isinstance(window, Unread):
            return []
        value = float(number)
        target: int | float = int(value) if value.is_integer() else value
        parts.append(Part(period, window, target, match.group("unit").strip() or None))
    return parts


def _periods(text: str) -> list[str]:
    """第一、二、三、四季度 -> 第一季度 ... 第四季度; 上半年、三季度、四季度 as they are."""
    items = [item.strip() for item in re.split(r"[、,，和及]", text) if item.strip()]
    if not items:
        return []
    for suffix in ("季度", "月"):
        if items[-1].endswith(suffix):
            items = [
                item if item.endswith(("季度", "半年", "月")) else item + suffix for item in items
            ]
    if items[0].startswith("第"):
        items = [item if item.startswith(("第", "上", "下")) else "第" + item for item in items]
    return items


def named_periods(text: str, year: int) -> list[WindowKeys]:
    """The different windows the periods named in running text give, in order."""
    found: list[WindowKeys] = []
    for match in PERIOD.finditer(unicodedata.normalize("NFKC", text)):
        window = read_deadline(match.group(0), year)
        if not isinstance(window, Unread) and window not in found:
            found.append(window)
    return found


def window_end(window: WindowKeys, year: int) -> date | None:
    """The last day of a window in a plan for `year`; None for a recurring one."""
    if "every" in window or "months" in window:
        return None
    if window.get("year_round"):
        return date(year, 12, 31)
    if "quarter" in window:
        return _month_end(year, int(window["quarter"]) * 3)
    if "month" in window:
        return _month_end(year, int(window["month"]))
    due = window.get("due")
    if isinstance(due, date):
        return due
    if isinstance(due, int):
        return _month_end(year, due)
    return None


def _month_end(year: int, month: int) -> date:
    from calendar import monthrange

    return date(year, month, monthrange(year, month)[1])


def spanning(windows: list[WindowKeys], year: int) -> WindowKeys:
    """The window of a task that spans its steps': due at the latest step's end, as that
    step writes it, starting in the month the earliest starts when every step says when it
    starts; year-round when a step recurs or is year-round."""
    ends = [window_end(window, year) for window in windows]
    if any(end is None for end in ends) or any(w.get("year_round") for w in windows):
        return {"year_round": True}
    last = max(range(len(windows)), key=lambda at: ends[at] or date.min)
    latest = ends[last]
    assert latest is not None
    due = windows[last].get("due")
    spanned: WindowKeys = {"due": due if isinstance(due, date) else latest.month}
    starts = [_start_month(window) for window in windows]
    if all(start is not None for start in starts):
        first = min(start for start in starts if start is not None)
        if first > 1:
            spanned["start"] = first
    return spanned


def _start_month(window: WindowKeys) -> int | None:
    """The month a window starts in, where it says (a due day alone starts with its task)."""
    if "quarter" in window:
        return int(window["quarter"]) * 3 - 2
    if "month" in window:
        return int(window["month"])
    start = window.get("start")
    if isinstance(start, int):
        return start
    if isinstance(start, date):
        return start.month
    return None


def timed_parts(text: str, year: int) -> tuple[str, list[Part]] | None:
    """The text before the parts and the parts of a cell whose numbered parts each start with
    their own time; None when the cell has no such parts."""
    prefix, parts = numbered_parts(text)
    timed = [led_by_time(part, year) for part in parts]
    if len(timed) < 2 or any(part.window is None for part in timed):
        return None
    return prefix, timed


def text_steps(texts: list[str], year: int) -> list[Part]:
    """Steps a text gives when it names one target per period, or parts each led by their
    own period; [] when none of `texts` does."""
    for text in texts:
        found = shares(text, year) or (timed_parts(text, year) or ("", []))[1]
        if found:
            return found
    return []
