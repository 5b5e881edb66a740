"""Nothing runs, nothing is touched: a data file cannot make kzfacts run code or write files.

An audit hook (PEP 578) watches every check: it records any process started, any code
compiled from a string, any module imported and any file opened for writing. Hostile
fact bases from the corpus must produce none of these, and leave the tree as it was.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kzfacts
from kzfacts._files import write_atomic
from kzfacts.cli import main
from kzfacts.engine.kinds import BUILTIN_KINDS, available_kinds

CORPUS = Path(__file__).parent / "corpus"
ARGS = ["--facts", "facts", "--rules", "rules", "--baseline", "baseline.yaml"]

_EVENTS: list[tuple[str, tuple[Any, ...]]] = []
_WATCHING = False
_RUN = {"os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
        "subprocess.Popen", "ctypes.dlopen", "exec", "compile", "pickle.find_class",
        "marshal.loads", "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.symlink",
        "os.truncate", "shutil.rmtree", "os.chmod", "socket.connect", "urllib.Request"}


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _WATCHING:
        return
    if event in _RUN or event == "import" or (event == "open" and _writes(args)):
        _EVENTS.append((event, args))


def _writes(args: tuple[Any, ...]) -> bool:
    mode = args[1] if len(args) > 1 else None
    flags = args[2] if len(args) > 2 else 0
    by_mode = isinstance(mode, str) and any(c in mode for c in "wax+")
    by_flags = isinstance(flags, int) and bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT
                                                         | os.O_TRUNC | os.O_APPEND))
    return by_mode or by_flags


sys.addaudithook(_hook)


@pytest.fixture
def watch() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """Record what the code under test does; imports of kzfacts' own modules are allowed."""
    global _WATCHING  # noqa: PLW0603 - one audit hook per process, switched per test
    available_kinds()  # plugins load once, before watching: installed code, not data
    _EVENTS.clear()
    _WATCHING = True
    try:
        yield _EVENTS
    finally:
        _WATCHING = False


def _suspicious(events: list[tuple[str, tuple[Any, ...]]]) -> list[tuple[str, tuple[Any, ...]]]:
    out = []
    for event, args in events:
        if event == "import" and str(args[0]).split(".")[0] in {
                "kzfacts", "encodings", "pint", "pydantic", "yaml", "difflib", "unicodedata"}:
            continue
        if event in ("exec", "compile") and _from_library(args):
            continue
        out.append((event, args))
    return out


def _from_library(args: tuple[Any, ...]) -> bool:
    """pint, pydantic and dataclasses compile their own code at run time (never data), and
    a kzfacts module is compiled from its source file when it has no bytecode yet."""
    filename = args[1] if len(args) > 1 else None
    if isinstance(filename, str) and Path(filename).is_relative_to(Path(kzfacts.__file__).parent):
        return True
    source = args[0] if args else None
    text = source.decode() if isinstance(source, bytes) else str(source)
    return "os.system" not in text and "__import__" not in text and "subprocess" not in text


def _tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(root)): (p.read_bytes() if p.is_file() else b"", p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*"))}


def _case(tmp_path: Path, name: str) -> Path:
    """A corpus case's fact base, built as the corpus test builds it."""
    import yaml
    cases = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
    case = next(c for c in cases if c["case"] == name)
    root = tmp_path / "case"
    shutil.copytree(CORPUS / "base", root)
    (root / case["file"]).write_bytes((CORPUS / "files" / case["bad"]).read_bytes())
    return root


HOSTILE = ["tag-python-object-apply", "tag-python-object", "tag-python-object-new",
           "tag-python-name", "tag-python-module", "tag-on-a-key", "tag-whole-document",
           "kind-os-system", "kind-dunder-import", "kind-eval", "kind-module-path",
           "ref-python-expression", "units-import", "units-power-tower"]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_case_runs_nothing(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str],
                                   watch: list[tuple[str, tuple[Any, ...]]]) -> None:
    root = _case(tmp_path, name)
    monkeypatch.chdir(root)
    before = _tree(tmp_path)
    watch.clear()  # from here on: only what kzfacts does
    assert main(["check", *ARGS]) == 2
    assert _suspicious(watch) == []
    assert _tree(tmp_path) == before
    assert not Path("/tmp/kzfacts-pwned").exists()  # noqa: S108 - the file the case would touch
    assert "Traceback" not in capsys.readouterr().err


