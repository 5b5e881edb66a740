"""The corpus of bad inputs: every case exits with its exact code and exact message, and no
traceback.

Each case in ``tests/corpus/cases*.yaml`` puts one bad file (from ``tests/corpus/files/``)
or one bad arrangement (a link, an oversized file, no facts) into a copy of the valid
mini fact base ``tests/corpus/base/`` and runs the real command line on it.

Besides ``file`` with ``bad``/``link``/``size`` (or ``no_facts``, ``no_fact_files``), a case
may give ``arrange``: steps run in order, each one of ``{file, bad}`` (a corpus file),
``{file, text}``, ``{link, to}``, ``{hardlink, to}``, ``{fifo}``, ``{socket}``, ``{device}``
(a private null device, as root only), ``{mkdir}`` or ``{remove}`` (paths relative to the
case's folder; a step replaces what is there).
``args`` replaces the command line (default :data:`ARGS`), ``extra`` adds to it; ``env``
may ``unset`` variables and set ``no_passwd`` (the user has no passwd entry, as a bare
container uid). ``exit`` is the exit code (default 2). The expected stderr is ``errors``
(the lines of "N errors in the fact base") or ``stderr`` (all of it); ``<tmp>`` stands for
the case's temporary folder and ``<pid>`` for the process. ``unchanged`` lists files that
must keep their bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
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


def _clear(path: Path) -> None:
    """Make room for a step: whatever is at ``path`` goes."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)


def _step(root: Path, step: dict[str, Any]) -> None:
    kind = next(k for k in ("file", "link", "hardlink", "fifo", "socket", "device", "mkdir",
                            "remove") if k in step)
    target = root / step[kind]
    _clear(target)
    if kind == "file" and "bad" in step:
        target.write_bytes((CORPUS / "files" / step["bad"]).read_bytes())
    elif kind == "file":
        target.write_text(step["text"], encoding="utf-8")
    elif kind == "link":
        target.symlink_to(step["to"])
    elif kind == "hardlink":
        target.hardlink_to(root / step["to"])
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "socket":
        with socket.socket(socket.AF_UNIX) as sock:  # the name stays after it is closed
            sock.bind(str(target))
    elif kind == "device":  # a private null device: a broken writer replaces this one only
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    elif kind == "mkdir":
        target.mkdir()


def apply_case(case: dict[str, Any], work: Path) -> Path:
    """Build the case's fact base under ``work``; returns the folder to run in."""
    root = work / "case"
    shutil.copytree(CORPUS / "base", root)
    (work / "outside.yaml").write_text("paragraph: 1\nfacts: []\n", encoding="utf-8")
    (work / "outside.txt").write_text("1. A secret outside the fact base.\n", encoding="utf-8")
    (work / "outside-dir").mkdir()
    (work / "outside-dir" / "p09.yaml").write_text("paragraph: 1\nfacts: []\n", encoding="utf-8")
    if "arrange" in case:
        for step in case["arrange"]:
            _step(root, step)
        return root
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


def _filled(text: str, work: Path) -> str:
    return text.replace("<tmp>", str(work.resolve())).replace("<pid>", str(os.getpid()))


def expected_stderr(case: dict[str, Any], work: Path) -> str:
    """The whole of stderr; ``<tmp>`` in a message stands for the folder the case runs in."""
    if "stderr" in case:
        return _filled(case["stderr"], work)
    errors = [_filled(e, work) for e in case["errors"]]
    n = len(errors)
    return (f"kzfacts: {n} error{'s' if n != 1 else ''} in the fact base:\n"
            + "".join(f"  {e}\n" for e in errors))


def argv(case: dict[str, Any]) -> list[str]:
    return [*case.get("args", ARGS), *case.get("extra", [])]


