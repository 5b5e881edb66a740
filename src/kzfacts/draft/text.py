"""Plain-text helpers of the drafter: paragraphs, sentences, clauses, nouns and quotes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from kzfacts.draft.library import occurrences, split_paragraphs
from kzfacts.draft.model import Paragraph

__all__ = ["choose_style", "clause_bounds", "decimal_comma", "noun_after", "sentences", "singular",
           "slug", "stems", "unique_quote", "words_of"]

#: Styles tried, in order of preference when two number as many paragraphs.
_STYLES = ("§ 1", "Paragraph 1", "1.", "1)")


def choose_style(text: str) -> tuple[str, tuple[Paragraph, ...]]:
    """The paragraph style that numbers the most of the text, and its paragraphs.

    Unlike the loader's ``auto`` this never refuses: when two styles number the text (§
    paragraphs holding "1)" lists), the one that numbers more paragraphs wins, and the
    choice is recorded in ``document.yaml``. A style whose paragraphs leave most of the text
    in the preamble (a numbered list inside unnumbered text) loses to ``blocks``.
    """
    best: tuple[str, list[Any]] | None = None
    for style in _STYLES:
        try:
            found = split_paragraphs(text, style=style)
        except ValueError:
            continue
        if found[0].start > 0.5 * len(text.rstrip()):
            continue  # most of the text would be preamble: a list inside unnumbered text
        if best is None or len(found) > len(best[1]):
            best = (style, found)
    if best is None:
        best = ("blocks", split_paragraphs(text, style="blocks"))
    style, found = best
    return style, tuple(Paragraph(p.number, p.text) for p in found)


_COMMA_DECIMAL = re.compile(r"(?<![\d,.])\d+,(?:\d{1,2}|\d{4,})(?![\d,])")
_POINT_DECIMAL = re.compile(r"(?<![\d,.])\d+\.\d+(?![\d.])")
_POINT_GROUPS = re.compile(r"(?<![\d,.])\d{1,3}(?:\.\d{3}){2,}(?![\d.])")


def decimal_comma(text: str) -> bool | None:
    """``True`` when the text writes decimals with a comma and never with a point.

    A document that writes "3,7" and "1.234.567" (points grouping thousands) and no "7.8" is
    read with decimal commas, so that its "12,500" is twelve and a half; a document that
    mixes both (the bundled one writes "3,7%" beside "7.8%") is left to the reader, which
    decides each number by its digits.
    """
    commas = len(_COMMA_DECIMAL.findall(text))
    points = len(_POINT_DECIMAL.findall(text)) - len(_POINT_GROUPS.findall(text))
    dates = len(re.findall(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b", text))
    if commas and points - dates <= 0:
        return True
    return None


#: Abbreviations after which a point does not end a sentence.
_ABBREVIATIONS = frozenset({
    "no", "nos", "art", "arts", "para", "paras", "p", "pp", "mr", "mrs", "ms", "dr", "st",
    "vol", "cf", "e.g", "i.e", "eg", "ie", "inc", "ltd", "co", "vs", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "fig", "op", "ibid", "approx",
    "u.s", "u.n", "ch", "sec", "s"})

_BREAK = re.compile(r"[.!?](?=[\s\"”’)]*\s+[\"“‘(]?[A-Z0-9§])|;(?=\s+[A-Z])|[.!?](?=\s*$)|\n\s*\n")


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of a paragraph (a semicolon before a capital too).

    A point ends a sentence when an upper-case letter or a digit follows, unless it ends an
    abbreviation ("No. 622", "Art. 5") or is a decimal point; "etc." ends one.
    """
    out: list[tuple[int, int]] = []
    start = 0
    for m in _BREAK.finditer(text):
        if m.group().startswith("."):
            word = re.search(r"([A-Za-z.]+)$", text[start:m.start()])
            if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                continue
            if m.start() > 0 and text[m.start() - 1].isdigit() and m.end() < len(text) \
                    and text[m.end():m.end() + 1].isdigit():
                continue
        end = m.end() if not m.group().isspace() else m.start()
        if text[start:end].strip():
            out.append((start, end))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out or [(0, len(text))]


