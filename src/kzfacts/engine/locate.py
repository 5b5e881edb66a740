"""Localisation: which value a finding blames, and the repairs that make every rule hold.

For a finding (a rule that fails or warns), the culprit is one of the numeric facts its
rule uses: no other fact can change its verdict. The rules that matter are those sharing a
fact with it (its *component*): a repair is judged by all of them, not by the finding alone.

1. **Which facts could be wrong** (Fellegi-Holt over single facts): each fact of the
   finding is freed (read as "at least 0") and the rules that use it are evaluated. A fact
   whose freeing lets the finding's rule hold is a suspect; the facts whose freeing lets
   every rule of the component hold are :attr:`Localisation.free`. Each rule answers for
   itself, so this is a necessary condition: the repairs below are the proof.
2. **Repairs** (the error model of :mod:`kzfacts.engine.slips`): for each suspect, every
   candidate its words give with one slip undone is asked of the finding's rule, in
   groups: the rule is evaluated with the fact spanning the values of a group of
   candidates (the engine's intervals say whether any value in it can hold), and only
   groups that can are split, down to single candidates. Each surviving candidate is then
   checked exactly: a fact base with the candidate's words and value, read at the precision
   those words give, compiled and evaluated by the same engine, for every rule that uses
   the fact. A **misattached** figure is found the same way: the finding's rule with one of
   its facts replaced by another fact of the same unit, compiled from the rewritten rule.
3. **Ranking**: by the rules of the component still failing, then warning, after the
   repair; then the slip's cost; then the fact's weight. The best repairs are all those
   with the fewest rules failing (all of them listed: several equally good repairs are
   several); the localisation is *unique* only when exactly one repair makes every rule
   of the component hold and no other single fact could.

Weights (ties only, after the slip's cost): a figure computed from others is less reliable
than one written out, so a share (percent) or the total or whole of a rule (a field named
``total`` or ``whole``) is tried first; a figure the document states again elsewhere (another
fact with the same value and unit in another paragraph) is tried last.

Only findings are located, and each only through its component: a check of a fact base
whose rules hold costs nothing more.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kzfacts.data.factbase import FactBase, precision_of
from kzfacts.data.loader import Rules
from kzfacts.data.model import NUMERIC_KINDS, Fact, RuleSpec, Verdict
from kzfacts.data.yaml import YamlDoc, read_yaml
from kzfacts.engine.compile import CompiledRule, compile_rules
from kzfacts.engine.kind import Outcome, display
from kzfacts.engine.result import Edit, Localisation, Repair, Result
from kzfacts.engine.slips import COSTS, SLIPS, Slip, slips
from kzfacts.errors import DataError, KzfactsError, Location
from kzfacts.values.interval import Interval
from kzfacts.values.numbers import Convention, Qualifier, Reading

__all__ = ["QUALITATIVE_KINDS", "locate"]

#: Rule kinds whose rules state a qualitative claim ("most", an order): a repair that
#: would make one of them fail says so.
QUALITATIVE_KINDS = frozenset({"quantifier", "order"})
#: The most repairs that break another rule a localisation lists (the cheapest).
RULED_OUT = 5

_FINDINGS = (Verdict.FAIL, Verdict.WARN)
_FREE = Interval.above(0, inclusive=True)
_TICK = re.compile(r"\s*✓$")


@dataclass(frozen=True, slots=True)
class _Span(Reading):
    """A what-if reading: the fact admits exactly ``span``, whatever the convention."""

    span: Interval = _FREE

    def interval(self, *, convention: Convention = "round") -> Interval:  # noqa: ARG002
        return self.span


def _qualified(lo: Decimal, hi: Decimal, qualifier: Qualifier) -> Interval:
    """``[lo, hi]`` widened as a qualifier widens a reading (a superset of what the reader
    admits for any figure in it: grouping candidates needs no more)."""
    if qualifier in (Qualifier.MORE_THAN, Qualifier.AT_LEAST):
        return Interval.above(lo, inclusive=True)
    if qualifier in (Qualifier.UP_TO, Qualifier.LESS_THAN):
        return Interval.closed(0, hi)
    if qualifier is Qualifier.ABOUT:
        return Interval.closed(lo * Decimal("0.9"), hi * Decimal("1.1"))
    return Interval.closed(lo, hi)


def _hull(reading: Reading) -> Interval:
    """The values a reading admits under either convention."""
    return reading.interval(convention="round").hull(reading.interval(convention="truncate"))


@dataclass(frozen=True, slots=True)
class _Tried:
    """A change that makes the finding's rule hold, and the component's rules after it."""

    fact: str
    slip: str
    was: str
    now: str
    value: int | Decimal
    attach: str | None
    outcome: Outcome
    after: dict[str, Outcome]  # rules using the fact, with the change

    @property
    def cost(self) -> int:
        return COSTS[self.slip]


def locate(base: FactBase, rules: Rules, compiled: Sequence[CompiledRule],
           results: Sequence[Result], *, findings: Collection[str] | None = None,
           ) -> list[Result]:
    """The results, each finding with its :class:`~kzfacts.engine.result.Localisation`.

    Args:
        base: the fact base checked.
        rules: its rules.
        compiled: the compiled rules.
        results: what :func:`kzfacts.evaluate` gave for them.
        findings: the rules to locate (default: every rule that fails or warns).

    Returns:
        The results in the same order; a finding (fail or warn) carries its localisation.
    """
    wanted = {r.rule for r in results if r.verdict in _FINDINGS
              and (findings is None or r.rule in findings)}
    if not wanted:
        return list(results)
    locator = _Locator(base, rules, compiled, results)
    return [dataclasses.replace(r, localisation=locator.localise(r.rule))
            if r.rule in wanted and r.rule in locator.compiled else r for r in results]


class _Locator:
    def __init__(self, base: FactBase, rules: Rules, compiled: Sequence[CompiledRule],
                 results: Sequence[Result]) -> None:
        self.base = base
        self.rules = rules
        self.compiled = {c.spec.id: c for c in compiled}
        self.verdicts = {r.rule: r.verdict for r in results}
        self.messages = {r.rule: r.message for r in results}
        users: dict[str, list[str]] = {}
        for c in compiled:
            for f in c.fact_ids:
                users.setdefault(f, []).append(c.spec.id)
        self.users = users
        self._files: dict[str, YamlDoc | None] = {}
        self._lines: dict[str, list[str] | None] = {}
        self._weights: dict[str, int] = {}
        self._slipped: dict[str, list[Slip]] = {}
        self._values: dict[tuple[str, str | None], set[int]] | None = None
        self._places: dict[tuple[str | None, int], list[Fact]] | None = None
        self._scores: dict[int, tuple[tuple[Any, ...], list[str]]] = {}

    # -- evaluating what-ifs ------------------------------------------------------------

    def _outcomes(self, base: FactBase, rule_ids: Sequence[str],
                  specs: Sequence[RuleSpec] | None = None) -> dict[str, Outcome] | None:
        """The rules evaluated on ``base`` (``None``: a rule cannot be compiled or crashed
        on the what-if, so it says nothing)."""
        chosen = tuple(specs) if specs is not None else tuple(
            self.compiled[r].spec for r in rule_ids)
        try:
            out = {}
            for rule in compile_rules(base, Rules(chosen, self.rules.sources)):
                outcome = rule.evaluate()
                if not isinstance(outcome, Outcome):
                    return None
                out[rule.spec.id] = outcome
        except (KeyboardInterrupt, SystemExit):
            raise
        except (KzfactsError, ArithmeticError, ValueError, TypeError):
            return None  # a what-if value the rule cannot take: no evidence either way
        return out

    def _read_as(self, fact_id: str, span: Interval) -> FactBase:
        fact = self.base.facts[fact_id]
        reading = self.base.reading(fact_id)
        return self.base.what_if({fact_id: (fact, _Span(
            reading.text, reading.value, reading.quantum, False, reading.unit, span=span))})

    def _may_hold(self, rule_id: str, fact_id: str, span: Interval) -> bool | None:
        """Whether some value of the fact in ``span`` may let the rule pass: ``None`` when
        the rule does not say (it skips, as a ratio over a span holding 0 does)."""
        out = self._outcomes(self._read_as(fact_id, span), [rule_id])
        if out is None or out[rule_id].verdict is Verdict.SKIP:
            return None
        return self._better(rule_id, out[rule_id])

    def _better(self, rule_id: str, outcome: Outcome) -> bool:
        """Whether the rule is better off: a failure that passes or only warns, a warning
        that passes (the ranking prefers a pass)."""
        if self.verdicts[rule_id] is Verdict.FAIL:
            return outcome.verdict in (Verdict.PASS, Verdict.WARN)
        return outcome.verdict is Verdict.PASS

    def _bad(self, after: Mapping[str, Outcome], component: Sequence[str]) -> list[str]:
        """The rules of the component that fail or warn, with ``after`` replacing theirs."""
        return [r for r in component
                if (after[r].verdict if r in after else self.verdicts[r]) in _FINDINGS]

    # -- the steps ----------------------------------------------------------------------

    def localise(self, rule_id: str) -> Localisation:
        rule = self.compiled[rule_id]
        component = sorted({r for f in rule.fact_ids for r in self.users[f]})
        numeric = [f for f in rule.fact_ids if self.base.facts[f].kind in NUMERIC_KINDS]
        suspects, free = [], []
        for f in numeric:
            out = self._outcomes(self._read_as(f, _FREE), self.users[f])
            if out is None or out[rule_id].verdict not in (Verdict.PASS, Verdict.SKIP):
                continue
            suspects.append(f)
            if not self._bad({r: o for r, o in out.items() if r != rule_id},
                             [r for r in component if r != rule_id]):
                free.append(f)
        # Cheaper slips first: once two repairs make every rule hold, the best repairs are
        # known (the cheapest of those) and none is unique, so costlier slips are not tried.
        tried: list[_Tried] = []
        for cost in sorted(set(COSTS.values())):
            for f in suspects:
                tried += self._repairs(rule_id, f, cost)
                if cost == COSTS["misattached"]:
                    tried += self._misattached(rule_id, f)
            if sum(1 for t in tried if self._score(rule_id, component, t)[0][:2] == (0, 0)) > 1:
                break
        return self._rank(rule_id, component, tried, free)

    def _slips(self, fact_id: str) -> list[Slip]:
        known = self._slipped.get(fact_id)
        if known is None:
            fact = self.base.facts[fact_id]
            reading = self.base.readings.get(fact_id)
            # words that do not state the value are an anchoring error, not a slip
            known = self._slipped[fact_id] = [] if reading is None or reading.value != fact.value \
                else slips(fact.stated, reading, decimal_comma=self.base.document.decimal_comma)
        return known

    def _repairs(self, rule_id: str, fact_id: str, cost: int) -> Iterator[_Tried]:
        """The fact's slips of this cost that make the rule hold."""
        fact = self.base.facts[fact_id]
        candidates = [c for c in self._slips(fact_id) if c.cost == cost]
        if not candidates:
            return
        reading = self.base.readings[fact_id]  # what the words read as (its qualifier)
        words, comma = self.base.units.words, self.base.document.decimal_comma

        def span(i: int, j: int) -> Interval:
            group = candidates[i:j + 1]
            lo = min(c.value - c.margin for c in group)
            hi = max(c.value + c.margin for c in group)
            return _qualified(max(lo, Decimal(0)), hi, fact.qualifier)

        for i in self._groups(rule_id, fact_id, len(candidates), span):
            new = candidates[i].read(unit_words=words, decimal_comma=comma, like=reading)
            if new is not None:
                tried = self._try(rule_id, fact, candidates[i], new)
                if tried is not None:
                    yield tried

    def _groups(self, rule_id: str, fact_id: str, n: int,
                span: Callable[[int, int], Interval]) -> Iterator[int]:
        """The indices of the candidates (sorted by value) that may let the rule hold: a
        group of candidates is asked at once (the fact spanning their values), and dropped
        whole when the rule cannot hold anywhere in its span. A group the rule says nothing
        about (it skips) is tried one by one, or split if it holds 0."""
        mid = (n - 1) // 2  # the whole span is the freed fact's, already asked
        stack = [(mid + 1, n - 1), (0, mid)] if n > 2 else [(0, n - 1)]
        while stack:
            i, j = stack.pop()
            if j - i < 2:
                yield from range(i, j + 1)
                continue
            group = span(i, j)
            answer = self._may_hold(rule_id, fact_id, group)
            if answer is None and not group.contains(0):
                yield from range(i, j + 1)
            elif answer is not False:  # a span holding 0 is split: a ratio over it skips
                mid = (i + j) // 2
                stack += [(mid + 1, j), (i, mid)]

    def _try(self, rule_id: str, fact: Fact, slip: Slip, reading: Reading) -> _Tried | None:
        """The fact with one slip undone: its words, value and precision, evaluated exactly."""
        value = reading.value
        changed = fact.model_copy(update={
            "value": value, "written": slip.written if fact.written is not None else None,
            "quote": fact.quote.replace(fact.stated, slip.written, 1)})
        base = self.base.what_if({fact.id: (changed, precision_of(changed, reading))})
        first = self._outcomes(base, [rule_id])
        if first is None or not self._better(rule_id, first[rule_id]):
            return None
        others = [r for r in self.users[fact.id] if r != rule_id]
        rest = self._outcomes(base, others) if others else {}
        if rest is None:
            return None
        return _Tried(fact.id, slip.kind, fact.stated, slip.written, value, None,
                      first[rule_id], {**first, **rest})

    def _misattached(self, rule_id: str, fact_id: str) -> Iterator[_Tried]:
        """The rule's figures attached to another fact of the same unit: ``fact_id``
        replaced by it in the rule, which then holds."""
        fact = self.base.facts[fact_id]
        rule = self.compiled[rule_id]
        # Only a total the parts are said to make up can be attached to the wrong sentence:
        # an inequality's side or a share's part is not "the total" of anything.
        if getattr(rule.spec, "total", None) != fact_id or str(
                getattr(rule.spec, "relation", "eq")) != "eq":
            return
        near = {*rule.spec.paragraphs, *(self.base.facts[f].paragraph for f in rule.fact_ids)}
        others = sorted((f for p in near for f in self._by_place().get((fact.unit, p), ())
                         if f.id not in rule.fact_ids and f.value != fact.value),
                        key=lambda f: (_hull(self.base.reading(f.id)).lo or 0, f.id))
        hulls = [_hull(self.base.reading(f.id)) for f in others]

        def span(i: int, j: int) -> Interval:
            out = hulls[i]
            for h in hulls[i + 1:j + 1]:
                out = out.hull(h)
            return out

        spec = rule.spec
        for i in self._groups(rule_id, fact_id, len(others), span):
            other = others[i]
            moved = _repoint(spec, fact_id, other.id)
            if moved is None:
                return
            out = self._outcomes(self.base, [rule_id], [moved])
            if out is not None and self._better(rule_id, out[rule_id]):
                assert isinstance(other.value, int | Decimal)
                yield _Tried(fact_id, "misattached", display(fact), display(other), other.value,
                             other.id, out[rule_id], {})

    def _score(self, rule_id: str, component: list[str], t: _Tried,
               ) -> tuple[tuple[Any, ...], list[str]]:
        """The ranking key of a repair (rules failing, warning, its cost, the fact's weight)
        and the rules of the component that fail or warn with it."""
        known = self._scores.get(id(t))
        if known is None:
            after = {**t.after, rule_id: t.outcome}
            bad = self._bad(after, component)
            fails = sum(1 for r in bad if (after[r].verdict if r in after else self.verdicts[r])
                        is Verdict.FAIL)
            key = (fails, len(bad) - fails, t.cost, self._weight(t.fact), t.fact, Decimal(t.value))
            known = self._scores[id(t)] = (key, bad)
        return known

    def _rank(self, rule_id: str, component: list[str], tried: list[_Tried],
              free: list[str]) -> Localisation:
        scored = sorted(((*self._score(rule_id, component, t), t) for t in tried),
                        key=lambda s: s[0])
        self._scores.clear()
        best = [s for s in scored if s[0][:3] == scored[0][0][:3]] if scored else []
        holds = bool(best) and best[0][0][:2] == (0, 0)
        everything = [s for s in scored if s[0][:2] == (0, 0)]
        rest = [s for s in scored if s[0][:2] != (0, 0) and s not in best][:RULED_OUT]
        repairs = tuple(self._repair(rule_id, t, bad) for _, bad, t in best)
        candidates = tuple(dict.fromkeys(r.fact for r in repairs))
        unique = len(everything) == 1 and set(free) <= {repairs[0].fact}
        return Localisation(candidates=candidates, repairs=repairs, holds=holds, unique=unique,
                            free=tuple(sorted(free, key=lambda f: (self._weight(f), f))),
                            ruled_out=tuple(self._repair(rule_id, t, bad) for _, bad, t in rest))

    def _weight(self, fact_id: str) -> int:
        """Lower is tried first: a share or a total (computed from other figures) -1, a
        figure the document repeats elsewhere +1."""
        known = self._weights.get(fact_id)
        if known is None:
            known = self._weights[fact_id] = self._weigh(fact_id)
        return known

    def _stated(self) -> dict[tuple[str, str | None], set[int]]:
        """The paragraphs stating each value in each unit (worked out once)."""
        if self._values is None:
            self._values = {}
            for f in self.base.facts.values():
                self._values.setdefault((str(f.value), f.unit), set()).add(f.paragraph)
        return self._values

    def _by_place(self) -> dict[tuple[str | None, int], list[Fact]]:
        """The numeric facts of each unit in each paragraph (worked out once)."""
        if self._places is None:
            self._places = {}
            for f in self.base.facts.values():
                if f.kind in NUMERIC_KINDS:
                    self._places.setdefault((f.unit, f.paragraph), []).append(f)
        return self._places

    def _weigh(self, fact_id: str) -> int:
        fact = self.base.facts[fact_id]
        weight = 0
        derived = fact.unit == "percent" or any(
            getattr(self.compiled[r].spec, name, None) == fact_id
            for r in self.users.get(fact_id, ()) for name in ("total", "whole"))
        if derived:
            weight -= 1
        if len(self._stated().get((str(fact.value), fact.unit), ())) > 1:
            weight += 1
        return weight

    # -- what a report shows ------------------------------------------------------------

    def _repair(self, rule_id: str, t: _Tried, bad: list[str]) -> Repair:
        after = {**t.after, rule_id: t.outcome}
        breaks = tuple(f"{r}: {after[r].message}" for r in sorted(after)
                       if r != rule_id and self.verdicts[r] not in _FINDINGS
                       and after[r].verdict in _FINDINGS)
        flips = tuple(f"{r}: {self.compiled[r].spec.title}" for r in sorted(after)
                      if r != rule_id and self.compiled[r].spec.kind in QUALITATIVE_KINDS
                      and self.verdicts[r] not in _FINDINGS and after[r].verdict in _FINDINGS)
        if t.attach is not None:
            summary = (f"misattached total: {_TICK.sub('', t.outcome.message)}, which is {t.attach},"
                       f" not the {t.was} the sentence attaches them to")
            edits = self._rule_edits(rule_id, t.fact, t.attach)
        else:
            summary = f"{t.fact} {t.was} → {t.now} ({SLIPS[t.slip]})"
            edits = self._fact_edits(t)
        return Repair(fact=t.fact, slip=t.slip, cost=t.cost, was=t.was, now=t.now,
                      value=str(t.value), attach=t.attach, message=t.outcome.message,
                      failing=tuple(r for r in bad if r != rule_id), breaks=breaks, flips=flips,
                      edits=edits, summary=summary)

    def _doc(self, file: str) -> YamlDoc | None:
        if file not in self._files:
            try:
                self._files[file] = read_yaml(Path(file))
            except (DataError, OSError):
                self._files[file] = None
        return self._files[file]

    def _edit(self, at: Location, old: str, new: str) -> Edit | None:
        """An edit of ``old`` on the line of ``at`` (where it first stands from ``at``'s
        column), or ``None`` when the line does not hold it (a scalar folded over lines)."""
        if at.file not in self._lines:
            try:
                self._lines[at.file] = Path(at.file).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self._lines[at.file] = None
        lines = self._lines[at.file]
        if lines is None or not 1 <= at.line <= len(lines):
            return None
        start = lines[at.line - 1].find(old, max(0, at.column - 1))
        if start < 0:
            return None
        return Edit(location=f"{at.file}:{at.line}:{start + 1}", old=old, new=new)

    def _fact_edits(self, t: _Tried) -> tuple[Edit, ...]:
        """The fact file's lines the repair rewrites: its value, its words and its quote."""
        fact = self.base.facts[t.fact]
        location = self.base.locations[t.fact]
        doc = self._doc(location.file)
        records = doc.data.get("facts") if doc is not None and isinstance(doc.data, dict) else None
        index = next((i for i, r in enumerate(records or ())
                      if isinstance(r, dict) and r.get("id") == t.fact), None)
        if doc is None or index is None:
            return ()
        value = str(t.value) if isinstance(t.value, int) else f'"{t.value}"'
        old_value = str(fact.value) if isinstance(fact.value, int) else f'"{fact.value}"'
        edits = [self._edit(doc.where(("facts", index, "value")), old_value, value)]
        if fact.written is not None:
            edits.append(self._edit(doc.where(("facts", index, "written")), t.was, t.now))
        edits.append(self._edit(doc.where(("facts", index, "quote")), t.was, t.now))
        return tuple(e for e in edits if e is not None)

    def _rule_edits(self, rule_id: str, old: str, new: str) -> tuple[Edit, ...]:
        spec = self.compiled[rule_id].spec
        source = self.rules.sources[rule_id]
        edits = (self._edit(source.where(*path), old, new) for path in _paths_of(spec, old))
        return tuple(e for e in edits if e is not None)


