"""planctl: track an organisation's annual work plan from the command line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")

__version__ = "0.1.0"

DISTRIBUTION = "planctl-office"
"""The name planctl is installed under (`pip install 'planctl-office[pdf]'`): `planctl` on
PyPI is another project, so every install hint names this one. The command and the import
package are `planctl`."""


def install_hint(extra: str) -> str:
    """What to run for an optional part: `pip install 'planctl-office[pdf]'`."""
    return f"pip install '{DISTRIBUTION}[{extra}]'"


_COMPARISONS = (("__lt__", "<"), ("__le__", "<="), ("__gt__", ">"), ("__ge__", ">="))


def _method(cls: type, name: str, function: Callable[..., Any]) -> None:
    function.__name__ = name
    function.__qualname__ = f"{cls.__qualname__}.{name}"
    setattr(cls, name, function)


def _tuple(obj: str, names: tuple[str, ...]) -> str:
    """`(self.a,self.b,)`, as dataclasses writes a tuple of fields."""
    return f"({','.join(f'{obj}.{name}' for name in names)},)" if names else "()"


def _source(name: str, names: tuple[str, ...], operator: str) -> str:
    """The method as dataclasses writes it: `__hash__` (`operator` "hash") hashes the tuple of
    the fields `names`; `__eq__` and the comparisons compare the two objects' tuples, and say
    `NotImplemented` for an object of another class."""
    if operator == "hash":
        return f"def {name}(self):\n return hash({_tuple('self', names)})\n"
    return (
        f"def {name}(self, other):\n"
        " if other.__class__ is self.__class__:\n"
        f"  return {_tuple('self', names)}{operator}{_tuple('other', names)}\n"
        " return NotImplemented\n"
    )


def _on_first_call(cls: type, name: str, names: tuple[str, ...], operator: str) -> None:
    """Puts on the class a stand-in for the method `name` that, called the first time,
    compiles the method as dataclasses writes it (`_source`), puts it on the class in its own
    place and calls it. A class whose method is never called never pays for compiling it;
    one whose method is called runs dataclasses' own code from then on (the fastest there
    is: the attributes read into one tuple, no call in between)."""
    method: Callable[..., Any] | None = None

    def first_call(self: Any, *other: Any) -> Any:
        nonlocal method
        if method is None:  # else called through a reference taken before the first call
            namespace: dict[str, Any] = {"__name__": cls.__module__}
            exec(_source(name, names, operator), namespace)
            method = namespace[name]
            _method(cls, name, method)
        return method(self, *other)

    _method(cls, name, first_call)


def _add_methods(cls: type, order: bool) -> None:
    """The `__repr__`, `__eq__`, `__hash__` (and with `order` the four comparisons) that
    `dataclass(repr=True, eq=True, unsafe_hash=True, order=order)` would write, with its
    rules: a method the class writes itself is kept (a `__hash__` or a comparison is refused,
    as dataclasses refuses it), `repr=False` fields are not shown, `compare=False` ones are
    neither compared nor hashed. Nothing is compiled while the class is made: the repr is a
    closure, the others are compiled the first time they are called (`_on_first_call`)."""
    own = cls.__dict__
    explicit_hash = own.get("__hash__", MISSING)
    if explicit_hash is not MISSING and not (explicit_hash is None and "__eq__" in own):
        raise TypeError(f"Cannot overwrite attribute __hash__ in class {cls.__name__}")
    every = fields(cls)
    if "__repr__" not in own:
        _method(cls, "__repr__", _repr(tuple(f.name for f in every if f.repr)))
    compared = tuple(f.name for f in every if f.compare)
    if "__eq__" not in own:
        _on_first_call(cls, "__eq__", compared, "==")
    hashed = tuple(f.name for f in every if (f.compare if f.hash is None else f.hash))
    _on_first_call(cls, "__hash__", hashed, "hash")
    if order:
        for name, operator in _COMPARISONS:
            if name in own:
                raise TypeError(
                    f"Cannot overwrite attribute {name} in class {cls.__name__}. "
                    "Consider using functools.total_ordering"
                )
            _on_first_call(cls, name, compared, operator)


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    """dataclasses' `__repr__`: `QualName(field=repr, ...)`, `...` for an object inside itself."""
    values = attrgetter(*names) if len(names) > 1 else None

    @recursive_repr()
    def __repr__(self: Any) -> str:
        shown = values(self) if values else [getattr(self, name) for name in names]
        pairs = ", ".join([f"{name}={value!r}" for name, value in zip(names, shown, strict=True)])
        return f"{self.__class__.__qualname__}({pairs})"

    return __repr__


@overload
def frozen(cls: type[T], /) -> type[T]: ...


@overload
def frozen(*, slots: bool = True, order: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def frozen(
    cls: type[T] | None = None, /, *, slots: bool = True, order: bool = False
) -> type[T] | Callable[[type[T]], type[T]]:
    """A frozen dataclass, as type checkers see it (mypy refuses an assignment to a field),
    made at run time as a plain one with the same repr, equality and hash (`unsafe_hash`).

    Every value planctl passes around is immutable, and mypy holds the code to that. What
    `frozen=True` adds at run time is a check that costs: its `__init__` sets each field
    through `object.__setattr__`, six times the cost of a plain one (2.8 µs against 0.45 µs
    for an `Event`, of which a large read makes 10,000). `@frozen` stands for
    `@dataclass(frozen=True, slots=True)`, `@frozen(slots=False)` for
    `@dataclass(frozen=True)`.

    dataclasses writes each method as source text and compiles it, and those compiles are
    most of what making a class costs (35 classes on `due`'s path). Only `__init__` is left
    to it (`dataclass(repr=False, eq=False)`): the rest comes from `_add_methods`, which
    compiles nothing while the class is made (docs/development.md, "Code layout")."""

    def make(cls: type[T]) -> type[T]:
        made = dataclass(slots=slots, repr=False, eq=False)(cls)
        _add_methods(made, order)
        return made

    return make if cls is None else make(cls)
