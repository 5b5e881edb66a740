"""Loading fact bases: every data error collected with file:line:column and field; anchoring;
coverage of the source's numbers."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import kzfacts
from kzfacts import (
    DataError,
    DateValue,
    InvalidDataError,
    Location,
    UnitMismatchError,
    UnknownFactError,
)
from kzfacts.data.model import RangeValue

WriteBase = Callable[..., tuple[Path, Path]]

PARAGRAPHS = [
    "In 2021, 64 persons were convicted, of which 50 (78%) were imprisoned.",
    "The fund paid 33 million 545 thousand tenge to 262 victims from July 1, 2020.",
]

P01 = """\
paragraph: 1
facts:
  - id: torture.convicted
    kind: count
    value: 64
    unit: person
    subject: persons convicted
    period: 2021
    quote: "In 2021, 64 persons were convicted"
    written: "64"
  - id: torture.prison
    kind: count
    value: 50
    unit: person
    subject: persons imprisoned
    period: 2021
    quote: "50 (78%) were imprisoned"
    written: "50"
  - id: torture.prison.share
    kind: share
    value: 78
    unit: percent
    subject: share of persons imprisoned
    period: 2021
    quote: "50 (78%) were imprisoned"
    written: "78%"
"""

P02 = """\
paragraph: 2
facts:
  - id: fund.paid
    kind: money
    value: 33545000
    unit: KZT
    subject: compensation paid
    quote: "33 million 545 thousand tenge"
  - id: fund.victims
    kind: count
    value: 262
    unit: victim
    subject: victims paid
    quote: "262 victims"
    written: "262"
  - id: fund.start
    kind: date
    value: "2020-07-01"
    subject: the fund started
    quote: "July 1, 2020"
"""

RULES = """\
rules:
  - id: p01.prison-share
    kind: share
    title: 50 of 64 is 78%
    severity: error
    paragraphs: [1]
    why: The share is of the convicted.
    share: torture.prison.share
    part: torture.prison
    whole: torture.convicted
"""


def errors_of(exc: InvalidDataError) -> list[tuple[str, str]]:
    return [(str(e.location), e.field) for e in exc.errors]


def load_errors(facts: Path, rules: Path) -> InvalidDataError:
    with pytest.raises(InvalidDataError) as info:
        kzfacts.check(facts, rules, baseline=None)
    return info.value


def the_error(exc: InvalidDataError, where: str) -> DataError:
    found = [e for e in exc.errors if str(e.location) == where]
    assert len(found) == 1, errors_of(exc)
    return found[0]


# -- a valid base --------------------------------------------------------------------------

def test_valid_base_loads(write_base: WriteBase) -> None:
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01, "p02.yaml": P02}, {"r.yaml": RULES})
    base, rule_set = kzfacts.load(facts, rules)
    assert len(base) == 6
    assert base.anchoring_problems == []
    assert base.coverage.uncovered == []
    assert base.coverage.found == base.coverage.accounted == 9
    assert base.locations["torture.prison"] == Location("facts/p01.yaml", 11, 5)
    assert base.facts["torture.prison.share"].value == 78
    assert base.facts["fund.start"].value == DateValue(2020, 7, 1)
    assert [s.id for s in rule_set.specs] == ["p01.prison-share"]
    assert str(rule_set.sources["p01.prison-share"].location) == "rules/r.yaml:2:5"
    report = kzfacts.check(facts, rules, baseline=None)
    assert report.exit_code == 0
    assert report.result("p01.prison-share").verdict is kzfacts.Verdict.PASS


def test_quoted_decimal_value_is_exact(write_base: WriteBase, make_fact: Callable[..., dict[str, Any]]
                                       ) -> None:
    facts, rules = write_base(
        ["5 (7.8%) to restriction of liberty."],
        {"p01.yaml": {"paragraph": 1, "facts": [
            make_fact("r", 5, "person", "5 (7.8%) to restriction", "5"),
            make_fact("r.share", "7.8", "percent", "5 (7.8%) to restriction", "7.8%",
                      kind="share")]}})
    base, _ = kzfacts.load(facts, rules)
    value = base.facts["r.share"].value
    assert type(value) is Decimal
    assert value == Decimal("7.8")
    assert base.interval("r.share") == kzfacts.Interval.half_open(Decimal("7.75"),
                                                                   Decimal("7.85"))


# -- several errors at once ----------------------------------------------------------------

BROKEN = """\
paragraph: 2
facts:
  - id: fund.paid
    kind: money
    value: 33545000
    unit: KZT
    subjct: compensation paid
    subject: compensation paid
    quote: "33 million 545 thousand tenge"
  - id: fund.victims
    kind: count
    value: "many"
    unit: victim
    subject: victims paid
    quote: "262 victims"
  - id: fund.share
    kind: share
    value: 7.8
    unit: percent
    subject: a share
    quote: "262 victims"
  - id: fund.start
    kind: date
    value: "2021-02-30"
    subject: the fund started
    quote: "July 1, 2020"
  - id: fund.period
    kind: count
    value: 262
    unit: victim
    subject: victims
    period: "2021/2020"
    quote: "262 victims"
  - id: fund.big
    kind: money
    value: 1000000000000000001
    unit: KZT
    subject: too much
    quote: "33 million 545 thousand tenge"
  - id: fund.victims2
    kind: count
    value: 262
    unit: victimz
    subject: victims
    quote: "262 victims"
  - id: fund.victims2
    kind: count
    value: 262
    unit: victim
    subject: victims
    quote: "262 victims"
