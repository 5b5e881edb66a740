"""The evaluation's fast paths give what the interval arithmetic gives, word for word.

The built-in kinds compare plain integers when every operand is a whole number written in
full (``Reading.point``). Each test here runs a kind twice on the same numbers: once with
integer readings (the fast path) and once with the same values as ``Decimal`` readings,
which have no ``point`` and so take the interval path. Verdict, message, intervals and
notes must agree. Rounded, bounded and percent readings are drawn too: a fast path that
treated one of them as exact, or that was off by one on a strict relation, would differ.
"""

from __future__ import annotations

import datetime as dt
import pickle
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kzfacts
from kzfacts._files import bundled_path as bundled_root
from kzfacts.data.model import Severity, Verdict
from kzfacts.engine.compile import Operand, Outcome
from kzfacts.engine.evaluate import FactUse, Result
from kzfacts.engine.kinds.arith import _compare, _Linear
from kzfacts.engine.kinds.common import Relation
from kzfacts.engine.kinds.money import _convert, _mean, _Rate
from kzfacts.engine.kinds.order import _INT_TESTS, _PREDICATES, Quantifier, _quantify
from kzfacts.engine.kinds.share import _grim, _holds_at, _ratio, admissible_counts
from kzfacts.values.interval import Interval
from kzfacts.values.numbers import Qualifier, Reading, read_number

ONE = Decimal(1)
QUALIFIERS = [Qualifier.EXACT, Qualifier.INCLUDING, Qualifier.MORE_THAN, Qualifier.AT_LEAST,
              Qualifier.UP_TO, Qualifier.LESS_THAN]


def _whole(value: int, *, slow: bool, qualifier: Qualifier = Qualifier.EXACT,
           unit: str | None = "person") -> Reading:
    """A whole number written in full; ``slow``: the same value as a Decimal (no point)."""
    v: int | Decimal = Decimal(value) if slow else value
    return Reading(f"{value:,}", v, ONE, True, unit, qualifier)


@st.composite
def readings(draw: st.DrawFn, *, slow: bool, unit: str | None = "person") -> Reading:
    """Exact counts mostly; some rounded ("4.5 thousand") and some bounded ("more than 7")."""
    value = draw(st.integers(0, 300))
    kind = draw(st.sampled_from(["exact", "exact", "exact", "rounded", "bounded"]))
    if kind == "exact":
        return _whole(value, slow=slow, unit=unit)
    if kind == "bounded":
        q = draw(st.sampled_from(QUALIFIERS[2:]))
        if q is Qualifier.LESS_THAN and value == 0:
            q = Qualifier.UP_TO
        return _whole(value, slow=slow, qualifier=q, unit=unit)
    quantum = draw(st.sampled_from([Decimal(10), Decimal("0.1")]))
    v = Decimal(value) * quantum
    shown: int | Decimal = int(v) if v == v.to_integral_value() and not slow else v
    return Reading(str(v), shown, quantum, False, unit)


def _operand(label: str, reading: Reading) -> Operand:
    return Operand(label, reading.text, reading.unit, reading, label)


def _side(label: str, values: list[Reading], coefs: list[int]) -> _Linear:
    terms = tuple((Fraction(c), _operand(f"{label}{i}", r), r.text)
                  for i, (c, r) in enumerate(zip(coefs, values, strict=True)))
    ints: list[tuple[int, int]] | None = []
    for c, r in zip(coefs, values, strict=True):
        if r.point is None or ints is None:
            ints = None
        else:
            ints.append((c, r.point))
    return _Linear(terms, "person", None if ints is None else tuple(ints))


def _same(fast: Outcome, slow: Outcome) -> None:
    assert (fast.verdict, fast.message, fast.intervals, fast.notes) == (
        slow.verdict, slow.message, slow.intervals, slow.notes)


# -- Reading.point -------------------------------------------------------------------------

@given(st.integers(0, 10**7), st.sampled_from(["", "more than ", "up to ", "about ",
                                                "at least ", "including "]),
       st.sampled_from(["", "%", " thousand", ".5"]))
