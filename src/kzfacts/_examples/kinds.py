"""The examples of every built-in rule kind: what :func:`kzfacts.strategies.scenarios`
draws for a kind that defines no ``examples()`` of its own.

Each kind's consistent fact sets are built from their parts (totals from their parts, shares
correctly rounded from a part and a whole, conversions at a dated rate), each with an oracle
that states the verdict independently of the engine, and the structural mutants that must
change it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from itertools import pairwise
from typing import Any

from hypothesis import strategies as st

from kzfacts._examples.scenario import (
    Mutant,
    Scenario,
    ScenarioFact,
    Written,
    WrittenDate,
    admits,
    by_conventions,
    partial_conflict,
    partial_period,
    unit_swap,
)
from kzfacts._examples.written import counts, labelled, written_near
from kzfacts.data.model import ClaimWord, FactKind, Verdict
from kzfacts.engine.kind import RuleKind
from kzfacts.engine.kinds.across import PerPeriodKind, RatesAgreeKind
from kzfacts.engine.kinds.arith import BoundKind, SeriesKind, SumKind
from kzfacts.engine.kinds.claim import DOUBLED_LOOSELY, ClaimKind
from kzfacts.engine.kinds.common import Relation
from kzfacts.engine.kinds.money import ConversionKind, MeanWithinKind
from kzfacts.engine.kinds.order import OrderKind, Quantifier, QuantifierKind
from kzfacts.engine.kinds.share import ShareKind
from kzfacts.values.numbers import DateValue, Qualifier

__all__ = ["BUILTIN_EXAMPLES"]


# -- sum, bound and series: consistent fact sets, built from their parts.

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


# -- share: a part and a whole, then the share correctly rounded from them.

HUNDRED = Fraction(100)


def _share_oracle(s: Scenario) -> Verdict:
    share = s.fact[s.rule["share"]].number
    whole = s.fact[s.rule["whole"]].number.value
    if whole == 0:
        return Verdict.SKIP
    if "part" in s.rule:
        ratio = HUNDRED * s.fact[s.rule["part"]].number.value / whole
        return by_conventions(lambda c: admits(share, ratio, c))
    # GRIM by brute force: is there a whole count k of the whole that the share admits?
    # Only counts within one unit of the share's last digit can be (rounded or truncated),
    # so the search runs over those: every k with |100k/n - v| <= q.
    assert share.qualifier.value == "exact"
    n = int(whole)
    v, q = share.value, share.quantum
    first, last = max(0, int((v - q) * n / HUNDRED) - 1), min(n, int((v + q) * n / HUNDRED) + 1)
    return by_conventions(lambda c: any(admits(share, HUNDRED * k / n, c)
                                        for k in range(first, last + 1)))


def share_examples() -> st.SearchStrategy[Scenario]:
    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        whole = draw(counts(min_value=1, max_value=10_000))
        part = Written(draw(st.integers(0, whole.digits)), grouped=draw(st.booleans()))
        decimals = draw(st.integers(0, 2))
        share = written_near(HUNDRED * part.value / whole.value, decimals=decimals,
                             percent=True, comma=decimals > 0 and draw(st.booleans()))
        with_part = draw(st.booleans())
        ids = labelled("share", 3)
        made = [ScenarioFact(ids[0][0], FactKind.COUNT, ids[0][1], whole, "person"),
                ScenarioFact(ids[1][0], FactKind.SHARE, ids[1][1], share, "percent")]
        rule = {"share": ids[1][0], "whole": ids[0][0]}
        if with_part:
            made.append(ScenarioFact(ids[2][0], FactKind.COUNT, ids[2][1], part, "person"))
            rule["part"] = ids[2][0]
        s = Scenario("share", tuple(made), rule, _share_oracle)
        if with_part:
            swapped = s.replace_fact(unit_swap(made[0], "case"))
            bound = draw(st.sampled_from([Qualifier.MORE_THAN, Qualifier.LESS_THAN]))
            if share.digits == 0:
                bound = Qualifier.MORE_THAN  # "less than 0%" admits nothing
            qualified = s.replace_fact(replace(
                made[1], written=replace(share, qualifier=bound)))
            s = replace(s, structural=(
                Mutant("the whole counts cases, the part persons", swapped, "error", "unit"),
                Mutant(f"the share becomes '{bound.value.replace('_', ' ')}' it", qualified,
                       change="qualifier")))
        return s

    return build()


# -- conversion and mean_within: an amount, a dated rate table, the converted sum rounded as
# written; a mean drawn inside its range, at its edges often.

def _rate_on(s: Scenario) -> Fraction:
    """The rate in force on the rule's date: the latest entry that took effect by then."""
    on = s.rule["rate"]["on"]
    entries = s.reference["tables"]["base_amount"]["entries"] if s.reference else []
    in_force = [e for e in entries if e["effective_from"] <= on]  # ISO dates sort as text
    return Fraction(max(in_force, key=lambda e: e["effective_from"])["value"])


