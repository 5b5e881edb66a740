"""Exact intervals of rationals: the set of true values a reported number admits.

Every bound is a :class:`fractions.Fraction` (or ``None`` for an unbounded side), and each
side says whether it is closed. "14%" is ``[13.5, 14.5)``; "more than 5,300" is
``(5300, +inf)``; a count written in full is the single point ``[n, n]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kzfacts.errors import ArgumentError, describe

__all__ = ["Interval", "to_fraction"]

Number = int | Decimal | Fraction

_EXACT = ("an exact number (an int, a Decimal or a Fraction; a float is binary and not "
          "what was written: pass Decimal('0.1') or Fraction(1, 10))")


def to_fraction(value: Number) -> Fraction:
    """Convert an exact number to a Fraction (Decimal converts exactly).

    Raises:
        ArgumentError: ``value`` is a float, or no number.
    """
    if type(value) is Fraction:
        return value
    if isinstance(value, int | Decimal | Fraction) and not isinstance(value, bool):
        return Fraction(value)
    raise ArgumentError("an interval's bound", _EXACT, describe(value))


def _operand(other: object, op: str) -> Interval:
    """The other side of an arithmetic operation: an interval, or a number as a point."""
    if isinstance(other, Interval):
        return other
    if isinstance(other, int | Decimal | Fraction) and not isinstance(other, bool):
        return Interval.point(other)
    hint = " (a Reading's interval is reading.interval())" if hasattr(other, "interval") else ""
    raise ArgumentError(f"Interval {op}", f"an Interval or {_EXACT}{hint}", describe(other))


def _factor(other: object, op: str) -> Fraction:
    if isinstance(other, int | Decimal | Fraction) and not isinstance(other, bool):
        return Fraction(other)
    raise ArgumentError(f"Interval {op}", f"{_EXACT}, or an Interval", describe(other))


@dataclass(frozen=True, slots=True)
class Interval:
    """A set of rationals ``lo .. hi``; ``None`` is an infinite side (always open).

    Raises:
        ValueError: the interval would be empty (``lo > hi``, or ``lo == hi`` with an
            open side).
    """

    lo: Fraction | None
    hi: Fraction | None
    lo_closed: bool = True
    hi_closed: bool = True

    def __post_init__(self) -> None:
        lo, hi = self.lo, self.hi
        # A point is made with one object for both ends (``point``, sums of points), so its
        # ends need no comparing: comparing Fractions is most of what making one costs.
        if lo is None or hi is None or (lo is not hi and lo < hi):
            return
        if lo is not hi and lo > hi:
            raise ValueError(f"empty interval: {lo} > {hi}")
        if not (self.lo_closed and self.hi_closed):
            raise ValueError(f"empty interval at {lo}")

    # -- constructors ---------------------------------------------------------------
    @classmethod
    def point(cls, value: Number) -> Interval:
        """The single value ``[v, v]``."""
        v = to_fraction(value)
        return cls(v, v)

    @classmethod
    def closed(cls, lo: Number, hi: Number) -> Interval:
        return cls(to_fraction(lo), to_fraction(hi))

    @classmethod
    def half_open(cls, lo: Number, hi: Number) -> Interval:
        """``[lo, hi)``: what a rounded number admits."""
        return cls(to_fraction(lo), to_fraction(hi), True, False)

    @classmethod
    def above(cls, value: Number, *, inclusive: bool) -> Interval:
        return cls(to_fraction(value), None, inclusive, False)

    @classmethod
    def below(cls, value: Number, *, inclusive: bool, floor: Number | None = 0) -> Interval:
        lo = None if floor is None else to_fraction(floor)
        return cls(lo, to_fraction(value), lo is not None, inclusive)

    # -- predicates -----------------------------------------------------------------
    @property
    def is_point(self) -> bool:
        lo = self.lo
        return lo is not None and (lo is self.hi or lo == self.hi)

    @property
    def is_bounded(self) -> bool:
        return self.lo is not None and self.hi is not None

    def contains(self, x: Number) -> bool:
        v = to_fraction(x)
        if self.lo is not None and (v < self.lo or (v == self.lo and not self.lo_closed)):
            return False
        return not (self.hi is not None and (v > self.hi or (v == self.hi and not self.hi_closed)))

    def intersects(self, other: Interval) -> bool:
        return _nonempty(_max_lo(self, other), _min_hi(self, other))

    def intersection(self, other: Interval) -> Interval | None:
        low, high = _max_lo(self, other), _min_hi(self, other)
        return Interval(low[0], high[0], low[1], high[1]) if _nonempty(low, high) else None

    def can_be_le(self, other: Interval, *, strict: bool = False) -> bool:
        """Whether some ``x`` in self and ``y`` in other have ``x <= y`` (``x < y`` if strict)."""
        if self.lo is None or other.hi is None:
            return True
        if self.lo < other.hi:
            return True
        if self.lo == other.hi:
            return not strict and self.lo_closed and other.hi_closed
        return False

    def hull(self, other: Interval) -> Interval:
        """The smallest interval containing both."""
        if self.lo is None or other.lo is None:
            lo, lo_c = None, False
        elif self.lo != other.lo:
            lo, lo_c = (self.lo, self.lo_closed) if self.lo < other.lo else (other.lo, other.lo_closed)
        else:
            lo, lo_c = self.lo, self.lo_closed or other.lo_closed
        if self.hi is None or other.hi is None:
            hi, hi_c = None, False
        elif self.hi != other.hi:
            hi, hi_c = (self.hi, self.hi_closed) if self.hi > other.hi else (other.hi, other.hi_closed)
        else:
            hi, hi_c = self.hi, self.hi_closed or other.hi_closed
        return Interval(lo, hi, lo_c, hi_c)

    def widen(self, ratio: Fraction) -> Interval:
        """Widen a non-negative interval by a relative tolerance on both sides."""
        lo = None if self.lo is None else self.lo * (1 - ratio)
        hi = None if self.hi is None else self.hi * (1 + ratio)
        return Interval(lo, hi, self.lo_closed, self.hi_closed)

    # -- arithmetic -----------------------------------------------------------------
    def __add__(self, other: Interval | Number) -> Interval:
        """The sums of a value of each (a number is the interval of that one value)."""
        if type(other) is not Interval:
            other = _operand(other, "+")
        a, b = self.lo, other.lo
        lo = None if a is None or b is None else a + b
        # The sum of two points is a point (one object for both ends); of two non-empty
        # intervals, non-empty: both ends meet only for points.
        if self.hi is a and other.hi is b:
            hi = lo
        else:
            c, d = self.hi, other.hi
            hi = None if c is None or d is None else c + d
        return Interval(lo, hi, lo is not None and self.lo_closed and other.lo_closed,
                        hi is not None and self.hi_closed and other.hi_closed)

    def __neg__(self) -> Interval:
        lo, hi = self.lo, self.hi
        neg_hi = None if hi is None else -hi
        neg_lo = neg_hi if lo is hi else (None if lo is None else -lo)
        return Interval(neg_hi, neg_lo, self.hi_closed, self.lo_closed)

    def __radd__(self, other: Number) -> Interval:
        return self + other

    def __sub__(self, other: Interval | Number) -> Interval:
        return self + (-_operand(other, "-"))

    def __rsub__(self, other: Number) -> Interval:
        return _operand(other, "-") + (-self)

    def scale(self, k: Fraction) -> Interval:
        """Multiply by an exact non-negative constant."""
        if k == 1:
            return self
        if k < 0:
            return (-self).scale(-k)
        if k == 0:
            return Interval.point(0)
        lo, hi = self.lo, self.hi
        new_lo = None if lo is None else lo * k
        new_hi = new_lo if hi is lo else (None if hi is None else hi * k)
        return Interval(new_lo, new_hi, self.lo_closed, self.hi_closed)

    def __mul__(self, other: Interval | Number) -> Interval:
        """Product of two non-negative intervals, or the interval times an exact number."""
        if not isinstance(other, Interval):
            return self.scale(_factor(other, "*"))
        _require_nonnegative(self, other)
        assert self.lo is not None and other.lo is not None  # by _require_nonnegative
        if self.hi == 0 or other.hi == 0:  # [0, 0], the one non-negative interval ending at 0
            return Interval.point(0)
        lo = self.lo * other.lo
        lo_c = (self.lo_closed and other.lo_closed) or (self.lo == 0 and self.lo_closed) or (
            other.lo == 0 and other.lo_closed)
        # Non-empty: both ends meet only when both factors are points, and then both closed.
        if self.hi is None or other.hi is None:
            return Interval(lo, None, lo_c, False)
        hi = lo if self.hi is self.lo and other.hi is other.lo else self.hi * other.hi
        return Interval(lo, hi, lo_c, self.hi_closed and other.hi_closed)

    def reciprocal(self) -> Interval:
        """``1/x`` for a positive interval (its lower end may be an open 0)."""
        _require_nonnegative(self)
        assert self.lo is not None
        if self.lo == 0 and self.lo_closed:
            raise ZeroDivisionError("interval contains 0")
        hi = None if self.lo == 0 else 1 / self.lo
        lo = _ZERO if self.hi is None else hi if self.hi is self.lo else 1 / self.hi
        return Interval(lo, hi, self.hi is not None and self.hi_closed, hi is not None and self.lo_closed)

    def __rmul__(self, other: Number) -> Interval:
        return self.scale(_factor(other, "*"))

    def __truediv__(self, other: Interval | Number) -> Interval:
        """Quotient of non-negative intervals (the divisor positive), or by an exact number."""
        if not isinstance(other, Interval):
            k = _factor(other, "/")
            if k == 0:
                raise ZeroDivisionError("an interval divided by 0")
            return self.scale(1 / k)
        # self × other.reciprocal(), each end divided once
        _require_nonnegative(other)
        b_lo, b_hi = other.lo, other.hi
        assert b_lo is not None
        if b_lo == 0 and other.lo_closed:
            raise ZeroDivisionError("interval contains 0")
        _require_nonnegative(self)
        a_lo, a_hi = self.lo, self.hi
        assert a_lo is not None
        if a_hi == 0:  # [0, 0]
            return Interval.point(0)
        # 1/other is [1/b_hi, 1/b_lo]: from 0 (open) when other has no upper end, to +inf
        # when it starts at an open 0
        lo = _ZERO if b_hi is None else a_lo / b_hi
        lo_c = (self.lo_closed and b_hi is not None and other.hi_closed) or (
            a_lo == 0 and self.lo_closed)
        if a_hi is None or b_lo == 0:
            return Interval(lo, None, lo_c, False)
        hi = lo if a_hi is a_lo and b_hi is b_lo else a_hi / b_lo
        return Interval(lo, hi, lo_c, self.hi_closed and other.lo_closed)

    def integers(self) -> range:
        """The whole numbers inside a bounded interval."""
        if self.lo is None or self.hi is None:
            raise ValueError("unbounded interval has infinitely many integers")
        first = math.ceil(self.lo)
        if first == self.lo and not self.lo_closed:
            first += 1
        last = math.floor(self.hi)
        if last == self.hi and not self.hi_closed:
            last -= 1
        return range(first, last + 1)

    def __str__(self) -> str:
        left = "[" if self.lo_closed else "("
        right = "]" if self.hi_closed else ")"
        lo = "-inf" if self.lo is None else _fmt(self.lo)
        hi = "+inf" if self.hi is None else _fmt(self.hi)
        return f"{left}{lo}, {hi}{right}" if not self.is_point else f"[{lo}]"



_ZERO = Fraction(0)


def _max_lo(a: Interval, b: Interval) -> tuple[Fraction | None, bool]:
    if a.lo is None:
        return b.lo, b.lo_closed
    if b.lo is None or a.lo > b.lo:
        return a.lo, a.lo_closed
    if b.lo > a.lo:
        return b.lo, b.lo_closed
    return a.lo, a.lo_closed and b.lo_closed


def _min_hi(a: Interval, b: Interval) -> tuple[Fraction | None, bool]:
    if a.hi is None:
        return b.hi, b.hi_closed
    if b.hi is None or a.hi < b.hi:
        return a.hi, a.hi_closed
    if b.hi < a.hi:
        return b.hi, b.hi_closed
    return a.hi, a.hi_closed and b.hi_closed


def _nonempty(low: tuple[Fraction | None, bool], high: tuple[Fraction | None, bool]) -> bool:
    """Whether the ends ``(lo, closed)`` and ``(hi, closed)`` hold a value."""
    lo, hi = low[0], high[0]
    if lo is None or hi is None:
        return True
    if lo is not hi and lo < hi:
        return True
    return lo == hi and low[1] and high[1]


def _require_nonnegative(*intervals: Interval) -> None:
    for iv in intervals:
        if iv.lo is None or iv.lo.numerator < 0:
            raise ArgumentError("Interval * and /", "non-negative intervals", str(iv))


def _fmt(x: Fraction) -> str:
    """A short exact-looking rendering: integers plainly, others to 6 significant places."""
    if x.denominator == 1:
        return str(x.numerator)
    d = Decimal(x.numerator) / Decimal(x.denominator)
    if d == d.to_integral_value():
        return str(int(d))
    return f"{d:.6g}" if abs(d) < 10**6 else f"{d:.0f}"
