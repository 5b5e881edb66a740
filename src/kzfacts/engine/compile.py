"""Compiling rules: each rule's references resolved and dimensions checked, once, before
any evaluation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kzfacts.data.factbase import FactBase
from kzfacts.data.loader import Rules
from kzfacts.data.model import RuleSpec
from kzfacts.engine.kind import CompileContext, Outcome
from kzfacts.engine.kinds import available_kinds
from kzfacts.errors import DataError, InvalidDataError, RuleCrashError

__all__ = ["CompiledRule", "compile_rules"]


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule resolved against its fact base, ready to evaluate.

    Attributes:
        spec: the rule as written.
        evaluate: its check: gives the rule's :class:`kzfacts.Outcome`.
        fact_ids: the facts it uses, in the order it first used them.
    """

    spec: RuleSpec
    evaluate: Callable[[], Outcome]
    fact_ids: tuple[str, ...]


def compile_rules(base: FactBase, rules: Rules) -> list[CompiledRule]:
    """Resolve every reference and check every dimension, collecting all errors.

    A fact that declares ``unchecked`` but is used by a rule is an error too.

    Args:
        base: the fact base.
        rules: its rules.

    Returns:
        The compiled rules, in the order of ``rules.specs``.

    Raises:
        InvalidDataError: unknown facts, unit mismatches, bad rates, each at its rule's field.
        RuleCrashError: a rule kind raised anything else: a bug in the kind.
    """
    kinds = available_kinds()
    compiled: list[CompiledRule] = []
    errors: list[DataError] = []
    for spec in rules.specs:
        ctx = CompileContext(base, spec, rules.sources[spec.id])
        try:
            check = kinds[spec.kind].compile(spec, ctx)
        except DataError as exc:
            errors.append(exc)
            continue
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # whatever a kind raises is its bug
            raise RuleCrashError(spec.id, spec.kind, exc) from exc
        if not callable(check):
            raise RuleCrashError(spec.id, spec.kind, TypeError(
                f"compile() returned {check!r}, not a function giving an Outcome"))
        compiled.append(CompiledRule(spec, check, tuple(ctx.used)))
    errors += _declared_unchecked(base, compiled)
    if errors:
        raise InvalidDataError(errors)
    return compiled


def _declared_unchecked(base: FactBase, compiled: list[CompiledRule]) -> list[DataError]:
    """A fact that says no rule can check it (``unchecked``) while a rule uses it: one
    error at the fact, naming the first rule."""
    users: dict[str, str] = {}
    for rule in compiled:
        for fact_id in rule.fact_ids:
            users.setdefault(fact_id, rule.spec.id)
    return [DataError(base.locations[f], "no 'unchecked' on a fact a rule uses (remove it)",
                      f"unchecked: {base.facts[f].unchecked!r} while rule {rule} uses it",
                      field=f"fact {f}")
            for f, rule in sorted(users.items()) if base.facts[f].unchecked is not None]