def _conversion_oracle(s: Scenario) -> Verdict:
    computed = s.fact[s.rule["amount"]].number.value * _rate_on(s)
    result = s.fact[s.rule["result"]].number
    return by_conventions(lambda c: admits(result, computed, c))


def _no_unit_word(fact: ScenarioFact, unit: str) -> ScenarioFact:
    return replace(fact, unit=unit, written=replace(fact.number, unit_word=""))


def conversion_examples() -> st.SearchStrategy[Scenario]:
    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        starts = sorted(draw(st.sets(st.dates(dt.date(2000, 1, 1), dt.date(2025, 12, 31)),
                                     min_size=1, max_size=3)))
        values = draw(st.lists(st.integers(500, 5_000), min_size=len(starts),
                               max_size=len(starts)))
        i = draw(st.integers(0, len(starts) - 1))
        end = starts[i + 1] if i + 1 < len(starts) else starts[i] + dt.timedelta(days=366)
        on = draw(st.dates(starts[i], end - dt.timedelta(days=1)))
        amount = draw(counts(min_value=1, max_value=100_000, unit_word=" BA"))
        computed = amount.value * values[i]
        scale = draw(st.sampled_from([1, 10**3, 10**6]))
        if scale == 1 or computed < scale:
            result = Written(int(computed), grouped=draw(st.booleans()), unit_word=" euros")
        else:
            result = written_near(computed, decimals=draw(st.integers(0, 2)), scale=scale,
                                  unit_word=" euros")
        ids = labelled("conversion", 2)
        made = (ScenarioFact(ids[0][0], FactKind.INDEX, ids[0][1], amount, "BA"),
                ScenarioFact(ids[1][0], FactKind.MONEY, ids[1][1], result, "EUR"))
        reference = {"tables": {"base_amount": {"unit": "EUR/BA", "description": "the base amount in euros",
                                        "entries": [{"value": v, "effective_from": str(d),
                                                     "confidence": "official",
                                                     "source_url": "https://example.org/base-amount"}
                                                    for d, v in zip(starts, values, strict=True)]}}}
        rule: dict[str, Any] = {"amount": ids[0][0], "result": ids[1][0],
                                "rate": {"table": "base_amount", "on": str(on)}}
        s = Scenario("conversion", made, rule, _conversion_oracle, reference)
        structural = [Mutant("the result in Swiss francs",
                             s.replace_fact(_no_unit_word(made[1], "CHF")), "error", "unit")]
        for j, start in enumerate(starts):
            if j != i:
                moved = replace(s, rule={**rule, "rate": {"table": "base_amount", "on": str(start)}},
                                structural=())
                structural.append(Mutant(f"the rate of {start} instead", moved, change="rate"))
        return replace(s, structural=tuple(structural))

    return build()


