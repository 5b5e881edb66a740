"""Run the benchmarks and print each ratio against its target: ``python -m benchmarks``.

Every ratio is measured in the same run, from timings taken with ``time.perf_counter``
around subprocesses (best of several runs where a run is short), so a loaded machine slows
both sides of a ratio. Peak memory is ``ru_maxrss`` of the children. ``--quick`` runs the
same measurements on a small corpus (a smoke test of the runner, not of the targets).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.floor import failing, values
from benchmarks.generate import FACTS_PER_PARAGRAPH, RULES_PER_PARAGRAPH, generate

PY = sys.executable
_SCRIPT = Path(PY).parent / "kzfacts"
KZ = [str(_SCRIPT)] if _SCRIPT.exists() else [PY, "-m", "kzfacts"]


def _run(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
         ok: tuple[int, ...] = (0, 1)) -> tuple[float, int, int]:
    """(seconds, exit code, peak RSS in KiB of the largest descendant) of one subprocess."""
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,  # noqa: S603
                          stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - t
    if proc.returncode not in ok:
        sys.stderr.write(proc.stderr.decode()[-2000:])
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}")
    return seconds, proc.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def _best(cmd: list[str], n: int, **kw: object) -> float:
    return min(_run(cmd, **kw)[0] for _ in range(n))  # type: ignore[arg-type]


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable), {model}, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, bool | None]] = []

    def add(self, name: str, value: str, target: str, ok: bool | None) -> None:  # noqa: FBT001
        self.rows.append((name, value, target, ok))
        mark = "" if ok is None else ("  ok" if ok else "  MISSED")
        print(f"{name:<58} {value:>16}   target {target}{mark}", flush=True)


def cold_start(t: Table, env: dict[str, str], runs: int) -> None:
    """The console script checking the bundled data against ``import pydantic, pint, yaml``.

    kzfacts' bytecode is compiled first (``compileall`` of the installed package's folder,
    as pip does when it installs a package): pydantic, pint and PyYAML come with theirs
    compiled, and with ``PYTHONDONTWRITEBYTECODE`` set (or an editable install whose
    ``__pycache__`` is stale) kzfacts would otherwise be compiled from source on every
    timed run, about 40 ms that no installed copy pays.
    """
    import compileall

    import kzfacts
    package = Path(kzfacts.__file__).parent
    compileall.compile_dir(package, quiet=1)
    print(f"# cold start: kzfacts bytecode compiled first ({package})", flush=True)
    cache = Path(env["KZFACTS_CACHE_DIR"])
    with tempfile.TemporaryDirectory() as empty:  # no ./facts: the bundled data is checked
        cwd = Path(empty)
        imports = _best([PY, "-c", "import pydantic, pint, yaml"], runs, cwd=cwd, env=env)
        # ``import pydantic`` is lazy: it leaves out the model machinery any use of pydantic
        # loads. Printed for context; the target is on the floor above.
        models = _best([PY, "-c", "import pydantic, pint, yaml; from pydantic import BaseModel"],
                       runs, cwd=cwd, env=env)
        nocache = _best([*KZ, "check", "--no-cache"], runs, cwd=cwd, env=env)
        times = []
        for _ in range(runs):  # the first check: an empty cache, which it fills
            shutil.rmtree(cache, ignore_errors=True)
            times.append(_run([*KZ, "check"], cwd=cwd, env=env)[0])
        cold = min(times)
        warm = _best([*KZ, "check"], runs, cwd=cwd, env=env)
    t.add(f"import pydantic, pint, yaml (s, best of {runs})", f"{imports:.3f}", "-", None)
    t.add("the same and `from pydantic import BaseModel` (s)", f"{models:.3f}", "-", None)
    t.add("kzfacts check, bundled data, --no-cache, bytecode compiled (s)", f"{nocache:.3f}", "-", None)
    t.add("kzfacts check, bundled data, empty cache (s)", f"{cold:.3f}", "-", None)
    t.add("kzfacts check, bundled data, unchanged: result cached (s)", f"{warm:.3f}", "-", None)
    t.add("cold check / imports, --no-cache", f"{nocache / imports:.2f}x", "<= 1.5x",
          nocache / imports <= 1.5)
    t.add("cold check / imports, empty cache", f"{cold / imports:.2f}x", "<= 1.5x",
          cold / imports <= 1.5)
    t.add("cold check / imports, unchanged fact base", f"{warm / imports:.2f}x", "<= 1.5x",
          warm / imports <= 1.5)
    t.add("cold check --no-cache / imports with BaseModel", f"{nocache / models:.2f}x", "-", None)


def scale(t: Table, env: dict[str, str], work: Path, facts: int, jobs: int) -> None:
    per_doc = 10 * FACTS_PER_PARAGRAPH
    big = max(10, round(facts / per_doc))
    small = max(1, big // 10)
    start = time.perf_counter()
    generate(work / "big", documents=big)
    (work / "small").mkdir()
    for d in sorted((work / "big").iterdir())[:small]:
        (work / "small" / d.name).symlink_to(d, target_is_directory=True)
    print(f"# generated {big} documents ({big * per_doc:,} facts, {big * 10 * RULES_PER_PARAGRAPH:,}"
          f" rules) in {time.perf_counter() - start:.0f} s", flush=True)
    runs = {}
    for name, docs in (("small", small), ("big", big)):
        cache = work / f"cache-{name}"
        env2 = {**env, "KZFACTS_CACHE_DIR": str(cache)}
        cmd = [*KZ, "check", "--corpus", str(work / name), "--jobs", str(jobs)]
        nocache = _run([*cmd, "--no-cache", "-o", str(work / f"{name}-nocache.txt")], env=env2)
        cold = _run([*cmd, "-o", str(work / f"{name}-cold.txt")], env=env2)
        warm = _run([*cmd, "-o", str(work / f"{name}-warm.txt")], env=env2)
        same = len({(work / f"{name}-{k}.txt").read_bytes()
                    for k in ("nocache", "cold", "warm")}) == 1
        runs[name] = (docs, cold, nocache, warm, same)
        print(f"# {name}: {docs} documents: --no-cache {nocache[0]:.1f} s, empty cache "
              f"{cold[0]:.1f} s, unchanged {warm[0]:.1f} s", flush=True)
    docs, cold, nocache, warm, same = runs["big"]
    n_facts, n_rules = docs * per_doc, docs * 10 * RULES_PER_PARAGRAPH
    t.add(f"{n_facts:,} facts, {n_rules:,} rules, --jobs {jobs}, --no-cache (s)",
          f"{nocache[0]:.1f}", "<= 60 s", nocache[0] <= 60)
    t.add(f"{n_facts:,} facts, --jobs {jobs}, cold: empty cache (s)", f"{cold[0]:.1f}",
          "<= 60 s", cold[0] <= 60)
    t.add(f"{n_facts:,} facts, --jobs {jobs}, unchanged: results cached (s)", f"{warm[0]:.1f}",
          "<= 60 s", warm[0] <= 60)
    rss = max(cold[2], nocache[2], warm[2]) / 1024
    t.add(f"peak RSS of one process (MiB); x{jobs + 1} processes",
          f"{rss:.0f}; {rss * (jobs + 1):.0f}", "<= 2048 MiB", rss * (jobs + 1) <= 2048)
    t.add("facts per second: --no-cache / empty cache",
          f"{n_facts / nocache[0]:,.0f} / {n_facts / cold[0]:,.0f}", "-", None)
    both = same and runs["small"][4]
    t.add("--no-cache, empty-cache and unchanged reports byte-identical", str(both), "True", both)
    s_docs, s_cold, s_nocache, _, _ = runs["small"]
    scale_by = docs / s_docs
    for label, big_t, small_t in (("--no-cache", nocache, s_nocache), ("empty cache", cold, s_cold)):
        ratio = big_t[0] / small_t[0]
        t.add(f"linear: {scale_by:.0f}x the input costs ({label})", f"{ratio:.2f}x",
              f"<= {1.1 * scale_by:.0f}x", ratio <= 1.1 * scale_by)


def evaluation(t: Table, work: Path, sample: int) -> None:
    """compile_rules + evaluate against the floor, in this process, on loaded documents.

    Two ways, both printed. As a check runs: each document is loaded (outside the timer),
    then compiled, evaluated and its messages written (each timed), then the floor runs on
    its values; the times are summed over the documents. This is the target's measure:
    ``kzfacts check`` and each corpus worker handle one document at a time, whose objects
    were just made. And with every document in memory at once (all loaded, then all
    compiled, then all evaluated, as the first two rounds measured): evaluating then reads
    objects made long before, spread over more memory than the caches hold; printed for
    information.

    Each repetition loads the documents again: a fact base remembers its readings once
    computed, so a second pass over the same bases would time warm memos that a real
    check, which compiles each fact base once, never has. The collector is tuned as the
    console script tunes it, for both sides, and a document at a time it runs between
    documents only, never inside the timed phases, as in a corpus worker, which pauses it
    while it checks a document (a collection is triggered by everything allocated before
    it, so where one falls is not the cost of the phase it falls in: with it on, a change
    that allocated less at compile moved a collection from compile into evaluate, and
    evaluate looked 60% slower while the two together were unchanged). ``evaluate``
    decides every verdict and builds every ``Result``; a result's message, intervals and
    notes are written when first read, so reading them all (what a report pays) is timed
    apart.
    """
    from kzfacts.data.model import Verdict
    from kzfacts.engine.check import load
    from kzfacts.engine.compile import compile_rules
    from kzfacts.engine.evaluate import evaluate

    docs = sorted((work / "big").iterdir())[:sample]
    inf = float("inf")
    best = {"compile": inf, "evaluate": inf, "messages": inf, "floor": inf}
    best_all = {"compile": inf, "evaluate": inf, "floor": inf}
    kz_fail: set[str] = set()
    floor_fail: set[str] = set()
    rules = 0
    clock = time.perf_counter
    for _ in range(3):
        spent = dict.fromkeys(best, 0.0)
        kz_fail, floor_fail, rules = set(), set(), 0
        for i, d in enumerate(docs):  # one document at a time, as a check runs
            gc.enable()
            base, rule_set = load(d / "facts", d / "rules")
            plain = _plain(base)
            rules += len(rule_set.specs)
            gc.disable()  # as a corpus worker checks a document: no collection inside
            t0 = clock()
            compiled = compile_rules(base, rule_set)
            t1 = clock()
            results = evaluate(base, rule_set, compiled)
            t2 = clock()
            texts = [(r.message, r.intervals, r.notes) for r in results]
            t3 = clock()
            found = failing(plain)
            t4 = clock()
            assert len(texts) == len(rule_set.specs)
            spent["compile"] += t1 - t0
            spent["evaluate"] += t2 - t1
            spent["messages"] += t3 - t2
            spent["floor"] += t4 - t3
            kz_fail |= {f"{i}:{r.rule}" for r in results if r.verdict is Verdict.FAIL}
            floor_fail |= {f"{i}:{r}" for r in found}
            # freed before the next is loaded, as each check in a worker returns first
            del base, rule_set, plain, compiled, results, texts, found
        gc.enable()
        best = {k: min(v, spent[k]) for k, v in best.items()}
        loaded = [load(d / "facts", d / "rules") for d in docs]  # every document at once
        plains = [_plain(base) for base, _ in loaded]
        t0 = clock()
        compiled_all = [compile_rules(base, r) for base, r in loaded]
        t1 = clock()
        for (base, r), c in zip(loaded, compiled_all, strict=True):
            evaluate(base, r, c)
        t2 = clock()
        for p in plains:
            failing(p)
        t3 = clock()
        best_all = {"compile": min(best_all["compile"], t1 - t0),
                    "evaluate": min(best_all["evaluate"], t2 - t1),
                    "floor": min(best_all["floor"], t3 - t2)}
        del loaded, plains, compiled_all
    floor = best["floor"]
    per = 1e6 / rules
    t.add(f"evaluation, {rules:,} rules, a document at a time: compile_rules (s)",
          f"{best['compile']:.3f}", "-", None)
    t.add(f"evaluation, {rules:,} rules: evaluate, results built (s; us a rule)",
          f"{best['evaluate']:.3f}; {best['evaluate'] * per:.1f}", "-", None)
    t.add(f"evaluation, {rules:,} rules: every message, intervals, notes written (s)",
          f"{best['messages']:.3f}", "-", None)
    t.add(f"evaluation, {rules:,} rules: hand-written Python (s; us a rule)",
          f"{floor:.4f}; {floor * per:.2f}", "-", None)
    t.add("same failing rules in kzfacts and the floor", f"{len(kz_fail)}/{len(floor_fail)}",
          "equal", kz_fail == floor_fail)
    t.add("evaluate only / hand-written floor", f"{best['evaluate'] / floor:.1f}x", "<= 5x",
          best["evaluate"] / floor <= 5)
    t.add("compile only / hand-written floor", f"{best['compile'] / floor:.1f}x", "-", None)
    t.add("evaluation (compile+evaluate) / hand-written floor",
          f"{(best['compile'] + best['evaluate']) / floor:.1f}x", "-", None)
    t.add("compile+evaluate+messages / hand-written floor",
          f"{(best['compile'] + best['evaluate'] + best['messages']) / floor:.1f}x", "-", None)
    t.add(f"every document in memory at once: evaluate / floor ({sample} documents)",
          f"{best_all['evaluate'] / best_all['floor']:.1f}x", "-", None)
    t.add("every document in memory at once: compile+evaluate / floor",
          f"{(best_all['compile'] + best_all['evaluate']) / best_all['floor']:.1f}x", "-", None)


def _plain(base: Any) -> dict[str, dict[str, object]]:
    """The floor's input: plain values of a fact base's facts, by paragraph prefix."""
    v = values([{"id": f.id, "value": f.value if f.kind.value not in ("date", "range")
                 else None} for f in base.facts.values()])
    for f in base.facts.values():
        if f.kind.value == "date":
            v[f.id] = f.value.start.isoformat() if hasattr(f.value, "start") else str(f.value)
        elif f.kind.value == "range":
            v[f.id] = (f.value.min, f.value.max)
        elif f.kind.value == "rate":
            v[f.id] = str(f.value)
    by_para: dict[str, dict[str, object]] = {}
    for fid in v:
        by_para.setdefault(fid.split(".")[0], v)
    return by_para


def plugin(t: Table, env: dict[str, str], work: Path, runs: int) -> None:
    """Per-item cost as a slope: two documents, 10 and 50 paragraphs (190 and 950 rule items).

    The difference of the pytest runs, less the difference of the same checks run by
    ``kzfacts check``, divided by the difference in items: what each item adds, without the
    fixed costs (starting pytest, importing kzfacts, which pytest also rewrites for asserts).
    """
    times = {}
    for paragraphs in (10, 50):
        root = generate(work / f"plugin{paragraphs}", documents=1, paragraphs=paragraphs) / "d00000"
        (root / "pytest.ini").write_text("[pytest]\n")
        cmd = [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "rules", "facts"]
        times[paragraphs] = (_best(cmd, runs, cwd=root, env=env, ok=(0, 1)),
                             _best([*KZ, "check", "--no-cache"], runs, cwd=root, env=env))
    items = (50 - 10) * RULES_PER_PARAGRAPH
    pytest_extra = times[50][0] - times[10][0]
    check_extra = times[50][1] - times[10][1]
    per_item = (pytest_extra - check_extra) / items * 1000
    t.add(f"pytest run, {50 * RULES_PER_PARAGRAPH} rule items (s)", f"{times[50][0]:.2f}", "-", None)
    t.add("kzfacts check, same document (s)", f"{times[50][1]:.2f}", "-", None)
    t.add("pytest plugin: ms per rule item beyond evaluation", f"{per_item:.3f}", "<= 1 ms",
          per_item <= 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small corpus: a smoke test")
    parser.add_argument("--facts", type=int, default=1_000_000, help="facts in the big corpus")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args(argv)
    facts = 5_200 if args.quick else args.facts
    runs = 2 if args.quick else 7
    print(f"# machine: {machine()}", flush=True)
    t = Table()
    work = Path(tempfile.mkdtemp(prefix="kzfacts-bench-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "KZFACTS_CACHE_DIR": str(work / "cache-bundled")}
    try:
        cold_start(t, env, runs)
        scale(t, env, work, facts, args.jobs)
        evaluation(t, work, 5 if args.quick else 100)
        plugin(t, env, work, runs)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    missed = [r[0] for r in t.rows if r[3] is False]
    print(f"# {len(t.rows)} measurements, {len(missed)} targets missed", flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