def _swap(data: Any, old: str, new: str, path: tuple[str | int, ...],
          found: list[tuple[str | int, ...]]) -> Any:
    if isinstance(data, Enum):  # a relation or quantifier named like a fact is no reference
        return data
    if isinstance(data, str):
        if data == old:
            found.append(path)
            return new
        return data
    if isinstance(data, dict):
        return {k: _swap(v, old, new, (*path, k), found) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_swap(v, old, new, (*path, i), found) for i, v in enumerate(data)]
    return data


def _paths_of(spec: RuleSpec, fact_id: str) -> list[tuple[str | int, ...]]:
    """Where the rule names ``fact_id`` (a part given as ``{fact: id}`` is located at its
    item, where a rule file may write it as the id alone)."""
    found: list[tuple[str | int, ...]] = []
    _swap(spec.model_dump(exclude={"id"}), fact_id, fact_id, (), found)
    return [p[:-1] if p and p[-1] == "fact" else p for p in found]


def _repoint(spec: RuleSpec, old: str, new: str) -> RuleSpec | None:
    """The rule with the fact ``old`` replaced by ``new`` wherever it names it."""
    found: list[tuple[str | int, ...]] = []
    data = _swap(spec.model_dump(exclude={"id"}), old, new, (), found)
    if not found:
        return None
    try:
        return type(spec).model_validate({**data, "id": spec.id})
    except ValidationError:
        return None
