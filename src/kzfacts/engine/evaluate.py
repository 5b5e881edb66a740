"""Evaluate compiled rules into results, and results into a report with an exit code."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

from kzfacts.data.factbase import FactBase
from kzfacts.data.loader import Rules, load_baseline, load_fact_base, load_rules
from kzfacts.data.model import Baseline, RuleSpec, Severity, Verdict
from kzfacts.engine import result as _models
from kzfacts.engine.compile import CompileContext, CompiledRule, Outcome
from kzfacts.engine.kinds import BUILTIN_KINDS, available_kinds
from kzfacts.errors import DataError, InvalidDataError, RuleCrashError

__all__ = [
    "REPORT_VERSION",
    "AnchorProblem",
    "CoverageSummary",
    "FactUse",
    "Report",
    "Result",
    "check",
    "check_with_base",
    "compile_rules",
    "evaluate",
    "load",
]

REPORT_VERSION = "1.0"
# The report's models are built on first use (``defer_build``): the engine makes their
# instances itself (``_built``), so a check that writes text never needs their validators.
_MODEL = ConfigDict(frozen=True, extra="forbid", defer_build=True)
_M = TypeVar("_M", bound=BaseModel)


_new = object.__new__
_set = object.__setattr__


def _built(cls: type[_M], fields: dict[str, Any]) -> _M:
    """A model from fields the engine made itself, every one given and of its declared type.

    What validation would build, without checking values that cannot be wrong: validating a
    ``Result`` costs about 3 µs, this about 0.5. (``model_construct`` does the same in
    Python, slower than validating.) Every field is set, as when the engine passed them all.
    """
    assert fields.keys() == _ALL_FIELDS[cls], sorted(fields.keys() ^ _ALL_FIELDS[cls])
    model = _new(cls)
    _set(model, "__dict__", fields)
    # one set per class: pydantic copies it before changing it (model_copy), never in place
    _set(model, "__pydantic_fields_set__", _ALL_FIELDS[cls])
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


_ALL_FIELDS: dict[type[BaseModel], set[str]] = {}  # filled below, once the classes exist


def _read(slot: str, doc: str | None = None) -> Any:
    """A read-only attribute for a slot (a property reading it in C)."""
    return property(attrgetter(slot), doc=doc)


class _Record:
    """What results and fact uses share: immutable (read-only attributes over slots),
    compared by value, and read, written and described by pydantic through their model
    (``_MODEL``)."""

    __slots__ = ()
    _MODEL: ClassVar[type[BaseModel]]

    def _model(self) -> BaseModel:
        raise NotImplementedError

    @classmethod
    def _of_model(cls, model: Any) -> Any:
        raise NotImplementedError

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._MODEL.model_fields)

    __hash__: Any = None  # Result holds a dict; FactUse hashes its fields

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._key() == other._key()

    def __repr__(self) -> str:
        return repr(self._model())

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (type(self).model_validate, (self.model_dump(),))

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        """As the pydantic model's ``model_dump`` (``mode="json"`` for the report's form)."""
        return self._model().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        return self._model().model_dump_json(**kwargs)

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Any:
        """A copy with some fields changed (not validated), as the model's ``model_copy``."""
        return self._of_model(self._model().model_copy(update=update, deep=deep))

    @classmethod
    def model_validate(cls, obj: Any) -> Any:
        """Validate a dict (as ``model_dump`` gives) or an instance."""
        if isinstance(obj, cls):
            return obj
        return cls._of_model(cls._MODEL.model_validate(obj))

    @classmethod
    def model_json_schema(cls, **kwargs: Any) -> dict[str, Any]:
        return cls._MODEL.model_json_schema(**kwargs)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any,
                                     handler: GetCoreSchemaHandler) -> CoreSchema:
        model = handler.generate_schema(cls._MODEL)
        from_model = core_schema.no_info_after_validator_function(cls._of_model, model)
        return core_schema.json_or_python_schema(
            json_schema=from_model,
            python_schema=core_schema.union_schema(
                [core_schema.is_instance_schema(cls), from_model]),
            serialization=core_schema.plain_serializer_function_ser_schema(
                cls._model, return_schema=model))


