"""Paragraph styles: "1.", "1)", "§ 1", "Paragraph 1", blank-line blocks, and auto detection."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kzfacts
from kzfacts.data.source import PARAGRAPH_STYLES, ParagraphStyleError, detect_style, split_paragraphs

BODIES = ["The first says 12 things.", "The second, 3.5% of them.", "The third: 7 more."]

#: How each style writes paragraph ``n`` followed by its text.
MARKS = {
    "1.": "{n}. {text}",
    "1)": "{n}) {text}",
    "§ 1": "§ {n} {text}",
    "Paragraph 1": "Paragraph {n}. {text}",
}


def numbered(style: str, bodies: list[str], preamble: str = "A TITLE\n\n") -> str:
    return preamble + "\n".join(MARKS[style].format(n=n, text=t) for n, t in enumerate(bodies, 1)) + "\n"


@pytest.mark.parametrize("style", list(MARKS))
def test_each_style_splits_into_its_paragraphs(style: str) -> None:
    text = numbered(style, BODIES)
    paras = split_paragraphs(text, style=style)
    assert [p.number for p in paras] == [1, 2, 3]
    assert [p.text for p in paras] == BODIES
    assert [p.line for p in paras] == [3, 4, 5]
    for p in paras:
        assert text[p.start:p.end] == p.text


@pytest.mark.parametrize("style", list(MARKS))
def test_auto_detects_each_style(style: str) -> None:
    text = numbered(style, BODIES)
    assert detect_style(text) == style
    assert [p.text for p in split_paragraphs(text)] == BODIES  # auto is the default


def test_section_sign_variants() -> None:
    text = "§1 One.\n§ 2. Two.\n§  3\nThree, on the next line.\n"
    paras = split_paragraphs(text, style="§ 1")
    assert [p.text for p in paras] == ["One.", "Two.", "Three, on the next line."]
    assert paras[2].line == 4


def test_paragraph_word_variants() -> None:
    text = "Paragraph 1: One.\nParagraph 2\nTwo, below its heading.\nParagraph 3 Three.\n"
    paras = split_paragraphs(text, style="Paragraph 1")
    assert [p.text for p in paras] == ["One.", "Two, below its heading.", "Three."]


def test_multi_line_paragraphs_keep_their_lines() -> None:
    text = "1) First line\ncontinued here.\n\n2) Second.\n"
    paras = split_paragraphs(text, style="1)")
    assert paras[0].text == "First line\ncontinued here."
    assert paras[1].line == 4


def test_a_mark_out_of_sequence_is_text() -> None:
    """A list inside paragraph 2 ("1. ... 2. ...") does not restart the numbering."""
    text = "1. One.\n2. Two, with a list:\n1. apples\n2. pears\n3. Three.\n"
    paras = split_paragraphs(text, style="1.")
    assert [p.number for p in paras] == [1, 2, 3]
    assert paras[1].text == "Two, with a list:\n1. apples\n2. pears"


def test_numbered_is_the_old_name_of_dot() -> None:
    text = numbered("1.", BODIES)
    assert split_paragraphs(text, style="numbered") == split_paragraphs(text, style="1.")


def test_blocks_split_on_blank_lines() -> None:
    text = "First block\nstill first.\n\nSecond block.\n  \t\nThird.\n\n\n"
    paras = split_paragraphs(text, style="blocks")
    assert [p.text for p in paras] == ["First block\nstill first.", "Second block.", "Third."]
    assert [p.line for p in paras] == [1, 4, 6]


def test_auto_without_numbering_is_blocks() -> None:
    text = "No numbers mark these.\n\nA second block, with 4 items.\n"
    assert detect_style(text) == "blocks"
    assert [p.number for p in split_paragraphs(text)] == [1, 2]


def test_auto_refuses_two_styles() -> None:
    text = "§ 1 Intro.\n§ 2 Steps:\n1) open\n2) close\n"
    with pytest.raises(ParagraphStyleError) as info:
        split_paragraphs(text)
    message = str(info.value)
    assert "'1)' (2 paragraphs)" in message
    assert "'§ 1' (2 paragraphs)" in message
    assert "paragraphs:" in message  # says how to choose
    # Naming the style resolves it: the list is text of § 2.
    assert split_paragraphs(text, style="§ 1")[1].text == "Steps:\n1) open\n2) close"


def test_a_style_with_no_paragraph_is_an_error() -> None:
    with pytest.raises(ParagraphStyleError, match=r"'§ 1', found no line"):
        split_paragraphs("1. One.\n", style="§ 1")


def test_an_unknown_style_is_an_error() -> None:
    with pytest.raises(ParagraphStyleError, match="found 'roman'"):
        split_paragraphs("I. One.\n", style="roman")


def test_empty_text_has_no_blocks() -> None:
    with pytest.raises(ParagraphStyleError):
        split_paragraphs(" \n\n", style="blocks")


_BODY = st.text(st.sampled_from("abcxyz 0123456789.,%§()"), min_size=1, max_size=40).map(
    str.strip).filter(bool)


@given(style=st.sampled_from(list(MARKS)), bodies=st.lists(_BODY, min_size=1, max_size=8))
def test_numbered_round_trip(style: str, bodies: list[str]) -> None:
    """Whatever the texts, writing them in a style and splitting gives them back."""
    text = numbered(style, bodies)
    paras = split_paragraphs(text, style=style)
    assert [p.text for p in paras] == bodies
    assert all(text[p.start:p.end] == p.text for p in paras)


@given(bodies=st.lists(_BODY, min_size=1, max_size=8))
def test_blocks_round_trip(bodies: list[str]) -> None:
    text = "\n\n".join(bodies) + "\n"
    assert [p.text for p in split_paragraphs(text, style="blocks")] == bodies


# -- configured per fact base --------------------------------------------------------------

def _base(tmp_path: Path, source: str, paragraphs: str | None) -> Path:
    facts = tmp_path / "facts"
    facts.mkdir()
    (facts / "source.txt").write_text(source, encoding="utf-8")
    digest = hashlib.sha256(source.encode()).hexdigest()
    style = "" if paragraphs is None else f"paragraphs: {paragraphs!r}\n"
    (facts / "document.yaml").write_text(f"title: T\nsha256: {digest}\n{style}", encoding="utf-8")
    (facts / "units.yaml").write_text("definitions: ['item = [item]']\n", encoding="utf-8")
    (facts / "p1.yaml").write_text(
        "paragraph: 2\nfacts:\n  - {id: a, kind: count, value: 7, unit: item, subject: s, "
        "quote: '7 items', written: '7'}\n", encoding="utf-8")
    (tmp_path / "rules").mkdir()
    return facts


def test_document_yaml_names_the_style(tmp_path: Path) -> None:
    facts = _base(tmp_path, "§ 1 Intro.\n§ 2 Steps: 7 items.\n1) open\n2) close\n", "§ 1")
    base, _ = kzfacts.load(facts, tmp_path / "rules")
    assert base.document.paragraphs == "§ 1"
    assert sorted(base.source.paragraphs) == [1, 2]
    assert base.source.paragraphs[2].text == "Steps: 7 items.\n1) open\n2) close"
    assert (base.coverage.found, base.coverage.accounted) == (3, 1)  # the list's 1 and 2 are to do


def test_ambiguous_source_is_a_located_data_error(tmp_path: Path) -> None:
    facts = _base(tmp_path, "§ 1 Intro.\n§ 2 Steps: 7 items.\n1) open\n2) close\n", None)
    with pytest.raises(kzfacts.InvalidDataError) as info:
        kzfacts.load(facts, tmp_path / "rules")
    [error] = info.value.errors
    assert error.location.file.endswith("document.yaml")
    assert "more than one style" in error.found


def test_unknown_style_in_document_yaml(tmp_path: Path) -> None:
    facts = _base(tmp_path, "1. One.\n2. 7 items.\n", "roman")
    with pytest.raises(kzfacts.InvalidDataError) as info:
        kzfacts.load(facts, tmp_path / "rules")
    [error] = info.value.errors
    assert str(error.location).endswith("document.yaml:3:13")
    assert "'roman'" in error.found


def test_styles_are_documented() -> None:
    text = (Path(__file__).parents[1] / "docs" / "format.md").read_text(encoding="utf-8")
    for style in PARAGRAPH_STYLES:
        assert f"`{style}`" in text or f'`"{style}"`' in text, style


@pytest.mark.parametrize("style", [*MARKS, "blocks"])
def test_windows_line_ends_and_a_byte_order_mark(style: str) -> None:
    """A file saved on Windows, with a BOM, splits into the same paragraph texts."""
    unix = "\n\n".join(BODIES) + "\n" if style == "blocks" else numbered(style, BODIES, preamble="")
    text = "\ufeff" + unix.replace("\n", "\r\n")
    paras = split_paragraphs(text)
    assert [p.text for p in paras] == BODIES
    assert detect_style(text) == style


def test_section_heading_on_its_own_windows_line() -> None:
    paras = split_paragraphs("§ 1\r\nOne.\r\n§ 2\r\nTwo.\r\n", style="§ 1")
    assert [p.text for p in paras] == ["One.", "Two."]


def test_only_ascii_digits_number_paragraphs() -> None:
    """"১." looks like a number to some readers but is no paragraph mark: only 0-9 number."""
    with pytest.raises(ParagraphStyleError, match="found no line starting with the mark"):
        split_paragraphs("\u09e7. One.\n\u09e8. Two.\n", style="1.")
    assert detect_style("\u09e7. One.\n\u09e8. Two.\n") == "blocks"
