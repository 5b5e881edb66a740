"""``kzfacts suggest``: what a draft would add to an existing fact base, as a patch.

The document of the fact base is drafted with the base's own paragraph style, units and
reference data. A drafted fact whose words a fact of the base already states (or a
non-claim already covers) is not proposed; a drafted rule is rewritten to use the base's
facts, and is not proposed when the base has a rule of its kind over the same facts (or one
of them says no rule can check it: ``unchecked``). What is
left is a unified diff that creates ``facts/drafted-pNN.yaml`` and ``rules/drafted.yaml`` and
adds lines to ``units.yaml`` and ``not_claims.yaml``: it never changes or removes a line of
the base (an empty ``[]`` list becomes a list). Review it, then ``git apply`` it.
"""

from __future__ import annotations

import difflib
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from kzfacts.draft.api import BUILTIN, draft, read_document
from kzfacts.draft.library import FactBase, InvalidDataError, Report, check, detect_style, load
from kzfacts.draft.model import Draft, DraftError, DraftFact, DraftRule
from kzfacts.draft.write import fact_lines, quoted, rule_lines

__all__ = ["Suggestion", "suggest_patch"]


@dataclass
class Suggestion:
    """What a draft adds to a fact base: facts, non-claims, units and rules."""

    facts: list[DraftFact]
    not_claims: list[tuple[int, str, str]]  # paragraph, text, why
    units: list[str]
    words: dict[str, str]
    rules: list[DraftRule]


def _spans(base: FactBase) -> dict[str, tuple[int, int]]:
    """Where the words of each fact of the base stand in the source (written, else quote)."""
    out = {}
    for fid, anchor in base.anchors.items():
        span = anchor.written_span or anchor.quote_span
        if span is not None:
            out[fid] = span
    return out


def _drafted_span(base: FactBase, fact: DraftFact) -> tuple[int, int] | None:
    para = base.source.paragraphs.get(fact.paragraph)
    if para is None:
        return None
    q = para.text.find(fact.quote)
    if q < 0:
        return None
    w = fact.quote.find(fact.written) if fact.written else 0
    length = len(fact.written) if fact.written else len(fact.quote)
    start = para.start + q + max(w, 0)
    return start, start + length


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _covered(base: FactBase, span: tuple[int, int]) -> bool:
    """Some number inside ``span`` is accounted for by a non-claim of the base."""
    for _, number, by in base.coverage.spans:
        if by is not None and by.startswith("not a claim") and _overlap((number.start, number.end), span):
            return True
    return False


def _map_facts(base: FactBase, result: Draft) -> tuple[dict[str, str], list[DraftFact]]:
    """Drafted id → the base's id for facts the base has; and the facts it has not."""
    spans = _spans(base)
    mapping: dict[str, str] = {}
    new: list[DraftFact] = []
    for fact in result.facts:
        span = _drafted_span(base, fact)
        if span is None:
            continue
        same = sorted(fid for fid, s in spans.items() if _overlap(s, span)
                      and base.facts[fid].paragraph == fact.paragraph
                      and (base.facts[fid].kind.value == "statement") == (fact.kind == "statement"))
        if same:
            exact = [fid for fid in same if str(base.facts[fid].value) == str(fact.value)]
            mapping[fact.id] = (exact or same)[0]
        elif fact.kind != "statement" and _covered(base, span):
            continue
        else:
            new.append(fact)
    return mapping, new


def _rewrite(value: object, mapping: dict[str, str]) -> object:
    if isinstance(value, str):
        if "{year}" in value:
            return value
        ref, at, end = value.partition("@")
        return mapping.get(ref, ref) + at + end
    if isinstance(value, list):
        return [_rewrite(v, mapping) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "times" else _rewrite(v, mapping) for k, v in value.items()}
    return value


