"""The HTML report: one self-contained page with the findings, the source and the charts.

The page loads nothing: no scripts, no style sheets, no fonts, no images from anywhere; a
small inline style sheet, and charts drawn here as inline SVG. It works without JavaScript
and gives the same bytes for the same input (no timestamps, everything in a fixed order).

Charts are found generically: a *series* is a set of numeric facts, of one unit, each for a
single calendar year, whose ids differ only in a dotted segment that is their year
(``torture.registered.2015``, ``torture.registered.2016``...), the same ``{year}``
convention ``series`` rules use. A series of at least :data:`MIN_YEARS` years is drawn.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kzfacts._escape import html_text as _e  # every text of the page goes through it
from kzfacts.data.factbase import FactBase
from kzfacts.data.model import FactKind, Verdict
from kzfacts.engine.evaluate import rule_order
from kzfacts.engine.result import Report, Result, assumed_once
from kzfacts.reports.formats import _files, _Paths, split_location
from kzfacts.values.numbers import find_numbers

__all__ = ["MIN_YEARS", "Point", "Series", "exact_label", "find_series", "render_html"]

#: The fewest years a group of facts needs to be drawn as a chart.
MIN_YEARS = 3

_ORDER = (Verdict.FAIL, Verdict.WARN, Verdict.SKIP, Verdict.PASS)
_MARK = {"pass": "✓", "warn": "!", "fail": "✗", "skip": "-"}
_NUMERIC = (FactKind.DATE, FactKind.RANGE, FactKind.STATEMENT)


def _shown(report: Report) -> list[Result]:
    """The rules that fail, warn or skip, worst first, each in rule order."""
    return sorted((r for r in report.results if r.verdict is not Verdict.PASS),
                  key=lambda r: (_ORDER.index(r.verdict), rule_order(r.rule)))


# --------------------------------------------------------------------------- series


@dataclass(frozen=True, slots=True)
class Point:
    """One year of a series: the fact that states it and whether it covers the whole year."""

    year: int
    fact_id: str
    value: int | Decimal
    partial: bool
    why: str | None


@dataclass(frozen=True, slots=True)
class Series:
    """Facts of one unit, one per year, whose ids differ only in the year segment."""

    template: str
    unit: str
    subject: str
    paragraphs: tuple[int, ...]
    points: tuple[Point, ...]


def find_series(base: FactBase, *, min_years: int = MIN_YEARS) -> list[Series]:
    """The per-year series of a fact base, ordered by paragraph and id.

    Args:
        base: the fact base.
        min_years: the fewest years a series needs.

    Returns:
        Each group of numeric single-year facts whose ids are the same but for one dotted
        segment that is the fact's year, and whose unit is the same, with at least
        ``min_years`` years.
    """
    groups: dict[tuple[str, str], list[Point]] = {}
    subjects: dict[tuple[str, str], Counter[str]] = {}
    paragraphs: dict[tuple[str, str], set[int]] = {}
    for fact in base.facts.values():
        if fact.kind in _NUMERIC or fact.period is None or fact.unit is None:
            continue
        year = fact.period.year
        if year is None or fact.period.start.month is not None or fact.period.end.month is not None:
            continue
        parts = fact.id.split(".")
        if parts.count(str(year)) != 1:
            continue
        assert isinstance(fact.value, int | Decimal)
        template = ".".join("{year}" if p == str(year) else p for p in parts)
        key = (template, fact.unit)
        groups.setdefault(key, []).append(
            Point(year, fact.id, fact.value, fact.period.is_partial, fact.period.why))
        subjects.setdefault(key, Counter())[fact.subject] += 1
        paragraphs.setdefault(key, set()).add(fact.paragraph)
    first = {key: i for i, key in enumerate(groups)}  # the order the fact base states them
    out = []
    for key, points in groups.items():
        if len(points) < min_years:
            continue
        # the subject most of its facts share; ties go to the alphabetically first
        subject = min(subjects[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        out.append(Series(key[0], key[1], subject, tuple(sorted(paragraphs[key])),
                          tuple(sorted(points, key=lambda p: p.year))))
    return sorted(out, key=lambda s: (s.paragraphs, first[(s.template, s.unit)]))


# --------------------------------------------------------------------------- numbers


def _group(text: str) -> str:
    """Thousands separators for a plain decimal string ("33545000" → "33,545,000")."""
    m = re.fullmatch(r"(-?)(\d+)(\.\d+)?", text)
    if m is None:
        return text
    return f"{m.group(1)}{int(m.group(2)):,}{m.group(3) or ''}"


def exact_label(value: int | Decimal | Fraction) -> str:
    """An exact decimal label, grouped: 630 → "630", 33545000 → "33,545,000", 7.8 → "7.8"."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return _group(str(value.numerator))
        value = Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
        return _group(text)
    return _group(str(value))


