"""Units as dimensions. The only place a :class:`pint.UnitRegistry` is built.

The library defines only what every document shares (percent and calendar time); a fact
base declares the rest in its units file: each counted entity as its own dimension, its
currencies, its index units. Arithmetic on values stays exact (Fractions); pint is asked
only about dimensions and exact conversion factors.

pint reads definitions and unit expressions with a general text parser (flexparser, Python's
tokenizer, its own evaluator): 5 ms in a fresh process, most of it compiling regular
expressions. The plain forms a units file holds (``person = [person] = _ = persons``,
``month = year / 12 = _ = months``) and the expressions rules write (``EUR/household``) are
turned here into the objects pint's parser makes of them (``_direct``, ``_product``; tests
hold the two equal, object for object); anything else goes to pint's parser as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from fractions import Fraction
from functools import lru_cache
from tokenize import TokenError
from typing import Any

import pint

__all__ = ["CORE_DEFINITIONS", "UnitSystem", "unit_system"]

_UNIT_EXPR = re.compile(r"[A-Za-z0-9_%*/() ]*")
_NOT_A_NAME = re.compile(r"\*\*|(?<![A-Za-z0-9_])\d")  # a power, or a number

#: Units every fact base has. Nothing here belongs to one country.
CORE_DEFINITIONS: tuple[str, ...] = (
    "percent = 1/100 = %",
    "year = [time] = _ = years",
    "month = year / 12 = _ = months",
    "week = 7 * day = _ = weeks",
    "day = year / 365 = _ = days",
)


class UnitSystem:
    """A registry with the fact base's definitions and the words that name its units."""

    def __init__(self, definitions: Iterable[str], words: Mapping[str, str]) -> None:
        lines = (*CORE_DEFINITIONS, *definitions)
        self.registry: Any = _direct(lines)
        if self.registry is None:
            self.registry = _batch(lines)
        if self.registry is None:  # defined one by one: any error is raised at its line
            self.registry = _registry()
            for line in lines:
                self.registry.define(line)
        self.words: dict[str, str] = dict(words)
        # The registry is complete once built, so answers about units never change: each
        # unit expression is parsed once, each pair compared and converted once (pint's
        # operations cost tens of microseconds; a rule asks about the same few pairs).
        self._parsed: dict[str, Any] = {}
        self._same: dict[tuple[str, str], bool] = {}
        self._factors: dict[tuple[str, str], Fraction] = {}
        self._products: dict[tuple[tuple[str, int], ...], Any] = {}

    def parse(self, unit: str) -> Any:
        """The pint unit for a unit expression (``"person/case"``).

        Raises:
            ValueError: the unit is not defined (``pint.UndefinedUnitError`` is a ValueError
                only in spirit, so it is converted here).
        """
        parsed = self._parsed.get(unit) if isinstance(unit, str) else None
        if parsed is not None:
            return parsed
        # Unit names joined by * and /, nothing else: pint evaluates numbers and powers
        # exactly, and "10**10**10*person" from a data file would never finish.
        if (not isinstance(unit, str) or len(unit) > 200 or not _UNIT_EXPR.fullmatch(unit)
                or _NOT_A_NAME.search(unit)):
            raise ValueError(f"the unit {unit!r} is not defined")
        try:
            parsed = _product(self.registry, unit)
            if parsed is None:
                parsed = self.registry.parse_units(unit)
        except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError,
                AttributeError, TypeError, ValueError, AssertionError, TokenError) as exc:
            # pint's reader asserts on "EUR/" and the tokenizer fails on "(EUR": not defined
            raise ValueError(f"the unit {unit!r} is not defined") from exc
        if isinstance(unit, str):
            self._parsed[unit] = parsed
        return parsed

    def dimension(self, unit: str) -> str:
        """A printable dimension, e.g. ``[person]`` or ``[currency_EUR] / [household]``."""
        dims = self.parse(unit).dimensionality
        return str(dims) if dims else "dimensionless"

    def same_dimension(self, a: str, b: str) -> bool:
        known = self._same.get((a, b))
        if known is None:
            known = bool(self.parse(a).dimensionality == self.parse(b).dimensionality)
            self._same[(a, b)] = known
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
        q = self.registry.Quantity(Fraction(1), self.parse(source)).to(self.parse(target))
        known = self._factors[(source, target)] = Fraction(q.magnitude)
        return known

    def product_dimension(self, *units: tuple[str, int]) -> Any:
        """The dimensionality of a product of units raised to powers."""
        known = self._products.get(units)
        if known is not None:
            return known
        out = self.registry.parse_units("")
        for unit, power in units:
            out = out * self.parse(unit) ** power
        known = self._products[units] = out.dimensionality
        return known

    def known(self, unit: str) -> bool:
        try:
            self.parse(unit)
        except ValueError:
            return False
        return True

    def unit_names(self) -> list[str]:
        return sorted(str(u) for u in self.registry._units)


