"""conversion and mean_within: money in one unit against another, through a dated rate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kzfacts._record import Record, set_slot
from kzfacts.data.model import FactKind, ReferenceEntry, RuleSpec, Verdict
from kzfacts.engine.compile import (
    CompileContext,
    Explanation,
    Operand,
    Outcome,
    RuleKind,
    fmt,
    fmt_interval,
)
from kzfacts.engine.kinds.common import zero_divisor
from kzfacts.engine.kinds.share import _holds_at
from kzfacts.values.interval import Interval
from kzfacts.values.numbers import Convention, DateValue, Reading, read_number

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from kzfacts._examples.scenario import Scenario, ScenarioFact

__all__ = ["ConversionKind", "MeanWithinKind", "RateSpec"]


class RateSpec(BaseModel):
    """Where a rate comes from: a reference table (on a date, in a year or years) or a fact."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    table: str | None = None
    on: str | None = Field(None, description="the date the rate applies: YYYY-MM-DD")
    year: int | None = None
    years: tuple[int, int] | None = None
    applies_to: str = "all uses"
    fact: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> RateSpec:
        whens = [w for w in (self.on, self.year, self.years) if w is not None]
        if (self.table is None) == (self.fact is None):
            raise ValueError("exactly one of 'table' or 'fact'")
        if self.table is not None and len(whens) != 1:
            raise ValueError("with a table, exactly one of 'on', 'year' or 'years'")
        return self


class _Rate(Record):
    _fields = ("text", "unit", "readings", "notes")
    # and the rate when every reading is the same whole number written in full (else None),
    # whether it relies on an unconfirmed value, its intervals once computed
    __slots__ = (*_fields, "point", "unconfirmed", "_intervals")
    text: str
    unit: str
    readings: tuple[Reading, ...]
    notes: tuple[str, ...]
    point: int | None
    unconfirmed: bool
    _intervals: dict[str, Interval]

    def __init__(self, text: str, unit: str, readings: tuple[Reading, ...],
                 notes: tuple[str, ...]) -> None:
        set_slot(self, "text", text)
        set_slot(self, "unit", unit)
        set_slot(self, "readings", readings)
        set_slot(self, "notes", notes)
        points = {r.point for r in readings}
        set_slot(self, "point", points.pop() if len(points) == 1 else None)
        set_slot(self, "unconfirmed", any(n.startswith("relies on an unconfirmed") for n in notes))
        set_slot(self, "_intervals", {})

    def interval(self, convention: Convention) -> Interval:
        """The values the rate admits (the hull of its readings'), made once per convention."""
        known = self._intervals.get(convention)
        if known is None:
            known = self.readings[0].interval(convention=convention)
            for r in self.readings[1:]:
                known = known.hull(r.interval(convention=convention))
            self._intervals[convention] = known
        return known


def _entry_reading(entry: ReferenceEntry, unit: str) -> Reading:
    value = entry.value
    if isinstance(value, int):
        return Reading(str(value), value, Decimal(1), True, unit)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return Reading(str(value), value, Decimal(1).scaleb(exponent), False, unit)


def _resolve_rate(ctx: CompileContext, spec: RateSpec, path: str) -> _Rate:
    if spec.fact is not None:
        op = ctx.operand(spec.fact, (path, "fact"))
        if op.unit is None:
            raise ctx.error((path, "fact"), "a rate fact with a unit", op.label)
        return _Rate(op.text, op.unit, (op.reading,), ())
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
    return _Rate(f"{text} {table.unit}", table.unit, readings, notes + unconfirmed)


def _direction(ctx: CompileContext, amount: str, rate: str, result: str, path: str) -> bool:
    """True if result = amount × rate, False if amount ÷ rate; else a unit mismatch."""
    units = ctx.base.units
    target = units.parse(result).dimensionality
    if units.product_dimension((amount, 1), (rate, 1)) == target:
        return True
    if units.product_dimension((amount, 1), (rate, -1)) == target:
        return False
    raise ctx.error((path,), f"a rate converting {amount} to {result}", rate)


def _tolerance(text: str | None, ctx: CompileContext) -> Fraction | None:
    if text is None:
        return None
    reading = read_number(text)
    if reading.unit != "percent":
        raise ctx.error(("tolerance",), "a tolerance in percent such as '5%'", repr(text))
    return Fraction(reading.value) / 100