"""


@pytest.fixture
def broken(write_base: WriteBase) -> InvalidDataError:
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01, "p02.yaml": BROKEN}, {"r.yaml": RULES})
    return load_errors(facts, rules)


def test_all_errors_collected(broken: InvalidDataError) -> None:
    assert errors_of(broken) == [
        ("facts/p02.yaml:7:13", "subjct"),
        ("facts/p02.yaml:12:12", "value"),
        ("facts/p02.yaml:18:12", "value"),
        ("facts/p02.yaml:24:12", "value"),
        ("facts/p02.yaml:32:13", "period"),
        ("facts/p02.yaml:36:12", "value"),
        ("facts/p02.yaml:43:11", "unit"),
        ("facts/p02.yaml:46:9", "id"),
    ]
    assert all(e.location.file == "facts/p02.yaml" for e in broken.errors)
    text = str(broken)
    assert text.startswith("8 errors in the fact base:")
    assert "facts/p02.yaml:46:9: id: expected a fact id used once" in text


def test_unknown_field_did_you_mean(broken: InvalidDataError) -> None:
    err = the_error(broken, "facts/p02.yaml:7:13")
    assert "did you mean 'subject'?" in err.expected
    assert "subjct" in err.found


def test_wrong_type(broken: InvalidDataError) -> None:
    err = the_error(broken, "facts/p02.yaml:12:12")
    assert "exact number" in err.expected
    assert "many" in err.found


def test_float_value(broken: InvalidDataError) -> None:
    err = the_error(broken, "facts/p02.yaml:18:12")
    assert '"7.8"' in err.expected  # the hint: write it in quotes
    assert "float 7.8" in err.found


def test_impossible_date(broken: InvalidDataError) -> None:
    err = the_error(broken, "facts/p02.yaml:24:12")
    assert "February 2021 has days 1..28, not 30" in err.expected


def test_period_ends_before_it_starts(broken: InvalidDataError) -> None:
    err = the_error(broken, "facts/p02.yaml:32:13")
    assert "ends after it starts" in err.expected
    assert "2021/2020" in err.found


def test_value_above_limit(broken: InvalidDataError) -> None:
    err = the_error(broken, "facts/p02.yaml:36:12")
    assert "10^18" in err.expected
    assert "1000000000000000001" in err.found


def test_unknown_unit(broken: InvalidDataError) -> None:
    err = the_error(broken, "facts/p02.yaml:43:11")
    assert "did you mean 'victim'?" in err.expected
    assert "victimz" in err.found


def test_duplicate_fact_id_names_first_location(broken: InvalidDataError) -> None:
    err = the_error(broken, "facts/p02.yaml:46:9")
    assert "fund.victims2" in err.found
    assert "first at facts/p02.yaml:40:5" in err.found


def test_duplicate_fact_id_across_files(write_base: WriteBase) -> None:
    p02 = P02.replace("id: fund.victims", "id: torture.prison")
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01, "p02.yaml": p02})
    exc = load_errors(facts, rules)
    assert errors_of(exc) == [("facts/p02.yaml:9:9", "id")]
    assert "first at facts/p01.yaml:11:5" in exc.errors[0].found


@pytest.mark.parametrize(("value", "ok"), [
    (10**18, True),
    (10**18 + 1, False),
])
def test_magnitude_limit(write_base: WriteBase, value: int, ok: bool) -> None:
    p02 = P02.replace("value: 33545000", f"value: {value}")
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01, "p02.yaml": p02})
    if ok:
        base, _ = kzfacts.load(facts, rules)
        assert base.facts["fund.paid"].value == value
        assert base.anchoring_problems  # the quote reads 33,545,000, not 10^18
    else:
        assert errors_of(load_errors(facts, rules)) == [("facts/p02.yaml:5:12", "value")]


@pytest.mark.parametrize(("period", "start", "end"), [
    ("2021", DateValue(2021), DateValue(2021)),
    ('"2020/2023"', DateValue(2020), DateValue(2023)),
    ('"2019/2023-04"', DateValue(2019), DateValue(2023, 4)),
    ('{start: "2020-07-01", end: 2020}', DateValue(2020, 7, 1), DateValue(2020)),
])
def test_period_forms(write_base: WriteBase, period: str, start: DateValue, end: DateValue
                      ) -> None:
    p01 = P01.replace("period: 2021\n    quote: \"50 (78%) were imprisoned\"\n    written: \"50\"",
                      f"period: {period}\n    quote: \"50 (78%) were imprisoned\"\n"
                      f"    written: \"50\"")
    assert f"period: {period}\n    quote: \"50 (78%) were imprisoned\"\n    written: \"50\"" in p01
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": p01})
    base, _ = kzfacts.load(facts, rules)
    got = base.facts["torture.prison"].period
    assert got is not None
    assert (got.start, got.end) == (start, end)


@pytest.mark.parametrize(("period", "partial"), [
    ("2021", False),
    ('"2020/2023"', False),
    ('"2019/2023-04"', True),
    ('{year: 2023, partial: true, why: "four months only"}', True),
])
def test_partial_periods(write_base: WriteBase, period: str, partial: bool) -> None:
    p01 = P01.replace("period: 2021\n    quote: \"50", f"period: {period}\n    quote: \"50")
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": p01})
    base, _ = kzfacts.load(facts, rules)
    got = base.facts["torture.prison"].period
    assert got is not None
    assert got.is_partial is partial


def test_partial_without_why(write_base: WriteBase) -> None:
    p01 = P01.replace("period: 2021\n    quote: \"50", "period: {year: 2023, partial: true}\n"
                      "    quote: \"50", 1)
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": p01})
    exc = load_errors(facts, rules)
    assert errors_of(exc) == [("facts/p01.yaml:16:13", "period")]
    assert "why" in exc.errors[0].expected


@pytest.mark.parametrize(("record", "expected"), [
    ("  - id: s\n    kind: statement\n    value: 5\n    subject: x\n    quote: \"262 victims\"\n",
     "no value and no unit for a statement"),
    ("  - id: s\n    kind: share\n    value: 5\n    unit: person\n    subject: x\n"
     "    quote: \"262 victims\"\n", "unit 'percent' for a share"),
    ("  - id: s\n    kind: count\n    value: -5\n    unit: person\n    subject: x\n"
     "    quote: \"262 victims\"\n", "a non-negative count"),
    ("  - id: s\n    kind: count\n    subject: x\n    quote: \"262 victims\"\n",
     "an exact value and a unit for a count fact"),
    ("  - id: Bad-Id\n    kind: count\n    value: 5\n    unit: person\n    subject: x\n"
     "    quote: \"262 victims\"\n", "pattern"),
    ("  - id: s\n    kind: tally\n    value: 5\n    unit: person\n    subject: x\n"
     "    quote: \"262 victims\"\n", "count"),
])
def test_fact_model_errors(write_base: WriteBase, record: str, expected: str) -> None:
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01,
                                           "p02.yaml": "paragraph: 2\nfacts:\n" + record})
    exc = load_errors(facts, rules)
    assert len(exc.errors) == 1, errors_of(exc)
    err = exc.errors[0]
    assert err.location.file == "facts/p02.yaml"
    assert err.location.line >= 3
    assert expected in err.expected



# -- numbers, booleans and words in the models: strict, bounded, seen as read ----------------

def _model_error(model: type[Any], data: dict[str, Any]) -> str:
    """The one error a model gives for ``data``, as the loader words it."""
    from pydantic import ValidationError
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    [error] = info.value.errors(include_url=False)
    return str(error["msg"]).removeprefix("Value error, ").removeprefix("Input should be ")


FACT = {"id": "a", "kind": "count", "paragraph": 1, "value": 5, "unit": "case",
        "subject": "s", "quote": "5 cases", "written": "5"}
ENTRY = {"value": 420, "year": 2020, "confidence": "high", "source_url": None}


@pytest.mark.parametrize(("model", "data", "message"), [
    ("FactFile", {"paragraph": True, "facts": []}, "an integer, found the boolean True"),
    ("FactFile", {"paragraph": 1.0, "facts": []}, "an integer, found the float 1.0"),
    ("FactFile", {"paragraph": 0, "facts": []}, "a paragraph number (1 or more), found 0"),
    ("NotClaim", {"paragraph": False, "text": "2020", "why": "a date"},
     "an integer, found the boolean False"),
    ("RuleSpec", {"id": "r", "kind": "sum", "title": "ttt", "severity": "error",
                  "paragraphs": [1, True], "why": "why"}, "an integer, found the boolean True"),
    ("Fact", {**FACT, "value": "\u09ec4"},
     "the digits 0-9 only (a digit of another script can look like another number: write "
     "the number with 0-9), found U+09EC BENGALI DIGIT SIX at character 1 of the number"),
    ("Fact", {**FACT, "quote": "5 \u202ecases"},
     "no bidirectional control character (a viewer reorders the text around it, kzfacts "
     "reads the characters in stored order: delete it), found U+202E RIGHT-TO-LEFT OVERRIDE "
     "at character 3 of the quote"),
    ("Fact", {**FACT, "written": "5\u200b"},
     "no invisible format character (a viewer does not show it, kzfacts would read it: "
     "delete it), found U+200B ZERO WIDTH SPACE at character 2 of the words"),
    ("Fact", {**FACT, "period": 10000},
     "a date that exists (a year from 1 to 9999), found '10000'"),
    ("Period", {"year": 2021, "partial": "yes", "why": "half"}, "a valid boolean"),
    ("ReferenceEntry", {**ENTRY, "value": -420}, "a rate or index value above 0, found -420"),
    ("ReferenceEntry", {**ENTRY, "value": "0.0"}, "a rate or index value above 0, found 0.0"),
    ("ReferenceEntry", {**ENTRY, "year": 10000}, "a year from 1 to 9999, found 10000"),
    ("ReferenceEntry", {**ENTRY, "year": True}, "an integer, found the boolean True"),
])
def test_model_numbers_are_strict_and_bounded(model: str, data: dict[str, Any],
                                              message: str) -> None:
    from kzfacts.data import model as models
    assert _model_error(getattr(models, model), data) == message


def test_model_numbers_within_their_limits_are_read() -> None:
    from kzfacts.data.model import Fact, FactFile, ReferenceEntry
    assert FactFile.model_validate({"paragraph": "2", "facts": []}).paragraph == 2
    assert ReferenceEntry.model_validate({**ENTRY, "year": 9999, "value": "0.001"}).value == (
        Decimal("0.001"))
    fact = Fact.model_validate({**FACT, "quote": "5 cases in m²", "period": 9999})
    assert fact.period is not None and fact.period.start == DateValue(9999)


def test_paragraph_not_in_source(write_base: WriteBase) -> None:
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01,
                                           "p09.yaml": P02.replace("paragraph: 2", "paragraph: 9")})
    exc = load_errors(facts, rules)
    assert errors_of(exc) == [("facts/p09.yaml:1:12", "paragraph")]
    assert "1..2" in exc.errors[0].expected


def test_empty_fact_file(write_base: WriteBase) -> None:
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01, "p02.yaml": "# nothing yet\n"})
    exc = load_errors(facts, rules)
    assert errors_of(exc) == [("facts/p02.yaml:1:1", "")]
    assert "empty file" in exc.errors[0].found


def test_empty_fact_base(write_base: WriteBase) -> None:
    facts, rules = write_base(PARAGRAPHS, {})
    exc = load_errors(facts, rules)
    assert len(exc.errors) == 1
    assert exc.errors[0].location == Location("facts")
    assert exc.errors[0].expected == "at least one fact"


def test_missing_facts_folder(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    with pytest.raises(InvalidDataError) as info:
        kzfacts.check(tmp_path / "nope", tmp_path / "rules", baseline=None)
    assert "no such folder" in info.value.errors[0].found


def test_units_file_errors(write_base: WriteBase) -> None:
    units = {"definitions": ["person = [person]"], "words": {"tenge": "KZT"}}
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01}, units=units)
    exc = load_errors(facts, rules)
    assert errors_of(exc) == [("facts/units.yaml:4:10", "words.tenge")]
    assert "'KZT'" in exc.errors[0].found


def test_fact_and_rule_file_errors_together(write_base: WriteBase) -> None:
    """Loading reports the data errors of facts/ and rules/ in one go."""
    bad_rules = RULES.replace("kind: share", "kind: shares")
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01.replace("value: 64", "value: 6.4")},
                              {"r.yaml": bad_rules})
    exc = load_errors(facts, rules)
    assert errors_of(exc) == [("facts/p01.yaml:5:12", "value"), ("rules/r.yaml:3:11", "kind")]


# -- rule errors ---------------------------------------------------------------------------

RULE_ERRORS = """\
rules:
  - id: p01.mixed-sum
    kind: sum
    title: persons plus cases
    severity: error
    paragraphs: [1]
    why: a bad rule
    parts: [torture.prison, fund.cases]
    total: torture.convicted

  - id: p01.unknown-fact
    kind: bound
    title: a typo in an id
    severity: error
    paragraphs: [1]
    why: a bad rule
    left: torture.prisn
    relation: le
    right: torture.convicted
