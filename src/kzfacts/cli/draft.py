"""``kzfacts draft``, ``kzfacts scan`` and ``kzfacts suggest``: fact bases drafted from text.

Each is a :class:`~kzfacts.cli.common.Command` (``COMMAND`` here for ``draft``; the modules
``kzfacts.cli.scan`` and ``kzfacts.cli.suggest`` for the others), registered in
:data:`kzfacts.cli.COMMANDS`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kzfacts._escape import plain_lines
from kzfacts.cli.common import Command
from kzfacts.errors import EXIT_BUG, EXIT_INVALID, EXIT_OK
from kzfacts.reports.report import FORMATS, FORMATS_WITH_BASE

if TYPE_CHECKING:
    import argparse

__all__ = ["COMMAND", "SCAN", "SUGGEST"]


def _source_options(p: argparse.ArgumentParser) -> None:
    from kzfacts.data.source import PARAGRAPH_STYLES  # not the drafter: check builds this parser too

    p.add_argument("source", type=Path, help="the document, a UTF-8 text file")
    p.add_argument("--paragraphs", choices=PARAGRAPH_STYLES, default="auto",
                   help="how paragraphs are numbered (default: the style numbering the most)")
    p.add_argument("--title", help="the document's title (default: its first line)")
    p.add_argument("--units", type=Path,
                   help="a units file whose units and words the draft uses (e.g. a fact base's)")
    p.add_argument("--reference", type=Path,
                   help="a reference file (rates, index values) for conversions; copied into the draft")
    p.add_argument("--decimal-comma", choices=["auto", "yes", "no"], default="auto",
                   help="how '3,7' reads (default: by the document's own decimals)")
    p.add_argument("--extractor", default="patterns",
                   help="the extractor (default: the built-in 'patterns'; others come from the "
                        "'kzfacts.extractors' entry points)")


def _draft_arguments(p: argparse.ArgumentParser) -> None:
    _source_options(p)
    p.add_argument("--output", "-o", type=Path,
                   help="the folder to create facts/, rules/ and baseline.yaml in (default: "
                        "SOURCE's name with -draft)")


def _scan_arguments(p: argparse.ArgumentParser) -> None:
    _source_options(p)
    p.add_argument("--format", choices=[*FORMATS, *FORMATS_WITH_BASE], default="text",
                   help="text (candidates first, with quotes), or any format of "
                        "'kzfacts check' (json is its report)")
    p.add_argument("--output", "-o", type=Path, help="write the report here")


def _suggest_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--facts", type=Path, default=Path("facts"), help="facts folder (default: ./facts)")
    p.add_argument("--rules", type=Path, default=Path("rules"), help="rules folder (default: ./rules)")
    p.add_argument("--output", "-o", type=Path, help="write the patch here (default: stdout)")
    p.add_argument("--extractor", default="patterns", help="the extractor (default: patterns)")


def _comma(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _options(args: argparse.Namespace) -> dict[str, Any]:
    return {"title": args.title, "style": args.paragraphs, "units": args.units,
            "reference": args.reference, "decimal_comma": _comma(args.decimal_comma)}


def _guarded(name: str, run: Callable[[argparse.Namespace], int], args: argparse.Namespace,
             ) -> int:
    """Run a command: bad input is exit 2 with its message, a drafter bug exit 3."""
    from kzfacts.draft import DraftError
    from kzfacts.draft.library import InvalidDataError

    try:
        code = run(args)
    except DraftError as exc:
        sys.stderr.write(plain_lines([f"kzfacts {name}: {exc}"]))
        return EXIT_INVALID
    except InvalidDataError as exc:  # one line per error, each escaped as one already
        if name == "suggest":  # the fact base given is invalid
            sys.stderr.write(plain_lines(f"kzfacts {name}: {exc}".split("\n")))
            return EXIT_INVALID
        sys.stderr.write(plain_lines(f"kzfacts {name}: internal error, the draft does not load "
                                     f"(please report it): {exc}".split("\n")))
        return EXIT_BUG
    except OSError as exc:
        sys.stderr.write(plain_lines([f"kzfacts {name}: {exc.filename or 'output'}: expected a "
                                      f"writable file, found {exc.strerror or exc}"]))
        return EXIT_INVALID
    return code


def _draft(args: argparse.Namespace) -> int:
    import shlex

    from kzfacts.draft import draft, read_document, write_draft
    from kzfacts.draft.library import check

    document = read_document(args.source, **_options(args))
    result = draft(document, extractor=args.extractor)
    out: Path = args.output or Path(f"{args.source.stem}-draft")
    write_draft(result, out)
    report = check(out / "facts", out / "rules", baseline=None)
    fails = sum(1 for r in report.results if r.verdict.value == "fail" and r.severity.value != "info")
    sys.stdout.write(plain_lines([
        f"kzfacts draft: {len(document.paragraphs)} paragraphs (numbered {document.style!r}), "
        f"{report.facts} facts, {len(result.not_claims)} non-claims, {len(report.results)} "
        f"candidate rules written in {out}",
        f"  numbers accounted for: {report.coverage.accounted}/{report.coverage.found}; "
        f"{fails} candidate rule{'s' if fails != 1 else ''} fail",
        f"next: cd {shlex.quote(str(out))} && kzfacts check"]))
    return EXIT_OK


def _scan(args: argparse.Namespace) -> int:
    from kzfacts.draft.library import render
    from kzfacts.draft.scanning import render_scan, scan_source

    scan = scan_source(args.source, extractor=args.extractor, **_options(args))
    _write(render_scan(scan) if args.format == "text"
           else render(scan.report, args.format, base=scan.base), args.output)
    return scan.exit_code


def _suggest(args: argparse.Namespace) -> int:
    from kzfacts.draft import suggest

    patch = suggest(args.facts, args.rules, extractor=args.extractor)
    _write(patch, args.output)
    if not patch:
        sys.stderr.write("kzfacts suggest: nothing to add: the fact base has every fact and rule "
                         "the draft finds\n")
    return EXIT_OK


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


#: ``kzfacts draft``; ``kzfacts.cli.scan`` and ``kzfacts.cli.suggest`` hold the other two.
COMMAND = Command("draft", "write a fact base for a document: facts, non-claims, candidate rules",
                  _draft_arguments, partial(_guarded, "draft", _draft))
SCAN = Command("scan", "draft a document in memory, check it, print candidate inconsistencies",
               _scan_arguments, partial(_guarded, "scan", _scan))
SUGGEST = Command("suggest", "the facts and rules a draft adds to an existing fact base, as a patch",
                  _suggest_arguments, partial(_guarded, "suggest", _suggest))

