"""Localisation: the facts a finding blames and the repairs that make every rule hold."""

from __future__ import annotations

import json
import shutil
import statistics
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

import kzfacts
from kzfacts.cli import main
from kzfacts.engine.slips import slips

WriteBase = Callable[..., tuple[Path, Path]]  # the write_base fixture (conftest)
ROOT = Path(__file__).resolve().parents[1]
FACTS, RULES, BASELINE = ROOT / "facts", ROOT / "rules", ROOT / "baseline.yaml"


@pytest.fixture(scope="module")
def report(kzfacts_report: kzfacts.Report) -> kzfacts.Report:
    return kzfacts_report


# -- the worked examples of the bundled base ---------------------------------------------------

def test_p46_has_exactly_the_three_single_digit_repairs(report: kzfacts.Report) -> None:
    loc = report.result("p46.outcomes-sum").localisation
    assert loc is not None
    assert [(r.fact, r.was, r.now, r.slip) for r in loc.repairs] == [
        ("npm.recommendations", "10,169", "10,166", "digit"),
        ("npm.recommendations.executed", "4,780", "4,783", "digit"),
        ("npm.recommendations.in_process", "5005", "5008", "digit")]
    assert loc.holds and not loc.unique
    assert all(r.failing == () and r.message.endswith("✓") for r in loc.repairs)
    # 381 -> 384 restores the sum but not its share: 384 / 10,169 = 3.776% is no "3,7%"
    [out] = [r for r in loc.ruled_out if r.fact == "npm.recommendations.not_accepted"]
    assert out.now == "384"
    assert out.failing == ("p46.not-accepted-share",)
    assert out.breaks[0].startswith("p46.not-accepted-share: 384 / 10,169 = 3.776%")


def test_p3_is_the_misattached_total(report: kzfacts.Report) -> None:
    loc = report.result("p03.sentences-sum-riots").localisation
    assert loc is not None and loc.unique and loc.holds
    [repair] = loc.repairs
    assert repair.slip == "misattached" and repair.attach == "january.convicted"
    assert repair.summary == ("misattached total: 215 + 538 + 505 + 10 + 5 = 1,273, which is "
                              "january.convicted, not the 543 the sentence attaches them to")
    [edit] = repair.edits
    assert (edit.old, edit.new) == ("january.convicted.riots", "january.convicted")
    file, line, column = edit.location.rsplit(":", 2)
    text = Path(file).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    assert text[int(column) - 1:].startswith("january.convicted.riots")


def test_a_passing_rule_is_not_located(report: kzfacts.Report) -> None:
    assert all((r.localisation is None) == (r.verdict.value in ("pass", "skip"))
               for r in report.results)
    assert kzfacts.check(FACTS, RULES, baseline=BASELINE, locate=False).result(
        "p46.outcomes-sum").localisation is None


def test_the_edits_name_the_lines_that_hold_the_old_text(report: kzfacts.Report) -> None:
    loc = report.result("p46.outcomes-sum").localisation
    assert loc is not None
    for repair in loc.repairs:
        assert len(repair.edits) == 3  # value, written, quote
        for edit in repair.edits:
            file, line, column = edit.location.rsplit(":", 2)
            text = Path(file).read_text(encoding="utf-8").splitlines()[int(line) - 1]
            assert text[int(column) - 1:].startswith(edit.old)


# -- the error model ----------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "meant", "slip"), [
    ("10,169", "10,166", "digit"), ("4,870", "4,780", "transposition"),
    ("3,7%", "3,8%", "last digit"), ("10,1169", "10,169", "extra digit"),
    ("1,69", "10,169", None), ("5005", "505", "extra digit"), ("505", "5005", "dropped digit"),
    ("54.5 million tenge", "54.5 thousand tenge", "scale"), ("117,000", "117", "scale"),
    ("99", "100", "last digit")])
def test_a_slip_undone_gives_the_words_meant(written: str, meant: str, slip: str | None) -> None:
    words = {"tenge": "KZT"}
    reading = kzfacts.read_number(written, unit_words=words)
    found = {s.written: s for s in slips(written, reading, decimal_comma=None)}
    if slip is None:  # two slips away: not a candidate
        assert meant not in found
        return
    assert found[meant].kind == slip
    again = found[meant].read(unit_words=words, decimal_comma=None, like=reading)
    assert again is not None
    assert Decimal(again.value) == Decimal(kzfacts.read_number(meant, unit_words=words).value)


def test_slips_keep_the_cheapest_reading_of_a_value() -> None:
    reading = kzfacts.read_number("40%")
    by_value = {s.value: s for s in slips("40%", reading, decimal_comma=None)}
    assert by_value[Decimal(41)].kind == "last digit"  # also one digit mistyped: the cheaper
    assert Decimal(40) not in by_value


# -- tiny fact bases ----------------------------------------------------------------------------

