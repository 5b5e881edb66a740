"""Which words name a unit: currencies, index units, time, and the document's own nouns."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from kzfacts.draft.model import DraftUnit
from kzfacts.draft.text import singular

__all__ = ["UnitWord", "Vocabulary"]

#: Currencies by the words a text uses for them; a unit is named by its ISO code.
CURRENCIES: dict[str, str] = {
    "us dollars": "USD", "u.s. dollars": "USD", "united states dollars": "USD",
    "dollars": "USD", "usd": "USD", "euros": "EUR", "euro": "EUR", "eur": "EUR",
    "tenge": "KZT", "kzt": "KZT", "pounds sterling": "GBP", "gbp": "GBP",
    "roubles": "RUB", "rubles": "RUB", "rub": "RUB", "swiss francs": "CHF", "chf": "CHF",
    "yen": "JPY", "jpy": "JPY", "yuan": "CNY", "renminbi": "CNY", "cny": "CNY",
    "rupees": "INR", "inr": "INR", "soms": "KGS", "som": "KGS", "kgs": "KGS",
    "somoni": "TJS", "tjs": "TJS", "lari": "GEL", "gel": "GEL", "drams": "AMD", "amd": "AMD",
    "hryvnias": "UAH", "hryvnia": "UAH", "uah": "UAH", "zlotys": "PLN", "zloty": "PLN",
    "pln": "PLN", "sums": "UZS", "uzs": "UZS",
}
#: Currency signs written before the amount.
SIGNS: dict[str, str] = {"US$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "₸": "KZT", "¥": "JPY"}
#: Index units: amounts set in multiples of a value fixed each year (fines, benefits).
INDEXES: dict[str, str] = {
    "mci": "MCI", "monthly calculation indices": "MCI", "monthly calculation indexes": "MCI",
    "monthly calculation index": "MCI", "mrp": "MCI", "base amounts": "BA", "base amount": "BA",
    "minimum wages": "MW", "minimum wage": "MW", "minimum monthly wages": "MW",
    "fee units": "FU", "fee unit": "FU", "penalty units": "PU", "penalty unit": "PU",
    "calculation units": "CU", "calculation unit": "CU",
}
TIME: dict[str, str] = {"years": "year", "year": "year", "months": "month", "month": "month",
                        "weeks": "week", "week": "week", "days": "day", "day": "day"}
#: Names a fact base's own unit may not take: the library's.
_RESERVED = frozenset({"percent", "year", "years", "month", "months", "week", "weeks", "day",
                       "days", "time", "times", "s", "m", "h"})
#: Nouns that count the same kind of event: a breakdown of "214 crimes" into "10 cases" and
#: "2 criminal offences" counts crimes (the drafter notes the choice on the fact).
EVENTS = frozenset({"case", "crime", "offence", "offense", "fact", "incident", "act",
                    "violation", "episode", "proceeding", "matter"})


@dataclass(frozen=True, slots=True)
class UnitWord:
    """Words after (or a sign before) a number that name its unit."""

    text: str  # as written
    unit: str
    kind: str  # money | index | duration | share
    start: int
    end: int


class Vocabulary:
    """The units a draft knows: built in, from a units file, and the nouns it counts."""

    def __init__(self, words: Mapping[str, str], definitions: tuple[str, ...]) -> None:
        self.defined: dict[str, str] = {}  # unit name -> its dimension, from a units file
        for line in definitions:
            parts = [p.strip() for p in line.split("=")]
            if len(parts) >= 2 and parts[0]:
                dim = parts[1].strip("[] ") if parts[1].startswith("[") else parts[1]
                self.defined[parts[0]] = dim
                for alias in parts[2:]:
                    if alias and alias != "_":
                        self.defined.setdefault(alias, dim)
        self.given = {k.lower(): v for k, v in words.items()}
        self.phrases: dict[str, tuple[str, str]] = {}  # lower-case phrase -> (unit, kind)
        for phrase, code in CURRENCIES.items():
            self.phrases[phrase] = (code, "money")
        for phrase, code in INDEXES.items():
            self.phrases[phrase] = (code, "index")
        for phrase, unit in self.given.items():
            self.phrases[phrase] = (unit, self._kind_of(unit))
        self._after = re.compile(
            r"[ \u00a0]?(" + "|".join(re.escape(p) for p in sorted(self.phrases, key=len, reverse=True))
            + r")(?![A-Za-z])", re.I)
        self.used: dict[str, str] = {}  # phrase as written -> unit, for units.yaml words
        self.units: dict[str, DraftUnit] = {}

    def _kind_of(self, unit: str) -> str:
        dim = self.defined.get(unit, "")
        if dim.startswith("currency") or unit in CURRENCIES.values():
            return "money"
        if dim.startswith("index") or unit in INDEXES.values():
            return "index"
        return "count"

    def after(self, text: str, pos: int) -> UnitWord | None:
        """A unit phrase of money or an index right after ``pos`` ("54.5 million| tenge")."""
        m = self._after.match(text, pos)
        if m is None:
            return None
        unit, kind = self.phrases[m.group(1).lower()]
        if kind == "count":
            return None
        return UnitWord(m.group(1), unit, kind, m.start(1), m.end(1))

    def sign_before(self, text: str, pos: int) -> UnitWord | None:
        """A currency sign or code right before ``pos`` ("$|3.2 million", "USD |5,000")."""
        for sign, code in SIGNS.items():
            if text.endswith(sign, 0, pos):
                return UnitWord(sign, code, "money", pos - len(sign), pos)
        m = re.search(r"\b([A-Z]{3})[ \u00a0]$", text[max(0, pos - 4):pos])
        if m and m.group(1).lower() in CURRENCIES:
            return UnitWord(m.group(1), CURRENCIES[m.group(1).lower()], "money",
                            pos - 4 + m.start(1), pos - 4 + m.end(1))
        return None

    def noun_unit(self, noun: str) -> str:
        """The unit a counted noun names: a units file's word for it, else its singular."""
        given = self.given.get(noun.lower())
        if given is not None:
            return given
        one = singular(noun)
        if one in self.defined:
            return one
        name = re.sub(r"[^a-z0-9_]+", "_", one.lower()).strip("_") or "item"
        if name[0].isdigit():
            name = "n_" + name
        return name + "_count" if name in _RESERVED else name

    def declare(self, unit: str, kind: str, *, plural: str | None = None) -> None:
        """Declare a unit the draft uses, unless the units file defines it already."""
        if unit in self.defined or unit in self.units or unit == "percent" or kind in (
                "duration", "range_time", "share"):
            return
        if kind == "money":
            dim = f"currency_{unit}"
        elif kind == "index":
            dim = f"index_{unit}"
        else:
            dim = unit
        aliases: tuple[str, ...] = ()
        alias = None if plural is None else re.sub(r"[^A-Za-z0-9_]+", "_", plural.lower()).strip("_")
        if alias and alias != unit and alias not in _RESERVED and re.fullmatch(r"[A-Za-z_]\w*", alias) \
                and alias not in self.defined and all(alias != u.name and alias not in u.aliases
                                                      for u in self.units.values()):
            aliases = (alias,)
        self.units[unit] = DraftUnit(unit, dim, aliases)

    def use(self, phrase: str, unit: str) -> None:
        """A unit phrase a drafted ``written`` holds: the reader must know it."""
        self.used.setdefault(phrase, unit)

    def same_kind(self, a: str | None, b: str | None) -> bool:
        """Both count events of one kind ("cases" of "crimes"), or have no noun."""
        return a is None or b is None or a == b or (a in EVENTS and b in EVENTS)