def _registry() -> Any:
    return pint.UnitRegistry(None, non_int_type=Fraction, cache_folder=None)


def _batch(lines: tuple[str, ...]) -> Any:
    """A registry with ``lines`` parsed at once (a third of the cost of one parse per line),
    or None when they are not plain one-line definitions or pint refuses any of them."""
    if any(not isinstance(line, str) or line != line.strip() or "@" in line or "\n" in line
           or "\r" in line for line in lines):
        return None  # directives, blocks or continued lines could mean something else at once
    registry = _registry()
    try:
        registry.load_definitions(list(lines))
    except Exception:  # noqa: BLE001 - pint raises many kinds; define() says which, at its line
        return None
    return registry


# The direct path: the plain one-line forms below become the very objects pint's text parser
# makes of them, handed to the adder load_definitions uses, without the parser (flexparser,
# the tokenizer's regular expressions, pint's expression evaluator: 5 ms in a fresh process).
# pint internals used: pint.delegates.txt_defparser.plain.UnitDefinition (the parser's own
# class, so the two registries hold equal objects) with its set_position / set_raw (from
# flexparser's Statement), pint.converters.Converter.from_arguments, pint.util.UnitsContainer,
# PlainRegistry._helper_dispatch_adder. Any of them missing or raising: the text path.
_WORD = r"[A-Za-z_][A-Za-z0-9_]*"
_NUMBER = r"(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,18})?"
_VALUE = re.compile(
    rf"\[(?P<dimension>{_WORD})\]"                                           # [person]
    rf"|(?:(?P<times>{_NUMBER}) *\* *)?(?P<unit>{_WORD})(?: */ *(?P<per>{_NUMBER}))?"  # 7 * day
    rf"|(?P<number>{_NUMBER})(?: */ *(?P<over>{_NUMBER}))?")                  # 1/100
#: A symbol or an alias: pint keeps it as written (it refuses only spaces).
_ALIAS = re.compile(r"[^\s=#@\[\]]+")
#: Words pint's expression reader rewrites ("a per b", "m squared", "sq m", nan).
_SPECIAL = frozenset({"per", "squared", "cubed", "cubic", "square", "sq"})
_ONE = Fraction(1)

_Simple = tuple[str, str | None, tuple[str, ...], Fraction, dict[str, Fraction]]


def _pint_parts() -> tuple[Any, Any, Any] | None:
    try:
        from pint.converters import Converter
        from pint.delegates.txt_defparser.plain import UnitDefinition
        from pint.util import UnitsContainer
    except (ImportError, AttributeError):  # another pint's layout: the text path
        return None
    return Converter, UnitDefinition, UnitsContainer


_PINT = _pint_parts()


def _simple(line: object) -> _Simple | None:
    """``line`` as (name, symbol, aliases, scale, reference) when it is one of the plain forms
    ``name = [dimension]`` or ``name = [number *] unit [/ number]`` or ``name = number [/
    number]``, then ``= symbol-or-_`` and aliases; None for anything else."""
    if not isinstance(line, str) or len(line) > 1000 or not line.isprintable() \
            or line != line.strip():
        return None  # printable: no tab, line or paragraph separator that pint would split at
    parts = [part.strip() for part in line.split("=")]
    if len(parts) < 2:  # a name and a value at least
        return None
    name, value, *names = parts
    match = _VALUE.fullmatch(value)
    if match is None or not name.isidentifier():
        return None
    symbol = None
    if names:
        first, *names = names
        symbol = None if first == "_" else first
    if (symbol is not None and not _ALIAS.fullmatch(symbol)) \
            or any(alias == "_" or not _ALIAS.fullmatch(alias) for alias in names):
        return None  # pint drops empty names and "_": leave that to it
    dimension, unit = match["dimension"], match["unit"]
    if dimension is not None:
        if "__obra__" in dimension or "__cbra__" in dimension:  # pint's own stand-ins for [ ]
            return None
        return name, symbol, tuple(names), _ONE, {f"[{dimension}]": _ONE}
    numbers = [Fraction(match[group] or 1) for group in ("times", "per", "number", "over")]
    if not all(numbers):
        return None  # a zero scale or a division by zero: pint's own error
    if unit is None:
        return name, symbol, tuple(names), numbers[2] / numbers[3], {}
    if not _plain_word(unit):
        return None
    return name, symbol, tuple(names), numbers[0] / numbers[1], {unit: _ONE}