"""


def test_rule_errors_collected(write_base: WriteBase) -> None:
    p02 = P02 + ("  - id: fund.cases\n    kind: count\n    value: 262\n    unit: case\n"
                 "    subject: cases\n    quote: \"262 victims\"\n    written: \"262\"\n")
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01, "p02.yaml": p02},
                              {"r.yaml": RULE_ERRORS})
    exc = load_errors(facts, rules)
    assert errors_of(exc) == [("rules/r.yaml:8:29", "rule p01.mixed-sum: parts.1"),
                              ("rules/r.yaml:17:11", "rule p01.unknown-fact: left")]
    mismatch, unknown = exc.errors
    assert isinstance(mismatch, UnitMismatchError)
    assert "person" in mismatch.expected
    assert "case" in mismatch.found
    assert isinstance(unknown, UnknownFactError)
    assert isinstance(unknown, LookupError)
    assert "did you mean 'torture.prison'?" in unknown.expected
    assert "torture.prisn" in unknown.found


def test_unknown_rule_kind(write_base: WriteBase) -> None:
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01},
                              {"r.yaml": RULES.replace("kind: share", "kind: shar")})
    exc = load_errors(facts, rules)
    assert errors_of(exc) == [("rules/r.yaml:3:11", "kind")]
    err = exc.errors[0]
    assert "did you mean 'share'?" in err.expected
    for kind in ("bound", "conversion", "mean_within", "order", "quantifier", "series", "share",
                 "sum"):
        assert kind in err.expected


def test_rule_unknown_field_and_duplicate_id(write_base: WriteBase) -> None:
    rules_text = RULES + RULES.removeprefix("rules:\n").replace("whole: torture", "hole: torture")
    rules_text += RULES.removeprefix("rules:\n")
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01}, {"r.yaml": rules_text})
    exc = load_errors(facts, rules)
    assert errors_of(exc) == [("rules/r.yaml:11:5", "whole"), ("rules/r.yaml:19:11", "hole"),
                              ("rules/r.yaml:20:9", "id")]
    assert "first at rules/r.yaml:2:5" in exc.errors[2].found
    assert "did you mean 'whole'?" in exc.errors[1].expected


# -- anchoring -----------------------------------------------------------------------------

def test_value_disagrees_with_quote(write_base: WriteBase) -> None:
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01.replace("value: 64", "value: 65"),
                                           "p02.yaml": P02})
    base, _ = kzfacts.load(facts, rules)
    problems = base.anchoring_problems
    assert len(problems) == 1
    fact_id, problem = problems[0]
    assert fact_id == "torture.convicted"
    assert "65" in problem
    assert "64" in problem
    report = kzfacts.check(facts, rules, baseline=None)
    assert [(a.fact, a.location) for a in report.anchoring] == [
        ("torture.convicted", "facts/p01.yaml:3:5")]
    assert report.exit_code == 1


def test_quote_not_in_paragraph(write_base: WriteBase) -> None:
    p01 = P01.replace('"50 (78%) were imprisoned"\n    written: "50"',
                      '"50 (78%) were jailed"\n    written: "50"')
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": p01, "p02.yaml": P02})
    report = kzfacts.check(facts, rules, baseline=None)
    assert [a.fact for a in report.anchoring] == ["torture.prison"]
    assert "not found" in report.anchoring[0].problem
    assert report.exit_code == 1


def test_quote_in_another_paragraph(write_base: WriteBase) -> None:
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01,
                                           "p02.yaml": P02.replace("paragraph: 2", "paragraph: 1")})
    report = kzfacts.check(facts, rules, baseline=None)
    assert sorted(a.fact for a in report.anchoring) == ["fund.paid", "fund.start", "fund.victims"]
    assert report.exit_code == 1


@pytest.mark.parametrize(("old", "new", "problem"), [
    ('written: "78%"', 'written: "79%"', "must occur once in the quote"),
    ("unit: KZT", "unit: USD", "names KZT"),
    ("kind: money\n    value: 33545000", "kind: money\n    qualifier: more_than\n"
     "    value: 33545000", "states no bound"),
])
def test_anchoring_problems(write_base: WriteBase, old: str, new: str, problem: str) -> None:
    p01, p02 = P01.replace(old, new), P02.replace(old, new)
    assert (p01, p02) != (P01, P02)
    units = {"definitions": ["person = [person]", "victim = [victim]", "KZT = [currency_KZT]",
                             "USD = [currency_USD]"], "words": {"tenge": "KZT"}}
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": p01, "p02.yaml": p02}, units=units)
    base, _ = kzfacts.load(facts, rules)
    assert len(base.anchoring_problems) == 1
    assert problem in base.anchoring_problems[0][1]


def test_source_edited(write_base: WriteBase) -> None:
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01, "p02.yaml": P02},
                              document={"sha256": "0" * 64})
    report = kzfacts.check(facts, rules, baseline=None)
    assert [a.fact for a in report.anchoring] == ["<source>"]
    assert "edited" in report.anchoring[0].problem
    assert report.exit_code == 1


# -- coverage ------------------------------------------------------------------------------

def test_uncovered_number(write_base: WriteBase) -> None:
    p02 = P02.split("  - id: fund.victims", maxsplit=1)[0]  # 262 victims and the date are not facts
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01, "p02.yaml": p02})
    base, _ = kzfacts.load(facts, rules)
    assert [(p, s.text) for p, s in base.coverage.uncovered] == [(2, "262"), (2, "1"),
                                                                (2, "2020")]
    report = kzfacts.check(facts, rules, baseline=None)
    assert [(u.paragraph, u.text, u.line) for u in report.coverage.uncovered] == [
        (2, "262", 2), (2, "1", 2), (2, "2020", 2)]
    assert report.coverage.found == 9
    assert report.coverage.accounted == 6
    assert report.exit_code == 1


def test_not_claims_cover_numbers(write_base: WriteBase) -> None:
    p02 = P02.split("  - id: fund.victims", maxsplit=1)[0]
    not_claims = {"not_claims": [
        {"paragraph": 2, "text": "262 victims", "why": "for the sake of the test"},
        {"paragraph": 2, "text": "July 1, 2020", "why": "for the sake of the test"}]}
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01, "p02.yaml": p02},
                              not_claims=not_claims)
    base, _ = kzfacts.load(facts, rules)
    assert base.coverage.uncovered == []
    assert kzfacts.check(facts, rules, baseline=None).exit_code == 0


def test_period_year_in_quote_is_covered(write_base: WriteBase) -> None:
    """``In 2021, 64 persons``: 2021 is covered by torture.convicted's period; without the
    period it is not."""
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01, "p02.yaml": P02})
    base, _ = kzfacts.load(facts, rules)
    by = {s.text: who for _, s, who in base.coverage.spans}
    assert by["2021"] == "period of torture.convicted"
    assert by["64"] == "fact torture.convicted"

    p01 = P01.replace("    period: 2021\n    quote: \"In 2021", "    quote: \"In 2021")
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": p01, "p02.yaml": P02})
    base, _ = kzfacts.load(facts, rules)
    assert [s.text for _, s in base.coverage.uncovered] == ["2021"]


def test_period_date_in_quote_is_covered(write_base: WriteBase) -> None:
    """docs/format.md: numbers inside a quote are covered when they are "a year or date of
    period": the day of ``July 1, 2020`` as well as its year."""
    p02 = P02.split("  - id: fund.victims", maxsplit=1)[0] + (
        "  - id: fund.victims\n    kind: count\n    value: 262\n    unit: victim\n"
        "    subject: victims paid\n    period: {start: \"2020-07-01\", end: \"2020-07-01\"}\n"
        "    quote: \"262 victims from July 1, 2020\"\n    written: \"262\"\n")
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01, "p02.yaml": p02})
    base, _ = kzfacts.load(facts, rules)
    assert base.anchoring_problems == []
    by = {s.text: who for p, s, who in base.coverage.spans if p == 2}
    assert by["2020"] == "period of fund.victims"
    assert by["1"] == "period of fund.victims"


