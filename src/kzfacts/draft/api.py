"""Drafting a document: read it, draft it with an extractor, write the fact base."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

from kzfacts.draft.model import Document, Draft, DraftError, Extractor

__all__ = ["BUILTIN", "ENTRY_POINT_GROUP", "available_extractors", "draft", "read_document",
           "write_draft"]

#: The entry-point group of extractors: ``name = "package.module:callable"``.
ENTRY_POINT_GROUP = "kzfacts.extractors"
BUILTIN = "patterns"


def available_extractors() -> dict[str, str]:
    """Extractor names and where each comes from (the built-in, or an entry point's value)."""
    found = {BUILTIN: "kzfacts.draft.build:extract"}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(ep.name, ep.value)
    return found


def _extractor(name: str) -> Extractor:
    if name == BUILTIN:
        from kzfacts.draft.build import extract

        return extract
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name:
            loaded: Extractor = ep.load()
            return loaded
    raise DraftError(f"an extractor ({', '.join(sorted(available_extractors()))}), found {name!r}")


def read_document(source: Path | str, *, title: str | None = None, style: str = "auto",
                  units: Path | str | None = None, reference: Path | str | None = None,
                  decimal_comma: bool | None = None) -> Document:
    """Read a source and what a draft of it may use.

    Args:
        source: the document, a UTF-8 text file.
        title: its title; default: the first line before paragraph 1 (or of the file).
        style: the paragraph style (``auto``: the one numbering the most paragraphs).
        units: a units file whose words and units the draft uses ("thalers" → NVT).
        reference: a reference file whose tables conversions may use.
        decimal_comma: force how "3,7" reads; default: by the document's own decimals.

    Raises:
        DraftError: the source cannot be read, is not UTF-8 text, or has no paragraphs.
    """
    from kzfacts.draft.source import document_of

    return document_of(Path(source), title=title, style=style,
                       units=None if units is None else Path(units),
                       reference=None if reference is None else Path(reference),
                       decimal_comma=decimal_comma)


def draft(source: Path | str | Document, *, extractor: str = BUILTIN, **options: object) -> Draft:
    """Draft a fact base for a document (see :func:`read_document` for ``options``)."""
    document = source if isinstance(source, Document) else read_document(source, **options)  # type: ignore[arg-type]
    return _extractor(extractor)(document)


def write_draft(result: Draft, directory: Path | str, *, reference_text: str | None = None,
                ) -> list[Path]:
    """Write a draft as a fact base (``facts/``, ``rules/drafted.yaml``, an empty
    ``baseline.yaml``) below ``directory``.

    Raises:
        DraftError: the folder already holds a fact base (a draft never overwrites one).
    """
    from kzfacts.draft.write import fact_base_files, write_files

    root = Path(directory)
    taken = [p for p in (root / "facts", root / "rules") if p.exists() and any(p.iterdir())]
    taken += [p for p in (root / "baseline.yaml",) if p.exists()]
    if taken:
        raise DraftError(f"{', '.join(map(str, taken))} already hold files: kzfacts draft never "
                         "overwrites a fact base; choose another folder")
    text = reference_text if reference_text is not None else result.document.reference_text
    return write_files(root, fact_base_files(result, reference=text))
