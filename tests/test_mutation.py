"""The bundled fact base is mutation-proof.

* Every numeric fact value, changed by one unit of its last written digit (up, and down
  where it stays >= 0) with its quote left as it is, makes ``kzfacts check`` fail and
  name that fact. Kill rate printed; 100% required.
* Every number of the source, changed by one unit of its last digit in a copy of the
  text, makes the check fail for every fact that quotes it (and, where no fact quotes it,
  for its list of non-claims, through coverage).

Each mutant is checked on the loaded fact base with the one thing changed and everything
after loading redone (anchoring, coverage, compiling, evaluating, the report): the same
code as ``kzfacts check`` minus re-reading unchanged YAML, which the first test shows is
the same report. A sample of mutants is also written to files and run through the real
``kzfacts check``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import kzfacts
from kzfacts.data.factbase import FactBase
from kzfacts.data.loader import Rules, load_baseline
from kzfacts.data.model import Baseline, Fact, FactKind
from kzfacts.data.source import SourceText, anchor_fact, coverage
from kzfacts.engine.check import report
from kzfacts.engine.compile import compile_rules
from kzfacts.engine.evaluate import evaluate
from kzfacts.engine.result import Report
from kzfacts.testing import assert_consistent

ROOT = Path(__file__).resolve().parents[1]
FACTS, RULES, BASELINE = ROOT / "facts", ROOT / "rules", ROOT / "baseline.yaml"
NON_NUMERIC = (FactKind.DATE, FactKind.RANGE, FactKind.STATEMENT)


@dataclasses.dataclass(frozen=True)
class Loaded:
    base: FactBase
    rules: Rules
    baseline: Baseline


@pytest.fixture(scope="module")
def loaded() -> Loaded:
    base, rules = kzfacts.load(FACTS, RULES)
    return Loaded(base, rules, load_baseline(BASELINE))


def rebuilt(base: FactBase, *, facts: dict[str, Fact] | None = None,
            text: str | None = None) -> FactBase:
    """The fact base as the loader builds it from files with these facts or this source
    (whose document.yaml records its new hash): re-anchored, coverage recounted."""
    source = base.source if text is None else SourceText.from_text(
        text, style=base.document.paragraphs)
    facts = dict(base.facts) if facts is None else facts
    anchors, readings = {}, {}
    for fact in facts.values():
        if fact is base.facts.get(fact.id) and source is base.source and fact.id in base.anchors:
            anchor = base.anchors[fact.id]  # a pure function of the fact and the source
        else:
            anchor = anchor_fact(fact, source, unit_words=base.units.words,
                                 decimal_comma=base.document.decimal_comma)
        anchors[fact.id] = anchor
        if anchor.reading is not None:
            readings[fact.id] = anchor.reading
    cover = coverage(source, facts.values(), anchors, base.not_claims)
    return dataclasses.replace(base, source=source, facts=facts, anchors=anchors,
                               readings=readings, coverage=cover)


def check_loaded(loaded: Loaded, base: FactBase, *, located: bool = False) -> Report:
    """What ``kzfacts check`` reports once the files have been read into ``base`` (its
    findings located when ``located``: the mutants below need only their verdicts)."""
    compiled = compile_rules(base, loaded.rules)
    results = evaluate(base, loaded.rules, compiled, loaded.baseline)
    if located:
        results = kzfacts.locate(base, loaded.rules, compiled, results)
    return report(base, results, loaded.baseline, rules=loaded.rules)


def test_the_rebuilt_base_reports_what_kzfacts_check_reports(
        loaded: Loaded, kzfacts_report: Report) -> None:
    """The mutants below are checked on rebuilt bases: that is the CLI's report."""
    assert check_loaded(loaded, rebuilt(loaded.base), located=True) == kzfacts.check(
        FACTS, RULES, baseline=BASELINE) == kzfacts_report
    assert_consistent(kzfacts_report)  # the unmutated base is clean


# -- fact values ----------------------------------------------------------------------------

def value_mutants(base: FactBase) -> list[tuple[Fact, int | Decimal]]:
    """(fact, new value): one unit of the last written digit up, and down if still >= 0."""
    out = []
    for fact in base.facts.values():
        if fact.kind in NON_NUMERIC:
            continue
        assert isinstance(fact.value, int | Decimal)
        q = base.reading(fact.id).quantum
        for new in (fact.value + q, fact.value - q):
            if new >= 0:
                out.append((fact, int(new) if isinstance(fact.value, int) and q >= 1 else new))
    return out


def test_every_numeric_value_edit_fails_the_check(loaded: Loaded) -> None:
    mutants = value_mutants(loaded.base)
    killed, survivors = 0, []
    for fact, new in mutants:
        facts = dict(loaded.base.facts)
        facts[fact.id] = fact.model_copy(update={"value": new})
        result = check_loaded(loaded, rebuilt(loaded.base, facts=facts))
        named = [a.fact for a in result.anchoring]
        if result.exit_code == 1 and named == [fact.id]:
            killed += 1
        else:
            survivors.append(f"{fact.id}: {fact.value} -> {new} (exit {result.exit_code}, {named})")
    numeric = {f.id for f, _ in mutants}
    print(f"value mutants: {killed}/{len(mutants)} killed "
          f"({100 * killed / len(mutants):.1f}%) over {len(numeric)} numeric facts")
    assert len(numeric) > 100
    assert survivors == []


