"""The corpus of bad inputs: every case exits 2 with its exact message, and no traceback.

Each case in ``tests/corpus/cases*.yaml`` puts one bad file (from ``tests/corpus/files/``)
or one bad arrangement (a link, an oversized file, no facts) into a copy of the valid
mini fact base ``tests/corpus/base/`` and runs the real command line on it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from kzfacts.cli import main

CORPUS = Path(__file__).parent / "corpus"
# cases.yaml, then any cases-<topic>.yaml beside it, in name order
CASES: list[dict[str, Any]] = [
    case for path in sorted(CORPUS.glob("cases*.yaml"))
    for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []]
ARGS = ["check", "--facts", "facts", "--rules", "rules", "--baseline", "baseline.yaml",
        "--format", "json"]
LOCATED = re.compile(r"^  (?P<file>[^:\n]+):(?P<line>[1-9]\d*):(?P<column>[1-9]\d*): ")


def apply_case(case: dict[str, Any], work: Path) -> Path:
    """Build the case's fact base under ``work``; returns the folder to run in."""
    root = work / "case"
    shutil.copytree(CORPUS / "base", root)
    (work / "outside.yaml").write_text("paragraph: 1\nfacts: []\n", encoding="utf-8")
    (work / "outside.txt").write_text("1. A secret outside the fact base.\n", encoding="utf-8")
    (work / "outside-dir").mkdir()
    (work / "outside-dir" / "p09.yaml").write_text("paragraph: 1\nfacts: []\n", encoding="utf-8")
    target = root / case["file"]
    if "bad" in case:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((CORPUS / "files" / case["bad"]).read_bytes())
    elif "link" in case:
        target.symlink_to(case["link"])
    elif "size" in case:
        target.write_bytes(b"# padding\n" + b"#" * (case["size"] - 11) + b"\n")
    elif case.get("no_facts"):
        for n in (1, 2):
            (root / "facts" / f"p0{n}.yaml").write_text(f"paragraph: {n}\nfacts: []\n")
    elif case.get("no_fact_files"):
        for n in (1, 2):
            (root / "facts" / f"p0{n}.yaml").unlink()
    else:  # pragma: no cover - a malformed manifest
        raise AssertionError(f"case {case['case']} says nothing to do")
    return root


def expected_stderr(case: dict[str, Any], work: Path) -> str:
    """The whole of stderr; ``<tmp>`` in a message stands for the folder the case runs in."""
    errors = [e.replace("<tmp>", str(work.resolve())) for e in case["errors"]]
    n = len(errors)
    return (f"kzfacts: {n} error{'s' if n != 1 else ''} in the fact base:\n"
            + "".join(f"  {e}\n" for e in errors))


def test_corpus_is_large_and_covers_every_item() -> None:
    names = [c["case"] for c in CASES]
    assert len(names) == len(set(names))
    assert len(CASES) >= 70
    covered = {c["covers"] for c in CASES}
    assert covered >= {  # the topics every corpus file must keep covering
        "malformed YAML", "wrong types", "unknown fields", "duplicate mapping keys",
        "duplicate fact or rule ids", "references to missing facts", "unit mismatches",
        "NaN, Infinity, negative counts, magnitudes beyond 10^18",
        "floats where exact numbers are required",
        "impossible dates and periods that end before they start",
        "non-UTF-8 bytes, a byte-order mark, CRLF line ends",
        "empty files and a fact base with no facts",
        "symbolic links that point outside the fact base", "files over a size limit",
        "YAML alias bombs and deep nesting", "YAML tags that construct Python objects",
        "rules cannot call functions outside the rule kinds",
        "unit definitions that run or read",
    }
    for item in covered:  # several variants of every item
        assert sum(c["covers"] == item for c in CASES) >= 2, item
    used = {c["bad"] for c in CASES if "bad" in c}
    assert used == {p.name for p in (CORPUS / "files").iterdir()}, "a corpus file no case uses"


def test_base_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       capsys: pytest.CaptureFixture[str]) -> None:
    """Without its bad file, every case's fact base passes: the bad file is the only cause."""
    shutil.copytree(CORPUS / "base", tmp_path / "case")
    monkeypatch.chdir(tmp_path / "case")
    assert main(ARGS) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_case(case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
              capsys: pytest.CaptureFixture[str]) -> None:
    root = apply_case(case, tmp_path)
    monkeypatch.chdir(root)
    code = main(ARGS)
    out, err = capsys.readouterr()
    assert (code, out) == (2, ""), err
    assert "Traceback" not in err
    assert err == expected_stderr(case, tmp_path)
    for line in err.splitlines()[1:]:
        m = LOCATED.match(line)
        if case.get("whole_file"):  # a file refused as a whole is named without a line
            assert line.startswith(f"  {case['whole_file']}: expected ")
        else:
            assert m is not None, line
            if "\\x" not in m["file"]:  # a file name with control characters is escaped
                assert (root / m["file"]).exists() or (root / m["file"]).is_symlink()
        assert " expected " in line


SUBPROCESS_SAMPLE = ["yaml-unclosed-flow", "bytes-crlf", "tag-python-object-apply",
                     "bomb-billion-laughs", "unit-sum-persons-and-victims", "link-fact-file-outside"]


@pytest.mark.parametrize("name", SUBPROCESS_SAMPLE)
def test_case_in_a_subprocess(name: str, tmp_path: Path) -> None:
    case = next(c for c in CASES if c["case"] == name)
    root = apply_case(case, tmp_path)
    env = {**os.environ, "PYTHONHASHSEED": "random"}
    proc = subprocess.run([sys.executable, "-m", "kzfacts.cli", *ARGS], cwd=root, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert proc.stderr == expected_stderr(case, tmp_path)


_MEASURE = """
import json, resource, sys, time
from pathlib import Path
from kzfacts.data.yaml import read_yaml
from kzfacts.errors import DataError
file = Path(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    read_yaml(file)
    refused = ""
except DataError as exc:
    refused = str(exc)
elapsed = time.perf_counter() - start
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"seconds": elapsed, "kib": grown, "refused": refused}))
"""


@pytest.mark.parametrize("name", ["bomb-billion-laughs.yaml", "bomb-in-rules.yaml",
                                  "bomb-deep-alias-chain.yaml", "nesting-unclosed-1kb.yaml",
                                  "nesting-flow-sequences.yaml"])
def test_bomb_bounded_time_and_memory(name: str) -> None:
    """A bomb of at most 1 KB is refused in under 1 s with under 100 MB of memory growth,
    measured in a fresh process (ru_maxrss is the peak resident size, in KiB on Linux)."""
    import json
    file = CORPUS / "files" / name
    assert file.stat().st_size <= 1024
    proc = subprocess.run([sys.executable, "-c", _MEASURE, str(file)], capture_output=True,
                          text=True, timeout=60, check=True)
    result = json.loads(proc.stdout)
    print(f"{name}: {file.stat().st_size} bytes refused in {result['seconds'] * 1000:.1f} ms, "
          f"peak memory +{result['kib'] / 1024:.1f} MB")
    assert result["refused"]
    assert result["seconds"] < 1
    assert result["kib"] < 100 * 1024
