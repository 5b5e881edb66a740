"""A project that uses kzfacts as a library: only its public names, against the installed
package (tests/test_docs.py copies this file into a fresh folder as ``test_usage.py``, runs
it with pytest and checks it with ``mypy --strict``).

It uses every check you can call, the pydantic field type and model validator, and the
fact-base API; and it holds each check to the YAML rule of its kind: on the same numbers,
the same verdict and the same message through both doors (Hypothesis, every kind).
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

import kzfacts
from kzfacts import strategies as kst

# -- every check you can call --------------------------------------------------------------


def test_sum() -> None:
    r = kzfacts.check_sum(["4,780", "381", "5005"], total="10,169")
    assert r.verdict is kzfacts.Verdict.FAIL
    assert r.message == "4,780 + 381 + 5005 = 10,166, not 10,169: 3 short"
    assert kzfacts.check_sum([4780, 381, 5008], total=10169).verdict is kzfacts.Verdict.PASS


def test_share() -> None:
    assert kzfacts.check_share("78%", part=50, whole=64).message == (
        "50 / 64 = 78.12%, which rounds to 78% ✓")
    grim = kzfacts.check_share("40%", whole=27)
    assert grim.verdict is kzfacts.Verdict.WARN
    assert grim.message.startswith("40% of 27: no whole count rounds to 40%")


def test_conversion() -> None:
    r = kzfacts.check_conversion("30 MCI", "103,500 tenge", rate="3,450 KZT/MCI",
                                 units={"tenge": "KZT"})
    assert r.verdict is kzfacts.Verdict.PASS
    assert r.message == ("30 MCI × 3,450 KZT/MCI = 103,500 KZT, stated 103,500 tenge ✓ "
                         "(implied rate 3,450 KZT/MCI)")
    tolerated = kzfacts.check_conversion("54.5 million tenge", "117 thousand USD",
                                         rate="456.2 tenge/USD", tolerance="5%")
    assert tolerated.verdict is kzfacts.Verdict.WARN


def test_bound_series_order_quantifier_mean() -> None:
    assert kzfacts.check_bound(["120", "79", "45"], "le", "more than 5,300").verdict is (
        kzfacts.Verdict.PASS)
    series = kzfacts.check_series({2022: "819", 2023: "196"}, "le", {2022: "920", 2023: "195"})
    assert series.message == "2023: 196, not ≤ 195: 1 over; 2022: 819 ≤ 920 ✓"
    dates = [kzfacts.read_date("July 19, 2021"), kzfacts.read_date("July 2022")]
    assert kzfacts.check_order(dates, strict=True).message == "2021-07-19 < 2022-07 ✓"
    most = kzfacts.check_quantifier("more than half", part=2697, whole=4278)
    assert most.message == "2,697 / 4,278 = 63.04% > 50% (more than half) ✓"
    mean = kzfacts.check_mean_within("33 million 545 thousand tenge", "262 victims",
                                     low="30 MCI", high="50 MCI", rate="2,778 KZT/MCI",
                                     units={"tenge": "KZT"})
    assert mean.verdict is kzfacts.Verdict.PASS


def test_what_a_check_takes() -> None:
    exact = kzfacts.check_sum([Decimal("0.5"), Fraction(1, 4)], total="0.75")
    assert exact.verdict is kzfacts.Verdict.PASS
    with pytest.raises(kzfacts.ArgumentError, match=r"found the float 0\.1"):
        kzfacts.check_sum([0.1, 0.2], total="0.3")  # type: ignore[list-item]
    trusted = kzfacts.to_reading(0.1 + 0.2, precision="0.01")
    assert kzfacts.check_bound(trusted, "eq", "0.3").verdict is kzfacts.Verdict.PASS
    with pytest.raises(kzfacts.ArgumentError, match="dimension"):
        kzfacts.check_sum(["5 persons", "3 cases"], total="8 persons")
    with pytest.raises(TypeError):  # an ArgumentError is also a TypeError and a ValueError
        kzfacts.Interval.point(1) + kzfacts.read_number("5")  # type: ignore[operator]
    assert kzfacts.Interval.point(1) + 2 == kzfacts.Interval.point(3)
    assert list(kzfacts.admissible_counts(kzfacts.read_number("78%"), 64)) == [50]


# -- pydantic ------------------------------------------------------------------------------

Count = Annotated[kzfacts.Reading, kzfacts.Reported(unit="recommendation")]
Share = Annotated[kzfacts.Reading, kzfacts.Reported(unit="percent")]


class Recommendations(BaseModel):
    executed: Count
    not_accepted: Count
    in_process: Count
    total: Count
    executed_share: Share

    @kzfacts.consistent
    def arithmetic(self) -> list[kzfacts.Result]:
        return [kzfacts.check_sum([self.executed, self.not_accepted, self.in_process],
                                  total=self.total),
                kzfacts.check_share(self.executed_share, part=self.executed, whole=self.total)]


def test_a_model_checks_its_numbers() -> None:
    data = {"executed": "4,780", "not_accepted": "381", "in_process": "5,008",
            "total": "10,169", "executed_share": "47%"}
    model = Recommendations.model_validate(data)
    assert model.total.value == 10169
    assert str(model.executed_share.interval()) == "[46.5, 47.5)"
    assert model.model_dump(mode="json") == data
    with pytest.raises(ValidationError) as info:
        Recommendations.model_validate({**data, "in_process": "5005"})
    assert info.value.errors()[0]["msg"] == "4,780 + 381 + 5005 = 10,166, not 10,169: 3 short"
    with pytest.raises(ValidationError, match="float"):
        Recommendations.model_validate({**data, "total": 10169.0})


# -- the fact-base API ---------------------------------------------------------------------


def test_the_bundled_fact_base() -> None:
    report = kzfacts.check(kzfacts.bundled_path())
    assert report.exit_code == 0
    result = report.result("p46.outcomes-sum")
    assert result.accepted is True
    assert result.justification
    assert result.message == kzfacts.check_sum(["4,780", "381", "5005"], total="10,169").message


# -- both doors: a check you call and the YAML rule, on the same numbers -------------------


def _number(s: kst.Scenario, fact_id: str, units: kzfacts.UnitSystem) -> kzfacts.Reading:
    fact = s.fact[fact_id]
    assert isinstance(fact.written, kst.Written)
    return kzfacts.to_reading(fact.written.text, unit=fact.unit, units=units)


def _date(s: kst.Scenario, fact_id: str) -> kzfacts.DateValue:
    written = s.fact[fact_id].written
    assert isinstance(written, kst.WrittenDate)
    return kzfacts.read_date(written.text)


def _rate(s: kst.Scenario) -> str:
    """The rate in force on the rule's date, written as the rule's table writes it."""
    assert s.reference is not None
    table = s.reference["tables"][s.rule["rate"]["table"]]
    on = s.rule["rate"]["on"]
    entry = max((e for e in table["entries"] if e["effective_from"] <= on),
                key=lambda e: str(e["effective_from"]))
    return f"{entry['value']:,} {table['unit']}"


def _called(s: kst.Scenario, units: kzfacts.UnitSystem) -> kzfacts.Result:
    """The scenario's rule, as a call of the check of its kind."""
    rule: dict[str, Any] = dict(s.rule)

    def n(fact_id: str) -> kzfacts.Reading:
        return _number(s, fact_id, units)

    match s.kind:
        case "sum":
            return kzfacts.check_sum([n(i) for i in rule["parts"]], total=n(rule["total"]),
                                     relation=rule["relation"], units=units)
        case "bound":
            return kzfacts.check_bound([n(i) for i in rule["left"]], rule["relation"],
                                       [n(i) for i in rule["right"]], units=units)
        case "series":
            first, last = rule["years"]
            years = range(first, last + 1)
            left = {y: [n(i.replace("{year}", str(y))) for i in rule["left"]] for y in years}
            right = {y: [n(i.replace("{year}", str(y))) for i in rule["right"]] for y in years}
            return kzfacts.check_series(left, rule["relation"], right, units=units)
        case "share":
            part = rule.get("part")
            return kzfacts.check_share(n(rule["share"]), whole=n(rule["whole"]),
                                       part=None if part is None else n(part), units=units)
        case "conversion":
            return kzfacts.check_conversion(n(rule["amount"]), n(rule["result"]),
                                            rate=_rate(s), units=units)
        case "mean_within":
            return kzfacts.check_mean_within(n(rule["total"]), n(rule["count"]),
                                             low=n(rule["low"]), high=n(rule["high"]),
                                             units=units)
        case "order":
            return kzfacts.check_order([_date(s, i) for i in rule["sequence"]],
                                       strict=rule["strict"], units=units)
        case "quantifier":
            return kzfacts.check_quantifier(rule["quantifier"], part=n(rule["part"]),
                                            whole=n(rule["whole"]), units=units)
    raise AssertionError(s.kind)


