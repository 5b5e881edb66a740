"""JSON Schemas: the JSON report's, and the data formats' for editors, kept true to the loader."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import kzfacts
from kzfacts.cli import main
from kzfacts.data.yaml import FloatLiteral, read_yaml
from kzfacts.reports.report import render_json
from kzfacts.reports.schema import SCHEMAS, schema, schema_text

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "src" / "kzfacts" / "schemas"

FILES = {
    "facts": sorted((ROOT / "facts").glob("p*.yaml")),
    "rules": sorted((ROOT / "rules").glob("*.yaml")),
    "document": [ROOT / "facts/document.yaml"],
    "units": [ROOT / "facts/units.yaml"],
    "reference": [ROOT / "facts/reference.yaml"],
    "not-claims": [ROOT / "facts/not_claims.yaml"],
    "baseline": [ROOT / "baseline.yaml"],
}


def as_an_editor_reads(data: Any) -> Any:
    """YAML 1.2 as editors read it: floats are numbers (kzfacts keeps their text)."""
    if isinstance(data, FloatLiteral):
        return float(data)
    if isinstance(data, dict):
        return {k: as_an_editor_reads(v) for k, v in data.items()}
    if isinstance(data, list):
        return [as_an_editor_reads(v) for v in data]
    return data


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(name))


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_schema_is_valid_and_published_in_the_package(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schema(name))
    published = PUBLISHED / f"kzfacts-{name}.schema.json"
    assert published.read_text(encoding="utf-8") == schema_text(name), (
        "regenerate with: kzfacts schema -o src/kzfacts/schemas")


@pytest.mark.parametrize(("name", "file"), [(n, f) for n, fs in FILES.items() for f in fs],
                         ids=lambda v: v.name if isinstance(v, Path) else v)
def test_every_bundled_file_validates_against_its_schema(name: str, file: Path) -> None:
    data = as_an_editor_reads(read_yaml(file).data)
    errors = [e.message for e in validator(name).iter_errors(data)]
    assert errors == []


def test_the_json_report_validates_against_its_schema(kzfacts_report: kzfacts.Report) -> None:
    report = kzfacts_report
    data = json.loads(render_json(report))
    validator("report").validate(data)
    assert schema("report")["properties"]["version"]["const"] == report.version


def test_the_corpus_json_report_validates_against_its_schema(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A corpus with a checked document, an invalid one and a crashed one, in the schema;
    the schema is not vacuous: a document's report or the total broken is refused."""
    import shutil
    import sys

    import kzfacts.engine.check as engine
    from kzfacts.cli.corpus import check_corpus
    from kzfacts.errors import RuleCrashError
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks.generate import generate
    finally:
        sys.path.remove(str(ROOT))
    corpus = generate(tmp_path / "c", documents=2, paragraphs=2, finding_every=1)
    shutil.copytree(corpus / "d00001", corpus / "d00002")
    (corpus / "d00001" / "facts" / "p01.yaml").write_text("paragraph: 1\nfacts: [\n")
    real: Callable[..., Any] = engine.check

    def crash_the_third(facts: Path, *args: Any, **kwargs: Any) -> Any:
        if "d00002" in str(facts):
            raise RuleCrashError("r", "sum", ZeroDivisionError("planted"))
        return real(facts, *args, **kwargs)

    import io
    out = io.StringIO()
    monkeypatch.setattr(engine, "check", crash_the_third)
    assert check_corpus(corpus, out, fmt="json") == 3
    data = json.loads(out.getvalue())
    assert [d["exit_code"] for d in data["documents"]] == [1, 2, 3]
    check = validator("corpus-report")
    check.validate(data)
    damages: list[Callable[[dict[str, Any]], object]] = [
        lambda d: d["documents"][0]["report"].pop("results"),
        lambda d: d["documents"][1].update(exit_code=1),
        lambda d: d["total"]["counts"].update(fail="6"),
        lambda d: d.update(version="1.0")]
    for damage in damages:
        broken = json.loads(out.getvalue())
        damage(broken)
        assert list(check.iter_errors(broken)), damage


