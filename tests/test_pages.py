"""Printed pages: the running header every page carries, and chart labels that never run
together (a plan whose months are `2020-03`)."""

from __future__ import annotations

import itertools
import re
from html import unescape
from pathlib import Path

from planctl.render import Bar, Heading
from planctl.render.html import (
    BAR_GAP,
    BAR_WIDTH,
    SLANT,
    bar_chart,
    css_string,
    label_length,
    running_header,
)
from tests.conftest import REPO, Planctl
from tests.test_golden import history_store

TWO_YEARS = REPO / "tests" / "data" / "good" / "two-year-2019-2020.yaml"
FONT_SIZE = 11
LABEL = re.compile(
    r'<text font-size="11" x="(\d+)" y="(\d+)" text-anchor="(\w+)"( transform="[^"]*")?>([^<]*)</text>'
)


def test_the_report_page_has_a_running_header(planctl: Planctl, tmp_path: Path) -> None:
    html = planctl.ok("report", "--format", "html", db=history_store(tmp_path / "s.sqlite3"))
    assert (
        '@page { @top-left { content: "XX 区政协常委会"; font-size: 8pt; color: #666; }'
        ' @top-center { content: "2018 年区政协常委会工作要点 年度工作报告"; font-size: 8pt;'
        ' color: #666; } @top-right { content: "截至 2018\\2d 06\\2d 15"; font-size: 8pt;'
        " color: #666; } }\n</style>"
    ) in html


def test_a_header_from_hostile_text_stays_inside_its_string() -> None:
    hostile = 'A"; } body { display: none } </style><script>x</script>\\'
    rule = running_header(Heading(organisation=hostile, title="T", subtitle="S"))
    assert css_string(hostile) == (
        '"A\\22 \\3b  \\7d  body \\7b  display\\3a  none \\7d  \\3c \\2f style\\3e \\3c script'
        '\\3e x\\3c \\2f script\\3e \\5c "'
    )
    assert not set('"<>;{}\\') & set(css_string(hostile).strip('"').replace("\\", ""))
    assert rule.count("{") == rule.count("}") == 3


def _labels(svg: str) -> list[tuple[int, int, bool, str]]:
    """The labels under the bars: x, y, slanted, text (the ones a bar has, not the axis')."""
    found = []
    for x, y, anchor, transform, text in LABEL.findall(svg):
        if anchor != "end" or transform:
            found.append((int(x), int(y), bool(transform), unescape(text)))
    return [label for label in found if not re.fullmatch(r"\d+/\d+", label[3])]


def test_month_labels_of_a_two_year_plan_are_slanted_apart(
    planctl: Planctl, tmp_path: Path
) -> None:
    db = str(tmp_path / "two-years.sqlite3")
    planctl.ok("done", "1.1", "--on", "2019-03-01", plan=TWO_YEARS, today="2019-09-15", db=db)
    html = planctl.ok("report", "--format", "html", plan=TWO_YEARS, today="2019-09-15", db=db)
    [svg] = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    labels = [label for label in _labels(svg) if label[2]]
    assert [text for *_, text in labels][:3] == ["2019-01", "2019-02", "2019-03"]
    assert len(labels) == 25  # 24 months and the year-round bar, each slanted
    pitch = BAR_WIDTH + BAR_GAP
    assert {b[0] - a[0] for a, b in itertools.pairwise(labels)} == {pitch}
    # Parallel slanted lines a pitch apart are pitch x sin 45° apart: more than a line of text.
    assert pitch * SLANT > FONT_SIZE + 4
    # The picture is tall enough for the longest slanted label under the axis.
    height = int(re.search(r'height="(\d+)"', svg).group(1))  # type: ignore[union-attr]
    assert height >= labels[0][1] + max(label_length(t) for *_, t in labels) * SLANT


def test_short_labels_stay_level_and_apart() -> None:
    bars = [Bar(f"{month}月", 1, 2) for month in range(1, 13)] + [Bar("全年", 3, 9)]
    svg = bar_chart(bars)
    assert "rotate" not in svg
    centres = [int(x) for x, _, anchor, _, text in LABEL.findall(svg)
               if anchor == "middle" and not re.fullmatch(r"\d+/\d+", text)]  # fmt: skip
    pitch = BAR_WIDTH + BAR_GAP
    assert all(label_length(bar.label) < pitch - 4 for bar in bars)
    assert {b - a for a, b in itertools.pairwise(centres)} == {pitch}
