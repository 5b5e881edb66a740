"""Examples of order and quantifier: dates drawn in order, then written at a day's, a
month's or a year's precision; parts of a whole at a quantifier's threshold."""

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
    unit_swap,
)
from kzfacts._examples.written import counts, labelled
from kzfacts.data.model import FactKind, Verdict
from kzfacts.engine.kinds.order import Quantifier
from kzfacts.values.numbers import DateValue

__all__ = ["order_examples", "quantifier_examples"]


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


def _quantifier_oracle(s: Scenario) -> Verdict:
    whole = s.fact[s.rule["whole"]].number.value
    if whole == 0:
        return Verdict.SKIP
    ratio = s.fact[s.rule["part"]].number.value / whole
    return Verdict.PASS if _TESTS[Quantifier(s.rule["quantifier"])](ratio) else Verdict.FAIL


def quantifier_examples() -> st.SearchStrategy[Scenario]:
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
