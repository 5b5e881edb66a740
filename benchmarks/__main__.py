"""Run the benchmarks and print each ratio against its target: ``python -m benchmarks``.

Every ratio interleaves its two sides (A B A B ...) in the same run, so a loaded machine
slows both, and reports the median, min and max over the pairs. Only kzfacts' public API
and its command line are used. ``--quick`` runs every measurement small (a smoke test of
the runner, not of the targets); ``--only NAME`` runs one benchmark. See
docs/performance.md for what each target means.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import floor
from benchmarks.generate import Findings, document, generate, real_mix, write_document, write_rules
from benchmarks.mix import REAL, ROOT, measure, measure_corpus

PY = sys.executable
_SCRIPT = Path(PY).parent / "kzfacts"
KZ = [str(_SCRIPT)] if _SCRIPT.exists() else [PY, "-m", "kzfacts.cli"]
BENCHMARKS = ("mix", "cold", "eval", "scale", "plugin")

#: compile + evaluate + messages / the floor, on the code before the fast paths went
#: (commit 0961018), median of the pairs of one full run: the evaluation target is to stay
#: within 20% of it.
TODAY_EVALUATION = 11.8


@dataclass
class Pairs:
    """Interleaved measurements of two sides, and their ratios pair by pair."""

    a: list[float] = field(default_factory=list)
    b: list[float] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        return [x / y for x, y in zip(self.a, self.b, strict=True)]

    def ratio(self) -> str:
        r = self.ratios
        return f"{statistics.median(r):.2f}x ({min(r):.2f}-{max(r):.2f})"

    @staticmethod
    def spread(values: Sequence[float], unit: str = "s", digits: int = 3) -> str:
        return (f"{statistics.median(values):.{digits}f} {unit} "
                f"({min(values):.{digits}f}-{max(values):.{digits}f})")


class Table:
    """Rows of (measurement, value, target, met), printed as they come and at the end."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, bool | None]] = []

    def add(self, name: str, value: str, target: str = "-", *, met: bool | None = None,
            ) -> None:
        self.rows.append((name, value, target, met))
        print(f"  {name}: {value}" + ("" if met is None else
                                       f"  [target {target}: {'met' if met else 'MISSED'}]"),
              flush=True)

    def render(self) -> str:
        width = max(len(r[0]) for r in self.rows)
        vwidth = max(len(r[1]) for r in self.rows)
        lines = [f"{'measurement':<{width}}  {'median (min-max)':<{vwidth}}  target"]
        for name, value, target, met in self.rows:
            mark = "" if met is None else ("  met" if met else "  MISSED")
            lines.append(f"{name:<{width}}  {value:<{vwidth}}  {target}{mark}")
        return "\n".join(lines)


# -- running commands ---------------------------------------------------------------------

def _tree_rss(root: int) -> dict[int, int]:
    """RSS in bytes of ``root`` and every process below it."""
    out: dict[int, int] = {}
    todo = [root]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        pid = todo.pop()
        try:
            out[pid] = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return out


@dataclass
class Run:
    seconds: float
    code: int
    peak: int  # sum over the processes of each one's peak RSS seen, bytes
    processes: int


def run(cmd: list[str], *, cwd: Path | None = None, ok: tuple[int, ...] = (0, 1),
        sample: bool = False) -> Run:
    """One command, its output discarded; with ``sample``, its processes' memory is
    sampled every 0.1 s (each process's peak, summed)."""
    peaks: dict[int, int] = {}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL,  # noqa: S603
                            stderr=subprocess.PIPE)
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.1):
            for pid, rss in _tree_rss(proc.pid).items():
                peaks[pid] = max(peaks.get(pid, 0), rss)

    watcher = threading.Thread(target=watch, daemon=True)
    if sample:
        watcher.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    if sample:
        watcher.join()
    if proc.returncode not in ok:
        sys.stderr.write(err.decode()[-3000:])
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}")
    return Run(seconds, proc.returncode, sum(peaks.values()), len(peaks))


def interleave(a: Callable[[], float], b: Callable[[], float], pairs: int) -> Pairs:
    out = Pairs()
    for _ in range(pairs):
        out.a.append(a())
        out.b.append(b())
    return out


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable), {model}, "
            f"Python {platform.python_version()}; load average {load}")


# -- the benchmarks -------------------------------------------------------------------------

