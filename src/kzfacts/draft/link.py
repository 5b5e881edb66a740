"""How the numbers of a paragraph hang together: shares of wholes, parts of totals.

The words between numbers say it: "64 persons ..., of which 50 (78%) ..." makes 64 a total,
50 a part of it and 78% the part's share of it. :func:`link` reads those structures and gives
each count without a noun of its own the unit of the total it belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from kzfacts.draft.extract import Mention, ParagraphMentions
from kzfacts.draft.text import is_plural, stems
from kzfacts.draft.vocab import Vocabulary

__all__ = ["Group", "Links", "Share", "link"]

COUNTABLE = frozenset({"count", "money", "index"})


@dataclass(eq=False)
class Share:
    """A percentage, the count it is the share of (if the text gives it), and its whole."""

    share: Mention
    part: Mention | None
    whole: Mention | None
    pattern: str
    words: str
    explicit: bool = False  # the text names the whole: "67,4 per cent of the 611 cases"


@dataclass(eq=False)
class Group:
    """A total and the parts the text splits it into."""

    head: Mention
    parts: list[Mention]
    marker: str
    words: str
    relation: str = "eq"
    continued: bool = False  # parts found in the next sentence too
    outer: Mention | None = None  # the total the head is itself a part of


@dataclass
class Links:
    shares: list[Share] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    part_of: dict[int, Group] = field(default_factory=dict)  # id(part) -> its group
    comparisons: set[int] = field(default_factory=set)  # ids of "up from N" numbers
    restated: list[tuple[Mention, Mention, str]] = field(default_factory=list)  # later, earlier
    averages: list[tuple[Mention, Mention, Mention, str]] = field(default_factory=list)  # avg, total, count


_MARKERS = re.compile(r"\b(?:of\s+which|of\s+whom|of\s+them|of\s+these|of\s+those|among\s+them|"
                      r"among\s+whom|among\s+which|including|in\s+particular|namely|such\s+as|"
                      r"inter\s+alia|broken\s+down\s+as\s+follows|as\s+follows)\b|:", re.I)
_PART_MARKER = re.compile(r"^\s*(?:\([^()]*\)\s*)?(?:of\s+(?:them|these|those|whom|which)|"
                          r"among\s+them)\b", re.I)
_START_MARKER = re.compile(r"^\s*(?:of\s+(?:these|them|those|which|whom)|among\s+them|including|"
                           r"in\s+particular)\b[,\s]*", re.I)
_OF_THE_TOTAL = re.compile(r"^\s*(?:of|out\s+of)\s+(?:the\s+)?"
                           r"(?:total\s+(?:number\s+)?of\s+|all\s+(?:the\s+)?)"
                           r"(?P<noun>[A-Za-z]+)", re.I)
_COMPARISON = re.compile(r"\b(?:up|down|increase[ds]?|decrease[ds]?|rose|fell|grew|dropped|declined)"
                         r"\s+from\s+$|\b(?:compared\s+(?:with|to)|against|than|versus|vs\.?)\s+(?:the\s+)?$",
                         re.I)
_OPENERS = re.compile(r"\b(?:In\s+total|A\s+total\s+of|Total(?:ly)?|In\s+all|Overall|Altogether)\b", re.I)


def _between(text: str, a: Mention, b: Mention) -> str:
    return text[a.end:b.start]


def _countable(m: Mention) -> bool:
    return m.kind in COUNTABLE and not m.loose


def link(paragraphs: list[ParagraphMentions], vocab: Vocabulary) -> Links:
    """Shares, breakdowns and units of every paragraph (a total may stand in the previous
    paragraph: "Of the total number of persons who...")."""
    links = Links()
    previous: ParagraphMentions | None = None
    # Each paragraph is linked seeing the shares and groups of itself and of the paragraph
    # before (the furthest a total is looked for): the work per paragraph does not grow
    # with the document (it did, as the square of its paragraphs).
    shares_from = groups_from = 0  # where the paragraph before's shares and groups start
    for k, para in enumerate(paragraphs):
        near = Links(links.shares[shares_from:], links.groups[groups_from:], links.part_of,
                     links.comparisons, links.restated, links.averages)
        known_shares, known_groups = len(near.shares), len(near.groups)
        _comparisons(para, near)
        _shares_in_parentheses(para, near)
        _groups(para, near, previous, vocab)
        _continued_parts(para, near)
        _wholes(para, near, vocab, previous)
        _inherit_units(para, near, vocab)
        _restated(para, paragraphs[max(0, k - 3):k], near, vocab)
        _averages(para, near)
        shares_from, groups_from = len(links.shares), len(links.groups)
        links.shares += near.shares[known_shares:]
        links.groups += near.groups[known_groups:]
        previous = para
    return links


_AVERAGE = re.compile(r"\b(?:an\s+|the\s+)?average\s+(?:of\s+|amount\s+of\s+|was\s+|is\s+)?$|"
                      r"\bon\s+average,?\s+$|\baveraging\s+$", re.I)


def _averages(para: ParagraphMentions, links: Links) -> None:
    """ "46 victims ..., a total of 1 150 000 kroner, i.e. an average of 25 000 kroner per
    victim": the total over the count is the average (which the text has rounded: about)."""
    text = para.text
    for m in para.mentions:
        if not _countable(m) or not _AVERAGE.search(text[max(0, m.start - 30):m.start]):
            continue
        same = [x for x in para.mentions if x.sentence == m.sentence and x is not m and _countable(x)]
        total = next((x for x in same if x.kind == m.kind and x.unit == m.unit
                      and Decimal(str(x.value)) > Decimal(str(m.value))), None)
        count = next((x for x in same if x.kind == "count" and x is not total and x.unit != m.unit), None)
        if total is None or count is None:
            continue
        if m.qualifier == "exact":
            m.qualifier = "about"
            m.note = "an average the text gives rounded: read as about"
        a, b = para.sentences[m.sentence]
        links.averages.append((m, total, count, text[a:b]))


