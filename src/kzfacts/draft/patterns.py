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
``conversion``              "30 base amounts (4,500 thalers)", "48.6 million thalers or 4.32
                            million euros", with a rate of the reference data
``annual-and-total``        an annual figure and a total over N years: N × annual ≤ total
``quantifier``              "more than half", "most", "the majority", "none" with counts
``dates-in-order``          "In July 2022 ... and from January 2023": dates told in order
``restated``                "Of the 1,284,000 households": the same figure again
``table``                   a plain-text table's total row and column (see tables.py)
==========================  ===============================================================
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from kzfacts.draft.extract import Mention, ParagraphMentions
from kzfacts.draft.link import Group, Links, Share
from kzfacts.draft.model import DraftFact, DraftRule, RateTable
from kzfacts.draft.text import slug

__all__ = ["RuleMaker", "rules_for"]

_LE_MARKERS = frozenset({"including", "such as", "inter alia", "in particular", "among them",
                         "among whom", "among which"})
_OPEN = re.compile(r"\b(?:etc|et\s+cetera|and\s+others?\b|and\s+other\b|the\s+rest|inter\s+alia|"
                   r"among\s+others)\b", re.I)
_QUANTIFIERS = (
    (re.compile(r"\bmore\s+than\s+half\b", re.I), "more_than_half"),
    (re.compile(r"\bless\s+than\s+half\b", re.I), "minority"),
    (re.compile(r"\bat\s+least\s+half\b", re.I), "at_least_half"),
    (re.compile(r"\b(?:the|a)\s+(?:vast\s+|large\s+|overwhelming\s+)?majority\b", re.I), "majority"),
    (re.compile(r"\bmost\b(?!\s+(?:of\s+the\s+time|likely|important|recent|recently|serious|"
                r"severe|common|frequent|vulnerable|often|negatively|positively|[a-z]+ly\b))", re.I), "most"),
    (re.compile(r"\ba\s+minority\b", re.I), "minority"),
    (re.compile(r"\bnone\s+of\b", re.I), "none"),
)
_TREND_UP = re.compile(r"\b(?:rose|increased|grew|went\s+up|climbed)\b", re.I)
_TREND_DOWN = re.compile(r"\b(?:fell|decreased|declined|dropped|went\s+down|diminished)\b", re.I)
_EVERY_YEAR = re.compile(r"\b(?:every|each)\s+year\b|\byear\s+(?:on|after)\s+year\b|\bsteadily\b|"
                         r"\bconsistently\b|\bcontinuously\b|\bannually\b", re.I)
_UP_FROM = re.compile(r"\b(?:up|increased|rose|grew|an\s+increase)\s+from\s+$", re.I)
_DOWN_FROM = re.compile(r"\b(?:down|decreased|fell|dropped|declined|a\s+decrease|a\s+drop)\s+from\s+$", re.I)
_SAME_AMOUNT = re.compile(r"^\s*(?:\(\s*(?:about\s+|approximately\s+|some\s+)?|,?\s*or\s+|,?\s*i\.e\.,?\s+|"
                          r",?\s*(?:equivalent|equal)\s+to\s+|,?\s*worth\s+|,?\s*which\s+is\s+)$", re.I)
_ANNUAL = re.compile(r"\b(?:annual|annually|yearly|per\s+year|a\s+year|each\s+year|every\s+year)\b", re.I)
_FORWARD = re.compile(r"\b(?:from|since|then|later|subsequently|thereafter|into\s+force|took\s+effect|"
                      r"began|begun|started|until)\b", re.I)
_BACKWARD = re.compile(r"\b(?:follows?|following|after|previous|preceding|earlier|prior|before|"
                       r"replaced|formerly|first\s+report|last\s+report|ago)\b", re.I)


def _q(text: str, limit: int = 90) -> str:
    words = " ".join(text.split())
    if len(words) > limit:
        words = words[:limit].rsplit(" ", 1)[0] + " …"
    return f"\u201c{words}\u201d"


def _num(m: Mention) -> str:
    return " ".join(m.written.split())


