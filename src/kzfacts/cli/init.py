"""``kzfacts init``: a new fact base for a document, with every number of it listed as to-do;
``kzfacts init --update-hash``: record the sha256 of an intended edit of the source.

The scaffold is valid from the first run: fact files hold no facts yet (the numbers the
reader found are listed in comments), the units, reference and not-claims files are empty
with commented examples, the rules folder is empty. ``kzfacts check`` on it therefore
runs, and reports every number of the source as not accounted for (exit 1).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from kzfacts._escape import plain_lines
from kzfacts._files import FileRefused, read_regular, write_atomic
from kzfacts.cli.common import Command
from kzfacts.data.loader import MAX_SOURCE_BYTES, read_source
from kzfacts.data.source import (
    PARAGRAPH_STYLES,
    Paragraph,
    detect_style,
    split_paragraphs,
    unprintable,
)
from kzfacts.data.yaml import MAX_FILE_BYTES
from kzfacts.errors import EXIT_INVALID, EXIT_OK, KzfactsError, ReadError
from kzfacts.values.numbers import find_numbers, read_number

__all__ = ["COMMAND", "Scaffold", "ScaffoldError", "init_fact_base", "update_hash"]

SOURCE_NAME = "source.txt"
README_NAME = "kzfacts-README.md"


class ScaffoldError(KzfactsError, ValueError):
    """A fact base cannot be created: it exists already, or the source cannot be read or split."""


@dataclass(frozen=True, slots=True)
class Scaffold:
    """What ``init`` created.

    Attributes:
        root: the folder holding ``facts/``, ``rules/`` and ``baseline.yaml``.
        style: the paragraph style recorded in ``document.yaml``.
        paragraphs: how many paragraphs the source has in that style.
        numbers: how many numbers the reader found in them (all to do).
        files: every file written, in order.
    """

    root: Path
    style: str
    paragraphs: int
    numbers: int
    files: tuple[Path, ...]


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(text, ensure_ascii=False)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _context(text: str, start: int, end: int, width: int = 28) -> str:
    """The words around ``text[start:end]``, cut at spaces, on one line."""
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    if lo > 0 and " " in text[lo:start]:
        lo = text.index(" ", lo, start) + 1
    if hi < len(text) and " " in text[end:hi]:
        hi = text.rindex(" ", end, hi)
    return _one_line(text[lo:hi])


def _value(text: str) -> str:
    """A number as a fact's value is written: digits only, a decimal in quotes."""
    try:
        value = read_number(text).value
    except ReadError:
        return _q(text)
    return str(value) if isinstance(value, int) else _q(str(value))


def _fact_file(source: str, para: Paragraph) -> tuple[str, int]:
    """A fact file with no facts, listing the paragraph's numbers as to-do."""
    spans = find_numbers(para.text)
    lines = [f"# Paragraph {para.number} of {SOURCE_NAME} (line {para.line}): "
             f"\u201c{_context(para.text, 0, 0, 60)}\u2026\u201d"]
    if spans:
        lines += [f"# To do: {len(spans)} number{'s' if len(spans) > 1 else ''} the reader found; "
                  "each becomes a fact's value or period, or goes in not_claims.yaml.",
                  "#   line  number        in"]
        for span in spans:
            line = source.count("\n", 0, para.start + span.start) + 1
            around = _context(para.text, span.start, span.end)
            lines.append(f"#   {line:<5} {span.text:<13} \u2026{around}\u2026")
        # The example takes a number that is not a year when there is one: years are periods.
        first = next((s for s in spans if not re.fullmatch(r"(?:1[89]|20)\d\d", s.text)), spans[0])
        example = [
            (f"#  - id: p{para.number}.todo", "a stable dotted id, unique in the base"),
            ("#    kind: count", "count | share | money | index | rate | date | duration | range "
                              "| statement"),
            (f"#    value: {_value(first.text)}", "exact: an int, or a decimal in quotes"),
            ("#    unit: item", "a unit declared in units.yaml (percent for a share)"),
            ("#    subject: what is counted", ""),
            (f"#    quote: {_q(_context(para.text, first.start, first.end))}",
             "verbatim, once in the paragraph"),
            (f"#    written: {_q(first.text)}", "the words of the quote that state the value"),
        ]
        lines.append("# A fact, to copy into the list below (docs/format.md has every field):")
        lines += [f"{code:<30} # {why}" if why else code for code, why in example]
    else:
        lines.append("# No numbers: nothing to do unless the paragraph states a date or a claim in words.")
    lines += [f"paragraph: {para.number}", "facts: []", ""]
    return "\n".join(lines), len(spans)


