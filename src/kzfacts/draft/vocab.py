"""Which words name a unit: the text's own nouns, currency codes and signs, a units file.

The drafter knows nothing of one country. A counted noun names its own unit ("persons" →
``person``, "thalers" → ``thaler``); a three-letter code beside an amount ("EUR 2.3
million", "2.3 million EUR") and a currency sign ("$", "€", "£") name a currency. A units
file given to the draft (``--units``, or the fact base ``kzfacts suggest`` works on) says the
rest: its words name its units ("thalers" → its currency), and its definitions say which are
currencies and which index units, so that conversions can use its reference data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from kzfacts.draft.model import DraftUnit
from kzfacts.draft.text import singular

__all__ = ["UnitWord", "Vocabulary"]

#: Currency signs written before the amount, and the unit each names.
SIGNS: dict[str, str] = {"$": "dollar", "€": "euro", "£": "pound", "¥": "yen"}
TIME: dict[str, str] = {"years": "year", "year": "year", "months": "month", "month": "month",
                        "weeks": "week", "week": "week", "days": "day", "day": "day"}
#: Names a fact base's own unit may not take: the library's.
_RESERVED = frozenset({"percent", "year", "years", "month", "months", "week", "weeks", "day",
                       "days", "time", "times", "s", "m", "h"})
#: Nouns that count the same kind of event: a breakdown of "214 crimes" into "10 cases" and
#: "2 criminal offences" counts crimes (the drafter notes the choice on the fact).
EVENTS = frozenset({"case", "crime", "offence", "offense", "fact", "incident", "act",
                    "violation", "episode", "proceeding", "matter"})
#: Three capitals that are not currency codes, though they stand beside figures.
_NOT_CODES = frozenset({"THE", "AND", "FOR", "NOT", "ALL", "NEW", "OLD", "PER", "TOP", "GDP",
                        "NGO", "NPM", "HIV", "TDF", "CEO", "ICT", "SME"})


@dataclass(frozen=True, slots=True)
class UnitWord:
    """Words after (or a sign before) a number that name its unit."""

    text: str  # as written
    unit: str
    kind: str  # money | index | count
    start: int
    end: int


class Vocabulary:
    """The units a draft knows: from a units file, and the nouns and codes it meets."""

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
        self.kinds: dict[str, str] = {}  # units met as money (a code, a sign)
        self.given = {k.lower(): v for k, v in words.items()}
        self.phrases: dict[str, tuple[str, str]] = {
            phrase: (unit, self.kind_of(unit)) for phrase, unit in self.given.items()}
        self._after = re.compile(
            r"[ \u00a0](" + "|".join(re.escape(p) for p in sorted(self.phrases, key=len, reverse=True))
            + r")(?![A-Za-z])", re.I) if self.phrases else None
        self.used: dict[str, str] = {}  # phrase as written -> unit, for units.yaml words
        self.units: dict[str, DraftUnit] = {}

    def kind_of(self, unit: str) -> str:
        """money, index or count, as the units file (or a code or sign met) says."""
        dim = self.defined.get(unit, "")
        if dim.startswith("currency") or self.kinds.get(unit) == "money":
            return "money"
        if dim.startswith("index"):
            return "index"
        return "count"

    def after(self, text: str, pos: int) -> UnitWord | None:
        """A unit phrase right after ``pos``: a units file's words ("48.6 million| thalers"),
        or a currency code ("2.3 million| EUR")."""
        if self._after is not None:
            m = self._after.match(text, pos)
            if m is not None:
                unit, kind = self.phrases[m.group(1).lower()]
                if kind != "count":
                    return UnitWord(m.group(1), unit, kind, m.start(1), m.end(1))
        code = re.match(r"[ \u00a0]([A-Z]{3})(?![A-Za-z])", text[pos:])
        if code is not None and code.group(1) not in _NOT_CODES and not self._counted(code.group(1)):
            self.kinds[code.group(1)] = "money"
            return UnitWord(code.group(1), code.group(1), "money", pos + code.start(1), pos + code.end(1))
        return None

    def _counted(self, name: str) -> bool:
        """A name the units file declares as something counted, not money."""
        return name in self.defined and self.kind_of(name) == "count"

    def sign_before(self, text: str, pos: int) -> UnitWord | None:
        """A currency sign or code right before ``pos`` ("$|3.2 million", "EUR |5,000")."""
        for sign, name in SIGNS.items():
            if text.endswith(sign, 0, pos):
                self.kinds[name] = "money"
                return UnitWord(sign, name, "money", pos - len(sign), pos)
        m = re.search(r"\b([A-Z]{3})[ \u00a0]$", text[max(0, pos - 4):pos])
        if m and m.group(1) not in _NOT_CODES and not self._counted(m.group(1)):
            self.kinds[m.group(1)] = "money"
            return UnitWord(m.group(1), m.group(1), "money", pos - 4 + m.start(1), pos - 4 + m.end(1))
        return None

    def noun_unit(self, noun: str) -> str:
        """The unit a counted noun names: a units file's word for it, else its singular."""
        given = self.given.get(noun.lower())
        if given is not None:
            return given
        one = singular(noun)
        if one in self.defined:
            return one
        if noun.isupper() and len(noun) > 1 and noun.isalpha():  # "30 BA": the acronym
            return noun
        name = re.sub(r"[^a-z0-9_]+", "_", one.lower()).strip("_") or "item"
        if name[0].isdigit():
            name = "n_" + name
        return name + "_count" if name in _RESERVED else name

    def declare(self, unit: str, kind: str, *, plural: str | None = None) -> None:
        """Declare a unit the draft uses, unless the units file defines it already."""
        if unit in self.defined or unit in self.units or unit == "percent" or kind in (
                "duration", "range_time", "share"):
            return
        if kind == "money" or self.kinds.get(unit) == "money":
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
