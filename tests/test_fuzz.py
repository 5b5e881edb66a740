"""Fuzzing the loader, the rule compiler and the number reader: only KzfactsError escapes.

``pytest --hypothesis-profile=thorough tests/test_fuzz.py`` runs 10,000 examples of each.
A property fails on any other exception (a crash that would print a traceback in CI) and
on a rule kind that crashes while evaluating (RuleCrashError: a bug, not a bad input).
"""

from __future__ import annotations

import datetime
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kzfacts import DataError, KzfactsError, ReadError, RuleCrashError, read_number
from kzfacts.data import yaml as _yaml
from kzfacts.data.loader import load_fact_base, load_rules
from kzfacts.data.yaml import FloatLiteral, parse_yaml, read_yaml
from kzfacts.engine.check import load
from kzfacts.engine.compile import compile_rules
from kzfacts.engine.evaluate import evaluate
from kzfacts.engine.kinds import available_kinds
from kzfacts.testing import end_to_end_settings
from kzfacts.values.numbers import find_numbers, read_date, read_range

CORPUS_BASE = Path(__file__).parent / "corpus" / "base"
FACT_IDS = ["convicted", "prison", "prison.share", "probation", "fund.paid", "fund.victims"]
# tmp_path is shared by every example of a test: each example overwrites its own file.
FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
#: For properties that load a whole fact base per example: a quarter of the quick profile's
#: examples (50), all of the thorough profile's.
FUZZ_LOADS = settings(end_to_end_settings(fraction=4),
                      suppress_health_check=[HealthCheck.function_scoped_fixture,
                                             HealthCheck.too_slow])


def _raised(call: Callable[[], object]) -> KzfactsError | None:
    """Run ``call``; a KzfactsError is returned, any other exception fails the property."""
    try:
        call()
    except KzfactsError as exc:
        return exc
    return None


def _located(exc: KzfactsError) -> bool:
    return isinstance(exc, DataError) and bool(exc.location.file) and bool(exc.expected)


#: The loader with libyaml (when PyYAML has it) and the pure-Python one.
LOADERS = [_yaml._Loader, _yaml._loader(yaml.SafeLoader)]


def _parse_with_each_loader(text: str) -> list[tuple[str, Any]]:
    """``parse_yaml`` with each loader: ("ok", data) or ("error", the DataError)."""
    outcomes: list[tuple[str, Any]] = []
    default = _yaml._Loader
    try:
        for loader in LOADERS:
            _yaml._Loader = loader
            error = _raised(lambda: outcomes.append(("ok", parse_yaml(text, "fuzz.yaml").data)))
            if error is not None:
                assert _located(error), error
                outcomes.append(("error", error))
    finally:
        _yaml._Loader = default
    return outcomes


@given(st.text())
def test_parse_yaml_any_text(text: str) -> None:
    _parse_with_each_loader(text)


@FUZZ
@given(st.binary(max_size=512))
def test_read_yaml_any_bytes(tmp_path: Path, raw: bytes) -> None:
    file = tmp_path / "fuzz.yaml"
    file.write_bytes(raw)
    error = _raised(lambda: read_yaml(file, display="fuzz.yaml"))
    assert error is None or _located(error)


_TOKENS = ["[", "]", "{", "}", ": ", ":", "- ", "-", ",", "\n", "  ", "\t", "&a ", "*a", "&b ",
           "*b", "!!python/object/apply:os.system ", "!!str ", "!!int ", "!!bool ", "! ", "!x ",
           "<<: ", "? ", "---\n", "...\n", "%TAG ! tag:x,1:\n", "'", '"', "#", "|\n", ">\n",
           "key", "value", "64", "-1", "0x1F", "0o17", "017", "01", "1_000", "7.8", ".nan",
           "-.inf", "1e999", "2021-02-30", "~", "null", "yes", "no", "on", "true", "True", "=",
           "\\", "\\U00110000", "\\UFFFFFFFF", "\\ud800", "\\0", "\\x1b", "\\e", "\\q",
           "é", "\u2028", "\x85", "\x00", "\ufeff", "\ud800", "\U0010ffff"]


@given(st.lists(st.sampled_from(_TOKENS), max_size=60).map("".join))
def test_parse_yaml_yamlish_text(text: str) -> None:
    _parse_with_each_loader(text)


def _properties(text: str) -> bool | None:
    """Whether PyYAML's parser finds an anchor, an alias or a tag in ``text`` (None: it
    finds an error first)."""
    try:
        return any(isinstance(e, yaml.AliasEvent) or getattr(e, "anchor", None) is not None
                   or getattr(e, "tag", None) is not None for e in yaml.parse(text))
    except yaml.YAMLError:
        return None


