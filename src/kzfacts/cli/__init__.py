"""The ``kzfacts`` command.

Exit codes: 0 nothing failing beyond what the baseline accepts; 1 findings (a failed
error-severity rule, a fact its source does not support, a number not accounted for);
2 invalid input (a data or rule file error, a bad command line); 3 a bug inside a rule kind.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, TextIO, TypeAlias

from kzfacts._files import atomic_writer, default_root, format_for, write_atomic
from kzfacts.data.factbase import FactBase
from kzfacts.data.loader import load_baseline
from kzfacts.data.source import PARAGRAPH_STYLES
from kzfacts.engine.check import check, check_with_base, load
from kzfacts.engine.result import Report
from kzfacts.errors import (
    EXIT_BUG,
    EXIT_FINDINGS,
    EXIT_INVALID,
    EXIT_OK,
    DataError,
    InvalidDataError,
    Location,
    RuleCrashError,
)
from kzfacts.reports.report import FORMATS, FORMATS_WITH_BASE, render

__all__ = ["EXIT_BUG", "EXIT_FINDINGS", "EXIT_INVALID", "EXIT_OK", "main"]

if TYPE_CHECKING:
    import argparse

    from kzfacts.cli.fastpath import Keyed

#: Parsed options: argparse's, or a plain check's read without it (see _read_check).
Args: TypeAlias = "argparse.Namespace | SimpleNamespace"

_CHECK_FORMATS = sorted([*FORMATS, *FORMATS_WITH_BASE])


def _defaults(args: Args) -> None:
    """Use ./facts, ./rules and ./baseline.yaml when present, else the bundled data."""
    if not hasattr(args, "facts"):  # init, diff and schema read no default fact base
        return
    if getattr(args, "baseline", None) is not None and not args.baseline.exists() and not (
            getattr(args, "command", "") == "baseline"):  # `baseline update` may create it
        raise InvalidDataError([DataError(Location(str(args.baseline)), "a baseline file",
                                          "no such file")])
    root = default_root()
    if args.facts is None:
        args.facts = root / "facts"
    if args.rules is None:
        args.rules = root / "rules"
    if getattr(args, "baseline", None) is None:
        args.baseline = root / "baseline.yaml"


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)


def _cmd_check(args: Args, keyed: Keyed | None = None) -> int:
    """``check``; ``keyed``: the options, stamp and key of a lookup that missed, if one did."""
    if args.format is None:
        args.format = format_for(args.output)
    folder = None  # the cache's; the cache module is imported only when it is used
    if not args.no_cache:
        from kzfacts.cli.cache import default_dir

        folder = default_dir()
    if args.corpus is not None:
        return _check_corpus(args, folder)
    fmt = args.format
    if fmt in FORMATS_WITH_BASE:  # html shows the source text: it needs the fact base too
        base, rep = _evaluate(args)
        _emit(render(rep, fmt, base=base), args.output)
        return rep.exit_code
    tty = args.output is None and sys.stdout.isatty()
    key = stamp = None
    inputs = ([args.facts, args.rules], [args.baseline])
    if folder is not None and not tty:  # an unchanged check is answered by _fastpath next time
        from kzfacts.cli import cache as _cache
        from kzfacts.cli.fastpath import check_options, inputs_closed

        options = check_options(args.facts, args.rules, args.baseline, fmt)
        if inputs_closed(args.facts):
            if keyed is not None and keyed[0] == options:  # taken by the lookup that missed
                stamp, key = keyed[1:]
            else:
                taken = _cache.stamp_and_key(options, *inputs)
                if taken is not None:
                    stamp, key = taken
    result = check(args.facts, args.rules, baseline=args.baseline)
    if fmt == "text":
        from kzfacts.reports.report import render_text

        width = 100  # a table's, on a terminal only
        if tty:
            import shutil

            width = shutil.get_terminal_size().columns
        text = render_text(result, color=tty, table=tty, width=width)
    else:
        text = render(result, fmt)
    _emit(text, args.output)
    # stored only if no input changed since the key was taken
    if folder is not None and key is not None and stamp is not None:
        from kzfacts.cli import cache as _cache

        if stamp == _cache.inputs_stamp(*inputs):
            _cache.put_result(folder, key, result.exit_code, text)
    return result.exit_code


def _check_corpus(args: Args, cache_folder: Path | None) -> int:
    """``check --corpus DIR``: every document below DIR, streamed to stdout or --output."""
    from kzfacts.cli.corpus import check_corpus
    from kzfacts.cli.progress import Progress

    if args.jobs < 1:
        sys.stderr.write(f"kzfacts: --jobs: expected a number of processes >= 1, found {args.jobs}\n")
        return EXIT_INVALID
    if not args.corpus.is_dir():
        sys.stderr.write(f"kzfacts: {args.corpus}: expected a corpus folder, found no such folder\n")
        return EXIT_INVALID
    cache_dir = None if cache_folder is None else str(cache_folder)

    def run(out: TextIO) -> int:
        return check_corpus(args.corpus, out, fmt=args.format, jobs=args.jobs, cache_dir=cache_dir,
                            progress=Progress)
    try:
        if args.output is None:
            return run(sys.stdout)
        with atomic_writer(args.output) as f:
            return run(f)
    except ValueError as exc:
        sys.stderr.write(f"kzfacts: {args.corpus}: {exc}\n")
        return EXIT_INVALID


def _evaluate(args: Args) -> tuple[FactBase, Report]:
    return check_with_base(args.facts, args.rules, baseline=args.baseline)


def _load_report(args: Args) -> Report:
    return _evaluate(args)[1]


def _cmd_explain(args: Args) -> int:
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


def _paragraph(base: FactBase, number: int | None) -> None:
    """Refuse ``--paragraph N`` for a paragraph the source does not have."""
    if number is not None and number not in base.source.paragraphs:
        raise InvalidDataError([DataError(
            Location("--paragraph"), f"a paragraph of the source (1..{len(base.source.paragraphs)})",
            str(number))])


def _cmd_facts(args: Args) -> int:
    base, _ = load(args.facts, args.rules)
    _paragraph(base, args.paragraph)
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


def _cmd_numbers(args: Args) -> int:
    from kzfacts.data.loader import load_fact_base

    base = load_fact_base(args.facts, allow_empty=True)  # the to-do list of a fresh init
    _paragraph(base, args.paragraph)
    text = base.source.text
    rows = []
    spans = [s for s in base.coverage.spans if args.paragraph in (None, s[0])]
    found, accounted = len(spans), sum(1 for s in spans if s[2] is not None)
    # The numbers nothing accounts for come first, each group in the order of the source.
    for paragraph, span, by in sorted(spans, key=lambda s: (s[2] is not None, s[1].start)):
        if args.uncovered and by is not None:
            continue
        rows.append({"paragraph": paragraph, "line": base.source.line_of(span.start),
                     "column": span.start - text.rfind("\n", 0, span.start), "text": span.text,
                     "covered_by": by})
    uncovered = sum(1 for r in rows if r["covered_by"] is None)
    if args.format == "json":
        doc = {"source": str(base.root / base.document.source), "found": found,
               "accounted": accounted, "numbers": rows}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        for r in rows:
            where = f"line {r['line']}:{r['column']}"
            sys.stdout.write(f"¶{r['paragraph']:<3} {where:<14} {r['text']:<12} "
                             f"{r['covered_by'] or 'UNCOVERED'}\n")
        scope = "" if args.paragraph is None else f" in ¶{args.paragraph}"
        sys.stdout.write(f"{accounted}/{found} numbers accounted for{scope}\n")
    return EXIT_FINDINGS if uncovered else EXIT_OK


def _cmd_init(args: Args) -> int:
    from kzfacts.cli.scaffold import ScaffoldError, init_fact_base

    try:
        made = init_fact_base(args.directory, args.source, style=args.paragraphs, title=args.title)
    except ScaffoldError as exc:
        sys.stderr.write(f"kzfacts init: {exc}\n")
        return EXIT_INVALID
    import shlex

    root = made.root
    cd = "" if root.resolve() == Path.cwd().resolve() else f"cd {shlex.quote(str(root))} && "
    sys.stdout.write(
        f"kzfacts init: {made.paragraphs} paragraph{'' if made.paragraphs == 1 else 's'} "
        f"(style {made.style!r}), "
        f"{made.numbers} numbers to account for; {len(made.files)} files written in {root}\n"
        f"next: {cd}kzfacts numbers --uncovered\n")
    return EXIT_OK


def _cmd_baseline(args: Args) -> int:
    from kzfacts.cli.baseline import update_baseline

    path: Path = args.baseline
    rep = _load_report(args)
    text = path.read_text(encoding="utf-8") if path.exists() else None
    update = update_baseline(text, rep, load_baseline(path), path=str(path), prune=args.prune)
    for e in update.added:
        sys.stdout.write(f"added   {e.rule} ({e.verdict}): edit its TODO justification\n")
    for e in update.stale:
        verb = "removed" if args.prune else "stale  "
        sys.stdout.write(f"{verb} {e.rule} ({e.verdict}): it accepts no current finding\n")
    todo = [e.rule for e in load_baseline(path).accepted if e.why.startswith("TODO")]
    for rule in todo:
        sys.stdout.write(f"todo    {rule}: its justification still starts with TODO\n")
    if args.check:  # a gate: new findings, stale entries (with --prune) or TODOs fail it
        return EXIT_FINDINGS if update.changed or todo else EXIT_OK
    if update.changed:
        write_atomic(path, update.text)
        sys.stdout.write(f"{path}: {len(update.added)} added"
                         + (f", {len(update.stale)} removed" if args.prune else "") + "\n")
    else:
        sys.stdout.write(f"{path}: up to date\n")
    return EXIT_OK


def _cmd_diff(args: Args) -> int:
    from kzfacts.cli.diff import diff, open_side, render_diff

    names = {"facts": args.facts_dir, "rules": args.rules_dir, "baseline": args.baseline_file}
    with open_side(args.old, **names) as old, open_side(args.new, **names) as new:
        d = diff(old, new)
    _emit(render_diff(d, args.format), args.output)
    return EXIT_FINDINGS if args.exit_code and not d.empty else EXIT_OK


def _cmd_schema(args: Args) -> int:
    from kzfacts.reports.schema import SCHEMAS, schema_text

    names = sorted(SCHEMAS) if args.name == "all" else [args.name]
    if args.output is None and len(names) == 1:
        sys.stdout.write(schema_text(names[0]))
        return EXIT_OK
    folder: Path = args.output or Path("schemas")
    for name in names:
        target = folder / f"kzfacts-{name}.schema.json" if len(names) > 1 or folder.is_dir() \
            else folder
        write_atomic(target, schema_text(name))
        sys.stdout.write(f"wrote {target}\n")
    return EXIT_OK


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--facts", type=Path, help="facts folder (default: ./facts or bundled)")
    p.add_argument("--rules", type=Path, help="rules folder (default: ./rules or bundled)")
    p.add_argument("--baseline", type=Path, help="accepted findings (default: baseline.yaml)")


def _add_check(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("--format", choices=_CHECK_FORMATS,
                   help="default: from the --output file's extension "
                        "(.json .md .xml .sarif .jsonld .html), else text")
    p.add_argument("--output", "-o", type=Path, help="write the report here (atomically)")
    p.add_argument("--corpus", type=Path,
                   help="check every document (a subfolder with facts/, rules/) of this folder")
    p.add_argument("--jobs", "-j", type=int, default=1,
                   help="processes for the documents of a corpus (default 1; same report)")
    p.add_argument("--no-cache", action="store_true",
                   help="neither use nor fill the cache of results "
                        "(see docs/performance.md)")
    p.set_defaults(run=_cmd_check)


def _add_explain(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("rule")
    p.set_defaults(run=_cmd_explain)


def _add_facts(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("--paragraph", type=int)
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(run=_cmd_facts)


def _add_numbers(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("--uncovered", action="store_true", help="only the numbers nothing covers")
    p.add_argument("--paragraph", type=int, help="only the numbers of this paragraph")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(run=_cmd_numbers)


def _add_baseline(p: argparse.ArgumentParser) -> None:
    bsub = p.add_subparsers(dest="action", required=True)
    b = bsub.add_parser("update", help="append new findings (TODO justifications), keep "
                                       "every comment and entry; --prune drops stale ones")
    _common(b)
    b.add_argument("--prune", action="store_true", help="remove entries that accept nothing")
    b.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 if the baseline would change")
    b.set_defaults(run=_cmd_baseline)


def _add_diff(p: argparse.ArgumentParser) -> None:
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
    p.set_defaults(run=_cmd_diff)


def _add_schema(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", nargs="?", default="all",
                   choices=["all", "facts", "rules", "document", "units", "reference",
                            "not-claims", "baseline", "report", "corpus-report"])
    p.add_argument("--output", "-o", type=Path,
                   help="a file (one schema) or a folder (default for all: ./schemas)")
    p.set_defaults(run=_cmd_schema)


def _add_init(p: argparse.ArgumentParser) -> None:
    p.add_argument("directory", type=Path, help="where to create facts/, rules/, baseline.yaml")
    p.add_argument("--source", type=Path, required=True, help="the document (UTF-8 text)")
    p.add_argument("--paragraphs", choices=PARAGRAPH_STYLES, default="auto",
                   help="how paragraphs are marked (default: detect)")
    p.add_argument("--title", help="the document's title (default: its first line)")
    p.set_defaults(run=_cmd_init)


#: The commands, in the order of the help: name → (its line in the help, what adds its options).
_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "check": ("check the facts against each other", _add_check),
    "explain": ("one rule: its facts, quotes, locations, arithmetic", _add_explain),
    "facts": ("list the facts", _add_facts),
    "numbers": ("every number of the source and what accounts for it", _add_numbers),
    "baseline": ("manage the accepted findings", _add_baseline),
    "diff": ("what changed between two fact bases (dirs or git revisions)", _add_diff),
    "schema": ("JSON Schemas of the file formats and the JSON report", _add_schema),
    "init": ("create a fact base for a document: every number as to-do", _add_init),
}


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of the whole command line, or with ``command`` of that command alone.

    A command's own parser is the one the whole parser hands the rest of the line to (the
    same ``prog``, so the same help, usage and errors); building only it saves building the
    others, about 1.6 ms of a cold start.
    """
    import argparse  # 1.5 ms to import: a plain check is read without it (_read_check)

    if command is not None:
        parser = argparse.ArgumentParser(prog=f"kzfacts {command}")
        _COMMANDS[command][1](parser)
        return parser
    parser = argparse.ArgumentParser(
        prog="kzfacts", description="Fact-check a document against itself.",
        epilog="exit codes: 0 nothing failing beyond the baseline; 1 findings; "
               "2 invalid input; 3 a bug inside a rule kind")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (text, add) in _COMMANDS.items():
        add(sub.add_parser(name, help=text))
    return parser


