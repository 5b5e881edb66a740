"""The pytest plugin: one test item per rule, and a consistency report at the end.

In a repository with ``facts/`` and ``rules/`` (paths set by the ini options
``kzfacts_facts``, ``kzfacts_rules``, ``kzfacts_baseline`` or the matching command-line
options), pytest collects ``rules/<file>.yaml::<rule id>`` for every rule, plus
``facts/document.yaml::anchoring`` and ``::coverage``. A failed error-severity rule fails
with its arithmetic and the file:line of its facts; an accepted finding is an xfail with
its justification; a warn passes and is listed in the summary.

The plugin imports the engine only when pytest first collects a data file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from kzfacts.data.factbase import FactBase
    from kzfacts.engine.result import Report, Result

__all__ = ["KzfactsFinding"]

_STATE = pytest.StashKey[dict[str, Any]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kzfacts", "kzfacts consistency checks")
    group.addoption("--kzfacts-facts", help="facts folder (ini: kzfacts_facts)")
    group.addoption("--kzfacts-rules", help="rules folder (ini: kzfacts_rules)")
    group.addoption("--kzfacts-baseline", help="baseline file (ini: kzfacts_baseline)")
    group.addoption("--kzfacts-report", metavar="PATH",
                    help="write the report; the format follows the extension "
                         "(.json, .md, .txt, .xml for JUnit, .sarif, .jsonld for ClaimReview, "
                         ".html)")
    group.addoption("--no-kzfacts", action="store_true", help="do not collect rules")
    parser.addini("kzfacts_facts", "facts folder", default="facts")
    parser.addini("kzfacts_rules", "rules folder", default="rules")
    parser.addini("kzfacts_baseline", "baseline file", default="baseline.yaml")


def _path(config: pytest.Config, name: str) -> Path:
    value = config.getoption(f"--kzfacts-{name}") or config.getini(f"kzfacts_{name}")
    path = Path(str(value))
    return path if path.is_absolute() else (config.rootpath / path)


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_STATE] = {}
    config.addinivalue_line("markers", "kzfacts: a kzfacts rule or provenance check")


def _report(config: pytest.Config) -> Report:
    """Load and evaluate the fact base once per session."""
    state = config.stash[_STATE]
    if "report" not in state:
        from kzfacts.engine.check import check

        state["report"] = check(_path(config, "facts"), _path(config, "rules"),
                                baseline=_path(config, "baseline"))
    report: Report = state["report"]
    return report


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    config = parent.config
    if config.getoption("--no-kzfacts") or file_path.suffix != ".yaml":
        return None
    rules = _path(config, "rules").resolve()
    facts = _path(config, "facts").resolve()
    resolved = file_path.resolve()
    if resolved.is_relative_to(rules):
        return RuleFile.from_parent(parent, path=file_path)
    if resolved == facts / "document.yaml":
        return DocumentFile.from_parent(parent, path=file_path)
    return None


class KzfactsFinding(Exception):  # noqa: N818 - it is a finding, not an error
    """Raised by a rule item whose rule fails; shown without a traceback."""


def _load_or_raise(collector: pytest.Collector) -> Report:
    from kzfacts.errors import InvalidDataError

    try:
        return _report(collector.config)
    except InvalidDataError as exc:
        raise collector.CollectError(str(exc)) from None


class RuleFile(pytest.File):
    """A rules file: one item per rule defined in it."""

    def collect(self) -> Iterator[pytest.Item]:
        report = _load_or_raise(self)
        here = self.path.resolve()
        for result in report.results:
            file = Path(result.location.rsplit(":", 2)[0])
            if file.resolve() == here:
                yield RuleItem.from_parent(self, name=result.rule, result=result)


class RuleItem(pytest.Item):
    def __init__(self, *, result: Result, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.result = result
        self.add_marker("kzfacts")

    def runtest(self) -> None:
        r = self.result
        if r.accepted is not None:
            pytest.xfail(f"accepted finding: {r.accepted} — {r.message}")
        if r.verdict.value == "skip":
            pytest.skip(r.message)
        if r.blocking:
            raise KzfactsFinding(r)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:  # noqa: ARG002 - pytest's signature
        if isinstance(excinfo.value, KzfactsFinding):
            r = self.result
            lines = [f"{r.rule}: {r.title}", f"  {r.message}", f"  rule at {r.location}",
                     "  facts:"]
            lines += [f"    {f.location}: {f.id} = {f.value} — \u201c{f.quote}\u201d"
                      for f in r.facts]
            return "\n".join(lines)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = int(self.result.location.rsplit(":", 2)[1]) - 1
        return self.path, line, f"kzfacts rule {self.result.rule}"


class DocumentFile(pytest.File):
    """The document: its provenance (anchoring) and coverage checks."""

    def collect(self) -> Iterator[pytest.Item]:
        _load_or_raise(self)
        yield ProvenanceItem.from_parent(self, name="anchoring")
        yield ProvenanceItem.from_parent(self, name="coverage")


class ProvenanceItem(pytest.Item):
    def runtest(self) -> None:
        report = _report(self.config)
        if self.name == "anchoring" and report.anchoring:
            raise KzfactsFinding("\n".join(f"{a.location}: {a.fact}: {a.problem}"
                                           for a in report.anchoring))
        if self.name == "coverage" and report.coverage.uncovered:
            raise KzfactsFinding("numbers no fact accounts for:\n" + "\n".join(
                f"  ¶{u.paragraph} line {u.line}: {u.text}" for u in report.coverage.uncovered))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:  # noqa: ARG002 - pytest's signature
        if isinstance(excinfo.value, KzfactsFinding):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, 0, f"kzfacts {self.name}"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Note that kzfacts items ran, also when they ran in pytest-xdist workers."""
    if "kzfacts" in report.keywords:
        _SEEN.add(report.nodeid)


