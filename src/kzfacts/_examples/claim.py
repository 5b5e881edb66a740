"""Examples of claim, per_period and rates_agree: claims drawn with counts that bear them
out, totals built from a figure per period, amounts built from one rate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from kzfacts._examples.order import _TESTS as QUANTIFIER_TESTS
from kzfacts._examples.scenario import Mutant, Scenario, ScenarioFact, Written, unit_swap
from kzfacts._examples.written import counts, labelled
from kzfacts.data.model import ClaimWord, FactKind, Verdict
from kzfacts.engine.kinds.claim import DOUBLED_LOOSELY
from kzfacts.engine.kinds.common import Relation
from kzfacts.engine.kinds.order import Quantifier

__all__ = ["claim_examples", "per_period_examples", "rates_agree_examples"]

_TRENDS: dict[ClaimWord, Callable[[Fraction, Fraction], bool]] = {
    ClaimWord.INCREASED: lambda b, a: a > b,
    ClaimWord.DECREASED: lambda b, a: a < b,
    ClaimWord.UNCHANGED: lambda b, a: a == b,
    ClaimWord.DOUBLED: lambda b, a: a >= 2 * b,
}


def _claim_oracle(s: Scenario) -> Verdict:
    word = ClaimWord(s.fact[s.rule["claim"]].claim or "")
    if word is ClaimWord.NONE:
        zero = all(s.fact[i].number.value == 0 for i in s.rule["counts"])
        return Verdict.PASS if zero else Verdict.FAIL
    if "part" in s.rule:
        whole = s.fact[s.rule["whole"]].number.value
        if whole == 0:
            return Verdict.SKIP
        ratio = s.fact[s.rule["part"]].number.value / whole
        return Verdict.PASS if QUANTIFIER_TESTS[Quantifier(word.value)](ratio) else Verdict.FAIL
    before = s.fact[s.rule["before"]].number.value
    after = s.fact[s.rule["after"]].number.value
    if _TRENDS[word](before, after):
        return Verdict.PASS
    if word is ClaimWord.DOUBLED and after >= DOUBLED_LOOSELY * before:
        return Verdict.WARN
    return Verdict.FAIL


def _count(fact_id: str, label: str, digits: int, year: int | None = None) -> ScenarioFact:
    period, words = (None, "") if year is None else (str(year), f"in {year}")
    return ScenarioFact(fact_id, FactKind.COUNT, label, Written(digits), "person", period, words)


def claim_examples() -> st.SearchStrategy[Scenario]:
    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        word = draw(st.sampled_from(list(ClaimWord)))
        ids = labelled("claim", 4)
        rule: dict[str, Any] = {"claim": ids[0][0]}
        year = draw(st.integers(2001, 2030))
        structural: list[Mutant] = []
        if word is ClaimWord.NONE:
            n = draw(st.integers(1, 2))
            made = [_count(i, label, 0, year) for i, label in ids[1:1 + n]]
            rule["counts"] = [f.id for f in made]
            claim = ScenarioFact(ids[0][0], FactKind.STATEMENT, ids[0][1], None,
                                 period=str(year), period_words=f"in {year}", claim=word.value)
            s = Scenario("claim", (claim, *made), rule, _claim_oracle)
            other = replace(made[0], period=str(year - 1), period_words=f"in {year - 1}")
            structural.append(Mutant("a count of the year before", s.replace_fact(other),
                                     "error", "period"))
        elif word in _TRENDS:
            before = draw(st.integers(1, 50_000))
            low, high = {ClaimWord.INCREASED: (before + 1, 2 * before + 5),
                         ClaimWord.DECREASED: (0, before - 1),
                         ClaimWord.UNCHANGED: (before, before),
                         ClaimWord.DOUBLED: (2 * before, 3 * before)}[word]
            after = draw(st.one_of(st.just(low), st.integers(low, high)))
            made = [_count(ids[1][0], ids[1][1], before, year - 1),
                    _count(ids[2][0], ids[2][1], after, year)]
            rule.update(before=ids[1][0], after=ids[2][0])
            claim = ScenarioFact(ids[0][0], FactKind.STATEMENT, ids[0][1], None, claim=word.value)
            s = Scenario("claim", (claim, *made), rule, _claim_oracle)
        else:
            whole = draw(counts(min_value=1, max_value=100_000))
            n = whole.digits
            low, high = {ClaimWord.AT_LEAST_HALF: ((n + 1) // 2, n),
                         ClaimWord.MINORITY: (0, (n - 1) // 2),
                         ClaimWord.ALL: (n, n)}.get(word, (n // 2 + 1, n))
            part = Written(draw(st.one_of(st.just(low), st.integers(low, high))),
                           grouped=draw(st.booleans()))
            made = [ScenarioFact(ids[1][0], FactKind.COUNT, ids[1][1], whole, "person"),
                    ScenarioFact(ids[2][0], FactKind.COUNT, ids[2][1], part, "person")]
            rule.update(part=ids[2][0], whole=ids[1][0])
            claim = ScenarioFact(ids[0][0], FactKind.STATEMENT, ids[0][1], None, claim=word.value)
            s = Scenario("claim", (claim, *made), rule, _claim_oracle)
        if word is not ClaimWord.NONE:
            structural.append(Mutant("the first count counts cases", s.replace_fact(
                unit_swap(made[0], "case")), "error", "unit"))
        return replace(s, structural=tuple(structural))

    return build()


def _per_period_oracle(s: Scenario) -> Verdict:
    each = s.fact[s.rule["each"]].number.value
    total = s.fact[s.rule["total"]].number.value
    period = s.fact[s.rule["total"]].period
    if "periods" in s.rule:
        n = s.rule["periods"]
    else:
        assert period is not None
        first, last = (int(y) for y in period.split("/"))
        n = last - first + 1
    relation = Relation(s.rule.get("relation", "eq"))
    ok = {Relation.EQ: total == n * each, Relation.LE: total <= n * each,
          Relation.GE: total >= n * each}[relation]
    return Verdict.PASS if ok else Verdict.FAIL


def per_period_examples() -> st.SearchStrategy[Scenario]:
    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        each = draw(st.integers(0, 100_000))
        n = draw(st.integers(2, 12))
        relation = draw(st.sampled_from([Relation.EQ, Relation.LE, Relation.GE]))
        total = {Relation.EQ: n * each,
                 Relation.LE: draw(st.integers(0, n * each)),
                 Relation.GE: draw(st.integers(n * each, n * each + 1_000))}[relation]
        ids = labelled("per_period", 2)
        first = draw(st.integers(1995, 2015))
        given = draw(st.booleans())  # the number of periods written in the rule, or the period's
        made = (ScenarioFact(ids[0][0], FactKind.COUNT, ids[0][1], Written(each), "person",
                             period_words="each year"),
                ScenarioFact(ids[1][0], FactKind.COUNT, ids[1][1], Written(total), "person",
                             None if given else f"{first}/{first + n - 1}",
                             "" if given else f"from {first} to {first + n - 1}"))
        rule: dict[str, Any] = {"each": ids[0][0], "total": ids[1][0],
                                "relation": relation.value}
        if given:
            rule["periods"] = n
        s = Scenario("per_period", made, rule, _per_period_oracle)
        return replace(s, structural=(Mutant("the total counts cases", s.replace_fact(
            unit_swap(made[1], "case")), "error", "unit"),))

    return build()


def _rates_oracle(s: Scenario) -> Verdict:
    rates = set()
    for pair in s.rule["pairs"]:
        result = s.fact[pair["result"]].number.value
        if result == 0:
            return Verdict.SKIP
        rates.add(s.fact[pair["amount"]].number.value / result)
    return Verdict.PASS if len(rates) == 1 else Verdict.FAIL


def rates_agree_examples() -> st.SearchStrategy[Scenario]:
    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        rate = draw(st.integers(1, 500))
        n = draw(st.integers(2, 3))
        ids = labelled("rates_agree", 2 * n)
        made: list[ScenarioFact] = []
        pairs = []
        for k in range(n):
            result = draw(st.integers(1, 20_000))
            (a_id, a_label), (r_id, r_label) = ids[2 * k], ids[2 * k + 1]
            made += [ScenarioFact(a_id, FactKind.MONEY, a_label, Written(rate * result), "EUR"),
                     ScenarioFact(r_id, FactKind.MONEY, r_label, Written(result), "CHF")]
            pairs.append({"amount": a_id, "result": r_id})
        s = Scenario("rates_agree", tuple(made), {"pairs": pairs}, _rates_oracle)
        return replace(s, structural=(Mutant("a result in euros", s.replace_fact(
            unit_swap(made[1], "EUR")), "error", "unit"),))

    return build()