def _mean_oracle(s: Scenario) -> Verdict:
    count = s.fact[s.rule["count"]].number.value
    if count == 0:
        return Verdict.SKIP
    mean = s.fact[s.rule["total"]].number.value / count
    low, high = (s.fact[s.rule[k]].number.value for k in ("low", "high"))
    return Verdict.PASS if low <= mean <= high else Verdict.FAIL


def mean_within_examples() -> st.SearchStrategy[Scenario]:
    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        count = draw(counts(min_value=1, max_value=1_000))
        low = draw(counts(max_value=100_000))
        high = Written(low.digits + draw(st.integers(0, 100_000)), grouped=draw(st.booleans()))
        spread = count.digits * (high.digits - low.digits)
        at = draw(st.one_of(st.just(0), st.just(spread), st.integers(0, spread)))  # edges too
        total = Written(count.digits * low.digits + at,
                        grouped=draw(st.booleans()), unit_word=" euros")
        ids = labelled("mean_within", 4)
        made = tuple(ScenarioFact(i, kind, label, w, unit) for (i, label), (kind, w, unit)
                     in zip(ids, [(FactKind.MONEY, total, "EUR"), (FactKind.COUNT, count, "person"),
                                  (FactKind.MONEY, low, "EUR"), (FactKind.MONEY, high, "EUR")],
                            strict=True))
        rule = {"total": ids[0][0], "count": ids[1][0], "low": ids[2][0], "high": ids[3][0]}
        s = Scenario("mean_within", made, rule, _mean_oracle)
        swapped = s.replace_fact(_no_unit_word(made[2], "CHF"))
        return replace(s, structural=(Mutant("the low end in Swiss francs", swapped, "error", "unit"),))

    return build()


# -- order and quantifier: dates drawn in order, then written at a day's, a month's or a
# year's precision; parts of a whole at a quantifier's threshold.

def _order_oracle(s: Scenario) -> Verdict:
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


def order_examples() -> st.SearchStrategy[Scenario]:
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


def _admitted(n: int, quantifier: str) -> tuple[int, int]:
    """The fewest and most of a whole of ``n`` that a quantifier (or the claim of its name)
    admits."""
    return {"at_least_half": ((n + 1) // 2, n), "minority": (0, (n - 1) // 2), "all": (n, n),
            "none": (0, 0)}.get(quantifier, (n // 2 + 1, n))


def _part_of_whole(s: Scenario, quantifier: str) -> Verdict:
    whole = s.fact[s.rule["whole"]].number.value
    if whole == 0:
        return Verdict.SKIP
    ratio = s.fact[s.rule["part"]].number.value / whole
    return Verdict.PASS if _TESTS[Quantifier(quantifier)](ratio) else Verdict.FAIL


def _quantifier_oracle(s: Scenario) -> Verdict:
    return _part_of_whole(s, s.rule["quantifier"])


def quantifier_examples() -> st.SearchStrategy[Scenario]:
    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        q = draw(st.sampled_from(list(Quantifier)))
        whole = draw(counts(min_value=1, max_value=100_000))
        low, high = _admitted(whole.digits, q)
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


# -- claim, per_period and rates_agree: claims drawn with counts that bear them out, totals
# built from a figure per period, amounts built from one rate.

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
        return _part_of_whole(s, word.value)
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
            low, high = _admitted(whole.digits, word)
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


#: Each built-in kind's consistent scenarios.
BUILTIN_EXAMPLES: dict[type[RuleKind], Callable[[], st.SearchStrategy[Scenario]]] = {
    SumKind: sum_examples,
    BoundKind: bound_examples,
    SeriesKind: series_examples,
    ShareKind: share_examples,
    ConversionKind: conversion_examples,
    MeanWithinKind: mean_within_examples,
    OrderKind: order_examples,
    QuantifierKind: quantifier_examples,
    ClaimKind: claim_examples,
    PerPeriodKind: per_period_examples,
    RatesAgreeKind: rates_agree_examples,
}
