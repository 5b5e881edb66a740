"""What a check found: each rule's result, and the report of a whole fact base.

Frozen dataclasses, compared by value. The JSON report (``kzfacts check --format json``)
and its JSON Schema (``kzfacts schema report``) come from pydantic's public API over these
classes (:class:`pydantic.TypeAdapter`): :meth:`Report.to_dict`, :meth:`Report.from_dict`
and :func:`report_schema`. Their docstrings are for ``help()``; the schema's descriptions
are set apart (``_schema``), so that editing a docstring never changes the published schema.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, TypeAdapter, with_config

from kzfacts.data.model import Severity, Verdict

__all__ = [
    "REPORT_VERSION",
    "AnchorProblem",
    "Assumed",
    "Assumption",
    "CheckedFacts",
    "Contradiction",
    "CoverageSummary",
    "DocumentFinding",
    "Edit",
    "FactUse",
    "Localisation",
    "Repair",
    "Report",
    "Result",
    "UncheckedFact",
    "Uncovered",
    "report_schema",
]

#: The version of the JSON report's format.
REPORT_VERSION = "2.0"


def _schema(description: str | None = None) -> ConfigDict:
    """How pydantic reads and describes a result class: no unknown keys, and the schema's
    description (``None``: none), whatever the class's docstring says."""
    def describe(schema: dict[str, Any]) -> None:
        schema.pop("description", None)
        if description is not None:
            schema["description"] = description

    return ConfigDict(extra="forbid", json_schema_extra=describe)


@with_config(_schema("A fact a result used, with where it is written."))
@dataclass(frozen=True, slots=True, kw_only=True)
class FactUse:
    """A fact a rule used, as the report shows it.

    Attributes:
        id: the fact's id.
        paragraph: the paragraph of the source that states it.
        value: its value as written in the fact file (``"10169"``, ``"54.5"``).
        unit: its unit, or ``None``.
        quote: the words of the source that state it.
        location: ``file:line:column`` of the fact in its fact file.
    """

    id: str
    paragraph: int
    value: str
    unit: str | None
    quote: str
    location: str


@with_config(_schema("An assumption a result rests on: of a fact it uses, or of the rule."))
@dataclass(frozen=True, slots=True, kw_only=True)
class Assumed:
    """An assumption a result rests on.

    Attributes:
        by: the fact whose ``assumption`` it is, or the rule's own id.
        text: the assumption.
        doubtful: the rule marks it doubtful (``assumption_doubtful``).
    """

    by: str
    text: str
    doubtful: bool = False


def assumed_once(assumptions: Iterable[Assumed]) -> list[Assumed]:
    """The assumptions with each text once, its ``by`` naming every fact or rule that states it.

    Facts of one series often carry the same assumption; a reader is told it once
    (``by`` becomes ``"a, b"``), in the order first stated.
    """
    merged: dict[tuple[str, bool], list[str]] = {}
    for a in assumptions:
        merged.setdefault((a.text, a.doubtful), []).append(a.by)
    return [Assumed(by=", ".join(dict.fromkeys(by)), text=text, doubtful=doubtful)
            for (text, doubtful), by in merged.items()]


@with_config(_schema("A change of one line of a data file that a repair proposes."))
@dataclass(frozen=True, slots=True, kw_only=True)
class Edit:
    """A change of one line of a data file: ``old`` at ``location`` becomes ``new``.

    Attributes:
        location: ``file:line:column`` where ``old`` starts (columns count characters).
        old: the text there now.
        new: the text that replaces it.
    """

    location: str
    old: str
    new: str


@with_config(_schema("A change that makes a finding's rule hold, verified by evaluating "
                     "again every rule that uses the fact."))