class ConversionSpec(RuleSpec):
    """``amount`` × ``rate`` = ``result`` (or ÷, as the units say)."""

    amount: str
    result: str
    rate: RateSpec
    tolerance: str | None = Field(None, description="e.g. '5%': a looser reading, reported as warn")


class ConversionKind(RuleKind):
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
        tolerance = _tolerance(spec.tolerance, ctx)
        return lambda: _convert(amount, result, rate, multiply=multiply, tolerance=tolerance)

    @classmethod
    def examples(cls) -> SearchStrategy[Scenario]:
        return _conversion_examples()


def _convert(amount: Operand, result: Operand, rate: _Rate, *, multiply: bool,
             tolerance: Fraction | None) -> Outcome:
    def computed(c: Convention) -> Interval:
        r = rate.interval(c)
        return amount.interval(c) * (r if multiply else r.reciprocal())

    if not multiply and (why := zero_divisor(rate.text, rate.interval("truncate"))):
        return Outcome(Verdict.SKIP, f"{amount.text} ÷ {rate.text}: {why}")
    unconfirmed = rate.unconfirmed
    a, v = amount.reading.point, result.reading.point
    if multiply and a is not None and v is not None and a > 0 and v >= 0:
        # whole numbers: amount × rate meets the result when result / amount is a rate
        if _holds_at(rate.interval("round"), v, a):
            verdict = Verdict.WARN if unconfirmed else Verdict.PASS
        elif _holds_at(rate.interval("truncate"), v, a):
            verdict = Verdict.WARN
        else:
            verdict = _tolerated(computed("round"), result, tolerance)
    elif computed("round").intersects(result.interval()):
        verdict = Verdict.WARN if unconfirmed else Verdict.PASS
    elif computed("truncate").intersects(result.interval("truncate")):
        verdict = Verdict.WARN
    else:
        verdict = _tolerated(computed("round"), result, tolerance)
    return Outcome.later(verdict, lambda: _convert_text(amount, result, rate, multiply=multiply,
                                                        tolerance=tolerance))


def _tolerated(got: Interval, result: Operand, tolerance: Fraction | None) -> Verdict:
    if tolerance is not None and got.widen(tolerance).intersects(result.interval()):
        return Verdict.WARN
    return Verdict.FAIL


def _convert_text(amount: Operand, result: Operand, rate: _Rate, *, multiply: bool,
                  tolerance: Fraction | None) -> Explanation:
    def computed(c: Convention) -> Interval:
        r = rate.interval(c)
        return amount.interval(c) * (r if multiply else r.reciprocal())

    def implied(c: Convention) -> Interval | None:
        a, b = result.interval(c), amount.interval(c)
        divisor = b if multiply else a
        if zero_divisor("", divisor):  # an amount of 0 implies no rate at all
            return None
        return a / b if multiply else b / a

    op = "×" if multiply else "÷"
    got = computed("round")
    imp = implied("round")
    head = f"{amount.text} {op} {rate.text} = {fmt_interval(got, places=0)} {result.unit}"
    shown = "none (it would divide by 0)" if imp is None else f"{fmt_interval(imp)} {rate.unit}"
    implied_text = f"implied rate {shown}"
    intervals = {"computed": fmt_interval(got), "stated": fmt_interval(result.interval()),
                 "implied rate": "none" if imp is None else fmt_interval(imp),
                 "reference rate": fmt_interval(rate.interval("round"))}
    notes = rate.notes
    if got.intersects(result.interval()):
        return f"{head}, stated {result.text} ✓ ({implied_text})", intervals, notes
    if computed("truncate").intersects(result.interval("truncate")):
        return (f"{head}; stated {result.text} only if truncated ({implied_text})", intervals,
                notes)
    if tolerance is not None and got.widen(tolerance).intersects(result.interval()):
        return (f"{head}, stated {result.text}: within the {fmt(tolerance * 100)}% tolerance "
                f"only ({implied_text})", intervals, notes)
    return f"{head}, not {result.text} ({implied_text})", intervals, notes


