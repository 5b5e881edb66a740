"""per_period and rates_agree: figures stated together, checked against each other.

* ``per_period``: "annually X" against "in total Y over N periods": Y (relation) N × X.
* ``rates_agree``: two amounts each stated in two units ("48.6 million thalers, equivalent
  to 4.32 million euros"; "9.4 million thalers, worth 1.1 million euros") imply two rates,
  which must agree with each other, whatever reference data says.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kzfacts.data.model import Period, RuleSpec, Verdict
from kzfacts.engine.kind import CompileContext, Operand, Outcome, RuleKind
from kzfacts.engine.kinds.common import (
    Relation,
    fit_conventions,
    fmt,
    fmt_interval,
    holds,
    zero_divisor,
)
from kzfacts.engine.kinds.money import tolerance_of
from kzfacts.values.interval import Interval
from kzfacts.values.numbers import Convention

__all__ = ["PerPeriodKind", "PerPeriodSpec", "RatePair", "RatesAgreeKind", "RatesAgreeSpec",
           "periods_in"]


def _tolerance(v: str | None) -> str | None:
    if v is not None:
        tolerance_of(v)
    return v


def periods_in(period: Period, per: Literal["year", "month"]) -> int:
    """How many calendar years (or months) a period touches: 2014/2023 is 10 years."""
    if per == "year":
        return period.end.year - period.start.year + 1
    first = period.start.year * 12 + (period.start.month or 1)
    last = period.end.year * 12 + (period.end.month or 12)
    return last - first + 1


class PerPeriodSpec(RuleSpec):
    """``total`` (relation) ``periods`` × ``each``: a figure per period against a total."""

    each: str = Field(description="the figure per period ('annually X')")
    total: str = Field(description="the total over the periods ('in total Y')")
    periods: int | None = Field(None, ge=1, le=10_000,
                                description="how many periods (default: those of total's period)")
    per: Literal["year", "month"] = "year"
    relation: Relation = Relation.EQ
    tolerance: str | None = Field(None, description="e.g. '5%': a looser match, reported as warn")

    _check_tolerance = field_validator("tolerance")(_tolerance)


class PerPeriodKind(RuleKind):
    """``per_period``: a figure per year (or month) times the number of periods against a
    total over them ("annually X" for N years against "in total Y over the N years").

    ``periods`` defaults to the calendar years (``per: month``: months) of the total's
    period; ``relation`` is ``eq`` (the total is N × each), ``le`` or ``ge``.

    Example::

        - id: p11.annual-grant-total
          kind: per_period
          title: Three annual grants of 2.4 million thalers make the 7.2 million of 2021-2023
          severity: error
          paragraphs: [11]
          why: The paragraph gives the same grant each year and their total.
          each: grant.annual
          total: grant.total
    """

    name: ClassVar[str] = "per_period"
    Spec: ClassVar[type[RuleSpec]] = PerPeriodSpec

    @classmethod
    def compile(cls, spec: RuleSpec, ctx: CompileContext) -> Callable[[], Outcome]:
        assert isinstance(spec, PerPeriodSpec)
        each = ctx.operand(spec.each, ("each",))
        total = ctx.operand(spec.total, ("total",))
        ctx.require_same_dimension([(total, ("total",)), (each, ("each",))])
        if spec.periods is not None:
            n = spec.periods
        elif total.period is None:
            raise ctx.error(("periods",), "the number of periods, or a period on the total",
                            f"{total.label} without a period")
        else:
            n = periods_in(total.period, spec.per)
        factor = ctx.factor(each.unit, total.unit)
        tolerance = None if spec.tolerance is None else tolerance_of(spec.tolerance)
        return lambda: _per_period(each, total, n, spec.per, factor, spec.relation, tolerance)


def _per_period(each: Operand, total: Operand, n: int, per: str, factor: Fraction,  # noqa: PLR0917 - the rule's parts
                relation: Relation, tolerance: Fraction | None) -> Outcome:
    def times(c: Convention) -> Interval:
        return each.interval(c).scale(factor * n)

    verdict, only_if = fit_conventions(lambda c: holds(relation, total.interval(c), times(c)))
    got, stated = times("round"), total.interval()
    unit = total.unit or ""
    head = f"{each.text} × {n} {per}s = {fmt_interval(got, places=0)} {unit}".rstrip()
    mean = stated.scale(Fraction(1, n))
    ratio = ("" if zero_divisor("", got)
             else f"; the total is × {fmt_interval(stated / got, places=3)}")
    detail = (f"{ratio} of it, {fmt_interval(mean, places=0)} {unit} a {per} on average"
              if ratio else "")
    intervals = {"periods × each": fmt_interval(got), "total": fmt_interval(stated)}
    notes: tuple[str, ...] = ()
    if total.partial:
        notes = (f"{total.label} covers {total.period}, counted as {n} whole {per}s",)
    symbol = relation.symbol if relation is not Relation.EQ else "="
    if verdict is Verdict.PASS:
        return Outcome(verdict, f"{total.text} {symbol} {head} ✓", intervals, notes,
                       only_if=only_if)
    if verdict is Verdict.WARN:
        return Outcome(verdict, f"{total.text} {symbol} {head} only if truncated", intervals,
                       notes, only_if=only_if)
    if tolerance is not None and holds(relation, stated, got.widen(tolerance)):
        return Outcome(Verdict.WARN, f"{head}, stated {total.text}: within the "
                       f"{fmt(tolerance * 100)}% tolerance only{detail}", intervals, notes)
    op = "" if relation is Relation.EQ else f"{symbol} "
    return Outcome(Verdict.FAIL, f"{head}, not {op}{total.text}{detail}", intervals, notes)


class RatePair(BaseModel):
    """One amount stated in two units: ``amount`` and the same amount as ``result``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: str
    result: str


