"""Rendering a report: text for terminals, JSON for machines, Markdown for pull requests."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from kzfacts._escape import json_text, plain, plain_lines
from kzfacts._files import EXTENSIONS
from kzfacts.data.model import Verdict
from kzfacts.engine.evaluate import rule_order
from kzfacts.engine.result import Assumed, Localisation, Report, Result, assumed_once

if TYPE_CHECKING:
    from kzfacts.data.factbase import FactBase

__all__ = ["EXTENSIONS", "FORMATS", "FORMATS_WITH_BASE", "render", "render_json",
           "render_markdown", "render_text", "repair_line"]

_MARK = {"pass": "✓", "warn": "!", "fail": "✗", "skip": "-"}
_COLOR = {"pass": "32", "warn": "33", "fail": "31", "skip": "2"}
_ORDER = [Verdict.FAIL, Verdict.WARN, Verdict.SKIP, Verdict.PASS]


def _status(r: Result) -> str:
    if r.accepted:
        return f"{r.verdict.value} (accepted)"
    return r.verdict.value


def _worst_first(report: Report) -> list[Result]:
    """Failures, warnings, skips, passes; each in :func:`~kzfacts.engine.evaluate.rule_order`."""
    return sorted(report.results, key=lambda r: (_ORDER.index(r.verdict), rule_order(r.rule)))


def _lines(lines: list[str], paint: Callable[[str, str], str],
           painted: Mapping[int, tuple[str, int | None]]) -> str:
    """The report's lines, each escaped (:func:`kzfacts._escape.plain`), then coloured:
    ``painted[i] = (verdict, n)`` paints the first ``n`` characters of line ``i`` (all of
    it for ``None``) in the colour of the verdict. Colours are kzfacts' own: they are added
    after the escaping, which leaves the marks they paint as they are."""
    out = [plain(line) for line in lines]
    for i, (verdict, n) in painted.items():
        line = out[i]
        out[i] = paint(line, verdict) if n is None else paint(line[:n], verdict) + line[n:]
    return "\n".join(out) + "\n"


def repair_line(rule: str, loc: Localisation | None) -> str | None:
    """The localisation of a finding in one line: its best repair, how many are as good,
    what it leaves failing or makes false (``None``: nothing to say)."""
    if loc is None:
        return None
    if not loc.repairs:
        if not loc.free:
            return None
        return (f"suspects: {', '.join(loc.free)} (no repair of one slip makes the rule hold; "
                f"kzfacts explain {rule})")
    top = loc.repairs[0]
    line = f"repair{' (the only one)' if loc.unique else ''}: {top.summary}"
    if not loc.holds:
        line += f"; leaves {', '.join(top.failing)} failing"
    if top.flips:
        line += "; would make false: " + "; ".join(top.flips)
    if len(loc.repairs) > 1:
        line += f" (1 of {len(loc.repairs)} equally likely: kzfacts explain {rule})"
    return line


def _details(r: Result) -> list[str]:
    """What a text report says of a result after its arithmetic: its assumptions, the
    baseline's justification, its best repair."""
    out = [f"assumes: {_assumed(a)}" for a in assumed_once(r.assumptions)]
    if r.justification:
        out.append(f"accepted: {r.justification}")
    repair = repair_line(r.rule, r.localisation)
    return out if repair is None else [*out, repair]


