"""What the drafter takes from the layers below it, imported in this one place.

The drafter sits above the engine and the reports and below the command line: it reads
numbers and dates with the library's reader, splits paragraphs and tests quotes as the
loader does, writes YAML the loader reads (with its safe reader for the units and reference
files a draft starts from), and checks the draft with the engine. These are the modules the
public names of :mod:`kzfacts` come from; a rename below shows up here, and only here.
"""

from __future__ import annotations

from kzfacts._escape import plain_lines
from kzfacts.data.factbase import FactBase
from kzfacts.data.loader import MAX_SOURCE_BYTES
from kzfacts.data.model import RangeValue, RuleSpec
from kzfacts.data.source import (
    PARAGRAPH_STYLES,
    detect_style,
    occurrences,
    readable,
    split_paragraphs,
    unprintable,
)
from kzfacts.data.yaml import MAX_FILE_BYTES, read_yaml
from kzfacts.engine.check import check, check_with_base, load
from kzfacts.engine.result import Report, Result
from kzfacts.errors import DataError, InvalidDataError
from kzfacts.reports.report import render
from kzfacts.values.numbers import NumberSpan, Reading, find_numbers, read_date, read_number, read_range
from kzfacts.values.words import read_words

__all__ = ["MAX_FILE_BYTES", "MAX_SOURCE_BYTES", "PARAGRAPH_STYLES", "DataError", "FactBase",
           "InvalidDataError",
           "NumberSpan", "RangeValue", "Reading", "Report", "Result", "RuleSpec", "check",
           "check_with_base", "detect_style", "find_numbers", "load", "occurrences",
           "plain_lines", "read_date", "read_number", "read_range", "read_words", "read_yaml",
           "readable", "render", "split_paragraphs", "unprintable"]
