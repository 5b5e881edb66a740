"""``kzfacts numbers``: every number of the source, and what accounts for it."""

from __future__ import annotations

import argparse
import sys

from kzfacts._escape import json_text
from kzfacts.cli.common import Command, fact_base, fact_base_arguments, paragraph_of, say
from kzfacts.errors import EXIT_FINDINGS, EXIT_OK

__all__ = ["COMMAND"]


def _arguments(p: argparse.ArgumentParser) -> None:
    fact_base_arguments(p)
    p.add_argument("--uncovered", action="store_true", help="only the numbers nothing covers")
    p.add_argument("--paragraph", type=int, help="only the numbers of this paragraph")
    p.add_argument("--format", choices=["text", "json"], default="text")


def _run(args: argparse.Namespace) -> int:
    fact_base(args)
    from kzfacts.data.loader import load_fact_base

    base = load_fact_base(args.facts, allow_empty=True)  # the to-do list of a fresh init
    paragraph_of(base, args.paragraph)
    rows = []
    spans = [s for s in base.coverage.spans if args.paragraph in (None, s[0])]
    found, accounted = len(spans), sum(1 for s in spans if s[2] is not None)
    # The numbers nothing accounts for come first, each group in the order of the source.
    for paragraph, span, by in sorted(spans, key=lambda s: (s[2] is not None, s[1].start)):
        if args.uncovered and by is not None:
            continue
        line, column = base.source.position(span.start)
        rows.append({"paragraph": paragraph, "line": line, "column": column, "text": span.text,
                     "covered_by": by})
    uncovered = sum(1 for r in rows if r["covered_by"] is None)
    if args.format == "json":
        doc = {"source": str(base.root / base.document.source), "found": found,
               "accounted": accounted, "numbers": rows}
        sys.stdout.write(json_text(doc, sort_keys=False))
    else:
        lines = []
        for r in rows:
            where = f"line {r['line']}:{r['column']}"
            lines.append(f"¶{r['paragraph']:<3} {where:<14} {r['text']:<12} "
                         f"{r['covered_by'] or 'UNCOVERED'}")
        scope = "" if args.paragraph is None else f" in ¶{args.paragraph}"
        say([*lines, f"{accounted}/{found} numbers accounted for{scope}"])
    return EXIT_FINDINGS if uncovered else EXIT_OK


COMMAND = Command("numbers", "every number of the source and what accounts for it", _arguments,
                  _run)
