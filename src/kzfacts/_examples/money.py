"""Examples of conversion and mean_within: an amount, a dated rate table, the converted sum
rounded as written; a mean drawn inside its range, at its edges often."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from kzfacts._examples.scenario import (
    Mutant,
    Scenario,
    ScenarioFact,
    Written,
    admits,
    by_conventions,
)
from kzfacts._examples.written import counts, labelled, written_near
from kzfacts.data.model import FactKind, Verdict

__all__ = ["conversion_examples", "mean_within_examples"]


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
