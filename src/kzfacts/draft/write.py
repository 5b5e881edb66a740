"""A draft as the files of a fact base (docs/format.md): YAML a reviewer can read and edit."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from kzfacts.draft.library import MAX_FILE_BYTES
from kzfacts.draft.model import Draft, DraftError, DraftFact, DraftRule

__all__ = ["fact_base_files", "fact_lines", "quoted", "rule_lines", "write_files"]

SOURCE_NAME = "source.txt"


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(text, ensure_ascii=False)


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):  # positional: the loader reads no exponent ('1E-22')
        return quoted(format(value, "f"))
    if value is None:
        return "null"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items()) + "}"
    return quoted(str(value))


def _value(fact: DraftFact) -> str:
    if isinstance(fact.value, tuple):
        lo, hi = fact.value
        return f"{{min: {_scalar(lo)}, max: {_scalar(hi)}}}"
    return _scalar(fact.value)


def fact_lines(fact: DraftFact) -> list[str]:
    """One fact as YAML list item lines: the fields it has, in the order of the format."""
    def text(value: str | None) -> str | None:
        return None if value is None else quoted(value)

    numeric = fact.kind != "statement"
    fields = [("kind", fact.kind), ("value", _value(fact) if numeric else None),
              ("unit", fact.unit if numeric else None), ("subject", quoted(fact.subject)),
              ("period", text(fact.period)), ("period_text", text(fact.period_text)),
              ("qualifier", fact.qualifier if fact.kind not in {"statement", "date"} else None),
              ("quote", quoted(fact.quote)), ("written", text(fact.written)),
              ("note", text(fact.note)), ("claim", fact.claim)]
    return [f"  - id: {fact.id}", *(f"    {key}: {value}" for key, value in fields
                                    if value is not None)]


def rule_lines(rule: DraftRule) -> list[str]:
    """One rule as YAML list item lines."""
    lines = [f"  - id: {rule.id}", f"    kind: {rule.kind}", f"    title: {quoted(rule.title)}",
             f"    severity: {rule.severity}",
             f"    paragraphs: [{', '.join(str(p) for p in rule.paragraphs)}]",
             f"    why: {quoted(rule.why)}", f"    drafted: {quoted(rule.drafted)}"]
    lines += [f"    {key}: {_scalar(value)}" for key, value in rule.fields.items()]
    return lines


def _units(draft: Draft) -> str:
    doc = draft.document
    lines = ["# Units of this drafted fact base. Each counted noun of the text is its own",
             "# dimension, so a rule adding persons to cases is refused when rules are compiled;",
             "# currencies and index units convert only through a dated rate.",
             "definitions:"]
    lines += [f"  - {quoted(d)}" for d in doc.unit_definitions]
    for unit in sorted(draft.units, key=lambda u: u.name):
        aliases = "".join(f" = {a}" for a in unit.aliases)
        definition = f"{unit.name} = [{unit.dimension}]" + (" = _" + aliases if aliases else "")
        lines.append(f"  - {quoted(definition)}")
    if len(lines) == 4:
        lines[-1] = "definitions: []"
    words = {**draft.words, **doc.unit_words}
    lines.append("# Words of the text that name a unit, for the number reader." if words else "words: {}")
    if words:
        lines.append("words:")
        lines += [f"  {quoted(w)}: {quoted(u)}" for w, u in sorted(words.items())]
    return "\n".join(lines) + "\n"


def fact_base_files(draft: Draft, *, reference: str | None = None) -> dict[str, str]:
    """Every file of the drafted fact base, by its path below the fact base's root."""
    doc = draft.document
    raw = doc.text.encode("utf-8")
    files: dict[str, str] = {}
    files[f"facts/{SOURCE_NAME}"] = doc.text
    files["facts/document.yaml"] = "\n".join([
        "# Drafted by kzfacts draft: every fact, non-claim and rule is a guess that",
        "# kzfacts check verifies. Review them, keep what is right, and edit the rest.",
        f"title: {quoted(doc.title)}", f"source: {SOURCE_NAME}",
        f"sha256: {hashlib.sha256(raw).hexdigest()}", f"paragraphs: {quoted(doc.style)}",
        f"decimal_comma: {_scalar(doc.decimal_comma)}", "units: units.yaml",
        f"reference: {'reference.yaml' if reference is not None else 'null'}",
        "not_claims: not_claims.yaml", ""])
    files["facts/units.yaml"] = _units(draft)
    if reference is not None:
        files["facts/reference.yaml"] = reference
    nc = ["# Numbers of the source that are not claims, each with why (drafted: review them).",
          "not_claims:" if draft.not_claims else "not_claims: []"]
    for item in draft.not_claims:
        nc += [f"  - paragraph: {item.paragraph}", f"    text: {quoted(item.text)}",
               f"    why: {quoted(item.why)}"]
    files["facts/not_claims.yaml"] = "\n".join(nc) + "\n"
    width = max(2, len(str(max((p.number for p in doc.paragraphs), default=1))))
    by_paragraph: dict[int, list[DraftFact]] = defaultdict(list)
    for fact in draft.facts:
        by_paragraph[fact.paragraph].append(fact)
    for number, facts in sorted(by_paragraph.items()):
        lines = [f"paragraph: {number}", "facts:"]
        for fact in facts:
            lines += fact_lines(fact)
        files[f"facts/p{number:0{width}d}.yaml"] = "\n".join(lines) + "\n"
    header = ["# Candidate rules drafted from the words around the numbers, each with the",
              "# pattern that suggested it. A rule that fails is a candidate inconsistency of the",
              "# document, or a wrong guess: read its quotes (kzfacts explain RULE)."]
    # rules/drafted.yaml, then drafted-2.yaml ... when the rules outgrow what the loader
    # reads of one file
    chunks: list[list[str]] = [[]]
    size = 0
    for rule in draft.rules:
        text = "\n".join([*rule_lines(rule), ""])
        if chunks[-1] and size + len(text.encode("utf-8")) > _RULES_BUDGET:
            chunks.append([])
            size = 0
        chunks[-1].append(text)
        size += len(text.encode("utf-8")) + 1
    for i, chunk in enumerate(chunks, 1):
        body = ["rules:", *chunk] if chunk else ["rules: []"]
        name = "rules/drafted.yaml" if i == 1 else f"rules/drafted-{i}.yaml"
        files[name] = "\n".join([*header, *body]).rstrip("\n") + "\n"
    files["baseline.yaml"] = (
        "# Findings of the document that are accepted, each with a one-line justification\n"
        "# (kzfacts baseline update adds the current ones with a TODO to replace).\n"
        "accepted: []\n")
    for name, text in files.items():
        size = len(text.encode("utf-8"))
        if name.endswith(".yaml") and size > MAX_FILE_BYTES:
            raise DraftError(f"a draft whose {name} is at most {MAX_FILE_BYTES:,} bytes (what "
                             f"kzfacts reads of a data file), found {size:,} bytes: draft a "
                             "shorter part of the document")
    return files


#: The bytes of rules written to one drafted rules file before the next one is begun.
_RULES_BUDGET = MAX_FILE_BYTES // 2


def write_files(root: Path, files: Mapping[str, str]) -> list[Path]:
    """Write ``files`` below ``root`` (folders made as needed); returns the paths written."""
    written = []
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8", newline="\n")
        written.append(path)
    return written