@dataclass(frozen=True, slots=True, kw_only=True)
class Repair:
    """A change that makes a finding's rule hold: a fact's figure with one slip undone, or
    the rule's figures attached to another fact. Verified by evaluating again, with the
    change, every rule that uses the fact.

    Attributes:
        fact: the fact changed (or, for a misattachment, the fact the rule wrongly uses).
        slip: what went wrong (a key of :data:`kzfacts.engine.slips.SLIPS`).
        cost: how unlikely the slip is (1 likeliest).
        was: the words now (``"10,169"``).
        now: the words with the slip undone (``"10,166"``); for a misattachment, the
            other fact's words.
        value: the value the fact would have (``"10166"``).
        attach: for a misattachment, the fact the rule's figures belong to.
        message: the finding's rule evaluated with the change.
        failing: the rules sharing a fact with the finding that still fail or warn with it.
        breaks: rules that hold now and would not with the change, each with its arithmetic.
        flips: qualitative claims (a quantifier, an order) the change would make false.
        edits: the lines of the data files the change rewrites.
        summary: the repair in one line.
    """

    fact: str
    slip: str
    cost: int
    was: str
    now: str
    value: str
    attach: str | None = None
    message: str
    failing: tuple[str, ...] = ()
    breaks: tuple[str, ...] = ()
    flips: tuple[str, ...] = ()
    edits: tuple[Edit, ...] = ()
    summary: str


@with_config(_schema("Which facts a finding blames, and the repairs that make the rules hold."))
@dataclass(frozen=True, slots=True, kw_only=True)
class Localisation:
    """Which facts a finding blames, and the repairs that make every rule hold.

    Attributes:
        candidates: the facts of the repairs, likeliest first.
        repairs: the best repairs: those after which every rule sharing a fact with the
            finding holds, or, if none does, those after which the fewest fail.
        holds: whether the best repairs make every rule sharing a fact with the finding hold.
        unique: exactly one repair does, and no other single fact could.
        free: the facts that, changed to some value (not only by one slip), could let every
            rule hold as far as each rule alone can tell (Fellegi-Holt over single facts).
        ruled_out: repairs that make the finding's rule hold but break another rule.
    """

    candidates: tuple[str, ...]
    repairs: tuple[Repair, ...]
    holds: bool
    unique: bool
    free: tuple[str, ...] = ()
    ruled_out: tuple[Repair, ...] = ()


@with_config(_schema("The verdict of one rule on the fact base."))
@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """The verdict of one rule on the fact base, with its arithmetic written out.

    Attributes:
        rule: the rule's id.
        kind: the rule's kind (``sum``, ``share``...).
        title: the rule's title.
        severity: what a failure means for CI.
        paragraphs: the paragraphs of the source the rule is about.
        why: why the relation should hold.
        verdict: pass, warn, fail or skip.
        message: the arithmetic: ``"4,780 + 381 + 5005 = 10,166, not 10,169: 3 short"``.
        facts: the facts the rule used.
        intervals: the intervals compared, by name.
        notes: what a reader should know besides the message (conventions, rates used).
        location: ``file:line:column`` of the rule in its rules file.
        accepted: whether a baseline entry accepts this verdict.
        justification: that entry's one-line justification (``None`` when not accepted).
        assumptions: what the verdict rests on besides the words: the assumptions of the
            facts it uses and of the rule itself.
        only_if: the one rounding convention the relation holds under, if one only.
        localisation: for a finding, which facts it blames and the repairs that make the
            rules hold (``None`` for a rule that holds, or when not located).

    Example:
        >>> import kzfacts
        >>> report = kzfacts.check("facts", "rules")  # doctest: +SKIP
        >>> report.result("p46.outcomes-sum").message  # doctest: +SKIP
        '4,780 + 381 + 5005 = 10,166, not 10,169: 3 short'
    """

    rule: str
    kind: str
    title: str
    severity: Severity
    paragraphs: tuple[int, ...]
    why: str
    verdict: Verdict
    message: str
    facts: tuple[FactUse, ...]
    intervals: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    location: str
    accepted: Annotated[bool, Field(
        description="whether a baseline entry accepts this verdict")] = False
    justification: Annotated[str | None, Field(
        description="the baseline entry's justification, if accepted")] = None
    assumptions: Annotated[tuple[Assumed, ...], Field(
        description="the assumptions the verdict rests on")] = ()
    only_if: Annotated[Literal["round", "truncate"] | None, Field(
        description="the one rounding convention the relation holds under, if one only"
    )] = None
    localisation: Annotated[Localisation | None, Field(
        description="for a finding: the facts it blames and the repairs")] = None

    @property
    def unjustified(self) -> bool:
        """Accepted by a baseline entry whose justification still starts with TODO."""
        return self.accepted and (self.justification or "").startswith("TODO")

    @property
    def blocking(self) -> bool:
        """A failed error-severity rule that no justified baseline entry accepts."""
        return (self.verdict is Verdict.FAIL and self.severity is Severity.ERROR
                and (not self.accepted or self.unjustified))


