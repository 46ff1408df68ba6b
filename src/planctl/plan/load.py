"""Read a plan file: bytes -> YAML nodes -> Pydantic `Plan`, every problem at PATH:LINE:COLUMN.

The YAML is composed into nodes first (with PyYAML's safe C loader where libyaml is present),
so that each problem found later, by Pydantic or by the cross-checks, can be pointed back at the
node it is about. Only the safe constructor runs: tags such as `!!python/object` are errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from planctl.errors import PlanError, Problem
from planctl.i18n import N_, _
from planctl.plan import sourcetext
from planctl.plan.check import CheckProblem, cross_check
from planctl.plan.instead import WRONG_KINDS, Hint, wrong_value, yaml_11_hint
from planctl.plan.model import Plan
from planctl.plan.source import MAX_PLAN_BYTES, plan_digest, read_plan_file
from planctl.plan.steps import flatten, settle

__all__ = ["MAX_PLAN_BYTES", "load_plan", "parse_plan", "plan_digest", "read_plan_file"]

try:
    from yaml import CSafeLoader as BaseLoader

    BYTE_POSITIONS = True  # libyaml's reader reports byte offsets into the UTF-8 text
except ImportError:  # pragma: no cover - libyaml is missing on this interpreter
    from yaml import SafeLoader as BaseLoader  # type: ignore[assignment]

    BYTE_POSITIONS = False


class SafeLoader(BaseLoader):
    """The safe loader, with a value that its tag cannot hold reported at its node.

    PyYAML's safe constructors raise plain ValueError, KeyError and the like for `!!int june`
    or `!!bool maybe`; those would escape as tracebacks."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except yaml.MarkedYAMLError:
            raise
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError):
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            problem = _("{value} is not a valid {tag}").format(value=repr(node.value), tag=tag)
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None


INT_TAG = "tag:yaml.org,2002:int"
BOOL_TAG = "tag:yaml.org,2002:bool"
FLOAT_TAG = "tag:yaml.org,2002:float"
PLAIN_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+")
"""Decimals in a plan (a target of 7.5) are plain: YAML 1.1 also reads `1_0.5`, `1:30.5`,
`.inf` and `.nan` as numbers; here they are text, which a number field refuses."""
PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
"""Integers in a plan are plain decimal. YAML 1.1, which PyYAML follows, also reads `010` as
octal 8, `0xA`, `0b1010` and `1_0` as 10, and `1:30` (base 60) as 90: a month silently moved."""
PLAIN_BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
"""Booleans are true and false (YAML 1.2); YAML 1.1 also reads yes, no, on and off, so that a
key `on:` would become True."""


def _without_yaml_11_numbers(
    resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]],
) -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """PyYAML's implicit resolvers with its int and bool ones taken out: what they no longer
    claim is a string, which a field expecting a number or a boolean refuses at its node."""
    return {
        first: [(tag, regexp) for tag, regexp in pairs if tag not in (INT_TAG, BOOL_TAG, FLOAT_TAG)]
        for first, pairs in resolvers.items()
    }


SafeLoader.yaml_implicit_resolvers = _without_yaml_11_numbers(BaseLoader.yaml_implicit_resolvers)
SafeLoader.add_implicit_resolver(
    INT_TAG, re.compile(rf"^(?:{PLAIN_INT.pattern})$"), list("-+0123456789")
)
SafeLoader.add_implicit_resolver(BOOL_TAG, re.compile(rf"^(?:{PLAIN_BOOL.pattern})$"), list("tTfF"))
SafeLoader.add_implicit_resolver(
    FLOAT_TAG, re.compile(rf"^(?:{PLAIN_FLOAT.pattern})$"), list("-+0123456789")
)


def _construct_plain_int(loader: SafeLoader, node: yaml.ScalarNode) -> int:
    """`!!int` as plain decimal only: `!!int 010` is an error, not 8."""
    value = loader.construct_scalar(node)
    if not PLAIN_INT.fullmatch(value):
        raise ValueError(value)
    return int(value)


def _construct_plain_bool(loader: SafeLoader, node: yaml.ScalarNode) -> bool:
    """`!!bool` as true or false only: `!!bool on` is an error."""
    value = loader.construct_scalar(node)
    if not PLAIN_BOOL.fullmatch(value):
        raise ValueError(value)
    return value.lower() == "true"


SafeLoader.add_constructor(INT_TAG, _construct_plain_int)
SafeLoader.add_constructor(BOOL_TAG, _construct_plain_bool)

