"""A YAML reader for untrusted data files: plain data only, with a location for every node.

It composes the node graph with PyYAML's safe composer (no object is ever constructed from
a tag) and converts nodes itself, so it can refuse what silent loaders accept: duplicate
keys, explicit tags, merge keys, floats where exact numbers are needed (they arrive as
:class:`FloatLiteral`), alias bombs and deep nesting.

Data files are nearly always plain: no anchors, aliases or tags. Such a file is read in
one pass over libyaml's events (:func:`_fast`), with nothing to expand and no graph to
walk; the first thing that is not plain, and every error, sends the file to the full
reader above, so what is refused, and every message, comes from one place.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

from kzfacts._files import FileRefused, read_regular
from kzfacts.errors import DataError, Location

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_INT_CHARS", "MAX_NODES", "FloatLiteral", "YamlDoc",
           "parse_yaml", "read_yaml"]

MAX_FILE_BYTES = 1 << 20
MAX_NODES = 200_000
MAX_DEPTH = 64
#: An integer literal longer than this is refused before it is converted: Python cannot
#: even print an int of more than 4,300 digits, and no count needs more than 19.
MAX_INT_CHARS = 64

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


class YamlDoc:
    """A parsed file: its data and the location of every node, by path.

    The one-pass readers keep each node's line and column as a pair and make a
    :class:`Location` only when one is asked for (:meth:`where`, :attr:`locations`): a
    file has a location per node, and a check asks for a few of them. The lines reader
    (:func:`_lines`) keeps only its collections' and reads the text again, once, when
    another node's location is asked for (a check asks for none unless it reports an error).
    """

    __slots__ = ("_locations", "_marks", "_text", "data", "path")

    def __init__(self, path: str, data: Any, locations: dict[Path_, Location] | None = None, *,
                 marks: dict[Path_, tuple[int, int]] | None = None,
                 text: str | None = None) -> None:
        self.path = path
        self.data = data
        self._marks = marks
        self._text = text if marks is not None else None
        self._locations = locations if locations is not None or marks is not None else {}

    def _complete(self) -> None:
        """Read the text again for every node's mark (the marks kept so far are its collections')."""
        text, self._text = self._text, None
        if text is not None:
            doc = _lines(text, self.path, full=True)
            assert doc is not None  # the same text read the same way the first time
            self._marks = doc._marks

    @property
    def locations(self) -> dict[Path_, Location]:
        """Every node's location, by path."""
        if self._locations is None:
            self._complete()
            path = self.path
            self._locations = {p: Location(path, line, column)
                               for p, (line, column) in (self._marks or {}).items()}
        return self._locations

    def positions(self) -> list[tuple[Path_, int, int]]:
        """``(path, line, column)`` of every node, without making a :class:`Location` each."""
        if self._locations is None and self._marks is not None:
            self._complete()
            return [(p, line, column) for p, (line, column) in self._marks.items()]
        return [(p, loc.line, loc.column) for p, loc in self.locations.items()]

    def where(self, path: Path_) -> Location:
        """The location of the node at ``path``, or of its nearest located ancestor."""
        p = tuple(path)
        if self._locations is None and self._marks is not None:
            mark = self._marks.get(p)
            if mark is not None:
                return Location(self.path, *mark)
            self._complete()
            marks = self._marks
            while p and p not in marks:
                p = p[:-1]
            mark = marks.get(p)
            return Location(self.path, *mark) if mark is not None else Location(self.path, 1, 1)
        while p and p not in self.locations:
            p = p[:-1]
        return self.locations.get(p, Location(self.path, 1, 1))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, YamlDoc):
            return NotImplemented
        return (self.path, self.data, self.locations) == (other.path, other.data, other.locations)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"YamlDoc(path={self.path!r}, data={self.data!r})"


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
                            f"the tag {excerpt(node.tag)}")
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
            if key_node.tag not in _ALLOWED_TAGS:
                raise DataError(self.loc(key_node), "plain YAML data without tags",
                                f"the tag {excerpt(key_node.tag)}")
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
            if len(text) > MAX_INT_CHARS:
                raise DataError(self.loc(node), f"an integer of at most {MAX_INT_CHARS} characters",
                                f"{excerpt(text)} ({len(text):,} characters)")
            try:
                return int(text.replace("_", ""), 0)
            except ValueError:
                raise DataError(self.loc(node), "a decimal integer", excerpt(text)) from None
        if tag == "float":
            return FloatLiteral(text)
        return str(text)  # str and timestamp: the text as written


