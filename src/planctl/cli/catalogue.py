"""The message catalogues kept up to date: `python -m planctl.cli.catalogue`.

Extracts every marked message of `src/planctl` with Babel (`_`, `ngettext`, `N_`, `pgettext`,
and the label markers `NC_`, `NN_`), adds the help texts of the live app (the commands'
docstrings and option helps, which are translated when a help is shown, planctl.cli.translate),
merges them into `locale/{zh,en}/LC_MESSAGES/planctl.po` (a message no longer in the code is
dropped, a new one added untranslated), and compiles each to its `.mo`. The compiled files are
checked in; tests/test_i18n.py checks that they are exactly what compiling the `.po` gives and
that every message has its translation. Babel is a development tool (the `test` extra): planctl
itself reads the `.mo` files with the standard library's gettext.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from planctl.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

SOURCES = LOCALE_DIR.parent
KEYWORDS = {**DEFAULT_KEYWORDS, "NC_": ((1, "c"), 2), "NN_": (1, 2)}
"""Babel's markers and planctl's two for labels (planctl.i18n: `NC_` with a context, `NN_`
with plural forms)."""
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
"""The catalogues' dates, fixed: a run that changes no message changes no file."""


def template() -> Catalog:
    """Every message of the code and every help text of the app, English as msgid."""
    from typer.main import get_command

    from planctl.cli.registry import whole_app
    from planctl.cli.translate import help_texts

    catalog = Catalog(
        domain=DOMAIN, project="planctl", version="", creation_date=FIXED_DATE,
        revision_date=FIXED_DATE, fuzzy=False,
    )  # fmt: skip
    found = extract_from_dir(str(SOURCES), method_map=[("**.py", "python")], keywords=KEYWORDS)
    for filename, lineno, message, comments, context in found:
        catalog.add(
            message, locations=[(f"src/planctl/{filename}", lineno)], auto_comments=comments,
            context=context,
        )  # fmt: skip
    for text in help_texts(get_command(whole_app())):
        catalog.add(text, locations=[("--help", 0)])
    return catalog


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(language: str) -> Catalog:
    """A language's catalogue as checked in (an empty one before its first run)."""
    path = po_path(language)
    if not path.exists():
        return Catalog(
            locale=language, domain=DOMAIN, project="planctl", version="",
            creation_date=FIXED_DATE, revision_date=FIXED_DATE, fuzzy=False,
        )  # fmt: skip
    with path.open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def po_text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, no_location=True, omit_header=False, sort_output=True,
             ignore_obsolete=True)  # fmt: skip
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    """The catalogue compiled, as `pybabel compile` writes it."""
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def updated(language: str, messages: Catalog) -> Catalog:
    catalog = read(language)
    catalog.update(messages, no_fuzzy_matching=True, update_creation_date=False)
    catalog.revision_date = FIXED_DATE
    catalog.fuzzy = False
    return catalog


def main(argv: list[str]) -> int:
    """Update both catalogues from the code and compile them (`--compile`: compile only)."""
    messages = None if "--compile" in argv else template()
    for language in LANGUAGES:
        catalog = read(language) if messages is None else updated(language, messages)
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        if messages is not None:
            path.write_bytes(po_text(catalog))
            catalog = read(language)
        path.with_suffix(".mo").write_bytes(mo_bytes(catalog))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
