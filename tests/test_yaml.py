"""The safe YAML reader: plain data only, every refusal located."""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from kzfacts import DataError, Location
from kzfacts.data import yaml as _yaml
from kzfacts.data.yaml import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_INT_CHARS,
    FloatLiteral,
    parse_yaml,
    read_yaml,
)

#: libyaml's loader (when PyYAML has it) and the pure-Python one: kzfacts reads the same
#: with either, and refuses the same.
LOADERS = pytest.mark.parametrize("loader", [
    pytest.param(_yaml._Loader, id="default"),
    pytest.param(_yaml._loader(yaml.SafeLoader), id="pure-python"),
])


@pytest.fixture
def both(monkeypatch: pytest.MonkeyPatch, loader: Any) -> None:
    monkeypatch.setattr(_yaml, "_Loader", loader)


def _refused(text: str, name: str = "f.yaml") -> DataError:
    with pytest.raises(DataError) as info:
        parse_yaml(text, name)
    return info.value


def test_plain_data_and_locations() -> None:
    doc = parse_yaml("paragraph: 18\nfacts:\n  - id: a.b\n    value: 64\n", "p18.yaml")
    assert doc.data == {"paragraph": 18, "facts": [{"id": "a.b", "value": 64}]}
    assert doc.where(("facts", 0, "value")) == Location("p18.yaml", 4, 12)
    assert doc.where(("facts", 0)) == Location("p18.yaml", 3, 5)
    # an unknown path falls back to its nearest located ancestor
    assert doc.where(("facts", 0, "nope")) == Location("p18.yaml", 3, 5)


@LOADERS
@pytest.mark.usefixtures("both")
def test_flow_collections_are_located_node_by_node() -> None:
    doc = parse_yaml("paragraph: 18\nfacts:\n  - {id: a.b, value: 64, share: 7.8}\n", "p.yaml")
    assert doc.data == {"paragraph": 18, "facts": [{"id": "a.b", "value": 64, "share": "7.8"}]}
    assert type(doc.data["facts"][0]["share"]) is FloatLiteral
    assert doc.where(("facts", 0, "share")) == Location("p.yaml", 3, 33)
    assert doc.where(("facts", 0, "value")) == Location("p.yaml", 3, 22)
    assert doc.where(()) == Location("p.yaml", 1, 1)
    assert parse_yaml("a: [1, x]\n", "f.yaml").where(("a", 1)) == Location("f.yaml", 1, 8)


@pytest.mark.parametrize(("text", "line", "column", "field", "first"), [
    ("a: 1\nb: 2\na: 3\n", 3, 1, "a", 1),
    ("x:\n  a: 1\n  b: 2\n  a: 3\n", 4, 3, "x.a", 2),
    ("- id: one\n  value: 1\n  value: 2\n", 3, 3, "[0].value", 2),
])
def test_duplicate_key(text: str, line: int, column: int, field: str, first: int) -> None:
    err = _refused(text, "dup.yaml")
    assert err.location == Location("dup.yaml", line, column)
    assert err.field == field
    assert f"first at line {first}" in err.found


@pytest.mark.parametrize(("text", "found"), [
    ("1: a\n+1: b\n", "'+1' again (first at line 1 as '1')"),
    ("true: a\nTrue: b\n", "'True' again (first at line 1 as 'true')"),
    ("null: a\n~: b\n", "'~' again (first at line 1 as 'null')"),
    ("1.0: a\n1.00: b\n", "'1.00' again (first at line 1 as '1.0')"),
    ("1: a\n1.0: b\n", "'1.0' again (first at line 1 as '1')"),
    (".inf: a\n+.Inf: b\n", "'+.Inf' again (first at line 1 as '.inf')"),
    ("{x: 1, 'x': 2}\n", "'x' again (first at line 1)"),
    ("1: a\ntrue: b\n", "'true' again (first at line 1 as '1')"),  # equal values in Python
])
def test_keys_are_the_same_when_their_values_are(text: str, found: str) -> None:
    err = _refused(text)
    assert err.location.line == 2 or text.startswith("{")
    assert err.expected == "each key once in a mapping"
    assert err.found == found


