"""Compiling rules: resolving references, checking dimensions, once, before any evaluation."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

from kzfacts._record import Record, set_slot
from kzfacts.data.factbase import FactBase
from kzfacts.data.loader import RuleSource
from kzfacts.data.model import Fact, FactKind, Period, RangeValue, RuleSpec, Verdict
from kzfacts.errors import (
    DataError,
    ReadError,
    RuleCrashError,
    UnitMismatchError,
    UnknownFactError,
)
from kzfacts.values.interval import Interval
from kzfacts.values.numbers import Convention, DateValue, Reading, read_number

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from kzfacts._examples.scenario import Scenario

__all__ = [
    "CompileContext",
    "CompiledRule",
    "Operand",
    "Outcome",
    "RuleKind",
    "fmt",
    "rule_kind",
]

CONVENTIONS: tuple[Convention, ...] = ("round", "truncate")


Explanation = tuple[str, dict[str, str], tuple[str, ...]]


class Outcome:
    """What one evaluation of a rule found: a verdict, and its explanation.

    ``Outcome(verdict, message, intervals, notes)`` gives them all at once.
    :meth:`later` gives the verdict and a function that writes the rest when it is first
    read (the built-in kinds decide first and write their arithmetic out only for a report
    that shows it); either way the attributes read the same.
    """

    __slots__ = ("_explain", "_intervals", "_message", "_notes", "_who", "verdict")

    verdict: Verdict
    _message: str
    _intervals: dict[str, str]
    _notes: tuple[str, ...]
    _explain: Callable[[], Explanation] | None
    _who: tuple[str, str] | None  # (rule, kind) whose explanation this is, set by evaluate

    def __init__(self, verdict: Verdict, message: str, intervals: dict[str, str] | None = None,
                 notes: tuple[str, ...] = ()) -> None:
        _set(self, "verdict", verdict)
        _set(self, "_message", message)
        _set(self, "_intervals", {} if intervals is None else intervals)
        _set(self, "_notes", notes)
        _set(self, "_explain", None)
        _set(self, "_who", None)

    @classmethod
    def later(cls, verdict: Verdict, explain: Callable[[], Explanation]) -> Outcome:
        """The verdict now; ``explain()`` gives (message, intervals, notes) when first read."""
        out = _new(cls)
        _set(out, "verdict", verdict)
        _set(out, "_explain", explain)
        _set(out, "_who", None)
        return out

    def _written(self) -> None:
        explain = self._explain
        if explain is not None:
            try:
                message, intervals, notes = explain()
            except Exception as exc:
                if self._who is None:
                    raise
                # a bug in a kind's explanation, found when a report reads it: as in evaluate
                raise RuleCrashError(*self._who, exc) from exc
            _set(self, "_message", message)
            _set(self, "_intervals", intervals)
            _set(self, "_notes", notes)
            _set(self, "_explain", None)

    @property
    def message(self) -> str:
        """The arithmetic written out: "4,780 + 381 + 5,005 = 10,166, not 10,169: 3 short"."""
        if self._explain is not None:
            self._written()
        return self._message

    @property
    def intervals(self) -> dict[str, str]:
        """The intervals compared, by name."""
        if self._explain is not None:
            self._written()
        return self._intervals

    @property
    def notes(self) -> tuple[str, ...]:
        """What a reader should know besides the message (conventions, reference values)."""
        if self._explain is not None:
            self._written()
        return self._notes

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"an Outcome is immutable: cannot set {name}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Outcome):
            return NotImplemented
        return (self.verdict, self.message, self.intervals, self.notes) == (
            other.verdict, other.message, other.intervals, other.notes)

    __hash__ = None  # type: ignore[assignment]  # mutable dict inside, as before

    def __repr__(self) -> str:
        return (f"Outcome(verdict={self.verdict!r}, message={self.message!r}, "
                f"intervals={self.intervals!r}, notes={self.notes!r})")

    def __reduce__(self) -> tuple[type[Outcome], tuple[Verdict, str, dict[str, str],
                                                      tuple[str, ...]]]:
        return (Outcome, (self.verdict, self.message, self.intervals, self.notes))


_new = object.__new__
_set = set_slot


class Operand(Record):
    """A number a rule uses: a fact's value (or an end of a range fact) or a constant."""

    _fields = ("label", "text", "unit", "reading", "fact_id", "period")
    # and whether the period covers only part of a year (worked out once: rules ask at
    # every use)
    __slots__ = (*_fields, "partial")
    label: str
    text: str
    unit: str | None
    reading: Reading
    fact_id: str | None
    period: Period | None
    partial: bool

    def __init__(self, label: str, text: str, unit: str | None,  # noqa: PLR0917 - the fields, in order
                 reading: Reading, fact_id: str | None = None, period: Period | None = None,
                 ) -> None:
        _set(self, "label", label)
        _set(self, "text", text)
        _set(self, "unit", unit)
        _set(self, "reading", reading)
        _set(self, "fact_id", fact_id)
        _set(self, "period", period)
        # Period.is_partial without making dates: a period is whole years when it starts on
        # 1 January and ends on 31 December (December always has 31 days)
        _set(self, "partial", period is not None and (
            period.partial or (period.start.month or 1) != 1 or (period.start.day or 1) != 1
            or (period.end.month or 12) != 12 or (period.end.day or 31) != 31))

    def interval(self, convention: Convention = "round") -> Interval:
        return self.reading.interval(convention=convention)


