"""kzfacts: fact-check a document against itself, or your own numbers, with exact arithmetic.

A reported number is an interval: "3,7%" admits [3.65, 3.75); a rule asks whether a
relation can hold for true values inside the intervals, and writes its arithmetic out.

Checks you call, one per rule kind, on numbers as you have them (text as written, ``int``,
``Decimal``, ``Fraction``, readings, pint quantities; never a float)::

    import kzfacts

    kzfacts.check_sum(["4,780", "381", "5005"], total="10,169").message
    # '4,780 + 381 + 5005 = 10,166, not 10,169: 3 short'
    kzfacts.check_share("78%", part=50, whole=64).verdict     # Verdict.PASS

:func:`check_sum`, :func:`check_bound`, :func:`check_series`, :func:`check_share`,
:func:`check_conversion`, :func:`check_mean_within`, :func:`check_order`,
:func:`check_quantifier`; :func:`to_reading` and :func:`read_number` read one number.
In pydantic models: :class:`Reported` (a field type) and :func:`consistent` (a model
validator). A fact base (``facts/``, ``rules/``, ``baseline.yaml``)::

    report = kzfacts.check("path/to/fact-base")      # or kzfacts.check(kzfacts.bundled_path())
    for result in report.results:
        print(result.verdict, result.rule, result.message)

The path of the data: :func:`load` (facts and rules, validated, every error located) →
:func:`compile_rules` (references resolved, dimensions checked) → :func:`evaluate` (one
:class:`Result` per rule) → :func:`locate` (each finding's suspect facts and the repairs
that make every rule hold) → a :class:`Report` (:func:`check` does all of it) → :func:`render`.

Values and enumerations without a docstring of their own:

* ``__version__``: the version of kzfacts.
* ``REPORT_VERSION``: the version of the JSON report's format.
* ``BUILTIN_KINDS``: the rule kinds kzfacts comes with.
* ``Value``: a number a check takes: ``str`` (as written), ``int``, ``Decimal``,
  ``Fraction``, :class:`Reading` or a pint quantity.
* ``Verdict``: what a rule found: ``pass``, ``warn`` (holds only under a looser reading),
  ``fail`` (cannot hold), ``skip`` (not applicable, with the reason).
* ``Severity``: what a failure means for CI: ``error`` (blocks), ``warning``, ``info``.
* ``FactKind``: the kind of a fact: ``count``, ``share``, ``money``, ``index``, ``rate``,
  ``date``, ``duration``, ``range``, ``statement``.
* ``Convention``: how a document rounded its figures: ``"round"`` or ``"truncate"``.
* ``Baseline``: the accepted findings of ``baseline.yaml`` (``accepted``, a tuple of entries).
* ``ReferenceFile``: ``reference.yaml``: dated tables of values (an index unit's value,
  an exchange rate) by year, each with its source.
* ``ReferenceTable``: one table of ``reference.yaml``: its unit and its dated entries.
* ``ReferenceEntry``: one dated value of a reference table, with its source.
* ``BaselineEntry``: one accepted finding: its ``rule``, its ``verdict`` and ``why``, a
  one-line justification (one still starting with TODO fails the check).

Every public name is imported on first use (PEP 562): the pytest plugin, which pytest
imports in every project where kzfacts is installed, imports this package and nothing more.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # the public names, each imported at run time when first used (below)
    from kzfacts._files import bundled_path as bundled_path
    from kzfacts.data.factbase import FactBase as FactBase
    from kzfacts.data.loader import Rules as Rules
    from kzfacts.data.loader import RuleSource as RuleSource
    from kzfacts.data.loader import load_baseline as load_baseline
    from kzfacts.data.model import Baseline as Baseline
    from kzfacts.data.model import BaselineEntry as BaselineEntry
    from kzfacts.data.model import ClaimReviewPublication as ClaimReviewPublication
    from kzfacts.data.model import ClaimWord as ClaimWord
    from kzfacts.data.model import Document as Document
    from kzfacts.data.model import Fact as Fact
    from kzfacts.data.model import FactKind as FactKind
    from kzfacts.data.model import NotClaim as NotClaim
    from kzfacts.data.model import Period as Period
    from kzfacts.data.model import RangeValue as RangeValue
    from kzfacts.data.model import ReferenceEntry as ReferenceEntry
    from kzfacts.data.model import ReferenceFile as ReferenceFile
    from kzfacts.data.model import ReferenceTable as ReferenceTable
    from kzfacts.data.model import RuleSpec as RuleSpec
    from kzfacts.data.model import Severity as Severity
    from kzfacts.data.model import Verdict as Verdict
    from kzfacts.data.source import Anchor as Anchor
    from kzfacts.data.source import Coverage as Coverage
    from kzfacts.data.source import Paragraph as Paragraph
    from kzfacts.data.source import SourceText as SourceText
    from kzfacts.data.source import split_paragraphs as split_paragraphs
    from kzfacts.engine.arguments import Value as Value
    from kzfacts.engine.arguments import to_reading as to_reading
    from kzfacts.engine.calls import check_bound as check_bound
    from kzfacts.engine.calls import check_conversion as check_conversion
    from kzfacts.engine.calls import check_mean_within as check_mean_within
    from kzfacts.engine.calls import check_order as check_order
    from kzfacts.engine.calls import check_quantifier as check_quantifier
    from kzfacts.engine.calls import check_series as check_series
    from kzfacts.engine.calls import check_share as check_share
    from kzfacts.engine.calls import check_sum as check_sum
    from kzfacts.engine.check import check as check
    from kzfacts.engine.check import load as load
    from kzfacts.engine.compile import CompiledRule as CompiledRule
    from kzfacts.engine.compile import compile_rules as compile_rules
    from kzfacts.engine.evaluate import evaluate as evaluate
    from kzfacts.engine.kind import CompileContext as CompileContext
    from kzfacts.engine.kind import Operand as Operand
    from kzfacts.engine.kind import Outcome as Outcome
    from kzfacts.engine.kind import RuleKind as RuleKind
    from kzfacts.engine.kind import rule_kind as rule_kind
    from kzfacts.engine.kinds import BUILTIN_KINDS as BUILTIN_KINDS
    from kzfacts.engine.kinds import available_kinds as available_kinds
    from kzfacts.engine.kinds.across import PerPeriodKind as PerPeriodKind
    from kzfacts.engine.kinds.across import RatePair as RatePair
    from kzfacts.engine.kinds.across import RatesAgreeKind as RatesAgreeKind
    from kzfacts.engine.kinds.arith import BoundKind as BoundKind
    from kzfacts.engine.kinds.arith import SeriesKind as SeriesKind
    from kzfacts.engine.kinds.arith import SumKind as SumKind
    from kzfacts.engine.kinds.arith import Term as Term
    from kzfacts.engine.kinds.claim import ClaimKind as ClaimKind
    from kzfacts.engine.kinds.common import Relation as Relation
    from kzfacts.engine.kinds.money import ConversionKind as ConversionKind
    from kzfacts.engine.kinds.money import MeanWithinKind as MeanWithinKind
    from kzfacts.engine.kinds.money import RateSpec as RateSpec
    from kzfacts.engine.kinds.order import OrderKind as OrderKind
    from kzfacts.engine.kinds.order import Quantifier as Quantifier
    from kzfacts.engine.kinds.order import QuantifierKind as QuantifierKind
    from kzfacts.engine.kinds.share import ShareKind as ShareKind
    from kzfacts.engine.kinds.share import admissible_counts as admissible_counts
    from kzfacts.engine.locate import locate as locate
    from kzfacts.engine.result import REPORT_VERSION as REPORT_VERSION
    from kzfacts.engine.result import AnchorProblem as AnchorProblem
    from kzfacts.engine.result import Assumed as Assumed
    from kzfacts.engine.result import Assumption as Assumption
    from kzfacts.engine.result import CheckedFacts as CheckedFacts
    from kzfacts.engine.result import Contradiction as Contradiction
    from kzfacts.engine.result import CoverageSummary as CoverageSummary
    from kzfacts.engine.result import DocumentFinding as DocumentFinding
    from kzfacts.engine.result import Edit as Edit
    from kzfacts.engine.result import FactUse as FactUse
    from kzfacts.engine.result import Localisation as Localisation
    from kzfacts.engine.result import Repair as Repair
    from kzfacts.engine.result import Report as Report
    from kzfacts.engine.result import Result as Result
    from kzfacts.engine.result import UncheckedFact as UncheckedFact
    from kzfacts.engine.result import Uncovered as Uncovered
    from kzfacts.errors import ArgumentError as ArgumentError
    from kzfacts.errors import DataError as DataError
    from kzfacts.errors import InvalidDataError as InvalidDataError
    from kzfacts.errors import KzfactsError as KzfactsError
    from kzfacts.errors import Location as Location
    from kzfacts.errors import ReadError as ReadError
    from kzfacts.errors import RuleCrashError as RuleCrashError
    from kzfacts.errors import UnitMismatchError as UnitMismatchError
    from kzfacts.errors import UnknownFactError as UnknownFactError
    from kzfacts.fields import Reported as Reported
    from kzfacts.fields import consistent as consistent
    from kzfacts.reports.report import render as render
    from kzfacts.reports.report import render_json as render_json
    from kzfacts.reports.report import render_markdown as render_markdown
    from kzfacts.reports.report import render_text as render_text
    from kzfacts.values.interval import Interval as Interval
    from kzfacts.values.numbers import Convention as Convention
    from kzfacts.values.numbers import DateValue as DateValue
    from kzfacts.values.numbers import NumberSpan as NumberSpan
    from kzfacts.values.numbers import Qualifier as Qualifier
    from kzfacts.values.numbers import RangeReading as RangeReading
    from kzfacts.values.numbers import Reading as Reading
    from kzfacts.values.numbers import find_numbers as find_numbers
    from kzfacts.values.numbers import read_date as read_date
    from kzfacts.values.numbers import read_number as read_number
    from kzfacts.values.numbers import read_range as read_range
    from kzfacts.values.units import UnitSystem as UnitSystem
    from kzfacts.values.units import unit_system as unit_system


def _public() -> dict[str, str]:
    """Each public name and its module: the imports above, read from this file.

    The one list serves mypy (which reads the imports) and the run time (which imports
    each name when first asked for), as ``lazy_loader.attach_stub`` does with a stub file.
    """
    with open(__file__, encoding="utf-8") as f:  # noqa: PTH123 - pathlib is not needed here
        tree = ast.parse(f.read())
    names = next(node for node in tree.body if isinstance(node, ast.If)).body
    return {alias.asname or alias.name: str(node.module)
            for node in names if isinstance(node, ast.ImportFrom) for alias in node.names}


_PUBLIC = _public()
__all__ = ["__version__", *_PUBLIC]  # noqa: PLE0604 - the imports above, read at run time

if not TYPE_CHECKING:  # to mypy, every public name is the import above
    def __getattr__(name: str) -> Any:
        module = _PUBLIC.get(name)
        if module is None:
            raise AttributeError(f"module 'kzfacts' has no attribute {name!r}")
        import importlib

        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return __all__
