"""Numbers written in English words, read by the number reader with their precision."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

import kzfacts
from kzfacts.values.words import read_words


@pytest.mark.parametrize(("text", "value"), [
    ("three hundred and twelve", 312), ("twenty-one", 21), ("Twelve", 12), ("zero", 0),
    ("one thousand two hundred", 1200), ("a hundred", 100), ("ninety-nine", 99),
    ("two million seven hundred and fifty thousand", 2_750_000), ("nineteen", 19),
])
def test_cardinals_in_words(text: str, value: int) -> None:
    reading = kzfacts.read_number(text)
    assert reading.value == value
    assert reading.unit is None


def test_a_count_in_words_is_exact_and_a_scaled_one_is_not() -> None:
    assert kzfacts.read_number("three hundred and twelve").interval().is_point
    three_million = kzfacts.read_number("three million").interval()
    assert three_million.lo == 2_500_000
    assert three_million.hi == 3_500_000


@pytest.mark.parametrize(("text", "percent"), [
    ("a quarter", 25), ("half", 50), ("two thirds", Decimal("66.7")), ("three quarters", 75),
    ("a fifth", 20), ("one third", Decimal("33.3")), ("three tenths", 30),
])
def test_fractions_are_shares_about_their_value(text: str, percent: int | Decimal) -> None:
    reading = kzfacts.read_number(text)
    assert reading.value == percent
    assert reading.unit == "percent"
    assert reading.qualifier is kzfacts.Qualifier.ABOUT
    interval = reading.interval()
    # about: ±10% of the value, so a third (33.33...%) is inside "a third"
    assert interval.contains(Fraction(percent) * Fraction(9, 10))
    assert not interval.contains(Fraction(percent) * Fraction(12, 10))


def test_a_quantifier_before_a_fraction_wins() -> None:
    reading = kzfacts.read_number("more than a third")
    assert reading.qualifier is kzfacts.Qualifier.MORE_THAN
    assert not reading.interval().contains(Fraction(33))


def test_a_share_in_words_with_per_cent_is_not_exact() -> None:
    reading = kzfacts.read_number("thirty-eight per cent")
    assert reading.value == 38
    assert reading.unit == "percent"
    assert not reading.interval().is_point


@pytest.mark.parametrize("text", ["twelve twelve", "three hundred and", "hundred three", "a",
                                  "two third", "the third", "one two", "twenty ten", "abc"])
def test_what_is_not_a_number_in_words(text: str) -> None:
    with pytest.raises(kzfacts.ReadError):
        kzfacts.read_number(text)


def test_read_words_returns_none_for_other_words() -> None:
    assert read_words("persons") is None
    assert read_words("") is None
    words = read_words("seven")
    assert words is not None
    assert words.value == 7


def test_words_then_a_unit_word() -> None:
    reading = kzfacts.read_number("seven years")
    assert (reading.value, reading.unit) == (7, "year")
    assert kzfacts.read_number("five thousand tenge", unit_words={"tenge": "KZT"}).unit == "KZT"