MAX_NODES = 1_000_000
"""Upper bound on the document's size with aliases expanded (stops billion-laughs bombs)."""

Loc = tuple[str | int, ...]


def load_plan(path: Path) -> Plan:
    """Read and validate the plan at `path`, or raise `PlanError` listing every problem."""
    return parse_plan(read_plan_file(path), str(path))


def parse_plan(raw: bytes, name: str) -> Plan:
    """Validate a plan given as bytes; `name` is used in messages."""
    text = _decode(raw, name)
    data = _mapping(text, name)
    try:
        plan = Plan.model_validate(data)
    except ValidationError as error:
        del data
        raise PlanError(list(_pydantic_problems(error, _compose(text, name), name))) from None
    del data
    tasks, locs, structure = flatten(plan)
    _raise_at(text, name, structure)
    plan = plan.model_copy(update={"tasks": tasks})
    _raise_at(text, name, cross_check(plan, locs))
    tasks, outside = settle(tasks, locs, plan)
    _raise_at(text, name, outside)
    return plan.model_copy(update={"tasks": tasks})


def _mapping(text: str, name: str) -> dict[Any, Any]:
    """The plan's mapping, built from its checked YAML nodes, which are dropped on return.

    The node tree (a node and two marks for each scalar) is most of a parse's memory: four
    fifths of a 20,000-task plan's peak. Validation does without it, and a plan with a problem
    is composed again (`_compose`) to point each problem at its node."""
    root = _compose(text, name)
    data = _construct(root, name)
    if not isinstance(data, dict):
        if data is None:
            message = _("a plan is a mapping, not null")
        else:
            message = _("a plan is a mapping, not a {kind}").format(kind=_(_yaml_type(root)))
        raise PlanError([Problem(name, *_position(root), message)])
    return data


def _raise_at(text: str, name: str, found: Sequence[CheckProblem]) -> None:
    """`PlanError` with each problem at the node its location names, if there are any (the
    plan's nodes composed again from `text` to find them)."""
    if not found:
        return
    root = _compose(text, name)
    problems = []
    for loc, message, *related in found:
        if related:
            message = message.format(line=_position(_find(root, related[0]))[0])
        problems.append(Problem(name, *_position(_find(root, loc)), message))
    if problems:
        raise PlanError(problems)


LINE_BREAKS_YAML_ADDS = {"\u2028": N_("line separator U+2028 is not allowed"),
                         "\u2029": N_("paragraph separator U+2029 is not allowed"),
                         "\x85": N_("next-line character U+0085 is not allowed")}  # fmt: skip
"""Characters YAML 1.1 treats as line breaks, which editors do not: positions would not match."""


def _decode(raw: bytes, name: str) -> str:
    try:
        return sourcetext.decode(raw, "plan file")
    except sourcetext.Undecodable as error:
        raise PlanError([Problem(name, error.line, error.column, error.message)]) from None


def _check_line_breaks(text: str, name: str) -> None:
    for character, what in LINE_BREAKS_YAML_ADDS.items():
        index = text.find(character)
        if index >= 0:
            line, column = sourcetext.line_column(text, index)
            raise PlanError([Problem(name, line, column, _(what))])


def _compose(text: str, name: str) -> yaml.Node:
    _check_line_breaks(text, name)
    loader = SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        raise PlanError([_yaml_problem(error, name)]) from None
    except yaml.YAMLError as error:  # ReaderError: a character YAML does not allow
        raise PlanError([_reader_problem(error, text, name)]) from None
    finally:
        loader.dispose()
    if root is None:
        raise PlanError([Problem(name, 1, 1, _("plan file is empty"))])
    _check_nodes(root, name)
    return root


def _construct(root: yaml.Node, name: str) -> Any:
    loader = SafeLoader("")
    try:
        return loader.construct_document(root)
    except yaml.MarkedYAMLError as error:
        raise PlanError([_yaml_problem(error, name)]) from None
    finally:
        loader.dispose()


