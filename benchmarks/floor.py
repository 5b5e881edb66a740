"""The floor: the verdicts of a generated document, computed by hand with the least work.

It reads the generator's truth (:class:`benchmarks.generate.Paragraph`: each fact as
written, each rule as a tuple) and decides every rule as kzfacts does (pass, warn only
when the figures are truncated, fail, skip on a period conflict), with integers only: a
number written as mantissa × 10**power is an interval whose ends are integers over a
common denominator, and every comparison is a cross-multiplication, as exact as
``Fraction`` without its normalising gcd. Whole numbers written in full skip intervals
altogether. It knows the generator's shapes, so it does no parsing, no unit handling, no
reference-table search beyond the entry in force, and writes no message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from benchmarks.motifs import MCI, USD, Num, Paragraph

__all__ = ["Truth", "truth", "verdicts"]

#: An interval: (low, high, denominator, low closed, high closed); None is an open infinity.
Iv = tuple[int | None, int | None, int, bool, bool]
#: One document: fact id → value as written; the rules; table → [(from day, rate)].
Truth = tuple[dict[str, Any], list[tuple[Any, ...]], dict[str, list[tuple[int, Num]]]]

_EXACT = ""


def _tables() -> dict[str, list[tuple[int, Num]]]:
    return {
        "mci": [(dt.date(y, 1, 1).toordinal(), (v, 0, False, _EXACT, None, False))
                for y, v in MCI.items()],
        "usd": [(dt.date(y, 1, 1).toordinal(), (v, -1, True, _EXACT, None, False))
                for y, v in USD.items()],
    }


def truth(paragraphs: Iterable[Paragraph]) -> Truth:
    """The floor's input for one document (built outside any timing)."""
    facts: dict[str, Any] = {}
    checks: list[tuple[Any, ...]] = []
    for p in paragraphs:
        facts.update(p.plain)
        checks.extend(p.checks)
    return facts, checks, _tables()


# -- intervals in integers ---------------------------------------------------------------

def _iv(w: Num, trunc: bool) -> Iv:  # noqa: FBT001
    """The values a written number admits, rounded (or truncated when ``trunc``)."""
    m, e, rounded, q = w[0], w[1], w[2], w[3]
    if e >= 0:
        v, half, d = 2 * m * 10**e, 10**e, 2
    else:
        v, half, d = 2 * m, 1, 2 * 10**-e
    if q:
        if q == ">":
            return v, None, d, False, False
        if q == ">=":
            return v, None, d, True, False
        if q == "<=":
            return 0, v, d, True, True
        if q == "<":
            return 0, v, d, True, False
        # about: the reading's interval widened to ±10 %
        lo, hi = (10 * v, 10 * (v + 2 * half)) if trunc else (10 * max(v - half, 0), 10 * (v + half))
        a, b = 9 * v, 11 * v
        return min(lo, a), max(hi, b), 10 * d, True, b >= hi
    if not rounded:
        return v, v, d, True, True
    if trunc:
        return v, v + 2 * half, d, True, False
    return max(v - half, 0), v + half, d, True, False


def _point(w: Num) -> int | None:
    """The value of a whole number written in full, else None."""
    if w[2] or w[3] or w[1] < 0:
        return None
    return w[0] * 10 ** w[1] if w[1] else w[0]


def _add(x: Iv, y: Iv) -> Iv:
    if x[2] == y[2]:
        lo = None if x[0] is None or y[0] is None else x[0] + y[0]
        hi = None if x[1] is None or y[1] is None else x[1] + y[1]
        d = x[2]
    else:
        lo = None if x[0] is None or y[0] is None else x[0] * y[2] + y[0] * x[2]
        hi = None if x[1] is None or y[1] is None else x[1] * y[2] + y[1] * x[2]
        d = x[2] * y[2]
    return lo, hi, d, lo is not None and x[3] and y[3], hi is not None and x[4] and y[4]


def _le(a: Iv, b: Iv, strict: bool) -> bool:  # noqa: FBT001
    """Some x in a and y in b with x <= y (x < y if strict)."""
    if a[0] is None or b[1] is None:
        return True
    x, y = a[0] * b[2], b[1] * a[2]
    return x < y or (x == y and not strict and a[3] and b[4])


def _meets(a: Iv, b: Iv) -> bool:
    return _le(a, b, False) and _le(b, a, False)


def _mul(x: Iv, y: Iv) -> Iv:
    """The product of two non-negative intervals."""
    if x[1] == 0 or y[1] == 0:
        return 0, 0, 1, True, True
    assert x[0] is not None and y[0] is not None
    lo = x[0] * y[0]
    lc = (x[3] and y[3]) or (x[0] == 0 and x[3]) or (y[0] == 0 and y[3])
    hi = None if x[1] is None or y[1] is None else x[1] * y[1]
    return lo, hi, x[2] * y[2], lc, hi is not None and x[4] and y[4]


def _recip(x: Iv) -> Iv:
    """1/x for a bounded positive interval."""
    lo, hi, d = x[0], x[1], x[2]
    assert lo is not None and hi is not None and lo > 0
    return d * lo, d * hi, hi * lo, x[4], x[3]


