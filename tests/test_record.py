"""Records behave as the frozen dataclasses they replaced (equality, hashing, order, repr,
immutability, copies, pickles and replace), and a check's modules define no dataclasses."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzfacts._record import OrderedRecord, Record, set_slot
from kzfacts.errors import Location
from kzfacts.values.interval import Interval
from kzfacts.values.numbers import DateValue, Reading


class Pair(OrderedRecord):
    _fields = ("a", "b")
    __slots__ = (*_fields, "_memo")
    a: Any
    b: Any
    _memo: dict[str, int]

    def __init__(self, a: Any, b: Any = 0) -> None:
        set_slot(self, "a", a)
        set_slot(self, "b", b)
        set_slot(self, "_memo", {})


@dataclasses.dataclass(frozen=True, order=True)
class PairDC:
    a: Any
    b: Any = 0


class Labelled(Record):
    _fields = __slots__ = ("key", "label")
    _compared = ("key",)
    key: int
    label: str

    def __init__(self, key: int, label: str) -> None:
        set_slot(self, "key", key)
        set_slot(self, "label", label)


small = st.integers(-3, 3)


@given(small, small, small, small)
def test_equality_hash_and_order_are_the_dataclass_ones(a: int, b: int, c: int, d: int) -> None:
    x, y = Pair(a, b), Pair(c, d)
    dx, dy = PairDC(a, b), PairDC(c, d)
    assert (x == y) == (dx == dy)
    assert (x != y) == (dx != dy)
    assert (x < y, x <= y, x > y, x >= y) == (dx < dy, dx <= dy, dx > dy, dx >= dy)
    if x == y:
        assert hash(x) == hash(y)
    assert hash(x) == hash((a, b))  # the dataclass hash: of the fields' tuple


def test_repr_is_the_dataclass_form() -> None:
    assert repr(Pair(1, "x")) == repr(PairDC(1, "x")).replace("PairDC", "Pair")
    assert repr(Interval(Fraction(1), None, True, False)) == (
        "Interval(lo=Fraction(1, 1), hi=None, lo_closed=True, hi_closed=False)")


def test_other_classes_are_not_equal_nor_ordered() -> None:
    assert Pair(1, 2) != (1, 2)
    assert Pair(1, 2) != PairDC(1, 2)
    with pytest.raises(TypeError):
        assert Pair(1, 2) < (1, 3)
    with pytest.raises(TypeError):
        assert Location("a") < DateValue(2020)


def test_memos_are_not_compared_printed_or_hashed() -> None:
    x, y = Pair(1, 2), Pair(1, 2)
    x._memo["k"] = 1
    assert x == y and hash(x) == hash(y)
    assert "_memo" not in repr(x)
    r = Reading("14%", 14, Decimal(1), False, "percent")
    r.interval()
    assert r == Reading("14%", 14, Decimal(1), False, "percent")


def test_compared_fields_only_are_compared_but_all_printed() -> None:
    assert Labelled(1, "a") == Labelled(1, "b")
    assert hash(Labelled(1, "a")) == hash((1,))
    assert Labelled(1, "a") != Labelled(2, "a")
    assert repr(Labelled(1, "a")) == "Labelled(key=1, label='a')"


@pytest.mark.parametrize("make", [lambda: Pair(1, 2), lambda: Location("f.yaml", 3, 4),
                                  lambda: Interval(Fraction(1), Fraction(2)),
                                  lambda: DateValue(2021, 7, 19)])
def test_immutable(make: Any) -> None:
    obj = make()
    name = type(obj)._fields[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(obj, name, 5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(obj, name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        obj.other = 1
    assert not hasattr(obj, "__dict__")


def _pickled(obj: Any) -> Any:
    return pickle.loads(pickle.dumps(obj))  # noqa: S301 - bytes this test made


def test_copies_and_pickles_keep_every_slot() -> None:
    x = Pair(Fraction(1, 3), [1, 2])
    x._memo["k"] = 7
    for y in (copy.copy(x), copy.deepcopy(x), _pickled(x)):
        assert y == x and y is not x
        assert y._memo == {"k": 7}
    deep = copy.deepcopy(x)
    assert deep.b is not x.b
    r = Reading("54.5 million", Decimal("54.5E6"), Decimal(100_000), False, "KZT")
    iv = r.interval()
    again = _pickled(r)
    assert again == r and again.interval() == iv
    loc = _pickled(Location("f.yaml", 1, 2))
    assert (loc.file, loc.line, loc.column) == ("f.yaml", 1, 2)


def test_replace_makes_a_new_record_with_fresh_memos() -> None:
    x = Pair(1, 2)
    x._memo["k"] = 1
    y = x.replace(b=3)
    assert (y.a, y.b, y._memo) == (1, 3, {})
    assert x == Pair(1, 2) and x._memo == {"k": 1}
    assert Location("f", 1, 2).replace(column=5) == Location("f", 1, 5)
    with pytest.raises(TypeError, match=r"has no fields \['c'\]"):
        x.replace(c=1)
    with pytest.raises(ValueError, match="empty interval"):  # __init__ checks again
        Interval(Fraction(1), Fraction(2)).replace(lo=Fraction(3))


def test_a_field_without_a_slot_is_refused() -> None:
    with pytest.raises(TypeError, match="fields without a slot: \\['b'\\]"):
        class Broken(Record):
            _fields = ("a", "b")
            __slots__ = ("a",)