def _direct(lines: tuple[str, ...]) -> Any:
    """The registry ``_batch(lines)`` gives, built without pint's text parser, or None when a
    line is not a plain form, a name is defined twice, or pint refuses a definition."""
    if _PINT is None:
        return None
    converter, definition, container = _PINT
    simple: list[_Simple] = []
    taken: set[str] = set()
    for line in lines:
        parsed = _simple(line)
        if parsed is None:
            return None
        name, symbol, aliases = parsed[:3]
        for key in (name, symbol, *aliases) if symbol else (name, *aliases):
            if key in taken:
                return None  # a redefinition: pint warns and replaces, in its own order
            taken.add(key)
        simple.append(parsed)
    registry = _registry()
    try:
        for number, (line, (name, symbol, aliases, scale, reference)) in enumerate(
                zip(lines, simple, strict=True), start=1):
            unit = definition(name, symbol, aliases, converter.from_arguments(scale=scale),
                              container(reference, non_int_type=Fraction))
            unit.set_position(number, 0, number, len(line))  # where the parser would put it
            unit.set_raw(line)
            registry._helper_dispatch_adder(unit)
    except Exception:  # noqa: BLE001 - whatever pint refuses, the text path says why
        return None
    return registry


_TOKEN = re.compile(rf" *({_WORD}|[*/()]) *")
_SIGNS = frozenset("*/()")
_Powers = dict[str, Fraction]


def _plain_word(word: str) -> bool:
    """Not a word pint's expression reader treats specially."""
    return (word not in _SPECIAL and word != "dimensionless" and word.lower() != "nan"
            and not (word[0] in "eE" and word[1:2].isdigit()))


def _product(registry: Any, unit: str) -> Any:
    """What ``registry.parse_units(unit)`` gives when ``unit`` is defined names joined by
    ``*``, ``/`` and parentheses (``EUR/household``, ``(case) * (person/case)``), without pint's
    tokenizer (its regular expression takes 2.5 ms to compile in a fresh process); None for
    anything else, which pint then reads.
    """
    if _PINT is None:
        return None
    tokens: list[str] = []
    at = 0
    while at < len(unit):
        match = _TOKEN.match(unit, at)
        if match is None:
            return None
        tokens.append(match[1])
        at = match.end()
    units = getattr(registry, "_units", None)
    if not isinstance(units, Mapping):  # a ChainMap of the active contexts
        return None
    if any(t not in _SIGNS and (t not in units or not _plain_word(t)) for t in tokens):
        return None  # prefixed, plural or undefined: pint says which
    read = _expression(tokens, 0, 0)
    if read is None or read[1] != len(tokens):
        return None
    try:
        names = [units[word].name for word in read[0]]
        if not all(units[name].is_multiplicative for name in names):
            return None  # offset units become delta_ units in products: pint's rule
        container = registry.UnitsContainer({})
        for name, power in zip(names, read[0].values(), strict=True):
            container = container.add(name, power)
        return registry.Unit(container)
    except Exception:  # noqa: BLE001 - pint's own reading says what is wrong
        return None


def _expression(tokens: list[str], at: int, depth: int) -> tuple[_Powers, int] | None:
    """Read ``term (* or / term)*`` from ``tokens[at]`` on, from the left, as pint does: each
    term multiplies or divides what is read so far, key by key in its order, and a name whose
    power comes to 0 is dropped. The powers read and where reading stopped, or None."""
    read = _term(tokens, at, depth)
    while read is not None and read[1] < len(tokens) and tokens[read[1]] in ("*", "/"):
        powers, at = read
        right = _term(tokens, at + 1, depth)
        if right is None:
            return None
        sign = _ONE if tokens[at] == "*" else -_ONE
        powers = dict(powers)
        for word, power in right[0].items():
            total = powers.get(word, 0) + sign * power
            if total:
                powers[word] = total
            else:
                del powers[word]
        read = powers, right[1]
    return read


def _term(tokens: list[str], at: int, depth: int) -> tuple[_Powers, int] | None:
    if at >= len(tokens) or tokens[at] in ("*", "/", ")"):
        return None
    if tokens[at] != "(":
        return {tokens[at]: _ONE}, at + 1
    if depth >= 8:  # deeper than any unit a rule writes: pint reads it
        return None
    read = _expression(tokens, at + 1, depth + 1)
    if read is None or read[1] >= len(tokens) or tokens[read[1]] != ")":
        return None
    return read[0], read[1] + 1


@lru_cache(maxsize=16)
def _cached(definitions: tuple[str, ...], words: tuple[tuple[str, str], ...]) -> UnitSystem:
    return UnitSystem(definitions, dict(words))


def unit_system(definitions: Iterable[str] = (), words: Mapping[str, str] | None = None,
                ) -> UnitSystem:
    """The unit system for a set of definitions (built once per distinct set).

    Raises:
        pint.errors.DefinitionSyntaxError / pint.errors.RedefinitionError: bad definitions;
            the loader turns them into located errors.
    """
    return _cached(tuple(definitions), tuple(sorted((words or {}).items())))
