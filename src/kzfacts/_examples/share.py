"""Examples of share: a part and a whole, then the share correctly rounded from them."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from hypothesis import strategies as st

from kzfacts._examples.scenario import (
    Mutant,
    Scenario,
    ScenarioFact,
    Written,
    admits,
    by_conventions,
    unit_swap,
)
from kzfacts._examples.written import counts, labelled, written_near
from kzfacts.data.model import FactKind, Verdict
from kzfacts.values.numbers import Qualifier

__all__ = ["share_examples"]

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
            qualified = s.replace_fact(dataclasses.replace(
                made[1], written=dataclasses.replace(share, qualifier=bound)))
            s = dataclasses.replace(s, structural=(
                Mutant("the whole counts cases, the part persons", swapped, "error", "unit"),
                Mutant(f"the share becomes '{bound.value.replace('_', ' ')}' it", qualified,
                       change="qualifier")))
        return s

    return build()
