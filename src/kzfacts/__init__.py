"""kzfacts: fact-check a document against itself.

Facts are typed claims anchored to the words that state them; rules are declarative
relations between facts, evaluated with exact interval arithmetic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below are imported on first use (PEP 562)
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
    from kzfacts._loader import load_baseline
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

#: Where each public name lives; importing ``kzfacts`` loads none of it, so the pytest
#: plugin and the command line start fast and load only what they use.
_LAZY: dict[str, str] = {
    "BUILTIN_KINDS": "kzfacts._kinds",
    "BoundKind": "kzfacts._kinds.arith",
    "CompileContext": "kzfacts._compile",
    "ConversionKind": "kzfacts._kinds.money",
    "DataError": "kzfacts.errors",
    "DateValue": "kzfacts._numbers",
    "Fact": "kzfacts._model",
    "FactBase": "kzfacts._factbase",
    "FactKind": "kzfacts._model",
    "FactUse": "kzfacts._engine",
    "Interval": "kzfacts._interval",
    "InvalidDataError": "kzfacts.errors",
    "KzfactsError": "kzfacts.errors",
    "Location": "kzfacts.errors",
    "MeanWithinKind": "kzfacts._kinds.money",
    "Operand": "kzfacts._compile",
    "OrderKind": "kzfacts._kinds.order",
    "Outcome": "kzfacts._compile",
    "Period": "kzfacts._model",
    "Qualifier": "kzfacts._numbers",
    "QuantifierKind": "kzfacts._kinds.order",
    "REPORT_VERSION": "kzfacts._engine",
    "RangeReading": "kzfacts._numbers",
    "ReadError": "kzfacts.errors",
    "Reading": "kzfacts._numbers",
    "Report": "kzfacts._engine",
    "Result": "kzfacts._engine",
    "RuleCrashError": "kzfacts.errors",
    "RuleKind": "kzfacts._compile",
    "RuleSpec": "kzfacts._model",
    "SeriesKind": "kzfacts._kinds.arith",
    "Severity": "kzfacts._model",
    "ShareKind": "kzfacts._kinds.share",
    "SumKind": "kzfacts._kinds.arith",
    "UnitMismatchError": "kzfacts.errors",
    "UnknownFactError": "kzfacts.errors",
    "Verdict": "kzfacts._model",
    "admissible_counts": "kzfacts._kinds.share",
    "available_kinds": "kzfacts._kinds",
    "check": "kzfacts._engine",
    "compile_rules": "kzfacts._engine",
    "evaluate": "kzfacts._engine",
    "find_numbers": "kzfacts._numbers",
    "load": "kzfacts._engine",
    "load_baseline": "kzfacts._loader",
    "read_date": "kzfacts._numbers",
    "read_number": "kzfacts._numbers",
    "read_range": "kzfacts._numbers",
    "render": "kzfacts._report",
    "render_json": "kzfacts._report",
    "render_markdown": "kzfacts._report",
    "render_text": "kzfacts._report",
    "rule_kind": "kzfacts._compile",
    "split_paragraphs": "kzfacts._source",
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
    "load_baseline",
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
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kzfacts' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
