"""What kzfacts prints, from a fact base whose texts attack a terminal and a CI log.

Titles, ``why``, baseline justifications, quotes, the document's title and a file name
carry line breaks, GitHub workflow commands (``::error ...::``, ``::add-mask::``,
``::set-output``, the legacy ``##[error]``), an escape sequence and a bidirectional
override. Every output (the seven report formats, ``explain``, ``facts``, ``numbers``,
``diff``, ``baseline update``, error messages, the pytest plugin) is checked for the one
rule (no line a runner reads as a command, no raw control or format character) and for
exactly what it shows instead (kzfacts._escape).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import kzfacts
from kzfacts._escape import UNSAFE, html_text, json_text, plain
from kzfacts.cli import main

SOURCE = ("EXAMPLE NOTE\n\n1) The city lent 84,000 books\n::notice::in 2024: 51,000 to adults "
          "and 32,000 to children.\n\n2) It had 6 libraries.\n")
TITLE = "Note\n::add-mask::secret"
RULE_TITLE = "Loans add up\n::error file=x::pwned"
WHY = "##[error]legacy \u202eevil"
JUSTIFIED = "accepted\r\n::set-output name=x::y"
QUOTE = "lent 84,000 books\n::notice::in 2024"
ODD_FILE = "p\x1b[2J.yaml"  # an escape sequence that clears the screen, in a file name

FILES = {
    "facts/source.txt": SOURCE,
    "facts/document.yaml": None,  # written with the source's sha256
    "facts/units.yaml": ("definitions:\n  - library = [library] = _ = libraries\n"
                         "  - loan = [loan] = _ = loans\n"),
    "facts/p01.yaml": (
        "paragraph: 1\nfacts:\n"
        f"  - {{id: loans, kind: count, value: 84000, unit: loan, period: 2024, subject: books,\n"
        f"     quote: {json.dumps(QUOTE)}, written: \"84,000\"}}\n"
        "  - {id: loans.adults, kind: count, value: 51000, unit: loan, period: 2024,\n"
        "     subject: adults, quote: \"51,000 to adults\", written: \"51,000\"}\n"
        "  - {id: loans.children, kind: count, value: 32000, unit: loan, period: 2024,\n"
        "     subject: children, quote: \"32,000 to children\", written: \"32,000\"}\n"),
    f"facts/{ODD_FILE}": (
        "paragraph: 2\nfacts:\n"
        "  - {id: libraries, kind: count, value: 6, unit: library, subject: libraries,\n"
        "     quote: \"6 libraries\", written: \"6\"}\n"),
    "rules/note.yaml": (
        "rules:\n"
        f"  - {{id: p10.loans, kind: sum, title: {json.dumps(RULE_TITLE)}, severity: error,\n"
        f"     paragraphs: [1], why: {json.dumps(WHY)}, parts: [loans.adults, loans.children],\n"
        "     total: loans}\n"
        "  - {id: p9.loans, kind: sum, title: The same sum accepted, severity: error,\n"
        "     paragraphs: [1], why: Accepted., parts: [loans.adults, loans.children],\n"
        "     total: loans}\n"
        "  - {id: p2.children, kind: bound, title: Fewer to children, severity: error,\n"
        "     paragraphs: [1], why: As written., left: loans.children, relation: le,\n"
        "     right: loans.adults}\n"),
    "baseline.yaml": (f"accepted:\n  - rule: p9.loans\n    verdict: fail\n"
                      f"    why: {json.dumps(JUSTIFIED)}\n"),
}


def write_base(root: Path) -> Path:
    digest = hashlib.sha256(SOURCE.encode()).hexdigest()
    document = (f"title: {json.dumps(TITLE)}\nsource: source.txt\nsha256: {digest}\n"
                "paragraphs: \"1)\"\nclaimreview: {publisher: \"Fact Desk\"}\n")
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document if text is None else text, encoding="utf-8")
    return root


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_base(tmp_path / "base")
    monkeypatch.chdir(root)
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def assert_safe(text: str, *, layout: str = "\n") -> None:
    """No line a GitHub runner reads as a command, no raw control or format character
    beyond the output's own line breaks."""
    for line in text.split("\n"):
        assert not line.lstrip().startswith("::"), line
        assert "##[" not in line, line
    raw = {c for c in UNSAFE.findall(text) if c not in layout}
    assert raw == set(), [unicodedata.name(c, hex(ord(c))) for c in raw]


