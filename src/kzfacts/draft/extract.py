"""Mentions: every number of a paragraph, with its words, unit, qualifier and period.

A mention is a number as the text writes it: ``"more than 5,300"`` before ``"crimes"``, in a
sentence that starts ``"In 2022,"``. :func:`mentions` finds them from the library's own list
of the paragraph's digit groups (:func:`find_numbers`, the list coverage is checked
against), so every number is either part of a mention or of a non-claim.
"""

from __future__ import annotations

import calendar
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from kzfacts.draft.library import NumberSpan, Reading, find_numbers, read_date, read_number, read_range
from kzfacts.draft.model import Value
from kzfacts.draft.text import STOP, noun_after, sentences
from kzfacts.draft.vocab import TIME, Vocabulary

__all__ = ["TOTAL_CUE", "Mention", "ParagraphMentions", "mentions", "per_period_cue"]

#: The largest value a fact may hold (the loader's limit).
_LARGEST = 1_000_000_000_000_000_000
#: The kinds of mention that are a value a rule can use.
VALUES = frozenset({"count", "share", "money", "index", "rate"})


@dataclass(eq=False)
class Mention:
    """A number of a paragraph and what the drafter read around it."""

    start: int  # the written words, text[start:end] of the paragraph
    end: int
    written: str
    kind: str  # count share money index rate duration range date year period statement
    value: Value
    unit: str | None = None
    noun: str | None = None  # the counted noun as written ("offenses"), if any
    after: int = 0  # where the mention's phrase ends (its noun, its share in parentheses)
    qualifier: str = "exact"
    sentence: int = 0
    in_parens: bool = False
    period: str | None = None
    period_span: tuple[int, int] | None = None  # words of the period the quote must hold
    period_text: str | None = None
    label: str | None = None  # "murder" in "murder – 120"
    year_label: int | None = None  # 2015 in "2015 – 630"
    loose: bool = False  # "above 5,000": no rule uses it as a bound it does not state
    role: str = ""  # of a year or date: "period" (of values), "event" (a date fact)
    used: bool = False  # a year or date: some value's period
    note: str | None = None
    id: str = ""
    subject: str = ""

    @property
    def is_value(self) -> bool:
        return self.kind in VALUES


@dataclass
class ParagraphMentions:
    number: int
    text: str
    sentences: list[tuple[int, int]]
    mentions: list[Mention] = field(default_factory=list)
    not_claims: list[tuple[int, int, str]] = field(default_factory=list)
    covered: list[tuple[int, int]] = field(default_factory=list)  # a table's cells, drafted apart

    def sentence_of(self, pos: int) -> int:
        for i, (a, b) in enumerate(self.sentences):
            if a <= pos < b:
                return i
        return len(self.sentences) - 1


# -- numbers that are not claims ------------------------------------------------------------