def test_point_is_the_only_value_under_both_conventions(n: int, prefix: str,
                                                        suffix: str) -> None:
    r = read_number(f"{prefix}{n}{suffix}")
    rounded, truncated = r.interval(convention="round"), r.interval(convention="truncate")
    if r.point is None:  # not a single whole number, or not the same under both
        assert not (rounded == truncated and rounded.is_point and rounded.lo is not None
                    and rounded.lo.denominator == 1 and type(r.value) is int)
    else:
        assert rounded == truncated == Interval.point(r.point)


def test_point_refuses_rounded_bounded_and_percent_readings() -> None:
    assert read_number("5,300").point == 5300
    assert read_number("including 12").point == 12
    for text in ("more than 5,300", "up to 15", "about 40", "14%", "54 million", "7.5"):
        assert read_number(text).point is None, text


# -- sum, bound, series --------------------------------------------------------------------

@given(st.data(), st.sampled_from(list(Relation)))
def test_linear_fast_path_matches_intervals(data: st.DataObject, relation: Relation) -> None:
    n_left = data.draw(st.integers(1, 3))
    seed = data.draw(st.randoms(use_true_random=False))
    coefs = [data.draw(st.sampled_from([1, 1, -1, 2])) for _ in range(n_left)]
    left_fast = [data.draw(readings(slow=False)) for _ in range(n_left)]
    right_fast = [data.draw(readings(slow=False))]
    if seed.random() < 0.5:  # often exactly equal or one apart: the edges of strict relations
        total = sum(c * int(r.value) for c, r in zip(coefs, left_fast, strict=True)
                    if r.point is not None)
        right_fast = [_whole(max(0, total + seed.choice([-1, 0, 1])), slow=False)]

    def slow(r: Reading) -> Reading:
        return Reading(r.text, Decimal(r.value), r.quantum, r.exact, r.unit, r.qualifier)

    fast_out = _compare(_side("l", left_fast, coefs), relation, _side("r", right_fast, [1]))
    slow_out = _compare(_side("l", [slow(r) for r in left_fast], coefs), relation,
                        _side("r", [slow(r) for r in right_fast], [1]))
    _same(fast_out, slow_out)


def test_linear_fast_path_strict_edges() -> None:
    """Equal sides: le and ge hold, lt and gt fail, with the words of the interval path."""
    for relation, verdict in ((Relation.LE, Verdict.PASS), (Relation.LT, Verdict.FAIL),
                              (Relation.GE, Verdict.PASS), (Relation.GT, Verdict.FAIL),
                              (Relation.EQ, Verdict.PASS)):
        left = _side("l", [_whole(7, slow=False)], [1])
        right = _side("r", [_whole(7, slow=False)], [1])
        assert left.ints is not None
        out = _compare(left, relation, right)
        assert out.verdict is verdict, relation
    out = _compare(_side("l", [_whole(3, slow=False), _whole(4, slow=False)], [1, 1]),
                   Relation.EQ, _side("r", [_whole(10, slow=False)], [1]))
    assert out.message == "3 + 4 = 7, not 10: 3 short"


# -- share, GRIM, quantifier, conversion ---------------------------------------------------

@st.composite
def shares(draw: st.DrawFn) -> Reading:
    digits = draw(st.integers(0, 1000))
    decimals = draw(st.integers(0, 1))
    value = Decimal(digits).scaleb(-decimals)
    q = draw(st.sampled_from([Qualifier.EXACT, Qualifier.EXACT, Qualifier.MORE_THAN,
                              Qualifier.UP_TO]))
    shown: int | Decimal = int(value) if decimals == 0 else value
    return Reading(f"{value}%", shown, Decimal(1).scaleb(-decimals), False, "percent", q)