def _sum_base(write_base: WriteBase, total: int, parts: list[int], *,
              share: str | None = None) -> tuple[Path, Path]:
    words = ", ".join(f"{p:,}" for p in parts)
    text = f"Of {total:,} cases, {words} were closed"
    facts = [{"id": "total", "kind": "count", "value": total, "unit": "case",
              "subject": "cases", "quote": f"Of {total:,} cases", "written": f"{total:,}"}]
    for i, p in enumerate(parts):
        facts.append({"id": f"part{i}", "kind": "count", "value": p, "unit": "case",
                      "subject": "cases", "quote": f"{p:,}", "written": f"{p:,}"})
    rules = [{"id": "sum", "kind": "sum", "title": "the parts make the total",
              "severity": "error", "paragraphs": [1], "why": "a split",
              "parts": [f"part{i}" for i in range(len(parts))], "total": "total"}]
    if share is not None:
        text += f" ({share} of them first)"
        facts.append({"id": "part0.share", "kind": "share", "value": share.rstrip("%"),
                      "unit": "percent", "subject": "share", "quote": f"({share} of them",
                      "written": share})
        rules.append({"id": "share", "kind": "share", "title": "the share of part0",
                      "severity": "error", "paragraphs": [1], "why": "stated",
                      "share": "part0.share", "part": "part0", "whole": "total"})
    return write_base([text + "."], {"p01.yaml": {"paragraph": 1, "facts": facts}},
                      {"r.yaml": {"rules": rules}})


def test_another_rule_decides_which_fact_is_wrong(write_base: WriteBase) -> None:
    # 1,250 + 730 = 1,980, not 1,990: a part +10 or the total -10 restores the sum, but
    # 1,250 / 1,990 = 62.81% is the "62.8%" stated: 1,250 / 1,980 = 63.13% and
    # 1,260 / 1,990 = 63.32% are not, so only part1 -> 740 keeps every rule true
    facts, rules = _sum_base(write_base, 1990, [1250, 730], share="62.8%")
    report = kzfacts.check(facts, rules, baseline=None)
    loc = report.result("sum").localisation
    assert loc is not None and loc.holds
    assert [(r.fact, r.now) for r in loc.repairs] == [("part1", "740")]
    assert {r.fact for r in loc.ruled_out} == {"total", "part0"}
    assert all(r.breaks[0].startswith("share: ") for r in loc.ruled_out)
    assert loc.unique is (set(loc.free) <= {"part1"})


def test_equally_good_repairs_are_all_listed_and_none_is_unique(write_base: WriteBase) -> None:
    facts, rules = _sum_base(write_base, 130, [50, 70])  # 120, not 130: any one digit
    loc = kzfacts.check(facts, rules, baseline=None).result("sum").localisation
    assert loc is not None and not loc.unique
    assert {(r.fact, r.now) for r in loc.repairs} == {("total", "120"), ("part0", "60"),
                                                    ("part1", "80")}


def test_a_repair_that_makes_a_quantifier_false_says_so(write_base: WriteBase) -> None:
    text = "Of 100 cases, 60 were closed, 50 of them on time, most of them; 40 were planned."
    facts = [
        {"id": "cases", "kind": "count", "value": 100, "unit": "case", "subject": "c",
         "quote": "Of 100 cases", "written": "100"},
        {"id": "closed", "kind": "count", "value": 60, "unit": "case", "subject": "c",
         "quote": "60 were closed", "written": "60"},
        {"id": "ontime", "kind": "count", "value": 50, "unit": "case", "subject": "c",
         "quote": "50 of them", "written": "50"},
        {"id": "planned", "kind": "count", "value": 40, "unit": "case", "subject": "c",
         "quote": "40 were planned", "written": "40"}]
    rules = [
        {"id": "a-ontime-le-closed", "kind": "bound", "title": "on time among closed",
         "severity": "error", "paragraphs": [1], "why": "of them", "left": "ontime",
         "relation": "le", "right": "closed"},
        {"id": "b-most", "kind": "quantifier", "title": "most cases closed", "severity": "error",
         "paragraphs": [1], "why": "most", "part": "closed", "whole": "cases",
         "quantifier": "most"},
        {"id": "c-closed-is-40", "kind": "bound", "title": "forty closed", "severity": "error",
         "paragraphs": [1], "why": "planted", "left": "closed", "relation": "eq",
         "right": "planned"}]
    f, r = write_base([text], {"p01.yaml": {"paragraph": 1, "facts": facts}},
                      {"r.yaml": {"rules": rules}})
    loc = kzfacts.check(f, r, baseline=None).result("c-closed-is-40").localisation
    assert loc is not None
    flipping = [p for p in (*loc.repairs, *loc.ruled_out) if p.now == "40"]
    assert flipping and flipping[0].flips == ("b-most: most cases closed",)


# -- where users see it -------------------------------------------------------------------------

