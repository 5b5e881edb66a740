"""Comparing two versions of a fact base: what the data edit changed, and what it broke.

A side is a directory holding ``facts/``, ``rules/`` and ``baseline.yaml``, or a git
revision of the repository the command runs in (its tree is extracted to a temporary
directory with ``git archive``; nothing in the working tree is touched).
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from kzfacts._escape import json_text, plain_lines
from kzfacts.data.factbase import FactBase
from kzfacts.data.loader import load_baseline
from kzfacts.data.model import Fact
from kzfacts.engine.check import load, report
from kzfacts.engine.compile import compile_rules
from kzfacts.engine.evaluate import evaluate, rule_order
from kzfacts.engine.result import Report
from kzfacts.errors import DataError, InvalidDataError, Location

__all__ = ["Diff", "FactChange", "RuleChange", "Side", "diff", "open_side", "render_diff"]

_MODEL = ConfigDict(frozen=True, extra="forbid")
_FIELDS = ("kind", "paragraph", "value", "unit", "period", "period_text", "qualifier", "quote",
           "written", "subject")


class FactState(BaseModel):
    """A fact as one side has it (values as written in the report: exact strings)."""

    model_config = _MODEL

    value: str | None
    unit: str | None
    quote: str
    location: str


class FactChange(BaseModel):
    model_config = _MODEL

    id: str
    paragraph: int
    change: Literal["added", "removed", "changed"]
    fields: tuple[str, ...] = ()
    old: FactState | None = None
    new: FactState | None = None


class RuleChange(BaseModel):
    model_config = _MODEL

    rule: str
    old: str | None
    new: str | None
    message: str
    blocking: bool


class Diff(BaseModel):
    """What changed between two fact bases; ``exit_code`` is the new side's."""

    model_config = _MODEL

    old: str
    new: str
    source_changed: bool
    facts: tuple[FactChange, ...]
    rules: tuple[RuleChange, ...]
    counts_old: dict[str, int]
    counts_new: dict[str, int]
    exit_old: int
    exit_new: int
    problems_new: tuple[str, ...] = ()
    problems_fixed: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.facts or self.rules or self.source_changed or self.problems_new
                    or self.problems_fixed)


class Side(BaseModel):
    """One side of a diff, loaded and evaluated."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    label: str
    root: Path
    base: FactBase
    report: Report


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    # An argument list, no shell; the revision was refused if it starts with "-".
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True,  # noqa: S603, S607
                          check=False)


@contextlib.contextmanager
def _root(spec: str, cwd: Path) -> Iterator[tuple[Path, str, bool]]:
    """A side's directory, its label, and whether it is a temporary copy of a revision."""
    if Path(spec).is_dir():
        yield Path(spec), spec, False
        return
    try:
        sha = None if spec.startswith("-") else _git(
            ["rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}"], cwd)
    except OSError:  # no git on this machine
        sha = None
    if sha is None or sha.returncode != 0:
        raise InvalidDataError([DataError(Location(spec), "a directory or a git revision",
                                          f"{spec!r}, which is neither")])
    commit = sha.stdout.decode().strip()
    prefix = _git(["rev-parse", "--show-prefix"], cwd).stdout.decode().strip()
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).stdout.decode().strip() or cwd)
    tree = f"{commit}:{prefix}" if prefix else commit
    archive = _git(["archive", "--format=tar", tree], top)  # from the top: any subfolder works
    if archive.returncode != 0:  # the folder is not in that revision
        raise InvalidDataError([DataError(Location(spec), "a revision git can archive",
                                          archive.stderr.decode().strip())])
    import tarfile  # only a revision needs it

    with tempfile.TemporaryDirectory(prefix="kzfacts-diff-") as tmp, \
            tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(tmp, filter="data")
        yield Path(tmp), f"{spec} ({commit[:12]})", True


