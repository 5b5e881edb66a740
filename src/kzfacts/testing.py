"""Helpers for the tests of projects that keep a kzfacts fact base.

* :func:`assert_consistent` fails a test with a readable account of what is wrong: each
  blocking finding with its arithmetic and the file:line and quote of its facts, each fact
  its words do not support, each number of the source nothing accounts for.
* The pytest plugin (installed with kzfacts, no configuration needed) provides the
  session fixtures ``kzfacts_report`` (the checked fact base) and ``kzfacts_base`` (the
  loaded :class:`kzfacts.FactBase`), for the folders set by ``kzfacts_facts``,
  ``kzfacts_rules`` and ``kzfacts_baseline`` in the pytest ini options.
* :func:`register_profiles` registers kzfacts' two Hypothesis profiles, a quick one for CI
  and a thorough one (10,000 examples per property), and :func:`end_to_end_settings`
  scales properties whose examples each check a whole fact base.

Example, a downstream project's ``tests/test_facts.py``::

    from kzfacts.testing import assert_consistent

    def test_the_fact_base_is_consistent(kzfacts_report):
        assert_consistent(kzfacts_report)

    def test_the_total_is_anchored(kzfacts_base):
        assert kzfacts_base.facts["npm.recommendations"].value == 10169

Hypothesis is needed only by :func:`register_profiles` and :func:`end_to_end_settings`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kzfacts._escape import plain
from kzfacts.errors import KzfactsError

if TYPE_CHECKING:
    from hypothesis import settings as Settings  # noqa: N812 - a type, named as one

    from kzfacts.engine.result import Report

__all__ = [
    "InconsistentFactBaseError",
    "assert_consistent",
    "end_to_end_settings",
    "explain_inconsistencies",
    "register_profiles",
]

#: Examples per property in the quick profile and in the thorough one.
QUICK_EXAMPLES = 200
THOROUGH_EXAMPLES = 10_000


class InconsistentFactBaseError(KzfactsError, AssertionError):
    """Raised by :func:`assert_consistent`; ``report`` is the report that failed."""

    def __init__(self, report: Report, message: str) -> None:
        super().__init__(message)
        self.report = report


def explain_inconsistencies(report: Report, *, strict_baseline: bool = False) -> list[str]:
    """Every reason the report is not clean, one paragraph each (empty when it is).

    Args:
        report: a checked fact base.
        strict_baseline: also count baseline entries that match no finding.
    """
    out: list[str] = []
    for r in report.results:
        if not r.blocking:
            continue
        lines = [f"rule {r.rule} ({r.kind}, {r.severity.value}) fails: {r.title}",
                 f"    {r.message}", f"    rule at {r.location}"]
        if r.unjustified:
            lines.append(f"    accepted by a baseline entry still to justify: {r.justification}")
        lines += [f"    {f.location}: {f.id} = {f.value} \u2014 \u201c{f.quote}\u201d"
                  for f in r.facts]
        out.append(_paragraph(lines))
    out += [_paragraph([f"rule {r.rule} is accepted by a baseline entry still to justify (its "
                        f"why starts with TODO): {r.justification}"]) for r in report.results
            if r.unjustified and not r.blocking]
    # entries whose acceptance does not stand (a refuted convention) or that accept a
    # finding on the document: their result carries no acceptance, the report names them
    listed = {r.rule for r in report.results if r.unjustified}
    out += [f"{rule} is accepted by a baseline entry still to justify (its why starts with "
            "TODO)" for rule in report.unjustified if rule not in listed]
    out += [_paragraph([f"fact {a.fact} is not supported by the source: {a.problem}",
                        f"    at {a.location}"]) for a in report.anchoring]
    out += [_paragraph([f"number {u.text!r} in \u00b6{u.paragraph} (line {u.line}) is in no fact "
                        "and on no list of non-claims"]) for u in report.coverage.uncovered]
    if strict_baseline:
        out += [_paragraph([f"baseline entry {s} matches no finding: remove it"])
                for s in report.stale_baseline]
    return out


def _paragraph(lines: list[str]) -> str:
    """Lines of one reason, each escaped as one line (:func:`kzfacts._escape.plain`)."""
    return "\n".join(map(plain, lines))


def assert_consistent(
    fact_base: Report | Path | str = "facts",
    rules: Path | str = "rules",
    *,
    baseline: Path | str | None = "baseline.yaml",
    strict_baseline: bool = False,
) -> Report:
    """Assert that a fact base checks clean: what ``kzfacts check`` exits 0 on.

    Args:
        fact_base: a :class:`kzfacts.Report` (from the ``kzfacts_report`` fixture or
            :func:`kzfacts.check`), or the facts folder to check.
        rules: the rules folder, when ``fact_base`` is a folder.
        baseline: the accepted findings, when ``fact_base`` is a folder.
        strict_baseline: also fail on baseline entries that match no finding.

    Returns:
        The report, for further assertions.

    Raises:
        InconsistentFactBaseError: an ``AssertionError`` listing every blocking finding (with
            its arithmetic, and the file:line and quote of each fact), every unsupported
            fact and every number nothing accounts for.
        kzfacts.InvalidDataError: the data files themselves are invalid.
    """
    from kzfacts.engine.check import check
    from kzfacts.engine.result import Report

    report = fact_base if isinstance(fact_base, Report) else check(fact_base, rules,
                                                                     baseline=baseline)
    problems = explain_inconsistencies(report, strict_baseline=strict_baseline)
    if problems:
        head = plain(f"the fact base of {report.document!r} is not consistent "
                f"({len(problems)} problem{'s' if len(problems) > 1 else ''}):")
        raise InconsistentFactBaseError(report, "\n".join([head, *problems]))
    return report


def register_profiles(*, quick: str = "ci", thorough: str = "thorough",
                      load: str | None = "ci") -> None:
    """Register kzfacts' Hypothesis profiles, and load one.

    ``quick`` runs 200 examples per property, derandomized (the same examples on every
    run, so CI is reproducible); ``thorough`` runs 10,000 with fresh randomness. Select
    one with ``pytest --hypothesis-profile=thorough``.

    Args:
        quick: the quick profile's name.
        thorough: the thorough profile's name.
        load: the profile to load now (``None``: load none).
    """
    from hypothesis import HealthCheck, settings

    settings.register_profile(quick, max_examples=QUICK_EXAMPLES, deadline=None,
                              derandomize=True, suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile(thorough, max_examples=THOROUGH_EXAMPLES, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow])
    if load is not None:
        settings.load_profile(load)


def end_to_end_settings(*, fraction: int = 4) -> Settings:
    """Settings for properties whose every example writes and checks a fact base.

    Under a quick profile they run ``1/fraction`` of its examples (at least 25); under a
    profile of 10,000 examples or more, all of them.
    """
    from hypothesis import settings

    current = settings.default
    n = current.max_examples if current is not None else QUICK_EXAMPLES
    return settings(max_examples=n if n >= THOROUGH_EXAMPLES else max(25, n // fraction))
