"""order and quantifier: dates in sequence; "more than half", "most" as numeric predicates."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from fractions import Fraction
from itertools import pairwise
from typing import ClassVar

from pydantic import Field

from kzfacts.data.model import FactKind, RuleSpec, Verdict
from kzfacts.engine.kind import CompileContext, Operand, Outcome, RuleKind
from kzfacts.engine.kinds.common import Relation, fmt, fmt_interval, holds, zero_divisor
from kzfacts.values.interval import Interval
from kzfacts.values.numbers import DateValue

__all__ = ["OrderKind", "OrderSpec", "Quantifier", "QuantifierKind", "QuantifierSpec", "date_item",
           "order", "quantify"]


class OrderSpec(RuleSpec):
    """Each element of ``sequence`` is at most (``strict``: before) the next."""

    sequence: tuple[str, ...] = Field(min_length=2)
    strict: bool = False


def date_item(value: DateValue) -> tuple[str, Interval]:
    """A date as an item of an order: its text, and its days (as ordinals)."""
    return str(value), Interval.closed(value.first_day.toordinal(), value.last_day.toordinal())


def order(items: Sequence[tuple[str, Interval]], *, strict: bool) -> Outcome:
    """Whether each item (its text, its values) is at most (``strict``: less than) the next:
    what an ``order`` rule evaluates (and :func:`kzfacts.check_order`)."""
    relation = Relation.LT if strict else Relation.LE
    broken = [(a, b) for a, b in pairwise(items) if not holds(relation, a[1], b[1])]
    chain = f" {relation.symbol} ".join(text for text, _ in items)
    if not broken:
        return Outcome(Verdict.PASS, f"{chain} ✓")
    pairs = "; ".join(f"{a[0]} is not {relation.symbol} {b[0]}" for a, b in broken)
    return Outcome(Verdict.FAIL, f"{chain}: {pairs}")


class OrderKind(RuleKind):
    """``order``: dates (or numbers) in sequence, each at most (``strict``: before) the next.

    Example::

        - id: p7.non-revenue-water-fell
          kind: order
          title: Non-revenue water fell every year
          severity: error
          paragraphs: [7]
          why: The paragraph says it fell every year.
          sequence: [nrw.2023, nrw.2022, nrw.2021]
          strict: true
    """

    name: ClassVar[str] = "order"
    Spec: ClassVar[type[RuleSpec]] = OrderSpec

    @classmethod
    def compile(cls, spec: RuleSpec, ctx: CompileContext) -> Callable[[], Outcome]:
        assert isinstance(spec, OrderSpec)
        first = ctx.fact(spec.sequence[0], ("sequence", 0))
        items: list[tuple[str, Interval]] = []
        if first.kind == FactKind.DATE:
            items = [date_item(ctx.date(ref, ("sequence", i))) for i, ref in enumerate(spec.sequence)]
        else:
            ops = [(ctx.operand(ref, ("sequence", i)), ("sequence", i))
                   for i, ref in enumerate(spec.sequence)]
            unit = ctx.require_same_dimension(ops)
            items = [(o.text, o.interval().scale(ctx.factor(o.unit, unit))) for o, _ in ops]
        return lambda: order(items, strict=spec.strict)


class Quantifier(StrEnum):
    """A quantifier of the text, as a rule names it."""

    MORE_THAN_HALF = "more_than_half"
    MOST = "most"
    MAJORITY = "majority"
    AT_LEAST_HALF = "at_least_half"
    MINORITY = "minority"
    ALL = "all"
    NONE = "none"


_HALF = Interval.point(Fraction(1, 2))
#: Each quantifier's threshold as a message writes it, and its test on the ratio part/whole.
_PREDICATES: dict[Quantifier, tuple[str, Callable[[Interval], bool]]] = {
    Quantifier.MORE_THAN_HALF: ("> 50%", lambda r: holds(Relation.GT, r, _HALF)),
    Quantifier.MOST: ("> 50%", lambda r: holds(Relation.GT, r, _HALF)),
    Quantifier.MAJORITY: ("> 50%", lambda r: holds(Relation.GT, r, _HALF)),
    Quantifier.AT_LEAST_HALF: ("≥ 50%", lambda r: holds(Relation.GE, r, _HALF)),
    Quantifier.MINORITY: ("< 50%", lambda r: holds(Relation.LT, r, _HALF)),
    Quantifier.ALL: ("= 100%", lambda r: r.contains(1)),
    Quantifier.NONE: ("= 0%", lambda r: r.contains(0)),
}


class QuantifierSpec(RuleSpec):
    """``part`` of ``whole`` satisfies a quantifier of the text ("more than half", "most")."""

    part: str
    whole: str
    quantifier: Quantifier
    claim: str | None = Field(None, description="the statement fact that words the quantifier")


class QuantifierKind(RuleKind):
    """``quantifier``: "more than half", "most", "all"... of a whole, as a test of part/whole.

    Example::

        - id: p9.most-resolved
          kind: quantifier
          title: Most complaints were resolved within 30 days
          severity: error
          paragraphs: [9]
          why: The paragraph says "most".
          part: complaints.resolved_30d
          whole: complaints.lodged
          quantifier: most
          claim: complaints.most_resolved
    """

    name: ClassVar[str] = "quantifier"
    Spec: ClassVar[type[RuleSpec]] = QuantifierSpec

    @classmethod
    def compile(cls, spec: RuleSpec, ctx: CompileContext) -> Callable[[], Outcome]:
        assert isinstance(spec, QuantifierSpec)
        if spec.claim is not None:
            ctx.fact(spec.claim, ("claim",))
        part = ctx.operand(spec.part, ("part",))
        whole = ctx.operand(spec.whole, ("whole",))
        ctx.require_same_dimension([(whole, ("whole",)), (part, ("part",))])
        factor = ctx.factor(part.unit, whole.unit)
        return lambda: quantify(part, whole, factor, spec.quantifier)


def quantify(part: Operand, whole: Operand, factor: Fraction, q: Quantifier) -> Outcome:
    """Whether ``part`` (times ``factor``) of ``whole`` is what the quantifier says: what a
    ``quantifier`` rule evaluates (and :func:`kzfacts.check_quantifier`)."""
    if (why := zero_divisor(whole.text, whole.interval())) is not None:
        return Outcome(Verdict.SKIP, f"{part.text} / {whole.text}: {why}")
    ratio = part.interval().scale(factor) / whole.interval()
    symbol, test = _PREDICATES[q]
    pct = ratio.scale(Fraction(100))
    shown = (fmt(pct.lo) if pct.is_point and pct.lo is not None else fmt_interval(pct)) + "%"
    head = f"{part.text} / {whole.text} = {shown}"
    label = q.value.replace("_", " ")
    intervals = {"ratio": fmt_interval(ratio)}
    if test(ratio):
        return Outcome(Verdict.PASS, f"{head} {symbol} ({label}) ✓", intervals)
    return Outcome(Verdict.FAIL, f"{head}, not {symbol}: not '{label}'", intervals)