_BACK_REFERENCE = re.compile(
    r"(?:\b(?:[Tt]he|[Tt]hese|[Tt]hose|[Ii]n|[Oo]f\s+the|[Ff]or\s+the)|[A-Za-z]+['’]s)\s+$")


def _restated(para: ParagraphMentions, before: list[ParagraphMentions], links: Links,
              vocab: Vocabulary) -> None:
    """ "Of the 1,284,000 households", "In 10 cases sent to court": a figure stated again,
    with "the" (or "in") pointing back at where it was first given."""
    for i, m in enumerate(para.mentions):
        if m.kind not in COUNTABLE or m.loose or \
                not _BACK_REFERENCE.search(para.text[max(0, m.start - 12):m.start]):
            continue
        pool = list(para.mentions[:i]) + [x for p in reversed(before) for x in reversed(p.mentions)]
        for x in pool:
            if x is m or x.kind != m.kind or x.loose or x.value != m.value or x.qualifier != m.qualifier:
                continue
            if not vocab.same_kind(x.unit, m.unit) or (x.period and m.period and x.period != m.period):
                continue
            if x.unit != m.unit and x.unit is not None:
                if m.unit is not None:
                    m.note = (f"the text counts {m.noun!r}; counted as {x.unit}, as where the "
                              "figure is first given")
                m.unit = x.unit
            links.restated.append((m, x, para.text[max(0, m.start - 12):m.after].strip()))
            break


def _comparisons(para: ParagraphMentions, links: Links) -> None:
    for m in para.mentions:
        if m.is_value and _COMPARISON.search(para.text[max(0, m.start - 30):m.start]):
            links.comparisons.add(id(m))


