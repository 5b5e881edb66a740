"""conversion and mean_within: money in one unit against another, through a dated rate."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kzfacts.data.model import ReferenceEntry, RuleSpec, Verdict
from kzfacts.engine.kind import CompileContext, Operand, Outcome, RuleKind
from kzfacts.engine.kinds.common import fmt, fmt_interval, year_span, zero_divisor
from kzfacts.values.interval import Interval
from kzfacts.values.numbers import Convention, DateValue, Qualifier, Reading, read_number
from kzfacts.values.units import UnitSystem

__all__ = ["MAX_TOLERANCE", "ConversionKind", "ConversionSpec", "MeanWithinKind",
           "MeanWithinSpec", "Rate", "RateSpec", "convert", "direction", "mean", "tolerance_of"]

#: The loosest tolerance a conversion may state.
MAX_TOLERANCE = Fraction(1)


class RateSpec(BaseModel):
    """Where a rate comes from: a reference table (on a date, in a year or years) or a fact."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    table: str | None = None
    on: str | None = Field(None, description="the date the rate applies: YYYY-MM-DD")
    year: int | None = None
    years: tuple[int, int] | None = None
    applies_to: str = "all uses"
    fact: str | None = None

    @field_validator("year")
    @classmethod
    def _year(cls, v: int | None) -> int | None:
        if v is not None and not 1 <= v <= 9999:
            raise ValueError(f"a year from 1 to 9999, found {v}")
        return v

    @field_validator("years")
    @classmethod
    def _years(cls, v: tuple[int, int] | None) -> tuple[int, int] | None:
        return v if v is None else year_span(v)

    @model_validator(mode="after")
    def _one_source(self) -> RateSpec:
        whens = [w for w in (self.on, self.year, self.years) if w is not None]
        if (self.table is None) == (self.fact is None):
            raise ValueError("exactly one of 'table' or 'fact'")
        if self.table is not None and len(whens) != 1:
            raise ValueError("with a table, exactly one of 'on', 'year' or 'years'")
        return self


class Rate(NamedTuple):
    """A rate: as a message shows it, its unit, the values it may have, notes on them."""

    text: str
    unit: str
    readings: tuple[Reading, ...]
    notes: tuple[str, ...]

    @property
    def unconfirmed(self) -> bool:
        """Whether it relies on a reference value without a confirmed source."""
        return any(n.startswith("relies on an unconfirmed") for n in self.notes)

    def interval(self, convention: Convention) -> Interval:
        """The values the rate admits: the hull of its readings'."""
        out = self.readings[0].interval(convention=convention)
        for r in self.readings[1:]:
            out = out.hull(r.interval(convention=convention))
        return out


def _entry_reading(entry: ReferenceEntry, unit: str) -> Reading:
    value = entry.value
    if isinstance(value, int):
        return Reading(str(value), value, Decimal(1), True, unit)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return Reading(str(value), value, Decimal(1).scaleb(exponent), False, unit)


