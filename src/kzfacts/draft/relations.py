"""Candidate rules between figures a clause, a sentence or a paragraph apart.

Each pattern reads what such documents write, and records it (``drafted``):

=====================  ==================================================================
``conversion``         "30 base amounts (103,500 thalers)", "54.5 million thalers or 117
                       thousand euros", "9.4 million thalers in 2023, worth 1.1 million euros":
                       one amount in two units, at a rate of the reference data
``rates-agree``        two or more such pairs in one paragraph: the rates they imply agree
                       (``rates_agree``), whatever the reference data says
``per-period``         "annually X" (each year, per year, a month...) and "in total Y from
                       2014 to 2023" (or "over the past 5 years"): ``per_period``
``mean-in-scale``      amounts per item ("The amount of compensation is 30 ... 50 base amounts",
                       "from 20 to 80 base amounts", "No project received less than A or
                       more than B") and a total paid to a count of the same year nearby
                       ("944 victims were compensated in the amount of 122 million"):
                       ``mean_within``
``quantifier``         "more than half", "most", "the majority" with the counts in its
                       sentence, or (the words of the sentence repeated) in a paragraph nearby
``claim``              "In 2023, no such facts were recorded", "not a single": a claim of
                       none against the count of that period the words point to
``events-in-order``    dates of events told one after another ("since 2013 ... since 2014",
                       "established in February 2016" and, in the paragraph continuing
                       about the same body, "In 2019 ... was appointed"): ``order``
``sub-count``          a count after a breakdown that repeats its words ("135 people have
                       committed self-harm repeatedly"); "In 10 cases ..., 28 people" (at
                       least one each); "5 group facts involving 21 people" (two each)
=====================  ==================================================================

The words decide the severity: a relation the text states is an error (or a warning when a
rate or a reading may vary); a relation only the telling suggests is ``info``.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from decimal import Decimal

from kzfacts.draft.extract import TOTAL_CUE, Mention, ParagraphMentions, per_period_cue
from kzfacts.draft.link import Links
from kzfacts.draft.model import DraftFact, RateTable
from kzfacts.draft.rulemaker import RuleMaker, para_number, said, same, shown
from kzfacts.draft.text import singular, slug, stems, unique_quote

__all__ = ["relation_rules", "same_amounts"]

_AMOUNTS = frozenset({"money", "index"})


def relation_rules(maker: RuleMaker, paragraphs: list[ParagraphMentions], links: Links, *,
                   taken: set[str], tables: dict[str, RateTable],
                   document_year: int | None) -> list[DraftFact]:
    """Every candidate rule between figures further apart than a breakdown, and the statement
    facts (the words of a quantifier) that quantifier rules cite."""
    statements: list[DraftFact] = []
    for para in paragraphs:
        _conversions(maker, para, tables, document_year)
        _rates_agree(maker, para)
        _per_period(maker, para)
        _at_least_one_each(maker, para)
    _means_in_scale(maker, paragraphs, tables, document_year)
    for para in paragraphs:
        statements += _quantifiers(maker, para, paragraphs, links, taken)
    _claims_of_none(maker, paragraphs)
    _events_in_order(maker, paragraphs)
    return statements


def _sentence(para: ParagraphMentions, m: Mention) -> str:
    a, b = para.sentences[m.sentence]
    return para.text[a:b]


def _value(m: Mention) -> Decimal:
    return Decimal(str(m.value))


# -- one amount in two units ----------------------------------------------------------------

_SAME_CUE = re.compile(
    r"\s*(?:\(\s*(?:about\s+|approximately\s+|some\s+)?|,?\s*or\s+(?:about\s+|approximately\s+|some\s+)?"
    r"|,?\s*(?:i\.\s?e\.,?|that\s+is,?|which\s+is|equivalent\s+to|equal\s+to|worth)\s+"
    r"(?:about\s+|approximately\s+|some\s+)?)", re.I)
#: Cues that may stand after words about the amount: "48.6 million thalers on 312 projects in
#: 2023, equivalent to 4.32 million euros".
_STRONG_CUE = re.compile(r",\s*(?:equivalent\s+to|equal\s+to|worth)\s+"
                         r"(?:about\s+|approximately\s+|some\s+)?$", re.I)
_SIGN_BEFORE = re.compile(r"(?:\b[A-Z]{3}|US\$|[$€£¥₸])[ \u00a0]*$")
_IN_YEAR = re.compile(r"^\s*,?\s*(?:in|for|during)\s+(?:the\s+year\s+)?(?:19|20)\d\d\b", re.I)


def same_amounts(para: ParagraphMentions, kinds: frozenset[str] = _AMOUNTS,
                 ) -> list[tuple[Mention, Mention]]:
    """Pairs of figures the text gives as one amount in two units, in the order written."""
    text = para.text
    values = [m for m in para.mentions if m.kind in kinds and m.id and not m.loose]
    out = []
    for i, b in enumerate(values):
        before = [a for a in values[:i] if a.sentence == b.sentence and a.unit != b.unit]
        if not before:
            continue
        a = before[-1]
        end = b.start - len(m.group()) if (m := _SIGN_BEFORE.search(text, 0, b.start)) else b.start
        gap = text[max(a.end, a.after):end]
        gap = _IN_YEAR.sub("", gap)
        between = [x for x in para.mentions if a.end <= x.start < b.start and x.is_value]
        if (_SAME_CUE.fullmatch(gap) and not between) or (
                _STRONG_CUE.search(gap) and len(gap) <= 120 and not any(x.kind in _AMOUNTS for x in between)):
            out.append((a, b))
    return out


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


def _table_for(tables: dict[str, RateTable], a: str | None, b: str | None) -> str | None:
    return next((name for name, table in sorted(tables.items())
                 if {*table.unit.split("/", 1)} == {a, b}), None)


def _conversions(maker: RuleMaker, para: ParagraphMentions, tables: dict[str, RateTable],
                 document_year: int | None) -> None:
    text = para.text
    for a, b in same_amounts(para, _AMOUNTS | {"count"}):
        name = _table_for(tables, a.unit, b.unit)
        if name is None:
            continue
        when = _rate_when(tables[name], a.period or b.period, document_year)
        if when is None:
            continue
        rate, why = when
        money = a.kind == "money" and b.kind == "money"
        fields: dict[str, object] = {"amount": a.id, "result": b.id, "rate": {"table": name, **rate}}
        if money:
            fields["tolerance"] = "5%"
        maker.add("conversion", [para.number], f"{shown(a)} is {shown(b)}",
                  f"The two figures are the same amount; the rate of {name} in {why}."
                  + (" A year's rate approximates the day's, so 5% is tolerated." if money else ""),
                  f"conversion: {said(text[a.start:b.end])}", fields, [a.id, b.id],
                  severity="warning" if money else "error")


def _rates_agree(maker: RuleMaker, para: ParagraphMentions) -> None:
    """ "30 base amounts (103,500 thalers) ... 50 base amounts (172,500 thalers)", "54.5
    million thalers or 117 thousand euros ... 748 million thalers or 2.75 million euros": amounts
    given in the same two units imply one rate each, and the rates must agree."""
    by_units: dict[frozenset[str | None], list[tuple[Mention, Mention]]] = defaultdict(list)
    for a, b in same_amounts(para):
        by_units[frozenset({a.unit, b.unit})].append((a, b))
    for pairs in by_units.values():
        if len(pairs) < 2:
            continue
        a0, b0 = pairs[0]
        first = a0.unit if _value(a0) >= _value(b0) else b0.unit  # rates above 1 (3,450 thalers/base)
        oriented = [(a, b) if a.unit == first else (b, a) for a, b in pairs]
        money = all(a.kind == "money" and b.kind == "money" for a, b in oriented)
        periods = {a.period or b.period for a, b in oriented}
        fields: dict[str, object] = {"pairs": [{"amount": a.id, "result": b.id} for a, b in oriented]}
        why = "The paragraph gives each amount in both units, so each pair implies a rate"
        if len(periods) > 1:
            why += ("; the amounts are of different periods, so a rate of each may explain a "
                    "difference: a tension to explain, not an error")
        elif money:
            why += "; rates of one period vary a little, so 5% is tolerated"
            fields["tolerance"] = "5%"
        else:
            why += ", and one rate converts them all"
        words = "; ".join(said(para.text[min(a.start, b.start):max(a.end, b.end)], 50)
                          for a, b in oriented)
        maker.add("rates_agree", [para.number],
                  " and ".join(f"{shown(a)} = {shown(b)}" for a, b in oriented) + ": one rate",
                  why + ".", f"rates-agree: {words}", fields,
                  [x.id for pair in oriented for x in pair],
                  severity="warning" if money or len(periods) > 1 else "error")


# -- a figure per period and a total over the periods ---------------------------------------

_VARIES = re.compile(r"\b(?:flexible|var(?:y|ies|ied|iable)|chang\w*|increas\w*|decreas\w*|grow\w*|grew|"
                     r"adjust\w*|depend\w*|fluctuat\w*|today|currently|now)\b", re.I)
_OVER_YEARS = re.compile(r"\b(?:over|in|during|within)\s+(?:the\s+)?(?:past|last|previous)?\s*$", re.I)


def _periods(t: Mention, para: ParagraphMentions, per: str) -> tuple[int, str] | None:
    """How many periods a total covers: its period ("from 2014 to 2023"; a year, per month),
    or "over the past 5 years" in its sentence."""
    if t.period is not None and "/" in t.period:
        first, last = t.period.split("/")
        if per == "year":
            return int(last[:4]) - int(first[:4]) + 1, t.period
        months = (int(last[:4]) * 12 + (int(last[5:7]) if len(last) > 4 else 12)) - \
            (int(first[:4]) * 12 + (int(first[5:7]) if len(first) > 4 else 1)) + 1
        return months, t.period
    if per == "month" and t.period is not None and len(t.period) == 4:
        return 12, t.period
    for d in para.mentions:
        if d.sentence == t.sentence and d.kind == "duration" and d.unit == per and \
                isinstance(d.value, int) and _OVER_YEARS.search(para.text, max(0, d.start - 30), d.start):
            return d.value, d.written
    return None


def _per_period(maker: RuleMaker, para: ParagraphMentions) -> None:
    """ "The Fund receives a grant of 2.4 million thalers annually; from 2021 to 2023 it
    received 7.2 million thalers in total": the figure of each period times the periods
    against the total. Told together (the same sentence or the next, a total, nothing saying
    the figure varies) they should agree (warning); a figure of today against a total of
    years only bounds it (info: the total is at least that many of today's, unless it grew)."""
    text = para.text
    for m in para.mentions:
        if not m.is_value or not m.id or m.loose:
            continue
        a = para.sentences[m.sentence][0]
        cue = per_period_cue(text, m, a)
        if cue is None:
            continue
        per, found = cue
        for t in para.mentions:
            if t is m or not same(t, m) or t.loose or _value(t) <= _value(m) or \
                    m.period not in (None, t.period):
                continue
            counted = _periods(t, para, per)
            if counted is None or counted[0] < 2:
                continue
            n, over = counted
            lo, hi = min(m.start, t.start), max(m.end, t.end)
            together = abs(t.sentence - m.sentence) <= 1 and bool(TOTAL_CUE.search(_sentence(para, t))) \
                and not _VARIES.search(text, lo, hi) and m.qualifier == t.qualifier == "exact"
            fields: dict[str, object] = {"each": m.id, "total": t.id}
            if "/" not in (t.period or "") and not (per == "month" and t.period):
                fields["periods"] = n
            if per == "month":
                fields["per"] = "month"
            if together:
                fields["assumption"] = f"the figure was the same in each of the {n} {per}s"
                why = (f"The text gives the figure of each {per} and the total of the {n} {per}s "
                       "together: the total should be the figure that many times.")
            else:
                fields["relation"] = "ge"
                fields["assumption"] = f"the figure was not smaller in the earlier {per}s"
                why = (f"A figure per {per} and a total over {n} {per}s ({over}): the total should be "
                       f"at least {n} times the figure, unless it has grown.")
            begin = max(a, found.start()) if found.start() < m.start else m.start
            maker.add("per_period", [para.number],
                      f"{n} × {shown(m)} {'=' if together else '≤'} {shown(t)}", why,
                      f"per-period: {said(text[begin:m.after])} … {said(t.written)}", fields, [m.id, t.id],
                      severity="warning" if together else "info")


# -- means within a scale of amounts per item -----------------------------------------------

_PER_ITEM = re.compile(r"\b(?:amount|size|sum|level|rate|value)\s+of\s+(?:the\s+)?(?:[a-z\-]+\s+){0,2}"
                       r"(?:is|was|are|were|amounts?\s+to|equals?|is\s+set\s+at)\s+(?:about\s+)?$", re.I)
_NO_LESS = re.compile(r"\b(?:no|not\s+a\s+single)\s+[a-z\-]+\s+[a-z\s\-]{0,40}?\bless\s+than\s*$", re.I)
_PAID = re.compile(r"\b(?:compensat\w*|paid|pa(?:y|id|yments?)|spent|spend\w*|received?|allocated|granted|"
                   r"award\w*|amount(?:ed|ing)?|total(?:ling|ing)?)\b", re.I)


def _scale(para: ParagraphMentions) -> tuple[Mention, Mention, tuple[str, str], str] | None:
    """The least and the most amount per item a paragraph gives: ``(low, high, their ids
    as a rule names them, the words)``."""
    text = para.text
    for m in para.mentions:  # "fined from 20 to 80 base amounts"
        if m.kind == "range" and m.id and isinstance(m.value, tuple) and None not in m.value and \
                m.unit is not None and m.unit not in ("year", "month", "week", "day"):
            return m, m, (f"{m.id}@min", f"{m.id}@max"), _sentence(para, m)
    amounts = [m for m in para.mentions if m.kind in _AMOUNTS and m.id and not m.loose]
    for m in amounts:  # "No project received less than 50,000 or more than 400,000 thalers"
        head = text[para.sentences[m.sentence][0]:m.start]
        if _NO_LESS.search(head):
            top = next((x for x in amounts if x.sentence == m.sentence and x.start > m.end
                        and x.unit == m.unit and re.fullmatch(r"[^\d]{0,20}\bmore\s+than\s+",
                                                              text[m.after:x.start])), None)
            if top is not None:
                return m, top, (m.id, top.id), _sentence(para, m)
    levels: dict[str | None, list[Mention]] = defaultdict(list)
    for m in amounts:  # "The amount of compensation is 30 ... 40 ... 50 base amounts"
        if _PER_ITEM.search(text, max(para.sentences[m.sentence][0], m.start - 60), m.start):
            levels[m.unit].append(m)
    for found in levels.values():
        if len({_value(m) for m in found}) >= 2:
            low, high = min(found, key=_value), max(found, key=_value)
            return low, high, (low.id, high.id), " … ".join(_sentence(para, m) for m in found)
    return None


def _means_in_scale(maker: RuleMaker, paragraphs: list[ParagraphMentions], tables: dict[str, RateTable],
                    document_year: int | None) -> None:
    """A scale of amounts per item, and totals paid to a count of items in the same
    paragraph or the next two: each total over its count lies within the scale, through
    the rate of the total's year when the scale is in another unit."""
    for k, para in enumerate(paragraphs):
        found = _scale(para)
        if found is None:
            continue
        low, high, (low_ref, high_ref), words = found
        topic = stems(words)
        for near in paragraphs[k:k + 3]:
            for total in near.mentions:
                if total.kind != "money" or not total.id or total.loose or total in (low, high):
                    continue
                count = next((c for c in near.mentions if c.sentence == total.sentence and c.kind == "count"
                              and c.id and not c.loose and isinstance(c.value, int) and c.value > 0), None)
                sentence = _sentence(near, total)
                if count is None or not _PAID.search(sentence) or \
                        len(topic & stems(sentence, without=[count.noun or ""])) < 1:
                    continue
                fields: dict[str, object] = {"total": total.id, "count": count.id, "low": low_ref,
                                             "high": high_ref}
                how = ""
                if low.unit != total.unit:
                    name = _table_for(tables, low.unit, total.unit)
                    when = None if name is None else _rate_when(tables[name], total.period, document_year)
                    if name is None or when is None:
                        continue
                    fields["rate"] = {"table": name, **when[0]}
                    how = f", converted at the rate of {name} in {when[1]}"
                fields["assumption"] = "every item received an amount of the scale"
                maker.add("mean_within", [para.number, near.number],
                          f"{shown(total)} over {shown(count)} lies "
                          + (f"within {shown(low)}" if low is high else
                             f"between {shown(low)} and {shown(high)}"),
                          f"The text gives the least and the most amount per item; the average of "
                          f"a total over its count lies between them{how}.",
                          f"mean-in-scale: {said(words, 60)} … {said(sentence, 60)}", fields,
                          [total.id, count.id, low.id, high.id], severity="warning")


# -- quantifiers and claims of none ---------------------------------------------------------

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
#: How many content words a sentence elsewhere must share with a quantifier's or a claim's
#: words to be the one that counts what they speak of.
_SHARED = 3
#: How far (in paragraphs) a quantifier's counts may stand.
_NEARBY = 3


def _wholes(links: Links) -> dict[int, Mention]:
    """Each part the text gives of a total (a breakdown's part, a share's count): its whole."""
    out = {k: g.head for k, g in links.part_of.items()}
    for s in links.shares:
        if s.part is not None and s.whole is not None:
            out.setdefault(id(s.part), s.whole)
    return out


def _best(scored: list[tuple[int, Mention, ParagraphMentions]]) -> tuple[Mention, ParagraphMentions] | None:
    """The one candidate sharing the most words (at least ``_SHARED``), if no other ties it."""
    scored = sorted(scored, key=lambda s: -s[0])
    if not scored or scored[0][0] < _SHARED or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1], scored[0][2]


