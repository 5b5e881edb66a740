"""The safe YAML reader: plain data only, every refusal located."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest

from kzfacts import DataError, Location
from kzfacts.data.yaml import MAX_FILE_BYTES, FloatLiteral, parse_yaml, read_yaml


def test_plain_data_and_locations() -> None:
    doc = parse_yaml("paragraph: 18\nfacts:\n  - id: a.b\n    value: 64\n", "p18.yaml")
    assert doc.data == {"paragraph": 18, "facts": [{"id": "a.b", "value": 64}]}
    assert doc.where(("facts", 0, "value")) == Location("p18.yaml", 4, 12)
    assert doc.where(("facts", 0)) == Location("p18.yaml", 3, 5)
    # an unknown path falls back to its nearest located ancestor
    assert doc.where(("facts", 0, "nope")) == Location("p18.yaml", 3, 5)


@pytest.mark.parametrize(("text", "line", "column", "field", "first"), [
    ("a: 1\nb: 2\na: 3\n", 3, 1, "a", 1),
    ("x:\n  a: 1\n  b: 2\n  a: 3\n", 4, 3, "x.a", 2),
    ("- id: one\n  value: 1\n  value: 2\n", 3, 3, "[0].value", 2),
])
def test_duplicate_key(text: str, line: int, column: int, field: str, first: int) -> None:
    with pytest.raises(DataError) as info:
        parse_yaml(text, "dup.yaml")
    err = info.value
    assert err.location == Location("dup.yaml", line, column)
    assert err.field == field
    assert f"first at line {first}" in err.found


@pytest.mark.parametrize("text", [
    '!!python/object/apply:os.system ["echo hi"]\n',
    'a: !!python/object/apply:os.system ["echo hi"]\n',
    "a: !!python/name:os.system\n",
    "a: !custom 5\n",
    "a: !!binary aGk=\n",
    "a: !<tag:example.com,2024:thing> 5\n",
])
def test_tags_refused(text: str) -> None:
    with pytest.raises(DataError) as info:
        parse_yaml(text, "tag.yaml")
    assert "tag" in info.value.found
    assert info.value.location.file == "tag.yaml"
    assert info.value.location.line == 1


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
    with pytest.raises(DataError) as info:
        parse_yaml(text, "bomb.yaml")
    elapsed = time.perf_counter() - started
    assert "alias" in info.value.found
    assert elapsed < 10  # 9**9 nodes if expanded; refused after a bounded count


def test_small_alias_use_allowed() -> None:
    doc = parse_yaml("a: &x [1, 2]\nb: *x\n", "ok.yaml")
    assert doc.data == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize("text", [
    "[" * 200 + "]" * 200 + "\n",
    "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "leaf\n",
])
def test_deep_nesting_refused(text: str) -> None:
    with pytest.raises(DataError) as info:
        parse_yaml(text, "deep.yaml")
    assert "nesting" in info.value.expected


def test_moderate_nesting_allowed() -> None:
    doc = parse_yaml("[" * 20 + "]" * 20 + "\n", "ok.yaml")
    value = doc.data
    for _ in range(19):
        assert isinstance(value, list)
        assert len(value) == 1
        value = value[0]
    assert value == []


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


@pytest.mark.parametrize(("text", "line"), [
    ("a: 1\r\nb: 2\r\n", 1),
    ("a: 1\nb: 2\r\n", 2),
    ("a: 1\nb: 2\nc: 3\rd: 4\n", 3),
])
def test_crlf_refused(text: str, line: int) -> None:
    with pytest.raises(DataError) as info:
        parse_yaml(text, "crlf.yaml")
    assert info.value.location == Location("crlf.yaml", line, 1)
    assert "CR" in info.value.found


def test_merge_key_refused() -> None:
    with pytest.raises(DataError, match="merge key"):
        parse_yaml("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", "m.yaml")


def test_several_documents_refused() -> None:
    with pytest.raises(DataError) as info:
        parse_yaml("a: 1\n---\nb: 2\n", "two.yaml")
    assert info.value.location.line == 3


def test_malformed_yaml_is_located() -> None:
    with pytest.raises(DataError) as info:
        parse_yaml("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml")
    assert info.value.location.file == "bad.yaml"
    assert info.value.location.line >= 2
    assert info.value.expected == "well-formed YAML"


def test_empty_document() -> None:
    assert parse_yaml("", "e.yaml").data is None
    assert parse_yaml("# only a comment\n", "e.yaml").data is None


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
    with pytest.raises(DataError) as info:
        parse_yaml("a: 1\na: 2\n", "dup.yaml")
    assert str(info.value).startswith("dup.yaml:2:1: a: expected each key once")


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "a: &a {b: *a}\n", "&a [1, *a]\n"])
def test_recursive_alias_refused(text: str) -> None:
    with pytest.raises(DataError) as info:
        parse_yaml(text, "loop.yaml")
    assert info.value.location.file == "loop.yaml"


def test_undefined_alias_is_located() -> None:
    with pytest.raises(DataError) as info:
        parse_yaml("a: 1\nb: *nope\n", "alias.yaml")
    assert info.value.location == Location("alias.yaml", 2, 4)
    assert "nope" in info.value.found


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