class RuleMaker:
    """Collects the rules of a draft, each id once."""

    def __init__(self) -> None:
        self.rules: list[DraftRule] = []
        self._seen: set[tuple[str, tuple[str, ...], str]] = set()
        self._count: dict[int, int] = defaultdict(int)

    def add(self, kind: str, paragraphs: Iterable[int], title: str, why: str, drafted: str,  # noqa: PLR0917
            fields: dict[str, object], uses: Iterable[str], *, severity: str = "error") -> None:
        """Add a rule (the arguments in the order a rule is written)."""
        uses = tuple(dict.fromkeys(uses))
        if not uses or any(not u for u in uses):
            return
        key = (kind, tuple(sorted(uses)), repr(sorted(fields.items(), key=str)))
        if key in self._seen:
            return
        self._seen.add(key)
        paras = tuple(sorted(set(paragraphs)))
        self._count[paras[0]] += 1
        rule_id = f"draft.p{paras[0]:02d}.{kind}-{self._count[paras[0]]}"
        self.rules.append(DraftRule(rule_id, kind, title, severity, paras, why, drafted,
                                    fields, uses))


def _same(a: Mention, b: Mention) -> bool:
    return a.kind == b.kind and a.unit == b.unit and bool(a.id) and bool(b.id)


def rules_for(paragraphs: list[ParagraphMentions], links: Links, *, facts: dict[str, DraftFact],
              tables: dict[str, RateTable],
              document_year: int | None) -> tuple[list[DraftRule], list[DraftFact]]:
    """Every candidate rule of the draft, and the statement facts quantifier rules cite."""
    maker = RuleMaker()
    for share in links.shares:
        _share_rules(maker, share)
    for group in links.groups:
        _group_rules(maker, group, links, paragraphs)
    _lone_shares(maker, links)
    statements: list[DraftFact] = []
    taken = set(facts)
    for para in paragraphs:
        _year_lists(maker, para)
        _trends(maker, para, links)
        _conversions(maker, para, tables, document_year)
        _annual_and_total(maker, para)
        _dates_in_order(maker, para)
        _penalties(maker, para)
        statements += _quantifiers(maker, para, links, taken)
    for average, total, count, words in links.averages:
        if average.id and total.id and count.id:
            maker.add("mean_within", [_pnum(total)],
                      f"{_num(total)} over {_num(count)} is about {_num(average)}",
                      "The text gives the average of the total over the count.",
                      f"average: {_q(words)}",
                      {"total": total.id, "count": count.id, "low": average.id, "high": average.id},
                      [total.id, count.id, average.id])
    for later, earlier, words in links.restated:
        if _same(later, earlier):
            paras = [_para_of(paragraphs, earlier), _para_of(paragraphs, later)]
            maker.add("bound", paras, f"{_num(later)} is the same figure as {_num(earlier)}",
                      "The figure is stated again, with words that point back at it.",
                      f"restated: {_q(words)}", {"left": later.id, "relation": "eq", "right": earlier.id},
                      [later.id, earlier.id], severity="warning")
    return maker.rules, statements


def _para_of(paragraphs: list[ParagraphMentions], m: Mention) -> int:
    return next(p.number for p in paragraphs if m in p.mentions)


def _pnum(m: Mention) -> int:
    return int(m.id[1:3]) if m.id[1:3].isdigit() else int(m.id[1:].split(".")[0])


def _decimals(m: Mention) -> int:
    text = str(m.value)
    return len(text.split(".")[1]) if "." in text else 0


