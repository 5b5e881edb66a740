"""The laws of the engine, as properties.

* Every rule kind passes on every consistent fact set its strategy builds, and on every
  one-place change (a last digit moved by one unit, a unit, period, qualifier or dated
  rate swapped) it answers what an independent oracle says: it fails whenever the change
  leaves the interval the words admit.
* The share rule's whole counts agree with a brute-force search, for every whole up to
  10,000 and every precision from 0 to 2 decimals, rounded and truncated.
* The number reader reads back what the library writes, value and precision; the
  interval of a written number holds exactly the values that round (or truncate) to it.
* Verdicts do not depend on the order of files, facts or rules.
* The JSON report round-trips through the report model.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import kzfacts
import kzfacts.testing
from kzfacts import Interval, Qualifier, Verdict, admissible_counts, read_number
from kzfacts import strategies as kst
from kzfacts._examples.scenario import SCENARIO_UNITS, Scenario, outcome, write_scenarios
from kzfacts.engine.kinds.common import fmt
from kzfacts.engine.result import Report
from kzfacts.reports.report import render_json

KINDS = sorted(kzfacts.available_kinds())
UNIT_WORDS = SCENARIO_UNITS["words"]

#: Properties whose every example writes and checks a fact base run an eighth of the quick
#: profile's examples (25 per kind and law: 275 fact bases of every law), and all of the
#: thorough profile's (10,000 per kind).
END_TO_END = kzfacts.testing.end_to_end_settings(fraction=8)


# -- every rule kind: consistent sets pass, mutants get the oracle's answer ---------------

@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
@END_TO_END
def test_every_kind_passes_on_every_consistent_set(kind: str, data: st.DataObject) -> None:
    scenario = data.draw(kst.scenarios(kind=kind), label="scenario")
    assert scenario.expected is Verdict.PASS
    assert outcome([scenario]) == {kind: Verdict.PASS}


@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
@END_TO_END
def test_every_kind_answers_each_mutant_as_the_oracle_does(kind: str,
                                                           data: st.DataObject) -> None:
    scenario = data.draw(kst.scenarios(kind=kind), label="scenario")
    mutant = data.draw(kst.mutants(scenario), label="mutant")
    got = outcome([mutant.scenario])
    assert got == {kind: mutant.expected}, mutant.description
    if mutant.expected is Verdict.FAIL:  # the change left the interval: never a pass
        assert got[kind] is Verdict.FAIL


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_mutants_that_must_fail(kind: str) -> None:
    """The oracles are not vacuous: each kind's strategy breaks its sets, in several ways."""
    from hypothesis import Phase, find
    from hypothesis import settings as hsettings

    s = find(kst.scenarios(kind=kind),
             lambda s: any(m.expected is Verdict.FAIL for m in s.mutants()),
             settings=hsettings(database=None, max_examples=500, phases=[Phase.generate]))
    failing = [m for m in s.mutants() if m.expected is Verdict.FAIL]
    assert outcome([failing[0].scenario]) == {kind: Verdict.FAIL}


# -- the share rule against brute force -----------------------------------------------------

