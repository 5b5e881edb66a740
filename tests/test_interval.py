"""Exact intervals: open and closed ends, arithmetic on non-negative intervals, integers."""

from __future__ import annotations

import dataclasses
import pickle
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzfacts import Interval

F = Fraction


def iv(lo: Fraction | int | None, hi: Fraction | int | None, lo_closed: bool = True,
       hi_closed: bool = True) -> Interval:
    return Interval(None if lo is None else F(lo), None if hi is None else F(hi),
                    lo_closed, hi_closed)


# -- construction --------------------------------------------------------------------------

def test_constructors() -> None:
    assert Interval.point(5) == iv(5, 5)
    assert Interval.closed(1, 2) == iv(1, 2)
    assert Interval.half_open(Decimal("77.5"), Decimal("78.5")) == iv(F(155, 2), F(157, 2),
                                                                      True, False)
    assert Interval.above(3, inclusive=False) == iv(3, None, False, False)
    assert Interval.above(3, inclusive=True) == iv(3, None, True, False)
    assert Interval.below(3, inclusive=True) == iv(0, 3)
    assert Interval.below(3, inclusive=False, floor=None) == iv(None, 3, False, False)


def test_decimal_converts_exactly() -> None:
    got = Interval.point(Decimal("0.1"))
    assert got.lo == F(1, 10)
    assert type(got.lo) is Fraction


@pytest.mark.parametrize(("lo", "hi", "lo_closed", "hi_closed"), [
    (2, 1, True, True),
    (1, 1, True, False),
    (1, 1, False, True),
    (1, 1, False, False),
])
def test_empty_interval_refused(lo: int, hi: int, lo_closed: bool, hi_closed: bool) -> None:
    with pytest.raises(ValueError, match="empty"):
        Interval(F(lo), F(hi), lo_closed, hi_closed)


def test_point_predicates() -> None:
    assert Interval.point(3).is_point
    assert not iv(3, 4).is_point
    assert iv(3, 4).is_bounded
    assert not iv(3, None, True, False).is_bounded


# -- contains ------------------------------------------------------------------------------

@pytest.mark.parametrize(("interval", "x", "expected"), [
    (iv(1, 2), 1, True),
    (iv(1, 2), 2, True),
    (iv(1, 2, False, True), 1, False),
    (iv(1, 2, True, False), 2, False),
    (iv(1, 2, True, False), F(19999, 10000), True),
    (iv(1, 2), F(1, 2), False),
    (iv(1, 2), 3, False),
    (iv(1, None, False, False), 10**30, True),
    (iv(1, None, False, False), 1, False),
    (iv(None, 5, False, True), -(10**30), True),
    (iv(None, 5, False, False), 5, False),
    (Interval.point(7), 7, True),
    (Interval.point(7), Decimal("7.0001"), False),
])
def test_contains(interval: Interval, x: int | Fraction | Decimal, expected: bool) -> None:
    assert interval.contains(x) is expected


# -- intersects ----------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b", "expected"), [
    (iv(1, 2), iv(2, 3), True),            # touching closed ends
    (iv(1, 2, True, False), iv(2, 3), False),  # 2 excluded on the left
    (iv(1, 2), iv(2, 3, False, True), False),  # 2 excluded on the right
    (iv(1, 2), iv(3, 4), False),
    (iv(1, 5), iv(2, 3), True),             # containment
    (iv(1, None, False, False), iv(0, 1), False),
    (iv(1, None, False, False), iv(0, 2), True),
    (iv(None, 0, False, False), iv(1, None, True, False), False),
    (Interval.point(64), iv(F(127, 2), F(129, 2), True, False), True),
])
def test_intersects(a: Interval, b: Interval, expected: bool) -> None:
    assert a.intersects(b) is expected
    assert b.intersects(a) is expected


def test_intersection_keeps_the_tighter_ends() -> None:
    got = iv(1, 3, True, False).intersection(iv(2, 3))
    assert got == iv(2, 3, True, False)
    got = iv(1, 3).intersection(iv(1, 5, False, True))
    assert got == iv(1, 3, False, True)
    assert iv(1, 2).intersection(iv(3, 4)) is None


# -- can_be_le -----------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b", "strict", "expected"), [
    (iv(1, 2), iv(3, 4), False, True),
    (iv(3, 4), iv(1, 2), False, False),
    (iv(3, 4), iv(1, 3), False, True),              # 3 <= 3
    (iv(3, 4), iv(1, 3), True, False),              # but not 3 < 3
    (iv(3, 4, False, True), iv(1, 3), False, False),  # left end 3 excluded
    (iv(3, 4), iv(1, 3, True, False), False, False),  # right end 3 excluded
    (iv(2, 4), iv(1, 3), True, True),               # 2 < 3
    (iv(None, 4, False, True), iv(0, 1), True, True),  # unbounded below
    (iv(5, 6), iv(0, None, True, False), True, True),  # unbounded above
    (Interval.point(5), Interval.point(5), False, True),
    (Interval.point(5), Interval.point(5), True, False),
])
def test_can_be_le(a: Interval, b: Interval, strict: bool, expected: bool) -> None:
    assert a.can_be_le(b, strict=strict) is expected