def test_the_watch_sees_what_it_must(tmp_path: Path,
                                     watch: list[tuple[str, tuple[Any, ...]]]) -> None:
    """The audit hook is live: a real write, exec and process start are recorded."""
    watch.clear()
    (tmp_path / "x.txt").write_text("x")
    exec(compile("y = __import__('os')", "<data>", "exec"), {})  # noqa: S102 - the probe
    os.system("true")  # noqa: S605 - the probe
    events = {e for e, _ in _suspicious(watch)}
    assert {"open", "compile", "os.system"} <= events


COMMANDS = [["check", *ARGS], ["check", "--format", "json", *ARGS],
            ["check", "--format", "sarif", *ARGS], ["explain", "p01.sentences-sum", *ARGS],
            ["facts", *ARGS], ["facts", "--format", "json", *ARGS], ["numbers", *ARGS]]


@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(a[:3]) for a in COMMANDS])
def test_read_only_commands_write_nothing(argv: list[str], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str],
                                          watch: list[tuple[str, tuple[Any, ...]]]) -> None:
    shutil.copytree(CORPUS / "base", tmp_path / "case")
    monkeypatch.chdir(tmp_path / "case")
    before = _tree(tmp_path)
    watch.clear()
    assert main(argv) == 0
    assert capsys.readouterr().out
    assert _tree(tmp_path) == before
    assert [e for e in _suspicious(watch) if e[0] != "import"] == []


def test_only_installed_code_adds_rule_kinds() -> None:
    """The kinds are the built-ins plus entry points; no data file can add one."""
    from importlib.metadata import entry_points
    plugins = {ep.name for ep in entry_points(group="kzfacts.kinds")}
    builtin = {k.name for k in BUILTIN_KINDS}
    assert set(available_kinds()) == builtin | plugins
    assert builtin == {"sum", "share", "bound", "series", "conversion", "mean_within", "order",
                       "quantifier", "claim", "per_period", "rates_agree"}


