"""The ``kzfacts`` command: exit codes, output, errors.

Most tests run the command in this process (``kzfacts.cli.main``, what the console script
calls) from the folder a user would run it in: its exit code, stdout and stderr are what the
script's would be, and an exception escaping it fails the test with its traceback. The tests
of the console script itself (``kzfacts`` and ``python -m kzfacts``: the version, a usage
error, invalid data: exit 2 and no traceback) run it as a real process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import kzfacts
from kzfacts.cli import main

ROOT = Path(__file__).resolve().parents[1]
KZFACTS = Path(sys.executable).parent / "kzfacts"
WriteBase = Callable[..., tuple[Path, Path]]

FACT_ROW_KEYS = {"id", "paragraph", "kind", "value", "unit", "period", "quote", "file", "line",
                 "subject", "note", "assumption", "unchecked", "claim"}


def run_script(args: Sequence[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The console script, as a real process."""
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([str(KZFACTS), *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120, check=False)


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


Run = Callable[..., Ran]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """``run(args, cwd=ROOT) -> Ran``: the command run in this process from ``cwd``, with
    NO_COLOR set; its exit code and what it wrote."""
    monkeypatch.setenv("NO_COLOR", "1")

    def command(args: Sequence[str], cwd: Path = ROOT) -> Ran:
        capsys.readouterr()
        monkeypatch.chdir(cwd)
        code = main(list(args))
        out, err = capsys.readouterr()
        return Ran(code, out, err)

    return command


def test_console_script_installed() -> None:
    assert KZFACTS.is_file()


# -- the bundled fact base -----------------------------------------------------------------

def test_check_json(run: Run) -> None:
    proc = run(["check", "--format", "json"])
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    assert report["version"] == "2.0"
    assert report["results"]
    counts = report["counts"]
    assert sum(counts.values()) == len(report["results"])
    for verdict in ("pass", "warn", "fail", "skip"):
        assert counts[verdict] == sum(1 for r in report["results"] if r["verdict"] == verdict)
    blocking = any(r["verdict"] == "fail" and r["severity"] == "error" and not r["accepted"]
                   for r in report["results"])
    expected = 1 if blocking or report["anchoring"] or report["coverage"]["uncovered"] else 0
    assert proc.returncode == expected


def test_check_json_is_stable(run: Run) -> None:
    """Two runs in one process print the same bytes: nothing a run leaves behind changes
    the next (across processes and hash seeds: test_determinism.py)."""
    first, second = run(["check", "--format", "json"]), run(["check", "--format", "json"])
    assert first.stdout == second.stdout
    assert first.returncode == second.returncode


def test_check_output_file(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "report" / "kzfacts.json"
    proc = run(["check", "--format", "json", "--output", str(out)])
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == "2.0"
    assert [p.name for p in out.parent.iterdir()] == ["kzfacts.json"]  # no temporary left


def test_explain(run: Run) -> None:
    proc = run(["explain", "p18.sentences-sum"])
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("p18.sentences-sum (sum, error) at rules/")
    assert "paragraphs: ¶18" in out
    assert "verdict: " in out
    for fact_id, value, quote in [
        ("torture.convicted", "64 person", "In total, 64 persons have been convicted of torture"),
        ("torture.sentenced.prison", "50 person",
         "50 (78%) have been sentenced to real imprisonment"),
        ("torture.sentenced.probation", "9 person", "9 (14%) to probation"),
        ("torture.sentenced.restriction", "5 person", "5 (7.8%) to restriction of liberty"),
    ]:
        assert f"  {fact_id} = {value}  (¶18, facts/p18.yaml:" in out
        assert f"\u201c{quote}\u201d" in out
    assert "50 + 9 + 5" in out


def test_explain_unknown_rule(run: Run) -> None:
    proc = run(["explain", "p18.sentences-sun"])
    assert proc.returncode == 2
    assert "no rule 'p18.sentences-sun'" in proc.stderr
    assert "p18.sentences-sum" in proc.stderr  # did you mean
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_facts_json(run: Run) -> None:
    proc = run(["facts", "--paragraph", "18", "--format", "json"])
    assert proc.returncode == 0, proc.stderr
    rows: list[dict[str, Any]] = json.loads(proc.stdout)
    assert rows
    source = (ROOT / "facts" / "source.txt").read_text(encoding="utf-8")
    p18 = next(line for line in source.splitlines() if line.startswith("18. "))
    for row in rows:
        assert set(row) == FACT_ROW_KEYS
        assert row["paragraph"] == 18
        assert row["file"] == "facts/p18.yaml"
        assert isinstance(row["line"], int)
        assert row["line"] >= 1
        assert row["quote"] in p18
        assert row["value"] is None or isinstance(row["value"], str)
    lines = [row["line"] for row in rows]
    assert lines == sorted(lines)
    by_id = {row["id"]: row for row in rows}
    convicted = by_id["torture.convicted"]
    assert (convicted["kind"], convicted["value"], convicted["unit"]) == ("count", "64", "person")
    restriction = by_id["torture.sentenced.restriction.share"]
    assert (restriction["kind"], restriction["value"], restriction["unit"]) == (
        "share", "7.8", "percent")
    # the line names the fact's record in its file
    text = (ROOT / "facts" / "p18.yaml").read_text(encoding="utf-8").splitlines()
    assert text[convicted["line"] - 1].strip() == "- id: torture.convicted"


def test_bad_command_line() -> None:
    proc = run_script(["check", "--format", "xml"])
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr
    assert "Traceback" not in proc.stderr


# -- tiny fact bases -----------------------------------------------------------------------

FACTS = """\
paragraph: 1
facts:
  - id: convicted
    kind: count
    value: 64
    unit: person
    subject: persons convicted
    quote: "64 persons were convicted"
    written: "64"
  - id: prison
    kind: count
    value: 50
    unit: person
    subject: persons imprisoned
    quote: "50 were imprisoned"
    written: "50"
"""

RULES = """\
rules:
  - id: r.sum
    kind: sum
    title: The part is the whole
    severity: error
    paragraphs: [1]
    why: for the test
    parts: [prison]
    total: convicted
"""

UNITS = "definitions:\n  - person = [person] = _ = persons\n"


def test_broken_data_exit_2(write_base: WriteBase, tmp_path: Path) -> None:
    broken = FACTS.replace("value: 64", "value: 6.4").replace("unit: person\n    subject: persons "
                                                              "imprisoned", "unit: persn\n    "
                                                              "subject: persons imprisoned")
    facts, rules = write_base(["64 persons were convicted, 50 were imprisoned."],
                              {"p01.yaml": broken}, {"r.yaml": RULES.replace("kind: sum", "kind: summ")},
                              units=UNITS)
    proc = run_script(["check", "--facts", str(facts), "--rules", str(rules)], cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "facts/p01.yaml:5:12" in proc.stderr
    assert "facts/p01.yaml:13:11" in proc.stderr
    assert "rules/r.yaml:3:11" in proc.stderr
    assert "3 errors" in proc.stderr
    assert proc.stdout == ""


def test_broken_yaml_exit_2(run: Run, write_base: WriteBase, tmp_path: Path) -> None:
    facts, rules = write_base(["64 persons were convicted, 50 were imprisoned."],
                              {"p01.yaml": FACTS + "  - id: [unclosed\n"}, {"r.yaml": RULES},
                              units=UNITS)
    proc = run(["check", "--facts", str(facts), "--rules", str(rules)], cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "facts/p01.yaml:" in proc.stderr


@pytest.mark.parametrize(("command", "extra"), [
    ("explain", ["r.sum"]), ("facts", []), ("numbers", []),
])
def test_other_commands_report_data_errors(run: Run, write_base: WriteBase, tmp_path: Path,
                                           command: str, extra: list[str]) -> None:
    facts, rules = write_base(["64 persons were convicted, 50 were imprisoned."],
                              {"p01.yaml": FACTS.replace("value: 64", "value: 6.4")},
                              {"r.yaml": RULES}, units=UNITS)
    proc = run([command, "--facts", str(facts), "--rules", str(rules), *extra], cwd=tmp_path)
    assert proc.returncode == 2
    assert "facts/p01.yaml:5:12" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(("prison", "code"), [(64, 0), (50, 1)])
def test_check_exit_code_follows_findings(run: Run, write_base: WriteBase, tmp_path: Path,
                                          prison: int, code: int) -> None:
    text = f"64 persons were convicted, {prison} were imprisoned."
    facts_text = FACTS.replace("value: 50", f"value: {prison}").replace(
        '"50 were imprisoned"\n    written: "50"',
        f'"{prison} were imprisoned"\n    written: "{prison}"')
    facts, rules = write_base([text], {"p01.yaml": facts_text}, {"r.yaml": RULES}, units=UNITS)
    proc = run(["check", "--facts", str(facts), "--rules", str(rules)], cwd=tmp_path)
    assert proc.returncode == code, proc.stderr
    assert "r.sum" in proc.stdout
    assert "\x1b[" not in proc.stdout
    if code:
        assert f"{prison}, not 64: 14 short" in proc.stdout
    else:
        assert "64 = 64 ✓" in proc.stdout


def test_baseline_accepts_a_finding(run: Run, write_base: WriteBase, tmp_path: Path) -> None:
    facts, rules = write_base(["64 persons were convicted, 50 were imprisoned."],
                              {"p01.yaml": FACTS}, {"r.yaml": RULES}, units=UNITS)
    baseline = tmp_path / "baseline.yaml"
    baseline.write_text("accepted:\n  - rule: r.sum\n    verdict: fail\n"
                        "    why: the document says so\n", encoding="utf-8")
    proc = run(["check", "--facts", str(facts), "--rules", str(rules), "--baseline",
                str(baseline), "--format", "json"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)["results"][0]
    assert (result["rule"], result["verdict"], result["accepted"], result["justification"]) == (
        "r.sum", "fail", True, "the document says so")


def test_numbers_uncovered(run: Run, write_base: WriteBase, tmp_path: Path) -> None:
    facts, rules = write_base(["64 persons were convicted, 50 were imprisoned, 7 released."],
                              {"p01.yaml": FACTS}, {"r.yaml": RULES}, units=UNITS)
    proc = run(["numbers", "--uncovered", "--facts", str(facts), "--rules", str(rules)],
               cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert len(lines) == 2
    assert "7" in lines[0].split()
    assert "UNCOVERED" in lines[0]
    assert lines[1] == "2/3 numbers accounted for"


def test_impossible_date_is_a_data_error(run: Run, write_base: WriteBase, tmp_path: Path) -> None:
    """A date fact of year 0 with an order rule: exit 2 with the place, not a traceback."""
    facts_text = ("paragraph: 1\nfacts:\n"
                  "  - id: began\n    kind: date\n    value: \"0000\"\n    subject: s\n"
                  "    quote: \"0000\"\n"
                  "  - id: ended\n    kind: date\n    value: \"2021\"\n    subject: s\n"
                  "    quote: \"2021\"\n")
    rules_text = RULES.split("    parts:", maxsplit=1)[0].replace("kind: sum", "kind: order") + (
        "    sequence: [began, ended]\n")
    facts, rules = write_base(["It began in 0000 and ended in 2021."], {"p01.yaml": facts_text},
                              {"r.yaml": rules_text}, units=UNITS)
    proc = run(["check", "--facts", str(facts), "--rules", str(rules)], cwd=tmp_path)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2
    assert "facts/p01.yaml:5:12" in proc.stderr


NO_FACTS = ("kzfacts: {where}: expected a facts folder here (or --facts DIR), found no such "
            "folder; to check the fact base shipped with kzfacts, add --bundled\n")


@pytest.mark.parametrize("command", [["check"], ["check", "--format", "json"], ["explain", "r"],
                                     ["facts"], ["numbers"], ["baseline", "update"]])
def test_outside_a_fact_base_nothing_is_checked(run: Run, tmp_path: Path,
                                                command: list[str]) -> None:
    """A run in the wrong folder is an error saying where it looked, never a verdict on the
    bundled data."""
    proc = run(command, cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == NO_FACTS.format(where=tmp_path.resolve() / "facts")
    assert list(tmp_path.iterdir()) == []


def test_the_bundled_fact_base_is_checked_when_asked_for(run: Run, tmp_path: Path) -> None:
    here = run(["check", "--bundled", "--format", "json"], cwd=tmp_path)
    root = run(["check", "--format", "json"])
    assert here.returncode == root.returncode == 0, here.stderr
    assert here.stdout.replace(str(ROOT) + "/", "") == root.stdout  # paths as each run names them
    assert kzfacts.bundled_path() == ROOT  # a source checkout's own data
    assert "bundled_path" in kzfacts.__all__
    proc = run(["check", "--bundled", "--facts", "facts"], cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (
        2, "kzfacts: --bundled: expected --bundled alone or the paths alone, found --facts too\n")


# -- text output: tables on a terminal, plain lines in a pipe ---------------------------------

def test_text_is_plain_when_piped_and_a_table_on_a_terminal(
        run: Run, kzfacts_report: kzfacts.Report) -> None:
    from kzfacts.reports.report import render_text

    report = kzfacts_report
    piped = run(["check"]).stdout
    assert "┌" not in piped and "\x1b[" not in piped
    assert "✗ fail (accepted)  p46.outcomes-sum  [¶46] error" in piped
    table = render_text(report, table=True, width=100)
    lines = table.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("┌"))
    bottom = next(i for i, line in enumerate(lines) if line.startswith("└"))
    assert all(len(line) == len(lines[top]) <= 100 for line in lines[top:bottom + 1])
    body = [line for line in lines[top + 3:bottom] if not line.startswith("│  ")]
    assert body[0].startswith("│ ✗ fail (accepted) │ p03.sentences-sum-riots")  # failures first
    assert body[-1].startswith("│ ✓ pass")
    assert len(body) == len(report.results)  # one row per rule (wrapped lines excluded)


def test_colour_only_on_request_and_never_with_no_color(
        monkeypatch: pytest.MonkeyPatch, kzfacts_report: kzfacts.Report) -> None:
    from kzfacts.reports.report import render_text

    report = kzfacts_report
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[31m" in render_text(report, color=True, table=True)
    assert "\x1b[" not in render_text(report, color=False, table=True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in render_text(report, color=True, table=True)


def test_reports_get_the_mode_of_a_plain_write(tmp_path: Path) -> None:
    from kzfacts._files import write_atomic

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.json", "{}\n")
        assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o644
        (tmp_path / "kept.json").write_text("", encoding="utf-8")
        (tmp_path / "kept.json").chmod(0o600)
        write_atomic(tmp_path / "kept.json", "{}\n")
        assert (tmp_path / "kept.json").stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.json", "new.json"]


def test_an_unwritable_output_is_an_input_error(run: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    proc = run(["check", "--format", "json", "--no-cache", "--output",
                str(blocker / "report.json")])
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"kzfacts: {blocker}")
    assert "expected a writable file, found File exists" in proc.stderr  # mkdir of the parent


def test_output_format_follows_the_extension_and_a_named_baseline_must_exist(
        run: Run, tmp_path: Path) -> None:
    proc = run(["check", "--no-cache", "-o", str(tmp_path / "r.sarif")])
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    proc = run(["check", "--no-cache", "--format", "markdown", "-o", str(tmp_path / "r.json")])
    assert (tmp_path / "r.json").read_text(encoding="utf-8").startswith("### kzfacts: ")
    proc = run(["check", "--baseline", str(tmp_path / "typo.yaml")])
    assert proc.returncode == 2
    assert f"{tmp_path / 'typo.yaml'}: expected a baseline file, found no such file" in proc.stderr


def test_paragraph_filters_refuse_a_paragraph_the_source_lacks(run: Run) -> None:
    for command in (["numbers", "--paragraph", "47"], ["facts", "--paragraph", "0"]):
        proc = run(command)
        assert proc.returncode == 2
        assert "--paragraph: expected a paragraph of the source (1..46)" in proc.stderr
    proc = run(["numbers", "--paragraph", "18"])
    assert proc.stdout.splitlines()[-1] == "8/8 numbers accounted for in ¶18"


# -- one parser: every command, --version, python -m kzfacts, --no-cache ----------------------

def test_version_from_the_script_and_python_m() -> None:
    for command in ([str(KZFACTS), "--version"], [sys.executable, "-m", "kzfacts", "--version"]):
        proc = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        assert (proc.returncode, proc.stdout, proc.stderr) == (
            0, f"kzfacts {kzfacts.__version__}\n", "")


def test_the_help_lists_every_command_and_each_has_its_own(
        capsys: pytest.CaptureFixture[str]) -> None:
    from kzfacts import cli

    assert cli.main(["--help"]) == 0
    whole = capsys.readouterr().out
    for name in cli.COMMANDS:
        assert f"    {name} " in whole
        assert cli.main([name, "--help"]) == 0
        assert capsys.readouterr().out.startswith(f"usage: kzfacts {name} ")
    assert cli.main(["chek"]) == 2
    assert "invalid choice: 'chek'" in capsys.readouterr().err


def test_no_cache_is_accepted_and_nothing_is_cached_anywhere(
        run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """There is no cache: --no-cache changes nothing, and no run reads or writes HOME,
    XDG_CACHE_HOME or KZFACTS_CACHE_DIR."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg"))
    monkeypatch.setenv("KZFACTS_CACHE_DIR", str(home / "kz"))
    runs = [run(["check", *extra]) for extra in ([], ["--no-cache"], [])]
    assert {(p.returncode, p.stdout, p.stderr) for p in runs} == {(0, runs[0].stdout, "")}
    assert list(home.iterdir()) == []
    for name in ("HOME", "XDG_CACHE_HOME", "KZFACTS_CACHE_DIR"):
        monkeypatch.delenv(name)
    bare = run(["check"])
    assert (bare.returncode, bare.stdout, bare.stderr) == (0, runs[0].stdout, "")
