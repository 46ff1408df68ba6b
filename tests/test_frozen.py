"""`@frozen` (planctl/__init__.py): what the value classes do at run time, pinned on small
classes, whichever way the class is made: the repr text dataclasses writes, equality with the
same class only, the hash of the compared fields, the order of `order=True`, and the
dataclass machinery (`fields`, `replace`, `asdict`, `__match_args__`, slots)."""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, field, fields, replace
from functools import cached_property
from typing import Any, ClassVar

import pytest

from planctl import frozen


@frozen
class Point:
    """Two fields and a default."""

    x: int
    label: str = "a"


@frozen
class Bag:
    """A default made by a factory."""

    name: str
    items: list[Any] = field(default_factory=list)


@frozen
class Seen:
    """A field left out of equality and hash, one out of the repr, and a class variable."""

    id: str
    count: int
    last: str | None = field(default=None, compare=False)
    secret: str = field(default="s", repr=False)
    LIMIT: ClassVar[int] = 9


@frozen
class Hashed:
    """A field out of the hash only (still compared), one compared and hashed."""

    a: int
    b: int = field(default=0, hash=False)


@frozen
class Nothing:
    """No field at all."""


@frozen
class One:
    """One field: equality and hash of a 1-tuple."""

    value: float


@frozen(order=True)
class Version:
    """Ordered by its compared fields, in order."""

    major: int
    minor: int
    tag: str = field(default="", compare=False)


@frozen(slots=False)
class Cached:
    """A `__dict__`, for a cached property."""

    n: int

    @cached_property
    def double(self) -> int:
        return self.n * 2


@frozen(slots=False)
class Base:
    """A class others extend."""

    task: str

    def __post_init__(self) -> None:
        if not self.task:
            raise ValueError("no task")


@frozen(slots=False)
class Child(Base):
    """Its parent's field first, then its own."""

    text: str = ""


@frozen(slots=False)
class Problem(Exception):
    """An exception that is a value too (like plan.sourcetext.Undecodable)."""

    line: int
    message: str


@frozen
class Spoken:
    """A class that writes its own repr and equality: they are kept (the hash is still made,
    as `unsafe_hash=True` makes it, over the fields)."""

    word: str

    def __repr__(self) -> str:
        return f"<{self.word}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Spoken) and self.word.lower() == other.word.lower()


class Outer:
    @frozen
    class Inner:
        """A nested class: the repr says its qualified name."""

        v: int


def test_the_repr_is_the_qualified_name_and_each_shown_field() -> None:
    assert repr(Point(1)) == "Point(x=1, label='a')"
    assert repr(Bag("b", [Point(2, "z")])) == "Bag(name='b', items=[Point(x=2, label='z')])"
    assert repr(Seen("1", 2, "2018-03-01")) == "Seen(id='1', count=2, last='2018-03-01')"
    assert repr(Nothing()) == "Nothing()"
    assert repr(One(0.5)) == "One(value=0.5)"
    assert repr(Version(1, 2, "rc")) == "Version(major=1, minor=2, tag='rc')"
    assert repr(Child("3.1", "t")) == "Child(task='3.1', text='t')"
    assert repr(Problem(3, "bad")) == "Problem(line=3, message='bad')"
    assert repr(Outer.Inner(1)) == "Outer.Inner(v=1)"
    assert str(Point(1)) == "Point(x=1, label='a')"


def test_the_repr_is_the_text_dataclasses_writes() -> None:
    class Plain:
        x: int
        label: str = "a"

    reference: Any = dataclasses.dataclass(Plain)
    assert repr(Point(7, "q\n")) == repr(reference(7, "q\n")).replace(
        "test_the_repr_is_the_text_dataclasses_writes.<locals>.Plain", "Point"
    )


def test_a_recursive_repr_says_dots() -> None:
    bag = Bag("loop")
    bag.items.append(bag)
    assert repr(bag) == "Bag(name='loop', items=[...])"
    assert repr(Bag("two", [bag])) == "Bag(name='two', items=[Bag(name='loop', items=[...])])"


def test_a_class_s_own_methods_are_kept() -> None:
    assert repr(Spoken("Due")) == "<Due>"
    assert Spoken("Due") == Spoken("DUE")
    assert hash(Spoken("Due")) == hash(("Due",))


def test_a_class_s_own_hash_or_order_is_refused() -> None:
    class Hashing:
        x: int

        def __hash__(self) -> int:
            return 0

    class Ordering:
        x: int

        def __lt__(self, other: object) -> bool:
            return False

    with pytest.raises(TypeError, match=r"^Cannot overwrite attribute __hash__ in class Hashing$"):
        frozen(Hashing)
    with pytest.raises(TypeError, match=r"^Cannot overwrite attribute __lt__ in class Ordering\."):
        frozen(order=True)(Ordering)


def test_equal_when_the_same_class_has_the_same_compared_fields() -> None:
    assert Point(1) == Point(1, "a")
    assert Point(1) != Point(1, "b")
    assert Point(1) != Point(2)
    assert Seen("1", 2, "2018-03-01", "x") == Seen("1", 2, None, "x")
    assert Seen("1", 2, None, "x") != Seen("1", 2, None, "y")
    assert Seen("1", 2) != Seen("1", 3)
    assert Hashed(1, 2) != Hashed(1, 3)
    assert Nothing() == Nothing()
    assert Version(1, 2, "rc") == Version(1, 2)
    assert Child("3", "t") == Child("3", "t")
    assert Problem(3, "bad") == Problem(3, "bad")
    nan = float("nan")
    assert One(nan) == One(nan)  # the same object: equal as tuples are
    assert One(float("nan")) != One(float("nan"))


