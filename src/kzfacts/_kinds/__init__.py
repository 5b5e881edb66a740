"""The built-in rule kinds, imported here explicitly; third-party kinds come from the
``kzfacts.kinds`` entry-point group."""

from __future__ import annotations

from importlib.metadata import entry_points

from kzfacts._compile import KINDS, RuleKind, rule_kind
from kzfacts._kinds.arith import BoundKind, SeriesKind, SumKind
from kzfacts._kinds.money import ConversionKind, MeanWithinKind
from kzfacts._kinds.order import OrderKind, QuantifierKind
from kzfacts._kinds.share import ShareKind

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
