"""Office files small on disk and huge in memory (issue 24 item 5), for `planctl import`:
written into DIR (default bench/data/office), to be measured with `/usr/bin/time -v`.

    .venv/bin/python bench/office_files.py [DIR]
    for f in bench/data/office/*; do /usr/bin/time -f "$f %e s %M KB" .venv/bin/planctl \
        import "$f" -o /tmp/out.yaml; rm -f /tmp/out.yaml; done

Made with the helpers of tests/test_office_limits.py (openpyxl and python-docx: the import
extra), so they are the files the tests refuse or read."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests import test_office_limits as t  # noqa: E402
from tests.office_files import write_xlsx  # noqa: E402


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "bench" / "data" / "office"
    out.mkdir(parents=True, exist_ok=True)
    far = write_xlsx(out / "far.xlsx", t.ROWS)  # one cell at XFD1048576
    t.rewrite(
        far,
        t.SHEET,
        "</sheetData>",
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    t.rewrite(far, t.SHEET, '<dimension ref="A1:C3"/>', '<dimension ref="A1:XFD1048576"/>')
    merged = write_xlsx(out / "merged.xlsx", t.ROWS)  # a range of 26 million cells
    t.rewrite(
        merged,
        t.SHEET,
        "</sheetData>",
        '</sheetData><mergeCells count="1"><mergeCell ref="A4:Z1000000"/></mergeCells>',
    )
    dense = write_xlsx(out / "dense.xlsx", t.ROWS)  # 150,000 cells
    body = "".join(t.row_xml(number, 30) for number in range(4, 5004))
    t.rewrite(dense, t.SHEET, "</sheetData>", body + "</sheetData>")
    long = write_xlsx(out / "long.xlsx", t.ROWS)  # 100,000 rows
    body = "".join(
        f'<row r="{n}"><c r="B{n}" t="inlineStr"><is><t>任务{n}</t></is></c></row>'
        for n in range(4, 100_004)
    )
    t.rewrite(long, t.SHEET, "</sheetData>", body + "</sheetData>")
    rows = [["月份", "工作任务", "牵头单位"]]
    rows += [["全年" if n == 1 else "", f"任务{n}", "办公室"] for n in range(1, 1001)]
    t.write_word_body(out / "merged_down.docx", t.word_table(rows, merged_down=True))
    table = t.word_table([["序号", "工作任务"], ["1", "任务"]])
    t.write_word_body(
        out / "tables.docx", "".join(t.paragraph(f"表{n}") + table for n in range(5000))
    )
    rows = [["序号", "工作任务", *[f"列{n}" for n in range(3, 61)]]]
    rows += [[str(n), f"任务{n}", *[""] * 58] for n in range(1, 2001)]
    t.write_word_body(out / "wide.docx", t.word_table(rows))
    for path in sorted(out.iterdir()):
        print(f"{path}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