def _resolve_rate(ctx: CompileContext, spec: RateSpec, path: str) -> Rate:
    if spec.fact is not None:
        op = ctx.operand(spec.fact, (path, "fact"))
        if op.unit is None:
            raise ctx.error((path, "fact"), "a rate fact with a unit", op.label)
        return Rate(op.text, op.unit, (op.reading,), ())
    tables = ctx.base.reference.tables if ctx.base.reference else {}
    assert spec.table is not None
    table = tables.get(spec.table)
    if table is None:
        raise ctx.error((path, "table"), f"a reference table ({', '.join(sorted(tables))})",
                        repr(spec.table))
    entries = [e for e in table.entries if e.applies_to == spec.applies_to]
    if spec.on is not None:
        try:
            day = DateValue.from_iso(spec.on).first_day
        except ValueError as exc:
            raise ctx.error((path, "on"), "a date YYYY-MM-DD", str(exc)) from None
        dated = [e for e in entries if e.effective_from and e.effective_from.first_day <= day]
        chosen = [max(dated, key=lambda e: e.effective_from or DateValue(0))] if dated else []
        when = f"on {spec.on}"
    else:
        first, last = spec.years or (spec.year, spec.year)
        assert first is not None and last is not None
        chosen = [e for e in entries if e.year is not None and first <= e.year <= last]
        for year in range(first, last + 1):
            start, end = DateValue(year).first_day, DateValue(year).last_day
            in_force = [e for e in entries if e.effective_from is not None
                        and e.effective_from.first_day <= end]
            later = [e for e in in_force if e.effective_from and e.effective_from.first_day > start]
            before = [e for e in in_force if e.effective_from
                      and e.effective_from.first_day <= start]
            if before:
                chosen.append(max(before, key=lambda e: e.effective_from or DateValue(0)))
            chosen += later
        when = f"in {first}" if first == last else f"in {first}–{last}"
    if not chosen:
        raise ctx.error((path,), f"a value of table {spec.table!r} ({spec.applies_to}) {when}",
                        "none")
    chosen = list(dict.fromkeys(chosen))
    readings = tuple(_entry_reading(e, table.unit) for e in chosen)
    values = sorted({Fraction(e.value) for e in chosen})
    text = (fmt(values[0]) if len(values) == 1 else f"{fmt(values[0])}–{fmt(values[-1])}")
    notes = tuple(f"{spec.table} {when}: {e.value} {table.unit} ({e.confidence}; "
                  f"{e.source_url or 'no source'})" for e in chosen)
    unconfirmed = tuple(f"relies on an unconfirmed reference value: {e.value} {table.unit}"
                        for e in chosen if e.source_url is None or "unconfirmed" in e.confidence)
    return Rate(f"{text} {table.unit}", table.unit, readings, notes + unconfirmed)


def direction(units: UnitSystem, amount: str, rate: str, result: str) -> bool | None:
    """True if result = amount × rate, False if amount ÷ rate, None if neither."""
    target = units.parse(result).dimensionality
    if units.product_dimension((amount, 1), (rate, 1)) == target:
        return True
    if units.product_dimension((amount, 1), (rate, -1)) == target:
        return False
    return None


def _direction(ctx: CompileContext, amount: str, rate: str, result: str, path: str) -> bool:
    """:func:`direction`; neither is a unit mismatch (located at ``path``)."""
    multiply = direction(ctx.base.units, amount, rate, result)
    if multiply is None:
        raise ctx.error((path,), f"a rate converting {amount} to {result}", rate)
    return multiply


def tolerance_of(text: str) -> Fraction:
    """A conversion's tolerance as a fraction: ``'5%'`` is 1/20.

    Raises:
        ValueError: not an exact percentage above 0% and at most :data:`MAX_TOLERANCE`.
    """
    shown = repr(text) if len(text) <= 40 else f"{text[:40]!r}... ({len(text):,} characters)"
    expected = (f"a tolerance in percent above 0% and at most {fmt(MAX_TOLERANCE * 100)}%, "
                f"such as '5%', found {shown}")
    try:
        reading = read_number(text)
    except ValueError:  # a ReadError, or digits past what Python reads
        raise ValueError(expected) from None
    value = Fraction(reading.value) / 100
    if (reading.unit != "percent" or reading.qualifier is not Qualifier.EXACT
            or not 0 < value <= MAX_TOLERANCE):
        raise ValueError(expected)
    return value


class ConversionSpec(RuleSpec):
    """``amount`` × ``rate`` = ``result`` (or ÷, as the units say)."""

    amount: str
    result: str
    rate: RateSpec
    tolerance: str | None = Field(None, description="e.g. '5%': a looser reading, reported as warn")

    @field_validator("tolerance")
    @classmethod
    def _tolerance(cls, v: str | None) -> str | None:
        if v is not None:
            tolerance_of(v)
        return v


