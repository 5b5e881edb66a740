"""The unit registry built without pint's text parser against the one pint's parser builds.

``_direct`` turns the plain one-line definitions (``name = [dimension]``, ``name = 7 * day``,
``percent = 1/100 = %``) into the objects pint's parser makes of them; ``_product`` reads unit
expressions made of defined names, ``*``, ``/`` and parentheses. These tests hold both to
pint's own answers, object for object, and check that everything else still goes to pint
with today's errors.
"""

from __future__ import annotations

import itertools
import shutil
import string
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import Any
from unittest import mock

import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzfacts.data.yaml import read_yaml
from kzfacts.values import units as _units
from kzfacts.values.units import CORE_DEFINITIONS, UnitSystem, _batch, _direct, _product, _registry

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "facts" / "units.yaml"
NORDAVIA = ROOT / "tests" / "examples" / "nordavia" / "facts" / "units.yaml"


def _generated_definitions(tmp: Path) -> tuple[str, ...]:
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks.generate import generate
    finally:
        sys.path.remove(str(ROOT))
    generate(tmp, documents=1, paragraphs=1)
    return tuple(read_yaml(tmp / "d00000" / "facts" / "units.yaml").data["definitions"])


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, ...]:
    return _generated_definitions(tmp_path_factory.mktemp("corpus"))


def _file(path: Path) -> tuple[str, ...]:
    return tuple(read_yaml(path).data["definitions"])


# -- what a registry holds, in full -----------------------------------------------------------

def _number(x: Any) -> tuple[str, Any]:
    return type(x).__name__, x  # Fraction(1) == 1 == 1.0: the type must agree too


def _container(c: Any) -> tuple[Any, ...]:
    return (type(c).__name__, c._non_int_type, _number(c._one),
            tuple((k, *_number(v)) for k, v in c._d.items()))


def _definition(d: Any) -> tuple[Any, ...]:
    position = d.get_position() if hasattr(d, "get_position") else None  # not from the parser
    return (type(d), d.name, d.defined_symbol, d.aliases, repr(d.converter),
            _number(d.converter.scale), _container(d.reference), d.is_base,
            position, getattr(d, "raw", None))


def _snapshot(registry: Any) -> dict[str, Any]:
    """Everything a definition changes in a registry, in insertion order, with types."""
    return {
        "units": [(k, _definition(d)) for k, d in registry._units.items()],
        "dimensions": [(k, type(d), d.name) for k, d in registry._dimensions.items()],
        "base": list(registry._base_units),
        "casei": [(k, sorted(v)) for k, v in registry._units_casei.items()],
        "prefixes": list(registry._prefixes.items()),
        "suffixes": list(registry._suffixes.items()),
        "root group": sorted(registry.get_group("root").members),
        "defaults": dict(registry._defaults),
    }


@contextmanager
def _only(path: str) -> Iterator[None]:
    """Build registries by ``path`` alone: "direct" fails the test if the text path is asked."""
    if path == "direct":
        def refuse(lines: tuple[str, ...]) -> Any:
            raise AssertionError(f"the text path was taken for {lines!r}")
        with mock.patch.object(_units, "_batch", refuse):
            yield
    else:
        with mock.patch.object(_units, "_direct", return_value=None):
            yield


def _system(definitions: tuple[str, ...], path: str) -> UnitSystem:
    with _only(path):
        return UnitSystem(definitions, {})


def _same_registries(lines: tuple[str, ...]) -> tuple[Any, Any]:
    """The registries of the direct and the text path, holding equal definitions."""
    direct, text = _direct(lines), _batch(lines)
    assert direct is not None, lines
    assert text is not None
    assert _snapshot(direct) == _snapshot(text)
    assert direct._units == text._units  # the definition objects themselves compare equal
    return direct, text


def _assert_same_systems(definitions: tuple[str, ...]) -> None:
    """Registries by the direct and the text path answer every question alike."""
    _same_registries((*CORE_DEFINITIONS, *definitions))
    fast, slow = _system(definitions, "direct"), _system(definitions, "text")
    assert fast.unit_names() == slow.unit_names()
    names = [name for name in slow.unit_names() if slow.known(name)]  # not "2" or "€"
    assert [name for name in fast.unit_names() if fast.known(name)] == names
    assert sorted(fast.registry._units) == sorted(slow.registry._units)
    for name in names:
        assert fast.dimension(name) == slow.dimension(name)
        a, b = fast.parse(name), slow.registry.parse_units(name)  # units of two registries
        assert (type(a).__name__, str(a)) == (type(b).__name__, str(b))
        assert _container(a._units) == _container(b._units)
    for a, b in itertools.product(names, repeat=2):
        same = slow.same_dimension(a, b)
        assert fast.same_dimension(a, b) is same
        if same:
            factor = slow.factor(a, b)
            assert type(factor) is Fraction
            assert _number(fast.factor(a, b)) == _number(factor)


