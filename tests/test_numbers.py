"""The number reader: every written form, its exact value, precision, unit and interval."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzfacts import (
    DateValue,
    Interval,
    Qualifier,
    ReadError,
    find_numbers,
    read_date,
    read_number,
    read_range,
)
from kzfacts.values.numbers import misreadable

UNITS = {"tenge": "KZT", "MCI": "MCI"}
F = Fraction


def iv(lo: Fraction | int | None, hi: Fraction | int | None, lo_closed: bool = True,
       hi_closed: bool = True) -> Interval:
    return Interval(None if lo is None else F(lo), None if hi is None else F(hi),
                    lo_closed, hi_closed)


# text, value, quantum, exact, unit, qualifier, interval (rounding convention)
FORMS: list[tuple[str, int | Decimal, Decimal, bool, str | None, Qualifier, Interval]] = [
    ("5,300", 5300, Decimal(1), True, None, Qualifier.EXACT, iv(5300, 5300)),
    ("10,169", 10169, Decimal(1), True, None, Qualifier.EXACT, iv(10169, 10169)),
    ("5005", 5005, Decimal(1), True, None, Qualifier.EXACT, iv(5005, 5005)),
    ("1058", 1058, Decimal(1), True, None, Qualifier.EXACT, iv(1058, 1058)),
    ("138 000", 138000, Decimal(1), True, None, Qualifier.EXACT, iv(138000, 138000)),
    ("7.8%", Decimal("7.8"), Decimal("0.1"), False, "percent", Qualifier.EXACT,
     iv(F(775, 100), F(785, 100), True, False)),
    ("3,7%", Decimal("3.7"), Decimal("0.1"), False, "percent", Qualifier.EXACT,
     iv(F(365, 100), F(375, 100), True, False)),
    ("(49,2)", Decimal("49.2"), Decimal("0.1"), False, None, Qualifier.EXACT,
     iv(F(4915, 100), F(4925, 100), True, False)),
    ("23.5 million tenge", 23_500_000, Decimal(100_000), False, "KZT", Qualifier.EXACT,
     iv(23_450_000, 23_550_000, True, False)),
    ("54.5 million", 54_500_000, Decimal(100_000), False, None, Qualifier.EXACT,
     iv(54_450_000, 54_550_000, True, False)),
    ("2 million 750 thousand", 2_750_000, Decimal(1000), False, None, Qualifier.EXACT,
     iv(2_749_500, 2_750_500, True, False)),
    ("33 million 545 thousand tenge", 33_545_000, Decimal(1000), False, "KZT", Qualifier.EXACT,
     iv(33_544_500, 33_545_500, True, False)),
    ("103,500 tenge", 103_500, Decimal(1), True, "KZT", Qualifier.EXACT, iv(103_500, 103_500)),
    ("30 MCI", 30, Decimal(1), True, "MCI", Qualifier.EXACT, iv(30, 30)),
    ("more than 5,300", 5300, Decimal(1), True, None, Qualifier.MORE_THAN,
     iv(5300, None, False, False)),
    ("up to 1 month", 1, Decimal(1), True, "month", Qualifier.UP_TO, iv(0, 1)),
    ("about 500 million tenge", 500_000_000, Decimal(1_000_000), False, "KZT", Qualifier.ABOUT,
     iv(450_000_000, 550_000_000)),
    ("78%", 78, Decimal(1), False, "percent", Qualifier.EXACT,
     iv(F(155, 2), F(157, 2), True, False)),
]


@pytest.mark.parametrize(("text", "value", "quantum", "exact", "unit", "qualifier", "interval"),
                         FORMS, ids=[f[0] for f in FORMS])
def test_read_number_forms(*, text: str, value: int | Decimal, quantum: Decimal, exact: bool,
                           unit: str | None, qualifier: Qualifier, interval: Interval) -> None:
    r = read_number(text, unit_words=UNITS)
    assert r.text == text
    assert type(r.value) is type(value)
    assert r.value == value
    assert r.quantum == quantum
    assert r.exact is exact
    assert r.unit == unit
    assert r.qualifier is qualifier
    got = r.interval()
    assert got == interval
    for bound in (got.lo, got.hi):
        assert bound is None or type(bound) is Fraction


@pytest.mark.parametrize(("text", "interval"), [
    ("78%", iv(78, 79, True, False)),
    ("7.8%", iv(F(78, 10), F(79, 10), True, False)),
    ("54.5 million", iv(54_500_000, 54_600_000, True, False)),
    ("2 million 750 thousand", iv(2_750_000, 2_751_000, True, False)),
    ("5,300", iv(5300, 5300)),
])
def test_truncate_convention(text: str, interval: Interval) -> None:
    assert read_number(text).interval(convention="truncate") == interval


@pytest.mark.parametrize(("text", "low_in", "low_out"), [
    # a rounded "78%" admits 77.5 but not 78.5; truncated it admits 78 but not 79
    ("78%", F(155, 2), F(157, 2)),
    ("7.8%", F(775, 100), F(785, 100)),
])
def test_rounded_interval_is_half_open(text: str, low_in: Fraction, low_out: Fraction) -> None:
    got = read_number(text).interval()
    assert got.contains(low_in)
    assert not got.contains(low_out)


@pytest.mark.parametrize(("text", "decimals"), [
    ("7.8%", 1), ("3,7%", 1), ("78%", 0), ("54.5 million", 0), ("(49,2)", 1), ("1,000.25", 2),
])
def test_decimals(text: str, decimals: int) -> None:
    assert read_number(text).decimals == decimals


@pytest.mark.parametrize("text", ["1,273", "3,7%", "10,169"])
def test_comma_ambiguity_is_noted(text: str) -> None:
    notes = read_number(text).notes
    assert notes
    assert any("comma" in n for n in notes)


def test_grouping_comma_note_says_thousands() -> None:
    r = read_number("1,273")
    assert r.value == 1273
    assert any("thousands separator" in n for n in r.notes)


def test_decimal_comma_note_says_decimal() -> None:
    assert any("decimal comma" in n for n in read_number("3,7%").notes)


def test_declared_decimal_comma() -> None:
    r = read_number("1,273", decimal_comma=True)
    assert type(r.value) is Decimal
    assert r.value == Decimal("1.273")
    assert r.quantum == Decimal("0.001")
    assert r.exact is False
    assert any("decimal comma" in n and "declared" in n for n in r.notes)


def test_plain_number_has_no_notes() -> None:
    assert read_number("5005").notes == ()


def test_spaces_as_thousands_separator_are_noted() -> None:
    assert any("space" in n for n in read_number("138 000").notes)


def test_parentheses_are_noted() -> None:
    assert any("parentheses" in n for n in read_number("(49,2)").notes)


@pytest.mark.parametrize("text", ["abc", "2015 – 630", "12 persons", "", "5 million 3 million"])
def test_unreadable(text: str) -> None:
    with pytest.raises(ReadError) as info:
        read_number(text, unit_words=UNITS)
    assert isinstance(info.value, ValueError)
    assert info.value.text == text


def test_read_error_names_the_unknown_word() -> None:
    with pytest.raises(ReadError, match="persons"):
        read_number("12 persons")


def test_unit_word_needs_declaring() -> None:
    with pytest.raises(ReadError):
        read_number("30 MCI")
    assert read_number("30 MCI", unit_words={"MCI": "MCI"}).unit == "MCI"


@pytest.mark.parametrize(("text", "qualifier"), [
    ("more than 5,300", Qualifier.MORE_THAN),
    ("over 100", Qualifier.MORE_THAN),
    ("at least 3", Qualifier.AT_LEAST),
    ("up to 15", Qualifier.UP_TO),
    ("no more than 15", Qualifier.UP_TO),
    ("less than 10", Qualifier.LESS_THAN),
    ("about 500", Qualifier.ABOUT),
])
def test_qualifier_words(text: str, qualifier: Qualifier) -> None:
    assert read_number(text).qualifier is qualifier


@pytest.mark.parametrize(("text", "inside", "outside"), [
    ("more than 5,300", 5301, 5300),
    ("at least 5,300", 5300, 5299),
    ("up to 15", 15, 16),
    ("less than 15", 14, 15),
])
def test_qualifier_bounds(text: str, inside: int, outside: int) -> None:
    got = read_number(text).interval()
    assert got.contains(inside)
    assert not got.contains(outside)


def test_about_is_wider_than_rounding() -> None:
    got = read_number("about 500").interval()
    assert got.contains(450)
    assert got.contains(550)
    assert not got.contains(449)
    assert read_number("about 500").exact is False


# -- ranges --------------------------------------------------------------------------------

def test_read_range_from_to() -> None:
    r = read_range("from 4 to 7 years")
    assert r.unit == "year"
    assert r.low is not None
    assert r.high is not None
    assert r.low.value == 4
    assert r.high.value == 7


def test_read_range_dash() -> None:
    r = read_range("4–7 years")
    assert r.low is not None
    assert r.high is not None
    assert (r.low.value, r.high.value, r.unit) == (4, 7, "year")


def test_read_range_up_to() -> None:
    r = read_range("up to 15 years")
    assert r.low is None
    assert r.high is not None
    assert r.high.value == 15
    assert r.unit == "year"


def test_read_range_at_least() -> None:
    r = read_range("at least 3 months")
    assert r.high is None
    assert r.low is not None
    assert r.low.value == 3
    assert r.unit == "month"


@pytest.mark.parametrize("text", ["from 4 years to 7 months", "seven"])
def test_read_range_errors(text: str) -> None:
    with pytest.raises(ReadError):
        read_range(text)


# -- dates ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "date"), [
    ("July 19, 2021", DateValue(2021, 7, 19)),
    ("19 July 2021", DateValue(2021, 7, 19)),
    ("July 2022", DateValue(2022, 7)),
    ("2019", DateValue(2019)),
    ("June 25, 2015", DateValue(2015, 6, 25)),
    ("2020-07-01", DateValue(2020, 7, 1)),
])
def test_read_date(text: str, date: DateValue) -> None:
    got = read_date(text)
    assert got == date
    assert (got.year, got.month, got.day) == (date.year, date.month, date.day)


@pytest.mark.parametrize("text", ["February 30, 2021", "February 29, 2021", "April 31, 2022",
                                  "Julember 2021", "21", "2021-13", "2021-04-31",
                                  pytest.param("0000", id="year-zero")])
def test_read_date_errors(text: str) -> None:
    with pytest.raises(ReadError):
        read_date(text)


def test_leap_day_is_a_date() -> None:
    assert read_date("February 29, 2020") == DateValue(2020, 2, 29)


@pytest.mark.parametrize(("text", "first", "last"), [
    ("2019", (2019, 1, 1), (2019, 12, 31)),
    ("2020-02", (2020, 2, 1), (2020, 2, 29)),
    ("2021-07-19", (2021, 7, 19), (2021, 7, 19)),
])
def test_date_value_days(text: str, first: tuple[int, int, int],
                         last: tuple[int, int, int]) -> None:
    d = DateValue.from_iso(text)
    assert (d.first_day.year, d.first_day.month, d.first_day.day) == first
    assert (d.last_day.year, d.last_day.month, d.last_day.day) == last
    assert str(d) == text


# -- finding numbers -----------------------------------------------------------------------

def test_find_numbers() -> None:
    text = ("In the period of 2020 – 2023, 10,169 recommendations were proposed. "
            "In particular, 4,780 (47%) of them were executed, 381 (3,7%) - not accepted "
            "and 5005 (49,2) - in process, 138 000 tenge.")
    spans = find_numbers(text)
    assert [s.text for s in spans] == ["2020", "2023", "10,169", "4,780", "47", "381", "3,7",
                                       "5005", "49,2", "138 000"]
    for s in spans:
        assert text[s.start:s.end] == s.text


def test_find_numbers_none() -> None:
    assert find_numbers("no digits here") == []


@given(st.integers(0, 10**18))
def test_digits_read_as_their_whole_number(n: int) -> None:
    """Digits alone, grouped by commas or not, padded or not, are the number written in full."""
    for text in (str(n), f"{n:,}", f" {n} "):
        r = read_number(text)
        assert (r.value, type(r.value), r.quantum, r.exact, r.unit, r.qualifier) == (
            n, int, Decimal(1), True, None, Qualifier.EXACT)
    assert read_number(str(n)).notes == ()


def test_unit_words_follow_the_mapping_passed() -> None:
    """The merged unit words are remembered per mapping, and a changed mapping is seen."""
    words = {"euros": "EUR"}
    assert read_number("5 euros", unit_words=words).unit == "EUR"
    words["euros"] = "EURO"
    assert read_number("5 euros", unit_words=words).unit == "EURO"
    assert read_number("5 Euros", unit_words={"EUROS": "X"}).unit == "X"
    with pytest.raises(ReadError):
        read_number("5 euros", unit_words={})
    assert read_number("5 %", unit_words={"%": "pct"}).unit == "pct"  # the document's wins


def test_comma_groups_are_noted() -> None:
    """A comma read as a thousands separator is said, with why."""
    r = read_number("69,000 tenge", unit_words=UNITS)
    assert (r.value, r.unit, r.exact) == (69000, "KZT", True)
    assert r.notes == ("'69,000': comma read as thousands separator (three digits follow "
                       "it; decimal comma not declared)",)
    assert read_number("1,234,567").notes[0].endswith("(several groups of three)")
    assert read_number("3,700", decimal_comma=True).value == Decimal("3.7")
    assert (read_number("86%").unit, read_number("86%").exact) == ("percent", False)


# -- one rule for what a reader sees ---------------------------------------------------------

def test_every_format_character_of_this_python_is_refused() -> None:
    """The list of invisible format characters holds every one the running Python knows
    (category Cf), so a newer Unicode cannot slip one past the reader."""
    import unicodedata

    from kzfacts.values.numbers import _FORMAT

    listed = re.compile(f"[{_FORMAT}]")
    missing = [f"U+{ord(c):04X}" for c in map(chr, range(0x110000))
               if unicodedata.category(c) == "Cf" and not listed.match(c)]
    assert missing == []


@pytest.mark.parametrize(("text", "offset", "found", "says"), [
    ("2023 \u202e591", 5, "U+202E RIGHT-TO-LEFT OVERRIDE", "bidirectional control"),
    ("\u2066591\u2069", 0, "U+2066 LEFT-TO-RIGHT ISOLATE", "bidirectional control"),
    ("5\u200e9", 1, "U+200E LEFT-TO-RIGHT MARK", "bidirectional control"),
    ("x\u061c", 1, "U+061C ARABIC LETTER MARK", "bidirectional control"),
    ("10\u200b169", 2, "U+200B ZERO WIDTH SPACE", "invisible format character"),
    ("re\u00adport", 2, "U+00AD SOFT HYPHEN", "invisible format character"),
    ("a\ufeffb", 1, "U+FEFF ZERO WIDTH NO-BREAK SPACE", "invisible format character"),
    ("\u09ea0", 0, "U+09EA BENGALI DIGIT FOUR", "a digit of another script"),
    ("1\uff10", 1, "U+FF10 FULLWIDTH DIGIT ZERO", "a digit of another script"),
    ("\U0001d7d2", 0, "U+1D7D2 MATHEMATICAL BOLD DIGIT FOUR", "a digit of another script"),
    ("5\u00b2", 1, "U+00B2 SUPERSCRIPT TWO", "superscript, fraction or numeral sign"),
    ("\u00bd0", 0, "U+00BD VULGAR FRACTION ONE HALF", "superscript, fraction or numeral sign"),
    ("2\u2167", 1, "U+2167 ROMAN NUMERAL EIGHT", "superscript, fraction or numeral sign"),
])
def test_what_a_reader_could_misread_is_found(text: str, offset: int, found: str,
                                             says: str) -> None:
    flaw = misreadable(text)
    assert flaw is not None
    assert (flaw.offset, flaw.found) == (offset, found)
    assert says in flaw.expected
    with pytest.raises(ReadError, match=re.escape(f"found {found} at character {offset + 1}")):
        read_number(text)


@pytest.mark.parametrize("text", [
    "10,169", "138\u00a0000", "5\u202f300", "2020–2023", "120 m²", "½ of them", "«1»",
    "Қазақстан 2021", "Ⅻ century", "über 5"])
def test_what_a_reader_sees_as_read_is_kept(text: str) -> None:
    assert misreadable(text) is None


def test_the_reader_reads_only_ascii_digits() -> None:
    for text in ("\u09ea0", "\uff14\uff10", "\u0664\u0660", "4\u0660"):
        with pytest.raises(ReadError, match="the digits 0-9 only"):
            read_number(text)
    for text in ("July \u0661\u0669, 2021", "\u0662\u0660\u0662\u0661"):
        with pytest.raises(ReadError, match="the digits 0-9 only"):
            read_date(text)
    with pytest.raises(ReadError, match="the digits 0-9 only"):
        read_range("4\u20137 \u0665 years")
    with pytest.raises(ReadError):
        DateValue.from_iso("\u0662\u0660\u0662\u0661")
    assert [s.text for s in find_numbers("\u0664\u0660 and 40")] == ["40"]


# -- numbers are bounded before they are converted -------------------------------------------

def test_a_number_beyond_the_limits_is_refused() -> None:
    with pytest.raises(ReadError, match="expected a number of at most 64 characters, found "
                                        "4,301 characters"):
        read_number("9" * 4301 + " percent")
    with pytest.raises(ReadError, match="a magnitude of at most 10\\^18, found "
                                        "1,000,000,000,000,000,001"):
        read_number("1000000000000000001")
    with pytest.raises(ReadError, match="a magnitude of at most 10\\^18"):
        read_number("1,000,000,001 billion")
    assert read_number("1000000000000000000").value == 10**18
    assert read_number("1 billion 1").value == 1_000_000_001


def test_long_numbers_are_read_without_rounding() -> None:
    """Within the limits every digit counts (Decimal's 28 digits would round these)."""
    r = read_number("0.12345678901234567890123456789012345")
    assert r.value == Decimal("0.12345678901234567890123456789012345")
    assert r.quantum == Decimal("1E-35")
    r = read_number("123,456,789.123456789123456789123 million")
    assert r.value == Decimal("123456789123456.789123456789123")


# -- value classes -------------------------------------------------------------------------

def test_readings_are_immutable_values_that_pickle_with_their_intervals() -> None:
    import dataclasses
    import pickle

    r = read_number("54.5 million")
    iv = r.interval()
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.value = 1  # type: ignore[misc]
    again = pickle.loads(pickle.dumps(r))  # noqa: S301 - bytes this test made
    assert again == r and hash(again) == hash(r) and again.interval() == iv
    assert r == read_number("54.5 million")  # the remembered intervals are no part of it
    assert "_intervals" not in repr(r)
    assert DateValue(2020, 7) < DateValue(2020, 12) < DateValue(2021, 1)  # by year, then month