def _shares_in_parentheses(para: ParagraphMentions, links: Links) -> None:
    """ "50 (78%)", "94% (202)", "10 cases or 4.7%", "5005 (49,2)" beside "381 (3,7%)"."""
    text = para.text
    ms = para.mentions
    paired: set[int] = set()

    def pair(share: Mention, part: Mention, pattern: str, end: int) -> None:
        links.shares.append(Share(share, part, None, pattern, text[min(share.start, part.start):end]))
        paired.add(id(part))

    for i, s in enumerate(ms):
        if s.kind != "share":
            continue
        prev = ms[i - 1] if i else None
        nxt = ms[i + 1] if i + 1 < len(ms) else None
        if s.in_parens and prev is not None and _countable(prev) and prev.sentence == s.sentence \
                and re.fullmatch(r"[^\d()]{0,40}\(\s*", _between(text, prev, s)) and id(prev) not in paired:
            pair(s, prev, "share-in-parentheses", _end_paren(text, s))
            prev.after = max(prev.after, _end_paren(text, s))
        elif nxt is not None and nxt.in_parens and _countable(nxt) and nxt.sentence == s.sentence \
                and re.fullmatch(r"\s*\(\s*", _between(text, s, nxt)):
            pair(s, nxt, "share-in-parentheses", _end_paren(text, nxt))
        elif (prev := _last_value(ms[:i])) is not None and _countable(prev) and prev.sentence == s.sentence \
                and id(prev) not in paired \
                and (re.fullmatch(r"(?:[ \u00a0]+[A-Za-z\-]+){0,3}\s*,?\s+or\s+", _between(text, prev, s))
                     or (re.fullmatch(r"[^;()]{0,140}?,?\s+(?:that\s+is|i\.\s?e\.,?|which\s+is|representing|"
                                     r"accounting\s+for|or\s+some|or\s+about)\s+", _between(text, prev, s))
                     and not _values_between(ms, prev, s))):
            pair(s, prev, "share-or", s.end)
        elif nxt is not None and _countable(nxt) and nxt.in_parens and nxt.sentence == s.sentence \
                and re.fullmatch(r"\s+of\s+(?:the\s+|all\s+)?[A-Za-z][^\d()]{0,60}\(\s*",
                                 _between(text, s, nxt)):
            pair(s, nxt, "share-in-parentheses", _end_paren(text, nxt))  # "Two thirds of the ... (32 143)"
    # "5005 (49,2)" among "N (P%)" pairs: the number in parentheses is a share too
    sentences_with_pairs = {sh.share.sentence for sh in links.shares if sh.part is not None
                            and sh.pattern == "share-in-parentheses"}
    for i, c in enumerate(ms):
        prev = ms[i - 1] if i else None
        if c.kind == "count" and c.in_parens and c.noun is None and prev is not None and _countable(prev) \
                and prev.sentence == c.sentence and c.sentence in sentences_with_pairs \
                and id(prev) not in paired and Decimal(str(c.value)) <= 100 \
                and Decimal(str(c.value)) < Decimal(str(prev.value)) \
                and re.fullmatch(r"\s*\(\s*", _between(text, prev, c)):
            c.kind, c.unit = "share", "percent"
            c.note = "a number in parentheses beside shares in percent: read as a share"
            pair(c, prev, "share-in-parentheses", _end_paren(text, c))
            prev.after = max(prev.after, _end_paren(text, c))


def _last_value(ms: list[Mention]) -> Mention | None:
    return next((x for x in reversed(ms) if x.is_value), None)


#: Words after a share's whole that restate its part: ", that is 71 persons".
_RESTATED = re.compile(r"[^\d.;:()]{0,60}?,\s*(?:that\s+is|i\.\s?e\.,?|namely|or)\s+(?:some\s+|about\s+)?",
                       re.I)


def _values_between(ms: list[Mention], a: Mention, b: Mention) -> bool:
    return any(a.end <= x.start < b.start and x.is_value for x in ms)


def _end_paren(text: str, m: Mention) -> int:
    close = re.match(r"\s*\)", text[m.end:])
    return m.end + close.end() if close else m.end


def _share_of(links: Links, m: Mention) -> Share | None:
    return next((s for s in links.shares if s.share is m), None)


def _is_share_part(links: Links, m: Mention) -> bool:
    return any(s.part is m for s in links.shares)


