"""claim: what a sentence claims without a number ("none", "most", "increased"), against
the counts the document gives elsewhere for the same thing and period."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import ClassVar, Literal

from pydantic import Field

from kzfacts.data.model import ClaimWord, Fact, FactKind, Period, RuleSpec, Verdict
from kzfacts.engine.kind import CompileContext, Operand, Outcome, RuleKind
from kzfacts.engine.kinds.common import (
    Relation,
    fit_conventions,
    fmt,
    fmt_interval,
    holds,
    period_conflict,
    zero_divisor,
)
from kzfacts.engine.kinds.order import Quantifier, quantify
from kzfacts.values.interval import Interval
from kzfacts.values.numbers import Convention

__all__ = ["DOUBLED_LOOSELY", "ClaimKind", "ClaimSpec"]

#: "doubled" holds for at least twice; from this factor up to twice it is a warning.
DOUBLED_LOOSELY = Fraction(3, 2)

_PART_OF_WHOLE = frozenset({ClaimWord.ALL, ClaimWord.MOST, ClaimWord.MAJORITY,
                            ClaimWord.MORE_THAN_HALF, ClaimWord.AT_LEAST_HALF,
                            ClaimWord.MINORITY})
_TRENDS = frozenset({ClaimWord.INCREASED, ClaimWord.DECREASED, ClaimWord.UNCHANGED,
                     ClaimWord.DOUBLED})
_FIELDS: dict[str, tuple[str, ...]] = {"none": ("counts",), "part": ("part", "whole"),
                                       "trend": ("before", "after")}


class ClaimSpec(RuleSpec):
    """A statement's ``claim`` against counts: ``counts`` for ``none``; ``part`` and
    ``whole`` for ``all``, ``most``...; ``before`` and ``after`` for ``increased``..."""

    claim: str = Field(description="a statement fact with a 'claim'")
    counts: tuple[str, ...] = Field((), description="for 'none': counts of the same period")
    scope: Literal["same", "wider"] = Field(
        "same", description="for 'none': the counts count the claim's subject ('same') or a "
        "wider set that includes it ('wider': a non-zero count leaves the claim unverified)")
    part: str | None = None
    whole: str | None = None
    before: str | None = None
    after: str | None = None


def _family(word: ClaimWord) -> str:
    if word is ClaimWord.NONE:
        return "none"
    return "part" if word in _PART_OF_WHOLE else "trend"


def _within(inner: Period, outer: Period) -> bool:
    return (outer.start.first_day <= inner.start.first_day
            and inner.end.last_day <= outer.end.last_day)


class ClaimKind(RuleKind):
    """``claim``: a statement that claims a quantity without giving it ("no such facts were
    recorded in 2023", "most", "increased") against counts the document gives.

    The statement's ``claim`` says which fields the rule needs: ``counts`` for ``none``
    (each must be able to be 0); ``part`` and ``whole`` for ``all``, ``most``,
    ``majority``, ``more_than_half``, ``at_least_half``, ``minority`` (the ``quantifier``
    kind's test); ``before`` and ``after`` for ``increased``, ``decreased``, ``unchanged``,
    ``doubled``. Counts must lie within the claim's period; ``before`` must end before
    ``after`` starts.

    Example::

        - id: p16.no-boil-notices-2023
          kind: claim
          title: No boil-water notice was needed in 2023, and none is counted
          severity: error
          paragraphs: [16]
          why: The paragraph says no notice was issued in 2023.
          claim: notices.none_2023
          counts: [notices.boil.2023]
    """

    name: ClassVar[str] = "claim"
    Spec: ClassVar[type[RuleSpec]] = ClaimSpec

    @classmethod
    def compile(cls, spec: RuleSpec, ctx: CompileContext) -> Callable[[], Outcome]:
        assert isinstance(spec, ClaimSpec)
        claim = ctx.fact(spec.claim, ("claim",))
        if claim.kind != FactKind.STATEMENT or claim.claim is None:
            raise ctx.error(("claim",), "a statement with a 'claim' (none, most, increased...)",
                            f"{claim.id}, a {claim.kind} fact without one")
        word = claim.claim
        family = _family(word)
        given = {"counts": bool(spec.counts), "part": spec.part is not None,
                 "whole": spec.whole is not None, "before": spec.before is not None,
                 "after": spec.after is not None}
        for name in _FIELDS[family]:
            if not given[name]:
                raise ctx.error((name,), f"'{name}' for a claim of {word.value}", "none")
        for name, present in given.items():
            if present and name not in _FIELDS[family]:
                raise ctx.error((name,), f"only {', '.join(map(repr, _FIELDS[family]))} for a "
                                f"claim of {word.value}", repr(name))
        if family == "none":
            counts = [(ctx.operand(ref, ("counts", i)), ("counts", i))
                      for i, ref in enumerate(spec.counts)]
            for operand, path in counts:
                _same_period(ctx, claim, operand, path)
            return lambda: _none(claim, [o for o, _ in counts], wider=spec.scope == "wider")
        if family == "part":
            assert spec.part is not None and spec.whole is not None
            part = ctx.operand(spec.part, ("part",))
            whole = ctx.operand(spec.whole, ("whole",))
            ctx.require_same_dimension([(whole, ("whole",)), (part, ("part",))])
            for operand, name in ((part, "part"), (whole, "whole")):
                _same_period(ctx, claim, operand, (name,))
            factor = ctx.factor(part.unit, whole.unit)
            return lambda: quantify(part, whole, factor, Quantifier(word.value))
        assert spec.before is not None and spec.after is not None
        before = ctx.operand(spec.before, ("before",))
        after = ctx.operand(spec.after, ("after",))
        ctx.require_same_dimension([(after, ("after",)), (before, ("before",))])
        if before.period is None or after.period is None:
            raise ctx.error(("before",), "a period on 'before' and on 'after'", "none")
        if not before.period.end.last_day < after.period.start.first_day:
            raise ctx.error(("after",), f"a period after that of 'before' ({before.period})",
                            str(after.period))
        factor = ctx.factor(before.unit, after.unit)
        return lambda: _trend(word, before, after, factor)


def _same_period(ctx: CompileContext, claim: Fact, operand: Operand,
                 path: Sequence[str | int]) -> None:
    """A count compared with a claim covers a period within the claim's (if it has one)."""
    if claim.period is None:
        return
    if operand.period is None or not _within(operand.period, claim.period):
        raise ctx.error(path, f"a count of the claim's period ({claim.period})",
                        f"{operand.label} of {operand.period or 'no period'}")


def _none(claim: Fact, counts: list[Operand], *, wider: bool) -> Outcome:
    said = f"\u201c{claim.quote}\u201d claims none"
    nonzero = [o for o in counts if not o.interval().contains(0)]
    intervals = {o.label: fmt_interval(o.interval()) for o in counts}
    if not nonzero:
        shown = ", ".join(f"{o.text} ({o.label})" for o in counts)
        return Outcome(Verdict.PASS, f"{said}; the document counts {shown} ✓", intervals)
    shown = "; ".join(f"{o.text} ({o.label}, {o.period or 'no period'})" for o in nonzero)
    if wider:
        return Outcome(Verdict.WARN, f"{said} of {claim.subject}, which the document never "
                       f"counts; in the same period it counts a wider set that is not 0: "
                       f"{shown}: the claim cannot be checked", intervals)
    return Outcome(Verdict.FAIL, f"{said}, but the document counts {shown}", intervals)


_TESTS: dict[ClaimWord, tuple[str, Relation]] = {
    ClaimWord.INCREASED: ("increased", Relation.GT),
    ClaimWord.DECREASED: ("decreased", Relation.LT),
    ClaimWord.UNCHANGED: ("unchanged", Relation.EQ),
    ClaimWord.DOUBLED: ("doubled", Relation.GE),
}


def _trend(word: ClaimWord, before: Operand, after: Operand, factor: Fraction) -> Outcome:
    if (conflict := period_conflict([before, after])) is not None:
        return Outcome(Verdict.SKIP, f"not compared: {conflict}")
    label, relation = _TESTS[word]
    times = Fraction(2) if word is ClaimWord.DOUBLED else Fraction(1)

    def side(c: Convention, k: Fraction = times) -> tuple[Interval, Interval]:
        return after.interval(c), before.interval(c).scale(factor * k)

    verdict, only_if = fit_conventions(lambda c: holds(relation, *side(c)))
    a, b = after.interval(), before.interval().scale(factor)
    head = f"{before.text} ({before.period}) → {after.text} ({after.period})"
    ratio = "" if zero_divisor("", b) else f", × {fmt_interval(a / b)}"
    intervals = {"before": fmt_interval(b), "after": fmt_interval(a)}
    if verdict is not Verdict.FAIL:
        return Outcome(verdict, f"{head}{ratio}: {label} ✓" if verdict is Verdict.PASS else
                       f"{head}{ratio}: {label} only if truncated", intervals, only_if=only_if)
    if word is ClaimWord.DOUBLED and holds(Relation.GE, *side("round", DOUBLED_LOOSELY)):
        return Outcome(Verdict.WARN, f"{head}{ratio}: less than twice, so 'doubled' only "
                       f"loosely (at least × {fmt(DOUBLED_LOOSELY)})", intervals)
    return Outcome(Verdict.FAIL, f"{head}{ratio}: not '{label}'", intervals)
