"""The docs and a project of a user's, run outside the checkout against the installed package.

Once per test session, kzfacts is built into a wheel (``pip wheel --no-deps``) and installed
without its dependencies into a fresh virtual environment, which sees the dependencies of the
running one (pydantic, pint, PyYAML; pytest, Hypothesis and mypy for the project) through a
``.pth`` line: the checkout's ``src/`` is never on its path (a test asserts it).

Docs convention: every code block fenced as ```` ```python ```` in README.md and
docs/library.md runs, the blocks of a file in order, as one script in a fresh folder (each at
its own line, so a traceback names the line of the document); ```` ```python no-run ````
shows code without running it. A document's run must not fail (assert in the code what it
shows).

These tests are marked ``wheel`` (``pytest -m "not wheel"`` skips the build, about 20 s).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = Path(__file__).resolve().parent / "project" / "usage.py"
#: A fenced block: its indentation, its info string, its body (to the matching fence).
_FENCE = re.compile(r"^(?P<indent>[ ]*)```(?P<info>[^`\n]*)\n(?P<body>.*?)^(?P=indent)```[ ]*$",
                    re.S | re.M)

pytestmark = pytest.mark.wheel


def python_blocks(text: str) -> list[tuple[int, str]]:
    """The blocks to run: ``(line of their first line, code)``, code dedented."""
    out = []
    for m in _FENCE.finditer(text):
        if m["info"].strip() != "python":
            continue
        line = text.count("\n", 0, m.start("body")) + 1
        indent = len(m["indent"])
        code = "".join(row[min(indent, len(row) - len(row.lstrip(" "))):]
                       for row in m["body"].splitlines(keepends=True))
        out.append((line, code))
    return out


def script_of(text: str) -> str:
    """The document's blocks as one script, each block at its own line of the document."""
    lines: list[str] = []
    for line, code in python_blocks(text):
        lines += [""] * (line - 1 - len(lines))
        lines += code.splitlines()
    return "\n".join(lines) + "\n"


def test_the_block_finder_sees_fences_tags_and_lines() -> None:
    text = ("# t\n```python\nif x:\n    x = 1\n```\n\n```python no-run\nboom()\n```\n"
            "- a list\n\n  ```python\n  if x:\n      y = x\n  ```\n```sh\nls\n```\n")
    assert python_blocks(text) == [(3, "if x:\n    x = 1\n"), (13, "if x:\n    y = x\n")]
    script = script_of(text).splitlines()
    assert (script[2], script[3], script[12], script[13]) == (
        "if x:", "    x = 1", "if x:", "    y = x")


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a fresh virtual environment with the kzfacts wheel installed."""
    work = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PIP_REQUIRE_VIRTUALENV")}
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(work / "dist"), str(ROOT)],
                   check=True, env=env, timeout=300)
    (wheel,) = (work / "dist").glob("kzfacts-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   env=env, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([*pip, "--python", str(python), "install", "--no-deps", str(wheel)],
                   check=True, env=env, timeout=300)
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                              "['purelib'])"], capture_output=True, text=True, check=True,
                             env=env, timeout=60).stdout.strip()
    # the running environment's packages, for the dependencies (its own .pth files, such as
    # an editable install of kzfacts, are not read from there)
    here = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "_running_env.pth").write_text("\n".join(sorted(here)) + "\n",
                                                    encoding="utf-8")
    return python


def _run(python: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTEST_ADDOPTS", "PYTHONSTARTUP", "MYPYPATH")}
    env.update(PYTHONNOUSERSITE="1", NO_COLOR="1")
    return subprocess.run([str(python), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=600, check=False)


def test_the_installed_package_is_the_wheel(installed: Path, tmp_path: Path) -> None:
    run = _run(installed, ["-c", "import kzfacts; print(kzfacts.__file__); "
                                 "print(kzfacts.bundled_path())"], tmp_path)
    assert run.returncode == 0, run.stderr
    module, bundled = run.stdout.splitlines()
    venv = installed.parent.parent
    assert Path(module).is_relative_to(venv)
    assert not Path(module).is_relative_to(ROOT)
    assert Path(bundled) == Path(module).parent / "_bundled"


@pytest.mark.parametrize("doc", ["README.md", "docs/library.md"])
def test_every_python_block_of_a_document_runs(installed: Path, tmp_path: Path,
                                               doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    assert python_blocks(text), f"{doc} has no python block to run"
    script = tmp_path / Path(doc).name
    script.write_text(script_of(text), encoding="utf-8")
    run = _run(installed, [str(script)], tmp_path)
    assert run.returncode == 0, f"{doc}:\n{run.stdout}\n{run.stderr}"


def test_a_project_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    """A user's project: every check, the pydantic field type and model validator, the
    fact-base API, both doors agreeing on every kind; and mypy --strict on its code."""
    shutil.copy(PROJECT, tmp_path / "test_usage.py")
    run = _run(installed, ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                           "test_usage.py"], tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"\b8 passed\b", run.stdout), run.stdout
    typed = _run(installed, ["-m", "mypy", "--strict", "--cache-dir",
                             str(tmp_path / ".mypy_cache"), "test_usage.py"], tmp_path)
    assert typed.returncode == 0, typed.stdout + typed.stderr
    assert "Success: no issues found in 1 source file" in typed.stdout