KINDS = ["sum", "bound", "series", "share", "conversion", "mean_within", "order", "quantifier"]


@st.composite
def cases(draw: st.DrawFn) -> kst.Scenario:
    """A consistent scenario of any kind, or one of its one-place changes (all but a
    period's: a call has no periods)."""
    scenario = draw(st.one_of([kst.scenarios(kind=k) for k in KINDS]))
    changes = [m.scenario for m in scenario.mutants() if m.change != "period"]
    return draw(st.sampled_from([scenario, *changes]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_both_doors_agree(s: kst.Scenario) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        s.write(Path(tmp))
        try:
            base, rules = kzfacts.load(tmp)
            (rule,) = kzfacts.evaluate(base, rules, kzfacts.compile_rules(base, rules))
        except kzfacts.InvalidDataError:  # a unit swapped: the call refuses it too
            base_units = kzfacts.unit_system(*_units(Path(tmp)))
            with pytest.raises(kzfacts.ArgumentError):
                _called(s, base_units)
            return
    called = _called(s, base.units)
    assert (called.verdict, called.message) == (rule.verdict, rule.message)
    assert called.kind == rule.kind


def _units(folder: Path) -> tuple[list[str], dict[str, str]]:
    import yaml

    data = yaml.safe_load((folder / "facts" / "units.yaml").read_text(encoding="utf-8"))
    return list(data["definitions"]), dict(data["words"])
