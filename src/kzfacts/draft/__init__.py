"""Draft a fact base from a document's text, and scan a document for inconsistencies.

``kzfacts draft SOURCE -o DIR`` writes a complete fact base: every number of the source a
fact (anchored to its quote, with a unit, a period and a qualifier read from the words
around it) or a non-claim, and candidate rules, each with the pattern that suggested it.
``kzfacts scan SOURCE`` drafts in a temporary folder, checks, and reports the candidate
inconsistencies. The drafter guesses; the engine that checks the draft does not.

Another extractor is plugged in through the ``kzfacts.extractors`` entry-point group: a
callable taking a :class:`Document` and returning a :class:`Draft`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kzfacts.draft.api import (
    BUILTIN,
    ENTRY_POINT_GROUP,
    available_extractors,
    draft,
    read_document,
    write_draft,
)
from kzfacts.draft.model import (
    Document,
    Draft,
    DraftError,
    DraftFact,
    DraftNotClaim,
    DraftRule,
    DraftUnit,
    Extractor,
    Paragraph,
    RateTable,
)

if TYPE_CHECKING:
    from kzfacts.draft.scanning import Scan

__all__ = ["BUILTIN", "ENTRY_POINT_GROUP", "Document", "Draft", "DraftError", "DraftFact",
           "DraftNotClaim", "DraftRule", "DraftUnit", "Extractor", "Paragraph", "RateTable", "Scan",
           "available_extractors", "draft", "read_document", "scan", "suggest", "write_draft"]


def scan(source: Path | str, **options: object) -> Scan:
    """Draft ``source`` in a temporary folder and check it (see :mod:`kzfacts.draft.scanning`)."""
    from kzfacts.draft.scanning import scan_source

    return scan_source(Path(source), **options)  # type: ignore[arg-type]


def __getattr__(name: str) -> object:
    if name == "Scan":  # defined with the scan, which loads the engine: imported when asked for
        from kzfacts.draft.scanning import Scan

        return Scan
    raise AttributeError(f"module 'kzfacts.draft' has no attribute {name!r}")


def suggest(facts: Path | str, rules: Path | str, **options: object) -> str:
    """The facts and rules a draft adds to an existing fact base, as a patch of new files
    (see :mod:`kzfacts.draft.merge`)."""
    from kzfacts.draft.merge import suggest_patch

    return suggest_patch(Path(facts), Path(rules), **options)  # type: ignore[arg-type]
