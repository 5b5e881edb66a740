"""JSON Schemas of the data file formats and of the JSON report.

The schemas are generated from the same pydantic models the loader validates with; the
fields whose YAML forms are richer than their Python types (exact numbers, dates, periods,
fact values) get their written forms spelled out, so an editor underlines ``value: 7.8``
(a float) exactly as ``kzfacts check`` refuses it. The rules schema has one branch per
installed rule kind, so a plugin's kind is described as soon as it is installed.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from pydantic import BaseModel

from kzfacts.data.model import (
    DATE,
    EXACT,
    RANGE,
    Baseline,
    Document,
    Fact,
    NotClaimsFile,
    ReferenceFile,
    UnitsFile,
)
from kzfacts.engine.kinds import available_kinds
from kzfacts.engine.result import REPORT_VERSION, report_schema

__all__ = ["SCHEMAS", "schema", "schema_text"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_BASE_ID = "https://kzfacts.invalid/schema/"

_PERIOD_FIELDS: dict[str, Any] = {
    "partial": {"type": "boolean", "description": "set when a year figure covers part of it"},
    "why": {"type": "string", "description": "why the period is marked partial"}}
PERIOD: dict[str, Any] = {
    "description": "the time a fact covers: 2019, \"2019/2023\", {start, end}, {year, partial, why}",
    "anyOf": [
        {"type": "null"},
        {"type": "integer", "minimum": 1, "maximum": 9999},
        {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$"},
        {"type": "object", "additionalProperties": False, "required": ["start", "end"],
         "properties": {"start": DATE, "end": DATE, **_PERIOD_FIELDS}},
        {"type": "object", "additionalProperties": False, "required": ["year"],
         "properties": {"year": DATE, **_PERIOD_FIELDS}}]}
VALUE: dict[str, Any] = {
    "description": "exact value: an integer, a quoted decimal, a quoted date, or {min, max}",
    "anyOf": [
        {"type": "null"}, *EXACT["anyOf"], *DATE["anyOf"], RANGE]}


def _wrap(title: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": DRAFT, "$id": f"{_BASE_ID}{name}.schema.json", "title": title, **body}


def _model(model: type[BaseModel]) -> dict[str, Any]:
    return copy.deepcopy(model.model_json_schema())


def _facts() -> dict[str, Any]:
    fact = _model(Fact)
    defs = fact.pop("$defs", {})
    defs.pop("Period", None)
    props = fact["properties"]
    del props["paragraph"]
    fact["required"] = [r for r in fact["required"] if r != "paragraph"]
    props["value"] = VALUE
    props["period"] = PERIOD
    defs["Fact"] = fact
    return _wrap("kzfacts facts file (facts/pNN.yaml)", "facts", {
        "type": "object", "additionalProperties": False, "required": ["paragraph", "facts"],
        "properties": {
            "paragraph": {"type": "integer", "minimum": 1,
                          "description": "the paragraph of the source these facts are in"},
            "facts": {"type": "array", "items": {"$ref": "#/$defs/Fact"}}},
        "$defs": defs})


def _reference() -> dict[str, Any]:
    body = _model(ReferenceFile)
    entry = body["$defs"]["ReferenceEntry"]["properties"]
    entry["value"] = EXACT
    entry["effective_from"] = {"anyOf": [{"type": "null"}, *DATE["anyOf"]]}
    body["$defs"].pop("DateValue", None)
    return _wrap("kzfacts reference data (facts/reference.yaml)", "reference", body)


def _rules() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    branches: list[dict[str, Any]] = []
    kinds = available_kinds()
    for name in sorted(kinds):
        spec = _model(kinds[name].Spec)
        for key, value in spec.pop("$defs", {}).items():
            defs.setdefault(key, value)
        for side in ("left", "right"):  # a side is one term or a list of terms, summed
            prop = spec["properties"].get(side)
            if prop is not None and prop.get("items") == {"$ref": "#/$defs/Term"}:
                spec["properties"][side] = {"anyOf": [{"$ref": "#/$defs/Term"}, prop]}
        spec["properties"]["kind"] = {"const": name}
        spec["title"] = f"a rule of kind {name}"
        defs[f"kind_{name}"] = spec
        branches.append({"if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
                         "then": {"$ref": f"#/$defs/kind_{name}"}})
    if "Term" in defs:  # a term is a fact id, or {fact, times, negate}
        defs["Term"] = {"anyOf": [{"type": "string", "description": "a fact id"}, defs["Term"]]}
    rule = {"type": "object", "required": ["id", "kind"],
            "properties": {"kind": {"enum": sorted(kinds)}}, "allOf": branches}
    return _wrap("kzfacts rules file (rules/*.yaml)", "rules", {
        "type": "object", "additionalProperties": False, "required": ["rules"],
        "properties": {"rules": {"type": "array", "items": rule}}, "$defs": defs})


def _plain(model: type[BaseModel], title: str, name: str) -> dict[str, Any]:
    return _wrap(title, name, _model(model))


def _corpus_report() -> dict[str, Any]:
    report = report_schema()
    defs = report.pop("$defs", {})
    defs["Report"] = report
    counts = {"type": "object", "additionalProperties": False,
              "required": ["pass", "warn", "fail", "skip"],
              "properties": {v: {"type": "integer", "minimum": 0}
                             for v in ("pass", "warn", "fail", "skip")}}
    checked = {"type": "object", "additionalProperties": False,
               "required": ["name", "exit_code", "report"],
               "properties": {"name": {"type": "string"}, "exit_code": {"enum": [0, 1]},
                              "report": {"$ref": "#/$defs/Report"}}}
    failed = {"type": "object", "additionalProperties": False,
              "required": ["name", "exit_code", "error"],
              "properties": {"name": {"type": "string"},
                             "exit_code": {"enum": [2, 3],
                                           "description": "2: invalid data; 3: a rule kind crashed"},
                             "error": {"type": "string", "description": "the errors, one per line"}}}
    total = {"type": "object", "additionalProperties": False,
             "required": ["documents", "facts", "rules", "counts", "documents_with_findings",
                          "documents_invalid", "documents_crashed", "exit_code"],
             "properties": {
                 **{k: {"type": "integer", "minimum": 0}
                    for k in ("documents", "facts", "rules", "documents_with_findings",
                              "documents_invalid", "documents_crashed")},
                 "counts": counts, "exit_code": {"enum": [0, 1, 2, 3]}}}
    return _wrap("kzfacts corpus JSON report (kzfacts check --corpus DIR --format json)",
                 "corpus-report", {
                     "type": "object", "additionalProperties": False,
                     "required": ["documents", "total", "version"],
                     "properties": {
                         "documents": {"type": "array", "description": "in folder-name order",
                                       "items": {"oneOf": [checked, failed]}},
                         "total": total, "version": {"const": REPORT_VERSION}},
                     "$defs": defs})


#: Every schema by name: the data file formats and the JSON report.
SCHEMAS = {
    "facts": _facts,
    "rules": _rules,
    "document": lambda: _plain(Document, "kzfacts document (facts/document.yaml)", "document"),
    "units": lambda: _plain(UnitsFile, "kzfacts units (facts/units.yaml)", "units"),
    "reference": _reference,
    "not-claims": lambda: _plain(NotClaimsFile, "kzfacts non-claims (facts/not_claims.yaml)",
                                 "not-claims"),
    "baseline": lambda: _plain(Baseline, "kzfacts baseline (baseline.yaml)", "baseline"),
    "report": lambda: _wrap("kzfacts JSON report (kzfacts check --format json)", "report",
                            report_schema()),
    "corpus-report": _corpus_report,
}


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) named ``name`` (a key of :data:`SCHEMAS`)."""
    return SCHEMAS[name]()


def schema_text(name: str) -> str:
    """The schema as stable JSON text (sorted keys, one trailing newline)."""
    return json.dumps(schema(name), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
