"""The ``kzfacts`` console script's front door: answer an unchanged ``check`` from the cache.

``kzfacts check`` on a fact base whose files, options, kzfacts code and plugins are all as
they were when the same check last ran prints the stored report and exits with the stored
code, without importing the engine (pydantic, pint, the models and rule kinds). Anything
else, or a cache miss, goes to :func:`kzfacts.cli.main` (on a miss, with the stamp and key
the lookup took, so the check does not take them again), which stores what it computes.
See ``_cache.result_key`` for what the key covers.
"""

from __future__ import annotations

import atexit
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from kzfacts._files import default_root, format_for, write_atomic

__all__ = ["check_options", "console", "inputs_closed", "main", "tune_gc"]

_VALUED = {"--facts", "--rules", "--baseline", "--format", "--output", "-o"}
_CACHED_FORMATS = {"text", "json", "markdown", "junit", "sarif", "claimreview"}  # not html


def check_options(facts: Path, rules: Path, baseline: Path | None, fmt: str) -> dict[str, Any]:
    """What, besides the input files, a ``check`` report depends on.

    Only output that goes to a file or a pipe is cached: a terminal's report depends on
    its width and colours.
    """
    return {"command": "check", "facts": str(facts.absolute()), "rules": str(rules.absolute()),
            "baseline": None if baseline is None else str(baseline.absolute()), "format": fmt,
            "cwd": str(Path.cwd())}


def inputs_closed(facts: Path) -> bool:
    """Whether every file the loader reads lies below ``facts/`` (else: never cached)."""
    from kzfacts.data.yaml import read_yaml
    from kzfacts.errors import DataError
    try:
        data = read_yaml(facts / "document.yaml").data
    except DataError:
        return False
    if not isinstance(data, dict):
        return False
    root = facts.resolve()
    for name in ("source", "units", "reference", "not_claims"):
        value = data.get(name)
        if value is not None and (not isinstance(value, str)
                                  or not (facts / value).resolve().is_relative_to(root)):
            return False
    return True


def _parse(argv: Sequence[str]) -> dict[str, str] | None:
    """The options of a plain ``check`` command line, or None for anything else."""
    if not argv or argv[0] != "check":
        return None
    out: dict[str, str] = {}
    rest = list(argv[1:])
    while rest:
        arg = rest.pop(0)
        name, eq, value = arg.partition("=")
        if name not in _VALUED or (not eq and not rest):
            return None
        if not eq:
            value = rest.pop(0)
        out["--output" if name == "-o" else name] = value
    return out


#: A lookup's miss: the options, and the stamp and key of the inputs, for the check to reuse.
Keyed = tuple[dict[str, Any], tuple[Any, ...], str]


def _lookup(argv: Sequence[str]) -> int | Keyed | None:
    """The exit code of a check answered from the cache; on a miss, what the check can reuse."""
    opts = _parse(argv)
    if opts is None:
        return None
    output = opts.get("--output")
    fmt = opts.get("--format") or format_for(None if output is None else Path(output))
    if fmt not in _CACHED_FORMATS:
        return None
    root = default_root()
    facts = Path(opts.get("--facts", root / "facts"))
    rules = Path(opts.get("--rules", root / "rules"))
    baseline = Path(opts.get("--baseline", root / "baseline.yaml"))
    if output is None and sys.stdout.isatty():
        return None  # a terminal's report depends on its width and colours
    if not facts.is_dir() or not rules.is_dir():
        return None
    from kzfacts.cli import cache as _cache
    options = check_options(facts, rules, baseline, fmt)
    taken = _cache.stamp_and_key(options, [facts, rules], [baseline])
    if taken is None:
        return None
    stamp, key = taken
    hit = _cache.get_result(_cache.default_dir(), key)
    if hit is None:
        return options, stamp, key
    code, text, _ = hit
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return code
    try:
        write_atomic(Path(output), text)
    except OSError:
        return None  # the full command reports an unwritable output (exit 2)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    import gc
    was_enabled = gc.isenabled()
    gc.disable()  # the imports below allocate much and make no garbage; tune_gc() follows them
    try:
        try:
            found = _lookup(args)
        except BrokenPipeError:
            return 0
        if isinstance(found, int):
            return found
        from kzfacts.cli import _main
        tune_gc()
    finally:
        if was_enabled:
            gc.enable()
    return _main(args, found)


def console() -> NoReturn:
    """The ``kzfacts`` console script: :func:`main`, then the process ends without the
    interpreter's teardown.

    As it exits, Python frees every object of the process one by one (about 6 ms after a
    check, most of them the imported libraries'). Once :func:`main` has returned nothing is
    left to do: the exit handlers run, the standard streams are flushed and the process
    ends. With a thread still running, or a stream that cannot be flushed (a closed pipe),
    Python's own exit takes over, as without this.
    """
    code = main()
    threading = sys.modules.get("threading")
    if threading is None or threading.active_count() == 1:
        atexit._run_exitfuncs()  # what Python's exit runs first (threads are joined before)
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        else:
            os._exit(code)
    sys.exit(code)


def tune_gc() -> None:
    """Collect cycles rarely: a check allocates many objects and makes almost no cycles.

    With the default thresholds a fact base's loading runs the collector about a thousand
    times, a fifth of the time; frozen imports and a larger first threshold leave a few.
    """
    import gc
    gc.freeze()  # what the imports made lives as long as the process: never scan it
    gc.set_threshold(20_000, 20, 20)



if __name__ == "__main__":  # python -m kzfacts.cli.fastpath: the console script
    console()
