"""The source document: its paragraphs, where each fact is anchored, which numbers are covered."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from kzfacts._record import Record, set_slot
from kzfacts.data.model import Fact, FactKind, NotClaim, RangeValue
from kzfacts.errors import ReadError
from kzfacts.values.numbers import (
    _TOKEN,
    DateValue,
    NumberSpan,
    Qualifier,
    Reading,
    read_date,
    read_number,
    read_range,
)

__all__ = [
    "PARAGRAPH_STYLES",
    "Anchor",
    "Coverage",
    "Paragraph",
    "ParagraphStyleError",
    "SourceText",
    "anchor_fact",
    "detect_style",
    "split_paragraphs",
]


class Paragraph(Record):
    """A numbered paragraph: ``text`` is ``source[start:end]``, without its number."""

    _fields = __slots__ = ("number", "start", "end", "line", "text")
    number: int
    start: int
    end: int
    line: int
    text: str

    def __init__(self, number: int, start: int, end: int, line: int, text: str) -> None:
        set_slot(self, "number", number)
        set_slot(self, "start", start)
        set_slot(self, "end", end)
        set_slot(self, "line", line)
        set_slot(self, "text", text)


#: Paragraph styles: the name a ``document.yaml`` gives, and the mark that starts a paragraph.
#: Each mark stands at the start of a line; the paragraph's text starts after it.
_MARKS: dict[str, re.Pattern[str]] = {  # a byte-order mark or a CR (Windows lines) is no text
    "1.": re.compile(r"^\ufeff?(\d{1,4})\.[ \t]+", re.M),
    "1)": re.compile(r"^\ufeff?(\d{1,4})\)[ \t]+", re.M),
    "§ 1": re.compile(r"^\ufeff?§[ \t]*(\d{1,4})\.?(?:[ \t]+|[ \t]*\r?\n)", re.M),
    "Paragraph 1": re.compile(r"^\ufeff?Paragraph[ \t]+(\d{1,4})[.:]?(?:[ \t]+|[ \t]*\r?\n)", re.M),
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


def _once(text: str, needle: str) -> int | None:
    """The offset of ``needle`` in ``text`` when :func:`occurrences` finds it once, else None."""
    i = text.find(needle)
    if i < 0 or not needle:
        return None
    if text.find(needle, i + 1) < 0:  # the one place it stands: the commonest case
        return i if _at_boundary(text, i, i + len(needle)) else None
    hits = occurrences(text, needle, limit=2)
    return hits[0] if len(hits) == 1 else None


class SourceText(Record):
    """A document and its paragraphs."""

    _fields = __slots__ = ("text", "paragraphs")
    text: str
    paragraphs: Mapping[int, Paragraph]

    def __init__(self, text: str, paragraphs: Mapping[int, Paragraph]) -> None:
        set_slot(self, "text", text)
        set_slot(self, "paragraphs", paragraphs)

    @classmethod
    def from_text(cls, text: str, *, style: str = "auto") -> SourceText:
        return cls(text, {p.number: p for p in split_paragraphs(text, style=style)})

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1


class Anchor(Record):
    """Where a fact's words stand in the source, and what is wrong with them, if anything."""

    _fields = __slots__ = ("fact_id", "quote_span", "written_span", "problems", "notes",
                           "reading")
    fact_id: str
    quote_span: tuple[int, int] | None
    written_span: tuple[int, int] | None
    problems: tuple[str, ...]
    notes: tuple[str, ...]
    reading: Reading | None

    def __init__(self, fact_id: str, quote_span: tuple[int, int] | None,  # noqa: PLR0917 - the fields, in order
                 written_span: tuple[int, int] | None, problems: tuple[str, ...],
                 notes: tuple[str, ...] = (), reading: Reading | None = None) -> None:
        set_slot(self, "fact_id", fact_id)
        set_slot(self, "quote_span", quote_span)
        set_slot(self, "written_span", written_span)
        set_slot(self, "problems", problems)
        set_slot(self, "notes", notes)
        set_slot(self, "reading", reading)


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


def _same_value(a: object, b: object) -> bool:
    if type(a) is int and type(b) is int:
        return a == b
    if isinstance(a, int | Decimal) and isinstance(b, int | Decimal):
        return Decimal(a) == Decimal(b)
    return a == b


#: A quote is counted up to here: it must occur once, and a paragraph of a million "1"s
#: must not be listed in full for every fact that quotes "1".
_COUNT_UP_TO = 10


def _times(hits: list[int]) -> str:
    return f"at least {len(hits)} times" if len(hits) >= _COUNT_UP_TO else f"{len(hits)} times"


def anchor_fact(fact: Fact, paragraph: Paragraph | None, *, unit_words: Mapping[str, str],
                decimal_comma: bool | None = None) -> Anchor:
    """Check that a fact's quote stands in its paragraph and its value is what it says."""
    if paragraph is None:
        return Anchor(fact.id, None, None, (f"paragraph {fact.paragraph} is not in the source",))
    quote = fact.quote
    hit = _once(paragraph.text, quote)
    if hit is None:
        hits = occurrences(paragraph.text, quote, limit=_COUNT_UP_TO)
        found = "not found" if not hits else f"found {_times(hits)}"
        return Anchor(fact.id, None, None,
                      (f"quote {quote!r} must occur once in ¶{paragraph.number} at word "
                       f"boundaries: {found}",))
    q0 = paragraph.start + hit
    quote_span = (q0, q0 + len(quote))
    if fact.kind == FactKind.STATEMENT:
        return Anchor(fact.id, quote_span, None, ())
    stated = fact.stated
    hit = _once(quote, stated)
    if hit is None:
        inner = occurrences(quote, stated, limit=_COUNT_UP_TO)
        return Anchor(fact.id, quote_span, None,
                      (f"written {stated!r} must occur once in the quote: "
                       f"{'not found' if not inner else f'found {_times(inner)}'}",))
    w0 = q0 + hit
    written_span = (w0, w0 + len(stated))
    try:
        value, qualifier, unit, reading = _read_value(fact, unit_words, decimal_comma=decimal_comma)
    except ReadError as exc:
        return Anchor(fact.id, quote_span, written_span, (str(exc),))
    problems = []
    if not _same_value(value, fact.value):
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


class Coverage(Record):
    """Every number of the source and what accounts for it."""

    _fields = __slots__ = ("spans",)
    spans: tuple[tuple[int, NumberSpan, str | None], ...]  # (paragraph, span, covered by)

    def __init__(self, spans: tuple[tuple[int, NumberSpan, str | None], ...]) -> None:
        set_slot(self, "spans", spans)

    @property
    def found(self) -> int:
        return len(self.spans)

    @property
    def accounted(self) -> int:
        return sum(1 for _, _, by in self.spans if by is not None)

    @property
    def uncovered(self) -> list[tuple[int, NumberSpan]]:
        return [(p, s) for p, s, by in self.spans if by is None]


def _period_numbers(fact: Fact) -> set[str]:
    out: set[str] = set()
    dates: list[DateValue] = []
    if fact.period is not None:
        dates += [fact.period.start, fact.period.end]
    for d in dates:
        out.add(str(d.year))
        if d.day is not None:
            out.add(str(d.day))
    return out


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
            years = _period_numbers(fact)
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