def bench_mix(t: Table, work: Path, *, quick: bool) -> None:
    """The real mix, each base and pooled, beside the mix of a generated corpus."""
    bases = [measure(r) for r in REAL]
    pooled = real_mix()
    corpus = generate(work / "mix", documents=5 if quick else 40)
    made = measure_corpus(corpus)
    rows = list(zip(*(m.rows() for m in (*bases, pooled, made)), strict=True))
    names = ("bundled", "nordavia", "real, pooled", f"generated ({made.documents} documents)")
    width = max(len(r[0][0]) for r in rows)
    print(f"  {'':<{width}}  " + "  ".join(f"{n:>14}" for n in names), flush=True)
    for row in rows:
        print(f"  {row[0][0]:<{width}}  " + "  ".join(f"{v:>14}" for _, v in row), flush=True)
    t.add("generated mix: facts, rules a paragraph (real)",
          f"{made.facts_per_paragraph:.2f}, {made.rules_per_paragraph:.2f} "
          f"({pooled.facts_per_paragraph:.2f}, {pooled.rules_per_paragraph:.2f})")
    t.add("generated mix: operands not whole numbers in full (real)",
          f"{made.not_whole:.1%} ({pooled.not_whole:.1%})")


def bench_cold(t: Table, pairs: int) -> None:
    """``kzfacts check --no-cache`` on the bundled data against importing its libraries.

    kzfacts' bytecode is compiled first, as pip does when it installs a package: pydantic,
    pint and PyYAML come with theirs compiled.
    """
    import compileall

    import kzfacts
    compileall.compile_dir(Path(kzfacts.__file__).parent, quiet=1)
    check = [*KZ, "check", "--no-cache"]  # the repository's facts/, rules/, baseline.yaml
    imports = [PY, "-c", "import pydantic, pint, yaml"]
    run(check, cwd=ROOT)  # warm the file cache once
    p = interleave(lambda: run(check, cwd=ROOT).seconds,
                   lambda: run(imports, cwd=ROOT).seconds, pairs)
    t.add(f"cold: `{Path(KZ[-1]).name} check --no-cache`, bundled data", Pairs.spread(p.a))
    t.add("cold: `python -c 'import pydantic, pint, yaml'`", Pairs.spread(p.b))
    t.add(f"cold check / imports ({pairs} pairs)", p.ratio(), "<= 2.0x",
          met=statistics.median(p.ratios) <= 2.0)


def _corpus_counts(report: Path) -> str:
    last = report.read_text().rstrip().rsplit("\n", 1)[-1]
    return last.split(":", 1)[1].split(":", 1)[0].strip() if last.startswith("corpus:") else "?"


def bench_scale(t: Table, work: Path, facts: int, jobs: int, pairs: int) -> None:
    """A corpus of ``facts`` facts and one a tenth of it, checked with ``--jobs``."""
    per_doc = real_mix().facts_per_paragraph * round(real_mix().paragraphs_per_document)
    big = max(10, round(facts / per_doc))
    small = big // 10
    start = time.perf_counter()
    rules = evaluations = n_facts = 0
    for i in range(big):  # counted from the generator's own record as it writes
        paras = document(i)
        # the small corpus is the big one's first tenth, written again (a corpus takes no
        # links to documents elsewhere)
        for name in ("big", "small") if i < small else ("big",):
            write_document(work / name / f"d{i:05d}", paras, title=f"Synthetic report {i}")
        for para in paras:
            n_facts += len(para.facts)
            rules += len(para.checks)
            evaluations += sum(c[-1] - c[-2] + 1 if c[0] == "series" else 1 for c in para.checks)
    made = time.perf_counter() - start
    print(f"  generated {big} documents in {made:.0f} s", flush=True)

    def check(name: str, *options: str) -> Run:
        out = work / f"{name}.txt"
        return run([*KZ, "check", "--corpus", str(work / name), "--jobs", str(jobs),
                    "--no-cache", *options, "-o", str(out)], sample=True)

    # The time target is a check without localisation (the target predates it); a check
    # with it (the default) is timed beside it: it must stay linear (10x the input).
    runs: dict[str, list[Run]] = {"small": [], "big": []}
    p = interleave(lambda: _keep(runs["big"], check("big", "--no-locate")).seconds,
                   lambda: _keep(runs["small"], check("small", "--no-locate")).seconds, pairs)
    counted = _corpus_counts(work / "big.txt")
    located = interleave(lambda: _keep(runs["big"], check("big")).seconds,
                         lambda: _keep(runs["small"], check("small")).seconds, pairs)
    t.add("corpus: documents; facts; rules; rule evaluations (a series: one a year)",
          f"{big:,}; {n_facts:,}; {rules:,}; {evaluations:,}")
    t.add("corpus: as kzfacts counts it", counted)
    t.add(f"{n_facts:,} facts, --jobs {jobs}, --no-cache --no-locate", Pairs.spread(p.a, digits=1),
          "<= 90 s", met=statistics.median(p.a) <= 90)
    t.add("the same, findings located (the default)", Pairs.spread(located.a, digits=1))
    peak = max(r.peak for r in runs["big"]) / 2**20
    procs = max(r.processes for r in runs["big"])
    t.add(f"peak RSS, {procs} processes together (each one's peak, summed)", f"{peak:,.0f} MiB",
          "<= 2048 MiB", met=peak <= 2048)
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    t.add("largest single process (ru_maxrss)", f"{largest:,.0f} MiB")
    t.add(f"10x the input: {big} / {small} documents ({pairs} pairs), --no-locate", p.ratio(),
          "<= 11x", met=statistics.median(p.ratios) <= 11)
    t.add("10x the input, findings located", located.ratio(),
          "<= 11x", met=statistics.median(located.ratios) <= 11)