class ConversionKind(RuleKind):
    """``conversion``: an amount in one unit against the same amount in another, through a
    rate from a reference table (on a date, in a year or years) or from a fact; ``tolerance``
    (above 0%, at most 100%) admits a looser match as a warning.

    Example::

        - id: p11.spent-in-euros
          kind: conversion
          title: 48.6 million thalers is 4.32 million euros at the 2023 rate
          severity: error
          paragraphs: [11]
          why: The two figures are the same spending, in 2023.
          amount: fund.spent
          result: fund.spent.eur
          rate: {table: eur_nvt, on: "2023-12-31"}
    """

    name: ClassVar[str] = "conversion"
    Spec: ClassVar[type[RuleSpec]] = ConversionSpec

    @classmethod
    def compile(cls, spec: RuleSpec, ctx: CompileContext) -> Callable[[], Outcome]:
        assert isinstance(spec, ConversionSpec)
        amount = ctx.operand(spec.amount, ("amount",))
        result = ctx.operand(spec.result, ("result",))
        rate = _resolve_rate(ctx, spec.rate, "rate")
        if amount.unit is None or result.unit is None:
            raise ctx.error(("amount",), "amounts with units", "a unitless number")
        multiply = _direction(ctx, amount.unit, rate.unit, result.unit, "rate")
        tolerance = None if spec.tolerance is None else tolerance_of(spec.tolerance)
        return lambda: convert(amount, result, rate, multiply=multiply, tolerance=tolerance)


def convert(amount: Operand, result: Operand, rate: Rate, *, multiply: bool,
            tolerance: Fraction | None) -> Outcome:
    """Whether ``amount`` × (or ÷) ``rate`` is ``result``: what a ``conversion`` rule
    evaluates (and :func:`kzfacts.check_conversion`)."""
    def computed(c: Convention) -> Interval:
        r = rate.interval(c)
        return amount.interval(c) * (r if multiply else r.reciprocal())

    if not multiply and (why := zero_divisor(rate.text, rate.interval("truncate"))):
        return Outcome(Verdict.SKIP, f"{amount.text} ÷ {rate.text}: {why}")
    got = computed("round")
    rounded = got.intersects(result.interval())
    truncated = computed("truncate").intersects(result.interval("truncate"))
    tolerated = tolerance is not None and got.widen(tolerance).intersects(result.interval())
    # the rate the stated result implies (none when the amount, or the result, is 0)
    a, b = result.interval(), amount.interval()
    divisor = b if multiply else a
    imp = None if zero_divisor("", divisor) else (a / b if multiply else b / a)
    op = "×" if multiply else "÷"
    head = f"{amount.text} {op} {rate.text} = {fmt_interval(got, places=0)} {result.unit}"
    shown = "none (it would divide by 0)" if imp is None else f"{fmt_interval(imp)} {rate.unit}"
    implied = f"implied rate {shown}"
    intervals = {"computed": fmt_interval(got), "stated": fmt_interval(result.interval()),
                 "implied rate": "none" if imp is None else fmt_interval(imp),
                 "reference rate": fmt_interval(rate.interval("round"))}
    if rounded:
        verdict = Verdict.WARN if rate.unconfirmed else Verdict.PASS
        message = f"{head}, stated {result.text} ✓ ({implied})"
    elif truncated:
        verdict, message = Verdict.WARN, f"{head}; stated {result.text} only if truncated ({implied})"
    elif tolerated:
        assert tolerance is not None
        verdict, message = Verdict.WARN, (f"{head}, stated {result.text}: within the "
                                          f"{fmt(tolerance * 100)}% tolerance only ({implied})")
    else:
        verdict, message = Verdict.FAIL, f"{head}, not {result.text} ({implied})"
    return Outcome(verdict, message, intervals, rate.notes)