_SEEN: set[str] = set()


@pytest.fixture(scope="session")
def kzfacts_report(pytestconfig: pytest.Config) -> Report:
    """The report of the configured fact base, checked once per session.

    The folders are those of the ``kzfacts_facts``, ``kzfacts_rules`` and
    ``kzfacts_baseline`` ini options (or ``--kzfacts-*``). Pass it to
    :func:`kzfacts.testing.assert_consistent`. Invalid data fails the test that asks.
    """
    from kzfacts.errors import InvalidDataError

    try:
        return _report(pytestconfig)
    except InvalidDataError as exc:
        problem = str(exc)
    pytest.fail(f"kzfacts: the fact base is invalid:\n{problem}", pytrace=False)


@pytest.fixture(scope="session")
def kzfacts_base(pytestconfig: pytest.Config) -> FactBase:
    """The configured fact base, loaded (validated and anchored) once per session."""
    from kzfacts.data.loader import load_fact_base
    from kzfacts.errors import InvalidDataError

    try:
        return load_fact_base(_path(pytestconfig, "facts"))
    except InvalidDataError as exc:
        problem = str(exc)
    pytest.fail(f"kzfacts: the fact base is invalid:\n{problem}", pytrace=False)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    state = config.stash.get(_STATE, {})
    report: Report | None = state.get("report")
    if report is None and _SEEN:
        # Under pytest-xdist the workers collected and ran the items: the controller
        # evaluates the (already valid) fact base once more for the summary and the report.
        from kzfacts.errors import KzfactsError

        try:
            report = _report(config)
        except KzfactsError:
            return
    if report is None:
        return
    tr = terminalreporter
    tr.section("kzfacts consistency report")
    c = report.counts
    tr.write_line(f"{len(report.results)} rules: {c['pass']} pass, {c['warn']} warn, "
                  f"{c['fail']} fail, {c['skip']} skip; numbers accounted for "
                  f"{report.coverage.accounted}/{report.coverage.found}")
    for r in report.results:
        if r.verdict.value in ("fail", "warn"):
            tag = "accepted" if r.accepted else r.verdict.value
            tr.write_line(f"  {tag:<8} {r.rule}: {r.message}")
    out = config.getoption("--kzfacts-report")
    if out:
        from kzfacts._files import format_for, write_atomic
        from kzfacts.data.loader import load_fact_base
        from kzfacts.reports.report import FORMATS_WITH_BASE, render

        path = Path(out)
        fmt = format_for(path)
        base = load_fact_base(_path(config, "facts")) if fmt in FORMATS_WITH_BASE else None
        try:
            write_atomic(path, render(report, fmt, base=base))
        except OSError as exc:
            tr.write_line(f"kzfacts: {exc.filename or path}: expected a writable file, found "
                          f"{exc.strerror or exc}", red=True)
            return
        tr.write_line(f"report written to {path} ({fmt})")
