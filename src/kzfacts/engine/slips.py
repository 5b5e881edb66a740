"""The error model of localisation: the slips that turn a true figure into the one written.

A slip is an edit of a fact's written words: one digit mistyped, two adjacent digits
swapped, a digit dropped or doubled, the last digit one unit off (a rounding, truncation or
counting slip), thousand written for million. Undoing a slip gives a candidate: the words
the document may have meant, read back by the same number reader as the fact's own words,
so the candidate has the precision its words give ("3,8%" is known to the tenth).

Each slip has a cost, a small integer: the lower, the likelier. The costs rank slips, they
are not probabilities, and they are fixed here, not fitted to any document:

* 1: the last written digit one unit off. A rounded figure rounded the wrong way or
  truncated, a count updated late: the commonest inconsistency in published tables.
* 2: one digit mistyped, two adjacent digits swapped (one keystroke each).
* 3: a digit dropped or typed twice, a scale word slipped (thousand for million): each
  changes the figure's length, which a proof-reader more often sees.

A misattached total (the parts add up to another fact of the document) costs 2: it is a
slip of the sentence, not of a figure (see :mod:`kzfacts.engine.locate`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from kzfacts.errors import ReadError
from kzfacts.values.numbers import Reading, find_numbers, read_number

__all__ = ["COSTS", "SLIPS", "Slip", "slips"]

#: What each slip is called in a report, and what undoing it costs.
SLIPS: dict[str, str] = {
    "last digit": "the last digit one unit off",
    "digit": "one digit mistyped",
    "transposition": "two adjacent digits swapped",
    "dropped digit": "a digit dropped",
    "extra digit": "a digit typed twice or in excess",
    "scale": "a scale word slipped (thousand, million, billion)",
    "misattached": "the parts attached to the wrong total",
}
COSTS: dict[str, int] = {"last digit": 1, "digit": 2, "transposition": 2, "dropped digit": 3,
                         "extra digit": 3, "scale": 3, "misattached": 2}

_SCALES = ("thousand", "million", "billion")
_SCALE = re.compile(r"\b(thousand|million|billion)\b", re.I)
_SCALE_AFTER = re.compile(r"\s*(thousand|million|billion)\b", re.I)


@dataclass(frozen=True, slots=True)
class Slip:
    """A candidate for a fact's true words: its words with one slip undone.

    Attributes:
        kind: the slip (a key of :data:`SLIPS`).
        written: the candidate words.
        value: the value they state, worked out from the digits (the reader confirms it:
            :meth:`read`).
        margin: how far from ``value`` the true value may lie as the words are written
            (0 for a figure written in full), a bound for grouping candidates.
    """

    kind: str
    written: str
    value: Decimal
    margin: Decimal

    @property
    def cost(self) -> int:
        return COSTS[self.kind]

    def read(self, *, unit_words: Mapping[str, str], decimal_comma: bool | None,
             like: Reading) -> Reading | None:
        """What the number reader reads from the candidate words, or ``None`` when it does
        not read them as :attr:`value` with the qualifier of ``like`` (the fact's reading)."""
        try:
            new = read_number(self.written, unit_words=unit_words, decimal_comma=decimal_comma)
        except ReadError:
            return None
        if Decimal(new.value) != self.value or new.qualifier is not like.qualifier:
            return None
        return new


@dataclass(frozen=True, slots=True)
class _Layout:
    """How one written number is laid out: its digits, and its separators."""

    whole: str  # digits before the decimal separator
    fraction: str  # digits after it
    thousands: str | None  # the group separator it uses, if any
    point: str  # its decimal separator


def _layout(token: str, *, decimal_comma: bool | None) -> _Layout | None:
    try:
        reading = read_number(token, decimal_comma=decimal_comma)
    except ReadError:
        return None
    places = reading.decimals
    digits = re.sub(r"[^0-9]", "", token)
    whole_text = token[:-(places + 1)] if places else token
    point = token[-(places + 1)] if places else "."
    thousands = next((c for c in whole_text if not c.isdigit()), None)
    return _Layout(digits[:len(digits) - places], digits[len(digits) - places:], thousands, point)


def _format(whole: str, fraction: str, layout: _Layout) -> str | None:
    """The digits written as ``layout`` writes its number; ``None`` if no number reads so."""
    if not whole or (len(whole) > 1 and whole[0] == "0"):
        return None
    if layout.thousands and len(whole) > 3:
        head = len(whole) % 3 or 3
        groups = [whole[:head]] + [whole[i:i + 3] for i in range(head, len(whole), 3)]
        whole = layout.thousands.join(groups)
    return whole + (layout.point + fraction if fraction else "")


def _edits(layout: _Layout) -> Iterator[tuple[str, str, str]]:
    """``(whole, fraction, slip)``: the digits with one slip undone."""
    w, f = layout.whole, layout.fraction
    digits, cut = w + f, len(w)

    def split(d: str, cut: int) -> tuple[str, str]:
        return d[:cut], d[cut:]

    for i, old in enumerate(digits):  # the document mistyped digit i
        for new in "0123456789":
            if new != old:
                yield *split(digits[:i] + new + digits[i + 1:], cut), "digit"
    for i in range(len(digits) - 1):  # the document swapped digits i and i + 1
        if digits[i] != digits[i + 1]:
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
            yield *split(swapped, cut), "transposition"
    for i in range(len(digits)):  # the document typed digit i in excess
        yield *split(digits[:i] + digits[i + 1:], cut - (i < cut)), "extra digit"
    for i in range(len(digits) + 1):  # the document dropped a digit before position i
        for new in "0123456789":
            if i <= cut:
                yield *split(digits[:i] + new + digits[i:], cut + 1), "dropped digit"
            if f and i >= cut:
                yield *split(digits[:i] + new + digits[i:], cut), "dropped digit"
    number = int(digits)
    for step in (-1, 1):  # one unit of the last digit
        if number + step >= 0:
            text = str(number + step).rjust(len(f) + 1, "0")
            yield *split(text, len(text) - len(f)), "last digit"


def slips(written: str, reading: Reading, *, decimal_comma: bool | None) -> list[Slip]:
    """Every candidate for a figure's true words that one slip explains, by value: where
    several slips give one value, the cheapest is kept. Values are worked out from the
    digits (cheaply, for many candidates); :meth:`Slip.read` reads a candidate's words.

    Args:
        written: the fact's words that state its value ("10,169", "3,7%").
        reading: what the reader read from them.
        decimal_comma: the document's decimal comma setting.

    Returns:
        The candidates, by value; the written value itself is not one.
    """
    best: dict[Decimal, Slip] = {}
    total = Decimal(reading.value)
    quantum = Decimal(reading.quantum)

    def add(kind: str, text: str, value: Decimal, margin: Decimal) -> None:
        if value == total or value < 0:
            return
        known = best.get(value)
        if known is None or COSTS[kind] < known.cost:
            best[value] = Slip(kind, text, value, margin)

    for span in find_numbers(written):
        layout = _layout(span.text, decimal_comma=decimal_comma)
        if layout is None:
            continue
        scale = _SCALE_AFTER.match(written, span.end)
        mult = Decimal(10) ** (3 * (_SCALES.index(scale[1].lower()) + 1)) if scale else Decimal(1)
        old = Decimal(f"{layout.whole}.{layout.fraction}" if layout.fraction else layout.whole)
        seen: dict[str, int] = {}
        for whole, fraction, kind in _edits(layout):
            token = _format(whole, fraction, layout)
            if token is None or seen.get(token, 99) <= COSTS[kind]:
                continue
            seen[token] = COSTS[kind]
            if layout.point == "," and len(fraction) == 3:
                # a comma before three digits may read as a thousands separator: the reader
                # says how ("10,1669" is a decimal comma, "10,169" is not)
                try:
                    back = read_number(token, decimal_comma=decimal_comma)
                except ReadError:
                    continue
                new, step = Decimal(back.value), back.quantum * mult
            else:  # the layout's own reading (Slip.read confirms the ones kept)
                new = Decimal(f"{whole}.{fraction}" if fraction else whole)
                step = mult.scaleb(-len(fraction))
            margin = Decimal(0) if reading.exact and step == 1 else max(step, quantum)
            add(kind, written[:span.start] + token + written[span.end:],
                total + (new - old) * mult, margin)
        if not layout.fraction and layout.whole != "0":  # a scale written out in digits
            group = layout.thousands or ""
            margin = Decimal(0) if reading.exact else quantum * 1000
            add("scale", written[:span.end] + group + "000" + written[span.end:],
                total + old * mult * 999, margin)
            cut = span.end - 3 - len(group)
            if len(layout.whole) > 3 and written[cut:span.end] == group + "000":
                add("scale", written[:cut] + written[span.end:], total - old * mult * 999 / 1000,
                    Decimal(0) if reading.exact else quantum / 1000)
    for m in _SCALE.finditer(written):
        i = _SCALES.index(m[1].lower())
        before = find_numbers(written[:m.start()])
        if not before:
            continue
        layout = _layout(before[-1].text, decimal_comma=decimal_comma)
        if layout is None:
            continue
        old = Decimal(f"{layout.whole}.{layout.fraction}" if layout.fraction else layout.whole)
        for j in (i - 1, i + 1):
            if 0 <= j < len(_SCALES):
                factor = Decimal(10) ** (3 * (j - i))
                add("scale", written[:m.start()] + _SCALES[j] + written[m.end():],
                    total + old * Decimal(10) ** (3 * (i + 1)) * (factor - 1), quantum * factor)
    return [best[v] for v in sorted(best)]
