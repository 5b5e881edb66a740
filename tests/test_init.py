"""``kzfacts init`` and ``kzfacts numbers``, through the command line."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

import kzfacts
from kzfacts.cli import main
from kzfacts.data.loader import load_fact_base

SOURCE = """\
WATER REPORT OF THE VALLEY

Paragraph 1. In 2023, 45 utilities served 1,200 households.

Paragraph 2. Losses fell to 12.5% of the water treated.
A table follows:
1) north: 700
2) south: 500

Paragraph 3. The Board thanks its staff.
"""
#: Every number of SOURCE, in order, with its line.
NUMBERS = [("2023", 3), ("45", 3), ("1,200", 3), ("12.5", 5), ("1", 7), ("700", 7),
           ("2", 8), ("500", 8)]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(SOURCE, encoding="utf-8")
    return path


def init(tmp_path: Path, source: Path, *extra: str) -> int:
    return main(["init", str(tmp_path / "base"), "--source", str(source), "--paragraphs",
                 "Paragraph 1", *extra])


def args(base: Path, *command: str) -> list[str]:
    return [*command, "--facts", str(base / "facts"), "--rules", str(base / "rules"),
            "--baseline", str(base / "baseline.yaml")]


def test_init_creates_a_fact_base(tmp_path: Path, source: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert init(tmp_path, source) == 0
    out = capsys.readouterr().out
    assert "3 paragraphs (style 'Paragraph 1'), 8 numbers to account for" in out
    base = tmp_path / "base"
    facts = base / "facts"
    assert sorted(p.name for p in facts.iterdir()) == [
        "document.yaml", "not_claims.yaml", "p01.yaml", "p02.yaml", "p03.yaml",
        "reference.yaml", "source.txt", "units.yaml"]
    assert (facts / "source.txt").read_bytes() == source.read_bytes()
    assert [p.name for p in (base / "rules").iterdir()] == [".gitkeep"]
    assert (base / "baseline.yaml").is_file()
    assert "kzfacts check" in (base / "kzfacts-README.md").read_text(encoding="utf-8")
    loaded = load_fact_base(facts, allow_empty=True)
    assert loaded.document.title == "WATER REPORT OF THE VALLEY"
    assert loaded.document.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert loaded.document.paragraphs == "Paragraph 1"
    assert len(loaded.facts) == 0
    assert [(u[1].text, loaded.source.line_of(u[1].start)) for u in loaded.coverage.uncovered] \
        == NUMBERS


def test_fact_files_list_the_numbers_to_do(tmp_path: Path, source: Path) -> None:
    init(tmp_path, source)
    facts = tmp_path / "base" / "facts"
    listed = []
    for name in ("p01.yaml", "p02.yaml", "p03.yaml"):
        text = (facts / name).read_text(encoding="utf-8")
        listed += [(m[2], int(m[1])) for m in re.finditer(r"^#   (\d+)\s+(\S+)\s+\u2026", text, re.M)]
    assert listed == NUMBERS
    assert "No numbers" in (facts / "p03.yaml").read_text(encoding="utf-8")
    assert "paragraph: 2\nfacts: []\n" in (facts / "p02.yaml").read_text(encoding="utf-8")


def test_check_on_a_fresh_init_asks_for_a_first_fact(tmp_path: Path, source: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A fact base with no facts is not checkable (exit 2); ``numbers`` lists the to-do."""
    init(tmp_path, source)
    capsys.readouterr()
    base = tmp_path / "base"
    assert main(args(base, "check", "--format", "json")) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "expected at least one fact, found fact files without facts" in err
    assert main(args(base, "numbers", "--format", "json")) == 1
    rows = json.loads(capsys.readouterr().out)["numbers"]
    assert [(r["text"], r["line"]) for r in rows if r["covered_by"] is None] == NUMBERS


