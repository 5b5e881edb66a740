"""Load ``facts/`` and ``rules/`` into validated models, collecting every error with its place."""

from __future__ import annotations

import errno
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from kzfacts._files import FileRefused, read_regular, real_path
from kzfacts.data.factbase import FactBase
from kzfacts.data.model import (
    Baseline,
    Document,
    Fact,
    FactFile,
    NotClaimsFile,
    ReferenceFile,
    RuleFile,
    RuleSpec,
    UnitsFile,
)
from kzfacts.data.source import Anchor, SourceText, anchor_fact, coverage, unprintable
from kzfacts.data.yaml import FloatLiteral, YamlDoc, read_yaml
from kzfacts.errors import DataError, InvalidDataError, Location
from kzfacts.values.numbers import Reading
from kzfacts.values.units import UnitsError, UnitSystem, unit_system

__all__ = ["MAX_SOURCE_BYTES", "RuleSource", "Rules", "load_baseline", "load_fact_base",
           "load_rules", "read_source"]

M = TypeVar("M", bound=BaseModel)
_Path = tuple[str | int, ...]


class _Errors:
    """Collects errors so a load reports all of them, not the first."""

    def __init__(self) -> None:
        self.items: list[DataError] = []

    def add(self, error: DataError) -> None:
        self.items.append(error)

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidDataError(self.items)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, FloatLiteral):
        return f"the float {value}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel]:
    """The nested model a location points into, for "did you mean" suggestions."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or not (isinstance(current, type)
                                         and issubclass(current, BaseModel)):
            continue
        field = current.model_fields.get(part)
        if field is None:
            break
        current = next((t for t in _flatten(field.annotation)
                        if isinstance(t, type) and issubclass(t, BaseModel)), None)
        if current is None:
            return model
    return current if isinstance(current, type) and issubclass(current, BaseModel) else model


def _flatten(annotation: Any) -> list[Any]:
    args = getattr(annotation, "__args__", None)
    if not args:
        return [annotation]
    return [t for a in args for t in _flatten(a)]


def pydantic_errors(exc: ValidationError, doc: YamlDoc, base: _Path,
                    model: type[BaseModel]) -> list[DataError]:
    """Turn a pydantic ValidationError into located DataErrors."""
    out = []
    errs = exc.errors(include_url=False)
    locs = [tuple(e["loc"]) for e in errs]
    for err in errs:
        if err["type"] == "too_short" and any(
                other != tuple(err["loc"]) and other[:len(err["loc"])] == tuple(err["loc"])
                for other in locs):
            continue  # the item's own error says it; "0 items after validation" only confuses
        loc = tuple(p for p in err["loc"] if not isinstance(p, str) or not p.startswith("function"))
        path = (*base, *loc)
        field = ".".join(str(p) for p in loc)
        kind = err["type"]
        if kind == "extra_forbidden":
            allowed = list(_model_at(model, loc[:-1]).model_fields)
            close = _close(str(loc[-1]), allowed)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(allowed)})"
            out.append(DataError(doc.where(path), f"a known field{hint}",
                                 f"unknown field {loc[-1]!r}", field=field))
        elif kind == "missing":
            out.append(DataError(doc.where(base if len(loc) == 1 else path[:-1]),
                                 f"the field {loc[-1]!r}", "nothing", field=field))
        else:
            msg = str(err["msg"]).removeprefix("Value error, ").removeprefix("Input should be ")
            msg = msg.replace("String should match pattern", "a string matching the pattern")
            msg = msg.replace("String should have at least", "a string of at least")
            msg = re.sub(r"^a valid (?:dictionary or instance of \w+|dictionary)", "a mapping", msg)
            msg = re.sub(r"^a valid (tuple|list)", "a list", msg)
            msg = re.sub(r"^a valid (string|integer|boolean)", lambda m: (
                "an integer" if m[1] == "integer" else f"a {m[1]}"), msg)
            if msg.startswith("Assertion failed, "):
                msg = msg.removeprefix("Assertion failed, ")
            if ", found " in msg:
                expected, found = msg.split(", found ", 1)
                out.append(DataError(doc.where(path), expected, found, field=field))
            else:
                out.append(DataError(doc.where(path), msg, _describe(err.get("input")),
                                     field=field))
    return out


def _validate(model: type[M], data: Any, doc: YamlDoc, base: _Path, errors: _Errors,
              **extra: Any) -> M | None:
    if not isinstance(data, dict):
        errors.add(DataError(doc.where(base), f"a mapping for {model.__name__}",
                             _describe(data)))
        return None
    try:
        return model.model_validate({**extra, **data})
    except ValidationError as exc:
        for e in pydantic_errors(exc, doc, base, model):
            errors.add(e)
        return None


#: The largest source document read (the YAML files have their own, smaller limit).
MAX_SOURCE_BYTES = 1 << 20


def _read(file: Path, root: Path, errors: _Errors, inside: Path | None = None,  # noqa: PLR0917
          resolved: Path | None = None, display: str | None = None) -> YamlDoc | None:
    """Read one data file of the folder ``root``.

    ``inside`` is ``root`` resolved, ``resolved`` the file resolved and ``display`` its name
    in messages, when already known.
    """
    display = _display(file) if display is None else display
    try:
        if resolved is None:
            resolved = file.resolve(strict=True)
        # Any link on the way counts, not only the file's own: a linked folder too.
        if not resolved.is_relative_to(inside or real_path(root)):
            errors.add(DataError(Location(display), f"a file inside {_display(root)}",
                                 f"a symbolic link to {resolved}"))
            return None
    except RuntimeError:  # Python 3.11 reports a loop of links so
        errors.add(DataError(Location(display), "a readable file", "a loop of symbolic links"))
        return None
    except OSError as exc:
        found = ("a loop of symbolic links" if exc.errno == errno.ELOOP
                 else "a symbolic link to nothing" if file.is_symlink()
                 else exc.strerror or str(exc))
        errors.add(DataError(Location(display), "a readable file", found))
        return None
    try:
        return read_yaml(resolved, display=display)  # the vetted path: no link left to follow
    except DataError as exc:
        errors.add(exc)
        return None


def _display(path: Path) -> str:
    """The path as a user names it: relative to the working directory when inside it.

    Symbolic links are not followed, so an error names the link, not its target.
    """
    absolute = path.absolute()  # not resolve(): a link keeps its own name
    try:
        return str(absolute.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _tree(root: Path) -> list[tuple[Path, os.DirEntry[str]]]:
    """Every entry below ``root``, sorted, as ``sorted(root.rglob("*"))`` names them (links
    to folders listed, not entered; an unreadable folder lists nothing), with what
    ``os.scandir`` knows of each: one scan of each folder (``rglob`` scans each twice)."""
    out: list[tuple[Path, os.DirEntry[str]]] = []
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except PermissionError:
            continue
        for entry in entries:
            path = folder / entry.name
            out.append((path, entry))
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(path)
            except OSError:
                pass
    out.sort(key=lambda item: item[0])
    return out


def _yaml_files(tree: list[tuple[Path, os.DirEntry[str]]], skip: set[Path],
                ) -> Iterator[tuple[Path, Path | None, str]]:
    """The data files of a folder's ``tree``, each with its real path (None: it does not
    resolve, and reading it says why) and its name in messages."""
    shown: dict[Path, str] = {}
    for file, entry in tree:
        if not entry.name.endswith(".yaml") or any(p.startswith(".") for p in file.parts[-2:]):
            continue
        try:
            resolved: Path | None = file.resolve(strict=True)
        except (OSError, RuntimeError):
            resolved = None
        if (resolved or real_path(file)) not in skip:
            folder = shown.get(file.parent)
            if folder is None:
                folder = shown[file.parent] = _display(file.parent)
            yield file, resolved, str(Path(folder, entry.name))


def _linked_folders(root: Path, tree: list[tuple[Path, os.DirEntry[str]]],
                    errors: _Errors) -> None:
    """A linked folder below ``root`` that leads outside it is an error, not silently skipped."""
    inside = real_path(root)
    for path, entry in tree:
        if entry.is_symlink() and path.is_dir() and not real_path(path).is_relative_to(inside):
            errors.add(DataError(Location(_display(path)), f"a folder inside {_display(root)}",
                                 f"a symbolic link to {real_path(path)}"))


def _data_files(root: Path, skip: set[Path], model: type[M], what: str, errors: _Errors,
                ) -> tuple[int, list[tuple[YamlDoc, M]]]:
    """How many data files ``root`` holds (not counting ``skip``), and each file that reads
    and validates as ``model`` (``what`` names it in the error for an empty file)."""
    tree = _tree(root)
    _linked_folders(root, tree, errors)
    inside = real_path(root)
    seen = 0
    out: list[tuple[YamlDoc, M]] = []
    for file, resolved, display in _yaml_files(tree, skip):
        seen += 1
        doc = _read(file, root, errors, inside, resolved, display)
        if doc is None:
            continue
        if doc.data is None:
            errors.add(DataError(Location(doc.path, 1, 1), what, "an empty file"))
            continue
        parsed = _validate(model, doc.data, doc, (), errors)
        if parsed is not None:
            out.append((doc, parsed))
    return seen, out


def _close(name: str, options: list[str]) -> list[str]:
    """The closest option to ``name``, if any (difflib is imported only when an error asks)."""
    import difflib
    return difflib.get_close_matches(name, options, n=1)


def _suggest(name: str, options: Any) -> str:
    close = _close(name, list(options))
    return f" (did you mean {close[0]!r}?)" if close else ""


def _unit_hint(unit: str, units: UnitSystem, file: str) -> str:
    """What to do about a unit the units file does not define: the unit meant, when one
    is close (a typo), else the line to add to ``file`` that defines it."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", unit):  # one name: a typo, or a unit to define
        return _suggest(unit, units.unit_names()) or units.definition_hint(unit, file=file)
    return units.definition_hint(unit, file=file) or _suggest(unit, units.unit_names())