def _in_revision(error: DataError, root: Path, label: str) -> DataError:
    """An error in an extracted revision, located by its path in the repository."""
    loc = error.location
    with contextlib.suppress(ValueError):
        loc = Location(str(Path(loc.file).resolve().relative_to(root.resolve())), loc.line,
                       loc.column)
    return DataError(loc, error.expected, error.found,
                     field=f"in {label}" + (f": {error.field}" if error.field else ""))


def _side(root: Path, label: str, *, temporary: bool, facts: str, rules: str,
          baseline: str) -> Side:
    try:
        base, rule_set = load(root / facts, root / rules)
        accepted = load_baseline(root / baseline)
    except InvalidDataError as exc:
        if not temporary:
            raise
        raise InvalidDataError([_in_revision(e, root, label) for e in exc.errors]) from None
    rep = report(base, evaluate(base, rule_set, compile_rules(base, rule_set), accepted), accepted,
                 rules=rule_set)
    return Side(label=label, root=root, base=base, report=rep)


@contextlib.contextmanager
def open_side(spec: str, *, cwd: Path | None = None, facts: str = "facts",
              rules: str = "rules", baseline: str = "baseline.yaml") -> Iterator[Side]:
    """Load and evaluate one side (a directory or a git revision) for a diff."""
    with _root(spec, cwd or Path.cwd()) as (root, label, temporary):
        yield _side(root, label, temporary=temporary, facts=facts, rules=rules,
                    baseline=baseline)


def _where(side: Side, fact_id: str) -> str:
    loc = side.base.locations[fact_id]
    with contextlib.suppress(ValueError):
        return f"{Path(loc.file).resolve().relative_to(side.root.resolve())}:{loc.line}"
    return f"{loc.file}:{loc.line}"


def _state(side: Side, fact: Fact) -> FactState:
    return FactState(value=None if fact.value is None else str(fact.value), unit=fact.unit,
                     quote=fact.quote, location=_where(side, fact.id))


def _verdict(side: Side, rule: str) -> str | None:
    try:
        r = side.report.result(rule)
    except KeyError:
        return None
    return f"{r.verdict.value} (accepted)" if r.accepted else r.verdict.value


def _problems(side: Side) -> set[str]:
    """Anchoring problems and uncovered numbers, worded without line numbers."""
    rep = side.report
    return ({f"{a.fact}: {a.problem}" for a in rep.anchoring}
            | {f"¶{u.paragraph}: the number {u.text} is not accounted for"
               for u in rep.coverage.uncovered})


def diff(old: Side, new: Side) -> Diff:
    """Facts added, removed and changed, and every rule whose verdict changed."""
    facts: list[FactChange] = []
    for fid in sorted(old.base.facts.keys() | new.base.facts.keys()):
        a, b = old.base.facts.get(fid), new.base.facts.get(fid)
        if a is None and b is not None:
            facts.append(FactChange(id=fid, paragraph=b.paragraph, change="added",
                                    new=_state(new, b)))
        elif b is None and a is not None:
            facts.append(FactChange(id=fid, paragraph=a.paragraph, change="removed",
                                    old=_state(old, a)))
        elif a is not None and b is not None:
            changed = tuple(f for f in _FIELDS if str(getattr(a, f)) != str(getattr(b, f)))
            if changed:
                facts.append(FactChange(id=fid, paragraph=b.paragraph, change="changed",
                                        fields=changed, old=_state(old, a), new=_state(new, b)))
    rules: list[RuleChange] = []
    ids = {r.rule for r in old.report.results} | {r.rule for r in new.report.results}
    for rid in sorted(ids, key=rule_order):
        before, after = _verdict(old, rid), _verdict(new, rid)
        if before == after:
            continue
        try:
            now = new.report.result(rid)
            message, blocking = now.message, now.blocking
        except KeyError:
            message, blocking = old.report.result(rid).message, False
        rules.append(RuleChange(rule=rid, old=before, new=after, message=message,
                                blocking=blocking))
    return Diff(old=old.label, new=new.label,
                source_changed=old.base.document.sha256 != new.base.document.sha256,
                facts=tuple(facts), rules=tuple(rules), counts_old=old.report.counts,
                counts_new=new.report.counts, exit_old=old.report.exit_code,
                exit_new=new.report.exit_code,
                problems_new=tuple(sorted(_problems(new) - _problems(old))),
                problems_fixed=tuple(sorted(_problems(old) - _problems(new))))


