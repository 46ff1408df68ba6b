"""The text of a file people write by hand (a plan, the config file): decoded as UTF-8 with
the position of the first bad byte, and Pydantic locations written as the keys people type.

The plan loader and the config loader both report problems as `FILE:LINE:COLUMN: message`;
this module is where they agree on how a byte offset becomes a line and a column."""

from __future__ import annotations

import codecs
import re
from typing import Any

from planctl import frozen
from planctl.i18n import N_, NN_, _, ngettext

Loc = tuple[str | int, ...]


@frozen(slots=False)
class Undecodable(Exception):
    """The file's bytes are not UTF-8 text; where, and what to tell the user."""

    line: int
    column: int
    message: str


def decode(raw: bytes, what: str) -> str:
    """UTF-8, with or without the BOM Notepad writes; UTF-16 is refused by name, since a
    file saved that way is otherwise reported as a puzzling bad byte on line 1.

    `what` names the file in the message: "plan file" or "config file"."""
    head = raw[:64]
    looks_utf16 = b"\x00" in head and head.count(b"\x00") * 4 >= min(len(raw), 64)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or looks_utf16:
        utf16 = _("plan file is UTF-16; save it as UTF-8")
        if what == "config file":
            utf16 = _("config file is UTF-16; save it as UTF-8")
        raise Undecodable(1, 1, utf16)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        message = _("plan file is not UTF-8 (byte {byte})")
        if what == "config file":
            message = _("config file is not UTF-8 (byte {byte})")
        message = message.format(byte=f"0x{raw[error.start]:02x}")
        raise Undecodable(line, column, message) from None