def excerpt(text: str, limit: int = 40) -> str:
    """``repr(text)``, shortened: a message quotes at most ``limit`` characters of the input."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "..."


class _TooDeepError(Exception):
    def __init__(self, mark: Any, depth: int) -> None:
        self.mark = mark
        self.depth = depth


class _Loader(yaml.SafeLoader):
    """The safe composer, refusing nesting deeper than MAX_DEPTH as it goes.

    PyYAML composes recursively; counting collections on the way down stops a deep file at
    its first too-deep node, with its location, long before Python's recursion limit.
    """

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if not self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeepError(self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                               self._depth)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _check_expansion(root: yaml.Node, path: str) -> None:
    """Refuse a node graph whose aliases expand past MAX_NODES, MAX_DEPTH, or into a loop.

    Sizes are computed once per distinct node (memoized, iteratively), so a 1 KB
    "billion laughs" is refused after visiting its few hundred nodes, before any of it is
    expanded.
    """
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if done:
            open_.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            height[key] = 1 + max((height[id(c)] for c in children), default=0)
            mark = node.start_mark
            where = Location(path, mark.line + 1, mark.column + 1)
            if size[key] > MAX_NODES:
                raise DataError(where, f"at most {MAX_NODES:,} nodes after aliases expand",
                                f"{size[key]:,} (an alias bomb?)")
            if height[key] > MAX_DEPTH + 1:
                raise DataError(where, f"nesting at most {MAX_DEPTH} deep after aliases expand",
                                f"{height[key] - 1} levels")
            continue
        if key in size:
            continue
        if key in open_:
            mark = node.start_mark
            raise DataError(Location(path, mark.line + 1, mark.column + 1),
                            "an alias to a node that does not contain it", "a recursive alias")
        open_.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in size)


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _height_at_most(root: yaml.Node, limit: int) -> bool:
    """Whether no path from ``root`` goes through more than ``limit`` collections."""
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            continue
        depth += 1
        if depth > limit:
            return False
        if (id(node), depth) in seen:
            continue
        seen.add((id(node), depth))
        children = (node.value if isinstance(node, yaml.SequenceNode)
                    else [n for pair in node.value for n in pair])
        stack.extend((c, depth) for c in children)
    return True


def _compose(text: str) -> list[yaml.Node]:
    """The node graph, composed by libyaml when PyYAML has it (about 15× faster).

    Both parsers build the same nodes with the same marks for well-formed input. On an
    error, or a graph deeper than MAX_DEPTH, the pure-Python composer (which counts depth
    as it goes) composes again, so messages are the same with or without libyaml. libyaml
    itself refuses nesting deeper than 1,000, so it never recurses without bound.
    """
    if _CLoader is not None:
        try:
            nodes = list(yaml.compose_all(text, Loader=_CLoader))
        except yaml.YAMLError:
            pass
        else:
            if all(n is None or _height_at_most(n, MAX_DEPTH) for n in nodes):
                return nodes
    return list(yaml.compose_all(text, Loader=_Loader))


_CParser: Any
try:
    from yaml.cyaml import CParser as _CParser  # type: ignore[attr-defined]
except ImportError:  # PyYAML built without libyaml: the full reader does everything
    _CParser = None
_RESOLVER = yaml.resolver.Resolver()
_SCALAR_TAGS = {f"{_STD}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
#: An untagged scalar's text → (readable here, its value), for plain scalars (resolved by
#: their text) and others (by text and how they were written). Not readable here: a tag the
#: converter refuses or an integer it cannot convert (the full reader says why).
_PLAIN: dict[str, tuple[bool, Any]] = {}
_SCALARS: dict[tuple[str, Any], tuple[bool, Any]] = {}
_REFUSED = (False, None)
#: Plain keys the lines reader has checked (bounded like the tables above).
_KEYS: set[str] = set()
#: Flow sequences of scalars the lines reader has read ("[1]", "[2020, 2022]"), as their
#: items and their count of nodes (bounded like the tables above).
_FLOWS: dict[str, tuple[bool, Any]] = {}


def _scalar_entry(text: str, implicit: Any) -> tuple[bool, Any]:
    """How :class:`_Converter` reads an untagged scalar; ``_REFUSED`` if it refuses it."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, implicit)  # type: ignore[no-untyped-call]
    if tag not in _SCALAR_TAGS:  # merge keys ("<<"), "=" (value): the full reader says why
        return _REFUSED
    kind = tag.removeprefix(_STD)
    if kind == "null":
        return True, None
    if kind == "bool":
        return True, text.lower() in ("true", "yes", "on", "y")
    if kind == "int":
        if len(text) > MAX_INT_CHARS:
            return _REFUSED
        try:
            return True, int(text.replace("_", ""), 0)
        except ValueError:
            return _REFUSED
    if kind == "float":
        return True, FloatLiteral(text)
    return True, text