def _said_of(words: set[str], para: ParagraphMentions, part: Mention) -> int:
    """How many of ``words`` the text says of a part: those of its own clause (to the next
    figure: "(202) were terminated due to the absence of signs of a criminal offense"), when
    two or more, else none; the sentence's words too once the clause says it."""
    following = [m.start for m in para.mentions if m.start > part.after and m.is_value
                 and m.sentence == part.sentence]
    end = min(following, default=para.sentences[part.sentence][1])
    own = len(words & stems(para.text[part.start:end], without=[part.noun or ""]))
    return own + len(words & stems(_sentence(para, part), without=[part.noun or ""])) if own >= 2 else 0


def _larger_before(para: ParagraphMentions, part: Mention, links: Links) -> Mention | None:
    """The last larger figure of the part's kind before it in the paragraph."""
    found = [x for x in para.mentions[:para.mentions.index(part)] if same(x, part)
             and id(x) not in links.comparisons and not x.loose and _value(x) > _value(part)]
    return found[-1] if found else None


def _quantifiers(maker: RuleMaker, para: ParagraphMentions, paragraphs: list[ParagraphMentions],
                 links: Links, taken: set[str]) -> list[DraftFact]:
    """ "including more than half of the violators ... (2,697)": part, whole, quantifier, and
    the words themselves as a statement fact. A sentence with no count ("In most cases,
    investigations are terminated due to the absence of signs of an offense") takes the part
    a paragraph nearby gives of a total in the same words ("of which 94% (202) were
    terminated due to the absence of signs of a criminal offense")."""
    text = para.text
    wholes = _wholes(links)
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
            where = [para.number]
            if after:
                part = after[0]
                whole = named or wholes.get(id(part)) or _larger_before(para, part, links)
            elif named is None and not any(m.sentence == n and m.is_value for m in para.mentions):
                words = stems(text[found.end():b])
                k = paragraphs.index(para)
                scored = [(_said_of(words, p, m), m, p)
                          for p in paragraphs[max(0, k - _NEARBY):k + _NEARBY + 1]
                          for m in p.mentions if id(m) in wholes and m.kind == "count" and m.id
                          and not m.loose]
                best = _best(scored)
                if best is None:
                    continue
                part, there = best
                whole = wholes[id(part)]
                where.append(there.number)
            else:
                continue
            if whole is None or not same(whole, part) or whole.loose:
                continue
            span = unique_quote(text, (found.start(), found.end()),
                                want=(found.start(), min(b, found.end() + 40)))
            if span is None:
                continue
            ident = _statement_id(para, found.group() or quantifier, taken)
            words_said = " ".join(text[span[0]:span[1]].split())
            out.append(DraftFact(ident, "statement", para.number, words_said, text[span[0]:span[1]],
                                 period=part.period if len(where) == 1 else None, claim=quantifier))
            evidence = text[found.start():part.after] if len(where) == 1 else \
                f"{text[found.start():b]} … ¶{where[1]}: {part.subject}"
            maker.add("quantifier", [*where, para_number(whole)],
                      f"{found.group()[0].upper() + found.group()[1:]}: {shown(part)} of {shown(whole)}",
                      f"The text says {found.group()!r}" + (" and gives both counts." if len(where) == 1 else
                                                           f"; ¶{where[1]} counts what it speaks of in the "
                                                           "same words."),
                      f"quantifier: {said(evidence)}",
                      {"part": part.id, "whole": whole.id, "quantifier": quantifier, "claim": ident},
                      [part.id, whole.id, ident], severity="error" if len(where) == 1 else "warning")
            break
    return out