def _groups(para: ParagraphMentions, links: Links, previous: ParagraphMentions | None,
            vocab: Vocabulary) -> None:
    text = para.text
    ms = [m for m in para.mentions if m.is_value or m.kind == "share"]
    last_head: Group | None = None
    for i, m in enumerate(ms):
        sentence = para.sentences[m.sentence]
        # "Of these, 673 cases...", "Of the total number of persons who..., 359 people"
        first = next((x for x in ms if x.sentence == m.sentence), None)
        if first is m and m.kind != "share":
            lead = text[sentence[0]:m.start]
            opener = _START_MARKER.match(lead)
            total = _OF_THE_TOTAL.match(lead)
            head = None
            if opener is not None and last_head is not None:
                head = last_head.head
            elif opener is not None:
                head = _last_countable(ms[:i])
            elif total is not None:
                head = _total_named(total["noun"], ms[:i], previous, vocab)
            if head is not None and m is not head:
                parts = _parts_after(para, links, ms, i - 1, m.sentence)
                found = opener or total
                assert found is not None
                # "In particular, 4,780 (47%) of them ...": "of them" says a split of the total
                of_them = _PART_MARKER.match(text[m.after:m.after + 40])
                marker = "of them" if of_them else " ".join(found.group().lower().strip(" ,").split())
                end = m.after + (of_them.end() if of_them else 0)
                words = found.group().strip(" ,") + " … " + text[m.start:end]
                _add_group(links, Group(head, parts, marker, words))
                continue
        if not _countable(m) or id(m) in links.comparisons:
            continue
        # "543 of them", "4,780 (47%) of them": a part of the last total
        part_marker = _PART_MARKER.match(text[m.after:m.after + 40]) or \
            _PART_MARKER.match(text[m.end:m.end + 40])
        if part_marker is not None and id(m) not in links.part_of:
            # "49 visits, 21 of which": the total just before, in the sentence; "In particular,
            # 4,780 (47%) of them": the last total before the sentence
            before = _last_countable([x for x in ms[:i] if x.sentence == m.sentence
                                      and id(x) not in links.comparisons])
            head = before or (last_head.head if last_head is not None and last_head.head is not m else
                              _last_countable([x for x in ms[:i] if id(x) not in links.comparisons]))
            if head is not None:
                parts = _parts_after(para, links, ms, i - 1, m.sentence)
                group = Group(head, parts, "of-them", text[m.start:m.after + 12].strip())
                _add_group(links, group)
                last_head = group
        # "Twenty-three of the 46 staff": a part, then its whole
        nxt_value = next((x for x in ms[i + 1:] if _countable(x)), None)
        if nxt_value is not None and nxt_value.sentence == m.sentence and id(m) not in links.part_of and \
                re.fullmatch(r"\s+of\s+(?:the|its|their|these|all)\s+", text[m.end:nxt_value.start]) and \
                m.kind == nxt_value.kind and Decimal(str(m.value)) <= Decimal(str(nxt_value.value)):
            _add_group(links, Group(nxt_value, [m], "of-the-n", text[m.start:nxt_value.after]))
            continue
        # a marker after the number: "64 persons ..., of which", "2,940 inspections:", "543 ... ("
        nxt = next((x for x in ms[i + 1:] if x.sentence == m.sentence), None)
        stop = nxt.start if nxt is not None else para.sentences[m.sentence][1]
        skip = part_marker.end() if part_marker is not None else 0
        gap = text[m.after + skip:stop]
        found = _MARKERS.search(gap)
        paren = re.match(r"[^()\d]{0,80}?\(", gap)
        if paren is not None and (found is None or found.start() > paren.start()):
            inside = _in_parentheses(text, m.after + skip + paren.end() - 1, ms)
            countable = [x for x in inside if _countable(x)]
            if len(countable) >= 2:
                group = Group(m, countable, "parenthesised",
                              text[m.start:_close(text, countable[-1])])
                _add_group(links, group)
                continue
        if found is not None and nxt is not None:
            parts = _parts_after(para, links, ms, i, m.sentence)
            if parts:
                words = text[m.start:m.after + skip] + gap[:found.end()]
                group = Group(m, parts, found.group().lower(), words)
                _add_group(links, group)
                last_head = group
                continue
        # "Of the 1,284,000 households served in 2023, 1,102,000 ... and 182,000 ..."
        lead = text[para.sentences[m.sentence][0]:m.start]
        if re.fullmatch(r"\s*(?:[Oo]f|[Oo]ut\s+of)\s+(?:the\s+|these\s+|all\s+)?", lead):
            parts = _parts_after(para, links, ms, i, m.sentence)
            if parts:
                group = Group(m, parts, "of-the", text[para.sentences[m.sentence][0]:m.after])
                _add_group(links, group)
                last_head = group
                continue
        if id(m) not in links.part_of and (
                _OPENERS.search(text[max(para.sentences[m.sentence][0], m.start - 30):m.start])
                or re.match(r"\s*in\s+total\b", text[m.after:m.after + 12], re.I)):
            last_head = Group(m, [], "total", "")
    _totals_after(para, links, ms)
    _continuations(para, links)