def test_the_example_fact_of_a_to_do_works_once_uncommented(tmp_path: Path,
                                                            source: Path) -> None:
    """The commented fact of p01.yaml, uncommented and given a unit, anchors and covers 45."""
    init(tmp_path, source)
    facts = tmp_path / "base" / "facts"
    text = (facts / "p01.yaml").read_text(encoding="utf-8")
    example = [line[1:].split(" # ")[0].rstrip() for line in text.splitlines()
               if line.startswith(("#  - ", "#    "))]
    body = "\n".join(example).replace("unit: item", "unit: utility")
    (facts / "p01.yaml").write_text(f"paragraph: 1\nfacts:\n{body}\n", encoding="utf-8")
    (facts / "units.yaml").write_text("definitions: ['utility = [utility]']\n", encoding="utf-8")
    base, _ = kzfacts.load(facts, tmp_path / "base" / "rules")
    [fact] = base.facts.values()
    assert (fact.value, fact.quote) == (45, "In 2023, 45 utilities served 1,200")
    assert base.anchoring_problems == []
    covered = [s.text for _, s, by in base.coverage.spans if by is not None]
    assert covered == ["45"]


def test_init_never_overwrites(tmp_path: Path, source: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    assert init(tmp_path, source) == 0
    p01 = tmp_path / "base" / "facts" / "p01.yaml"
    p01.write_text("paragraph: 1\nfacts: []\n# my work\n", encoding="utf-8")
    capsys.readouterr()
    assert init(tmp_path, source) == 2
    err = capsys.readouterr().err
    assert "already exist" in err
    assert "never overwrites" in err
    assert "Traceback" not in err
    assert p01.read_text(encoding="utf-8").endswith("# my work\n")


def test_init_refuses_an_existing_facts_folder_alone(tmp_path: Path, source: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "base" / "facts").mkdir(parents=True)
    (tmp_path / "base" / "facts" / "notes.txt").write_text("mine", encoding="utf-8")
    assert init(tmp_path, source) == 2
    assert "base/facts already exists" in capsys.readouterr().err
    assert not (tmp_path / "base" / "rules").exists()


def test_init_detects_the_style(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("§ 1 First, 10.\n§ 2 Second, 20.\n", encoding="utf-8")
    assert main(["init", str(tmp_path / "b"), "--source", str(doc)]) == 0
    assert "style '§ 1'" in capsys.readouterr().out
    assert 'paragraphs: "§ 1"' in (tmp_path / "b/facts/document.yaml").read_text(encoding="utf-8")


def test_init_refuses_an_ambiguous_source(tmp_path: Path, source: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "base"), "--source", str(source)]) == 2
    err = capsys.readouterr().err
    assert "'Paragraph 1' (3 paragraphs)" in err
    assert "'1)' (2 paragraphs)" in err
    assert "--paragraphs STYLE" in err
    assert not (tmp_path / "base").exists()


def test_init_bad_sources(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "a"), "--source", str(tmp_path / "missing.txt")]) == 2
    assert "missing.txt: expected a readable source file" in capsys.readouterr().err
    latin = tmp_path / "latin.txt"
    latin.write_bytes("1. Caf\u00e9 costs 3 francs.\n".encode("latin-1"))
    assert main(["init", str(tmp_path / "a"), "--source", str(latin)]) == 2
    assert "a UTF-8 text file, found the byte 0xe9 at offset 6" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "a"), "--source", str(latin), "--paragraphs", "x"]) == 2
    assert "invalid choice: 'x'" in capsys.readouterr().err
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n", encoding="utf-8")
    assert main(["init", str(tmp_path / "a"), "--source", str(empty)]) == 2
    assert "empty.txt: no paragraphs: the text is empty" in capsys.readouterr().err
    # What the loader would refuse later, init refuses now: CRLF, control characters, size.
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"1. In 2023, 45 utilities.\r\n2. And 12.\r\n")
    assert main(["init", str(tmp_path / "a"), "--source", str(crlf)]) == 2
    assert ("found the character U+000D at line 1, column 26 (CRLF line ends: convert them "
            "to LF)") in capsys.readouterr().err
    big = tmp_path / "big.txt"
    big.write_text("1. " + "x" * (1 << 20) + "\n", encoding="utf-8")
    assert main(["init", str(tmp_path / "a"), "--source", str(big)]) == 2
    assert "expected a source of at most 1,048,576 bytes" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()
    assert not (tmp_path / "a").exists()


