"""The number reader: numbers as a document writes them, read into exact values.

``read_number("54.5 million euros")`` gives the value 54,500,000, known to the hundred
thousand, so the true value lies in ``[54,450,000, 54,550,000)``. ``read_number("3,7%")``
reads the comma as a decimal comma and says so in :attr:`Reading.notes`: the reader resolves
ambiguous forms by their context and never silently.

Every text a number is read from follows one rule (:func:`misreadable`): only ``0``-``9``
are digits, and a character a reader does not see as kzfacts reads it (an invisible format
character, a bidirectional control, a digit of another script) is refused, never read.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from enum import StrEnum
from fractions import Fraction
from typing import Literal

from kzfacts._escape import FORMAT_CHARACTERS
from kzfacts.errors import ReadError
from kzfacts.values.interval import Interval

__all__ = [
    "DEFAULT_UNIT_WORDS",
    "MAX_MAGNITUDE",
    "MAX_NUMBER_CHARS",
    "DateValue",
    "Misreadable",
    "NumberSpan",
    "Qualifier",
    "RangeReading",
    "Reading",
    "UnitWordError",
    "find_numbers",
    "misreadable",
    "read_date",
    "read_number",
    "read_range",
]

Convention = Literal["round", "truncate"]

#: The largest magnitude of any number kzfacts reads, written in a document or in a data
#: file: no count, amount or rate needs more.
MAX_MAGNITUDE = 10**18
#: The most characters one written number may take (digits and separators), checked before
#: it is converted: no number within :data:`MAX_MAGNITUDE` needs more.
MAX_NUMBER_CHARS = 64

#: Unit words every document may use. A fact base adds its own (``euros``, ``households``...).
DEFAULT_UNIT_WORDS: Mapping[str, str] = {
    "%": "percent", "percent": "percent", "per cent": "percent",
    "year": "year", "years": "year", "month": "month", "months": "month",
    "day": "day", "days": "day", "week": "week", "weeks": "week",
}

_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}

#: Relative width of "about": a number given as approximate admits ±10 %.
ABOUT_TOLERANCE = Fraction(1, 10)


# -- what a reader sees ---------------------------------------------------------------------

#: Unicode's invisible format characters (category Cf): the one list of them, shared with
#: what kzfacts prints (kzfacts._escape).
_FORMAT = FORMAT_CHARACTERS
#: The format characters that reorder what a viewer shows: embeddings, overrides,
#: isolates and marks.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: A character outside ASCII that is a format character, a digit (not 0-9, then), or beside
#: a digit (a superscript, a fraction, a numeral sign: looked at by :func:`misreadable`).
_SUSPECT = re.compile(rf"(?=[^\x00-\x7f])(?:[{_FORMAT}]|\d|(?<=[0-9]).|.(?=[0-9]))")

_SAY_BIDI = ("no bidirectional control character (a viewer reorders the text around it, "
             "kzfacts reads the characters in stored order: delete it)")
_SAY_INVISIBLE = ("no invisible format character (a viewer does not show it, kzfacts would "
                  "read it: delete it)")
_SAY_DIGIT = ("the digits 0-9 only (a digit of another script can look like another number: "
              "write the number with 0-9)")
_SAY_BESIDE = ("the digits 0-9 only beside a number (a superscript, fraction or numeral sign "
               "is no part of the number kzfacts reads: write the number with 0-9)")


@dataclass(frozen=True, slots=True)
class Misreadable:
    """A character that a reader does not see as kzfacts would read it.

    Attributes:
        offset: where it stands in the text (0-based).
        char: the character.
        expected: what is accepted instead, and what to do about it.
    """

    offset: int
    char: str
    expected: str

    @property
    def found(self) -> str:
        """The character by its code point and name: ``U+202E RIGHT-TO-LEFT OVERRIDE``."""
        name = unicodedata.name(self.char, "")
        return f"U+{ord(self.char):04X}" + (f" {name}" if name else "")


def misreadable(text: str, *, start: int = 0) -> Misreadable | None:
    """The first character of ``text`` (from ``start``) that a reader could misread.

    One rule for every text a number is read from (the source, quotes, written words,
    numbers in data and rule files): only ``0``-``9`` are digits. Refused are invisible
    format characters (Unicode category Cf: bidirectional controls, zero-width spaces,
    soft hyphens, a byte-order mark), a digit of another script (category Nd: ``৪`` looks
    like 8 and reads as 4), and a superscript, fraction or numeral sign beside a digit
    (categories No and Nl: ``5²``, ``1½``).
    """
    if text.isascii():  # every character the rule refuses is outside ASCII
        return None
    for m in _SUSPECT.finditer(text, start):
        char = m.group()
        category = unicodedata.category(char)
        if category == "Cf":
            return Misreadable(m.start(), char, _SAY_BIDI if char in _BIDI else _SAY_INVISIBLE)
        if category == "Nd":
            return Misreadable(m.start(), char, _SAY_DIGIT)
        if category in ("No", "Nl"):
            return Misreadable(m.start(), char, _SAY_BESIDE)
    return None


def _refuse_misreadable(text: str) -> None:
    flaw = misreadable(text)
    if flaw is not None:
        raise ReadError(text, flaw.expected, found=f"{flaw.found} at character {flaw.offset + 1}")


# -- readings -------------------------------------------------------------------------------

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

_QUALIFIERS = dict(_QUALIFIER_WORDS)
_QUALIFIER = re.compile(rf"({'|'.join(w for w, _ in _QUALIFIER_WORDS)}) ", re.I)

#: Qualifiers that widen a reading beyond its written precision.
_BOUNDING = frozenset({Qualifier.MORE_THAN, Qualifier.AT_LEAST, Qualifier.UP_TO,
                       Qualifier.LESS_THAN, Qualifier.ABOUT})

_NUM = r"[0-9]{1,3}(?:[ ,][0-9]{3})+(?![0-9])(?:[.,][0-9]+)?|[0-9]+(?:[.,][0-9]+)?"
_GROUP = re.compile(rf"(?P<num>{_NUM})(?:\s*(?P<scale>thousand|million|billion)\b)?", re.I)
_TOKEN = re.compile(_NUM)


@dataclass(frozen=True, slots=True)
class Reading:
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

    text: str
    value: int | Decimal
    quantum: Decimal
    exact: bool
    unit: str | None = None
    qualifier: Qualifier = Qualifier.EXACT
    notes: tuple[str, ...] = ()
    # the intervals already computed, by convention (a reading is immutable)
    _intervals: dict[str, Interval] = field(default_factory=dict, init=False, repr=False,
                                            compare=False)

    @property
    def point(self) -> int | None:
        """The value, when it is whole and the only one the reading admits under either
        convention (written in full, no bounding qualifier); else ``None``."""
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
            if self.exact:  # the same under either convention: worked out once
                self._intervals["round"] = self._intervals["truncate"] = known
        return known

    def _interval(self, convention: Convention) -> Interval:
        # Worked out on the integer ratios of the value and the quantum: each end is one
        # Fraction, normalised once.
        vn, vd = self.value.as_integer_ratio()
        v = Fraction(vn, vd)
        match self.qualifier:
            case Qualifier.MORE_THAN:
                return Interval.above(v, inclusive=False)
            case Qualifier.AT_LEAST:
                return Interval.above(v, inclusive=True)
            case Qualifier.UP_TO:
                return Interval.below(v, inclusive=True)
            case Qualifier.LESS_THAN:
                return Interval.below(v, inclusive=False)
        if self.exact:  # the quantum plays no part: not converted
            base = Interval.point(v)
        else:
            qn, qd = self.quantum.as_integer_ratio()
            if convention == "round":
                # The reader reads no sign: a written number's true value is never below 0
                # ("0 million" is [0, 500,000), not [-500,000, 500,000)).
                lo = 2 * vn * qd - qn * vd
                base = Interval.half_open(Fraction(max(lo, 0), 2 * vd * qd),
                                          Fraction(2 * vn * qd + qn * vd, 2 * vd * qd))
            else:
                base = Interval.half_open(v, Fraction(vn * qd + qn * vd, vd * qd))
        if self.qualifier is Qualifier.ABOUT:
            return base.hull(Interval.point(v).widen(ABOUT_TOLERANCE))
        return base


@dataclass(frozen=True, slots=True)
class RangeReading:
    """"from 4 to 7 years": two readings sharing a unit; either end may be open."""

    text: str
    low: Reading | None
    high: Reading | None
    unit: str | None


@dataclass(frozen=True, slots=True, order=True)
class DateValue:
    """A calendar date known to the year, the month or the day (years 1 to 9999)."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        year, month, day = self.year, self.month, self.day
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
        m = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", text.strip())
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