def test_quote_must_start_at_a_word_boundary(write_base: WriteBase) -> None:
    """"4 persons were convicted" stands inside "64 persons were convicted": not a match."""
    p01 = P01.replace('quote: "In 2021, 64 persons were convicted"\n    written: "64"',
                      'quote: "4 persons were convicted"\n    written: "4"').replace(
                          "value: 64", "value: 4")
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": p01, "p02.yaml": P02})
    base, _ = kzfacts.load(facts, rules)
    assert [fid for fid, _ in base.anchoring_problems] == ["torture.convicted"]
    assert "not found" in base.anchoring_problems[0][1]


def test_quote_found_twice(write_base: WriteBase) -> None:
    facts, rules = write_base(["5 cases in 2020 and 5 cases in 2021."], {"p01.yaml": {
        "paragraph": 1, "facts": [{"id": "a", "kind": "count", "value": 5, "unit": "case",
                                   "subject": "cases", "quote": "5 cases", "written": "5"}]}})
    base, _ = kzfacts.load(facts, rules)
    assert base.anchoring_problems == [
        ("a", "quote '5 cases' must occur once in ¶1 at word boundaries: found 2 times, at "
              "line 1, column 4 and line 1, column 24; quote more of the words around the one "
              "meant")]


def test_yaml_errors_of_several_files_collected(write_base: WriteBase) -> None:
    facts, rules = write_base(PARAGRAPHS, {
        "p01.yaml": P01,
        "p02.yaml": "paragraph: 2\nparagraph: 2\nfacts: []\n",
        "p03.yaml": "paragraph: !!python/object/apply:os.getpid []\nfacts: []\n",
        "p04.yaml": "paragraph: 2\r\nfacts: []\r\n",
    })
    exc = load_errors(facts, rules)
    assert errors_of(exc) == [("facts/p02.yaml:2:1", "paragraph"), ("facts/p03.yaml:1:12", ""),
                              ("facts/p04.yaml:1:1", "")]