@pytest.mark.parametrize(("change", "field"), [
    ({"value": 7.8}, "value"),              # a float: exact numbers are ints or quoted decimals
    ({"vlaue": 7}, None),                   # a typo: additional properties are refused
    ({"kind": "number"}, "kind"),           # not a fact kind
    ({"period": "2019-2023"}, "period"),    # a period is 2019/2023
    ({"qualifier": "roughly"}, "qualifier"),
])
def test_the_facts_schema_underlines_what_the_loader_refuses(change: dict[str, Any],
                                                             field: str | None) -> None:
    fact = {"id": "a.b", "kind": "count", "value": 7, "unit": "person", "subject": "s",
            "quote": "7 persons"}
    validator("facts").validate({"paragraph": 1, "facts": [fact]})
    bad = {"paragraph": 1, "facts": [{**fact, **change}]}
    errors = list(validator("facts").iter_errors(bad))
    assert errors
    if field is not None:
        assert any(field in e.absolute_path for e in errors) or any(
            field in str(e.message) or field in list(e.path) for e in errors)


def test_the_rules_schema_knows_each_kind_and_its_fields() -> None:
    rule = {"id": "r", "kind": "sum", "title": "a sum", "severity": "error", "paragraphs": [1],
            "why": "a partition", "parts": ["a", {"fact": "b", "times": "2"}], "total": "t"}
    validator("rules").validate({"rules": [rule]})
    assert list(validator("rules").iter_errors({"rules": [{**rule, "kind": "summ"}]}))
    assert list(validator("rules").iter_errors({"rules": [{**rule, "totl": "t"}]}))
    share = {**{k: rule[k] for k in ("id", "title", "severity", "paragraphs", "why")},
             "kind": "share", "share": "s", "whole": "w"}
    validator("rules").validate({"rules": [share]})
    assert list(validator("rules").iter_errors({"rules": [{**share, "parts": ["a"]}]}))


def test_schema_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "facts"]) == 0
    assert json.loads(capsys.readouterr().out) == schema("facts")
    assert main(["schema", "-o", str(tmp_path / "out")]) == 0
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(f"kzfacts-{n}.schema.json" for n in SCHEMAS)
    assert main(["schema", "rules", "-o", str(tmp_path / "rules.json")]) == 0
    assert json.loads((tmp_path / "rules.json").read_text(encoding="utf-8")) == schema("rules")
    assert main(["schema", "nope"]) == 2


def test_facts_and_reference_entries_dump_to_json_that_validates_again() -> None:
    # dates and ranges are written in JSON as the data files write them ("2021-07-19",
    # {min, max}; decimals quoted), so a dumped model validates to an equal one, and the
    # dump validates against the published schema of its file
    from kzfacts.data.model import Fact, ReferenceFile
    base, _ = kzfacts.load(Path(kzfacts.__file__).parents[2] / "facts",
                           Path(kzfacts.__file__).parents[2] / "rules")
    kinds = set()
    validator = jsonschema.Draft202012Validator(schema("facts"))
    for fact in base.facts.values():
        dumped = json.loads(fact.model_dump_json(exclude_none=True))
        assert Fact.model_validate(dumped) == fact
        record = {k: v for k, v in dumped.items() if k != "paragraph"}
        assert not list(validator.iter_errors({"paragraph": fact.paragraph, "facts": [record]}))
        kinds.add(fact.kind.value)
    assert {"date", "range", "count", "share", "money"} <= kinds
    assert base.reference is not None
    again = ReferenceFile.model_validate_json(base.reference.model_dump_json())
    assert again == base.reference
    dates = [e.effective_from for t in again.tables.values() for e in t.entries]
    assert any(d is not None and d.day is not None for d in dates)