def _statement_id(para: ParagraphMentions, words: str, taken: set[str]) -> str:
    base = f"p{para.number:02d}.claim_{slug(words) or 'words'}"
    ident, k = base, 2
    while ident in taken:
        ident, k = f"{base}_{k}", k + 1
    taken.add(ident)
    return ident


def _within(inner: str | None, outer: str | None) -> bool:
    """Whether a period ("2023", "2021/2023", "2023-01/2023-04") lies within another."""
    if inner is None or outer is None:
        return False
    i0, _, i1 = inner.partition("/")
    o0, _, o1 = outer.partition("/")
    i1, o1 = i1 or i0, o1 or o0
    return o0[:len(i0)] <= i0[:len(o0)] and i1[:len(o1)] <= o1[:len(i1)]


_NO_NOUN = re.compile(r"\b(?:no|not\s+a\s+single|none\s+of\s+the)\s+(?:such\s+)?([A-Za-z\-]+)", re.I)


def _claims_of_none(maker: RuleMaker, paragraphs: list[ParagraphMentions]) -> None:
    """ "If there are signs of an offense, the prosecutor registers it in the Unified Register
    ... In 2023, no such facts were recorded": the claim of none against the count of that
    period whose sentence shares the most words with the claim's (and the sentence before
    it, which "such" points back to). Unless the count names the claim's own noun and its
    sentence says every word of the claim, it may count a wider set: a count above 0 then
    leaves the claim unverified (warn), it does not refute it."""
    for para in paragraphs:
        for claim in para.mentions:
            if claim.kind != "statement" or claim.role != "absence" or not claim.id:
                continue
            lo = para.sentences[max(0, claim.sentence - 1)][0]
            words = stems(para.text[lo:para.sentences[claim.sentence][1]])
            scored = [(len(words & stems(_sentence(p, m), without=[m.noun or ""])), m, p)
                      for p in paragraphs for m in p.mentions
                      if m.kind == "count" and m.id and not m.loose and _within(m.period, claim.period)]
            best = _best(scored)
            if best is None:
                continue
            count, there = best
            noun = _NO_NOUN.search(para.text, claim.start, claim.after)
            # the count's own noun, and no word of the claim the count's sentence does not say
            told = para.text[claim.start:para.sentences[claim.sentence][1]]
            own = noun is not None and count.unit == singular(noun.group(1).lower()) and \
                stems(told) <= stems(_sentence(there, count))
            fields: dict[str, object] = {"claim": claim.id, "counts": [count.id]}
            if not own:
                fields["scope"] = "wider"
            maker.add("claim", [para.number, there.number],
                      f"{said(para.text[claim.start:claim.after], 60)} against {shown(count)} "
                      f"of {claim.period}",
                      "The text claims none in a period for which it counts, in the same words, "
                      + ("the same thing." if own else "something that may include it."),
                      f"claim: {said(para.text[claim.start:claim.after], 60)} … "
                      f"¶{there.number}: {said(count.subject, 60)}", fields, [claim.id, count.id],
                      severity="error" if own else "warning")


