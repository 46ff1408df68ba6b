"""Every line readable and safe: wrapping of piped tables, and stored text that cannot drive a
terminal, in each format."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from planctl.core.events import Action, Event
from planctl.render import Format, Table, View, emit
from planctl.render.plain import format_table, write_plain
from planctl.render.safe import visible
from planctl.render.wrap import char_width, fit_columns, page_width, width, wrap, wrap_measured
from planctl.store.store import Store, StoreLocation
from tests.conftest import empty_store, run

# -- widths and wrapping ---------------------------------------------------------------------


def test_display_width() -> None:
    assert width("abc") == 3
    assert width("政协") == 4
    assert width("ＡＢ") == 4  # fullwidth
    assert width("e\u0301") == 1  # a combining accent takes no column
    assert width("“·”") == 3  # East Asian ambiguous: one column, as terminals draw them


def test_chinese_wraps_between_any_two_characters() -> None:
    title = "召开区政协常委会：协商经建科生态环境整治情况的调研报告；通过提案科放管服改革的视察报告"
    assert wrap(title, 20) == [
        "召开区政协常委会：协",
        "商经建科生态环境整治",
        "情况的调研报告；通过",
        "提案科放管服改革的视",
        "察报告",
    ]


def test_a_line_of_chinese_and_ascii_is_measured_without_a_call_per_character(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Titles, units and dates (CJK ideographs, their full-width punctuation, ASCII) are
    measured and wrapped by whole-string operations, not character by character (issue 32:
    `assess`'s table of 1,000 titles); the same widths and lines as character by character."""
    import planctl.render.wrap

    title = "召开区政协常委会：协商《养老保险扩面》（2018-06-30）P10.1"
    real = planctl.render.wrap.char_width
    by_character = sum(map(real, title))
    lines = wrap(title, 12)
    asked: list[str] = []

    def counted(ch: str) -> int:
        asked.append(ch)
        return real(ch)

    monkeypatch.setattr(planctl.render.wrap, "char_width", counted)
    assert (width(title), wrap(title, 12)) == (by_character, lines)
    assert lines == [
        "召开区政协常",
        "委会：协商",
        "《养老保险扩",
        "面》",
        "（",
        "2018-06-30）",
        "P10.1",
    ]
    assert asked == []
    assert width("“引号”不在其中") == 14  # a character outside them: measured one by one
    assert asked == list("“引号”不在其中")


def test_whole_string_widths_agree_with_each_characters() -> None:
    """Every character the whole-string measure counts as wide is two columns by itself, and
    random lines of them, ASCII and others measure and wrap the same either way."""
    import random

    from planctl.render.wrap import _SIMPLE, char_width

    simple = [chr(code) for code in range(0x20, 0x10000) if _SIMPLE.fullmatch(chr(code))]
    assert all(char_width(ch) == (1 if ch.isascii() else 2) for ch in simple)
    alphabet = ["召", "开", "，", "。", "（", "）", "《", "》", "、", "：", "a", "1", "-", " ",
                "“", "”", "·", "é", "\u0301", "\u200b", "…", "—", "\u3000", "\u302a", "Ｐ"]  # fmt: skip
    chosen = random.Random(32)
    for _ in range(2000):
        text = "".join(chosen.choice(alphabet) for _ in range(chosen.randint(1, 30)))
        assert width(text) == sum(map(char_width, text))
        limit = chosen.randint(1, 12)
        assert wrap(text, limit) == _wrap_by_character(text, limit)


def _wrap_by_character(text: str, limit: int) -> list[str]:
    """`wrap` with its tokens found character by character, as before issue 32."""
    import planctl.render.wrap

    real = planctl.render.wrap._SIMPLE
    try:
        planctl.render.wrap._SIMPLE = re.compile("(?!)")  # matches nothing
        return wrap(text, limit)
    finally:
        planctl.render.wrap._SIMPLE = real


