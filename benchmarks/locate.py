"""Localisation measured: ``python -m benchmarks.locate``.

**Planted slips.** Every numeric fact of the bundled base gets slips planted in its written
figure: one unit of its last written digit up and down, and (drawn with a fixed seed) one
digit mistyped, one digit inserted, one deleted and two adjacent digits swapped. Each slip
is planted in the fact's words, its quote, the source text and its value together, so the
anchoring check passes and does not give the culprit away (a plant it still catches is
counted apart). This module plants them with its own text edits, not with kzfacts' error
model. For every plant some rule catches (a rule whose verdict gets worse), each new
finding is located, and the figures below are counted over those findings:

* the planted fact among the candidates (target >= 95%), ranked first (>= 70%);
* the median number of candidates (<= 3);
* localisations reported as unique that name another fact (0).

**Cost.** ``kzfacts check`` on the bundled base with and without localisation, in
interleaved pairs (ratio of medians, target <= 1.2), and the time localisation takes on
generated documents of growing size (per finding, so linear shows as flat).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import kzfacts
from kzfacts.data.factbase import FactBase
from kzfacts.data.loader import Rules
from kzfacts.data.model import NUMERIC_KINDS, Verdict
from kzfacts.data.source import SourceText, anchor_fact
from kzfacts.engine.compile import compile_rules
from kzfacts.engine.evaluate import evaluate
from kzfacts.engine.locate import locate
from kzfacts.errors import ReadError
from kzfacts.values.numbers import read_number

__all__ = ["Figures", "Plant", "measure", "plant", "plants"]

ROOT = Path(__file__).resolve().parents[1]
_RANK = {Verdict.PASS: 0, Verdict.SKIP: 0, Verdict.WARN: 1, Verdict.FAIL: 2}


@dataclasses.dataclass(frozen=True)
class Plant:
    """A slip planted in one fact's written figure."""

    fact: str
    slip: str
    written: str  # the fact's words with the slip


@dataclasses.dataclass
class Figures:
    """What the planted slips gave."""

    plants: int = 0
    given_away: int = 0  # the anchoring check still names the fact
    caught: int = 0
    findings: int = 0
    among: int = 0
    first: int = 0
    unique: int = 0
    unique_wrong: int = 0
    sizes: list[int] = dataclasses.field(default_factory=list)
    missed: list[str] = dataclasses.field(default_factory=list)

    def lines(self) -> list[str]:
        def pct(n: int) -> str:
            return f"{100 * n / self.findings:.1f}%" if self.findings else "n/a"

        median = statistics.median(self.sizes) if self.sizes else 0
        return [
            f"planted slips: {self.plants} ({self.given_away} given away by anchoring), "
            f"caught by some rule: {self.caught}, new findings located: {self.findings}",
            f"planted fact among the candidates: {self.among}/{self.findings} ({pct(self.among)})"
            " (target >= 95%)",
            f"planted fact ranked first: {self.first}/{self.findings} ({pct(self.first)}) "
            "(target >= 70%)",
            f"median number of candidates: {median} (target <= 3); "
            f"max {max(self.sizes, default=0)}",
            f"reported unique: {self.unique}; of them another fact: {self.unique_wrong} "
            "(target 0)"]


def _edit_digits(text: str, rng: random.Random) -> Iterator[tuple[str, str]]:
    """(slip, new text): the planted edits of a figure's words."""
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    if not digits:
        return
    last = digits[-1]
    for step, name in ((1, "last digit +1"), (-1, "last digit -1")):
        chars, i, done = list(text), last, False
        while i >= 0 and not done:
            if chars[i].isdigit():
                d = int(chars[i]) + step
                if 0 <= d <= 9:
                    chars[i], done = str(d), True
                else:
                    chars[i] = "0" if step > 0 else "9"
            i -= 1
        if done:
            yield name, "".join(chars)
        elif step > 0:
            first = digits[0]
            yield name, text[:first] + "1" + "".join(chars)[first:]
    i = rng.choice(digits)
    yield "digit", text[:i] + rng.choice([d for d in "0123456789" if d != text[i]]) + text[i + 1:]
    i = rng.choice([*digits, last + 1])
    yield "inserted digit", text[:i] + rng.choice("0123456789") + text[i:]
    i = rng.choice(digits)
    yield "deleted digit", text[:i] + text[i + 1:]
    pairs = [i for i in digits if i + 1 in digits and text[i] != text[i + 1]]
    if pairs:
        i = rng.choice(pairs)
        yield "transposition", text[:i] + text[i + 1] + text[i] + text[i + 2:]


def plants(base: FactBase, *, seed: int = 19) -> list[Plant]:
    """The slips planted in every numeric fact whose words state its value."""
    rng = random.Random(seed)  # noqa: S311 - plants drawn reproducibly, not secrets
    out = []
    for fact in sorted(base.facts.values(), key=lambda f: f.id):
        reading = base.readings.get(fact.id)
        if fact.kind not in NUMERIC_KINDS or reading is None or reading.value != fact.value:
            continue
        for slip, text in _edit_digits(fact.stated, rng):
            try:
                new = read_number(text, unit_words=base.units.words,
                                  decimal_comma=base.document.decimal_comma)
            except ReadError:
                continue
            if new.value != reading.value and new.qualifier is reading.qualifier:
                out.append(Plant(fact.id, slip, text))
    return out


