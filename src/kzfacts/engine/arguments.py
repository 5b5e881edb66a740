"""What a check you call takes: numbers as you have them, read into operands with units.

A value is text as a document writes it (``"54.5 million euros"``, ``"3,7%"``: read by the
number reader, with the precision it is written at), an exact number (``int``, ``Decimal``,
``Fraction``: the value itself), a :class:`~kzfacts.Reading`, or a pint quantity (its
magnitude exact, its units kept). A float is refused: it holds a binary approximation, not
the figure written, unless :func:`to_reading` is told which digits to trust.

Units: a word after a number names a unit. By default each unit named in a call is its own
dimension (``"30 BA"`` is 30 of the unit BA, which converts to nothing else), words
naming none of the text's units may be mapped to unit names (``units={"euros": "EUR"}``),
and a :class:`~kzfacts.UnitSystem` (a fact base's, or :func:`kzfacts.unit_system`'s) gives
the words, units and conversions of a units file instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeAlias

import pint

from kzfacts.engine.kind import Operand, shown
from kzfacts.errors import ArgumentError, ReadError, describe
from kzfacts.values.numbers import (
    DEFAULT_UNIT_WORDS,
    MAX_MAGNITUDE,
    DateValue,
    Reading,
    read_number,
)
from kzfacts.values.units import UnitsError, UnitSystem, definition_problem, unit_system

__all__ = ["Arguments", "Units", "Value", "to_reading"]

#: A number a check takes: text as written, an exact number, a reading or a pint quantity.
Value: TypeAlias = str | int | Decimal | Fraction | Reading | pint.Quantity[Any]
#: Where a call's units come from: a unit system, words naming units, or ``None``.
Units: TypeAlias = UnitSystem | Mapping[str, str] | None

_EXACT = ("an exact number: text as written ('7.8%'), an int, a Decimal or a Fraction (a "
          "float holds a binary approximation, not the figure written: pass the text or a "
          "Decimal, or kzfacts.to_reading(x, precision='0.01') to say which digits to trust)")
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
#: A unit a text may name without a ``units`` word for it: unit names joined by * and /.
_UNIT = re.compile(rf"{_NAME}(?:[*/]{_NAME})*")
_NAMES = re.compile(_NAME)
_CORE = unit_system()


def to_reading(value: Value | float, *, unit: str | None = None,
               precision: str | int | Decimal | None = None, units: Units = None) -> Reading:
    """A number as a check takes it: its exact value, its precision and its unit.

    Args:
        value: text as a document writes it (``"54.5 million euros"``: its precision is the
            last digit written), an ``int``, ``Decimal`` or ``Fraction`` (exact: the value
            itself), a :class:`~kzfacts.Reading`, or a pint quantity. A float only with
            ``precision``.
        unit: the unit, when the value names none (``"person"``).
        precision: the place value of the last digit to trust (``"0.01"``, ``100_000``):
            the value is then known to half of it either way, as a rounded figure is. A
            float, or a ``Fraction`` with no decimal expansion, is rounded to it.
        units: words naming units (``{"euros": "EUR"}``), or a :class:`~kzfacts.UnitSystem`
            whose words are used.

    Returns:
        The reading.

    Raises:
        ArgumentError: a float without ``precision``, text with ``precision``, a unit
            other than ``unit``, or no number.
        ReadError: text the number reader cannot read.

    Example:
        >>> import kzfacts
        >>> kzfacts.to_reading("54.5 million euros", units={"euros": "EUR"}).interval()
        Interval(lo=Fraction(54450000, 1), hi=Fraction(54550000, 1), lo_closed=True, hi_closed=False)
        >>> kzfacts.to_reading(0.1 + 0.2, precision="0.01").text
        '0.30'
    """
    return _reading(value, unit=unit, precision=precision, units=units,
                    argument="kzfacts.to_reading(value)")


def _reading(value: object, *, unit: str | None, precision: object, units: Units,
             argument: str) -> Reading:
    if isinstance(value, str):
        if precision is not None:
            raise ArgumentError(argument, "no precision for text (its digits give it: write "
                                "'54.5 million' for a figure known to the hundred thousand)",
                                f"precision={precision!r}")
        reading = read_number(value, unit_words=_text_words(value, units))
        return _with_unit(reading, unit, argument, text=True)
    if isinstance(value, Reading):
        return _with_unit(value, unit, argument, text=False)
    if isinstance(value, pint.Quantity):
        named = None if value.dimensionless else format(value.units, "C")
        if named is not None and unit is not None and named != unit:
            raise ArgumentError(argument, f"a quantity in {unit}", f"{value} (in {named})")
        return _number(value.magnitude, unit or named, precision, argument)
    return _number(value, unit, precision, argument)


def _text_words(text: str, units: Units) -> dict[str, str]:
    """The unit words to read ``text`` with: the words of ``units``, and each unit the text
    writes by its name (``EUR/BA``) naming itself: any, or those of a unit system."""
    system = units if isinstance(units, UnitSystem) else None
    out: dict[str, str] = {}
    for token in text.replace("(", " ").replace(")", " ").split():
        if (_UNIT.fullmatch(token) and token.lower() not in DEFAULT_UNIT_WORDS
                and (system is None or system.known(token))):
            out[token] = token
    out.update(units.words if isinstance(units, UnitSystem) else (units or {}))
    return out


def _with_unit(reading: Reading, unit: str | None, argument: str, *, text: bool) -> Reading:
    if unit is not None and reading.unit is not None and reading.unit != unit:
        raise ArgumentError(argument, f"a number in {unit} (to read the words as {unit}, pass "
                            f"units={{word: {unit!r}}})", f"{reading.text!r} (in {reading.unit})")
    if unit is not None and reading.unit is None:
        reading = replace(reading, unit=unit)
    if text and reading.unit == "percent" and reading.exact:
        # a share is a rounded figure even when its words lack a percent sign: "(49,2)"
        reading = replace(reading, exact=False)
    return reading


def _number(value: object, unit: str | None, precision: object, argument: str) -> Reading:
    exact = isinstance(value, int | Decimal | Fraction) and not isinstance(value, bool)
    if not exact and not (isinstance(value, float) and precision is not None):
        raise ArgumentError(argument, _EXACT, describe(value))
    assert isinstance(value, int | Decimal | Fraction | float)
    if isinstance(value, Decimal) and not value.is_finite():
        raise ArgumentError(argument, _EXACT, describe(value))
    if abs(Fraction(value)) > MAX_MAGNITUDE:
        raise ArgumentError(argument, "a magnitude of at most 10^18", describe(value))
    quantum: Decimal | None = None
    if precision is not None:
        quantum = _quantum(precision, argument)
        if isinstance(value, float) or _decimal(value) is None:
            steps = Fraction(value) / Fraction(quantum) + Fraction(1, 2)
            value = (steps.numerator // steps.denominator) * quantum  # rounded half up
    number = _decimal(value)
    if number is None:
        raise ArgumentError(argument, "a number a document could write (with a decimal "
                            "expansion), or a precision to round it to", describe(value))
    if quantum is None:
        exponent = number.as_tuple().exponent if isinstance(number, Decimal) else 0
        assert isinstance(exponent, int)
        quantum = Decimal(1).scaleb(min(exponent, 0))
    text = f"{number:,}" + ("%" if unit == "percent" else "")
    return Reading(text, number, quantum, precision is None, unit)


def _decimal(value: int | Decimal | Fraction | float) -> int | Decimal | None:
    """The value as an int or a Decimal, if it has a finite decimal expansion."""
    if isinstance(value, int | Decimal):
        return value
    f = Fraction(value)
    if f.denominator == 1:
        return f.numerator
    d, twos, fives = f.denominator, 0, 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    if d != 1:
        return None
    places = max(twos, fives)
    return (Decimal(f.numerator) / Decimal(f.denominator)).quantize(Decimal(1).scaleb(-places))


def _quantum(precision: object, argument: str) -> Decimal:
    expected = "a precision as a decimal ('0.01', 100000)"
    if isinstance(precision, bool) or not isinstance(precision, str | int | Decimal):
        raise ArgumentError(argument, expected, describe(precision))
    try:
        quantum = Decimal(precision)
    except ArithmeticError:
        raise ArgumentError(argument, expected, describe(precision)) from None
    if not quantum.is_finite() or quantum <= 0:
        raise ArgumentError(argument, "a precision above 0 ('0.01', 100000)", describe(precision))
    return quantum


@dataclass
class Arguments:
    """One call's arguments read into operands, and the unit system they are checked in.

    Read every argument (:meth:`operand`) before asking about units: by default the unit
    system is made of the units the arguments name.
    """

    call: str
    units: Units
    operands: list[Operand] = field(default_factory=list)
    _system: UnitSystem | None = None

    def label(self, name: str) -> str:
        return f"kzfacts.{self.call}({name})"

    def operand(self, name: str, value: object) -> Operand:
        """The argument ``name`` as an operand.

        Raises:
            ArgumentError: not a value a check takes.
        """
        try:
            reading = _reading(value, unit=None, precision=None, units=self.units,
                               argument=self.label(name))
        except ReadError as exc:
            found = repr(value) + (f" ({exc.found})" if exc.found else "")
            raise ArgumentError(self.label(name), _read_hint(exc), found) from None
        operand = Operand(name, shown(reading.text), reading.unit, reading)
        self.operands.append(operand)
        return operand

    def date(self, name: str, value: object) -> DateValue:
        """The argument ``name`` as a date.

        Raises:
            ArgumentError: not a date.
        """
        if isinstance(value, DateValue):
            return value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return DateValue(value.year, value.month, value.day)
        raise ArgumentError(self.label(name), "a date (a datetime.date, or "
                            "kzfacts.read_date('July 2022'))", describe(value))

    @property
    def system(self) -> UnitSystem:
        """The unit system: the one passed, else one whose units are those the operands name
        (each its own dimension), with the words passed."""
        if self._system is not None:
            return self._system
        if isinstance(self.units, UnitSystem):
            system = self.units
            for o in self.operands:
                if o.unit is not None and not system.known(o.unit):
                    raise ArgumentError(self.label(o.label), f"a unit of the unit system "
                                        f"passed{system.definition_hint(o.unit)}", repr(o.unit))
        else:
            names: dict[str, Operand] = {}
            for o in self.operands:
                for name in _NAMES.findall(o.unit or ""):
                    names.setdefault(name, o)
            definitions = []
            for name, o in sorted(names.items()):
                if _CORE.known(name):
                    continue
                line = f"{name} = [{name}]"
                if definition_problem(line) is not None:
                    raise ArgumentError(self.label(o.label), "a unit named by a word such as "
                                        "'persons' or 'EUR/BA' (map other words to unit "
                                        "names: units={'Swiss francs': 'CHF'})", repr(o.unit))
                definitions.append(line)
            try:
                system = unit_system(definitions, dict(self.units or {}))
            except UnitsError as exc:
                raise ArgumentError(f"kzfacts.{self.call}(units=)", exc.expected,
                                    exc.found) from None
        self._system = system
        return system

    def same_dimension(self, operands: list[Operand], *, to: str | None = None) -> str | None:
        """All operands share one dimension (``to``'s, or the first unit's); returns the
        unit to compute in.

        Raises:
            ArgumentError: an operand has another.
        """
        target = to or next((o.unit for o in operands if o.unit is not None), None)
        for o in operands:
            self.require(o, target)
        return target

    def require(self, operand: Operand, target: str | None) -> None:
        """``operand`` has the dimension of ``target`` (either unitless: nothing to require).

        Raises:
            ArgumentError: it has another.
        """
        system = self.system
        unit = operand.unit
        if unit is not None and target is not None and not system.same_dimension(unit, target):
            raise ArgumentError(self.label(operand.label), f"a quantity of dimension "
                                f"{system.dimension(target)} ({target})",
                                f"{operand.text!r} in {unit} ({system.dimension(unit)})")

    def factor(self, unit: str | None, target: str | None) -> Fraction:
        """The exact factor from ``unit`` to ``target`` (1 when either is ``None``)."""
        if unit is None or target is None or unit == target:
            return Fraction(1)
        return self.system.factor(unit, target)


def _read_hint(exc: ReadError) -> str:
    if exc.expected.startswith("a number, optionally followed by a unit word"):
        return ("a number, optionally followed by a unit: a word naming it ('persons', "
                "'EUR/BA'), or words mapped to a unit name (units={'Swiss francs': 'CHF'})")
    return exc.expected
