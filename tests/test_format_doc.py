"""docs/format.md says what the number reader and the rules accept: held to the code.

The table of qualifiers is read from the document, each row checked against
:func:`kzfacts.read_number`; every qualifier word the reader knows has a row; a rule's
constant is exact, as the document says.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import kzfacts
from kzfacts.values.numbers import _BOUND_SUFFIXES, _QUALIFIER_WORDS

ROOT = Path(__file__).resolve().parents[1]
FORMAT = ROOT / "docs" / "format.md"
HEADER = "| written | qualifier | admits (rounded) | admits (truncated) |"
_ROW = re.compile(r"^\| `(?P<written>[^`]+)` \| (?P<qualifier>\w+) \| (?P<rounded>[^|]+) \| "
                  r"(?P<truncated>[^|]+) \|$")


def documented() -> list[dict[str, str]]:
    lines = FORMAT.read_text(encoding="utf-8").splitlines()
    start = lines.index(HEADER) + 2  # the header, then its |---| line
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        m = _ROW.match(line)
        assert m is not None, f"a row the test cannot read: {line}"
        rows.append({k: v.strip() for k, v in m.groupdict().items()})
    return rows


def test_the_table_is_there() -> None:
    rows = documented()
    assert len(rows) >= 25
    assert {r["qualifier"] for r in rows} == {q.value for q in kzfacts.Qualifier}


@pytest.mark.parametrize("row", documented(), ids=lambda r: r["written"])
def test_each_documented_interval_is_what_the_reader_gives(row: dict[str, str]) -> None:
    reading = kzfacts.read_number(row["written"])
    assert reading.qualifier.value == row["qualifier"]
    assert str(reading.interval(convention="round")) == row["rounded"]
    assert str(reading.interval(convention="truncate")) == row["truncated"]


def test_every_qualifier_word_of_the_reader_is_documented() -> None:
    written = [r["written"].lower() for r in documented()]
    words = [w for w, _ in _QUALIFIER_WORDS]
    missing = [w for w in words if not any(x.startswith(w + " ") for x in written)]
    missing += [s for s, _ in _BOUND_SUFFIXES if not any(x.endswith(s) for x in written)]
    assert missing == []


@pytest.mark.parametrize("word", ["nearly", "almost", "roughly"])
def test_words_the_document_says_are_not_read_are_not(word: str) -> None:
    assert f"`{word}`" in FORMAT.read_text(encoding="utf-8")
    with pytest.raises(kzfacts.ReadError, match="expected a number"):
        kzfacts.read_number(f"{word} 40")


@pytest.mark.parametrize(("constant", "exactly"), [
    ("100 percent", "[100]"), ("50%", "[50]"), ("1.5 million", "[1500000]"), ("7.8%", "[7.8]"),
])
def test_a_constant_in_a_rule_is_exact(constant: str, exactly: str) -> None:
    """"a constant is exact at its written value": the operand a rule compiles to."""
    base, rules = kzfacts.load(ROOT / "facts", ROOT / "rules")
    spec = rules.specs[0]
    ctx = kzfacts.CompileContext(base, spec, rules.sources[spec.id])
    operand = ctx.operand(constant, ("total",))
    assert str(operand.interval("round")) == str(operand.interval("truncate")) == exactly
    assert "a constant is exact at its written value" in FORMAT.read_text(encoding="utf-8")