# -- the source text --------------------------------------------------------------------------

def bump_last_digit(number: str) -> str:
    """"10,169" -> "10,170", "3,7" -> "3,8", "99" -> "100": one unit of the last digit."""
    chars = list(number)
    for i in range(len(chars) - 1, -1, -1):
        if not chars[i].isdigit():
            continue
        if chars[i] != "9":
            chars[i] = str(int(chars[i]) + 1)
            return "".join(chars)
        chars[i] = "0"
    return "1" + "".join(chars)


@pytest.mark.parametrize(("number", "bumped"), [("10,169", "10,170"), ("3,7", "3,8"),
                                                ("99", "100"), ("1,999", "2,000"), ("0", "1")])
def test_bump_last_digit(number: str, bumped: str) -> None:
    assert bump_last_digit(number) == bumped


def source_mutants(base: FactBase) -> list[tuple[int, int, str, set[str]]]:
    """(start, end, new text, ids of the facts whose quote covers it) per source number."""
    out = []
    for para in base.source.paragraphs.values():
        for span in kzfacts.find_numbers(para.text):
            s0, s1 = para.start + span.start, para.start + span.end
            quoting = {fid for fid, a in base.anchors.items() if a.quote_span is not None
                       and a.quote_span[0] <= s0 and s1 <= a.quote_span[1]}
            out.append((s0, s1, bump_last_digit(span.text), quoting))
    return out


def test_every_source_number_edit_fails_every_fact_that_quotes_it(loaded: Loaded) -> None:
    base = loaded.base
    mutants = source_mutants(base)
    killed, survivors, by_coverage = 0, [], 0
    for s0, s1, new, quoting in mutants:
        text = base.source.text[:s0] + new + base.source.text[s1:]
        result = check_loaded(loaded, rebuilt(base, text=text))
        named = {a.fact for a in result.anchoring}
        ok = result.exit_code == 1 and named == quoting
        if not quoting:  # a number of no fact: its non-claim no longer matches
            ok = ok and bool(result.coverage.uncovered)
            by_coverage += ok
        if ok:
            killed += 1
        else:
            line = base.source.line_of(s0)
            survivors.append(f"line {line}: {base.source.text[s0:s1]!r} -> {new!r}: exit "
                             f"{result.exit_code}, named {sorted(named)}, quoted by {sorted(quoting)}")
    print(f"source mutants: {killed}/{len(mutants)} killed ({100 * killed / len(mutants):.1f}%); "
          f"{by_coverage} numbers of no fact caught by coverage")
    assert len(mutants) >= 200
    assert survivors == []


# -- end to end: files edited, the real kzfacts check -----------------------------------------

def _copy(tmp_path: Path) -> Path:
    shutil.copytree(FACTS, tmp_path / "facts")
    shutil.copytree(RULES, tmp_path / "rules")
    shutil.copy(BASELINE, tmp_path / "baseline.yaml")
    return tmp_path


def _edit_value(root: Path, base: FactBase, fact: Fact, new: int | Decimal) -> None:
    location = base.locations[fact.id]
    path = root / "facts" / Path(location.file).name
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    pattern = re.compile(rf'^(\s*value:\s*)"?{re.escape(str(fact.value))}"?\s*$')
    for i in range(location.line - 1, len(lines)):
        m = pattern.match(lines[i])
        if m:
            shown = str(new) if isinstance(new, int) else f'"{new}"'
            lines[i] = f"{m.group(1)}{shown}\n"
            path.write_text("".join(lines), encoding="utf-8")
            return
    raise AssertionError(f"no value line for {fact.id} below {location}")


def _cli_check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kzfacts.cli", "check", "--facts", str(root / "facts"),
         "--rules", str(root / "rules"), "--baseline", str(root / "baseline.yaml")],
        capture_output=True, text=True, check=False, timeout=120)


@pytest.mark.parametrize("index", [0, 37, 101])
def test_a_value_mutant_fails_the_real_check(loaded: Loaded, tmp_path: Path, index: int) -> None:
    fact, new = value_mutants(loaded.base)[index]
    root = _copy(tmp_path)
    _edit_value(root, loaded.base, fact, new)
    report_ = kzfacts.check(root / "facts", root / "rules", baseline=root / "baseline.yaml")
    assert report_.exit_code == 1
    assert [a.fact for a in report_.anchoring] == [fact.id]
    if index == 0:
        run = _cli_check(root)
        assert run.returncode == 1, run.stderr
        assert fact.id in run.stdout


@pytest.mark.parametrize("index", [0, 120])
def test_a_source_mutant_fails_the_real_check(loaded: Loaded, tmp_path: Path, index: int) -> None:
    s0, s1, new, quoting = source_mutants(loaded.base)[index]
    root = _copy(tmp_path)
    raw = loaded.base.source.text
    edited = (raw[:s0] + new + raw[s1:]).encode("utf-8")
    (root / "facts" / "source.txt").write_bytes(edited)
    doc = root / "facts" / "document.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace(
        loaded.base.document.sha256, hashlib.sha256(edited).hexdigest()), encoding="utf-8")
    report_ = kzfacts.check(root / "facts", root / "rules", baseline=root / "baseline.yaml")
    assert report_.exit_code == 1
    assert {a.fact for a in report_.anchoring} == quoting
    assert quoting
