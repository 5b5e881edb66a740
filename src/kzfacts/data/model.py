"""What is parsed from YAML: frozen, plain pydantic models with no reference to the engine.

Annotations here are evaluated as the classes are made (no ``from __future__ import
annotations``), so pydantic need not evaluate each one again from its text.

Numbers are strict: an integer field takes no boolean or float, a boolean field no ``1`` or
``"yes"``, and an exact number only the digits 0-9 (:func:`kzfacts.values.numbers.misreadable`),
at most :data:`~kzfacts.values.numbers.MAX_MAGNITUDE`; years run from 1 to 9999.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from kzfacts._escape import UNSAFE
from kzfacts.data.yaml import FloatLiteral, excerpt
from kzfacts.errors import ReadError
from kzfacts.values.numbers import (
    MAX_MAGNITUDE,
    MAX_NUMBER_CHARS,
    DateValue,
    Qualifier,
    misreadable,
)
from kzfacts.values.units import definition_problem

__all__ = [
    "Baseline",
    "BaselineEntry",
    "ClaimReviewPublication",
    "ClaimWord",
    "Document",
    "ExactNumber",
    "Fact",
    "FactFile",
    "FactKind",
    "NotClaim",
    "NotClaimsFile",
    "ParagraphNumber",
    "Period",
    "Quote",
    "RangeValue",
    "ReferenceEntry",
    "ReferenceFile",
    "ReferenceTable",
    "RuleFile",
    "RuleSpec",
    "Severity",
    "UnitsFile",
    "Verdict",
    "Words",
    "Year",
]

FACT_ID = r"^[a-z0-9_]+(?:\.[a-z0-9_]+)*$"
RULE_ID = r"^[a-z0-9_][a-z0-9_.\-]*$"

_FROZEN = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


def _seen(text: str, what: str) -> str:
    """``text`` if a reader sees it as kzfacts reads it (:func:`misreadable`), else an error
    naming the character and where it stands in ``what``."""
    flaw = misreadable(text)
    if flaw is not None:
        raise ValueError(f"{flaw.expected}, found {flaw.found} at character {flaw.offset + 1} "
                         f"of the {what}")
    return text


def _exact(value: object) -> int | Decimal:
    """Accept an int or a decimal written as a string; refuse floats with a hint."""
    if isinstance(value, bool):
        raise ValueError(f"an exact number, found the boolean {value}")
    if isinstance(value, FloatLiteral | float):
        raise ValueError(f'an exact number (an int, or a decimal in quotes such as "{value}"), '
                         f"found the float {value}")
    if isinstance(value, int):
        number: int | Decimal = value
    elif isinstance(value, str) and len(value.strip()) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number of at most {MAX_NUMBER_CHARS} characters, found "
                         f"{excerpt(value)} ({len(value.strip()):,} characters)")
    elif isinstance(value, str) and _seen(value, "number") and re.fullmatch(
            r"-?[0-9]+(?:\.[0-9]+)?", value.strip()):
        try:
            dec = Decimal(value.strip())
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
            raise ValueError(f"an exact number, found {value!r}") from None
        number = int(dec) if dec == dec.to_integral_value() and "." not in value else dec
    else:
        found = excerpt(value) if isinstance(value, str) else _kind_of(value)
        raise ValueError(f"an exact number (an int or a quoted decimal), found {found}")
    if abs(Decimal(number)) > MAX_MAGNITUDE:
        raise ValueError(f"a magnitude of at most 10^18, found {number}")
    return number


def _kind_of(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)[:40]


ExactNumber = Annotated[int | Decimal, BeforeValidator(_exact)]


def _integer(value: object) -> object:
    """An integer as a data file writes it: a boolean or a float is no integer."""
    if isinstance(value, bool):
        raise ValueError(f"an integer, found the boolean {value}")
    if isinstance(value, FloatLiteral | float):
        raise ValueError(f"an integer, found the float {value}")
    return value


def _paragraph(number: int) -> int:
    if number < 1:
        raise ValueError(f"a paragraph number (1 or more), found {number}")
    return number


def _year(year: int) -> int:
    if not 1 <= year <= 9999:
        raise ValueError(f"a year from 1 to 9999, found {year}")
    return year


#: A paragraph number: 1 or more.
ParagraphNumber = Annotated[int, BeforeValidator(_integer), AfterValidator(_paragraph),
                            Field(json_schema_extra={"minimum": 1})]
#: A calendar year, within the years a date may have (1 to 9999).
Year = Annotated[int, BeforeValidator(_integer), AfterValidator(_year),
                 Field(json_schema_extra={"minimum": 1, "maximum": 9999})]
#: Words of the source (a quote, the words that state a value, a non-claim): text a reader
#: sees as kzfacts reads it.
Quote = Annotated[str, AfterValidator(lambda text: _seen(text, "quote"))]
Words = Annotated[str, AfterValidator(lambda text: _seen(text, "words"))]


class FactKind(StrEnum):
    COUNT = "count"
    SHARE = "share"
    MONEY = "money"
    INDEX = "index"  # an amount in an index unit the fact base declares (a fee unit, a base amount)
    RATE = "rate"
    DATE = "date"
    DURATION = "duration"
    RANGE = "range"
    STATEMENT = "statement"


class ClaimWord(StrEnum):
    """What a qualitative claim or a claim of absence asserts (a statement's ``claim:``).

    ``none`` ("no such facts were recorded", "not a single"), ``all``; of a part of a whole:
    ``most``, ``majority``, ``more_than_half``, ``at_least_half``, ``minority``; of a change
    from one period to a later one: ``increased``, ``decreased``, ``unchanged``, ``doubled``.
    """

    NONE = "none"
    ALL = "all"
    MOST = "most"
    MAJORITY = "majority"
    MORE_THAN_HALF = "more_than_half"
    AT_LEAST_HALF = "at_least_half"
    MINORITY = "minority"
    INCREASED = "increased"
    DECREASED = "decreased"
    UNCHANGED = "unchanged"
    DOUBLED = "doubled"


NUMERIC_KINDS = frozenset({FactKind.COUNT, FactKind.SHARE, FactKind.MONEY, FactKind.INDEX,
                           FactKind.RATE, FactKind.DURATION})


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Verdict(StrEnum):
    PASS = "pass"  # noqa: S105 - a verdict, not a password
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True, slots=True)
class RangeValue:
    """The ends of a range fact; ``None`` is an open end ("up to 15 years")."""

    min: int | Decimal | None
    max: int | Decimal | None

    def __str__(self) -> str:
        lo = "" if self.min is None else str(self.min)
        hi = "" if self.max is None else str(self.max)
        return f"{lo}..{hi}"


#: JSON Schemas of the written forms: an exact number, a date, a range.
EXACT: dict[str, Any] = {
    "description": "an exact number: an integer, or a decimal in quotes (\"7.8\"); never a float",
    "anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}]}
DATE: dict[str, Any] = {
    "description": "a date as YYYY, YYYY-MM or YYYY-MM-DD (quoted)",
    "anyOf": [{"type": "integer", "minimum": 1, "maximum": 9999},
              {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}]}
RANGE: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "properties": {"min": {"anyOf": [{"type": "null"}, *EXACT["anyOf"]]},
                   "max": {"anyOf": [{"type": "null"}, *EXACT["anyOf"]]}}}


def _written(value: object) -> object:
    """A date or a range as a data file writes it (one function for both: in a union,
    pydantic serialises with the first member's serialiser that does not fail)."""
    if isinstance(value, RangeValue):
        return {"min": value.min, "max": value.max}
    return str(value) if isinstance(value, DateValue) else value


#: A date or a range in a model: the instance itself in Python, written in JSON as the data
#: files write it ("2021-07-19", {min, max}), so a dumped fact validates again.
Date = Annotated[DateValue, PlainSerializer(_written, when_used="json"), WithJsonSchema(DATE)]
Range = Annotated[RangeValue, PlainSerializer(_written, when_used="json"), WithJsonSchema(RANGE)]


def _date(value: object) -> DateValue:
    if isinstance(value, DateValue):
        return value
    try:
        if isinstance(value, int) and not isinstance(value, bool):
            return DateValue(value)
        if isinstance(value, str):
            return DateValue.from_iso(value)
    except ReadError as exc:
        raise ValueError(f"a date that exists ({exc.expected}), found {excerpt(str(value))}"
                         ) from None
    raise ValueError(f"a date as YYYY, YYYY-MM or YYYY-MM-DD, found {value!r}")


class Period(BaseModel):
    """The time a fact covers: from the start of ``start`` to the end of ``end``."""

    model_config = _FROZEN

    start: Date
    end: Date
    partial: bool = Field(False, strict=True,
                          description="set when a year figure covers only part of it")
    why: str | None = Field(None, description="why the period is marked partial")

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, data: Any) -> Any:
        # one error for a bad year, not one for its start and one for its end; the date
        # read is both ends (an immutable value: _dates keeps it)
        if isinstance(data, int) and not isinstance(data, bool):
            one = _date(data)
            return {"start": one, "end": one}
        if isinstance(data, str):
            start, _, end = data.partition("/")
            if not end:
                one = _date(start)
                return {"start": one, "end": one}
            return {"start": start, "end": end}
        if isinstance(data, dict) and "year" in data:
            rest = {k: v for k, v in data.items() if k != "year"}
            return {"start": data["year"], "end": data["year"], **rest}
        return data

    @field_validator("start", "end", mode="before")
    @classmethod
    def _dates(cls, v: object) -> DateValue:
        return _date(v)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        # one date for both ends (a year alone): ordered, without making calendar dates
        if self.end is not self.start and self.end.last_day < self.start.first_day:
            raise ValueError(f"a period that ends after it starts, found {self} ending "
                             f"{self.end.last_day} before {self.start.first_day}")
        if self.partial and not self.why:
            raise ValueError("a 'why' for a period marked partial")
        return self

    @property
    def is_partial(self) -> bool:
        """True when the period covers part of a year (marked, or starting/ending mid-year)."""
        first, last = self.start.first_day, self.end.last_day
        return self.partial or (first.month, first.day) != (1, 1) or (last.month, last.day) != (12, 31)

    @property
    def year(self) -> int | None:
        """The single calendar year this period lies in, if it does."""
        return self.start.year if self.start.year == self.end.year else None

    def __str__(self) -> str:
        text = str(self.start) if self.start == self.end else f"{self.start}/{self.end}"
        return text + (" (part of the year)" if self.partial else "")


class Fact(BaseModel):
    """One claim of the document, anchored to the words that state it."""

    model_config = _FROZEN

    id: str = Field(pattern=FACT_ID, description="stable dotted id, unique in the fact base")
    kind: FactKind
    paragraph: ParagraphNumber = Field(description="the paragraph of the source that states it")
    value: int | Decimal | Date | Range | None = Field(
        None, description="exact value: int, quoted decimal, date, or {min, max}")
    unit: str | None = Field(None, description="a unit of the fact base's units file")
    subject: str = Field(min_length=1, description="what is counted, or what is stated")
    period: Period | None = None
    period_text: Words | None = Field(None, description="the period as the document words it")
    qualifier: Qualifier = Qualifier.EXACT
    quote: Quote = Field(min_length=1, description="verbatim words of the paragraph")
    written: Words | None = Field(None, description="the part of the quote that states the value")
    note: str | None = None
    assumption: str | None = Field(
        None, min_length=3,
        description="what the encoding infers that the document does not state")
    unchecked: str | None = Field(
        None, min_length=3, description="why no rule can check this fact")
    claim: ClaimWord | None = Field(
        None, description="for a statement: the quantity it claims (none, most, increased...)")

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, v: object, info: ValidationInfo) -> object:
        kind = info.data.get("kind")
        if v is None or kind is None:
            return v
        if kind == FactKind.DATE:
            return _date(v)
        if kind == FactKind.RANGE:
            if not isinstance(v, dict) or set(v) - {"min", "max"}:
                raise ValueError(f"a range as {{min: 4, max: 7}}, found {v!r}")
            lo, hi = (None if v.get(k) is None else _exact(v[k]) for k in ("min", "max"))
            if lo is not None and hi is not None and Decimal(lo) > Decimal(hi):
                raise ValueError(f"a range whose min is at most its max, found {lo}..{hi}")
            return RangeValue(lo, hi)
        number = _exact(v)
        if kind in (FactKind.COUNT, FactKind.MONEY, FactKind.INDEX) and number < 0:
            raise ValueError(f"a non-negative {kind.value}, found {number}")
        return number

    @field_validator("unit")
    @classmethod
    def _unit(cls, v: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("kind") == FactKind.SHARE and v is not None and v != "percent":
            raise ValueError(f"unit 'percent' for a share, found {v!r}")
        return v

    @model_validator(mode="after")
    def _by_kind(self) -> Self:
        kind = self.kind
        if kind == FactKind.STATEMENT:
            if self.value is not None or self.unit is not None:
                raise ValueError("no value and no unit for a statement")
        elif kind == FactKind.DATE:
            if not isinstance(self.value, DateValue):
                raise ValueError("a date value such as '2021-07-19' for a date fact")
            if self.unit is not None:
                raise ValueError("no unit for a date fact")
        elif kind == FactKind.RANGE:
            if not isinstance(self.value, RangeValue) or not self.unit:
                raise ValueError("a value {min, max} and a unit for a range fact")
        elif not isinstance(self.value, int | Decimal) or not self.unit:
            # (a share's unit and a count's sign are checked with the fields)
            raise ValueError(f"an exact value and a unit for a {kind} fact")
        if self.written is not None and self.kind == FactKind.STATEMENT:
            raise ValueError("no 'written' for a statement")
        if self.claim is not None and self.kind != FactKind.STATEMENT:
            raise ValueError(f"'claim' only on a statement, found it on a {self.kind} fact")
        return self

    @property
    def checkable(self) -> bool:
        """Whether a rule can check it: a fact with a value, or a statement with a claim."""
        return self.kind != FactKind.STATEMENT or self.claim is not None

    @property
    def stated(self) -> str:
        """The words that state the value: ``written``, or the whole quote."""
        return self.written if self.written is not None else self.quote


class FactFile(BaseModel):
    model_config = _FROZEN

    paragraph: ParagraphNumber
    facts: tuple[dict[str, Any], ...] = Field(
        description="fact records, each validated as a Fact with this paragraph")


class NotClaim(BaseModel):
    """Words of the source that contain numbers which are not claims."""

    model_config = _FROZEN

    paragraph: ParagraphNumber
    text: Words = Field(min_length=1)
    why: str = Field(min_length=3)


class NotClaimsFile(BaseModel):
    model_config = _FROZEN

    not_claims: tuple[NotClaim, ...] = ()


_URL = re.compile(r"^https?://[^\s#]+$")
#: A day in JSON: a full date, "2024-03-01" (quoted).
DAY: dict[str, Any] = {"description": "a day as YYYY-MM-DD (quoted)",
                       "type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def _one_line(text: str, what: str) -> str:
    found = UNSAFE.search(text)
    if found is not None:
        raise ValueError(f"{what} on one line, without control or format characters, found "
                         f"U+{ord(found.group()):04X} at character {found.start() + 1}")
    return text


class ClaimReviewPublication(BaseModel):
    """``claimreview:`` in ``document.yaml``: who publishes the ClaimReview output, where
    and when. Each field is optional: the output omits what is not declared, and
    ``kzfacts check --format claimreview`` names it on stderr.
    """

    model_config = _FROZEN

    publisher: str | None = Field(
        None, min_length=1, max_length=200,
        description="the organisation that publishes the reviews: each review's author")
    url: str | None = Field(
        None, max_length=2000, json_schema_extra={"pattern": _URL.pattern},
        description="the page that publishes the reviews (the HTML report, say); each "
                    "review's url is this address with #r-<rule id>, the rule's anchor there")
    date: Annotated[DateValue, PlainSerializer(_written, when_used="json"),
                    WithJsonSchema(DAY)] | None = Field(
        None, description="the day the reviews are published, YYYY-MM-DD")

    @field_validator("publisher", "url")
    @classmethod
    def _line(cls, v: str | None, info: ValidationInfo) -> str | None:
        if v is None:
            return None
        _one_line(v, f"a {info.field_name}")
        if info.field_name == "url" and not _URL.match(v):
            raise ValueError(f"an http:// or https:// address without spaces and without a "
                             f"#fragment (each review adds its own), found {excerpt(v)}")
        return v

    @field_validator("date", mode="before")
    @classmethod
    def _day(cls, v: object) -> DateValue | None:
        if v is None:
            return None
        day = _date(v)
        if day.day is None:
            raise ValueError(f"a day as YYYY-MM-DD, found {day}")
        return day

    @property
    def missing(self) -> tuple[str, ...]:
        """The fields not declared, in the order of the file format."""
        return tuple(name for name in ("publisher", "url", "date")
                     if getattr(self, name) is None)


class Document(BaseModel):
    """``document.yaml``: the source and the files that describe it."""

    model_config = _FROZEN

    title: str
    source: str = "source.txt"
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    paragraphs: Literal["auto", "1.", "1)", "§ 1", "Paragraph 1", "blocks", "numbered"] = Field(
        "auto", description="how paragraphs are marked: '1.', '1)', '§ 1', 'Paragraph 1', "
        "'blocks' (blank-line separated), 'numbered' (= '1.'), or 'auto' (the one style found)")
    decimal_comma: bool | None = Field(None, strict=True)
    units: str = "units.yaml"
    reference: str | None = "reference.yaml"
    not_claims: str | None = "not_claims.yaml"
    claimreview: ClaimReviewPublication = Field(
        default_factory=ClaimReviewPublication,
        description="who publishes the ClaimReview output, where and when (each optional)")


def _definition(line: str) -> str:
    problem = definition_problem(line)  # the grammar pint may read (kzfacts.values.units)
    if problem is not None:
        raise ValueError(f"{problem}, found {excerpt(line)}")
    return line


class UnitsFile(BaseModel):
    model_config = _FROZEN

    definitions: tuple[Annotated[str, AfterValidator(_definition)], ...] = ()
    words: dict[str, str] = Field(default_factory=dict,
                                  description="words of the text that name a unit")

    @field_validator("definitions")
    @classmethod
    def _once(cls, definitions: tuple[str, ...]) -> tuple[str, ...]:
        names: set[str] = set()
        for line in definitions:
            name = line.strip().split(" = ", 1)[0]
            if name in names:
                raise ValueError(f"each unit defined once, found {name!r} again")
            names.add(name)
        return definitions


class ReferenceEntry(BaseModel):
    model_config = _FROZEN

    value: ExactNumber = Field(description="a rate or an index value: more than 0")
    effective_from: Date | None = None
    year: Year | None = None
    applies_to: str = "all uses"
    confidence: str
    source_url: str | None
    note: str | None = None

    @field_validator("value")
    @classmethod
    def _positive(cls, v: int | Decimal) -> int | Decimal:
        if v <= 0:
            raise ValueError(f"a rate or index value above 0, found {v}")
        return v

    @field_validator("effective_from", mode="before")
    @classmethod
    def _from(cls, v: object) -> DateValue | None:
        return None if v is None else _date(v)

    @model_validator(mode="after")
    def _when(self) -> Self:
        if (self.effective_from is None) == (self.year is None):
            raise ValueError("exactly one of effective_from (a dated value) or year (an annual one)")
        return self


class ReferenceTable(BaseModel):
    model_config = _FROZEN

    unit: str = Field(description="e.g. EUR/GBP, or a currency per index unit")
    description: str
    entries: tuple[ReferenceEntry, ...] = Field(min_length=1)


class ReferenceFile(BaseModel):
    model_config = _FROZEN

    tables: dict[str, ReferenceTable]


class RuleSpec(BaseModel):
    """The fields every rule has; each kind adds its own."""

    model_config = _FROZEN

    id: str = Field(pattern=RULE_ID)
    kind: str
    title: str = Field(min_length=3)
    severity: Severity
    paragraphs: tuple[ParagraphNumber, ...] = Field(min_length=1)
    why: str = Field(min_length=3, description="why the relation should hold")
    drafted: str | None = Field(
        None, description="the pattern and words a drafted rule was suggested by (kzfacts draft)")
    assumption: str | None = Field(
        None, min_length=3,
        description="what the rule assumes that the document does not state")
    assumption_doubtful: bool = Field(
        False, strict=True,
        description="the assumption is doubtful: a pass under it is reported as warn")

    @field_validator("assumption_doubtful")
    @classmethod
    def _doubtful(cls, v: bool, info: ValidationInfo) -> bool:  # noqa: FBT001 - pydantic's signature
        if v and info.data.get("assumption") is None:
            raise ValueError("an 'assumption' written beside assumption_doubtful, found none")
        return v


class RuleFile(BaseModel):
    model_config = _FROZEN

    rules: tuple[dict[str, Any], ...]


class BaselineEntry(BaseModel):
    model_config = _FROZEN

    rule: str = Field(pattern=RULE_ID)
    verdict: Literal["fail", "warn"]
    why: str = Field(min_length=3, description="one line: why this finding is accepted")
    convention: Literal["round", "truncate", "none"] | None = Field(
        None, description="the rounding convention the justification rests on ('none': on no "
        "convention); default: the one convention the accepted result holds under, if one")


class Baseline(BaseModel):
    model_config = _FROZEN

    accepted: tuple[BaselineEntry, ...] = ()

    @field_validator("accepted", mode="before")
    @classmethod
    def _none_is_empty(cls, v: object) -> object:
        return () if v is None else v  # `accepted:` with nothing under it
