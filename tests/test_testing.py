"""kzfacts.testing: assert_consistent, the downstream fixtures, the Hypothesis profiles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

import kzfacts
from kzfacts.testing import (
    InconsistentFactBaseError,
    assert_consistent,
    end_to_end_settings,
    explain_inconsistencies,
    register_profiles,
)

ROOT = Path(__file__).resolve().parents[1]
FACTS, RULES, BASELINE = ROOT / "facts", ROOT / "rules", ROOT / "baseline.yaml"


def test_the_bundled_base_is_consistent_with_its_baseline(kzfacts_report: kzfacts.Report
                                                          ) -> None:
    assert assert_consistent(kzfacts_report) is kzfacts_report
    assert assert_consistent(FACTS, RULES, baseline=BASELINE).exit_code == 0


def test_without_its_baseline_the_message_shows_the_arithmetic_and_the_facts() -> None:
    with pytest.raises(InconsistentFactBaseError) as info:
        assert_consistent(FACTS, RULES, baseline=None)
    message = str(info.value)
    assert isinstance(info.value, AssertionError)
    assert isinstance(info.value, kzfacts.KzfactsError)
    assert "is not consistent (2 problems)" in message
    assert "rule p46.outcomes-sum (sum, error) fails" in message
    assert "4,780 + 381 + 5005 = 10,166, not 10,169: 3 short" in message
    assert "facts/p46.yaml:3:5: npm.recommendations = 10169 — “In the period of 2020" in message
    assert "rule at rules/npm.yaml:" in message
    assert info.value.report.exit_code == 1


def test_unsupported_facts_and_uncovered_numbers_are_listed(tmp_path: Path) -> None:
    shutil.copytree(FACTS, tmp_path / "facts")
    p46 = tmp_path / "facts" / "p46.yaml"
    p46.write_text(p46.read_text(encoding="utf-8").replace("value: 10169\n", "value: 10170\n"),
                   encoding="utf-8")
    nc = tmp_path / "facts" / "not_claims.yaml"
    text = nc.read_text(encoding="utf-8")
    first = text.index("  - paragraph:")
    second = text.index("  - paragraph:", first + 1)
    nc.write_text(text[:first] + text[second:], encoding="utf-8")  # drop one non-claim
    report = kzfacts.check(tmp_path / "facts", RULES, baseline=BASELINE)
    problems = explain_inconsistencies(report)
    assert any(p.startswith("fact npm.recommendations is not supported by the source: value "
                            "10170") for p in problems)
    assert any(p.startswith("number ") and "is in no fact and on no list of non-claims" in p
               for p in problems)
    with pytest.raises(AssertionError, match=r"npm\.recommendations is not supported"):
        assert_consistent(report)


def test_strict_baseline_lists_stale_entries(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.yaml"
    baseline.write_text(BASELINE.read_text(encoding="utf-8") + (
        "  - rule: p18.sentences-sum\n    verdict: fail\n    why: it once failed\n"),
        encoding="utf-8")
    report = kzfacts.check(FACTS, RULES, baseline=baseline)
    assert assert_consistent(report) is report
    with pytest.raises(InconsistentFactBaseError, match=r"baseline entry p18.sentences-sum "
                       r"\(fail\) matches no finding"):
        assert_consistent(report, strict_baseline=True)


def test_accepted_findings_still_to_justify_are_inconsistencies(tmp_path: Path) -> None:
    """What `kzfacts baseline update` writes (``why: TODO ...``) does not make a base
    consistent: a failure stays blocking, a warning is listed, and the report exits 1."""
    text = BASELINE.read_text(encoding="utf-8")
    baseline = tmp_path / "baseline.yaml"
    baseline.write_text(text.replace("why: ", "why: TODO ", 2), encoding="utf-8")
    report = kzfacts.check(FACTS, RULES, baseline=baseline)
    todo = [r for r in report.results if r.unjustified]
    assert [r.rule for r in todo] == ["p03.sentences-sum-riots",
                                      "p12-p13.repeaters-vs-participations"]
    assert report.unjustified == ("p03.sentences-sum-riots", "p12-p13.repeaters-vs-participations")
    assert report.exit_code == 1
    problems = explain_inconsistencies(report)
    for rule in report.unjustified:
        assert any(rule in p and "still to justify" in p for p in problems), rule
    with pytest.raises(InconsistentFactBaseError, match="still to justify"):
        assert_consistent(report)


DOWNSTREAM_TEST = '''
from kzfacts.testing import assert_consistent

def test_the_fact_base_is_consistent(kzfacts_report):
    assert_consistent(kzfacts_report)

def test_the_npm_total_is_the_documents(kzfacts_base):
    assert kzfacts_base.facts["npm.recommendations"].value == 10169
'''


def _downstream(pytester: pytest.Pytester, *, baseline: bool) -> None:
    shutil.copytree(FACTS, pytester.path / "data" / "facts")
    shutil.copytree(RULES, pytester.path / "data" / "rules")
    if baseline:
        shutil.copy(BASELINE, pytester.path / "data" / "baseline.yaml")
    pytester.makeini("[pytest]\nkzfacts_facts = data/facts\nkzfacts_rules = data/rules\n"
                     "kzfacts_baseline = data/baseline.yaml\ntestpaths = tests\n")
    (pytester.path / "tests").mkdir()
    (pytester.path / "tests" / "test_facts.py").write_text(DOWNSTREAM_TEST, encoding="utf-8")


def test_the_documented_downstream_example_passes(pytester: pytest.Pytester) -> None:
    _downstream(pytester, baseline=True)
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:xdist")
    result.assert_outcomes(passed=2)


def test_the_downstream_example_fails_readably_on_a_finding(pytester: pytest.Pytester) -> None:
    _downstream(pytester, baseline=False)
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:xdist")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*InconsistentFactBaseError*",
                                 "*4,780 + 381 + 5005 = 10,166, not 10,169: 3 short*"])


def test_an_invalid_base_fails_the_test_that_asks_with_its_location(
        pytester: pytest.Pytester) -> None:
    _downstream(pytester, baseline=True)
    p46 = pytester.path / "data" / "facts" / "p46.yaml"
    p46.write_text(p46.read_text(encoding="utf-8").replace("value: 10169", "value: 101.69"),
                   encoding="utf-8")
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:xdist", "-k", "npm")
    result.assert_outcomes(errors=1)  # at the fixture's setup, as pytest reports fixtures
    result.stdout.fnmatch_lines(["*kzfacts: the fact base is invalid*",
                                 "*data/facts/p46.yaml:5:12: value: expected an exact number*"])
    result.stdout.no_fnmatch_line("*During handling*")


def test_profiles_quick_and_thorough() -> None:
    before = settings.default
    assert before is not None
    try:
        register_profiles(quick="kz-quick", thorough="kz-thorough", load="kz-thorough")
        assert settings.get_profile("kz-thorough").max_examples == 10_000
        assert end_to_end_settings().max_examples == 10_000
        settings.load_profile("kz-quick")
        assert settings.get_profile("kz-quick").max_examples == 200
        assert settings.get_profile("kz-quick").derandomize
        assert end_to_end_settings().max_examples == 50
        assert end_to_end_settings(fraction=100).max_examples == 25
    finally:
        settings.register_profile("kz-restore", before)
        settings.load_profile("kz-restore")
