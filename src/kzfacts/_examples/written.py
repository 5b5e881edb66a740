"""Hypothesis strategies of numbers and dates as a document writes them, with their precision.

Public through :mod:`kzfacts.strategies`; the kinds' examples (beside this module) draw
their facts from them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

from hypothesis import strategies as st

from kzfacts._examples.scenario import LABELS, Written, WrittenDate
from kzfacts.values.numbers import DateValue, Qualifier

__all__ = ["amounts", "counts", "dates", "labelled", "round_half_up", "shares", "written_near",
           "written_numbers"]


def round_half_up(x: Fraction, quantum: Fraction) -> Fraction:
    """``x`` rounded to a multiple of ``quantum``, halves up (how documents round)."""
    return ((x / quantum + Fraction(1, 2)).__floor__()) * quantum


def written_near(x: Fraction, *, decimals: int = 0, scale: int = 1, percent: bool = False,
                 comma: bool = False, unit_word: str = "") -> Written:
    """``x`` correctly rounded to ``decimals`` places of ``scale`` and written so."""
    quantum = Fraction(scale, 10**decimals)
    digits = round_half_up(x, quantum) / quantum
    assert digits.denominator == 1
    return Written(int(digits), decimals=decimals, scale=scale, percent=percent, comma=comma,
                   grouped=not comma, unit_word=unit_word)


def counts(*, min_value: int = 0, max_value: int = 100_000, unit_word: str = ""
           ) -> st.SearchStrategy[Written]:
    """A count written in full: "9", "4,780", "10169" (exact)."""
    return st.builds(Written, st.integers(min_value, max_value), grouped=st.booleans(),
                     unit_word=st.just(unit_word))


def shares(*, decimals: Sequence[int] = (0, 1, 2)) -> st.SearchStrategy[Written]:
    """A percentage from 0% to 100% at 0-2 decimals: "14%", "7.8%", "3,7%", "0.05%"."""

    @st.composite
    def build(draw: st.DrawFn) -> Written:
        d = draw(st.sampled_from(list(decimals)))
        digits = draw(st.integers(0, 100 * 10**d))
        comma = d > 0 and draw(st.booleans())
        return Written(digits, decimals=d, percent=True, comma=comma, grouped=False)

    return build()


def amounts(*, unit_word: str = "") -> st.SearchStrategy[Written]:
    """A sum with scale words: "54.5 million", "33 thousand", "2 million 750 thousand"."""
    scaled = st.builds(Written, st.integers(1, 9_999), decimals=st.integers(0, 2),
                       scale=st.sampled_from([10**3, 10**6, 10**9]), grouped=st.just(False),
                       unit_word=st.just(unit_word))
    compound = st.builds(lambda hi, lo, scale: Written(hi * 1000 + lo, scale=scale,
                                                        compound=True, unit_word=unit_word),
                         st.integers(1, 999), st.integers(1, 999),
                         st.sampled_from([10**3, 10**6]))
    return st.one_of(scaled, compound)


def written_numbers() -> st.SearchStrategy[Written]:
    """Any number the reader reads: counts, shares, sums, decimals, with or without a
    qualifier ("more than 5,300", "up to 15")."""
    decimals = st.builds(Written, st.integers(0, 10**6), decimals=st.integers(1, 3),
                         grouped=st.booleans())
    plain = st.one_of(counts(max_value=10**9), shares(), amounts(), decimals)
    qualifier = st.sampled_from([Qualifier.EXACT, Qualifier.MORE_THAN, Qualifier.AT_LEAST,
                                 Qualifier.UP_TO, Qualifier.LESS_THAN, Qualifier.ABOUT])
    return st.builds(_qualified, plain, qualifier)


def _qualified(w: Written, q: Qualifier) -> Written:
    if q is Qualifier.LESS_THAN and w.digits == 0:  # "less than 0" admits nothing
        q = Qualifier.UP_TO
    return replace(w, qualifier=q)


def dates(*, min_year: int = 1991, max_year: int = 2030) -> st.SearchStrategy[WrittenDate]:
    """A date known to the day, the month or the year, written in any of the forms the
    reader knows ("July 19, 2021", "19 July 2021", "July 2021", "2021")."""

    @st.composite
    def build(draw: st.DrawFn) -> WrittenDate:
        day = draw(st.dates(min_value=dt.date(min_year, 1, 1),
                            max_value=dt.date(max_year, 12, 31)))
        precision = draw(st.sampled_from(["day", "month", "year"]))
        value = (DateValue(day.year, day.month, day.day) if precision == "day"
                 else DateValue(day.year, day.month) if precision == "month"
                 else DateValue(day.year))
        return WrittenDate(value, day_first=draw(st.booleans()))

    return build()


def labelled(kind: str, n: int) -> list[tuple[str, str]]:
    """``n`` (fact id, label) pairs for a kind's scenario: ``("sum.alpha", "alpha")``."""
    return [(f"{kind}.{label}", label) for label in LABELS[:n]]
