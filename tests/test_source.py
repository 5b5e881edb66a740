"""Anchoring in the source: a quote found once at word boundaries."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kzfacts.data.source import _once, occurrences

_TEXT = st.text(alphabet="ab1 ,", max_size=30)


@given(_TEXT, _TEXT)
def test_once_is_the_one_occurrence_at_word_boundaries(text: str, needle: str) -> None:
    """The anchoring shortcut finds what occurrences() finds when it finds one, else None."""
    hits = occurrences(text, needle)
    assert _once(text, needle) == (hits[0] if len(hits) == 1 else None)


def test_once_refuses_a_quote_inside_a_word_or_found_twice() -> None:
    assert _once("of 748 cases", "748") == 3
    assert _once("of 7489 cases", "748") is None  # inside a number
    assert _once("748 and 748", "748") is None  # twice
    assert _once("7489 and 748", "748") == 9  # once at boundaries, once inside a word
    assert _once("anything", "") is None


_SPAN = st.tuples(st.integers(0, 40), st.integers(1, 8)).map(lambda t: (t[0], t[0] + t[1]))


@given(st.lists(_SPAN, max_size=20),
       st.lists(st.tuples(_SPAN, st.sampled_from(["a", "b", "c"])), max_size=20))
def test_each_number_is_accounted_for_by_the_first_cover_holding_it(
        spans: list[tuple[int, int]], covers: list[tuple[tuple[int, int], str]]) -> None:
    """The sweep gives, for every span, the first cover in list order that contains it."""
    from kzfacts.data.source import _first_covers

    flat = [(c0, c1, f"{why}{i}") for i, ((c0, c1), why) in enumerate(covers)]
    expected = [next((why for c0, c1, why in flat if c0 <= s0 and s1 <= c1), None)
                for s0, s1 in spans]
    assert _first_covers(spans, flat) == expected
