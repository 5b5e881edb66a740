"""docs/tutorial.md, run as a reader runs it: every file written, every command run in order.

Conventions of the tutorial: a fenced block after ``<!-- file: PATH -->`` is written to
PATH; every line of a ``sh`` block is a command (``# exit N`` gives its exit code, default
0) unless the block follows ``<!-- not run -->``; each line of a block after
``<!-- output -->`` must appear in the output of the command run just before it (stdout
and stderr: the messages of a failed check are on stderr).

A ``kzfacts`` command with nothing for a shell to expand runs in this process
(``kzfacts.cli.main``, what the console script calls, from the tutorial's folder); every
other line runs in bash. The console script itself is tested in test_cli.py.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kzfacts.cli import main

TUTORIAL = Path(__file__).resolve().parents[1] / "docs" / "tutorial.md"
_BLOCK = re.compile(r"(?:<!-- (?P<mark>[^>]*?) -->\n)?```(?P<lang>\w*)\n(?P<body>.*?)```", re.S)
#: What a shell would expand or redirect: such a line runs in bash.
_SHELL = re.compile(r"[|&;<>()$`*?~\\\"'{}\[\]]")


def _steps() -> list[tuple[str, str, str]]:
    """``(action, argument, body)`` in order: ("file", path, text), ("run", lang, lines)..."""
    out = []
    for m in _BLOCK.finditer(TUTORIAL.read_text(encoding="utf-8")):
        mark, lang, body = m["mark"] or "", m["lang"], m["body"]
        if mark.startswith("file: "):
            out.append(("file", mark.removeprefix("file: "), body))
        elif mark == "output":
            out.append(("output", "", body))
        elif lang == "sh" and mark != "not run":
            out.append(("run", "", body))
    return out


def test_tutorial_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    env = {**os.environ, "NO_COLOR": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    # a reader's pytest: the kzfacts plugin, not the plugins of this project's test extras
    # (`pip install kzfacts` brings neither Hypothesis nor xdist)
    env["PYTEST_ADDOPTS"] = "-p no:hypothesispytest -p no:xdist"
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)

    def run(command: str) -> tuple[int, str, str]:
        argv = shlex.split(command)
        if argv[0] == "kzfacts" and not _SHELL.search(command):
            capsys.readouterr()
            code = main(argv[1:])
            out, err = capsys.readouterr()
            return code, out, err
        proc = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env,
                              capture_output=True, text=True, encoding="utf-8",
                              timeout=300, check=False)
        return proc.returncode, proc.stdout, proc.stderr

    last = ""
    ran: list[str] = []
    for action, arg, body in _steps():
        if action == "file":
            path = tmp_path / arg
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
        elif action == "run":
            for line in body.splitlines():
                command, _, comment = line.partition("#")
                if not command.strip():
                    continue
                code = re.search(r"exit (\d+)", comment)
                returncode, stdout, stderr = run(command)
                expected = int(code[1]) if code else 0
                assert returncode == expected, (command, stdout, stderr)
                assert "Traceback" not in stderr, command
                last = stdout + stderr
                ran.append(command.strip())
        else:
            for line in body.splitlines():
                assert line.strip() in last, (line, last)
    assert ran[0] == "kzfacts init . --source report.txt"
    # The CI workflow runs commands the tutorial ran (pip install aside).
    workflow = yaml.safe_load((tmp_path / ".github/workflows/facts.yml").read_text(encoding="utf-8"))
    runs = [s["run"] for s in workflow["jobs"]["check"]["steps"] if "run" in s]
    assert runs[0] == "pip install kzfacts"
    for command in runs[1:]:
        returncode, stdout, stderr = run(command)
        assert returncode == 0, (command, stdout, stderr)
    assert "**3 rules**" in (tmp_path / "report.md").read_text(encoding="utf-8")  # step 10 adds one


def test_tutorial_conventions_are_used() -> None:
    """The parser sees the steps: a test that found none would pass vacuously."""
    steps = _steps()
    kinds = [action for action, _, _ in steps]
    assert kinds.count("file") >= 9
    assert kinds.count("run") >= 6
    assert kinds.count("output") >= 5
    assert any(arg == "report.txt" for action, arg, _ in steps if action == "file")


def test_tutorial_shows_the_messages_that_say_the_fix() -> None:
    """A quote not found, an undeclared unit, a YAML slip and an edited source: each is
    shown with its message as pinned output, so a message that changes fails the run."""
    shown = "\n".join(body for action, _, body in _steps() if action == "output")
    for message in ("must occur once in ¶3 at word boundaries: not found; the nearest words are",
                    "(to declare it, add '- EUR = [EUR]' under definitions: in scratch/units.yaml)",
                    "expected a '}' to close the mapping that opens here",
                    "`kzfacts init --update-hash scratch` records its sha256 in document.yaml"):
        assert message in shown, message