@dataclass(frozen=True, slots=True)
class NumberSpan:
    """Where a number stands in a text: ``text[start:end]``."""

    start: int
    end: int
    text: str


# -- reading --------------------------------------------------------------------------------

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
    m = _QUALIFIER.match(text)
    if m is None:
        return text, Qualifier.EXACT
    return text[m.end():].lstrip(), _QUALIFIERS[m[1].lower()]


class UnitWordError(ReadError):
    """A number followed by words that name no unit the reader knows (``word``)."""

    def __init__(self, text: str, word: str) -> None:
        super().__init__(text, "a number, optionally followed by a unit word of the units file",
                         found=repr(word))
        self.word = word


def _unit_of(rest: str, unit_words: Mapping[str, str], whole: str) -> str | None:
    rest = rest.strip()
    if not rest:
        return None
    words = {k.lower(): v for k, v in {**DEFAULT_UNIT_WORDS, **unit_words}.items()}
    unit = words.get(rest.lower())
    if unit is None:
        raise UnitWordError(whole, rest)
    return unit


_BOUND_SUFFIXES = ((" or more", Qualifier.AT_LEAST), (" or less", Qualifier.UP_TO),
                   (" or fewer", Qualifier.UP_TO))

#: Enough digits for any sum of scaled groups of :data:`MAX_NUMBER_CHARS` characters: the
#: reader's Decimal arithmetic never rounds.
_PRECISION = 4 * MAX_NUMBER_CHARS


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
        ReadError: the text is not a number this reader knows how to read, holds a
            character a reader could misread (:func:`misreadable`), or a number beyond
            :data:`MAX_NUMBER_CHARS` characters or :data:`MAX_MAGNITUDE`.
    """
    _refuse_misreadable(text)
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
    with localcontext(prec=_PRECISION):
        for m in _GROUP.finditer(body):
            if body[pos:m.start()].strip() or (quantum is not None and not scaled):
                break
            if len(m["num"]) > MAX_NUMBER_CHARS:  # before it is converted
                raise ReadError(text, f"a number of at most {MAX_NUMBER_CHARS} characters",
                                found=f"{len(m['num']):,} characters")
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
        if total > MAX_MAGNITUDE:
            raise ReadError(text, "a magnitude of at most 10^18", found=f"{total:,f}")
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


_RANGE = re.compile(r"^(?:from\s+)?(?P<low>.+?)\s*(?:\bto\b|–|—|-)\s*(?P<high>.+)$", re.I)


def read_range(text: str, *, unit_words: Mapping[str, str] | None = None) -> RangeReading:
    """Read "from 4 to 7 years", "4–7 years" or "up to 15 years" as a range.

    Raises:
        ReadError: not a range, or its ends name different units.
    """
    _refuse_misreadable(text)
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
    re.compile(rf"(?P<month>{_MONTH_RE})\s+(?P<day>[0-9]{{1,2}}),?\s+(?P<year>[0-9]{{4}})", re.I),
    re.compile(rf"(?P<day>[0-9]{{1,2}})\s+(?P<month>{_MONTH_RE}),?\s+(?P<year>[0-9]{{4}})", re.I),
    re.compile(rf"(?P<month>{_MONTH_RE})\s+(?P<year>[0-9]{{4}})", re.I),
    re.compile(r"(?P<year>[0-9]{4})-(?P<mnum>[0-9]{2})(?:-(?P<day>[0-9]{2}))?"),
    re.compile(r"(?P<year>[0-9]{4})"),
)


def read_date(text: str) -> DateValue:
    """Read "July 19, 2021", "19 July 2021", "July 2022", "2019" or ISO forms.

    Raises:
        ReadError: not a date, or an impossible one (30 February).
    """
    _refuse_misreadable(text)
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