class CompiledRule(Record):
    """A rule resolved against its fact base: its check, and what its results share.

    ``shared`` is what every result of the rule holds whatever the verdict (its id, title,
    location, the facts it uses, described once): ``compile_rules`` fills it in, so that
    an evaluation builds only the verdict and its explanation.
    """

    _fields = __slots__ = ("spec", "evaluate", "fact_ids", "shared")
    _compared = ("spec", "evaluate", "fact_ids")
    spec: RuleSpec
    evaluate: Callable[[], Outcome]
    fact_ids: tuple[str, ...]
    shared: Any

    def __init__(self, spec: RuleSpec, evaluate: Callable[[], Outcome],
                 fact_ids: tuple[str, ...], shared: Any = None) -> None:
        _set(self, "spec", spec)
        _set(self, "evaluate", evaluate)
        _set(self, "fact_ids", fact_ids)
        _set(self, "shared", shared)


class RuleKind(ABC):
    """A kind of rule: a spec model, a compiler from spec to evaluator, and its examples.

    A kind (built in or from a plugin) defines:

    * ``name``: the ``kind:`` of its rules;
    * ``Spec``: the pydantic model of its rules (a subclass of :class:`kzfacts.RuleSpec`);
    * ``compile(spec, ctx)``: resolve references, return the check;
    * ``examples()``: a Hypothesis strategy of consistent :class:`kzfacts.strategies.Scenario`
      values for this kind, each with an oracle. The project's property tests run every
      registered kind's examples and their mutants, so a kind cannot come without them.
      Import Hypothesis inside ``examples()``, so that checking never imports it.
    """

    name: ClassVar[str]
    Spec: ClassVar[type[RuleSpec]]

    @classmethod
    @abstractmethod
    def compile(cls, spec: RuleSpec, ctx: CompileContext) -> Callable[[], Outcome]:
        """Resolve the spec's references (raising located DataErrors) and return its check."""

    @classmethod
    @abstractmethod
    def examples(cls) -> SearchStrategy[Scenario]:
        """Consistent fact sets for this kind, built constructively, each with its oracle."""


KINDS: dict[str, type[RuleKind]] = {}


def rule_kind(cls: type[RuleKind]) -> type[RuleKind]:
    """Register a rule kind under ``cls.name``.

    Raises:
        ValueError: another kind of the same name is registered.
        TypeError: the kind lacks ``compile`` or ``examples`` (see :class:`RuleKind`).
    """
    if cls.name in KINDS and KINDS[cls.name] is not cls:
        raise ValueError(f"rule kind {cls.name!r} is already registered by "
                         f"{KINDS[cls.name].__module__}.{KINDS[cls.name].__qualname__}")
    missing = sorted(getattr(cls, "__abstractmethods__", ()))
    if missing:
        raise TypeError(f"rule kind {cls.name!r} ({cls.__module__}.{cls.__qualname__}) does not "
                        f"define {', '.join(missing)}: every kind needs compile() and examples(), "
                        "a Hypothesis strategy of consistent scenarios (see kzfacts.strategies)")
    KINDS[cls.name] = cls
    return cls


_CONST = re.compile(r"^-?\d")
_REF = re.compile(r"^(?P<id>[a-z0-9_]+(?:\.[a-z0-9_]+)*)(?:@(?P<end>min|max))?$")