def _table(rows: list[tuple[str, ...]], width: int) -> list[tuple[str, int]]:
    """A box-drawn table fitted to ``width`` columns; the last column wraps.

    The cells are escaped first (:func:`kzfacts._escape.plain`): the widths are those of
    what is shown. Each line comes with the data row it shows (-1 for the header and the
    rules).
    """
    rows = [tuple(plain(cell) for cell in row) for row in rows]
    n = len(rows[0])
    widths = [max(len(r[i]) for r in rows) for i in range(n)]
    fixed = sum(widths[:-1]) + 3 * n + 1
    widths[-1] = max(20, min(widths[-1], width - fixed))

    def rule(left: str, mid: str, right: str) -> str:
        return left + mid.join("─" * (w + 2) for w in widths) + right

    out = [(rule("┌", "┬", "┐"), -1)]
    for index, row in enumerate(rows):
        wrapped = textwrap.wrap(row[-1], widths[-1]) or [""]
        for k, last in enumerate(wrapped):
            cells = [c if k == 0 else "" for c in row[:-1]] + [last]
            text = "│" + "│".join(f" {c:<{w}} " for c, w in zip(cells, widths, strict=True)) + "│"
            out.append((text, index - 1))
        if index == 0:
            out.append((rule("├", "┼", "┤"), -1))
    out.append((rule("└", "┴", "┘"), -1))
    return out


def render_text(report: Report, *, color: bool | None = None, table: bool = False,
                width: int = 100) -> str:
    """A text report: a box-drawn table for a terminal, or plain lines for a pipe.

    Args:
        report: the report.
        color: ANSI colours (never when the ``NO_COLOR`` environment variable is set).
        table: a table fitted to ``width`` columns, failures first.
        width: the terminal's width.
    """
    use_color = bool(color) and "NO_COLOR" not in os.environ

    def paint(text: str, verdict: str) -> str:
        return f"\x1b[{_COLOR[verdict]}m{text}\x1b[0m" if use_color else text

    cov = report.coverage
    lines = [f"kzfacts: {report.document}",
             f"  {report.facts} facts in {report.paragraphs_with_facts}/{report.paragraphs} "
             f"paragraphs; numbers accounted for: {cov.accounted}/{cov.found}",
             *_checked_line(report), ""]
    painted: dict[int, tuple[str, int | None]] = {}
    if table:
        results = _worst_first(report)
        rows: list[tuple[str, ...]] = [("verdict", "rule", "¶", "arithmetic")]
        rows += [(f"{_MARK[r.verdict.value]} {_status(r)}", r.rule,
                  ",".join(str(p) for p in r.paragraphs),
                  r.message + "".join(f" — {d}" for d in _details(r))) for r in results]
        for text, row in _table(rows, width):
            if row >= 0:
                painted[len(lines)] = (results[row].verdict.value, None)
            lines.append(text)
    else:
        for r in report.results:
            mark = f"{_MARK[r.verdict.value]} {_status(r):<16}"
            paras = ",".join(f"¶{p}" for p in r.paragraphs)
            painted[len(lines)] = (r.verdict.value, len(mark))
            lines += [f"{mark} {r.rule}  [{paras}] {r.severity.value}", f"    {r.message}",
                      *(f"    {d}" for d in _details(r))]
    _add_document(report, lines, painted)
    lines += [*_problems(report), "", _footer(report)]
    if table:
        painted[len(lines) - 1] = ("fail" if report.exit_code else "pass", None)
    return _lines(lines, paint, painted)


def _footer(report: Report) -> str:
    c = report.counts
    accepted = sum(1 for r in report.results if r.accepted)
    blocking = sum(1 for r in report.results if r.blocking)
    return (f"{len(report.results)} rules: {c['pass']} pass, {c['warn']} warn, "
            f"{c['fail']} fail ({accepted} accepted, {blocking} blocking), {c['skip']} skip; "
            f"exit {report.exit_code}")


def _assumed(a: Assumed) -> str:
    return f"{a.text} ({a.by}{', doubtful' if a.doubtful else ''})"


def _checked_line(report: Report) -> list[str]:
    """"facts checked by a rule: N/M (K declared unchecked)", when the report says."""
    c = report.checked
    if c is None:
        return []
    return [f"  facts checked by a rule: {c.checked}/{c.checkable} "
            f"({len(c.declared)} declared unchecked)"]


