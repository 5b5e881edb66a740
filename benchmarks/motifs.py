"""The motifs the generator builds paragraphs from, and the paragraph they fill.

A motif is a small group of facts and rules the way the real fact bases write them:
outcomes registered by year under series rules, a total split into parts with their
percentages (sum, share, GRIM, quantifier), compensation in index units converted at a
dated rate and paid per victim (conversion, mean_within), amounts in scaled words
converted between currencies, dates and penalty ranges in order, bounds. Each writes its
sentences, its facts (quoting the sentences, so anchoring and coverage hold), its rules,
and their truth for the floor; each can plant a finding (a rule that fails, warns only
when figures are truncated, or is skipped for a part-year period).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

__all__ = ["MCI", "USD", "Num", "Paragraph", "Retry", "bound", "compensation", "conversion",
           "filler_fact", "grim", "order", "partition", "quantifier", "series",
           "series_against_total"]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WORDS = ("amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "heron", "iris",
         "juniper", "kestrel", "linden", "maple", "north", "olive", "pine", "quartz", "raven",
         "sage", "tundra", "umber", "violet", "willow", "yarrow", "zephyr")
FILLER = ("The committee reviewed the measures taken by the {tag} authorities",
          "Training was held for the staff of the {tag} institutions",
          "The {tag} office published guidance on the procedure",
          "Complaints were examined by the prosecutor of the {tag} region",
          "Monitoring visits covered the facilities of the {tag} district")
#: The monthly index in tenge, in force from 1 January of each year (a reference table).
MCI = {2015: 1982, 2016: 2121, 2017: 2269, 2018: 2405, 2019: 2525, 2020: 2651, 2021: 2917,
       2022: 3063, 2023: 3450, 2024: 3692}
#: Tenge per US dollar, an annual value written to a tenth (a reference table).
USD = {2015: 2219, 2016: 3420, 2017: 3262, 2018: 3445, 2019: 3829, 2020: 4126, 2021: 4257,
       2022: 4606, 2023: 4562, 2024: 4698}
YEARS = range(2015, 2025)

# -- the truth, as the floor reads it --------------------------------------------------------
#: A number as written: (mantissa, power of ten, rounded, qualifier, period, partial).
#: The value is mantissa × 10**power; ``rounded`` is False for a number written in full;
#: the qualifier is "" or one of ">", ">=", "<=", "<", "~"; the period tells whether two
#: facts cover the same time, and ``partial`` marks one covering only part of a year.
Num = tuple[int, int, bool, str, str | None, bool]
_QUALIFIERS = {"more_than": ">", "at_least": ">=", "up_to": "<=", "less_than": "<",
               "about": "~"}


def _num(m: int, e: int = 0, *, rounded: bool = False, qualifier: str = "exact",
         period: str | None = None, partial: bool = False) -> Num:
    return (m, e, rounded, _QUALIFIERS.get(qualifier, ""), period, partial)


@dataclass
class Paragraph:
    """One generated paragraph: its text, its facts and rules (as written to YAML), and
    their truth for the floor (``plain``: fact id → value; ``checks``: rule tuples)."""

    number: int
    text: str = ""
    facts: list[dict[str, Any]] = field(default_factory=list)
    rules: list[dict[str, Any]] = field(default_factory=list)
    plain: dict[str, Any] = field(default_factory=dict)
    checks: list[tuple[Any, ...]] = field(default_factory=list)
    classes: dict[str, str] = field(default_factory=dict)  # fact id → operand class


class Retry(Exception):  # noqa: N818 - a control signal, not an error
    """Drawn numbers made a quote ambiguous: draw again."""


def _g(n: int) -> str:
    return f"{n:,}"


def _scaled(m: int, e: int) -> str:
    """"54.5 million", "748 million", "117 thousand", "33 million 545 thousand"."""
    if e == 5:
        return f"{m // 10}.{m % 10} million"
    if e == 6:
        return f"{m} million"
    if m >= 1000:
        return f"{m // 1000} million {m % 1000} thousand"
    return f"{m} thousand"


def _pct(m: int, e: int) -> str:
    return f"{m}%" if e == 0 else f"{m // 10}.{m % 10}%"


def _value(m: int, e: int) -> int | str:
    return m * 10**e if e >= 0 else str(Decimal(m).scaleb(e))


def _date_text(y: int, m: int | None, d: int | None) -> tuple[str, str, dt.date, dt.date]:
    """(written, ISO value, first day, last day) of a date known to the day, month or year."""
    if m is None:
        return str(y), str(y), dt.date(y, 1, 1), dt.date(y, 12, 31)
    if d is None:
        last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))
        return f"{MONTHS[m - 1]} {y}", f"{y}-{m:02d}", dt.date(y, m, 1), last
    day = dt.date(y, m, d)
    return f"{MONTHS[m - 1]} {d}, {y}", day.isoformat(), day, day


class Builder:
    """Collects one paragraph's sentences, facts, rules and truth."""

    def __init__(self, number: int, rng: random.Random) -> None:
        self.para = Paragraph(number)
        self.rng = rng
        self.p = f"p{number}"
        self.tag = f"{WORDS[number % len(WORDS)]} {WORDS[(number // len(WORDS)) % len(WORDS)]}"
        self.sentences: list[str] = []
        self.quotes: list[tuple[str, str]] = []  # (quote, written), checked when done

    def say(self, sentence: str) -> None:
        self.sentences.append(sentence)

    def _fact(self, name: str, kind: str, quote: str, cls: str, plain: Any, *,
              value: Any = None, unit: str | None = None, written: str | None = None,
              period: Any = None, qualifier: str | None = None) -> str:
        fid = f"{self.p}.{name}"
        rec: dict[str, Any] = {"id": fid, "kind": kind}
        if value is not None:
            rec["value"] = value
        if unit is not None:
            rec["unit"] = unit
        rec["subject"] = f"{name.replace('_', ' ').replace('.', ' ')} in the {self.tag} district"
        rec["period"] = period
        if qualifier is not None:
            rec["qualifier"] = qualifier
        rec["quote"] = quote
        if written is not None:
            rec["written"] = written
        self.para.facts.append(rec)
        self.para.plain[fid] = plain
        self.para.classes[fid] = cls
        self.quotes.append((quote, written or quote))
        return fid

    def number(self, name: str, kind: str, unit: str, quote: str,  # noqa: PLR0917 - as written
               written: str, m: int,
               e: int = 0, *, rounded: bool = False, qualifier: str = "exact",
               year: int | None = None, partial: bool = False) -> str:
        """A numeric fact; its class follows from how it is written."""
        if qualifier != "exact":
            cls = "qualified"
        elif kind == "share":
            cls = "percent" if e == 0 else "decimal"
        elif e < 0:
            cls = "decimal"
        else:
            cls = "scaled" if e > 0 else "whole"
        period: Any = year
        if partial:
            period = {"year": year, "partial": True, "why": "counted to April"}
        key = None if year is None else f"{year}{'p' if partial else ''}"
        return self._fact(name, kind, quote, cls,
                          _num(m, e, rounded=rounded, qualifier=qualifier, period=key,
                               partial=partial),
                          value=_value(m, e), unit=unit, written=written, period=period,
                          qualifier=qualifier)

    def count(self, name: str, unit: str, quote: str, n: int, *, year: int | None = None,
              partial: bool = False, written: str | None = None) -> str:
        return self.number(name, "count", unit, quote, written or _g(n), n, year=year,
                           partial=partial)

    def date(self, name: str, quote: str, y: int, m: int | None = None,
             d: int | None = None) -> str:
        written, iso, first, last = _date_text(y, m, d)
        return self._fact(name, "date", quote, "date", (first.toordinal(), last.toordinal()),
                          value=iso, written=written, qualifier="exact")

    def range(self, name: str, quote: str, written: str, lo: int, hi: int) -> str:
        return self._fact(name, "range", quote, "range", (lo, hi), value={"min": lo, "max": hi},
                          unit="year", written=written, qualifier="exact")

    def statement(self, name: str, quote: str) -> str:
        return self._fact(name, "statement", quote, "statement", None)

    def rule(self, name: str, kind: str, check: tuple[Any, ...], *,
             severity: str = "error", **fields: Any) -> None:
        rid = f"{self.p}.{name}"
        self.para.rules.append({"id": rid, "kind": kind, "title": f"{name} ({self.tag})",
                                "severity": severity, "paragraphs": [self.para.number],
                                "why": "generated", **fields})
        self.para.checks.append((kind, rid, *check))

    def done(self) -> Paragraph:
        text = " ".join(self.sentences)
        for quote, written in self.quotes:
            if _occurrences(quote, text) != 1 or _occurrences(written, quote) != 1:
                raise Retry
        self.para.text = text
        return self.para


