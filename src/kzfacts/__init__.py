"""kzfacts: fact-check a document against itself.

Facts are typed claims anchored to the words that state them; rules are declarative
relations between facts, evaluated with exact interval arithmetic.
"""

from __future__ import annotations

from kzfacts._compile import CompileContext, Operand, Outcome, RuleKind, rule_kind
from kzfacts._engine import (
    REPORT_VERSION,
    FactUse,
    Report,
    Result,
    check,
    compile_rules,
    evaluate,
    load,
)
from kzfacts._factbase import FactBase
from kzfacts._interval import Interval
from kzfacts._kinds import BUILTIN_KINDS, available_kinds
from kzfacts._kinds.arith import BoundKind, SeriesKind, SumKind
from kzfacts._kinds.money import ConversionKind, MeanWithinKind
from kzfacts._kinds.order import OrderKind, QuantifierKind
from kzfacts._kinds.share import ShareKind, admissible_counts
from kzfacts._model import Fact, FactKind, Period, RuleSpec, Severity, Verdict
from kzfacts._numbers import (
    DateValue,
    Qualifier,
    RangeReading,
    Reading,
    find_numbers,
    read_date,
    read_number,
    read_range,
)
from kzfacts._report import render, render_json, render_markdown, render_text
from kzfacts._source import split_paragraphs
from kzfacts.errors import (
    DataError,
    InvalidDataError,
    KzfactsError,
    Location,
    ReadError,
    RuleCrashError,
    UnitMismatchError,
    UnknownFactError,
)

__version__ = "0.1.0"

__all__ = [
    "BUILTIN_KINDS",
    "REPORT_VERSION",
    "BoundKind",
    "CompileContext",
    "ConversionKind",
    "DataError",
    "DateValue",
    "Fact",
    "FactBase",
    "FactKind",
    "FactUse",
    "Interval",
    "InvalidDataError",
    "KzfactsError",
    "Location",
    "MeanWithinKind",
    "Operand",
    "OrderKind",
    "Outcome",
    "Period",
    "Qualifier",
    "QuantifierKind",
    "RangeReading",
    "ReadError",
    "Reading",
    "Report",
    "Result",
    "RuleCrashError",
    "RuleKind",
    "RuleSpec",
    "SeriesKind",
    "Severity",
    "ShareKind",
    "SumKind",
    "UnitMismatchError",
    "UnknownFactError",
    "Verdict",
    "__version__",
    "admissible_counts",
    "available_kinds",
    "check",
    "compile_rules",
    "evaluate",
    "find_numbers",
    "load",
    "read_date",
    "read_number",
    "read_range",
    "render",
    "render_json",
    "render_markdown",
    "render_text",
    "rule_kind",
    "split_paragraphs",
]