_TOTAL_BEFORE = re.compile(r"\b(?:in\s+total|a\s+total\s+of|total(?:ling|ing)?|altogether|overall|in\s+all)"
                           r"[\s,:]*$", re.I)


def _totals_after(para: ParagraphMentions, links: Links, ms: list[Mention]) -> None:
    """ "2020 – 120 units, 2021 – 135 units ...; in total 500 units": a total after its
    year figures."""
    text = para.text
    for i, m in enumerate(ms):
        if not _countable(m) or id(m) in links.part_of or m.year_label is not None or \
                not _TOTAL_BEFORE.search(text[max(0, m.start - 20):m.start]):
            continue
        parts = [x for x in ms[:i] if x.sentence == m.sentence and _countable(x) and x.year_label is not None
                 and id(x) not in links.part_of and x.kind == m.kind]
        if len(parts) >= 2 and len({x.year_label for x in parts}) == len(parts):
            _add_group(links, Group(m, parts, "in total", text[parts[0].start:m.after]))
            continue
        listed = _respectively(text, [x for x in ms[:i] if x.sentence == m.sentence], m)
        if listed:  # "312, 298, 305 and 280 respectively, a total of 1 215 persons"
            _add_group(links, Group(m, listed, "in total", text[listed[0].start:m.after]))


def _respectively(text: str, before: list[Mention], total: Mention) -> list[Mention]:
    """The figures of a list ending in "respectively" right before ``total``: each one
    after the other with only a comma or "and" between them, counts of the total's kind."""
    if not before or not re.fullmatch(r"\s+respectively[\s,;]*(?:and\s+)?(?:in\s+total|a\s+total\s+of|"
                                      r"total(?:ling|ing)?|altogether|overall|in\s+all)[\s,:]*",
                                      text[before[-1].after:total.start], re.I):
        return []
    listed = [before[-1]]
    for x in reversed(before[:-1]):
        if not re.fullmatch(r"\s*(?:,\s*(?:and\s+)?|and\s+)", text[x.after:listed[0].start]):
            break
        listed.insert(0, x)
    if len(listed) < 2 or not all(_countable(x) and x.kind == total.kind for x in listed):
        return []
    return listed


def _continued_parts(para: ParagraphMentions, links: Links) -> None:
    """ "Of the total number of persons who committed acts of self-harm, 359 people were on
    preventive registration ... 135 people have committed self-harm repeatedly": the first
    count of the sentence after a breakdown's part, counting its total's noun and repeating
    the breakdown's words (two content words or more), is another part of that total."""
    text = para.text
    for group in [g for g in links.groups if g.parts and g.parts[-1] in para.mentions]:
        head, last = group.head, group.parts[-1]
        following = [m for m in para.mentions if m.sentence == last.sentence + 1 and _countable(m)]
        if not following:
            continue
        c = following[0]
        a, b = para.sentences[c.sentence]
        if id(c) in links.part_of or c.kind != head.kind or c.unit != head.unit or c.unit is None or \
                any(g.head is c for g in links.groups) or _MARKERS.search(text, a, b):
            continue
        told = {p.sentence for p in group.parts if p in para.mentions}
        described = " ".join(text[slice(*para.sentences[n])] for n in sorted(told))
        nouns = [c.noun or "", head.noun or ""]
        if len(stems(text[a:b], without=nouns) & stems(described, without=nouns)) >= 2:
            _add_group(links, Group(head, [c], "continued", text[c.start:c.after + 30].strip(),
                                    continued=True))


