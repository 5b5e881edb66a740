"""The reader's one-pass path for plain files against its full path (compose, expand, convert).

``parse_yaml`` reads a file without anchors, aliases or tags from libyaml's events in one
pass and gives everything else to the full reader. These tests hold the two to the same
data, the same locations and the same errors, and check that nothing the full reader
refuses (alias bombs, recursive aliases, too deep or too many nodes) gets through the
shortcut.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from kzfacts.data import yaml as _yaml
from kzfacts.data.yaml import MAX_DEPTH, MAX_NODES, FloatLiteral, YamlDoc, parse_yaml
from kzfacts.errors import DataError, Location

ROOT = Path(__file__).resolve().parent.parent
needs_libyaml = pytest.mark.skipif(_yaml._CParser is None, reason="PyYAML without libyaml")


def _same(a: Any, b: Any) -> bool:
    """Equal data of equal types (1 == True and 7.8 == "7.8" must not pass), keys in order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _outcome(read: Any, text: str) -> tuple[Any, ...]:
    try:
        doc = read(text, "f.yaml")
    except DataError as exc:
        return ("error", str(exc), exc.location, exc.field)
    return ("ok", doc.data, doc.locations)


def _assert_same(text: str) -> YamlDoc | None:
    """parse_yaml and the full reader agree on ``text``: data, locations or the error."""
    got = _outcome(parse_yaml, text)
    full = _outcome(_yaml._parse_full, text)
    assert got[0] == full[0], (got, full)
    if got[0] == "error":
        assert got == full
        return None
    assert _same(got[1], full[1])
    assert got[2] == full[2]
    assert list(got[2]) == list(full[2])
    doc, reference = parse_yaml(text, "f.yaml"), _yaml._parse_full(text, "f.yaml")
    assert doc.positions() == reference.positions()
    assert doc.positions() == [(p, loc.line, loc.column) for p, loc in full[2].items()]
    rebuilt = YamlDoc("f.yaml", doc.data, marks={p: (line, col) for p, line, col in doc.positions()})
    assert rebuilt == reference
    for path in [*full[2], ("nowhere",)]:  # each node, and below it where nothing is
        assert doc.where(path) == reference.where(path)
        assert doc.where((*path, "missing", 0)) == reference.where((*path, "missing", 0))
    return doc


def _yaml_files() -> list[Path]:
    folders = [ROOT / "src", ROOT / "tests"]
    return sorted(f for folder in folders for f in folder.rglob("*.yaml"))


@needs_libyaml
def test_every_yaml_file_of_the_project_reads_the_same() -> None:
    """The bundled data, the examples and the bad inputs of tests/corpus (errors included)."""
    files = _yaml_files()
    fast = lines = 0
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if "\r" in text:
            continue
        _assert_same(text)
        fast += _yaml._fast(text, "f.yaml") is not None
        lines += _yaml._lines(text, "f.yaml") is not None
    assert len(files) > 150
    assert fast > 100  # the shortcut is taken: the bundled facts and rules are plain
    assert lines > 110  # and most are read line by line (115 of 179 when this was written)


@needs_libyaml
def test_plain_file_takes_the_shortcut() -> None:
    doc = _yaml._fast("paragraph: 18\nfacts:\n  - {id: a.b, value: 64, share: 7.8}\n", "p.yaml")
    assert doc is not None
    assert _same(doc.data, {"paragraph": 18, "facts": [{"id": "a.b", "value": 64,
                                                         "share": FloatLiteral("7.8")}]})
    assert doc.locations[("facts", 0, "share")] == Location("p.yaml", 3, 33)


@needs_libyaml
@pytest.mark.parametrize("text", [
    "a: &x [1, 2]\nb: *x\n",                 # an alias
    "a: &x 1\n",                             # an anchor alone
    "a: !!str 1\n",                          # a tag, even an allowed one
    "a: 1\nb: 2\na: 3\n",                    # a duplicate key
    "<<: {a: 1}\n",                          # a merge key
    "a: =\n",                                # a "value" scalar
    "a: 012\n",                              # an integer int() cannot read with base 0
    "a: " + "9" * 65 + "\n",                 # an integer too long
    "a: 1\n---\nb: 2\n",                     # two documents
    "a: [1, 2\n",                            # malformed
    "[x]: 1\n",                              # a complex key
    "a: \x00\n",                             # a character YAML refuses
])
def test_everything_unusual_goes_to_the_full_reader(text: str) -> None:
    assert _yaml._fast(text, "f.yaml") is None
    _assert_same(text)