_PROVISION = r"(?:Articles?|articles?|Arts?\.|arts?\.)"
_NOT_CLAIMS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), why) for p, why in (
    (r"\b(?:[Pp]arts?|[Pp]aragraphs?|[Ss]ubparagraphs?|[Cc]lauses?|[Ii]tems?|[Pp]oints?|[Ss]ections?)"
     r"\s+\d+(?:\s*\([a-z0-9]{1,3}\))?(?:\s*(?:,|and|or)\s*\d+)*\s+of\s+(?:the\s+)?"
     + _PROVISION + r"\s*\d+[A-Za-z0-9\-]*(?:\s*\(\d{1,2}\))?",
     "a part and article number of a law, not a quantity"),
    (r"\b" + _PROVISION + r"\s*\d+[A-Za-z0-9\-]*(?:\s*\(\d{1,2}\))?"
     r"(?:\s*(?:,|and|or|to|–|-)\s*\d+[A-Za-z0-9\-]*)*",
     "an article number of a law, not a quantity"),
    (r"(?:\bNos?\.|\bno\.|№|N°)\s*\d[\d\-/.]*[A-Za-z]*(?<![.\-/])",
     "a number naming a document, not a quantity"),
    (r"\b(?:[Rr]esolutions?|[Dd]ecisions?|[Rr]ecommendations?|[Rr]ules?|[Cc]hapters?|[Aa]nnex(?:es)?|"
     r"[Aa]ppendix|[Tt]ables?|[Ff]igures?|[Gg]oals?|[Tt]argets?|[Pp]rotocols?|[Pp]aragraphs?|[Pp]aras?\.|§|"
     r"[Pp]rinciples?|[Ss]ections?|[Dd]ecrees?|[Oo]rders?|[Cc]onventions?|[Bb]ox)"
     r"\s+\d+(?:\.\d+)*[A-Za-z]?(?:\s*\(\d{4}\))?(?:\s*(?:,|and|to|–|-)\s*\d+(?:\.\d+)*[A-Za-z]?)*",
     "a number naming a provision or part of a text, not a quantity"),
    (r"\b[A-Z]{1,6}(?:/[A-Za-z0-9.()\-]+){2,}", "a document symbol, not a quantity"),
    (r"\bhttps?://\S+[A-Za-z0-9/]|\bwww\.\S+[A-Za-z0-9/]", "part of a web address, not a quantity"),
    (r"\b\d+(?:st|nd|rd|th)\b", "an ordinal, not a quantity"),
    (r"\b\d{1,2}:\d{2}\b", "a time of day, not a quantity"),
    (r"\b\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})\b",
     "a date written in digits (the reader reads dates with month names or as YYYY-MM-DD)"),
    (r"(?:\b(?:[Tt]el|[Pp]hone|[Tt]elephone|[Hh]otline|[Ff]ax)\.?:?\s*|\+)\d[\d \-()]{4,}\d",
     "a telephone number, not a quantity"),
    (r"\[\d{1,3}\]", "a footnote mark, not a quantity"),
    (r"\b[A-Za-z]+[\-–]?\d+[A-Za-z0-9]*\b(?![.,]\d)", "part of a name or code, not a quantity"),
    (r"\b\d+[A-Za-z]+\b", "part of a name or code, not a quantity"),
))
#: "(1) ... (2) ...", "1) ... 2) ...": list labels inside a paragraph, numbered 1, 2, 3...
_LABELS = re.compile(r"(?:^|(?<=[\s:;,]))\(?(\d{1,2})\)(?=\s+[A-Za-z\"“])|^[ \t]*(\d{1,2})[.)](?=[ \t]+\S)",
                     re.M)