# -- the units files ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", [BUNDLED, NORDAVIA], ids=["bundled", "nordavia"])
def test_units_files_build_the_same_registry(path: Path) -> None:
    _assert_same_systems(_file(path))


def test_generated_corpus_builds_the_same_registry(generated: tuple[str, ...]) -> None:
    assert len(generated) >= 5  # the generator's file, not an empty one
    _assert_same_systems(generated)


def test_core_definitions_alone_build_the_same_registry() -> None:
    _assert_same_systems(())
    fast = _system((), "direct")
    assert fast.factor("month", "day") == Fraction(365, 12)
    assert fast.factor("week", "year") == Fraction(7, 365)
    assert fast.factor("%", "percent") == 1
    assert fast.dimension("percent") == "dimensionless"


@pytest.mark.parametrize("path", [BUNDLED, NORDAVIA], ids=["bundled", "nordavia"])
def test_the_direct_path_is_taken_on_this_pint(path: Path) -> None:
    """A silent fall back to the text parser (a pint that moved a class) fails here."""
    assert _units._PINT is not None
    with mock.patch.object(pint.UnitRegistry, "load_definitions",
                           side_effect=AssertionError("the text parser was used")):
        system = _system(_file(path), "direct")
        assert system.known("person") or system.known("household")
        for unit in ("year", "KZT/MCI", "EUR/household", "(year) * (day/week)"):
            if all(system.known(word) for word in unit.replace("(", " ").replace(")", " ")
                   .replace("/", " ").replace("*", " ").split()):
                assert _product(system.registry, unit) is not None, unit


def test_unit_system_uses_the_direct_path(generated: tuple[str, ...]) -> None:
    with _only("direct"):
        _units._cached.cache_clear()
        system = _units.unit_system(generated, {"tenge": "KZT"})
    assert system.words == {"tenge": "KZT"}
    assert system.factor("month", "year") == Fraction(1, 12)


def test_without_pint_internals_the_text_path_gives_the_same() -> None:
    definitions = _file(BUNDLED)
    with mock.patch.object(_units, "_PINT", None):
        assert _direct((*CORE_DEFINITIONS, *definitions)) is None
        system = UnitSystem(definitions, {})
        assert _product(system.registry, "KZT/MCI") is None
        parsed = system.parse("KZT/MCI")
    text = _batch((*CORE_DEFINITIONS, *definitions))
    assert _snapshot(system.registry) == _snapshot(text)
    assert _container(parsed._units) == _container(text.parse_units("KZT/MCI")._units)


# -- any list of plain lines ---------------------------------------------------------------------

_IDENTIFIER = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True)
_UNICODE_NAME = st.sampled_from(["café", "größe", "εργο", "ünit_2", "名前"])
_NAME = st.one_of(_IDENTIFIER, _UNICODE_NAME,
                  st.sampled_from(["in", "if", "or", "lambda", "e", "E", "nano", "Kilo"]))
_ALIAS = st.one_of(_NAME, st.text(alphabet=string.ascii_letters + "%$€µ°'.-+/:~!^&|<>?",
                                  min_size=1, max_size=5))
_NUMBER = st.one_of(st.integers(1, 10**18 - 1).map(str),
                    st.tuples(st.integers(0, 999), st.integers(0, 10**6))
                    .map(lambda t: f"{t[0]}.{t[1]}"))
_SPACE = st.sampled_from(["", " ", "  "])


