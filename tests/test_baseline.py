"""``kzfacts baseline update`` and stale entries: the gate's memory of accepted findings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kzfacts
from kzfacts.cli import main

ROOT = Path(__file__).resolve().parents[1]
FINDINGS = {("p03.sentences-sum-riots", "fail"), ("p11.no-such-facts-2023", "warn"),
            ("p12-p13.repeaters-vs-participations", "fail"), ("p42.ngo-share-grim", "warn"),
            ("p45.annual-kzt-to-usd", "warn"), ("p45.two-conversions-one-rate", "fail"),
            ("p46.outcomes-sum", "fail")}

COMMENTED = """\
# Our header: kept as written.
accepted:
  # ¶46 is three short; reported to the authors.
  - rule: p46.outcomes-sum   # the sum of outcomes
    verdict: fail
    why: three short of the total

  - rule: p42.ngo-share-grim
    verdict: warn
    why: "truncated, not rounded"
# a comment at the end
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled fact base as the working directory, without its baseline."""
    shutil.copytree(ROOT / "facts", tmp_path / "facts")
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def accepted(path: Path) -> set[tuple[str, str]]:
    return {(e.rule, e.verdict) for e in kzfacts.load_baseline(path).accepted}


def test_a_new_baseline_accepts_every_current_finding(repo: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 1  # two failed error rules, nothing accepted
    assert main(["baseline", "update"]) == 0
    assert accepted(repo / "baseline.yaml") == FINDINGS
    text = (repo / "baseline.yaml").read_text(encoding="utf-8")
    assert text.count("TODO: justify.") == 7
    assert "4,780 + 381 + 5005 = 10,166, not 10,169: 3 short" in text  # the arithmetic
    assert "added   p46.outcomes-sum (fail)" in capsys.readouterr().out
    assert main(["check", "--no-cache"]) == 1  # accepted, but still to justify: not green
    out = capsys.readouterr().out
    assert ("Accepted findings still to justify (their 'why' starts with TODO):\n"
            "  p03.sentences-sum-riots\n  p11.no-such-facts-2023\n"
            "  p12-p13.repeaters-vs-participations\n  p42.ngo-share-grim\n") in out
    assert main(["baseline", "update", "--check"]) == 1  # the gate wants them justified
    assert "todo    p46.outcomes-sum: its justification still starts with TODO" in (
        capsys.readouterr().out)


def test_update_keeps_every_comment_and_entry_byte_for_byte(repo: Path) -> None:
    baseline = repo / "baseline.yaml"
    baseline.write_text(COMMENTED, encoding="utf-8")
    assert main(["baseline", "update"]) == 0
    new = baseline.read_text(encoding="utf-8")
    old_lines, new_lines = COMMENTED.splitlines(), new.splitlines()
    # Every old line survives, in order, and the new entries sit before the end comment.
    it = iter(new_lines)
    assert all(line in it for line in old_lines)
    assert new_lines[-1] == "# a comment at the end"
    assert len(new_lines) == len(old_lines) + 5 * 3  # five new findings, three lines each
    assert accepted(baseline) == FINDINGS
    # Accepted justifications are the ones people wrote, untouched.
    assert kzfacts.check("facts", "rules", baseline=baseline).result(
        "p46.outcomes-sum").justification == "three short of the total"


def test_an_up_to_date_baseline_is_not_rewritten(repo: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    baseline = repo / "baseline.yaml"
    shutil.copy(ROOT / "baseline.yaml", baseline)
    before = baseline.stat().st_mtime_ns, baseline.read_bytes()
    assert main(["baseline", "update"]) == 0
    assert (baseline.stat().st_mtime_ns, baseline.read_bytes()) == before
    assert "up to date" in capsys.readouterr().out
    assert main(["baseline", "update", "--check"]) == 0


def test_stale_entries_are_reported_kept_and_pruned_with_their_comments(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = repo / "baseline.yaml"
    stale = ("  # This one was fixed upstream.\n  - rule: p46.outcomes-sum\n    verdict: warn\n"
             "    why: a verdict the rule no longer has\n")
    original = (ROOT / "baseline.yaml").read_text(encoding="utf-8")
    baseline.write_text(original + stale, encoding="utf-8")

    report = kzfacts.check("facts", "rules", baseline=baseline)
    assert report.stale_baseline == ("p46.outcomes-sum (warn)",)
    assert report.exit_code == 0  # stale entries are reported, they do not fail the gate
    assert main(["check", "--format", "text"]) == 0
    assert "Baseline entries that match nothing (stale):\n  p46.outcomes-sum (warn)" in (
        capsys.readouterr().out)

    assert main(["baseline", "update"]) == 0  # without --prune: reported, kept
    assert "stale   p46.outcomes-sum (warn)" in capsys.readouterr().out
    assert baseline.read_text(encoding="utf-8") == original + stale

    assert main(["baseline", "update", "--check", "--prune"]) == 1  # would change
    assert baseline.read_text(encoding="utf-8") == original + stale  # --check writes nothing
    assert main(["baseline", "update", "--prune"]) == 0
    assert baseline.read_text(encoding="utf-8") == original  # the entry and its comment
    assert kzfacts.check("facts", "rules", baseline=baseline).stale_baseline == ()


def test_check_option_fails_when_a_finding_is_new(repo: Path) -> None:
    baseline = repo / "baseline.yaml"
    baseline.write_text(COMMENTED, encoding="utf-8")
    assert main(["baseline", "update", "--check"]) == 1
    assert baseline.read_text(encoding="utf-8") == COMMENTED


@pytest.mark.parametrize("empty", ["accepted: []\n", "accepted:\n", "# only a comment\n", ""])
def test_an_empty_baseline_gets_a_block_list(repo: Path, empty: str) -> None:
    baseline = repo / "baseline.yaml"
    baseline.write_text(empty, encoding="utf-8")
    assert main(["baseline", "update"]) == 0
    text = baseline.read_text(encoding="utf-8")
    assert accepted(baseline) == FINDINGS
    if empty.startswith("#"):
        assert text.startswith(empty)


def test_a_flow_style_list_is_refused_with_its_location(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = repo / "baseline.yaml"
    flow = "accepted: [{rule: p46.outcomes-sum, verdict: fail, why: three short}]\n"
    baseline.write_text(flow, encoding="utf-8")
    assert main(["baseline", "update"]) == 2
    err = capsys.readouterr().err
    assert "baseline.yaml:1:11" in err and "block style" in err
    assert baseline.read_text(encoding="utf-8") == flow


def test_an_invalid_baseline_is_an_input_error(repo: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "baseline.yaml").write_text("accepted:\n  - rule: p46.outcomes-sum\n"
                                        "    verdict: maybe\n    why: x y z\n", encoding="utf-8")
    assert main(["baseline", "update"]) == 2
    err = capsys.readouterr().err
    assert "baseline.yaml:3:" in err and "Traceback" not in err


def test_update_never_writes_through_a_link(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A baseline that is a link (here, to a file inside the project) is read, never written
    through: the update is refused with exit 2 and the target keeps its bytes."""
    target = repo / "accepted.yaml"
    target.write_text("accepted: []\n", encoding="utf-8")
    (repo / "baseline.yaml").symlink_to("accepted.yaml")
    assert main(["baseline", "update"]) == 2
    assert capsys.readouterr().err == ("kzfacts: baseline.yaml: expected a regular file or a new "
                                       "file name to write, found a symbolic link to accepted.yaml\n")
    assert target.read_text(encoding="utf-8") == "accepted: []\n"
