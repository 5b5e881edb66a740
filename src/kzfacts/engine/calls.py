"""Checks you can call: one per rule kind, without a fact base or a YAML file.

Each takes numbers as you have them (:data:`kzfacts.Value`: text as written, exact numbers,
readings, pint quantities; see :mod:`kzfacts.engine.arguments` for units), resolves them as
the rule compiler resolves facts (units checked, converted exactly), and evaluates them with
the rule kind's own function: the verdict and the message are those of the YAML rule with
the same numbers. Each returns a :class:`kzfacts.Result` (``rule`` is the function's name,
``kind`` the rule kind; no facts, no location).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from fractions import Fraction

from kzfacts.data.model import Severity
from kzfacts.engine.arguments import Arguments, Units, Value
from kzfacts.engine.kind import Operand, Outcome
from kzfacts.engine.kinds.arith import Linear, compare, series
from kzfacts.engine.kinds.common import Relation, fmt
from kzfacts.engine.kinds.money import Rate, convert, direction, mean, tolerance_of
from kzfacts.engine.kinds.order import Quantifier, date_item, order, quantify
from kzfacts.engine.kinds.share import grim, ratio
from kzfacts.engine.result import Result
from kzfacts.errors import ArgumentError, describe
from kzfacts.values.numbers import DateValue

__all__ = ["check_bound", "check_conversion", "check_mean_within", "check_order",
           "check_quantifier", "check_series", "check_share", "check_sum"]

_SYMBOLS = {"=": Relation.EQ, "==": Relation.EQ, "<=": Relation.LE, "≤": Relation.LE,
            "<": Relation.LT, ">=": Relation.GE, "≥": Relation.GE, ">": Relation.GT}


def _result(call: str, kind: str, outcome: Outcome) -> Result:
    return Result(rule=call, kind=kind, title="", severity=Severity.ERROR, paragraphs=(), why="",
                  verdict=outcome.verdict, message=outcome.message, facts=(),
                  intervals=dict(outcome.intervals), notes=outcome.notes, location="")


def _relation(args: Arguments, relation: Relation | str) -> Relation:
    if isinstance(relation, str):
        found = _SYMBOLS.get(relation.strip()) or next(
            (r for r in Relation if r.value == relation.strip()), None)
        if found is not None:
            return found
    raise ArgumentError(args.label("relation"), "eq, le, lt, ge or gt (or =, <=, <, >=, >)",
                        describe(relation))


def _values(args: Arguments, name: str, side: Value | Sequence[Value]) -> list[Operand]:
    """A side of a sum or a bound: one value, or a list of values added up."""
    if isinstance(side, str) or not isinstance(side, Sequence):
        return [args.operand(name, side)]
    if not side:
        raise ArgumentError(args.label(name), "at least one value", "an empty list")
    return [args.operand(f"{name}[{i}]", v) for i, v in enumerate(side)]


def _linear(args: Arguments, operands: list[Operand], target: str | None) -> Linear:
    """Operands added up in one unit (``target``'s, or the first one's), as a rule adds facts."""
    unit = args.same_dimension(operands, to=target)
    return Linear(tuple((args.factor(o.unit, unit), o, o.text) for o in operands), unit)


def check_sum(parts: Sequence[Value], *, total: Value, relation: Relation | str = "eq",
              units: Units = None) -> Result:
    """The parts add up to the total (``relation="le"``: at most the total, as an
    "including" list): what a ``sum`` rule checks.

    Args:
        parts: the parts (each a :data:`~kzfacts.Value`).
        total: the total.
        relation: ``"eq"`` (the default), ``"le"``, ``"lt"``, ``"ge"`` or ``"gt"``.
        units: words naming units, or a :class:`~kzfacts.UnitSystem`.

    Raises:
        ArgumentError: a value a check does not take, or a part of another dimension.

    Example:
        >>> import kzfacts
        >>> kzfacts.check_sum(["4,780", "381", "5005"], total="10,169").message
        '4,780 + 381 + 5005 = 10,166, not 10,169: 3 short'
    """
    args = Arguments("check_sum", units)
    rel = _relation(args, relation)
    if isinstance(parts, str) or not isinstance(parts, Sequence):
        raise ArgumentError(args.label("parts"), "a list of values", describe(parts))
    ops = _values(args, "parts", parts)
    whole = args.operand("total", total)
    right = _linear(args, [whole], None)
    return _result("check_sum", "sum", compare(_linear(args, ops, right.unit), rel, right))


def check_bound(left: Value | Sequence[Value], relation: Relation | str,
                right: Value | Sequence[Value], *, units: Units = None) -> Result:
    """One side against the other (each a value, or a list of values added up): what a
    ``bound`` rule checks.

    Args:
        left: a value, or values added up.
        relation: ``"eq"``, ``"le"``, ``"lt"``, ``"ge"`` or ``"gt"`` (or ``=``, ``<=``...).
        right: a value, or values added up.
        units: words naming units, or a :class:`~kzfacts.UnitSystem`.

    Raises:
        ArgumentError: a value a check does not take, or sides of different dimensions.

    Example:
        >>> import kzfacts
        >>> kzfacts.check_bound(["120", "79", "45"], "le", "more than 5,300").message
        '120 + 79 + 45 = 244 ≤ more than 5,300 ✓'
    """
    args = Arguments("check_bound", units)
    rel = _relation(args, relation)
    lhs, rhs = _values(args, "left", left), _values(args, "right", right)
    r = _linear(args, rhs, None)
    return _result("check_bound", "bound", compare(_linear(args, lhs, r.unit), rel, r))


def check_series(left: Mapping[int, Value | Sequence[Value]], relation: Relation | str,
                 right: Mapping[int, Value | Sequence[Value]], *, units: Units = None) -> Result:
    """A bound in every year: ``left[year] (relation) right[year]``, the worst year's
    verdict: what a ``series`` rule checks.

    Args:
        left: by year, a value or values added up.
        relation: ``"eq"``, ``"le"``, ``"lt"``, ``"ge"`` or ``"gt"`` (or ``=``, ``<=``...).
        right: by year, the same years.
        units: words naming units, or a :class:`~kzfacts.UnitSystem`.

    Raises:
        ArgumentError: the years differ, or a value a check does not take.

    Example:
        >>> import kzfacts
        >>> kzfacts.check_series({2022: "819", 2023: "90"}, "le", {2022: "920", 2023: "195"}).message
        '2022: 819 ≤ 920 ✓; 2023: 90 ≤ 195 ✓'
    """
    args = Arguments("check_series", units)
    rel = _relation(args, relation)
    for name, side in (("left", left), ("right", right)):
        if not isinstance(side, Mapping) or not side:
            raise ArgumentError(args.label(name), "values by year ({2022: '819', 2023: '90'})",
                                describe(side))
    if sorted(left) != sorted(right):
        raise ArgumentError(args.label("right"), f"the years of left ({sorted(left)})",
                            f"{sorted(right)}")
    sides = {year: (_values(args, f"left[{year}]", left[year]),
                    _values(args, f"right[{year}]", right[year])) for year in sorted(left)}
    outcomes = []
    for year, (lhs, rhs) in sides.items():
        r = _linear(args, rhs, None)
        outcomes.append((year, compare(_linear(args, lhs, r.unit), rel, r)))
    return _result("check_series", "series", series(outcomes))


def check_share(share: Value, *, whole: Value, part: Value | None = None,
                units: Units = None) -> Result:
    """A percentage against its part and whole, at the precision written; without a part,
    whether any whole count of the whole gives it (GRIM): what a ``share`` rule checks.

    Args:
        share: the percentage (``"78%"``; a reading or quantity in percent).
        whole: the whole.
        part: the part, or ``None`` to ask whether any whole count fits.
        units: words naming units, or a :class:`~kzfacts.UnitSystem`.

    Raises:
        ArgumentError: the share is not in percent, the part and the whole differ in
            dimension, or a value a check does not take.

    Example:
        >>> import kzfacts
        >>> kzfacts.check_share("78%", part=50, whole=64).message
        '50 / 64 = 78.12%, which rounds to 78% ✓'
        >>> kzfacts.check_share("40%", whole=27).verdict.value
        'warn'
    """
    args = Arguments("check_share", units)
    pct = args.operand("share", share)
    if pct.unit != "percent":
        raise ArgumentError(args.label("share"), "a share in percent ('78%')",
                            f"{pct.text!r} ({pct.unit or 'no unit'})")
    all_of = args.operand("whole", whole)
    if part is None:
        return _result("check_share", "share", grim(pct, all_of))
    some = args.operand("part", part)
    args.same_dimension([all_of, some])
    factor = args.factor(some.unit, all_of.unit)
    return _result("check_share", "share", ratio(pct, some, all_of, factor))


def _rate(args: Arguments, rate: Value | Sequence[Value]) -> Rate:
    """A rate, or the rates it may be (a year's, another's): their hull, as a rule's table."""
    ops = _values(args, "rate", rate)
    unit = ops[0].unit
    if unit is None:
        raise ArgumentError(args.label(ops[0].label), "a rate with a unit ('3,450 EUR/BA')",
                            repr(ops[0].text))
    for o in ops[1:]:
        if o.unit != unit:
            raise ArgumentError(args.label(o.label), f"a rate in {unit}, as the first",
                                f"{o.text!r} ({o.unit or 'no unit'})")
    if len(ops) == 1:
        return Rate(ops[0].text, unit, (ops[0].reading,), ())
    values = sorted({Fraction(o.reading.value) for o in ops})
    text = fmt(values[0]) if len(values) == 1 else f"{fmt(values[0])}–{fmt(values[-1])}"
    return Rate(f"{text} {unit}", unit, tuple(o.reading for o in ops), ())