_UNITS = """\
# Units of this fact base, as pint definitions. kzfacts itself knows only percent and
# calendar time (year, month, week, day): everything this document counts, pays or indexes
# is declared here. Each counted entity is its own dimension, so a rule that adds
# households to inspections is an error when the rules are compiled. Currencies and index
# units are dimensions too: they convert only through a dated rate (reference.yaml, or a
# rate the document states).
#
# definitions:
#   - household = [household] = _ = households         # a counted entity
#   - EUR = [currency_EUR] = _ = euro = euros             # a currency
#   - FEE = [index_FEE] = _ = fee_unit                    # an index unit set each year
definitions: []
# Words of the document that name a unit, for the number reader ("3 million euros" is EUR):
# words:
#   euros: EUR
#   fee units: FEE
words: {}
"""

_REFERENCE = """\
# Dated reference data for conversions the document does not state itself: exchange rates,
# index values. Each entry keeps its source, so a rule that relies on it can be checked.
#
# tables:
#   eur_gbp:
#     unit: GBP/EUR                  # units of units.yaml
#     description: Annual average euro rate
#     entries:
#       - value: "0.87"
#         year: 2023                 # an annual value; or effective_from: "2023-01-01"
#         confidence: confirmed
#         source_url: "https://..."
tables: {}
"""

_NOT_CLAIMS = """\
# Numbers of the source that are not claims (article numbers, list labels, decree numbers),
# each with why. Every number inside each occurrence of `text` in the paragraph is covered.
#
# not_claims:
#   - paragraph: 4
#     text: "Article 12"
#     why: an article number, not a quantity
not_claims: []
"""

_BASELINE = """\
# Findings of the document that are accepted, each with a one-line justification. A check
# fails on every finding not listed here; reports still list the accepted ones.
#
# accepted:
#   - rule: p3.parts-sum
#     verdict: fail                  # fail | warn
#     why: The parts add to 1,204, not 1,240, as the document states it.
accepted: []
"""


def _readme(title: str, style: str, paragraphs: int, numbers: int) -> str:
    return f"""\
## Fact-checking with kzfacts

`facts/` records the claims of *{title}* (`facts/{SOURCE_NAME}`, {paragraphs} paragraphs
numbered {style!r}), each anchored to the words that state it; `rules/` says how the
claims must agree; `baseline.yaml` lists the findings accepted, each with a reason.
When `kzfacts init` created it, {numbers} numbers of the source were still to do.

```sh
pip install kzfacts
kzfacts numbers --uncovered    # the numbers no fact accounts for yet
kzfacts check                  # every rule, with its arithmetic; exit 0 when nothing new fails
pytest                         # one test per rule, through the kzfacts pytest plugin
```
"""


def _title(text: str, first: Paragraph, source: Path) -> str:
    preamble = text[:first.start].strip().splitlines()
    line = next((x.strip() for x in preamble if x.strip()), "")
    return _one_line(line)[:200] or source.stem