# -- hull and widen ------------------------------------------------------------------------

def test_hull() -> None:
    assert iv(1, 2, True, False).hull(iv(3, 4, False, True)) == iv(1, 4)
    assert iv(1, 2, False, False).hull(iv(1, 2)) == iv(1, 2)
    assert iv(1, 2).hull(iv(0, None, False, False)) == iv(0, None, False, False)


def test_widen() -> None:
    assert Interval.point(500).widen(F(1, 10)) == iv(450, 550)
    assert iv(100, 200, True, False).widen(F(1, 2)) == iv(50, 300, True, False)


# -- addition ------------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b", "expected"), [
    (Interval.point(4780), Interval.point(381), Interval.point(5161)),
    (iv(1, 2), iv(3, 4), iv(4, 6)),
    (iv(1, 2, True, False), iv(3, 4), iv(4, 6, True, False)),
    (iv(1, 2, False, True), iv(3, 4, True, False), iv(4, 6, False, False)),
    (iv(1, 2), iv(3, None, False, False), iv(4, None, False, False)),
    (iv(F(155, 2), F(157, 2), True, False), iv(F(27, 2), F(29, 2), True, False),
     iv(91, 93, True, False)),
])
def test_add(a: Interval, b: Interval, expected: Interval) -> None:
    assert a + b == expected
    assert b + a == expected


def test_neg_and_sub() -> None:
    assert -iv(1, 2, True, False) == iv(-2, -1, False, True)
    assert iv(10, 20) - iv(1, 2, True, False) == iv(8, 19, False, True)


# -- scale ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "k", "expected"), [
    (iv(1, 2, True, False), F(3), iv(3, 6, True, False)),
    (iv(1, 2, True, False), F(1, 100), iv(F(1, 100), F(2, 100), True, False)),
    (iv(1, 2, True, False), F(-1), iv(-2, -1, False, True)),
    (iv(1, 2), F(0), Interval.point(0)),
    (iv(1, None, False, False), F(2), iv(2, None, False, False)),
])
def test_scale(a: Interval, k: Fraction, expected: Interval) -> None:
    assert a.scale(k) == expected


# -- multiplication and division -----------------------------------------------------------

@pytest.mark.parametrize(("a", "b", "expected"), [
    (iv(2, 3), iv(4, 5), iv(8, 15)),
    (iv(2, 3, True, False), iv(4, 5), iv(8, 15, True, False)),
    (iv(2, 3, False, True), iv(4, 5), iv(8, 15, False, True)),
    (Interval.point(30), Interval.point(3450), Interval.point(103_500)),
    (iv(0, 1), iv(5, None, True, False), iv(0, None, True, False)),
    (iv(0, 1, False, True), iv(0, 2), iv(0, 2)),        # 0 × 2 = 0 is reached
    (iv(0, 1, False, True), iv(0, 2, False, True), iv(0, 2, False, True)),
    (Interval.point(0), iv(1, None, False, False), Interval.point(0)),
    # 0 times anything is 0, even when the other factor's upper end is open
    pytest.param(Interval.point(0), iv(1, 2, True, False), Interval.point(0),
                 id="zero-times-half-open"),
    pytest.param(Interval.point(0), iv(0, 1, False, False), Interval.point(0),
                 id="zero-times-open"),
])
def test_mul(a: Interval, b: Interval, expected: Interval) -> None:
    assert a * b == expected
    assert b * a == expected


def test_mul_refuses_negative() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        _ = iv(-1, 2) * iv(1, 2)
    with pytest.raises(ValueError, match="non-negative"):
        _ = iv(1, 2) * iv(None, 2, False, True)


@pytest.mark.parametrize(("a", "expected"), [
    (iv(2, 4), iv(F(1, 4), F(1, 2))),
    (iv(2, 4, True, False), iv(F(1, 4), F(1, 2), False, True)),
    (iv(0, 2, False, True), iv(F(1, 2), None, True, False)),
    (iv(5, None, False, False), iv(0, F(1, 5), False, False)),
])
def test_reciprocal(a: Interval, expected: Interval) -> None:
    assert a.reciprocal() == expected


def test_reciprocal_of_zero_refused() -> None:
    with pytest.raises(ZeroDivisionError):
        iv(0, 2).reciprocal()