@given(shares(), st.integers(0, 400), st.integers(0, 400))
def test_share_fast_path_matches_intervals(share: Reading, part: int, whole: int) -> None:
    s = _operand("s", share)
    fast = _ratio(s, _operand("p", _whole(part, slow=False)),
                  _operand("w", _whole(whole, slow=False)), Fraction(1))
    slow = _ratio(s, _operand("p", _whole(part, slow=True)),
                  _operand("w", _whole(whole, slow=True)), Fraction(1))
    _same(fast, slow)


@given(shares(), st.integers(0, 2000))
def test_grim_fast_path_matches_intervals(share: Reading, whole: int) -> None:
    s = _operand("s", share)
    _same(_grim(s, _operand("w", _whole(whole, slow=False))),
          _grim(s, _operand("w", _whole(whole, slow=True))))


def _counts_by_intervals(share: Interval, whole: int) -> list[int]:
    """admissible_counts as first written: intersect with [0, 100], scale, take integers."""
    bounded = share.intersection(Interval.closed(0, 100))
    if bounded is None or whole <= 0:
        return []
    return list(bounded.scale(Fraction(whole) / 100).integers())


@given(shares(), st.integers(-2, 3000), st.sampled_from(["round", "truncate"]))
def test_admissible_counts_in_integers(share: Reading, whole: int, convention: str) -> None:
    iv = share.interval(convention="round" if convention == "round" else "truncate")
    assert list(admissible_counts(iv, whole)) == _counts_by_intervals(iv, whole)


@given(st.fractions(0, 200), st.fractions(0, 200), st.booleans(), st.booleans(),
       st.integers(0, 10**6), st.integers(1, 10**6))
def test_holds_at_is_contains(  # noqa: PLR0917 - Hypothesis passes them by position
        a: Fraction, b: Fraction, lo_closed: bool, hi_closed: bool,
                              num: int, den: int) -> None:
    lo, hi = min(a, b), max(a, b)
    if lo == hi and not (lo_closed and hi_closed):
        lo_closed = hi_closed = True
    for iv in (Interval(lo, hi, lo_closed, hi_closed), Interval(lo, None, lo_closed, False),
               Interval(None, hi, False, hi_closed)):
        assert _holds_at(iv, num, den) == iv.contains(Fraction(num, den))


@given(st.sampled_from(list(Quantifier)), st.integers(0, 500), st.integers(1, 500))
def test_quantifier_fast_path_matches_intervals(q: Quantifier, part: int, whole: int) -> None:
    assert _INT_TESTS[q](part, whole) == _PREDICATES[q][1](Interval.point(Fraction(part, whole)))
    _same(_quantify(_operand("p", _whole(part, slow=False)),
                    _operand("w", _whole(whole, slow=False)), Fraction(1), q),
          _quantify(_operand("p", _whole(part, slow=True)),
                    _operand("w", _whole(whole, slow=True)), Fraction(1), q))


@given(st.integers(0, 5000), st.integers(0, 10**6), st.integers(1, 5000),
       st.sampled_from([0, 1, 2]), st.sampled_from([None, Fraction(1, 20)]),
       st.booleans())
def test_conversion_fast_path_matches_intervals(  # noqa: PLR0917 - Hypothesis passes them
        amount: int, result: int, rate_digits: int,
                                                decimals: int, tolerance: Fraction | None,
                                                unconfirmed: bool) -> None:
    value = Decimal(rate_digits).scaleb(-decimals)
    shown: int | Decimal = int(value) if decimals == 0 else value
    rate_reading = Reading(str(value), shown, Decimal(1).scaleb(-decimals), decimals == 0,
                           "KZT/USD")
    notes = ("relies on an unconfirmed reference value: x",) if unconfirmed else ()
    rate = _Rate(f"{value} KZT/USD", "KZT/USD", (rate_reading,), notes)

    def run(slow: bool) -> Outcome:
        return _convert(_operand("a", _whole(amount, slow=slow, unit="USD")),
                        _operand("r", _whole(result, slow=slow, unit="KZT")), rate,
                        multiply=True, tolerance=tolerance)

    _same(run(False), run(True))


@given(st.integers(0, 10**6), st.integers(-2, 400), st.integers(0, 60), st.integers(0, 60),
       st.sampled_from([None, 3450, 0, 7]), st.booleans(), st.booleans())
