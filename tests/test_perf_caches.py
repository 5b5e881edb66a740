"""The memos that make compiling and evaluating cheaper change no answer.

A reading remembers its intervals, a fact base its readings and resolved operands (a unit
system's memo is tested in test_units.py): each test here is what a wrong memo (keyed too
coarsely, shared when it must not be) breaks.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from kzfacts.engine.check import load
from kzfacts.engine.compile import compile_rules
from kzfacts.engine.evaluate import evaluate
from kzfacts.values.interval import Interval
from kzfacts.values.numbers import Qualifier, Reading

ROOT = Path(__file__).resolve().parents[1]

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


# -- a changed fact base is a new one, with memos of its own --------------------------------

def test_a_replaced_fact_base_starts_with_empty_memos() -> None:
    import dataclasses

    base, _ = load(ROOT / "facts", ROOT / "rules")
    fact_id, fact = next((i, f) for i, f in base.facts.items() if f.kind == "count")
    assert isinstance(fact.value, int)
    assert base.reading(fact_id).value == fact.value  # now remembered
    assert base.reading(fact_id) is base.reading(fact_id)
    changed = fact.model_copy(update={"value": fact.value + 1})
    other = dataclasses.replace(base, facts={**base.facts, fact_id: changed})
    assert other.reading(fact_id).value == fact.value + 1
    assert base.reading(fact_id).value == fact.value
    assert other._memo == {} and other is not base


# -- a what-if reuses only what its changes leave as it was ---------------------------------

def test_a_what_if_gives_what_a_fresh_base_with_the_same_change_gives() -> None:
    import dataclasses

    from kzfacts.data.factbase import precision_of
    from kzfacts.data.model import NUMERIC_KINDS

    base, rules = load(ROOT / "facts", ROOT / "rules")
    compiled = compile_rules(base, rules)  # the base remembers its operands and series years
    assert any(c.spec.kind == "series" for c in compiled)
    used = sorted({f for c in compiled for f in c.fact_ids
                   if base.facts[f].kind in NUMERIC_KINDS and isinstance(base.facts[f].value, int)})
    assert len(used) > 20
    for fact_id in used:
        fact = base.facts[fact_id]
        assert isinstance(fact.value, int)
        changed = fact.model_copy(update={"value": fact.value + 7})
        reading = precision_of(changed, base.readings.get(fact_id))
        what_if = base.what_if({fact_id: (changed, reading)})
        fresh = dataclasses.replace(base, facts={**base.facts, fact_id: changed})
        fresh._precise[fact_id] = reading
        assert evaluate(what_if, rules, compile_rules(what_if, rules)) == evaluate(
            fresh, rules, compile_rules(fresh, rules)), fact_id
    # the base itself is unchanged by its what-ifs
    assert evaluate(base, rules, compile_rules(base, rules)) == evaluate(base, rules, compiled)
