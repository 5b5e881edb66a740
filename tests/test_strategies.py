"""kzfacts.strategies: what the public strategies build, and the registration of kinds.

The laws themselves (every kind passes on its sets, mutants get the oracle's answer) are
in test_laws.py; here, that the strategies build what they promise: facts the source
supports, consistent sets built from their parts, mutants one unit away.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import kzfacts
import kzfacts.testing
from kzfacts import FactKind, Verdict
from kzfacts import strategies as kst
from kzfacts._examples.scenario import SCENARIO_UNITS, outcome
from kzfacts.data.source import SourceText, anchor_fact
from kzfacts.engine.kind import KINDS
from kzfacts.engine.kinds.arith import BoundKind

ROOT = Path(__file__).resolve().parents[1]
KIND_NAMES = sorted(kzfacts.available_kinds())
END_TO_END = kzfacts.testing.end_to_end_settings(fraction=8)  # as in test_laws.py
#: For ``find``: the first example drawn that satisfies the condition, not shrunk (the tests
#: below ask for an example, not the simplest one).
FIRST = settings(database=None, phases=[Phase.generate])


# -- facts of every kind --------------------------------------------------------------------

@pytest.mark.parametrize("kind", list(FactKind))
@given(data=st.data())
def test_every_fact_is_supported_by_its_sentence(kind: FactKind, data: st.DataObject) -> None:
    fact = data.draw(kst.facts(kind=kind), label="fact")
    model = kzfacts.Fact.model_validate({**fact.record(), "paragraph": 1})
    source = SourceText.from_text(f"1. {fact.sentence}.\n")
    paragraph = source.paragraphs[1]
    anchor = anchor_fact(model, source, unit_words=SCENARIO_UNITS["words"])
    assert anchor.problems == ()
    assert model.kind is kind
    if fact.written is not None:  # every number of the sentence is the fact's own words
        assert anchor.written_span is not None
        w0, w1 = anchor.written_span
        for span in kzfacts.find_numbers(paragraph.text):
            assert w0 <= paragraph.start + span.start and paragraph.start + span.end <= w1


def test_facts_of_any_kind_cover_every_kind() -> None:

    for kind in FactKind:
        assert find(kst.facts(), lambda f, k=kind: f.kind is k,  # type: ignore[misc]
                    settings=FIRST).kind is kind


@given(kst.shares())
def test_shares_are_percentages_from_0_to_100(w: kst.Written) -> None:
    assert 0 <= w.value <= 100
    assert w.text.endswith("%")
    assert w.decimals <= 2


@given(kst.amounts())
def test_amounts_are_rounded_sums_with_scale_words(w: kst.Written) -> None:
    assert re.search(r"\b(thousand|million|billion)$", w.text)
    assert not w.exact
    assert w.quantum >= Fraction(10)


# -- consistent sets, built from their parts -------------------------------------------------

@given(kst.scenarios())
def test_scenarios_are_consistent_and_self_contained(s: kst.Scenario) -> None:
    assert s.expected is Verdict.PASS
    ids = [f.id for f in s.facts]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith(s.kind + ".") for i in ids)
    sentences = [f.sentence for f in s.facts]
    assert all(sentences.count(x) == 1 for x in sentences)
    for key in ("parts", "total", "share", "whole", "part", "amount", "result", "count", "low",
                "high", "left", "right", "sequence", "claim"):
        refs = s.rule.get(key, [])
        for ref in [refs] if isinstance(refs, str) else refs:
            if "{year}" not in ref:
                assert ref in s.fact, (key, ref)


@given(kst.scenarios(kind="share"))
def test_share_scenarios_round_their_percentage_correctly(s: kst.Scenario) -> None:
    whole = s.fact["share.alpha"].number
    share = s.fact["share.beta"].number
    if "part" in s.rule:
        ratio = 100 * s.fact[s.rule["part"]].number.value / whole.value
        assert share.value == kst.round_half_up(ratio, share.quantum)
        assert share.value - share.quantum / 2 <= ratio < share.value + share.quantum / 2


@given(kst.scenarios(kind="conversion"))
def test_conversion_scenarios_convert_at_the_rate_in_force(s: kst.Scenario) -> None:
    on = s.rule["rate"]["on"]
    assert s.reference is not None
    entries = sorted(s.reference["tables"]["base_amount"]["entries"], key=lambda e: e["effective_from"])
    in_force = [e for e in entries if e["effective_from"] <= on][-1]
    later = [e for e in entries if e["effective_from"] > on]
    assert all(e["effective_from"] > in_force["effective_from"] for e in later)
    computed = s.fact["conversion.alpha"].number.value * in_force["value"]
    result = s.fact["conversion.beta"].number
    assert result.value == kst.round_half_up(computed, result.quantum)


# -- mutants: one place, one unit ----------------------------------------------------------

@given(kst.scenarios())
def test_digit_mutants_change_one_fact_by_one_unit(s: kst.Scenario) -> None:
    mutants = s.mutants()
    assert mutants
    for m in mutants:
        changed = [(a, b) for a, b in zip(s.facts, m.scenario.facts, strict=True) if a != b]
        if m.change != "digit":
            assert m in s.structural
            continue
        assert m.scenario.rule == s.rule
        [(before, after)] = changed
        assert before.written is not None and after.written is not None
        assert after.written.text != before.written.text
        if isinstance(before.written, kst.Written):
            assert isinstance(after.written, kst.Written)
            assert abs(after.written.value - before.written.value) == before.written.quantum
        elif isinstance(before.written, kst.WrittenDate):
            assert isinstance(after.written, kst.WrittenDate)
            a, b = before.written.date, after.written.date
            assert (a.month is None) == (b.month is None) and (a.day is None) == (b.day is None)


@given(kst.scenarios())
def test_structural_mutants_say_what_they_change(s: kst.Scenario) -> None:
    for m in s.structural:
        assert m.description
        assert m.change in ("unit", "period", "qualifier", "rate", "order")
        if m.change == "unit":
            assert m.expected == "error"
        if m.change in ("rate", "order"):
            assert m.scenario.rule != s.rule
        else:
            assert m.scenario.facts != s.facts


def test_mutants_strategy_draws_from_the_scenarios_mutants() -> None:

    s = find(kst.scenarios(kind="sum"), lambda s: len(s.facts) >= 3, settings=FIRST)
    m = find(kst.mutants(s), lambda m: m.expected == "error", settings=FIRST)
    assert m in s.mutants()
    assert outcome([m.scenario]) == {"sum": "error"}


# -- registration: a kind comes with its examples ------------------------------------------

def _as_toy(s: kst.Scenario) -> kst.Scenario:
    structural = tuple(dataclasses.replace(m, scenario=dataclasses.replace(m.scenario,
                                                                           kind="toy_bound"))
                       for m in s.structural)
    return dataclasses.replace(s, kind="toy_bound", structural=structural)


class ToyKind(BoundKind):
    """A plugin's kind: a bound by another name, with its own examples."""

    name: ClassVar[str] = "toy_bound"

    @classmethod
    def examples(cls) -> st.SearchStrategy[kst.Scenario]:
        made = kst.examples_of(BoundKind)
        assert made is not None
        return made.map(_as_toy)


