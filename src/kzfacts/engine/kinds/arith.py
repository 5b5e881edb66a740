"""sum, bound and series: linear relations between counts, sums and totals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kzfacts._record import Record, set_slot
from kzfacts.data.model import FactKind, RuleSpec, Verdict
from kzfacts.engine.compile import (
    CompileContext,
    Explanation,
    Operand,
    Outcome,
    RuleKind,
    fmt,
    fmt_interval,
    period_conflict,
)
from kzfacts.engine.kinds.common import TRUNCATION_NOTE, Relation, holds, under_conventions
from kzfacts.errors import ReadError
from kzfacts.values.interval import Interval
from kzfacts.values.numbers import Convention, Qualifier, read_number

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from kzfacts._examples.scenario import Mutant, Scenario, ScenarioFact, Written

__all__ = ["BoundKind", "SeriesKind", "SumKind"]


class Term(BaseModel):
    """A part of a sum: a fact, optionally times an exact coefficient with units, negated."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fact: str
    times: str | None = Field(None, description="an exact coefficient such as '1 person/case'")
    negate: bool = False


class _YearTerm(NamedTuple):
    """A series' term for one year: what :func:`_compile_side` reads of a :class:`Term`."""

    fact: str
    times: str | None
    negate: bool


def _term(v: object) -> object:
    return {"fact": v} if isinstance(v, str) else v


class _Linear(Record):
    """Σ coefficient × operand, in one unit."""

    _fields = ("terms", "unit", "ints")
    # and, worked out once: the intervals per convention, the text, the operands, and
    # whether one of them covers only part of a year (then periods are compared)
    __slots__ = (*_fields, "_intervals", "_text", "operands", "partial")
    terms: tuple[tuple[Fraction, Operand, str], ...]  # (coefficient, operand, written form)
    unit: str | None
    # (coefficient, value) of every term, when every coefficient is whole and every operand
    # a whole number written in full (Reading.point): then the side is that one integer
    # under either convention, and rules compare ints instead of intervals
    ints: tuple[tuple[int, int], ...] | None
    _intervals: dict[str, Interval]
    _text: str
    operands: tuple[Operand, ...]
    partial: bool

    def __init__(self, terms: tuple[tuple[Fraction, Operand, str], ...], unit: str | None,
                 ints: tuple[tuple[int, int], ...] | None = None) -> None:
        set_slot(self, "terms", terms)
        set_slot(self, "unit", unit)
        set_slot(self, "ints", ints)
        set_slot(self, "_intervals", {})
        if len(terms) == 1 and terms[0][0].numerator >= 0:  # one fact alone: its words
            out = terms[0][2]
        else:
            out = ""
            for i, (coef, _, written) in enumerate(terms):
                negative = coef.numerator < 0
                out += (f" {'−' if negative else '+'} " if i else ("−" if negative else "")
                        ) + written
        operands = tuple(o for _, o, _ in terms)
        set_slot(self, "_text", out)
        set_slot(self, "operands", operands)
        set_slot(self, "partial", any(o.partial for o in operands))

    def interval(self, convention: Convention) -> Interval:
        known = self._intervals.get(convention)
        if known is None:
            known = self._intervals[convention] = self._sum(convention)
        return known

    def _sum(self, convention: Convention) -> Interval:
        total: Interval | None = None
        for coef, operand, _ in self.terms:
            term = operand.interval(convention).scale(coef)
            total = term if total is None else total + term
        if total is None:
            return Interval.point(0)
        if (total.lo is None and total.lo_closed) or (total.hi is None and total.hi_closed):
            return Interval.point(0) + total  # 0 + x: an infinite side is open, as in a sum
        return total

    def total(self) -> int:
        """The side's value when :attr:`ints` is set."""
        assert self.ints is not None
        out = 0
        for coef, value in self.ints:
            out += value if coef == 1 else coef * value
        return out

    @property
    def exact(self) -> bool:
        return all(o.reading.exact for _, o, _ in self.terms)

    def text(self) -> str:
        return self._text


