"""Anchoring in the source: a quote found once at word boundaries, the messages that say what
to fix when it is not, what a reader sees refused in the source, and coverage."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kzfacts
from kzfacts.data.loader import load_fact_base
from kzfacts.data.model import Fact
from kzfacts.data.source import SourceText, _first_covers, anchor_fact, occurrences
from kzfacts.errors import DataError

SOURCE = SourceText.from_text(
    "1. In the period of 2020 – 2023, 10,169 recommendations were proposed.\n"
    "2. Of them 4 780 (47%) were “executed” and 5005 in process.\n"
    "The rest\u00a0were not.\n"
    "3. 5 cases in 2020 and 5 cases in 2021; 5 cases in 2022.\n")


def problems(quote: str, written: str | None = None, *, paragraph: int = 1,
             **fields: Any) -> tuple[str, ...]:
    record: dict[str, Any] = {"id": "x", "kind": "count", "value": 2020, "unit": "case",
                              "subject": "s", "paragraph": paragraph, "quote": quote,
                              "written": written, **fields}
    if record["kind"] == "statement":
        record.update(value=None, unit=None)
    return anchor_fact(Fact(**record), SOURCE, unit_words={}).problems


# -- found once at word boundaries ---------------------------------------------------------

def test_occurrences_are_at_word_boundaries() -> None:
    assert occurrences("of 748 cases", "748") == [3]
    assert occurrences("of 7489 cases", "748") == []  # inside a number
    assert occurrences("748 and 748", "748") == [0, 8]
    assert occurrences("7489 and 748", "748") == [9]  # once at boundaries, once inside a word
    assert occurrences("1 1 1 1", "1", limit=2) == [0, 2]
    assert occurrences("anything", "") == []


@given(st.text(alphabet="ab1 ,", max_size=30), st.text(alphabet="ab1 ,", min_size=1, max_size=4))
def test_a_quote_found_once_is_anchored_there(text: str, needle: str) -> None:
    """The quote's span is its one place at word boundaries; any other count is a problem."""
    source = SourceText.from_text(f"1. {text}")
    fact = Fact(id="x", kind="statement", paragraph=1, subject="s", quote=needle)
    anchor = anchor_fact(fact, source, unit_words={})
    paragraph = source.paragraphs[1]
    hits = occurrences(paragraph.text, needle)
    if len(hits) == 1:
        assert anchor.problems == ()
        start = paragraph.start + hits[0]
        assert anchor.quote_span == (start, start + len(needle))
        assert source.text[start:start + len(needle)] == needle
    else:
        assert anchor.quote_span is None
        assert len(anchor.problems) == 1


def test_a_quote_found_once_reads_its_value() -> None:
    anchor = anchor_fact(Fact(id="x", kind="count", paragraph=1, value=10169, unit="case",
                              subject="s", quote="10,169 recommendations", written="10,169"),
                         SOURCE, unit_words={})
    assert anchor.problems == ()
    assert anchor.written_span == (33, 39)
    assert SOURCE.text[33:39] == "10,169"
    assert anchor.reading is not None and anchor.reading.value == 10169


# -- messages that say the fix -------------------------------------------------------------

def test_a_hyphen_typed_for_an_en_dash() -> None:
    assert problems("2020 - 2023", "2020") == (
        "quote '2020 - 2023' must occur once in ¶1 at word boundaries: not found; the nearest "
        "words are '2020 – 2023' at line 1, column 21, with '–' (U+2013 EN DASH) where the "
        "quote has '-' (U+002D HYPHEN-MINUS)",)


