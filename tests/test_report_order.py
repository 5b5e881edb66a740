"""Rules are listed in natural order everywhere (``p2.x``, ``p9``, ``p10.x``), by one key
(:func:`kzfacts.engine.evaluate.rule_order`), and the Markdown report shows severities."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import kzfacts
from kzfacts.cli import main
from kzfacts.engine.evaluate import rule_order

NORDAVIA = Path(__file__).parent / "examples" / "nordavia"
#: The failing and warning rules of nordavia, in natural order: lexically p13 would come
#: before p8 and p9, and p10 first of all.
FINDINGS = ["p8.inspections-sum", "p9.resolved-share", "p10.fined-share-grim",
            "p11-p13.one-rate", "p13.relief-in-euros", "p18.grant-total", "p20.engineers-share"]
#: Those the baseline accepts.
ACCEPTED = ["p8.inspections-sum", "p9.resolved-share", "p11-p13.one-rate", "p13.relief-in-euros"]


def naturally(ids: list[str]) -> bool:
    return ids == sorted(ids, key=rule_order) and ids != sorted(ids)


@pytest.mark.parametrize(("ids", "ordered"), [
    (["p10", "p9", "p1"], ["p1", "p9", "p10"]),
    (["p10.x", "p2.x", "p2"], ["p2", "p2.x", "p10.x"]),
    (["p1-p2.a", "p1.b", "p01.c", "p1.a"], ["p1-p2.a", "p1.a", "p1.b", "p01.c"]),
    (["a10b2", "a10b10", "a9b99", "a"], ["a", "a9b99", "a10b2", "a10b10"]),
    (["p1", "p01", "p001"], ["p001", "p01", "p1"]),  # equal as numbers: by their text
    (["x.2023", "x.999", "y", "10"], ["10", "x.999", "x.2023", "y"]),
])
def test_rule_order(ids: list[str], ordered: list[str]) -> None:
    assert sorted(ids, key=rule_order) == ordered


@pytest.fixture(scope="module")
def report() -> kzfacts.Report:
    return kzfacts.check(NORDAVIA / "facts", NORDAVIA / "rules",
                         baseline=NORDAVIA / "baseline.yaml")


@pytest.fixture
def nordavia(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    base = tmp_path / "nordavia"
    shutil.copytree(NORDAVIA, base)
    monkeypatch.chdir(base)
    return base


def test_the_engine_gives_results_in_natural_order(report: kzfacts.Report) -> None:
    assert naturally([r.rule for r in report.results])
    assert naturally([r["rule"] for r in json.loads(kzfacts.render(report, "json"))["results"]])


def test_the_reports_list_findings_in_natural_order(report: kzfacts.Report) -> None:
    rules = {r.rule for r in report.results}
    text = [word for line in kzfacts.render(report, "text").splitlines()
            if line.startswith(("✗", "!")) for word in line.split() if word in rules]
    assert text == FINDINGS
    markdown = [line.split("`")[1] for line in kzfacts.render(report, "markdown").splitlines()
                if line.startswith("| `") and line.split("`")[1] in rules
                and line.split(" | ")[2].split()[1] in ("fail", "warn")]
    assert markdown == FINDINGS
    junit = ET.fromstring(kzfacts.render(report, "junit"))  # noqa: S314 - our own output
    assert naturally([name for c in junit.iter("testcase") if (name := c.get("name", "")) in rules])
    sarif = json.loads(kzfacts.render(report, "sarif"))["runs"][0]
    assert naturally([r["id"] for r in sarif["tool"]["driver"]["rules"]])
    assert [r["ruleId"] for r in sarif["results"] if r["ruleId"] in rules] == FINDINGS
    base, _ = kzfacts.load(NORDAVIA / "facts", NORDAVIA / "rules")
    reviews = json.loads(kzfacts.render(report, "claimreview", base=base))
    assert [x["identifier"] for x in reviews] == FINDINGS
    html = kzfacts.render(report, "html", base=base)
    assert [html.index(f'id="r-{rule}"') for rule in FINDINGS] == sorted(
        html.index(f'id="r-{rule}"') for rule in FINDINGS)


def test_the_markdown_report_shows_each_severity(report: kzfacts.Report) -> None:
    lines = kzfacts.render(report, "markdown").splitlines()
    assert "| rule | ¶ | verdict | severity | arithmetic |" in lines
    rules = {r.rule for r in report.results}
    rows = {line.split("`")[1]: line.split(" | ")[3] for line in lines
            if line.startswith("| `") and line.split("`")[1] in rules}
    assert rows == {r.rule: r.severity.value for r in report.results}
    assert rows["p10.fined-share-grim"] == "warning" and rows["p8.inspections-sum"] == "error"


@pytest.mark.usefixtures("nordavia")
def test_baseline_update_adds_new_findings_in_natural_order(
        capsys: pytest.CaptureFixture[str]) -> None:
    Path("baseline.yaml").write_text("accepted: []\n", encoding="utf-8")
    assert main(["baseline", "update"]) == 0
    added = [line.split()[1] for line in capsys.readouterr().out.splitlines()
             if line.startswith("added")]
    assert added == FINDINGS
    entries = kzfacts.load_baseline("baseline.yaml").accepted
    assert [e.rule for e in entries] == FINDINGS


def test_diff_lists_rules_in_natural_order(nordavia: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old"
    shutil.copytree(nordavia, old)
    (nordavia / "baseline.yaml").write_text("accepted: []\n", encoding="utf-8")
    assert main(["diff", str(old), ".", "--format", "json"]) == 0
    rules = [r["rule"] for r in json.loads(capsys.readouterr().out)["rules"]]
    assert rules == ACCEPTED  # accepted before, not after


def test_the_pytest_plugin_collects_rules_in_natural_order(nordavia: Path,
                                                          pytester: pytest.Pytester) -> None:
    pytester.chdir()
    shutil.copytree(nordavia, pytester.path, dirs_exist_ok=True)
    result = pytester.runpytest("-p", "no:cacheprovider", "--collect-only", "-q", "rules")
    items = [line.rsplit("::", 1)[1] for line in result.outlines if "::" in line]
    services = [i for i in items if i.startswith(("p8.", "p9.", "p10."))]
    assert services == ["p8.inspections-sum", "p9.most-resolved", "p9.resolved-share",
                        "p10.fined-share-grim"]
