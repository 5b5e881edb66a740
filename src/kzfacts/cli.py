"""The ``kzfacts`` command.

Exit codes: 0 nothing failing beyond what the baseline accepts; 1 findings (a failed
error-severity rule, a fact its source does not support, a number not accounted for);
2 invalid input (a data or rule file error, a bad command line); 3 a bug inside a rule kind.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kzfacts._engine import Report, check, compile_rules, evaluate, load, report
from kzfacts._loader import load_baseline
from kzfacts._report import FORMATS, render
from kzfacts.errors import InvalidDataError, RuleCrashError

__all__ = ["main"]

if TYPE_CHECKING:
    from kzfacts._cache import Cache as _CacheT

EXIT_OK, EXIT_FINDINGS, EXIT_INVALID, EXIT_BUG = 0, 1, 2, 3


def _bundled() -> Path:
    """The fact base shipped with kzfacts: the source checkout's, else the wheel's copy."""
    here = Path(__file__).resolve().parent
    checkout = here.parents[1]
    if (checkout / "facts" / "document.yaml").exists():
        return checkout
    return here / "_bundled"


def _defaults(args: argparse.Namespace) -> None:
    """Use ./facts, ./rules and ./baseline.yaml when present, else the bundled data."""
    root = Path.cwd() if (Path.cwd() / "facts").is_dir() else _bundled()
    if args.facts is None:
        args.facts = root / "facts"
    if args.rules is None:
        args.rules = root / "rules"
    if getattr(args, "baseline", None) is None:
        args.baseline = root / "baseline.yaml"


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that an interrupted run never leaves half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)


def _cmd_check(args: argparse.Namespace) -> int:
    from kzfacts import _cache
    cache = None if args.no_cache else _cache.Cache(_cache.default_dir())
    if args.corpus is not None:
        return _check_corpus(args, cache)
    color = args.output is None and sys.stdout.isatty()
    key = None
    if cache is not None:  # an unchanged check is answered by kzfacts._fastpath next time
        from kzfacts._fastpath import check_options, inputs_closed
        options = check_options(args.facts, args.rules, args.baseline, args.format, color)
        if inputs_closed(args.facts):
            key = _cache.result_key(options, [args.facts, args.rules], [args.baseline])
    with _cache.activate(cache):
        result = check(args.facts, args.rules, baseline=args.baseline)
    fmt = args.format
    if fmt == "text":
        from kzfacts._report import render_text
        text = render_text(result, color=color)
    else:
        text = render(result, fmt)
    _emit(text, args.output)
    if cache is not None and key is not None and key == _cache.result_key(
            options, [args.facts, args.rules], [args.baseline]):  # unchanged while checked
        _cache.put_result(cache.folder, key, result.exit_code, text)
    return result.exit_code


def _check_corpus(args: argparse.Namespace, cache: _CacheT | None) -> int:
    """``check --corpus DIR``: every document below DIR, streamed to stdout or --output."""
    from kzfacts._corpus import check_corpus
    from kzfacts._progress import Progress
    if args.jobs < 1:
        sys.stderr.write(f"kzfacts: --jobs: expected a number of processes >= 1, found {args.jobs}\n")
        return EXIT_INVALID
    if not args.corpus.is_dir():
        sys.stderr.write(f"kzfacts: {args.corpus}: expected a corpus folder, found no such folder\n")
        return EXIT_INVALID
    cache_dir = None if cache is None else str(cache.folder)

    def run(out: TextIO) -> int:
        return check_corpus(args.corpus, out, fmt=args.format, jobs=args.jobs, cache_dir=cache_dir,
                            progress=Progress)
    try:
        if args.output is None:
            return run(sys.stdout)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=args.output.parent, prefix=f".{args.output.name}.",
                                   suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                code = run(f)
            Path(tmp).replace(args.output)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except ValueError as exc:
        sys.stderr.write(f"kzfacts: {args.corpus}: expected {exc}\n")
        return EXIT_INVALID
    return code


def _load_report(args: argparse.Namespace) -> Report:
    base, rules = load(args.facts, args.rules)
    accepted = load_baseline(args.baseline)
    return report(base, evaluate(base, rules, compile_rules(base, rules), accepted), accepted)


def _cmd_explain(args: argparse.Namespace) -> int:
    rep = _load_report(args)
    try:
        r = rep.result(args.rule)
    except KeyError:
        import difflib
        close = difflib.get_close_matches(args.rule, [x.rule for x in rep.results], n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        sys.stderr.write(f"kzfacts: no rule {args.rule!r}{hint}\n")
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
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def _cmd_facts(args: argparse.Namespace) -> int:
    base, _ = load(args.facts, args.rules)
    facts = [f for f in base.facts.values() if args.paragraph is None or f.paragraph == args.paragraph]
    facts.sort(key=lambda f: (f.paragraph, base.locations[f.id]))
    if args.format == "json":
        rows = [{"id": f.id, "paragraph": f.paragraph, "kind": f.kind.value,
                 "value": None if f.value is None else str(f.value), "unit": f.unit,
                 "period": None if f.period is None else str(f.period), "quote": f.quote,
                 "file": base.locations[f.id].file, "line": base.locations[f.id].line}
                for f in facts]
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    for f in facts:
        value = "" if f.value is None else f" = {f.value}{' ' + f.unit if f.unit else ''}"
        period = f" [{f.period}]" if f.period else ""
        sys.stdout.write(f"¶{f.paragraph:<3} {f.id}{value}{period}  ({base.locations[f.id]})\n"
                         f"      \u201c{f.quote}\u201d\n")
        for note in base.anchors[f.id].notes:  # how the reader resolved ambiguous forms
            sys.stdout.write(f"      read: {note}\n")
    return EXIT_OK


def _cmd_numbers(args: argparse.Namespace) -> int:
    base, _ = load(args.facts, args.rules)
    spans = sorted(base.coverage.spans, key=lambda s: (s[2] is not None, s[1].start))
    for paragraph, span, by in spans:
        if args.uncovered and by is not None:
            continue
        line = base.source.line_of(span.start)
        sys.stdout.write(f"¶{paragraph:<3} line {line:<4} {span.text:<12} {by or 'UNCOVERED'}\n")
    cov = base.coverage
    sys.stdout.write(f"{cov.accounted}/{cov.found} numbers accounted for\n")
    return EXIT_FINDINGS if cov.uncovered else EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kzfacts", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--facts", type=Path, help="facts folder (default: ./facts or bundled)")
        p.add_argument("--rules", type=Path, help="rules folder (default: ./rules or bundled)")
        p.add_argument("--baseline", type=Path, help="accepted findings (default: baseline.yaml)")

    p = sub.add_parser("check", help="check the facts against each other")
    common(p)
    p.add_argument("--format", choices=sorted(FORMATS), default="text")
    p.add_argument("--output", "-o", type=Path, help="write the report here (atomically)")
    p.add_argument("--corpus", type=Path,
                   help="check every document (a subfolder with facts/, rules/) of this folder")
    p.add_argument("--jobs", "-j", type=int, default=1,
                   help="processes for the documents of a corpus (default 1; same report)")
    p.add_argument("--no-cache", action="store_true",
                   help="neither use nor fill the cache of parsed files and results "
                        "(see docs/performance.md)")
    p.set_defaults(run=_cmd_check)

    p = sub.add_parser("explain", help="one rule: its facts, quotes, locations, arithmetic")
    common(p)
    p.add_argument("rule")
    p.set_defaults(run=_cmd_explain)

    p = sub.add_parser("facts", help="list the facts")
    common(p)
    p.add_argument("--paragraph", type=int)
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(run=_cmd_facts)

    p = sub.add_parser("numbers", help="every number of the source and what accounts for it")
    common(p)
    p.add_argument("--uncovered", action="store_true", help="only the numbers nothing covers")
    p.set_defaults(run=_cmd_numbers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_INVALID if exc.code not in (0, None) else EXIT_OK
    _defaults(args)
    try:
        code: int = args.run(args)
    except InvalidDataError as exc:
        sys.stderr.write(f"kzfacts: {exc}\n")
        return EXIT_INVALID
    except RuleCrashError as exc:
        sys.stderr.write(f"kzfacts: internal error, please report it: {exc}\n")
        return EXIT_BUG
    except BrokenPipeError:
        return EXIT_OK
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
