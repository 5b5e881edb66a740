"""kzfacts draft, scan and suggest: drafted fact bases load, anchor, cover every number, and
their candidate rules find planted inconsistencies without false alarms."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import kzfacts
import kzfacts.draft
from kzfacts.cli import main
from kzfacts.draft.write import DRAFTED_FIELD

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the measuring code is the benchmark's
try:
    from benchmarks.draft import (
        EXAMPLES,
        ROOT,
        drafted_check,
        false_fails,
        hand_check,
        match_facts,
        match_rules,
    )
finally:
    sys.path.pop(0)

SOURCE = ROOT / "facts" / "source.txt"
PLANTED = json.loads((EXAMPLES / "planted.json").read_text(encoding="utf-8"))


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The ``kzfacts`` command in-process: exit code, stdout, stderr."""
    try:
        code = main(argv)
    except SystemExit as exc:  # --help
        code = 0 if exc.code in (0, None) else 2
    out, err = capsys.readouterr()
    return code, out, err


Checked = tuple[kzfacts.FactBase, kzfacts.Report]


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    return drafted_check(SOURCE, tmp_path_factory.mktemp("bundled"), units=ROOT / "facts" / "units.yaml",
                         reference=ROOT / "facts" / "reference.yaml")


@pytest.fixture(scope="module")
def hand() -> Checked:
    return hand_check(ROOT)


# -- the bundled document: the figures of issue 18 ------------------------------------------

def test_bundled_draft_is_anchored_and_covers_every_number(bundled: Checked) -> None:
    _, report = bundled
    assert report.anchoring == ()
    assert report.coverage.uncovered == ()
    assert report.coverage.found == 207


def test_bundled_facts_recall_and_precision(bundled: Checked, hand: Checked) -> None:
    facts = match_facts(hand[0], bundled[0])
    assert facts.hand == 140
    assert facts.recall >= 0.90, facts.missed
    assert facts.precision >= 0.90, facts.extra


def test_bundled_rules_recall(bundled: Checked, hand: Checked) -> None:
    rules = match_rules(hand, bundled, match_facts(hand[0], bundled[0]))
    assert sum(rules.hand.values()) == 70
    # 44 of the 70 hand rules; the 10 added by the re-audit of issue 16 relate figures in
    # different nouns (times: 1 crime/case...), claims, per-period totals and paired rates,
    # which the drafter does not draft (it found 45 of the 60 before)
    assert rules.recall() >= 0.60, rules.missed
    assert rules.recall("share") >= 0.95, rules.missed
    assert rules.recall("sum") >= 0.75, rules.missed


def test_scan_of_the_bundled_source_reports_its_findings() -> None:
    scan = kzfacts.draft.scan(SOURCE)
    failing = {(r.paragraphs, r.kind) for r in scan.candidates}
    assert ((46,), "sum") in failing
    assert ((3,), "sum") in failing
    p46 = next(r for r in scan.candidates if r.paragraphs == (46,) and r.kind == "sum")
    assert "10,166, not 10,169: 3 short" in p46.message
    assert any(r.paragraphs == (42,) and r.kind == "share" and r.verdict.value in ("warn", "fail")
               and "40% of 27" in r.message for r in scan.report.results)
    assert scan.exit_code == 1


def test_a_drafted_rule_is_not_a_hand_rule_and_says_so(bundled: Checked) -> None:
    _, report = bundled
    assert report.results
    for result in report.results:
        assert result.rule.startswith("draft.")
        assert DRAFTED_FIELD or "Drafted:" in result.why


# -- false alarms and planted inconsistencies -----------------------------------------------

def test_nordavia_false_fails(tmp_path: Path) -> None:
    nordavia = hand_check(EXAMPLES / "nordavia")
    base, report = drafted_check(EXAMPLES / "nordavia" / "facts" / "source.txt", tmp_path)
    mapping = match_facts(nordavia[0], base).mapping
    known = {(r.kind, frozenset(u.id for u in r.facts)) for r in nordavia[1].results
             if r.verdict.value in ("fail", "warn")}
    wrong = false_fails(report, known, base, mapping)
    assert 10 * len(wrong) / report.paragraphs <= 1, wrong
    # and its arithmetic inconsistencies are found without a rule written by hand
    failing = {r.paragraphs[0] for r in report.results if r.verdict.value == "fail"}
    assert {8, 9, 10} <= failing


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_planted_inconsistencies_are_found_and_nothing_else_fails(name: str, tmp_path: Path) -> None:
    base, report = drafted_check(EXAMPLES / name, tmp_path)
    assert report.anchoring == ()
    assert report.coverage.uncovered == ()
    planted = set(PLANTED[name]["paragraphs"])
    failing = {p for r in report.results if r.verdict.value == "fail" and r.severity.value != "info"
               for p in r.paragraphs}
    assert planted <= failing, PLANTED[name]["what"]
    wrong = false_fails(report, None, base, expected_paragraphs=planted)
    assert wrong == []


