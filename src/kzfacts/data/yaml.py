"""The YAML reader for untrusted data files: plain data only, every node located.

One reader: PyYAML's composer (over libyaml's parser when PyYAML has it), subclassed to
refuse what a data file never needs as it is composed (anchors, aliases, explicit tags,
nesting deeper than :data:`MAX_DEPTH`, more than :data:`MAX_NODES` nodes), then one walk
over the nodes that builds the data, keeps each node's line and column, and refuses
duplicate keys, merge keys, complex keys and characters YAML cannot print. No object is
ever constructed from a tag. A syntax error is reported as "expected X, found Y" at its
line and column, with the fix for the common mistakes (:func:`_syntax_error`).

How a plain (unquoted) scalar is read, for keys and values alike:

- ``~``, ``null``, ``Null``, ``NULL`` and nothing: ``None``;
- ``true``, ``True``, ``TRUE``, ``false``, ``False``, ``FALSE``: a bool;
- a decimal integer without leading zeros (``0``, ``64``, ``-5``, ``+3``): an int;
- a float as YAML 1.1 writes one (``7.8``, ``6.02e+23``, ``.5``, ``.inf``, ``.nan``): a
  :class:`FloatLiteral`, its text as written (nothing is rounded);
- the other integer forms of YAML 1.1 (``012``, ``0x1F``, ``0b101``, ``1_000``, ``1:30``):
  refused, since YAML readers disagree on them (``012`` is 10 to YAML 1.1 and 12 to YAML
  1.2);
- anything else is the text as written, including YAML 1.1's other booleans (``yes``,
  ``no``, ``on``, ``off``, ``y``, ``n``) and dates (``2021-07-19``).

Quoted and block scalars are always text. So nothing is read as a value that PyYAML's
``safe_load`` reads as a different one: it is read the same, kept as text where
``safe_load`` reads a YAML 1.1 boolean or date, or refused. Two keys of a mapping are the
same key when they read as equal values (``1`` and ``+1``, ``true`` and ``True``, ``1.0``
and ``1.00``, ``null`` and ``~``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, CollectionStartEvent
from yaml.nodes import Node, ScalarNode, SequenceNode

from kzfacts.errors import DataError, Location

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_INT_CHARS", "MAX_NODES", "FloatLiteral", "YamlDoc",
           "parse_yaml", "read_yaml"]

MAX_FILE_BYTES = 1 << 20
MAX_NODES = 200_000
MAX_DEPTH = 64
#: An integer literal longer than this is refused before it is converted: Python cannot
#: even print an int of more than 4,300 digits, and no count needs more than 19.
MAX_INT_CHARS = 64

Path_ = tuple[Any, ...]

_STD = "tag:yaml.org,2002:"
_NULL, _BOOL, _INT, _FLOAT, _STR = (f"{_STD}{t}" for t in ("null", "bool", "int", "float", "str"))
#: A tag only :meth:`_Loader.resolve` gives: an integer form YAML readers disagree on.
_UNCLEAR_INT = "kzfacts:unclear-int"
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
#: What YAML cannot print (C0 and C1 controls but tab, LF, CR and NEL; surrogates; U+FFFE,
#: U+FFFF): refused in the text, and in a scalar an escape made of it.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


class FloatLiteral(str):
    """A YAML float as written (``7.8``, ``.nan``): kept as text so nothing is rounded."""

    __slots__ = ()


class YamlDoc:
    """A parsed file: its data and the line and column of every node, by path."""

    __slots__ = ("_marks", "data", "path")

    def __init__(self, path: str, data: Any, marks: dict[Path_, tuple[int, int]] | None = None,
                 ) -> None:
        self.path = path
        self.data = data
        self._marks = marks or {}

    def where(self, path: Path_) -> Location:
        """The location of the node at ``path``, or of its nearest located ancestor."""
        p = tuple(path)
        while p and p not in self._marks:
            p = p[:-1]
        line, column = self._marks.get(p, (1, 1))
        return Location(self.path, line, column)

    def __repr__(self) -> str:
        return f"YamlDoc(path={self.path!r}, data={self.data!r})"


def excerpt(text: str, limit: int = 40) -> str:
    """``repr(text)``, shortened: a message quotes at most ``limit`` characters of the input."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "..."