def _template(rule: DraftRule, template: str, mapping: dict[str, str]) -> str | None:
    """A series template with the base's ids, when every year maps to ``prefix.{year}``."""
    years = rule.fields.get("years")
    if not isinstance(years, list):
        return None
    mapped = set()
    for year in range(int(years[0]), int(years[1]) + 1):
        drafted = template.replace("{year}", str(year))
        target = mapping.get(drafted, drafted)
        if not target.endswith(f".{year}"):
            return None
        mapped.add(target[: -len(str(year)) - 1])
    return f"{mapped.pop()}.{{year}}" if len(mapped) == 1 else None


def _years(fields: dict[str, object]) -> tuple[int, int]:
    years = fields.get("years")
    assert isinstance(years, list | tuple)
    return int(years[0]), int(years[1])


def _rules(base: FactBase, hand: Report, result: Draft, mapping: dict[str, str],
           proposed: set[str]) -> list[DraftRule]:
    numeric = {f.id for f in base.facts.values() if f.kind.value != "statement"}
    have = {(r.kind, frozenset(u.id for u in r.facts if u.id in numeric)) for r in hand.results}
    taken = {r.rule for r in hand.results}
    out = []
    for rule in result.rules:
        fields = dict(rule.fields)
        if rule.kind == "series":
            ok = True
            for side in ("left", "right"):
                value = fields[side]
                items = value if isinstance(value, list) else [value]
                new_items: list[object] = []
                for item in items:
                    if isinstance(item, str) and "{year}" in item:
                        t = _template(rule, item, mapping)
                        first, last = _years(fields)
                        if t is None and any(item.replace("{year}", str(y)) not in proposed
                                             for y in range(first, last + 1)):
                            ok = False
                        new_items.append(t or item)
                    else:
                        new_items.append(_rewrite(item, mapping))
                fields[side] = new_items if isinstance(value, list) else new_items[0]
            if not ok:
                continue
        else:
            fields = {k: (_rewrite(v, mapping) if k not in ("relation", "quantifier", "strict",
                                                             "tolerance", "years") else v)
                      for k, v in fields.items()}
        uses = tuple(mapping.get(u, u) for u in rule.uses)
        if any(u not in mapping.values() and u not in proposed for u in uses):
            continue
        if any(u in base.facts and base.facts[u].unchecked for u in uses):
            continue  # the base says no rule can check that fact
        if not any(u in proposed for u in uses) and \
                (rule.kind, frozenset(u for u in uses if u in numeric)) in have:
            continue
        rule_id = rule.id
        n = 2
        while rule_id in taken:
            rule_id, n = f"{rule.id}-{n}", n + 1
        taken.add(rule_id)
        out.append(replace(rule, id=rule_id, fields=fields, uses=uses))
    return out


def suggest(facts: Path, rules: Path, *, extractor: str = BUILTIN) -> tuple[Suggestion, FactBase]:
    """What a draft of the fact base's document adds to it."""
    base, _ = load(facts, rules)
    hand = check(facts, rules, baseline=None)
    doc = base.document
    style = doc.paragraphs if doc.paragraphs != "auto" else detect_style(base.source.text)
    reference = facts / doc.reference if doc.reference and (facts / doc.reference).exists() else None
    document = read_document(facts / doc.source, title=doc.title, style=style,
                             units=facts / doc.units, reference=reference,
                             decimal_comma=doc.decimal_comma)
    result = draft(document, extractor=extractor)
    mapping, new = _map_facts(base, result)
    ids = set(base.facts)
    renamed: dict[str, str] = {}
    facts_out = []
    for fact in new:
        fid, n = fact.id, 2
        while fid in ids:
            fid, n = f"{fact.id}_{n}", n + 1
        ids.add(fid)
        renamed[fact.id] = fid
        facts_out.append(replace(fact, id=fid))
    mapping.update(renamed)
    proposed = {f.id for f in facts_out}
    covered = {(nc.paragraph, nc.text) for nc in base.not_claims}
    not_claims = [(nc.paragraph, nc.text, nc.why) for nc in result.not_claims
                  if (nc.paragraph, nc.text) not in covered and _uncovered_in(base, nc.paragraph, nc.text)]
    known = set(base.units.unit_names())
    used = {f.unit for f in facts_out if f.unit}
    units = [f"{u.name} = [{u.dimension}]" + (" = _ = " + " = ".join(u.aliases) if u.aliases else "")
             for u in result.units if u.name in used and u.name not in known]
    words = {w: u for w, u in result.words.items() if w.lower() not in {k.lower() for k in base.units.words}}
    return Suggestion(facts_out, not_claims, units, words,
                      _rules(base, hand, result, mapping, proposed)), base