@st.composite
def _plain_lines(draw: st.DrawFn) -> tuple[str, ...]:
    """Definitions _direct must take: distinct names, valid values, spaces as pint allows."""
    taken: set[str] = {"percent", "%", "year", "years", "month", "months", "week", "weeks",
                       "day", "days"}
    units = ["year", "day", "month"]
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 8))):
        names = draw(st.lists(_NAME, min_size=1, max_size=4, unique=True))
        symbol = draw(st.one_of(st.just("_"), _ALIAS))
        if taken.intersection(names) or (symbol != "_" and (symbol in taken or symbol in names)):
            continue  # a redefinition: the text path's (tested below)
        if "_" in names[1:]:
            continue  # "_" as an alias: pint drops it; the text path's (tested below)
        if symbol == "_" and draw(st.booleans()) and len(names) == 1:
            symbol = ""  # no symbol, no aliases: "name = value"
        taken.update(names)
        if symbol not in ("", "_"):
            taken.add(symbol)
        if any(n in _units._SPECIAL or n.lower() == "nan" for n in names):
            continue  # valid, but not a unit _direct reads values with: drawn below
        sp = draw(_SPACE)
        kind = draw(st.sampled_from(["dimension", "times", "per", "both", "alone", "ratio",
                                     "number"]))
        unit = draw(st.sampled_from(units))
        a, b = draw(_NUMBER), draw(_NUMBER)
        if Fraction(a) == 0 or Fraction(b) == 0:
            continue
        value = {
            "dimension": f"[{draw(_IDENTIFIER)}]",
            "times": f"{a}{sp}*{sp}{unit}",
            "per": f"{unit}{sp}/{sp}{b}",
            "both": f"{a}{sp}*{sp}{unit}{sp}/{sp}{b}",
            "alone": unit,
            "ratio": f"{a}{sp}/{sp}{b}",
            "number": a,
        }[kind]
        if "__obra__" in value or "__cbra__" in value:
            continue
        line = f"{names[0]}{sp} = {value}"
        if symbol:
            line += f" ={sp}{symbol}"
            line += "".join(f" = {alias}" for alias in names[1:])
        lines.append(line)
        if names[0].isascii() and _units._plain_word(names[0]):
            units.append(names[0])
    return tuple(lines)


@given(_plain_lines())
def test_any_plain_lines_build_the_same_registry(lines: tuple[str, ...]) -> None:
    direct, text = _same_registries((*CORE_DEFINITIONS, *lines))
    names = [n for n in text._units if n.isidentifier()]
    for name in names:
        assert direct.parse_units(name).dimensionality == text.parse_units(name).dimensionality
    for a, b in itertools.combinations(names[:8], 2):
        if text.parse_units(a).dimensionality == text.parse_units(b).dimensionality:
            one = text.Quantity(Fraction(1), a).to(b).magnitude
            assert _number(direct.Quantity(Fraction(1), a).to(b).magnitude) == _number(one)


# -- everything else goes to pint, with pint's errors ----------------------------------------------

def _define_one_by_one(lines: tuple[str, ...]) -> Any:
    registry = _registry()
    for line in lines:
        registry.define(line)
    return registry


def _outcome(build: Any, lines: tuple[str, ...]) -> tuple[str, Any]:
    try:
        registry = build(lines)
    except Exception as exc:  # noqa: BLE001 - whatever pint raises, compared below
        return type(exc).__name__, str(exc)
    return "ok", _snapshot(registry)


TEXT_PATH = [
    "person = [person]\nvictim = [victim]",     # two lines in one
    "person = [person]\tcomment",                # a tab: the parser's business
    "person = [person] = _ = persons\u2028x",    # a line separator
    " person = [person]",                        # indented
    "x = [x] = _ = a\x85b",                      # next line: a line break to splitlines
    "x = [x] = _ = a\x00b",                      # control characters: the parser's business
    "x = [x] = _ = a\u200bb",
    "person = [person] # a comment",
    "@alias year = yr",                          # directives
    "@defaults",
    "kilo- = 1000 = k-",                         # a prefix
    "[area] = [length] ** 2",                    # a derived dimension
    "[person]",                                  # a dimension alone
    "2x = [x]",                                  # not a name
    "a b = [ab]",
    "x-y = [xy]",
    "café = [café]",                             # a dimension pint reads, not this path
    "ab = [a__obra__b]",                         # pint's own stand-in for [
    "x = [x] = _ = a b",                         # an alias with a space
    "x = [x] = = y",                             # an empty symbol
    "x = [x] = _ = _ = y",                       # "_" as an alias
    "x = [x] = s = t = ",                        # an empty alias
    "x = [x] = x@y",
    "x = [x] = [y]",
    "degC = kelvin; offset: 273.15",             # an offset unit
    "x = 2 ** 3 * year",                         # powers
    "x = 1e3 * year",                            # exponent notation
    "x = year * 12",                             # the factor after the unit
    "x = 2 * 3 * year",
    "x = 12 * year * day",
    "x = (year) / 12",
    "x = -2 * year",
    "x = year / 0",                              # a division by zero
    "x = 0 * year",
    "x = 0",
    "x = 00 * year",
    "x = 7 * per",                               # words pint's reader rewrites
    "x = 7 * squared",
    "x = sq / 2",
    "x = 2 * nan",
    "x = 2 * NaN",
    "x = 2 * e3",
    "x = 2 * dimensionless",
    "x = 12345678901234567890 * year",           # more digits than the path reads
    "x = 1.1234567890123456789 * year",
    "x = 2 * yéar",
    "x = 1/100 = %",                             # "%" twice (core has it)
    "year = [time]",                             # redefinitions: pint warns and replaces
    "person = [person]",
    "x = [x] = years",
    "x = [x] = _ = x",
    "x = [x] = y = y",
    "",
    "=",
    "x =",
    "x",
    "x = [x] == y",
]