def _occurrences(needle: str, hay: str) -> int:
    """How often ``needle`` occurs in ``hay`` between word boundaries (``\\b`` as a regex
    would see them, without compiling one per quote)."""
    count, end = 0, len(needle)
    i = hay.find(needle)
    while i >= 0:
        before = hay[i - 1] if i else " "
        after = hay[i + end] if i + end < len(hay) else " "
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            count += 1
        i = hay.find(needle, i + 1)
    return count


def _fid(b: Builder, name: str) -> str:
    return f"{b.p}.{name}"


# -- motifs: groups of facts and rules as real documents write them ---------------------------
# Each takes the builder, its parameters and ``inject`` ("", "fail", "warn" or "skip"): the
# finding to plant, if the motif can.

_NOUNS = (("case", "cases"), ("person", "persons"), ("crime", "crimes"), ("victim", "victims"))
_VERBS = ("sent to court", "dismissed", "suspended", "merged", "returned")


def series(b: Builder, *, years: int, n: int, inject: str) -> None:
    """Counts by year (registered, discontinued, sent to court), each year compared."""
    rng = b.rng
    first = rng.randrange(2015, 2025 - years + 1)
    span = range(first, first + years)
    names = ("registered", "discontinued", "to_court")[:max(2, n)]
    if n == 1:
        names = ("registered", "to_court")
    broken = rng.choice(span) if inject == "fail" else None
    values: dict[str, list[int]] = {k: [] for k in names}
    for y in span:
        reg = rng.randrange(300, 999)
        court = rng.randrange(5, 40)
        if n == 1:
            values["registered"].append(reg)
            values["to_court"].append(reg + rng.randrange(1, 9) if y == broken else court)
            continue
        disc = rng.randrange(reg // 2, reg - court)
        if y == broken:  # discontinued and sent to court together exceed registered
            disc = reg - court + rng.randrange(1, 9)
        values["registered"].append(reg)
        values["discontinued"].append(disc)
        values["to_court"].append(court)
    heads = {"registered": "Registered", "discontinued": "Discontinued on rehabilitating "
             "grounds", "to_court": "Sent to court"}
    for name in names:
        b.say(f"{heads[name]}: " + ", ".join(
            f"{y} – {v}" for y, v in zip(span, values[name], strict=True)) + ".")
        for y, v in zip(span, values[name], strict=True):
            b.count(f"{name}.y{y}", "case", f"{y} – {v}", v, year=y, written=str(v))
    years_field = [span[0], span[-1]]
    reg_t = f"{b.p}.registered.y{{year}}"
    court_t = f"{b.p}.to_court.y{{year}}"
    b.rule("court-le-registered", "series", ((court_t,), "le", (reg_t,), span[0], span[-1]),
           left=court_t, relation="le", right=reg_t, years=years_field)
    if n == 3:
        disc_t = f"{b.p}.discontinued.y{{year}}"
        b.rule("discontinued-le-registered", "series", ((disc_t,), "le", (reg_t,), span[0], span[-1]),
               left=disc_t, relation="le", right=reg_t, years=years_field)
        b.rule("outcomes-le-registered", "series",
               ((disc_t, court_t), "le", (reg_t,), span[0], span[-1]), severity="warning",
               left=[disc_t, court_t], relation="le", right=reg_t, years=years_field)


def series_against_total(b: Builder, *, years: int, inject: str) -> None:
    """Yearly costs in scaled words, each at most an annual total given as "about"."""
    rng = b.rng
    first = rng.randrange(2015, 2025 - years + 1)
    annual = rng.randrange(2, 9) * 100
    b.say(f"Donations to the {b.tag} fund came to about {annual} million tenge a year.")
    b.number("annual", "money", "KZT", f"came to about {annual} million tenge",
             f"about {annual} million tenge", annual, 6, rounded=True, qualifier="about")
    parts = []
    broken = rng.randrange(years) if inject == "fail" else None
    for i, y in enumerate(range(first, first + years)):
        m = rng.randrange(100, annual * 10) if i != broken else annual * 12 + rng.randrange(1, 9)
        if m % 10 == 0:
            m += 1
        parts.append(f"in {y}, {_scaled(m, 5)} tenge")
        b.number(f"admin.y{y}", "money", "KZT", f"in {y}, {_scaled(m, 5)} tenge",
                 f"{_scaled(m, 5)} tenge", m, 5, rounded=True, year=y)
    b.say("Its administration cost " + "; ".join(parts) + ".")
    left, right = f"{b.p}.admin.y{{year}}", _fid(b, "annual")
    b.rule("admin-le-donations", "series", ((left,), "le", (right,), first, first + years - 1),
           left=left, relation="le", right=right, years=[first, first + years - 1])


def partition(b: Builder, *, parts: int, variant: str, inject: str) -> None:
    """A total and its parts; per variant their percentages, GRIM, a bound, a quantifier.

    Variants: ``plain`` (the sum), ``bound`` (and a part at most the total), ``shares``
    (each part's percentage, the last to a tenth, and the percentages summing to 100),
    ``grim`` (shares, and two GRIM tests), ``qualified`` (an "including" list under a total
    of "more than"), ``quantifier`` (two shares, a GRIM test and "most").
    """
    rng = b.rng
    one, many = rng.choice(_NOUNS)
    values = [rng.randrange(40, 900) for _ in range(parts)]
    if variant == "quantifier":  # the first part is most of the total
        values[0] = sum(values[1:]) + rng.randrange(10, 300)
    total = sum(values)
    if variant == "qualified":
        total = max(100, (total - rng.randrange(1, total // 3)) // 100 * 100)
        words = ", ".join(f"{v:,} {_VERBS[i]}" for i, v in enumerate(values))
        b.say(f"More than {total:,} {many} were registered in the {b.tag} district, "
              f"including {words}.")
        b.number("total", "count", one, f"More than {total:,} {many}", f"More than {total:,}",
                 total, qualifier="more_than")
        ids = [b.count(f"part{i}", one, f"{v:,} {_VERBS[i]}", v) for i, v in enumerate(values)]
        b.rule("parts-sum", "sum", (tuple(ids), "le", _fid(b, "total")), parts=ids,
               relation="le", total=_fid(b, "total"))
        return
    if inject == "fail":
        total += rng.choice((-3, 3, 10))
    shared = {"shares": parts, "grim": parts, "quantifier": 2}.get(variant, 0)
    shares: list[tuple[int, int] | None] = []
    for i, v in enumerate(values):
        if i >= shared:
            shares.append(None)
            continue
        e = -1 if (i == shared - 1 and variant in ("shares", "grim")) else 0
        ratio = Decimal(100 * v * 10**-e) / Decimal(total)  # in units of the last digit
        m = int(ratio.to_integral_value(rounding="ROUND_HALF_UP"))
        if inject == "warn" and i == 0:
            if ratio - int(ratio) < Decimal("0.5"):
                raise Retry  # truncating would not differ from rounding: draw again
            m = int(ratio)  # truncated, not rounded
        shares.append((m, e))
    clauses = []
    for i, v in enumerate(values):
        s = shares[i]
        clauses.append(f"{v:,} ({_pct(*s)}) were {_VERBS[i]}" if s else f"{v:,} were {_VERBS[i]}")
    b.say(f"Of the {total:,} {many} in the {b.tag} district, " + ", ".join(clauses[:-1])
          + f" and {clauses[-1]}.")
    whole = b.count("total", one, f"Of the {total:,} {many}", total)
    ids = []
    for i, v in enumerate(values):
        ids.append(b.count(f"part{i}", one, clauses[i], v, written=f"{v:,}"))
        s = shares[i]
        if s:
            b.number(f"part{i}.share", "share", "percent", clauses[i], _pct(*s), s[0], s[1],
                     rounded=True)
    b.rule("parts-sum", "sum", (tuple(ids), "eq", whole), parts=ids, total=whole)
    share_ids = [f"{ids[i]}.share" for i in range(parts) if shares[i]]
    for i, sid in enumerate(share_ids):
        b.rule(f"share{i}", "share", (sid, ids[i], whole), share=sid, part=ids[i], whole=whole)
    if variant in ("grim", "quantifier"):
        for i, sid in enumerate(share_ids[:2 if variant == "grim" else 1]):
            b.rule(f"share{i}-grim", "share", (sid, None, whole), share=sid, whole=whole)
    if variant in ("shares", "grim"):
        hundred = _num(100)
        b.rule("shares-sum", "sum", (tuple(share_ids), "eq", hundred), severity="warning",
               parts=share_ids, total="100 percent")
    if variant == "bound":
        b.rule("part-le-total", "bound", ((ids[0],), "le", (whole,)), left=ids[0],
               relation="le", right=whole)
    if variant == "quantifier":
        claim = b.statement("most", f"Most of the {many} were {_VERBS[0]}")
        b.say(f"Most of the {many} were {_VERBS[0]}.")
        b.rule("most", "quantifier", (ids[0], whole, "most"), part=ids[0], whole=whole,
               quantifier="most", claim=claim)


def grim(b: Builder, *, shares: int, inject: str) -> None:
    """Percentages of a small whole (GRIM tests) and, with several, their sum under 100%."""
    rng = b.rng
    members = rng.randrange(20, 99)
    counts = [rng.randrange(1, members // shares) for _ in range(shares)]
    pcts = [round(Decimal(100 * k) / members) for k in counts]
    if inject == "fail":  # a percentage no whole count of the members gives
        bad = [p for p in range(1, 100) if not any(
            Decimal(2 * p - 1) / 200 * members <= k < Decimal(2 * p + 1) / 200 * members
            for k in range(members + 1))]
        if not bad:
            raise Retry
        pcts[0] = rng.choice(bad)
    roles = ("lawyers", "doctors", "psychologists", "teachers", "defenders")
    b.say(f"The {b.tag} group has {members} members: " + ", ".join(
        f"{roles[i]} make up {p}%" for i, p in enumerate(pcts)) + ".")
    whole = b.count("members", "member", f"has {members} members", members, written=str(members))
    sids = []
    for i, p in enumerate(pcts):
        sid = b.number(f"share{i}", "share", "percent", f"{roles[i]} make up {p}%", f"{p}%", p,
                       rounded=True)
        sids.append(sid)
        b.rule(f"share{i}-grim", "share", (sid, None, whole), share=sid, whole=whole)
    if shares > 1:
        b.rule("shares-le-100", "sum", (tuple(sids), "le", _num(100)), severity="warning",
               parts=sids, relation="le", total="100 percent")


def compensation(b: Builder, *, conversions: int, means: int, inject: str) -> None:
    """Compensation categories in MCI and tenge (conversion at the index in force on a
    date), and what was paid per victim, year by year (mean_within at each year's index)."""
    rng = b.rng
    year = rng.choice(list(YEARS))
    cats = sorted(rng.sample(range(10, 90), 3))
    broken = rng.randrange(conversions + means) if inject == "fail" else -1
    if conversions:
        parts = []
        for i, c in enumerate(cats[:conversions]):
            kzt = c * MCI[year] + (rng.randrange(1, 500) if broken == i else 0)
            parts.append((c, kzt))
        b.say(f"From {year}, victims receive " + ", ".join(
            f"{c} MCI ({kzt:,} tenge)" for c, kzt in parts) + ".")
        for i, (c, kzt) in enumerate(parts):
            mci = b.number(f"cat{i}.mci", "index", "MCI", f"{c} MCI ({kzt:,} tenge)", f"{c} MCI", c)
            res = b.number(f"cat{i}.kzt", "money", "KZT", f"{c} MCI ({kzt:,} tenge)",
                           f"{kzt:,} tenge", kzt)
            on = dt.date(year, 3, 1)
            b.rule(f"cat{i}-conversion", "conversion",
                   (mci, res, ("table", "mci", on.toordinal()), True, None),
                   amount=mci, result=res, rate={"table": "mci", "on": on.isoformat()})
    if not means:
        return
    lo, hi = cats[0], cats[-1]
    b.say(f"Compensation ranges from {lo} to {hi} monthly indices per victim.")
    low = b.number("low", "index", "MCI", f"from {lo} to", f"{lo}", lo)
    high = b.number("high", "index", "MCI", f"to {hi} monthly", f"{hi}", hi)
    first = rng.randrange(2015, 2025 - means + 1)
    for j, y in enumerate(range(first, first + means)):
        victims = rng.randrange(150, 4000)
        per = rng.randrange(lo * MCI[y], hi * MCI[y])
        if broken == conversions + j:
            per = hi * MCI[y] * 3 // 2
        m = victims * per // 1000
        if m % 1000 == 0:
            m += 1
        paid = b.number(f"paid.y{y}", "money", "KZT",
                        f"In {y}, {_scaled(m, 3)} tenge was paid", f"{_scaled(m, 3)} tenge", m,
                        3, rounded=True, year=y)
        count = b.count(f"victims.y{y}", "victim", f"to {victims:,} victims in {y}", victims,
                        year=y)
        b.say(f"In {y}, {_scaled(m, 3)} tenge was paid to {victims:,} victims in {y}.")
        b.rule(f"mean-paid-{y}", "mean_within",
               (paid, count, low, high, ("table", "mci", dt.date(y, 1, 1).toordinal()), True),
               total=paid, count=count, low=low, high=high, rate={"table": "mci", "year": y})


def conversion(b: Builder, *, variant: str, inject: str) -> None:
    """Money converted between currencies. Variants: ``scaled`` (tenge in scaled words to
    dollars at the year's reference rate, written to a tenth), ``tolerance`` (the same
    with a 5% tolerance), ``rate`` (dollars in full times a rate the text states),
    ``range`` (the top of a range of index units times the index the text states)."""
    rng = b.rng
    year = rng.choice(list(YEARS))
    if variant in ("scaled", "tolerance"):
        kzt_m = rng.randrange(100, 9000)
        if kzt_m % 10 == 0:
            kzt_m += 1
        usd_true = Decimal(kzt_m * 10**5) / (Decimal(USD[year]) / 10)
        usd_m = int((usd_true / 1000).to_integral_value(rounding="ROUND_HALF_UP"))
        if variant == "tolerance":  # a few percent off: within the tolerance only
            usd_m = usd_m * 103 // 100 + 1
        if inject == "fail":
            usd_m = usd_m * 5 // 4 + 1
        kzt_w, usd_w = f"{_scaled(kzt_m, 5)} tenge", f"{_scaled(usd_m, 3)} US dollars"
        b.say(f"The {b.tag} budget for {year} was {kzt_w} ({usd_w}).")
        kzt = b.number("budget.kzt", "money", "KZT", f"budget for {year} was {kzt_w}", kzt_w,
                       kzt_m, 5, rounded=True, year=year)
        usd = b.number("budget.usd", "money", "USD", f"({usd_w})", usd_w, usd_m, 3,
                       rounded=True, year=year)
        tol = {"tolerance": "5%"} if variant == "tolerance" else {}
        b.rule("budget-in-dollars", "conversion",
               (kzt, usd, ("table", "usd", dt.date(year, 1, 1).toordinal()), False,
                (5, 100) if tol else None),
               amount=kzt, result=usd, rate={"table": "usd", "year": year}, **tol)
    elif variant == "rate":
        rate_m = rng.randrange(3000, 5000)
        if rate_m % 10 == 0:
            rate_m += 1
        usd_v = rng.randrange(11, 99) * 1000
        kzt_v = usd_v * rate_m // 10 + (rng.randrange(100, 999) * 100 if inject == "fail" else 0)
        rate_w = f"{rate_m // 10}.{rate_m % 10}"
        b.say(f"At a rate of {rate_w} per dollar, the grant of {usd_v:,} US dollars came to "
              f"{kzt_v:,} tenge.")
        rate = b.number("rate", "rate", "KZT/USD", f"At a rate of {rate_w}", rate_w, rate_m, -1,
                        rounded=True)
        usd = b.number("grant.usd", "money", "USD", f"{usd_v:,} US dollars", f"{usd_v:,} US dollars",
                       usd_v)
        kzt = b.number("grant.kzt", "money", "KZT", f"came to {kzt_v:,} tenge", f"{kzt_v:,} tenge",
                       kzt_v)
        b.rule("grant-in-tenge", "conversion", (usd, kzt, ("fact", rate), True, None),
               amount=usd, result=kzt, rate={"fact": rate})
    else:  # range
        lo, hi = rng.randrange(5, 20), rng.randrange(21, 90)
        index = rng.choice(list(MCI.values()))
        top = hi * index + (index if inject == "fail" else 0)
        b.say(f"The fine ranges from {lo} to {hi} MCI; one MCI is {index:,}, so the highest "
              f"fine is {top:,} tenge.")
        fine = b._fact("fine", "range", f"ranges from {lo} to {hi} MCI", "range", (lo, hi),
                       value={"min": lo, "max": hi}, unit="MCI", written=f"from {lo} to {hi} MCI",
                       qualifier="exact")
        rate = b.number("index", "rate", "KZT/MCI", f"one MCI is {index:,}", f"{index:,}", index)
        res = b.number("top", "money", "KZT", f"is {top:,} tenge", f"{top:,} tenge", top)
        b.rule("top-fine", "conversion", (f"{fine}@max", res, ("fact", rate), True, None),
               amount=f"{fine}@max", result=res, rate={"fact": rate})


def order(b: Builder, *, variant: str, dates: int, inject: str) -> None:
    """Things in order. Variants: ``dates`` (at day, month or year precision), ``strict``
    (dates strictly in order), ``ranges`` (penalty ranges, then an "up to"),
    ``decimals`` (percentages falling year by year)."""
    rng = b.rng
    if variant in ("dates", "strict"):
        start = dt.date(2010, 1, 1).toordinal() + rng.randrange(0, 4000)
        days = sorted(rng.sample(range(start, start + 3000), dates))
        if inject == "fail":
            days[0], days[-1] = days[-1], days[0]
        events = ("was adopted", "was signed", "entered into force", "was amended",
                  "was reviewed")
        clauses, ids = [], []
        for i, o in enumerate(days):
            d = dt.date.fromordinal(o)
            if variant == "strict":  # a day each: strict order needs no ties
                precision: tuple[int | None, int | None] = (d.month, d.day)
            else:
                precision = rng.choice([(d.month, d.day), (d.month, None), (None, None)])
                precision = (d.month, d.day) if i in (0, dates - 1) else precision
            written = _date_text(d.year, *precision)[0]
            clauses.append(f"{events[i]} {'on' if precision[1] else 'in'} {written}")
            ids.append(b.date(f"event{i}", clauses[-1], d.year, *precision))
        b.say(f"The {b.tag} law " + ", ".join(clauses[:-1]) + f" and {clauses[-1]}.")
        strict = variant == "strict"
        fields: dict[str, Any] = {"sequence": ids}
        if strict:
            fields["strict"] = True
        b.rule("events-in-order", "order", (tuple(ids), strict), **fields)
    elif variant == "ranges":
        a, c = rng.randrange(1, 5), rng.randrange(6, 9)
        g_lo, g_hi = c + rng.randrange(0, 2), c + rng.randrange(3, 6)
        top = g_hi + rng.randrange(1, 5) if inject != "fail" else g_hi - 1
        basic = b.range("basic", f"from {a} to {c} years", f"from {a} to {c} years", a, c)
        group = b.range("group", f"by a group, from {g_lo} to {g_hi} years",
                        f"from {g_lo} to {g_hi} years", g_lo, g_hi)
        grave = b.number("grave", "duration", "year", f"up to {top} years", f"up to {top} years",
                         top, qualifier="up_to")
        b.say(f"The offence is punished with imprisonment from {a} to {c} years; by a group, "
              f"from {g_lo} to {g_hi} years; with grave consequences, up to {top} years.")
        seq = [f"{basic}@min", f"{basic}@max", f"{group}@min", f"{group}@max", grave]
        b.rule("penalties-in-order", "order", (tuple(seq), False), sequence=seq)
    else:  # decimals
        values = sorted(rng.sample(range(150, 450), 3), reverse=True)
        if inject == "fail":
            values[1], values[2] = values[2], values[1]
        first = rng.randrange(2015, 2023)
        ids = []
        clauses = []
        for i, v in enumerate(values):
            y = first + i
            clauses.append(f"{_pct(v, -1)} in {y}")
            ids.append(b.number(f"loss.y{y}", "share", "percent", clauses[-1], _pct(v, -1), v, -1,
                                rounded=True, year=y))
        b.say(f"Water losses fell from {clauses[0]} to {clauses[1]} and {clauses[2]}.")
        seq = ids[::-1]
        b.rule("losses-fell", "order", (tuple(seq), True), sequence=seq, strict=True)


def bound(b: Builder, *, variant: str, inject: str) -> None:
    """One fact bounds another. Variants: ``le`` (a count within a total), ``lt`` (a year
    below the next), ``restated`` (a sum in scaled words stated twice)."""
    rng = b.rng
    year = rng.choice(list(YEARS)[:-1])
    if variant == "restated":
        m = rng.randrange(100, 900)
        if m % 10 == 0:
            m += 1
        again = m + (rng.randrange(2, 9) if inject == "fail" else 0)
        w1, w2 = f"{_scaled(m, 5)} tenge", f"{_scaled(again, 5)} tenge"
        b.say(f"The {b.tag} fund spent {w1} in {year}; its report confirms spending of {w2}.")
        one = b.number("spent", "money", "KZT", f"spent {w1} in {year}", w1, m, 5, rounded=True,
                       year=year)
        two = b.number("spent_again", "money", "KZT", f"spending of {w2}", w2, again, 5,
                       rounded=True, year=year)
        b.rule("restated", "bound", ((two,), "eq", (one,)), left=two, relation="eq", right=one)
        return
    one, many = rng.choice(_NOUNS)
    whole = rng.randrange(500, 5000)
    part = rng.randrange(10, whole // 2) if inject != "fail" else whole + rng.randrange(1, 50)
    if variant == "lt":
        part = whole - rng.randrange(1, 400) if inject != "fail" else whole + rng.randrange(1, 400)
        b.say(f"The {b.tag} services reached {part:,} {many} in {year} and {whole:,} in "
              f"{year + 1}.")
        left = b.count(f"reached.y{year}", one, f"{part:,} {many} in {year}", part, year=year)
        right = b.count(f"reached.y{year + 1}", one, f"{whole:,} in {year + 1}", whole,
                        year=year + 1)
        b.rule("growth", "bound", ((left,), "lt", (right,)), left=left, relation="lt",
               right=right)
        return
    partial = inject == "skip"
    b.say(f"In {year}, the {b.tag} register held {whole:,} {many}; {part:,} of them were "
          f"repeat entries{' by April ' + str(year + 1) if partial else ''}.")
    right = b.count("register", one, f"In {year}, the {b.tag} register held {whole:,}", whole,
                    year=year)
    if partial:
        left = b.count("repeat", one, f"{part:,} of them were repeat entries by April {year + 1}",
                       part, year=year + 1, partial=True, written=f"{part:,}")
    else:
        left = b.count("repeat", one, f"{part:,} of them were repeat", part)
    b.rule("repeat-le-register", "bound", ((left,), "le", (right,)), left=left, relation="le",
           right=right)


def quantifier(b: Builder, *, inject: str) -> None:
    """More than half of a whole, and the part within it."""
    rng = b.rng
    whole = rng.randrange(200, 4000)
    part = rng.randrange(whole // 2 + 1, whole) if inject != "fail" else rng.randrange(1, whole // 2)
    b.say(f"Of {whole:,} requirements set by the {b.tag} courts, more than half ({part:,}) "
          "banned alcohol.")
    w = b.count("requirements", "case", f"Of {whole:,} requirements", whole)
    p = b.count("alcohol", "case", f"more than half ({part:,})", part, written=f"{part:,}")
    b.rule("alcohol-most", "quantifier", (p, w, "more_than_half"), part=p, whole=w,
           quantifier="more_than_half")
    b.rule("alcohol-le-requirements", "bound", ((p,), "le", (w,)), left=p, relation="le", right=w)


# -- facts no rule uses --------------------------------------------------------------------

def filler_fact(b: Builder, cls: str, i: int) -> None:
    rng = b.rng
    if cls == "statement":
        quote = f"The {WORDS[i % len(WORDS)]} council of the {b.tag} district was created"
        b.statement(f"note{i}", quote)
        b.say(quote + ".")
    elif cls == "date":
        y, m = rng.randrange(2000, 2024), rng.randrange(1, 13)
        quote = f"the {WORDS[i % len(WORDS)]} plan of {MONTHS[m - 1]} {y}"
        b.date(f"note{i}", quote, y, m)
        b.say(f"The office follows {quote}.")
    elif cls == "qualified":
        n = rng.randrange(2, 15)
        quote = f"for at least {n} years ({WORDS[i % len(WORDS)]})"
        b.number(f"note{i}", "duration", "year", quote, f"at least {n} years", n,
                 qualifier="at_least")
        b.say(f"Records are kept {quote}.")
    else:
        n = rng.randrange(2, 3000)
        quote = f"{n:,} {WORDS[i % len(WORDS)]} visits"
        b.count(f"note{i}", "case", quote, n)
        b.say(f"Monitors made {quote}.")