class FactUse(_Record):
    """A fact a result used, with where it is written."""

    __slots__ = ("_id", "_location", "_paragraph", "_quote", "_unit", "_value")
    _MODEL = _models.FactUse

    if TYPE_CHECKING:
        id: str
        paragraph: int
        value: str
        unit: str | None
        quote: str
        location: str
    else:  # read-only: the engine sets the slots, nobody else
        id = _read("_id")
        paragraph = _read("_paragraph")
        value = _read("_value")
        unit = _read("_unit")
        quote = _read("_quote")
        location = _read("_location")
    _id: str
    _paragraph: int
    _value: str
    _unit: str | None
    _quote: str
    _location: str

    def __init__(self, *, id: str, paragraph: int, value: str,
                 unit: str | None, quote: str, location: str) -> None:
        m = _models.FactUse(id=id, paragraph=paragraph, value=value, unit=unit, quote=quote,
                            location=location)
        _fill_use(self, m.id, m.paragraph, m.value, m.unit, m.quote, m.location)

    def __hash__(self) -> int:
        return hash(self._key())

    def _model(self) -> _models.FactUse:
        return _built(_models.FactUse, {
            "id": self.id, "paragraph": self.paragraph, "value": self.value,
            "unit": self.unit, "quote": self.quote, "location": self.location})

    @classmethod
    def _of_model(cls, model: Any) -> FactUse:
        out = _new(cls)
        _fill_use(out, model.id, model.paragraph, model.value, model.unit, model.quote,
                  model.location)
        return out


def _fill_use(use: FactUse,  # noqa: PLR0917 - a record's fields, in order
              id_: str, paragraph: int, value: str, unit: str | None, quote: str,
              location: str) -> None:
    use._id = id_
    use._paragraph = paragraph
    use._value = value
    use._unit = unit
    use._quote = quote
    use._location = location


class _Shared:
    """What every result of one compiled rule holds, whatever its verdict: made once, by
    :func:`compile_rules` (or from a model), and shared by reference.

    The facts a rule uses and its location are described when first read (:meth:`later`):
    a text report reads neither.
    """

    __slots__ = ("_facts", "_location", "_pending", "kind", "paragraphs", "rule", "severity",
                 "title", "why")

    def __init__(self, rule: str, kind: str, title: str, severity: Severity,  # noqa: PLR0917
                 paragraphs: tuple[int, ...], why: str, facts: tuple[FactUse, ...],
                 location: str) -> None:
        self.rule = rule
        self.kind = kind
        self.title = title
        self.severity = severity
        self.paragraphs = paragraphs
        self.why = why
        self._facts = facts
        self._location = location
        self._pending: tuple[FactBase, Rules, tuple[str, ...], dict[str, FactUse]] | None = None

    @classmethod
    def later(cls, base: FactBase, rules: Rules, spec: RuleSpec, fact_ids: tuple[str, ...],
              uses: dict[str, FactUse]) -> _Shared:
        """What a rule's results share, its facts and location described when first read
        (``uses``: each fact described once across the rules of a fact base)."""
        out = _new(cls)
        out.rule = spec.id
        out.kind = spec.kind
        out.title = spec.title
        out.severity = spec.severity
        out.paragraphs = spec.paragraphs
        out.why = spec.why
        out._pending = (base, rules, fact_ids, uses)
        return out

    def _describe(self) -> None:
        assert self._pending is not None
        base, rules, fact_ids, uses = self._pending
        facts = []
        for f in fact_ids:
            use = uses.get(f)
            if use is None:
                use = uses[f] = _fact_use(base, f)
            facts.append(use)
        self._facts = tuple(facts)
        self._location = str(rules.sources[self.rule].location)
        self._pending = None  # the fact base is no longer held

    @property
    def facts(self) -> tuple[FactUse, ...]:
        if self._pending is not None:
            self._describe()
        return self._facts

    @property
    def location(self) -> str:
        if self._pending is not None:
            self._describe()
        return self._location


