"""Checks you call (kzfacts.engine.calls, kzfacts.engine.arguments): what they take, what
they refuse and how they say it. That each gives the verdict and message of the YAML rule on
the same numbers is shown for every kind in tests/project/usage.py (run by test_docs)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pint
import pytest

import kzfacts
from kzfacts import Verdict


def test_the_issue_examples() -> None:
    r = kzfacts.check_sum(["4,780", "381", "5005"], total="10,169")
    assert (r.verdict, r.message, r.rule, r.kind) == (
        Verdict.FAIL, "4,780 + 381 + 5005 = 10,166, not 10,169: 3 short", "check_sum", "sum")
    assert r.intervals == {"left": "10,166", "right": "10,169"}
    assert not r.accepted and r.justification is None
    share = kzfacts.check_share("78%", part=50, whole=64)
    assert share.message == "50 / 64 = 78.12%, which rounds to 78% ✓"
    money = kzfacts.check_conversion("30 MCI", "103,500 tenge", rate="3,450 KZT/MCI",
                                     units={"tenge": "KZT"})
    assert money.verdict is Verdict.PASS


@pytest.mark.parametrize("value", [4780, Decimal(4780), Fraction(4780), "4,780",
                                   kzfacts.read_number("4,780")])
def test_exact_numbers_and_text_are_taken(value: kzfacts.Value) -> None:
    assert kzfacts.check_sum([value, 381, 5008], total="10,169").verdict is Verdict.PASS


def test_a_float_is_refused_saying_why_and_how() -> None:
    with pytest.raises(kzfacts.ArgumentError) as info:
        kzfacts.check_share(0.78, part=50, whole=64)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith("kzfacts.check_share(share): expected an exact number")
    assert "found the float 0.78" in message
    assert "precision=" in message
    assert isinstance(info.value, TypeError) and isinstance(info.value, ValueError)
    assert isinstance(info.value, kzfacts.KzfactsError)


def test_a_float_with_a_precision_is_rounded_to_it() -> None:
    r = kzfacts.to_reading(78.125, unit="percent", precision="0.1")
    assert (r.value, r.text, str(r.interval())) == (Decimal("78.1"), "78.1%", "[78.05, 78.15)")
    assert kzfacts.check_share(r, part=50, whole=64).verdict is Verdict.PASS
    third = kzfacts.to_reading(Fraction(1, 3), precision="0.001")
    assert third.value == Decimal("0.333")
    with pytest.raises(kzfacts.ArgumentError, match="decimal expansion"):
        kzfacts.to_reading(Fraction(1, 3))
    with pytest.raises(kzfacts.ArgumentError, match="no precision for text"):
        kzfacts.to_reading("7.8", precision="0.1")
    with pytest.raises(kzfacts.ArgumentError, match="precision above 0"):
        kzfacts.to_reading(5, precision=0)


def test_an_exact_number_is_exact_and_text_keeps_its_precision() -> None:
    exact = kzfacts.to_reading(Decimal("78"), unit="percent")
    assert str(exact.interval()) == "[78]"
    assert kzfacts.check_share(exact, part=50, whole=64).verdict is Verdict.FAIL
    assert str(kzfacts.to_reading("54.5 million").interval()) == "[54450000, 54550000)"
    assert str(kzfacts.to_reading(54_500_000, precision=100_000).interval()) == (
        "[54450000, 54550000)")


def test_units_named_in_a_call_are_dimensions() -> None:
    assert kzfacts.check_sum(["5 persons", "3 persons"], total="8 persons").message == (
        "5 persons + 3 persons = 8 persons ✓")
    with pytest.raises(kzfacts.ArgumentError) as info:
        kzfacts.check_sum(["5 persons", "3 cases"], total="8 persons")
    assert str(info.value) == ("kzfacts.check_sum(parts[1]): expected a quantity of dimension "
                               "[persons] (persons), found '3 cases' in cases ([cases])")
    with pytest.raises(kzfacts.ArgumentError, match=r"units=\{'Swiss francs': 'CHF'\}"):
        kzfacts.check_sum(["5 US dollars"], total="5")
    words = {"US dollars": "USD"}
    assert kzfacts.check_sum(["5 US dollars"], total="5 USD", units=words).verdict is (
        Verdict.PASS)


def test_a_unit_system_converts() -> None:
    system = kzfacts.unit_system(["KZT = [KZT]", "kKZT = 1000 * KZT"], {"tenge": "KZT"})
    r = kzfacts.check_sum(["1,500 tenge", "2.5 kKZT"], total="4 kKZT", units=system)
    assert r.verdict is Verdict.PASS
    with pytest.raises(kzfacts.ArgumentError, match="a unit of the unit system passed"):
        kzfacts.check_sum([kzfacts.to_reading(5, unit="person")], total="5", units=system)


def test_a_fact_bases_units() -> None:
    base, _ = kzfacts.load(kzfacts.bundled_path())
    r = kzfacts.check_conversion("30 MCI", "103,500 tenge", rate="3,450 KZT/MCI",
                                 units=base.units)
    assert r.verdict is Verdict.PASS


def test_pint_quantities_keep_their_units() -> None:
    ureg: pint.UnitRegistry[Fraction] = pint.UnitRegistry(non_int_type=Fraction)
    kg: list[kzfacts.Value] = [ureg.Quantity(3, "kg"), ureg.Quantity(Fraction(1, 2), "kg")]
    assert kzfacts.check_sum(kg, total="3.5 kilogram").verdict is Verdict.PASS
    with pytest.raises(kzfacts.ArgumentError, match=r"found the float 3\.0"):
        kzfacts.check_sum([ureg.Quantity(3.0, "kg")], total=3)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: kzfacts.check_share("78", part=50, whole=64),
     "kzfacts.check_share(share): expected a share in percent ('78%'), found '78' (no unit)"),
    (lambda: kzfacts.check_bound("1", "~", "2"),
     "kzfacts.check_bound(relation): expected eq, le, lt, ge or gt (or =, <=, <, >=, >), "
     "found '~' (a str)"),
    (lambda: kzfacts.check_quantifier("lots", part=1, whole=2),
     "kzfacts.check_quantifier(quantifier): expected one of more than half, most, majority, "
     "at least half, minority, all, none, found 'lots' (a str)"),
    (lambda: kzfacts.check_series({2022: "1"}, "le", {2023: "2"}),
     "kzfacts.check_series(right): expected the years of left ([2022]), found [2023]"),
    (lambda: kzfacts.check_order(["1"]),
     "kzfacts.check_order(items): expected a list of at least two dates or numbers, "
     "found ['1'] (a builtins.list)"),
    (lambda: kzfacts.check_order([kzfacts.read_date("2019"), "2020"]),
     "kzfacts.check_order(items[1]): expected a date (a datetime.date, or "
     "kzfacts.read_date('July 2022')), found '2020' (a str)"),
    (lambda: kzfacts.check_conversion("30", "103,500 tenge", rate="3,450 tenge/MCI"),
     "kzfacts.check_conversion(amount): expected an amount with a unit ('30 BA'), found '30'"),
    (lambda: kzfacts.check_conversion("30 MCI", "1 tenge", rate="5 MCI", tolerance="500%"),
     "kzfacts.check_conversion(tolerance): expected a tolerance in percent above 0% and at "
     "most 100% ('5%'), found '500%' (a str)"),
    (lambda: kzfacts.check_sum("1", total="1"),
     "kzfacts.check_sum(parts): expected a list of values, found '1' (a str)"),
    (lambda: kzfacts.check_sum(["several"], total="1"),
     "kzfacts.check_sum(parts[0]): expected a number, found 'several'"),
])
def test_what_a_call_refuses_it_names(call: object, message: str) -> None:
    assert callable(call)
    with pytest.raises(kzfacts.ArgumentError) as info:
        call()
    assert str(info.value) == message


def test_each_kind() -> None:
    years = kzfacts.check_series({2022: ["819", "10"], 2023: "90"}, "le",
                                 {2022: "920", 2023: "195"})
    assert years.message == "2022: 819 + 10 = 829 ≤ 920 ✓; 2023: 90 ≤ 195 ✓"
    assert kzfacts.check_order([dt.date(2021, 7, 19), kzfacts.read_date("July 2022")],
                               strict=True).verdict is Verdict.PASS
    assert kzfacts.check_order(["4 years", "7 years", "up to 15 years"]).message == (
        "4 years ≤ 7 years ≤ up to 15 years ✓")
    mean = kzfacts.check_mean_within("33 million 545 thousand tenge", "262 victims",
                                     low="30 MCI", high="50 MCI", rate="2,778 KZT/MCI",
                                     units={"tenge": "KZT"})
    assert mean.message == ("33 million 545 thousand tenge / 262 victims = [128,032, 128,036) "
                            "KZT per victims; 30 MCI–50 MCI × 2,778 KZT/MCI = [83,340, 138,900] ✓")
    rates = kzfacts.check_conversion("748 million tenge", "2 million 750 thousand USD",
                                     rate=["179.2 KZT/USD", "460.2 KZT/USD"],
                                     units={"tenge": "KZT"})
    assert rates.message.startswith("748 million tenge ÷ 179.2–460.2 KZT/USD = ")
    assert rates.verdict is Verdict.PASS
    assert kzfacts.check_quantifier("none", part=0, whole=5).verdict is Verdict.PASS


def test_readings_and_intervals_take_what_people_pass() -> None:
    assert list(kzfacts.admissible_counts(kzfacts.read_number("78%"), 64)) == [50]
    assert list(kzfacts.admissible_counts("7.8%", 64)) == [5]
    with pytest.raises(kzfacts.ArgumentError, match=r"admissible_counts\(whole=\): expected a whole"):
        kzfacts.admissible_counts("78%", 64.0)  # type: ignore[arg-type]
    share = kzfacts.read_number("3,7%").interval()
    assert str(share + 1) == str(1 + share) == "[4.65, 4.75)"
    assert str(share * 2) == "[7.3, 7.5)"
    assert str(10 - kzfacts.Interval.point(3)) == "[7]"
    with pytest.raises(kzfacts.ArgumentError, match=r"reading\.interval\(\)"):
        share + kzfacts.read_number("5")  # type: ignore[operator]
    with pytest.raises(kzfacts.ArgumentError, match=r"found the float 0\.5"):
        share + 0.5  # type: ignore[operator]
    with pytest.raises(kzfacts.ArgumentError, match=r"found the float 0\.5"):
        kzfacts.Interval.closed(0.5, 1)  # type: ignore[arg-type]


def test_the_fact_base_api_from_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = kzfacts.bundled_path()
    folder = kzfacts.check(root)
    assert folder.exit_code == 0
    assert folder.result("p46.outcomes-sum").accepted is True
    assert kzfacts.check(root / "facts") == folder
    assert kzfacts.check(root / "facts", root / "rules", baseline=root / "baseline.yaml") == folder
    bare = kzfacts.check(root, baseline=None)
    assert bare.result("p46.outcomes-sum").accepted is False
    assert bare.exit_code == 1
    with pytest.raises(kzfacts.InvalidDataError):
        kzfacts.check(tmp_path)


@pytest.mark.parametrize("module", ["kzfacts.engine.calls", "kzfacts.engine.arguments",
                                    "kzfacts.fields"])
def test_the_examples_of_the_docstrings_hold(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted >= 3
    assert result.failed == 0
