"""Every rule kind on tiny fact bases: pass, warn (where a kind can warn) and fail, with the
arithmetic in the message."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import kzfacts
from kzfacts import Interval, RuleCrashError, Verdict, admissible_counts, read_number

CheckBase = Callable[..., kzfacts.Report]
MakeFact = Callable[..., dict[str, Any]]


def rule(rule_id: str, kind: str, **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"id": rule_id, "kind": kind, "title": f"the rule {rule_id}",
                              "severity": "error", "paragraphs": [1], "why": "for the test"}
    record.update(fields)
    return record


def outcome(report: kzfacts.Report, rule_id: str = "r") -> kzfacts.Result:
    """The result of a rule, once the test's facts are known to anchor in the source."""
    assert report.anchoring == (), report.anchoring
    return report.result(rule_id)


# -- sum -----------------------------------------------------------------------------------

P18 = ("In total, 64 persons have been convicted of torture over the past 5 years, of which "
       "50 (78%) have been sentenced to real imprisonment, 9 (14%) to probation and 5 (7.8%) "
       "to restriction of liberty.")


@pytest.fixture
def p18_facts(make_fact: MakeFact) -> list[dict[str, Any]]:
    return [
        make_fact("convicted", 64, "person", "In total, 64 persons have been convicted", "64"),
        make_fact("prison", 50, "person", "50 (78%) have been sentenced", "50"),
        make_fact("prison.share", 78, "percent", "50 (78%) have been sentenced", "78%",
                  kind="share"),
        make_fact("probation", 9, "person", "9 (14%) to probation", "9"),
        make_fact("probation.share", 14, "percent", "9 (14%) to probation", "14%", kind="share"),
        make_fact("restriction", 5, "person", "5 (7.8%) to restriction", "5"),
        make_fact("restriction.share", "7.8", "percent", "5 (7.8%) to restriction", "7.8%",
                  kind="share"),
        make_fact("window", 5, "year", "over the past 5 years", "5 years", kind="duration"),
    ]


def test_sum_pass(check_base: CheckBase, p18_facts: list[dict[str, Any]]) -> None:
    report = check_base([P18], {1: p18_facts}, [
        rule("r", "sum", parts=["prison", "probation", "restriction"], total="convicted")])
    r = outcome(report)
    assert r.verdict is Verdict.PASS
    assert r.message == "50 + 9 + 5 = 64 ✓"
    assert [f.id for f in r.facts] == ["convicted", "prison", "probation", "restriction"]
    assert report.exit_code == 0


def test_sum_of_rounded_shares_pass(check_base: CheckBase, p18_facts: list[dict[str, Any]]
                                    ) -> None:
    """78% + 14% + 7.8% = 99.8%, but rounded shares admit [98.75, 100.85): 100 fits."""
    report = check_base([P18], {1: p18_facts}, [
        rule("r", "sum", parts=["prison.share", "probation.share", "restriction.share"],
             total="100 percent")])
    r = outcome(report)
    assert r.verdict is Verdict.PASS
    assert r.intervals["left"] == "[98.75, 100.85)"
    assert r.intervals["right"] == "100"


def test_sum_fail(check_base: CheckBase, p18_facts: list[dict[str, Any]]) -> None:
    report = check_base([P18], {1: p18_facts}, [
        rule("r", "sum", parts=["prison", "probation"], total="convicted")])
    r = outcome(report)
    assert r.verdict is Verdict.FAIL
    assert r.message == "50 + 9 = 59, not 64: 5 short"
    assert report.exit_code == 1


P46 = ("In the period of 2020 – 2023, 10,169 recommendations were proposed by NPM’s "
       "participants. In particular, 4,780 (47%) of them were executed, 381 (3,7%) - not "
       "accepted and 5005 (49,2) - in process.")


def test_sum_fail_p46(check_base: CheckBase, make_fact: MakeFact) -> None:
    period = {"period": "2020/2023"}
    facts = [
        make_fact("proposed", 10169, "recommendation",
                  "In the period of 2020 – 2023, 10,169 recommendations", "10,169", **period),
        make_fact("executed", 4780, "recommendation", "4,780 (47%) of them were executed",
                  "4,780", **period),
        make_fact("not_accepted", 381, "recommendation", "381 (3,7%) - not accepted", "381",
                  **period),
        make_fact("not_accepted.share", "3.7", "percent", "381 (3,7%) - not accepted", "3,7%",
                  kind="share", **period),
        make_fact("in_process", 5005, "recommendation", "5005 (49,2) - in process", "5005",
                  **period),
        make_fact("in_process.share", "49.2", "percent", "5005 (49,2) - in process", "(49,2)",
                  kind="share", **period),
    ]
    report = check_base([P46], {1: facts}, [
        rule("r", "sum", parts=["executed", "not_accepted", "in_process"], total="proposed"),
        rule("s", "share", share="in_process.share", part="in_process", whole="proposed"),
        rule("t", "share", share="not_accepted.share", part="not_accepted", whole="proposed"),
    ])
    r = outcome(report)
    assert r.verdict is Verdict.FAIL
    assert "4,780 + 381 + 5005 = 10,166, not" in r.message
    assert r.message.endswith("10,169: 3 short")
    # (49,2) and 3,7% are the shares of the 10,169
    assert outcome(report, "s").verdict is Verdict.PASS
    assert outcome(report, "t").verdict is Verdict.PASS


def test_sum_over(check_base: CheckBase, p18_facts: list[dict[str, Any]]) -> None:
    report = check_base([P18], {1: p18_facts}, [
        rule("r", "sum", parts=["convicted", "prison"], total="convicted")])
    r = outcome(report)
    assert r.verdict is Verdict.FAIL
    assert r.message.endswith(": 50 over")


@pytest.mark.parametrize(("relation", "verdict"), [
    ("le", Verdict.PASS), ("ge", Verdict.FAIL), ("eq", Verdict.FAIL),
])
def test_sum_relation(check_base: CheckBase, p18_facts: list[dict[str, Any]], relation: str,
                      verdict: Verdict) -> None:
    """An "including" list: the named parts need only not exceed the total."""
    report = check_base([P18], {1: p18_facts}, [
        rule("r", "sum", parts=["prison", "restriction"], total="convicted", relation=relation)])
    assert outcome(report).verdict is verdict


def test_sum_negated_part(check_base: CheckBase, p18_facts: list[dict[str, Any]]) -> None:
    report = check_base([P18], {1: p18_facts}, [
        rule("r", "sum", parts=["convicted", {"fact": "probation", "negate": True},
                                {"fact": "restriction", "negate": True}], total="prison")])
    r = outcome(report)
    assert r.verdict is Verdict.PASS
    assert "64 − 9 − 5" in r.message


