"""The YAML reader for untrusted data files: plain data only, every node located.

One reader: PyYAML's safe loader (libyaml's ``CSafeLoader`` when PyYAML has it, else
``SafeLoader``), of which only the composer runs, subclassed through its resolver hooks
(called for every node by both composers) to resolve plain scalars by the rule below and
to refuse, as the nodes are composed, nesting deeper than :data:`MAX_DEPTH` and more than
:data:`MAX_NODES` nodes. Then one walk over the nodes builds the data, keeps each node's
line and column, and refuses anchors and tags (where the text at a node's start mark shows
one; every alias follows its anchor, so it is refused there), duplicate keys, merge keys,
complex keys and escapes of characters YAML cannot print. No object is ever constructed
from a tag. A syntax error is reported as "expected X, found Y" at the line and column to
fix (:mod:`kzfacts.data.yaml_syntax`).

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
and ``1.00``, ``null`` and ``~``; ``1`` and ``true`` too, as Python compares them).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import Node, ScalarNode, SequenceNode

from kzfacts._files import FileRefused, read_regular
from kzfacts.data.yaml_syntax import excerpt, place, syntax_error
from kzfacts.errors import DataError, Location

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_INT_CHARS", "MAX_NODES", "FloatLiteral", "YamlDoc",
           "excerpt", "parse_yaml", "read_yaml"]

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
#: U+FFFF) and the invisible byte-order mark (which libyaml skips, so marks would not count
#: it): refused in the text, and in a scalar an escape of one.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")


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


def _at(path: str, mark: Any) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _loader(base: Any) -> Any:
    """PyYAML's loader ``base`` (libyaml's or the pure-Python one) with kzfacts' rule for
    plain scalars and the depth and node bounds, both applied as the nodes are composed."""

    class Loader(base):  # type: ignore[misc]  # base is a parameter
        def __init__(self, text: str, name: str) -> None:
            super().__init__(text)
            self.name = name
            self.depth = self.nodes = 0
            self.parent: Node | None = None
            self.slot: Any = None  # the key or index of the node being composed

        def descend_resolver(self, parent: Node | None, index: Any) -> None:
            """Before each node: count it, and keep where it is for a message."""
            self.depth += 1
            self.nodes += 1
            self.parent = parent
            self.slot = index
            if self.nodes > MAX_NODES:
                raise DataError(self.here(), f"at most {MAX_NODES:,} nodes (keys, values and "
                                "collections)", "more")

        def ascend_resolver(self) -> None:
            self.depth -= 1

        def here(self) -> Location:
            """Where the node being composed is: its key, or the collection it is in (its
            own mark is not known yet)."""
            parent, index = self.parent, self.slot
            node = index if isinstance(index, Node) else parent
            return Location(self.name, 1, 1) if node is None else _at(self.name, node.start_mark)

        def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
            """An untagged node's tag, by the rule of the module's docstring."""
            if kind is not ScalarNode:
                if self.depth > MAX_DEPTH:
                    raise DataError(self.here(), f"nesting at most {MAX_DEPTH} deep",
                                    f"{self.depth} levels")
                return f"{_STD}seq" if kind is SequenceNode else f"{_STD}map"
            if not implicit[0]:  # quoted or a block scalar
                return _STR
            # PyYAML finds a plain scalar's resolvers by its first character: text that
            # starts with none of theirs (most keys and text) is text without asking it.
            known = self.yaml_implicit_resolvers
            if value[:1] not in known and None not in known and not self.yaml_path_resolvers:
                return _STR
            tag: str = super().resolve(kind, value, implicit)
            if tag == _INT:
                return _INT if _DECIMAL.fullmatch(value) else _UNCLEAR_INT
            if tag == _BOOL:
                return _BOOL if value.lower() in ("true", "false") else _STR
            return tag if tag in (_NULL, _FLOAT) else _STR

    return Loader


_Loader: Any = _loader(_BASE)
#: An anchor, a tag or an alias as written, where a node starts.
_PROPERTY = re.compile(r"[&!*][^\s,\[\]{}]*")
#: What a node's text starts with when it has an anchor or a tag.
_PROPERTIES = ("&", "!")


class _Walk:
    """One walk over the composed nodes: the data, each node's mark, the refusals."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.marks: dict[Path_, tuple[int, int]] = {}
        self.seen: set[int] = set()

    def value(self, node: Node, path: Path_) -> Any:
        mark = node.start_mark
        if self.text.startswith(_PROPERTIES, mark.index):
            raise self.refusal(node)
        self.marks[path] = (mark.line + 1, mark.column + 1)
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if id(node) in self.seen:  # a guard: an alias's anchor is refused first
            raise self.refusal(node)
        self.seen.add(id(node))
        if isinstance(node, SequenceNode):
            return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
        out: dict[Any, Any] = {}
        first: dict[Any, ScalarNode] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                kind = "a list" if isinstance(key_node, SequenceNode) else "a mapping"
                raise DataError(_at(self.path, key_node.start_mark), "a plain scalar key",
                                f"{kind} as a key")
            if self.text.startswith(_PROPERTIES, key_node.start_mark.index):
                raise self.refusal(key_node)
            if not key_node.style and key_node.value == "<<":  # plain: '' from libyaml
                raise DataError(_at(self.path, key_node.start_mark), "a plain scalar key",
                                "the merge key '<<', which kzfacts does not read "
                                "(write the keys out)")
            key = self.scalar(key_node)
            same = _same_key(key) if type(key) is FloatLiteral else key
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

    def refusal(self, node: Node) -> DataError:
        """An anchor or a tag written on ``node`` (the text at its start), or a node met
        before (an alias)."""
        written = _PROPERTY.match(self.text, node.start_mark.index)
        where = _at(self.path, node.start_mark)
        if written is not None and written[0][0] == "!":
            tag = written[0] if written[0] == "!" else node.tag  # "!" resolves as if untagged
            return DataError(where, "plain YAML data without tags", f"the tag {excerpt(tag)}")
        return _anchor(where, f"the anchor {written[0][:40]}" if written else "an alias (*)")

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