def _hull(x: Iv, y: Iv) -> Iv:
    assert x[0] is not None and x[1] is not None and y[0] is not None and y[1] is not None
    xl, yl, xh, yh = x[0] * y[2], y[0] * x[2], x[1] * y[2], y[1] * x[2]
    lo, lc = (xl, x[3]) if xl < yl else (yl, y[3]) if yl < xl else (xl, x[3] or y[3])
    hi, hc = (xh, x[4]) if xh > yh else (yh, y[4]) if yh > xh else (xh, x[4] or y[4])
    return lo, hi, x[2] * y[2], lc, hc


def _holds(rel: str, a: Iv, b: Iv) -> bool:
    if rel == "le":
        return _le(a, b, False)
    if rel == "eq":
        return _meets(a, b)
    if rel == "lt":
        return _le(a, b, True)
    if rel == "ge":
        return _le(b, a, False)
    return _le(b, a, True)


_INT = {"eq": int.__eq__, "le": int.__le__, "lt": int.__lt__, "ge": int.__ge__,
        "gt": int.__gt__}


# -- the kinds ------------------------------------------------------------------------------

def _get(facts: dict[str, Any], ref: Any) -> Num:
    if type(ref) is tuple:
        return ref
    if "@" in ref:
        fid, end = ref.split("@")
        lo, hi = facts[fid]
        return (lo if end == "min" else hi), 0, False, _EXACT, None, False
    w: Num = facts[ref]
    return w


def _linear(facts: dict[str, Any], left: tuple[Any, ...], rel: str,
            right: tuple[Any, ...]) -> str:
    ls = [_get(facts, r) for r in left]
    rs = [_get(facts, r) for r in right]
    if (any(w[5] for w in ls) or any(w[5] for w in rs)) and len(
            {w[4] for w in (*ls, *rs) if w[4] is not None}) > 1:
        return "skip"  # a part-year figure against another period
    lv = rv = 0
    for w in ls:
        p = _point(w)
        if p is None:
            break
        lv += p
    else:
        for w in rs:
            p = _point(w)
            if p is None:
                break
            rv += p
        else:
            return "pass" if _INT[rel](lv, rv) else "fail"
    for trunc, verdict in ((False, "pass"), (True, "warn")):
        a = _iv(ls[0], trunc)
        for w in ls[1:]:
            a = _add(a, _iv(w, trunc))
        b = _iv(rs[0], trunc)
        for w in rs[1:]:
            b = _add(b, _iv(w, trunc))
        if _holds(rel, a, b):
            return verdict
    return "fail"


_RANK = {"fail": 0, "warn": 1, "pass": 2, "skip": 3}


def _series(facts: dict[str, Any], left: tuple[str, ...],  # noqa: PLR0917 - a rule tuple
            rel: str, right: tuple[str, ...],
            first: int, last: int) -> str:
    worst = "skip"
    for year in range(first, last + 1):
        y = str(year)
        v = _linear(facts, tuple(t.replace("{year}", y) for t in left), rel,
                    tuple(t.replace("{year}", y) for t in right))
        if _RANK[v] < _RANK[worst]:
            worst = v
    return worst


def _in(s: Iv, num: int, den: int) -> bool:
    """num/den (den > 0) inside s."""
    lo, hi, d = s[0], s[1], s[2]
    x = num * d
    if lo is not None and (lo * den > x or (lo * den == x and not s[3])):
        return False
    return not (hi is not None and (x > hi * den or (x == hi * den and not s[4])))


