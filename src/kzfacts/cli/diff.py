"""``kzfacts diff OLD [NEW]``: what a data edit changed between two fact bases, and what it
broke (the comparison itself: :mod:`kzfacts.cli.fact_diff`, imported when the command runs)."""

from __future__ import annotations

import argparse
from pathlib import Path

from kzfacts._files import Inputs
from kzfacts.cli.common import Command, emit
from kzfacts.errors import EXIT_FINDINGS, EXIT_OK

__all__ = ["COMMAND"]


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", help="a directory with facts/ and rules/, or a git revision")
    p.add_argument("new", nargs="?", default=".", help="the same (default: the working tree)")
    p.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    p.add_argument("--output", "-o", type=Path, help="write the diff here (atomically)")
    p.add_argument("--facts-dir", "--facts", dest="facts_dir", default="facts",
                   help="facts folder inside each side")
    p.add_argument("--rules-dir", "--rules", dest="rules_dir", default="rules",
                   help="rules folder inside each side")
    p.add_argument("--baseline-file", "--baseline", dest="baseline_file", default="baseline.yaml",
                   help="baseline inside each side")
    p.add_argument("--exit-code", action="store_true", help="exit 1 when anything changed")


def _run(args: argparse.Namespace) -> int:
    from kzfacts.cli.fact_diff import diff, open_side, render_diff

    names = {"facts": args.facts_dir, "rules": args.rules_dir, "baseline": args.baseline_file}
    with open_side(args.old, **names) as old, open_side(args.new, **names) as new:
        d = diff(old, new)
    read = [Path(side) for side in (args.old, args.new) if Path(side).is_dir()]
    emit(render_diff(d, args.format), args.output, Inputs(
        folders=tuple(p / f for p in read for f in (args.facts_dir, args.rules_dir)),
        files=tuple(p / args.baseline_file for p in read)))
    return EXIT_FINDINGS if args.exit_code and not d.empty else EXIT_OK


COMMAND = Command("diff", "what changed between two fact bases (dirs or git revisions)",
                  _arguments, _run)