def _not_claims(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for pattern, why in _NOT_CLAIMS:
        for m in pattern.finditer(text):
            if re.search(r"\d", m.group()) and not any(a <= m.start() < b for a, b, _ in out):
                out.append((m.start(), m.end(), why))
    labels = [(m.start(), m.end(), int(m.group(1) or m.group(2))) for m in _LABELS.finditer(text)]
    expected = 1
    for a, b, n in labels:
        if n == expected:
            out.append((a, b, "a list item's label, not a quantity"))
            expected += 1
    return out


# -- dates, periods, ranges -----------------------------------------------------------------

_MONTH = "|".join(m for m in calendar.month_name if m)
_DATES = re.compile(
    rf"\b(?:(?:{_MONTH})\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTH}),?\s+\d{{4}}|(?:{_MONTH})\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})\b", re.I)
_YEAR = r"(?:19|20)\d\d"
_DASH = r"\s*[–—\-]\s*"
_YEAR_RANGES = re.compile(
    rf"\b(?:(?:[Ff]rom|[Bb]etween)\s+(?P<y1>{_YEAR})\s+(?:to|and|until|till|through)\s+"
    rf"(?:(?:the\s+)?(?:first\s+)?(?P<months>\d{{1,2}})\s+months?\s+of\s+)?(?P<y2>{_YEAR})"
    rf"|(?P<y3>{_YEAR})(?:{_DASH}|\s+to\s+)(?P<y4>{_YEAR}))\b")
_MONTHS_OF = re.compile(rf"\b(?:the\s+first\s+)?(?P<n>\d{{1,2}})\s+months?\s+of\s+(?P<y>{_YEAR})\b")
_TIME_UNIT = r"(?:years?|months?|weeks?|days?)"
_RANGES = re.compile(
    rf"\b(?:[Ff]rom\s+(?P<a>\d+(?:[.,]\d+)?)\s+to\s+(?P<b>\d+(?:[.,]\d+)?)"
    rf"|(?P<c>\d+(?:[.,]\d+)?)\s*[–—\-]\s*(?P<d>\d+(?:[.,]\d+)?)"
    rf"|(?P<e>\d+(?:[.,]\d+)?)\s+to\s+(?P<f>\d+(?:[.,]\d+)?))\s+(?P<unit>{_TIME_UNIT})\b")

_SPAN_RANGES = re.compile(r"\b[Ff]rom\s+(?P<a>\d[\d,.]*\d|\d)\s+to\s+(?P<b>\d[\d,.]*\d|\d)\b(?![.,]\d)")

def _amounts(low: str, high: str) -> bool:
    """Both ends written with a thousands separator or at least four digits: amounts
    (money, most likely), whose unit word need not be a plural."""
    return all(len(re.sub(r"\D", "", x)) >= 4 for x in (low, high))


# -- numbers --------------------------------------------------------------------------------

#: Qualifiers the number reader reads (the words go into ``written``).
_READ_QUALIFIERS = ("no more than", "not more than", "more than", "at least", "not less than",
                    "up to", "less than", "fewer than", "about", "approximately", "around",
                    "over", "some")
#: Words that widen a number the reader does not know: the fact says "about", or (a bound
#: the reader cannot state) no rule uses it.
_NEAR = ("almost", "nearly", "roughly", "approx.", "circa", "some")
_BOUNDS = ("above", "below", "under", "exceeding", "over", "just over", "just under",
           "in excess of", "upwards of")
_SCALE = re.compile(r"[ \u00a0]+(thousand|million|billion)\b", re.I)
_PERCENT = re.compile(r"[ \u00a0]?%|[ \u00a0]+(?:per[ \u00a0]?cent|percent)\b", re.I)
_OR_MORE = re.compile(r"[ \u00a0]+or[ \u00a0]+(?:more|less|fewer)\b(?![ \u00a0]+than\b)", re.I)
#: "less than 50,000 or more than 400,000 thalers": the unit after the second figure is the first's.
_SHARED_UNIT = re.compile(r"[ \u00a0]+(?:or|and|nor|to)[ \u00a0]+"
                          r"(?:(?:more|less|fewer)[ \u00a0]+than[ \u00a0]+|at[ \u00a0]+least[ \u00a0]+|"
                          r"up[ \u00a0]+to[ \u00a0]+)?"
                          r"(?:\d[\d,.\u00a0\u202f ]*\d|\d)(?:[ \u00a0]+(?:thousand|million|billion))?", re.I)
#: "No project received less than 50,000 ...": a bound the sentence negates is a limit.
_NEGATED = re.compile(r"\b(?:[Nn]o|[Nn]one\s+of\s+the|[Nn]ot\s+a\s+single)\s+[A-Za-z\-]+"
                      r"(?:[^,;:.!?]|[,.](?=\d))*$")  # within its clause ("50,000" is no comma)
_NEGATABLE = frozenset({"more than", "less than", "fewer than", "over", "under", "above", "below"})


def _qualifier_before(text: str, start: int) -> tuple[int, str, bool] | None:
    """``(where the qualifier starts, the qualifier, whether the reader reads it)``."""
    head = text[max(0, start - 25):start].lower()
    for words in sorted((*_READ_QUALIFIERS, *_NEAR, *_BOUNDS), key=len, reverse=True):
        if head.endswith(words + " ") and (len(head) == len(words) + 1 or
                                           not head[-len(words) - 2].isalpha()):
            begin = start - len(words) - 1
            if words in _READ_QUALIFIERS and words != "over":
                return begin, words, True
            if words == "over" and not re.search(r"\bover the (?:past|last|next)\b", text[begin:start + 20]):
                return begin, words, True
            return begin, words, False
    return None


def _read(written: str, vocab: Vocabulary, *, decimal_comma: bool | None) -> Reading | None:
    try:
        return read_number(written, unit_words={**vocab.given, **vocab.used,
                                                        **{p: u for p, (u, _) in vocab.phrases.items()}},
                                   decimal_comma=decimal_comma)
    except (ValueError, ArithmeticError):
        return None


def _close_paren(text: str, end: int) -> int | None:
    """The end of ``)`` right after ``end`` (spaces allowed), if one closes there."""
    m = re.match(r"\s*\)", text[end:])
    return end + m.end() if m else None


def mentions(number: int, text: str, vocab: Vocabulary, *, decimal_comma: bool | None,
             ) -> ParagraphMentions:
    """Every number of one paragraph, read as a mention or a non-claim."""
    para = ParagraphMentions(number, text, sentences(text))
    spans = find_numbers(text)
    taken = [False] * len(spans)

    def take(a: int, b: int) -> None:
        for i, s in enumerate(spans):
            if a <= s.start and s.end <= b:
                taken[i] = True

    def add(m: Mention) -> None:
        m.sentence = para.sentence_of(m.start)
        para.mentions.append(m)
        take(m.start, m.end)

    # dates first: "19 July 2021" is a date, not "19" of something
    for m in _DATES.finditer(text):
        try:
            date = read_date(m.group())
        except ValueError:
            continue
        if any(a <= m.start() < b for a, b, _ in para.not_claims):
            continue
        add(Mention(m.start(), m.end(), m.group(), "date", str(date), after=m.end()))
    for a, b, why in _not_claims(text):
        if not all(taken[i] for i, s in enumerate(spans) if a <= s.start and s.end <= b):
            para.not_claims.append((a, b, why))
            take(a, b)
    for m in _MONTHS_OF.finditer(text):
        n, year = int(m["n"]), int(m["y"])
        if 1 <= n <= 12 and not _taken(spans, taken, m.start("n")):
            words = re.match(r"\d+\s+months?", text[m.start("n"):])
            assert words is not None
            add(Mention(m.start("n"), m.start("n") + words.end(), words.group(), "duration", n,
                        "month", after=m.end(), period=f"{year}-01/{year}-{n:02d}",
                        period_span=(m.start("y"), m.end("y")), period_text=m.group()))
    for m in _YEAR_RANGES.finditer(text):
        y1, y2 = m["y1"] or m["y3"], m["y2"] or m["y4"]
        if int(y2) < int(y1) or int(y2) - int(y1) > 50 or _taken(spans, taken, m.start()):
            continue
        months = f"-{int(m['months']):02d}" if m["months"] and 1 <= int(m["months"]) <= 12 else ""
        period = f"{y1}/{y2}{months}"
        mention = Mention(m.start(), m.end(), m.group(), "period", period, after=m.end(),
                          period=period, period_span=(m.start(), m.end()), period_text=m.group())
        mention.sentence = para.sentence_of(m.start())
        para.mentions.append(mention)
        for i, s in enumerate(spans):  # the years only: "4" of "4 months of" has its own fact
            if m.start() <= s.start and s.end <= m.end() and re.fullmatch(_YEAR, s.text):
                taken[i] = True
    for m in _RANGES.finditer(text):
        lo, hi = (m["a"], m["b"]) if m["a"] else (m["c"], m["d"]) if m["c"] else (m["e"], m["f"])
        if _taken(spans, taken, m.start()) or (re.fullmatch(_YEAR, lo) and re.fullmatch(_YEAR, hi)):
            continue
        written = m.group()
        try:
            r = read_range(written)
        except ValueError:
            continue
        low = None if r.low is None else r.low.value
        high = None if r.high is None else r.high.value
        add(Mention(m.start(), m.end(), written, "range", (low, high), TIME[m["unit"].lower()],
                    after=m.end()))
    for m in _SPAN_RANGES.finditer(text):  # "from 20 to 80 base amounts", "from 3 to 5 persons"
        if _taken(spans, taken, m.start("a")) or _taken(spans, taken, m.start("b")) or (
                re.fullmatch(_YEAR, m["a"]) and re.fullmatch(_YEAR, m["b"])):
            continue
        word = vocab.after(text, m.end())
        noun = None if word is not None else noun_after(text, m.end())
        if word is None and noun is None and _amounts(m["a"], m["b"]):
            # "from 20,000 to 60,000 korun": large amounts in a word no units file names
            noun = noun_after(text, m.end(), singular_ok=True)
        end = word.end if word is not None else m.end()
        try:
            r = read_range(text[m.start():end], unit_words={**vocab.given, **{
                p: u for p, (u, _) in vocab.phrases.items()}})
        except ValueError:
            continue
        if word is not None:
            vocab.use(word.text, word.unit)
        unit = word.unit if word is not None else vocab.noun_unit(noun[0]) if noun else None
        if unit is None:
            continue
        add(Mention(m.start(), end, text[m.start():end], "range",
                    (None if r.low is None else r.low.value, None if r.high is None else r.high.value),
                    unit, noun=None if noun is None else noun[0],
                    after=noun[1] if noun else end))
    i = 0
    while i < len(spans):
        if taken[i]:
            i += 1
            continue
        i = _number(para, spans, taken, i, vocab=vocab, decimal_comma=decimal_comma, add=add)
    _number_words(para, vocab, decimal_comma=decimal_comma)
    para.mentions.sort(key=lambda m: m.start)
    return para


def _taken(spans: list[NumberSpan], taken: list[bool], pos: int) -> bool:
    return any(t and s.start <= pos < s.end for s, t in zip(spans, taken, strict=True))


def _number(para: ParagraphMentions, spans: list[NumberSpan], taken: list[bool], i: int, *,
            vocab: Vocabulary, decimal_comma: bool | None, add: Callable[[Mention], None]) -> int:
    """Read the number starting at digit group ``i``; returns the next group to read."""
    text = para.text
    start, end, j = spans[i].start, spans[i].end, i
    # groups the library's digit groups split: "5 300" with a no-break space, "1.234.567"
    while j + 1 < len(spans) and not taken[j + 1] and re.fullmatch(r"\d{3}", spans[j + 1].text) and (
            text[end:spans[j + 1].start] in ("\u00a0", "\u202f")
            or (text[end:spans[j + 1].start] == "." and re.fullmatch(r"\d{1,3}\.\d{3}", spans[i].text))):
        j += 1
        end = spans[j].end
    scaled = _SCALE.match(text, end)
    while scaled is not None:  # "2 million 750 thousand"
        end = scaled.end()
        scaled = None
        if j + 1 < len(spans) and not taken[j + 1] and \
                re.fullmatch(r"[ \u00a0]+", text[end:spans[j + 1].start]):
            scaled = _SCALE.match(text, spans[j + 1].end)
            if scaled is not None:
                j += 1
    for k in range(i, j + 1):
        taken[k] = True
    kind = "count"
    unit: str | None = None
    percent = _PERCENT.match(text, end)
    if percent is not None:
        end, kind, unit = percent.end(), "share", "percent"
    w0, w1 = start, end
    qualifier = "exact"
    loose = False
    note = None
    before = _qualifier_before(text, start)
    sign = vocab.sign_before(text, start)
    if sign is not None:
        kind, unit = sign.kind, sign.unit
        before = _qualifier_before(text, sign.start)
    if before is not None and before[1] in _NEGATABLE and \
            _NEGATED.search(text, para.sentences[para.sentence_of(start)][0], before[0]):
        note = (f"the text says no … {before[1]} {text[start:end]}: the least or the most every one "
                "has, read as exact")
        before = None
    if before is not None:
        q0, words, readable = before
        if readable and sign is None:
            w0 = q0
        elif readable and words in ("about", "approximately", "around", "some"):
            qualifier = "about"  # "about EUR 3.5 million": the sign stands between
        elif readable:
            loose, note = True, f"the text says {words!r} before the currency: no rule uses it as exact"
        elif words in _NEAR:
            qualifier, note = "about", f"the text says {words!r}: read as about"
        else:
            loose, note = True, f"the text says {words!r}, a bound the reader does not state"
    word = vocab.after(text, end) if kind == "count" else None
    if word is not None:
        kind, unit, w1 = word.kind, word.unit, word.end
        vocab.use(word.text, word.unit)
    elif kind == "count" and (shared := _SHARED_UNIT.match(text, end)) is not None and \
            (word := vocab.after(text, shared.end())) is not None:
        kind, unit = word.kind, word.unit  # the words stay the second figure's
    time = re.match(r"[ \u00a0]+(years?|months?|weeks?|days?)\b|-(year|month|week|day)s?\b",
                    text[end:]) if kind == "count" else None
    if time is not None:
        kind, unit = "duration", TIME[(time.group(1) or time.group(2)).lower()]
        if time.group(1):
            w1 = end + time.end()
    if kind == "duration" and before is not None and before[1] == "over":  # "over 5 years": during
        w0 = start
    more = _OR_MORE.match(text, w1)
    if more is not None:
        w1 = more.end()
    written = text[w0:w1]
    reading = _read(written, vocab, decimal_comma=decimal_comma)
    if reading is None and w0 != start:  # the qualifier the reader would not take
        w0, written = start, text[start:w1]
        reading = _read(written, vocab, decimal_comma=decimal_comma)
    if reading is None:
        para.not_claims.append((start, end, "a number the library's reader cannot read yet "
                                "(drafted as not a claim: review it)"))
        return j + 1
    if abs(Decimal(reading.value)) > _LARGEST:
        para.not_claims.append((start, end, "a number larger than a fact's value may be "
                                "(10^18; drafted as not a claim: review it)"))
        return j + 1
    if decimal_comma and re.fullmatch(r"\d{1,3}\.\d{3}", text[start:spans[i].end]):
        # "1.245" where commas are decimal: a thousands point, which the reader reads as 1.245
        loose, note = True, (f"the reader reads {text[start:spans[i].end]!r} as a decimal; the "
                             "document writes decimal commas, so it may mean thousands: no rule uses it")
    if reading.qualifier.value != "exact":
        qualifier = reading.qualifier.value
    opened = text[:w0].rstrip().endswith("(") or text[:start].rstrip().endswith("(")
    closed = _close_paren(text, w1)
    in_parens = opened and closed is not None
    after = closed if in_parens and closed is not None else w1
    mention = Mention(w0, w1, written, kind, reading.value, unit, after=after,
                      qualifier=qualifier, in_parens=in_parens, loose=loose, note=note)
    if kind == "count" and re.fullmatch(_YEAR, spans[i].text) and j == i and before is None \
            and sign is None and not in_parens:
        noun = noun_after(text, end)
        if noun is None:
            mention.kind, mention.value, mention.written = "year", int(spans[i].text), spans[i].text
            mention.start, mention.end, mention.after = start, end, end
    if mention.kind == "count":
        _noun(mention, text, vocab)
        if mention.unit is not None and vocab.kind_of(mention.unit) != "count":
            mention.kind = vocab.kind_of(mention.unit)  # "48.6 million thalers" of a units file
    add(mention)
    return j + 1


def _noun(m: Mention, text: str, vocab: Vocabulary) -> None:
    """The counted noun after a count, past a share in parentheses ("50 (78%) persons")."""
    pos = m.end
    share = re.match(r"\s*\([^()]{1,12}\)", text[pos:])
    scaled = re.search(r"(?:thousand|million|billion)$", m.written, re.I) is not None
    found = noun_after(text, pos, singular_ok=m.value == 1 or scaled)
    if found is None and abs(Decimal(str(m.value))) >= 1000:  # "(1 150 000 kroner)": an amount's word
        last = re.match(r"[ \u00a0]+([A-Za-z][A-Za-z\-]*)(?=\s*[),;.]|\s*$)", text[pos:])
        if last is not None and last.group(1).lower() not in STOP and \
                not last.group(1).lower().endswith(("ed", "ing")):  # "1,615 scheduled,": no unit
            found = (last.group(1), pos + last.end())
    if found is None and share is not None:
        found = noun_after(text, pos + share.end(), singular_ok=m.value == 1)
    if found is not None:
        m.noun = found[0]
        m.unit = vocab.noun_unit(found[0])
        m.after = max(m.after, found[1])
    elif (shared := _SHARED_UNIT.match(text, pos)) is not None and \
            (found := noun_after(text, shared.end())) is not None:
        m.noun, m.unit = found[0], vocab.noun_unit(found[0])  # "3 or 4 persons": the second's noun


_NUMBER_WORD = (r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
                r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
                r"sixty|seventy|eighty|ninety|hundred|thousand|million|billion|half|halves|thirds?|"
                r"quarters?|fifths?|tenths?)")
_WORDS = re.compile(rf"\b(?:(?:an?|one)[ \u00a0]+)?{_NUMBER_WORD}(?:(?:[ \u00a0]+and[ \u00a0]+|[ \u00a0]+|-)"
                    rf"{_NUMBER_WORD})*\b", re.I)
_TIME_AFTER = re.compile(r"[ \u00a0]+(?:years?|months?|weeks?|days?)\b")
_QUANTIFIER_HALF = re.compile(r"(?:more|less|fewer)\s+than\s+$|at\s+least\s+$|over\s+$|under\s+$", re.I)


def _number_words(para: ParagraphMentions, vocab: Vocabulary, *, decimal_comma: bool | None) -> None:
    """Numbers written in words: "three categories", "Two of them", "a quarter of the 312"."""
    from kzfacts.draft.library import read_words

    text = para.text
    for m in _WORDS.finditer(text):
        a, b = m.start(), m.end()
        if any(x.start < b and a < x.end for x in para.mentions) or \
                any(x < b and a < y for x, y, _ in para.not_claims):
            continue
        words = read_words(m.group())
        if words is None:
            continue
        rest = text[b:b + 40]
        head = text[max(0, a - 20):a]
        per_cent = _PERCENT.match(text, b)
        if per_cent is not None and not words.percent:
            b = per_cent.end()
        elif words.percent:
            if not re.match(r"\s+of\b", rest) or (words.value == 50 and _QUANTIFIER_HALF.search(head)):
                continue
        else:
            low = m.group().lower()
            if low == "one":
                if re.search(r"\b(?:no|any|every|each|some|the|this|that)\s+$", head, re.I) or not re.match(
                        r"\s+(?:was|is|has|had|remains|remained|died|person|case|child|woman|man|victim)\b",
                        rest):
                    continue
            elif words.value < 2 or re.match(r"\s+(?:or|to|and|times)\b|-", rest) or not re.match(
                    r"\s+[A-Za-z]", rest):
                continue  # "one or two", "two to three": no figure
        before = _qualifier_before(text, a)
        w0 = before[0] if before is not None and before[2] else a
        if before is not None and before[1] == "over" and _TIME_AFTER.match(text[b:]):
            w0 = a  # "over five years": during them
        reading = _read(text[w0:b], vocab, decimal_comma=decimal_comma)
        if reading is None or abs(Decimal(reading.value)) > _LARGEST:
            continue
        kind = "share" if words.percent or per_cent is not None else "count"
        time = re.match(r"[ \u00a0]+(years?|months?|weeks?|days?)\b", text[b:]) if kind == "count" else None
        if time is not None:  # "five years": a duration
            kind, b = "duration", b + time.end()
            reading = _read(text[w0:b], vocab, decimal_comma=decimal_comma)
            if reading is None:
                continue
        unit = "percent" if kind == "share" else TIME[time.group(1).lower()] if time else None
        mention = Mention(w0, b, text[w0:b], kind, reading.value, unit, after=b,
                          qualifier=reading.qualifier.value)
        if kind == "count":
            _noun(mention, text, vocab)
        mention.sentence = para.sentence_of(w0)
        para.mentions.append(mention)


# -- periods --------------------------------------------------------------------------------

_EVENT_BEFORE = re.compile(r"\b(?:since|from|until|till|by|dated|of|on|before|after|effective|"
                           r"adopted|signed|established|founded)\s+(?:the\s+)?(?:year\s+)?$", re.I)
_PERIOD_BEFORE = re.compile(r"\b(?:in|for|during|throughout|as\s+of|as\s+at|at\s+the\s+end\s+of|"
                            r"by\s+the\s+end\s+of|over|within|in\s+the\s+period\s+of|"
                            r"in\s+the\s+period)\s+(?:the\s+)?(?:year\s+)?$", re.I)
_ABSENCE = re.compile(r"\b(?:no\s+(?:such\s+)?[\w\-]+(?:\s+[\w\-]+){0,3}?\s+"
                      r"(?:was|were|has\s+been|have\s+been)\s+"
                      r"(?:recorded|registered|reported|found|identified|filed|received|detected)|"
                      r"not\s+a\s+single\b[^.;]*|none\s+(?:was|were)\b[^.;]*)", re.I)


_PER_YEAR = re.compile(r"\b(?:annual|annually|yearly|per\s+(?:year|annum)|a\s+year|each\s+year|"
                       r"every\s+year)\b", re.I)
_PER_MONTH = re.compile(r"\b(?:monthly|per\s+month|a\s+month|each\s+month|every\s+month)\b", re.I)
TOTAL_CUE = re.compile(r"\b(?:in\s+total|a\s+total\s+of|total(?:ling|ing)?|altogether|overall|in\s+all|"
                        r"cumulative(?:ly)?)\b", re.I)


def per_period_cue(text: str, m: Mention, sentence_start: int) -> tuple[str, re.Match[str]] | None:
    """Whether words give a figure per year or per month ("the annual budget is X", "X a
    month"): ``("year" or "month", the words)``."""
    for per, pattern in (("year", _PER_YEAR), ("month", _PER_MONTH)):
        near = pattern.search(text, max(sentence_start, m.start - 60), m.start)
        if near is not None and (TOTAL_CUE.search(text, near.end(), m.start)
                                 or re.search(r"[;:]|\b(?:19|20)\d\d\b", text[near.end():m.start])):
            near = None  # "annually ..., a total of X": X is the total; "...; from 2021" another's
        after = pattern.match(text[m.after:m.after + 16].lstrip(" ,"))  # "X annually"
        if (hit := near or after) is not None:
            return per, hit
    return None


def _role(text: str, t: Mention) -> str:
    if t.kind == "period":
        return "period"
    head = text[max(0, t.start - 40):t.start]
    if re.search(r"\bas\s+(?:of|at)\s+$", head, re.I) or (_PERIOD_BEFORE.search(head) and \
            not _EVENT_BEFORE.search(head)):
        return "period"
    if _EVENT_BEFORE.search(head):
        return "event"
    if re.match(r"\s*(?:[–—\-:]|\))", text[t.end:t.end + 3]):
        return "period"  # a label: "2015 – 630", "2021: 14"
    return "event"


def assign_periods(para: ParagraphMentions) -> None:
    """Give each value the period its sentence or its list label states.

    A year or date labels a value next to it ("2015 – 630", "31.5% in 2021"); otherwise the
    one period a sentence states ("In 2022, 945 cases...") is its values' period, and later
    sentences of the paragraph keep it until one states another. "Since 2013" and "dated"
    dates are events, drafted as date facts; so is a period no value takes.
    """
    text = para.text
    running: Mention | None = None
    for n in range(len(para.sentences)):
        here = [m for m in para.mentions if m.sentence == n]
        values = [m for m in here if m.is_value]
        times = [m for m in here if m.kind in ("year", "date", "period")]
        for t in times:
            t.role = _role(text, t)
        periodic = [t for t in times if t.role == "period"]
        labelled: dict[int, Mention] = {}
        for v in values:  # "31.5% in 2021", "630 (2015)": the year right after the figure
            year = next((t for t in periodic if t.start >= v.after
                         and not _between(values, v.end, t.start)), None)
            if year is not None and re.fullmatch(r"\s*(?:[A-Za-z][A-Za-z\s\-]{0,40}\s)?in\s+|\s*\(\s*",
                                                 text[v.after:year.start]):
                labelled[id(v)] = year
        for t in periodic:  # "2015 – 630", "for 2020 – 23.5 million", "In 2022, 945 cases"
            value = next((v for v in values if v.start >= t.end and not _between(values, t.end, v.start)),
                         None)
            if value is not None and id(value) not in labelled and _only_label(text[t.end:value.start]) \
                    and t not in labelled.values():
                labelled[id(value)] = t
        for u, v in itertools.pairwise(values):  # "2021 – 1,050,000 and 702,000"
            if id(u) in labelled and id(v) not in labelled and \
                    re.fullmatch(r"\s*(?:,\s*)?and\s+", text[u.after:v.start]):
                labelled[id(v)] = labelled[id(u)]
        for v in values:
            if id(v) in labelled:
                v.year_label = _year_of(labelled[id(v)])
        distinct = {t.value for t in periodic}
        attached = {id(t) for t in labelled.values()}
        free = [t for t in periodic if id(t) not in attached]
        own = free[0] if len({t.value for t in free}) == 1 else None
        if own is None and not free and len(distinct) == 1:
            own = periodic[0]  # "5,870 complaints in 2023": the sentence's one period
        if not values:
            continue
        for v in values:
            source = labelled.get(id(v)) or (own if periodic else running)
            if source is None:
                continue
            if source.kind == "period" and per_period_cue(text, v, para.sentences[n][0]) is not None:
                continue  # "2.4 million annually; from 2021 to 2023": each year's, not the span's
            v.period = str(source.value)
            if source.kind == "period":
                v.period_text = source.written
            if not source.used:
                source.used = True
                v.period_span = (source.start, source.end)
        if periodic:
            running = periodic[0] if len(distinct) == 1 else None
    _statements(para)


def _between(values: list[Mention], a: int, b: int) -> bool:
    return any(a <= v.start < b for v in values)


def _only_label(gap: str) -> bool:
    return re.fullmatch(r"\s*(?:[–—\-:]\s*|,\s*)?", gap) is not None


def _year_of(t: Mention) -> int | None:
    return int(str(t.value)[:4]) if t.kind in ("year", "date") else None


def _statements(para: ParagraphMentions) -> None:
    """Years and dates no value takes: an absence ("In 2023, no such facts were recorded")
    is a statement for that period; a range of years is a statement of its period; the rest
    are the dates of events."""
    text = para.text
    for t in [m for m in para.mentions if m.kind in ("year", "date", "period") and not m.used]:
        a, b = para.sentences[t.sentence]
        absence = _ABSENCE.search(text, a, b)
        if absence is not None and t.role == "period":
            t.kind, t.role = "statement", "absence"
            t.period = str(t.value) if t.period is None else t.period
            t.period_span = (t.start, t.end)
            t.after = absence.end()
            t.used = True
        elif t.kind == "period":
            t.kind, t.role = "statement", "period"
            t.period_span = (t.start, t.end)
            t.used = True
        else:
            t.kind, t.role = "date", "event"