def load_fact_base(folder: Path | str, *, allow_empty: bool = False) -> FactBase:
    """Load, validate and anchor a ``facts/`` folder.

    Args:
        folder: the facts folder.
        allow_empty: accept fact files that hold no facts yet (a fresh ``kzfacts init``).

    Raises:
        InvalidDataError: every problem found, each with file:line:column.
    """
    root = Path(folder)
    errors = _Errors()
    doc = _manifest(root, errors)
    document = _validate(Document, doc.data, doc, (), errors)
    errors.raise_if_any()
    assert document is not None

    for name in ("source", "units", "reference", "not_claims"):
        _vet_path(root, getattr(document, name), doc, name, errors)
    errors.raise_if_any()
    source_file = root / document.source
    raw = _source_bytes(source_file, doc)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InvalidDataError([DataError(
            doc.where(("source",)), "a UTF-8 source file",
            f"the byte 0x{raw[exc.start]:02x} at line {line}, column {column} of "
            f"{_display(source_file)}", field="source")]) from None
    bad = unprintable(text)
    if bad is not None:
        raise InvalidDataError([DataError(
            doc.where(("source",)), "a source of printable text (line ends and tabs allowed)",
            f"{bad[1]} of {_display(source_file)}", field="source")])
    try:
        source = SourceText.from_text(text, style=document.paragraphs,
                                      name=_display(source_file))
    except DataError as exc:
        raise InvalidDataError([exc]) from None
    except ValueError as exc:
        raise InvalidDataError([DataError(doc.where(("paragraphs",) if "paragraphs" in doc.data
                                                    else ()),
                                          f"the source's paragraphs ({document.paragraphs!r})",
                                          str(exc), field="paragraphs")]) from None
    integrity: list[str] = []
    digest = hashlib.sha256(raw).hexdigest()
    if digest != document.sha256:
        integrity.append(f"{_display(source_file)} has sha256 {digest}, document.yaml records "
                         f"{document.sha256}: the source was edited; if the edit is intended, "
                         f"`{_update_hash_command(root)}` records its sha256 in document.yaml, "
                         "and every quote is then anchored again in the edited text")

    units = _load_units(root / document.units, root, errors)
    units_file = _display(root / document.units)
    reference = None
    if document.reference and (root / document.reference).exists():
        rdoc = _read(root / document.reference, root, errors)
        if rdoc is not None:
            reference = _validate(ReferenceFile, rdoc.data, rdoc, (), errors)
            if reference is not None and units is not None:
                for name, table in reference.tables.items():
                    if not units.known(table.unit):
                        errors.add(DataError(rdoc.where(("tables", name, "unit")),
                                             "a unit of the units file"
                                             + _unit_hint(table.unit, units, units_file),
                                             repr(table.unit)))
    not_claims = NotClaimsFile()
    if document.not_claims and (root / document.not_claims).exists():
        ndoc = _read(root / document.not_claims, root, errors)
        if ndoc is not None and ndoc.data is not None:
            not_claims = _validate(NotClaimsFile, ndoc.data, ndoc, (), errors) or not_claims

    skip = {real_path(root / n) for n in ("document.yaml", document.units, document.reference,
                                           document.not_claims) if n}
    facts: dict[str, Fact] = {}
    locations: dict[str, Location] = {}
    seen, files = _data_files(root, skip, FactFile, "a fact file (paragraph, facts)", errors)
    for fdoc, ffile in files:
        if ffile.paragraph not in source.paragraphs:
            errors.add(DataError(fdoc.where(("paragraph",)),
                                 f"a paragraph of the source (1..{len(source.paragraphs)})",
                                 str(ffile.paragraph), field="paragraph"))
        for i, record in enumerate(ffile.facts):
            path: _Path = ("facts", i)
            fact = _validate(Fact, record, fdoc, path, errors, paragraph=ffile.paragraph)
            if fact is None:
                continue
            where = fdoc.where(path)
            if fact.id in facts:
                errors.add(DataError(fdoc.where((*path, "id")), "a fact id used once",
                                     f"{fact.id!r} again (first at {locations[fact.id]})",
                                     field="id"))
                continue
            if units is not None and fact.unit is not None and not units.known(fact.unit):
                errors.add(DataError(fdoc.where((*path, "unit")), "a unit of the units file"
                                     + _unit_hint(fact.unit, units, units_file),
                                     repr(fact.unit), field="unit"))
            facts[fact.id] = fact
            locations[fact.id] = where
    if not facts and not errors.items and (not seen or not allow_empty):
        # A fresh ``kzfacts init`` has fact files with no facts yet: ``kzfacts numbers``
        # lists what to do (allow_empty); nothing can be checked before the first fact.
        errors.add(DataError(Location(_display(root)), "at least one fact",
                             "fact files without facts" if seen else "no fact files"))
    errors.raise_if_any()
    assert units is not None

    anchors: dict[str, Anchor] = {}
    readings: dict[str, Reading] = {}
    for fact in facts.values():
        anchor = anchor_fact(fact, source, unit_words=units.words,
                             decimal_comma=document.decimal_comma, units_file=units_file)
        anchors[fact.id] = anchor
        if anchor.reading is not None:  # else the value keeps its own digits' precision
            readings[fact.id] = anchor.reading
    if integrity:
        anchors["<source>"] = Anchor("<source>", None, None, tuple(integrity))
    cover = coverage(source, facts.values(), anchors, not_claims.not_claims)
    return FactBase(root, document, source, units, reference, facts, locations,
                    not_claims.not_claims, anchors, cover, readings)


