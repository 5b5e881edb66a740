"""Always the same answer: every report format is byte-identical across PYTHONHASHSEED
values, processes, and the order in which the files were created.

One fresh process per hash seed checks the bundled fact base twice, copied file by file in
sorted and in reversed order, as ``kzfacts check`` does (run from the copy's folder, its
paths relative), and renders the report in each of the seven formats.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).parents[1]
FORMATS = ["claimreview", "html", "json", "junit", "markdown", "sarif", "text"]
SEEDS = ["0", "1", "random"]

#: In a fresh process: each folder's fact base checked once, the report in every format.
_RENDER = """
import json, os, sys
from kzfacts.engine.check import check_with_base
from kzfacts.reports.report import render
out = {}
for folder in sys.argv[2:]:
    os.chdir(folder)
    base, report = check_with_base("facts", "rules", baseline="baseline.yaml")
    out[folder] = {fmt: render(report, fmt, base=base) for fmt in sys.argv[1].split(",")}
print(json.dumps(out))
"""


def _copy(dest: Path, *, reverse: bool) -> Path:
    """Copy the bundled fact base file by file, in sorted or reversed order."""
    files = sorted(p for d in ("facts", "rules") for p in (REPO / d).rglob("*") if p.is_file())
    files += [REPO / "baseline.yaml"]
    for src in reversed(files) if reverse else files:
        target = dest / src.relative_to(REPO)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
    return dest


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("determinism")
    return _copy(root / "sorted", reverse=False), _copy(root / "reversed", reverse=True)


@pytest.fixture(scope="module")
def reports(bases: tuple[Path, Path]) -> dict[tuple[str, str, str], str]:
    """``(base, seed, format) -> report``, base "sorted" or "reversed"."""
    sorted_base, reversed_base = bases
    out = {}
    for seed in SEEDS:
        proc = subprocess.run(
            [sys.executable, "-c", _RENDER, ",".join(FORMATS), str(sorted_base),
             str(reversed_base)], env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True, text=True, encoding="utf-8", timeout=120, check=False)
        assert (proc.returncode, proc.stderr) == (0, "")
        rendered = json.loads(proc.stdout)
        for name, base in (("sorted", sorted_base), ("reversed", reversed_base)):
            for fmt in FORMATS:
                out[(name, seed, fmt)] = rendered[str(base)][fmt]
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_byte_identical_across_seeds_and_file_order(
        fmt: str, reports: dict[tuple[str, str, str], str]) -> None:
    runs = {(name, seed): reports[(name, seed, fmt)]
            for name in ("sorted", "reversed") for seed in SEEDS}
    first = runs[("sorted", "0")]
    assert len(first) > 1000
    assert "p46.outcomes-sum" in first
    different = [k for k, v in runs.items() if v.encode() != first.encode()]
    assert different == []


def test_file_orders_really_differ(bases: tuple[Path, Path]) -> None:
    """The reversed copy was created in the other order (so listing order could differ)."""
    sorted_base, reversed_base = bases

    def created(base: Path) -> list[str]:
        files = [p for p in (base / "facts").iterdir() if p.is_file()]
        return [p.name for p in sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.stat().st_ino))]

    assert created(sorted_base) != created(reversed_base)
    assert sorted(created(sorted_base)) == sorted(created(reversed_base))


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_names_no_machine_paths(fmt: str, bases: tuple[Path, Path],
                                       reports: dict[tuple[str, str, str], str]) -> None:
    """Reports hold paths relative to where the check runs, never the machine's folders."""
    sorted_base, _ = bases
    text = reports[("sorted", "0", fmt)]
    assert str(sorted_base) not in text
    assert str(REPO) not in text
