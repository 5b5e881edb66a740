"""``kzfacts check``: every rule, anchor and number of a fact base (or of a corpus)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import IO

from kzfacts._files import Inputs, atomic_writer, format_for
from kzfacts.cli.common import Command, emit, error, fact_base, fact_base_arguments, inputs_of
from kzfacts.errors import EXIT_INVALID, DataError
from kzfacts.reports.report import FORMATS, FORMATS_WITH_BASE

__all__ = ["COMMAND"]


def _arguments(p: argparse.ArgumentParser) -> None:
    fact_base_arguments(p)
    p.add_argument("--format", choices=sorted([*FORMATS, *FORMATS_WITH_BASE]),
                   help="default: from the --output file's extension "
                        "(.json .md .xml .sarif .jsonld .html), else text")
    p.add_argument("--output", "-o", type=Path,
                   help="write the report here (atomically; never over a link, a device or "
                        "a file the check reads)")
    p.add_argument("--corpus", type=Path,
                   help="check every document (a subfolder with facts/, rules/) of this folder")
    p.add_argument("--jobs", "-j", type=int, default=1,
                   help="processes for the documents of a corpus (default 1; same report)")
    p.add_argument("--no-locate", action="store_true",
                   help="do not look for the facts each finding blames and the repairs that "
                        "make every rule hold (faster on a fact base with many findings)")
    p.add_argument("--no-cache", action="store_true",
                   help="accepted for older scripts; no effect: kzfacts keeps no cache")


def _run(args: argparse.Namespace) -> int:
    if args.format is None:
        args.format = format_for(args.output)
    if args.corpus is not None:
        return _corpus(args)
    fact_base(args)
    from kzfacts.engine.check import check, check_with_base
    from kzfacts.reports.report import render, render_text

    if args.format in FORMATS_WITH_BASE:  # html shows the source text, claimreview who publishes
        base, report = check_with_base(args.facts, args.rules, baseline=args.baseline,
                                       locate=not args.no_locate)
        emit(render(report, args.format, base=base), args.output, inputs_of(args))
        if args.format == "claimreview":
            from kzfacts.reports.formats import claimreview_missing

            notice = claimreview_missing(base.document.claimreview)
            if notice is not None:
                error(notice)
        return report.exit_code
    report = check(args.facts, args.rules, baseline=args.baseline, locate=not args.no_locate)
    if args.format == "text" and args.output is None and sys.stdout.isatty():
        import shutil

        text = render_text(report, color=True, table=True,
                           width=shutil.get_terminal_size().columns)
    else:
        text = render(report, args.format)
    emit(text, args.output, inputs_of(args))
    return report.exit_code


def _corpus(args: argparse.Namespace) -> int:
    """``check --corpus DIR``: every document below DIR, streamed to stdout or --output."""
    from kzfacts.cli.corpus import check_corpus
    from kzfacts.cli.progress import Progress

    if args.jobs < 1:
        error(f"--jobs: expected a number of processes >= 1, found {args.jobs}")
        return EXIT_INVALID
    if not args.corpus.is_dir():
        error(f"{args.corpus}: expected a corpus folder, found no such folder")
        return EXIT_INVALID

    def run(out: IO[str]) -> int:
        return check_corpus(args.corpus, out, fmt=args.format, jobs=args.jobs, progress=Progress,
                            locate=not args.no_locate)
    try:
        if args.output is None:
            return run(sys.stdout)
        with atomic_writer(args.output, inputs=Inputs(folders=(args.corpus,))) as f:
            return run(f)
    except DataError:
        raise  # a refused --output: named by main
    except ValueError as exc:
        error(f"{args.corpus}: {exc}")
        return EXIT_INVALID


COMMAND = Command("check", "check the facts against each other", _arguments, _run)
