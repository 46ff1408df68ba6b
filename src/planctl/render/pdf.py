"""PDF: the HTML page (`render/html.py`) laid out on A4 by WeasyPrint.

WeasyPrint is an optional extra (`pip install 'planctl-office[pdf]'`), imported here only.
Chinese text needs a CJK font: the extra brings Noto Sans SC (the package
`pylopdf-fonts-zh-cn`), which the page loads by `@font-face` from the package's file, so a
machine without fonts prints Chinese too. Without that package, a CJK font that fontconfig
finds does (Noto Sans CJK: Debian's `fonts-noto-cjk`); with neither the PDF would show empty
boxes, so it is refused in one line naming what to install.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from pathlib import Path

from planctl import install_hint
from planctl.errors import MissingPart
from planctl.render import View
from planctl.render.html import page

_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

FONT_HINT = "install Noto CJK (Debian: apt-get install fonts-noto-cjk)"


def bundled_font() -> Path | None:
    """Noto Sans SC, the pdf extra's font (the package `pylopdf-fonts-zh-cn`), or None where
    that package is not installed."""
    try:
        from pylopdf_fonts_zh_cn import sans_path
    except ImportError:
        return None
    path = sans_path()
    return path if path.is_file() else None


def with_font(html: str, font: Path) -> str:
    """The page with `font` as its "Noto Sans SC" (the page's CSS names it after the system's
    Noto Sans CJK SC), loaded from its file."""
    face = (
        '@font-face { font-family: "Noto Sans SC";'
        f' src: url("{font.resolve().as_uri()}") format("opentype"); }}\n'
    )
    return html.replace("<style>\n", "<style>\n" + face, 1)


def cjk_fonts() -> list[str]:
    """The font families fontconfig knows for Chinese (`fc-list :lang=zh family`)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise MissingPart(
            "--format pdf needs fontconfig (fc-list) to find a Chinese font, and it is not"
            f" installed: {FONT_HINT}"
        )
    try:
        listed = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise MissingPart(
            f"--format pdf cannot ask fontconfig for a Chinese font: {error}"
        ) from None
    return sorted({line.strip() for line in listed.stdout.splitlines() if line.strip()})


def _weasyprint_html() -> type:
    """WeasyPrint's HTML class, or one line saying what is missing (the library, or the
    Pango library it draws text with)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # its dependencies' deprecation notices
            from weasyprint import HTML
    except ImportError:
        raise MissingPart(
            f"--format pdf needs WeasyPrint, which is not installed: {install_hint('pdf')}"
        ) from None
    except OSError as error:
        raise MissingPart(
            "--format pdf needs the Pango library WeasyPrint draws with"
            f" (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0): {error}"
        ) from None
    return HTML  # type: ignore[no-any-return]


def pdf_bytes(view: View) -> bytes:
    """The view's HTML page as an A4 PDF."""
    html = page(view)
    weasyprint_html = _weasyprint_html()
    font = bundled_font()
    if font is not None:
        html = with_font(html, font)
    elif _CJK.search(html) and not cjk_fonts():
        raise MissingPart(
            f"--format pdf needs a Chinese font and finds none: {install_hint('pdf')}"
            f" brings one, or {FONT_HINT}"
        )
    document = weasyprint_html(string=html)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = document.write_pdf()
    assert isinstance(data, bytes)
    return data