def _at(path: str, mark: Any) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refusals(Composer):
    """PyYAML's composer, refusing anchors, aliases, tags, depth and size as it composes."""

    name = "<text>"
    _depth = 0
    _nodes = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event: Any = self.peek_event()  # type: ignore[attr-defined]  # the parser's: a sibling base
        if isinstance(event, AliasEvent) or event.anchor is not None:
            sign = "*" if isinstance(event, AliasEvent) else "&"
            what = "alias" if sign == "*" else "anchor"
            raise DataError(_at(self.name, event.start_mark),
                            "plain data without anchors (&) or aliases (*): kzfacts does not "
                            "read them", f"the {what} {sign}{excerpt(event.anchor)[1:-1]} "
                            "(write the value out)")
        if event.tag is not None:
            raise DataError(_at(self.name, event.start_mark), "plain YAML data without tags",
                            f"the tag {excerpt(event.tag)}")
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise DataError(_at(self.name, event.start_mark),
                            f"at most {MAX_NODES:,} nodes (keys, values and collections)",
                            "more")
        if not isinstance(event, CollectionStartEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise DataError(_at(self.name, event.start_mark), f"nesting at most {MAX_DEPTH} deep",
                                f"{self._depth} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        """The tag of an untagged node: the rule of the module's docstring."""
        if kind is not ScalarNode:
            return f"{_STD}seq" if kind is SequenceNode else f"{_STD}map"
        if not implicit[0]:  # quoted or a block scalar
            return _STR
        tag: str = super().resolve(kind, value, implicit)  # type: ignore[misc]
        if tag == _INT:
            return _INT if _DECIMAL.fullmatch(value) else _UNCLEAR_INT
        if tag == _BOOL:
            return _BOOL if value.lower() in ("true", "false") else _STR
        return tag if tag in (_NULL, _FLOAT) else _STR


def _loader(base: Any) -> Any:
    """A loader class: the refusals over ``base`` (libyaml's or the pure-Python one)."""

    class Loader(_Refusals, base):  # type: ignore[misc]  # base is a parameter
        def __init__(self, text: str, name: str) -> None:
            base.__init__(self, text)
            self.name = name
            self.anchors: dict[str, Node] = {}  # the composer's: libyaml's loader has none

    return Loader


_Loader: Any = _loader(_BASE)


class _Walk:
    """One walk over the composed nodes: the data, each node's mark, the refusals."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.marks: dict[Path_, tuple[int, int]] = {}

    def value(self, node: Node, path: Path_) -> Any:
        mark = node.start_mark
        self.marks[path] = (mark.line + 1, mark.column + 1)
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if isinstance(node, SequenceNode):
            return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
        out: dict[Any, Any] = {}
        first: dict[Any, ScalarNode] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                kind = "a list" if isinstance(key_node, SequenceNode) else "a mapping"
                raise DataError(_at(self.path, key_node.start_mark), "a plain scalar key",
                                f"{kind} as a key")
            if not key_node.style and key_node.value == "<<":  # plain: '' from libyaml
                raise DataError(_at(self.path, key_node.start_mark), "a plain scalar key",
                                "the merge key '<<', which kzfacts does not read "
                                "(write the keys out)")
            key = self.scalar(key_node)
            same = _same_key(key)
            if same in first:
                was = first[same]
                spelt = "" if was.value == key_node.value else f" as {was.value!r}"
                raise DataError(_at(self.path, key_node.start_mark), "each key once in a mapping",
                                f"{key_node.value!r} again (first at line "
                                f"{was.start_mark.line + 1}{spelt})",
                                field=_dotted((*path, key_node.value)))
            first[same] = key_node
            out[key] = self.value(value_node, (*path, key))
        return out

    def scalar(self, node: ScalarNode) -> Any:
        text, tag = node.value, node.tag
        if not text.isprintable() and (bad := _UNPRINTABLE.search(text)):
            raise DataError(_at(self.path, node.start_mark), "printable text",
                            f"the character U+{ord(bad.group()):04X} (written as an escape)")
        if tag == _STR:
            return text
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return text.lower() == "true"
        if tag == _FLOAT:
            return FloatLiteral(text)
        if len(text) > MAX_INT_CHARS:
            raise DataError(_at(self.path, node.start_mark),
                            f"an integer of at most {MAX_INT_CHARS} characters",
                            f"{excerpt(text)} ({len(text):,} characters)")
        if tag == _INT:
            return int(text)
        raise DataError(_at(self.path, node.start_mark),
                        "a decimal integer without leading zeros, '_', ':', 0x or 0b (YAML "
                        "readers differ on these forms)",
                        f"{excerpt(text)} (write it in decimal, or in quotes for text)")


def _same_key(key: Any) -> Any:
    """What two keys share when they are the same key: their value (1.0 is 1.00 is 1)."""
    if isinstance(key, FloatLiteral):
        try:
            number = Decimal(key.replace("_", ""))
        except InvalidOperation:  # .inf, .nan, 1:30.5
            return ("float", key.lower().lstrip("+"))
        return number if number.is_finite() else ("float", key.lower().lstrip("+"))
    return key


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _place(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[index]``."""
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def parse_yaml(text: str, path: str) -> YamlDoc:
    """Parse YAML text from ``path`` (used in messages).

    Raises:
        DataError: malformed YAML, or what this module refuses (see its docstring).
    """
    size = len(text) if len(text) <= MAX_FILE_BYTES // 4 else len(
        text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise DataError(Location(path), f"a file of at most {MAX_FILE_BYTES:,} bytes",
                        f"{size:,} bytes")
    if "\r" in text:
        raise DataError(Location(path, _place(text, text.index("\r"))[0], 1), "LF line ends",
                        "CR or CRLF")
    if bad := _UNPRINTABLE.search(text):
        raise DataError(Location(path, *_place(text, bad.start())), "printable text",
                        f"the character U+{ord(bad.group()):04X}")
    loader = _Loader(text, path)
    try:
        root = loader.get_node() if loader.check_node() else None
        documents, second = 1, None
        while loader.check_node():
            node = loader.get_node()
            documents, second = documents + 1, second or node
    except DataError:
        raise
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, path) from None
    except (ValueError, OverflowError) as exc:  # PyYAML without libyaml: chr() of an escape
        mark = loader.get_mark()
        raise _syntax_error(yaml.scanner.ScannerError(
            "while scanning a double-quoted scalar", None, f"found an invalid escape ({exc})",
            mark), text, path) from None
    except (yaml.YAMLError, RecursionError) as exc:  # none known: the marked errors are above
        raise DataError(Location(path, 1, 1), "well-formed YAML", excerpt(str(exc), 80)) from None
    finally:
        loader.dispose()
    if second is not None:
        raise DataError(Location(path, second.start_mark.line + 1, 1), "one YAML document",
                        f"{documents} documents")
    if root is None:
        return YamlDoc(path, None)
    walk = _Walk(path)
    data = walk.value(root, ())
    return YamlDoc(path, data, walk.marks)


_Error = Callable[[int, int, str, str], DataError]


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, path: str) -> DataError:
    """The parser's error as "expected X, found Y", with the fix for the common mistakes."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    opened = exc.context_mark or mark
    assert mark is not None and opened is not None  # PyYAML marks every syntax error
    lines = text.split("\n")
    row, col = mark.line, mark.column
    line = _line(lines, row)
    indent = len(line) - len(line.lstrip(" \t"))
    at_end = row >= len(lines) - 1 and not line[col:].strip()

    def error(row: int, col: int, expected: str, found: str) -> DataError:
        return DataError(Location(path, row + 1, col + 1), expected, found)

    if "maximum nesting depth" in problem:  # libyaml's limit, met while scanning ahead
        return error(row, col, f"nesting at most {MAX_DEPTH} deep", "more than 1,000 levels")
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
    token = _quote_before(text, row, col) if "expected" in problem else None
    if token is not None:
        start = token.start_mark
        quote, hint = token.style, _QUOTE_HINT[token.style]
        if start.line < row:
            return error(start.line, start.column, f"a closing {quote} on line {start.line + 1}",
                         f"a quote that runs on to line {row + 1} {hint}")
        return error(start.line, start.column, f"the value to end at its closing {quote}",
                     f"more text after it, at column {col + 1} {hint}")
    above = next((i for i in range(row - 1, -1, -1)
                  if lines[i].strip() and not lines[i].lstrip().startswith("#")), None)
    if "mapping values are not allowed" in problem:
        if ": " in line[:col]:
            return error(row, col, "a value without ': ' in it",
                         "a second ': ' on the line (put the value in quotes)")
        if above is not None and ":" not in lines[above]:
            prev = lines[above]
            return error(above, len(prev) - len(prev.lstrip()), "a key followed by ':' (key: value)",
                         f"{excerpt(prev.strip())} without ':'")
        if above is not None and indent > _key_column(lines[above]):
            return _indent_error(error, row, indent, above, lines)
        if above is not None and ": " not in lines[above] and not lines[above].endswith(":"):
            return error(above, lines[above].index(":"), "a space after ':' (key: value)",
                         excerpt(lines[above].strip()))
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
                      if lines[i].lstrip(" ").startswith("- ")), above)
    prev = lines[above]
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


def _quote_before(text: str, row: int, col: int) -> Any:
    """A quoted scalar that spans lines to end on line ``row``, or ends at ``col`` on it:
    an error there most likely comes from a quote closed too late or too early."""
    found, lines = None, text.split("\n")
    try:
        for token in yaml.scan(text, Loader=_BASE):
            end = token.end_mark
            if token.start_mark.line > row:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") and (
                    end.line == row and (token.start_mark.line < row
                                         or not lines[row][end.column:col].strip())):
                found = token
    except yaml.YAMLError:
        pass
    return found


def read_yaml(file: Path, *, display: str | None = None) -> YamlDoc:
    """Read and parse a YAML data file, refusing what is not plain UTF-8 text.

    Args:
        file: the file.
        display: how to name it in messages (default: the path as given).

    Raises:
        DataError: unreadable, too large, not UTF-8, a byte-order mark, or bad YAML.
    """
    name = display or str(file)
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataError(Location(name), f"a file of at most {MAX_FILE_BYTES:,} bytes",
                            f"{size:,} bytes")
        raw = file.read_bytes()
    except OSError as exc:
        raise DataError(Location(name), "a readable file", exc.strerror or str(exc)) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DataError(Location(name, 1, 1), "UTF-8 without a byte-order mark",
                        "a byte-order mark")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(Location(name, line, col), "UTF-8 text",
                        f"the byte 0x{raw[exc.start]:02x}") from None
    return parse_yaml(text, name)
