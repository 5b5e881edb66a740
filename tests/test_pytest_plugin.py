"""The pytest plugin, run in a scratch repository with pytester."""

from __future__ import annotations

import hashlib
import json

import pytest

SOURCE = (
    "REPORT\n"
    "1. In 2022, 10 persons were convicted, of which 6 (60%) were imprisoned and 3 fined.\n"
    "2. The fund paid 12 persons in 2022.\n"
)

FACTS = """\
paragraph: 1
facts:
  - {id: convicted, kind: count, value: 10, unit: person, subject: persons convicted,
     period: 2022, quote: "In 2022, 10 persons were convicted", written: "10"}
  - {id: imprisoned, kind: count, value: 6, unit: person, subject: persons imprisoned,
     period: 2022, quote: "6 (60%) were imprisoned", written: "6"}
  - {id: imprisoned.share, kind: share, value: 60, unit: percent, subject: share imprisoned,
     period: 2022, quote: "6 (60%) were imprisoned", written: "60%"}
  - {id: fined, kind: count, value: 3, unit: person, subject: persons fined,
     period: 2022, quote: "3 fined", written: "3"}
"""

FACTS2 = """\
paragraph: 2
facts:
  - {id: paid, kind: count, value: 12, unit: person, subject: persons paid, period: 2022,
     quote: "paid 12 persons in 2022", written: "12"}
"""

RULES = """\
rules:
  - id: sentences-sum
    kind: sum
    title: The sentences add up to the convicted
    severity: error
    paragraphs: [1]
    why: A partition.
    parts: [imprisoned, fined]
    total: convicted
  - id: imprisoned-share
    kind: share
    title: 6 of 10 is 60%
    severity: error
    paragraphs: [1]
    why: As stated.
    share: imprisoned.share
    part: imprisoned
    whole: convicted
  - id: paid-le-convicted
    kind: bound
    title: The fund paid no more persons than were convicted
    severity: error
    paragraphs: [1, 2]
    why: A made-up relation that fails, to be accepted.
    left: paid
    relation: le
    right: convicted
"""


@pytest.fixture
def repo(pytester: pytest.Pytester) -> pytest.Pytester:
    source = pytester.makefile(".txt", **{"facts/source": SOURCE})
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    pytester.makefile(".yaml", **{
        "facts/document": f"title: Test report\nsha256: {digest}\n",
        "facts/units": "definitions:\n  - person = [person]\n",
        "facts/p1": FACTS,
        "facts/p2": FACTS2,
        "rules/main": RULES,
        "baseline": "accepted:\n  - rule: paid-le-convicted\n    verdict: fail\n"
                    "    why: Made up for the test.\n",
    })
    pytester.makeini("[pytest]\ntestpaths = facts rules\n")
    return pytester