def line_column(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of `text[index]`."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def dotted(loc: Loc) -> str:
    """A Pydantic location as a reader writes it: `tasks[3].owners`, `mail.smtp_port`."""
    out = ""
    for step in loc:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


@frozen(slots=False)
class _Said:
    """Pydantic's English for one error type (its template, with the plural when it counts
    `count`), marked for the catalogues under that same English."""

    singular: str
    plural: str | None = None
    count: str = ""


_PYDANTIC: dict[str, tuple[_Said, ...]] = {
    "int_type": (_Said(N_("Input should be a valid integer")),
                 _Said(N_("Input should be a valid number"))),
    "int_parsing": (_Said(N_("Input should be a valid integer, unable to parse string as an"
                             " integer")),),
    "int_from_float": (_Said(N_("Input should be a valid integer, got a number with a"
                                " fractional part")),),
    "float_type": (_Said(N_("Input should be a valid number")),),
    "float_parsing": (_Said(N_("Input should be a valid number, unable to parse string as a"
                               " number")),),
    "finite_number": (_Said(N_("Input should be a finite number")),),
    "string_type": (_Said(N_("Input should be a valid string")),),
    "bool_type": (_Said(N_("Input should be a valid boolean")),),
    "bool_parsing": (_Said(N_("Input should be a valid boolean, unable to interpret input")),),
    "date_type": (_Said(N_("Input should be a valid date")),),
    "date_parsing": (_Said(N_("Input should be a valid date in the format YYYY-MM-DD,"
                              " {error}")),),
    "date_from_datetime_parsing": (_Said(N_("Input should be a valid date or datetime,"
                                            " {error}")),),
    "date_from_datetime_inexact": (_Said(N_("Datetimes provided to dates should have zero time"
                                            " - e.g. be exact dates")),),
    "list_type": (_Said(N_("Input should be a valid list")),),
    "dict_type": (_Said(N_("Input should be a valid dictionary")),),
    "literal_error": (_Said(N_("Input should be {expected}")),),
    "greater_than_equal": (_Said(N_("Input should be greater than or equal to {ge}")),),
    "less_than_equal": (_Said(N_("Input should be less than or equal to {le}")),),
    "greater_than": (_Said(N_("Input should be greater than {gt}")),),
    "less_than": (_Said(N_("Input should be less than {lt}")),),
    "string_pattern_mismatch": (_Said(N_("String should match pattern '{pattern}'")),),
    "too_short": (_Said(*NN_("{field_type} should have at least {min_length} item after"
                             " validation, not {actual_length}",
                             "{field_type} should have at least {min_length} items after"
                             " validation, not {actual_length}"), count="min_length"),),
    "too_long": (_Said(*NN_("{field_type} should have at most {max_length} item after"
                            " validation, not {actual_length}",
                            "{field_type} should have at most {max_length} items after"
                            " validation, not {actual_length}"), count="max_length"),),
    "string_too_short": (_Said(*NN_("String should have at least {min_length} character",
                                    "String should have at least {min_length} characters"),
                               count="min_length"),),
    "string_too_long": (_Said(*NN_("String should have at most {max_length} character",
                                   "String should have at most {max_length} characters"),
                              count="max_length"),),
}  # fmt: skip
"""The Pydantic errors a hand-written file can meet, by type. A type not here, or a message
Pydantic words otherwise than these (a newer Pydantic), stays Pydantic's English."""


_FIELD_TYPES = {"List": N_("List"), "Dictionary": N_("Dictionary")}
"""The `{field_type}` of a too short or too long value, as Pydantic names it."""


def pydantic_message(kind: str, message: str, ctx: dict[str, Any] | None) -> str:
    """Pydantic's `message` of error type `kind` in the language chosen: the same English
    where it is English. The values it quotes (`{ge}`, `{expected}`, a date's `{error}`) are
    put in as Pydantic gives them; `{expected}`'s alternatives are joined anew."""
    values = {key: str(value) for key, value in (ctx or {}).items()}
    for said in _PYDANTIC.get(kind, ()):
        counted = int(values.get(said.count, "0") or 0) if said.count else 1
        english = said.plural if said.plural and counted != 1 else said.singular
        try:
            if english.format(**values) != message:
                continue
            if kind == "literal_error":
                values["expected"] = _alternatives(values.get("expected", ""))
            if "field_type" in values:
                kind_of = _FIELD_TYPES.get(values["field_type"])
                values["field_type"] = _(kind_of) if kind_of else values["field_type"]
            if said.plural is None:
                return _(said.singular).format(**values)
            return ngettext(said.singular, said.plural, counted).format(**values)
        except (KeyError, IndexError, ValueError):
            continue
    return message


def _alternatives(expected: str) -> str:
    """Pydantic's `'a', 'b' or 'c'` said in the language chosen (English: the same)."""
    found = re.fullmatch(r"(?s)(.*) or (.*)", expected)
    if not found:
        return expected
    earlier = [part.strip() for part in found[1].split(", ")]
    return _("{earlier} or {last}").format(earlier=_(", ").join(earlier), last=found[2])


_YAML_PROBLEMS = frozenset(
    (
        N_("mapping values are not allowed in this context"),
        N_("mapping values are not allowed here"),
        N_("could not find expected ':'"),
        N_("found a tab character that violates indentation"),
        N_("did not find expected '-' indicator"),
        N_("found unexpected end of stream"),
        N_("found undefined alias"),
        N_("found unknown escape character"),
        N_("did not find expected ',' or ']'"),
        N_("did not find expected ',' or '}'"),
        N_("did not find expected alphabetic or numeric character"),
        N_("found unknown directive name"),
        N_("but found another document"),
        N_("found character that cannot start any token"),
        N_("did not find expected comment or line break"),
        N_("did not find expected key"),
        N_("did not find expected node content"),
        N_("YAML syntax error"),
    )
)
"""The YAML parser's problems (libyaml's wording, and the pure-Python loader's where it
differs) that a hand-written plan commonly meets, marked for the catalogues as they are."""

_YAML_SHAPES = (
    (re.compile(r"expected (.+), but found (.+)"), N_("expected {expected}, but found {found}")),
    (re.compile(r"found character (.+) that cannot start any token"),
     N_("found character {character} that cannot start any token")),
)  # fmt: skip
"""Problems with a part of the text in them (the pure-Python loader's), by their shape."""

_YAML_CONTEXTS = frozenset(
    (
        N_("while scanning a simple key"),
        N_("while scanning a plain scalar"),
        N_("while parsing a block collection"),
        N_("while scanning a quoted scalar"),
        N_("while parsing a quoted scalar"),
        N_("while parsing a flow sequence"),
        N_("while parsing a flow mapping"),
        N_("while scanning an anchor"),
        N_("while scanning an alias"),
        N_("while scanning a directive"),
        N_("expected a single document in the stream"),
        N_("while scanning for the next token"),
        N_("while scanning a block scalar"),
        N_("while parsing a block mapping"),
        N_("while parsing a block node"),
        N_("while parsing a flow node"),
        N_("while scanning a tag"),
    )
)
"""What the YAML parser was doing, as it says it (`while scanning a simple key`)."""


def yaml_message(
    problem: str | None, context: str | None, started: tuple[int, int] | None = None
) -> str:
    """A YAML syntax error in the language chosen: its problem, what the parser was doing
    (`context`) and where that began (`started`, line and column, when on another line). A
    problem or context not known here keeps the whole message in PyYAML's English, never
    half of each language."""
    said = _yaml_problem(problem) if problem else None
    if problem is None or said is None or (context and context not in _YAML_CONTEXTS):
        message = problem or context or "YAML syntax error"
        if problem and context:
            if started:
                line, column = started
                return f"{problem} ({context} started on line {line}, column {column})"
            return f"{problem} ({context})"
        return _(message) if message == "YAML syntax error" else message
    if not context:
        return said
    if started:
        return _("{problem} ({context} started on line {line}, column {column})").format(
            problem=said, context=_(context), line=started[0], column=started[1]
        )
    return _("{problem} ({context})").format(problem=said, context=_(context))


def _yaml_problem(problem: str) -> str | None:
    if problem in _YAML_PROBLEMS:
        return _(problem)
    for shape, message in _YAML_SHAPES:
        found = shape.fullmatch(problem)
        if found:
            names = re.findall(r"\{(\w+)\}", message)
            return _(message).format(**dict(zip(names, found.groups(), strict=True)))
    return None
