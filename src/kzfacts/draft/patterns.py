"""Candidate rules: what the words around the numbers say must hold.

Each rule records the pattern that suggested it and the words it matched (``drafted``).
The patterns:

==========================  ===============================================================
``share-in-parentheses``    "50 (78%)", "94% (202)": share of the count's total; GRIM too
``share-or``                "10 cases or 4.7%"
``share-of``                "38% of the 43 utilities", "48.6 million made up 78% of 62 million"
``share-of-total``          "136 members, of which 22% ...": GRIM (no count given)
``breakdown``               "of which / of them / including / :" and "( ... )" after a total:
                            a sum (``eq``; ``le`` for "including", "etc.") or, one part, a bound
``shares-add-up``           the shares of one total's parts: 100% (or at most 100%)
``year-list``               "2015 – 630, 2016 – 679 ..." beside another list: one below the
                            other every year (a series), when the figures say which
``trend``                   "fell every year: 31.5% in 2021, 29.8% in 2022 ..." (an order);
                            "up from 1,236,500" (a bound)
``penalties-in-order``      "from 4 to 7 years; ... from 7 to 12 years": the ends rise
``average``                 "a total of X, that is an average of Y per victim": a mean
``restated``                "Of the 1,284,000 households": the same figure again
``table``                   a plain-text table's total row and column (see tables.py)
==========================  ===============================================================

Relations between figures further apart (conversions and the rates they imply, per-period
totals, means within a scale, quantifiers and claims, events in order, sub-counts) are
:mod:`kzfacts.draft.relations`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from kzfacts.draft.extract import Mention, ParagraphMentions
from kzfacts.draft.link import Group, Links, Share
from kzfacts.draft.rulemaker import RuleMaker, para_number, said, same, shown

__all__ = ["rules_for"]

_LE_MARKERS = frozenset({"including", "such as", "inter alia", "in particular", "among them",
                         "among whom", "among which"})
_OPEN = re.compile(r"\b(?:etc|et\s+cetera|and\s+others?\b|and\s+other\b|the\s+rest|inter\s+alia|"
                   r"among\s+others)\b", re.I)
_TREND_UP = re.compile(r"\b(?:rose|increased|grew|went\s+up|climbed)\b", re.I)
_TREND_DOWN = re.compile(r"\b(?:fell|decreased|declined|dropped|went\s+down|diminished)\b", re.I)
_EVERY_YEAR = re.compile(r"\b(?:every|each)\s+year\b|\byear\s+(?:on|after)\s+year\b|\bsteadily\b|"
                         r"\bconsistently\b|\bcontinuously\b|\bannually\b", re.I)
_UP_FROM = re.compile(r"\b(?:up|increased|rose|grew|an\s+increase)\s+from\s+$", re.I)
_DOWN_FROM = re.compile(r"\b(?:down|decreased|fell|dropped|declined|a\s+decrease|a\s+drop)\s+from\s+$", re.I)


def rules_for(maker: RuleMaker, paragraphs: list[ParagraphMentions], links: Links) -> None:
    """The candidate rules of the breakdowns, shares, lists and trends of each paragraph (the
    relations between figures further apart are :mod:`kzfacts.draft.relations`')."""
    for share in links.shares:
        _share_rules(maker, share)
    for group in links.groups:
        _group_rules(maker, group, links, paragraphs)
    _lone_shares(maker, links)
    for para in paragraphs:
        _year_lists(maker, para)
        _trends(maker, para, links)
        _penalties(maker, para)
    for average, total, count, words in links.averages:
        if average.id and total.id and count.id:
            maker.add("mean_within", [para_number(total)],
                      f"{shown(total)} over {shown(count)} is about {shown(average)}",
                      "The text gives the average of the total over the count.",
                      f"average: {said(words)}",
                      {"total": total.id, "count": count.id, "low": average.id, "high": average.id},
                      [total.id, count.id, average.id])
    for later, earlier, words in links.restated:
        if same(later, earlier):
            paras = [_para_of(paragraphs, earlier), _para_of(paragraphs, later)]
            maker.add("bound", paras, f"{shown(later)} is the same figure as {shown(earlier)}",
                      "The figure is stated again, with words that point back at it.",
                      f"restated: {said(words)}", {"left": later.id, "relation": "eq", "right": earlier.id},
                      [later.id, earlier.id], severity="warning")


def _para_of(paragraphs: list[ParagraphMentions], m: Mention) -> int:
    return next(p.number for p in paragraphs if m in p.mentions)


def _decimals(m: Mention) -> int:
    text = str(m.value)
    return len(text.split(".")[1]) if "." in text else 0


def _share_rules(maker: RuleMaker, share: Share) -> None:
    s, part, whole = share.share, share.part, share.whole
    if whole is None or not s.id or not whole.id or whole.loose or s.loose:
        return
    paras = [para_number(s), para_number(whole)]
    words = said(share.words)
    if part is not None and part.id and not part.loose and same(part, whole):
        maker.add("share", [*paras, para_number(part)], f"{shown(part)} of {shown(whole)} is {shown(s)}",
                  f"The text gives {shown(s)} as the share of {shown(part)} in the {shown(whole)}.",
                  f"{share.pattern}: {words}",
                  {"share": s.id, "part": part.id, "whole": whole.id}, [s.id, part.id, whole.id])
    exact_count = whole.kind == "count" and isinstance(whole.value, int) and whole.qualifier == "exact" \
        and s.qualifier == "exact" \
        and re.fullmatch(r"\d[\d ,.\u00a0\u202f]*", whole.written) is not None
    if exact_count and (part is None or whole.value < 100 * 10 ** _decimals(s)):
        maker.add("share", paras, f"Some whole number of the {shown(whole)} is {shown(s)}",
                  f"A percentage of {shown(whole)} counted items is the share of a whole number "
                  "of them (GRIM).", f"grim, {share.pattern}: {words}",
                  {"share": s.id, "whole": whole.id}, [s.id, whole.id])


def _relation(group: Group, links: Links, text: str) -> tuple[str, str]:
    """``(relation, why)`` of a breakdown: a partition (eq) or a list of some parts (le)."""
    if group.continued:
        return "le", "the parts continue in the next sentence, so the list may not be complete"
    if group.marker in _LE_MARKERS:
        return "le", f"{group.marker!r} lists some of the parts"
    end = max(p.after for p in group.parts)
    tail = text[group.head.start:min(len(text), end + 40)]
    if _OPEN.search(tail):
        return "le", "the list ends open ('etc.', 'others')"
    shares = [s for s in links.shares if s.part in group.parts and s.share.id]
    if shares and len(shares) == len(group.parts):
        top = sum(_upper(s.share) for s in shares)
        if top < 100:
            return "le", "the parts' shares add to less than 100%"
        return "eq", "the parts' shares make the whole"
    listed = group.marker in (":", "parenthesised", "in total", "namely", "as follows",
                              "broken down as follows")
    if len(group.parts) == 2 and not listed:
        words = text[group.parts[0].start:group.parts[1].after + 30]
        if not (_COMPLEMENT.search(words) and _COMPLEMENT_OTHER.search(words)) and not _REST.search(words):
            # "Of the 512 requests, 120 concerned bullying and 64 discrimination": two of
            # them, perhaps not all
            return "le", "two parts, and nothing says they are all of it"
    return "eq", "the text splits the total into these parts"


#: Pairs that split a whole in two: "1,087 were boys and 725 were girls".
_COMPLEMENT = re.compile(r"\b(?:men|male|males|boys|urban|public|nationals?|citizens|adults|"
                         r"accepted|upheld|granted|convicted|employed|first)\b", re.I)
_COMPLEMENT_OTHER = re.compile(r"\b(?:women|female|females|girls|rural|private|foreign(?:ers)?|"
                               r"non-citizens|children|minors|rejected|dismissed|refused|denied|"
                               r"acquitted|unemployed|second)\b", re.I)
_REST = re.compile(r"\b(?:the\s+rest|the\s+others?|the\s+remaining|remainder|all\s+other|other\s+\w+)\b",
                   re.I)


def _upper(m: Mention) -> Decimal:
    value = Decimal(str(m.value))
    return value + Decimal(1).scaleb(-_decimals(m)) / 2


def _group_rules(maker: RuleMaker, group: Group, links: Links,
                 paragraphs: list[ParagraphMentions]) -> None:
    head = group.head
    if not head.id or head.loose:
        return
    para = next(p for p in paragraphs if head in p.mentions or any(x in p.mentions for x in group.parts))
    text = para.text
    words = said(group.words or text[head.start:head.after])
    alike = [p for p in group.parts if same(p, head) and not p.loose]
    others = [p for p in group.parts if not same(p, head) and p.id and not p.loose]
    for p in others:  # "961 people ..., including 5 group facts involving 21 people"
        total = next((x for x in reversed(para.mentions[:para.mentions.index(p)])
                      if x is not p and x.sentence == p.sentence and same(x, p)
                      and x not in group.parts), None)
        if total is not None and Decimal(str(total.value)) >= 0:
            maker.add("bound", [para.number], f"{shown(p)} is part of the {shown(total)}",
                      f"{group.marker!r} names a part of the {shown(total)}.",
                      f"breakdown ({group.marker}): {words}",
                      {"left": p.id, "relation": "le", "right": total.id}, [p.id, total.id])
    if not alike:
        return
    years = [p.year_label for p in alike]
    if all(y is not None for y in years) and len(set(years)) == len(years) and len(alike) >= 2:
        if head.year_label is None:  # a list under a list: the year lists compare them
            _per_year(maker, para, group, alike, words)
        return
    relation, why = _relation(group, links, text)
    severity = "warning" if group.continued else "error"
    if len(alike) == 1:
        p = alike[0]
        maker.add("bound", [para.number], f"{shown(p)} is part of the {shown(head)}",
                  "The next sentence goes on about the total's parts in the same words."
                  if group.marker == "continued" else f"{group.marker!r} gives it as a part of the total.",
                  f"breakdown ({group.marker}): {words}",
                  {"left": p.id, "relation": "le", "right": head.id}, [p.id, head.id], severity=severity)
        return
    parts = " + ".join(shown(p) for p in alike)
    sign = "=" if relation == "eq" else "≤"
    maker.add("sum", [para.number], f"{parts} {sign} {shown(head)}", f"{group.marker!r}: {why}.",
              f"breakdown ({group.marker}): {words}",
              {"parts": [p.id for p in alike], "total": head.id, "relation": relation},
              [*(p.id for p in alike), head.id], severity=severity)
    if group.outer is not None and group.outer.id and same(group.outer, head):
        maker.add("sum", [para.number], f"{parts} ≤ {shown(group.outer)}",
                  f"The other reading: the list splits the {shown(group.outer)}, of which the "
                  f"{shown(head)} are a part; either way it cannot exceed it.",
                  f"breakdown ({group.marker}), outer total: {words}",
                  {"parts": [p.id for p in alike], "total": group.outer.id, "relation": "le"},
                  [*(p.id for p in alike), group.outer.id], severity="info")
    shares = [s for s in links.shares if s.part in alike and s.share.id and s.whole is head]
    if len(shares) >= 2:
        total_relation = relation if len(shares) == len(alike) else "le"
        maker.add("sum", [para.number], " + ".join(shown(s.share) for s in shares)
                  + (" can make 100%" if total_relation == "eq" else " ≤ 100%"),
                  "The shares of the parts of one total"
                  + (" split it: rounded, they need only admit 100%." if total_relation == "eq"
                     else " cannot exceed 100%."),
                  f"shares-add-up: {words}",
                  {"parts": [s.share.id for s in shares], "total": "100 percent",
                   "relation": total_relation}, [s.share.id for s in shares], severity="warning")


def _per_year(maker: RuleMaker, para: ParagraphMentions, group: Group, parts: list[Mention],
              words: str) -> None:
    """Year-labelled parts of a total: a total over those years (a sum), or a figure each
    year cannot exceed (a series)."""
    head = group.head
    series = {p.year_label: p for p in parts if p.year_label is not None}
    years = _contiguous(series)
    if years is None:
        return
    span = f"{years[0]}/{years[1]}"
    if head.period == span or (group.marker == "in total" and head.period is None):
        maker.add("sum", [para.number], " + ".join(shown(p) for p in parts) + f" = {shown(head)}",
                  f"The {shown(head)} of {span} is given year by year.",
                  f"annual-and-total: {words}",
                  {"parts": [p.id for p in parts], "total": head.id, "relation": "eq"},
                  [*(p.id for p in parts), head.id])
        return
    template = _template(series)
    if template is not None:
        maker.add("series", [para.number], f"Each year's figure is part of the {shown(head)}",
                  f"{group.marker!r}: each year's figure is a part of the {shown(head)}.",
                  f"breakdown by year ({group.marker}): {words}",
                  {"left": template, "relation": "le", "right": head.id, "years": list(years)},
                  [*(p.id for p in parts), head.id])


def _lone_shares(maker: RuleMaker, links: Links) -> None:
    """ "136 members ..., of which 22% - ..., 41% - ..., 22% - ... and 11% - ..., etc.": the
    shares of one whole, none with its count, cannot add to more than 100%."""
    by_whole: dict[int, list[Share]] = defaultdict(list)
    for s in links.shares:
        if s.part is None and s.whole is not None and s.pattern == "share-of-total" and s.share.id:
            by_whole[id(s.whole)].append(s)
    for shares in by_whole.values():
        if len(shares) < 2 or len({s.share.sentence for s in shares}) != 1:
            continue
        whole = shares[0].whole
        assert whole is not None
        maker.add("sum", [para_number(s.share) for s in shares],
                  " + ".join(shown(s.share) for s in shares) + " ≤ 100%",
                  f"Shares of the same {shown(whole)} cannot add to more than 100%.",
                  f"shares-add-up: {said(shares[0].words + ' …')}",
                  {"parts": [s.share.id for s in shares], "total": "100 percent", "relation": "le"},
                  [s.share.id for s in shares], severity="warning")


def _lists(para: ParagraphMentions) -> list[dict[int, Mention]]:
    """The year-labelled lists of a paragraph: per sentence and position, year → figure."""
    by_key: dict[tuple[int, int], dict[int, Mention]] = defaultdict(dict)
    counters: dict[tuple[int, int], int] = defaultdict(int)
    for m in para.mentions:
        if m.year_label is None or not m.is_value or not m.id or m.loose:
            continue
        counters[(m.sentence, m.year_label)] += 1
        by_key[(m.sentence, counters[(m.sentence, m.year_label)])][m.year_label] = m
    return [v for v in by_key.values() if len(v) >= 3]


def _template(series: dict[int, Mention]) -> str | None:
    prefixes = {m.id.rsplit(".", 1)[0] for m in series.values()}
    if len(prefixes) != 1 or not all(m.id.endswith(f".{y}") for y, m in series.items()):
        return None
    return prefixes.pop() + ".{year}"


def _contiguous(years: Iterable[int]) -> tuple[int, int] | None:
    ys = sorted(years)
    return (ys[0], ys[-1]) if ys and ys == list(range(ys[0], ys[-1] + 1)) else None


def _under(a: dict[int, Mention], b: dict[int, Mention]) -> bool:
    """``a`` is at or below ``b`` in every common year (of three or more)."""
    common = _contiguous(set(a) & set(b))
    if common is None or common[1] - common[0] < 2:
        return False
    return all(Decimal(str(a[y].value)) <= Decimal(str(b[y].value)) and same(a[y], b[y])
               for y in range(common[0], common[1] + 1))


def _year_lists(maker: RuleMaker, para: ParagraphMentions) -> None:
    """Lists over the same years: when one list is at or below another every year (or all
    but one), the text is read as giving a part and its whole."""
    lists = _lists(para)
    below_any = {id(a) for a in lists for b in lists if a is not b and _under(a, b)}
    for a in lists:
        if id(a) in below_any:
            continue  # only the list the others are under is compared with them
        below: list[dict[int, Mention]] = []
        for b in lists:
            if a is b:
                continue
            common = _contiguous(set(a) & set(b))
            first = next(iter(a.values()))
            if common is None or common[1] - common[0] < 2 or not all(
                    same(a[y], b[y]) and a[y].kind == "count" == first.kind for y in a if y in b):
                continue
            ys = range(common[0], common[1] + 1)
            over = sum(1 for y in ys if Decimal(str(b[y].value)) > Decimal(str(a[y].value)))
            smaller = sum(Decimal(str(b[y].value)) for y in ys) < sum(Decimal(str(a[y].value)) for y in ys)
            if over <= 1 and smaller:
                below.append(b)
        ta = _template(a)
        if ta is None:
            continue
        for b in below:
            tb = _template(b)
            common = _contiguous(set(a) & set(b))
            if tb is None or common is None:
                continue
            first_b = b[common[0]]
            a0, _ = para.sentences[first_b.sentence]
            stated = re.match(r"\s*(?:of\s+(?:these|them|which|whom)|among\s+them|including)\b",
                            para.text[a0:first_b.start], re.I) is not None
            maker.add("series", [para.number], "One list is part of the other, every year",
                      "The text gives the second list as part of the first ('of these')." if stated else
                      "Two lists over the same years, one at or below the other in (almost) every "
                      "year: read as a part and its whole.",
                      f"year-list: {said(first_b.subject)} within {said(a[common[0]].subject)}",
                      {"left": tb, "relation": "le", "right": ta, "years": list(common)},
                      [*(b[y].id for y in range(common[0], common[1] + 1)),
                       *(a[y].id for y in range(common[0], common[1] + 1))],
                      severity="error" if stated else "warning")
        if len(below) >= 2:
            common = _contiguous(set(a).intersection(*below))
            templates = [_template(b) for b in below]
            if common is not None and all(templates):
                ys = range(common[0], common[1] + 1)
                if sum(1 for y in ys if sum(Decimal(str(b[y].value)) for b in below) >
                       Decimal(str(a[y].value))) <= 1:
                    maker.add("series", [para.number], "The lists below one list add up to at most it, "
                              "every year", "Parts of one whole, each year.",
                              "year-list: " + ", ".join(said(b[common[0]].subject, 40) for b in below),
                              {"left": templates, "relation": "le", "right": ta, "years": list(common)},
                              [*(b[y].id for b in below for y in ys), *(a[y].id for y in ys)],
                              severity="warning")


def _trends(maker: RuleMaker, para: ParagraphMentions, links: Links) -> None:
    text = para.text
    for series in _lists(para) + _short_lists(para):
        years = sorted(series)
        first = series[years[0]]
        a, b = para.sentences[first.sentence]
        sentence = text[para.sentences[max(0, first.sentence - 1)][0] if first.sentence and not re.search(
            r"\d", text[a:first.start][:12]) else a:b]
        up, down = _TREND_UP.search(sentence), _TREND_DOWN.search(sentence)
        if (up is None) == (down is None) or not _EVERY_YEAR.search(sentence):
            continue
        if not all(same(series[y], first) for y in years) or _contiguous(years) is None:
            continue
        ordered = [series[y].id for y in (years if up else reversed(years))]
        maker.add("order", [para.number], ("Rose" if up else "Fell") + " every year",
                  f"The text says the figure {'rose' if up else 'fell'} every year.",
                  f"trend: {said((up or down).group() + ' … ' + sentence[:60])}",  # type: ignore[union-attr]
                  {"sequence": ordered, "strict": True}, ordered)
    for pair in _short_lists(para):  # "212 in 2022, compared with 190 in 2021. Thus ... decreased"
        _two_years(maker, para, pair)
    for m in para.mentions:  # "1,284,000 households in 2023, up from 1,236,500 in 2022"
        if id(m) not in links.comparisons or not m.id:
            continue
        head = text[max(0, m.start - 30):m.start]
        i = para.mentions.index(m)
        after = next((x for x in para.mentions[i + 1:] if x.sentence == m.sentence and x.is_value), None)
        if after is not None and same(after, m) and re.match(r"(?:\s+in\s+\d{4})?\s+to\s+$",
                                                              text[m.after:after.start]):
            other: Mention | None = after  # "rose from 64 in 2021 to 81 in 2023"
        else:
            other = next((x for x in reversed(para.mentions[:i])
                          if x.sentence == m.sentence and same(x, m)), None)
        if other is None or other.loose or m.loose:
            continue
        if _UP_FROM.search(head):
            relation, verb = "lt", "grew"
        elif _DOWN_FROM.search(head):
            relation, verb = "gt", "fell"
        else:
            continue
        maker.add("bound", [para.number], f"{verb.capitalize()} from {shown(m)} to {shown(other)}",
                  f"The text says the figure {verb} from {shown(m)}.", f"trend: {said(head.strip())}",
                  {"left": m.id, "relation": relation, "right": other.id}, [m.id, other.id])


_COMPARED = re.compile(r"\b(?:compared\s+(?:with|to)|as\s+against|against|versus|vs\.?|than\s+in)\s+", re.I)


def _two_years(maker: RuleMaker, para: ParagraphMentions, pair: dict[int, Mention]) -> None:
    """Two years' figures compared in one sentence ("212 in 2022, compared with 190 in
    2021"), and a rise or a fall said of them there or in the next sentence: the later year's
    figure is above (below) the earlier one's (warning: the words may speak of another
    figure)."""
    if len(pair) != 2:
        return
    (y0, early), (y1, late) = sorted(pair.items())
    if not same(early, late) or early.loose or late.loose:
        return
    text = para.text
    first, last = sorted((early, late), key=lambda m: m.start)
    if not _COMPARED.search(text, first.after, last.start):
        return
    a = para.sentences[first.sentence][0]
    n = first.sentence + 1
    b = para.sentences[n][1] if n < len(para.sentences) else para.sentences[first.sentence][1]
    told = text[a:first.start] + " " + text[last.after:b]  # not the words between the figures
    up, down = _TREND_UP.search(told), _TREND_DOWN.search(told)
    if (up is None) == (down is None):
        return
    relation, verb = ("gt", "rose") if up else ("lt", "fell")
    maker.add("bound", [para.number], f"{verb.capitalize()} from {shown(early)} in {y0} to "
              f"{shown(late)} in {y1}",
              f"The text compares the two years and says the figure {verb}.",
              f"trend: {said(text[a:b], 90)}", {"left": late.id, "relation": relation,
                                                "right": early.id},
              [late.id, early.id], severity="warning")


def _short_lists(para: ParagraphMentions) -> list[dict[int, Mention]]:
    """Year-labelled figures of one sentence, two of them or more (for trends)."""
    by: dict[int, dict[int, Mention]] = defaultdict(dict)
    for m in para.mentions:
        if m.year_label is not None and m.is_value and m.id:
            by[m.sentence].setdefault(m.year_label, m)
    return [v for v in by.values() if 2 <= len(v) < 3]


_PENALTY = re.compile(r"\b(?:punish\w*|imprison\w*|sentence[sd]?|penalt\w+|deprivation\s+of\s+liberty|"
                      r"detention|restriction\s+of\s+(?:liberty|freedom))\b", re.I)


def _penalties(maker: RuleMaker, para: ParagraphMentions) -> None:
    """ "punishable by imprisonment from 4 to 7 years, ... by a group, from 7 to 12 years,
    ... up to 15 years": the penalties of one sentence rise with the aggravation."""
    text = para.text
    for n, (a, b) in enumerate(para.sentences):
        terms = [m for m in para.mentions if m.sentence == n and m.id and (
            m.kind == "range" or (m.kind == "duration" and m.qualifier == "up_to"))]
        if len(terms) < 2 or len({m.unit for m in terms}) != 1 or not _PENALTY.search(text, a, b):
            continue
        uppers = [f"{m.id}@max" if m.kind == "range" else m.id for m in terms
                  if m.kind != "range" or (isinstance(m.value, tuple) and m.value[1] is not None)]
        lowers = [f"{m.id}@min" for m in terms if m.kind == "range" and isinstance(m.value, tuple)
                  and m.value[0] is not None]
        words = said(text[terms[0].start:terms[-1].end], 120)
        for which, sequence in (("upper", uppers), ("lower", lowers)):
            if len(sequence) >= 2:
                maker.add("order", [para.number], f"The penalties' {which} ends rise in the order given",
                          "Penalties listed in one sentence, each for a graver case: read as rising.",
                          f"penalties-in-order: {words}", {"sequence": sequence},
                          [s.split("@")[0] for s in sequence], severity="warning")


