"""What a check finds on the document as a whole, beyond each rule's result.

* hygiene findings on the source text (:mod:`kzfacts.data.hygiene`);
* the rounding conventions: rules that hold only if the document rounded, against rules
  that hold only if it truncated, and accepted findings resting on a convention another
  rule refutes;
* the assumptions of the fact base and its rules;
* which facts a rule checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Literal

from kzfacts.data.factbase import FactBase
from kzfacts.data.hygiene import hygiene
from kzfacts.data.loader import Rules
from kzfacts.data.model import Baseline, BaselineEntry, Severity
from kzfacts.engine.result import (
    Assumption,
    CheckedFacts,
    Contradiction,
    DocumentFinding,
    Result,
    UncheckedFact,
)

__all__ = ["ROUNDING", "assumptions", "checked_facts", "contradictions", "document_findings"]

#: The id of the document-level finding that the document follows no one convention.
ROUNDING = "conventions.rounding"

Convention = Literal["round", "truncate"]
_OTHER: dict[Convention, Convention] = {"round": "truncate", "truncate": "round"}
_WORD = {"round": "rounded", "truncate": "truncated"}


def _source_name(base: FactBase) -> str:
    """The source file as a user names it: relative to the working directory if inside."""
    path = (base.root / base.document.source).absolute()
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(base.root / base.document.source)


def document_findings(base: FactBase, results: Sequence[Result],
                      accepted: Mapping[tuple[str, str], str]) -> tuple[DocumentFinding, ...]:
    """The hygiene findings of the source, then the rounding-convention finding.

    Args:
        base: the fact base.
        results: the rules' results.
        accepted: baseline justifications by (id, verdict).
    """
    skip = {span.start for _, span, by in base.coverage.spans
            if by is not None and by.startswith("not a claim")}
    name = _source_name(base)
    out = []
    for h in hygiene(base.source, decimal_comma=base.document.decimal_comma, skip=skip):
        line, column = base.source.position(h.offset)
        out.append(DocumentFinding(
            id=h.id, check=h.check, severity=h.severity, paragraph=h.paragraph,
            location=f"{name}:{line}:{column}", message=h.message,
            accepted=(h.id, "warn") in accepted, justification=accepted.get((h.id, "warn"))))
    rounding = _rounding(results)
    if rounding is not None:
        out.append(replace(rounding, accepted=(ROUNDING, "warn") in accepted,
                           justification=accepted.get((ROUNDING, "warn"))))
    return tuple(out)


def _only(results: Iterable[Result], convention: Convention) -> list[Result]:
    return [r for r in results if r.only_if == convention]


def _rounding(results: Sequence[Result]) -> DocumentFinding | None:
    rounded, truncated = _only(results, "round"), _only(results, "truncate")
    if not rounded or not truncated:
        return None

    def listed(rs: list[Result]) -> str:
        return "; ".join(f"{r.rule} ({', '.join(f'¶{p}' for p in r.paragraphs)}): {r.message}"
                         for r in rs)

    return DocumentFinding(
        id=ROUNDING, check="rounding", severity=Severity.WARNING, paragraph=None,
        location=None, rules=tuple(r.rule for r in (*rounded, *truncated)),
        message=(f"the document follows no one rounding convention: {len(rounded)} rule"
                 f"{'s hold' if len(rounded) > 1 else ' holds'} only if its figures were "
                 f"rounded ({listed(rounded)}), {len(truncated)} only if they were "
                 f"truncated ({listed(truncated)})"))


def _convention_of(entry: BaselineEntry, result: Result) -> Convention | None:
    """The convention an accepted finding rests on: its entry's ``convention`` (``none``:
    none), else the one convention its result holds under."""
    if entry.convention is not None:
        return None if entry.convention == "none" else entry.convention
    return result.only_if


def contradictions(results: Sequence[Result], baseline: Baseline | None,
                   ) -> tuple[list[Result], tuple[Contradiction, ...]]:
    """Accepted findings whose convention another rule refutes, and the results with
    those acceptances withdrawn.

    Returns:
        The results (an acceptance that does not stand is removed), and the contradictions.
    """
    entries: dict[tuple[str, str], BaselineEntry] = {
        (e.rule, e.verdict): e for e in (baseline or Baseline()).accepted}
    out: list[Contradiction] = []
    fixed: list[Result] = []
    for r in results:
        entry = entries.get((r.rule, r.verdict.value))
        convention = None if entry is None or not r.accepted else _convention_of(entry, r)
        refuting = [] if convention is None else [
            o for o in _only(results, _OTHER[convention]) if o.rule != r.rule]
        if convention is None or not refuting:
            fixed.append(r)
            continue
        first = refuting[0]
        out.append(Contradiction(
            rule=r.rule, verdict=r.verdict, convention=convention,
            refuted_by=tuple(o.rule for o in refuting),
            message=(f"the acceptance of {r.rule} ({r.verdict.value}) rests on the document "
                     f"having {_WORD[convention]} its figures, but {first.rule} holds only if "
                     f"they were {_WORD[_OTHER[convention]]} ({first.message}); justify it "
                     f"without the convention (convention: none) or leave it unaccepted")))
        fixed.append(replace(r, accepted=False, justification=None))
    return fixed, tuple(out)


def assumptions(base: FactBase, rules: Rules, results: Sequence[Result],
                ) -> tuple[Assumption, ...]:
    """Every assumption of the fact base and its rules, with the rules resting on it."""
    resting: dict[str, list[str]] = {}
    for r in results:
        for a in r.assumptions:
            resting.setdefault(a.by, []).append(r.rule)
    out = [Assumption(by=f.id, source="fact", text=f.assumption,
                      location=str(base.locations[f.id]),
                      rules=tuple(resting.get(f.id, ())))
           for f in base.facts.values() if f.assumption is not None]
    out.sort(key=lambda a: (base.facts[a.by].paragraph, _place(base, a.by)))
    out += [Assumption(by=spec.id, source="rule", text=spec.assumption,
                       location=str(rules.sources[spec.id].location),
                       rules=tuple(resting.get(spec.id, ())), doubtful=spec.assumption_doubtful)
            for spec in sorted(rules.specs, key=lambda s: s.id) if spec.assumption is not None]
    return tuple(out)


def _place(base: FactBase, fact_id: str) -> tuple[str, int, int]:
    where = base.locations[fact_id]
    return where.file, where.line, where.column


def checked_facts(base: FactBase, results: Sequence[Result]) -> CheckedFacts:
    """Which facts a rule checks: every fact with a value, and every statement with a
    claim, is used by a rule or declares why not (``unchecked``)."""
    used = {f.id for r in results for f in r.facts}
    facts = sorted((f for f in base.facts.values() if f.checkable),
                   key=lambda f: (f.paragraph, _place(base, f.id)))

    def listed(fact_id: str, reason: str | None) -> UncheckedFact:
        fact = base.facts[fact_id]
        return UncheckedFact(id=fact_id, paragraph=fact.paragraph,
                             location=str(base.locations[fact_id]), reason=reason)

    declared = [listed(f.id, f.unchecked) for f in facts if f.unchecked is not None]
    checkable = [f for f in facts if f.unchecked is None]
    return CheckedFacts(
        checkable=len(checkable), checked=sum(1 for f in checkable if f.id in used),
        unchecked=tuple(listed(f.id, None) for f in checkable if f.id not in used),
        declared=tuple(declared))