def _px(value: Fraction) -> str:
    """A pixel coordinate to two decimals, rounded half up, without floats."""
    hundredths = math.floor(value * 100 + Fraction(1, 2))
    sign = "-" if hundredths < 0 else ""
    whole, frac = divmod(abs(hundredths), 100)
    return f"{sign}{whole}" if frac == 0 else f"{sign}{whole}.{frac:02d}".rstrip("0")


def _nice_step(span: Fraction, *, ticks: int = 5) -> Fraction:
    """The smallest 1, 2 or 5 × 10ⁿ that covers ``span`` in at most ``ticks`` steps."""
    if span <= 0:
        return Fraction(1)
    exponent = 0
    while Fraction(10) ** exponent * ticks < span:
        exponent += 1
    while Fraction(10) ** (exponent - 1) * ticks >= span:
        exponent -= 1
    for base in (1, 2, 5, 10):
        step = base * Fraction(10) ** (exponent - 1)
        if step * ticks >= span:
            return step
    raise AssertionError("unreachable: 10 × 10ⁿ⁻¹ always covers the span")


# --------------------------------------------------------------------------- charts

_W, _H = 420, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 86, 10, 34, 30
_BAR, _PARTIAL, _GRID, _INK = "#3a6ea5", "#ffffff", "#d9dde3", "#222222"


def _chart(series: Series, number: int, checked_by: Sequence[Result]) -> str:
    values = [Fraction(p.value) for p in series.points]
    lo_v, hi_v = min(Fraction(0), *values), max(Fraction(0), *values)
    step = _nice_step(hi_v - lo_v)
    lo = math.floor(lo_v / step) * step
    hi = max(math.ceil(hi_v / step) * step, lo + step)
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM

    def y(v: Fraction) -> Fraction:
        return _TOP + plot_h - (v - lo) * plot_h / (hi - lo)

    cid = f"chart-{number}"
    unit = series.unit
    desc = "; ".join(f"{p.year}: {exact_label(p.value)} {unit}"
                     + (" (part of the year)" if p.partial else "") for p in series.points)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
           f'viewBox="0 0 {_W} {_H}" width="{_W}" height="{_H}" '
           f'aria-labelledby="{cid}-title {cid}-desc" font-family="system-ui, sans-serif" '
           f'font-size="12">',
           f'<title id="{cid}-title">{_e(series.subject)} ({_e(unit)}) per year</title>',
           f'<desc id="{cid}-desc">{_e(desc)}</desc>',
           f'<text x="{_LEFT}" y="16" fill="{_INK}" font-weight="600">{_e(unit)}</text>']
    tick = lo
    while tick <= hi:
        ty = _px(y(tick))
        out.append(f'<line class="grid" x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{ty}" y2="{ty}" '
                   f'stroke="{_GRID}"/>')
        out.append(f'<text class="tick" x="{_LEFT - 6}" y="{ty}" dy="4" text-anchor="end" '
                   f'fill="{_INK}">{_e(exact_label(tick))}</text>')
        tick += step
    slot = Fraction(plot_w, len(series.points))
    bar_w = min(slot * 6 / 10, Fraction(56))
    longest = max(len(exact_label(p.value)) for p in series.points)
    # value labels shrink so that neighbours never overlap: ~0.6 em per character
    size = max(7, min(12, int(slot / (Fraction(6, 10) * longest + 1))))
    partial_notes: list[Point] = []
    for i, (p, v) in enumerate(zip(series.points, values, strict=True)):
        x = _LEFT + slot * i + (slot - bar_w) / 2
        top, bottom = (y(v), y(Fraction(0))) if v >= 0 else (y(Fraction(0)), y(v))
        label = exact_label(p.value)
        cls = "bar partial" if p.partial else "bar"
        paint = (f'fill="{_PARTIAL}" stroke="{_BAR}" stroke-width="2" stroke-dasharray="5 3"'
                 if p.partial else f'fill="{_BAR}"')
        if p.partial:
            partial_notes.append(p)
        tip = f"{p.year}: {label} {unit}" + (" (part of the year)" if p.partial else "")
        out.append(
            f'<g class="mark" data-year="{p.year}" data-fact="{_e(p.fact_id)}">'
            f'<a href="#q-{_e(p.fact_id)}"><title>{_e(tip)} — {_e(p.fact_id)}</title>'
            f'<rect class="{cls}" x="{_px(x)}" y="{_px(top)}" width="{_px(bar_w)}" '
            f'height="{_px(bottom - top)}" {paint}/>'
            f'<text class="value" x="{_px(x + bar_w / 2)}" y="{_px(top - 5)}" '
            f'text-anchor="middle" font-size="{size}" fill="{_INK}">{_e(label)}</text></a>'
            f'<text class="year" x="{_px(x + bar_w / 2)}" y="{_H - _BOTTOM + 16}" '
            f'text-anchor="middle" fill="{_INK}">{p.year}</text></g>')
    base_y = _px(y(Fraction(0)))
    out.append(f'<line class="axis" x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{base_y}" '
               f'y2="{base_y}" stroke="{_INK}"/>')
    out.append(f'<line class="axis" x1="{_LEFT}" x2="{_LEFT}" y1="{_TOP}" '
               f'y2="{_px(y(lo))}" stroke="{_INK}"/>')
    if partial_notes:
        lx = _W - _RIGHT - 124
        out.append(f'<g class="legend"><rect x="{lx}" y="6" width="16" height="12" '
                   f'fill="{_PARTIAL}" stroke="{_BAR}" stroke-width="2" stroke-dasharray="5 3"/>'
                   f'<text x="{lx + 22}" y="16" fill="{_INK}">part of the year</text></g>')
    out.append("</svg>")
    paras = ", ".join(f"¶{n}" for n in series.paragraphs)
    caption = [f'<figcaption><strong>{_e(series.subject)}</strong> — {_e(unit)} per year, '
               f'{paras}, <code>{_e(series.template)}</code>']
    if partial_notes:
        notes = "; ".join(f"{p.year}: {_e(p.why or 'the period does not cover the whole year')}"
                          for p in partial_notes)
        caption.append(f'<br><span class="legend-note">Hollow, dashed bars cover part of the '
                       f'year only — {notes}.</span>')
    if checked_by:
        links = ", ".join(f'<a class="v-{r.verdict.value}" href="#r-{_e(r.rule)}">'
                          f'{_e(r.rule)}</a> ({r.verdict.value})' for r in checked_by)
        caption.append(f"<br>Checked by {links}.")
    caption.append("</figcaption>")
    return (f'<figure class="chart" id="{cid}" data-series="{_e(series.template)}">'
            + "".join(out) + "".join(caption) + "</figure>")


