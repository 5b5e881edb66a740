"""A generator of synthetic fact bases with the mix of real ones.

A document is a fact base (``facts/`` with a source text, units, reference data and one
fact file per paragraph; ``rules/``; ``baseline.yaml``). Its paragraphs are built from
*motifs*, each a small group of facts and rules taken from what the real fact bases hold:
outcomes registered by year against series rules, a total split into parts with their
percentages (sum, share, GRIM, quantifier), compensation in index units converted at a
dated rate and paid per victim (conversion, mean_within), amounts in scaled words
converted between currencies, dates and penalty ranges in order, bounds. Facts no rule
uses (statements, counts, dates, qualified durations) and number-free text fill the rest.

Which motif goes where is decided by *herding*: paragraph after paragraph, the generator
places the motif that brings the running totals closest to the measured mix
(:mod:`benchmarks.mix`): rules and facts per paragraph, the kinds of rules, how the numbers
rules use are written, series lengths, parts per sum, facts no rule uses, text per
paragraph and the share of failing, warning and skipped rules. The plan is computed once
for a cycle of paragraphs; document ``i`` takes its paragraphs from the cycle at an offset,
so each document can be written (and its truth rebuilt) on its own.

Numbers are drawn from a seeded generator: the same arguments write the same bytes. The
source text is written first and every fact quotes it, so the data passes kzfacts'
anchoring and coverage checks. Each paragraph also carries its *truth* for the
hand-written floor (:mod:`benchmarks.floor`): every fact's value as written (an integer
mantissa, a power of ten, whether it is rounded, its qualifier) and every rule as a tuple.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.mix import CLASSES, KINDS, REAL, Mix, measure_all
from benchmarks.motifs import (
    FILLER,
    MCI,
    USD,
    Builder,
    Paragraph,
    Retry,
    bound,
    compensation,
    conversion,
    filler_fact,
    grim,
    order,
    partition,
    quantifier,
    series,
    series_against_total,
)

__all__ = ["Findings", "Paragraph", "document", "generate", "real_mix", "write_document",
           "write_rules"]

UNITS = """definitions:
  - person = [person] = _ = persons
  - victim = [victim] = _ = victims
  - case = [case] = _ = cases
  - crime = [crime] = _ = crimes
  - member = [member] = _ = members
  - KZT = [currency_KZT] = _ = tenge
  - USD = [currency_USD] = _ = US_dollar
  - MCI = [index_MCI] = _ = monthly_calculation_index
words:
  tenge: KZT
  US dollars: USD
  MCI: MCI
