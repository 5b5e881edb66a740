"""The number reader: numbers as a document writes them, read into exact values.

``read_number("54.5 million euros")`` gives the value 54,500,000, known to the hundred
thousand, so the true value lies in ``[54,450,000, 54,550,000)``. ``read_number("3,7%")``
reads the comma as a decimal comma and says so in :attr:`Reading.notes`: the reader resolves
ambiguous forms by their context and never silently.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Literal

from kzfacts._record import OrderedRecord, Record, set_slot
from kzfacts.errors import ReadError
from kzfacts.values.interval import Interval

__all__ = [
    "DEFAULT_UNIT_WORDS",
    "DateValue",
    "NumberSpan",
    "Qualifier",
    "RangeReading",
    "Reading",
    "find_numbers",
    "read_date",
    "read_number",
    "read_range",
]

Convention = Literal["round", "truncate"]

#: Unit words every document may use. A fact base adds its own (``euros``, ``households``...).
DEFAULT_UNIT_WORDS: Mapping[str, str] = {
    "%": "percent", "percent": "percent", "per cent": "percent",
    "year": "year", "years": "year", "month": "month", "months": "month",
    "day": "day", "days": "day", "week": "week", "weeks": "week",
}

_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}

#: Relative width of "about": a number given as approximate admits ±10 %.
ABOUT_TOLERANCE = Fraction(1, 10)


class Qualifier(StrEnum):
    """How a number bounds the true value."""

    EXACT = "exact"
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"
    UP_TO = "up_to"
    LESS_THAN = "less_than"
    ABOUT = "about"
    INCLUDING = "including"


_QUALIFIER_WORDS: tuple[tuple[str, Qualifier], ...] = (
    ("no more than", Qualifier.UP_TO), ("not more than", Qualifier.UP_TO),
    ("more than", Qualifier.MORE_THAN), ("over", Qualifier.MORE_THAN),
    ("at least", Qualifier.AT_LEAST), ("not less than", Qualifier.AT_LEAST),
    ("up to", Qualifier.UP_TO), ("less than", Qualifier.LESS_THAN),
    ("fewer than", Qualifier.LESS_THAN), ("about", Qualifier.ABOUT),
    ("approximately", Qualifier.ABOUT), ("around", Qualifier.ABOUT),
    ("some", Qualifier.ABOUT), ("including", Qualifier.INCLUDING),
)

#: Qualifiers that widen a reading beyond its written precision.
_BOUNDING = frozenset({Qualifier.MORE_THAN, Qualifier.AT_LEAST, Qualifier.UP_TO,
                       Qualifier.LESS_THAN, Qualifier.ABOUT})

_NUM = r"\d{1,3}(?:[ ,]\d{3})+(?!\d)(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_GROUP = re.compile(rf"(?P<num>{_NUM})(?:\s*(?P<scale>thousand|million|billion)\b)?", re.I)
_TOKEN = re.compile(_NUM)


class Reading(Record):
    """An exact number read from text, with the precision it was written at.

    Attributes:
        text: what was read.
        value: the exact value (``int`` when whole, else ``Decimal``).
        quantum: the place value of the last digit written, scale words included
            ("54.5 million" has quantum 100,000).
        exact: written in full, so it is the true value itself (counts, sums in full).
        unit: the unit named by the text (``"percent"``, ``"EUR"``), or ``None``.
        qualifier: "more than", "up to"... as read.
        notes: how ambiguous forms were resolved.
    """

    _fields = ("text", "value", "quantum", "exact", "unit", "qualifier", "notes")
    # and the intervals already computed, per convention (a reading is immutable, so they
    # cannot change)
    __slots__ = (*_fields, "_intervals")
    text: str
    value: int | Decimal
    quantum: Decimal
    exact: bool
    unit: str | None
    qualifier: Qualifier
    notes: tuple[str, ...]
    _intervals: dict[str, Interval]

    def __init__(self, text: str, value: int | Decimal, quantum: Decimal,  # noqa: PLR0917 - the fields, in order
                 exact: bool, unit: str | None = None,  # noqa: FBT001
                 qualifier: Qualifier = Qualifier.EXACT, notes: tuple[str, ...] = ()) -> None:
        set_slot(self, "text", text)
        set_slot(self, "value", value)
        set_slot(self, "quantum", quantum)
        set_slot(self, "exact", exact)
        set_slot(self, "unit", unit)
        set_slot(self, "qualifier", qualifier)
        set_slot(self, "notes", notes)
        set_slot(self, "_intervals", {})

    @property
    def point(self) -> int | None:
        """The value, when it is whole and the only one the reading admits under either
        convention (written in full, no bounding qualifier); else ``None``.

        Rules use it to skip interval arithmetic: such a reading's interval is ``[v, v]``
        whether the document rounded or truncated.
        """
        if self.exact and type(self.value) is int and self.qualifier not in _BOUNDING:
            return self.value
        return None

    @property
    def decimals(self) -> int:
        """Digits written after the decimal point (0 for whole numbers)."""
        exponent = self.quantum.normalize().as_tuple().exponent
        assert isinstance(exponent, int)  # a finite quantum always has an int exponent
        return max(0, -exponent)

    def interval(self, *, convention: Convention = "round") -> Interval:
        """The true values this number admits.

        Args:
            convention: ``"round"`` (the written number is the true one rounded half up)
                or ``"truncate"`` (the true one with its further digits cut off).
        """
        known = self._intervals.get(convention)
        if known is None:
            known = self._intervals[convention] = self._interval(convention)
        return known

    def _interval(self, convention: Convention) -> Interval:
        v = Fraction(self.value)
        if self.exact:  # the quantum plays no part: not converted
            base = Interval.point(v)
        elif convention == "round":
            q = Fraction(self.quantum)
            # The reader reads no sign: a written number's true value is never below 0
            # ("0 million" is [0, 500,000), not [-500,000, 500,000)).
            base = Interval.half_open(max(v - q / 2, Fraction(0)), v + q / 2)
        else:
            base = Interval.half_open(v, v + Fraction(self.quantum))
        match self.qualifier:
            case Qualifier.MORE_THAN:
                return Interval.above(v, inclusive=False)
            case Qualifier.AT_LEAST:
                return Interval.above(v, inclusive=True)
            case Qualifier.UP_TO:
                return Interval.below(v, inclusive=True)
            case Qualifier.LESS_THAN:
                return Interval.below(v, inclusive=False)
            case Qualifier.ABOUT:
                return base.hull(Interval.point(v).widen(ABOUT_TOLERANCE))
            case _:
                return base


class RangeReading(Record):
    """"from 4 to 7 years": two readings sharing a unit; either end may be open."""

    _fields = __slots__ = ("text", "low", "high", "unit")
    text: str
    low: Reading | None
    high: Reading | None
    unit: str | None

    def __init__(self, text: str, low: Reading | None, high: Reading | None,
                 unit: str | None) -> None:
        set_slot(self, "text", text)
        set_slot(self, "low", low)
        set_slot(self, "high", high)
        set_slot(self, "unit", unit)


class DateValue(OrderedRecord):
    """A calendar date known to the year, the month or the day."""

    _fields = __slots__ = ("year", "month", "day")
    year: int
    month: int | None
    day: int | None

    def __init__(self, year: int, month: int | None = None, day: int | None = None) -> None:
        set_slot(self, "year", year)
        set_slot(self, "month", month)
        set_slot(self, "day", day)
        if not 1 <= year <= 9999:
            raise ReadError(str(self), "a year from 1 to 9999", found=str(year))
        if month is None and day is not None:
            raise ReadError(str(self), "a day needs a month")
        if month is not None and not 1 <= month <= 12:
            raise ReadError(str(self), f"month {month} is not 1..12")
        if day is not None and month is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ReadError(str(self), f"{calendar.month_name[month]} {year} "
                                           f"has days 1..{last}, not {day}")

    @classmethod
    def from_iso(cls, text: str) -> DateValue:
        """Parse ``"2021"``, ``"2021-07"`` or ``"2021-07-19"``."""
        m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
        if not m:
            raise ReadError(text, "a date as YYYY, YYYY-MM or YYYY-MM-DD")
        y, mo, d = m.groups()
        return cls(int(y), int(mo) if mo else None, int(d) if d else None)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.day is not None and self.month is not None:
            return dt.date(self.year, self.month, self.day)
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
        if self.day is not None:
            out += f"-{self.day:02d}"
        return out


class NumberSpan(Record):
    """Where a number stands in a text: ``text[start:end]``."""

    _fields = __slots__ = ("start", "end", "text")
    start: int
    end: int
    text: str

    def __init__(self, start: int, end: int, text: str) -> None:
        set_slot(self, "start", start)
        set_slot(self, "end", end)
        set_slot(self, "text", text)


_SPACES = re.compile(r"\s+")


def _normalise(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def _read_digits(token: str, *, decimal_comma: bool | None, notes: list[str]) -> tuple[Decimal, int]:
    """Read one digit group ("10,169", "3,7", "138 000") to a Decimal and its decimals."""
    digits = token.replace(" ", "")
    if " " in token:
        notes.append(f"'{token}': spaces read as thousands separators")
    if "," in digits and "." in digits:
        thousands, point = ("," , ".") if digits.rfind(".") > digits.rfind(",") else (".", ",")
        notes.append(f"'{token}': '{thousands}' read as thousands separator, '{point}' as decimal point")
        digits = digits.replace(thousands, "").replace(point, ".")
    elif "," in digits:
        groups = digits.split(",")
        grouped = len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
        if grouped and decimal_comma is not True:
            why = ("several groups of three" if len(groups) > 2 else
                   "three digits follow it; decimal comma not declared")
            notes.append(f"'{token}': comma read as thousands separator ({why})")
            digits = "".join(groups)
        elif len(groups) == 2:
            why = "declared" if decimal_comma else f"{len(groups[1])} digit(s) follow it, not 3"
            notes.append(f"'{token}': comma read as decimal comma ({why})")
            digits = ".".join(groups)
        else:
            raise ReadError(token, "digits grouped by commas in threes")
    elif digits.count(".") > 1:
        groups = digits.split(".")
        if not all(len(g) == 3 for g in groups[1:]):
            raise ReadError(token, "digits grouped by points in threes")
        notes.append(f"'{token}': points read as thousands separators")
        digits = "".join(groups)
    value = Decimal(digits)
    return value, len(digits.split(".")[1]) if "." in digits else 0


def _strip_qualifier(text: str) -> tuple[str, Qualifier]:
    if "0" <= text[:1] <= "9":  # every qualifier starts with a letter, and a digit has no case
        return text, Qualifier.EXACT
    low = text.lower()
    for words, qualifier in _QUALIFIER_WORDS:
        if low.startswith(words + " "):
            return text[len(words) + 1:].lstrip(), qualifier
    return text, Qualifier.EXACT


def _unit_of(rest: str, unit_words: Mapping[str, str], whole: str) -> str | None:
    rest = rest.strip()
    if not rest:
        return None
    unit = _unit_words(unit_words).get(rest.lower())
    if unit is None:
        raise ReadError(whole, "a number, optionally followed by a unit word of the units file",
                        found=repr(rest))
    return unit


#: The last unit words merged with the defaults: (the mapping, its items, the merged table).
#: A document passes the same mapping for every fact.
_WORDS_MEMO: list[tuple[Mapping[str, str], tuple[tuple[str, str], ...], dict[str, str]]] = []


def _unit_words(unit_words: Mapping[str, str]) -> dict[str, str]:
    """``DEFAULT_UNIT_WORDS`` and ``unit_words`` (which win), by their lower-case words."""
    items = tuple(unit_words.items())
    if _WORDS_MEMO:
        known, known_items, merged = _WORDS_MEMO[0]
        if known is unit_words and known_items == items:
            return merged
    merged = {k.lower(): v for k, v in {**DEFAULT_UNIT_WORDS, **unit_words}.items()}
    _WORDS_MEMO[:] = [(unit_words, items, merged)]
    return merged


_ONE = Decimal(1)


def read_number(
    text: str,
    *,
    unit_words: Mapping[str, str] | None = None,
    decimal_comma: bool | None = None,
) -> Reading:
    """Read a number as written: digits, separators, scale words, a unit, a qualifier.

    Args:
        text: e.g. ``"5,300"``, ``"more than 5,300"``, ``"2 million 750 thousand"``,
            ``"3,7%"``, ``"(49,2)"``, ``"103,500 euros"``.
        unit_words: words naming units, beyond ``%``, years, months and days
            (``{"euros": "EUR"}``).
        decimal_comma: ``True`` if the document uses decimal commas, ``False`` if never,
            ``None`` to decide by the digits (a comma followed by three digits groups
            thousands; followed by one, two or four and more it is a decimal comma).

    Returns:
        The reading, with notes on every ambiguity it resolved.

    Raises:
        ReadError: the text is not a number this reader knows how to read.
    """
    if text.isdigit() and text.isascii() and len(text) <= 18:  # "4780": the commonest form
        return Reading(text, int(text), _ONE, True)
    plain = _PLAIN_NUMBER.fullmatch(text)
    if plain is not None and (plain[4] is None or plain[4].lower() not in _SCALES):
        return _read_plain(text, plain, unit_words, decimal_comma=decimal_comma)
    return _read_number(text, unit_words=unit_words, decimal_comma=decimal_comma)


#: The next commonest forms, read by :func:`_read_plain`: digits, or digits grouped by
#: commas in threes, then nothing, a percent sign or one word that is not a scale word
#: ("8,168", "86%", "69,000 euros", "4 years"). ASCII only, one space at most: as
#: :func:`_read_number` reads them, without normalising, qualifiers or scale words.
_PLAIN_NUMBER = re.compile(r"([0-9]{1,3}(,[0-9]{3})+|[0-9]{1,18})( ?%| ([A-Za-z]+))?")


def _read_plain(text: str, m: re.Match[str], unit_words: Mapping[str, str] | None, *,
                decimal_comma: bool | None) -> Reading:
    """What :func:`_read_number` gives for a text :data:`_PLAIN_NUMBER` matches (a test
    holds the two to the same readings)."""
    digits = m[1]
    notes: tuple[str, ...] = ()
    if m[2] is not None:  # comma groups: thousands, unless decimal commas are declared
        if decimal_comma is True:
            return _read_number(text, unit_words=unit_words, decimal_comma=decimal_comma)
        why = ("several groups of three" if digits.count(",") > 1 else
               "three digits follow it; decimal comma not declared")
        notes = (f"'{digits}': comma read as thousands separator ({why})",)
        digits = digits.replace(",", "")
    rest = m[3]
    unit = None if rest is None else _unit_of(rest, unit_words or {}, text)
    return Reading(text, int(digits), _ONE, unit != "percent", unit, Qualifier.EXACT, notes)


def _read_number(text: str, *, unit_words: Mapping[str, str] | None,
                 decimal_comma: bool | None) -> Reading:
    """:func:`read_number` for any form."""
    notes: list[str] = []
    body = _normalise(text)
    if body.startswith("(") and body.endswith(")"):
        notes.append(f"'{body}': parentheses removed")
        body = body[1:-1].strip()
    body, qualifier = _strip_qualifier(body)
    if qualifier is Qualifier.EXACT:
        low = body.lower()
        for suffix, bound in _BOUND_SUFFIXES:
            if low.endswith(suffix):
                body, qualifier = body[: -len(suffix)].rstrip(), bound
                break
    if not _DIGIT.search(body):  # "three hundred and twelve", "a quarter": number words
        return _read_words(text, body, qualifier, unit_words, notes)
    pos = 0
    total = Decimal(0)
    quantum: Decimal | None = None
    scaled = False
    for m in _GROUP.finditer(body):
        if body[pos:m.start()].strip() or (quantum is not None and not scaled):
            break
        digits, decimals = _read_digits(m["num"], decimal_comma=decimal_comma, notes=notes)
        scale = _SCALES[m["scale"].lower()] if m["scale"] else 1
        if quantum is not None and scale >= quantum * 10**decimals:
            raise ReadError(text, "scale words in falling order ('2 million 750 thousand')")
        scaled = scale > 1
        total += digits * scale
        quantum = Decimal(scale).scaleb(-decimals)
        pos = m.end()
        if not scaled:
            break
    if quantum is None:
        raise ReadError(text, "a number")
    unit = _unit_of(body[pos:], unit_words or {}, text)
    is_whole = total == total.to_integral_value()
    value: int | Decimal = int(total) if is_whole else total.normalize()
    quantum = quantum if quantum < 1 else Decimal(int(quantum))
    exact = quantum == 1 and unit != "percent" and qualifier is not Qualifier.ABOUT
    if qualifier is Qualifier.LESS_THAN and total == 0:
        raise ReadError(text, "a positive number after 'less than' (nothing is less than 0)")
    return Reading(text, value, quantum, exact, unit, qualifier, tuple(notes))


_DIGIT = re.compile(r"\d")


def _read_words(text: str, body: str, qualifier: Qualifier, unit_words: Mapping[str, str] | None,
                notes: list[str]) -> Reading:
    """:func:`_read_number` for a number written in words, then optionally a unit word."""
    from kzfacts.values.words import WORDS, read_words

    tokens = body.split(" ")
    n = len(tokens)
    while n and not all(w.lower() in WORDS or "-" in w for w in tokens[:n]):
        n -= 1
    while n:  # the longest run of number words that reads as a number
        words = read_words(" ".join(tokens[:n]))
        if words is not None:
            break
        n -= 1
    else:
        raise ReadError(text, "a number")
    rest = " ".join(tokens[n:])
    unit = "percent" if words.percent else _unit_of(rest, unit_words or {}, text)
    if words.percent and rest:
        raise ReadError(text, "a fraction in words with nothing after it", found=repr(rest))
    if words.percent and qualifier is Qualifier.EXACT:
        qualifier = Qualifier.ABOUT  # "a quarter": prose rounds to the nearest simple fraction
    notes.append(f"'{body}': number words read as {words.value}{'%' if words.percent else ''}")
    exact = words.exact and unit != "percent" and qualifier is not Qualifier.ABOUT
    return Reading(text, words.value, words.quantum, exact, unit, qualifier, tuple(notes))


_BOUND_SUFFIXES = ((" or more", Qualifier.AT_LEAST), (" or less", Qualifier.UP_TO),
                   (" or fewer", Qualifier.UP_TO))

_RANGE = re.compile(r"^(?:from\s+)?(?P<low>.+?)\s*(?:\bto\b|–|—|-)\s*(?P<high>.+)$", re.I)


def read_range(text: str, *, unit_words: Mapping[str, str] | None = None) -> RangeReading:
    """Read "from 4 to 7 years", "4–7 years" or "up to 15 years" as a range.

    Raises:
        ReadError: not a range, or its ends name different units.
    """
    body = _normalise(text)
    one = _strip_qualifier(body)
    if one[1] in (Qualifier.UP_TO, Qualifier.LESS_THAN):
        high = read_number(body, unit_words=unit_words)
        return RangeReading(text, None, high, high.unit)
    if one[1] in (Qualifier.AT_LEAST, Qualifier.MORE_THAN):
        low = read_number(body, unit_words=unit_words)
        return RangeReading(text, low, None, low.unit)
    m = _RANGE.match(body)
    if not m:
        raise ReadError(text, "a range such as 'from 4 to 7 years'")
    high = read_number(m["high"], unit_words=unit_words)
    low = read_number(m["low"], unit_words=unit_words)
    if low.unit is not None and high.unit is not None and low.unit != high.unit:
        raise ReadError(text, "both ends in one unit", found=f"{low.unit} and {high.unit}")
    if Fraction(low.value) > Fraction(high.value):
        raise ReadError(text, "a range whose low end is at most its high end",
                        found=f"{low.value} to {high.value}")
    unit = high.unit or low.unit
    return RangeReading(text, low, high, unit)


_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_RE = "|".join(_MONTHS)
_DATE_FORMS = (
    re.compile(rf"(?P<month>{_MONTH_RE})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})", re.I),
    re.compile(rf"(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH_RE}),?\s+(?P<year>\d{{4}})", re.I),
    re.compile(rf"(?P<month>{_MONTH_RE})\s+(?P<year>\d{{4}})", re.I),
    re.compile(r"(?P<year>\d{4})-(?P<mnum>\d{2})(?:-(?P<day>\d{2}))?"),
    re.compile(r"(?P<year>\d{4})"),
)


def read_date(text: str) -> DateValue:
    """Read "July 19, 2021", "19 July 2021", "July 2022", "2019" or ISO forms.

    Raises:
        ReadError: not a date, or an impossible one (30 February).
    """
    body = _normalise(text)
    for form in _DATE_FORMS:
        m = form.fullmatch(body)
        if m:
            groups = m.groupdict()
            month = (_MONTHS[groups["month"].lower()] if groups.get("month")
                     else int(groups["mnum"]) if groups.get("mnum") else None)
            day = int(groups["day"]) if groups.get("day") else None
            return DateValue(int(groups["year"]), month, day)
    raise ReadError(text, "a date such as 'July 19, 2021', 'July 2022' or '2019'")


def find_numbers(text: str) -> list[NumberSpan]:
    """Every number written in ``text`` (digit groups; a date counts as its digit groups).

    Used for coverage: each span must be the value of a fact or a declared non-claim.
    """
    return [NumberSpan(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