class Result(_Record):
    """The verdict of one rule on the fact base.

    Its message, intervals and notes are written when first read (the engine decides every
    verdict first); a report reads them all.
    """

    __slots__ = ("_accepted", "_outcome", "_shared", "_verdict")
    _MODEL = _models.Result

    if TYPE_CHECKING:
        rule: str
        kind: str
        title: str
        severity: Severity
        paragraphs: tuple[int, ...]
        why: str
        verdict: Verdict
        facts: tuple[FactUse, ...]
        location: str
        accepted: str | None
    else:  # read-only: the engine sets the slots, nobody else
        rule = _read("_shared.rule")
        kind = _read("_shared.kind")
        title = _read("_shared.title")
        severity = _read("_shared.severity")
        paragraphs = _read("_shared.paragraphs")
        why = _read("_shared.why")
        verdict = _read("_verdict")
        facts = _read("_shared.facts")
        location = _read("_shared.location")
        accepted = _read("_accepted", "the baseline's justification, if accepted")
    _shared: _Shared
    _verdict: Verdict
    _accepted: str | None
    _outcome: Outcome

    def __init__(self, *, rule: str, kind: str, title: str, severity: Severity,
                 paragraphs: tuple[int, ...], why: str, verdict: Verdict, message: str,
                 facts: tuple[FactUse, ...], intervals: dict[str, str] | None = None,
                 notes: tuple[str, ...] = (), location: str,
                 accepted: str | None = None) -> None:
        m = _models.Result(rule=rule, kind=kind, title=title, severity=severity,
                           paragraphs=paragraphs, why=why, verdict=verdict, message=message,
                           facts=tuple(f._model() if isinstance(f, FactUse) else f
                                       for f in facts),
                           intervals={} if intervals is None else intervals, notes=notes,
                           location=location, accepted=accepted)
        _fill_result(self, _shared_of(m), Outcome(m.verdict, m.message, m.intervals, m.notes),
                     m.accepted)

    @property
    def message(self) -> str:
        return self._outcome.message

    @property
    def intervals(self) -> dict[str, str]:
        return self._outcome.intervals

    @property
    def notes(self) -> tuple[str, ...]:
        return self._outcome.notes

    @property
    def blocking(self) -> bool:
        """A failed error-severity rule that the baseline does not accept."""
        return (self._verdict is Verdict.FAIL and self.severity is Severity.ERROR
                and self._accepted is None)

    __hash__ = None  # intervals is a dict, as in the model

    def _model(self) -> _models.Result:
        return _built(_models.Result, {
            "rule": self.rule, "kind": self.kind, "title": self.title,
            "severity": self.severity, "paragraphs": self.paragraphs, "why": self.why,
            "verdict": self.verdict, "message": self.message,
            "facts": tuple(f._model() for f in self.facts), "intervals": self.intervals,
            "notes": self.notes, "location": self.location, "accepted": self.accepted})

    @classmethod
    def _of_model(cls, model: Any) -> Result:
        out = _new(cls)
        _fill_result(out, _shared_of(model),
                     Outcome(model.verdict, model.message, model.intervals, model.notes),
                     model.accepted)
        return out


def _shared_of(model: Any) -> _Shared:
    return _Shared(model.rule, model.kind, model.title, model.severity, model.paragraphs,
                   model.why, tuple(FactUse._of_model(f) for f in model.facts), model.location)


def _fill_result(r: Result, shared: _Shared, outcome: Outcome, accepted: str | None) -> None:
    r._shared = shared
    r._verdict = outcome.verdict
    r._outcome = outcome
    r._accepted = accepted


class AnchorProblem(BaseModel):
    model_config = _MODEL

    fact: str
    location: str
    problem: str


class Uncovered(BaseModel):
    model_config = _MODEL

    paragraph: int
    text: str
    line: int


class CoverageSummary(BaseModel):
    model_config = _MODEL

    found: int
    accounted: int
    uncovered: tuple[Uncovered, ...]


