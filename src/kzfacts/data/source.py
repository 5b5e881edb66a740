"""The source document: its paragraphs, where each fact is anchored, which numbers are covered."""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kzfacts.data.model import Fact, FactKind, NotClaim, Period, RangeValue
from kzfacts.errors import DataError, Location, ReadError
from kzfacts.values.numbers import (
    _TOKEN,
    NumberSpan,
    Qualifier,
    Reading,
    UnitWordError,
    misreadable,
    read_date,
    read_number,
    read_range,
)
from kzfacts.values.units import word_hint

__all__ = [
    "PARAGRAPH_STYLES",
    "Anchor",
    "Coverage",
    "Paragraph",
    "ParagraphStyleError",
    "SourceText",
    "anchor_fact",
    "detect_style",
    "readable",
    "split_paragraphs",
    "unprintable",
]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A numbered paragraph: ``text`` is ``source[start:end]``, without its number."""

    number: int
    start: int
    end: int
    line: int
    text: str


#: Paragraph styles: the name a ``document.yaml`` gives, and the mark that starts a paragraph.
#: Each mark stands at the start of a line; the paragraph's text starts after it.
_MARKS: dict[str, re.Pattern[str]] = {  # a byte-order mark or a CR (Windows lines) is no text
    "1.": re.compile(r"^\ufeff?([0-9]{1,4})\.[ \t]+", re.M),
    "1)": re.compile(r"^\ufeff?([0-9]{1,4})\)[ \t]+", re.M),
    "§ 1": re.compile(r"^\ufeff?§[ \t]*([0-9]{1,4})\.?(?:[ \t]+|[ \t]*\r?\n)", re.M),
    "Paragraph 1": re.compile(r"^\ufeff?Paragraph[ \t]+([0-9]{1,4})[.:]?(?:[ \t]+|[ \t]*\r?\n)",
                              re.M),
}
#: Every style a fact base may name: the marks, ``blocks`` (blank-line separated, no
#: numbers), ``auto`` (detect), and ``numbered``, the first name of ``1.``.
PARAGRAPH_STYLES: tuple[str, ...] = ("auto", *_MARKS, "blocks", "numbered")


class ParagraphStyleError(ValueError):
    """The paragraphs of a text cannot be found in the style asked for, or not in one style."""


def _sequence(text: str, mark: re.Pattern[str]) -> list[tuple[int, int, int]]:
    """``(number, mark start, text start)`` of the marks numbered 1, 2, 3... in order.

    A mark out of sequence ("3." in a list inside paragraph 7) is part of the paragraph's text.
    """
    out: list[tuple[int, int, int]] = []
    for m in mark.finditer(text):
        if int(m.group(1)) == len(out) + 1:
            out.append((len(out) + 1, m.start(), m.end()))
    return out


def detect_style(text: str) -> str:
    """The paragraph style of a text: the one numbering style found, else ``"blocks"``.

    A style is found when a line starts with its mark for paragraph 1 (and the paragraphs
    are those numbered 1, 2... in order after it).

    Raises:
        ParagraphStyleError: more than one style numbers the text, so the choice is the
            user's (``paragraphs:`` in ``document.yaml``, ``--paragraphs`` for ``init``).
    """
    found = {name: len(seq) for name, mark in _MARKS.items() if (seq := _sequence(text, mark))}
    if len(found) > 1:
        listed = ", ".join(f"{name!r} ({n} paragraph{'s' if n > 1 else ''})"
                           for name, n in found.items())
        raise ParagraphStyleError(
            f"paragraphs numbered in more than one style: {listed}; name the style with "
            f"'paragraphs:' in document.yaml (one of {', '.join(map(repr, PARAGRAPH_STYLES))})")
    return next(iter(found), "blocks")


def split_paragraphs(text: str, *, style: str = "auto") -> list[Paragraph]:
    """Split a document into paragraphs.

    Args:
        text: the document.
        style: ``"1."``, ``"1)"``, ``"§ 1"`` or ``"Paragraph 1"``: paragraphs start a line
            with that mark, numbered 1, 2... in order (text before the first is a preamble;
            a mark out of sequence is text); ``"numbered"`` is ``"1."``; ``"blocks"``:
            blocks separated by blank lines, numbered from 1; ``"auto"``: the one style
            :func:`detect_style` finds.

    Raises:
        ParagraphStyleError: an unknown style, no paragraph in the style, or (``auto``)
            more than one numbering style.
    """
    if style == "auto":
        style = detect_style(text)
    if style == "numbered":
        style = "1."
    out: list[Paragraph] = []
    if style == "blocks":
        for m in re.finditer(r"[^\s\ufeff](?:.|\n(?![ \t\r]*\n))*", text):
            start, body = m.start(), m.group().rstrip()
            out.append(Paragraph(len(out) + 1, start, start + len(body),
                                 text.count("\n", 0, start) + 1, body))
        if not out:
            raise ParagraphStyleError("no paragraphs: the text is empty")
        return out
    mark = _MARKS.get(style)
    if mark is None:
        raise ParagraphStyleError(f"a paragraph style ({', '.join(map(repr, PARAGRAPH_STYLES))}), "
                                  f"found {style!r}")
    starts = _sequence(text, mark)
    if not starts:
        raise ParagraphStyleError(f"paragraphs numbered {style!r}, found no line starting with "
                                  f"the mark of paragraph 1")
    for i, (n, _, start) in enumerate(starts):
        stop = starts[i + 1][1] if i + 1 < len(starts) else len(text)
        body = text[start:stop].rstrip()
        out.append(Paragraph(n, start, start + len(body), text.count("\n", 0, start) + 1, body))
    return out


def _at_boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    first, last = text[start], text[end - 1]
    return not (first.isalnum() and before.isalnum()) and not (last.isalnum() and after.isalnum())


def occurrences(text: str, needle: str, *, limit: int | None = None) -> list[int]:
    """Start offsets of ``needle`` in ``text`` at word boundaries (the first ``limit``)."""
    out: list[int] = []
    i = text.find(needle)
    while i >= 0 and needle and (limit is None or len(out) < limit):
        if _at_boundary(text, i, i + len(needle)):
            out.append(i)
        i = text.find(needle, i + 1)
    return out


@dataclass(frozen=True, slots=True)
class SourceText:
    """A document and its paragraphs."""

    text: str
    paragraphs: Mapping[int, Paragraph]

    @classmethod
    def from_text(cls, text: str, *, style: str = "auto", name: str = "source.txt") -> SourceText:
        """Split ``text`` into paragraphs, once it is known to read as a viewer shows it.

        Args:
            text: the document.
            style: the paragraph style (:func:`split_paragraphs`).
            name: the source's name in messages.

        Raises:
            DataError: a character a reader could misread
                (:func:`kzfacts.values.numbers.misreadable`; a byte-order mark may start
                the text), located at its line and column in ``name``.
            ParagraphStyleError: the paragraphs cannot be found in ``style``.
        """
        readable(text, name)
        return cls(text, {p.number: p for p in split_paragraphs(text, style=style)})

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of the character at ``offset``."""
        return _position(self.text, offset)


