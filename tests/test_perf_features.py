"""The features that serve speed: the parsed-file cache, corpus checks with --jobs, the
progress bar, and the benchmark generator's agreement with its hand-written floor."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kzfacts import _cache
from kzfacts._engine import check, load
from kzfacts._progress import Progress
from kzfacts._report import render_json
from kzfacts._yaml import FloatLiteral, read_yaml
from kzfacts.cli import main

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


def _yaml_count(folder: Path) -> int:
    return len(list((folder / "facts").glob("*.yaml"))) + len(list((folder / "rules").glob("*.yaml"))) + 1


# -- the cache ------------------------------------------------------------------------------

def test_cache_cold_and_warm_reports_are_byte_identical(base: Path, tmp_path: Path) -> None:
    plain = _json(base)
    cache = _cache.Cache(tmp_path / "cache")
    with _cache.activate(cache):
        cold = _json(base)
        assert (cache.hits, cache.misses) == (0, _yaml_count(base))
        warm = _json(base)
    assert cache.hits == _yaml_count(base)  # the second run parsed nothing
    assert cold == warm == plain
    assert _cache.active() is None  # the block restored "no cache"


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
    entries = [e for e in folder.rglob("*.json") if "results" not in e.parts]
    assert len(entries) == _yaml_count(base)  # one parsed file each
    assert len(list((folder / "results").rglob("*.json"))) == 1  # and the report
    main(["check", "--format", "json"])
    assert capsys.readouterr().out == cold == nocache


def test_cache_dir_default_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KZFACTS_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _cache.default_dir() == tmp_path / "kzfacts"
    monkeypatch.setenv("KZFACTS_CACHE_DIR", str(tmp_path / "x"))
    assert _cache.default_dir() == tmp_path / "x"


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign", "not-plain"])
def test_corrupt_or_foreign_entries_are_ignored(base: Path, tmp_path: Path, damage: str) -> None:
    cache = _cache.Cache(tmp_path / "cache")
    with _cache.activate(cache):
        cold = _json(base)
    entries = sorted((tmp_path / "cache").rglob("*.json"))
    other = entries[0].read_text()
    for entry in entries:
        text = entry.read_text()
        if damage == "garbage":
            entry.write_bytes(b"\x00\xff not json")
        elif damage == "truncated":
            entry.write_text(text[: len(text) // 2])
        elif damage == "foreign":  # another file's entry under this name
            entry.write_text(other if entry != entries[0] else entries[1].read_text())
        else:  # the right key, but data no YAML reader produces
            data = json.loads(text)
            data["data"] = {"facts": [1.5]}
            entry.write_text(json.dumps(data))
    cache2 = _cache.Cache(tmp_path / "cache")
    with _cache.activate(cache2):
        again = _json(base)
    assert again == cold
    assert cache2.hits == 0
    assert cache2.misses == len(entries)
    # the bad entries were replaced by good ones
    cache3 = _cache.Cache(tmp_path / "cache")
    with _cache.activate(cache3):
        assert _json(base) == cold
    assert cache3.misses == 0


def test_an_edited_file_misses_the_cache(base: Path, tmp_path: Path) -> None:
    cache = _cache.Cache(tmp_path / "cache")
    with _cache.activate(cache):
        before = json.loads(_json(base))
        p18 = base / "facts" / "p18.yaml"
        p18.write_text(p18.read_text().replace("value: 64\n", "value: 65\n", 1))
        cache.hits = cache.misses = 0
        after = json.loads(_json(base))
    assert cache.misses == 1
    assert cache.hits == _yaml_count(base) - 1
    assert after != before
    assert any(a["fact"] == "torture.convicted" for a in after["anchoring"])
    assert not any(a["fact"] == "torture.convicted" for a in before["anchoring"])


def test_float_literals_survive_the_cache(tmp_path: Path) -> None:
    f = tmp_path / "x.yaml"
    f.write_text("a:\n  - value: 7.8\n    text: '7.8'\n")
    with _cache.activate(_cache.Cache(tmp_path / "cache")) as cache:
        cold = read_yaml(f)
        warm = read_yaml(f)
    assert cache is not None and cache.hits == 1
    assert type(warm.data["a"][0]["value"]) is FloatLiteral
    assert type(warm.data["a"][0]["text"]) is str
    assert warm.data == cold.data
    assert warm.locations == cold.locations


def test_errors_are_not_cached(tmp_path: Path) -> None:
    from kzfacts.errors import DataError
    f = tmp_path / "x.yaml"
    f.write_text("a: 1\na: 2\n")
    with _cache.activate(_cache.Cache(tmp_path / "cache")):
        for _ in range(2):
            with pytest.raises(DataError, match="each key once"):
                read_yaml(f)
    assert not list((tmp_path / "cache").rglob("*.json"))


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
    assert total["facts"] == 3 * 3 * 26
    assert total["rules"] == 3 * 3 * 19
    # findings are injected into paragraphs 4 and 8 of the 9: three failing rules each
    assert total["counts"]["fail"] == 6
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


# -- the benchmark's data and floor ----------------------------------------------------------

def test_generated_data_is_valid_and_the_floor_agrees_with_kzfacts(corpus: Path) -> None:
    from kzfacts._model import Verdict
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks.floor import failing
    finally:
        sys.path.remove(str(ROOT))
    for doc in sorted(corpus.iterdir()):
        report = check(doc / "facts", doc / "rules", baseline=doc / "baseline.yaml")
        assert not report.anchoring and not report.coverage.uncovered
        values: dict[str, dict[str, object]] = {}
        for f in load(doc / "facts", doc / "rules")[0].facts.values():
            v: object = f.value
            if f.kind.value == "date":
                v = str(f.value)
            elif f.kind.value == "range":
                v = (f.value.min, f.value.max)  # type: ignore[union-attr]
            elif f.kind.value == "rate":
                v = str(f.value)
            values.setdefault(f.id.split(".")[0], {})[f.id] = v
        kz = {r.rule for r in report.results if r.verdict is Verdict.FAIL}
        assert kz == failing(values)


# -- whole results: an unchanged check answered without the engine ---------------------------

def _fast(base: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KZFACTS_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    code = ("import sys\nfrom kzfacts._fastpath import main\ncode = main(sys.argv[1:])\n"
            "sys.stderr.write('ENGINE' if 'pydantic' in sys.modules else 'FAST')\n"
            "sys.exit(code)\n")
    return subprocess.run([sys.executable, "-c", code, *args], cwd=base, capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def test_unchanged_check_is_answered_without_the_engine(base: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _fast(base, cache, "check", "--format", "json")
    again = _fast(base, cache, "check", "--format", "json")
    plain = _fast(base, cache, "check", "--format", "json", "--no-cache")
    assert first.stderr.endswith("ENGINE") and plain.stderr.endswith("ENGINE")
    assert again.stderr == "FAST"
    assert again.stdout == first.stdout == plain.stdout
    assert again.returncode == first.returncode == plain.returncode
    # another format is another key
    assert _fast(base, cache, "check", "--format", "markdown").stderr.endswith("ENGINE")


def test_any_edit_misses_the_result_cache(base: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = _fast(base, cache, "check")
    p18 = base / "facts" / "p18.yaml"
    p18.write_text(p18.read_text().replace("value: 64\n", "value: 65\n", 1))
    after = _fast(base, cache, "check")
    assert after.stderr.startswith("ENGINE") or "ENGINE" in after.stderr
    assert after.stdout != before.stdout and after.returncode == 1
    p18.write_text(p18.read_text().replace("value: 65\n", "value: 64\n", 1))
    restored = _fast(base, cache, "check")
    assert restored.stderr == "FAST" and restored.stdout == before.stdout
    (base / "baseline.yaml").write_text("accepted: []\n")
    assert "ENGINE" in _fast(base, cache, "check").stderr


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
    import kzfacts._engine as engine

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