class Report(BaseModel):
    """Everything a check found; the same input gives the same report, byte for byte."""

    model_config = _MODEL

    version: Literal["1.0"] = "1.0"
    document: str
    source_sha256: str
    facts: int
    paragraphs: int
    paragraphs_with_facts: int
    counts: dict[str, int]
    results: tuple[Result, ...]
    anchoring: tuple[AnchorProblem, ...]
    coverage: CoverageSummary
    stale_baseline: tuple[str, ...] = ()
    unjustified: tuple[str, ...] = Field(
        (), description="accepted findings whose justification still starts with TODO")

    @property
    def exit_code(self) -> int:
        """0: nothing failing beyond what is accepted; 1: findings or broken anchors."""
        bad = (any(r.blocking for r in self.results) or self.anchoring
               or self.coverage.uncovered)
        return 1 if bad else 0

    def result(self, rule_id: str) -> Result:
        for r in self.results:
            if r.rule == rule_id:
                return r
        raise KeyError(rule_id)

    def _written(self) -> None:
        """Write every result's explanation now, so that a kind's bug raises its
        RuleCrashError here rather than inside pydantic's serializer (which wraps it)."""
        for r in self.results:
            r._outcome._written()

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        self._written()
        return super().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        self._written()
        return super().model_dump_json(**kwargs)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (restored after, if it was on).

    Compiling and evaluating allocate many small objects and make almost no cycles, so the
    collector would only walk the live fact base again and again: with a few documents
    loaded, that was 40% of compile time. Whatever cycles the block makes are collected
    after it, at the collector's next run.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def compile_rules(base: FactBase, rules: Rules) -> list[CompiledRule]:
    """Resolve every reference and check every dimension, collecting all errors.

    Each compiled rule also holds what its results share whatever the verdict (its id,
    title, location, and the facts it uses, each fact described once per fact base).

    Raises:
        InvalidDataError: unknown facts, unit mismatches, bad rates, each at its rule's field.
    """
    with _collector_paused():
        return _compile_rules(base, rules)


def _compile_rules(base: FactBase, rules: Rules) -> list[CompiledRule]:
    kinds = available_kinds()
    compiled: list[CompiledRule] = []
    errors: list[DataError] = []
    uses: dict[str, FactUse] = {}  # a fact used by several rules is described once
    for spec in rules.specs:
        source = rules.sources[spec.id]
        ctx = CompileContext(base, spec, source)
        try:
            evaluate_fn = kinds[spec.kind].compile(spec, ctx)
        except DataError as exc:
            errors.append(exc)
            continue
        used = tuple(ctx.used)
        compiled.append(CompiledRule(spec, evaluate_fn, used,
                                     _shared_for(base, rules, spec, used, uses)))
    if errors:
        raise InvalidDataError(errors)
    return compiled


def _fact_use(base: FactBase, fact_id: str) -> FactUse:
    fact = base.facts[fact_id]
    use = _new(FactUse)
    _fill_use(use, fact.id, fact.paragraph, str(fact.value), fact.unit, fact.quote,
              str(base.locations[fact_id]))
    return use


def _shared_for(base: FactBase, rules: Rules, spec: RuleSpec, fact_ids: tuple[str, ...],
                uses: dict[str, FactUse]) -> _Shared:
    """What a rule's results share; ``uses`` describes each fact once across rules."""
    return _Shared.later(base, rules, spec, fact_ids, uses)


def evaluate(base: FactBase, rules: Rules, compiled: list[CompiledRule],
             baseline: Baseline | None = None) -> list[Result]:
    """Evaluate compiled rules.

    Every verdict is decided here; each result's message, intervals and notes are written
    when first read.

    Raises:
        RuleCrashError: a rule kind raised: a bug, never reported as a failed check.
    """
    with _collector_paused():
        return _evaluate(base, rules, compiled, baseline)


def _evaluate(base: FactBase, rules: Rules, compiled: list[CompiledRule],
              baseline: Baseline | None = None) -> list[Result]:
    accepted: dict[tuple[str, Verdict], str] = {
        (e.rule, Verdict(e.verdict)): e.why for e in (baseline or Baseline()).accepted}
    out = []
    uses: dict[str, FactUse] = {}  # for compiled rules made without what results share
    for rule in compiled:
        try:
            outcome = rule.evaluate()
        except Exception as exc:
            spec = rule.spec
            raise RuleCrashError(spec.id, spec.kind, exc) from exc
        if type(outcome) is Outcome and outcome._explain is not None:
            # written when a report reads it: a crash then is still this rule's RuleCrashError
            _set(outcome, "_who", (rule.spec.id, rule.spec.kind))
        shared = rule.shared
        if shared is None:
            shared = _shared_for(base, rules, rule.spec, rule.fact_ids, uses)
        if shared.kind in _BUILT_IN:  # outcomes of the declared types: nothing to validate
            result = _new(Result)
            verdict = outcome.verdict
            result._shared = shared
            result._verdict = verdict
            result._outcome = outcome
            result._accepted = accepted.get((shared.rule, verdict)) if accepted else None
        else:  # a plugin's outcome: validated, as it may hold anything
            result = Result(
                rule=shared.rule, kind=shared.kind, title=shared.title,
                severity=shared.severity, paragraphs=shared.paragraphs, why=shared.why,
                verdict=outcome.verdict, message=outcome.message, facts=shared.facts,
                intervals=outcome.intervals, notes=outcome.notes, location=shared.location,
                accepted=accepted.get((shared.rule, Verdict(outcome.verdict))))
        out.append(result)
    out.sort(key=_by_rule)
    return out