def _close(text: str, m: Mention) -> int:
    m2 = re.search(r"\)", text[m.end:])
    return m.end + m2.end() if m2 else m.end


def _in_parentheses(text: str, open_at: int, ms: list[Mention]) -> list[Mention]:
    depth, end = 0, len(text)
    for k in range(open_at, len(text)):
        if text[k] == "(":
            depth += 1
        elif text[k] == ")":
            depth -= 1
            if depth == 0:
                end = k
                break
    return [x for x in ms if open_at < x.start < end]


def _parts_after(para: ParagraphMentions, links: Links, ms: list[Mention], i: int,
                 sentence: int) -> list[Mention]:
    """The countable numbers after ``ms[i]`` in its sentence: neither shares nor numbers
    inside a part's own parentheses."""
    text = para.text
    out: list[Mention] = []
    skip_until = -1
    rest = ms[i + 1:]
    for k, x in enumerate(rest):
        if x.sentence != sentence:
            break
        if x.start < skip_until or not _countable(x) or id(x) in links.comparisons:
            continue
        following = next((y for y in rest[k + 1:] if _countable(y)), None)
        if out and following is not None and following.sentence == sentence and \
                _PART_MARKER.match(text[following.after:following.after + 40]) and \
                not re.search(r"\band\s*$", text[x.after:following.start]):
            break  # "..., 18 of which ...; in 2021 it made 49 visits, 21 of which": a new total
        out.append(x)
        paren = re.match(r"[^()\d]{0,60}?\(", text[x.after:])
        if paren is not None:  # the part's own breakdown or share, in parentheses
            skip_until = _close(text, x) if "(" in text[x.after:x.after + paren.end()] else -1
            inside = [y for y in ms if x.after + paren.end() - 1 < y.start < skip_until]
            if not any(_countable(y) for y in inside) and len(inside) <= 1:
                skip_until = -1
    return out


def _last_countable(ms: list[Mention]) -> Mention | None:
    return next((x for x in reversed(ms) if _countable(x)), None)


def _total_named(noun: str, ms: list[Mention], previous: ParagraphMentions | None,
                 vocab: Vocabulary) -> Mention | None:
    """The last count of this noun's unit, here or in the previous paragraph."""
    unit = vocab.noun_unit(noun)
    pool = list(reversed(ms))
    if previous is not None:
        pool += list(reversed(previous.mentions))
    found = [x for x in pool if x.kind == "count" and x.unit == unit]
    return max(found, key=lambda x: Decimal(str(x.value))) if found else None


def _add_group(links: Links, group: Group) -> None:
    parts = [p for p in group.parts if p is not group.head and id(p) not in links.part_of]
    if not parts:
        return
    group.parts = parts
    outer = links.part_of.get(id(group.head))
    if outer is not None:
        group.outer = outer.head
    links.groups.append(group)
    for p in parts:
        links.part_of[id(p)] = group


def _continuations(para: ParagraphMentions, links: Links) -> None:
    """ "214 crimes ..., of which 94% (202) were terminated. 10 cases or 4.7% have been sent
    to the court, and 2 criminal offenses are in production.": the next sentence goes on
    splitting the total when a share of it says so."""
    for group in [g for g in links.groups if g.head in para.mentions and g.parts]:
        last = max(p.sentence for p in group.parts)
        following = [m for m in para.mentions if m.sentence == last + 1]
        shares = [s for s in links.shares if s.share in following and s.part is not None
                  and s.part in following]
        if not shares or any(_MARKERS.search(para.text[m.after:m.after + 30]) for m in following
                             if _countable(m)):
            continue
        extra = [m for m in following if _countable(m) and id(m) not in links.part_of
                 and id(m) not in links.comparisons]
        if extra:
            for s in shares:
                s.whole = group.head
            group.parts += extra
            group.continued = True
            for m in extra:
                links.part_of[id(m)] = group


