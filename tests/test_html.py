"""The HTML report: its sections, charts, highlighted quotes, escaping, and how it is made.

The page is parsed with the standard library's ``html.parser`` into a small tree; the tree
builder refuses a close tag that does not match the open one, so every test also checks that
the page is well nested.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kzfacts
from kzfacts.data.factbase import FactBase
from kzfacts.data.loader import load_baseline
from kzfacts.data.model import Verdict
from kzfacts.engine.check import load, report
from kzfacts.engine.compile import compile_rules
from kzfacts.engine.evaluate import evaluate
from kzfacts.engine.result import Report
from kzfacts.reports.html import _nice_step, _px, _Span, _weave, exact_label, find_series, render_html
from kzfacts.reports.report import EXTENSIONS, render

ROOT = Path(__file__).resolve().parents[1]
KZFACTS = Path(sys.executable).parent / "kzfacts"
WriteBase = Callable[..., tuple[Path, Path]]
MakeFact = Callable[..., dict[str, Any]]

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


# -- a small DOM ----------------------------------------------------------------------------

@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> Iterator[Node]:
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [n for n in self.iter()
                if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)]

    def by_id(self, ident: str) -> Node:
        found = [n for n in self.iter() if n.attrs.get("id") == ident]
        assert len(found) == 1, f"{len(found)} elements with id {ident!r}"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(page: str) -> Node:
    builder = _Builder()
    builder.feed(page)
    builder.close()
    assert [n.tag for n in builder.stack] == ["#root"], "unclosed elements"
    return builder.root


# -- the bundled fact base ------------------------------------------------------------------

@dataclass(frozen=True)
class Rendered:
    base: FactBase
    report: Report
    page: str
    dom: Node


def _build(facts: Path, rules: Path, baseline: Path | None) -> tuple[FactBase, Report]:
    base, rule_set = load(facts, rules)
    accepted = load_baseline(baseline)
    compiled = compile_rules(base, rule_set)
    results = kzfacts.locate(base, rule_set, compiled,
                             evaluate(base, rule_set, compiled, accepted))
    return base, report(base, results, accepted, rules=rule_set)


@pytest.fixture(scope="module")
def bundled() -> Rendered:
    base, rep = _build(ROOT / "facts", ROOT / "rules", ROOT / "baseline.yaml")
    page = render_html(rep, base)
    return Rendered(base, rep, page, parse(page))


def test_sections_and_summary(bundled: Rendered) -> None:
    dom, rep = bundled.dom, bundled.report
    for section in ("summary", "charts", "findings", "source"):
        assert dom.by_id(section).tag == "section"
    summary = dom.by_id("summary")
    tiles = {min(t.classes - {"tile"}): t.all("span", "n")[0].text()
             for t in summary.all("div", "tile")}
    assert tiles == {**{f"v-{k}": str(v) for k, v in rep.counts.items()},
                     "exit": str(rep.exit_code)}
    assert f"{rep.coverage.accounted}/{rep.coverage.found}" in summary.text()
    # at a glance: every rule that is not a pass, linked to its finding
    glance = summary.all("table", "glance")[0]
    linked = [a.attrs["href"] for a in glance.all("a")]
    assert linked == [f"#r-{r.rule}" for r in sorted(
        (r for r in rep.results if r.verdict is not Verdict.PASS),
        key=lambda r: ([Verdict.FAIL, Verdict.WARN, Verdict.SKIP].index(r.verdict), r.rule))]
    # nothing went wrong with the data, so there are no problem sections
    assert not [n for n in dom.iter() if n.attrs.get("id") in ("anchoring", "uncovered", "stale")]


def test_findings_have_arithmetic_facts_and_justification(bundled: Rendered) -> None:
    findings = bundled.dom.by_id("findings")
    articles = findings.all("article")
    shown = [r for r in bundled.report.results if r.verdict is not Verdict.PASS]
    assert len(articles) == len(shown) >= 1
    # fail before warn
    order = [a.attrs["class"].split()[1] for a in articles]
    assert order == sorted(order, key=["v-fail", "v-warn", "v-skip"].index)
    for r in shown:
        article = findings.by_id(f"r-{r.rule}")
        assert article.tag == "article"
        assert f"v-{r.verdict.value}" in article.classes
        assert article.all("p", "arith")[0].text() == r.message
        if r.accepted:
            assert r.justification is not None
            assert r.justification in article.all("p", "accepted-why")[0].text()
        rows = article.all("tr")[1:]
        assert [row.all("code")[0].text() for row in rows] == [f.id for f in r.facts]
        for row, f in zip(rows, r.facts, strict=True):
            assert row.all("a", "quote")[0].attrs["href"] == f"#q-{f.id}"
            assert row.all("a", "quote")[0].text() == f"“{f.quote}”"
            file, line, _ = f.location.split(":")
            assert row.all("td")[-1].text() == f"{file}:{line}"
    # every passing rule is listed with its arithmetic
    passed = findings.all("details", "passed")[0]
    assert len(passed.all("tr", "v-pass")) == bundled.report.counts["pass"]


def test_every_quote_is_marked_in_its_paragraph(bundled: Rendered) -> None:
    source = bundled.dom.by_id("source")
    pieces: dict[str, str] = {}
    for mark in source.all("mark"):
        if "data-fact" in mark.attrs:
            pieces[mark.attrs["data-fact"]] = pieces.get(mark.attrs["data-fact"], "") + mark.text()
    assert set(pieces) == set(bundled.base.facts)
    for fid, fact in bundled.base.facts.items():
        assert pieces[fid] == fact.quote  # split pieces of a crossing quote join up again
        first = source.by_id(f"q-{fid}")
        assert first.tag == "mark"
        paragraph = source.by_id(f"p-{fact.paragraph}")
        assert first in list(paragraph.iter())
    # the paragraphs read as the source does, marks or not
    for number, p in bundled.base.source.paragraphs.items():
        assert source.by_id(f"p-{number}").all("p")[0].text() == p.text


def test_facts_of_failed_rules_are_marked_as_failing(bundled: Rendered) -> None:
    source = bundled.dom.by_id("source")
    failed = [r for r in bundled.report.results if r.verdict is Verdict.FAIL]
    assert failed
    for r in failed:
        for f in r.facts:
            mark = source.by_id(f"q-{f.id}")
            assert "v-fail" in mark.classes
            assert ("accepted" in mark.classes) == r.accepted
    passing_only = {f.id for r in bundled.report.results for f in r.facts} - {
        f.id for r in bundled.report.results if r.verdict is not Verdict.PASS for f in r.facts}
    for fid in passing_only:
        assert "v-pass" in source.by_id(f"q-{fid}").classes


def test_bundled_series_are_the_yearly_tables(bundled: Rendered) -> None:
    series = find_series(bundled.base)
    assert [s.template for s in series] == [
        "torture.registered.{year}", "torture.discontinued.{year}", "torture.to_court.{year}",
        "fund_dom.admin.{year}", "compensation.victims.{year}", "compensation.paid.{year}"]
    registered = series[0]
    assert [p.year for p in registered.points] == list(range(2015, 2024))
    assert [p.partial for p in registered.points] == [False] * 8 + [True]
    paid = series[-1]
    assert [(p.year, p.value, p.partial) for p in paid.points] == [
        (2020, 33545000, True), (2021, 122163000, False), (2022, 143442000, False),
        (2023, 49456000, True)]


def test_one_chart_per_series_one_mark_per_year(bundled: Rendered) -> None:
    charts = bundled.dom.by_id("charts").all("figure", "chart")
    series = find_series(bundled.base)
    assert len(charts) == len(series)
    for chart, s in zip(charts, series, strict=True):
        assert chart.attrs["data-series"] == s.template
        svg = chart.all("svg")[0]
        assert svg.all("title")[0].text().startswith(s.subject)
        assert svg.all("desc")[0].text()
        marks = svg.all("g", "mark")
        assert [int(m.attrs["data-year"]) for m in marks] == [p.year for p in s.points]
        heights = []
        for mark, p in zip(marks, s.points, strict=True):
            fact = bundled.base.facts[p.fact_id]
            assert isinstance(fact.value, int)
            assert mark.all("text", "value")[0].text() == f"{fact.value:,}"
            assert mark.all("text", "year")[0].text() == str(p.year)
            bar = mark.all("rect")[0]
            assert ("partial" in bar.classes) == p.partial
            assert mark.all("a")[0].attrs["href"] == f"#q-{p.fact_id}"
            heights.append((fact.value, Fraction(bar.attrs["height"])))
        # taller bars for larger values, proportionally (to the rounding of a hundredth)
        heights.sort()
        largest = heights[-1]
        for value, height in heights:
            assert abs(height - largest[1] * value / largest[0]) <= Fraction(1, 100)
        legend = svg.all("g", "legend")
        assert bool(legend) == any(p.partial for p in s.points)
        if legend:
            assert "part of the year" in chart.all("figcaption")[0].text()


def test_ticks_are_exact_round_numbers_covering_the_values(bundled: Rendered) -> None:
    charts = bundled.dom.by_id("charts").all("figure", "chart")
    for chart, s in zip(charts, find_series(bundled.base), strict=True):
        ticks = [int(t.text().replace(",", "")) for t in chart.all("text", "tick")]
        assert ticks[0] == 0
        step = ticks[1] - ticks[0]
        assert ticks == list(range(0, ticks[-1] + 1, step))
        assert str(step).rstrip("0") in ("1", "2", "5")
        assert ticks[-1] >= max(p.value for p in s.points) > ticks[-2]


def test_the_page_loads_nothing(bundled: Rendered) -> None:
    assert "<!DOCTYPE html>" in bundled.page.splitlines()[0]
    for node in bundled.dom.iter():
        assert node.tag not in ("script", "link", "img", "iframe", "object", "embed", "use",
                                "image", "audio", "video", "source", "base", "form")
        assert "src" not in node.attrs
        assert not any(k.startswith("on") for k in node.attrs)  # no script in attributes
        href = node.attrs.get("href")
        if href is not None and not href.startswith("#"):
            # the only other links are to the sources of reference data, to follow by hand
            assert node.tag == "a"
            assert "src" in node.classes
            assert href.startswith(("https://", "http://"))
    style = "".join(n.text() for n in bundled.dom.all("style"))
    assert "url(" not in style
    assert "@import" not in style
    assert "@font-face" not in style
    # the reference data's source in p45's note is a link, not a loaded resource
    assert bundled.dom.all("a", "src")


def test_deterministic_wherever_it_runs(bundled: Rendered, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    assert render_html(bundled.report, bundled.base) == bundled.page
    monkeypatch.chdir(tmp_path)  # the data files are now named by absolute paths
    base, rep = _build(ROOT / "facts", ROOT / "rules", ROOT / "baseline.yaml")
    assert str(base.locations["torture.convicted"]).startswith(str(ROOT))
    assert render_html(rep, base) == bundled.page


def test_render_needs_the_base() -> None:
    assert EXTENSIONS[".html"] == "html"
    empty = Report.from_dict({
        "document": "d", "source_sha256": "0", "facts": 0, "paragraphs": 0,
        "paragraphs_with_facts": 0, "counts": {}, "results": [], "anchoring": [],
        "coverage": {"found": 0, "accounted": 0, "uncovered": []}})
    with pytest.raises(ValueError, match="needs the fact base"):
        render(empty, "html")


def test_public_api_renders_html(bundled: Rendered) -> None:
    rep = kzfacts.check(ROOT / "facts", ROOT / "rules", baseline=ROOT / "baseline.yaml")
    base, _ = kzfacts.load(ROOT / "facts", ROOT / "rules")
    assert kzfacts.render(rep, "html", base=base) == bundled.page


# -- tiny fact bases ------------------------------------------------------------------------

def test_escaping(write_base: WriteBase, make_fact: MakeFact) -> None:
    paragraphs = ['The <script>alert("x")</script> & co counted 12 persons in 2022.']
    facts_dir, rules_dir = write_base(
        paragraphs,
        {"p01.yaml": {"paragraph": 1, "facts": [make_fact(
            "persons", 12, "person", '<script>alert("x")</script> & co counted 12 persons',
            "12", period=2022)]}},
        {"r.yaml": {"rules": []}},
        document={"title": "A <b>bold</b> & \"quoted\" title"})
    base, rep = _build(facts_dir, rules_dir, None)
    page = render_html(rep, base)
    dom = parse(page)
    assert "<script" not in page.lower()
    assert "&lt;script&gt;" in page
    assert all("w" in b.classes for b in dom.all("b"))  # only the reader's bold words
    assert dom.all("title")[0].text() == 'kzfacts: A <b>bold</b> & "quoted" title'
    mark = dom.by_id("q-persons")
    assert mark.text() == '<script>alert("x")</script> & co counted 12 persons'
    assert dom.by_id("p-1").all("p")[0].text() == paragraphs[0]


def test_escaping_in_rules_and_findings(write_base: WriteBase, make_fact: MakeFact) -> None:
    facts_dir, rules_dir = write_base(
        ["In 2022, 12 persons were fined and 13 persons were <em>convicted</em>."],
        {"p01.yaml": {"paragraph": 1, "facts": [
            make_fact("fined", 12, "person", "12 persons were fined", "12", period=2022),
            make_fact("convicted", 13, "person", "13 persons were <em>convicted</em>", "13",
                      period=2022)]}},
        {"r.yaml": {"rules": [{
            "id": "fined-ge-convicted", "kind": "bound", "title": "<i>more</i> fined",
            "severity": "error", "paragraphs": [1], "why": "a <why> & more",
            "left": "fined", "relation": "ge", "right": "convicted"}]}})
    base, rep = _build(facts_dir, rules_dir, None)
    assert rep.result("fined-ge-convicted").verdict is Verdict.FAIL
    page = render_html(rep, base)
    dom = parse(page)
    assert not dom.all("i")
    assert not dom.all("em")
    article = dom.by_id("r-fined-ge-convicted")
    assert article.all("p", "title")[0].text() == "<i>more</i> fined"
    assert "a <why> & more" in article.text()
    assert "blocking" in {c for p in article.all("p") for c in p.classes}
    assert "v-fail" in dom.by_id("q-convicted").classes
    assert dom.by_id("summary").all("div", "exit")[0].text().startswith("1")


def test_problem_sections(write_base: WriteBase, make_fact: MakeFact, tmp_path: Path) -> None:
    facts_dir, rules_dir = write_base(
        ["In 2022, 12 persons were fined and 7 were warned."],
        {"p01.yaml": {"paragraph": 1, "facts": [
            make_fact("fined", 13, "person", "In 2022, 12 persons were fined", "12",
                      period=2022)]}},
        {"r.yaml": {"rules": []}})
    baseline = tmp_path / "baseline.yaml"
    baseline.write_text("accepted:\n  - rule: gone\n    verdict: fail\n    why: Old.\n",
                        encoding="utf-8")
    base, rep = _build(facts_dir, rules_dir, baseline)
    assert rep.anchoring
    assert rep.coverage.uncovered
    dom = parse(render_html(rep, base))
    anchoring = dom.by_id("anchoring")
    assert "fined" in anchoring.text()
    assert "which reads as 12" in anchoring.text()
    assert {"q", "bad"} <= dom.by_id("q-fined").classes
    assert [li.all("code")[0].text() for li in dom.by_id("uncovered").all("li")] == ["7"]
    assert [m.text() for m in dom.by_id("p-1").all("mark", "uncovered")] == ["7"]
    assert "gone (fail)" in dom.by_id("stale").text()
    assert not [n for n in dom.iter() if n.attrs.get("id") == "charts"]


def test_find_series_is_generic(write_base: WriteBase, make_fact: MakeFact) -> None:
    text = ("Staff: 10 in 2020, 11 in 2021, 12 in 2022 and 9 in 2023; budget 5 tenge in 2020, "
            "6 tenge in 2021; 14 visits in 2020 and 15 visits in 2021 and 16 visits in 2022.")
    facts = [
        make_fact("staff.2020", 10, "person", "10 in 2020", "10", period=2020),
        make_fact("staff.2021", 11, "person", "11 in 2021", "11", period=2021),
        make_fact("staff.2022", 12, "person", "12 in 2022", "12", period=2022),
        make_fact("staff.2023", 9, "person", "9 in 2023", "9",
                  period={"year": 2023, "partial": True, "why": "to April"}),
        # two years only: not a series
        make_fact("budget.2020", 5, "KZT", "5 tenge in 2020", "5 tenge", kind="money", period=2020),
        make_fact("budget.2021", 6, "KZT", "6 tenge in 2021", "6 tenge", kind="money", period=2021),
        # ids without their year: not a series, however many years
        make_fact("visits.a", 14, "case", "14 visits in 2020", "14", period=2020),
        make_fact("visits.b", 15, "case", "15 visits in 2021", "15", period=2021),
        make_fact("visits.c", 16, "case", "16 visits in 2022", "16", period=2022),
    ]
    facts_dir, rules_dir = write_base([text], {"p01.yaml": {"paragraph": 1, "facts": facts}},
                                      {"r.yaml": {"rules": []}})
    base, rep = _build(facts_dir, rules_dir, None)
    series = find_series(base)
    assert [(s.template, s.unit) for s in series] == [("staff.{year}", "person")]
    assert [(p.year, p.value, p.partial, p.why) for p in series[0].points] == [
        (2020, 10, False, None), (2021, 11, False, None), (2022, 12, False, None),
        (2023, 9, True, "to April")]
    assert [s.template for s in find_series(base, min_years=2)] == ["staff.{year}",
                                                                     "budget.{year}"]
    dom = parse(render_html(rep, base))
    (chart,) = dom.by_id("charts").all("figure", "chart")
    assert [t.text() for t in chart.all("text", "value")] == ["10", "11", "12", "9"]
    assert [("partial" in r.classes) for r in chart.all("rect", "bar")] == [False] * 3 + [True]
    assert "to April" in chart.all("figcaption")[0].text()


# -- the pieces -----------------------------------------------------------------------------

@given(st.fractions(min_value=-10**6, max_value=10**6))
def test_px_rounds_half_up_to_hundredths(value: Fraction) -> None:
    expected = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP) if value >= 0 else None
    got = _px(value)
    assert abs(Fraction(got) - value) <= Fraction(1, 200)
    assert re.fullmatch(r"-?\d+(\.\d\d?)?", got)
    if expected is not None:
        assert Fraction(got) == Fraction(expected)


@given(st.fractions(min_value=Fraction(1, 10**6), max_value=10**12))
def test_nice_step_is_the_smallest_round_step(span: Fraction) -> None:
    step = _nice_step(span)
    assert step * 5 >= span
    mantissa = step
    while mantissa >= 10:
        mantissa /= 10
    while mantissa < 1:
        mantissa *= 10
    assert mantissa in (1, 2, 5)
    smaller = {1: Fraction(1, 2), 2: Fraction(1, 2), 5: Fraction(2, 5)}[int(mantissa)] * step
    assert smaller * 5 < span


@pytest.mark.parametrize(("value", "label"), [
    (630, "630"), (33545000, "33,545,000"), (Decimal("7.8"), "7.8"), (Decimal("49.20"), "49.20"),
    (Decimal("1E+3"), "1,000"), (Decimal("12345.5"), "12,345.5"), (Fraction(1, 2), "0.5"),
    (Fraction(2000), "2,000"), (0, "0")])
def test_exact_label(value: int | Decimal | Fraction, label: str) -> None:
    assert exact_label(value) == label


@given(st.data())
def test_weave_nests_any_spans_and_keeps_the_text(data: st.DataObject) -> None:
    text = data.draw(st.text(alphabet="ab<&> \"", max_size=30))
    bounds = st.integers(0, len(text))
    spans = data.draw(st.lists(st.tuples(bounds, bounds), max_size=6))
    woven = _weave(text, [_Span(min(a, b), max(a, b), f'<mark id="s{i}" data-s="{i}">',
                                f'<mark data-s="{i}">', "</mark>")
                          for i, (a, b) in enumerate(spans)])
    root = parse(f"<div>{woven}</div>")
    assert root.text() == text
    for i, (a, b) in enumerate(spans):
        lo, hi = min(a, b), max(a, b)
        pieces = [m for m in root.all("mark") if m.attrs["data-s"] == str(i)]
        if lo == hi:
            assert not pieces
            continue
        assert "".join(m.text() for m in pieces) == text[lo:hi]
        assert pieces[0].attrs.get("id") == f"s{i}"
        assert all("id" not in m.attrs for m in pieces[1:])


# -- the command line and the pytest plugin -------------------------------------------------

def test_cli_writes_the_same_page(bundled: Rendered, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([str(KZFACTS), "check", "--format", "html", "-o", str(out)], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
                          check=False)
    assert proc.returncode == bundled.report.exit_code, proc.stderr
    assert proc.stdout == ""
    assert out.read_text(encoding="utf-8") == bundled.page


SOURCE = ("1. In 2020, 10 persons were convicted, of which 6 were imprisoned and 3 fined. "
          "In 2021, 11 persons and in 2022, 12 persons were convicted.\n")

FACTS = """\
paragraph: 1
facts:
  - {id: convicted.2020, kind: count, value: 10, unit: person, subject: persons convicted,
     period: 2020, quote: "In 2020, 10 persons were convicted", written: "10"}
  - {id: imprisoned, kind: count, value: 6, unit: person, subject: persons imprisoned,
     period: 2020, quote: "6 were imprisoned", written: "6"}
  - {id: fined, kind: count, value: 3, unit: person, subject: persons fined,
     period: 2020, quote: "3 fined", written: "3"}
  - {id: convicted.2021, kind: count, value: 11, unit: person, subject: persons convicted,
     period: 2021, quote: "In 2021, 11 persons", written: "11"}
  - {id: convicted.2022, kind: count, value: 12, unit: person, subject: persons convicted,
     period: 2022, quote: "in 2022, 12 persons were convicted", written: "12"}
