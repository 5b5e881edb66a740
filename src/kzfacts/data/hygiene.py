"""Hygiene of the source text: what a careful reader of the document trips over.

Findings on the words themselves, not on what they claim: an opening bracket or quotation
mark that is never closed in its paragraph; a decimal separator other than the document's
own (a decimal comma in a document that writes decimal points); a bracketed share without
its ``%`` where its siblings have one; a number grouped otherwise than the document's other
numbers ("5005" where it writes "4,780", "138 000" where it writes "103,500").

Each finding stands at an offset of the source and gets a stable id from its paragraph,
its check and its rank among that check's findings in that paragraph
(``hygiene.p46.decimal-comma.1``): the id changes only when that paragraph does.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace

from kzfacts.data.model import Severity
from kzfacts.data.source import Paragraph, SourceText
from kzfacts.errors import ReadError
from kzfacts.values.numbers import find_numbers, read_number

__all__ = ["CHECKS", "Hygiene", "hygiene"]

#: The checks, by the name their findings' ids carry.
CHECKS: tuple[str, ...] = ("unclosed-bracket", "unclosed-quote", "decimal-comma",
                           "decimal-point", "share-without-percent", "grouping")


@dataclass(frozen=True, slots=True)
class Hygiene:
    """One finding on the source text.

    Attributes:
        id: ``hygiene.p<paragraph>.<check>.<k>``.
        check: one of :data:`CHECKS`.
        paragraph: the paragraph it stands in.
        offset: where it stands in the source text.
        severity: warning, or info.
        message: what is wrong, and what kzfacts made of it.
    """

    id: str
    check: str
    paragraph: int
    offset: int
    severity: Severity
    message: str


def _found(check: str, paragraph: int, offset: int, severity: Severity, message: str,
           ) -> Hygiene:
    """A finding, its id given once every finding is known (see :func:`hygiene`)."""
    return Hygiene("", check, paragraph, offset, severity, message)


_OPEN = {"(": ")", "[": "]"}
_CLOSE = {v: k for k, v in _OPEN.items()}
_CURLY = {"\u201c": "\u201d", "\u00ab": "\u00bb"}
_CURLY_CLOSE = {v: k for k, v in _CURLY.items()}
#: A list marker closed by a bracket ("a)", "2)", "iv)") at the start of an item (the
#: start of a line, or after ":", ";" or ","), followed by a space: no opening bracket is
#: missing there.
_MARKER = re.compile(r"(?:^|(?<=\n)|(?<=[;:,] ))(?:[0-9]{1,2}|[a-z]|[ivx]{1,4})\)(?= )")
_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)")
_BRACKETED = re.compile(r"\(\s*(?P<num>[0-9][0-9 ,.]*[0-9]|[0-9])\s*(?P<pct>%|percent)?\s*\)")
#: The characters the bracket and quotation checks look at (the rest of a text is skipped).
_BRACKET = re.compile(r"[()\[\]]")
_QUOTE = re.compile('["\u201c\u201d\u00ab\u00bb]')
_DECIMAL = re.compile(r"([.,])([0-9]+)$")
_NOT_DIGIT = re.compile(r"[^0-9]")
_DIGIT = re.compile(r"[0-9]")
#: Year-like numbers: four digits from 1800 to 2100 written without a separator.
_YEARS = range(1800, 2101)


def _where(source: SourceText, offset: int) -> str:
    line, column = source.position(offset)
    return f"{line}:{column}"


def _sentences(paragraph: Paragraph) -> list[tuple[int, int]]:
    """``(start, end)`` source offsets of the sentences of a paragraph."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(paragraph.text):
        out.append((paragraph.start + start, paragraph.start + m.end()))
        start = m.end()
    if paragraph.text[start:].strip():
        out.append((paragraph.start + start, paragraph.end))
    return out


def _brackets(paragraph: Paragraph, source: SourceText) -> Iterator[Hygiene]:
    text = paragraph.text
    markers = {m.end() - 1 for m in _MARKER.finditer(text)}
    stack: list[tuple[str, int]] = []
    for m in _BRACKET.finditer(text):
        i, char = m.start(), m.group()
        if char in _OPEN:
            stack.append((char, i))
        elif char in _CLOSE and i not in markers:
            if stack and stack[-1][0] == _CLOSE[char]:
                stack.pop()
            else:
                yield _found("unclosed-bracket", paragraph.number, paragraph.start + i,
                           Severity.WARNING, f"a closing {char!r} at "
                           f"{_where(source, paragraph.start + i)} with no opening "
                           f"{_CLOSE[char]!r} before it in ¶{paragraph.number}")
    for char, i in stack:
        yield _found("unclosed-bracket", paragraph.number, paragraph.start + i, Severity.WARNING,
                   f"{char!r} opened at {_where(source, paragraph.start + i)} "
                   f"({_excerpt(text, i)}) is never closed in ¶{paragraph.number}: the reader "
                   f"cannot tell where the bracketed words end")