# --------------------------------------------------------------------------- source text


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    open: str
    reopen: str
    close: str


def _weave(text: str, spans: Iterable[_Span]) -> str:
    """Escaped ``text`` with elements around spans; crossing spans are split to nest."""
    ordered = sorted((s for s in spans if s.start < s.end), key=lambda s: (s.start, -s.end))
    cuts = sorted({0, len(text)} | {s.start for s in ordered} | {s.end for s in ordered})
    out: list[str] = []
    stack: list[_Span] = []
    i = 0
    for at, nxt in zip(cuts, [*cuts[1:], len(text)], strict=True):
        if any(s.end == at for s in stack):
            reopen = []
            while any(s.end == at for s in stack):
                s = stack.pop()
                out.append(s.close)
                if s.end != at:
                    reopen.append(s)
            for s in reversed(reopen):
                out.append(s.reopen)
                stack.append(s)
        while i < len(ordered) and ordered[i].start == at:
            out.append(ordered[i].open)
            stack.append(ordered[i])
            i += 1
        out.append(_e(text[at:nxt]))
    return "".join(out)


def _fact_verdicts(report: Report) -> dict[str, list[Result]]:
    out: dict[str, list[Result]] = {}
    for r in report.results:
        for f in r.facts:
            if r not in out.setdefault(f.id, []):
                out[f.id].append(r)
    return out


def _mark_class(results: Sequence[Result]) -> str:
    if not results:
        return "q"
    worst = min((r.verdict for r in results), key=_ORDER.index)
    cls = f"q v-{worst.value}"
    if all(r.accepted for r in results if r.verdict is worst) and worst in (
            Verdict.FAIL, Verdict.WARN):
        cls += " accepted"
    return cls


def _marked(text: str, check: str) -> int:
    """How many characters of ``text`` a hygiene finding of ``check`` marks: the number, or
    the bracketed share, it is about; else the one character (a bracket, a quote mark)."""
    if check == "share-without-percent" and ")" in text:
        return text.index(")") + 1
    numbers = find_numbers(text)
    if text[:1].isdigit() and numbers and numbers[0].start == 0:
        return numbers[0].end
    return 1


def _offset(text: str, line: int, column: int) -> int:
    """The offset of the 1-based ``line`` and ``column`` in ``text``."""
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return start + column - 1


