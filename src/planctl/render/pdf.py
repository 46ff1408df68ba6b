"""PDF: the HTML page (`render/html.py`) laid out on A4 by WeasyPrint.

WeasyPrint is an optional extra (`pip install 'planctl-office[pdf]'`), imported here only. Chinese
text needs a CJK font that fontconfig finds (Noto Sans CJK: Debian's `fonts-noto-cjk`);
without one the PDF would show empty boxes, so it is refused in one line naming what to
install.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings

from planctl import install_hint
from planctl.errors import MissingPart
from planctl.render import View
from planctl.render.html import page

_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

FONT_HINT = "install Noto CJK (Debian: apt-get install fonts-noto-cjk)"


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
    if _CJK.search(html) and not cjk_fonts():
        raise MissingPart(
            f"--format pdf needs a Chinese font and fontconfig finds none: {FONT_HINT}"
        )
    document = _weasyprint_html()(string=html)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = document.write_pdf()
    assert isinstance(data, bytes)
    return data