def _vet_path(root: Path, name: str | None, doc: YamlDoc, field: str, errors: _Errors) -> None:
    """A file named by document.yaml must be a file name that lies inside the fact base,
    links resolved: checked before anything is opened."""
    if name is None:
        return
    bad = ("a NUL character" if "\x00" in name
           else "a lone surrogate, which is not text" if any(
               "\ud800" <= c <= "\udfff" for c in name) else None)
    if bad is not None:
        errors.add(DataError(doc.where((field,)), f"a file name inside {_display(root)}",
                             f"{name!r}, which holds {bad}", field=field))
        return
    target = real_path(root / name)
    if not target.is_relative_to(real_path(root)):
        errors.add(DataError(doc.where((field,)), f"a file inside {_display(root)}",
                             f"{name!r}, which resolves to {target}", field=field))


def _manifest(root: Path, errors: _Errors) -> YamlDoc:
    """``document.yaml`` of the facts folder ``root``, read (not yet validated)."""
    manifest = root / "document.yaml"
    if not root.is_dir():
        raise InvalidDataError([DataError(Location(_display(root)), "a facts folder",
                                          "no such folder")])
    if not manifest.exists() and not manifest.is_symlink():
        raise InvalidDataError([DataError(Location(_display(manifest)),
                                          "a document.yaml naming the source", "no such file")])
    doc = _read(manifest, root, errors)
    errors.raise_if_any()
    assert doc is not None
    return doc