class MeanWithinSpec(RuleSpec):
    """``total`` / ``count`` lies in [``low``, ``high``] per counted item (converted by ``rate``)."""

    total: str
    count: str
    low: str
    high: str
    rate: RateSpec | None = None


class MeanWithinKind(RuleKind):
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
        return lambda: _mean(total, count, low, high, rate, multiply=multiply)

    @classmethod
    def examples(cls) -> SearchStrategy[Scenario]:
        return _mean_examples()


def _mean(total: Operand, count: Operand, low: Operand, high: Operand, rate: _Rate | None, *,
          multiply: bool) -> Outcome:
    def bounds(c: Convention) -> Interval:
        span = low.interval(c).hull(high.interval(c))
        if rate is None:
            return span
        r = rate.interval(c)
        return span * (r if multiply else r.reciprocal())

    def mean(c: Convention) -> Interval:
        return total.interval(c) / count.interval(c)

    t, n, lo, hi = total.reading.point, count.reading.point, low.reading.point, high.reading.point
    r = 1 if rate is None else rate.point
    if (t is not None and n is not None and lo is not None and hi is not None
            and r is not None and r > 0 and n > 0):
        # whole numbers written in full, the same under either convention: total / n lies
        # in [lo, hi] × r (or ÷ r) when n·lo·r ≤ total ≤ n·hi·r (or n·lo ≤ total·r ≤ n·hi)
        lo, hi = min(lo, hi), max(lo, hi)
        scaled, lo_n, hi_n = (t, n * lo * r, n * hi * r) if multiply else (t * r, n * lo, n * hi)
        verdict = Verdict.PASS if lo_n <= scaled <= hi_n else Verdict.FAIL
        return Outcome.later(verdict, lambda: _mean_text(total, count, low, high, rate,
                                                         verdict, mean("round"), bounds("round")))
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
    return Outcome.later(verdict, lambda: _mean_text(total, count, low, high, rate, verdict,
                                                     m, b))


def _mean_text(total: Operand, count: Operand, low: Operand, high: Operand,  # noqa: PLR0917
               rate: _Rate | None, verdict: Verdict, m: Interval, b: Interval) -> Explanation:
    """The arithmetic of a mean_within rule: the mean ``m`` against the bounds ``b``."""
    per = f"{total.unit} per {count.unit}"
    via = f" × {rate.text}" if rate else ""
    head = (f"{total.text} / {count.text} = {fmt_interval(m, places=0)} {per}; "
            f"{low.text}–{high.text}{via} = {fmt_interval(b, places=0)}")
    intervals = {"mean": fmt_interval(m), "bounds": fmt_interval(b)}
    notes = rate.notes if rate else ()
    if verdict is Verdict.PASS:
        return f"{head} ✓", intervals, notes
    if verdict is Verdict.WARN:
        return f"{head}: only if truncated", intervals, notes
    side = "above" if m.lo is not None and b.hi is not None and m.lo > b.hi else "below"
    return f"{head}: the mean is {side} the range", intervals, notes


# -- examples: an amount, a dated rate table, the converted sum rounded as written ----------

def _rate_on(s: Scenario) -> Fraction:
    """The rate in force on the rule's date: the latest entry that took effect by then."""
    on = s.rule["rate"]["on"]
    entries = s.reference["tables"]["base_amount"]["entries"] if s.reference else []
    in_force = [e for e in entries if e["effective_from"] <= on]  # ISO dates sort as text
    return Fraction(max(in_force, key=lambda e: e["effective_from"])["value"])


def _conversion_oracle(s: Scenario) -> Verdict:
    from kzfacts._examples.scenario import admits, by_conventions

    computed = s.fact[s.rule["amount"]].number.value * _rate_on(s)
    result = s.fact[s.rule["result"]].number
    return by_conventions(lambda c: admits(result, computed, c))


def _no_unit_word(fact: ScenarioFact, unit: str) -> ScenarioFact:
    return replace(fact, unit=unit, written=replace(fact.number, unit_word=""))