@pytest.mark.parametrize(("a", "b", "expected"), [
    (Interval.point(50), Interval.point(64), Interval.point(F(25, 32))),
    (iv(1, 2), iv(4, 8), iv(F(1, 8), F(1, 2))),
    (Interval.point(1), iv(4, 8, True, False), iv(F(1, 8), F(1, 4), False, True)),
    (Interval.point(33_545_000), Interval.point(262), Interval.point(F(33_545_000, 262))),
])
def test_div(a: Interval, b: Interval, expected: Interval) -> None:
    assert a / b == expected


# -- integers ------------------------------------------------------------------------------

@pytest.mark.parametrize(("interval", "expected"), [
    (iv(1, 3), [1, 2, 3]),
    (iv(1, 3, False, False), [2]),
    (iv(1, 3, True, False), [1, 2]),
    (iv(F(1, 2), F(7, 2)), [1, 2, 3]),
    (iv(F(496, 10), F(502, 10), True, False), [50]),   # 78% of 64, rounded
    (iv(F(10665, 1000), F(10935, 1000), True, False), []),  # 39.5%..40.5% of 27
    (Interval.point(F(5, 2)), []),
    (Interval.point(4), [4]),
])
def test_integers(interval: Interval, expected: list[int]) -> None:
    assert list(interval.integers()) == expected


def test_integers_of_unbounded_refused() -> None:
    with pytest.raises(ValueError, match="unbounded"):
        iv(0, None, True, False).integers()


@pytest.mark.parametrize(("interval", "text"), [
    (iv(1, 2, True, False), "[1, 2)"),
    (iv(1, None, False, False), "(1, +inf)"),
    (Interval.point(3), "[3]"),
])
def test_str(interval: Interval, text: str) -> None:
    assert str(interval) == text


# -- arithmetic is sound: every sum, difference, product of members is a member -------------

def _fractions(low: int) -> st.SearchStrategy[Fraction]:
    return st.builds(Fraction, st.integers(low, 50), st.integers(1, 7))


@st.composite
def with_member(draw: st.DrawFn, *, nonnegative: bool = False) -> tuple[Interval, Fraction]:
    """A non-empty interval and a value inside it."""
    ends = _fractions(0 if nonnegative else -50)
    lo = draw(ends if nonnegative else st.none() | ends)
    hi = draw(st.none() | ends)
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    point = lo is not None and lo == hi
    lo_closed = lo is not None and (point or draw(st.booleans()))
    hi_closed = hi is not None and (point or draw(st.booleans()))
    interval = Interval(lo, hi, lo_closed, hi_closed)
    low = lo if lo is not None else (hi if hi is not None else F(0)) - 10
    high = hi if hi is not None else low + 10
    inside = [v for v in (low, high, (low + high) / 2, (3 * low + high) / 4, F(0))
              if interval.contains(v)]
    return interval, draw(st.sampled_from(inside))


@given(with_member(), with_member(), st.builds(Fraction, st.integers(-5, 5), st.integers(1, 4)))
def test_arithmetic_holds_every_result_of_members(a: tuple[Interval, Fraction],
                                                   b: tuple[Interval, Fraction],
                                                   k: Fraction) -> None:
    (ia, x), (ib, y) = a, b
    assert (ia + ib).contains(x + y)
    assert (-ia).contains(-x)
    assert (ia - ib).contains(x - y)
    assert ia.scale(k).contains(k * x)
    assert ia.hull(ib).contains(x) and ia.hull(ib).contains(y)
    both = ia.intersection(ib)
    assert (both is not None and both.contains(x)) == ib.contains(x)
    assert ia.can_be_le(ib) or x > y


@given(with_member(nonnegative=True), with_member(nonnegative=True))
def test_products_and_quotients_hold_every_result_of_members(
        a: tuple[Interval, Fraction], b: tuple[Interval, Fraction]) -> None:
    (ia, x), (ib, y) = a, b
    assert (ia * ib).contains(x * y)
    if y > 0 and not (ib.lo == 0 and ib.lo_closed):
        assert (ia / ib).contains(x / y)
        assert ia / ib == ia * ib.reciprocal()  # each end divided once: the same interval


def test_intervals_are_immutable_values() -> None:
    a = iv(1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.lo = F(0)  # type: ignore[misc]
    assert a == iv(1, 2) and hash(a) == hash(iv(1, 2)) and a != iv(1, 2, True, False)
    assert pickle.loads(pickle.dumps(a)) == a  # noqa: S301 - bytes this test made
    assert repr(Interval(F(1), None, True, False)) == (
        "Interval(lo=Fraction(1, 1), hi=None, lo_closed=True, hi_closed=False)")