_CLAUSE_END = re.compile(r"[;:()\[\]]|,(?!\d{3})|\s[–—-]\s|\.(?!\d)")


def clause_bounds(text: str, start: int, end: int, lo: int = 0, hi: int | None = None,
                  ) -> tuple[int, int]:
    """The clause around ``text[start:end]``: up to the nearest punctuation either side
    (commas grouping thousands and decimal points excluded), within ``[lo, hi)``."""
    hi = len(text) if hi is None else hi
    left = lo
    for m in _CLAUSE_END.finditer(text, lo, start):
        left = m.end()
    stop = _CLAUSE_END.search(text, end, hi)
    right = stop.start() if stop else hi
    return left, right


_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


#: Words that end a noun phrase after a number, or are never the counted noun.
STOP = frozenset({
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "without", "and",
    "or", "but", "nor", "were", "was", "are", "is", "be", "been", "being", "have", "has", "had",
    "will", "would", "can", "could", "may", "might", "shall", "should", "must", "that", "which",
    "who", "whom", "whose", "this", "these", "those", "it", "its", "their", "them", "they", "he",
    "she", "his", "her", "we", "our", "as", "than", "per", "each", "every", "more", "less",
    "other", "such", "not", "no", "also", "only", "including", "among", "between", "into",
    "during", "over", "under", "within", "about", "after", "before", "since", "until", "while",
    "where", "when", "whereas", "there", "here", "then", "so", "if", "all", "both", "either",
    "neither", "respectively", "etc", "ie", "eg", "i.e", "e.g", "whereby", "thereof"
})

#: Plurals that do not end in -s, and nouns that are counted in the singular.
_IRREGULAR = {"people": "person", "persons": "person", "children": "child", "women": "woman",
              "men": "man", "staff": "staff", "personnel": "personnel", "police": "police",
              "feet": "foot", "teeth": "tooth", "mice": "mouse", "criteria": "criterion",
              "data": "data", "media": "media", "phenomena": "phenomenon"}
_INVARIANT = frozenset({"series", "species", "news", "means", "premises", "headquarters",
                        "status", "process", "analysis", "basis", "crisis", "thesis", "focus",
                        "census", "virus", "bus", "bonus", "campus", "corpus", "apparatus"})


def is_plural(word: str) -> bool:
    low = word.lower()
    if low in _IRREGULAR and low not in ("staff", "personnel", "police", "data", "media"):
        return True
    return (len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is"))
            and low not in _INVARIANT)


def singular(word: str) -> str:
    """An English noun's singular, by the common rules ("utilities" → "utility")."""
    low = word.lower()
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if low in _INVARIANT or not low.endswith("s") or low.endswith("ss"):
        return low
    if low.endswith("ies") and len(low) > 4:
        return low[:-3] + "y"
    if low.endswith(("ches", "shes", "xes", "zes", "sses", "oes")):
        return low[:-2]
    return low[:-1]


def noun_after(text: str, pos: int, *, singular_ok: bool = False) -> tuple[str, int] | None:
    """The counted noun right after a number ending at ``pos``: ``("requirements", end)``.

    Up to four words are read, stopping at punctuation, a function word or a participle;
    the noun is the last plural among them ("4,278 special requirements for..."), or with
    ``singular_ok`` the first word ("1 person", "2,4 million kroner"). Adjectives alone ("198
    municipal, ...") name no noun; an acronym names the unit ("30 BA") unless a plural
    follows it ("117 thousand UK pounds").
    """
    found: tuple[str, int] | None = None
    i = pos
    for _ in range(4):
        m = re.match(r"[ \u00a0]+([A-Za-z][A-Za-z'’\-]*)", text[i:])
        if not m:
            break
        word = m.group(1)
        low = word.lower().rstrip("'’")
        if low in STOP or low.endswith(("ed", "ing")):
            break
        i += m.end()
        if word.isupper() and len(word) > 1 and not is_plural(word):
            follows = re.match(r"[ \u00a0]+([A-Za-z][A-Za-z'’\-]*)", text[i:])
            if follows is not None and is_plural(follows.group(1)):
                continue  # "117 thousand UK pounds", "12 UN agencies": an adjective
            return (word, i) if found is None else found  # "30 BA": the acronym names the unit
        if singular_ok and found is None:  # "1 person", "2,4 million kroner": the next word
            return word, i
        if is_plural(word):
            found = (word, i)
    return found


