"""The fact base: validated facts indexed by id, with their locations, units and anchors."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Hashable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from kzfacts.data.model import Document, Fact, FactKind, NotClaim, ReferenceFile
from kzfacts.data.source import Anchor, Coverage, SourceText
from kzfacts.errors import Location
from kzfacts.values.interval import Interval
from kzfacts.values.numbers import Convention, Reading
from kzfacts.values.units import UnitSystem

__all__ = ["FactBase", "precision_of"]


def precision_of(fact: Fact, reading: Reading | None) -> Reading:
    """The fact's value with the precision its words were written at.

    The value is the fact's own (so a rule sees exactly what the data says); the quantum
    and exactness come from reading its words. Without a reading (a value the reader could
    not read), a whole number is exact and a decimal is known to its last digit.
    """
    assert isinstance(fact.value, int | Decimal)
    if reading is not None:
        # A share is a rounded figure even when its words lack a percent sign: "(49,2)".
        exact = reading.exact and fact.unit != "percent"
        # Rules show the words; a value its words do not state (an anchoring error, reported
        # as such) is shown as the value, so the arithmetic printed is the arithmetic done.
        text = fact.stated if reading.value == fact.value else (
            f"{fact.value:,}" + ("%" if fact.unit == "percent" else ""))
        return Reading(text, fact.value, reading.quantum, exact, fact.unit,
                       fact.qualifier, reading.notes)
    if isinstance(fact.value, int):
        return Reading(str(fact.value), fact.value, Decimal(1), fact.unit != "percent",
                       fact.unit, fact.qualifier)
    exponent = fact.value.as_tuple().exponent
    assert isinstance(exponent, int)
    return Reading(str(fact.value), fact.value, Decimal(1).scaleb(exponent), False, fact.unit,
                   fact.qualifier)


@dataclass(frozen=True, slots=True)
class FactBase:
    """Everything loaded from a ``facts/`` folder, validated and anchored.

    Treat it as immutable: it remembers readings and resolved operands once computed, so
    a changed fact base is a new one (``dataclasses.replace(base, facts=...)`` starts with
    empty memos).
    """

    root: Path
    document: Document
    source: SourceText
    units: UnitSystem
    reference: ReferenceFile | None
    facts: Mapping[str, Fact]
    locations: Mapping[str, Location]
    not_claims: tuple[NotClaim, ...]
    anchors: Mapping[str, Anchor]
    coverage: Coverage
    readings: Mapping[str, Reading] = field(default_factory=dict)
    # built on first use: each numeric fact's reading with its precision; what the rule
    # compiler worked out from the facts (operands, parts of rules), with the facts each
    # depends on; for a what-if, the base it is one of and the facts it changes
    _precise: dict[str, Reading] = field(default_factory=dict, init=False, repr=False,
                                         compare=False)
    _memo: dict[Hashable, tuple[Any, frozenset[str]]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    _origin: FactBase | None = field(default=None, init=False, repr=False, compare=False)
    _changed: frozenset[str] = field(default=frozenset(), init=False, repr=False,
                                     compare=False)

    def __len__(self) -> int:
        return len(self.facts)

    def interval(self, fact_id: str, *, convention: Convention = "round") -> Interval:
        """The true values a numeric fact admits, under a rounding convention."""
        return self.reading(fact_id).interval(convention=convention)

    def reading(self, fact_id: str) -> Reading:
        known = self._precise.get(fact_id)
        if known is not None:
            return known
        fact = self.facts[fact_id]
        if fact.kind in (FactKind.DATE, FactKind.RANGE, FactKind.STATEMENT):
            raise TypeError(f"fact {fact_id} is a {fact.kind}, not a number")
        known = self._precise[fact_id] = precision_of(fact, self.readings.get(fact_id))
        return known

    def what_if(self, changes: Mapping[str, tuple[Fact, Reading]]) -> FactBase:
        """This fact base with some facts replaced, each read as given (its value and the
        true values it admits): how localisation asks the rules about other values.

        Anchors and coverage are this base's: a what-if is evaluated, never reported. The
        readings of the other facts, and what the rule compiler worked out from them
        alone, are this base's own (each is a pure function of its facts), so they are
        not worked out again.
        """
        # a view, not a copy: a what-if costs the same in a fact base of any size
        # (a view is never written to: the cast only satisfies ChainMap's signature)
        facts = ChainMap({k: f for k, (f, _) in changes.items()},
                         cast("MutableMapping[str, Fact]", self.facts))
        new = FactBase(self.root, self.document, self.source, self.units, self.reference,
                       facts, self.locations, self.not_claims, self.anchors, self.coverage,
                       self.readings)
        new._precise.update(self._precise)
        new._precise.update({k: r for k, (_, r) in changes.items()})
        object.__setattr__(new, "_origin", self._origin or self)
        object.__setattr__(new, "_changed", self._changed.union(changes))
        return new

    def remembered(self, key: Hashable) -> Any:
        """What the rule compiler worked out for ``key`` in this base (or, in a what-if,
        in the base it is one of, from facts it does not change); ``None`` if nothing."""
        hit = self._memo.get(key)
        if hit is None and self._origin is not None:
            hit = self._origin._memo.get(key)
            if hit is not None and not self._changed.isdisjoint(hit[1]):
                return None
        return None if hit is None else hit[0]

    def remember(self, key: Hashable, value: Any, facts: Iterable[str]) -> None:
        """Keep what the rule compiler worked out for ``key`` from ``facts`` alone."""
        self._memo[key] = (value, frozenset(facts))

    def by_paragraph(self, number: int) -> list[Fact]:
        return [f for f in self.facts.values() if f.paragraph == number]

    @property
    def anchoring_problems(self) -> list[tuple[str, str]]:
        """``(fact id, problem)`` for every fact whose words do not support it."""
        return [(a.fact_id, p) for a in self.anchors.values() for p in a.problems]