def test_mean_within_fast_path_matches_intervals(  # noqa: PLR0917 - Hypothesis passes them
        total: int, count: int, low: int, high: int, rate_value: int | None, multiply: bool,
        rounded_rate: bool) -> None:
    """total / count within [low, high] (× or ÷ a rate): a zero or negative count, a rate of
    0, reversed bounds, a rate that is not whole, and the exact edges n·low·r = total."""
    if count > 0 and total % 2:  # half the time, put total on an edge
        total = count * low * (rate_value or 1)
    rate = None
    if rate_value is not None:
        value: int | Decimal = Decimal(rate_value) + Decimal("0.5") if rounded_rate else rate_value
        quantum = Decimal("0.1") if rounded_rate else ONE
        rate = _Rate(f"{value} KZT/MCI", "KZT/MCI",
                     (Reading(str(value), value, quantum, not rounded_rate, "KZT/MCI"),), ())

    def run(slow: bool) -> Outcome:
        return _mean(_operand("t", _whole(total, slow=slow, unit="KZT")),
                     _operand("n", _whole(max(count, 0), slow=slow, unit="victim")),
                     _operand("lo", _whole(low, slow=slow, unit="MCI")),
                     _operand("hi", _whole(high, slow=slow, unit="MCI")),
                     rate, multiply=multiply or rate is None)

    _same(run(False), run(True))


def test_dividing_by_a_rate_of_zero_is_skipped_not_a_crash() -> None:
    """A rate of 0 (a fact or a table entry) that a rule divides by: no ratio can be taken.
    Before, the interval's reciprocal raised ZeroDivisionError (a crash, exit 3)."""
    zero = _Rate("0 KZT/USD", "KZT/USD", (Reading("0", 0, ONE, True, "KZT/USD"),), ())
    kzt = _operand("k", _whole(1000, slow=False, unit="KZT"))
    out = _convert(kzt, _operand("u", _whole(5, slow=False, unit="USD")), zero,
                   multiply=False, tolerance=None)
    assert out.verdict is Verdict.SKIP
    assert out.message == "1,000 ÷ 0 KZT/USD: 0 KZT/USD may be 0, so no ratio over it can be taken"
    mean = _mean(kzt, _operand("n", _whole(4, slow=False, unit="victim")),
                 _operand("lo", _whole(1, slow=False, unit="USD")),
                 _operand("hi", _whole(2, slow=False, unit="USD")), zero, multiply=False)
    assert mean.verdict is Verdict.SKIP
    assert mean.message.endswith("may be 0, so no ratio over it can be taken (rate)")


# -- results -------------------------------------------------------------------------------

def test_outcome_later_writes_once_and_reads_like_an_eager_one() -> None:
    calls: list[int] = []

    def explain() -> tuple[str, dict[str, str], tuple[str, ...]]:
        calls.append(1)
        return "3 + 4 = 7 ✓", {"left": "7"}, ("a note",)

    later = Outcome.later(Verdict.PASS, explain)
    assert calls == []  # deciding does not write
    assert later == Outcome(Verdict.PASS, "3 + 4 = 7 ✓", {"left": "7"}, ("a note",))
    assert (later.message, later.intervals, later.notes) == (
        "3 + 4 = 7 ✓", {"left": "7"}, ("a note",))
    assert calls == [1]  # written once, then kept
    assert pickle.loads(pickle.dumps(later)) == later  # noqa: S301 - our own bytes