def _compile_side(ctx: CompileContext, items: Sequence[Term | _YearTerm], path: str,
                  target: str | None = None) -> _Linear:
    """Resolve terms; every term (× its coefficient) must have the target's dimension."""
    units = ctx.base.units
    if len(items) == 1 and path != "parts" and items[0].times is None:
        # one fact alone, the commonest side: what the loop below does for it, in short
        term = items[0]
        operand = ctx.operand(term.fact, (path,))
        unit = operand.unit
        to = target or unit
        if to is None or unit is None or (unit == to and units.same_dimension(unit, to)):
            coef = _MINUS_ONE if term.negate else _ONE
            value = operand.reading.point
            return _Linear(((coef, operand, operand.text),), to,
                           None if value is None else ((coef.numerator, value),))
    resolved: list[tuple[Fraction, Operand, str | None, str]] = []
    several = len(items) > 1 or path == "parts"
    for i, term in enumerate(items):
        where: tuple[str | int, ...] = (path, i) if several else (path,)
        operand = ctx.operand(term.fact, where)
        coef, unit, written = _MINUS_ONE if term.negate else _ONE, operand.unit, operand.text
        if term.times is not None:
            number, _, unit_text = term.times.strip().partition(" ")
            try:
                k = Fraction(read_number(number).value)
            except ReadError as exc:
                raise ctx.error((*where, "times"), "a coefficient such as '1 person/case'",
                                str(exc)) from None
            if unit_text and (not units.known(unit_text) or operand.unit is None):
                raise ctx.error((*where, "times"), "a unit expression of the units file",
                                repr(unit_text))
            coef *= k
            if unit_text:
                unit = f"({operand.unit}) * ({unit_text})"
            written = f"{written} × {term.times}"
        resolved.append((coef, operand, unit, written))
    unit = target or next((u for _, _, u, _ in resolved if u is not None), None)
    if unit is not None and any(u is not None and not units.same_dimension(u, unit)
                                for _, _, u, _ in resolved):
        # the located error, with the paths of the terms (built only when it is raised)
        checked = [(Operand(o.label, o.text, u, o.reading, o.fact_id, o.period),
                    (path, i)) for i, (_, o, u, _) in enumerate(resolved)]
        ctx.require_same_dimension(checked, to=unit)
    terms = tuple((coef * ctx.factor(u, unit) if u and unit and u != unit else coef, o, w)
                  for coef, o, u, w in resolved)
    ints: list[tuple[int, int]] | None = []
    for coef, o, _ in terms:
        value = o.reading.point
        if value is None or coef.denominator != 1 or ints is None:
            ints = None
            break
        ints.append((coef.numerator, value))
    return _Linear(terms, unit, None if ints is None else tuple(ints))


_ONE = Fraction(1)
_MINUS_ONE = Fraction(-1)


def _compare(left: _Linear, relation: Relation, right: _Linear) -> Outcome:
    if left.partial or right.partial:
        conflict = period_conflict(left.operands + right.operands)
        if conflict:
            return Outcome(Verdict.SKIP, f"not compared: {conflict}")
    if left.ints is not None and right.ints is not None:
        # Both sides are single integers, the same under either convention: the relation
        # holds for both or for neither (pass or fail, never warn).
        lv, rv = left.total(), right.total()
        verdict = _PASS if _INT_HOLDS[relation](lv, rv) else _FAIL
        return _later(verdict, lambda: _int_text(left, relation, right, lv, rv))
    verdict, _ = under_conventions(
        lambda c: holds(relation, left.interval(c), right.interval(c)))
    return Outcome.later(verdict, lambda: _text(left, relation, right, verdict))


def _text(left: _Linear, relation: Relation, right: _Linear, verdict: Verdict) -> Explanation:
    lv, rv = left.interval("round"), right.interval("round")
    computed = fmt_interval(lv)
    intervals = {"left": computed, "right": fmt_interval(rv)}
    shown = left.text() if len(left.terms) == 1 else f"{left.text()} = {computed}"
    if verdict is Verdict.PASS:
        if relation is Relation.EQ and lv.is_point and lv == rv and len(left.terms) > 1:
            return f"{left.text()} = {right.text()} ✓", intervals, ()
        return f"{shown} {relation.symbol} {right.text()} ✓", intervals, ()
    if verdict is Verdict.WARN:
        return (f"{shown} {relation.symbol} {right.text()} only if truncated", intervals,
                (TRUNCATION_NOTE,))
    gap = _gap(lv, rv, relation)
    op = "" if relation is Relation.EQ else f"{relation.symbol} "
    return f"{shown}, not {op}{right.text()}{gap}", intervals, ()


