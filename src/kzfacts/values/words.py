"""English number words, read with the precision they are written at.

``"three hundred and twelve"`` is 312, written in full, so exact; ``"three million"`` is
known to the million, as ``"3 million"`` is; ``"a quarter"``, ``"half"`` and ``"two
thirds"`` are shares in percent, read as *about* that share (the ±10 % of the reader's
``about``): prose rounds a fraction to the nearest simple one. :func:`read_words` is what
:func:`kzfacts.values.numbers.read_number` calls when a text holds no digit.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

__all__ = ["WordReading", "read_words"]

_ONES = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
         "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
         "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
         "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
#: A fraction word and its denominator; "half" alone is one half.
_PARTS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
          "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10}
#: Every word a number written in words may hold (hyphens split "twenty-one").
WORDS = frozenset({*_ONES, *_TENS, *_SCALES, *_PARTS, "hundred", "and", "a", "an"})

_SPLIT = re.compile(r"[\s\-\u2010\u2011]+")


class WordReading(NamedTuple):
    """What number words state: the value, its precision, and (for a fraction) percent."""

    value: int | Decimal
    quantum: Decimal
    exact: bool
    percent: bool  # a fraction word: the value is in percent, and approximate


def _cardinal(words: list[str]) -> tuple[int, int] | None:
    """``(value, quantum)`` of cardinal words in the usual English order, else None."""
    total, group, quantum = 0, 0, 1
    last = ""  # the kind of the previous word: one, teen, ten, hundred, scale, and
    for word in words:
        if word == "and":
            if last not in ("hundred", "scale"):
                return None
            last = "and"
            continue
        if word in _ONES:
            if last in ("one", "teen") or (last == "ten" and _ONES[word] >= 10):
                return None
            group += _ONES[word]
            last = "teen" if _ONES[word] >= 10 else "one"
        elif word in _TENS:
            if last in ("one", "teen", "ten"):
                return None
            group += _TENS[word]
            last = "ten"
        elif word == "hundred":
            if last not in ("one", "teen") or group % 100 == 0 or group >= 100:
                return None
            group *= 100
            last = "hundred"
        elif word in _SCALES:
            scale = _SCALES[word]
            if group == 0 or (total and scale >= quantum):
                return None
            total += group * scale
            group, quantum, last = 0, scale, "scale"
        else:
            return None
    if last == "and":
        return None
    if group:
        total += group
        quantum = 1
    if not total and last not in ("one",):
        return None
    return total, quantum


def _fraction(words: list[str]) -> tuple[int, int] | None:
    """``(numerator, denominator)`` of "a quarter", "two thirds", "half", else None."""
    if not words or words[-1] not in _PARTS:
        return None
    denominator = _PARTS[words[-1]]
    head = words[:-1]
    if not head:
        return (1, denominator) if words[-1] == "half" else None
    plural = words[-1].endswith("s")
    if head in (["a"], ["an"], ["one"]) and not plural:
        numerator = 1
    elif len(head) == 1 and head[0] in _ONES and 1 < _ONES[head[0]] < denominator and plural:
        numerator = _ONES[head[0]]
    else:
        return None
    return numerator, denominator


def read_words(text: str) -> WordReading | None:
    """Read a number written in English words, or None if ``text`` is not one.

    Args:
        text: e.g. ``"three hundred and twelve"``, ``"twenty-one"``, ``"two million"``,
            ``"a quarter"``, ``"two thirds"``, ``"half"`` (case and hyphens do not matter).
    """
    words = [w for w in _SPLIT.split(text.strip().lower()) if w]
    if not words or any(w not in WORDS for w in words):
        return None
    fraction = _fraction(words)
    if fraction is not None:
        numerator, denominator = fraction
        percent = Decimal(100 * numerator) / Decimal(denominator)
        quantum = Decimal(1) if percent == percent.to_integral_value() else Decimal("0.1")
        value: int | Decimal = int(percent) if quantum == 1 else percent.quantize(quantum)
        return WordReading(value, quantum, False, True)
    if words[0] in ("a", "an"):
        words = ["one", *words[1:]]  # "a hundred", "a million"
        if len(words) == 1:
            return None
    cardinal = _cardinal(words)
    if cardinal is None:
        return None
    total, scale = cardinal
    return WordReading(total, Decimal(scale), scale == 1, False)
