"""More report formats: JUnit XML for CI dashboards, SARIF for code scanning, ClaimReview for the web.

Each renderer is a pure function of the report: the same report gives the same bytes (sorted
keys, no timestamps). File paths are written relative: a report built from folders outside the
working directory carries absolute paths, which are made relative to the folder that holds the
facts and rules folders, so the output does not depend on where the check ran.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from kzfacts._escape import json_text, plain
from kzfacts.data.model import ClaimReviewPublication, Severity, Verdict
from kzfacts.engine.evaluate import rule_order
from kzfacts.engine.result import DocumentFinding, Repair, Report, Result

if TYPE_CHECKING:  # imported by the JUnit renderer only
    import xml.etree.ElementTree as ET

__all__ = [
    "SARIF_SCHEMA",
    "SARIF_VERSION",
    "claimreview_missing",
    "render_claimreview",
    "render_junit",
    "render_sarif",
]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
FINGERPRINT = "kzfactsRule/v1"
ANCHORING_RULE = "kzfacts.anchoring"
COVERAGE_RULE = "kzfacts.coverage"

_FINDINGS = (Verdict.FAIL, Verdict.WARN)
_DEFAULT_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


# --------------------------------------------------------------------------- locations


def split_location(location: str) -> tuple[str, int, int]:
    """``"file:line:col"`` → ``(file, line, col)``; line and column are 0 when not given.

    The file may itself hold colons (``C:\\facts\\p01.yaml:3:5``): only trailing numbers count.
    """
    parts = location.rsplit(":", 2)
    if len(parts) == 3 and parts[0] and parts[1].isdigit() and parts[2].isdigit():
        return parts[0], int(parts[1]), int(parts[2])
    parts = location.rsplit(":", 1)
    if len(parts) == 2 and parts[0] and parts[1].isdigit():
        return parts[0], int(parts[1]), 0
    return location, 0, 0


def _pure(path: str) -> PurePath:
    windows = PureWindowsPath(path)
    return windows if windows.drive else PurePosixPath(path)


def _files(report: Report) -> Iterator[str]:
    for r in report.results:
        yield split_location(r.location)[0]
        for f in r.facts:
            yield split_location(f.location)[0]
    for a in report.anchoring:
        yield split_location(a.location)[0]
    for d in report.document_findings:
        if d.location is not None:
            yield split_location(d.location)[0]
    for assumption in report.assumptions:
        yield split_location(assumption.location)[0]
    if report.checked is not None:
        for u in (*report.checked.unchecked, *report.checked.declared):
            yield split_location(u.location)[0]
    for r in report.results:
        for p in r.localisation.repairs if r.localisation is not None else ():
            for e in p.edits:
                yield split_location(e.location)[0]


class _Paths:
    """Relative, forward-slashed names for the files of a report."""

    def __init__(self, files: Iterable[str]) -> None:
        dirs = {p.parent.parts for p in map(_pure, files) if p.is_absolute()}
        root: tuple[str, ...] = ()
        if dirs:
            # the common prefix of the least and greatest is the common prefix of all
            low, high = min(dirs), max(dirs)
            size = next((i for i, (a, b) in enumerate(zip(low, high, strict=False)) if a != b),
                        min(len(low), len(high)))
            root = low[:size]
            if root in dirs and len(root) > 1:
                # the files sit in the common folder itself: keep that folder's name
                root = root[:-1]
        self._root = root

    def name(self, file: str) -> str:
        path = _pure(file)
        parts = path.parts
        if self._root and parts[:len(self._root)] == self._root and len(parts) > len(self._root):
            return "/".join(parts[len(self._root):])
        return path.as_posix()

    def uri(self, file: str) -> str:
        path = _pure(self.name(file))
        if path.is_absolute():  # no common root (several drives): an absolute file URI
            return path.as_uri()
        return quote(path.as_posix(), safe="/")


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def _finding_fingerprint(r: Result) -> str:
    return _fingerprint(r.rule, *sorted(f.id for f in r.facts))


def _numbered(keys: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Make repeated keys unique by their occurrence: the second ``k`` becomes ``(*k, "#2")``."""
    seen: dict[tuple[str, ...], int] = {}
    out = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else (*key, f"#{seen[key]}"))
    return out


# --------------------------------------------------------------------------- JUnit XML

