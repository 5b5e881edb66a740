"""The library internals the drafter uses, imported in this one place.

Everything else of :mod:`kzfacts.draft` uses the public names of :mod:`kzfacts`. These are
the pieces the public API does not offer yet: where words stand in a paragraph at word
boundaries (the loader's own test of a quote), the paragraph styles a fact base may name,
the largest source the loader reads, the loader's safe YAML reader (for the units and
reference files a draft starts from), and a check that returns the fact base it loaded with
its report (a scan renders HTML from both, and loads the draft once).
"""

from __future__ import annotations

from kzfacts.data.loader import MAX_SOURCE_BYTES
from kzfacts.data.model import RangeValue
from kzfacts.data.source import PARAGRAPH_STYLES, detect_style, occurrences
from kzfacts.data.yaml import read_yaml
from kzfacts.engine.check import check_with_base
from kzfacts.values.numbers import NumberSpan

__all__ = ["MAX_SOURCE_BYTES", "PARAGRAPH_STYLES", "NumberSpan", "RangeValue", "check_with_base",
           "detect_style", "occurrences", "read_yaml"]
