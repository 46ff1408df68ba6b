"""The sign-off block of html and pdf documents, from the config file's `[documents]`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planctl.render.html import SIGNOFF_STYLE
from planctl.views.signoff import signoff_rows
from tests.conftest import Planctl

DOCUMENTS = """\
[documents]
issuer = "区政协办公室 <b>&</b>"
prepared_by = "李明"
approved_by = "王<script>"
"""


def test_the_block_in_the_document_s_language_with_its_date() -> None:
    documents: dict[str, str | None] = {"issuer": "办公室", "prepared_by": None}
    assert signoff_rows(documents, "zh", "截至 2018-06-15") == (
        ("编制单位", "办公室"),
        ("编制人", ""),
        ("审核", ""),
        ("签发", ""),
        ("日期", "2018-06-15"),
    )
    assert signoff_rows({"approved_by": "J. Smith"}, "en", None) == (
        ("Issued by", ""),
        ("Prepared by", ""),
        ("Reviewed by", ""),
        ("Approved by", "J. Smith"),
        ("Date", ""),
    )
    assert signoff_rows({"issuer": None}, "zh", "截至 2018-06-15") == ()


def test_html_ends_with_the_block_its_values_escaped(
    made_sqlite_store: str, planctl: Planctl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = made_sqlite_store
    plain = planctl("report", "--format", "html", db=db).out
    assert 'class="signoff"' not in plain
    config = tmp_path / "config.toml"
    config.write_text(DOCUMENTS, encoding="utf-8")
    monkeypatch.setenv("PLANCTL_CONFIG", str(config))
    signed = planctl("report", "--format", "html", db=db).out
    block = (
        '\n<table class="signoff"><tr><th>编制单位</th><td>区政协办公室 &lt;b&gt;&amp;&lt;/b&gt;</td>'
        "<th>编制人</th><td>李明</td><th>审核</th><td></td><th>签发</th><td>王&lt;script&gt;</td>"
        "<th>日期</th><td>2018-06-15</td></tr></table>"
    )
    assert signed.endswith(block + "\n</body>\n</html>\n")
    # The block and its style are all that changes.
    assert signed.replace(block, "").replace(SIGNOFF_STYLE + "\n", "") == plain
    english = planctl("report", "--format", "html", "--lang", "en", db=db).out
    assert "<th>Issued by</th><td>区政协办公室 &lt;b&gt;&amp;&lt;/b&gt;</td>" in english
    assert "<th>Date</th><td>2018-06-15</td>" in english
    # Text formats and views without a document heading have no block.
    assert "李明" not in planctl("report", "--format", "markdown", db=db).out
    shown = json.loads(planctl("config", "show").out)
    assert shown["documents"] == {
        "issuer": "区政协办公室 <b>&</b>",
        "prepared_by": "李明",
        "approved_by": "王<script>",
    }


def test_a_bad_documents_key_is_named_at_its_line(
    made_sqlite_store: str, planctl: Planctl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = made_sqlite_store
    config = tmp_path / "config.toml"
    config.write_text('[documents]\nissuer = "办公室"\nsigned_by = "王"\n', encoding="utf-8")
    monkeypatch.setenv("PLANCTL_CONFIG", str(config))
    result = planctl("report", "--format", "html", db=db)
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith(f"planctl: {config}:3:")
    config.write_text('[documents]\nissuer = " "\n', encoding="utf-8")
    blank = planctl("report", "--format", "html", db=db)
    assert (blank.code, blank.out) == (1, "")
    assert blank.err.startswith(f"planctl: {config}:2:")