class RatesAgreeSpec(RuleSpec):
    """The rates that two or more pairs of amounts imply are one rate."""

    pairs: tuple[RatePair, ...] = Field(description="two or more {amount, result} pairs")
    tolerance: str | None = Field(None, description="e.g. '5%': a looser match, reported as warn")

    _check_tolerance = field_validator("tolerance")(_tolerance)

    @field_validator("pairs")
    @classmethod
    def _two(cls, v: tuple[RatePair, ...]) -> tuple[RatePair, ...]:
        if len(v) < 2:
            raise ValueError(f"at least two pairs of amounts (one rate agrees with itself), "
                             f"found {len(v)}")
        return v


class RatesAgreeKind(RuleKind):
    """``rates_agree``: amounts each stated in two units imply one rate each; the rates must
    agree with each other (not only with reference data).

    Example::

        - id: p13.relief-rates
          kind: rates_agree
          title: Relief and fund spending imply one thaler/euro rate
          severity: warning
          paragraphs: [11, 13]
          why: Both amounts are given in thalers and in euros for 2023.
          pairs:
            - {amount: fund.spent, result: fund.spent.eur}
            - {amount: relief.total, result: relief.total.eur}
    """

    name: ClassVar[str] = "rates_agree"
    Spec: ClassVar[type[RuleSpec]] = RatesAgreeSpec

    @classmethod
    def compile(cls, spec: RuleSpec, ctx: CompileContext) -> Callable[[], Outcome]:
        assert isinstance(spec, RatesAgreeSpec)
        pairs = [(ctx.operand(p.amount, ("pairs", i, "amount")),
                  ctx.operand(p.result, ("pairs", i, "result"))) for i, p in enumerate(spec.pairs)]
        amount_unit = ctx.require_same_dimension(
            [(a, ("pairs", i, "amount")) for i, (a, _) in enumerate(pairs)])
        result_unit = ctx.require_same_dimension(
            [(r, ("pairs", i, "result")) for i, (_, r) in enumerate(pairs)])
        scaled = [(a, r, ctx.factor(a.unit, amount_unit), ctx.factor(r.unit, result_unit))
                  for a, r in pairs]
        tolerance = None if spec.tolerance is None else tolerance_of(spec.tolerance)
        unit = f"{amount_unit}/{result_unit}"
        return lambda: _rates(scaled, unit, tolerance)


_Scaled = tuple[Operand, Operand, Fraction, Fraction]


def _rates(pairs: list[_Scaled], unit: str, tolerance: Fraction | None) -> Outcome:
    def rates(c: Convention) -> list[Interval]:
        return [a.interval(c).scale(fa) / r.interval(c).scale(fr) for a, r, fa, fr in pairs]

    for a, r, _, _ in pairs:
        if (why := zero_divisor(r.text, r.interval("truncate"))) is not None:
            return Outcome(Verdict.SKIP, f"{a.text} / {r.text}: {why}")

    def agree(c: Convention, widen: Fraction | None = None) -> bool:
        rs = rates(c)
        if widen is not None:
            rs = [x.widen(widen) for x in rs]
        return all(x.intersects(y) for i, x in enumerate(rs) for y in rs[i + 1:])

    verdict, only_if = fit_conventions(agree)
    shown = rates("round")
    parts = "; ".join(f"{a.text} / {r.text} = {fmt_interval(x)} {unit}"
                      for (a, r, _, _), x in zip(pairs, shown, strict=True))
    intervals = {f"rate {i + 1}": fmt_interval(x) for i, x in enumerate(shown)}
    if verdict is Verdict.PASS:
        return Outcome(verdict, f"{parts}: one rate ✓", intervals, only_if=only_if)
    if verdict is Verdict.WARN:
        return Outcome(verdict, f"{parts}: one rate only if truncated", intervals,
                       only_if=only_if)
    if tolerance is not None and agree("round", tolerance):
        return Outcome(Verdict.WARN, f"{parts}: within the {fmt(tolerance * 100)}% tolerance "
                       "only", intervals)
    return Outcome(Verdict.FAIL, f"{parts}: the rates differ{_apart(pairs)}", intervals)


def _apart(pairs: list[_Scaled]) -> str:
    """By what factor the first two rates differ, and the second amount at the first rate,
    both from the values as written (the intervals are in the message)."""
    def rate(pair: _Scaled) -> Fraction:
        a, r, fa, fr = pair
        return Fraction(a.reading.value) * fa / (Fraction(r.reading.value) * fr)

    if any(Fraction(p[1].reading.value) == 0 or Fraction(p[0].reading.value) == 0
           for p in pairs[:2]):
        return ""
    first, second = rate(pairs[0]), rate(pairs[1])
    a2, r2, fa2, fr2 = pairs[1]
    at_first = Fraction(a2.reading.value) * fa2 / first / fr2
    return (f" by a factor of {fmt(max(first, second) / min(first, second), places=3)}; at "
            f"the first rate, {a2.text} is {fmt(at_first, places=0)} {r2.unit}, not {r2.text}")