def _source(report: Report, base: FactBase, paths: _Paths) -> str:
    used = _fact_verdicts(report)
    by_para: dict[int, list[_Span]] = {}
    paras = base.source.paragraphs

    def para_of(offset: int) -> int | None:
        return next((n for n, p in paras.items() if p.start <= offset < p.end), None)

    def mark(number: int, span: tuple[int, int], open_: str, reopen: str,
             close: str = "</mark>") -> None:
        """Elements around ``span`` (offsets of the source) in paragraph ``number``."""
        offset = paras[number].start
        by_para.setdefault(number, []).append(
            _Span(span[0] - offset, span[1] - offset, open_, reopen, close))

    unchecked = set() if report.checked is None else {u.id for u in report.checked.unchecked}
    for fid, anchor in sorted(base.anchors.items()):
        if anchor.quote_span is None:
            continue
        fact = base.facts[fid]
        results = used.get(fid, [])
        cls = (_mark_class(results) + (" bad" if anchor.problems else "")
               + (" unchecked" if fid in unchecked else ""))
        value = "" if fact.value is None else f" = {fact.value}" + (f" {fact.unit}" if fact.unit else "")
        file, line, _ = split_location(str(base.locations[fid]))
        tip = [f"{fid}{value} ({paths.name(file)}:{line})"]
        tip += [f"{r.rule}: {r.verdict.value}" for r in results]
        tip += list(anchor.problems)
        if fid in unchecked:
            tip.append("no rule checks this fact, and it does not say why (unchecked:)")
        attrs = f'class="{cls}" title="{_e(chr(10).join(tip))}"'
        number = para_of(anchor.quote_span[0])
        if number is None:
            continue
        mark(number, anchor.quote_span, f'<mark id="q-{_e(fid)}" data-fact="{_e(fid)}" {attrs}>',
             f'<mark data-fact="{_e(fid)}" {attrs}>')
        if anchor.written_span is not None:
            mark(number, anchor.written_span, '<b class="w">', '<b class="w">', "</b>")
    for number, span in base.coverage.uncovered:
        if number in paras:
            mark(number, (span.start, span.end),
                 '<mark class="uncovered" title="no fact or non-claim accounts for this number">',
                 '<mark class="uncovered">')
    for d in report.document_findings:
        para = d.paragraph
        if d.location is None or para is None or para not in paras:
            continue
        _, line, column = split_location(d.location)
        at = _offset(base.source.text, line, column)
        end = at + _marked(base.source.text[at:at + 60], d.check)
        hint = _e(f"{d.id}: {d.message}")
        mark(para, (at, end), f'<mark class="hygiene" id="h-{_e(d.id)}" title="{hint}">',
             f'<mark class="hygiene" title="{hint}">')
    out = ['<section id="source"><h2>Source text</h2>',
           '<p class="legend">Every fact\'s quote is highlighted, coloured by the worst verdict '
           'of the rules that use it: <mark class="q v-fail">fail</mark> '
           '<mark class="q v-warn">warn</mark> <mark class="q v-pass">pass</mark> '
           '<mark class="q">no rule</mark>; a dashed outline marks an accepted finding, '
           '<b class="w">bold</b> the words that state the value'
           + (', <mark class="uncovered">red underline</mark> a number nothing accounts for'
              if base.coverage.uncovered else "")
           + (', <mark class="q unchecked">a dotted outline</mark> a fact no rule checks'
              if unchecked else "")
           + (', <mark class="hygiene">a wavy underline</mark> a finding on the text itself'
              if report.document_findings else "") + ".</p>"]
    for number in sorted(paras):
        p = paras[number]
        out.append(f'<div class="para" id="p-{number}"><a class="pn" href="#p-{number}">'
                   f'{number}.</a><p>{_weave(p.text, by_para.get(number, []))}</p></div>')
    out.append("</section>")
    return "".join(out)


# --------------------------------------------------------------------------- findings


def _badge(r: Result) -> str:
    status = r.verdict.value + (" (accepted)" if r.accepted else "")
    return f'<span class="badge v-{r.verdict.value}">{_MARK[r.verdict.value]} {_e(status)}</span>'


_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)]")


def _linked(text: str) -> str:
    """Escaped text whose web addresses (the sources of reference data) are links."""
    out, at = [], 0
    for m in _URL.finditer(text):
        out += [_e(text[at:m.start()]),
                f'<a class="src" rel="noreferrer" href="{_e(m.group())}">{_e(m.group())}</a>']
        at = m.end()
    return "".join(out) + _e(text[at:])


def _where(location: str, paths: _Paths) -> str:
    file, line, _ = split_location(location)
    return f"{paths.name(file)}:{line}" if line else paths.name(file)