def _classname(paths: _Paths, file: str) -> str:
    name = paths.name(file)
    for suffix in (".yaml", ".yml"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return name.replace("/", ".")


def _element(parent: ET.Element, tag: str, attrs: dict[str, str],
             *lines: str) -> ET.Element:
    """A child of ``parent``: every attribute value and text line kzfacts puts in the XML
    comes through here, escaped as plain text (:func:`kzfacts._escape.plain`): no control
    or format character, nothing XML 1.0 cannot hold, no line of the data's own."""
    import xml.etree.ElementTree as ET

    element = ET.SubElement(parent, tag, {k: plain(v) for k, v in attrs.items()})
    if lines:
        element.text = "\n".join(map(plain, lines))
    return element


def _facts_body(r: Result, paths: _Paths) -> list[str]:
    lines = [r.message, "", f"why: {r.why}", "facts:"]
    for f in r.facts:
        file, line, col = split_location(f.location)
        lines.append(f"  {paths.name(file)}:{line}:{col}: {f.id}: “{f.quote}”")
    lines += [f"note: {n}" for n in r.notes]
    return lines


def _rule_case(suite: ET.Element, r: Result, paths: _Paths) -> ET.Element:
    file, line, _ = split_location(r.location)
    case = _element(suite, "testcase", {"classname": _classname(paths, file), "name": r.rule,
                                        "file": paths.name(file), "line": str(line)})
    if r.accepted:
        _element(case, "skipped", {"message": f"accepted: {r.justification}"},
                 f"{r.verdict.value} ({r.severity.value}), accepted", *_facts_body(r, paths))
    elif r.blocking:
        _element(case, "failure", {"message": r.message, "type": r.severity.value},
                 r.title, *_facts_body(r, paths))
    elif r.verdict is Verdict.SKIP:
        _element(case, "skipped", {"message": f"skip: {r.message}"})
    elif r.verdict in _FINDINGS:
        label = r.verdict.value if r.verdict is Verdict.WARN else f"fail ({r.severity.value}, not blocking)"
        _element(case, "system-out", {}, f"{label}: {r.message}")
    return case


def _anchoring_case(suite: ET.Element, report: Report, paths: _Paths) -> ET.Element:
    case = _element(suite, "testcase", {"classname": "kzfacts", "name": "anchoring"})
    if report.anchoring:
        n = len(report.anchoring)
        lines = []
        for a in report.anchoring:
            file, line, col = split_location(a.location)
            where = f"{paths.name(file)}:{line}:{col}" if line else paths.name(file)
            lines.append(f"{where}: {a.fact}: {a.problem}")
        _element(case, "failure", {
            "message": f"{n} fact{'s' if n != 1 else ''} the source does not support",
            "type": "anchoring"}, *lines)
    return case


def _coverage_case(suite: ET.Element, report: Report) -> ET.Element:
    cov = report.coverage
    case = _element(suite, "testcase", {"classname": "kzfacts", "name": "coverage"})
    if cov.uncovered:
        n = len(cov.uncovered)
        _element(case, "failure", {
            "message": f"{n} number{'s' if n != 1 else ''} of the source not accounted for",
            "type": "coverage"}, *(f"¶{u.paragraph} (line {u.line}): {u.text}" for u in cov.uncovered))
    else:
        _element(case, "system-out", {}, f"numbers accounted for: {cov.accounted}/{cov.found}")
    return case


def _document_case(suite: ET.Element, d: DocumentFinding, paths: _Paths) -> ET.Element:
    attrs = {"classname": "kzfacts.document", "name": d.id}
    if d.location is not None:
        file, line, _ = split_location(d.location)
        attrs |= {"file": paths.name(file), "line": str(line)}
    case = _element(suite, "testcase", attrs)
    if d.accepted:
        _element(case, "skipped", {"message": f"accepted: {d.justification}"},
                 f"warn ({d.severity.value}), accepted", d.message)
    else:
        _element(case, "system-out", {}, f"warn ({d.severity.value}): {d.message}")
    return case


def _checked_case(suite: ET.Element, report: Report, paths: _Paths) -> ET.Element:
    c = report.checked
    assert c is not None
    case = _element(suite, "testcase", {"classname": "kzfacts", "name": "checked-facts"})
    lines = [f"facts checked by a rule: {c.checked}/{c.checkable} "
             f"({len(c.declared)} declared unchecked)"]
    for u in c.unchecked:
        file, line, col = split_location(u.location)
        lines.append(f"not checked: {paths.name(file)}:{line}:{col}: {u.id}")
    _element(case, "system-out", {}, *lines)
    return case


def render_junit(report: Report) -> str:
    """JUnit XML: a test case per rule, plus ``anchoring`` and ``coverage``.

    A blocking failure is a ``<failure>``; an accepted finding and a skipped rule are
    ``<skipped>``; a warning passes with its message in ``<system-out>``.
    """
    import xml.etree.ElementTree as ET

    paths = _Paths(_files(report))
    suites = ET.Element("testsuites", {"name": "kzfacts"})
    suite = _element(suites, "testsuite", {"name": "kzfacts"})
    props = _element(suite, "properties", {})
    for prop, text in (("document", report.document), ("source_sha256", report.source_sha256),
                       ("report_version", report.version)):
        _element(props, "property", {"name": prop, "value": text})
    cases = [_rule_case(suite, r, paths) for r in report.results]
    cases += [_document_case(suite, d, paths) for d in report.document_findings]
    cases += [_anchoring_case(suite, report, paths), _coverage_case(suite, report)]
    if report.checked is not None:
        cases.append(_checked_case(suite, report, paths))
    notes: list[list[str]] = []
    if report.stale_baseline:
        notes.append(["Baseline entries that match nothing (stale):", *report.stale_baseline])
    if report.contradicted:
        notes.append(["Accepted findings a rule refutes (not accepted):",
                      *(f"{c.rule}: {c.message}" for c in report.contradicted)])
    if report.assumptions:
        notes.append(["Assumptions:", *(
            f"{a.by}: {a.text}" + (" (doubtful)" if a.doubtful else "")
            + (f" (rests on it: {', '.join(a.rules)})" if a.rules else "")
            for a in report.assumptions)])
    if notes:
        _element(suite, "system-out", {}, *[line for i, note in enumerate(notes)
                                            for line in ([""] if i else []) + note])
    counts = {
        "tests": len(cases),
        "failures": sum(1 for c in cases if c.find("failure") is not None),
        "errors": 0,
        "skipped": sum(1 for c in cases if c.find("skipped") is not None),
    }
    for element in (suites, suite):
        for key, value in counts.items():
            element.set(key, str(value))
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


# --------------------------------------------------------------------------- SARIF 2.1.0


def _sarif_level(r: Result) -> str:
    if r.verdict is Verdict.FAIL and r.severity is Severity.ERROR:
        return "error"
    if r.verdict is Verdict.FAIL and r.severity is Severity.WARNING:
        return "warning"
    return "note"


def _physical(paths: _Paths, location: str) -> dict[str, Any]:
    file, line, col = split_location(location)
    physical: dict[str, Any] = {"artifactLocation": {"uri": paths.uri(file)}}
    if line > 0:
        region: dict[str, int] = {"startLine": line}
        if col > 0:
            region["startColumn"] = col
        physical["region"] = region
    return physical


def _descriptor(rule: str, short: str, full: str, level: str, **more: Any) -> dict[str, Any]:
    return {"id": rule, "name": rule, "shortDescription": {"text": short},
            "fullDescription": {"text": full}, "defaultConfiguration": {"level": level}, **more}


def _document_rule(d: DocumentFinding) -> str:
    return f"kzfacts.{d.id.split('.')[0]}.{d.check}"


def _accepted(justification: str | None) -> list[dict[str, Any]]:
    return [{"kind": "external", "status": "accepted", "justification": justification}]


def _descriptors(report: Report) -> list[dict[str, Any]]:
    rules = {
        ANCHORING_RULE: _descriptor(
            ANCHORING_RULE, "Every fact is supported by the words of the source",
            "A fact's quote must be found in its paragraph, and its written form must read as "
            "its value.", "error"),
        COVERAGE_RULE: _descriptor(
            COVERAGE_RULE, "Every number of the source is accounted for",
            "Each number written in the source is a fact or a declared non-claim.", "error"),
    }
    for d in report.document_findings:
        text = _DOCUMENT_CHECKS.get(d.check, d.check)
        rules[_document_rule(d)] = _descriptor(_document_rule(d), text, text,
                                               _DEFAULT_LEVEL[d.severity])
    for r in report.results:
        rules[r.rule] = _descriptor(r.rule, r.title, r.why, _DEFAULT_LEVEL[r.severity],
                                    properties={"kind": r.kind, "paragraphs": list(r.paragraphs)})
    return [rules[k] for k in sorted(rules, key=rule_order)]


def _finding(r: Result, index: int, paths: _Paths) -> dict[str, Any]:
    locations: list[dict[str, Any]] = [
        {"physicalLocation": _physical(paths, f.location), "message": {"text": f"{f.id}: “{f.quote}”"}}
        for f in r.facts]
    rule_physical = _physical(paths, r.location)
    rule_location = {"id": 0, "physicalLocation": rule_physical, "message": {"text": f"rule {r.rule}"}}
    result: dict[str, Any] = {
        "ruleId": r.rule, "ruleIndex": index, "level": _sarif_level(r),
        "message": {"text": r.message},
        # a result with no fact still needs a place: the rule itself
        "locations": locations or [{"physicalLocation": rule_physical}],
        "relatedLocations": [rule_location],
        "partialFingerprints": {FINGERPRINT: _finding_fingerprint(r)},
        "properties": {"verdict": r.verdict.value, "severity": r.severity.value, "kind": r.kind,
                       "title": r.title, "paragraphs": list(r.paragraphs),
                       "intervals": dict(r.intervals), "notes": list(r.notes),
                       "assumptions": [f"{a.by}: {a.text}" for a in r.assumptions]},
    }
    if r.accepted:
        result["suppressions"] = _accepted(r.justification)
    loc = r.localisation
    if loc is not None and loc.repairs:
        result["properties"]["repairs"] = [p.summary for p in loc.repairs]
        result["properties"]["repairsHold"] = loc.holds
        result["properties"]["repairUnique"] = loc.unique
        fixes = [_fix(p, paths) for p in loc.repairs if p.edits]
        if fixes:
            result["fixes"] = fixes
    return result


#: What each check on the document looks for (SARIF rule descriptions).
_DOCUMENT_CHECKS = {
    "unclosed-bracket": "Every bracket opened in a paragraph is closed in it",
    "unclosed-quote": "Every quotation opened in a paragraph is closed in it",
    "decimal-comma": "Decimals use the document's own decimal separator",
    "decimal-point": "Decimals use the document's own decimal separator",
    "share-without-percent": "A bracketed share carries its % as its siblings do",
    "grouping": "Numbers group their digits as the document's other numbers do",
    "rounding": "The document follows one rounding convention",
}


def _truth_properties(report: Report) -> dict[str, Any]:
    """The run's properties for assumptions, refuted acceptances and checked facts."""
    out: dict[str, Any] = {}
    if report.assumptions:
        out["assumptions"] = [{"by": a.by, "source": a.source, "text": a.text,
                               "rules": list(a.rules), "doubtful": a.doubtful}
                              for a in report.assumptions]
    if report.contradicted:
        out["contradicted"] = [{"rule": c.rule, "message": c.message}
                               for c in report.contradicted]
    if report.checked is not None:
        c = report.checked
        out["checkedFacts"] = {"checked": c.checked, "checkable": c.checkable,
                               "declaredUnchecked": len(c.declared),
                               "unchecked": [u.id for u in c.unchecked]}
    return out


def _fix(repair: Repair, paths: _Paths) -> dict[str, Any]:
    """A repair as SARIF proposes a change: each edited line's text replaced."""
    changes: dict[str, list[dict[str, Any]]] = {}
    for edit in repair.edits:
        file, line, col = split_location(edit.location)
        changes.setdefault(paths.uri(file), []).append({
            "deletedRegion": {"startLine": line, "startColumn": col,
                              "endColumn": col + len(edit.old)},
            "insertedContent": {"text": edit.new}})
    return {"description": {"text": repair.summary},
            "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}
                                for uri, replacements in changes.items()]}