# -- events in order ------------------------------------------------------------------------

_FORWARD = re.compile(r"\b(?:from|since|then|later|subsequently|thereafter|into\s+force|took\s+effect|"
                      r"began|begun|started|until)\b", re.I)
_BACKWARD = re.compile(r"\b(?:follows?|following|after|previous|preceding|earlier|prior|before|"
                       r"replaced|formerly|first\s+report|last\s+report|ago|compared|than\s+in)\b", re.I)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][A-Za-z]{2,}|[A-Z]{2,})\b")
#: A name that appears in this share of the paragraphs or more says nothing of a topic.
_COMMON = Decimal("0.2")


def _names(text: str) -> set[str]:
    """Capitalised words and acronyms not at the start of a sentence: the bodies, laws and
    places a passage speaks of."""
    months = {"January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"}
    return {w for w in _NAME.findall(text.strip()) if w not in months}


def _events_in_order(maker: RuleMaker, paragraphs: list[ParagraphMentions]) -> None:
    """Dates of events told one after another: in one paragraph, unless words point back
    ("following", "before", "previous"); into the next paragraph when it goes on about a body
    the paragraph names. With words that carry the telling forward ("from", "since", "began")
    at every step the order is a warning; told only, it is info."""
    share: Counter[str] = Counter()
    for para in paragraphs:
        share.update(_names(para.text))
    common = {w for w, c in share.items() if c >= 3 and Decimal(c) >= _COMMON * len(paragraphs)}
    chain: list[tuple[Mention, ParagraphMentions, bool]] = []  # event, paragraph, told forward
    previous: ParagraphMentions | None = None
    for para in paragraphs:
        events = [m for m in para.mentions if m.kind == "date" and m.id]
        if not events:
            _chain_rule(maker, chain)
            chain, previous = [], None
            continue
        for e in events:
            sentence = _sentence(para, e)
            clause = para.text[max(para.sentences[e.sentence][0], e.start - 40):e.start]
            if not chain:
                chain = [(e, para, True)]
                continue
            last, there, _ = chain[-1]
            ranged = there is para and re.fullmatch(r"\s*(?:to|until|till|through|[–—-])\s*",
                                                   para.text[last.end:e.start]) is not None
            if there is para:
                told = para.text[para.sentences[last.sentence][0]:para.sentences[e.sentence][1]]
                linked = not _BACKWARD.search(told)
            else:
                linked = there is previous and not _BACKWARD.search(_sentence(there, last)) and \
                    not _BACKWARD.search(sentence) and bool((_names(sentence) - common) & _names(there.text))
            if not linked:
                _chain_rule(maker, chain)
                chain = [(e, para, True)]
                continue
            forward = bool(ranged or _FORWARD.search(clause))
            if not forward and there is para and last.sentence == e.sentence:
                _chain_rule(maker, chain)  # told in one breath, with no word of time between
                chain = [(e, para, True)]
                continue
            chain.append((e, para, forward))
        previous = para
    _chain_rule(maker, chain)