def test_report_write_is_atomic_on_failure(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    report.write_text('{"old": true}\n')
    real_fdopen = os.fdopen

    class Failing:
        def __init__(self, fd: int, *args: Any, **kwargs: Any) -> None:
            self.f = real_fdopen(fd, *args, **kwargs)

        def __enter__(self) -> Failing:
            return self

        def __exit__(self, *exc: object) -> None:
            self.f.close()

        def write(self, text: str) -> int:
            self.f.write(text[: len(text) // 2])
            self.f.flush()
            raise OSError(28, "No space left on device")

    monkeypatch.setattr("kzfacts._files.os.fdopen", Failing)
    with pytest.raises(OSError, match="No space"):
        write_atomic(report, '{"new": true, "padding": "' + "x" * 1000 + '"}\n')
    assert report.read_text() == '{"old": true}\n'
    assert sorted(p.name for p in report.parent.iterdir()) == ["report.json"]


def test_report_write_is_atomic_on_interrupt(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    report = tmp_path / "report.json"
    report.write_text("old\n")

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("kzfacts._files.os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(report, "new\n")
    assert report.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_report_written_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(CORPUS / "base", tmp_path / "case")
    monkeypatch.chdir(tmp_path / "case")
    assert main(["check", "--format", "json", "--output", "../report.json", *ARGS]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "report.json"]
    assert (tmp_path / "report.json").read_text().rstrip().endswith("}")
    assert capsys.readouterr().out == ""


def test_bundled_check_writes_nothing(watch: list[tuple[str, tuple[Any, ...]]]) -> None:
    """A full check of the bundled fact base opens nothing for writing."""
    watch.clear()
    kzfacts.check(Path(__file__).parents[1] / "facts", Path(__file__).parents[1] / "rules",
                  baseline=None)
    assert [e for e in _suspicious(watch) if e[0] != "import"] == []


def test_threat_model_states_the_limits_and_exit_codes() -> None:
    """docs/threat-model.md names every limit with the value the code enforces."""
    import re

    from kzfacts import cli
    from kzfacts.data import loader as _loader
    from kzfacts.data import yaml as _yaml
    from kzfacts.values import numbers as _numbers
    doc = (Path(__file__).parents[1] / "docs" / "threat-model.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)`: [^|]+\| ([^|]+?) \|", doc, re.M))
    actual = {"MAX_FILE_BYTES": _yaml.MAX_FILE_BYTES, "MAX_SOURCE_BYTES": _loader.MAX_SOURCE_BYTES,
              "MAX_NODES": _yaml.MAX_NODES, "MAX_DEPTH": _yaml.MAX_DEPTH,
              "MAX_INT_CHARS": _yaml.MAX_INT_CHARS, "MAX_NUMBER_CHARS": _numbers.MAX_NUMBER_CHARS,
              "MAX_MAGNITUDE": _numbers.MAX_MAGNITUDE}
    assert set(rows) == set(actual)
    for name, value in actual.items():
        written = rows[name].split(" ")[0].replace(",", "").replace("10^18", str(10**18))
        assert int(written) == value, name
    codes = dict(re.findall(r"^\| (\d) \| ([^|]+) \|", doc, re.M))
    assert set(codes) == {str(c) for c in (cli.EXIT_OK, cli.EXIT_FINDINGS, cli.EXIT_INVALID,
                                           cli.EXIT_BUG)}
    assert "invalid input" in codes[str(cli.EXIT_INVALID)]


def test_many_numbers_are_accounted_for_in_linear_time(tmp_path: Path) -> None:
    """50,000 numbers, each covered by one non-claim: the plain search took about a minute
    (every number against every cover); the sweep takes about a second."""
    import hashlib
    import time
    shutil.copytree(CORPUS / "base", tmp_path / "case")
    facts = tmp_path / "case" / "facts"
    text = (facts / "source.txt").read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    source = first + " " + "1 " * 50_000 + "\n" + rest
    (facts / "source.txt").write_text(source, encoding="utf-8")
    doc = (facts / "document.yaml").read_text(encoding="utf-8").splitlines()
    doc[2] = "sha256: " + hashlib.sha256(source.encode()).hexdigest()
    (facts / "document.yaml").write_text("\n".join(doc) + "\n", encoding="utf-8")
    with (facts / "not_claims.yaml").open("a", encoding="utf-8") as f:
        f.write('  - paragraph: 1\n    text: "1"\n    why: a one, many times\n')
    started = time.perf_counter()
    base = kzfacts.load(facts, tmp_path / "case" / "rules")[0]
    elapsed = time.perf_counter() - started
    assert base.coverage.found == 50_010
    assert base.coverage.uncovered == []
    assert elapsed < 15, f"{elapsed:.1f} s"


# -- reading only regular files, bounded -----------------------------------------------------

def test_a_file_is_read_to_its_limit_plus_one_byte_at_most(tmp_path: Path) -> None:
    """/proc files say size 0 and then hold more: the reader stops at limit + 1 bytes."""
    from kzfacts._files import FileRefused, read_regular

    status = Path("/proc/self/status")
    assert status.stat().st_size == 0 and len(status.read_bytes()) > 64
    with pytest.raises(FileRefused) as refused:
        read_regular(status, limit=64)
    assert (refused.value.expected, refused.value.found) == (
        "a file of at most 64 bytes", "more than 64 bytes (it grew while read)")
    assert read_regular(status, limit=1 << 16).startswith(b"Name:")
    (tmp_path / "big").write_bytes(b"x" * 101)
    with pytest.raises(FileRefused, match="101 bytes"):
        read_regular(tmp_path / "big", limit=100)


@pytest.mark.parametrize(("make", "found"), [
    (os.mkfifo, "a FIFO (named pipe)"),
    (lambda p: p.mkdir(), "a folder"),
    (lambda p: p.symlink_to("real"), "a symbolic link"),
])
def test_what_is_not_a_regular_file_is_never_opened(tmp_path: Path, make: Any, found: str,
                                                     watch: list[tuple[str, tuple[Any, ...]]]
                                                     ) -> None:
    """A FIFO would block an open or a read forever: it is refused by lstat, unopened."""
    from kzfacts._files import FileRefused, read_regular

    (tmp_path / "real").write_text("x")
    make(tmp_path / "it")
    watch.clear()
    with pytest.raises(FileRefused) as refused:
        read_regular(tmp_path / "it", limit=100)
    assert refused.value.found == found
    assert not [e for e in watch if e[0] == "open"]