def _anchor(where: Location, found: str) -> DataError:
    return DataError(where, "plain data without anchors (&) or aliases (*): kzfacts does not "
                     "read them", f"{found} (write the value out)")


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
        raise DataError(Location(path, place(text, text.index("\r"))[0], 1), "LF line ends",
                        "CR or CRLF")
    if bad := _UNPRINTABLE.search(text):
        raise DataError(Location(path, *place(text, bad.start())), "printable text",
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
        problem = f"{exc.problem} {exc.context}"
        if "maximum nesting depth" in problem:  # libyaml's, met while scanning ahead
            raise DataError(_at(path, exc.problem_mark), f"nesting at most {MAX_DEPTH} deep",
                            "more than 1,000 levels") from None
        if "undefined alias" in problem or "duplicate anchor" in problem:  # the composer's
            first = exc.context_mark if "anchor" in problem else exc.problem_mark
            written = _PROPERTY.match(text, first.index) if first else None
            raise _anchor(_at(path, first), ("the anchor " if "anchor" in problem else
                                             "the alias ") + (written[0][:40] if written else "")) from None
        raise syntax_error(exc, text, path, scanner=_BASE) from None
    except (ValueError, OverflowError) as exc:  # PyYAML without libyaml: chr() of an escape
        raise syntax_error(yaml.scanner.ScannerError(
            "while scanning a double-quoted scalar", None, f"found an invalid escape ({exc})",
            loader.get_mark()), text, path, scanner=_BASE) from None
    except RecursionError:  # tagged collections nested deep, composed by pure-Python PyYAML
        raise DataError(Location(path, 1, 1), f"nesting at most {MAX_DEPTH} deep",
                        "nesting too deep to read") from None
    except yaml.YAMLError as exc:  # none known: PyYAML marks its errors
        raise DataError(Location(path, 1, 1), "well-formed YAML", excerpt(str(exc), 80)) from None
    finally:
        loader.dispose()
    if second is not None:
        raise DataError(Location(path, second.start_mark.line + 1, 1), "one YAML document",
                        f"{documents} documents")
    if root is None:
        return YamlDoc(path, None)
    walk = _Walk(path, text)
    data = walk.value(root, ())
    return YamlDoc(path, data, walk.marks)


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
        raw = read_regular(file, limit=MAX_FILE_BYTES)
    except FileRefused as exc:
        raise DataError(Location(name), exc.expected, exc.found) from None
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
