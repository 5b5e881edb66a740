"""``kzfacts explain RULE``: one rule's facts, quotes, locations and arithmetic."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kzfacts.cli.common import Command, error, fact_base, fact_base_arguments, say
from kzfacts.errors import EXIT_INVALID, EXIT_OK

if TYPE_CHECKING:
    from kzfacts.engine.result import Localisation, Repair

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
             f"verdict: {r.verdict.value}" + (f" (accepted: {r.justification})" if r.accepted else ""),
             f"  {r.message}", "", "facts:"]
    for f in r.facts:
        unit = f" {f.unit}" if f.unit else ""
        lines.append(f"  {f.id} = {f.value}{unit}  (¶{f.paragraph}, {f.location})")
        lines.append(f"      \u201c{f.quote}\u201d")
    if r.intervals:
        lines += ["", "intervals:"] + [f"  {k}: {v}" for k, v in r.intervals.items()]
    if r.assumptions:
        lines += ["", "assumes:"] + [f"  {a.text} ({a.by}{', doubtful' if a.doubtful else ''})"
                                      for a in r.assumptions]
    if r.notes:
        lines += ["", "notes:"] + [f"  {n}" for n in r.notes]
    if r.localisation is not None:
        lines += ["", *_localisation(r.localisation)]
    say(lines)
    return EXIT_OK


def _localisation(loc: Localisation) -> list[str]:
    """Which facts the finding blames, and its repairs, each with the rules it leaves."""
    lines = ["localisation:"]
    if loc.candidates:
        lines.append(f"  candidates: {', '.join(loc.candidates)}")
    if loc.free:
        lines.append(f"  could hold with one fact changed to some value: {', '.join(loc.free)}")
    if not loc.repairs:
        lines.append("  no repair of one slip makes the rule hold")
        return lines
    n = len(loc.repairs)
    every = "every rule sharing a fact with it holds" if loc.holds else "the fewest rules fail"
    head = ("the only repair" if loc.unique else "repair" if n == 1
            else f"{n} equally likely repairs")
    lines.append(f"  {head} (after which {every}; each checked by evaluating again the "
                 "rules that use the fact):")
    for p in loc.repairs:
        lines += _repair(p)
    if loc.ruled_out:
        lines.append("  ruled out (the rule holds, another does not):")
        for p in loc.ruled_out:
            lines += _repair(p)
    return lines


def _repair(p: Repair) -> list[str]:
    lines = [f"    {p.summary}", f"        {p.message}"]
    lines += [f"        breaks {b}" for b in p.breaks]
    if p.failing and not p.breaks:
        lines.append(f"        leaves failing: {', '.join(p.failing)}")
    lines += [f"        would make false: {f}" for f in p.flips]
    lines += [f"        edit {e.location}: {e.old} → {e.new}" for e in p.edits]
    return lines


COMMAND = Command("explain", "one rule: its facts, quotes, locations, arithmetic", _arguments, _run)