def test_the_consistent_document_draws_real_rules(tmp_path: Path) -> None:
    """No false alarm is no use if no rule was drafted: the consistent document's rules hold."""
    _, report = drafted_check(EXAMPLES / "valdora-consistent.txt", tmp_path)
    kinds = {r.kind for r in report.results}
    assert {"sum", "share", "bound", "series", "order", "quantifier"} <= kinds
    assert len(report.results) >= 25
    assert all(r.verdict.value != "fail" for r in report.results)


# -- what the drafter reads -----------------------------------------------------------------

def _draft(tmp_path: Path, text: str, *, reference: Path | None = None, units: Path | None = None,
           ) -> tuple[kzfacts.draft.Draft, kzfacts.Report]:
    source = tmp_path / "doc.txt"
    source.write_text(text, encoding="utf-8")
    result = kzfacts.draft.draft(source, reference=reference, units=units)
    kzfacts.draft.write_draft(result, tmp_path / "out")
    report = kzfacts.check(tmp_path / "out" / "facts", tmp_path / "out" / "rules", baseline=None)
    assert report.anchoring == ()
    assert report.coverage.uncovered == ()
    return result, report


def _fact(result: kzfacts.draft.Draft, written: str) -> kzfacts.draft.DraftFact:
    return next(f for f in result.facts if f.written == written)


def test_units_periods_and_qualifiers_from_the_words(tmp_path: Path) -> None:
    result, _ = _draft(tmp_path, (
        "1. In 2022, the courts convicted more than 1,200 persons, including 45 women.\n"
        "2. The programme cost about EUR 3.5 million from 2019 to 2021, and 40,000 thalers.\n"
        "3. Detention is limited to up to 48 hours; the term was set at 5 years.\n"))
    convicted = _fact(result, "more than 1,200")
    assert (convicted.value, convicted.unit, convicted.period, convicted.qualifier) == (
        1200, "person", "2022", "more_than")
    women = _fact(result, "45")
    assert women.unit == "woman"
    assert women.period == "2022"
    cost = next(f for f in result.facts if f.kind == "money")
    assert (cost.value, cost.unit, cost.period, cost.qualifier) == (3_500_000, "EUR", "2019/2021", "about")
    assert _fact(result, "40,000").unit == "thaler"  # a currency no code names: counted in its word
    term = _fact(result, "5 years")
    assert (term.kind, term.value, term.unit) == ("duration", 5, "year")


def test_numbers_that_are_not_claims(tmp_path: Path) -> None:
    result, _ = _draft(tmp_path, (
        "1. Under part 2 of Article 146 of the Code and Decree No. 622, see CAT/C/KAZ/CO/4 and "
        "www.example.org/2023; COVID-19 measures were lifted; 14 persons were released.\n"))
    texts = {nc.text for nc in result.not_claims}
    assert "part 2 of Article 146" in texts
    assert "No. 622" in texts
    assert any("CAT/C/KAZ/CO/4" in t for t in texts)
    assert [f.value for f in result.facts if f.kind != "statement"] == [14]


def test_a_breakdown_that_does_not_add_up(tmp_path: Path) -> None:
    _, report = _draft(tmp_path, (
        "1. In 2023, 1,250 complaints were received, of which 830 (66.4%) were upheld, "
        "310 (24.8%) were rejected and 140 (11.2%) are pending.\n"))
    by_kind = {(r.kind, r.verdict.value) for r in report.results}
    assert ("sum", "fail") in by_kind  # 830 + 310 + 140 = 1,280
    failing = next(r for r in report.results if r.kind == "sum" and r.verdict.value == "fail")
    assert "1,280, not 1,250: 30 over" in failing.message
    shares = [r for r in report.results if (r.kind == "share" and "part" in r.message) or r.kind == "share"]
    assert shares
    assert all(r.verdict.value == "pass" for r in report.results if r.kind == "share")