def _repairs(r: Result) -> str:
    """The finding's repairs: each with the rule's arithmetic once repaired."""
    loc = r.localisation
    if loc is None or not (loc.repairs or loc.free):
        return ""
    if not loc.repairs:
        return (f'<p class="repair"><strong>Suspects:</strong> {_e(", ".join(loc.free))} (no '
                'repair of one slip makes the rule hold)</p>')
    head = ("The only repair" if loc.unique else "Repair" if len(loc.repairs) == 1
            else f"{len(loc.repairs)} equally likely repairs")
    tail = "" if loc.holds else " (none makes every rule hold: the fewest fail)"
    items = "".join(f"<li>{_e(p.summary)}: <span class=\"arith\">{_e(p.message)}</span>"
                    + (f" — leaves {_e(', '.join(p.failing))} failing" if p.failing else "")
                    + "".join(f" — would make false: {_e(x)}" for x in p.flips) + "</li>"
                    for p in loc.repairs)
    out = f'<div class="repair"><p><strong>{head}</strong>{tail}:</p><ul>{items}</ul>'
    if loc.ruled_out:
        out += ("<p>Ruled out:</p><ul>" + "".join(
            f"<li>{_e(p.summary)}: {_e('; '.join(p.breaks) or ', '.join(p.failing))}</li>"
            for p in loc.ruled_out) + "</ul>")
    return out + "</div>"


def _finding(r: Result, paths: _Paths) -> str:
    paras = ", ".join(f'<a href="#p-{n}">¶{n}</a>' for n in r.paragraphs)
    cls = f"finding v-{r.verdict.value}" + (" accepted" if r.accepted else "")
    out = [f'<article class="{cls}" id="r-{_e(r.rule)}">',
           f'<h3>{_badge(r)} <code>{_e(r.rule)}</code></h3>',
           f'<p class="meta">{paras} · {_e(r.severity.value)} · {_e(r.kind)} · '
           f'{_e(_where(r.location, paths))}</p>',
           f'<p class="title">{_e(r.title)}</p>',
           f'<p class="arith">{_e(r.message)}</p>']
    if r.accepted:
        out.append(f'<p class="accepted-why"><strong>Accepted:</strong> {_e(r.justification)}</p>')
    elif r.blocking:
        out.append('<p class="blocking"><strong>Blocking:</strong> a failed error-severity '
                   'rule the baseline does not accept.</p>')
    out.append(_repairs(r))
    out.append(f'<p class="why"><strong>Why:</strong> {_e(r.why)}</p>')
    out += [f'<p class="note"><strong>Assumes:</strong> {_e(a.text)} (<code>{_e(a.by)}</code>'
            f'{", doubtful" if a.doubtful else ""})</p>' for a in assumed_once(r.assumptions)]
    out += [f'<p class="note">{_linked(n)}</p>' for n in r.notes]
    if r.facts:
        out.append('<table class="facts"><thead><tr><th>fact</th><th>value</th><th>quote</th>'
                   '<th>where</th></tr></thead><tbody>')
        for f in r.facts:
            unit = f" {f.unit}" if f.unit else ""
            out.append(f'<tr><td><code>{_e(f.id)}</code></td>'
                       f'<td class="num">{_e(_group(f.value))}{_e(unit)}</td>'
                       f'<td><a class="quote" href="#q-{_e(f.id)}">“{_e(f.quote)}”</a> '
                       f'<a href="#p-{f.paragraph}">¶{f.paragraph}</a></td>'
                       f'<td>{_e(_where(f.location, paths))}</td></tr>')
        out.append("</tbody></table>")
    out.append("</article>")
    return "".join(out)


def _findings(report: Report, paths: _Paths) -> str:
    shown = _shown(report)
    passed = sorted((r for r in report.results if r.verdict is Verdict.PASS),
                    key=lambda r: rule_order(r.rule))
    out = ['<section id="findings"><h2>Findings</h2>']
    if not shown:
        out.append('<p class="none">No rule fails, warns or is skipped.</p>')
    out += [_finding(r, paths) for r in shown]
    if passed:
        out.append(f'<details class="passed"><summary>{len(passed)} rules pass</summary>'
                   '<table class="rules"><thead><tr><th>rule</th><th>¶</th><th>arithmetic</th>'
                   '</tr></thead><tbody>')
        for r in passed:
            paras = ", ".join(f'<a href="#p-{n}">{n}</a>' for n in r.paragraphs)
            facts = " ".join(f'<a href="#q-{_e(f.id)}">{_e(f.id)}</a>' for f in r.facts)
            out.append(f'<tr class="v-pass" id="r-{_e(r.rule)}"><td><code>{_e(r.rule)}</code>'
                       f'<br><span class="title">{_e(r.title)}</span></td><td>{paras}</td>'
                       f'<td class="arith">{_e(r.message)}<br><span class="uses">{facts}'
                       f'</span></td></tr>')
        out.append("</tbody></table></details>")
    out.append("</section>")
    return "".join(out)


