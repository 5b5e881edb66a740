"""kzfacts draft, scan and suggest: drafted fact bases load, anchor, cover every number, and
their candidate rules find planted inconsistencies without false alarms."""

from __future__ import annotations

import json
import os
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
    assert rules.recall() >= 0.70, rules.missed
    assert rules.recall("share") >= 0.95, rules.missed
    assert rules.recall("sum") >= 0.75, rules.missed


def test_scan_of_the_bundled_source_reports_its_findings() -> None:
    scan = kzfacts.draft.scan(SOURCE)
    failing = {(r.paragraphs, r.kind) for r in scan.candidates}
    assert ((46,), "sum") in failing
    assert ((3,), "sum") in failing
    assert ((45,), "rates_agree") in failing  # 465.8 and 272 tenge a dollar
    p46 = next(r for r in scan.candidates if r.paragraphs == (46,) and r.kind == "sum")
    assert "10,166, not 10,169: 3 short" in p46.message
    assert any(r.paragraphs == (42,) and r.kind == "share" and r.verdict.value in ("warn", "fail")
               and "40% of 27" in r.message for r in scan.report.results)
    assert scan.exit_code == 1


def test_a_drafted_rule_is_not_a_hand_rule_and_says_so(bundled: Checked) -> None:
    base, report = bundled
    assert report.results
    assert all(result.rule.startswith("draft.") for result in report.results)
    _, rules = kzfacts.load(base.root, base.root.parent / "rules")
    assert all(spec.drafted for spec in rules.specs)


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


def test_a_range_of_amounts_in_a_currency_the_text_names_is_a_scale(tmp_path: Path) -> None:
    """ "from 20,000 to 60,000 korun": a currency no units file names (the text shows it
    counts money) bounds the amount per victim; a total over its count outside it fails."""
    text = ("1. The budget was 18.4 million korun in 2022.\n"
            "2. Compensation was paid to 37 victims in 2022 in the total amount of {paid} korun; "
            "the amount of compensation per victim ranges from 20,000 to 60,000 korun.\n")
    for paid, verdict in (("1.48 million", "pass"), ("2.96 million", "fail")):
        folder = tmp_path / verdict
        folder.mkdir()
        result, report = _draft(folder, text.format(paid=paid))
        scale = next(f for f in result.facts if f.kind == "range")
        assert (scale.value, scale.unit) == ((20000, 60000), "korun")
        rule = _rule(report, "mean_within")
        assert rule.verdict.value == verdict, rule.message
        assert "lies within from 20,000 to 60,000" in rule.title


@pytest.mark.parametrize(("part", "verdict"), [("63", "pass"), ("71", "fail")])
def test_a_share_whose_part_is_restated_after_its_whole(tmp_path: Path, part: str, verdict: str) -> None:
    """ "42 per cent of the 150 detainees interviewed, that is 71 persons": the part, not a GRIM."""
    _, report = _draft(tmp_path, f"1. Forty-two per cent of the 150 detainees interviewed, that is "
                                 f"{part} persons, reported no access to a lawyer.\n")
    rule = _rule(report, "share")
    assert rule.verdict.value == verdict, rule.message
    assert len(rule.facts) == 3


@pytest.mark.parametrize(("total", "verdict"), [("1 195", "pass"), ("1 215", "fail")])
def test_a_list_told_respectively_with_its_total(tmp_path: Path, total: str, verdict: str) -> None:
    _, report = _draft(tmp_path, "1. Between 2019 and 2022 the number of persons placed in solitary "
                                 f"confinement was 312, 298, 305 and 280 respectively, a total of {total} "
                                 "persons.\n")
    rule = _rule(report, "sum")
    assert rule.verdict.value == verdict, rule.message
    assert len(rule.facts) == 5


@pytest.mark.parametrize(("verb", "verdict"), [("increased", "pass"), ("decreased", "fail")])
def test_two_years_compared_and_a_trend_said_of_them(tmp_path: Path, verb: str, verdict: str) -> None:
    _, report = _draft(tmp_path, "1. Inmates filed 212 complaints in 2022, compared with 190 in 2021. "
                                 f"Thus the number of complaints {verb} in 2022.\n")
    rule = _rule(report, "bound")
    assert (rule.verdict.value, rule.severity.value) == (verdict, "warning"), rule.message
    assert "190 in 2021 to 212 in 2022" in rule.title


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