@given(st.lists(st.sampled_from(["&a ", "*a", "!!str ", "! ", "!x ", "&b ", "- ", "a: ",
                                 "\n", "  ", "[", "]", "{", "}", ", ", "1", "x", "? ", ": ", "'",
                                 '"', "|\n", "---\n", "#", "\ufeff", "\x85", "\u2028", "é",
                                 "\U0001d518", "\t"]),
                max_size=30).map("".join))
def test_no_anchor_alias_or_tag_is_read(text: str) -> None:
    """What PyYAML's events show as an anchor, an alias or a tag, kzfacts refuses."""
    if _properties(text):
        assert [outcome for outcome, _ in _parse_with_each_loader(text)] == ["error", "error"]


# Plain documents (no tags, anchors or aliases), as PyYAML writes Python data: kzfacts reads
# every value as yaml.safe_load reads it, floats as the text safe_load reads as that float.
_TEXTS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn"))
                 | st.sampled_from("\t\n\x85 :#-'\""), max_size=12)
_TRICKY = st.sampled_from([
    "yes", "No", "on", "OFF", "y", "n", "~", "null", "", "true", "True", "012", "08", "0x1F", "0o17",
    "0b1", "1_000", "1:30", "1e3", "+.5", ".5", "7.8", ".nan", "-.inf", "2021-07-19", "<<", "=",
    "- a", "a: b", "#", "&a", "*a", "!x", "%x", "@x", "`x", "|", ">", "? a", "[", "{", " a ",
    "a\n b", "\n", "1 person/case", "٣", "１"])
_PLAIN_SCALARS = st.one_of(st.integers(-(10**20), 10**20), st.booleans(), st.none(),
                           st.floats(), _TEXTS, _TRICKY)
_PLAIN_KEYS = st.one_of(_TEXTS, _TRICKY, st.integers(-1000, 1000), st.booleans(), st.none())
_PLAIN_TREES = st.recursive(_PLAIN_SCALARS, lambda kids: st.one_of(
    st.lists(kids, max_size=4), st.dictionaries(_PLAIN_KEYS, kids, max_size=4)), max_leaves=25)


class _PlainDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # noqa: ARG002 - PyYAML's signature
        """Write a list used twice twice: plain documents have no anchors."""
        return True


def plain_document(tree: Any, *, flow: bool, width: int) -> str:
    return yaml.dump(tree, Dumper=_PlainDumper, default_flow_style=flow, allow_unicode=True,
                     sort_keys=False, width=width)


def reads_as_safe_load(ours: Any, theirs: Any) -> bool:
    """The same data, of the same types (1 is not True), floats as their text, and YAML
    1.1's words for booleans (yes, on...) and its dates as the text safe_load reads so."""
    if isinstance(theirs, bool | datetime.date) and type(ours) is str and ours not in (
            "true", "True", "TRUE", "false", "False", "FALSE"):
        read = yaml.safe_load(ours)
        return type(read) is type(theirs) and read == theirs
    if isinstance(theirs, float):
        read = yaml.safe_load(ours) if type(ours) is FloatLiteral else None
        return isinstance(read, float) and (read == theirs
                                            or (math.isnan(read) and math.isnan(theirs)))
    if type(ours) is not type(theirs):
        return False
    if isinstance(theirs, dict):
        return len(ours) == len(theirs) and all(
            reads_as_safe_load(k1, k2) and reads_as_safe_load(v1, v2)
            for (k1, v1), (k2, v2) in zip(ours.items(), theirs.items(), strict=True))
    if isinstance(theirs, list):
        return len(ours) == len(theirs) and all(
            reads_as_safe_load(a, b) for a, b in zip(ours, theirs, strict=True))
    return bool(ours == theirs)


def test_the_projects_data_files_read_as_safe_load_reads_them() -> None:
    """The bundled base, the examples and the valid corpus base: the same data as safe_load."""
    root = Path(__file__).parent.parent
    files = [*root.glob("facts/*.yaml"), *root.glob("rules/*.yaml"), root / "baseline.yaml",
             *(root / "tests" / "examples").rglob("*.yaml"), *CORPUS_BASE.rglob("*.yaml")]
    assert len(files) > 70
    for file in files:
        ours = read_yaml(file).data
        assert reads_as_safe_load(ours, yaml.safe_load(file.read_text(encoding="utf-8"))), file