SIMPLE_PIECES = [*"召开政协Ｐ\u3000", *"，。、；：！？）》」』】〕〉", *"（《「『【〔〈",
                 *"ab1-", " ", "  ", *",.;:!?)]}%", *"([{", "P10.1", "2018-06-30", "abcdefghijklm"]  # fmt: skip
"""ASCII and the CJK characters whose widths are found by whole-string operations, with the
punctuation that may not start or end a line, and words short and longer than a line."""
WIDE_PIECES = [piece for piece in SIMPLE_PIECES if not piece.isascii()]
"""A title of wide characters only: most of `assess`'s."""


@given(
    st.sampled_from([SIMPLE_PIECES, WIDE_PIECES]).flatmap(
        lambda pieces: st.lists(st.sampled_from(pieces), min_size=1, max_size=30)
    ),
    st.integers(1, 24),
)
@example(["a", "b", " ", "，"], 4)  # no character moves down with "，" past a space
@example(["召", "开", "，"], 4)  # "开" moves down with "，", "召" stays behind
@example(["召", "（", "《", "开"], 6)  # "（《" move down to "开", "召" stays behind
@example(["  ", "召", "开"], 2)  # spaces start no line
@example(["a", "（", "《", "开"], 4)  # "（" moves down, then "《" with "开": a line "（"
@example(["b", "开", "。"], 3)  # "开" moves down with "。", too wide together: a line each
def test_a_line_of_ascii_and_cjk_wraps_a_line_at_a_time_as_a_token_at_a_time(
    pieces: list[str], limit: int
) -> None:
    """Titles, units and dates are wrapped a line at a time (issue 32: a title of CJK
    characters was a token per character): the same lines as token by token, character by
    character, each with its width; no line wider than the limit unless a character is."""
    text = "".join(pieces)
    lines = _wrap_by_character(text, limit)
    assert wrap_measured(text, limit) == [(line, sum(map(char_width, line))) for line in lines]
    assert wrap(text, limit) == lines
    assert all(width(line) <= max(limit, 2) for line in lines)


def test_english_wraps_at_spaces_and_cuts_only_a_word_longer_than_the_line() -> None:
    assert wrap("Review the council's action plan with the lead officer, quarterly", 20) == [
        "Review the council's",
        "action plan with the",
        "lead officer,",
        "quarterly",
    ]
    assert wrap("see https://example.org/a/very/long/path/here now", 16) == [
        "see",
        "https://example.",
        "org/a/very/long/",
        "path/here now",
    ]
    assert wrap("组织开展XX 改革开放 40 年史料征集", 12) == [
        "组织开展XX",
        "改革开放 40",
        "年史料征集",
    ]


def test_punctuation_stays_with_its_word() -> None:
    # "，" does not start a line and "“" does not end one: a character moves down with them.
    assert wrap("“不忘初心，牢记使命”主题教育活动", 10) == [
        "“不忘初",
        "心，牢记使",
        "命”主题教",
        "育活动",
    ]


def test_a_line_narrower_than_a_character_still_ends() -> None:
    assert wrap("中文", 1) == ["中", "文"]
    assert wrap("ab", 1) == ["a", "b"]
    assert wrap("", 5) == [""]


def test_the_widest_columns_are_narrowed_first_down_to_their_minimum() -> None:
    assert fit_columns([5, 40, 30], [5, 6, 6], 60) == [5, 28, 27]
    assert fit_columns([5, 40, 10], [5, 6, 6], 60) == [5, 40, 10]  # fits: unchanged
    assert fit_columns([5, 40, 30], [5, 6, 6], 10) == [5, 6, 6]  # cannot fit: minimums