#: ``check``'s options that take a value, by the attribute they set.
_CHECK_VALUED = {"--facts": "facts", "--rules": "rules", "--baseline": "baseline",
                 "--format": "format", "--output": "output", "-o": "output",
                 "--corpus": "corpus", "--jobs": "jobs", "-j": "jobs"}


def _read_check(argv: Sequence[str]) -> SimpleNamespace | None:
    """A plain ``check`` command line read without argparse, or None for anything else.

    Read: the exact option names, ``--name value`` with a value not starting with ``-``,
    ``--name=value``, ``-o``/``-j`` followed by their value, a ``--format`` among the choices,
    a ``--jobs`` that ``int`` reads; the last of a repeated option wins. Anything else (an
    abbreviation, ``-h``, ``--``, a mistake) goes to argparse, which reads it as always: what
    this returns is what argparse returns for the same line (tests/test_cli_parse.py).
    """
    if not argv or argv[0] != "check":
        return None
    got: dict[str, Any] = {"command": "check", "facts": None, "rules": None, "baseline": None,
                           "format": None, "output": None, "corpus": None, "jobs": 1,
                           "no_cache": False, "run": _cmd_check}
    rest = iter(argv[1:])
    for arg in rest:
        if arg == "--no-cache":
            got["no_cache"] = True
            continue
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        key = _CHECK_VALUED.get(name)
        if key is None:
            return None
        if not eq:
            value = next(rest, "")
            if value.startswith("-"):
                return None
        if not value:
            return None
        if key == "format":
            if value not in _CHECK_FORMATS:
                return None
            got[key] = value
        elif key == "jobs":
            try:
                got[key] = int(value)
            except ValueError:
                return None
        else:
            got[key] = Path(value)
    return SimpleNamespace(**got)


