"""``kzfacts explain RULE``: one rule's facts, quotes, locations and arithmetic."""

from __future__ import annotations

import argparse

from kzfacts.cli.common import Command, error, fact_base, fact_base_arguments, say
from kzfacts.errors import EXIT_INVALID, EXIT_OK

__all__ = ["COMMAND"]


def _arguments(p: argparse.ArgumentParser) -> None:
    fact_base_arguments(p)
    p.add_argument("rule")


def _run(args: argparse.Namespace) -> int:
    fact_base(args)
    from kzfacts.engine.check import check

    report = check(args.facts, args.rules, baseline=args.baseline)
    try:
        r = report.result(args.rule)
    except KeyError:
        import difflib
        close = difflib.get_close_matches(args.rule, [x.rule for x in report.results], n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        error(f"no rule {args.rule!r}{hint}")
        return EXIT_INVALID
    paras = ", ".join(f"¶{p}" for p in r.paragraphs)
    lines = [f"{r.rule} ({r.kind}, {r.severity.value}) at {r.location}", f"  {r.title}",
             f"  paragraphs: {paras}", f"  why: {r.why}", "",
             f"verdict: {r.verdict.value}" + (f" (accepted: {r.accepted})" if r.accepted else ""),
             f"  {r.message}", "", "facts:"]
    for f in r.facts:
        unit = f" {f.unit}" if f.unit else ""
        lines.append(f"  {f.id} = {f.value}{unit}  (¶{f.paragraph}, {f.location})")
        lines.append(f"      \u201c{f.quote}\u201d")
    if r.intervals:
        lines += ["", "intervals:"] + [f"  {k}: {v}" for k, v in r.intervals.items()]
    if r.notes:
        lines += ["", "notes:"] + [f"  {n}" for n in r.notes]
    say(lines)
    return EXIT_OK


COMMAND = Command("explain", "one rule: its facts, quotes, locations, arithmetic", _arguments, _run)
