"""A generator of synthetic fact bases: documents whose facts and rules cover every kind.

Each document is a fact base (``facts/`` with a source text, units, reference data, one
fact file per paragraph; ``rules/``; ``baseline.yaml``) made of paragraphs built from one
template. Every paragraph holds facts of every kind (count, share, money, index, rate, date,
duration, range, statement) and rules of every kind (sum, share, bound, series, conversion,
mean_within, order, quantifier). Numbers are drawn from a seeded generator; a fraction of
paragraphs gets an injected finding (a sum three short, a share three points off, a date
out of order), so a run checks failures as well as passes.

The source text is written first and every fact quotes it, so the generated data passes
kzfacts' own anchoring and coverage checks: a check of it measures the whole pipeline.
"""

from __future__ import annotations

import argparse
import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["FACTS_PER_PARAGRAPH", "RULES_PER_PARAGRAPH", "Paragraph", "generate", "paragraph"]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WORDS = ("amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "heron", "iris",
         "juniper", "kestrel", "linden", "maple", "north", "olive", "pine", "quartz", "raven",
         "sage", "tundra", "umber", "violet", "willow", "yarrow", "zephyr")
MCI_2023 = 3450
YEARS = (2020, 2021, 2022)

UNITS = """definitions:
  - person = [person] = _ = persons
  - victim = [victim] = _ = victims
  - case = [case] = _ = cases
  - crime = [crime] = _ = crimes
  - KZT = [currency_KZT] = _ = tenge
  - USD = [currency_USD] = _ = US_dollar
  - MCI = [index_MCI] = _ = monthly_calculation_index
words:
  tenge: KZT
  US dollars: USD
  MCI: MCI
"""

REFERENCE = f"""tables:
  mci:
    unit: KZT/MCI
    description: synthetic monthly calculation index
    entries:
      - value: {MCI_2023}
        effective_from: '2023-01-01'
        confidence: confirmed
        source_url: 'https://example.org/mci'
"""


def _n(x: int) -> str:
    return f"{x:,}"


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class Paragraph:
    """One generated paragraph: its text, its facts (plain dicts) and its rules."""

    number: int
    text: str
    facts: list[dict[str, Any]] = field(default_factory=list)
    rules: list[dict[str, Any]] = field(default_factory=list)
    findings: int = 0