def _rule(report: kzfacts.Report, kind: str) -> kzfacts.Result:
    return next(r for r in report.results if r.kind == kind)


@pytest.mark.parametrize(("total", "verdict"), [("7.2", "pass"), ("6.8", "fail")])
def test_a_figure_per_year_against_a_total_over_the_years(tmp_path: Path, total: str, verdict: str) -> None:
    result, report = _draft(tmp_path, (
        f"1. The Fund receives an annual grant of 1.8 million thalers; from 2020 to 2023 it "
        f"received {total} million thalers in total.\n"))
    rule = _rule(report, "per_period")
    assert (rule.verdict.value, rule.severity.value) == (verdict, "warning")
    assert "1.8 million × 4 years" in rule.message
    drafted = next(r for r in result.rules if r.id == rule.rule)
    assert drafted.drafted.startswith("per-period: “annual grant of 1.8 million")


def test_todays_annual_figure_only_bounds_a_total_of_years(tmp_path: Path) -> None:
    """A budget of today, which the text says may change, against a total of ten years: at
    least ten of today's unless it grew (info), not an equality."""
    _, report = _draft(tmp_path, (
        "1. The annual budget of the Office is 50 million lorns. The amount is flexible and can be "
        "increased. In total, from 2014 to 2023, 610 million lorns were allocated.\n"))
    rule = _rule(report, "per_period")
    assert (rule.verdict.value, rule.severity.value) == ("pass", "info")
    assert "610 million ≥ 50 million × 10 years" in rule.message


@pytest.mark.parametrize(("second", "verdict"), [("300,000", "pass"), ("450,000", "fail")])
def test_two_amounts_in_two_currencies_imply_one_rate(tmp_path: Path, second: str, verdict: str) -> None:
    _, report = _draft(tmp_path, (
        "1. The budget for 2023 was 12.6 million crowns (1.4 million euros). Of this, the visiting "
        f"programme received 2.7 million crowns ({second} euros).\n"))
    rule = _rule(report, "rates_agree")
    assert rule.verdict.value == verdict
    assert "crown/euro" in rule.message
    assert len(rule.facts) == 4


def test_two_rates_against_each_other_with_a_reference_too(tmp_path: Path) -> None:
    """The bundled ¶45 in small: both conversions pass the reference's rates of their years
    (within 5%), and the two rates they imply are still not one."""
    _, report = _draft(tmp_path, (
        "1. The annual budget is 54.5 million tenge or 117 thousand US dollars. In total, from 2014 "
        "to 2023, 748 million tenge or 2 million 750 thousand US dollars were allocated.\n"),
        reference=ROOT / "facts" / "reference.yaml", units=ROOT / "facts" / "units.yaml")
    rule = _rule(report, "rates_agree")
    assert rule.verdict.value == "fail"
    assert rule.severity.value == "warning"  # amounts of different periods: a tension
    assert "KZT/USD" in rule.message
    assert {r.kind for r in report.results} >= {"conversion", "per_period"}


@pytest.mark.parametrize(("paid", "verdict"), [("168,000", "pass"), ("290,000", "fail")])
def test_an_average_within_a_scale_of_amounts(tmp_path: Path, paid: str, verdict: str) -> None:
    _, report = _draft(tmp_path, (
        "1. Victims of ill-treatment receive compensation from 2,000 to 6,000 crowns each.\n"
        f"2. In 2023, 41 victims were compensated in the amount of {paid} crowns.\n"))
    rule = _rule(report, "mean_within")
    assert rule.verdict.value == verdict
    assert rule.paragraphs == (1, 2)


def test_an_average_within_a_scale_in_an_index_unit_through_a_dated_rate(tmp_path: Path) -> None:
    """ "The amount of compensation is 30 MCI ... 50 MCI" and a total of 2021 in tenge: the
    mean per victim against the scale at the MCI of 2021 (the bundled ¶38-¶39 in small)."""
    _, report = _draft(tmp_path, (
        "1. The amount of compensation is 30 MCI (103,500 tenge) for the first category. The "
        "amount of compensation is 50 MCI (172,500 tenge) for the second.\n"
        "2. In 2021, 944 victims were compensated in the amount of 122 million 163 thousand tenge.\n"),
        reference=ROOT / "facts" / "reference.yaml", units=ROOT / "facts" / "units.yaml")
    rule = _rule(report, "mean_within")
    assert rule.verdict.value == "pass"
    assert "2,917 KZT/MCI" in rule.message
    assert _rule(report, "rates_agree").verdict.value == "pass"  # 3,450 tenge an MCI, twice


