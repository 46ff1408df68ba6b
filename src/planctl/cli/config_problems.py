"""Where a config file's problems are: its text decoded (a bad byte at LINE:COLUMN), a TOML
error, and a value the model refuses, each at the line and column of its key (or named by the
variable it came from), as `planctl.cli.config` reports them."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping

from pydantic import ValidationError

from planctl.errors import ConfigError
from planctl.i18n import N_, _
from planctl.plan import sourcetext


def decode(raw: bytes, name: str) -> str:
    try:
        return sourcetext.decode(raw, "config file")
    except sourcetext.Undecodable as error:
        raise ConfigError(f"{name}:{error.line}:{error.column}: {error.message}") from None


def toml_problem(error: tomllib.TOMLDecodeError, text: str, name: str) -> str:
    """tomllib puts the position in its message: `... (at line 3, column 16)`."""
    message = str(error)
    found = re.fullmatch(r"(?s)(.*) \(at line (\d+), column (\d+)\)", message)
    if found:
        return f"{name}:{found[2]}:{found[3]}: {found[1]}"
    found = re.fullmatch(r"(?s)(.*) \(at end of document\)", message)
    if found:
        lines = text.split("\n")
        return f"{name}:{len(lines)}:{len(lines[-1]) + 1}: {found[1]}"
    return f"{name}: {message}"


_EXPECTED = {
    "model_type": N_("{field}: should be a table"),
    "dict_type": N_("{field}: should be a table"),
    "list_type": N_("{field}: should be a list"),
}


def problems(error: ValidationError, text: str, name: str) -> list[str]:
    """One line per problem, in file order (problems without a position last)."""
    positions = key_positions(text)
    located: list[tuple[tuple[int, int], str]] = []
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        kind = detail["type"]
        field = sourcetext.dotted(loc)
        if loc == ("today",) and kind == "extra_forbidden":
            message = _(
                "unknown key {key}: today is never configured (use --today or PLANCTL_TODAY)"
            ).format(key=repr(field))
        elif kind == "extra_forbidden":
            message = _("unknown key {key}").format(key=repr(field))
        elif kind in _EXPECTED:
            message = _(_EXPECTED[kind]).format(field=field)
        elif kind == "value_error":  # the settings' own checks, through the catalogue
            message = f"{field}: {detail['msg'].removeprefix('Value error, ')}"
        else:
            said = sourcetext.pydantic_message(kind, detail["msg"], detail.get("ctx"))
            message = f"{field}: {said}"
        position = _position(positions, loc, key=kind == "extra_forbidden")
        if position is None:
            located.append(((1 << 30, 0), f"{name}: {message}"))
        else:
            located.append((position, f"{name}:{position[0]}:{position[1]}: {message}"))
    return [line for _, line in sorted(located, key=lambda item: item[0])]


def env_problems(
    error: ValidationError, from_env: Mapping[str, str], environ: Mapping[str, str]
) -> Iterator[str]:
    """Only values from the environment can fail here: the file's passed the stricter model."""
    for detail in error.errors(include_url=False):
        field = str(detail["loc"][0]) if detail["loc"] else ""
        message = detail["msg"].removeprefix("Value error, ")
        variable = from_env.get(field)
        if variable is None:
            if field:
                yield _("mail settings: {field}: {problem}").format(field=field, problem=message)
            else:
                yield _("mail settings: {problem}").format(problem=message)
        elif field == "smtp_password":
            yield f"{variable}: {message}"
        else:
            yield f"{variable}={environ[variable]!r}: {message}"


_TABLE_LINE = re.compile(r"\s*\[\[?(?P<name>[^\]]*)\]\]?\s*(?:#.*)?")
_KEY_LINE = re.compile(r"(?P<indent>\s*)(?P<key>(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_.\- ]+?)+)\s*=")
_KEY_PART = re.compile(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)")


Positions = dict[tuple[str, ...], tuple[int, int, int]]
"""Key path -> (line, column of the key, column of its value), all 1-based."""


def key_positions(text: str) -> Positions:
    """Where each table and key is first written, found line by line: a cheap search that
    is right for the plain files people write, and only costs a position when it is not."""
    positions: Positions = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE_LINE.fullmatch(line)
        if header:
            table = _key_path(header["name"])
            column = len(line) - len(line.lstrip()) + 1
            positions.setdefault(table, (number, column, column))
            continue
        key = _KEY_LINE.match(line)
        if key:
            path = table + _key_path(key["key"])
            value_column = len(line) - len(line[key.end() :].lstrip()) + 1
            positions.setdefault(path, (number, len(key["indent"]) + 1, value_column))
    return positions


def _key_path(dotted: str) -> tuple[str, ...]:
    return tuple(double or single or bare for double, single, bare in _KEY_PART.findall(dotted))


def _position(
    positions: Positions, loc: tuple[str | int, ...], *, key: bool
) -> tuple[int, int] | None:
    """Where the deepest key of `loc` that the file names is: at the key itself for an
    unknown key, else at its value (a list item: at the list)."""
    keys: list[str] = []
    for step in loc:
        if not isinstance(step, str):
            break
        keys.append(step)
    for depth in range(len(keys), 0, -1):
        found = positions.get(tuple(keys[:depth]))
        if found:
            line, key_column, value_column = found
            return line, key_column if key else value_column
    return None