def test_sum_skips_partial_year(check_base: CheckBase, make_fact: MakeFact) -> None:
    """A figure for "2019 to 4 months of 2023" is not compared with whole years."""
    facts = [make_fact("all", 214, "crime", "214 crimes were registered", "214",
                       period="2019/2023-04"),
             make_fact("a", 202, "crime", "202 in 2019-2022", "202", period="2019/2022"),
             make_fact("b", 12, "crime", "12 in 2023", "12", period=2023)]
    report = check_base(["Since 2019, 214 crimes were registered: 202 in 2019-2022 and 12 in "
                         "2023."], {1: facts},
                        [rule("r", "sum", parts=["a", "b"], total="all")],
                        not_claims={"not_claims": [{"paragraph": 1, "text": "Since 2019",
                                                    "why": "the start of the period"}]})
    r = outcome(report)
    assert r.verdict is Verdict.SKIP
    assert r.message.startswith("not compared: all covers 2019/2023-04")
    assert report.exit_code == 0


P34 = "In 10 cases sent to court, 28 people were brought to justice."


@pytest.mark.parametrize(("times", "relation", "verdict", "message"), [
    ("1 person/case", "le", Verdict.PASS, "10 × 1 person/case ≤ 28 ✓"),
    ("3 person/case", "le", Verdict.FAIL, "10 × 3 person/case, not ≤ 28: 2 over"),
    ("3 person/case", "ge", Verdict.PASS, "10 × 3 person/case ≥ 28 ✓"),
])
def test_sum_with_coefficient(check_base: CheckBase, make_fact: MakeFact, *, times: str,
                              relation: str, verdict: Verdict, message: str) -> None:
    """A term ``{fact, times: "1 person/case"}`` turns cases into persons."""
    facts = [make_fact("cases", 10, "case", "In 10 cases sent to court", "10"),
             make_fact("people", 28, "person", "28 people were brought", "28")]
    report = check_base([P34], {1: facts}, [
        rule("r", "sum", parts=[{"fact": "cases", "times": times}], total="people",
             relation=relation)])
    r = outcome(report)
    assert r.verdict is verdict
    assert r.message == message


def test_sum_without_coefficient_mismatches(check_base: CheckBase, make_fact: MakeFact) -> None:
    facts = [make_fact("cases", 10, "case", "In 10 cases sent to court", "10"),
             make_fact("people", 28, "person", "28 people were brought", "28")]
    with pytest.raises(kzfacts.InvalidDataError) as info:
        check_base([P34], {1: facts}, [rule("r", "sum", parts=["cases"], total="people",
                                            relation="le")])
    err = info.value.errors[0]
    assert isinstance(err, kzfacts.UnitMismatchError)
    assert err.field == "rule r: parts.0"


BUDGET = ("The budget was 3,150,000 tenge: 1.5 million tenge for salaries and 1.5 million tenge "
          "for travel.")


@pytest.fixture
def budget_facts(make_fact: MakeFact) -> list[dict[str, Any]]:
    return [
        make_fact("budget", 3150000, "KZT", "The budget was 3,150,000 tenge", "3,150,000 tenge",
                  kind="money"),
        make_fact("salaries", 1500000, "KZT", "1.5 million tenge for salaries",
                  "1.5 million tenge", kind="money"),
        make_fact("travel", 1500000, "KZT", "1.5 million tenge for travel", "1.5 million tenge",
                  kind="money"),
    ]


def test_sum_warn_truncated_parts(check_base: CheckBase, budget_facts: list[dict[str, Any]]
                                  ) -> None:
    """1.5 million rounded is [1.45, 1.55) million: two make at most 3.1 million; truncated,
    [1.5, 1.6) million each, 3.15 million fits."""
    report = check_base([BUDGET], {1: budget_facts}, [
        rule("r", "sum", parts=["salaries", "travel"], total="budget")])
    r = outcome(report)
    assert r.verdict is Verdict.WARN
    assert r.message == ("1.5 million tenge + 1.5 million tenge = [2,900,000, 3,100,000) = "
                         "3,150,000 tenge only if truncated")
    assert any("truncated" in n for n in r.notes)
    assert report.exit_code == 0  # a warning does not block


# -- share ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("share", "part", "verdict", "message"), [
    ("prison.share", "prison", Verdict.PASS, "50 / 64 = 78.12%, which rounds to 78% ✓"),
    ("probation.share", "probation", Verdict.PASS, "9 / 64 = 14.06%, which rounds to 14% ✓"),
    ("restriction.share", "restriction", Verdict.PASS,
     "5 / 64 = 7.812%, which rounds to 7.8% ✓"),
    ("probation.share", "prison", Verdict.FAIL,
     "50 / 64 = 78.12%, not 14% (which admits [13.5, 14.5)%)"),
])
def test_share(check_base: CheckBase, p18_facts: list[dict[str, Any]], *, share: str, part: str,
               verdict: Verdict, message: str) -> None:
    report = check_base([P18], {1: p18_facts}, [
        rule("r", "share", share=share, part=part, whole="convicted")])
    r = outcome(report)
    assert r.verdict is verdict
    assert r.message == message


def test_share_warn_truncated(check_base: CheckBase, make_fact: MakeFact) -> None:
    """7 of 9 is 77.78%: rounded that is 78%, so "77%" holds only if truncated."""
    facts = [make_fact("members", 9, "person", "9 members", "9"),
             make_fact("present", 7, "person", "7 (77%) were present", "7"),
             make_fact("present.share", 77, "percent", "7 (77%) were present", "77%",
                       kind="share")]
    report = check_base(["Of 9 members, 7 (77%) were present."], {1: facts}, [
        rule("r", "share", share="present.share", part="present", whole="members")])
    r = outcome(report)
    assert r.verdict is Verdict.WARN
    assert r.message == "7 / 9 = 77.78%: 77% only if truncated, not rounded"
    assert r.intervals["share (rounded)"] == "[76.5, 77.5)"
    assert r.intervals["share (truncated)"] == "[77, 78)"


def test_share_needs_percent(check_base: CheckBase, p18_facts: list[dict[str, Any]]) -> None:
    with pytest.raises(kzfacts.InvalidDataError) as info:
        check_base([P18], {1: p18_facts}, [
            rule("r", "share", share="prison", part="prison", whole="convicted")])
    assert [e.field for e in info.value.errors] == ["rule r: share"]
    assert "percent" in info.value.errors[0].expected


def test_share_in_parentheses_without_percent_sign(check_base: CheckBase,
                                                   make_fact: MakeFact) -> None:
    """¶46 writes shares as "(49,2)", without "%". A share so written is still a rounded
    percentage: "(49)" admits [48.5, 49.5), so 5005 of 10,169 (49.22%) fits."""
    facts = [make_fact("all", 10169, "recommendation", "10,169 recommendations", "10,169"),
             make_fact("part", 5005, "recommendation", "5005 (49) - in process", "5005"),
             make_fact("part.share", 49, "percent", "5005 (49) - in process", "(49)",
                       kind="share")]
    report = check_base(["Of 10,169 recommendations, 5005 (49) - in process."], {1: facts}, [
        rule("r", "share", share="part.share", part="part", whole="all"),
        rule("g", "share", share="part.share", whole="all")])
    r = outcome(report)
    assert r.intervals["share (rounded)"] == "[48.5, 49.5)"
    assert r.verdict is Verdict.PASS
    assert outcome(report, "g").verdict is Verdict.PASS