"""


def _reference() -> str:
    out = ["tables:"]
    for name, unit, values, tenths in (("mci", "KZT/MCI", MCI, False),
                                       ("usd", "KZT/USD", USD, True)):
        out += [f"  {name}:", f"    unit: {unit}", "    description: synthetic", "    entries:"]
        for year, v in values.items():
            value = f"'{v // 10}.{v % 10}'" if tenths else str(v)
            out += [f"      - value: {value}", f"        effective_from: '{year}-01-01'",
                    "        confidence: confirmed",
                    "        source_url: 'https://example.org/reference'"]
    return "\n".join(out) + "\n"


REFERENCE = _reference()

# -- the plan: which motif goes in which paragraph ------------------------------------------

Motif = Callable[..., None]


@dataclass(frozen=True)
class _Config:
    name: str
    motif: Motif
    kwargs: tuple[tuple[str, Any], ...]
    injects: tuple[str, ...]  # the findings it can plant


def _configs(mix: Mix) -> list[_Config]:
    out = []
    for years in sorted(set(mix.series_years) or {3}):
        for n in (1, 3):
            out.append(_Config(f"series{years}x{n}", series, (("years", years), ("n", n)),
                               ("fail",)))
        out.append(_Config(f"series{years}-total", series_against_total, (("years", years),),
                           ("fail",)))
    for parts in sorted(set(mix.sum_parts) or {3}):
        for variant in ("plain", "bound", "shares", "grim", "qualified", "quantifier"):
            if variant == "quantifier" and parts < 3:
                continue
            injects = ("fail", "warn") if variant in ("shares", "grim", "quantifier") else (
                () if variant == "qualified" else ("fail",))
            out.append(_Config(f"partition{parts}-{variant}", partition,
                               (("parts", parts), ("variant", variant)), injects))
    out += [_Config(f"grim{n}", grim, (("shares", n),), ("fail",)) for n in (1, 4)]
    out += [_Config(f"compensation{c}-{m}", compensation, (("conversions", c), ("means", m)),
                    ("fail",)) for c, m in ((3, 0), (0, 2), (3, 5))]
    out += [_Config(f"conversion-{v}", conversion, (("variant", v),), ("fail",))
            for v in ("scaled", "tolerance", "rate", "range")]
    out += [_Config(f"order-{v}{n}", order, (("variant", v), ("dates", n)), ("fail",))
            for v, n in (("dates", 2), ("dates", 3), ("strict", 5), ("ranges", 0),
                         ("decimals", 0))]
    out += [_Config(f"bound-{v}", bound, (("variant", v),),
                    ("fail", "skip") if v == "le" else ("fail",)) for v in ("le", "lt", "restated")]
    out.append(_Config("quantifier", quantifier, (), ("fail",)))
    return out


def _build(config: _Config, number: int, rng: random.Random, inject: str) -> Builder:
    """The motif in a new paragraph, drawing again while its quotes are ambiguous."""
    for _ in range(200):
        b = Builder(number, rng)
        try:
            config.motif(b, inject=inject, **dict(config.kwargs))
            b.done()
        except Retry:
            continue
        return b
    raise RuntimeError(f"motif {config.name} found no unambiguous numbers")


def _uses(para: Paragraph) -> Iterator[tuple[str, list[str]]]:
    """(rule kind, the distinct facts it uses) for each rule of a paragraph, as kzfacts
    lists them: a series uses its facts of every year, a range end uses the range."""
    for check in para.checks:
        kind = check[0]
        refs: list[str] = []
        for item in check[2:]:
            for ref in item if isinstance(item, tuple) else (item,):
                if isinstance(ref, str) and ref.startswith("p"):
                    refs.append(ref.split("@")[0])
        if kind == "series":
            first, last = check[-2], check[-1]
            refs = [r.replace("{year}", str(y)) for y in range(first, last + 1) for r in refs]
        if kind == "quantifier":
            rule = next(r for r in para.rules if r["id"] == check[1])
            if rule.get("claim"):
                refs.append(rule["claim"])
        yield kind, list(dict.fromkeys(r for r in refs if r in para.plain))


def _stats(para: Paragraph) -> Counter[str]:
    """What a paragraph adds to the running totals herding steers."""
    out: Counter[str] = Counter()
    used: set[str] = set()
    for kind, refs in _uses(para):
        out["rules"] += 1
        out[f"kind:{kind}"] += 1
        for r in refs:
            out[f"op:{para.classes[r]}"] += 1
        used.update(refs)
    for check in para.checks:
        if check[0] == "series":
            out[f"series_years:{check[-1] - check[-2] + 1}"] += 1
        elif check[0] == "sum":
            out[f"sum_parts:{len(check[2])}"] += 1
    out["used"] = len(used)
    out["facts"] = len(para.facts)
    return out


def _verdicts(para: Paragraph) -> Counter[str]:
    from benchmarks.floor import truth, verdicts

    return Counter(verdicts(truth([para])).values())


def _targets(mix: Mix) -> dict[str, float]:
    """Each steered quantity per rule, in the real mix."""
    t = {f"kind:{k}": mix.kind_share(k) for k in KINDS}
    t.update({f"op:{c}": mix.operands[c] / max(1, mix.rules) for c in CLASSES})
    t["used"] = mix.used_per_rule
    for key, values in (("series_years", mix.series_years), ("sum_parts", mix.sum_parts)):
        t.update({f"{key}:{n}": c / max(1, mix.rules) for n, c in Counter(values).items()})
    return t


@dataclass(frozen=True)
class _Slot:
    """The plan of one paragraph: a motif (or none), the finding it plants, and the
    classes of the facts no rule uses that it holds."""

    config: int | None
    inject: str
    fillers: tuple[str, ...]


@dataclass(frozen=True)
class Findings:
    """Shares of rules to make fail, warn only under truncation, or skip."""

    fail: float
    warn: float
    skip: float


#: Paragraphs planned before the plan repeats (document i starts at i × paragraphs).
CYCLE = 997


@functools.cache
def real_mix() -> Mix:
    """The pooled mix of the bundled base and ``tests/examples/nordavia``."""
    return measure_all(REAL)


@functools.cache
def _plan(findings: Findings | None, every: int) -> tuple[tuple[_Config, ...], tuple[_Slot, ...]]:
    mix = real_mix()
    configs = tuple(_configs(mix))
    rng = random.Random(1)  # noqa: S311 - test data, not a secret
    stats = [_stats(_build(c, 1, rng, "").para) for c in configs]
    # the verdicts each motif gives as it is, and with each finding it can plant (the floor
    # decides them: a planted finding can move more than one rule)
    outcomes = [{inject: _verdicts(_build(c, 1, rng, inject).para) for inject in ("", *c.injects)}
                for c in configs]
    targets = _targets(mix)
    rate = findings or Findings(mix.verdict_share("fail"), mix.verdict_share("warn"),
                                mix.verdict_share("skip"))
    total: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    unused: Counter[str] = Counter()
    motifs = 0
    slots = []
    for i in range(CYCLE):
        chosen: int | None = None
        inject = ""
        if total["rules"] < mix.rules_per_paragraph * (i + 1):
            def error(s: Counter[str]) -> float:
                # squared distance to the targets, each error scaled by the square root of
                # its target, so that rare kinds and classes count as much as common ones
                rules = total["rules"] + s["rules"]
                return sum((total[k] + s[k] - v * rules) ** 2 / max(v, 0.02)
                           for k, v in targets.items())
            chosen = min(range(len(configs)), key=lambda c: error(stats[c]))
            total.update(stats[chosen])
            motifs += 1
            can = configs[chosen].injects
            if every:
                inject = "fail" if motifs % every == 0 and "fail" in can else ""
            else:
                for what in ("skip", "warn", "fail"):
                    if what in can and verdicts[what] < getattr(rate, what) * total["rules"]:
                        inject = what
                        break
            verdicts.update(outcomes[chosen][inject])
        need = round(mix.facts_per_paragraph * (i + 1)) - total["facts"]
        fillers = []
        for _ in range(max(0, need)):
            cls = min(CLASSES, key=lambda c: unused[c] - mix.unused_share(c) * (unused.total() + 1))
            unused[cls] += 1
            fillers.append(cls)
        total["facts"] += len(fillers)
        slots.append(_Slot(chosen, inject, tuple(fillers)))
    return configs, tuple(slots)


def _pad(b: Builder, target: float) -> None:
    """Plain sentences (no numbers) until the paragraph holds about ``target`` characters."""
    i = 0
    while sum(len(s) + 1 for s in b.sentences) < target - 30:
        b.say(FILLER[(b.para.number + i) % len(FILLER)].format(tag=b.tag) + ".")
        i += 1


def paragraphs_for(index: int, paragraphs: int, *, seed: int = 0,
                   findings: Findings | None = None, finding_every: int = 0) -> list[Paragraph]:
    """The paragraphs of document ``index`` (its facts, rules and truth), without writing."""
    configs, slots = _plan(findings, finding_every)
    mix = real_mix()
    rng = random.Random(seed * 1_000_003 + index)  # noqa: S311 - test data, not a secret
    out: list[Paragraph] = []
    chars = 0  # of text so far: each paragraph is padded toward the real average
    for n in range(1, paragraphs + 1):
        slot = slots[(index * paragraphs + n - 1) % len(slots)]
        for _ in range(200):
            if slot.config is not None:
                b = _build(configs[slot.config], n, rng, slot.inject)
            else:
                b = Builder(n, rng)
            for i, cls in enumerate(slot.fillers):
                filler_fact(b, cls, i)
            _pad(b, mix.characters_per_paragraph * n - chars)
            try:
                out.append(b.done())
                break
            except Retry:
                continue
        else:
            raise RuntimeError(f"paragraph {n} of document {index}: no unambiguous numbers")
        chars += len(out[-1].text) + 4  # "12. " before it
    return out


def document(index: int, paragraphs: int | None = None, *, seed: int = 0,
             findings: Findings | None = None, finding_every: int = 0) -> list[Paragraph]:
    """Document ``index`` of a corpus :func:`generate` writes with the same arguments."""
    if paragraphs is None:
        paragraphs = round(real_mix().paragraphs_per_document)
    return paragraphs_for(index, paragraphs, seed=seed, findings=findings,
                          finding_every=finding_every)


# -- writing --------------------------------------------------------------------------------

def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


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


def write_rules(root: Path, rules: list[dict[str, Any]], *, per_file: int) -> None:
    """The rules, ``per_file`` to a file, as real fact bases split them by topic."""
    folder = root / "rules"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    for i in range(0, len(rules), per_file):
        (folder / f"r{i // per_file:03d}.yaml").write_text(
            _records("rules", rules[i:i + per_file]))
    if not rules:
        (folder / "r000.yaml").write_text("rules: []\n")


def write_document(root: Path, paras: list[Paragraph], *, title: str = "Synthetic report") -> None:
    """Write one fact base under ``root`` from its paragraphs."""
    facts = root / "facts"
    facts.mkdir(parents=True, exist_ok=True)
    source = "SYNTHETIC REPORT\n\n" + "\n".join(f"{p.number}. {p.text}" for p in paras) + "\n"
    raw = source.encode()
    (facts / "source.txt").write_bytes(raw)
    (facts / "document.yaml").write_text(
        f"title: {title}\nsource: source.txt\n"
        f"sha256: {hashlib.sha256(raw).hexdigest()}\nparagraphs: numbered\n"
        "units: units.yaml\nreference: reference.yaml\nnot_claims: null\n")
    (facts / "units.yaml").write_text(UNITS)
    (facts / "reference.yaml").write_text(REFERENCE)
    for p in paras:
        if p.facts:
            (facts / f"p{p.number:03d}.yaml").write_text(
                f"paragraph: {p.number}\n" + _records("facts", p.facts))
    write_rules(root, [r for p in paras for r in p.rules],
                per_file=max(1, round(real_mix().rules_per_file)))
    (root / "baseline.yaml").write_text("accepted: []\n")


def generate(out: Path | str, *, documents: int, paragraphs: int | None = None, seed: int = 0,
             findings: Findings | None = None, finding_every: int = 0) -> Path:
    """Write a corpus: ``out/d00000/``, ``out/d00001/``... each a fact base.

    Args:
        out: the corpus folder (created).
        documents: how many documents.
        paragraphs: paragraphs per document (default: as many as the real ones average).
        seed: the random seed; the same arguments write the same bytes.
        findings: shares of rules planted to fail, warn or skip (default: the real mix's).
        finding_every: if set, instead plant a failure in every this many motifs.

    Returns:
        The corpus folder.
    """
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    for i in range(documents):
        write_document(root / f"d{i:05d}", document(i, paragraphs, seed=seed, findings=findings,
                                                    finding_every=finding_every),
                       title=f"Synthetic report {i}")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--paragraphs", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    generate(args.out, documents=args.documents, paragraphs=args.paragraphs, seed=args.seed)


if __name__ == "__main__":
    main()
