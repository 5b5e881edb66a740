"""Files at the boundary: what kzfacts reads, what it writes, and where its bundled data is.

Reading (:func:`read_regular`): only a regular file, never through a link (callers that
allow links inside a fact base resolve and vet the path first), opened without blocking
and read to at most a limit of bytes, so a FIFO, a device, a socket or a file that grows
never hangs a check or fills its memory.

Writing (:func:`atomic_writer`, :func:`write_atomic`): only a regular file or a new name,
never through a link, never onto a file the command reads (:class:`Inputs`), and
atomically: the text goes to a temporary file made by :mod:`tempfile` in the target's
folder, then ``os.replace`` puts it in place. Each refusal is a :class:`DataError` naming
the path the user asked for.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kzfacts.errors import DataError, Location

__all__ = ["EXTENSIONS", "FileRefused", "Inputs", "atomic_writer", "bundled_path", "format_for",
           "kind_of", "read_regular", "real_path", "write_atomic"]

#: Report formats by file extension, for ``--output`` and ``--kzfacts-report PATH``.
EXTENSIONS: dict[str, str] = {".json": "json", ".md": "markdown", ".txt": "text",
                              ".xml": "junit", ".sarif": "sarif", ".jsonld": "claimreview",
                              ".html": "html"}


def format_for(output: Path | None) -> str:
    """The report format an output file's extension asks for (text for anything else)."""
    return "text" if output is None else EXTENSIONS.get(output.suffix.lower(), "text")


def bundled_path() -> Path:
    """The folder of the fact base shipped with kzfacts: its ``facts/``, ``rules/`` and
    ``baseline.yaml`` (the source checkout's own when kzfacts runs from one, else the
    copy installed with the package)."""
    here = Path(__file__).resolve().parent
    checkout = here.parents[1]
    if (checkout / "facts" / "document.yaml").is_file():
        return checkout
    return here / "_bundled"


def kind_of(mode: int) -> str:
    """What a file of this mode is, as a message names it."""
    for test, name in ((stat.S_ISREG, "a regular file"), (stat.S_ISDIR, "a folder"),
                       (stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "a special file"


class FileRefused(Exception):  # noqa: N818 - a refusal with its reason, not a failure
    """A file kzfacts will not read: what was expected and what is there."""

    def __init__(self, expected: str, found: str) -> None:
        self.expected = expected
        self.found = found
        super().__init__(expected, found)


_READ_FLAGS = (os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY
               | getattr(os, "O_CLOEXEC", 0))


def read_regular(path: Path, *, limit: int, noun: str = "a file") -> bytes:
    """The bytes of the regular file ``path``: at most ``limit`` of them, or a refusal.

    The file is examined (``lstat``) before it is opened, so a FIFO, a device, a socket,
    a folder or a link is never opened; it is opened without following a link and without
    blocking, checked again by its descriptor, and read to at most ``limit + 1`` bytes.

    Raises:
        FileRefused: not a regular file, or more than ``limit`` bytes.
        OSError: it cannot be examined, opened or read.
    """
    st = os.lstat(path)
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused("a regular file", kind_of(st.st_mode))
    too_large = f"{noun} of at most {limit:,} bytes"
    if st.st_size > limit:
        raise FileRefused(too_large, f"{st.st_size:,} bytes")
    fd = os.open(path, _READ_FLAGS)
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            raise FileRefused("a regular file", f"{kind_of(now.st_mode)} put in its place")
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    if left <= 0:
        raise FileRefused(too_large, f"more than {limit:,} bytes (it grew while read)")
    return b"".join(chunks)


@dataclass(frozen=True)
class Inputs:
    """What a command reads, which nothing it writes may replace: folders (and everything
    below them) and files (whether they exist yet or not)."""

    folders: tuple[Path, ...] = ()
    files: tuple[Path, ...] = ()

    def holding(self, target: Path, st: os.stat_result | None) -> str | None:
        """The input ``target`` is (or lies in), named as the user named it, else None.

        Compared by resolved path, and for an existing file by device and inode too, so
        a hard link or a link on the way to an input counts as the input.
        """
        real = real_path(target)
        for folder in self.folders:
            if real.is_relative_to(real_path(folder)):
                return f"a path inside its input folder {folder}"
        for file in self.files:
            if real == real_path(file):
                return f"its input {file}"
        if st is None or st.st_nlink < 2:  # no other name: not a hard link to an input
            return None
        same = (st.st_dev, st.st_ino)
        for file in self.files:
            with contextlib.suppress(OSError):
                if _identity(file) == same:
                    return f"a hard link to its input {file}"
        for folder in self.folders:
            for below in sorted(folder.rglob("*")):
                with contextlib.suppress(OSError):
                    if _identity(below) == same:
                        return f"a hard link to its input {below}"
        return None


def real_path(path: Path) -> Path:
    """``path`` with every link resolved; a loop of links resolves to itself (and fails
    when read, with its own message)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop of links (Python 3.11)
        return path.absolute()


def _identity(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_dev, st.st_ino


def _refuse_target(path: Path, inputs: Inputs | None) -> int | None:
    """Refuse to write ``path`` unless it is a regular file or a new name and no input;
    returns the mode of the file it replaces (None: a new file)."""
    try:
        st: os.stat_result | None = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):  # a new name (making its folder may fail)
        st = None
    except OSError as exc:  # a name too long, a folder not searchable: as a write says it
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        found = kind_of(st.st_mode)
        if stat.S_ISLNK(st.st_mode):
            found += f" to {path.readlink()}"
        raise DataError(Location(str(path)), "a regular file or a new file name to write",
                        found)
    shown = None if inputs is None else inputs.holding(path, st)
    if shown is not None:
        raise DataError(Location(str(path)), "a file the command does not read", shown)
    return None if st is None else st.st_mode & 0o7777


@contextlib.contextmanager
def atomic_writer(path: Path, *, inputs: Inputs | None = None) -> Iterator[IO[str]]:
    """A text stream that replaces ``path`` only when the block ends without an exception.

    ``path`` must be a regular file or a new name (never a link, a folder, a FIFO, a
    device or a socket) and not one of ``inputs``; its folder is made if missing. The
    text goes to a temporary file beside it, renamed over it at the end, so an
    interrupted run never leaves half a file; the file gets the mode a plain write would
    give it, or keeps the mode of the file it replaces.

    Raises:
        DataError: the target is refused (named as the user named it).
        OSError: it cannot be written (named as the user named it).
    """
    import tempfile  # only a command that writes needs it

    mode = _refuse_target(path, inputs)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:  # name the file asked for, not a folder or a temporary name
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.fchmod(fd, mode)  # mkstemp makes the file private (0600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            yield f
        try:
            Path(tmp).replace(path)  # replaces the name: never writes through what it held
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, content: str, *, inputs: Inputs | None = None) -> None:
    """Write ``content`` to ``path`` atomically (see :func:`atomic_writer`)."""
    with atomic_writer(path, inputs=inputs) as f:
        f.write(content)
