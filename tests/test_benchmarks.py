"""The benchmark's data: the generator writes valid fact bases with the real mix, and the
hand-written floor decides every rule as kzfacts does."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

import kzfacts

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
try:
    from benchmarks.floor import truth, verdicts
    from benchmarks.generate import Findings, document, generate, real_mix
    from benchmarks.mix import CLASSES, KINDS, Mix, measure, measure_corpus, operand_class
finally:
    sys.path.remove(str(ROOT))

#: Many planted findings, so that every verdict is decided often.
PLANTED = Findings(fail=0.3, warn=0.2, skip=0.1)


def test_generated_data_is_valid_and_the_floor_agrees_with_kzfacts(tmp_path: Path) -> None:
    corpus = generate(tmp_path, documents=3, paragraphs=50, findings=PLANTED)
    seen: Counter[str] = Counter()
    for i, folder in enumerate(sorted(corpus.iterdir())):
        paragraphs = document(i, 50, findings=PLANTED)
        report = kzfacts.check(folder / "facts", folder / "rules",
                               baseline=folder / "baseline.yaml")
        assert not report.anchoring and not report.coverage.uncovered
        assert report.facts == sum(len(p.facts) for p in paragraphs)
        kz = {r.rule: r.verdict.value for r in report.results}
        assert kz == verdicts(truth(paragraphs))
        seen.update(kz.values())
    assert {v: seen[v] >= 5 for v in ("pass", "warn", "fail", "skip")} == dict.fromkeys(
        ("pass", "warn", "fail", "skip"), True), seen


def test_the_same_arguments_write_the_same_bytes(tmp_path: Path) -> None:
    one = generate(tmp_path / "a", documents=2, paragraphs=6, seed=3)
    two = generate(tmp_path / "b", documents=2, paragraphs=6, seed=3)
    other = generate(tmp_path / "c", documents=2, paragraphs=6, seed=4)
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)
    assert any((one / f).read_bytes() != (other / f).read_bytes() for f in files)


def test_a_corpus_with_planted_failures_fails_and_one_without_passes(tmp_path: Path) -> None:
    failing = generate(tmp_path / "f", documents=1, paragraphs=12, finding_every=1)
    clean = generate(tmp_path / "c", documents=1, paragraphs=12,
                     findings=Findings(fail=0, warn=0, skip=0))
    bad = kzfacts.check(failing / "d00000" / "facts", failing / "d00000" / "rules")
    good = kzfacts.check(clean / "d00000" / "facts", clean / "d00000" / "rules")
    assert bad.exit_code == 1 and bad.counts["fail"] >= 3
    assert good.exit_code == 0 and good.counts["fail"] == 0


def test_operands_are_classed_by_how_they_are_written() -> None:
    base, _ = kzfacts.load(ROOT / "facts", ROOT / "rules")
    expected = {
        "torture.convicted": "whole",                          # "64"
        "torture.sentenced.prison.share": "percent",          # "78%"
        "torture.sentenced.restriction.share": "decimal",     # "7.8%"
        "january.crimes": "qualified",                        # "more than 5,300"
        "npm.budget.annual.kzt": "scaled",                     # "54.5 million tenge"
        "kidnapping.penalty.basic": "range",                   # "from 4 to 7 years"
        "law_2023_03_17.date": "date",
    }
    assert {fid: operand_class(base.facts[fid]) for fid in expected} == expected


def test_the_real_mix_pools_both_fact_bases(kzfacts_report: kzfacts.Report) -> None:
    bundled, nordavia = measure(ROOT), measure(ROOT / "tests" / "examples" / "nordavia")
    pooled = real_mix()
    report = kzfacts_report
    mixed = [r for r in report.results if r.kind in KINDS]  # the kinds the generator makes
    assert (bundled.facts, bundled.rules, bundled.paragraphs) == (
        report.facts, len(mixed), report.paragraphs)
    assert pooled.facts == bundled.facts + nordavia.facts
    assert pooled.rule_kinds == bundled.rule_kinds + nordavia.rule_kinds
    assert sum(pooled.operands.values()) == sum(len(r.facts) for r in mixed) + sum(
        nordavia.operands.values())
    assert 0 < pooled.not_whole < 1


@pytest.fixture(scope="module")
def generated_mix(tmp_path_factory: pytest.TempPathFactory) -> Mix:
    return measure_corpus(generate(tmp_path_factory.mktemp("mix"), documents=12))


# Tolerances for a corpus of 12 documents (360 paragraphs, about 470 rules): the generator
# steers every running total toward the real mix, so these hold from a few hundred rules on.
def test_the_generated_mix_matches_the_real_one(generated_mix: Mix) -> None:
    made, real = generated_mix, real_mix()
    assert made.facts_per_paragraph == pytest.approx(real.facts_per_paragraph, rel=0.03)
    assert made.rules_per_paragraph == pytest.approx(real.rules_per_paragraph, rel=0.03)
    assert made.characters_per_paragraph == pytest.approx(real.characters_per_paragraph,
                                                          rel=0.05)
    assert made.operands_per_rule == pytest.approx(real.operands_per_rule, rel=0.1)
    assert made.used_per_rule == pytest.approx(real.used_per_rule, rel=0.1)
    assert made.not_whole == pytest.approx(real.not_whole, abs=0.02)
    assert made.mean_series_years == pytest.approx(real.mean_series_years, rel=0.1)
    assert made.mean_sum_parts == pytest.approx(real.mean_sum_parts, rel=0.1)
    off = {k: (made.kind_share(k), real.kind_share(k)) for k in KINDS
           if abs(made.kind_share(k) - real.kind_share(k)) > 0.02}
    assert not off, off
    off = {c: (made.class_share(c), real.class_share(c)) for c in CLASSES
           if abs(made.class_share(c) - real.class_share(c)) > 0.01}
    assert not off, off
    off = {v: (made.verdict_share(v), real.verdict_share(v)) for v in ("warn", "fail", "skip")
           if abs(made.verdict_share(v) - real.verdict_share(v)) > 0.015}
    assert not off, off