@with_config(_schema())
@dataclass(frozen=True, slots=True, kw_only=True)
class AnchorProblem:
    """A fact its words in the source do not support.

    Attributes:
        fact: the fact's id.
        location: ``file:line:column`` of the fact.
        problem: what is wrong (the quote is not in its paragraph, the words read otherwise).
    """

    fact: str
    location: str
    problem: str


@with_config(_schema())
@dataclass(frozen=True, slots=True, kw_only=True)
class Uncovered:
    """A number of the source that no fact states and no non-claim lists.

    Attributes:
        paragraph: its paragraph.
        text: the number as written.
        line: its line in the source text.
    """

    paragraph: int
    text: str
    line: int


@with_config(_schema())
@dataclass(frozen=True, slots=True, kw_only=True)
class CoverageSummary:
    """How many numbers of the source the facts and non-claims account for.

    Attributes:
        found: the numbers the reader found in the source.
        accounted: those a fact or a non-claim accounts for.
        uncovered: the others.
    """

    found: int
    accounted: int
    uncovered: tuple[Uncovered, ...]


@with_config(_schema("A finding on the document itself: its text, or its conventions."))
@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentFinding:
    """A finding no rule makes: on the source text (hygiene) or across the document.

    Attributes:
        id: a stable id (``hygiene.p46.decimal-comma.1``, ``conventions.rounding``); a
            baseline entry with this id as ``rule`` and verdict ``warn`` accepts it.
        check: what was checked (``decimal-comma``, ``unclosed-bracket``, ``rounding``...).
        severity: warning or info.
        verdict: always warn: a tension a reader must see.
        paragraph: the paragraph it is in (``None``: the whole document).
        location: ``file:line:column`` of the source (``None``: the whole document).
        message: what is wrong, with the words and what kzfacts made of them.
        rules: the rules it rests on (for a convention finding).
        accepted: whether a baseline entry accepts it.
        justification: that entry's one-line justification (``None`` when not accepted).
    """

    id: str
    check: str
    severity: Severity
    verdict: Verdict = Verdict.WARN
    paragraph: int | None
    location: str | None
    message: str
    rules: tuple[str, ...] = ()
    accepted: bool = False
    justification: str | None = None


@with_config(_schema("An accepted finding whose justification another rule refutes."))
@dataclass(frozen=True, slots=True, kw_only=True)
class Contradiction:
    """A baseline entry that rests on a rounding convention the document does not follow.

    Attributes:
        rule: the accepted finding (a rule id).
        verdict: its verdict.
        convention: the convention its justification rests on.
        refuted_by: the rules that hold only under the other convention.
        message: the contradiction, in words.
    """

    rule: str
    verdict: Verdict
    convention: Literal["round", "truncate"]
    refuted_by: tuple[str, ...]
    message: str


@with_config(_schema("An assumption of the fact base and the rules that rest on it."))
@dataclass(frozen=True, slots=True, kw_only=True)
class Assumption:
    """An assumption written in the fact base or the rules.

    Attributes:
        by: the fact or rule that states it.
        source: ``fact`` or ``rule``.
        text: the assumption.
        location: ``file:line:column`` of the fact or rule.
        rules: the rules whose results rest on it.
        doubtful: the rule marks it doubtful.
    """

    by: str
    source: Literal["fact", "rule"]
    text: str
    location: str
    rules: tuple[str, ...] = ()
    doubtful: bool = False