def _share(facts: dict[str, Any], share: str, part: str | None, whole: str) -> str:
    s, w = facts[share], facts[whole]
    if part is None:
        n = _point(w)
        if n is None or n <= 0:
            return "skip"
        for trunc, verdict in ((False, "pass"), (True, "warn")):
            lo, hi, d, lc, hc = _iv(s, trunc)
            first, last = 0, n
            if lo is not None:
                a, b = lo * n, d * 100
                k = -(-a // b)
                first = max(first, k + 1 if k * b == a and not lc else k)
            if hi is not None:
                a, b = hi * n, d * 100
                k = a // b
                last = min(last, k - 1 if k * b == a and not hc else k)
            if first <= last:
                return verdict
        return "fail"
    pw = facts[part]
    p, n = _point(pw), _point(w)
    if p is not None and n is not None and n > 0:
        if _in(_iv(s, False), 100 * p, n):
            return "pass"
        return "warn" if _in(_iv(s, True), 100 * p, n) else "fail"
    wt = _iv(w, True)
    if wt[0] is not None and wt[0] <= 0:
        return "skip"
    for trunc, verdict in ((False, "pass"), (True, "warn")):
        pl, ph, pd, plc, phc = _iv(pw, trunc)
        wl, wh, wd, wlc, whc = _iv(w, trunc)
        assert pl is not None and wl is not None and wh is not None
        ratio: Iv = (100 * pl * wd * wl, None if ph is None else 100 * ph * wd * wh, pd * wh * wl,
                     (plc and whc) or (pl == 0 and plc), ph is not None and phc and wlc)
        if _meets(ratio, _iv(s, trunc)):
            return verdict
    return "fail"


def _rate(facts: dict[str, Any], tables: dict[str, list[tuple[int, Num]]],
          source: tuple[Any, ...]) -> Num:
    if source[0] == "fact":
        w: Num = facts[source[1]]
        return w
    entries, day = tables[source[1]], source[2]
    return max((e for e in entries if e[0] <= day), key=lambda e: e[0])[1]


def _conversion(facts: dict[str, Any],  # noqa: PLR0917 - the rule tuple's fields, in order
                tables: dict[str, list[tuple[int, Num]]], amount: Any,
                result: str, source: tuple[Any, ...], multiply: bool,  # noqa: FBT001
                tolerance: tuple[int, int] | None) -> str:
    aw, vw = _get(facts, amount), facts[result]
    rw = _rate(facts, tables, source)
    a, v = _point(aw), _point(vw)
    if not (multiply and a is not None and v is not None and a > 0):
        def computed(trunc: bool) -> Iv:  # noqa: FBT001
            r = _iv(rw, trunc)
            return _mul(_iv(aw, trunc), r if multiply else _recip(r))

        if _meets(computed(False), _iv(vw, False)):
            return "pass"
        if _meets(computed(True), _iv(vw, True)):
            return "warn"
    elif _in(_iv(rw, False), v, a):
        return "pass"
    elif _in(_iv(rw, True), v, a):
        return "warn"
    if tolerance is not None:
        r = _iv(rw, False)
        lo, hi, d, lc, hc = _mul(_iv(aw, False), r if multiply else _recip(r))
        tn, td = tolerance
        wide: Iv = (None if lo is None else lo * (td - tn), None if hi is None else hi * (td + tn),
                    d * td, lc, hc)
        if _meets(wide, _iv(vw, False)):
            return "warn"
    return "fail"


def _mean(facts: dict[str, Any],  # noqa: PLR0917 - the rule tuple's fields, in order
          tables: dict[str, list[tuple[int, Num]]], total: str,
          count: str, low: str, high: str, source: tuple[Any, ...] | None,
          multiply: bool) -> str:  # noqa: FBT001
    tw, cw, lw, hw = facts[total], facts[count], facts[low], facts[high]
    rw = None if source is None else _rate(facts, tables, source)
    t, n, lo, hi = _point(tw), _point(cw), _point(lw), _point(hw)
    r = 1 if rw is None else _point(rw)
    if t is not None and n is not None and lo is not None and hi is not None and r and n > 0:
        lo, hi = min(lo, hi), max(lo, hi)
        if multiply:
            return "pass" if n * lo * r <= t <= n * hi * r else "fail"
        return "pass" if n * lo <= t * r <= n * hi else "fail"
    for trunc, verdict in ((False, "pass"), (True, "warn")):
        mean = _mul(_iv(tw, trunc), _recip(_iv(cw, trunc)))
        bounds = _hull(_iv(lw, trunc), _iv(hw, trunc))
        if rw is not None:
            rv = _iv(rw, trunc)
            bounds = _mul(bounds, rv if multiply else _recip(rv))
        if _meets(mean, bounds):
            return verdict
    return "fail"


def _order(facts: dict[str, Any], seq: tuple[str, ...], strict: bool) -> str:  # noqa: FBT001
    first = seq[0]
    if "@" not in first and len(facts[first]) == 2:  # dates: (first day, last day)
        days = [facts[r] for r in seq]
        for a, b in pairwise(days):
            if not (a[0] < b[1] or (a[0] == b[1] and not strict)):
                return "fail"
        return "pass"
    items = [_iv(_get(facts, r), False) for r in seq]
    for a, b in pairwise(items):
        if not _le(a, b, strict):
            return "fail"
    return "pass"


def _quantifier(facts: dict[str, Any], part: str, whole: str, q: str) -> str:
    p, n = _point(facts[part]), _point(facts[whole])
    assert p is not None and n is not None and n > 0  # the generator writes whole counts
    held = 2 * p > n if q in ("most", "more_than_half", "majority") else 2 * p >= n
    return "pass" if held else "fail"


def verdicts(doc: Truth) -> dict[str, str]:
    """Rule id → "pass", "warn", "fail" or "skip", for one document's truth."""
    facts, checks, tables = doc
    out: dict[str, str] = {}
    for check in checks:
        kind = check[0]
        if kind == "sum":
            out[check[1]] = _linear(facts, check[2], check[3], (check[4],))
        elif kind == "bound":
            out[check[1]] = _linear(facts, check[2], check[3], check[4])
        elif kind == "share":
            out[check[1]] = _share(facts, check[2], check[3], check[4])
        elif kind == "series":
            out[check[1]] = _series(facts, *check[2:])
        elif kind == "conversion":
            out[check[1]] = _conversion(facts, tables, *check[2:])
        elif kind == "mean_within":
            out[check[1]] = _mean(facts, tables, *check[2:])
        elif kind == "order":
            out[check[1]] = _order(facts, check[2], check[3])
        else:
            out[check[1]] = _quantifier(facts, check[2], check[3], check[4])
    return out
