"""What a rule kind is, and what it is given to compile a rule.

A kind (built in or from a plugin) turns a rule's spec into a check: :meth:`RuleKind.compile`
resolves the spec's references through a :class:`CompileContext` (facts, operands, units,
reference tables; every error located at the rule's field) and returns a function that
gives the rule's :class:`Outcome`.
"""

from __future__ import annotations

import difflib
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import ClassVar, TypeVar, cast

from kzfacts.data.factbase import FactBase
from kzfacts.data.loader import RuleSource
from kzfacts.data.model import Fact, FactKind, Period, RangeValue, RuleSpec, Verdict
from kzfacts.errors import DataError, ReadError, UnitMismatchError, UnknownFactError
from kzfacts.values.interval import Interval
from kzfacts.values.numbers import Convention, DateValue, Reading, read_number

__all__ = [
    "CONVENTIONS",
    "KINDS",
    "CompileContext",
    "Operand",
    "Outcome",
    "RuleKind",
    "display",
    "rule_kind",
    "shown",
]

#: The rounding conventions a rule tries, the document's own first.
CONVENTIONS: tuple[Convention, ...] = ("round", "truncate")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one evaluation of a rule found: a verdict, and its arithmetic written out.

    Attributes:
        verdict: pass, warn, fail or skip.
        message: the arithmetic: ``"4,780 + 381 + 5,005 = 10,166, not 10,169: 3 short"``.
        intervals: the intervals compared, by name.
        notes: what a reader should know besides the message (conventions, rates used).
        only_if: the one rounding convention the relation holds under (``"round"``: it
            would not hold for truncated figures; ``"truncate"``: only for truncated ones),
            or ``None`` (either, neither, or no rounded figure involved). The report sets
            the rules that hold only if rounded against those that hold only if truncated.

    Raises:
        TypeError: a field is not of its type (a plugin kind's bug, reported as its crash).
    """

    verdict: Verdict
    message: str
    intervals: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    only_if: Convention | None = None

    def __post_init__(self) -> None:
        if self.only_if not in (None, *CONVENTIONS):
            raise TypeError(f"an Outcome's only_if is 'round', 'truncate' or None, found "
                            f"{self.only_if!r}")
        if not (isinstance(self.verdict, Verdict) and isinstance(self.message, str)
                and isinstance(self.intervals, dict) and isinstance(self.notes, tuple)
                and all(isinstance(x, str) for x in (*self.intervals.keys(),
                                                      *self.intervals.values(), *self.notes))):
            raise TypeError(f"an Outcome of a kzfacts.Verdict, a message (a string), intervals "
                            f"(a dict of strings) and notes (a tuple of strings), found {self!r}")


@dataclass(frozen=True)
class Operand:
    """A number a rule uses: a fact's value (or an end of a range fact) or a constant.

    Attributes:
        label: how the rule refers to it (a fact id, ``id@max``, or the constant's text).
        text: how a message shows it: the document's words (``"54.5 million euros"``).
        unit: its unit, or ``None``.
        reading: its value with the precision it was written at.
        fact_id: the fact it comes from (``None`` for a constant).
        period: the period of that fact, if it has one.
    """

    label: str
    text: str
    unit: str | None
    reading: Reading
    fact_id: str | None = None
    period: Period | None = None

    @cached_property  # asked at every comparison: worked out once
    def partial(self) -> bool:
        """Whether its period covers only part of a year."""
        return self.period is not None and self.period.is_partial

    def interval(self, convention: Convention = "round") -> Interval:
        """The true values it admits, its figures read under ``convention``."""
        return self.reading.interval(convention=convention)


class RuleKind(ABC):
    """A kind of rule: the model of its specs, and a compiler from a spec to its check.

    A kind (built in or from a plugin) defines:

    * ``name``: the ``kind:`` of its rules;
    * ``Spec``: the pydantic model of its rules (a subclass of :class:`kzfacts.RuleSpec`);
    * ``compile(spec, ctx)``: resolve the spec's references through ``ctx``, raising the
      located errors it makes (:meth:`CompileContext.error`), and return the check: a
      function of no arguments that gives the rule's :class:`Outcome`.

    Optionally, ``examples()``: a Hypothesis strategy of consistent
    :class:`kzfacts.strategies.Scenario` values, each with its oracle. Where a kind has
    them, :func:`kzfacts.strategies.scenarios` draws them and the property tests check
    the kind against its oracle and its mutants; every built-in kind has them (in
    ``kzfacts.strategies``). Import Hypothesis inside ``examples()``, so that a check never
    imports it.

    Any exception a kind raises other than a located data error (in ``compile`` or in its
    check) is a bug in the kind: the check stops with a :class:`kzfacts.RuleCrashError`
    naming the rule and the kind (exit 3), never a failed check.

    Example:
        A kind whose rules say that a fact is at most a constant::

            class AtMostSpec(kzfacts.RuleSpec):
                fact: str
                limit: str

            @kzfacts.rule_kind
            class AtMostKind(kzfacts.RuleKind):
                name = "at_most"
                Spec = AtMostSpec

                @classmethod
                def compile(cls, spec, ctx):
                    value = ctx.operand(spec.fact, ("fact",))
                    limit = ctx.operand(spec.limit, ("limit",))
                    def check():
                        ok = value.interval().can_be_le(limit.interval())
                        verdict = kzfacts.Verdict.PASS if ok else kzfacts.Verdict.FAIL
                        return kzfacts.Outcome(verdict, f"{value.text} ≤ {limit.text}")
                    return check
    """

    name: ClassVar[str]
    Spec: ClassVar[type[RuleSpec]]

    @classmethod
    @abstractmethod
    def compile(cls, spec: RuleSpec, ctx: CompileContext) -> Callable[[], Outcome]:
        """Resolve the spec's references (raising located DataErrors) and return its check."""


#: The registered kinds by name (see :func:`rule_kind`).
KINDS: dict[str, type[RuleKind]] = {}


def rule_kind(cls: type[RuleKind]) -> type[RuleKind]:
    """Register a rule kind under ``cls.name`` (a class decorator).

    Args:
        cls: a subclass of :class:`RuleKind` with ``name``, ``Spec`` and ``compile``.

    Returns:
        ``cls``, registered.

    Raises:
        ValueError: another kind of the same name is registered.
        TypeError: ``cls`` is not a complete :class:`RuleKind`.
    """
    if not (isinstance(cls, type) and issubclass(cls, RuleKind)):
        raise TypeError(f"a rule kind is a subclass of kzfacts.RuleKind, found {cls!r}")
    name = getattr(cls, "name", None)
    spec = getattr(cls, "Spec", None)
    if not isinstance(name, str) or not (isinstance(spec, type) and issubclass(spec, RuleSpec)):
        raise TypeError(f"rule kind {cls.__module__}.{cls.__qualname__} needs a 'name' (a "
                        "string) and a 'Spec' (a subclass of kzfacts.RuleSpec)")
    missing = sorted(getattr(cls, "__abstractmethods__", ()))
    if missing:
        raise TypeError(f"rule kind {name!r} ({cls.__module__}.{cls.__qualname__}) does not "
                        f"define {', '.join(missing)}")
    known = KINDS.get(name)
    if known is not None and known is not cls:
        raise ValueError(f"rule kind {name!r} is already registered by "
                         f"{known.__module__}.{known.__qualname__}")
    KINDS[name] = cls
    return cls


T = TypeVar("T")
_CONST = re.compile(r"^-?\d")
_ONE = Fraction(1)
#: The dimension of a counted thing: one base dimension that is no currency, index or time.
_COUNTED = re.compile(r"^\[(?!currency_|index_|time\])[^\]]+\]$")
_REF = re.compile(r"^(?P<id>[a-z0-9_]+(?:\.[a-z0-9_]+)*)(?:@(?P<end>min|max))?$")


class CompileContext:
    """What a rule kind's compiler may ask: facts, operands, units, reference tables.

    Attributes:
        base: the fact base.
        spec: the rule being compiled.
        source: where the rule is written (for located errors).
        used: the ids of the facts the rule used so far, in order.
    """

    def __init__(self, base: FactBase, spec: RuleSpec, source: RuleSource) -> None:
        self.base = base
        self.spec = spec
        self.source = source
        self.used: list[str] = []

    def error(self, path: Sequence[str | int], expected: str, found: str = "",
              cls: type[DataError] = DataError) -> DataError:
        """A located error for the field at ``path`` of this rule (raise it)."""
        return cls(self.source.where(*path), expected, found,
                   field=f"rule {self.spec.id}: " + ".".join(str(p) for p in path))

    def fact(self, ref: str, path: Sequence[str | int]) -> Fact:
        """The fact ``ref`` names (``id``, or ``id@min``/``id@max``), noted as used.

        Raises:
            UnknownFactError: no fact has that id (located at ``path``).
        """
        m = _REF.match(ref)
        fact_id = m["id"] if m else ref
        fact = self.base.facts.get(fact_id)
        if fact is None:
            close = difflib.get_close_matches(fact_id, list(self.base.facts), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise self.error(path, "the id of a fact" + hint, repr(fact_id), UnknownFactError)
        if fact.id not in self.used:
            self.used.append(fact.id)
        return fact

    def operand(self, ref: str, path: Sequence[str | int]) -> Operand:
        """A number: a fact id, ``id@min``/``id@max`` of a range, or a constant ``"100 percent"``.

        Raises:
            DataError: ``ref`` is none of these (located at ``path``).
        """
        known: Operand | None = self.base.remembered(ref)
        if known is None:
            known = self._operand(ref, path)
            self.base.remember(ref, known, () if known.fact_id is None else (known.fact_id,))
        elif known.fact_id is not None and known.fact_id not in self.used:
            self.used.append(known.fact_id)
        return known

    def _part(self, key: Hashable, build: Callable[[], T]) -> T:
        """A part of a rule (a series' year) built once per fact base: a what-if base
        reuses its base's part when it keeps every fact the part uses. The facts it uses
        are noted as used either way, in the order ``build`` uses them."""
        hit = self.base.remembered(key)
        if hit is not None:
            value, used = hit
        else:
            outer, self.used = self.used, []
            try:
                value = build()
            finally:
                used, self.used = tuple(self.used), outer
            self.base.remember(key, (value, used), used)
        self.used += [f for f in used if f not in self.used]
        return cast("T", value)

    def _operand(self, ref: str, path: Sequence[str | int]) -> Operand:
        if _CONST.match(ref):
            try:
                r = read_number(ref, unit_words=self.base.units.words)
            except ReadError as exc:
                raise self.error(path, "a constant such as '100 percent'", str(exc)) from None
            return Operand(ref, ref, r.unit, Reading(ref, r.value, r.quantum, True, r.unit))
        m = _REF.match(ref)
        if m is None:
            raise self.error(path, "a fact id (optionally @min or @max) or a constant", repr(ref))
        fact = self.fact(ref, path)
        if fact.kind == FactKind.RANGE:
            assert isinstance(fact.value, RangeValue)
            end = m["end"]
            v = None if end is None else (fact.value.min if end == "min" else fact.value.max)
            if v is None:
                raise self.error(path, f"{fact.id}@min or @max, an end the range states",
                                 repr(ref))
            return Operand(ref, str(v), fact.unit, Reading(str(v), v, Decimal(1), True, fact.unit),
                           fact.id, fact.period)
        if m["end"] is not None:
            raise self.error(path, "@min/@max only on a range fact", f"a {fact.kind} fact")
        if fact.kind in (FactKind.DATE, FactKind.STATEMENT):
            raise self.error(path, "a numeric fact", f"{fact.id}, a {fact.kind} fact")
        reading = self.base.reading(fact.id)
        # The words, unless they do not state the value (see precision_of): then the value.
        text = display(fact) if reading.text == fact.stated else reading.text
        return Operand(fact.id, text, fact.unit, reading, fact.id, fact.period)

    def date(self, ref: str, path: Sequence[str | int]) -> DateValue:
        """The value of the date fact ``ref``.

        Raises:
            DataError: ``ref`` is not a date fact (located at ``path``).
        """
        fact = self.fact(ref, path)
        if not isinstance(fact.value, DateValue):
            raise self.error(path, "a date fact", f"{fact.id}, a {fact.kind} fact")
        return fact.value

    def require_unit(self, unit: str | None, target: str | None,
                     path: Sequence[str | int]) -> None:
        """``unit`` has the dimension of ``target`` (either ``None``: nothing to require).

        Raises:
            UnitMismatchError: it has another (located at ``path``).
        """
        units = self.base.units
        if unit is not None and target is not None and not units.same_dimension(unit, target):
            found, wanted = units.dimension(unit), units.dimension(target)
            hint = ""
            if _COUNTED.match(found) and _COUNTED.match(wanted):
                # two counted things (persons and cases, persons and participations): the
                # relation between them is the writer's to state, never implied
                hint = (f"; {unit} and {target} are different things: relate them "
                        f"explicitly, {{fact: ..., times: '1 {target}/{unit}'}}, and state "
                        f"the rule's assumption")
            raise self.error(path, f"a quantity of dimension {wanted} ({target})",
                             f"{unit} ({found}){hint}", UnitMismatchError)

    def require_same_dimension(self, operands: Sequence[tuple[Operand, Sequence[str | int]]],
                               *, to: str | None = None) -> str | None:
        """All operands share one dimension (``to``'s, or the first unit's); returns the
        unit to compute in.

        Raises:
            UnitMismatchError: an operand has another (located at its path).
        """
        target = to or next((o.unit for o, _ in operands if o.unit is not None), None)
        for operand, path in operands:
            self.require_unit(operand.unit, target, path)
        return target

    def factor(self, unit: str | None, target: str | None) -> Fraction:
        """The exact factor from ``unit`` to ``target`` (1 when either is ``None``)."""
        if unit is None or target is None or unit == target:
            return _ONE
        return self.base.units.factor(unit, target)


def display(fact: Fact) -> str:
    """A fact's value as the document writes it ("4,780", "78%", "54.5 million euros")."""
    return shown(fact.stated)


def shown(words: str) -> str:
    """Words stating a number as a message shows them: without parentheses or "including"."""
    text = words.strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    return text.removeprefix("including ")
