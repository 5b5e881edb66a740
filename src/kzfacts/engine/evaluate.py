"""Evaluating compiled rules: each rule's verdict and its arithmetic, as a :class:`Result`."""

from __future__ import annotations

import re

from kzfacts.data.factbase import FactBase
from kzfacts.data.loader import Rules
from kzfacts.data.model import Baseline, Verdict
from kzfacts.engine.compile import CompiledRule
from kzfacts.engine.kind import Outcome
from kzfacts.engine.result import FactUse, Result
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
        why = accepted.get((spec.id, outcome.verdict))
        results.append(Result(
            rule=spec.id, kind=spec.kind, title=spec.title, severity=spec.severity,
            paragraphs=spec.paragraphs, why=spec.why, verdict=outcome.verdict,
            message=outcome.message, facts=tuple(uses[f] for f in rule.fact_ids),
            intervals=dict(outcome.intervals), notes=outcome.notes,
            location=str(rules.sources[spec.id].location),
            accepted=why is not None, justification=why))
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


def _fact_use(base: FactBase, fact_id: str) -> FactUse:
    fact = base.facts[fact_id]
    return FactUse(id=fact.id, paragraph=fact.paragraph, value=str(fact.value), unit=fact.unit,
                   quote=fact.quote, location=str(base.locations[fact_id]))
