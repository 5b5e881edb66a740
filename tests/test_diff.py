"""``kzfacts diff OLD NEW``: what a data edit changed, between directories or git revisions."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kzfacts.cli import main

ROOT = Path(__file__).resolve().parents[1]


def copy_base(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in ("facts", "rules"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "baseline.yaml", dest / "baseline.yaml")
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def fix_source_46(base: Path) -> None:
    """Make ¶46 add up: 10,169 → 10,166 in the source, the fact and the recorded hash."""
    edit(base / "facts/source.txt", "10,169", "10,166")
    p46 = base / "facts/p46.yaml"
    p46.write_text(p46.read_text(encoding="utf-8").replace("10169", "10166")
                   .replace("10,169", "10,166"), encoding="utf-8")
    digest = hashlib.sha256((base / "facts/source.txt").read_bytes()).hexdigest()
    doc = base / "facts/document.yaml"
    text = doc.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("sha256:"))
    edit(doc, old, f"sha256: {digest}")


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_identical_sides_have_no_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = copy_base(tmp_path / "a"), copy_base(tmp_path / "b")
    code, out, _ = run(["diff", str(a), str(b), "--exit-code"], capsys)
    assert code == 0
    assert "No fact and no verdict changed." in out
    assert "exit 0 → 0" in out


def test_a_value_edit_is_a_changed_fact_and_a_new_problem(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = copy_base(tmp_path / "a"), copy_base(tmp_path / "b")
    edit(b / "facts/p46.yaml", "value: 10169", "value: 10170")
    code, out, _ = run(["diff", str(a), str(b), "--format", "json", "--exit-code"], capsys)
    assert code == 1
    d = json.loads(out)
    assert [(f["id"], f["change"], f["fields"], f["old"]["value"], f["new"]["value"])
            for f in d["facts"]] == [("npm.recommendations", "changed", ["value"], "10169", "10170")]
    assert d["facts"][0]["new"]["location"].startswith("facts/p46.yaml:")
    assert d["problems_new"] == [
        "npm.recommendations: value 10170 but the source says '10,169', which reads as 10169"]
    assert (d["exit_old"], d["exit_new"]) == (0, 1)
    assert d["source_changed"] is False


def test_fixing_the_document_changes_a_verdict_in_markdown(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = copy_base(tmp_path / "a"), copy_base(tmp_path / "b")
    fix_source_46(b)
    code, out, _ = run(["diff", str(a), str(b), "--format", "markdown"], capsys)
    assert code == 0
    assert out.startswith(f"### kzfacts diff: `{a}` → `{b}`")
    assert "The source text changed" in out
    assert ("| `p46.outcomes-sum` | fail (accepted) | pass | "
            "4,780 + 381 + 5005 = 10,166 ✓ |") in out
    row = next(line for line in out.splitlines() if line.startswith("| `npm.recommendations`"))
    assert "| changed (value, quote, written) | 10169 recommendation<br>" in row
    assert "10,169" in row and "10,166" in row  # the quotes, before and after


def test_added_and_removed_facts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = copy_base(tmp_path / "a"), copy_base(tmp_path / "b")
    edit(b / "facts/p46.yaml", "id: npm.recommendations\n", "id: npm.recommendations_total\n")
    npm = b / "rules/npm.yaml"
    npm.write_text(npm.read_text(encoding="utf-8").replace(
        " npm.recommendations\n", " npm.recommendations_total\n"), encoding="utf-8")
    code, out, _ = run(["diff", str(a), str(b)], capsys)
    assert code == 0
    assert "  added    npm.recommendations_total (¶46): — -> 10169 recommendation" in out
    assert "  removed  npm.recommendations (¶46): 10169 recommendation -> —" in out


def git(repo: Path, *args: str) -> None:
    if shutil.which("git") is None:  # pragma: no cover - git is on every CI machine
        pytest.skip("git is not installed")
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo,
                   check=True, capture_output=True)


def commit_all(repo: Path, message: str) -> None:
    """A new repository at ``repo`` (if need be) with everything below it committed."""
    if not (repo / ".git").exists():
        git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


@pytest.fixture
def git_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = copy_base(tmp_path / "repo")
    monkeypatch.chdir(repo)
    commit_all(repo, "data")
    fix_source_46(repo)
    commit_all(repo, "fix 46")
    return repo


def test_two_git_revisions(git_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["diff", "HEAD~1", "HEAD"], capsys)
    assert code == 0
    assert out.startswith("kzfacts diff: HEAD~1 (")
    assert "p46.outcomes-sum: fail (accepted) -> pass" in out
    assert "changed  npm.recommendations (¶46) (value, quote, written): 10169 recommendation " \
           "-> 10166 recommendation  [facts/p46.yaml:" in out
    # The working tree is the default new side; it equals HEAD here.
    code, out, _ = run(["diff", "HEAD"], capsys)
    assert "No fact and no verdict changed." in out
    assert subprocess.run(["git", "status", "--porcelain"], cwd=git_repo, capture_output=True,
                          text=True, check=True).stdout == ""  # nothing written


@pytest.mark.usefixtures("git_repo")
def test_a_side_that_is_neither_is_an_input_error(capsys: pytest.CaptureFixture[str]) -> None:
    for bad in ("no-such-rev", "--output=x"):
        code, _, err = run(["diff", "--", bad], capsys)
        assert code == 2
        assert "expected a directory or a git revision" in err
        assert "Traceback" not in err


def test_invalid_data_on_one_side_names_the_side(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = copy_base(tmp_path / "a"), copy_base(tmp_path / "b")
    edit(b / "facts/p46.yaml", "value: 10169", "value: 10169.5")
    code, _, err = run(["diff", str(a), str(b)], capsys)
    assert code == 2
    assert f"{b}/facts/p46.yaml:5:" in err and "found the float 10169.5" in err


def test_invalid_data_in_a_revision_is_located_in_the_repository(
        git_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(git_repo / "facts/p46.yaml", "value: 10166", "value: 10166.5")
    commit_all(git_repo, "bad")
    code, _, err = run(["diff", "HEAD~1", "HEAD"], capsys)
    assert code == 2
    assert "  facts/p46.yaml:5:12: in HEAD (" in err
    assert "found the float 10166.5" in err and "kzfacts-diff-" not in err


def test_a_revision_from_a_subfolder_of_the_repository(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A monorepo: the fact base lives in reports/kz, and diff runs from there."""
    repo = tmp_path / "mono"
    base = copy_base(repo / "reports" / "kz")
    commit_all(repo, "data")
    fix_source_46(base)
    monkeypatch.chdir(base)
    code, out, err = run(["diff", "HEAD"], capsys)
    assert code == 0, err
    assert "p46.outcomes-sum: fail (accepted) -> pass" in out