def test_symlink_out_of_the_folder(write_base: WriteBase, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(P02, encoding="utf-8")
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01})
    (facts / "p02.yaml").symlink_to(outside)
    exc = load_errors(facts, rules)
    assert errors_of(exc) == [("facts/p02.yaml", "")]
    assert "symbolic link" in exc.errors[0].found


def test_date_of_year_zero_refused(write_base: WriteBase, make_fact: Callable[..., dict[str, Any]]
                                   ) -> None:
    """Year 0 is no calendar year (datetime has none): an impossible date, refused on load
    like 30 February, not left to crash the rules that compare dates."""
    facts, rules = write_base(["It began in 0000 and ended in 2021."], {"p01.yaml": {
        "paragraph": 1, "facts": [make_fact("began", "0000", None, "0000", kind="date"),
                                  make_fact("ended", "2021", None, "2021", kind="date")]}})
    exc = load_errors(facts, rules)
    assert [e.field for e in exc.errors] == ["value"]
    assert exc.errors[0].location.file == "facts/p01.yaml"


def test_range_that_ends_before_it_starts(write_base: WriteBase) -> None:
    """{min: 7, max: 4} admits no value, like a period that ends before it starts."""
    fact_file = ("paragraph: 1\nfacts:\n  - id: takes\n    kind: range\n"
                 "    value: {min: 7, max: 4}\n    unit: year\n    subject: how long it takes\n"
                 "    quote: \"from 7 to 4 years\"\n")
    facts, rules = write_base(["It takes from 7 to 4 years."], {"p01.yaml": fact_file})
    exc = load_errors(facts, rules)
    assert errors_of(exc) == [("facts/p01.yaml:5:12", "value")]