def paragraph(number: int, rng: random.Random, *, finding: bool) -> Paragraph:
    """A paragraph with 26 facts and 19 rules; ``finding`` injects three failing rules."""
    tag = f"{WORDS[number % len(WORDS)]} {WORDS[(number // len(WORDS)) % len(WORDS)]}"
    p = f"p{number}"
    para = Paragraph(number, "")
    sentences: list[str] = []

    def fact(name: str, kind: str, quote: str, *, value: Any = None, unit: str | None = None,
             written: str | None = None, period: Any = None, subject: str = "",
             qualifier: str = "exact") -> str:
        fid = f"{p}.{name}"
        rec: dict[str, Any] = {"id": fid, "kind": kind}
        if value is not None:
            rec["value"] = value
        if unit is not None:
            rec["unit"] = unit
        rec["subject"] = subject or f"{name.replace('_', ' ')} in the {tag} district"
        rec["period"] = period
        if kind != "statement":
            rec["qualifier"] = qualifier
        rec["quote"] = quote
        if written is not None:
            rec["written"] = written
        para.facts.append(rec)
        return fid

    def rule(name: str, kind: str, **fields: Any) -> None:
        para.rules.append({"id": f"{p}.{name}", "kind": kind, "title": f"{name} ({tag})",
                           "severity": "error", "paragraphs": [number],
                           "why": "generated", **fields})

    # series: registered and closed, by year; every year uses distinct numbers
    reg = [rng.randrange(600, 999) for _ in YEARS]
    closed = [rng.randrange(100, 599) for _ in YEARS]
    sentences.append("Registered: " + ", ".join(f"{y} – {r}" for y, r in zip(YEARS, reg, strict=True)) + ".")
    sentences.append("Closed: " + ", ".join(f"{y} – {c}" for y, c in zip(YEARS, closed, strict=True)) + ".")
    for y, r, c in zip(YEARS, reg, closed, strict=True):
        fact(f"registered.y{y}", "count", f"{y} – {r}", value=r, unit="crime", written=str(r),
             period=y)
        fact(f"closed.y{y}", "count", f"{y} – {c}", value=c, unit="crime", written=str(c),
             period=y)
        rule(f"closed-le-registered-{y}", "bound", left=f"{p}.closed.y{y}", relation="le",
             right=f"{p}.registered.y{y}")
    rule("closed-series", "series", left=f"{p}.closed.y{{year}}", relation="le",
         right=f"{p}.registered.y{{year}}", years=[YEARS[0], YEARS[-1]])

    # sum: a total and its three parts (thousands, so distinct from the counts above)
    court, shut, held = (rng.randrange(1000, 3000) for _ in range(3))
    total = court + shut + held + (3 if finding else 0)
    sentences.append(f"Of the {_n(total)} cases, {_n(court)} went to court, {_n(shut)} were "
                     f"dismissed and {_n(held)} were suspended.")
    fact("cases", "count", f"Of the {_n(total)} cases", value=total, unit="case",
         written=_n(total))
    fact("court", "count", f"{_n(court)} went to court", value=court, unit="case",
         written=_n(court))
    fact("dismissed", "count", f"{_n(shut)} were dismissed", value=shut, unit="case",
         written=_n(shut))
    fact("suspended", "count", f"{_n(held)} were suspended", value=held, unit="case",
         written=_n(held))
    rule("cases-sum", "sum", parts=[f"{p}.court", f"{p}.dismissed", f"{p}.suspended"],
         total=f"{p}.cases")
    rule("court-le-cases", "bound", left=f"{p}.court", relation="le", right=f"{p}.cases")
    rule("parts-ge-court", "bound", left=[f"{p}.court", f"{p}.dismissed"], relation="ge",
         right=f"{p}.court")

    # share, quantifier: persons convicted and the share sent to prison
    convicted = rng.randrange(200, 999)
    prison = rng.randrange(convicted * 55 // 100, convicted * 95 // 100)
    pct = round(prison * 100 / convicted) + (3 if finding else 0)
    sentences.append(f"A total of {_n(convicted)} persons were convicted, {_n(prison)} "
                     f"({pct}%) of them to prison.")
    fact("convicted", "count", f"A total of {_n(convicted)} persons were convicted",
         value=convicted, unit="person", written=_n(convicted))
    fact("prison", "count", f"{_n(prison)} ({pct}%) of them to prison", value=prison,
         unit="person", written=_n(prison))
    fact("prison_share", "share", f"{_n(prison)} ({pct}%) of them to prison", value=pct,
         unit="percent", written=f"{pct}%")
    rule("prison-share", "share", share=f"{p}.prison_share", part=f"{p}.prison",
         whole=f"{p}.convicted")
    rule("prison-share-grim", "share", share=f"{p}.prison_share", whole=f"{p}.convicted")
    rule("prison-most", "quantifier", part=f"{p}.prison", whole=f"{p}.convicted",
         quantifier="most")
    rule("prison-le-convicted", "bound", left=f"{p}.prison", relation="le",
         right=f"{p}.convicted")

    # mci, money, conversion, mean_within
    low, high = rng.randrange(20, 40), rng.randrange(41, 60)
    low_kzt = low * MCI_2023
    victims = rng.randrange(100_001, 200_000)
    paid = victims * rng.randrange(low_kzt, high * MCI_2023)
    sentences.append(f"Victims received {low} MCI, that is {_n(low_kzt)} tenge each, and in "
                     f"serious cases {high} MCI; in all, {_n(paid)} tenge was paid to "
                     f"{_n(victims)} victims.")
    fact("mci_low", "index", f"Victims received {low} MCI", value=low, unit="MCI",
         written=f"{low} MCI")
    fact("kzt_low", "money", f"that is {_n(low_kzt)} tenge each", value=low_kzt, unit="KZT",
         written=f"{_n(low_kzt)} tenge")
    fact("mci_high", "index", f"serious cases {high} MCI", value=high, unit="MCI",
         written=f"{high} MCI")
    fact("paid", "money", f"{_n(paid)} tenge was paid", value=paid, unit="KZT",
         written=f"{_n(paid)} tenge")
    fact("victims", "count", f"paid to {_n(victims)} victims", value=victims, unit="victim",
         written=_n(victims))
    rule("low-conversion", "conversion", amount=f"{p}.mci_low", result=f"{p}.kzt_low",
         rate={"table": "mci", "on": "2023-01-01"})
    rule("mean-paid", "mean_within", total=f"{p}.paid", count=f"{p}.victims",
         low=f"{p}.mci_low", high=f"{p}.mci_high", rate={"table": "mci", "on": "2023-06-01"})
    rule("low-le-high", "bound", left=f"{p}.mci_low", relation="lt", right=f"{p}.mci_high")

    # rate, a conversion through it
    whole, tenths = rng.randrange(400, 480), rng.randrange(1, 10)
    usd = rng.randrange(11, 99) * 1000
    usd_kzt = usd * (whole * 10 + tenths) // 10
    sentences.append(f"The exchange rate was {whole}.{tenths} per dollar, so the grant of "
                     f"{_n(usd)} US dollars is {_n(usd_kzt)} tenge.")
    fact("usd_rate", "rate", f"The exchange rate was {whole}.{tenths}", value=f"{whole}.{tenths}",
         unit="KZT/USD", written=f"{whole}.{tenths}")
    fact("grant_usd", "money", f"the grant of {_n(usd)} US dollars", value=usd, unit="USD",
         written=f"{_n(usd)} US dollars")
    fact("grant_kzt", "money", f"is {_n(usd_kzt)} tenge", value=usd_kzt, unit="KZT",
         written=f"{_n(usd_kzt)} tenge")
    rule("grant-conversion", "conversion", amount=f"{p}.grant_usd", result=f"{p}.grant_kzt",
         rate={"fact": f"{p}.usd_rate"})

    # date, order
    day1, day2 = rng.randrange(1, 29), rng.randrange(1, 29)
    m1, m2 = rng.randrange(0, 6), rng.randrange(6, 12)
    d1, d2 = (2021, m1, day1), (2022 if not finding else 2020, m2, day2)
    sentences.append(f"The law was adopted on {MONTHS[m1]} {day1}, 2021 and entered into force "
                     f"on {MONTHS[m2]} {day2}, {d2[0]}.")
    fact("adopted", "date", f"adopted on {MONTHS[m1]} {day1}, 2021",
         value=f"{d1[0]}-{m1 + 1:02d}-{day1:02d}", written=f"{MONTHS[m1]} {day1}, 2021")
    fact("in_force", "date", f"into force on {MONTHS[m2]} {day2}, {d2[0]}",
         value=f"{d2[0]}-{m2 + 1:02d}-{day2:02d}", written=f"{MONTHS[m2]} {day2}, {d2[0]}")
    rule("adopted-before-force", "order", sequence=[f"{p}.adopted", f"{p}.in_force"])

    # duration, range
    lo, hi = rng.randrange(2, 5), rng.randrange(6, 9)
    term = rng.randrange(lo, hi + 1)
    sentences.append(f"The usual term is {term} years; the offence is punishable by "
                     f"imprisonment from {lo} to {hi} years.")
    fact("term", "duration", f"The usual term is {term} years", value=term, unit="year",
         written=f"{term} years")
    fact("penalty", "range", f"imprisonment from {lo} to {hi} years",
         value={"min": lo, "max": hi}, unit="year", written=f"from {lo} to {hi} years")
    rule("term-le-max", "bound", left=f"{p}.term", relation="le", right=f"{p}.penalty@max")
    rule("term-ge-min", "bound", left=f"{p}.term", relation="ge", right=f"{p}.penalty@min")
    rule("min-le-max", "order", sequence=[f"{p}.penalty@min", f"{p}.penalty@max"])

    # statement
    sentences.append(f"A council of the {tag} district was created.")
    fact("council", "statement", f"A council of the {tag} district was created")

    para.text = " ".join(sentences)
    para.findings = 3 if finding else 0
    return para


FACTS_PER_PARAGRAPH = 26
RULES_PER_PARAGRAPH = 19


def _yaml_value(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return _q(v)
    if isinstance(v, list):
        return "[" + ", ".join(_yaml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_yaml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def _records(key: str, records: list[dict[str, Any]]) -> str:
    out = [f"{key}:"]
    for rec in records:
        first = True
        for k, v in rec.items():
            out.append(f"  {'- ' if first else '  '}{k}: {_yaml_value(v)}")
            first = False
    return "\n".join(out) + "\n"


def write_document(root: Path, index: int, paragraphs: int, *, seed: int,
                   finding_every: int) -> list[Paragraph]:
    """Write one fact base under ``root``; returns its paragraphs (the truth to check)."""
    rng = random.Random(seed * 1_000_003 + index)  # noqa: S311 - test data, not a secret
    paras = [paragraph(i, rng, finding=finding_every > 0 and (index * paragraphs + i)
                       % finding_every == 0) for i in range(1, paragraphs + 1)]
    facts = root / "facts"
    (facts).mkdir(parents=True, exist_ok=True)
    (root / "rules").mkdir(exist_ok=True)
    source = "SYNTHETIC REPORT\n\n" + "\n".join(f"{p.number}. {p.text}" for p in paras) + "\n"
    raw = source.encode()
    (facts / "source.txt").write_bytes(raw)
    (facts / "document.yaml").write_text(
        f"title: Synthetic report {index}\nsource: source.txt\n"
        f"sha256: {hashlib.sha256(raw).hexdigest()}\nparagraphs: numbered\n"
        "units: units.yaml\nreference: reference.yaml\nnot_claims: null\n")
    (facts / "units.yaml").write_text(UNITS)
    (facts / "reference.yaml").write_text(REFERENCE)
    for p in paras:
        (facts / f"p{p.number:03d}.yaml").write_text(
            f"paragraph: {p.number}\n" + _records("facts", p.facts))
    (root / "rules" / "rules.yaml").write_text(
        _records("rules", [r for p in paras for r in p.rules]))
    (root / "baseline.yaml").write_text("accepted: []\n")
    return paras


def generate(out: Path | str, *, documents: int, paragraphs: int = 10, seed: int = 0,
             finding_every: int = 7) -> Path:
    """Write a corpus: ``out/d00000/``, ``out/d00001/``... each a fact base.

    Args:
        out: the corpus folder (created).
        documents: how many documents.
        paragraphs: paragraphs per document (26 facts and 19 rules each).
        seed: the random seed; the same arguments write the same bytes.
        finding_every: one paragraph in this many gets three failing rules (0: none).

    Returns:
        The corpus folder.
    """
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    for i in range(documents):
        write_document(root / f"d{i:05d}", i, paragraphs, seed=seed, finding_every=finding_every)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--paragraphs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    generate(args.out, documents=args.documents, paragraphs=args.paragraphs, seed=args.seed)


if __name__ == "__main__":
    main()
