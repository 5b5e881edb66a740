"""``kzfacts scan SOURCE``: draft a document in memory, check it, report the candidate
inconsistencies (the command is defined with ``draft`` in :mod:`kzfacts.cli.draft`)."""

from __future__ import annotations

from kzfacts.cli.draft import SCAN

__all__ = ["COMMAND"]

COMMAND = SCAN