def _uncovered_in(base: FactBase, paragraph: int, text: str) -> bool:
    para = base.source.paragraphs.get(paragraph)
    if para is None:
        return False
    start = para.text.find(text)
    if start < 0:
        return False
    span = (para.start + start, para.start + start + len(text))
    return any(by is None and _overlap((s.start, s.end), span) for p, s, by in base.coverage.spans
               if p == paragraph)


def _append_to_list(text: str, key: str, items: list[str]) -> str | None:
    """``text`` with ``items`` (YAML lines of one list item each, or ``k: v`` entries) added
    at the end of the block under ``key:``; None if the file has no such block."""
    lines = text.split("\n")
    start = re.compile(rf"{key}:\s*(?:\[\]|\{{\}})?\s*(?:#.*)?$")
    head = next((i for i, line in enumerate(lines) if start.match(line)), None)
    if head is None:
        return None
    if re.match(rf"{key}:\s*(?:\[\]|\{{\}})", lines[head]):
        lines[head] = f"{key}:"
    last = head
    for i in range(head + 1, len(lines)):
        if lines[i].strip() == "" or lines[i].startswith((" ", "\t")):
            if lines[i].strip() and not lines[i].strip().startswith("#"):
                last = i
            continue
        if lines[i].startswith("#"):
            continue
        break
    lines[last + 1:last + 1] = items
    return "\n".join(lines)


def _diff(old: str | None, new: str, name: str) -> str:
    a = [] if old is None else old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    return "".join(difflib.unified_diff(a, b, "/dev/null" if old is None else f"a/{name}", f"b/{name}"))


def _files(s: Suggestion, base: FactBase, facts: Path, rules: Path,
           root: Path) -> dict[str, tuple[str | None, str]]:
    """Each file the suggestion touches: (its text now, or None if new; its new text)."""
    out: dict[str, tuple[str | None, str]] = {}

    def rel(p: Path) -> str:
        return p.resolve().relative_to(root).as_posix()

    doc = base.document
    if s.units or s.words:
        path = facts / doc.units
        old: str | None = path.read_text(encoding="utf-8")
        new: str | None = old
        if s.units and new is not None:
            new = _append_to_list(new, "definitions", [f"  - {quoted(u)}" for u in s.units])
        if new is not None and s.words:
            pairs = sorted(s.words.items())
            new = _append_to_list(new, "words", [f"  {quoted(w)}: {quoted(u)}" for w, u in pairs])
        if new is None:
            raise DraftError(f"{path}: expected 'definitions:' and 'words:' blocks to add units to")
        out[rel(path)] = (old, new if new.endswith("\n") else new + "\n")
    if s.not_claims:
        if doc.not_claims is None:
            raise DraftError("the fact base names no not_claims file to add non-claims to")
        path = facts / doc.not_claims
        old = path.read_text(encoding="utf-8") if path.exists() else None
        entries = [x for p, t, why in s.not_claims for x in
                   (f"  - paragraph: {p}", f"    text: {quoted(t)}", f"    why: {quoted(why)}")]
        new = _append_to_list(old, "not_claims", entries) if old is not None else \
            "not_claims:\n" + "\n".join(entries) + "\n"
        if new is None:
            raise DraftError(f"{path}: expected a 'not_claims:' block to add non-claims to")
        out[rel(path)] = (old, new if new.endswith("\n") else new + "\n")
    by_para: dict[int, list[DraftFact]] = {}
    for fact in s.facts:
        by_para.setdefault(fact.paragraph, []).append(fact)
    width = max(2, len(str(len(base.source.paragraphs))))
    for number, items in sorted(by_para.items()):
        path = facts / f"drafted-p{number:0{width}d}.yaml"
        n = 2
        while path.exists():
            path, n = facts / f"drafted-p{number:0{width}d}-{n}.yaml", n + 1
        lines = [f"# Drafted by kzfacts suggest: facts of paragraph {number} the base did not have.",
                 f"paragraph: {number}", "facts:"]
        for fact in items:
            lines += fact_lines(fact)
        out[rel(path)] = (None, "\n".join(lines) + "\n")
    if s.rules:
        path = rules / "drafted.yaml"
        n = 2
        while path.exists():
            path, n = rules / f"drafted-{n}.yaml", n + 1
        lines = ["# Drafted by kzfacts suggest: candidate rules the base did not have.", "rules:"]
        for r in s.rules:
            lines += [*rule_lines(r), ""]
        out[rel(path)] = (None, "\n".join(lines).rstrip("\n") + "\n")
    return out