def test_an_including_list_is_a_bound_not_a_partition(tmp_path: Path) -> None:
    _, report = _draft(tmp_path, "1. In 2022, 37 cases were opened, including 9 for fraud and 14 "
                                 "for theft.\n")
    rule = next(r for r in report.results if r.kind == "sum")
    assert rule.verdict.value == "pass"
    assert "9 + 14 = 23 ≤ 37" in rule.message


def test_a_share_of_a_whole_with_no_part_is_a_grim_test(tmp_path: Path) -> None:
    _, report = _draft(tmp_path, "1. The commission of 27 members, of which 40% are women, met twice.\n")
    grim = next(r for r in report.results if r.kind == "share")
    assert grim.verdict.value in ("warn", "fail")
    assert "40% of 27" in grim.message


def test_parts_named_by_other_nouns_are_counted_in_their_total(tmp_path: Path) -> None:
    result, report = _draft(tmp_path, (
        "1. The monitoring registered 214 crimes, of which 94% (202) were terminated. "
        "10 cases or 4.7% have been sent to court, and 2 criminal offenses are in production.\n"))
    cases = _fact(result, "10")
    assert cases.unit == "crime"
    assert cases.note is not None
    assert "cases" in cases.note
    total = next(r for r in report.results if r.kind == "sum")
    assert "202 + 10 + 2 = 214" in total.message


def test_year_lists_and_a_trend(tmp_path: Path) -> None:
    _, report = _draft(tmp_path, (
        "1. Cases registered: 2019 – 120, 2020 – 135, 2021 – 150. Cases closed: 2019 – 100, "
        "2020 – 140, 2021 – 130.\n"
        "2. The share of closed cases fell every year: 83.3% in 2019, 80.1% in 2020 and 86.7% in 2021.\n"))
    series = next(r for r in report.results if r.kind == "series")
    assert series.verdict.value == "fail"  # 140 closed of 135 registered in 2020
    assert "2020: 140, not ≤ 135" in series.message
    order = next(r for r in report.results if r.kind == "order")
    assert order.verdict.value == "fail"  # it rose in 2021


def test_a_conversion_with_a_reference_rate(tmp_path: Path) -> None:
    """With the words and units of a units file (the drafter knows no country's currency)."""
    result, report = _draft(tmp_path, "1. In 2023 the fine was 30 MCI (103,500 tenge).\n",
                            reference=ROOT / "facts" / "reference.yaml", units=ROOT / "facts" / "units.yaml")
    rule = next(r for r in report.results if r.kind == "conversion")
    assert rule.verdict.value == "pass"
    assert "3,450" in rule.message
    assert _fact(result, "30 MCI").unit == "MCI"


def test_number_words_are_facts(tmp_path: Path) -> None:
    result, report = _draft(tmp_path, (
        "1. Fourteen detainees died in custody. Nine of them died of natural causes, three "
        "committed suicide and one died following an assault.\n"))
    assert _fact(result, "Fourteen").value == 14
    rule = next(r for r in report.results if r.kind == "sum")
    assert rule.verdict.value == "fail"
    assert "13" in rule.message


def test_plain_text_tables(tmp_path: Path) -> None:
    _, report = _draft(tmp_path, (
        "1. Complaints by region:\n\n"
        "| Region | 2022 | 2023 | Total |\n|---|---|---|---|\n"
        "| North | 10 | 12 | 22 |\n| South | 7 | 9 | 17 |\n| Total | 17 | 21 | 39 |\n"))
    table = [r for r in report.results if r.rule.startswith("draft.p01.table")]
    assert len(table) == 6  # three columns, three rows (the total row too)
    failing = sorted(r.message for r in table if r.verdict.value == "fail")
    # South's total should be 16: its row, and the row of totals, do not add up
    assert failing == ["17 + 21 = 38, not 39: 1 short", "7 + 9 = 16, not 17: 1 short"]


@pytest.mark.parametrize(("text", "style"), [
    ("§ 1 First 12 cases.\n§ 2 Then 14 cases.\n", "§ 1"),
    ("1) First 12 cases.\n2) Then 14 cases.\n", "1)"),
    ("Paragraph 1\nFirst 12 cases.\nParagraph 2\nThen 14 cases.\n", "Paragraph 1"),
    ("First 12 cases.\n\nThen 14 cases.\n", "blocks"),
    ("§ 1 Measures:\n1) 12 cases;\n2) 14 cases.\n§ 2 Then 3 more cases.\n§ 3 And 4 cases.\n", "§ 1"),
])
def test_paragraph_styles(tmp_path: Path, text: str, style: str) -> None:
    result, report = _draft(tmp_path, text)
    assert result.document.style == style
    assert report.coverage.found == report.coverage.accounted


