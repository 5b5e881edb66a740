"""A YAML reader for untrusted data files: plain data only, with a location for every node.

It composes the node graph with PyYAML's safe composer (no object is ever constructed from
a tag) and converts nodes itself, so it can refuse what silent loaders accept: duplicate
keys, explicit tags, merge keys, floats where exact numbers are needed (they arrive as
:class:`FloatLiteral`), alias bombs and deep nesting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kzfacts.errors import DataError, Location

__all__ = ["MAX_FILE_BYTES", "FloatLiteral", "YamlDoc", "parse_yaml", "read_yaml"]

MAX_FILE_BYTES = 1 << 20
MAX_NODES = 200_000
MAX_DEPTH = 64

_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_STD}{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq",
                                         "timestamp")}

Path_ = tuple[str | int, ...]


def _memo_loader() -> Any:
    """libyaml's safe loader, remembering how it resolved each plain scalar's tag.

    The C composer asks the Python resolver for every scalar's tag (a regex per scalar);
    the answer depends only on the text and how it was written, and data files repeat the
    same keys and values, so it is remembered (a bounded table, emptied when full).
    """
    base = getattr(yaml, "CSafeLoader", None)
    if base is None:  # PyYAML built without libyaml
        return None
    memo: dict[tuple[Any, Any, Any], str] = {}

    class MemoLoader(base):  # type: ignore[misc, valid-type]
        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            key = (kind, value, implicit)
            tag = memo.get(key)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(memo) > 50_000:
                    memo.clear()
                memo[key] = tag
            return tag

    return MemoLoader


_CLoader: Any = _memo_loader()


class FloatLiteral(str):
    """A YAML float as written (``7.8``, ``.nan``): kept as text so nothing is rounded."""

    __slots__ = ()


@dataclass(slots=True)
class YamlDoc:
    """A parsed file: its data and the location of every node, by path."""

    path: str
    data: Any
    locations: dict[Path_, Location] = field(default_factory=dict)

    def where(self, path: Path_) -> Location:
        """The location of the node at ``path``, or of its nearest located ancestor."""
        p = tuple(path)
        while p and p not in self.locations:
            p = p[:-1]
        return self.locations.get(p, Location(self.path, 1, 1))


class _Converter:
    def __init__(self, path: str) -> None:
        self.path = path
        self.locations: dict[Path_, Location] = {}
        self.count = 0

    def loc(self, node: yaml.Node) -> Location:
        return Location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def convert(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise DataError(self.loc(node), f"at most {MAX_NODES:,} nodes after aliases expand",
                            "more (an alias bomb?)")
        if depth > MAX_DEPTH:
            raise DataError(self.loc(node), f"nesting at most {MAX_DEPTH} deep", "deeper")
        if path not in self.locations:  # a Location per node, made once: most of the cost
            self.locations[path] = self.loc(node)
        if node.tag not in _ALLOWED_TAGS:
            raise DataError(self.loc(node), "plain YAML data without tags",
                            f"the tag {node.tag!r}")
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(n, (*path, i), depth + 1) for i, n in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        out: dict[str, Any] = {}
        first: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == f"{_STD}merge":
                raise DataError(self.loc(key_node), "a plain scalar key",
                                "a merge key or a complex key")
            key = str(key_node.value)
            if key in first:
                raise DataError(self.loc(key_node), "each key once in a mapping",
                                f"{key!r} again (first at line {self.loc(first[key]).line})",
                                field=_dotted((*path, key)))
            first[key] = key_node
            out[key] = self.convert(value_node, (*path, key), depth + 1)
        return out

    def scalar(self, node: yaml.ScalarNode) -> Any:
        text = node.value
        tag = node.tag.removeprefix(_STD)
        if tag == "null":
            return None
        if tag == "bool":
            return text.lower() in ("true", "yes", "on", "y")
        if tag == "int":
            try:
                return int(text.replace("_", ""), 0)
            except ValueError:
                raise DataError(self.loc(node), "a decimal integer", repr(text)) from None
        if tag == "float":
            return FloatLiteral(text)
        return str(text)  # str and timestamp: the text as written


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _compose(text: str) -> list[yaml.Node]:
    """The node graph, composed by libyaml when PyYAML has it (about 15× faster).

    Both parsers build the same nodes with the same marks for well-formed input; on an
    error the pure-Python parser composes again, so messages are the same with or without
    libyaml.
    """
    if _CLoader is not None:
        try:
            return list(yaml.compose_all(text, Loader=_CLoader))
        except yaml.YAMLError:
            pass
    return list(yaml.compose_all(text, Loader=yaml.SafeLoader))


def parse_yaml(text: str, path: str) -> YamlDoc:
    """Parse YAML text from ``path`` (used in messages).

    Raises:
        DataError: malformed YAML, a tag, a duplicate key, too many nodes or too deep.
    """
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        raise DataError(Location(path, line, 1), "LF line ends", "CR or CRLF")
    try:
        nodes = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path, 1, 1)
        raise DataError(loc, "well-formed YAML", str(exc.problem or exc.context)) from None
    except yaml.YAMLError as exc:
        raise DataError(Location(path, 1, 1), "well-formed YAML", str(exc)) from None
    except RecursionError:
        raise DataError(Location(path, 1, 1), f"nesting at most {MAX_DEPTH} deep",
                        "nesting too deep to parse") from None
    if len(nodes) > 1:
        second = nodes[1]
        raise DataError(Location(path, second.start_mark.line + 1, 1), "one YAML document",
                        f"{len(nodes)} documents")
    if not nodes or nodes[0] is None:
        return YamlDoc(path, None)
    conv = _Converter(path)
    data = conv.convert(nodes[0], (), 0)
    return YamlDoc(path, data, conv.locations)


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
    from kzfacts._cache import parse_cached  # a no-op unless a cache is active
    return parse_cached(raw, text, name)
