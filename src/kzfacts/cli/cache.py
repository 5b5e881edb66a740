"""A cache of whole check results, keyed by the hashes of everything a report depends on.

Re-checking a fact base nobody changed should cost the start of Python and little more:
the console script answers it from here before importing the engine. It is safe to delete
at any time.

What it trusts: nothing more than the files. An entry is found by a key covering the bytes
and names of every input file, the options, kzfacts' own source and the Python version,
and holds only plain JSON (an exit code, the report's text, counts); an entry that is not
valid JSON, names another key or holds anything else is ignored and written again. The
cache never executes or unpickles anything, and errors (exit 2, 3) are never stored.

(Until November 2026 it also kept each parsed YAML file. Once the reader got 2.4× faster,
reading an entry cost as much as parsing the file, and writing one per file made a cold
corpus run about 30% slower, so that part was removed: see docs/performance.md.)

Where: ``$KZFACTS_CACHE_DIR``, else ``$XDG_CACHE_HOME/kzfacts``, else ``~/.cache/kzfacts``.
The library uses a cache only when one is activated (the CLI does, unless ``--no-cache``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG
from typing import Any

__all__ = ["Cache", "activate", "active", "default_dir", "get_result", "inputs_stamp", "put_result",
           "result_key", "stamp_and_key", "use"]

_FORMAT = 1


def default_dir() -> Path:
    """The user's cache directory for kzfacts."""
    explicit = os.environ.get("KZFACTS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "kzfacts"


class Cache:
    """The cache folder a command (or a corpus worker) stores results in."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)


_ACTIVE: Cache | None = None


def active() -> Cache | None:
    """The cache in use now, if any."""
    return _ACTIVE


def use(cache: Cache | None) -> None:
    """Use ``cache`` for the rest of this process (a worker of ``kzfacts check --jobs``)."""
    global _ACTIVE  # noqa: PLW0603 - one cache per process
    _ACTIVE = cache


@contextmanager
def activate(cache: Cache | None) -> Iterator[Cache | None]:
    """Use ``cache`` (None: no cache) inside the block."""
    global _ACTIVE  # noqa: PLW0603 - one cache per process, set by the CLI or a worker
    previous, _ACTIVE = _ACTIVE, cache
    try:
        yield cache
    finally:
        _ACTIVE = previous


# -- whole results ---------------------------------------------------------------------------
# Re-checking a fact base nobody changed should cost the start of Python and little more.
# A result is stored under a key that covers everything a report depends on: the bytes and
# names of every file below facts/ and rules/, the baseline, the options that shape the
# output (format, colour, paths, working directory, which paths in messages depend on),
# kzfacts' own source code, the state of the site-packages folders (where plugins are
# installed) and the Python version. Any change to any of them is another key. An entry
# is plain JSON, checked on load.


@lru_cache(maxsize=1)
def _code_digest() -> str:
    h = hashlib.sha256(f"python {sys.version}\n".encode())
    package = Path(__file__).parent
    for file in sorted(package.rglob("*.py")):
        h.update(f"{file.relative_to(package)}\0".encode())
        h.update(file.read_bytes())
    # Installing, upgrading or removing any package (a rule-kind plugin among them, editable
    # or not) writes its metadata into a site-packages folder, which changes the folder's
    # time; a stat of each is far cheaper than reading every entry point. Other folders on
    # sys.path (the working directory) change for unrelated reasons and are left out.
    for entry in sys.path:
        if Path(entry).name not in ("site-packages", "dist-packages"):
            continue
        try:
            h.update(f"path {entry} {Path(entry).stat().st_mtime_ns}\n".encode())
        except OSError:
            h.update(f"path {entry} -\n".encode())
    return h.hexdigest()


def result_key(options: dict[str, Any], folders: list[Path], files: list[Path]) -> str | None:
    """The key of a check's result, or None if an input cannot be read (then: no caching).

    It covers the options, kzfacts' code (see ``_code_digest``) and the name and bytes of
    every regular file below ``folders`` and of ``files`` (or that one is missing).
    """
    taken = stamp_and_key(options, folders, files)
    return None if taken is None else taken[1]


def stamp_and_key(options: dict[str, Any], folders: list[Path], files: list[Path]
                  ) -> tuple[tuple[Any, ...], str] | None:
    """:func:`inputs_stamp` and :func:`result_key` in one pass, or None if an input cannot be
    stat'ed or read (then: no caching).

    Each input is stat'ed once, before it is read: if a later :func:`inputs_stamp` is equal,
    no input changed after the stamp, so the bytes read for the key are the bytes the check
    read. The console script's lookup takes both (one walk of the folders, one stat a file)
    and, on a miss, hands them to the check, which would otherwise take them again.
    """
    h = hashlib.sha256(f"result {_FORMAT}\n{_code_digest()}\n".encode())
    h.update(json.dumps(options, sort_keys=True).encode())
    stamp = _walk(folders, files, h)
    return None if stamp is None else (stamp, h.hexdigest())


def inputs_stamp(folders: list[Path], files: list[Path]) -> tuple[Any, ...] | None:
    """Name, size and change times of every input: taken before :func:`result_key` and
    again after the check, it tells (by stat alone) whether any input changed meanwhile,
    in which case the result is not stored under the key of the old bytes."""
    return _walk(folders, files, None)


def _walk(folders: list[Path], files: list[Path], h: Any) -> tuple[Any, ...] | None:
    """The stamp of the inputs; with a hash ``h``, also each one's name and bytes into it."""
    out: list[Any] = []
    try:
        for folder in folders:
            for file in sorted(folder.rglob("*")):
                st = file.stat()
                out.append((str(file), st.st_size, st.st_mtime_ns, st.st_ctime_ns))
                if h is not None and S_ISREG(st.st_mode):
                    h.update(f"\n{folder.name}/{file.relative_to(folder)}\0".encode())
                    h.update(hashlib.sha256(file.read_bytes()).digest())
        for file in files:
            if h is not None:
                h.update(f"\n{file}\0".encode())
            if file.exists():
                st = file.stat()
                out.append((str(file), st.st_size, st.st_mtime_ns, st.st_ctime_ns))
                if h is not None:
                    h.update(hashlib.sha256(file.read_bytes()).digest())
            else:
                out.append((str(file), None))
                if h is not None:
                    h.update(b"none")
    except OSError:
        return None
    return tuple(out)


def get_result(folder: Path, key: str) -> tuple[int, str, dict[str, Any]] | None:
    """``(exit code, output, counts)`` stored under ``key``, or None (absent, corrupt, foreign)."""
    try:
        entry = json.loads((folder / "results" / key[:2] / f"{key}.json").read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if (not isinstance(entry, dict) or entry.get("key") != key
            or type(entry.get("exit_code")) is not int or entry["exit_code"] not in (0, 1)
            or type(entry.get("output")) is not str or not _counts(entry.get("counts"))):
        return None
    return entry["exit_code"], entry["output"], entry["counts"]


def _counts(value: Any) -> bool:
    """Plain counts: names to integers, or to such mappings one level down."""
    return type(value) is dict and all(
        type(v) is int or (type(v) is dict and all(type(x) is int for x in v.values()))
        for v in value.values())


def put_result(folder: Path, key: str, exit_code: int, output: str,
               counts: dict[str, Any] | None = None) -> None:
    """Store a result (only exit codes 0 and 1: errors are always found again)."""
    if exit_code not in (0, 1):
        return
    _store(folder / "results" / key[:2] / f"{key}.json",
           json.dumps({"key": key, "exit_code": exit_code, "output": output,
                       "counts": counts or {}}, ensure_ascii=False))


_MADE: set[Path] = set()  # entry folders this process has made (or found)


def _store(target: Path, text: str) -> None:
    """Write a cache entry atomically; a cache that cannot be written is skipped.

    Entries are written often (a cold corpus run writes a dozen a document) and each
    write is a few system calls, so this is leaner than ``_files.write_atomic``: the
    folder is made once per process, the temporary file is named by the process (only
    one process writes under a name at a time, and ``os.replace`` is atomic), and it gets
    the default mode (umask applied), not the mode of a file it replaces.
    """
    folder = target.parent
    tmp = Path(f"{target}.{os.getpid()}.tmp")
    try:
        if folder not in _MADE:
            folder.mkdir(parents=True, exist_ok=True)
            _MADE.add(folder)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        except FileNotFoundError:  # the folder was deleted since (deleting is always safe)
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            data = memoryview(text.encode())
            while data:  # a write may take part of it
                data = data[os.write(fd, data):]
        finally:
            os.close(fd)
        tmp.replace(target)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