def test_decimal_commas_are_read_as_the_document_writes_them(tmp_path: Path) -> None:
    result, _ = _draft(tmp_path, "1. The budget was 12,5 million lorns; 3,7 % went to training and "
                                 "1.234.567 to audits.\n")
    assert result.document.decimal_comma is True
    assert _fact(result, "12,5 million").value == 12_500_000


def test_a_repeated_figure_is_quoted_apart(tmp_path: Path) -> None:
    result, _ = _draft(tmp_path, "1. The board has 9 members: 4 lawyers, 2 doctors, 2 psychologists "
                                 "and 2 social workers.\n")
    twos = [f for f in result.facts if f.value == 2]
    assert len(twos) == 3
    assert len({f.quote for f in twos}) == 3


def test_drafting_is_deterministic() -> None:
    from kzfacts.draft.write import fact_base_files

    first = fact_base_files(kzfacts.draft.draft(SOURCE))
    second = fact_base_files(kzfacts.draft.draft(SOURCE))
    assert first == second


# -- the commands ---------------------------------------------------------------------------

def test_draft_command_writes_a_base_that_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "draft"
    code, stdout, _ = run(["draft", str(SOURCE), "-o", str(out)], capsys)
    assert code == 0
    assert "207/207" in stdout
    document = yaml.safe_load((out / "facts" / "document.yaml").read_text(encoding="utf-8"))
    assert document["paragraphs"] == "1."
    import hashlib

    assert document["sha256"] == hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    assert (out / "facts" / "source.txt").read_bytes() == SOURCE.read_bytes()
    assert (out / "rules" / "drafted.yaml").exists()
    report = kzfacts.check(out / "facts", out / "rules", baseline=None)
    assert report.exit_code == 1  # candidate fails, never invalid
    code, _, err = run(["draft", str(SOURCE), "-o", str(out)], capsys)
    assert code == 2
    assert "never overwrites" in err


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "junit", "sarif", "claimreview", "html"])
def test_scan_in_every_format(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["scan", str(EXAMPLES / "estmark-planted.txt"), "--format", fmt], capsys)
    assert code == 1
    if fmt == "json":
        report = json.loads(out)
        assert report["version"] == kzfacts.REPORT_VERSION
        assert {r["verdict"] for r in report["results"]} >= {"fail", "pass"}
        assert all(r["rule"].startswith("draft.") for r in report["results"])
    elif fmt == "text":
        assert "candidate inconsistencies" in out
        assert "61 + 174 + 52 = 287, not 298: 11 short" in out
        assert "drafted from breakdown" in out
        assert "“Of these, 61 resulted in an indictment" in out or "61 resulted" in out
    else:
        assert "draft.p02.sum" in out


def test_scan_of_a_consistent_document_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["scan", str(EXAMPLES / "valdora-consistent.txt")], capsys)
    assert code == 0
    assert "No candidate inconsistency" in out


@pytest.mark.parametrize(("content", "message"), [
    (None, "expected a readable text file"),
    (b"\xff\xfe\x00bad", "expected a UTF-8 text file"),
    (b"", "found an empty file"),
    (b"1. A \x07 bell\n", "expected printable text"),
])
def test_bad_sources_are_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None,
                                message: str) -> None:
    source = tmp_path / "doc.txt"
    if content is not None:
        source.write_bytes(content)
    for command in ("scan", "draft"):
        code, _, err = run([command, str(source), "-o", str(tmp_path / f"o-{command}")], capsys)
        assert code == 2
        assert message in err


def test_crlf_sources_are_drafted_with_plain_line_ends(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "doc.txt"
    source.write_bytes(b"1. In 2022, 12 cases.\r\n2. In 2023, 14 cases.\r\n")
    code, out, _ = run(["scan", str(source)], capsys)
    assert code == 0
    assert "line ends converted" in out


def test_unknown_options_are_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["scan", str(SOURCE), "--format", "pdf"], capsys)
    assert code == 2
    assert "invalid choice" in err
    code, _, err = run(["scan", str(SOURCE), "--extractor", "nonesuch"], capsys)
    assert code == 2
    assert "nonesuch" in err


