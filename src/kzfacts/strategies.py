"""Hypothesis strategies for kzfacts: numbers as written, facts, and consistent fact sets.

Needs Hypothesis, which kzfacts itself does not: install ``kzfacts[strategies]`` (or the
``test`` extra). ``kzfacts check`` never imports this module.

Three layers, each usable alone:

* numbers as a document writes them, with their precision: :func:`counts` ("10,169"),
  :func:`shares` ("7.8%"), :func:`amounts` ("54.5 million euros", "2 million 750
  thousand"), :func:`written_numbers` (any of them, qualifiers included), :func:`dates`;
* facts of every :class:`~kzfacts.FactKind`, each with the sentence that states it:
  :func:`facts`;
* consistent fact sets for every rule kind, built constructively (parts first, then the
  totals, the correctly rounded percentages, the conversions at a dated rate):
  :func:`scenarios`, and the ways to break them by one unit of a last written digit or by
  a swapped unit, period, qualifier or rate: :func:`mutants`.

:func:`scenarios` covers every registered kind: the built-in kinds' scenarios are defined
beside these strategies, and a plugin's kind brings its own (``RuleKind.examples``, optional).

Example::

    from hypothesis import given
    from kzfacts import strategies as kst

    @given(kst.scenarios(kind="share"))
    def test_a_consistent_share_passes(scenario):
        assert scenario.check().result("share").verdict.value == "pass"
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from kzfacts._examples.kinds import BUILTIN_EXAMPLES
from kzfacts._examples.scenario import (
    LABELS,
    Expected,
    Mutant,
    Scenario,
    ScenarioFact,
    Written,
    WrittenDate,
    WrittenRange,
    admits,
    outcome,
    write_scenarios,
)
from kzfacts._examples.written import (
    amounts,
    counts,
    dates,
    labelled,
    round_half_up,
    shares,
    written_near,
    written_numbers,
)
from kzfacts.data.model import FactKind
from kzfacts.engine.kind import RuleKind
from kzfacts.engine.kinds import available_kinds

__all__ = [
    "LABELS",
    "Expected",
    "Mutant",
    "Scenario",
    "ScenarioFact",
    "Written",
    "WrittenDate",
    "WrittenRange",
    "admits",
    "amounts",
    "counts",
    "dates",
    "examples_of",
    "facts",
    "labelled",
    "mutants",
    "outcome",
    "round_half_up",
    "scenarios",
    "shares",
    "write_scenarios",
    "written_near",
    "written_numbers",
]


def _fact_forms() -> dict[FactKind, tuple[str | None, st.SearchStrategy[Any]]]:
    """Each kind's unit and the strategy of its written value."""
    return {
        FactKind.COUNT: ("person", counts()),
        FactKind.SHARE: ("percent", shares()),
        FactKind.MONEY: ("EUR", st.one_of(counts(unit_word=" euros"), amounts(unit_word=" euros"))),
        FactKind.INDEX: ("BA", counts(min_value=1, max_value=10_000, unit_word=" BA")),
        FactKind.RATE: ("EUR/CHF", st.builds(Written, st.integers(1, 10**6),
                                             decimals=st.integers(0, 2), grouped=st.just(False))),
        FactKind.DURATION: ("year", counts(min_value=1, max_value=30, unit_word=" years")),
        FactKind.DATE: (None, dates()),
        FactKind.RANGE: ("year", st.builds(lambda lo, d: WrittenRange(lo, lo + d),
                                           st.integers(0, 20), st.integers(0, 20))),
        FactKind.STATEMENT: (None, st.none()),
    }


def facts(*, kind: FactKind | str | None = None, label: str = "alpha",
          fact_id: str | None = None) -> st.SearchStrategy[ScenarioFact]:
    """A fact of the given kind (or of any kind) and the sentence that states it.

    ``fact.record()`` is the record of a fact file; ``fact.sentence`` is its quote, words
    the number reader reads back to exactly the fact's value.
    """
    forms = _fact_forms()
    kinds = [FactKind(kind)] if kind is not None else list(forms)

    def one(k: FactKind) -> st.SearchStrategy[ScenarioFact]:
        unit, written = forms[k]
        return st.builds(ScenarioFact, id=st.just(fact_id or label), kind=st.just(k),
                         label=st.just(label), written=written, unit=st.just(unit))

    return st.one_of([one(k) for k in kinds])


def scenarios(*, kind: str | None = None) -> st.SearchStrategy[Scenario]:
    """Consistent fact sets for one rule kind, or for any registered kind that has them.

    Built by each kind's examples: parts are drawn, and totals, rounded shares and
    conversions are derived from them, never filtered. The oracle of each scenario says
    ``pass``.

    Raises:
        hypothesis.errors.InvalidArgument: ``kind`` is not registered, or has no examples.
    """
    kinds = available_kinds()
    if kind is not None:
        if kind not in kinds:
            raise InvalidArgument(f"kind={kind!r}: expected a registered rule kind "
                                  f"({', '.join(sorted(kinds))})")
        made = examples_of(kinds[kind])
        if made is None:
            raise InvalidArgument(f"kind={kind!r}: the kind defines no examples()")
        return made
    return st.one_of([made for _, k in sorted(kinds.items())
                      if (made := examples_of(k)) is not None])


def examples_of(kind: type[RuleKind]) -> st.SearchStrategy[Scenario] | None:
    """A kind's consistent scenarios: its own ``examples()``, those kzfacts defines for a
    built-in kind, or ``None`` for a kind without any."""
    own = getattr(kind, "examples", None)
    if own is not None:
        made: st.SearchStrategy[Scenario] = own()
        return made
    builtin = BUILTIN_EXAMPLES.get(kind)
    return None if builtin is None else builtin()


def mutants(scenario: Scenario) -> st.SearchStrategy[Mutant]:
    """One of the scenario's one-place changes (see :meth:`Scenario.mutants`)."""
    return st.sampled_from(scenario.mutants())