def _remember(memo: dict[Any, tuple[bool, Any]], key: Any, entry: tuple[bool, Any],
              ) -> tuple[bool, Any]:
    """Store ``entry`` in a bounded table (emptied when full: files repeat their scalars)."""
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = entry
    return entry


_MEMO_SIZE = 50_000


class _NotPlain(Exception):  # noqa: N818 - not an error: the full reader takes over
    pass


def _fast(text: str, path: str) -> YamlDoc | None:
    """The common case in one pass over libyaml's events: a file without anchors, aliases
    or tags, nested less than MAX_DEPTH deep, with fewer than MAX_NODES nodes, no
    duplicate key and no scalar the converter refuses.

    Such a file is a tree, so there is nothing to expand, and its data and locations are
    what composing and converting it would give. Anything else, including every error,
    returns None and the full reader (:func:`_compose`, :func:`_check_expansion`,
    :class:`_Converter`) reads the file again, so every message comes from one place.
    """
    if _CParser is None or _RESOLVER.yaml_path_resolvers:
        return None
    get = _CParser(text).get_event
    marks: dict[Path_, tuple[int, int]] = {}
    plain, general = _PLAIN, _SCALARS
    scalar_event, mapping_start = yaml.ScalarEvent, yaml.MappingStartEvent
    sequence_start = yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent

    def scalar(event: Any, node_path: Path_) -> Any:
        """A scalar's value, its location kept (called directly for scalars in a collection)."""
        if event.anchor is not None or event.tag is not None:
            raise _NotPlain
        mark = event.start_mark
        marks[node_path] = (mark.line + 1, mark.column + 1)
        value, implicit = event.value, event.implicit
        if implicit[0]:  # plain: the resolver decides by the text alone
            entry = plain.get(value)
            if entry is None:
                entry = _remember(plain, value, _scalar_entry(value, implicit))
        elif implicit[1]:  # quoted or a block: a string, whatever it says
            return value
        else:
            entry = general.get((value, implicit))
            if entry is None:
                entry = _remember(general, (value, implicit), _scalar_entry(value, implicit))
        if not entry[0]:
            raise _NotPlain
        return entry[1]

    def key_of(event: Any) -> str:
        if type(event) is not scalar_event or event.anchor is not None or event.tag is not None:
            raise _NotPlain  # a complex key, an alias as a key, a tag
        key: str = event.value
        implicit = event.implicit
        if implicit[0]:
            entry = plain.get(key)
            if entry is None:
                entry = _remember(plain, key, _scalar_entry(key, implicit))
            if not entry[0]:
                raise _NotPlain  # a merge key, a refused tag
        elif not implicit[1]:
            raise _NotPlain
        return key

    def node(event: Any, node_path: Path_, depth: int) -> Any:
        cls = type(event)
        if cls is scalar_event:
            return scalar(event, node_path)
        if event.anchor is not None or event.tag is not None or depth >= MAX_DEPTH - 1:
            raise _NotPlain
        mark = event.start_mark
        marks[node_path] = (mark.line + 1, mark.column + 1)
        if cls is mapping_start:
            out: dict[str, Any] = {}
            while True:
                event = get()
                if type(event) is mapping_end:
                    return out
                key = key_of(event)
                if key in out:
                    raise _NotPlain  # a key twice
                event = get()
                if type(event) is scalar_event:
                    out[key] = scalar(event, (*node_path, key))
                else:
                    out[key] = node(event, (*node_path, key), depth + 1)
        if cls is sequence_start:
            items: list[Any] = []
            while True:
                event = get()
                cls = type(event)
                if cls is sequence_end:
                    return items
                if cls is scalar_event:
                    items.append(scalar(event, (*node_path, len(items))))
                else:
                    items.append(node(event, (*node_path, len(items)), depth + 1))
        raise _NotPlain  # an alias

    try:
        if type(get()) is not yaml.StreamStartEvent:
            return None
        event = get()
        if type(event) is yaml.StreamEndEvent:
            return YamlDoc(path, None)
        if type(event) is not yaml.DocumentStartEvent:
            return None
        root = node(get(), (), 0)
        if type(get()) is not yaml.DocumentEndEvent or type(get()) is not yaml.StreamEndEvent:
            return None  # a second document
    except (_NotPlain, yaml.YAMLError):
        return None
    if 2 * len(marks) >= MAX_NODES:  # keys count too: at most one per value
        return None
    return YamlDoc(path, root, marks=marks)


