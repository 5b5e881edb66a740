"""The bundled fact base: complete, anchored, covered, and its verdicts pinned."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

import kzfacts
from kzfacts.data.factbase import FactBase
from kzfacts.data.loader import load_fact_base
from kzfacts.reports.report import render_markdown

ROOT = Path(__file__).resolve().parents[1]
FACTS, RULES, BASELINE = ROOT / "facts", ROOT / "rules", ROOT / "baseline.yaml"
SNAPSHOT = Path(__file__).parent / "snapshots" / "verdicts.json"


@pytest.fixture(scope="module")
def base() -> FactBase:
    return load_fact_base(FACTS)


@pytest.fixture(scope="module")
def report() -> kzfacts.Report:
    return kzfacts.check(FACTS, RULES, baseline=BASELINE)


def test_source_is_the_document_byte_for_byte(base: FactBase) -> None:
    raw = (FACTS / "source.txt").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == base.document.sha256
    shared = ROOT.parent / "shared" / "source" / "kz-cat-lopi-answers.en.txt"
    if shared.exists():  # the upstream copy, where this checkout sits beside it
        assert shared.read_bytes() == raw


def test_library_splits_46_paragraphs_and_every_one_has_facts(base: FactBase) -> None:
    assert sorted(base.source.paragraphs) == list(range(1, 47))
    assert {f.paragraph for f in base.facts.values()} == set(range(1, 47))
    assert base.source.paragraphs[18].text.startswith("In total, 64 persons")


def test_every_number_of_the_source_is_accounted_for(base: FactBase) -> None:
    assert base.coverage.found >= 200
    assert base.coverage.uncovered == []
    assert base.coverage.accounted == base.coverage.found


def test_every_fact_is_anchored(base: FactBase) -> None:
    assert base.anchoring_problems == []


def test_bundled_check_exits_zero_against_its_baseline(report: kzfacts.Report) -> None:
    assert report.exit_code == 0
    assert report.anchoring == ()
    accepted = {r.rule for r in report.results if r.accepted}
    findings = {r.rule for r in report.results if r.verdict in (kzfacts.Verdict.FAIL,
                                                                 kzfacts.Verdict.WARN)}
    # every finding is listed and justified, none hidden; an acceptance that rests on a
    # rounding convention another rule refutes is listed as refuted instead
    refuted = {c.rule for c in report.contradicted}
    assert findings == accepted | refuted
    assert not accepted & refuted


def test_verdicts_match_the_snapshot(report: kzfacts.Report) -> None:
    """A change of any verdict shows up here, and so in review."""
    pinned = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    actual = {r.rule: r.verdict.value for r in report.results}
    assert actual == pinned


def test_the_users_examples_are_checked(report: kzfacts.Report) -> None:
    assert report.result("p18.sentences-sum").message == "50 + 9 + 5 = 64 ✓"
    for rule in ("p18.prison-share", "p18.probation-share", "p18.restriction-share"):
        assert report.result(rule).verdict is kzfacts.Verdict.PASS
    for cat in ("cat1", "cat2", "cat3"):
        r = report.result(f"p38.{cat}-mci-to-tenge")
        assert r.verdict is kzfacts.Verdict.PASS
        assert "3,450 KZT/MCI" in r.message
    series = report.result("p01.discontinued-le-registered")
    assert all(f"{y}:" in series.message for y in range(2015, 2024))
    sum46 = report.result("p46.outcomes-sum")
    assert sum46.verdict is kzfacts.Verdict.FAIL
    assert sum46.message == "4,780 + 381 + 5005 = 10,166, not 10,169: 3 short"


def test_readme_findings_table_is_a_real_run(report: kzfacts.Report) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- kzfacts:findings:start -->\n(.*?)<!-- kzfacts:findings:end -->",
                  readme, re.S)
    assert m is not None
    assert m.group(1) == render_markdown(report)


def _copy_base(tmp_path: Path) -> Path:
    shutil.copytree(FACTS, tmp_path / "facts")
    shutil.copytree(RULES, tmp_path / "rules")
    shutil.copy(BASELINE, tmp_path / "baseline.yaml")
    return tmp_path


def test_a_value_edit_fails_the_check_naming_fact_and_line(tmp_path: Path) -> None:
    root = _copy_base(tmp_path)
    p46 = root / "facts" / "p46.yaml"
    text = p46.read_text(encoding="utf-8")
    assert "value: 10169\n" in text
    p46.write_text(text.replace("value: 10169\n", "value: 10166\n"), encoding="utf-8")
    report = kzfacts.check(root / "facts", root / "rules", baseline=root / "baseline.yaml")
    assert report.exit_code == 1
    [problem] = [a for a in report.anchoring if a.fact == "npm.recommendations"]
    assert problem.location.startswith(str(root / "facts" / "p46.yaml") + ":") or \
        problem.location.startswith("facts/p46.yaml:")
    assert "10,169" in problem.problem


def test_a_source_edit_that_leaves_a_quote_behind_fails(tmp_path: Path) -> None:
    root = _copy_base(tmp_path)
    source = root / "facts" / "source.txt"
    edited = source.read_bytes().replace(b"10,169 recommendations", b"10,166 recommendations")
    source.write_bytes(edited)
    doc = root / "facts" / "document.yaml"
    old = hashlib.sha256((FACTS / "source.txt").read_bytes()).hexdigest()
    doc.write_text(doc.read_text(encoding="utf-8").replace(old, hashlib.sha256(edited).hexdigest()),
                   encoding="utf-8")
    report = kzfacts.check(root / "facts", root / "rules", baseline=root / "baseline.yaml")
    assert report.exit_code == 1
    assert [a.fact for a in report.anchoring] == ["npm.recommendations"]


def test_an_edited_source_without_its_hash_is_reported(tmp_path: Path) -> None:
    root = _copy_base(tmp_path)
    source = root / "facts" / "source.txt"
    source.write_bytes(source.read_bytes() + b"\n")
    report = kzfacts.check(root / "facts", root / "rules", baseline=root / "baseline.yaml")
    assert report.exit_code == 1
    assert any("sha256" in a.problem for a in report.anchoring)


def test_a_value_its_words_do_not_state_is_shown_as_the_value(tmp_path: Path) -> None:
    """The arithmetic a rule prints is the arithmetic it did, even on a broken anchor."""
    for name in ("facts", "rules"):
        shutil.copytree(ROOT / name, tmp_path / name)
    p46 = tmp_path / "facts" / "p46.yaml"
    p46.write_text(p46.read_text(encoding="utf-8").replace("value: 4780", "value: 4783"),
                   encoding="utf-8")
    report = kzfacts.check(tmp_path / "facts", tmp_path / "rules", baseline=None)
    assert report.result("p46.outcomes-sum").message == "4,783 + 381 + 5005 = 10,169 ✓"
    assert any(a.fact == "npm.recommendations.executed" for a in report.anchoring)
    assert report.exit_code == 1