def test_result_is_validated_read_only_and_round_trips() -> None:
    use = FactUse(id="a.b", paragraph=2, value="5", unit="person", quote="5 persons",
                  location="facts/p.yaml:3:5")
    r = Result(rule="r", kind="sum", title="t", severity=Severity.ERROR, paragraphs=(2,),
               why="w", verdict=Verdict.FAIL, message="m", facts=(use,), location="x:1:1")
    assert r.blocking and r.intervals == {} and r.notes == ()
    try:
        r.rule = "other"  # type: ignore[misc]
    except AttributeError:
        pass
    else:
        raise AssertionError("a Result must be read-only")
    assert Result.model_validate(r.model_dump(mode="json")) == r
    assert pickle.loads(pickle.dumps(r)) == r  # noqa: S301 - our own bytes
    assert r.model_copy(update={"message": "n"}).message == "n"
    try:
        Result.model_validate({**r.model_dump(mode="json"), "verdict": "maybe"})
    except ValueError:
        pass
    else:
        raise AssertionError("an unknown verdict must not validate")


def test_report_of_deferred_results_is_the_report_of_written_ones() -> None:
    root = bundled_root()
    report = kzfacts.check(root / "facts", root / "rules", baseline=root / "baseline.yaml")
    again = kzfacts.Report.model_validate_json(report.model_dump_json())
    assert again == report
    assert [r.message for r in again.results] == [r.message for r in report.results]
    assert any(r.verdict is Verdict.FAIL for r in report.results)


_YEARS = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))


@given(_YEARS, _YEARS, st.sampled_from(["day", "month", "year"]),
       st.sampled_from(["day", "month", "year"]), st.booleans())
def test_operand_partial_is_period_is_partial(a: object, b: object, pa: str, pb: str,
                                              marked: bool) -> None:
    from kzfacts.data.model import Period
    assert isinstance(a, dt.date) and isinstance(b, dt.date)
    first, last = min(a, b), max(a, b)

    def text(d: dt.date, precision: str) -> str:
        return {"day": d.isoformat(), "month": d.isoformat()[:7], "year": str(d.year)}[precision]

    period = Period.model_validate({"start": text(first, pa), "end": text(last, pb),
                                    "partial": marked, "why": "part" if marked else None})
    operand = Operand("x", "1", None, _whole(1, slow=False), "x", period)
    assert operand.partial == period.is_partial


def test_the_collector_is_paused_while_compiling_and_evaluating_and_restored() -> None:
    """compile_rules and evaluate run without cyclic collection (it only re-walked the live
    fact base) and leave the collector as they found it, on or off, even on an error."""
    import gc

    from kzfacts.engine.compile import CompiledRule
    from kzfacts.engine.evaluate import compile_rules, evaluate, load
    from kzfacts.errors import RuleCrashError

    root = bundled_root()
    base, rules = load(root / "facts", root / "rules")
    seen: list[bool] = []

    def probe() -> Outcome:
        seen.append(gc.isenabled())
        raise ZeroDivisionError("planted")

    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            compiled = compile_rules(base, rules)
            crashing = [CompiledRule(compiled[0].spec, probe, compiled[0].fact_ids)]
            with pytest.raises(RuleCrashError):
                evaluate(base, rules, crashing)
            assert gc.isenabled() is enabled
        finally:
            gc.enable()
    assert seen == [False, False]
    assert len(compiled) == len(rules.specs)


def test_the_assembled_report_is_what_validation_would_make() -> None:
    """report() assembles its models without validating them again; validating its dump
    gives an equal report, field for field, for both bundled and example fact bases."""
    from pathlib import Path

    from kzfacts.engine.evaluate import Report

    for root in (bundled_root(), Path(__file__).parent / "examples" / "nordavia"):
        rep = kzfacts.check(root / "facts", root / "rules", baseline=root / "baseline.yaml")
        again = Report.model_validate(rep.model_dump())
        assert again == rep
        assert again.model_dump_json() == rep.model_dump_json()
        assert rep.model_fields_set == set(Report.model_fields)


