"""The extra report formats: JUnit XML, SARIF 2.1.0 and ClaimReview JSON-LD, on the bundled base."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import kzfacts
from kzfacts.data.model import Severity, Verdict
from kzfacts.engine.result import AnchorProblem, CoverageSummary, Uncovered
from kzfacts.reports.formats import (
    FINGERPRINT,
    claimreview_missing,
    render_claimreview,
    render_junit,
    render_sarif,
    split_location,
)

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
FINDINGS = {Verdict.FAIL, Verdict.WARN}


@pytest.fixture(scope="module")
def report(kzfacts_report: kzfacts.Report) -> kzfacts.Report:
    """The bundled base's report, checked once per session (the kzfacts plugin's)."""
    return kzfacts_report


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def sarif_results(report: kzfacts.Report) -> list[dict[str, Any]]:
    doc = json.loads(render_sarif(report))
    results: list[dict[str, Any]] = doc["runs"][0]["results"]
    return results


def junit(report: kzfacts.Report) -> ET.Element:
    """The rendered JUnit XML, parsed: our own output, not untrusted input."""
    return ET.fromstring(render_junit(report))  # noqa: S314


def with_blocking_failure(report: kzfacts.Report) -> kzfacts.Report:
    """The report, with the accepted p46.outcomes-sum failure no longer accepted."""
    accepted = report.result("p46.outcomes-sum")
    assert accepted.verdict is Verdict.FAIL and accepted.severity is Severity.ERROR
    blocking = replace(accepted, accepted=False, justification=None)
    results = tuple(blocking if r.rule == blocking.rule else r for r in report.results)
    return replace(report, results=results)


def with_anchoring_and_coverage_problems(report: kzfacts.Report) -> kzfacts.Report:
    problems = (
        AnchorProblem(fact="npm.recommendations", location="facts/p46.yaml:3:5",
                      problem="the quote is not in paragraph 46"),
        AnchorProblem(fact="npm.recommendations", location="facts/p46.yaml:3:5",
                      problem="written '10,196' reads as 10196, not 10169"),
    )
    uncovered = (Uncovered(paragraph=46, text="10,169", line=120),
                 Uncovered(paragraph=46, text="10,169", line=121))
    coverage = CoverageSummary(found=209, accounted=207, uncovered=uncovered)
    return replace(report, anchoring=problems, coverage=coverage)


# ------------------------------------------------------------------------- locations


@pytest.mark.parametrize(("location", "expected"), [
    ("facts/p46.yaml:3:5", ("facts/p46.yaml", 3, 5)),
    ("C:\\kz\\facts\\p46.yaml:13:5", ("C:\\kz\\facts\\p46.yaml", 13, 5)),
    ("facts/p46.yaml:13", ("facts/p46.yaml", 13, 0)),
    ("source.txt", ("source.txt", 0, 0)),
    ("C:\\kz\\source.txt", ("C:\\kz\\source.txt", 0, 0)),
])
def test_split_location(location: str, expected: tuple[str, int, int]) -> None:
    assert split_location(location) == expected


FORMATS_EXTRA = {"junit": render_junit, "sarif": render_sarif, "claimreview": render_claimreview}


def test_the_report_formats_render_through_the_three_renderers(report: kzfacts.Report) -> None:
    """``kzfacts.reports.report`` imports them only when used; the output is theirs (the
    ClaimReview's with the publication ``document.yaml`` declares)."""
    from kzfacts.reports.report import FORMATS

    for name in ("junit", "sarif"):
        assert FORMATS[name](report) == FORMATS_EXTRA[name](report)
    base, _ = kzfacts.load(ROOT / "facts", ROOT / "rules")
    assert kzfacts.render(report, "claimreview", base=base) == render_claimreview(
        report, base.document.claimreview)
    with pytest.raises(ValueError, match="the claimreview format needs the fact base"):
        kzfacts.render(report, "claimreview")


# ------------------------------------------------------------------------- SARIF


def test_sarif_is_valid_against_the_official_schema(report: kzfacts.Report,
                                                    sarif_validator: jsonschema.Draft7Validator) -> None:
    doc = json.loads(render_sarif(report))
    sarif_validator.validate(doc)
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert doc["version"] == "2.1.0"
    assert len(doc["runs"]) == 1
    assert doc["runs"][0]["tool"]["driver"]["name"] == "kzfacts"


def test_sarif_with_anchoring_and_coverage_problems_is_valid(
        report: kzfacts.Report, sarif_validator: jsonschema.Draft7Validator) -> None:
    doc = json.loads(render_sarif(with_anchoring_and_coverage_problems(report)))
    sarif_validator.validate(doc)
    results = doc["runs"][0]["results"]
    by_rule = [r["ruleId"] for r in results]
    assert by_rule.count("kzfacts.anchoring") == 2
    assert by_rule.count("kzfacts.coverage") == 2
    anchoring = next(r for r in results if r["ruleId"] == "kzfacts.anchoring")
    assert anchoring["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "facts/p46.yaml"}, "region": {"startLine": 3, "startColumn": 5}}
    prints = [r["partialFingerprints"][FINGERPRINT] for r in results]
    assert len(set(prints)) == len(prints)


def test_sarif_has_one_descriptor_per_rule(report: kzfacts.Report) -> None:
    driver = json.loads(render_sarif(report))["runs"][0]["tool"]["driver"]
    ids = [d["id"] for d in driver["rules"]]
    assert len(ids) == len(set(ids))
    checks = {f"kzfacts.{d.id.split('.')[0]}.{d.check}" for d in report.document_findings}
    assert set(ids) == ({r.rule for r in report.results} | {"kzfacts.anchoring", "kzfacts.coverage"}
                        | checks)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    descriptors = {d["id"]: d for d in driver["rules"]}
    for r in report.results:
        d = descriptors[r.rule]
        assert d["shortDescription"]["text"] == r.title
        assert d["fullDescription"]["text"] == r.why
        assert d["defaultConfiguration"]["level"] == levels[r.severity.value]


def test_sarif_results_are_the_findings_with_their_levels(report: kzfacts.Report) -> None:
    results = [s for s in sarif_results(report) if not s["ruleId"].startswith("kzfacts.")]
    findings = [r for r in report.results if r.verdict in FINDINGS]
    assert [s["ruleId"] for s in results] == [r.rule for r in findings]
    rules = json.loads(render_sarif(report))["runs"][0]["tool"]["driver"]["rules"]
    for s, r in zip(results, findings, strict=True):
        assert rules[s["ruleIndex"]]["id"] == r.rule
        assert s["message"]["text"] == r.message
        if r.verdict is Verdict.WARN or r.severity is Severity.INFO:
            assert s["level"] == "note"
        else:
            assert s["level"] == r.severity.value
        assert ("suppressions" in s) == r.accepted


def test_sarif_p46_points_at_its_four_facts_and_is_suppressed(report: kzfacts.Report) -> None:
    result = report.result("p46.outcomes-sum")
    sarif = next(s for s in sarif_results(report) if s["ruleId"] == "p46.outcomes-sum")
    expected = [(split_location(f.location)[1], split_location(f.location)[2]) for f in result.facts]
    assert len(expected) == 4
    physical = [loc["physicalLocation"] for loc in sarif["locations"]]
    assert {p["artifactLocation"]["uri"] for p in physical} == {"facts/p46.yaml"}
    assert [(p["region"]["startLine"], p["region"]["startColumn"]) for p in physical] == expected
    related = sarif["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "rules/npm.yaml"
    assert related["region"]["startLine"] == split_location(result.location)[1]
    assert result.accepted
    assert result.justification is not None
    assert sarif["suppressions"] == [{"kind": "external", "status": "accepted",
                                      "justification": result.justification}]


def test_sarif_fingerprints_differ_between_results(report: kzfacts.Report) -> None:
    prints = [s["partialFingerprints"][FINGERPRINT] for s in sarif_results(report)]
    assert len(prints) >= 2
    assert len(set(prints)) == len(prints)
    assert all(len(p) == 64 for p in prints)


def test_sarif_fingerprint_ignores_the_order_of_facts(report: kzfacts.Report) -> None:
    result = report.result("p46.outcomes-sum")
    shuffled = replace(result, facts=tuple(reversed(result.facts)))
    moved = replace(report, results=(shuffled,))
    before = next(s for s in sarif_results(report) if s["ruleId"] == result.rule)
    after = sarif_results(moved)[0]
    assert before["partialFingerprints"] == after["partialFingerprints"]
    assert before["locations"] != after["locations"]


# ------------------------------------------------------------------------- JUnit


def test_junit_has_a_case_per_rule_plus_anchoring_and_coverage(report: kzfacts.Report) -> None:
    root = junit(report)
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    assert suite.get("name") == "kzfacts"
    cases = suite.findall("testcase")
    # a case per rule, per finding on the document, then anchoring, coverage, checked facts
    assert len(cases) == len(report.results) + len(report.document_findings) + 3
    assert [c.get("name") for c in cases[-3:]] == ["anchoring", "coverage", "checked-facts"]
    npm = next(c for c in cases if c.get("name") == "p46.outcomes-sum")
    assert npm.get("classname") == "rules.npm"
    assert npm.get("file") == "rules/npm.yaml"
    assert npm.get("line") == str(split_location(report.result("p46.outcomes-sum").location)[1])


def test_junit_counts_match_the_cases(report: kzfacts.Report) -> None:
    suite = junit(report).findall("testsuite")[0]
    cases = suite.findall("testcase")
    accepted = sum(1 for r in report.results if r.accepted)
    skips = sum(1 for r in report.results if not r.accepted and r.verdict is Verdict.SKIP)
    assert suite.get("tests") == str(len(cases))
    assert suite.get("failures") == "0"
    assert suite.get("errors") == "0"
    documented = sum(1 for d in report.document_findings if d.accepted)
    assert suite.get("skipped") == str(accepted + skips + documented)
    assert (accepted, documented) == (7, 9)
    skipped = [c.find("skipped") for c in cases if c.find("skipped") is not None]
    assert all((s.get("message") or "").startswith("accepted: ") for s in skipped if s is not None)


def test_junit_blocking_failure_shows_the_arithmetic_and_the_facts(report: kzfacts.Report) -> None:
    failing = with_blocking_failure(report)
    assert failing.exit_code == 1
    suite = junit(failing).findall("testsuite")[0]
    assert suite.get("failures") == "1"
    assert suite.get("skipped") == "15"  # 6 accepted rules, 9 accepted findings on the document
    case = next(c for c in suite.findall("testcase") if c.get("name") == "p46.outcomes-sum")
    failure = case.find("failure")
    assert failure is not None
    result = failing.result("p46.outcomes-sum")
    assert failure.get("message") == result.message
    body = failure.text or ""
    assert result.message in body
    for f in result.facts:
        assert f.quote in body
        _, line, col = split_location(f.location)
        assert f"facts/p46.yaml:{line}:{col}" in body
    assert case.find("skipped") is None


def test_junit_warning_goes_to_system_out(report: kzfacts.Report) -> None:
    warned = replace(report.result("p45.annual-kzt-to-usd"), accepted=False, justification=None)
    suite = junit(replace(report, results=(warned,)))[0]
    case = suite.findall("testcase")[0]
    out = case.find("system-out")
    assert out is not None
    assert warned.message in (out.text or "")
    assert case.find("failure") is None
    assert case.find("skipped") is None


def test_junit_anchoring_and_coverage_fail_when_not_empty(report: kzfacts.Report) -> None:
    suite = junit(with_anchoring_and_coverage_problems(report))[0]
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    anchoring = cases["anchoring"].find("failure")
    coverage = cases["coverage"].find("failure")
    assert anchoring is not None and coverage is not None
    assert "the quote is not in paragraph 46" in (anchoring.text or "")
    assert "line 121" in (coverage.text or "")
    assert suite.get("failures") == "2"
    clean = junit(report)[0]
    assert all(c.find("failure") is None for c in clean.findall("testcase")[-2:])


def test_junit_escapes_what_xml_cannot_hold(report: kzfacts.Report) -> None:
    message = 'a < b & "c" \x1b[31m'
    odd = replace(report.result("p46.outcomes-sum"), accepted=False, justification=None,
                  message=message)
    root = junit(replace(report, results=(odd,)))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == 'a < b & "c" \\x1b[31m'


def test_junit_holds_only_what_xml_can_hold(report: kzfacts.Report) -> None:
    """A message and a title holding every code point: the XML parses, and holds none that
    XML 1.0 leaves out (nor a raw control or format character: kzfacts._escape)."""
    every = "".join(map(chr, range(0x110000)))
    odd = replace(report.result("p46.outcomes-sum"), accepted=False, justification=None,
                  message=every, title=every)
    text = render_junit(replace(report, results=(odd,)))

    def xml_char(c: int) -> bool:  # XML 1.0's Char production
        return (c in (0x9, 0xA, 0xD) or 0x20 <= c <= 0xD7FF or 0xE000 <= c <= 0xFFFD
                or 0x10000 <= c <= 0x10FFFF)

    assert all(xml_char(ord(c)) for c in text)
    failure = ET.fromstring(text).find("testsuite/testcase/failure")  # noqa: S314 - our output
    assert failure is not None and failure.text is not None
    assert "\x1b" not in failure.text and "\u202e" not in failure.text
    assert failure.text.startswith("\\x00\\x01")
    assert "\ud7ff\\ud800\\ud801" in failure.text and "\\udfff\ue000" in failure.text
    assert "\\ufffe\\uffff\U00010000" in failure.text


def test_sarif_and_claimreview_do_not_import_the_xml_library() -> None:
    code = ("import sys, kzfacts\n"
            "r = kzfacts.check(*sys.argv[1:3], baseline=sys.argv[3])\n"
            "from kzfacts.reports.formats import render_claimreview, render_sarif\n"
            "render_sarif(r); render_claimreview(r)\n"
            "assert 'xml.etree.ElementTree' not in sys.modules, 'imported'\n"
            "from kzfacts.reports.formats import render_junit\n"
            "render_junit(r)\n"
            "assert 'xml.etree.ElementTree' in sys.modules\n")
    proc = subprocess.run([sys.executable, "-c", code, str(ROOT / "facts"), str(ROOT / "rules"),
                           str(ROOT / "baseline.yaml")], capture_output=True, text=True,
                          check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr


# ------------------------------------------------------------------------- ClaimReview


def test_claimreview_has_one_review_per_finding(report: kzfacts.Report) -> None:
    reviews = json.loads(render_claimreview(report))
    findings = [r for r in report.results if r.verdict in FINDINGS]
    assert isinstance(reviews, list)
    assert [x["identifier"] for x in reviews] == [r.rule for r in findings]
    assert {x["reviewRating"]["alternateName"] for x in reviews} <= {"fail", "warn"}
    for x, r in zip(reviews, findings, strict=True):
        assert x["@context"] == "https://schema.org"
        assert x["@type"] == "ClaimReview"
        assert x["name"] == r.title
        assert "author" not in x and "url" not in x and "datePublished" not in x
        assert x["reviewRating"]["@type"] == "Rating"
        assert x["reviewRating"]["ratingExplanation"] == r.message
        assert x["itemReviewed"]["@type"] == "Claim"
        assert [a["position"] for a in x["itemReviewed"]["appearance"]] == list(r.paragraphs)


def test_claimreview_quotes_the_claims(report: kzfacts.Report) -> None:
    reviews = {x["identifier"]: x for x in json.loads(render_claimreview(report))}
    p46 = reviews["p46.outcomes-sum"]
    assert "10,169" in p46["claimReviewed"]
    quotes = [f.quote for f in report.result("p46.outcomes-sum").facts]
    assert p46["claimReviewed"] == " / ".join(quotes)


def test_claimreview_writes_the_publication_document_yaml_declares(report: kzfacts.Report) -> None:
    publication = kzfacts.ClaimReviewPublication.model_validate(
        {"publisher": "Fact Desk", "url": "https://example.org/kz", "date": "2024-03-20"})
    reviews = json.loads(render_claimreview(report, publication))
    assert reviews
    for x in reviews:
        assert x["author"] == {"@type": "Organization", "name": "Fact Desk"}
        assert x["url"] == f"https://example.org/kz#r-{x['identifier']}"
        assert x["datePublished"] == "2024-03-20"
    assert claimreview_missing(publication) is None


@pytest.mark.parametrize(("declared", "notice"), [
    ({}, "lacks publisher, url, date for publication: declare them"),
    ({"url": "https://example.org/kz", "date": "2024-03-20"},
     "lacks publisher for publication: declare it"),
])
def test_claimreview_names_what_is_missing(report: kzfacts.Report, declared: dict[str, str],
                                           notice: str) -> None:
    publication = kzfacts.ClaimReviewPublication.model_validate(declared)
    message = claimreview_missing(publication)
    assert message == (f"the ClaimReview output {notice} under claimreview: in document.yaml "
                       "(see docs/format.md)")
    reviews = json.loads(render_claimreview(report, publication))
    for field, key in (("publisher", "author"), ("url", "url"), ("date", "datePublished")):
        assert all((key in x) == (field in declared) for x in reviews)


def test_claimreview_from_the_command_line(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from kzfacts.cli import main

    base = tmp_path / "nordavia"
    shutil.copytree(ROOT / "tests" / "examples" / "nordavia", base)
    monkeypatch.chdir(base)
    assert main(["check", "--format", "claimreview"]) == 0
    out = capsys.readouterr()
    assert "url, date for publication" in out.err and '"url"' not in out.out
    document = base / "facts" / "document.yaml"
    document.write_text(document.read_text(encoding="utf-8") + (
        "claimreview: {publisher: Nordavia Fact Desk, url: 'https://example.org/n',\n"
        "              date: '2024-03-20'}\n"), encoding="utf-8")
    assert main(["check", "-o", "reviews.jsonld"]) == 0
    out = capsys.readouterr()
    assert (out.out, out.err) == ("", "")
    reviews = json.loads((base / "reviews.jsonld").read_text(encoding="utf-8"))
    assert {x["url"] for x in reviews} == {f"https://example.org/n#r-{x['identifier']}"
                                           for x in reviews}


# ------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("fmt", sorted(FORMATS_EXTRA))
def test_rendering_is_deterministic(report: kzfacts.Report, fmt: str) -> None:
    render = FORMATS_EXTRA[fmt]
    first = render(report)
    assert render(report) == first
    rebuilt = kzfacts.Report.from_dict(report.to_dict())
    assert render(rebuilt) == first
    if fmt != "junit":  # JSON: keys sorted, two-space indent, one final newline
        canonical = json.dumps(json.loads(first), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        assert first == canonical


def test_output_does_not_depend_on_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    inside = kzfacts.check(ROOT / "facts", ROOT / "rules", baseline=ROOT / "baseline.yaml")
    monkeypatch.chdir(tmp_path)
    outside = kzfacts.check(ROOT / "facts", ROOT / "rules", baseline=ROOT / "baseline.yaml")
    assert inside.result("p46.outcomes-sum").location != outside.result("p46.outcomes-sum").location
    for fmt, render in FORMATS_EXTRA.items():
        text = render(outside)
        assert text == render(inside), fmt
        assert str(ROOT) not in text, fmt