def _add_document(report: Report, lines: list[str],
                  painted: dict[int, tuple[str, int | None]]) -> None:
    """Add the findings on the document, contradicted acceptances, unchecked facts and
    assumptions to ``lines`` (each finding's mark painted as a warning)."""
    if report.document_findings:
        n = len(report.document_findings)
        accepted = sum(1 for d in report.document_findings if d.accepted)
        lines += ["", f"Findings on the document ({n}, {accepted} accepted):"]
        for d in report.document_findings:
            status = "warn (accepted)" if d.accepted else "warn"
            where = f"  {d.location}" if d.location else ""
            paras = f"[¶{d.paragraph}]" if d.paragraph is not None else "[document]"
            mark = f"{_MARK['warn']} {status:<16}"
            painted[len(lines)] = ("warn", len(mark))
            lines.append(f"{mark} {d.id}  {paras} {d.severity.value}{where}")
            lines.append(f"    {d.message}")
            if d.accepted:
                lines.append(f"    accepted: {d.justification}")
    if report.contradicted:
        lines += ["", "Accepted findings whose rounding convention another rule refutes "
                      "(not accepted):"]
        lines += [f"  {c.rule}: {c.message}" for c in report.contradicted]
    c = report.checked
    if c is not None and c.unchecked:
        lines += ["", f"Facts no rule checks ({len(c.unchecked)}; add a rule, or say why "
                      "not with 'unchecked:'):"]
        lines += [f"  {u.location}: ¶{u.paragraph} {u.id}" for u in c.unchecked]
    if report.assumptions:
        lines += ["", f"Assumptions ({len(report.assumptions)}):"]
        for a in report.assumptions:
            rules = ", ".join(a.rules) if a.rules else "no rule"
            flag = " (doubtful)" if a.doubtful else ""
            lines.append(f"  {a.location}: {a.by}: {a.text}{flag} — rests on it: {rules}")


def _problems(report: Report) -> list[str]:
    lines: list[str] = []
    if report.anchoring:
        lines += ["", "Facts the source does not support:"]
        lines += [f"  {a.location}: {a.fact}: {a.problem}" for a in report.anchoring]
    if report.coverage.uncovered:
        lines += ["", "Numbers of the source that no fact or non-claim accounts for:"]
        lines += [f"  ¶{u.paragraph} (line {u.line}): {u.text}" for u in report.coverage.uncovered]
    if report.stale_baseline:
        lines += ["", "Baseline entries that match nothing (stale):"]
        lines += [f"  {s}" for s in report.stale_baseline]
    if report.unjustified:
        lines += ["", "Accepted findings still to justify (their 'why' starts with TODO):"]
        lines += [f"  {r}" for r in report.unjustified]
    return lines


def render_json(report: Report) -> str:
    """The versioned JSON report: sorted keys, stable bytes for the same input."""
    return json_text(report.to_dict())


def _md(text: str) -> str:
    """Text in a Markdown table cell (the line is escaped as a whole by ``plain_lines``)."""
    return text.replace("|", "\\|")


def render_markdown(report: Report) -> str:
    """A Markdown summary, ready for a pull-request comment."""
    c = report.counts
    out = [f"### kzfacts: {report.document}", "",
           f"**{len(report.results)} rules**: {c['pass']} pass · {c['warn']} warn · "
           f"{c['fail']} fail · {c['skip']} skip — numbers accounted for "
           f"{report.coverage.accounted}/{report.coverage.found}"
           + (f" — facts checked by a rule {report.checked.checked}/{report.checked.checkable} "
              f"({len(report.checked.declared)} declared unchecked)" if report.checked else "")
           + f" — exit {report.exit_code}", "",
           "| rule | ¶ | verdict | severity | arithmetic |", "|---|---|---|---|---|"]
    for r in _worst_first(report):
        paras = ", ".join(str(p) for p in r.paragraphs)
        verdict = f"{_MARK[r.verdict.value]} {_status(r)}"
        assumes = "".join(f" — assumes: {_md(_assumed(a))}"
                          for a in assumed_once(r.assumptions))
        repair = repair_line(r.rule, r.localisation)
        arithmetic = _md(r.message) + assumes + (f"<br>{_md(repair)}" if repair else "")
        out.append(f"| `{r.rule}` | {paras} | {verdict} | {r.severity.value} | "
                   f"{arithmetic} |")
    out += _document_markdown(report)
    if report.anchoring:
        out += ["", "#### Facts the source does not support", ""]
        out += [f"- `{a.location}` `{a.fact}`: {_md(a.problem)}" for a in report.anchoring]
    if report.coverage.uncovered:
        out += ["", "#### Numbers not accounted for", ""]
        out += [f"- ¶{u.paragraph}, line {u.line}: `{u.text}`" for u in report.coverage.uncovered]
    if report.stale_baseline:
        out += ["", "#### Baseline entries that match nothing (stale)", ""]
        out += [f"- `{s}`" for s in report.stale_baseline]
    if report.unjustified:
        out += ["", "#### Accepted findings still to justify", ""]
        out += [f"- `{r}`: its justification starts with TODO" for r in report.unjustified]
    return plain_lines(out)