def _excerpt(text: str, i: int, size: int = 40) -> str:
    words = text[i:i + size].split("\n", maxsplit=1)[0]
    return f"\u201c{words.rstrip()}\u2026\u201d" if i + size < len(text) else f"\u201c{words}\u201d"


def _straight_opens(text: str, i: int) -> bool | None:
    """Whether the straight quotation mark at ``i`` opens (True), closes (False), or
    cannot tell (None), by the characters around it."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    opens = (before.isspace() or before in "([{") and not after.isspace()
    closes = (not before.isspace()) and (after.isspace() or after in ".,;:!?)]}")
    if opens != closes:
        return opens
    return None


def _quotes(paragraph: Paragraph, source: SourceText) -> Iterator[Hygiene]:
    text = paragraph.text
    unclosed: list[int] = []
    open_at: int | None = None
    stack: list[tuple[str, int]] = []
    for m in _QUOTE.finditer(text):
        i, char = m.start(), m.group()
        if char == '"':
            opens = _straight_opens(text, i)
            if open_at is None:
                open_at = i if opens is not False else None
            elif opens is True:  # an opening mark while one is open: that one never closed
                unclosed.append(open_at)
                open_at = i
            else:
                open_at = None
        elif char in _CURLY:
            stack.append((char, i))
        elif char in _CURLY_CLOSE and stack and stack[-1][0] == _CURLY_CLOSE[char]:
            stack.pop()
    if open_at is not None:
        unclosed.append(open_at)
    unclosed += [i for _, i in stack]
    for i in sorted(unclosed):
        yield _found("unclosed-quote", paragraph.number, paragraph.start + i, Severity.WARNING,
                   f"the quotation opened at {_where(source, paragraph.start + i)} "
                   f"({_excerpt(text, i)}) is never closed in ¶{paragraph.number}: the reader "
                   f"cannot tell where the quotation ends")


@dataclass(frozen=True, slots=True)
class _Number:
    paragraph: int
    start: int
    text: str

    @property
    def decimal(self) -> str | None:
        """``","`` or ``"."`` when the number is written with that decimal separator
        without doubt (one or two digits after it, or four and more)."""
        m = _DECIMAL.search(self.text)
        if m is None or len(m.group(2)) == 3:
            return None
        # "1,234,5": the last separator after groups of three is a decimal one too
        return m.group(1)

    @property
    def integer_digits(self) -> str:
        return self.text if self.decimal is None else self.text[:self.text.rfind(self.decimal)]

    @property
    def grouping(self) -> str | None:
        """How the integer part groups thousands: ``","``, ``" "``, ``""`` (not at all), or
        ``None`` for fewer than four digits and for year-like numbers."""
        body = self.integer_digits
        digits = _NOT_DIGIT.sub("", body)
        if len(digits) < 4:
            return None
        if body.isdigit():
            return None if len(body) == 4 and int(body) in _YEARS else ""
        separators = set(_DIGIT.sub("", body))
        return separators.pop() if len(separators) == 1 else None


def _numbers(source: SourceText, skip: Collection[int]) -> list[_Number]:
    return [_Number(p.number, p.start + s.start, s.text) for p in source.paragraphs.values()
            for s in find_numbers(p.text) if p.start + s.start not in skip]


def _described(sep: str) -> str:
    return {",": "commas", " ": "spaces", "": "no separator", ".": "points"}[sep]


def _decimals(numbers: list[_Number], source: SourceText, *, decimal_comma: bool | None,
              ) -> Iterator[Hygiene]:
    seen = Counter(n.decimal for n in numbers if n.decimal is not None)
    if decimal_comma is not None:
        own = "," if decimal_comma else "."
        basis = "document.yaml says decimal_comma: " + ("true" if decimal_comma else "false")
    else:
        if not seen or seen[","] == seen["."]:
            return
        own = "," if seen[","] > seen["."] else "."
        example = next(n for n in numbers if n.decimal == own)
        basis = (f"{seen[own]} number{'s' if seen[own] > 1 else ''} such as "
                 f"\u201c{example.text}\u201d at {_where(source, example.start)}")
    other = "." if own == "," else ","
    check = "decimal-comma" if other == "," else "decimal-point"
    for n in numbers:
        if n.decimal != other:
            continue
        try:
            reading = str(read_number(n.text, decimal_comma=decimal_comma).value)
        except ReadError:  # pragma: no cover - a number the finder finds is readable
            reading = "nothing"
        yield _found(check, n.paragraph, n.start, Severity.WARNING,
                   f"\u201c{n.text}\u201d at {_where(source, n.start)} writes a decimal "
                   f"{'comma' if other == ',' else 'point'} where the document writes decimal "
                   f"{'commas' if own == ',' else 'points'} ({basis}); kzfacts read it as "
                   f"{reading}")


def _grouping(numbers: list[_Number], source: SourceText) -> Iterator[Hygiene]:
    styles = Counter(g for n in numbers if (g := n.grouping))
    if not styles:
        return
    sep, count = styles.most_common(1)[0]
    if list(styles.values()).count(count) > 1:
        return  # no one style: nothing to differ from
    digits = [n for n in numbers if n.grouping is not None]
    four = Counter(n.grouping == "" for n in digits if len(_NOT_DIGIT.sub("", n.text)) == 4)
    four_grouped = four[False] >= four[True]
    sentences = {p.number: _sentences(p) for p in source.paragraphs.values()}
    for n in digits:
        size = len(_NOT_DIGIT.sub("", n.integer_digits))
        expected = sep if size > 4 or four_grouped else ""
        if n.grouping == expected:
            continue
        example = next((m for m in digits if m.grouping == expected
                        and (size > 4 or len(_NOT_DIGIT.sub("", m.integer_digits)) == 4)),
                       None)
        if example is None:
            continue
        span = next(((a, b) for a, b in sentences[n.paragraph] if a <= n.start < b), None)
        beside = [m for m in digits if span and span[0] <= m.start < span[1]
                  and m.grouping == expected]
        where = (f"beside \u201c{beside[0].text}\u201d in the same sentence" if beside else
                 f"as \u201c{example.text}\u201d at {_where(source, example.start)}")
        yield _found("grouping", n.paragraph, n.start,
                   Severity.WARNING if beside else Severity.INFO,
                   f"\u201c{n.text}\u201d at {_where(source, n.start)} groups its digits with "
                   f"{_described(n.grouping or '')} where the document groups them with "
                   f"{_described(expected)} ({where})")


def _shares(paragraph: Paragraph, source: SourceText) -> Iterator[Hygiene]:
    for a, b in _sentences(paragraph):
        found = list(_BRACKETED.finditer(source.text, a, b))
        with_pct = [m for m in found if m["pct"]]
        if not with_pct:
            continue
        for m in found:
            if m["pct"]:
                continue
            sibling = with_pct[0]
            yield _found("share-without-percent", paragraph.number, m.start(),
                       Severity.WARNING,
                       f"\u201c{m.group()}\u201d at {_where(source, m.start())} has no % where "
                       f"\u201c{sibling.group()}\u201d at {_where(source, sibling.start())} in "
                       f"the same sentence has one: a share is read as a percentage only if a "
                       f"fact says so")


def hygiene(source: SourceText, *, decimal_comma: bool | None = None,
            skip: Collection[int] = ()) -> list[Hygiene]:
    """The hygiene findings of a source text, in the order they stand.

    Args:
        source: the source text.
        decimal_comma: the document's declared decimal separator (``None``: the one most
            of its unambiguous decimals use).
        skip: offsets of numbers that are no quantities (article and decree numbers: the
            non-claims), left out of the number checks.

    Returns:
        The findings, each with its stable id.
    """
    numbers = _numbers(source, set(skip))
    raw: list[Hygiene] = []
    for p in source.paragraphs.values():
        raw += _brackets(p, source)
        raw += _quotes(p, source)
        raw += _shares(p, source)
    raw += _decimals(numbers, source, decimal_comma=decimal_comma)
    raw += _grouping(numbers, source)
    raw.sort(key=lambda r: (r.offset, CHECKS.index(r.check)))
    ranks: Counter[tuple[int, str]] = Counter()
    out = []
    for r in raw:
        ranks[r.paragraph, r.check] += 1
        out.append(replace(r, id=f"hygiene.p{r.paragraph}.{r.check}.{ranks[r.paragraph, r.check]}"))
    return out