def test_a_key_with_a_leading_zero_is_refused_not_a_second_key() -> None:
    err = _refused("1: a\n01: b\n")
    assert err.location == Location("f.yaml", 2, 1)
    assert err.found == "'01' (write it in decimal, or in quotes for text)"


def test_keys_of_different_values_are_different_keys() -> None:
    doc = parse_yaml("1: a\n'1': b\nfalse: c\nyes: d\n1.5: e\nnull: f\n'null': g\n", "k.yaml")
    assert doc.data == {1: "a", "1": "b", False: "c", "yes": "d", "1.5": "e", None: "f",
                        "null": "g"}
    assert doc.where((1,)) == Location("k.yaml", 1, 4)
    assert doc.where(("1",)) == Location("k.yaml", 2, 6)


@pytest.mark.parametrize("text", [
    '!!python/object/apply:os.system ["echo hi"]\n',
    'a: !!python/object/apply:os.system ["echo hi"]\n',
    "a: !!python/name:os.system\n",
    "a: !custom 5\n",
    "a: !!binary aGk=\n",
    "a: !<tag:example.com,2024:thing> 5\n",
    # the standard tags too: none is needed, and each reads leniently elsewhere
    "a: !!int 0X10\n", "a: !!bool maybe\n", "a: !!str 64\n", "a: !!float 1\n",
    "a: !!null x\n", "a: !!map {}\n", "a: !!seq []\n", "a: ! 5\n",
    "a: !<tag:yaml.org,2002:str> x\n", "!!str a: 1\n", "%TAG !e! tag:yaml.org,2002:\n---\na: !e!int 5\n",
])
@LOADERS
@pytest.mark.usefixtures("both")
def test_tags_refused(text: str) -> None:
    err = _refused(text, "tag.yaml")
    assert err.expected == "plain YAML data without tags"
    assert err.found.startswith("the tag ")
    assert err.location.file == "tag.yaml"
    assert err.location.line == text.count("\n")


def test_python_tag_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f'!!python/object/apply:os.system ["touch {marker}"]\n'
    with pytest.raises(DataError):
        parse_yaml(text, "evil.yaml")
    text = f'a: !!python/object/apply:pathlib.Path.touch [!!python/object/apply:pathlib.Path ["{marker}"]]\n'
    with pytest.raises(DataError):
        parse_yaml(text, "evil.yaml")
    assert not marker.exists()


def _alias_bomb(levels: int = 9, width: int = 9) -> str:
    names = [f"l{i}" for i in range(levels)]
    lines = [f"{names[0]}: &{names[0]} [" + ", ".join(["lol"] * width) + "]"]
    for prev, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_refused_quickly() -> None:
    text = _alias_bomb()
    started = time.perf_counter()
    err = _refused(text, "bomb.yaml")
    elapsed = time.perf_counter() - started
    assert "aliases" in err.expected
    assert err.location == Location("bomb.yaml", 1, 5)
    assert elapsed < 10  # 9**9 nodes if expanded; refused at the first anchor


@pytest.mark.parametrize(("text", "where", "found"), [
    ("a: &x [1, 2]\nb: *x\n", (1, 4), "the anchor &x (write the value out)"),
    ("a: &x 1\n", (1, 4), "the anchor &x (write the value out)"),
    ("- &k key: 1\n", (1, 3), "the anchor &k (write the value out)"),
    ("a: 1\nb: *x\n", (2, 4), "the alias *x (write the value out)"),
])
@LOADERS
@pytest.mark.usefixtures("both")
def test_anchors_and_aliases_refused(text: str, where: tuple[int, int], found: str) -> None:
    err = _refused(text)
    assert err.location == Location("f.yaml", *where)
    assert err.expected == ("plain data without anchors (&) or aliases (*): kzfacts does not "
                            "read them")
    assert err.found == found


@pytest.mark.parametrize("text", [
    "[" * 200 + "]" * 200 + "\n",
    "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "leaf\n",
])
def test_deep_nesting_refused(text: str) -> None:
    assert "nesting" in _refused(text, "deep.yaml").expected


def test_moderate_nesting_allowed() -> None:
    doc = parse_yaml("[" * 20 + "]" * 20 + "\n", "ok.yaml")
    value = doc.data
    for _ in range(19):
        assert isinstance(value, list)
        assert len(value) == 1
        value = value[0]
    assert value == []


