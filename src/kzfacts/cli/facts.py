"""``kzfacts facts``: the facts of a fact base, each with its quote and place."""

from __future__ import annotations

import argparse
import sys

from kzfacts._escape import json_text
from kzfacts.cli.common import Command, fact_base, fact_base_arguments, paragraph_of, say
from kzfacts.errors import EXIT_OK

__all__ = ["COMMAND"]


def _arguments(p: argparse.ArgumentParser) -> None:
    fact_base_arguments(p)
    p.add_argument("--paragraph", type=int)
    p.add_argument("--format", choices=["text", "json"], default="text")


def _run(args: argparse.Namespace) -> int:
    fact_base(args)
    from kzfacts.engine.check import load

    base, _ = load(args.facts, args.rules)
    paragraph_of(base, args.paragraph)
    facts = [f for f in base.facts.values() if args.paragraph is None or f.paragraph == args.paragraph]
    facts.sort(key=lambda f: (f.paragraph, base.locations[f.id]))
    if args.format == "json":
        rows = [{"id": f.id, "paragraph": f.paragraph, "kind": f.kind.value,
                 "value": None if f.value is None else str(f.value), "unit": f.unit,
                 "period": None if f.period is None else str(f.period), "quote": f.quote,
                 "file": base.locations[f.id].file, "line": base.locations[f.id].line,
                 "subject": f.subject, "note": f.note, "assumption": f.assumption,
                 "unchecked": f.unchecked, "claim": None if f.claim is None else f.claim.value}
                for f in facts]
        sys.stdout.write(json_text(rows, sort_keys=False))
        return EXIT_OK
    lines = []
    for f in facts:
        value = "" if f.value is None else f" = {f.value}{' ' + f.unit if f.unit else ''}"
        period = f" [{f.period}]" if f.period else ""
        lines += [f"¶{f.paragraph:<3} {f.id}{value}{period}  ({base.locations[f.id]})",
                  f"      \u201c{f.quote}\u201d"]
        # how the reader resolved ambiguous forms
        lines += [f"      read: {note}" for note in base.anchors[f.id].notes]
        for label, text in (("claims", f.claim and f.claim.value), ("assumes", f.assumption),
                            ("unchecked", f.unchecked)):
            if text:
                lines.append(f"      {label}: {text}")
    say(lines)
    return EXIT_OK


COMMAND = Command("facts", "list the facts", _arguments, _run)