@given(_PLAIN_TREES, st.booleans(), st.sampled_from([20, 80, 1000]))
def test_plain_documents_read_as_safe_load_reads_them(tree: Any, flow: bool, width: int) -> None:
    text = plain_document(tree, flow=flow, width=width)
    theirs = yaml.safe_load(text)
    for outcome, ours in _parse_with_each_loader(text):
        assert outcome == "ok", ours
        assert reads_as_safe_load(ours, theirs), (text, ours, theirs)


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from(["64", "7.8", "-1", "1e3", ".nan", "2021", "2021-02-30", "2020/2019",
                     "2023-13", "percent", "person", "KZT", "victim", "", " ", "x" * 300,
                     "convicted", "prison@min", "fund.paid", "100 percent", "__import__",
                     "count", "share", "money", "range", "date", "statement", "more_than",
                     "{year}", "1 person/case", "5%", "eq", "le", "ge"]),
    st.text(max_size=20),
)
_JSONISH = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(["min", "max", "start", "end", "year", "partial", "why",
                                     "fact", "times", "negate", "table", "on", "x"]),
                    inner, max_size=4)), max_leaves=12)

_FACT_FIELDS = ["id", "kind", "value", "unit", "subject", "period", "period_text", "qualifier",
                "quote", "written", "note", "paragraph", "valeu"]


def _fact_record() -> st.SearchStrategy[dict[str, Any]]:
    """A valid fact with some fields replaced, dropped or added."""
    valid: dict[str, Any] = {"id": "probation.again", "kind": "count", "value": 14, "unit": "person",
                             "subject": "persons on probation", "period": 2021,
                             "quote": "14 were put on probation", "written": "14"}
    return st.one_of(st.just(valid), st.builds(
        _apply, st.just(valid), st.sets(st.sampled_from(sorted(valid)), max_size=2),
        st.dictionaries(st.sampled_from(_FACT_FIELDS), _JSONISH, max_size=2)))


def _apply(valid: dict[str, Any], drop: set[str], new: dict[str, Any]) -> dict[str, Any]:
    return {**{k: v for k, v in valid.items() if k not in drop}, **new}


@FUZZ_LOADS
@given(st.lists(_fact_record(), min_size=1, max_size=3), st.sampled_from([1, 1, 1, 2, "1", 0, None]))
def test_loader_structured_but_wrong_facts(tmp_path: Path, records: list[dict[str, Any]],
                                           paragraph: object) -> None:
    root = tmp_path / "facts"
    if not root.exists():
        shutil.copytree(CORPUS_BASE / "facts", root)
    text = yaml.safe_dump({"paragraph": paragraph, "facts": records}, allow_unicode=True)
    (root / "p03.yaml").write_text(text, encoding="utf-8")
    error = _raised(lambda: load_fact_base(root))
    assert error is None or str(error)
    event("loaded" if error is None else "refused")


_RULE_FIELDS = ["parts", "total", "relation", "share", "whole", "part", "left", "right",
                "years", "amount", "result", "rate", "tolerance", "count", "low", "high",
                "sequence", "strict", "quantifier", "claim"]
_REFS = st.one_of(st.sampled_from([*FACT_IDS, "prison@max", "nope", "100 percent", "0 person",
                                   "1 person/case", "fund.paid@min", "-5 person", "x" * 70]),
                  _JSONISH)


#: A rule of each kind that holds on the corpus base, before the fuzz changes it.
_VALID_RULES: dict[str, dict[str, Any]] = {
    "sum": {"parts": ["prison", "probation"], "total": "convicted"},
    "share": {"share": "prison.share", "whole": "convicted", "part": "prison"},
    "bound": {"left": ["prison"], "relation": "le", "right": ["convicted"]},
    "series": {"left": ["prison"], "relation": "le", "right": ["convicted"],
               "years": [2021, 2021]},
    "order": {"sequence": ["probation", "prison", "convicted"]},
    "quantifier": {"part": "prison", "whole": "convicted", "quantifier": "most"},
    "mean_within": {"total": "fund.paid", "count": "fund.victims", "low": "1 tenge",
                    "high": "1000000 tenge"},
    "conversion": {"amount": "fund.paid", "result": "fund.paid",
                   "rate": {"fact": "fund.paid"}},
}


def _rule(kind: str, drop: set[str], new: dict[str, Any]) -> dict[str, Any]:
    head = {"id": "fuzz.rule", "kind": kind, "title": "a fuzzed rule", "severity": "error",
            "paragraphs": [1], "why": "fuzzing"}
    return _apply({**head, **_VALID_RULES.get(kind, {})}, drop, new)


def _rule_record() -> st.SearchStrategy[dict[str, Any]]:
    kinds = sorted(available_kinds())
    fields = sorted({f for r in _VALID_RULES.values() for f in r} | set(_RULE_FIELDS))
    changes = st.dictionaries(st.sampled_from(_RULE_FIELDS),
                              st.one_of(_REFS, st.lists(_REFS, min_size=1, max_size=3)),
                              max_size=3)
    return st.builds(_rule, st.sampled_from(kinds),
                     st.sets(st.sampled_from(fields), max_size=2) | st.just(set()),
                     changes | st.dictionaries(st.sampled_from(_RULE_FIELDS),
                                               st.sampled_from(FACT_IDS), max_size=1))