def _direction(args: Arguments, amount: Operand, rate: Rate, result: Operand) -> bool:
    assert amount.unit is not None and result.unit is not None
    multiply = direction(args.system, amount.unit, rate.unit, result.unit)
    if multiply is None:
        raise ArgumentError(args.label("rate"), f"a rate converting {amount.unit} to "
                            f"{result.unit} ({result.unit}/{amount.unit}, or its inverse; to "
                            "read a word as a unit of the rate, pass units={word: unit})",
                            f"{rate.text!r} ({rate.unit})")
    return multiply


def check_conversion(amount: Value, result: Value, *, rate: Value | Sequence[Value],
                     tolerance: str | None = None, units: Units = None) -> Result:
    """An amount in one unit against the same amount in another, through a rate (× or ÷, as
    the units say): what a ``conversion`` rule checks.

    Args:
        amount: the amount, with its unit (``"30 BA"``).
        result: the same amount in another unit (``"103,500 euros"``).
        rate: the rate, with its unit (``"3,450 EUR/BA"``), or the rates it may be (each
            year's: their range is used).
        tolerance: a looser match to accept as a warning (``"5%"``; above 0%, at most 100%).
        units: words naming units (``{"euros": "EUR"}``), or a :class:`~kzfacts.UnitSystem`.

    Raises:
        ArgumentError: an amount without a unit, a rate that does not convert the amount's
            unit to the result's, or a value a check does not take.

    Example:
        >>> import kzfacts
        >>> kzfacts.check_conversion("30 BA", "103,500 euros", rate="3,450 EUR/BA",
        ...                          units={"euros": "EUR"}).message
        '30 BA × 3,450 EUR/BA = 103,500 EUR, stated 103,500 euros ✓ (implied rate 3,450 EUR/BA)'
    """
    args = Arguments("check_conversion", units)
    have, want = args.operand("amount", amount), args.operand("result", result)
    through = _rate(args, rate)
    for o in (have, want):
        if o.unit is None:
            raise ArgumentError(args.label(o.label), "an amount with a unit ('30 BA')",
                                repr(o.text))
    limit = None
    if tolerance is not None:
        try:
            limit = tolerance_of(tolerance)
        except (ValueError, TypeError):
            raise ArgumentError(args.label("tolerance"), "a tolerance in percent above 0% and "
                                "at most 100% ('5%')", describe(tolerance)) from None
    multiply = _direction(args, have, through, want)
    return _result("check_conversion", "conversion",
                   convert(have, want, through, multiply=multiply, tolerance=limit))


