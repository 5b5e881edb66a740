"""The floor: the generated documents' checks written by hand in plain Python.

Each function checks one rule of the generator's template on plain dicts of facts, with
the same reading of precision as kzfacts (a percentage is rounded to its last digit, a
decimal rate too; counts and amounts written in full are exact), and exact arithmetic
(ints and Fractions). It knows the template, so it does no parsing, no dispatch on kinds,
no unit handling and writes no message: it is the least work that gives the verdicts.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

__all__ = ["check_paragraph", "failing"]

MCI = 3450
HALF = Fraction(1, 2)


def _rate_interval(text: str) -> tuple[Fraction, Fraction]:
    value = Fraction(text)
    step = Fraction(1, 10 ** len(text.split(".")[1]))
    return value - step / 2, value + step / 2


def check_paragraph(p: str, v: dict[str, Any]) -> dict[str, bool]:
    """Rule id → whether it holds, for the generated paragraph ``p`` with fact values ``v``."""
    ok: dict[str, bool] = {}
    series = True
    for y in (2020, 2021, 2022):
        holds = v[f"{p}.closed.y{y}"] <= v[f"{p}.registered.y{y}"]
        ok[f"{p}.closed-le-registered-{y}"] = holds
        series = series and holds
    ok[f"{p}.closed-series"] = series
    court, dismissed = v[f"{p}.court"], v[f"{p}.dismissed"]
    ok[f"{p}.cases-sum"] = court + dismissed + v[f"{p}.suspended"] == v[f"{p}.cases"]
    ok[f"{p}.court-le-cases"] = court <= v[f"{p}.cases"]
    ok[f"{p}.parts-ge-court"] = court + dismissed >= court
    part, whole, share = v[f"{p}.prison"], v[f"{p}.convicted"], v[f"{p}.prison_share"]
    ok[f"{p}.prison-share"] = share - HALF <= Fraction(100 * part, whole) < share + HALF
    # some whole count k of ``whole`` has a percentage that rounds to the share
    lo = -(-(share - HALF) * whole // 100)
    ok[f"{p}.prison-share-grim"] = lo * 100 < (share + HALF) * whole and lo <= whole
    ok[f"{p}.prison-most"] = 2 * part > whole
    ok[f"{p}.prison-le-convicted"] = part <= whole
    low, high = v[f"{p}.mci_low"], v[f"{p}.mci_high"]
    ok[f"{p}.low-conversion"] = low * MCI == v[f"{p}.kzt_low"]
    mean = Fraction(v[f"{p}.paid"], v[f"{p}.victims"])
    ok[f"{p}.mean-paid"] = low * MCI <= mean <= high * MCI
    ok[f"{p}.low-le-high"] = low < high
    r_lo, r_hi = _rate_interval(v[f"{p}.usd_rate"])
    usd = v[f"{p}.grant_usd"]
    ok[f"{p}.grant-conversion"] = usd * r_lo <= v[f"{p}.grant_kzt"] < usd * r_hi
    ok[f"{p}.adopted-before-force"] = v[f"{p}.adopted"] <= v[f"{p}.in_force"]
    term, (pmin, pmax) = v[f"{p}.term"], v[f"{p}.penalty"]
    ok[f"{p}.term-le-max"] = term <= pmax
    ok[f"{p}.term-ge-min"] = term >= pmin
    ok[f"{p}.min-le-max"] = pmin <= pmax
    return ok


def values(facts: list[dict[str, Any]]) -> dict[str, Any]:
    """Fact id → a plain comparable value (dates as ISO text, ranges as pairs)."""
    out: dict[str, Any] = {}
    for f in facts:
        value = f.get("value")
        if isinstance(value, dict):
            value = (value["min"], value["max"])
        out[f["id"]] = value
    return out


def failing(paragraphs: dict[str, dict[str, Any]]) -> set[str]:
    """The ids of the rules that do not hold, for paragraph prefix → fact values."""
    return {rule for p, v in paragraphs.items()
            for rule, holds in check_paragraph(p, v).items() if not holds}
