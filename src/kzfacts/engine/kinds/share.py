"""share: a reported percentage against its part and whole, at the precision written (GRIM)."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import ClassVar

from kzfacts.data.model import RuleSpec, Verdict
from kzfacts.engine.kind import CompileContext, Operand, Outcome, RuleKind
from kzfacts.engine.kinds.common import (
    TRUNCATION_NOTE,
    fit_conventions,
    fmt,
    fmt_interval,
    zero_divisor,
)
from kzfacts.errors import ArgumentError, describe
from kzfacts.values.interval import Interval
from kzfacts.values.numbers import Convention, Reading, read_number

__all__ = ["ShareKind", "ShareSpec", "admissible_counts", "grim", "ratio"]

HUNDRED = Fraction(100)
#: A message lists the counts a share admits when there are at most this many.
LISTED_COUNTS = 12


class ShareSpec(RuleSpec):
    """``share`` percent of ``whole`` is ``part``; without ``part``, whether any count fits."""

    share: str
    whole: str
    part: str | None = None


def admissible_counts(share: Interval | Reading | str, whole: int) -> range:
    """The whole counts ``k`` in ``0..whole`` with ``100 k / whole`` inside the share interval.

    Args:
        share: the percentages a written share admits: a share as written (``"78%"``), its
            :class:`~kzfacts.Reading`, or an :class:`~kzfacts.Interval` of percentages.
        whole: the exact total.

    Returns:
        The counts, in order (empty when none fits or ``whole`` is not positive).

    Raises:
        ArgumentError: ``share`` is not in percent, or ``whole`` is not an int.

    Example:
        >>> from kzfacts import admissible_counts
        >>> list(admissible_counts("78%", 64))
        [50]
    """
    if isinstance(share, str):
        share = read_number(share)
    if isinstance(share, Reading):
        if share.unit != "percent":
            raise ArgumentError("admissible_counts(share=)", "a share in percent ('78%')",
                                f"{share.text!r} ({share.unit or 'no unit'})")
        share = share.interval()
    if not isinstance(share, Interval):
        raise ArgumentError("admissible_counts(share=)", "a share as written ('78%'), a "
                            "Reading or an Interval of percentages", describe(share))
    if not isinstance(whole, int) or isinstance(whole, bool):
        raise ArgumentError("admissible_counts(whole=)", "a whole count (an int)",
                            describe(whole))
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


def _pct(x: Fraction) -> str:
    return fmt(x, places=2) + "%"


class ShareKind(RuleKind):
    """``share``: a percentage against its part and whole at the precision written; without
    a part, whether any whole count of the whole gives it (GRIM).

    Example::

        - id: p4.municipal-share
          kind: share
          title: 783,200 of 1,284,000 households is 61%
          severity: error
          paragraphs: [4]
          why: The percentage is given for the households of municipal utilities.
          share: households.municipal.share
          part: households.municipal
          whole: households.served.2023
    """

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
            return lambda: grim(share, whole)
        part = ctx.operand(spec.part, ("part",))
        ctx.require_same_dimension([(whole, ("whole",)), (part, ("part",))])
        factor = ctx.factor(part.unit, whole.unit)
        return lambda: ratio(share, part, whole, factor)


def _ratio_of(part: Operand, whole: Operand, percent: Fraction, c: Convention) -> Interval:
    """``part`` × ``percent`` / ``whole`` (``percent``: the part's unit factor × 100)."""
    return part.interval(c).scale(percent) / whole.interval(c)


def ratio(share: Operand, part: Operand, whole: Operand, factor: Fraction) -> Outcome:
    """Whether ``part`` (times ``factor``, to the whole's unit) over ``whole`` rounds to
    ``share``: what a ``share`` rule with a part evaluates (and :func:`kzfacts.check_share`)."""
    if (why := zero_divisor(whole.text, whole.interval("truncate"))) is not None:
        return Outcome(Verdict.SKIP, f"{part.text} / {whole.text}: {why}")
    percent = factor * HUNDRED
    r = _ratio_of(part, whole, percent, "round")
    verdict, only_if = fit_conventions(
        lambda c: (r if c == "round" else _ratio_of(part, whole, percent, c)).intersects(
            share.interval(c)))
    places = share.reading.decimals + 2
    shown = (fmt(r.lo, places=places) + "%" if r.is_point and r.lo is not None
             else fmt_interval(r, places=places) + " %")
    head = f"{part.text} / {whole.text} = {shown}"
    intervals = {"ratio": fmt_interval(r), "share (rounded)": fmt_interval(share.interval()),
                 "share (truncated)": fmt_interval(share.interval("truncate"))}
    if verdict is Verdict.PASS:
        return Outcome(verdict, f"{head}, which rounds to {share.text} ✓", intervals,
                       only_if=only_if)
    if verdict is Verdict.WARN:
        return Outcome(verdict, f"{head}: {share.text} only if truncated, not rounded",
                       intervals, (TRUNCATION_NOTE,), only_if=only_if)
    return Outcome(verdict, f"{head}, not {share.text} (which admits "
                            f"{fmt_interval(share.interval())}%)", intervals)


def grim(share: Operand, whole: Operand) -> Outcome:
    """Whether some whole count of ``whole`` gives ``share``: what a ``share`` rule without a
    part evaluates (and :func:`kzfacts.check_share` without ``part``)."""
    w = whole.interval()
    if not w.is_point or w.lo is None or w.lo.denominator != 1:
        return Outcome(Verdict.SKIP, f"{share.text} of {whole.text}: the whole is not an "
                       "exact count, so no whole-count test applies")
    n = int(w.lo)
    if n <= 0:
        return Outcome(Verdict.SKIP, f"{share.text} of {whole.text}: the whole is 0")
    rounded = admissible_counts(share.interval("round"), n)
    truncated = admissible_counts(share.interval("truncate"), n)
    intervals = {"share (rounded)": fmt_interval(share.interval()),
                 "counts (rounded)": _list(rounded), "counts (truncated)": _list(truncated)}
    head = f"{share.text} of {fmt(n)}"
    if rounded:
        return Outcome(Verdict.PASS, f"{head} admits {_counts(rounded, n)} ✓", intervals,
                       only_if=None if truncated else "round")
    nearest = _nearest(share, n)
    if truncated:
        return Outcome(Verdict.WARN, f"{head}: no whole count rounds to {share.text} "
                       f"({nearest}); {_counts(truncated, n)} only if truncated", intervals,
                       (TRUNCATION_NOTE,), only_if="truncate")
    return Outcome(Verdict.FAIL, f"{head}: no whole count gives {share.text} ({nearest})",
                   intervals)


def _counts(ks: range, n: int) -> str:
    """The counts a share admits, each with its percentage; the ends only, when many."""
    def one(k: int) -> str:
        return f"{k} ({_pct(Fraction(100 * k, n))})"

    if len(ks) <= LISTED_COUNTS:
        return ", ".join(one(k) for k in ks)
    return f"{len(ks):,} counts from {one(ks[0])} to {one(ks[-1])}"


def _nearest(share: Operand, n: int) -> str:
    center = Fraction(share.reading.value) * n / HUNDRED
    lo = max(0, int(center))
    return ", ".join(f"{k} = {_pct(Fraction(100 * k, n))}" for k in (lo, lo + 1) if k <= n)


def _list(ks: range) -> str:
    if len(ks) <= LISTED_COUNTS:
        return ", ".join(str(k) for k in ks) or "none"
    return f"{ks[0]}–{ks[-1]} ({len(ks):,} counts)"