# -- share without a part: GRIM ------------------------------------------------------------

@pytest.mark.parametrize(("share", "whole", "rounded", "truncated"), [
    ("78%", 64, [50], [50]),
    ("40%", 27, [], [11]),
    ("4.7%", 214, [10], []),
    ("7.8%", 64, [5], [5]),
    ("14%", 64, [9], [9]),
    ("94%", 214, [201, 202], [202, 203]),
    ("33%", 5, [], []),
    ("0%", 5, [0], [0]),
    ("100%", 7, [7], [7]),
])
def test_admissible_counts(share: str, whole: int, rounded: list[int], truncated: list[int]
                           ) -> None:
    reading = read_number(share)
    assert list(admissible_counts(reading.interval(), whole)) == rounded
    assert list(admissible_counts(reading.interval(convention="truncate"), whole)) == truncated


def test_admissible_counts_of_nothing() -> None:
    assert list(admissible_counts(Interval.closed(10, 20), 0)) == []
    assert list(admissible_counts(Interval.closed(Fraction(101), Fraction(110)), 10)) == []


GRIM_TEXT = "Of {whole} persons, {share} were released."


@pytest.mark.parametrize(("share", "value", "whole", "verdict", "message"), [
    ("78%", 78, 64, Verdict.PASS, "78% of 64 admits 50 (78.12%) ✓"),
    ("4.7%", "4.7", 214, Verdict.PASS, "4.7% of 214 admits 10 (4.67%) ✓"),
    ("40%", 40, 27, Verdict.WARN,
     "40% of 27: no whole count rounds to 40% (10 = 37.04%, 11 = 40.74%); "
     "11 (40.74%) only if truncated"),
    ("33%", 33, 5, Verdict.FAIL, "33% of 5: no whole count gives 33% (1 = 20%, 2 = 40%)"),
])
def test_share_grim(check_base: CheckBase, make_fact: MakeFact, *, share: str, value: object,
                    whole: int, verdict: Verdict, message: str) -> None:
    text = GRIM_TEXT.format(whole=whole, share=share)
    facts = [make_fact("all", whole, "person", f"Of {whole} persons", str(whole)),
             make_fact("released.share", value, "percent", f"{share} were released", share,
                       kind="share")]
    report = check_base([text], {1: facts}, [rule("r", "share", share="released.share",
                                                  whole="all")])
    r = outcome(report)
    assert r.verdict is verdict
    assert r.message == message


def test_share_grim_counts_reported(check_base: CheckBase, make_fact: MakeFact) -> None:
    facts = [make_fact("all", 27, "person", "Of 27 persons", "27"),
             make_fact("released.share", 40, "percent", "40% were released", "40%",
                       kind="share")]
    report = check_base([GRIM_TEXT.format(whole=27, share="40%")], {1: facts},
                        [rule("r", "share", share="released.share", whole="all")])
    r = outcome(report)
    assert r.intervals["counts (rounded)"] == "none"
    assert r.intervals["counts (truncated)"] == "11"


def test_share_grim_skips_rounded_whole(check_base: CheckBase, make_fact: MakeFact) -> None:
    facts = [make_fact("all", 54500000, "person", "Of 54.5 million persons", "54.5 million"),
             make_fact("released.share", 40, "percent", "40% were released", "40%",
                       kind="share")]
    report = check_base([GRIM_TEXT.format(whole="54.5 million", share="40%")], {1: facts},
                        [rule("r", "share", share="released.share", whole="all")])
    assert outcome(report).verdict is Verdict.SKIP


# -- bound ---------------------------------------------------------------------------------

P37 = ("Of 4,278 requirements, 2,697 concerned alcohol and 5,000 concerned tobacco; "
       "1.5 million tenge was spent against 1,570,000 tenge planned.")


@pytest.fixture
def p37_facts(make_fact: MakeFact) -> list[dict[str, Any]]:
    return [
        make_fact("requirements", 4278, "case", "Of 4,278 requirements", "4,278"),
        make_fact("alcohol", 2697, "case", "2,697 concerned alcohol", "2,697"),
        make_fact("tobacco", 5000, "case", "5,000 concerned tobacco", "5,000"),
        make_fact("spent", 1500000, "KZT", "1.5 million tenge was spent", "1.5 million tenge",
                  kind="money"),
        make_fact("planned", 1570000, "KZT", "1,570,000 tenge planned", "1,570,000 tenge",
                  kind="money"),
    ]


@pytest.mark.parametrize(("left", "relation", "right", "verdict", "message"), [
    ("alcohol", "le", "requirements", Verdict.PASS, "2,697 ≤ 4,278 ✓"),
    ("tobacco", "le", "requirements", Verdict.FAIL, "5,000, not ≤ 4,278: 722 over"),
    ("alcohol", "lt", "tobacco", Verdict.PASS, "2,697 < 5,000 ✓"),
    ("alcohol", "gt", "tobacco", Verdict.FAIL, "2,697, not > 5,000: 2,303 short"),
    (["alcohol", "tobacco"], "ge", "requirements", Verdict.PASS, "2,697 + 5,000 = 7,697 ≥ 4,278 ✓"),
    ("requirements", "eq", "requirements", Verdict.PASS, "4,278 = 4,278 ✓"),
    ("spent", "le", "planned", Verdict.PASS, "1.5 million tenge ≤ 1,570,000 tenge ✓"),
    ("spent", "ge", "planned", Verdict.WARN,
     "1.5 million tenge ≥ 1,570,000 tenge only if truncated"),
])
def test_bound(check_base: CheckBase, p37_facts: list[dict[str, Any]], *, left: str | list[str],
               relation: str, right: str, verdict: Verdict, message: str) -> None:
    report = check_base([P37], {1: p37_facts}, [
        rule("r", "bound", left=left, relation=relation, right=right)])
    r = outcome(report)
    assert r.verdict is verdict
    assert r.message == message


def test_bound_unit_mismatch(check_base: CheckBase, p37_facts: list[dict[str, Any]]) -> None:
    with pytest.raises(kzfacts.InvalidDataError) as info:
        check_base([P37], {1: p37_facts}, [
            rule("r", "bound", left="spent", relation="le", right="requirements")])
    err = info.value.errors[0]
    assert isinstance(err, kzfacts.UnitMismatchError)
    assert err.field.startswith("rule r: left")
    assert str(err.location) == "rules/rules.yaml:9:9"  # the line of "left: spent"


def test_bound_with_coefficient(check_base: CheckBase, p37_facts: list[dict[str, Any]]) -> None:
    """A term with ``times``: 2 × 2,697 = 5,394 ≥ 5,000."""
    report = check_base([P37], {1: p37_facts}, [
        rule("r", "bound", left=[{"fact": "alcohol", "times": "2"}], relation="ge",
             right="tobacco")])
    r = outcome(report)
    assert r.verdict is Verdict.PASS
    assert r.intervals["left"] == "5,394"


# -- series --------------------------------------------------------------------------------

SERIES = ("In 2020, 100 cases were registered and 40 were discontinued; in 2021, 90 cases were "
          "registered and {d2021} were discontinued.")


