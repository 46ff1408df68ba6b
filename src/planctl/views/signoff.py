"""The sign-off block of a printed document: who issues it, prepared it, reviews and
approves it, and its date (`[documents]` in the config file; docs/config.md)."""

from __future__ import annotations

import re

from planctl.i18n import N_, translated

LABELS = (
    ("issuer", N_("Issued by")),
    ("prepared_by", N_("Prepared by")),
    ("reviewed_by", N_("Reviewed by")),
    ("approved_by", N_("Approved by")),
)
"""The block's fields in order: 编制单位, 编制人, 审核, 签发. `reviewed_by` has no config key: it
is a line to sign on."""

DATE = N_("Date")

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def signoff_rows(
    documents: dict[str, str | None], language: str, as_of: str | None
) -> tuple[tuple[str, str], ...]:
    """The block's (label, value) pairs in a language, a blank value to be filled in by hand;
    the date is the day the document is as of (from its heading's `as_of`). Nothing when no
    field is set."""
    if not any(documents.get(key) for key, _label in LABELS):
        return ()
    found = _DAY.search(as_of or "")
    rows = [(translated(language, label), documents.get(key) or "") for key, label in LABELS]
    rows.append((translated(language, DATE), found.group(0) if found else ""))
    return tuple(rows)