def test_unusual_is_what_libyaml_refuses_and_the_other_line_breaks() -> None:
    # every code point: refused by YAML's reader, or a tab, CR, NEL, LS, PS or byte-order mark
    # (which the shortcuts do not handle); nothing else, in particular no printable letter
    refused = yaml.reader.Reader.NON_PRINTABLE
    others = set("\t\r\x85\u2028\u2029\ufeff")
    unusual = _yaml._unusual()
    wrong = [c for c in map(chr, range(0x110000))
             if (unusual.match(c) is not None)
             != (refused.match(c) is not None or c in others)]
    assert wrong == []
    # and none is printable to Python, so a printable text is searched no further
    assert [c for c in map(chr, range(0x110000)) if c.isprintable() and unusual.match(c)] == []


@pytest.mark.parametrize("char", ["\t", "\x00", "\x85", "\u2028", "\ud800", "\ufeff", "\uffff"])
def test_a_text_with_an_unusual_character_is_left_to_the_others(char: str) -> None:
    assert _yaml._has_unusual(f"a: 1\nb: x{char}y\n")
    assert _yaml._lines(f"a: 1\nb: x{char}y\n", "f.yaml") is None
    # printable to libyaml though not to Python: read line by line
    assert not _yaml._has_unusual("a: x\xa0\u00ad\u3000y\n")


def _alias_bomb(levels: int = 9, width: int = 9) -> str:
    names = [f"l{i}" for i in range(levels)]
    lines = [f"{names[0]}: &{names[0]} [" + ", ".join(["lol"] * width) + "]"]
    for prev, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * width) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("text", "expected", "found"), [
    (_alias_bomb(), "at most 200,000 nodes after aliases expand", "(an alias bomb?)"),
    ("a: &a [1, *a]\n", "an alias to a node that does not contain it", "a recursive alias"),
    # 60 nested lists under the root (61 levels), used again 10 lists down: 71 once expanded
    ("a: &d " + "[" * 60 + "]" * 60 + "\nb: " + "[" * 10 + "*d" + "]" * 10 + "\n",
     f"nesting at most {MAX_DEPTH} deep after aliases expand", "levels"),
])
def test_aliases_are_still_checked(text: str, expected: str, found: str) -> None:
    with pytest.raises(DataError) as info:
        parse_yaml(text, "bomb.yaml")
    assert info.value.expected == expected
    assert found in info.value.found
    _assert_same(text)


def _nested_lists(levels: int) -> str:
    return "[" * levels + "]" * levels + "\n"


def _nested_maps(levels: int) -> str:
    return "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "leaf\n"


@pytest.mark.parametrize("make", [_nested_lists, _nested_maps])
def test_depth_limit_is_the_full_readers(make: Any) -> None:
    """64 levels of collections read; 65 are refused where the full reader refuses them."""
    deepest_ok = MAX_DEPTH
    assert _assert_same(make(deepest_ok)) is not None
    with pytest.raises(DataError) as info:
        parse_yaml(make(deepest_ok + 1), "deep.yaml")
    assert info.value.expected == f"nesting at most {MAX_DEPTH} deep"
    assert info.value.found == f"{MAX_DEPTH + 1} levels"
    _assert_same(make(deepest_ok + 1))


def test_too_deep_message_and_place_are_pinned() -> None:
    with pytest.raises(DataError) as info:
        parse_yaml(_nested_lists(MAX_DEPTH + 1), "deep.yaml")
    assert str(info.value) == (f"deep.yaml:1:{MAX_DEPTH + 1}: expected nesting at most "
                               f"{MAX_DEPTH} deep, found {MAX_DEPTH + 1} levels")


