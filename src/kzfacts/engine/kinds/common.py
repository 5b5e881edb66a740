"""Pieces the arithmetic kinds share: relations and evaluation under rounding conventions."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from kzfacts.data.model import Verdict
from kzfacts.engine.compile import CONVENTIONS
from kzfacts.values.interval import Interval
from kzfacts.values.numbers import Convention

__all__ = ["Relation", "holds", "under_conventions"]


class Relation(StrEnum):
    EQ = "eq"
    LE = "le"
    LT = "lt"
    GE = "ge"
    GT = "gt"

    @property
    def symbol(self) -> str:
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


def under_conventions(test: Callable[[Convention], bool]) -> tuple[Verdict, Convention | None]:
    """Pass if the test holds when figures are rounded; warn if only when truncated."""
    for convention in CONVENTIONS:
        if test(convention):
            return (Verdict.PASS if convention == "round" else Verdict.WARN), convention
    return Verdict.FAIL, None


TRUNCATION_NOTE = ("holds only if the document truncated its rounded figures instead of "
                   "rounding them")