def readable(text: str, name: str) -> None:
    """Refuse a document a viewer shows otherwise than kzfacts reads it: the loader's rule
    and the drafter's (:func:`kzfacts.values.numbers.misreadable`; a byte-order mark may
    start the text).

    Raises:
        DataError: the first such character, at its line and column in ``name``.
    """
    flaw = misreadable(text, start=1 if text.startswith("\ufeff") else 0)
    if flaw is not None:
        line, column = _position(text, flaw.offset)
        raise DataError(Location(name, line, column), flaw.expected, flaw.found)


def _position(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def unprintable(text: str) -> tuple[int, str] | None:
    """The first control character of ``text`` other than a line end or a tab: its offset,
    and the character and its place as a message names them ("the character U+0007 at line
    3, column 9"); ``None`` when there is none."""
    m = _CONTROL.search(text)
    if m is None:
        return None
    line, column = _position(text, m.start())
    return m.start(), f"the character U+{ord(m.group()):04X} at line {line}, column {column}"


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a fact's words stand in the source, and what is wrong with them, if anything."""

    fact_id: str
    quote_span: tuple[int, int] | None
    written_span: tuple[int, int] | None
    problems: tuple[str, ...]
    notes: tuple[str, ...] = ()
    reading: Reading | None = None


# -- why a quote is not found: the nearest words and what differs ---------------------------

#: Characters a person types for one another: dashes, quotes, digit group separators.
_ALIKE = ("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "'`\u2018\u2019\u201a\u201b\u2032",
          "\"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033")
_SEPARATORS = ",.' \u00a0\u2009\u202f"
_SEPARATOR = f"[{re.escape(_SEPARATORS)}]?"
#: The longest text searched for the nearest words (a longer paragraph gets no hint).
_NEAREST_UP_TO = 100_000


def _loose(needle: str) -> re.Pattern[str]:
    """``needle`` as a pattern that also matches the ways people mistype it: any dash for a
    dash, any quote mark for a quote mark, any white space for white space, letters in
    either case, and digits with or without group separators."""
    parts: list[str] = []
    for i, char in enumerate(needle):
        before = needle[i - 1] if i else ""
        after = needle[i + 1] if i + 1 < len(needle) else ""
        alike = next((group for group in _ALIKE if char in group), None)
        if before.isdigit() and after.isdigit() and char in _SEPARATORS:
            parts.append(_SEPARATOR)
        elif char.isspace():
            if not before.isspace():
                parts.append(r"\s+")
        elif alike is not None:
            parts.append(f"[{re.escape(alike)}]")
        else:
            parts.append(re.escape(char))
            if char.isdigit() and after.isdigit():
                parts.append(_SEPARATOR)
    return re.compile("".join(parts), re.IGNORECASE)


def _named(part: str) -> str:
    """``part`` quoted, and a character that is not a letter or digit also named."""
    if len(part) != 1 or part.isalnum():
        return repr(part)
    if part in " \n":
        return f"{part!r} ({'a space' if part == ' ' else 'a line end'})"
    name = unicodedata.name(part, "")
    return f"{part!r} (U+{ord(part):04X}{' ' + name if name else ''})"


def _differences(needle: str, found: str, noun: str) -> str:
    """What ``found`` has where ``needle`` (the ``noun``) has something else, the first
    three places."""
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, needle, found, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        mine, theirs = needle[i1:i2], found[j1:j2]
        if op == "replace":
            out.append(f"{_named(theirs)} where {noun} has {_named(mine)}")
        elif op == "insert":
            out.append(f"{_named(theirs)} that {noun} lacks")
        elif op == "delete":
            out.append(f"nothing where {noun} has {_named(mine)}")
    more = f", and {len(out) - 3} more difference{'s' if len(out) > 4 else ''}" if len(out) > 3 else ""
    return ", and ".join(out[:3]) + more


def _nearest(needle: str, text: str) -> tuple[int, int, bool] | None:
    """The words of ``text`` nearest to ``needle``: ``(start, end, alike)``, ``alike`` when
    they are ``needle`` mistyped (:func:`_loose`), else the run of words sharing the most
    words with it; ``None`` when no two consecutive words are shared."""
    if len(text) > _NEAREST_UP_TO:
        return None
    m = _loose(needle).search(text)
    if m is not None:
        return m.start(), m.end(), True
    mine = needle.split()
    spans = [(w.start(), w.end()) for w in re.finditer(r"\S+", text)]
    theirs = [text[a:b] for a, b in spans]
    matcher = difflib.SequenceMatcher(None, theirs, mine, autojunk=False)
    block = matcher.find_longest_match(0, len(theirs), 0, len(mine))
    if block.size == 0 or block.size < min(2, len(mine)):
        return None
    first = max(0, block.a - block.b)
    last = min(len(spans), first + len(mine)) - 1
    return spans[first][0], spans[last][1], False


def _at(source: SourceText, offset: int) -> str:
    line, column = source.position(offset)
    return f"line {line}, column {column}"


def _elsewhere(source: SourceText, quote: str, number: int) -> list[tuple[int, int]]:
    """``(paragraph, offset)`` of the first places other paragraphs hold ``quote``."""
    text, paragraphs = source.text, sorted(source.paragraphs.values(), key=lambda p: p.start)
    starts = [p.start for p in paragraphs]
    out: list[tuple[int, int]] = []
    i, looked = text.find(quote), 0
    while i >= 0 and len(out) < 3 and looked < 1000:
        looked += 1
        k = bisect.bisect_right(starts, i) - 1
        if k >= 0:
            para = paragraphs[k]
            if (para.number != number and i + len(quote) <= para.end
                    and _at_boundary(text, i, i + len(quote))):
                out.append((para.number, i))
        i = text.find(quote, i + 1)
    return out


def _not_found(needle: str, text: str, offset: int, source: SourceText, noun: str) -> str:
    """Why ``needle`` (the ``noun``) is not at word boundaries in ``text``, which stands
    at ``offset`` of the source."""
    inside = text.find(needle)
    if inside >= 0:
        a = inside
        while a > 0 and not text[a - 1].isspace():
            a -= 1
        b = inside + len(needle)
        while b < len(text) and not text[b].isspace():
            b += 1
        return (f"it stands only inside longer words, as in {text[a:b]!r} at "
                f"{_at(source, offset + a)}")
    near = _nearest(needle, text)
    if near is None:
        return ""
    start, end, alike = near
    found = f"the nearest words are {text[start:end]!r} at {_at(source, offset + start)}"
    return found + (f", with {_differences(needle, text[start:end], noun)}" if alike else "")


def _not_once(head: str, needle: str, text: str, offset: int, hits: list[int], *,
              source: SourceText, noun: str, elsewhere: list[tuple[int, int]]) -> str:
    """The problem of ``needle`` (the ``noun``) found in ``text`` (at ``offset`` of the
    source) ``hits`` times, not once: where it stands, or why it is not found."""
    if hits:
        places = " and ".join(_at(source, offset + h) for h in hits[:2])
        verb = "quote" if noun == "the quote" else "write"
        return (f"{head}: found {_times(hits)}, {'first ' if len(hits) > 2 else ''}at "
                f"{places}; {verb} more of the words around the one meant")
    if elsewhere:
        places = " and ".join(f"¶{n} at {_at(source, i)}" for n, i in elsewhere)
        return f"{head}: not found; it stands in {places}"
    why = _not_found(needle, text, offset, source, noun)
    return f"{head}: not found" + (f"; {why}" if why else "")


def _read_value(fact: Fact, unit_words: Mapping[str, str], *, decimal_comma: bool | None,
                ) -> tuple[object, Qualifier, str | None, Reading | None]:
    text = fact.stated
    if fact.kind == FactKind.DATE:
        return read_date(text), Qualifier.EXACT, None, None
    if fact.kind == FactKind.RANGE:
        r = read_range(text, unit_words=unit_words)
        value = RangeValue(None if r.low is None else r.low.value,
                           None if r.high is None else r.high.value)
        return value, Qualifier.EXACT, r.unit, None
    reading = read_number(text, unit_words=unit_words, decimal_comma=decimal_comma)
    return reading.value, reading.qualifier, reading.unit, reading


#: A quote is counted up to here: it must occur once, and a paragraph of a million "1"s
#: must not be listed in full for every fact that quotes "1".
_COUNT_UP_TO = 10


def _times(hits: list[int]) -> str:
    return f"at least {len(hits)} times" if len(hits) >= _COUNT_UP_TO else f"{len(hits)} times"


def anchor_fact(fact: Fact, source: SourceText, *, unit_words: Mapping[str, str],
                decimal_comma: bool | None = None, units_file: str = "units.yaml") -> Anchor:
    """Check that a fact's quote stands once in its paragraph and its value is what it says.

    A problem says where the words stand when they stand twice, and when they are not
    found, where else they stand or the nearest words and what differs; a word after the
    number that names no unit, the line of ``units_file`` that would make it name the
    fact's unit.
    """
    paragraph = source.paragraphs.get(fact.paragraph)
    if paragraph is None:
        return Anchor(fact.id, None, None, (f"paragraph {fact.paragraph} is not in the source",))
    quote = fact.quote
    hits = occurrences(paragraph.text, quote, limit=_COUNT_UP_TO)
    if len(hits) != 1:
        head = f"quote {quote!r} must occur once in ¶{paragraph.number} at word boundaries"
        elsewhere = [] if hits else _elsewhere(source, quote, paragraph.number)
        return Anchor(fact.id, None, None, (_not_once(
            head, quote, paragraph.text, paragraph.start, hits, source=source,
            noun="the quote", elsewhere=elsewhere),))
    q0 = paragraph.start + hits[0]
    quote_span = (q0, q0 + len(quote))
    if fact.kind == FactKind.STATEMENT:
        return Anchor(fact.id, quote_span, None, ())
    stated = fact.stated
    inner = occurrences(quote, stated, limit=_COUNT_UP_TO)
    if len(inner) != 1:
        head = f"written {stated!r} must occur once in the quote"
        return Anchor(fact.id, quote_span, None, (_not_once(
            head, stated, quote, q0, inner, source=source, noun="'written'", elsewhere=[]),))
    w0 = q0 + inner[0]
    written_span = (w0, w0 + len(stated))
    try:
        value, qualifier, unit, reading = _read_value(fact, unit_words, decimal_comma=decimal_comma)
    except ReadError as exc:
        hint = (word_hint(exc.word, fact.unit, file=units_file)
                if isinstance(exc, UnitWordError) and fact.unit is not None else "")
        return Anchor(fact.id, quote_span, written_span, (str(exc) + hint,))
    problems = []
    if value != fact.value:  # an int and a Decimal compare exactly
        problems.append(f"value {fact.value} but the source says {fact.stated!r}, "
                        f"which reads as {value}")
    if fact.kind != FactKind.RANGE and qualifier not in (fact.qualifier, Qualifier.EXACT):
        problems.append(f"qualifier {fact.qualifier} but {fact.stated!r} reads as {qualifier}")
    if fact.kind != FactKind.RANGE and qualifier == Qualifier.EXACT and fact.qualifier in (
            Qualifier.MORE_THAN, Qualifier.AT_LEAST, Qualifier.UP_TO, Qualifier.LESS_THAN):
        problems.append(f"qualifier {fact.qualifier} but {fact.stated!r} states no bound")
    if unit is not None and fact.unit is not None and unit != fact.unit:
        problems.append(f"unit {fact.unit} but {fact.stated!r} names {unit}")
    notes = reading.notes if reading is not None else ()
    return Anchor(fact.id, quote_span, written_span, tuple(problems), notes, reading)


@dataclass(frozen=True, slots=True)
class Coverage:
    """Every number of the source and what accounts for it."""

    spans: tuple[tuple[int, NumberSpan, str | None], ...]  # (paragraph, span, covered by)

    @property
    def found(self) -> int:
        return len(self.spans)

    @property
    def accounted(self) -> int:
        return sum(1 for _, _, by in self.spans if by is not None)

    @property
    def uncovered(self) -> list[tuple[int, NumberSpan]]:
        return [(p, s) for p, s, by in self.spans if by is None]


def _period_numbers(period: Period) -> set[str]:
    """The numbers that write a period's years and days."""
    return {str(n) for d in (period.start, period.end) for n in (d.year, d.day) if n is not None}


def coverage(source: SourceText, facts: Iterable[Fact], anchors: Mapping[str, Anchor],
             not_claims: Iterable[NotClaim]) -> Coverage:
    """Account for every number in the paragraphs: by a fact's words, or a non-claim."""
    covers: list[tuple[int, int, str]] = []
    text = source.text
    # Numbers of text[q0:q1] without the slice: the pattern has no look-behind, and the end
    # position ends the text for its look-ahead as the slice would.
    numbers = _TOKEN.finditer
    for fact in facts:
        anchor = anchors.get(fact.id)
        if anchor is None:
            continue
        if anchor.written_span is not None:
            covers.append((*anchor.written_span, f"fact {fact.id}"))
        if anchor.quote_span is not None and fact.period is not None:  # else no year to find
            years = _period_numbers(fact.period)
            q0, q1 = anchor.quote_span
            for m in numbers(text, q0, q1):
                if m.group() in years:
                    covers.append((m.start(), m.end(), f"period of {fact.id}"))
    for nc in not_claims:
        para = source.paragraphs.get(nc.paragraph)
        if para is None:
            continue
        for hit in occurrences(para.text, nc.text):
            covers.append((para.start + hit, para.start + hit + len(nc.text), f"not a claim: {nc.why}"))
    found = [(para.number, NumberSpan(m.start(), m.end(), m.group()))  # text[start:end] is para.text
             for para in source.paragraphs.values() for m in numbers(text, para.start, para.end)]
    return Coverage(tuple((n, span, by) for (n, span), by in zip(found, _first_covers(
        [(span.start, span.end) for _, span in found], covers), strict=True)))


def _first_covers(spans: list[tuple[int, int]], covers: list[tuple[int, int, str]],
                  ) -> list[str | None]:
    """For each span, the ``why`` of the first cover (in list order) that contains it.

    A sweep over start offsets: only covers that have begun and not yet ended are looked
    at, so thousands of numbers and covers cost about their count, not their product.
    """
    order = sorted(range(len(covers)), key=lambda i: covers[i][0])
    active: list[int] = []  # indexes into covers, ascending: the first match is the answer
    out: list[str | None] = [None] * len(spans)
    nxt, last = 0, len(order)
    for k in sorted(range(len(spans)), key=lambda k: spans[k][0]):
        s0, s1 = spans[k]
        while nxt < last and covers[order[nxt]][0] <= s0:
            bisect.insort(active, order[nxt])
            nxt += 1
        if not active:
            continue
        active = [i for i in active if covers[i][1] >= s1 or covers[i][1] > s0]
        for i in active:
            cover = covers[i]
            if cover[1] >= s1:
                out[k] = cover[2]
                break
    return out
