"""The examples of every built-in rule kind: what :func:`kzfacts.strategies.scenarios`
draws for a kind that defines no ``examples()`` of its own."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import strategies as st

from kzfacts._examples.arith import bound_examples, series_examples, sum_examples
from kzfacts._examples.claim import claim_examples, per_period_examples, rates_agree_examples
from kzfacts._examples.money import conversion_examples, mean_within_examples
from kzfacts._examples.order import order_examples, quantifier_examples
from kzfacts._examples.scenario import Scenario
from kzfacts._examples.share import share_examples
from kzfacts.engine.kind import RuleKind
from kzfacts.engine.kinds.across import PerPeriodKind, RatesAgreeKind
from kzfacts.engine.kinds.arith import BoundKind, SeriesKind, SumKind
from kzfacts.engine.kinds.claim import ClaimKind
from kzfacts.engine.kinds.money import ConversionKind, MeanWithinKind
from kzfacts.engine.kinds.order import OrderKind, QuantifierKind
from kzfacts.engine.kinds.share import ShareKind

__all__ = ["BUILTIN_EXAMPLES"]

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