def series_facts(make_fact: MakeFact, d2021: int) -> list[dict[str, Any]]:
    return [
        make_fact("registered.2020", 100, "case", "In 2020, 100 cases were registered", "100",
                  period=2020),
        make_fact("discontinued.2020", 40, "case", "40 were discontinued", "40", period=2020),
        make_fact("registered.2021", 90, "case", "in 2021, 90 cases were registered", "90",
                  period=2021),
        make_fact("discontinued.2021", d2021, "case", f"{d2021} were discontinued", str(d2021),
                  period=2021),
    ]


@pytest.mark.parametrize(("d2021", "verdict", "message"), [
    (60, Verdict.PASS, "2020: 40 ≤ 100 ✓; 2021: 60 ≤ 90 ✓"),
    (95, Verdict.FAIL, "2021: 95, not ≤ 90: 5 over; 2020: 40 ≤ 100 ✓"),
])
def test_series(check_base: CheckBase, make_fact: MakeFact, d2021: int, verdict: Verdict,
                message: str) -> None:
    report = check_base([SERIES.format(d2021=d2021)], {1: series_facts(make_fact, d2021)}, [
        rule("r", "series", left="discontinued.{year}", relation="le",
             right="registered.{year}", years=[2020, 2021])])
    r = outcome(report)
    assert r.verdict is verdict
    assert r.message == message
    assert set(r.intervals) == {"2020.left", "2020.right", "2021.left", "2021.right"}


def test_series_missing_year(check_base: CheckBase, make_fact: MakeFact) -> None:
    with pytest.raises(kzfacts.InvalidDataError) as info:
        check_base([SERIES.format(d2021=60)], {1: series_facts(make_fact, 60)}, [
            rule("r", "series", left="discontinued.{year}", relation="le",
                 right="registered.{year}", years=[2020, 2022])])
    err = info.value.errors[0]
    assert isinstance(err, kzfacts.UnknownFactError)
    assert "discontinued.2022" in err.found or "registered.2022" in err.found


def test_series_needs_year_placeholder(check_base: CheckBase, make_fact: MakeFact) -> None:
    with pytest.raises(kzfacts.InvalidDataError) as info:
        check_base([SERIES.format(d2021=60)], {1: series_facts(make_fact, 60)}, [
            rule("r", "series", left="discontinued.2020", relation="le",
                 right="registered.2020", years=[2020, 2021])])
    assert "{year}" in info.value.errors[0].expected


# -- conversion ----------------------------------------------------------------------------

def reference(entries: Sequence[tuple[str, object, str | None]]) -> dict[str, Any]:
    return {"tables": {
        "mci": {"unit": "KZT/MCI", "description": "the MCI", "entries": [
            {"value": 3450, "effective_from": "2023-01-01", "confidence": "confirmed",
             "source_url": "https://example.org/mci-2023"},
            {"value": 2778, "effective_from": "2020-04-01", "confidence": "confirmed",
             "source_url": "https://example.org/mci-2020"},
        ]},
        "usd": {"unit": "KZT/USD", "description": "an annual average", "entries": [
            {"value": value, "year": int(year), "confidence": "confirmed", "source_url": url}
            for year, value, url in entries]},
    }}


REFERENCE = reference([("2023", 470, "https://example.org/usd-2023"),
                       ("2022", 460, None)])

P38 = ("The amount of compensation is 30 MCI (103,500 tenge); the second 40 MCI (130,500 "
       "tenge). The budget is 54.5 million tenge or 117 thousand US dollars; travel took "
       "1.5 million tenge or 3,100 dollars.")


@pytest.fixture
def p38_facts(make_fact: MakeFact) -> list[dict[str, Any]]:
    return [
        make_fact("cat1.mci", 30, "MCI", "30 MCI (103,500 tenge)", "30 MCI", kind="index"),
        make_fact("cat1.kzt", 103500, "KZT", "30 MCI (103,500 tenge)", "103,500 tenge",
                  kind="money"),
        make_fact("cat2.mci", 40, "MCI", "40 MCI (130,500", "40 MCI", kind="index"),
        make_fact("cat2.kzt", 130500, "KZT", "130,500 tenge", "130,500 tenge", kind="money"),
        make_fact("budget.kzt", 54500000, "KZT", "54.5 million tenge or 117 thousand",
                  "54.5 million tenge", kind="money"),
        make_fact("budget.usd", 117000, "USD", "117 thousand US dollars",
                  "117 thousand US dollars", kind="money"),
        make_fact("travel.kzt", 1500000, "KZT", "1.5 million tenge or 3,100 dollars",
                  "1.5 million tenge", kind="money"),
        make_fact("travel.usd", 3100, "USD", "3,100 dollars", "3,100 dollars", kind="money"),
    ]


def test_conversion_pass(check_base: CheckBase, p38_facts: list[dict[str, Any]]) -> None:
    report = check_base([P38], {1: p38_facts}, [
        rule("r", "conversion", amount="cat1.mci", result="cat1.kzt",
             rate={"table": "mci", "on": "2023-01-01"})], reference=REFERENCE)
    r = outcome(report)
    assert r.verdict is Verdict.PASS
    assert r.message == ("30 MCI × 3,450 KZT/MCI = 103,500 KZT, stated 103,500 tenge ✓ "
                         "(implied rate 3,450 KZT/MCI)")
    assert r.intervals["reference rate"] == "3,450"


def test_conversion_picks_the_rate_in_force(check_base: CheckBase,
                                            p38_facts: list[dict[str, Any]]) -> None:
    """On 2022-06-01 the MCI in force is the one from 2020-04-01: 30 × 2,778 = 83,340."""
    report = check_base([P38], {1: p38_facts}, [
        rule("r", "conversion", amount="cat1.mci", result="cat1.kzt",
             rate={"table": "mci", "on": "2022-06-01"})], reference=REFERENCE)
    r = outcome(report)
    assert r.verdict is Verdict.FAIL
    assert r.message.startswith("30 MCI × 2,778 KZT/MCI = 83,340 KZT, not 103,500 tenge")


def test_conversion_fail(check_base: CheckBase, p38_facts: list[dict[str, Any]]) -> None:
    report = check_base([P38], {1: p38_facts}, [
        rule("r", "conversion", amount="cat2.mci", result="cat2.kzt",
             rate={"table": "mci", "on": "2023-01-01"})], reference=REFERENCE)
    r = outcome(report)
    assert r.verdict is Verdict.FAIL
    assert r.message.startswith("40 MCI × 3,450 KZT/MCI = 138,000 KZT, not 130,500 tenge")
    assert "implied rate 3,262.5 KZT/MCI" in r.message


