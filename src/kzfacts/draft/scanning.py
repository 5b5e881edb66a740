"""``kzfacts scan``: draft a document in a temporary folder, check it, report what fails.

The report is the ``check`` report of the drafted fact base (every format ``check`` writes);
the text format lists the candidate inconsistencies first, each with its arithmetic, the
words that suggested the rule and the quotes of its facts.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from kzfacts.draft.api import BUILTIN, draft, read_document, write_draft
from kzfacts.draft.library import FactBase, Report, Result, check_with_base, plain_lines
from kzfacts.draft.model import Draft

__all__ = ["Scan", "render_scan", "scan_source"]


@dataclass(frozen=True)
class Scan:
    """A scan: the draft, the check report of it, and the fact base it was checked as."""

    source: Path
    draft: Draft
    report: Report
    base: FactBase

    @property
    def candidates(self) -> list[Result]:
        """The drafted rules that fail, at severity error or warning: the candidate
        inconsistencies (an info rule is a weaker reading, listed apart)."""
        return [r for r in self.report.results
                if r.verdict.value == "fail" and r.severity.value != "info"]

    @property
    def exit_code(self) -> int:
        """1 when a candidate fails or the draft is not anchored (a bug), else 0."""
        problems = self.report.anchoring or self.report.coverage.uncovered
        return 1 if self.candidates or problems else 0


def scan_source(source: Path, *, extractor: str = BUILTIN, **options: object) -> Scan:
    """Draft ``source``, check the draft, and return both (nothing is left on disk)."""
    document = read_document(source, **options)  # type: ignore[arg-type]
    result = draft(document, extractor=extractor)
    with tempfile.TemporaryDirectory(prefix="kzfacts-scan-") as tmp:
        root = Path(tmp)
        write_draft(result, root)
        base, report = check_with_base(root / "facts", root / "rules", baseline=None)
    return Scan(source, result, report, base)


def _block(r: Result, drafted: dict[str, str]) -> list[str]:
    mark = {"fail": "✗", "warn": "!", "pass": "✓", "skip": "-"}[r.verdict.value]
    paras = ",".join(f"¶{p}" for p in r.paragraphs)
    lines = [f"{mark} {r.rule}  [{paras}] {r.kind}, {r.severity.value}: {r.title}",
             f"    {r.message}"]
    if r.rule in drafted:
        lines.append(f"    drafted from {drafted[r.rule]}")
    for use in r.facts:
        value = "" if use.value in ("None", "") else f" → {use.value}" + (f" {use.unit}" if use.unit else "")
        lines.append(f"    ¶{use.paragraph} \u201c{' '.join(use.quote.split())}\u201d{value}")
    return lines


def render_scan(scan: Scan) -> str:
    """The text of a scan: candidate inconsistencies first, with arithmetic and quotes."""
    rep = scan.report
    drafted = {rule.id: rule.drafted for rule in scan.draft.rules}
    doc = scan.draft.document
    lines = [f"kzfacts scan: {scan.source} ({len(doc.paragraphs)} paragraphs, numbered {doc.style!r})",
             f"  drafted {rep.facts} facts (numbers accounted for: {rep.coverage.accounted}/"
             f"{rep.coverage.found}) and {len(rep.results)} candidate rules", ""]
    for note in doc.notes:
        lines.insert(2, f"  note: {note}")
    candidates = scan.candidates
    if candidates:
        lines += [f"{len(candidates)} candidate inconsistenc{'y' if len(candidates) == 1 else 'ies'}:", ""]
        for r in candidates:
            lines += [*_block(r, drafted), ""]
    else:
        lines += ["No candidate inconsistency: every drafted rule holds (or only warns).", ""]
    warned = [r for r in rep.results if r.verdict.value == "warn"]
    weak = [r for r in rep.results if r.verdict.value == "fail" and r.severity.value == "info"]
    if warned:
        lines += [f"{len(warned)} holding only under a looser reading:", ""]
        for r in warned:
            lines += [*_block(r, drafted), ""]
    if weak:
        lines += [f"{len(weak)} weaker reading{'s' if len(weak) > 1 else ''} that fail (info):", ""]
        for r in weak:
            lines += [*_block(r, drafted), ""]
    if rep.anchoring or rep.coverage.uncovered:
        lines += ["The draft is not anchored (a bug of the drafter, please report it):"]
        lines += [f"  {a.location}: {a.fact}: {a.problem}" for a in rep.anchoring]
        lines += [f"  ¶{u.paragraph} (line {u.line}): {u.text} not accounted for"
                  for u in rep.coverage.uncovered]
        lines.append("")
    c = rep.counts
    lines += [f"{len(rep.results)} drafted rules: {c['pass']} pass, {c['warn']} warn, {c['fail']} fail, "
              f"{c['skip']} skip; exit {scan.exit_code}",
              "Each rule is a guess the engine checked exactly. To keep what is right: "
              f"kzfacts draft {scan.source} -o DIR, then edit DIR/rules/drafted.yaml."]
    return plain_lines(lines)  # each line escaped: the document's words start none