def test_one_item_per_rule_with_stable_node_ids(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--collect-only", "-q")
    out = result.stdout.str()
    for node in ("rules/main.yaml::sentences-sum", "rules/main.yaml::imprisoned-share",
                 "rules/main.yaml::paid-le-convicted", "facts/document.yaml::anchoring",
                 "facts/document.yaml::coverage"):
        assert node in out


def test_fails_are_findings_and_accepted_ones_xfail(repo: pytest.Pytester) -> None:
    result = repo.runpytest("-p", "no:cacheprovider")
    # 9 ≠ 10: the sum fails; the share passes; the baseline accepts the bound.
    result.assert_outcomes(passed=3, failed=1, xfailed=1)
    out = result.stdout.str()
    assert "6 + 3 = 9, not 10: 1 short" in out
    assert "facts/p1.yaml:" in out  # the facts involved, with their lines
    assert "Traceback" not in out
    assert "kzfacts consistency report" in out
    assert "accepted paid-le-convicted" in out


def test_findings_are_located_unless_told_not_to(repo: pytest.Pytester) -> None:
    """A failing item names its likely slip, as ``kzfacts check`` does; the option and the
    ini setting turn it off, as ``check --no-locate`` does."""
    located = repo.runpytest("-p", "no:cacheprovider").stdout.str()
    assert "repair" in located
    for args, ini in ((["--kzfacts-no-locate"], ""), ([], "kzfacts_locate = false\n")):
        repo.makeini("[pytest]\ntestpaths = facts rules\n" + ini)
        result = repo.runpytest("-p", "no:cacheprovider", *args)
        result.assert_outcomes(passed=3, failed=1, xfailed=1)
        assert "repair" not in result.stdout.str(), (args, ini)
        assert "6 + 3 = 9, not 10: 1 short" in result.stdout.str()


def test_k_selects_rules(repo: pytest.Pytester) -> None:
    result = repo.runpytest("-p", "no:cacheprovider", "-k", "share")
    result.assert_outcomes(passed=1)


def test_report_option_writes_json(repo: pytest.Pytester) -> None:
    repo.runpytest("-p", "no:cacheprovider", "--kzfacts-report", "out/report.json")
    report = json.loads((repo.path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["version"] == "2.0"
    assert report["counts"] == {"fail": 2, "pass": 1, "skip": 0, "warn": 0}


def test_broken_data_is_a_collection_error_with_location(repo: pytest.Pytester) -> None:
    repo.makefile(".yaml", **{"facts/p1": FACTS.replace("value: 10,", "value: 10.0,")})
    result = repo.runpytest("-p", "no:cacheprovider")
    out = result.stdout.str()
    assert "facts/p1.yaml:3:" in out
    assert "float" in out
    assert result.ret != 0


def test_no_kzfacts_collects_nothing(repo: pytest.Pytester) -> None:
    result = repo.runpytest("-p", "no:cacheprovider", "--no-kzfacts")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_x_stops_at_the_first_failing_item(repo: pytest.Pytester) -> None:
    repo.makefile(".yaml", **{"facts/p1": FACTS.replace('quote: "3 fined"', 'quote: "3 jailed"')})
    full = repo.runpytest("-p", "no:cacheprovider").parseoutcomes()
    assert full["failed"] >= 2  # the broken anchor and the sum
    stopped = repo.runpytest("-p", "no:cacheprovider", "-x").parseoutcomes()
    assert stopped["failed"] == 1
    assert sum(stopped.values()) < sum(full.values())


def test_lf_reruns_only_the_failed_rule(repo: pytest.Pytester) -> None:
    first = repo.runpytest()
    first.assert_outcomes(passed=3, failed=1, xfailed=1)
    again = repo.runpytest("--lf")
    again.assert_outcomes(failed=1)
    assert "rules/main.yaml::sentences-sum" in again.stdout.str()


def test_xdist_runs_rules_in_workers_and_still_summarises(repo: pytest.Pytester) -> None:
    # a real pytest process and its two workers (Hypothesis, which this repository does not
    # use, left out of the three)
    result = repo.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:hypothesispytest",
                                       "-n", "2", "--kzfacts-report", "report.md")
    result.assert_outcomes(passed=3, failed=1, xfailed=1)
    out = result.stdout.str()
    assert "kzfacts consistency report" in out
    assert "6 + 3 = 9, not 10: 1 short" in out
    assert "sentences-sum" in (repo.path / "report.md").read_text(encoding="utf-8")


def test_junitxml_has_one_testcase_per_rule(repo: pytest.Pytester) -> None:
    import xml.etree.ElementTree as ET

    repo.runpytest("-p", "no:cacheprovider", "--junitxml", "junit.xml")
    cases = ET.parse(repo.path / "junit.xml").getroot().iter("testcase")  # noqa: S314
    by_name = {c.get("name"): c for c in cases}
    assert {"sentences-sum", "imprisoned-share", "paid-le-convicted", "anchoring",
            "coverage"} == set(by_name)
    failure = by_name["sentences-sum"].find("failure")
    assert failure is not None
    assert "6 + 3 = 9, not 10" in (failure.get("message", "") + (failure.text or ""))
    assert by_name["paid-le-convicted"].find("skipped") is not None  # xfail: skipped in JUnit
    assert by_name["imprisoned-share"].find("failure") is None


def test_plugin_is_lazy_until_it_collects_data() -> None:
    import subprocess
    import sys

    code = ("import sys, kzfacts.pytest_plugin; "
            "print(sorted(m for m in sys.modules if m.startswith(('kzfacts._', 'pint', 'pydantic'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


# -- only in a fact base; once per session; every outcome visible and cheap ------------------

def test_a_project_with_other_rules_yaml_is_left_alone(pytester: pytest.Pytester) -> None:
    """Prometheus, Semgrep and Sigma keep rules in rules/*.yaml: nothing is collected there."""
    pytester.makefile(".yaml", **{
        "rules/alerts": "groups:\n  - name: example\n    rules:\n      - alert: Down\n",
        "rules/semgrep": "rules:\n  - id: no-eval\n    pattern: eval(...)\n",
        "facts/other": "something: else\n"})  # a facts/ folder, but no document.yaml
    pytester.makepyfile(test_plain="def test_ok():\n    assert True\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "rules", "facts", "test_plain.py")
    result.assert_outcomes(passed=1)
    assert "kzfacts:" not in result.stdout.str()


def test_a_fact_base_elsewhere_is_collected_when_configured(pytester: pytest.Pytester) -> None:
    source = pytester.makefile(".txt", **{"data/facts/source": SOURCE})
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    pytester.makefile(".yaml", **{
        "data/facts/document": f"title: Test report\nsha256: {digest}\n",
        "data/facts/units": "definitions:\n  - person = [person]\n",
        "data/facts/p1": FACTS, "data/facts/p2": FACTS2, "data/rules/main": RULES})
    pytester.makeini("[pytest]\nkzfacts_facts = data/facts\nkzfacts_rules = data/rules\n"
                     "kzfacts_baseline = data/baseline.yaml\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "data")
    result.assert_outcomes(passed=3, failed=2)  # the sum, and the bound nothing accepts


_COUNT_CHECKS = """
import kzfacts.engine.check as engine
real = engine.check
calls = []
def counted(*args, **kwargs):
    calls.append(1)
    return real(*args, **kwargs)
engine.check = counted
def pytest_sessionfinish(session):
    engine.check = real  # the run is in the process of the test that started it
    with open("checks.txt", "w") as f:
        f.write(str(len(calls)))
"""


def test_an_invalid_fact_base_is_checked_once_and_reported_once(repo: pytest.Pytester) -> None:
    for n in range(3):  # more rule files: each would have checked the base and failed again
        repo.makefile(".yaml", **{f"rules/more{n}": RULES.replace("id: ", f"id: m{n}-")})
    repo.makefile(".yaml", **{"facts/p1": FACTS.replace("value: 10,", "value: 10.0,")})
    repo.makeconftest(_COUNT_CHECKS)
    result = repo.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    out = result.stdout.str()
    assert out.count("facts/p1.yaml:3:") == 1
    assert "kzfacts: 1 error in the fact base:" in out
    assert (repo.path / "checks.txt").read_text() == "1"


def test_an_accepted_finding_still_marked_todo_fails(repo: pytest.Pytester) -> None:
    repo.makefile(".yaml", baseline="accepted:\n  - rule: paid-le-convicted\n    verdict: fail\n"
                                    "    why: 'TODO: justify. 12 > 10'\n")
    result = repo.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=2)
    out = result.stdout.str()
    assert ("kzfacts: paid-le-convicted: accepted by the baseline, but its justification still "
            "starts with TODO") in out
    assert "TODO     paid-le-convicted (error)" in out


def test_a_failed_warning_rule_passes_with_a_warning(repo: pytest.Pytester) -> None:
    repo.makefile(".yaml", **{"rules/main": RULES.replace(
        "title: The sentences add up to the convicted\n    severity: error",
        "title: The sentences add up to the convicted\n    severity: warning")})
    result = repo.runpytest("-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(passed=4, xfailed=1, warnings=1)
    out = result.stdout.str()
    assert "KzfactsWarning: kzfacts: sentences-sum (warning): fail: 6 + 3 = 9, not 10" in out
    assert "fail     sentences-sum (warning)" in out  # and in the kzfacts summary
    strict = repo.runpytest("-p", "no:cacheprovider", "-W", "error::pytest.PytestWarning")
    strict.assert_outcomes(passed=3, failed=1, xfailed=1)  # a user may make it fail
    assert "Traceback" not in strict.stdout.str() and "def " not in strict.stdout.str()


_RECORD_REPRS = """
import time
seen = {}
def pytest_runtest_logreport(report):
    if "kzfacts" in report.keywords and report.when == "call":
        seen[report.nodeid] = (report.outcome, type(report.longrepr).__name__, report.duration)
def pytest_sessionfinish(session):
    import json
    with open("reprs.json", "w") as f:
        json.dump(seen, f)
"""


def test_no_outcome_renders_a_traceback(repo: pytest.Pytester) -> None:
    """Pass, fail, xfail (an accepted finding) and a failed warning-level rule: each item's
    report holds a plain string or nothing, never a rendered traceback (an xfail cost 55-70
    ms for one before)."""
    repo.makefile(".yaml", **{"rules/more": """\
rules:
  - id: paid-le-imprisoned
    kind: bound
    title: A made-up relation that fails, at warning level
    severity: warning
    paragraphs: [1, 2]
    why: For the test.
    left: paid
    relation: le
    right: imprisoned
"""})
    repo.makeconftest(_RECORD_REPRS)
    result = repo.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, failed=1, xfailed=1, warnings=1)
    seen = json.loads((repo.path / "reprs.json").read_text(encoding="utf-8"))
    reprs = {(outcome, longrepr) for outcome, longrepr, _ in seen.values()}
    assert reprs == {("passed", "NoneType"), ("failed", "str"), ("skipped", "str")}, reprs
    slowest = max(duration for _, _, duration in seen.values())
    print(f"slowest kzfacts item: {slowest * 1000:.2f} ms over {len(seen)} items")


def test_the_report_option_never_writes_over_the_fact_base(repo: pytest.Pytester) -> None:
    before = (repo.path / "facts" / "p1.yaml").read_bytes()
    result = repo.runpytest("-p", "no:cacheprovider", "--kzfacts-report", "facts/p1.yaml")
    assert ("kzfacts: facts/p1.yaml: expected a file the command does not read, found a path "
            "inside its input folder") in result.stdout.str()
    assert (repo.path / "facts" / "p1.yaml").read_bytes() == before