def test_conversion_warn_tolerance(check_base: CheckBase, p38_facts: list[dict[str, Any]]
                                   ) -> None:
    """54.5 million tenge ÷ 470 is about 116 thousand dollars, not 117: inside 5% only."""
    rules = [rule("r", "conversion", amount="budget.kzt", result="budget.usd",
                  rate={"table": "usd", "year": 2023}, tolerance="5%"),
             rule("s", "conversion", amount="budget.kzt", result="budget.usd",
                  rate={"table": "usd", "year": 2023})]
    report = check_base([P38], {1: p38_facts}, rules, reference=REFERENCE)
    r = outcome(report)
    assert r.verdict is Verdict.WARN
    assert "within the 5% tolerance only" in r.message
    assert r.message.startswith("54.5 million tenge ÷ 470 KZT/USD = [115,851, 116,064) USD")
    assert outcome(report, "s").verdict is Verdict.FAIL


def test_conversion_warn_truncated(check_base: CheckBase, p38_facts: list[dict[str, Any]]
                                   ) -> None:
    """1.5 million tenge ÷ 500: [2,900, 3,100) dollars rounded, [3,000, 3,200) truncated."""
    report = check_base([P38], {1: p38_facts}, [
        rule("r", "conversion", amount="travel.kzt", result="travel.usd",
             rate={"table": "usd", "year": 2024})],
        reference=reference([("2024", 500, "https://example.org/usd-2024")]))
    r = outcome(report)
    assert r.verdict is Verdict.WARN
    assert "stated 3,100 dollars only if truncated" in r.message


def test_conversion_warn_unconfirmed_rate(check_base: CheckBase, make_fact: MakeFact) -> None:
    """A reference value without a source can at best warn, even when the arithmetic holds."""
    facts = [make_fact("a.kzt", 46000, "KZT", "46,000 tenge", "46,000 tenge", kind="money"),
             make_fact("a.usd", 100, "USD", "100 dollars", "100 dollars", kind="money")]
    report = check_base(["It cost 46,000 tenge or 100 dollars."], {1: facts}, [
        rule("r", "conversion", amount="a.kzt", result="a.usd",
             rate={"table": "usd", "year": 2022})], reference=REFERENCE)
    r = outcome(report)
    assert r.verdict is Verdict.WARN
    assert any("unconfirmed" in n for n in r.notes)


def test_conversion_rate_from_a_fact(check_base: CheckBase, make_fact: MakeFact) -> None:
    facts = [make_fact("a.kzt", 47050, "KZT", "47,050 tenge", "47,050 tenge", kind="money"),
             make_fact("a.usd", 100, "USD", "100 dollars", "100 dollars", kind="money"),
             make_fact("rate", "470.5", "KZT/USD", "470.5", kind="rate")]
    report = check_base(["It cost 47,050 tenge or 100 dollars at 470.5."], {1: facts}, [
        rule("r", "conversion", amount="a.kzt", result="a.usd", rate={"fact": "rate"})])
    r = outcome(report)
    assert r.verdict is Verdict.PASS
    assert "÷ 470.5" in r.message


def test_conversion_rate_of_the_wrong_units(check_base: CheckBase,
                                            p38_facts: list[dict[str, Any]]) -> None:
    with pytest.raises(kzfacts.InvalidDataError) as info:
        check_base([P38], {1: p38_facts}, [
            rule("r", "conversion", amount="cat1.mci", result="cat1.kzt",
                 rate={"table": "usd", "year": 2023})], reference=REFERENCE)
    assert info.value.errors[0].field == "rule r: rate"
    assert "KZT/USD" in info.value.errors[0].found


def test_conversion_no_rate_in_table(check_base: CheckBase, p38_facts: list[dict[str, Any]]
                                     ) -> None:
    with pytest.raises(kzfacts.InvalidDataError) as info:
        check_base([P38], {1: p38_facts}, [
            rule("r", "conversion", amount="cat1.mci", result="cat1.kzt",
                 rate={"table": "mci", "on": "2010-01-01"})], reference=REFERENCE)
    assert "on 2010-01-01" in info.value.errors[0].expected


# -- mean_within ---------------------------------------------------------------------------

P39 = ("In 2020, 33 million 545 thousand tenge was paid to {victims} victims; the amounts lie "
       "from 83,340 tenge to 138,900 tenge.")


def mean_facts(make_fact: MakeFact, victims: int) -> list[dict[str, Any]]:
    return [
        make_fact("paid", 33545000, "KZT", "33 million 545 thousand tenge was paid",
                  "33 million 545 thousand tenge", kind="money"),
        make_fact("victims", victims, "victim", f"{victims} victims", str(victims)),
        make_fact("low", 83340, "KZT", "from 83,340 tenge", "83,340 tenge", kind="money"),
        make_fact("high", 138900, "KZT", "to 138,900 tenge", "138,900 tenge", kind="money"),
    ]


@pytest.mark.parametrize(("victims", "verdict", "message"), [
    (262, Verdict.PASS,
     "33 million 545 thousand tenge / 262 = [128,032, 128,036) KZT per victim; "
     "83,340 tenge–138,900 tenge = [83,340, 138,900] ✓"),
    (200, Verdict.FAIL,
     "33 million 545 thousand tenge / 200 = [167,722, 167,728) KZT per victim; "
     "83,340 tenge–138,900 tenge = [83,340, 138,900]: the mean is above the range"),
    (500, Verdict.FAIL,
     "33 million 545 thousand tenge / 500 = [67,089, 67,091) KZT per victim; "
     "83,340 tenge–138,900 tenge = [83,340, 138,900]: the mean is below the range"),
])
def test_mean_within(check_base: CheckBase, make_fact: MakeFact, victims: int,
                     verdict: Verdict, message: str) -> None:
    report = check_base([P39.format(victims=victims)], {1: mean_facts(make_fact, victims)}, [
        rule("r", "mean_within", total="paid", count="victims", low="low", high="high")])
    r = outcome(report)
    assert r.verdict is verdict
    assert r.message == message


def test_mean_within_warn_truncated(check_base: CheckBase, make_fact: MakeFact) -> None:
    """1.5 million / 10 is [145,000, 155,000) rounded: below 155,000; truncated it reaches it."""
    facts = [make_fact("paid", 1500000, "KZT", "1.5 million tenge", "1.5 million tenge",
                       kind="money"),
             make_fact("victims", 10, "victim", "10 victims", "10"),
             make_fact("low", 155000, "KZT", "from 155,000 tenge", "155,000 tenge", kind="money"),
             make_fact("high", 200000, "KZT", "to 200,000 tenge", "200,000 tenge", kind="money")]
    report = check_base(["In all 1.5 million tenge went to 10 victims, each from 155,000 tenge "
                         "to 200,000 tenge."], {1: facts}, [
        rule("r", "mean_within", total="paid", count="victims", low="low", high="high")])
    r = outcome(report)
    assert r.verdict is Verdict.WARN
    assert r.message.endswith(": only if truncated")


def test_mean_within_with_rate(check_base: CheckBase, make_fact: MakeFact) -> None:
    facts = [make_fact("paid", 33545000, "KZT", "33 million 545 thousand tenge",
                       kind="money"),
             make_fact("victims", 262, "victim", "262 victims", "262"),
             make_fact("low", 30, "MCI", "30 MCI", kind="index"),
             make_fact("high", 50, "MCI", "50 MCI", kind="index")]
    report = check_base(["33 million 545 thousand tenge went to 262 victims, each 30 MCI to "
                         "50 MCI."], {1: facts}, [
        rule("r", "mean_within", total="paid", count="victims", low="low", high="high",
             rate={"table": "mci", "on": "2020-07-01"})], reference=REFERENCE)
    r = outcome(report)
    assert r.verdict is Verdict.PASS
    assert "30 MCI–50 MCI × 2,778 KZT/MCI = [83,340, 138,900] ✓" in r.message


