"""What arithmetic alone misses: assumptions, claims without numbers, totals over years,
conversions against each other, persons against their participations, one rounding
convention for the whole document, and facts that no rule checks."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

import kzfacts
from kzfacts.cli import main
from kzfacts.engine.check import check_with_base
from kzfacts.reports.report import render

ROOT = Path(__file__).resolve().parents[1]
NORDAVIA = ROOT / "tests" / "examples" / "nordavia"


def copy(tmp_path: Path, source: Path = NORDAVIA) -> Path:
    """A copy of a fact base (facts, rules, baseline) to edit."""
    dest = tmp_path / "base"
    for part in ("facts", "rules"):
        shutil.copytree(source / part, dest / part)
    shutil.copy(source / "baseline.yaml", dest / "baseline.yaml")
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rules(dest: Path, text: str) -> None:
    (dest / "rules" / "zz-test.yaml").write_text("rules:\n" + text, encoding="utf-8")


def check(dest: Path, *, baseline: bool = True) -> kzfacts.Report:
    return kzfacts.check(dest / "facts", dest / "rules",
                         baseline=dest / "baseline.yaml" if baseline else None)


def refused(dest: Path) -> str:
    with pytest.raises(kzfacts.InvalidDataError) as caught:
        check(dest)
    return str(caught.value)


@pytest.fixture(scope="module")
def bundled() -> kzfacts.Report:
    return kzfacts.check(ROOT / "facts", ROOT / "rules", baseline=ROOT / "baseline.yaml")


@pytest.fixture(scope="module")
def nordavia() -> kzfacts.Report:
    return kzfacts.check(NORDAVIA / "facts", NORDAVIA / "rules",
                         baseline=NORDAVIA / "baseline.yaml")


# -- 2. one rounding convention for the whole document ---------------------------------------

def test_the_bundled_document_rounds_in_one_place_and_truncates_in_another(
        bundled: kzfacts.Report) -> None:
    rounding = next(d for d in bundled.document_findings if d.id == "conventions.rounding")
    # 4.7% of 214 admits 10 (4.673%) rounded, none truncated; 40% of 27: 11 = 40.74% truncated
    assert set(rounding.rules) == {"p34.to-court-share-grim", "p42.ngo-share-grim"}
    assert bundled.result("p34.to-court-share-grim").only_if == "round"
    assert bundled.result("p42.ngo-share-grim").only_if == "truncate"
    assert bundled.result("p46.not-accepted-share").only_if is None  # 3.747%: 3.7 either way


def test_an_acceptance_resting_on_truncation_does_not_stand(tmp_path: Path) -> None:
    dest = copy(tmp_path, ROOT)  # the bundled acceptance of ¶42 without its convention: none
    edit(dest / "baseline.yaml", "  - rule: p42.ngo-share-grim\n    verdict: warn\n"
         "    convention: none\n", "  - rule: p42.ngo-share-grim\n    verdict: warn\n")
    report = check(dest)
    grim = report.result("p42.ngo-share-grim")
    assert grim.verdict is kzfacts.Verdict.WARN
    assert grim.accepted is False  # an acceptance resting on truncation is refuted
    (contradiction,) = report.contradicted
    assert contradiction.rule == "p42.ngo-share-grim"
    assert contradiction.convention == "truncate"
    assert "p34.to-court-share-grim" in contradiction.refuted_by
    assert "holds only if they were rounded (4.7% of 214 admits 10 (4.67%)" in (
        contradiction.message)
    assert report.stale_baseline == ()
    assert report.exit_code == 0  # a warning never blocks, accepted or not


def test_a_justification_that_rests_on_no_convention_stands(bundled: kzfacts.Report) -> None:
    assert bundled.contradicted == ()  # the bundled ¶42 entry says convention: none
    assert bundled.result("p42.ngo-share-grim").accepted is True


def test_a_failure_accepted_on_a_refuted_convention_blocks_again(tmp_path: Path) -> None:
    dest = copy(tmp_path, ROOT)
    edit(dest / "baseline.yaml", "  - rule: p46.outcomes-sum\n",
         "  - rule: p46.outcomes-sum\n    convention: truncate\n")
    report = check(dest)
    assert {c.rule for c in report.contradicted} == {"p46.outcomes-sum"}
    assert report.result("p46.outcomes-sum").blocking
    assert report.exit_code == 1


def test_one_convention_throughout_is_no_finding(tmp_path: Path) -> None:
    dest = copy(tmp_path)
    for rule in ("p20.engineers-share", "p20.committees-share"):
        edit(dest / "rules" / "truth.yaml", f"  - id: {rule}\n    kind: share",
             f"  - id: {rule}\n    kind: bound\n    left: board.members\n    relation: ge\n"
             f"    right: board.engineers\n    x_kind: share")
    text = (dest / "rules" / "truth.yaml").read_text(encoding="utf-8")
    # drop the share fields of the two rules turned into bounds
    for old in ("    share: board.engineers.share\n    part: board.engineers\n"
                "    whole: board.members\n",
                "    share: board.committees.engineer_chair.share\n"
                "    part: board.committees.engineer_chair\n    whole: board.committees\n"):
        text = text.replace(old, "")
    text = text.replace("    x_kind: share\n", "")
    (dest / "rules" / "truth.yaml").write_text(text, encoding="utf-8")
    unchecked = "\n     unchecked: shown by the bound only,"
    edit(dest / "facts" / "p20.yaml", "value: 77,", "value: 77," + unchecked)
    edit(dest / "facts" / "p20.yaml", 'value: "66.7",', 'value: "66.7",' + unchecked)
    report = check(dest)
    assert all(d.id != "conventions.rounding" for d in report.document_findings)
    assert [r.rule for r in report.results if r.only_if == "round"] == ["p4.municipal-share"]


# -- 3. assumptions ----------------------------------------------------------------------------

def test_a_rule_inherits_the_assumptions_of_its_facts(nordavia: kzfacts.Report) -> None:
    grant = nordavia.result("p18.grant-total")
    assert [(a.by, a.doubtful) for a in grant.assumptions] == [
        ("grant.annual", False), ("p18.grant-total", True)]
    listed = {a.by: a for a in nordavia.assumptions}
    assert listed["grant.annual"].source == "fact"
    assert listed["grant.annual"].rules == ("p18.grant-total",)
    assert listed["p19.participations"].source == "rule"
    assert listed["p19.participations"].location.endswith("truth.yaml:74:5")


def test_a_pass_under_a_doubtful_assumption_is_a_warning(tmp_path: Path,
                                                         nordavia: kzfacts.Report) -> None:
    grant = nordavia.result("p18.grant-total")
    assert grant.verdict is kzfacts.Verdict.WARN
    assert "but only if the grant was the same in each of the three years" in grant.message
    dest = copy(tmp_path)
    edit(dest / "rules" / "truth.yaml", "    assumption_doubtful: true\n", "")
    assert check(dest).result("p18.grant-total").verdict is kzfacts.Verdict.PASS
    # an assumption never turns a failure into anything else
    edit(dest / "facts" / "p18.yaml", "value: 7200000", "value: 7500000")
    edit(dest / "facts" / "source.txt", "received 7.2 million", "received 7.5 million")
    text = (dest / "facts" / "source.txt").read_bytes()
    edit(dest / "facts" / "document.yaml", _sha(NORDAVIA), hashlib.sha256(text).hexdigest())
    edit(dest / "facts" / "p18.yaml", "7.2 million thalers", "7.5 million thalers")
    assert check(dest).result("p18.grant-total").verdict is kzfacts.Verdict.FAIL


def _sha(base: Path) -> str:
    return next(line.split()[1] for line in (base / "facts" / "document.yaml").read_text(
        encoding="utf-8").splitlines() if line.startswith("sha256:"))


def test_every_report_lists_the_assumptions() -> None:
    base, report = check_with_base(NORDAVIA / "facts", NORDAVIA / "rules",
                                   baseline=NORDAVIA / "baseline.yaml")
    for fmt in ("text", "markdown", "junit", "html", "sarif", "json"):
        text = render(report, fmt, base=base)
        assert "the present-tense annual grant was also the grant of each of 2021" in text, fmt
    text = render(report, "text")
    assert ("    assumes: a person who \"attended more than one course\" took part at least "
            "twice (p19.participations)") in text
    assert "\nAssumptions (4):\n" in text


def test_facts_json_exports_subject_note_assumption(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["facts", "--format", "json", "--facts", str(NORDAVIA / "facts"),
                 "--rules", str(NORDAVIA / "rules")]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["grant.annual"]["assumption"].startswith("the present-tense annual grant")
    assert rows["grant.annual"]["subject"] == "the Fund's annual grant"
    assert rows["complaints.deadline"]["unchecked"].startswith("the length of the period")
    assert rows["licences.none_lost.2023"]["claim"] == "none"
    assert set(rows["fund.spent"]) >= {"subject", "note", "assumption", "unchecked", "claim"}


# -- 4. claims without numbers -----------------------------------------------------------------

def test_claims_checked_against_counts(nordavia: kzfacts.Report) -> None:
    none = nordavia.result("p16.no-licence-lost")
    assert none.verdict is kzfacts.Verdict.PASS
    assert "the document counts 0 (licences.withdrawn.2023)" in none.message
    assert nordavia.result("p17.samples-increased").verdict is kzfacts.Verdict.PASS
    assert nordavia.result("p17.most-compliant").message.startswith("17,950 / 18,400 = 97.55%")


def test_a_claim_of_none_against_a_count_that_is_not_zero(tmp_path: Path) -> None:
    dest = copy(tmp_path)
    edit(dest / "rules" / "truth.yaml", "    counts: [licences.withdrawn.2023]",
         "    counts: [licences.withdrawn.2023, fund.projects]")
    result = check(dest).result("p16.no-licence-lost")
    assert result.verdict is kzfacts.Verdict.FAIL
    assert "but the document counts 312 (fund.projects, 2023)" in result.message
    edit(dest / "rules" / "truth.yaml", "    counts: [licences.withdrawn.2023, fund.projects]",
         "    scope: wider\n    counts: [licences.withdrawn.2023, fund.projects]")
    wider = check(dest).result("p16.no-licence-lost")
    assert wider.verdict is kzfacts.Verdict.WARN  # unverifiable, not contradicted
    assert "the claim cannot be checked" in wider.message


def test_a_claim_compares_counts_of_its_own_period_only(tmp_path: Path) -> None:
    dest = copy(tmp_path)
    edit(dest / "rules" / "truth.yaml", "    counts: [licences.withdrawn.2023]",
         "    counts: [licences.withdrawn.2022]")
    assert ("truth.yaml:11:14: rule p16.no-licence-lost: counts.0: expected a count of the "
            "claim's period (2023), found licences.withdrawn.2022 of 2022") in refused(dest)


def test_a_trend_claim_needs_before_before_after(tmp_path: Path) -> None:
    dest = copy(tmp_path)
    edit(dest / "rules" / "truth.yaml", "    before: samples.tested.2022\n    after: samples.tested.2023",
         "    before: samples.tested.2023\n    after: samples.tested.2022")
    assert "after: expected a period after that of 'before' (2023), found 2022" in refused(dest)


def test_a_claim_rule_asks_for_the_fields_of_its_claim(tmp_path: Path) -> None:
    dest = copy(tmp_path)
    edit(dest / "rules" / "truth.yaml", "    part: samples.compliant.2023\n",
         "    counts: [samples.compliant.2023]\n")
    message = refused(dest)
    assert "rule p17.most-compliant: part: expected 'part' for a claim of most, found none" in message


def test_doubled_holds_from_twice_and_only_loosely_below(tmp_path: Path) -> None:
    dest = copy(tmp_path)
    edit(dest / "facts" / "p17.yaml", "claim: increased", "claim: doubled")
    result = check(dest).result("p17.samples-increased")
    # 18,400 / 15,900 = 1.157...: less than 1.5 times, so not even loosely doubled
    assert result.verdict is kzfacts.Verdict.FAIL
    assert "not 'doubled'" in result.message


def test_a_quantifier_rule_cannot_contradict_its_claim(tmp_path: Path) -> None:
    dest = copy(tmp_path)
    edit(dest / "facts" / "p09.yaml", "claim: most", "claim: minority")
    assert ("p9.most-resolved: quantifier: expected the claim of complaints.most_resolved "
            "(minority), found most") in refused(dest)


# -- 5. figures per period against totals; conversions against each other ----------------------

def test_the_annual_budget_against_the_total_and_the_two_rates_of_p45(tmp_path: Path) -> None:
    dest = copy(tmp_path, ROOT)
    rules(dest, """\
  - id: t.p45.per-year
    kind: per_period
    title: Ten annual budgets against the total of 2014 to 2023
    severity: info
    paragraphs: [45]
    why: The paragraph gives the annual budget and the total.
    each: npm.budget.annual.kzt
    total: npm.budget.total.kzt
  - id: t.p45.rates
    kind: rates_agree
    title: The two conversions of ¶45 imply one rate
    severity: warning
    paragraphs: [45]
    why: Both amounts are given in tenge and in dollars.
    pairs:
      - {amount: npm.budget.annual.kzt, result: npm.budget.annual.usd}
      - {amount: npm.budget.total.kzt, result: npm.budget.total.usd}
  - id: t.p38.rates
    kind: rates_agree
    title: The three amounts of ¶38 imply one rate
    severity: warning
    paragraphs: [38]
    why: Each is given in index units and in the currency.
    pairs:
      - {amount: compensation.cat1.kzt, result: compensation.cat1.mci}
      - {amount: compensation.cat2.kzt, result: compensation.cat2.mci}
      - {amount: compensation.cat3.kzt, result: compensation.cat3.mci}