def test_range_fact(write_base: WriteBase, make_fact: Callable[..., dict[str, Any]]) -> None:
    facts, rules = write_base(["It takes from 4 to 7 years, or up to 15 years."], {"p01.yaml": {
        "paragraph": 1, "facts": [
            make_fact("takes", {"min": 4, "max": 7}, "year", "from 4 to 7 years", kind="range"),
            make_fact("most", {"min": None, "max": 15}, "year", "up to 15 years", kind="range"),
            make_fact("wrong", {"min": 4, "max": 8}, "year", "takes from 4 to 7 years",
                      "from 4 to 7 years", kind="range"),
        ]}})
    base, _ = kzfacts.load(facts, rules)
    assert [fid for fid, _ in base.anchoring_problems] == ["wrong"]
    value = base.facts["most"].value
    assert isinstance(value, RangeValue)
    assert (value.min, value.max) == (None, 15)


NESTED = """\
rules:
  - id: p01.bound
    kind: bound
    title: the prisoners are among the convicted
    severity: error
    paragraphs: [1]
    why: a typo in a term
    left: [{fact: torture.prison, time: "1"}]
    relation: le
    right: torture.convicted
  - id: p02.conversion
    kind: conversion
    title: a typo in a rate
    severity: error
    paragraphs: [2]
    why: a typo in a rate
    amount: fund.paid
    result: fund.paid
    rate: {tabel: mci, year: 2020}
"""


