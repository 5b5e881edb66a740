"""Units as dimensions. The only place a :class:`pint.UnitRegistry` is built.

The library defines only what every document shares (percent and calendar time); a fact
base declares the rest in its units file: each counted entity as its own dimension, its
currencies, its index units. Arithmetic on values stays exact (Fractions); pint is asked
only about dimensions and exact conversion factors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from fractions import Fraction
from functools import lru_cache
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
        self.registry: Any = _batch(lines)
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
            parsed = self.registry.parse_units(unit)
        except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError,
                AttributeError, TypeError, ValueError) as exc:
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