# --------------------------------------------------------------------------- page


def _summary(report: Report) -> str:
    c = report.counts
    accepted = sum(1 for r in report.results if r.accepted)
    blocking = sum(1 for r in report.results if r.blocking)
    cov = report.coverage
    meaning = {0: "nothing failing beyond what the baseline accepts",
               1: "findings that block"}[report.exit_code]
    tiles = "".join(f'<div class="tile v-{v.value}"><span class="n">{c.get(v.value, 0)}</span>'
                    f'<span class="l">{_MARK[v.value]} {v.value}</span></div>'
                    for v in (Verdict.PASS, Verdict.WARN, Verdict.FAIL, Verdict.SKIP))
    return (f'<section id="summary"><h2>Summary</h2><div class="tiles">{tiles}'
            f'<div class="tile exit exit-{report.exit_code}"><span class="n">'
            f'{report.exit_code}</span><span class="l">exit code</span></div></div>'
            f'<ul class="facts-line"><li><strong>{len(report.results)}</strong> rules: '
            f'{accepted} findings accepted by the baseline, {blocking} blocking; exit '
            f'{report.exit_code}: {meaning}.</li>'
            f'<li><strong>{report.facts}</strong> facts in {report.paragraphs_with_facts}/'
            f'{report.paragraphs} paragraphs.</li>'
            f'<li>Numbers of the source accounted for: <strong>{cov.accounted}/{cov.found}'
            f'</strong>{"" if not cov.uncovered else f" ({len(cov.uncovered)} not)"}.</li>'
            f'<li>Facts the source does not support: <strong>{len(report.anchoring)}</strong>; '
            f'stale baseline entries: <strong>{len(report.stale_baseline)}</strong>.</li>'
            f"{_truth_line(report)}</ul>"
            f'<p class="sha">source SHA-256 <code>{_e(report.source_sha256)}</code></p>'
            f"{_glance(report)}</section>")


def _truth_line(report: Report) -> str:
    c = report.checked
    out = ""
    if c is not None:
        out += (f'<li>Facts checked by a rule: <strong>{c.checked}/{c.checkable}</strong> '
                f"({len(c.declared)} declared unchecked"
                + (f', <a href="#unchecked">{len(c.unchecked)} not checked</a>'
                   if c.unchecked else "") + ").</li>")
    if report.document_findings:
        out += (f'<li><a href="#document">Findings on the document</a>: '
                f"<strong>{len(report.document_findings)}</strong>.</li>")
    if report.assumptions:
        out += (f'<li><a href="#assumptions">Assumptions</a>: '
                f"<strong>{len(report.assumptions)}</strong>.</li>")
    return out


def _document(report: Report, paths: _Paths) -> str:
    """Findings on the document, refuted acceptances, unchecked facts, assumptions."""
    out = []
    if report.document_findings:
        out.append('<section id="document"><h2>Findings on the document</h2>')
        for d in report.document_findings:
            status = "warn (accepted)" if d.accepted else "warn"
            where = (f'<a href="#h-{_e(d.id)}">{_e(_where(d.location, paths))}</a>'
                     if d.location else "the whole document")
            para = f' · <a href="#p-{d.paragraph}">¶{d.paragraph}</a>' if d.paragraph else ""
            out.append(f'<article class="finding v-warn{" accepted" if d.accepted else ""}" '
                       f'id="d-{_e(d.id)}"><h3><span class="badge v-warn">{_MARK["warn"]} '
                       f'{status}</span> <code>{_e(d.id)}</code></h3><p class="meta">'
                       f'{_e(d.severity.value)} · {_e(d.check)}{para} · {where}</p>'
                       f'<p class="arith">{_e(d.message)}</p>'
                       + (f'<p class="accepted-why"><strong>Accepted:</strong> {_e(d.justification or "")}'
                          "</p>" if d.accepted else "") + "</article>")
        out.append("</section>")
    if report.contradicted:
        out.append('<section id="contradicted"><h2>Accepted findings a rule refutes</h2><ul>')
        out += [f'<li><a href="#r-{_e(c.rule)}"><code>{_e(c.rule)}</code></a>: '
                f"{_e(c.message)}</li>" for c in report.contradicted]
        out.append("</ul></section>")
    c = report.checked
    if c is not None and c.unchecked:
        out.append('<section id="unchecked"><h2>Facts no rule checks</h2><p>Add a rule, or '
                   "say why none can with <code>unchecked:</code>.</p><ul>")
        out += [f'<li><a href="#q-{_e(u.id)}"><code>{_e(u.id)}</code></a> '
                f'(<a href="#p-{u.paragraph}">¶{u.paragraph}</a>, '
                f"{_e(_where(u.location, paths))})</li>" for u in c.unchecked]
        out.append("</ul></section>")
    if report.assumptions:
        out.append('<section id="assumptions"><h2>Assumptions</h2><ul>')
        for a in report.assumptions:
            rules = ", ".join(f'<a href="#r-{_e(r)}"><code>{_e(r)}</code></a>' for r in a.rules)
            out.append(f"<li><code>{_e(a.by)}</code> ({_e(a.source)}, "
                       f"{_e(_where(a.location, paths))}): {_e(a.text)}"
                       + (" <strong>(doubtful)</strong>" if a.doubtful else "")
                       + (f" — rests on it: {rules}" if rules else " — no rule rests on it")
                       + "</li>")
        out.append("</ul></section>")
    return "".join(out)