def _keep(runs: list[Run], r: Run) -> Run:
    runs.append(r)
    return r


def _check_doc(folder: Path) -> tuple[float, dict[str, str]]:
    """compile + evaluate + every message, as a check pays per rule: seconds, verdicts."""
    import kzfacts

    gc.enable()
    base, rules = kzfacts.load(folder / "facts", folder / "rules")
    gc.disable()  # no collection inside the timed part, on either side
    t0 = time.perf_counter()
    results = kzfacts.evaluate(base, rules, kzfacts.compile_rules(base, rules))
    for r in results:
        _ = (r.message, r.intervals, r.notes)
    seconds = time.perf_counter() - t0
    gc.enable()
    return seconds, {r.rule: r.verdict.value for r in results}


def _floor_doc(doc: floor.Truth) -> tuple[float, dict[str, str]]:
    gc.disable()
    t0 = time.perf_counter()
    out = floor.verdicts(doc)
    seconds = time.perf_counter() - t0
    gc.enable()
    return seconds, out


def bench_eval(t: Table, work: Path, documents: int, pairs: int) -> None:
    """What a check pays per rule (compile, evaluate, write every message) against the
    hand-written floor's verdicts, document by document, A B A B.

    Each document is loaded again for every pair (outside the timing): a fact base
    remembers readings once computed, which a real check, compiling once, never reuses.
    """
    corpus = generate(work / "eval", documents=documents)
    truths = [floor.truth(document(i)) for i in range(documents)]
    folders = sorted(corpus.iterdir())
    rules = sum(len(tr[1]) for tr in truths)
    agree = total = 0
    p = Pairs()
    for _ in range(pairs):
        a = b = 0.0
        for folder, truth in zip(folders, truths, strict=True):
            sa, kz = _check_doc(folder)
            sb, fl = _floor_doc(truth)
            a, b = a + sa, b + sb
            agree += sum(fl[rule] == v for rule, v in kz.items())
            total += len(kz)
        p.a.append(a)
        p.b.append(b)
    per = 1e6 / rules
    t.add(f"evaluation: {documents} documents, {rules:,} rules; verdicts equal to the floor's",
          f"{agree:,}/{total:,}", "all", met=agree == total)
    t.add("evaluation: compile + evaluate + messages, us a rule",
          Pairs.spread([x * per for x in p.a], "us", 1))
    t.add("evaluation: the floor, us a rule", Pairs.spread([x * per for x in p.b], "us", 2))
    median = statistics.median(p.ratios)
    if TODAY_EVALUATION:
        target = f"<= {1.2 * TODAY_EVALUATION:.1f}x (0961018: {TODAY_EVALUATION:.1f}x, +20%)"
        t.add(f"compile + evaluate + messages / floor ({pairs} pairs)", p.ratio(), target,
              met=median <= 1.2 * TODAY_EVALUATION)
    else:
        t.add(f"compile + evaluate + messages / floor ({pairs} pairs)", p.ratio())


OUTCOMES = ("pass", "warn", "fail", "skip", "xfail")


