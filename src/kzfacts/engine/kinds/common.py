"""What the built-in kinds share: relations, rounding conventions, and numbers in messages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from kzfacts.data.model import Verdict
from kzfacts.engine.kind import CONVENTIONS, Operand
from kzfacts.values.interval import Interval
from kzfacts.values.numbers import Convention

__all__ = ["MAX_YEARS", "TRUNCATION_NOTE", "Relation", "fit_conventions", "fmt", "fmt_interval",
           "holds", "period_conflict", "under_conventions", "year_span", "zero_divisor"]

#: The most years a rule may span (a ``series``, a rate over ``years``): each is worked
#: out on its own, so the span is bounded before any work is done.
MAX_YEARS = 200


def year_span(years: tuple[int, int]) -> tuple[int, int]:
    """``years`` as ``[first, last]``, checked: calendar years, in order, at most
    :data:`MAX_YEARS` of them (a field validator's check: raises ``ValueError``)."""
    first, last = years
    if not 1 <= first <= last <= 9999:
        raise ValueError(f"years as [first, last], from 1 to 9999, found {list(years)}")
    if last - first >= MAX_YEARS:
        raise ValueError(f"at most {MAX_YEARS} years, found {last - first + 1:,} "
                         f"({first} to {last})")
    return years


class Relation(StrEnum):
    """How two sides of a rule compare: ``eq``, ``le``, ``lt``, ``ge`` or ``gt``."""

    EQ = "eq"
    LE = "le"
    LT = "lt"
    GE = "ge"
    GT = "gt"

    @property
    def symbol(self) -> str:
        """The relation as a message writes it: ``=``, ``≤``, ``<``, ``≥``, ``>``."""
        return {"eq": "=", "le": "≤", "lt": "<", "ge": "≥", "gt": ">"}[self.value]


def holds(relation: Relation, left: Interval, right: Interval) -> bool:
    """Whether ``left (relation) right`` can hold for some true values in the intervals."""
    match relation:
        case Relation.EQ:
            return left.intersects(right)
        case Relation.LE:
            return left.can_be_le(right)
        case Relation.LT:
            return left.can_be_le(right, strict=True)
        case Relation.GE:
            return right.can_be_le(left)
        case Relation.GT:
            return right.can_be_le(left, strict=True)


def zero_divisor(label: str, interval: Interval) -> str | None:
    """Why a ratio over this whole cannot be taken (it is, or may be, zero)."""
    if interval.lo is not None and interval.lo <= 0 and interval.contains(0):
        return f"{label} may be 0, so no ratio over it can be taken"
    return None


def under_conventions(test: Callable[[Convention], bool]) -> Verdict:
    """Pass if the test holds when figures are rounded; warn if only when truncated."""
    return fit_conventions(test)[0]


def fit_conventions(test: Callable[[Convention], bool], operands: Sequence[Operand] = (),
                    ) -> tuple[Verdict, Convention | None]:
    """The verdict of :func:`under_conventions`, and the one convention the test holds
    under when it holds under one only (``None`` when both, or neither).

    ``operands``: what the test reads, when they are all it reads under a convention. If
    every one is written in full (the same true value under either convention), the
    test's answer is the same under both, so it is asked once.
    """
    if operands and all(o.reading.exact for o in operands):
        return (Verdict.PASS if test(CONVENTIONS[0]) else Verdict.FAIL), None
    fits = [c for c in CONVENTIONS if test(c)]
    verdict = (Verdict.FAIL if not fits else Verdict.PASS if fits[0] == "round"
               else Verdict.WARN)
    return verdict, fits[0] if len(fits) == 1 else None


TRUNCATION_NOTE = ("holds only if the document truncated its rounded figures instead of "
                   "rounding them")


def fmt(x: Fraction | int | Decimal, *, places: int = 2) -> str:
    """An exact number in the document's style: thousands grouped, at most ``places`` decimals."""
    if isinstance(x, int):
        return f"{x:,}"
    f = x if isinstance(x, Fraction) else Fraction(x)
    if f.denominator == 1:
        return f"{f.numerator:,}"
    text = f"{Decimal(f.numerator) / Decimal(f.denominator):,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_interval(iv: Interval, *, places: int = 2) -> str:
    """An interval as a message writes it: ``5,300``, ``[13.5, 14.5)``, ``(5,300, +∞)``."""
    if iv.is_point:
        assert iv.lo is not None
        return fmt(iv.lo, places=places)
    lo = "-∞" if iv.lo is None else fmt(iv.lo, places=places)
    hi = "+∞" if iv.hi is None else fmt(iv.hi, places=places)
    return f"{'[' if iv.lo_closed else '('}{lo}, {hi}{']' if iv.hi_closed else ')'}"


def period_conflict(operands: Sequence[Operand]) -> str | None:
    """Why these operands cannot be compared, if one covers part of a year the others do not."""
    if not any(o.partial for o in operands):
        return None
    periods = {str(o.period): o for o in operands if o.period is not None}
    partial = [o for o in periods.values() if o.partial]
    if len(periods) > 1 and partial:
        p = partial[0]
        return (f"{p.label} covers {p.period}, only part of a year, and is compared with "
                f"other periods ({', '.join(sorted(periods))})")
    return None
