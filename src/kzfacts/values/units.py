"""Units as dimensions. The only place a :class:`pint.UnitRegistry` is built.

kzfacts defines only what every document shares (percent and calendar time); a fact base
declares the rest in its units file: each counted entity its own base dimension, its
currencies, its index units. Arithmetic on values stays exact (Fractions): pint is asked
only about dimensions and conversion factors, and its registry reads numbers as Fractions
(``non_int_type=Fraction``), so every factor is exact.

pint's reader evaluates what it reads: ``10**10**10 * person`` would never finish. Text
from a data file therefore reaches pint only once the small grammar below accepts it:

- a definition is ``name = [dimension]`` or ``name = product``, then optionally
  ``= symbol`` (``_`` for none) and ``= alias`` ...; a product is non-zero numbers and
  units defined on an earlier line joined by ``*`` and ``/``, with parentheses;
- a unit expression (a fact's unit, a unit word, a rule's ``times``) is unit names joined
  by ``*`` and ``/``, with parentheses;
- both at most :data:`MAX_CHARS` characters, parentheses at most :data:`MAX_DEPTH` deep,
  numbers at most :data:`MAX_DIGITS` digits; no ``@`` directives, powers or exponents;
- across a units file (the core's lines included) no name, symbol or alias twice, and no
  base dimension twice (two currencies on one dimension would convert one to one).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any

import pint

from kzfacts.errors import KzfactsError

__all__ = ["CORE_DEFINITIONS", "DEFINITION_FORM", "MAX_CHARS", "MAX_DEPTH", "MAX_DIGITS",
           "UnitSystem", "UnitsError", "definition_problem", "unit_system", "word_hint"]

#: Units every fact base has. Nothing here belongs to one country.
CORE_DEFINITIONS: tuple[str, ...] = (
    "percent = 1/100 = %",
    "year = [time] = _ = years",
    "month = year / 12 = _ = months",
    "day = year / 365 = _ = days",
    "week = 7 * day = _ = weeks",
)

MAX_CHARS = 200  #: characters of a definition or a unit expression
MAX_DEPTH = 8  #: nesting of parentheses
MAX_DIGITS = 18  #: digits of a number in a definition

#: What a definition must look like (the message when it does not).
DEFINITION_FORM = ("a definition such as 'person = [person] = _ = persons' or 'month = year / 12' "
                   f"(at most {MAX_CHARS} characters; no @ directives, powers or exponents)")
_EXPRESSION_FORM = (f"unit names joined by * and / (at most {MAX_CHARS} characters, "
                    f"parentheses at most {MAX_DEPTH} deep; no numbers, powers or exponents)")
#: Words pint's reader rewrites ("a per b", "sq m", "m squared"), and pint's "no name".
_RESERVED = frozenset({"_", "per", "squared", "cubed", "cubic", "square", "sq", "dimensionless"})
_NAMES_FORM = f"unit names other than nan, {', '.join(sorted(_RESERVED))}"

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIMENSION = re.compile(r"\[([A-Za-z_][A-Za-z0-9_]*)\]")
_TOKEN = re.compile(r" *(?:([A-Za-z_][A-Za-z0-9_]*|%)|([0-9]+(?:\.[0-9]+)?)|([*/()])) *")


class UnitsError(KzfactsError, ValueError):
    """A unit definition or unit expression kzfacts refuses.

    Attributes:
        expected: what would have been accepted.
        found: what is there.
        index: the position of the refused definition in the units file's list, or None.
    """

    def __init__(self, expected: str, found: str, *, index: int | None = None) -> None:
        self.expected = expected
        self.found = found
        self.index = index
        super().__init__(expected, found, index)

    def __str__(self) -> str:
        where = f"definition {self.index + 1}: " if self.index is not None else ""
        return f"{where}expected {self.expected}, found {self.found}"


# -- the grammar ------------------------------------------------------------------------------

def _names(text: str, *, definition: bool) -> list[str]:
    """The unit names of a product (``2 * (year / 12)``, ``EUR/household``), left to right.

    Raises:
        UnitsError: ``text`` is no such product; ``expected`` is ``""`` when it is not the
            grammar at all, else the limit it breaks.
    """
    names: list[str] = []
    depth = 0
    want_term = True  # a term comes next: a name, a number or "("
    at = 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None or match.end() == at:
            raise UnitsError("", repr(text[at:at + 20]))
        at = match.end()
        name, number, sign = match.groups()
        if want_term and name and not (definition and name == "%"):  # pint reads % in units only
            if name.lower() == "nan" or name in _RESERVED:
                raise UnitsError(_NAMES_FORM, repr(name))
            names.append(name)
            want_term = False
        elif want_term and number and definition:
            if sum(c.isdigit() for c in number) > MAX_DIGITS:
                raise UnitsError(f"numbers of at most {MAX_DIGITS} digits", _excerpt(number))
            if Fraction(number) == 0:
                raise UnitsError("numbers other than 0", repr(number))
            want_term = False
        elif want_term and sign == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise UnitsError(f"parentheses at most {MAX_DEPTH} deep",
                                 f"{depth} levels at {_excerpt(text[:at], 20)}")
        elif not want_term and sign in ("*", "/"):
            want_term = True
        elif not want_term and sign == ")" and depth:
            depth -= 1
        else:
            raise UnitsError("", repr(name or number or sign))
    if want_term or depth:
        raise UnitsError("", "an unfinished expression")
    return names


def _expression_names(unit: str) -> list[str]:
    """The names of a unit expression from a data file.

    Raises:
        UnitsError: not unit names joined by ``*`` and ``/`` within the limits.
    """
    if not isinstance(unit, str) or len(unit) > MAX_CHARS:
        raise UnitsError(_EXPRESSION_FORM, _excerpt(unit))
    try:
        return _names(unit, definition=False)
    except UnitsError as exc:
        expected = f"a unit expression with {exc.expected}" if exc.expected else _EXPRESSION_FORM
        raise UnitsError(expected, _excerpt(unit)) from None


class _Definition:
    """A definition line cut at ``=``: its name, value, symbol and aliases (nothing checked)."""

    __slots__ = ("aliases", "name", "parts", "symbol", "value")

    def __init__(self, line: str) -> None:
        self.parts = parts = [part.strip() for part in line.split("=")]
        self.name = parts[0]
        self.value = parts[1] if len(parts) > 1 else ""
        names = parts[2:]
        self.symbol = names[0] if names and names[0] != "_" else None
        self.aliases = tuple(names[1:])

    @property
    def defines(self) -> tuple[str, ...]:
        return (self.name, *((self.symbol,) if self.symbol else ()), *self.aliases)

    @property
    def text(self) -> str:
        """The line as pint reads it: its parts as checked, joined by `` = ``."""
        return " = ".join(self.parts)

    @property
    def dimension(self) -> str | None:
        match = _DIMENSION.fullmatch(self.value)
        return match[1] if match else None


def definition_problem(line: str) -> str | None:
    """What is wrong with one line of a units file on its own, or None if nothing is.

    The line is ``name = [dimension]`` or ``name = product`` (:data:`DEFINITION_FORM`).
    What it may refer to is checked when the whole file is read (:func:`unit_system`).

    Returns:
        what a good line would be (an "expected" text), or None.
    """
    if not isinstance(line, str) or len(line.strip()) > MAX_CHARS or "=" not in line:
        return DEFINITION_FORM
    definition = _Definition(line)
    names = (definition.name, *definition.aliases)
    if (not all(_NAME.fullmatch(n) for n in names)
            or not (definition.symbol is None or _NAME.fullmatch(definition.symbol))):
        return DEFINITION_FORM
    if definition.dimension is None:
        try:
            _names(definition.value, definition=True)
        except UnitsError as exc:
            return f"a definition with {exc.expected}" if exc.expected else DEFINITION_FORM
    if any(n.lower() == "nan" or n in _RESERVED for n in definition.defines):
        return f"a definition with {_NAMES_FORM}"
    return None


# -- the registry -----------------------------------------------------------------------------

def _registry(definitions: tuple[str, ...]) -> pint.UnitRegistry[Fraction]:
    """A registry holding the core definitions and ``definitions``, each checked first.

    Raises:
        UnitsError: a definition refused, with its index in ``definitions``.
    """
    registry: pint.UnitRegistry[Fraction] = pint.UnitRegistry(
        None, non_int_type=Fraction, cache_folder=None, on_redefinition="raise")
    defined: dict[str, str] = {}  # every name, symbol and alias -> the unit it names
    dimensions: dict[str, str] = {}  # a base dimension -> its unit
    for index, line in enumerate((*CORE_DEFINITIONS, *definitions), start=-len(CORE_DEFINITIONS)):
        at = index if index >= 0 else None  # None: a core definition
        problem = definition_problem(line) if at is not None else None
        if problem is not None:
            raise UnitsError(problem, _excerpt(line), index=at)
        definition = _Definition(line)
        for name in definition.defines:
            if name in defined:
                of = f" (a name of {defined[name]!r})" if defined[name] != name else ""
                raise UnitsError("a name not yet defined", f"{name!r} again{of}", index=at)
            defined[name] = definition.name
        dimension = definition.dimension
        if dimension is not None:
            if dimension in dimensions:
                raise UnitsError("a dimension no other unit has", f"[{dimension}] again (the "
                                 f"dimension of {dimensions[dimension]!r})", index=at)
            dimensions[dimension] = definition.name
        else:
            unknown = [n for n in _names(definition.value, definition=True) if n not in defined
                       or defined[n] == definition.name]
            if unknown and at is not None:
                this = " (defined on this line)" if unknown[0] in definition.defines else ""
                raise UnitsError("units defined on an earlier line", f"{unknown[0]!r}{this}",
                                 index=at)
        try:
            registry.define(definition.text)
        except (pint.PintError, ValueError, TypeError, KeyError, ArithmeticError) as exc:
            raise UnitsError("a definition pint accepts", f"{_excerpt(line)} ({exc})",
                             index=at) from exc
    return registry


@dataclass(frozen=True, slots=True, eq=False)
class UnitSystem:
    """A fact base's units: its registry, and the words of the text that name its units.

    Built by :func:`unit_system`, once per distinct units file, so two systems are equal only
    if they are the same object. Answers about units never change once it is built: each
    unit expression is read once and each conversion factor computed once.

    Attributes:
        registry: the pint registry.
        words: words of the text that name a unit (``"thalers": "NVT"``).
    """

    registry: pint.UnitRegistry[Fraction]
    words: Mapping[str, str]
    _units: dict[str, pint.Unit] = field(default_factory=dict, init=False, repr=False)
    _factors: dict[tuple[str, str], Fraction] = field(default_factory=dict, init=False,
                                                      repr=False)
    _same: dict[tuple[str, str], bool] = field(default_factory=dict, init=False, repr=False)
    _products: dict[tuple[tuple[str, int], ...], Any] = field(default_factory=dict, init=False,
                                                              repr=False)

    def parse(self, unit: str) -> pint.Unit:
        """The pint unit of a unit expression (``"person/case"``).

        Raises:
            UnitsError: not a unit expression (:data:`MAX_CHARS`, :data:`MAX_DEPTH`), or a
                name in it is not a unit of the units file.
        """
        known = self._units.get(unit) if isinstance(unit, str) else None
        if known is not None:
            return known
        _expression_names(unit)
        try:
            parsed = self.registry.parse_units(unit)
        except (pint.PintError, ValueError, TypeError, KeyError, ArithmeticError) as exc:
            raise UnitsError("a unit of the units file", _excerpt(unit)) from exc
        self._units[unit] = parsed
        return parsed

    def known(self, unit: str) -> bool:
        """Whether ``unit`` is a unit expression of this system."""
        try:
            self.parse(unit)
        except UnitsError:
            return False
        return True

    def dimension(self, unit: str) -> str:
        """A printable dimension, e.g. ``[person]`` or ``[currency_EUR] / [household]``."""
        dims = self.parse(unit).dimensionality
        return str(dims) if dims else "dimensionless"

    def same_dimension(self, a: str, b: str) -> bool:
        known = self._same.get((a, b))
        if known is None:
            known = self._same[(a, b)] = bool(
                self.parse(a).dimensionality == self.parse(b).dimensionality)
        return known

    def factor(self, source: str, target: str) -> Fraction:
        """The exact factor converting a value in ``source`` to ``target``.

        Raises:
            ValueError: the dimensions differ.
        """
        known = self._factors.get((source, target))
        if known is not None:
            return known
        if not self.same_dimension(source, target):
            raise ValueError(f"{source} ({self.dimension(source)}) does not convert to "
                             f"{target} ({self.dimension(target)})")
        one = self.registry.Quantity(Fraction(1), self.parse(source))
        known = self._factors[(source, target)] = Fraction(one.to(self.parse(target)).magnitude)
        return known

    def product_dimension(self, *units: tuple[str, int]) -> Any:
        """The dimensionality of a product of units raised to powers."""
        known = self._products.get(units)
        if known is None:
            product = self.registry.dimensionless
            for unit, power in units:
                product = product * self.parse(unit) ** power
            known = self._products[units] = product.dimensionality
        return known

    def unit_names(self) -> list[str]:
        """Every name, symbol and alias of a unit, sorted."""
        return sorted(self.registry)

    def definition_hint(self, unit: str, *, file: str = "units.yaml") -> str:
        """How to declare the names of ``unit`` that are no unit yet, for an error message.

        Returns:
            e.g. ``" (to declare it, add '- widget = [widget]' under definitions: in
            units.yaml)"``; ``""`` if ``unit`` is no unit expression or names only units.
        """
        try:
            names = _expression_names(unit)
        except UnitsError:
            return ""
        missing = [n for n in dict.fromkeys(names) if not self.known(n)]
        if not missing:
            return ""
        lines = " and ".join(f"'- {n} = [{n}]'" for n in missing)
        return (f" (to declare {'it' if len(missing) == 1 else 'them'}, add {lines} under "
                f"definitions: in {file})")


def word_hint(word: str, unit: str, *, file: str = "units.yaml") -> str:
    """How to make ``word`` of the text name ``unit``, for an error message.

    Returns:
        e.g. ``" (if it names NVT, add 'thalers: NVT' under words: in units.yaml)"``.
    """
    key = word if re.fullmatch(r"[A-Za-z][A-Za-z0-9 ]*", word) and not word.endswith(" ") \
        else json.dumps(word, ensure_ascii=False)
    return f" (if it names {unit}, add '{key}: {unit}' under words: in {file})"


def _excerpt(text: object, limit: int = 40) -> str:
    if not isinstance(text, str):
        return type(text).__name__
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}... ({len(text):,} characters)"


@lru_cache(maxsize=16)
def _cached(definitions: tuple[str, ...], words: tuple[tuple[str, str], ...]) -> UnitSystem:
    return UnitSystem(_registry(definitions), dict(words))


def unit_system(definitions: Iterable[str] = (), words: Mapping[str, str] | None = None,
                ) -> UnitSystem:
    """The unit system of a units file (built once per distinct file).

    Args:
        definitions: the file's definitions, beyond :data:`CORE_DEFINITIONS`.
        words: words of the text that name a unit.

    Raises:
        UnitsError: a definition refused, with its index in ``definitions``.
    """
    return _cached(tuple(definitions), tuple(sorted((words or {}).items())))