@pytest.mark.parametrize(("spent", "verdict"), [("48.6", "pass"), ("148.6", "fail")])
def test_an_average_within_limits_the_text_negates(tmp_path: Path, spent: str, verdict: str) -> None:
    result, report = _draft(tmp_path, (
        f"1. The Fund spent {spent} million thalers on 312 repair projects in 2023. No project "
        "received less than 50,000 or more than 400,000 thalers.\n"))
    least, most = _fact(result, "50,000"), _fact(result, "400,000")
    assert (least.qualifier, least.unit, most.qualifier, most.unit) == ("exact", "thaler", "exact", "thaler")
    assert least.note is not None
    assert "read as exact" in least.note
    assert _rule(report, "mean_within").verdict.value == verdict


@pytest.mark.parametrize(("dismissed", "verdict"), [("17", "pass"), ("12", "fail")])
def test_a_quantifier_whose_counts_are_in_a_paragraph_nearby(tmp_path: Path, dismissed: str,
                                                           verdict: str) -> None:
    pending = 29 - 11 - int(dismissed)
    result, report = _draft(tmp_path, (
        f"1. Of the 29 complaints registered in 2023, {dismissed} were dismissed as unfounded, 11 were "
        f"referred to the prosecutor and {pending} are pending.\n"
        "2. The Office visited 12 prisons.\n"
        "3. Most complaints of ill-treatment were dismissed as unfounded.\n"))
    rule = _rule(report, "quantifier")
    assert rule.verdict.value == verdict
    assert rule.paragraphs == (1, 3)
    claim = next(f for f in result.facts if f.kind == "statement" and f.paragraph == 3)
    assert claim.claim == "most"


def test_a_quantifier_names_no_count_the_words_do_not_point_to(tmp_path: Path) -> None:
    _, report = _draft(tmp_path, (
        "1. Of the 29 complaints registered in 2023, 12 were dismissed and 17 were upheld.\n"
        "2. Most visits were announced.\n"))
    assert all(r.kind != "quantifier" for r in report.results)


def test_a_claim_of_none_against_the_count_of_its_period(tmp_path: Path) -> None:
    result, report = _draft(tmp_path, (
        "1. Complaints of ill-treatment registered: 2021 – 14, 2022 – 9, 2023 – 6.\n"
        "2. In 2023, no complaint of ill-treatment was registered.\n"
        "3. In 2023, no complaint of ill-treatment was registered in juvenile detention centres.\n"))
    claims = sorted((r for r in report.results if r.kind == "claim"), key=lambda r: r.paragraphs)
    assert [(r.paragraphs, r.verdict.value, r.severity.value) for r in claims] == [
        ((1, 2), "fail", "error"),  # the same words: the count refutes the claim
        ((1, 3), "warn", "warning")]  # a narrower claim than the count: unverified, not refuted
    assert all("6" in r.message for r in claims)
    assert [f.claim for f in result.facts if f.kind == "statement"] == ["none", "none"]


def test_events_told_in_order_across_paragraphs_about_one_body(tmp_path: Path) -> None:
    _, report = _draft(tmp_path, (
        "1. The Ombudsman's Office for Children was established in February 2016.\n"
        "2. In 2019, a new head of the Office was appointed. Since 2021 it has run a hotline.\n"
        "3. A national strategy was adopted in 2018.\n"))
    orders = [r for r in report.results if r.kind == "order"]
    assert [(r.paragraphs, r.verdict.value) for r in orders] == [((1, 2), "pass")]
    assert orders[0].message.startswith("2016-02 ≤ 2019 ≤ 2021")
    assert orders[0].severity.value == "info"  # told in order, not dated against each other


def test_events_out_of_order_in_a_paragraph(tmp_path: Path) -> None:
    _, report = _draft(tmp_path, "1. The Act was adopted in March 2021. Since January 2020 it has been in "
                                 "force.\n")
    rule = _rule(report, "order")
    assert (rule.verdict.value, rule.severity.value) == ("fail", "warning")


def test_sub_counts_at_least_one_each(tmp_path: Path) -> None:
    _, report = _draft(tmp_path, (
        "1. In 2022, 945 cases were registered, including 5 group cases involving 9 people.\n"
        "2. In 10 cases sent to court, 28 people were brought to justice.\n"))
    bounds = {r.paragraphs: r for r in report.results if r.kind == "bound" and "×" in r.message}
    assert bounds[(1,)].verdict.value == "fail"  # 5 group cases need at least 10 people
    assert "5 × 2 person/case, not ≤ 9" in bounds[(1,)].message
    assert bounds[(2,)].verdict.value == "pass"