# The lines reader: block mappings and sequences of one-line scalars, the layout of generated
# and hand-written data files, read line by line with regular expressions (no event objects).
# Quoted scalars: double-quoted with no escape but \" and \\, single-quoted with '' for '.
_DQ = r'"[^"\\\n]*+(?:\\["\\][^"\\\n]*+)*+"'
_SQ = r"'[^'\n]*+(?:''[^'\n]*+)*+'"
#: A plain scalar's first character: not a space nor an indicator (YAML 1.1, as PyYAML and
#: libyaml scan it), after an optional "-" ("-1", "-x"; "- " is a sequence entry).
_PLAIN_FIRST = r"-?[^ \n\-?:,\[\]{}#&*!|>'\"%@`]"
#: A word of a block plain scalar: no space, and a ":" only before another character (": "
#: and a final ":" make a key). Words after the first, after spaces, start with neither "#"
#: (a comment) nor ":". The repeats are possessive: a shorter scalar never lets a line
#: match, and not trying one keeps the pattern as fast as the narrow one it replaced.
_WORD = r"[^ :\n]*+(?::+[^ :\n]++)*+"
_BLOCK_PLAIN = rf"{_PLAIN_FIRST}{_WORD}(?: ++[^ #:\n]{_WORD})*+"
#: In a flow collection a plain scalar also ends at ",[]{}"; ":", "?" and "#" hand over.
_FLOW_CHAR = r"[^ \n,\[\]{}:#?]"
_FLOW_PLAIN = rf"{_PLAIN_FIRST}{_FLOW_CHAR}*+(?: ++{_FLOW_CHAR}++)*+"
_FLOW_ITEM = f"(?:{_DQ}|{_SQ}|{_FLOW_PLAIN})"
_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
#: A flow sequence or mapping on one line: entries of such scalars, each after "key: " or
#: not, followed by "," or the end (a final "," is allowed, as in YAML). One pattern for
#: both, each part written once (0.3 ms less to compile than the two written out);
#: :func:`_lines` refuses "[...}", "{...]", a pair in a sequence and a key alone.
_FLOW = rf"[\[{{] *(?:(?:{_KEY}: +)?{_FLOW_ITEM} *(?:, *|(?=[\]}}])))*[\]}}]"
_VALUE = f"{_DQ}|{_SQ}|{_FLOW}|{_BLOCK_PLAIN}"
#: One line: indentation, an optional "- ", an optional "key:" (a block key may have inner
#: spaces; one ending in a space is refused where keys are checked) and spaces, an optional
#: value, trailing spaces and a comment after a space or at the start. Every line of a
#: text, as (indent, dash, key, space, value), '' where absent: a blank or comment line is
#: all '' but its indent, and a line of another form is not matched at all.
_LINES = re.compile(rf"^( *)(- +)?(?:([A-Za-z_][A-Za-z0-9_ ]*+):( +|$))?({_VALUE})?"
                    r"(?:| +(?:#.*)?|(?<![^ \n])#.*)$", re.M)
