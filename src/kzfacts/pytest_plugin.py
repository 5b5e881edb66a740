"""The pytest plugin: one test item per rule, and a consistency report at the end.

It collects only in a kzfacts fact base: a ``facts/document.yaml`` beside a ``rules/``
folder in the rootdir, or the folders named by the ini options ``kzfacts_facts`` and
``kzfacts_rules`` (or ``--kzfacts-facts``, ``--kzfacts-rules``). A project that merely has
``rules/*.yaml`` (Prometheus, Semgrep, Sigma) is left alone; ``-p no:kzfacts`` turns the
plugin off, ``--no-kzfacts`` its collection.

It collects ``rules/<file>.yaml::<rule id>`` for every rule, plus
``facts/document.yaml::anchoring`` and ``::coverage``. A failed error-severity rule fails
with its arithmetic and the file:line of its facts; an accepted finding is an xfail with
its justification, unless that still starts with TODO (then it fails); a failed rule of
lower severity, or a warn, passes with a :class:`KzfactsWarning`. The fact base is checked
once per session, valid or not. Every message starts with ``kzfacts:``, and no item
renders a traceback for its outcome.

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

__all__ = ["KzfactsFinding", "KzfactsWarning"]

_STATE = pytest.StashKey[dict[str, Any]]()
_DEFAULTS = {"facts": "facts", "rules": "rules", "baseline": "baseline.yaml"}


class KzfactsFinding(Exception):  # noqa: N818 - it is a finding, not an error
    """Raised by an item whose rule or provenance check fails; shown without a traceback."""


class KzfactsWarning(pytest.PytestWarning):
    """A rule that failed without failing the run (warning or info severity), or a warn."""


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
    group.addoption("--kzfacts-no-locate", action="store_true",
                    help="do not look for the facts each finding blames and the repairs (as "
                         "`kzfacts check --no-locate`; ini: kzfacts_locate = false)")
    parser.addini("kzfacts_facts", "facts folder (default: facts, if it holds document.yaml)")
    parser.addini("kzfacts_rules", "rules folder (default: rules)")
    parser.addini("kzfacts_baseline", "baseline file (default: baseline.yaml)")
    parser.addini("kzfacts_locate", "locate each finding's likely slips (default: true)",
                  type="bool", default=True)


def _setting(config: pytest.Config, name: str) -> str:
    return str(config.getoption(f"--kzfacts-{name}") or config.getini(f"kzfacts_{name}") or "")


def _path(config: pytest.Config, name: str) -> Path:
    path = Path(_setting(config, name) or _DEFAULTS[name])
    return path if path.is_absolute() else (config.rootpath / path)


def pytest_configure(config: pytest.Config) -> None:
    """Decide once whether this session runs in a kzfacts fact base (see the module doc)."""
    state: dict[str, Any] = {"active": False}
    configured = bool(_setting(config, "facts") or _setting(config, "rules"))
    facts, rules = _path(config, "facts"), _path(config, "rules")
    if not config.getoption("--no-kzfacts") and (
            configured or ((facts / "document.yaml").is_file() and rules.is_dir())):
        state.update(active=True, rules=rules.resolve(), document=(facts / "document.yaml").resolve())
    config.stash[_STATE] = state
    config.addinivalue_line("markers", "kzfacts: a kzfacts rule or provenance check")


def _report(config: pytest.Config) -> Report:
    """The report of the fact base, checked once per session; an invalid fact base's error
    is kept and raised again, never computed again."""
    state = config.stash[_STATE]
    if "report" not in state:
        from kzfacts.engine.check import check
        from kzfacts.errors import InvalidDataError

        try:
            locate = bool(config.getini("kzfacts_locate")) and not config.getoption(
                "--kzfacts-no-locate")
            state["report"] = check(_path(config, "facts"), _path(config, "rules"),
                                    baseline=_path(config, "baseline"), locate=locate)
        except InvalidDataError as exc:
            state["report"] = exc
    found = state["report"]
    if isinstance(found, Exception):
        raise found
    report: Report = found
    return report


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    state = parent.config.stash[_STATE]
    if not state["active"] or file_path.suffix != ".yaml":
        return None
    resolved = file_path.resolve()
    if resolved.is_relative_to(state["rules"]):
        return RuleFile.from_parent(parent, path=file_path)
    if resolved == state["document"]:
        return DocumentFile.from_parent(parent, path=file_path)
    return None


def _load_or_raise(collector: pytest.Collector) -> Report | None:
    """The report; for an invalid fact base, a collection error the first time a file asks
    for it in the session, and nothing to collect after (one error, not one per file)."""
    from kzfacts.errors import InvalidDataError

    try:
        return _report(collector.config)
    except InvalidDataError as exc:
        state = collector.config.stash[_STATE]
        if state.get("error_shown"):
            return None
        state["error_shown"] = True
        raise collector.CollectError(_lines(f"kzfacts: {exc}".split("\n"))) from None


def _one_line(text: str) -> str:
    """One line of a message, escaped (:func:`kzfacts._escape.plain`, imported when first
    needed: the plugin imports nothing of kzfacts until it collects data)."""
    from kzfacts._escape import plain as escape

    return escape(text)


def _lines(lines: list[str]) -> str:
    """A message of several lines, each escaped as one (:func:`_one_line`): data (a title, a
    quote, a file name) never starts a line of its own."""
    return "\n".join(map(_one_line, lines))


def _plain(item: pytest.Item, excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    """What a kzfacts item shows for its outcome: a plain string, not a rendered traceback
    (pytest renders one for every xfail too, at tens of milliseconds each)."""
    if isinstance(excinfo.value, KzfactsFinding | KzfactsWarning | pytest.fail.Exception):
        # an xfail is a fail; a KzfactsWarning raised under -W error is a failure of its own
        return str(excinfo.value)
    return str(pytest.Item.repr_failure(item, excinfo))  # a bug: its traceback helps


class RuleFile(pytest.File):
    """A rules file: one item per rule defined in it."""

    def collect(self) -> Iterator[pytest.Item]:
        report = _load_or_raise(self)
        if report is None:
            return
        here = self.path.resolve()
        unjustified = set(report.unjustified)
        for result in report.results:
            file = Path(result.location.rsplit(":", 2)[0])
            if file.resolve() == here:
                yield RuleItem.from_parent(self, name=result.rule, result=result,
                                           unjustified=result.rule in unjustified)


class RuleItem(pytest.Item):
    def __init__(self, *, result: Result, unjustified: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.result = result
        self.unjustified = unjustified
        self.add_marker("kzfacts")

    def runtest(self) -> None:
        r = self.result
        if self.unjustified:
            raise KzfactsFinding(_lines([
                f"kzfacts: {r.rule}: accepted by the baseline, but its justification still "
                "starts with TODO: write why the finding is accepted", f"  {r.message}"]))
        if r.accepted:
            pytest.xfail(_one_line(f"kzfacts: accepted finding: {r.justification} — {r.message}"))
        if r.verdict.value == "skip":
            pytest.skip(_one_line(f"kzfacts: {r.message}"))
        from kzfacts.reports.report import repair_line

        repair = repair_line(r.rule, r.localisation)  # which number is likely wrong
        if r.blocking:
            lines = [f"kzfacts: {r.rule}: {r.title}", f"  {r.message}",
                     *([f"  {repair}"] if repair else []), f"  rule at {r.location}", "  facts:"]
            lines += [f"    {f.location}: {f.id} = {f.value} — \u201c{f.quote}\u201d"
                      for f in r.facts]
            raise KzfactsFinding(_lines(lines))
        if r.verdict.value in ("fail", "warn"):  # visible, without failing the run
            import warnings

            warnings.warn(KzfactsWarning(_one_line(
                f"kzfacts: {r.rule} ({r.severity.value}): {r.verdict.value}: {r.message}"
                + (f" — {repair}" if repair else ""))),
                stacklevel=1)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:  # noqa: ARG002 - pytest's signature
        return _plain(self, excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = int(self.result.location.rsplit(":", 2)[1]) - 1
        return self.path, line, f"kzfacts rule {self.result.rule}"


class DocumentFile(pytest.File):
    """The document: its provenance (anchoring) and coverage checks."""

    def collect(self) -> Iterator[pytest.Item]:
        if _load_or_raise(self) is None:
            return
        yield ProvenanceItem.from_parent(self, name="anchoring")
        yield ProvenanceItem.from_parent(self, name="coverage")


class ProvenanceItem(pytest.Item):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_marker("kzfacts")

    def runtest(self) -> None:
        report = _report(self.config)
        if self.name == "anchoring" and report.anchoring:
            raise KzfactsFinding(_lines([f"kzfacts: {a.location}: {a.fact}: {a.problem}"
                                         for a in report.anchoring]))
        if self.name == "coverage" and report.coverage.uncovered:
            raise KzfactsFinding(_lines(["kzfacts: numbers no fact accounts for:", *(
                f"  ¶{u.paragraph} line {u.line}: {u.text}" for u in report.coverage.uncovered)]))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:  # noqa: ARG002 - pytest's signature
        return _plain(self, excinfo)

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
    pytest.fail(_lines(["kzfacts: the fact base is invalid:", *problem.split("\n")]),
                pytrace=False)


@pytest.fixture(scope="session")
def kzfacts_base(pytestconfig: pytest.Config) -> FactBase:
    """The configured fact base, loaded (validated and anchored) once per session."""
    from kzfacts.data.loader import load_fact_base
    from kzfacts.errors import InvalidDataError

    try:
        return load_fact_base(_path(pytestconfig, "facts"))
    except InvalidDataError as exc:
        problem = str(exc)
    pytest.fail(_lines(["kzfacts: the fact base is invalid:", *problem.split("\n")]),
                pytrace=False)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    found = config.stash.get(_STATE, {}).get("report")
    if found is None and _SEEN:
        # Under pytest-xdist the workers collected and ran the items: the controller
        # evaluates the (already valid) fact base once more for the summary and the report.
        from kzfacts.errors import KzfactsError

        try:
            found = _report(config)
        except KzfactsError:
            return
    if found is None or isinstance(found, Exception):
        return
    report: Report = found
    tr = terminalreporter
    tr.section("kzfacts consistency report")
    c = report.counts
    tr.write_line(f"kzfacts: {len(report.results)} rules: {c['pass']} pass, {c['warn']} warn, "
                  f"{c['fail']} fail, {c['skip']} skip; numbers accounted for "
                  f"{report.coverage.accounted}/{report.coverage.found}")
    unjustified = set(report.unjustified)
    for r in report.results:
        if r.verdict.value in ("fail", "warn"):
            tag = ("TODO" if r.rule in unjustified else "accepted" if r.accepted
                   else r.verdict.value)
            tr.write_line(_one_line(f"  {tag:<8} {r.rule} ({r.severity.value}): {r.message}"))
    if config.getoption("--kzfacts-report"):
        _write_report(tr, config, report)


def _write_report(tr: Any, config: pytest.Config, report: Report) -> None:
    """``--kzfacts-report PATH``: written as ``kzfacts check --output`` writes (atomically,
    never through a link, never over a file of the fact base)."""
    from kzfacts._files import Inputs, format_for, write_atomic
    from kzfacts.data.loader import load_fact_base
    from kzfacts.errors import DataError
    from kzfacts.reports.report import FORMATS_WITH_BASE, render

    path = Path(config.getoption("--kzfacts-report"))
    fmt = format_for(path)
    base = load_fact_base(_path(config, "facts")) if fmt in FORMATS_WITH_BASE else None
    inputs = Inputs(folders=(_path(config, "facts"), _path(config, "rules")),
                    files=(_path(config, "baseline"),))
    try:
        write_atomic(path, render(report, fmt, base=base), inputs=inputs)
    except DataError as exc:
        tr.write_line(_one_line(f"kzfacts: {exc}"), red=True)
        return
    except OSError as exc:
        tr.write_line(_one_line(f"kzfacts: {exc.filename or path}: expected a writable file, "
                                f"found {exc.strerror or exc}"), red=True)
        return
    tr.write_line(_one_line(f"kzfacts: report written to {path} ({fmt})"))
    if fmt == "claimreview" and base is not None:
        from kzfacts.reports.formats import claimreview_missing

        notice = claimreview_missing(base.document.claimreview)
        if notice is not None:
            tr.write_line(_one_line(f"kzfacts: {notice}"))
