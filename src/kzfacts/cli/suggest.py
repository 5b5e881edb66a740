"""``kzfacts suggest``: what a draft adds to an existing fact base, as a patch (the command is
defined with ``draft`` in :mod:`kzfacts.cli.draft`)."""

from __future__ import annotations

from kzfacts.cli.draft import SUGGEST

__all__ = ["COMMAND"]

COMMAND = SUGGEST