# -- suggest --------------------------------------------------------------------------------

def _apply(patch: str, root: Path) -> None:
    """Apply a patch of new files and additions, as git apply would (git is not needed)."""
    proc = subprocess.run(["git", "apply", "-"], input=patch.encode(), cwd=root,
                          capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode()


def test_suggest_proposes_only_what_the_base_lacks(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    base = tmp_path / "nordavia"
    shutil.copytree(EXAMPLES / "nordavia" / "facts", base / "facts")
    (base / "rules").mkdir()
    shutil.copy(EXAMPLES / "nordavia" / "rules" / "money.yaml", base / "rules")
    before = {p: p.read_bytes() for p in base.rglob("*") if p.is_file()}
    code, patch, _ = run(["suggest", "--facts", str(base / "facts"), "--rules", str(base / "rules")], capsys)
    assert code == 0
    assert {p: p.read_bytes() for p in base.rglob("*") if p.is_file()} == before  # nothing written
    removed = [line for line in patch.splitlines() if line.startswith("-") and not line.startswith("---")]
    assert removed == []  # only additions
    assert "+++ b/rules/drafted.yaml" in patch
    assert "p11.spent-in-euros" not in patch
    _apply(patch, base)
    report = kzfacts.check(base / "facts", base / "rules", baseline=None)
    failing = {r.paragraphs for r in report.results if r.verdict.value == "fail"}
    assert (8,) in failing  # the sum of paragraph 8, which only services.yaml had


def test_suggest_on_the_bundled_base_adds_little(capsys: pytest.CaptureFixture[str]) -> None:
    code, patch, _ = run(["suggest", "--facts", str(ROOT / "facts"), "--rules", str(ROOT / "rules")], capsys)
    assert code == 0
    rules = patch.count("+  - id: draft.")
    facts = len(re.findall(r"^\+  - id: p\d", patch, re.M))
    assert rules <= 10
    assert facts <= 3


def test_suggest_on_an_invalid_base_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["suggest", "--facts", str(tmp_path / "none"), "--rules", str(tmp_path)], capsys)
    assert code == 2
    assert "no such folder" in err


# -- another extractor ----------------------------------------------------------------------

def test_an_extractor_from_an_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "myextractor.py"
    package.write_text(
        "from kzfacts.draft import Draft, DraftFact\n"
        "def extract(document):\n"
        "    p = document.paragraphs[0]\n"
        "    fact = DraftFact('p1.only', 'statement', p.number, 'the first words', p.text.split()[0])\n"
        "    return Draft(document, (fact,), (), (), {}, ())\n", encoding="utf-8")
    dist = tmp_path / "myextractor-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: myextractor\nVersion: 1.0\n",
                                   encoding="utf-8")
    (dist / "entry_points.txt").write_text("[kzfacts.extractors]\nfirst = myextractor:extract\n",
                                           encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert kzfacts.draft.available_extractors()["first"] == "myextractor:extract"
    source = tmp_path / "doc.txt"
    source.write_text("1. Plain words, no figure.\n", encoding="utf-8")
    result = kzfacts.draft.draft(source, extractor="first")
    assert [f.id for f in result.facts] == ["p1.only"]
    with pytest.raises(kzfacts.draft.DraftError, match="an extractor"):
        kzfacts.draft.draft(source, extractor="second")


def test_python_m_kzfacts_runs_scan() -> None:
    proc = subprocess.run([sys.executable, "-m", "kzfacts", "scan",
                           str(EXAMPLES / "lornia-planted.txt"), "--format", "json"],
                          capture_output=True, check=False)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["counts"]["fail"] >= 3


def test_the_docs_show_what_scan_prints(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/draft.md's example, run: the tutorial's note scanned."""
    docs = (ROOT / "docs" / "draft.md").read_text(encoding="utf-8")
    tutorial = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    note = re.search(r"<!-- file: report.txt -->\n```text\n(.*?)```", tutorial, re.S)
    shown = re.search(r"kzfacts scan report.txt\n```\n\n```text\n(.*?)```", docs, re.S)
    assert note is not None
    assert shown is not None
    (tmp_path / "report.txt").write_text(note.group(1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(["scan", "report.txt"], capsys)
    assert code == 1
    for line in shown.group(1).splitlines():
        assert line in out.splitlines(), line