@FUZZ_LOADS
@given(_rule_record())
def test_rule_compiler(tmp_path: Path, rule: dict[str, Any]) -> None:
    root = tmp_path / "base"
    if not root.exists():
        shutil.copytree(CORPUS_BASE, root)
    (root / "rules" / "torture.yaml").write_text(
        yaml.safe_dump({"rules": [rule]}, allow_unicode=True), encoding="utf-8")

    def run() -> None:
        base, rules = load(root / "facts", root / "rules")
        evaluate(base, rules, compile_rules(base, rules))

    # a RuleCrashError is a bug in a rule kind, not a refusal of bad input
    error = _raised(run)
    assert not isinstance(error, RuleCrashError)
    event("evaluated" if error is None else "refused: " + type(error).__name__)


def test_rule_compiler_sees_valid_rules(tmp_path: Path) -> None:
    """The fuzzed rules reach the compiler: the valid base's rules load and compile."""
    shutil.copytree(CORPUS_BASE, tmp_path / "base")
    base, rules = load(tmp_path / "base" / "facts", tmp_path / "base" / "rules")
    assert len(compile_rules(base, rules)) == 2
    assert load_rules(tmp_path / "base" / "rules", {k: v.Spec for k, v in
                                                    available_kinds().items()}).specs


_NUMBERISH = st.lists(st.sampled_from(
    ["1", "0", "5", "300", ",", ".", " ", "%", "million", "thousand", "billion", "more than ",
     "up to ", "about ", "from ", " to ", "–", "-", "(", ")", "tenge", "US dollars", "MCI",
     "years", "July", "19", "2021", "\u00a0", "e", "+", "½", "٣", "１"]), max_size=14).map("".join)


@given(st.one_of(st.text(), _NUMBERISH))
def test_number_reader_any_text(text: str) -> None:
    for reader in (lambda t: read_number(t, unit_words={"tenge": "KZT", "MCI": "MCI"}),
                   lambda t: read_number(t, decimal_comma=True),
                   read_range, read_date):
        error = _raised(lambda r=reader: r(text))  # type: ignore[misc]
        assert error is None or (isinstance(error, ReadError) and error.expected)
    spans = find_numbers(text)
    assert all(text[s.start:s.end] == s.text for s in spans)


@pytest.mark.parametrize("text", ["a: [1, 2\n", "!!python/name:os.system\n", "\x00",
                                  'a: "\\U00110000"\n', 'a: "\\ud800"\n', "a: !!int 0X10\n"])
def test_fuzz_oracle_catches_errors(text: str) -> None:
    """The properties above accept DataError only: these inputs do raise one, with each loader."""
    assert [outcome for outcome, _ in _parse_with_each_loader(text)] == ["error", "error"]


@pytest.mark.parametrize(("tree", "theirs"), [
    ({"a": [1, "yes"]}, {"a": [1, "yes"]}), ({"x": 7.8}, {"x": 7.8}), ([float("nan")], [float("nan")]),
])
def test_safe_load_oracle_tells_values_apart(tree: Any, theirs: Any) -> None:
    """The comparison above holds for equal data and fails for data read differently."""
    ours = parse_yaml(plain_document(tree, flow=False, width=80), "f.yaml").data
    assert reads_as_safe_load(ours, theirs)
    assert not reads_as_safe_load(ours, [theirs])
    assert not reads_as_safe_load([True], [1])
    assert not reads_as_safe_load([FloatLiteral("7.8")], [7.9])
    assert not reads_as_safe_load({"a": 1}, {"b": 1})
    assert reads_as_safe_load({"on": "yes"}, {True: True})  # YAML 1.1's booleans: text here
    assert not reads_as_safe_load({"on": "no"}, {True: True})
    assert not reads_as_safe_load(["true"], [True])  # a quoted "true" is not the boolean


_INTERVAL = st.tuples(st.integers(0, 60), st.integers(1, 8)).map(lambda t: (t[0], t[0] + t[1]))


@given(st.lists(_INTERVAL, max_size=12), st.lists(_INTERVAL, max_size=12))
def test_coverage_sweep_matches_the_plain_search(spans: list[tuple[int, int]],
                                                 covers: list[tuple[int, int]]) -> None:
    """The sweep that accounts for numbers gives what the quadratic search gives."""
    from kzfacts.data.source import _first_covers
    disjoint: list[tuple[int, int]] = []
    for s in sorted(spans):  # numbers of a text never overlap
        if not disjoint or s[0] >= disjoint[-1][1]:
            disjoint.append(s)
    named = [(c0, c1, f"cover {i}") for i, (c0, c1) in enumerate(covers)]
    plain = [next((w for c0, c1, w in named if c0 <= s0 and s1 <= c1), None)
             for s0, s1 in disjoint]
    assert _first_covers(disjoint, named) == plain