@pytest.mark.parametrize("line", TEXT_PATH)
def test_anything_else_goes_to_pints_parser_with_todays_outcome(line: str) -> None:
    lines = (*CORE_DEFINITIONS, "person = [person]", line)
    assert _direct(lines) is None
    if "\n" not in line and line != "person = [person]":
        assert _direct((*CORE_DEFINITIONS, line)) is None
    ours = _outcome(lambda ls: UnitSystem(ls[len(CORE_DEFINITIONS):], {}).registry, lines)
    batch = _batch(lines)
    today = _outcome(lambda ls: batch if batch is not None else _define_one_by_one(ls), lines)
    assert ours == today


def test_a_bad_line_keeps_pints_message_at_its_line() -> None:
    with pytest.raises(pint.errors.DefinitionSyntaxError) as alone:
        _define_one_by_one((*CORE_DEFINITIONS, "2x = [x]"))
    with pytest.raises(pint.errors.DefinitionSyntaxError) as ours:
        UnitSystem(["person = [person]", "2x = [x]"], {})
    assert str(ours.value) == str(alone.value)
    assert "is not a valid unit name" in str(ours.value)


def test_pint_refusing_a_built_definition_sends_everything_to_the_text_path() -> None:
    lines = (*CORE_DEFINITIONS, "person = [person]")
    with mock.patch.object(pint.UnitRegistry, "_helper_dispatch_adder",
                           side_effect=pint.errors.DefinitionSyntaxError("no")):
        assert _direct(lines) is None


def test_accepted_oddities_build_the_same_registry() -> None:
    """Forms pint takes as written: a digit or a symbol for an alias, a unit for a value."""
    _assert_same_systems(("x = [x] = _ = 2", "y = [y] = € = µy = y'", "z = year = zz",
                          "café = [cafe] = _ = cafés", "w = 2.50 * x = ww", "v = 3",
                          "u = 8 * z / 5"))


# -- unit expressions --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bundled() -> UnitSystem:
    with _only("direct"):
        return UnitSystem(_file(BUNDLED), {})


def _same_unit(a: Any, b: Any) -> None:
    assert type(a) is type(b)
    assert a == b
    assert _container(a._units) == _container(b._units)  # the same names, order and powers


@st.composite
def _expressions(draw: st.DrawFn, words: list[str], depth: int = 0) -> str:
    parts = [draw(st.sampled_from(words)) if depth > 2 or draw(st.booleans())
             else f"({draw(_expressions(words, depth + 1))})"
             for _ in range(draw(st.integers(1, 4)))]
    out = parts[0]
    for part in parts[1:]:
        sp = draw(_SPACE)
        out += f"{sp}{draw(st.sampled_from('*/'))}{sp}{part}"
    return out


_WORDS = ["person", "persons", "people", "case", "KZT", "tenge", "MCI", "USD", "year", "month",
          "percent", "day"]


@given(_expressions(_WORDS).filter(lambda unit: len(unit) <= 200))
def test_expressions_read_as_pint_reads_them(bundled: UnitSystem, unit: str) -> None:
    ours = _product(bundled.registry, unit)
    assert ours is not None, unit
    _same_unit(ours, bundled.registry.parse_units(unit))
    _same_unit(bundled.parse(unit), bundled.registry.parse_units(unit))


