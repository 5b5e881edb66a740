"""The built-in extractor: mentions → links → facts → candidate rules."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from kzfacts.draft.extract import ParagraphMentions, assign_periods, mentions
from kzfacts.draft.facts import build_facts
from kzfacts.draft.link import link
from kzfacts.draft.model import Document, Draft, DraftFact, DraftNotClaim, DraftUnit
from kzfacts.draft.patterns import rules_for
from kzfacts.draft.relations import relation_rules
from kzfacts.draft.rulemaker import RuleMaker
from kzfacts.draft.tables import tables
from kzfacts.draft.vocab import Vocabulary

__all__ = ["extract"]


def extract(document: Document) -> Draft:
    """Draft a fact base from a document: every number a fact or a non-claim, and the rules
    its words suggest. Deterministic: the same document gives the same draft."""
    vocab = Vocabulary(document.unit_words, document.unit_definitions)
    paragraphs: list[ParagraphMentions] = []
    for para in document.paragraphs:
        found = mentions(para.number, para.text, vocab, decimal_comma=document.decimal_comma)
        assign_periods(found)
        paragraphs.append(found)
    table_rules, table_facts = tables(paragraphs, vocab, decimal_comma=document.decimal_comma)
    links = link(paragraphs, vocab)
    _money(paragraphs, vocab)
    facts: list[DraftFact] = []
    not_claims: list[DraftNotClaim] = []
    taken: Counter[str] = Counter(f.id for f in table_facts)
    pairs = {id(s.share): s.part for s in links.shares if s.part is not None}
    for mentioned in paragraphs:
        found_facts, found_not_claims = build_facts(mentioned, taken, pairs)
        facts += found_facts
        not_claims += found_not_claims
    facts += table_facts
    by_id = {f.id: f for f in facts}
    years = [int(f.period[:4]) for f in facts if f.period and re.match(r"\d{4}", f.period)]
    years += [int(f.period.split("/")[1][:4]) for f in facts if f.period and "/" in f.period]
    maker = RuleMaker()
    rules_for(maker, paragraphs, links)
    facts += relation_rules(maker, paragraphs, links, taken=set(by_id), tables=dict(document.rate_tables),
                            document_year=max(years) if years else None)
    if not facts:  # nothing to draft: the first paragraph as a statement, so that the base loads
        first = document.paragraphs[0]
        opening = " ".join(first.text.split()[:12])
        facts.append(DraftFact(f"p{first.number:02d}.statement", "statement", first.number,
                               opening or "the document", first.text.strip()))
    facts.sort(key=lambda f: (f.paragraph, _order(paragraphs, f)))
    units = _units(vocab, facts, document)
    known = {u.name for u in units} | set(vocab.defined)
    words = {w: u for w, u in vocab.used.items() if u in known}  # of units the draft defines
    return Draft(document, tuple(facts), tuple(not_claims), tuple(units), words,
                 (*maker.rules, *table_rules))


_MONEY_CUE = re.compile(
    r"\b(?:budgets?|costs?|spent|spend(?:ing)?|allocated|allocations?|amount(?:ed|s|ing)?|paid|payments?|"
    r"compensation|fines?|fined|salar(?:y|ies)|wages?|expenses?|expenditures?|donations?|funds?|funding|"
    r"worth|prices?|revenues?|income|grants?|loans?|taxe?s?|fees?|financing|totall?ing)\b", re.I)


def _money(paragraphs: list[ParagraphMentions], vocab: Vocabulary) -> None:
    """Amounts the text counts in a word no units file names ("2,4 million kroner"): a noun
    that counts large or scaled amounts in a sentence about money is a currency."""
    money: set[str] = set()
    for para in paragraphs:
        for m in para.mentions:
            if m.kind != "count" or m.unit is None or m.noun is None:
                continue
            a, _ = para.sentences[m.sentence]
            large = re.search(r"thousand|million|billion", m.written, re.I) or \
                abs(Decimal(str(m.value))) >= 1000
            if large and _MONEY_CUE.search(para.text, max(a, m.start - 80), m.start):
                money.add(m.unit)
    for unit in money:
        vocab.kinds[unit] = "money"
    for para in paragraphs:
        for m in para.mentions:
            if m.kind == "count" and m.unit in money:
                m.kind = "money"


def _order(paragraphs: list[ParagraphMentions], fact: DraftFact) -> int:
    para = next((p for p in paragraphs if p.number == fact.paragraph), None)
    if para is None:
        return 0
    pos = para.text.find(fact.quote)
    return pos if pos >= 0 else len(para.text)


def _units(vocab: Vocabulary, facts: list[DraftFact], document: Document) -> list[DraftUnit]:
    kinds: dict[str, str] = {}
    for fact in facts:
        if fact.unit is None or fact.unit == "percent" or fact.kind == "duration" or \
                fact.unit in ("year", "month", "week", "day"):
            continue
        kinds.setdefault(fact.unit, fact.kind)
    for table in document.rate_tables.values():
        for raw in re.split(r"[/*]", table.unit):
            name = raw.strip()
            if name and name not in kinds:
                kinds[name] = "money" if re.fullmatch(r"[A-Z]{3}", name) else "index"
    for unit, kind in sorted(kinds.items()):
        vocab.declare(unit, "money" if kind == "money" else "index" if kind == "index" else "count",
                      plural=unit + "s" if kind in ("count", "range") else None)
    return list(vocab.units.values())