def test_a_piped_table_wraps_and_keeps_its_columns_aligned() -> None:
    view = View(
        {},
        [
            Table(
                "Tasks",
                ["ID", "Title", "Status"],
                [
                    ["3.5", "召开区政协常委会：协商经建科生态环境整治情况的调研报告", "overdue"],
                    ["Y.1", "Review the council's action plan with the lead officer", "open"],
                ],
            )
        ],
        footer="2 tasks",
    )
    out = io.StringIO()
    write_plain(view, out, width=40)
    assert out.getvalue() == (
        "Tasks\n"
        "ID   Title                       Status\n"
        "---  --------------------------  -------\n"
        "3.5  召开区政协常委会：协商经建  overdue\n"
        "     科生态环境整治情况的调研报\n"
        "     告\n"
        "Y.1  Review the council's        open\n"
        "     action plan with the lead\n"
        "     officer\n"
        "\n"
        "2 tasks\n"
    )
    assert max(map(width, out.getvalue().splitlines())) <= 40


CELLS = ["", " ", "6.2", "P10.1.2", "2018-06-30", "发改委", "发改委、社法委", "trailing  ",
         "召开区政协常委会：协商经建科生态环境整治情况的调研报告", "“不忘初心，牢记使命”主题教育",
         "Review the council's action plan", "行一\n\n行二", "a\tb\x1b[2J", "e\u0301t\u00e9"]  # fmt: skip


@given(
    st.integers(1, 4).flatmap(
        lambda columns: st.lists(
            st.lists(st.sampled_from(CELLS), min_size=columns, max_size=columns),
            min_size=1, max_size=8,
        )
    ),
    st.integers(8, 70),
)  # fmt: skip
def test_a_table_is_the_lines_of_its_rows_each_laid_out_alone(
    rows: list[list[str]], page: int
) -> None:
    """A table measures, wraps and pads each distinct cell of a column once (issue 32): the
    same lines as each row's cells measured, wrapped and padded in turn, the columns aligned."""
    table = Table("任务", ["编号", "任务", "单位", "日期"][: len(rows[0])], rows)
    assert format_table(table, page) == _table_a_row_at_a_time(table, page)


def _table_a_row_at_a_time(table: Table, page: int) -> list[str]:
    """`format_table` as before issue 32's distinct cells: every cell of every row measured,
    wrapped and padded on its own."""
    from planctl.render.plain import GAP, _line, _lines, _measured, _rule, _wrap_cell, column_widths

    title = _lines(table.title, page)
    table = table.without_blank_columns()
    header = [visible(column).replace("\n", " ") for column in table.columns]
    widths = column_widths(table, page - len(GAP) * (len(header) - 1))
    wrapped = [
        [_wrap_cell(_measured(cell), w) for cell, w in zip(row, widths, strict=True)]
        for row in table.rows
    ]
    used = [width(column) for column in header]
    for row in wrapped:
        used = [max(u, *(size for _, size in cell)) for u, cell in zip(used, row, strict=True)]
    lines = [*title, _line([(h, width(h)) for h in header], used), _line(_rule(used), used)]
    for row in wrapped:
        for index in range(max(map(len, row))):
            cells = [cell[index] if index < len(cell) else ("", 0) for cell in row]
            lines.append(_line(cells, used))
    return lines


def test_a_line_break_continues_the_cell_and_cannot_forge_a_row() -> None:
    rows = [["5.1", "赵\r\n6.2  forged  done", "报告已报区委"], ["5.2", "王", "a\rb\n\n\nc"]]
    out = io.StringIO()
    write_plain(View({}, [Table("记录", ["编号", "记录人", "备注"], rows)]), out, width=100)
    assert out.getvalue() == (
        "记录\n"
        "编号  记录人             备注\n"
        "----  -----------------  ------------\n"
        "5.1   赵                 报告已报区委\n"
        "      6.2  forged  done\n"
        "5.2   王                 a\n"
        "                         b\n"
        "                         c\n"
    )


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (None, 100),
        ("0", 100),
        ("abc", 100),
        ("-5", 100),
        ("9" * 5000, 100),
        ("80", 80),
        (" 60 ", 60),
    ],
)
def test_the_page_width_comes_from_columns_else_100(columns: str | None, expected: int) -> None:
    assert page_width({} if columns is None else {"COLUMNS": columns}) == expected