def _nested_lists(levels: int) -> str:
    return "[" * levels + "]" * levels + "\n"


def _nested_maps(levels: int) -> str:
    return "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "leaf\n"


@pytest.mark.parametrize(("make", "where"), [(_nested_lists, (1, MAX_DEPTH)),
                                             (_nested_maps, (MAX_DEPTH, 2 * MAX_DEPTH - 1))])
@LOADERS
@pytest.mark.usefixtures("both")
def test_depth_limit(make: Any, where: tuple[int, int]) -> None:
    """64 levels of collections read; the 65th is refused as it is composed, at the
    collection it opens in (or the key it is the value of), with the limit."""
    assert parse_yaml(make(MAX_DEPTH), "deep.yaml").data is not None
    err = _refused(make(MAX_DEPTH + 1), "deep.yaml")
    assert str(err) == (f"deep.yaml:{where[0]}:{where[1]}: expected nesting at most {MAX_DEPTH} "
                        f"deep, found {MAX_DEPTH + 1} levels")


@LOADERS
@pytest.mark.usefixtures("both")
@pytest.mark.parametrize("limit", [10, 1000])
def test_too_many_nodes_refused_where_the_limit_is_passed(
        monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    monkeypatch.setattr(_yaml, "MAX_NODES", limit)
    err = _refused("a:\n" + "  - 1\n" * (limit - 1), "big.yaml")  # the mapping, a, the list
    assert str(err) == (f"big.yaml:2:3: expected at most {limit:,} nodes (keys, values and "
                        "collections), found more")  # in the list that starts there
    assert len(parse_yaml("a:\n" + "  - 1\n" * (limit - 3), "big.yaml").data["a"]) == limit - 3


def test_text_over_the_size_limit_refused_before_it_is_parsed() -> None:
    err = _refused("a: [" + "1, " * (MAX_FILE_BYTES // 3) + "]\n", "big.yaml")
    assert err.location == Location("big.yaml")
    assert err.expected == f"a file of at most {MAX_FILE_BYTES:,} bytes"
    # counted in UTF-8 bytes, not characters
    err = _refused("a: " + "é" * (MAX_FILE_BYTES // 2) + "\n", "big.yaml")
    assert err.found == f"{3 + MAX_FILE_BYTES + 1:,} bytes"


@pytest.mark.parametrize(("literal", "text"), [
    ("7.8", "7.8"), ("6.02e+23", "6.02e+23"), (".nan", ".nan"), ("-.inf", "-.inf"), ("0.1", "0.1"),
])
def test_floats_stay_text(literal: str, text: str) -> None:
    doc = parse_yaml(f"value: {literal}\n", "f.yaml")
    value = doc.data["value"]
    assert isinstance(value, FloatLiteral)
    assert str(value) == text


@pytest.mark.parametrize(("text", "expected"), [
    ('value: "7.8"\n', "7.8"),
    ("value: 64\n", 64),
    ("value: null\n", None),
    ("value: true\n", True),
    ("value: 2021-07-19\n", "2021-07-19"),
])
def test_scalars(text: str, expected: object) -> None:
    value = parse_yaml(text, "s.yaml").data["value"]
    assert not isinstance(value, FloatLiteral)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(("plain", "expected"), [
    # null and booleans: YAML 1.2's words only
    ("~", None), ("null", None), ("Null", None), ("NULL", None), ("", None),
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False),
    ("FALSE", False),
    # YAML 1.1's other booleans stay text: a number field refuses them, a text field keeps them
    ("yes", "yes"), ("No", "No"), ("ON", "ON"), ("off", "off"), ("y", "y"), ("n", "n"),
    ("nULL", "nULL"), ("tRUE", "tRUE"),
    # decimal integers
    ("0", 0), ("64", 64), ("-5", -5), ("+3", 3), ("-0", 0), ("9" * MAX_INT_CHARS, int("9" * 64)),
    # what YAML 1.1 reads as text stays text, even where YAML 1.2 reads a number
    ("0o17", "0o17"), ("1e3", "1e3"), ("+.5", "+.5"), ("0X10", "0X10"), ("08", "08"),
    ("1,000", "1,000"), ("٣", "٣"), ("１", "１"), ("2021-07-19", "2021-07-19"), ("=", "="),
    ("<<", "<<"), ("1 person/case", "1 person/case"),
])
def test_one_rule_for_plain_scalars(plain: str, expected: object) -> None:
    value = parse_yaml(f"v: {plain}\n", "f.yaml").data["v"]
    assert value == expected
    assert type(value) is type(expected)
    quoted = parse_yaml(f"v: '{plain}'\n", "f.yaml").data["v"]
    assert (quoted, type(quoted)) == (plain, str)  # quoted: text, whatever it says


@pytest.mark.parametrize("plain", [".5", "1.", "7.8", "-1.5e+3", ".inf", "-.Inf", ".NAN", "1_0.5",
                                   "1:30.5"])
def test_yaml_floats_are_kept_as_written(plain: str) -> None:
    value = parse_yaml(f"v: {plain}\n", "f.yaml").data["v"]
    assert (type(value), value) == (FloatLiteral, plain)


@pytest.mark.parametrize("plain", ["012", "-012", "00", "0x1F", "0b101", "1_000", "1:30", "07"])
@pytest.mark.parametrize("form", ["v: {}\n", "{}: v\n", "- [{}]\n"])
def test_integer_forms_readers_disagree_on_are_refused(plain: str, form: str) -> None:
    err = _refused(form.format(plain))
    assert err.location == Location("f.yaml", 1, form.index("{") + 1)
    assert err.expected.startswith("a decimal integer without leading zeros")
    assert err.found == f"{plain!r} (write it in decimal, or in quotes for text)"


def test_long_integers_refused_before_they_are_converted() -> None:
    err = _refused("v: " + "9" * 5000 + "\n")
    assert err.expected == f"an integer of at most {MAX_INT_CHARS} characters"
    assert err.found.endswith("(5,000 characters)")
    assert _refused("v: 0x" + "f" * 4000 + "\n").found.endswith("(4,002 characters)")


@pytest.mark.parametrize(("text", "where", "char"), [
    ('a: "\\0"\n', (1, 4), "U+0000"),
    ('a: "x\\x00"\n', (1, 4), "U+0000"),
    ('a: "\\e[31m"\n', (1, 4), "U+001B"),
    ('"\\x07": 1\n', (1, 1), "U+0007"),
    ('a:\n  - "\\uffff"\n', (2, 5), "U+FFFF"),
])
@LOADERS
@pytest.mark.usefixtures("both")
def test_escapes_of_unprintable_characters_refused(text: str, where: tuple[int, int],
                                                   char: str) -> None:
    err = _refused(text)
    assert err.location == Location("f.yaml", *where)
    assert err.expected == "printable text"
    assert err.found == f"the character {char} (written as an escape)"


@pytest.mark.parametrize("escape", ["\\U00110000", "\\UFFFFFFFF", "\\ud800", "\\udfff"])
@LOADERS
@pytest.mark.usefixtures("both")
def test_escapes_of_no_character_refused(escape: str) -> None:
    err = _refused(f'a: 1\nb: "x{escape}"\n')
    assert err.location.line == 2
    assert err.location.column in (4, 6)  # the escape, or the quote it is in
    assert "U+" in err.expected or "U+" in err.found


@pytest.mark.parametrize(("text", "where", "char"), [
    ("a: x\x00\n", (1, 5), "U+0000"), ("a: x\x1b[31m\n", (1, 5), "U+001B"),
    ("a: 1\nb: \ud800\n", (2, 4), "U+D800"), ("a: \ufffe\n", (1, 4), "U+FFFE"),
    ("# \x7f\n", (1, 3), "U+007F"), ("\ufeff!!str x\n", (1, 1), "U+FEFF"),
    ("a: [x, \ufeff&a y]\n", (1, 8), "U+FEFF"),
])
def test_unprintable_text_refused(text: str, where: tuple[int, int], char: str) -> None:
    err = _refused(text)
    assert str(err) == f"f.yaml:{where[0]}:{where[1]}: expected printable text, found the character {char}"


@pytest.mark.parametrize(("text", "line"), [
    ("a: 1\r\nb: 2\r\n", 1),
    ("a: 1\nb: 2\r\n", 2),
    ("a: 1\nb: 2\nc: 3\rd: 4\n", 3),
])
def test_crlf_refused(text: str, line: int) -> None:
    err = _refused(text, "crlf.yaml")
    assert err.location == Location("crlf.yaml", line, 1)
    assert "CR" in err.found


@pytest.mark.parametrize(("text", "found"), [
    ("base: {x: 1}\nother:\n  <<: {x: 2}\n  y: 2\n",
     "the merge key '<<', which kzfacts does not read (write the keys out)"),
    ("? [a, b]\n: 1\n", "a list as a key"),
    ("? {a: 1}\n: 1\n", "a mapping as a key"),
])
def test_merge_and_complex_keys_refused(text: str, found: str) -> None:
    err = _refused(text, "m.yaml")
    assert err.expected == "a plain scalar key"
    assert err.found == found
    assert parse_yaml("'<<': 1\n", "m.yaml").data == {"<<": 1}  # quoted, a key like any other


def test_several_documents_refused() -> None:
    err = _refused("a: 1\n---\nb: 2\n---\nc: 3\n", "two.yaml")
    assert str(err) == "two.yaml:3:1: expected one YAML document, found 3 documents"


def test_empty_document() -> None:
    assert parse_yaml("", "e.yaml").data is None
    assert parse_yaml("# only a comment\n", "e.yaml").data is None


# Syntax errors: the common mistakes say what to write, at the line and column to fix.
SYNTAX = [
    ("a:\n  b: 1\n\tc: 2\n",
     "3:1: expected spaces to indent, found a tab (YAML does not allow tabs in indentation: "
     "use spaces)"),
    ("a:\n  - x: 1\n  \t y: 2\n",
     "3:3: expected spaces to indent, found a tab (YAML does not allow tabs in indentation: "
     "use spaces)"),
    ("facts:\n  - id: a\n    kind: count\n   unit: p\n",
     "4:4: expected the key at column 5 as on line 3, or at the column of an enclosing block, "
     "found column 4"),
    ("a:\n  b: 1\n    c: 2\n",
     "3:5: expected the key at column 3 as on line 2, or at the column of an enclosing block, "
     "found column 5"),
    ("a:\n  - 1\n - 2\n",
     "3:2: expected '-' at column 3 as on line 2, or at the column of an enclosing block, "
     "found column 2"),
    ("a: 1\n- 2\n", "2:1: expected a key (key: value) as on line 1, found a list item"),
    ("- 1\nb: 2\n", "2:1: expected a list item ('- ') as on line 1, found a key"),
    ('a: 1\nb: "abc\nc: 2\n',
     '2:4: expected a closing " for the quote that opens here, found the end of the file '
     '(close the quote; inside double quotes write \\" for a quote)'),
    ('a: "abc\nb: "x"\n',
     '1:4: expected a closing " on line 1, found a quote that runs on to line 2 (close the '
     'quote; inside double quotes write \\" for a quote)'),
    ("a: 'it's'\nb: 1\n",
     "1:4: expected the value to end at its closing ', found more text after it, at column 8 "
     "(close the quote; inside single quotes write '' for a quote)"),
    ("a: [1, 2\nb: 3\n",
     "1:4: expected a ']' to close the list that opens here, found no ']' before line 2, "
     "column 2 (close the list on its line; put ',' between its items)"),
    ("a: {x: 1\n",
     "1:4: expected a '}' to close the mapping that opens here, found no '}' before the end "
     "of the file (close the mapping on its line; put ',' between its items)"),
    ("a: 1\nb 2\nc: 3\n", "2:1: expected a key followed by ':' (key: value), found 'b 2' without ':'"),
    ("- id: a\n  kind\n  value: 1\n",
     "2:3: expected a key followed by ':' (key: value), found 'kind' without ':'"),
    ("facts\n  - id: a\n", "1:1: expected a key followed by ':' (key: value), found 'facts' without ':'"),
    ("a:1\nb: 2\n", "1:2: expected a space after ':' (key: value), found 'a:1'"),
    ("subject: persons: convicted\n",
     "1:17: expected a value without ': ' in it, found a second ': ' on the line (put the value "
     "in quotes)"),
    ("a: @x\n", "1:4: expected a value (text that starts with '@' must be quoted), found '@'"),
    ("a: [1, 2]]\n", "1:10: expected nothing more after the value, found a ']' that closes nothing"),
    ('a: "\\q"\n',
     "1:5: expected an escape such as \\n, \\\", \\\\ or \\u00e9 for a character up to U+10FFFF "
     "(not a surrogate), found '\\q', which is no escape (write \\\\ for a backslash)"),
]


@pytest.mark.parametrize(("text", "message"), SYNTAX)
def test_syntax_errors_say_the_fix(text: str, message: str) -> None:
    assert str(_refused(text)) == f"f.yaml:{message}"


@pytest.mark.parametrize(("text", "message"), SYNTAX)
def test_syntax_errors_without_libyaml_are_located_the_same(
        monkeypatch: pytest.MonkeyPatch, text: str, message: str) -> None:
    """PyYAML's two parsers word their errors differently; the line to fix is the same."""
    monkeypatch.setattr(_yaml, "_Loader", _yaml._loader(yaml.SafeLoader))
    assert str(_refused(text)).split(": ")[0] == f"f.yaml:{message}".split(": ")[0]


def test_rare_syntax_errors_are_located() -> None:
    err = _refused("a: 1\n... x\n")
    assert (err.location, err.expected) == (Location("f.yaml", 2, 5), "well-formed YAML")
    assert not err.found.startswith("found")


def test_read_yaml_ok(tmp_path: Path) -> None:
    file = tmp_path / "ok.yaml"
    file.write_bytes("title: Qazaqstan — “ok”\n".encode())
    doc = read_yaml(file, display="facts/ok.yaml")
    assert doc.data == {"title": "Qazaqstan — “ok”"}
    assert doc.path == "facts/ok.yaml"


def test_read_yaml_bom(tmp_path: Path) -> None:
    file = tmp_path / "bom.yaml"
    file.write_bytes(b"\xef\xbb\xbfa: 1\n")
    with pytest.raises(DataError) as info:
        read_yaml(file, display="bom.yaml")
    assert info.value.location == Location("bom.yaml", 1, 1)
    assert "byte-order mark" in info.value.found


@pytest.mark.parametrize(("raw", "line", "column", "byte"), [
    (b"a: 1\nb: caf\xe9\n", 2, 7, "0xe9"),
    (b"\xffa: 1\n", 1, 1, "0xff"),
    (b"a: 1\nb: 2\nc: x\xc3(\n", 3, 5, "0xc3"),
])
def test_read_yaml_invalid_utf8(tmp_path: Path, raw: bytes, line: int, column: int,
                                byte: str) -> None:
    file = tmp_path / "latin1.yaml"
    file.write_bytes(raw)
    with pytest.raises(DataError) as info:
        read_yaml(file, display="latin1.yaml")
    assert info.value.location == Location("latin1.yaml", line, column)
    assert byte in info.value.found


def test_read_yaml_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        read_yaml(tmp_path / "nope.yaml", display="nope.yaml")
    assert info.value.location.file == "nope.yaml"
    assert info.value.expected == "a readable file"


def test_data_error_str_has_location() -> None:
    assert str(_refused("a: 1\na: 2\n", "dup.yaml")).startswith(
        "dup.yaml:2:1: a: expected each key once")


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "a: &a {b: *a}\n", "&a [1, *a]\n"])
def test_recursive_alias_refused(text: str) -> None:
    assert _refused(text, "loop.yaml").location.file == "loop.yaml"


def test_undefined_alias_is_located() -> None:
    err = _refused("a: 1\nb: *nope\n", "alias.yaml")
    assert err.location == Location("alias.yaml", 2, 4)
    assert "nope" in err.found


@pytest.mark.parametrize(("size", "ok"), [(MAX_FILE_BYTES, True), (MAX_FILE_BYTES + 1, False)])
def test_read_yaml_size_limit(tmp_path: Path, size: int, ok: bool) -> None:
    file = tmp_path / "big.yaml"
    file.write_bytes(b"a: 1\n" + b"#" * (size - 6) + b"\n")
    assert file.stat().st_size == size
    if ok:
        assert read_yaml(file).data == {"a": 1}
    else:
        with pytest.raises(DataError) as info:
            read_yaml(file, display="big.yaml")
        assert info.value.location == Location("big.yaml")
        assert f"{size:,} bytes" in info.value.found
