"""The console script turns the collector off while it imports the engine, and back on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

_PROBE = """
import gc, sys
import kzfacts.cli
calls = []
real = kzfacts.cli._main
def probe(args, keyed):
    calls.append((gc.isenabled(), gc.get_threshold()[0], len(gc.get_objects()) < 50_000))
    return real(args, keyed)
kzfacts.cli._main = probe
from kzfacts._fastpath import main
code = main(sys.argv[1:])
print(calls, gc.isenabled())
sys.exit(code)
"""


def test_the_check_runs_with_the_tuned_collector_on(tmp_path: Path) -> None:
    env = {**os.environ, "KZFACTS_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", _PROBE, "check", "--no-cache"], cwd=tmp_path,
                         capture_output=True, text=True, env=env, timeout=120, check=False)
    assert out.returncode in (0, 1), out.stderr
    # enabled, the larger first threshold, and the imports frozen (not tracked any more)
    assert out.stdout.strip().endswith("[(True, 20000, True)] True")


def test_an_answer_from_the_cache_leaves_the_collector_as_it_was(tmp_path: Path) -> None:
    """In-process callers get the collector back, whichever way main() returns."""
    probe = ("import gc, sys\nfrom kzfacts._fastpath import main\n"
             "codes = [main(sys.argv[1:]) for _ in range(2)]\n"  # the second is a cache hit
             "print(codes[0] == codes[1], 'pydantic' in sys.modules, gc.isenabled())\n")
    env = {**os.environ, "KZFACTS_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", probe, "check", "-o", str(tmp_path / "r.json")],
                         cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120,
                         check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "True", "True"]
    second = ("import gc, sys\nfrom kzfacts._fastpath import main\n"
              "code = main(sys.argv[1:])\n"
              "print('pydantic' in sys.modules, gc.isenabled())\n")
    out = subprocess.run([sys.executable, "-c", second, "check", "-o", str(tmp_path / "r.json")],
                         cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120,
                         check=False)
    assert out.stdout.split() == ["False", "True"]  # answered from the cache, collector on
