"""share: a reported percentage against its part and whole, at the precision written (GRIM)."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import ClassVar

from kzfacts._compile import CompileContext, Operand, Outcome, RuleKind, fmt, fmt_interval
from kzfacts._interval import Interval
from kzfacts._kinds._common import TRUNCATION_NOTE, under_conventions, zero_divisor
from kzfacts._model import RuleSpec, Verdict
from kzfacts._numbers import Convention

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
    bounded = share.intersection(Interval.closed(0, 100))
    if bounded is None or whole <= 0:
        return range(0)
    return bounded.scale(Fraction(whole) / HUNDRED).integers()


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


def _ratio(share: Operand, part: Operand, whole: Operand, factor: Fraction) -> Outcome:
    if (why := zero_divisor(whole.text, whole.interval("truncate"))) is not None:
        return Outcome(Verdict.SKIP, f"{part.text} / {whole.text}: {why}")
    def ratio(c: Convention) -> Interval:
        return (part.interval(c).scale(factor) / whole.interval(c)).scale(HUNDRED)

    verdict, _ = under_conventions(lambda c: ratio(c).intersects(share.interval(c)))
    r = ratio("round")
    places = share.reading.decimals + 2
    shown = (fmt(r.lo, places=places) + "%" if r.is_point and r.lo is not None
             else fmt_interval(r, places=places) + " %")
    head = f"{part.text} / {whole.text} = {shown}"
    intervals = {"ratio": fmt_interval(r), "share (rounded)": fmt_interval(share.interval()),
                 "share (truncated)": fmt_interval(share.interval("truncate"))}
    if verdict is Verdict.PASS:
        return Outcome(verdict, f"{head}, which rounds to {share.text} ✓", intervals)
    if verdict is Verdict.WARN:
        return Outcome(verdict, f"{head}: {share.text} only if truncated, not rounded",
                       intervals, (TRUNCATION_NOTE,))
    return Outcome(verdict, f"{head}, not {share.text} (which admits "
                   f"{fmt_interval(share.interval())}%)", intervals)


def _grim(share: Operand, whole: Operand) -> Outcome:
    w = whole.interval()
    if not w.is_point or w.lo is None or w.lo.denominator != 1:
        return Outcome(Verdict.SKIP, f"{share.text} of {whole.text}: the whole is not an exact "
                       "count, so no whole-count test applies")
    n = int(w.lo)
    if n <= 0:
        return Outcome(Verdict.SKIP, f"{share.text} of {whole.text}: the whole is 0")
    fits = {c: admissible_counts(share.interval(c), n) for c in ("round", "truncate")}
    intervals = {"share (rounded)": fmt_interval(share.interval()),
                 "counts (rounded)": _list(fits["round"]),
                 "counts (truncated)": _list(fits["truncate"])}
    head = f"{share.text} of {fmt(n)}"
    if fits["round"]:
        ks = ", ".join(f"{k} ({_pct(Fraction(100 * k, n))})" for k in fits["round"])
        return Outcome(Verdict.PASS, f"{head} admits {ks} ✓", intervals)
    nearest = _nearest(share, n)
    if fits["truncate"]:
        ks = ", ".join(f"{k} ({_pct(Fraction(100 * k, n))})" for k in fits["truncate"])
        return Outcome(Verdict.WARN, f"{head}: no whole count rounds to {share.text} "
                       f"({nearest}); {ks} only if truncated", intervals, (TRUNCATION_NOTE,))
    return Outcome(Verdict.FAIL, f"{head}: no whole count gives {share.text} ({nearest})",
                   intervals)


def _nearest(share: Operand, n: int) -> str:
    center = Fraction(share.reading.value) * n / HUNDRED
    lo = max(0, int(center))
    return ", ".join(f"{k} = {_pct(Fraction(100 * k, n))}" for k in (lo, lo + 1) if k <= n)


def _list(r: range) -> str:
    return ", ".join(str(k) for k in r) or "none"