def _document_markdown(report: Report) -> list[str]:
    out: list[str] = []
    if report.document_findings:
        out += ["", "#### Findings on the document", "",
                "| finding | ¶ | where | verdict | what |", "|---|---|---|---|---|"]
        for d in report.document_findings:
            status = "! warn (accepted)" if d.accepted else "! warn"
            para = "" if d.paragraph is None else str(d.paragraph)
            out.append(f"| `{d.id}` | {para} | {d.location or 'document'} | {status} | "
                       f"{_md(d.message)} |")
    if report.contradicted:
        out += ["", "#### Accepted findings a rule refutes (not accepted)", ""]
        out += [f"- `{c.rule}`: {_md(c.message)}" for c in report.contradicted]
    c = report.checked
    if c is not None and c.unchecked:
        out += ["", "#### Facts no rule checks", ""]
        out += [f"- `{u.id}` (¶{u.paragraph}, `{u.location}`)" for u in c.unchecked]
    if report.assumptions:
        out += ["", "#### Assumptions", ""]
        out += [f"- `{a.by}` ({a.source}): {_md(a.text)}" + (" (doubtful)" if a.doubtful else "")
                + (f" — rests on it: {', '.join(f'`{r}`' for r in a.rules)}" if a.rules else "")
                for a in report.assumptions]
    return out


def _junit(report: Report) -> str:
    from kzfacts.reports.formats import render_junit

    return render_junit(report)


def _sarif(report: Report) -> str:
    from kzfacts.reports.formats import render_sarif

    return render_sarif(report)


def _claimreview(report: Report, base: FactBase) -> str:
    from kzfacts.reports.formats import render_claimreview

    return render_claimreview(report, base.document.claimreview)


def _html(report: Report, base: FactBase) -> str:
    from kzfacts.reports.html import render_html

    return render_html(report, base)


# The renderers of the other formats are imported when used: a text check loads none of them.
FORMATS: dict[str, Callable[[Report], str]] = {
    "text": render_text, "json": render_json, "markdown": render_markdown, "junit": _junit,
    "sarif": _sarif}

#: Formats that also need the fact base: the source text and where each quote stands
#: (html), who publishes the reviews, where and when (claimreview).
FORMATS_WITH_BASE: dict[str, Callable[[Report, FactBase], str]] = {
    "claimreview": _claimreview, "html": _html}


def render(report: Report, fmt: str, *, base: FactBase | None = None) -> str:
    """Render in a named format (text, json, markdown, junit, sarif, claimreview, html).

    Raises:
        ValueError: a format of ``FORMATS_WITH_BASE`` (html, claimreview) without the
            fact ``base``.
    """
    if fmt in FORMATS_WITH_BASE:
        if base is None:
            raise ValueError(f"the {fmt} format needs the fact base: render(report, {fmt!r}, "
                             "base=...)")
        return FORMATS_WITH_BASE[fmt](report, base)
    return FORMATS[fmt](report)