@pytest.fixture
def environment(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The case's environment; and a case that hangs fails after 60 s instead."""
    case: dict[str, Any] = request.node.callspec.params["case"]
    env = case.get("env", {})
    for name in env.get("unset", []):
        monkeypatch.delenv(name, raising=False)
    if env.get("no_passwd"):
        import pwd

        def no_entry(uid: int) -> Any:
            raise KeyError(f"getpwuid(): uid not found: {uid}")
        monkeypatch.setattr(pwd, "getpwuid", no_entry)

    def hang(*_: object) -> None:
        raise TimeoutError(f"case {case['case']} still running after 60 s")
    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_corpus_is_large_and_covers_every_item() -> None:
    names = [c["case"] for c in CASES]
    assert len(names) == len(set(names))
    assert len(CASES) >= 70
    covered = {c["covers"] for c in CASES}
    assert covered >= {  # and the items of the cases-<topic>.yaml files
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
    boundary = yaml.safe_load((CORPUS / "cases-boundary.yaml").read_text(encoding="utf-8"))
    assert len(boundary) >= 25  # files that are not files, outputs refused, the environment
    used = {c["bad"] for c in CASES if "bad" in c} | {
        step["bad"] for c in CASES for step in c.get("arrange", []) if "bad" in step}
    assert used == {p.name for p in (CORPUS / "files").iterdir()}, "a corpus file no case uses"


def test_base_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       capsys: pytest.CaptureFixture[str]) -> None:
    """Without its bad file, every case's fact base passes: the bad file is the only cause."""
    shutil.copytree(CORPUS / "base", tmp_path / "case")
    monkeypatch.chdir(tmp_path / "case")
    assert main(ARGS) == 0
    assert capsys.readouterr().err == ""


def _bytes(root: Path, names: list[str]) -> Iterator[tuple[str, bytes]]:
    for name in names:
        yield name, (root / name).read_bytes()


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
@pytest.mark.usefixtures("environment")
def test_case(case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
              capsys: pytest.CaptureFixture[str]) -> None:
    root = apply_case(case, tmp_path)
    monkeypatch.chdir(root)
    kept = dict(_bytes(root, case.get("unchanged", [])))
    code = main(argv(case))
    out, err = capsys.readouterr()
    assert code == case.get("exit", 2), err
    if code == 2:
        assert out == ""
    assert "Traceback" not in err
    assert err == expected_stderr(case, tmp_path)
    assert dict(_bytes(root, list(kept))) == kept
    if "errors" not in case:
        return
    for line in err.splitlines()[1:]:
        m = LOCATED.match(line)
        if case.get("whole_file"):  # a file refused as a whole is named without a line
            assert line.startswith(f"  {case['whole_file']}: expected ")
        else:
            assert m is not None, line
            if "\\" not in m["file"]:  # a file name with control characters is escaped
                assert (root / m["file"]).exists() or (root / m["file"]).is_symlink()
        assert " expected " in line


#: Cases also run through ``python -m kzfacts`` in a fresh process with a random hash seed:
#: a YAML error, a tag that would construct an object, a source that would block a reader,
#: an output refused, and the environment the process starts in. (Every case runs in
#: process above; the bombs' time and memory are measured in fresh processes below.)
SUBPROCESS_SAMPLE = ["yaml-unclosed-flow", "tag-python-object-apply", "read-fifo-source",
                     "output-device", "env-home-unset"]


@pytest.mark.parametrize("name", SUBPROCESS_SAMPLE)
def test_case_in_a_subprocess(name: str, tmp_path: Path) -> None:
    case = next(c for c in CASES if c["case"] == name)
    root = apply_case(case, tmp_path)
    env = {**os.environ, "PYTHONHASHSEED": "random"}
    for unset in case.get("env", {}).get("unset", []):
        env.pop(unset, None)
    proc = subprocess.run([sys.executable, "-m", "kzfacts", *argv(case)], cwd=root, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == case.get("exit", 2)
    assert proc.stdout == "" or proc.returncode != 2
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