def _parse_args(argv: list[str]) -> Args:
    """The options of a command line; exits (SystemExit) for help and for usage errors."""
    args = _read_check(argv)
    if args is not None:
        return args
    if argv and argv[0] in _COMMANDS:
        known, extra = _parser(argv[0]).parse_known_args(argv[1:])
        if not extra:
            known.command = argv[0]
            return known
    # no command, an unknown one, options before it, or arguments its parser does not know
    # (which the whole parser names, after its own usage)
    return _parser().parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    return _main(list(sys.argv[1:] if argv is None else argv), None)


def _main(argv: list[str], keyed: Keyed | None) -> int:
    """:func:`main`, given what the console script's cache lookup took (see ``_fastpath``)."""
    try:
        args = _parse_args(argv)
    except SystemExit as exc:
        return EXIT_INVALID if exc.code not in (0, None) else EXIT_OK
    try:
        _defaults(args)
        code: int = _cmd_check(args, keyed) if args.run is _cmd_check else args.run(args)
    except InvalidDataError as exc:
        sys.stderr.write(f"kzfacts: {exc}\n")
        return EXIT_INVALID
    except RuleCrashError as exc:
        sys.stderr.write(f"kzfacts: internal error, please report it: {exc}\n")
        return EXIT_BUG
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a report or file that cannot be written: say where, no traceback
        where = exc.filename if exc.filename is not None else "output"
        sys.stderr.write(f"kzfacts: {where}: expected a writable file, found "
                         f"{exc.strerror or exc}\n")
        return EXIT_INVALID
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