def _int_text(left: _Linear, relation: Relation, right: _Linear, lv: int, rv: int,
              ) -> Explanation:
    """:func:`_text` for two integer sides: the same words, without intervals."""
    computed = f"{lv:,}"
    intervals = {"left": computed, "right": f"{rv:,}"}
    symbol = _SYMBOL[relation]
    several = len(left.terms) > 1
    shown = f"{left.text()} = {computed}" if several else left.text()
    if _INT_HOLDS[relation](lv, rv):
        if relation is Relation.EQ and several:
            return f"{left.text()} = {right.text()} ✓", intervals, ()
        return f"{shown} {symbol} {right.text()} ✓", intervals, ()
    if lv < rv and relation in _SHORT:
        gap = f": {rv - lv:,} short"
    elif lv > rv and relation in _OVER:
        gap = f": {lv - rv:,} over"
    else:
        gap = ""
    op = "" if relation is Relation.EQ else f"{symbol} "
    return f"{shown}, not {op}{right.text()}{gap}", intervals, ()


_PASS, _FAIL = Verdict.PASS, Verdict.FAIL
_later = Outcome.later
_SYMBOL = {r: r.symbol for r in Relation}
_SHORT = frozenset({Relation.EQ, Relation.GE, Relation.GT})
_OVER = frozenset({Relation.EQ, Relation.LE, Relation.LT})
_INT_HOLDS: dict[Relation, Callable[[int, int], bool]] = {
    Relation.EQ: int.__eq__, Relation.LE: int.__le__, Relation.LT: int.__lt__,
    Relation.GE: int.__ge__, Relation.GT: int.__gt__,
}


def _gap(left: Interval, right: Interval, relation: Relation) -> str:
    """": 3 short" / ": 2 over" when both sides are exact; the distance otherwise."""
    if left.hi is not None and right.lo is not None and left.hi < right.lo and relation in (
            Relation.EQ, Relation.GE, Relation.GT):
        return f": {fmt(right.lo - left.hi)} short"
    if left.lo is not None and right.hi is not None and left.lo > right.hi and relation in (
            Relation.EQ, Relation.LE, Relation.LT):
        return f": {fmt(left.lo - right.hi)} over"
    return ""


class SumSpec(RuleSpec):
    """parts (relation) total: ``eq`` for a partition, ``le`` for an "including" list."""

    parts: tuple[Term, ...] = Field(min_length=1)
    total: str
    relation: Relation = Relation.EQ

    @field_validator("parts", mode="before")
    @classmethod
    def _parts(cls, v: Any) -> Any:
        return [_term(p) for p in v] if isinstance(v, list) else v


class SumKind(RuleKind):
    name: ClassVar[str] = "sum"
    Spec: ClassVar[type[RuleSpec]] = SumSpec

    @classmethod
    def compile(cls, spec: RuleSpec, ctx: CompileContext) -> Callable[[], Outcome]:
        assert isinstance(spec, SumSpec)
        total = _compile_side(ctx, [Term(fact=spec.total)], "total")
        parts = _compile_side(ctx, spec.parts, "parts", target=total.unit)
        return lambda: _compare(parts, spec.relation, total)

    @classmethod
    def examples(cls) -> SearchStrategy[Scenario]:
        return _sum_examples()


def _side(v: Any) -> Any:
    return [v] if isinstance(v, str | dict) else v


class BoundSpec(RuleSpec):
    """left (relation) right; each side a fact id or a list of ids, summed."""

    left: tuple[Term, ...] = Field(min_length=1)
    relation: Relation
    right: tuple[Term, ...] = Field(min_length=1)

    @field_validator("left", "right", mode="before")
    @classmethod
    def _sides(cls, v: Any) -> Any:
        return [_term(t) for t in _side(v)] if isinstance(v, str | list | dict) else v


def _bound(ctx: CompileContext, left: Sequence[Term | _YearTerm],
           right: Sequence[Term | _YearTerm],
           relation: Relation) -> Callable[[], Outcome]:
    r = _compile_side(ctx, right, "right")
    lhs = _compile_side(ctx, left, "left", target=r.unit)
    return lambda: _compare(lhs, relation, r)


class BoundKind(RuleKind):
    name: ClassVar[str] = "bound"
    Spec: ClassVar[type[RuleSpec]] = BoundSpec

    @classmethod
    def compile(cls, spec: RuleSpec, ctx: CompileContext) -> Callable[[], Outcome]:
        assert isinstance(spec, BoundSpec)
        return _bound(ctx, spec.left, spec.right, spec.relation)

    @classmethod
    def examples(cls) -> SearchStrategy[Scenario]:
        return _bound_examples()


class SeriesSpec(BoundSpec):
    """A bound applied in every year: ``{year}`` in the ids stands for each year."""

    years: tuple[int, int]

    @field_validator("years")
    @classmethod
    def _ordered(cls, v: tuple[int, int]) -> tuple[int, int]:
        if v[0] > v[1]:
            raise ValueError(f"years as [first, last], found {list(v)}")
        return v


