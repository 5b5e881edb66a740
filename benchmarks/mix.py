"""The mix of a fact base: what real documents hold, measured so the generator can copy it.

:func:`measure` reads fact bases through kzfacts' public API (``kzfacts.load`` and
``kzfacts.check``) and counts what makes a check cost what it costs: facts and rules per
paragraph, text per paragraph, the kinds of rules, how the numbers a rule uses are written
(a whole number written in full is one exact integer; "about", "more than",
"54.5 million", "7.8%", a range or a date each need intervals), how long series run and
how many parts a sum adds. The generator (:mod:`benchmarks.generate`) is steered to the
mix of the bundled base and ``tests/examples/nordavia``; ``python -m benchmarks --only
mix`` prints both side by side.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

__all__ = ["CLASSES", "REAL", "ROOT", "Mix", "measure", "measure_corpus", "operand_class"]

ROOT = Path(__file__).resolve().parents[1]
#: The real fact bases the mix is measured from: the bundled one and the second example.
REAL = (ROOT, ROOT / "tests" / "examples" / "nordavia")

#: How a number a rule uses is written. ``whole``: an integer written in full (one exact
#: value); every other class is an interval: ``percent`` "78%" (rounded to the unit),
#: ``decimal`` "7.8%", "456.2", ``scaled`` "54.5 million tenge", ``qualified`` "about",
#: "more than", "up to", ``range`` "from 4 to 7 years", ``date``; ``statement`` is the
#: wording fact a quantifier may cite.
CLASSES = ("whole", "percent", "decimal", "scaled", "qualified", "range", "date", "statement")
KINDS = ("sum", "share", "bound", "series", "conversion", "mean_within", "order", "quantifier")

_BOUNDING = frozenset({"more_than", "at_least", "up_to", "less_than", "about"})
_SCALE = re.compile(r"\b(?:thousand|million|billion)\b")


def operand_class(fact: Any) -> str:
    """The class (one of :data:`CLASSES`) of a fact, as a rule operand."""
    kind = fact.kind.value
    if kind in ("date", "range", "statement"):
        return str(kind)
    if fact.qualifier.value in _BOUNDING:
        return "qualified"
    if _SCALE.search(fact.written or fact.quote):
        return "scaled"
    if isinstance(fact.value, Decimal) and fact.value != fact.value.to_integral_value():
        return "decimal"
    return "percent" if kind == "share" else "whole"


@dataclass
class Mix:
    """Counts over one or more fact bases; the ratios a generator should reproduce."""

    documents: int = 0
    paragraphs: int = 0
    characters: int = 0
    facts: int = 0
    rules: int = 0
    rule_files: int = 0
    used_facts: int = 0
    rule_kinds: Counter[str] = field(default_factory=Counter)
    operands: Counter[str] = field(default_factory=Counter)
    unused: Counter[str] = field(default_factory=Counter)
    verdicts: Counter[str] = field(default_factory=Counter)
    series_years: list[int] = field(default_factory=list)
    sum_parts: list[int] = field(default_factory=list)

    def __add__(self, other: Mix) -> Mix:
        return Mix(
            self.documents + other.documents, self.paragraphs + other.paragraphs,
            self.characters + other.characters, self.facts + other.facts,
            self.rules + other.rules, self.rule_files + other.rule_files,
            self.used_facts + other.used_facts, self.rule_kinds + other.rule_kinds,
            self.operands + other.operands, self.unused + other.unused,
            self.verdicts + other.verdicts, self.series_years + other.series_years,
            self.sum_parts + other.sum_parts)

    # -- the ratios ---------------------------------------------------------------------
    @property
    def facts_per_paragraph(self) -> float:
        return self.facts / max(1, self.paragraphs)

    @property
    def rules_per_paragraph(self) -> float:
        return self.rules / max(1, self.paragraphs)

    @property
    def characters_per_paragraph(self) -> float:
        return self.characters / max(1, self.paragraphs)

    @property
    def paragraphs_per_document(self) -> float:
        return self.paragraphs / max(1, self.documents)

    @property
    def rules_per_file(self) -> float:
        return self.rules / max(1, self.rule_files)

    @property
    def operands_per_rule(self) -> float:
        return sum(self.operands.values()) / max(1, self.rules)

    @property
    def used_per_rule(self) -> float:
        """Distinct facts rules use, per rule (below operands per rule: rules share facts)."""
        return self.used_facts / max(1, self.rules)

    def kind_share(self, kind: str) -> float:
        return self.rule_kinds[kind] / max(1, self.rules)

    def class_share(self, cls: str) -> float:
        return self.operands[cls] / max(1, sum(self.operands.values()))

    @property
    def not_whole(self) -> float:
        """The share of operands that are not whole numbers written in full."""
        return 1 - self.class_share("whole")

    def unused_share(self, cls: str) -> float:
        return self.unused[cls] / max(1, sum(self.unused.values()))

    def verdict_share(self, verdict: str) -> float:
        return self.verdicts[verdict] / max(1, self.rules)

    @property
    def mean_series_years(self) -> float:
        return sum(self.series_years) / max(1, len(self.series_years))

    @property
    def mean_sum_parts(self) -> float:
        return sum(self.sum_parts) / max(1, len(self.sum_parts))

    def rows(self) -> list[tuple[str, str]]:
        """(what, value) lines describing the mix, for a table."""
        out = [
            ("documents; paragraphs a document", f"{self.documents}; {self.paragraphs_per_document:.1f}"),
            ("facts a paragraph", f"{self.facts_per_paragraph:.2f}"),
            ("rules a paragraph", f"{self.rules_per_paragraph:.2f}"),
            ("characters of text a paragraph", f"{self.characters_per_paragraph:.0f}"),
            ("rules a rule file", f"{self.rules_per_file:.1f}"),
            ("operands a rule; distinct facts used a rule",
             f"{self.operands_per_rule:.2f}; {self.used_per_rule:.2f}"),
        ]
        out += [(f"rule kind {k}", f"{self.kind_share(k):.1%}") for k in KINDS]
        out.append(("operands not whole numbers written in full", f"{self.not_whole:.1%}"))
        out += [(f"operand {c}", f"{self.class_share(c):.1%}") for c in CLASSES]
        out += [(f"facts no rule uses: {c}", f"{self.unused_share(c):.1%}")
                for c in ("whole", "qualified", "date", "statement")]
        out += [("years a series: mean (length: share)",
                 f"{self.mean_series_years:.1f} ({_spread(self.series_years)})"),
                ("parts a sum: mean (parts: share)",
                 f"{self.mean_sum_parts:.1f} ({_spread(self.sum_parts)})")]
        out += [(f"verdict {v}", f"{self.verdict_share(v):.1%}")
                for v in ("pass", "warn", "fail", "skip")]
        return out


def _spread(values: list[int]) -> str:
    counts = Counter(values)
    return ", ".join(f"{v}: {counts[v] / len(values):.0%}" for v in sorted(counts))


def measure(root: Path | str) -> Mix:
    """The mix of one fact base: ``root/facts``, ``root/rules``, ``root/baseline.yaml``."""
    import kzfacts

    root = Path(root)
    base, rules = kzfacts.load(root / "facts", root / "rules")
    report = kzfacts.check(root / "facts", root / "rules", baseline=root / "baseline.yaml")
    document = yaml.safe_load((root / "facts" / "document.yaml").read_text(encoding="utf-8"))
    text = (root / "facts" / document["source"]).read_text(encoding="utf-8")
    mix = Mix(documents=1, paragraphs=report.paragraphs, characters=len(text),
              facts=report.facts, rules=len(report.results),
              rule_files=sum(1 for _ in (root / "rules").rglob("*.yaml")))
    used: set[str] = set()
    for r in report.results:
        mix.rule_kinds[r.kind] += 1
        mix.verdicts[r.verdict.value] += 1
        for use in r.facts:
            used.add(use.id)
            mix.operands[operand_class(base.facts[use.id])] += 1
    mix.used_facts = len(used)
    mix.unused.update(operand_class(f) for f in base.facts.values() if f.id not in used)
    specs: Iterable[Any] = rules.specs  # each a RuleSpec with its kind's fields
    for spec in specs:
        if spec.kind == "series":
            first, last = spec.years
            mix.series_years.append(last - first + 1)
        elif spec.kind == "sum":
            mix.sum_parts.append(len(spec.parts))
    return mix


def measure_all(roots: Iterable[Path | str]) -> Mix:
    """The pooled mix of several fact bases."""
    total = Mix()
    for root in roots:
        total = total + measure(root)
    return total


def measure_corpus(corpus: Path | str) -> Mix:
    """The pooled mix of every document of a corpus folder."""
    return measure_all(sorted(d for d in Path(corpus).iterdir() if (d / "facts").is_dir()))
