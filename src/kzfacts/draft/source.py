"""Reading a document to draft: the text, its paragraphs, and the files a draft starts from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kzfacts._files import FileRefused, read_regular
from kzfacts.draft.library import (
    MAX_SOURCE_BYTES,
    PARAGRAPH_STYLES,
    DataError,
    read_yaml,
    readable,
    split_paragraphs,
    unprintable,
)
from kzfacts.draft.model import Document, DraftError, Paragraph, RateTable
from kzfacts.draft.text import choose_style
from kzfacts.draft.text import decimal_comma as commas_of

__all__ = ["document_of"]

def _text(source: Path) -> tuple[str, tuple[str, ...]]:
    try:  # the path the user gave, followed; never a device, a FIFO or an unbounded read
        raw = read_regular(source.resolve(), limit=MAX_SOURCE_BYTES, noun="a source")
    except FileRefused as exc:
        raise DraftError(f"{source}: expected {exc.expected}, found {exc.found}") from None
    except OSError as exc:
        raise DraftError(f"{source}: expected a readable text file, found {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DraftError(f"{source}: expected a UTF-8 text file, found the byte {raw[exc.start]:#04x} "
                         f"at offset {exc.start}") from None
    notes: list[str] = []
    if "\r" in text:  # a text someone downloaded: its copy in the draft has plain line ends
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append("line ends converted from CRLF to LF")
    if "\x0c" in text:  # page breaks of a converted PDF
        text = text.replace("\x0c", "\n")
        notes.append("page breaks (form feeds) converted to line ends")
    bad = unprintable(text)
    if bad is not None:
        raise DraftError(f"{source}: expected printable text, found {bad[1]}")
    try:
        readable(text, str(source))
    except DataError as exc:
        raise DraftError(str(exc)) from None
    if not text.strip():
        raise DraftError(f"{source}: expected a document, found an empty file")
    return text, tuple(notes)


def _yaml(file: Path, what: str) -> Any:
    try:
        return read_yaml(file).data
    except DataError as exc:
        raise DraftError(f"{what}: {exc}") from None


def _units(file: Path) -> tuple[dict[str, str], tuple[str, ...]]:
    data = _yaml(file, "--units")
    if not isinstance(data, dict):
        raise DraftError(f"{file}: expected a units file (definitions, words), found {type(data).__name__}")
    words = data.get("words") or {}
    definitions = data.get("definitions") or []
    if not isinstance(words, dict) or not isinstance(definitions, list):
        raise DraftError(f"{file}: expected 'definitions' as a list and 'words' as a mapping")
    return ({str(k): str(v) for k, v in words.items()},
            tuple(str(d) for d in definitions))


def _tables(file: Path) -> tuple[dict[str, RateTable], str]:
    data = _yaml(file, "--reference")
    tables = data.get("tables") if isinstance(data, dict) else None
    if not isinstance(tables, dict):
        raise DraftError(f"{file}: expected a reference file (tables: ...)")
    out: dict[str, RateTable] = {}
    for name, table in tables.items():
        if not isinstance(table, dict) or not isinstance(table.get("unit"), str):
            continue
        years: set[int] = set()
        dated: list[str] = []
        for entry in table.get("entries") or []:
            if not isinstance(entry, dict) or entry.get("applies_to", "all uses") != "all uses":
                continue
            if isinstance(entry.get("year"), int):
                years.add(entry["year"])
            elif entry.get("effective_from") is not None:
                dated.append(str(entry["effective_from"]))
        out[str(name)] = RateTable(table["unit"].replace(" ", ""), frozenset(years), tuple(sorted(dated)))
    return out, file.read_text(encoding="utf-8")


def document_of(source: Path, *, title: str | None, style: str, units: Path | None,
                reference: Path | None, decimal_comma: bool | None) -> Document:
    text, notes = _text(source)
    if style not in PARAGRAPH_STYLES:
        raise DraftError(f"a paragraph style ({', '.join(map(repr, PARAGRAPH_STYLES))}), found {style!r}")
    if style == "auto":
        chosen, paragraphs = choose_style(text)
    else:
        try:
            found = split_paragraphs(text, style=style)
        except ValueError as exc:
            raise DraftError(f"{source}: {exc}") from None
        chosen = "1." if style == "numbered" else style
        paragraphs = tuple(Paragraph(p.number, p.text) for p in found)
    if title is None:
        first = text.find(paragraphs[0].text[:40]) if paragraphs else -1
        head = text[:first] if first > 0 else ""
        lines = [x.strip() for x in (head or text).splitlines() if x.strip()]
        title = " ".join((lines[0] if lines else source.stem).split())[:200]
    words, definitions = _units(units) if units is not None else ({}, ())
    tables, reference_text = _tables(reference) if reference is not None else ({}, None)
    comma = decimal_comma if decimal_comma is not None else commas_of(text)
    return Document(text, title, chosen, paragraphs, comma, words, definitions, tables,
                    reference_text, notes)