#: The outcomes that are findings, located by default.
FINDINGS = ("warn", "fail", "xfail")


def bench_plugin(t: Table, work: Path, items: tuple[int, int], pairs: int) -> None:
    """The pytest plugin's cost per rule item, for each outcome: the slope between a
    document with few items of that outcome and one with many, A B A B.

    One generated document with many planted findings is checked once; each outcome's
    rules (accepted findings: failing rules written into the baseline) are then repeated
    under new ids to the sizes asked, beside the same facts.
    """
    import kzfacts

    source = work / "plugin-source"
    paras = document(0, 300, findings=Findings(fail=0.3, warn=0.2, skip=0.1))
    write_document(source, paras)
    report = kzfacts.check(source / "facts", source / "rules", baseline=source / "baseline.yaml")
    spec = {r["id"]: r for p in paras for r in p.rules}
    by_outcome: dict[str, list[dict[str, Any]]] = {o: [] for o in OUTCOMES}
    for r in report.results:
        outcome = r.verdict.value
        if outcome == "fail" and r.severity.value != "error":
            continue
        by_outcome[outcome].append(spec[r.rule])
    by_outcome["xfail"] = by_outcome["fail"]
    few, many = items
    for outcome in OUTCOMES:
        chosen = by_outcome[outcome]
        if not chosen:
            t.add(f"plugin, {outcome}: no rule of this outcome", "-", "<= 1 ms", met=False)
            continue
        folders = {}
        for n in (few, many):
            folder = work / f"plugin-{outcome}-{n}"
            shutil.copytree(source, folder)
            rules = [{**chosen[i % len(chosen)], "id": f"{chosen[i % len(chosen)]['id']}.c{i}"}
                     for i in range(n)]
            write_rules(folder, rules, per_file=max(1, round(real_mix().rules_per_file)))
            if outcome == "xfail":
                (folder / "baseline.yaml").write_text("accepted:\n" + "".join(
                    f"  - rule: {r['id']}\n    verdict: fail\n    why: planted\n" for r in rules))
            (folder / "pytest.ini").write_text("[pytest]\n")
            folders[n] = folder
        # A finding is located by default (its repair line): that is work on the data, a
        # few ms a finding; the plugin's own cost is the same item without it.
        for extra in ([], ["--kzfacts-no-locate"]) if outcome in FINDINGS else ([],):
            cmd = [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                   *extra, "rules", "facts"]
            p = interleave(lambda: run(cmd, cwd=folders[many]).seconds,  # noqa: B023
                           lambda: run(cmd, cwd=folders[few]).seconds, pairs)  # noqa: B023
            slopes = [(x - y) / (many - few) * 1000 for x, y in zip(p.a, p.b, strict=True)]
            t.add(f"plugin, {outcome}{' ' + extra[0] if extra else ''}: ms a rule item "
                  f"({few} vs {many} items, {pairs} pairs)",
                  Pairs.spread(slopes, "ms", 3), "<= 1 ms", met=statistics.median(slopes) <= 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="everything small: a smoke test")
    parser.add_argument("--only", action="append", choices=BENCHMARKS,
                        help="run this benchmark (repeat for several); default: all")
    parser.add_argument("--facts", type=int, default=1_000_000, help="facts in the big corpus")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--pairs", type=int, help="pairs for every ratio (default: by benchmark)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    chosen = args.only or list(BENCHMARKS)
    quick = args.quick

    def pairs(full: int) -> int:
        return args.pairs or (2 if quick else full)

    print(f"# machine: {machine()}", flush=True)
    print(f"# command: {' '.join(KZ)}", flush=True)
    t = Table()
    work = Path(tempfile.mkdtemp(prefix="kzfacts-bench-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    try:
        for name in chosen:
            print(f"# {name}", flush=True)
            if name == "mix":
                bench_mix(t, work, quick=quick)
            elif name == "cold":
                bench_cold(t, pairs(21))
            elif name == "eval":
                bench_eval(t, work, 10 if quick else 100, pairs(5))
            elif name == "scale":
                bench_scale(t, work, 20_000 if quick else args.facts, args.jobs, pairs(3))
            else:
                bench_plugin(t, work, (10, 40) if quick else (50, 250), pairs(3))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\n# load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(t.render())
    missed = [r[0] for r in t.rows if r[3] is False]
    print(f"# {len(t.rows)} measurements, {len(missed)} targets missed", flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