"""

RULES = """\
rules:
  - id: sentences-sum
    kind: sum
    title: The sentences add up to the convicted
    severity: error
    paragraphs: [1]
    why: A partition.
    parts: [imprisoned, fined]
    total: convicted.2020
"""


def test_plugin_writes_html(pytester: pytest.Pytester) -> None:
    import hashlib

    source = pytester.makefile(".txt", **{"facts/source": SOURCE})
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    pytester.makefile(".yaml", **{
        "facts/document": f"title: Test <report>\nsha256: {digest}\n",
        "facts/units": "definitions:\n  - person = [person]\n",
        "facts/p1": FACTS,
        "rules/main": RULES,
    })
    pytester.makeini("[pytest]\ntestpaths = facts rules\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "--kzfacts-report", "out/report.html")
    result.assert_outcomes(passed=2, failed=1)
    assert "report written to out/report.html" in result.stdout.str()
    page = (pytester.path / "out" / "report.html").read_text(encoding="utf-8")
    dom = parse(page)
    assert dom.all("title")[0].text() == "kzfacts: Test <report>"
    article = dom.by_id("r-sentences-sum")
    assert article.all("p", "arith")[0].text() == "6 + 3 = 9, not 10: 1 short"
    for fid in ("imprisoned", "fined", "convicted.2020"):
        assert "v-fail" in dom.by_id(f"q-{fid}").classes
    (chart,) = dom.by_id("charts").all("figure", "chart")
    assert [t.text() for t in chart.all("text", "value")] == ["10", "11", "12"]