def _chain_rule(maker: RuleMaker, chain: list[tuple[Mention, ParagraphMentions, bool]]) -> None:
    if len(chain) < 2:
        return
    forward = all(told for _, _, told in chain[1:])
    paras = sorted({p.number for _, p, _ in chain})
    first, last = chain[0], chain[-1]
    words = (said(first[1].text[first[0].start:last[0].end], 120) if first[1] is last[1]
             else " … ".join(said(_sentence(p, e), 50) for e, p, _ in chain))
    maker.add("order", paras, " ≤ ".join(e.written for e, _, _ in chain),
              "The text tells these dates one after another" + (
                  ", with words that carry the telling forward ('from', 'since'...)." if forward else
                  ", and nothing points back; telling is not dating, so this is information."),
              f"events-in-order: {words}", {"sequence": [e.id for e, _, _ in chain]},
              [e.id for e, _, _ in chain], severity="warning" if forward else "info")


# -- sub-counts -----------------------------------------------------------------------------

_IN_N = re.compile(r"\s*In\s+$")
_GROUP = re.compile(r"\s+(?:group|collective|joint)\s+[a-z\-]+\s+"
                    r"(?:involving|with\s+the\s+participation\s+of|committed\s+by)\s+$", re.I)
_INVOLVING = re.compile(r"\s+(?:[a-z\-]+\s+){0,2}(?:involving|with\s+the\s+participation\s+of)\s+$", re.I)