class NoExamplesKind(BoundKind):
    """A plugin's kind without examples: a bound by another name."""

    name: ClassVar[str] = "toy_bare"


def test_a_kind_may_come_without_examples() -> None:
    """examples() is optional: such a kind is registered and checks rules; scenarios()
    leaves it out, and refuses to draw it by name, saying why."""
    kzfacts.available_kinds()
    try:
        kzfacts.rule_kind(NoExamplesKind)
        assert kst.examples_of(NoExamplesKind) is None
        with pytest.raises(InvalidArgument, match=r"kind='toy_bare': the kind defines no examples"):
            kst.scenarios(kind="toy_bare")
        with pytest.raises(InvalidArgument, match=r"kind='nonesuch': expected a registered"):
            kst.scenarios(kind="nonesuch")
        drawn = {find(kst.scenarios(), lambda s, k=k: s.kind == k,  # type: ignore[misc]
                      settings=FIRST).kind
                 for k in ("sum", "order")}
        assert drawn == {"sum", "order"}
    finally:
        KINDS.pop("toy_bare", None)


@given(data=st.data())
@END_TO_END
def test_a_plugin_kind_is_held_to_the_same_laws(data: st.DataObject) -> None:
    kzfacts.available_kinds()
    try:
        kzfacts.rule_kind(ToyKind)
        s = data.draw(kst.scenarios(kind="toy_bound"))
        assert s.kind == "toy_bound"
        assert outcome([s]) == {"toy_bound": Verdict.PASS}
        m = data.draw(kst.mutants(s))
        assert outcome([m.scenario]) == {"toy_bound": m.expected}
    finally:
        KINDS.pop("toy_bound", None)


def test_every_builtin_kind_has_examples() -> None:
    """The law tests cover every built-in kind: each has its scenarios, of its own kind."""

    assert {k.name for k in kzfacts.BUILTIN_KINDS} == set(KIND_NAMES)
    for kind in kzfacts.BUILTIN_KINDS:
        strategy = kst.examples_of(kind)
        assert isinstance(strategy, st.SearchStrategy), kind.name
        assert find(strategy, lambda _: True, settings=FIRST).kind == kind.name


def test_checking_never_imports_hypothesis() -> None:
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kzfacts.cli", "check", "--facts",
         str(ROOT / "facts"), "--rules", str(ROOT / "rules"), "--baseline",
         str(ROOT / "baseline.yaml")], capture_output=True, text=True, check=False, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "kzfacts.engine.kinds.arith" in run.stderr  # the kinds were imported...
    assert "hypothesis" not in run.stderr  # ...and Hypothesis was not,
    assert "kzfacts._examples" not in run.stderr  # nor the kinds' examples


# -- the documentation -----------------------------------------------------------------

def test_every_public_strategy_is_documented() -> None:
    doc = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    for name in kst.__all__:
        assert f"`{name}" in doc, name
    for name in kzfacts.testing.__all__:
        assert f"`{name}" in doc, name
    for kind in KIND_NAMES:
        assert f"`{kind}`" in doc, kind
