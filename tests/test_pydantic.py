"""kzfacts in pydantic models (kzfacts.fields): the Reported field type and @consistent."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, ValidationError

import kzfacts

Persons = Annotated[kzfacts.Reading, kzfacts.Reported(unit="person")]
Share = Annotated[kzfacts.Reading, kzfacts.Reported(unit="percent")]
Tenge = Annotated[kzfacts.Reading, kzfacts.Reported(units={"tenge": "KZT"})]


class Sentences(BaseModel):
    convicted: Persons
    prison: Persons
    probation: Persons
    restriction: Persons
    prison_share: Share

    @kzfacts.consistent
    def arithmetic(self) -> list[kzfacts.Result]:
        return [kzfacts.check_sum([self.prison, self.probation, self.restriction],
                                  total=self.convicted),
                kzfacts.check_share(self.prison_share, part=self.prison, whole=self.convicted)]


GOOD: dict[str, Any] = {"convicted": "64", "prison": "50", "probation": "9", "restriction": "5",
                        "prison_share": "78%"}


def test_a_field_reads_the_words_and_writes_them_back() -> None:
    class Fee(BaseModel):
        amount: Tenge
        share: Share

    fee = Fee.model_validate({"amount": "54.5 million tenge", "share": "3,7%"})
    assert (fee.amount.value, fee.amount.unit, str(fee.amount.interval())) == (
        54_500_000, "KZT", "[54450000, 54550000)")
    assert str(fee.share.interval()) == "[3.65, 3.75)"
    assert fee.model_dump_json() == '{"amount":"54.5 million tenge","share":"3,7%"}'
    assert Fee.model_validate_json(fee.model_dump_json()) == fee
    assert fee.model_dump() == {"amount": "54.5 million tenge", "share": "3,7%"}
    assert Fee.model_validate(fee.model_dump()) == fee


@pytest.mark.parametrize(("value", "expected"), [
    (50, "[50]"), (Decimal("7.8"), "[7.8]"), ("50", "[50]"), ("more than 5,300", "(5300, +inf)"),
])
def test_a_field_takes_exact_numbers_and_text(value: object, expected: str) -> None:
    class One(BaseModel):
        n: Persons

    assert str(One.model_validate({"n": value}).n.interval()) == expected


@pytest.mark.parametrize(("value", "found"), [
    (50.0, "found the float 50.0"),
    ("several", "cannot read 'several': expected a number"),
    ("5 cases", "expected a number in person"),
    ([5], "found [5]"),
])
def test_a_field_refuses_with_kzfacts_words(value: object, found: str) -> None:
    class One(BaseModel):
        n: Persons

    with pytest.raises(ValidationError) as info:
        One.model_validate({"n": value})
    (error,) = info.value.errors()
    assert error["type"] == "kzfacts_number"
    assert error["loc"] == ("n",)
    assert found in error["msg"]


def test_a_consistent_model_validates() -> None:
    model = Sentences.model_validate(GOOD)
    assert model.prison.value == 50


def test_an_inconsistent_model_fails_with_the_arithmetic() -> None:
    with pytest.raises(ValidationError) as info:
        Sentences.model_validate({**GOOD, "restriction": "6", "prison_share": "80%"})
    (error,) = info.value.errors()
    assert error["type"] == "kzfacts_inconsistent"
    assert error["msg"] == ("50 + 9 + 6 = 65, not 64: 1 over; "
                            "50 / 64 = 78.12%, not 80% (which admits [79.5, 80.5)%)")


def test_strict_refuses_a_warning_too() -> None:
    class Grim(BaseModel):
        whole: Persons
        share: Share

        @kzfacts.consistent(strict=True)
        def fits(self) -> kzfacts.Result:
            return kzfacts.check_share(self.share, whole=self.whole)

    class Lenient(Grim):
        @kzfacts.consistent
        def fits(self) -> kzfacts.Result:
            return kzfacts.check_share(self.share, whole=self.whole)

    data = {"whole": "27", "share": "40%"}
    assert Lenient.model_validate(data).share.text == "40%"
    with pytest.raises(ValidationError, match="only if truncated"):
        Grim.model_validate(data)


def test_a_method_returning_no_result_is_a_bug_not_a_finding() -> None:
    class Wrong(BaseModel):
        n: Persons

        @kzfacts.consistent
        def checks(self) -> Any:
            return ["not a result"]

    with pytest.raises(TypeError, match=r"not a kzfacts\.Result"):
        Wrong.model_validate({"n": "1"})


def test_the_json_schema_of_a_field() -> None:
    schema = Sentences.model_json_schema()["properties"]["prison"]
    assert schema["anyOf"] == [{"type": "string"}, {"type": "integer"}]
    assert "in person" in schema["description"]