def _glance(report: Report) -> str:
    """The rules that fail, warn or skip, one line each, linked to their finding."""
    shown = _shown(report)
    if not shown:
        return ""
    rows = "".join(f'<tr><td>{_badge(r)}</td><td><a href="#r-{_e(r.rule)}"><code>{_e(r.rule)}'
                   f'</code></a></td><td class="arith">{_e(r.message)}</td></tr>' for r in shown)
    return ('<table class="glance"><thead><tr><th>verdict</th><th>rule</th><th>arithmetic</th>'
            f"</tr></thead><tbody>{rows}</tbody></table>")


def _problems(report: Report, paths: _Paths) -> str:
    out = []
    if report.anchoring:
        out.append('<section id="anchoring"><h2>Facts the source does not support</h2><ul>')
        out += [f'<li><a href="#q-{_e(a.fact)}"><code>{_e(a.fact)}</code></a> '
                f'({_e(_where(a.location, paths))}): {_e(a.problem)}</li>'
                for a in report.anchoring]
        out.append("</ul></section>")
    if report.coverage.uncovered:
        out.append('<section id="uncovered"><h2>Numbers no fact accounts for</h2><ul>')
        out += [f'<li><a href="#p-{u.paragraph}">¶{u.paragraph}</a>, line {u.line}: '
                f'<code>{_e(u.text)}</code></li>' for u in report.coverage.uncovered]
        out.append("</ul></section>")
    if report.stale_baseline:
        out.append('<section id="stale"><h2>Stale baseline entries</h2>'
                   '<p>These accepted findings match no result any more:</p><ul>')
        out += [f"<li><code>{_e(s)}</code></li>" for s in report.stale_baseline]
        out.append("</ul></section>")
    return "".join(out)


