"""What a draft is before it is YAML: facts, non-claims, units and candidate rules.

An extractor (the built-in one is :func:`kzfacts.draft.extract.extract`) turns a
:class:`Document` into a :class:`Draft`; :mod:`kzfacts.draft.write` writes it as a fact base
that ``kzfacts check`` then verifies like a hand-written one: every drafted fact is anchored
to its quote, every number of the source is accounted for, and every candidate rule is
decided by the same exact engine. The extraction may guess; the verdict never does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

__all__ = ["Document", "Draft", "DraftError", "DraftFact", "DraftNotClaim", "DraftRule", "DraftUnit",
           "Extractor", "Paragraph", "RateTable", "Value"]

#: A drafted fact's value: a number, a date ("2021-07-19"), or a range's ends.
Value = int | Decimal | str | tuple[int | Decimal | None, int | Decimal | None] | None


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A numbered paragraph of the source: ``text`` without its number."""

    number: int
    text: str


@dataclass(frozen=True, slots=True)
class Document:
    """What an extractor reads.

    Attributes:
        text: the source, as its bytes decode.
        title: the document's title.
        style: the paragraph style the fact base will record.
        paragraphs: the source's paragraphs in that style.
        decimal_comma: what ``document.yaml`` will say of decimal commas.
        unit_words: words of the text naming a unit (``{"thalers": "NVT"}``), from a units
            file given to the draft; the extractor adds its own.
        unit_definitions: pint definitions of that units file.
        rate_tables: the reference tables a conversion may use: name → (unit, the years
            and dates their entries cover), from a reference file given to the draft.
        reference_text: that reference file, copied into the draft as it is.
        notes: what was done to the text to make it a source (CRLF line ends converted).
    """

    text: str
    title: str
    style: str
    paragraphs: tuple[Paragraph, ...]
    decimal_comma: bool | None = None
    unit_words: Mapping[str, str] = field(default_factory=dict)
    unit_definitions: tuple[str, ...] = ()
    rate_tables: Mapping[str, RateTable] = field(default_factory=dict)
    reference_text: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RateTable:
    """A reference table as a conversion sees it: its unit and when its entries apply."""

    unit: str
    years: frozenset[int]  # annual entries
    dated: tuple[str, ...]  # effective_from dates (YYYY-MM-DD) of dated entries


@dataclass(frozen=True, slots=True)
class DraftFact:
    """A fact as ``facts/pNN.yaml`` writes it (see docs/format.md)."""

    id: str
    kind: str
    paragraph: int
    subject: str
    quote: str
    value: Value = None
    unit: str | None = None
    written: str | None = None
    period: str | None = None
    period_text: str | None = None
    qualifier: str = "exact"
    note: str | None = None
    claim: str | None = None  # a statement's claim: "none", "most"... (docs/format.md)


@dataclass(frozen=True, slots=True)
class DraftNotClaim:
    """Words of a paragraph whose numbers are not claims (an article number...)."""

    paragraph: int
    text: str
    why: str


@dataclass(frozen=True, slots=True)
class DraftUnit:
    """A unit the draft declares: ``name = [dimension] = _ = alias...``."""

    name: str
    dimension: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DraftRule:
    """A candidate rule, with the words that suggested it.

    Attributes:
        drafted: the pattern that suggested the rule and the words it matched, e.g.
            ``share-in-parentheses: "50 (78%)"``.
        fields: the kind's own fields, in the order they are written.
        uses: the ids of the facts it uses (a series: each year's).
    """

    id: str
    kind: str
    title: str
    severity: str
    paragraphs: tuple[int, ...]
    why: str
    drafted: str
    fields: Mapping[str, object]
    uses: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Draft:
    """A whole drafted fact base."""

    document: Document
    facts: tuple[DraftFact, ...]
    not_claims: tuple[DraftNotClaim, ...]
    units: tuple[DraftUnit, ...]
    words: Mapping[str, str]
    rules: tuple[DraftRule, ...]


class DraftError(ValueError):
    """A document that cannot be drafted: unreadable, not UTF-8, or not text."""


class Extractor(Protocol):
    """What a plug-in extractor is: a callable from a document to a draft.

    Register one under the ``kzfacts.extractors`` entry-point group; ``kzfacts draft
    --extractor NAME`` and :func:`kzfacts.draft.draft` use it by its entry-point name.
    """

    def __call__(self, document: Document) -> Draft: ...
