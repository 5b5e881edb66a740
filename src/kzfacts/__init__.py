"""kzfacts: fact-check a document against itself.

Facts are typed claims anchored to the words that state them; rules are declarative
relations between facts, evaluated with exact interval arithmetic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below are imported on first use (PEP 562): a quick start
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

_EXPORTS: dict[str, str] = {
    "CompileContext": "kzfacts._compile",
    "Operand": "kzfacts._compile",
    "Outcome": "kzfacts._compile",
    "RuleKind": "kzfacts._compile",
    "rule_kind": "kzfacts._compile",
    "REPORT_VERSION": "kzfacts._engine",
    "FactUse": "kzfacts._engine",
    "Report": "kzfacts._engine",
    "Result": "kzfacts._engine",
    "check": "kzfacts._engine",
    "compile_rules": "kzfacts._engine",
    "evaluate": "kzfacts._engine",
    "load": "kzfacts._engine",
    "FactBase": "kzfacts._factbase",
    "Interval": "kzfacts._interval",
    "BUILTIN_KINDS": "kzfacts._kinds",
    "available_kinds": "kzfacts._kinds",
    "BoundKind": "kzfacts._kinds.arith",
    "SeriesKind": "kzfacts._kinds.arith",
    "SumKind": "kzfacts._kinds.arith",
    "ConversionKind": "kzfacts._kinds.money",
    "MeanWithinKind": "kzfacts._kinds.money",
    "OrderKind": "kzfacts._kinds.order",
    "QuantifierKind": "kzfacts._kinds.order",
    "ShareKind": "kzfacts._kinds.share",
    "admissible_counts": "kzfacts._kinds.share",
    "Fact": "kzfacts._model",
    "FactKind": "kzfacts._model",
    "Period": "kzfacts._model",
    "RuleSpec": "kzfacts._model",
    "Severity": "kzfacts._model",
    "Verdict": "kzfacts._model",
    "DateValue": "kzfacts._numbers",
    "Qualifier": "kzfacts._numbers",
    "RangeReading": "kzfacts._numbers",
    "Reading": "kzfacts._numbers",
    "find_numbers": "kzfacts._numbers",
    "read_date": "kzfacts._numbers",
    "read_number": "kzfacts._numbers",
    "read_range": "kzfacts._numbers",
    "render": "kzfacts._report",
    "render_json": "kzfacts._report",
    "render_markdown": "kzfacts._report",
    "render_text": "kzfacts._report",
    "split_paragraphs": "kzfacts._source",
    "DataError": "kzfacts.errors",
    "InvalidDataError": "kzfacts.errors",
    "KzfactsError": "kzfacts.errors",
    "Location": "kzfacts.errors",
    "ReadError": "kzfacts.errors",
    "RuleCrashError": "kzfacts.errors",
    "UnitMismatchError": "kzfacts.errors",
    "UnknownFactError": "kzfacts.errors",
}

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


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use, so ``kzfacts.cli`` starts quickly."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kzfacts' has no attribute {name!r}")
    from importlib import import_module
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
