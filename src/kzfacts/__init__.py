"""kzfacts: fact-check a document against itself.

Facts are typed claims anchored to the words that state them; rules are declarative
relations between facts, evaluated with exact interval arithmetic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below are imported on first use (PEP 562)
    from kzfacts.data.factbase import FactBase
    from kzfacts.data.loader import load_baseline
    from kzfacts.data.model import Fact, FactKind, Period, RuleSpec, Severity, Verdict
    from kzfacts.data.source import split_paragraphs
    from kzfacts.engine.kind import CompileContext, Operand, Outcome, RuleKind, rule_kind
    from kzfacts.engine.check import check, load
    from kzfacts.engine.compile import compile_rules
    from kzfacts.engine.evaluate import evaluate
    from kzfacts.engine.result import FactUse, REPORT_VERSION, Report, Result
    from kzfacts.engine.kinds import BUILTIN_KINDS, available_kinds
    from kzfacts.engine.kinds.arith import BoundKind, SeriesKind, SumKind
    from kzfacts.engine.kinds.money import ConversionKind, MeanWithinKind
    from kzfacts.engine.kinds.order import OrderKind, QuantifierKind
    from kzfacts.engine.kinds.share import ShareKind, admissible_counts
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
    from kzfacts.reports.report import render, render_json, render_markdown, render_text
    from kzfacts.values.interval import Interval
    from kzfacts.values.numbers import (
        DateValue,
        Qualifier,
        RangeReading,
        Reading,
        find_numbers,
        read_date,
        read_number,
        read_range,
    )

#: Where each public name lives; importing ``kzfacts`` loads none of it, so the pytest
#: plugin and the command line start fast and load only what they use.
_LAZY: dict[str, str] = {
    "BUILTIN_KINDS": "kzfacts.engine.kinds",
    "BoundKind": "kzfacts.engine.kinds.arith",
    "CompileContext": "kzfacts.engine.kind",
    "ConversionKind": "kzfacts.engine.kinds.money",
    "DataError": "kzfacts.errors",
    "DateValue": "kzfacts.values.numbers",
    "Fact": "kzfacts.data.model",
    "FactBase": "kzfacts.data.factbase",
    "FactKind": "kzfacts.data.model",
    "FactUse": "kzfacts.engine.result",
    "Interval": "kzfacts.values.interval",
    "InvalidDataError": "kzfacts.errors",
    "KzfactsError": "kzfacts.errors",
    "Location": "kzfacts.errors",
    "MeanWithinKind": "kzfacts.engine.kinds.money",
    "Operand": "kzfacts.engine.kind",
    "OrderKind": "kzfacts.engine.kinds.order",
    "Outcome": "kzfacts.engine.kind",
    "Period": "kzfacts.data.model",
    "Qualifier": "kzfacts.values.numbers",
    "QuantifierKind": "kzfacts.engine.kinds.order",
    "REPORT_VERSION": "kzfacts.engine.result",
    "RangeReading": "kzfacts.values.numbers",
    "ReadError": "kzfacts.errors",
    "Reading": "kzfacts.values.numbers",
    "Report": "kzfacts.engine.result",
    "Result": "kzfacts.engine.result",
    "RuleCrashError": "kzfacts.errors",
    "RuleKind": "kzfacts.engine.kind",
    "RuleSpec": "kzfacts.data.model",
    "SeriesKind": "kzfacts.engine.kinds.arith",
    "Severity": "kzfacts.data.model",
    "ShareKind": "kzfacts.engine.kinds.share",
    "SumKind": "kzfacts.engine.kinds.arith",
    "UnitMismatchError": "kzfacts.errors",
    "UnknownFactError": "kzfacts.errors",
    "Verdict": "kzfacts.data.model",
    "admissible_counts": "kzfacts.engine.kinds.share",
    "available_kinds": "kzfacts.engine.kinds",
    "check": "kzfacts.engine.check",
    "compile_rules": "kzfacts.engine.compile",
    "evaluate": "kzfacts.engine.evaluate",
    "find_numbers": "kzfacts.values.numbers",
    "load": "kzfacts.engine.check",
    "load_baseline": "kzfacts.data.loader",
    "read_date": "kzfacts.values.numbers",
    "read_number": "kzfacts.values.numbers",
    "read_range": "kzfacts.values.numbers",
    "render": "kzfacts.reports.report",
    "render_json": "kzfacts.reports.report",
    "render_markdown": "kzfacts.reports.report",
    "render_text": "kzfacts.reports.report",
    "rule_kind": "kzfacts.engine.kind",
    "split_paragraphs": "kzfacts.data.source",
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