def _verify(files: dict[str, tuple[str | None, str]], facts: Path, rules: Path, root: Path) -> set[str]:
    """The rules that make the base with the patch applied invalid (a drafted rule over the
    base's facts may join units the base keeps apart): none, or the patch is not offered."""
    with tempfile.TemporaryDirectory(prefix="kzfacts-suggest-") as tmp:
        copy = Path(tmp)
        for folder in (facts, rules):
            shutil.copytree(folder, copy / folder.resolve().relative_to(root))
        for name, (_, new) in files.items():
            target = copy / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(new, encoding="utf-8")
        try:
            check(copy / facts.resolve().relative_to(root), copy / rules.resolve().relative_to(root),
                          baseline=None)
        except InvalidDataError as exc:
            named = (re.search(r"\brule (\S+):", str(e)) for e in exc.errors)
            return {m.group(1) for m in named if m} or {"*"}
    return set()


def suggest_patch(facts: Path, rules: Path, *, extractor: str = BUILTIN) -> str:
    """The unified diff of :func:`suggest`'s proposals (empty when there is nothing to add).

    Raises:
        InvalidDataError: the fact base itself is invalid.
        DraftError: its files cannot take the additions.
    """
    s, base = suggest(facts, rules, extractor=extractor)
    root = Path(*_common([facts.resolve(), rules.resolve()]))
    files = _files(s, base, facts, rules, root)
    for _ in range(3):
        bad = _verify(files, facts, rules, root) if files else set()
        if not bad:
            break
        if "*" in bad:
            raise DraftError("the suggested additions do not load with this fact base (a bug of the "
                             "drafter, please report it)")
        s.rules = [r for r in s.rules if r.id not in bad]
        files = _files(s, base, facts, rules, root)
    else:
        raise DraftError("the suggested rules do not compile with this fact base")
    if not files:
        return ""
    header = (f"# kzfacts suggest: {len(s.facts)} facts, {len(s.not_claims)} non-claims and "
              f"{len(s.rules)} rules a draft of {base.document.source} adds to this fact base.\n"
              "# Nothing of the base is changed or removed. Review, then apply from "
              f"{root}: git apply PATCH (or patch -p1 < PATCH).\n")
    return header + "".join(_diff(old, new, name) for name, (old, new) in sorted(files.items()))


def _common(paths: Iterable[Path]) -> tuple[str, ...]:
    parts = [p.parts for p in paths]
    out = []
    for group in zip(*parts, strict=False):
        if len(set(group)) != 1:
            break
        out.append(group[0])
    return tuple(out)