_ORDER = [Verdict.FAIL, Verdict.WARN, Verdict.PASS, Verdict.SKIP]
_RANK = {v: i for i, v in enumerate(_ORDER)}


class SeriesKind(RuleKind):
    name: ClassVar[str] = "series"
    Spec: ClassVar[type[RuleSpec]] = SeriesSpec

    @classmethod
    def compile(cls, spec: RuleSpec, ctx: CompileContext) -> Callable[[], Outcome]:
        assert isinstance(spec, SeriesSpec)
        if not any("{year}" in t.fact for t in (*spec.left, *spec.right)):
            raise ctx.error(("left",), "ids with {year} in them",
                            repr([t.fact for t in spec.left]))
        checks = []
        for year in range(spec.years[0], spec.years[1] + 1):
            left = [_YearTerm(t.fact.replace("{year}", str(year)), t.times, t.negate)
                    for t in spec.left]
            right = [_YearTerm(t.fact.replace("{year}", str(year)), t.times, t.negate)
                     for t in spec.right]
            checks.append((year, _bound(ctx, left, right, spec.relation)))

        def evaluate() -> Outcome:
            outcomes = [(year, check()) for year, check in checks]
            worst = min((o.verdict for _, o in outcomes), key=_RANK.__getitem__)

            def explain() -> Explanation:
                shown = sorted(outcomes, key=lambda yo: _RANK[yo[1].verdict])
                message = "; ".join(f"{year}: {o.message}" for year, o in shown)
                notes = tuple(dict.fromkeys(n for _, o in outcomes for n in o.notes))
                intervals = {f"{y}.{k}": v for y, o in outcomes for k, v in o.intervals.items()}
                return message, intervals, notes

            return Outcome.later(worst, explain)

        return evaluate

    @classmethod
    def examples(cls) -> SearchStrategy[Scenario]:
        return _series_examples()


# -- examples: consistent fact sets, built from their parts ---------------------------------

def _counts_at(kind: str, values: list[Written], *, year: int | None, first: int = 0,
               ) -> list[ScenarioFact]:
    from kzfacts._examples.scenario import ScenarioFact
    from kzfacts.strategies import labelled

    ids = labelled(kind, first + len(values))[first:]
    period, words = (None, "") if year is None else (str(year), f"in {year}")
    if year is not None:  # "in 1995 is 1995" would state the number twice: group it
        values = [replace(w, grouped=True) for w in values]
    return [ScenarioFact(i, FactKind.COUNT, label, w, "person", period, words)
            for (i, label), w in zip(ids, values, strict=True)]


def _with_period_and_unit_mutants(s: Scenario, extra: list[Mutant]) -> Scenario:
    """Add the mutants every linear kind shares: a fact in another unit (a data error),
    a fact restated for part of its year (the rule must not compare it)."""
    from kzfacts._examples.scenario import Mutant, partial_period, unit_swap
    first = s.facts[0]
    out = [*extra, Mutant(f"{first.id} counts cases, not persons",
                          s.replace_fact(unit_swap(first, "case")), "error", "unit")]
    if first.period is not None:
        part = s.replace_fact(partial_period(first))
        out.append(Mutant(f"{first.id} covers January to April only", part, change="period"))
    return replace(s, structural=tuple(out))


def _sum_oracle(s: Scenario) -> Verdict:
    from kzfacts._examples.scenario import admits, by_conventions, partial_conflict

    if partial_conflict(s.facts):
        return Verdict.SKIP
    parts = sum((s.fact[i].number.value for i in s.rule["parts"]), Fraction(0))
    total = s.fact[s.rule["total"]].number
    if s.rule["relation"] == Relation.EQ.value:
        return by_conventions(lambda c: admits(total, parts, c))
    assert total.exact
    return Verdict.PASS if parts <= total.value else Verdict.FAIL


def _sum_examples() -> SearchStrategy[Scenario]:
    from hypothesis import strategies as st

    from kzfacts._examples.scenario import Mutant, Scenario, Written
    from kzfacts.strategies import counts

    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        parts = draw(st.lists(counts(max_value=20_000), min_size=1, max_size=5))
        relation = draw(st.sampled_from([Relation.EQ, Relation.LE]))
        extra = 0 if relation is Relation.EQ else draw(st.integers(0, 100))
        total = Written(sum(p.digits for p in parts) + extra, grouped=draw(st.booleans()))
        year = draw(st.none() | st.integers(1995, 2030))
        facts = _counts_at("sum", [*parts, total], year=year)
        rule = {"parts": [f.id for f in facts[:-1]], "total": facts[-1].id,
                "relation": relation.value}
        s = Scenario("sum", tuple(facts), rule, _sum_oracle)
        extra_mutants = []
        if relation is Relation.EQ:
            more = s.replace_fact(replace(facts[-1], written=replace(
                total, qualifier=Qualifier.MORE_THAN)))
            extra_mutants.append(Mutant("the total becomes 'more than' it", more,
                                        change="qualifier"))
        return _with_period_and_unit_mutants(s, extra_mutants)

    return build()


