"""Scenarios: tiny, self-contained fact bases with one rule, and the ways to break them.

A :class:`Scenario` is plain data: facts written as a document would write them (each in a
sentence of one paragraph), one rule relating them, and an *oracle*: a short, independent
statement of what the rule's verdict must be for the values as written. The public
Hypothesis strategies (:mod:`kzfacts.strategies`) build consistent scenarios; the mutations
here change one written number by one unit of its last digit, or swap a unit, a period, a
qualifier or a dated rate, and say what the check must then answer.

Nothing here imports Hypothesis: the strategies that draw scenarios are beside this module
(``written`` for numbers as written, ``kinds`` for the examples of the built-in kinds).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml

from kzfacts.data.model import FactKind, Verdict
from kzfacts.values.numbers import DateValue, Qualifier

if TYPE_CHECKING:
    from kzfacts.engine.result import Report

__all__ = [
    "LABELS",
    "SCENARIO_UNITS",
    "Expected",
    "Mutant",
    "Scenario",
    "ScenarioFact",
    "Written",
    "WrittenDate",
    "WrittenRange",
    "admits",
    "outcome",
    "write_scenarios",
]

#: Words that name the facts of a scenario in its sentences ("The beta figure is 9").
LABELS: tuple[str, ...] = (
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi",
    "chi", "psi", "omega",
)

#: The units of every scenario: each counted thing its own dimension, two currencies, BA.
SCENARIO_UNITS: Mapping[str, Any] = {
    "definitions": [
        "person = [person] = _ = persons",
        "case = [case] = _ = cases",
        "EUR = [currency_EUR] = _ = euros",
        "CHF = [currency_CHF] = _ = Swiss_franc",
        "BA = [index_BA] = _ = base_amount",
    ],
    "words": {"euros": "EUR", "Swiss francs": "CHF", "BA": "BA"},
}

_SCALE_WORDS = {10**3: "thousand", 10**6: "million", 10**9: "billion"}
_QUALIFIER_WORDS = {Qualifier.MORE_THAN: "more than", Qualifier.AT_LEAST: "at least",
                    Qualifier.UP_TO: "up to", Qualifier.LESS_THAN: "less than",
                    Qualifier.ABOUT: "about"}

#: What a check must answer: a verdict of the scenario's rule, or ``"error"`` (exit 2).
Expected = Verdict | Literal["error"]
Convention = Literal["round", "truncate"]
Change = Literal["digit", "unit", "period", "qualifier", "rate", "order"]


@dataclass(frozen=True, slots=True)
class Written:
    """A number as a document writes it, kept as its digits so it can be re-written.

    ``Written(545, decimals=1, scale=10**6, unit_word=" euros")`` is "54.5 million euros";
    ``Written(2750, scale=1000, compound=True)`` is "2 million 750 thousand";
    ``Written(78, decimals=1, percent=True)`` is "7.8%".

    Attributes:
        digits: every digit written, as one integer (545 for "54.5 million").
        decimals: digits after the decimal point.
        scale: the value of the scale word (1, 1,000, 1,000,000 or 1,000,000,000).
        compound: written as two scale words ("2 million 750 thousand"); ``scale`` is the
            lower one.
        percent: followed by "%".
        comma: a decimal comma ("3,7%") instead of a decimal point.
        grouped: thousands grouped with commas ("10,169").
        qualifier: "more than", "up to"... before the number.
        unit_word: words after the number (" euros", " years").
    """

    digits: int
    decimals: int = 0
    scale: int = 1
    compound: bool = False
    percent: bool = False
    comma: bool = False
    grouped: bool = True
    qualifier: Qualifier = Qualifier.EXACT
    unit_word: str = ""

    @property
    def text(self) -> str:
        """The words: "more than 5,300", "54.5 million euros", "3,7%"."""
        if self.compound:
            high, low = divmod(self.digits, 1000)
            body = f"{high:,} {_SCALE_WORDS[self.scale * 1000]} {low} {_SCALE_WORDS[self.scale]}"
        else:
            whole, frac = divmod(self.digits, 10**self.decimals)
            body = f"{whole:,}" if self.grouped else str(whole)
            if self.decimals:
                body += ("," if self.comma else ".") + f"{frac:0{self.decimals}d}"
            if self.scale > 1:
                body += " " + _SCALE_WORDS[self.scale]
        if self.percent:
            body += "%"
        prefix = _QUALIFIER_WORDS.get(self.qualifier)
        return (f"{prefix} " if prefix else "") + body + self.unit_word

    @property
    def value(self) -> Fraction:
        return Fraction(self.digits * self.scale, 10**self.decimals)

    @property
    def quantum(self) -> Fraction:
        """The place value of the last digit written."""
        return Fraction(self.scale, 10**self.decimals)

    @property
    def exact(self) -> bool:
        """Written in full: the true value itself."""
        return (self.quantum == 1 and not self.percent
                and self.qualifier is not Qualifier.ABOUT)

    @property
    def record_value(self) -> int | str:
        """The value as a fact file writes it: an int, or a decimal in quotes."""
        v = self.value
        if v.denominator == 1:
            return v.numerator
        return str(Decimal(self.digits).scaleb(-self.decimals) * self.scale)

    def bumped(self, delta: int) -> Written | None:
        """The same words with the last digit moved by ``delta`` units, if still writable."""
        digits = self.digits + delta
        if digits < 0 or (self.compound and not (digits % 1000 >= 1 and digits >= 1000)):
            return None
        if digits == 0 and self.qualifier is Qualifier.LESS_THAN:  # "less than 0": nothing
            return None
        return replace(self, digits=digits)


@dataclass(frozen=True, slots=True)
class WrittenDate:
    """A date as written: "July 19, 2021", "19 July 2021", "July 2021" or "2021"."""

    date: DateValue
    day_first: bool = False

    @property
    def text(self) -> str:
        d = self.date
        if d.month is None:
            return str(d.year)
        month = dt.date(2000, d.month, 1).strftime("%B")
        if d.day is None:
            return f"{month} {d.year}"
        return f"{d.day} {month} {d.year}" if self.day_first else f"{month} {d.day}, {d.year}"

    @property
    def record_value(self) -> str:
        return str(self.date)

    def bumped(self, delta: int) -> WrittenDate | None:
        """One unit of its last written part later (or earlier): a day, a month or a year."""
        d = self.date
        try:
            if d.day is not None and d.month is not None:
                moved = dt.date.fromordinal(d.first_day.toordinal() + delta)
                return replace(self, date=DateValue(moved.year, moved.month, moved.day))
            if d.month is not None:
                months = d.year * 12 + d.month - 1 + delta
                return replace(self, date=DateValue(months // 12, months % 12 + 1))
            return replace(self, date=DateValue(d.year + delta))
        except (ValueError, OverflowError):
            return None


@dataclass(frozen=True, slots=True)
class WrittenRange:
    """A range as written: "from 4 to 7 years"."""

    low: int
    high: int
    unit_word: str = " years"

    @property
    def text(self) -> str:
        return f"from {self.low} to {self.high}{self.unit_word}"

    @property
    def record_value(self) -> dict[str, int]:
        return {"min": self.low, "max": self.high}

    def bumped(self, delta: int) -> WrittenRange | None:
        high = self.high + delta
        return replace(self, high=high) if high >= self.low else None


@dataclass(frozen=True, slots=True)
class ScenarioFact:
    """One fact of a scenario and the sentence that states it.

    The sentence is "The {label} figure {period_words} is {written}"; a statement (no
    ``written``) is "The {label} figure holds".
    """

    id: str
    kind: FactKind
    label: str
    written: Written | WrittenDate | WrittenRange | None
    unit: str | None = None
    period: str | None = None
    period_words: str = ""
    claim: str | None = None

    @property
    def sentence(self) -> str:
        when = f" {self.period_words}" if self.period_words else ""
        tail = f" is {self.written.text}" if self.written is not None else " holds"
        return f"The {self.label} figure{when}{tail}"

    @property
    def number(self) -> Written:
        """The written number of a numeric fact."""
        assert isinstance(self.written, Written), f"{self.id} is not a number"
        return self.written

    def record(self) -> dict[str, Any]:
        """The fact record of a fact file."""
        out: dict[str, Any] = {"id": self.id, "kind": self.kind.value}
        if self.written is not None:
            out["value"] = self.written.record_value
        if self.unit is not None:
            out["unit"] = self.unit
        out["subject"] = f"the {self.label} figure"
        if self.claim is not None:
            out["claim"] = self.claim
        if self.period is not None:
            out["period"] = self.period
        if isinstance(self.written, Written) and self.written.qualifier is not Qualifier.EXACT:
            out["qualifier"] = self.written.qualifier.value
        out["quote"] = self.sentence
        if self.written is not None:
            out["written"] = self.written.text
        return out


@dataclass(frozen=True, slots=True)
class Mutant:
    """A scenario changed in one place, and what the check must now answer.

    ``expected`` is ``declared`` when given (``"error"`` for a unit swap), else what the
    scenario's oracle says of the changed facts. ``change`` names what was changed:
    ``"digit"`` (a written number or date, one unit of its last digit), ``"unit"``,
    ``"period"``, ``"qualifier"``, ``"rate"`` (the date of a dated rate) or ``"order"``.
    """

    description: str
    scenario: Scenario
    declared: Expected | None = None
    change: Change = "digit"

    @property
    def expected(self) -> Expected:
        return self.declared if self.declared is not None else self.scenario.expected


@dataclass(frozen=True)
class Scenario:
    """A consistent fact set for one rule kind: facts, one rule, an oracle.

    Attributes:
        kind: the rule kind.
        facts: the facts, in the order their sentences stand in the paragraph.
        rule: the rule's kind-specific fields (``parts``, ``total``...).
        oracle: the verdict the rule must give for these facts as written, computed
            independently of the engine (exact fractions, brute force).
        reference: reference tables (``reference.yaml``), if the rule needs a dated rate.
        structural: mutants that swap a unit, a period, a qualifier or a rate, with the
            answers they require.
    """

    kind: str
    facts: tuple[ScenarioFact, ...]
    rule: Mapping[str, Any]
    oracle: Callable[[Scenario], Verdict]
    reference: Mapping[str, Any] | None = None
    structural: tuple[Mutant, ...] = field(default=(), compare=False)

    @property
    def fact(self) -> Mapping[str, ScenarioFact]:
        """The facts by id."""
        return {f.id: f for f in self.facts}

    @property
    def expected(self) -> Verdict:
        return self.oracle(self)

    @property
    def paragraph(self) -> str:
        return " ".join(f"{f.sentence}." for f in self.facts)

    def replace_fact(self, fact: ScenarioFact) -> Scenario:
        """This scenario with one fact (by id) replaced; structural mutants are dropped."""
        facts = tuple(fact if f.id == fact.id else f for f in self.facts)
        return replace(self, facts=facts, structural=())

    def mutants(self) -> list[Mutant]:
        """Every one-place change: each written number one unit up and down, then the
        structural ones. Each mutant carries the answer the oracle requires."""
        out: list[Mutant] = []
        for fact in self.facts:
            if fact.written is None:
                continue
            for delta in (1, -1):
                moved = fact.written.bumped(delta)
                if moved is None:
                    continue
                changed = self.replace_fact(replace(fact, written=moved))
                out.append(Mutant(f"{fact.id}: {fact.written.text!r} -> {moved.text!r}",
                                  changed))
        return out + list(self.structural)

    def rule_record(self, rule_id: str | None = None, *, paragraph: int = 1) -> dict[str, Any]:
        return {"id": rule_id or self.kind, "kind": self.kind, "title": f"a {self.kind} rule",
                "severity": "error", "paragraphs": [paragraph], "why": "a generated scenario",
                **self.rule}

    def write(self, folder: Path) -> tuple[Path, Path]:
        """Write ``facts/`` and ``rules/`` below ``folder``; returns both folders."""
        return write_scenarios(folder, [self])

    def check(self) -> Report:
        """Write the scenario to a temporary folder and check it (no baseline)."""
        from kzfacts.engine.check import check

        with tempfile.TemporaryDirectory(prefix="kzfacts-scenario-") as tmp:
            facts, rules = self.write(Path(tmp))
            return check(facts, rules, baseline=None)


#: libyaml's safe dumper when PyYAML has it (the same text, a quarter of the time: every
#: example of the law tests writes a fact base), else PyYAML's own.
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump(data: object) -> str:
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=10_000)


def write_scenarios(
    folder: Path,
    scenarios: Sequence[Scenario],
    *,
    shuffle: Callable[[list[Any]], list[Any]] | None = None,
) -> tuple[Path, Path]:
    """Write several scenarios as one fact base: scenario ``i`` is paragraph ``i + 1``.

    Fact ids, rule kinds and reference table names must not clash between the scenarios
    (the built-in strategies prefix every id with its kind).

    Args:
        folder: where ``facts/`` and ``rules/`` are written.
        scenarios: the scenarios.
        shuffle: reorders a list (facts in a file, rules in a file, which rule file a rule
            goes to); used to show that verdicts do not depend on order.

    Returns:
        ``(facts folder, rules folder)``.
    """
    order = shuffle or (lambda items: items)
    facts_dir, rules_dir = folder / "facts", folder / "rules"
    facts_dir.mkdir(parents=True, exist_ok=True)
    rules_dir.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{i}. {s.paragraph}\n" for i, s in enumerate(scenarios, start=1))
    (facts_dir / "source.txt").write_bytes(text.encode("utf-8"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    document = {"title": "A generated scenario", "source": "source.txt", "sha256": digest}
    (facts_dir / "document.yaml").write_text(_dump(document), encoding="utf-8")
    (facts_dir / "units.yaml").write_text(_dump(dict(SCENARIO_UNITS)), encoding="utf-8")
    tables: dict[str, Any] = {}
    for s in scenarios:
        tables.update((s.reference or {}).get("tables", {}))
    if tables:
        (facts_dir / "reference.yaml").write_text(_dump({"tables": tables}), encoding="utf-8")
    names = order([f"p{i:02d}" for i in range(1, len(scenarios) + 1)])
    records: list[dict[str, Any]] = []
    for i, s in enumerate(scenarios, start=1):
        content = {"paragraph": i, "facts": order([f.record() for f in s.facts])}
        (facts_dir / f"{names[i - 1]}.yaml").write_text(_dump(content), encoding="utf-8")
        records.append(s.rule_record(paragraph=i))
    records = order(records)
    half = len(records) // 2
    for name, part in (("a.yaml", records[:half]), ("b.yaml", records[half:])):
        if part:
            (rules_dir / name).write_text(_dump({"rules": part}), encoding="utf-8")
    return facts_dir, rules_dir


def outcome(scenarios: Sequence[Scenario]) -> dict[str, Expected]:
    """Check scenarios together; each rule's verdict, or ``"error"`` for all on bad data."""
    from kzfacts.engine.check import check
    from kzfacts.errors import InvalidDataError

    with tempfile.TemporaryDirectory(prefix="kzfacts-scenario-") as tmp:
        facts, rules = write_scenarios(Path(tmp), scenarios)
        try:
            report = check(facts, rules, baseline=None)
        except InvalidDataError:
            return dict.fromkeys((s.kind for s in scenarios), "error")
    assert report.anchoring == (), report.anchoring
    assert report.coverage.uncovered == (), report.coverage.uncovered
    return {r.rule: r.verdict for r in report.results}


