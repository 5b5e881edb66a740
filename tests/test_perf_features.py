"""The features that serve speed: the result cache, corpus checks with --jobs, the
progress bar."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kzfacts.cli import cache as _cache
from kzfacts.cli import main
from kzfacts.cli.fastpath import check_options
from kzfacts.cli.progress import Progress
from kzfacts.engine.evaluate import check
from kzfacts.reports.report import render_json

ROOT = Path(__file__).resolve().parents[1]
KZFACTS = Path(sys.executable).parent / "kzfacts"


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A copy of the bundled fact base, safe to edit."""
    for name in ("facts", "rules"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "baseline.yaml", tmp_path / "baseline.yaml")
    return tmp_path


def _json(folder: Path) -> str:
    return render_json(check(folder / "facts", folder / "rules",
                             baseline=folder / "baseline.yaml"))


# -- the cache ------------------------------------------------------------------------------

def test_cli_check_uses_cache_dir_and_no_cache_leaves_it_empty(
        base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "kzcache"
    monkeypatch.setenv("KZFACTS_CACHE_DIR", str(folder))
    monkeypatch.chdir(base)
    main(["check", "--no-cache", "--format", "json"])
    nocache = capsys.readouterr().out
    assert not folder.exists()
    main(["check", "--format", "json"])
    cold = capsys.readouterr().out
    assert [e.parent.parent.name for e in folder.rglob("*.json")] == ["results"]  # the report
    main(["check", "--format", "json"])
    assert capsys.readouterr().out == cold == nocache


def test_cache_dir_default_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KZFACTS_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _cache.default_dir() == tmp_path / "kzfacts"
    monkeypatch.setenv("KZFACTS_CACHE_DIR", str(tmp_path / "x"))
    assert _cache.default_dir() == tmp_path / "x"


# -- corpus and --jobs ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks.generate import generate
    finally:
        sys.path.remove(str(ROOT))
    return generate(tmp_path_factory.mktemp("corpus"), documents=3, paragraphs=3,
                    finding_every=4)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_jobs_give_byte_identical_reports(corpus: Path, tmp_path: Path, fmt: str) -> None:
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"r{jobs}.{fmt}"
        code = main(["check", "--corpus", str(corpus), "--jobs", jobs, "--no-cache",
                     "--format", fmt, "-o", str(out)])
        assert code == 1  # the generator injected findings
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert outs[0].count(b"d0000") >= 3


def test_corpus_json_total_and_documents(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    main(["check", "--corpus", str(corpus), "--format", "json", "--no-cache", "-o", str(out)])
    report = json.loads(out.read_text())
    names = [d["name"] for d in report["documents"]]
    assert names == ["d00000", "d00001", "d00002"]
    single = json.loads(_json(corpus / "d00001"))
    assert report["documents"][1]["report"] == single  # the document's own report, unchanged
    total = report["total"]
    reports = [d["report"] for d in report["documents"]]
    assert total["facts"] == sum(r["facts"] for r in reports)
    assert total["rules"] == sum(len(r["results"]) for r in reports)
    assert total["counts"]["fail"] == sum(r["counts"]["fail"] for r in reports) > 0
    assert total["exit_code"] == 1


def test_corpus_with_an_invalid_document(corpus: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "c"
    shutil.copytree(corpus, bad, symlinks=False)
    (bad / "d00001" / "rules" / "rules.yaml").write_text("rules:\n  - id: x\n    kind: nope\n")
    code = main(["check", "--corpus", str(bad), "--no-cache", "--jobs", "2"])
    out = capsys.readouterr().out
    assert code == 2
    assert "== d00000 ==" in out and "== d00002 ==" in out
    assert "d00001/rules/rules.yaml:3:11" in out or "rules.yaml:3:11" in out
    assert "1 invalid" in out


def test_corpus_refuses_bad_arguments(corpus: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--corpus", str(corpus), "--jobs", "0"]) == 2
    assert main(["check", "--corpus", str(tmp_path / "none")]) == 2
    assert main(["check", "--corpus", str(tmp_path)]) == 2  # no documents
    assert main(["check", "--corpus", str(corpus), "--format", "sarif"]) == 2
    err = capsys.readouterr().err
    assert "--jobs" in err and "no such folder" in err and "expected a folder of documents" in err
    assert "corpus report format" in err


# -- the progress bar -----------------------------------------------------------------------

class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_silent_when_not_a_terminal() -> None:
    now = [0.0]
    stream = io.StringIO()
    bar = Progress(10, stream=stream, clock=lambda: now[0])
    for i in range(10):
        now[0] += 5.0
        bar.update(i + 1)
    bar.close()
    assert stream.getvalue() == ""


def test_progress_on_a_terminal_only_after_a_second() -> None:
    now = [0.0]
    stream = _Tty()
    bar = Progress(4, stream=stream, clock=lambda: now[0])
    now[0] = 0.9
    bar.update(1)
    assert stream.getvalue() == ""  # a quick run draws nothing
    now[0] = 1.5
    bar.update(2)
    assert "2/4 documents" in stream.getvalue()
    assert "#" * 15 in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith("\r")


def test_cli_corpus_writes_nothing_to_a_piped_stderr(corpus: Path, tmp_path: Path) -> None:
    env = {**os.environ, "KZFACTS_CACHE_DIR": str(tmp_path / "c")}
    proc = subprocess.run([str(KZFACTS), "check", "--corpus", str(corpus), "--jobs", "2"],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert proc.returncode == 1
    assert proc.stderr == ""
    assert proc.stdout.startswith("== d00000 ==")


# -- whole results: an unchanged check answered without the engine ---------------------------

def _fast(base: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KZFACTS_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    code = ("import sys\nfrom kzfacts.cli.fastpath import main\ncode = main(sys.argv[1:])\n"
            "sys.stderr.write('ENGINE' if 'pydantic' in sys.modules else 'FAST')\n"
            "sys.exit(code)\n")
    return subprocess.run([sys.executable, "-c", code, *args], cwd=base, capture_output=True,
                          text=True, env=env, timeout=120, check=False)






def test_a_corrupt_result_entry_is_ignored(base: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    good = _fast(base, cache, "check")
    entries = list((cache / "results").rglob("*.json"))
    assert len(entries) == 1
    entry = json.loads(entries[0].read_text())
    for bad in ("{", json.dumps({**entry, "key": "0" * 64}),
                json.dumps({**entry, "exit_code": "0"}), json.dumps({**entry, "exit_code": 2})):
        entries[0].write_text(bad)
        again = _fast(base, cache, "check")
        assert "ENGINE" in again.stderr
        assert again.stdout == good.stdout


def test_a_source_outside_facts_is_never_cached(base: Path, tmp_path: Path) -> None:
    shutil.move(base / "facts" / "source.txt", base / "source.txt")
    doc = base / "facts" / "document.yaml"
    doc.write_text(doc.read_text().replace("source: source.txt", "source: ../source.txt"))
    cache = tmp_path / "cache"
    first = _fast(base, cache, "check")
    assert first.returncode == 2, first.stderr  # refused: a data file points outside facts/
    assert "expected a file inside facts" in first.stderr
    assert not (cache / "results").exists()
    assert "ENGINE" in _fast(base, cache, "check").stderr  # errors are never answered cached


def test_corpus_cache_cold_and_warm_byte_identical(corpus: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZFACTS_CACHE_DIR", str(tmp_path / "cache"))
    outs: list[bytes] = []
    for jobs, extra in (("1", ["--no-cache"]), ("2", []), ("2", []), ("1", [])):
        out = tmp_path / f"r{len(outs)}.json"
        assert main(["check", "--corpus", str(corpus), "--jobs", jobs, "--format", "json",
                     "-o", str(out), *extra]) == 1
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2] == outs[3]
    results = list((tmp_path / "cache" / "results").rglob("*.json"))
    assert len(results) == 3  # one per document
    for r in results:  # a damaged result is found again, not trusted
        r.write_text("{}")
    out = tmp_path / "again.json"
    main(["check", "--corpus", str(corpus), "--format", "json", "-o", str(out)])
    assert out.read_bytes() == outs[0]


def test_a_document_edited_while_checked_is_not_cached(corpus: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The result is stored under the key of the files as they were before the check; if one
    changes during the check, storing it would answer the old files with the new result."""
    import kzfacts.engine.evaluate as engine

    docs = tmp_path / "docs"
    shutil.copytree(corpus / "d00000", docs / "d00000")
    monkeypatch.setenv("KZFACTS_CACHE_DIR", str(tmp_path / "cache"))
    real = engine.check

    def edit_while_checking(*args: object, **kwargs: object) -> object:
        report = real(*args, **kwargs)  # type: ignore[arg-type]
        with (docs / "d00000" / "baseline.yaml").open("a") as f:
            f.write("# edited during the check\n")
        return report

    monkeypatch.setattr(engine, "check", edit_while_checking)
    main(["check", "--corpus", str(docs), "--format", "json", "-o", str(tmp_path / "a.json")])
    assert not list((tmp_path / "cache").rglob("results/*/*.json"))
    monkeypatch.setattr(engine, "check", real)  # unchanged during this one: stored
    main(["check", "--corpus", str(docs), "--format", "json", "-o", str(tmp_path / "b.json")])
    assert len(list((tmp_path / "cache").rglob("results/*/*.json"))) == 1


def test_a_single_check_edited_while_checked_is_not_cached(base: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """As for a corpus: an input that changes during the check (by size or time) keeps
    its result out of the cache; an unchanged run stores it."""
    from kzfacts import cli

    monkeypatch.setenv("KZFACTS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(base)
    real = check

    def edit_while_checking(*args: object, **kwargs: object) -> object:
        report = real(*args, **kwargs)  # type: ignore[arg-type]
        p01 = base / "facts" / "p01.yaml"
        p01.write_text(p01.read_text() + "# edited during the check\n")
        return report

    monkeypatch.setattr(cli, "check", edit_while_checking)
    main(["check", "--format", "json", "-o", str(tmp_path / "a.json")])
    assert not list((tmp_path / "cache").rglob("results/*/*.json"))
    monkeypatch.setattr(cli, "check", real)
    main(["check", "--format", "json", "-o", str(tmp_path / "b.json")])
    assert len(list((tmp_path / "cache").rglob("results/*/*.json"))) == 1


def test_stamp_and_key_are_the_stamp_and_the_key_taken_apart(base: Path) -> None:
    (base / "rules" / "sub").mkdir()
    (base / "rules" / "sub" / "extra.yaml").write_text("rules: []\n")
    options = {"command": "check", "format": "text"}
    for files in ([base / "baseline.yaml"], [base / "missing.yaml"]):
        inputs = ([base / "facts", base / "rules"], files)
        taken = _cache.stamp_and_key(options, *inputs)
        assert taken == (_cache.inputs_stamp(*inputs), _cache.result_key(options, *inputs))
    assert taken is not None
    stamp, key = taken
    assert stamp[-1] == (str(base / "missing.yaml"), None)
    assert any(s[0].endswith("extra.yaml") for s in stamp)
    (base / "rules" / "sub" / "extra.yaml").write_text("rules: [] \n")  # one byte more
    again = _cache.stamp_and_key(options, *inputs)
    assert again is not None and again[1] != key and again[0] != stamp
    (base / "rules" / "gone.yaml").symlink_to(base / "nowhere.yaml")  # cannot be stat'ed
    assert _cache.stamp_and_key(options, *inputs) is None
    assert _cache.inputs_stamp(*inputs) is None


_COUNTED = """
import sys
from kzfacts.cli import cache as _cache
calls = []
for name in ("inputs_stamp", "result_key", "stamp_and_key"):
    def counted(*args, _real=getattr(_cache, name), _name=name):
        calls.append(_name)
        return _real(*args)
    setattr(_cache, name, counted)
from kzfacts.cli.fastpath import main
code = main(sys.argv[1:])
sys.stderr.write(" ".join(calls))
sys.exit(code)
"""


def test_a_miss_hands_its_stamp_and_key_to_the_check(base: Path, tmp_path: Path) -> None:
    env = {**os.environ, "KZFACTS_CACHE_DIR": str(tmp_path / "cache")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", _COUNTED, *args], cwd=base,
                              capture_output=True, text=True, env=env, timeout=120, check=False)

    first = run("check", "--format", "json")
    # taken once by the lookup; the check stamps its inputs again only to see they are unchanged
    assert first.stderr == "stamp_and_key inputs_stamp"
    again = run("check", "--format", "json")
    assert again.stderr == "stamp_and_key"  # stored under that key: answered from the cache
    assert again.stdout == first.stdout and again.returncode == first.returncode
    assert run("check", "--format", "json", "--no-cache").stderr == ""


def test_a_check_reuses_only_a_stamp_and_key_taken_for_its_own_options(
        base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kzfacts import cli
    folder = tmp_path / "cache"
    monkeypatch.setenv("KZFACTS_CACHE_DIR", str(folder))
    monkeypatch.chdir(base)
    out = base / "r.json"
    facts, rules, baseline = Path("facts"), Path("rules"), Path("baseline.yaml")  # as the CLI
    options = check_options(facts, rules, baseline, "json")
    stamp, key = _cache.stamp_and_key(options, [facts, rules], [baseline]) or ((), "")
    fake = "f" * 64
    # taken for other options (markdown): not reused, the check takes its own
    other = {**options, "format": "markdown"}
    assert cli._main(["check", "-o", str(out)], (other, stamp, fake)) in (0, 1)
    assert [p.stem for p in folder.rglob("*.json")] == [key]
    # taken for these options: reused as it is (a fake key shows it)
    assert cli._main(["check", "-o", str(out)], (options, stamp, fake)) in (0, 1)
    assert sorted(p.stem for p in folder.rglob("*.json")) == [key, fake]
    # a stamp that no longer matches the inputs: nothing stored under the key
    assert cli._main(["check", "-o", str(out)], (options, (), "e" * 64)) in (0, 1)
    assert sorted(p.stem for p in folder.rglob("*.json")) == [key, fake]


def test_a_corpus_document_walks_its_inputs_once_for_stamp_and_key(corpus: Path,
                                                                   tmp_path: Path) -> None:
    env = {**os.environ, "KZFACTS_CACHE_DIR": str(tmp_path / "cache")}
    args = ["check", "--corpus", str(corpus), "--jobs", "1", "-o", str(tmp_path / "r.txt")]
    first = subprocess.run([sys.executable, "-c", _COUNTED, *args], capture_output=True,
                           text=True, env=env, timeout=120, check=False)
    # each of the 3 documents: stamp and key in one walk, then a stamp to see it unchanged
    assert first.stderr == " ".join(["stamp_and_key", "inputs_stamp"] * 3)
    again = subprocess.run([sys.executable, "-c", _COUNTED, *args], capture_output=True,
                           text=True, env=env, timeout=120, check=False)
    assert again.stderr == " ".join(["stamp_and_key"] * 3)  # each answered from the cache