def stems(text: str, *, without: Iterable[str] = ()) -> set[str]:
    """The content words of ``text`` as comparable stems (the first six letters of each word
    of four letters or more that is not a stop word): "compensated" and "compensation" meet."""
    skip = {form for w in without if w for form in (w.lower(), singular(w.lower()))}
    out = set()
    for word in words_of(text.replace("–", "-").replace("—", "-")):
        for piece in word.lower().split("-"):
            part = piece.strip("'’")
            if len(part) < 4 or part in STOP or part in skip or singular(part) in skip:
                continue
            out.add(part[:6])
    return out


def slug(text: str, *, limit: int = 3) -> str:
    """Up to ``limit`` content words of ``text`` as an id segment: ``"persons_convicted"``."""
    out: list[str] = []
    for word in words_of(text):
        low = re.sub(r"[^a-z0-9]+", "_", word.lower()).strip("_")
        if not low or low in STOP or len(low) < 3 or low in out:
            continue
        out.append(low)
        if len(out) == limit:
            break
    return "_".join(out)


@lru_cache(maxsize=16)
def _edges(text: str) -> tuple[list[int], list[int]]:
    """Where a quote may start and end: at the edges of whitespace-separated chunks, and
    inside a chunk after its opening or before its closing punctuation."""
    starts: list[int] = []
    ends: list[int] = []
    for m in re.finditer(r"\S+", text):
        a, b = m.start(), m.end()
        starts.append(a)
        ends.append(b)
        inner_a = a
        while inner_a < b and not text[inner_a].isalnum():
            inner_a += 1
        if a < inner_a < b:
            starts.append(inner_a)
        inner_b = b
        while inner_b > a and not text[inner_b - 1].isalnum() and text[inner_b - 1] != "%":
            inner_b -= 1
        if a < inner_b < b:
            ends.append(inner_b)
    return sorted(set(starts)), sorted(set(ends))


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (text[start].isalnum() and before.isalnum()) and \
        not (text[end - 1].isalnum() and after.isalnum())


def unique_quote(text: str, written: tuple[int, int], *, include: Sequence[tuple[int, int]] = (),
                 want: tuple[int, int] | None = None, max_steps: int = 60) -> tuple[int, int] | None:
    """The shortest quote around ``written`` that the loader accepts, or None.

    The quote stands once in the paragraph at word boundaries, ``text[written]`` stands
    once in it at word boundaries, and it holds every span of ``include`` (the year a period
    was read from). It grows from ``want`` (the clause the drafter would like to show,
    clipped to the sentence) word by word, left and right.
    """
    w0, w1 = written
    needle = text[w0:w1]
    lo = min([w0, *(a for a, _ in include)])
    hi = max([w1, *(b for _, b in include)])
    if want is not None:
        lo, hi = min(lo, want[0]), max(hi, want[1])
    starts, ends = _edges(text)  # the lists are shared: never changed here
    left = [s for s in starts if s <= lo]
    right = [e for e in ends if e >= hi]
    if not left or not right:
        return None
    left.reverse()  # nearest first
    found = _grow(text, (w0, needle), left, right, max_steps)
    if found is None and want is not None:  # the words wanted hold the number twice: fewer
        return unique_quote(text, written, include=include, max_steps=max_steps)
    return found


def _grow(text: str, written: tuple[int, str], left: list[int], right: list[int], max_steps: int,
          ) -> tuple[int, int] | None:
    w0, needle = written
    for step in range(min(max_steps, len(left) + len(right))):
        for i in range(step + 1):
            j = step - i
            if i >= len(left) or j >= len(right):
                continue
            a, b = left[i], right[j]
            if b <= a or not _bounded(text, a, b):
                continue
            quote = text[a:b]
            if quote != quote.strip():
                continue
            if occurrences(quote, needle, limit=2) != [w0 - a]:
                continue  # the loader reads the one occurrence: it must be this number's
            if len(occurrences(text, quote, limit=2)) == 1:
                return a, b
    return None