@pytest.mark.parametrize("columns", ["0", "abc", "9" * 5000])
def test_a_useless_columns_never_breaks_output(
    columns: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setenv("LINES", columns)
    monkeypatch.setenv("TERM", "dumb")
    view = View({}, [Table("T", ["ID", "Title"], [["1", "长" * 80]])])
    for terminal in (False, True):
        out = io.StringIO()
        emit(view, Format.TABLE, out, terminal=terminal)
        assert "长" * 20 in out.getvalue()
        assert max(map(width, out.getvalue().splitlines())) <= 100


# -- control characters ----------------------------------------------------------------------

HOSTILE = "清屏\x1b[2J剪贴板\x1b]52;c;ZXZpbA==\x07csi\x9b31m\u202eevil\u2028x\tend"
SHOWN = "清屏\\x1b[2J剪贴板\\x1b]52;c;ZXZpbA==\\x07csi\\x9b31m\\u202eevil\\u2028x end"
BY = "王\n5.1  forged row"


def hostile_view() -> View:
    return View(
        {"note": HOSTILE, "by": BY},
        [Table("记录", ["编号", "记录人", "备注"], [["5.1", BY, HOSTILE]])],
        title="标题\x1b[8m",
        footer="[red]共 1 项[/red]",
    )


def render(fmt: Format, *, terminal: bool = False) -> str:
    out = io.StringIO()
    emit(hostile_view(), fmt, out, terminal=terminal)
    return out.getvalue()


def test_visible_escapes_controls_and_keeps_line_breaks() -> None:
    assert visible(HOSTILE) == SHOWN
    assert (
        visible("a\r\nb\rc\nd\x00\x7f\x85\u2066\u2069") == "a\nb\nc\nd\\x00\\x7f\\x85\\u2066\\u2069"
    )
    assert visible("普通文本 plain") == "普通文本 plain"


def test_plain_text_shows_controls_as_escapes() -> None:
    assert render(Format.TEXT) == (
        "标题\\x1b[8m\n"
        "\n"
        "记录\n"
        "编号  记录人           备注\n"
        "----  ---------------  " + "-" * 70 + "\n"
        f"5.1   王               {SHOWN}\n"
        "      5.1  forged row\n"
        "\n"
        "[red]共 1 项[/red]\n"
    )


def test_rich_shows_controls_as_escapes_and_reads_no_markup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TERM", "dumb")
    lines = render(Format.TABLE, terminal=True).splitlines()
    assert [line.rstrip() for line in lines] == [
        "标题\\x1b[8m",
        "记录",
        "┏━━━━━━┳━━━━━━━━━━━━━━━━━┳" + "━" * 53 + "┓",
        "┃ 编号 ┃ 记录人          ┃ 备注" + " " * 48 + "┃",
        "┡━━━━━━╇━━━━━━━━━━━━━━━━━╇" + "━" * 53 + "┩",
        "│ 5.1  │ 王              │ 清屏\\x1b[2J剪贴板\\x1b]52;c;ZXZpbA==\\x07csi\\x9b31m\\u │",
        "│      │ 5.1  forged row │ 202eevil\\u2028x end" + " " * 33 + "│",
        "└──────┴─────────────────┴" + "─" * 53 + "┘",
        "[red]共 1 项[/red]",
    ]


def test_csv_shows_controls_as_escapes_and_quotes_line_breaks() -> None:
    assert render(Format.CSV) == f'编号,记录人,备注\n5.1,"王\n5.1  forged row",{SHOWN}\n'


def test_markdown_shows_controls_as_escapes() -> None:
    shown = (  # a backslash and a bracket are escaped in Markdown
        SHOWN.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    )
    assert render(Format.MARKDOWN) == (
        "# 标题\\\\x1b\\[8m\n"
        "\n"
        "## 记录\n"
        "\n"
        "| 编号 | 记录人 | 备注 |\n"
        "|---|---|---|\n"
        f"| 5.1 | 王<br>5.1  forged row | {shown} |\n"
        "\n"
        "\\[red\\]共 1 项\\[/red\\]\n"
    )


def test_html_shows_controls_as_escapes() -> None:
    page = render(Format.HTML)
    assert "<h1>标题\\x1b[8m</h1>" in page
    assert (
        f'<td class="nw">5.1</td><td>王<br>5.1  forged row</td><td class="long">{SHOWN}</td>'
        in page
    )
    assert not any(ch in page for ch in "\x1b\x07\x9b\u202e\u2028\t")


def test_json_is_exact_and_holds_no_raw_control() -> None:
    document = render(Format.JSON)
    assert json.loads(document) == {"note": HOSTILE, "by": BY}
    assert not any(ch in document for ch in "\x1b\x07\x9b\u202e\u2028")
    assert "\\u001b[2J" in document and "\\u009b31m" in document and "\\u202e" in document


# -- through the CLI -------------------------------------------------------------------------

TODAY = ["--today", "2018-06-15"]


@pytest.mark.parametrize(
    "command", [["due"], ["list"], ["report"], ["digest"], ["points", "--full"]]
)
def test_piped_output_of_the_2018_plan_fits_100_columns(command: list[str], tmp_path: Path) -> None:
    store = empty_store(str(tmp_path / "s.sqlite3"))
    result = run(*command, *TODAY, "--db", store)
    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    assert len(lines) > 10
    assert max(map(width, lines)) <= 100, max(lines, key=width)


def test_stored_controls_reach_no_terminal(tmp_path: Path) -> None:
    """Events already in a store (recorded by an older planctl, or imported) are shown safely."""
    from planctl.plan.load import load_plan
    from planctl.plan.source import plan_digest
    from tests.conftest import PLAN_2018

    store = str(tmp_path / "s.sqlite3")
    at = datetime(2018, 6, 15, 1, 0, tzinfo=UTC)
    event = Event("event-01", "cppcc-2018", "5.1", Action.DONE, date(2018, 6, 12), BY, at,
                  HOSTILE, None, None, None)  # fmt: skip
    with (
        Store.open_for_writing(StoreLocation.parse(store)) as opened,
        opened.transaction() as tx,
    ):
        tx.record_plan(load_plan(PLAN_2018), plan_digest(PLAN_2018.read_bytes()), at)
        tx.append([event])
    for command in (["history"], ["show", "5.1"], ["report"], ["digest"]):
        for fmt in ("table", "csv", "markdown", "html"):
            out = run(*command, *TODAY, "--db", store, "--format", fmt).out
            assert not any(ch in out for ch in "\x1b\x07\x9b\u202e\u2028"), (command, fmt)
    history = run("history", *TODAY, "--db", store).out.splitlines()
    assert history[3:] == [
        "2018-06-15 01:00 +00:00  5.1   开展养老保险扩面  完成  2018-06-12  王               "
        "清屏\\x1b[2J剪贴",
        " " * 31 + "情况的调研" + " " * 26 + "5.1  forged row  板",
        " " * 84 + "\\x1b]52;c;ZXZpbA",
        " " * 84 + "==\\x07csi\\x9b31m",
        " " * 84 + "\\u202eevil\\u2028",
        " " * 84 + "x end",
    ]


def test_a_table_blank_in_every_column_is_shown_as_it_is() -> None:
    table = Table(title="空表", columns=["编号", "备注"], rows=[["", " "], ["", ""]])
    out = io.StringIO()
    write_plain(View({}, [table]), out, width=40)
    assert out.getvalue() == "空表\n编号  备注\n----  ----\n\n\n"