def _at_least_one_each(maker: RuleMaker, para: ParagraphMentions) -> None:
    """ "In 10 cases sent to court, 28 people were brought to justice" (each case at least
    one of them), "5 group facts involving 21 people" (each group at least two)."""
    text = para.text
    counts = [m for m in para.mentions if m.kind == "count" and m.id and not m.loose and m.unit]
    for n, m in itertools.pairwise(counts):
        if n.sentence != m.sentence or n.unit == m.unit or n.qualifier != "exact":
            continue
        gap = text[n.end:m.start]
        a = para.sentences[n.sentence][0]
        each = None
        if _GROUP.fullmatch(gap):
            each, how = 2, "a group is two or more"
        elif _INVOLVING.fullmatch(gap):
            each, how = 1, "each involves at least one"
        elif _IN_N.fullmatch(text[a:n.start]) and re.fullmatch(r"[^.;:\d]{0,80},\s*", text[n.after:m.start]):
            each, how = 1, "each holds at least one of them"
        if each is None:
            continue
        maker.add("bound", [para.number],
                  f"{shown(m)} {m.noun or m.unit} ≥ {each} × {shown(n)} {n.noun or n.unit}",
                  f"The {shown(m)} are those of the {shown(n)}: {how}.",
                  f"sub-count: {said(text[n.start:m.after])}",
                  {"left": {"fact": n.id, "times": f"{each} {m.unit}/{n.unit}"}, "relation": "le",
                   "right": m.id}, [n.id, m.id], severity="warning")