def _brute(n: int, digits: int, decimals: int, convention: str) -> list[int]:
    """Every k in 0..n whose percentage, rounded half up (or truncated) to ``decimals``
    places, is written with these ``digits``: plain integer arithmetic, no intervals."""
    scale = 100 * 10**decimals
    if convention == "round":
        return [k for k in range(n + 1) if (2 * k * scale + n) // (2 * n) == digits]
    return [k for k in range(n + 1) if (k * scale) // n == digits]


@given(n=st.integers(1, 10_000), decimals=st.integers(0, 2), k=st.integers(0, 10_000),
       shift=st.integers(-3, 3))
def test_share_counts_agree_with_brute_force(n: int, decimals: int, k: int, shift: int) -> None:
    k = min(k, n)
    scale = 100 * 10**decimals
    # the share some count rounds to, or one a few units of its last digit away
    digits = min(max((2 * k * scale + n) // (2 * n) + shift, 0), scale)
    whole, frac = divmod(digits, 10**decimals)
    text = f"{whole}.{frac:0{decimals}d}%" if decimals else f"{whole}%"
    reading = read_number(text)
    assert reading.decimals == decimals
    for convention in ("round", "truncate"):
        got = list(admissible_counts(reading.interval(convention=convention), n))
        assert got == _brute(n, digits, decimals, convention), (text, n, convention)


def test_share_counts_of_the_document() -> None:
    """5 of 64 persons is 7.8125%: "7.8%" admits 5 and no other count of 64."""
    assert list(admissible_counts(read_number("7.8%").interval(), 64)) == [5] == \
        _brute(64, 78, 1, "round")


# -- the number reader --------------------------------------------------------------------

@given(kst.written_numbers())
@example(kst.Written(78, decimals=1, percent=True))
@example(kst.Written(545, decimals=1, scale=10**6))
@example(kst.Written(2750, scale=1000, compound=True))
@example(kst.Written(10169))
def test_reading_what_the_library_writes_gives_value_and_precision(w: kst.Written) -> None:
    r = read_number(w.text, unit_words=UNIT_WORDS)
    assert Fraction(r.value) == w.value
    assert Fraction(r.quantum) == w.quantum
    assert r.qualifier is w.qualifier
    assert r.exact is w.exact
    assert r.unit == ("percent" if w.percent else None)


def _round_to(x: Fraction, w: kst.Written, convention: str) -> bool:
    """Whether ``x`` written at ``w``'s precision gives ``w``: computed by rounding x.
    Written numbers carry no sign, so only ``x >= 0`` is written so."""
    if x < 0:
        return False
    q = w.quantum
    written = kst.round_half_up(x, q) if convention == "round" else (x / q).__floor__() * q
    return written == w.value


@given(kst.written_numbers(), st.fractions(min_value=-2, max_value=2),
       st.sampled_from(["round", "truncate"]))
def test_the_interval_holds_exactly_the_values_that_round_to_it(
        w: kst.Written, offset: Fraction, convention: str) -> None:
    r = read_number(w.text, unit_words=UNIT_WORDS)
    interval = r.interval(convention=convention)  # type: ignore[arg-type]
    v, q = w.value, w.quantum
    for x in (v + offset * q, v - q / 2, v + q / 2, v + q, v):  # the edges, and a point near
        if w.qualifier is Qualifier.EXACT and not w.exact:
            assert interval.contains(x) == _round_to(x, w, convention), (w.text, x)
        else:
            assert interval.contains(x) == kst.admits(w, x, convention), (w.text, x)  # type: ignore[arg-type]


@given(st.integers(0, 10**12) | st.builds(lambda n, d: Fraction(n, 10**d),
                                          st.integers(0, 10**9), st.integers(1, 2)))
def test_fmt_writes_what_the_reader_reads_back(x: int | Fraction) -> None:
    text = fmt(x)
    assert Fraction(read_number(text).value) == x


# -- order independence and the report round trip -----------------------------------------

def _all_kinds() -> st.SearchStrategy[list[Scenario]]:
    """One scenario of every kind, each consistent or one of its mutants (not a data error,
    which would stop the whole check)."""
    def one(kind: str) -> st.SearchStrategy[Scenario]:
        def pick(s: Scenario) -> st.SearchStrategy[Scenario]:
            checked = [m.scenario for m in s.mutants() if m.expected != "error"]
            return st.sampled_from([s, *checked])

        return kst.scenarios(kind=kind).flatmap(pick)

    return st.tuples(*(one(k) for k in KINDS)).map(list)


def _check(scenarios: list[Scenario], seed: int | None) -> Report:
    rnd = random.Random(seed)  # noqa: S311 - shuffles test data, no secret

    def shuffle(items: list[object]) -> list[object]:
        return rnd.sample(items, len(items))

    with tempfile.TemporaryDirectory() as tmp:
        facts, rules = write_scenarios(Path(tmp), scenarios,
                                       shuffle=None if seed is None else shuffle)
        return kzfacts.check(facts, rules, baseline=None)


@given(_all_kinds(), st.integers(0, 2**32), st.integers(0, 2**32))
@END_TO_END
def test_verdicts_do_not_depend_on_the_order_of_files_facts_or_rules(
        scenarios: list[Scenario], seed1: int, seed2: int) -> None:
    first, second = _check(scenarios, seed1), _check(scenarios, seed2)
    assert [(r.rule, r.verdict, r.message, r.intervals) for r in first.results] == \
        [(r.rule, r.verdict, r.message, r.intervals) for r in second.results]
    assert (first.counts, first.exit_code) == (second.counts, second.exit_code)
    assert {r.rule: r.verdict for r in first.results} == {s.kind: s.expected for s in scenarios}


@given(_all_kinds())
@END_TO_END
def test_the_json_report_round_trips_through_the_report_model(
        scenarios: list[Scenario]) -> None:
    report = _check(scenarios, None)
    text = render_json(report)
    again = Report.from_dict(text)
    assert again == report
    assert render_json(again) == text


def test_interval_of_a_rounded_share_is_half_open() -> None:
    """A concrete anchor for the properties above: "7.8%" is [7.75, 7.85)."""
    assert read_number("7.8%").interval() == Interval(Fraction(775, 100), Fraction(785, 100),
                                                      True, False)


def test_found_by_the_laws_a_conversion_of_nothing_is_a_finding_not_a_crash(
        check_base: Callable[..., Report], make_fact: Callable[..., dict[str, Any]]) -> None:
    """0 MCI × 500 KZT/MCI against 3,000 tenge: the implied rate once divided by the amount
    and crashed the rule; a mutant of the conversion strategy found it."""
    reference = {"tables": {"base_amount": {"unit": "KZT/MCI", "description": "MCI", "entries": [
        {"value": 500, "effective_from": "2020-01-01", "confidence": "official",
         "source_url": "https://example.org/base-amount"}]}}}
    report = check_base(
        ["The fine was 0 MCI, that is 3,000 tenge."],
        {1: [make_fact("fine", 0, "MCI", "The fine was 0 MCI", "0 MCI", kind="index"),
             make_fact("fine.kzt", 3000, "KZT", "that is 3,000 tenge", "3,000 tenge",
                       kind="money")]},
        [{"id": "r", "kind": "conversion", "title": "the fine in euros", "severity": "error",
          "paragraphs": [1], "why": "a test", "amount": "fine", "result": "fine.kzt",
          "rate": {"table": "base_amount", "on": "2021-01-01"}}],
        reference=reference)
    result = report.result("r")
    assert result.verdict is Verdict.FAIL
    assert "implied rate none" in result.message


def test_found_by_the_laws_less_than_zero_is_not_a_number() -> None:
    """"less than 0" admits no count: it once read, then its interval raised ValueError."""
    with pytest.raises(kzfacts.ReadError, match="less than"):
        read_number("less than 0")
    assert read_number("less than 0.5").interval() == Interval(Fraction(0), Fraction(1, 2),
                                                               True, False)


def test_found_by_the_laws_a_rounded_zero_is_not_negative() -> None:
    """"0 million euros" admitted -500,000 euros, and a conversion into it crashed on the
    negative end; a written number carries no sign, so its true value is at least 0."""
    assert read_number("0 million").interval() == Interval(Fraction(0), Fraction(500_000),
                                                           True, False)
    assert read_number("0.0%").interval() == Interval(Fraction(0), Fraction(5, 100), True, False)