_STYLE = """
:root{--fail:#b42318;--fail-bg:#fde4e1;--warn:#8a5a00;--warn-bg:#fff1c7;--pass:#1f6f3f;
--pass-bg:#e3f4e8;--skip:#555;--skip-bg:#ececec;--q-bg:#e6eefb;--line:#d9dde3}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1f23;
background:#f6f7f9}
main{max-width:1240px;margin:0 auto;padding:18px 24px 48px}
header h1{margin:0;font-size:22px}header .doc{margin:2px 0 0;color:#444}
nav{margin:10px 0 4px;font-size:14px}nav a{margin-right:14px}
h2{font-size:18px;margin:26px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:0 0 4px}
a{color:#1d4f91}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.tiles{display:flex;gap:10px;flex-wrap:wrap}
.tile{min-width:104px;padding:8px 14px;border-radius:8px;background:#fff;border:1px solid var(--line)}
.tile .n{display:block;font-size:26px;font-weight:700;line-height:1.1}
.tile .l{font-size:13px;color:#444}
.tile.v-pass .n{color:var(--pass)}.tile.v-warn .n{color:var(--warn)}
.tile.v-fail .n{color:var(--fail)}.tile.v-skip .n{color:var(--skip)}
.tile.exit-1{border-color:var(--fail)}.tile.exit-1 .n{color:var(--fail)}
.facts-line{margin:10px 0 0;padding-left:20px}.sha{font-size:12px;color:#555;margin:4px 0 0}
.finding{background:#fff;border:1px solid var(--line);border-left:5px solid var(--skip);
border-radius:6px;padding:10px 14px;margin:0 0 10px}
.finding.v-fail{border-left-color:var(--fail)}.finding.v-warn{border-left-color:var(--warn)}
.finding p{margin:2px 0}.meta{font-size:13px;color:#555}.title{font-weight:600}
.arith{font:14px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f3f4f6;
padding:4px 8px;border-radius:4px;white-space:pre-wrap}
.badge{display:inline-block;white-space:nowrap;padding:0 8px;border-radius:10px;font-size:13px;
font-weight:600}
.badge.v-fail{background:var(--fail-bg);color:var(--fail)}
.badge.v-warn{background:var(--warn-bg);color:var(--warn)}
.badge.v-pass{background:var(--pass-bg);color:var(--pass)}
.badge.v-skip{background:var(--skip-bg);color:var(--skip)}
.accepted-why{color:#333}.blocking{color:var(--fail)}
.repair{font-size:14px}.repair ul{margin:.2em 0}.why,.note{font-size:14px;color:#333}
.note{overflow-wrap:anywhere}
.glance{background:#fff;border:1px solid var(--line);margin-top:12px}
.glance td:nth-child(2){white-space:nowrap}.glance td{padding:5px 8px}
.glance .arith{font-size:13px;background:none;padding:5px 8px}
table{border-collapse:collapse;width:100%;font-size:13px;margin-top:6px}
th,td{text-align:left;vertical-align:top;padding:3px 8px;border-top:1px solid var(--line)}
th{font-weight:600;color:#444}td.num{text-align:right;white-space:nowrap}
details.passed{background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px 14px}
details.passed summary{cursor:pointer;font-weight:600;color:var(--pass)}
.rules .arith{font-size:12px;background:none;padding:0}.uses{font-size:12px}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:12px}
.chart{margin:0;background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px}
.chart-svg{display:block;width:100%;height:auto;max-width:480px}
.chart figcaption{font-size:13px;margin-top:4px}.legend-note{color:#555}
.chart a.v-fail{color:var(--fail)}.chart a.v-warn{color:var(--warn)}
#source .legend{font-size:13px;color:#444}
.para{display:flex;gap:10px;background:#fff;border:1px solid var(--line);border-radius:6px;
padding:6px 12px;margin:0 0 6px}
.para p{margin:0;white-space:pre-wrap}.pn{font-weight:700;text-decoration:none;min-width:26px}
mark{border-radius:3px;padding:0 1px;color:inherit}
mark.q{background:var(--q-bg)}mark.v-pass{background:var(--pass-bg)}
mark.v-warn{background:var(--warn-bg);box-shadow:inset 0 -2px var(--warn)}
mark.v-fail{background:var(--fail-bg);box-shadow:inset 0 -2px var(--fail)}
mark.v-skip{background:var(--skip-bg)}
mark.accepted{outline:1px dashed #777}
mark.bad,mark.uncovered{background:#fff;box-shadow:inset 0 -3px var(--fail)}
mark:target{outline:2px solid #1d4f91}
mark.unchecked{outline:1px dotted var(--warn)}
mark.hygiene{background:none;text-decoration:underline wavy var(--warn)}
.finding:target,tr:target{outline:2px solid #1d4f91}
b.w{font-weight:700}
footer{margin-top:30px;font-size:12px;color:#666}
"""


def render_html(report: Report, base: FactBase) -> str:
    """A self-contained HTML page: summary, findings, charts, source text with quotes marked.

    Args:
        report: the report of a check.
        base: the fact base the report was made from (for the source text, the anchors of
            the quotes and the per-year series).

    Returns:
        The page; the same report and fact base give the same bytes.
    """
    paths = _Paths([*_files(report), *(str(loc.file) for loc in base.locations.values())])
    series = find_series(base)
    used = _fact_verdicts(report)
    charts = []
    for i, s in enumerate(series, start=1):
        ids = {p.fact_id for p in s.points}
        checked = sorted({r.rule: r for f in ids for r in used.get(f, [])}.values(),
                         key=lambda r: rule_order(r.rule))
        charts.append(_chart(s, i, checked))
    nav = ['<a href="#summary">Summary</a>']
    if charts:
        nav.append('<a href="#charts">Charts</a>')
    nav.append('<a href="#findings">Findings</a>')
    if report.document_findings:
        nav.append('<a href="#document">Document</a>')
    nav.append('<a href="#source">Source text</a>')
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>kzfacts: {_e(report.document)}</title>",
        f"<style>{_STYLE}</style></head><body><main>",
        f'<header><h1>kzfacts report</h1><p class="doc">{_e(report.document)}</p></header>',
        f"<nav>{''.join(nav)}</nav>",
        _summary(report),
    ]
    if charts:
        parts.append('<section id="charts"><h2>Per-year series</h2><div class="charts">'
                     + "".join(charts) + "</div></section>")
    parts += [_findings(report, paths), _document(report, paths), _problems(report, paths),
              _source(report, base, paths),
              f'<footer>kzfacts report format {_e(report.version)}. This page loads nothing '
              "from the network.</footer>",
              "</main></body></html>"]
    return "\n".join(p for p in parts if p) + "\n"
