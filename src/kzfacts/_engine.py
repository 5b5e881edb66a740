"""Evaluate compiled rules into results, and results into a report with an exit code."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from kzfacts._compile import CompileContext, CompiledRule
from kzfacts._factbase import FactBase
from kzfacts._kinds import BUILTIN_KINDS, available_kinds
from kzfacts._loader import Rules, load_baseline, load_fact_base, load_rules
from kzfacts._model import Baseline, Severity, Verdict
from kzfacts.errors import DataError, InvalidDataError, RuleCrashError

__all__ = [
    "REPORT_VERSION",
    "AnchorProblem",
    "CoverageSummary",
    "FactUse",
    "Report",
    "Result",
    "check",
    "check_with_base",
    "compile_rules",
    "evaluate",
    "load",
]

REPORT_VERSION = "1.0"
_MODEL = ConfigDict(frozen=True, extra="forbid")
_M = TypeVar("_M", bound=BaseModel)


class FactUse(BaseModel):
    """A fact a result used, with where it is written."""

    model_config = _MODEL

    id: str
    paragraph: int
    value: str
    unit: str | None
    quote: str
    location: str


class Result(BaseModel):
    """The verdict of one rule on the fact base."""

    model_config = _MODEL

    rule: str
    kind: str
    title: str
    severity: Severity
    paragraphs: tuple[int, ...]
    why: str
    verdict: Verdict
    message: str
    facts: tuple[FactUse, ...]
    intervals: dict[str, str] = Field(default_factory=dict)
    notes: tuple[str, ...] = ()
    location: str
    accepted: str | None = Field(None, description="the baseline's justification, if accepted")

    @property
    def blocking(self) -> bool:
        """A failed error-severity rule that the baseline does not accept."""
        return (self.verdict is Verdict.FAIL and self.severity is Severity.ERROR
                and self.accepted is None)


class AnchorProblem(BaseModel):
    model_config = _MODEL

    fact: str
    location: str
    problem: str


class Uncovered(BaseModel):
    model_config = _MODEL

    paragraph: int
    text: str
    line: int


class CoverageSummary(BaseModel):
    model_config = _MODEL

    found: int
    accounted: int
    uncovered: tuple[Uncovered, ...]


class Report(BaseModel):
    """Everything a check found; the same input gives the same report, byte for byte."""

    model_config = _MODEL

    version: Literal["1.0"] = "1.0"
    document: str
    source_sha256: str
    facts: int
    paragraphs: int
    paragraphs_with_facts: int
    counts: dict[str, int]
    results: tuple[Result, ...]
    anchoring: tuple[AnchorProblem, ...]
    coverage: CoverageSummary
    stale_baseline: tuple[str, ...] = ()
    unjustified: tuple[str, ...] = Field(
        (), description="accepted findings whose justification still starts with TODO")

    @property
    def exit_code(self) -> int:
        """0: nothing failing beyond what is accepted; 1: findings or broken anchors."""
        bad = (any(r.blocking for r in self.results) or self.anchoring
               or self.coverage.uncovered)
        return 1 if bad else 0

    def result(self, rule_id: str) -> Result:
        for r in self.results:
            if r.rule == rule_id:
                return r
        raise KeyError(rule_id)


def compile_rules(base: FactBase, rules: Rules) -> list[CompiledRule]:
    """Resolve every reference and check every dimension, collecting all errors.

    Raises:
        InvalidDataError: unknown facts, unit mismatches, bad rates, each at its rule's field.
    """
    kinds = available_kinds()
    compiled: list[CompiledRule] = []
    errors: list[DataError] = []
    for spec in rules.specs:
        ctx = CompileContext(base, spec, rules.sources[spec.id])
        try:
            evaluate_fn = kinds[spec.kind].compile(spec, ctx)
        except DataError as exc:
            errors.append(exc)
            continue
        compiled.append(CompiledRule(spec, evaluate_fn, tuple(ctx.used)))
    if errors:
        raise InvalidDataError(errors)
    return compiled


_new = object.__new__
_set = object.__setattr__


def _built(cls: type[_M], fields: dict[str, object]) -> _M:
    """A model from fields the engine made itself, every one given and of its declared type.

    What validation would build, without checking values that cannot be wrong: validating a
    ``Result`` costs about 3 µs, this about 0.5. (``model_construct`` does the same in
    Python, slower than validating.) Every field is set, as when the engine passed them all.
    """
    model = _new(cls)
    _set(model, "__dict__", fields)
    _set(model, "__pydantic_fields_set__", set(fields))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


def _fact_use(base: FactBase, fact_id: str) -> FactUse:
    fact = base.facts[fact_id]
    return _built(FactUse, {"id": fact.id, "paragraph": fact.paragraph, "value": str(fact.value),
                            "unit": fact.unit, "quote": fact.quote,
                            "location": str(base.locations[fact_id])})


def evaluate(base: FactBase, rules: Rules, compiled: list[CompiledRule],
             baseline: Baseline | None = None) -> list[Result]:
    """Evaluate compiled rules.

    Raises:
        RuleCrashError: a rule kind raised: a bug, never reported as a failed check.
    """
    accepted: dict[tuple[str, str], str] = {
        (e.rule, e.verdict): e.why for e in (baseline or Baseline()).accepted}
    out = []
    uses: dict[str, FactUse] = {}  # a fact used by several rules is described once
    sources = rules.sources
    for rule in compiled:
        spec = rule.spec
        try:
            outcome = rule.evaluate()
        except Exception as exc:
            raise RuleCrashError(spec.id, spec.kind, exc) from exc
        facts = []
        for f in rule.fact_ids:
            use = uses.get(f)
            if use is None:
                use = uses[f] = _fact_use(base, f)
            facts.append(use)
        verdict = outcome.verdict
        if spec.kind not in _BUILT_IN:  # a plugin's outcome: validated, as it may be of any type
            out.append(Result(
                rule=spec.id, kind=spec.kind, title=spec.title, severity=spec.severity,
                paragraphs=spec.paragraphs, why=spec.why, verdict=verdict,
                message=outcome.message, facts=tuple(facts),
                intervals=outcome.intervals, notes=outcome.notes,
                location=str(sources[spec.id].location),
                accepted=accepted.get((spec.id, verdict.value))))
            continue
        out.append(_built(Result, {
            "rule": spec.id, "kind": spec.kind, "title": spec.title, "severity": spec.severity,
            "paragraphs": spec.paragraphs, "why": spec.why, "verdict": verdict,
            "message": outcome.message, "facts": tuple(facts),
            "intervals": outcome.intervals, "notes": outcome.notes,
            "location": str(sources[spec.id].location),
            "accepted": accepted.get((spec.id, verdict.value))}))
    out.sort(key=_by_rule)
    return out


#: The kinds whose outcomes are known to be of the declared types (see _built).
_BUILT_IN = frozenset(kind.name for kind in BUILTIN_KINDS)


def _by_rule(r: Result) -> str:
    return r.rule


def report(base: FactBase, results: list[Result], baseline: Baseline | None = None) -> Report:
    """Assemble the report: results, anchoring problems, coverage, stale baseline entries."""
    matched = {(r.rule, r.verdict.value) for r in results}
    stale = tuple(sorted(f"{e.rule} ({e.verdict})" for e in (baseline or Baseline()).accepted
                         if (e.rule, e.verdict) not in matched))
    anchoring = tuple(sorted(
        (AnchorProblem(fact=fid, location=str(base.locations.get(fid, base.document.source)),
                       problem=p) for fid, p in base.anchoring_problems),
        key=lambda a: (a.location, a.fact)))
    cov = base.coverage
    uncovered = tuple(Uncovered(paragraph=p, text=s.text, line=base.source.line_of(s.start))
                      for p, s in cov.uncovered)
    counts = Counter(r.verdict.value for r in results)
    return Report(
        document=base.document.title, source_sha256=base.document.sha256, facts=len(base.facts),
        paragraphs=len(base.source.paragraphs),
        paragraphs_with_facts=len({f.paragraph for f in base.facts.values()}),
        counts={v.value: counts.get(v.value, 0) for v in Verdict},
        results=tuple(results), anchoring=anchoring,
        coverage=CoverageSummary(found=cov.found, accounted=cov.accounted, uncovered=uncovered),
        stale_baseline=stale,
        unjustified=tuple(sorted(r.rule for r in results
                                 if r.accepted is not None and r.accepted.startswith("TODO"))))


def load(facts: Path | str = "facts", rules: Path | str = "rules") -> tuple[FactBase, Rules]:
    """Load and validate a fact base and its rules.

    Args:
        facts: the facts folder.
        rules: the rules folder.

    Raises:
        InvalidDataError: every data error, each with file:line:column.
    """
    kinds = {name: kind.Spec for name, kind in available_kinds().items()}
    errors: list[DataError] = []
    base = rule_set = None
    try:
        base = load_fact_base(facts)
    except InvalidDataError as exc:
        errors += exc.errors
    try:
        rule_set = load_rules(rules, kinds)
    except InvalidDataError as exc:
        errors += exc.errors
    if errors:
        raise InvalidDataError(errors)
    assert base is not None and rule_set is not None
    return base, rule_set


def check(facts: Path | str = "facts", rules: Path | str = "rules", *,
          baseline: Path | str | None = "baseline.yaml") -> Report:
    """Load, compile and evaluate a fact base and its rules.

    Args:
        facts: the facts folder.
        rules: the rules folder.
        baseline: accepted findings (a missing file is an empty baseline).

    Returns:
        The report; ``report.exit_code`` is what ``kzfacts check`` exits with.

    Raises:
        InvalidDataError: invalid facts, rules or baseline (exit code 2).
        RuleCrashError: a bug in a rule kind.
    """
    return check_with_base(facts, rules, baseline=baseline)[1]


def check_with_base(facts: Path | str = "facts", rules: Path | str = "rules", *,
                    baseline: Path | str | None = "baseline.yaml") -> tuple[FactBase, Report]:
    """:func:`check`, also returning the fact base (for reports that show the source)."""
    base, rule_set = load(facts, rules)
    accepted = load_baseline(baseline)
    results = evaluate(base, rule_set, compile_rules(base, rule_set), accepted)
    return base, report(base, results, accepted)
