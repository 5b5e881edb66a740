"""Hygiene of the source text: brackets and quotation marks left open, a decimal separator
other than the document's, a share without its %, thousands grouped otherwise; each at
line:column of the source, with a stable id, in every report format, accepted by a baseline.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import kzfacts
from kzfacts.data.hygiene import hygiene
from kzfacts.data.source import SourceText
from kzfacts.engine.check import check_with_base
from kzfacts.reports.report import render

ROOT = Path(__file__).resolve().parents[1]
NORDAVIA = ROOT / "tests" / "examples" / "nordavia"


def found(text: str, **kwargs: object) -> list[tuple[str, str]]:
    """``(id, line:column)`` of each finding of a numbered text."""
    source = SourceText.from_text(text, style="1.")
    out = []
    for h in hygiene(source, **kwargs):  # type: ignore[arg-type]  # the keyword arguments of hygiene
        line, column = source.position(h.offset)
        out.append((h.id, f"{line}:{column}"))
    return out


# -- the bundled document: what an independent reader found, at the same places -------------

@pytest.fixture(scope="module")
def bundled(kzfacts_report: kzfacts.Report) -> kzfacts.Report:
    """The bundled base's report, checked once per session (the kzfacts plugin's)."""
    return kzfacts_report


def test_the_bundled_document_has_the_audited_flaws_at_their_places(
        bundled: kzfacts.Report) -> None:
    got = {(d.id, d.location.rsplit(":", 2)[1] + ":" + d.location.rsplit(":", 2)[2])
           for d in bundled.document_findings if d.location is not None}
    assert got == {
        ("hygiene.p27.unclosed-quote.1", "30:540"),       # "the exercise of the rights ...
        ("hygiene.p38.unclosed-bracket.1", "41:324"),     # (the first category is minors ...
        ("hygiene.p38.grouping.1", "41:768"),             # 138 000 beside 103,500
        ("hygiene.p39.grouping.1", "42:262"),             # 1058
        ("hygiene.p46.decimal-comma.1", "49:150"),        # 3,7%
        ("hygiene.p46.grouping.1", "49:175"),             # 5005 beside 4,780
        ("hygiene.p46.decimal-comma.2", "49:181"),        # 49,2
        ("hygiene.p46.share-without-percent.1", "49:180"),  # (49,2) beside (47%)
    }


def test_a_decimal_comma_says_how_kzfacts_read_it(bundled: kzfacts.Report) -> None:
    comma = next(d for d in bundled.document_findings if d.id == "hygiene.p46.decimal-comma.2")
    assert "“49,2” at 49:181 writes a decimal comma" in comma.message
    assert "the document writes decimal points" in comma.message
    assert comma.message.endswith("kzfacts read it as 49.2")


def test_grouping_within_a_sentence_is_a_warning_elsewhere_information(
        bundled: kzfacts.Report) -> None:
    by_id = {d.id: d for d in bundled.document_findings}
    assert by_id["hygiene.p46.grouping.1"].severity is kzfacts.Severity.WARNING
    assert "beside “4,780” in the same sentence" in by_id["hygiene.p46.grouping.1"].message
    assert by_id["hygiene.p39.grouping.1"].severity is kzfacts.Severity.INFO


# -- each check on small texts ---------------------------------------------------------------

def test_an_unclosed_bracket_is_the_outer_one_and_list_markers_are_no_brackets() -> None:
    text = "1. Victims (the first are minors (aged under 18) and others. Items: a) one; b) two.\n"
    assert found(text) == [("hygiene.p1.unclosed-bracket.1", "1:12")]
    assert found("1. Balanced (nested (inner) words); a) list, b) markers.\n") == []
    assert found("1. Sentences (prison – 215, fine – 5). The split (of 18) holds.\n") == []
    assert found("1. A stray closing bracket here) in the text.\n") == [
        ("hygiene.p1.unclosed-bracket.1", "1:32")]


def test_quotation_marks_pair_up_and_the_unpaired_opening_one_is_reported() -> None:
    assert found('1. He said "yes" and "no" to it.\n') == []
    assert found('1. It says "the rights of a citizen should not violate others.\n') == [
        ("hygiene.p1.unclosed-quote.1", "1:12")]
    assert found("1. It says \u201cthe rights\u201d and \u201cthe duties of all.\n") == [
        ("hygiene.p1.unclosed-quote.1", "1:29")]
    # a quotation closed in the next paragraph is still open in its own
    assert found('1. "Open here.\n2. Closed here" said.\n') == [
        ("hygiene.p1.unclosed-quote.1", "1:4")]


def test_the_decimal_separator_is_the_documents_majority_or_its_declaration() -> None:
    text = "1. Rates were 7.8%, 4.7% and 3,7% of 2,000.\n"
    assert found(text) == [("hygiene.p1.decimal-comma.1", "1:30")]
    # declared: decimal commas are the convention, so the points are the odd ones
    declared = found(text, decimal_comma=True)
    assert declared == [("hygiene.p1.decimal-point.1", "1:15"),
                        ("hygiene.p1.decimal-point.2", "1:21")]
    assert found("1. Rates were 7.8% and 3,7%.\n") == []  # one each: no convention to differ from
    assert found("1. Counts of 4,780 and 103,500.\n") == []  # three digits after a comma: groups


def test_a_bracketed_share_without_percent_beside_siblings_with_one() -> None:
    text = "1. Of them 4,780 (47%) were done, 381 (3.7%) refused, 5,005 (49.2) pending.\n"
    assert found(text) == [("hygiene.p1.share-without-percent.1", "1:61")]
    assert found("1. Of them 4,780 (47) were done, 381 (4) refused.\n") == []  # no sibling has %
    # siblings count within a sentence only
    assert found("1. Done: 4,780 (47%). Pending: 5,005 (49.2).\n") == []


def test_thousands_grouped_otherwise_than_the_document_but_years_left_alone() -> None:
    text = ("1. In 2023, 4,780 and 1,273 and 10,169 were done; 5005 were not.\n"
            "2. In 2022, 138 000 were paid and 1058 waited.\n")
    got = found(text)
    assert got == [("hygiene.p1.grouping.1", "1:51"), ("hygiene.p2.grouping.1", "2:13"),
                   ("hygiene.p2.grouping.2", "2:35")]
    # a document that does not group four-digit numbers: 5005 is fine, 4,780 is not
    assert found("1. Counts 5005, 1058, 2697 and 12,500; and 4,780.\n") == [
        ("hygiene.p1.grouping.1", "1:44")]


def test_numbers_that_are_not_claims_are_left_out() -> None:
    text = "1. Decree No. 1234 of 2021 paid 4,780 and 1,273 and 2,400 persons.\n"
    source = SourceText.from_text(text, style="1.")
    assert [h.check for h in hygiene(source)] == ["grouping"]
    assert hygiene(source, skip={text.index("1234")}) == []


def test_ids_are_numbered_per_paragraph_and_check_in_source_order() -> None:
    text = "1. A (one. B (two.\n2. C (three.\n"
    assert [i for i, _ in found(text)] == [
        "hygiene.p1.unclosed-bracket.1", "hygiene.p1.unclosed-bracket.2",
        "hygiene.p2.unclosed-bracket.1"]


# -- in every report, and in the baseline ----------------------------------------------------

@pytest.fixture(scope="module")
def nordavia() -> tuple[kzfacts.FactBase, kzfacts.Report]:
    return check_with_base(NORDAVIA / "facts", NORDAVIA / "rules",
                           baseline=NORDAVIA / "baseline.yaml")


def test_a_baseline_accepts_a_hygiene_finding_by_its_id(
        nordavia: tuple[kzfacts.FactBase, kzfacts.Report]) -> None:
    _, report = nordavia
    by_id = {d.id: d for d in report.document_findings}
    assert by_id["hygiene.p19.decimal-comma.1"].accepted is True
    assert by_id["hygiene.p19.unclosed-bracket.1"].accepted is False
    assert report.stale_baseline == ()
    assert report.exit_code == 0  # findings on the document never block


def test_a_baseline_entry_for_a_hygiene_finding_that_is_gone_is_stale(tmp_path: Path) -> None:
    shutil.copytree(NORDAVIA, tmp_path / "n")
    baseline = tmp_path / "n" / "baseline.yaml"
    baseline.write_text(baseline.read_text(encoding="utf-8").replace(
        "hygiene.p19.decimal-comma.1", "hygiene.p19.decimal-comma.2"), encoding="utf-8")
    report = kzfacts.check(tmp_path / "n" / "facts", tmp_path / "n" / "rules", baseline=baseline)
    assert report.stale_baseline == ("hygiene.p19.decimal-comma.2 (warn)",)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "junit", "sarif", "html"])
def test_every_format_lists_the_findings_on_the_document(
        fmt: str, nordavia: tuple[kzfacts.FactBase, kzfacts.Report]) -> None:
    base, report = nordavia
    text = render(report, fmt, base=base)
    for d in report.document_findings:
        assert d.id in text or (fmt == "sarif" and f"kzfacts.{d.id.split('.')[0]}.{d.check}"
                                in text)
    if fmt == "json":
        data = json.loads(text)
        assert [d["id"] for d in data["document_findings"]] == [
            d.id for d in report.document_findings]
        assert kzfacts.Report.from_dict(data) == report
    if fmt == "sarif":
        results = json.loads(text)["runs"][0]["results"]
        comma = next(r for r in results if r.get("properties", {}).get("id")
                     == "hygiene.p19.decimal-comma.1")
        physical = comma["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"].endswith("nordavia/facts/source.txt")
        assert physical["region"] == {"startLine": 62, "startColumn": 34}
        assert comma["suppressions"][0]["status"] == "accepted"
    if fmt == "html":
        assert 'id="h-hygiene.p19.unclosed-bracket.1"' in text  # marked in the source text
