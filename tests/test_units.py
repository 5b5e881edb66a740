"""Units as dimensions: what a units file defines, what a unit expression means, and what is
refused before pint reads it."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from kzfacts.data.yaml import read_yaml
from kzfacts.values.units import (
    CORE_DEFINITIONS,
    DEFINITION_FORM,
    MAX_CHARS,
    MAX_DEPTH,
    UnitsError,
    UnitSystem,
    definition_problem,
    unit_system,
    word_hint,
)

ROOT = Path(__file__).resolve().parent.parent
UNITS_FILES = sorted(p for p in ROOT.rglob("facts/units.yaml") if ".venv" not in p.parts)
NORDAVIA = ROOT / "tests" / "examples" / "nordavia"
BASE = ("person = [person] = _ = persons = people", "case = [case] = _ = cases",
        "KZT = [currency_KZT] = _ = tenge", "MCI = [index_MCI]")


def _definitions(path: Path) -> tuple[str, ...]:
    return tuple(read_yaml(path).data["definitions"])


@pytest.fixture(scope="module")
def units() -> UnitSystem:
    return unit_system(BASE, {"tenge": "KZT"})


# -- the units files ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", UNITS_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_units_file_builds_and_each_unit_is_its_own_dimension(path: Path) -> None:
    data = read_yaml(path).data
    system = unit_system(data["definitions"], data.get("words", {}))
    units = [d.split("=")[0].strip() for d in data["definitions"]]
    assert len(units) >= 4
    for a in units:
        assert system.dimension(a).startswith("[")
        for b in units:
            assert system.same_dimension(a, b) is (a == b)
    for word, unit in data.get("words", {}).items():
        assert system.words[word] == unit
        assert system.known(unit)


def test_units_files_are_found() -> None:
    assert len(UNITS_FILES) >= 3


def test_core_calendar_and_percent_convert_exactly() -> None:
    system = unit_system()
    assert system.factor("month", "day") == Fraction(365, 12)
    assert system.factor("week", "year") == Fraction(7, 365)
    assert system.factor("months", "weeks") == Fraction(365, 84)
    assert system.factor("%", "percent") == 1
    assert type(system.factor("month", "day")) is Fraction
    assert system.dimension("percent") == "dimensionless"
    assert system.dimension("year") == "[time]"
    assert {"percent", "%", "year", "years", "month", "day", "week", "weeks"} <= set(
        system.unit_names())


def test_words_and_the_cache() -> None:
    a = unit_system(BASE, {"tenge": "KZT"})
    assert a is unit_system(list(BASE), {"tenge": "KZT"})  # built once per distinct file
    b = unit_system(BASE, {"tenge": "KZT", "MCIs": "MCI"})
    assert b is not a
    assert dict(b.words) == {"tenge": "KZT", "MCIs": "MCI"}
    assert dict(a.words) == {"tenge": "KZT"}


# -- unit expressions --------------------------------------------------------------------------

@pytest.mark.parametrize(("unit", "dimension"), [
    ("KZT/MCI", "[currency_KZT] / [index_MCI]"),
    ("KZT / MCI", "[currency_KZT] / [index_MCI]"),
    ("(case) * (person/case)", "[person]"),
    ("person/person", "dimensionless"),
    ("person/persons", "dimensionless"),
    ("tenge*KZT/KZT", "[currency_KZT]"),
    ("(KZT/(MCI/person))/person", "[currency_KZT] / [index_MCI]"),
    (" KZT ", "[currency_KZT]"),
    ("year/day", "dimensionless"),
    ("%", "dimensionless"),
    ("people", "[person]"),
])
def test_expressions_rules_write(units: UnitSystem, unit: str, dimension: str) -> None:
    assert units.known(unit)
    assert units.dimension(unit) == dimension


def test_factors_between_expressions(units: UnitSystem) -> None:
    assert units.factor("KZT/month", "KZT/year") == 12
    assert units.factor("year/day", "percent") == 36500
    assert units.factor("people", "person") == 1
    with pytest.raises(ValueError, match=r"KZT \(\[currency_KZT\]\) does not convert to MCI"):
        units.factor("KZT", "MCI")


def test_answers_are_remembered_per_ordered_pair() -> None:
    units = unit_system(("widget = [widget]", "dozen = 12 * widget", "EUR = [currency_EUR]"))
    assert units.factor("dozen", "widget") == 12
    assert units.factor("widget", "dozen") == Fraction(1, 12)
    assert units.factor("dozen", "widget") == 12
    assert units.same_dimension("widget", "dozen")
    assert not units.same_dimension("widget", "EUR")
    for _ in range(2):  # a refused conversion is refused again, not remembered as a factor
        with pytest.raises(ValueError, match="does not convert"):
            units.factor("widget", "EUR")
    per_widget = units.parse("EUR/widget").dimensionality
    assert units.product_dimension(("EUR", 1), ("widget", -1)) == per_widget
    assert units.product_dimension(("EUR", 1), ("dozen", -1)) == per_widget
    assert units.product_dimension(("EUR", 1), ("widget", 1)) != per_widget
    assert units.product_dimension() == units.parse("percent").dimensionality


_BASES = ("person", "case", "KZT")


@st.composite
def _products(draw: st.DrawFn, depth: int = 0) -> tuple[str, Counter[str]]:
    """A unit expression over the base units and the powers it comes to (the oracle)."""
    text, powers = "", Counter[str]()
    for i in range(draw(st.integers(1, 3))):
        if depth < 3 and draw(st.booleans()):
            inner, inner_powers = draw(_products(depth + 1))
            term, term_powers = f"({inner})", inner_powers
        else:
            name = draw(st.sampled_from(_BASES))
            term, term_powers = name, Counter({name: 1})
        sign = "*" if i == 0 else draw(st.sampled_from("*/"))
        powers.update(term_powers) if sign == "*" else powers.subtract(term_powers)
        text = term if i == 0 else f"{text}{draw(st.sampled_from(['', ' ']))}{sign} {term}"
    return text, powers


@given(_products(), _products())
def test_two_expressions_have_the_same_dimension_iff_their_powers_agree(
        a: tuple[str, Counter[str]], b: tuple[str, Counter[str]]) -> None:
    units = unit_system(BASE)
    same = +a[1] == +b[1] and -a[1] == -b[1]  # zero powers dropped
    assert units.same_dimension(a[0], b[0]) is same
    if same:
        assert units.factor(a[0], b[0]) == 1


_SCALES = st.fractions(min_value=Fraction(1, 1000), max_value=1000, max_denominator=1000)


@given(st.lists(st.tuples(_SCALES, st.booleans()), min_size=1, max_size=5))
def test_factors_are_exact_through_chains_of_definitions(steps: list[tuple[Fraction, bool]],
                                                         ) -> None:
    """``u1 = 3.5 * widget``, ``u2 = u1 / 7``, ...: the factor is the exact product."""
    lines, expected, previous = ["widget = [widget]"], Fraction(1), "widget"
    for i, (scale, divide) in enumerate(steps, start=1):
        text = f"({scale.numerator} / {scale.denominator})"
        lines.append(f"u{i} = {previous} / {text}" if divide else f"u{i} = {text} * {previous}")
        expected = expected / scale if divide else expected * scale
        previous = f"u{i}"
    units = unit_system(lines)
    assert units.factor(previous, "widget") == expected
    assert units.factor("widget", previous) == 1 / expected
    decimal = unit_system(("widget = [widget]", "tenth = 0.1 * widget"))
    assert decimal.factor("tenth", "widget") == Fraction(1, 10)


# -- refused before pint reads them -------------------------------------------------------------

@pytest.mark.parametrize("unit", [
    "10**10**10*person", "9**9**9*person/person", "person^2", "2*person", "1e9*person",
    "person person", "person per person", "sq person", "person squared", "KZT/", "/KZT",
    "(KZT", "KZT)", "()", "*", "", "KZT//MCI", "nan", "NaN", "dimensionless", "_",
    "(" * (MAX_DEPTH + 1) + "person" + ")" * (MAX_DEPTH + 1), "person*" * 40 + "person",
    "person" + " " * MAX_CHARS, "person;", "person.case", "__import__('os')", "person\n",
    "persön",
])
def test_expressions_outside_the_grammar_are_refused(units: UnitSystem, unit: str) -> None:
    with pytest.raises(UnitsError) as refused:
        units.parse(unit)
    assert not units.known(unit)
    assert "unit" in refused.value.expected


def test_the_refusal_says_the_limit(units: UnitSystem) -> None:
    deep = "(" * 9 + "person" + ")" * 9
    with pytest.raises(UnitsError, match=r"with parentheses at most 8 deep, found '\(\(\("):
        units.parse(deep)
    with pytest.raises(UnitsError, match=r"at most 200 characters.*\(244 characters\)"):
        units.parse("person*" * 34 + "person")
    with pytest.raises(UnitsError, match="expected a unit of the units file, found 'persn'"):
        units.parse("persn")


def test_deep_and_long_within_the_limits_are_read(units: UnitSystem) -> None:
    deep = "(" * MAX_DEPTH + "person" + ")" * MAX_DEPTH
    assert units.dimension(deep) == "[person]"
    long = "person" + "*case/case" * 19
    assert len(long) <= MAX_CHARS
    assert units.dimension(long) == "[person]"


@pytest.mark.parametrize(("line", "expected"), [
    ("a = 10**10**10 * person", DEFINITION_FORM),
    ("a = 1e100000000 * person", DEFINITION_FORM),
    ("a = 2^64 * person", DEFINITION_FORM),
    ("@import /etc/passwd", DEFINITION_FORM),
    ("@defaults", DEFINITION_FORM),
    ("__import__('os') = [x]", DEFINITION_FORM),
    ("a = " + "(" * 100 + "year" + ")" * 100, DEFINITION_FORM),  # over 200 characters
    ("a = person case", DEFINITION_FORM),
    ("a = 1.5.5 * year", DEFINITION_FORM),
    ("degC = kelvin; offset: 273.15", DEFINITION_FORM),
    ("[area] = [length] ** 2", DEFINITION_FORM),
    ("kilo- = 1000 = k-", DEFINITION_FORM),
    ("a = [a] = = b", DEFINITION_FORM),
    ("a = [a] = b c", DEFINITION_FORM),
    ("a = 2 * %", DEFINITION_FORM),
    ("a", DEFINITION_FORM),
    ("a = ", DEFINITION_FORM),
    ("a = ((((((((((year))))))))))", "a definition with parentheses at most 8 deep"),
    ("a = 0 * year", "a definition with numbers other than 0"),
    ("a = year / 0.000", "a definition with numbers other than 0"),
    ("a = 1234567890123456789 * year", "a definition with numbers of at most 18 digits"),
    ("per = [per]", "a definition with unit names other than nan, _, cubed, cubic, "
                    "dimensionless, per, sq, square, squared"),
    ("a = [a] = _ = NaN", "a definition with unit names other than nan, _, cubed, cubic, "
                          "dimensionless, per, sq, square, squared"),
    ("a = [a] = _ = _", "a definition with unit names other than nan, _, cubed, cubic, "
                        "dimensionless, per, sq, square, squared"),
])
def test_definition_lines_refused_on_their_own(line: str, expected: str) -> None:
    assert definition_problem(line) == expected
    with pytest.raises(UnitsError) as refused:
        unit_system((*BASE, line))
    assert (refused.value.expected, refused.value.index) == (expected, len(BASE))


@pytest.mark.parametrize("line", [
    "a = [a]", "a=[a]=_=aa", "dozen = 12 * person", "tenth = person / 10",
    "quarter = 2.5 * (person / 10) = qtr = quarters", "k = 1000", "rate = KZT / MCI",
    "e3 = [e3]", "x1 = 2 * percent = _ = x_1",
])
def test_definition_lines_accepted(line: str) -> None:
    assert definition_problem(line) is None
    units = unit_system((*BASE, line))
    assert units.known(line.split("=", maxsplit=1)[0].strip())


@pytest.mark.parametrize(("lines", "index", "message"), [
    (("x = [x] = _ = years",), 0, "expected a name not yet defined, found 'years' again "
                                  "(a name of 'year')"),
    (("x = [x]", "y = [y] = x"), 1, "expected a name not yet defined, found 'x' again"),
    (("x = [x] = xx = xx",), 0, "expected a name not yet defined, found 'xx' again "
                                "(a name of 'x')"),
    (("generation = [time]",), 0, "expected a dimension no other unit has, found [time] again "
                                  "(the dimension of 'year')"),
    (("a = [a]", "b = [a]"), 1, "expected a dimension no other unit has, found [a] again "
                                "(the dimension of 'a')"),
    (("dozen = 12 * persn",), 0, "expected units defined on an earlier line, found 'persn'"),
    (("dozen = 12 * unit", "unit = [unit]"), 0,
     "expected units defined on an earlier line, found 'unit'"),
    (("loop = 2 * loop",), 0,
     "expected units defined on an earlier line, found 'loop' (defined on this line)"),
    (("a = [a]", "b = 2 * c", "c = 3 * b"), 1,
     "expected units defined on an earlier line, found 'c'"),
])
def test_definitions_refused_across_the_file(lines: tuple[str, ...], index: int,
                                             message: str) -> None:
    with pytest.raises(UnitsError) as refused:
        unit_system((*BASE, *lines))
    assert refused.value.index == len(BASE) + index
    assert str(refused.value) == f"definition {len(BASE) + index + 1}: {message}"


def test_the_core_definitions_define_each_name_once() -> None:
    names = [n.strip() for line in CORE_DEFINITIONS for n in line.split("=")[:1]]
    assert len(names) == len(set(names)) == 5
    unit_system()  # raises if the core refused itself


def test_a_unit_registry_is_built_only_in_the_units_module() -> None:
    made = [p.relative_to(ROOT).as_posix() for p in (ROOT / "src").rglob("*.py")
            if re.search(r"UnitRegistry\(", p.read_text(encoding="utf-8"))]
    assert made == ["src/kzfacts/values/units.py"]


@pytest.mark.parametrize("unit", ["EUR/", "(EUR", "*EUR", "EUR EUR"])
def test_a_bad_fact_unit_is_a_located_error(tmp_path: Path, unit: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from kzfacts.cli import main

    base = tmp_path / "nordavia"
    shutil.copytree(NORDAVIA, base)
    facts = base / "facts" / "p11.yaml"
    text = facts.read_text(encoding="utf-8")
    assert "unit: EUR," in text
    facts.write_text(text.replace("unit: EUR,", f"unit: '{unit}',", 1), encoding="utf-8")
    code = main(["check", "--no-cache", "--facts", str(base / "facts"),
                 "--rules", str(base / "rules")])
    out = capsys.readouterr()
    assert code == 2
    assert re.search(r"p11\.yaml:\d+:\d+: unit: expected a unit of the units file .*found "
                     + re.escape(repr(unit)), out.err)
    assert "Traceback" not in out.out + out.err


# -- the line to add ---------------------------------------------------------------------------

def test_definition_hint_names_each_missing_unit_and_the_line_works(units: UnitSystem) -> None:
    assert units.definition_hint("widget") == (
        " (to declare it, add '- widget = [widget]' under definitions: in units.yaml)")
    assert units.definition_hint("widget/gadget*person/widget", file="facts/units.yaml") == (
        " (to declare them, add '- widget = [widget]' and '- gadget = [gadget]' under "
        "definitions: in facts/units.yaml)")
    added = re.findall(r"'- ([^']+)'", units.definition_hint("KZT/widget/gadget"))
    fixed = unit_system((*BASE, *added))  # the lines as printed make the unit known
    assert fixed.same_dimension("KZT/widget/gadget", "(KZT/gadget)/widget")
    assert not fixed.same_dimension("KZT/widget/gadget", "KZT/widget")


@pytest.mark.parametrize("unit", ["person", "KZT/MCI", "10**10**10*widget", "widget per x",
                                  "(" * 9 + "widget" + ")" * 9, ""])
def test_no_definition_hint_for_units_or_for_what_is_no_unit(units: UnitSystem,
                                                             unit: str) -> None:
    assert units.definition_hint(unit) == ""


@pytest.mark.parametrize(("word", "line"), [
    ("thalers", "thalers: NVT"),
    ("US dollars", "US dollars: NVT"),
    ("thalers:", '"thalers:": NVT'),
    ("# x", '"# x": NVT'),
    ("€", '"€": NVT'),
    ('say "x"', '"say \\"x\\"": NVT'),
])
def test_word_hint_gives_a_yaml_line_that_maps_the_word(word: str, line: str) -> None:
    hint = word_hint(word, "NVT")
    assert hint == f" (if it names NVT, add '{line}' under words: in units.yaml)"
    assert yaml.safe_load(line) == {word: "NVT"}


def test_check_prints_the_line_to_add_for_a_word_of_the_text(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A written 'euros' that units.yaml does not map: the anchoring problem gives the line,
    and the line as printed makes the check pass again."""
    from kzfacts.cli import main

    base = tmp_path / "nordavia"
    shutil.copytree(NORDAVIA, base)
    units = base / "facts" / "units.yaml"
    text = units.read_text(encoding="utf-8")
    assert "  euros: EUR\n" in text
    units.write_text(text.replace("  euros: EUR\n", ""), encoding="utf-8")
    argv = ["check", "--facts", str(base / "facts"), "--rules", str(base / "rules"),
            "--baseline", str(base / "baseline.yaml")]
    assert main(argv) == 1
    out = capsys.readouterr().out
    hint = "(if it names EUR, add 'euros: EUR' under words: in "
    assert re.search(r"fund\.spent\.eur: cannot read '4\.32 million euros': expected a number, "
                     r"optionally followed by a unit word of the units file, found 'euros' "
                     + re.escape(hint) + r"\S*facts/units\.yaml\)", out)
    line = re.search(r"add '([^']+)' under words:", out)
    assert line is not None
    units.write_text(text.replace("  euros: EUR\n", f"  {line[1]}\n"), encoding="utf-8")
    assert main(argv) == 0