def _share_rules(maker: RuleMaker, share: Share) -> None:
    s, part, whole = share.share, share.part, share.whole
    if whole is None or not s.id or not whole.id or whole.loose or s.loose:
        return
    paras = [_pnum(s), _pnum(whole)]
    words = _q(share.words)
    if part is not None and part.id and not part.loose and _same(part, whole):
        maker.add("share", [*paras, _pnum(part)], f"{_num(part)} of {_num(whole)} is {_num(s)}",
                  f"The text gives {_num(s)} as the share of {_num(part)} in the {_num(whole)}.",
                  f"{share.pattern}: {words}",
                  {"share": s.id, "part": part.id, "whole": whole.id}, [s.id, part.id, whole.id])
    exact_count = whole.kind == "count" and isinstance(whole.value, int) and whole.qualifier == "exact" \
        and s.qualifier == "exact" \
        and re.fullmatch(r"\d[\d ,.\u00a0\u202f]*", whole.written) is not None
    if exact_count and (part is None or whole.value < 100 * 10 ** _decimals(s)):
        maker.add("share", paras, f"Some whole number of the {_num(whole)} is {_num(s)}",
                  f"A percentage of {_num(whole)} counted items is the share of a whole number "
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
    words = _q(group.words or text[head.start:head.after])
    same = [p for p in group.parts if _same(p, head) and not p.loose]
    others = [p for p in group.parts if not _same(p, head) and p.id and not p.loose]
    for p in others:  # "961 people ..., including 5 group facts involving 21 people"
        total = next((x for x in reversed(para.mentions[:para.mentions.index(p)])
                      if x is not p and x.sentence == p.sentence and _same(x, p)
                      and x not in group.parts), None)
        if total is not None and Decimal(str(total.value)) >= 0:
            maker.add("bound", [para.number], f"{_num(p)} is part of the {_num(total)}",
                      f"{group.marker!r} names a part of the {_num(total)}.",
                      f"breakdown ({group.marker}): {words}",
                      {"left": p.id, "relation": "le", "right": total.id}, [p.id, total.id])
    if not same:
        return
    years = [p.year_label for p in same]
    if all(y is not None for y in years) and len(set(years)) == len(years) and len(same) >= 2:
        if head.year_label is None:  # a list under a list: the year lists compare them
            _per_year(maker, para, group, same, words)
        return
    relation, why = _relation(group, links, text)
    severity = "warning" if group.continued else "error"
    if len(same) == 1:
        p = same[0]
        maker.add("bound", [para.number], f"{_num(p)} is part of the {_num(head)}",
                  f"{group.marker!r} gives it as a part of the total.",
                  f"breakdown ({group.marker}): {words}",
                  {"left": p.id, "relation": "le", "right": head.id}, [p.id, head.id])
        return
    parts = " + ".join(_num(p) for p in same)
    sign = "=" if relation == "eq" else "≤"
    maker.add("sum", [para.number], f"{parts} {sign} {_num(head)}", f"{group.marker!r}: {why}.",
              f"breakdown ({group.marker}): {words}",
              {"parts": [p.id for p in same], "total": head.id, "relation": relation},
              [*(p.id for p in same), head.id], severity=severity)
    if group.outer is not None and group.outer.id and _same(group.outer, head):
        maker.add("sum", [para.number], f"{parts} ≤ {_num(group.outer)}",
                  f"The other reading: the list splits the {_num(group.outer)}, of which the "
                  f"{_num(head)} are a part; either way it cannot exceed it.",
                  f"breakdown ({group.marker}), outer total: {words}",
                  {"parts": [p.id for p in same], "total": group.outer.id, "relation": "le"},
                  [*(p.id for p in same), group.outer.id], severity="info")
    shares = [s for s in links.shares if s.part in same and s.share.id and s.whole is head]
    if len(shares) >= 2:
        total_relation = relation if len(shares) == len(same) else "le"
        maker.add("sum", [para.number], " + ".join(_num(s.share) for s in shares)
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
        maker.add("sum", [para.number], " + ".join(_num(p) for p in parts) + f" = {_num(head)}",
                  f"The {_num(head)} of {span} is given year by year.",
                  f"annual-and-total: {words}",
                  {"parts": [p.id for p in parts], "total": head.id, "relation": "eq"},
                  [*(p.id for p in parts), head.id])
        return
    template = _template(series)
    if template is not None:
        maker.add("series", [para.number], f"Each year's figure is part of the {_num(head)}",
                  f"{group.marker!r}: each year's figure is a part of the {_num(head)}.",
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
        maker.add("sum", [_pnum(s.share) for s in shares],
                  " + ".join(_num(s.share) for s in shares) + " ≤ 100%",
                  f"Shares of the same {_num(whole)} cannot add to more than 100%.",
                  f"shares-add-up: {_q(shares[0].words + ' …')}",
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
    return all(Decimal(str(a[y].value)) <= Decimal(str(b[y].value)) and _same(a[y], b[y])
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
                    _same(a[y], b[y]) and a[y].kind == "count" == first.kind for y in a if y in b):
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
            said = re.match(r"\s*(?:of\s+(?:these|them|which|whom)|among\s+them|including)\b",
                            para.text[a0:first_b.start], re.I) is not None
            maker.add("series", [para.number], "One list is part of the other, every year",
                      "The text gives the second list as part of the first ('of these')." if said else
                      "Two lists over the same years, one at or below the other in (almost) every "
                      "year: read as a part and its whole.",
                      f"year-list: {_q(first_b.subject)} within {_q(a[common[0]].subject)}",
                      {"left": tb, "relation": "le", "right": ta, "years": list(common)},
                      [*(b[y].id for y in range(common[0], common[1] + 1)),
                       *(a[y].id for y in range(common[0], common[1] + 1))],
                      severity="error" if said else "warning")
        if len(below) >= 2:
            common = _contiguous(set(a).intersection(*below))
            templates = [_template(b) for b in below]
            if common is not None and all(templates):
                ys = range(common[0], common[1] + 1)
                if sum(1 for y in ys if sum(Decimal(str(b[y].value)) for b in below) >
                       Decimal(str(a[y].value))) <= 1:
                    maker.add("series", [para.number], "The lists below one list add up to at most it, "
                              "every year", "Parts of one whole, each year.",
                              "year-list: " + ", ".join(_q(b[common[0]].subject, 40) for b in below),
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
        if not all(_same(series[y], first) for y in years) or _contiguous(years) is None:
            continue
        ordered = [series[y].id for y in (years if up else reversed(years))]
        maker.add("order", [para.number], ("Rose" if up else "Fell") + " every year",
                  f"The text says the figure {'rose' if up else 'fell'} every year.",
                  f"trend: {_q((up or down).group() + ' … ' + sentence[:60])}",  # type: ignore[union-attr]
                  {"sequence": ordered, "strict": True}, ordered)
    for m in para.mentions:  # "1,284,000 households in 2023, up from 1,236,500 in 2022"
        if id(m) not in links.comparisons or not m.id:
            continue
        head = text[max(0, m.start - 30):m.start]
        i = para.mentions.index(m)
        after = next((x for x in para.mentions[i + 1:] if x.sentence == m.sentence and x.is_value), None)
        if after is not None and _same(after, m) and re.match(r"(?:\s+in\s+\d{4})?\s+to\s+$",
                                                              text[m.after:after.start]):
            other: Mention | None = after  # "rose from 64 in 2021 to 81 in 2023"
        else:
            other = next((x for x in reversed(para.mentions[:i])
                          if x.sentence == m.sentence and _same(x, m)), None)
        if other is None or other.loose or m.loose:
            continue
        if _UP_FROM.search(head):
            relation, verb = "lt", "grew"
        elif _DOWN_FROM.search(head):
            relation, verb = "gt", "fell"
        else:
            continue
        maker.add("bound", [para.number], f"{verb.capitalize()} from {_num(m)} to {_num(other)}",
                  f"The text says the figure {verb} from {_num(m)}.", f"trend: {_q(head.strip())}",
                  {"left": m.id, "relation": relation, "right": other.id}, [m.id, other.id])


def _short_lists(para: ParagraphMentions) -> list[dict[int, Mention]]:
    """Year-labelled figures of one sentence, two of them or more (for trends)."""
    by: dict[int, dict[int, Mention]] = defaultdict(dict)
    for m in para.mentions:
        if m.year_label is not None and m.is_value and m.id:
            by[m.sentence].setdefault(m.year_label, m)
    return [v for v in by.values() if 2 <= len(v) < 3]


def _rate_when(table: RateTable, period: str | None, document_year: int | None,
               ) -> tuple[dict[str, object], str] | None:
    """The ``rate`` a conversion asks for, if the table has a value then."""
    if period is not None and "/" in period:
        first, last = int(period[:4]), int(period.split("/")[1][:4])
    elif period is not None:
        first = last = int(period[:4])
    elif document_year is not None:
        first = last = document_year
    else:
        return None
    covered = any(first <= y <= last for y in table.years) or any(
        int(d[:4]) <= last for d in table.dated)
    if not covered:
        return None
    when = "the period the figures are given for" if period else \
        f"{first}, the last year the document gives figures for (assumed: no year is stated)"
    if first == last:
        return {"year": first}, when
    return {"years": [first, last]}, when


def _conversions(maker: RuleMaker, para: ParagraphMentions, tables: dict[str, RateTable],
                 document_year: int | None) -> None:
    text = para.text
    ms = para.mentions
    for a, b in itertools.pairwise(ms):
        if a.kind not in ("money", "index", "count") or b.kind not in ("money", "index", "count") \
                or a.unit == b.unit \
                or not a.id or not b.id or a.loose or b.loose or a.sentence != b.sentence:
            continue
        gap = text[a.end:b.start]
        if not _SAME_AMOUNT.match(gap):
            continue
        for name, table in sorted(tables.items()):
            num, _, den = table.unit.partition("/")
            if {num, den} != {a.unit, b.unit}:
                continue
            when = _rate_when(table, a.period or b.period, document_year)
            if when is None:
                continue
            rate, why = when
            money = a.kind == "money" and b.kind == "money"
            fields: dict[str, object] = {"amount": a.id, "result": b.id, "rate": {"table": name, **rate}}
            if money:
                fields["tolerance"] = "5%"
            maker.add("conversion", [para.number], f"{_num(a)} is {_num(b)}",
                      f"The two figures are the same amount; the rate of {name} in {why}."
                      + (" A year's rate approximates the day's, so 5% is tolerated." if money else ""),
                      f"conversion: {_q(text[a.start:b.end])}", fields, [a.id, b.id],
                      severity="warning" if money else "error")
            break


def _annual_and_total(maker: RuleMaker, para: ParagraphMentions) -> None:
    """ "The annual budget is 117 thousand euros ... from 2014 to 2023, 2 million 750
    thousand euros": ten annual budgets against the total."""
    text = para.text
    for m in para.mentions:
        if not m.is_value or not m.id or m.loose:
            continue
        a, _ = para.sentences[m.sentence]
        near = _ANNUAL.search(text, max(a, m.start - 60), m.start)  # "the annual budget is X"
        if near is not None and re.search(r"\btotal", text[near.end():m.start], re.I):
            near = None  # "annually ..., a total of X": X is the total
        if not (near or _ANNUAL.match(text[m.after:m.after + 12].lstrip())):  # "X annually"
            continue
        for t in para.mentions:
            if t is m or not _same(t, m) or t.period is None or "/" not in t.period or t.loose \
                    or m.period not in (None, t.period):
                continue
            first, last = int(t.period[:4]), int(t.period.split("/")[1][:4])
            n = last - first + 1
            if n < 2:
                continue
            maker.add("bound", [para.number], f"{n} annual figures of {_num(m)} fit in the {_num(t)}",
                      f"An annual figure and a total over {n} years ({t.period}): the total should "
                      f"be at least {n} times today's annual figure, unless it has grown.",
                      f"annual-and-total: {_q(text[max(a, m.start - 60):m.after])} … {_q(t.written)}",
                      {"left": {"fact": m.id, "times": str(n)}, "relation": "le", "right": t.id},
                      [m.id, t.id], severity="info")


def _dates_in_order(maker: RuleMaker, para: ParagraphMentions) -> None:
    text = para.text
    dates = [m for m in para.mentions if m.kind == "date" and m.id]
    for d1, d2 in itertools.pairwise(dates):
        a2 = para.sentences[d2.sentence][0]
        clause = text[max(a2, d2.start - 40):d2.start]
        between = text[d1.end:d2.start]
        ranged = re.fullmatch(r"\s*(?:to|until|till|through|[–—-])\s*", between) and \
            re.search(r"\bfrom\s+$", text[max(0, d1.start - 6):d1.start], re.I)
        if not ranged and (not _FORWARD.search(clause) or _BACKWARD.search(
                text[para.sentences[d1.sentence][0]:para.sentences[d2.sentence][1]])):
            continue
        maker.add("order", [para.number], f"{d1.written} comes before {d2.written}",
                  "The text tells these dates in order (" + ("a range" if ranged else
                                                            f"{_FORWARD.search(clause).group()!r}")  # type: ignore[union-attr]
                  + ").", f"dates-in-order: {_q(text[d1.start:d2.end], 120)}",
                  {"sequence": [d1.id, d2.id]}, [d1.id, d2.id], severity="warning")


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
        words = _q(text[terms[0].start:terms[-1].end], 120)
        for which, sequence in (("upper", uppers), ("lower", lowers)):
            if len(sequence) >= 2:
                maker.add("order", [para.number], f"The penalties' {which} ends rise in the order given",
                          "Penalties listed in one sentence, each for a graver case: read as rising.",
                          f"penalties-in-order: {words}", {"sequence": sequence},
                          [s.split("@")[0] for s in sequence], severity="warning")


def _larger_before(para: ParagraphMentions, part: Mention, links: Links) -> Mention | None:
    """The last larger figure of the part's kind before it in the paragraph."""
    found = [x for x in para.mentions[:para.mentions.index(part)] if _same(x, part)
             and id(x) not in links.comparisons and not x.loose
             and Decimal(str(x.value)) > Decimal(str(part.value))]
    return found[-1] if found else None


def _quantifiers(maker: RuleMaker, para: ParagraphMentions, links: Links,
                 taken: set[str]) -> list[DraftFact]:
    """ "including more than half of the violators ... (2,697)": part, whole, quantifier,
    and the words themselves as a statement fact."""
    from kzfacts.draft.text import unique_quote

    text = para.text
    out: list[DraftFact] = []
    for n, (a, b) in enumerate(para.sentences):
        for pattern, quantifier in _QUANTIFIERS:
            found = pattern.search(text, a, b)
            if found is None:
                continue
            after = [m for m in para.mentions if m.sentence == n and m.start > found.start()
                     and m.kind == "count" and m.id and not m.loose]
            named = None  # "more than half of the 1,240 complaints (812)": the whole, then the part
            if after and re.fullmatch(r"\s+of\s+(?:the\s+|all\s+|these\s+)?",
                                      text[found.end():after[0].start]):
                named, after = after[0], after[1:]
            part = after[0] if after else None
            if part is None:
                continue
            group = links.part_of.get(id(part))
            whole = named or (group.head if group is not None else next(
                (s.whole for s in links.shares if s.part is part and s.whole is not None), None))
            if whole is None:
                whole = _larger_before(para, part, links)
            if whole is None or not _same(whole, part) or whole.loose:
                continue
            span = unique_quote(text, (found.start(), found.end()),
                                want=(found.start(), min(b, found.end() + 40)))
            if span is None:
                continue
            ident = f"p{para.number:02d}.claim_{slug(found.group()) or quantifier}"
            k = 2
            while ident in taken:
                ident, k = f"p{para.number:02d}.claim_{slug(found.group()) or quantifier}_{k}", k + 1
            taken.add(ident)
            words = " ".join(text[span[0]:span[1]].split())
            out.append(DraftFact(ident, "statement", para.number, words, text[span[0]:span[1]],
                                 period=part.period))
            maker.add("quantifier", [para.number],
                      f"{found.group()[0].upper() + found.group()[1:]}: {_num(part)} of {_num(whole)}",
                      f"The text says {found.group()!r} and gives both counts.",
                      f"quantifier: {_q(text[found.start():part.after])}",
                      {"part": part.id, "whole": whole.id, "quantifier": quantifier, "claim": ident},
                      [part.id, whole.id, ident])
            break
    return out