def render_sarif(report: Report) -> str:
    """SARIF 2.1.0: a result per failed or warned rule, per anchoring problem, per uncovered number.

    A result's locations are the facts it used; the rule is its related location; accepted
    findings carry an external suppression with the baseline's justification.
    """
    paths = _Paths(_files(report))
    rules = _descriptors(report)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = [_finding(r, index[r.rule], paths) for r in report.results if r.verdict in _FINDINGS]
    for d in report.document_findings:
        name = _document_rule(d)
        found: dict[str, Any] = {
            "ruleId": name, "ruleIndex": index[name], "level": _DEFAULT_LEVEL[d.severity],
            "message": {"text": d.message},
            "locations": ([{"physicalLocation": _physical(paths, d.location)}]
                          if d.location is not None else
                          [{"logicalLocations": [{"name": "document", "kind": "module"}]}]),
            "partialFingerprints": {FINGERPRINT: _fingerprint(d.id)},
            "properties": {"id": d.id, "verdict": d.verdict.value,
                           "severity": d.severity.value, "rules": list(d.rules)}}
        if d.accepted:
            found["suppressions"] = _accepted(d.justification)
        results.append(found)
    anchor_keys = _numbered((ANCHORING_RULE, a.fact) for a in report.anchoring)
    for a, key in zip(report.anchoring, anchor_keys, strict=True):
        results.append({
            "ruleId": ANCHORING_RULE, "ruleIndex": index[ANCHORING_RULE], "level": "error",
            "message": {"text": f"{a.fact}: {a.problem}"},
            "locations": [{"physicalLocation": _physical(paths, a.location)}],
            "partialFingerprints": {FINGERPRINT: _fingerprint(*key)},
        })
    cover_keys = _numbered((COVERAGE_RULE, str(u.paragraph), u.text) for u in report.coverage.uncovered)
    for u, key in zip(report.coverage.uncovered, cover_keys, strict=True):
        results.append({
            "ruleId": COVERAGE_RULE, "ruleIndex": index[COVERAGE_RULE], "level": "error",
            "message": {"text": f"¶{u.paragraph}, line {u.line} of the source: “{u.text}” is neither "
                                "a fact nor a non-claim"},
            # the report does not name the source file: the paragraph is a logical location
            "locations": [{"logicalLocations": [{"name": f"¶{u.paragraph}", "kind": "paragraph",
                                                 "fullyQualifiedName": f"source/¶{u.paragraph}"}]}],
            "partialFingerprints": {FINGERPRINT: _fingerprint(*key)},
            "properties": {"paragraph": u.paragraph, "line": u.line, "text": u.text},
        })
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {"name": "kzfacts", "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {"document": report.document, "sourceSha256": report.source_sha256,
                           "reportVersion": report.version,
                           "staleBaseline": list(report.stale_baseline),
                           **_truth_properties(report)},
        }],
    }
    return json_text(doc)


