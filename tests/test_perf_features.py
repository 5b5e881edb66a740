"""The features that serve speed: corpus checks with --jobs, the progress bar."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kzfacts.cli import main
from kzfacts.cli.progress import Progress
from kzfacts.engine.check import check
from kzfacts.reports.report import render_json

ROOT = Path(__file__).resolve().parents[1]
KZFACTS = Path(sys.executable).parent / "kzfacts"


def _json(folder: Path) -> str:
    return render_json(check(folder / "facts", folder / "rules",
                             baseline=folder / "baseline.yaml"))


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


def test_cli_corpus_writes_nothing_to_a_piped_stderr(corpus: Path) -> None:
    proc = subprocess.run([str(KZFACTS), "check", "--corpus", str(corpus), "--jobs", "2"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 1
    assert proc.stderr == ""
    assert proc.stdout.startswith("== d00000 ==")
