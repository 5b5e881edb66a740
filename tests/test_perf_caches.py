"""The memos that make compiling and evaluating cheaper change no answer.

A reading remembers its intervals, a fact base its readings and resolved operands, a unit
system its answers about pairs of units, arithmetic on intervals skips the emptiness check,
and cache entries are written with fewer system calls: each test here is what a wrong
memo (keyed too coarsely, shared when it must not be, skipping a needed check) breaks.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzfacts.engine.check import load
from kzfacts.engine.compile import compile_rules
from kzfacts.engine.evaluate import evaluate
from kzfacts.values.interval import Interval
from kzfacts.values.numbers import Qualifier, Reading
from kzfacts.values.units import unit_system

ROOT = Path(__file__).resolve().parents[1]

# -- intervals: the unchecked constructor only ever makes non-empty intervals --------------

_ends = st.fractions(min_value=-50, max_value=50, max_denominator=7)


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    lo = draw(st.none() | _ends)
    hi = draw(st.none() | _ends)
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    point = lo is not None and lo == hi
    lo_closed = lo is not None and (point or draw(st.booleans()))
    hi_closed = hi is not None and (point or draw(st.booleans()))
    return Interval(lo, hi, lo_closed, hi_closed)


def _checked(iv: Interval) -> Interval:
    """The same interval through the checking constructor (raises if it is empty)."""
    return Interval(iv.lo, iv.hi, iv.lo_closed, iv.hi_closed)


@given(intervals(), intervals(), st.fractions(min_value=-5, max_value=5, max_denominator=4))
def test_arithmetic_without_the_check_makes_only_valid_intervals(a: Interval, b: Interval,
                                                                  k: Fraction) -> None:
    for result in (a + b, -a, a - b, a.scale(k), Interval.point(k)):
        assert _checked(result) == result
    both = a.intersection(b)
    if both is not None:
        assert _checked(both) == both
        assert all(iv.intersects(both) for iv in (a, b))


def test_scale_by_one_and_zero() -> None:
    a = Interval.half_open(1, 2)
    assert a.scale(Fraction(1)) == a
    assert a.scale(Fraction(0)) == Interval.point(0)
    assert Interval.point(Decimal("1.5")).lo == Fraction(3, 2)


# -- a reading's intervals are remembered per convention ------------------------------------

def test_a_reading_remembers_each_convention_apart() -> None:
    r = Reading("14%", 14, Decimal(1), False, "percent")
    assert r.interval(convention="round") == Interval.half_open(Fraction(27, 2), Fraction(29, 2))
    assert r.interval(convention="truncate") == Interval.half_open(14, 15)
    assert r.interval(convention="round") == Interval.half_open(Fraction(27, 2), Fraction(29, 2))
    assert r.interval() is r.interval()  # computed once
    # the memo is no part of a reading's identity
    assert r == Reading("14%", 14, Decimal(1), False, "percent")
    assert hash(r) == hash(Reading("14%", 14, Decimal(1), False, "percent"))
    more = Reading("more than 14%", 14, Decimal(1), False, "percent", Qualifier.MORE_THAN)
    assert more.interval() == Interval.above(14, inclusive=False)


# -- unit answers are remembered per ordered pair --------------------------------------------

def test_unit_answers_are_remembered_per_ordered_pair() -> None:
    units = unit_system(("widget = [widget]", "dozen = 12 * widget", "EUR = [currency_EUR]"))
    assert units.factor("dozen", "widget") == 12
    assert units.factor("widget", "dozen") == Fraction(1, 12)
    assert units.factor("dozen", "widget") == 12
    assert units.same_dimension("widget", "dozen")
    assert not units.same_dimension("widget", "EUR")
    for _ in range(2):  # a refused conversion is refused again, not remembered as a factor
        with pytest.raises(ValueError, match="does not convert"):
            units.factor("widget", "EUR")
    assert units.product_dimension(("EUR", 1), ("widget", -1)) == units.parse(
        "EUR/widget").dimensionality
    assert units.product_dimension(("EUR", 1), ("widget", 1)) != units.parse(
        "EUR/widget").dimensionality


# -- a fact base compiled twice gives what a fresh one gives --------------------------------

def test_compiling_a_fact_base_again_gives_the_same_rules_and_results() -> None:
    base, rules = load(ROOT / "facts", ROOT / "rules")
    first = compile_rules(base, rules)
    again = compile_rules(base, rules)  # every reading now comes from the fact base's memo
    fresh_base, fresh_rules = load(ROOT / "facts", ROOT / "rules")
    fresh = compile_rules(fresh_base, fresh_rules)
    assert [c.fact_ids for c in again] == [c.fact_ids for c in first] == [c.fact_ids for c in fresh]
    assert all(c.fact_ids for c in again)  # a remembered reading still names its fact
    results = evaluate(base, rules, again)
    assert results == evaluate(base, rules, first) == evaluate(fresh_base, fresh_rules, fresh)
    assert {r.verdict.value for r in results} >= {"pass", "fail"}


def test_cache_entries_are_written_whole_and_leave_no_temporary_file(tmp_path: Path) -> None:
    from kzfacts.cli.cache import _store

    big = "é" * 300_000  # more than one write's worth on some systems
    _store(tmp_path / "ab" / "key.json", big)
    assert (tmp_path / "ab" / "key.json").read_text(encoding="utf-8") == big
    _store(tmp_path / "ab" / "key.json", "again")  # replaced, not appended
    assert (tmp_path / "ab" / "key.json").read_text(encoding="utf-8") == "again"
    (tmp_path / "file").write_text("not a folder")
    shutil.rmtree(tmp_path / "ab")  # deleted while the process runs: made again
    _store(tmp_path / "ab" / "key.json", "again")
    _store(tmp_path / "file" / "key.json", "x")  # cannot be written: skipped, no error
    (tmp_path / "ab" / "dir.json").mkdir()  # the temporary file is written, the rename fails
    _store(tmp_path / "ab" / "dir.json", "x")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["ab", "dir.json", "file", "key.json"]