# -- the escaping functions ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "shown"), [
    ("x\n::error::pwned", "x\\n::error::pwned"),
    ("::error file=a.yaml::pwned", "\\x3a:error file=a.yaml::pwned"),
    ("  \u00a0::add-mask::secret", "  \u00a0\\x3a:add-mask::secret"),
    ("\t::warning::x", "\\t::warning::x"),
    ("see ##[error]x and ###[y", "see \\x23#[error]x and #\\x23#[y"),
    ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
    ("\x9b31m C1 \x85 NEL \x7f", "\\x9b31m C1 \\x85 NEL \\x7f"),
    ("2023 \u202e591 \u2066x\u2069 \u200b \u00ad", "2023 \\u202e591 \\u2066x\\u2069 \\u200b \\xad"),
    ("a\u2028b\u2029c\r\nd", "a\\u2028b\\u2029c\\r\\nd"),
    ("tag \U000e0041 \ud800 \uffff", "tag \\U000e0041 \\ud800 \\uffff"),
    ("1\u202f234 km \u00a0", "1\u202f234 km \u00a0"),  # spaces are not controls: kept
    ("a: b :: c", "a: b :: c"),
])
def test_plain_escapes_by_class(text: str, shown: str) -> None:
    assert plain(text) == shown
    assert plain(shown) == shown  # escaping twice changes nothing


def test_the_class_is_every_control_format_separator_and_nonchararacter() -> None:
    """UNSAFE holds every code point of categories Cc, Cf, Cs, Zl, Zp and the noncharacters
    of the running Python, so a newer Unicode cannot slip one past it; beyond them, only
    format characters of a Unicode newer than this Python's (unassigned here)."""
    def unsafe(c: int) -> bool:
        return (unicodedata.category(chr(c)) in ("Cc", "Cf", "Cs", "Zl", "Zp")
                or 0xFDD0 <= c <= 0xFDEF or c & 0xFFFE == 0xFFFE)

    listed = {c for c in range(0x110000) if UNSAFE.fullmatch(chr(c))}
    missing = [f"U+{c:04X}" for c in range(0x110000) if unsafe(c) and c not in listed]
    beyond = [f"U+{c:04X}" for c in sorted(listed)
              if not unsafe(c) and unicodedata.category(chr(c)) != "Cn"]
    assert (missing, beyond) == ([], [])
    assert len(listed) > 2_300  # C0, C1, surrogates and the rest


def test_json_text_keeps_the_data_and_holds_no_unsafe_byte() -> None:
    doc = {"title": "x\n::error::y", "why": "##[error] \u202e \x85 \U000e0041 \ud800"}
    text = json_text(doc)
    assert text == ('{\n  "title": "x\\n::error::y",\n  "why": "\\u0023#[error] \\u202e \\u0085 '
                    '\\udb40\\udc41 \\ud800"\n}\n')
    assert json.loads(text) == doc
    assert_safe(text)


def test_html_text_keeps_line_breaks_as_references_and_shows_the_rest() -> None:
    assert html_text("a <b>\n::error::x\t\u202e ##[y]") == (
        "a &lt;b&gt;&#10;::error::x&#9;\\u202e &#35;#[y]")


# -- every output of a hostile fact base ----------------------------------------------------------

@pytest.mark.usefixtures("base")
def test_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check")
    assert (code, err) == (1, "")
    assert_safe(out)
    lines = out.splitlines()
    assert lines[0] == "kzfacts: Note\\n::add-mask::secret"
    first = lines.index("✗ fail (accepted)  p9.loans  [¶1] error")
    assert lines[first:first + 3] == [
        "✗ fail (accepted)  p9.loans  [¶1] error",
        "    51,000 + 32,000 = 83,000, not 84,000: 1,000 short",
        "    accepted: accepted\\r\\n::set-output name=x::y"]
    # the rules in natural order: p2 before p9 before p10
    assert [line[19:].split()[0] for line in lines if line[:1] in ("✓", "✗")] == [
        "p2.children", "p9.loans", "p10.loans"]


@pytest.mark.usefixtures("base")
def test_markdown_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--format", "markdown")
    assert code == 1
    assert_safe(out)
    assert out.splitlines()[0] == "### kzfacts: Note\\n::add-mask::secret"
    assert ("| `p10.loans` | 1 | ✗ fail | error | 51,000 + 32,000 = 83,000, not 84,000: "
            "1,000 short<br>repair: ") in out


