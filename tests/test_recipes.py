"""The recipes the README hands out: pre-commit hooks and the GitHub Actions workflow."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from kzfacts import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("facts", "rules"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "baseline.yaml", tmp_path / "baseline.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def hooks() -> list[dict[str, Any]]:
    data = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def test_pre_commit_hooks_are_well_formed() -> None:
    ids = [h["id"] for h in hooks()]
    assert ids == ["kzfacts-check", "kzfacts-baseline"]
    for hook in hooks():
        assert {"id", "name", "entry", "language"} <= hook.keys()
        assert hook["language"] == "python"  # pre-commit installs this package for it
        assert hook["pass_filenames"] is False  # the check is of the whole fact base
        files = re.compile(hook["files"])
        for path in ("facts/p01.yaml", "facts/source.txt", "rules/npm.yaml", "baseline.yaml"):
            assert files.search(path), path
        for path in ("README.md", "tests/test_cli.py", "src/kzfacts/cli.py", "baseline.yaml.bak"):
            assert not files.search(path), path


def test_pre_commit_hooks_pass_on_the_bundled_data_and_fail_on_a_bad_edit(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entries = {h["id"]: shlex.split(h["entry"]) for h in hooks()}
    assert all(e[0] == "kzfacts" for e in entries.values())
    assert [cli.main(e[1:]) for e in entries.values()] == [0, 0]
    p46 = repo / "facts" / "p46.yaml"
    p46.write_text(p46.read_text(encoding="utf-8").replace("value: 4780", "value: 4781"),
                   encoding="utf-8")
    capsys.readouterr()
    assert cli.main(entries["kzfacts-check"][1:]) == 1
    assert "npm.recommendations.executed" in capsys.readouterr().out


def workflow() -> dict[str, Any]:
    block = README.split("<!-- kzfacts:workflow:start -->")[1].split(
        "<!-- kzfacts:workflow:end -->")[0]
    body = block.strip().removeprefix("```yaml").removesuffix("```")
    data = yaml.safe_load(body)
    assert isinstance(data, dict)
    return data


def kzfacts_commands() -> list[list[str]]:
    """Every kzfacts command of the workflow's run steps, without shell plumbing."""
    steps = workflow()["jobs"]["check"]["steps"]
    commands = []
    for step in steps:
        for line in str(step.get("run", "")).splitlines():
            command = re.split(r"\|\||>>|;", line)[0].strip()
            if command.startswith("kzfacts "):
                commands.append(shlex.split(command.replace("$GITHUB_BASE_REF", "main")))
    return commands


def test_the_workflow_runs_the_documented_commands() -> None:
    flow = workflow()
    assert flow["permissions"]["security-events"] == "write"
    steps = flow["jobs"]["check"]["steps"]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith(
        "github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == "kzfacts.sarif"
    assert steps[-1]["run"] == "kzfacts check"  # the gate is the last step
    parser = cli.parser()
    commands = kzfacts_commands()
    assert [c[1] for c in commands] == ["check", "check", "diff", "check"]
    for command in commands:
        parser.parse_args(command[1:])  # exits (fails the test) on an unknown option


def test_the_workflow_report_steps_write_their_reports(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sarif, markdown = kzfacts_commands()[:2]
    assert cli.main(sarif[1:]) == 0
    assert '"version": "2.1.0"' in (repo / "kzfacts.sarif").read_text(encoding="utf-8")
    capsys.readouterr()
    assert cli.main(markdown[1:]) == 0
    assert capsys.readouterr().out.startswith("### kzfacts: ")


def test_the_exit_code_table_matches_the_command() -> None:
    table = README.split("## Exit codes")[1].split("##")[0]
    codes = re.findall(r"^\| (\d) \|", table, flags=re.MULTILINE)
    assert codes == ["0", "1", "2", "3"]
    assert (cli.EXIT_OK, cli.EXIT_FINDINGS, cli.EXIT_INVALID, cli.EXIT_BUG) == (0, 1, 2, 3)