# -- order ---------------------------------------------------------------------------------

P22 = ("The law of June 25, 2015 was amended on July 19, 2021 and entered into force in "
       "July 2021; 3 laws in 2015 and 7 laws in 2021.")


@pytest.fixture
def p22_facts(make_fact: MakeFact) -> list[dict[str, Any]]:
    return [
        make_fact("law", "2015-06-25", None, "June 25, 2015", kind="date"),
        make_fact("amended", "2021-07-19", None, "July 19, 2021", kind="date"),
        make_fact("in_force", "2021-07", None, "July 2021", kind="date"),
        make_fact("laws.2015", 3, "case", "3 laws in 2015", "3", period=2015),
        make_fact("laws.2021", 7, "case", "7 laws in 2021", "7", period=2021),
    ]


@pytest.mark.parametrize(("sequence", "strict", "verdict", "message"), [
    (["law", "amended"], False, Verdict.PASS, "2015-06-25 ≤ 2021-07-19 ✓"),
    (["law", "amended", "in_force"], True, Verdict.PASS, "2015-06-25 < 2021-07-19 < 2021-07 ✓"),
    (["amended", "law"], False, Verdict.FAIL,
     "2021-07-19 ≤ 2015-06-25: 2021-07-19 is not ≤ 2015-06-25"),
    (["in_force", "amended"], False, Verdict.PASS, "2021-07 ≤ 2021-07-19 ✓"),
    (["laws.2015", "laws.2021"], True, Verdict.PASS, "3 < 7 ✓"),
    (["laws.2021", "laws.2015"], False, Verdict.FAIL, "7 ≤ 3: 7 is not ≤ 3"),
])
def test_order(check_base: CheckBase, p22_facts: list[dict[str, Any]], *, sequence: list[str],
               strict: bool, verdict: Verdict, message: str) -> None:
    report = check_base([P22], {1: p22_facts}, [
        rule("r", "order", sequence=sequence, strict=strict)])
    r = outcome(report)
    assert r.verdict is verdict
    assert r.message == message


def test_order_strict_same_day_fails(check_base: CheckBase, p22_facts: list[dict[str, Any]]
                                     ) -> None:
    report = check_base([P22], {1: p22_facts}, [
        rule("r", "order", sequence=["amended", "amended"], strict=True)])
    assert outcome(report).verdict is Verdict.FAIL
    report = check_base([P22], {1: p22_facts}, [
        rule("r", "order", sequence=["amended", "amended"], strict=False)])
    assert outcome(report).verdict is Verdict.PASS


def test_order_mixes_dates_and_numbers(check_base: CheckBase, p22_facts: list[dict[str, Any]]
                                       ) -> None:
    with pytest.raises(kzfacts.InvalidDataError) as info:
        check_base([P22], {1: p22_facts}, [rule("r", "order", sequence=["law", "laws.2015"])])
    assert info.value.errors[0].field == "rule r: sequence.1"


# -- quantifier ----------------------------------------------------------------------------

P37Q = "Of 4,278 requirements, 2,697 concerned alcohol and 1,000 tobacco; 2 of 4 were met."


@pytest.fixture
def quantifier_facts(make_fact: MakeFact) -> list[dict[str, Any]]:
    return [
        make_fact("requirements", 4278, "case", "Of 4,278 requirements", "4,278"),
        make_fact("alcohol", 2697, "case", "2,697 concerned alcohol", "2,697"),
        make_fact("tobacco", 1000, "case", "1,000 tobacco", "1,000"),
        make_fact("met", 2, "case", "2 of 4 were met", "2"),
        make_fact("all", 4, "case", "4 were met", "4"),
    ]


@pytest.mark.parametrize(("part", "whole", "quantifier", "verdict", "message"), [
    ("alcohol", "requirements", "more_than_half", Verdict.PASS,
     "2,697 / 4,278 = 63.04% > 50% (more than half) ✓"),
    ("alcohol", "requirements", "most", Verdict.PASS, "2,697 / 4,278 = 63.04% > 50% (most) ✓"),
    ("tobacco", "requirements", "majority", Verdict.FAIL,
     "1,000 / 4,278 = 23.38%, not > 50%: not 'majority'"),
    ("tobacco", "requirements", "minority", Verdict.PASS,
     "1,000 / 4,278 = 23.38% < 50% (minority) ✓"),
    ("met", "all", "at_least_half", Verdict.PASS, "2 / 4 = 50% ≥ 50% (at least half) ✓"),
    ("met", "all", "more_than_half", Verdict.FAIL, "2 / 4 = 50%, not > 50%: not 'more than half'"),
    ("met", "all", "minority", Verdict.FAIL, "2 / 4 = 50%, not < 50%: not 'minority'"),
    ("all", "all", "all", Verdict.PASS, "4 / 4 = 100% = 100% (all) ✓"),
    ("met", "all", "all", Verdict.FAIL, "2 / 4 = 50%, not = 100%: not 'all'"),
    ("met", "all", "none", Verdict.FAIL, "2 / 4 = 50%, not = 0%: not 'none'"),
])
def test_quantifier(check_base: CheckBase, quantifier_facts: list[dict[str, Any]], *, part: str,
                    whole: str, quantifier: str, verdict: Verdict, message: str) -> None:
    report = check_base([P37Q], {1: quantifier_facts}, [
        rule("r", "quantifier", part=part, whole=whole, quantifier=quantifier)])
    r = outcome(report)
    assert r.verdict is verdict
    assert r.message == message


def test_quantifier_none_of_an_open_whole(check_base: CheckBase, make_fact: MakeFact) -> None:
    """0 of "more than 5,300" is 0%: "none" holds. The ratio is [0] × (0, 1/5300)."""
    facts = [make_fact("examined", 5300, "case", "more than 5,300 cases were examined",
                       "more than 5,300", qualifier="more_than"),
             make_fact("found", 0, "case", "torture was found in 0 cases", "0")]
    report = check_base(["In 2023 more than 5,300 cases were examined and torture was found in "
                         "0 cases."], {1: facts}, [
        rule("r", "quantifier", part="found", whole="examined", quantifier="none")])
    r = outcome(report)
    assert r.verdict is Verdict.PASS


def test_quantifier_unit_mismatch(check_base: CheckBase, quantifier_facts: list[dict[str, Any]],
                                  make_fact: MakeFact) -> None:
    facts = [*quantifier_facts, make_fact("people", 4, "person", "4 were", "4")]
    with pytest.raises(kzfacts.InvalidDataError) as info:
        check_base([P37Q], {1: facts}, [
            rule("r", "quantifier", part="people", whole="requirements", quantifier="most")])
    assert isinstance(info.value.errors[0], kzfacts.UnitMismatchError)


