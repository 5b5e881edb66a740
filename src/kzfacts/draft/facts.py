"""Facts from mentions: an id, a subject, and a quote the loader accepts."""

from __future__ import annotations

import re
from collections import Counter

from kzfacts.draft.extract import Mention, ParagraphMentions
from kzfacts.draft.library import find_numbers
from kzfacts.draft.model import DraftFact, DraftNotClaim
from kzfacts.draft.text import clause_bounds, slug, unique_quote

__all__ = ["build_facts"]

_LABEL_BEFORE = re.compile(r"([A-Za-z][^,;:()\d–—]{0,60}?)\s*[–—\-]\s*$")
_LABEL_AFTER = re.compile(r"^\s*[–—\-]\s*([A-Za-z][^,;:()\d–—]{0,60}?)(?=\s*(?:,|;|\.|\band\b|$))")
_LEAD_TRIM = re.compile(r"^(?:(?:In|in|For|for|During|As of|By)\s+\d{4}\s*,?\s*)")


def _label(text: str, m: Mention) -> tuple[str, int] | None:
    """ "murder – 120": ``("murder", where it starts)``; "22% - human rights defenders"."""
    if m.year_label is None:
        before = _LABEL_BEFORE.search(text, max(0, m.start - 64), m.start)
        if before is not None:
            words = re.split(r"\b(?:including|of\s+which|of\s+them|namely)\s+|:\s*",
                             before.group(1).strip())[-1].strip()
            if words:
                return words, before.end(1) - len(words)
    after = _LABEL_AFTER.match(text[m.after:m.after + 64])
    if after is not None:
        return after.group(1).strip(), m.after
    return None


def _words(text: str, limit: int = 16) -> str:
    out = " ".join(text.split())
    out = out.strip(" ,;:–—-()\"“”")
    words = out.split(" ")
    return " ".join(words[:limit])


def _subject(para: ParagraphMentions, m: Mention, label: str | None) -> str:
    text = para.text
    a, b = para.sentences[m.sentence]
    if m.year_label is not None:
        first = min((x.start for x in para.mentions if x.sentence == m.sentence and x.kind in
                     ("year", "date") and x.start >= a), default=m.start)
        lead = _LEAD_TRIM.sub("", text[a:first].strip())
        lead = _words(lead)
        return f"{lead} ({m.year_label})" if lead else f"figure for {m.year_label}"
    c0, c1 = clause_bounds(text, m.start, max(m.end, m.after), a, b)
    if m.kind == "statement":  # "In 2023, no such facts were recorded": the words, period and all
        return _words(text[min(c0, m.start):max(c1, m.after)], 24)
    clause = _words(text[c0:m.start] + " " + re.sub(r"^\s*\([^()]*\)", "", text[m.end:c1]))
    if label:
        return f"{label}: {clause}" if clause and label not in clause else label
    return clause or f"{m.unit or m.kind} in paragraph {para.number}"


def _slug_for(para: ParagraphMentions, m: Mention, label: str | None, subject: str) -> str:
    if m.year_label is not None:
        return slug(subject.rsplit(" (", 1)[0]) or m.kind
    if label:
        return slug(label) or m.kind
    if m.kind == "date":
        return "date_" + (slug(subject, limit=2) or "event")
    text = para.text
    tail = re.sub(r"^\s*\([^()]*\)", "", text[m.end:min(len(text), m.after + 60)])
    return slug(tail) or slug(subject) or re.sub(r"[^a-z0-9_]+", "_", (m.unit or m.kind).lower()).strip("_")


def _want(para: ParagraphMentions, m: Mention, label_start: int | None) -> tuple[int, int]:
    """The words the quote would like to show: the number's clause, from its label."""
    text = para.text
    a, b = para.sentences[m.sentence]
    c0, c1 = clause_bounds(text, m.start, max(m.end, m.after), a, b)
    start = label_start if label_start is not None and label_start >= a else m.start
    following = [x.start for x in para.mentions if x.start >= max(m.end, m.after)]
    if following:  # never into the next number's words
        c1 = min(c1, max(m.after, following[0] - 1))
    end = max(m.end, min(c1, m.after + 48))
    if end < c1:
        space = text.rfind(" ", m.after, end + 1)
        end = space if space > m.after else m.after
    del c0
    return start, max(end, m.after if m.after <= b else m.end)