def test_init_blocks_and_title(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "notes.md"
    doc.write_text("Some 3 notes.\n\nAnother 4.\n", encoding="utf-8")
    assert main(["init", str(tmp_path / "b"), "--source", str(doc), "--title", "My notes"]) == 0
    capsys.readouterr()
    base = load_fact_base(tmp_path / "b/facts", allow_empty=True)
    assert (base.document.title, base.document.paragraphs) == ("My notes", "blocks")
    assert [p.text for p in base.source.paragraphs.values()] == ["Some 3 notes.", "Another 4."]


# -- kzfacts numbers ---------------------------------------------------------------------------

def _covered(tmp_path: Path, source: Path) -> Path:
    """The fresh base with paragraph 1's 45 and 1,200 covered by facts."""
    init(tmp_path, source)
    facts = tmp_path / "base" / "facts"
    (facts / "units.yaml").write_text(
        "definitions: ['utility = [utility]', 'household = [household]']\n", encoding="utf-8")
    (facts / "p01.yaml").write_text("""\
paragraph: 1
facts:
  - {id: utilities, kind: count, value: 45, unit: utility, subject: utilities, period: 2023,
     quote: "In 2023, 45 utilities", written: "45"}
  - {id: households, kind: count, value: 1200, unit: household, subject: households,
     quote: "1,200 households", written: "1,200"}
""", encoding="utf-8")
    return tmp_path / "base"


def test_numbers_lists_uncovered_first(tmp_path: Path, source: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    base = _covered(tmp_path, source)
    capsys.readouterr()
    assert main(args(base, "numbers")) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[3] for line in lines[:-1]] == [
        "12.5", "1", "700", "2", "500", "2023", "45", "1,200"]
    assert lines[0].split()[-1] == "UNCOVERED"
    assert lines[5].endswith("period of utilities")
    assert lines[6].endswith("fact utilities")
    assert lines[0].startswith("¶2   line 5:29 ")
    assert lines[-1] == "3/8 numbers accounted for"


def test_numbers_uncovered_json_and_paragraph(tmp_path: Path, source: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    base = _covered(tmp_path, source)
    capsys.readouterr()
    assert main(args(base, "numbers", "--format", "json", "--uncovered")) == 1
    doc = json.loads(capsys.readouterr().out)
    assert (doc["found"], doc["accounted"]) == (8, 3)
    assert [(n["text"], n["line"], n["paragraph"]) for n in doc["numbers"]] == [
        ("12.5", 5, 2), ("1", 7, 2), ("700", 7, 2), ("2", 8, 2), ("500", 8, 2)]
    assert {n["covered_by"] for n in doc["numbers"]} == {None}
    assert main(args(base, "numbers", "--format", "json", "--paragraph", "1")) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(n["text"], n["column"], n["covered_by"]) for n in doc["numbers"]] == [
        ("2023", 17, "period of utilities"), ("45", 23, "fact utilities"),
        ("1,200", 43, "fact households")]


def test_pytest_on_a_fresh_init_asks_for_a_first_fact(pytester: pytest.Pytester) -> None:
    doc = pytester.path / "report.txt"
    doc.write_text(SOURCE, encoding="utf-8")
    assert main(["init", str(pytester.path), "--source", str(doc), "--paragraphs",
                 "Paragraph 1"]) == 0
    pytester.makeini("[pytest]\ntestpaths = facts rules\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(errors=1)  # a collection error, located, without a traceback
    out = result.stdout.str()
    assert "facts: expected at least one fact, found fact files without facts" in out
    assert "Traceback" not in out


# -- init --update-hash: an intended edit of the source --------------------------------------

CORPUS_BASE = Path(__file__).parent / "corpus" / "base"


@pytest.mark.parametrize("document", [
    None,  # the corpus base's: a plain value
    'title: A corpus document  # a comment\nsource: source.txt\nsha256: "{old}"   # kept\n'
    "paragraphs: auto\n",
    "{{title: A corpus document, sha256: '{old}', source: source.txt}}\n",
])
def test_update_hash_accepts_an_intended_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str],
                                              document: str | None) -> None:
    import shutil

    shutil.copytree(CORPUS_BASE, tmp_path / "base")
    monkeypatch.chdir(tmp_path / "base")
    facts = Path("facts")
    old = hashlib.sha256((facts / "source.txt").read_bytes()).hexdigest()
    if document is not None:
        (facts / "document.yaml").write_text(document.format(old=old), encoding="utf-8")
    with (facts / "source.txt").open("a", encoding="utf-8") as f:
        f.write("3. The report ends here.\n")
    new = hashlib.sha256((facts / "source.txt").read_bytes()).hexdigest()
    before = (facts / "document.yaml").read_text(encoding="utf-8")
    assert main(["check", "--format", "json"]) == 1
    [problem] = json.loads(capsys.readouterr().out)["anchoring"]
    assert problem["problem"].endswith(
        f"document.yaml records {old}: the source was edited; if the edit is intended, "
        "`kzfacts init --update-hash` records its sha256 in document.yaml, and every quote is "
        "then anchored again in the edited text")
    assert main(["init", "--update-hash"]) == 0
    assert capsys.readouterr().out == (f"kzfacts init: facts/document.yaml: sha256 {new} "
                                       f"(was {old})\n")
    after = (facts / "document.yaml").read_text(encoding="utf-8")
    assert after == before.replace(old, new)  # nothing else of the file changed
    assert main(["check"]) == 0
    assert main(["init", "--update-hash"]) == 0
    assert capsys.readouterr().out.endswith(f"sha256 {new} already recorded\n")
    assert (facts / "document.yaml").read_text(encoding="utf-8") == after