def _report_with_a_crashing_explanation(kind: str | None = None) -> tuple[object, str]:
    """The bundled report, its first rule's explanation raising when first read."""
    from kzfacts.engine.compile import CompiledRule
    from kzfacts.engine.evaluate import compile_rules, evaluate, load, report

    root = bundled_root()
    base, rules = load(root / "facts", root / "rules")
    compiled = compile_rules(base, rules)
    first = compiled[0]
    shared = first.shared
    if kind is not None:  # as a plugin's kind (its outcome is validated, so read at once)
        from kzfacts.engine.evaluate import _Shared
        shared = _Shared(shared.rule, kind, shared.title, shared.severity, shared.paragraphs,
                         shared.why, shared.facts, shared.location)

    def explain() -> tuple[str, dict[str, str], tuple[str, ...]]:
        raise ZeroDivisionError("planted")

    broken = CompiledRule(first.spec, lambda: Outcome.later(Verdict.PASS, explain),
                          first.fact_ids, shared)
    results = evaluate(base, rules, [broken, *compiled[1:]])
    return report(base, results), first.spec.id


def test_a_crash_while_writing_an_explanation_is_the_rules_crash() -> None:
    """Explanations are written when first read (a report renders them): a bug there is
    still a RuleCrashError naming the rule (exit 3), in every format, and for a plugin's
    kind at evaluation; never a bare exception (a traceback)."""
    from kzfacts.errors import RuleCrashError
    from kzfacts.reports.report import render

    rep, rule = _report_with_a_crashing_explanation()
    for fmt in ("text", "json"):  # the formats that show a passing rule's message
        with pytest.raises(RuleCrashError, match=rf"rule '{re.escape(rule)}'.*planted"):
            render(rep, fmt)  # type: ignore[arg-type]
    with pytest.raises(RuleCrashError, match=rf"rule '{re.escape(rule)}'.*planted"):
        _report_with_a_crashing_explanation("myplugin")  # raised by evaluate itself


def test_the_cli_and_a_corpus_exit_3_on_a_crashing_explanation(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: object) -> None:
    from pathlib import Path

    import kzfacts.engine.evaluate as engine
    from kzfacts import cli
    from kzfacts.cli.corpus import _check_one

    rep, rule = _report_with_a_crashing_explanation()
    monkeypatch.setattr(engine, "check", lambda *_args, **_kwargs: rep)
    assert cli.main(["check", "--bundled", "--format", "json"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("kzfacts: internal error, please report it:") and rule in err
    for fmt in ("text", "json"):
        outcome = _check_one((Path(str(tmp_path)), fmt))
        assert outcome.exit_code == 3
        assert rule in outcome.rendered


def test_a_result_is_made_again_from_its_dump() -> None:
    """Result(**r.model_dump()) (facts as dicts) and its JSON form, as with the model."""
    root = bundled_root()
    rep = kzfacts.check(root / "facts", root / "rules", baseline=root / "baseline.yaml")
    for r in rep.results[:5]:
        assert Result(**r.model_dump()) == r
        assert Result.model_validate(r.model_dump(mode="json")) == r


def test_a_corpus_document_is_checked_without_the_cycle_collector(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The collector is off while a corpus document is checked, and as it was after."""
    import gc

    from kzfacts.cli import corpus as _corpus

    seen: list[bool] = []

    def check(_task: object) -> str:
        seen.append(gc.isenabled())
        return "done"

    monkeypatch.setattr(_corpus, "_check_document", check)
    was = gc.isenabled()
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            assert _corpus._check_one((bundled_root(), "text")) == "done"  # type: ignore[comparison-overlap]
            assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False, False]


def test_the_facts_a_rule_uses_are_described_when_first_read() -> None:
    """A text report reads no rule's facts or location: they are described when first read,
    as they were when described at once."""
    from kzfacts.engine.evaluate import _fact_use, compile_rules, evaluate, load, report
    from kzfacts.reports.report import render

    root = bundled_root()
    base, rules = load(root / "facts", root / "rules")
    compiled = {c.spec.id: c for c in compile_rules(base, rules)}
    done = report(base, evaluate(base, rules, list(compiled.values())))
    render(done, "text")
    assert all(r._shared._pending is not None for r in done.results)
    for r in done.results:
        assert r.facts == tuple(_fact_use(base, f) for f in compiled[r.rule].fact_ids)
        assert r._shared._pending is None  # described once, the fact base let go
        assert r.location == str(rules.sources[r.rule].location)