@pytest.mark.parametrize("unit", [
    "KZT/MCI", "KZT / MCI", "(case) * (person/case)", "person/person", "person/persons",
    "KZT*KZT/KZT", "person/case*case", "(KZT/(MCI/person))/person", " KZT ", "year/day",
])
def test_the_units_rules_write_read_as_pint_reads_them(bundled: UnitSystem, unit: str) -> None:
    ours = _product(bundled.registry, unit)
    assert ours is not None
    _same_unit(ours, bundled.registry.parse_units(unit))


@pytest.mark.parametrize("unit", [
    "", "%", "KZT MCI", "kiloperson", "KZTs", "KZT/", "/KZT", "(KZT", "KZT)", "()", "KZT**2",
    "2*KZT", "KZT per MCI", "dimensionless", "nan", "((((((((((KZT))))))))))", "KZT//MCI",
    "mKZT", "KZT^2",
])
def test_anything_else_is_left_to_pint(bundled: UnitSystem, unit: str) -> None:
    assert _product(bundled.registry, unit) is None


def test_left_to_pint_gives_pints_answer(bundled: UnitSystem) -> None:
    for unit in ("%", "KZT MCI", "KZT per MCI", "((((((((((KZT))))))))))"):
        _same_unit(bundled.parse(unit), bundled.registry.parse_units(unit))
    for unit in ("kiloperson", "KZT/", "()", "(KZT", "*"):  # pint: undefined, assert, tokenizer
        with pytest.raises(ValueError, match="is not defined"):
            bundled.parse(unit)


def test_offset_units_are_left_to_pint() -> None:
    """In a product pint reads an offset unit as its delta_ unit: not this path's business."""
    system = UnitSystem(["kelvin = [temperature]", "degC = kelvin; offset: 273.15"], {})
    assert _product(system.registry, "degC/year") is None
    _same_unit(system.parse("degC/year"), system.registry.parse_units("degC/year"))
    assert "delta_degC" in str(system.parse("degC/year"))
    _same_unit(_product(system.registry, "kelvin/year"),
               system.registry.parse_units("kelvin/year"))


def test_every_short_expression_reads_as_pint_reads_it_or_goes_to_pint() -> None:
    """Every string of up to five tokens: where pint refuses, the direct reader must too."""
    system = UnitSystem(["a = [a] = _ = aa", "b = 2 * a", "c = [c]"], {})
    registry = system.registry
    tokens = ["a", "aa", "b", "c", "*", "/", "(", ")"]
    read = refused = 0
    for n in range(1, 6):
        for parts in itertools.product(tokens, repeat=n):
            unit = " ".join(parts) if n % 2 else "".join(parts)  # with and without spaces
            ours = _product(registry, unit)
            try:
                theirs = registry.parse_units(unit)
            except Exception:  # noqa: BLE001 - pint refuses in many ways
                assert ours is None, unit
                refused += 1
                continue
            if ours is not None:
                _same_unit(ours, theirs)
                read += 1
    assert read > 400  # "a/(aa*b)" and the like: 414
    assert refused > 30_000  # "a/", "(a", "*a", "a**": 33,978


@pytest.mark.parametrize("unit", ["EUR/", "(EUR", "*EUR"])
def test_a_unit_pint_cannot_read_is_a_located_error(tmp_path: Path, unit: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """pint asserts on "EUR/" and its tokenizer fails on "(EUR": an error at the fact, exit 2."""
    from kzfacts.cli import main

    base = tmp_path / "nordavia"
    shutil.copytree(NORDAVIA.parent.parent, base)
    facts = base / "facts" / "p11.yaml"
    text = facts.read_text(encoding="utf-8")
    assert text.count("unit: EUR,") >= 1
    facts.write_text(text.replace("unit: EUR,", f"unit: '{unit}',", 1), encoding="utf-8")
    code = main(["check", "--no-cache", "--facts", str(base / "facts"),
                 "--rules", str(base / "rules")])
    out = capsys.readouterr()
    assert code == 2
    assert f"expected a unit of the units file (did you mean 'EUR'?), found {unit!r}" in (
        out.out + out.err)
    assert "Traceback" not in out.out + out.err


def test_a_registry_without_the_expected_table_is_left_to_pint() -> None:
    class Other:
        _units = None
    assert _product(Other(), "a") is None
    assert _product(object(), "a") is None