def _check_nodes(root: yaml.Node, name: str) -> None:
    """Reject duplicate mapping keys (PyYAML keeps the last silently) and alias bombs.

    Walks the nodes with an explicit stack: libyaml accepts nesting deeper than Python's
    recursion limit. An alias is the same node object again, so its size is counted once and
    reused; that is what makes the expanded size of a billion-laughs document cheap to find."""
    sizes: dict[int, int] = {}
    problems: list[Problem] = []
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes and not children_done:
            continue
        children = _children(node)
        if not children_done:
            sizes[id(node)] = 1  # provisional: a recursive alias counts once, not forever
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        total = 1 + sum(sizes[id(child)] for child in children)
        if total > MAX_NODES:
            too_many = _("plan expands to too many nodes")
            raise PlanError([Problem(name, *_position(node), too_many)])
        sizes[id(node)] = total
        if isinstance(node, yaml.MappingNode):
            problems.extend(_duplicate_keys(node, name))
    if problems:
        raise PlanError(sorted(problems, key=lambda p: (p.line, p.column)))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _duplicate_keys(node: yaml.MappingNode, name: str) -> list[Problem]:
    seen: dict[Any, yaml.Node] = {}
    problems = []
    for key, _value in node.value:
        if isinstance(key, yaml.ScalarNode):
            if key.value in seen:
                first = seen[key.value].start_mark.line + 1
                message = _("duplicate key {key} (first defined on line {line})").format(
                    key=repr(key.value), line=first
                )
                problems.append(Problem(name, *_position(key), message))
            seen[key.value] = key
    return problems


def _pydantic_problems(error: ValidationError, root: yaml.Node, name: str) -> Iterator[Problem]:
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        kind = detail["type"]
        if kind == "invalid_key":
            kind = "extra_forbidden"  # a key that is not a string (`3: three`) is no field
        node = _find(root, loc, key=kind == "extra_forbidden")
        field = sourcetext.dotted(loc)
        if kind == "extra_forbidden":
            # repr: 'due' for a name, 3 for a number
            message = _("unknown key {key}").format(key=repr(loc[-1]))
        elif kind == "missing":
            message = _("missing key {key}").format(key=repr(loc[-1]))
        elif kind == "model_type":
            what = MODEL_NAMES.get(detail.get("ctx", {}).get("class_name", ""), N_("value"))
            message = _("{field}: {what} is a mapping, not a {kind}").format(
                field=field, what=_(what), kind=_(_yaml_type(node))
            )
        else:
            message = detail["msg"].removeprefix("Value error, ")
            if kind != "value_error" and kind not in WRONG_KINDS:
                message = sourcetext.pydantic_message(kind, detail["msg"], detail.get("ctx"))
            hint: Hint | None = None
            if kind == "string_type" and isinstance(detail["input"], int | float):
                hint = (N_('write it in quotes: "{text}"'), {"text": _scalar_text(node)})
            elif kind in ("int_type", "bool_type") and isinstance(detail["input"], str):
                hint = yaml_11_hint(detail["input"])
            elif kind in WRONG_KINDS:
                message = wrong_value(kind, detail)
            if hint is not None:
                message = _("{problem} ({hint})").format(
                    problem=message, hint=_(hint[0]).format(**hint[1])
                )
            message = f"{field}: {message}" if field else message
        yield Problem(name, *_position(node), message)


MODEL_NAMES = {"Task": N_("a task"), "Section": N_("a section"), "WorkPoint": N_("a work point")}


def _scalar_text(node: yaml.Node) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else ""


def _find(root: yaml.Node, loc: Loc, *, key: bool = False) -> yaml.Node:
    """The node at `loc` (a Pydantic error location), or the nearest existing ancestor."""
    node = root
    for depth, step in enumerate(loc):
        last = depth == len(loc) - 1
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(step)), None)
            if match is None:
                return node
            node = match[0] if key and last else match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if not 0 <= step < len(node.value):
                return node
            node = node.value[step]
        else:
            return node
    return node


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _yaml_type(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return N_("list")
    return N_("scalar") if isinstance(node, yaml.ScalarNode) else N_("mapping")


def _yaml_problem(error: yaml.MarkedYAMLError, name: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    where = error.context_mark
    started = None
    if where is not None and mark is not None and where.line != mark.line:
        started = (where.line + 1, where.column + 1)
    message = sourcetext.yaml_message(error.problem, error.context, started)
    tag = re.search(r"for the tag '([^']*)'", error.problem or "")
    if isinstance(error, yaml.constructor.ConstructorError) and tag:
        named = tag.group(1).replace("tag:yaml.org,2002:", "!!")
        message = _("tag {tag} is not allowed").format(tag=named)
    return Problem(name, line, column, message)


def _reader_problem(error: yaml.YAMLError, text: str, name: str) -> Problem:
    position = getattr(error, "position", 0)
    if BYTE_POSITIONS:
        position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    character = getattr(error, "character", "")
    code = ord(character) if isinstance(character, str) and character else character
    message = _("control character {code} is not allowed").format(code=f"{code:#06x}")
    return Problem(name, line, column, message)