@pytest.mark.parametrize(("where", "field", "suggestion"), [
    pytest.param("rules/r.yaml:8:41", "left.0.time", "did you mean 'times'?", id="term"),
    pytest.param("rules/r.yaml:19:19", "rate.tabel", "did you mean 'table'?", id="rate"),
])
def test_unknown_nested_field_did_you_mean(write_base: WriteBase, where: str, field: str,
                                           suggestion: str) -> None:
    """The suggestion for a misspelt field of a nested mapping (a sum term, a rate) comes from
    that mapping's fields, not the rule's."""
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01, "p02.yaml": P02}, {"r.yaml": NESTED})
    exc = load_errors(facts, rules)
    err = the_error(exc, where)
    assert err.field == field
    assert suggestion in err.expected


def test_one_typo_one_error(write_base: WriteBase) -> None:
    """A misspelt field in the only term of ``left`` is one error, not also "left has 0 items"."""
    facts, rules = write_base(PARAGRAPHS, {"p01.yaml": P01, "p02.yaml": P02},
                              {"r.yaml": NESTED.split("  - id: p02.conversion", maxsplit=1)[0]})
    exc = load_errors(facts, rules)
    assert errors_of(exc) == [("rules/r.yaml:8:41", "left.0.time")]



def _messy_tree(tmp_path: Path) -> Path:
    root = tmp_path / "facts"
    for name in ("p01.yaml", "b/p02.yaml", "b/c/p03.yaml", ".hidden.yaml", ".h/p04.yaml",
                 "b/.h/p05.yaml", "notes.txt", "b/c/x.YAML", "sub.yaml/inner.yaml"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("a: 1\n", encoding="utf-8")
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "p09.yaml").write_text("a: 1\n", encoding="utf-8")
    (root / "in-link").symlink_to(root / "b", target_is_directory=True)
    (root / "out-link").symlink_to(outside, target_is_directory=True)
    (root / "b" / "file-link.yaml").symlink_to(root / "p01.yaml")
    (root / "dangling.yaml").symlink_to(tmp_path / "nothing.yaml")
    (root / "loop.yaml").symlink_to(root / "loop.yaml")
    return root