# --------------------------------------------------------------------------- ClaimReview


def _claim_review(report: Report, r: Result, publication: ClaimReviewPublication,
                  ) -> dict[str, Any]:
    quotes = list(dict.fromkeys(f.quote for f in r.facts))
    document = {"@type": "CreativeWork", "name": report.document,
                "identifier": f"sha256:{report.source_sha256}"}
    appearance = []
    for p in r.paragraphs:
        said = list(dict.fromkeys(f.quote for f in r.facts if f.paragraph == p))
        item: dict[str, Any] = {"@type": "CreativeWork", "name": f"¶{p}", "position": p,
                                "isPartOf": document}
        if said:
            item["text"] = " / ".join(said)
        appearance.append(item)
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": r.rule,
        "name": r.title,
        "claimReviewed": " / ".join(quotes),
        "reviewBody": r.why,
        "reviewRating": {"@type": "Rating", "alternateName": r.verdict.value,
                         "ratingExplanation": r.message},
        "itemReviewed": {"@type": "Claim", "appearance": appearance},
    }
    if publication.publisher is not None:
        review["author"] = {"@type": "Organization", "name": publication.publisher}
    if publication.url is not None:
        review["url"] = f"{publication.url}#r-{quote(r.rule, safe='')}"
    if publication.date is not None:
        review["datePublished"] = str(publication.date)
    return review


def render_claimreview(report: Report,
                       publication: ClaimReviewPublication | None = None) -> str:
    """schema.org ClaimReview JSON-LD: a list with one review per failed or warned rule.

    Args:
        report: the report.
        publication: ``claimreview:`` of ``document.yaml``: the publisher is each review's
            ``author``, the url with ``#r-<rule id>`` its ``url``, the date its
            ``datePublished``. What is not declared is left out (see
            :func:`claimreview_missing`).
    """
    publication = publication or ClaimReviewPublication()
    return json_text([_claim_review(report, r, publication)
                      for r in report.results if r.verdict in _FINDINGS])


def claimreview_missing(publication: ClaimReviewPublication) -> str | None:
    """What a publishable ClaimReview lacks, as a notice for stderr, or None.

    JSON-LD has no comments, so the output only leaves the fields out; the command line
    says which (``kzfacts check --format claimreview``).
    """
    if not publication.missing:
        return None
    fields = ", ".join(publication.missing)
    return (f"the ClaimReview output lacks {fields} for publication: declare "
            f"{'it' if len(publication.missing) == 1 else 'them'} under claimreview: in "
            "document.yaml (see docs/format.md)")