""")
    report = check(dest)
    per_year = report.result("t.p45.per-year")
    assert per_year.verdict is kzfacts.Verdict.FAIL
    # 10 × 54.5 million = 545 million, not 748 million; 748 / 545 = 1.372...
    assert "54.5 million tenge × 10 years = [544,500,000, 545,500,000)" in per_year.message
    assert "not 748 million tenge" in per_year.message
    rates = report.result("t.p45.rates")
    assert rates.verdict is kzfacts.Verdict.FAIL
    # 54,500,000 / 117,000 = 465 95/117 against 748,000,000 / 2,750,000 = 272: 13625/7956
    assert "the rates differ by a factor of 1.713" in rates.message
    assert "748 million tenge is 1,605,798" in rates.message  # 175032000/109 dollars
    assert report.result("t.p38.rates").verdict is kzfacts.Verdict.PASS  # 3,450 three times


def test_a_grant_per_year_makes_its_total(nordavia: kzfacts.Report, tmp_path: Path) -> None:
    assert "= 2.4 million thalers × 3 years" in nordavia.result("p18.grant-total").message
    dest = copy(tmp_path)
    edit(dest / "rules" / "truth.yaml", "    each: grant.annual\n",
         "    each: grant.annual\n    periods: 4\n")
    result = check(dest).result("p18.grant-total")
    assert result.verdict is kzfacts.Verdict.FAIL
    assert "× 4 years = [9,400,000, 9,800,000) NVT, not 7.2 million thalers" in result.message


def test_two_conversions_of_one_year_disagree_in_nordavia(nordavia: kzfacts.Report) -> None:
    rates = nordavia.result("p11-p13.one-rate")
    assert rates.verdict is kzfacts.Verdict.FAIL
    assert rates.accepted is True
    # 48.6 M / 4.32 M = 11.25; 9.4 M / 1.1 M = 8.545...; 11.25 / (94/11) = 1.316...
    assert "differ by a factor of 1.316" in rates.message


# -- 6. distinct things and events -------------------------------------------------------------

def test_persons_and_participations_are_not_added_without_a_relation(tmp_path: Path) -> None:
    dest = copy(tmp_path)
    edit(dest / "rules" / "truth.yaml",
         '      - {fact: training.staff.2023, times: "1 participation/person"}\n'
         '      - {fact: training.repeaters.2023, times: "1 participation/person"}\n',
         "      - training.staff.2023\n      - training.repeaters.2023\n")
    message = refused(dest)
    assert ("rule p19.participations: left.0: expected a quantity of dimension [participation] "
            "(participation), found person ([person]); person and participation are different "
            "things: relate them explicitly, {fact: ..., times: '1 participation/person'}") in message
    assert isinstance(_error(dest), kzfacts.UnitMismatchError)


def _error(dest: Path) -> kzfacts.DataError:
    with pytest.raises(kzfacts.InvalidDataError) as caught:
        check(dest)
    return caught.value.errors[0]


def test_the_explicit_relation_compiles_and_holds(nordavia: kzfacts.Report) -> None:
    result = nordavia.result("p19.participations")
    assert result.verdict is kzfacts.Verdict.PASS
    assert "= 1,010 ≤ 1,150" in result.message  # 700 + 310 participations at least


# -- 7. every fact checked, or saying why not --------------------------------------------------

def test_the_bundled_base_lists_the_facts_no_rule_checks(bundled: kzfacts.Report) -> None:
    checked = bundled.checked
    assert checked is not None
    assert (checked.checked, checked.checkable) == (125, 125)
    assert checked.unchecked == ()  # every other fact says why no rule checks it
    declared = {u.id for u in checked.declared}
    assert len(declared) == 25
    assert {"selfharm.repeat_threshold", "ombudsman_reps.regions", "compensation_fund.start",
            "lgbt.majority_negative"} <= declared
    assert "january.cases_to_court" not in declared  # p02.cases-le-crimes checks it


def test_declared_unchecked_facts_leave_the_count(nordavia: kzfacts.Report,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert nordavia.checked is not None
    assert (nordavia.checked.checked, nordavia.checked.checkable) == (73, 73)
    assert [u.id for u in nordavia.checked.declared] == ["complaints.deadline"]
    assert main(["check", "--facts", str(NORDAVIA / "facts"), "--rules", str(NORDAVIA / "rules"),
                 "--baseline", str(NORDAVIA / "baseline.yaml")]) == 0
    out = capsys.readouterr().out
    assert "numbers accounted for: 103/103\n  facts checked by a rule: 73/73 (1 declared unchecked)" in out


def test_a_claim_no_rule_uses_is_unchecked(tmp_path: Path) -> None:
    dest = copy(tmp_path)
    edit(dest / "rules" / "truth.yaml", "  - id: p16.no-licence-lost\n    kind: claim",
         "  - id: p16.no-licence-lost\n    kind: order\n    sequence: [licences.withdrawn.2023, "
         "licences.withdrawn.2021]\n    x: claim")
    text = (dest / "rules" / "truth.yaml").read_text(encoding="utf-8")
    text = text.replace("    x: claim\n", "").replace(
        "    claim: licences.none_lost.2023\n    counts: [licences.withdrawn.2023]\n", "")
    (dest / "rules" / "truth.yaml").write_text(text, encoding="utf-8")
    report = check(dest)
    assert report.checked is not None
    assert [u.id for u in report.checked.unchecked] == ["licences.none_lost.2023"]
    assert report.exit_code == 0  # listed, never blocking


def test_html_marks_the_facts_no_rule_checks(tmp_path: Path) -> None:
    dest = copy(tmp_path, ROOT)  # the bundled base with two facts' reasons taken away
    for para, reason in (("p44", "the document gives no number of regions elsewhere"),
                         ("p24", "the document gives no other staff count of the fund")):
        text = (dest / "facts" / f"{para}.yaml").read_text(encoding="utf-8")
        line = next(x for x in text.splitlines(keepends=True) if reason in x)
        edit(dest / "facts" / f"{para}.yaml", line, "")
    base, report = check_with_base(dest / "facts", dest / "rules",
                                   baseline=dest / "baseline.yaml")
    page = render(report, "html", base=base)
    assert 'id="q-ombudsman_reps.regions" data-fact="ombudsman_reps.regions" class="q unchecked"' in page
    assert page.count(' unchecked"') == 3  # the two facts and the legend
    assert "Facts checked by a rule: <strong>125/127</strong>" in page
