"""Examples of sum, bound and series: consistent fact sets, built from their parts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction

from hypothesis import strategies as st

from kzfacts._examples.scenario import (
    Mutant,
    Scenario,
    ScenarioFact,
    Written,
    admits,
    by_conventions,
    partial_conflict,
    partial_period,
    unit_swap,
)
from kzfacts._examples.written import counts, labelled
from kzfacts.data.model import FactKind, Verdict
from kzfacts.engine.kinds.common import Relation
from kzfacts.values.numbers import Qualifier

__all__ = ["bound_examples", "series_examples", "sum_examples"]


def _counts_at(kind: str, values: list[Written], *, year: int | None, first: int = 0,
               ) -> list[ScenarioFact]:
    ids = labelled(kind, first + len(values))[first:]
    period, words = (None, "") if year is None else (str(year), f"in {year}")
    if year is not None:  # "in 1995 is 1995" would state the number twice: group it
        values = [replace(w, grouped=True) for w in values]
    return [ScenarioFact(i, FactKind.COUNT, label, w, "person", period, words)
            for (i, label), w in zip(ids, values, strict=True)]


def _with_period_and_unit_mutants(s: Scenario, extra: list[Mutant]) -> Scenario:
    """Add the mutants every linear kind shares: a fact in another unit (a data error),
    a fact restated for part of its year (the rule must not compare it)."""
    first = s.facts[0]
    out = [*extra, Mutant(f"{first.id} counts cases, not persons",
                          s.replace_fact(unit_swap(first, "case")), "error", "unit")]
    if first.period is not None:
        part = s.replace_fact(partial_period(first))
        out.append(Mutant(f"{first.id} covers January to April only", part, change="period"))
    return replace(s, structural=tuple(out))


def _sum_oracle(s: Scenario) -> Verdict:
    if partial_conflict(s.facts):
        return Verdict.SKIP
    parts = sum((s.fact[i].number.value for i in s.rule["parts"]), Fraction(0))
    total = s.fact[s.rule["total"]].number
    if s.rule["relation"] == Relation.EQ.value:
        return by_conventions(lambda c: admits(total, parts, c))
    assert total.exact
    return Verdict.PASS if parts <= total.value else Verdict.FAIL


def sum_examples() -> st.SearchStrategy[Scenario]:
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
    if partial_conflict(s.facts):
        return Verdict.SKIP
    left = sum((s.fact[i].number.value for i in s.rule["left"]), Fraction(0))
    right = sum((s.fact[i].number.value for i in s.rule["right"]), Fraction(0))
    return Verdict.PASS if _RELATE[Relation(s.rule["relation"])](left, right) else Verdict.FAIL


def bound_examples() -> st.SearchStrategy[Scenario]:
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


def series_examples() -> st.SearchStrategy[Scenario]:
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
