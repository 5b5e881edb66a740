"""``kzfacts baseline update``: the baseline file updated in place, every comment kept.

The baseline is a file people write justifications in, so ``kzfacts baseline update`` edits
its text rather than re-dumping its data: the lines of every entry it keeps are left byte
for byte, new findings are appended to the ``accepted`` list with a ``TODO`` justification
holding the arithmetic, and stale entries are removed only when asked (``--prune``), with
the comment lines directly above them.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass

import yaml

from kzfacts._files import Inputs, read_regular, write_atomic
from kzfacts.cli.common import Command, fact_base, fact_base_arguments, say
from kzfacts.data.loader import load_baseline
from kzfacts.data.model import Baseline, BaselineEntry
from kzfacts.data.yaml import MAX_FILE_BYTES, parse_yaml
from kzfacts.engine.check import check
from kzfacts.engine.result import Report
from kzfacts.errors import EXIT_FINDINGS, EXIT_OK, DataError, InvalidDataError, Location

__all__ = ["COMMAND", "BaselineUpdate", "new_findings", "stale_entries", "update_baseline"]

HEADER = ("# Accepted findings: what the document says that does not add up, each with a\n"
          "# one-line justification. `kzfacts check` lists them but exits 0; a new finding\n"
          "# fails. Written by `kzfacts baseline update`; edit every TODO.\n")
TODO = "TODO: justify. "


@dataclass(frozen=True, slots=True)
class BaselineUpdate:
    """The new text of a baseline and what changed in it."""

    text: str
    added: tuple[BaselineEntry, ...]
    stale: tuple[BaselineEntry, ...]
    pruned: bool

    @property
    def changed(self) -> bool:
        return bool(self.added) or (self.pruned and bool(self.stale))


def new_findings(report: Report) -> list[BaselineEntry]:
    """Rule findings (fail or warn) that no baseline entry accepts yet, in rule order.

    An entry whose acceptance another rule refutes (``report.contradicted``) is not new:
    it is to be justified again. Findings on the document (hygiene, conventions) never
    block; a baseline accepts them only when written by hand.
    """
    refuted = {(c.rule, c.verdict.value) for c in report.contradicted}
    return [BaselineEntry(rule=r.rule, verdict=r.verdict.value,
                          why=TODO + r.message)
            for r in report.results if r.verdict.value in ("fail", "warn") and not r.accepted
            and (r.rule, r.verdict.value) not in refuted]


def stale_entries(report: Report, baseline: Baseline) -> list[BaselineEntry]:
    """Entries of ``baseline`` that accept no finding of ``report``."""
    current = {(r.rule, r.verdict.value) for r in report.results}
    current |= {(d.id, d.verdict.value) for d in report.document_findings}
    return [e for e in baseline.accepted if (e.rule, e.verdict) not in current]


def _entry_text(entry: BaselineEntry, dash: int) -> str:
    pad = " " * dash
    return (f"{pad}- rule: {entry.rule}\n{pad}  verdict: {entry.verdict}\n"
            f"{pad}  why: {json.dumps(entry.why, ensure_ascii=False)}\n")


def _last_line(node: yaml.Node) -> int:
    """The 0-based last line holding content of ``node`` (not the blank lines after it)."""
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark
        return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line
    children: list[yaml.Node] = []
    if isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    elif isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    return max((_last_line(c) for c in children), default=node.start_mark.line)


def update_baseline(text: str | None, report: Report, baseline: Baseline, *,
                    path: str = "baseline.yaml", prune: bool = False) -> BaselineUpdate:
    """The baseline's new text: ``text`` with new findings appended (and stale ones pruned).

    Args:
        text: the current file's text, or None when there is no file yet.
        report: a report evaluated against ``baseline``.
        baseline: the baseline parsed from ``text``.
        path: the file's name, for messages.
        prune: remove entries that accept nothing any more.
    """
    added = tuple(new_findings(report))
    stale = tuple(stale_entries(report, baseline))
    if text is None or parse_yaml(text, path).data is None:
        body = (text or HEADER) + ("" if not text or text.endswith("\n") else "\n")
        new = body + "accepted:\n" + "".join(_entry_text(e, 2) for e in added) if added else body
        return BaselineUpdate(new, added, stale, prune)
    lines = text.splitlines(keepends=True)
    if not text.endswith("\n"):
        lines[-1] += "\n"
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert isinstance(root, yaml.MappingNode)  # a loaded baseline is a mapping
    seq = next((v for k, v in root.value if k.value == "accepted"), None)
    items = list(seq.value) if isinstance(seq, yaml.SequenceNode) else []
    if isinstance(seq, yaml.SequenceNode) and seq.flow_style and items:
        raise InvalidDataError([DataError(
            Location(path, seq.start_mark.line + 1, seq.start_mark.column + 1),
            "the accepted list in block style (one '- rule:' entry per line) to update it",
            "a flow-style [...] list")])
    stale_keys = {(e.rule, e.verdict) for e in stale}
    drop: set[int] = set()
    if prune:
        for item, entry in zip(items, baseline.accepted, strict=True):
            if (entry.rule, entry.verdict) not in stale_keys:
                continue
            first, last = item.start_mark.line, _last_line(item)
            while first > 0 and lines[first - 1].lstrip().startswith("#"):
                first -= 1
            drop.update(range(first, last + 1))
    kept_items = [it for it in items if it.start_mark.line not in drop]
    if kept_items:
        first_item = kept_items[0].start_mark
        dash = lines[first_item.line][: first_item.column].rstrip().rfind("-")
        insert_at = max(_last_line(it) for it in kept_items) + 1
        head, tail = lines[:insert_at], lines[insert_at:]
    elif seq is not None:
        # An empty list (`accepted:`, `accepted: []`, or all pruned): rewrite the key's line.
        key_line = next(k for k, _ in root.value if k.value == "accepted").start_mark.line
        dash = 2
        end = _last_line(seq) + 1 if items else key_line + 1
        head = [*lines[:key_line], "accepted:\n"]
        tail = [ln for i, ln in enumerate(lines[end:], start=end) if i not in drop]
        drop = set()
    else:
        dash = 2
        head, tail = [*lines, "accepted:\n"], []
    new_lines = [ln for i, ln in enumerate(head) if i not in drop]
    new_lines += [_entry_text(e, dash) for e in added]
    new_lines += [ln for i, ln in enumerate(tail, start=len(head)) if i not in drop]
    return BaselineUpdate("".join(new_lines), added, stale, prune)


def _arguments(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="action", required=True)
    update = actions.add_parser("update", help="append new findings (TODO justifications), keep "
                                               "every comment and entry; --prune drops stale ones")
    fact_base_arguments(update)
    update.add_argument("--prune", action="store_true", help="remove entries that accept nothing")
    update.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the baseline would change")


def _run(args: argparse.Namespace) -> int:
    fact_base(args, baseline_may_be_missing=True)  # `baseline update` may create it
    path = args.baseline
    report = check(args.facts, args.rules, baseline=path)
    # read as the check read it (vetted, resolved): a regular file within the size limit
    text = (read_regular(path.resolve(), limit=MAX_FILE_BYTES).decode("utf-8") if path.exists()
            else None)
    update = update_baseline(text, report, load_baseline(path), path=str(path), prune=args.prune)
    lines: list[str] = []
    for e in update.added:
        lines.append(f"added   {e.rule} ({e.verdict}): edit its TODO justification")
    for e in update.stale:
        verb = "removed" if args.prune else "stale  "
        lines.append(f"{verb} {e.rule} ({e.verdict}): it accepts no current finding")
    todo = [e.rule for e in load_baseline(path).accepted if e.why.startswith("TODO")]
    lines += [f"todo    {rule}: its justification still starts with TODO" for rule in todo]
    if args.check:  # a gate: new findings, stale entries (with --prune) or TODOs fail it
        say(lines)
        return EXIT_FINDINGS if update.changed or todo else EXIT_OK
    if update.changed:
        write_atomic(path, update.text, inputs=Inputs(folders=(args.facts, args.rules)))
        lines.append(f"{path}: {len(update.added)} added"
                     + (f", {len(update.stale)} removed" if args.prune else ""))
    else:
        lines.append(f"{path}: up to date")
    say(lines)
    return EXIT_OK


COMMAND = Command("baseline", "manage the accepted findings", _arguments, _run)