#: The kinds whose outcomes are known to be of the declared types.
_BUILT_IN = frozenset(kind.name for kind in BUILTIN_KINDS)


_by_rule = attrgetter("_shared.rule")


def report(base: FactBase, results: list[Result], baseline: Baseline | None = None) -> Report:
    """Assemble the report: results, anchoring problems, coverage, stale baseline entries.

    Every field is made here from values of the declared types (strings, ints, tuples of
    the engine's records), so the models are assembled without validating them again
    (``_built``; tests compare the result with a validated copy).
    """
    matched = {(r.rule, r.verdict.value) for r in results}
    stale = tuple(sorted(f"{e.rule} ({e.verdict})" for e in (baseline or Baseline()).accepted
                         if (e.rule, e.verdict) not in matched))
    anchoring = tuple(sorted(
        (_built(AnchorProblem, {"fact": fid, "location": str(base.locations.get(
            fid, base.document.source)), "problem": p}) for fid, p in base.anchoring_problems),
        key=lambda a: (a.location, a.fact)))
    cov = base.coverage
    uncovered = tuple(_built(Uncovered, {"paragraph": p, "text": s.text,
                                         "line": base.source.line_of(s.start)})
                      for p, s in cov.uncovered)
    counts = Counter(r.verdict.value for r in results)
    return _built(Report, {
        "version": REPORT_VERSION, "document": base.document.title,
        "source_sha256": base.document.sha256, "facts": len(base.facts),
        "paragraphs": len(base.source.paragraphs),
        "paragraphs_with_facts": len({f.paragraph for f in base.facts.values()}),
        "counts": {v.value: counts.get(v.value, 0) for v in Verdict},
        "results": tuple(results), "anchoring": anchoring,
        "coverage": _built(CoverageSummary, {"found": cov.found, "accounted": cov.accounted,
                                             "uncovered": uncovered}),
        "stale_baseline": stale,
        "unjustified": tuple(sorted(r.rule for r in results
                                    if r.accepted is not None
                                    and r.accepted.startswith("TODO")))})


_ALL_FIELDS.update({cls: set(cls.model_fields) for cls in (
    _models.Result, _models.FactUse, AnchorProblem, Uncovered, CoverageSummary, Report)})


def load(facts: Path | str = "facts", rules: Path | str = "rules") -> tuple[FactBase, Rules]:
    """Load and validate a fact base and its rules.

    Args:
        facts: the facts folder.
        rules: the rules folder.

    Raises:
        InvalidDataError: every data error, each with file:line:column.
    """
    kinds = {name: kind.Spec for name, kind in available_kinds().items()}
    errors: list[DataError] = []
    base = rule_set = None
    try:
        base = load_fact_base(facts)
    except InvalidDataError as exc:
        errors += exc.errors
    try:
        rule_set = load_rules(rules, kinds)
    except InvalidDataError as exc:
        errors += exc.errors
    if errors:
        raise InvalidDataError(errors)
    assert base is not None and rule_set is not None
    return base, rule_set


def check(facts: Path | str = "facts", rules: Path | str = "rules", *,
          baseline: Path | str | None = "baseline.yaml") -> Report:
    """Load, compile and evaluate a fact base and its rules.

    Args:
        facts: the facts folder.
        rules: the rules folder.
        baseline: accepted findings (a missing file is an empty baseline).

    Returns:
        The report; ``report.exit_code`` is what ``kzfacts check`` exits with.

    Raises:
        InvalidDataError: invalid facts, rules or baseline (exit code 2).
        RuleCrashError: a bug in a rule kind.
    """
    return check_with_base(facts, rules, baseline=baseline)[1]


def check_with_base(facts: Path | str = "facts", rules: Path | str = "rules", *,
                    baseline: Path | str | None = "baseline.yaml") -> tuple[FactBase, Report]:
    """:func:`check`, also returning the fact base (for reports that show the source)."""
    base, rule_set = load(facts, rules)
    accepted = load_baseline(baseline)
    results = evaluate(base, rule_set, compile_rules(base, rule_set), accepted)
    return base, report(base, results, accepted)
