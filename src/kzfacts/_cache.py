"""A cache of parsed data files, keyed by the hash of their bytes.

Reading YAML is most of the cost of loading a fact base. The cache keeps, for each file
content seen, the plain data and node locations the safe reader produced, so an unchanged
file is not parsed again. It is safe to delete at any time.

What it trusts: nothing more than the source. An entry is found by the sha256 of the
file's bytes together with the kzfacts and Python versions and the reader's own source
code, and holds only what the YAML
reader returns (plain JSON data: mappings, lists, strings, integers, booleans, null; plus
the paths of float literals and of node locations). Everything after reading, pydantic
validation, anchoring to the source, compiling and evaluating rules, runs on it exactly as
on freshly read data. An entry that is not valid JSON, names another key, or holds anything
but plain data is ignored (and rewritten); the cache never executes or unpickles anything.

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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kzfacts._yaml import YamlDoc

__all__ = ["Cache", "activate", "active", "default_dir", "get_result", "parse_cached", "put_result",
           "result_key", "use"]

_FORMAT = 1
_SCALARS = (str, int, bool, type(None))


def default_dir() -> Path:
    """The user's cache directory for kzfacts."""
    explicit = os.environ.get("KZFACTS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "kzfacts"


def _version() -> str:
    from kzfacts import __version__  # not importlib.metadata: it scans every installed package
    return __version__


class Cache:
    """Parsed files by content hash, one JSON file per entry."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        # The reader's own source is in the key too, so a changed reader (a development
        # checkout, a patched install) never meets entries the old one wrote.
        reader = hashlib.sha256(Path(__file__).with_name("_yaml.py").read_bytes()).hexdigest()
        self.salt = (f"kzfacts {_version()} python {sys.version} reader {reader} "
                     f"format {_FORMAT}\n").encode()
        self.hits = self.misses = 0

    def key(self, raw: bytes) -> str:
        """The entry's name: sha256 of the versions and the file's bytes."""
        return hashlib.sha256(self.salt + raw).hexdigest()

    def _file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> tuple[Any, list[tuple[tuple[str | int, ...], int, int]],
                                      list[tuple[str | int, ...]]] | None:
        """``(data, locations, float paths)`` for a key, or None if absent or not trustworthy."""
        try:
            entry = json.loads(self._file(key).read_bytes())
        except (OSError, ValueError, RecursionError):
            self.misses += 1
            return None
        try:
            found = _unpack(entry, key)
        except (TypeError, ValueError, KeyError, RecursionError):
            self.misses += 1
            return None
        self.hits += 1
        return found

    def put(self, key: str, data: Any, locations: list[tuple[tuple[str | int, ...], int, int]],
            floats: list[tuple[str | int, ...]]) -> None:
        """Store an entry atomically; a cache that cannot be written is silently skipped."""
        text = json.dumps({"key": key, "data": data, "floats": floats,
                           "locations": locations}, ensure_ascii=False, separators=(",", ":"))
        _store(self._file(key), text)


def _unpack(entry: Any, key: str) -> tuple[Any, list[tuple[tuple[str | int, ...], int, int]],
                                           list[tuple[str | int, ...]]]:
    """An entry's contents, checked to be the plain data the reader makes.

    Raises:
        TypeError, ValueError, KeyError: a foreign, corrupt or tampered entry.
    """
    if not isinstance(entry, dict) or entry.get("key") != key:
        raise TypeError("a foreign entry")
    locations = []
    for p, line, col in entry["locations"]:  # a file has a location per node: keep this tight
        if type(line) is not int or type(col) is not int:
            raise TypeError("a location that is not a line and column")
        locations.append((_path(p), line, col))
    return _plain(entry["data"], 0), locations, [_path(p) for p in entry["floats"]]


_KEYS = frozenset((str, int))


def _path(p: Any) -> tuple[str | int, ...]:
    if type(p) is not list or not _KEYS.issuperset(map(type, p)):
        raise TypeError("a path of keys and indexes")
    return tuple(p)


def _plain(value: Any, depth: int) -> Any:
    """Check that a decoded value is plain data (what the YAML reader can produce)."""
    if depth > 64:
        raise ValueError("nesting deeper than the reader allows")
    if type(value) in _SCALARS:
        return value
    if type(value) is list:
        for v in value:
            _plain(v, depth + 1)
        return value
    if type(value) is dict:
        for v in value.values():
            _plain(v, depth + 1)
        return value
    raise TypeError(f"{type(value).__name__} in a cache entry")


_ACTIVE: Cache | None = None


def active() -> Cache | None:
    """The cache the loader uses now, if any."""
    return _ACTIVE


def use(cache: Cache | None) -> None:
    """Use ``cache`` for the rest of this process (a worker of ``kzfacts check --jobs``)."""
    global _ACTIVE  # noqa: PLW0603 - one cache per process
    _ACTIVE = cache


@contextmanager
def activate(cache: Cache | None) -> Iterator[Cache | None]:
    """Use ``cache`` (None: no cache) for the loads inside the block."""
    global _ACTIVE  # noqa: PLW0603 - one cache per process, set by the CLI or a worker
    previous, _ACTIVE = _ACTIVE, cache
    try:
        yield cache
    finally:
        _ACTIVE = previous


def parse_cached(raw: bytes, text: str, name: str) -> YamlDoc:
    """Parse ``text`` (the decoded ``raw``) as :func:`parse_yaml` does, through the active cache.

    Raises:
        DataError: as :func:`parse_yaml`; errors are never cached, so they are found again.
    """
    from kzfacts._yaml import FloatLiteral, YamlDoc, parse_yaml
    from kzfacts.errors import Location

    cache = _ACTIVE
    if cache is None:
        return parse_yaml(text, name)
    key = cache.key(raw)
    hit = cache.get(key)
    if hit is not None:
        data, locations, floats = hit
        try:
            for path in floats:
                data = _set(data, path, FloatLiteral)
        except (TypeError, KeyError, IndexError):
            cache.hits -= 1
            cache.misses += 1
        else:
            return YamlDoc(name, data, {p: Location(name, line, col) for p, line, col in locations})
    doc = parse_yaml(text, name)
    found: list[tuple[str | int, ...]] = []
    _floats(doc.data, (), found, FloatLiteral)
    cache.put(key, doc.data, [(p, loc.line, loc.column) for p, loc in doc.locations.items()],
              found)
    return doc


def _floats(value: Any, path: tuple[str | int, ...], out: list[tuple[str | int, ...]],
            cls: type) -> None:
    if isinstance(value, cls):
        out.append(path)
    elif isinstance(value, dict):
        for k, v in value.items():
            _floats(v, (*path, k), out, cls)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _floats(v, (*path, i), out, cls)


def _set(data: Any, path: tuple[str | int, ...], cls: type) -> Any:
    """Wrap the string at ``path`` in ``cls``; returns the (possibly new) root."""
    if not path:
        if type(data) is not str:
            raise TypeError("a float literal that is not text")
        return cls(data)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    leaf = parent[path[-1]]
    if type(leaf) is not str:
        raise TypeError("a float literal that is not text")
    parent[path[-1]] = cls(leaf)
    return data


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
    """The key of a check's result, or None if an input cannot be read (then: no caching)."""
    h = hashlib.sha256(f"result {_FORMAT}\n{_code_digest()}\n".encode())
    h.update(json.dumps(options, sort_keys=True).encode())
    try:
        for folder in folders:
            for file in sorted(folder.rglob("*")):
                if file.is_file():
                    h.update(f"\n{folder.name}/{file.relative_to(folder)}\0".encode())
                    h.update(hashlib.sha256(file.read_bytes()).digest())
        for file in files:
            h.update(f"\n{file}\0".encode())
            h.update(hashlib.sha256(file.read_bytes()).digest() if file.exists() else b"none")
    except OSError:
        return None
    return h.hexdigest()


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