# -- a whole of zero is data, not a bug -----------------------------------------------------

ZERO = "Of 0 cases, 0 (0%) were closed; 0 victims got 5 tenge."


@pytest.mark.parametrize("fields", [
    pytest.param({"kind": "share", "share": "closed.share", "part": "closed", "whole": "cases"},
                 id="share"),
    pytest.param({"kind": "quantifier", "part": "closed", "whole": "cases", "quantifier": "none"},
                 id="quantifier"),
    pytest.param({"kind": "mean_within", "total": "paid", "count": "victims", "low": "paid",
                  "high": "paid"}, id="mean_within"),
])
def test_zero_whole_is_a_verdict_not_a_crash(check_base: CheckBase, make_fact: MakeFact,
                                             fields: dict[str, Any]) -> None:
    """0 of 0 has no ratio: the rule cannot hold or is skipped; RuleCrashError is reserved for
    bugs in a rule kind, and a count of zero is valid data."""
    facts = [make_fact("cases", 0, "case", "Of 0 cases", "0"),
             make_fact("closed", 0, "case", "cases, 0 (", "0"),
             make_fact("closed.share", 0, "percent", "0 (0%) were closed", "0%", kind="share"),
             make_fact("victims", 0, "victim", "0 victims", "0"),
             make_fact("paid", 5, "KZT", "5 tenge", kind="money")]
    kind = fields.pop("kind")
    report = check_base([ZERO], {1: facts}, [rule("r", kind, **fields)])
    assert outcome(report).verdict in (Verdict.SKIP, Verdict.FAIL)


# -- every kind is registered; a crash is never a failed check -----------------------------

def test_builtin_kinds() -> None:
    assert set(kzfacts.available_kinds()) >= {"sum", "share", "bound", "series", "conversion",
                                              "mean_within", "order", "quantifier"}
    assert [k.name for k in kzfacts.BUILTIN_KINDS] == [
        "sum", "share", "bound", "series", "conversion", "mean_within", "order", "quantifier"]


def test_second_kind_of_the_same_name_refused() -> None:
    class Impostor(kzfacts.RuleKind):
        name = "sum"
        Spec = kzfacts.RuleSpec

        @classmethod
        def compile(cls, spec: kzfacts.RuleSpec, ctx: kzfacts.CompileContext
                    ) -> Callable[[], kzfacts.Outcome]:
            raise NotImplementedError

    kzfacts.available_kinds()
    with pytest.raises(ValueError, match="already registered"):
        kzfacts.rule_kind(Impostor)


