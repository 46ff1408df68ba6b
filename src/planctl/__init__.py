"""planctl: track an organisation's annual work plan from the command line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar, dataclass_transform, overload

T = TypeVar("T")

__version__ = "0.1.0"

DISTRIBUTION = "planctl-office"
"""The name planctl is installed under (`pip install 'planctl-office[pdf]'`): `planctl` on
PyPI is another project, so every install hint names this one. The command and the import
package are `planctl`."""


def install_hint(extra: str) -> str:
    """What to run for an optional part: `pip install 'planctl-office[pdf]'`."""
    return f"pip install '{DISTRIBUTION}[{extra}]'"


@overload
def frozen(cls: type[T], /) -> type[T]: ...


@overload
def frozen(*, slots: bool = True, order: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def frozen(
    cls: type[T] | None = None, /, *, slots: bool = True, order: bool = False
) -> type[T] | Callable[[type[T]], type[T]]:
    """A frozen dataclass, as type checkers see it (mypy refuses an assignment to a field),
    made at run time as a plain one with the same equality and hash (`unsafe_hash`).

    Every value planctl passes around is immutable, and mypy holds the code to that. What
    `frozen=True` adds at run time is a check that costs: its `__init__` sets each field
    through `object.__setattr__`, six times the cost of a plain one (2.8 µs against 0.45 µs
    for an `Event`, of which a large read makes 10,000), and the class itself takes twice as
    long to make (1.4 ms against 0.6 ms a class on the machine of docs/performance.md, for the
    40 a read command imports). `@frozen` stands for `@dataclass(frozen=True, slots=True)`,
    `@frozen(slots=False)` for `@dataclass(frozen=True)`."""

    def make(cls: type[T]) -> type[T]:
        return dataclass(slots=slots, order=order, unsafe_hash=True)(cls)

    return make if cls is None else make(cls)
