"""Column specs: one list of columns gives a table's text cells, typed cells, styles and bars."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planctl.render import Column, Grid, Table
from planctl.views import columns
from planctl.views.columns import Spec


@dataclass(frozen=True)
class Unit:
    name: str
    due: date
    filed: date | None
    done: int
    total: int
    light: str


LABELS = {
    "unit": "单位",
    "due": "截止日期",
    "filed": "报送日期",
    "done": "已完成",
    "progress": "进度",
    "percent": "完成率",
    "light": "灯号",
    "note": "备注",
}
UNITS = [
    Unit("提案科", date(2018, 6, 25), date(2018, 6, 24), 3, 4, "green"),
    Unit("研究室", date(2018, 6, 25), None, 0, 2, "red"),
]
SPECS: list[Spec[Unit]] = [
    Spec("unit", lambda u: u.name),
    Spec("due", lambda u: u.due, "date"),
    Spec("filed", lambda u: u.filed, "date"),
    Spec("done", lambda u: u.done, "count"),
    Spec("progress", lambda u: f"{u.done}/{u.total}", shown="text", bar=lambda u: (u.done, u.total)),
    Spec("percent", lambda u: 100 * u.done // u.total, "percent", shown="grid"),
    Spec("light", lambda u: u.light, "light", lambda u: u.light.upper(),
         style=lambda u: f"light-{u.light}"),
    Spec("note", lambda u: None, shown="grid"),
]  # fmt: skip


def test_a_table_from_its_columns() -> None:
    """Text cells as each kind writes them (a date as YYYY-MM-DD, nothing for no value), or as
    the column says; the typed grid with its kinds; styles and bars at the text columns'
    places, a column shown in the grid only leaving no gap."""
    table = columns.table("填报", SPECS, UNITS, LABELS, row_class=lambda u: u.light, key="units")
    assert table == Table(
        "填报",
        ["单位", "截止日期", "报送日期", "已完成", "进度", "灯号"],
        [
            ["提案科", "2018-06-25", "2018-06-24", "3", "3/4", "GREEN"],
            ["研究室", "2018-06-25", "", "0", "0/2", "RED"],
        ],
        key="units",
        grid=Grid(
            [Column("单位"), Column("截止日期", "date"), Column("报送日期", "date"),
             Column("已完成", "int"), Column("完成率", "percent"), Column("灯号", "status"),
             Column("备注")],
            [["提案科", date(2018, 6, 25), date(2018, 6, 24), 3, 75, "green", None],
             ["研究室", date(2018, 6, 25), None, 0, 0, "red", None]],
        ),
        row_classes=["green", "red"],
        bars={4: [(3, 4), (0, 2)]},
        cell_styles={5: ["light-green", "light-red"]},
    )  # fmt: skip


def test_a_percent_shown_as_text() -> None:
    spec: Spec[int] = Spec("percent", lambda n: n, "percent")
    assert [spec.cell(40), spec.cell(0)] == ["40%", "0%"]


def test_a_table_without_typed_cells_and_with_row_styles() -> None:
    """`typed=False`: csv and xlsx take the text cells; `row_style` colours a terminal's rows."""
    table = columns.table(
        "填报", SPECS[:2], UNITS, LABELS, typed=False, row_style=lambda u: u.light, empty="无"
    )
    assert table == Table(
        "填报",
        ["单位", "截止日期"],
        [["提案科", "2018-06-25"], ["研究室", "2018-06-25"]],
        ["green", "red"],
        empty="无",
    )


def test_one_row_as_fields() -> None:
    """A record: a line per text column, its label and its text, and each line's style."""
    lines, styles = columns.record(SPECS, UNITS[1], LABELS)
    assert lines == [
        ["单位", "研究室"],
        ["截止日期", "2018-06-25"],
        ["报送日期", ""],
        ["已完成", "0"],
        ["进度", "0/2"],
        ["灯号", "RED"],
    ]
    assert styles == ["", "", "", "", "", "light-red"]