def _source_bytes(file: Path, doc: YamlDoc) -> bytes:
    """The bytes of the source ``file`` (vetted by :func:`_vet_path`), as a check reads them."""
    try:
        return read_regular(real_path(file), limit=MAX_SOURCE_BYTES, noun="a source")
    except FileRefused as exc:
        raise InvalidDataError([DataError(doc.where(("source",)), exc.expected, exc.found,
                                          field="source")]) from None
    except OSError as exc:
        raise InvalidDataError([DataError(doc.where(("source",)), "a readable UTF-8 source file",
                                          exc.strerror or str(exc), field="source")]) from None


def read_source(folder: Path | str) -> tuple[YamlDoc, bytes]:
    """``document.yaml`` of a facts folder and the bytes of the source it names, read as a
    check reads them; nothing else is validated (``kzfacts init --update-hash`` uses it to
    record the sha256 of an edited source).

    Raises:
        InvalidDataError: document.yaml or the source cannot be read, or the source's
            name is not a file inside the folder.
    """
    root = Path(folder)
    errors = _Errors()
    doc = _manifest(root, errors)
    name = (doc.data.get("source", Document.model_fields["source"].default)
            if isinstance(doc.data, dict) else None)
    if not isinstance(name, str):
        raise InvalidDataError([DataError(doc.where(("source",) if isinstance(doc.data, dict)
                                                    and "source" in doc.data else ()),
                                          "a source file name", _describe(name),
                                          field="source")])
    _vet_path(root, name, doc, "source", errors)
    errors.raise_if_any()
    return doc, _source_bytes(root / name, doc)


