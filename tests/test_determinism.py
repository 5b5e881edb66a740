"""Always the same answer: the JSON and SARIF reports are byte-identical across
PYTHONHASHSEED values, processes, and the order in which the files were created."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).parents[1]


def _copy(dest: Path, *, reverse: bool) -> Path:
    """Copy the bundled fact base file by file, in sorted or reversed order."""
    files = sorted(p for d in ("facts", "rules") for p in (REPO / d).rglob("*") if p.is_file())
    files += [REPO / "baseline.yaml"]
    for src in reversed(files) if reverse else files:
        target = dest / src.relative_to(REPO)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
    return dest


def _report(cwd: Path, fmt: str, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run(
        [sys.executable, "-m", "kzfacts.cli", "check", "--format", fmt, "--facts", "facts",
         "--rules", "rules", "--baseline", "baseline.yaml"],
        cwd=cwd, env=env, capture_output=True, timeout=120, check=False)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    assert proc.stderr == b""
    return proc.stdout


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("determinism")
    return _copy(root / "sorted", reverse=False), _copy(root / "reversed", reverse=True)


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_byte_identical_across_seeds_and_file_order(fmt: str, bases: tuple[Path, Path]) -> None:
    sorted_base, reversed_base = bases
    runs = {(name, seed): _report(base, fmt, seed)
            for name, base in (("sorted", sorted_base), ("reversed", reversed_base))
            for seed in ("0", "1", "random")}
    first = runs[("sorted", "0")]
    assert len(first) > 1000
    assert b'"results"' in first or b'"runs"' in first
    different = [k for k, v in runs.items() if v != first]
    assert different == []


def test_file_orders_really_differ(bases: tuple[Path, Path]) -> None:
    """The reversed copy was created in the other order (so listing order could differ)."""
    sorted_base, reversed_base = bases

    def created(base: Path) -> list[str]:
        files = [p for p in (base / "facts").iterdir() if p.is_file()]
        return [p.name for p in sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.stat().st_ino))]

    assert created(sorted_base) != created(reversed_base)
    assert sorted(created(sorted_base)) == sorted(created(reversed_base))


def test_report_names_no_machine_paths(bases: tuple[Path, Path]) -> None:
    """The JSON report holds paths relative to where it runs, never the machine's folders."""
    sorted_base, _ = bases
    text = _report(sorted_base, "json", "0").decode()
    assert str(sorted_base) not in text
    assert str(REPO) not in text