def _wholes(para: ParagraphMentions, links: Links, vocab: Vocabulary,
            previous: ParagraphMentions | None) -> None:
    """The whole each share of this paragraph is of."""
    text = para.text
    ms = para.mentions
    for i, m in enumerate(ms):
        if m.kind != "share" or _share_of(links, m) is not None:
            continue
        nxt = next((x for x in ms[i + 1:] if _countable(x)), None)
        # "38% of the 43 private utilities", "78% of the 62 million thalers"
        if nxt is not None and nxt.sentence == m.sentence and re.fullmatch(
                r"\s+of\s+(?:the\s+|all\s+|these\s+|its\s+|their\s+)?", _between(text, m, nxt)):
            prev = next((x for x in reversed(ms[:i]) if _countable(x) and x.sentence == m.sentence), None)
            after = next((x for x in ms[ms.index(nxt) + 1:] if _countable(x)), None)
            if after is not None and after.in_parens and after.sentence == m.sentence and \
                    re.fullmatch(r"[^()]{0,80}\(\s*", text[nxt.after:after.start]) and \
                    not _values_between(ms, nxt, after):
                links.shares.append(Share(m, after, nxt, "share-of", text[m.start:_end_paren(text, after)],
                                          explicit=True))
                nxt.after = max(nxt.after, nxt.end)
                continue
            if after is not None and after.sentence == m.sentence and _RESTATED.fullmatch(
                    text, nxt.after, after.start) and not _values_between(ms, nxt, after):
                # "42 per cent of the 150 detainees interviewed, that is 71 persons"
                links.shares.append(Share(m, after, nxt, "share-of", text[m.start:after.after],
                                          explicit=True))
                continue
            part = prev if prev is not None and re.search(
                r"\b(?:made\s+up|accounted\s+for|represent(?:ed|s)?|constitut(?:ed|es?)|amount(?:ed|s)?\s+to|"
                r"equal(?:led|s)?|was|were|is|are)\s+(?:about\s+|some\s+|almost\s+|nearly\s+)?$",
                text[prev.after:m.start]) and vocab.same_kind(prev.unit, nxt.unit) else None
            links.shares.append(Share(m, part, nxt, "share-of", text[(part or m).start:nxt.after],
                                      explicit=True))
            continue
        group = links.part_of.get(id(m))
        head = group.head if group is not None else None
        if head is None:  # "of which 40% are...", "of which 22% - human rights defenders, 41% - ..."
            before = next((g for g in links.groups if m in g.parts), None)
            head = before.head if before is not None else None
        if head is None:
            prev = _last_countable([x for x in ms[:i] if x.sentence == m.sentence])
            if prev is not None and re.search(r"\b(?:of\s+which|of\s+whom|of\s+them|including)\b",
                                              text[prev.after:m.start]):
                head = prev
        if head is not None:
            links.shares.append(Share(m, None, head, "share-of-total", text[head.start:m.end]))
    for share in links.shares:
        if share.whole is not None or share.part is None:
            continue
        named = next((x for x in ms if x.start > share.share.end and _countable(x)), None)
        if named is not None and re.fullmatch(r"\s+of\s+(?:the\s+|all\s+|these\s+)?",
                                              text[share.share.end:named.start]):
            share.whole = named  # "412 convictions, representing 67,4 per cent of the 611 cases"
            share.explicit = True
            continue
        subject = next((g for g in links.groups if g.head is share.part and g.marker == "of-the-n"
                        and len(g.parts) == 1), None)
        if subject is not None and share.pattern == "share-or":
            share.part, share.whole = subject.parts[0], share.part  # "23 of the 46 ..., that is half"
            continue
        group = links.part_of.get(id(share.part))
        if group is not None:
            share.whole = group.head
            continue
        share.whole = _nearest_whole(para, links, share.part, vocab) or _named_whole(
            share, previous, vocab)


def _named_whole(share: Share, previous: ParagraphMentions | None, vocab: Vocabulary) -> Mention | None:
    """ "Two thirds of the registered persons (32 143)": the persons of the paragraph before."""
    named = re.search(r"\bof\s+(?:the|all|these|those)\s+((?:[A-Za-z\-]+\s+){0,3}[A-Za-z\-]+)", share.words)
    if previous is None or named is None or share.part is None:
        return None
    units = {vocab.noun_unit(w) for w in named.group(1).split() if is_plural(w)}
    found = [x for x in previous.mentions if x.kind == share.part.kind and x.unit in units and not x.loose
             and Decimal(str(x.value)) > Decimal(str(share.part.value))]
    return max(found, key=lambda x: Decimal(str(x.value))) if found else None


