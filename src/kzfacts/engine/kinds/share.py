"""share: a reported percentage against its part and whole, at the precision written (GRIM)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar

from kzfacts.data.model import FactKind, RuleSpec, Verdict
from kzfacts.engine.compile import (
    CONVENTIONS,
    CompileContext,
    Explanation,
    Operand,
    Outcome,
    RuleKind,
    fmt,
    fmt_interval,
)
from kzfacts.engine.kinds.common import TRUNCATION_NOTE, under_conventions, zero_divisor
from kzfacts.values.interval import Interval
from kzfacts.values.numbers import Convention, Qualifier

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from kzfacts._examples.scenario import Scenario

__all__ = ["ShareKind", "admissible_counts"]

HUNDRED = Fraction(100)


class ShareSpec(RuleSpec):
    """``share`` percent of ``whole`` is ``part``; without ``part``, whether any count fits."""

    share: str
    whole: str
    part: str | None = None


def admissible_counts(share: Interval, whole: int) -> range:
    """The whole counts ``k`` in ``0..whole`` with ``k / whole`` inside the share interval.

    Args:
        share: the percentages a written share admits.
        whole: the exact total.
    """
    if whole <= 0:
        return range(0)
    # k admissible  <=>  100 k / whole in share  and  0 <= k <= whole: integer bounds
    first, last = 0, whole
    if share.lo is not None:
        a, b = share.lo.numerator * whole, share.lo.denominator * 100
        k = -(-a // b)  # the least k with 100 k / whole >= lo
        if k * b == a and not share.lo_closed:
            k += 1
        first = max(first, k)
    if share.hi is not None:
        a, b = share.hi.numerator * whole, share.hi.denominator * 100
        k = a // b  # the greatest k with 100 k / whole <= hi
        if k * b == a and not share.hi_closed:
            k -= 1
        last = min(last, k)
    return range(first, last + 1) if first <= last else range(0)


def _holds_at(iv: Interval, num: int, den: int) -> bool:
    """Whether ``num / den`` (``den`` > 0) lies in ``iv``: ``iv.contains`` in integers."""
    lo, hi = iv.lo, iv.hi
    if lo is not None:
        a, b = num * lo.denominator, lo.numerator * den
        if a < b or (a == b and not iv.lo_closed):
            return False
    if hi is not None:
        a, b = num * hi.denominator, hi.numerator * den
        if a > b or (a == b and not iv.hi_closed):
            return False
    return True


def _pct(x: Fraction) -> str:
    return fmt(x, places=2) + "%"


class ShareKind(RuleKind):
    name: ClassVar[str] = "share"
    Spec: ClassVar[type[RuleSpec]] = ShareSpec

    @classmethod
    def compile(cls, spec: RuleSpec, ctx: CompileContext) -> Callable[[], Outcome]:
        assert isinstance(spec, ShareSpec)
        share = ctx.operand(spec.share, ("share",))
        if share.unit != "percent":
            raise ctx.error(("share",), "a share in percent", f"{share.label} in {share.unit}")
        whole = ctx.operand(spec.whole, ("whole",))
        if spec.part is None:
            return lambda: _grim(share, whole)
        part = ctx.operand(spec.part, ("part",))
        ctx.require_same_dimension([(whole, ("whole",)), (part, ("part",))])
        factor = ctx.factor(part.unit, whole.unit)
        return lambda: _ratio(share, part, whole, factor)

    @classmethod
    def examples(cls) -> SearchStrategy[Scenario]:
        return _share_examples()


def _ratio(share: Operand, part: Operand, whole: Operand, factor: Fraction) -> Outcome:
    p, w = part.reading.point, whole.reading.point
    f_num = factor.numerator  # an int: comparing a Fraction with 0 costs more than the rest
    if p is not None and w is not None and w > 0 and p >= 0 and f_num >= 0:
        # whole numbers: the ratio is the one rational 100 p factor / w under either convention
        num, den = 100 * p * f_num, w * factor.denominator
        verdict = (Verdict.PASS if _holds_at(share.interval("round"), num, den) else
                   Verdict.WARN if _holds_at(share.interval("truncate"), num, den) else
                   Verdict.FAIL)
        return Outcome.later(verdict, lambda: _ratio_text(share, part, whole, factor, verdict))
    if (why := zero_divisor(whole.text, whole.interval("truncate"))) is not None:
        return Outcome(Verdict.SKIP, f"{part.text} / {whole.text}: {why}")
    verdict, _ = under_conventions(
        lambda c: _ratio_of(part, whole, factor, c).intersects(share.interval(c)))
    return Outcome.later(verdict, lambda: _ratio_text(share, part, whole, factor, verdict))


def _ratio_of(part: Operand, whole: Operand, factor: Fraction, c: Convention) -> Interval:
    return (part.interval(c).scale(factor) / whole.interval(c)).scale(HUNDRED)


def _ratio_text(share: Operand, part: Operand, whole: Operand, factor: Fraction,
                verdict: Verdict) -> Explanation:
    r = _ratio_of(part, whole, factor, "round")
    places = share.reading.decimals + 2
    shown = (fmt(r.lo, places=places) + "%" if r.is_point and r.lo is not None
             else fmt_interval(r, places=places) + " %")
    head = f"{part.text} / {whole.text} = {shown}"
    intervals = {"ratio": fmt_interval(r), "share (rounded)": fmt_interval(share.interval()),
                 "share (truncated)": fmt_interval(share.interval("truncate"))}
    if verdict is Verdict.PASS:
        return f"{head}, which rounds to {share.text} ✓", intervals, ()
    if verdict is Verdict.WARN:
        return (f"{head}: {share.text} only if truncated, not rounded", intervals,
                (TRUNCATION_NOTE,))
    return (f"{head}, not {share.text} (which admits {fmt_interval(share.interval())}%)",
            intervals, ())


def _grim(share: Operand, whole: Operand) -> Outcome:
    n = whole.reading.point
    if n is None:
        w = whole.interval()
        if not w.is_point or w.lo is None or w.lo.denominator != 1:
            return Outcome(Verdict.SKIP, f"{share.text} of {whole.text}: the whole is not an "
                           "exact count, so no whole-count test applies")
        n = int(w.lo)
    if n <= 0:
        return Outcome(Verdict.SKIP, f"{share.text} of {whole.text}: the whole is 0")
    rounded = admissible_counts(share.interval("round"), n)
    if rounded:  # the truncated counts are needed only to explain
        verdict = Verdict.PASS
    else:
        verdict = (Verdict.WARN if admissible_counts(share.interval("truncate"), n)
                   else Verdict.FAIL)
    return Outcome.later(verdict, lambda: _grim_text(
        share, n, {c: admissible_counts(share.interval(c), n) for c in CONVENTIONS}))


def _grim_text(share: Operand, n: int, fits: dict[Convention, range]) -> Explanation:
    intervals = {"share (rounded)": fmt_interval(share.interval()),
                 "counts (rounded)": _list(fits["round"]),
                 "counts (truncated)": _list(fits["truncate"])}
    head = f"{share.text} of {fmt(n)}"
    if fits["round"]:
        ks = ", ".join(f"{k} ({_pct(Fraction(100 * k, n))})" for k in fits["round"])
        return f"{head} admits {ks} ✓", intervals, ()
    nearest = _nearest(share, n)
    if fits["truncate"]:
        ks = ", ".join(f"{k} ({_pct(Fraction(100 * k, n))})" for k in fits["truncate"])
        return (f"{head}: no whole count rounds to {share.text} ({nearest}); {ks} only if "
                "truncated", intervals, (TRUNCATION_NOTE,))
    return f"{head}: no whole count gives {share.text} ({nearest})", intervals, ()


def _nearest(share: Operand, n: int) -> str:
    center = Fraction(share.reading.value) * n / HUNDRED
    lo = max(0, int(center))
    return ", ".join(f"{k} = {_pct(Fraction(100 * k, n))}" for k in (lo, lo + 1) if k <= n)


def _list(r: range) -> str:
    return ", ".join(str(k) for k in r) or "none"


# -- examples: a part and a whole, then the share correctly rounded from them ---------------

def _share_oracle(s: Scenario) -> Verdict:
    from kzfacts._examples.scenario import admits, by_conventions

    share = s.fact[s.rule["share"]].number
    whole = s.fact[s.rule["whole"]].number.value
    if whole == 0:
        return Verdict.SKIP
    if "part" in s.rule:
        ratio = HUNDRED * s.fact[s.rule["part"]].number.value / whole
        return by_conventions(lambda c: admits(share, ratio, c))
    # GRIM by brute force: is there a whole count k of the whole that the share admits?
    # Only counts within one unit of the share's last digit can be (rounded or truncated),
    # so the search runs over those: every k with |100k/n - v| <= q.
    assert share.qualifier.value == "exact"
    n = int(whole)
    v, q = share.value, share.quantum
    first, last = max(0, int((v - q) * n / HUNDRED) - 1), min(n, int((v + q) * n / HUNDRED) + 1)
    return by_conventions(lambda c: any(admits(share, HUNDRED * k / n, c)
                                        for k in range(first, last + 1)))


def _share_examples() -> SearchStrategy[Scenario]:
    from hypothesis import strategies as st

    from kzfacts._examples.scenario import Mutant, Scenario, ScenarioFact, Written, unit_swap
    from kzfacts.strategies import counts, labelled, written_near

    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        whole = draw(counts(min_value=1, max_value=10_000))
        part = Written(draw(st.integers(0, whole.digits)), grouped=draw(st.booleans()))
        decimals = draw(st.integers(0, 2))
        share = written_near(HUNDRED * part.value / whole.value, decimals=decimals,
                             percent=True, comma=decimals > 0 and draw(st.booleans()))
        with_part = draw(st.booleans())
        ids = labelled("share", 3)
        made = [ScenarioFact(ids[0][0], FactKind.COUNT, ids[0][1], whole, "person"),
                ScenarioFact(ids[1][0], FactKind.SHARE, ids[1][1], share, "percent")]
        rule = {"share": ids[1][0], "whole": ids[0][0]}
        if with_part:
            made.append(ScenarioFact(ids[2][0], FactKind.COUNT, ids[2][1], part, "person"))
            rule["part"] = ids[2][0]
        s = Scenario("share", tuple(made), rule, _share_oracle)
        if with_part:
            swapped = s.replace_fact(unit_swap(made[0], "case"))
            bound = draw(st.sampled_from([Qualifier.MORE_THAN, Qualifier.LESS_THAN]))
            if share.digits == 0:
                bound = Qualifier.MORE_THAN  # "less than 0%" admits nothing
            qualified = s.replace_fact(dataclasses.replace(
                made[1], written=dataclasses.replace(share, qualifier=bound)))
            s = dataclasses.replace(s, structural=(
                Mutant("the whole counts cases, the part persons", swapped, "error", "unit"),
                Mutant(f"the share becomes '{bound.value.replace('_', ' ')}' it", qualified,
                       change="qualifier")))
        return s

    return build()