def plant(base: FactBase, p: Plant) -> FactBase | None:
    """The fact base with the slip in the source text, the words, the quotes and the value
    (``None`` when another fact states the same words: the plant would change two facts)."""
    fact = base.facts[p.fact]
    anchor = base.anchors[p.fact]
    if anchor.written_span is None:
        return None
    w0, w1 = anchor.written_span
    for other in base.anchors.values():
        if other.fact_id != p.fact and other.written_span is not None and (
                other.written_span[0] < w1 and w0 < other.written_span[1]):
            return None
    text = base.source.text[:w0] + p.written + base.source.text[w1:]
    shift = len(p.written) - (w1 - w0)
    source = SourceText.from_text(text, style=base.document.paragraphs)
    facts = dict(base.facts)
    changed = []
    for fid, a in base.anchors.items():
        if a.quote_span is not None and a.quote_span[0] <= w0 and w1 <= a.quote_span[1]:
            q0, q1 = a.quote_span
            facts[fid] = facts[fid].model_copy(update={"quote": text[q0:q1 + shift]})
            changed.append(fid)
    new = read_number(p.written, unit_words=base.units.words,
                      decimal_comma=base.document.decimal_comma)
    value: int | Decimal = new.value
    facts[p.fact] = facts[p.fact].model_copy(update={
        "value": value, "written": p.written if fact.written is not None else None,
        "quote": facts[p.fact].quote})
    anchors, readings = dict(base.anchors), dict(base.readings)
    for fid in {*changed, p.fact}:
        a = anchor_fact(facts[fid], source, unit_words=base.units.words,
                        decimal_comma=base.document.decimal_comma)
        anchors[fid] = a
        if a.reading is not None:
            readings[fid] = a.reading
    return dataclasses.replace(base, source=source, facts=facts, anchors=anchors,
                               readings=readings)


def measure(base: FactBase, rules: Rules, *, every: int = 1) -> Figures:
    """Plant every ``every``-th slip, check, and locate each new finding."""
    figures = Figures()
    before = {r.rule: r.verdict for r in evaluate(base, rules, compile_rules(base, rules))}
    for p in plants(base)[::every]:
        mutant = plant(base, p)
        if mutant is None:
            continue
        figures.plants += 1
        if any(mutant.anchors[f].problems for f in mutant.anchors):
            figures.given_away += 1
            continue
        compiled = compile_rules(mutant, rules)
        results = evaluate(mutant, rules, compiled)
        new = {r.rule for r in results if _RANK[r.verdict] > _RANK[before[r.rule]]}
        if not new:
            continue
        figures.caught += 1
        for r in locate(mutant, rules, compiled, results, findings=new):
            if r.rule not in new or r.localisation is None:
                continue
            loc = r.localisation
            figures.findings += 1
            figures.sizes.append(len(loc.candidates))
            figures.among += p.fact in loc.candidates
            figures.first += loc.candidates[:1] == (p.fact,)
            figures.unique += loc.unique
            wrong = loc.unique and loc.candidates != (p.fact,)
            figures.unique_wrong += wrong
            if p.fact not in loc.candidates or wrong:
                figures.missed.append(f"{p.fact} {p.slip} {p.written!r}: {r.rule} -> "
                                      f"{list(loc.candidates)}{' (unique)' if loc.unique else ''}")
    return figures


def _cli(args: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one ``kzfacts`` run."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kzfacts", *args], cwd=cwd, check=False,  # noqa: S603
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cost(pairs: int) -> list[str]:
    """``kzfacts check`` with and without localisation on the bundled base, interleaved."""
    on, off = [], []
    for _ in range(pairs):
        off.append(_cli(["check", "--no-locate"], ROOT))
        on.append(_cli(["check"], ROOT))
    wall = statistics.median(w for w, _ in on) / statistics.median(w for w, _ in off)
    cpu = statistics.median(c for _, c in on) / statistics.median(c for _, c in off)
    return [f"kzfacts check, bundled base, {pairs} interleaved pairs: with localisation / "
            f"without = {wall:.3f} (wall, medians), {cpu:.3f} (CPU) (target <= 1.2)"]


def scaling(sizes: tuple[int, ...]) -> list[str]:
    """Localisation time on generated documents of growing size (in-process)."""
    from benchmarks.generate import generate

    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            root = generate(Path(tmp) / f"n{n}", documents=1, paragraphs=n) / "d00000"
            base, rules = kzfacts.load(root / "facts", root / "rules")
            compiled = compile_rules(base, rules)
            results = evaluate(base, rules, compiled)
            t = time.perf_counter()
            located = locate(base, rules, compiled, results)
            seconds = time.perf_counter() - t
            findings = sum(1 for r in located if r.localisation is not None)
            lines.append(f"generated, {n} paragraphs ({len(base.facts)} facts, "
                         f"{len(rules.specs)} rules): {findings} findings located in "
                         f"{seconds * 1000:.0f} ms, {seconds * 1000 / max(findings, 1):.2f} ms "
                         f"per finding, {seconds * 1e6 / n:.0f} us per paragraph")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=9, help="interleaved check pairs")
    parser.add_argument("--quick", action="store_true", help="every 4th plant, small sizes")
    args = parser.parse_args()
    base, rules = kzfacts.load(ROOT / "facts", ROOT / "rules")
    t = time.perf_counter()
    figures = measure(base, rules, every=4 if args.quick else 1)
    lines = figures.lines()
    lines.append(f"({time.perf_counter() - t:.1f} s)")
    lines += [f"  missed: {m}" for m in figures.missed[:20]]
    lines += cost(3 if args.quick else args.pairs)
    lines += scaling((10, 20) if args.quick else (20, 40, 80))
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