@pytest.mark.usefixtures("base")
def test_junit_report(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", "--format", "junit")
    assert_safe(out)
    root = ET.fromstring(out)  # noqa: S314 - our own output
    failure = root.find("testsuite/testcase[@name='p10.loans']/failure")
    assert failure is not None and failure.text is not None
    assert failure.text.splitlines()[:4] == [
        "Loans add up\\n::error file=x::pwned", "51,000 + 32,000 = 83,000, not 84,000: 1,000 short",
        "", "why: \\x23#[error]legacy \\u202eevil"]
    assert "  facts/p01.yaml:3:5: loans: “lent 84,000 books\\n::notice::in 2024”" in (
        failure.text.splitlines())
    skipped = root.find("testsuite/testcase[@name='p9.loans']/skipped")
    assert skipped is not None
    assert skipped.get("message") == "accepted: accepted\\r\\n::set-output name=x::y"
    prop = root.find("testsuite/properties/property[@name='document']")
    assert prop is not None and prop.get("value") == "Note\\n::add-mask::secret"


@pytest.mark.usefixtures("base")
def test_sarif_report_keeps_the_data(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", "--format", "sarif")
    assert_safe(out)
    assert '"text": "\\u0023#[error]legacy \\u202eevil"' in out
    run_ = json.loads(out)["runs"][0]
    rule = next(r for r in run_["tool"]["driver"]["rules"] if r["id"] == "p10.loans")
    assert rule["shortDescription"]["text"] == RULE_TITLE
    assert rule["fullDescription"]["text"] == WHY
    p9 = next(r for r in run_["results"] if r["ruleId"] == "p9.loans")
    assert p9["suppressions"][0]["justification"] == JUSTIFIED


@pytest.mark.usefixtures("base")
def test_json_and_claimreview_keep_the_data(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", "--format", "json")
    assert_safe(out)
    assert json.loads(out)["document"] == TITLE
    code, out, err = run(capsys, "check", "--format", "claimreview")
    assert code == 1
    assert_safe(out)
    assert '"reviewBody": "\\u0023#[error]legacy \\u202eevil"' in out
    reviews = {r["identifier"]: r for r in json.loads(out)}
    assert reviews["p10.loans"]["name"] == RULE_TITLE
    assert reviews["p10.loans"]["author"] == {"@type": "Organization", "name": "Fact Desk"}
    assert err == ("kzfacts: the ClaimReview output lacks url, date for publication: declare "
                   "them under claimreview: in document.yaml (see docs/format.md)\n")


@pytest.mark.usefixtures("base")
def test_html_report(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", "--format", "html")
    assert_safe(out)
    assert '<p class="title">Loans add up&#10;::error file=x::pwned</p>' in out
    assert '<p class="why"><strong>Why:</strong> &#35;#[error]legacy \\u202eevil</p>' in out
    assert "<title>kzfacts: Note&#10;::add-mask::secret</title>" in out
    assert "84,000</b> books&#10;::notice::in 2024" in out  # the source, as it reads


@pytest.mark.usefixtures("base")
def test_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "p10.loans")
    assert code == 0
    assert_safe(out)
    assert out.splitlines()[:4] == [
        "p10.loans (sum, error) at rules/note.yaml:2:5", "  Loans add up\\n::error file=x::pwned",
        "  paragraphs: ¶1", "  why: \\x23#[error]legacy \\u202eevil"]
    assert "      “lent 84,000 books\\n::notice::in 2024”" in out.splitlines()
    _, out, _ = run(capsys, "explain", "p9.loans")
    assert "verdict: fail (accepted: accepted\\r\\n::set-output name=x::y)" in out.splitlines()


@pytest.mark.usefixtures("base")
def test_facts(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "facts")
    assert_safe(out)
    lines = out.splitlines()
    assert lines[1] == "      “lent 84,000 books\\n::notice::in 2024”"
    assert lines[-2] == "¶2   libraries = 6 library  (facts/p\\x1b[2J.yaml:3:5)"
    _, out, _ = run(capsys, "facts", "--format", "json")
    assert_safe(out)
    rows = json.loads(out)
    assert rows[0]["quote"] == QUOTE and rows[-1]["file"] == f"facts/{ODD_FILE}"
    assert '"file": "facts/p\\u001b[2J.yaml"' in out


@pytest.mark.usefixtures("base")
def test_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "numbers", "--format", "json")
    assert code == 0
    assert_safe(out)
    code, out, _ = run(capsys, "numbers")
    assert out.splitlines()[-1] == "5/5 numbers accounted for"


def test_diff(base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old"
    shutil.copytree(base, old)
    facts = base / "facts" / "p01.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        '"51,000 to adults"', '"51,000 to adults and 32,000"'), encoding="utf-8")
    for fmt in ("text", "markdown", "json"):
        code, out, err = run(capsys, "diff", str(old), ".", "--format", fmt)
        assert (code, err) == (0, "")
        assert_safe(out)
    _, out, _ = run(capsys, "diff", str(old), ".")
    assert "      quote now: “51,000 to adults and 32,000”" in out.splitlines()


@pytest.mark.usefixtures("base")
def test_baseline_update(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "baseline", "update", "--check")
    assert code == 1
    assert_safe(out)
    assert out == "added   p10.loans (fail): edit its TODO justification\n"


def test_error_messages(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (base / "report.txt").write_text("a file, not a folder\n", encoding="utf-8")
    code, out, err = run(capsys, "check", "--output", "report.txt/a\n::error::x.md")
    assert (code, out) == (2, "")
    assert err == ("kzfacts: report.txt/a\\n::error::x.md: expected a writable file, found "
                   "File exists\n")
    odd = base / "facts" / ODD_FILE
    odd.write_text(odd.read_text(encoding="utf-8").replace("value: 6", "value: 7"),
                   encoding="utf-8")
    code, out, err = run(capsys, "check")
    assert (code, err) == (1, "")
    assert_safe(out)
    assert ("  facts/p\\x1b[2J.yaml:3:5: libraries: value 7 but the source says '6', which "
            "reads as 6") in out.splitlines()
    odd.write_text("paragraph: 2\nfacts: [\n", encoding="utf-8")
    code, out, err = run(capsys, "check")
    assert code == 2 and out == ""
    assert_safe(err)
    assert err.splitlines() == [
        "kzfacts: 1 error in the fact base:",
        "  facts/p\\x1b[2J.yaml:3:1: expected a key followed by ':' (key: value), found '' "
        "without ':'"]


def test_pytest_plugin(pytester: pytest.Pytester) -> None:
    pytester.chdir()
    write_base(pytester.path)
    result = pytester.runpytest("-p", "no:cacheprovider", "facts", "rules")
    out = "\n".join(result.outlines)
    assert_safe(out)
    assert "kzfacts: p10.loans: Loans add up\\n::error file=x::pwned" in result.outlines
    result.assert_outcomes(passed=3, failed=1, xfailed=1)


# -- the same by class, on a report made from parts -----------------------------------------------

FORMATS = ("text", "json", "markdown", "junit", "sarif", "claimreview", "html")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.usefixtures("base")
def test_every_report_format_holds_a_plugin_message_safely(fmt: str) -> None:
    """A rule kind's message may hold anything (a plugin's, say): every format escapes it."""
    from dataclasses import replace

    fact_base, report = kzfacts.load("facts", "rules")[0], kzfacts.check()
    hostile = "ok\n::error::x\x1b[2J\x9b2J\u202e\u2028##[warning]y\r::add-mask::z\x00"
    results = tuple(replace(r, message=hostile, accepted=False, justification=None)
                    for r in report.results)
    text = kzfacts.render(replace(report, results=results), fmt, base=fact_base)
    layout = "\n\t" if fmt in ("html", "junit") else "\n"  # their own layout only
    assert_safe(text, layout=layout)
    assert re.search(r"ok(\\n|&#10;)", text)


def test_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
              capsys: pytest.CaptureFixture[str]) -> None:
    """``kzfacts scan`` names the document it drafted: a file name cannot forge a line."""
    monkeypatch.chdir(tmp_path)
    name = "note\n::error::x.txt"
    Path(name).write_text("1) The city lent 84,000 books: 51,000 to adults and 32,000 to "
                          "children.\n", encoding="utf-8")
    code, out, err = run(capsys, "scan", name)
    assert (code, err) == (1, "")
    assert_safe(out)
    assert out.splitlines()[0] == "kzfacts scan: note\\n::error::x.txt (1 paragraphs, numbered '1)')"


def test_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A corpus document is named by its folder: the name cannot forge a line either."""
    corpus = tmp_path / "corpus"
    write_base(corpus / "doc\n::error::x")
    for fmt in ("text", "markdown", "json"):
        code, out, err = run(capsys, "check", "--corpus", str(corpus), "--format", fmt)
        assert (code, err) == (1, "")
        assert_safe(out)
    _, out, _ = run(capsys, "check", "--corpus", str(corpus))
    assert out.splitlines()[:2] == ["== doc\\n::error::x ==", "kzfacts: Note\\n::add-mask::secret"]
