"""Where the bundled data is, and writing files so that no reader sees half of one.

Imported by the console script's fast path, so it imports nothing from the engine.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

__all__ = ["EXTENSIONS", "atomic_writer", "bundled_root", "default_root", "format_for",
           "write_atomic"]

#: Report formats by file extension, for ``--output`` and ``--kzfacts-report PATH``.
EXTENSIONS: dict[str, str] = {".json": "json", ".md": "markdown", ".txt": "text",
                              ".xml": "junit", ".sarif": "sarif", ".jsonld": "claimreview",
                              ".html": "html"}


def format_for(output: Path | None) -> str:
    """The report format an output file's extension asks for (text for anything else)."""
    return "text" if output is None else EXTENSIONS.get(output.suffix.lower(), "text")


def bundled_root() -> Path:
    """The fact base shipped with kzfacts: the source checkout's, else the wheel's copy."""
    here = Path(__file__).resolve().parent
    checkout = here.parents[1]
    if (checkout / "facts" / "document.yaml").exists():
        return checkout
    return here / "_bundled"


def default_root() -> Path:
    """Where ``facts/``, ``rules/`` and ``baseline.yaml`` are by default: here, else bundled."""
    return Path() if Path("facts").is_dir() else bundled_root()


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """A text stream that replaces ``path`` only when the block ends without an exception.

    The text goes to a temporary file beside ``path`` (then renamed over it), so an
    interrupted run never leaves half a file; the file gets the mode a plain write would
    give it (or keeps the mode of the file it replaces).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:  # name the file asked for, not a folder or a temporary name
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.fchmod(fd, mode)  # mkstemp makes the file private (0600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            yield f
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_writer`)."""
    with atomic_writer(path) as f:
        f.write(text)
