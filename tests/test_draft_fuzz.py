"""Any text drafts into a fact base that loads, anchors every fact and accounts for every
number: documents made of the forms official texts write numbers in, and arbitrary text."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kzfacts
import kzfacts.draft

NUMBERS = [
    "1,234", "1 234", "1234", "12.5", "12,5", "3,7%", "45 %", "7.8%", "2 million 750 thousand",
    "about 500 million tenge", "more than 5,300", "up to 15 years", "from 4 to 7 years", "at least 5",
    "July 19, 2021", "19 July 2021", "2021-07-19", "July 2022", "No. 622", "Article 5",
    "part 1 of Article 146", "three hundred and twelve", "a quarter of the", "twelve", "(47%)",
    "(49,2)", "(1)", "www.example.org/2023/report", "COVID-19", "CAT/C/KAZ/CO/4", "24/7", "10:30",
    "21st", "[3]", "30 MCI", "103,500 tenge", "54.5 million US dollars", "2019 – 630", "2020 - 12",
    "in 2019", "from 2019 to 2023", "from 2019 to 4 months of 2023", "over the past 5 years",
    "2 or more times", "0", "000", "1.234.567", "5\u00a0300", "§ 3", "1)", "$3.2 million", "€40",
    "99.9 per cent", "half", "two thirds", "the 1990s", "30 days", "No. 4", "10,169", "5005",
]
WORDS = ["persons", "cases", "of which", "including", "of them", "in total", "were", "and", ",", ";",
         ":", ".", " - ", "the", "complaints", "In", "Of these", "more than half", "most", "(", ")",
         "rose every year", "fell", "up from", "compared with", "annual", "budget", "\n", "–"]

fragment = st.one_of(st.sampled_from(NUMBERS), st.sampled_from(WORDS),
                     st.integers(0, 10**7).map(str), st.integers(1900, 2030).map(str))
sentence = st.lists(fragment, min_size=1, max_size=14).map(" ".join)
paragraph = st.lists(sentence, min_size=1, max_size=4).map(lambda s: ". ".join(s) + ".")


def _check(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        source = root / "doc.txt"
        source.write_text(text, encoding="utf-8")
        result = kzfacts.draft.draft(source)
        kzfacts.draft.write_draft(result, root / "out")
        report = kzfacts.check(root / "out" / "facts", root / "out" / "rules", baseline=None)
        assert report.anchoring == (), report.anchoring
        assert report.coverage.uncovered == (), report.coverage.uncovered
        assert report.coverage.found == report.coverage.accounted


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["{n}. ", "{n}) ", "§ {n} ", "Paragraph {n}\n", ""]),
       st.lists(paragraph, min_size=1, max_size=5))
def test_documents_of_number_forms_draft_into_valid_bases(mark: str, paragraphs: list[str]) -> None:
    text = "TITLE\n\n" + "\n\n".join(mark.format(n=i + 1) + p for i, p in enumerate(paragraphs)) + "\n"
    _check(text)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.%()-–:;/\nabcAB§")), min_size=1, max_size=200)
       .filter(lambda t: t.strip() != ""))
def test_arbitrary_text_drafts_into_a_valid_base(text: str) -> None:
    _check(text)