def _update_hash_command(root: Path) -> str:
    """The command that records the sha256 of the facts folder ``root``'s edited source."""
    import shlex

    shown = _display(root)
    return "kzfacts init --update-hash" + ("" if shown == "facts" else f" {shlex.quote(shown)}")


def _load_units(file: Path, root: Path, errors: _Errors) -> UnitSystem | None:
    udoc = _read(file, root, errors) if file.exists() else None
    if udoc is None:
        if not file.exists():
            errors.add(DataError(Location(_display(file)), "a units file", "no such file"))
        return None
    spec = _validate(UnitsFile, udoc.data or {}, udoc, (), errors)
    if spec is None:
        return None
    try:
        system = unit_system(spec.definitions, spec.words)
    except UnitsError as exc:
        path = ("definitions",) if exc.index is None else ("definitions", exc.index)
        errors.add(DataError(udoc.where(path), exc.expected, exc.found,
                             field=".".join(map(str, path))))
        return None
    for word, unit in spec.words.items():
        if not system.known(unit):
            errors.add(DataError(udoc.where(("words", word)), "a defined unit"
                                 + _unit_hint(unit, system, udoc.path), repr(unit),
                                 field=f"words.{word}"))
    return system


@dataclass(frozen=True, slots=True)
class RuleSource:
    """Where a rule was written: its location, and its file's locations below ``path``."""

    location: Location
    _doc: YamlDoc
    _path: _Path

    def where(self, *path: str | int) -> Location:
        """The location of the rule's field at ``path``, or of its nearest located parent."""
        return self._doc.where((*self._path, *path)) if path else self.location


@dataclass(frozen=True, slots=True)
class Rules:
    """The rules of a rules folder, and where each was written (by rule id)."""

    specs: tuple[RuleSpec, ...]
    sources: dict[str, RuleSource]


def load_rules(folder: Path | str, kinds: dict[str, type[RuleSpec]]) -> Rules:
    """Load every rule file below ``folder``, validating each rule with its kind's model.

    Args:
        folder: the rules folder.
        kinds: rule kind name → its spec model.

    Raises:
        InvalidDataError: every problem found.
    """
    root = Path(folder)
    errors = _Errors()
    if not root.is_dir():
        raise InvalidDataError([DataError(Location(_display(root)), "a rules folder",
                                          "no such folder")])
    specs: list[RuleSpec] = []
    sources: dict[str, RuleSource] = {}
    for doc, rfile in _data_files(root, set(), RuleFile, "a rule file (rules: [...])", errors)[1]:
        for i, record in enumerate(rfile.rules):
            path: _Path = ("rules", i)
            kind = record.get("kind")
            if not isinstance(kind, str) or kind not in kinds:
                errors.add(DataError(doc.where((*path, "kind")),
                                     "a rule kind" + _suggest(str(kind), kinds)
                                     + f" (one of {', '.join(sorted(kinds))})",
                                     _describe(kind), field="kind"))
                continue
            spec = _validate(kinds[kind], record, doc, path, errors)
            if spec is None:
                continue
            if spec.id in sources:
                errors.add(DataError(doc.where((*path, "id")), "a rule id used once",
                                     f"{spec.id!r} again (first at {sources[spec.id].location})",
                                     field="id"))
                continue
            sources[spec.id] = RuleSource(doc.where(path), doc, path)
            specs.append(spec)
    errors.raise_if_any()
    return Rules(tuple(specs), sources)


def load_baseline(file: Path | str | None) -> Baseline:
    """Load a baseline file; a missing file is an empty baseline.

    Raises:
        InvalidDataError: the file is not a valid baseline.
    """
    if file is None or not Path(file).exists():
        return Baseline()
    errors = _Errors()
    path = Path(file)
    doc = _read(path, path.parent, errors)
    errors.raise_if_any()
    assert doc is not None
    baseline = _validate(Baseline, doc.data or {}, doc, (), errors)
    errors.raise_if_any()
    assert baseline is not None
    return baseline