def build_facts(para: ParagraphMentions, taken_ids: Counter[str],
                pairs: dict[int, Mention]) -> tuple[list[DraftFact], list[DraftNotClaim]]:
    """The facts and non-claims of one paragraph; ``pairs`` maps a share to the count it
    is written beside (its id becomes ``<count id>.share``)."""
    text = para.text
    facts: list[DraftFact] = []
    lists: Counter[tuple[int, int]] = Counter(
        (m.sentence, m.year_label) for m in para.mentions if m.year_label is not None and m.is_value)
    position: Counter[tuple[int, int]] = Counter()
    covered: list[tuple[int, int]] = []
    ordered = sorted(para.mentions, key=lambda m: (m.kind == "share" and id(m) in pairs, m.start))
    for m in ordered:
        if m.kind in ("year", "period") or (m.kind == "date" and m.role == "period" and m.used):
            continue
        found = _label(text, m) if m.is_value else None
        label = found[0] if found else None
        subject = _subject(para, m, label)
        base = _slug_for(para, m, label, subject)
        if m.year_label is not None and lists[(m.sentence, m.year_label)] > 1:
            position[(m.sentence, m.year_label)] += 1
            base = f"{base}_{position[(m.sentence, m.year_label)]}"
        partner = pairs.get(id(m))
        if partner is not None and partner.id:
            ident = partner.id + ".share"
        else:
            ident = f"p{para.number:02d}.{base}" + (f".{m.year_label}" if m.year_label is not None else "")
            if m.kind == "share" and not ident.endswith("share"):
                ident += ".share" if m.year_label is None else ""
        taken_ids[ident] += 1
        if taken_ids[ident] > 1:
            ident = _unique(ident, taken_ids)
        m.id, m.subject = ident, subject
        include = [m.period_span] if m.period_span is not None else []
        want = _want(para, m, found[1] if found else None)
        if m.kind == "statement":
            want = (min(m.start, m.period_span[0] if m.period_span else m.start), max(m.end, m.after))
        span = unique_quote(text, (m.start, m.end), include=include, want=want)
        if span is None and include:
            span = unique_quote(text, (m.start, m.end), want=want)
            m.period_span = None
        if span is None:
            para.not_claims.append((m.start, m.end, "a number the drafter could not quote once in "
                                    "its paragraph (drafted as not a claim: review it)"))
            m.id = ""
            continue
        quote = text[span[0]:span[1]]
        facts.append(_fact(para.number, m, quote))
        covered.append((m.start, m.end))
        if m.period_span is not None and m.period is not None:
            years = {m.period[:4], *re.findall(r"\d{4}", m.period)}
            days = re.findall(r"\d{4}-\d{2}-(\d{2})", m.period)
            for number in find_numbers(text[m.period_span[0]:m.period_span[1]]):
                if number.text in years or number.text in {str(int(d)) for d in days}:
                    covered.append((m.period_span[0] + number.start, m.period_span[0] + number.end))
    _account(para, covered)
    return facts, _not_claims(para)


def _account(para: ParagraphMentions, covered: list[tuple[int, int]]) -> None:
    """Every number of the paragraph is a fact's, its period's, or a non-claim's: one the
    drafter could not place becomes a non-claim to review (the draft still loads)."""
    spans = covered + para.covered + [(a, b) for a, b, _ in para.not_claims]
    for number in find_numbers(para.text):
        if not any(a <= number.start and number.end <= b for a, b in spans):
            para.not_claims.append((number.start, number.end, "a number the drafter could not place "
                                    "(drafted as not a claim: review it)"))


def _unique(ident: str, taken: Counter[str]) -> str:
    head, dot, year = ident.rpartition(".")
    if dot and year.isdigit():
        stem, suffix = head, "." + year
    else:
        stem, suffix = ident, ""
    n = 2
    while f"{stem}_{n}{suffix}" in taken:
        n += 1
    out = f"{stem}_{n}{suffix}"
    taken[out] += 1
    return out


def _fact(paragraph: int, m: Mention, quote: str) -> DraftFact:
    if m.kind == "statement":
        return DraftFact(m.id, "statement", paragraph, m.subject, quote, period=m.period,
                         period_text=m.period_text, note=m.note,
                         claim="none" if m.role == "absence" else None)
    if m.kind == "date":
        return DraftFact(m.id, "date", paragraph, m.subject, quote, value=str(m.value),
                         written=m.written, note=m.note)
    kind = m.kind if m.kind != "count" or m.unit is not None else "count"
    return DraftFact(m.id, kind, paragraph, m.subject, quote, value=m.value,
                     unit=m.unit or "item", written=m.written, period=m.period,
                     period_text=m.period_text, qualifier=m.qualifier, note=m.note)


def _bounded(text: str, a: int, b: int) -> tuple[int, int]:
    """``text[a:b]`` widened to word boundaries ("0" of "0A0" is the whole "0A0")."""
    while a > 0 and text[a - 1].isalnum() and text[a].isalnum():
        a -= 1
    while b < len(text) and text[b].isalnum() and text[b - 1].isalnum():
        b += 1
    return a, b


def _not_claims(para: ParagraphMentions) -> list[DraftNotClaim]:
    out: dict[str, DraftNotClaim] = {}
    for start, end, why in sorted(para.not_claims):
        a, b = _bounded(para.text, start, end)
        words = para.text[a:b].strip()
        if words and words not in out:
            out[words] = DraftNotClaim(para.number, words, why)
    return list(out.values())