def test_too_many_nodes_without_aliases_refused() -> None:
    text = "- 1\n" * (MAX_NODES + 1)
    with pytest.raises(DataError) as info:
        parse_yaml(text, "big.yaml")
    assert info.value.expected == f"at most {MAX_NODES:,} nodes after aliases expand"
    assert info.value.location == Location("big.yaml", 1, 1)
    _assert_same(text)


def test_without_libyaml_the_full_reader_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_yaml, "_CParser", None)
    doc = parse_yaml("a: [1, x]\n", "f.yaml")
    assert doc.data == {"a": [1, "x"]}
    assert doc.locations[("a", 1)] == Location("f.yaml", 1, 8)


_scalars = st.one_of(
    st.integers(-10**20, 10**20), st.booleans(), st.none(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
    st.sampled_from(["7.8", "1e3", ".nan", "2021-07-19", "yes", "No", "~", "0x1F", "0o7", "012",
                     "1_000", "<<", "=", "1:30", "", "- a", "a: b", "#", "&a", "*a", "!x"]),
)
_trees = st.recursive(
    _scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=6), children, max_size=4)),
    max_leaves=25,
)


@needs_libyaml
@given(_trees, st.booleans(), st.integers(0, 4))
def test_generated_documents_read_the_same(tree: Any, flow: bool, cut: int) -> None:
    """Any dumped tree (block or flow style), and the same text with a line cut short."""
    text = yaml.safe_dump(tree, default_flow_style=flow, allow_unicode=True, sort_keys=False)
    _assert_same(text)
    lines = text.splitlines(keepends=True)
    if cut and len(lines) > cut:
        damaged = "".join(lines[:cut]) + lines[cut][: len(lines[cut]) // 2] + "\n"
        _assert_same(damaged)


@needs_libyaml
@given(st.text(alphabet="ab:-[]{},&*!#'\" \n01.", max_size=40))
def test_arbitrary_text_reads_the_same(text: str) -> None:
    _assert_same(text)


@needs_libyaml
def test_the_scalar_tables_stay_bounded() -> None:
    text = "".join(f"- v{i}\n" for i in range(_yaml._MEMO_SIZE + 10))
    doc = parse_yaml(text, "many.yaml")
    assert doc.data[-1] == f"v{_yaml._MEMO_SIZE + 9}"
    assert len(_yaml._PLAIN) <= _yaml._MEMO_SIZE


# The lines reader (_lines): the commonest layouts without libyaml's events.

_LINES_TEXTS = [
    "paragraph: 18\nfacts:\n  - id: \"a.b\"\n    value: 64\n    share: 7.8\n",
    "facts:\n- id: a\n  value: {min: 4, max: 8}\n- id: b\n  on: [1, \"x, y\", 'z']\n",  # indentless
    "a:\n  b:\n    c: 1\n  d: [ ]\ne: 1\n",
    "-   k: 1\n    j: 2\n-   x\n- [1, 2020-01-01]\n",                  # wide dashes, a date
    "title: Synthetic report 0\nsha: 07a7\nnull_key: null\nyes: no\n",     # plain words
    "\n\nx: \"é ü\"\ny: {a: \"é\", b: 2}\n\n",                            # blank lines, non-ASCII
    "k:\n  - a: 1\n    b:\n    - 1\n    - 2\n    c: 3\n",                  # indentless, nested
    "k: 1.5\nj: .inf\nl: -3\nm: 0x1F\nn: +4\n",
    # comments: alone at any indentation, after a value, after "key:", between a key and its block
    "# head\na: 1 # note\nb:   # a block below\n  # inside\n    # deeper\n  c: x y  #\n#end\n",
    "- a # c\n  # between\n- {k: 1}  # flow\n- [1] \n",
    "k:\n# at the margin\n- \"q\" # quoted\n-   'r' #\n",
    # double-quoted with \" and \\, single-quoted with ''
    'a: "the \\"January events\\""\nb: "\\\\"\nc: "\\\\\\"x\\\\"\nd: \'it\'\'s\'\ne: \'\'\'\'\n',
    '- ["a\\"b", \'c\'\'d\', "\\\\"]\n- {k: "x\\\\y", j: \'it\'\'s\'}\n',
    # plain scalars of any characters YAML reads as plain text
    "title: Kazakhstan's answers (fourth periodic report); ¶12\nwhy: 945 − 5 = 940, \"so\"\n",
    "left: fund_dom.admin.{year}\nurl: http://x.kz/a?b=c#d\nt: 1:30 am\nh: a#b\nm: -x\n",
    "a: 50% of [x] & *y !z |w >v @u `t %s\nb: é ß 😀\nc: .5 - 1\nd: ~\ne: \xa0\n",
    "f: 2001-12-14 21:59:43.10 -5\ng: -.inf\nh: 1_000\ni: a  b\nj: x 'y' \"z\"\n",
    # flow collections with spaced plain values and a final comma; block keys with spaces
    "- {fact: selfharm.cases.2022, times: 1 person/case}\n- [a b, c@d, 'e' ,]\n- {a: 1,}\n",
    "words:\n  US dollars: USD\n  a  b: c\n",
    "k" * 1024 + ": 1\nj: {" + "b" * 1024 + ": 1}\n",  # keys as long as YAML allows
]


@needs_libyaml
@pytest.mark.parametrize("text", _LINES_TEXTS)
def test_lines_reader_reads_what_libyaml_reads(text: str) -> None:
    doc = _yaml._lines(text, "f.yaml")
    assert doc is not None
    reference = _yaml._fast(text, "f.yaml")
    assert reference is not None
    assert _same(doc.data, reference.data)
    assert doc.positions() == reference.positions()
    _assert_same(text)


@needs_libyaml
@pytest.mark.parametrize("text", [
    "a: \"x\\ty\"\n",                       # an escape other than \" and \\
    "a: \"x\\u00e9\"\n",                    # another one
    "a: \"x\\\"\n",                         # an escaped closing quote: unterminated
    "a: \"x\"# c\n",                       # a comment right after a quoted scalar
    "a: [x]# c\n",                         # a comment right after a flow collection
    "- # c\n  - 1\n",                      # "-" alone (a comment after it)
    "a : 1\n",                             # a space before ":"
    "a: x :y\n",                           # a word starting with ":"
    "a: x : y\n",                          # ": " inside a plain scalar (an error)
    "a: x:\n",                             # a final ":" (an error)
    "a: ?x\n",                             # a plain scalar starting with "?"
    "a: :x\n",                             # or ":"
    "a: --x\n",                            # or "--"
    "a: -\n",                              # a lone "-" (an error)
    "a: @x\n",                             # a reserved indicator (an error)
    "a: {b: [1, 2]}\n",                    # a nested flow collection
    "a: [x:y]\n",                          # ":" in a flow scalar
    "a: [x#y]\n",                          # "#" in a flow scalar
    "a: [x?y]\n",                          # "?" in a flow scalar
    "a: [1, , 2]\n",                       # an empty flow entry (an error)
    "a: [x}\n",                            # brackets that do not match (an error)
    "a: {b: x]\n",                         # the other way round
    "a: [b: 1, c]\n",                      # a pair in a flow sequence (a one-pair mapping)
    "a: {x, b: 1}\n",                      # a key alone in a flow mapping (its value null)
    "a: 'x' y\n",                          # text after a quoted scalar (an error)
    "# only a comment\n",                  # no collection
    "k" * 1025 + ": 1\n",                  # a key longer than YAML's 1,024 characters
    "- " + "k" * 1025 + ": 1\n",           # after a dash
    "a: {" + "k" * 1025 + ": 1}\n",        # in a flow mapping
    "a:\n  b\n",                           # a scalar on the next line
    "a: b\n  c\n",                         # a multi-line plain scalar
    "a: b\n  c: d\n",                      # a mapping where a value ended
    "a:\n",                                # an empty value at the end
    "a:\nb: 1\n",                          # an empty value
    "a: 1\n  b: 2\n",                      # indented where nothing opens
    "- a\nb: 1\n",                         # a line after the root
    "  a: 1\nb: 2\n",                      # a line outside the root
    "a: 1\na: 2\n",                        # a key twice
    "a: {b: 1, b: 2}\n",                   # a key twice in a flow mapping
    "<<: 1\n",                             # a merge key
    "a: 1\n---\n",                         # a document marker
    "a:\ttab\n",                           # a tab
    "a: \"x\u2028y\"\n",                   # a line break libyaml knows and split() does not
    "a: 012\n",                            # an integer int() cannot read
    "scalar\n",                            # a scalar document
    "",                                    # nothing
])
def test_lines_reader_leaves_the_rest_to_the_others(text: str) -> None:
    assert _yaml._lines(text, "f.yaml") is None
    _assert_same(text)


@needs_libyaml
def test_bundled_files_take_the_lines_reader() -> None:
    """The bundled facts, rules and baseline (comments, escaped quotes, apostrophes, ¶ and
    −, spaced flow values) are all read line by line: a silent fallback fails here (a
    nested flow such as ``{table: t, years: [2014, 2023]}`` would not be: written as a block)."""
    files = [*sorted((ROOT / "facts").glob("*.yaml")), *sorted((ROOT / "rules").glob("*.yaml")),
             ROOT / "baseline.yaml"]
    assert len(files) >= 59
    left = [f.relative_to(ROOT).as_posix() for f in files
            if _yaml._lines(f.read_text(encoding="utf-8"), f.name) is None]
    assert left == []


@needs_libyaml
def test_lines_reader_keeps_collection_marks_and_reads_again_for_the_rest() -> None:
    text = "facts:\n  - id: \"a\"\n    value: 64\n  - id: \"b\"\n    value: [1, 2]\n"
    doc = _yaml._lines(text, "f.yaml")
    assert doc is not None
    assert doc._marks == {(): (1, 1), ("facts",): (2, 3), ("facts", 0): (2, 5),
                          ("facts", 1): (4, 5)}
    assert doc.where(("facts", 1)) == Location("f.yaml", 4, 5)
    assert doc._text is not None  # a collection's mark needs no second reading
    assert doc.where(("facts", 1, "value", 1)) == Location("f.yaml", 5, 16)
    assert doc._text is None
    assert doc.where(("facts", 0, "value")) == Location("f.yaml", 3, 12)


@needs_libyaml
def test_lines_reader_counts_unmarked_nodes_against_the_limit() -> None:
    """Scalars whose marks are not kept still count: the node limit is the full reader's."""
    text = "a:\n" + "  - 1\n" * (MAX_NODES // 2)
    assert _yaml._lines(text, "f.yaml") is None
    fewer = "a:\n" + "  - 1\n" * (MAX_NODES // 2 - 3)
    assert _yaml._lines(fewer, "f.yaml") is not None


@needs_libyaml
def test_generated_corpus_files_take_the_lines_reader(tmp_path: Path) -> None:
    from benchmarks.generate import generate

    generate(tmp_path / "c", documents=1, paragraphs=2)
    files = sorted((tmp_path / "c").rglob("*.yaml"))
    taken = 0
    for file in files:
        text = file.read_text(encoding="utf-8")
        doc = _yaml._lines(text, "f.yaml")
        taken += doc is not None
        _assert_same(text)
    assert taken == len(files)  # the units file too (its key "US dollars" has a space)


#: Plain text of YAML's plain-scalar rules: indicators, ":" and "#" (a key or a comment
#: after a space), quotes, spaces, non-ASCII letters and signs, a no-break space.
_PLAIN_ALPHABET = "ab01._-+/:#?,[]{}&*!|>'\"%@`=~<() ;é¶−\xa0😀"
_plain_texts = st.text(_PLAIN_ALPHABET, min_size=1, max_size=10)
#: Double-quoted scalars with the escapes the lines reader reads (\" and \\), others, a
#: lone backslash and inner quotes; single-quoted ones with '' and lone quotes.
_dq_texts = st.lists(st.sampled_from(["a", " ", "é", "#", ": ", "'", '\\"', "\\\\", '\\"',
                                      "\\\\", "\\n", "\\u00e9", "\\", '"']),
                     max_size=6).map(lambda parts: '"' + "".join(parts) + '"')
_sq_texts = st.lists(st.sampled_from(["a", " ", "#", '"', "\\", "''", "''", "'"]),
                     max_size=5).map(lambda parts: "'" + "".join(parts) + "'")
_scalar_texts = st.one_of(_plain_texts, _dq_texts, _sq_texts, st.sampled_from(
    ["1", "x y", "-2", "yes", "~", "1:30", "012", "2023-01-01", "1 person/case", "a  b"]))
_flow_texts = st.builds(
    lambda items, pairs, seq, sep, last: ("[" + sep.join(items) + last + "]" if seq else
                                          "{" + sep.join(f"{k}: {v}" for k, v in pairs)
                                          + last + "}"),
    st.lists(_scalar_texts, max_size=3), st.lists(st.tuples(st.sampled_from(["a", "b", "k_1"]),
                                                            _scalar_texts), max_size=3),
    st.booleans(), st.sampled_from([", ", ",", " , "]), st.sampled_from(["", ",", ", ", " "]))
_value_texts = st.one_of(_scalar_texts, _flow_texts)
#: What may end a line: nothing, spaces, a comment after a space or right after the value.
_line_ends = st.sampled_from(["", " ", "  ", " #", " # c", "  #: x #", "#", "# c"])

_line_parts = st.tuples(
    st.sampled_from(["", " ", "  ", "    ", "      "]),
    st.sampled_from(["", "- ", "-   "]),
    st.sampled_from(["", "a:", "b:", "a: ", "c: ", "a b: ", "a :"]),
    st.one_of(st.sampled_from(["", "1", "x y", '"q"', "'s'", "[1, b]", "{a: 1, b: x}", "-2",
                               "yes", "~", "# c", '"a\\"b"', "it's ¶1"]), _value_texts),
    _line_ends,
)


@needs_libyaml
@given(st.lists(_line_parts, min_size=1, max_size=8))
def test_lines_of_the_lines_readers_forms_read_the_same(parts: list[tuple[str, ...]]) -> None:
    """Random indentation, dashes, keys, values and comments: what the lines reader takes is
    libyaml's."""
    text = "".join("".join(p) + "\n" for p in parts)
    _assert_same(text)


@needs_libyaml
@given(st.lists(st.tuples(_value_texts, _line_ends), min_size=1, max_size=4),
       st.sampled_from(["k{i}: ", "- ", "-   ", "- k: "]))
def test_scalars_of_every_form_read_the_same(values: list[tuple[str, str]], form: str) -> None:
    """Any plain, quoted or flow text as a value, in a layout the lines reader takes."""
    text = "".join(form.format(i=i) + value + end + "\n" for i, (value, end) in enumerate(values))
    _assert_same(text)


@needs_libyaml
def test_scalars_of_every_form_are_taken() -> None:
    """The generators above reach the lines reader: these, from each of them, are its own."""
    for text in ["a: x'y ¶:z #c\n", 'a: "a\\"b\\\\"\n', "a: 'it''s' #\n",
                 "- [a b, 'c', \"d\",]\n", "- {a: 1 person/case, b: x} # c\n", "a b: c  \n"]:
        assert _yaml._lines(text, "f.yaml") is not None, text
        _assert_same(text)


# Whole documents of the lines reader's layout, built as trees and written in block style
# (indentation 1, 2 or 4; dashes "- " or "-   "; sequences under a key indented or not), with
# scalars YAML resolves in many ways, comments after lines and comment lines between them:
# what the lines reader takes must be the full reader's.
_TREE_SCALARS = ["1", "x y", '"q"', "'s'", "-2", "yes", "~", "1_000", "0o17", "0x1F", "+.5",
                 "1e3", ".NaN", "-.inf", "2023-01-01", "true", "NULL", "on", "y", "012", "1,000",
                 "1.5", "a-b", "(x)", "50%", "a=b", "x/y", "[a, b]", "{a: 1}", "[]", "{}",
                 "'a''b'", '""', "7.8", "1:30", "x #c", "é", '"é"', "Yes please", "[1, 2, ]",
                 '" a "', "' b '", '[" c ", d]', "{k: ' e '}", '"a\\"b"', '"\\\\"', "it's",
                 "¶12 − 5", "a; b", "x:y", "{year}", "a.{year}", "a#b", "[x] y", "a  b", "\xa0",
                 "{a: b c}", "[a b, c]", "-x", "?x", ":x", "@x", "a :b", "x: y", "2001-12-14 1:2:3"]
_tree_keys = st.sampled_from(["a", "b", "id", "value", "yes", "null", "x_1", "on", "_k",
                              "US dollars"])


def _tree_of(kids: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    # a named function: Hypothesis cannot see a multi-line lambda use its argument
    return st.one_of(st.lists(kids, min_size=1, max_size=4),
                     st.dictionaries(_tree_keys, kids, min_size=1, max_size=4))


_tree = st.recursive(st.sampled_from(_TREE_SCALARS), _tree_of, max_leaves=14)


@st.composite
def _block_texts(draw: st.DrawFn) -> str:
    root = draw(st.one_of(st.lists(_tree, min_size=1, max_size=4),
                          st.dictionaries(_tree_keys, _tree, min_size=1, max_size=4)))
    step = draw(st.sampled_from([1, 2, 4]))
    indentless = draw(st.booleans())
    dash = draw(st.sampled_from(["- ", "-   "]))
    out: list[str] = []

    def below(value: Any, indent: int) -> int:
        return indent + (0 if indentless and isinstance(value, list) else step)

    def emit(node: Any, indent: int) -> None:
        pad = " " * indent
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, dict | list):
                    out.append(f"{pad}{key}:")
                    emit(value, below(value, indent))
                else:
                    out.append(f"{pad}{key}: {value}")
            return
        for value in node:
            if isinstance(value, dict):
                (key, first), *rest = value.items()
                inner = indent + len(dash)
                if isinstance(first, dict | list):
                    out.append(f"{pad}{dash}{key}:")
                    emit(first, below(first, inner))
                else:
                    out.append(f"{pad}{dash}{key}: {first}")
                emit(dict(rest), inner)
            elif isinstance(value, list):
                out.append(f"{pad}-")
                emit(value, indent + step)
            else:
                out.append(f"{pad}{dash}{value}")

    emit(root, 0)
    ends = draw(st.lists(st.sampled_from(["", "", "", " ", " # c", "  #"]), min_size=len(out),
                         max_size=len(out)))
    out = [line + end for line, end in zip(out, ends, strict=True)]
    for extra in draw(st.lists(st.sampled_from(["", "#", "# c", "  # c", "      #"]), max_size=2)):
        out.insert(draw(st.integers(0, len(out))), extra)
    return "\n".join(out) + "\n"


@needs_libyaml
@given(_block_texts())
def test_block_documents_read_the_same(text: str) -> None:
    _assert_same(text)


def test_a_flow_sequence_read_again_is_a_new_list_of_the_same_items(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The lines reader remembers flow sequences of scalars it has read: a second file with
    the same one gets equal data and locations (a node count that still counts its items
    toward MAX_NODES), in a list of its own."""
    text = ('rules:\n  - id: "a"\n    paragraphs: [1, "two", 3.5, null]\n'
            '    years: [2020, 2022]\n    pairs: {a: 2}\n')
    assert _yaml._lines(text, "f.yaml") is not None  # the reader this is about
    first = parse_yaml(text, "f.yaml")
    assert first.locations is not None
    first.data["rules"][0]["paragraphs"].append("changed")
    for _ in range(2):  # the second time from the table
        again = _assert_same(text)
        assert again is not None
        rule = again.data["rules"][0]
        assert rule["paragraphs"] == [1, "two", FloatLiteral("3.5"), None]
        assert rule["paragraphs"] is not first.data["rules"][0]["paragraphs"]
        assert rule["pairs"] == {"a": 2}
    # The lines reader hands a file over when twice its nodes reach MAX_NODES: 2 blocks
    # and 3 nodes a line (a sequence, 2 items) are 58 for 9 lines, 64 for 10.
    monkeypatch.setattr(_yaml, "MAX_NODES", 60)
    for size in (9, 10):
        many = "x:\n" + "".join(f"  k{i}: [1, 2]\n" for i in range(size))
        for _ in range(2):  # the second time, every sequence from the table
            read = _yaml._lines(many, "f.yaml")
            assert (read is None) == (size == 10)
