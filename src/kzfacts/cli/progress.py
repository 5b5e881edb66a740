"""A progress bar on stderr, for long runs on a terminal only.

Nothing is written unless the stream is a terminal and the run has lasted more than
``after`` seconds, so piped output, CI logs and quick runs stay clean.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["Progress"]

_WIDTH = 30


class Progress:
    """Counts finished items out of ``total`` and draws ``[####    ] 12/40 documents``."""

    def __init__(self, total: int, *, label: str = "documents", stream: TextIO | None = None,
                 after: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.total = total
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        self.after = after
        self.clock = clock
        self.start = clock()
        self.last: float | None = None  # when the bar was last drawn
        self.drawn = False
        try:
            self.enabled = self.stream.isatty()
        except (AttributeError, ValueError):  # a closed or odd stream
            self.enabled = False

    def update(self, done: int) -> None:
        """Record that ``done`` items are finished; redraw at most ten times a second."""
        if not self.enabled:
            return
        now = self.clock()
        if now - self.start <= self.after or (self.last is not None and now - self.last < 0.1
                                                 and done < self.total):
            return
        self.last = now
        filled = _WIDTH * done // max(self.total, 1)
        bar = "#" * filled + " " * (_WIDTH - filled)
        self.stream.write(f"\r[{bar}] {done}/{self.total} {self.label} {now - self.start:.0f}s")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Erase the bar, if one was drawn."""
        if self.drawn:
            self.stream.write("\r" + " " * (_WIDTH + 40) + "\r")
            self.stream.flush()
            self.drawn = False