@pytest.mark.parametrize("relative", [True, False])
def test_one_scan_of_the_tree_lists_what_rglob_lists(tmp_path: Path, relative: bool,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # the loader scans each folder once; the files it reads, their real paths and their
    # names in messages are what rglob, resolve and _display give (links, hidden files,
    # a folder named .yaml, a dangling link, a loop, from inside and outside the folder)
    from kzfacts.data import loader as _loader
    root = _messy_tree(tmp_path)
    for cwd, folder in ((tmp_path, Path("facts") if relative else root),
                        (root / "b", root), (tmp_path / "outside", root)):
        monkeypatch.chdir(cwd)
        tree = _loader._tree(folder)
        assert [p for p, _ in tree] == sorted(folder.rglob("*"))
        listed = list(_loader._yaml_files(tree, set()))
        expected = []
        for file in sorted(folder.rglob("*.yaml")):
            if any(p.startswith(".") for p in file.parts[-2:]):
                continue
            try:
                real: Path | None = file.resolve(strict=True)
            except (OSError, RuntimeError):
                real = None
            expected.append((file, real, _loader._display(file)))
        assert listed == expected
        assert {f.name for f, _, _ in listed} >= {"p01.yaml", "p02.yaml", "p03.yaml",
                                                  "dangling.yaml", "loop.yaml", "sub.yaml"}
    errors = _loader._Errors()
    _loader._linked_folders(root, _loader._tree(root), errors)
    assert [str(e) for e in errors.items] == [
        f"{_loader._display(root / 'out-link')}: expected a folder inside "
        f"{_loader._display(root)}, found a symbolic link to {(tmp_path / 'outside').resolve()}"]
