"""The office formats: the report printed to PDF (WeasyPrint), xlsx workbooks read back with a
second reader (openpyxl), csv of one table, each checked against the JSON of the same command."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from planctl.cli import output
from planctl.errors import MissingPart
from planctl.render.pdf import bundled_font, cjk_fonts
from tests.conftest import Planctl, RecordedStores
from tests.test_golden import history_store

openpyxl = pytest.importorskip("openpyxl")
pypdf = pytest.importorskip("pypdf")

TODAY = "2018-06-15"


@pytest.fixture
def db(tmp_path: Path, recorded_stores: RecordedStores) -> str:
    """The golden tests' store: the 2018 plan with HISTORY, fixed IDs and times."""
    return recorded_stores.copy(history_store, tmp_path / "store.sqlite3")


# --- PDF ---------------------------------------------------------------------------------

A4 = (595.28, 841.89)  # points


def _pages(path: Path) -> list[tuple[float, float, str]]:
    reader = pypdf.PdfReader(str(path))
    return [
        (float(page.mediabox.width), float(page.mediabox.height), page.extract_text())
        for page in reader.pages
    ]


def _visible_text(html: str) -> str:
    """What a reader sees of an html page: no style, no tags."""
    body = re.sub(r"<style>.*?</style>|<title>.*?</title>", "", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", body))


DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture
def chinese_font() -> None:
    """Skips a test that prints Chinese to a PDF where that cannot be done, saying why: no
    WeasyPrint, or neither the pdf extra's font nor one that fontconfig finds."""
    pytest.importorskip("weasyprint", reason="WeasyPrint is not installed (the pdf extra)")
    if bundled_font() is not None:
        return
    try:
        found = cjk_fonts()
    except MissingPart as error:
        pytest.skip(f"no Chinese font for the PDF tests: {error}")
    if not found:
        pytest.skip(
            "no Chinese font for the PDF tests: neither the pdf extra's (pylopdf-fonts-zh-cn)"
            " nor one that fontconfig finds"
        )


@pytest.fixture
def pdf_extra_font() -> None:
    """Skips a test of the pdf extra's own font where that package is not installed."""
    pytest.importorskip("weasyprint", reason="WeasyPrint is not installed (the pdf extra)")
    if bundled_font() is None:
        pytest.skip("the pdf extra's font (pylopdf-fonts-zh-cn) is not installed")


def test_the_report_prints_to_a4_pdf_with_headers_on_every_page(
    db: str, planctl: Planctl, tmp_path: Path, chinese_font: None
) -> None:
    # at the year's end nearly everything is overdue: the overdue list runs over a page
    pdf = tmp_path / "report.pdf"
    result = planctl("report", "--format", "pdf", "-o", str(pdf), db=db, today="2018-12-31")
    assert (result.code, result.out, result.err) == (0, "", "")
    assert pdf.read_bytes().startswith(b"%PDF-")
    pages = _pages(pdf)
    assert len(pages) >= 3
    for page_width, page_height, _ in pages:
        assert (round(page_width, 2), round(page_height, 2)) == A4
    first = pages[0][2].splitlines()
    assert first[:4] == [
        "XX 区政协常委会",
        "2018 年区政协常委会工作要点",
        "年度工作报告",
        "截至 2018-12-31",
    ]

    html = planctl.ok("report", "--format", "html", db=db, today="2018-12-31")
    headers = [
        " ".join(unescape(h) for h in re.findall(r"<th>(.*?)</th>", head))
        for head in re.findall(r"<thead><tr>\n?(.*?)\n?</tr></thead>", html)
    ]
    titles = [unescape(t) for t in re.findall(r"<h2>(.*?)</h2>", html)]
    assert len(headers) == 11 and "编号 月份 任务 责任单位 状态" in headers

    # a page that begins inside a table begins with that table's header, which the page
    # before had too
    continued = 0
    for number, (_, _, text) in enumerate(pages[1:], start=1):
        top = text.splitlines()[0]
        assert top in headers or top in titles, f"page {number + 1} begins with {top!r}"
        if top in headers:
            continued += 1
            assert top in pages[number - 1][2].splitlines()
    assert continued >= 1

    # the overdue list: each row found on a page that has the list's header
    data = planctl.json("report", db=db, today="2018-12-31")
    header = "编号 月份 任务 责任单位 状态"
    for task in (t for t in data["overdue"] if t["month"] is not None):
        row = re.compile(rf"^{re.escape(task['id'])} \S+ {task['title'][:6]}", re.M)
        [page] = [n for n, (_, _, text) in enumerate(pages) if row.search(text)]
        assert header in pages[page][2].splitlines()
    # the latest activity runs over a page (since the units table has its row of tasks
    # without a unit, the overdue list fits on one): each row on a page with its header
    header = "日期 编号 任务 操作 记录人 备注"
    spans = set()
    for event in data["recent"]:
        row = re.compile(rf"^{event['on']} {re.escape(event['task'])} ", re.M)
        pages_with_row = [n for n, (_, _, text) in enumerate(pages) if row.search(text)]
        for page in pages_with_row:
            assert header in pages[page][2].splitlines()
        spans.update(pages_with_row)
    assert len(spans) >= 2

    # every page carries the running header (who issued it, the plan, as of when) and its
    # number, which the PDF's text gives last
    for number, (_, _, text) in enumerate(pages, start=1):
        assert text.splitlines()[-2:] == [
            "XX 区政协常委会 2018 年区政协常委会工作要点 年度工作报告 截至 2018-12-31",
            f"{number} / {len(pages)}",
        ]

    # no date is split between lines: every date of the page is whole in the PDF (the as-of
    # day once more on each page, in its running header)
    text = "\n".join(page[2] for page in pages)
    running = ["2018-12-31"] * len(pages)
    assert sorted(DAY.findall(text)) == sorted(DAY.findall(_visible_text(html)) + running)
    assert not re.search(r"\d{4}-(?:\d{2}-?)?\n", text)


def test_the_digest_prints_too(
    db: str, planctl: Planctl, tmp_path: Path, chinese_font: None
) -> None:
    pdf = tmp_path / "digest.pdf"
    assert planctl.ok("digest", "--format", "pdf", "-o", str(pdf), db=db) == ""
    text = "\n".join(page[2] for page in _pages(pdf))
    assert text.startswith(
        "XX 区政协常委会\n2018 年区政协常委会工作要点\n每周工作简报\n截至 2018-06-15\n"
    )
    assert "5.1 开展养老保险扩面情况的调研 赵 报告已报区委" in text


def test_binary_formats_are_not_written_to_a_terminal(
    db: str, planctl: Planctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "_stdout_is_a_terminal", lambda: True)
    for fmt in ("pdf", "xlsx"):
        result = planctl("report", "--format", fmt, db=db)
        assert (result.code, result.out) == (1, "")
        assert result.err == (
            f"planctl: --format {fmt} 是二进制文件:请用 -o FILE 写入文件,或经管道输出\n"
        )


def test_piped_a_pdf_goes_to_stdout(db: str, planctl: Planctl, chinese_font: None) -> None:
    result = planctl("digest", "--format", "pdf", db=db)
    assert (result.code, result.err) == (0, "")
    assert result.out.startswith("%PDF-")


def _empty_fontconfig(tmp_path: Path) -> dict[str, str]:
    """The environment of a bare machine: a fontconfig that knows no font at all."""
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n', encoding="utf-8")
    return {"FONTCONFIG_FILE": str(empty)}


def _fonts(path: Path) -> set[str]:
    """The fonts a PDF embeds, without their subset tags (`ABCDEF+`)."""
    names = set()
    for page in pypdf.PdfReader(str(path)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


def test_pdf_brings_its_own_chinese_font_to_a_machine_without_fonts(
    db: str, planctl: Planctl, tmp_path: Path, pdf_extra_font: None
) -> None:
    # the pdf extra's Noto Sans SC, loaded from its package's file: fontconfig finds nothing
    pdf = tmp_path / "digest.pdf"
    env = _empty_fontconfig(tmp_path)
    result = planctl("digest", "--format", "pdf", "-o", str(pdf), db=db, env=env)
    assert (result.code, result.out, result.err) == (0, "", "")
    assert _fonts(pdf) == {"Noto-Sans-SC"}
    text = "\n".join(page[2] for page in _pages(pdf))
    assert text.startswith(
        "XX 区政协常委会\n2018 年区政协常委会工作要点\n每周工作简报\n截至 2018-06-15\n"
    )
    assert "5.1 开展养老保险扩面情况的调研 赵 报告已报区委" in text


def test_pdf_without_a_chinese_font_says_what_to_install(
    db: str, planctl: Planctl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the pdf extra's font package gone, and fontconfig knows no font
    monkeypatch.setitem(__import__("sys").modules, "pylopdf_fonts_zh_cn", None)
    pdf = tmp_path / "report.pdf"
    env = _empty_fontconfig(tmp_path)
    result = planctl("report", "--format", "pdf", "-o", str(pdf), db=db, env=env)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "planctl: --format pdf needs a Chinese font and finds none:"
        " pip install 'planctl-office[pdf]' brings one, or install Noto CJK"
        " (Debian: apt-get install fonts-noto-cjk)\n"
    )
    assert not pdf.exists()


def test_pdf_and_xlsx_without_their_libraries_say_what_to_install(
    db: str, planctl: Planctl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "weasyprint", None)
    monkeypatch.setitem(__import__("sys").modules, "xlsxwriter", None)
    result = planctl("report", "--format", "pdf", "-o", str(tmp_path / "r.pdf"), db=db)
    assert (result.code, result.err) == (
        1,
        "planctl: --format pdf needs WeasyPrint, which is not installed:"
        " pip install 'planctl-office[pdf]'\n",
    )
    result = planctl("list", "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"), db=db)
    assert (result.code, result.err) == (
        1,
        "planctl: --format xlsx needs XlsxWriter, which is not installed:"
        " pip install 'planctl-office[xlsx]'\n",
    )
    assert list(tmp_path.glob("r.*")) == []


# --- xlsx and csv against the JSON -------------------------------------------------------


def _sheets(path: Path) -> dict[str, Any]:
    return {sheet.title: sheet for sheet in openpyxl.load_workbook(str(path)).worksheets}


def _rows(sheet: Any) -> tuple[str, list[str], list[list[Any]]]:
    """A sheet's title row, header row and data rows, as openpyxl reads them."""
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return rows[0][0], rows[1], rows[2:]


def _day(value: Any) -> str | None:
    """A date cell as the JSON writes it."""
    if value is None:
        return None
    assert isinstance(value, datetime), value  # a real date, not text
    return value.date().isoformat()


STATUS = {"zh": ("已完成", "逾期", "未完成"), "en": ("Done", "overdue", "open")}


def _status(task: dict[str, Any], lang: str = "zh") -> str:
    done, overdue, still_open = STATUS[lang]
    return done if task["status"] == "done" else overdue if task["overdue"] else still_open


LIGHT = {"done": "完成", "red": "红", "yellow": "黄", "blue": "蓝", "green": "绿", "grey": "灰"}


def _task_rows(tasks: list[dict[str, Any]], paced: bool = False) -> list[list[Any]]:
    """The columns of a task sheet of the 2018 plan (no supporting units or leaders), from
    the JSON task objects; with count, target and unit where a task has a target."""
    targets = {"P10.1": "次", "P10.2": "次"}  # the units plans/2018.yaml gives them
    return [
        [
            t["id"],
            t["start"],
            t["due"],
            t["title"],
            "、".join(t["lead"]) or None,
            ", ".join(map(str, t["points"])) or None,
            t["kind"],
            _status(t),
            LIGHT[t["light"]],
            t["done_on"],
            t["done_by"],
            *(
                [
                    (t["progress"] or {}).get("count"),
                    (t["progress"] or {}).get("target"),
                    targets.get(t["id"]),
                ]
                if paced
                else []
            ),
            t["note"],
        ]
        for t in tasks
    ]


def _task_sheet(rows: list[list[Any]]) -> list[list[Any]]:
    """The same columns read from a task sheet (the month column is text as the plan writes
    it, and left out)."""
    return [[r[0], _day(r[2]), _day(r[3]), *r[4:10], _day(r[10]), *r[11:]] for r in rows]


PACE_HEADER = ["已完成次数", "目标", "计量单位"]
TASK_HEADER = [
    "编号", "月份", "开始日期", "截止日期", "任务", "责任单位", "要点", "类别", "状态", "灯号", "完成日期",
    "记录人", "备注",
]  # fmt: skip


def test_the_report_workbook_agrees_with_the_json(
    db: str, planctl: Planctl, tmp_path: Path
) -> None:
    book = tmp_path / "report.xlsx"
    assert planctl.ok("report", "--format", "xlsx", "-o", str(book), db=db) == ""
    data = planctl.json("report", db=db)
    sheets = _sheets(book)
    assert list(sheets) == [
        "总体情况", "逐月完成情况", "各部分完成情况", "工作要点完成情况", "各责任单位完成情况",
        "逾期任务", "调整计划", "数量目标", "经常性工作", "待前置任务", "最近记录",
    ]  # fmt: skip
    for sheet in sheets.values():
        assert sheet.freeze_panes == "A3"  # the title and header rows stay in view
    title, header, rows = _rows(sheets["总体情况"])
    assert (
        title
        == "XX 区政协常委会 · 2018 年区政协常委会工作要点 年度工作报告 · 总体情况 · 截至 2018-06-15"
    )
    summary = data["summary"]
    assert header == ["任务数", "已完成", "未完成", "逾期", "完成率"]
    assert rows == [[summary["total"], summary["done"], summary["open"], summary["overdue"],
                     summary["percent"] / 100]]  # fmt: skip
    assert sheets["总体情况"]["E3"].number_format == "0%"

    _, header, rows = _rows(sheets["逐月完成情况"])
    assert header == ["月份", "任务数", "已完成", "逾期", "完成率"]
    months = [(f"{m['year']}-{m['month']:02d}", m) for m in data["months"]]
    expected = [
        [label, m["total"], m["done"], m["overdue"], (100 * m["done"] // m["total"]) / 100]
        for label, m in [*months, ("全年", data["year_round"])]
    ]
    assert rows == expected

    _, header, rows = _rows(sheets["各部分完成情况"])
    assert [r[:5] for r in rows] == [
        [s["number"], s["title"], s["total"], s["done"], s["overdue"]] for s in data["sections"]
    ]
    _, header, rows = _rows(sheets["工作要点完成情况"])
    assert [r[:4] for r in rows] == [
        [p["number"], p["title"], p["total"], p["done"]] for p in data["points"]
    ]
    _, header, rows = _rows(sheets["各责任单位完成情况"])
    assert [r[:4] for r in rows] == [
        [o["owner"] or "未明确责任单位", o["total"], o["done"], o["overdue"]]
        for o in data["owners"]
    ]
    _, header, rows = _rows(sheets["逾期任务"])
    assert header == TASK_HEADER
    assert _task_sheet(rows) == _task_rows(data["overdue"])
    _, header, rows = _rows(sheets["调整计划"])
    assert header == ["编号", "任务", "计划完成日期", "截止日期", "结转", "原因", "日期", "记录人"]
    assert [[r[0], _day(r[3]), r[5], _day(r[6]), r[7]] for r in rows] == [
        [t["id"], t["deferral"]["due"], t["deferral"]["reason"], t["deferral"]["on"],
         t["deferral"]["by"]]
        for t in data["deferred"]
    ]  # fmt: skip
    _, header, rows = _rows(sheets["数量目标"])
    assert header == ["编号", "任务", "已完成次数", "目标", "应完成", "计量单位", "进度"]
    assert [r[:5] for r in rows] == [
        [t["id"], t["title"], t["progress"]["count"], t["progress"]["target"],
         t["progress"]["expected"]]
        for t in data["targets"]
    ]  # fmt: skip
    _, header, rows = _rows(sheets["经常性工作"])
    assert [[r[0], r[4], r[5], r[6]] for r in rows] == [
        [t["id"], t["periods"]["done"], t["periods"]["elapsed"], t["periods"]["total"]]
        for t in data["duties"]
    ]
    _, header, rows = _rows(sheets["待前置任务"])
    assert [r[0] for r in rows] == [t["id"] for t in data["blocked"]]
    _, header, rows = _rows(sheets["最近记录"])
    assert [[_day(r[0]), r[2], r[5], r[6]] for r in rows] == [
        [e["on"], e["task"], e["by"], e["note"]] for e in data["recent"]
    ]


def test_a_workbook_looks_right(db: str, planctl: Planctl, tmp_path: Path) -> None:
    book = tmp_path / "report.xlsx"
    planctl.ok("report", "--format", "xlsx", "-o", str(book), db=db)
    sheet = _sheets(book)["逾期任务"]
    # dates are dates with a date format, the status cell of an overdue task filled red
    assert sheet["C3"].number_format == "yyyy-mm-dd"
    assert (sheet["I3"].value, sheet["I3"].fill.fgColor.rgb) == ("逾期", "FFF8D7DA")
    # a column fits its longest Chinese text (two widths a character), up to 60
    title_width = sheet.column_dimensions["E"].width
    assert title_width >= 60
    assert sheet.column_dimensions["A"].width >= len("P11.1")
    assert sheet.column_dimensions["I"].width >= 2 * len("状态")


def test_list_due_and_digest_workbooks_agree_with_the_json(
    db: str, planctl: Planctl, tmp_path: Path
) -> None:
    for args, sheet_names in (
        (["list"], ["任务"]),
        (["due", "--month", "6"], ["2018 年 6 月待办"]),
        (
            ["digest"],
            [
                "逾期任务",
                "临期任务",
                "进度落后",
                "未更新(30 天无记录)",
                "近 7 天完成",
                "本月待办",
                "下月安排",
                "各责任单位完成情况",
            ],
        ),
    ):
        book = tmp_path / f"{args[0]}.xlsx"
        planctl.ok(*args, "--format", "xlsx", "-o", str(book), db=db)
        data = planctl.json(*args, db=db)
        sheets = _sheets(book)
        assert list(sheets) == sheet_names
        if args[0] != "digest":
            _, header, rows = _rows(sheets[sheet_names[0]])
            paced = any(t["progress"] for t in data["tasks"])  # a task with a target
            assert header == (TASK_HEADER[:-1] + PACE_HEADER + ["备注"] if paced else TASK_HEADER)
            assert _task_sheet(rows) == _task_rows(data["tasks"], paced)
            if paced:
                [target] = [r for r in rows if r[0] == "P10.1"]
                assert target[12:15] == [2, 6, "次"]  # a count and a target are numbers
            continue
        keys = ["overdue", "due_soon", "behind", "stale", "done", "open", "next_month", "owners"]
        for name, key in zip(sheet_names, keys, strict=True):
            _, header, rows = _rows(sheets[name])
            if key == "owners":  # each unit's tasks, those without a unit last
                assert [r[:4] for r in rows] == [
                    [o["owner"] or "未明确责任单位", o["total"], o["done"], o["overdue"]]
                    for o in data["owners"]
                ]
            elif key == "done":
                assert [[_day(r[0]), *r[1:]] for r in rows] == [
                    [d["on"], d["id"], d["title"], d["by"], d["note"]] for d in data["done"]
                ]
            elif data[key]:
                paced = any(t["progress"] for t in data[key])
                assert _task_sheet(rows) == _task_rows(data[key], paced)
            else:  # an empty table says so in its first cell
                assert [row[0] for row in rows] == ["无"]


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_is_one_table_of_plain_values_as_the_json_has_them(db: str, planctl: Planctl) -> None:
    data = planctl.json("report", db=db)
    assert _csv(planctl.ok("report", "--format", "csv", db=db)) == [
        ["任务数", "已完成", "未完成", "逾期", "完成率"],
        [str(data["summary"][k]) for k in ("total", "done", "open", "overdue", "percent")],
    ]
    months = _csv(planctl.ok("report", "--format", "csv", "--table", "months", db=db))
    assert months[0] == ["月份", "任务数", "已完成", "逾期", "完成率"]
    assert months[1:-1] == [
        [f"{m['year']}-{m['month']:02d}", str(m["total"]), str(m["done"]), str(m["overdue"]),
         str(100 * m["done"] // m["total"])]
        for m in data["months"]
    ]  # fmt: skip
    assert months[-1][:4] == [
        "全年",
        *(str(data["year_round"][k]) for k in ("total", "done", "overdue")),
    ]
    overdue = _csv(planctl.ok("report", "--format", "csv", "--table", "OVERDUE", db=db))
    assert overdue[0] == TASK_HEADER
    plain = [[None if c == "" else c for c in row] for row in overdue[1:]]
    assert [[r[0], *r[2:]] for r in plain] == _task_rows(data["overdue"])
    targets = _csv(planctl.ok("report", "--format", "csv", "--table", "targets", db=db))
    assert targets == [
        ["编号", "任务", "已完成次数", "目标", "应完成", "计量单位", "进度"],
        ["P10.1", "各位主席带队走访委员", "2", "6", "2", "次", ""],
        ["P10.2", "各联络组集中活动", "0", "3", "1", "次", "进度落后"],
    ]  # counts and their unit apart, no bars
    for table in ("summary", "months", "sections", "points", "owners", "overdue", "deferred",
                  "targets", "duties", "blocked", "recent"):  # fmt: skip
        text = planctl.ok("report", "--format", "csv", "--table", table, db=db)
        assert "█" not in text and "░" not in text and text.count("\n\n") == 0
    digest = planctl.json("digest", db=db)
    done = _csv(planctl.ok("digest", "--format", "csv", "--table", "done", db=db))
    assert done[1:] == [
        [d["on"], d["id"], d["title"], d["by"], d["note"] or ""] for d in digest["done"]
    ]


def test_an_unknown_table_is_a_usage_error_listing_them(db: str, planctl: Planctl) -> None:
    result = planctl("report", "--format", "csv", "--table", "bars", db=db)
    assert result.code == 2
    assert (
        "错误:'--table' 的值无效:'bars' 不是 report 的表:summary, months,"
        " sections, points, owners, overdue, deferred, targets, duties, blocked, recent"
    ) in " ".join(result.err.replace("│", " ").split())
    result = planctl("report", "--format", "html", "--table", "months", db=db)
    assert result.code == 2 and "--table 只能与 --format csv 同用" in result.err
    result = planctl("list", "--format", "json", "--bom", db=db)
    assert result.code == 2 and "--bom 只能与 --format csv 同用" in result.err


def test_bom_for_excel_and_output_to_a_file(db: str, planctl: Planctl, tmp_path: Path) -> None:
    out = planctl.ok("list", "--format", "csv", "--bom", db=db)
    assert out.startswith("\ufeff编号,月份,")
    path = tmp_path / "list.csv"
    assert planctl.ok("list", "--format", "csv", "--bom", "-o", str(path), db=db) == ""
    assert path.read_bytes() == out.encode("utf-8")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    missing = tmp_path / "no" / "such.xlsx"
    result = planctl("list", "--format", "xlsx", "-o", str(missing), db=db)
    assert (result.code, result.err) == (
        1,
        f"planctl: 无法写入 {missing}:No such file or directory\n",
    )


def test_a_sheet_name_excel_takes() -> None:
    from planctl.render.xlsx import sheet_name

    taken: set[str] = set()
    assert sheet_name("计划 [2018]: a/b\\c*d?", taken) == "计划  2018   a b c d"
    long = "年" * 40
    assert sheet_name(long, taken) == "年" * 31
    assert sheet_name(long, taken) == "年" * 27 + " (2)"
    assert sheet_name("", taken) == "Sheet"


def test_an_english_workbook_and_a_formula_stays_text(
    db: str, planctl: Planctl, tmp_path: Path
) -> None:
    planctl.ok("note", "6.2", '=HYPERLINK("http://x")', db=db)
    book = tmp_path / "due.xlsx"
    planctl.ok("due", "--month", "6", "--lang", "en", "-f", "xlsx", "-o", str(book), db=db)
    [(name, sheet)] = _sheets(book).items()
    assert name == "Due 2018-06"
    _, header, rows = _rows(sheet)
    assert header[:5] == ["ID", "Month", "Start", "Due", "Title"]
    [row] = [r for r in rows if r[0] == "6.2"]
    assert row[-1] == '=HYPERLINK("http://x")'
    assert sheet.cell(3 + rows.index(row), len(header)).data_type == "s"
    assert isinstance(rows[0][2], datetime) and rows[0][2].date() >= date(2018, 1, 1)


@pytest.mark.parametrize(
    ("args", "sheet", "header"),
    [
        (["points"], "工作要点完成情况", ["部分", "要点", "要点", "已完成"]),
        (["show", "6.2"], "任务 6.2", ["项目", "内容"]),
        (["history"], "记录", ["记录时间", "编号", "任务", "操作", "日期", "记录人", "备注"]),
    ],
    ids=lambda value: value[0] if isinstance(value, list) else None,
)
def test_points_show_and_history_write_files_too(
    args: list[str], sheet: str, header: list[str], db: str, planctl: Planctl, tmp_path: Path
) -> None:
    """`-o` and `--bom`, as the list commands have them (these took xlsx only through a pipe)."""
    book = tmp_path / "out.xlsx"
    assert planctl.ok(*args, "--format", "xlsx", "-o", str(book), db=db) == ""
    sheets = _sheets(book)
    assert list(sheets) == [sheet]
    title, headers, rows = _rows(sheets[sheet])
    # A document names who issued it and the plan, never the plan's file.
    assert title.startswith("XX 区政协常委会 · 2018 年区政协常委会工作要点 ")
    assert "plans/2018.yaml" not in title
    assert [headers, len(rows) > 0] == [header, True]
    table = tmp_path / "out.csv"
    assert planctl.ok(*args, "--format", "csv", "--bom", "-o", str(table), db=db) == ""
    piped = planctl.ok(*args, "--format", "csv", db=db)
    assert table.read_bytes() == ("\ufeff" + piped).encode()
    assert _csv(piped)[0] == header