def test_straight_quotes_and_a_separator_typed_differently() -> None:
    assert problems('4,780 (47%) were "executed"', "4,780", paragraph=2, value=4780) == (
        "quote '4,780 (47%) were \"executed\"' must occur once in ¶2 at word boundaries: not "
        "found; the nearest words are '4 780 (47%) were “executed”' at line 2, column 12, "
        "with ' ' (a space) where the quote has ',' (U+002C COMMA), and '“' (U+201C LEFT "
        "DOUBLE QUOTATION MARK) where the quote has '\"' (U+0022 QUOTATION MARK), and '”' "
        "(U+201D RIGHT DOUBLE QUOTATION MARK) where the quote has '\"' (U+0022 QUOTATION "
        "MARK)",)


def test_a_thousands_separator_left_out() -> None:
    assert problems("10169 recommendations", "10169", value=10169) == (
        "quote '10169 recommendations' must occur once in ¶1 at word boundaries: not found; "
        "the nearest words are '10,169 recommendations' at line 1, column 34, with ',' "
        "(U+002C COMMA) that the quote lacks",)


def test_a_space_typed_for_a_no_break_space_or_a_line_end() -> None:
    assert problems("The rest were not", paragraph=2, kind="statement") == (
        "quote 'The rest were not' must occur once in ¶2 at word boundaries: not found; the "
        "nearest words are 'The rest\\xa0were not' at line 3, column 1, with '\\xa0' (U+00A0 "
        "NO-BREAK SPACE) where the quote has ' ' (a space)",)
    assert problems("in process. The rest", paragraph=2, kind="statement") == (
        "quote 'in process. The rest' must occur once in ¶2 at word boundaries: not found; "
        "the nearest words are 'in process.\\nThe rest' at line 2, column 49, with '\\n' (a "
        "line end) where the quote has ' ' (a space)",)


def test_other_words_show_the_nearest_words() -> None:
    assert problems("10,169 recommendations were accepted", "10,169", value=10169) == (
        "quote '10,169 recommendations were accepted' must occur once in ¶1 at word "
        "boundaries: not found; the nearest words are '10,169 recommendations were "
        "proposed.' at line 1, column 34",)
    assert problems("0 recommendations", "0", value=0) == (
        "quote '0 recommendations' must occur once in ¶1 at word boundaries: not found",)


def test_a_quote_inside_longer_words() -> None:
    assert problems("69 recommendations", "69", value=69) == (
        "quote '69 recommendations' must occur once in ¶1 at word boundaries: not found; it "
        "stands only inside longer words, as in '10,169 recommendations' at line 1, column 34",)


def test_a_quote_of_another_paragraph_says_where_it_stands() -> None:
    assert problems("10,169 recommendations were proposed", "10,169", paragraph=2,
                    value=10169) == (
        "quote '10,169 recommendations were proposed' must occur once in ¶2 at word "
        "boundaries: not found; it stands in ¶1 at line 1, column 34",)


def test_a_quote_found_twice_gives_both_places() -> None:
    assert problems("5 cases in 2020", "5", paragraph=3, value=5) == ()
    assert problems("and 5 cases", "5", paragraph=3, value=5) == ()
    assert problems("5 cases", "5", paragraph=3, value=5) == (
        "quote '5 cases' must occur once in ¶3 at word boundaries: found 3 times, first at "
        "line 4, column 4 and line 4, column 24; quote more of the words around the one "
        "meant",)
    assert problems("5 cases in 2020 and 5 cases", "5", paragraph=3, value=5) == (
        "written '5' must occur once in the quote: found 2 times, at line 4, column 4 and "
        "line 4, column 24; write more of the words around the one meant",)


def test_written_words_typed_differently_from_the_quote() -> None:
    assert problems("10,169 recommendations", "10 169", value=10169) == (
        "written '10 169' must occur once in the quote: not found; the nearest words are "
        "'10,169' at line 1, column 34, with ',' (U+002C COMMA) where 'written' has ' ' (a "
        "space)",)
    assert problems("10,169 recommendations", "10,196", value=10169) == (
        "written '10,196' must occur once in the quote: not found",)