def test_rule_crash_is_not_a_failed_check(check_base: CheckBase,
                                          p18_facts: list[dict[str, Any]],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> kzfacts.Outcome:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("kzfacts.engine.kinds.arith.compare", broken)
    with pytest.raises(RuleCrashError) as info:
        check_base([P18], {1: p18_facts}, [
            rule("r", "sum", parts=["prison", "probation", "restriction"], total="convicted")])
    assert info.value.rule_id == "r"
    assert info.value.kind == "sum"
    assert isinstance(info.value.cause, ZeroDivisionError)


class _Planted(BaseException):
    """Not an Exception: a kind may raise anything; only an interrupt or an exit passes."""


class _CrashSpec(kzfacts.RuleSpec):
    fact: str
    crash: str  # "compile", "evaluate", "returns", "outcome" or "none"


def _crash_kind(raising: BaseException) -> type[kzfacts.RuleKind]:
    class CrashKind(kzfacts.RuleKind):
        """A plugin's kind with a bug where its rule says."""

        name = "crashy"
        Spec = _CrashSpec

        @classmethod
        def compile(cls, spec: kzfacts.RuleSpec, ctx: kzfacts.CompileContext
                    ) -> Callable[[], kzfacts.Outcome]:
            assert isinstance(spec, _CrashSpec)
            value = ctx.operand(spec.fact, ("fact",))
            if spec.crash == "compile":
                raise raising

            def check() -> kzfacts.Outcome:
                if spec.crash == "evaluate":
                    raise raising
                if spec.crash == "returns":
                    return "pass"  # type: ignore[return-value]
                if spec.crash == "outcome":
                    return kzfacts.Outcome(Verdict.PASS, "ok", notes=["a list"])  # type: ignore[arg-type]
                return kzfacts.Outcome(Verdict.PASS, f"{value.text} is there ✓")

            return check

    return CrashKind


@pytest.mark.parametrize("where", ["compile", "evaluate", "returns", "outcome"])
@pytest.mark.parametrize("raising", [ZeroDivisionError("planted"), KeyError("planted"),
                                     _Planted("planted"), GeneratorExit("planted")],
                         ids=["ZeroDivisionError", "KeyError", "BaseException", "GeneratorExit"])
def test_a_kind_raising_anything_is_its_crash(check_base: CheckBase,
                                              p18_facts: list[dict[str, Any]],
                                              monkeypatch: pytest.MonkeyPatch, where: str,
                                              raising: BaseException) -> None:
    """Whatever a kind raises in compile() or in its check, or a check giving something
    other than a well-formed Outcome: a RuleCrashError naming the rule and the kind
    (exit 3), never a traceback, a data error or a failed check."""
    from kzfacts.engine.kind import KINDS

    kzfacts.available_kinds()
    monkeypatch.setitem(KINDS, "crashy", _crash_kind(raising))
    with pytest.raises(RuleCrashError) as info:
        check_base([P18], {1: p18_facts}, [rule("r", "crashy", fact="prison", crash=where)])
    assert (info.value.rule_id, info.value.kind) == ("r", "crashy")
    assert str(info.value).startswith("rule 'r' (kind 'crashy') crashed: ")
    if where in ("compile", "evaluate"):
        assert info.value.cause is raising
    else:
        assert isinstance(info.value.cause, TypeError)


def test_the_cli_exits_3_on_a_crash_in_compile(write_base: Any,
                                              p18_facts: list[dict[str, Any]],
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from kzfacts.cli import main
    from kzfacts.engine.kind import KINDS

    kzfacts.available_kinds()
    monkeypatch.setitem(KINDS, "crashy", _crash_kind(_Planted("planted")))
    for where, code in (("none", 0), ("compile", 3), ("evaluate", 3)):
        write_base([P18], {"p01.yaml": {"paragraph": 1, "facts": p18_facts}},
                   {"rules.yaml": {"rules": [rule("r", "crashy", fact="prison", crash=where)]}})
        assert main(["check", "--no-cache"]) == code, where
        err = capsys.readouterr().err
        assert ("rule 'r' (kind 'crashy') crashed: _Planted: planted" in err) is (code == 3)
        assert "Traceback" not in err


@pytest.mark.parametrize("raising", [KeyboardInterrupt(), SystemExit(7)])
def test_an_interrupt_inside_a_kind_is_not_a_crash(check_base: CheckBase,
                                                   p18_facts: list[dict[str, Any]],
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   raising: BaseException) -> None:
    from kzfacts.engine.kind import KINDS

    kzfacts.available_kinds()
    monkeypatch.setitem(KINDS, "crashy", _crash_kind(raising))
    for where in ("compile", "evaluate"):
        with pytest.raises(type(raising)):
            check_base([P18], {1: p18_facts}, [rule("r", "crashy", fact="prison", crash=where)])


def test_a_kind_without_compile_is_refused() -> None:
    class NoCompile(kzfacts.RuleKind):
        name = "no_compile"
        Spec = kzfacts.RuleSpec

    with pytest.raises(TypeError, match=r"'no_compile' .* does not define compile"):
        kzfacts.rule_kind(NoCompile)  # type: ignore[type-abstract]
    with pytest.raises(TypeError, match=r"a subclass of kzfacts\.RuleKind"):
        kzfacts.rule_kind(int)  # type: ignore[arg-type]


# -- an accepted finding still to justify does not gate green ---------------------------------

@pytest.mark.parametrize(("why", "exit_code"), [("TODO: justify", 1), ("TODO", 1),
                                                 ("The document says so.", 0)])
def test_an_accepted_finding_still_to_justify_fails_the_check(
        check_base: CheckBase, p18_facts: list[dict[str, Any]], why: str,
        exit_code: int) -> None:
    from kzfacts.engine.check import check

    check_base([P18], {1: p18_facts}, [
        rule("r", "sum", parts=["prison", "probation"], total="convicted")])
    Path("baseline.yaml").write_text(
        f"accepted:\n  - rule: r\n    verdict: fail\n    why: '{why}'\n", encoding="utf-8")
    report = check("facts", "rules", baseline="baseline.yaml")
    r = report.result("r")
    assert (r.verdict, r.accepted, r.justification) == (Verdict.FAIL, True, why)
    assert r.unjustified is (exit_code == 1)
    assert r.blocking is (exit_code == 1)
    assert report.unjustified == (("r",) if exit_code else ())
    assert report.exit_code == exit_code


# -- bounded work: a share of a large whole lists the ends of its counts ----------------------

def test_grim_on_a_large_whole_is_bounded(check_base: CheckBase, make_fact: MakeFact) -> None:
    """14% of 10,000,000 admits 100,000 whole counts: the message names how many and the
    ends, instead of listing them all."""
    text = "Of 10000000 cases, 14% were closed."
    report = check_base([text], {1: [
        make_fact("cases", 10_000_000, "case", "Of 10000000 cases", "10000000"),
        make_fact("closed.share", 14, "percent", "14% were closed", "14%", kind="share")]},
        [rule("r", "share", share="closed.share", whole="cases")])
    r = outcome(report)
    assert r.verdict is Verdict.PASS
    assert r.message == ("14% of 10,000,000 admits 100,000 counts from 1350000 (13.5%) to "
                         "1449999 (14.5%) ✓")
    assert r.intervals["counts (rounded)"] == "1350000–1449999 (100,000 counts)"


# -- plugin kinds from the kzfacts.kinds entry-point group ------------------------------------

PLUGIN = '''
import kzfacts


class AtMostSpec(kzfacts.RuleSpec):
    fact: str
    limit: str


class AtMostKind(kzfacts.RuleKind):
    """at_most: a fact is at most a constant."""

    name = "at_most"
    Spec = AtMostSpec

    @classmethod
    def compile(cls, spec, ctx):
        value = ctx.operand(spec.fact, ("fact",))
        limit = ctx.operand(spec.limit, ("limit",))

        def check():
            ok = value.interval().can_be_le(limit.interval())
            verdict = kzfacts.Verdict.PASS if ok else kzfacts.Verdict.FAIL
            return kzfacts.Outcome(verdict, f"{value.text} at most {limit.text}: {ok}")

        return check


class SumAgain(AtMostKind):
    name = "sum"


def not_a_kind():
    pass
'''
AT_MOST_RULES = """rules:
  - id: p01.prison-at-most
    kind: at_most
    title: At most 60 imprisoned
    severity: error
    paragraphs: [1]
    why: A plugin's rule.
    fact: prison
    limit: '60'
"""


def _run_with_plugin(tmp_path: Path, entry_points: str, module: str = PLUGIN,
                     ) -> subprocess.CompletedProcess[str]:
    """``kzfacts check`` on the corpus's mini fact base, with a plugin installed as a
    distribution (a ``.dist-info`` folder with its entry points) on the path."""
    site = tmp_path / "site"
    (site / "kzplug-0.1.dist-info").mkdir(parents=True)
    (site / "kzplug-0.1.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: kzplug\nVersion: 0.1\n", encoding="utf-8")
    (site / "kzplug-0.1.dist-info" / "entry_points.txt").write_text(
        f"[kzfacts.kinds]\n{entry_points}\n", encoding="utf-8")
    (site / "kzplug.py").write_text(module, encoding="utf-8")
    base = tmp_path / "base"
    shutil.copytree(Path(__file__).parent / "corpus" / "base", base)
    (base / "rules" / "plugin.yaml").write_text(AT_MOST_RULES, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    return subprocess.run([sys.executable, "-m", "kzfacts.cli", "check", "--no-cache",
                           "--format", "json"], cwd=base, env=env, capture_output=True,
                          text=True, check=False, timeout=120)


def test_a_plugin_kind_from_an_entry_point_checks_its_rules(tmp_path: Path) -> None:
    run = _run_with_plugin(tmp_path, "at_most = kzplug:AtMostKind")
    assert run.returncode == 0, run.stderr
    result = next(r for r in json.loads(run.stdout)["results"]
                  if r["rule"] == "p01.prison-at-most")
    assert (result["kind"], result["verdict"]) == ("at_most", "pass")
    assert result["message"] == "50 at most 60: True"
    assert [f["id"] for f in result["facts"]] == ["prison"]


@pytest.mark.parametrize(("entry", "module", "why"), [
    ("at_most = kzplug:AtMostKind", "raise ImportError('no such library')",
     "ImportError: no such library"),
    ("at_most = kzplug:Missing", PLUGIN, "AttributeError: "),
    ("sum = kzplug:SumAgain", PLUGIN,
     "ValueError: rule kind 'sum' is already registered by kzfacts.engine.kinds.arith.SumKind"),
    ("odd = kzplug:not_a_kind", PLUGIN,
     "TypeError: a rule kind is a subclass of kzfacts.RuleKind, found <function not_a_kind"),
], ids=["import-fails", "missing", "duplicate", "not-a-kind"])
def test_a_plugin_that_cannot_be_loaded_is_exit_3_naming_its_entry_point(
        tmp_path: Path, entry: str, module: str, why: str) -> None:
    """A broken installed plugin is a bug in installed code, not bad data: exit 3, the entry
    point named, no traceback; nothing is checked."""
    run = _run_with_plugin(tmp_path, entry, module)
    assert run.returncode == 3, run.stderr
    assert run.stdout == ""
    assert run.stderr.startswith("kzfacts: internal error, please report it: the rule kind "
                                 f"plugin {entry!r} could not be loaded: {why}"), run.stderr
    assert "Traceback" not in run.stderr
