"""YAML syntax errors said as the fix: "expected X, found Y" at the line and column to edit.

PyYAML's parsers (libyaml's and the pure-Python one) word the same mistake differently and
often point past it (an unclosed quote is noticed a line later). :func:`syntax_error`
recognises the common mistakes from the error and the text (a tab in the indentation, an
unclosed quote, bracket or brace, a missing colon or a colon without a space, a key
indented unlike its block, a list item in a mapping, a value that must be quoted, a bad
escape) and says where to fix them; any other error keeps the parser's words, located.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from kzfacts.errors import DataError, Location

__all__ = ["LINE_BREAK", "excerpt", "place", "syntax_error"]

#: What YAML counts as a line break (its marks count lines so); CR is refused before.
LINE_BREAK = re.compile("[\n\x85\u2028\u2029]")


def excerpt(text: str, limit: int = 40) -> str:
    """``repr(text)``, shortened: a message quotes at most ``limit`` characters of the input."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "..."


_Error = Callable[[int, int, str, str], DataError]


def syntax_error(exc: yaml.MarkedYAMLError, text: str, path: str, *, scanner: Any,
                 ) -> DataError:
    """PyYAML's syntax error ``exc`` in ``text`` as "expected X, found Y" at the line and
    column to fix; ``scanner`` is the loader class whose scanner reads ``text`` again to
    find a quote left open."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    opened = exc.context_mark or mark
    if mark is None or opened is None:  # PyYAML marks its syntax errors; in case one is not
        return DataError(Location(path, 1, 1), "well-formed YAML", f"{problem} {context}".strip())
    lines = LINE_BREAK.split(text)
    row, col = mark.line, mark.column
    line = _line(lines, row)
    indent = len(line) - len(line.lstrip(" \t"))
    at_end = row >= len(lines) - 1 and not line[col:].strip()

    def error(row: int, col: int, expected: str, found: str) -> DataError:
        return DataError(Location(path, row + 1, col + 1), expected, found)

    if "\t" in line[:indent] and col <= indent:
        return error(row, line.index("\t"), "spaces to indent",
                     "a tab (YAML does not allow tabs in indentation: use spaces)")
    if "quoted scalar" in context and "end of stream" in problem:
        quote = _line(lines, opened.line)[opened.column:opened.column + 1]
        return error(opened.line, opened.column, f"a closing {quote} for the quote that opens here",
                     f"the end of the file {_QUOTE_HINT.get(quote, '')}".rstrip())
    if ("flow sequence" in context or "flow mapping" in context) and "',' or" in problem:
        close, kind = ("]", "list") if "sequence" in context else ("}", "mapping")
        there = "the end of the file" if at_end else f"line {row + 1}, column {col + 1}"
        return error(opened.line, opened.column, f"a '{close}' to close the {kind} that opens here",
                     f"no '{close}' before {there} (close the {kind} on its line; put ',' "
                     "between its items)")
    if "could not find expected ':'" in problem:
        key = _line(lines, opened.line)[opened.column:].strip()
        if ":" in key:
            return error(opened.line, opened.column + key.index(":"),
                         "a space after ':' (key: value)", excerpt(key))
        return error(opened.line, opened.column, "a key followed by ':' (key: value)",
                     f"{excerpt(key)} without ':'")
    if "escape" in problem:
        return _escape_error(error, line, row, col) or error(row, col, "well-formed YAML", problem)
    token = _quote_before(text, row, col, scanner) if "expected" in problem else None
    if token is not None:
        start = token.start_mark
        quote, hint = token.style, _QUOTE_HINT[token.style]
        if start.line < row:
            return error(start.line, start.column, f"a closing {quote} on line {start.line + 1}",
                         f"a quote that runs on to line {row + 1} {hint}")
        return error(start.line, start.column, f"the value to end at its closing {quote}",
                     f"more text after it, at column {col + 1} {hint}")
    above = next((i for i in range(row - 1, -1, -1)
                  if _line(lines, i).strip() and not _line(lines, i).lstrip().startswith("#")), None)
    if "mapping values are not allowed" in problem:
        if ": " in line[:col]:
            return error(row, col, "a value without ': ' in it",
                         "a second ': ' on the line (put the value in quotes)")
        if above is not None and ":" not in _line(lines, above):
            prev = _line(lines, above)
            return error(above, len(prev) - len(prev.lstrip()), "a key followed by ':' (key: value)",
                         f"{excerpt(prev.strip())} without ':'")
        if above is not None and indent > _key_column(_line(lines, above)):
            return _indent_error(error, row, indent, above, lines)
        if above is not None and ": " not in _line(lines, above) and not _line(lines, above).endswith(":"):
            return error(above, _line(lines, above).index(":"), "a space after ':' (key: value)",
                         excerpt(_line(lines, above).strip()))
    if ("expected <block end>" in problem or "did not find expected" in problem) and col == indent:
        if not line.lstrip().startswith(("-", "'", '"', "[", "{")) and ":" not in line:
            return error(row, col, "a key followed by ':' (key: value)",
                         f"{excerpt(line.strip())} without ':'")
        if above is not None:
            return _indent_error(error, row, indent, above, lines,
                                 item=line.lstrip().startswith("- "))
    if "cannot start any token" in problem and line[col:col + 1] in tuple("@`%|>"):
        return error(row, col, f"a value (text that starts with {line[col]!r} must be quoted)",
                     repr(line[col]))
    if line[col:col + 1] in ("]", "}"):
        return error(row, col, "nothing more after the value", f"a {line[col]!r} that closes nothing")
    problem = problem.removeprefix("found ").replace("did not find expected ", "no ")
    return error(row, col, "well-formed YAML", problem + (f" ({context})" if context else ""))


def _line(lines: list[str], row: int) -> str:
    return lines[row] if 0 <= row < len(lines) else ""


def place(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[index]``, counting lines as YAML does."""
    breaks = [m.end() for m in LINE_BREAK.finditer(text, 0, index)]
    return len(breaks) + 1, index - (breaks[-1] if breaks else 0) + 1