def test_the_hint_is_bounded_in_a_long_paragraph() -> None:
    """A paragraph of a million characters is searched for the quote, not for its nearest
    words (which would take time in proportion to both lengths)."""
    long = SourceText.from_text("1. " + "1 2 " * 250_000 + "end.")
    fact = Fact(id="x", kind="statement", paragraph=1, subject="s", quote="1 2 3")
    assert anchor_fact(fact, long, unit_words={}).problems == (
        "quote '1 2 3' must occur once in ¶1 at word boundaries: not found",)


# -- what a reader sees --------------------------------------------------------------------

@pytest.mark.parametrize(("text", "where", "expected", "found"), [
    ("1. In 2023 \u202e591 cases.\n", "s.txt:1:12",
     "no bidirectional control character (a viewer reorders the text around it, kzfacts reads "
     "the characters in stored order: delete it)", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("1. One.\n2. In 20\u200b23.\n", "s.txt:2:9",
     "no invisible format character (a viewer does not show it, kzfacts would read it: "
     "delete it)", "U+200B ZERO WIDTH SPACE"),
    ("1. We had \u09ea0 cases.\n", "s.txt:1:11",
     "the digits 0-9 only (a digit of another script can look like another number: write "
     "the number with 0-9)", "U+09EA BENGALI DIGIT FOUR"),
    ("1. Area 5\u00b2 km.\n", "s.txt:1:10",
     "the digits 0-9 only beside a number (a superscript, fraction or numeral sign is no part "
     "of the number kzfacts reads: write the number with 0-9)", "U+00B2 SUPERSCRIPT TWO"),
    ("\ufeff1. One.\n2. \ufeffTwo.\n", "s.txt:2:4",
     "no invisible format character (a viewer does not show it, kzfacts would read it: "
     "delete it)", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
])
def test_a_source_a_reader_could_misread_is_refused_where_it_is(
        text: str, where: str, expected: str, found: str) -> None:
    with pytest.raises(DataError) as info:
        SourceText.from_text(text, name="s.txt")
    assert (str(info.value.location), info.value.expected, info.value.found) == (
        where, expected, found)


def test_a_leading_byte_order_mark_and_readable_signs_are_kept() -> None:
    source = SourceText.from_text("\ufeff1. 120 m² at 5 000 tenge – 2020–2023 «quoted».\n")
    assert source.paragraphs[1].text == "120 m² at 5 000 tenge – 2020–2023 «quoted»."


def test_the_loader_names_the_source_line_and_column(write_base: Any) -> None:
    facts, _ = write_base([], {"p01.yaml": {"paragraph": 1, "facts": []}},
                              source="1. In 2023 \u2067591\u2069 cases.\n")
    with pytest.raises(kzfacts.InvalidDataError) as info:
        load_fact_base(facts, allow_empty=True)
    assert [str(e) for e in info.value.errors] == [
        "facts/source.txt:1:12: expected no bidirectional control character (a viewer "
        "reorders the text around it, kzfacts reads the characters in stored order: delete "
        "it), found U+2067 RIGHT-TO-LEFT ISOLATE"]


# -- coverage ------------------------------------------------------------------------------

_SPAN = st.tuples(st.integers(0, 40), st.integers(1, 8)).map(lambda t: (t[0], t[0] + t[1]))


@given(st.lists(_SPAN, max_size=20),
       st.lists(st.tuples(_SPAN, st.sampled_from(["a", "b", "c"])), max_size=20))
def test_each_number_is_accounted_for_by_the_first_cover_holding_it(
        spans: list[tuple[int, int]], covers: list[tuple[tuple[int, int], str]]) -> None:
    """For every span, the first cover in list order that contains it."""
    flat = [(c0, c1, f"{why}{i}") for i, ((c0, c1), why) in enumerate(covers)]
    expected = [next((why for c0, c1, why in flat if c0 <= s0 and s1 <= c1), None)
                for s0, s1 in spans]
    assert _first_covers(spans, flat) == expected
