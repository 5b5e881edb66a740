"""order and quantifier: dates in sequence; "more than half", "most" as numeric predicates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from fractions import Fraction
from itertools import pairwise
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field

from kzfacts.data.model import FactKind, RuleSpec, Verdict
from kzfacts.engine.compile import (
    CompileContext,
    Explanation,
    Operand,
    Outcome,
    RuleKind,
    fmt,
    fmt_interval,
)
from kzfacts.engine.kinds.common import Relation, holds, zero_divisor
from kzfacts.values.interval import Interval

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from kzfacts._examples.scenario import Scenario, ScenarioFact

__all__ = ["OrderKind", "QuantifierKind"]


class OrderSpec(RuleSpec):
    """Each element of ``sequence`` is at most (``strict``: before) the next."""

    sequence: tuple[str, ...] = Field(min_length=2)
    strict: bool = False


def _date_interval(ctx: CompileContext, ref: str, i: int) -> tuple[str, Interval]:
    value = ctx.date(ref, ("sequence", i))
    return str(value), Interval.closed(value.first_day.toordinal(), value.last_day.toordinal())


class OrderKind(RuleKind):
    name: ClassVar[str] = "order"
    Spec: ClassVar[type[RuleSpec]] = OrderSpec

    @classmethod
    def compile(cls, spec: RuleSpec, ctx: CompileContext) -> Callable[[], Outcome]:
        assert isinstance(spec, OrderSpec)
        first = ctx.fact(spec.sequence[0], ("sequence", 0))
        items: list[tuple[str, Interval]] = []
        if first.kind == FactKind.DATE:
            items = [_date_interval(ctx, ref, i) for i, ref in enumerate(spec.sequence)]
        else:
            ops = [(ctx.operand(ref, ("sequence", i)), ("sequence", i))
                   for i, ref in enumerate(spec.sequence)]
            unit = ctx.require_same_dimension(ops)
            items = [(o.text, o.interval().scale(ctx.factor(o.unit, unit))) for o, _ in ops]
        relation = Relation.LT if spec.strict else Relation.LE

        def evaluate() -> Outcome:
            broken = [(a, b) for a, b in pairwise(items)
                      if not holds(relation, a[1], b[1])]
            chain = f" {relation.symbol} ".join(text for text, _ in items)
            if not broken:
                return Outcome(Verdict.PASS, f"{chain} ✓")
            pairs = "; ".join(f"{a[0]} is not {relation.symbol} {b[0]}" for a, b in broken)
            return Outcome(Verdict.FAIL, f"{chain}: {pairs}")

        return evaluate

    @classmethod
    def examples(cls) -> SearchStrategy[Scenario]:
        return _order_examples()


class Quantifier(StrEnum):
    MORE_THAN_HALF = "more_than_half"
    MOST = "most"
    MAJORITY = "majority"
    AT_LEAST_HALF = "at_least_half"
    MINORITY = "minority"
    ALL = "all"
    NONE = "none"


_HALF = Interval.point(Fraction(1, 2))
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
        return lambda: _quantify(part, whole, factor, spec.quantifier)

    @classmethod
    def examples(cls) -> SearchStrategy[Scenario]:
        return _quantifier_examples()


def _quantify(part: Operand, whole: Operand, factor: Fraction, q: Quantifier) -> Outcome:
    p, w = part.reading.point, whole.reading.point
    if p is not None and w is not None and w > 0 and p >= 0 and factor >= 0:
        # whole numbers: the ratio is the one rational p factor / w
        held = _INT_TESTS[q](p * factor.numerator, w * factor.denominator)
    else:
        if (why := zero_divisor(whole.text, whole.interval())) is not None:
            return Outcome(Verdict.SKIP, f"{part.text} / {whole.text}: {why}")
        held = _PREDICATES[q][1](part.interval().scale(factor) / whole.interval())
    verdict = Verdict.PASS if held else Verdict.FAIL
    return Outcome.later(verdict, lambda: _quantify_text(part, whole, factor, q, held))


#: The predicates of _PREDICATES on a ratio num / den (den > 0), in integers.
_INT_TESTS: dict[Quantifier, Callable[[int, int], bool]] = {
    Quantifier.MORE_THAN_HALF: lambda n, d: 2 * n > d,
    Quantifier.MOST: lambda n, d: 2 * n > d,
    Quantifier.MAJORITY: lambda n, d: 2 * n > d,
    Quantifier.AT_LEAST_HALF: lambda n, d: 2 * n >= d,
    Quantifier.MINORITY: lambda n, d: 2 * n < d,
    Quantifier.ALL: lambda n, d: n == d,
    Quantifier.NONE: lambda n, _: n == 0,
}


def _quantify_text(part: Operand, whole: Operand, factor: Fraction, q: Quantifier,
                   held: bool) -> Explanation:  # noqa: FBT001
    ratio = part.interval().scale(factor) / whole.interval()
    symbol, _ = _PREDICATES[q]
    pct = ratio.scale(Fraction(100))
    shown = (fmt(pct.lo) if pct.is_point and pct.lo is not None else fmt_interval(pct)) + "%"
    head = f"{part.text} / {whole.text} = {shown}"
    label = q.value.replace("_", " ")
    if held:
        return f"{head} {symbol} ({label}) ✓", {"ratio": fmt_interval(ratio)}, ()
    return f"{head}, not {symbol}: not '{label}'", {"ratio": fmt_interval(ratio)}, ()


# -- examples: dates drawn in order, then written at a day's, a month's or a year's precision

def _order_oracle(s: Scenario) -> Verdict:
    from kzfacts._examples.scenario import WrittenDate

    dates = []
    for ref in s.rule["sequence"]:
        written = s.fact[ref].written
        assert isinstance(written, WrittenDate)
        dates.append(written.date)
    for a, b in pairwise(dates):
        # a may be before b if a's first possible day is not after b's last possible day
        first, last = a.first_day, b.last_day
        if first > last or (s.rule["strict"] and first >= last):
            return Verdict.FAIL
    return Verdict.PASS


def _order_examples() -> SearchStrategy[Scenario]:
    import datetime as dt

    from hypothesis import strategies as st

    from kzfacts._examples.scenario import Mutant, Scenario, ScenarioFact, WrittenDate
    from kzfacts.strategies import labelled
    from kzfacts.values.numbers import DateValue

    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        strict = draw(st.booleans())
        # each date a gap after the one before: often none (or one day, if strict)
        days = [draw(st.dates(dt.date(1991, 1, 1), dt.date(2020, 12, 31)))]
        for _ in range(draw(st.integers(1, 3))):
            gap = draw(st.one_of(st.just(int(strict)), st.integers(int(strict), 3_000)))
            days.append(days[-1] + dt.timedelta(days=gap))
        ids = labelled("order", len(days))
        made: list[ScenarioFact] = []
        for (i, label), day in zip(ids, days, strict=True):
            precision = draw(st.sampled_from(["day", "month", "year"]))
            value = (DateValue(day.year, day.month, day.day) if precision == "day" else
                     DateValue(day.year, day.month) if precision == "month" else
                     DateValue(day.year))
            made.append(ScenarioFact(i, FactKind.DATE, label,
                                     WrittenDate(value, day_first=draw(st.booleans()))))
        rule: dict[str, Any] = {"sequence": [i for i, _ in ids], "strict": strict}
        s = Scenario("order", tuple(made), rule, _order_oracle)
        swapped = replace(s, rule={**rule, "sequence": [ids[1][0], ids[0][0],
                                                        *(i for i, _ in ids[2:])]})
        return replace(s, structural=(Mutant("the first two dates swapped in the rule", swapped,
                                             change="order"),))

    return build()


_TESTS: dict[Quantifier, Callable[[Fraction], bool]] = {
    Quantifier.MORE_THAN_HALF: lambda r: r > Fraction(1, 2),
    Quantifier.MOST: lambda r: r > Fraction(1, 2),
    Quantifier.MAJORITY: lambda r: r > Fraction(1, 2),
    Quantifier.AT_LEAST_HALF: lambda r: r >= Fraction(1, 2),
    Quantifier.MINORITY: lambda r: r < Fraction(1, 2),
    Quantifier.ALL: lambda r: r == 1,
    Quantifier.NONE: lambda r: r == 0,
}


def _quantifier_oracle(s: Scenario) -> Verdict:
    whole = s.fact[s.rule["whole"]].number.value
    if whole == 0:
        return Verdict.SKIP
    ratio = s.fact[s.rule["part"]].number.value / whole
    return Verdict.PASS if _TESTS[Quantifier(s.rule["quantifier"])](ratio) else Verdict.FAIL


def _quantifier_examples() -> SearchStrategy[Scenario]:
    from hypothesis import strategies as st

    from kzfacts._examples.scenario import Mutant, Scenario, ScenarioFact, Written, unit_swap
    from kzfacts.strategies import counts, labelled

    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        q = draw(st.sampled_from(list(Quantifier)))
        whole = draw(counts(min_value=1, max_value=100_000))
        n = whole.digits
        low, high = {Quantifier.AT_LEAST_HALF: ((n + 1) // 2, n),
                     Quantifier.MINORITY: (0, (n - 1) // 2), Quantifier.ALL: (n, n),
                     Quantifier.NONE: (0, 0)}.get(q, (n // 2 + 1, n))
        part = Written(draw(st.one_of(st.just(low), st.just(high), st.integers(low, high))),
                       grouped=draw(st.booleans()))  # at the threshold, often
        ids = labelled("quantifier", 3)
        made = [ScenarioFact(ids[0][0], FactKind.COUNT, ids[0][1], whole, "person"),
                ScenarioFact(ids[1][0], FactKind.COUNT, ids[1][1], part, "person")]
        rule: dict[str, Any] = {"part": ids[1][0], "whole": ids[0][0], "quantifier": q.value}
        if draw(st.booleans()):
            made.append(ScenarioFact(ids[2][0], FactKind.STATEMENT, ids[2][1], None))
            rule["claim"] = ids[2][0]
        s = Scenario("quantifier", tuple(made), rule, _quantifier_oracle)
        swapped = s.replace_fact(unit_swap(made[0], "case"))
        return replace(s, structural=(Mutant("the whole counts cases", swapped, "error", "unit"),))

    return build()