def test_text_report_has_one_repair_line_under_each_located_finding(report: kzfacts.Report) -> None:
    text = kzfacts.render_text(report)
    lines = text.splitlines()
    i = lines.index("✗ fail (accepted)  p46.outcomes-sum  [¶46] error")
    repair = next(x for x in lines[i + 1:] if x.startswith("    repair"))  # after its assumes:
    assert repair == ("    repair: npm.recommendations 10,169 → 10,166 (one digit mistyped)"
                      " (1 of 3 equally likely: kzfacts explain p46.outcomes-sum)")
    assert ("    repair (the only one): misattached total: 215 + 538 + 505 + 10 + 5 = 1,273, "
            "which is january.convicted, not the 543 the sentence attaches them to") in lines
    assert sum(1 for x in lines if x.startswith("    repair")) == sum(
        1 for r in report.results if r.localisation is not None and r.localisation.repairs)


def test_json_carries_the_localisation_and_validates(report: kzfacts.Report) -> None:
    data = json.loads(kzfacts.render_json(report))
    jsonschema.validate(data, _schema())
    [p46] = [r for r in data["results"] if r["rule"] == "p46.outcomes-sum"]
    assert [r["now"] for r in p46["localisation"]["repairs"]] == ["10,166", "4,783", "5008"]
    assert kzfacts.Report.from_dict(data) == report


def _schema() -> dict[str, object]:
    from kzfacts.engine.result import report_schema

    return report_schema()


def test_sarif_fixes_replace_the_fact_file_lines_and_validate(report: kzfacts.Report) -> None:
    sarif = json.loads(kzfacts.render(report, "sarif"))
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(sarif, schema)
    [p46] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "p46.outcomes-sum"]
    fix = p46["fixes"][0]
    assert fix["description"]["text"].startswith("npm.recommendations 10,169 → 10,166")
    [change] = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"].endswith("facts/p46.yaml")
    lines = (FACTS / "p46.yaml").read_text(encoding="utf-8").splitlines()
    for rep in change["replacements"]:
        region = rep["deletedRegion"]
        line = lines[region["startLine"] - 1]
        old = line[region["startColumn"] - 1:region["endColumn"] - 1]
        assert old.replace(",", "") == "10169"
        assert rep["insertedContent"]["text"].replace(",", "") == "10166"
    claims = json.loads(kzfacts.render(report, "claimreview", base=kzfacts.load(FACTS, RULES)[0]))
    assert "repair" not in json.dumps(claims)


def test_markdown_and_html_carry_the_repairs(report: kzfacts.Report) -> None:
    md = kzfacts.render_markdown(report)
    assert "npm.recommendations 10,169 → 10,166 (one digit mistyped)" in md
    base = kzfacts.load(FACTS, RULES)[0]
    html = kzfacts.render(report, "html", base=base)
    assert "3 equally likely repairs" in html and "4,780 + 381 + 5008 = 10,169 ✓" in html


def test_explain_shows_candidates_repairs_and_what_is_ruled_out(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["explain", "p46.outcomes-sum"]) == 0
    out = capsys.readouterr().out
    assert ("  candidates: npm.recommendations, npm.recommendations.executed, "
            "npm.recommendations.in_process") in out
    assert "    npm.recommendations.not_accepted 381 → 384 (one digit mistyped)" in out
    assert "        breaks p46.not-accepted-share: 384 / 10,169 = 3.776%" in out
    assert main(["check", "--no-locate"]) == 0
    assert "repair" not in capsys.readouterr().out


def test_a_corpus_check_locates_unless_told_not_to(tmp_path: Path) -> None:
    """``--no-locate`` holds for ``--corpus`` too: each document checked as ``check`` would."""
    doc = tmp_path / "corpus" / "kz"
    for part in ("facts", "rules"):
        shutil.copytree(ROOT / part, doc / part)
    shutil.copy(ROOT / "baseline.yaml", doc / "baseline.yaml")
    located, plain = tmp_path / "located.txt", tmp_path / "plain.txt"
    assert main(["check", "--corpus", str(doc.parent), "-o", str(located)]) == 0
    assert main(["check", "--corpus", str(doc.parent), "--no-locate", "-o", str(plain)]) == 0
    assert "repair: npm.recommendations 10,169 → 10,166" in located.read_text(encoding="utf-8")
    assert "repair" not in plain.read_text(encoding="utf-8")


# -- measured: slips planted in the bundled base ------------------------------------------------

def test_planted_slips_are_located() -> None:
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks.locate import measure
    finally:
        sys.path.remove(str(ROOT))

    base, rules = kzfacts.load(FACTS, RULES)
    figures = measure(base, rules, every=3)
    assert figures.findings >= 120
    assert figures.given_away == 0
    assert figures.among / figures.findings >= 0.95, figures.missed
    assert figures.first / figures.findings >= 0.70
    assert statistics.median(figures.sizes) <= 3
    assert figures.unique > 0 and figures.unique_wrong == 0, figures.missed