def init_fact_base(directory: Path | str, source: Path | str, *, style: str = "auto",
                   title: str | None = None) -> Scaffold:
    """Create a fact base for ``source`` in ``directory``; never overwrite anything.

    Writes ``facts/`` (the source copied in, ``document.yaml`` with its sha256 and
    paragraph style, one fact file per paragraph listing its numbers as to-do, empty
    ``units.yaml``, ``reference.yaml`` and ``not_claims.yaml`` with commented examples),
    an empty ``rules/``, an empty ``baseline.yaml`` and a README snippet.

    Args:
        directory: where to create the fact base (created if missing).
        source: the document, a UTF-8 text file.
        style: the paragraph style (one of ``PARAGRAPH_STYLES``); ``"auto"`` detects it
            and records what it found.
        title: the document's title; default: the first line before paragraph 1, else
            the source's file name.

    Returns:
        What was created.

    Raises:
        ScaffoldError: a fact base exists there, the source cannot be read as UTF-8, or
            its paragraphs cannot be found in one style.
    """
    root, src = Path(directory), Path(source)
    targets = [root / "facts", root / "rules", root / "baseline.yaml", root / README_NAME]
    taken = [t for t in targets if t.is_symlink() or (
        t.exists() and not (t.is_dir() and not any(t.iterdir())))]
    if taken:
        raise ScaffoldError(f"{', '.join(map(str, taken))} already exist{'s' if len(taken) == 1 else ''}:"
                            " kzfacts init never overwrites a fact base (nor writes through a "
                            "link); choose another folder")
    try:
        raw = read_regular(src.resolve(), limit=MAX_SOURCE_BYTES, noun="a source")
        text = raw.decode("utf-8")
    except FileRefused as exc:
        raise ScaffoldError(f"{src}: expected {exc.expected}, found {exc.found}") from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of links (Python 3.11)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ScaffoldError(f"{src}: expected a readable source file, found {reason}") from None
    except UnicodeDecodeError as exc:
        raise ScaffoldError(f"{src}: expected a UTF-8 text file, found the byte "
                            f"{raw[exc.start]:#04x} at offset {exc.start}") from None
    # The checks the loader makes of a source, so that the scaffold can be checked.
    bad = unprintable(text)
    if bad is not None:
        hint = " (CRLF line ends: convert them to LF)" if text[bad[0]] == "\r" else ""
        raise ScaffoldError(f"{src}: expected printable text (line ends and tabs allowed), found "
                            f"{bad[1]}{hint}")
    if style not in PARAGRAPH_STYLES:
        raise ScaffoldError(f"a paragraph style ({', '.join(map(repr, PARAGRAPH_STYLES))}), "
                            f"found {style!r}")
    try:
        chosen = detect_style(text) if style == "auto" else style
        paragraphs = split_paragraphs(text, style=chosen)
    except ValueError as exc:
        raise ScaffoldError(f"{src}: {exc}".replace("'paragraphs:' in document.yaml",
                                                    "--paragraphs STYLE")) from None

    width = max(2, len(str(len(paragraphs))))
    files: dict[Path, str] = {}
    facts = root / "facts"
    numbers = 0
    for para in paragraphs:
        content, found = _fact_file(text, para)
        files[facts / f"p{para.number:0{width}d}.yaml"] = content
        numbers += found
    name = title if title is not None else _title(text, paragraphs[0], src)
    files[facts / "document.yaml"] = (
        "# The document this fact base checks. Edit the source and its sha256 must change too.\n"
        f"title: {_q(name)}\nsource: {SOURCE_NAME}\n"
        f"sha256: {hashlib.sha256(raw).hexdigest()}\n"
        f"paragraphs: {_q(chosen)}    # {', '.join(PARAGRAPH_STYLES)}\n"
        "units: units.yaml\nreference: reference.yaml\nnot_claims: not_claims.yaml\n")
    files[facts / "units.yaml"] = _UNITS
    files[facts / "reference.yaml"] = _REFERENCE
    files[facts / "not_claims.yaml"] = _NOT_CLAIMS
    files[root / "baseline.yaml"] = _BASELINE
    files[root / README_NAME] = _readme(name, chosen, len(paragraphs), numbers)
    files[root / "rules" / ".gitkeep"] = ""

    write_atomic(facts / SOURCE_NAME, text)  # the bytes read: valid UTF-8 decodes both ways
    for path, content in files.items():
        write_atomic(path, content)
    return Scaffold(root, chosen, len(paragraphs), numbers,
                    (facts / SOURCE_NAME, *sorted(files)))