def test_a_count_after_a_breakdown_in_its_words_is_a_part(tmp_path: Path) -> None:
    result, report = _draft(tmp_path, (
        "1. In 2022, 961 people committed self-harm. Of the total number of persons who committed "
        "acts of self-harm, 359 people were on preventive registration. 135 people have committed "
        "self-harm repeatedly.\n"))
    repeat = _fact(result, "135")
    assert repeat.period == "2022"  # the period of the total it is a part of
    rule = next(r for r in report.results if r.kind == "bound" and "135" in r.message)
    assert "135 ≤ 961" in rule.message


def test_scan_finds_the_planted_inconsistencies_of_the_new_kinds() -> None:
    scan = kzfacts.draft.scan(EXAMPLES / "marvania-planted.txt")
    failing = {(r.kind, r.paragraphs) for r in scan.candidates}
    assert failing == {("per_period", (8,)), ("rates_agree", (7,)), ("quantifier", (4, 5)),
                       ("claim", (3, 6))}
    assert scan.exit_code == 1


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
    # what a viewer shows otherwise than kzfacts reads: refused as check refuses it
    ("1. In 2023 \u202e591 cases.\n".encode(), "doc.txt:1:12: expected no bidirectional control"),
    ("1. In 2023, \u09ea0 cases.\n".encode(), "doc.txt:1:13: expected the digits 0-9 only"),
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


def test_a_decimal_of_many_places_is_written_as_the_loader_reads_it(tmp_path: Path) -> None:
    """A tiny share ("0.0000000000000000000001%") is a decimal, not '1E-22' (exit 3 before)."""
    result, report = _draft(tmp_path, "1. Of 100 cases, 0.0000000000000000000001% were closed.\n")
    assert any(str(f.value) == "1E-22" for f in result.facts)  # the exact value kept
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out" / "facts").glob("p*.yaml"))
    assert '"0.0000000000000000000001"' in text and "E-" not in text
    assert report.facts >= 2


def test_rules_outgrowing_one_file_are_written_to_several(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The loader reads at most MAX_FILE_BYTES of a file: a draft's rules go on in
    drafted-2.yaml ..., and check gives what one file would give."""
    from kzfacts.draft import write

    text = "".join(f"{i}. Of the {i * 10} cases, {i * 4} were closed and {i * 6} were not.\n"
                   for i in range(1, 13))
    for name in ("one", "many"):
        (tmp_path / name).mkdir()
    _, whole = _draft(tmp_path / "one", text)
    monkeypatch.setattr(write, "_RULES_BUDGET", 400)
    _, split = _draft(tmp_path / "many", text)
    files = {p.name for p in (tmp_path / "many" / "out" / "rules").iterdir()}
    assert files == {"drafted.yaml", *(f"drafted-{i}.yaml" for i in range(2, len(files) + 1))}
    assert len(files) >= 4
    assert (tmp_path / "one" / "out" / "rules" / "drafted-2.yaml").exists() is False
    assert [(r.rule, r.verdict) for r in split.results] == [(r.rule, r.verdict) for r in whole.results]
    assert len(whole.results) >= 12


def test_a_draft_file_the_loader_cannot_read_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from kzfacts.draft import write

    monkeypatch.setattr(write, "MAX_FILE_BYTES", 300)
    source = tmp_path / "doc.txt"
    source.write_text("1. In 2022, 12 cases and 14 persons, 3 of them women, 9 men.\n", encoding="utf-8")
    for command in ("scan", "draft"):
        code, _, err = run([command, str(source), "-o", str(tmp_path / f"o-{command}")], capsys)
        assert code == 2, err
        assert "at most 300 bytes (what kzfacts reads of a data file)" in err
        assert "Traceback" not in err


def test_a_source_that_is_not_a_regular_file_is_refused_before_it_is_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A FIFO (or a device such as /dev/zero) is never opened: exit 2, not an endless read."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for command in ("scan", "draft"):
        code, _, err = run([command, str(fifo), "-o", str(tmp_path / f"o-{command}")], capsys)
        assert code == 2
        assert "expected a regular file, found a FIFO" in err


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