def _escape_error(error: _Error, line: str, row: int, col: int) -> DataError | None:
    """A bad escape in a double-quoted scalar, shown as written, if one ends at ``col``."""
    start = line.rfind("\\", 0, col + 1)
    if start < 0:
        return None
    width = {"x": 4, "u": 6, "U": 10}.get(line[start + 1:start + 2], 2)
    found = (f"'{line[start:start + width]}', " + ("which is no character" if width > 2 else
                                                    "which is no escape (write \\\\ for a backslash)"))
    return error(row, start, "an escape such as \\n, \\\", \\\\ or \\u00e9 for a character up "
                 "to U+10FFFF (not a surrogate)", found)


_QUOTE_HINT = {'"': '(close the quote; inside double quotes write \\" for a quote)',
               "'": "(close the quote; inside single quotes write '' for a quote)"}


def _key_column(line: str) -> int:
    """The column of the key on ``line``: after its "- " when it starts a list item."""
    stripped = line.lstrip(" ")
    column = len(line) - len(stripped)
    while stripped.startswith("- "):
        rest = stripped[1:].lstrip(" ")
        column += len(stripped) - len(rest)
        stripped = rest
    return column


def _indent_error(error: _Error, row: int, indent: int, above: int, lines: list[str], *,
                  item: bool = False) -> DataError:
    """A line indented unlike the lines above it: say the column they set (for a list item,
    the nearest item's; for a key, the line above's)."""
    if item:
        above = next((i for i in range(above, -1, -1)
                      if _line(lines, i).lstrip(" ").startswith("- ")), above)
    prev = _line(lines, above)
    stripped = prev.lstrip(" ")
    in_item = stripped.startswith("- ")
    keyed = in_item and (": " in stripped or stripped.endswith(":"))
    want = _key_column(prev) if keyed and not item else len(prev) - len(stripped)
    if want == indent:
        what = "a list item ('- ')" if in_item and not keyed else "a key (key: value)"
        return error(row, indent, f"{what} as on line {above + 1}",
                     "a list item" if item else "a key")
    thing = "'-'" if item else "the key"
    return error(row, indent, f"{thing} at column {want + 1} as on line {above + 1}, or at "
                 "the column of an enclosing block", f"column {indent + 1}")


def _quote_before(text: str, row: int, col: int, scanner: Any) -> Any:
    """A quoted scalar that spans lines to end on line ``row``, or ends at ``col`` on it:
    an error there most likely comes from a quote closed too late or too early."""
    found, lines = None, LINE_BREAK.split(text)
    try:
        for token in yaml.scan(text, Loader=scanner):
            end = token.end_mark
            if token.start_mark.line > row:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") and (
                    end.line == row and (token.start_mark.line < row
                                         or not _line(lines, row)[end.column:col].strip())):
                found = token
    except yaml.YAMLError:
        pass
    return found