def update_hash(facts: Path | str) -> tuple[str, str]:
    """Record the sha256 of the source of the facts folder ``facts`` in its document.yaml.

    Only the value on the ``sha256:`` line changes (a missing line is added); every other
    byte of document.yaml is kept. The next check anchors every quote in the edited text.

    Returns:
        The sha256 recorded before and the one recorded now.

    Raises:
        InvalidDataError: document.yaml or the source cannot be read.
        DataError: document.yaml cannot be written.
    """
    folder = Path(facts)
    doc, raw = read_source(folder)
    digest = hashlib.sha256(raw).hexdigest()
    manifest = folder / "document.yaml"
    text = read_regular(manifest.resolve(), limit=MAX_FILE_BYTES).decode("utf-8")
    data = doc.data if isinstance(doc.data, dict) else {}
    old = str(data.get("sha256", ""))
    if "sha256" in data:
        where = doc.where(("sha256",))
        lines = text.splitlines(keepends=True)
        line = lines[where.line - 1]
        start = where.column - 1
        value = re.match(r"""(["']?)[^"'\s#,\]}]*\1""", line[start:])
        assert value is not None  # the scalar the reader found there
        quote = value.group(1)  # a quoted value stays quoted
        lines[where.line - 1] = f"{line[:start]}{quote}{digest}{quote}{line[start + value.end():]}"
        new = "".join(lines)
    else:
        new = text + ("" if not text or text.endswith("\n") else "\n") + f"sha256: {digest}\n"
    if new != text:
        write_atomic(manifest, new)
    return old, digest


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("directory", type=Path, nargs="?",
                   help="where to create facts/, rules/, baseline.yaml")
    p.add_argument("--source", type=Path, help="the document (UTF-8 text)")
    p.add_argument("--paragraphs", choices=PARAGRAPH_STYLES, default="auto",
                   help="how paragraphs are marked (default: detect)")
    p.add_argument("--title", help="the document's title (default: its first line)")
    p.add_argument("--update-hash", type=Path, nargs="?", const=Path("facts"), metavar="FACTS",
                   help="instead: record the sha256 of an intended edit of the source in "
                        "FACTS/document.yaml (default ./facts); every quote is anchored "
                        "again on the next check")


def _run(args: argparse.Namespace) -> int:
    if args.update_hash is not None:
        extra = [name for name, value in (("DIRECTORY", args.directory), ("--source", args.source),
                                          ("--title", args.title)) if value is not None]
        if extra:
            sys.stderr.write(plain_lines([f"kzfacts init: --update-hash: expected no "
                                          f"{', '.join(extra)} with it, found {', '.join(extra)}"]))
            return EXIT_INVALID
        old, new = update_hash(args.update_hash)
        manifest = args.update_hash / "document.yaml"
        sys.stdout.write(plain_lines([f"kzfacts init: {manifest}: sha256 {new} (was {old})"
                                      if old != new else
                                      f"kzfacts init: {manifest}: sha256 {new} already recorded"]))
        return EXIT_OK
    missing = [name for name, value in (("DIRECTORY", args.directory), ("--source", args.source))
               if value is None]
    if missing:
        sys.stderr.write(plain_lines([f"kzfacts init: expected a DIRECTORY and --source FILE (or "
                                      f"--update-hash), found no {' and no '.join(missing)}"]))
        return EXIT_INVALID
    try:
        made = init_fact_base(args.directory, args.source, style=args.paragraphs, title=args.title)
    except ScaffoldError as exc:
        sys.stderr.write(plain_lines([f"kzfacts init: {exc}"]))
        return EXIT_INVALID
    root = made.root
    cd = "" if root.resolve() == Path.cwd().resolve() else f"cd {shlex.quote(str(root))} && "
    sys.stdout.write(plain_lines([
        f"kzfacts init: {made.paragraphs} paragraph{'' if made.paragraphs == 1 else 's'} "
        f"(style {made.style!r}), "
        f"{made.numbers} numbers to account for; {len(made.files)} files written in {root}",
        f"next: {cd}kzfacts numbers --uncovered"]))
    return EXIT_OK


COMMAND = Command("init", "create a fact base for a document: every number as to-do", _arguments,
                  _run)
