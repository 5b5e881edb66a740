"""A corpus: many documents, each its own fact base, checked by one command.

A corpus folder holds one subfolder per document; a subfolder is a document when it has
``facts/document.yaml``, and it has its own ``rules/`` and, optionally, ``baseline.yaml``.
Documents are independent, so ``jobs`` processes check them in parallel; the report lists
them in the order of their folder names whatever finished first, so it is the same bytes
for any number of jobs.
"""

from __future__ import annotations

import gc
import json
import textwrap
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from kzfacts._escape import json_text, plain_lines
from kzfacts.cli.progress import Progress
from kzfacts.engine.result import REPORT_VERSION
from kzfacts.errors import EXIT_BUG, EXIT_INVALID

__all__ = ["CORPUS_FORMATS", "DocumentOutcome", "check_corpus", "documents"]

#: Report formats a corpus can be rendered in.
CORPUS_FORMATS = ("json", "markdown", "text")


@dataclass(frozen=True)
class DocumentOutcome:
    """What checking one document of a corpus gave: its exit code and its rendered part."""

    name: str
    exit_code: int
    rendered: str
    facts: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def documents(folder: Path) -> list[Path]:
    """The documents of a corpus: subfolders with ``facts/document.yaml``, by name.

    Raises:
        ValueError: a document, or its ``facts/``, ``rules/`` or ``baseline.yaml``, is a
            link that leads outside the corpus (a check would read what it leads to).
    """
    inside = folder.resolve()
    found = sorted(p for p in folder.iterdir()
                   if p.is_dir() and not p.name.startswith(".")
                   and (p / "facts" / "document.yaml").is_file())
    for doc in found:
        for path in (doc, doc / "facts", doc / "rules", doc / "baseline.yaml"):
            real = path.resolve()
            if not real.is_relative_to(inside):
                raise ValueError(f"expected documents inside the corpus, found "
                                 f"{path.relative_to(folder)}, a symbolic link to {real}")
    return found


def _check_one(task: tuple[Path, str, bool]) -> DocumentOutcome:
    # No cyclic garbage collection while a document is checked: its objects make almost no
    # cycles and are freed by their counts when it is done, so a collection inside would
    # only walk the live document (a twentieth of its time); the next one, after, finds
    # little left to walk.
    if not gc.isenabled():
        return _check_document(task)
    gc.disable()
    try:
        return _check_document(task)
    finally:
        gc.enable()


def _check_document(task: tuple[Path, str, bool]) -> DocumentOutcome:
    folder, fmt, locate = task
    name = folder.name
    from kzfacts.engine.check import check
    from kzfacts.errors import InvalidDataError, RuleCrashError
    try:
        report = check(folder / "facts", folder / "rules", baseline=folder / "baseline.yaml",
                       locate=locate)
        # rendering reads every message: a kind's explanation that crashes raises here
        if fmt == "json":
            body = {"name": name, "exit_code": report.exit_code,
                    "report": report.to_dict()}
            rendered = json_text(body).removesuffix("\n")
        else:
            from kzfacts.reports.report import render
            rendered = plain_lines([f"== {name} =="]) + render(report, fmt)
    except InvalidDataError as exc:
        return DocumentOutcome(name, EXIT_INVALID,
                               _error(name, fmt, f"kzfacts: {exc}", EXIT_INVALID))
    except RuleCrashError as exc:
        return DocumentOutcome(name, EXIT_BUG, _error(
            name, fmt, f"kzfacts: internal error, please report it: {exc}", EXIT_BUG))
    return DocumentOutcome(name, report.exit_code, rendered, report.facts, dict(report.counts))


def _error(name: str, fmt: str, message: str, code: int) -> str:
    if fmt == "json":
        return json_text({"name": name, "exit_code": code, "error": message}).removesuffix("\n")
    # the message's lines are kzfacts' own (each error of invalid data is one line)
    return plain_lines([f"== {name} ==", *message.split("\n")])


def _outcomes(tasks: list[tuple[Path, str, bool]], jobs: int) -> Iterator[DocumentOutcome]:
    if jobs <= 1 or len(tasks) <= 1:
        yield from map(_check_one, tasks)
        return
    # small chunks: at the end, one worker may idle while another finishes its last chunk
    chunk = max(1, min(8, len(tasks) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_check_one, tasks, chunksize=chunk)  # in order: deterministic


def check_corpus(folder: Path | str, out: IO[str], *, fmt: str = "text", jobs: int = 1,
                 progress: Callable[[int], Progress] | None = None, locate: bool = True) -> int:
    """Check every document of a corpus, writing the report to ``out`` as it goes.

    Args:
        folder: the corpus folder.
        out: where the report is written, one document at a time (memory stays flat).
        fmt: ``text``, ``markdown`` or ``json``.
        jobs: processes to check documents in; the report is the same for any number.
        progress: makes a progress bar for a number of documents (None: none).
        locate: give each finding its likely slips (``check --no-locate``: False).

    Returns:
        The exit code: 3 if a rule kind crashed on a document, else 2 if a document is
        invalid, else 1 if any has findings, else 0.

    Raises:
        ValueError: ``fmt`` is not a corpus format, or the folder holds no document.
    """
    if fmt not in CORPUS_FORMATS:
        raise ValueError(f"expected a corpus report format ({', '.join(CORPUS_FORMATS)}), "
                         f"found {fmt!r}")
    docs = documents(Path(folder))
    if not docs:
        raise ValueError("expected a folder of documents (subfolders with facts/document.yaml), "
                         "found none")
    bar = progress(len(docs)) if progress is not None else None
    codes: Counter[int] = Counter()
    counts: Counter[str] = Counter()
    facts = 0
    if fmt == "json":
        out.write('{\n  "documents": [\n')
    for i, outcome in enumerate(_outcomes([(d, fmt, locate) for d in docs], jobs)):
        codes[outcome.exit_code] += 1
        counts.update(outcome.counts)
        facts += outcome.facts
        if fmt == "json":
            out.write(("" if i == 0 else ",\n") + textwrap.indent(outcome.rendered, "    "))
        else:
            out.write(outcome.rendered + "\n")
        if bar is not None:
            bar.update(i + 1)
    if bar is not None:
        bar.close()
    code = (EXIT_BUG if codes[EXIT_BUG] else EXIT_INVALID if codes[EXIT_INVALID]
            else 1 if codes[1] else 0)
    total: dict[str, Any] = {
        "documents": len(docs), "facts": facts, "rules": sum(counts.values()),
        "counts": {v: counts.get(v, 0) for v in ("pass", "warn", "fail", "skip")},
        "documents_with_findings": codes[1], "documents_invalid": codes[EXIT_INVALID],
        "documents_crashed": codes[EXIT_BUG], "exit_code": code}
    if fmt == "json":
        tail = json.dumps(total, indent=2, sort_keys=True)
        out.write(f'\n  ],\n  "total": {textwrap.indent(tail, "  ").lstrip()},\n'
                  f'  "version": "{REPORT_VERSION}"\n}}\n')
    else:
        c = total["counts"]
        out.write(f"corpus: {len(docs)} documents, {facts} facts, {total['rules']} rules: "
                  f"{c['pass']} pass, {c['warn']} warn, {c['fail']} fail, {c['skip']} skip; "
                  f"{codes[1]} with findings, {codes[EXIT_INVALID]} invalid, "
                  f"{codes[EXIT_BUG]} crashed; exit {code}\n")
    return code