def test_update_hash_of_another_folder_is_named_in_the_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    shutil.copytree(CORPUS_BASE, tmp_path / "my base")
    monkeypatch.chdir(tmp_path)
    with (tmp_path / "my base" / "facts" / "source.txt").open("a", encoding="utf-8") as f:
        f.write("3. The report ends here.\n")
    assert main(["check", "--facts", "my base/facts", "--rules", "my base/rules"]) == 1
    assert "`kzfacts init --update-hash 'my base/facts'` records" in capsys.readouterr().out
    assert main(["init", "--update-hash", "my base/facts"]) == 0


def test_update_hash_refuses_what_it_cannot_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    monkeypatch.chdir(tmp_path)
    assert main(["init", "--update-hash"]) == 2
    assert capsys.readouterr().err == (
        "kzfacts: 1 error in the fact base:\n  facts: expected a facts folder, found no such folder\n")
    assert main(["init", "new", "--update-hash"]) == 2
    assert capsys.readouterr().err == ("kzfacts init: --update-hash: expected no DIRECTORY with "
                                       "it, found DIRECTORY\n")
    assert main(["init", "new"]) == 2
    assert capsys.readouterr().err == ("kzfacts init: expected a DIRECTORY and --source FILE (or "
                                       "--update-hash), found no --source\n")
    shutil.copytree(CORPUS_BASE, tmp_path / "base")
    (tmp_path / "base" / "facts" / "source.txt").unlink()
    (tmp_path / "base" / "facts" / "source.txt").symlink_to("/etc/hostname")
    assert main(["init", "--update-hash", "base/facts"]) == 2
    assert "source: expected a file inside base/facts, found 'source.txt', which resolves to " \
           "/etc/hostname" in capsys.readouterr().err