def test_another_class_is_not_implemented() -> None:
    assert Point.__eq__(Point(1), (1, "a")) is NotImplemented
    assert Point(1) != (1, "a")  # type: ignore[comparison-overlap]
    assert Base.__eq__(Base("3"), Child("3")) is NotImplemented
    assert Base("3") != Child("3")
    assert Child("3") != Base("3")
    assert Nothing.__eq__(Nothing(), One(1.0)) is NotImplemented
    assert Version.__lt__(Version(1, 2), (1, 3)) is NotImplemented
    with pytest.raises(TypeError, match="'<' not supported between instances of 'Version' and"):
        assert Version(1, 2) < (1, 3)  # type: ignore[operator]


def test_the_hash_is_the_hash_of_the_hashed_fields_as_a_tuple() -> None:
    assert hash(Point(1, "a")) == hash((1, "a"))
    assert hash(Seen("1", 2, "2018-03-01", "x")) == hash(("1", 2, "x"))
    assert hash(Seen("1", 2, "2018-03-01")) == hash(Seen("1", 2, None))
    assert hash(Hashed(1, 2)) == hash((1,)) == hash(Hashed(1, 3))
    assert hash(Nothing()) == hash(())
    assert hash(One(0.5)) == hash((0.5,))
    assert hash(Version(1, 2, "rc")) == hash((1, 2))
    assert hash(Child("3", "t")) == hash(("3", "t"))
    assert hash(Problem(3, "bad")) == hash((3, "bad"))
    assert len({Point(1), Point(1), Point(2)}) == 2
    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        hash(Bag("b"))


def test_order_is_the_order_of_the_compared_fields_as_tuples() -> None:
    versions = [Version(2, 0), Version(1, 10, "b"), Version(1, 2, "z"), Version(1, 10, "a")]
    assert sorted(versions) == [Version(1, 2), Version(1, 10), Version(1, 10), Version(2, 0)]
    assert [v.tag for v in sorted(versions)] == ["z", "b", "a", ""]
    assert Version(1, 2) < Version(1, 3)
    assert Version(1, 2, "b") <= Version(1, 2, "a")
    assert not Version(1, 2, "b") < Version(1, 2, "a")
    assert Version(2, 0) > Version(1, 9)
    assert Version(2, 0) >= Version(2, 0)
    assert max(versions) == Version(2, 0)
    assert "__lt__" not in Point.__dict__
    with pytest.raises(TypeError):
        assert Point(1) < Point(2)  # type: ignore[operator]


def test_fields_replace_asdict_and_match_args_work() -> None:
    assert [f.name for f in fields(Seen)] == ["id", "count", "last", "secret"]
    assert [f.name for f in fields(Child)] == ["task", "text"]
    assert replace(Seen("1", 2, "2018-03-01"), count=5) == Seen("1", 5)
    assert replace(Seen("1", 2, "2018-03-01"), count=5).last == "2018-03-01"
    assert asdict(Bag("b", [Point(1)])) == {"name": "b", "items": [{"x": 1, "label": "a"}]}
    assert Seen.__match_args__ == ("id", "count", "last", "secret")
    assert Child.__match_args__ == ("task", "text")
    match Point(3, "m"):
        case Point(x, label):
            assert (x, label) == (3, "m")
    assert Seen.LIMIT == 9
    assert "LIMIT" not in {f.name for f in fields(Seen)}
    assert dataclasses.is_dataclass(Point)


def test_defaults_factories_and_post_init_run() -> None:
    first, second = Bag("a"), Bag("b")
    first.items.append(1)
    assert second.items == []
    assert Point(1).label == "a"
    with pytest.raises(ValueError, match="no task"):
        Child("")
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'x'"):
        Point()  # type: ignore[call-arg]


def test_slots_unless_asked_otherwise() -> None:
    assert Point.__slots__ == ("x", "label")  # type: ignore[attr-defined]
    assert not hasattr(Point(1), "__dict__")
    with pytest.raises(AttributeError):
        Point(1).other = 2  # type: ignore[attr-defined]
    cached = Cached(4)
    assert cached.double == 8
    assert cached.__dict__ == {"n": 4, "double": 8}
    assert cached == Cached(4)
    assert repr(cached) == "Cached(n=4)"


def test_an_exception_value_is_raised_and_caught() -> None:
    with pytest.raises(Problem) as raised:
        raise Problem(3, "bad")
    assert raised.value == Problem(3, "bad")
    assert raised.value.line == 3


def test_the_methods_are_named_for_their_class() -> None:
    assert Point.__eq__.__qualname__ == "Point.__eq__"
    assert Point.__repr__.__qualname__ == "Point.__repr__"
    assert Version.__lt__.__qualname__ == "Version.__lt__"


def test_a_method_is_compiled_on_its_first_call_and_put_in_place() -> None:
    @frozen(order=True)
    class Fresh:
        """Made here, so that no other test has called its methods."""

        n: int

    equal, less = Fresh.__eq__, Fresh.__lt__
    assert equal(Fresh(1), Fresh(1)) is True
    assert Fresh.__eq__ is not equal
    assert Fresh.__eq__.__qualname__.endswith("Fresh.__eq__")
    assert equal(Fresh(1), Fresh(2)) is False  # the stand-in taken before still answers
    assert equal(Fresh(1), 1) is NotImplemented
    assert Fresh.__lt__ is less
    assert sorted([Fresh(3), Fresh(1), Fresh(2)]) == [Fresh(1), Fresh(2), Fresh(3)]
    assert Fresh.__lt__ is not less
    assert less(Fresh(1), Fresh(2)) is True