#: A flow collection's entries, as (key, item); the key None in a sequence.
_ENTRIES = re.compile(rf"(?:({_KEY}): +)?({_FLOW_ITEM})")
#: The longest key YAML reads before ":" on one line (PyYAML and libyaml forget a possible
#: key after 1,024 characters, and the ":" after it is an error).
_MAX_SIMPLE_KEY = 1024


def _unquote(text: str) -> str:
    """A quoted scalar's value, as _LINES matched it (escapes \\" and \\\\, or '')."""
    inner = text[1:-1]
    if text[0] == "'":
        return inner.replace("''", "'")
    if "\\" not in inner:
        return inner
    # each backslash starts a pair (\" or \\), so the pairs are found left to right
    return "\\".join(part.replace('\\"', '"') for part in inner.split("\\\\"))


#: Anything that is not printable to libyaml, and its line breaks other than LF (NEL, LS, PS)
#: and the byte-order mark: such a text goes to the readers below.
#: Written as the complement of the printable set (the negated class of the printable ranges
#: took 5 ms to compile, a fiftieth of a cold check), and compiled when first needed (still
#: 0.3 ms, and a text Python finds printable, as data files are, never needs it).
_UNUSUAL_CHARS = "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"


@functools.cache
def _unusual() -> re.Pattern[str]:
    return re.compile(_UNUSUAL_CHARS)


def _has_unusual(text: str) -> bool:
    """Whether ``text`` has a character of :data:`_UNUSUAL_CHARS`.

    None of them is printable to Python (they are controls, separators, surrogates, a format
    character and non-characters), so a text that is printable but for its line feeds has
    none, and Python tells that faster than a pattern searches for them.
    """
    return not text.replace("\n", "").isprintable() and _unusual().search(text) is not None


