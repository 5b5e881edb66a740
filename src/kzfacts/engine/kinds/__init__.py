"""The built-in rule kinds, imported here explicitly; third-party kinds come from the
``kzfacts.kinds`` entry-point group."""

from __future__ import annotations

from importlib.metadata import entry_points

from kzfacts.engine.compile import KINDS, RuleKind, rule_kind
from kzfacts.engine.kinds.arith import BoundKind, SeriesKind, SumKind
from kzfacts.engine.kinds.money import ConversionKind, MeanWithinKind
from kzfacts.engine.kinds.order import OrderKind, QuantifierKind
from kzfacts.engine.kinds.share import ShareKind

__all__ = ["BUILTIN_KINDS", "available_kinds"]

BUILTIN_KINDS: tuple[type[RuleKind], ...] = (
    SumKind, ShareKind, BoundKind, SeriesKind, ConversionKind, MeanWithinKind, OrderKind,
    QuantifierKind,
)

_loaded = False


def available_kinds() -> dict[str, type[RuleKind]]:
    """Every registered kind: the built-ins, then installed plugins (``kzfacts.kinds``)."""
    global _loaded  # noqa: PLW0603 - plugins are loaded once per process
    if not _loaded:
        for cls in BUILTIN_KINDS:
            rule_kind(cls)
        for ep in entry_points(group="kzfacts.kinds"):
            rule_kind(ep.load())
        _loaded = True
    return dict(KINDS)