class MeanWithinSpec(RuleSpec):
    """``total`` / ``count`` lies in [``low``, ``high``] per counted item (converted by ``rate``)."""

    total: str
    count: str
    low: str
    high: str
    rate: RateSpec | None = None


class MeanWithinKind(RuleKind):
    """``mean_within``: a total over a count lies within a range per item (through a rate
    when the range is in another unit).

    Example::

        - id: p11.mean-project
          kind: mean_within
          title: The average repair project lies between 50,000 and 400,000 thalers
          severity: error
          paragraphs: [11]
          why: Every project received between the two, so their average does too.
          total: fund.spent
          count: fund.projects
          low: project.min
          high: project.max
    """

    name: ClassVar[str] = "mean_within"
    Spec: ClassVar[type[RuleSpec]] = MeanWithinSpec

    @classmethod
    def compile(cls, spec: RuleSpec, ctx: CompileContext) -> Callable[[], Outcome]:
        assert isinstance(spec, MeanWithinSpec)
        total = ctx.operand(spec.total, ("total",))
        count = ctx.operand(spec.count, ("count",))
        low = ctx.operand(spec.low, ("low",))
        high = ctx.operand(spec.high, ("high",))
        ctx.require_same_dimension([(low, ("low",)), (high, ("high",))])
        rate = _resolve_rate(ctx, spec.rate, "rate") if spec.rate else None
        if rate is not None:
            assert low.unit is not None and total.unit is not None
            multiply = _direction(ctx, low.unit, rate.unit, total.unit, "rate")
        else:
            ctx.require_same_dimension([(total, ("total",)), (low, ("low",))])
            multiply = True
        return lambda: mean(total, count, low, high, rate, multiply=multiply)


def mean(total: Operand, count: Operand, low: Operand, high: Operand, rate: Rate | None, *,
         multiply: bool) -> Outcome:
    """Whether ``total`` / ``count`` lies in [``low``, ``high``] (× or ÷ ``rate``): what a
    ``mean_within`` rule evaluates (and :func:`kzfacts.check_mean_within`)."""
    def bounds(c: Convention) -> Interval:
        span = low.interval(c).hull(high.interval(c))
        if rate is None:
            return span
        r = rate.interval(c)
        return span * (r if multiply else r.reciprocal())

    def mean(c: Convention) -> Interval:
        return total.interval(c) / count.interval(c)

    if why := zero_divisor(count.text, count.interval("truncate")):
        return Outcome(Verdict.SKIP, f"{total.text} / {count.text}: {why} (count)")
    if rate is not None and not multiply and (why := zero_divisor(rate.text,
                                                                  rate.interval("truncate"))):
        return Outcome(Verdict.SKIP, f"{low.text}–{high.text} ÷ {rate.text}: {why} (rate)")
    m, b = mean("round"), bounds("round")
    if m.intersects(b):
        verdict = Verdict.PASS
    elif mean("truncate").intersects(bounds("truncate")):
        verdict = Verdict.WARN
    else:
        verdict = Verdict.FAIL
    per = " ".join(filter(None, (total.unit, count.unit and f"per {count.unit}")))
    via = f" × {rate.text}" if rate else ""
    head = (f"{total.text} / {count.text} = {fmt_interval(m, places=0)}{' ' * bool(per)}{per}; "
            f"{low.text}–{high.text}{via} = {fmt_interval(b, places=0)}")
    intervals = {"mean": fmt_interval(m), "bounds": fmt_interval(b)}
    notes = rate.notes if rate else ()
    if verdict is Verdict.PASS:
        return Outcome(verdict, f"{head} ✓", intervals, notes)
    if verdict is Verdict.WARN:
        return Outcome(verdict, f"{head}: only if truncated", intervals, notes)
    side = "above" if m.lo is not None and b.hi is not None and m.lo > b.hi else "below"
    return Outcome(verdict, f"{head}: the mean is {side} the range", intervals, notes)