def _lines(text: str, path: str, *, full: bool = False) -> YamlDoc | None:
    """The commonest files, read without libyaml: every line blank, a comment, or one of
    ``key: value``, ``key:`` (a block below), ``- key: value``, ``- key:`` or ``- value``,
    with an optional comment after a space, where a value is quoted (double-quoted with no
    escape but ``\\"`` and ``\\\\``), plain on one line (what YAML reads as a plain scalar
    there, but for a few rare forms: a start of ``?``, ``:`` or ``--``, a later word starting
    with ``:``; in a flow collection, a ``:``, ``?`` or ``#``), or a flow sequence or mapping
    of such scalars on one line; no tabs, anchors, tags, empty values, nested flow
    collections or multi-line scalars.

    Its data and locations are libyaml's (the tests hold it to the full reader); a text it
    does not know returns None and :func:`_fast` reads it. Unless ``full``, it keeps the
    marks of block collections only, and the document reads the text again for the rest
    when one is asked for.
    """
    if _has_unusual(text) or _RESOLVER.yaml_path_resolvers:
        return None
    marks: dict[Path_, tuple[int, int]] = {}
    plain = _PLAIN
    keys = _KEYS
    flows = _FLOWS

    def check(key: str) -> None:
        """Refuse a plain key the converter refuses (a merge key, a tag it does not allow),
        one that ends in a space (YAML's key ends before it) and one too long to be a key."""
        if key[-1] == " " or len(key) > _MAX_SIMPLE_KEY:
            raise _NotPlain
        entry = plain.get(key)
        if entry is None:
            entry = _remember(plain, key, _scalar_entry(key, (True, False)))
        if not entry[0]:
            raise _NotPlain
        if len(keys) >= _MEMO_SIZE:
            keys.clear()
        keys.add(key)

    unmarked = [0]  # scalars read without keeping their marks
    escapes = "\\" in text  # else no quoted scalar has one (the commonest case)

    def scalar(text: str, number: int, col: int, node_path: Path_, depth: int) -> Any:
        if full:
            marks[node_path] = (number, col + 1)
        else:
            unmarked[0] += 1
        first = text[0]
        if first in "\"'":
            return _unquote(text)
        if first == "[":
            if depth >= MAX_DEPTH - 1 or text[-1] != "]":
                raise _NotPlain
            items: list[Any] = []
            for m in _ENTRIES.finditer(text, 1):
                if m.group(1) is not None:
                    raise _NotPlain  # a pair in a sequence
                items.append(scalar(m.group(2), number, col + m.start(2),
                                    (*node_path, len(items)), depth + 1))
            return items
        if first == "{":
            if depth >= MAX_DEPTH - 1 or text[-1] != "}":
                raise _NotPlain
            pairs: dict[str, Any] = {}
            for m in _ENTRIES.finditer(text, 1):
                key = m.group(1)
                if key is None:
                    raise _NotPlain  # a key alone in a mapping
                if key not in keys:
                    check(key)
                if key in pairs:
                    raise _NotPlain  # a key twice
                pairs[key] = scalar(m.group(2), number, col + m.start(2), (*node_path, key),
                                    depth + 1)
            return pairs
        entry = plain.get(text)
        if entry is None:
            entry = _remember(plain, text, _scalar_entry(text, (True, False)))
        if not entry[0]:
            raise _NotPlain
        return entry[1]

    # The open collections, innermost last: (column, the collection, its path, a sequence
    # not indented under its key). A mapping's column is its keys', a sequence's its dashes'.
    # The innermost one is also in col, top, top_path and indentless.
    def read() -> Any:
        """The root collection; _NotPlain for anything this reader does not read."""
        stack: list[tuple[int, Any, Path_, bool]] = []
        col, indentless = -1, False
        top: Any = None
        top_path: Path_ = ()
        root: Any = None
        pending: str | None = None  # the key of "key:", awaiting its block
        inline = 0  # scalars read here, without scalar(), so without their marks
        rows = _LINES.findall(text)
        if len(rows) != text.count("\n") + 1:
            raise _NotPlain  # a line of another form
        number = 0
        for indent, dash, key, space, value in rows:
            number += 1
            if not key and not value:
                if dash:
                    raise _NotPlain  # "-" alone: an empty value or a block below
                continue  # a blank line or a comment
            ind = len(indent)
            if pending is not None:  # this line opens the block of the key above
                indentless = ind == col and bool(dash)
                if ind <= col and not indentless:
                    raise _NotPlain  # an empty value
                if len(stack) >= MAX_DEPTH - 1:
                    raise _NotPlain
                node_path = (*top_path, pending)
                marks[node_path] = (number, ind + 1)
                block: Any = [] if dash else {}
                top[pending] = block
                pending = None
                col, top, top_path = ind, block, node_path
                stack.append((col, top, top_path, indentless))
            elif ind != col or (indentless and not dash):
                if not stack:
                    if root is not None:
                        raise _NotPlain  # a line after the root collection
                    marks[()] = (number, ind + 1)
                    root = [] if dash else {}
                    col, top, top_path, indentless = ind, root, (), False
                    stack.append((col, top, top_path, indentless))
                else:
                    while col > ind or (col == ind and indentless and not dash):
                        stack.pop()
                        if not stack:
                            raise _NotPlain  # a line outside the root collection
                        col, top, top_path, indentless = stack[-1]
                    if col < ind:
                        raise _NotPlain  # indented where nothing opens a block
            if dash:
                if type(top) is not list:
                    raise _NotPlain
                item_path = (*top_path, len(top))
                if not key:
                    top.append(scalar(value, number, ind + len(dash), item_path, len(stack)))
                    continue
                if len(stack) >= MAX_DEPTH - 1:
                    raise _NotPlain
                mapping: dict[str, Any] = {}
                top.append(mapping)
                col = ind + len(dash)
                marks[item_path] = (number, col + 1)
                top, top_path, indentless = mapping, item_path, False
                stack.append((col, top, top_path, indentless))
            elif not key or type(top) is not dict:
                raise _NotPlain
            if key not in keys:
                check(key)
            if key in top:
                raise _NotPlain  # a key twice
            if not value:
                pending = key
                top[key] = None
                continue
            if not full:  # the commonest scalars read here, their marks not kept
                first = value[0]
                if first == '"':
                    top[key] = _unquote(value) if escapes else value[1:-1]
                    inline += 1
                    continue
                if first not in "'[{":  # plain, and the table knows how scalar() reads it
                    entry = plain.get(value)
                    if entry is not None and entry[0]:
                        top[key] = entry[1]
                        inline += 1
                        continue
                elif first == "[" and len(stack) < MAX_DEPTH - 1:
                    entry = flows.get(value)
                    if entry is not None:  # a sequence of scalars read before: a new list
                        items, nodes = entry[1]
                        top[key] = list(items)
                        inline += nodes
                        continue
                    before = unmarked[0]
                    seq = scalar(value, number, col + len(key) + 1 + len(space),
                                 (*top_path, key), len(stack))
                    top[key] = seq
                    if not any(type(item) is list or type(item) is dict for item in seq):
                        _remember(flows, value, (True, (tuple(seq), unmarked[0] - before)))
                    continue
            top[key] = scalar(value, number, col + len(key) + 1 + len(space), (*top_path, key),
                              len(stack))
        if pending is not None or root is None:
            raise _NotPlain  # an empty value at the end, or nothing
        unmarked[0] += inline
        return root

    try:
        root = read()
    except _NotPlain:
        return None
    if 2 * (len(marks) + unmarked[0]) >= MAX_NODES:
        return None  # keys count too: at most one per value
    return YamlDoc(path, root, marks=marks, text=None if full else text)


def parse_yaml(text: str, path: str) -> YamlDoc:
    """Parse YAML text from ``path`` (used in messages).

    Raises:
        DataError: malformed YAML, a tag, a duplicate key, too many nodes or too deep.
    """
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        raise DataError(Location(path, line, 1), "LF line ends", "CR or CRLF")
    fast = _lines(text, path)
    if fast is None:
        fast = _fast(text, path)
    return fast if fast is not None else _parse_full(text, path)


def _parse_full(text: str, path: str) -> YamlDoc:
    """The full reader: compose, check what aliases expand to, convert node by node."""
    try:
        nodes = _compose(text)
    except _TooDeepError as exc:
        raise DataError(Location(path, exc.mark.line + 1, exc.mark.column + 1),
                        f"nesting at most {MAX_DEPTH} deep", f"{exc.depth} levels") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path, 1, 1)
        found = str(exc.problem or exc.context)
        if exc.problem and exc.context:
            found += f" ({exc.context})"
        raise DataError(loc, "well-formed YAML", found) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, controls)
        before = text[: exc.position]
        loc = Location(path, before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1)
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise DataError(loc, "printable text", f"the character U+{ord(char):04X}") from None
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
    _check_expansion(nodes[0], path)
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
