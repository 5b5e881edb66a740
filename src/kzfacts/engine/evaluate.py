"""Evaluating compiled rules: each rule's verdict and its arithmetic, as a :class:`Result`."""

from __future__ import annotations

import re
from dataclasses import replace

from kzfacts.data.factbase import FactBase
from kzfacts.data.loader import Rules
from kzfacts.data.model import Baseline, Verdict
from kzfacts.engine.compile import CompiledRule
from kzfacts.engine.kind import Outcome
from kzfacts.engine.result import Assumed, FactUse, Result
from kzfacts.errors import RuleCrashError

__all__ = ["evaluate", "rule_order"]

_DIGITS = re.compile(r"([0-9]+)")


def rule_order(rule: str) -> tuple[tuple[str | int, ...], str]:
    """The sort key of a rule id, numbers by their value: ``p2.x``, ``p9``, ``p10.x``.

    Every list of rules kzfacts writes is in this order. Text and numbers alternate in the
    key (text first, maybe empty), so two keys compare text with text and number with
    number; ids equal as numbers (``p01``, ``p1``) are ordered by their text.
    """
    parts = _DIGITS.split(rule)
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts)), rule


def evaluate(base: FactBase, rules: Rules, compiled: list[CompiledRule],
             baseline: Baseline | None = None) -> list[Result]:
    """Evaluate compiled rules.

    Args:
        base: the fact base the rules were compiled against.
        rules: the rules (for where each is written).
        compiled: what :func:`kzfacts.compile_rules` made of them.
        baseline: accepted findings: a result whose rule and verdict it lists is
            ``accepted``, with the entry's ``justification``.

    Returns:
        One result per compiled rule, in :func:`rule_order` of their ids.

    Raises:
        RuleCrashError: a rule kind raised, or gave something other than an
            :class:`kzfacts.Outcome`: a bug, never reported as a failed check.
    """
    accepted = {(e.rule, Verdict(e.verdict)): e.why for e in (baseline or Baseline()).accepted}
    used = {f for rule in compiled for f in rule.fact_ids}
    uses = {f: _fact_use(base, f) for f in sorted(used)}
    results = []
    for rule in compiled:
        spec = rule.spec
        outcome = _run(rule)
        assumed = _assumed(base, rule)
        if spec.assumption_doubtful and outcome.verdict is Verdict.PASS:
            outcome = replace(
                outcome, verdict=Verdict.WARN,
                message=f"{outcome.message}; but only if {spec.assumption}, which is doubtful",
                notes=(*outcome.notes, f"holds only if: {spec.assumption} (doubtful)"))
        why = accepted.get((spec.id, outcome.verdict))
        results.append(Result(
            rule=spec.id, kind=spec.kind, title=spec.title, severity=spec.severity,
            paragraphs=spec.paragraphs, why=spec.why, verdict=outcome.verdict,
            message=outcome.message, facts=tuple(uses[f] for f in rule.fact_ids),
            intervals=dict(outcome.intervals), notes=outcome.notes,
            location=str(rules.sources[spec.id].location),
            accepted=why is not None, justification=why, assumptions=assumed,
            only_if=outcome.only_if if outcome.verdict in (Verdict.PASS, Verdict.WARN)
            else None))
    results.sort(key=lambda r: rule_order(r.rule))
    return results


def _run(rule: CompiledRule) -> Outcome:
    """The rule's outcome; whatever its kind raises (or gives instead) is its crash."""
    try:
        outcome = rule.evaluate()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # whatever a kind raises is its bug
        raise RuleCrashError(rule.spec.id, rule.spec.kind, exc) from exc
    if not isinstance(outcome, Outcome):
        raise RuleCrashError(rule.spec.id, rule.spec.kind, TypeError(
            f"the check returned {outcome!r}, not a kzfacts.Outcome"))
    return outcome


def _assumed(base: FactBase, rule: CompiledRule) -> tuple[Assumed, ...]:
    """The assumptions of the facts a rule uses, then the rule's own."""
    out = [Assumed(by=f, text=text) for f in rule.fact_ids
           if (text := base.facts[f].assumption) is not None]
    spec = rule.spec
    if spec.assumption is not None:
        out.append(Assumed(by=spec.id, text=spec.assumption, doubtful=spec.assumption_doubtful))
    return tuple(out)


def _fact_use(base: FactBase, fact_id: str) -> FactUse:
    fact = base.facts[fact_id]
    return FactUse(id=fact.id, paragraph=fact.paragraph, value=str(fact.value), unit=fact.unit,
                   quote=fact.quote, location=str(base.locations[fact_id]))