def check_mean_within(total: Value, count: Value, *, low: Value, high: Value,
                      rate: Value | Sequence[Value] | None = None,
                      units: Units = None) -> Result:
    """A total over a count lies within a range per item (through a rate when the range is
    in another unit): what a ``mean_within`` rule checks.

    Args:
        total: the total (``"33 million 545 thousand euros"``).
        count: how many items it is over (``262``).
        low: the least an item may be (``"30 BA"``).
        high: the most an item may be.
        rate: converts ``low`` and ``high`` to the total's unit, when theirs differs.
        units: words naming units, or a :class:`~kzfacts.UnitSystem`.

    Raises:
        ArgumentError: ``low`` and ``high`` (or the total) differ in dimension, or a value a
            check does not take.

    Example:
        >>> import kzfacts
        >>> kzfacts.check_mean_within("48.6 million NVT", "300 projects",
        ...                           low="50,000 NVT", high="400,000 NVT").verdict.value
        'pass'
    """
    args = Arguments("check_mean_within", units)
    t, c = args.operand("total", total), args.operand("count", count)
    lo, hi = args.operand("low", low), args.operand("high", high)
    through = None if rate is None else _rate(args, rate)
    args.same_dimension([lo, hi])
    if through is not None:
        if lo.unit is None or t.unit is None:
            raise ArgumentError(args.label("low" if lo.unit is None else "total"),
                                "amounts with units, for a rate to convert", "no unit")
        multiply = _direction(args, lo, through, t)
    else:
        args.same_dimension([t, lo])
        multiply = True
    return _result("check_mean_within", "mean_within",
                   mean(t, c, lo, hi, through, multiply=multiply))