def _conversion_examples() -> SearchStrategy[Scenario]:
    import datetime as dt

    from hypothesis import strategies as st

    from kzfacts._examples.scenario import Mutant, Scenario, ScenarioFact, Written
    from kzfacts.strategies import counts, labelled, written_near

    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        starts = sorted(draw(st.sets(st.dates(dt.date(2000, 1, 1), dt.date(2025, 12, 31)),
                                     min_size=1, max_size=3)))
        values = draw(st.lists(st.integers(500, 5_000), min_size=len(starts),
                               max_size=len(starts)))
        i = draw(st.integers(0, len(starts) - 1))
        end = starts[i + 1] if i + 1 < len(starts) else starts[i] + dt.timedelta(days=366)
        on = draw(st.dates(starts[i], end - dt.timedelta(days=1)))
        amount = draw(counts(min_value=1, max_value=100_000, unit_word=" BA"))
        computed = amount.value * values[i]
        scale = draw(st.sampled_from([1, 10**3, 10**6]))
        if scale == 1 or computed < scale:
            result = Written(int(computed), grouped=draw(st.booleans()), unit_word=" euros")
        else:
            result = written_near(computed, decimals=draw(st.integers(0, 2)), scale=scale,
                                  unit_word=" euros")
        ids = labelled("conversion", 2)
        made = (ScenarioFact(ids[0][0], FactKind.INDEX, ids[0][1], amount, "BA"),
                ScenarioFact(ids[1][0], FactKind.MONEY, ids[1][1], result, "EUR"))
        reference = {"tables": {"base_amount": {"unit": "EUR/BA", "description": "the base amount in euros",
                                        "entries": [{"value": v, "effective_from": str(d),
                                                     "confidence": "official",
                                                     "source_url": "https://example.org/base-amount"}
                                                    for d, v in zip(starts, values, strict=True)]}}}
        rule: dict[str, Any] = {"amount": ids[0][0], "result": ids[1][0],
                                "rate": {"table": "base_amount", "on": str(on)}}
        s = Scenario("conversion", made, rule, _conversion_oracle, reference)
        structural = [Mutant("the result in Swiss francs",
                             s.replace_fact(_no_unit_word(made[1], "CHF")), "error", "unit")]
        for j, start in enumerate(starts):
            if j != i:
                moved = replace(s, rule={**rule, "rate": {"table": "base_amount", "on": str(start)}},
                                structural=())
                structural.append(Mutant(f"the rate of {start} instead", moved, change="rate"))
        return replace(s, structural=tuple(structural))

    return build()


def _mean_oracle(s: Scenario) -> Verdict:
    count = s.fact[s.rule["count"]].number.value
    if count == 0:
        return Verdict.SKIP
    mean = s.fact[s.rule["total"]].number.value / count
    low, high = (s.fact[s.rule[k]].number.value for k in ("low", "high"))
    return Verdict.PASS if low <= mean <= high else Verdict.FAIL


def _mean_examples() -> SearchStrategy[Scenario]:
    from hypothesis import strategies as st

    from kzfacts._examples.scenario import Mutant, Scenario, ScenarioFact, Written
    from kzfacts.strategies import counts, labelled

    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        count = draw(counts(min_value=1, max_value=1_000))
        low = draw(counts(max_value=100_000))
        high = Written(low.digits + draw(st.integers(0, 100_000)), grouped=draw(st.booleans()))
        spread = count.digits * (high.digits - low.digits)
        at = draw(st.one_of(st.just(0), st.just(spread), st.integers(0, spread)))  # edges too
        total = Written(count.digits * low.digits + at,
                        grouped=draw(st.booleans()), unit_word=" euros")
        ids = labelled("mean_within", 4)
        made = tuple(ScenarioFact(i, kind, label, w, unit) for (i, label), (kind, w, unit)
                     in zip(ids, [(FactKind.MONEY, total, "EUR"), (FactKind.COUNT, count, "person"),
                                  (FactKind.MONEY, low, "EUR"), (FactKind.MONEY, high, "EUR")],
                            strict=True))
        rule = {"total": ids[0][0], "count": ids[1][0], "low": ids[2][0], "high": ids[3][0]}
        s = Scenario("mean_within", made, rule, _mean_oracle)
        swapped = s.replace_fact(_no_unit_word(made[2], "CHF"))
        return replace(s, structural=(Mutant("the low end in Swiss francs", swapped, "error", "unit"),))

    return build()