class CompileContext:
    """What a rule kind's compiler may ask: facts, operands, units, reference tables."""

    def __init__(self, base: FactBase, spec: RuleSpec, source: RuleSource) -> None:
        self.base = base
        self.spec = spec
        self.source = source
        self.used: list[str] = []

    def error(self, path: Sequence[str | int], expected: str, found: str = "",
              cls: type[DataError] = DataError) -> DataError:
        """A located error for a field of this rule (raise it)."""
        return cls(self.source.where(*path), expected, found,
                   field=f"rule {self.spec.id}: " + ".".join(str(p) for p in path))

    def fact(self, ref: str, path: Sequence[str | int]) -> Fact:
        return self._fact(ref, path, _REF.match(ref))

    def _fact(self, ref: str, path: Sequence[str | int], m: re.Match[str] | None) -> Fact:
        """:meth:`fact`, given ``ref`` matched by ``_REF``."""
        fact_id = m["id"] if m else ref
        fact = self.base.facts.get(fact_id)
        if fact is None:
            import difflib  # only for an error: not imported by a check that passes
            close = difflib.get_close_matches(fact_id, list(self.base.facts), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise self.error(path, "the id of a fact" + hint, repr(fact_id), UnknownFactError)
        if fact.id not in self.used:
            self.used.append(fact.id)
        return fact

    def operand(self, ref: str, path: Sequence[str | int]) -> Operand:
        """A number: a fact id, ``id@min``/``id@max`` of a range, or a constant ``"100 percent"``."""
        if _CONST.match(ref):
            try:
                r = read_number(ref, unit_words=self.base.units.words)
            except ReadError as exc:
                raise self.error(path, "a constant such as '100 percent'", str(exc)) from None
            exact = Reading(ref, r.value, r.quantum, True, r.unit)
            return Operand(ref, ref, r.unit, exact)
        known: Operand | None = self.base._operands.get(ref)
        if known is not None:  # resolved for an earlier rule: the same fact, the same reading
            assert known.fact_id is not None
            if known.fact_id not in self.used:
                self.used.append(known.fact_id)
            return known
        operand = self._operand(ref, path)
        self.base._operands[ref] = operand
        return operand

    def _operand(self, ref: str, path: Sequence[str | int]) -> Operand:
        m = _REF.match(ref)
        if m is None:
            raise self.error(path, "a fact id (optionally @min or @max) or a constant", repr(ref))
        fact = self._fact(ref, path, m)
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
        fact = self.fact(ref, path)
        if not isinstance(fact.value, DateValue):
            raise self.error(path, "a date fact", f"{fact.id}, a {fact.kind} fact")
        return fact.value

    def require_same_dimension(self, operands: Sequence[tuple[Operand, Sequence[str | int]]],
                               *, to: str | None = None) -> str | None:
        """All operands share one dimension; returns the unit to compute in."""
        units = [(o.unit, p) for o, p in operands if o.unit is not None]
        target = to or (units[0][0] if units else None)
        for unit, path in units:
            assert unit is not None and target is not None
            if not self.base.units.same_dimension(unit, target):
                raise self.error(path, f"a quantity of dimension {self.base.units.dimension(target)}"
                                 f" ({target})",
                                 f"{unit} ({self.base.units.dimension(unit)})", UnitMismatchError)
        return target

    def factor(self, unit: str | None, target: str | None) -> Fraction:
        if unit is None or target is None or unit == target:
            return Fraction(1)
        return self.base.units.factor(unit, target)


def display(fact: Fact) -> str:
    """A fact's value as the document writes it ("4,780", "78%", "54.5 million euros")."""
    text = fact.stated.strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    return text.removeprefix("including ")


def fmt(x: Fraction | int | Decimal, *, places: int = 2) -> str:
    """An exact number in the document's style: thousands grouped, at most ``places`` decimals."""
    if type(x) is int:
        return f"{x:,}"
    f = x if type(x) is Fraction else Fraction(x)
    if f.denominator == 1:
        return f"{f.numerator:,}"
    q = Decimal(f.numerator) / Decimal(f.denominator)
    text = f"{q:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_interval(iv: Interval, *, places: int = 2) -> str:
    if iv.is_point:
        assert iv.lo is not None
        return fmt(iv.lo, places=places)
    lo = "-∞" if iv.lo is None else fmt(iv.lo, places=places)
    hi = "+∞" if iv.hi is None else fmt(iv.hi, places=places)
    return f"{'[' if iv.lo_closed else '('}{lo}, {hi}{']' if iv.hi_closed else ')'}"


def period_conflict(operands: Sequence[Operand]) -> str | None:
    """Why these operands cannot be compared, if one covers part of a year the others do not."""
    if not any(o.partial for o in operands):
        return None  # the usual case, without rendering every period
    periods = {str(o.period): o for o in operands if o.period is not None}
    if len(periods) > 1:
        partial = [o for o in periods.values() if o.period is not None and o.period.is_partial]
        if partial:
            p = partial[0]
            return (f"{p.label} covers {p.period}, only part of a year, and is compared with "
                    f"other periods ({', '.join(sorted(periods))})")
    return None