@with_config(_schema())
@dataclass(frozen=True, slots=True, kw_only=True)
class UncheckedFact:
    """A fact a rule could check but none does.

    Attributes:
        id: the fact.
        paragraph: its paragraph.
        location: ``file:line:column`` of the fact.
        reason: why no rule can check it (its ``unchecked``), or ``None``: not declared.
    """

    id: str
    paragraph: int
    location: str
    reason: str | None = None


@with_config(_schema("Which facts a rule checks."))
@dataclass(frozen=True, slots=True, kw_only=True)
class CheckedFacts:
    """Which facts the rules check: every fact with a value, and every statement with a
    claim, is checked by a rule or says why not (``unchecked``).

    Attributes:
        checkable: the facts a rule could check that do not declare ``unchecked``.
        checked: those a rule uses.
        unchecked: the others (no rule uses them and they give no reason).
        declared: the facts that declare ``unchecked``, with the reason.
    """

    checkable: int
    checked: int
    unchecked: tuple[UncheckedFact, ...] = ()
    declared: tuple[UncheckedFact, ...] = ()


@with_config(_schema(
    "Everything a check found; the same input gives the same report, byte for byte."))
@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """Everything a check of a fact base found; the same input gives the same report.

    Attributes:
        version: the version of the JSON report's format.
        document: the document's title.
        source_sha256: the SHA-256 of the source text.
        facts: how many facts the fact base holds.
        paragraphs: how many paragraphs the source has.
        paragraphs_with_facts: how many of them a fact quotes.
        counts: results by verdict.
        results: one per rule, by rule id.
        anchoring: facts their words do not support.
        coverage: the numbers of the source and what accounts for them.
        stale_baseline: baseline entries that match no result.
        unjustified: accepted findings whose justification still starts with TODO.
        document_findings: findings on the source text and across the document.
        contradicted: accepted findings whose convention another rule refutes (the
            baseline does not accept them).
        assumptions: every assumption of the fact base and its rules.
        checked: which facts a rule checks.

    Example:
        >>> import kzfacts
        >>> report = kzfacts.check("facts", "rules", baseline="baseline.yaml")  # doctest: +SKIP
        >>> report.exit_code  # doctest: +SKIP
        0
    """

    version: Literal["2.0"] = "2.0"
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
    unjustified: Annotated[tuple[str, ...], Field(
        description="accepted findings whose justification still starts with TODO")] = ()
    document_findings: Annotated[tuple[DocumentFinding, ...], Field(
        description="findings on the source text and across the document")] = ()
    contradicted: Annotated[tuple[Contradiction, ...], Field(
        description="accepted findings whose rounding convention another rule refutes")] = ()
    assumptions: Annotated[tuple[Assumption, ...], Field(
        description="every assumption of the fact base and its rules")] = ()
    checked: Annotated[CheckedFacts | None, Field(
        description="which facts a rule checks")] = None

    @property
    def exit_code(self) -> int:
        """What ``kzfacts check`` exits with: 0 when nothing fails beyond what a justified
        baseline entry accepts; 1 for findings, broken anchors, numbers nothing accounts for,
        or accepted findings still to justify."""
        bad = (any(r.blocking for r in self.results) or self.anchoring
               or self.coverage.uncovered or self.unjustified)
        return 1 if bad else 0

    def result(self, rule_id: str) -> Result:
        """The result of the rule ``rule_id``.

        Raises:
            KeyError: no rule has that id.
        """
        for r in self.results:
            if r.rule == rule_id:
                return r
        raise KeyError(rule_id)

    def to_dict(self) -> dict[str, Any]:
        """The JSON report's data: what ``kzfacts check --format json`` writes."""
        data: dict[str, Any] = _adapter().dump_python(self, mode="json")
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | str | bytes) -> Report:
        """A report from the JSON report's data (or its text), validated.

        Raises:
            pydantic.ValidationError: the data is not a JSON report.
        """
        if isinstance(data, str | bytes):
            return _adapter().validate_json(data)
        return _adapter().validate_python(data)


@cache
def _adapter() -> TypeAdapter[Report]:
    return TypeAdapter(Report)


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the JSON report (draft 2020-12, as pydantic writes it)."""
    return _adapter().json_schema(mode="serialization")