_RELATE: dict[Relation, Callable[[Fraction, Fraction], bool]] = {
    Relation.EQ: lambda a, b: a == b, Relation.LE: lambda a, b: a <= b,
    Relation.LT: lambda a, b: a < b, Relation.GE: lambda a, b: a >= b,
    Relation.GT: lambda a, b: a > b,
}


def _bound_oracle(s: Scenario) -> Verdict:
    from kzfacts._examples.scenario import partial_conflict

    if partial_conflict(s.facts):
        return Verdict.SKIP
    left = sum((s.fact[i].number.value for i in s.rule["left"]), Fraction(0))
    right = sum((s.fact[i].number.value for i in s.rule["right"]), Fraction(0))
    return Verdict.PASS if _RELATE[Relation(s.rule["relation"])](left, right) else Verdict.FAIL


def _bound_examples() -> SearchStrategy[Scenario]:
    from hypothesis import strategies as st

    from kzfacts._examples.scenario import Scenario, Written
    from kzfacts.strategies import counts

    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        relation = draw(st.sampled_from(list(Relation)))
        left = draw(st.lists(counts(max_value=10_000), min_size=1, max_size=3))
        total = sum(w.digits for w in left)
        strict = relation in (Relation.LT, Relation.GT)
        # tight sets (no slack at all) half the time, so that one unit breaks them
        slack = st.one_of(st.just(int(strict)), st.integers(int(strict), 500))
        gap = 0 if relation is Relation.EQ else draw(slack)
        if relation in (Relation.GE, Relation.GT):
            if total < gap:  # nothing is below 0: make the left side reach the gap
                left[0] = replace(left[0], digits=left[0].digits + gap - total)
                total = gap
            right_value = total - gap
        else:
            right_value = total + gap
        right = Written(right_value, grouped=draw(st.booleans()))
        year = draw(st.none() | st.integers(1995, 2030))
        facts = _counts_at("bound", [*left, right], year=year)
        rule = {"left": [f.id for f in facts[:-1]], "relation": relation.value,
                "right": [facts[-1].id]}
        return _with_period_and_unit_mutants(Scenario("bound", tuple(facts), rule, _bound_oracle), [])

    return build()


def _series_oracle(s: Scenario) -> Verdict:
    from kzfacts._examples.scenario import partial_conflict

    first, last = s.rule["years"]
    verdicts = []
    for year in range(first, last + 1):
        left, right = (s.fact[s.rule[side][0].replace("{year}", str(year))]
                       for side in ("left", "right"))
        if partial_conflict([left, right]):
            verdicts.append(Verdict.SKIP)
        else:
            ok = left.number.value <= right.number.value
            verdicts.append(Verdict.PASS if ok else Verdict.FAIL)
    order = [Verdict.FAIL, Verdict.WARN, Verdict.PASS, Verdict.SKIP]
    return min(verdicts, key=order.index)


def _series_examples() -> SearchStrategy[Scenario]:
    from hypothesis import strategies as st

    from kzfacts._examples.scenario import Scenario, ScenarioFact, Written
    from kzfacts.strategies import counts

    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        first = draw(st.integers(1995, 2027))
        years = range(first, first + draw(st.integers(1, 4)))
        facts: list[ScenarioFact] = []
        for year in years:
            low = replace(draw(counts(max_value=50_000)), grouped=True)  # not like a year
            high = Written(low.digits + draw(st.one_of(st.just(0), st.integers(0, 300))))
            for (side, label), w in zip((("left", "alpha"), ("right", "beta")), (low, high),
                                        strict=True):
                facts.append(ScenarioFact(f"series.{side}.{year}", FactKind.COUNT, label, w,
                                          "person", str(year), f"in {year}"))
        rule = {"left": ["series.left.{year}"], "relation": "le",
                "right": ["series.right.{year}"], "years": [years[0], years[-1]]}
        return _with_period_and_unit_mutants(Scenario("series", tuple(facts), rule,
                                                      _series_oracle), [])

    return build()
