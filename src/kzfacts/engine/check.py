"""A whole check: load a fact base and its rules, compile, evaluate, assemble the report."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kzfacts.data.factbase import FactBase
from kzfacts.data.loader import Rules, load_baseline, load_fact_base, load_rules
from kzfacts.data.model import Baseline, Verdict
from kzfacts.engine.compile import compile_rules
from kzfacts.engine.document import (
    assumptions,
    checked_facts,
    contradictions,
    document_findings,
)
from kzfacts.engine.evaluate import evaluate, rule_order
from kzfacts.engine.kinds import available_kinds
from kzfacts.engine.result import (
    AnchorProblem,
    CoverageSummary,
    Report,
    Result,
    Uncovered,
)
from kzfacts.errors import DataError, InvalidDataError

__all__ = ["check", "check_with_base", "fact_base_paths", "load", "report"]


def fact_base_paths(path: Path | str = ".", rules: Path | str | None = None,
                    ) -> tuple[Path, Path, Path]:
    """The facts folder, the rules folder and the fact-base folder that ``path`` and
    ``rules`` name (see :func:`check`)."""
    path = Path(path)
    if rules is not None:
        return path, Path(rules), Path()
    if (path / "document.yaml").is_file():  # a facts folder: its rules are beside it
        return path, path.parent / "rules", path.parent
    return path / "facts", path / "rules", path


def load(path: Path | str = ".", rules: Path | str | None = None) -> tuple[FactBase, Rules]:
    """Load and validate a fact base and its rules.

    Args:
        path: the fact-base folder (holding ``facts/`` and ``rules/``), or the facts folder.
        rules: the rules folder (default: ``rules/`` beside the facts folder).

    Returns:
        The fact base and its rules.

    Raises:
        InvalidDataError: every data error, each with file:line:column.
        RuleCrashError: an installed rule kind plugin could not be loaded.
    """
    facts, rules, _ = fact_base_paths(path, rules)
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


def report(base: FactBase, results: list[Result], baseline: Baseline | None = None, *,
           rules: Rules | None = None) -> Report:
    """Assemble the report: results, anchoring problems, coverage, stale baseline entries,
    findings on the document (hygiene, rounding conventions), assumptions, checked facts.

    Args:
        base: the fact base checked.
        results: what :func:`kzfacts.evaluate` gave.
        baseline: the accepted findings the results were evaluated with.
        rules: the rules (for the assumptions they state; ``None``: only the facts').
    """
    justified: dict[tuple[str, str], str] = {
        (e.rule, e.verdict): e.why for e in (baseline or Baseline()).accepted}
    unjustified = tuple(r.rule for r in results if r.unjustified)
    results, contradicted = contradictions(results, baseline)
    documented = document_findings(base, results, justified)
    matched = {(r.rule, r.verdict.value) for r in results}
    matched |= {(d.id, d.verdict.value) for d in documented}
    matched |= {(c.rule, c.verdict.value) for c in contradicted}
    stale = tuple(f"{e.rule} ({e.verdict})" for e in sorted(
        (e for e in (baseline or Baseline()).accepted if (e.rule, e.verdict) not in matched),
        key=lambda e: (rule_order(e.rule), e.verdict)))
    anchoring = tuple(sorted(
        (AnchorProblem(fact=fid, location=str(base.locations.get(fid, base.document.source)),
                       problem=p) for fid, p in base.anchoring_problems),
        key=lambda a: (a.location, a.fact)))
    cov = base.coverage
    uncovered = tuple(Uncovered(paragraph=p, text=s.text, line=base.source.line_of(s.start))
                      for p, s in cov.uncovered)
    counts = Counter(r.verdict.value for r in results)
    return Report(
        document=base.document.title,
        source_sha256=base.document.sha256, facts=len(base.facts),
        paragraphs=len(base.source.paragraphs),
        paragraphs_with_facts=len({f.paragraph for f in base.facts.values()}),
        counts={v.value: counts.get(v.value, 0) for v in Verdict},
        results=tuple(results), anchoring=anchoring,
        coverage=CoverageSummary(found=cov.found, accounted=cov.accounted, uncovered=uncovered),
        stale_baseline=stale,
        unjustified=tuple(sorted(
            (*unjustified,
             *(d.id for d in documented if d.accepted
               and (d.justification or "").startswith("TODO"))), key=rule_order)),
        document_findings=documented, contradicted=contradicted,
        assumptions=assumptions(base, rules or Rules((), {}), results),
        checked=checked_facts(base, results))


def check(path: Path | str = ".", rules: Path | str | None = None, *,
          baseline: Path | str | None = "baseline.yaml", locate: bool = True) -> Report:
    """Load, compile and evaluate a fact base and its rules.

    Args:
        path: the fact-base folder, holding ``facts/``, ``rules/`` and ``baseline.yaml``
            (``kzfacts.bundled_path()`` for the bundled one); or the facts folder, with
            ``rules/`` beside it; or, with ``rules``, the facts folder.
        rules: the rules folder.
        baseline: accepted findings (a missing file is an empty baseline; ``None``: none).
            A relative path is taken in the fact-base folder (the working folder when
            ``rules`` is given).
        locate: give each finding its localisation (:func:`kzfacts.locate`): the facts
            it blames and the repairs that make every rule hold.

    Returns:
        The report; ``report.exit_code`` is what ``kzfacts check`` exits with.

    Raises:
        InvalidDataError: invalid facts, rules or baseline (exit code 2).
        RuleCrashError: a bug in a rule kind (exit code 3).

    Example:
        >>> import kzfacts
        >>> report = kzfacts.check(kzfacts.bundled_path())
        >>> report.result("p46.outcomes-sum").message
        '4,780 + 381 + 5005 = 10,166, not 10,169: 3 short'
    """
    return check_with_base(path, rules, baseline=baseline, locate=locate)[1]


def check_with_base(path: Path | str = ".", rules: Path | str | None = None, *,
                    baseline: Path | str | None = "baseline.yaml",
                    locate: bool = True) -> tuple[FactBase, Report]:
    """:func:`check`, also returning the fact base (for reports that show the source)."""
    facts, rules, root = fact_base_paths(path, rules)
    base, rule_set = load(facts, rules)
    accepted = load_baseline(None if baseline is None else root / baseline)
    compiled = compile_rules(base, rule_set)
    results = evaluate(base, rule_set, compiled, accepted)
    if locate:
        from kzfacts.engine.locate import locate as localise

        results = localise(base, rule_set, compiled, results)
    return base, report(base, results, accepted, rules=rule_set)