def _nearest_whole(para: ParagraphMentions, links: Links, part: Mention,
                   vocab: Vocabulary) -> Mention | None:
    """The total a share's count is most likely a part of: the last larger count of its
    kind before it in the paragraph, not a figure it is compared with."""
    candidates = [x for x in para.mentions if x.start < part.start and _countable(x)
                  and x.kind == part.kind and id(x) not in links.comparisons
                  and not _is_share_part(links, x) and vocab.same_kind(x.unit, part.unit)
                  and Decimal(str(x.value)) > Decimal(str(part.value))
                  and (x.period is None or part.period is None or x.period == part.period)]
    return candidates[-1] if candidates else None


def _count_as(m: Mention, unit: str | None, why: str) -> None:
    m.note = f"the text counts {m.noun!r}; counted as {unit}, the unit of {why}"
    m.unit = unit


def _inherit_units(para: ParagraphMentions, links: Links, vocab: Vocabulary) -> None:
    """A count without a noun counts what its total counts; a part named as another kind of
    event ("10 cases" of "214 crimes") is counted in its total's unit, and says so."""
    for group in list(links.groups):
        if not any(p in para.mentions for p in group.parts):
            continue
        head = group.head
        named = [p for p in group.parts if p.kind == head.kind and p.unit is not None]
        distinct = len({p.unit for p in named}) == len(named)
        if head.unit is not None and len(named) >= 2 and distinct and not any(
                vocab.same_kind(p.unit, head.unit) for p in named):
            # "9 members: 4 lawyers, 2 doctors ...": kinds of the total's noun, counted in it
            for p in named:
                _count_as(p, head.unit, f"the total it is a kind of ({head.noun})")
        for p in list(group.parts):
            if p.kind != head.kind:
                continue
            if p.period is None and head.period is not None:  # a part of a total of 2022 is of 2022
                p.period = head.period
            if p.unit is None and head.unit is not None:
                p.unit = head.unit
            elif p.unit != head.unit and head.unit is not None and vocab.same_kind(p.unit, head.unit):
                _count_as(p, head.unit, "the total it is part of")
            elif p.unit != head.unit and head.unit is not None:
                # "961 people ..., including 5 group facts": a part of another total of the sentence
                other = next((x for x in reversed(para.mentions[:para.mentions.index(p)])
                              if x is not head and x.sentence == p.sentence and x.kind == p.kind
                              and x.unit is not None and vocab.same_kind(x.unit, p.unit)
                              and id(x) not in links.part_of), None)
                if other is not None:
                    group.parts.remove(p)
                    if other.unit != p.unit:
                        _count_as(p, other.unit, "the total it is part of")
                    regroup = Group(other, [p], group.marker, group.words)
                    links.groups.append(regroup)
                    links.part_of[id(p)] = regroup
    for share in links.shares:
        part, whole = share.part, share.whole
        if part is None or whole is None or share.share not in para.mentions:
            continue
        if part.unit is None:
            part.unit = whole.unit
        elif whole.unit is None:
            whole.unit = part.unit
        elif part.unit != whole.unit and (vocab.same_kind(part.unit, whole.unit) or share.explicit):
            _count_as(part, whole.unit, "the whole its share is of")
    listed: str | None = None  # year lists without nouns count what the first one counts
    for m in para.mentions:
        if m.kind == "count" and m.unit is None and m.year_label is not None:
            if listed is None:
                a = para.sentences[m.sentence][0]
                nouns = [w for w in re.findall(r"[A-Za-z][A-Za-z\-]+", para.text[a:m.start]) if is_plural(w)]
                listed = vocab.noun_unit(nouns[-1]) if nouns else "item"
            m.unit = listed
    last: str | None = None
    for m in para.mentions:
        if m.kind == "count":
            if m.unit is None:
                m.unit = last
            last = m.unit or last