def _md(text: str) -> str:
    """Text in a Markdown table cell (each line is escaped as a whole by ``plain_lines``)."""
    return text.replace("|", "\\|")


def _value(state: FactState | None) -> str:
    if state is None or state.value is None:
        return "—"
    return f"{state.value} {state.unit}" if state.unit else state.value


def _counts(c: dict[str, int]) -> str:
    return ", ".join(f"{c.get(v, 0)} {v}" for v in ("pass", "warn", "fail", "skip"))


def render_diff(d: Diff, fmt: Literal["text", "markdown", "json"] = "text") -> str:
    """The diff as text for a terminal, Markdown for a pull request, or JSON."""
    if fmt == "json":
        return json_text(d.model_dump(mode="json"))
    md = fmt == "markdown"
    tick = "`" if md else ""
    out = [f"### kzfacts diff: {tick}{d.old}{tick} → {tick}{d.new}{tick}" if md
           else f"kzfacts diff: {d.old} -> {d.new}", ""]
    verdicts = f"{_counts(d.counts_old)} → {_counts(d.counts_new)}; exit {d.exit_old} → {d.exit_new}"
    out += [f"**Verdicts**: {verdicts}" if md else f"verdicts: {verdicts}"]
    if d.source_changed:
        out += ["", "The source text changed (its sha256 differs)."]
    if d.empty:
        out += ["", "No fact and no verdict changed."]
        return plain_lines(out)
    if d.rules:
        out += ["", "#### Rules whose verdict changed" if md else "Rules whose verdict changed:"]
        if md:
            out += ["", "| rule | before | after | arithmetic now |", "|---|---|---|---|"]
        for r in d.rules:
            mark = " ✗" if r.blocking else ""
            before, after = r.old or "(none)", r.new or "(removed)"
            out += ([f"| `{r.rule}` | {before} | {after}{mark} | {_md(r.message)} |"] if md
                    else [f"  {r.rule}: {before} -> {after}{mark}", f"      {r.message}"])
    for title, items in (("New problems", d.problems_new), ("Problems fixed", d.problems_fixed)):
        if items:
            out += ["", f"#### {title}" if md else f"{title}:", *([""] if md else [])]
            out += [f"- {_md(p)}" if md else f"  {p}" for p in items]
    if d.facts:
        out += ["", "#### Facts" if md else "Facts:"]
        if md:
            out += ["", "| fact | ¶ | change | before | after | at |", "|---|---|---|---|---|---|"]
        for f in d.facts:
            fields = f" ({', '.join(f.fields)})" if f.fields else ""
            at = (f.new or f.old)
            assert at is not None
            if md:
                show_quote = f.old is None or f.new is None or f.old.quote != f.new.quote
                cells = [_md(_value(s)) + (f"<br>\u201c{_md(s.quote)}\u201d"
                                           if s is not None and show_quote else "")
                         for s in (f.old, f.new)]
                out.append(f"| `{f.id}` | {f.paragraph} | {f.change}{fields} | "
                           f"{cells[0]} | {cells[1]} | `{at.location}` |")
                continue
            out.append(f"  {f.change:<8} {f.id} (¶{f.paragraph}){fields}: "
                       f"{_value(f.old)} -> {_value(f.new)}  [{at.location}]")
            if f.old and f.new and f.old.quote != f.new.quote:
                out += [f"      quote was: \u201c{f.old.quote}\u201d",
                        f"      quote now: \u201c{f.new.quote}\u201d"]
    return plain_lines(out)
