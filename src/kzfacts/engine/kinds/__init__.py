"""The built-in rule kinds, registered here explicitly; third-party kinds come from the
``kzfacts.kinds`` entry-point group (``name = "package.module:KindClass"``)."""

from __future__ import annotations

from importlib.metadata import entry_points

from kzfacts.engine.kind import KINDS, RuleKind, rule_kind
from kzfacts.engine.kinds.across import PerPeriodKind, RatesAgreeKind
from kzfacts.engine.kinds.arith import BoundKind, SeriesKind, SumKind
from kzfacts.engine.kinds.claim import ClaimKind
from kzfacts.engine.kinds.money import ConversionKind, MeanWithinKind
from kzfacts.engine.kinds.order import OrderKind, QuantifierKind
from kzfacts.engine.kinds.share import ShareKind
from kzfacts.errors import RuleCrashError

__all__ = ["BUILTIN_KINDS", "ENTRY_POINT_GROUP", "available_kinds"]

#: The rule kinds kzfacts comes with.
BUILTIN_KINDS: tuple[type[RuleKind], ...] = (
    SumKind, ShareKind, BoundKind, SeriesKind, ConversionKind, MeanWithinKind, OrderKind,
    QuantifierKind, ClaimKind, PerPeriodKind, RatesAgreeKind,
)

#: The entry-point group installed packages register their rule kinds in.
ENTRY_POINT_GROUP = "kzfacts.kinds"

_loaded = False


def available_kinds() -> dict[str, type[RuleKind]]:
    """Every registered kind by name: the built-ins, then the installed plugins' kinds.

    Raises:
        RuleCrashError: an installed plugin's entry point cannot be loaded, is not a rule
            kind, or takes a name another kind has: a bug in the installed code (exit 3),
            named by its entry point.
    """
    global _loaded  # noqa: PLW0603 - plugins are loaded once per process
    if not _loaded:
        for cls in BUILTIN_KINDS:
            rule_kind(cls)
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                rule_kind(ep.load())
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # whatever a plugin raises is its bug
                raise RuleCrashError(None, f"{ep.name} = {ep.value}", exc) from exc
        _loaded = True
    return dict(KINDS)