def check_order(items: Sequence[Value | DateValue | date], *, strict: bool = False,
                units: Units = None) -> Result:
    """Dates (or numbers) in sequence, each at most (``strict``: before) the next: what an
    ``order`` rule checks.

    Args:
        items: dates (``datetime.date``, or :func:`kzfacts.read_date` of "July 2022", which
            is the whole month), or numbers (:data:`~kzfacts.Value`, text read as a number).
        strict: each strictly before the next.
        units: words naming units, or a :class:`~kzfacts.UnitSystem`.

    Raises:
        ArgumentError: fewer than two items, dates mixed with numbers, or numbers of
            different dimensions.

    Example:
        >>> import kzfacts
        >>> kzfacts.check_order([kzfacts.read_date("July 19, 2021"),
        ...                      kzfacts.read_date("July 2022")]).message
        '2021-07-19 ≤ 2022-07 ✓'
    """
    args = Arguments("check_order", units)
    if isinstance(items, str) or not isinstance(items, Sequence) or len(items) < 2:
        raise ArgumentError(args.label("items"), "a list of at least two dates or numbers",
                            describe(items))
    if isinstance(items[0], DateValue | date):
        shown = [date_item(args.date(f"items[{i}]", v)) for i, v in enumerate(items)]
    else:
        ops = [args.operand(f"items[{i}]", v) for i, v in enumerate(items)]
        unit = args.same_dimension(ops)
        shown = [(o.text, o.interval().scale(args.factor(o.unit, unit))) for o in ops]
    return _result("check_order", "order", order(shown, strict=strict))


def check_quantifier(quantifier: Quantifier | str, *, part: Value, whole: Value,
                     units: Units = None) -> Result:
    """"More than half", "most", "all"... of a whole, as a test of part / whole: what a
    ``quantifier`` rule checks.

    Args:
        quantifier: ``more_than_half``, ``most``, ``majority``, ``at_least_half``,
            ``minority``, ``all`` or ``none`` (spaces for underscores: "more than half").
        part: the part.
        whole: the whole.
        units: words naming units, or a :class:`~kzfacts.UnitSystem`.

    Raises:
        ArgumentError: an unknown quantifier, a part and a whole of different dimensions,
            or a value a check does not take.

    Example:
        >>> import kzfacts
        >>> kzfacts.check_quantifier("most", part="202", whole="214").message
        '202 / 214 = 94.39% > 50% (most) ✓'
    """
    args = Arguments("check_quantifier", units)
    q = None
    if isinstance(quantifier, str):
        key = "_".join(quantifier.split()).lower()
        q = next((x for x in Quantifier if x.value == key), None)
    if q is None:
        raise ArgumentError(args.label("quantifier"), "one of " + ", ".join(
            x.value.replace("_", " ") for x in Quantifier), describe(quantifier))
    some, all_of = args.operand("part", part), args.operand("whole", whole)
    args.same_dimension([all_of, some])
    return _result("check_quantifier", "quantifier",
                   quantify(some, all_of, args.factor(some.unit, all_of.unit), q))
