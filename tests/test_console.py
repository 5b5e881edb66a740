"""The console script ends the process without Python's teardown once its work is done:
exit code, output and exit handlers as before; with a thread still running, or output
that cannot be flushed, Python's own exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kzfacts.cli import main

# Says whether the process ended by os._exit (no teardown) or by Python's own exit, and
# that an exit handler registered before the console script ran.
_RUN = """
import atexit, os, sys, threading, time
real_exit = os._exit
def ended(code):
    os.write(1, f"os._exit({code})\\n".encode())
    real_exit(code)
os._exit = ended
atexit.register(lambda: sys.stdout.write("exit handler\\n"))
mode = sys.argv.pop(1)
import kzfacts.cli.fastpath as fastpath
real = fastpath.main
def main():
    code = real()
    if mode == "thread":  # still running when main() returns
        threading.Thread(target=time.sleep, args=(0.3,)).start()
    return code
fastpath.main = main
fastpath.console()
"""


def _run(tmp_path: Path, mode: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KZFACTS_CACHE_DIR": str(tmp_path / "cache")}
    return subprocess.run([sys.executable, "-c", _RUN, mode, *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_report_the_code_and_exit_handlers_without_teardown(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--no-cache", "--format", "json"]) == 0
    report = capsys.readouterr().out
    out = _run(tmp_path, "plain", "check", "--no-cache", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert out.stdout == report + "exit handler\nos._exit(0)\n"  # all of it, then the handler


def test_an_error_keeps_its_exit_code(tmp_path: Path) -> None:
    out = _run(tmp_path, "plain", "check", "--no-cache", "--facts", str(tmp_path / "none"))
    assert out.returncode == 2
    assert "expected a facts folder, found no such folder" in out.stderr
    assert out.stdout == "exit handler\nos._exit(2)\n"


def test_a_running_thread_leaves_the_exit_to_python(tmp_path: Path) -> None:
    out = _run(tmp_path, "thread", "check", "--no-cache", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert out.stdout.endswith("}\nexit handler\n")  # Python's exit: no os._exit