# -- the oracles' arithmetic: deliberately simple, and independent of kzfacts.values.interval ----

def admits(w: Written, x: Fraction, convention: Convention = "round") -> bool:
    """Whether the true value ``x`` could be written as ``w``.

    Rounded half up: ``v - q/2 <= x < v + q/2`` (and ``x >= 0``: a written number has no
    sign); truncated: ``v <= x < v + q``; "more
    than v": ``x > v``; "up to v": ``0 <= x <= v``; "about v": within 10 % of v or what
    its digits admit; written in full: ``x == v``.
    """
    v, q = w.value, w.quantum
    match w.qualifier:
        case Qualifier.MORE_THAN:
            return x > v
        case Qualifier.AT_LEAST:
            return x >= v
        case Qualifier.UP_TO:
            return 0 <= x <= v
        case Qualifier.LESS_THAN:
            return 0 <= x < v
        case Qualifier.ABOUT:  # within 10 %, or what the digits admit, whichever is wider
            return v * Fraction(9, 10) <= x <= v * Fraction(11, 10) or _digits_admit(
                v, q, x, convention)
    if w.exact:
        return x == v
    return _digits_admit(v, q, x, convention)


def _digits_admit(v: Fraction, q: Fraction, x: Fraction, convention: Convention) -> bool:
    if convention == "round":  # written numbers have no sign: never below 0
        return max(v - q / 2, Fraction(0)) <= x < v + q / 2
    return v <= x < v + q


def by_conventions(test: Callable[[Convention], bool]) -> Verdict:
    """Pass if the test holds for rounded figures, warn if only for truncated ones."""
    if test("round"):
        return Verdict.PASS
    return Verdict.WARN if test("truncate") else Verdict.FAIL


def partial_conflict(facts: Iterable[ScenarioFact]) -> bool:
    """Whether facts of different periods meet and one covers only part of a year."""
    periods = {f.period for f in facts if f.period is not None}
    return len(periods) > 1 and any("/" in p for p in periods)


def partial_period(fact: ScenarioFact) -> ScenarioFact:
    """The fact restated for January to April of its year: only part of a year."""
    year = int((fact.period or "2020")[:4])
    return replace(fact, period=f"{year}-01/{year}-04", period_words=f"from January to April {year}")


def unit_swap(fact: ScenarioFact, unit: str) -> ScenarioFact:
    """The fact in another unit (its words unchanged: the unit is not written in them)."""
    return replace(fact, unit=unit)
